"""Document control, sign-off and the remediation plan, as a bank reads them: every bank output names its
document ID, edition, date, scope, period, assessor and classification; the representative and the security
owner sign off before a submission, and a change after their sign-off ends it; every gap has an owner, a due
date and an interim measure, or says which of them is missing."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from antai.submission import keys
from antai.submission.manifest import canonical

from .conftest import run_cli, sign_off

SCOPE = "参照系 API の接続申請（テスト）"


class Workspace:
    def __init__(self, base: Path) -> None:
        self.base = base
        self.ws = base / "ws"
        self.keys = base / "keys"
        made = run_cli("demo", str(self.ws))
        assert made.returncode == 0, made.stderr
        assert self.run("key", "new").returncode == 0

    def run(self, *args: str) -> Any:
        return run_cli(*args, env={"ANTAI_USER": "tester", "ANTAI_KEY_DIR": str(self.keys)})


@pytest.fixture(scope="module")
def space(tmp_path_factory: pytest.TempPathFactory) -> Workspace:
    return Workspace(tmp_path_factory.mktemp("document-control"))


def test_signoff_records_shows_and_ends_with_the_next_change(space: Workspace) -> None:
    ws = str(space.ws)
    # the demo's last step is its second submission: no sign-off is in force any more
    shown = json.loads(space.run("signoff", "-C", ws, "--format", "json").stdout)
    assert shown == {"signoffs": [], "missing": ["representative", "security_owner"]}
    refused = space.run("submit", "-C", ws)
    assert refused.returncode == 1
    assert "代表者とセキュリティ責任者の承認がない（`antai signoff ROLE NAME`）" in refused.stderr
    assert "Traceback" not in refused.stderr

    done = space.run("signoff", "representative", "佐藤 健", "--title", "代表取締役", "-C", ws)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[0] == "代表者の承認を記録した: 佐藤 健"
    assert "まだ承認していない: セキュリティ責任者" in done.stderr
    future = space.run("signoff", "security_owner", "田中 一郎", "--date", "2999-01-01", "-C", ws)
    assert future.returncode == 1 and "承認日 2999-01-01 は未来の日付にできない" in future.stderr

    # an answer changed after the sign-off ends it
    changed = space.run("set", "CYB-05", "--owner", "SRE 鈴木", "-C", ws)
    assert changed.returncode == 0, changed.stderr
    shown = json.loads(space.run("signoff", "-C", ws, "--format", "json").stdout)
    assert shown["signoffs"] == []


def test_submission_carries_the_signoffs_and_verify_checks_them(space: Workspace, tmp_path: Path) -> None:
    ws = str(space.ws)
    sign_off(space.ws, space.run)
    out = tmp_path / "bundle"
    made = space.run("submit", "-C", ws, "-o", str(out), "--scope", SCOPE, "--assessor", "監査役 山本")
    assert made.returncode == 0, made.stderr
    manifest = json.loads((out / "manifest.json").read_text("utf-8"))
    assert [(s["role"], s["name"]) for s in manifest["signoffs"]] == [
        ("representative", "佐藤 健"),
        ("security_owner", "田中 一郎"),
    ]
    assert manifest["document"]["assessor"] == "監査役 山本"
    assert manifest["document"]["classification"] == "confidential"
    assert manifest["document"]["draft"] is False
    report = json.loads((out / "report" / "bank-report.ja.json").read_text("utf-8"))
    document = report["document"]
    assert document["id"] == manifest["id"] and document["version"] == manifest["sequence"]
    assert document["scope"] == SCOPE and document["state"] == "submitted"
    # the period runs from the previous submission (the demo's second) to today
    history = [json.loads(line) for line in (space.ws / "history.jsonl").read_text("utf-8").splitlines()]
    previous = [e for e in history if e["action"] == "submit"][-2]
    assert document["period_start"] == previous["at"][:10]
    assert document["period_end"] == report["assessment_date"]
    # the bank's checklist, answered, travels in the bundle
    assert {f["path"] for f in manifest["files"] if f["role"] == "checklist"} == {
        "checklist/api-connection.ja.xlsx",
        "checklist/api-connection.ja.html",
    }

    fingerprint = keys.fingerprint(keys.load_private((space.keys / "signing-key.pem").read_bytes()).public_key())
    verified = space.run("review", "verify", str(out), "--key", fingerprint)
    assert verified.returncode == 0, verified.stdout
    assert verified.stdout.splitlines()[-1] == (
        f"承認: 代表者 佐藤 健・代表取締役（{document['issued']}）、"
        f"セキュリティ責任者 田中 一郎・CTO（{document['issued']}）"
    )

    # a manifest that names a sign-off the history does not hold fails, even re-signed with the venture's key
    forged = tmp_path / "forged"
    shutil.copytree(out, forged)
    data = json.loads((forged / "manifest.json").read_text("utf-8"))
    data["signoffs"][0]["name"] = "別人"
    (forged / "manifest.json").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    private = keys.load_private((space.keys / "signing-key.pem").read_bytes())
    import base64

    (forged / "manifest.sig").write_bytes(base64.b64encode(keys.sign(private, canonical(data))) + b"\n")
    refused = space.run("review", "verify", str(forged), "--key", fingerprint, "--format", "json")
    assert refused.returncode == 1
    assert [p["code"] for p in json.loads(refused.stdout)["problems"]] == ["signoff_mismatch"]


def test_an_unsigned_draft_says_so_on_its_cover(space: Workspace, tmp_path: Path) -> None:
    out = tmp_path / "draft"
    made = space.run("submit", "-C", str(space.ws), "-o", str(out), "--unsigned")
    assert made.returncode == 0, made.stderr
    manifest = json.loads((out / "manifest.json").read_text("utf-8"))
    assert manifest["signoffs"] == [] and manifest["document"]["draft"] is True
    html = (out / "report" / "bank-report.ja.html").read_text("utf-8")
    assert "承認されていない。この文書は下書きであり、銀行への提出物ではない。" in html


def test_every_bank_format_carries_the_document_control_block(space: Workspace, tmp_path: Path) -> None:
    ws = str(space.ws)
    args = ["report", "-C", ws, "--audience", "bank", "--scope", SCOPE, "--classification", "strictly_confidential"]
    report = json.loads(space.run(*args, "--format", "json").stdout)
    document = report["document"]
    assert document["id"].startswith("DRAFT-") and document["version"] is None and document["state"] == "draft"
    assert document["classification"] == "strictly_confidential"
    assert document["assessor"] == "CTO 田中 一郎"  # the named security owner, by default
    assert document["previous"] is not None  # the workspace has been submitted before
    edition = f"下書き（提出していない。前回の提出は {document['previous']}）"
    expected = {
        "文書番号": document["id"],
        "版": edition,
        "発行日": document["issued"],
        "対象範囲": SCOPE,
        "評価期間": f"{document['period_start']} – {document['period_end']}",
        "評価者": "CTO 田中 一郎",
        "機密区分": "極秘（提出先の担当者限り）",
    }
    html = space.run(*args, "--format", "html", "-o", str(tmp_path / "r.html"))
    assert html.returncode == 0, html.stderr
    page = (tmp_path / "r.html").read_text("utf-8")
    for key, value in expected.items():
        assert f"<dt>{key}</dt><dd>{value}</dd>" in page
    md = space.run(*args, "--format", "md").stdout
    for key, value in expected.items():
        assert f"- {key}: {value}" in md
    assert space.run(*args, "--format", "xlsx", "-o", str(tmp_path / "r.xlsx")).returncode == 0
    book = load_workbook(tmp_path / "r.xlsx")
    cover = book["表紙"]
    pairs = {cover.cell(row=r, column=1).value: cover.cell(row=r, column=2).value for r in range(1, 40)}
    for key, value in expected.items():
        assert pairs[key] == value
    for sheet in book.worksheets:  # every sheet prints the document's ID and label and its page numbers
        assert sheet.oddHeader.right.text == f"{document['id']} · {edition} · 極秘（提出先の担当者限り）"
        assert sheet.oddFooter.center.text == "&P / &N"


def test_the_pdf_prints_the_document_id_and_page_numbers_on_every_page(space: Workspace, tmp_path: Path) -> None:
    target = tmp_path / "bank.pdf"
    done = space.run("report", "-C", str(space.ws), "--audience", "bank", "--format", "pdf", "-o", str(target))
    assert done.returncode == 0, done.stderr
    pages = int(
        next(
            line.split()[-1]
            for line in subprocess.run(["pdfinfo", str(target)], capture_output=True, text=True).stdout.splitlines()
            if line.startswith("Pages:")
        )
    )
    assert pages <= 15
    for number in range(1, pages + 1):
        text = subprocess.run(
            ["pdftotext", "-layout", "-f", str(number), "-l", str(number), str(target), "-"],
            capture_output=True,
            text=True,
        ).stdout
        assert "DRAFT-" in text and "社外秘（提出先限り）" in text
        assert f"{number} / {pages}" in text


def test_the_remediation_plan_has_owner_due_and_interim_for_every_gap(space: Workspace) -> None:
    ws = str(space.ws)
    refused = space.run("set", "IAM-01", "--interim", "暫定", "-C", ws)  # IAM-01 is implemented
    assert refused.returncode == 1
    assert "Traceback" not in refused.stderr
    before = json.loads(space.run("report", "-C", ws, "--audience", "bank", "--format", "json").stdout)
    target = next(i["id"] for i in before["items"] if i["status"] == "not_implemented")
    done = space.run("set", target, "--interim", "サーバー側で操作を制限する", "-C", ws)
    assert done.returncode == 0, done.stderr
    report = json.loads(space.run("report", "-C", ws, "--audience", "bank", "--format", "json").stdout)
    gaps = report["scores"]["gaps"]
    plan = {r["id"]: r for r in report["remediation"]}
    assert [r["id"] for r in report["remediation"]] == [g["id"] for g in gaps]
    assert plan[target]["interim"] == "サーバー側で操作を制限する"
    assert plan[target]["missing"] == ["due"]  # not implemented: no date until it is planned
    items = {i["id"]: i for i in report["items"]}
    for entry in report["remediation"]:
        item = items[entry["id"]]
        expected = [
            name
            for name, missing in (
                ("owner", not item["owner"]),
                ("due", item["due"] is None),
                ("interim", item["interim"] is None and item["status"] in ("planned", "partial", "not_implemented")),
            )
            if missing
        ]
        assert entry["missing"] == expected
    page = space.run("report", "-C", ws, "--audience", "bank", "--format", "md").stdout
    complete = sum(1 for r in report["remediation"] if not r["missing"])
    intro = f"ギャップ {len(gaps)} 件それぞれの担当・期限・暫定策（完了までリスクを抑える手立て）。"
    assert f"{intro}3 つがそろうのは {complete} 件。" in page
    (row,) = [line for line in page.splitlines() if f"| {target} |" in line and "サーバー側で操作を制限する" in line]
    assert row.endswith("| 期限未定 |")
