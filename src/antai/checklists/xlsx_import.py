"""A bank's own sheet (XLSX) read into the checklist format with a column mapping, as YAML the user then maps
to items and facts (`antai checklist validate` names every row still unmapped).

The file may come from anyone, so reading is bounded: the file's size, the unpacked size of its parts, the
rows and the length of each text. Formulas are never evaluated: openpyxl reads in read-only mode with
``data_only``, so a formula cell gives the value the spreadsheet last saved (or nothing), and a text that
looks like a formula stays text.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from antai.catalog.yamlsource import Problem, SourceError
from antai.checklists.model import MAX_ROWS

MAX_XLSX_BYTES = 5 * 1024 * 1024
MAX_UNPACKED_BYTES = 50 * 1024 * 1024  # a zip bomb unpacks to far more
MAX_TEXT = 2000
MAX_SCANNED_ROWS = 5000  # rows read at most, blank ones included
_ROW_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,39}$")
_COLUMN = re.compile(r"^[A-Z]{1,3}$")


@dataclass(frozen=True)
class ColumnMapping:
    """Where a bank's sheet keeps what a checklist row needs: column letters (A, B, …) and the first data row."""

    id: str
    question: str
    section: str | None = None
    sheet: str | None = None  # the first sheet when None
    first_row: int = 2
    lang: str = "ja"  # the sheet's language; the other language starts as a copy to translate


def _index(letter: str) -> int:
    number = 0
    for char in letter:
        number = number * 26 + ord(char) - 64
    return number - 1


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return " ".join(str(value).split())


def _check_size(path: Path, shown: str) -> None:
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise SourceError([Problem(shown, 1, 1, f"cannot read: {exc.strerror or exc}")]) from None
    if size > MAX_XLSX_BYTES:
        raise SourceError([Problem(shown, 1, 1, f"the file has {size:,} bytes; at most {MAX_XLSX_BYTES:,} are read")])
    try:
        with zipfile.ZipFile(path) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError):
        raise SourceError([Problem(shown, 1, 1, "not an XLSX file (it is not a zip archive)")]) from None
    if unpacked > MAX_UNPACKED_BYTES:
        raise SourceError(
            [Problem(shown, 1, 1, f"the workbook unpacks to {unpacked:,} bytes; at most {MAX_UNPACKED_BYTES:,}")]
        )


@dataclass(frozen=True)
class Imported:
    data: dict[str, Any]  # the checklist as plain data, ready to write as YAML
    skipped: tuple[int, ...]  # rows with an ID but no question text (a formula's value is never computed)


def import_xlsx(path: Path, mapping: ColumnMapping, *, checklist_id: str, title: str) -> Imported:
    """The rows of the bank's sheet as checklist data; rows have no items or facts yet. :class:`SourceError`
    names each bad cell as file:row:column."""
    from openpyxl import load_workbook

    shown = str(path)
    for letter in (mapping.id, mapping.question, mapping.section):
        if letter is not None and not _COLUMN.fullmatch(letter):
            raise SourceError([Problem(shown, 1, 1, f"'{letter}' is not a column letter (A, B, … AA)")])
    _check_size(path, shown)
    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged file
        raise SourceError([Problem(shown, 1, 1, f"cannot read the workbook: {type(exc).__name__}")]) from None
    try:
        if mapping.sheet is not None and mapping.sheet not in workbook.sheetnames:
            raise SourceError([Problem(shown, 1, 1, f"no sheet '{mapping.sheet}' in the workbook")])
        sheet = workbook[mapping.sheet] if mapping.sheet is not None else workbook.worksheets[0]
        columns = {"id": _index(mapping.id), "question": _index(mapping.question)}
        if mapping.section is not None:
            columns["section"] = _index(mapping.section)
        last = max(columns.values()) + 1
        rows: list[dict[str, Any]] = []
        problems: list[Problem] = []
        seen: dict[str, int] = {}
        skipped: list[int] = []
        section = ""
        other = "en" if mapping.lang == "ja" else "ja"
        for number, values in enumerate(
            sheet.iter_rows(min_row=mapping.first_row, max_col=last, values_only=True), start=mapping.first_row
        ):
            if number - mapping.first_row >= MAX_SCANNED_ROWS:
                problems.append(Problem(shown, number, 1, f"more than {MAX_SCANNED_ROWS:,} rows: the rest is not read"))
                break
            cells = [_text(v) for v in (*values, *([None] * last))][:last]
            if "section" in columns and cells[columns["section"]]:
                section = cells[columns["section"]]  # a merged or blank section cell continues the one above
            question, row_id = cells[columns["question"]], cells[columns["id"]]
            if not question:
                if row_id:
                    skipped.append(number)
                continue
            if len(rows) >= MAX_ROWS:
                problems.append(Problem(shown, number, 1, f"more than {MAX_ROWS:,} questions: the rest is not read"))
                break
            if not _ROW_ID.fullmatch(row_id):
                problems.append(
                    Problem(shown, number, columns["id"] + 1, f"row ID '{row_id[:40]}' is not letters, digits, . _ -")
                )
                continue
            if row_id in seen:
                problems.append(
                    Problem(
                        shown,
                        number,
                        columns["id"] + 1,
                        f"row ID '{row_id}' is used twice (first on row {seen[row_id]})",
                    )
                )
                continue
            seen[row_id] = number
            for name, text in (("question", question), ("section", section)):
                if len(text) > MAX_TEXT:
                    where = columns.get(name, 0) + 1
                    problems.append(Problem(shown, number, where, f"the {name} has more than {MAX_TEXT:,} characters"))
            words = section or title
            rows.append(
                {
                    "id": row_id,
                    "section": {mapping.lang: words, other: words},
                    "question": {mapping.lang: question, other: question},
                    "answer": "yes_no_explain",
                    "items": [],
                    "facts": [],
                }
            )
    finally:
        workbook.close()
    if problems:
        raise SourceError(problems)
    if not rows:
        raise SourceError([Problem(shown, mapping.first_row, 1, "no questions found in the mapped columns")])
    data = {
        "id": checklist_id,
        "title": {mapping.lang: title, other: title},
        "source": {
            "ja": f"銀行の確認表 {path.name} から取り込んだ",
            "en": f"imported from the bank's sheet {path.name}",
        },
        "version": "1",
        "rows": rows,
    }
    return Imported(data, tuple(skipped))


def checklist_yaml(data: dict[str, Any]) -> str:
    """Checklist data as YAML text (UTF-8, keys in the format's order)."""
    import yaml

    header = (
        "# Imported from a bank's sheet. Map each row to catalog items (`antai items`) and organisation facts\n"
        "# (`antai org`), translate the copied language, then check it: `antai checklist validate FILE`.\n"
    )
    return header + yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=120)
