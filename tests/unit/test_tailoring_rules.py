"""Tailoring rules at their edges: thresholds, the priority table, any/all, monotonicity guards, fail-closed
evaluation, risk derivation boundaries, plan order and what-if."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, Literal

import pytest
from pydantic import TypeAdapter, ValidationError

from antai.catalog.conditions import (
    FLAG_KEYS,
    LEVEL_KEYS,
    LIST_KEYS,
    NUMBER_KEYS,
    PROFILE_KEYS,
    AllOf,
    AnyOf,
    AtLeast,
    Condition,
    Facts,
    Level,
    LevelAtLeast,
    describe,
)
from antai.catalog.schema import Severity
from antai.tailoring.plan import PRIORITY, QUICK_WIN_PRIORITY, UnknownFact, evaluate, make_plan
from antai.tailoring.profile import EXAMPLES_DIR, Profile, example_names, load_profile, resolve_profile_path
from antai.tailoring.risk import assess_risk
from antai.tailoring.whatif import compare

from . import builders as b

parse = TypeAdapter(Condition).validate_python


def holds(condition: dict[str, Any], profile: Profile, lang: str = "en") -> list[str] | None:
    return evaluate(parse(condition), profile, assess_risk(profile), lang)


# --- thresholds --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("users", "expected"), [(100_000, ["users 100,000 ≥ 100,000"]), (99_999, None)])
def test_users_threshold_holds_at_the_threshold_and_not_below(users: int, expected: list[str] | None) -> None:
    assert holds({"users": {"gte": 100_000}}, Profile(users=users)) == expected


@pytest.mark.parametrize(("staff", "expected"), [(10, ["staff 10 ≥ 10"]), (9, None), (11, ["staff 11 ≥ 10"])])
def test_staff_threshold_holds_at_the_threshold_and_not_below(staff: int, expected: list[str] | None) -> None:
    assert holds({"staff": {"gte": 10}}, Profile(staff=staff)) == expected


def test_a_zero_threshold_always_holds() -> None:
    assert holds({"users": {"gte": 0}}, Profile()) == ["users 0 ≥ 0"]


@pytest.mark.parametrize(
    ("profile", "expected"),
    [
        (Profile(), None),  # tier low
        (Profile(data=["personal"]), ["tier Medium ≥ Medium"]),
        (Profile(data=["card"]), ["tier High ≥ Medium"]),
    ],
)
def test_level_threshold(profile: Profile, expected: list[str] | None) -> None:
    assert holds({"tier": {"gte": "medium"}}, profile) == expected


def test_level_reason_in_japanese() -> None:
    assert holds({"sensitivity": {"gte": "high"}}, Profile(data=["card"]), "ja") == ["機微性 高 ≥ 高"]


def test_thresholds_are_strict_integers() -> None:
    for bad in ({"gte": True}, {"gte": "5"}, {"gte": 1.5}, {"gte": -1}, {"gt": 5}):
        with pytest.raises(ValidationError):
            parse({"users": bad})


# --- list and flag facts -----------------------------------------------------------------------------------


def test_list_fact_holds_on_any_listed_value_and_names_the_matches() -> None:
    profile = Profile(channels=["web", "ios_app"])
    assert holds({"channels": ["partner_api", "web", "ios_app"]}, profile) == ["channels: ios_app, web"]
    assert holds({"channels": ["partner_api"]}, profile) is None
    assert holds({"data": ["card"]}, Profile(data=["card"]), "ja") == ["データ: card"]


@pytest.mark.parametrize("flag", FLAG_KEYS)
def test_each_flag_can_only_ask_for_presence(flag: str) -> None:
    """Literal[True]: a condition on the absence of a risk factor would make the plan non-monotone."""
    with pytest.raises(ValidationError, match="Input should be True"):
        parse({flag: False})
    assert holds({flag: True}, Profile(**{flag: False})) is None
    reason = holds({flag: True}, Profile(**{flag: True}))
    assert reason is not None and len(reason) == 1


def test_flag_reasons_are_their_labels() -> None:
    assert holds({"moves_customer_funds": True}, Profile(moves_customer_funds=True)) == ["moves customer funds"]
    assert holds({"outsourcing": True}, Profile(outsourcing=True), "ja") == ["外部委託あり"]


# --- null and unknown keys ---------------------------------------------------------------------------------


@pytest.mark.parametrize("key", PROFILE_KEYS)
def test_a_null_fact_is_rejected(key: str) -> None:
    with pytest.raises(ValidationError, match="null is not a condition"):
        parse({key: None})
    with pytest.raises(ValidationError, match="null is not a condition"):
        parse({"any": [{"channels": ["web"]}, {"all": [{key: None}]}]})


def test_unknown_keys_are_rejected() -> None:
    for bad in ({"chanels": ["web"]}, {"channels": ["web"], "region": "eu"}, {"any": [{"x": True}]}, {"none": []}):
        with pytest.raises(ValidationError):
            parse(bad)


def test_every_fact_key_has_a_kind_and_a_value_in_the_profile_or_the_risk_levels() -> None:
    assert set(Facts.model_fields) == set(PROFILE_KEYS)
    assert len(PROFILE_KEYS) == len(set(PROFILE_KEYS))
    profile = Profile()
    for key in LIST_KEYS:
        assert isinstance(getattr(profile, key), list)
    for key in FLAG_KEYS:
        assert getattr(profile, key) is False
    for key in NUMBER_KEYS:
        assert type(getattr(profile, key)) is int
    risk = assess_risk(profile)
    for key in LEVEL_KEYS:
        assert isinstance(risk.level(key), Level)


# --- fail closed -------------------------------------------------------------------------------------------


class _FactsWithRegion(Facts):
    region: str | None = None  # a fact kind the evaluator does not know


class _FactsWithNewFlag(Facts):
    has_hsm: Literal[True] | None = None  # a known kind, but the profile has no such fact


@pytest.mark.parametrize(
    "facts",
    [
        _FactsWithRegion(region="eu"),
        _FactsWithNewFlag(has_hsm=True),
        Facts.model_construct(_fields_set={"users"}, users="many"),
        Facts.model_construct(_fields_set={"users"}, users=None),
        Facts.model_construct(_fields_set={"users"}, users=LevelAtLeast(gte=Level.LOW)),
        Facts.model_construct(_fields_set={"channels"}, channels=AtLeast(gte=0)),
        Facts.model_construct(_fields_set={"users"}, users=True),
        Facts.model_construct(_fields_set={"staff"}, staff=[]),
        Facts.model_construct(_fields_set={"moves_customer_funds"}, moves_customer_funds=AtLeast(gte=0)),
        Facts.model_construct(_fields_set={"moves_customer_funds"}, moves_customer_funds=["web"]),
    ],
)
def test_a_fact_the_evaluator_cannot_check_raises_instead_of_holding(facts: Facts) -> None:
    profile = Profile()
    with pytest.raises(UnknownFact):
        evaluate(facts, profile, assess_risk(profile))
    # also inside any/all, even when another branch holds
    with pytest.raises(UnknownFact):
        evaluate(AnyOf(any=[parse({"users": {"gte": 0}}), facts]), profile, assess_risk(profile))


def test_something_that_is_not_a_condition_raises() -> None:
    profile = Profile()
    with pytest.raises(UnknownFact):
        evaluate("channels", profile, assess_risk(profile))  # type: ignore[arg-type]


# --- any / all ---------------------------------------------------------------------------------------------


def test_any_holds_when_one_branch_holds_and_all_needs_every_branch() -> None:
    profile = Profile(channels=["web"], users=5)
    branches = [{"channels": ["web"]}, {"users": {"gte": 10}}]
    assert holds({"any": branches}, profile) == ["channels: web"]
    assert holds({"all": branches}, profile) is None
    assert holds({"all": [{"channels": ["web"]}, {"users": {"gte": 5}}]}, profile) == ["channels: web", "users 5 ≥ 5"]
    assert holds({"any": [{"users": {"gte": 10}}, {"channels": ["ios_app"]}]}, profile) is None


def test_reasons_are_deduplicated_in_first_seen_order() -> None:
    profile = Profile(channels=["web"], users=5)
    both = [{"users": {"gte": 1}}, {"channels": ["web"]}, {"users": {"gte": 1}}]
    assert holds({"any": both}, profile) == ["users 5 ≥ 1", "channels: web"]
    assert holds({"all": both}, profile) == ["users 5 ≥ 1", "channels: web"]


def test_several_facts_in_one_mapping_all_must_hold() -> None:
    condition = {"channels": ["web"], "users": {"gte": 10}}
    assert holds(condition, Profile(channels=["web"], users=5)) is None
    assert holds(condition, Profile(channels=["web"], users=10)) == ["channels: web", "users 10 ≥ 10"]


def test_describe_renders_nesting_with_parentheses() -> None:
    cond = parse(
        {
            "all": [
                {"any": [{"channels": ["web", "ios_app"]}, {"moves_customer_funds": True}]},
                {"tier": {"gte": "high"}},
            ]
        }
    )
    assert describe(cond) == "(channels ∋ web|ios_app OR moves_customer_funds) AND tier ≥ high"
    assert describe(parse({"any": [{"users": {"gte": 5}}]})) == "users ≥ 5"
    assert parse({"users": {"gte": 5}, "data": ["card"]}).describe() == ["data ∋ card", "users ≥ 5"]  # type: ignore[union-attr]


def test_conditions_parse_from_models_and_refuse_other_shapes() -> None:
    facts = parse({"channels": ["web"]})
    assert isinstance(parse(AnyOf(any=[facts])), AnyOf)
    assert isinstance(parse(AllOf(all=[facts])), AllOf)
    assert parse(facts) is facts
    for bad in (["channels"], "channels", None, {"any": [], "all": []}):
        with pytest.raises(ValidationError):
            parse(bad)


# --- risk derivation ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("profile", "level"),
    [
        (Profile(users=1_000_000), "high"),
        (Profile(users=999_999), "medium"),
        (Profile(users=10_000), "medium"),
        (Profile(users=9_999), "low"),
        (Profile(moves_customer_funds=True, users=100_000), "high"),
        (Profile(moves_customer_funds=True, users=99_999), "medium"),
        (Profile(business=["bank_api_update"], users=100_000), "high"),
        (Profile(business=["bank_api_update"], users=99_999), "medium"),
        (Profile(business=["b2b_fi_saas"], users=10_000), "high"),
        (Profile(business=["b2b_fi_saas"], users=9_999), "medium"),
        (Profile(business=["pfm", "accounting", "bank_api_read"]), "low"),
        (Profile(channels=["partner_api"]), "medium"),
        (Profile(channels=["web", "ios_app"]), "low"),
        (Profile(), "low"),
    ],
)
def test_externality_boundaries(profile: Profile, level: str) -> None:
    assert assess_risk(profile).externality.level == level


@pytest.mark.parametrize(
    "business",
    ["fund_transfer", "payments", "crypto_assets", "securities", "lending", "crowdfunding", "insurance",
     "b2b_fi_saas", "bank_api_update"],
)  # fmt: skip
def test_every_financial_business_raises_externality_to_medium(business: str) -> None:
    assert assess_risk(Profile(business=[business])).externality.level == "medium"


@pytest.mark.parametrize(
    ("profile", "level"),
    [
        (Profile(data=["card"]), "high"),
        (Profile(data=["bank_credentials"]), "high"),
        (Profile(data=["my_number"]), "high"),
        (Profile(data=["sensitive_personal"]), "high"),
        (Profile(data=["personal"], users=1_000_000), "high"),
        (Profile(data=["personal"], users=999_999), "medium"),
        (Profile(users=5_000_000), "low"),
        (Profile(), "low"),
    ],
)
def test_sensitivity_boundaries(profile: Profile, level: str) -> None:
    assert assess_risk(profile).sensitivity.level == level


def test_derivations_name_every_rule_at_the_top_level() -> None:
    risk = assess_risk(Profile(moves_customer_funds=True, users=1_000_000, data=["personal"]))
    assert risk.externality.text("en") == ["1,000,000 users or more", "moves customer funds with 100,000 users or more"]
    assert risk.sensitivity.text("ja") == ["個人情報を 100 万人分以上保有"]
    assert risk.tier.text("en") == ["externality is high", "sensitivity is high"]
    assert risk.tier.text("ja") == ["外部性が高", "機微性が高"]


def test_low_levels_say_why() -> None:
    risk = assess_risk(Profile())
    assert risk.externality.text("en") == ["no scale, funds or financial business"]
    assert risk.sensitivity.text("ja") == ["個人情報や機微な情報を保有しない"]
    assert risk.tier.level == "low"
    assert risk.tier.text("en") == ["externality is low", "sensitivity is low"]


def test_tier_is_the_higher_level_and_names_only_that_side() -> None:
    risk = assess_risk(Profile(data=["personal"], users=10))
    assert (risk.externality.level, risk.sensitivity.level, risk.tier.level) == ("low", "medium", "medium")
    assert risk.tier.text("en") == ["sensitivity is medium"]
    assert risk.tier.text("ja") == ["機微性が中"]
    risk = assess_risk(Profile(users=1_000_000))
    assert risk.tier.level == "high" and risk.tier.text("en") == ["externality is high"]


def test_risk_as_dict() -> None:
    risk = assess_risk(Profile(data=["personal"]))
    assert risk.as_dict("en") == {
        "externality": "low",
        "sensitivity": "medium",
        "tier": "medium",
        "derivation": {
            "externality": ["no scale, funds or financial business"],
            "sensitivity": ["holds personal data"],
            "tier": ["sensitivity is medium"],
        },
    }
    assert risk.as_dict()["derivation"]["sensitivity"] == ["holds personal data"]  # type: ignore[index]
    assert risk.as_dict("ja")["derivation"]["sensitivity"] == ["個人情報を保有"]  # type: ignore[index]


# --- priority table and plan order -------------------------------------------------------------------------

TIERS = {"low": Profile(), "medium": Profile(data=["personal"]), "high": Profile(data=["card"])}
EXPECTED_PRIORITY = {
    "low": {"critical": 1, "high": 2, "medium": 3, "low": 4},
    "medium": {"critical": 1, "high": 2, "medium": 3, "low": 4},
    "high": {"critical": 1, "high": 1, "medium": 2, "low": 3},
}


def test_priority_table_is_pinned() -> None:
    assert {t.value: {s.value: p for s, p in row.items()} for t, row in PRIORITY.items()} == EXPECTED_PRIORITY
    assert QUICK_WIN_PRIORITY == 2


@pytest.mark.parametrize("tier", ["low", "medium", "high"])
@pytest.mark.parametrize("severity", [s.value for s in Severity])
def test_plan_priority_per_tier_and_severity(tier: str, severity: str) -> None:
    cat = b.catalog(b.item("PR-01", severity=severity))
    plan = make_plan(cat, TIERS[tier])
    assert plan.risk.tier.level == tier
    assert [(i.id, i.priority) for i in plan.items] == [("PR-01", EXPECTED_PRIORITY[tier][severity])]


def _ordering_catalog() -> Any:
    return b.catalog(
        b.item("OR-01", severity="high", effort="high"),
        b.item("OR-02", severity="high", effort="low", when={"channels": ["web"]}),
        b.item("OR-03", severity="high", effort="low"),
        b.item("OR-04", severity="high", effort="medium"),
        b.item("OR-05", severity="critical", effort="high", chapter=2),
        b.item("OR-06", severity="medium", effort="low", chapter=2),
        b.item("OR-07", severity="high", effort="low"),
        b.item("OR-08", severity="low", effort="low", when={"channels": ["ios_app"]}, chapter=3),
    )


def test_plan_orders_by_priority_then_effort_then_mandatory_then_catalog_order() -> None:
    plan = make_plan(_ordering_catalog(), Profile(channels=["web"]))
    assert [(i.id, i.priority) for i in plan.items] == [
        ("OR-05", 1),
        ("OR-03", 2),
        ("OR-07", 2),
        ("OR-02", 2),
        ("OR-04", 2),
        ("OR-01", 2),
        ("OR-06", 3),
    ]
    assert [i.id for i in plan.quick_wins] == ["OR-03", "OR-07", "OR-02"]
    assert plan.ids == {"OR-01", "OR-02", "OR-03", "OR-04", "OR-05", "OR-06", "OR-07"}
    assert plan.by_chapter() == {1: (5, 0), 2: (2, 0), 3: (0, 1)}


def test_plan_reasons_and_exclusions() -> None:
    plan = make_plan(_ordering_catalog(), Profile(channels=["web"]))
    by_id = {i.id: i for i in plan.items}
    assert by_id["OR-02"].reasons == ("channels: web",)
    assert by_id["OR-01"].reasons == ("applies in all cases (mandatory)",)
    assert [(e.id, e.reasons) for e in plan.excluded] == [
        ("OR-08", ("condition not met: channels ∋ ios_app", "this service: channels = web"))
    ]
    ja = make_plan(_ordering_catalog(), Profile(), "ja")
    assert {e.id: e.reasons for e in ja.excluded} == {
        "OR-02": ("適用条件を満たさない: channels ∋ web", "このサービス: チャネル = なし"),
        "OR-08": ("適用条件を満たさない: channels ∋ ios_app", "このサービス: チャネル = なし"),
    }
    assert ja.items[0].reasons == ("全ての場合に適用（必須項目）",)


def test_exclusion_shows_each_tested_fact_of_the_service() -> None:
    cat = b.catalog(
        b.item(
            "EX-01",
            when={"any": [{"moves_customer_funds": True, "users": {"gte": 10_000}}, {"tier": {"gte": "high"}}]},
        )
    )
    (excluded,) = make_plan(cat, Profile(users=5_000)).excluded
    assert excluded.reasons == (
        "condition not met: (moves_customer_funds AND users ≥ 10000) OR tier ≥ high",
        "this service: moves customer funds = no; tier = Low; users = 5,000",
    )
    (excluded,) = make_plan(cat, Profile(users=5_000), "ja").excluded
    assert excluded.reasons[1] == "このサービス: 顧客資金を移動 = いいえ; リスク区分 = 低; 利用者数 = 5,000"
    (excluded,) = make_plan(cat, Profile(moves_customer_funds=True), "ja").excluded
    assert "顧客資金を移動 = はい" in excluded.reasons[1]
    (excluded,) = make_plan(cat, Profile(moves_customer_funds=True)).excluded
    assert "moves customer funds = yes" in excluded.reasons[1]
    cat = b.catalog(b.item("EX-02", when={"data": ["card"]}))
    (excluded,) = make_plan(cat, Profile(data=["personal", "my_number"])).excluded
    assert excluded.reasons[1] == "this service: data = my_number, personal"


def test_plan_as_dict() -> None:
    cat = b.catalog(
        b.item("PD-01", severity="critical", effort="low", chapter=2),
        b.item("PD-02", severity="low", effort="high", when={"channels": ["web"]}),
        b.item("PD-03", severity="low", when={"channels": ["ios_app"]}),
    )
    plan = make_plan(cat, Profile(channels=["web"]))
    data = plan.as_dict()
    assert data["schema"] == "antai.plan/1"
    assert data["catalog_version"] == "0.1.0"
    assert data["profile"]["channels"] == ["web"]
    assert data["risk"]["tier"] == "low"
    assert data["summary"] == {
        "selected": 2,
        "excluded": 1,
        "mandatory": 1,
        "quick_wins": ["PD-01"],
        "by_priority": {"1": 1, "2": 0, "3": 0, "4": 1},
        "by_chapter": {"1": {"selected": 1, "excluded": 1}, "2": {"selected": 1, "excluded": 0}},
    }
    assert data["items"] == [
        {
            "id": "PD-01",
            "priority": 1,
            "reasons": ["applies in all cases (mandatory)"],
            "chapter": 2,
            "mandatory": True,
            "severity": "critical",
            "effort": "low",
            "quick_win": True,
        },
        {
            "id": "PD-02",
            "priority": 4,
            "reasons": ["channels: web"],
            "chapter": 1,
            "mandatory": False,
            "severity": "low",
            "effort": "high",
            "quick_win": False,
        },
    ]
    assert data["excluded"] == [
        {
            "id": "PD-03",
            "chapter": 1,
            "reasons": ["condition not met: channels ∋ ios_app", "this service: channels = web"],
        }
    ]
    assert make_plan(cat, Profile(), "ja").as_dict()["risk"]["derivation"]["tier"] == ["外部性が低", "機微性が低"]


# --- what-if -----------------------------------------------------------------------------------------------


def test_what_if_lists_entered_left_levels_and_priorities() -> None:
    cat = b.catalog(
        b.item("WI-01", severity="high"),
        b.item("WI-02", when={"channels": ["web"]}),
        b.item("WI-03", when={"data": ["card"]}),
        b.item("WI-04", severity="critical"),
    )
    before = make_plan(cat, Profile(channels=["web"]))
    after = make_plan(cat, Profile(data=["card"]))
    change = compare(before, after)
    assert change.entered == ("WI-03",)
    assert change.left == ("WI-02",)
    assert change.levels == (("sensitivity", "low", "high"), ("tier", "low", "high"))
    assert change.reprioritised == (("WI-01", 2, 1),)
    assert not change.empty
    assert change.as_dict() == {
        "entered": ["WI-03"],
        "left": ["WI-02"],
        "levels": [
            {"name": "sensitivity", "before": "low", "after": "high"},
            {"name": "tier", "before": "low", "after": "high"},
        ],
        "reprioritised": [{"id": "WI-01", "before": 2, "after": 1}],
        "before": {"selected": 3, "tier": "low"},
        "after": {"selected": 3, "tier": "high"},
    }


def test_what_if_without_a_change_is_empty() -> None:
    cat = b.catalog(b.item("WI-01"))
    plan = make_plan(cat, Profile())
    change = compare(plan, make_plan(cat, Profile(staff=3)))
    assert change.empty
    assert (change.entered, change.left, change.levels, change.reprioritised) == ((), (), (), ())
    assert compare(plan, make_plan(cat, Profile(users=10_000))).levels == (
        ("externality", "low", "medium"),
        ("tier", "low", "medium"),
    )


# --- the profile -------------------------------------------------------------------------------------------


def test_profile_facts_and_examples() -> None:
    assert Profile(name="x", users=3).facts() == {
        "business": [],
        "moves_customer_funds": False,
        "data": [],
        "channels": [],
        "cloud": [],
        "own_equipment": False,
        "users": 3,
        "staff": 1,
        "manual_data_entry": False,
        "outsourcing": False,
    }
    assert example_names() == ["b2b-accounting", "crypto-exchange", "household-budget", "remittance", "robo-advisor"]
    assert resolve_profile_path("example:remittance") == EXAMPLES_DIR / "remittance.yaml"
    assert resolve_profile_path(Path("mine.yaml")) == Path("mine.yaml")
    remittance = load_profile(Path("example:remittance"))
    assert remittance.users == 150_000 and remittance.moves_customer_funds
    assert assess_risk(remittance).tier.level == "high"


# --- details the tests above leave open ----------------------------------------------------------------------


def test_error_messages_of_the_fail_closed_evaluator_name_the_fact() -> None:
    profile = Profile()
    risk = assess_risk(profile)
    cases = [
        (_FactsWithNewFlag(has_hsm=True), "the profile has no fact 'has_hsm'"),
        (Facts.model_construct(_fields_set={"users"}, users=True), "profile fact 'users' is int, not bool"),
        (Facts.model_construct(_fields_set={"channels"}, channels=AtLeast(gte=0)), "'channels' is list, not int"),
        (Facts.model_construct(_fields_set={"users"}, users=LevelAtLeast(gte=Level.LOW)), "'users' is not a derived"),
        (_FactsWithRegion(region="eu"), "cannot evaluate condition fact region: 'eu'"),
        # list values must be vocabulary members, not plain strings that happen to match
        (Facts.model_construct(_fields_set={"channels"}, channels=["web"]), "cannot evaluate condition fact channels"),
    ]
    for facts, message in cases:
        with pytest.raises(UnknownFact, match=re.escape(message)):
            evaluate(facts, profile, risk)
    with pytest.raises(UnknownFact, match="cannot evaluate condition 'channels'"):
        evaluate("channels", profile, risk)  # type: ignore[arg-type]


def test_reasons_inside_any_and_all_are_in_the_requested_language() -> None:
    profile = Profile(channels=["web"], data=["card"])
    assert holds({"any": [{"channels": ["web"]}]}, profile, "ja") == ["チャネル: web"]
    assert holds({"all": [{"channels": ["web"]}, {"tier": {"gte": "high"}}]}, profile, "ja") == [
        "チャネル: web",
        "リスク区分 高 ≥ 高",
    ]
    cat = b.catalog(b.item("LA-01", when={"all": [{"data": ["card"]}]}))
    assert make_plan(cat, profile, "ja").items[0].reasons == ("データ: card",)


def test_exclusions_of_all_conditions_and_empty_lists_in_english() -> None:
    cat = b.catalog(b.item("XA-01", when={"all": [{"channels": ["web"]}, {"cloud": ["aws"]}]}))
    (excluded,) = make_plan(cat, Profile(channels=["web"])).excluded
    assert excluded.reasons == (
        "condition not met: channels ∋ web AND cloud ∋ aws",
        "this service: channels = web; cloud = none",
    )


def test_excluded_items_are_counted_per_chapter() -> None:
    cat = b.catalog(
        b.item("EC-01", when={"channels": ["web"]}),
        b.item("EC-02", when={"channels": ["web"]}),
        b.item("EC-03"),
    )
    assert make_plan(cat, Profile()).by_chapter() == {1: (1, 2)}


def test_json_dumps_hold_plain_values() -> None:
    plan = make_plan(b.catalog(b.item("JS-01")), Profile(channels=["web"]))
    assert type(plan.as_dict()["profile"]["channels"][0]) is str
    assert type(Profile(channels=["web"]).facts()["channels"][0]) is str  # type: ignore[index]


def test_profile_errors_name_the_path_as_given(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from antai.catalog import SourceError
    from antai.tailoring import profile as profile_module

    (tmp_path / "broken.yaml").write_text("users: many\n", encoding="utf-8")
    monkeypatch.setattr(profile_module, "EXAMPLES_DIR", tmp_path)
    with pytest.raises(SourceError) as raised:
        load_profile(Path("example:broken"))
    assert str(raised.value.problems[0]).startswith("example:broken:1:8: users:")


def test_low_level_derivations_in_both_languages() -> None:
    risk = assess_risk(Profile())
    assert risk.externality.text("ja") == ["規模・資金移動・金融業務のいずれも該当しない"]
    assert risk.sensitivity.text("en") == ["holds no personal or sensitive data"]


def test_an_empty_condition_is_refused_because_it_would_always_hold() -> None:
    for empty in ({}, {"any": [{}]}, {"all": [{"channels": ["web"]}, {}]}):
        with pytest.raises(ValidationError, match="a condition needs at least one of: business, data"):
            parse(empty)
