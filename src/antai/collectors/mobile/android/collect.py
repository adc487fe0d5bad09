"""One run of `antai check apk`: the package read once (the only I/O), then every check on its facts."""

from __future__ import annotations

import datetime as dt
import importlib.util
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from antai.collectors.base import CheckMeta, evaluate, listing
from antai.errors import AntaiError

if TYPE_CHECKING:
    from antai.assessment.findings import ScanRun
    from antai.collectors.mobile.android.facts import SupportTable

__all__ = ["AndroguardMissing", "check_apk", "metas"]

Progress = Callable[[str, int, int], None]  # (what, done, total)


class AndroguardMissing(AntaiError):
    """The ``mobile`` extra (androguard, which parses the binary manifest) is not installed."""


def metas() -> list[CheckMeta]:
    """Every check's metadata, in run order."""
    from antai.collectors.mobile.android.checks import CHECKS

    return listing(CHECKS)


def check_apk(
    path: Path,
    *,
    lang: str,
    progress: Progress | None = None,
    today: dt.date | None = None,
    support: SupportTable | None = None,
) -> ScanRun:
    """Check the APK at ``path``. ``today`` (default: the run's UTC date) is the day pin-set expirations and
    the age of the Android support table are judged on; ``support`` replaces the shipped table (tests).

    Raises :class:`~antai.errors.NotFound` for a missing file,
    :class:`~antai.collectors.mobile.archive.PackageError` for a package that cannot be read safely and
    :class:`~antai.collectors.mobile.android.reader.ApkUnreadable` for one whose manifest is missing or
    unreadable, and :class:`AndroguardMissing` when the ``mobile`` extra is not installed. The target is
    the package name; its version is in the observed values, so the next release's scan supersedes this
    one's evidence.
    """
    from antai import __version__
    from antai.assessment.findings import ScanRun, ToolInfo
    from antai.collectors.mobile.android.checks import CHECKS
    from antai.collectors.mobile.android.reader import read_apk

    if importlib.util.find_spec("androguard") is None:
        raise AndroguardMissing(
            "reading an APK needs androguard: pip install 'antai[mobile]'",
            code="apk_reader_missing",
            hint="antai[mobile]",
        )
    started = dt.datetime.now(dt.UTC)
    facts = read_apk(path, lang=lang, today=today or started.date(), support=support, progress=progress)
    run = ScanRun(
        ToolInfo("antai", __version__), target=f"Android app {facts.package}", observed_at=started, findings=[]
    )
    evaluate(CHECKS, facts, run, lang, resource=facts.package)
    if progress is not None:
        progress(facts.package, 4, 4)
    return run
