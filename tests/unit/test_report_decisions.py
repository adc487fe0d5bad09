"""A mandatory item declared not applicable is a deviation every report lists, with its decision."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from antai.app import usecases
from antai.app.memory import MemoryStore
from antai.app.ports import Actor
from antai.assessment.model import Status
from antai.assessment.rules import AnswerChange
from antai.catalog import Catalog
from antai.reports import bank
from antai.reports.assessment import build_report
from antai.tailoring.profile import load_profile

ACTOR = Actor("tester", dt.datetime(2026, 12, 1, 3, 0, tzinfo=dt.UTC))
TODAY = dt.date(2026, 12, 1)


def test_a_declared_mandatory_item_is_listed_as_a_deviation_with_its_decision(catalog: Catalog) -> None:
    store = MemoryStore()
    usecases.init(store, catalog, load_profile(Path("example:household-budget")), "Deviation KK", ACTOR)
    declared = AnswerChange(
        status=Status.NOT_APPLICABLE, reason="no object storage", approver="CEO Sato", expires=dt.date(2027, 6, 30)
    )
    usecases.set_answer(store, catalog, ACTOR, "DAT-06", declared)
    report, _, _ = build_report(catalog, store.load().assessment, "bank", "ja", TODAY)
    row = next(i for i in report.items if i.id == "DAT-06")
    assert (row.status, row.effective_status) == ("not_applicable", "not_implemented")
    assert row.acceptance is not None and (row.acceptance.kind, row.acceptance.approver) == (
        "not_applicable",
        "CEO Sato",
    )
    assert [(d.item, d.kind.value, d.current) for d in report.decisions] == [("DAT-06", "not_applicable", True)]
    assert "DAT-06** 該当なしの決定: no object storage — CEO Sato" in bank.report_markdown(report, catalog)
    assert "該当なしの決定" in bank.report_html(report, catalog)

    usecases.set_answer(store, catalog, ACTOR, "DAT-06", AnswerChange(status=Status.IMPLEMENTED))
    later, _, _ = build_report(catalog, store.load().assessment, "bank", "en", TODAY)
    assert next(i for i in later.items if i.id == "DAT-06").acceptance is None
    assert [d.current for d in later.decisions] == [False]
    assert "(no longer backs the current answer)" in bank.report_markdown(later, catalog)
