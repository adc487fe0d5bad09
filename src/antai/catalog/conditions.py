"""The service-profile vocabulary and the declarative condition language of applicability.

Conditions are data, never code. They can only test that a risk factor is *present* (a value in a list,
a yes/no fact that is yes, a number or level at or above a threshold) and combine tests with ``any`` and
``all``. There is no negation, so adding risk to a profile can only make more conditions true: the plan
is monotone by construction.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Discriminator, Field, Tag, field_validator, model_validator


class Business(StrEnum):
    FUND_TRANSFER = "fund_transfer"
    PAYMENTS = "payments"
    BANK_API_READ = "bank_api_read"
    BANK_API_UPDATE = "bank_api_update"
    LENDING = "lending"
    CRYPTO_ASSETS = "crypto_assets"
    SECURITIES = "securities"
    INSURANCE = "insurance"
    PFM = "pfm"
    ACCOUNTING = "accounting"
    B2B_FI_SAAS = "b2b_fi_saas"
    CROWDFUNDING = "crowdfunding"


class DataKind(StrEnum):
    PERSONAL = "personal"
    SENSITIVE_PERSONAL = "sensitive_personal"
    CARD = "card"
    BANK_CREDENTIALS = "bank_credentials"
    MY_NUMBER = "my_number"


class Channel(StrEnum):
    IOS_APP = "ios_app"
    ANDROID_APP = "android_app"
    WEB = "web"
    PARTNER_API = "partner_api"


class Cloud(StrEnum):
    AWS = "aws"
    GCP = "gcp"
    AZURE = "azure"
    OTHER = "other"


class Level(StrEnum):
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"

    @property
    def rank(self) -> int:
        return _LEVEL_RANK[self]


_LEVEL_RANK = {Level.LOW: 0, Level.MEDIUM: 1, Level.HIGH: 2}

LIST_KEYS: dict[str, type[StrEnum]] = {
    "business": Business,
    "data": DataKind,
    "channels": Channel,
    "cloud": Cloud,
}
FLAG_KEYS = (
    "moves_customer_funds",
    "own_equipment",
    "manual_data_entry",
    "outsourcing",
    "customer_accounts",
    "admin_console",
    "signing_keys",
    "links_bank_accounts",
    "embedded_in_fi",
)
NUMBER_KEYS = ("users", "staff", "monthly_transactions")
# derived levels; externality and sensitivity are the 0.1 names of availability and confidentiality
LEVEL_KEYS = ("confidentiality", "integrity", "availability", "tier", "externality", "sensitivity")
PROFILE_KEYS = (*LIST_KEYS, *FLAG_KEYS, *NUMBER_KEYS, *LEVEL_KEYS)


class _Strict(BaseModel):
    # validators are built on first use: most commands read only a few kinds of catalog model
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


class AtLeast(_Strict):
    """A number at or above a threshold, e.g. ``users: {gte: 100000}``."""

    # strict: `gte: true` or `gte: "5"` is a typo in the catalog, not a threshold
    gte: int = Field(ge=0, strict=True)


class LevelAtLeast(_Strict):
    """A derived level at or above a threshold, e.g. ``tier: {gte: high}``."""

    gte: Level


NonEmpty = Field(default=None, min_length=1)
# only `true`: a condition on the absence of a risk factor would make the plan non-monotone
Present = Literal[True]


class Facts(_Strict):
    """Facts about the profile that must all hold. A list key holds when the profile has any listed value.

    ``None`` only means "key not written": an explicit ``null`` is refused, so every key that is set holds a
    value the evaluator can test.
    """

    business: list[Business] | None = NonEmpty
    data: list[DataKind] | None = NonEmpty
    channels: list[Channel] | None = NonEmpty
    cloud: list[Cloud] | None = NonEmpty
    moves_customer_funds: Present | None = None
    own_equipment: Present | None = None
    manual_data_entry: Present | None = None
    outsourcing: Present | None = None
    customer_accounts: Present | None = None
    admin_console: Present | None = None
    signing_keys: Present | None = None
    links_bank_accounts: Present | None = None
    embedded_in_fi: Present | None = None
    users: AtLeast | None = None
    staff: AtLeast | None = None
    monthly_transactions: AtLeast | None = None
    confidentiality: LevelAtLeast | None = None
    integrity: LevelAtLeast | None = None
    availability: LevelAtLeast | None = None
    tier: LevelAtLeast | None = None
    externality: LevelAtLeast | None = None
    sensitivity: LevelAtLeast | None = None

    @field_validator("*", mode="before")
    @classmethod
    def _not_null(cls, value: Any) -> Any:
        # defaults are not validated, so this only sees a null the author wrote
        if value is None:
            raise ValueError("null is not a condition: give a value or leave the key out")
        return value

    @model_validator(mode="after")
    def _not_empty(self) -> Facts:
        if not self.model_fields_set:
            raise ValueError(f"a condition needs at least one of: {', '.join(PROFILE_KEYS)}, any, all")
        return self

    def describe(self) -> list[str]:
        """Each fact as a short, language-neutral phrase (``channels ∋ ios_app|android_app``)."""
        parts: list[str] = []
        for key in self.model_fields_set:
            value = getattr(self, key)
            if isinstance(value, list):
                parts.append(f"{key} ∋ {'|'.join(v.value for v in value)}")
            elif isinstance(value, AtLeast | LevelAtLeast):
                parts.append(f"{key} ≥ {value.gte}")  # a Level formats as its value
            else:
                parts.append(key)
        return sorted(parts)


class AnyOf(_Strict):
    any: list[Condition] = Field(min_length=1)


class AllOf(_Strict):
    all: list[Condition] = Field(min_length=1)


def _condition_kind(value: Any) -> str | None:
    if isinstance(value, dict):
        if "any" in value:
            return "any"
        if "all" in value:
            return "all"
        return "fact"
    if isinstance(value, AnyOf):
        return "any"
    if isinstance(value, AllOf):
        return "all"
    if isinstance(value, Facts):
        return "fact"
    return None


Condition = Annotated[
    Annotated[AnyOf, Tag("any")] | Annotated[AllOf, Tag("all")] | Annotated[Facts, Tag("fact")],
    Discriminator(_condition_kind),
]

AnyOf.model_rebuild()
AllOf.model_rebuild()


def describe(condition: AnyOf | AllOf | Facts) -> str:
    """A compact, language-neutral rendering of a condition, for listings and reasons."""
    if isinstance(condition, AnyOf):
        return " OR ".join(_wrap(describe(c)) for c in condition.any)
    if isinstance(condition, AllOf):
        return " AND ".join(_wrap(describe(c)) for c in condition.all)
    return " AND ".join(condition.describe())


def _wrap(text: str) -> str:
    return f"({text})" if " OR " in text or " AND " in text else text
