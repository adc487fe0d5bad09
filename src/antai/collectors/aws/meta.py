"""What every AWS check declares beside its code (the shared parts are in :mod:`antai.collectors.base`),
and what it yields."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from antai.assessment.verdicts import FindingStatus, Severity
from antai.collectors.base import Result, Text, failed, not_applicable, passed

if TYPE_CHECKING:
    from antai.collectors.aws.inventory import Failure, Inventory


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


def errored(resource: str, failure: Failure) -> Result:
    """The data the check needs could not be fetched (``failure`` names the denied action)."""
    return Result(FindingStatus.ERROR, resource, failure.observed)


Evaluate = Callable[["Inventory"], Iterator[Result]]

__all__ = ["CheckMeta", "Evaluate", "Result", "Text", "errored", "failed", "not_applicable", "passed"]
