"""Click groups whose subcommands are imported on first use, so that `--help` loads no command module."""

from __future__ import annotations

import importlib
from typing import Any

import click


def _fit(summary: str, limit: int) -> str:
    """The summary cut at a word to ``limit`` characters, as Click shortens a docstring."""
    if len(summary) <= limit:
        return summary
    words: list[str] = []
    used = 0
    for word in summary.split():
        if used + len(word) + (1 if words else 0) > limit - 3:
            break
        used += len(word) + (1 if words else 0)
        words.append(word)
    return " ".join(words).rstrip(".,;:") + "..."


class LazyGroup(click.Group):
    """A group whose subcommands are imported on first use (Click's documented LazyGroup pattern)."""

    def __init__(self, *args: Any, lazy_subcommands: dict[str, tuple[str, str]] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.lazy_subcommands = dict(lazy_subcommands or {})

    def list_commands(self, ctx: click.Context) -> list[str]:
        return [*self.lazy_subcommands, *sorted(set(super().list_commands(ctx)) - set(self.lazy_subcommands))]

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.lazy_subcommands:
            return super().get_command(ctx, cmd_name)
        target = self.lazy_subcommands[cmd_name][0]
        module, _, attribute = target.partition(":")
        command = getattr(importlib.import_module(module), attribute)
        if not isinstance(command, click.Command):
            raise TypeError(f"{target} is not a click command")
        return command

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        names = self.list_commands(ctx)
        if not names:
            return
        limit = formatter.width - 6 - max(len(name) for name in names)
        rows = []
        for name in names:
            if name in self.lazy_subcommands:
                rows.append((name, _fit(self.lazy_subcommands[name][1], limit)))
            else:
                command = self.get_command(ctx, name)
                if command is not None and not command.hidden:
                    rows.append((name, command.get_short_help_str(limit)))
        with formatter.section("Commands"):
            formatter.write_dl(rows)
