"""The database store: the whole use-case contract on OrmStore, then what only a database store has to show
(two writers at once, organisations kept apart, evidence encrypted at rest, PostgreSQL)."""

from __future__ import annotations

import base64
import hashlib
import inspect
import itertools
import os
import threading
from collections.abc import Iterable, Iterator, MutableMapping
from pathlib import Path
from typing import Any

import pytest
from django.db import connection

from antai.app import usecases
from antai.app.ports import Actor, Blob, ChangeSet
from antai.assessment.history import check_chain
from antai.assessment.model import Answer, Status
from antai.assessment.rules import AnswerChange
from antai.assessment.state import Part
from antai.catalog import Catalog
from antai.catalog.yamlsource import SourceError
from antai.errors import AntaiError, Busy, Conflict, Damaged, InvalidChange, NotFound, UnrecordedEdits
from antai.tailoring.profile import Profile, load_profile
from antai.web.orgs.models import Organisation
from antai.web.store import crypto
from antai.web.store.models import Entry, StoredBlob
from antai.web.store.models import Part as PartRow
from antai.web.store.orm import FIELDS, OrmStore, from_data, to_data
from tests.unit import test_app_contract as contract

pytestmark = pytest.mark.django_db

ACTOR = contract.ACTOR
REPO = Path(__file__).resolve().parents[2]
_slugs = itertools.count(1)


def organisation(name: str = "Store KK") -> Any:
    return Organisation.objects.create(name=name, slug=f"org-{next(_slugs)}")


# --- the contract ----------------------------------------------------------------------------------------


class _Parts(MutableMapping[Part, Any]):
    """The contract tests edit MemoryStore.parts by hand, as a person edits a workspace file; here that is an
    edit of the rows behind the store's back (as SQL or the admin would make it). A container set here stays
    the stored value until a change replaces the part, as it does in MemoryStore, so later changes to it count
    as edits too."""

    def __init__(self, store: OrmStore) -> None:
        self.store = store
        self.held: dict[Part, Any] = {}

    def _rows(self) -> Any:
        return PartRow.objects.filter(organisation_id=self.store.organisation.pk)

    def __getitem__(self, part: Part) -> Any:
        if part in self.held:
            return self.held[part]
        row = self._rows().filter(part=part.value).first()
        if row is None:
            raise KeyError(part)
        return from_data(part, row.data)

    def __setitem__(self, part: Part, value: Any) -> None:
        self.held[part] = value
        self._write(part, value)

    def _write(self, part: Part, value: Any) -> None:
        if not self._rows().filter(part=part.value).update(data=to_data(part, value)):
            PartRow.objects.create(
                organisation_id=self.store.organisation.pk, part=part.value, data=to_data(part, value), digest=""
            )

    def __delitem__(self, part: Part) -> None:
        self.held.pop(part, None)
        if not self._rows().filter(part=part.value).delete()[0]:
            raise KeyError(part)

    def __iter__(self) -> Iterator[Part]:
        return iter([Part(p) for p in self._rows().values_list("part", flat=True)])

    def __len__(self) -> int:
        return int(self._rows().count())

    def sync(self) -> None:
        for part, value in self.held.items():
            self._write(part, value)


class _Entries:
    """MemoryStore.entries for the tests that splice in what git's union merge leaves: rows appended by hand."""

    def __init__(self, store: OrmStore) -> None:
        self.store = store

    def append(self, entry: dict[str, Any]) -> None:
        org = self.store.organisation.pk
        position = Entry.objects.filter(organisation_id=org).count() + 1
        Entry.objects.create(organisation_id=org, seq=position, hash=entry["hash"], data=entry)

    def extend(self, entries: Iterable[dict[str, Any]]) -> None:
        for entry in entries:
            self.append(entry)


class EditableOrmStore(OrmStore):
    """OrmStore with MemoryStore's `parts` and `entries`, so that the contract suite runs on it unchanged."""

    def __init__(self, organisation: Any) -> None:
        super().__init__(organisation)
        self.parts = _Parts(self)
        self.entries = _Entries(self)

    def exists(self) -> bool:
        self.parts.sync()
        return super().exists()

    def load(self) -> Any:
        self.parts.sync()
        return super().load()

    def read_lock(self) -> dict[str, Any]:
        self.parts.sync()
        return super().read_lock()

    def commit(self, change: ChangeSet, *, expected_version: str, actor: Actor) -> dict[str, Any]:
        self.parts.sync()
        entry = super().commit(change, expected_version=expected_version, actor=actor)
        for part, name in FIELDS.items():
            if getattr(change, name) is not None:
                self.parts.held.pop(part, None)  # replaced: the test's container is no longer the stored one
        return entry

    def repair(self, discard: bool = False) -> Any:
        self.parts.sync()
        return super().repair(discard)


@pytest.fixture
def profile() -> Profile:
    return load_profile(Path("example:household-budget"))  # the contract suite's profile


@pytest.fixture
def store(catalog: Catalog, profile: Profile) -> EditableOrmStore:
    orm = EditableOrmStore(organisation("Contract KK"))
    usecases.init(orm, catalog, profile, "Contract KK", ACTOR)
    return orm


# every contract test that works on the `store` fixture runs here on the OrmStore above
CONTRACT = sorted(
    name
    for name, test in vars(contract).items()
    if name.startswith("test_") and inspect.isfunction(test) and "store" in inspect.signature(test).parameters
)
globals().update({name: getattr(contract, name) for name in CONTRACT})


# contract tests that make their own store or none: the first two have twins below, the rest test no store
OWN_STORE = {
    "test_init_refuses_a_name_that_is_too_long",
    "test_a_conflict_is_retried_and_then_reported",
    "test_repair_discard_rolls_an_interrupted_change_back",  # a FileStore's journal
    "test_validation_text_names_the_field",
    "test_answers_of_items_outside_the_catalog_go_last_in_id_order",
}


def test_the_whole_contract_suite_is_here() -> None:
    every = {name for name in vars(contract) if name.startswith("test_")}
    assert every - set(CONTRACT) == OWN_STORE and len(CONTRACT) > 30


# the two contract tests that make a store of their own, on OrmStore


def test_init_refuses_a_name_that_is_too_long(catalog: Catalog, profile: Profile) -> None:
    error = contract.refused(usecases.init, OrmStore(organisation()), catalog, profile, "x" * 201, ACTOR)
    assert isinstance(error, InvalidChange) and error.code == "rule"
    assert str(error).startswith("organisation: String should have at most 200 characters")


class FlakyOrmStore(OrmStore):
    """Another writer commits first, ``conflicts`` times."""

    def __init__(self, organisation: Any, conflicts: int) -> None:
        super().__init__(organisation)
        self.conflicts = conflicts

    def commit(self, change: ChangeSet, *, expected_version: str, actor: Actor) -> dict[str, Any]:
        if self.conflicts and change.action != "init":
            self.conflicts -= 1
            raise Conflict("someone else was faster")
        return super().commit(change, expected_version=expected_version, actor=actor)


def test_a_conflict_is_retried_and_then_reported(catalog: Catalog, profile: Profile) -> None:
    racing = FlakyOrmStore(organisation(), conflicts=3)
    usecases.init(racing, catalog, profile, "Race KK", ACTOR)
    usecases.set_answer(racing, catalog, ACTOR, "IAM-01", AnswerChange(status=Status.IMPLEMENTED))
    assert racing.conflicts == 0 and racing.load().assessment.answers["IAM-01"].status == Status.IMPLEMENTED
    hopeless = FlakyOrmStore(organisation(), conflicts=10_000)
    usecases.init(hopeless, catalog, profile, "Race KK", ACTOR)
    with pytest.raises(Conflict) as gave_up:
        usecases.set_answer(hopeless, catalog, ACTOR, "IAM-01", AnswerChange(status=Status.IMPLEMENTED))
    assert gave_up.value.code == "conflict" and hopeless.conflicts == 10_000 - 20
    assert len(hopeless.history()) == 1


# --- what the database store adds --------------------------------------------------------------------------


def test_memory_and_database_write_the_same_history(catalog: Catalog, profile: Profile, tmp_path: Path) -> None:
    from antai.app.memory import MemoryStore

    source = tmp_path / "mfa.csv"
    source.write_bytes(b"user,mfa\nroot,true\n")
    histories = []
    for made in (MemoryStore(), OrmStore(organisation())):
        usecases.init(made, catalog, profile, "Twin KK", ACTOR)
        usecases.set_answer(made, catalog, ACTOR, "IAM-01", AnswerChange(status=Status.IMPLEMENTED, owner="CTO"))
        usecases.add_evidence(made, catalog, ACTOR, "IAM-01", source, note="export")
        usecases.set_organisation(made, catalog, ACTOR, {"governance.security_owner": "CTO Tanaka"})
        histories.append(made.history())
    assert histories[0] == histories[1] and check_chain(histories[1]).ok


def test_no_assessment_yet(catalog: Catalog) -> None:
    empty = OrmStore(organisation())
    assert not empty.exists() and empty.history() == [] and empty.read_lock() == {}
    with pytest.raises(NotFound) as caught:
        empty.load()
    assert caught.value.code == "no_workspace"


def test_a_stale_version_is_a_conflict_and_writes_nothing(catalog: Catalog, profile: Profile) -> None:
    orm = OrmStore(organisation())
    usecases.init(orm, catalog, profile, "Stale KK", ACTOR)
    old = orm.load()
    usecases.set_answer(orm, catalog, ACTOR, "IAM-01", AnswerChange(status=Status.IMPLEMENTED))
    with pytest.raises(Conflict):
        orm.commit(ChangeSet(action="record", message="late"), expected_version=old.version, actor=ACTOR)
    assert len(orm.history()) == 2


def test_a_change_is_all_or_nothing(catalog: Catalog, profile: Profile, tmp_path: Path) -> None:
    orm = OrmStore(organisation())
    usecases.init(orm, catalog, profile, "Atomic KK", ACTOR)
    before = orm.load()
    source = tmp_path / "changed.txt"
    source.write_bytes(b"what the digest was taken of")
    answers = {**before.assessment.answers, "IAM-01": Answer(status=Status.IMPLEMENTED)}
    change = ChangeSet(action="evidence", answers=answers, blobs=(Blob("evidence/files/E0001-x", source, "0" * 64),))
    with pytest.raises(Conflict) as caught:
        orm.commit(change, expected_version=before.version, actor=ACTOR)
    assert caught.value.code == "blob_changed"
    assert orm.load() == before and len(orm.history()) == 1 and not StoredBlob.objects.exists()


def test_an_edit_behind_the_stores_back_must_be_recorded(catalog: Catalog, profile: Profile) -> None:
    orm = OrmStore(organisation())
    usecases.init(orm, catalog, profile, "Edited KK", ACTOR)
    row = PartRow.objects.get(organisation=orm.organisation, part="answers")
    row.data = [
        [item, {**answer, "owner": "Someone"}] if item == "IAM-01" else [item, answer] for item, answer in row.data
    ]
    row.save()
    assert orm.load().unrecorded == ("answers",)
    with pytest.raises(UnrecordedEdits) as caught:
        usecases.set_answer(orm, catalog, ACTOR, "IAM-02", AnswerChange(status=Status.IMPLEMENTED))
    assert caught.value.parts == ["answers"]
    assert [str(n) for n in orm.repair().remaining] == [
        "answers changed outside antai: check with `antai validate`, then `antai record -m …` (or undo the edit "
        "with git)"
    ]
    assert usecases.record(orm, catalog, ACTOR, "owner set in the admin") == {"files": ["answers"]}
    assert orm.load().assessment.answers["IAM-01"].owner == "Someone" and not orm.load().unrecorded


def test_an_unreadable_part_is_a_source_error(catalog: Catalog, profile: Profile) -> None:
    orm = OrmStore(organisation())
    usecases.init(orm, catalog, profile, "Broken KK", ACTOR)
    PartRow.objects.filter(organisation=orm.organisation, part="decisions").update(data=[{"item": 5}])
    with pytest.raises(SourceError) as caught:
        orm.load()
    assert str(caught.value).startswith(f"organisation {orm.organisation.pk}: decisions:1:1: ")
    remaining = [n.code for n in orm.repair().remaining]
    assert remaining == ["unreadable", "unrecorded"]


def test_an_altered_history_is_reported_and_blocks_changes(catalog: Catalog, profile: Profile) -> None:
    orm = OrmStore(organisation())
    usecases.init(orm, catalog, profile, "Tampered KK", ACTOR)
    usecases.set_answer(orm, catalog, ACTOR, "IAM-01", AnswerChange(status=Status.IMPLEMENTED))
    row = Entry.objects.get(organisation=orm.organisation, seq=2)
    row.data = {**row.data, "who": "mallory"}
    row.save()
    report = orm.repair()
    assert (report.completed, report.rolled_back, report.removed, report.joined) == ([], [], [], 0)
    assert [str(n) for n in report.remaining] == [
        "history entry 2 does not match its hash (its content was altered); restore it from git"
    ]
    assert report.remaining[0].params["reason"] == "altered"
    with pytest.raises(Damaged) as caught:
        usecases.set_answer(orm, catalog, ACTOR, "IAM-02", AnswerChange(status=Status.IMPLEMENTED))
    assert caught.value.code == "history_altered" and len(orm.history()) == 2


def test_a_clean_store_needs_no_repair(store: EditableOrmStore) -> None:
    report = store.repair(discard=True)
    assert report == type(report)()


def test_locked_is_reentrant_and_an_inner_failure_rolls_back_alone(catalog: Catalog, profile: Profile) -> None:
    orm = OrmStore(organisation())
    usecases.init(orm, catalog, profile, "Nested KK", ACTOR)
    with orm.locked():
        version = orm.load().version
        with pytest.raises(Conflict):
            orm.commit(ChangeSet(action="record", message="m"), expected_version="stale", actor=ACTOR)
        with orm.locked():
            accepted = ChangeSet(action="record", message="m", accept_unrecorded=True)
            orm.commit(accepted, expected_version=version, actor=ACTOR)
    assert [e["action"] for e in orm.history()] == ["init", "record"]


def test_a_deleted_organisation_cannot_be_locked() -> None:
    gone = OrmStore(Organisation(pk=987_654, name="Gone", slug="gone"))
    with pytest.raises(NotFound) as caught, gone.locked():
        pass
    assert caught.value.code == "no_organisation"


# --- two writers ----------------------------------------------------------------------------------------------


def _in_threads(*work: Any) -> list[Any]:
    """Run each callable in a thread of its own, all released at once; their results or exceptions."""
    start = threading.Barrier(len(work))
    results: list[Any] = [None] * len(work)

    def run(n: int) -> None:
        try:
            start.wait()
            results[n] = work[n]()
        except Exception as exc:  # the test looks at it
            results[n] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(n,)) for n in range(len(work))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    return results


@pytest.mark.django_db(transaction=True)
def test_two_writers_on_one_snapshot_one_wins(catalog: Catalog, profile: Profile) -> None:
    org = organisation("Race KK")
    usecases.init(OrmStore(org), catalog, profile, "Race KK", ACTOR)
    snapshot = OrmStore(org).load()

    def writer(item: str) -> Any:
        answers = {**snapshot.assessment.answers, item: Answer(status=Status.IMPLEMENTED)}
        change = ChangeSet(action="set", item=item, answers=answers)
        return OrmStore(org).commit(change, expected_version=snapshot.version, actor=ACTOR)

    results = _in_threads(lambda: writer("IAM-01"), lambda: writer("IAM-02"))
    won = [r for r in results if isinstance(r, dict)]
    lost = [r for r in results if isinstance(r, Conflict)]
    assert len(won) == 1 and len(lost) == 1, results
    history = OrmStore(org).history()
    assert history[-1] == won[0] and len(history) == 2 and check_chain(history).ok
    answers = OrmStore(org).load().assessment.answers
    assert {answers["IAM-01"].status, answers["IAM-02"].status} == {Status.IMPLEMENTED, Status.UNANSWERED}
    assert answers[won[0]["item"]].status == Status.IMPLEMENTED


@pytest.mark.django_db(transaction=True)
def test_concurrent_use_cases_lose_nothing(catalog: Catalog, profile: Profile) -> None:
    org = organisation("Busy KK")
    usecases.init(OrmStore(org), catalog, profile, "Busy KK", ACTOR)
    items = ["IAM-01", "IAM-02", "IAM-03", "LOG-01"]

    def setter(item: str) -> Any:
        return lambda: usecases.set_answer(
            OrmStore(org), catalog, ACTOR, item, AnswerChange(status=Status.IMPLEMENTED, owner="CTO")
        )

    results = _in_threads(*(setter(i) for i in items))
    assert not [r for r in results if isinstance(r, BaseException)], results
    history = OrmStore(org).history()
    assert len(history) == 1 + len(items) and check_chain(history).ok
    assert sorted(e["item"] for e in history[1:]) == items
    answers = OrmStore(org).load().assessment.answers
    assert all(answers[i].status == Status.IMPLEMENTED for i in items) and not OrmStore(org).load().unrecorded


@pytest.mark.django_db(transaction=True)
def test_a_writer_that_waits_too_long_is_told_busy(catalog: Catalog, profile: Profile) -> None:
    org = organisation("Slow KK")
    usecases.init(OrmStore(org), catalog, profile, "Slow KK", ACTOR)
    holding, release = threading.Event(), threading.Event()

    def hold() -> None:
        with OrmStore(org).locked():
            holding.set()
            release.wait(30)

    def wait() -> Any:
        holding.wait(30)
        waiter = OrmStore(org, lock_timeout=0.2)
        try:
            if connection.vendor == "sqlite":
                connection.ensure_connection()
                connection.connection.execute("PRAGMA busy_timeout = 200")
            with waiter.locked():
                return "got it"
        finally:
            release.set()

    results = _in_threads(hold, wait)
    assert isinstance(results[1], Busy) and results[1].code == "busy", results
    assert results[0] is None


# --- organisations apart ----------------------------------------------------------------------------------------


def test_one_organisation_never_sees_another(catalog: Catalog, profile: Profile, tmp_path: Path) -> None:
    a, b = OrmStore(organisation("A KK")), OrmStore(organisation("B KK"))
    usecases.init(a, catalog, profile, "A KK", ACTOR)
    source = tmp_path / "a-only.txt"
    source.write_bytes(b"A's evidence")
    record = usecases.add_evidence(a, catalog, ACTOR, "IAM-01", source)
    usecases.set_answer(a, catalog, ACTOR, "IAM-02", AnswerChange(status=Status.IMPLEMENTED))
    assert not b.exists() and b.history() == [] and b.read_lock() == {}
    with pytest.raises(NotFound):
        b.blob_bytes(str(record.path))
    usecases.init(b, catalog, profile, "B KK", ACTOR)
    seen = b.load()
    assert seen.assessment.meta.organisation == "B KK" and seen.assessment.evidence == []
    assert seen.assessment.answers["IAM-02"].status == Status.UNANSWERED and len(b.history()) == 1
    assert b.history()[0]["after"]["organisation"] == "B KK" and len(a.history()) == 3
    with pytest.raises(NotFound):
        b.blob_bytes(str(record.path))
    assert a.blob_bytes(str(record.path)) == b"A's evidence"
    # B's changes leave A as it was
    usecases.set_answer(b, catalog, ACTOR, "IAM-01", AnswerChange(status=Status.PARTIAL, due=contract.TODAY))
    assert a.load().assessment.answers["IAM-01"].status == Status.UNANSWERED and not a.load().unrecorded


# --- evidence at rest --------------------------------------------------------------------------------------------

SECRET = b"account,password\nroot,correct horse battery staple\n" * 8


@pytest.fixture
def sealed(catalog: Catalog, profile: Profile, tmp_path: Path) -> tuple[OrmStore, str]:
    orm = OrmStore(organisation("Sealed KK"))
    usecases.init(orm, catalog, profile, "Sealed KK", ACTOR)
    source = tmp_path / "secret.csv"
    source.write_bytes(SECRET)
    record = usecases.add_evidence(orm, catalog, ACTOR, "IAM-01", source)
    return orm, str(record.path)


def test_evidence_is_encrypted_at_rest(sealed: tuple[OrmStore, str]) -> None:
    orm, key = sealed
    row = StoredBlob.objects.get(organisation=orm.organisation, key=key)
    stored = bytes(row.ciphertext) + bytes(row.nonce) + bytes(row.wrapped_key)
    assert b"correct horse" not in stored and SECRET[:16] not in stored
    assert len(bytes(row.nonce)) == 12 and len(bytes(row.wrapped_key)) == 40  # a wrapped 256-bit key
    assert len(bytes(row.ciphertext)) == len(SECRET) + 16 and row.size == len(SECRET)
    assert orm.blob_bytes(key) == SECRET


def test_every_file_has_its_own_data_key(sealed: tuple[OrmStore, str], catalog: Catalog, tmp_path: Path) -> None:
    orm, _ = sealed
    again = tmp_path / "again.csv"
    again.write_bytes(SECRET)
    usecases.add_evidence(orm, catalog, ACTOR, "IAM-02", again)
    first, second = StoredBlob.objects.filter(organisation=orm.organisation).order_by("key")
    assert first.sha256 == second.sha256
    assert bytes(first.wrapped_key) != bytes(second.wrapped_key) and bytes(first.nonce) != bytes(second.nonce)
    assert bytes(first.ciphertext) != bytes(second.ciphertext)


def _flip(data: bytes, at: int = 0) -> bytes:
    return data[:at] + bytes([data[at] ^ 1]) + data[at + 1 :]


@pytest.mark.parametrize(
    ("column", "tamper"),
    [
        ("ciphertext", lambda v: _flip(v)),
        ("ciphertext", lambda v: _flip(v, -1)),  # the tag
        ("ciphertext", lambda v: v[:-1]),
        ("nonce", lambda v: _flip(v)),
        ("nonce", lambda v: v + b"\0"),
        ("wrapped_key", lambda v: _flip(v, 20)),
        ("wrapped_key", lambda v: v[:32]),
        ("sha256", lambda v: "0" * 64),
        ("size", lambda v: v + 1),
    ],
)
def test_tampering_with_any_column_fails_loudly(sealed: tuple[OrmStore, str], column: str, tamper: Any) -> None:
    orm, key = sealed
    row = StoredBlob.objects.get(organisation=orm.organisation, key=key)
    value = getattr(row, column)
    setattr(row, column, tamper(bytes(value) if isinstance(value, bytes | memoryview) else value))
    row.save()
    with pytest.raises(crypto.BlobUnreadable) as caught:
        orm.blob_bytes(key)
    assert isinstance(caught.value, Damaged) and caught.value.code == "blob_unreadable"
    assert str(caught.value).startswith(f"evidence {key} cannot be read back: ")


def test_a_blob_moved_to_another_key_or_organisation_does_not_open(sealed: tuple[OrmStore, str]) -> None:
    orm, key = sealed
    row = StoredBlob.objects.get(organisation=orm.organisation, key=key)
    other = OrmStore(organisation("Thief KK"))
    copy = {f: getattr(row, f) for f in ("key", "sha256", "size", "nonce", "wrapped_key", "ciphertext")}
    StoredBlob.objects.create(organisation=other.organisation, **copy)
    with pytest.raises(crypto.BlobUnreadable):
        other.blob_bytes(key)
    StoredBlob.objects.create(organisation=orm.organisation, **{**copy, "key": "evidence/files/E0099-renamed.csv"})
    with pytest.raises(crypto.BlobUnreadable):
        orm.blob_bytes("evidence/files/E0099-renamed.csv")
    assert orm.blob_bytes(key) == SECRET


def test_another_master_key_does_not_open(sealed: tuple[OrmStore, str], monkeypatch: pytest.MonkeyPatch) -> None:
    orm, key = sealed
    monkeypatch.setenv(crypto.KEY_ENV, base64.urlsafe_b64encode(os.urandom(32)).decode())
    with pytest.raises(crypto.BlobUnreadable) as caught:
        orm.blob_bytes(key)
    assert caught.value.params["reason"] == "its data key does not unwrap"


def test_the_master_key_file_is_made_once_and_private(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(crypto.KEY_ENV, raising=False)
    folder = tmp_path / "data"
    first = crypto.master_key(folder)
    path = folder / crypto.KEY_FILE
    assert len(first) == 32 and (path.stat().st_mode & 0o777) == 0o600
    assert crypto.master_key(folder) == first
    # the default data folder is the settings' one, and its key is private too
    from django.conf import settings

    crypto.master_key()
    assert (Path(settings.DATA) / crypto.KEY_FILE).stat().st_mode & 0o777 == 0o600


def test_the_master_key_from_the_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    key = os.urandom(32)
    monkeypatch.setenv(crypto.KEY_ENV, base64.urlsafe_b64encode(key).decode())
    assert crypto.master_key(tmp_path) == key and not (tmp_path / crypto.KEY_FILE).exists()
    for bad in ("not base64!", base64.urlsafe_b64encode(os.urandom(16)).decode()):
        monkeypatch.setenv(crypto.KEY_ENV, bad)
        with pytest.raises(AntaiError) as caught:
            crypto.master_key(tmp_path)
        assert caught.value.code == "bad_master_key" and bad not in str(caught.value)


def test_seal_refuses_a_wrong_digest_and_unseal_checks_the_plaintext() -> None:
    master = os.urandom(32)
    with pytest.raises(AntaiError) as caught:
        crypto.seal(b"abc", organisation=1, key="k", sha256="0" * 64, master=master)
    assert caught.value.code == "blob_changed"
    digest = hashlib.sha256(b"abc").hexdigest()
    box = crypto.seal(b"abc", organisation=1, key="k", sha256=digest, master=master)
    assert crypto.unseal(box, organisation=1, key="k", sha256=digest, master=master) == b"abc"
    for moved in ({"organisation": 2, "key": "k"}, {"organisation": 1, "key": "k2"}):
        with pytest.raises(crypto.BlobUnreadable):
            crypto.unseal(box, sha256=digest, master=master, **moved)  # type: ignore[arg-type]


def test_an_unknown_blob_is_not_found(sealed: tuple[OrmStore, str]) -> None:
    orm, _ = sealed
    with pytest.raises(NotFound) as caught:
        orm.blob_bytes("evidence/files/E0404-none")
    assert caught.value.code == "no_blob"


# --- PostgreSQL ---------------------------------------------------------------------------------------------------


def test_the_tests_run_on_the_configured_database() -> None:
    url = os.environ.get("DATABASE_URL", "")
    assert connection.vendor == ("postgresql" if url.startswith(("postgres", "postgresql")) else "sqlite")
