"""``antai`` command line. Exit codes: 0 success, 1 a check failed, 2 bad usage or unknown name.

Heavy modules (pydantic models, rich, jinja2) are imported inside commands so that the CLI starts fast.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from antai import __version__

if TYPE_CHECKING:
    from antai.catalog import Catalog

F = TypeVar("F", bound=Callable[..., Any])

EXIT_CHECK_FAILED = 1
EXIT_USAGE = 2


def _default_lang() -> str:
    lang = os.environ.get("ANTAI_LANG", "ja")
    return lang if lang in ("ja", "en") else "ja"


def lang_option(func: F) -> F:
    return click.option(
        "--lang",
        type=click.Choice(["ja", "en"]),
        default=_default_lang,
        show_default="ja, or $ANTAI_LANG",
        help="Language of the output.",
    )(func)


class CheckFailed(click.ClickException):
    """A check found problems: the report is already printed; exit 1."""

    exit_code = EXIT_CHECK_FAILED


class NotFound(click.ClickException):
    exit_code = EXIT_USAGE


def _emit_json(data: object) -> None:
    click.echo(json.dumps(data, ensure_ascii=False, indent=2))


def _load(ctx: click.Context) -> Catalog:
    """The catalog for this run (built-in plus any --catalog-dir), loaded once; problems exit 1."""
    from antai.catalog import SourceError, load_catalog

    obj = ctx.ensure_object(dict)
    if "catalog" not in obj:
        try:
            obj["catalog"] = load_catalog(extensions=obj.get("catalog_dirs", ()))
        except SourceError as exc:
            for problem in exc.problems:
                click.echo(str(problem), err=True)
            raise CheckFailed(f"the catalog has {len(exc.problems)} problem(s)") from None
    catalog: Catalog = obj["catalog"]
    return catalog


def _write_output(text: str, output: Path | None) -> None:
    from antai.fileio import atomic_write_text

    if output is None:
        click.echo(text, nl=not text.endswith("\n"))
    else:
        atomic_write_text(output, text)
        click.echo(str(output.resolve()))


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, "-V", "--version", prog_name="antai")
@click.option(
    "--catalog-dir",
    "catalog_dirs",
    multiple=True,
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    envvar="ANTAI_CATALOG_DIR",
    help="Extension folder with your own items (repeatable); it adds items, never replaces built-in ones.",
)
@click.pass_context
def cli(ctx: click.Context, catalog_dirs: tuple[Path, ...]) -> None:
    """antai — an executable, risk-based security guideline for FinTech ventures.

    Start with `antai concepts`, browse with `antai items` and `antai item ID`,
    and render everything with `antai guide`.
    """
    ctx.ensure_object(dict)["catalog_dirs"] = catalog_dirs


# --- catalog -------------------------------------------------------------------------------------


@cli.group()
def catalog() -> None:
    """Validate the catalog or an extension folder; print its JSON Schema."""


@catalog.command("validate")
@click.argument("folder", required=False, type=click.Path(file_okay=False, path_type=Path))
def catalog_validate(folder: Path | None) -> None:
    """Check the built-in catalog, a copy of it, or an extension FOLDER.

    Problems are printed as file:line:column: message; the exit code is 1 if there is any.
    """
    from antai.catalog import validate_folder

    if folder is not None and not folder.is_dir():
        raise NotFound(f"no such folder: {folder}")
    problems = validate_folder(folder)
    for problem in problems:
        click.echo(str(problem))
    if problems:
        raise CheckFailed(f"{len(problems)} problem(s) found")
    from antai.catalog import load_catalog

    extensions = [folder] if folder is not None and not (folder / "catalog.yaml").is_file() else []
    builtin = folder if folder is not None and (folder / "catalog.yaml").is_file() else None
    loaded = load_catalog(extensions=extensions) if builtin is None else load_catalog(builtin=builtin)
    where = str(folder) if folder else "built-in catalog"
    click.echo(
        f"OK: {where} — {len(loaded.items)} items, {len(loaded.concepts)} concept topics, "
        f"version {loaded.version}",
        err=True,
    )


@catalog.command("schema")
@click.option(
    "--kind",
    type=click.Choice(["item", "concept", "catalog"]),
    default="item",
    show_default=True,
    help="Which file's schema: an item, a concept topic, or catalog.yaml.",
)
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="Write to FILE.")
def catalog_schema(kind: str, output: Path | None) -> None:
    """Print the JSON Schema of catalog files, for editors and CI."""
    from pydantic import BaseModel

    from antai.catalog.schema import CatalogMeta, ConceptTopic, Item

    models: dict[str, type[BaseModel]] = {"item": Item, "concept": ConceptTopic, "catalog": CatalogMeta}
    model = models[kind]
    schema = model.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = f"https://antai.invalid/schema/{kind}-{__version__}.json"
    _write_output(json.dumps(schema, ensure_ascii=False, indent=2) + "\n", output)


# --- reading ---------------------------------------------------------------------------------------


@cli.command()
@click.option("--chapter", type=click.IntRange(1), help="Only items of chapter N.")
@click.option(
    "--mandatory/--conditional", default=None, help="Only mandatory, or only service-dependent, items."
)
@click.option(
    "--layer",
    "layers",
    multiple=True,
    type=click.Choice(["physical", "infrastructure", "platform", "application", "user_interface", "device"]),
    help="Only items on this layer (repeatable).",
)
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
@lang_option
@click.pass_context
def items(
    ctx: click.Context,
    chapter: int | None,
    mandatory: bool | None,
    layers: tuple[str, ...],
    fmt: str,
    lang: str,
) -> None:
    """List criteria items."""
    from antai.catalog.schema import Layer

    cat = _load(ctx)
    if chapter is not None and cat.chapter(chapter) is None:
        raise NotFound(f"no chapter {chapter} (chapters: {', '.join(str(c.number) for c in cat.chapters)})")
    selected = cat.select(chapter=chapter, mandatory=mandatory, layers=[Layer(x) for x in layers])
    if fmt == "json":
        from antai.reports.guide import item_record

        _emit_json([item_record(cat, i) for i in selected])
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
    console.print(f"{len(selected)} items ({mandatory_count} mandatory)", style="dim")


def _suggest(cat: Catalog, item_id: str) -> str:
    import difflib

    close = difflib.get_close_matches(item_id.upper(), [i.id for i in cat.items], n=3, cutoff=0.6)
    return f" (did you mean {', '.join(close)}?)" if close else " (see `antai items`)"


@cli.command()
@click.argument("item_id", metavar="ID")
@click.option("--format", "fmt", type=click.Choice(["text", "md", "json"]), default="text", show_default=True)
@lang_option
@click.pass_context
def item(ctx: click.Context, item_id: str, fmt: str, lang: str) -> None:
    """Show one criteria item in full."""
    from antai.reports.guide import item_markdown, item_record

    cat = _load(ctx)
    found = cat.item(item_id)
    if found is None:
        raise NotFound(f"no item {item_id}{_suggest(cat, item_id)}")
    if fmt == "json":
        _emit_json(item_record(cat, found))
    elif fmt == "md":
        click.echo(item_markdown(cat, found, lang, heading="#"), nl=False)
    else:
        from rich.console import Console
        from rich.markdown import Markdown

        Console().print(Markdown(item_markdown(cat, found, lang, heading="#")))


@cli.command()
@click.argument("topic", required=False)
@click.option("--format", "fmt", type=click.Choice(["text", "md", "json"]), default="text", show_default=True)
@lang_option
@click.pass_context
def concepts(ctx: click.Context, topic: str | None, fmt: str, lang: str) -> None:
    """Show the concept part (概念編): the list of topics, or one TOPIC in full."""
    cat = _load(ctx)
    if topic is None:
        if fmt == "json":
            _emit_json([t.model_dump(mode="json") for t in cat.concepts])
            return
        if fmt == "md":
            for t in cat.concepts:
                click.echo(f"## {t.title(lang)}\n\n{t.body(lang).strip()}\n")
            return
        from rich.console import Console
        from rich.table import Table

        table = Table(header_style="bold")
        table.add_column("TOPIC", no_wrap=True)
        table.add_column("タイトル" if lang == "ja" else "Title")
        table.add_column("要約" if lang == "ja" else "Summary")
        for t in cat.concepts:
            table.add_row(t.id, t.title(lang), t.summary(lang))
        console = Console()
        console.print(table)
        console.print("antai concepts TOPIC", style="dim")
        return
    found = cat.concept(topic.strip().lower())
    if found is None:
        import difflib

        ids = [t.id for t in cat.concepts]
        close = difflib.get_close_matches(topic.lower(), ids, n=1)
        hint = f"did you mean '{close[0]}'?" if close else f"topics: {', '.join(ids)}"
        raise NotFound(f"no concept topic '{topic}' ({hint})")
    if fmt == "json":
        _emit_json(found.model_dump(mode="json"))
        return
    text = f"# {found.title(lang)}\n\n{found.body(lang).strip()}\n"
    if fmt == "md":
        click.echo(text, nl=False)
    else:
        from rich.console import Console
        from rich.markdown import Markdown

        Console().print(Markdown(text))


@cli.command()
@click.option("--format", "fmt", type=click.Choice(["html", "md"]), default="html", show_default=True)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write to FILE. HTML defaults to ./antai-guide.LANG.html; Markdown defaults to standard output.",
)
@lang_option
@click.pass_context
def guide(ctx: click.Context, fmt: str, output: Path | None, lang: str) -> None:
    """Render the whole guideline: quick reference, concept part and every item.

    HTML is one self-contained, printable file with a table of contents; its path is printed.
    """
    cat = _load(ctx)
    if fmt == "html":
        from antai.reports.guide import guide_html

        _write_output(guide_html(cat, lang), output or Path(f"antai-guide.{lang}.html"))
    else:
        from antai.reports.guide import guide_markdown

        _write_output(guide_markdown(cat, lang), output)


def main() -> None:
    """Entry point of the ``antai`` console script."""
    try:
        cli.main(prog_name="antai", standalone_mode=True)
    except KeyboardInterrupt:  # pragma: no cover - interactive only
        click.echo("interrupted", err=True)
        sys.exit(130)
