"""From plan to roadmap: the phases laid out in time with the people the venture has.

The team works through the plan in its order (phase by phase, quick wins first within a phase) at the rate its
capacity allows: engineers × the share of their time for security, in person-days per working day (Monday to
Friday; public holidays are not counted, so dates are slightly optimistic around them). Each item is expected
to take the middle of its person-day range. The roadmap says when each phase would finish, whether that meets
the phase's target (the gate before launch or bank connection, 90 days, a year), how much capacity would meet
it, and when the mandatory set would be done. Pure: the start date and the capacity are inputs.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from typing import Any

from antai.tailoring.plan import Phase, Plan

WORKING_DAYS_PER_QUARTER = 60  # about 13 weeks of 5 days, less a few days off
HORIZON_YEARS = 100  # a longer roadmap says nothing a team can plan by (and dates run out at year 9999)


@dataclass(frozen=True)
class Capacity:
    engineers: int
    share: int  # percent of their time for security work

    def __post_init__(self) -> None:
        if self.engineers < 1 or not 1 <= self.share <= 100:
            raise ValueError("capacity needs at least one engineer and a share of 1–100 %")

    @property
    def per_day(self) -> float:
        """Person-days of security work per working day."""
        return self.engineers * self.share / 100

    @property
    def per_quarter(self) -> float:
        return self.per_day * WORKING_DAYS_PER_QUARTER

    def as_dict(self) -> dict[str, Any]:
        return {
            "engineers": self.engineers,
            "share_percent": self.share,
            "person_days_per_quarter": round(self.per_quarter, 1),
        }


def capacity_of(plan: Plan, engineers: int | None = None, share: int | None = None) -> Capacity:
    """The team's capacity from the profile, with either number overridden."""
    profile = plan.profile
    return Capacity(
        engineers=engineers if engineers is not None else profile.team_engineers,
        share=share if share is not None else profile.security_share,
    )


@dataclass(frozen=True)
class ScheduledItem:
    id: str
    phase: Phase
    mandatory: bool
    days: float
    start: dt.date
    end: dt.date
    quarter: str  # "2027-Q1"

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "phase": self.phase.value,
            "mandatory": self.mandatory,
            "person_days": self.days,
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
            "quarter": self.quarter,
        }


@dataclass(frozen=True)
class PhaseSpan:
    phase: Phase
    items: int
    person_days: float
    start: dt.date | None
    finish: dt.date | None  # None when the phase is empty
    target: dt.date | None  # None for the gate (it is the launch) and for "later"
    needed_per_quarter: float | None  # capacity that would meet the target, when it is missed

    @property
    def late(self) -> bool:
        return self.target is not None and self.finish is not None and self.finish > self.target

    def as_dict(self) -> dict[str, Any]:
        return {
            "phase": self.phase.value,
            "items": self.items,
            "person_days": round(self.person_days, 1),
            "start": self.start.isoformat() if self.start else None,
            "finish": self.finish.isoformat() if self.finish else None,
            "target": self.target.isoformat() if self.target else None,
            "late": self.late,
            "needed_person_days_per_quarter": round(self.needed_per_quarter, 1) if self.needed_per_quarter else None,
        }


@dataclass(frozen=True)
class Quarter:
    key: str  # "2027-Q1"
    start: dt.date
    end: dt.date  # the last day
    items: tuple[str, ...]  # items started in the quarter, in order
    person_days: float  # work done in the quarter

    def as_dict(self) -> dict[str, Any]:
        return {
            "quarter": self.key,
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
            "items": list(self.items),
            "person_days": round(self.person_days, 1),
        }


@dataclass(frozen=True)
class YearCapacity:
    """The capacity at which the mandatory set, and the work ordered before it, ends within a year of the start."""

    by: dt.date  # a year after the start
    person_days: float  # work up to and including the last mandatory item
    per_quarter: float  # person-days a quarter that would do it
    engineers: int  # engineers needed at the team's share of time
    share: int  # share of time the current engineers would need (may exceed 100 %)

    def as_dict(self) -> dict[str, Any]:
        return {
            "by": self.by.isoformat(),
            "person_days": round(self.person_days, 1),
            "person_days_per_quarter": round(self.per_quarter, 1),
            "engineers_at_current_share": self.engineers,
            "share_percent_with_current_engineers": self.share,
        }


def year_capacity(
    plan: Plan, start: dt.date, capacity: Capacity, mandatory_done: dt.date | None
) -> YearCapacity | None:
    """None when the mandatory set already ends within a year (or there is none)."""
    by = _a_year_after(start)
    if mandatory_done is None or mandatory_done <= by:
        return None
    last = max(n for n, item in enumerate(plan.items) if item.mandatory)
    through = sum(item.days for item in plan.items[: last + 1])
    rate = through / max(1, working_days_between(start, by))  # person-days per working day
    return YearCapacity(
        by=by,
        person_days=through,
        per_quarter=rate * WORKING_DAYS_PER_QUARTER,
        engineers=math.ceil(rate * 100 / capacity.share - 1e-9),
        share=math.ceil(rate * 100 / capacity.engineers - 1e-9),
    )


def _a_year_after(day: dt.date) -> dt.date:
    try:
        return day.replace(year=day.year + 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year + 1, day=28)


@dataclass(frozen=True)
class Roadmap:
    start: dt.date
    capacity: Capacity
    phases: tuple[PhaseSpan, ...]
    quarters: tuple[Quarter, ...]
    items: tuple[ScheduledItem, ...]
    mandatory_done: dt.date | None
    all_done: dt.date | None
    mandatory_year: YearCapacity | None = None  # what finishing the mandatory set within a year would take

    def phase(self, phase: Phase) -> PhaseSpan:
        return next(p for p in self.phases if p.phase == phase)

    def as_dict(self) -> dict[str, Any]:
        return {
            "schema": "antai.roadmap/1",
            "start": self.start.isoformat(),
            "capacity": self.capacity.as_dict(),
            "mandatory_done": self.mandatory_done.isoformat() if self.mandatory_done else None,
            "all_done": self.all_done.isoformat() if self.all_done else None,
            "mandatory_within_a_year": self.mandatory_year.as_dict() if self.mandatory_year else None,
            "phases": [p.as_dict() for p in self.phases],
            "quarters": [q.as_dict() for q in self.quarters],
            "items": [i.as_dict() for i in self.items],
        }


def add_working_days(start: dt.date, days: float) -> dt.date:
    """The date on which ``days`` working days after the start of ``start`` are complete."""
    whole = max(0, math.ceil(days - 1e-9))
    day = start
    while day.weekday() >= 5:  # work starts on a working day
        day += dt.timedelta(days=1)
    if whole == 0:
        return day
    weeks, rest = divmod(whole - 1, 5)
    day += dt.timedelta(weeks=weeks)
    while rest:
        day += dt.timedelta(days=1)
        if day.weekday() < 5:
            rest -= 1
    return day


def working_days_between(start: dt.date, end: dt.date) -> int:
    """Working days from ``start`` to ``end``, both included."""
    if end < start:
        return 0
    full_weeks, extra = divmod((end - start).days + 1, 7)
    count = full_weeks * 5
    for offset in range(extra):
        if (start + dt.timedelta(days=full_weeks * 7 + offset)).weekday() < 5:
            count += 1
    return count


def quarter_of(day: dt.date) -> tuple[str, dt.date, dt.date]:
    index = (day.month - 1) // 3
    first = dt.date(day.year, index * 3 + 1, 1)
    following = dt.date(day.year + (index == 3), (index * 3 + 3) % 12 + 1, 1)
    return f"{day.year}-Q{index + 1}", first, following - dt.timedelta(days=1)


def build_roadmap(plan: Plan, start: dt.date, capacity: Capacity) -> Roadmap:
    """Lay the plan out from ``start`` at ``capacity``. Raises AntaiError (``roadmap_too_long``) when the
    work would take more than a hundred years, or would end after the last representable date."""
    rate = capacity.per_day
    total = sum(item.days for item in plan.items)
    from antai.errors import AntaiError

    if start.year > dt.MAXYEAR - HORIZON_YEARS - 1:
        raise AntaiError(
            f"a roadmap starts in {dt.MAXYEAR - HORIZON_YEARS - 1} at the latest, not {start.isoformat()}",
            code="roadmap_start_too_late",
            latest=dt.MAXYEAR - HORIZON_YEARS - 1,
        )
    if total / rate > HORIZON_YEARS * 4 * WORKING_DAYS_PER_QUARTER:
        raise AntaiError(
            f"at {capacity.per_quarter:g} person-days a quarter the {total:g} person-days of this plan would take "
            f"more than {HORIZON_YEARS} years: give more engineers or a larger share",
            code="roadmap_too_long",
            years=HORIZON_YEARS,
            person_days=round(total),
        )
    done = 0.0  # person-days of work finished so far
    scheduled: list[ScheduledItem] = []
    for item in plan.items:
        begin = add_working_days(start, math.floor(done / rate + 1e-9) + 1)
        done += item.days
        end = add_working_days(start, done / rate)
        scheduled.append(
            ScheduledItem(item.id, item.phase, item.mandatory, item.days, begin, end, quarter_of(begin)[0])
        )
    gate = [s.end for s in scheduled if s.phase == Phase.GATE]
    launch = max(gate) if gate else None  # the later phases count their targets from launch (or bank connection)
    spans = tuple(_span(plan, phase, scheduled, start, launch) for phase in Phase)
    mandatory_ends = [s.end for s in scheduled if s.mandatory]
    mandatory_done = max(mandatory_ends) if mandatory_ends else None
    return Roadmap(
        start=start,
        capacity=capacity,
        phases=spans,
        quarters=_quarters(scheduled, start, rate),
        items=tuple(scheduled),
        mandatory_done=mandatory_done,
        all_done=scheduled[-1].end if scheduled else None,
        mandatory_year=year_capacity(plan, start, capacity, mandatory_done),
    )


def _span(
    plan: Plan, phase: Phase, scheduled: list[ScheduledItem], start: dt.date, launch: dt.date | None
) -> PhaseSpan:
    """A phase's extent. "Within 90 days" and "within a year" count from the gate's finish (launch or bank
    connection), or from the start when there is no gate: their work cannot begin before the gate is done."""
    members = [s for s in scheduled if s.phase == phase]
    anchor = launch or start
    target = None if phase.target_days in (None, 0) else anchor + dt.timedelta(days=phase.target_days or 0)
    finish = members[-1].end if members else None
    needed = None
    if target is not None and finish is not None and finish > target:
        # the work after the gate up to the end of this phase, spread over the working days from launch to target
        through = sum(i.days for i in plan.items if 0 < i.phase.rank <= phase.rank)
        window_start = anchor + dt.timedelta(days=1) if launch else start
        available = max(1, working_days_between(window_start, target))
        needed = through / available * WORKING_DAYS_PER_QUARTER
    return PhaseSpan(
        phase=phase,
        items=len(members),
        person_days=sum(s.days for s in members),
        start=members[0].start if members else None,
        finish=finish,
        target=target,
        needed_per_quarter=needed,
    )


def _quarters(scheduled: list[ScheduledItem], start: dt.date, rate: float) -> tuple[Quarter, ...]:
    if not scheduled:
        return ()
    last = scheduled[-1].end
    quarters: list[Quarter] = []
    key, first, end = quarter_of(start)
    while first <= last:
        done = working_days_between(max(first, start), end) * rate  # the first quarter holds the start
        items = tuple(s.id for s in scheduled if first <= s.start <= end)
        quarters.append(Quarter(key, first, end, items, done))
        key, first, end = quarter_of(end + dt.timedelta(days=1))
    # the last quarter only does what is left
    total = sum(s.days for s in scheduled)
    used = sum(q.person_days for q in quarters[:-1])
    if quarters:
        final = quarters[-1]
        quarters[-1] = Quarter(final.key, final.start, final.end, final.items, max(0.0, total - used))
    return tuple(quarters)
