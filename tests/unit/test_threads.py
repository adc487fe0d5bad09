"""Comment threads as the history records them: the pure model (states, targets, what a thread was raised on)
and the use cases over the in-memory store (what an import, an answer and a closing log, and their refusals)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from antai.app import comments, usecases
from antai.app.memory import MemoryStore
from antai.app.ports import Actor, ChangeSet
from antai.assessment.threads import (
    Incoming,
    IncomingComment,
    Kind,
    Side,
    State,
    Target,
    TargetKind,
    Verdict,
    next_thread_id,
    open_thread_on,
    threads_from_history,
)
from antai.catalog import Catalog
from antai.checklists.loader import builtin_path, load_checklist
from antai.errors import AntaiError, InvalidChange, NotFound
from antai.tailoring.profile import load_profile

NOW = dt.datetime(2026, 12, 1, 3, 0, 0, tzinfo=dt.UTC)
ACTOR = Actor("venture-cto", NOW)
SUBMISSION = "contract-kk-20261201-1"


def message(seq: int, thread: str, kind: str, side: str, target: str = "IAM-01", **extra: Any) -> dict[str, Any]:
    after = {
        "thread": thread,
        "kind": kind,
        "target": target,
        "refs": [],
        "submission": SUBMISSION,
        "author": "someone",
        "side": side,
        **extra,
        "text": f"words {seq}",
    }
    return {"seq": seq, "at": f"2026-12-0{seq}T00:00:00+00:00", "who": "x", "action": "comment", "after": after}


# --- the pure model ---------------------------------------------------------------------------------------


def test_targets_read_and_print_as_written() -> None:
    assert Target.parse(" iam-01 ") == Target(TargetKind.ITEM, "IAM-01")
    assert Target.parse("org:governance.deputy") == Target(TargetKind.FACT, "governance.deputy")
    row = Target.parse("checklist:api-connection/EL-02")
    assert (row.kind, row.checklist, row.row) == (TargetKind.CHECKLIST, "api-connection", "EL-02")
    assert [str(t) for t in (Target.parse("IAM-01"), Target.parse("org:a.b"), row)] == [
        "IAM-01",
        "org:a.b",
        "checklist:api-connection/EL-02",
    ]
    assert Target.parse("IAM-01").checklist is None and Target.parse("IAM-01").row is None


def test_a_thread_is_open_until_the_venture_answers_and_closed_when_it_closes() -> None:
    history = [
        {"seq": 1, "action": "init", "after": {}},
        message(2, "T0001", "question", "bank", bank="〇〇銀行", verdict="ask"),
        message(3, "T0002", "question", "bank", target="org:governance.deputy"),
        message(4, "T0001", "answer", "venture"),
        message(5, "T0002", "answer", "venture"),
        message(6, "T0002", "question", "bank"),
        message(7, "T0003", "question", "bank", target="checklist:api-connection/EL-01"),
        message(8, "T0003", "close", "venture"),
    ]
    threads = threads_from_history(history)
    assert [(t.id, t.state, len(t.messages)) for t in threads] == [
        ("T0001", State.ANSWERED, 2),
        ("T0002", State.OPEN, 3),
        ("T0003", State.CLOSED, 2),
    ]
    first = threads[0]
    assert (first.raised_on, first.opened, first.last_activity) == (
        SUBMISSION,
        "2026-12-02T00:00:00+00:00",
        "2026-12-04T00:00:00+00:00",
    )
    assert (first.bank, first.verdict, first.target) == ("〇〇銀行", Verdict.ASK, Target(TargetKind.ITEM, "IAM-01"))
    assert [(m.kind, m.side, m.seq) for m in first.messages] == [
        (Kind.QUESTION, Side.BANK, 2),
        (Kind.ANSWER, Side.VENTURE, 4),
    ]
    assert next_thread_id(threads) == "T0004" and next_thread_id([]) == "T0001"
    assert open_thread_on(threads, Target.parse("org:governance.deputy")) is threads[1]
    assert open_thread_on(threads, Target.parse("checklist:api-connection/EL-01")) is None


def test_the_banks_ok_without_a_question_settles_a_thread() -> None:
    threads = threads_from_history([message(1, "T0001", "comment", "bank", verdict="ok")])
    assert threads[0].state == State.CLOSED


def test_entries_that_are_not_thread_messages_are_ignored() -> None:
    broken = [
        {"action": "comment", "after": "text"},
        {"action": "comment", "after": {"thread": "X1", "target": "IAM-01", "kind": "question", "side": "bank"}},
        message(1, "T0001", "shout", "bank"),
        message(2, "T0001", "question", "bank", verdict="maybe"),
        {**message(3, "T0001", "question", "bank"), "action": "set"},
    ]
    assert threads_from_history(broken) == []


# --- the use cases ----------------------------------------------------------------------------------------


@pytest.fixture
def store(catalog: Catalog) -> MemoryStore:
    memory = MemoryStore()
    usecases.init(memory, catalog, load_profile(Path("example:household-budget")), "Contract KK", ACTOR)
    head = memory.history()[-1]
    memory.commit(
        ChangeSet(
            action="submit",
            after={"id": SUBMISSION, "sequence": 1, "history": {"entries": 1, "hash": head["hash"]}, "previous": None},
            message=SUBMISSION,
        ),
        expected_version=head["hash"],
        actor=ACTOR,
    )
    return memory


@pytest.fixture
def checklists(catalog: Catalog) -> dict[str, Any]:
    path = builtin_path("api-connection")
    assert path is not None
    return {"api-connection": load_checklist(path, catalog)}


def incoming(*found: IncomingComment, sha: str = "ab" * 32) -> Incoming:
    return Incoming(SUBMISSION, "〇〇銀行", "山田", found, sha, "yaml", "c.yaml")


def test_an_import_logs_one_entry_per_comment_and_a_second_import_adds_nothing(
    store: MemoryStore, catalog: Catalog, checklists: dict[str, Any]
) -> None:
    before = len(store.history())
    sent = incoming(
        IncomingComment("IAM-01", "鍵の管理者は？", Verdict.ASK, where="c.yaml:6:5", index=0),
        IncomingComment("checklist:api-connection/EL-01", "", Verdict.OK, where="c.yaml:9:5", index=1),
        IncomingComment("IAM-01", "追記", where="c.yaml:11:5", index=2),
    )
    done = comments.import_comments(store, catalog, ACTOR, sent, checklists)
    assert (done.new, done.updated, done.duplicates, done.already) == (("T0001", "T0002"), (), 0, False)
    entries = store.history()[before:]
    assert [(e["action"], e["item"], e["message"]) for e in entries] == [
        ("comment", "IAM-01", "T0001: 鍵の管理者は？"),
        ("comment", None, "T0002"),
        ("comment", "IAM-01", "T0001: 追記"),
    ]
    assert entries[0]["after"] == {
        "thread": "T0001",
        "kind": "question",
        "target": "IAM-01",
        "refs": [],
        "submission": SUBMISSION,
        "author": "山田",
        "side": "bank",
        "bank": "〇〇銀行",
        "verdict": "ask",
        "source": {"sha256": "ab" * 32, "format": "yaml", "index": 0},
        "text": "鍵の管理者は？",
    }
    assert entries[1]["after"]["kind"] == "comment"
    assert entries[1]["after"]["refs"] == [
        "org:eligibility.registration_kind",
        "org:eligibility.registration",
        "org:eligibility.registered_on",
    ]
    assert {e["state"] == store.history()[before - 1]["state"] for e in entries} == {True}  # no part changed
    again = comments.import_comments(store, catalog, ACTOR, sent, checklists)
    assert (again.already, again.duplicates, len(store.history())) == (True, 3, before + 3)
    resaved = comments.import_comments(store, catalog, ACTOR, incoming(*sent.comments, sha="cd" * 32), checklists)
    assert resaved.already  # the same words on the same targets, from a file saved again


def test_an_import_is_refused_whole_with_a_problem_per_comment(
    store: MemoryStore, catalog: Catalog, checklists: dict[str, Any]
) -> None:
    before = len(store.history())
    sent = incoming(
        IncomingComment("IAM-01", "fine", where="c.yaml:6:5"),
        IncomingComment("ZZZ-99", "?", where="c.yaml:7:5"),
        IncomingComment("org:governance.nothing", "?", where="c.yaml:8:5"),
        IncomingComment("checklist:api-connection/EL-99", "?", where="c.yaml:9:5"),
        IncomingComment("checklist:my-bank/A-1", "?", where="c.yaml:10:5"),
        IncomingComment(None, "?", thread="T0042", where="c.yaml:11:5"),
    )
    with pytest.raises(comments.CommentsRefused) as caught:
        comments.import_comments(store, catalog, ACTOR, sent, checklists)
    assert [(p.where, p.code) for p in caught.value.problems] == [
        ("c.yaml:7:5", "unknown_item"),
        ("c.yaml:8:5", "unknown_fact"),
        ("c.yaml:9:5", "unknown_row"),
        ("c.yaml:10:5", "unknown_checklist"),
        ("c.yaml:11:5", "unknown_thread"),
    ]
    assert str(caught.value.problems[2]) == "c.yaml:9:5: checklist 'api-connection' has no row 'EL-99'"
    assert len(store.history()) == before

    other = Incoming("contract-kk-20990101-9", "b", "r", sent.comments[:1], "ee" * 32, "yaml", "c.yaml", "c.yaml:2:13")
    with pytest.raises(comments.CommentsRefused) as caught:
        comments.import_comments(store, catalog, ACTOR, other, checklists)
    (problem,) = caught.value.problems
    assert (problem.code, problem.params) == (
        "unknown_submission",
        {"submission": "contract-kk-20990101-9", "known": SUBMISSION},
    )
    assert str(problem) == (
        "c.yaml:2:13: the comments are on submission contract-kk-20990101-9, which this workspace's history does "
        f"not record (submissions: {SUBMISSION})"
    )


def test_the_venture_answers_and_closes_and_a_closed_thread_takes_no_more(store: MemoryStore, catalog: Catalog) -> None:
    comments.import_comments(store, catalog, ACTOR, incoming(IncomingComment("IAM-01", "?", Verdict.NO)))
    answered = comments.answer(store, ACTOR, "t0001", "  MFA を全員に強制した  ")
    assert (answered.kind, answered.side, answered.author, answered.text, answered.submission) == (
        Kind.ANSWER,
        Side.VENTURE,
        "venture-cto",
        "MFA を全員に強制した",
        SUBMISSION,
    )
    assert "verdict" not in store.history()[-1]["after"] and "source" not in store.history()[-1]["after"]
    assert comments.threads(store)[0].state == State.ANSWERED
    closed = comments.close(store, ACTOR, "T0001")
    assert (closed.kind, closed.text, store.history()[-1]["message"]) == (Kind.CLOSE, "", "T0001")
    assert comments.threads(store)[0].state == State.CLOSED
    for call, args in ((comments.answer, ("T0001", "more")), (comments.close, ("T0001",))):
        with pytest.raises(InvalidChange) as refused:
            call(store, ACTOR, *args)  # type: ignore[operator]
        assert (refused.value.code, refused.value.params) == ("thread_closed", {"thread": "T0001"})
    with pytest.raises(NotFound) as unknown:
        comments.answer(store, ACTOR, "T0009", "words")
    assert (unknown.value.code, unknown.value.params) == ("unknown_thread", {"thread": "T0009"})
    for text, code in (("   ", "comment_empty"), ("x" * 4001, "comment_too_long"), ("a\x1bb", "comment_control")):
        with pytest.raises(AntaiError) as bad:
            comments.answer(store, ACTOR, "T0001", text)
        assert bad.value.code == code
    # the bank's next comment on the same item starts a new thread
    done = comments.import_comments(store, catalog, ACTOR, incoming(IncomingComment("IAM-01", "again", index=5)))
    assert done.new == ("T0002",)
