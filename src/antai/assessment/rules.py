"""Status transitions: the one place that decides what an answer may become.

Every adapter (CLI, web, collectors) changes answers through these functions, so a rule holds everywhere
or nowhere. They are pure: they take the current assessment and return the new answer and any decision
to record; storing them is the use cases' job.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from pydantic import ValidationError

from antai.assessment.model import Acceptance, Answer, DecisionKind, Status
from antai.assessment.state import Assessment
from antai.catalog import Catalog
from antai.catalog.model import ItemFacts
from antai.errors import InvalidChange, NotFound
from antai.tailoring.plan import Plan

# The fields that explain a deviation, and the statuses they belong to. When the status changes they are
# dropped unless given anew: a reason belongs to the deviation it explained.
DEVIATION_FIELDS: dict[str, frozenset[Status]] = {
    "due": frozenset({Status.PLANNED, Status.PARTIAL}),
    "reason": frozenset({Status.NOT_APPLICABLE, Status.COMPENSATED}),
    "compensated_by": frozenset({Status.COMPENSATED}),
    "interim": frozenset({Status.PLANNED, Status.PARTIAL, Status.NOT_IMPLEMENTED}),
}


@dataclass(frozen=True)
class AnswerChange:
    """What a person asks to change about one answer; ``None`` leaves a field as it is."""

    status: Status | None = None
    owner: str | None = None
    due: dt.date | None = None
    reason: str | None = None
    compensated_by: str | None = None
    note: str | None = None
    interim: str | None = None  # what limits the risk until the item is done
    approver: str | None = None  # with not_applicable on a mandatory item: who decided
    expires: dt.date | None = None  # with not_applicable on a mandatory item: until when

    @property
    def empty(self) -> bool:
        return all(getattr(self, name) is None for name in self.__dataclass_fields__)


@dataclass(frozen=True)
class Transition:
    item: str
    before: Answer
    after: Answer
    decision: Acceptance | None = None
    failing_scans: tuple[str, ...] = ()  # automated evidence (IDs) that fails while the answer says implemented


def validation_text(exc: ValidationError) -> str:
    err = exc.errors(include_url=False)[0]
    where = ".".join(str(p) for p in err["loc"])
    text = re.sub(r"^Value error, ", "", err["msg"])
    return f"{where}: {text}" if where else text


def applicable_item(catalog: Catalog, plan: Plan, item_id: str) -> ItemFacts:
    """The catalog item's facts (its text is not needed, so not read), which must apply to this profile."""
    item = catalog.rule(item_id)
    if item is None:
        raise NotFound(f"no item {item_id} (see `antai items`)", code="unknown_item", item=item_id)
    if item.id not in plan.ids:
        raise InvalidChange(
            f"{item.id} does not apply to this service's profile "
            "(see `antai plan --profile profile.yaml` in the workspace)",
            code="not_in_plan",
            item=item.id,
        )
    return item


def set_answer(
    catalog: Catalog, plan: Plan, assessment: Assessment, item_id: str, change: AnswerChange, today: dt.date
) -> Transition:
    """The answer ``change`` makes of the current one, or InvalidChange naming the broken rule."""
    item = applicable_item(catalog, plan, item_id)
    if change.empty:
        raise InvalidChange("nothing to change", code="empty_change")
    if change.status == Status.RISK_ACCEPTED:
        raise InvalidChange(
            "record a risk acceptance with `antai accept ITEM --rationale … --approver … --expires …`",
            code="use_accept",
            item=item.id,
        )
    before = assessment.answer(item.id)
    status = change.status or before.status
    data = before.model_dump(exclude_none=True)
    if status != before.status:
        for name in DEVIATION_FIELDS:
            data.pop(name, None)
    for name in ("owner", "due", "reason", "compensated_by", "note", "interim"):
        value = getattr(change, name)
        if value is not None:
            data[name] = value
    for name, statuses in DEVIATION_FIELDS.items():
        if status not in statuses and name in data:
            if getattr(change, name) is not None:
                raise InvalidChange(
                    f"{item.id}: {name} applies only to {' or '.join(sorted(statuses))} items",
                    code="field_not_for_status",
                    item=item.id,
                    field=name,
                )
            data.pop(name)
    data.update(status=status, updated=today, review=False)
    if status == Status.PARTIAL and "due" not in data:
        raise InvalidChange(
            f"{item.id}: a partial item needs a due date for the rest (--due YYYY-MM-DD)",
            code="partial_needs_due",
            item=item.id,
        )
    try:
        after = Answer.model_validate(data)
    except ValidationError as exc:
        raise InvalidChange(f"{item.id}: {validation_text(exc)}", code="rule", item=item.id) from None
    if after.compensated_by:
        target = after.compensated_by
        if target == item.id or (catalog.rule(target) is None and catalog.technote(target) is None):
            raise InvalidChange(
                f"{item.id}: compensated_by '{target}' must be another item or a new-technology note",
                code="unknown_compensation",
                item=item.id,
                target=target,
            )
    decision = None
    if (change.approver is None) != (change.expires is None):
        raise InvalidChange(
            f"{item.id}: a not-applicable decision needs both --approver and --expires",
            code="decision_incomplete",
            item=item.id,
        )
    if change.approver is not None and status != Status.NOT_APPLICABLE:
        raise InvalidChange(
            f"{item.id}: --approver and --expires record a not-applicable decision; "
            "for a risk acceptance use `antai accept`",
            code="approver_not_for_status",
            item=item.id,
        )
    declaring = change.status is not None or change.reason is not None
    if status == Status.NOT_APPLICABLE and item.mandatory and declaring and change.approver is None:
        raise InvalidChange(
            f"{item.id} applies in all cases (mandatory): declaring it not applicable is a deviation that "
            "needs --approver (who decided) and --expires (when to review it), besides --reason",
            code="mandatory_not_applicable",
            item=item.id,
        )
    if status == Status.NOT_APPLICABLE and change.approver is not None and change.expires is not None:
        assert after.reason is not None  # the Answer rules require a reason for not_applicable
        decision = _decision(item.id, DecisionKind.NOT_APPLICABLE, after.reason, change.approver, today, change.expires)
    return Transition(item.id, before, after, decision)


def accept(
    catalog: Catalog,
    plan: Plan,
    assessment: Assessment,
    item_id: str,
    rationale: str,
    approver: str,
    expires: dt.date,
    decided: dt.date,
) -> Transition:
    """Risk acceptance: the answer becomes risk_accepted and loses the fields of its previous status."""
    item = applicable_item(catalog, plan, item_id)
    decision = _decision(item.id, DecisionKind.RISK_ACCEPTANCE, rationale, approver, decided, expires)
    before = assessment.answer(item.id)
    data = before.model_dump(exclude_none=True)
    for name in DEVIATION_FIELDS:
        data.pop(name, None)
    data.update(status=Status.RISK_ACCEPTED, updated=decided, review=False)
    return Transition(item.id, before, Answer.model_validate(data), decision)


def _decision(
    item_id: str, kind: DecisionKind, rationale: str, approver: str, decided: dt.date, expires: dt.date
) -> Acceptance:
    try:
        return Acceptance(
            item=item_id, kind=kind, rationale=rationale, approver=approver, decided=decided, expires=expires
        )
    except ValidationError as exc:
        raise InvalidChange(f"{item_id}: {validation_text(exc)}", code="rule", item=item_id) from None
