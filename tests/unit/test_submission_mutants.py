"""The submission core pinned value by value (manifest, sealing, verifying, comparing two submissions), so
that a wrong path, reason, count or limit in what a bank is told fails a test: the survivors of mutation
testing (docs/mutation.md) turned into exact expectations."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
import os
from pathlib import Path
from typing import Any

import pytest

from antai.assessment.history import Head, dump_line, new_entry
from antai.assessment.model import (
    Acceptance,
    Cooperation,
    DecisionKind,
    Eligibility,
    EvidenceRecord,
    Governance,
    Notification,
    NotificationEvent,
    OrganisationFacts,
    Outsourcee,
    Outsourcing,
    ServiceUse,
)
from antai.assessment.state import Assessment
from antai.reports.assessment import ScoreOut, build_report, report_json
from antai.submission import bundle, diff, keys
from antai.submission.bundle import (
    Content,
    Problem,
    TrustedKey,
    Verdict,
    load_manifest,
    read_bounded,
    seal,
    verify_bundle,
)
from antai.submission.diff import (
    BundleRefused,
    CatalogChangeOut,
    DecisionOut,
    ScorePairOut,
    SideOut,
    Submitted,
    compare,
    load_submitted,
)
from antai.submission.manifest import (
    HistoryHead,
    Manifest,
    PreviousSubmission,
    canonical,
    pretty,
    slug,
    unsafe_path,
)
from antai.tailoring.profile import Profile

from .builders import answer, assessment, catalog, evidence, item

KEY = keys.generate()
OTHER = keys.generate()
FP = keys.fingerprint(KEY.public_key())
OTHER_FP = keys.fingerprint(OTHER.public_key())
CREATED = dt.datetime(2026, 12, 1, 3, 0, tzinfo=dt.UTC)
REPORT = "report/bank-report.ja.json"


# --- the manifest --------------------------------------------------------------------------------------


def test_pretty_is_sorted_indented_by_two_unescaped_and_ends_with_a_newline() -> None:
    assert pretty({"b": 1, "a": "日本"}) == '{\n  "a": "日本",\n  "b": 1\n}\n'.encode()
    assert canonical({"b": 1, "a": "日本"}) == '{"a":"日本","b":1}'.encode()


def test_a_slug_cut_at_forty_characters_never_ends_with_a_hyphen() -> None:
    assert slug("a" * 39 + " bcd") == "a" * 39
    assert slug("a" * 38 + " bcd") == "a" * 38 + "-b"
    assert slug("Ａｃｍｅ 株式会社") == "acme"


@pytest.mark.parametrize(
    ("path", "unsafe"),
    [
        ("a" * 300, False),
        ("a" * 301, True),
        ("d/" + "a" * 299, True),
        ("c:evil", True),
        ("Z:evil", True),
        ("my report.pdf", False),
        ("a\x7fb", True),
        ("a\x1fb", True),
    ],
)
def test_the_length_drive_and_control_character_limits_of_a_bundle_path(path: str, unsafe: bool) -> None:
    assert unsafe_path(path) is unsafe


def _manifest(**changes: Any) -> Manifest:
    files = [
        {"path": "history.jsonl", "size": 1, "sha256": "0" * 64, "role": "history"},
        {"path": "report/a.html", "size": 1, "sha256": "1" * 64, "role": "report", "format": "html"},
        {"path": "report/b.json", "size": 1, "sha256": "2" * 64, "role": "report", "format": "json"},
        {"path": "signer.pub", "size": 1, "sha256": "3" * 64, "role": "signer"},
    ]
    data: dict[str, Any] = {
        "schema": "antai.submission/1",
        "id": "acme-20261201-1",
        "sequence": 1,
        "created": CREATED.isoformat(),
        "organisation": "Acme",
        "catalog_version": "0.2.0",
        "audience": "bank",
        "lang": "ja",
        "history": {"entries": 1, "hash": "a" * 64},
        "previous": None,
        "files": files,
        "evidence": [],
        "signer": {"fingerprint": FP},
    }
    return Manifest.model_validate(data | changes)


def test_a_manifest_finds_its_files_by_role_and_format_and_writes_schema_by_its_name() -> None:
    m = _manifest()
    assert m.data()["schema"] == "antai.submission/1"
    assert "manifest_schema" not in m.data()
    found = {
        (role, fmt): (f.path if f else None)
        for role, fmt in [
            ("report", None),
            ("report", "json"),
            ("report", "pdf"),
            ("signer", None),
            ("history", "json"),
            ("evidence", None),
        ]
        for f in [m.file(role, fmt)]
    }
    assert found == {
        ("report", None): "report/a.html",
        ("report", "json"): "report/b.json",
        ("report", "pdf"): None,
        ("signer", None): "signer.pub",
        ("history", "json"): None,
        ("evidence", None): None,
    }


# --- sealing -------------------------------------------------------------------------------------------


def _history(count: int, who: str = "cto") -> list[dict[str, Any]]:
    entries: list[dict[str, Any]] = []
    head = Head.of(None)
    for n in range(count):
        entry = new_entry(head, at=f"2026-11-{n + 1:02d}T00:00:00+00:00", who=who, action="set", state={})
        entries.append(entry)
        head = Head.of(entry)
    return entries


def make_bundle(
    folder: Path,
    *,
    entries: list[dict[str, Any]] | None = None,
    previous: PreviousSubmission | None = None,
    signer: bool = True,
    sequence: int = 1,
    key: keys.Ed25519PrivateKey = KEY,
    head: HistoryHead | None = None,
) -> Manifest:
    """A small real bundle: a JSON report, a nested evidence file, the history, the signer's key, sealed."""
    history = entries if entries is not None else _history(3)
    (folder / "report").mkdir(parents=True)
    (folder / REPORT).write_text('{"id": "r"}', encoding="utf-8")
    (folder / "evidence" / "IAM-01").mkdir(parents=True)
    (folder / "evidence" / "IAM-01" / "proof.txt").write_text("proof", encoding="utf-8")
    (folder / "history.jsonl").write_text("".join(dump_line(e) for e in history), encoding="utf-8")
    contents = [
        Content(REPORT, "report", "json"),
        Content("evidence/IAM-01/proof.txt", "evidence"),
        Content("history.jsonl", "history"),
    ]
    if signer:
        (folder / "signer.pub").write_bytes(keys.public_pem(key.public_key()))
        contents.append(Content("signer.pub", "signer"))
    manifest, _ = seal(
        folder,
        contents,
        key,
        id=f"acme-20261201-{sequence}",
        sequence=sequence,
        created=CREATED,
        organisation="Acme",
        catalog_version="0.2.0",
        audience="bank",
        lang="ja",
        history=head or HistoryHead(entries=len(history), hash=history[-1]["hash"] if history else "0" * 64),
        previous=previous,
        evidence=[],
    )
    return manifest


def test_sealing_hashes_every_file_with_its_role_and_format(tmp_path: Path) -> None:
    m = make_bundle(tmp_path / "b")
    proof = hashlib.sha256(b"proof").hexdigest()
    assert [(f.path, f.size, f.role, f.format) for f in m.files] == [
        ("evidence/IAM-01/proof.txt", 5, "evidence", None),
        ("history.jsonl", (tmp_path / "b" / "history.jsonl").stat().st_size, "history", None),
        (REPORT, 11, "report", "json"),
        ("signer.pub", len(keys.public_pem(KEY.public_key())), "signer", None),
    ]
    assert m.files[0].sha256 == proof
    assert json.loads((tmp_path / "b" / "manifest.json").read_text("utf-8")) == m.data()


def test_sealing_refuses_an_unlisted_file_a_reserved_name_and_an_unsafe_path(tmp_path: Path) -> None:
    folder = tmp_path / "b"
    folder.mkdir()
    (folder / "stray.txt").write_text("x", encoding="utf-8")
    with pytest.raises(ValueError, match=r"^stray\.txt: in the bundle but not listed$"):
        seal(folder, [], KEY)
    (folder / "stray.txt").unlink()
    with pytest.raises(ValueError, match=r"^manifest\.json: not a bundle path$"):
        seal(folder, [Content("manifest.json", "other")], KEY)
    with pytest.raises(ValueError, match=r"^\.\./x: not a bundle path$"):
        seal(folder, [Content("../x", "other")], KEY)


def test_the_walk_skips_only_the_two_reserved_files_and_stops_at_its_limit(tmp_path: Path) -> None:
    make_bundle(tmp_path / "b")
    everything = list(bundle._walk(tmp_path / "b"))
    assert everything == ["history.jsonl", "signer.pub", "evidence/IAM-01/proof.txt", REPORT]
    assert list(bundle._walk(tmp_path / "b", 2)) == ["history.jsonl", "signer.pub"]
    assert list(bundle._walk(tmp_path / "b", 4)) == everything


def test_read_bounded_takes_a_file_of_exactly_the_limit_and_nothing_else(tmp_path: Path) -> None:
    (tmp_path / "ten").write_bytes(b"0123456789")
    assert read_bounded(tmp_path / "ten", 10) == b"0123456789"
    assert read_bounded(tmp_path / "ten", 9) is None
    assert read_bounded(tmp_path, 10**9) is None  # a folder
    assert read_bounded(tmp_path / "nothing", 10) is None
    (tmp_path / "link").symlink_to(tmp_path / "ten")
    assert read_bounded(tmp_path / "link", 10) is None


# --- reading a manifest --------------------------------------------------------------------------------


def _write_manifest(folder: Path, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "manifest.json").write_text(text, encoding="utf-8")
    return folder


def test_why_a_manifest_cannot_be_read_is_exact(tmp_path: Path) -> None:
    good = _manifest().data()
    assert load_manifest(tmp_path / "none")[2] == "missing or not a plain file of at most 8 MiB"
    assert load_manifest(_write_manifest(tmp_path / "a", "[1]"))[2] == "not a JSON object"
    assert load_manifest(_write_manifest(tmp_path / "b", '{"id": 1, "id": 2}'))[2] == "not JSON (duplicate key)"
    assert load_manifest(_write_manifest(tmp_path / "c", "{"))[2] == (
        "not JSON (Expecting property name enclosed in double quotes: line 1 column 2 (char 1))"
    )
    one_error = json.dumps(good | {"sequence": 0})
    manifest, raw, why = load_manifest(_write_manifest(tmp_path / "d", one_error))
    assert (manifest, raw, why) == (None, json.loads(one_error), "sequence: Input should be greater than or equal to 1")
    nested = json.dumps(good | {"history": {"entries": 1, "hash": "x"}})
    assert load_manifest(_write_manifest(tmp_path / "e", nested))[2] == (
        "history.hash: String should match pattern '^[0-9a-f]{64}$'"
    )
    long_name = "k" * 300
    cut = load_manifest(_write_manifest(tmp_path / "f", json.dumps(good | {long_name: 1})))[2]
    assert cut == (long_name + ": Extra inputs are not permitted")[:200]
    fine = load_manifest(_write_manifest(tmp_path / "g", json.dumps(good)))
    assert (fine[0], fine[2]) == (_manifest(), "")
    via_file = load_manifest(tmp_path / "g" / "manifest.json")
    assert via_file[0] == _manifest()


def test_a_manifest_may_list_ten_thousand_files_and_not_one_more(tmp_path: Path) -> None:
    good = _manifest().data()
    files = [{"path": f"f{n}", "size": 0, "sha256": "0" * 64, "role": "other"} for n in range(10_001)]
    at_limit = load_manifest(_write_manifest(tmp_path / "a", json.dumps(good | {"files": files[:10_000]})))
    assert at_limit[2] == "" and at_limit[0] is not None and len(at_limit[0].files) == 10_000
    over = load_manifest(_write_manifest(tmp_path / "b", json.dumps(good | {"files": files})))
    assert (over[0], over[2]) == (None, "more than 10000 files")


# --- verifying -----------------------------------------------------------------------------------------


def _verify(folder: Path, previous: Path | None = None, trusted: TrustedKey | None = None) -> Verdict:
    return verify_bundle(folder, trusted or TrustedKey.of(KEY.public_key()), previous)


SUMMARY = (
    "verified",
    "id",
    "sequence",
    "organisation",
    "created",
    "signer",
    "history",
    "previous",
    "checked_against",
    "files_checked",
    "problems",
)


def _summary(verdict: Verdict) -> dict[str, Any]:
    """The verdict as `antai review verify --format json` prints it (the fields every version has)."""
    data = verdict.as_dict()
    return {k: data[k] for k in SUMMARY}


def test_an_intact_bundle_reports_what_was_checked(tmp_path: Path) -> None:
    m = make_bundle(tmp_path / "b")
    verdict = _verify(tmp_path / "b")
    assert verdict.problems == []
    assert (verdict.manifest, verdict.files_checked, verdict.history_entries, verdict.previous) == (m, 4, 3, None)
    assert _summary(verdict) == {
        "verified": True,
        "id": "acme-20261201-1",
        "sequence": 1,
        "organisation": "Acme",
        "created": "2026-12-01T03:00:00+00:00",
        "signer": FP,
        "history": {"entries": 3, "hash": m.history.hash},
        "previous": None,
        "checked_against": None,
        "files_checked": 4,
        "problems": [],
    }


def test_a_malformed_manifest_is_one_problem_with_its_reason(tmp_path: Path) -> None:
    folder = _write_manifest(tmp_path / "b", json.dumps(_manifest().data() | {"sequence": 0}))
    verdict = _verify(folder)
    assert verdict.problems == [
        Problem(
            "malformed_manifest", "manifest.json", {"reason": "sequence: Input should be greater than or equal to 1"}
        )
    ]
    assert _summary(verdict) == {
        "verified": False,
        "id": None,
        "sequence": None,
        "organisation": None,
        "created": None,
        "signer": None,
        "history": None,
        "previous": None,
        "checked_against": None,
        "files_checked": 0,
        "problems": [
            {
                "code": "malformed_manifest",
                "path": "manifest.json",
                "reason": "sequence: Input should be greater than or equal to 1",
            }
        ],
    }


def test_the_trusted_key_itself_needs_no_signer_file_but_a_fingerprint_does(tmp_path: Path) -> None:
    make_bundle(tmp_path / "b", signer=False)
    pub = KEY.public_key()
    assert TrustedKey.of(pub) == TrustedKey(FP, pub)
    assert _verify(tmp_path / "b").problems == []
    assert _verify(tmp_path / "b", trusted=TrustedKey(FP)).problems == [
        Problem("wrong_key", "signer.pub", {"expected": FP, "found": None})
    ]


def test_a_wrong_or_unreadable_signer_key_names_what_was_found(tmp_path: Path) -> None:
    folder = tmp_path / "b"
    make_bundle(folder)
    by_fingerprint = TrustedKey(FP)
    assert _verify(folder, trusted=TrustedKey.of(OTHER.public_key())).problems == [
        Problem("wrong_key", "manifest.json", {"expected": OTHER_FP, "found": FP})
    ]
    (folder / "signer.pub").write_bytes(keys.public_pem(OTHER.public_key()))
    problems = _verify(folder, trusted=by_fingerprint).problems
    assert problems[0] == Problem("wrong_key", "signer.pub", {"expected": FP, "found": OTHER_FP})
    (folder / "signer.pub").write_bytes(b"not a key")
    assert _verify(folder, trusted=by_fingerprint).problems[0] == Problem(
        "wrong_key", "signer.pub", {"expected": FP, "found": None}
    )
    (folder / "signer.pub").unlink()
    assert _verify(folder, trusted=by_fingerprint).problems == [
        Problem("wrong_key", "signer.pub", {"expected": FP, "found": None}),
        Problem("missing_file", "signer.pub"),
    ]


def test_a_missing_or_garbled_signature_is_a_bad_signature(tmp_path: Path) -> None:
    folder = tmp_path / "b"
    make_bundle(folder)
    signature = (folder / "manifest.sig").read_bytes().strip()
    (folder / "manifest.sig").write_bytes(signature[:20] + b"!" + signature[20:])
    assert _verify(folder).problems == [Problem("bad_signature", "manifest.sig")]
    (folder / "manifest.sig").write_bytes(b"####")
    assert _verify(folder).problems == [Problem("bad_signature", "manifest.sig")]
    (folder / "manifest.sig").write_bytes(base64.b64encode(b"x" * 63))
    assert _verify(folder).problems == [Problem("bad_signature", "manifest.sig")]
    (folder / "manifest.sig").unlink()
    assert _verify(folder).problems == [Problem("bad_signature", "manifest.sig")]


def _resign(folder: Path, change: Any, key: keys.Ed25519PrivateKey = KEY) -> None:
    """What the holder of the key can do: edit the manifest and sign it again."""
    manifest = json.loads((folder / "manifest.json").read_text("utf-8"))
    change(manifest)
    (folder / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    (folder / "manifest.sig").write_bytes(base64.b64encode(key.sign(canonical(manifest))))


def test_each_file_problem_names_the_file_and_what_differs(tmp_path: Path) -> None:
    folder = tmp_path / "b"
    m = make_bundle(folder)
    (folder / REPORT).write_text('{"id": "R"}', encoding="utf-8")  # same size, other bytes
    (folder / "evidence" / "IAM-01" / "proof.txt").write_text("proof!", encoding="utf-8")
    (folder / "extra.txt").write_text("x", encoding="utf-8")
    verdict = _verify(folder)
    assert verdict.problems == [
        Problem("hash_mismatch", "evidence/IAM-01/proof.txt", {"size": 6, "expected_size": 5}),
        Problem(
            "hash_mismatch",
            REPORT,
            {"sha256": hashlib.sha256(b'{"id": "R"}').hexdigest(), "expected": m.file("report", "json").sha256},  # type: ignore[union-attr]
        ),
        Problem("extra_file", "extra.txt"),
    ]
    assert verdict.files_checked == 4


def test_listed_paths_that_are_not_plain_files_inside_the_bundle_are_unsafe(tmp_path: Path) -> None:
    folder = tmp_path / "b"
    make_bundle(folder)

    def listing(manifest: dict[str, Any]) -> None:
        entry = {"size": 0, "sha256": "0" * 64, "role": "other"}
        manifest["files"] += [
            {"path": "evidence/IAM-01/proof.txt/inner", **entry},  # a parent that is a file
            {"path": "evidence/IAM-01/proof.txt/x/y", **entry},  # deeper below a file
            {"path": "gone/inner.txt", **entry},  # a parent that is missing
            {"path": "linked/inner.txt", **entry},  # a parent that is a link
            {"path": "evidence", **entry},  # a folder
            {"path": "history.jsonl", **entry},  # listed twice
            {"path": "manifest.sig", **entry},  # reserved
            {"path": "../outside", **entry},
        ]

    (folder / "linked").symlink_to(folder / "evidence")
    _resign(folder, listing)
    verdict = _verify(folder)
    assert verdict.problems == [
        Problem("unsafe_path", "evidence/IAM-01/proof.txt/inner"),
        Problem("unsafe_path", "evidence/IAM-01/proof.txt/x/y"),
        Problem("missing_file", "gone/inner.txt"),
        Problem("unsafe_path", "linked/inner.txt"),
        Problem("unsafe_path", "evidence"),
        Problem("unsafe_path", "history.jsonl"),
        Problem("unsafe_path", "manifest.sig"),
        Problem("unsafe_path", "../outside"),
        Problem("extra_file", "linked"),
    ]
    assert verdict.files_checked == 9  # the four files, and the five paths checked on the disk


def test_more_files_than_the_limit_are_listed_up_to_it_and_then_counted(tmp_path: Path) -> None:
    folder = tmp_path / "b"
    make_bundle(folder)  # 4 files
    extra = folder / "extra"
    extra.mkdir()
    for n in range(9_996):
        (extra / f"{n:05d}").touch()
    at_limit = _verify(folder).problems
    assert len(at_limit) == 9_996
    assert at_limit[-1] == Problem("extra_file", "extra/09995")
    (extra / "09996").touch()
    over = _verify(folder).problems
    assert len(over) == 9_998
    assert over[-2:] == [
        Problem("extra_file", "extra/09996"),  # the first 10,000 files found are named, then the rest counted
        Problem("extra_file", "…", {"reason": "too_many", "limit": 10_000}),
    ]


def test_history_problems_say_why_and_where(tmp_path: Path) -> None:
    entries = _history(3)
    folder = tmp_path / "b"
    m = make_bundle(folder, entries=entries)

    not_listed = tmp_path / "not-listed"
    make_bundle(not_listed, entries=entries)
    _resign(not_listed, lambda d: d.update(files=[f for f in d["files"] if f["role"] != "history"]))
    verdict = _verify(not_listed)
    assert verdict.problems == [
        Problem("extra_file", "history.jsonl"),
        Problem("history_broken", "history.jsonl", {"reason": "not_listed"}),
    ]
    assert verdict.history_entries is None

    elsewhere = tmp_path / "elsewhere"
    make_bundle(elsewhere, entries=entries)
    (elsewhere / "history.jsonl").rename(elsewhere / "h.jsonl")

    def moved(d: dict[str, Any]) -> None:
        for f in d["files"]:
            if f["role"] == "history":
                f["path"] = "h.jsonl"

    _resign(elsewhere, moved)
    assert _verify(elsewhere).problems == [Problem("history_broken", "history.jsonl", {"reason": "not_listed"})]

    (folder / "history.jsonl").unlink()
    verdict = _verify(folder)
    assert verdict.problems == [Problem("missing_file", "history.jsonl")]  # not also "too large"
    assert verdict.history_entries is None
    assert m.history.entries == 3


def test_a_history_too_large_to_check_says_so(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "b"
    make_bundle(folder)
    size = (folder / "history.jsonl").stat().st_size
    monkeypatch.setattr(bundle, "MAX_HISTORY_BYTES", size - 1)
    assert _verify(folder).problems == [Problem("history_broken", "history.jsonl", {"reason": "too_large"})]
    monkeypatch.setattr(bundle, "MAX_HISTORY_BYTES", size)
    assert _verify(folder).problems == []


def test_a_broken_chain_a_branch_and_a_wrong_head_are_told_apart(tmp_path: Path) -> None:
    entries = _history(3)
    altered = [dict(e) for e in entries]
    altered[1]["who"] = "someone"
    folder = tmp_path / "altered"
    make_bundle(folder, entries=altered)
    assert _verify(folder).problems == [Problem("history_broken", "history.jsonl", {"line": 2, "reason": "altered"})]

    branch = new_entry(Head.of(entries[1]), at="2026-11-09T00:00:00+00:00", who="dev", action="set", state={})
    forked = tmp_path / "forked"
    make_bundle(forked, entries=[*entries, branch])
    assert _verify(forked).problems == [Problem("history_broken", "history.jsonl", {"reason": "branches", "count": 2})]

    wrong = tmp_path / "wrong-head"
    make_bundle(wrong, entries=entries, head=HistoryHead(entries=2, hash=entries[1]["hash"]))
    verdict = _verify(wrong)
    assert verdict.problems == [
        Problem(
            "history_head_mismatch",
            "history.jsonl",
            {"entries": 3, "expected_entries": 2, "hash": entries[2]["hash"], "expected": entries[1]["hash"]},
        )
    ]
    assert verdict.history_entries == 3

    empty = tmp_path / "empty"
    make_bundle(empty, entries=[], head=HistoryHead(entries=1, hash="b" * 64))
    assert _verify(empty).problems == [
        Problem(
            "history_head_mismatch",
            "history.jsonl",
            {"entries": 0, "expected_entries": 1, "hash": None, "expected": "b" * 64},
        )
    ]


def test_a_history_that_is_not_utf8_is_read_and_its_bad_line_named(tmp_path: Path) -> None:
    folder = tmp_path / "b"
    entries = _history(3)
    make_bundle(folder, entries=entries)
    lines = (folder / "history.jsonl").read_bytes().splitlines(keepends=True)
    (folder / "history.jsonl").write_bytes(lines[0] + b"\xff\xfe not text\n" + b"".join(lines[1:]))
    _resign(folder, lambda d: _rehash(folder, d))
    verdict = _verify(folder)
    assert verdict.problems[0] == Problem("history_broken", "history.jsonl", {"line": 2, "reason": "unreadable"})
    assert verdict.history_entries == 4


def _rehash(folder: Path, manifest: dict[str, Any]) -> None:
    for entry in manifest["files"]:
        data = (folder / entry["path"]).read_bytes()
        entry["size"], entry["sha256"] = len(data), hashlib.sha256(data).hexdigest()


def _previous(entries: list[dict[str, Any]], at: int, sequence: int = 1) -> PreviousSubmission:
    return PreviousSubmission(
        id=f"acme-20261201-{sequence}",
        sequence=sequence,
        history=HistoryHead(entries=at, hash=entries[at - 1]["hash"]),
    )


def test_a_named_previous_head_must_be_in_the_history_at_its_place(tmp_path: Path) -> None:
    entries = _history(4)
    ok = tmp_path / "ok"
    make_bundle(ok, entries=entries, previous=_previous(entries, 4), sequence=2)
    assert _verify(ok).problems == []  # the head may be the last entry

    short = tmp_path / "short"
    make_bundle(short, entries=entries[:3], previous=_previous(entries, 4), sequence=2)
    assert _verify(short).problems == [
        Problem("history_not_continued", "history.jsonl", {"previous": "acme-20261201-1", "entries": 4})
    ]
    zero = PreviousSubmission(id="acme-20261201-1", sequence=1, history=HistoryHead(entries=0, hash="c" * 64))
    first = tmp_path / "zero"
    make_bundle(first, entries=entries, previous=zero, sequence=2)
    assert _verify(first).problems == []


def test_checking_against_the_previous_bundle_names_every_mismatch(tmp_path: Path) -> None:
    entries = _history(5)
    old = tmp_path / "old"
    make_bundle(old, entries=entries[:3])
    new = tmp_path / "new"
    make_bundle(new, entries=entries, previous=_previous(entries, 3), sequence=2)
    verdict = _verify(new, old)
    assert (verdict.problems, verdict.previous) == ([], "acme-20261201-1")
    assert verdict.as_dict()["checked_against"] == "acme-20261201-1"
    assert _summary(verdict)["previous"] == {
        "id": "acme-20261201-1",
        "sequence": 1,
        "history": {"entries": 3, "hash": entries[2]["hash"]},
    }

    unnamed = tmp_path / "unnamed"
    make_bundle(unnamed, entries=entries, sequence=2)
    assert _verify(unnamed, old).problems == [
        Problem(
            "previous_mismatch", "manifest.json", {"reason": "names_none", "expected": "acme-20261201-1", "found": None}
        )
    ]
    other = tmp_path / "other"
    named = PreviousSubmission(
        id="acme-20261101-7", sequence=7, history=HistoryHead(entries=3, hash=entries[2]["hash"])
    )
    make_bundle(other, entries=entries, previous=named, sequence=8)
    assert _verify(other, old).problems == [
        Problem(
            "previous_mismatch",
            "manifest.json",
            {"reason": "names_another", "expected": "acme-20261201-1", "found": "acme-20261101-7"},
        )
    ]

    rewritten = tmp_path / "rewritten"
    rechained = _history(5, who="someone")  # the same length, another chain
    make_bundle(rewritten, entries=rechained, previous=_previous(entries, 3), sequence=2)
    # found once, by the bundle's own check of the head it names (the check against the old bundle adds none)
    assert _verify(rewritten, old).problems == [
        Problem("history_not_continued", "history.jsonl", {"previous": "acme-20261201-1", "entries": 3})
    ]
    unnamed_rewritten = tmp_path / "unnamed-rewritten"
    make_bundle(unnamed_rewritten, entries=rechained, sequence=2)
    assert _verify(unnamed_rewritten, old).problems[1:] == [
        Problem("history_not_continued", "history.jsonl", {"previous": "acme-20261201-1", "entries": 3})
    ]


def test_the_previous_bundle_is_read_and_its_signature_checked_too(tmp_path: Path) -> None:
    entries = _history(4)
    old = tmp_path / "old"
    make_bundle(old, entries=entries[:2])
    new = tmp_path / "new"
    make_bundle(new, entries=entries, previous=_previous(entries, 2), sequence=2)

    signed_by_other = tmp_path / "old-other"
    make_bundle(signed_by_other, entries=entries[:2], key=OTHER)
    assert _verify(new, signed_by_other).problems == [
        Problem("previous_mismatch", str(signed_by_other), {"reason": "previous_signature"})
    ]
    assert _verify(new, old / "manifest.json").problems == []

    missing = tmp_path / "missing"
    verdict = _verify(new, missing)
    assert verdict.problems == [
        Problem(
            "previous_mismatch",
            str(missing),
            {"reason": "unreadable", "detail": "missing or not a plain file of at most 8 MiB"},
        )
    ]
    assert verdict.previous is None
    invalid = _write_manifest(tmp_path / "invalid", json.dumps(_manifest().data() | {"sequence": 0}))
    assert _verify(new, invalid).problems == [
        Problem(
            "previous_mismatch",
            str(invalid),
            {"reason": "unreadable", "detail": "sequence: Input should be greater than or equal to 1"},
        )
    ]


def test_problem_as_dict_spreads_its_params() -> None:
    assert Problem("hash_mismatch", "a.txt", {"size": 1}).as_dict() == {
        "code": "hash_mismatch",
        "path": "a.txt",
        "size": 1,
    }
    assert Problem("bad_signature").as_dict() == {"code": "bad_signature", "path": ""}
    assert os.sep == "/"  # the bundle paths above are POSIX paths


# --- comparing two submissions -------------------------------------------------------------------------

OLD_DAY = dt.date(2026, 6, 1)
NEW_DAY = dt.date(2026, 12, 1)
CAT = catalog(
    item("AAA-01"),
    item("AAA-02", chapter=2, cia=("integrity",)),
    item("AAA-03", chapter=3, when={"moves_customer_funds": True}, severity="critical", effort="low"),
    item("AAA-04", when={"admin_console": True}),
    item("AAA-05", chapter=4),
    item("AAA-06", chapter=4),
    item("AAA-07", chapter=5),
    item("AAA-08"),
    item("AAA-09", chapter=6),
    item("AAA-10", chapter=6),
)


def _decision(item_id: str, decided: dt.date, expires: dt.date, rationale: str, approver: str = "CEO") -> Acceptance:
    return Acceptance(item=item_id, rationale=rationale, approver=approver, decided=decided, expires=expires)


def _named(record: EvidenceRecord, name: str, **changes: Any) -> EvidenceRecord:
    return record.model_copy(update={"name": name, **changes})


def _old_assessment() -> Assessment:
    found = assessment(
        {
            "AAA-01": answer("not_implemented"),
            "AAA-02": answer("partial", owner="CTO", due=dt.date(2026, 9, 30)),
            "AAA-04": answer("planned", due=dt.date(2026, 8, 1)),
            "AAA-05": answer("not_implemented"),
            "AAA-06": answer("risk_accepted"),
            "AAA-07": answer("risk_accepted"),
            "AAA-08": answer("risk_accepted"),
            "AAA-09": answer("risk_accepted"),
        },
        acceptances=[
            _decision("AAA-09", dt.date(2026, 2, 1), dt.date(2027, 2, 1), "until the WAF is in"),
            _decision("AAA-06", dt.date(2026, 1, 1), dt.date(2027, 1, 1), "first thought"),
            _decision("AAA-06", dt.date(2026, 2, 1), dt.date(2027, 2, 1), "gateway limits it"),
            _decision("AAA-07", dt.date(2026, 2, 1), dt.date(2026, 10, 1), "until the migration"),
            _decision("AAA-08", dt.date(2026, 2, 1), dt.date(2027, 2, 1), "low exposure"),
            _decision("AAA-08", dt.date(2026, 1, 15), dt.date(2027, 1, 15), "recorded late, decided earlier"),
        ],
        evidence_records=[
            _named(evidence("E0001", "AAA-01", dt.date(2027, 6, 1)), "policy.pdf"),
            _named(evidence("E0002", "AAA-02", dt.date(2027, 6, 1)), "scan.csv"),
            _named(evidence("E0004", "org:governance.security_owner", dt.date(2026, 9, 1)), "appointment.pdf"),
            _named(evidence("E0005", "AAA-05", dt.date(2026, 10, 1)), "waf-rules.json"),
        ],
        profile=Profile(admin_console=True),
    )
    found.organisation = OrganisationFacts(
        eligibility=Eligibility(staff_count=12),
        service=ServiceUse(target_banks=["みどり銀行"]),
        outsourcing=Outsourcing(
            outsourcees=[Outsourcee(name="A 社", service="開発"), Outsourcee(name="B 社", service="運用")]
        ),
        governance=Governance(security_owner="CTO 田中", policy_approved=dt.date(2025, 4, 1)),
    )
    return found


def _new_assessment() -> Assessment:
    old = _old_assessment()
    found = assessment(
        {
            "AAA-01": answer("implemented"),
            "AAA-02": answer("partial", owner="SRE 山田", due=dt.date(2026, 12, 31)),
            "AAA-04": answer("planned", due=dt.date(2026, 8, 1)),
            "AAA-05": answer("risk_accepted"),
            "AAA-06": answer("risk_accepted"),
            "AAA-07": answer("risk_accepted"),
            "AAA-08": answer("not_implemented"),
            "AAA-09": answer("implemented"),
            "AAA-10": answer("not_applicable", reason="no card data at all"),
        },
        acceptances=[
            old.acceptances[0],  # kept, but no longer what backs AAA-09's status
            Acceptance(
                item="AAA-10",
                kind=DecisionKind.NOT_APPLICABLE,
                rationale="no card data at all",
                approver="CEO",
                decided=dt.date(2026, 11, 15),
                expires=dt.date(2027, 11, 15),
            ),
            _decision("AAA-06", dt.date(2026, 2, 1), dt.date(2027, 2, 1), "the gateway limits it", "CFO"),
            _decision("AAA-07", dt.date(2026, 2, 1), dt.date(2026, 10, 1), "until the migration"),
            _decision("AAA-05", dt.date(2026, 11, 1), dt.date(2027, 6, 1), "carried until Q2"),
            _decision("AAA-05", dt.date(2026, 11, 1), dt.date(2027, 5, 1), "carried until May"),
        ],
        evidence_records=[
            old.evidence[0],
            old.evidence[1].model_copy(
                update={"withdrawn": dt.date(2026, 11, 1), "withdrawn_by": "cto", "withdrawn_reason": "superseded"}
            ),
            _named(evidence("E0003", "AAA-01", dt.date(2027, 11, 1)), "mfa.png"),
            old.evidence[2],
            old.evidence[3],
        ],
        profile=Profile(moves_customer_funds=True),
    )
    found.organisation = OrganisationFacts(
        service=ServiceUse(name="ミルカ", target_banks=["みどり銀行", "さくら銀行"]),
        outsourcing=Outsourcing(
            outsourcees=[Outsourcee(name="A 社", service="開発"), Outsourcee(name="C 社", service="運用")]
        ),
        cooperation=Cooperation(
            notification=[Notification(event=NotificationEvent.DATA_LEAK, within_hours=1, contact="銀行 API 窓口")]
        ),
        governance=Governance(security_owner="CISO 佐藤", policy_approved=dt.date(2026, 4, 1)),
    )
    return found


def _submitted(folder: Path, found: Assessment, day: dt.date, sequence: int, version: str) -> Path:
    report, _, _ = build_report(CAT, found, "exec", "ja", day)
    (folder / "report").mkdir(parents=True)
    (folder / REPORT).write_text(report_json(report), encoding="utf-8")
    entries = _history(sequence + 1)
    (folder / "history.jsonl").write_text("".join(dump_line(e) for e in entries), encoding="utf-8")
    seal(
        folder,
        [Content(REPORT, "report", "json"), Content("history.jsonl", "history")],
        KEY,
        id=f"test-kk-{day:%Y%m%d}-{sequence}",
        sequence=sequence,
        created=dt.datetime.combine(day, dt.time(9), tzinfo=dt.UTC),
        organisation="Test KK",
        catalog_version=version,
        audience="bank",
        lang="ja",
        history=HistoryHead(entries=len(entries), hash=entries[-1]["hash"]),
        previous=PreviousSubmission(
            id=f"test-kk-{OLD_DAY:%Y%m%d}-1", sequence=1, history=HistoryHead(entries=2, hash=entries[1]["hash"])
        )
        if sequence > 1
        else None,
        evidence=[],
    )
    return folder


@pytest.fixture(scope="module")
def pair(tmp_path_factory: pytest.TempPathFactory) -> tuple[Submitted, Submitted]:
    base = tmp_path_factory.mktemp("pair")
    old = load_submitted(_submitted(base / "old", _old_assessment(), OLD_DAY, 1, "0.2.0"))
    new = load_submitted(_submitted(base / "new", _new_assessment(), NEW_DAY, 2, "0.3.0"))
    return old, new


def test_the_diff_names_both_submissions_and_the_catalog_versions(pair: tuple[Submitted, Submitted]) -> None:
    old, new = pair
    d = compare(old, new, verified_with=FP)
    assert (d.organisation, d.verified, d.verified_with) == ("Test KK", True, FP)
    assert d.old == SideOut(
        id="test-kk-20260601-1",
        sequence=1,
        created=dt.datetime(2026, 6, 1, 9, tzinfo=dt.UTC),
        assessment_date=OLD_DAY,
        history_entries=2,
        history_head=old.manifest.history.hash,
        previous=None,
        catalog_version="0.2.0",
        signer=FP,
    )
    assert (d.new.id, d.new.sequence, d.new.assessment_date, d.new.history_entries, d.new.previous) == (
        "test-kk-20261201-2",
        2,
        NEW_DAY,
        3,
        "test-kk-20260601-1",
    )
    assert d.catalog == CatalogChangeOut(before="0.2.0", after="0.3.0", changed=True)
    unverified = compare(old, new)
    assert (unverified.verified, unverified.verified_with) == (False, None)
    same = compare(old, old)
    assert same.catalog == CatalogChangeOut(before="0.2.0", after="0.2.0", changed=False)
    assert same.changes() == 0


def test_the_plan_statuses_and_assignments_that_changed(pair: tuple[Submitted, Submitted]) -> None:
    d = compare(*pair)
    assert [(i.id, i.title.en, i.chapter, i.mandatory, i.status, i.effective_status) for i in d.plan_added] == [
        ("AAA-03", "title of AAA-03", 3, False, "unanswered", "unanswered")
    ]
    assert [(i.id, i.chapter, i.mandatory, i.status, i.effective_status) for i in d.plan_removed] == [
        ("AAA-04", 1, False, "planned", "planned")
    ]
    assert [
        (s.id, s.title.ja, s.status_before, s.status_after, s.effective_before, s.effective_after) for s in d.statuses
    ] == [
        ("AAA-01", "title of AAA-01（日本語）", "not_implemented", "implemented", "not_implemented", "implemented"),
        ("AAA-05", "title of AAA-05（日本語）", "not_implemented", "risk_accepted", "not_implemented", "risk_accepted"),
        ("AAA-07", "title of AAA-07（日本語）", "risk_accepted", "risk_accepted", "risk_accepted", "not_implemented"),
        ("AAA-08", "title of AAA-08（日本語）", "risk_accepted", "not_implemented", "risk_accepted", "not_implemented"),
        ("AAA-09", "title of AAA-09（日本語）", "risk_accepted", "implemented", "risk_accepted", "implemented"),
        # a mandatory item declared not applicable counts as not implemented
        ("AAA-10", "title of AAA-10（日本語）", "unanswered", "not_applicable", "unanswered", "not_implemented"),
    ]
    assert [(a.id, a.title.en, a.field, a.before, a.after) for a in d.assignments] == [
        ("AAA-02", "title of AAA-02", "owner", "CTO", "SRE 山田"),
        ("AAA-02", "title of AAA-02", "due", "2026-09-30", "2026-12-31"),
    ]


def test_evidence_added_withdrawn_and_expired_in_between(pair: tuple[Submitted, Submitted]) -> None:
    d = compare(*pair)
    assert [e.model_dump(mode="json") for e in d.evidence] == [
        {"id": "E0002", "target": "AAA-02", "name": "scan.csv", "change": "withdrawn", "expires": "2027-06-01"},
        {"id": "E0003", "target": "AAA-01", "name": "mfa.png", "change": "added", "expires": "2027-11-01"},
        {
            "id": "E0004",
            "target": "org:governance.security_owner",
            "name": "appointment.pdf",
            "change": "expired",
            "expires": "2026-09-01",
        },
        {"id": "E0005", "target": "AAA-05", "name": "waf-rules.json", "change": "expired", "expires": "2026-10-01"},
    ]
    assert [e.id for e in compare(pair[1], pair[0]).evidence] == ["E0002", "E0003"]  # nothing un-expires


def test_the_latest_decision_per_item_is_compared_field_by_field(pair: tuple[Submitted, Submitted]) -> None:
    d = compare(*pair)
    found = [(c.item, c.kind, c.change, c.fields) for c in d.decisions]
    assert found == [
        ("AAA-05", "risk_acceptance", "added", []),
        ("AAA-06", "risk_acceptance", "changed", ["rationale", "approver"]),
        ("AAA-07", "risk_acceptance", "expired", []),
        ("AAA-08", "risk_acceptance", "removed", []),
        ("AAA-09", "risk_acceptance", "changed", ["current"]),  # the item is implemented now
        ("AAA-10", "not_applicable", "added", []),
    ]
    added, changed, expired, removed, superseded, declared = d.decisions
    assert superseded.before is not None and superseded.after is not None
    assert (superseded.before.current, superseded.after.current) == (True, False)
    assert declared.after is not None
    assert (declared.after.rationale, declared.after.current) == ("no card data at all", True)
    # two decisions on one day: the later one recorded is the one in force
    assert added.before is None
    assert added.after == DecisionOut(
        rationale="carried until May",
        approver="CEO",
        decided=dt.date(2026, 11, 1),
        expires=dt.date(2027, 5, 1),
        expired=False,
        current=True,
    )
    assert changed.before is not None and changed.after is not None
    assert (changed.before.rationale, changed.before.approver, changed.before.current) == (
        "gateway limits it",
        "CEO",
        True,
    )
    assert (changed.after.rationale, changed.after.approver) == ("the gateway limits it", "CFO")
    assert expired.before is not None and expired.after is not None
    assert (expired.before.expired, expired.after.expired) == (False, True)
    # and the report, which the bank reads next to the diff, shows that same decision for the item
    (aaa05,) = [i for i in pair[1].report.items if i.id == "AAA-05"]
    assert aaa05.acceptance is not None
    assert (aaa05.acceptance.rationale, aaa05.acceptance.expires) == ("carried until May", dt.date(2027, 5, 1))
    assert removed.after is None and removed.before is not None
    # the latest by decision date, though an earlier-dated one was recorded after it
    assert (removed.before.rationale, removed.before.current) == ("low exposure", True)


def test_facts_by_dotted_path_in_report_order_and_the_gaps_they_open_and_close(
    pair: tuple[Submitted, Submitted],
) -> None:
    d = compare(*pair)
    assert [(f.path, f.before, f.after) for f in d.facts] == [
        ("eligibility.staff_count", 12, None),
        ("service.name", None, "ミルカ"),
        ("service.target_banks", ["みどり銀行"], ["みどり銀行", "さくら銀行"]),
        # a new register entry: its fields, which the old submission did not have at all
        ("cooperation.notification.1.event", None, "data_leak"),
        ("cooperation.notification.1.within_hours", None, 1.0),
        ("cooperation.notification.1.contact", None, "銀行 API 窓口"),
        ("outsourcing.outsourcees.2.name", "B 社", "C 社"),
        ("governance.policy_approved", "2025-04-01", "2026-04-01"),
        ("governance.security_owner", "CTO 田中", "CISO 佐藤"),
    ]
    assert d.gaps_opened == ["eligibility.staff_count"]
    assert d.gaps_closed == ["service.name", "cooperation.notification"]
    assert d.changes() == 1 + 1 + 6 + 2 + 4 + 6 + 9 + 1 + 2
    data = d.data()
    assert data["schema"] == "antai.submission-diff/1" and "diff_schema" not in data
    assert data["gaps_opened"] == ["eligibility.staff_count"]
    assert (data["old"]["created"], data["new"]["assessment_date"]) == ("2026-06-01T09:00:00Z", "2026-12-01")
    assert json.loads(json.dumps(data)) == data


def test_scores_are_paired_by_chapter_in_number_order_and_by_cia(pair: tuple[Submitted, Submitted]) -> None:
    old, new = pair
    d = compare(old, new)
    a, b = old.report.scores, new.report.scores
    assert d.scores.overall == ScorePairOut(
        before=a.overall.score, after=b.overall.score, changed=a.overall.score != b.overall.score
    )
    assert d.scores.overall.changed is True
    assert d.scores.mandatory_coverage == ScorePairOut(
        before=a.mandatory_coverage.percent, after=b.mandatory_coverage.percent, changed=True
    )
    assert list(d.scores.by_chapter) == sorted(a.by_chapter.keys() | b.by_chapter.keys(), key=int)
    assert d.scores.by_chapter["3"] == ScorePairOut(before=None, after=b.by_chapter["3"].score, changed=True)
    assert list(d.scores.by_cia) == ["confidentiality", "integrity", "availability"]
    assert d.scores.by_cia["integrity"] == ScorePairOut(
        before=a.by_cia["integrity"].score, after=b.by_cia["integrity"].score, changed=False
    )


def test_score_keys_sort_chapters_by_number_then_the_rest_as_they_came() -> None:
    def s(value: float | None) -> ScoreOut:
        return ScoreOut(score=value, items=1, done=0)

    pairs = diff._score_pairs({"10": s(1.0), "x": s(2.0), "2": s(3.0)}, {"9": s(4.0), "b": s(5.0), "2": s(3.0)})
    assert list(pairs) == ["2", "9", "10", "x", "b"]
    assert pairs["10"] == ScorePairOut(before=1.0, after=None, changed=True)
    assert pairs["9"] == ScorePairOut(before=None, after=4.0, changed=True)
    assert pairs["2"] == ScorePairOut(before=3.0, after=3.0, changed=False)


def test_flattened_facts_number_register_entries_from_one_and_keep_plain_lists() -> None:
    assert diff.flatten_facts({"g": {"a": 1, "l": ["x", 2], "r": [{"n": "p"}, {"n": "q"}], "e": []}}) == {
        "g.a": 1,
        "g.l": ["x", "2"],
        "g.r.1.n": "p",
        "g.r.2.n": "q",
        "g.e": [],
    }
    assert diff.flatten_facts("v", "p") == {"p": "v"}


def test_fact_order_follows_the_report_and_numbers_entries() -> None:
    order = {"g.a": 0, "g.r.N.n": 1}
    assert diff._fact_order("g.r.10.n", order) == (1, "000010g.r.10.n")
    assert diff._fact_order("g.a", order) == (0, "g.a")
    assert diff._fact_order("g.zz", order) == (2, "g.zz")
    paths = ["g.r.10.n", "g.r.9.n", "g.zz", "g.a"]
    assert sorted(paths, key=lambda p: diff._fact_order(p, order)) == ["g.a", "g.r.9.n", "g.r.10.n", "g.zz"]


def test_bundles_of_two_organisations_are_not_compared(pair: tuple[Submitted, Submitted], tmp_path: Path) -> None:
    old, new = pair
    other = Submitted(new.path, new.manifest.model_copy(update={"organisation": "Other KK"}), new.report)
    with pytest.raises(BundleRefused) as caught:
        compare(old, other)
    assert (caught.value.code, caught.value.params) == (
        "bundle_refused",
        {"reason": "organisation", "old": "Test KK", "new": "Other KK"},
    )
    assert str(caught.value) == "the bundles are from different organisations: Test KK and Other KK"
    renamed = new.report.model_copy(update={"organisation": "Other KK"})
    with pytest.raises(BundleRefused) as report_only:
        compare(old, Submitted(new.path, new.manifest, renamed))
    assert report_only.value.params["reason"] == "organisation"
    # both reports name another organisation than both manifests do
    renamed_old = old.report.model_copy(update={"organisation": "Other KK"})
    with pytest.raises(BundleRefused) as mismatch:
        compare(Submitted(old.path, old.manifest, renamed_old), Submitted(new.path, new.manifest, renamed))
    assert mismatch.value.params == {"reason": "organisation_mismatch", "path": ""}
    assert str(mismatch.value) == "a report names another organisation than its manifest"


def _refusal(folder: Path) -> tuple[str, dict[str, Any]]:
    with pytest.raises(BundleRefused) as caught:
        load_submitted(folder)
    return str(caught.value), caught.value.params


def test_a_bundle_without_a_readable_json_report_is_refused_with_the_reason(
    pair: tuple[Submitted, Submitted], tmp_path: Path
) -> None:
    old, _ = pair
    assert _refusal(tmp_path / "none") == (
        f"{tmp_path / 'none'}: not a readable submission manifest (missing or not a plain file of at most 8 MiB)",
        {"reason": "manifest", "path": str(tmp_path / "none")},
    )

    def variant(name: str, files: list[dict[str, Any]], report: bytes | None = None) -> Path:
        folder = tmp_path / name
        (folder / "report").mkdir(parents=True)
        if report is not None:
            (folder / REPORT).write_bytes(report)
        data = old.manifest.data() | {"files": files}
        (folder / "manifest.json").write_text(json.dumps(data), encoding="utf-8")
        return folder

    entry = {"size": 1, "sha256": "0" * 64, "role": "report"}
    html_only = variant("html", [{"path": "report/r.html", "format": "html", **entry}])
    assert _refusal(html_only) == (
        f"{html_only}: the manifest lists no JSON report",
        {"reason": "no_report", "path": str(html_only)},
    )
    unsafe = variant("unsafe", [{"path": "../r.json", "format": "json", **entry}])
    assert _refusal(unsafe)[1] == {"reason": "no_report", "path": str(unsafe)}
    missing = variant("missing", [{"path": REPORT, "format": "json", **entry}])
    assert _refusal(missing) == (
        f"{missing}: {REPORT} is not readable",
        {"reason": "report", "path": str(missing)},
    )
    garbled = variant("garbled", [{"path": REPORT, "format": "json", **entry}], b'{"schema": "antai.report/1"}')
    assert _refusal(garbled) == (
        f"{garbled}: {REPORT} is not an antai.report/1 report",
        {"reason": "report", "path": str(garbled)},
    )
    not_utf8 = variant("latin1", [{"path": REPORT, "format": "json", **entry}], b"\xff")
    assert _refusal(not_utf8)[1] == {"reason": "report", "path": str(not_utf8)}
    linked = variant("linked", [{"path": "inner/r.json", "format": "json", **entry}])
    (linked / "inner").symlink_to(old.path / "report")
    (old.path / "report" / "r.json").write_bytes((old.path / REPORT).read_bytes())
    assert _refusal(linked) == (
        f"{linked}: inner/r.json is not readable",
        {"reason": "report", "path": str(linked)},
    )
    deep = variant("deep", [{"path": "a/b/r.json", "format": "json", **entry}])
    (deep / "a").mkdir()
    (deep / "a" / "b").symlink_to(old.path / "report")
    assert _refusal(deep)[0] == f"{deep}: a/b/r.json is not readable"
    (old.path / "report" / "r.json").unlink()


def test_a_bundle_is_read_with_its_report_even_beside_other_reports(
    pair: tuple[Submitted, Submitted], tmp_path: Path
) -> None:
    old, _ = pair
    (tmp_path / "received").symlink_to(old.path)  # the folder named may itself be a link
    assert load_submitted(tmp_path / "received").report == old.report
    again = load_submitted(old.path)
    assert again.path == old.path
    assert again.manifest == old.manifest
    assert again.report == old.report
    assert diff._text(dt.date(2026, 1, 2)) == "2026-01-02"
    assert diff._text(None) is None
    assert diff._text(3) == "3"
