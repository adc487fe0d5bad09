"""How scores and gaps read in Japanese and English. The scoring core returns keys and numbers; this is the edge."""

from __future__ import annotations

import datetime as dt

from antai.scoring.score import Gap, GapReason

UNKNOWN = "—"  # a score or share with an empty denominator: unknown, never 100

_WHY: dict[GapReason, tuple[str, str]] = {
    GapReason.ACCEPTANCE_EXPIRED: ("リスク受容の期限切れ", "risk acceptance expired"),
    GapReason.ACCEPTANCE_MISSING: ("リスク受容の記録なし", "risk acceptance not recorded"),
    GapReason.MANDATORY_NOT_APPLICABLE: (
        "必須項目を「該当なし」と回答（逸脱）",
        "mandatory item answered not applicable (a deviation)",
    ),
    GapReason.OVERDUE: ("実施予定の期限超過（{due}）", "planned, overdue since {due}"),
    GapReason.UNANSWERED: ("未回答", "unanswered"),
    GapReason.NOT_IMPLEMENTED: ("未実施", "not implemented"),
    GapReason.PLANNED: ("実施予定（{due}）", "planned for {due}"),
    GapReason.PARTIAL: ("一部実施", "partially implemented"),
}


# without the date, for tables whose due-date column already shows it
_SHORT: dict[GapReason, tuple[str, str]] = {
    GapReason.OVERDUE: ("期限超過", "overdue"),
    GapReason.PLANNED: ("実施予定", "planned"),
}


def why(reason: GapReason, lang: str, due: dt.date | None = None, *, short: bool = False) -> str:
    """The reason a gap is a gap, in words (``short``: without its date)."""
    ja, en = (_SHORT.get(reason) if short else None) or _WHY[reason]
    return (ja if lang == "ja" else en).format(due=due.isoformat() if due else UNKNOWN)


def gap_why(gap: Gap, lang: str) -> str:
    return why(gap.reason, lang, gap.due)


def number(value: float | None, digits: int = 1) -> str:
    """A score as text: ``—`` when unknown."""
    return UNKNOWN if value is None else f"{value:.{digits}f}"


def percent(value: float | None, digits: int = 1) -> str:
    return UNKNOWN if value is None else f"{value:.{digits}f}%"
