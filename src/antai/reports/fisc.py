"""The FISC traceability matrix as Markdown, JSON or XLSX."""

from __future__ import annotations

import io
from typing import Any

from antai.catalog import Catalog
from antai.catalog.traceability import coverage, matrix_rows
from antai.labels import label

_CLASS = {
    "organisation": ("運営体制を問うもの", "Organisation"),
    "direct_minimum": ("最低限の遵守事項・自社実装", "Direct: minimum / own implementation"),
    "direct_risk_based": ("各社のリスクに応じて対応", "Direct: by each company's risk"),
    "cloud_standard": ("クラウドの標準機能", "Cloud: standard function"),
    "cloud_alignment": ("クラウドとリスクの整合確認", "Cloud: check fit with own risk"),
}
_HANDLING = {
    "included": ("○ 含める", "○ included"),
    "risk_based": ("△ サービスのリスクに応じて", "△ by service risk"),
    "excluded": ("× 盛り込まない", "× not included"),
    "vacant": ("— 欠番", "— vacant"),
}


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


def headers(lang: str) -> list[str]:
    if lang == "ja":
        return [
            "ID",
            "区分",
            "題目（antai による要約）",
            "扱い",
            "分類",
            "理由",
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
        "antai items",
        "Index status",
    ]


def table_rows(rows: list[dict[str, Any]], lang: str) -> list[list[str]]:
    """Matrix records (from ``matrix_rows``) as the cells of the traceability table."""
    out = []
    for row in rows:
        out.append(
            [
                row["id"],
                row["category"],
                row["topic"][lang] if row["topic"] else "",
                handling_label(row["handling"], lang),
                class_label(row["classification"], lang) if row["handling"] != "vacant" else "",
                row["reason"][lang] if row["reason"] else "",
                ", ".join(row["items"]),
                row["status"],
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
    from antai.reports.xlsx import add_table_sheet, new_workbook

    workbook = new_workbook()
    meta = catalog.fisc.meta
    title = "FISC 安全対策基準 トレーサビリティ" if lang == "ja" else "FISC traceability matrix"
    heading = f"{title} — antai {catalog.version}" + (f" / FISC {meta.edition}" if meta else "")
    add_table_sheet(
        workbook,
        "FISC",
        headers(lang),
        table_rows(matrix_rows(catalog), lang),
        widths=[9, 10, 36, 22, 26, 60, 28, 11],
        heading=heading,
    )
    if meta:
        from antai.reports.xlsx import write_cell

        note = workbook.create_sheet("README")
        write_cell(note, 1, 1, meta.provenance(lang))
        note.column_dimensions["A"].width = 120
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
