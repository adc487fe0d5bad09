"""What every check declares beside its code, and what it yields."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, NamedTuple

from antai.assessment.verdicts import FindingStatus, Severity

if TYPE_CHECKING:
    from antai.collectors.aws.inventory import Failure, Inventory


class Text(NamedTuple):
    """A sentence in Japanese (the reference) and English."""

    ja: str
    en: str

    def get(self, lang: str) -> str:
        return self.ja if lang == "ja" else self.en


@dataclass(frozen=True)
class CheckMeta:
    """A check's identity, the items it is evidence for, and its wording.

    ``needs`` names the inventory data sets the check reads (see :data:`antai.collectors.aws.inventory.SOURCES`);
    when one of them could not be fetched the check yields ``error`` findings naming the denied action (per
    region for regional data sets, while the regions that could be read are still evaluated).
    """

    id: str
    items: tuple[str, ...]
    severity: Severity
    title: Text
    rationale: Text
    remediation: Text
    needs: tuple[str, ...]
    # a verdict about the whole account (e.g. "some trail covers every region"): any region that could not be
    # read makes the verdict unknowable, so the check then yields only errors
    account_level: bool = False


@dataclass(frozen=True, slots=True)
class Result:
    """One verdict of a check on one resource; the runner turns it into a Finding."""

    status: FindingStatus
    resource: str
    observed: str | None = None


def passed(resource: str, observed: str | None = None) -> Result:
    return Result(FindingStatus.PASS, resource, observed)


def failed(resource: str, observed: str | None = None) -> Result:
    return Result(FindingStatus.FAIL, resource, observed)


def not_applicable(resource: str, observed: str | None = None) -> Result:
    return Result(FindingStatus.NOT_APPLICABLE, resource, observed)


def errored(resource: str, failure: Failure) -> Result:
    return Result(FindingStatus.ERROR, resource, failure.observed)


Evaluate = Callable[["Inventory"], Iterator[Result]]
