"""The workspace as a team uses it with real processes and real git: parallel writers, kills, hand edits
with comments, Windows line endings, branch merges, outputs that must not clobber inputs, exit codes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from .conftest import run_cli

ENV = {
    "ANTAI_USER": "tester",
    "GIT_AUTHOR_NAME": "t",
    "GIT_AUTHOR_EMAIL": "t@example.com",
    "GIT_COMMITTER_NAME": "t",
    "GIT_COMMITTER_EMAIL": "t@example.com",
    "GIT_CONFIG_GLOBAL": "/dev/null",
    "GIT_CONFIG_NOSYSTEM": "1",
}


def antai(ws: Path, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return run_cli(*args, "-C", str(ws), env={**ENV, **(env or {})})


def git(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(
        ["git", *args], cwd=cwd, capture_output=True, text=True, env={**os.environ, **ENV}, timeout=60, check=False
    )
    return result


@pytest.fixture
def ws(tmp_path: Path) -> Path:
    root = tmp_path / "ws"
    made = run_cli("init", str(root), "--profile", "example:household-budget", "--org", "Trust KK", env=ENV)
    assert made.returncode == 0, made.stderr
    return root


def answers(ws: Path) -> dict[str, dict[str, object]]:
    loaded: dict[str, dict[str, object]] = yaml.safe_load((ws / "answers.yaml").read_text("utf-8"))["answers"]
    return loaded


def test_twenty_parallel_sets_all_persist_and_the_chain_holds(ws: Path) -> None:
    items = [k for k, v in answers(ws).items() if v["status"] == "unanswered"][:20]
    procs = [
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "antai",
                "set",
                item,
                "--status",
                "implemented",
                "--owner",
                f"p-{item}",
                "-C",
                str(ws),
            ],
            env={**os.environ, **ENV},
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for item in items
    ]
    for proc in procs:
        _, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err
    stored = answers(ws)
    assert [stored[i]["owner"] for i in items] == [f"p-{i}" for i in items]
    assert {stored[i]["status"] for i in items} == {"implemented"}
    checked = antai(ws, "verify")
    assert checked.returncode == 0 and "OK: 履歴 21 件は改ざんされていない" in checked.stdout


def test_parallel_evidence_gets_unique_ids_and_loses_nothing(ws: Path, tmp_path: Path) -> None:
    sources = []
    for n in range(10):
        source = tmp_path / f"ev{n}.txt"
        source.write_text(f"evidence {n}\n", encoding="utf-8")
        sources.append(source)
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "antai", "evidence", "add", "IAM-01", str(s), "-C", str(ws)],
            env={**os.environ, **ENV},
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        for s in sources
    ]
    for proc in procs:
        proc.communicate(timeout=120)
        assert proc.returncode == 0
    index = yaml.safe_load((ws / "evidence" / "index.yaml").read_text("utf-8"))["evidence"]
    assert sorted(e["id"] for e in index) == [f"E{n:04d}" for n in range(1, 11)]
    assert sorted(e["name"] for e in index) == sorted(s.name for s in sources)
    assert len(list((ws / "evidence" / "files").iterdir())) == 10
    assert antai(ws, "verify").returncode == 0


def test_a_busy_workspace_exits_3_with_a_clear_message(ws: Path) -> None:
    from filelock import FileLock

    with FileLock(str(ws / ".antai" / "lock")):
        result = antai(ws, "set", "IAM-01", "--status", "implemented", env={"ANTAI_LOCK_TIMEOUT": "0.5"})
    assert result.returncode == 3 and "ワークスペースは使用中" in result.stderr
    assert answers(ws)["IAM-01"]["status"] == "unanswered"


def test_a_kill_during_accept_is_completed_by_the_next_command(ws: Path) -> None:
    killed = antai(
        ws,
        "accept",
        "ASR-04",
        "--rationale",
        "too early",
        "--approver",
        "CEO",
        "--expires",
        "2099-01-01",
        env={"ANTAI_FAULT": "moving"},
    )
    assert killed.returncode == -9
    assert (ws / ".antai" / "journal.json").exists()
    shown = antai(ws, "status", "--format", "json")
    assert shown.returncode == 0, shown.stderr
    assert json.loads(shown.stdout)["status_counts"]["risk_accepted"] == 1
    assert not (ws / ".antai" / "journal.json").exists()
    checked = antai(ws, "verify")
    assert checked.returncode == 0, checked.stdout
    assert [e["action"] for e in map(json.loads, (ws / "history.jsonl").read_text("utf-8").splitlines())][
        -1
    ] == "accept"


def test_a_kill_before_the_journal_leaves_no_trace_and_repair_reports_strays(ws: Path) -> None:
    killed = antai(ws, "set", "IAM-01", "--status", "implemented", env={"ANTAI_FAULT": "before-journal"})
    assert killed.returncode == -9
    (ws / ".answers.yaml.abc123.tmp").write_text("left by an old antai", encoding="utf-8")
    repaired = antai(ws, "repair")
    assert repaired.returncode == 0, repaired.stderr
    assert "一時ファイル .antai/staging/" in repaired.stdout
    assert "一時ファイル .answers.yaml.abc123.tmp を削除した" in repaired.stdout
    assert answers(ws)["IAM-01"]["status"] == "unanswered"
    assert antai(ws, "verify").returncode == 0
    assert antai(ws, "repair").stdout.strip() == "修復するものはない"


def test_hand_written_comments_survive_set(ws: Path) -> None:
    path = ws / "answers.yaml"
    text = path.read_text("utf-8")
    text = text.replace(
        "  DAT-04:\n", "  # CTO: checked with AWS Config on 2026-11-30, see ticket SEC-123\n  DAT-04:\n"
    )
    text = text.replace(
        "  DAT-04:\n    status: unanswered\n", "  DAT-04:\n    status: unanswered  # until we hire a CISO\n"
    )
    path.write_text(text, encoding="utf-8")
    assert antai(ws, "validate").returncode == 0
    assert antai(ws, "record", "-m", "added comments").returncode == 0
    done = antai(ws, "set", "DAT-05", "--status", "implemented")
    assert done.returncode == 0, done.stderr
    after = path.read_text("utf-8")
    assert "# CTO: checked with AWS Config on 2026-11-30, see ticket SEC-123" in after
    assert "# until we hire a CISO" in after
    assert answers(ws)["DAT-05"]["status"] == "implemented"
    assert antai(ws, "verify").returncode == 0


def test_windows_line_endings_do_not_break_verify_or_writes(ws: Path) -> None:
    antai(ws, "set", "IAM-01", "--status", "implemented")
    for name in ("answers.yaml", "antai.yaml", "profile.yaml", "decisions.yaml", "history.jsonl"):
        path = ws / name
        path.write_bytes(path.read_bytes().replace(b"\r\n", b"\n").replace(b"\n", b"\r\n"))
    checked = antai(ws, "verify")
    assert checked.returncode == 0, checked.stdout
    assert antai(ws, "set", "IAM-02", "--status", "implemented").returncode == 0
    assert antai(ws, "verify").returncode == 0


def test_a_clone_with_autocrlf_verifies(ws: Path, tmp_path: Path) -> None:
    assert "* -text" in (ws / ".gitattributes").read_text("utf-8")
    assert ".antai/" in (ws / ".gitignore").read_text("utf-8")
    git(ws, "init", "-q", "-b", "main")
    git(ws, "add", "-A")
    assert git(ws, "commit", "-q", "-m", "assessment").returncode == 0
    clone = tmp_path / "clone"
    made = git(tmp_path, "-c", "core.autocrlf=true", "clone", "-q", str(ws), str(clone))
    assert made.returncode == 0, made.stderr
    assert antai(clone, "verify").returncode == 0
    assert antai(clone, "set", "IAM-01", "--status", "implemented").returncode == 0


def test_two_branches_merge_and_record_joins_their_histories(ws: Path) -> None:
    git(ws, "init", "-q", "-b", "main")
    git(ws, "add", "-A")
    git(ws, "commit", "-q", "-m", "start")
    git(ws, "checkout", "-q", "-b", "alice")
    assert antai(ws, "set", "IAM-01", "--status", "implemented", "--owner", "alice").returncode == 0
    git(ws, "commit", "-q", "-am", "alice: IAM-01")
    git(ws, "checkout", "-q", "main")
    assert antai(ws, "set", "LOG-01", "--status", "planned", "--due", "2027-03-31").returncode == 0
    assert antai(ws, "set", "DAT-04", "--status", "partial", "--due", "2027-03-31").returncode == 0
    git(ws, "commit", "-q", "-am", "bob: LOG-01, DAT-04")
    merged = git(ws, "merge", "-q", "--no-edit", "alice")
    assert merged.returncode == 0, merged.stdout + merged.stderr  # no conflict, history.jsonl by union
    before = antai(ws, "verify", "--lang", "en")
    assert before.returncode == 1 and "branches of the history are not joined" in before.stdout
    japanese = antai(ws, "verify")
    assert "履歴の枝 2 本が合流していない" in japanese.stdout and "not joined" not in japanese.stdout
    refused = antai(ws, "set", "DAT-05", "--status", "implemented")
    assert refused.returncode == 1 and "antai の外で変更され" in refused.stderr
    recorded = antai(ws, "record", "-m", "merge alice")
    assert recorded.returncode == 0, recorded.stderr
    assert "履歴の枝 2 本を結合した" in recorded.stdout
    checked = antai(ws, "verify")
    assert checked.returncode == 0, checked.stdout
    stored = answers(ws)
    assert (stored["IAM-01"]["status"], stored["LOG-01"]["status"], stored["DAT-04"]["status"]) == (
        "implemented",
        "planned",
        "partial",
    )
    log = antai(ws, "log", "--format", "json")
    entries = json.loads(log.stdout)
    assert {(e["action"], e["item"]) for e in entries} >= {("set", "IAM-01"), ("set", "LOG-01"), ("set", "DAT-04")}
    assert entries[-1]["action"] == "record" and entries[-1]["merge"]
    assert antai(ws, "set", "DAT-05", "--status", "implemented").returncode == 0
    assert antai(ws, "verify").returncode == 0


def test_outputs_never_overwrite_inputs(ws: Path, tmp_path: Path) -> None:
    original = (ws / "answers.yaml").read_bytes()
    for name in ("answers.yaml", "history.jsonl", "evidence/index.yaml", "catalog-lock.json"):
        refused = antai(ws, "report", "--format", "xlsx", "-o", str(ws / name), "--force")
        assert refused.returncode == 2 and "には書き込まない" in refused.stderr, name
    assert (ws / "answers.yaml").read_bytes() == original
    profile = tmp_path / "p.yaml"
    profile.write_text((ws / "profile.yaml").read_text("utf-8"), encoding="utf-8")
    kept = profile.read_bytes()
    plan = run_cli("plan", "--profile", str(profile), "--format", "json", "-o", str(profile))
    assert plan.returncode == 2 and "には書き込まない" in plan.stderr and profile.read_bytes() == kept
    notes = tmp_path / "notes.txt"
    notes.write_text("my notes\n", encoding="utf-8")
    other = antai(ws, "report", "--format", "xlsx", "-o", str(notes))
    assert other.returncode == 2 and "xlsx ファイルではない" in other.stderr
    assert notes.read_text("utf-8") == "my notes\n"
    out = tmp_path / "bank.xlsx"
    assert antai(ws, "report", "--format", "xlsx", "-o", str(out)).returncode == 0
    assert antai(ws, "report", "--format", "xlsx", "-o", str(out)).returncode == 0  # its own kind: fine
    forced = antai(ws, "report", "--format", "xlsx", "-o", str(notes), "--force")
    assert forced.returncode == 0 and notes.read_bytes().startswith(b"PK")
    table = run_cli("plan", "--profile", "example:remittance", "-o", str(tmp_path / "plan.txt"))
    assert table.returncode == 2 and "-o FILE には --format" in table.stderr


def test_a_workspace_from_a_newer_antai_is_refused_not_downgraded(ws: Path) -> None:
    meta = ws / "antai.yaml"
    meta.write_text(meta.read_text("utf-8").replace("format: 3", "format: 4"), encoding="utf-8")
    for args in (("status",), ("set", "IAM-01", "--status", "implemented"), ("upgrade",), ("validate",)):
        result = antai(ws, *args)
        assert result.returncode == 4 and "新しい antai" in result.stderr, args
    pinned_newer = meta.read_text("utf-8").replace("format: 4", "format: 3")
    assert "catalog_version: 0.2.0\n" in pinned_newer
    meta.write_text(pinned_newer.replace("catalog_version: 0.2.0\n", "catalog_version: 9.0.0\n"), "utf-8")
    upgraded = antai(ws, "upgrade")
    assert upgraded.returncode == 4 and "ダウングレードしない" in upgraded.stderr


def test_profile_set_on_a_live_workspace_shows_the_delta_and_carries_answers(ws: Path) -> None:
    antai(ws, "set", "IAM-01", "--status", "implemented")
    preview = antai(ws, "profile", "set", "channels+=web", "--dry-run")
    assert preview.returncode == 0, preview.stderr
    assert "+ CYB-03（新規、未回答）" in preview.stdout and "（試行のみ）" in preview.stdout
    assert "CYB-03" not in answers(ws)
    done = antai(ws, "profile", "set", "channels+=web")
    assert done.returncode == 0, done.stderr
    stored = answers(ws)
    assert stored["CYB-03"]["status"] == "unanswered" and stored["IAM-01"]["status"] == "implemented"
    assert "web" in yaml.safe_load((ws / "profile.yaml").read_text("utf-8"))["channels"]
    assert antai(ws, "validate").returncode == 0 and antai(ws, "verify").returncode == 0


def test_exit_codes_for_unknown_ids_are_2_everywhere(ws: Path) -> None:
    for args in (
        ("set", "NOPE-01", "--status", "implemented"),
        ("evidence", "add", "NOPE-01", "https://example.com/x"),
        ("log", "NOPE-01"),
        ("evidence", "list", "NOPE-01"),
        ("accept", "NOPE-01", "--rationale", "r", "--approver", "a", "--expires", "2099-01-01"),
    ):
        result = antai(ws, *args)
        assert result.returncode == 2 and "項目 NOPE-01 はない" in result.stderr, args


def test_an_altered_last_entry_stops_every_write(ws: Path) -> None:
    assert antai(ws, "set", "IAM-01", "--status", "implemented").returncode == 0
    log = ws / "history.jsonl"
    lines = log.read_text("utf-8").splitlines()
    lines[-1] = lines[-1].replace('"who": "tester"', '"who": "CEO (forged)"')
    log.write_text("\n".join(lines) + "\n", encoding="utf-8")
    refused = antai(ws, "set", "IAM-02", "--status", "implemented", "--lang", "en")
    assert refused.returncode == 4 and "the last history entry does not match its hash" in refused.stderr
    assert answers(ws)["IAM-02"]["status"] == "unanswered"
