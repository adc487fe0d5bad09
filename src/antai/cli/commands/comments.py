"""Comment threads with the bank: `antai review import-comments | threads | answer | close`, and the bank's
`antai review comment-template` (an antai.comments/1 skeleton for a submission it received)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from antai.cli.context import get_env
from antai.cli.errors import BadUsage, CheckFailed, Unknown
from antai.cli.output import emit_json, write_output
from antai.cli.params import format_option, lang_option, output_option, workspace_option

if TYPE_CHECKING:
    from antai.catalog import Catalog
    from antai.catalog.yamlsource import Problem
    from antai.checklists.model import Checklist
    from antai.workspace.store import FileStore


def _store(workspace_dir: Path) -> FileStore:
    env = get_env()
    store = env.store(workspace_dir)
    if not store.exists():
        raise Unknown(env.say("not_workspace", folder=workspace_dir))
    return store


def _problem_line(problem: Problem, lang: str) -> str:
    from antai.cli.problem_words import problem_text
    from antai.messages import text

    if not problem.code.startswith("comments."):
        return problem_text(problem, lang)
    return f"{problem.file}:{problem.line}:{problem.column}: {text(problem.code, lang, **dict(problem.params))}"


def _checklists(catalog: Catalog, extra: tuple[str, ...]) -> dict[str, Checklist]:
    """The shipped checklists and the user's own (--checklist NAME|FILE), by their IDs."""
    from antai.checklists.loader import builtin_names
    from antai.cli.checklist_lookup import load_named_checklist

    found = [load_named_checklist(name, catalog) for name in (*builtin_names(), *extra)]
    return {checklist.id: checklist for checklist in found}


def _comment_problem(problem: Any, lang: str) -> str:
    from antai.messages import text

    params = {k: (v if v != "" else text("review_none", lang)) for k, v in problem.params.items()}
    try:
        wording = text(f"comments.{problem.code}", lang, **params)
    except (KeyError, IndexError):
        wording = problem.message
    return f"{problem.where}: {wording}" if problem.where else wording


@click.command("import-comments")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--checklist",
    "checklist_names",
    multiple=True,
    metavar="NAME|FILE",
    help="A checklist of your own whose rows the comments name (the shipped ones are always known; repeatable).",
)
@click.option("--submission", metavar="ID", help="The submission, for a workbook that does not name its own.")
@click.option("--bank", metavar="NAME", help="The bank that filled in the workbook (a YAML file names its own).")
@click.option("--reviewer", metavar="NAME", help="Who at the bank filled in the workbook.")
@workspace_option
@lang_option
def import_comments(
    file: Path,
    checklist_names: tuple[str, ...],
    submission: str | None,
    bank: str | None,
    reviewer: str | None,
    workspace_dir: Path,
    lang: str,
) -> None:
    """Import a bank's comments on a submission as threads: a comments YAML or the answered checklist workbook.

    The file is told apart by its content: an antai.comments/1 YAML (see `antai review comment-template`), or
    the checklist workbook with the bank's 判定 and コメント columns filled in (rows with neither are skipped).
    Each comment is one history entry; importing the same file again adds nothing.
    """
    from antai.app import comments as use
    from antai.catalog.yamlsource import SourceError
    from antai.reports.threads import target_label, verdict_label
    from antai.submission.comments import read_comments

    env = get_env()
    if not file.is_file():
        raise Unknown(env.say("comments_no_file", path=file))
    store = _store(workspace_dir)
    catalog = env.catalog()
    known = _checklists(catalog, checklist_names)
    try:
        incoming = read_comments(
            file, submission=submission, bank=bank, reviewer=reviewer, checklists=list(known.values())
        )
    except SourceError as exc:
        for problem in exc.problems:
            click.echo(_problem_line(problem, env.lang), err=True)
        raise CheckFailed(env.say("comments_problems", path=file, count=len(exc.problems))) from None
    try:
        done = use.import_comments(store, catalog, env.actor(), incoming, known)
    except use.CommentsRefused as exc:
        for refused in exc.problems:
            click.echo(_comment_problem(refused, env.lang), err=True)
        raise CheckFailed(env.say("comments_problems", path=file, count=len(exc.problems))) from None
    if done.already:
        click.echo(env.say("comments_already", path=file, submission=done.submission, count=done.duplicates))
        return
    by_id = {t.id: t for t in use.threads(store)}
    for message in done.messages:
        state = env.say("comments_line_new" if message.thread in done.new else "comments_line_updated")
        verdict = verdict_label(message.verdict, env.lang)
        shown = f"［{verdict}］" if verdict and env.ja else f" [{verdict}]" if verdict else ""
        target = target_label(by_id[message.thread].target, env.lang, catalog)
        text = " ".join(message.text.split())
        text = text if len(text) <= 60 else text[:59] + "…"
        click.echo(f"{message.thread} {state} {target}{shown} {text}".rstrip())
    click.echo(
        env.say(
            "comments_imported",
            path=file,
            submission=done.submission,
            count=len(done.messages),
            new=len(done.new),
            updated=len(done.updated),
        )
    )
    if done.duplicates:
        click.echo(env.say("comments_duplicates", count=done.duplicates))
    if done.skipped:
        click.echo(env.say("comments_skipped", count=len(done.skipped)))
    click.echo(env.say("comments_next"), err=True)


@click.command("threads")
@click.option("--open", "only_open", is_flag=True, help="Only threads that are not closed.")
@format_option("table", "json")
@workspace_option
@lang_option
def threads(only_open: bool, fmt: str, workspace_dir: Path, lang: str) -> None:
    """List the comment threads with the bank: what each is about, its state and every message."""
    from antai.app.comments import threads as all_threads
    from antai.assessment.threads import State
    from antai.reports import threads as words

    env = get_env()
    store = _store(workspace_dir)
    found = [t for t in all_threads(store) if not only_open or t.state != State.CLOSED]
    out = words.threads_out(found, env.lang, env.catalog())
    if fmt == "json":
        emit_json([t.model_dump(mode="json") for t in out])
        return
    if not out:
        click.echo(env.say("threads_none_open" if only_open else "threads_none"))
        return
    for thread in out:
        verdict = thread.verdict_label
        shown = (f"［{verdict}］" if env.ja else f" [{verdict}]") if verdict else ""
        click.echo(f"{thread.id}  {thread.state_label}  {thread.target_label}{shown}")
        for line in words.about_text(thread, env.lang).split("\n")[1:]:
            click.echo(f"    {line}")
        for message in thread.messages:
            click.echo(f"    {words.message_text(message, env.lang)}")
    click.echo(words.summary(out, env.lang))


@click.command("answer")
@click.argument("thread_id", metavar="THREAD")
@click.argument("text")
@workspace_option
@lang_option
def answer(thread_id: str, text: str, workspace_dir: Path, lang: str) -> None:
    """Answer a comment thread of the bank; the next submission carries the answer.

    The answer is one history entry; a closed thread takes no answer.
    """
    from antai.app import comments as use

    env = get_env()
    message = use.answer(_store(workspace_dir), env.actor(), thread_id, text)
    click.echo(env.say("thread_answered", thread=message.thread))


@click.command("close")
@click.argument("thread_id", metavar="THREAD")
@click.option("--reason", metavar="TEXT", help="Why the thread is settled (e.g. the bank accepted the answer).")
@workspace_option
@lang_option
def close(thread_id: str, reason: str | None, workspace_dir: Path, lang: str) -> None:
    """Close a comment thread (with the reason); the bank's next comment on the same target starts a new one."""
    from antai.app import comments as use

    env = get_env()
    message = use.close(_store(workspace_dir), env.actor(), thread_id, reason)
    click.echo(env.say("thread_closed_done", thread=message.thread))


@click.command("comment-template")
@click.argument("bundle", type=click.Path(path_type=Path))
@output_option
@lang_option
def comment_template(bundle: Path, output: Path | None, lang: str) -> None:
    """Write an antai.comments/1 YAML skeleton for a submission bundle, for a bank reviewer without Excel.

    It names the submission, leaves the bank and the reviewer to fill in, and lists the submission's gaps
    and missing organisation facts as commented-out example comments.
    """
    from antai.reports.wording import why
    from antai.scoring.score import GapReason
    from antai.submission.comments import comment_template as template
    from antai.submission.diff import load_submitted

    env = get_env()
    if not bundle.is_dir():
        raise Unknown(env.say("review_no_bundle", path=bundle))
    if output is not None and str(output) != "-" and output.resolve().is_relative_to(bundle.resolve()):
        raise BadUsage(env.say("diff_output_in_bundle", path=output, bundle=bundle))
    submitted = load_submitted(bundle)
    report, manifest = submitted.report, submitted.manifest
    titles = {item.id: item.title.ja if env.ja else item.title.en for item in report.items}
    gaps = [
        (gap.id, f"{titles.get(gap.id, '')} — {why(GapReason(gap.reason), env.lang, gap.due)}".strip(" —"))
        for gap in report.scores.gaps
    ]
    content = template(
        manifest.id,
        manifest.organisation,
        manifest.created.date().isoformat(),
        gaps,
        report.missing_facts,
        env.lang,
    )
    protect = [bundle / name for name in ("manifest.json", "manifest.sig")]
    write_output(content, output, protect=protect)
    if output is not None and str(output) != "-":
        click.echo(env.say("template_hint"), err=True)
