"""`antai import prowler | checkov | trivy | sarif FILE`: a scanner's output as findings on the items."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from antai.cli.context import get_env
from antai.cli.errors import Unknown, source_problems
from antai.cli.scan_view import finish_scan, progress_display, scan_options

if TYPE_CHECKING:
    from antai.assessment.findings import ScanRun
    from antai.importers.source import Progress

_FILE = click.argument("file", metavar="FILE", type=click.Path(path_type=Path))


def _import_options(func: Any) -> Any:
    """--target and --observed-at: what was scanned and when, for files that do not say."""
    func = click.option(
        "--observed-at",
        type=click.DateTime(["%Y-%m-%dT%H:%M:%S%z", "%Y-%m-%dT%H:%M%z", "%Y-%m-%d"]),
        metavar="TIME",
        help="When the scan ran (e.g. 2026-12-01T09:30+09:00), for a file that does not say "
        "(default: the latest finding's time, else the file's modification time).",
    )(func)
    return click.option(
        "--target",
        metavar="NAME",
        help="What was scanned (a repository, an image, an account), for a file that does not say "
        "(default: what the file names, else its file name). Scans of one target replace each other.",
    )(func)


@click.group("import")
def import_() -> None:
    """Read a scanner's output (Prowler, Checkov, Trivy, SARIF) as findings on the items.

    Every finding is counted; rules the mapping table does not know are listed as unmapped. With --record
    the file is kept (hashed) as evidence on the items it bears on, dated by the scan.
    """


def _run(
    tool: str,
    file: Path,
    record: bool,
    expires: dt.date | None,
    fmt: str,
    output: Path | None,
    fail_on: str | None,
    workspace_dir: Path,
    target: str | None = None,
    observed_at: dt.datetime | None = None,
) -> None:
    from antai.catalog import SourceError

    env = get_env()
    if not file.exists() and not file.is_symlink():
        raise Unknown(env.say("import_no_file", path=file), env.lang)
    label = env.say("import_progress", tool=tool)
    try:
        with progress_display(label) as shown:

            def progress(done: int, total: int) -> None:
                shown("", done, total)

            run = _read(tool, file, progress)
    except SourceError as exc:
        summary = env.say("import_problems", path=file, count=len(exc.problems))
        other = _other_tool(file, tool)
        if other is not None:
            summary += env.say("import_other_tool", tool=other, name=_NAMES[other])
        raise source_problems(exc, summary, env.lang) from None
    _given(run, target, observed_at)
    finish_scan(
        run,
        raw=file,
        raw_name=file.name,
        record=record,
        fmt=fmt,
        output=output,
        fail_on=fail_on,
        expires=expires,
        workspace_dir=workspace_dir,
        protect=[file],
    )


_NAMES = {"prowler": "Prowler", "checkov": "Checkov", "trivy": "Trivy", "sarif": "SARIF"}


def _other_tool(file: Path, tool: str) -> str | None:
    """The scanner that seems to have written ``file`` when it is not ``tool`` (a regular file only)."""
    from antai.importers.sniff import HEAD_BYTES, guess_tool

    try:
        if not file.is_file():
            return None
        with file.open("rb") as handle:
            guess = guess_tool(handle.read(HEAD_BYTES))
    except OSError:
        return None
    return guess if guess != tool else None


def _given(run: ScanRun, target: str | None, observed_at: dt.datetime | None) -> None:
    """What the user says about the scan wins over what antai had to guess."""
    from antai.importers.common import ImportedRun

    if target is not None and target.strip():
        run.target = " ".join(target.split())[:200]
        if isinstance(run, ImportedRun):
            run.target_from_file = False
    if observed_at is not None:
        if observed_at.tzinfo is None:  # a bare date or time: the user's own clock
            observed_at = observed_at.astimezone()
        run.observed_at = observed_at.astimezone(dt.UTC)
        if isinstance(run, ImportedRun):
            run.time_from_file = False


def _read(tool: str, file: Path, progress: Progress) -> ScanRun:
    shown = str(file)
    if tool == "prowler":
        from antai.importers.prowler import read_prowler

        return read_prowler(file, display=shown, progress=progress)
    if tool == "checkov":
        from antai.importers.checkov import read_checkov

        return read_checkov(file, display=shown, progress=progress)
    if tool == "trivy":
        from antai.importers.trivy import read_trivy

        return read_trivy(file, display=shown, progress=progress)
    from antai.importers.sarif import read_sarif

    return read_sarif(file, catalog=get_env().catalog(), display=shown, progress=progress)


# what each importer reads and how it counts, shown by `antai import TOOL --help`
_HELP = {
    "prowler": """Import Prowler's findings: OCSF JSON (-M json-ocsf) or the ';'-separated CSV (-M csv).

    PASS and FAIL count as pass and fail; MANUAL and muted findings as not applicable. The scan's time is
    the latest finding's, its target the cloud account.
    """,
    "checkov": """Import Checkov's JSON report (checkov -o json): one report, a list of reports, or the bare summary.

    Passed checks count as pass, failed as fail, skipped as not applicable, files Checkov could not
    parse as error. Checkov writes no scan time: the file's modification time is used.
    """,
    "trivy": """Import Trivy's JSON report (trivy … -f json, schema version 2).

    Vulnerabilities and secrets count as fail; misconfigurations as their Status says. The target is the
    artifact Trivy scanned (image, folder or repository).
    """,
    "sarif": """Import a SARIF 2.1.0 log (CodeQL, Semgrep, Trivy and other tools): every run's results.

    A result's kind, level and suppressions are honoured (a suppressed result counts as not applicable).
    Rules the mapping table does not know are mapped by their CWE tags to the items citing that CWE.
    """,
}


def _command(tool: str) -> None:
    """``antai import TOOL``: the shared options, and the importer of that tool."""

    def command(file: Path, lang: str, **options: Any) -> None:
        _run(tool, file, **options)

    import_.command(tool, help=_HELP[tool])(_FILE(scan_options(_import_options(command))))


for _tool in _HELP:
    _command(_tool)
