"""``antai`` command line. Exit codes: 0 success, 1 a check failed or a change was refused, 2 bad usage or
an unknown ID, 3 the workspace is busy (another command holds it), 4 the workspace needs repair or a newer
antai.

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
EXIT_BUSY = 3
EXIT_DAMAGED = 4


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
    from antai.catalog.loader import BUILTIN_DIR

    obj = ctx.ensure_object(dict)
    if "catalog" not in obj:
        try:
            obj["catalog"] = load_catalog(
                extensions=obj.get("catalog_dirs", ()), builtin=obj.get("catalog_root") or BUILTIN_DIR
            )
        except SourceError as exc:
            for problem in exc.problems:
                click.echo(str(problem), err=True)
            raise CheckFailed(f"the catalog has {len(exc.problems)} problem(s)") from None
    catalog: Catalog = obj["catalog"]
    return catalog


def _print_markdown(text: str) -> None:
    """Markdown rendered for the terminal (headings, lists, tables) through Rich."""
    from rich.console import Console
    from rich.markdown import Markdown

    Console().print(Markdown(text))


_KIND_SIGNATURES: dict[str, Callable[[bytes], bool]] = {
    "xlsx": lambda head: head.startswith(b"PK\x03\x04"),
    "html": lambda head: b"<html" in head.lower() or head.lstrip().lower().startswith(b"<!doctype html"),
    "json": lambda head: head.lstrip()[:1] in (b"{", b"["),
    "md": lambda head: head.lstrip()[:1] in (b"#", b"|", b"-", b"*", b"") or b"\n#" in head,
}


def _refuse_clobber(output: Path, kind: str | None, force: bool, protect: list[Path]) -> None:
    """Outputs never replace inputs: a workspace file, the profile or catalog being read, or an existing
    file of another kind (unless --force, which still never replaces a workspace or catalog file)."""
    from antai.catalog.loader import BUILTIN_DIR

    target = output.resolve()
    guarded = [p.resolve() for p in protect]
    for root in list(target.parents)[:3]:
        if (root / "antai.yaml").is_file():
            from antai.workspace.store import HISTORY, TRACKED

            rel = target.relative_to(root).as_posix()
            if rel in (*TRACKED, HISTORY) or rel.startswith(("evidence/", ".antai/")):
                guarded.append(target)
            break
    if target in guarded:
        raise click.UsageError(f"refusing to write over {output}: it is an input of antai, not an output")
    if target.is_relative_to(BUILTIN_DIR.resolve()):
        raise click.UsageError(f"refusing to write into the built-in catalog ({output})")
    if force or not target.exists():
        return
    if target.is_dir():
        raise click.UsageError(f"{output} is a folder; give a file name")
    if target.suffix.lower() in (".yaml", ".yml", ".jsonl", ".py", ".toml"):
        raise click.UsageError(f"refusing to write over {output}; give another name, or --force")
    check = _KIND_SIGNATURES.get(kind or "")
    if check is not None:
        with target.open("rb") as handle:
            head = handle.read(2048)
        if not check(head):
            raise click.UsageError(
                f"{output} exists and is not a {kind} file; give another name, or --force to replace it"
            )


def _write_output(
    text: str | bytes,
    output: Path | None,
    *,
    force: bool = False,
    kind: str | None = None,
    protect: list[Path] | None = None,
) -> None:
    """Print text (also for ``-o -``), or write it atomically to ``output`` and print the file's path."""
    from antai.fileio import atomic_write_bytes

    if output is None or str(output) == "-":
        if isinstance(text, bytes):
            raise click.UsageError("this format is binary: give an output file with -o FILE")
        click.echo(text, nl=not text.endswith("\n"))
        return
    _refuse_clobber(output, kind, force, protect or [])
    try:
        atomic_write_bytes(output, text.encode("utf-8") if isinstance(text, str) else text)
    except OSError as exc:
        raise click.FileError(str(output), hint=exc.strerror or str(exc)) from None
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
@click.option(
    "--catalog",
    "catalog_root",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    envvar="ANTAI_CATALOG",
    help="Use the full catalog in this folder instead of the built-in one (e.g. a proposed version).",
)
@click.pass_context
def cli(ctx: click.Context, catalog_dirs: tuple[Path, ...], catalog_root: Path | None) -> None:
    """antai — an executable, risk-based security guideline for FinTech ventures.

    Start with `antai concepts`, browse with `antai items` and `antai item ID`,
    and render everything with `antai guide`.
    """
    ctx.ensure_object(dict).update(catalog_dirs=catalog_dirs, catalog_root=catalog_root)


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
    from antai.catalog.loader import check_folder

    if folder is not None and not folder.is_dir():
        raise NotFound(f"no such folder: {folder}")
    loaded, problems = check_folder(folder)
    for problem in problems:
        click.echo(str(problem))
    if loaded is None:
        raise CheckFailed(f"{len(problems)} problem(s) found")
    where = str(folder) if folder else "built-in catalog"
    click.echo(
        f"OK: {where} — {len(loaded.items)} items, {len(loaded.concepts)} concept topics, version {loaded.version}",
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


def _load_folder(folder: Path) -> Catalog:
    from antai.catalog import SourceError, load_catalog

    if not (folder / "catalog.yaml").is_file():
        raise NotFound(f"{folder} is not a catalog folder (it has no catalog.yaml)")
    try:
        return load_catalog(builtin=folder, use_cache=False)
    except SourceError as exc:
        for problem in exc.problems:
            click.echo(str(problem), err=True)
        raise CheckFailed(f"{folder}: {len(exc.problems)} problem(s)") from None


def _short(value: object, width: int = 70) -> str:
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    text = " ".join(str(text).split())
    return text if len(text) <= width else text[: width - 1] + "…"


@catalog.command("diff")
@click.argument("old", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.argument("new", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--exit-code", is_flag=True, help="Exit 1 when the catalogs differ (like git diff --exit-code).")
@lang_option
def catalog_diff(old: Path, new: Path, fmt: str, exit_code: bool, lang: str) -> None:
    """Items added, removed and changed (field by field) between two catalog folders OLD and NEW."""
    from antai.catalog.diff import diff_catalogs

    before, after = _load_folder(old), _load_folder(new)
    result = diff_catalogs(before, after)
    if fmt == "json":
        _emit_json(result.as_dict())
    else:
        click.echo(f"catalog {result.old_version} → {result.new_version}")
        for item_id in result.added:
            found = after.item(item_id)
            click.echo(f"+ {item_id} {found.title(lang) if found else ''}")
        for item_id in result.removed:
            found = before.item(item_id)
            click.echo(f"- {item_id} {found.title(lang) if found else ''}")
        for change in result.changed:
            found = after.item(change.id)
            click.echo(f"~ {change.id} {found.title(lang) if found else ''}")
            for f in change.fields:
                click.echo(f"    {f.path}: {_short(f.old)} → {_short(f.new)}")
        for kind, ids in (
            ("technote +", result.technotes_added),
            ("technote -", result.technotes_removed),
            ("technote ~", result.technotes_changed),
            ("concept ~", result.concepts_changed),
        ):
            for x in ids:
                click.echo(f"{kind} {x}")
        if result.empty:
            click.echo("no differences")
    if exit_code and not result.empty:
        raise CheckFailed("the catalogs differ")


# --- reading ---------------------------------------------------------------------------------------


@cli.command()
@click.option("--chapter", type=click.IntRange(1), help="Only items of chapter N.")
@click.option("--mandatory/--conditional", default=None, help="Only mandatory, or only service-dependent, items.")
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


def _hint(wanted: str, choices: list[str], kind: str) -> str:
    """'did you mean …?' when a close match exists, else the list of valid names."""
    import difflib

    close = difflib.get_close_matches(wanted, choices, n=3, cutoff=0.6)
    return f"did you mean {', '.join(close)}?" if close else f"{kind}: {', '.join(choices)}"


def _suggest(cat: Catalog, item_id: str) -> str:
    hint = _hint(item_id.upper(), [i.id for i in cat.items], "items")
    return f" ({hint})" if hint.startswith("did") else " (see `antai items`)"


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
        _print_markdown(item_markdown(cat, found, lang, heading="#"))


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
        raise NotFound(f"no concept topic '{topic}' ({_hint(topic.lower(), [t.id for t in cat.concepts], 'topics')})")
    if fmt == "json":
        _emit_json(found.model_dump(mode="json"))
        return
    text = f"# {found.title(lang)}\n\n{found.body(lang).strip()}\n"
    if fmt == "md":
        click.echo(text, nl=False)
    else:
        _print_markdown(text)


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

        _write_output(guide_html(cat, lang), output or Path(f"antai-guide.{lang}.html"), kind="html")
    else:
        from antai.reports.guide import guide_markdown

        _write_output(guide_markdown(cat, lang), output, kind="md")


# --- FISC traceability -----------------------------------------------------------------------------


@cli.group()
def fisc() -> None:
    """FISC 安全対策基準 traceability: how antai handles every FISC item (R3)."""


@fisc.command("coverage")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
@lang_option
@click.pass_context
def fisc_coverage(ctx: click.Context, fmt: str, lang: str) -> None:
    """Counts by category and handling; lists unhandled IDs. Exit 1 if any FISC ID is unhandled."""
    from antai.catalog.traceability import coverage

    result = coverage(_load(ctx))
    if fmt == "json":
        _emit_json(result.as_dict())
    else:
        from rich.console import Console
        from rich.table import Table

        from antai.reports.fisc import handling_label

        columns = ["included", "risk_based", "excluded", "vacant", "unhandled"]
        title = "FISC 安全対策基準の取扱い" if lang == "ja" else "FISC coverage"
        table = Table(header_style="bold", title=title)
        table.add_column("category")
        for column in columns:
            table.add_column(handling_label(None if column == "unhandled" else column, lang)[0], justify="right")
        table.add_column("total", justify="right")
        for category, counts in result.by_category.items():
            table.add_row(category, *(str(counts.get(c, 0)) for c in columns), str(sum(counts.values())))
        totals = [sum(c.get(col, 0) for c in result.by_category.values()) for col in columns]
        table.add_row("total", *(str(t) for t in totals), str(result.total), style="bold")
        console = Console()
        console.print(table)
        legend = " · ".join(handling_label(None if c == "unhandled" else c, lang) for c in columns)
        console.print(legend, style="dim")
        if result.unhandled:
            console.print(f"unhandled ({len(result.unhandled)}): {', '.join(result.unhandled)}", style="red")
        else:
            console.print(f"every one of the {result.total} FISC IDs has a recorded handling", style="green")
    if result.unhandled:
        raise CheckFailed(f"{len(result.unhandled)} FISC ID(s) have no handling")


@fisc.command("show")
@click.argument("fisc_id", metavar="ID")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@lang_option
@click.pass_context
def fisc_show(ctx: click.Context, fisc_id: str, fmt: str, lang: str) -> None:
    """How antai handles one FISC item (e.g. 実3) and which items cover it."""
    from antai.catalog.traceability import matrix_rows
    from antai.reports.fisc import class_label, handling_label

    cat = _load(ctx)
    row = next((r for r in matrix_rows(cat) if r["id"] == fisc_id.strip()), None)
    if row is None:
        raise NotFound(f"'{fisc_id}' is not a FISC item ID of the index (e.g. 実3, 統20, 設1)")
    if fmt == "json":
        _emit_json(row)
        return
    click.echo(f"FISC {row['id']} ({row['category']}, {row['status']})")
    if row["topic"]:
        click.echo(f"  {row['topic'][lang]}")
    click.echo(f"  {handling_label(row['handling'], lang)} · {class_label(row['classification'], lang)}")
    if row["reason"]:
        click.echo(f"  {row['reason'][lang]}")
    for item_id in row["items"]:
        found = cat.item(item_id)
        click.echo(f"  - {item_id} {found.title(lang) if found else ''}")


@fisc.command("matrix")
@click.option("--format", "fmt", type=click.Choice(["md", "json", "xlsx"]), default="md", show_default=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="Write to FILE.")
@lang_option
@click.pass_context
def fisc_matrix(ctx: click.Context, fmt: str, output: Path | None, lang: str) -> None:
    """The whole traceability matrix: every FISC ID with handling, class, reason and antai items."""
    from antai.reports import fisc as fisc_report

    cat = _load(ctx)
    if fmt == "json":
        _write_output(
            json.dumps(fisc_report.matrix_json(cat), ensure_ascii=False, indent=2) + "\n", output, kind="json"
        )
    elif fmt == "md":
        _write_output(fisc_report.matrix_markdown(cat, lang), output, kind="md")
    else:
        _write_output(fisc_report.matrix_xlsx(cat, lang), output, kind="xlsx")


# --- new-technology notes --------------------------------------------------------------------------


@cli.command()
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
@lang_option
@click.pass_context
def technotes(ctx: click.Context, fmt: str, lang: str) -> None:
    """List the new-technology notes: techniques that meet a measure's intent at lower cost."""
    cat = _load(ctx)
    if fmt == "json":
        _emit_json([n.model_dump(mode="json") for n in cat.technotes])
        return
    from rich.console import Console
    from rich.table import Table

    table = Table(header_style="bold")
    table.add_column("ID", no_wrap=True)
    table.add_column("タイトル" if lang == "ja" else "Title")
    table.add_column("項目" if lang == "ja" else "Items")
    for note in cat.technotes:
        table.add_row(note.id, note.title(lang), ", ".join(link.item for link in note.satisfies))
    console = Console()
    console.print(table)
    console.print("antai technote ID", style="dim")


@cli.command()
@click.argument("note_id", metavar="ID")
@click.option("--format", "fmt", type=click.Choice(["text", "md", "json"]), default="text", show_default=True)
@lang_option
@click.pass_context
def technote(ctx: click.Context, note_id: str, fmt: str, lang: str) -> None:
    """Show one new-technology note: how it works, what it satisfies, and when the equivalence holds."""
    from antai.reports.guide import technote_markdown

    cat = _load(ctx)
    note = cat.technote(note_id)
    if note is None:
        hint = _hint(note_id.lower(), [n.id for n in cat.technotes], "notes")
        raise NotFound(f"no new-technology note '{note_id}' ({hint})")
    if fmt == "json":
        _emit_json(note.model_dump(mode="json"))
        return
    text = technote_markdown(cat, note, lang, heading="#")
    if fmt == "md":
        click.echo(text, nl=False)
    else:
        _print_markdown(text)


# --- tailoring ---------------------------------------------------------------------------------------


def _read_profile(path: Path) -> Any:
    from antai.catalog import SourceError
    from antai.tailoring.profile import example_names, load_profile, resolve_profile_path

    resolved = resolve_profile_path(path)
    if not resolved.is_file():
        hint = f"examples: {', '.join('example:' + n for n in example_names())}"
        raise NotFound(f"no profile file {path} ({hint})")
    try:
        return load_profile(path)
    except SourceError as exc:
        for problem in exc.problems:
            click.echo(str(problem), err=True)
        raise CheckFailed(f"{path}: {len(exc.problems)} problem(s) in the profile") from None


def _apply_sets(profile: Any, sets: tuple[str, ...]) -> Any:
    from antai.tailoring.questionnaire import AnswerError, apply_assignments

    try:
        return apply_assignments(profile, list(sets))
    except AnswerError as exc:
        raise click.BadParameter(str(exc), param_hint="--set") from None


@cli.group()
def profile() -> None:
    """The service profile: questionnaire, schema and checks."""


@profile.command("schema")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="Write to FILE.")
def profile_schema(output: Path | None) -> None:
    """Print the JSON Schema of profile files."""
    from antai.tailoring.profile import Profile

    schema = Profile.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = f"https://antai.invalid/schema/profile-{__version__}.json"
    _write_output(json.dumps(schema, ensure_ascii=False, indent=2) + "\n", output)


@profile.command("show")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@lang_option
def profile_show(path: Path, fmt: str, lang: str) -> None:
    """Check a profile file and show the risk levels derived from it (exit 1 if it is invalid)."""
    from antai.tailoring.risk import assess_risk

    prof = _read_profile(path)
    risk = assess_risk(prof)
    if fmt == "json":
        _emit_json({"profile": prof.model_dump(mode="json"), "risk": risk.as_dict(lang)})
        return
    from antai.labels import label

    click.echo(f"{prof.name or path}")
    for name in ("externality", "sensitivity", "tier"):
        derivation = getattr(risk, name)
        click.echo(
            f"  {label('profile.' + name, lang)}: {label(derivation.level.value, lang)}"
            f" — {'; '.join(derivation.text(lang))}"
        )


@profile.command("examples")
def profile_examples() -> None:
    """List the example profiles shipped with antai (use them as --profile example:NAME)."""
    from antai.tailoring.profile import example_names

    for name in example_names():
        click.echo(f"example:{name}")


def _ask(question: Any, default: Any, lang: str) -> Any:
    from antai.tailoring.questionnaire import AnswerError, choice_label, coerce

    click.echo("")
    click.secho(question.text(lang), bold=True)
    click.echo(f"  {question.help(lang)}")
    if question.kind == "multi":
        for n, choice in enumerate(question.choices, start=1):
            click.echo(f"  {n:>2}. {choice:<18} {choice_label(choice, lang)}")
        shown = ",".join(default or [])
        prompt = (
            "番号または値をカンマ区切りで（なしは -）"
            if lang == "ja"
            else "numbers or values, comma-separated (- for none)"
        )
        while True:
            raw = click.prompt(f"  {prompt}", default=shown or "-", show_default=True)
            if raw.strip() == "-":
                return []
            parts = [p.strip() for p in raw.replace(" ", ",").split(",") if p.strip()]
            values = [
                question.choices[int(p) - 1] if p.isdigit() and 0 < int(p) <= len(question.choices) else p
                for p in parts
            ]
            try:
                return coerce(question.key, ",".join(values))
            except AnswerError as exc:
                click.secho(f"  {exc}", fg="red")
    if question.kind == "bool":
        return click.confirm("  ", default=bool(default))
    if question.kind == "int":
        return click.prompt("  ", default=default, type=click.IntRange(0 if question.key == "users" else 1))
    answer = click.prompt("  ", default=default or "", show_default=bool(default))
    return answer or None


@profile.command("new")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="Write the profile to FILE.")
@click.option(
    "--answers",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Start from this profile file (its answers become the defaults).",
)
@click.option("--set", "sets", multiple=True, metavar="KEY=VALUE", help="Answer one question (repeatable).")
@click.option(
    "--interactive/--no-input",
    default=None,
    help="Ask the questions (default in a terminal), or ask nothing and use --answers, --set and defaults.",
)
@lang_option
def profile_new(
    output: Path | None, answers: Path | None, sets: tuple[str, ...], interactive: bool | None, lang: str
) -> None:
    """Answer the service questionnaire and save the profile (works in a plain terminal over SSH).

    Without a terminal (or with --no-input) it asks nothing and builds the profile from --answers and --set.
    Writing over an existing file keeps its answers as the defaults.
    """
    from antai.fileio import atomic_write_text
    from antai.tailoring.profile import Profile
    from antai.tailoring.questionnaire import QUESTIONS, profile_yaml

    start = answers or (output if output is not None and output.is_file() else None)
    prof = _read_profile(start) if start else Profile()
    prof = _apply_sets(prof, sets)
    if interactive is None:
        interactive = sys.stdin.isatty()
    if interactive:
        intro = (
            "サービスについて 11 の質問に答えると、適用される対策が決まる。Enter で既定値を採用する。"
            if lang == "ja"
            else "Answer 11 questions to decide which measures apply; Enter keeps the default."
        )
        click.echo(intro)
        data = prof.model_dump(mode="json")
        for question in QUESTIONS:
            data[question.key] = _ask(question, data.get(question.key), lang)
        prof = Profile.model_validate(data)
    text = profile_yaml(prof, lang)
    if output is None:
        click.echo(text, nl=False)
        return
    atomic_write_text(output, text)
    click.echo(str(output.resolve()))
    hint = f"antai plan --profile {output}"
    click.echo(("次に: " if lang == "ja" else "next: ") + hint, err=True)


@cli.command()
@click.option(
    "--profile",
    "profile_path",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="Profile file (or example:NAME, see `antai profile examples`).",
)
@click.option(
    "--set",
    "sets",
    multiple=True,
    metavar="KEY=VALUE",
    help="What-if: change an answer (key=v, list+=v, list-=v; repeatable) and show what changes.",
)
@click.option("--format", "fmt", type=click.Choice(["table", "json", "md", "html"]), default="table", show_default=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="Write to FILE.")
@click.option("--summary", "summary_only", is_flag=True, help="Table format: only the one-screen summary.")
@click.option("--all", "show_all", is_flag=True, help="Table format: also list the excluded items and why.")
@lang_option
@click.pass_context
def plan(
    ctx: click.Context,
    profile_path: Path,
    sets: tuple[str, ...],
    fmt: str,
    output: Path | None,
    summary_only: bool,
    show_all: bool,
    lang: str,
) -> None:
    """The tailored quick reference: which items apply to this service, why, and in which order.

    With --set, shows the items that enter or leave the plan and any level change (what-if).
    """
    from antai.tailoring.plan import make_plan

    if fmt == "table" and output is not None and str(output) != "-":
        raise click.UsageError("the table is for the terminal: with -o FILE use --format md, html or json")
    guard = [profile_path]
    cat = _load(ctx)
    base_profile = _read_profile(profile_path)
    target_profile = _apply_sets(base_profile, sets)
    result = make_plan(cat, target_profile, lang)
    if sets:
        from antai.tailoring.whatif import compare

        change = compare(make_plan(cat, base_profile, lang), result)
        if fmt == "json":
            _write_output(
                json.dumps({**result.as_dict(), "what_if": change.as_dict()}, ensure_ascii=False, indent=2) + "\n",
                output,
                kind="json",
                protect=guard,
            )
        else:
            from antai.reports.whatif import whatif_text

            _write_output(whatif_text(change, cat, sets), output, kind="md", protect=guard)
        return
    if fmt == "json":
        _write_output(
            json.dumps(result.as_dict(), ensure_ascii=False, indent=2) + "\n", output, kind="json", protect=guard
        )
    elif fmt == "md":
        from antai.reports.plan import plan_markdown

        _write_output(plan_markdown(result, cat), output, kind="md", protect=guard)
    elif fmt == "html":
        from antai.reports.plan import plan_html

        _write_output(plan_html(result, cat), output or Path(f"antai-plan.{lang}.html"), kind="html", protect=guard)
    else:
        from antai.cli.plan_view import print_plan

        print_plan(result, cat, summary_only=summary_only, show_excluded=show_all)


def main() -> None:
    """Entry point of the ``antai`` console script."""
    try:
        cli.main(prog_name="antai", standalone_mode=True)
    except KeyboardInterrupt:  # pragma: no cover - interactive only
        click.echo("interrupted", err=True)
        sys.exit(130)


# the workspace commands register themselves on `cli`; imported last because they build on this module
from antai.cli import workspace_cmds  # noqa: E402, F401
