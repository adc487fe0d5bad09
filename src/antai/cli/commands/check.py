"""`antai check …`: antai's own checks of real systems, as findings on the items: an AWS account and DNS
zones, one by one or all that a workspace's checks.yaml declares."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import click

from antai.cli.context import get_env
from antai.cli.output import write_output
from antai.cli.params import lang_option, output_option
from antai.cli.scan_view import finish_scan, progress_display, scan_options
from antai.collectors.registry import COLLECTORS


@click.group()
def check() -> None:
    """Check real systems and turn what they show into findings on the items (AWS, app packages, web, DNS)."""


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


# --- antai check dns ---
@check.command("dns")
@click.argument("domains", metavar="DOMAIN...", nargs=-1, required=True)
@click.option(
    "--nameserver",
    metavar="IP[:PORT]",
    help="Ask this server (e.g. the zone's authoritative server, or 127.0.0.1:5300) instead of the system's.",
)
@click.option("--timeout", type=click.FloatRange(0.5, 60), default=5.0, show_default=True, help="Seconds per query.")
@scan_options
def dns(
    domains: tuple[str, ...],
    nameserver: str | None,
    timeout: float,
    record: bool,
    expires: dt.date | None,
    fmt: str,
    output: Path | None,
    fail_on: str | None,
    workspace_dir: Path,
    lang: str,
) -> None:
    """Check DNS zones: DNSSEC (DS at the parent, DNSKEY, signatures validated and their expiry), CAA, SPF
    and DMARC.

    \b
    Every question carries the DO and CD bits and antai validates the signatures itself, so a failure says
    why: expired, not yet valid, bogus (does not verify) or unsigned. Without --nameserver the system's
    resolvers are asked. Domains are checked concurrently; a server that does not answer gives `error`
    findings, never a pass.
    """
    from antai.collectors.dns.collect import check_dns
    from antai.collectors.dns.names import DnsUsageError

    def collect(lang: str, progress: Any) -> Any:
        return check_dns(list(domains), nameserver=nameserver, lang=lang, timeout=timeout, progress=progress)

    # a domain or --nameserver the user typed is bad usage (exit 2), found before any query
    _scan("dns", collect, record, expires, fmt, output, fail_on, workspace_dir, usage=DnsUsageError)


# --- end antai check dns ---


# --- antai check web ---
@check.command("web")
@click.argument("urls", metavar="URL...", nargs=-1, required=True)
@click.option(
    "--ca-file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    metavar="PEM",
    help="Trust the CA certificates in this PEM file instead of the system's (e.g. an internal CA).",
)
@click.option(
    "--timeout", type=click.FloatRange(0.5, 60), default=10.0, show_default=True, help="Seconds per connection."
)
@scan_options
def web(
    urls: tuple[str, ...],
    ca_file: Path | None,
    timeout: float,
    record: bool,
    expires: dt.date | None,
    fmt: str,
    output: Path | None,
    fail_on: str | None,
    workspace_dir: Path,
    lang: str,
) -> None:
    """Check web endpoints: TLS versions, the certificate (validity, expiry, lifetime), HSTS, the redirect
    from plain HTTP, CSP, nosniff, framing and cookies.

    \b
    Each TLS version is offered on its own; the certificate is validated against the system's roots (or
    --ca-file). One GET per URL, no redirect followed, at most 256 KiB of a body read. For an https:// URL
    http://HOST/ is asked too. URLs are checked concurrently; an endpoint that does not answer gives
    `error` findings, never a pass.
    """
    from antai.collectors.web.collect import check_web
    from antai.collectors.web.urls import WebUsageError

    def collect(lang: str, progress: Any) -> Any:
        return check_web(list(urls), lang=lang, timeout=timeout, ca_file=ca_file, progress=progress)

    # a URL or CA file the user gave is bad usage (exit 2), found before any connection
    _scan("web", collect, record, expires, fmt, output, fail_on, workspace_dir, usage=WebUsageError)


# --- end antai check web ---


# --- antai check apk ---
@check.command("apk")
@click.argument("apk", metavar="APK", type=click.Path(path_type=Path))
@scan_options
def apk(
    apk: Path,
    record: bool,
    expires: dt.date | None,
    fmt: str,
    output: Path | None,
    fail_on: str | None,
    workspace_dir: Path,
    lang: str,
) -> None:
    """Check an Android app package: debuggable, signing (schemes, debug certificates), backups, cleartext,
    user CAs and pin-sets in the network security config, exported components and the SDK levels against
    the Android versions that still get security updates.

    \b
    The package is read within limits (a zip bomb, a hostile name or a broken manifest is refused with a
    message) and never extracted, decompiled or run. The DEX files' string tables are searched for the
    Keystore, BiometricPrompt and pinning libraries: signals, never verdicts. With --record the result
    becomes evidence on the MOB items, dated by the scan.
    """
    from antai.collectors.mobile.android.collect import check_apk

    _check_package(check_apk, "apk", apk, record, expires, fmt, output, fail_on, workspace_dir)


def _scan(
    kind: str,
    collect: Any,
    record: bool,
    expires: dt.date | None,
    fmt: str,
    output: Path | None,
    fail_on: str | None,
    workspace_dir: Path,
    *,
    usage: type[Exception] | tuple[type[Exception], ...] = (),
    protect: tuple[Path, ...] = (),
) -> None:
    """Run ``collect(lang, progress)`` under the kind's progress display, then write or record its scan. An
    error of the ``usage`` types (what the user typed) is bad usage, exit 2; ``protect`` are inputs that no
    output may overwrite."""
    env = get_env()
    try:
        with progress_display(env.say(f"{kind}_progress")) as progress:
            run = collect(env.lang, progress)
    except usage as exc:
        from antai.cli.errors import BadUsage
        from antai.messages import error_text

        code, params = getattr(exc, "code", "invalid"), getattr(exc, "params", {})
        raise BadUsage(error_text(code, params, str(exc), env.lang), env.lang, click.get_current_context()) from None
    finish_scan(
        run,
        raw=None,
        raw_name=f"antai-check-{kind}.json",
        record=record,
        fmt=fmt,
        output=output,
        fail_on=fail_on,
        expires=expires,
        workspace_dir=workspace_dir,
        protect=list(protect),
    )


def _check_package(
    run_check: Any,
    kind: str,
    path: Path,
    record: bool,
    expires: dt.date | None,
    fmt: str,
    output: Path | None,
    fail_on: str | None,
    workspace_dir: Path,
) -> None:
    """Read one app package with ``run_check`` (check_apk or check_ipa); the package is never an output."""

    def collect(lang: str, progress: Any) -> Any:
        return run_check(path, lang=lang, progress=progress)

    _scan(kind, collect, record, expires, fmt, output, fail_on, workspace_dir, protect=(path,))


# --- end antai check apk ---
# --- antai check ipa ---
@check.command("ipa")
@click.argument("file", metavar="FILE", type=click.Path(path_type=Path))
@scan_options
def ipa(
    file: Path,
    record: bool,
    expires: dt.date | None,
    fmt: str,
    output: Path | None,
    fail_on: str | None,
    workspace_dir: Path,
    lang: str,
) -> None:
    """Check an iOS package (IPA): minimum iOS version against the versions that still get security updates,
    App Transport Security, pinned domains, Face ID usage text and the entitlements of a release build.

    \b
    The package is read within limits (entries, sizes, compression ratio); nothing is extracted to disk,
    and the executable is only searched for its code signature's entitlements. With --record the result
    becomes evidence on the MOB items, dated by the scan.
    """
    from antai.collectors.mobile.ios.collect import check_ipa

    _check_package(check_ipa, "ipa", file, record, expires, fmt, output, fail_on, workspace_dir)


# --- end antai check ipa ---


# --- antai check all ---
@check.command("all")
@click.option(
    "--targets",
    "targets_file",
    type=click.Path(dir_okay=False, path_type=Path),
    metavar="FILE",
    help="The declaration to read (default: checks.yaml in the workspace).",
)
@click.option(
    "--only",
    "only",
    multiple=True,
    type=click.Choice(list(COLLECTORS)),
    help="Run only these kinds of target (repeatable).",
)
@scan_options
def all_(
    targets_file: Path | None,
    only: tuple[str, ...],
    record: bool,
    expires: dt.date | None,
    fmt: str,
    output: Path | None,
    fail_on: str | None,
    workspace_dir: Path,
    lang: str,
) -> None:
    """Run every check the workspace's checks.yaml declares (AWS accounts, app packages, web endpoints, DNS
    zones) at once, with one progress display; with --record each target's result becomes evidence.

    \b
    A target that cannot be checked (no credentials, a server that is not there) is named with its error
    and makes the command exit 1 after the others have been written and recorded.
    """
    from antai.catalog import SourceError
    from antai.cli.errors import CheckFailed, Unknown, source_problems
    from antai.cli.scan_view import finish_scans
    from antai.collectors.run_all import plan_jobs, run_jobs
    from antai.collectors.targets import CHECKS_FILE, load_targets

    env = get_env()
    path = targets_file or workspace_dir / CHECKS_FILE
    if not path.is_file():
        raise Unknown(env.say("check_all_no_file", path=path), env.lang)
    try:
        targets = load_targets(path, display=str(path))
    except SourceError as exc:
        raise source_problems(
            exc, env.say("check_all_problems", path=path, count=len(exc.problems)), env.lang
        ) from None
    jobs = [job for job in plan_jobs(targets, env.lang, path.parent) if not only or job.kind in only]
    if not jobs:
        raise CheckFailed(env.say("check_all_empty", path=path), env.lang)
    with progress_display(env.say("check_all_progress")) as progress:
        outcomes = run_jobs(jobs, progress)
    finish_scans(
        outcomes,
        record=record,
        fmt=fmt,
        output=output,
        fail_on=fail_on,
        expires=expires,
        workspace_dir=workspace_dir,
        protect=[path],
    )


# --- end antai check all ---


@check.command("list")
@click.argument("kinds", metavar="[KIND]...", nargs=-1, type=click.Choice(list(COLLECTORS)))
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
@output_option
@lang_option
def list_(kinds: tuple[str, ...], fmt: str, output: Path | None, lang: str) -> None:
    """List antai's own checks (ID, items, severity, title) of every collector, or of the KINDs given."""
    env = get_env()
    write_output(_listing(env.lang, fmt, kinds or None), output)


def _listing(lang: str, fmt: str, kinds: tuple[str, ...] | None = ("aws",)) -> str:
    from rich.cells import cell_len

    from antai.collectors.registry import COLLECTORS, metas
    from antai.labels import label

    chosen = [kind for kind in COLLECTORS if kinds is None or kind in kinds]
    checks = [(kind, m) for kind in chosen for m in metas(kind)]
    if fmt == "json":
        data = [
            {
                "id": m.id,
                "collector": kind,
                "items": list(m.items),
                "severity": m.severity.value,
                "signal": getattr(m, "signal", False),
                "title": m.title._asdict(),
                "rationale": m.rationale._asdict(),
                "remediation": m.remediation._asdict(),
                **({"needs": list(m.needs)} if hasattr(m, "needs") else {}),
            }
            for kind, m in checks
        ]
        return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    env = get_env()
    width = max(len(m.id) for _, m in checks)
    items_width = max(len(", ".join(m.items)) for _, m in checks)
    lines = [env.say("check_list_heading", count=len(checks))]
    for _, m in checks:
        severity = label(f"severity.{m.severity.value}", lang)
        if getattr(m, "signal", False):
            severity = env.say("check_list_signal")
        pad = " " * max(0, 8 - cell_len(severity))
        lines.append(f"  {m.id:<{width}}  {', '.join(m.items):<{items_width}}  {severity}{pad}  {m.title.get(lang)}")
    return "\n".join(lines) + "\n"
