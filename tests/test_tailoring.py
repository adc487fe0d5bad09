"""Risk-based tailoring: profiles, risk levels, the plan and its reasons, what-if, and monotonicity."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from antai.catalog import Catalog, SourceError
from antai.catalog.conditions import Business, Channel, Cloud, DataKind, Level
from antai.cli.main import cli
from antai.tailoring import Profile, assess_risk, load_profile, make_plan
from antai.tailoring.profile import example_names
from antai.tailoring.questionnaire import AnswerError, apply_assignments

from .conftest import run_cli

DEVICE_ITEMS_MIN = 8


def plan_for(catalog: Catalog, example: str):  # type: ignore[no-untyped-def]
    return make_plan(catalog, load_profile(Path(f"example:{example}")))


# --- profiles ------------------------------------------------------------------------------------


def test_profile_typo_is_reported_with_line_and_suggestion(tmp_path: Path) -> None:
    path = tmp_path / "p.yaml"
    path.write_text("business: [pfm]\nchanels: [ios_app]\nusers: 10\n", encoding="utf-8")
    with pytest.raises(SourceError) as info:
        load_profile(path)
    (problem,) = info.value.problems
    assert str(problem) == f"{path}:2:1: unknown field 'chanels' (did you mean 'channels'?)"


def test_profile_bad_value_points_at_it(tmp_path: Path) -> None:
    path = tmp_path / "p.yaml"
    path.write_text("business: [pfm]\ndata:\n  - personal\n  - passwords\nusers: -5\n", encoding="utf-8")
    with pytest.raises(SourceError) as info:
        load_profile(path)
    problems = [str(p) for p in info.value.problems]
    assert any(p.startswith(f"{path}:4:5: data[1]:") for p in problems), problems
    assert any(p.startswith(f"{path}:5:8: users:") for p in problems), problems


def test_cli_profile_errors_exit_1_without_traceback(tmp_path: Path) -> None:
    path = tmp_path / "p.yaml"
    path.write_text("business: [pfm\n", encoding="utf-8")
    result = run_cli("plan", "--profile", str(path))
    assert result.returncode == 1
    assert f"{path}:" in result.stderr and "Traceback" not in result.stderr
    missing = run_cli("plan", "--profile", "example:nope")
    assert missing.returncode == 2 and "example:remittance" in missing.stderr


def test_profile_schema_lists_exactly_the_vocabulary() -> None:
    schema = json.loads(run_cli("profile", "schema").stdout)
    assert set(schema["properties"]) == {
        "name",
        "business",
        "moves_customer_funds",
        "data",
        "channels",
        "cloud",
        "own_equipment",
        "users",
        "staff",
        "manual_data_entry",
        "outsourcing",
        "customer_accounts",
        "admin_console",
        "signing_keys",
        "links_bank_accounts",
        "embedded_in_fi",
        "monthly_transactions",
        "engineers",
        "security_share",
    }
    assert schema["additionalProperties"] is False


# --- risk levels -----------------------------------------------------------------------------------


def test_risk_levels_and_their_derivation() -> None:
    small = assess_risk(Profile(business=[Business.PFM], data=[], users=100))
    levels = (small.confidentiality.level, small.integrity.level, small.availability.level, small.tier.level)
    assert levels == (Level.LOW,) * 4
    assert small.integrity.text("en") == [
        "moves no money, updates no bank data, trades nothing and keys in nothing by hand"
    ]
    funds = assess_risk(Profile(moves_customer_funds=True, users=200_000, data=[DataKind.PERSONAL]))
    assert funds.availability.level == Level.HIGH
    assert funds.availability.text("ja") == ["顧客資金を動かし、利用者 10 万人以上"]
    assert funds.integrity.level == Level.HIGH and funds.integrity.text("en") == ["moves customer funds"]
    assert funds.confidentiality.level == Level.MEDIUM and funds.tier.level == Level.HIGH
    assert funds.tier.text("en") == ["integrity is high", "availability is high"]
    cards = assess_risk(Profile(data=[DataKind.CARD]))
    assert cards.confidentiality.level == Level.HIGH and cards.tier.level == Level.HIGH
    assert (cards.integrity.level, cards.availability.level) == (Level.LOW, Level.LOW)
    assert cards.tier.text("ja") == ["機密性が高"]
    # 0.1 condition names still evaluate, as the properties they meant
    assert cards.level("sensitivity") == Level.HIGH and funds.level("externality") == Level.HIGH


def test_availability_follows_scale_not_data() -> None:
    """Holding bank tokens raises confidentiality only: the review's household-budget case."""
    pfm = assess_risk(
        Profile(
            business=[Business.PFM, Business.BANK_API_READ],
            data=[DataKind.PERSONAL, DataKind.BANK_CREDENTIALS],
            users=8_000,
        )
    )
    assert (pfm.confidentiality.level, pfm.integrity.level, pfm.availability.level) == (
        Level.HIGH,
        Level.LOW,
        Level.LOW,
    )
    embedded = assess_risk(Profile(embedded_in_fi=True, users=20_000))
    assert embedded.availability.level == Level.HIGH
    volume = assess_risk(Profile(monthly_transactions=50_000))
    assert volume.availability.level == Level.MEDIUM and volume.availability.text("en") == [
        "10,000 transactions a month or more"
    ]
    keys = assess_risk(Profile(signing_keys=True))
    assert keys.integrity.level == Level.HIGH and keys.confidentiality.level == Level.LOW


# --- the plan --------------------------------------------------------------------------------------


def test_plan_json_contract(catalog: Catalog) -> None:
    result = run_cli("plan", "--profile", "example:remittance", "--format", "json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert {"confidentiality", "integrity", "availability", "tier", "derivation"} <= set(data["risk"])
    keys = {"id", "phase", "risk", "reasons", "phase_reason", "effort_days", "level", "csf"}
    assert data["items"] and all(keys <= set(i) for i in data["items"])
    assert set(data["summary"]["by_phase"]) == {"gate", "days_90", "year_1", "later"}
    assert all(i["reasons"] and all(isinstance(r, str) for r in i["reasons"]) for i in data["items"])
    assert all(e["reasons"] for e in data["excluded"])
    priorities = [i["priority"] for i in data["items"]]
    assert priorities == sorted(priorities)
    ids = [i["id"] for i in data["items"]] + [e["id"] for e in data["excluded"]]
    assert sorted(ids) == sorted(i.id for i in catalog.items)


def test_mandatory_items_always_apply_with_their_reason(catalog: Catalog) -> None:
    plan = make_plan(catalog, Profile(), lang="ja")
    selected = {i.id: i for i in plan.items}
    for item in catalog.items:
        if item.mandatory:
            assert selected[item.id].reasons == ("全ての場合に適用（必須項目）",)
    assert all(not catalog.item(i.id).mandatory for i in plan.excluded)  # type: ignore[union-attr]


def test_reasons_name_the_triggering_facts(catalog: Catalog) -> None:
    plan = plan_for(catalog, "household-budget")
    pinning = next(i for i in plan.items if i.id == "MOB-06")
    assert pinning.reasons == ("channels: Android app, iOS app",)
    excluded = next(e for e in plan.excluded if e.id == "IOC-01")
    assert excluded.reasons == ("condition not met: manual data entry", "this service: manual data entry = no")
    ja = make_plan(catalog, plan.profile, lang="ja")
    assert next(i for i in ja.items if i.id == "MOB-06").reasons == ("チャネル: Android アプリ, iOS アプリ",)
    assert next(e for e in ja.excluded if e.id == "IOC-01").reasons == (
        "適用条件を満たさない: 手入力の業務データあり",
        "このサービス: 手入力の業務データあり = いいえ",
    )


def test_within_a_phase_cheaper_items_come_first_and_quick_wins_are_flagged(catalog: Catalog) -> None:
    plan = plan_for(catalog, "remittance")
    order = {"low": 0, "medium": 1, "high": 2}
    phases = [i.phase.rank for i in plan.items]
    assert phases == sorted(phases)
    for phase in {i.phase for i in plan.items}:
        efforts = [order[i.effort.value] for i in plan.items if i.phase == phase]
        assert efforts == sorted(efforts)
    assert plan.quick_wins and all(i.phase.rank <= 1 and i.effort.value == "low" for i in plan.quick_wins)


# --- the shipped examples --------------------------------------------------------------------------

APP_EXAMPLES = ["household-budget", "remittance", "crypto-exchange"]
WEB_ONLY = ["b2b-accounting", "robo-advisor"]


def test_at_least_five_examples() -> None:
    assert len(example_names()) >= 5


@pytest.mark.parametrize("example", APP_EXAMPLES)
def test_app_services_get_pinning_and_keystore(catalog: Catalog, example: str) -> None:
    ids = plan_for(catalog, example).ids
    assert {"MOB-01", "MOB-06"} <= ids  # hardware-backed keystore, certificate pinning
    device = [i for i in catalog.items if "device" in i.layers]
    assert len(device) >= DEVICE_ITEMS_MIN


@pytest.mark.parametrize("example", WEB_ONLY)
def test_web_only_services_get_no_device_items(catalog: Catalog, example: str) -> None:
    plan = plan_for(catalog, example)
    device_ids = {i.id for i in catalog.items if i.section == "device"}
    assert not (plan.ids & device_ids)
    assert "CYB-03" in plan.ids  # HSTS for web services


@pytest.mark.parametrize("example", ["remittance", "crypto-exchange"])
def test_fund_moving_services_get_transaction_limits_and_reconciliation(catalog: Catalog, example: str) -> None:
    ids = plan_for(catalog, example).ids
    assert {"FLR-03", "IOC-02", "IOC-03"} <= ids


def test_manual_entry_gets_count_and_total_matching(catalog: Catalog) -> None:
    assert "IOC-01" in plan_for(catalog, "b2b-accounting").ids
    assert "IOC-01" not in plan_for(catalog, "remittance").ids


def test_own_key_hardware_gets_physical_and_hsm_items(catalog: Catalog) -> None:
    plan = plan_for(catalog, "crypto-exchange")
    assert {"DAT-10", "KEY-04"} <= plan.ids
    assert plan.risk.tier.level == Level.HIGH and plan.risk.availability.level == Level.HIGH
    assert plan.risk.integrity.text("en") == [
        "moves customer funds",
        "handles trading in crypto assets or securities",
        "holds signing keys of its own",
    ]
    assert "DAT-10" not in plan_for(catalog, "remittance").ids


def test_bank_api_services_get_chapter_8(catalog: Catalog) -> None:
    household = plan_for(catalog, "household-budget")
    assert "BNK-01" in household.ids and "BNK-07" not in household.ids  # read-only: no update-API items
    assert not any(i.startswith("BNK-") for i in plan_for(catalog, "b2b-accounting").ids)


# --- what-if ---------------------------------------------------------------------------------------


def test_what_if_shows_items_entering_and_level_changes() -> None:
    result = run_cli(
        "plan",
        "--profile",
        "example:robo-advisor",
        "--set",
        "users=5000000",
        "--set",
        "channels+=ios_app",
        "--lang",
        "en",
    )
    assert result.returncode == 0, result.stderr
    assert "availability: Low → High" in result.stdout
    assert "+ MOB-01" in result.stdout and "+ MOB-06" in result.stdout
    data = json.loads(
        run_cli(
            "plan",
            "--profile",
            "example:remittance",
            "--set",
            "channels-=ios_app",
            "--set",
            "channels-=android_app",
            "--format",
            "json",
        ).stdout
    )
    assert "MOB-06" in data["what_if"]["left"] and not data["what_if"]["entered"]


def test_what_if_rejects_bad_assignments() -> None:
    profile = Profile()
    with pytest.raises(AnswerError, match="did you mean 'users'"):
        apply_assignments(profile, ["user=5"])
    with pytest.raises(AnswerError, match="unknown value"):
        apply_assignments(profile, ["channels+=fax"])
    with pytest.raises(AnswerError, match="works on lists"):
        apply_assignments(profile, ["users+=5"])
    result = run_cli("plan", "--profile", "example:remittance", "--set", "users=lots")
    assert result.returncode == 2 and "not a whole number" in result.stderr


# --- questionnaire ---------------------------------------------------------------------------------


def test_questionnaire_non_interactive_from_flags(tmp_path: Path) -> None:
    out = tmp_path / "profile.yaml"
    result = run_cli(
        "profile",
        "new",
        "--no-input",
        "-o",
        str(out),
        "--set",
        "business=pfm,bank_api_read",
        "--set",
        "channels=ios_app",
        "--set",
        "users=1200",
        "--set",
        "data=personal",
    )
    assert result.returncode == 0, result.stderr
    profile = load_profile(out)
    assert profile.business == [Business.BANK_API_READ, Business.PFM] and profile.users == 1200
    assert out.read_text("utf-8").startswith("# antai")  # commented for the founder who edits it


def test_questionnaire_interactive_session(tmp_path: Path) -> None:
    out = tmp_path / "profile.yaml"
    answers = (
        "\n".join(
            [
                "My Pay",  # name
                "2,3",  # business: payments, bank_api_read
                "y",  # moves customer funds
                "personal, card",  # data, by value
                "1,2",  # channels
                "1",  # cloud: aws
                "n",  # own equipment
                "250000",  # users
                "8",  # staff
                "n",  # manual data entry
                "y",  # outsourcing
                "y",  # customer accounts
                "y",  # admin console
                "n",  # signing keys
                "y",  # links bank accounts
                "n",  # part of a financial institution's service
                "30000",  # monthly transactions
                "",  # engineers: Enter keeps half the staff
                "25",  # share of time for security
            ]
        )
        + "\n"
    )
    result = CliRunner().invoke(cli, ["profile", "new", "--interactive", "--lang", "en", "-o", str(out)], input=answers)
    assert result.exit_code == 0, result.output
    assert "Which kinds of business" in result.output
    profile = load_profile(out)
    assert profile.name == "My Pay" and profile.moves_customer_funds and profile.users == 250_000
    assert set(profile.channels) == {Channel.IOS_APP, Channel.ANDROID_APP} and profile.cloud == [Cloud.AWS]
    assert set(profile.data) == {DataKind.PERSONAL, DataKind.CARD}
    assert profile.links_bank_accounts and profile.admin_console and not profile.signing_keys
    assert (profile.monthly_transactions, profile.engineers, profile.security_share) == (30_000, 4, 25)


def test_questionnaire_reprompts_on_a_bad_answer(tmp_path: Path) -> None:
    out = tmp_path / "p.yaml"
    answers = "\n".join(["", "banking", "pfm", "n", "-", "-", "-", "n", "10", "2", "n", "n", *[""] * 8]) + "\n"
    result = CliRunner().invoke(cli, ["profile", "new", "--interactive", "--lang", "en", "-o", str(out)], input=answers)
    assert result.exit_code == 0, result.output
    assert "unknown value(s) banking" in result.output
    assert load_profile(out).business == [Business.PFM]


# --- monotonicity ------------------------------------------------------------------------------------

profiles = st.builds(
    Profile,
    business=st.lists(st.sampled_from(list(Business)), unique=True),
    moves_customer_funds=st.booleans(),
    data=st.lists(st.sampled_from(list(DataKind)), unique=True),
    channels=st.lists(st.sampled_from(list(Channel)), unique=True),
    cloud=st.lists(st.sampled_from(list(Cloud)), unique=True),
    own_equipment=st.booleans(),
    users=st.integers(min_value=0, max_value=5_000_000),
    staff=st.integers(min_value=1, max_value=500),
    manual_data_entry=st.booleans(),
    outsourcing=st.booleans(),
    customer_accounts=st.booleans(),
    admin_console=st.booleans(),
    signing_keys=st.booleans(),
    links_bank_accounts=st.booleans(),
    embedded_in_fi=st.booleans(),
    monthly_transactions=st.integers(min_value=0, max_value=3_000_000),
)


@st.composite
def raised(draw: st.DrawFn, profile: Profile) -> Profile:
    """The same profile with one or more risk factors raised (never lowered)."""
    data = profile.model_dump()
    for _ in range(draw(st.integers(min_value=1, max_value=3))):
        factor = draw(
            st.sampled_from(
                [
                    "business",
                    "data",
                    "channels",
                    "cloud",
                    "moves_customer_funds",
                    "own_equipment",
                    "manual_data_entry",
                    "outsourcing",
                    "users",
                    "staff",
                    "customer_accounts",
                    "admin_console",
                    "signing_keys",
                    "links_bank_accounts",
                    "embedded_in_fi",
                    "monthly_transactions",
                ]
            )
        )
        if factor in ("business", "data", "channels", "cloud"):
            enum = {"business": Business, "data": DataKind, "channels": Channel, "cloud": Cloud}[factor]
            data[factor] = sorted(set(data[factor]) | {draw(st.sampled_from(list(enum)))})
        elif factor in ("users", "staff", "monthly_transactions"):
            # within the profile's bounds (staff ≤ 1,000,000): at the bound, the factor simply stays
            bound = {"users": 10**10, "staff": 1_000_000, "monthly_transactions": 10**12}[factor]
            data[factor] = min(bound, data[factor] + draw(st.integers(min_value=1, max_value=2_000_000)))
        else:
            data[factor] = True
    return Profile.model_validate(data)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data(), base=profiles)
def test_raising_any_risk_factor_never_removes_an_item_lowers_a_level_or_delays_an_item(
    catalog: Catalog, data: st.DataObject, base: Profile
) -> None:
    higher = data.draw(raised(base))
    before, after = make_plan(catalog, base), make_plan(catalog, higher)
    assert before.ids <= after.ids, f"items removed: {sorted(before.ids - after.ids)}"
    for name in ("confidentiality", "integrity", "availability", "tier"):
        assert after.risk.level(name).rank >= before.risk.level(name).rank, name
    old = {i.id: i for i in before.items}
    for item in after.items:
        if item.id in old:
            assert item.phase.rank <= old[item.id].phase.rank, f"{item.id} moved to a later phase"
            assert item.risk.rank <= old[item.id].risk.rank, f"{item.id} became less risky"


@pytest.mark.parametrize(
    "example", ["household-budget", "crypto-exchange", "remittance", "b2b-accounting", "robo-advisor"]
)
@pytest.mark.parametrize("lang", ["ja", "en"])
def test_plan_default_screen_fits_40_lines(example: str, lang: str) -> None:
    shown = run_cli("plan", "--profile", f"example:{example}", "--lang", lang, env={"COLUMNS": "100"})
    assert shown.returncode == 0, shown.stderr
    assert len(shown.stdout.splitlines()) <= 40, shown.stdout
    assert ("接続前に終える項目（ゲート）" if lang == "ja" else "the gate") in shown.stdout


def test_plan_table_summary_then_items() -> None:
    short = run_cli("plan", "--profile", "example:b2b-accounting", "--lang", "en", env={"COLUMNS": "200"})
    assert short.returncode == 0
    assert "Phases and their size" in short.stdout and "Within a year" in short.stdout
    assert "All items that apply, by phase" not in short.stdout
    everything = run_cli("plan", "--profile", "example:b2b-accounting", "--all", "--lang", "en", env={"COLUMNS": "200"})
    assert "All items that apply, by phase" in everything.stdout and "IOC-01" in everything.stdout
    assert "manual data entry" in everything.stdout  # the reason IOC-01 applies
    assert "Items that do not apply" in everything.stdout and "condition not met" in everything.stdout
