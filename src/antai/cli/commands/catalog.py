"""`antai catalog validate | schema | diff`."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

import click

from antai import __version__
from antai.cli.context import get_env
from antai.cli.errors import CheckFailed, Unknown, source_problems
from antai.cli.output import emit_json, write_output
from antai.cli.params import Choice, format_option, lang_option, output_option

if TYPE_CHECKING:
    from antai.catalog import Catalog, Problem


@click.group()
def catalog() -> None:
    """Validate the catalog or an extension folder; print its JSON Schema."""


@catalog.command("validate")
@click.argument("folder", required=False, type=click.Path(file_okay=False, path_type=Path))
@lang_option
def catalog_validate(folder: Path | None, lang: str) -> None:
    """Check the built-in catalog (or the --catalog folder), a copy of it, or an extension FOLDER.

    Problems are printed as file:line:column: message; the exit code is 1 if there is any.
    """
    from antai.catalog.loader import check_folder

    env = get_env()
    folder = folder or env.catalog_root  # `antai --catalog DIR catalog validate` checks DIR
    if folder is not None and not folder.is_dir():
        raise Unknown(env.say("no_folder", folder=folder))
    loaded, problems = check_folder(folder)
    problems = problems + _mapping_table_problems(folder, loaded)
    from antai.cli.problem_words import problem_text

    for problem in problems:
        click.echo(problem_text(problem, env.lang))
    if problems or loaded is None:
        raise CheckFailed(env.say("problems_found", count=len(problems)))
    where = str(folder) if folder else env.say("builtin_catalog")
    click.echo(
        env.say(
            "catalog_ok", where=where, items=len(loaded.items), concepts=len(loaded.concepts), version=loaded.version
        ),
        err=True,
    )


def _mapping_table_problems(folder: Path | None, loaded: Catalog | None) -> list[Problem]:
    """Problems in the scanners' mapping tables of the built-in catalog or of a full catalog copy (an extension
    folder has none): each table must read, and name only items the catalog has."""
    from antai.catalog.mappings import MAPPINGS_DIR, TOOLS, check_mapping

    if folder is not None and not (folder / "catalog.yaml").is_file():
        return []
    root = MAPPINGS_DIR if folder is None else folder / MAPPINGS_DIR.name
    items = {item.id for item in loaded.items} if loaded is not None else set()
    problems: list[Problem] = []
    for tool in TOOLS:
        path = root / f"{tool}.yaml"
        if path.is_file():
            found = check_mapping(path, f"{MAPPINGS_DIR.name}/{tool}.yaml", items)
            # without a catalog, only the table's own shape can be checked
            problems += [p for p in found if loaded is not None or p.code != "mapping.unknown_item"]
    return problems


@catalog.command("schema")
@click.option(
    "--kind",
    type=Choice(["item", "concept", "catalog"]),
    default="item",
    show_default=True,
    help="Which file's schema: an item, a concept topic, or catalog.yaml.",
)
@output_option
@lang_option
def catalog_schema(kind: str, output: Path | None, lang: str) -> None:
    """Print the JSON Schema of catalog files, for editors and CI."""
    from pydantic import BaseModel

    from antai.catalog.schema import CatalogMeta, ConceptTopic, Item

    models: dict[str, type[BaseModel]] = {"item": Item, "concept": ConceptTopic, "catalog": CatalogMeta}
    schema = models[kind].model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = f"https://antai.invalid/schema/{kind}-{__version__}.json"
    write_output(json.dumps(schema, ensure_ascii=False, indent=2) + "\n", output)


def _load_folder(folder: Path) -> Catalog:
    from antai.catalog import SourceError, load_catalog

    env = get_env()
    if not (folder / "catalog.yaml").is_file():
        raise Unknown(env.say("not_catalog_folder", folder=folder))
    try:
        return load_catalog(builtin=folder, use_cache=False)
    except SourceError as exc:
        raise source_problems(
            exc, env.say("folder_problems", folder=folder, count=len(exc.problems)), env.lang
        ) from None


def _short(value: object, width: int = 70) -> str:
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    text = " ".join(str(text).split())
    return text if len(text) <= width else text[: width - 1] + "…"


@catalog.command("diff")
@click.argument("old", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.argument("new", type=click.Path(exists=True, file_okay=False, path_type=Path))
@format_option("text", "json")
@click.option("--exit-code", is_flag=True, help="Exit 1 when the catalogs differ (like git diff --exit-code).")
@lang_option
def catalog_diff(old: Path, new: Path, fmt: str, exit_code: bool, lang: str) -> None:
    """Items added, removed and changed (field by field) between two catalog folders OLD and NEW."""
    from antai.catalog.diff import diff_catalogs

    env = get_env()
    before, after = _load_folder(old), _load_folder(new)
    result = diff_catalogs(before, after)
    if fmt == "json":
        emit_json(result.as_dict())
    else:
        click.echo(env.say("diff_header", old=result.old_version, new=result.new_version))
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
        for kind, mark, ids in (
            ("technote", "+", result.technotes_added),
            ("technote", "-", result.technotes_removed),
            ("technote", "~", result.technotes_changed),
            ("concept", "~", result.concepts_changed),
        ):
            for x in ids:
                click.echo(f"{env.say('diff.' + kind)} {mark} {x}")
        if result.empty:
            click.echo(env.say("no_differences"))
    if exit_code and not result.empty:
        raise CheckFailed(env.say("catalogs_differ"))
