"""From profile to plan: which items apply, why, and in which order to do them.

Mandatory items always apply; conditional items apply when their condition holds for the profile and its
derived risk levels. Priority comes from the tier and the item's severity; within a priority, cheaper items
come first and quick wins (high priority, low effort) are called out, because the seed weighs each measure
against its cost to decide where a small team's effort goes first.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from enum import StrEnum
from typing import Any

from antai.catalog import Catalog
from antai.catalog.conditions import (
    LEVEL_KEYS,
    AllOf,
    AnyOf,
    AtLeast,
    Facts,
    Level,
    LevelAtLeast,
    describe,
)
from antai.catalog.model import ItemFacts
from antai.catalog.schema import Effort, Severity
from antai.labels import label
from antai.tailoring.profile import Profile
from antai.tailoring.risk import RiskLevels, assess_risk

Condition = AnyOf | AllOf | Facts
RISK_LEVELS = frozenset(f.name for f in fields(RiskLevels))

# priority (1 = do first) by tier and severity; a higher tier never makes an item less urgent
PRIORITY: dict[Level, dict[Severity, int]] = {
    Level.LOW: {Severity.CRITICAL: 1, Severity.HIGH: 2, Severity.MEDIUM: 3, Severity.LOW: 4},
    Level.MEDIUM: {Severity.CRITICAL: 1, Severity.HIGH: 2, Severity.MEDIUM: 3, Severity.LOW: 4},
    Level.HIGH: {Severity.CRITICAL: 1, Severity.HIGH: 1, Severity.MEDIUM: 2, Severity.LOW: 3},
}
QUICK_WIN_PRIORITY = 2  # priority 1 or 2 with low effort
_EFFORT_ORDER = {Effort.LOW: 0, Effort.MEDIUM: 1, Effort.HIGH: 2}


@dataclass(frozen=True)
class PlannedItem:
    id: str
    chapter: int
    priority: int
    mandatory: bool
    severity: Severity
    effort: Effort
    reasons: tuple[str, ...]

    @property
    def quick_win(self) -> bool:
        return self.priority <= QUICK_WIN_PRIORITY and self.effort == Effort.LOW

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "priority": self.priority,
            "reasons": list(self.reasons),
            "chapter": self.chapter,
            "mandatory": self.mandatory,
            "severity": self.severity.value,
            "effort": self.effort.value,
            "quick_win": self.quick_win,
        }


@dataclass(frozen=True)
class ExcludedItem:
    id: str
    chapter: int
    reasons: tuple[str, ...]

    def as_dict(self) -> dict[str, Any]:
        return {"id": self.id, "chapter": self.chapter, "reasons": list(self.reasons)}


@dataclass(frozen=True)
class Plan:
    profile: Profile
    risk: RiskLevels
    catalog_version: str
    lang: str
    items: tuple[PlannedItem, ...]
    excluded: tuple[ExcludedItem, ...] = field(default_factory=tuple)

    @property
    def ids(self) -> set[str]:
        return {i.id for i in self.items}

    @property
    def quick_wins(self) -> list[PlannedItem]:
        return [i for i in self.items if i.quick_win]

    def by_chapter(self) -> dict[int, tuple[int, int]]:
        """Chapter → (selected, excluded)."""
        counts: dict[int, list[int]] = {}
        for i in self.items:
            counts.setdefault(i.chapter, [0, 0])[0] += 1
        for e in self.excluded:
            counts.setdefault(e.chapter, [0, 0])[1] += 1
        return {k: (v[0], v[1]) for k, v in sorted(counts.items())}

    def as_dict(self) -> dict[str, Any]:
        return {
            "schema": "antai.plan/1",
            "catalog_version": self.catalog_version,
            "profile": self.profile.model_dump(mode="json"),
            "risk": self.risk.as_dict(self.lang),
            "summary": {
                "selected": len(self.items),
                "excluded": len(self.excluded),
                "mandatory": sum(1 for i in self.items if i.mandatory),
                "quick_wins": [i.id for i in self.quick_wins],
                "by_priority": {str(p): sum(1 for i in self.items if i.priority == p) for p in (1, 2, 3, 4)},
                "by_chapter": {str(k): {"selected": v[0], "excluded": v[1]} for k, v in self.by_chapter().items()},
            },
            "items": [i.as_dict() for i in self.items],
            "excluded": [e.as_dict() for e in self.excluded],
        }


def _key_label(key: str, lang: str) -> str:
    return label(f"profile.{key}", lang)


class UnknownFact(TypeError):
    """A condition tests a fact the evaluator cannot check; refusing is safer than letting it hold."""


def _profile_fact(profile: Profile, key: str, kind: type) -> Any:
    """The profile's value of ``key``, which must exist and be of ``kind`` (a bool is no number)."""
    if key not in type(profile).model_fields:
        raise UnknownFact(f"the profile has no fact '{key}'")
    value = getattr(profile, key)
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        raise UnknownFact(f"profile fact '{key}' is {type(value).__name__}, not {kind.__name__}")
    return value


def _fact_reason(key: str, wanted: object, profile: Profile, risk: RiskLevels, lang: str) -> str | None:
    """Why one fact holds, or None when it does not. Dispatches on the kind of the wanted value."""
    name = _key_label(key, lang)
    if isinstance(wanted, LevelAtLeast):
        if key not in RISK_LEVELS:
            raise UnknownFact(f"'{key}' is not a derived risk level")
        actual_level = risk.level(key)
        if actual_level.rank < wanted.gte.rank:
            return None
        return f"{name} {label(actual_level.value, lang)} ≥ {label(wanted.gte.value, lang)}"
    if isinstance(wanted, AtLeast):
        actual: int = _profile_fact(profile, key, int)
        if actual < wanted.gte:
            return None
        return f"{name} {actual:,} ≥ {wanted.gte:,}"
    if wanted is True:
        return name if _profile_fact(profile, key, bool) else None
    if isinstance(wanted, list) and wanted and all(isinstance(v, StrEnum) for v in wanted):
        values: list[StrEnum] = _profile_fact(profile, key, list)
        matched = sorted(set(wanted) & set(values))
        if not matched:
            return None
        return f"{name}: {', '.join(v.value for v in matched)}"
    # fail closed: a fact kind added to the language without an evaluator must not count as holding
    raise UnknownFact(f"cannot evaluate condition fact {key}: {wanted!r}")


def _fact_reasons(facts: Facts, profile: Profile, risk: RiskLevels, lang: str) -> list[str] | None:
    """The reasons the facts hold (one per fact), or None if any fact does not hold."""
    reasons = []
    for key in sorted(facts.model_fields_set):
        reason = _fact_reason(key, getattr(facts, key), profile, risk, lang)
        if reason is None:
            return None
        reasons.append(reason)
    return reasons


def evaluate(condition: Condition, profile: Profile, risk: RiskLevels, lang: str = "en") -> list[str] | None:
    """The profile facts that make ``condition`` hold, or None when it does not hold."""
    if isinstance(condition, Facts):
        return _fact_reasons(condition, profile, risk, lang)
    if isinstance(condition, AnyOf):
        found = [evaluate(c, profile, risk, lang) for c in condition.any]
        holding = [r for r in found if r is not None]
        if not holding:
            return None
        return list(dict.fromkeys(reason for reasons in holding for reason in reasons))
    if isinstance(condition, AllOf):
        parts = [evaluate(c, profile, risk, lang) for c in condition.all]
        held = [p for p in parts if p is not None]
        if len(held) < len(parts):
            return None
        return list(dict.fromkeys(reason for reasons in held for reason in reasons))
    raise UnknownFact(f"cannot evaluate condition {condition!r}")


def _keys(condition: Condition) -> set[str]:
    if isinstance(condition, Facts):
        return set(condition.model_fields_set)
    children = condition.any if isinstance(condition, AnyOf) else condition.all
    return set().union(*(_keys(c) for c in children))


def _profile_value(key: str, profile: Profile, risk: RiskLevels, lang: str) -> str:
    if key in LEVEL_KEYS:
        return label(risk.level(key).value, lang)
    value = getattr(profile, key)
    if isinstance(value, list):
        return ", ".join(v.value for v in value) or ("なし" if lang == "ja" else "none")
    if isinstance(value, bool):
        return ("はい" if value else "いいえ") if lang == "ja" else ("yes" if value else "no")
    return f"{value:,}"


def _exclusion_reasons(item: ItemFacts, profile: Profile, risk: RiskLevels, lang: str) -> tuple[str, ...]:
    condition = item.applicability.when
    assert condition is not None
    needed = describe(condition)
    current = "; ".join(
        f"{_key_label(k, lang)} = {_profile_value(k, profile, risk, lang)}" for k in sorted(_keys(condition))
    )
    if lang == "ja":
        return (f"適用条件を満たさない: {needed}", f"このサービス: {current}")
    return (f"condition not met: {needed}", f"this service: {current}")


def make_plan(catalog: Catalog, profile: Profile, lang: str = "en") -> Plan:
    risk = assess_risk(profile)
    tier = risk.tier.level
    selected: list[tuple[tuple[int, int, bool, int], PlannedItem]] = []
    excluded: list[ExcludedItem] = []
    for position, item in enumerate(catalog.rules):
        condition = item.applicability.when
        if condition is None:
            reasons: list[str] | None = [label("plan.mandatory_reason", lang)]
        else:
            reasons = evaluate(condition, profile, risk, lang)
        if reasons is None:
            excluded.append(ExcludedItem(item.id, item.chapter, _exclusion_reasons(item, profile, risk, lang)))
            continue
        planned = PlannedItem(
            id=item.id,
            chapter=item.chapter,
            priority=PRIORITY[tier][item.severity],
            mandatory=item.mandatory,
            severity=item.severity,
            effort=item.effort,
            reasons=tuple(reasons),
        )
        # False sorts first: mandatory before conditional
        order = (planned.priority, _EFFORT_ORDER[item.effort], not item.mandatory, position)
        selected.append((order, planned))
    selected.sort(key=lambda pair: pair[0])
    return Plan(
        profile=profile,
        risk=risk,
        catalog_version=catalog.version,
        lang=lang,
        items=tuple(p for _, p in selected),
        excluded=tuple(excluded),
    )
