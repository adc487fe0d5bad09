"""Writing results: stdout or a file (never over an input), JSON for scripts, Markdown for the terminal,
and the wording of plan reconciliations shared by `upgrade` and `profile set`."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import click

from antai import messages
from antai.cli.context import get_env
from antai.cli.errors import BadUsage

if TYPE_CHECKING:
    from antai.app.usecases import Reconciliation


def emit_json(data: object) -> None:
    click.echo(json.dumps(data, ensure_ascii=False, indent=2))


def print_markdown(text: str) -> None:
    """Markdown rendered for the terminal (headings, lists, tables) through Rich."""
    from rich.console import Console
    from rich.markdown import Markdown

    Console().print(Markdown(text))


_KIND_SIGNATURES: dict[str, Callable[[bytes], bool]] = {
    "xlsx": lambda head: head.startswith(b"PK\x03\x04"),
    "pdf": lambda head: head.startswith(b"%PDF-"),
    "html": lambda head: b"<html" in head.lower() or head.lstrip().lower().startswith(b"<!doctype html"),
    "json": lambda head: head.lstrip()[:1] in (b"{", b"["),
    "md": lambda head: head.lstrip()[:1] in (b"#", b"|", b"-", b"*", b"") or b"\n#" in head,
}


def _refuse_clobber(output: Path, kind: str | None, force: bool, protect: list[Path], lang: str) -> None:
    """Outputs never replace inputs: a workspace file, the profile or catalog being read, or an existing
    file of another kind (unless --force, which still never replaces a workspace or catalog file)."""
    from antai.catalog.loader import BUILTIN_DIR

    def refuse(key: str, **params: object) -> BadUsage:
        return BadUsage(messages.text(key, lang, path=output, **params), lang)

    target = output.resolve()
    guarded = [p.resolve() for p in protect]
    for root in list(target.parents)[:3]:
        if (root / "antai.yaml").is_file():
            from antai.workspace.store import HISTORY, TRACKED

            rel = target.relative_to(root).as_posix()
            if rel in (*TRACKED, HISTORY) or rel.startswith(("evidence/", ".antai/", "submissions/")):
                guarded.append(target)
            break
    if target in guarded:
        raise refuse("refuse_input")
    if target.is_relative_to(BUILTIN_DIR.resolve()):
        raise refuse("refuse_builtin")
    if force or not target.exists():
        return
    if target.is_dir():
        raise refuse("refuse_folder")
    if target.suffix.lower() in (".yaml", ".yml", ".jsonl", ".py", ".toml"):
        raise refuse("refuse_source")
    check = _KIND_SIGNATURES.get(kind or "")
    if check is not None:
        with target.open("rb") as handle:
            head = handle.read(2048)
        if not check(head):
            raise refuse("refuse_kind", kind=kind)


def write_output(
    text: str | bytes,
    output: Path | None,
    *,
    force: bool = False,
    kind: str | None = None,
    protect: list[Path] | None = None,
) -> None:
    """Print text (also for ``-o -``), or write it atomically to ``output`` and print the file's path."""
    from antai.fileio import atomic_write_bytes

    lang = get_env().lang
    if output is None or str(output) == "-":
        if isinstance(text, bytes):
            raise BadUsage(messages.text("binary_needs_file", lang), lang)
        click.echo(text, nl=not text.endswith("\n"))
        return
    _refuse_clobber(output, kind, force, protect or [], lang)
    try:
        atomic_write_bytes(output, text.encode("utf-8") if isinstance(text, str) else text)
    except OSError as exc:
        raise click.FileError(str(output), hint=exc.strerror or str(exc)) from None
    click.echo(str(output.resolve()))


def print_reconciliation(result: Reconciliation, lang: str) -> None:
    """How the answers follow a new plan, one line per item."""
    for key, ids in (
        ("rec_added", result.added),
        ("rec_restored", result.restored),
        ("rec_archived", result.archived),
        ("rec_dropped", result.dropped),
        ("rec_review", result.review),
    ):
        for item_id in ids:
            click.echo(messages.text(key, lang, item=item_id))
