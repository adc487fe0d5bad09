"""Comment threads with the bank for people and for the JSON report: a typed :class:`ThreadOut` per thread,
and an HTML section (every text escaped), Markdown and an XLSX sheet (formula-safe) in Japanese and English.

``threads_out(threads, lang, catalog)`` gives the data; the renderers take that data, so a report can be
rendered again from its JSON. Japanese output shows no raw codes: states, kinds, sides and verdicts are
worded here.
"""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Literal

from pydantic import BaseModel, ConfigDict, Field

from antai.assessment.threads import Message, State, Target, TargetKind, Thread, Verdict
from antai.reports.checklist import VERDICTS, fact_label
from antai.reports.xlsx import add_table_sheet, new_workbook, workbook_bytes

if TYPE_CHECKING:
    from openpyxl.workbook.workbook import Workbook
    from openpyxl.worksheet.worksheet import Worksheet

    from antai.catalog import Catalog

_WORDS: dict[str, tuple[str, str]] = {
    "title": ("銀行とのコメントのやり取り", "Comment threads with the bank"),
    "sheet": ("コメント", "Comments"),
    "none": ("銀行からのコメントはない", "No comments from the bank"),
    "summary": (
        "{total} 件（回答待ち {open}・回答済み {answered}・完了 {closed}）",
        "{total} threads: awaiting an answer {open}, answered {answered}, closed {closed}",
    ),
    "state.open": ("回答待ち", "awaiting an answer"),
    "state.answered": ("回答済み", "answered"),
    "state.closed": ("完了", "closed"),
    "kind.question": ("質問", "question"),
    "kind.comment": ("コメント", "comment"),
    "kind.answer": ("回答", "answer"),
    "kind.close": ("完了", "closed"),
    "side.bank": ("銀行", "bank"),
    "side.venture": ("事業者", "venture"),
    "target.fact": ("組織情報: {name}", "Organisation fact: {name}"),
    "target.checklist": ("チェックリスト {name} の {row}", "Checklist {name}, row {row}"),
    "refs": ("関連: {refs}", "Concerns: {refs}"),
    "raised_on": ("提出 {id} への指摘", "raised on submission {id}"),
    "col.id": ("番号", "Thread"),
    "col.target": ("対象", "About"),
    "col.state": ("状態", "State"),
    "col.verdict": ("判定", "Verdict"),
    "col.messages": ("やり取り", "Messages"),
    "col.date": ("日時", "When"),
    "col.side": ("立場", "Side"),
    "col.author": ("記入者", "Author"),
    "col.kind": ("種類", "Kind"),
    "col.text": ("内容", "Text"),
    "col.submission": ("対象の提出", "Submission"),
}

SHEET_WIDTHS = (9, 30, 12, 17, 9, 18, 9, 9, 60, 20)


def word(key: str, lang: str, **params: object) -> str:
    ja, en = _WORDS[key]
    return (ja if lang == "ja" else en).format(**params)


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class MessageOut(_Model):
    """One message of a thread."""

    kind: Literal["question", "comment", "answer", "close"]
    kind_label: str = Field(description="The kind in the report's language")
    side: Literal["bank", "venture"]
    side_label: str
    author: str
    bank: str | None = Field(description="The bank, for the bank's messages")
    at: dt.datetime
    submission: str | None = Field(description="The submission the bank commented on (or the venture answered)")
    verdict: Literal["ok", "ask", "no"] | None = Field(description="The bank's verdict: ok, ask or no")
    verdict_label: str | None = Field(description="可 / 要確認 / 不可 (OK / Ask / No)")
    text: str


class ThreadOut(_Model):
    """A comment thread between the bank and the venture, on an item, an organisation fact or a checklist row."""

    id: str = Field(description="T0001, T0002, …")
    target: str = Field(description="ITEM-ID, org:dotted.path or checklist:NAME/ROW")
    target_kind: Literal["item", "fact", "checklist"]
    target_label: str = Field(description="What the thread is about, in the report's language")
    refs: list[str] = Field(description="For a checklist row: the items and org: facts it maps to")
    state: Literal["open", "answered", "closed"]
    state_label: str
    raised_on: str | None = Field(description="The submission the thread was raised on")
    bank: str | None
    verdict: Literal["ok", "ask", "no"] | None = Field(description="The bank's latest verdict")
    verdict_label: str | None
    opened: dt.datetime
    last_activity: dt.datetime
    messages: list[MessageOut]


def verdict_label(verdict: Verdict | str | None, lang: str) -> str | None:
    """可 / 要確認 / 不可 (OK / Ask / No), the words of the checklist's drop-down."""
    if verdict is None:
        return None
    index = list(Verdict).index(Verdict(verdict))
    return VERDICTS["ja" if lang == "ja" else "en"][index]


def _when(text: str) -> dt.datetime:
    try:
        found = dt.datetime.fromisoformat(text)
    except ValueError:
        return dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
    return found if found.tzinfo is not None else found.replace(tzinfo=dt.UTC)


def target_label(target: Target, lang: str, catalog: Catalog | None = None) -> str:
    """``IAM-01 タイトル``, ``組織情報: 名前``, ``チェックリスト NAME の ROW``."""
    if target.kind == TargetKind.FACT:
        return word("target.fact", lang, name=fact_label(target.ref, lang))
    if target.kind == TargetKind.CHECKLIST:
        return word("target.checklist", lang, name=target.checklist, row=target.row)
    item = catalog.item(target.ref) if catalog is not None else None
    return f"{target.ref} {item.title(lang)}" if item is not None else target.ref


def _message_out(message: Message, lang: str) -> MessageOut:
    return MessageOut(
        kind=message.kind.value,
        kind_label=word(f"kind.{message.kind.value}", lang),
        side=message.side.value,
        side_label=word(f"side.{message.side.value}", lang),
        author=message.author,
        bank=message.bank,
        at=_when(message.at),
        submission=message.submission,
        verdict=message.verdict.value if message.verdict else None,
        verdict_label=verdict_label(message.verdict, lang),
        text=message.text,
    )


def threads_out(threads: Iterable[Thread], lang: str = "ja", catalog: Catalog | None = None) -> list[ThreadOut]:
    """The threads as report data, worded in ``lang`` (item titles from ``catalog`` when given)."""
    out = []
    for thread in threads:
        verdict = thread.verdict
        out.append(
            ThreadOut(
                id=thread.id,
                target=str(thread.target),
                target_kind=thread.target.kind.value,
                target_label=target_label(thread.target, lang, catalog),
                refs=list(thread.refs),
                state=thread.state.value,
                state_label=word(f"state.{thread.state.value}", lang),
                raised_on=thread.raised_on,
                bank=thread.bank,
                verdict=verdict.value if verdict else None,
                verdict_label=verdict_label(verdict, lang),
                opened=_when(thread.opened),
                last_activity=_when(thread.last_activity),
                messages=[_message_out(m, lang) for m in thread.messages],
            )
        )
    return out


# --- wording shared by the renderers --------------------------------------------------------------------


def summary(threads: Sequence[ThreadOut], lang: str) -> str:
    counts = {s.value: sum(1 for t in threads if t.state == s.value) for s in State}
    return word("summary", lang, total=len(threads), **counts)


def _ref_text(ref: str, lang: str) -> str:
    target = Target.parse(ref)
    return fact_label(target.ref, lang) if target.kind == TargetKind.FACT else target.ref


def refs_text(thread: ThreadOut, lang: str) -> str:
    if not thread.refs:
        return ""
    separator = "、" if lang == "ja" else ", "
    return word("refs", lang, refs=separator.join(_ref_text(r, lang) for r in thread.refs))


JST = dt.timezone(dt.timedelta(hours=9), "JST")  # Japan has no daylight saving time


def date_text(at: dt.datetime, lang: str = "en") -> str:
    """When a message was written: Japan time for Japanese readers, UTC otherwise."""
    if lang == "ja":
        return at.astimezone(JST).strftime("%Y-%m-%d %H:%M JST")
    return at.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")


def who_text(message: MessageOut, lang: str) -> str:
    """銀行（〇〇銀行 山田） / 事業者（佐藤）."""
    names = " ".join(dict.fromkeys(n for n in (message.bank, message.author) if n))
    if not names:
        return message.side_label
    return f"{message.side_label}（{names}）" if lang == "ja" else f"{message.side_label} ({names})"


def message_text(message: MessageOut, lang: str) -> str:
    """One line (or more) per message: date, who, kind, verdict and the words."""
    head = f"{date_text(message.at, lang)} {who_text(message, lang)} {message.kind_label}"
    if message.verdict_label:
        head += f"［{message.verdict_label}］" if lang == "ja" else f" [{message.verdict_label}]"
    return f"{head}: {message.text}" if message.text else head


def about_text(thread: ThreadOut, lang: str) -> str:
    lines = [thread.target_label]
    refs = refs_text(thread, lang)
    if refs:
        lines.append(refs)
    if thread.raised_on:
        lines.append(word("raised_on", lang, id=thread.raised_on))
    return "\n".join(lines)


def _table_headers(lang: str) -> list[str]:
    return [word(f"col.{k}", lang) for k in ("id", "target", "state", "verdict", "messages")]


def _table_cells(thread: ThreadOut, lang: str) -> list[str]:
    return [
        thread.id,
        about_text(thread, lang),
        thread.state_label,
        thread.verdict_label or "",
        "\n".join(message_text(m, lang) for m in thread.messages),
    ]


# --- HTML, Markdown, XLSX ---------------------------------------------------------------------------------


def _html_cell(text: str) -> str:
    return "<br>".join(html.escape(line) for line in text.split("\n"))


def threads_html(threads: Sequence[ThreadOut], lang: str) -> str:
    """An HTML fragment (a section with a table) for a report page; every text is escaped."""
    out = ['<section class="threads">', f"<h2>{html.escape(word('title', lang))}</h2>"]
    if not threads:
        out += [f'<p class="summary">{html.escape(word("none", lang))}</p>', "</section>"]
        return "\n".join(out) + "\n"
    out += [
        f'<p class="summary">{html.escape(summary(threads, lang))}</p>',
        "<table>",
        "<thead><tr>" + "".join(f"<th>{html.escape(h)}</th>" for h in _table_headers(lang)) + "</tr></thead>",
        "<tbody>",
    ]
    for thread in threads:
        out.append(
            f'<tr class="thread-{thread.state}">'
            + "".join(f"<td>{_html_cell(c)}</td>" for c in _table_cells(thread, lang))
            + "</tr>"
        )
    out += ["</tbody>", "</table>", "</section>"]
    return "\n".join(out) + "\n"


def _md(text: str) -> str:
    return (
        text.replace("\\", "\\\\").replace("|", "\\|").replace("<", "&lt;").replace(">", "&gt;").replace("\n", "<br>")
    )


def threads_markdown(threads: Sequence[ThreadOut], lang: str) -> str:
    """A Markdown section: a heading, the counts and a table (one row per thread)."""
    lines = [f"## {word('title', lang)}", ""]
    if not threads:
        return "\n".join([*lines, word("none", lang)]) + "\n"
    headers = _table_headers(lang)
    lines += [summary(threads, lang), "", "| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
    lines += ["| " + " | ".join(_md(c) for c in _table_cells(t, lang)) + " |" for t in threads]
    return "\n".join(lines) + "\n"


def _sheet_headers(lang: str) -> list[str]:
    keys = ("id", "target", "state", "date", "side", "author", "kind", "verdict", "text", "submission")
    return [word(f"col.{k}", lang) for k in keys]


def threads_sheet(workbook: Workbook, threads: Sequence[ThreadOut], lang: str) -> Worksheet:
    """Add the threads as a sheet, one row per message (thread, what it is about, its state, then the
    message); every text cell is written as text, never a formula."""
    rows = [
        [
            thread.id,
            thread.target_label,
            thread.state_label,
            date_text(m.at, lang),
            m.side_label,
            " ".join(dict.fromkeys(n for n in (m.bank, m.author) if n)),
            m.kind_label,
            m.verdict_label or "",
            m.text,
            m.submission or "",
        ]
        for thread in threads
        for m in thread.messages
    ]
    heading = f"{word('title', lang)} — {summary(threads, lang) if threads else word('none', lang)}"
    return add_table_sheet(workbook, word("sheet", lang), _sheet_headers(lang), rows, list(SHEET_WIDTHS), heading)


def threads_xlsx(threads: Sequence[ThreadOut], lang: str) -> bytes:
    """The threads as a workbook of their own."""
    workbook = new_workbook()
    threads_sheet(workbook, threads, lang)
    return workbook_bytes(workbook)
