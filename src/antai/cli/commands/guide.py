"""Reading the guideline: `antai items | item | concepts | guide | technotes | technote`."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from antai.cli.context import get_env
from antai.cli.errors import Unknown
from antai.cli.output import emit_json, print_markdown, write_output
from antai.cli.params import EnumChoice, format_option, lang_option
from antai.messages import close_matches, did_you_mean, text

if TYPE_CHECKING:
    from antai.catalog import Catalog


def _suggest(cat: Catalog, item_id: str, lang: str) -> str:
    close = close_matches(item_id.upper(), [i.id for i in cat.items])
    if not close:
        return text("see_items", lang)
    hint = text("did_you_mean", lang, names=", ".join(close))
    return f"（{hint}）" if lang == "ja" else f" ({hint})"


@click.command()
@click.option("--chapter", type=click.IntRange(1), help="Only items of chapter N.")
@click.option("--mandatory/--conditional", default=None, help="Only mandatory, or only service-dependent, items.")
@click.option(
    "--layer",
    "layers",
    multiple=True,
    type=EnumChoice("antai.catalog.schema:Layer", label_prefix=""),
    help="Only items on this layer (repeatable).",
)
@format_option("table", "json")
@lang_option
def items(chapter: int | None, mandatory: bool | None, layers: tuple[str, ...], fmt: str, lang: str) -> None:
    """List criteria items."""
    from antai.catalog.schema import Layer

    env = get_env()
    cat = env.catalog()
    if chapter is not None and cat.chapter(chapter) is None:
        chapters = ", ".join(str(c.number) for c in cat.chapters)
        raise Unknown(env.say("no_chapter", chapter=chapter, chapters=chapters))
    selected = cat.select(chapter=chapter, mandatory=mandatory, layers=[Layer(x) for x in layers])
    if fmt == "json":
        from antai.reports.guide import item_record

        emit_json([item_record(cat, i) for i in selected])
        return
    from rich.console import Console
    from rich.table import Table

    from antai.labels import label

    table = Table(show_lines=False, header_style="bold", pad_edge=False)
    for key in ("id", "chapter", "title", "applicability", "severity", "effort", "layers"):
        table.add_column(label(key, lang), no_wrap=key in ("id", "severity", "effort"))
    for i in selected:
        applies = label("mandatory.short", lang) if i.mandatory else label("conditional.short", lang)
        table.add_row(
            i.id,
            str(i.chapter),
            i.title(lang),
            applies,
            label(i.severity.value, lang),
            label(i.effort.value, lang),
            ", ".join(label(x.value, lang) for x in i.layers),
        )
    console = Console()
    console.print(table)
    mandatory_count = sum(1 for i in selected if i.mandatory)
    console.print(env.say("item_count", count=len(selected), mandatory=mandatory_count), style="dim")


@click.command()
@click.argument("item_id", metavar="ID")
@format_option("text", "md", "json")
@lang_option
def item(item_id: str, fmt: str, lang: str) -> None:
    """Show one criteria item in full."""
    from antai.reports.guide import item_markdown, item_record

    env = get_env()
    cat = env.catalog()
    found = cat.item(item_id)
    if found is None:
        raise Unknown(env.say("no_item", item=item_id, hint=_suggest(cat, item_id, lang)))
    if fmt == "json":
        emit_json(item_record(cat, found))
    else:
        checks, rules = _automated_sources(found.id, lang)
        text = item_markdown(cat, found, lang, heading="#", checks=checks, scanner_rules=rules)
        if fmt == "md":
            click.echo(text, nl=False)
        else:
            print_markdown(text)


def _automated_sources(item_id: str, lang: str) -> tuple[list[tuple[str, str]], dict[str, int]]:
    """antai's own checks of the item (ID, title) and how many rules of each scanner map to it."""
    from antai.catalog.mappings import TOOLS, load_mapping
    from antai.collectors.registry import all_metas

    checks = [(m.id, m.title.get(lang)) for _, m in all_metas() if item_id in m.items]
    rules = {}
    for tool in TOOLS:
        table = load_mapping(tool)
        rules[tool] = sum(1 for items in table.rules.values() if item_id in items)
    return checks, rules


@click.command()
@click.argument("topic", required=False)
@format_option("text", "md", "json")
@lang_option
def concepts(topic: str | None, fmt: str, lang: str) -> None:
    """Show the concept part (概念編): the list of topics, or one TOPIC in full."""
    env = get_env()
    cat = env.catalog()
    if topic is None:
        if fmt == "json":
            emit_json([t.model_dump(mode="json") for t in cat.concepts])
            return
        if fmt == "md":
            for t in cat.concepts:
                click.echo(f"## {t.title(lang)}\n\n{t.body(lang).strip()}\n")
            return
        from rich.console import Console
        from rich.table import Table

        table = Table(header_style="bold")
        table.add_column(env.say("column.topic"), no_wrap=True)
        table.add_column(env.say("column.title"))
        table.add_column(env.say("column.summary"))
        for t in cat.concepts:
            table.add_row(t.id, t.title(lang), t.summary(lang))
        console = Console()
        console.print(table)
        console.print("antai concepts TOPIC", style="dim")
        return
    found = cat.concept(topic.strip().lower())
    if found is None:
        hint = did_you_mean(topic.lower(), [t.id for t in cat.concepts], "topics", lang)
        raise Unknown(env.say("no_topic", topic=topic, hint=hint))
    if fmt == "json":
        emit_json(found.model_dump(mode="json"))
        return
    text = f"# {found.title(lang)}\n\n{found.body(lang).strip()}\n"
    if fmt == "md":
        click.echo(text, nl=False)
    else:
        print_markdown(text)


@click.command()
@format_option("html", "md")
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write to FILE. HTML defaults to ./antai-guide.LANG.html; Markdown defaults to standard output.",
)
@lang_option
def guide(fmt: str, output: Path | None, lang: str) -> None:
    """Render the whole guideline: quick reference, concept part and every item.

    HTML is one self-contained, printable file with a table of contents; its path is printed.
    """
    cat = get_env().catalog()
    if fmt == "html":
        from antai.reports.guide import guide_html

        write_output(guide_html(cat, lang), output or Path(f"antai-guide.{lang}.html"), kind="html")
    else:
        from antai.reports.guide import guide_markdown

        write_output(guide_markdown(cat, lang), output, kind="md")


@click.command()
@format_option("table", "json")
@lang_option
def technotes(fmt: str, lang: str) -> None:
    """List the new-technology notes: techniques that meet a measure's intent at lower cost."""
    env = get_env()
    cat = env.catalog()
    if fmt == "json":
        emit_json([n.model_dump(mode="json") for n in cat.technotes])
        return
    from rich.console import Console
    from rich.table import Table

    table = Table(header_style="bold")
    table.add_column("ID", no_wrap=True)
    table.add_column(env.say("column.title"))
    table.add_column(env.say("column.items"))
    for note in cat.technotes:
        table.add_row(note.id, note.title(lang), ", ".join(link.item for link in note.satisfies))
    console = Console()
    console.print(table)
    console.print("antai technote ID", style="dim")


@click.command()
@click.argument("note_id", metavar="ID")
@format_option("text", "md", "json")
@lang_option
def technote(note_id: str, fmt: str, lang: str) -> None:
    """Show one new-technology note: how it works, what it satisfies, and when the equivalence holds."""
    from antai.reports.guide import technote_markdown

    env = get_env()
    cat = env.catalog()
    note = cat.technote(note_id)
    if note is None:
        hint = did_you_mean(note_id.lower(), [n.id for n in cat.technotes], "notes", lang)
        raise Unknown(env.say("no_note", note=note_id, hint=hint))
    if fmt == "json":
        emit_json(note.model_dump(mode="json"))
        return
    text = technote_markdown(cat, note, lang, heading="#")
    if fmt == "md":
        click.echo(text, nl=False)
    else:
        print_markdown(text)
