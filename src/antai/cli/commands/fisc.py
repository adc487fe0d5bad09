"""FISC traceability: `antai fisc coverage | show | matrix`."""

from __future__ import annotations

import json
from pathlib import Path

import click

from antai.cli.context import get_env
from antai.cli.errors import CheckFailed, Unknown
from antai.cli.output import emit_json, write_output
from antai.cli.params import format_option, lang_option, output_option
from antai.messages import word


@click.group()
def fisc() -> None:
    """FISC 安全対策基準 traceability: how antai handles every FISC item (R3)."""


@fisc.command("coverage")
@format_option("table", "json")
@lang_option
def fisc_coverage(fmt: str, lang: str) -> None:
    """Counts by category and handling; lists unhandled IDs. Exit 1 if any FISC ID is unhandled."""
    from antai.catalog.traceability import coverage

    env = get_env()
    result = coverage(env.catalog())
    if fmt == "json":
        emit_json(result.as_dict())
    else:
        from rich.console import Console
        from rich.table import Table

        from antai.reports.fisc import handling_label

        columns = ["included", "risk_based", "excluded", "vacant", "unhandled"]
        title = "FISC 安全対策基準の取扱い" if env.ja else "FISC coverage"
        table = Table(header_style="bold", title=title)
        table.add_column(env.say("fisc_category"))
        for column in columns:
            table.add_column(handling_label(None if column == "unhandled" else column, lang)[0], justify="right")
        table.add_column(env.say("fisc_total"), justify="right")
        for category, counts in result.by_category.items():
            table.add_row(
                word("fisc", category, lang), *(str(counts.get(c, 0)) for c in columns), str(sum(counts.values()))
            )
        totals = [sum(c.get(col, 0) for c in result.by_category.values()) for col in columns]
        table.add_row(env.say("fisc_total"), *(str(t) for t in totals), str(result.total), style="bold")
        Console().print(table)
        # plain lines through click: each ends with its own newline whatever Rich makes of the terminal
        legend = " · ".join(handling_label(None if c == "unhandled" else c, lang) for c in columns)
        click.secho(legend, dim=True)
        if result.unhandled:
            shown = ", ".join(result.unhandled)
            click.secho(env.say("fisc_unhandled", count=len(result.unhandled), ids=shown), fg="red")
        else:
            click.secho(env.say("fisc_all_handled", count=result.total), fg="green")
    if result.unhandled:
        raise CheckFailed(env.say("fisc_unhandled_failed", count=len(result.unhandled)))


@fisc.command("show")
@click.argument("fisc_id", metavar="ID")
@format_option("text", "json")
@lang_option
def fisc_show(fisc_id: str, fmt: str, lang: str) -> None:
    """How antai handles one FISC item (e.g. 実3) and which items cover it."""
    from antai.catalog.traceability import matrix_rows
    from antai.reports.fisc import applies_text, class_label, handling_label, unverified_mark

    env = get_env()
    cat = env.catalog()
    row = next((r for r in matrix_rows(cat) if r["id"] == fisc_id.strip()), None)
    if row is None:
        raise Unknown(env.say("no_fisc", fisc=fisc_id))
    if fmt == "json":
        emit_json(row)
        return
    click.echo(f"FISC {row['id']} ({word('fisc', row['category'], lang)}, {word('fisc', row['status'], lang)})")
    if row["topic"]:
        click.echo(f"  {row['topic'][lang]}")
    shown_class = f" · {class_label(row['classification'], lang)}" if row["classification"] else ""
    click.echo(f"  {handling_label(row['handling'], lang)}{shown_class}")
    if row["reason"]:
        click.echo(f"  {row['reason'][lang]}")
    if row["applies"]:
        click.echo(f"  {applies_text(row['applies'], lang)}")
    for item_id in row["items"]:
        found = cat.item(item_id)
        click.echo(f"  - {item_id} {found.title(lang) if found else ''}")
    for item_id in row["unverified_items"]:
        found = cat.item(item_id)
        click.echo(f"  - {item_id}{unverified_mark(lang)} {found.title(lang) if found else ''}")


@fisc.command("matrix")
@format_option("md", "json", "xlsx")
@output_option
@lang_option
def fisc_matrix(fmt: str, output: Path | None, lang: str) -> None:
    """The whole traceability matrix: every FISC ID with handling, class, reason and antai items."""
    from antai.reports import fisc as fisc_report

    cat = get_env().catalog()
    if fmt == "json":
        text = json.dumps(fisc_report.matrix_json(cat), ensure_ascii=False, indent=2) + "\n"
        write_output(text, output, kind="json")
    elif fmt == "md":
        write_output(fisc_report.matrix_markdown(cat, lang), output, kind="md")
    else:
        write_output(fisc_report.matrix_xlsx(cat, lang), output, kind="xlsx")
