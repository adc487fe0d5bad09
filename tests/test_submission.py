"""Signed submissions end to end, as a venture and a bank run them: `antai key`, `antai submit` on the demo
workspace, `antai review verify` on the bundle — intact, and after every kind of tampering — and "changes
since" counted from the last submission, never from a preview."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
import os
import shutil
import stat
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from antai.assessment.history import dump_line, entry_hash
from antai.submission import keys
from antai.submission.manifest import canonical

from .conftest import run_cli, sign_off


def antai(*args: str, keydir: Path, passphrase: str | None = None) -> Any:
    env = {"ANTAI_USER": "tester", "ANTAI_KEY_DIR": str(keydir)}
    if passphrase is not None:
        env["ANTAI_KEY_PASSPHRASE"] = passphrase
    return run_cli(*args, env=env)


class Venture:
    """The demo workspace, its signing key and its first submission."""

    def __init__(self, base: Path) -> None:
        self.base = base
        self.ws = base / "antai-demo"
        self.keys = base / "keys"
        made = run_cli("demo", str(self.ws))
        assert made.returncode == 0, made.stderr
        created = self.run("key", "new")
        assert created.returncode == 0, created.stderr
        shown = json.loads(self.run("key", "show", "--format", "json").stdout)
        self.fingerprint: str = shown["fingerprint"]
        self.public_pem = base / "venture.pub.pem"
        self.public_pem.write_text(shown["public_key_pem"], encoding="utf-8")
        # the demo made two submissions already (with its own throwaway key): the venture's is the third
        self.demo_last = max((self.ws / "submissions").iterdir(), key=lambda p: int(p.name.rsplit("-", 1)[1])).name
        sign_off(self.ws, self.run)
        submitted = self.run("submit", "-C", str(self.ws))
        assert submitted.returncode == 0, submitted.stderr
        self.first = Path(submitted.stdout.strip())

    def run(self, *args: str) -> Any:
        return antai(*args, keydir=self.keys)

    def verify(self, bundle: Path, *extra: str, key: str | None = None) -> tuple[int, list[str]]:
        result = self.run("review", "verify", str(bundle), "--key", key or self.fingerprint, "--format", "json", *extra)
        data = json.loads(result.stdout)
        return result.returncode, [p["code"] for p in data["problems"]]

    def private_key(self) -> keys.Ed25519PrivateKey:
        return keys.load_private((self.keys / "signing-key.pem").read_bytes())


@pytest.fixture(scope="module")
def venture(tmp_path_factory: pytest.TempPathFactory) -> Venture:
    return Venture(tmp_path_factory.mktemp("submission"))


def copy_of(bundle: Path, tmp_path: Path, name: str) -> Path:
    target = tmp_path / name
    shutil.copytree(bundle, target)
    return target


def resign(folder: Path, change: Any, key: keys.Ed25519PrivateKey) -> None:
    """What the venture can do with its own key: edit the bundle, fix the manifest's hashes, sign again."""
    manifest = json.loads((folder / "manifest.json").read_text("utf-8"))
    change(manifest)
    for entry in manifest["files"]:
        path = folder / entry["path"]
        if path.is_file() and not path.is_symlink():
            entry["size"] = path.stat().st_size
            entry["sha256"] = hashlib.sha256(path.read_bytes()).hexdigest()
    (folder / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False), encoding="utf-8")
    (folder / "manifest.sig").write_bytes(base64.b64encode(key.sign(canonical(manifest))))


# --- keys --------------------------------------------------------------------------------------------------


def test_the_key_is_private_outside_the_workspace_and_shows_its_fingerprint(venture: Venture, tmp_path: Path) -> None:
    path = venture.keys / "signing-key.pem"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600 and stat.S_IMODE(venture.keys.stat().st_mode) == 0o700
    assert path.read_bytes().startswith(b"-----BEGIN PRIVATE KEY-----")
    shown = venture.run("key", "show")
    assert shown.returncode == 0
    lines = shown.stdout.splitlines()
    assert lines[0] == "-----BEGIN PUBLIC KEY-----" and "PRIVATE" not in shown.stdout
    assert lines[-1] == f"公開鍵の指紋（SHA-256）: {venture.fingerprint}"
    raw = venture.run("key", "show", "--format", "base64", "--lang", "en").stdout.splitlines()
    assert keys.fingerprint(keys.load_public(raw[0].encode())) == venture.fingerprint
    assert raw[1] == f"public key fingerprint (SHA-256): {venture.fingerprint}"

    again = venture.run("key", "new")
    assert again.returncode == 1 and "既に署名鍵がある" in again.stderr and "--force" in again.stderr
    inside = antai("key", "new", keydir=venture.ws / "keys")
    assert inside.returncode == 1 and "ワークスペース" in inside.stderr
    assert not (venture.ws / "keys").exists()
    missing = antai("key", "show", keydir=tmp_path / "none")
    assert missing.returncode == 2 and "`antai key new` で作成する" in missing.stderr


def test_a_passphrase_encrypts_the_key_and_is_needed_to_use_it(tmp_path: Path) -> None:
    made = antai("key", "new", keydir=tmp_path, passphrase="correct horse")
    assert made.returncode == 0, made.stderr
    assert b"ENCRYPTED" in (tmp_path / "signing-key.pem").read_bytes()
    assert "correct horse" not in made.stdout + made.stderr
    needs = antai("key", "show", keydir=tmp_path)
    assert needs.returncode == 1 and "ANTAI_KEY_PASSPHRASE" in needs.stderr and "Traceback" not in needs.stderr
    wrong = antai("key", "show", keydir=tmp_path, passphrase="battery staple")
    assert wrong.returncode == 1 and "復号できない" in wrong.stderr
    assert antai("key", "show", keydir=tmp_path, passphrase="correct horse").returncode == 0
    replaced = antai("key", "new", "--force", keydir=tmp_path)
    assert replaced.returncode == 0 and b"ENCRYPTED" not in (tmp_path / "signing-key.pem").read_bytes()


# --- the bundle --------------------------------------------------------------------------------------------


def test_the_demo_submission_holds_the_reports_evidence_history_and_a_signed_manifest(venture: Venture) -> None:
    bundle = venture.first
    assert bundle.parent == venture.ws / "submissions"
    manifest = json.loads((bundle / "manifest.json").read_text("utf-8"))
    assert manifest["schema"] == "antai.submission/1" and manifest["sequence"] == 3
    assert manifest["previous"]["id"] == venture.demo_last
    assert bundle.name == manifest["id"] and manifest["id"].startswith("org-") and manifest["id"].endswith("-3")
    assert manifest["signer"] == {"algorithm": "Ed25519", "fingerprint": venture.fingerprint}
    roles = {(f["role"], f["format"]) for f in manifest["files"]}
    assert {("report", "html"), ("report", "xlsx"), ("report", "json"), ("history", None), ("signer", None)} <= roles
    listed = {f["path"] for f in manifest["files"]}
    on_disk = {p.relative_to(bundle).as_posix() for p in bundle.rglob("*") if p.is_file()}
    assert on_disk - listed == {"manifest.json", "manifest.sig"}
    files = [e for e in manifest["evidence"] if e["kind"] == "file"]
    assert files and all(e["included"] and (bundle / e["path"]).is_file() for e in files)
    assert all(hashlib.sha256((bundle / e["path"]).read_bytes()).hexdigest() == e["sha256"] for e in files)
    links = [e for e in manifest["evidence"] if e["kind"] == "url"]
    assert links and all(not e["included"] and e["obtain"].startswith("https://") for e in links)
    history = (bundle / "history.jsonl").read_text("utf-8").splitlines()
    assert manifest["history"]["entries"] == len(history)
    assert manifest["history"]["hash"] == json.loads(history[-1])["hash"]

    report = json.loads((bundle / "report" / "bank-report.ja.json").read_text("utf-8"))
    assert report["submission"] == {
        "id": manifest["id"],
        "sequence": 3,
        "history_entries": len(history),
        "history_head": manifest["history"]["hash"],
        "previous": venture.demo_last,
    }
    html = (bundle / "report" / "bank-report.ja.html").read_text("utf-8")
    assert f'<dd id="submission">{manifest["id"]}（連番 3、履歴 {len(history)} 件・ヘッド' in html
    load_workbook(bundle / "report" / "bank-report.ja.xlsx")  # a real workbook
    # the workspace records it: a submit entry in the history, which `antai verify` still accepts
    log = json.loads(venture.run("log", "-C", str(venture.ws), "--format", "json").stdout)
    assert log[-1]["action"] == "submit" and log[-1]["after"]["id"] == manifest["id"]
    assert log[-1]["after"]["history"] == manifest["history"]
    assert venture.run("verify", "-C", str(venture.ws)).returncode == 0


def test_the_bank_verifies_an_intact_bundle_by_fingerprint_or_key_file(venture: Venture) -> None:
    result = venture.run("review", "verify", str(venture.first), "--key", venture.fingerprint)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.startswith(f"検証できた: 提出 {venture.first.name}（連番 3、")
    assert f"鍵 {venture.fingerprint} で署名され" in result.stdout
    spaced = " ".join(venture.fingerprint.split(":")).upper()
    assert venture.verify(venture.first, key=spaced) == (0, [])
    assert venture.verify(venture.first, key=str(venture.public_pem)) == (0, [])
    english = venture.run("review", "verify", str(venture.first), "--key", str(venture.public_pem), "--lang", "en")
    assert english.returncode == 0 and english.stdout.startswith(f"verified: submission {venture.first.name}")


@pytest.mark.parametrize("report", ["html", "xlsx", "json"])
def test_a_changed_byte_in_any_report_fails(venture: Venture, tmp_path: Path, report: str) -> None:
    bundle = copy_of(venture.first, tmp_path, "changed")
    path = bundle / "report" / f"bank-report.ja.{report}"
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0x01
    path.write_bytes(bytes(data))
    assert venture.verify(bundle) == (1, ["hash_mismatch"])


def test_added_removed_files_an_edited_manifest_a_replaced_signature_and_another_key_fail(
    venture: Venture, tmp_path: Path
) -> None:
    added = copy_of(venture.first, tmp_path, "added")
    (added / "evidence" / "extra.pdf").write_bytes(b"%PDF-1.4 trust me")
    assert venture.verify(added) == (1, ["extra_file"])

    removed = copy_of(venture.first, tmp_path, "removed")
    evidence = next((removed / "evidence").iterdir())
    evidence.unlink()
    assert venture.verify(removed) == (1, ["missing_file"])

    edited = copy_of(venture.first, tmp_path, "edited")
    text = (edited / "manifest.json").read_text("utf-8")
    (edited / "manifest.json").write_text(text.replace('"sequence": 3', '"sequence": 7'), encoding="utf-8")
    assert venture.verify(edited) == (1, ["bad_signature"])

    replaced = copy_of(venture.first, tmp_path, "replaced")
    intruder = keys.generate()
    manifest = json.loads((replaced / "manifest.json").read_text("utf-8"))
    (replaced / "manifest.sig").write_bytes(base64.b64encode(intruder.sign(canonical(manifest))))
    assert venture.verify(replaced) == (1, ["bad_signature"])

    # the bank expects someone else's key: a bundle signed by this venture is not theirs
    other = tmp_path / "other.pem"
    other.write_bytes(keys.public_pem(intruder.public_key()))
    assert venture.verify(venture.first, key=str(other)) == (1, ["wrong_key"])
    assert venture.verify(venture.first, key=keys.fingerprint(intruder.public_key())) == (1, ["wrong_key"])

    # and the verdict in Japanese names every problem without a raw code
    worded = venture.run("review", "verify", str(edited), "--key", venture.fingerprint)
    assert worded.returncode == 1
    assert worded.stdout == "- manifest.sig: 署名が目録と一致しない（目録が改変されたか、署名が差し替えられた）\n"
    assert f"検証できなかった: 提出 {venture.first.name} — 1 件の問題" in worded.stderr
    assert "bad_signature" not in worded.stdout + worded.stderr


def test_path_traversal_in_a_manifest_is_refused(venture: Venture, tmp_path: Path) -> None:
    bundle = copy_of(venture.first, tmp_path, "bundles/escape")
    (tmp_path / "secret.txt").write_text("not the bank's to read", encoding="utf-8")

    def escape(manifest: dict[str, Any]) -> None:
        manifest["files"].append({"path": "../../secret.txt", "size": 22, "sha256": "0" * 64, "role": "other"})
        manifest["files"].append({"path": "/etc/hostname", "size": 1, "sha256": "0" * 64, "role": "other"})

    resign(bundle, escape, venture.private_key())
    code, problems = venture.verify(bundle)
    assert (code, problems) == (1, ["unsafe_path", "unsafe_path"])


# --- history continuity and "changes since" -------------------------------------------------------------------


def test_previews_change_nothing_and_changes_since_count_from_the_last_submission(
    venture: Venture, tmp_path: Path
) -> None:
    ws = tmp_path / "ws"
    shutil.copytree(venture.ws, ws)
    first = venture.first.name
    assert venture.run("set", "ASR-01", "--status", "implemented", "-C", str(ws)).returncode == 0

    def changes() -> Any:
        data = json.loads(venture.run("report", "--format", "json", "-C", str(ws)).stdout)
        return data["changes_since_last"]

    before = changes()
    assert before["previous_submission"] == first
    assert [c["id"] for c in before["status_changes"]] == ["ASR-01"]
    # previews to stdout and to a file, in another language and audience (the review's case), change nothing
    made = venture.run("report", "--format", "xlsx", "--lang", "en", "-o", str(tmp_path / "p.xlsx"), "-C", str(ws))
    assert made.returncode == 0 and (tmp_path / "p.xlsx").is_file()
    assert venture.run("report", "--audience", "exec", "--format", "md", "-C", str(ws)).returncode == 0
    assert changes() == before

    kept = json.loads((venture.first / "manifest.json").read_text("utf-8"))["evidence"]
    held = next(e for e in kept if e["kind"] == "file")
    sign_off(ws, venture.run)
    second = venture.run(
        "submit", "-C", str(ws), "-o", str(tmp_path / "second"), "--withhold", held["id"], "--obtain", "security@milka"
    )
    assert second.returncode == 0, second.stderr
    sent = json.loads((tmp_path / "second" / "manifest.json").read_text("utf-8"))["evidence"]
    assert next(e for e in sent if e["id"] == held["id"]) == {
        **held,
        "included": False,
        "path": None,
        "obtain": "security@milka",
    }
    assert not (tmp_path / "second" / held["path"]).exists()
    report = json.loads((tmp_path / "second" / "report" / "bank-report.ja.json").read_text("utf-8"))
    assert report["changes_since_last"]["previous_submission"] == first
    assert [c["id"] for c in report["changes_since_last"]["status_changes"]] == ["ASR-01"]
    assert report["submission"]["previous"] == first and report["submission"]["sequence"] == 4
    # the workspace keeps the record of a bundle written elsewhere, and the next report counts from it
    assert changes()["previous_submission"] == report["submission"]["id"]
    assert changes()["status_changes"] == []
    assert venture.verify(tmp_path / "second", "--previous", str(venture.first)) == (0, [])
    assert venture.verify(tmp_path / "second", "--previous", str(venture.first / "manifest.json")) == (0, [])
    continued = venture.run(
        "review", "verify", str(tmp_path / "second"), "--key", venture.fingerprint, "--previous", str(venture.first)
    )
    assert continued.stdout.splitlines()[0].endswith(f"前回の提出 {first} の履歴を書き換えずに続けている")


def _backdate(path: Path, before: int) -> None:
    """Backdate every entry before ``before`` by six months and recompute the chain (the review's attack)."""
    entries = [json.loads(line) for line in path.read_text("utf-8").splitlines()]
    previous = "0" * 64
    for number, entry in enumerate(entries):
        if number < before:
            entry["at"] = (dt.datetime.fromisoformat(entry["at"]) - dt.timedelta(days=182)).isoformat()
        entry["prev"] = previous
        entry["hash"] = entry_hash(entry)
        previous = entry["hash"]
    path.write_text("".join(dump_line(e) for e in entries), encoding="utf-8")


def test_backdating_the_history_before_the_previous_submission_fails(venture: Venture, tmp_path: Path) -> None:
    ws = tmp_path / "ws"
    shutil.copytree(venture.ws, ws)
    head = json.loads((venture.first / "manifest.json").read_text("utf-8"))["history"]["entries"]
    _backdate(ws / "history.jsonl", head)
    # the keyless chain recomputes, so the workspace's own check cannot see it (as the review found) …
    assert venture.run("verify", "-C", str(ws)).returncode == 0
    # … but the record of the last submission can: antai refuses to submit a rewritten history
    refused = venture.run("submit", "-C", str(ws))
    assert refused.returncode == 1 and f"提出 {venture.first.name} の履歴ヘッド" in refused.stderr

    # a venture that builds the bundle itself and signs it with its own key still fails at the bank
    forged = copy_of(venture.first, tmp_path, "forged")
    shutil.copyfile(ws / "history.jsonl", forged / "history.jsonl")
    last = json.loads((forged / "history.jsonl").read_text("utf-8").splitlines()[-1])

    def relabel(manifest: dict[str, Any]) -> None:
        manifest["history"] = {"entries": manifest["history"]["entries"] + 1, "hash": last["hash"]}
        manifest["sequence"] = 4
        manifest["id"] = manifest["id"][:-1] + "4"
        original = json.loads((venture.first / "manifest.json").read_text("utf-8"))
        manifest["previous"] = {"id": original["id"], "sequence": 3, "history": original["history"]}

    resign(forged, relabel, venture.private_key())
    assert venture.verify(forged, "--previous", str(venture.first)) == (1, ["history_not_continued"])


def test_deleting_history_entries_fails(venture: Venture, tmp_path: Path) -> None:
    cut = copy_of(venture.first, tmp_path, "cut")
    lines = (cut / "history.jsonl").read_text("utf-8").splitlines(keepends=True)
    (cut / "history.jsonl").write_text("".join(lines[:-1]), encoding="utf-8")
    assert venture.verify(cut) == (1, ["hash_mismatch", "history_head_mismatch"])

    # deleting the record of the submission from the workspace makes the next one claim to be the first
    ws = tmp_path / "ws"
    shutil.copytree(venture.ws, ws)
    lines = (ws / "history.jsonl").read_text("utf-8").splitlines(keepends=True)
    assert json.loads(lines[-1])["action"] == "submit"
    (ws / "history.jsonl").write_text("".join(lines[:-1]), encoding="utf-8")
    shutil.rmtree(ws / "submissions")
    again = venture.run("submit", "-C", str(ws), "-o", str(tmp_path / "again"))
    assert again.returncode == 0, again.stderr
    assert venture.verify(tmp_path / "again") == (0, [])  # consistent in itself …
    assert venture.verify(tmp_path / "again", "--previous", str(venture.first)) == (1, ["previous_mismatch"])


def test_usage_errors_exit_2(venture: Venture, tmp_path: Path) -> None:
    missing = venture.run("review", "verify", str(tmp_path / "nothing"), "--key", venture.fingerprint)
    assert missing.returncode == 2 and "提出フォルダではない" in missing.stderr
    bad = venture.run("review", "verify", str(venture.first), "--key", "abc")
    assert bad.returncode == 2 and "指紋" in bad.stderr
    taken = venture.run("submit", "-C", str(venture.ws), "-o", str(venture.first))
    assert taken.returncode == 1 and "空でない" in taken.stderr
    inside = venture.run("submit", "-C", str(venture.ws), "-o", str(venture.ws / "evidence" / "bundle"))
    assert inside.returncode == 2 and "ワークスペースの中" in inside.stderr
    assert not (venture.ws / "evidence" / "bundle").exists()
    withheld = venture.run("submit", "-C", str(venture.ws), "--withhold", "E0001")
    assert withheld.returncode == 2 and "--obtain" in withheld.stderr
    ws = tmp_path / "ws"
    shutil.copytree(venture.ws, ws)
    evidence = next((ws / "evidence" / "files").iterdir())
    evidence.write_bytes(evidence.read_bytes() + b" (edited)")
    sign_off(ws, venture.run)
    altered = venture.run("submit", "-C", str(ws))
    assert altered.returncode == 1 and "記録されたハッシュと一致しない" in altered.stderr
    for folder in (venture.ws, ws):  # the demo's two submissions and the venture's: nothing added
        assert sorted(os.listdir(folder / "submissions"), key=lambda name: int(name.rsplit("-", 1)[1]))[-1] == (
            venture.first.name
        )
        assert len(os.listdir(folder / "submissions")) == 3
