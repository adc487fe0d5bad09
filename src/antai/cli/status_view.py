"""`antai status` on one screen."""

from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.table import Table

from antai.catalog import Catalog
from antai.labels import label, phase_label
from antai.reports.wording import gap_why, number, percent
from antai.scoring.score import Scores


def _bar(value: float | None, width: int = 20) -> str:
    # an unknown score draws an empty bar; its number shows "—"
    filled = round((value or 0.0) / 100 * width)
    return "█" * filled + "·" * (width - filled)


def print_status(catalog: Catalog, plan: Any, assessment: Any, scores: Scores, lang: str) -> None:
    console = Console()
    ja = lang == "ja"
    console.print(
        f"[bold]{assessment.meta.organisation}[/]  [dim]{'カタログ' if ja else 'catalog'} {catalog.version} · "
        f"{label('profile.tier', lang)} {label(plan.risk.tier.level.value, lang)}[/]"
    )
    console.print(
        f"  {'総合スコア（リスク加重）' if ja else 'Overall (risk-weighted)'}: "
        f"[bold]{number(scores.overall.score)}[/] / 100   "
        f"{'必須項目の実施率' if ja else 'Mandatory coverage'}: [bold]{percent(scores.mandatory_coverage, 0)}[/] "
        f"({scores.mandatory_done}/{scores.mandatory_total})"
    )
    counts = " · ".join(f"{label('status.' + k, lang)} {v}" for k, v in scores.status_counts.items() if v)
    console.print(f"  {counts}")
    table = Table(box=None, show_header=False, pad_edge=False)
    table.add_column(no_wrap=True)
    table.add_column(no_wrap=True)
    table.add_column(justify="right")
    for chapter_no, s in scores.by_chapter.items():
        chapter = catalog.chapter(chapter_no)
        table.add_row(f"{chapter_no}. {chapter.title(lang) if chapter else ''}", _bar(s.score), number(s.score, 0))
    for cia, s in scores.by_cia.items():
        table.add_row(label(cia, lang), _bar(s.score), number(s.score, 0))
    console.print(table)
    layers = " · ".join(f"{label(k, lang)} {number(v.score, 0)}" for k, v in scores.by_layer.items())
    console.print(f"  {label('layers', lang)}: {layers}")
    flags = [
        ("期限切れエビデンス" if ja else "expired evidence", scores.expired_evidence),
        ("期限切れのリスク受容" if ja else "expired acceptances", scores.expired_acceptances),
        ("期限超過の予定" if ja else "overdue plans", scores.overdue),
        ("要再確認" if ja else "to review", scores.review),
        ("スキャン結果と矛盾する申告" if ja else "claims contradicted by scans", scores.contradicted),
        ("期限切れの自動エビデンス" if ja else "stale automated evidence", scores.stale_automated),
    ]
    for name, values in flags:
        if values:
            console.print(f"  [yellow]{name}: {', '.join(values)}[/]")
    _print_automated(console, catalog, plan, assessment, scores, lang)
    gaps = Table(
        title="優先して対処すべきギャップ" if ja else "Gaps to close first", title_justify="left", header_style="bold"
    )
    gaps.add_column("P", no_wrap=True)
    gaps.add_column("ID", no_wrap=True)
    gaps.add_column(label("title", lang))
    gaps.add_column("", style="dim")
    for gap in scores.gaps[:10]:
        item = catalog.item(gap.id)
        gaps.add_row(phase_label(gap.priority, lang), gap.id, item.title(lang) if item else "", gap_why(gap, lang))
    console.print(gaps)
    if len(scores.gaps) > 10:
        rest = len(scores.gaps) - 10
        more = f"ほか {rest} 件" if ja else f"{rest} more"
        console.print(f"  … {more} (antai status --format json)", style="dim")


def _print_automated(console: Console, catalog: Catalog, plan: Any, assessment: Any, scores: Scores, lang: str) -> None:
    """Per item, the latest automated evidence of each source; contradicted claims first, in red."""
    from rich.markup import escape

    from antai.messages import text

    rows = [(p.id, e) for p in plan.items for e in assessment.evidence_for(p.id) if e.scan is not None]
    if not rows:
        return
    contradicted = set(scores.contradicted)
    stale = set(scores.stale_automated)
    order = {"fail": 0, "error": 1, "pass": 2, "not_applicable": 3}
    rows.sort(key=lambda row: (row[0] not in contradicted, order[row[1].scan.result.value], row[0]))
    table = Table(title=text("status_automated", lang), title_justify="left", header_style="bold")
    table.add_column(text("status_auto_item", lang), no_wrap=True)
    table.add_column(text("status_auto_result", lang), no_wrap=True)
    table.add_column(text("status_auto_seen", lang), no_wrap=True, min_width=10)
    table.add_column(text("status_auto_source", lang), overflow="fold")
    for item_id, record in rows[:15]:
        scan = record.scan
        result = scan.result.value
        style = {"fail": "red", "error": "yellow", "pass": "green"}.get(result, "dim")
        verdict = f"[{style}]{label(f'finding.{result}', lang)}[/]"
        if item_id in contradicted and result == "fail":
            verdict += f"\n[bold red]{text('status_contradicted', lang)}[/]"
        seen = scan.observed_at.astimezone(_zone(lang)).strftime("%Y-%m-%d")
        if record.id in stale:
            seen += f"\n[yellow]{text('status_stale', lang)}[/]"
        tool = f"{scan.tool} {scan.tool_version}" if scan.tool_version else scan.tool
        source = escape(f"{tool} · {scan.target}")
        if scan.checks:
            first = scan.checks[0]
            source += "\n[dim]" + escape(f"{first.check}: {first.example}") + "[/]"
        table.add_row(item_id, verdict, seen, source)
    console.print(table)
    if len(rows) > 15:
        console.print("  … " + text("status_auto_more", lang, count=len(rows) - 15), style="dim")


def _zone(lang: str) -> Any:
    import datetime as dt

    return dt.timezone(dt.timedelta(hours=9)) if lang == "ja" else dt.UTC
