"""Finding a bank checklist by name (shipped) or path (a user's file) and reading it, for every command that
answers one; its problems are printed as file:line:column and exit 1."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from antai.cli.context import get_env
from antai.cli.errors import CheckFailed, Unknown

if TYPE_CHECKING:
    from antai.catalog import Catalog
    from antai.catalog.yamlsource import Problem
    from antai.checklists.model import Checklist


def problem_line(problem: Problem, lang: str) -> str:
    from antai.cli.problem_words import problem_text
    from antai.messages import text

    if not problem.code.startswith("checklist."):
        return problem_text(problem, lang)
    params = dict(problem.params)
    if problem.code == "checklist.unknown_fact":
        suggestion = params.get("suggestion")
        params["hint"] = text("checklist.unknown_fact_hint", lang, suggestion=suggestion) if suggestion else ""
    return f"{problem.file}:{problem.line}:{problem.column}: {text(problem.code, lang, **params)}"


def checklist_path(name: str) -> Path:
    """A shipped checklist by name, or a user's file by path; anything else exits 2."""
    from antai.checklists.loader import builtin_path

    found = builtin_path(name)
    if found is not None:
        return found
    path = Path(name)
    if path.is_file():
        return path
    raise Unknown(get_env().say("checklist_unknown", name=name))


def load_checklist_file(path: Path, catalog: Catalog) -> Checklist:
    """The checklist in ``path``; its problems are printed as file:line:column and exit 1."""
    from antai.catalog.yamlsource import SourceError
    from antai.checklists.loader import BUILTIN_DIR, load_checklist

    env = get_env()
    shown = f"{path.stem} (antai)" if path.parent == BUILTIN_DIR else str(path)
    try:
        return load_checklist(path, catalog, shown)
    except SourceError as exc:
        for problem in exc.problems:
            click.echo(problem_line(problem, env.lang), err=True)
        raise CheckFailed(env.say("problems_found", count=len(exc.problems))) from None


def load_named_checklist(name: str, catalog: Catalog) -> Checklist:
    return load_checklist_file(checklist_path(name), catalog)
