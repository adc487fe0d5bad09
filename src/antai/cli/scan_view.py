"""What `antai check …` and `antai import …` share: their options, the table / JSON / SARIF output,
recording a scan as evidence (`--record`) and the CI gate (`--fail-on`)."""

from __future__ import annotations

import datetime as dt
import json
import sys
import tempfile
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from antai.cli.context import Env, get_env
from antai.cli.errors import CheckFailed
from antai.cli.output import write_output
from antai.cli.params import DATE, Choice, lang_option, output_option, workspace_option
from antai.labels import label

if TYPE_CHECKING:
    from antai.app.scans import ScanRecording
    from antai.assessment.findings import ScanRun
    from antai.collectors.run_all import Outcome

F = TypeVar("F", bound=Callable[..., Any])
FORMATS = ("table", "json", "sarif")
FAIL_ON = ("critical", "high", "medium", "low")
Progress = Callable[[str, int, int], None]  # (what is being done, done, total)


def scan_options(func: F) -> F:
    """--record, --expires, --format, --output, --fail-on, --workspace and --lang, in that order in --help."""
    for option in reversed(
        (
            click.option(
                "--record",
                is_flag=True,
                help="Keep the output (hashed) as evidence on the items it bears on, dated by the scan.",
            ),
            click.option(
                "--expires",
                type=DATE,
                metavar="YYYY-MM-DD",
                help="With --record: when the evidence goes stale (default: 30 days after the scan).",
            ),
            click.option("--format", "fmt", type=Choice(FORMATS), default="table", show_default=True),
            output_option,
            click.option(
                "--fail-on",
                type=Choice(FAIL_ON),
                metavar="SEVERITY",
                help="Exit 1 when a finding of this severity or worse fails: critical, high, medium or low.",
            ),
            workspace_option,
            lang_option,
        )
    ):
        func = option(func)
    return func


@contextmanager
def progress_display(label: str) -> Iterator[Progress]:
    """A progress bar on stderr when it is a terminal; a callback that does nothing otherwise."""
    if not sys.stderr.isatty():
        yield lambda _what, _done, _total: None
        return
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        transient=True,
        console=_stderr_console(),
    ) as bar:
        task = bar.add_task(label, total=None)

        def update(what: str, done: int, total: int) -> None:
            bar.update(task, description=f"{label} {what}".strip(), completed=done, total=total or None)

        yield update


def _stderr_console() -> Any:
    from rich.console import Console

    return Console(stderr=True)


def finish_scan(
    run: ScanRun,
    *,
    raw: Path | None,
    raw_name: str,
    record: bool,
    fmt: str,
    output: Path | None,
    fail_on: str | None,
    expires: dt.date | None,
    workspace_dir: Path,
    protect: list[Path] | None = None,
) -> None:
    """Print (or write) the run, record it when asked, then apply the gate. ``raw`` is the scanner's file
    for an import; for antai's own checks it is None and the JSON output is what is kept."""
    env = get_env()
    recording = None
    if record:
        recording = _record(env, run, raw, raw_name, expires, workspace_dir)
    if fmt == "json":
        data = _run_data(run, recording)
        write_output(json.dumps(data, ensure_ascii=False, indent=2) + "\n", output, kind="json", protect=protect)
    elif fmt == "sarif":
        log = _sarif(env, [run], workspace_dir)
        write_output(json.dumps(log, ensure_ascii=False, indent=2) + "\n", output, kind="json", protect=protect)
    else:
        write_output(scan_table(env, run, recording), output, protect=protect)
    _gate(env, [run], fail_on)


def finish_scans(
    outcomes: Sequence[Outcome],
    *,
    record: bool,
    fmt: str,
    output: Path | None,
    fail_on: str | None,
    expires: dt.date | None,
    workspace_dir: Path,
    protect: list[Path] | None = None,
) -> None:
    """:func:`finish_scan` for `antai check all`: every run recorded and shown, targets that could not be
    looked at named with their error; exit 1 when one could not (after the others are written) or the gate
    holds."""
    from antai.cli.errors import to_click

    env = get_env()
    runs = [o.run for o in outcomes if o.run is not None]
    recordings = {}
    if record:
        for outcome in outcomes:
            if outcome.run is not None:
                raw_name = f"antai-check-{outcome.job.kind}.json"
                recordings[id(outcome.run)] = _record(env, outcome.run, None, raw_name, expires, workspace_dir)
    # each target that could not be checked, with its error worded once for every output
    failures = []
    for outcome in outcomes:
        if outcome.error is not None:
            shown = to_click(outcome.error, env.lang)
            message = shown.message if shown is not None else str(outcome.error)
            line = env.say(
                "check_all_target_error",
                kind=env.say(f"check_kind.{outcome.job.kind}"),
                target=outcome.job.label,
                error=message,
            )
            failures.append((outcome.job, outcome.error.code, message, line))
    if fmt == "json":
        data = {
            "format": SCAN_SET_FORMAT,
            "runs": [_run_data(run, recordings.get(id(run))) for run in runs],
            "errors": [
                {"kind": job.kind, "target": job.label, "code": code, "message": message}
                for job, code, message, _ in failures
            ],
        }
        text = json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    elif fmt == "sarif":
        text = json.dumps(_sarif(env, runs, workspace_dir), ensure_ascii=False, indent=2) + "\n"
    else:
        parts = [scan_table(env, run, recordings.get(id(run)), record) for run in runs]
        text = "\n".join(parts + [line + "\n" for *_, line in failures])
    write_output(text, output, kind="json" if fmt != "table" else None, protect=protect)
    if failures:
        if fmt != "table":  # the table already holds them; JSON and SARIF readers still see them on stderr
            for *_, line in failures:
                click.echo(line, err=True)
        raise CheckFailed(env.say("check_all_failed", count=len(failures), total=len(outcomes)), env.lang)
    _gate(env, runs, fail_on)


SCAN_SET_FORMAT = "antai.scans/1"


def _run_data(run: ScanRun, recording: ScanRecording | None) -> dict[str, Any]:
    from antai.reports.scan import scan_data

    data = scan_data(run)
    if recording is not None:
        data["recorded"] = _recording_data(recording)
    return data


def _sarif(env: Env, runs: Sequence[ScanRun], workspace_dir: Path) -> dict[str, Any]:
    """One SARIF log; several runs (`antai check all`) become its several ``runs``."""
    from antai.reports.sarif import sarif_log

    logs = [sarif_log(run, env.catalog(), env.lang, anchor=_anchor(workspace_dir)) for run in runs]
    if len(logs) == 1:
        return logs[0]
    from antai.reports.sarif import SARIF_SCHEMA, SARIF_VERSION

    return {"$schema": SARIF_SCHEMA, "version": SARIF_VERSION, "runs": [r for log in logs for r in log["runs"]]}


def _gate(env: Env, runs: Sequence[ScanRun], fail_on: str | None) -> None:
    if fail_on is None:
        return
    from antai.assessment.findings import SEVERITY_RANK, FailOn

    failing = [run.tally.worst_failing for run in runs if run.tally.fails_at(FailOn(fail_on))]
    if failing:
        worst = max((w for w in failing if w is not None), key=SEVERITY_RANK.__getitem__, default=None)
        raise CheckFailed(
            env.say(
                "scan_gate",
                severity=label(f"severity.{worst}" if worst else "severity.low", env.lang),
                fail_on=fail_on,
            ),
            env.lang,
        )


def _record(
    env: Env, run: ScanRun, raw: Path | None, raw_name: str, expires: dt.date | None, workspace_dir: Path
) -> ScanRecording:
    from antai.app.scans import record_scan
    from antai.reports.scan import scan_data

    store = env.store(workspace_dir)
    catalog = env.catalog()
    if raw is not None:
        return record_scan(store, catalog, env.actor(), run, raw, raw_name=raw_name, expires=expires)
    with tempfile.TemporaryDirectory(prefix="antai-scan-") as folder:
        kept = Path(folder) / raw_name
        kept.write_text(json.dumps(scan_data(run), ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        return record_scan(store, catalog, env.actor(), run, kept, raw_name=raw_name, expires=expires)


def _recording_data(recording: ScanRecording) -> dict[str, Any]:
    return {
        "evidence": {r.id: r.item for r in recording.records},
        "outside_plan": list(recording.outside_plan),
        "duplicate_of": list(recording.duplicate_of),
    }


def scan_table(env: Env, run: ScanRun, recording: ScanRecording | None, recorded: bool = False) -> str:
    """The run for a person: one line per item (worst first), the totals, unmapped rules, what was recorded."""
    from antai.assessment.findings import SEVERITY_RANK
    from antai.assessment.model import FindingStatus

    catalog = env.catalog()
    order = {FindingStatus.FAIL: 0, FindingStatus.ERROR: 1, FindingStatus.PASS: 2, FindingStatus.NOT_APPLICABLE: 3}
    when = run.observed_at.astimezone(_tz(env)).strftime("%Y-%m-%d %H:%M")
    tool = f"{run.tool.name} {run.tool.version}" if run.tool.version else run.tool.name
    lines = [env.say("scan_heading", tool=tool, target=run.target, when=when, zone=_zone(env))]
    tallies = sorted(run.tally.items.values(), key=lambda t: (order[t.result], t.item))
    width = max((len(t.item) for t in tallies), default=6)
    for tally in tallies:
        item = catalog.item(tally.item)
        title = item.title(env.lang) if item is not None else ""
        verdict = label(f"finding.{tally.result}", env.lang)
        lines.append(f"  {tally.item:<{width}}  {verdict}  {title}")
        checks = sorted(tally.checks.values(), key=lambda c: (-SEVERITY_RANK[c.severity], -c.resources, c.check))
        for count in checks[:5]:
            lines.append(
                "      "
                + env.say(
                    "scan_check",
                    check=count.check,
                    verdict=label(f"finding.{count.status}", env.lang),
                    severity=label(f"severity.{count.severity}", env.lang),
                    resources=count.resources,
                    example=count.example,
                )
            )
        if len(checks) > 5:
            lines.append("      " + env.say("scan_more_checks", count=len(checks) - 5))
    totals = run.tally.totals
    lines.append(
        env.say(
            "scan_totals",
            count=run.tally.count,
            passed=totals[FindingStatus.PASS],
            failed=totals[FindingStatus.FAIL],
            errors=totals[FindingStatus.ERROR],
            not_applicable=totals[FindingStatus.NOT_APPLICABLE],
            items=len(run.tally.items),
        )
    )
    if getattr(run, "time_from_file", False):
        lines.append(env.say("scan_time_from_file"))
    if getattr(run, "target_from_file", False):
        lines.append(env.say("scan_target_from_file", target=run.target))
    suppressed = getattr(run, "suppressed", 0)
    if suppressed:
        lines.append(env.say("scan_suppressed", count=suppressed))
    if run.tally.unmapped:
        top = sorted(run.tally.unmapped.items(), key=lambda kv: (-kv[1], kv[0]))
        shown = ", ".join(f"{rule} ({n})" for rule, n in top[:10]) + (" …" if len(top) > 10 else "")
        lines.append(env.say("scan_unmapped", rules=len(top), findings=sum(run.tally.unmapped.values()), shown=shown))
    if run.signals:
        lines.append(env.say("scan_signals"))
        for hint in run.signals:
            mark = env.say("scan_signal_seen" if hint.seen else "scan_signal_unseen")
            shown = (
                f"{hint.title or hint.check}（{hint.observed}）"
                if env.ja and hint.observed
                else hint.title or hint.check
            )
            if not env.ja and hint.observed:
                shown = f"{shown} ({hint.observed})"
            lines.append(f"  {mark}  {', '.join(hint.items)}  {shown}")
    if recording is not None:
        lines.extend(_recording_lines(env, recording))
    elif run.tally.items and not recorded:
        lines.append(env.say("scan_not_recorded"))
    return "\n".join(lines) + "\n"


def _recording_lines(env: Env, recording: ScanRecording) -> list[str]:
    lines = []
    if recording.duplicate_of:
        lines.append(env.say("scan_duplicate", ids=", ".join(recording.duplicate_of)))
    elif recording.records:
        first, last = recording.records[0].id, recording.records[-1].id
        lines.append(env.say("scan_recorded", first=first, last=last, count=len(recording.records)))
    else:  # no finding bears on an applicable item: an empty or unmapped scan proves nothing
        lines.append(env.say("scan_nothing_recorded"))
    if recording.outside_plan:
        lines.append(
            env.say("scan_outside_plan", count=len(recording.outside_plan), items=", ".join(recording.outside_plan))
        )
    return lines


def _tz(env: Env) -> dt.tzinfo:
    return dt.timezone(dt.timedelta(hours=9), "JST") if env.ja else dt.UTC


def _zone(env: Env) -> str:
    return "JST" if env.ja else "UTC"


def _anchor(workspace_dir: Path) -> str:
    """The workspace's antai.yaml relative to the current directory (the repository root in CI): where
    code-scanning UIs show findings about cloud resources, which have no file of their own."""
    try:
        return (workspace_dir.resolve() / "antai.yaml").relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return "antai.yaml"
