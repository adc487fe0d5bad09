"""The dated table of Android versions that still receive security updates (``android-versions.json``,
shipped beside this module, with its sources and the day they were read)."""

from __future__ import annotations

import datetime as dt
import functools
import json
from importlib import resources
from typing import Any

from antai.collectors.mobile.android.facts import SupportTable, Version

__all__ = ["TABLE_FILE", "load_table", "parse_table"]

TABLE_FILE = "android-versions.json"


@functools.cache
def load_table() -> SupportTable:
    text = resources.files("antai.collectors.mobile.android").joinpath(TABLE_FILE).read_text(encoding="utf-8")
    return parse_table(json.loads(text))


def _date(value: Any) -> dt.date | None:
    return None if value is None else dt.date.fromisoformat(str(value))


def parse_table(data: dict[str, Any]) -> SupportTable:
    versions = tuple(
        sorted(
            (
                Version(int(v["api"]), str(v["android"]), _date(v.get("released")), _date(v.get("security_end")))
                for v in data["versions"]
            ),
            key=lambda v: -v.api,
        )
    )
    if not any(v.security_end is None for v in versions):
        raise ValueError(f"{TABLE_FILE}: no version still receives security updates")
    return SupportTable(dt.date.fromisoformat(str(data["as_of"])), tuple(data["sources"]), versions)
