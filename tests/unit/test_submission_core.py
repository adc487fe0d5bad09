"""The submission core without the CLI: keys and fingerprints, the manifest and its signature, sealing and
verifying a bundle (every problem code), and the submit use case over the in-memory store."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from antai.app import usecases
from antai.app.memory import MemoryStore
from antai.app.ports import Actor
from antai.assessment.history import dump_line, entry_hash
from antai.assessment.model import Status
from antai.assessment.rules import AnswerChange
from antai.assessment.signoff import SignOffRole
from antai.catalog import Catalog
from antai.errors import InvalidChange
from antai.submission import keys
from antai.submission.bundle import Content, TrustedKey, seal, verify_bundle
from antai.submission.manifest import (
    HISTORY,
    SIGNER,
    HistoryHead,
    PreviousSubmission,
    SignOffEntry,
    canonical,
    slug,
    submission_id,
    unsafe_path,
)
from antai.tailoring.profile import load_profile

NOW = dt.datetime(2026, 12, 1, 3, 0, tzinfo=dt.UTC)
KEY = keys.generate()
OTHER = keys.generate()


# --- keys --------------------------------------------------------------------------------------------------


def test_a_key_round_trips_as_pem_with_and_without_a_passphrase() -> None:
    plain = keys.private_pem(KEY)
    assert plain.startswith(b"-----BEGIN PRIVATE KEY-----")
    assert keys.fingerprint(keys.load_private(plain).public_key()) == keys.fingerprint(KEY.public_key())
    locked = keys.private_pem(KEY, b"correct horse")
    assert b"ENCRYPTED" in locked
    assert keys.fingerprint(keys.load_private(locked, b"correct horse").public_key()) == keys.fingerprint(
        KEY.public_key()
    )
    with pytest.raises(InvalidChange) as missing:
        keys.load_private(locked)
    assert missing.value.code == "key_passphrase"
    with pytest.raises(InvalidChange) as wrong:
        keys.load_private(locked, b"battery staple")
    assert wrong.value.code == "key_passphrase_wrong"


def test_only_ed25519_keys_are_accepted() -> None:
    other = ec.generate_private_key(ec.SECP256R1())
    pem = other.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    with pytest.raises(InvalidChange) as private:
        keys.load_private(pem)
    assert private.value.code == "bad_key"
    public = other.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    with pytest.raises(InvalidChange) as shown:
        keys.load_public(public)
    assert shown.value.code == "bad_key"
    with pytest.raises(InvalidChange):
        keys.load_public(b"not a key")


def test_the_fingerprint_is_the_grouped_sha256_of_the_raw_public_key() -> None:
    import hashlib

    raw = KEY.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    digest = hashlib.sha256(raw).hexdigest()
    shown = keys.fingerprint(KEY.public_key())
    assert shown.replace(":", "") == digest and len(shown.split(":")) == 16
    assert keys.parse_fingerprint(digest.upper()) == shown
    assert keys.parse_fingerprint("SHA256:" + " ".join(shown.split(":"))) == shown
    assert keys.parse_fingerprint(digest[:-1]) is None
    assert keys.parse_fingerprint("zz" * 32) is None
    # the raw base64 form of `antai key show --format base64` loads back as the same key
    assert keys.fingerprint(keys.load_public(keys.public_raw_base64(KEY.public_key()).encode())) == shown
    assert keys.fingerprint(keys.load_public(keys.public_pem(KEY.public_key()))) == shown


# --- manifest ------------------------------------------------------------------------------------------------


def test_submission_ids_are_slug_date_and_sequence() -> None:
    assert submission_id("Acme KK", dt.date(2026, 12, 1), 3) == "acme-kk-20261201-3"
    assert slug("株式会社ミルカ（デモ）") == "org-" + hashlib.sha256("株式会社ミルカ（デモ）".encode()).hexdigest()[:6]
    assert slug("株式会社ミルカ（デモ）") != slug("株式会社ベータ")
    assert slug("Ｍｉｌｋａ Inc.") == "milka-inc"


@pytest.mark.parametrize(
    ("path", "unsafe"),
    [
        ("report/a.html", False),
        ("evidence/E0001-x.csv", False),
        ("../etc/passwd", True),
        ("report/../../x", True),
        ("/etc/passwd", True),
        ("C:/x", True),
        ("report\\x", True),
        ("report//x", True),
        ("./x", True),
        ("", True),
        ("a\nb", True),
    ],
)
def test_paths_that_could_leave_the_bundle_are_unsafe(path: str, unsafe: bool) -> None:
    assert unsafe_path(path) is unsafe


def test_the_canonical_bytes_sort_keys_without_spaces_in_utf8() -> None:
    assert canonical({"b": 1, "a": "日本"}) == '{"a":"日本","b":1}'.encode()


# --- sealing and verifying ------------------------------------------------------------------------------


def _store(catalog: Catalog) -> MemoryStore:
    store = MemoryStore()
    usecases.init(store, catalog, load_profile(Path("example:household-budget")), "Acme KK", Actor("cto", NOW))
    return store


def _writer(out: Path, key: keys.Ed25519PrivateKey = KEY) -> Any:
    """A minimal bundle writer: one report, the history, the signer's key, sealed."""

    def write(draft: usecases.SubmissionDraft) -> dict[str, Any]:
        folder = out / draft.id
        (folder / "report").mkdir(parents=True)
        (folder / "report" / "bank-report.ja.json").write_text(json.dumps({"id": draft.id}), encoding="utf-8")
        with (folder / HISTORY).open("w", encoding="utf-8") as handle:
            handle.writelines(dump_line(e) for e in draft.history)
        (folder / SIGNER).write_bytes(keys.public_pem(key.public_key()))
        previous = draft.previous
        seal(
            folder,
            [
                Content("report/bank-report.ja.json", "report", "json"),
                Content(HISTORY, "history"),
                Content(SIGNER, "signer"),
            ],
            key,
            id=draft.id,
            sequence=draft.sequence,
            created=draft.created,
            organisation=draft.snapshot.assessment.meta.organisation,
            catalog_version="0.2.0",
            audience="bank",
            lang="ja",
            history=HistoryHead(entries=len(draft.history), hash=draft.snapshot.version),
            previous=PreviousSubmission(
                id=previous.id,
                sequence=previous.sequence,
                history=HistoryHead(entries=previous.entries, hash=previous.hash),
            )
            if previous
            else None,
            evidence=[],
            signoffs=[SignOffEntry(role=s.role.value, name=s.name, title=s.title, date=s.date) for s in draft.signoffs],
        )
        return {"bundle": str(folder)}

    return write


def _submit(store: MemoryStore, catalog: Catalog, actor: Actor, write: Any) -> Any:
    """Both sign-offs, then the submission (what a venture does before each one)."""
    usecases.sign_off(store, catalog, actor, SignOffRole.REPRESENTATIVE, "佐藤 健", "代表取締役")
    usecases.sign_off(store, catalog, actor, SignOffRole.SECURITY_OWNER, "田中 一郎")
    return usecases.submit(store, catalog, actor, write)


def _codes(folder: Path, previous: Path | None = None, trusted: TrustedKey | None = None) -> list[str]:
    verdict = verify_bundle(folder, trusted or TrustedKey.of(KEY.public_key()), previous)
    return [p.code for p in verdict.problems]


@pytest.fixture
def two(catalog: Catalog, tmp_path: Path) -> tuple[MemoryStore, Path, Path]:
    """Two submissions of one assessment, with a change between them."""
    store = _store(catalog)
    first, _ = _submit(store, catalog, Actor("cto", NOW), _writer(tmp_path))
    usecases.set_answer(
        store, catalog, Actor("cto", NOW + dt.timedelta(days=90)), "IAM-01", AnswerChange(status=Status.IMPLEMENTED)
    )
    second, _ = _submit(store, catalog, Actor("cto", NOW + dt.timedelta(days=91)), _writer(tmp_path))
    return store, tmp_path / first.id, tmp_path / second.id


def test_the_use_case_numbers_and_chains_submissions_and_records_them(
    two: tuple[MemoryStore, Path, Path],
) -> None:
    store, first, second = two
    assert (first.name, second.name) == ("acme-kk-20261201-1", "acme-kk-20270302-2")
    recorded = usecases.submissions(store.history())
    # init and two sign-offs; then the submission, a change and two new sign-offs
    assert [(r.id, r.sequence, r.entries) for r in recorded] == [(first.name, 1, 3), (second.name, 2, 7)]
    entry = store.history()[-1]
    assert entry["action"] == "submit" and entry["at"] == "2027-03-02T03:00:00+00:00"
    assert entry["after"]["previous"] == first.name and entry["after"]["bundle"] == str(second)
    manifest = json.loads((second / "manifest.json").read_text("utf-8"))
    assert manifest["created"] == "2027-03-02T03:00:00Z"  # the injected clock, not the machine's
    assert manifest["previous"] == {
        "id": first.name,
        "sequence": 1,
        "history": {"entries": 3, "hash": store.history()[2]["hash"]},
    }
    assert manifest["history"] == {"entries": 7, "hash": store.history()[6]["hash"]}


def test_intact_bundles_verify_alone_by_fingerprint_and_against_the_previous(
    two: tuple[MemoryStore, Path, Path],
) -> None:
    _, first, second = two
    assert _codes(first) == [] and _codes(second) == []
    assert _codes(second, first) == []
    assert _codes(second, first / "manifest.json") == []
    assert _codes(second, trusted=TrustedKey(keys.fingerprint(KEY.public_key()))) == []


def test_each_kind_of_tampering_has_its_code(two: tuple[MemoryStore, Path, Path], tmp_path: Path) -> None:
    _, _, second = two

    made: list[Path] = []

    def copy() -> Path:
        made.append(tmp_path / "copies" / str(len(made)))
        shutil.copytree(second, made[-1])
        return made[-1]

    changed = copy()
    report = changed / "report" / "bank-report.ja.json"
    data = bytearray(report.read_bytes())
    data[2] ^= 1
    report.write_bytes(bytes(data))
    assert _codes(changed) == ["hash_mismatch"]

    added = copy()
    (added / "report" / "extra.html").write_text("<p>trust me</p>", encoding="utf-8")
    assert _codes(added) == ["extra_file"]

    removed = copy()
    (removed / "report" / "bank-report.ja.json").unlink()
    assert _codes(removed) == ["missing_file"]

    edited = copy()
    manifest = json.loads((edited / "manifest.json").read_text("utf-8"))
    manifest["organisation"] = "Someone Else KK"
    (edited / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    assert _codes(edited) == ["bad_signature"]

    resigned = copy()
    signature = OTHER.sign(canonical(json.loads((resigned / "manifest.json").read_text("utf-8"))))
    (resigned / "manifest.sig").write_bytes(base64.b64encode(signature))
    assert _codes(resigned) == ["bad_signature"]

    # the bank trusts another key: the bundle is not from who it expects
    assert _codes(second, trusted=TrustedKey.of(OTHER.public_key())) == ["wrong_key"]
    assert _codes(second, trusted=TrustedKey(keys.fingerprint(OTHER.public_key()))) == ["wrong_key"]

    garbled = copy()
    (garbled / "manifest.json").write_text("{not json", encoding="utf-8")
    assert _codes(garbled) == ["malformed_manifest"]


def _resign(folder: Path, change: Any, key: keys.Ed25519PrivateKey = KEY) -> None:
    """What a venture holding its own key can do: edit the bundle, fix the manifest, sign it again."""
    import hashlib

    manifest = json.loads((folder / "manifest.json").read_text("utf-8"))
    change(manifest)
    for entry in manifest["files"]:
        path = folder / entry["path"]
        if path.is_file():
            entry["size"] = path.stat().st_size
            entry["sha256"] = hashlib.sha256(path.read_bytes()).hexdigest()
    (folder / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    (folder / "manifest.sig").write_bytes(base64.b64encode(key.sign(canonical(manifest))))


def _rewrite_history(folder: Path, line: int, field: str, value: Any) -> list[dict[str, Any]]:
    """Change one entry and recompute the whole chain after it (the backdating attack of the review)."""
    entries = [json.loads(x) for x in (folder / HISTORY).read_text("utf-8").splitlines()]
    entries[line][field] = value
    previous = entries[line - 1]["hash"] if line else "0" * 64
    for entry in entries[line:]:
        entry["prev"] = previous
        entry["hash"] = entry_hash(entry)
        previous = entry["hash"]
    (folder / HISTORY).write_text("".join(dump_line(e) for e in entries), encoding="utf-8")
    return entries


def test_a_history_backdated_before_the_previous_head_fails_continuity(
    two: tuple[MemoryStore, Path, Path], tmp_path: Path
) -> None:
    _, first, second = two
    naive = tmp_path / "naive"
    shutil.copytree(second, naive)
    entries = _rewrite_history(naive, 0, "at", "2026-06-01T03:00:00+00:00")

    def head_only(manifest: dict[str, Any]) -> None:
        manifest["history"]["hash"] = entries[-1]["hash"]

    _resign(naive, head_only)
    # the chain itself recomputes; the previous submission's head is what it can no longer contain
    assert _codes(naive) == ["history_not_continued"]
    assert _codes(naive, first) == ["history_not_continued"]

    thorough = tmp_path / "thorough"
    shutil.copytree(second, thorough)
    entries = _rewrite_history(thorough, 0, "at", "2026-06-01T03:00:00+00:00")

    def everything(manifest: dict[str, Any]) -> None:
        manifest["history"]["hash"] = entries[-1]["hash"]
        manifest["previous"]["history"]["hash"] = entries[2]["hash"]

    _resign(thorough, everything)
    assert _codes(thorough) == []  # consistent in itself: only the bank's copy of the previous bundle shows it
    assert sorted(_codes(thorough, first)) == ["history_not_continued", "previous_mismatch"]


def test_deleting_history_entries_is_seen(two: tuple[MemoryStore, Path, Path], tmp_path: Path) -> None:
    _, first, second = two
    cut = tmp_path / "cut"
    shutil.copytree(second, cut)
    lines = (cut / HISTORY).read_text("utf-8").splitlines(keepends=True)
    (cut / HISTORY).write_text("".join(lines[:-1]), encoding="utf-8")
    assert sorted(_codes(cut)) == ["hash_mismatch", "history_head_mismatch"]

    # re-signed over the shorter history, a bundle that drops the entries up to the previous head
    gone = tmp_path / "gone"
    shutil.copytree(second, gone)
    (gone / HISTORY).write_text("", encoding="utf-8")

    def forget(manifest: dict[str, Any]) -> None:
        manifest["history"] = {"entries": 0, "hash": "0" * 64}
        manifest["previous"] = None

    _resign(gone, forget)
    assert _codes(gone, first) == ["history_head_mismatch", "previous_mismatch", "history_not_continued"]


def test_unsafe_paths_in_a_manifest_are_refused_without_being_opened(
    two: tuple[MemoryStore, Path, Path], tmp_path: Path
) -> None:
    _, _, second = two
    secret = tmp_path / "secret.txt"
    secret.write_text("outside the bundle", encoding="utf-8")
    bad = tmp_path / "bundles" / "bad"
    shutil.copytree(second, bad)

    def escape(manifest: dict[str, Any]) -> None:
        manifest["files"].append({"path": "../../secret.txt", "size": 18, "sha256": "0" * 64, "role": "other"})
        manifest["files"].append({"path": "/etc/passwd", "size": 1, "sha256": "0" * 64, "role": "other"})

    _resign(bad, escape)
    assert _codes(bad) == ["unsafe_path", "unsafe_path"]

    linked = tmp_path / "bundles" / "linked"
    shutil.copytree(second, linked)
    (linked / "report" / "bank-report.ja.json").unlink()
    (linked / "report" / "bank-report.ja.json").symlink_to(secret)
    assert _codes(linked) == ["unsafe_path"]


def test_submit_refuses_a_history_rewritten_since_the_last_submission(catalog: Catalog, tmp_path: Path) -> None:
    store = _store(catalog)
    _submit(store, catalog, Actor("cto", NOW), _writer(tmp_path))
    first = store.entries[0]
    first["at"] = "2026-06-01T03:00:00+00:00"
    previous = "0" * 64
    for entry in store.entries:
        entry["prev"] = previous
        entry["hash"] = entry_hash(entry)
        previous = entry["hash"]
    with pytest.raises(InvalidChange) as refused:
        _submit(store, catalog, Actor("cto", NOW), _writer(tmp_path / "again"))
    assert refused.value.code == "history_rewritten"
    assert not (tmp_path / "again").exists()


def test_submit_refuses_a_broken_history(catalog: Catalog, tmp_path: Path) -> None:
    store = _store(catalog)
    store.entries[0]["who"] = "someone else"  # altered without recomputing its hash
    with pytest.raises(InvalidChange) as refused:
        usecases.submit(store, catalog, Actor("cto", NOW), _writer(tmp_path), unsigned=True)
    assert refused.value.code == "history_unverified"
    with pytest.raises(InvalidChange) as refused:  # nor can anyone sign off a history that does not verify
        usecases.sign_off(store, catalog, Actor("cto", NOW), SignOffRole.REPRESENTATIVE, "佐藤 健")
    assert refused.value.code == "history_unverified"


def test_submit_needs_both_signoffs_given_after_the_last_change(catalog: Catalog, tmp_path: Path) -> None:
    store = _store(catalog)
    actor = Actor("cto", NOW)
    with pytest.raises(InvalidChange) as refused:
        usecases.submit(store, catalog, actor, _writer(tmp_path))
    assert refused.value.code == "signoff_missing"
    assert refused.value.params["roles"] == ["representative", "security_owner"]
    usecases.sign_off(store, catalog, actor, SignOffRole.REPRESENTATIVE, "佐藤 健", "代表取締役")
    usecases.sign_off(store, catalog, actor, SignOffRole.SECURITY_OWNER, "田中 一郎")
    usecases.set_answer(store, catalog, actor, "IAM-01", AnswerChange(status=Status.IMPLEMENTED))
    with pytest.raises(InvalidChange) as refused:  # the change ended both sign-offs
        usecases.submit(store, catalog, actor, _writer(tmp_path))
    assert refused.value.params["roles"] == ["representative", "security_owner"]
    usecases.sign_off(store, catalog, actor, SignOffRole.SECURITY_OWNER, "田中 一郎")
    with pytest.raises(InvalidChange) as refused:
        usecases.submit(store, catalog, actor, _writer(tmp_path))
    assert refused.value.params["roles"] == ["representative"]
    usecases.sign_off(store, catalog, actor, SignOffRole.REPRESENTATIVE, "佐藤 健", "代表取締役")
    draft, recorded = usecases.submit(store, catalog, actor, _writer(tmp_path))
    assert [(s.role.value, s.name, s.title) for s in draft.signoffs] == [
        ("representative", "佐藤 健", "代表取締役"),
        ("security_owner", "田中 一郎", None),
    ]
    assert recorded["signoffs"] == [
        {"role": "representative", "name": "佐藤 健", "title": "代表取締役", "date": NOW.date().isoformat()},
        {"role": "security_owner", "name": "田中 一郎", "title": None, "date": NOW.date().isoformat()},
    ]
    # a submission ends them too: the next one needs new sign-offs, unless it is an unsigned draft
    with pytest.raises(InvalidChange):
        usecases.submit(store, catalog, actor, _writer(tmp_path / "next"))
    draft, recorded = usecases.submit(store, catalog, actor, _writer(tmp_path / "next"), unsigned=True)
    assert draft.signoffs == () and recorded["signoffs"] == []


def test_a_signoff_is_refused_for_a_future_date_or_an_empty_name(catalog: Catalog) -> None:
    store = _store(catalog)
    actor = Actor("cto", NOW)
    with pytest.raises(InvalidChange) as refused:
        usecases.sign_off(
            store, catalog, actor, SignOffRole.REPRESENTATIVE, "佐藤 健", day=NOW.date() + dt.timedelta(days=1)
        )
    assert refused.value.code == "signoff_future"
    with pytest.raises(InvalidChange) as refused:
        usecases.sign_off(store, catalog, actor, SignOffRole.REPRESENTATIVE, "   ")
    assert refused.value.code == "signoff_name"
    signed = usecases.sign_off(store, catalog, actor, SignOffRole.REPRESENTATIVE, "  佐藤   健 ", day=NOW.date())
    assert (signed.name, signed.date) == ("佐藤 健", NOW.date())
