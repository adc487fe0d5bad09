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

# Printing. Every table sheet prints fit to the page width; that scaling must leave its text at least
# MIN_PRINTED_PT: cells are FONT_SIZE pt, so the columns may add up to at most FONT_SIZE / MIN_PRINTED_PT
# page widths (wide text columns are narrowed, and wrap, until they do).
FONT_SIZE = 10
MIN_PRINTED_PT = 8
DEFAULT_WIDTH = 8.43  # Excel's default column width, in characters
NARROW = 12  # columns up to this width (IDs, dates, short codes) are never narrowed
SIDE_MARGIN_IN = 0.4
A4_IN = (8.27, 11.69)  # width, height of A4 portrait


def column_points(width: float) -> float:
    """A column's printed width in points: Excel widths count the default font's digit width (7 px for
    Calibri 11) plus 5 px of padding, at 96 px per inch."""
    return (7 * width + 5) * 0.75


def printable_points(orientation: str) -> float:
    """The width between the side margins of an A4 page, in points."""
    paper = A4_IN[1] if orientation == "landscape" else A4_IN[0]
    return (paper - 2 * SIDE_MARGIN_IN) * 72


def fitted_widths(widths: Sequence[float], font_size: float = FONT_SIZE) -> list[float]:
    """``widths`` narrowed so that, printed fit to an A4 landscape width, ``font_size`` text stays at least
    MIN_PRINTED_PT: the columns wider than NARROW shrink in proportion (never below NARROW)."""
    budget = printable_points("landscape") * font_size / MIN_PRINTED_PT
    total = sum(column_points(w) for w in widths)
    if total <= budget:
        return list(widths)
    result = list(widths)
    shrinking = {i for i, w in enumerate(widths) if w > NARROW}
    while shrinking:
        fixed = sum(column_points(w) for i, w in enumerate(result) if i not in shrinking)
        # the shrinking columns' points, sum(7 w k + 5) * 0.75, must equal budget - fixed: solve for k
        factor = ((budget - fixed) / 0.75 - 5 * len(shrinking)) / (7 * sum(widths[i] for i in shrinking))
        floored = {i for i in shrinking if widths[i] * factor < NARROW}
        for i in shrinking:
            result[i] = NARROW if i in floored else int(widths[i] * factor * 10) / 10
        if not floored:
            break
        shrinking -= floored
    return result


def fit_to_page_width(sheet: Worksheet, *, one_page: bool = False) -> None:
    """Print ``sheet`` on A4 fit to the page width (and height, with ``one_page``): portrait when its
    columns fit a portrait page unscaled, landscape otherwise."""
    from openpyxl.utils import get_column_letter

    widths = [
        sheet.column_dimensions[get_column_letter(c)].width or DEFAULT_WIDTH
        for c in range(1, (sheet.max_column or 1) + 1)
    ]
    total = sum(column_points(w) for w in widths)
    orientation = "portrait" if total <= printable_points("portrait") else "landscape"
    sheet.page_setup.orientation = orientation
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_margins.left = sheet.page_margins.right = SIDE_MARGIN_IN
    sheet.page_margins.top = sheet.page_margins.bottom = 0.5
    sheet.page_margins.header = sheet.page_margins.footer = 0.25
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 1 if one_page else 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_options.horizontalCentered = True


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
    """A sheet with an optional heading, a bold frozen header row, an auto-filter, explicit column widths
    and font sizes, and an A4 print setup: fit to the page width at no less than MIN_PRINTED_PT, the
    header row repeated on every page."""
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    sheet = workbook.create_sheet(title=title[:31])
    first = 1
    if heading:
        write_cell(sheet, 1, 1, heading)
        sheet.cell(row=1, column=1).font = Font(bold=True, size=13)
        first = 3
    fill = PatternFill("solid", fgColor="DCE6F1")
    bold = Font(bold=True, size=FONT_SIZE)
    for column, header in enumerate(headers, start=1):
        write_cell(sheet, first, column, header)
        cell = sheet.cell(row=first, column=column)
        cell.font = bold
        cell.fill = fill
        cell.alignment = Alignment(vertical="top", wrap_text=True)
    last = first
    wrap = Alignment(vertical="top", wrap_text=True)
    body = Font(size=FONT_SIZE)
    for last, values in enumerate(rows, start=first + 1):
        for column, value in enumerate(values, start=1):
            write_cell(sheet, last, column, value)
            cell = sheet.cell(row=last, column=column)
            cell.alignment = wrap
            cell.font = body
    end_column = get_column_letter(len(headers))
    sheet.freeze_panes = sheet.cell(row=first + 1, column=1)
    sheet.auto_filter.ref = f"A{first}:{end_column}{max(last, first)}"
    given: list[float] = [*(widths or [])]
    given += [DEFAULT_WIDTH] * (len(headers) - len(given))
    for column, width in enumerate(fitted_widths(given), start=1):
        sheet.column_dimensions[get_column_letter(column)].width = width
    sheet.print_title_rows = f"{first}:{first}"
    fit_to_page_width(sheet)
    return sheet
