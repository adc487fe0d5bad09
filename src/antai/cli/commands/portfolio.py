"""`antai review portfolio`: many partners' verified submissions side by side, for a bank that supervises
dozens of FinTechs."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from antai.cli.context import get_env
from antai.cli.errors import BadUsage, CheckFailed, Unknown
from antai.cli.params import DATE, format_option, lang_option, output_option

_FORMATS = ("table", "json", "html", "xlsx")


@click.command()
@click.argument("dirs", nargs=-1, required=True, metavar="DIR…", type=click.Path(path_type=Path))
@click.option(
    "--trust",
    "trust_file",
    required=True,
    metavar="FILE",
    type=click.Path(dir_okay=False, path_type=Path),
    help="The bank's trust file (antai.trust/1): each partner's organisation and key fingerprint or key file.",
)
@click.option(
    "--today",
    type=DATE,
    metavar="YYYY-MM-DD",
    help="The day to count 'days since the submission' from (default: today).",
)
@format_option(*_FORMATS)
@output_option
@lang_option
def portfolio(
    dirs: tuple[Path, ...], trust_file: Path, today: dt.date | None, fmt: str, output: Path | None, lang: str
) -> None:
    """Many partners' submissions side by side, each verified with the bank's trusted key (exit 1 if any is not).

    Each DIR is a submission bundle or a folder of bundles, looked into two levels down (a partner's folder
    of yearly submissions, a bank's folder of partners' folders); links are never followed. One row per
    organisation: its latest submission, verified with its key from --trust — and against its previous
    submission when that is in the input too, so that a rewritten history shows — with its risk tier,
    mandatory coverage, overall score, open critical gaps (gaps of priority 1, the items the plan puts
    before connecting to a bank, whatever their reason), overdue plans, expired evidence, expired risk
    acceptances, missing organisation facts, days since the submission and the score change since the
    previous one. A submission that does not verify, or whose organisation is not in the trust file, shows
    its verdict and no numbers. Rows: not verified first, then most open critical gaps, then by name.

    The trust file (YAML):

    \b
      format: antai.trust/1
      partners:
        - organisation: 株式会社ミルカ
          fingerprint: "SHA256:3f2a:9b1c:…"   # as `antai key show` prints it
        - organisation: Acme KK
          key: keys/acme.pub                  # or a public key file, relative to the trust file

    Exit codes: 0 every submission verified, 1 any did not (or could not be read, or is untrusted), 2 bad
    usage (a folder or the trust file missing or invalid, no bundle found).
    """
    env = get_env()
    for folder in dirs:
        if not folder.is_dir():
            raise Unknown(env.say("portfolio_no_dir", path=folder))
    if not trust_file.is_file():
        raise Unknown(env.say("portfolio_no_trust", path=trust_file))

    from antai.catalog.yamlsource import SourceError
    from antai.cli import portfolio_view as view
    from antai.cli.output import write_output
    from antai.submission.portfolio import build, find_bundles, load_trust

    try:
        trust = load_trust(trust_file)
    except SourceError as exc:
        _print_trust_problems(exc, env.lang)
        raise Unknown(env.say("portfolio_trust_problems", path=trust_file, count=len(exc.problems))) from None
    found = find_bundles(dirs)
    if not found.bundles:
        raise Unknown(env.say("portfolio_no_bundles", paths=", ".join(str(d) for d in dirs)))
    if output is not None and str(output) != "-":
        target = output.resolve()
        for bundle in found.bundles:
            if target.is_relative_to(bundle.resolve()):
                raise BadUsage(env.say("portfolio_output_in_bundle", path=output, bundle=bundle))
    result = build(trust, found, today or env.actor().today)

    content: str | bytes
    if fmt == "json":
        import json

        content = json.dumps(result.data(), ensure_ascii=False, indent=2) + "\n"
    elif fmt == "html":
        content = view.portfolio_html(result, env.lang)
    elif fmt == "xlsx":
        content = view.portfolio_xlsx(result, env.lang)
    else:
        content = view.portfolio_text(result, env.lang, _width(output))
    write_output(content, output, kind=fmt if fmt != "table" else None, protect=[trust_file])
    if not result.ok:
        raise CheckFailed(env.say("portfolio_not_verified", count=result.not_verified, total=len(result.rows)))


def _width(output: Path | None) -> int:
    """The terminal's width when the table goes to one, else wide enough for every column."""
    import shutil
    import sys

    if (output is None or str(output) == "-") and sys.stdout.isatty():
        return max(shutil.get_terminal_size((200, 24)).columns, 80)
    return 240


def _print_trust_problems(exc: object, lang: str) -> None:
    """Every problem of the trust file as file:line:column: message, worded in ``lang``."""
    from antai.cli.problem_words import problem_text
    from antai.messages import text

    for problem in getattr(exc, "problems", ()):
        if problem.code.startswith("trust."):
            try:
                worded = text(f"portfolio.{problem.code}", lang, **dict(problem.params))
            except (KeyError, IndexError):
                worded = problem.message
            click.echo(f"{problem.file}:{problem.line}:{problem.column}: {worded}", err=True)
        else:
            click.echo(problem_text(problem, lang), err=True)
