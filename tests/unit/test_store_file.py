"""The file store's writing: a patched answers.yaml is byte-for-byte what a full render gives, reads back as
the same data, and a hand-edited file keeps its comments."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from antai.app import usecases
from antai.app.ports import Actor
from antai.assessment.model import AnswersFile, Status
from antai.assessment.rules import AnswerChange
from antai.catalog import Catalog
from antai.tailoring.profile import load_profile
from antai.workspace.store import ANSWERS, CANONICAL, FileStore

ACTOR = Actor("tester", dt.datetime(2026, 12, 1, 3, 0, tzinfo=dt.UTC))
ITEMS = ["IAM-01", "IAM-02", "LOG-01", "DAT-04", "DAT-05"]

notes = st.one_of(
    st.sampled_from(["yes", "2026-02-30", "null", "~", "12:30:00", "0o17", "- item", "a: b"]),
    st.text(alphabet=list("ab :#'\"\n-!&*?|>{}[],%@`日本語　\\\t"), min_size=1, max_size=140),
).filter(lambda s: s.strip())


def _fresh(store: FileStore) -> str:
    with store.locked():
        answers = store.load().assessment.answers
    return store._render_fresh(ANSWERS, AnswersFile(answers=answers))


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(changes=st.lists(st.tuples(st.sampled_from(ITEMS), notes, st.sampled_from(["CTO", "SRE 鈴木"])), max_size=4))
def test_patched_answers_equal_a_full_render(tmp_path_factory: object, catalog: Catalog, changes: list) -> None:  # type: ignore[type-arg]
    root = tmp_path_factory.mktemp("ws")  # type: ignore[attr-defined]
    store = FileStore(root / "ws")
    usecases.init(store, catalog, load_profile(Path("example:household-budget")), "Patch KK", ACTOR)
    for item_id, note, owner in changes:
        usecases.set_answer(
            store,
            catalog,
            ACTOR,
            item_id,
            AnswerChange(status=Status.PARTIAL, note=note, owner=owner, due=dt.date(2027, 3, 31)),
        )
        written = store.path(ANSWERS).read_text("utf-8")
        assert written == _fresh(FileStore(store.root))
        back = yaml.safe_load(written)["answers"][item_id]
        assert back["note"] == note.strip() and back["owner"] == owner


def test_the_canonical_record_is_only_a_cache(tmp_path: Path, catalog: Catalog) -> None:
    store = FileStore(tmp_path / "ws")
    usecases.init(store, catalog, load_profile(Path("example:household-budget")), "Cache KK", ACTOR)
    usecases.set_answer(store, catalog, ACTOR, "IAM-01", AnswerChange(status=Status.IMPLEMENTED))
    assert ANSWERS in store.path(CANONICAL).read_text("utf-8")
    store.path(CANONICAL).write_text("{not json", encoding="utf-8")
    usecases.set_answer(store, catalog, ACTOR, "IAM-02", AnswerChange(status=Status.IMPLEMENTED))
    assert store.path(ANSWERS).read_text("utf-8") == _fresh(FileStore(store.root))


def test_a_comment_inside_an_entry_survives_a_change_elsewhere_and_to_it(tmp_path: Path, catalog: Catalog) -> None:
    store = FileStore(tmp_path / "ws")
    usecases.init(store, catalog, load_profile(Path("example:household-budget")), "Comment KK", ACTOR)
    path = store.path(ANSWERS)
    text = path.read_text("utf-8").replace("  IAM-01:\n", "  # root: two officers hold the MFA devices\n  IAM-01:\n")
    path.write_text(text, encoding="utf-8")
    usecases.record(store, catalog, ACTOR, "comment")
    usecases.set_answer(store, catalog, ACTOR, "IAM-02", AnswerChange(status=Status.IMPLEMENTED))
    usecases.set_answer(store, catalog, ACTOR, "IAM-01", AnswerChange(status=Status.IMPLEMENTED, owner="CTO"))
    after = path.read_text("utf-8")
    assert "# root: two officers hold the MFA devices\n  IAM-01:\n" in after
    data = yaml.safe_load(after)["answers"]
    assert data["IAM-01"]["owner"] == "CTO" and data["IAM-02"]["status"] == "implemented"
