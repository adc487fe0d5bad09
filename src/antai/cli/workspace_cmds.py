"""CLI commands over a workspace folder: init, set, accept, evidence, assess, validate, record, repair, log,
verify, status, upgrade, profile set, org and report. Every command takes -C DIR (default: the current
folder). The commands only parse options, call a use case of :mod:`antai.app.usecases` and word the result."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from antai.cli.main import (
    EXIT_BUSY,
    EXIT_DAMAGED,
    CheckFailed,
    NotFound,
    _apply_sets,
    _emit_json,
    _load,
    _read_profile,
    cli,
    lang_option,
    profile,
)

if TYPE_CHECKING:
    from antai.app.ports import Actor, Snapshot
    from antai.catalog import Catalog
    from antai.workspace.store import FileStore

F = TypeVar("F", bound=Callable[..., Any])

_STATUSES = ["unanswered", "implemented", "partial", "planned", "not_implemented", "not_applicable", "compensated"]


def workspace_option(func: F) -> F:
    return click.option(
        "-C",
        "--workspace",
        "workspace_dir",
        type=click.Path(file_okay=False, path_type=Path),
        default=Path("."),
        show_default=True,
        help="The workspace folder.",
    )(func)


def _date(value: str | None, name: str) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"'{value}' is not a date (YYYY-MM-DD)", param_hint=name) from None


class Busy(click.ClickException):
    exit_code = EXIT_BUSY


class Damaged(click.ClickException):
    exit_code = EXIT_DAMAGED


@contextmanager
def _user_errors() -> Iterator[None]:
    """Core errors become clear messages with the documented exit codes, never tracebacks."""
    from antai import errors
    from antai.app.usecases import InvalidAssessment
    from antai.catalog import SourceError

    try:
        yield
    except errors.NotFound as exc:
        raise NotFound(str(exc)) from None
    except errors.Busy as exc:
        raise Busy(str(exc)) from None
    except (errors.Damaged, errors.NewerFormat) as exc:
        raise Damaged(str(exc)) from None
    except errors.UnrecordedEdits as exc:
        raise CheckFailed(
            f"{', '.join(exc.parts)} changed outside antai since the last recorded change. Check it with "
            "`antai validate`, then record it with `antai record -m MESSAGE` (or undo it with git) before "
            "making new changes."
        ) from None
    except InvalidAssessment as exc:
        for issue in exc.issues:
            click.echo(f"{issue.part.value}: {issue.message}", err=True)
        raise CheckFailed(str(exc)) from None
    except errors.AntaiError as exc:
        raise CheckFailed(str(exc)) from None
    except SourceError as exc:
        for problem in exc.problems:
            click.echo(str(problem), err=True)
        raise CheckFailed(f"{len(exc.problems)} problem(s) in the workspace files") from None


def _store(workspace_dir: Path) -> FileStore:
    from antai.workspace.store import FileStore

    return FileStore(workspace_dir)


def _actor() -> Actor:
    from antai.app.ports import Actor
    from antai.workspace.store import current_user

    return Actor(who=current_user(), now=dt.datetime.now(dt.UTC).replace(microsecond=0))


def _snapshot(ctx: click.Context, workspace_dir: Path) -> tuple[Catalog, FileStore, Snapshot]:
    """The catalog, the store and a snapshot for a command that reads; warns when the catalogs differ."""
    from antai.app.usecases import require_readable, version_tuple

    catalog = _load(ctx)
    store = _store(workspace_dir)
    with store.locked():
        snapshot = store.load()
    meta = snapshot.assessment.meta
    require_readable(meta)
    if meta.catalog_version != catalog.version:
        if version_tuple(meta.catalog_version) > version_tuple(catalog.version):
            from antai.errors import NewerFormat

            raise NewerFormat(
                f"the workspace pins catalog {meta.catalog_version}, newer than this antai's {catalog.version}: "
                "install a newer antai"
            )
        click.secho(
            f"note: the workspace pins catalog {meta.catalog_version}; antai has {catalog.version} "
            "— run `antai upgrade` to carry the answers across",
            fg="yellow",
            err=True,
        )
    if snapshot.unrecorded:
        click.secho(
            f"warning: {', '.join(snapshot.unrecorded)} changed outside antai and are not recorded "
            "(`antai validate`, then `antai record -m …`)",
            fg="yellow",
            err=True,
        )
    return catalog, store, snapshot


@cli.command()
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
@click.pass_context
def init(
    ctx: click.Context,
    directory: Path | None,
    profile_path: Path | None,
    organisation: str | None,
    sets: tuple[str, ...],
    lang: str,
) -> None:
    """Create a workspace in DIRECTORY (default: here) for a team to keep in git.

    Also writes .gitattributes (keep bytes as written; merge the history by union) and .gitignore.
    """
    import sys

    from antai.app import usecases
    from antai.tailoring.profile import Profile

    root = directory or Path(".")
    catalog = _load(ctx)
    if _store(root).exists():
        raise CheckFailed(f"{root} already holds a workspace (antai.yaml); choose another folder")
    if profile_path is not None:
        prof = _apply_sets(_read_profile(profile_path), sets)
    elif sys.stdin.isatty():
        from antai.cli.main import _ask
        from antai.tailoring.questionnaire import QUESTIONS

        data = _apply_sets(Profile(), sets).model_dump(mode="json")
        for question in QUESTIONS:
            data[question.key] = _ask(question, data.get(question.key), lang)
        prof = Profile.model_validate(data)
    else:
        raise click.UsageError("give --profile FILE (no terminal to ask the questionnaire in)")
    name = organisation
    if not name:
        if not sys.stdin.isatty():
            raise click.UsageError("give --organisation NAME (the company that owns the service)")
        name = click.prompt("組織名" if lang == "ja" else "Organisation name")
    with _user_errors():
        plan = usecases.init(_store(root), catalog, prof, name, _actor())
    click.echo(f"{root.resolve()}: {len(plan.items)} items to assess (catalog {catalog.version})")
    click.echo("next: antai status -C " + str(root), err=True)


@cli.command("set")
@click.argument("item_id", metavar="ITEM")
@click.option("--status", type=click.Choice(_STATUSES))
@click.option("--owner")
@click.option("--due", help="Due date of a planned item (YYYY-MM-DD).")
@click.option("--reason", help="Why not applicable, or why the compensation is enough.")
@click.option("--by", "compensated_by", help="The item or new-technology note that compensates.")
@click.option("--note")
@click.option("--approver", help="not_applicable on a mandatory item: who decided (name and role).")
@click.option("--expires", help="not_applicable on a mandatory item: when to review the decision (YYYY-MM-DD).")
@workspace_option
@lang_option
@click.pass_context
def set_(
    ctx: click.Context,
    item_id: str,
    status: str | None,
    owner: str | None,
    due: str | None,
    reason: str | None,
    compensated_by: str | None,
    note: str | None,
    approver: str | None,
    expires: str | None,
    workspace_dir: Path,
    lang: str,
) -> None:
    """Record the status of one item (risk acceptance: `antai accept`)."""
    from antai.app import usecases
    from antai.assessment.model import Status
    from antai.assessment.rules import AnswerChange

    change = AnswerChange(
        status=Status(status) if status else None,
        owner=owner,
        due=_date(due, "--due"),
        reason=reason,
        compensated_by=compensated_by,
        note=note,
        approver=approver,
        expires=_date(expires, "--expires"),
    )
    if change.empty:
        raise click.UsageError("nothing to set: give --status, --owner, --due, --reason, --by or --note")
    catalog = _load(ctx)
    with _user_errors():
        transition = usecases.set_answer(_store(workspace_dir), catalog, _actor(), item_id.strip().upper(), change)
    click.echo(f"{transition.item}: {_status_word(transition.after.status.value, lang)}")


def _status_word(status: str, lang: str) -> str:
    from antai.labels import label

    return label("status." + status, lang) if lang == "ja" else status


@cli.command()
@click.argument("item_id", metavar="ITEM")
@click.option("--rationale", required=True, help="Why the risk is acceptable (the reasoned decision).")
@click.option("--approver", required=True, help="Who decided (name and role).")
@click.option("--expires", required=True, help="When the decision must be reviewed (YYYY-MM-DD).")
@click.option("--decided", help="Date of the decision (default: today).")
@workspace_option
@lang_option
@click.pass_context
def accept(
    ctx: click.Context,
    item_id: str,
    rationale: str,
    approver: str,
    expires: str,
    decided: str | None,
    workspace_dir: Path,
    lang: str,
) -> None:
    """Record a reasoned decision to accept the risk of not implementing ITEM."""
    from antai.app import usecases

    expiry = _date(expires, "--expires")
    assert expiry is not None
    catalog = _load(ctx)
    with _user_errors():
        transition = usecases.accept(
            _store(workspace_dir),
            catalog,
            _actor(),
            item_id.strip().upper(),
            rationale,
            approver,
            expiry,
            _date(decided, "--decided"),
        )
    decision = transition.decision
    assert decision is not None
    if lang == "ja":
        click.echo(f"{decision.item}: リスク受容（承認者 {decision.approver}、期限 {decision.expires.isoformat()}）")
    else:
        click.echo(f"{decision.item}: risk accepted by {decision.approver} until {decision.expires.isoformat()}")


@cli.group()
def evidence() -> None:
    """Evidence: files and links that show an item is done."""


@evidence.command("add")
@click.argument("item_id", metavar="ITEM")
@click.argument("source", metavar="FILE|URL")
@click.option("--effective-date", help="The date the evidence shows the state of (default: today).")
@click.option("--expires", help="When the evidence goes stale (default: one year after the effective date).")
@click.option("--note")
@workspace_option
@lang_option
@click.pass_context
def evidence_add(
    ctx: click.Context,
    item_id: str,
    source: str,
    effective_date: str | None,
    expires: str | None,
    note: str | None,
    workspace_dir: Path,
    lang: str,
) -> None:
    """Attach a file (copied into evidence/files/ with its SHA-256) or a link to ITEM."""
    import re

    from antai.app import usecases

    catalog = _load(ctx)
    target: str | Path = source if re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:", source) else Path(source)
    with _user_errors():
        record = usecases.add_evidence(
            _store(workspace_dir),
            catalog,
            _actor(),
            item_id.strip().upper(),
            target,
            _date(effective_date, "--effective-date"),
            _date(expires, "--expires"),
            note,
        )
    click.echo(
        f"{record.id} → {record.item}: {record.name}" + (f" (sha256 {record.sha256[:12]}…)" if record.sha256 else "")
    )


@evidence.command("withdraw")
@click.argument("evidence_id", metavar="EVIDENCE_ID")
@click.option("--reason", required=True, help="Why the evidence no longer holds.")
@workspace_option
@click.pass_context
def evidence_withdraw(ctx: click.Context, evidence_id: str, reason: str, workspace_dir: Path) -> None:
    """Withdraw an evidence record: it stays in the index, marked withdrawn, and no longer counts."""
    from antai.app import usecases

    catalog = _load(ctx)
    with _user_errors():
        record = usecases.withdraw_evidence(_store(workspace_dir), catalog, _actor(), evidence_id, reason)
    click.echo(f"{record.id} withdrawn ({record.item})")


@evidence.command("list")
@click.argument("item_id", metavar="ITEM", required=False)
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@workspace_option
@lang_option
@click.pass_context
def evidence_list(ctx: click.Context, item_id: str | None, fmt: str, workspace_dir: Path, lang: str) -> None:
    """List evidence records (of one ITEM)."""
    with _user_errors():
        catalog, _, snapshot = _snapshot(ctx, workspace_dir)
    wanted = item_id.strip().upper() if item_id else None
    if wanted and catalog.item(wanted) is None:
        raise NotFound(f"no item {wanted} (see `antai items`)")
    today = dt.date.today()
    records = [r for r in snapshot.assessment.evidence if not wanted or r.item == wanted]
    if fmt == "json":
        _emit_json([r.model_dump(mode="json", exclude_none=True) for r in records])
        return
    for record in records:
        if record.withdrawn is not None:
            flag = "  （取り下げ）" if lang == "ja" else "  WITHDRAWN"
        elif record.expires < today:
            flag = "  （期限切れ）" if lang == "ja" else "  EXPIRED"
        else:
            flag = ""
        click.echo(f"{record.id}  {record.item}  {record.effective_from}…{record.expires}  {record.name}{flag}")


@cli.command()
@workspace_option
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@lang_option
@click.pass_context
def validate(ctx: click.Context, workspace_dir: Path, fmt: str, lang: str) -> None:
    """Check a (hand-edited) workspace: file:line:column: message for every problem; exit 1 if any."""
    from antai.app.usecases import problems as find_problems
    from antai.app.usecases import require_readable
    from antai.catalog import SourceError
    from antai.workspace.store import FILES

    catalog = _load(ctx)
    store = _store(workspace_dir)
    messages: list[str] = []
    unlogged: list[str] = []
    with _user_errors(), store.locked():
        try:
            snapshot = store.load()
        except SourceError as exc:
            messages = [str(p) for p in exc.problems]
        else:
            require_readable(snapshot.assessment.meta)
            for issue in find_problems(snapshot, catalog):
                name = FILES[issue.part]
                loc = ("answers", *issue.loc) if issue.part.value == "answers" else issue.loc
                line, column = store.position(name, loc)
                messages.append(f"{store.path(name)}:{line}:{column}: {issue.message}")
        unlogged = store.unrecorded()
    if fmt == "json":
        _emit_json({"problems": messages, "unlogged_changes": unlogged})
    else:
        for message in messages:
            click.echo(message)
        for name in unlogged:
            click.echo(f"{store.path(name)}: changed outside antai (record it with `antai record -m …`)", err=True)
    if messages:
        raise CheckFailed(f"{len(messages)} problem(s)")
    if fmt == "text":
        click.echo("OK" + (" (with unrecorded hand edits)" if unlogged else ""), err=True)


@cli.command()
@click.option("-m", "--message", required=True, help="What was edited by hand (or merged) and why.")
@workspace_option
@click.pass_context
def record(ctx: click.Context, message: str, workspace_dir: Path) -> None:
    """Record hand edits — or join the history branches of a git merge — after `antai validate` passes."""
    from antai.app import usecases

    ctx.invoke(validate, workspace_dir=workspace_dir, fmt="text", lang="en")
    catalog = _load(ctx)
    with _user_errors():
        after = usecases.record(_store(workspace_dir), catalog, _actor(), message)
    files = ", ".join(after.get("files") or []) or "no file"
    joined = f"; joined {after['branches_joined']} history branches" if after.get("branches_joined") else ""
    click.echo(f"recorded: {files}{joined}")


@cli.command()
@click.option("--discard", is_flag=True, help="Roll an interrupted change back instead of completing it.")
@workspace_option
def repair(discard: bool, workspace_dir: Path) -> None:
    """Complete an interrupted change, remove stray temporary files, and say what still needs a person.

    Every command already completes an interrupted change by itself; repair says what it did.
    """
    store = _store(workspace_dir)
    if not store.exists():
        raise NotFound(f"{workspace_dir} is not an antai workspace")
    with _user_errors():
        report = store.repair(discard=discard)
    for text in report.completed:
        click.echo(f"completed the interrupted change: {text}")
    for text in report.rolled_back:
        click.echo(f"rolled back the interrupted change: {text}")
    for name in report.removed:
        click.echo(f"removed stray file {name}")
    for text in report.remaining:
        click.echo(f"needs you: {text}")
    if not (report.completed or report.rolled_back or report.removed or report.remaining):
        click.echo("nothing to repair")
    if report.remaining:
        raise CheckFailed(f"{len(report.remaining)} thing(s) need a person")


@cli.command()
@click.argument("item_id", metavar="ITEM", required=False)
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@workspace_option
@lang_option
@click.pass_context
def log(ctx: click.Context, item_id: str | None, fmt: str, workspace_dir: Path, lang: str) -> None:
    """Show the history of changes (of one ITEM)."""
    store = _store(workspace_dir)
    if not store.exists():
        raise NotFound(f"{workspace_dir} is not an antai workspace")
    wanted = item_id.strip().upper() if item_id else None
    if wanted and _load(ctx).item(wanted) is None:
        raise NotFound(f"no item {wanted} (see `antai items`)")
    entries = [e for e in store.history() if not wanted or e.get("item") == wanted]
    if fmt == "json":
        _emit_json(entries)
        return
    for e in entries:
        click.echo(_log_line(e))


def _log_line(e: dict[str, Any]) -> str:
    change = ""
    before, after = e.get("before"), e.get("after")
    if e.get("action") == "set" and isinstance(before, dict) and isinstance(after, dict):
        fields = [k for k in sorted(set(before) | set(after)) if k not in ("updated", "decision")]
        changed = [k for k in fields if before.get(k) != after.get(k)]
        if "status" in changed or before.get("status") != after.get("status"):
            change = f" {before.get('status', '—')} → {after.get('status')}"
        others = [k for k in changed if k != "status"]
        if others:
            change += f" ({', '.join(others)})"
    elif e.get("action") == "accept" and isinstance(after, dict):
        change = f" risk accepted until {after.get('expires')}"
    elif e.get("action") == "evidence" and isinstance(after, dict):
        change = f" {after.get('id')} {after.get('name')}"
    elif e.get("action") == "organisation" and isinstance(after, dict):
        change = f" {', '.join(sorted(after))}"
    elif e.get("message"):
        change = f" “{e['message']}”"
    merged = f" (joins {len(e['merge'])} branch(es))" if e.get("merge") else ""
    return f"#{e.get('seq')} {e.get('at')} {e.get('who')} {e.get('action')} {e.get('item') or ''}{change}{merged}"


@cli.command()
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@workspace_option
def verify(fmt: str, workspace_dir: Path) -> None:
    """Recompute the history chain and evidence hashes; exit 1 naming the first altered entry or file."""
    from antai.workspace.verify import verify as run_verify

    store = _store(workspace_dir)
    if not store.exists():
        raise NotFound(f"{workspace_dir} is not an antai workspace")
    with _user_errors():
        result = run_verify(store)
    if fmt == "json":
        _emit_json(result.as_dict())
    else:
        for problem in result.problems:
            click.echo(problem)
    if not result.ok:
        raise CheckFailed("verification failed")
    if fmt == "text":
        head = (result.head or "")[:16]
        click.echo(
            f"OK: {result.entries} history entries intact (head {head}…), "
            f"{result.evidence_checked} evidence files match"
        )


@cli.command()
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
@workspace_option
@lang_option
@click.pass_context
def status(ctx: click.Context, fmt: str, workspace_dir: Path, lang: str) -> None:
    """Where the assessment stands: coverage, scores by chapter / CIA / layer, ranked gaps and flags."""
    from antai.scoring.score import score
    from antai.tailoring.plan import make_plan

    with _user_errors():
        catalog, _, snapshot = _snapshot(ctx, workspace_dir)
    assessment = snapshot.assessment
    plan = make_plan(catalog, assessment.profile, lang)
    result = score(catalog, plan, assessment, dt.date.today())
    if fmt == "json":
        _emit_json(
            {
                "organisation": assessment.meta.organisation,
                "catalog_version": catalog.version,
                "tier": plan.risk.tier.level.value,
                "history": {"entries": snapshot.seq, "head": snapshot.version},
                "unrecorded_changes": list(snapshot.unrecorded),
                **result.as_dict(),
            }
        )
        return
    from antai.cli.status_view import print_status

    print_status(catalog, plan, assessment, result, lang)


@cli.command()
@click.option("--dry-run", is_flag=True, help="Show what would change, change nothing.")
@workspace_option
@click.pass_context
def upgrade(ctx: click.Context, dry_run: bool, workspace_dir: Path) -> None:
    """Move the workspace to this antai's catalog: new items start unanswered, removed ones are archived
    with their answers, changed ones are flagged for review. Never downgrades."""
    from antai.app import usecases

    catalog = _load(ctx)
    with _user_errors():
        result = usecases.upgrade(_store(workspace_dir), catalog, _actor(), dry_run)
    if result.unchanged:
        click.echo(f"already on catalog {catalog.version}: nothing to do")
        return
    click.echo(f"catalog {result.old_version} → {result.new_version}{' (dry run)' if dry_run else ''}")
    _print_reconciliation(result.reconciliation)


def _print_reconciliation(result: Any) -> None:
    for item_id in result.added:
        click.echo(f"+ {item_id} (new, unanswered)")
    for item_id in result.restored:
        click.echo(f"+ {item_id} (applies again; its earlier answer is back, flagged for review)")
    for item_id in result.archived:
        click.echo(f"- {item_id} (no longer applies; answer archived)")
    for item_id in result.dropped:
        click.echo(f"- {item_id} (no longer applies; it was unanswered)")
    for item_id in result.review:
        click.echo(f"~ {item_id} (changed: review the answer)")


@profile.command("set")
@click.argument("assignments", nargs=-1, required=True, metavar="KEY=VALUE…")
@click.option("--dry-run", is_flag=True, help="Show what the change would do to the plan, change nothing.")
@workspace_option
@click.pass_context
def profile_set(ctx: click.Context, assignments: tuple[str, ...], dry_run: bool, workspace_dir: Path) -> None:
    """Change the service profile of a live workspace (key=v, list+=v, list-=v): shows the items that enter
    or leave the plan, carries answers over, archives answers of items that stop applying."""
    from antai.app import usecases

    catalog = _load(ctx)
    store = _store(workspace_dir)
    with _user_errors():
        with store.locked():
            current = store.load().assessment.profile
        new = _apply_sets(current, assignments)
        result = usecases.change_profile(store, catalog, _actor(), new, dry_run=dry_run)
    before, after = result.before.risk, result.after.risk
    for name in ("externality", "sensitivity", "tier"):
        old, now = before.level(name).value, after.level(name).value
        if old != now:
            click.echo(f"{name}: {old} → {now}")
    click.echo(
        f"items that apply: {len(result.before.items)} → {len(result.after.items)}{' (dry run)' if dry_run else ''}"
    )
    _print_reconciliation(result.reconciliation)


@cli.group(invoke_without_command=True)
@workspace_option
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@lang_option
@click.pass_context
def org(ctx: click.Context, workspace_dir: Path, fmt: str, lang: str) -> None:
    """Organisation facts banks ask first (show them, or `antai org set FIELD VALUE`)."""
    if ctx.invoked_subcommand is not None:
        return
    from rich.markup import escape

    from antai.labels import label

    with _user_errors():
        _catalog, _, snapshot = _snapshot(ctx, workspace_dir)
    facts = snapshot.assessment.organisation.model_dump(mode="json")
    if fmt == "json":
        _emit_json(facts)
        return
    missing = "（未回答）" if lang == "ja" else "(missing)"
    for key, value in facts.items():
        shown = json.dumps(value, ensure_ascii=False) if isinstance(value, dict | list) else value
        text = _printable(str(shown)) if shown not in (None, []) else missing
        click.echo(f"{key:<26} {label('org.' + key, lang):<24} {escape(text)}")


def _printable(text: str) -> str:
    """Drop control characters so a value cannot rewrite the terminal (title, colours, cursor)."""
    return "".join(ch for ch in text if ch.isprintable() or ch == " ")


@org.command("set")
@click.argument("field")
@click.argument("value")
@workspace_option
@click.pass_context
def org_set(ctx: click.Context, field: str, value: str, workspace_dir: Path) -> None:
    """Set one fact. Facts: registration, security_owner, security_owner_authority, security_policy,
    security_policy_date (YYYY-MM-DD), incident_contact and inquiry_contact (JSON: {"name": …, "email": …,
    "phone": …}), outsourcees (JSON list: [{"name": …, "service": …}]), compensation_policy, staff_count,
    security_training."""
    from antai.app import usecases
    from antai.assessment.model import OrganisationFacts
    from antai.cli.main import _hint

    if workspace_dir == Path(".") and ctx.parent is not None:
        workspace_dir = ctx.parent.params.get("workspace_dir") or workspace_dir
    if field not in OrganisationFacts.model_fields:
        raise NotFound(f"unknown fact '{field}' ({_hint(field, list(OrganisationFacts.model_fields), 'facts')})")
    parsed: Any = value
    if field in ("incident_contact", "inquiry_contact", "outsourcees"):
        try:
            parsed = json.loads(value)
        except ValueError:
            raise click.BadParameter(f'{field} takes JSON, e.g. \'{{"name": "CSIRT", "email": "x@y"}}\'') from None
    catalog = _load(ctx)
    with _user_errors():
        usecases.set_organisation(_store(workspace_dir), catalog, _actor(), {field: parsed})
    click.echo(f"{field} recorded")


@cli.group(invoke_without_command=True)
@click.option("--audience", type=click.Choice(["exec", "bank", "engineer"]), default="bank", show_default=True)
@click.option("--format", "fmt", type=click.Choice(["html", "md", "xlsx", "json"]), default="html", show_default=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="Write to FILE.")
@click.option("--force", is_flag=True, help="Overwrite an existing file that is not an antai report.")
@workspace_option
@lang_option
@click.pass_context
def report(
    ctx: click.Context, audience: str, fmt: str, output: Path | None, force: bool, workspace_dir: Path, lang: str
) -> None:
    """Write the assessment report: the bank pack (XLSX/HTML), the exec one-pager, engineer views, or JSON."""
    if ctx.invoked_subcommand is not None:
        return
    from antai.cli.main import _write_output
    from antai.reports import assessment as report_data
    from antai.reports import bank

    with _user_errors():
        catalog, store, snapshot = _snapshot(ctx, workspace_dir)
    previous = report_data.read_last(store.root)
    built, _, _ = report_data.build_report(
        catalog,
        snapshot.assessment,
        audience,  # type: ignore[arg-type]  # click.Choice guarantees the literal
        lang,  # type: ignore[arg-type]
        dt.date.today(),
        previous,
    )
    if fmt == "json":
        content: str | bytes = report_data.report_json(built)
    elif fmt == "md":
        content = bank.report_markdown(built, catalog)
    elif fmt == "xlsx":
        content = bank.report_xlsx(built, catalog)
    else:
        content = bank.report_html(built, catalog)
    if output is None and fmt in ("xlsx", "html"):
        output = store.root / "reports" / f"{audience}-report.{lang}.{fmt}"
    _write_output(content, output, force=force, kind=fmt, protect=_protected(store.root))
    if audience in ("bank", "exec") and output is not None:
        report_data.write_last(store.root, built)


def _protected(root: Path) -> list[Path]:
    """Files an output must never replace: the workspace's own."""
    from antai.workspace.store import HISTORY, TRACKED

    return [root / name for name in (*TRACKED, HISTORY, ".gitattributes", ".gitignore")]


@report.command("schema")
def report_schema() -> None:
    """Print the JSON Schema of `antai report --format json` (versioned: antai.report/1)."""
    from antai.reports.assessment import report_json_schema

    _emit_json(report_json_schema())


_ASSESS_CHOICES = [
    "implemented",
    "partial",
    "planned",
    "not_implemented",
    "not_applicable",
    "compensated",
    "risk_accepted",
]


@cli.command()
@click.option("--all", "include_all", is_flag=True, help="Walk through every applicable item, not only open ones.")
@workspace_option
@lang_option
@click.pass_context
def assess(ctx: click.Context, include_all: bool, workspace_dir: Path, lang: str) -> None:
    """Walk through unanswered or stale items and answer them one by one (plain terminal, works over SSH).

    Each answer is saved as soon as it is given; `s` skips an item, `q` stops.
    """
    from antai.app import usecases
    from antai.assessment.model import Status
    from antai.assessment.rules import AnswerChange
    from antai.labels import label
    from antai.scoring.score import score
    from antai.tailoring.plan import make_plan

    with _user_errors():
        catalog, store, snapshot = _snapshot(ctx, workspace_dir)
    assessment = snapshot.assessment
    plan = make_plan(catalog, assessment.profile, lang)
    today = dt.date.today()
    flags = score(catalog, plan, assessment, today)
    stale = set(flags.overdue) | set(flags.expired_acceptances) | set(flags.review)
    todo = [
        p for p in plan.items if include_all or assessment.answer(p.id).status == Status.UNANSWERED or p.id in stale
    ]
    ja = lang == "ja"
    if not todo:
        click.echo(
            "回答が必要な項目はない。" if ja else "nothing to assess: every applicable item has a current answer"
        )
        return
    click.echo(
        f"評価する項目: {len(todo)} 件（s = 飛ばす、q = 終了）"
        if ja
        else f"{len(todo)} item(s) to assess; s = skip, q = quit"
    )
    for n, planned in enumerate(todo, start=1):
        item = catalog.item(planned.id)
        assert item is not None
        current = assessment.answer(item.id)
        click.echo("")
        click.secho(f"[{n}/{len(todo)}] {item.id} {item.title(lang)}  (P{planned.priority})", bold=True)
        click.echo(f"  {item.objective(lang)}")
        click.echo(f"  {label('evidence', lang)}: {item.evidence[0].text(lang)}")
        now_word = label("status." + current.status.value, lang)
        click.echo(("  現在: " if ja else "  now: ") + now_word)
        for k, choice in enumerate(_ASSESS_CHOICES, start=1):
            click.echo(f"   {k}. {label('status.' + choice, lang)}")
        raw = click.prompt("  状態" if ja else "  status", default="s").strip().lower()
        if raw == "q":
            break
        if raw == "s":
            continue
        choice = _ASSESS_CHOICES[int(raw) - 1] if raw.isdigit() and 0 < int(raw) <= len(_ASSESS_CHOICES) else raw
        if choice not in _ASSESS_CHOICES:
            click.secho(f"  '{raw}': " + ("状態ではない。飛ばした。" if ja else "not a status; skipped"), fg="red")
            continue
        try:
            with _user_errors():
                if choice == "risk_accepted":
                    rationale = click.prompt("  受容の理由" if ja else "  rationale")
                    approver = click.prompt("  承認者（氏名・役職）" if ja else "  approver (name, role)")
                    expires = _date(click.prompt("  期限 (YYYY-MM-DD)" if ja else "  expires (YYYY-MM-DD)"), "expires")
                    assert expires is not None
                    usecases.accept(store, catalog, _actor(), item.id, rationale, approver, expires)
                    continue
                due = reason = by = None
                if choice == "planned":
                    due = _date(click.prompt("  期限 (YYYY-MM-DD)" if ja else "  due (YYYY-MM-DD)"), "due")
                if choice in ("not_applicable", "compensated"):
                    reason = click.prompt("  理由" if ja else "  reason")
                if choice == "compensated":
                    notes = ", ".join(n.id for n in catalog.technotes)
                    by = click.prompt(
                        f"  代替する項目 ID または新技術ノート（{notes}）"
                        if ja
                        else f"  compensated by (item ID or {notes})"
                    )
                owner = click.prompt(
                    "  担当" if ja else "  owner", default=current.owner or "", show_default=bool(current.owner)
                )
                change = AnswerChange(
                    status=Status(choice), due=due, reason=reason, compensated_by=by, owner=owner or None
                )
                usecases.set_answer(store, catalog, _actor(), item.id, change)
        except click.ClickException as exc:
            click.secho(("  保存しなかった: " if ja else "  not saved: ") + exc.format_message(), fg="red")
    click.echo("")
    click.echo("完了: antai status で確認する。" if ja else "done: see `antai status`")


@cli.command()
@click.argument("directory", required=False, type=click.Path(file_okay=False, path_type=Path))
@click.option("--force", is_flag=True, help="Replace a previous demo workspace in DIRECTORY.")
@click.pass_context
def demo(ctx: click.Context, directory: Path | None, force: bool) -> None:
    """Build a demo workspace (a household-budget app on AWS, iOS and Android) and write its bank report.

    Prints the paths of the bank report in HTML and XLSX and of the exec one-pager.
    """
    from antai import demo as demo_module

    root = directory or Path("antai-demo")
    catalog = _load(ctx)

    def progress(step: str) -> None:
        click.echo(f"… {step}", err=True)

    with _user_errors():
        result = demo_module.build(root, catalog, dt.date.today(), progress, force=force)
    click.echo(str(result.bank_html.resolve()))
    click.echo(str(result.bank_xlsx.resolve()))
    click.echo(str(result.exec_html.resolve()))
    click.echo(f"workspace: {result.root.resolve()} (try: antai status -C {root})", err=True)
