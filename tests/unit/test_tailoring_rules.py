"""Tailoring rules at their edges: condition thresholds, any/all, fail-closed evaluation, the rules of each
risk level with their exact wording, the tier, the item-risk and phase tables cell by cell, the advanced
shift, the dependency pull, quick wins, plan order, the wording of conditions and what-if."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, Literal

import pytest
from pydantic import TypeAdapter, ValidationError

from antai.catalog import Catalog
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
from antai.catalog.model import ItemRule
from antai.catalog.schema import CIA, Effort, Severity
from antai.reports.plan import phase_why
from antai.tailoring.plan import (
    ITEM_RISK,
    PHASE,
    ItemRisk,
    Phase,
    Plan,
    UnknownFact,
    describe_condition,
    evaluate,
    item_risk,
    make_plan,
)
from antai.tailoring.profile import EXAMPLES_DIR, Profile, example_names, load_profile, resolve_profile_path
from antai.tailoring.risk import ALIASES, assess_risk
from antai.tailoring.whatif import compare

from . import builders as b

parse = TypeAdapter(Condition).validate_python


def holds(condition: dict[str, Any], profile: Profile, lang: str = "en") -> list[str] | None:
    return evaluate(parse(condition), profile, assess_risk(profile), lang)


def phases(plan: Plan) -> list[tuple[str, str]]:
    return [(i.id, i.phase.value) for i in plan.items]


# a profile for each confidentiality level; integrity and availability stay low in all three
CONFIDENTIALITY = {
    "low": Profile(),
    "medium": Profile(data=["personal"]),
    "high": Profile(data=["card"]),
}


# --- thresholds --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("users", "expected"), [(100_000, ["users 100,000 ≥ 100,000"]), (99_999, None)])
def test_users_threshold_holds_at_the_threshold_and_not_below(users: int, expected: list[str] | None) -> None:
    assert holds({"users": {"gte": 100_000}}, Profile(users=users)) == expected


@pytest.mark.parametrize(("staff", "expected"), [(10, ["staff 10 ≥ 10"]), (9, None), (11, ["staff 11 ≥ 10"])])
def test_staff_threshold_holds_at_the_threshold_and_not_below(staff: int, expected: list[str] | None) -> None:
    assert holds({"staff": {"gte": 10}}, Profile(staff=staff)) == expected


def test_monthly_transactions_threshold_and_its_labels() -> None:
    condition = {"monthly_transactions": {"gte": 10_000}}
    assert holds(condition, Profile(monthly_transactions=10_000)) == ["transactions a month 10,000 ≥ 10,000"]
    assert holds(condition, Profile(monthly_transactions=10_000), "ja") == ["月間取引件数 10,000 ≥ 10,000"]
    assert holds(condition, Profile(monthly_transactions=9_999)) is None


def test_a_zero_threshold_always_holds() -> None:
    assert holds({"users": {"gte": 0}}, Profile()) == ["users 0 ≥ 0"]


@pytest.mark.parametrize(
    ("profile", "expected"),
    [
        (Profile(), None),  # tier low
        (Profile(data=["personal"]), ["risk tier Medium ≥ Medium"]),
        (Profile(data=["card"]), ["risk tier High ≥ Medium"]),
    ],
)
def test_level_threshold(profile: Profile, expected: list[str] | None) -> None:
    assert holds({"tier": {"gte": "medium"}}, profile) == expected


@pytest.mark.parametrize(
    ("key", "profile", "en", "ja"),
    [
        ("confidentiality", Profile(data=["card"]), "confidentiality High ≥ High", "機密性 高 ≥ 高"),
        ("integrity", Profile(signing_keys=True), "integrity High ≥ High", "完全性 高 ≥ 高"),
        ("availability", Profile(users=1_000_000), "availability High ≥ High", "可用性 高 ≥ 高"),
        ("tier", Profile(users=1_000_000), "risk tier High ≥ High", "リスク区分 高 ≥ 高"),
    ],
)
def test_each_level_can_be_tested_and_is_worded_in_both_languages(key: str, profile: Profile, en: str, ja: str) -> None:
    assert holds({key: {"gte": "high"}}, profile) == [en]
    assert holds({key: {"gte": "high"}}, profile, "ja") == [ja]
    assert holds({key: {"gte": "high"}}, Profile()) is None


def test_each_level_is_tested_on_its_own_property() -> None:
    """A high level of one property does not make a condition on another hold."""
    profile = Profile(signing_keys=True)  # integrity high, the others low
    assert holds({"integrity": {"gte": "high"}}, profile) == ["integrity High ≥ High"]
    assert holds({"confidentiality": {"gte": "medium"}}, profile) is None
    assert holds({"availability": {"gte": "medium"}}, profile) is None
    assert holds({"tier": {"gte": "high"}}, profile) == ["risk tier High ≥ High"]


def test_thresholds_are_strict_integers() -> None:
    bad: Any
    for bad in ({"gte": True}, {"gte": "5"}, {"gte": 1.5}, {"gte": -1}, {"gt": 5}):
        with pytest.raises(ValidationError):
            parse({"users": bad})


# --- the 0.1 names of the levels ---------------------------------------------------------------------------


def test_aliases_name_availability_and_confidentiality() -> None:
    assert ALIASES == {"externality": "availability", "sensitivity": "confidentiality"}
    card = assess_risk(Profile(data=["card"]))  # confidentiality high, availability low
    assert (card.level("sensitivity"), card.level("externality")) == (Level.HIGH, Level.LOW)
    many = assess_risk(Profile(users=10_000))  # availability medium, confidentiality low
    assert (many.level("sensitivity"), many.level("externality")) == (Level.LOW, Level.MEDIUM)


def test_alias_conditions_evaluate_and_are_worded_as_the_new_names() -> None:
    assert holds({"sensitivity": {"gte": "high"}}, Profile(data=["card"]), "ja") == ["機密性 高 ≥ 高"]
    assert holds({"sensitivity": {"gte": "high"}}, Profile(users=1_000_000)) is None
    assert holds({"externality": {"gte": "medium"}}, Profile(users=10_000)) == ["availability Medium ≥ Medium"]
    assert holds({"externality": {"gte": "medium"}}, Profile(users=10_000), "ja") == ["可用性 中 ≥ 中"]
    assert holds({"externality": {"gte": "medium"}}, Profile(data=["card"])) is None
    assert describe_condition(parse({"externality": {"gte": "high"}}), "en") == "availability high or above"
    assert describe_condition(parse({"sensitivity": {"gte": "medium"}}), "ja") == "機密性 中以上"


def test_an_excluded_alias_condition_shows_the_services_level() -> None:
    cat = b.catalog(b.item("AL-01", when={"externality": {"gte": "high"}}))
    (excluded,) = make_plan(cat, Profile(users=10_000)).excluded
    assert excluded.reasons == (
        "condition not met: availability high or above",
        "this service: availability = Medium",
    )


# --- list and flag facts -----------------------------------------------------------------------------------


def test_list_fact_holds_on_any_listed_value_and_names_the_matches_by_their_labels() -> None:
    profile = Profile(channels=["web", "ios_app"])
    assert holds({"channels": ["partner_api", "web", "ios_app"]}, profile) == ["channels: iOS app, website / web app"]
    assert holds({"channels": ["web", "ios_app"]}, profile, "ja") == ["チャネル: iOS アプリ, Web サイト・Web アプリ"]
    assert holds({"channels": ["partner_api"]}, profile) is None
    assert holds({"data": ["card"]}, Profile(data=["card"]), "ja") == ["データ: クレジットカード情報"]
    assert holds({"business": ["lending"]}, Profile(business=["lending", "pfm"])) == ["business: lending"]


@pytest.mark.parametrize("flag", FLAG_KEYS)
def test_each_flag_can_only_ask_for_presence(flag: str) -> None:
    """Literal[True]: a condition on the absence of a risk factor would make the plan non-monotone."""
    with pytest.raises(ValidationError, match="Input should be True"):
        parse({flag: False})
    assert holds({flag: True}, Profile.model_validate({flag: False})) is None
    reason = holds({flag: True}, Profile.model_validate({flag: True}))
    assert reason is not None and len(reason) == 1


def test_flag_reasons_are_their_labels() -> None:
    assert holds({"moves_customer_funds": True}, Profile(moves_customer_funds=True)) == ["moves customer funds"]
    assert holds({"outsourcing": True}, Profile(outsourcing=True), "ja") == ["外部委託あり"]
    assert holds({"embedded_in_fi": True}, Profile(embedded_in_fi=True), "ja") == ["金融機関のサービスの一部"]
    assert holds({"signing_keys": True}, Profile(signing_keys=True)) == ["holds its own signing keys"]


# --- null and unknown keys ---------------------------------------------------------------------------------


@pytest.mark.parametrize("key", PROFILE_KEYS)
def test_a_null_fact_is_rejected(key: str) -> None:
    with pytest.raises(ValidationError, match="null is not a condition"):
        parse({key: None})
    with pytest.raises(ValidationError, match="null is not a condition"):
        parse({"any": [{"channels": ["web"]}, {"all": [{key: None}]}]})


def test_unknown_keys_are_rejected() -> None:
    bad: Any
    for bad in ({"chanels": ["web"]}, {"channels": ["web"], "region": "eu"}, {"any": [{"x": True}]}, {"none": []}):
        with pytest.raises(ValidationError):
            parse(bad)


def test_every_fact_key_has_a_kind_and_a_value_in_the_profile_or_the_risk_levels() -> None:
    assert set(Facts.model_fields) == set(PROFILE_KEYS)
    assert len(PROFILE_KEYS) == len(set(PROFILE_KEYS))
    assert LEVEL_KEYS == ("confidentiality", "integrity", "availability", "tier", "externality", "sensitivity")
    profile = Profile()
    for key in LIST_KEYS:
        assert isinstance(getattr(profile, key), list)
    for key in FLAG_KEYS:
        assert type(getattr(profile, key)) is bool
    for key in NUMBER_KEYS:
        assert type(getattr(profile, key)) is int
    risk = assess_risk(profile)
    for key in LEVEL_KEYS:
        assert isinstance(risk.level(key), Level)


# --- fail closed -------------------------------------------------------------------------------------------


def _raw(key: str, value: Any) -> Facts:
    """Facts holding ``value`` under ``key`` without validation: what a future fact kind could look like."""
    fields: dict[str, Any] = {key: value}
    return Facts.model_construct(_fields_set={key}, **fields)


class _FactsWithRegion(Facts):
    region: str | None = None  # a fact kind the evaluator does not know


class _FactsWithNewFlag(Facts):
    has_hsm: Literal[True] | None = None  # a known kind, but the profile has no such fact


class _FactsWithNewLevel(Facts):
    resilience: LevelAtLeast | None = None  # a level kind, but no derived level of that name


@pytest.mark.parametrize(
    "facts",
    [
        _FactsWithRegion(region="eu"),
        _FactsWithNewFlag(has_hsm=True),
        _FactsWithNewLevel(resilience=LevelAtLeast(gte=Level.LOW)),
        _raw("users", "many"),
        _raw("users", None),
        _raw("users", LevelAtLeast(gte=Level.LOW)),
        _raw("channels", AtLeast(gte=0)),
        _raw("users", True),
        _raw("staff", []),
        _raw("moves_customer_funds", AtLeast(gte=0)),
        _raw("moves_customer_funds", ["web"]),
        _raw("tier", AtLeast(gte=0)),
    ],
)
def test_a_fact_the_evaluator_cannot_check_raises_instead_of_holding(facts: Facts) -> None:
    profile = Profile()
    with pytest.raises(UnknownFact):
        evaluate(facts, profile, assess_risk(profile))
    # also inside any/all, even when another branch holds
    with pytest.raises(UnknownFact):
        evaluate(AnyOf(any=[parse({"users": {"gte": 0}}), facts]), profile, assess_risk(profile))
    with pytest.raises(UnknownFact):
        evaluate(AllOf(all=[parse({"users": {"gte": 0}}), facts]), profile, assess_risk(profile))


def test_an_unknown_fact_stops_the_plan_instead_of_selecting_or_excluding() -> None:
    item = b.item("UF-01", when={"channels": ["web"]})
    when = item.applicability.model_copy(update={"when": _FactsWithNewFlag(has_hsm=True)})
    cat = b.catalog(b.item("UF-02"), item.model_copy(update={"applicability": when}))
    with pytest.raises(UnknownFact, match="the profile has no fact 'has_hsm'"):
        make_plan(cat, Profile(channels=["web"]))


def test_something_that_is_not_a_condition_raises() -> None:
    profile = Profile()
    with pytest.raises(UnknownFact):
        evaluate("channels", profile, assess_risk(profile))  # type: ignore[arg-type]


def test_error_messages_of_the_fail_closed_evaluator_name_the_fact() -> None:
    profile = Profile()
    risk = assess_risk(profile)
    cases = [
        (_FactsWithNewFlag(has_hsm=True), "the profile has no fact 'has_hsm'"),
        (_FactsWithNewLevel(resilience=LevelAtLeast(gte=Level.LOW)), "'resilience' is not a derived risk level"),
        (_raw("users", True), "profile fact 'users' is int, not bool"),
        (_raw("channels", AtLeast(gte=0)), "'channels' is list, not int"),
        (_raw("users", LevelAtLeast(gte=Level.LOW)), "'users' is not a derived"),
        (_FactsWithRegion(region="eu"), "cannot evaluate condition fact region: 'eu'"),
        # list values must be vocabulary members, not plain strings that happen to match
        (_raw("channels", ["web"]), "cannot evaluate condition fact channels"),
    ]
    for facts, message in cases:
        with pytest.raises(UnknownFact, match=re.escape(message)):
            evaluate(facts, profile, risk)
    with pytest.raises(UnknownFact, match="cannot evaluate condition 'channels'"):
        evaluate("channels", profile, risk)  # type: ignore[arg-type]


# --- any / all ---------------------------------------------------------------------------------------------


def test_any_holds_when_one_branch_holds_and_all_needs_every_branch() -> None:
    profile = Profile(channels=["web"], users=5)
    branches = [{"channels": ["web"]}, {"users": {"gte": 10}}]
    assert holds({"any": branches}, profile) == ["channels: website / web app"]
    assert holds({"all": branches}, profile) is None
    assert holds({"all": [{"channels": ["web"]}, {"users": {"gte": 5}}]}, profile) == [
        "channels: website / web app",
        "users 5 ≥ 5",
    ]
    assert holds({"any": [{"users": {"gte": 10}}, {"channels": ["ios_app"]}]}, profile) is None


def test_reasons_are_deduplicated_in_first_seen_order() -> None:
    profile = Profile(channels=["web"], users=5)
    both = [{"users": {"gte": 1}}, {"channels": ["web"]}, {"users": {"gte": 1}}]
    assert holds({"any": both}, profile) == ["users 5 ≥ 1", "channels: website / web app"]
    assert holds({"all": both}, profile) == ["users 5 ≥ 1", "channels: website / web app"]


def test_several_facts_in_one_mapping_all_must_hold() -> None:
    condition = {"channels": ["web"], "users": {"gte": 10}}
    assert holds(condition, Profile(channels=["web"], users=5)) is None
    assert holds(condition, Profile(channels=["web"], users=10)) == ["channels: website / web app", "users 10 ≥ 10"]


def test_reasons_inside_any_and_all_are_in_the_requested_language() -> None:
    profile = Profile(channels=["web"], data=["card"])
    assert holds({"any": [{"channels": ["web"]}]}, profile, "ja") == ["チャネル: Web サイト・Web アプリ"]
    assert holds({"all": [{"channels": ["web"]}, {"tier": {"gte": "high"}}]}, profile, "ja") == [
        "チャネル: Web サイト・Web アプリ",
        "リスク区分 高 ≥ 高",
    ]
    cat = b.catalog(b.item("LA-01", when={"all": [{"data": ["card"]}]}))
    assert make_plan(cat, profile, "ja").items[0].reasons == ("データ: クレジットカード情報",)


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
    bad: object
    for bad in (["channels"], "channels", None, {"any": [], "all": []}):
        with pytest.raises(ValidationError):
            parse(bad)


def test_an_empty_condition_is_refused_because_it_would_always_hold() -> None:
    empty: Any
    for empty in ({}, {"any": [{}]}, {"all": [{"channels": ["web"]}, {}]}):
        with pytest.raises(ValidationError, match="a condition needs at least one of: business, data"):
            parse(empty)


# --- describe_condition: a condition in words --------------------------------------------------------------

NESTED = {
    "all": [
        {"any": [{"channels": ["web", "ios_app"]}, {"moves_customer_funds": True}]},
        {"tier": {"gte": "high"}},
        {"users": {"gte": 10_000}, "data": ["card"]},
    ]
}


def test_describe_condition_words_a_nested_condition_in_english() -> None:
    assert describe_condition(parse(NESTED), "en") == (
        "(channels: website / web app, iOS app or moves customer funds) and risk tier high or above"
        " and (data: payment card data and users 10,000 or more)"
    )


def test_describe_condition_words_a_nested_condition_in_japanese() -> None:
    assert describe_condition(parse(NESTED), "ja") == (
        "（チャネル: Web サイト・Web アプリ、iOS アプリ または 顧客資金を移動）、かつ リスク区分 高以上"
        "、かつ （データ: クレジットカード情報、かつ 利用者数 10,000 以上）"
    )


def test_describe_condition_of_an_any_inside_all_inside_any() -> None:
    condition = parse({"any": [{"all": [{"staff": {"gte": 10}}, {"outsourcing": True}]}, {"cloud": ["aws", "gcp"]}]})
    assert describe_condition(condition, "en") == "(staff 10 or more and outsourcing) or cloud: AWS, Google Cloud"
    assert (
        describe_condition(condition, "ja")
        == "（従業員数 10 以上、かつ 外部委託あり） または クラウド: AWS、Google Cloud"
    )


def test_describe_condition_leaves_single_facts_unwrapped() -> None:
    assert describe_condition(parse({"any": [{"users": {"gte": 5}}]}), "en") == "users 5 or more"
    assert describe_condition(parse({"all": [{"signing_keys": True}]}), "ja") == "署名鍵を自社で保有"
    assert (
        describe_condition(
            parse({"any": [{"confidentiality": {"gte": "medium"}}, {"integrity": {"gte": "high"}}]}), "en"
        )
        == "confidentiality medium or above or integrity high or above"
    )


# --- confidentiality ---------------------------------------------------------------------------------------

C_CARD = ("holds card data", "カード情報を保有")
C_BANK = ("holds bank credentials or tokens", "銀行の認証情報やトークンを保有")
C_MY_NUMBER = ("holds My Number", "マイナンバーを保有")
C_SENSITIVE = ("holds sensitive personal data", "要配慮個人情報を保有")
C_HIGH_MANY = ("holds personal data of 1,000,000 people or more", "個人情報を 100 万人分以上保有")
C_MEDIUM = ("holds personal data", "個人情報を保有")
C_LOW = ("holds no personal or sensitive data", "個人情報や機微な情報を保有しない")


@pytest.mark.parametrize(
    ("profile", "level", "because"),
    [
        (Profile(data=["card"]), "high", [C_CARD]),
        (Profile(data=["bank_credentials"]), "high", [C_BANK]),
        (Profile(data=["my_number"]), "high", [C_MY_NUMBER]),
        (Profile(data=["sensitive_personal"]), "high", [C_SENSITIVE]),
        (
            Profile(data=["sensitive_personal", "my_number", "card", "bank_credentials"]),
            "high",
            [C_CARD, C_BANK, C_MY_NUMBER, C_SENSITIVE],
        ),
        (Profile(data=["personal"], users=1_000_000), "high", [C_HIGH_MANY]),
        (Profile(data=["personal", "card"], users=1_000_000), "high", [C_CARD, C_HIGH_MANY]),
        (Profile(data=["personal"], users=999_999), "medium", [C_MEDIUM]),
        (Profile(data=["personal"]), "medium", [C_MEDIUM]),
        (Profile(users=5_000_000), "low", [C_LOW]),
        (Profile(moves_customer_funds=True, business=["fund_transfer"]), "low", [C_LOW]),
        (Profile(), "low", [C_LOW]),
    ],
)
def test_confidentiality_rules(profile: Profile, level: str, because: list[tuple[str, str]]) -> None:
    derivation = assess_risk(profile).confidentiality
    assert derivation.level == level
    assert derivation.text("en") == [en for en, _ in because]
    assert derivation.text("ja") == [ja for _, ja in because]


# --- integrity ---------------------------------------------------------------------------------------------

I_FUNDS = ("moves customer funds", "顧客資金を動かす")
I_UPDATE = ("uses bank update APIs (transfers and the like)", "銀行 API の更新系（振込など）を使う")
I_TRADING = ("handles trading in crypto assets or securities", "暗号資産や有価証券の取引を扱う")
I_KEYS = ("holds signing keys of its own", "自社で署名鍵を保有")
I_MANUAL = ("people key in business data by hand", "業務データを人が手入力する")
I_RECORDS = (
    "keeps records for lending, insurance, crowdfunding, accounting or financial institutions",
    "融資・保険・クラウドファンディング・会計・金融機関向け業務の記録を持つ",
)
I_LINKS = ("links customers' bank accounts to charge or pay them", "顧客の銀行口座を連携して引落しや支払いに使う")
I_PARTNER = (
    "offers an API to partners, who act on its data",
    "提携先向け API を公開（提携先が自社のデータで処理する）",
)
I_LOW = (
    "moves no money, updates no bank data, trades nothing and keys in nothing by hand",
    "資金移動・更新系 API・取引・手入力・記録業務のいずれもない",
)


@pytest.mark.parametrize(
    ("profile", "level", "because"),
    [
        (Profile(moves_customer_funds=True), "high", [I_FUNDS]),
        (Profile(business=["bank_api_update"]), "high", [I_UPDATE]),
        (Profile(business=["crypto_assets"]), "high", [I_TRADING]),
        (Profile(business=["securities"]), "high", [I_TRADING]),
        (Profile(signing_keys=True), "high", [I_KEYS]),
        (
            Profile(moves_customer_funds=True, business=["bank_api_update", "crypto_assets"], signing_keys=True),
            "high",
            [I_FUNDS, I_UPDATE, I_TRADING, I_KEYS],
        ),
        (Profile(signing_keys=True, manual_data_entry=True), "high", [I_KEYS]),  # only the top level's rules
        (Profile(manual_data_entry=True), "medium", [I_MANUAL]),
        (Profile(business=["lending"]), "medium", [I_RECORDS]),
        (Profile(business=["insurance"]), "medium", [I_RECORDS]),
        (Profile(business=["crowdfunding"]), "medium", [I_RECORDS]),
        (Profile(business=["accounting"]), "medium", [I_RECORDS]),
        (Profile(business=["b2b_fi_saas"]), "medium", [I_RECORDS]),
        (Profile(links_bank_accounts=True), "medium", [I_LINKS]),
        (Profile(channels=["partner_api"]), "medium", [I_PARTNER]),
        (
            Profile(manual_data_entry=True, business=["lending"], links_bank_accounts=True, channels=["partner_api"]),
            "medium",
            [I_MANUAL, I_RECORDS, I_LINKS, I_PARTNER],
        ),
        (Profile(business=["fund_transfer", "payments", "bank_api_read", "pfm"]), "low", [I_LOW]),
        (Profile(data=["card"], users=5_000_000, monthly_transactions=10**9, embedded_in_fi=True), "low", [I_LOW]),
        (Profile(), "low", [I_LOW]),
    ],
)
def test_integrity_rules(profile: Profile, level: str, because: list[tuple[str, str]]) -> None:
    derivation = assess_risk(profile).integrity
    assert derivation.level == level
    assert derivation.text("en") == [en for en, _ in because]
    assert derivation.text("ja") == [ja for _, ja in because]


# --- availability ------------------------------------------------------------------------------------------

A_MILLION = ("1,000,000 users or more", "利用者 100 万人以上")
A_FUNDS_100K = ("moves customer funds with 100,000 users or more", "顧客資金を動かし、利用者 10 万人以上")
A_UPDATE_100K = ("uses bank update APIs with 100,000 users or more", "銀行 API の更新系を使い、利用者 10 万人以上")
A_FI_10K = (
    "part of a financial institution's service with 10,000 users or more",
    "金融機関のサービスの一部で、利用者 1 万人以上",
)
A_TX_1M = ("1,000,000 transactions a month or more", "月間取引 100 万件以上")
A_10K = ("10,000 users or more", "利用者 1 万人以上")
A_FUNDS = ("moves customer funds", "顧客資金を動かす")
A_FI = ("part of a financial institution's service", "金融機関のサービスの一部")
A_TX_10K = ("10,000 transactions a month or more", "月間取引 1 万件以上")
A_PARTNER = ("offers an API that partners' operations depend on", "提携先向け API を公開（提携先の業務が依存する）")
A_LOW = (
    "few users and transactions, no fund movement, not part of a financial institution's service",
    "利用者・取引の規模が小さく、資金移動も金融機関への組込みもない",
)


@pytest.mark.parametrize(
    ("profile", "level", "because"),
    [
        # users alone: 10,000 → medium, 1,000,000 → high
        (Profile(users=1_000_000), "high", [A_MILLION]),
        (Profile(users=999_999), "medium", [A_10K]),
        (Profile(users=10_000), "medium", [A_10K]),
        (Profile(users=9_999), "low", [A_LOW]),
        # moving funds: medium at any size, high from 100,000 users
        (Profile(moves_customer_funds=True, users=100_000), "high", [A_FUNDS_100K]),
        (Profile(moves_customer_funds=True, users=99_999), "medium", [A_10K, A_FUNDS]),
        (Profile(moves_customer_funds=True), "medium", [A_FUNDS]),
        # bank update APIs: high from 100,000 users, nothing of their own below
        (Profile(business=["bank_api_update"], users=100_000), "high", [A_UPDATE_100K]),
        (Profile(business=["bank_api_update"], users=99_999), "medium", [A_10K]),
        (Profile(business=["bank_api_update"]), "low", [A_LOW]),
        # part of a financial institution's service: medium at any size, high from 10,000 users
        (Profile(embedded_in_fi=True, users=10_000), "high", [A_FI_10K]),
        (Profile(embedded_in_fi=True, users=9_999), "medium", [A_FI]),
        (Profile(business=["b2b_fi_saas"], users=10_000), "high", [A_FI_10K]),
        (Profile(business=["b2b_fi_saas"], users=9_999), "medium", [A_FI]),
        # transactions a month: 10,000 → medium, 1,000,000 → high
        (Profile(monthly_transactions=1_000_000), "high", [A_TX_1M]),
        (Profile(monthly_transactions=999_999), "medium", [A_TX_10K]),
        (Profile(monthly_transactions=10_000), "medium", [A_TX_10K]),
        (Profile(monthly_transactions=9_999), "low", [A_LOW]),
        (Profile(channels=["partner_api"]), "medium", [A_PARTNER]),
        # every high rule at once, each named once, in table order
        (
            Profile(
                users=1_000_000,
                moves_customer_funds=True,
                business=["bank_api_update"],
                embedded_in_fi=True,
                monthly_transactions=1_000_000,
            ),
            "high",
            [A_MILLION, A_FUNDS_100K, A_UPDATE_100K, A_FI_10K, A_TX_1M],
        ),
        (
            Profile(users=10_000, moves_customer_funds=True, monthly_transactions=10_000, channels=["partner_api"]),
            "medium",
            [A_10K, A_FUNDS, A_TX_10K, A_PARTNER],
        ),
        (Profile(business=["fund_transfer", "payments", "lending", "crypto_assets"]), "low", [A_LOW]),
        (Profile(data=["card"], signing_keys=True, channels=["web", "ios_app"]), "low", [A_LOW]),
        (Profile(), "low", [A_LOW]),
    ],
)
def test_availability_rules(profile: Profile, level: str, because: list[tuple[str, str]]) -> None:
    derivation = assess_risk(profile).availability
    assert derivation.level == level
    assert derivation.text("en") == [en for en, _ in because]
    assert derivation.text("ja") == [ja for _, ja in because]


# --- the tier ----------------------------------------------------------------------------------------------


def test_a_low_tier_names_all_three_properties() -> None:
    risk = assess_risk(Profile())
    assert risk.tier.level == "low"
    assert risk.tier.text("en") == ["confidentiality is low", "integrity is low", "availability is low"]
    assert risk.tier.text("ja") == ["機密性が低", "完全性が低", "可用性が低"]


@pytest.mark.parametrize(
    ("profile", "levels", "en", "ja"),
    [
        (Profile(data=["personal"]), ("medium", "low", "low", "medium"), ["confidentiality is medium"], ["機密性が中"]),
        (Profile(manual_data_entry=True), ("low", "medium", "low", "medium"), ["integrity is medium"], ["完全性が中"]),
        (Profile(users=10_000), ("low", "low", "medium", "medium"), ["availability is medium"], ["可用性が中"]),
        (
            Profile(data=["card"], users=10_000),
            ("high", "low", "medium", "high"),
            ["confidentiality is high"],
            ["機密性が高"],
        ),
        (
            Profile(moves_customer_funds=True, users=1_000_000),
            ("low", "high", "high", "high"),
            ["integrity is high", "availability is high"],
            ["完全性が高", "可用性が高"],
        ),
        (
            Profile(data=["personal"], channels=["partner_api"]),
            ("medium", "medium", "medium", "medium"),
            ["confidentiality is medium", "integrity is medium", "availability is medium"],
            ["機密性が中", "完全性が中", "可用性が中"],
        ),
    ],
)
def test_the_tier_is_the_highest_level_and_names_the_properties_at_it(
    profile: Profile, levels: tuple[str, str, str, str], en: list[str], ja: list[str]
) -> None:
    risk = assess_risk(profile)
    assert (risk.confidentiality.level, risk.integrity.level, risk.availability.level, risk.tier.level) == levels
    assert risk.tier.text("en") == en
    assert risk.tier.text("ja") == ja


def test_risk_as_dict() -> None:
    risk = assess_risk(Profile(data=["personal"]))
    assert risk.as_dict("en") == {
        "confidentiality": "medium",
        "integrity": "low",
        "availability": "low",
        "tier": "medium",
        "derivation": {
            "confidentiality": ["holds personal data"],
            "integrity": [I_LOW[0]],
            "availability": [A_LOW[0]],
            "tier": ["confidentiality is medium"],
        },
    }
    assert risk.as_dict() == risk.as_dict("en")
    assert risk.as_dict("ja")["derivation"] == {
        "confidentiality": ["個人情報を保有"],
        "integrity": [I_LOW[1]],
        "availability": [A_LOW[1]],
        "tier": ["機密性が中"],
    }


def test_risk_of_each_property() -> None:
    risk = assess_risk(Profile(data=["card"], manual_data_entry=True))
    assert [risk.of(prop) for prop in CIA] == [Level.HIGH, Level.MEDIUM, Level.LOW]


# --- item risk: the table and the level it follows ---------------------------------------------------------

EXPECTED_ITEM_RISK = {
    "high": {"critical": "critical", "high": "high", "medium": "medium", "low": "low"},
    "medium": {"critical": "critical", "high": "medium", "medium": "medium", "low": "low"},
    "low": {"critical": "high", "high": "medium", "medium": "low", "low": "low"},
}


def test_item_risk_table_is_pinned() -> None:
    table = {level.value: {s.value: r.value for s, r in row.items()} for level, row in ITEM_RISK.items()}
    assert table == EXPECTED_ITEM_RISK
    assert [r.value for r in ItemRisk] == ["critical", "high", "medium", "low"]
    assert [r.rank for r in ItemRisk] == [0, 1, 2, 3]


@pytest.mark.parametrize("level", ["low", "medium", "high"])
@pytest.mark.parametrize("severity", [s.value for s in Severity])
def test_plan_item_risk_per_level_and_severity(level: str, severity: str) -> None:
    plan = make_plan(b.catalog(b.item("IR-01", severity=severity)), CONFIDENTIALITY[level])
    assert plan.risk.confidentiality.level == level
    (planned,) = plan.items
    assert planned.risk == EXPECTED_ITEM_RISK[level][severity]
    reason = planned.phase_reason
    assert (reason.risk, reason.level, reason.protects, reason.severity) == (
        planned.risk,
        level,
        ("confidentiality",),
        severity,
    )


def test_an_item_follows_the_level_of_the_properties_it_protects_not_the_tier() -> None:
    cat = b.catalog(
        b.item("CI-01", severity="critical", cia=("availability",)),
        b.item("CI-02", severity="critical", cia=("confidentiality",)),
        b.item("CI-03", severity="critical", cia=("integrity", "availability")),
    )
    plan = make_plan(cat, Profile(data=["card"]))  # confidentiality high, the others low, tier high
    got = {i.id: (i.risk.value, i.phase_reason.level.value, i.phase_reason.protects) for i in plan.items}
    assert got == {
        "CI-01": ("high", "low", ("availability",)),
        "CI-02": ("critical", "high", ("confidentiality",)),
        "CI-03": ("high", "low", ("integrity", "availability")),
    }


def test_an_item_takes_the_highest_level_among_its_properties_and_names_the_ones_at_it() -> None:
    risk = assess_risk(Profile(users=10_000, manual_data_entry=True))  # C low, I medium, A medium
    three = b.item("CI-04", severity="high", cia=("confidentiality", "integrity", "availability"))
    assert item_risk(three, risk) == (ItemRisk.MEDIUM, Level.MEDIUM, ("integrity", "availability"))
    risk = assess_risk(Profile(users=1_000_000, manual_data_entry=True))  # A high
    assert item_risk(three, risk) == (ItemRisk.HIGH, Level.HIGH, ("availability",))
    one = b.item("CI-05", severity="critical", cia=("confidentiality",))
    assert item_risk(one, risk) == (ItemRisk.HIGH, Level.LOW, ("confidentiality",))


# --- phase: the table, the advanced shift ------------------------------------------------------------------

EXPECTED_PHASE = {
    "critical": {"low": "gate", "medium": "gate", "high": "days_90"},
    "high": {"low": "days_90", "medium": "year_1", "high": "year_1"},
    "medium": {"low": "year_1", "medium": "later", "high": "later"},
    "low": {"low": "later", "medium": "later", "high": "later"},
}
NEXT_PHASE = {"gate": "days_90", "days_90": "year_1", "year_1": "later", "later": "later"}


def test_phase_table_is_pinned() -> None:
    table = {r.value: {e.value: p.value for e, p in row.items()} for r, row in PHASE.items()}
    assert table == EXPECTED_PHASE
    assert [p.value for p in Phase] == ["gate", "days_90", "year_1", "later"]
    assert [p.rank for p in Phase] == [0, 1, 2, 3]
    assert [p.target_days for p in Phase] == [0, 90, 365, None]


# with confidentiality high, an item's risk is its severity (ITEM_RISK's identity row)
@pytest.mark.parametrize("risk", [r.value for r in ItemRisk])
@pytest.mark.parametrize("effort", [e.value for e in Effort])
def test_plan_phase_per_risk_and_effort(risk: str, effort: str) -> None:
    (planned,) = make_plan(b.catalog(b.item("PH-01", severity=risk, effort=effort)), CONFIDENTIALITY["high"]).items
    expected = EXPECTED_PHASE[risk][effort]
    assert (planned.risk, planned.effort, planned.phase) == (risk, effort, expected)
    assert planned.priority == ["gate", "days_90", "year_1", "later"].index(expected) + 1
    assert planned.phase_reason.effort == effort
    assert planned.phase_reason.advanced is False
    assert planned.phase_reason.pulled_by == ()


@pytest.mark.parametrize("risk", [r.value for r in ItemRisk])
@pytest.mark.parametrize("effort", [e.value for e in Effort])
def test_an_advanced_item_goes_one_phase_later_and_later_stays_later(risk: str, effort: str) -> None:
    cat = b.catalog(b.item("AD-01", severity=risk, effort=effort, level="advanced"))
    (planned,) = make_plan(cat, CONFIDENTIALITY["high"]).items
    baseline = EXPECTED_PHASE[risk][effort]
    assert planned.phase == NEXT_PHASE[baseline]
    assert planned.phase_reason.advanced is (baseline != "later")  # not "moved" when it could not move
    assert planned.risk == risk  # the shift changes the phase, never the risk
    assert planned.level == "advanced"


@pytest.mark.parametrize(
    ("days", "effort", "phase", "quick_win"),
    [
        ((1.0, 3.0), "low", "gate", True),
        ((1.0, 3.5), "medium", "gate", False),
        ((5.0, 10.0), "medium", "gate", False),
        ((5.0, 10.5), "high", "days_90", False),
    ],
)
def test_effort_follows_the_upper_bound_of_effort_days(
    days: tuple[float, float], effort: str, phase: str, quick_win: bool
) -> None:
    cat = b.catalog(b.item("ED-01", severity="critical", effort_days=days))
    (planned,) = make_plan(cat, CONFIDENTIALITY["high"]).items
    assert (planned.effort, planned.phase, planned.quick_win) == (effort, phase, quick_win)
    assert planned.days == (days[0] + days[1]) / 2


def test_critical_work_for_funds_at_high_integrity_is_before_launch_whatever_its_effort() -> None:
    cat = b.catalog(
        b.item("FN-01", severity="critical", effort="high", cia=("integrity",)),  # would be days_90
        b.item("FN-02", severity="critical", effort="high", cia=("integrity",), level="advanced"),
        b.item("FN-03", severity="critical", effort="high", cia=("confidentiality",)),  # data, not funds
        b.item("FN-04", severity="high", effort="high", cia=("integrity",)),  # not critical
        b.item("FN-05", severity="critical", effort="low", cia=("integrity",)),  # the gate anyway
    )
    funds = make_plan(cat, Profile(moves_customer_funds=True, data=["card"]))  # integrity high, confidentiality high
    got = {i.id: (i.phase.value, i.phase_reason.funds_at_stake, i.phase_reason.advanced) for i in funds.items}
    assert got == {
        "FN-01": ("gate", True, False),
        "FN-02": ("days_90", True, True),  # brought to the gate, then one phase later as advanced
        "FN-03": ("days_90", False, False),
        "FN-04": ("year_1", False, False),
        "FN-05": ("gate", False, False),  # not "brought forward" when it was there already
    }
    medium = make_plan(cat, Profile(manual_data_entry=True))  # integrity medium: critical, but not at high
    assert {i.id: i.phase.value for i in medium.items}["FN-01"] == "days_90"
    (fn01,) = [i for i in funds.items if i.id == "FN-01"]
    assert phase_why(fn01, "ja") == (
        "リスク最重要（重要度最重要 × 完全性高）、工数高、顧客資金に直接の損失が及ぶため工数によらず接続前"
    )
    assert phase_why(fn01, "en") == (
        "critical risk (critical severity × integrity high); high effort; "
        "a gap loses customer funds directly, so before launch whatever the effort"
    )


# --- quick wins --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("severity", "effort", "level", "phase", "quick_win"),
    [
        ("critical", "low", "baseline", "gate", True),
        ("critical", "medium", "baseline", "gate", False),  # the gate, but not cheap
        ("high", "low", "baseline", "days_90", True),
        ("critical", "low", "advanced", "days_90", True),
        ("high", "low", "advanced", "year_1", False),  # cheap, but not soon
        ("medium", "low", "baseline", "year_1", False),
        ("low", "low", "baseline", "later", False),
        ("critical", "high", "baseline", "days_90", False),
    ],
)
def test_a_quick_win_is_cheap_work_of_the_gate_or_the_first_90_days(
    severity: str, effort: str, level: str, phase: str, quick_win: bool
) -> None:
    cat = b.catalog(b.item("QW-01", severity=severity, effort=effort, level=level))
    plan = make_plan(cat, CONFIDENTIALITY["high"])
    (planned,) = plan.items
    assert (planned.phase, planned.quick_win) == (phase, quick_win)
    assert [i.id for i in plan.quick_wins] == (["QW-01"] if quick_win else [])


# --- dependencies ------------------------------------------------------------------------------------------


def test_a_dependency_is_pulled_to_the_phase_of_its_dependent() -> None:
    cat = b.catalog(
        b.item("DP-01", severity="critical", effort="low", depends_on=("DP-02",)),  # gate
        b.item("DP-02", severity="low", effort="low"),  # later by itself
    )
    plan = make_plan(cat, CONFIDENTIALITY["high"])
    assert phases(plan) == [("DP-01", "gate"), ("DP-02", "gate")]  # same phase and effort: the riskier first
    dep = plan.get("DP-02")
    assert dep is not None
    assert dep.phase_reason.pulled_by == ("DP-01",)
    assert dep.risk == "low"  # pulled: earlier, but no riskier
    assert dep.quick_win  # cheap work now at the gate
    assert plan.get("DP-01").phase_reason.pulled_by == ()  # type: ignore[union-attr]
    assert plan.get("DP-01").depends_on == ("DP-02",)  # type: ignore[union-attr]


def test_dependencies_are_pulled_along_a_chain_in_any_catalog_order() -> None:
    items = [
        b.item("CH-01", severity="critical", effort="medium", depends_on=("CH-02",)),  # gate
        b.item("CH-02", severity="medium", effort="low", depends_on=("CH-03",)),  # year_1 by itself
        b.item("CH-03", severity="low", effort="high"),  # later by itself
    ]
    for ordered in (items, items[::-1]):
        plan = make_plan(b.catalog(*ordered), CONFIDENTIALITY["high"])
        assert {i.id: i.phase.value for i in plan.items} == {"CH-01": "gate", "CH-02": "gate", "CH-03": "gate"}
        assert {i.id: i.phase_reason.pulled_by for i in plan.items} == {
            "CH-01": (),
            "CH-02": ("CH-01",),
            "CH-03": ("CH-02",),
        }
        # in the gate: cheaper first
        assert [i.id for i in plan.items] == ["CH-02", "CH-01", "CH-03"]


def test_a_dependency_already_earlier_stays_where_it_is() -> None:
    cat = b.catalog(
        b.item("DE-01", severity="low", effort="low", depends_on=("DE-02",)),  # later
        b.item("DE-02", severity="critical", effort="low"),  # gate
    )
    plan = make_plan(cat, CONFIDENTIALITY["high"])
    assert phases(plan) == [("DE-02", "gate"), ("DE-01", "later")]
    assert [i.phase_reason.pulled_by for i in plan.items] == [(), ()]


def test_a_dependency_is_pulled_by_the_earliest_dependent() -> None:
    cat = b.catalog(
        b.item("DM-01", severity="high", effort="low", depends_on=("DM-03",)),  # days_90
        b.item("DM-02", severity="critical", effort="low", depends_on=("DM-03",)),  # gate
        b.item("DM-03", severity="low", effort="medium"),  # later
    )
    plan = make_plan(cat, CONFIDENTIALITY["high"])
    assert dict(phases(plan)) == {"DM-01": "days_90", "DM-02": "gate", "DM-03": "gate"}
    pulled_by = plan.get("DM-03").phase_reason.pulled_by  # type: ignore[union-attr]
    assert "DM-02" in pulled_by


def test_a_dependency_pulls_an_advanced_item_and_respects_the_dependent_shift() -> None:
    cat = b.catalog(
        b.item("DA-01", severity="critical", effort="low", level="advanced", depends_on=("DA-02",)),  # days_90
        b.item("DA-02", severity="high", effort="high", level="advanced"),  # year_1 → later
    )
    plan = make_plan(cat, CONFIDENTIALITY["high"])
    assert phases(plan) == [("DA-01", "days_90"), ("DA-02", "days_90")]
    reason = plan.get("DA-02").phase_reason  # type: ignore[union-attr]
    assert (reason.advanced, reason.pulled_by) == (True, ("DA-01",))


def test_dependencies_outside_the_plan_are_ignored() -> None:
    cat = b.catalog(
        b.item("DO-01", severity="critical", effort="low", depends_on=("DO-02", "ZZ-99")),
        b.item("DO-02", severity="low", effort="low", when={"channels": ["ios_app"]}),  # excluded
    )
    plan = make_plan(cat, CONFIDENTIALITY["high"])
    assert phases(plan) == [("DO-01", "gate")]
    assert [e.id for e in plan.excluded] == ["DO-02"]
    assert plan.items[0].depends_on == ("DO-02", "ZZ-99")


def test_a_dependency_cycle_the_loader_would_refuse_still_ends() -> None:
    cat = b.catalog(
        b.item("CY-01", severity="critical", effort="low", depends_on=("CY-02",)),
        b.item("CY-02", severity="low", effort="low", depends_on=("CY-01",)),
    )
    plan = make_plan(cat, CONFIDENTIALITY["high"])
    assert dict(phases(plan)) == {"CY-01": "gate", "CY-02": "gate"}


def test_item_rules_plan_like_the_items_they_come_from() -> None:
    items = [
        b.item("RU-01", severity="critical", effort="low", depends_on=("RU-02",)),
        b.item("RU-02", severity="medium", effort="high", level="advanced", cia=("availability",)),
        b.item("RU-03", severity="high", when={"users": {"gte": 10}}),
    ]
    cat = b.catalog(*items)
    rules = Catalog(meta=cat.meta, items=[ItemRule.of(i) for i in items], concepts=())  # type: ignore[misc]
    profile = Profile(data=["card"], users=10)
    assert make_plan(rules, profile).as_dict() == make_plan(cat, profile).as_dict()


# --- plan order --------------------------------------------------------------------------------------------


def _ordering_catalog() -> Catalog:
    return b.catalog(
        b.item("SO-01", severity="critical", effort="low", when={"channels": ["web"]}),  # gate, conditional
        b.item("SO-02", severity="critical", effort="medium"),  # gate, medium effort
        b.item("SO-03", severity="critical", effort="low"),  # gate, mandatory
        b.item("SO-04", severity="low", effort="medium", chapter=2),  # later, low risk
        b.item("SO-05", severity="medium", effort="medium", chapter=2),  # later, medium risk
        b.item("SO-06", severity="high", effort="low"),  # days_90, high risk
        b.item("SO-07", severity="critical", effort="low", level="advanced"),  # days_90, critical risk
        b.item("SO-08", severity="critical", effort="high"),  # days_90, high effort
        b.item("SO-09", severity="low", effort="low"),  # later, low effort
        b.item("SO-10", severity="critical", effort="low"),  # gate, mandatory, after SO-03
        b.item("SO-11", severity="medium", effort="low"),  # year_1, low effort
        b.item("SO-12", severity="high", effort="high"),  # year_1, high effort
        b.item("SO-13", severity="critical", effort="low", when={"channels": ["ios_app"]}, chapter=3),  # excluded
    )


def test_plan_orders_by_phase_then_effort_then_risk_then_mandatory_then_catalog_order() -> None:
    plan = make_plan(_ordering_catalog(), Profile(data=["card"], channels=["web"]))
    assert [(i.id, i.phase.value, i.priority) for i in plan.items] == [
        ("SO-03", "gate", 1),  # low effort, critical, mandatory, catalog order
        ("SO-10", "gate", 1),
        ("SO-01", "gate", 1),  # conditional after mandatory
        ("SO-02", "gate", 1),  # medium effort after low
        ("SO-07", "days_90", 2),  # critical before high at the same effort
        ("SO-06", "days_90", 2),
        ("SO-08", "days_90", 2),
        ("SO-11", "year_1", 3),
        ("SO-12", "year_1", 3),
        ("SO-09", "later", 4),
        ("SO-05", "later", 4),  # medium risk before low at the same effort
        ("SO-04", "later", 4),
    ]
    assert [i.id for i in plan.quick_wins] == ["SO-03", "SO-10", "SO-01", "SO-07", "SO-06"]
    assert [i.id for i in plan.in_phase(Phase.DAYS_90)] == ["SO-07", "SO-06", "SO-08"]
    assert plan.phase_days(Phase.GATE) == 1.5 * 3 + 6.0
    assert plan.phase_days(Phase.YEAR_1) == 1.5 + 16.0
    assert plan.ids == {f"SO-{n:02}" for n in range(1, 13)}
    assert plan.by_chapter() == {1: (10, 0), 2: (2, 0), 3: (0, 1)}


def test_plan_reasons_and_exclusions() -> None:
    plan = make_plan(_ordering_catalog(), Profile(channels=["web"]))
    by_id = {i.id: i for i in plan.items}
    assert by_id["SO-01"].reasons == ("channels: website / web app",)
    assert by_id["SO-02"].reasons == ("applies in all cases (mandatory)",)
    assert [(e.id, e.reasons) for e in plan.excluded] == [
        ("SO-13", ("condition not met: channels: iOS app", "this service: channels = website / web app"))
    ]
    ja = make_plan(_ordering_catalog(), Profile(), "ja")
    assert {e.id: e.reasons for e in ja.excluded} == {
        "SO-01": ("適用条件を満たさない: チャネル: Web サイト・Web アプリ", "このサービス: チャネル = なし"),
        "SO-13": ("適用条件を満たさない: チャネル: iOS アプリ", "このサービス: チャネル = なし"),
    }
    assert ja.items[0].reasons == ("全ての場合に適用（必須項目）",)
    assert make_plan(_ordering_catalog(), Profile(channels=["web"]), "ja").get("SO-01").reasons == (  # type: ignore[union-attr]
        "チャネル: Web サイト・Web アプリ",
    )


def test_exclusion_shows_each_tested_fact_of_the_service() -> None:
    cat = b.catalog(
        b.item(
            "EX-01",
            when={"any": [{"moves_customer_funds": True, "users": {"gte": 10_000}}, {"tier": {"gte": "high"}}]},
        )
    )
    (excluded,) = make_plan(cat, Profile(users=5_000)).excluded
    assert excluded.reasons == (
        "condition not met: (moves customer funds and users 10,000 or more) or risk tier high or above",
        "this service: moves customer funds = no; risk tier = Low; users = 5,000",
    )
    (excluded,) = make_plan(cat, Profile(users=5_000), "ja").excluded
    assert excluded.reasons == (
        "適用条件を満たさない: （顧客資金を移動、かつ 利用者数 10,000 以上） または リスク区分 高以上",
        "このサービス: 顧客資金を移動 = いいえ; リスク区分 = 低; 利用者数 = 5,000",
    )
    # moving funds makes integrity, so the tier, high: the second branch holds
    (selected,) = make_plan(cat, Profile(moves_customer_funds=True)).items
    assert selected.reasons == ("risk tier High ≥ High",)
    cat = b.catalog(b.item("EX-03", when={"all": [{"moves_customer_funds": True}, {"users": {"gte": 10_000}}]}))
    (excluded,) = make_plan(cat, Profile(moves_customer_funds=True), "ja").excluded
    assert excluded.reasons == (
        "適用条件を満たさない: 顧客資金を移動、かつ 利用者数 10,000 以上",
        "このサービス: 顧客資金を移動 = はい; 利用者数 = 0",
    )
    (excluded,) = make_plan(cat, Profile(moves_customer_funds=True)).excluded
    assert excluded.reasons[1] == "this service: moves customer funds = yes; users = 0"
    cat = b.catalog(b.item("EX-02", when={"data": ["card"]}))
    (excluded,) = make_plan(cat, Profile(data=["personal", "my_number"])).excluded
    assert excluded.reasons[1] == "this service: data = My Number (individual number), personal data"


def test_exclusions_of_all_conditions_and_empty_lists_in_english() -> None:
    cat = b.catalog(b.item("XA-01", when={"all": [{"channels": ["web"]}, {"cloud": ["aws"]}]}))
    (excluded,) = make_plan(cat, Profile(channels=["web"])).excluded
    assert excluded.reasons == (
        "condition not met: channels: website / web app and cloud: AWS",
        "this service: channels = website / web app; cloud = none",
    )


def test_excluded_items_are_counted_per_chapter() -> None:
    cat = b.catalog(
        b.item("EC-01", when={"channels": ["web"]}),
        b.item("EC-02", when={"channels": ["web"]}),
        b.item("EC-03"),
    )
    assert make_plan(cat, Profile()).by_chapter() == {1: (1, 2)}


def test_plan_as_dict() -> None:
    cat = b.catalog(
        b.item("PD-01", severity="critical", effort="low", chapter=2),
        b.item("PD-02", severity="low", effort="high", when={"channels": ["web"]}),
        b.item("PD-03", severity="low", when={"channels": ["ios_app"]}),
        b.item("PD-04", severity="critical", level="advanced", cia=("integrity",), depends_on=("PD-01",), csf="DE"),
    )
    plan = make_plan(cat, Profile(channels=["web"], data=["personal"]))
    data = plan.as_dict()
    assert data["schema"] == "antai.plan/2"
    assert data["catalog_version"] == "0.1.0"
    assert data["profile"]["channels"] == ["web"]
    assert data["risk"]["tier"] == "medium"
    assert data["risk"]["derivation"]["tier"] == ["confidentiality is medium"]
    assert data["summary"] == {
        "selected": 3,
        "excluded": 1,
        "mandatory": 2,
        "quick_wins": ["PD-01"],
        "by_phase": {
            "gate": {"items": 1, "person_days": 1.5},
            "days_90": {"items": 0, "person_days": 0},
            "year_1": {"items": 0, "person_days": 0},
            "later": {"items": 2, "person_days": 22.0},
        },
        "by_risk": {"critical": 1, "high": 1, "medium": 0, "low": 1},
        "by_chapter": {"1": {"selected": 2, "excluded": 1}, "2": {"selected": 1, "excluded": 0}},
    }
    assert data["items"] == [
        {
            "id": "PD-01",
            "phase": "gate",
            "priority": 1,
            "risk": "critical",
            "reasons": ["applies in all cases (mandatory)"],
            "phase_reason": {
                "risk": "critical",
                "level": "medium",
                "protects": ["confidentiality"],
                "severity": "critical",
                "effort": "low",
                "advanced": False,
                "pulled_by": [],
                "funds_at_stake": False,
            },
            "chapter": 2,
            "mandatory": True,
            "level": "baseline",
            "csf": "PR",
            "severity": "critical",
            "effort": "low",
            "effort_days": [1.0, 2.0],
            "depends_on": [],
            "quick_win": True,
        },
        {
            "id": "PD-04",
            "phase": "later",
            "priority": 4,
            "risk": "high",
            "reasons": ["applies in all cases (mandatory)"],
            "phase_reason": {
                "risk": "high",
                "level": "low",
                "protects": ["integrity"],
                "severity": "critical",
                "effort": "medium",
                "advanced": True,
                "pulled_by": [],
                "funds_at_stake": False,
            },
            "chapter": 1,
            "mandatory": True,
            "level": "advanced",
            "csf": "DE",
            "severity": "critical",
            "effort": "medium",
            "effort_days": [4.0, 8.0],
            "depends_on": ["PD-01"],
            "quick_win": False,
        },
        {
            "id": "PD-02",
            "phase": "later",
            "priority": 4,
            "risk": "low",
            "reasons": ["channels: website / web app"],
            "phase_reason": {
                "risk": "low",
                "level": "medium",
                "protects": ["confidentiality"],
                "severity": "low",
                "effort": "high",
                "advanced": False,
                "pulled_by": [],
                "funds_at_stake": False,
            },
            "chapter": 1,
            "mandatory": False,
            "level": "baseline",
            "csf": "PR",
            "severity": "low",
            "effort": "high",
            "effort_days": [12.0, 20.0],
            "depends_on": [],
            "quick_win": False,
        },
    ]
    assert data["excluded"] == [
        {
            "id": "PD-03",
            "chapter": 1,
            "reasons": ["condition not met: channels: iOS app", "this service: channels = website / web app"],
        }
    ]
    assert make_plan(cat, Profile(), "ja").as_dict()["risk"]["derivation"]["tier"] == [
        "機密性が低",
        "完全性が低",
        "可用性が低",
    ]


def test_json_dumps_hold_plain_values() -> None:
    plan = make_plan(b.catalog(b.item("JS-01")), Profile(channels=["web"]))
    assert type(plan.as_dict()["profile"]["channels"][0]) is str
    assert type(plan.as_dict()["items"][0]["phase"]) is str
    assert type(Profile(channels=["web"]).facts()["channels"][0]) is str  # type: ignore[index]


# --- monotonicity: more risk never moves an item later -----------------------------------------------------


def test_adding_a_risk_factor_never_removes_an_item_or_moves_one_later() -> None:
    cat = b.catalog(
        b.item("MO-01", severity="critical", effort="low", cia=("availability",), depends_on=("MO-03",)),
        b.item("MO-02", severity="high", effort="medium", cia=("integrity",), when={"integrity": {"gte": "medium"}}),
        b.item("MO-03", severity="medium", effort="high", level="advanced"),
        b.item("MO-04", severity="low", effort="low", cia=("confidentiality", "integrity")),
        b.item("MO-05", severity="high", effort="low", when={"any": [{"users": {"gte": 10_000}}, {"data": ["card"]}]}),
    )
    steps = [
        Profile(),
        Profile(data=["personal"]),
        Profile(data=["personal"], manual_data_entry=True),
        Profile(data=["personal"], manual_data_entry=True, users=10_000),
        Profile(data=["personal", "card"], manual_data_entry=True, users=10_000, moves_customer_funds=True),
        Profile(data=["personal", "card"], manual_data_entry=True, users=1_000_000, moves_customer_funds=True),
    ]
    before = make_plan(cat, steps[0])
    for profile in steps[1:]:
        after = make_plan(cat, profile)
        assert before.ids <= after.ids
        for planned in before.items:
            moved = after.get(planned.id)
            assert moved is not None and moved.phase.rank <= planned.phase.rank, (planned.id, profile)
        before = after
    assert dict(phases(before)) == {
        "MO-01": "gate",
        "MO-02": "year_1",
        "MO-03": "gate",
        "MO-04": "later",
        "MO-05": "days_90",
    }


# --- what-if -----------------------------------------------------------------------------------------------


def test_what_if_lists_entered_left_levels_and_phases() -> None:
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
    assert change.levels == (("confidentiality", "low", "high"), ("tier", "low", "high"))
    assert change.reprioritised == (("WI-04", "year_1", "gate"), ("WI-01", "later", "year_1"))
    assert not change.empty
    assert change.as_dict() == {
        "entered": ["WI-03"],
        "left": ["WI-02"],
        "levels": [
            {"name": "confidentiality", "before": "low", "after": "high"},
            {"name": "tier", "before": "low", "after": "high"},
        ],
        "reprioritised": [
            {"id": "WI-04", "before": "year_1", "after": "gate"},
            {"id": "WI-01", "before": "later", "after": "year_1"},
        ],
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
        ("availability", "low", "medium"),
        ("tier", "low", "medium"),
    )
    assert compare(plan, make_plan(cat, Profile(signing_keys=True))).levels == (
        ("integrity", "low", "high"),
        ("tier", "low", "high"),
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
        "customer_accounts": True,
        "admin_console": False,
        "signing_keys": False,
        "links_bank_accounts": False,
        "embedded_in_fi": False,
        "monthly_transactions": 0,
        "engineers": None,
        "security_share": 20,
    }
    assert example_names() == ["b2b-accounting", "crypto-exchange", "household-budget", "remittance", "robo-advisor"]
    assert resolve_profile_path("example:remittance") == EXAMPLES_DIR / "remittance.yaml"
    assert resolve_profile_path(Path("mine.yaml")) == Path("mine.yaml")
    remittance = load_profile(Path("example:remittance"))
    assert remittance.users == 150_000 and remittance.moves_customer_funds
    risk = assess_risk(remittance)
    assert (risk.confidentiality.level, risk.integrity.level, risk.availability.level, risk.tier.level) == (
        "high",
        "high",
        "high",
        "high",
    )


def test_profile_errors_name_the_path_as_given(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from antai.catalog import SourceError
    from antai.tailoring import profile as profile_module

    (tmp_path / "broken.yaml").write_text("users: many\n", encoding="utf-8")
    monkeypatch.setattr(profile_module, "EXAMPLES_DIR", tmp_path)
    with pytest.raises(SourceError) as raised:
        load_profile(Path("example:broken"))
    assert str(raised.value.problems[0]).startswith("example:broken:1:8: users:")


def test_a_dependency_already_in_the_same_phase_is_not_called_pulled() -> None:
    cat = b.catalog(
        b.item("SP-01", severity="critical", effort="low", depends_on=("SP-02",)),
        b.item("SP-02", severity="critical", effort="low"),
    )
    plan = make_plan(cat, Profile(data=["card"]))
    both = {i.id: i for i in plan.items}
    assert both["SP-01"].phase == both["SP-02"].phase == Phase.GATE
    assert both["SP-02"].phase_reason.pulled_by == ()


def test_an_excluded_list_fact_shows_the_services_values_in_the_report_language() -> None:
    cat = b.catalog(b.item("LV-01", when={"channels": ["ios_app"]}))
    profile = Profile(channels=["web", "partner_api"])
    assert (
        make_plan(cat, profile, "ja").excluded[0].reasons[1]
        == "このサービス: チャネル = 提携先向け API, Web サイト・Web アプリ"
    )
    assert (
        make_plan(cat, profile, "en").excluded[0].reasons[1]
        == "this service: channels = API for partners, website / web app"
    )


def test_get_finds_a_planned_item_or_none() -> None:
    plan = make_plan(b.catalog(b.item("GT-01")), Profile())
    assert plan.get("GT-01") is plan.items[0] and plan.get("GT-99") is None


def test_phase_sizes_in_the_plan_data_are_rounded_to_a_tenth() -> None:
    plan = make_plan(b.catalog(b.item("RD-01", severity="critical", effort_days=(0.5, 2.0))), Profile(data=["card"]))
    assert plan.phase_days(Phase.GATE) == 1.25
    assert plan.as_dict()["summary"]["by_phase"]["gate"] == {"items": 1, "person_days": 1.2}
