"""Changing a workspace: `antai init | set | accept | validate | record | upgrade | repair` (`antai org`: org.py).

Each command parses its options, calls one use case of :mod:`antai.app.usecases` and words the result;
errors are worded by cli/errors.py on the way out.
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import click

from antai.cli.context import get_env
from antai.cli.errors import BadUsage, CheckFailed, Unknown
from antai.cli.output import emit_json, print_reconciliation
from antai.cli.params import (
    DATE,
    EnumChoice,
    apply_sets,
    format_option,
    lang_option,
    read_profile,
    workspace_option,
)
from antai.messages import issue_text, notice, status_word


@click.command()
@click.argument("directory", required=False, type=click.Path(file_okay=False, path_type=Path))
@click.option(
    "--profile",
    "profile_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Profile file (or example:NAME); without it the questionnaire runs.",
)
@click.option("--organisation", "--org", "organisation", help="Name of the organisation (asked if missing).")
@click.option("--set", "sets", multiple=True, metavar="KEY=VALUE", help="Adjust a profile answer.")
@lang_option
def init(
    directory: Path | None, profile_path: Path | None, organisation: str | None, sets: tuple[str, ...], lang: str
) -> None:
    """Create a workspace in DIRECTORY (default: here) for a team to keep in git.

    Also writes .gitattributes (keep bytes as written; merge the history by union) and .gitignore.
    Next: `antai org` (the facts banks ask first), `antai assess`, `antai status`.
    """
    from antai.app import usecases
    from antai.cli.prompts import questionnaire, read
    from antai.tailoring.profile import Profile

    env = get_env()
    root = directory or Path(".")
    catalog = env.catalog()
    store = env.store(root)
    if store.exists():
        raise CheckFailed(env.say("init_exists", root=root))
    if profile_path is not None:
        prof = apply_sets(read_profile(profile_path, lang), sets, lang)
    elif sys.stdin.isatty():
        data = questionnaire(apply_sets(Profile(), sets, lang).model_dump(mode="json"), lang)
        prof = Profile.model_validate(data)
    else:
        raise BadUsage(env.say("init_needs_profile"), lang)
    name = organisation
    if not name:
        if not sys.stdin.isatty():
            raise BadUsage(env.say("init_needs_org"), lang)
        name = read(env.say("ask_org"))
    plan = usecases.init(store, catalog, prof, name, env.actor())
    click.echo(env.say("init_done", root=root.resolve(), count=len(plan.items), version=catalog.version))
    click.echo(env.say("next", hint=f"antai org -C {root}; antai assess -C {root}; antai status -C {root}"), err=True)


@click.command("set")
@click.argument("item_id", metavar="ITEM")
@click.option(
    "--status", type=EnumChoice("antai.assessment.model:Status", exclude=("risk_accepted",), label_prefix="status.")
)
@click.option("--owner")
@click.option("--due", type=DATE, metavar="YYYY-MM-DD", help="Due date of a planned or partial item.")
@click.option("--reason", help="Why not applicable, or why the compensation is enough.")
@click.option("--by", "compensated_by", help="The item or new-technology note that compensates.")
@click.option("--note")
@click.option(
    "--interim", help="What limits the risk until the item is done (planned, partial or not implemented items)."
)
@click.option("--approver", help="not_applicable on a mandatory item: who decided (name and role).")
@click.option(
    "--expires", type=DATE, metavar="YYYY-MM-DD", help="not_applicable on a mandatory item: when to review it."
)
@workspace_option
@lang_option
def set_(
    item_id: str,
    status: str | None,
    owner: str | None,
    due: dt.date | None,
    reason: str | None,
    compensated_by: str | None,
    note: str | None,
    interim: str | None,
    approver: str | None,
    expires: dt.date | None,
    workspace_dir: Path,
    lang: str,
) -> None:
    """Record the status of one item (risk acceptance: `antai accept`)."""
    from antai.app import usecases
    from antai.assessment.model import Status
    from antai.assessment.rules import AnswerChange

    env = get_env()
    change = AnswerChange(
        status=Status(status) if status else None,
        owner=owner,
        due=due,
        reason=reason,
        compensated_by=compensated_by,
        note=note,
        interim=interim,
        approver=approver,
        expires=expires,
    )
    if change.empty:
        raise BadUsage(env.say("nothing_to_set"), lang)
    catalog = env.catalog()
    transition = usecases.set_answer(env.store(workspace_dir), catalog, env.actor(), item_id.strip().upper(), change)
    click.echo(env.say("set_done", item=transition.item, status=status_word(transition.after.status.value, lang)))
    if transition.failing_scans:
        click.echo(env.say("set_contradicted", item=transition.item, ids=", ".join(transition.failing_scans)), err=True)


@click.command()
@click.argument("item_id", metavar="ITEM")
@click.option("--rationale", required=True, help="Why the risk is acceptable (the reasoned decision).")
@click.option("--approver", required=True, help="Who decided (name and role).")
@click.option("--expires", required=True, type=DATE, metavar="YYYY-MM-DD", help="When the decision must be reviewed.")
@click.option("--decided", type=DATE, metavar="YYYY-MM-DD", help="Date of the decision (default: today).")
@workspace_option
@lang_option
def accept(
    item_id: str,
    rationale: str,
    approver: str,
    expires: dt.date,
    decided: dt.date | None,
    workspace_dir: Path,
    lang: str,
) -> None:
    """Record a reasoned decision to accept the risk of not implementing ITEM."""
    from antai.app import usecases

    env = get_env()
    catalog = env.catalog()
    transition = usecases.accept(
        env.store(workspace_dir), catalog, env.actor(), item_id.strip().upper(), rationale, approver, expires, decided
    )
    decision = transition.decision
    assert decision is not None
    click.echo(
        env.say("accept_done", item=decision.item, approver=decision.approver, expires=decision.expires.isoformat())
    )


# --- hand edits, upgrades, repair ----------------------------------------------------------------------------


@click.command()
@workspace_option
@format_option("text", "json")
@lang_option
def validate(workspace_dir: Path, fmt: str, lang: str) -> None:
    """Check a (hand-edited) workspace: file:line:column: message for every problem; exit 1 if any."""
    from antai.app.usecases import problems as find_problems
    from antai.app.usecases import require_readable
    from antai.catalog import SourceError
    from antai.workspace.store import FILES

    env = get_env()
    catalog = env.catalog()
    store = env.store(workspace_dir)
    messages: list[str] = []
    unlogged: list[str] = []
    with store.locked():
        try:
            snapshot = store.load()
        except SourceError as exc:
            from antai.cli.problem_words import problem_text

            messages = [problem_text(p, env.lang) for p in exc.problems]
        else:
            require_readable(snapshot.assessment.meta)
            for issue in find_problems(snapshot, catalog):
                name = FILES[issue.part]
                loc = ("answers", *issue.loc) if issue.part.value == "answers" else issue.loc
                line, column = store.position(name, loc)
                wording = issue_text(issue.code, issue.params, issue.message, lang)
                messages.append(f"{store.path(name)}:{line}:{column}: {wording}")
        unlogged = store.unrecorded()
    if fmt == "json":
        emit_json({"problems": messages, "unlogged_changes": unlogged})
    else:
        for message in messages:
            click.echo(message)
        for name in unlogged:
            click.echo(env.say("unrecorded_file", path=store.path(name)), err=True)
    if messages:
        raise CheckFailed(env.say("problems", count=len(messages)))
    if fmt == "text":
        click.echo(env.say("validate_ok_unrecorded" if unlogged else "validate_ok"), err=True)


@click.command()
@click.option("-m", "--message", required=True, help="What was edited by hand (or merged) and why.")
@workspace_option
@lang_option
@click.pass_context
def record(ctx: click.Context, message: str, workspace_dir: Path, lang: str) -> None:
    """Record hand edits — or join the history branches of a git merge — after `antai validate` passes."""
    from antai.app import usecases

    env = get_env()
    ctx.invoke(validate, workspace_dir=workspace_dir, fmt="text", lang=lang)
    catalog = env.catalog()
    after = usecases.record(env.store(workspace_dir), catalog, env.actor(), message)
    files = ", ".join(after.get("files") or []) or env.say("recorded_no_file")
    branches = after.get("branches_joined")
    joined = env.say("recorded_joined", count=branches) if branches else ""
    click.echo(env.say("recorded", files=files, joined=joined))


@click.command()
@click.option("--dry-run", is_flag=True, help="Show what would change, change nothing.")
@format_option("text", "json")
@workspace_option
@lang_option
def upgrade(dry_run: bool, fmt: str, workspace_dir: Path, lang: str) -> None:
    """Move the workspace to this antai's catalog (never a downgrade).

    New items start unanswered, removed ones are archived with their answers, changed ones are flagged
    for review.
    """
    from antai.app import usecases

    env = get_env()
    catalog = env.catalog()
    result = usecases.upgrade(env.store(workspace_dir), catalog, env.actor(), dry_run)
    if fmt == "json":
        emit_json(
            {
                "old_version": result.old_version,
                "new_version": result.new_version,
                "unchanged": result.unchanged,
                "dry_run": dry_run,
                **result.reconciliation.as_dict(),
            }
        )
        return
    if result.unchanged:
        click.echo(env.say("upgrade_unchanged", version=catalog.version))
        return
    dry = env.say("dry_run") if dry_run else ""
    click.echo(env.say("upgrade_done", old=result.old_version, new=result.new_version, dry=dry))
    print_reconciliation(result.reconciliation, lang)
    unanswered = _unanswered_questions(env.store(workspace_dir).path("profile.yaml"))
    if unanswered:
        click.echo(env.say("upgrade_new_questions", keys=", ".join(unanswered), dir=workspace_dir))


def _unanswered_questions(profile_file: Path) -> list[str]:
    """Profile questions the file does not answer (added by a newer antai): they hold their defaults."""
    from antai.catalog.yamlsource import SourceError, load_yaml
    from antai.tailoring.questionnaire import QUESTIONS

    try:
        written = load_yaml(profile_file).data
    except (SourceError, OSError):
        return []
    if not isinstance(written, dict):
        return []
    return [q.key for q in QUESTIONS if q.key != "name" and q.key not in written]


@click.command()
@click.option("--discard", is_flag=True, help="Roll an interrupted change back instead of completing it.")
@workspace_option
@lang_option
def repair(discard: bool, workspace_dir: Path, lang: str) -> None:
    """Complete an interrupted change, remove stray temporary files, and say what still needs a person.

    Every command already completes an interrupted change by itself; repair says what it did.
    """
    env = get_env()
    store = env.store(workspace_dir)
    if not store.exists():
        raise Unknown(env.say("not_workspace", folder=workspace_dir))
    report = store.repair(discard=discard)
    for done in report.completed:
        click.echo(env.say("repair_completed", text=notice(done, env.lang)))
    for undone in report.rolled_back:
        click.echo(env.say("repair_rolled_back", text=notice(undone, env.lang)))
    for name in report.removed:
        click.echo(env.say("repair_removed", name=name))
    for left in report.remaining:
        click.echo(env.say("repair_remaining", text=notice(left, env.lang)))
    if not (report.completed or report.rolled_back or report.removed or report.remaining):
        click.echo(env.say("repair_nothing"))
    if report.remaining:
        raise CheckFailed(env.say("repair_needs_person", count=len(report.remaining)))
