"""The FISC traceability matrix as Markdown, JSON or XLSX."""

from __future__ import annotations

from typing import Any

from antai.catalog import Catalog, Item
from antai.catalog.traceability import coverage, matrix_rows
from antai.labels import label

_CLASS = {
    "organisation": ("運営体制を問うもの", "Organisation"),
    "direct_minimum": ("最低限の遵守事項・自社実装", "Direct: minimum / own implementation"),
    "direct_risk_based": ("各社のリスクに応じて対応", "Direct: by each company's risk"),
    "cloud_standard": ("クラウドの標準機能", "Cloud: standard function"),
    "cloud_alignment": ("クラウドとリスクの整合確認", "Cloud: check fit with own risk"),
    "not_applicable": ("該当なし（営業店・ATM を持たない）", "Not applicable: no branches or ATMs"),
    "unidentified": ("題目未特定（原本で要確認）", "Topic unidentified (check the original)"),
}
_UNVERIFIED = ("（未確認）", " (unverified)")
# profile keys that antai.labels has no "profile.<key>" label for
_HANDLING = {
    "included": ("○ 含める", "○ included"),
    "risk_based": ("△ サービスのリスクに応じて", "△ by service risk"),
    "excluded": ("× 盛り込まない", "× not included"),
    "vacant": ("— 欠番", "— vacant"),
}


_CATEGORY = {
    "control": ("統制基準", "Control"),
    "practice": ("実務基準", "Practice"),
    "facility": ("設備基準", "Facility"),
    "audit": ("監査基準", "Audit"),
}
# how sure the public index is of a row (see the concept part's FISC topic)
_INDEX_STATUS = {
    "live": ("現行", "current"),
    "unverified": ("未確認", "unverified"),
    "unknown": ("題目不明", "topic unknown"),
    "vacant": ("欠番", "vacant"),
}


def category_label(value: str, lang: str) -> str:
    pair = _CATEGORY.get(value)
    return value if pair is None else _pick(pair, lang)


def index_status_label(value: str, lang: str) -> str:
    pair = _INDEX_STATUS.get(value)
    return value if pair is None else _pick(pair, lang)


def _pick(pair: tuple[str, str], lang: str) -> str:
    return pair[0] if lang == "ja" else pair[1]


def class_label(value: str | None, lang: str) -> str:
    if value is None:
        return "未特定" if lang == "ja" else "unidentified"
    return _pick(_CLASS[value], lang)


def handling_label(value: str | None, lang: str) -> str:
    if value is None:
        return "? 未対応" if lang == "ja" else "? unhandled"
    return _pick(_HANDLING[value], lang)


def unverified_mark(lang: str) -> str:
    return _pick(_UNVERIFIED, lang)


def item_citations(item: Item, lang: str) -> str:
    """An item's FISC IDs for display: verified ones, then unverified ones marked as such."""
    mark = unverified_mark(lang)
    return ", ".join([*item.fisc, *(f"{fisc_id}{mark}" for fisc_id in item.fisc_unverified)])


def condition_words(condition: dict[str, Any], lang: str) -> str:
    """An applicability condition (plain data, as written in an item file) in words of ``lang``: the same
    wording as the plan's reasons."""
    from pydantic import TypeAdapter

    from antai.catalog.conditions import Condition
    from antai.tailoring.plan import describe_condition

    return describe_condition(TypeAdapter(Condition).validate_python(condition), lang)


def applies_text(applies: dict[str, Any] | None, lang: str) -> str:
    """When a risk-based (△) row applies, in words; empty for other rows."""
    if not applies:
        return ""
    ja = lang == "ja"
    always = ", ".join(applies["always"])
    groups = [f"{condition_words(group['condition'], lang)} → {', '.join(group['items'])}" for group in applies["when"]]
    when = ("／" if ja else " | ").join(groups)
    if not groups:
        return "常に適用（対応する項目はすべて必須）" if ja else "Always applies (all its items are mandatory)"
    if not always:
        return f"次の場合に適用: {when}" if ja else f"Applies when: {when}"
    if ja:
        return f"常に一部が適用（必須: {always}）。次の場合はさらに適用: {when}"
    return f"Partly always applies (mandatory: {always}); more applies when: {when}"


def items_text(row: dict[str, Any], lang: str) -> str:
    mark = unverified_mark(lang)
    return ", ".join([*row["items"], *(f"{i}{mark}" for i in row.get("unverified_items") or [])])


def headers(lang: str) -> list[str]:
    if lang == "ja":
        return [
            "ID",
            "区分",
            "題目（antai による要約）",
            "扱い",
            "分類",
            "理由",
            "適用される場合（△）",
            "対応する antai 項目",
            "索引の状態",
        ]
    return [
        "ID",
        "Category",
        "Topic (antai's paraphrase)",
        "Handling",
        "Class",
        "Reason",
        "When it applies (△)",
        "antai items",
        "Index status",
    ]


COLUMN_WIDTHS = [9, 10, 36, 22, 26, 60, 50, 28, 11]


def table_rows(rows: list[dict[str, Any]], lang: str) -> list[list[str]]:
    """Matrix records (from ``matrix_rows``) as the cells of the traceability table."""
    out = []
    for row in rows:
        out.append(
            [
                row["id"],
                category_label(row["category"], lang),
                row["topic"][lang] if row["topic"] else "",
                handling_label(row["handling"], lang),
                class_label(row["classification"], lang) if row["handling"] != "vacant" else "",
                row["reason"][lang] if row["reason"] else "",
                applies_text(row.get("applies"), lang),
                items_text(row, lang),
                index_status_label(row["status"], lang),
            ]
        )
    return out


def matrix_json(catalog: Catalog) -> dict[str, Any]:
    meta = catalog.fisc.meta
    return {
        "edition": meta.edition if meta else None,
        "provenance": meta.provenance.model_dump() if meta else None,
        "catalog_version": catalog.version,
        "coverage": coverage(catalog).as_dict(),
        "rows": matrix_rows(catalog),
    }


def _escape(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def matrix_markdown(catalog: Catalog, lang: str) -> str:
    meta = catalog.fisc.meta
    title = "FISC 安全対策基準 トレーサビリティ" if lang == "ja" else "FISC traceability matrix"
    lines = [f"# {title}", ""]
    if meta:
        lines += [
            f"{label('guide.version', lang)} {catalog.version} · FISC {meta.edition}",
            "",
            meta.provenance(lang),
        ]
        lines.append("")
    columns = headers(lang)
    lines += ["| " + " | ".join(columns) + " |", "|" + "---|" * len(columns)]
    lines += ["| " + " | ".join(_escape(c) for c in row) + " |" for row in table_rows(matrix_rows(catalog), lang)]
    return "\n".join(lines) + "\n"


def matrix_xlsx(catalog: Catalog, lang: str) -> bytes:
    from antai.reports.xlsx import add_table_sheet, new_workbook, workbook_bytes

    workbook = new_workbook()
    meta = catalog.fisc.meta
    title = "FISC 安全対策基準 トレーサビリティ" if lang == "ja" else "FISC traceability matrix"
    heading = f"{title} — antai {catalog.version}" + (f" / FISC {meta.edition}" if meta else "")
    add_table_sheet(
        workbook,
        "FISC",
        headers(lang),
        table_rows(matrix_rows(catalog), lang),
        widths=COLUMN_WIDTHS,
        heading=heading,
    )
    if meta:
        from antai.reports.xlsx import write_cell

        note = workbook.create_sheet("README")
        write_cell(note, 1, 1, meta.provenance(lang))
        note.column_dimensions["A"].width = 120
    return workbook_bytes(workbook)
