"""`antai review diff OLD NEW` as a bank runs it at the yearly re-check: the demo venture submits, makes a
handful of specific changes, submits again, and the diff lists exactly those changes — in JSON and in the
Japanese table — and nothing else; another organisation's bundle is refused; with --key a tampered bundle
stops the comparison."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from .conftest import init_template, run_cli, sign_off

TODAY = dt.date.today()
EVIDENCE_FROM = TODAY - dt.timedelta(days=5)
EVIDENCE_UNTIL = TODAY + dt.timedelta(days=360)
DECIDED = TODAY - dt.timedelta(days=3)
DECISION_UNTIL = TODAY + dt.timedelta(days=200)


class Pair:
    """The demo workspace submitted twice, with known changes in between."""

    def __init__(self, base: Path) -> None:
        self.keys = base / "keys"
        self.ws = base / "antai-demo"
        assert run_cli("demo", str(self.ws)).returncode == 0
        assert self.run("key", "new").returncode == 0
        self.fingerprint = json.loads(self.run("key", "show", "--format", "json").stdout)["fingerprint"]
        self.old = self.submit()
        (base / "pentest-2026.pdf").write_bytes(b"%PDF-1.4 penetration test report 2026\n")
        changes = [
            ("set", "ASR-01", "--status", "implemented"),
            ("set", "DAT-06", "--owner", "SRE 山田"),
            (
                "evidence",
                "add",
                "ASR-01",
                str(base / "pentest-2026.pdf"),
                "--effective-date",
                EVIDENCE_FROM.isoformat(),
                "--expires",
                EVIDENCE_UNTIL.isoformat(),
            ),
            (
                "accept",
                "CHG-01",
                "--rationale",
                "本番変更は 2 名承認の手順書で統制し、IaC 化は来期に行う",
                "--approver",
                "代表取締役 CEO 佐藤",
                "--decided",
                DECIDED.isoformat(),
                "--expires",
                DECISION_UNTIL.isoformat(),
            ),
            ("org", "set", "user_protection.loss_allocation", "接続契約の損失分担条項に従う"),
            ("org", "set", "eligibility.staff_count", "15"),
            ("org", "unset", "cooperation.contact_24x7.phone"),
            ("profile", "set", "own_equipment=true", "outsourcing=false"),  # DAT-10 enters the plan, OUT-01 leaves
        ]
        for change in changes:
            done = self.run(*change, "-C", str(self.ws))
            assert done.returncode == 0, (change, done.stderr)
        self.new = self.submit()

    def run(self, *args: str) -> Any:
        return run_cli(*args, env={"ANTAI_USER": "tester", "ANTAI_KEY_DIR": str(self.keys)})

    def submit(self, ws: Path | None = None) -> Path:
        sign_off(ws or self.ws, self.run)
        made = self.run("submit", "-C", str(ws or self.ws))
        assert made.returncode == 0, made.stderr
        return Path(made.stdout.strip())

    def report(self, bundle: Path) -> dict[str, Any]:
        data: dict[str, Any] = json.loads((bundle / "report" / "bank-report.ja.json").read_text("utf-8"))
        return data

    def manifest(self, bundle: Path) -> dict[str, Any]:
        data: dict[str, Any] = json.loads((bundle / "manifest.json").read_text("utf-8"))
        return data


@pytest.fixture(scope="module")
def pair(tmp_path_factory: pytest.TempPathFactory) -> Pair:
    return Pair(tmp_path_factory.mktemp("diff"))


def test_the_json_diff_lists_exactly_the_changes_made_between_two_submissions(pair: Pair) -> None:
    result = pair.run("review", "diff", str(pair.old), str(pair.new), "--format", "json")
    assert result.returncode == 0, result.stderr
    d = json.loads(result.stdout)
    old_m, new_m = pair.manifest(pair.old), pair.manifest(pair.new)
    old_r, new_r = pair.report(pair.old), pair.report(pair.new)

    assert d["schema"] == "antai.submission-diff/1"
    assert d["organisation"] == "株式会社ミルカ（デモ）"
    assert (d["verified"], d["verified_with"]) == (False, None)
    for side, m, r in (("old", old_m, old_r), ("new", new_m, new_r)):
        assert d[side] == {
            "id": m["id"],
            "sequence": m["sequence"],
            "created": m["created"],
            "assessment_date": r["assessment_date"],
            "history_entries": m["history"]["entries"],
            "history_head": m["history"]["hash"],
            "previous": m["previous"]["id"] if m["previous"] else None,
            "catalog_version": m["catalog_version"],
            "signer": pair.fingerprint,
        }
    # after the demo's own two submissions
    assert (d["old"]["sequence"], d["new"]["sequence"], d["new"]["previous"]) == (3, 4, old_m["id"])
    # the 8 changes recorded in between, the submit entry itself and the two sign-offs before the second
    assert d["new"]["history_entries"] == d["old"]["history_entries"] + 11
    assert d["catalog"] == {"before": "0.2.0", "after": "0.2.0", "changed": False}

    assert [(i["id"], i["chapter"], i["mandatory"], i["status"], i["effective_status"]) for i in d["plan_added"]] == [
        ("DAT-10", 1, False, "unanswered", "unanswered")
    ]
    assert [(i["id"], i["title"]["ja"], i["status"]) for i in d["plan_removed"]] == [
        ("OUT-01", "開発・運用の外部委託先の管理と納品物の受入れ", "planned")
    ]
    assert d["statuses"] == [
        {
            "id": "ASR-01",
            "title": {
                "ja": "第三者による侵入テストと指摘の期限内是正",
                "en": "Independent penetration tests, with findings fixed on deadline",
            },
            "status_before": "not_implemented",
            "status_after": "implemented",
            "effective_before": "not_implemented",
            "effective_after": "implemented",
        },
        {
            "id": "CHG-01",
            "title": {"ja": "本番環境のコード化と手作業による変更の排除", "en": d["statuses"][1]["title"]["en"]},
            "status_before": "not_implemented",
            "status_after": "risk_accepted",
            "effective_before": "not_implemented",
            "effective_after": "risk_accepted",
        },
    ]
    assert [(a["id"], a["field"], a["before"], a["after"]) for a in d["assignments"]] == [
        ("DAT-06", "owner", "CTO", "SRE 山田")
    ]
    added = next(e for e in new_r["items"] if e["id"] == "ASR-01")["evidence"][-1]
    assert d["evidence"] == [
        {
            "id": added["id"],
            "target": "ASR-01",
            "name": "pentest-2026.pdf",
            "change": "added",
            "expires": EVIDENCE_UNTIL.isoformat(),
        }
    ]
    assert d["decisions"] == [
        {
            "item": "CHG-01",
            "kind": "risk_acceptance",
            "change": "added",
            "fields": [],
            "before": None,
            "after": {
                "rationale": "本番変更は 2 名承認の手順書で統制し、IaC 化は来期に行う",
                "approver": "代表取締役 CEO 佐藤",
                "decided": DECIDED.isoformat(),
                "expires": DECISION_UNTIL.isoformat(),
                "expired": False,
                "current": True,
            },
        }
    ]
    assert d["facts"] == [
        {"path": "eligibility.staff_count", "before": 12, "after": 15},
        {"path": "user_protection.loss_allocation", "before": None, "after": "接続契約の損失分担条項に従う"},
        {"path": "cooperation.contact_24x7.phone", "before": "090-0000-0000（デモ）", "after": None},
    ]
    assert d["gaps_opened"] == ["cooperation.contact_24x7.phone"]
    assert d["gaps_closed"] == ["user_protection.loss_allocation"]

    scores = d["scores"]
    assert scores["overall"] == {
        "before": old_r["scores"]["overall"]["score"],
        "after": new_r["scores"]["overall"]["score"],
        "changed": True,
    }
    assert scores["overall"]["after"] > scores["overall"]["before"]
    assert list(scores["by_chapter"]) == [str(n) for n in range(1, 9)]
    assert list(scores["by_cia"]) == ["confidentiality", "integrity", "availability"]
    for chapter, pair_ in scores["by_chapter"].items():
        before, after = old_r["scores"]["by_chapter"][chapter]["score"], new_r["scores"]["by_chapter"][chapter]["score"]
        assert pair_ == {"before": before, "after": after, "changed": before != after}


def test_the_japanese_table_words_every_change_without_codes(pair: Pair) -> None:
    result = pair.run("review", "diff", str(pair.old), str(pair.new))
    assert result.returncode == 0, result.stderr
    text = result.stdout
    lines = text.splitlines()
    assert lines[0] == "提出の比較"
    assert lines[1] == "組織名: 株式会社ミルカ（デモ）"
    for line, heading, bundle in ((lines[2], "前回の提出", pair.old), (lines[3], "今回の提出", pair.new)):
        m, r = pair.manifest(bundle), pair.report(bundle)
        assert line == (
            f"{heading}: {m['id']}（連番 {m['sequence']}、提出 {m['created'][:10]}、評価日 {r['assessment_date']}、"
            f"履歴 {m['history']['entries']} 件・ヘッド {m['history']['hash']}）"
        )
    assert lines[4] == "検証: 検証していない（--key を指定すると、比較の前に両方の提出を検証する）"
    assert lines[5:7] == ["カタログ版: 0.2.0（変更なし）", "変更の件数: 12 件"]

    def section(title: str) -> list[str]:
        start = lines.index(title)
        end = next((i for i in range(start + 1, len(lines)) if lines[i] == ""), len(lines))
        return [" ".join(line.split()) for line in lines[start + 1 : end]]

    assert section("■ 計画に追加・削除された項目（2 件）") == [
        "ID 項目 変化 回答 評価上の状況",
        "DAT-10 自社保有機器の物理保護・暗号化・確実な廃棄 追加 未回答 未回答",
        "OUT-01 開発・運用の外部委託先の管理と納品物の受入れ 削除 実施予定 実施予定",
    ]
    assert section("■ 状況の変化（2 件）") == [
        "ID 項目 回答 評価上の状況",
        "ASR-01 第三者による侵入テストと指摘の期限内是正 未実施 → 実施済み 未実施 → 実施済み",
        "CHG-01 本番環境のコード化と手作業による変更の排除 未実施 → リスク受容 未実施 → リスク受容",
    ]
    assert section("■ 担当・期限の変更（1 件）") == [
        "ID 項目 対象 前回 今回",
        "DAT-06 オブジェクトストレージの公開防止 担当 CTO SRE 山田",
    ]
    evidence_id = next(i for i in pair.report(pair.new)["items"] if i["id"] == "ASR-01")["evidence"][-1]["id"]
    assert section("■ エビデンスの変化（1 件）") == [
        "エビデンス 対象 名称 変化 有効期限",
        f"{evidence_id} ASR-01 pentest-2026.pdf 追加 {EVIDENCE_UNTIL.isoformat()}",
    ]
    assert section("■ 意思決定の変化（1 件）") == [
        "ID 種別 変化 変更された内容 前回 今回",
        "CHG-01 リスク受容 追加 — — 本番変更は 2 名承認の手順書で統制し、IaC 化は来期に行う"
        f"（承認 代表取締役 CEO 佐藤、{DECIDED.isoformat()} 決定、{DECISION_UNTIL.isoformat()} まで）",
    ]
    assert section("■ 組織情報の変更（3 件）") == [
        "組織情報 前回 今回",
        "従業員数 12 15",
        "銀行との損失分担 未回答 接続契約の損失分担条項に従う",
        "銀行向け 24 時間連絡先 電話 090-0000-0000（デモ） 未回答",
    ]
    assert section("■ 組織情報の未回答（ギャップ）（2 件）") == [
        "組織情報 変化",
        "銀行向け 24 時間連絡先 電話 未回答になった",
        "銀行との損失分担 回答された",
    ]
    scores = section("■ スコア")
    assert scores[0] == "スコア 前回 今回 変化"
    assert scores[1].startswith("総合スコア（リスク加重） ") and len(scores) == 1 + 2 + 8 + 3
    assert [row.split()[0] for row in scores[3:11]] == ["第"] * 8
    assert [row.split()[0] for row in scores[11:]] == ["機密性", "完全性", "可用性"]
    # no raw codes or English status words in Japanese
    for code in ("not_implemented", "risk_accepted", "implemented", "risk_acceptance", "added", "None", "True"):
        assert code not in text


def test_md_html_and_xlsx_list_the_same_changes(pair: Pair, tmp_path: Path) -> None:
    md = pair.run("review", "diff", str(pair.old), str(pair.new), "--format", "md")
    assert md.returncode == 0
    assert (
        "| CHG-01 | 本番環境のコード化と手作業による変更の排除 | 未実施 → リスク受容 | 未実施 → リスク受容 |"
        in md.stdout
    )
    html_path = tmp_path / "diff.html"
    made = pair.run("review", "diff", str(pair.old), str(pair.new), "--format", "html", "-o", str(html_path))
    assert made.returncode == 0 and made.stdout.strip() == str(html_path.resolve())
    html = html_path.read_text("utf-8")
    assert html.startswith("<!DOCTYPE html>") and "<script" not in html and "http" not in html.split("<body>")[0]
    assert "<td>従業員数</td><td>12</td><td>15</td>" in html
    assert '<dd class="gap">検証していない' in html
    xlsx_path = tmp_path / "diff.xlsx"
    assert (
        pair.run("review", "diff", str(pair.old), str(pair.new), "--format", "xlsx", "-o", str(xlsx_path)).returncode
        == 0
    )
    book = load_workbook(xlsx_path)
    assert book.sheetnames == [
        "概要",
        "計画に追加・削除された項目",
        "状況の変化",
        "担当・期限の変更",
        "エビデンスの変化",
        "意思決定の変化",
        "組織情報の変更",
        "組織情報の未回答（ギャップ）",
        "スコア",
    ]
    facts = [[c.value for c in row] for row in book["組織情報の変更"].iter_rows(min_row=4)]
    assert facts == [
        ["従業員数", "12", "15"],
        ["銀行との損失分担", "未回答", "接続契約の損失分担条項に従う"],
        ["銀行向け 24 時間連絡先 電話", "090-0000-0000（デモ）", "未回答"],
    ]
    # a bundle is never written to
    inside = pair.run("review", "diff", str(pair.old), str(pair.new), "-o", str(pair.new / "diff.txt"))
    assert inside.returncode == 2 and not (pair.new / "diff.txt").exists()


def test_with_the_key_both_are_verified_and_a_tampered_bundle_stops_the_comparison(pair: Pair, tmp_path: Path) -> None:
    checked = pair.run("review", "diff", str(pair.old), str(pair.new), "--key", pair.fingerprint)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert (
        f"検証: 両方の提出を鍵 {pair.fingerprint} で検証した（署名・全ファイルのハッシュ・履歴の連鎖）"
        in checked.stdout
    )
    as_json = json.loads(
        pair.run("review", "diff", str(pair.old), str(pair.new), "--key", pair.fingerprint, "--format", "json").stdout
    )
    assert (as_json["verified"], as_json["verified_with"]) == (True, pair.fingerprint)

    tampered = tmp_path / "tampered"
    shutil.copytree(pair.new, tampered)
    report = tampered / "report" / "bank-report.ja.json"
    report.write_text(report.read_text("utf-8").replace('"implemented"', '"compensated"', 1), encoding="utf-8")
    refused = pair.run("review", "diff", str(pair.old), str(tampered), "--key", pair.fingerprint)
    assert refused.returncode == 1
    assert refused.stdout == (
        f"- {tampered}: report/bank-report.ja.json: 内容が目録の SHA-256 と一致しない（改変された）\n"
    )
    assert f"検証できなかった: 提出 {pair.new.name} — 1 件の問題" in refused.stderr
    assert "比較しなかった: 1 件の提出を検証できなかった" in refused.stderr
    # without the key the same bundle is compared, and the output says it was not verified
    unchecked = pair.run("review", "diff", str(pair.old), str(tampered), "--format", "json")
    assert unchecked.returncode == 0 and json.loads(unchecked.stdout)["verified"] is False


def test_bundles_of_different_organisations_are_refused(pair: Pair, tmp_path_factory: pytest.TempPathFactory) -> None:
    other = init_template(tmp_path_factory, "Other Pay KK")
    theirs = pair.submit(other)
    refused = pair.run("review", "diff", str(pair.old), str(theirs))
    assert refused.returncode == 1 and refused.stdout == ""
    assert "別の組織の提出どうしは比較しない（株式会社ミルカ（デモ） と Other Pay KK）" in refused.stderr
    english = pair.run("review", "diff", str(theirs), str(pair.new), "--lang", "en")
    assert (
        english.returncode == 1
        and "different organisations (Other Pay KK and 株式会社ミルカ（デモ）)" in english.stderr
    )
    missing = pair.run("review", "diff", str(pair.old), str(tmp_path_factory.getbasetemp() / "nowhere"))
    assert missing.returncode == 2 and "は提出フォルダではない" in missing.stderr
