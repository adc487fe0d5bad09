"""An answered bank checklist for people: an XLSX sheet with reviewer columns and drop-downs, an HTML table and
Markdown. Japanese first; no raw codes in Japanese output (statuses, answers and facts are worded here).

``checklist_sheet(workbook, answered, lang)`` adds the sheet to any workbook, so the bank report can carry it.
"""

from __future__ import annotations

import html
from typing import TYPE_CHECKING

from antai.assessment.model import FactField, FactKind, fact_field
from antai.checklists.answer import (
    AnsweredChecklist,
    AnsweredRow,
    Deviation,
    DeviationKind,
    FactAnswer,
    FactState,
    ItemAnswer,
    RowAnswer,
)
from antai.labels import label
from antai.reports.facts import value_text
from antai.reports.xlsx import add_table_sheet, new_workbook, workbook_bytes, write_cell

if TYPE_CHECKING:
    from openpyxl.workbook.workbook import Workbook
    from openpyxl.worksheet.worksheet import Worksheet

# the reviewer's verdicts offered in the drop-down of the 判定 column
VERDICTS: dict[str, tuple[str, ...]] = {"ja": ("可", "要確認", "不可"), "en": ("OK", "Ask", "No")}

_WORDS: dict[str, tuple[str, str]] = {
    "answer.yes": ("はい", "Yes"),
    "answer.partial": ("一部", "Partly"),
    "answer.no": ("いいえ", "No"),
    "answer.not_applicable": ("該当なし", "Not applicable"),
    "col.id": ("番号", "Row"),
    "col.section": ("区分", "Section"),
    "col.question": ("質問", "Question"),
    "col.answer": ("回答", "Answer"),
    "col.explanation": ("説明", "Explanation"),
    "col.evidence": ("エビデンス", "Evidence"),
    "col.verdict": ("判定（銀行記入）", "Verdict (bank)"),
    "col.comment": ("コメント（銀行記入）", "Comment (bank)"),
    "sheet": ("確認事項", "Checklist"),
    "scope.reference": ("参照系", "read"),
    "scope.update": ("更新系", "update"),
    "not_applied": ("このサービスには適用されない", "does not apply to this service"),
    "due": ("期限 {due}", "due {due}"),
    "unanswered_fact": ("未回答", "not given"),
    "missing": ("未回答: {what}", "missing: {what}"),
    "entry": ("{register} {n} 件目の{field}", "{register} entry {n}: {field}"),
    "dev.not_applicable": ("該当なしとした理由（{item}）", "Why not applicable ({item})"),
    "dev.compensated": ("代替策（{item}、{by}）", "Compensating measure ({item}, {by})"),
    "dev.risk_accepted": (
        "リスク受容（{item}、承認 {by}、期限 {expires}）",
        "Risk accepted ({item}, by {by}, until {expires})",
    ),
    "dev.excluded": ("適用外の理由（{item}）", "Why it does not apply ({item})"),
    "summary": (
        "{total} 問: はい {yes}・一部 {partial}・いいえ {no}・該当なし {not_applicable}",
        "{total} questions: yes {yes}, partly {partial}, no {no}, not applicable {not_applicable}",
    ),
    "show.item": ("項目", "Item"),
    "show.fact": ("組織情報", "Organisation fact"),
    "verdict_hint": ("判定は一覧から選ぶ", "Choose a verdict from the list"),
    "submission": ("提出番号", "Submission"),
    "checklist_id": ("チェックリスト", "Checklist"),
}

WIDTHS = (8, 16, 40, 9, 60, 14, 12, 30)


def word(key: str, lang: str, **params: object) -> str:
    ja, en = _WORDS[key]
    return (ja if lang == "ja" else en).format(**params)


def answer_word(answer: RowAnswer, lang: str) -> str:
    """はい / 一部 / いいえ / 該当なし (Yes / Partly / No / Not applicable)."""
    return word(f"answer.{answer.value}", lang)


def _sep(lang: str) -> str:
    return "、" if lang == "ja" else ", "


def fact_label(path: str, lang: str) -> str:
    """A fact's name for people; an entry's detail as 'register N 件目の field'."""
    parts = path.split(".")
    numbers = [n for n, part in enumerate(parts) if part.isdigit()]
    if not numbers:
        return label(f"org.{path}", lang)
    at = numbers[-1]
    register = ".".join(parts[:at])
    generic = ".".join("N" if p.isdigit() else p for p in parts)
    field = label(f"org.{generic}", lang) if at < len(parts) - 1 else ""
    return word("entry", lang, register=fact_label(register, lang), n=parts[at], field=field).strip()


def _value(fact: FactAnswer, lang: str) -> str:
    spec = fact_field(fact.path)
    if spec is None:  # pragma: no cover - the loader accepts only real paths
        return str(fact.value)
    if spec.kind == FactKind.ENTRIES and isinstance(fact.value, list) and fact.value:
        entry = FactField(path=f"{spec.path}.N", name="N", kind=FactKind.RECORD, help="", model=spec.model)
        return "; ".join(f"{n}. {value_text(v, entry, lang)}" for n, v in enumerate(fact.value, start=1))
    return value_text(fact.value, spec, lang)


def fact_text(fact: FactAnswer, lang: str) -> str:
    name = fact_label(fact.path, lang)
    if fact.state == FactState.MISSING:
        return f"{name}: {word('unanswered_fact', lang)}"
    text = f"{name}: {_value(fact, lang)}"
    if fact.state == FactState.INCOMPLETE:
        missing = _sep(lang).join(fact_label(m, lang) for m in fact.missing)
        text += (
            f"（{word('missing', lang, what=missing)}）"
            if lang == "ja"
            else f" ({word('missing', lang, what=missing)})"
        )
    return text


def item_text(item: ItemAnswer, lang: str) -> str:
    title = f" {item.title(lang)}" if item.title is not None else ""
    if not item.applies or item.status is None:
        return f"{item.id}{title}: {word('not_applied', lang)}"
    text = f"{item.id}{title}: {label(f'status.{item.status.value}', lang)}"
    if item.due is not None and not item.met:
        due = word("due", lang, due=item.due.isoformat())
        text += f"（{due}）" if lang == "ja" else f" ({due})"
    return text


def deviation_text(deviation: Deviation, lang: str) -> str:
    expires = deviation.expires.isoformat() if deviation.expires else ""
    head = word(f"dev.{deviation.kind.value}", lang, item=deviation.item, by=deviation.by or "", expires=expires)
    if deviation.kind == DeviationKind.EXCLUDED and not deviation.reason:
        return head
    return f"{head}: {deviation.reason}"


def explanation(row: AnsweredRow, lang: str) -> str:
    """What backs the answer, one line each: the items and their statuses, the facts, the deviation reasons."""
    lines = [item_text(i, lang) for i in row.items]
    lines += [fact_text(f, lang) for f in row.facts]
    lines += [deviation_text(d, lang) for d in row.deviations]
    return "\n".join(lines)


def question_text(row: AnsweredRow, lang: str) -> str:
    text = row.row.question(lang)
    if row.row.scope:
        tags = "・".join(word(f"scope.{s.value}", lang) for s in row.row.scope)
        text += f"［{tags}］" if lang == "ja" else f" [{tags}]"
    return text


def summary(answered: AnsweredChecklist, lang: str) -> str:
    counts = {k.value: v for k, v in answered.counts().items()}
    return word("summary", lang, total=len(answered.rows), **counts)


def _headers(lang: str) -> list[str]:
    keys = ("id", "section", "question", "answer", "explanation", "evidence", "verdict", "comment")
    return [word(f"col.{k}", lang) for k in keys]


def _cells(row: AnsweredRow, lang: str) -> list[str]:
    return [
        row.row.id,
        row.row.section(lang),
        question_text(row, lang),
        answer_word(row.answer, lang),
        explanation(row, lang),
        "\n".join(row.evidence),
    ]


# where a sheet written for a submission names it (and its checklist), next to its label: the bank's
# answered workbook says which submission its comments are on (antai.submission.comments reads them)
SUBMISSION_CELLS = ((1, 7), (1, 8))  # (row, column) of the label and the submission ID
CHECKLIST_CELLS = ((2, 7), (2, 8))  # … of the label and the checklist's ID


def checklist_sheet(
    workbook: Workbook, answered: AnsweredChecklist, lang: str, submission_id: str | None = None
) -> Worksheet:
    """Add the answered checklist as a sheet: a row per question, the reviewer's 判定 column with a drop-down
    (可 / 要確認 / 不可) and a free コメント column; every text cell is written as text, never a formula.
    With ``submission_id`` the header rows also name the submission and the checklist, in labelled cells."""
    from openpyxl.styles import Font
    from openpyxl.worksheet.datavalidation import DataValidation

    rows = [[*_cells(r, lang), "", ""] for r in answered.rows]
    sheet = add_table_sheet(
        workbook, word("sheet", lang), _headers(lang), rows, list(WIDTHS), heading=answered.checklist.title(lang)
    )
    write_cell(sheet, 2, 1, f"{summary(answered, lang)} — {answered.checklist.source(lang)}")
    first, last = 4, 3 + len(answered.rows)
    choices = ",".join(VERDICTS["ja" if lang == "ja" else "en"])
    validation = DataValidation(type="list", formula1=f'"{choices}"', allow_blank=True, showDropDown=False)
    validation.promptTitle = word("col.verdict", lang)
    validation.prompt = word("verdict_hint", lang)
    validation.showInputMessage = True
    validation.showErrorMessage = True
    sheet.add_data_validation(validation)
    validation.add(f"G{first}:G{max(last, first)}")
    if submission_id is not None:
        for (label_at, value_at), key, value in (
            (SUBMISSION_CELLS, "submission", submission_id),
            (CHECKLIST_CELLS, "checklist_id", answered.checklist.id),
        ):
            write_cell(sheet, *label_at, word(key, lang))
            sheet.cell(*label_at).font = Font(bold=True, size=10)
            write_cell(sheet, *value_at, value)
    return sheet


def checklist_xlsx(answered: AnsweredChecklist, lang: str, submission_id: str | None = None) -> bytes:
    """The answered checklist as a workbook of its own (naming ``submission_id`` when given)."""
    workbook = new_workbook()
    checklist_sheet(workbook, answered, lang, submission_id)
    return workbook_bytes(workbook)


def _html_cell(text: str) -> str:
    return "<br>".join(html.escape(line) for line in text.split("\n"))


def checklist_html(answered: AnsweredChecklist, lang: str) -> str:
    """An HTML fragment (a section with a table) for a report page; every text is escaped."""
    headers = _headers(lang)[:6]
    out = [
        '<section class="checklist">',
        f"<h2>{html.escape(answered.checklist.title(lang))}</h2>",
        f'<p class="source">{html.escape(answered.checklist.source(lang))}</p>',
        f'<p class="summary">{html.escape(summary(answered, lang))}</p>',
        "<table>",
        "<thead><tr>" + "".join(f"<th>{html.escape(h)}</th>" for h in headers) + "</tr></thead>",
        "<tbody>",
    ]
    for row in answered.rows:
        cells = _cells(row, lang)
        out.append(
            f'<tr class="answer-{row.answer.value.replace("_", "-")}">'
            + "".join(f"<td>{_html_cell(c)}</td>" for c in cells)
            + "</tr>"
        )
    out += ["</tbody>", "</table>", "</section>"]
    return "\n".join(out) + "\n"


def _md(text: str) -> str:
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", "<br>")


def checklist_markdown(answered: AnsweredChecklist, lang: str) -> str:
    headers = _headers(lang)[:6]
    lines = [
        f"# {answered.checklist.title(lang)}",
        "",
        answered.checklist.source(lang),
        "",
        summary(answered, lang),
        "",
        "| " + " | ".join(headers) + " |",
        "|" + "---|" * len(headers),
    ]
    lines += ["| " + " | ".join(_md(c) for c in _cells(row, lang)) + " |" for row in answered.rows]
    return "\n".join(lines) + "\n"
