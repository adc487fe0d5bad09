"""Every collector's checks, for the commands that describe them (`antai item`, `antai check … --list`)."""

from __future__ import annotations

import importlib
from typing import Any

# collector → the module whose metas() lists its checks, in the order `antai check` documents them
COLLECTORS = {
    "aws": "antai.collectors.aws.collect",
    "apk": "antai.collectors.mobile.android.collect",
    "ipa": "antai.collectors.mobile.ios.collect",
    "web": "antai.collectors.web.collect",
    "dns": "antai.collectors.dns.collect",
}


def metas(collector: str) -> list[Any]:
    """The check metadata of one collector (each has id, items, severity, title, rationale, remediation)."""
    return list(importlib.import_module(COLLECTORS[collector]).metas())


def all_metas() -> list[tuple[str, Any]]:
    """(collector, meta) for every check antai runs."""
    return [(collector, meta) for collector in COLLECTORS for meta in metas(collector)]
