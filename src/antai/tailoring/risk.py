"""The venture's risk by property: confidentiality, integrity and availability levels, and an overall tier.

Each level comes from a short table of rules; a rule names the facts that raise the level. A level is the
highest any matching rule gives, so adding a risk factor can only keep or raise a level (rules test presence,
never absence). Confidentiality follows the data held, integrity the power to move money or change records,
availability the externality (how many people and institutions an outage reaches). The tier is the highest of
the three: a label for the whole service (like FISC's 特定システム), not what orders the work.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from antai.catalog.conditions import Business, Channel, DataKind, Level
from antai.catalog.schema import CIA
from antai.tailoring.profile import Profile

TRADING = {Business.CRYPTO_ASSETS, Business.SECURITIES}
RECORD_KEEPING = {
    Business.LENDING,
    Business.INSURANCE,
    Business.CROWDFUNDING,
    Business.ACCOUNTING,
    Business.B2B_FI_SAAS,
}


@dataclass(frozen=True)
class Rule:
    level: Level
    ja: str
    en: str
    holds: Callable[[Profile], bool]


CONFIDENTIALITY_RULES: tuple[Rule, ...] = (
    # one rule per kind of data, so that the derivation names what this venture holds
    Rule(Level.HIGH, "カード情報を保有", "holds card data", lambda p: DataKind.CARD in p.data),
    Rule(
        Level.HIGH,
        "銀行の認証情報やトークンを保有",
        "holds bank credentials or tokens",
        lambda p: DataKind.BANK_CREDENTIALS in p.data,
    ),
    Rule(Level.HIGH, "マイナンバーを保有", "holds My Number", lambda p: DataKind.MY_NUMBER in p.data),
    Rule(
        Level.HIGH,
        "要配慮個人情報を保有",
        "holds sensitive personal data",
        lambda p: DataKind.SENSITIVE_PERSONAL in p.data,
    ),
    Rule(
        Level.HIGH,
        "個人情報を 100 万人分以上保有",
        "holds personal data of 1,000,000 people or more",
        lambda p: DataKind.PERSONAL in p.data and p.users >= 1_000_000,
    ),
    Rule(Level.MEDIUM, "個人情報を保有", "holds personal data", lambda p: DataKind.PERSONAL in p.data),
)

INTEGRITY_RULES: tuple[Rule, ...] = (
    Rule(Level.HIGH, "顧客資金を動かす", "moves customer funds", lambda p: p.moves_customer_funds),
    Rule(
        Level.HIGH,
        "銀行 API の更新系（振込など）を使う",
        "uses bank update APIs (transfers and the like)",
        lambda p: Business.BANK_API_UPDATE in p.business,
    ),
    Rule(
        Level.HIGH,
        "暗号資産や有価証券の取引を扱う",
        "handles trading in crypto assets or securities",
        lambda p: bool(TRADING.intersection(p.business)),
    ),
    Rule(
        Level.HIGH,
        "自社で署名鍵を保有",
        "holds signing keys of its own",
        lambda p: p.signing_keys,
    ),
    Rule(
        Level.MEDIUM,
        "業務データを人が手入力する",
        "people key in business data by hand",
        lambda p: p.manual_data_entry,
    ),
    Rule(
        Level.MEDIUM,
        "融資・保険・クラウドファンディング・会計・金融機関向け業務の記録を持つ",
        "keeps records for lending, insurance, crowdfunding, accounting or financial institutions",
        lambda p: bool(RECORD_KEEPING.intersection(p.business)),
    ),
    Rule(
        Level.MEDIUM,
        "顧客の銀行口座を連携して引落しや支払いに使う",
        "links customers' bank accounts to charge or pay them",
        lambda p: p.links_bank_accounts,
    ),
    Rule(
        Level.MEDIUM,
        "提携先向け API を公開（提携先が自社のデータで処理する）",
        "offers an API to partners, who act on its data",
        lambda p: Channel.PARTNER_API in p.channels,
    ),
)

AVAILABILITY_RULES: tuple[Rule, ...] = (
    Rule(Level.HIGH, "利用者 100 万人以上", "1,000,000 users or more", lambda p: p.users >= 1_000_000),
    Rule(
        Level.HIGH,
        "顧客資金を動かし、利用者 10 万人以上",
        "moves customer funds with 100,000 users or more",
        lambda p: p.moves_customer_funds and p.users >= 100_000,
    ),
    Rule(
        Level.HIGH,
        "銀行 API の更新系を使い、利用者 10 万人以上",
        "uses bank update APIs with 100,000 users or more",
        lambda p: Business.BANK_API_UPDATE in p.business and p.users >= 100_000,
    ),
    Rule(
        Level.HIGH,
        "金融機関のサービスの一部で、利用者 1 万人以上",
        "part of a financial institution's service with 10,000 users or more",
        lambda p: (p.embedded_in_fi or Business.B2B_FI_SAAS in p.business) and p.users >= 10_000,
    ),
    Rule(
        Level.HIGH,
        "月間取引 100 万件以上",
        "1,000,000 transactions a month or more",
        lambda p: p.monthly_transactions >= 1_000_000,
    ),
    Rule(Level.MEDIUM, "利用者 1 万人以上", "10,000 users or more", lambda p: p.users >= 10_000),
    Rule(Level.MEDIUM, "顧客資金を動かす", "moves customer funds", lambda p: p.moves_customer_funds),
    Rule(
        Level.MEDIUM,
        "金融機関のサービスの一部",
        "part of a financial institution's service",
        lambda p: p.embedded_in_fi or Business.B2B_FI_SAAS in p.business,
    ),
    Rule(
        Level.MEDIUM,
        "月間取引 1 万件以上",
        "10,000 transactions a month or more",
        lambda p: p.monthly_transactions >= 10_000,
    ),
    Rule(
        Level.MEDIUM,
        "提携先向け API を公開（提携先の業務が依存する）",
        "offers an API that partners' operations depend on",
        lambda p: Channel.PARTNER_API in p.channels,
    ),
)

PROPERTY_RULES: dict[CIA, tuple[Rule, ...]] = {
    CIA.CONFIDENTIALITY: CONFIDENTIALITY_RULES,
    CIA.INTEGRITY: INTEGRITY_RULES,
    CIA.AVAILABILITY: AVAILABILITY_RULES,
}
_NONE = {
    CIA.CONFIDENTIALITY: ("個人情報や機微な情報を保有しない", "holds no personal or sensitive data"),
    CIA.INTEGRITY: (
        "資金移動・更新系 API・取引・手入力・記録業務のいずれもない",
        "moves no money, updates no bank data, trades nothing and keys in nothing by hand",
    ),
    CIA.AVAILABILITY: (
        "利用者・取引の規模が小さく、資金移動も金融機関への組込みもない",
        "few users and transactions, no fund movement, not part of a financial institution's service",
    ),
}
# the names of 0.1, kept so that conditions written for it still evaluate
ALIASES = {"externality": "availability", "sensitivity": "confidentiality"}
LEVEL_NAMES = ("confidentiality", "integrity", "availability", "tier")


@dataclass(frozen=True)
class Derivation:
    level: Level
    because: tuple[tuple[str, str], ...]  # (ja, en) of every rule that gave this level

    def text(self, lang: str) -> list[str]:
        return [ja if lang == "ja" else en for ja, en in self.because]


@dataclass(frozen=True)
class RiskLevels:
    confidentiality: Derivation
    integrity: Derivation
    availability: Derivation
    tier: Derivation

    def level(self, name: str) -> Level:
        derivation: Derivation = getattr(self, ALIASES.get(name, name))
        return derivation.level

    def of(self, prop: CIA) -> Level:
        return self.level(prop.value)

    def as_dict(self, lang: str = "en") -> dict[str, object]:
        return {
            **{name: self.level(name).value for name in LEVEL_NAMES},
            "derivation": {name: getattr(self, name).text(lang) for name in LEVEL_NAMES},
        }


def _derive(prop: CIA, profile: Profile) -> Derivation:
    matched = [r for r in PROPERTY_RULES[prop] if r.holds(profile)]
    if not matched:
        return Derivation(Level.LOW, (_NONE[prop],))
    top = max(matched, key=lambda r: r.level.rank).level
    return Derivation(top, tuple((r.ja, r.en) for r in matched if r.level == top))


_PROPERTY_JA = {CIA.CONFIDENTIALITY: "機密性", CIA.INTEGRITY: "完全性", CIA.AVAILABILITY: "可用性"}
_LEVEL_JA = {Level.LOW: "低", Level.MEDIUM: "中", Level.HIGH: "高"}


def assess_risk(profile: Profile) -> RiskLevels:
    levels = {prop: _derive(prop, profile) for prop in CIA}
    top = max(d.level.rank for d in levels.values())
    tier_level = next(level for level in Level if level.rank == top)
    reasons = tuple(
        (f"{_PROPERTY_JA[prop]}が{_LEVEL_JA[tier_level]}", f"{prop.value} is {tier_level.value}")
        for prop, derivation in levels.items()
        if derivation.level == tier_level
    )
    return RiskLevels(
        confidentiality=levels[CIA.CONFIDENTIALITY],
        integrity=levels[CIA.INTEGRITY],
        availability=levels[CIA.AVAILABILITY],
        tier=Derivation(tier_level, reasons),
    )
