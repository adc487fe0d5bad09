"""A warning that antai's table of iOS versions is getting old: the verdict of ``ipa.min_os_version`` is only
as current as that table, so an old table gives a failing finding of its own that every output shows."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from antai.assessment.verdicts import Severity
from antai.collectors.base import CheckMeta, Result, Text, failed, passed
from antai.collectors.mobile.ios.facts import IpaFacts

META = CheckMeta(
    id="ipa.os_table_current",
    items=("MOB-03",),
    severity=Severity.LOW,
    title=Text(
        "antai の iOS サポート表が 6 か月以内のものである",
        "antai's table of iOS versions with security updates is less than 6 months old",
    ),
    rationale=Text(
        "最低 iOS 版の判定は antai に同梱の日付付きの表に基づく。Apple は予告なくサポートを終えるため、"
        "古い表では終了した版を「更新あり」と判定しうる",
        "The minimum iOS version is judged against a dated table shipped with antai. Apple ends support "
        "without notice, so an old table may still count an abandoned version as updated",
    ),
    remediation=Text(
        "antai を最新版に更新する。新しい版がなければ、Apple のセキュリティリリースのページで対応 OS を確かめる",
        "Update antai; if no newer release exists, check the supported versions on Apple's security releases page",
    ),
)

MONTHS = 6


def stale_after(as_of: dt.date) -> dt.date:
    """The day the table becomes older than :data:`MONTHS` months."""
    month = as_of.month - 1 + MONTHS
    year, month = as_of.year + month // 12, month % 12 + 1
    for day in (as_of.day, 30, 29, 28):
        try:
            return dt.date(year, month, day)
        except ValueError:
            continue
    raise AssertionError("unreachable")


def evaluate(facts: IpaFacts) -> Iterator[Result]:
    as_of = facts.table.as_of
    if facts.today <= stale_after(as_of):
        source = facts.table.sources[0] if facts.table.sources else "-"
        yield passed(
            facts.resource,
            facts.say(f"表は {as_of} 時点（出典 {source}）", f"the table is as of {as_of} (source {source})"),
        )
        return
    days = (facts.today - as_of).days
    yield failed(
        facts.resource,
        facts.say(
            f"表は {as_of} 時点（{days} 日前、6 か月超）。最低 iOS 版の判定は古い情報による。antai を更新する",
            f"the table is as of {as_of} ({days} days ago, over 6 months): ipa.min_os_version relies on old "
            "data; update antai",
        ),
    )
