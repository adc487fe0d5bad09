"""The roadmap as words, Markdown, one printable HTML page with an inline SVG timeline, and an XLSX sheet.

The timeline is drawn here, without a charting library: four bars (one per phase) over the quarters, a dashed
line at each phase's target, and a marker where the mandatory set is done. The SVG is embedded in the roadmap
page and in the bank report, so a founder can show the same picture to a board or a bank.
"""

from __future__ import annotations

import datetime as dt
from html import escape
from typing import Any

from antai.catalog import Catalog
from antai.labels import label
from antai.reports.plan import days_text
from antai.tailoring.plan import Phase, Plan
from antai.tailoring.roadmap import Roadmap

MAX_QUARTERS = 12  # three years on one page; later work is summarised at the right edge

_TEXT = {
    "title": ("対策ロードマップ", "Security roadmap"),
    "start": ("開始日", "Start"),
    "capacity": (
        "体制: エンジニア {engineers} 人 × セキュリティに充てる時間 {share}%（四半期あたり {per_q} 人日）",
        "Team: {engineers} engineers × {share}% of their time for security ({per_q} person-days a quarter)",
    ),
    "mandatory_done": ("必須項目が全て終わる見込み: {date}", "The mandatory set would be done by {date}"),
    "mandatory_year": (
        "必須項目を {by} までに終えるには、四半期あたり {per_q} 人日が必要"
        "（今の割合 {share}% ならエンジニア {engineers} 人、今の {current} 人なら時間の {needed_share}%）",
        "Finishing the mandatory set by {by} needs {per_q} person-days a quarter "
        "({engineers} engineers at the current {share} %, or {needed_share} % of the time of the current {current})",
    ),
    "no_mandatory": ("必須項目はない", "No mandatory items"),
    "all_done": ("全項目が終わる見込み: {date}", "Every item would be done by {date}"),
    "gate_done": (
        "ゲートの完了見込み: {date}（この日以降に本番公開・銀行接続ができる）",
        "The gate would be done by {date} (the earliest date for launch or bank connection)",
    ),
    "phase_line": (
        "{name}: {n} 項目・{days} 人日、{start} 〜 {finish}",
        "{name}: {n} items, {days} person-days, {start} to {finish}",
    ),
    "on_time": ("目標 {target} に間に合う", "meets its target of {target}"),
    "late": (
        "目標 {target} に間に合わない（間に合わせるには四半期あたり {needed} 人日が必要）",
        "misses its target of {target} (meeting it needs {needed} person-days a quarter)",
    ),
    "empty": ("{name}: 項目なし", "{name}: no items"),
    "quarters": ("四半期ごとの着手項目", "Items started in each quarter"),
    "quarter": ("四半期", "Quarter"),
    "work": ("作業量（人日）", "Work (person-days)"),
    "items": ("着手する項目", "Items started"),
    "assumptions": (
        "前提: 各項目は工数の幅の中央値で見積もり、平日（祝日を除かない）に計画順で一つずつ進める。",
        "Assumptions: each item takes the middle of its person-day range, worked in plan order on weekdays "
        "(public holidays not deducted).",
    ),
    "chart": (
        "フェーズの時期（破線は各フェーズの目標、◆ は必須項目の完了）",
        "When each phase runs (dashed: its target; ◆: mandatory set done)",
    ),
}


def text(key: str, lang: str, **params: object) -> str:
    pair = _TEXT[key]
    return (pair[0] if lang == "ja" else pair[1]).format(**params)


def _date(day: dt.date | None, lang: str) -> str:
    if day is None:
        return "—"
    return f"{day.year}年{day.month}月{day.day}日" if lang == "ja" else day.isoformat()


def quarter_name(key: str, lang: str) -> str:
    year, q = key.split("-Q")
    return f"{year}年 第{q}四半期" if lang == "ja" else f"{year} Q{q}"


def lines(roadmap: Roadmap, lang: str) -> list[str]:
    """The roadmap's findings, one sentence per line (shared by every format)."""
    cap = roadmap.capacity
    out = [
        f"{text('start', lang)}: {_date(roadmap.start, lang)}",
        text("capacity", lang, engineers=cap.engineers, share=cap.share, per_q=days_text(cap.per_quarter)),
    ]
    gate = roadmap.phase(Phase.GATE)
    if gate.finish is not None:
        out.append(text("gate_done", lang, date=_date(gate.finish, lang)))
    for span in roadmap.phases:
        name = label(f"phase.{span.phase.value}", lang)
        if not span.items:
            out.append(text("empty", lang, name=name))
            continue
        line = text(
            "phase_line",
            lang,
            name=name,
            n=span.items,
            days=days_text(span.person_days),
            start=_date(span.start, lang),
            finish=_date(span.finish, lang),
        )
        if span.target is not None:
            target = _date(span.target, lang)
            verdict = (
                text("late", lang, target=target, needed=days_text(span.needed_per_quarter or 0))
                if span.late
                else text("on_time", lang, target=target)
            )
            line += ("、" if lang == "ja" else "; ") + verdict
        out.append(line)
    out.append(
        text("mandatory_done", lang, date=_date(roadmap.mandatory_done, lang))
        if roadmap.mandatory_done
        else text("no_mandatory", lang)
    )
    year = roadmap.mandatory_year
    if year is not None:
        out.append(
            text(
                "mandatory_year",
                lang,
                by=_date(year.by, lang),
                per_q=days_text(year.per_quarter),
                share=cap.share,
                engineers=year.engineers,
                current=cap.engineers,
                needed_share=year.share,
            )
        )
    out.append(text("all_done", lang, date=_date(roadmap.all_done, lang)))
    return out


def roadmap_markdown(roadmap: Roadmap, plan: Plan, catalog: Catalog) -> str:
    lang = plan.lang
    name = plan.profile.name or ""
    out = [f"# {text('title', lang)}: {name}".rstrip(": "), ""]
    out += [f"- {line}" for line in lines(roadmap, lang)]
    out += ["", f"## {text('quarters', lang)}", ""]
    out += [f"| {text('quarter', lang)} | {text('work', lang)} | {text('items', lang)} |", "|---|---:|---|"]
    for q in roadmap.quarters:
        out.append(f"| {quarter_name(q.key, lang)} | {days_text(q.person_days)} | {', '.join(q.items) or '—'} |")
    out += ["", text("assumptions", lang)]
    return "\n".join(out) + "\n"


def timeline_svg(roadmap: Roadmap, lang: str) -> str:
    """The phases over the quarters as an inline SVG (no script, no external resources)."""
    quarters = list(roadmap.quarters[:MAX_QUARTERS]) or []
    if not quarters:
        return ""
    left, top, row, width = 170, 34, 34, 900
    first, last = quarters[0].start, quarters[-1].end
    span_days = max(1, (last - first).days + 1)
    scale = (width - left - 10) / span_days

    def x(day: dt.date) -> float:
        clipped = min(max(day, first), last + dt.timedelta(days=1))
        return left + (clipped - first).days * scale

    height = top + row * len(Phase) + 26
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="100%" role="img" '
        f'aria-label="{escape(text("chart", lang))}" font-family="sans-serif" font-size="12">'
    ]
    for q in quarters:
        qx = x(q.start)
        parts.append(f'<line x1="{qx:.1f}" y1="{top - 8}" x2="{qx:.1f}" y2="{height - 20}" stroke="#d7dde4"/>')
        # the year above the quarter, so that neighbouring labels never overlap (nor run off the right edge)
        year, _, part = quarter_name(q.key, lang).partition(" ")
        parts.append(
            f'<text fill="#5b6673" font-size="11"><tspan x="{qx + 4:.1f}" y="{top - 22}">{escape(year)}</tspan>'
            f'<tspan x="{qx + 4:.1f}" y="{top - 10}">{escape(part)}</tspan></text>'
        )
    colours = {"gate": "#9b1c1c", "days_90": "#c2410c", "year_1": "#0b5cad", "later": "#5b6673"}
    for n, span in enumerate(roadmap.phases):
        y = top + n * row
        name = label(f"phase.{span.phase.value}", lang)
        parts.append(f'<text x="4" y="{y + 20}" fill="#1d232b">{escape(name)}</text>')
        if span.start and span.finish:
            x0, x1 = x(span.start), max(x(span.start) + 3, x(span.finish + dt.timedelta(days=1)))
            parts.append(
                f'<rect x="{x0:.1f}" y="{y + 6}" width="{x1 - x0:.1f}" height="20" rx="3" '
                f'fill="{colours[span.phase.value]}" opacity="0.85"/>'
            )
            caption = f"{span.items} · {days_text(span.person_days)} {label('person_days', lang)}"
            parts.append(
                f'<text x="{min(x1 + 4, width - 120):.1f}" y="{y + 20}" fill="#1d232b">{escape(caption)}</text>'
            )
            if span.finish > last:
                parts.append(f'<text x="{width - 14}" y="{y + 20}" fill="#1d232b">→</text>')
        if span.target is not None and first <= span.target <= last:
            tx = x(span.target)
            parts.append(
                f'<line x1="{tx:.1f}" y1="{y + 2}" x2="{tx:.1f}" y2="{y + 30}" stroke="#1d232b" '
                'stroke-dasharray="4 3"/>'
            )
    if roadmap.mandatory_done and first <= roadmap.mandatory_done <= last:
        mx = x(roadmap.mandatory_done)
        parts.append(f'<text x="{mx - 6:.1f}" y="{height - 6}" fill="#1d232b">◆</text>')
    parts.append("</svg>")
    return "".join(parts)


def roadmap_html(roadmap: Roadmap, plan: Plan, catalog: Catalog) -> str:
    lang = plan.lang
    title = f"{text('title', lang)}: {plan.profile.name}" if plan.profile.name else text("title", lang)
    rows = "".join(
        f"<tr><td class='nowrap'>{escape(quarter_name(q.key, lang))}</td><td class='nowrap num'>"
        f"{days_text(q.person_days)}</td><td>{escape(', '.join(q.items) or '—')}</td></tr>"
        for q in roadmap.quarters
    )
    findings = "".join(f"<li>{escape(line)}</li>" for line in lines(roadmap, lang))
    return f"""<!DOCTYPE html>
<html lang="{lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{escape(title)}</title>
<style>
body {{ font-family: "Noto Sans CJK JP", "Hiragino Sans", "Yu Gothic", "Meiryo", system-ui, sans-serif;
       color: #1d232b; line-height: 1.6; margin: 0 auto; max-width: 64rem; padding: 2rem 1.5rem 4rem; }}
h1 {{ font-size: 1.6rem; }} h2 {{ font-size: 1.2rem; border-bottom: 2px solid #0b5cad; margin-top: 2rem; }}
table {{ border-collapse: collapse; width: 100%; font-size: .9rem; }}
th, td {{ border: 1px solid #d7dde4; padding: .3rem .5rem; text-align: left; vertical-align: top; }}
th {{ background: #f4f6f9; }} .nowrap {{ white-space: nowrap; }} .num {{ text-align: right; }}
.muted {{ color: #5b6673; font-size: .9rem; }}
@media print {{ body {{ max-width: none; padding: 0; font-size: 9.5pt; }} tr, svg {{ break-inside: avoid; }} }}
@page {{ size: A4 landscape; margin: 12mm; }}
</style>
</head>
<body>
<h1>{escape(title)}</h1>
<figure>{timeline_svg(roadmap, lang)}<figcaption class="muted">{escape(text("chart", lang))}</figcaption></figure>
<ul>{findings}</ul>
<h2>{escape(text("quarters", lang))}</h2>
<table><thead><tr><th>{escape(text("quarter", lang))}</th><th>{escape(text("work", lang))}</th>
<th>{escape(text("items", lang))}</th></tr></thead><tbody>{rows}</tbody></table>
<p class="muted">{escape(text("assumptions", lang))}</p>
</body>
</html>
"""


def roadmap_xlsx(roadmap: Roadmap, plan: Plan, catalog: Catalog) -> bytes:
    """The schedule as one sheet, an item per row."""
    from antai.reports.xlsx import add_table_sheet, new_workbook, workbook_bytes

    rows = roadmap_rows(roadmap, plan, catalog)
    book = new_workbook()
    add_table_sheet(book, "roadmap", rows[0], rows[1:], widths=[16, 9, 48, 6, 9, 12, 12, 16])
    return workbook_bytes(book)


def roadmap_rows(roadmap: Roadmap, plan: Plan, catalog: Catalog) -> list[list[Any]]:
    """One row per item for the XLSX sheet: the schedule with phase, dates and person-days."""
    lang = plan.lang
    header = [
        label("phase", lang),
        "ID",
        label("title", lang),
        label("mandatory.short", lang),
        label("person_days", lang),
        text("start", lang),
        "終了見込み" if lang == "ja" else "Expected end",
        text("quarter", lang),
    ]
    rows: list[list[Any]] = [header]
    for s in roadmap.items:
        item = catalog.item(s.id)
        rows.append(
            [
                label(f"phase.{s.phase.value}", lang),
                s.id,
                item.title(lang) if item else "",
                "○" if s.mandatory else "",
                s.days,
                s.start,
                s.end,
                quarter_name(s.quarter, lang),
            ]
        )
    return rows
