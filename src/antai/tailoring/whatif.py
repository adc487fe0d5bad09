"""What-if: how a change to the profile changes the plan (items in and out, levels, phases)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from antai.tailoring.plan import Plan


@dataclass(frozen=True)
class PlanChange:
    before: Plan
    after: Plan
    entered: tuple[str, ...]
    left: tuple[str, ...]
    levels: tuple[tuple[str, str, str], ...]  # (name, before, after) for each level that changed
    reprioritised: tuple[tuple[str, str, str], ...]  # (item, phase before, phase after)

    @property
    def empty(self) -> bool:
        return not (self.entered or self.left or self.levels or self.reprioritised)

    def as_dict(self) -> dict[str, Any]:
        return {
            "entered": list(self.entered),
            "left": list(self.left),
            "levels": [{"name": n, "before": b, "after": a} for n, b, a in self.levels],
            "reprioritised": [{"id": i, "before": b, "after": a} for i, b, a in self.reprioritised],
            "before": {"selected": len(self.before.items), "tier": self.before.risk.tier.level.value},
            "after": {"selected": len(self.after.items), "tier": self.after.risk.tier.level.value},
        }


def compare(before: Plan, after: Plan) -> PlanChange:
    old = {i.id: i for i in before.items}
    new = {i.id: i for i in after.items}
    levels = tuple(
        (name, before.risk.level(name).value, after.risk.level(name).value)
        for name in ("confidentiality", "integrity", "availability", "tier")
        if before.risk.level(name) != after.risk.level(name)
    )
    return PlanChange(
        before=before,
        after=after,
        entered=tuple(i for i in new if i not in old),
        left=tuple(i for i in old if i not in new),
        levels=levels,
        reprioritised=tuple(
            (i, old[i].phase.value, new[i].phase.value) for i in new if i in old and old[i].phase != new[i].phase
        ),
    )
