"""`antai assess`: answer open items one by one in a plain terminal (works over SSH)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING

import click

from antai.cli.context import Env, get_env
from antai.cli.errors import to_click
from antai.cli.params import enum_values, lang_option, parse_date, workspace_option
from antai.cli.prompts import complain, read

if TYPE_CHECKING:
    from antai.catalog import Catalog, Item


def _ask_date(env: Env, key: str) -> dt.date:
    while True:
        raw = read(env.say(key))
        parsed = parse_date(raw)
        if parsed is not None:
            return parsed
        complain(env.say("bad_date", value=raw))


def _ask_compensation(env: Env, catalog: Catalog, item: Item) -> str:
    notes = ", ".join(n.id for n in catalog.technotes)
    while True:
        raw = read(env.say("assess_by", notes=notes)).strip()
        found = catalog.item(raw.upper())
        if found is not None and found.id != item.id:
            return found.id
        if catalog.technote(raw.lower()) is not None:
            return raw.lower()
        complain(env.say("assess_unknown_by", value=raw).strip())


def _choose(env: Env, choices: tuple[str, ...]) -> str:
    """A status from the menu, or "s" (skip) or "q" (stop); anything else is asked again."""
    while True:
        raw = read(env.say("assess_status"), default="s").strip().lower()
        if raw in ("q", "s"):
            return raw
        if raw.isdigit() and 0 < int(raw) <= len(choices):
            return choices[int(raw) - 1]
        if raw in choices:
            return raw
        complain(env.say("assess_not_status", raw=raw, count=len(choices)).strip())


@click.command()
@click.option("--all", "include_all", is_flag=True, help="Walk through every applicable item, not only open ones.")
@workspace_option
@lang_option
def assess(include_all: bool, workspace_dir: Path, lang: str) -> None:
    """Walk through unanswered or stale items and answer them one by one (plain terminal, works over SSH).

    Each answer is saved as soon as it is given; `s` skips an item, `q` stops. A wrong date, an unknown
    compensating ID or a mistyped number is asked again.
    """
    from antai.app import usecases
    from antai.assessment.model import Status
    from antai.assessment.rules import AnswerChange
    from antai.cli.errors import Interrupted, WorkspaceBusy, WorkspaceDamaged
    from antai.labels import label, phase_label
    from antai.messages import status_word
    from antai.scoring.score import score
    from antai.tailoring.plan import make_plan

    env = get_env()
    catalog, store, snapshot = env.snapshot(workspace_dir)
    assessment = snapshot.assessment
    plan = make_plan(catalog, assessment.profile, lang)
    flags = score(catalog, plan, assessment, dt.date.today())
    stale = set(flags.overdue) | set(flags.expired_acceptances) | set(flags.review)
    todo = [
        p for p in plan.items if include_all or assessment.answer(p.id).status == Status.UNANSWERED or p.id in stale
    ]
    if not todo:
        click.echo(env.say("assess_nothing"))
        return
    # risk acceptance last: it asks for a decision, not an answer (and keeps the menu's old numbers)
    answers = enum_values("antai.assessment.model:Status", exclude=("unanswered", "risk_accepted"))
    choices = (*answers, Status.RISK_ACCEPTED.value)
    click.echo(env.say("assess_intro", count=len(todo)))
    for n, planned in enumerate(todo, start=1):
        item = catalog.item(planned.id)
        assert item is not None
        current = assessment.answer(item.id)
        click.echo("")
        click.secho(
            f"[{n}/{len(todo)}] {item.id} {item.title(lang)}  ({phase_label(planned.priority, lang)})", bold=True
        )
        click.echo(f"  {item.objective(lang)}")
        click.echo(f"  {label('evidence', lang)}: {item.evidence[0].text(lang)}")
        click.echo(env.say("assess_now", status=label("status." + current.status.value, lang)))
        for k, choice in enumerate(choices, start=1):
            click.echo(f"   {k}. {label('status.' + choice, lang)}")
        while True:  # until this item is saved, skipped or the walk is stopped
            choice = _choose(env, choices)
            if choice in ("q", "s"):
                break
            try:
                if choice == Status.RISK_ACCEPTED:
                    rationale = read(env.say("assess_rationale"))
                    approver = read(env.say("assess_approver"))
                    expires = _ask_date(env, "assess_expires")
                    usecases.accept(store, catalog, env.actor(), item.id, rationale, approver, expires)
                    break
                due = reason = by = approver_na = None
                expires_na: dt.date | None = None
                if choice in (Status.PLANNED, Status.PARTIAL):  # both need a due date
                    due = _ask_date(env, "assess_due")
                if choice in (Status.NOT_APPLICABLE, Status.COMPENSATED):
                    reason = read(env.say("assess_reason"))
                if choice == Status.NOT_APPLICABLE and item.mandatory:
                    approver_na = read(env.say("assess_approver"))
                    expires_na = _ask_date(env, "assess_expires")
                if choice == Status.COMPENSATED:
                    by = _ask_compensation(env, catalog, item)
                owner = read(env.say("assess_owner"), default=current.owner or "", show_default=bool(current.owner))
                change = AnswerChange(
                    status=Status(choice),
                    due=due,
                    reason=reason,
                    compensated_by=by,
                    owner=owner or None,
                    approver=approver_na,
                    expires=expires_na,
                )
                transition = usecases.set_answer(store, catalog, env.actor(), item.id, change)
                click.echo(f"  {transition.item}: {status_word(transition.after.status.value, lang)}")
                break
            except Exception as exc:
                converted = to_click(exc, lang, env.error_context())
                if converted is None or isinstance(converted, WorkspaceBusy | WorkspaceDamaged | Interrupted):
                    raise  # the walk cannot go on; cli/errors.py words it on the way out
                complain(env.say("assess_not_saved", message=converted.format_message()).strip())
        if choice == "q":
            break
    click.echo("")
    click.echo(env.say("assess_done"))
