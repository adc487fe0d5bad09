"""Organisation facts in the bank's groups (issue 10, part 1): missing facts by dotted path, typed `antai org
set`, registers with `antai org add`, evidence about a fact, old flat workspaces upgraded, reports show it all."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from antai.assessment.model import (
    FACT_GROUPS,
    WORKSPACE_FORMAT,
    FactKind,
    OrganisationFacts,
    fact_fields,
)
from antai.cli.app import cli

from .conftest import fresh_workspace, init_template, run_cli

ENV = {"ANTAI_USER": "tester"}


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return init_template(tmp_path_factory, "Org KK")


@pytest.fixture
def ws(template: Path, tmp_path: Path) -> Path:
    return fresh_workspace(template, tmp_path / "ws")


def antai(ws: Path, *args: str, lang: str = "ja") -> tuple[int, str, str]:
    """The CLI in this process (fast); the real entry point is exercised by run_cli below."""
    done = CliRunner(env=ENV).invoke(cli, [*args, "-C", str(ws), "--lang", lang])
    return done.exit_code, done.stdout, done.stderr


# --- missing facts ------------------------------------------------------------------------------------------


def test_an_empty_record_lists_every_missing_fact_of_each_group_by_dotted_path() -> None:
    facts = OrganisationFacts()
    assert facts.group_missing("eligibility") == [
        "eligibility.registration_kind",
        "eligibility.registration",
        "eligibility.registered_on",
        "eligibility.capital_jpy",
        "eligibility.finances",
        "eligibility.compliance_structure",
        "eligibility.antisocial_declaration",
        "eligibility.antisocial_screening",
        "eligibility.association",
        "eligibility.certifications",
        "eligibility.staff_count",
    ]
    assert facts.group_missing("service") == [
        "service.name",
        "service.summary",
        "service.api_purpose",
        "service.target_banks",
        "service.apis",
        "service.data_items",
        "service.retention",
        "service.architecture",
        "service.token_storage",
        "service.hosting_regions",
    ]
    assert facts.group_missing("user_protection") == [
        "user_protection.terms",
        "user_protection.inquiry",
        "user_protection.complaint_handling",
        "user_protection.adr",
        "user_protection.damage_prevention",
        "user_protection.compensation",
        "user_protection.loss_allocation",
    ]
    assert facts.group_missing("cooperation") == [
        "cooperation.incident_contact",
        "cooperation.contact_24x7",
        "cooperation.notification",
        "cooperation.joint_drill",
        "cooperation.joint_drill_date",
    ]
    assert facts.group_missing("outsourcing") == ["outsourcing.policy", "outsourcing.outsourcees"]
    assert facts.group_missing("governance") == [
        "governance.security_policy",
        "governance.policy_approver",
        "governance.policy_approved",
        "governance.policy_review",
        "governance.rules",
        "governance.security_owner",
        "governance.security_owner_authority",
        "governance.deputy",
        "governance.owner_appointed",
        "governance.reporting_line",
        "governance.security_training",
    ]
    assert len(facts.missing()) == 46 and facts.missing()[:2] == [
        "eligibility.registration_kind",
        "eligibility.registration",
    ]


def test_missing_facts_inside_records_and_register_entries_are_named_with_their_number() -> None:
    facts = OrganisationFacts.model_validate(
        {
            "user_protection": {"inquiry": {"email": "help@x.example"}},
            "outsourcing": {
                "policy": "年 1 回評価",
                "outsourcees": [
                    {
                        "name": "A",
                        "service": "dev",
                        "data": "なし",
                        "access": "repo",
                        "security_requirements": True,
                        "audit_rights": True,
                        "subcontracting": "prohibited",
                        "last_review": "2026-01-01",
                        "review_result": "問題なし",
                    },
                    {"name": "B", "service": "support", "audit_rights": False},
                ],
            },
            "service": {"target_banks": []},
            "eligibility": {"certifications": []},
        }
    )
    assert facts.group_missing("user_protection")[:3] == [
        "user_protection.terms",
        "user_protection.inquiry.phone",
        "user_protection.inquiry.hours",
    ]
    assert facts.group_missing("outsourcing") == [
        "outsourcing.outsourcees.2.data",
        "outsourcing.outsourcees.2.access",
        "outsourcing.outsourcees.2.security_requirements",
        "outsourcing.outsourcees.2.subcontracting",
        "outsourcing.outsourcees.2.last_review",
        "outsourcing.outsourcees.2.review_result",
    ]
    # "none" is an answer for certifications and the register, not for the banks the service connects to
    assert "service.target_banks" in facts.missing() and "eligibility.certifications" not in facts.missing()


def test_every_fact_has_a_label_in_both_languages_and_every_choice_a_japanese_word() -> None:
    from antai.labels import label

    for group in FACT_GROUPS:
        assert label(f"org.group.{group}", "ja") != f"org.group.{group}"
    for spec in fact_fields():
        for lang in ("ja", "en"):
            assert label(f"org.{spec.path}", lang) != f"org.{spec.path}", spec.path
        for choice in spec.choices or ():
            assert re.search(r"[^\x00-\x7f]", label(f"org.value.{choice.value}", "ja")) or choice.value in (
                "soc2",
                "ismap",
                "pci_dss",
            ), choice


# --- the CLI ------------------------------------------------------------------------------------------------


def test_org_set_parses_typed_values_in_japanese_and_english_and_records_each_change(ws: Path) -> None:
    assert antai(ws, "org", "set", "eligibility.antisocial_declaration", "はい")[0] == 0
    assert antai(ws, "org", "set", "eligibility.registration_kind", "電子決済等代行業者")[0] == 0
    assert antai(ws, "org", "set", "eligibility.capital_jpy", "98,000,000")[0] == 0
    assert antai(ws, "org", "set", "governance.policy_review", "annual", lang="en")[0] == 0
    assert antai(ws, "org", "set", "governance.policy_approved", "2026-04-01")[0] == 0
    assert antai(ws, "org", "set", "service.target_banks", "A銀行、B銀行, C信金")[0] == 0
    assert antai(ws, "org", "set", "security_owner", "CTO 田中")[0] == 0  # a format-2 name still works
    code, out, _ = antai(ws, "org", "set", "cooperation.contact_24x7.phone", "090-0000-0000")
    assert (code, out) == (0, "銀行向け 24 時間連絡先 電話 を記録した\n")
    data = json.loads(antai(ws, "org", "--format", "json")[1])
    facts = data["organisation_facts"]
    assert facts["eligibility"]["antisocial_declaration"] is True
    assert facts["eligibility"]["registration_kind"] == "electronic_payment_agent"
    assert facts["eligibility"]["capital_jpy"] == 98_000_000
    assert facts["governance"]["policy_review"] == "annual"
    assert facts["governance"]["policy_approved"] == "2026-04-01"
    assert facts["governance"]["security_owner"] == "CTO 田中"
    assert facts["service"]["target_banks"] == ["A銀行", "B銀行", "C信金"]
    assert facts["cooperation"]["contact_24x7"] == {"name": None, "email": None, "phone": "090-0000-0000"}
    assert "cooperation.contact_24x7.email" in data["missing_facts"]
    history = [json.loads(line) for line in (ws / "history.jsonl").read_text("utf-8").splitlines()]
    assert history[-1]["action"] == "organisation"
    assert history[-1]["before"] == {"cooperation.contact_24x7.phone": None}
    assert history[-1]["after"] == {"cooperation.contact_24x7.phone": "090-0000-0000"}
    assert history[-2]["after"] == {"governance.security_owner": "CTO 田中"}


@pytest.mark.parametrize(
    ("args", "lang", "message"),
    [
        (
            ("governance.policy_approved", "2026-13-01"),
            "ja",
            "エラー: ポリシーの承認日: 「2026-13-01」を読めない。日付は YYYY-MM-DD で書く",
        ),
        (
            ("governance.policy_approved", "April 2026"),
            "en",
            "Error: governance.policy_approved: 'April 2026' is not a date (write YYYY-MM-DD)",
        ),
        (
            ("eligibility.antisocial_declaration", "maybe"),
            "ja",
            "エラー: 反社会的勢力でないことの表明: 「maybe」を読めない。はい か いいえ で書く（yes/no も可）",
        ),
        (
            ("outsourcing.outsourcees", "DevCo"),
            "en",
            "Error: outsourcing.outsourcees is a register: add entries one by one with "
            "`antai org add outsourcing KEY=VALUE…` (`antai org add --help`)",
        ),
    ],
)
def test_a_bad_value_is_a_usage_error_that_names_the_fact_and_changes_nothing(
    ws: Path, args: tuple[str, str], lang: str, message: str
) -> None:
    before = (ws / "history.jsonl").read_bytes()
    done = run_cli("org", "set", *args, "-C", str(ws), "--lang", lang, env=ENV)  # the real entry point
    code, err = done.returncode, done.stderr
    assert code == 2 and err.strip().splitlines()[-1] == message and "Traceback" not in err
    assert (ws / "history.jsonl").read_bytes() == before


def test_unknown_fact_is_exit_2_and_a_rule_broken_by_a_value_is_exit_1(ws: Path) -> None:
    code, _, err = antai(ws, "org", "set", "governance.security_ownr", "x", lang="en")
    assert code == 2 and "did you mean governance.security_owner" in err.replace("?", "")
    code, _, err = antai(ws, "org", "set", "eligibility.staff_count", "0", lang="en")
    assert code == 1 and "eligibility.staff_count: Input should be greater than or equal to 1" in err


def test_registers_take_entries_with_org_add_and_lose_them_with_org_unset(ws: Path) -> None:
    code, out, _ = antai(
        ws,
        "org",
        "add",
        "outsourcing",
        "name=株式会社X",
        "service=アプリ開発",
        "audit_rights=はい",
        "security_requirements=no",
        "subcontracting=事前承認のうえ可",
        "last_review=2026-09-30",
    )
    assert (code, out) == (0, "委託先台帳 に 1 件目を追加した\n")
    assert antai(ws, "org", "add", "notification", "event=data_leak", "within_hours=2", "contact=銀行 API 窓口")[0] == 0
    code, _, err = antai(ws, "org", "add", "notification", "event=data_leak", "contact=銀行", lang="en")
    assert code == 1 and "within_hours: Field required" in err
    facts = json.loads(antai(ws, "org", "--format", "json")[1])["organisation_facts"]
    assert facts["outsourcing"]["outsourcees"] == [
        {
            "name": "株式会社X",
            "service": "アプリ開発",
            "data": None,
            "access": None,
            "security_requirements": False,
            "audit_rights": True,
            "subcontracting": "with_approval",
            "subcontractors": None,
            "last_review": "2026-09-30",
            "review_result": None,
        }
    ]
    assert facts["cooperation"]["notification"] == [
        {"event": "data_leak", "within_hours": 2.0, "contact": "銀行 API 窓口", "detail": None}
    ]
    missing = json.loads(antai(ws, "org", "--format", "json")[1])["missing_facts"]
    assert [m for m in missing if m.startswith("outsourcing.")] == [
        "outsourcing.policy",
        "outsourcing.outsourcees.1.data",
        "outsourcing.outsourcees.1.access",
        "outsourcing.outsourcees.1.review_result",
    ]
    assert antai(ws, "org", "unset", "outsourcing.outsourcees.1")[0] == 0
    facts = json.loads(antai(ws, "org", "--format", "json")[1])["organisation_facts"]
    assert facts["outsourcing"]["outsourcees"] == []  # the register now says: nothing outsourced


def test_a_whole_group_can_be_set_from_a_yaml_file(ws: Path, tmp_path: Path) -> None:
    source = tmp_path / "gov.yaml"
    source.write_text(
        "governance:\n  security_policy: 情報セキュリティ基本方針 v3\n  policy_approved: 2027-04-01\n"
        "  rules:\n    - {title: アクセス管理細則, approved: 2027-04-01}\n",
        encoding="utf-8",
    )
    assert antai(ws, "org", "set", "--from-file", str(source))[0] == 0
    facts = json.loads(antai(ws, "org", "--format", "json")[1])["organisation_facts"]["governance"]
    assert facts["security_policy"] == "情報セキュリティ基本方針 v3" and facts["policy_approved"] == "2027-04-01"
    assert facts["rules"] == [{"title": "アクセス管理細則", "approved": "2027-04-01", "approver": None}]


def test_org_set_help_lists_every_fact_path_with_its_help() -> None:
    shown = CliRunner().invoke(cli, ["org", "set", "--help"]).output
    settable = [f for f in fact_fields() if f.kind != FactKind.RECORD and ".N." not in f.path]
    for spec in settable:
        assert spec.path in shown, spec.path
    assert "Registration number, e.g. 関東財務局長（電代）第N号" in shown
    assert "eligibility.antisocial_declaration" in shown and "[yes/no]" in shown
    registers = CliRunner().invoke(cli, ["org", "add", "--help"]).output
    for name in ("outsourcing", "notification", "certification", "api", "rule", "audit_rights=", "within_hours="):
        assert name in registers, name


def test_japanese_org_output_has_no_raw_codes(ws: Path) -> None:
    for args in (
        ("set", "eligibility.registration_kind", "electronic_payment_agent"),
        ("set", "governance.policy_review", "semiannual"),
        ("set", "eligibility.antisocial_declaration", "yes"),
        ("add", "api", "bank=みどり銀行", "api=残高照会", "scope=read"),
        ("add", "notification", "event=token_compromise", "within_hours=1", "contact=銀行窓口"),
        ("add", "outsourcing", "name=工房", "service=開発", "subcontracting=prohibited", "audit_rights=yes"),
        ("add", "certification", "scheme=isms", "certified=2025-11-20"),
    ):
        assert antai(ws, "org", *args)[0] == 0, args
    code, out, err = antai(ws, "org")
    assert code == 0
    codes = {f.name for f in fact_fields()} | set(FACT_GROUPS)
    codes |= {c.value for f in fact_fields() for c in (f.choices or ())}
    codes -= {"api", "name"}  # "API" is the word a bank uses; no fact value here says "name"
    words = set(re.findall(r"[A-Za-z_][A-Za-z0-9_]*", out + err))
    assert not words & codes, words & codes
    assert "電子決済等代行業者" in out and "半年ごと" in out and "参照系" in out and "トークン・認証情報の流出" in out
    assert "再委託: 禁止" in out and "認証: ISMS（ISO/IEC 27001）" in out


# --- evidence about a fact --------------------------------------------------------------------------------------


def test_evidence_attached_to_a_fact_shows_in_the_reports(ws: Path, tmp_path: Path) -> None:
    proof = tmp_path / "registration.pdf"
    proof.write_bytes(b"%PDF-1.4 registration")
    assert antai(ws, "org", "set", "eligibility.registration", "関東財務局長（電代）第 1 号")[0] == 0
    code, out, _ = antai(ws, "evidence", "add", "org:eligibility.registration", str(proof))
    assert code == 0 and out.startswith("E0001 → org:eligibility.registration: registration.pdf")
    code, out, _ = antai(ws, "evidence", "add", "iam-01", str(proof))  # the item path is unchanged
    assert code == 0 and out.startswith("E0002 → IAM-01: registration.pdf")
    code, _, err = antai(ws, "evidence", "add", "org:eligibility.nothing", str(proof), lang="en")
    assert code == 2 and "unknown organisation fact: eligibility.nothing" in err
    code, _, err = antai(ws, "evidence", "add", "org:outsourcing.outsourcees.1", str(proof), lang="en")
    assert code == 2  # no such entry yet

    report = json.loads(antai(ws, "report", "--audience", "bank", "--format", "json")[1])
    assert [e["id"] for e in report["fact_evidence"]["eligibility.registration"]] == ["E0001"]
    assert "eligibility.registration" not in report["missing_facts"]
    assert report["organisation_facts"]["eligibility"]["registration"] == "関東財務局長（電代）第 1 号"
    html_file = tmp_path / "bank.html"
    assert (
        run_cli(
            "report", "--audience", "bank", "--format", "html", "-o", str(html_file), "-C", str(ws), env=ENV
        ).returncode
        == 0
    )
    html = html_file.read_text("utf-8")
    row = re.search(r'<tr id="org-eligibility\.registration">(.*?)</tr>', html, re.S)
    assert row is not None and "関東財務局長（電代）第 1 号" in row.group(1) and "E0001" in row.group(1)
    assert '<tr id="org-user_protection.loss_allocation"><th>銀行との損失分担</th>' in html
    gap = re.search(r'<tr id="org-user_protection\.loss_allocation">(.*?)</tr>', html, re.S)
    assert gap is not None and '<span class="gap">未回答（要対応）</span>' in gap.group(1)
    md = antai(ws, "report", "--audience", "bank", "--format", "md")[1]
    assert "- 登録番号: 関東財務局長（電代）第 1 号（エビデンス: E0001）" in md
    assert "- 銀行との損失分担: **未回答（要対応）**" in md
    assert antai(ws, "verify")[0] == 0 and antai(ws, "validate")[0] == 0


def test_the_xlsx_organisation_sheet_has_every_group_and_marks_each_gap(ws: Path, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    assert antai(ws, "org", "add", "outsourcing", "name=工房", "service=開発")[0] == 0
    out = tmp_path / "bank.xlsx"
    assert (
        run_cli("report", "--audience", "bank", "--format", "xlsx", "-o", str(out), "-C", str(ws), env=ENV).returncode
        == 0
    )
    sheet = load_workbook(out)["組織情報"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("区分", "項目", "回答", "エビデンス")
    assert {r[0] for r in rows[1:]} == {
        "適格性（登録・財務・法令遵守・反社）",
        "サービスと API 利用",
        "利用者保護",
        "銀行との連携・事故時の連絡",
        "外部委託管理",
        "セキュリティ管理体制",
    }
    entry = next(r for r in rows if r[1] == "委託先台帳（1）")
    assert entry[2].startswith("委託先: 工房; 委託内容: 開発; 取り扱うデータ: 未回答（要対応）;")
    gaps = [r for r in rows[1:] if r[2] == "未回答（要対応）"]
    assert len(gaps) == 44  # 46 facts less the register (now one entry, its own gaps on its row) and staff count
    assert ("適格性（登録・財務・法令遵守・反社）", "従業員数", "10", None) in rows


# --- old workspaces ------------------------------------------------------------------------------------------

FLAT = """\
# Facts partner banks ask first. Missing facts are shown as gaps in reports.
registration: 関東財務局長（電代）第 7 号
security_owner: CTO 田中
security_owner_authority: 本番の停止を単独で決定できる
security_policy: 情報セキュリティ基本方針 v1
security_policy_date: 2025-04-01
incident_contact:
  name: CSIRT
  email: csirt@x.example
  phone: 03-0000-0000
inquiry_contact:
  email: support@x.example
outsourcees:
  - name: DevCo
    service: アプリ開発
compensation_policy: 全額補償
staff_count: 8
security_training: 年 2 回
"""


def test_a_format_2_workspace_with_flat_facts_is_read_and_upgraded_cleanly(ws: Path) -> None:
    meta = ws / "antai.yaml"
    meta.write_text(re.sub(r"format: \d+", "format: 2", meta.read_text("utf-8")), encoding="utf-8")
    (ws / "organisation.yaml").write_text(FLAT, encoding="utf-8")
    assert antai(ws, "record", "-m", "a workspace as antai 0.2 wrote it")[0] == 0

    data = json.loads(antai(ws, "org", "--format", "json")[1])
    facts = data["organisation_facts"]
    assert facts["eligibility"]["registration"] == "関東財務局長（電代）第 7 号"
    assert facts["eligibility"]["staff_count"] == 8
    assert facts["governance"]["security_owner"] == "CTO 田中"
    assert facts["governance"]["policy_approved"] == "2025-04-01"
    assert facts["governance"]["security_training"] == "年 2 回"
    assert facts["cooperation"]["incident_contact"] == {
        "name": "CSIRT",
        "email": "csirt@x.example",
        "phone": "03-0000-0000",
    }
    assert facts["user_protection"]["inquiry"]["email"] == "support@x.example"
    assert facts["user_protection"]["compensation"] == "全額補償"
    assert facts["outsourcing"]["outsourcees"][0]["name"] == "DevCo"
    assert "outsourcing.outsourcees.1.audit_rights" in data["missing_facts"]

    code, _, err = antai(ws, "org", "set", "governance.deputy", "鈴木", lang="en")
    assert code == 1 and "run `antai upgrade` first" in err
    code, _, err = antai(ws, "org", "set", "governance.deputy", "鈴木")
    assert code == 1 and "先に `antai upgrade` を実行する" in err

    assert antai(ws, "upgrade")[0] == 0
    assert yaml.safe_load(meta.read_text("utf-8"))["format"] == WORKSPACE_FORMAT == 3
    written = yaml.safe_load((ws / "organisation.yaml").read_text("utf-8"))
    assert set(written) <= set(FACT_GROUPS)
    assert written["governance"]["security_owner"] == "CTO 田中"
    assert written["outsourcing"]["outsourcees"] == [{"name": "DevCo", "service": "アプリ開発"}]
    assert OrganisationFacts.model_validate(written) == OrganisationFacts.model_validate(yaml.safe_load(FLAT))
    entry = json.loads((ws / "history.jsonl").read_text("utf-8").splitlines()[-1])
    assert entry["action"] == "upgrade" and entry["before"]["format"] == 2 and entry["after"]["format"] == 3
    assert antai(ws, "verify")[0] == 0 and antai(ws, "validate")[0] == 0
    assert antai(ws, "org", "set", "governance.deputy", "鈴木")[0] == 0
    again = antai(ws, "upgrade", lang="en")[1]
    assert again.startswith("already on catalog ") and again.endswith(": nothing to do\n")


def test_old_and_new_names_of_one_fact_cannot_both_be_given() -> None:
    from pydantic import ValidationError

    with pytest.raises(ValidationError, match=r"security_owner and governance\.security_owner both given"):
        OrganisationFacts.model_validate({"security_owner": "A", "governance": {"security_owner": "B"}})


# --- partial needs a due date ---------------------------------------------------------------------------------


def test_partial_needs_a_due_date_like_planned(ws: Path) -> None:
    code, _, err = antai(ws, "set", "DAT-04", "--status", "partial")
    assert code == 1 and err.strip().endswith("DAT-04: 一部実施には残りを終える期限が必要（--due YYYY-MM-DD）")
    code, _, err = antai(ws, "set", "DAT-04", "--status", "partial", lang="en")
    assert code == 1 and "DAT-04: a partial item needs a due date for the rest (--due YYYY-MM-DD)" in err
    assert antai(ws, "set", "DAT-04", "--status", "partial", "--due", "2027-03-31")[0] == 0
    answers = yaml.safe_load((ws / "answers.yaml").read_text("utf-8"))["answers"]
    assert answers["DAT-04"]["status"] == "partial" and str(answers["DAT-04"]["due"]) == "2027-03-31"
    assert antai(ws, "set", "DAT-04", "--status", "implemented")[0] == 0  # the due date goes with the status
    answers = yaml.safe_load((ws / "answers.yaml").read_text("utf-8"))["answers"]
    assert "due" not in answers["DAT-04"]
