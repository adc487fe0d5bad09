"""Everything the checks read, fetched once per run: the account's data per service (and region).

A data set that could not be fetched is kept as a :class:`Failure` (the denied or failed action and its
error code) instead of its value, so the checks that needed it yield ``error`` findings and the others
still run. Per-resource attributes (a bucket's policy, a key's rotation) may be a ``Failure`` too.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

# error codes that mean "not allowed" rather than "went wrong"
DENIED_CODES = frozenset(
    {
        "AccessDenied",
        "AccessDeniedException",
        "UnauthorizedOperation",
        "UnauthorizedAccess",
        "AuthorizationError",
        "AuthorizationErrorException",
        "Forbidden",
        "ForbiddenException",
        "AllAccessDisabled",
    }
)

# the inventory's data sets; "@region" ones are kept per region
SOURCES = (
    "iam.summary",
    "iam.virtual_mfa",
    "iam.credential_report",
    "iam.authorization",
    "iam.password_policy",
    "s3.buckets",
    "s3.account_public_access_block",
    "cloudtrail.trails@region",
    "logs.metric_filters@region",
    "cloudwatch.alarms@region",
    "sns.subscriptions@region",
    "config.recorders@region",
    "config.recorder_status@region",
    "kms.keys@region",
    "ec2.security_groups@region",
    "ec2.snapshots@region",
    "ec2.images@region",
    "rds.instances@region",
    "rds.clusters@region",
    "rds.snapshots@region",
    "guardduty.detectors@region",
)
REGIONAL = frozenset(s.partition("@")[0] for s in SOURCES if s.endswith("@region"))


@dataclass(frozen=True)
class Failure:
    """A call that did not answer: the IAM action (``iam:GetCredentialReport``) and the error code."""

    action: str
    code: str

    @property
    def denied(self) -> bool:
        return self.code in DENIED_CODES

    @property
    def observed(self) -> str:
        return f"{self.code}: {self.action}"


class Unavailable(Exception):
    """A check asked for a data set that could not be fetched."""

    def __init__(self, failure: Failure) -> None:
        super().__init__(failure.observed)
        self.failure = failure


@dataclass
class CredentialKey:
    number: int  # 1 or 2
    active: bool
    last_rotated: dt.datetime | None
    last_used: dt.datetime | None


@dataclass
class CredentialRow:
    """One line of the IAM credential report (``<root_account>`` for the root user)."""

    user: str
    arn: str
    created: dt.datetime | None
    password_enabled: bool
    password_last_used: dt.datetime | None
    password_last_changed: dt.datetime | None
    mfa_active: bool
    keys: list[CredentialKey]

    @property
    def root(self) -> bool:
        return self.user == "<root_account>"


@dataclass
class Principal:
    """A user, role or group from GetAccountAuthorizationDetails, with the policies it holds."""

    kind: str  # user, role, group
    name: str
    arn: str
    path: str
    managed: list[str]  # attached managed policy ARNs
    inline: list[tuple[str, Any]]  # (policy name, document)
    groups: list[str] = field(default_factory=list)  # users only: group names


@dataclass
class Authorization:
    users: list[Principal]
    roles: list[Principal]
    groups: dict[str, Principal]
    policies: dict[str, Any]  # customer managed policy ARN -> default version's document


@dataclass
class Bucket:
    name: str
    region: str | None
    encryption: list[str] | Failure | None = None  # SSE algorithms of the default rules; None: none set
    policy: Any = None  # the policy document, None without one, or a Failure
    public_access_block: dict[str, bool] | Failure | None = None
    object_lock: dict[str, Any] | Failure | None = None  # only for trail buckets

    @property
    def arn(self) -> str:
        return f"arn:aws:s3:::{self.name}"


@dataclass
class Trail:
    arn: str
    name: str
    home_region: str
    multi_region: bool
    log_validation: bool
    bucket: str | None
    log_group_arn: str | None
    logging: bool | Failure | None = None
    management_events: bool | Failure | None = None


@dataclass
class Key:
    arn: str
    manager: str | Failure | None = None  # CUSTOMER or AWS
    spec: str | None = None
    origin: str | None = None
    state: str | None = None
    rotation: bool | Failure | None = None


@dataclass
class Snapshot:
    """An EBS or RDS snapshot the account owns; ``public`` is whether anyone may restore it."""

    arn: str
    id: str
    public: bool | Failure | None = None


@dataclass
class Detector:
    id: str
    status: str | Failure | None = None


class Inventory:
    """The data sets of one run; written by the fetch threads, read by the checks afterwards."""

    def __init__(
        self,
        account: str,
        partition: str,
        regions: tuple[str, ...],
        now: dt.datetime,
        break_glass: tuple[str, ...] = (),
    ) -> None:
        self.account = account
        self.partition = partition
        self.regions = regions
        self.now = now
        self.break_glass = break_glass
        self.buckets_by_name: dict[str, Bucket] = {}
        self._data: dict[str, Any] = {}
        self._failures: dict[str, Failure] = {}
        self._lock = threading.Lock()

    @staticmethod
    def _key(source: str, region: str | None) -> str:
        return source if region is None else f"{source}@{region}"

    def put(self, source: str, value: Any, region: str | None = None) -> None:
        with self._lock:
            self._data[self._key(source, region)] = value

    def fail(self, source: str, failure: Failure, region: str | None = None) -> None:
        with self._lock:
            self._failures.setdefault(self._key(source, region), failure)

    def get(self, source: str) -> Any:
        """An account-wide data set; raises :class:`Unavailable` when it could not be fetched."""
        failure = self._failures.get(source)
        if failure is not None:
            raise Unavailable(failure)
        return self._data.get(source)

    def region(self, source: str, region: str) -> Any:
        """One region's data set (None when it was not fetched there); raises :class:`Unavailable`."""
        key = self._key(source, region)
        failure = self._failures.get(key)
        if failure is not None:
            raise Unavailable(failure)
        return self._data.get(key)

    def each(self, source: str) -> Iterator[tuple[str, Any]]:
        """(region, data) for every region where the data set was fetched, in region order."""
        prefix = f"{source}@"
        for key in sorted(self._data):
            if key.startswith(prefix) and key not in self._failures:
                yield key[len(prefix) :], self._data[key]

    def failures(self, sources: Iterable[str]) -> list[tuple[str | None, Failure]]:
        """(region or None, failure) for every data set among ``sources`` that could not be fetched."""
        found = []
        for source in sources:
            for key, failure in sorted(self._failures.items()):
                name, _, region = key.partition("@")
                if name == source:
                    found.append((region or None, failure))
        return found

    # resource names
    def scope(self, region: str | None = None) -> str:
        return self.account if region is None else f"{self.account}/{region}"

    def root_arn(self) -> str:
        return f"arn:{self.partition}:iam::{self.account}:root"
