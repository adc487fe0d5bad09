"""`antai check all`: every target a workspace's checks.yaml declares, in parallel, one run per target.

A target that cannot be looked at at all (no AWS credentials, no resolver) gives an :class:`Outcome` holding
its error; the others still run.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from antai.errors import AntaiError

if TYPE_CHECKING:
    from antai.assessment.findings import ScanRun
    from antai.collectors.targets import AppTarget, AwsTarget, CheckTargets, WebTargets

Progress = Callable[[str, int, int], None]  # (what, done, total)


@dataclass(frozen=True)
class Job:
    """One target to check: ``kind`` is the collector (aws, apk, ipa, web, dns), ``label`` what it looks at."""

    kind: str
    label: str
    run: Callable[[Progress], ScanRun]


@dataclass(frozen=True)
class Outcome:
    job: Job
    run: ScanRun | None = None
    error: AntaiError | None = None


def plan_jobs(targets: CheckTargets, lang: str, base: Path) -> list[Job]:
    """The jobs in the order of checks.yaml's sections: AWS accounts, app packages, web endpoints, DNS.
    ``base`` is the folder relative paths (packages, the CA file) start from."""
    jobs: list[Job] = []
    for aws in targets.aws:
        label = " ".join(part for part in (aws.profile, ",".join(aws.regions)) if part)
        jobs.append(Job("aws", label, partial(_aws, aws, lang)))
    for app in targets.apps:
        kind = app.kind or "apk"  # the model always sets it; the default only satisfies the type
        jobs.append(Job(kind, app.path, partial(_app, app, base, lang)))
    if targets.web is not None:
        jobs.append(Job("web", ", ".join(targets.web.urls), partial(_web, targets.web, base, lang)))
    if targets.dns is not None:
        zones = targets.dns

        def check_dns(progress: Progress) -> ScanRun:
            from antai.collectors.dns.collect import check_dns

            return check_dns(
                list(zones.domains), nameserver=zones.nameserver, lang=lang, timeout=zones.timeout, progress=progress
            )

        jobs.append(Job("dns", ", ".join(zones.domains), check_dns))
    return jobs


def _aws(aws: AwsTarget, lang: str, progress: Progress) -> ScanRun:
    from antai import __version__
    from antai.assessment.findings import ScanRun, ToolInfo
    from antai.collectors.aws.collect import collect

    scan = collect(regions=aws.regions, profile=aws.profile, break_glass=aws.break_glass, lang=lang, progress=progress)
    run = ScanRun(ToolInfo("antai", __version__), target=scan.target, observed_at=scan.started, findings=[])
    for finding in scan.findings:
        run.add(finding)
    return run


def _app(app: AppTarget, base: Path, lang: str, progress: Progress) -> ScanRun:
    path = app.resolve(base)
    if app.kind == "ipa":
        from antai.collectors.mobile.ios.collect import check_ipa

        return check_ipa(path, lang=lang, progress=progress)
    from antai.collectors.mobile.android.collect import check_apk

    return check_apk(path, lang=lang, progress=progress)


def _web(web: WebTargets, base: Path, lang: str, progress: Progress) -> ScanRun:
    from antai.collectors.web.collect import check_web

    ca_file = None if web.ca_file is None else base / web.ca_file
    return check_web(list(web.urls), lang=lang, timeout=web.timeout, ca_file=ca_file, progress=progress)


def run_jobs(jobs: list[Job], progress: Progress | None = None) -> list[Outcome]:
    """Run every job at once (each collector bounds its own concurrency); outcomes in the jobs' order.

    ``progress`` sees one line for all of them: the job that last moved, and how many jobs have finished.
    """
    finished = 0
    lock = threading.Lock()

    def report(what: str) -> None:
        if progress is not None:
            with lock:
                progress(what, finished, len(jobs))

    def one(job: Job) -> Outcome:
        nonlocal finished
        try:
            outcome = Outcome(job, run=job.run(lambda what, _done, _total: report(f"{job.kind}: {what}".strip())))
        except AntaiError as exc:
            outcome = Outcome(job, error=exc)
        with lock:
            finished += 1
        report(job.kind)
        return outcome

    if not jobs:
        return []
    with ThreadPoolExecutor(max_workers=len(jobs), thread_name_prefix="antai-check") as pool:
        return list(pool.map(one, jobs))
