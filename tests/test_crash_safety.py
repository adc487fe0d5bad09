"""kill -9 during a write: the workspace is left as before or as after the change, never between, and the
next command completes or rolls back what was interrupted by itself.

Writers run in forked children (the catalog is already loaded, so each write takes milliseconds) and are
killed with SIGKILL either at a named step of the commit or at a random moment while every step is slowed.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import random
import signal
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from antai.app import usecases
from antai.app.ports import Actor
from antai.assessment.model import Status
from antai.assessment.rules import AnswerChange
from antai.catalog import Catalog
from antai.tailoring.profile import load_profile
from antai.workspace.store import HISTORY, STAGING, FileStore
from antai.workspace.verify import verify

ACTOR = Actor("tester", dt.datetime(2026, 12, 1, 3, 0, tzinfo=dt.UTC))
POINTS_BEFORE = ("staged", "before-journal")  # nothing is decided yet: the change must vanish
POINTS_AFTER = ("journal", "moving", "moved", "logged")  # the journal exists: the change must complete

Op = Callable[[FileStore, int], None]


def _ops(catalog: Catalog, scratch: Path) -> dict[str, Op]:
    statuses = [Status.IMPLEMENTED, Status.PARTIAL, Status.NOT_IMPLEMENTED]
    items = ["IAM-01", "IAM-02", "LOG-01", "DAT-04"]

    def set_op(store: FileStore, n: int) -> None:
        status = statuses[n % 3]
        due = dt.date(2027, 3, 31) if status == Status.PARTIAL else None  # partial needs a due date
        change = AnswerChange(status=status, owner=f"owner-{n}", due=due)
        usecases.set_answer(store, catalog, ACTOR, items[n % 4], change)

    def accept_op(store: FileStore, n: int) -> None:
        usecases.accept(store, catalog, ACTOR, "ASR-04", f"reason {n}", "CEO", dt.date(2027, 12, 31))

    def evidence_op(store: FileStore, n: int) -> None:
        source = scratch / f"evidence-{n}.txt"
        source.write_text(f"evidence number {n}\n", encoding="utf-8")
        usecases.add_evidence(store, catalog, ACTOR, "IAM-01", source)

    def upgrade_op(store: FileStore, n: int) -> None:
        with store.locked():
            pinned = store.load().assessment.meta.catalog_version
        major, minor, patch = (int(p) for p in pinned.split("."))
        newer = dataclasses.replace(
            catalog, meta=catalog.meta.model_copy(update={"version": f"{major}.{minor}.{patch + 1}"})
        )
        usecases.upgrade(store, newer, ACTOR)

    return {"set": set_op, "accept": accept_op, "evidence": evidence_op, "upgrade": upgrade_op}


def _catalog_for(store: FileStore, catalog: Catalog) -> Catalog:
    """Upgrades move the pinned version on; later writes use a catalog of that version."""
    with store.locked():
        pinned = store.load().assessment.meta.catalog_version
    return dataclasses.replace(catalog, meta=catalog.meta.model_copy(update={"version": pinned}))


def _fork(run: Callable[[], None], fault: str) -> tuple[int, int]:
    pid = os.fork()
    if pid == 0:  # the child: write, then leave without running the parent's clean-up
        code = 0
        try:
            os.environ["ANTAI_FAULT"] = fault
            run()
        except BaseException:
            code = 3
        finally:
            os._exit(code)
    return pid, 0


def _digests(store: FileStore) -> tuple[dict[str, str], int]:
    return store.state(), len(store.history())


def _check_consistent(store: FileStore, before: tuple[dict[str, str], int]) -> str:
    """After recovery: verify passes, nothing stray is left, and the workspace is either exactly as before
    or one change further with that change fully in place. Returns 'before' or 'after'."""
    with store.locked():
        store.load()
    result = verify(store)
    assert result.ok, result.problems
    assert not list(store.path(STAGING).glob("*")), "staged files left behind"
    assert not list(store.root.rglob(".*.tmp")), "temporary files left behind"
    state, count = _digests(store)
    if count == before[1]:
        assert state == before[0], "the files changed but no history entry records it"
        return "before"
    assert count == before[1] + 1, "more than one entry appeared"
    return "after"


@pytest.fixture
def workspace(tmp_path: Path, catalog: Catalog) -> FileStore:
    store = FileStore(tmp_path / "ws")
    usecases.init(store, catalog, load_profile(Path("example:household-budget")), "Crash KK", ACTOR)
    return store


@pytest.mark.parametrize("op_name", ["set", "accept", "evidence", "upgrade"])
@pytest.mark.parametrize("point", [*POINTS_BEFORE, *POINTS_AFTER])
def test_a_kill_at_each_step_leaves_before_or_after(
    workspace: FileStore, catalog: Catalog, tmp_path: Path, op_name: str, point: str
) -> None:
    op = _ops(catalog, tmp_path)[op_name]
    before = _digests(workspace)
    pid, _ = _fork(lambda: op(FileStore(workspace.root), 1), point)
    _, status = os.waitpid(pid, 0)
    assert os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL, f"{point} was never reached"
    outcome = _check_consistent(FileStore(workspace.root), before)
    assert outcome == ("before" if point in POINTS_BEFORE else "after")
    # and the workspace takes the next change normally
    op(FileStore(workspace.root), 2) if op_name != "upgrade" else None
    assert verify(FileStore(workspace.root)).ok


def test_two_hundred_random_kills_lose_no_committed_change(
    workspace: FileStore, catalog: Catalog, tmp_path: Path
) -> None:
    rng = random.Random(20261201)
    kills = completed = 0
    names = ["set", "accept", "evidence", "upgrade"]
    attempt = 0
    started = time.monotonic()
    while kills < 200:
        attempt += 1
        assert attempt < 1200 and time.monotonic() - started < 240, f"only {kills} kills landed"
        name = names[attempt % 4]
        current = _catalog_for(workspace, catalog)
        op = _ops(current, tmp_path)[name]
        before = _digests(workspace)
        pid, _ = _fork(lambda op=op, n=attempt: op(FileStore(workspace.root), n), "pause:0.002")  # type: ignore[misc]
        time.sleep(rng.uniform(0.0, 0.06))
        os.kill(pid, signal.SIGKILL)
        _, status = os.waitpid(pid, 0)
        killed = os.WIFSIGNALED(status)
        outcome = _check_consistent(FileStore(workspace.root), before)
        if killed:
            kills += 1
        else:
            assert os.WEXITSTATUS(status) == 0
            completed += 1
            assert outcome == "after", "a change that finished was lost"
    entries = FileStore(workspace.root).history()
    assert entries[-1]["seq"] == len(entries) and len(entries) >= 1 + completed
    assert (workspace.root / HISTORY).read_bytes().endswith(b"\n")
