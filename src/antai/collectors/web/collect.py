"""One run of `antai check web`: every URL's endpoint looked at once (URLs concurrently), then every check
on each URL's facts."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING

from antai.collectors.base import CheckMeta, evaluate, listing
from antai.collectors.web.urls import Target, WebUsageError, parse_urls

if TYPE_CHECKING:
    from antai.assessment.findings import ScanRun
    from antai.collectors.web.facts import SiteFacts

__all__ = ["check_web", "metas"]

Progress = Callable[[str, int, int], None]  # (url, done, total)
WORKERS = 16
TARGET_LIMIT = 200


def metas() -> list[CheckMeta]:
    """Every check's metadata, in run order."""
    from antai.collectors.web.checks import CHECKS

    return listing(CHECKS)


def target_name(targets: list[Target]) -> str:
    name = "web " + ", ".join(sorted({t.origin for t in targets}))
    return name if len(name) <= TARGET_LIMIT else name[: TARGET_LIMIT - 1] + "…"


def check_web(
    urls: list[str],
    *,
    lang: str,
    timeout: float = 10.0,
    ca_file: Path | None = None,
    progress: Progress | None = None,
    now: dt.datetime | None = None,
) -> ScanRun:
    """Check the endpoints of ``urls``: TLS versions, the certificate (validated against the system's roots
    or ``ca_file``), HSTS, the redirect from plain HTTP and the browser security headers. Certificates are
    judged at ``now`` (default: the time of the run), which is also the run's date. An endpoint that does
    not answer gives ``error`` findings, never a pass.

    Raises :class:`~antai.collectors.web.urls.WebUsageError` for a bad URL or CA file, before any
    connection.
    """
    import ssl

    from antai import __version__
    from antai.assessment.findings import ScanRun, ToolInfo
    from antai.collectors.web.checks import CHECKS
    from antai.collectors.web.fetch import Probes, gather, load_trust

    targets = parse_urls(urls)
    try:
        trust = load_trust(ca_file)
    except (OSError, ssl.SSLError, ValueError) as exc:
        raise WebUsageError(
            f"cannot use the CA file {ca_file}: {exc}", code="web_bad_ca_file", path=str(ca_file)
        ) from None
    probes = Probes()
    started = (now or dt.datetime.now(dt.UTC)).astimezone(dt.UTC)
    found: dict[Target, SiteFacts] = {}
    done = 0
    lock = threading.Lock()

    def one(target: Target) -> None:
        nonlocal done
        facts = gather(target, trust, probes, lang, started, timeout)
        with lock:
            found[target] = facts
            done += 1
            if progress is not None:
                progress(target.url, done, len(targets))

    with ThreadPoolExecutor(min(WORKERS, len(targets)), thread_name_prefix="antai-web") as pool:
        for future in [pool.submit(one, target) for target in targets]:
            future.result()
    run = ScanRun(ToolInfo("antai", __version__), target=target_name(targets), observed_at=started, findings=[])
    for target in targets:
        evaluate(CHECKS, found[target], run, lang, resource=target.url)
    return run
