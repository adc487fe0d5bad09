"""`antai check …`: antai's own checks of real systems, as findings on the items (`antai check aws`)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import click

from antai.cli.context import get_env
from antai.cli.output import write_output
from antai.cli.scan_view import finish_scan, progress_display, scan_options


@click.group()
def check() -> None:
    """Check real systems and turn what they show into findings on the items (AWS accounts)."""


@check.command("aws")
@click.option(
    "--region",
    "regions",
    multiple=True,
    metavar="REGION",
    help="A region to check (repeatable; default: the profile's region, else ap-northeast-1).",
)
@click.option("--profile", metavar="NAME", help="The AWS profile to use (default: the standard credential chain).")
@click.option(
    "--break-glass",
    "break_glass",
    multiple=True,
    metavar="NAME",
    help="A user or role allowed to hold administrator rights: a name, an ARN or a glob (repeatable).",
)
@click.option("--print-policy", is_flag=True, help="Print the minimal read-only IAM policy the checks need, and exit.")
@click.option("--list", "list_checks", is_flag=True, help="List the checks (ID, items, severity, title), and exit.")
@scan_options
def aws(
    regions: tuple[str, ...],
    profile: str | None,
    break_glass: tuple[str, ...],
    print_policy: bool,
    list_checks: bool,
    record: bool,
    expires: dt.date | None,
    fmt: str,
    output: Path | None,
    fail_on: str | None,
    workspace_dir: Path,
    lang: str,
) -> None:
    """Check an AWS account: root user, IAM, CloudTrail, Config, KMS, S3, RDS, EC2 and GuardDuty.

    \b
    Uses the standard AWS credential chain (or --profile) and honours AWS_ENDPOINT_URL. Each service's
    data is read once, services in parallel; a denied call gives `error` findings for the checks that
    needed it, never a crash. Grant the policy from --print-policy (read-only). With --record the result
    becomes evidence on the items, dated by the scan.
    """
    env = get_env()
    if print_policy:
        from antai.collectors.aws.actions import policy_text

        write_output(policy_text(), output)
        return
    if list_checks:
        write_output(_listing(env.lang, fmt), output)
        return
    from antai import __version__
    from antai.collectors.aws.collect import collect

    with progress_display(env.say("aws_progress")) as progress:
        scan = collect(regions=regions, profile=profile, break_glass=break_glass, lang=env.lang, progress=progress)
    from antai.assessment.findings import ScanRun, ToolInfo

    run = ScanRun(ToolInfo("antai", __version__), target=scan.target, observed_at=scan.started, findings=[])
    for finding in scan.findings:
        run.add(finding)
    finish_scan(
        run,
        raw=None,
        raw_name="antai-check-aws.json",
        record=record,
        fmt=fmt,
        output=output,
        fail_on=fail_on,
        expires=expires,
        workspace_dir=workspace_dir,
    )


def _listing(lang: str, fmt: str) -> str:
    from rich.cells import cell_len

    from antai.collectors.aws.collect import metas
    from antai.labels import label

    checks = metas()
    if fmt == "json":
        data = [
            {
                "id": m.id,
                "items": list(m.items),
                "severity": m.severity.value,
                "title": m.title._asdict(),
                "rationale": m.rationale._asdict(),
                "remediation": m.remediation._asdict(),
                "needs": list(m.needs),
            }
            for m in checks
        ]
        return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    env = get_env()
    width = max(len(m.id) for m in checks)
    items_width = max(len(", ".join(m.items)) for m in checks)
    lines = [env.say("aws_list_heading", count=len(checks))]
    for m in checks:
        severity = label(f"severity.{m.severity.value}", lang)
        pad = " " * max(0, 8 - cell_len(severity))
        lines.append(f"  {m.id:<{width}}  {', '.join(m.items):<{items_width}}  {severity}{pad}  {m.title.get(lang)}")
    return "\n".join(lines) + "\n"
