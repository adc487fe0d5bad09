"""Where the assessment stands: `antai status` and `antai report` (+ `report schema`)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import click

from antai.cli.context import get_env
from antai.cli.output import emit_json, write_output
from antai.cli.params import Choice, document_options, format_option, lang_option, output_option, workspace_option

GATES = ("overdue", "expired", "contradicted", "unanswered")


def _gates(ctx: click.Context, _: click.Parameter, value: str | None) -> tuple[str, ...]:
    if not value:
        return ()
    wanted = tuple(dict.fromkeys(v.strip().lower() for v in value.split(",") if v.strip()))
    if not wanted or any(v not in GATES for v in wanted):
        from antai.cli.errors import BadUsage

        lang = get_env(ctx).lang
        raise BadUsage(get_env(ctx).say("status_fail_on_bad", value=value), lang)
    return wanted


@click.command()
@format_option("table", "json")
@click.option(
    "--fail-on",
    "fail_on",
    callback=_gates,
    metavar="CONDITIONS",
    help="Exit 1 when any of these holds (comma-separated): overdue, expired, contradicted, unanswered.",
)
@workspace_option
@lang_option
def status(fmt: str, fail_on: tuple[str, ...], workspace_dir: Path, lang: str) -> None:
    """Where the assessment stands: coverage, scores by chapter / CIA / layer, ranked gaps and flags."""
    from antai.scoring.score import score
    from antai.tailoring.plan import make_plan

    env = get_env()
    catalog, _, snapshot = env.snapshot(workspace_dir)
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
                "automated": {
                    p.id: [
                        {
                            "evidence": e.id,
                            "tool": e.scan.tool,
                            "tool_version": e.scan.tool_version,
                            "target": e.scan.target,
                            "observed_at": e.scan.observed_at.isoformat(),
                            "result": e.scan.result.value,
                            "expires": e.expires.isoformat(),
                        }
                        for e in assessment.evidence_for(p.id)
                        if e.scan is not None
                    ]
                    for p in plan.items
                    if any(e.scan is not None for e in assessment.evidence_for(p.id))
                },
            }
        )
    else:
        from antai.cli.status_view import print_status

        print_status(catalog, plan, assessment, result, lang)
    held = {
        "overdue": len(result.overdue),
        "expired": len(result.expired_evidence) + len(result.expired_acceptances) + len(result.stale_automated),
        "contradicted": len(result.contradicted),
        "unanswered": result.status_counts.get("unanswered", 0),
    }
    found = [env.say(f"status_gate.{gate}", count=held[gate]) for gate in fail_on if held[gate]]
    if found:
        from antai.cli.errors import CheckFailed

        raise CheckFailed(env.say("status_gate", found=env.say("status_gate_joiner").join(found)), lang)


def _protected(root: Path) -> list[Path]:
    """Files an output must never replace: the workspace's own."""
    from antai.workspace.store import HISTORY, TRACKED

    return [root / name for name in (*TRACKED, HISTORY, ".gitattributes", ".gitignore")]


@click.group(invoke_without_command=True)
@click.option("--audience", type=Choice(["exec", "bank", "engineer"]), default="bank", show_default=True)
@format_option("html", "md", "xlsx", "json", "pdf")
@output_option
@click.option("--force", is_flag=True, help="Overwrite an existing file that is not an antai report.")
@click.option(
    "--checklist",
    "checklist_name",
    metavar="NAME|FILE",
    help="Answer a bank checklist in the bank report (html, xlsx, md): a shipped one (`antai checklist list`) "
    "or a YAML file of your own.",
)
@document_options
@workspace_option
@lang_option
@click.pass_context
def report(
    ctx: click.Context,
    audience: str,
    fmt: str,
    output: Path | None,
    force: bool,
    checklist_name: str | None,
    scope: str | None,
    assessor: str | None,
    classification: str,
    workspace_dir: Path,
    lang: str,
) -> None:
    """Write the assessment report: the bank pack (XLSX/HTML), the exec one-pager, engineer views, or JSON.

    `--format pdf` (`pip install 'antai[pdf]'`) prints the HTML report on A4 with page numbers; for the bank
    audience the FISC matrix is a separate appendix next to it, FILE-fisc.pdf.
    """
    if ctx.invoked_subcommand is not None:
        return
    from antai.reports import assessment as report_data
    from antai.reports import bank
    from antai.workspace.submissions import last_submitted

    catalog, store, snapshot = get_env().snapshot(workspace_dir)
    # "changes since" compares with the last submission (`antai submit`), never with a local render:
    # a preview, to stdout or to a file, changes nothing
    _, previous = last_submitted(store.root)
    today = dt.date.today()
    with store.locked():
        history = store.history()
    built, plan, _ = report_data.build_report(
        catalog,
        snapshot.assessment,
        audience,  # type: ignore[arg-type]  # click.Choice guarantees the literal
        lang,  # type: ignore[arg-type]
        today,
        previous,
        history=history,
        document=report_data.document_control(
            snapshot.assessment,
            history,
            today,
            scope=scope,
            assessor=assessor,
            classification=classification,  # type: ignore[arg-type]  # click.Choice of the literal's values
        ),
    )
    answered = _answered_checklist(checklist_name, catalog, plan, snapshot.assessment, fmt, audience)
    if fmt == "pdf":
        _write_pdf(built, catalog, plan, audience, output, force, store.root, lang)
        return
    if fmt == "json":
        content: str | bytes = report_data.report_json(built)
    elif fmt == "md":
        content = bank.report_markdown(built, catalog)
        if answered is not None:
            from antai.reports.checklist import checklist_markdown

            content += "\n" + checklist_markdown(answered, lang)
    elif fmt == "xlsx":
        content = bank.report_xlsx(built, catalog, answered)
    else:
        from antai.tailoring.roadmap import build_roadmap, capacity_of

        timeline = build_roadmap(plan, built.assessment_date, capacity_of(plan)) if audience == "bank" else None
        fragment = None
        if answered is not None:
            from antai.reports.checklist import checklist_html

            fragment = checklist_html(answered, lang)
        content = bank.report_html(built, catalog, timeline, fragment)
    if output is None and fmt in ("xlsx", "html"):
        output = store.root / "reports" / f"{audience}-report.{lang}.{fmt}"
    write_output(content, output, force=force, kind=fmt, protect=_protected(store.root))


def _answered_checklist(name: str | None, catalog: Any, plan: Any, assessment: Any, fmt: str, audience: str) -> Any:
    """The bank checklist NAME (shipped) or FILE answered from the assessment; None without --checklist."""
    if name is None:
        return None
    from antai.checklists.answer import answer_checklist
    from antai.cli.checklist_lookup import load_named_checklist
    from antai.cli.errors import BadUsage

    env = get_env()
    if audience != "bank" or fmt not in ("html", "xlsx", "md"):
        raise BadUsage(env.say("checklist_report_only"))
    found = load_named_checklist(name, catalog)
    return answer_checklist(found, catalog, plan, assessment, dt.date.today())


def appendix_path(body: Path) -> Path:
    """Where the FISC appendix of a PDF report goes: next to it, ``<name>-fisc.pdf``."""
    return body.with_name(f"{body.stem}-fisc{body.suffix or '.pdf'}")


def _write_pdf(
    built: Any, catalog: Any, plan: Any, audience: str, output: Path | None, force: bool, root: Path, lang: str
) -> None:
    from antai.cli.errors import BadUsage, CheckFailed
    from antai.reports.pdf import PdfUnavailable, report_pdfs
    from antai.tailoring.roadmap import build_roadmap, capacity_of

    env = get_env()
    if output is None:
        output = root / "reports" / f"{audience}-report.{lang}.pdf"
    elif str(output) == "-":
        raise BadUsage(env.say("binary_needs_file"))
    timeline = build_roadmap(plan, built.assessment_date, capacity_of(plan)) if audience == "bank" else None
    try:
        pdfs = report_pdfs(built, catalog, timeline)
    except PdfUnavailable as exc:
        raise CheckFailed(env.say("pdf_unavailable", hint=exc.params["hint"], reason=exc.params["reason"])) from None
    write_output(pdfs.body, output, force=force, kind="pdf", protect=_protected(root))
    if pdfs.appendix is not None:
        write_output(pdfs.appendix, appendix_path(output), force=force, kind="pdf", protect=_protected(root))


@report.command("schema")
@lang_option
def report_schema(lang: str) -> None:
    """Print the JSON Schema of `antai report --format json` (versioned: antai.report/1)."""
    from antai.reports.assessment import report_json_schema

    emit_json(report_json_schema())
