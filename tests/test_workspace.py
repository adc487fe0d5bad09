"""The assessment workspace as a team uses it: init, answers, decisions, evidence, history and verification."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml

from antai.catalog import Catalog

from .conftest import run_cli


def antai(ws: Path, *args: str):  # type: ignore[no-untyped-def]
    return run_cli(*args, "-C", str(ws), env={"ANTAI_USER": "tester"})


@pytest.fixture
def ws(tmp_path: Path) -> Path:
    root = tmp_path / "ws"
    result = run_cli(
        "init", str(root), "--profile", "example:household-budget", "--org", "Test KK", env={"ANTAI_USER": "tester"}
    )
    assert result.returncode == 0, result.stderr
    return root


def snapshot(ws: Path) -> dict[str, bytes]:
    return {str(p.relative_to(ws)): p.read_bytes() for p in sorted(ws.rglob("*")) if p.is_file()}


def test_init_writes_one_entry_per_applicable_item_in_catalog_order(ws: Path, catalog: Catalog) -> None:
    plan = json.loads(run_cli("plan", "--profile", "example:household-budget", "--format", "json").stdout)
    answers = yaml.safe_load((ws / "answers.yaml").read_text("utf-8"))["answers"]
    assert set(answers) == {i["id"] for i in plan["items"]}
    order = [i.id for i in catalog.items if i.id in answers]
    assert list(answers) == order
    assert all(a["status"] == "unanswered" for a in answers.values())
    meta = yaml.safe_load((ws / "antai.yaml").read_text("utf-8"))
    assert meta["catalog_version"] == catalog.version and meta["organisation"] == "Test KK"
    assert len((ws / "history.jsonl").read_text("utf-8").splitlines()) == 1
    again = run_cli("init", str(ws), "--profile", "example:remittance", "--org", "X")
    assert again.returncode == 1 and "既にワークスペース" in again.stderr


def test_set_records_before_and_after_and_touches_only_its_lines(ws: Path) -> None:
    before = (ws / "answers.yaml").read_text("utf-8").splitlines()
    result = antai(ws, "set", "IAM-01", "--status", "implemented", "--owner", "CTO", "--note", "hardware keys")
    assert result.returncode == 0, result.stderr
    after = (ws / "answers.yaml").read_text("utf-8").splitlines()
    import difflib

    diff = [d for d in difflib.unified_diff(before, after, lineterm="", n=0) if d[:1] in "+-" and d[:3] not in "+++---"]
    assert 1 <= len(diff) <= 6, diff  # a small, local diff: status, owner, note, updated
    log = [json.loads(line) for line in (ws / "history.jsonl").read_text("utf-8").splitlines()]
    last = log[-1]
    assert last["action"] == "set" and last["item"] == "IAM-01" and last["who"] == "tester"
    assert last["before"]["status"] == "unanswered" and last["after"]["status"] == "implemented"
    shown = antai(ws, "log", "IAM-01")
    assert "未回答 → 実施済み" in shown.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--status", "planned"], "実施予定には期限が必要"),
        (["--status", "not_applicable"], "該当なしには理由が必要"),
        (["--status", "compensated", "--reason", "x"], "代替する項目または新技術ノート"),
        (["--status", "compensated", "--reason", "x", "--by", "NOPE-1"], "'NOPE-1' は別の項目 ID か新技術ノート ID"),
        (["--status", "planned", "--due", "31/01/2027"], "は日付ではない"),
    ],
)
def test_invalid_answers_are_rejected_and_nothing_is_written(ws: Path, args: list[str], message: str) -> None:
    before = snapshot(ws)
    result = antai(ws, "set", "IAM-02", *args)
    assert result.returncode in (1, 2)
    assert message in result.stderr and "Traceback" not in result.stderr
    assert snapshot(ws) == before


def test_unknown_status_and_items_outside_the_plan(ws: Path) -> None:
    bad = antai(ws, "set", "IAM-02", "--status", "done")
    assert bad.returncode == 2 and "'done' は選べない" in bad.stderr
    outside = antai(ws, "set", "IOC-01", "--status", "implemented")  # manual entry: not this profile
    assert outside.returncode == 1 and "このサービスのプロファイルには適用されない" in outside.stderr
    accepted = antai(ws, "set", "IAM-02", "--status", "risk_accepted")
    assert accepted.returncode == 2  # only `antai accept` records an acceptance


def test_accept_needs_rationale_approver_and_a_later_expiry(ws: Path) -> None:
    missing = antai(ws, "accept", "ASR-04", "--approver", "CEO", "--expires", "2027-01-01")
    assert missing.returncode == 2 and "--rationale" in missing.stderr
    before = snapshot(ws)
    backwards = antai(
        ws,
        "accept",
        "ASR-04",
        "--rationale",
        "r",
        "--approver",
        "CEO",
        "--expires",
        "2026-01-01",
        "--decided",
        "2026-06-01",
    )
    assert backwards.returncode == 1 and "決定の期限は決定日より後" in backwards.stderr
    assert snapshot(ws) == before
    ok = antai(
        ws,
        "accept",
        "ASR-04",
        "--rationale",
        "too early for a paid programme",
        "--approver",
        "CEO",
        "--expires",
        "2099-01-01",
    )
    assert ok.returncode == 0, ok.stderr
    decisions = yaml.safe_load((ws / "decisions.yaml").read_text("utf-8"))["acceptances"]
    assert decisions[0]["item"] == "ASR-04" and decisions[0]["approver"] == "CEO"
    answers = yaml.safe_load((ws / "answers.yaml").read_text("utf-8"))["answers"]
    assert answers["ASR-04"]["status"] == "risk_accepted"


def test_evidence_keeps_hash_uploader_and_effective_date(ws: Path, tmp_path: Path) -> None:
    report = tmp_path / "credential report.csv"
    report.write_text("root,mfa,true\n", encoding="utf-8")
    added = antai(ws, "evidence", "add", "IAM-01", str(report), "--effective-date", "2026-01-15")
    assert added.returncode == 0, added.stderr
    link = antai(ws, "evidence", "add", "ASR-03", "https://example.com/.well-known/security.txt")
    assert link.returncode == 0, link.stderr
    index = yaml.safe_load((ws / "evidence" / "index.yaml").read_text("utf-8"))["evidence"]
    first = index[0]
    assert first["id"] == "E0001" and first["added_by"] == "tester"
    assert str(first["effective_from"]) == "2026-01-15" and not str(first["added_at"]).startswith("2026-01-15")
    assert str(first["expires"]) == "2027-01-15"  # a year of validity unless told otherwise
    stored = ws / first["path"]
    assert stored.read_bytes() == report.read_bytes() and " " not in stored.name
    import hashlib

    assert first["sha256"] == hashlib.sha256(report.read_bytes()).hexdigest()
    assert index[1]["kind"] == "url"
    missing = antai(ws, "evidence", "add", "IAM-01", str(tmp_path / "nope.pdf"))
    assert missing.returncode == 2 and "nope.pdf: ファイルを読めない" in missing.stderr


def test_verify_catches_an_edited_log_entry(ws: Path) -> None:
    antai(ws, "set", "IAM-01", "--status", "implemented")
    antai(ws, "set", "IAM-02", "--status", "implemented")
    assert antai(ws, "verify").returncode == 0
    log = ws / "history.jsonl"
    lines = log.read_text("utf-8").splitlines()
    lines[1] = lines[1].replace('"who":"tester"', '"who":"mallory"').replace('"who": "tester"', '"who": "mallory"')
    assert "mallory" in lines[1]
    log.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = antai(ws, "verify", "--lang", "en")
    assert result.returncode == 1
    assert f"{log}:2: history entry (entry #2) does not match its hash" in result.stdout


def test_verify_catches_a_removed_log_entry(ws: Path) -> None:
    antai(ws, "set", "IAM-01", "--status", "implemented")
    antai(ws, "set", "IAM-02", "--status", "implemented")
    log = ws / "history.jsonl"
    lines = log.read_text("utf-8").splitlines()
    log.write_text("\n".join([lines[0], lines[2]]) + "\n", encoding="utf-8")
    result = antai(ws, "verify", "--lang", "en")
    assert result.returncode == 1 and ":2: history entry" in result.stdout and "does not link" in result.stdout


def test_verify_catches_a_swapped_evidence_file(ws: Path, tmp_path: Path) -> None:
    source = tmp_path / "pentest.md"
    source.write_text("0 critical findings\n", encoding="utf-8")
    antai(ws, "evidence", "add", "ASR-01", str(source))
    stored = next((ws / "evidence" / "files").iterdir())
    stored.write_text("0 critical findings (edited)\n", encoding="utf-8")
    result = antai(ws, "verify", "--lang", "en")
    assert result.returncode == 1
    assert f"{stored.resolve()}: evidence E0001 for ASR-01 was altered or replaced" in result.stdout


def test_hand_edits_are_reported_refused_then_recorded(ws: Path) -> None:
    answers = ws / "answers.yaml"
    text = answers.read_text("utf-8")
    answers.write_text(
        text.replace("  IAM-01:\n    status: unanswered", "  IAM-01:\n    status: implemented", 1), "utf-8"
    )
    check = antai(ws, "verify", "--lang", "en")
    assert check.returncode == 1 and f"{answers}: changed outside antai" in check.stdout
    refused = antai(ws, "set", "IAM-02", "--status", "implemented")
    assert refused.returncode == 1 and "antai record" in refused.stderr
    recorded = antai(ws, "record", "-m", "marked IAM-01 after the review meeting")
    assert recorded.returncode == 0, recorded.stderr
    assert antai(ws, "verify").returncode == 0
    assert antai(ws, "set", "IAM-02", "--status", "implemented").returncode == 0
    assert "marked IAM-01 after the review meeting" in antai(ws, "log").stdout


def test_validate_reports_hand_edit_mistakes_with_lines(ws: Path) -> None:
    answers = ws / "answers.yaml"
    lines = answers.read_text("utf-8").splitlines()
    n = lines.index("  IAM-02:")
    lines[n + 1] = "    status: finished"
    answers.write_text("\n".join(lines) + "\n", "utf-8")
    result = antai(ws, "validate")
    assert result.returncode == 1
    assert f"{answers}:{n + 2}:13: answers.IAM-02.status:" in result.stdout
    lines[n + 1] = "    status: risk_accepted"
    answers.write_text("\n".join(lines) + "\n", "utf-8")
    result = antai(ws, "validate")
    assert result.returncode == 1 and f"{answers}:{n + 2}:" in result.stdout and "裏付ける決定がない" in result.stdout


def test_status_scores_gaps_and_flags(ws: Path, tmp_path: Path) -> None:
    antai(ws, "set", "IAM-01", "--status", "implemented")
    antai(ws, "set", "IAM-02", "--status", "planned", "--due", "2020-01-01")
    antai(
        ws,
        "accept",
        "ASR-04",
        "--rationale",
        "r",
        "--approver",
        "CEO",
        "--decided",
        "2020-01-01",
        "--expires",
        "2020-06-01",
    )
    old = tmp_path / "old.txt"
    old.write_text("x", encoding="utf-8")
    antai(ws, "evidence", "add", "IAM-01", str(old), "--effective-date", "2019-01-01")
    data = json.loads(antai(ws, "status", "--format", "json").stdout)
    assert data["mandatory_coverage"]["done"] == 1
    assert 0 < data["overall"]["score"] < 5
    assert set(data["by_cia"]) == {"confidentiality", "integrity", "availability"}
    assert "device" in data["by_layer"] and "2" in data["by_chapter"]
    assert data["flags"]["overdue"] == ["IAM-02"]
    assert data["flags"]["expired_acceptances"] == ["ASR-04"]
    assert data["flags"]["expired_evidence"] == ["E0001"]
    gaps = data["gaps"]
    assert gaps and [g["priority"] for g in gaps] == sorted(g["priority"] for g in gaps)
    assert "IAM-01" not in {g["id"] for g in gaps}
    table = antai(ws, "status")
    assert table.returncode == 0 and "IAM-02" in table.stdout


def test_assess_walks_open_items_and_saves_each_answer(ws: Path) -> None:
    from click.testing import CliRunner

    from antai.cli.main import cli

    answers = "\n".join(["1", "", "3", "2027-03-31", "CTO", "q"]) + "\n"  # implemented (no owner), planned, quit
    result = CliRunner(env={"ANTAI_USER": "tester"}).invoke(
        cli, ["assess", "-C", str(ws), "--lang", "en"], input=answers
    )
    assert result.exit_code == 0, result.output
    assert "items to assess" in result.output or "item(s) to assess" in result.output
    saved = yaml.safe_load((ws / "answers.yaml").read_text("utf-8"))["answers"]
    import re

    first, second = re.findall(r"\[\d+/\d+\] ([A-Z]+-\d+)", result.output)[:2]  # in priority order
    assert saved[first]["status"] == "implemented"
    assert saved[second]["status"] == "planned" and str(saved[second]["due"]) == "2027-03-31"
    assert saved[second]["owner"] == "CTO"
    assert antai(ws, "verify").returncode == 0


def test_a_failed_write_leaves_the_old_file_and_no_debris(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import os

    from antai.fileio import atomic_write_text

    target = tmp_path / "answers.yaml"
    target.write_text("old\n", encoding="utf-8")

    def crash(*_: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", crash)
    with pytest.raises(OSError):
        atomic_write_text(target, "new\n")
    assert target.read_text("utf-8") == "old\n"
    assert [p.name for p in tmp_path.iterdir()] == ["answers.yaml"]


def test_dates_are_plain_yaml_but_date_like_notes_stay_text(ws: Path) -> None:
    assert (
        antai(ws, "set", "IAM-02", "--status", "planned", "--due", "2027-02-01", "--note", "2027-01-01").returncode == 0
    )
    text = (ws / "answers.yaml").read_text("utf-8")
    assert "    due: 2027-02-01\n" in text and "    note: '2027-01-01'\n" in text
    assert antai(ws, "validate").returncode == 0


def test_verify_speaks_japanese_about_tampering(ws: Path) -> None:
    antai(ws, "set", "IAM-01", "--status", "implemented")
    log = ws / "history.jsonl"
    lines = log.read_text("utf-8").splitlines()
    log.write_text("\n".join([lines[0], lines[1].replace('"tester"', '"mallory"')]) + "\n", encoding="utf-8")
    (ws / "evidence" / "files").mkdir(parents=True, exist_ok=True)
    (ws / "evidence" / "files" / "stray.txt").write_text("x", encoding="utf-8")
    result = antai(ws, "verify")
    assert result.returncode == 1
    assert f"{log}:2: 履歴エントリ（#2）はハッシュと一致しない（内容が改変された）" in result.stdout
    assert "エビデンスの一覧にない（antai の外で追加された）" in result.stdout
    assert not re.search(r"[a-z]{4,} (entry|evidence|history|changed)", result.stdout)
