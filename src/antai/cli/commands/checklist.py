"""`antai checklist list | show | validate | answer`: bank questionnaires as data, answered from the assessment."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from antai.cli.checklist_lookup import checklist_path, load_checklist_file, problem_line
from antai.cli.context import get_env
from antai.cli.errors import CheckFailed, Unknown
from antai.cli.output import emit_json, write_output
from antai.cli.params import format_option, lang_option, output_option, workspace_option

if TYPE_CHECKING:
    pass


@click.group()
def checklist() -> None:
    """Bank checklists: list, show and validate them, and answer one from the assessment with reviewer columns."""


@checklist.command("list")
@format_option("table", "json")
@lang_option
def checklist_list(fmt: str, lang: str) -> None:
    """List the checklists shipped with antai (a file of your own works wherever a NAME is asked)."""
    from antai.checklists.loader import builtin_names

    env = get_env()
    catalog = env.catalog()
    shown = []
    for name in builtin_names():
        found = load_checklist_file(checklist_path(name), catalog)
        shown.append((name, found))
    if fmt == "json":
        emit_json(
            [{"name": n, "title": c.title.model_dump(), "version": c.version, "rows": len(c.rows)} for n, c in shown]
        )
        return
    for name, found in shown:
        rows = env.say("checklist_rows", rows=len(found.rows))
        click.echo(f"{name}  {found.title(lang)}  v{found.version}  {rows}")


@checklist.command("show")
@click.argument("name")
@format_option("text", "json")
@lang_option
def checklist_show(name: str, fmt: str, lang: str) -> None:
    """Show a checklist's questions and what in antai answers each (items and organisation facts)."""
    from antai.reports.checklist import fact_label, word

    env = get_env()
    catalog = env.catalog()
    found = load_checklist_file(checklist_path(name), catalog)
    if fmt == "json":
        emit_json(found.model_dump(mode="json"))
        return
    click.echo(found.title(lang))
    click.echo(found.source(lang))
    section = None
    for row in found.rows:
        if row.section(lang) != section:
            section = row.section(lang)
            click.echo(f"\n■ {section}")
        scope = "・".join(word(f"scope.{s.value}", lang) for s in row.scope)
        tags = (f"［{scope}］" if lang == "ja" else f" [{scope}]") if scope else ""
        click.echo(f"{row.id}  {row.question(lang)}{tags}")
        for item_id in row.items:
            item = catalog.item(item_id)
            click.echo(f"    {word('show.item', lang)}: {item_id} {item.title(lang) if item else ''}".rstrip())
        for path in row.facts:
            click.echo(f"    {word('show.fact', lang)}: {fact_label(path, lang)}")


@checklist.command("validate")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@lang_option
def checklist_validate(file: Path, lang: str) -> None:
    """Check a checklist FILE: file:line:column: message for every problem; exit 1 if any."""
    env = get_env()
    catalog = env.catalog()
    if not file.is_file():
        raise Unknown(env.say("checklist_unknown", name=str(file)))
    found = load_checklist_file(file, catalog)
    click.echo(env.say("checklist_ok", path=file, rows=len(found.rows), version=catalog.version), err=True)


@checklist.command("import")
@click.argument("xlsx", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--id-column", required=True, help="Column letter of the bank's row IDs (e.g. A).")
@click.option("--question-column", required=True, help="Column letter of the questions (e.g. C).")
@click.option("--section-column", help="Column letter of the sections; a blank cell continues the one above.")
@click.option("--sheet", help="The sheet to read (default: the first).")
@click.option("--first-row", type=click.IntRange(1, 1000), default=2, show_default=True, help="First data row.")
@click.option("--name", "checklist_id", default="my-bank", show_default=True, help="ID of the new checklist.")
@click.option("--title", help="Title of the new checklist (default: the file name).")
@click.option("--sheet-lang", type=click.Choice(["ja", "en"]), default="ja", show_default=True)
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False, path_type=Path), help="YAML to write.")
@lang_option
def checklist_import(
    xlsx: Path,
    id_column: str,
    question_column: str,
    section_column: str | None,
    sheet: str | None,
    first_row: int,
    checklist_id: str,
    title: str | None,
    sheet_lang: str,
    output: Path,
    lang: str,
) -> None:
    """Read a bank's own XLSX sheet into a checklist YAML by a column mapping; formulas are never evaluated.

    Map each row of the written file to items and facts, then run `antai checklist validate FILE`.
    """
    from antai.catalog.yamlsource import SourceError
    from antai.checklists.xlsx_import import ColumnMapping, checklist_yaml, import_xlsx

    env = get_env()
    mapping = ColumnMapping(
        id=id_column.upper(),
        question=question_column.upper(),
        section=section_column.upper() if section_column else None,
        sheet=sheet,
        first_row=first_row,
        lang=sheet_lang,
    )
    try:
        imported = import_xlsx(xlsx, mapping, checklist_id=checklist_id, title=title or xlsx.stem)
    except SourceError as exc:
        for problem in exc.problems:
            click.echo(problem_line(problem, env.lang), err=True)
        raise CheckFailed(env.say("problems_found", count=len(exc.problems))) from None
    write_output(checklist_yaml(imported.data), output, protect=[xlsx])
    if imported.skipped:
        rows = ", ".join(str(n) for n in imported.skipped)
        click.secho(env.say("checklist_import_skipped", rows=rows), fg="yellow", err=True)
    click.echo(env.say("checklist_imported", rows=len(imported.data["rows"]), path=output), err=True)


def _protected(root: Path) -> list[Path]:
    from antai.workspace.store import HISTORY, TRACKED

    return [root / name for name in (*TRACKED, HISTORY, ".gitattributes", ".gitignore")]


@checklist.command("answer")
@click.argument("name")
@format_option("xlsx", "json", "md", "html")
@output_option
@click.option("--force", is_flag=True, help="Overwrite an existing file that is not an antai report.")
@workspace_option
@lang_option
def checklist_answer(name: str, fmt: str, output: Path | None, force: bool, workspace_dir: Path, lang: str) -> None:
    """Answer checklist NAME (or a FILE of your own) from the assessment: answer, explanation, evidence IDs.

    The XLSX leaves the reviewer columns (判定 with a drop-down, コメント) for the bank; it is written to
    reports/checklist-NAME.LANG.xlsx unless -o says otherwise.
    """
    from antai.checklists.answer import answer_checklist
    from antai.reports import checklist as render
    from antai.tailoring.plan import make_plan

    env = get_env()
    path = checklist_path(name)
    catalog, store, snapshot = env.snapshot(workspace_dir)
    found = load_checklist_file(path, catalog)
    assessment = snapshot.assessment
    plan = make_plan(catalog, assessment.profile, lang)
    answered = answer_checklist(found, catalog, plan, assessment, dt.date.today())
    content: str | bytes
    if fmt == "json":
        content = _json(answered.as_dict())
    elif fmt == "md":
        content = render.checklist_markdown(answered, lang)
    elif fmt == "html":
        content = render.checklist_html(answered, lang)
    else:
        content = render.checklist_xlsx(answered, lang)
        if output is None:
            output = store.root / "reports" / f"checklist-{found.id}.{lang}.xlsx"
    write_output(content, output, force=force, kind=fmt, protect=[*_protected(store.root), path])
    counts = {k.value: v for k, v in answered.counts().items()}
    click.echo(env.say("checklist_answered", title=found.title(lang), total=len(answered.rows), **counts), err=True)


def _json(data: Any) -> str:
    import json

    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
