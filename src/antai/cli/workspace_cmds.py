"""CLI commands over a workspace folder: init, set, accept, evidence, assess, validate, log, verify, status,
upgrade, record, org and report. Every command takes -C DIR (default: the current folder)."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

import click

from antai.cli.main import CheckFailed, NotFound, _apply_sets, _emit_json, _load, _read_profile, cli, lang_option

F = TypeVar("F", bound=Callable[..., Any])


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


@contextmanager
def _user_errors() -> Iterator[None]:
    """Workspace and file problems become clear messages and exit codes, never tracebacks."""
    from antai.catalog import SourceError
    from antai.workspace.store import WorkspaceError

    try:
        yield
    except WorkspaceError as exc:
        raise click.ClickException(str(exc)) from None
    except SourceError as exc:
        for problem in exc.problems:
            click.echo(str(problem), err=True)
        raise CheckFailed(f"{len(exc.problems)} problem(s) in the workspace files") from None


def _open(ctx: click.Context, workspace_dir: Path) -> tuple[Any, Any, Any]:
    from antai.workspace.store import Workspace

    catalog = _load(ctx)
    ws = Workspace(workspace_dir)
    assessment = ws.load()
    if assessment.meta.catalog_version != catalog.version:
        click.secho(
            f"note: the workspace pins catalog {assessment.meta.catalog_version}; antai has {catalog.version} "
            "— run `antai upgrade` to carry the answers across",
            fg="yellow",
            err=True,
        )
    return catalog, ws, assessment


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
    """Create a workspace in DIRECTORY (default: here) for a team to keep in git."""
    import sys

    from antai.tailoring.profile import Profile
    from antai.workspace import operations
    from antai.workspace.store import Workspace

    root = directory or Path(".")
    catalog = _load(ctx)
    if profile_path is not None:
        profile = _apply_sets(_read_profile(profile_path), sets)
    elif sys.stdin.isatty():
        from antai.cli.main import _ask
        from antai.tailoring.questionnaire import QUESTIONS

        data = _apply_sets(Profile(), sets).model_dump(mode="json")
        for question in QUESTIONS:
            data[question.key] = _ask(question, data.get(question.key), lang)
        profile = Profile.model_validate(data)
    else:
        raise click.UsageError("give --profile FILE (no terminal to ask the questionnaire in)")
    name = organisation or profile.name
    if not name:
        if not sys.stdin.isatty():
            raise click.UsageError("give --organisation NAME")
        name = click.prompt("組織名" if lang == "ja" else "Organisation name")
    with _user_errors():
        plan = operations.init(Workspace(root), catalog, profile, name, dt.date.today())
    click.echo(f"{root.resolve()}: {len(plan.items)} items to assess (catalog {catalog.version})")
    click.echo("next: antai status -C " + str(root), err=True)


@cli.command("set")
@click.argument("item_id", metavar="ITEM")
@click.option(
    "--status",
    type=click.Choice(
        ["unanswered", "implemented", "partial", "planned", "not_implemented", "not_applicable", "compensated"]
    ),
)
@click.option("--owner")
@click.option("--due", help="Due date of a planned item (YYYY-MM-DD).")
@click.option("--reason", help="Why not applicable, or why the compensation is enough.")
@click.option("--by", "compensated_by", help="The item or new-technology note that compensates.")
@click.option("--note")
@workspace_option
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
    workspace_dir: Path,
) -> None:
    """Record the status of one item (risk acceptance: `antai accept`)."""
    from antai.workspace import operations

    changes = {
        "status": status,
        "owner": owner,
        "due": _date(due, "--due"),
        "reason": reason,
        "compensated_by": compensated_by,
        "note": note,
    }
    if all(v is None for v in changes.values()):
        raise click.UsageError("nothing to set: give --status, --owner, --due, --reason, --by or --note")
    with _user_errors():
        catalog, ws, assessment = _open(ctx, workspace_dir)
        answer = operations.set_answer(ws, catalog, assessment, item_id.upper(), changes, dt.date.today())
    click.echo(f"{item_id.upper()}: {answer.status.value}")


@cli.command()
@click.argument("item_id", metavar="ITEM")
@click.option("--rationale", required=True, help="Why the risk is acceptable (the reasoned decision).")
@click.option("--approver", required=True, help="Who decided (name and role).")
@click.option("--expires", required=True, help="When the decision must be reviewed (YYYY-MM-DD).")
@click.option("--decided", help="Date of the decision (default: today).")
@workspace_option
@click.pass_context
def accept(
    ctx: click.Context,
    item_id: str,
    rationale: str,
    approver: str,
    expires: str,
    decided: str | None,
    workspace_dir: Path,
) -> None:
    """Record a reasoned decision to accept the risk of not implementing ITEM."""
    from antai.workspace import operations

    expiry = _date(expires, "--expires")
    assert expiry is not None
    with _user_errors():
        catalog, ws, assessment = _open(ctx, workspace_dir)
        decision = operations.accept(
            ws,
            catalog,
            assessment,
            item_id.upper(),
            rationale,
            approver,
            expiry,
            _date(decided, "--decided") or dt.date.today(),
        )
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
@click.pass_context
def evidence_add(
    ctx: click.Context,
    item_id: str,
    source: str,
    effective_date: str | None,
    expires: str | None,
    note: str | None,
    workspace_dir: Path,
) -> None:
    """Attach a file (copied into evidence/files/ with its SHA-256) or a link to ITEM."""
    from antai.workspace import operations

    with _user_errors():
        catalog, ws, assessment = _open(ctx, workspace_dir)
        record = operations.add_evidence(
            ws,
            catalog,
            assessment,
            item_id.upper(),
            source,
            _date(effective_date, "--effective-date") or dt.date.today(),
            _date(expires, "--expires"),
            note,
            dt.datetime.now(dt.UTC).replace(microsecond=0),
        )
    click.echo(
        f"{record.id} → {record.item}: {record.name}" + (f" (sha256 {record.sha256[:12]}…)" if record.sha256 else "")
    )


@evidence.command("list")
@click.argument("item_id", metavar="ITEM", required=False)
@workspace_option
def evidence_list(item_id: str | None, workspace_dir: Path) -> None:
    """List evidence records (of one ITEM)."""
    from antai.workspace.store import Workspace

    with _user_errors():
        assessment = Workspace(workspace_dir).load()
    today = dt.date.today()
    for record in assessment.evidence:
        if item_id and record.item != item_id.upper():
            continue
        stale = "  EXPIRED" if record.expires < today else ""
        click.echo(f"{record.id}  {record.item}  {record.effective_from}…{record.expires}  {record.name}{stale}")


@cli.command()
@workspace_option
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.pass_context
def validate(ctx: click.Context, workspace_dir: Path, fmt: str) -> None:
    """Check a (hand-edited) workspace: file:line: message for every problem; exit 1 if any."""
    from antai.assessment.state import check
    from antai.catalog import SourceError
    from antai.tailoring.plan import make_plan
    from antai.workspace.store import Workspace, WorkspaceError

    catalog = _load(ctx)
    ws = Workspace(workspace_dir)
    messages: list[str] = []
    try:
        assessment = ws.load()
    except WorkspaceError as exc:
        raise click.ClickException(str(exc)) from None
    except SourceError as exc:
        messages = [str(p) for p in exc.problems]
    else:
        plan = make_plan(catalog, assessment.profile)
        for finding in check(assessment, catalog, plan):
            line, column = ws.position(finding.file, finding.loc)
            messages.append(f"{ws.path(finding.file)}:{line}:{column}: {finding.message}")
        missing = [i for i in plan.ids if i not in assessment.answers]
        if missing:
            messages.append(
                f"{ws.path('answers.yaml')}:1:1: no entry for {len(missing)} applicable item(s): "
                f"{', '.join(sorted(missing)[:8])}{' …' if len(missing) > 8 else ''} (antai upgrade adds them)"
            )
    unlogged = ws.unlogged_changes()
    if fmt == "json":
        _emit_json({"problems": messages, "unlogged_changes": unlogged})
    else:
        for message in messages:
            click.echo(message)
        for name in unlogged:
            click.echo(f"{ws.path(name)}: changed outside antai (record it with `antai record -m …`)", err=True)
    if messages:
        raise CheckFailed(f"{len(messages)} problem(s)")
    if fmt == "text":
        click.echo("OK" + (" (with unrecorded hand edits)" if unlogged else ""), err=True)


@cli.command()
@click.option("-m", "--message", required=True, help="What was edited by hand and why.")
@workspace_option
@click.pass_context
def record(ctx: click.Context, message: str, workspace_dir: Path) -> None:
    """Record hand edits in the history after `antai validate` passes."""
    from antai.workspace import operations

    ctx.invoke(validate, workspace_dir=workspace_dir, fmt="text")
    with _user_errors():
        _catalog, ws, _ = _open(ctx, workspace_dir)
        entry = operations.record_hand_edits(ws, message)
    click.echo(f"recorded as entry #{entry['seq']}: {', '.join(entry['after']['files'])}")


@cli.command()
@click.argument("item_id", metavar="ITEM", required=False)
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@workspace_option
def log(item_id: str | None, fmt: str, workspace_dir: Path) -> None:
    """Show the history of changes (of one ITEM)."""
    from antai.workspace import history
    from antai.workspace.store import HISTORY, Workspace

    ws = Workspace(workspace_dir)
    if not ws.exists:
        raise click.ClickException(f"{workspace_dir} is not an antai workspace")
    entries = [e for e in history.read(ws.path(HISTORY)) if not item_id or e.get("item") == item_id.upper()]
    if fmt == "json":
        _emit_json(entries)
        return
    for e in entries:
        change = ""
        if isinstance(e.get("before"), dict) and isinstance(e.get("after"), dict) and "status" in e["after"]:
            change = f" {e['before'].get('status', '—')} → {e['after'].get('status')}"
        elif e.get("action") == "accept" and isinstance(e.get("after"), dict):
            change = f" risk accepted until {e['after'].get('expires')}"
        elif e.get("message"):
            change = f" “{e['message']}”"
        click.echo(f"#{e.get('seq')} {e.get('at')} {e.get('who')} {e.get('action')} {e.get('item') or ''}{change}")


@cli.command()
@workspace_option
def verify(workspace_dir: Path) -> None:
    """Recompute the history chain and evidence hashes; exit 1 naming the first altered entry or file."""
    from antai.workspace.store import Workspace
    from antai.workspace.verify import verify as run_verify

    ws = Workspace(workspace_dir)
    if not ws.exists:
        raise click.ClickException(f"{workspace_dir} is not an antai workspace")
    result = run_verify(ws)
    for problem in result.problems:
        click.echo(problem)
    if not result.ok:
        raise CheckFailed("verification failed")
    click.echo(f"OK: {result.entries} history entries intact, {result.evidence_checked} evidence files match")


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
        catalog, _ws, assessment = _open(ctx, workspace_dir)
    plan = make_plan(catalog, assessment.profile, lang)
    result = score(catalog, plan, assessment, dt.date.today())
    if fmt == "json":
        _emit_json(
            {
                "organisation": assessment.meta.organisation,
                "catalog_version": catalog.version,
                "tier": plan.risk.tier.level.value,
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
    with their answers, changed ones are flagged for review."""
    from antai.workspace import operations

    with _user_errors():
        catalog, ws, assessment = _open(ctx, workspace_dir)
        result = operations.upgrade(ws, catalog, assessment, dry_run)
    if result.unchanged:
        click.echo(f"already on catalog {catalog.version}: nothing to do")
        return
    click.echo(f"catalog {result.old_version} → {result.new_version}{' (dry run)' if dry_run else ''}")
    for item_id in result.added:
        click.echo(f"+ {item_id} (new, unanswered)")
    for item_id in result.archived:
        click.echo(f"- {item_id} (removed from the catalog; answer archived)")
    for item_id in result.review:
        click.echo(f"~ {item_id} (changed: review the answer)")


@cli.group(invoke_without_command=True)
@workspace_option
@click.pass_context
def org(ctx: click.Context, workspace_dir: Path) -> None:
    """Organisation facts banks ask first (show them, or `antai org set FIELD VALUE`)."""
    if ctx.invoked_subcommand is not None:
        return
    from antai.labels import label
    from antai.workspace.store import Workspace

    with _user_errors():
        assessment = Workspace(workspace_dir).load()
    facts = assessment.organisation.model_dump(mode="json")
    for key, value in facts.items():
        shown = json.dumps(value, ensure_ascii=False) if isinstance(value, dict | list) else value
        click.echo(f"{label('org.' + key, 'en'):<32} {shown if shown not in (None, []) else '(missing)'}")


@org.command("set")
@click.argument("field")
@click.argument("value")
@workspace_option
@click.pass_context
def org_set(ctx: click.Context, field: str, value: str, workspace_dir: Path) -> None:
    """Set one fact; contacts take JSON ({"name": …, "email": …}), outsourcees a JSON list."""
    from antai.assessment.model import OrganisationFacts
    from antai.workspace import operations

    if workspace_dir == Path(".") and ctx.parent is not None:
        workspace_dir = ctx.parent.params.get("workspace_dir") or workspace_dir
    if field not in OrganisationFacts.model_fields:
        raise NotFound(f"unknown fact '{field}' (facts: {', '.join(OrganisationFacts.model_fields)})")
    parsed: Any = value
    if field in ("incident_contact", "inquiry_contact", "outsourcees"):
        try:
            parsed = json.loads(value)
        except ValueError:
            raise click.BadParameter(f'{field} takes JSON, e.g. \'{{"name": "CSIRT", "email": "x@y"}}\'') from None
    with _user_errors():
        _catalog, ws, assessment = _open(ctx, workspace_dir)
        operations.set_organisation(ws, assessment, {field: parsed})
    click.echo(f"{field} recorded")


@cli.group(invoke_without_command=True)
@click.option("--audience", type=click.Choice(["exec", "bank", "engineer"]), default="bank", show_default=True)
@click.option("--format", "fmt", type=click.Choice(["html", "md", "xlsx", "json"]), default="html", show_default=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="Write to FILE.")
@workspace_option
@lang_option
@click.pass_context
def report(ctx: click.Context, audience: str, fmt: str, output: Path | None, workspace_dir: Path, lang: str) -> None:
    """Write the assessment report: the bank pack (XLSX/HTML), the exec one-pager, engineer views, or JSON."""
    if ctx.invoked_subcommand is not None:
        return
    from antai.cli.main import _write_output
    from antai.reports import assessment as report_data
    from antai.reports import bank

    with _user_errors():
        catalog, ws, assessment = _open(ctx, workspace_dir)
    previous = report_data.read_last(ws.root)
    built, _, _ = report_data.build_report(
        catalog,
        assessment,
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
        output = ws.root / "reports" / f"{audience}-report.{lang}.{fmt}"
    _write_output(content, output)
    if audience in ("bank", "exec"):
        report_data.write_last(ws.root, built)


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
    from antai.assessment.model import Status
    from antai.labels import label
    from antai.scoring.score import score
    from antai.tailoring.plan import make_plan
    from antai.workspace import operations

    with _user_errors():
        catalog, ws, assessment = _open(ctx, workspace_dir)
    plan = make_plan(catalog, assessment.profile, lang)
    today = dt.date.today()
    flags = score(catalog, plan, assessment, today)
    stale = set(flags.overdue) | set(flags.expired_acceptances) | set(flags.review)
    todo = [
        p for p in plan.items if include_all or assessment.answer(p.id).status == Status.UNANSWERED or p.id in stale
    ]
    if not todo:
        click.echo(
            "nothing to assess: every applicable item has a current answer"
            if lang == "en"
            else "回答が必要な項目はない。"
        )
        return
    click.echo(f"{len(todo)} item(s) to assess; s = skip, q = quit")
    for n, planned in enumerate(todo, start=1):
        item = catalog.item(planned.id)
        assert item is not None
        current = assessment.answer(item.id)
        click.echo("")
        click.secho(f"[{n}/{len(todo)}] {item.id} {item.title(lang)}  (P{planned.priority})", bold=True)
        click.echo(f"  {item.objective(lang)}")
        click.echo(f"  {label('evidence', lang)}: {item.evidence[0].text(lang)}")
        click.echo(f"  now: {current.status.value}" + (" (review: the item changed)" if current.review else ""))
        for k, choice in enumerate(_ASSESS_CHOICES, start=1):
            click.echo(f"   {k}. {label('status.' + choice, lang)} ({choice})")
        raw = click.prompt("  status", default="s").strip().lower()
        if raw == "q":
            break
        if raw == "s":
            continue
        choice = _ASSESS_CHOICES[int(raw) - 1] if raw.isdigit() and 0 < int(raw) <= len(_ASSESS_CHOICES) else raw
        if choice not in _ASSESS_CHOICES:
            click.secho(f"  '{raw}' is not a status; skipped", fg="red")
            continue
        try:
            with _user_errors():
                assessment = ws.load()
                if choice == "risk_accepted":
                    rationale = click.prompt("  rationale")
                    approver = click.prompt("  approver (name, role)")
                    expires = _date(click.prompt("  expires (YYYY-MM-DD)"), "expires")
                    assert expires is not None
                    operations.accept(ws, catalog, assessment, item.id, rationale, approver, expires, today)
                    continue
                changes: dict[str, Any] = {"status": choice}
                if choice == "planned":
                    changes["due"] = _date(click.prompt("  due (YYYY-MM-DD)"), "due")
                if choice in ("not_applicable", "compensated"):
                    changes["reason"] = click.prompt("  reason")
                if choice == "compensated":
                    changes["compensated_by"] = click.prompt("  compensated by (item or new-technology note ID)")
                owner = click.prompt("  owner", default=current.owner or "", show_default=bool(current.owner))
                changes["owner"] = owner or None
                operations.set_answer(ws, catalog, assessment, item.id, changes, today)
        except click.ClickException as exc:
            click.secho(f"  not saved: {exc.format_message()}", fg="red")
    click.echo("")
    click.echo("done: see `antai status`")


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
