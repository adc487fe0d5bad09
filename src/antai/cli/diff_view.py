"""Two submissions compared, for people: a text table grouped by kind, Markdown, one HTML page and an XLSX
workbook with one sheet per kind. Japanese first; statuses, fact names and values are worded, never codes.

Every format renders the same :func:`sections`, so they list the same changes.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from antai.labels import label
from antai.reports.wording import UNKNOWN, number

if TYPE_CHECKING:
    from antai.submission.diff import FactValue, ScorePairOut, SubmissionDiff

_T: dict[str, tuple[str, str]] = {
    "title": ("提出の比較", "Comparison of two submissions"),
    "organisation": ("組織名", "Organisation"),
    "old": ("前回の提出", "Previous submission"),
    "new": ("今回の提出", "This submission"),
    "side": (
        "{id}（連番 {sequence}、提出 {created}、評価日 {date}、履歴 {entries} 件・ヘッド {head}）",
        "{id} (sequence {sequence}, submitted {created}, assessed {date}, {entries} history entries, head {head})",
    ),
    "verification": ("検証", "Verification"),
    "verified": (
        "両方の提出を鍵 {fingerprint} で検証した（署名・全ファイルのハッシュ・履歴の連鎖）",
        "both submissions verified with key {fingerprint} (signature, every file's hash, history chain)",
    ),
    "not_verified": (
        "検証していない（--key を指定すると、比較の前に両方の提出を検証する）",
        "NOT verified (with --key, both submissions are verified before they are compared)",
    ),
    "catalog": ("カタログ版", "Catalog version"),
    "unchanged": ("（変更なし）", " (unchanged)"),
    "changes": ("変更の件数", "Changes"),
    "count": ("{n} 件", "{n}"),
    "none": ("変更なし", "no changes"),
    "kind.overview": ("概要", "Overview"),
    "kind.plan": ("計画に追加・削除された項目", "Plan: items added or removed"),
    "kind.statuses": ("状況の変化", "Status changes"),
    "kind.assignments": ("担当・期限の変更", "Owner and due-date changes"),
    "kind.evidence": ("エビデンスの変化", "Evidence changes"),
    "kind.decisions": ("意思決定の変化", "Decision changes"),
    "kind.facts": ("組織情報の変更", "Organisation facts changed"),
    "kind.gaps": ("組織情報の未回答（ギャップ）", "Organisation fact gaps"),
    "kind.scores": ("スコア", "Scores"),
    "col.heading": ("項目", "Heading"),
    "col.value": ("内容", "Value"),
    "col.item": ("ID", "ID"),
    "col.title": ("項目", "Item"),
    "col.change": ("変化", "Change"),
    "col.status": ("回答", "Answered"),
    "col.effective": ("評価上の状況", "Counts as"),
    "col.field": ("対象", "Field"),
    "col.before": ("前回", "Before"),
    "col.after": ("今回", "After"),
    "col.evidence": ("エビデンス", "Evidence"),
    "col.target": ("対象", "For"),
    "col.name": ("名称", "Name"),
    "col.expires": ("有効期限", "Expires"),
    "col.kind": ("種別", "Kind"),
    "col.fields": ("変更された内容", "What changed"),
    "col.fact": ("組織情報", "Fact"),
    "col.score": ("スコア", "Score"),
    "change.added": ("追加", "added"),
    "change.removed": ("削除", "removed"),
    "change.withdrawn": ("取り下げ", "withdrawn"),
    "change.expired": ("期限切れ", "expired"),
    "change.changed": ("変更", "changed"),
    "gap.opened": ("未回答になった", "now missing"),
    "gap.closed": ("回答された", "now given"),
    "field.owner": ("担当", "owner"),
    "field.due": ("期限", "due date"),
    "field.rationale": ("理由", "rationale"),
    "field.approver": ("承認者", "approver"),
    "field.decided": ("決定日", "decided"),
    "field.expires": ("有効期限", "expires"),
    "field.current": ("現在の回答の根拠か", "backs the current answer"),
    "decision.risk_acceptance": ("リスク受容", "Risk acceptance"),
    "decision.not_applicable": ("該当なしの決定", "Declared not applicable"),
    "decision.text": (
        "{rationale}（承認 {approver}、{decided} 決定、{expires} まで）",
        "{rationale} (approved by {approver} on {decided}, until {expires})",
    ),
    "decision.superseded": ("（現在の回答の根拠ではない）", " (no longer backs the current answer)"),
    "score.overall": ("総合スコア（リスク加重）", "Overall score (risk-weighted)"),
    "score.mandatory_coverage": ("必須項目の実施率", "Mandatory coverage"),
    "score.chapter": ("第 {n} 章", "Chapter {n}"),
    "empty": ("なし", "none"),
}


def T(key: str, lang: str) -> str:
    pair = _T[key]
    return pair[0] if lang == "ja" else pair[1]


@dataclass(frozen=True)
class Section:
    """One kind of change: its title, column headers and rows of text."""

    key: str
    title: str
    headers: list[str]
    rows: list[list[str]]


def _status(code: str, lang: str) -> str:
    return label(f"status.{code}", lang)


def _title(title: Any, lang: str) -> str:
    return str(title.ja if lang == "ja" else title.en)


def fact_name(path: str, lang: str) -> str:
    """A fact's dotted path in words, entry numbers in brackets (ja); the path itself in English."""
    from antai.messages import fact_name as worded

    return worded(path, lang)


def fact_value(path: str, value: FactValue, lang: str) -> str:
    """A fact's value in words, as the report shows it; missing as the report's gap word."""
    from antai.assessment.model import fact_field
    from antai.reports.facts import value_text

    if value is None:
        return label("org.unanswered", lang)
    spec = fact_field(path)
    if spec is None:
        return str(value)
    return value_text(value, spec, lang) or label("org.unanswered", lang)


def _target(target: str, lang: str) -> str:
    return fact_name(target[4:], lang) if target.startswith("org:") else target


def _score(pair: ScorePairOut, percent: bool = False) -> list[str]:
    suffix = "%" if percent else ""
    before = number(pair.before) + (suffix if pair.before is not None else "")
    after = number(pair.after) + (suffix if pair.after is not None else "")
    delta = UNKNOWN if pair.before is None or pair.after is None else f"{pair.after - pair.before:+.1f}"
    return [before, after, delta]


def _decision_text(decision: Any, lang: str) -> str:
    if decision is None:
        return UNKNOWN
    text = T("decision.text", lang).format(
        rationale=decision.rationale,
        approver=decision.approver,
        decided=decision.decided.isoformat(),
        expires=decision.expires.isoformat(),
    )
    if decision.expired:
        text += f" {T('change.expired', lang)}" if lang != "ja" else f"【{T('change.expired', lang)}】"
    if not decision.current:
        text += T("decision.superseded", lang)
    return text


def _side(side: Any, lang: str) -> str:
    return T("side", lang).format(
        id=side.id,
        sequence=side.sequence,
        created=side.created.date().isoformat(),
        date=side.assessment_date.isoformat(),
        entries=side.history_entries,
        head=side.history_head,
    )


def overview(d: SubmissionDiff, lang: str) -> list[tuple[str, str]]:
    """The heading lines: organisation, the two submissions, verification, catalog, number of changes."""
    catalog = f"{d.catalog.before} → {d.catalog.after}" if d.catalog.changed else d.catalog.after + T("unchanged", lang)
    return [
        (T("organisation", lang), d.organisation),
        (T("old", lang), _side(d.old, lang)),
        (T("new", lang), _side(d.new, lang)),
        (
            T("verification", lang),
            T("verified", lang).format(fingerprint=d.verified_with) if d.verified else T("not_verified", lang),
        ),
        (T("catalog", lang), catalog),
        (T("changes", lang), T("count", lang).format(n=d.changes())),
    ]


def sections(d: SubmissionDiff, lang: str) -> list[Section]:
    """Every kind of change with its rows, in the order a reviewer reads them; scores last."""
    plan = [
        [
            i.id,
            _title(i.title, lang),
            T("change.added", lang),
            _status(i.status, lang),
            _status(i.effective_status, lang),
        ]
        for i in d.plan_added
    ] + [
        [
            i.id,
            _title(i.title, lang),
            T("change.removed", lang),
            _status(i.status, lang),
            _status(i.effective_status, lang),
        ]
        for i in d.plan_removed
    ]
    statuses = [
        [
            s.id,
            _title(s.title, lang),
            f"{_status(s.status_before, lang)} → {_status(s.status_after, lang)}",
            f"{_status(s.effective_before, lang)} → {_status(s.effective_after, lang)}",
        ]
        for s in d.statuses
    ]
    assignments = [
        [a.id, _title(a.title, lang), T(f"field.{a.field}", lang), a.before or UNKNOWN, a.after or UNKNOWN]
        for a in d.assignments
    ]
    evidence = [
        [e.id, _target(e.target, lang), e.name, T(f"change.{e.change}", lang), e.expires.isoformat()]
        for e in d.evidence
    ]
    decisions = [
        [
            c.item,
            T(f"decision.{c.kind}", lang) if f"decision.{c.kind}" in _T else c.kind,
            T(f"change.{c.change}", lang),
            ("、" if lang == "ja" else ", ").join(T(f"field.{f}", lang) for f in c.fields) or UNKNOWN,
            _decision_text(c.before, lang),
            _decision_text(c.after, lang),
        ]
        for c in d.decisions
    ]
    facts = [
        [fact_name(f.path, lang), fact_value(f.path, f.before, lang), fact_value(f.path, f.after, lang)]
        for f in d.facts
    ]
    gaps = [[fact_name(p, lang), T("gap.opened", lang)] for p in d.gaps_opened] + [
        [fact_name(p, lang), T("gap.closed", lang)] for p in d.gaps_closed
    ]
    scores = [
        [T("score.overall", lang), *_score(d.scores.overall)],
        [T("score.mandatory_coverage", lang), *_score(d.scores.mandatory_coverage, percent=True)],
        *[[T("score.chapter", lang).format(n=k), *_score(v)] for k, v in d.scores.by_chapter.items()],
        *[[label(k, lang), *_score(v)] for k, v in d.scores.by_cia.items()],
    ]

    def c(key: str) -> str:
        return T(f"col.{key}", lang)

    return [
        Section("plan", T("kind.plan", lang), [c("item"), c("title"), c("change"), c("status"), c("effective")], plan),
        Section("statuses", T("kind.statuses", lang), [c("item"), c("title"), c("status"), c("effective")], statuses),
        Section(
            "assignments",
            T("kind.assignments", lang),
            [c("item"), c("title"), c("field"), c("before"), c("after")],
            assignments,
        ),
        Section(
            "evidence",
            T("kind.evidence", lang),
            [c("evidence"), c("target"), c("name"), c("change"), c("expires")],
            evidence,
        ),
        Section(
            "decisions",
            T("kind.decisions", lang),
            [c("item"), c("kind"), c("change"), c("fields"), c("before"), c("after")],
            decisions,
        ),
        Section("facts", T("kind.facts", lang), [c("fact"), c("before"), c("after")], facts),
        Section("gaps", T("kind.gaps", lang), [c("fact"), c("change")], gaps),
        Section("scores", T("kind.scores", lang), [c("score"), c("before"), c("after"), c("change")], scores),
    ]


# --- text ----------------------------------------------------------------------------------------------


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))


def diff_table(d: SubmissionDiff, lang: str) -> str:
    """The terminal view: the overview, then each kind of change as an aligned table (or "none")."""
    out = [T("title", lang)]
    out += [f"{name}: {value}" for name, value in overview(d, lang)]
    for section in sections(d, lang):
        if section.key == "scores":  # every score, changed or not: no count
            out += ["", f"■ {section.title}"]
        elif lang == "ja":
            out += ["", f"■ {section.title}（{T('count', lang).format(n=len(section.rows))}）"]
        else:
            out += ["", f"■ {section.title} ({len(section.rows)})"]
        if not section.rows:
            out.append(f"  {T('none', lang)}")
            continue
        widths = [max(_width(r[i]) for r in [section.headers, *section.rows]) for i in range(len(section.headers))]
        for row in [section.headers, *section.rows]:
            out.append(("  " + "  ".join(_pad(cell, w) for cell, w in zip(row, widths, strict=True))).rstrip())
    return "\n".join(out) + "\n"


# --- Markdown ------------------------------------------------------------------------------------------


def _md(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def diff_markdown(d: SubmissionDiff, lang: str) -> str:
    out = [f"# {T('title', lang)}", ""]
    out += [f"- **{name}**: {_md(value)}" for name, value in overview(d, lang)]
    for section in sections(d, lang):
        out += ["", f"## {section.title}", ""]
        if not section.rows:
            out.append(T("none", lang))
            continue
        out.append("| " + " | ".join(section.headers) + " |")
        out.append("|" + "---|" * len(section.headers))
        out += ["| " + " | ".join(_md(cell) for cell in row) + " |" for row in section.rows]
    return "\n".join(out) + "\n"


# --- HTML ----------------------------------------------------------------------------------------------

_FALLBACK_CSS = """
body { font-family: "Noto Sans CJK JP", "Hiragino Sans", "Yu Gothic", "Meiryo", system-ui, sans-serif;
       line-height: 1.55; margin: 0 auto; max-width: 72rem; padding: 2rem 1.5rem 4rem; font-size: 14px; }
table { border-collapse: collapse; width: 100%; } th, td { border: 1px solid #d7dde4; padding: .3rem .45rem; }
"""


def _report_css() -> str:
    """The bank report's stylesheet, so the comparison looks like the reports it compares."""
    from antai.reports.templating import environment

    env = environment()
    try:
        source, _, _ = env.loader.get_source(env, "report.html.j2")  # type: ignore[union-attr]
    except Exception:  # the template is shipped with the package; a missing one only costs the styling
        return _FALLBACK_CSS
    found = re.search(r"<style>(.*?)</style>", source, re.S)
    return found.group(1) if found and "{" in found.group(1) and "{{" not in found.group(1) else _FALLBACK_CSS


def diff_html(d: SubmissionDiff, lang: str) -> str:
    """One self-contained page: no script, no external request."""
    from markupsafe import escape

    title = f"{T('title', lang)}: {d.organisation}"
    out = [
        "<!DOCTYPE html>",
        f'<html lang="{lang}">',
        '<head>\n<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{escape(title)}</title>",
        f"<style>{_report_css()}</style>",
        "</head>\n<body>",
        f'<section id="overview">\n<h1>{escape(T("title", lang))}</h1>\n<dl class="cover">',
    ]
    for name, value in overview(d, lang):
        cls = ' class="gap"' if name == T("verification", lang) and not d.verified else ""
        out.append(f"<dt>{escape(name)}</dt><dd{cls}>{escape(value)}</dd>")
    out.append("</dl>\n</section>")
    for section in sections(d, lang):
        out.append(f'<section id="{section.key}">\n<h2>{escape(section.title)}</h2>')
        if not section.rows:
            out.append(f'<p class="muted">{escape(T("none", lang))}</p>\n</section>')
            continue
        out.append("<table>\n<thead><tr>" + "".join(f"<th>{escape(h)}</th>" for h in section.headers) + "</tr></thead>")
        out.append("<tbody>")
        for row in section.rows:
            out.append("<tr>" + "".join(f"<td>{escape(cell)}</td>" for cell in row) + "</tr>")
        out.append("</tbody>\n</table>\n</section>")
    out.append("</body>\n</html>")
    return "\n".join(out) + "\n"


# --- XLSX ----------------------------------------------------------------------------------------------

_SHEET_UNSAFE = re.compile(r"[\[\]:*?/\\]")


def diff_xlsx(d: SubmissionDiff, lang: str) -> bytes:
    """A workbook: the overview, then one sheet per kind of change (formula-safe cells, print set up)."""
    from antai.reports.xlsx import add_table_sheet, new_workbook, workbook_bytes

    workbook = new_workbook()
    add_table_sheet(
        workbook,
        T("kind.overview", lang),
        [T("col.heading", lang), T("col.value", lang)],
        [list(pair) for pair in overview(d, lang)],
        widths=[22, 110],
        heading=f"{T('title', lang)}: {d.organisation}",
    )
    for section in sections(d, lang):
        rows = section.rows or [[T("none", lang)]]
        add_table_sheet(
            workbook,
            _SHEET_UNSAFE.sub("・", section.title),
            section.headers,
            rows,
            widths=[
                max(10, min(60, max(len(r[i]) if i < len(r) else 0 for r in [section.headers, *rows]) + 4))
                for i in range(len(section.headers))
            ],
            heading=section.title,
        )
    return workbook_bytes(workbook)
