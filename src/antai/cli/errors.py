"""The one place that turns problems into messages and exit codes.

Exit codes: 0 success; 1 a check failed or a change was refused; 2 bad usage or an unknown ID (item, note,
concept, evidence ID, fact, file); 3 the workspace is busy; 4 the workspace is damaged or was written by a
newer antai; 130 interrupted. Core modules are imported only when an error is being mapped, so that a
command that succeeds never pays for them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from typing import IO, Any

import click

from antai import messages

EXIT_OK = 0
EXIT_CHECK_FAILED = 1
EXIT_USAGE = 2
EXIT_BUSY = 3
EXIT_DAMAGED = 4
EXIT_INTERRUPTED = 130


class Failure(click.ClickException):
    """A ClickException printed with a prefix in the language of the run (set when it is raised, or by
    the root group on its way out)."""

    def __init__(self, message: str, lang: str | None = None) -> None:
        super().__init__(message)
        self.lang = lang

    def show(self, file: IO[Any] | None = None) -> None:
        prefix = messages.text("error", self.lang or "en")
        click.echo(f"{prefix}: {self.format_message()}", file=file, err=file is None)


class CheckFailed(Failure):
    """A check found problems (already printed) or a change was refused; nothing was written."""

    exit_code = EXIT_CHECK_FAILED


class Unknown(Failure):
    """An ID, file or name that does not exist."""

    exit_code = EXIT_USAGE


class WorkspaceBusy(Failure):
    exit_code = EXIT_BUSY


class WorkspaceDamaged(Failure):
    exit_code = EXIT_DAMAGED


class Interrupted(Failure):
    exit_code = EXIT_INTERRUPTED

    def show(self, file: IO[Any] | None = None) -> None:
        click.echo(self.format_message(), file=file, err=file is None)


class BadUsage(click.UsageError):
    """Wrong use of a command: usage line, a hint and the message, in the language of the run."""

    def __init__(self, message: str, lang: str | None = None, ctx: click.Context | None = None) -> None:
        super().__init__(message, ctx)
        self.lang = lang

    def show(self, file: IO[Any] | None = None) -> None:
        lang = self.lang or "en"
        err = file is None
        if self.ctx is not None:
            click.echo(self.ctx.get_usage(), file=file, err=err)
            click.echo(messages.text("usage_hint", lang, command=self.ctx.command_path), file=file, err=err)
            click.echo("", file=file, err=err)
        click.echo(f"{messages.text('error', lang)}: {self.format_message()}", file=file, err=err)


def source_problems(exc: Exception, summary: str, lang: str) -> CheckFailed:
    """Print every ``file:line:column: message`` of a SourceError; the summary becomes the exit-1 error."""
    from antai.cli.problem_words import problem_text

    for problem in getattr(exc, "problems", ()):
        click.echo(problem_text(problem, lang), err=True)
    return CheckFailed(summary, lang)


def to_click(exc: BaseException, lang: str, context: Mapping[str, Any] | None = None) -> click.ClickException | None:
    """The ClickException (message and exit code) for a problem the user can act on; None for a bug.

    ``context`` fills values the core leaves out of an error's params (the workspace folder, the file
    being added) so that the Japanese wording can name them too.
    """
    from antai import errors

    # click.prompt turns Ctrl-C into Abort; the interrupt is still its context
    if isinstance(exc, KeyboardInterrupt) or (
        isinstance(exc, click.Abort) and isinstance(exc.__context__, KeyboardInterrupt)
    ):
        return Interrupted(messages.text("interrupted", lang), lang)
    if isinstance(exc, errors.AntaiError):
        params = {**(context or {}), **exc.params}
        if isinstance(exc, errors.UnrecordedEdits) and lang != "ja":
            english = (
                f"{', '.join(exc.parts)} changed outside antai since the last recorded change. Check it with "
                "`antai validate`, then record it with `antai record -m MESSAGE` (or undo it with git) before "
                "making new changes."
            )
        else:
            english = str(exc)
        message = messages.error_text(exc.code, params, english, lang)
        if isinstance(exc, errors.NotFound):
            return Unknown(message, lang)
        if isinstance(exc, errors.Busy):
            return WorkspaceBusy(message, lang)
        if isinstance(exc, errors.Damaged | errors.NewerFormat):
            return WorkspaceDamaged(message, lang)
        issues = getattr(exc, "issues", None)
        if issues is not None:  # antai.app.usecases.InvalidAssessment: say where, then refuse
            for issue in issues:
                wording = messages.issue_text(issue.code, issue.params, issue.message, lang)
                click.echo(f"{issue.part.value}: {wording}", err=True)
        return CheckFailed(message, lang)
    from antai.catalog import SourceError

    if isinstance(exc, SourceError):
        return source_problems(exc, messages.text("workspace_problems", lang, count=len(exc.problems)), lang)
    return None


@contextmanager
def user_errors(lang: Callable[[], str], context: Callable[[], Mapping[str, Any]] | None = None) -> Iterator[None]:
    """Core errors become clear messages with the documented exit codes, never tracebacks.

    ``lang`` and ``context`` are read when an error happens: a command's own --lang is only known once
    its options are parsed, which is after this block is entered.
    """
    try:
        yield
    except Failure as exc:
        if exc.lang is None:
            exc.lang = lang()
        raise
    except BadUsage as exc:
        if exc.lang is None:
            exc.lang = lang()
        raise
    except click.ClickException:
        raise
    except (Exception, KeyboardInterrupt) as exc:
        converted = to_click(exc, lang(), context() if context else None)
        if converted is None:
            raise
        raise converted from None
