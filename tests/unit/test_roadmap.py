"""The roadmap: working days, quarters, phase finish dates against their targets, and the needed capacity."""

from __future__ import annotations

import datetime as dt

import pytest

from antai.catalog.conditions import Level
from antai.catalog.schema import Effort, Severity
from antai.tailoring.plan import ItemRisk, Phase, PhaseReason, Plan, PlannedItem
from antai.tailoring.profile import Profile
from antai.tailoring.risk import assess_risk
from antai.tailoring.roadmap import (
    Capacity,
    add_working_days,
    build_roadmap,
    capacity_of,
    quarter_of,
    working_days_between,
)

MONDAY = dt.date(2027, 1, 4)


def planned(item_id: str, phase: Phase, days: tuple[float, float], *, mandatory: bool = True) -> PlannedItem:
    reason = PhaseReason(ItemRisk.HIGH, Level.HIGH, ("confidentiality",), Severity.HIGH, Effort.LOW, False)
    return PlannedItem(
        id=item_id,
        chapter=1,
        mandatory=mandatory,
        severity=Severity.HIGH,
        effort_days=days,
        risk=ItemRisk.HIGH,
        phase=phase,
        phase_reason=reason,
        reasons=("test",),
    )


def plan_of(*items: PlannedItem, profile: Profile | None = None) -> Plan:
    profile = profile or Profile(staff=4)
    return Plan(profile=profile, risk=assess_risk(profile), catalog_version="0.2.0", lang="en", items=items)


def test_working_days_skip_weekends() -> None:
    assert add_working_days(MONDAY, 1) == MONDAY
    assert add_working_days(MONDAY, 5) == dt.date(2027, 1, 8)  # Friday
    assert add_working_days(MONDAY, 6) == dt.date(2027, 1, 11)  # the next Monday
    assert add_working_days(MONDAY, 0.5) == MONDAY
    assert add_working_days(dt.date(2027, 1, 2), 1) == MONDAY  # a Saturday start begins on Monday
    assert working_days_between(MONDAY, dt.date(2027, 1, 10)) == 5
    assert working_days_between(MONDAY, dt.date(2027, 1, 3)) == 0


def test_quarters_are_calendar_quarters() -> None:
    assert quarter_of(dt.date(2027, 2, 14)) == ("2027-Q1", dt.date(2027, 1, 1), dt.date(2027, 3, 31))
    assert quarter_of(dt.date(2027, 12, 31)) == ("2027-Q4", dt.date(2027, 10, 1), dt.date(2027, 12, 31))


def test_capacity_comes_from_the_profile_and_can_be_overridden() -> None:
    plan = plan_of(profile=Profile(staff=12))
    assert capacity_of(plan) == Capacity(engineers=6, share=20)  # half the staff, the default share
    assert capacity_of(plan, engineers=2, share=50).per_day == 1.0
    assert capacity_of(plan_of(profile=Profile(staff=1))).engineers == 1
    assert capacity_of(plan_of(profile=Profile(staff=9, engineers=3, security_share=30))).per_quarter == pytest.approx(
        54
    )
    with pytest.raises(ValueError):
        Capacity(engineers=0, share=20)


def test_items_run_in_plan_order_at_the_team_rate() -> None:
    # 2 engineers at 50 % = 1 person-day per working day
    plan = plan_of(
        planned("A-01", Phase.GATE, (1, 3)),  # 2 days: Mon–Tue
        planned("A-02", Phase.GATE, (2, 4)),  # 3 days: Wed–Fri
        planned("B-01", Phase.DAYS_90, (4, 6), mandatory=False),  # 5 days: the next week
    )
    roadmap = build_roadmap(plan, MONDAY, Capacity(engineers=2, share=50))
    assert [(s.id, s.start, s.end) for s in roadmap.items] == [
        ("A-01", dt.date(2027, 1, 4), dt.date(2027, 1, 5)),
        ("A-02", dt.date(2027, 1, 6), dt.date(2027, 1, 8)),
        ("B-01", dt.date(2027, 1, 11), dt.date(2027, 1, 15)),
    ]
    gate = roadmap.phase(Phase.GATE)
    assert (gate.items, gate.person_days, gate.finish, gate.target, gate.late) == (
        2,
        5.0,
        dt.date(2027, 1, 8),
        None,
        False,
    )
    days_90 = roadmap.phase(Phase.DAYS_90)
    assert days_90.target == MONDAY + dt.timedelta(days=90) and not days_90.late
    assert roadmap.mandatory_done == dt.date(2027, 1, 8)
    assert roadmap.all_done == dt.date(2027, 1, 15)
    assert [q.key for q in roadmap.quarters] == ["2027-Q1"]
    assert roadmap.quarters[0].items == ("A-01", "A-02", "B-01")
    assert roadmap.quarters[0].person_days == 10.0


def test_a_missed_target_says_the_capacity_that_would_meet_it() -> None:
    # 120 person-days due within 90 days at 0.5 person-days a day takes 240 working days
    plan = plan_of(planned("A-01", Phase.DAYS_90, (100, 140)))
    roadmap = build_roadmap(plan, MONDAY, Capacity(engineers=1, share=50))
    span = roadmap.phase(Phase.DAYS_90)
    assert span.late
    working = working_days_between(MONDAY, MONDAY + dt.timedelta(days=90))
    assert working == 65
    assert span.needed_per_quarter == pytest.approx(120 / 65 * 60)
    assert span.as_dict()["needed_person_days_per_quarter"] == 110.8
    # the work spills over quarters, each doing what the team can in it
    assert [q.key for q in roadmap.quarters][:2] == ["2027-Q1", "2027-Q2"]
    assert sum(q.person_days for q in roadmap.quarters) == pytest.approx(120)


def test_an_empty_plan_gives_an_empty_roadmap() -> None:
    roadmap = build_roadmap(plan_of(), MONDAY, Capacity(engineers=1, share=20))
    assert roadmap.items == () and roadmap.quarters == () and roadmap.mandatory_done is None
    assert all(p.items == 0 and p.finish is None for p in roadmap.phases)
    assert roadmap.as_dict()["all_done"] is None


def test_a_roadmap_beyond_a_hundred_years_is_refused_with_a_reason() -> None:
    from antai.errors import AntaiError

    plan = plan_of(planned("A-01", Phase.GATE, (240, 250)))  # 245 person-days
    with pytest.raises(AntaiError) as info:
        build_roadmap(plan, MONDAY, Capacity(engineers=1, share=1))  # 0.01 a day: 24,500 working days
    assert info.value.code == "roadmap_too_long" and info.value.params == {"years": 100, "person_days": 245}
    # just inside the horizon (100 years of 240 working days at 0.01 a day is 240 person-days) it is laid out
    assert build_roadmap(plan_of(planned("A-01", Phase.GATE, (240, 240))), MONDAY, Capacity(1, 1)).all_done
    with pytest.raises(AntaiError) as late:
        build_roadmap(plan, dt.date(9899, 1, 4), Capacity(engineers=1, share=100))
    assert late.value.code == "roadmap_start_too_late" and late.value.params == {"latest": 9898}
    assert build_roadmap(plan, dt.date(9898, 12, 31), Capacity(engineers=1, share=100)).all_done
