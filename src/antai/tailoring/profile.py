"""The service profile: what the service does, saved as YAML and validated with line-precise errors."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator

from antai.catalog.conditions import Business, Channel, Cloud, DataKind
from antai.catalog.yamlsource import load_model

EXAMPLES_DIR = Path(__file__).parent / "examples"

# Every line of the plan shows the name: 200 characters is a long service name, 100,000 took minutes
# (no control characters: the profile is written back as YAML, whose readers refuse escaped ones)
ServiceName = Annotated[str, StringConstraints(max_length=200, pattern=r"^[^\x00-\x08\x0b-\x1f\x7f]*$")]


class Profile(BaseModel):
    """Answers to the questionnaire. Every key is a fact about the service; none is a judgement."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    # strict: YAML's `users: true` would otherwise count as 1 user and `moves_customer_funds: 1` as yes
    name: ServiceName | None = Field(default=None, strict=True, description="Name of the service (free text)")
    business: list[Business] = Field(default_factory=list, description="Kinds of business the service is in")
    moves_customer_funds: bool = Field(
        default=False, strict=True, description="Does the service move customers' money?"
    )
    data: list[DataKind] = Field(default_factory=list, description="Kinds of data the service holds")
    channels: list[Channel] = Field(default_factory=list, description="How customers and partners reach it")
    cloud: list[Cloud] = Field(default_factory=list, description="Cloud providers it runs on")
    own_equipment: bool = Field(default=False, strict=True, description="Servers, HSMs or other hardware of its own")
    users: int = Field(default=0, ge=0, le=10**10, strict=True, description="Customers (expected within a year)")
    staff: int = Field(
        default=1, ge=1, le=1_000_000, strict=True, description="People working on the service, contractors included"
    )
    manual_data_entry: bool = Field(default=False, strict=True, description="Do people key in business data by hand?")
    outsourcing: bool = Field(default=False, strict=True, description="Is development or operation outsourced?")
    # default yes: a profile written before the question existed keeps the customer-login items
    customer_accounts: bool = Field(
        default=True, strict=True, description="Do customers (people or companies) sign in to accounts of their own?"
    )
    admin_console: bool = Field(
        default=False, strict=True, description="Is there a browser-based admin or back-office console for staff?"
    )
    signing_keys: bool = Field(
        default=False,
        strict=True,
        description="Does the service hold its own signing keys (crypto-asset wallets, transaction signing)?",
    )
    links_bank_accounts: bool = Field(
        default=False,
        strict=True,
        description="Does it link customers' bank accounts to charge or pay them (口座振替・口座連携)?",
    )
    embedded_in_fi: bool = Field(
        default=False,
        strict=True,
        description="Is it part of a bank's or another financial institution's own service (white label, BaaS)?",
    )
    monthly_transactions: int = Field(
        default=0,
        ge=0,
        le=10**12,
        strict=True,
        description="Transactions or API calls on behalf of customers per month",
    )
    engineers: int | None = Field(
        default=None,
        ge=1,
        le=10_000,
        strict=True,
        description="Engineers who can work on security measures (default: half the staff, at least one)",
    )
    security_share: int = Field(
        default=20,
        ge=1,
        le=100,
        strict=True,
        description="Share of the engineers' time for security work, in percent (default 20)",
    )

    @field_validator("business", "data", "channels", "cloud")
    @classmethod
    def _no_repeats(cls, values: list[str]) -> list[str]:
        if len(set(values)) != len(values):
            raise ValueError("values must not repeat")
        return sorted(values)

    @property
    def team_engineers(self) -> int:
        """Engineers available for security work: as answered, else :func:`default_engineers`."""
        return self.engineers if self.engineers is not None else default_engineers(self.staff)

    def facts(self) -> dict[str, object]:
        """The profile as plain values, without the name."""
        return self.model_dump(mode="json", exclude={"name"})


def default_engineers(staff: int) -> int:
    """Without an answer, half the people working on the service (at least one) are taken as engineers."""
    return max(1, staff // 2)


def load_profile(path: Path) -> Profile:
    """Read a profile file; ``example:NAME`` reads a shipped example. Raises SourceError on bad input."""
    return load_model(resolve_profile_path(path), Profile, display=str(path))


def resolve_profile_path(path: Path | str) -> Path:
    text = str(path)
    if text.startswith("example:"):
        return EXAMPLES_DIR / f"{text.removeprefix('example:')}.yaml"
    return Path(path)


def example_names() -> list[str]:
    return sorted(p.stem for p in EXAMPLES_DIR.glob("*.yaml"))
