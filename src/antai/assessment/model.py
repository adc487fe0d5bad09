"""The self-assessment: answers per applicable item, risk-acceptance decisions, evidence, organisation facts.

These are plain data with their rules; reading and writing them as files is the workspace adapter's job.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from typing import Annotated, Any, get_args, get_origin, get_type_hints

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

from antai.assessment.verdicts import FindingStatus as FindingStatus  # re-exported: the models use them
from antai.assessment.verdicts import Severity as Severity
from antai.catalog.schema import ITEM_ID_PATTERN

ItemId = Annotated[str, StringConstraints(pattern=ITEM_ID_PATTERN)]
# what evidence is about: an item, or an organisation fact written `org:PATH` (e.g. org:eligibility.registration)
FACT_PREFIX = "org:"
EvidenceTarget = Annotated[
    str,
    StringConstraints(
        pattern=r"^(?:" + ITEM_ID_PATTERN.strip("^$") + r"|org:[a-z][a-z0-9_]*(?:\.(?:[a-z][a-z0-9_]*|[1-9]\d*))*)$"
    ),
]
# Limits keep a pasted log or a hostile edit from making every rendering crawl; they are generous for
# what a person writes by hand.
# No control characters but tab and newline: YAML would have to write them as escapes, which the readers
# refuse (and which could rewrite a terminal that shows the value).
PRINTABLE = r"^[^\x00-\x08\x0b-\x1f\x7f]*$"
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=4000, pattern=PRINTABLE)]
Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200, pattern=PRINTABLE)]

# The workspace format this antai writes. A workspace with a higher number was written by a newer antai
# and is refused rather than silently rewritten in the older format.
WORKSPACE_FORMAT = 3  # 3: organisation facts in groups (format 2 kept them flat)


class Status(StrEnum):
    UNANSWERED = "unanswered"
    IMPLEMENTED = "implemented"
    PARTIAL = "partial"
    PLANNED = "planned"  # needs a due date
    NOT_IMPLEMENTED = "not_implemented"
    NOT_APPLICABLE = "not_applicable"  # needs a reason
    RISK_ACCEPTED = "risk_accepted"  # needs a decision (rationale, approver, date, expiry)
    COMPENSATED = "compensated"  # needs the compensating item or new-technology note, and a reason


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Answer(_Strict):
    status: Status = Status.UNANSWERED
    owner: Name | None = None
    due: dt.date | None = Field(default=None, description="When a planned item will be done")
    reason: Text | None = Field(default=None, description="Why not applicable, or why the compensation is enough")
    compensated_by: Text | None = Field(default=None, description="Item ID or new-technology note ID")
    note: Text | None = None
    interim: Text | None = Field(
        default=None, description="What limits the risk until the item is done (planned, partial, not implemented)"
    )
    review: bool = Field(default=False, description="The item changed in a catalog upgrade: check the answer")
    updated: dt.date | None = None

    @model_validator(mode="after")
    def _status_rules(self) -> Answer:
        if self.status == Status.PLANNED and self.due is None:
            raise ValueError("a planned item needs a due date (due: YYYY-MM-DD)")
        if self.status == Status.NOT_APPLICABLE and not self.reason:
            raise ValueError("'not_applicable' needs a reason")
        if self.status == Status.COMPENSATED and not (self.compensated_by and self.reason):
            raise ValueError("'compensated' needs compensated_by (an item or new-technology note) and a reason")
        return self


class DecisionKind(StrEnum):
    RISK_ACCEPTANCE = "risk_acceptance"  # the item applies; its risk is carried instead of treated
    NOT_APPLICABLE = "not_applicable"  # a mandatory item declared not applicable: a deviation too


class Acceptance(_Strict):
    """A recorded, reasoned decision with an approver and an expiry (R7): accepting a risk instead of
    implementing an item, or declaring a mandatory item not applicable."""

    item: ItemId
    kind: DecisionKind = DecisionKind.RISK_ACCEPTANCE
    rationale: Text
    approver: Name
    decided: dt.date
    expires: dt.date

    @model_validator(mode="after")
    def _expiry_after_decision(self) -> Acceptance:
        if self.expires <= self.decided:
            raise ValueError("a decision must expire after the date it was made")
        return self

    def expired(self, today: dt.date) -> bool:
        return self.expires < today


class EvidenceKind(StrEnum):
    FILE = "file"
    URL = "url"


Count = Annotated[int, Field(ge=0)]


class FailingCheck(_Strict):
    """One check that failed (or could not run) on an item in a scan."""

    check: Annotated[str, StringConstraints(min_length=1, max_length=200, pattern=PRINTABLE)]
    status: FindingStatus
    severity: Severity
    resources: Count = Field(description="How many resources it failed on")
    example: Annotated[str, StringConstraints(min_length=1, max_length=300, pattern=PRINTABLE)] = Field(
        description="The first such resource"
    )


class ScanSummary(_Strict):
    """What automated evidence says about its item: the tool, the scan time and the findings' verdict.
    The file the record points to is the scan's raw output, kept and hashed."""

    tool: Name = Field(description="antai for antai's own checks, else the scanner (prowler, checkov…)")
    tool_version: Name | None = None
    target: Name = Field(description="What was scanned: an AWS account and regions, or the imported file")
    observed_at: dt.datetime = Field(description="When the scan ran")
    result: FindingStatus = Field(description="The worst of the item's findings")
    passed: Count = 0
    failed: Count = 0
    errors: Count = 0
    not_applicable: Count = 0
    checks: list[FailingCheck] = Field(default_factory=list, max_length=20)
    more_checks: Count = Field(default=0, description="Failing checks beyond those listed")


class EvidenceRecord(_Strict):
    id: Annotated[str, StringConstraints(pattern=r"^E\d{4,}$")]
    item: EvidenceTarget = Field(description="The item, or org:PATH for an organisation fact")
    kind: EvidenceKind
    path: str | None = Field(default=None, description="File under evidence/files/, for kind file")
    url: str | None = Field(default=None, description="Link, for kind url")
    sha256: Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{64}$")] | None = None
    name: Text
    added_by: Name
    added_at: dt.datetime
    effective_from: dt.date = Field(description="The date the evidence shows the state of (≠ upload date)")
    expires: dt.date
    note: Text | None = None
    withdrawn: dt.date | None = Field(default=None, description="When the record was withdrawn (kept for the record)")
    withdrawn_by: Name | None = None
    withdrawn_reason: Text | None = None
    scan: ScanSummary | None = Field(
        default=None, description="Automated evidence: the scan's verdict on the item (the file is its raw output)"
    )

    @model_validator(mode="after")
    def _kind_fields(self) -> EvidenceRecord:
        if self.kind == EvidenceKind.FILE and not (self.path and self.sha256):
            raise ValueError("file evidence needs path and sha256")
        if self.kind == EvidenceKind.URL and not self.url:
            raise ValueError("link evidence needs a url")
        if self.expires < self.effective_from:
            raise ValueError("evidence cannot expire before it is effective")
        if self.withdrawn is not None and not self.withdrawn_reason:
            raise ValueError("withdrawn evidence needs a withdrawn_reason")
        if self.scan is not None and self.kind != EvidenceKind.FILE:
            raise ValueError("automated evidence keeps the scan's raw output as a file")
        return self

    @property
    def automated(self) -> bool:
        return self.scan is not None

    @property
    def current(self) -> bool:
        return self.withdrawn is None


class Contact(_Strict):
    name: Name | None = Field(default=None, description="Team or person", json_schema_extra={"optional": True})
    email: Name | None = Field(default=None, description="E-mail address")
    phone: Name | None = Field(default=None, description="Phone number")


# --- organisation facts: the headings a bank's partner-risk officer reads first --------------------------
#
# Every field is a fact; a fact that is None (or an empty list where "none" is not an answer) is missing and
# shown as a gap. Fields marked optional are details that may be absent without a gap. Paths are dotted
# (`eligibility.registration`); entries of a register are numbered from 1 (`outsourcing.outsourcees.2.name`).


def _optional(description: str) -> Any:
    return Field(default=None, description=description, json_schema_extra={"optional": True})


def _none_ok(description: str) -> Any:
    """A list where an empty list is an answer ("none"), not a gap."""
    return Field(default=None, description=description, json_schema_extra={"none_ok": True})


class RegistrationKind(StrEnum):
    ELECTRONIC_PAYMENT_AGENT = "electronic_payment_agent"  # 電子決済等代行業者
    FUNDS_TRANSFER = "funds_transfer"  # 資金移動業者
    PREPAID_PAYMENT = "prepaid_payment"  # 前払式支払手段発行者
    BANK_AGENT = "bank_agent"  # 銀行代理業者
    FINANCIAL_INTERMEDIARY = "financial_intermediary"  # 金融サービス仲介業者
    OTHER = "other"


class CertificationScheme(StrEnum):
    ISMS = "isms"  # ISO/IEC 27001
    ISMS_CLOUD = "isms_cloud"  # ISO/IEC 27017
    SOC2 = "soc2"
    ISMAP = "ismap"
    PMARK = "pmark"  # プライバシーマーク
    PCI_DSS = "pci_dss"
    OTHER = "other"


class Certification(_Strict):
    scheme: CertificationScheme = Field(description="isms, isms_cloud, soc2, ismap, pmark, pci_dss or other")
    scope: Text | None = Field(default=None, description="What the certificate covers")
    certified: dt.date | None = Field(default=None, description="Date certified (YYYY-MM-DD)")
    expires: dt.date | None = _optional("Date the certificate expires (YYYY-MM-DD)")


class Eligibility(_Strict):
    """Whether the venture may connect at all: registration, finances, compliance, anti-social forces."""

    registration_kind: RegistrationKind | None = Field(
        default=None,
        description="electronic_payment_agent, funds_transfer, prepaid_payment, bank_agent, "
        "financial_intermediary or other",
    )
    registration: Text | None = Field(default=None, description="Registration number, e.g. 関東財務局長（電代）第N号")
    registered_on: dt.date | None = Field(default=None, description="Date of registration (YYYY-MM-DD)")
    capital_jpy: int | None = Field(default=None, ge=0, description="Paid-in capital in yen (a whole number)")
    finances: Text | None = Field(
        default=None, description="Financial standing: net assets, latest fiscal year, funding, auditor"
    )
    compliance_structure: Text | None = Field(
        default=None, description="法令等遵守態勢: compliance officer, rules, training, internal audit"
    )
    antisocial_declaration: bool | None = Field(
        default=None, description="Declared not to be or deal with anti-social forces (反社会的勢力): yes/no"
    )
    antisocial_screening: Text | None = Field(
        default=None, description="How officers, shareholders and business partners are screened"
    )
    association: Text | None = Field(default=None, description="Association membership, e.g. 電子決済等代行事業者協会")
    certifications: list[Certification] | None = _none_ok(
        "Certifications (ISMS, SOC 2, ISMAP, P-mark…): `antai org add certification`; 'none' if none"
    )
    staff_count: int | None = Field(default=None, ge=1, description="Number of staff (a whole number)")


class ApiScope(StrEnum):
    READ = "read"  # 参照系
    UPDATE = "update"  # 更新系


class ApiUse(_Strict):
    bank: Name = Field(description="The bank whose API is used")
    api: Name = Field(description="The API, e.g. 残高照会, 入出金明細照会")
    scope: ApiScope = Field(description="read (参照系) or update (更新系)")


class ServiceUse(_Strict):
    """The service and how it uses the bank's API."""

    name: Name | None = Field(default=None, description="Service name")
    summary: Text | None = Field(default=None, description="What the service does, for whom")
    api_purpose: Text | None = Field(default=None, description="Why the service uses bank APIs")
    target_banks: list[Name] | None = Field(
        default=None, description="Banks connected or applied for (comma-separated)"
    )
    apis: list[ApiUse] | None = Field(default=None, description="APIs and scopes: `antai org add api`")
    data_items: list[Name] | None = Field(
        default=None, description="Data items obtained through the APIs (comma-separated)"
    )
    retention: Text | None = Field(default=None, description="How long the data is kept and how it is deleted")
    architecture: Text | None = Field(
        default=None,
        description="Architecture and data-flow diagram: document name and version (attach it as evidence)",
    )
    token_storage: Text | None = Field(default=None, description="Where and how API tokens are stored")
    hosting_regions: list[Name] | None = Field(
        default=None, description="Hosting provider and regions, e.g. AWS ap-northeast-1 (comma-separated)"
    )


class InquiryDesk(_Strict):
    name: Name | None = _optional("Name of the desk")
    phone: Name | None = Field(default=None, description="Phone number")
    email: Name | None = Field(default=None, description="E-mail address")
    form: Name | None = _optional("Web form address")
    hours: Name | None = Field(default=None, description="Opening hours, e.g. 平日 10:00–18:00")


class UserProtection(_Strict):
    """What users are told, where they complain, and who pays for a loss."""

    terms: Text | None = Field(
        default=None, description="Terms of use (利用規約) and the disclosures (説明事項): where and what"
    )
    inquiry: InquiryDesk | None = Field(default=None, description="Inquiries and complaints: channels and hours")
    complaint_handling: Text | None = Field(default=None, description="How a complaint is handled and escalated")
    adr: Text | None = Field(default=None, description="ADR arrangement (裁判外紛争解決)")
    damage_prevention: Text | None = Field(
        default=None, description="Preventing damage from spreading: stopping access, revoking tokens, telling users"
    )
    compensation: Text | None = Field(default=None, description="How customers are compensated for losses")
    loss_allocation: Text | None = Field(
        default=None, description="Loss allocation with the bank (the bank–venture contract)"
    )


class NotificationEvent(StrEnum):
    UNAUTHORISED_ACCESS = "unauthorised_access"
    DATA_LEAK = "data_leak"
    TOKEN_COMPROMISE = "token_compromise"
    FRAUDULENT_USE = "fraudulent_use"
    SERVICE_OUTAGE = "service_outage"
    VULNERABILITY = "vulnerability"
    OUTSOURCEE_INCIDENT = "outsourcee_incident"
    OTHER = "other"


class Notification(_Strict):
    """One row of the incident notification matrix: event × deadline × contact."""

    event: NotificationEvent = Field(
        description="unauthorised_access, data_leak, token_compromise, fraudulent_use, service_outage, "
        "vulnerability, outsourcee_incident or other"
    )
    within_hours: float = Field(gt=0, le=24 * 30, description="First report within this many hours of detection")
    contact: Name = Field(description="Whom the venture notifies, and how")
    detail: Text | None = _optional("What exactly (needed for event 'other')")

    @model_validator(mode="after")
    def _other_needs_detail(self) -> Notification:
        if self.event == NotificationEvent.OTHER and not self.detail:
            raise ValueError("an 'other' event needs a detail")
        return self


class Cooperation(_Strict):
    """Working with the bank: whom to reach, how fast each event is reported, drills."""

    incident_contact: Contact | None = Field(default=None, description="The venture's incident contact (CSIRT)")
    contact_24x7: Contact | None = Field(default=None, description="Contact the bank can reach at any hour")
    notification: list[Notification] | None = Field(
        default=None, description="Incident notification matrix: `antai org add notification`"
    )
    joint_drill: Text | None = Field(default=None, description="Joint drills with the bank: what and how often")
    joint_drill_date: dt.date | None = Field(default=None, description="Date of the last joint drill (YYYY-MM-DD)")


class Subcontracting(StrEnum):
    PROHIBITED = "prohibited"
    WITH_APPROVAL = "with_approval"
    ALLOWED = "allowed"


class Outsourcee(_Strict):
    """One entry of the outsourcing register."""

    name: Name = Field(description="The outsourcee")
    service: Text = Field(description="What they do for the venture")
    data: Text | None = Field(default=None, description="Data they handle")
    access: Text | None = Field(default=None, description="Access they have (systems, production, customer data)")
    security_requirements: bool | None = Field(default=None, description="Contract sets security requirements: yes/no")
    audit_rights: bool | None = Field(default=None, description="Contract gives audit rights: yes/no")
    subcontracting: Subcontracting | None = Field(
        default=None, description="再委託: prohibited, with_approval or allowed"
    )
    subcontractors: Text | None = _optional("Approved subcontractors")
    last_review: dt.date | None = Field(default=None, description="Date of the last review (YYYY-MM-DD)")
    review_result: Text | None = Field(default=None, description="Result of the last review")


class Outsourcing(_Strict):
    """The outsourcing register: one entry per outsourcee."""

    policy: Text | None = Field(default=None, description="How outsourcees are selected and managed")
    outsourcees: list[Outsourcee] | None = _none_ok(
        "One entry per outsourcee: `antai org add outsourcing`; 'none' if nothing is outsourced"
    )


class ReviewCycle(StrEnum):
    QUARTERLY = "quarterly"
    SEMIANNUAL = "semiannual"
    ANNUAL = "annual"
    BIENNIAL = "biennial"


class SecurityRule(_Strict):
    """One of the rules (規程・細則) under the security policy."""

    title: Name = Field(description="Title of the rule")
    approved: dt.date = Field(description="Date approved (YYYY-MM-DD)")
    approver: Name | None = _optional("Who approved it")


class Governance(_Strict):
    """The security policy, its rules, and the named owner."""

    security_policy: Text | None = Field(default=None, description="Title and version of the security policy")
    policy_approver: Name | None = Field(default=None, description="Who approved the policy (e.g. 取締役会)")
    policy_approved: dt.date | None = Field(default=None, description="Date the policy was approved (YYYY-MM-DD)")
    policy_review: ReviewCycle | None = Field(
        default=None, description="Review cycle: quarterly, semiannual, annual or biennial"
    )
    rules: list[SecurityRule] | None = Field(
        default=None, description="Rules (規程・細則) with approval dates: `antai org add rule`"
    )
    security_owner: Name | None = Field(default=None, description="Named person responsible for security")
    security_owner_authority: Text | None = Field(default=None, description="What they may decide and stop")
    deputy: Name | None = Field(default=None, description="The security owner's deputy")
    owner_appointed: dt.date | None = Field(default=None, description="Date the owner was appointed (YYYY-MM-DD)")
    reporting_line: Text | None = Field(default=None, description="To whom the owner reports (board, CEO), how often")
    security_training: Text | None = Field(default=None, description="What training, how often, last held")


FACT_GROUPS: dict[str, type[BaseModel]] = {
    "eligibility": Eligibility,
    "service": ServiceUse,
    "user_protection": UserProtection,
    "cooperation": Cooperation,
    "outsourcing": Outsourcing,
    "governance": Governance,
}

# the flat facts of workspace format 2 and where they live now
LEGACY_FACTS: dict[str, str] = {
    "registration": "eligibility.registration",
    "staff_count": "eligibility.staff_count",
    "security_owner": "governance.security_owner",
    "security_owner_authority": "governance.security_owner_authority",
    "security_policy": "governance.security_policy",
    "security_policy_date": "governance.policy_approved",
    "security_training": "governance.security_training",
    "incident_contact": "cooperation.incident_contact",
    "inquiry_contact": "user_protection.inquiry",
    "outsourcees": "outsourcing.outsourcees",
    "compensation_policy": "user_protection.compensation",
}


class FactKind(StrEnum):
    TEXT = "text"
    DATE = "date"
    BOOL = "bool"
    INT = "int"
    NUMBER = "number"
    CHOICE = "choice"
    TEXT_LIST = "text_list"  # a list of names, written comma-separated
    RECORD = "record"  # a small record (a contact): its fields are facts of their own
    ENTRIES = "entries"  # a register: entries added with `antai org add`


@dataclass(frozen=True)
class FactField:
    """One fact as the schema defines it: where it is, what it holds, its help."""

    path: str  # dotted; entries of a register as `N`
    name: str
    kind: FactKind
    help: str
    optional: bool = False
    none_ok: bool = False
    choices: type[StrEnum] | None = None
    model: type[BaseModel] | None = None  # of a record or of a register's entries


def _field_kind(annotation: Any) -> tuple[FactKind, type[StrEnum] | None, type[BaseModel] | None]:
    args = [a for a in get_args(annotation) if a is not type(None)]
    inner = args[0] if args else annotation
    if get_origin(inner) is list:
        (entry,) = get_args(inner)
        if isinstance(entry, type) and issubclass(entry, BaseModel):
            return FactKind.ENTRIES, None, entry
        return FactKind.TEXT_LIST, None, None
    if get_origin(inner) is Annotated:
        inner = get_args(inner)[0]
    if isinstance(inner, type):
        if issubclass(inner, BaseModel):
            return FactKind.RECORD, None, inner
        if issubclass(inner, StrEnum):
            return FactKind.CHOICE, inner, None
        if issubclass(inner, bool):
            return FactKind.BOOL, None, None
        if issubclass(inner, int):
            return FactKind.INT, None, None
        if issubclass(inner, float):
            return FactKind.NUMBER, None, None
        if issubclass(inner, dt.date):
            return FactKind.DATE, None, None
    return FactKind.TEXT, None, None


@cache
def model_facts(model: type[BaseModel], prefix: str) -> tuple[FactField, ...]:
    """The fields of ``model`` as facts under ``prefix`` (records and registers with their fields)."""
    out: list[FactField] = []
    hints = get_type_hints(model, include_extras=True)
    for name, info in model.model_fields.items():
        kind, choices, sub = _field_kind(hints[name])
        extra = info.json_schema_extra if isinstance(info.json_schema_extra, dict) else {}
        path = f"{prefix}.{name}" if prefix else name
        out.append(
            FactField(
                path=path,
                name=name,
                kind=kind,
                help=info.description or "",
                optional=bool(extra.get("optional")),
                none_ok=bool(extra.get("none_ok")),
                choices=choices,
                model=sub,
            )
        )
        if kind == FactKind.RECORD and sub is not None:
            out.extend(model_facts(sub, path))
        if kind == FactKind.ENTRIES and sub is not None:
            out.extend(model_facts(sub, f"{path}.N"))
    return tuple(out)


@cache
def fact_fields() -> tuple[FactField, ...]:
    """Every fact of every group, in the order reports show them."""
    out: list[FactField] = []
    for group, model in FACT_GROUPS.items():
        out.extend(model_facts(model, group))
    return tuple(out)


def fact_field(path: str) -> FactField | None:
    """The schema entry of a concrete path (entry numbers matched as `N`); None if there is no such fact."""
    generic = ".".join("N" if part.isdigit() else part for part in path.split("."))
    return next((f for f in fact_fields() if f.path == generic), None)


def _missing_in(value: BaseModel, prefix: str) -> list[str]:
    out: list[str] = []
    for spec in model_facts(type(value), prefix):
        if spec.path.count(".") != prefix.count(".") + 1 or spec.optional:
            continue  # only this level's fields; deeper ones are visited through their parent
        current = getattr(value, spec.name)
        if current is None or (current == [] and not spec.none_ok):
            out.append(spec.path)
        elif isinstance(current, BaseModel):
            out.extend(_missing_in(current, spec.path))
        elif isinstance(current, list):
            for number, entry in enumerate(current, start=1):
                if isinstance(entry, BaseModel):
                    out.extend(_missing_in(entry, f"{spec.path}.{number}"))
    return out


class OrganisationFacts(_Strict):
    """What partner banks ask first, before any criteria item, grouped by the bank's headings.
    Missing facts are reported as gaps, by dotted path."""

    eligibility: Eligibility = Field(default_factory=Eligibility, description="Eligibility")
    service: ServiceUse = Field(default_factory=ServiceUse, description="Service and API use")
    user_protection: UserProtection = Field(default_factory=UserProtection, description="User protection")
    cooperation: Cooperation = Field(default_factory=Cooperation, description="Cooperation with the bank")
    outsourcing: Outsourcing = Field(default_factory=Outsourcing, description="Outsourcing register")
    governance: Governance = Field(default_factory=Governance, description="Governance")

    @model_validator(mode="before")
    @classmethod
    def _from_flat(cls, data: Any) -> Any:
        """Read the flat facts of workspace format 2 into their groups."""
        if not isinstance(data, dict) or not any(k in LEGACY_FACTS for k in data):
            return data
        moved = {k: (dict(v) if isinstance(v, dict) else v) for k, v in data.items() if k not in LEGACY_FACTS}
        for old, new in LEGACY_FACTS.items():
            if old not in data or data[old] is None:
                continue
            group, name = new.split(".")
            target = moved.setdefault(group, {})
            if not isinstance(target, dict):
                return data  # let validation say what is wrong with the group
            if name in target:
                raise ValueError(f"{old} and {new} both given: keep {new}")
            target[name] = data[old]
        return moved

    def missing(self) -> list[str]:
        """Every missing fact by dotted path, in the order reports show them."""
        out: list[str] = []
        for group in FACT_GROUPS:
            out.extend(_missing_in(getattr(self, group), group))
        return out

    def group_missing(self, group: str) -> list[str]:
        return _missing_in(getattr(self, group), group)

    def value_at(self, path: str) -> Any:
        """The value at a dotted path (a model, a list or a plain value); KeyError if the path names no
        fact or no entry."""
        current: Any = self
        for part in path.split("."):
            if isinstance(current, list) and part.isdigit():
                number = int(part)
                if not 1 <= number <= len(current):
                    raise KeyError(path)
                current = current[number - 1]
            elif isinstance(current, BaseModel) and part in type(current).model_fields:
                current = getattr(current, part)
            elif current is None and fact_field(path) is not None:
                return None  # inside a record that is not given yet
            else:
                raise KeyError(path)
        return current

    def with_value(self, path: str, value: Any) -> OrganisationFacts:
        """A copy with ``value`` (plain data) at ``path``; None clears a fact or removes an entry. Raises
        KeyError for a path that names no fact or entry, ValidationError for a value that breaks a rule."""
        if path not in FACT_GROUPS and fact_field(path) is None and not is_entry_path(path):
            raise KeyError(path)
        data = self.model_dump(mode="json", exclude_none=True)
        parts = path.split(".")
        node: Any = data
        for n, part in enumerate(parts[:-1]):
            following = parts[n + 1]
            if isinstance(node, list):
                number = int(part)
                if not 1 <= number <= len(node):
                    raise KeyError(path)
                node = node[number - 1]
            else:
                if value is None and part not in node:
                    return self  # clearing what is not there
                node = node.setdefault(part, [] if following.isdigit() else {})
        last = parts[-1]
        if isinstance(node, list):
            number = int(last)
            if not 1 <= number <= len(node):
                raise KeyError(path)
            if value is None:
                node.pop(number - 1)
            else:
                node[number - 1] = value
        elif value is None:
            node.pop(last, None)
        else:
            node[last] = value
        return OrganisationFacts.model_validate(data)


def is_entry_path(path: str) -> bool:
    """``group.register.N``: one entry of a register as a whole."""
    head, _, number = path.rpartition(".")
    spec = fact_field(head)
    return number.isdigit() and spec is not None and spec.kind == FactKind.ENTRIES


def fact_path_exists(facts: OrganisationFacts, path: str) -> bool:
    """Whether ``path`` names a fact, a group or an existing register entry (what evidence can be about)."""
    if path in FACT_GROUPS:
        return True
    if fact_field(path) is None and not is_entry_path(path):
        return False
    try:
        facts.value_at(path)
    except KeyError:
        return False
    return True


class WorkspaceMeta(_Strict):
    """antai.yaml: the workspace itself."""

    organisation: Name
    catalog_version: Annotated[str, StringConstraints(pattern=r"^\d+\.\d+\.\d+$")]
    languages: list[Annotated[str, StringConstraints(pattern=r"^(ja|en)$")]] = Field(
        default_factory=lambda: ["ja", "en"]
    )
    created: dt.date
    format: int = Field(default=1, ge=1, description="Workspace format; a newer antai writes a higher number")


class AnswersFile(_Strict):
    answers: dict[ItemId, Answer] = Field(default_factory=dict)


class DecisionsFile(_Strict):
    acceptances: list[Acceptance] = Field(default_factory=list)


class EvidenceIndex(_Strict):
    evidence: list[EvidenceRecord] = Field(default_factory=list)


class ArchiveCause(StrEnum):
    CATALOG = "catalog"  # a catalog upgrade removed the item
    PROFILE = "profile"  # a profile change made the item stop applying


class ArchivedAnswer(_Strict):
    item: ItemId
    title: Text
    removed_in: str
    answer: Answer
    cause: ArchiveCause = ArchiveCause.CATALOG
    archived: dt.date | None = None


class ArchiveFile(_Strict):
    archived: list[ArchivedAnswer] = Field(default_factory=list)
