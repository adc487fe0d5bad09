"""A streaming JSON reader that knows where it is: scanners' files of any size in bounded memory.

The importers walk the outer structure of a file (``runs[].results[]``, ``Results[].Vulnerabilities[]``)
with :meth:`JsonReader.members` and :meth:`JsonReader.elements`, and read each leaf — one finding, one
result, one rule — as a whole with :meth:`JsonReader.value`. No value bigger than
:data:`MAX_VALUE` bytes is ever held, skipped parts are skipped piece by piece, and every problem names the
line and column where it is (Python's own JSON decoder finds the exact spot).

Arrays of many objects (a Prowler file is one array of hundreds of thousands of findings) go through
:meth:`JsonReader.objects`, which reads them in batches: it cuts the buffer after a ``},`` and asks
a fast JSON parser (msgspec, else pydantic's) for just the fields the importer declared. The cut is right when
``[`` + the text + ``]`` parses, because a cut inside a string or a nested value leaves it unbalanced;
when a batch does not parse, or an importer refuses one of its objects, the same text is read again one
object at a time, which finds the problem's position (or reads what the fast parser refuses, such
as ``NaN``). Both ways give the same objects.
"""

from __future__ import annotations

import codecs
import json
import re
from collections.abc import Callable, Iterator
from typing import Any, TypeVar

from antai.catalog.yamlsource import SourceError
from antai.importers.source import CHUNK, InputFile, fail

T = TypeVar("T")

MAX_VALUE = 16 * 1024 * 1024  # the biggest single value (one finding, result or rule) read at once
BATCH = 1 << 20  # bytes of objects parsed at once by the batch reader
_SKIP_DEPTH = 6  # values nested deeper than this are skipped as one value (still at most MAX_VALUE)
_WS = re.compile(rb"[ \t\r\n]*")
_NEXT_OBJECT = re.compile(rb"[ \t\r\n]*\{")
_UTF16 = re.compile(rb"[\t\n\r -~]\x00[\t\n\r -~]\x00|\x00[\t\n\r -~]\x00[\t\n\r -~]")
_DECODER = json.JSONDecoder()
_raw_decode = _DECODER.raw_decode

# Python's JSON messages → a reason the CLI words in other languages
_REASONS = (
    ("Expecting property name", "key"),
    ("Expecting ':'", "colon"),
    ("Expecting ','", "comma"),
    ("Expecting value", "value"),
    ("Unterminated string", "string"),
    ("Invalid control character", "control"),
    ("Invalid \\escape", "escape"),
    ("Invalid \\u", "escape"),
    ("Extra data", "extra"),
)


class Refused(Exception):
    """Raised by an importer's converter: this object is not what the format says (``code``, English text)."""

    def __init__(self, message: str, code: str = "shape", /, **params: object) -> None:
        super().__init__(message)
        self.message = message
        self.code = code
        self.params = params


def kind_of(value: object) -> str:
    """How a message names a JSON value's type."""
    if isinstance(value, dict):
        return "an object"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, str):
        return "text"
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true/false"
    return "a number"


class JsonReader:
    """One pass over a JSON file. Positions are the cursor's; every method leaves it after what it read."""

    def __init__(self, source: InputFile) -> None:
        self.source = source
        self.display = source.display
        self.buf = b""
        self.pos = 0  # cursor, an index into buf
        self.base = 0  # the file offset of buf[0]
        self.lines = 0  # line breaks before buf[0]
        self.column_chars = 0  # characters between the last line break before buf[0] and buf[0]
        self.eof = False
        self._started = False

    # --- buffer ------------------------------------------------------------------------------------

    def _fill(self, need: int) -> None:
        """Make at least ``need`` bytes available after the cursor (fewer only at the end of the file)."""
        if len(self.buf) - self.pos >= need or self.eof:
            return
        if self.pos:
            gone = self.buf[: self.pos]
            breaks = gone.count(b"\n")
            if breaks:
                self.lines += breaks
                tail = gone[gone.rfind(b"\n") + 1 :]
                self.column_chars = 0
            else:
                tail = gone
            self.column_chars += len(tail) if tail.isascii() else len(tail.decode("utf-8", "replace"))
            self.buf = self.buf[self.pos :]
            self.base += self.pos
            self.pos = 0
        parts = [self.buf]
        have = len(self.buf)
        while have < need:
            data = self.source.read(max(CHUNK, need - have))
            if not data:
                self.eof = True
                break
            parts.append(data)
            have += len(data)
        self.buf = b"".join(parts)

    def _start(self) -> None:
        if self._started:
            return
        self._started = True
        self._fill(4)
        head = self.buf[:4]
        if head.startswith(codecs.BOM_UTF8):
            self.pos = 3
            self.column_chars = -1  # the mark is no character of the text
        elif head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) or _UTF16.match(head):
            raise fail(self.display, 1, 1, "UTF-16 text: save the scanner's output as UTF-8", "utf16")

    def peek(self) -> bytes:
        """The next byte after white space (``b""`` at the end of the file)."""
        self._start()
        while True:
            self._fill(1)
            end = _WS.match(self.buf, self.pos).end()  # type: ignore[union-attr]
            self.pos = end
            if end < len(self.buf):
                return self.buf[end : end + 1]
            if self.eof:
                return b""
            self._fill(len(self.buf) - self.pos + CHUNK)

    # --- positions and problems --------------------------------------------------------------------

    def position(self, index: int | None = None) -> tuple[int, int]:
        """The 1-based line and column (in characters) of buffer index ``index`` (default: the cursor)."""
        at = self.pos if index is None else index
        head = self.buf[:at]
        breaks = head.count(b"\n")
        if breaks:
            start = head.rfind(b"\n") + 1
            return self.lines + breaks + 1, len(head[start:].decode("utf-8", "replace")) + 1
        return self.lines + 1, self.column_chars + len(head.decode("utf-8", "replace")) + 1

    def refuse(self, message: str, code: str, index: int | None = None, /, **params: object) -> SourceError:
        line, column = self.position(index)
        return fail(self.display, line, column, message, code, **params)

    def _unexpected(self, wanted: str) -> SourceError:
        found = self.peek()
        if not found:
            return self.refuse(f"the file ends early: expected {wanted}", "truncated")
        shown = found.decode("latin-1")
        if found[0] >= 0x80 or found[0] < 0x20:
            byte = f"{found[0]:02x}"
            return self.refuse(
                f"expected {wanted}, found the byte 0x{byte} (is this a binary file?)", "binary", byte=byte
            )
        return self.refuse(f"expected {wanted}, found '{shown}'", "invalid", reason="value")

    def expect(self, char: bytes, wanted: str) -> None:
        if self.peek() != char:
            raise self._unexpected(wanted)
        self.pos += 1

    # --- values ------------------------------------------------------------------------------------

    def value(self, limit: int = MAX_VALUE) -> Any:
        """Read the next value whole (at most ``limit`` bytes)."""
        if not self.peek():
            raise self._unexpected("a value")
        size = 1 << 13
        while True:
            self._fill(size)
            window = self.buf[self.pos : self.pos + size]
            whole = self.eof and self.pos + size >= len(self.buf)  # the window reaches the end of the file
            try:
                text, used = codecs.utf_8_decode(window, "strict", whole)
            except UnicodeDecodeError as exc:
                byte = f"{window[exc.start]:02x}"
                raise self.refuse(
                    f"not UTF-8 text (byte 0x{byte}): save the scanner's output as UTF-8",
                    "not_utf8",
                    self.pos + exc.start,
                    byte=byte,
                ) from None
            try:
                obj, end = _raw_decode(text)
            except json.JSONDecodeError as exc:
                near_end = exc.pos >= len(text) - 8 or exc.msg.startswith("Unterminated string")
                if not whole and near_end:
                    if size >= limit:
                        raise self._too_big(limit) from None
                    size = min(limit, size * 4)
                    continue
                raise self._json_error(exc, text) from None
            except RecursionError:
                raise self.refuse("nested too deeply to read", "too_deep") from None
            except ValueError as exc:  # an integer of more than 4,300 digits
                raise self.refuse(f"invalid JSON: {exc}", "invalid", reason="number") from None
            if end == len(text) and not whole:  # a number may go on after the window
                if size >= limit:
                    raise self._too_big(limit)
                size = min(limit, size * 4)
                continue
            self.pos += end if used == len(text) else len(text[:end].encode("utf-8"))
            return obj

    def _too_big(self, limit: int) -> SourceError:
        mib = f"{limit // (1024 * 1024)} MiB"
        return self.refuse(f"a single value larger than {mib} (the limit for one finding)", "too_big", limit=mib)

    def _json_error(self, exc: json.JSONDecodeError, text: str) -> SourceError:
        index = self.pos + len(text[: exc.pos].encode("utf-8"))
        if exc.pos >= len(text) and self.eof:
            return self.refuse("the file ends early (is it cut off?)", "truncated", index)
        reason = next((code for prefix, code in _REASONS if exc.msg.startswith(prefix)), "other")
        return self.refuse(f"invalid JSON: {exc.msg}", "invalid", index, reason=reason)

    def skip(self, depth: int = 0) -> None:
        """Step over the next value, piece by piece for big lists and objects."""
        first = self.peek()
        if first == b"{" and depth < _SKIP_DEPTH:
            for _ in self.members():
                self.skip(depth + 1)
        elif first == b"[" and depth < _SKIP_DEPTH:
            for _ in self.elements():
                self.skip(depth + 1)
        else:
            self.value()

    def text(self, limit: int = 1 << 16) -> str | None:
        """The next value when it is text (else None; the value is read either way)."""
        found = self.value(limit)
        return found if isinstance(found, str) else None

    # --- structure ---------------------------------------------------------------------------------

    def members(self, what: str = "an object") -> Iterator[str]:
        """Each key of the object at the cursor, with the cursor on its value: the caller reads the value."""
        if self.peek() != b"{":
            raise self._unexpected(what)
        self.pos += 1
        if self.peek() == b"}":
            self.pos += 1
            return
        while True:
            if self.peek() != b'"':
                raise self._unexpected("a key in double quotes")
            key = self.value(1 << 16)
            self.expect(b":", "':' after a key")
            self.peek()
            before = self.base + self.pos
            yield key
            if self.base + self.pos == before:  # the caller did not read the value
                self.skip()
            after = self.peek()
            if after == b",":
                self.pos += 1
                continue
            if after == b"}":
                self.pos += 1
                return
            raise self._unexpected("',' or '}'")

    def elements(self, what: str = "a list") -> Iterator[int]:
        """Each index of the list at the cursor, with the cursor on its element: the caller reads it."""
        if self.peek() != b"[":
            raise self._unexpected(what)
        self.pos += 1
        if self.peek() == b"]":
            self.pos += 1
            return
        index = 0
        while True:
            self.peek()
            before = self.base + self.pos
            yield index
            if self.base + self.pos == before:
                self.skip()
            index += 1
            after = self.peek()
            if after == b",":
                self.pos += 1
                continue
            if after == b"]":
                self.pos += 1
                return
            raise self._unexpected("',' or ']'")

    def objects(
        self,
        convert: Callable[[Any], T],
        parse_batch: Callable[[bytes], list[Any]] | None = None,
        what: str = "a list",
    ) -> Iterator[T]:
        """``convert`` of each element of the list at the cursor, in order.

        ``parse_batch`` parses ``[…]`` text into a list of objects holding at least the fields ``convert``
        reads (a pydantic TypeAdapter's ``validate_json``); it may raise anything to say "not this way".
        ``convert`` raises :class:`Refused` for an element that is not what the format says: the problem
        names that element's position.
        """
        if self.peek() != b"[":
            raise self._unexpected(what)
        self.pos += 1
        if self.peek() == b"]":
            self.pos += 1
            return
        slow_until = -1  # after a batch fails, read one by one up to the end of that batch
        while True:
            if parse_batch is not None and self.base + self.pos >= slow_until:
                batch = self._batch(convert, parse_batch)
                if batch is not None:
                    yield from batch
                    continue
                slow_until = self.base + self.pos + BATCH
            start = self.pos
            found = self.value()
            try:
                converted = convert(found)
            except Refused as exc:
                raise self.refuse(exc.message, exc.code, start, **exc.params) from None
            yield converted
            after = self.peek()
            if after == b",":
                self.pos += 1
                continue
            if after == b"]":
                self.pos += 1
                return
            raise self._unexpected("',' or ']'")

    def _batch(self, convert: Callable[[Any], T], parse_batch: Callable[[bytes], list[Any]]) -> list[T] | None:
        """Convert the objects up to the last ``},`` in the next :data:`BATCH` bytes; None if that fails."""
        self._fill(BATCH)
        cut = self.buf.rfind(b"},", self.pos, self.pos + BATCH)
        while cut >= 0 and _NEXT_OBJECT.match(self.buf, cut + 2) is None:  # not followed by an object
            cut = self.buf.rfind(b"},", self.pos, cut)
        if cut < 0:
            return None
        try:
            parsed = parse_batch(b"[" + self.buf[self.pos : cut + 1] + b"]")
            converted = [convert(found) for found in parsed]
        except Exception:  # the exact reader says what is wrong, and where
            return None
        self.pos = cut + 2
        return converted

    def end(self) -> None:
        """Nothing but white space may follow the top-level value; the rest of the file is hashed."""
        if self.peek():
            raise self.refuse("more data after the end of the JSON document", "invalid", reason="extra")
        self.source.drain()
