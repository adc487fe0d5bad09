"""The bank's portfolio of partners, for people: a terminal table (Rich), one self-contained HTML page and
an XLSX workbook. Japanese first: statuses, tiers and problems are worded, never codes.

Every format renders the same :func:`table_rows`, so they show the same partners in the same order. Text
that came from a bundle (organisation names, IDs, paths) is shown through :func:`shown`, which makes
control characters and bidi overrides visible instead of letting them act on a terminal or a sheet.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from antai import messages
from antai.catalog.yamlsource import brief
from antai.labels import label
from antai.reports.wording import UNKNOWN, number

if TYPE_CHECKING:
    from antai.submission.portfolio import PortfolioOut, ProblemOut, RowOut

_T: dict[str, tuple[str, str]] = {
    "title": ("提携先ポートフォリオ", "Partner portfolio"),
    "today": ("基準日", "As of"),
    "trust": ("信頼する相手の一覧", "Trust file"),
    "summary": ("集計", "Summary"),
    "summary.text": (
        "相手 {partners} 社、提出 {rows} 件: 検証済み {verified} 件・検証できない {failed} 件",
        "{partners} partners, {rows} submissions: {verified} verified, {failed} not verified",
    ),
    "critical": ("重大なギャップの定義", "Critical gaps"),
    "critical.text": (
        "優先度 1（接続前＝ゲートの段階）の項目のうち、まだ実施済み・代替策ありになっていないもの。"
        "理由（未回答・未実施・予定・一部実施・期限超過など）は問わない",
        "gaps of priority 1 — the items the plan puts in the gate phase, before connecting to a bank — "
        "whatever their reason (unanswered, not implemented, planned, partial, overdue …)",
    ),
    "numbers_note": ("数値", "Numbers"),
    "numbers_note.text": (
        "検証できた提出の JSON 報告書から読んだ値だけを示す。検証できない提出・信頼する相手の一覧にない組織の提出には"
        "数値を示さない",
        "read from the JSON report of a verified submission only; a submission that does not verify, or "
        "whose organisation is not in the trust file, shows no numbers",
    ),
    "missing": ("提出が見つからない相手", "Partners with no submission in the input"),
    "skipped": ("見なかったもの", "Not looked into"),
    "none": ("なし", "none"),
    "col.organisation": ("組織名", "Organisation"),
    "col.submission": ("提出", "Submission"),
    "col.date": ("提出日", "Date"),
    "col.sequence": ("連番", "Seq."),
    "col.verdict": ("検証", "Verification"),
    "col.tier": ("リスク区分", "Risk tier"),
    "col.coverage": ("必須項目の実施率", "Mandatory coverage"),
    "col.score": ("総合スコア", "Overall score"),
    "col.critical": ("重大なギャップ", "Critical gaps"),
    "col.overdue": ("期限超過の予定", "Overdue plans"),
    "col.expired_evidence": ("期限切れエビデンス", "Expired evidence"),
    "col.expired_acceptances": ("期限切れのリスク受容", "Expired acceptances"),
    "col.missing_facts": ("未回答の組織情報", "Missing facts"),
    "col.days": ("提出からの日数", "Days since"),
    "col.change": ("前回からのスコア変化", "Score change"),
    "col.problem": ("問題", "Problem"),
    "col.path": ("場所", "Path"),
    "col.reason": ("理由", "Reason"),
    "col.heading": ("項目", "Heading"),
    "col.value": ("内容", "Value"),
    "sheet.portfolio": ("ポートフォリオ", "Portfolio"),
    "sheet.problems": ("検証の問題", "Problems"),
    "sheet.notes": ("注記", "Notes"),
    "status.verified": ("検証済み", "verified"),
    "status.not_verified": ("検証できない", "NOT verified"),
    "status.untrusted": ("信頼する相手の一覧にない組織", "untrusted: not in the trust file"),
    "status.unreadable": ("提出として読めない", "unreadable"),
    "status.report_unreadable": ("署名は正しいが報告書を読めない", "verified, but its report cannot be read"),
    "key_of": ("（{partner} の鍵で署名されている）", " (signed with the key of {partner})"),
    "draft": ("（承認のない下書き）", " (unsigned draft)"),
    "more": ("（ほか {n} 件）", " (and {n} more)"),
    "first": ("初回", "first"),
    "report.manifest": ("目録を読めない", "the manifest cannot be read"),
    "report.no_report": ("目録に JSON の報告書がない", "the manifest lists no JSON report"),
    "report.report": ("JSON の報告書が antai.report/1 として読めない", "the JSON report is not antai.report/1"),
    "report.organisation_mismatch": (
        "報告書と目録が別の組織名を記している",
        "the report names another organisation than its manifest",
    ),
    "skip.link": ("リンク（たどらない）", "a link (never followed)"),
    "skip.too_many_entries": (
        "項目が多すぎるため途中で打ち切った",
        "too many entries: the walk stopped here",
    ),
    "skip.too_many_bundles": ("提出フォルダが多すぎる", "too many bundles"),
    "skip.unreadable": ("読めない", "unreadable"),
    "days": ("{n} 日", "{n}"),
}


def T(key: str, lang: str) -> str:
    pair = _T[key]
    return pair[0] if lang == "ja" else pair[1]


def shown(text: str | None) -> str:
    """Text from a bundle as it may be shown: one line, control characters visible, at most 200 characters."""
    return brief(text or "", 200)


HEADERS = (
    "organisation",
    "submission",
    "date",
    "sequence",
    "verdict",
    "tier",
    "coverage",
    "score",
    "critical",
    "overdue",
    "expired_evidence",
    "expired_acceptances",
    "missing_facts",
    "days",
    "change",
)


def headers(lang: str) -> list[str]:
    return [T(f"col.{h}", lang) for h in HEADERS]


# --- problems in words -----------------------------------------------------------------------------------


def problem_text(problem: ProblemOut, lang: str) -> str:
    """One problem of a bundle in words, as `antai review verify` words it."""
    if problem.code == "report_unreadable":
        reason = str(problem.params.get("reason") or "report")
        key = f"report.{reason}" if f"report.{reason}" in _T else "report.report"
        return T(key, lang)
    params: dict[str, Any] = {"path": shown(problem.path), **{k: shown(str(v)) for k, v in problem.params.items()}}
    key = f"review.{problem.code}"
    cause = problem.params.get("reason")
    if problem.code == "previous_mismatch" and cause in ("previous_signature", "unreadable"):
        key = f"review.previous_{'signature' if cause == 'previous_signature' else 'unreadable'}"
    for name in ("found", "expected", "previous"):
        if problem.params.get(name) is None:
            params[name] = messages.text("review_none", lang)
    if lang == "ja":  # the readers' reasons and details are English: the Japanese sentence stands without them
        params["reason"] = params["detail"] = ""
    params.setdefault("reason", "")
    params.setdefault("detail", "")
    params.setdefault("entries", "?")
    params.setdefault("expected_entries", "?")
    try:
        text = messages.text(key, lang, **params)
    except (KeyError, IndexError):
        return f"{shown(problem.path)}: {problem.code}"
    return text.replace("（）", "").replace(" ()", "")


def verdict_text(row: RowOut, lang: str) -> str:
    """Verified, or why not: the first problem in words and how many more there are."""
    text = T(f"status.{row.status}", lang)
    if row.draft:
        text += T("draft", lang)
    if row.status == "untrusted":
        if row.key_of:
            text += T("key_of", lang).format(partner=shown(row.key_of))
        return text
    if row.problems:
        text += ": " + problem_text(row.problems[0], lang)
        if len(row.problems) > 1:
            text += T("more", lang).format(n=len(row.problems) - 1)
    return text


# --- the rows --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Cells:
    """A row as text (terminal, HTML) and as typed values (XLSX: numbers stay numbers)."""

    text: list[str]
    values: list[Any]
    verified: bool


def _percent(value: float | None) -> str:
    return UNKNOWN if value is None else f"{value:.1f}%"


def _change(row: RowOut, lang: str) -> str:
    if row.score_change is not None:
        return f"{row.score_change:+.1f}"
    if row.numbers is not None and row.previous_id is None:
        return T("first", lang)
    return UNKNOWN


def cells(row: RowOut, lang: str) -> Cells:
    ident = [
        shown(row.organisation) if row.organisation else shown(row.bundle),
        shown(row.submission_id) if row.submission_id else UNKNOWN,
        row.submitted.isoformat() if row.submitted else UNKNOWN,
        str(row.sequence) if row.sequence is not None else UNKNOWN,
        verdict_text(row, lang),
    ]
    n = row.numbers
    if n is None:
        blank = [UNKNOWN] * (len(HEADERS) - len(ident))
        return Cells([*ident, *blank], [*ident[:3], row.sequence, ident[4], *([None] * len(blank))], False)
    counts = [
        len(n.critical_gaps),
        len(n.overdue),
        len(n.expired_evidence),
        len(n.expired_acceptances),
        len(n.missing_facts),
    ]
    text = [
        *ident,
        label(n.tier, lang),
        _percent(n.mandatory_coverage),
        number(n.overall),
        *(str(c) for c in counts),
        T("days", lang).format(n=row.days_since) if row.days_since is not None else UNKNOWN,
        _change(row, lang),
    ]
    values = [
        *ident[:3],
        row.sequence,
        ident[4],
        label(n.tier, lang),
        n.mandatory_coverage,
        n.overall,
        *counts,
        row.days_since,
        row.score_change if row.score_change is not None else _change(row, lang),
    ]
    return Cells(text, values, row.status == "verified")


def table_rows(p: PortfolioOut, lang: str) -> list[Cells]:
    return [cells(row, lang) for row in p.rows]


def notes(p: PortfolioOut, lang: str) -> list[tuple[str, str]]:
    """The lines around the table: as of, the trust file, the counts, what critical means, what was missed."""
    sep = "、" if lang == "ja" else ", "
    skipped = sep.join(f"{shown(s.path)}（{T('skip.' + s.reason, lang)}）" for s in p.skipped[:20])
    if len(p.skipped) > 20:
        skipped += T("more", lang).format(n=len(p.skipped) - 20)
    return [
        (T("today", lang), p.today.isoformat()),
        (T("trust", lang), shown(p.trust_file)),
        (
            T("summary", lang),
            T("summary.text", lang).format(
                partners=p.partners, rows=len(p.rows), verified=p.verified, failed=p.not_verified
            ),
        ),
        (T("critical", lang), T("critical.text", lang)),
        (T("numbers_note", lang), T("numbers_note.text", lang)),
        (T("missing", lang), sep.join(shown(m) for m in p.missing) or T("none", lang)),
        (T("skipped", lang), skipped or T("none", lang)),
    ]


def problem_rows(p: PortfolioOut, lang: str) -> list[list[str]]:
    """Every problem of every row that did not verify: organisation, submission, problem."""
    out = []
    for row in p.rows:
        for problem in row.problems:
            out.append(
                [
                    shown(row.organisation) if row.organisation else shown(row.bundle),
                    shown(row.submission_id) if row.submission_id else UNKNOWN,
                    problem_text(problem, lang),
                ]
            )
    return out


# --- text ------------------------------------------------------------------------------------------------


def portfolio_text(p: PortfolioOut, lang: str, width: int = 200) -> str:
    """The terminal view: a Rich table between its notes, rendered as plain text."""
    from rich import box
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    buffer = io.StringIO()
    console = Console(file=buffer, width=width, no_color=True, highlight=False, emoji=False, markup=False)
    console.print(Text(T("title", lang), style="bold"))
    for name, value in notes(p, lang)[:3]:
        console.print(Text(f"{name}: {value}"))
    table = Table(header_style="bold", box=box.SIMPLE_HEAD, pad_edge=False)
    for n, header in enumerate(headers(lang)):
        numeric = n >= 5 and HEADERS[n] != "tier"
        table.add_column(
            Text(header),
            justify="right" if numeric else "left",
            no_wrap=HEADERS[n] in ("submission", "date", "sequence"),
            overflow="fold",
            min_width={"organisation": 12, "verdict": 20}.get(HEADERS[n]),
            max_width=48 if HEADERS[n] == "verdict" else ((7 if lang == "ja" else 11) if numeric else None),
        )
    for row in table_rows(p, lang):
        table.add_row(*(Text(c) for c in row.text))
    console.print(table)
    for name, value in notes(p, lang)[3:]:
        console.print(Text(f"{name}: {value}"))
    return "".join(line.rstrip() + "\n" for line in buffer.getvalue().splitlines())


# --- HTML ------------------------------------------------------------------------------------------------

_CSS = """
body { font-family: "Noto Sans CJK JP", "Hiragino Sans", "Yu Gothic", "Meiryo", system-ui, sans-serif;
       line-height: 1.5; margin: 0 auto; max-width: 96rem; padding: 1.5rem; font-size: 13px; color: #1d2733; }
h1 { font-size: 1.5rem; margin: 0 0 .8rem; } h2 { font-size: 1.1rem; margin: 1.6rem 0 .5rem; }
dl.cover { display: grid; grid-template-columns: max-content 1fr; gap: .2rem 1rem; margin: 0 0 1rem; }
dl.cover dt { font-weight: bold; } dl.cover dd { margin: 0; }
table { border-collapse: collapse; width: 100%; }
th, td { border: 1px solid #d7dde4; padding: .3rem .45rem; vertical-align: top; text-align: left; }
th { background: #eef2f6; } td.num { text-align: right; white-space: nowrap; }
tr.failed td { background: #fdecea; } tr.failed td.verdict { color: #a3190f; font-weight: bold; }
@media print { body { max-width: none; padding: 0; font-size: 9pt; } @page { size: A4 landscape; margin: 12mm; } }
"""


def portfolio_html(p: PortfolioOut, lang: str) -> str:
    """One self-contained page: no script, no external request; every text escaped."""
    from markupsafe import escape

    out = [
        "<!DOCTYPE html>",
        f'<html lang="{lang}">',
        '<head>\n<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{escape(T('title', lang))} {escape(p.today.isoformat())}</title>",
        f"<style>{_CSS}</style>",
        "</head>\n<body>",
        f"<h1>{escape(T('title', lang))}</h1>",
        '<dl class="cover">',
    ]
    out += [f"<dt>{escape(name)}</dt><dd>{escape(value)}</dd>" for name, value in notes(p, lang)]
    out.append("</dl>")
    out.append("<table>\n<thead><tr>" + "".join(f"<th>{escape(h)}</th>" for h in headers(lang)) + "</tr></thead>")
    out.append("<tbody>")
    for row in table_rows(p, lang):
        tds = []
        for n, cell in enumerate(row.text):
            cls = "verdict" if HEADERS[n] == "verdict" else ("num" if n >= 6 or HEADERS[n] == "sequence" else "")
            tds.append(f'<td class="{cls}">{escape(cell)}</td>' if cls else f"<td>{escape(cell)}</td>")
        out.append(f'<tr class="{"ok" if row.verified else "failed"}">' + "".join(tds) + "</tr>")
    out.append("</tbody>\n</table>")
    problems = problem_rows(p, lang)
    if problems:
        out.append(f"<h2>{escape(T('sheet.problems', lang))}</h2>")
        cols = [T("col.organisation", lang), T("col.submission", lang), T("col.problem", lang)]
        out.append("<table>\n<thead><tr>" + "".join(f"<th>{escape(h)}</th>" for h in cols) + "</tr></thead>")
        out.append("<tbody>")
        out += ["<tr>" + "".join(f"<td>{escape(c)}</td>" for c in r) + "</tr>" for r in problems]
        out.append("</tbody>\n</table>")
    out.append("</body>\n</html>")
    return "\n".join(out) + "\n"


# --- XLSX ------------------------------------------------------------------------------------------------


def portfolio_xlsx(p: PortfolioOut, lang: str) -> bytes:
    """The portfolio sheet (numbers as numbers), every problem, and the notes; every cell formula-safe."""
    from antai.reports.xlsx import add_table_sheet, new_workbook, workbook_bytes

    workbook = new_workbook()
    title = f"{T('title', lang)}（{p.today.isoformat()}）" if lang == "ja" else f"{T('title', lang)} ({p.today})"
    add_table_sheet(
        workbook,
        T("sheet.portfolio", lang),
        headers(lang),
        [row.values for row in table_rows(p, lang)],
        widths=[28, 24, 12, 6, 44, 10, 12, 10, 10, 10, 10, 10, 10, 10, 12],
        heading=title,
    )
    problems = problem_rows(p, lang)
    add_table_sheet(
        workbook,
        T("sheet.problems", lang),
        [T("col.organisation", lang), T("col.submission", lang), T("col.problem", lang)],
        problems or [[T("none", lang), "", ""]],
        widths=[28, 24, 80],
    )
    add_table_sheet(
        workbook,
        T("sheet.notes", lang),
        [T("col.heading", lang), T("col.value", lang)],
        [list(pair) for pair in notes(p, lang)],
        widths=[24, 100],
    )
    return workbook_bytes(workbook)
