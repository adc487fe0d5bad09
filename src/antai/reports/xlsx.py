"""Spreadsheets that banks can circulate safely: typed cells, frozen headers, filters, print setup.

Text that came from people (catalog text, answers, notes) is always stored as text. A value that
starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is the classic formula-injection vector
(CWE-1236): such cells are written as plain strings with Excel's quote prefix, so no spreadsheet
evaluates them.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from openpyxl.workbook.workbook import Workbook
    from openpyxl.worksheet.worksheet import Worksheet

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def new_workbook() -> Workbook:
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.remove(workbook.active)
    return workbook


def workbook_bytes(workbook: Workbook) -> bytes:
    """The workbook as the bytes of an .xlsx file."""
    import io

    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def write_cell(sheet: Worksheet, row: int, column: int, value: Any) -> None:
    """Write one value; strings are always text, never formulas."""
    cell = sheet.cell(row=row, column=column)
    if isinstance(value, str):
        cell.value = value
        cell.data_type = "s"
        if value.startswith(FORMULA_TRIGGERS):
            cell.quotePrefix = True
    else:
        cell.value = value


def add_table_sheet(
    workbook: Workbook,
    title: str,
    headers: Sequence[str],
    rows: Iterable[Sequence[Any]],
    widths: Sequence[int] | None = None,
    heading: str | None = None,
) -> Worksheet:
    """A sheet with an optional heading, a bold frozen header row, an auto-filter and A4 landscape setup."""
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    sheet = workbook.create_sheet(title=title[:31])
    first = 1
    if heading:
        write_cell(sheet, 1, 1, heading)
        sheet.cell(row=1, column=1).font = Font(bold=True, size=13)
        first = 3
    fill = PatternFill("solid", fgColor="DCE6F1")
    for column, header in enumerate(headers, start=1):
        write_cell(sheet, first, column, header)
        cell = sheet.cell(row=first, column=column)
        cell.font = Font(bold=True)
        cell.fill = fill
        cell.alignment = Alignment(vertical="top", wrap_text=True)
    last = first
    wrap = Alignment(vertical="top", wrap_text=True)
    for last, values in enumerate(rows, start=first + 1):
        for column, value in enumerate(values, start=1):
            write_cell(sheet, last, column, value)
            sheet.cell(row=last, column=column).alignment = wrap
    end_column = get_column_letter(len(headers))
    sheet.freeze_panes = sheet.cell(row=first + 1, column=1)
    sheet.auto_filter.ref = f"A{first}:{end_column}{max(last, first)}"
    for column, width in enumerate(widths or [], start=1):
        sheet.column_dimensions[get_column_letter(column)].width = width
    sheet.print_title_rows = f"{first}:{first}"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    return sheet
