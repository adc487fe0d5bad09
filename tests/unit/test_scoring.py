"""The scoring formula of docs/scoring.md, checked on small cases computed by hand."""

from __future__ import annotations

import datetime as dt

import pytest

from antai.assessment.model import Status
from antai.catalog import Catalog
from antai.scoring.score import (
    CREDIT,
    GAP_RANK,
    PRIORITY_WEIGHT,
    Gap,
    GapReason,
    Score,
    effective_status,
    gap_reason,
    score,
)
from antai.tailoring.plan import Plan

from . import builders as b
from .builders import TODAY

YESTERDAY = TODAY - dt.timedelta(days=1)
TOMORROW = TODAY + dt.timedelta(days=1)

CONDITION = {"channels": ["web"]}  # any condition: it makes an item conditional


def _three(third_mandatory: bool = True) -> tuple[Catalog, Plan]:
    """P1, P2, P3 items; the third is mandatory or conditional."""
    cat = b.catalog(b.item("AA-01"), b.item("AA-02"), b.item("AA-03", when=None if third_mandatory else CONDITION))
    return cat, b.plan(cat, {"AA-01": 1, "AA-02": 2, "AA-03": 3})


def test_weights_and_credits_are_the_documented_ones() -> None:
    assert PRIORITY_WEIGHT == {1: 4, 2: 3, 3: 2, 4: 1}
    assert CREDIT == {Status.IMPLEMENTED: 1.0, Status.COMPENSATED: 1.0, Status.PARTIAL: 0.5}


def test_implemented_partial_unanswered_gives_the_hand_computed_score() -> None:
    cat, plan = _three()
    a = b.assessment({"AA-01": b.answer("implemented"), "AA-02": b.answer("partial")})
    result = score(cat, plan, a, TODAY)
    # (4 × 1 + 3 × 0.5 + 2 × 0) / (4 + 3 + 2)
    assert result.overall == Score(pytest.approx(100 * 5.5 / 9), 3, 1)
    assert result.overall.as_dict() == {"score": 61.1, "items": 3, "done": 1}


@pytest.mark.parametrize(
    ("priority", "other", "expected"),
    [(1, 4, 80.0), (2, 4, 75.0), (3, 4, 2 / 3 * 100), (4, 1, 20.0), (2, 3, 60.0)],
)
def test_each_priority_weighs_as_documented(priority: int, other: int, expected: float) -> None:
    cat = b.catalog(b.item("AA-01"), b.item("AA-02"))
    plan = b.plan(cat, {"AA-01": priority, "AA-02": other})
    a = b.assessment({"AA-01": b.answer("implemented"), "AA-02": b.answer("not_implemented")})
    assert score(cat, plan, a, TODAY).overall.score == pytest.approx(expected)


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        ("implemented", 100.0),
        ("compensated", 100.0),
        ("partial", 50.0),
        ("planned", 0.0),
        ("not_implemented", 0.0),
        ("unanswered", 0.0),
    ],
)
def test_credit_of_each_status(status: str, expected: float) -> None:
    cat = b.catalog(b.item("AA-01"))
    plan = b.plan(cat, {"AA-01": 1})
    extra = {
        "compensated": {"compensated_by": "AA-02", "reason": "r"},
        "planned": {"due": TOMORROW},
    }.get(status, {})
    a = b.assessment({"AA-01": b.answer(status, **extra)})
    result = score(cat, plan, a, TODAY)
    assert result.overall.score == expected
    assert result.overall.done == (1 if expected == 100.0 else 0)


def test_conditional_not_applicable_leaves_the_denominator() -> None:
    cat, plan = _three(third_mandatory=False)
    a = b.assessment(
        {
            "AA-01": b.answer("implemented"),
            "AA-02": b.answer("partial"),
            "AA-03": b.answer("not_applicable", reason="r"),
        }
    )
    result = score(cat, plan, a, TODAY)
    assert result.overall.score == pytest.approx(100 * 5.5 / 7)
    assert result.overall.items == 2
    assert [g.id for g in result.gaps] == ["AA-02"]


def test_mandatory_not_applicable_stays_with_credit_zero_and_is_a_gap() -> None:
    cat, plan = _three(third_mandatory=True)
    a = b.assessment(
        {
            "AA-01": b.answer("implemented"),
            "AA-02": b.answer("partial"),
            "AA-03": b.answer("not_applicable", reason="r"),
        }
    )
    result = score(cat, plan, a, TODAY)
    assert result.overall.score == pytest.approx(100 * 5.5 / 9)
    assert result.overall.items == 3
    assert result.gaps[-1] == Gap("AA-03", 3, Status.NOT_IMPLEMENTED, GapReason.MANDATORY_NOT_APPLICABLE)
    # answered counts still say what was answered
    assert result.status_counts["not_applicable"] == 1
    assert result.mandatory_total == 3 and result.mandatory_done == 1
    assert result.mandatory_coverage == pytest.approx(100 / 3)


def test_everything_not_applicable_never_reaches_100() -> None:
    cat = b.catalog(b.item("AA-01"), b.item("AA-02", when=CONDITION))
    plan = b.plan(cat, {"AA-01": 1, "AA-02": 1})
    na = b.answer("not_applicable", reason="n/a")
    result = score(cat, plan, b.assessment({"AA-01": na, "AA-02": na}), TODAY)
    assert result.overall == Score(0.0, 1, 0)
    assert result.mandatory_coverage == 0.0
    assert [(g.id, g.reason) for g in result.gaps] == [("AA-01", GapReason.MANDATORY_NOT_APPLICABLE)]


def test_only_conditional_items_all_not_applicable_is_unknown_not_100() -> None:
    cat = b.catalog(b.item("AA-01", when=CONDITION))
    plan = b.plan(cat, {"AA-01": 1})
    result = score(cat, plan, b.assessment({"AA-01": b.answer("not_applicable", reason="r")}), TODAY)
    assert result.overall == Score(None, 0, 0)
    assert result.mandatory_coverage is None
    assert result.mandatory_total == 0
    assert result.gaps == []


def test_an_empty_plan_has_unknown_scores_and_null_json() -> None:
    cat = b.catalog(b.item("AA-01"))
    result = score(cat, b.plan(cat, {}), b.assessment({}), TODAY)
    assert result.overall.score is None
    assert result.mandatory_coverage is None
    assert result.by_chapter == {} and result.by_layer == {}
    assert {k: v.score for k, v in result.by_cia.items()} == {
        "confidentiality": None,
        "integrity": None,
        "availability": None,
    }
    data = result.as_dict()
    assert data["overall"] == {"score": None, "items": 0, "done": 0}
    assert data["mandatory_coverage"] == {"percent": None, "done": 0, "total": 0}


def test_risk_acceptance_counts_zero_and_is_no_gap_while_valid() -> None:
    cat = b.catalog(b.item("AA-01"), b.item("AA-02"))
    plan = b.plan(cat, {"AA-01": 1, "AA-02": 1})
    a = b.assessment(
        {"AA-01": b.answer("risk_accepted"), "AA-02": b.answer("implemented")},
        acceptances=[b.acceptance("AA-01", expires=TOMORROW)],
    )
    result = score(cat, plan, a, TODAY)
    assert result.overall.score == 50.0
    assert result.gaps == [] and result.expired_acceptances == []
    assert effective_status(a, "AA-01", TODAY) == Status.RISK_ACCEPTED


@pytest.mark.parametrize(
    ("expires", "expired"),
    [(TODAY, False), (YESTERDAY, True), (TOMORROW, False)],
)
def test_acceptance_is_valid_through_its_expiry_date(expires: dt.date, expired: bool) -> None:
    cat = b.catalog(b.item("AA-01"))
    plan = b.plan(cat, {"AA-01": 2})
    a = b.assessment({"AA-01": b.answer("risk_accepted")}, acceptances=[b.acceptance("AA-01", expires=expires)])
    result = score(cat, plan, a, TODAY)
    assert result.overall.score == 0.0
    if expired:
        assert result.expired_acceptances == ["AA-01"]
        assert result.gaps == [Gap("AA-01", 2, Status.NOT_IMPLEMENTED, GapReason.ACCEPTANCE_EXPIRED)]
        assert effective_status(a, "AA-01", TODAY) == Status.NOT_IMPLEMENTED
    else:
        assert result.expired_acceptances == [] and result.gaps == []
        assert effective_status(a, "AA-01", TODAY) == Status.RISK_ACCEPTED


def test_risk_accepted_without_a_decision_is_a_missing_acceptance() -> None:
    cat = b.catalog(b.item("AA-01"))
    plan = b.plan(cat, {"AA-01": 1})
    result = score(cat, plan, b.assessment({"AA-01": b.answer("risk_accepted")}), TODAY)
    assert result.gaps == [Gap("AA-01", 1, Status.NOT_IMPLEMENTED, GapReason.ACCEPTANCE_MISSING)]
    assert result.expired_acceptances == ["AA-01"]


def test_a_decision_for_another_item_does_not_cover_this_one() -> None:
    a = b.assessment({"AA-01": b.answer("risk_accepted")}, acceptances=[b.acceptance("AA-02", expires=TOMORROW)])
    assert effective_status(a, "AA-01", TODAY) == Status.NOT_IMPLEMENTED


@pytest.mark.parametrize(("expires", "flagged"), [(TODAY, False), (YESTERDAY, True)])
def test_evidence_is_valid_through_its_expiry_date(expires: dt.date, flagged: bool) -> None:
    cat = b.catalog(b.item("AA-01"))
    plan = b.plan(cat, {"AA-01": 1})
    a = b.assessment({"AA-01": b.answer("implemented")}, evidence_records=[b.evidence("E0001", "AA-01", expires)])
    result = score(cat, plan, a, TODAY)
    assert result.expired_evidence == (["E0001"] if flagged else [])
    assert result.overall.score == 100.0  # expiry is a flag, not a credit change


def test_expired_evidence_of_items_outside_the_plan_is_not_flagged() -> None:
    cat = b.catalog(b.item("AA-01"), b.item("AA-02"))
    plan = b.plan(cat, {"AA-01": 1})
    a = b.assessment(
        {},
        evidence_records=[b.evidence("E0001", "AA-02", YESTERDAY), b.evidence("E0002", "AA-01", YESTERDAY)],
    )
    assert score(cat, plan, a, TODAY).expired_evidence == ["E0002"]


@pytest.mark.parametrize(
    ("due", "reason"),
    [(TODAY, GapReason.PLANNED), (TOMORROW, GapReason.PLANNED), (YESTERDAY, GapReason.OVERDUE)],
)
def test_a_plan_is_overdue_only_after_its_due_date(due: dt.date, reason: GapReason) -> None:
    cat = b.catalog(b.item("AA-01"))
    plan = b.plan(cat, {"AA-01": 3})
    result = score(cat, plan, b.assessment({"AA-01": b.answer("planned", due=due)}), TODAY)
    assert result.gaps == [Gap("AA-01", 3, Status.PLANNED, reason, due)]
    assert result.overdue == (["AA-01"] if reason == GapReason.OVERDUE else [])


def test_gap_reason_of_each_status() -> None:
    def reason(status: str, effective: Status | None = None, decided: bool = False, **fields: object) -> object:
        ans = b.answer(status, **fields)
        return gap_reason(ans, effective or ans.status, decided, TODAY)

    assert reason("unanswered") == GapReason.UNANSWERED
    assert reason("not_implemented") == GapReason.NOT_IMPLEMENTED
    assert reason("partial") == GapReason.PARTIAL
    assert reason("planned", due=TODAY) == GapReason.PLANNED
    assert reason("planned", due=YESTERDAY) == GapReason.OVERDUE
    assert reason("implemented") is None
    assert reason("compensated", compensated_by="X", reason="r") is None
    assert reason("not_applicable", reason="r") is None
    assert reason("not_applicable", Status.NOT_IMPLEMENTED, reason="r") == GapReason.MANDATORY_NOT_APPLICABLE
    assert reason("risk_accepted", decided=True) is None
    assert reason("risk_accepted", Status.NOT_IMPLEMENTED, decided=True) == GapReason.ACCEPTANCE_EXPIRED
    assert reason("risk_accepted", Status.NOT_IMPLEMENTED, decided=False) == GapReason.ACCEPTANCE_MISSING


def test_effective_status_of_mandatory_and_conditional_not_applicable() -> None:
    a = b.assessment({"AA-01": b.answer("not_applicable", reason="r")})
    assert effective_status(a, "AA-01", TODAY) == Status.NOT_APPLICABLE
    assert effective_status(a, "AA-01", TODAY, mandatory=True) == Status.NOT_IMPLEMENTED
    assert effective_status(a, "AA-09", TODAY, mandatory=True) == Status.UNANSWERED


def test_gap_ranks_are_worst_first() -> None:
    assert GAP_RANK == {
        GapReason.ACCEPTANCE_EXPIRED: 0,
        GapReason.ACCEPTANCE_MISSING: 0,
        GapReason.MANDATORY_NOT_APPLICABLE: 0,
        GapReason.OVERDUE: 0,
        GapReason.UNANSWERED: 1,
        GapReason.NOT_IMPLEMENTED: 1,
        GapReason.PLANNED: 2,
        GapReason.PARTIAL: 3,
    }


def test_gap_order_priority_then_rank_then_plan_order() -> None:
    ids = [f"GA-{n:02d}" for n in range(1, 11)]
    cat = b.catalog(*(b.item(i) for i in ids))
    # plan order is the order of this dict; priorities are deliberately mixed
    plan = b.plan(
        cat,
        {
            "GA-01": 1,  # partial
            "GA-02": 1,  # planned, due tomorrow
            "GA-03": 1,  # unanswered
            "GA-04": 1,  # overdue
            "GA-05": 1,  # not implemented
            "GA-06": 1,  # acceptance expired
            "GA-07": 2,  # unanswered
            "GA-08": 2,  # mandatory answered not applicable
            "GA-09": 1,  # implemented: no gap
            "GA-10": 3,  # acceptance missing
        },
    )
    a = b.assessment(
        {
            "GA-01": b.answer("partial"),
            "GA-02": b.answer("planned", due=TOMORROW),
            "GA-04": b.answer("planned", due=YESTERDAY),
            "GA-05": b.answer("not_implemented"),
            "GA-06": b.answer("risk_accepted"),
            "GA-08": b.answer("not_applicable", reason="r"),
            "GA-09": b.answer("implemented"),
            "GA-10": b.answer("risk_accepted"),
        },
        acceptances=[b.acceptance("GA-06", expires=YESTERDAY)],
    )
    result = score(cat, plan, a, TODAY)
    assert [(g.id, g.reason.value) for g in result.gaps] == [
        ("GA-04", "overdue"),
        ("GA-06", "acceptance_expired"),
        ("GA-03", "unanswered"),
        ("GA-05", "not_implemented"),
        ("GA-02", "planned"),
        ("GA-01", "partial"),
        ("GA-08", "mandatory_not_applicable"),
        ("GA-07", "unanswered"),
        ("GA-10", "acceptance_missing"),
    ]
    assert result.overdue == ["GA-04"]
    assert result.expired_acceptances == ["GA-06", "GA-10"]
    assert [g.due for g in result.gaps[:5]] == [YESTERDAY, None, None, None, TOMORROW]


def test_scores_by_chapter_cia_and_layer_are_exact() -> None:
    cat = b.catalog(
        b.item("CA-01", chapter=1, cia=("confidentiality",), layers=("application",)),
        b.item("CA-02", chapter=1, cia=("integrity", "availability"), layers=("device", "application")),
        b.item("CB-01", chapter=3, cia=("availability",), layers=("infrastructure",)),
    )
    plan = b.plan(cat, {"CA-01": 1, "CA-02": 2, "CB-01": 4})
    a = b.assessment(
        {"CA-01": b.answer("implemented"), "CA-02": b.answer("partial"), "CB-01": b.answer("not_implemented")}
    )
    result = score(cat, plan, a, TODAY)
    assert result.by_chapter == {1: Score(pytest.approx(100 * 5.5 / 7), 2, 1), 3: Score(0.0, 1, 0)}
    assert result.by_cia == {
        "confidentiality": Score(100.0, 1, 1),
        "integrity": Score(50.0, 1, 0),
        "availability": Score(pytest.approx(100 * 1.5 / 4), 2, 0),
    }
    # layers in the enum's order, only those with items
    assert list(result.by_layer) == ["infrastructure", "application", "device"]
    assert result.by_layer == {
        "infrastructure": Score(0.0, 1, 0),
        "application": Score(pytest.approx(100 * 5.5 / 7), 2, 1),
        "device": Score(50.0, 1, 0),
    }
    assert result.overall == Score(pytest.approx(100 * 5.5 / 8), 3, 1)


def test_mandatory_coverage_counts_implemented_and_compensated_only() -> None:
    cat = b.catalog(
        b.item("MA-01"),
        b.item("MA-02"),
        b.item("MA-03"),
        b.item("MA-04"),
        b.item("MA-05", when=CONDITION),
    )
    plan = b.plan(cat, {"MA-01": 1, "MA-02": 1, "MA-03": 1, "MA-04": 1, "MA-05": 1})
    a = b.assessment(
        {
            "MA-01": b.answer("implemented"),
            "MA-02": b.answer("compensated", compensated_by="MA-01", reason="r"),
            "MA-03": b.answer("partial"),
            "MA-04": b.answer("not_applicable", reason="r"),
            "MA-05": b.answer("implemented"),
        }
    )
    result = score(cat, plan, a, TODAY)
    assert (result.mandatory_done, result.mandatory_total) == (2, 4)
    assert result.mandatory_coverage == 50.0
    assert result.as_dict()["mandatory_coverage"] == {"percent": 50.0, "done": 2, "total": 4}


def test_status_counts_review_flags_and_json() -> None:
    cat = b.catalog(b.item("SA-01"), b.item("SA-02"), b.item("SA-03"))
    plan = b.plan(cat, {"SA-01": 1, "SA-02": 2, "SA-03": 2})
    a = b.assessment(
        {
            "SA-01": b.answer("implemented", review=True),
            "SA-02": b.answer("planned", due=YESTERDAY),
            # an answer for an item outside the plan is not counted
            "SA-09": b.answer("implemented"),
        },
        evidence_records=[b.evidence("E0001", "SA-01", YESTERDAY)],
    )
    result = score(cat, plan, a, TODAY)
    assert result.status_counts == {
        "unanswered": 1,
        "implemented": 1,
        "partial": 0,
        "planned": 1,
        "not_implemented": 0,
        "not_applicable": 0,
        "risk_accepted": 0,
        "compensated": 0,
    }
    assert result.review == ["SA-01"]
    assert result.as_dict() == {
        "overall": {"score": 40.0, "items": 3, "done": 1},
        "mandatory_coverage": {"percent": 33.3, "done": 1, "total": 3},
        "by_chapter": {"1": {"score": 40.0, "items": 3, "done": 1}},
        "by_cia": {
            "confidentiality": {"score": 40.0, "items": 3, "done": 1},
            "integrity": {"score": None, "items": 0, "done": 0},
            "availability": {"score": None, "items": 0, "done": 0},
        },
        "by_layer": {"application": {"score": 40.0, "items": 3, "done": 1}},
        "status_counts": result.status_counts,
        "gaps": [
            {"id": "SA-02", "priority": 2, "status": "planned", "reason": "overdue", "due": YESTERDAY.isoformat()},
            {"id": "SA-03", "priority": 2, "status": "unanswered", "reason": "unanswered", "due": None},
        ],
        "flags": {
            "expired_evidence": ["E0001"],
            "expired_acceptances": [],
            "overdue": ["SA-02"],
            "review": ["SA-01"],
            "contradicted": [],
            "stale_automated": [],
        },
    }


def test_score_rounds_to_one_decimal_in_json() -> None:
    assert Score(66.66666, 3, 2).as_dict() == {"score": 66.7, "items": 3, "done": 2}
    assert Score(None, 0, 0).as_dict() == {"score": None, "items": 0, "done": 0}


def test_status_counts_add_up() -> None:
    cat = b.catalog(b.item("SC-01"), b.item("SC-02"), b.item("SC-03"))
    plan = b.plan(cat, {"SC-01": 1, "SC-02": 1, "SC-03": 1})
    a = b.assessment({"SC-01": b.answer("partial"), "SC-02": b.answer("partial")})
    counts = score(cat, plan, a, TODAY).status_counts
    assert (counts["partial"], counts["unanswered"], sum(counts.values())) == (2, 1, 3)


def test_only_planned_gaps_carry_a_due_date() -> None:
    # a due date left on a not-implemented answer (a hand edit) is not the gap's date
    cat = b.catalog(b.item("DD-01"))
    plan = b.plan(cat, {"DD-01": 1})
    result = score(cat, plan, b.assessment({"DD-01": b.answer("not_implemented", due=YESTERDAY)}), TODAY)
    assert result.gaps == [Gap("DD-01", 1, Status.NOT_IMPLEMENTED, GapReason.NOT_IMPLEMENTED, None)]
    assert result.overdue == []
