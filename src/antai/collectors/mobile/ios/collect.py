"""One run of `antai check ipa`: the package read once (within limits), then every check on what it declares."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from antai.collectors.base import CheckMeta, evaluate, listing

if TYPE_CHECKING:
    from antai.assessment.findings import ScanRun
    from antai.collectors.mobile.archive import Limits

__all__ = ["check_ipa", "metas"]

Progress = Callable[[str, int, int], None]  # (what, done, total)


def metas() -> list[CheckMeta]:
    """Every check's metadata, in run order."""
    from antai.collectors.mobile.ios.checks import CHECKS

    return listing(CHECKS)


def check_ipa(
    path: Path,
    *,
    lang: str,
    progress: Progress | None = None,
    today: dt.date | None = None,
    limits: Limits | None = None,
) -> ScanRun:
    """Check the iOS package at ``path``. ``today`` (default: the date of the run) is what the age of antai's
    table of iOS versions is measured against.

    Raises :class:`~antai.collectors.mobile.archive.PackageError` (or ``NotFound``) for a file that cannot be
    read safely and :class:`~antai.collectors.mobile.ios.reader.IpaError` for a zip that is not one iOS app.
    """
    from antai import __version__
    from antai.assessment.findings import ScanRun, ToolInfo
    from antai.collectors.mobile.archive import DEFAULT_LIMITS
    from antai.collectors.mobile.ios.checks import CHECKS
    from antai.collectors.mobile.ios.reader import read_ipa

    started = dt.datetime.now(dt.UTC)
    facts = read_ipa(
        path,
        lang=lang,
        today=today or started.date(),
        limits=limits or DEFAULT_LIMITS,
        progress=progress,
    )
    run = ScanRun(ToolInfo("antai", __version__), target=f"iOS app {facts.bundle_id}", observed_at=started, findings=[])
    evaluate(CHECKS, facts, run, lang, resource=facts.resource)
    return run
