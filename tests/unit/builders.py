"""Small, explicit inputs for the unit tests: a few minimal items, a plan with chosen phases, an assessment.

Everything is built in-process so a test reads as its own worked example and runs in milliseconds.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from antai.assessment.model import Acceptance, Answer, EvidenceKind, EvidenceRecord, Status, WorkspaceMeta
from antai.assessment.state import Assessment
from antai.catalog import Catalog, Item
from antai.catalog.schema import CatalogMeta
from antai.tailoring.plan import Phase, PhaseReason, Plan, PlannedItem, item_risk
from antai.tailoring.profile import Profile
from antai.tailoring.risk import assess_risk

TODAY = dt.date(2026, 6, 1)
CATALOG_VERSION = "0.1.0"


# a person-day range of each effort class (low ≤ 3 days, medium ≤ 10, high above)
EFFORT_DAYS: dict[str, tuple[float, float]] = {"low": (1.0, 2.0), "medium": (4.0, 8.0), "high": (12.0, 20.0)}


def _text(word: str) -> dict[str, str]:
    return {"ja": f"{word}（日本語）", "en": word}


def item(item_id: str, **fields: Any) -> Item:
    """A minimal valid item; mandatory unless it has a ``when`` condition. ``effort`` picks a person-day
    range of that class (see ``EFFORT_DAYS``) unless ``effort_days`` gives one; the keywords are
    ``item_data``'s."""
    return Item.model_validate(item_data(item_id, **fields))


def item_data(
    item_id: str,
    *,
    chapter: int = 1,
    when: dict[str, Any] | None = None,
    severity: str = "high",
    effort: str = "medium",
    effort_days: tuple[float, float] | None = None,
    cia: tuple[str, ...] = ("confidentiality",),
    layers: tuple[str, ...] = ("application",),
    level: str = "baseline",
    csf: str = "PR",
    depends_on: tuple[str, ...] = (),
) -> dict[str, Any]:
    """The fields of a minimal valid item, as a catalog file holds them (see ``item``)."""
    return {
        "id": item_id,
        "chapter": chapter,
        "section": "s",
        "title": _text(f"title of {item_id}"),
        "objective": _text("objective"),
        "risk": _text("risk"),
        "applicability": {"mandatory": when is None, "when": when, "example": _text("example")},
        "countermeasures": [_text("countermeasure")],
        "bad_examples": [],
        "do": [_text("do")],
        "dont": [],
        "evidence": [{"text": _text("evidence"), "automatable": False}],
        "cia": list(cia),
        "layers": list(layers),
        "responsibility": "venture",
        "fisc": [],
        "references": [],
        "technotes": [],
        "checks": [],
        "severity": severity,
        "effort_days": list(effort_days or EFFORT_DAYS[effort]),
        "csf": csf,
        "level": level,
        "depends_on": list(depends_on),
    }


def catalog_meta_data() -> dict[str, Any]:
    """catalog.yaml of the test catalogs: chapters 1–8, each with the one section ``s``."""
    chapters = [
        {
            "number": n,
            "slug": f"chapter-{n}",
            "title": _text(f"chapter {n}"),
            "summary": _text("summary"),
            "sections": [{"id": "s", "title": _text("section")}],
        }
        for n in range(1, 9)
    ]
    return {"version": CATALOG_VERSION, "chapters": chapters}


def catalog(*items: Item) -> Catalog:
    meta = CatalogMeta.model_validate(catalog_meta_data())
    return Catalog(meta=meta, items=tuple(items), concepts=())


def plan(cat: Catalog, priorities: dict[str, int], profile: Profile | None = None) -> Plan:
    """A plan of the given items in the given order, with chosen priorities (1–4, the phase's rank + 1;
    tailoring is tested apart)."""
    chosen = profile or Profile()
    risk = assess_risk(chosen)
    planned = []
    for item_id, priority in priorities.items():
        it = cat.item(item_id)
        assert it is not None
        found, level, protects = item_risk(it, risk)
        planned.append(
            PlannedItem(
                id=it.id,
                chapter=it.chapter,
                mandatory=it.mandatory,
                severity=it.severity,
                effort_days=it.effort_days,
                risk=found,
                phase=list(Phase)[priority - 1],
                phase_reason=PhaseReason(
                    risk=found,
                    level=level,
                    protects=protects,
                    severity=it.severity,
                    effort=it.effort,
                    advanced=False,
                ),
                reasons=("test",),
                level=it.level,
                csf=it.csf,
                depends_on=tuple(it.depends_on),
            )
        )
    return Plan(
        profile=chosen,
        risk=risk,
        catalog_version=cat.version,
        lang="en",
        items=tuple(planned),
    )


def answer(status: Status | str, **fields: Any) -> Answer:
    return Answer(status=Status(status), **fields)


def acceptance(item_id: str, expires: dt.date, decided: dt.date = dt.date(2026, 1, 1)) -> Acceptance:
    return Acceptance(item=item_id, rationale="carried on purpose", approver="CEO", decided=decided, expires=expires)


def evidence(evidence_id: str, item_id: str, expires: dt.date) -> EvidenceRecord:
    return EvidenceRecord(
        id=evidence_id,
        item=item_id,
        kind=EvidenceKind.URL,
        url="https://example.invalid/proof",
        name="proof",
        added_by="tester",
        added_at=dt.datetime(2026, 1, 1, tzinfo=dt.UTC),
        effective_from=dt.date(2026, 1, 1),
        expires=expires,
    )


def assessment(
    answers: dict[str, Answer],
    acceptances: list[Acceptance] | None = None,
    evidence_records: list[EvidenceRecord] | None = None,
    profile: Profile | None = None,
) -> Assessment:
    meta = WorkspaceMeta(organisation="Test KK", catalog_version=CATALOG_VERSION, created=dt.date(2026, 1, 1))
    return Assessment(
        meta=meta,
        profile=profile or Profile(),
        answers=answers,
        acceptances=acceptances or [],
        evidence=evidence_records or [],
    )
