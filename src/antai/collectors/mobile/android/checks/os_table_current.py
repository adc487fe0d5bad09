"""The table of supported Android versions antai compares the SDK levels with is less than six months old."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from antai.assessment.verdicts import Severity
from antai.collectors.base import CheckMeta, Result, Text, failed, passed
from antai.collectors.mobile.android.facts import ApkFacts
from antai.collectors.mobile.android.support import TABLE_FILE

MAX_AGE_MONTHS = 6

META = CheckMeta(
    id="apk.os_table_current",
    items=("MOB-03",),
    severity=Severity.LOW,
    title=Text(
        "antai の Android サポート表が 6 か月以内のもの",
        "antai's table of supported Android versions is less than six months old",
    ),
    rationale=Text(
        "minSdk と targetSdk の判定は antai に同梱した表（セキュリティ更新が続く版と、それを読んだ日）による。"
        "古い表では更新の止まった版を対応中とみなしてしまう",
        "The minSdk and targetSdk verdicts come from the table shipped with antai (the versions still patched, and "
        "the day that was read); an old table can count a version that is no longer patched as supported",
    ),
    remediation=Text(
        "antai を更新する。できなければ Android セキュリティ情報で対応中の版を自分で確かめ、その結果を記録する",
        "Update antai; if you cannot, check the supported versions in the Android Security Bulletins yourself and "
        "record what you found",
    ),
)


def _months_later(day: dt.date, months: int) -> dt.date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return dt.date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise ValueError(day)  # unreachable: every month has 28 days


def evaluate(facts: ApkFacts) -> Iterator[Result]:
    table = facts.support
    resource = f"antai:{TABLE_FILE}"
    stale = _months_later(table.as_of, MAX_AGE_MONTHS)
    shown = facts.say(
        f"{table.as_of} 時点（出典 {table.sources[0]}）", f"as of {table.as_of} (source {table.sources[0]})"
    )
    if facts.today > stale:
        yield failed(
            resource,
            shown
            + facts.say(
                f"、{MAX_AGE_MONTHS} か月以上前のもの（{facts.today} に判定）",
                f", more than {MAX_AGE_MONTHS} months old on {facts.today}",
            ),
        )
    else:
        yield passed(resource, shown)
