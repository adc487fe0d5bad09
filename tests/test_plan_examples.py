"""The shipped examples, pinned: C/I/A levels with their reasons, the gate, phase sizes, and the issue's targets.

These numbers are what a bank reads in the plan, so they are exact; a catalog change that moves them must
update them here on purpose.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from antai.catalog import Catalog, load_catalog
from antai.tailoring.plan import Phase, Plan, make_plan
from antai.tailoring.profile import Profile, load_profile
from antai.tailoring.questionnaire import QUESTIONS
from antai.tailoring.roadmap import build_roadmap, capacity_of
from tests.conftest import run_cli

EXAMPLES = ["household-budget", "crypto-exchange", "remittance", "b2b-accounting", "robo-advisor"]
COMMON_GATE = ["DAT-06", "DAT-11", "IAM-01", "IAM-02", "ADM-01", "KEY-01", "KEY-02", "CYB-07", "SEC-02"]
FUNDS_GATE = ["DAT-08", "TRN-04", "CAU-02", "CAU-03", "IOC-02", "IOC-03", "INQ-02", "FLR-03", "BNK-01", "DAT-01"]
# critical work for customer funds at a high integrity level: in the gate whatever its effort
ROBO_FUNDS = ["SEC-03", "CAU-07", "MON-04", "SEC-04"]
FUNDS_AT_STAKE = ["SEC-03", "MOB-05", "CAU-07", "MON-04", "SEC-04", "BNK-04", "BNK-10", "BNK-11", "BNK-07"]


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog()


def plan_for(catalog: Catalog, example: str, lang: str = "ja") -> Plan:
    return make_plan(catalog, load_profile(Path(f"example:{example}")), lang)


PINNED = {
    # example: (C, I, A, tier), gate items in order, gate person-days, items per phase
    "household-budget": (
        ("high", "low", "medium", "high"),
        [*COMMON_GATE, "CAU-03", "BNK-01"],
        39.0,
        {"gate": 11, "days_90": 19, "year_1": 57, "later": 28},
    ),
    "crypto-exchange": (
        ("high", "high", "high", "high"),
        [*COMMON_GATE, *FUNDS_GATE, "SEC-03", "KEY-04", "MOB-05", "CAU-07", "MON-04", "MON-05", *FUNDS_AT_STAKE[4:]],
        210.0,
        {"gate": 30, "days_90": 17, "year_1": 67, "later": 26},
    ),
    "remittance": (
        ("high", "high", "high", "high"),
        [*COMMON_GATE, *FUNDS_GATE, *FUNDS_AT_STAKE],
        179.0,
        {"gate": 28, "days_90": 19, "year_1": 68, "later": 26},
    ),
    "b2b-accounting": (
        ("medium", "medium", "medium", "medium"),
        [*COMMON_GATE, "CAU-03"],
        33.5,
        {"gate": 10, "days_90": 1, "year_1": 21, "later": 62},
    ),
    "robo-advisor": (
        ("high", "high", "low", "high"),
        [*COMMON_GATE, "DAT-08", "CAU-02", "CAU-03", "IOC-02", "IOC-03", "INQ-02", "FLR-03", "DAT-01", *ROBO_FUNDS],
        116.5,
        {"gate": 21, "days_90": 15, "year_1": 55, "later": 17},
    ),
}


@pytest.mark.parametrize("example", EXAMPLES)
def test_levels_gate_and_phase_sizes_are_pinned(catalog: Catalog, example: str) -> None:
    levels, gate, gate_days, counts = PINNED[example]
    plan = plan_for(catalog, example)
    risk = plan.risk
    assert (risk.confidentiality.level, risk.integrity.level, risk.availability.level, risk.tier.level) == levels
    assert [i.id for i in plan.in_phase(Phase.GATE)] == gate
    assert plan.phase_days(Phase.GATE) == gate_days
    assert {p.value: len(plan.in_phase(p)) for p in Phase} == counts


def test_level_reasons_are_pinned(catalog: Catalog) -> None:
    pfm = plan_for(catalog, "household-budget").risk
    assert pfm.confidentiality.text("ja") == ["銀行の認証情報やトークンを保有"]
    assert pfm.integrity.text("ja") == ["資金移動・更新系 API・取引・手入力・記録業務のいずれもない"]
    assert pfm.availability.text("ja") == ["利用者 1 万人以上"]
    assert pfm.tier.text("ja") == ["機密性が高"]
    crypto = plan_for(catalog, "crypto-exchange").risk
    assert crypto.integrity.text("en") == [
        "moves customer funds",
        "handles trading in crypto assets or securities",
        "holds signing keys of its own",
    ]
    assert crypto.availability.text("en") == [
        "1,000,000 users or more",
        "moves customer funds with 100,000 users or more",
        "1,000,000 transactions a month or more",
    ]
    assert plan_for(catalog, "b2b-accounting").risk.availability.text("ja") == ["月間取引 1 万件以上"]


def test_phase_reasons_say_why(catalog: Catalog) -> None:
    from antai.reports.plan import phase_why

    plan = plan_for(catalog, "household-budget")
    dr02 = plan.get("DR-02")
    assert dr02 is None  # a warm standby does not follow from holding tokens any more
    gate = plan.get("BNK-01")
    assert gate is not None and gate.phase == Phase.GATE
    assert phase_why(gate, "ja") == "リスク最重要（重要度最重要 × 機密性高）、工数中"
    assert phase_why(gate, "en") == "critical risk (critical severity × confidentiality high); medium effort"
    ekyc = plan_for(catalog, "remittance").get("CAU-07")
    assert ekyc is not None and ekyc.phase == Phase.GATE and ekyc.effort == "high"
    assert phase_why(ekyc, "ja") == (
        "リスク最重要（重要度最重要 × 完全性・機密性高）、工数高、顧客資金に直接の損失が及ぶため工数によらず接続前"
    )
    # the same high-effort critical work waits for 90 days where it guards data, not funds
    authz = plan.get("SEC-03")
    assert authz is not None and authz.phase == Phase.DAYS_90 and not authz.phase_reason.funds_at_stake


@pytest.mark.parametrize("example", EXAMPLES)
def test_the_issue_targets_hold_on_every_example(catalog: Catalog, example: str) -> None:
    plan = plan_for(catalog, example)
    assert len(plan.in_phase(Phase.GATE)) <= 0.25 * len(plan.items)


def test_a_read_only_bank_api_app_has_a_short_gate_and_an_exchange_a_longer_one(catalog: Catalog) -> None:
    household = plan_for(catalog, "household-budget")
    assert household.profile.staff == 10 and household.profile.moves_customer_funds is False
    assert household.phase_days(Phase.GATE) <= 40
    assert plan_for(catalog, "crypto-exchange").phase_days(Phase.GATE) > household.phase_days(Phase.GATE)


def test_roadmap_for_the_household_app_is_pinned(catalog: Catalog) -> None:
    plan = plan_for(catalog, "household-budget")
    roadmap = build_roadmap(plan, dt.date(2027, 1, 4), capacity_of(plan))
    assert roadmap.capacity.as_dict() == {"engineers": 5, "share_percent": 20, "person_days_per_quarter": 60.0}
    gate = roadmap.phase(Phase.GATE)
    assert gate.finish == dt.date(2027, 2, 25)  # 39 person-days at 1 a day: 20 working days in January, 19 in February
    days_90 = roadmap.phase(Phase.DAYS_90)  # 90 days from the gate's finish, not from the start
    assert (days_90.target, days_90.finish, days_90.late) == (dt.date(2027, 5, 26), dt.date(2027, 4, 29), False)
    year_1 = roadmap.phase(Phase.YEAR_1)
    assert (year_1.target, year_1.finish, year_1.late) == (dt.date(2028, 2, 25), dt.date(2028, 4, 14), True)
    assert roadmap.mandatory_done is not None and roadmap.mandatory_done > gate.finish
    year = roadmap.mandatory_year
    assert year is not None and year.by == dt.date(2028, 1, 4)
    assert (year.engineers, year.share) == (9, 36)  # at 20 % of their time, or 36 % of the current five's


def _changes(catalog: Catalog, base: Profile, key: str, value: object) -> bool:
    changed = Profile.model_validate({**base.model_dump(), key: value})
    before, after = make_plan(catalog, base), make_plan(catalog, changed)
    if before.as_dict() != after.as_dict():
        return True
    start = dt.date(2027, 1, 4)
    return (
        build_roadmap(before, start, capacity_of(before)).as_dict()
        != build_roadmap(after, start, capacity_of(after)).as_dict()
    )


RAISED: dict[str, object] = {
    "business": ["pfm", "bank_api_update"],
    "moves_customer_funds": True,
    "data": ["personal", "card"],
    "channels": ["web", "ios_app"],
    "cloud": ["aws"],
    "own_equipment": True,
    "users": 2_000_000,
    "staff": 40,
    "manual_data_entry": True,
    "outsourcing": True,
    "customer_accounts": False,
    "admin_console": True,
    "signing_keys": True,
    "links_bank_accounts": True,
    "embedded_in_fi": True,
    "monthly_transactions": 5_000_000,
    "engineers": 9,
    "security_share": 50,
}


@pytest.mark.parametrize("question", [q.key for q in QUESTIONS if q.key != "name"])
def test_every_questionnaire_answer_changes_the_plan_or_the_roadmap(catalog: Catalog, question: str) -> None:
    base = Profile(business=["pfm"], data=["personal"], channels=["web"], cloud=[], users=100, staff=4)
    assert _changes(catalog, base, question, RAISED[question]), question


def test_roadmap_cli_formats(tmp_path: Path) -> None:
    args = ["roadmap", "--profile", "example:household-budget", "--start", "2027-01-04"]
    shown = run_cli(*args, "--lang", "ja")
    assert shown.returncode == 0, shown.stderr
    assert "ゲートの完了見込み: 2027年2月25日（この日以降に本番公開・銀行接続ができる）" in shown.stdout
    assert "必須項目が全て終わる見込み" in shown.stdout
    data = json.loads(run_cli(*args, "--format", "json").stdout)
    assert data["schema"] == "antai.roadmap/1" and data["phases"][0]["finish"] == "2027-02-25"
    page = tmp_path / "roadmap.html"
    assert run_cli(*args, "--format", "html", "-o", str(page)).returncode == 0
    html = page.read_text("utf-8")
    assert "<svg" in html and "<script" not in html and "2027年 第1四半期" in html
    book = tmp_path / "roadmap.xlsx"
    assert run_cli(*args, "--format", "xlsx", "-o", str(book), "--lang", "en").returncode == 0
    from openpyxl import load_workbook

    sheet = load_workbook(book).active
    assert [c.value for c in sheet[1]][:3] == ["Phase", "ID", "Item"]
    faster = json.loads(run_cli(*args, "--format", "json", "--engineers", "10", "--share", "50").stdout)
    assert faster["capacity"]["person_days_per_quarter"] == 300.0
    assert faster["mandatory_done"] < data["mandatory_done"]


def test_upgrade_from_a_0_1_lock_flags_no_answer_for_new_metadata_alone(tmp_path: Path) -> None:
    """0.1 pinned items had an effort class and no person-days, CSF function or level: upgrading reads them
    and does not ask to review an answer only because those facts were added."""
    env = {"ANTAI_USER": "tester"}
    ws = tmp_path / "ws"
    assert run_cli("init", str(ws), "--profile", "example:household-budget", "--org", "X", env=env).returncode == 0
    lock = json.loads((ws / "catalog-lock.json").read_text("utf-8"))
    for item in lock["items"]:
        for key in ("csf", "level", "effort_days", "depends_on", "fisc_unverified"):
            item.pop(key, None)
        item["effort"] = "medium"
    (ws / "catalog-lock.json").write_text(json.dumps(lock, ensure_ascii=False, indent=1) + "\n", "utf-8")
    meta = ws / "antai.yaml"
    meta.write_text(meta.read_text("utf-8").replace("catalog_version: 0.2.0", "catalog_version: 0.1.0"), "utf-8")
    profile = ws / "profile.yaml"  # a 0.1 profile had no signing-keys question
    profile.write_text(
        "".join(line for line in profile.read_text("utf-8").splitlines(True) if "signing_keys" not in line), "utf-8"
    )
    assert run_cli("record", "-C", str(ws), "-m", "pinned 0.1", env=env).returncode == 0
    hint = run_cli("upgrade", "-C", str(ws), "--dry-run", "--lang", "en", env=env)
    assert hint.returncode == 0, hint.stderr
    assert "the profile does not answer these questions yet (planned with their defaults): signing_keys;" in hint.stdout
    shown = run_cli("upgrade", "-C", str(ws), "--format", "json", env=env)
    assert shown.returncode == 0, shown.stderr
    result = json.loads(shown.stdout)
    assert (result["old_version"], result["new_version"], result["unchanged"]) == ("0.1.0", "0.2.0", False)
    assert result["review"] == [] and result["archived"] == [] and result["added"] == []
    assert "catalog_version: 0.2.0" in meta.read_text("utf-8")
    assert run_cli("verify", "-C", str(ws), env=env).returncode == 0


def test_the_guide_shows_level_csf_person_days_and_conditions_in_words() -> None:
    shown = run_cli("item", "KEY-04", "--format", "md", "--lang", "ja")
    assert shown.returncode == 0, shown.stderr
    assert "導入工数: 大（数週間・購入）（15–30 人日） · 区分: 基本 · NIST CSF: PR 防御" in shown.stdout
    assert "**適用条件**: 署名鍵を自社で保有 または 業務: 暗号資産" in shown.stdout
    assert "∋" not in shown.stdout and "signing_keys" not in shown.stdout
    english = run_cli("item", "KEY-04", "--format", "md", "--lang", "en").stdout
    assert "**Condition**: holds its own signing keys or business: crypto assets" in english
