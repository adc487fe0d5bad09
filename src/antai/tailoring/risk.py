"""Externality (外部性), sensitivity (機微性) and tier, derived from the profile by a short table of rules.

Each rule names the facts that raise a level. A level is the highest level any matching rule gives, so adding
a risk factor can only keep or raise a level (the rules test presence, never absence). The tier is high when
externality or sensitivity is high (like FISC's 特定システム), medium when either is medium, else low.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from antai.catalog.conditions import Business, DataKind, Level
from antai.tailoring.profile import Profile

FINANCIAL_BUSINESS = {
    Business.FUND_TRANSFER,
    Business.PAYMENTS,
    Business.CRYPTO_ASSETS,
    Business.SECURITIES,
    Business.LENDING,
    Business.CROWDFUNDING,
    Business.INSURANCE,
    Business.B2B_FI_SAAS,
    Business.BANK_API_UPDATE,
}
HIGHLY_SENSITIVE = {DataKind.CARD, DataKind.BANK_CREDENTIALS, DataKind.MY_NUMBER, DataKind.SENSITIVE_PERSONAL}


@dataclass(frozen=True)
class Rule:
    level: Level
    ja: str
    en: str
    holds: Callable[[Profile], bool]


EXTERNALITY_RULES: tuple[Rule, ...] = (
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
        "金融機関向け B2B サービスで利用者 1 万人以上",
        "B2B service for financial institutions with 10,000 users or more",
        lambda p: Business.B2B_FI_SAAS in p.business and p.users >= 10_000,
    ),
    Rule(Level.MEDIUM, "利用者 1 万人以上", "10,000 users or more", lambda p: p.users >= 10_000),
    Rule(Level.MEDIUM, "顧客資金を動かす", "moves customer funds", lambda p: p.moves_customer_funds),
    Rule(
        Level.MEDIUM,
        "資金・資産・金融機関に関わる業務",
        "business that handles money, assets or financial institutions",
        lambda p: bool(FINANCIAL_BUSINESS.intersection(p.business)),
    ),
    Rule(
        Level.MEDIUM,
        "提携先向け API を公開",
        "offers an API to partners",
        lambda p: "partner_api" in p.channels,
    ),
)

SENSITIVITY_RULES: tuple[Rule, ...] = (
    Rule(
        Level.HIGH,
        "カード情報・銀行の認証情報・マイナンバー・要配慮個人情報のいずれかを保有",
        "holds card data, bank credentials or tokens, My Number or sensitive personal data",
        lambda p: bool(HIGHLY_SENSITIVE.intersection(p.data)),
    ),
    Rule(
        Level.HIGH,
        "個人情報を 100 万人分以上保有",
        "holds personal data of 1,000,000 people or more",
        lambda p: DataKind.PERSONAL in p.data and p.users >= 1_000_000,
    ),
    Rule(Level.MEDIUM, "個人情報を保有", "holds personal data", lambda p: DataKind.PERSONAL in p.data),
)


@dataclass(frozen=True)
class Derivation:
    level: Level
    because: tuple[tuple[str, str], ...]  # (ja, en) of every rule that gave this level

    def text(self, lang: str) -> list[str]:
        return [ja if lang == "ja" else en for ja, en in self.because]


@dataclass(frozen=True)
class RiskLevels:
    externality: Derivation
    sensitivity: Derivation
    tier: Derivation

    def level(self, name: str) -> Level:
        derivation: Derivation = getattr(self, name)
        return derivation.level

    def as_dict(self, lang: str = "en") -> dict[str, object]:
        return {
            "externality": self.externality.level.value,
            "sensitivity": self.sensitivity.level.value,
            "tier": self.tier.level.value,
            "derivation": {name: getattr(self, name).text(lang) for name in ("externality", "sensitivity", "tier")},
        }


def _derive(rules: tuple[Rule, ...], profile: Profile, none: tuple[str, str]) -> Derivation:
    matched = [r for r in rules if r.holds(profile)]
    if not matched:
        return Derivation(Level.LOW, (none,))
    top = max(matched, key=lambda r: r.level.rank).level
    return Derivation(top, tuple((r.ja, r.en) for r in matched if r.level == top))


def assess_risk(profile: Profile) -> RiskLevels:
    externality = _derive(
        EXTERNALITY_RULES,
        profile,
        ("規模・資金移動・金融業務のいずれも該当しない", "no scale, funds or financial business"),
    )
    sensitivity = _derive(
        SENSITIVITY_RULES,
        profile,
        ("個人情報や機微な情報を保有しない", "holds no personal or sensitive data"),
    )
    top = max(externality.level.rank, sensitivity.level.rank)
    tier_level = next(level for level in Level if level.rank == top)
    reasons = []
    for name_ja, name_en, derivation in (
        ("外部性", "externality", externality),
        ("機微性", "sensitivity", sensitivity),
    ):
        if derivation.level == tier_level:
            reasons.append((f"{name_ja}が{_LEVEL_JA[tier_level]}", f"{name_en} is {tier_level.value}"))
    return RiskLevels(externality, sensitivity, Derivation(tier_level, tuple(reasons)))


_LEVEL_JA = {Level.LOW: "低", Level.MEDIUM: "中", Level.HIGH: "高"}
