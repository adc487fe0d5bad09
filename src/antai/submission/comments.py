"""What a bank sends back about a submission, read into comments: a YAML file (``antai.comments/1``) or the
answered checklist workbook with its 判定 and コメント columns filled in; and the YAML skeleton a bank
reviewer without Excel fills in (``comment_template``).

Both files come from outside, so reading is bounded as for any checklist a user brings: the YAML reader
refuses anchors and aliases, deep nesting, huge files and values (``antai.catalog.yamlsource`` with the
checklist limits), and names every problem as file:line:column; the workbook is read with openpyxl in
read-only mode after its size and unpacked size are checked (the limits of ``antai.checklists.xlsx_import``),
formulas are never evaluated, and a problem names its cell as file:row:column.
"""

from __future__ import annotations

import hashlib
import io
import zipfile
from collections.abc import Iterable
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from antai.assessment.threads import MAX_TEXT, THREAD_ID, Incoming, IncomingComment, Kind, Verdict
from antai.catalog.yamlsource import Problem, SourceError, YamlDocument, brief, load_yaml_text, validate_model
from antai.checklists.loader import LIMITS
from antai.checklists.model import Checklist
from antai.checklists.xlsx_import import MAX_SCANNED_ROWS, MAX_UNPACKED_BYTES, MAX_XLSX_BYTES
from antai.reports.checklist import CHECKLIST_CELLS, SUBMISSION_CELLS, VERDICTS
from antai.reports.checklist import word as sheet_word

SCHEMA = "antai.comments/1"
MAX_COMMENTS = 1000
_MAX_COLUMNS = 30  # the checklist sheet has 8; a sheet that claims thousands is not read past these
_CODES = tuple(Verdict)  # in the order of VERDICTS' words: 可 / 要確認 / 不可, OK / Ask / No

_PRINTABLE = r"^[^\x00-\x08\x0b-\x1f\x7f]*$"
_Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200, pattern=_PRINTABLE)]
_Short = Annotated[str, StringConstraints(strip_whitespace=True, max_length=200, pattern=_PRINTABLE)]
_Words = Annotated[str, StringConstraints(max_length=MAX_TEXT, pattern=_PRINTABLE)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class CommentIn(_Strict):
    """One comment of the bank's file."""

    target: _Short | None = Field(default=None, description="IAM-01, org:PATH or checklist:NAME/ROW")
    thread: Annotated[str, StringConstraints(pattern=THREAD_ID.pattern)] | None = Field(
        default=None, description="Reply to this thread (T0001) instead of naming a target"
    )
    verdict: str | bool | None = Field(default=None, description="可 / 要確認 / 不可 (OK / Ask / No)")
    kind: Literal["question", "comment"] | None = None
    text: _Words = ""


class CommentsFile(_Strict):
    """The bank's comments on one submission."""

    comments_schema: Literal["antai.comments/1"] = Field(alias="schema")
    submission: _Name
    bank: _Name
    reviewer: _Name
    comments: list[CommentIn] | None = Field(default=None, max_length=MAX_COMMENTS)

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


def verdict_of(value: Any) -> Verdict | None:
    """可 / 要確認 / 不可, OK / Ask / No (any case) or the codes ok / ask / no; YAML's ``no`` (false) is No and
    ``yes`` (true) is OK. None when ``value`` is none of them."""
    if isinstance(value, bool):
        return Verdict.OK if value else Verdict.NO
    text = " ".join(str(value).split()).lower()
    for words in (VERDICTS["ja"], VERDICTS["en"], tuple(v.value for v in _CODES)):
        for code, shown in zip(_CODES, words, strict=True):
            if text == shown.lower():
                return code
    return None


def _verdict_words() -> str:
    return ", ".join([*VERDICTS["ja"], *VERDICTS["en"]])


def is_workbook(data: bytes) -> bool:
    """Whether the file's first bytes are a zip archive's (an XLSX workbook); otherwise it is read as YAML."""
    return data.startswith(b"PK\x03\x04")


def _problem(shown: str, line: int, column: int, message: str, code: str, **params: str) -> Problem:
    return Problem(shown, line, column, message, code, tuple(sorted(params.items())))


def _read_limited(path: Path, shown: str, limit: int) -> bytes:
    try:
        with path.open("rb") as handle:
            data = handle.read(limit + 1)
    except OSError as exc:
        raise SourceError([Problem(shown, 1, 1, f"cannot read: {exc.strerror or exc}")]) from None
    if len(data) > limit:
        raise SourceError(
            [
                _problem(
                    shown,
                    1,
                    1,
                    f"the file has more than {limit:,} bytes (the limit for a comments file)",
                    "comments.too_big",
                    limit=f"{limit:,}",
                )
            ]
        )
    return data


def read_comments(
    path: Path,
    display: str | None = None,
    *,
    submission: str | None = None,
    bank: str | None = None,
    reviewer: str | None = None,
    checklists: Iterable[Checklist] = (),
) -> Incoming:
    """The comments in ``path``, a YAML comments file or an answered checklist workbook (told apart by their
    content). For a workbook, ``submission`` is used when it does not name its own, ``bank`` and
    ``reviewer`` say who filled it in, and ``checklists`` are matched by title when it does not name its
    checklist. :class:`SourceError` names every problem as file:line:column."""
    shown = display or str(path)
    try:
        with path.open("rb") as handle:
            head = handle.read(4)
    except OSError as exc:
        raise SourceError([Problem(shown, 1, 1, f"cannot read: {exc.strerror or exc}")]) from None
    if is_workbook(head):
        return read_workbook(path, shown, submission=submission, bank=bank, reviewer=reviewer, checklists=checklists)
    return read_yaml(path, shown)


# --- YAML ---------------------------------------------------------------------------------------------------


def read_yaml(path: Path, display: str | None = None) -> Incoming:
    """An ``antai.comments/1`` file."""
    shown = display or str(path)
    raw = _read_limited(path, shown, LIMITS.max_bytes)
    digest = hashlib.sha256(raw).hexdigest()
    doc = load_yaml_text(raw, shown, path=path, limits=LIMITS)
    if isinstance(doc.data, dict) and doc.data.get("schema") != SCHEMA and "schema" in doc.data:
        line, column = doc.position(["schema"])
        found = brief(str(doc.data.get("schema")))
        raise SourceError([_problem(shown, line, column, f"'{found}' is not {SCHEMA}", "comments.schema", found=found)])
    parsed = validate_model(doc, CommentsFile)
    comments, problems = _yaml_comments(doc, parsed, shown)
    if problems:
        raise SourceError(problems)
    line, column = doc.position(["submission"])
    return Incoming(
        submission=parsed.submission,
        bank=parsed.bank,
        reviewer=parsed.reviewer,
        comments=tuple(comments),
        sha256=digest,
        format="yaml",
        name=shown,
        where=f"{shown}:{line}:{column}",
    )


def _yaml_comments(doc: YamlDocument, parsed: CommentsFile, shown: str) -> tuple[list[IncomingComment], list[Problem]]:
    problems: list[Problem] = []
    comments: list[IncomingComment] = []
    if not parsed.comments:
        line, column = doc.key_position(["comments"])
        problems.append(_problem(shown, line, column, "there are no comments to import", "comments.none"))
        return comments, problems
    for n, given in enumerate(parsed.comments):
        line, column = doc.position(["comments", n])
        verdict = None
        if given.verdict is not None:
            verdict = verdict_of(given.verdict)
            if verdict is None:
                at = doc.position(["comments", n, "verdict"])
                found = brief(str(given.verdict))
                problems.append(
                    _problem(
                        shown,
                        *at,
                        f"'{found}' is not a verdict ({_verdict_words()})",
                        "comments.verdict",
                        found=found,
                        choices=_verdict_words(),
                    )
                )
                continue
        if given.target is None and given.thread is None:
            problems.append(
                _problem(
                    shown,
                    line,
                    column,
                    "a comment needs a target (an item ID, org:FACT or checklist:NAME/ROW) or a thread to reply to",
                    "comments.no_target",
                )
            )
            continue
        if not given.text.strip() and verdict is None:
            problems.append(
                _problem(shown, line, column, "the comment has neither a text nor a verdict", "comments.empty")
            )
            continue
        comments.append(
            IncomingComment(
                target=given.target,
                text=given.text.strip(),
                verdict=verdict,
                kind=Kind(given.kind) if given.kind else None,
                thread=given.thread,
                where=f"{shown}:{line}:{column}",
                index=n,
            )
        )
    return comments, problems


# --- the answered checklist workbook ------------------------------------------------------------------------


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _labelled(rows: list[list[str]], label_key: str, cells: tuple[tuple[int, int], tuple[int, int]]) -> str | None:
    """The value next to a label of the header rows (where checklist_sheet writes it, else anywhere near)."""
    labels = {sheet_word(label_key, lang) for lang in ("ja", "en")}
    (row, column), _ = cells
    if len(rows) >= row and len(rows[row - 1]) > column and rows[row - 1][column - 1] in labels:
        return rows[row - 1][column] or None
    for values in rows:
        for at, value in enumerate(values[:-1]):
            if value in labels:
                return values[at + 1] or None
    return None


def _header_columns(values: list[str]) -> dict[str, int] | None:
    """Where the row ID, 判定 and コメント columns are, from the header row (in either language)."""
    found: dict[str, int] = {}
    for key in ("id", "verdict", "comment"):
        names = {sheet_word(f"col.{key}", lang) for lang in ("ja", "en")}
        column = next((n for n, v in enumerate(values) if v in names), None)
        if column is None:
            return None
        found[key] = column
    return found


def _check_archive(raw: bytes, shown: str) -> None:
    """The bytes read are a zip archive that unpacks to at most the checklist importer's limit (a zip bomb
    unpacks to far more). The bytes are checked and then opened from memory, so what was checked is what
    is read; the problems carry codes, so that they are worded in Japanese too."""
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError):
        raise SourceError(
            [_problem(shown, 1, 1, "not an XLSX file (it is not a zip archive)", "comments.not_zip")]
        ) from None
    if unpacked > MAX_UNPACKED_BYTES:
        raise SourceError(
            [
                _problem(
                    shown,
                    1,
                    1,
                    f"the workbook unpacks to {unpacked:,} bytes; at most {MAX_UNPACKED_BYTES:,}",
                    "comments.unpacked",
                    size=f"{unpacked:,}",
                    limit=f"{MAX_UNPACKED_BYTES:,}",
                )
            ]
        )


def read_workbook(
    path: Path,
    display: str | None = None,
    *,
    submission: str | None = None,
    bank: str | None = None,
    reviewer: str | None = None,
    checklists: Iterable[Checklist] = (),
) -> Incoming:
    """The bank's verdicts and comments in the 確認事項 (Checklist) sheet of an answered checklist workbook;
    rows with neither are skipped."""
    from openpyxl import load_workbook

    shown = display or str(path)
    raw = _read_limited(path, shown, MAX_XLSX_BYTES)
    digest = hashlib.sha256(raw).hexdigest()
    _check_archive(raw, shown)
    try:
        workbook = load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged file
        raise SourceError(
            [
                _problem(
                    shown,
                    1,
                    1,
                    f"cannot read the workbook: {type(exc).__name__}",
                    "comments.bad_workbook",
                    error=type(exc).__name__,
                )
            ]
        ) from None
    try:
        names = [sheet_word("sheet", lang) for lang in ("ja", "en")]
        sheet_name = next((n for n in names if n in workbook.sheetnames), None)
        if sheet_name is None:
            raise SourceError(
                [
                    _problem(
                        shown,
                        1,
                        1,
                        f"no sheet '{names[0]}' ('{names[1]}') in the workbook: send back the checklist antai wrote",
                        "comments.no_sheet",
                        sheet=names[0],
                        sheet_en=names[1],
                    )
                ]
            )
        sheet = workbook[sheet_name]
        return _sheet_comments(sheet, shown, digest, submission, bank, reviewer, list(checklists))
    finally:
        workbook.close()


def _sheet_comments(
    sheet: Any,
    shown: str,
    digest: str,
    submission: str | None,
    bank: str | None,
    reviewer: str | None,
    checklists: list[Checklist],
) -> Incoming:
    head: list[list[str]] = []
    columns: dict[str, int] | None = None
    problems: list[Problem] = []
    comments: list[IncomingComment] = []
    skipped: list[int] = []
    checklist_id: str | None = None
    rows = sheet.iter_rows(max_row=MAX_SCANNED_ROWS + 1, max_col=_MAX_COLUMNS, values_only=True)
    for number, values in enumerate(rows, start=1):
        if number > MAX_SCANNED_ROWS:
            problems.append(
                _problem(
                    shown,
                    number,
                    1,
                    f"more than {MAX_SCANNED_ROWS:,} rows: the rest is not read",
                    "comments.too_many_rows",
                    limit=f"{MAX_SCANNED_ROWS:,}",
                )
            )
            break
        cells = [_text(v) for v in values]
        if columns is None:
            head.append(cells)
            columns = _header_columns(cells)
            if columns is None and number >= 10:
                break
            if columns is not None:
                checklist_id = _labelled(head, "checklist_id", CHECKLIST_CELLS)
                named = _labelled(head, "submission", SUBMISSION_CELLS)
                if named is not None and submission is not None and named != submission:
                    problems.append(
                        _problem(
                            shown,
                            *SUBMISSION_CELLS[1],
                            f"the workbook names submission {brief(named)}, not {brief(submission)}",
                            "comments.other_submission",
                            named=brief(named),
                            given=brief(submission),
                        )
                    )
                submission = named or submission
                if checklist_id is None:
                    title = head[0][0] if head and head[0] else ""
                    checklist_id = next((c.id for c in checklists if title in (c.title.ja, c.title.en)), None)
            continue
        cells += [""] * (max(columns.values()) + 1 - len(cells))
        row_id, verdict_text, text = (cells[columns[k]] for k in ("id", "verdict", "comment"))
        if not verdict_text and not text:
            if row_id:
                skipped.append(number)
            continue
        where = f"{shown}:{number}:{columns['comment' if text else 'verdict'] + 1}"
        if not row_id:
            problems.append(
                _problem(
                    shown,
                    number,
                    columns["id"] + 1,
                    "a verdict or comment on a row without a row ID",
                    "comments.no_row_id",
                )
            )
            continue
        verdict = verdict_of(verdict_text) if verdict_text else None
        if verdict_text and verdict is None:
            found = brief(verdict_text)
            problems.append(
                _problem(
                    shown,
                    number,
                    columns["verdict"] + 1,
                    f"'{found}' is not a verdict ({_verdict_words()})",
                    "comments.verdict",
                    found=found,
                    choices=_verdict_words(),
                )
            )
            continue
        if len(text) > MAX_TEXT:
            problems.append(
                _problem(
                    shown,
                    number,
                    columns["comment"] + 1,
                    f"the comment has more than {MAX_TEXT:,} characters",
                    "comments.too_long",
                    limit=f"{MAX_TEXT:,}",
                )
            )
            continue
        comments.append(
            IncomingComment(
                target=f"checklist:{checklist_id}/{row_id}",
                text=text,
                verdict=verdict,
                where=where,
                index=number,
            )
        )
    if columns is None:
        problems.append(
            _problem(
                shown,
                1,
                1,
                "the sheet has no row ID, verdict and comment columns: send back the checklist antai wrote",
                "comments.no_columns",
            )
        )
    elif checklist_id is None:
        problems.append(
            _problem(shown, 1, 1, "the workbook does not say which checklist it answers", "comments.no_checklist")
        )
    if submission is None and columns is not None:
        problems.append(
            _problem(
                shown,
                1,
                1,
                "the workbook does not name its submission: use the checklist of the submission bundle, "
                "or give the submission ID",
                "comments.no_submission",
            )
        )
    if not problems and not comments:
        problems.append(_problem(shown, 1, 1, "no row has a verdict or a comment", "comments.none"))
    if problems:
        raise SourceError(problems)
    assert submission is not None
    return Incoming(
        submission=submission,
        bank=(bank or "").strip(),
        reviewer=(reviewer or bank or "").strip(),
        comments=tuple(comments),
        sha256=digest,
        format="xlsx",
        name=shown,
        where=f"{shown}:{SUBMISSION_CELLS[1][0]}:{SUBMISSION_CELLS[1][1]}",
        skipped=tuple(skipped),
    )


# --- the skeleton a bank fills in ---------------------------------------------------------------------------


_TEMPLATE: dict[str, tuple[str, str]] = {
    "head": (
        "# 提出 {id}（{organisation}、{created}）への銀行のコメント（形式 antai.comments/1）。\n"
        "# bank と reviewer を書き、指摘ごとに comments に 1 件書いて事業者に返送する。\n"
        "# 事業者は `antai review import-comments ファイル` で取り込み、回答は次の提出に載る。\n"
        "# target: 項目 ID（IAM-01）、組織情報（org:governance.deputy）またはチェックリストの行\n"
        "#   （checklist:api-connection/EL-01）。verdict（任意）: 可・要確認・不可。text: コメント。\n"
        "# 下の例は提出の未対応事項である。使う行の先頭の # を外す。\n",
        "# The bank's comments on submission {id} ({organisation}, {created}), format antai.comments/1.\n"
        "# Fill in bank and reviewer, write one entry under comments per remark, and send the file back;\n"
        "# the venture imports it with `antai review import-comments FILE` and answers in its next submission.\n"
        "# target: an item ID (IAM-01), an organisation fact (org:governance.deputy) or a checklist row\n"
        "#   (checklist:api-connection/EL-01); verdict (optional): OK, Ask or No; text: your comment.\n"
        "# The examples below are the submission's gaps: remove the # of the lines you use.\n",
    ),
    "gaps": ("  # 未対応の項目", "  # Items with gaps"),
    "facts": ("  # 未記入の組織情報", "  # Missing organisation facts"),
    "none": ("  # 未対応事項はない", "  # The submission has no gaps"),
}


def _t(key: str, lang: str, **params: str) -> str:
    ja, en = _TEMPLATE[key]
    return (ja if lang == "ja" else en).format(**params)


def _one_line(text: str, limit: int = 100) -> str:
    return brief(" ".join(text.split()), limit)


def comment_template(
    submission: str,
    organisation: str,
    created: str,
    gaps: Iterable[tuple[str, str]],
    missing_facts: Iterable[str],
    lang: str,
) -> str:
    """An ``antai.comments/1`` skeleton for ``submission``: its ID filled in, bank and reviewer to fill, and
    the submission's gaps (item ID and why) and missing facts as commented-out example comments."""
    import yaml

    ask = VERDICTS["ja" if lang == "ja" else "en"][1]
    lines = [
        _t("head", lang, id=submission, organisation=_one_line(organisation), created=created),
        yaml.safe_dump(
            {"schema": SCHEMA, "submission": submission, "bank": "", "reviewer": ""},
            allow_unicode=True,
            sort_keys=False,
        ).rstrip("\n"),
        "comments:",
    ]
    listed = list(gaps)
    facts = list(missing_facts)
    if listed:
        lines.append(_t("gaps", lang))
        for item_id, why in listed:
            lines += [
                f"  # - target: {_one_line(item_id, 40)}  # {_one_line(why)}",
                f"  #   verdict: {ask}",
                '  #   text: ""',
            ]
    if facts:
        lines.append(_t("facts", lang))
        for path in facts:
            lines += [f"  # - target: org:{_one_line(path, 200)}", f"  #   verdict: {ask}", '  #   text: ""']
    if not listed and not facts:
        lines.append(_t("none", lang))
    return "\n".join(lines) + "\n"
