"""What every collector's checks share: the metadata a check declares beside its code, the verdicts it
yields, and the loop that turns verdicts into findings.

A check is a module with ``META`` (a :class:`CheckMeta`) and ``evaluate(facts)``, which yields
:class:`Result` values about what one collector gathered (an app package's manifest, a web endpoint's
answers, a zone's records). Gathering happens once per target, before any check runs, so a check never does
I/O of its own and can be tested on hand-made facts.

A *signal* (``CheckMeta.signal``) is a heuristic: a string in an app's code that suggests a library is used.
It is reported as a :class:`~antai.assessment.findings.Signal`, never as a verdict, so it cannot make an
item look done.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from types import ModuleType
from typing import TYPE_CHECKING, Any, NamedTuple, Protocol

from antai.assessment.verdicts import FindingStatus, Severity

if TYPE_CHECKING:
    from antai.assessment.findings import Finding, ScanRun, Signal

__all__ = [
    "CheckMeta",
    "Result",
    "Text",
    "errored",
    "evaluate",
    "failed",
    "not_applicable",
    "passed",
    "seen",
]


class Text(NamedTuple):
    """A sentence in Japanese (the reference) and English."""

    ja: str
    en: str

    def get(self, lang: str) -> str:
        return self.ja if lang == "ja" else self.en


@dataclass(frozen=True)
class CheckMeta:
    """A check's identity, the items it is evidence for, and its wording.

    ``id`` is dotted by collector (``apk.allow_backup``, ``web.hsts``). ``signal`` marks a heuristic whose
    results are signals, not verdicts (see the module's docstring).
    """

    id: str
    items: tuple[str, ...]
    severity: Severity
    title: Text
    rationale: Text
    remediation: Text
    signal: bool = False


@dataclass(frozen=True, slots=True)
class Result:
    """One verdict of a check on one resource (for a signal check: PASS means "seen", FAIL "not seen")."""

    status: FindingStatus
    resource: str
    observed: str | None = None


def passed(resource: str, observed: str | None = None) -> Result:
    return Result(FindingStatus.PASS, resource, observed)


def failed(resource: str, observed: str | None = None) -> Result:
    return Result(FindingStatus.FAIL, resource, observed)


def not_applicable(resource: str, observed: str | None = None) -> Result:
    return Result(FindingStatus.NOT_APPLICABLE, resource, observed)


def errored(resource: str, observed: str) -> Result:
    """The check could not look (a timeout, an unreadable file): proves nothing, never a pass."""
    return Result(FindingStatus.ERROR, resource, observed)


def seen(resource: str, observed: str | None, found: bool) -> Result:
    """A signal check's result: whether the hint was found."""
    return Result(FindingStatus.PASS if found else FindingStatus.FAIL, resource, observed)


Evaluate = Callable[[Any], Iterator[Result]]


def evaluate(checks: Iterable[ModuleType], facts: Any, run: ScanRun, lang: str, *, resource: str) -> None:
    """Run every check on ``facts`` and add what they yield to ``run``: verdicts as findings, signal checks'
    results as signals. A check that raises on facts it did not expect yields one ``error`` finding on
    ``resource`` (it proves nothing) instead of stopping the others."""
    for module in checks:
        meta: CheckMeta = module.META
        try:
            results = list(module.evaluate(facts))
        except Exception as exc:
            results = [errored(resource, f"{type(exc).__name__} while evaluating")]
        for result in results:
            if meta.signal and result.status in (FindingStatus.PASS, FindingStatus.FAIL):
                run.signals.append(signal(meta, result, lang))
            else:
                run.add(finding(meta, result, lang))


class Described(Protocol):
    """What a finding takes from any collector's check metadata."""

    @property
    def id(self) -> str: ...
    @property
    def items(self) -> tuple[str, ...]: ...
    @property
    def severity(self) -> Severity: ...
    @property
    def title(self) -> Text: ...


def finding(meta: Described, result: Result, lang: str) -> Finding:
    from antai.assessment.findings import Finding

    return Finding(
        check=meta.id,
        status=result.status,
        resource=result.resource,
        items=meta.items,
        severity=meta.severity,
        observed=result.observed,
        title=meta.title.get(lang),
    )


def signal(meta: CheckMeta, result: Result, lang: str) -> Signal:
    from antai.assessment.findings import Signal

    return Signal(
        check=meta.id,
        items=meta.items,
        resource=result.resource,
        seen=result.status is FindingStatus.PASS,
        observed=result.observed,
        title=meta.title.get(lang),
    )


def listing(checks: Iterable[ModuleType]) -> list[CheckMeta]:
    """The metadata of ``checks``, in run order."""
    return [module.META for module in checks]
