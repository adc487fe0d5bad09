"""Where the assessment stands: `antai status` and `antai report` (+ `report schema`)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from antai.cli.context import get_env
from antai.cli.output import emit_json, write_output
from antai.cli.params import Choice, format_option, lang_option, output_option, workspace_option


@click.command()
@format_option("table", "json")
@workspace_option
@lang_option
def status(fmt: str, workspace_dir: Path, lang: str) -> None:
    """Where the assessment stands: coverage, scores by chapter / CIA / layer, ranked gaps and flags."""
    from antai.scoring.score import score
    from antai.tailoring.plan import make_plan

    catalog, _, snapshot = get_env().snapshot(workspace_dir)
    assessment = snapshot.assessment
    plan = make_plan(catalog, assessment.profile, lang)
    result = score(catalog, plan, assessment, dt.date.today())
    if fmt == "json":
        emit_json(
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


def _protected(root: Path) -> list[Path]:
    """Files an output must never replace: the workspace's own."""
    from antai.workspace.store import HISTORY, TRACKED

    return [root / name for name in (*TRACKED, HISTORY, ".gitattributes", ".gitignore")]


@click.group(invoke_without_command=True)
@click.option("--audience", type=Choice(["exec", "bank", "engineer"]), default="bank", show_default=True)
@format_option("html", "md", "xlsx", "json")
@output_option
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
    from antai.reports import assessment as report_data
    from antai.reports import bank
    from antai.workspace.submissions import last_submitted

    catalog, store, snapshot = get_env().snapshot(workspace_dir)
    # "changes since" compares with the last submission (`antai submit`), never with a local render:
    # a preview, to stdout or to a file, changes nothing
    _, previous = last_submitted(store.root)
    built, plan, _ = report_data.build_report(
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
        from antai.tailoring.roadmap import build_roadmap, capacity_of

        timeline = build_roadmap(plan, built.assessment_date, capacity_of(plan)) if audience == "bank" else None
        content = bank.report_html(built, catalog, timeline)
    if output is None and fmt in ("xlsx", "html"):
        output = store.root / "reports" / f"{audience}-report.{lang}.{fmt}"
    write_output(content, output, force=force, kind=fmt, protect=_protected(store.root))


@report.command("schema")
@lang_option
def report_schema(lang: str) -> None:
    """Print the JSON Schema of `antai report --format json` (versioned: antai.report/1)."""
    from antai.reports.assessment import report_json_schema

    emit_json(report_json_schema())
