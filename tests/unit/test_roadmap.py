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
    # "within 90 days" counts from the gate's finish (launch or bank connection), not from the start
    assert days_90.target == dt.date(2027, 1, 8) + dt.timedelta(days=90) and not days_90.late
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


def test_after_a_gate_the_needed_capacity_counts_the_working_days_from_launch_to_the_target() -> None:
    # the gate ends Friday 2027-01-29 (20 days at 1 a day); the 90-day target is Thursday 2027-04-29;
    # 64 working days from Monday 1 February to 29 April hold 66 person-days of work only at 66/64 a day
    plan = plan_of(planned("G-01", Phase.GATE, (20, 20)), planned("N-01", Phase.DAYS_90, (66, 66)))
    roadmap = build_roadmap(plan, MONDAY, Capacity(engineers=2, share=50))
    gate, days_90 = roadmap.phase(Phase.GATE), roadmap.phase(Phase.DAYS_90)
    assert gate.finish == dt.date(2027, 1, 29) and days_90.target == dt.date(2027, 4, 29)
    assert working_days_between(dt.date(2027, 1, 30), dt.date(2027, 4, 29)) == 64
    assert days_90.late and days_90.needed_per_quarter == pytest.approx(66 / 64 * 60)
    assert roadmap.phase(Phase.YEAR_1).target == dt.date(2028, 1, 29)


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
    assert str(info.value) == (
        "at 0.6 person-days a quarter the 245 person-days of this plan would take more than 100 years: "
        "give more engineers or a larger share"
    )
    # just inside the horizon (100 years of 240 working days at 0.01 a day is 240 person-days) it is laid out
    assert build_roadmap(plan_of(planned("A-01", Phase.GATE, (240, 240))), MONDAY, Capacity(1, 1)).all_done
    with pytest.raises(AntaiError) as late:
        build_roadmap(plan, dt.date(9899, 1, 4), Capacity(engineers=1, share=100))
    assert late.value.code == "roadmap_start_too_late" and late.value.params == {"latest": 9898}
    assert str(late.value) == "a roadmap starts in 9898 at the latest, not 9899-01-04"
    assert build_roadmap(plan, dt.date(9898, 12, 31), Capacity(engineers=1, share=100)).all_done


def _brute_working_days(start: dt.date, end: dt.date) -> int:
    return sum(1 for n in range((end - start).days + 1) if (start + dt.timedelta(days=n)).weekday() < 5)


@pytest.mark.parametrize("offset", range(7))  # every weekday as the start
def test_working_day_arithmetic_agrees_with_counting_day_by_day(offset: int) -> None:
    start = MONDAY + dt.timedelta(days=offset)
    for length in range(0, 40):
        end = start + dt.timedelta(days=length)
        assert working_days_between(start, end) == _brute_working_days(start, end), (start, end)
    first = start if start.weekday() < 5 else start + dt.timedelta(days=7 - start.weekday())
    for days in range(1, 30):
        done = add_working_days(start, days)
        assert done.weekday() < 5 and _brute_working_days(first, done) == days, (start, days)
        assert add_working_days(start, days - 0.5) == done  # a part day ends on the same day
    assert add_working_days(start, 0) == first


def test_capacity_bounds() -> None:
    assert Capacity(engineers=1, share=1).per_day == 0.01
    assert Capacity(engineers=1, share=100).per_quarter == 60
    for engineers, share in ((0, 20), (1, 0), (1, 101)):
        with pytest.raises(ValueError) as info:
            Capacity(engineers=engineers, share=share)
        assert str(info.value) == "capacity needs at least one engineer and a share of 1–100 %"


def test_the_roadmap_as_data_is_exact() -> None:
    plan = plan_of(
        planned("A-01", Phase.GATE, (1, 3)),
        planned("B-01", Phase.DAYS_90, (4, 6), mandatory=False),
    )
    roadmap = build_roadmap(plan, MONDAY, Capacity(engineers=2, share=50))
    assert roadmap.as_dict() == {
        "schema": "antai.roadmap/1",
        "start": "2027-01-04",
        "capacity": {"engineers": 2, "share_percent": 50, "person_days_per_quarter": 60.0},
        "mandatory_done": "2027-01-05",
        "all_done": "2027-01-12",
        "mandatory_within_a_year": None,
        "phases": [
            {
                "phase": "gate",
                "items": 1,
                "person_days": 2.0,
                "start": "2027-01-04",
                "finish": "2027-01-05",
                "target": None,
                "late": False,
                "needed_person_days_per_quarter": None,
            },
            {
                "phase": "days_90",
                "items": 1,
                "person_days": 5.0,
                "start": "2027-01-06",
                "finish": "2027-01-12",
                "target": "2027-04-05",
                "late": False,
                "needed_person_days_per_quarter": None,
            },
            {
                "phase": "year_1",
                "items": 0,
                "person_days": 0,
                "start": None,
                "finish": None,
                "target": "2028-01-05",
                "late": False,
                "needed_person_days_per_quarter": None,
            },
            {
                "phase": "later",
                "items": 0,
                "person_days": 0,
                "start": None,
                "finish": None,
                "target": None,
                "late": False,
                "needed_person_days_per_quarter": None,
            },
        ],
        "quarters": [
            {
                "quarter": "2027-Q1",
                "start": "2027-01-01",
                "end": "2027-03-31",
                "items": ["A-01", "B-01"],
                "person_days": 7.0,
            }
        ],
        "items": [
            {
                "id": "A-01",
                "phase": "gate",
                "mandatory": True,
                "person_days": 2.0,
                "start": "2027-01-04",
                "end": "2027-01-05",
                "quarter": "2027-Q1",
            },
            {
                "id": "B-01",
                "phase": "days_90",
                "mandatory": False,
                "person_days": 5.0,
                "start": "2027-01-06",
                "end": "2027-01-12",
                "quarter": "2027-Q1",
            },
        ],
    }


def test_quarters_split_the_work_at_their_boundaries() -> None:
    # 0.5 a day from Monday 2027-03-22: Q1 has 8 working days left (4 person-days), Q2 takes the rest
    start = dt.date(2027, 3, 22)
    plan = plan_of(planned("A-01", Phase.GATE, (2, 2)), planned("A-02", Phase.YEAR_1, (6, 6)))
    roadmap = build_roadmap(plan, start, Capacity(engineers=1, share=50))
    assert [(q.key, q.items, q.person_days) for q in roadmap.quarters] == [
        ("2027-Q1", ("A-01", "A-02"), 4.0),
        ("2027-Q2", (), 4.0),
    ]
    assert [(s.start, s.end, s.quarter) for s in roadmap.items] == [
        (dt.date(2027, 3, 22), dt.date(2027, 3, 25), "2027-Q1"),
        (dt.date(2027, 3, 26), dt.date(2027, 4, 12), "2027-Q1"),
    ]
    assert roadmap.quarters[1].start == dt.date(2027, 4, 1) and roadmap.quarters[1].end == dt.date(2027, 6, 30)


def test_a_phase_that_finishes_on_its_target_is_on_time() -> None:
    # 90 days from Monday 2027-01-04 is Sunday 2027-04-04; 65 working days until then at 1 a day
    on_time = build_roadmap(plan_of(planned("A-01", Phase.DAYS_90, (65, 65))), MONDAY, Capacity(2, 50))
    span = on_time.phase(Phase.DAYS_90)
    assert span.finish == dt.date(2027, 4, 2) and not span.late and span.needed_per_quarter is None
    # finishing on the target day itself is on time (from Friday 2027-01-01 the target is Thursday 1 April)
    exact = build_roadmap(plan_of(planned("A-01", Phase.DAYS_90, (65, 65))), dt.date(2027, 1, 1), Capacity(2, 50))
    assert exact.phase(Phase.DAYS_90).finish == exact.phase(Phase.DAYS_90).target == dt.date(2027, 4, 1)
    assert not exact.phase(Phase.DAYS_90).late and exact.phase(Phase.DAYS_90).needed_per_quarter is None
    late = build_roadmap(plan_of(planned("A-01", Phase.DAYS_90, (66, 66))), MONDAY, Capacity(2, 50))
    assert late.phase(Phase.DAYS_90).finish == dt.date(2027, 4, 5) and late.phase(Phase.DAYS_90).late
    assert late.phase(Phase.DAYS_90).needed_per_quarter == pytest.approx(66 / 65 * 60)
    # from a Friday: 65 working days until the target (Friday 2027-01-01 to Thursday 2027-04-01, both counted)
    friday = build_roadmap(plan_of(planned("A-01", Phase.DAYS_90, (10, 10))), dt.date(2027, 1, 1), Capacity(1, 1))
    assert friday.phase(Phase.DAYS_90).target == dt.date(2027, 4, 1)
    assert friday.phase(Phase.DAYS_90).needed_per_quarter == pytest.approx(10 / 65 * 60)


def test_a_quarter_that_starts_with_the_last_item_is_listed_and_holds_only_what_is_left() -> None:
    # 1 a day from Monday 2027-03-29: A-01 takes the last three days of Q1, A-02 half of Thursday 1 April
    plan = plan_of(planned("A-01", Phase.GATE, (3, 3)), planned("A-02", Phase.GATE, (0.5, 0.5)))
    roadmap = build_roadmap(plan, dt.date(2027, 3, 29), Capacity(engineers=2, share=50))
    assert roadmap.items[1].start == roadmap.items[1].end == dt.date(2027, 4, 1)
    assert [(q.key, q.items, q.person_days) for q in roadmap.quarters] == [
        ("2027-Q1", ("A-01",), 3.0),
        ("2027-Q2", ("A-02",), 0.5),
    ]


def test_phase_sizes_are_rounded_to_a_tenth_in_the_data() -> None:
    roadmap = build_roadmap(plan_of(planned("A-01", Phase.GATE, (0.5, 2.13))), MONDAY, Capacity(engineers=3, share=33))
    assert roadmap.phase(Phase.GATE).person_days == pytest.approx(1.315)
    assert roadmap.as_dict()["phases"][0]["person_days"] == 1.3
    assert roadmap.as_dict()["quarters"][0]["person_days"] == 1.3
    assert Capacity(engineers=1, share=7).as_dict()["person_days_per_quarter"] == 4.2


def test_an_item_started_on_a_quarters_last_day_belongs_to_that_quarter() -> None:
    plan = plan_of(planned("A-01", Phase.GATE, (2, 2)), planned("A-02", Phase.GATE, (2, 2)))
    roadmap = build_roadmap(plan, dt.date(2027, 3, 30), Capacity(engineers=1, share=100))  # a Tuesday
    assert roadmap.items[1].start == dt.date(2027, 4, 1) and roadmap.items[0].end == dt.date(2027, 3, 31)
    late_start = build_roadmap(plan, dt.date(2027, 3, 29), Capacity(engineers=2, share=100))  # 2 a day
    assert [s.start for s in late_start.items] == [dt.date(2027, 3, 29), dt.date(2027, 3, 30)]
    single = build_roadmap(plan_of(planned("A-01", Phase.GATE, (1, 1))), dt.date(2027, 3, 31), Capacity(1, 100))
    assert [(q.key, q.items) for q in single.quarters] == [("2027-Q1", ("A-01",))]


def test_the_capacity_that_ends_the_mandatory_set_within_a_year() -> None:
    # 1 engineer x 20 % = 0.2 person-days a working day; the mandatory set (with the item ordered between)
    # is 100 + 50 + 31 = 181 person-days; 2027-01-04 to 2028-01-04 holds 262 working days
    items = (
        planned("A", Phase.GATE, (100, 100)),
        planned("B", Phase.DAYS_90, (50, 50), mandatory=False),
        planned("C", Phase.YEAR_1, (31, 31)),
        planned("D", Phase.LATER, (400, 400), mandatory=False),
    )
    roadmap = build_roadmap(plan_of(*items), MONDAY, Capacity(engineers=1, share=20))
    year = roadmap.mandatory_year
    assert year is not None
    assert year.by == dt.date(2028, 1, 4)
    assert year.person_days == 181
    assert year.per_quarter == pytest.approx(181 / 262 * 60)
    assert (year.engineers, year.share) == (4, 70)  # ceil(69.08 / 20) engineers, or ceil(69.08) % of one
    assert roadmap.as_dict()["mandatory_within_a_year"] == {
        "by": "2028-01-04",
        "person_days": 181.0,
        "person_days_per_quarter": 41.5,
        "engineers_at_current_share": 4,
        "share_percent_with_current_engineers": 70,
    }


def test_no_capacity_advice_when_the_mandatory_set_ends_within_a_year() -> None:
    items = (planned("A", Phase.GATE, (40, 40)), planned("D", Phase.LATER, (400, 400), mandatory=False))
    assert build_roadmap(plan_of(*items), MONDAY, Capacity(engineers=1, share=20)).mandatory_year is None
    only_optional = (planned("D", Phase.LATER, (400, 400), mandatory=False),)
    assert build_roadmap(plan_of(*only_optional), MONDAY, Capacity(engineers=1, share=20)).mandatory_year is None


def test_a_year_after_29_february_is_28_february() -> None:
    items = (planned("A", Phase.GATE, (500, 500)),)
    year = build_roadmap(plan_of(*items), dt.date(2028, 2, 29), Capacity(engineers=1, share=20)).mandatory_year
    assert year is not None and year.by == dt.date(2029, 2, 28)


def test_capacity_advice_at_exact_boundaries() -> None:
    # 262 person-days over the 262 working days of the year: exactly 1 a day, so 5 engineers at 20 % (not 6),
    # or 100 % of one engineer's time
    items = (planned("A", Phase.GATE, (262, 262)), planned("B", Phase.LATER, (0.25, 0.25), mandatory=False))
    year = build_roadmap(plan_of(*items), MONDAY, Capacity(engineers=1, share=20)).mandatory_year
    assert year is not None and (year.engineers, year.share, year.per_quarter) == (5, 100, 60.0)
    # ending exactly a year after the start is within the year
    on_the_day = (planned("A", Phase.GATE, (262, 262)),)
    assert build_roadmap(plan_of(*on_the_day), MONDAY, Capacity(engineers=1, share=100)).mandatory_done == dt.date(
        2028, 1, 4
    )
    assert build_roadmap(plan_of(*on_the_day), MONDAY, Capacity(engineers=1, share=100)).mandatory_year is None
    # a quarter of a person-day is kept in the data, rounded to a tenth
    quarter_day = (planned("A", Phase.GATE, (300.25, 300.25)),)
    year = build_roadmap(plan_of(*quarter_day), MONDAY, Capacity(engineers=1, share=20)).mandatory_year
    assert year is not None and year.as_dict()["person_days"] == 300.2


def test_the_window_after_a_gate_starts_the_day_after_it_finishes() -> None:
    # the gate ends Tuesday 2027-01-26 (17 days at 1 a day); from Wednesday 27 January to the target,
    # Monday 26 April, there are 64 working days
    plan = plan_of(planned("G-01", Phase.GATE, (17, 17)), planned("N-01", Phase.DAYS_90, (70, 70)))
    days_90 = build_roadmap(plan, MONDAY, Capacity(engineers=2, share=50)).phase(Phase.DAYS_90)
    assert days_90.target == dt.date(2027, 4, 26)
    assert working_days_between(dt.date(2027, 1, 27), dt.date(2027, 4, 26)) == 64
    assert days_90.needed_per_quarter == pytest.approx(70 / 64 * 60)
