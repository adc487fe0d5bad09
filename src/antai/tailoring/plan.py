"""From profile to plan: which items apply, why, how risky each is for this venture, and in which phase to do it.

Mandatory items always apply; conditional items apply when their condition holds for the profile and its
derived levels. An item's risk for this venture combines its severity with the levels (confidentiality,
integrity, availability) of the properties it protects, so an availability control follows availability and
not data sensitivity. Its phase — before launch or bank connection (the gate), within 90 days, within a year,
later — follows from that risk and its effort; advanced items go one phase later, and an item's dependencies
are planned no later than the item. Within a phase, cheaper items come first (quick wins), because the seed
weighs each measure against its cost to decide where a small team's effort goes first.

Every step only looks at the presence of risk factors, so raising any factor never removes an item, never
lowers a level and never moves an item to a later phase.
"""

from __future__ import annotations

from dataclasses import dataclass, field
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
)
from antai.catalog.model import ItemFacts
from antai.catalog.schema import CIA, CsfFunction, Effort, ItemLevel, Severity, effort_of
from antai.labels import label
from antai.tailoring.profile import Profile
from antai.tailoring.questionnaire import choice_label
from antai.tailoring.risk import ALIASES, LEVEL_NAMES, RiskLevels, assess_risk

Condition = AnyOf | AllOf | Facts
RISK_LEVELS = frozenset((*LEVEL_NAMES, *ALIASES))


class ItemRisk(StrEnum):
    """How much an item's absence would hurt this venture."""

    CRITICAL = "critical"
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"

    @property
    def rank(self) -> int:  # 0 = worst
        return list(ItemRisk).index(self)


class Phase(StrEnum):
    GATE = "gate"  # before launch or bank connection
    DAYS_90 = "days_90"
    YEAR_1 = "year_1"
    LATER = "later"

    @property
    def rank(self) -> int:  # 0 = first
        return list(Phase).index(self)

    @property
    def target_days(self) -> int | None:
        """The phase's deadline in days from the start; the gate's is the launch, the last has none."""
        return {"gate": 0, "days_90": 90, "year_1": 365, "later": None}[self.value]


# item risk by the highest level among the properties it protects, then its severity. A critical control stays
# critical for a venture of medium level; a venture of low level has no critical items.
ITEM_RISK: dict[Level, dict[Severity, ItemRisk]] = {
    Level.HIGH: {
        Severity.CRITICAL: ItemRisk.CRITICAL,
        Severity.HIGH: ItemRisk.HIGH,
        Severity.MEDIUM: ItemRisk.MEDIUM,
        Severity.LOW: ItemRisk.LOW,
    },
    Level.MEDIUM: {
        Severity.CRITICAL: ItemRisk.CRITICAL,
        Severity.HIGH: ItemRisk.MEDIUM,
        Severity.MEDIUM: ItemRisk.MEDIUM,
        Severity.LOW: ItemRisk.LOW,
    },
    Level.LOW: {
        Severity.CRITICAL: ItemRisk.HIGH,
        Severity.HIGH: ItemRisk.MEDIUM,
        Severity.MEDIUM: ItemRisk.LOW,
        Severity.LOW: ItemRisk.LOW,
    },
}
# phase by item risk and effort: expensive work at the same risk waits one phase, so the gate stays short
PHASE: dict[ItemRisk, dict[Effort, Phase]] = {
    ItemRisk.CRITICAL: {Effort.LOW: Phase.GATE, Effort.MEDIUM: Phase.GATE, Effort.HIGH: Phase.DAYS_90},
    ItemRisk.HIGH: {Effort.LOW: Phase.DAYS_90, Effort.MEDIUM: Phase.YEAR_1, Effort.HIGH: Phase.YEAR_1},
    ItemRisk.MEDIUM: {Effort.LOW: Phase.YEAR_1, Effort.MEDIUM: Phase.LATER, Effort.HIGH: Phase.LATER},
    ItemRisk.LOW: {Effort.LOW: Phase.LATER, Effort.MEDIUM: Phase.LATER, Effort.HIGH: Phase.LATER},
}
_EFFORT_ORDER = {Effort.LOW: 0, Effort.MEDIUM: 1, Effort.HIGH: 2}
_PHASES = list(Phase)


@dataclass(frozen=True)
class PhaseReason:
    """Why an item is in its phase, as data (adapters word it)."""

    risk: ItemRisk
    level: Level  # the highest level among the properties the item protects
    protects: tuple[str, ...]  # those properties
    severity: Severity
    effort: Effort
    advanced: bool  # moved one phase later
    pulled_by: tuple[str, ...] = ()  # items that depend on it and pulled it earlier
    funds_at_stake: bool = False  # critical for funds at a high integrity level: before launch whatever its effort

    def as_dict(self) -> dict[str, Any]:
        return {
            "risk": self.risk.value,
            "level": self.level.value,
            "protects": list(self.protects),
            "severity": self.severity.value,
            "effort": self.effort.value,
            "advanced": self.advanced,
            "pulled_by": list(self.pulled_by),
            "funds_at_stake": self.funds_at_stake,
        }


@dataclass(frozen=True)
class PlannedItem:
    id: str
    chapter: int
    mandatory: bool
    severity: Severity
    effort_days: tuple[float, float]
    risk: ItemRisk
    phase: Phase
    phase_reason: PhaseReason
    reasons: tuple[str, ...]
    level: ItemLevel = ItemLevel.BASELINE
    csf: CsfFunction = CsfFunction.PROTECT
    depends_on: tuple[str, ...] = ()

    @property
    def effort(self) -> Effort:
        return effort_of(self.effort_days)

    @property
    def days(self) -> float:
        """The expected person-days: the middle of the range."""
        return (self.effort_days[0] + self.effort_days[1]) / 2

    @property
    def priority(self) -> int:
        """1–4 by phase (1 = the gate), for listings that sort by a number."""
        return self.phase.rank + 1

    @property
    def quick_win(self) -> bool:
        return self.phase in (Phase.GATE, Phase.DAYS_90) and self.effort == Effort.LOW

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "phase": self.phase.value,
            "priority": self.priority,
            "risk": self.risk.value,
            "reasons": list(self.reasons),
            "phase_reason": self.phase_reason.as_dict(),
            "chapter": self.chapter,
            "mandatory": self.mandatory,
            "level": self.level.value,
            "csf": self.csf.value,
            "severity": self.severity.value,
            "effort": self.effort.value,
            "effort_days": list(self.effort_days),
            "depends_on": list(self.depends_on),
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

    def get(self, item_id: str) -> PlannedItem | None:
        return next((i for i in self.items if i.id == item_id), None)

    @property
    def quick_wins(self) -> list[PlannedItem]:
        return [i for i in self.items if i.quick_win]

    def in_phase(self, phase: Phase) -> list[PlannedItem]:
        return [i for i in self.items if i.phase == phase]

    def phase_days(self, phase: Phase) -> float:
        return sum(i.days for i in self.items if i.phase == phase)

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
            "schema": "antai.plan/2",
            "catalog_version": self.catalog_version,
            "profile": self.profile.model_dump(mode="json"),
            "risk": self.risk.as_dict(self.lang),
            "summary": {
                "selected": len(self.items),
                "excluded": len(self.excluded),
                "mandatory": sum(1 for i in self.items if i.mandatory),
                "quick_wins": [i.id for i in self.quick_wins],
                "by_phase": {
                    p.value: {"items": len(self.in_phase(p)), "person_days": round(self.phase_days(p), 1)}
                    for p in Phase
                },
                "by_risk": {r.value: sum(1 for i in self.items if i.risk == r) for r in ItemRisk},
                "by_chapter": {str(k): {"selected": v[0], "excluded": v[1]} for k, v in self.by_chapter().items()},
            },
            "items": [i.as_dict() for i in self.items],
            "excluded": [e.as_dict() for e in self.excluded],
        }


def _key_label(key: str, lang: str) -> str:
    return label(f"profile.{ALIASES.get(key, key)}", lang)


def _value_label(value: StrEnum, lang: str) -> str:
    return choice_label(value.value, lang)


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
        return f"{name}: {', '.join(_value_label(v, lang) for v in matched)}"
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


def describe_condition(condition: Condition, lang: str) -> str:
    """A condition in words of ``lang``: labels for keys and values, または/かつ (or/and) between parts."""
    if isinstance(condition, AnyOf | AllOf):
        children = condition.any if isinstance(condition, AnyOf) else condition.all
        joiner = (
            (" または " if lang == "ja" else " or ")
            if isinstance(condition, AnyOf)
            else ("、かつ " if lang == "ja" else " and ")
        )
        parts = [describe_condition(c, lang) for c in children]
        return joiner.join(
            f"（{p}）" if lang == "ja" and _compound(c) else f"({p})" if _compound(c) else p
            for c, p in zip(children, parts, strict=True)
        )
    parts = []
    for key in sorted(condition.model_fields_set):
        wanted = getattr(condition, key)
        name = _key_label(key, lang)
        if isinstance(wanted, LevelAtLeast):
            parts.append(
                f"{name} {label(wanted.gte.value, lang)}以上" if lang == "ja" else f"{name} {wanted.gte.value} or above"
            )
        elif isinstance(wanted, AtLeast):
            parts.append(f"{name} {wanted.gte:,} 以上" if lang == "ja" else f"{name} {wanted.gte:,} or more")
        elif isinstance(wanted, list):
            values = ("、" if lang == "ja" else ", ").join(_value_label(v, lang) for v in wanted)
            parts.append(f"{name}: {values}")
        else:
            parts.append(name)
    return ("、かつ " if lang == "ja" else " and ").join(parts)


def _compound(condition: Condition) -> bool:
    return isinstance(condition, AnyOf | AllOf) or len(condition.model_fields_set) > 1


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
        return ", ".join(_value_label(v, lang) for v in value) or ("なし" if lang == "ja" else "none")
    if isinstance(value, bool):
        return ("はい" if value else "いいえ") if lang == "ja" else ("yes" if value else "no")
    return f"{value:,}"


def _exclusion_reasons(item: ItemFacts, profile: Profile, risk: RiskLevels, lang: str) -> tuple[str, ...]:
    condition = item.applicability.when
    assert condition is not None
    needed = describe_condition(condition, lang)
    current = "; ".join(
        f"{_key_label(k, lang)} = {_profile_value(k, profile, risk, lang)}" for k in sorted(_keys(condition))
    )
    if lang == "ja":
        return (f"適用条件を満たさない: {needed}", f"このサービス: {current}")
    return (f"condition not met: {needed}", f"this service: {current}")


def item_risk(item: ItemFacts, risk: RiskLevels) -> tuple[ItemRisk, Level, tuple[str, ...]]:
    """The item's risk for this venture, the level that set it and the properties at that level."""
    top = max((risk.of(prop) for prop in item.cia), key=lambda level: level.rank)
    protects = tuple(prop.value for prop in item.cia if risk.of(prop) == top)
    return ITEM_RISK[top][item.severity], top, protects


def funds_at_stake(found: ItemRisk, level: Level, protects: tuple[str, ...]) -> bool:
    """A critical item guarding integrity where the venture moves money or holds signing keys (integrity high):
    a gap is a direct, irreversible loss of customer funds from the first day, so effort cannot defer it."""
    return found == ItemRisk.CRITICAL and level == Level.HIGH and CIA.INTEGRITY.value in protects


def _phase(item: ItemFacts, found: ItemRisk, funds: bool) -> tuple[Phase, bool, bool]:
    """The phase, whether the item moved later as advanced, and whether funds at stake brought it forward."""
    phase = PHASE[found][item.effort]
    forward = funds and phase != Phase.GATE
    if forward:
        phase = Phase.GATE
    if item.level == ItemLevel.ADVANCED and phase != Phase.LATER:
        return _PHASES[phase.rank + 1], True, forward
    return phase, False, forward


def make_plan(catalog: Catalog, profile: Profile, lang: str = "en") -> Plan:
    risk = assess_risk(profile)
    chosen: list[tuple[int, ItemFacts, tuple[str, ...]]] = []
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
        chosen.append((position, item, tuple(reasons)))
    phases: dict[str, Phase] = {}
    details: dict[str, tuple[ItemRisk, Level, tuple[str, ...], bool, bool]] = {}
    for _, item, _ in chosen:
        found, level, protects = item_risk(item, risk)
        phase, advanced, funds = _phase(item, found, funds_at_stake(found, level, protects))
        phases[item.id] = phase
        details[item.id] = (found, level, protects, advanced, funds)
    pulled = _pull_dependencies(chosen, phases)
    selected: list[tuple[tuple[int, int, int, bool, int], PlannedItem]] = []
    for position, item, reasons_held in chosen:
        found, level, protects, advanced, funds = details[item.id]
        planned = PlannedItem(
            id=item.id,
            chapter=item.chapter,
            mandatory=item.mandatory,
            severity=item.severity,
            effort_days=item.effort_days,
            risk=found,
            phase=phases[item.id],
            phase_reason=PhaseReason(
                risk=found,
                level=level,
                protects=protects,
                severity=item.severity,
                effort=item.effort,
                advanced=advanced,
                pulled_by=tuple(sorted(pulled.get(item.id, ()))),
                funds_at_stake=funds,
            ),
            reasons=reasons_held,
            level=item.level,
            csf=item.csf,
            depends_on=tuple(item.depends_on),
        )
        # quick wins first within a phase, then the riskier, mandatory before conditional, catalog order
        order = (planned.phase.rank, _EFFORT_ORDER[planned.effort], found.rank, not item.mandatory, position)
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


def _pull_dependencies(
    chosen: list[tuple[int, ItemFacts, tuple[str, ...]]], phases: dict[str, Phase]
) -> dict[str, set[str]]:
    """Move every planned dependency no later than the earliest planned item that needs it (in place);
    returns, per pulled item, the items that need it in its new phase (whatever the catalog order).
    Dependencies outside the plan are left out."""
    from graphlib import CycleError, TopologicalSorter

    needs = {item.id: [d for d in item.depends_on if d in phases] for _, item, _ in chosen}
    base = dict(phases)
    try:  # dependents before their dependencies, so one pass carries every phase down a chain
        order = list(reversed(list(TopologicalSorter(needs).static_order())))
    except CycleError:  # the catalog refuses cycles; an unchecked one still ends, in catalog order
        order = list(needs)
    for item_id in order:
        for dep in needs.get(item_id, ()):
            if phases[dep].rank > phases[item_id].rank:
                phases[dep] = phases[item_id]
    pulled: dict[str, set[str]] = {}
    for item_id, deps in needs.items():
        for dep in deps:
            if phases[dep] != base[dep] and phases[item_id] == phases[dep]:
                pulled.setdefault(dep, set()).add(item_id)
    return pulled
