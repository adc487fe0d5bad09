"""YAML files that remember where each value came from, so every error can name file:line:column.

Every antai file is read here, and every one may come from someone else (a pull request, an extension
folder, a profile sent by mail), so the reader refuses what plain ``yaml.safe_load`` lets through:
anchors and aliases (cycles hang a naive walker, alias bombs take minutes), files, values and nesting
beyond fixed limits, impossible dates, explicit tags, several documents and control characters.
YAML 1.1's sexagesimal (``12:30:00``) and old-style octal (``017``) numbers stay text, so that a model
reports a wrong type instead of silently using 45000 or 15.
"""

from __future__ import annotations

import datetime as dt
import difflib
import errno
import gc
import os
import re
import stat
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError
from yaml.reader import ReaderError

try:  # libyaml is much faster; fall back to the pure-Python parser where it is missing
    from yaml._yaml import CParser as _Parser
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _Parser  # type: ignore[assignment]


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with a file, printed as ``file:line:column: message`` (1-based)."""

    file: str
    line: int
    column: int
    message: str  # English; adapters word ``code`` and ``params`` in other languages where they know it
    code: str = field(default="", compare=False)
    params: tuple[tuple[str, str], ...] = field(default=(), compare=False)

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}: {self.message}"

    def param(self, name: str) -> str:
        return dict(self.params).get(name, "")


class SourceError(Exception):
    """Raised with every problem found; ``str()`` lists them one per line."""

    def __init__(self, problems: Sequence[Problem]):
        self.problems = sorted(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


@dataclass(frozen=True)
class Limits:
    """What one antai file may contain. The shipped catalog uses a small fraction of each.

    The biggest shipped file has 62 KB and 3,500 values nested 8 deep, the longest text 2,800 characters;
    an evidence index of 3,000 records has about 80,000 values. Reading 100,000 values takes about 0.4 s,
    so no file within the limits can keep a command busy for long.
    """

    max_bytes: int = 2 * 1024 * 1024
    max_depth: int = 64
    max_scalar_chars: int = 100_000
    max_nodes: int = 100_000


LIMITS = Limits()


@dataclass(frozen=True)
class YamlDocument:
    """A parsed YAML file: its plain data and the node tree that knows positions."""

    path: Path
    display: str
    data: Any
    node: yaml.Node
    # key → (key node, value node) per mapping node, built on first use: error reports look up one
    # path per problem, and a linear scan per step made thousands of problems quadratic
    _keys: dict[int, dict[str, tuple[yaml.Node, yaml.Node]]] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )

    def _entry(self, node: yaml.MappingNode, key: str) -> tuple[yaml.Node, yaml.Node] | None:
        index = self._keys.get(id(node))
        if index is None:
            # reversed, so that the first of two equal keys wins, as the old linear scan did
            index = {k.value: (k, v) for k, v in reversed(node.value) if isinstance(k, yaml.ScalarNode)}
            self._keys[id(node)] = index
        return index.get(key)

    def _child(self, node: yaml.Node, step: str | int) -> yaml.Node | None:
        if isinstance(node, yaml.MappingNode) and isinstance(step, str):
            entry = self._entry(node, step)
            return entry[1] if entry else None
        if isinstance(node, yaml.SequenceNode) and isinstance(step, int) and 0 <= step < len(node.value):
            child: yaml.Node = node.value[step]
            return child
        return None

    def position(self, loc: Iterable[str | int]) -> tuple[int, int]:
        """The 1-based line and column of the value at ``loc``, or of its nearest existing parent.

        ``loc`` may contain steps that are not in the file (pydantic's union tags, a missing field):
        those are skipped, so a missing field points at the mapping that lacks it.
        """
        node = self.node
        for step in loc:
            child = self._child(node, step)
            if child is not None:
                node = child
        return node.start_mark.line + 1, node.start_mark.column + 1

    def key_position(self, loc: Sequence[str | int]) -> tuple[int, int]:
        """Where the key of the last step of ``loc`` is written (for 'unknown field' messages)."""
        if not loc:
            return self.position(loc)
        *parent, last = loc
        node = self.node
        for step in parent:
            child = self._child(node, step)
            if child is not None:
                node = child
        if isinstance(node, yaml.MappingNode) and isinstance(last, str):
            entry = self._entry(node, last)
            if entry is not None:
                return entry[0].start_mark.line + 1, entry[0].start_mark.column + 1
        return self.position(loc)

    def problem(self, loc: Iterable[str | int], message: str, at_key: bool = False) -> Problem:
        line, column = self.key_position(list(loc)) if at_key else self.position(loc)
        return Problem(self.display, line, column, message)

    def shown_path(self, loc: Sequence[str | int]) -> str:
        """The loc as the user wrote it (``applicability.when.any[0].channels``), without pydantic's tags."""
        node: yaml.Node = self.node
        parts: list[str] = []
        for step in loc:
            child = self._child(node, step)
            if child is None:
                continue
            parts.append(f"[{step}]" if isinstance(step, int) else ("." if parts else "") + brief(step))
            node = child
        return "".join(parts)


# --- reading ---------------------------------------------------------------------------------------

_TAG = "tag:yaml.org,2002:"
_STR, _INT, _FLOAT, _BOOL, _NULL = (_TAG + t for t in ("str", "int", "float", "bool", "null"))
_TIMESTAMP, _SEQ, _MAP = (_TAG + t for t in ("timestamp", "seq", "map"))

# YAML 1.1's words, as PyYAML's safe loader reads them; '' is an empty value
_WORDS: dict[str, tuple[str, Any]] = {
    **{w: (_NULL, None) for w in ("", "~", "null", "Null", "NULL")},
    **{w: (_BOOL, True) for w in ("yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON")},
    **{w: (_BOOL, False) for w in ("no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF")},
}
_NUMERIC_START = frozenset("0123456789+-.")
# PyYAML's patterns without the sexagesimal (base 60) forms and without old-style octal (017 = 15)
_INT_RE = re.compile(r"[-+]?(?:0|[1-9][0-9_]*|0x[0-9a-fA-F_]+|0b[01_]+)")
_FLOAT_RE = re.compile(
    r"[-+]?[0-9][0-9_]*\.[0-9_]*(?:[eE][-+][0-9]+)?|\.[0-9][0-9_]*(?:[eE][-+][0-9]+)?"
    r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN)"
)
# as PyYAML: a date alone needs two-digit months and days (2026-1-5 stays text), a date and time not
_TIMESTAMP_RE = re.compile(
    r"(?P<year>[0-9]{4})-(?P<month>[0-9]{2})-(?P<day>[0-9]{2})"
    r"|(?P<year2>[0-9]{4})-(?P<month2>[0-9]{1,2})-(?P<day2>[0-9]{1,2})"
    r"(?:[Tt]|[ \t]+)(?P<hour>[0-9]{1,2}):(?P<minute>[0-9]{2}):(?P<second>[0-9]{2})"
    r"(?:\.(?P<fraction>[0-9]*))?"
    r"(?:[ \t]*(?P<tz>Z|(?P<tz_sign>[-+])(?P<tz_hour>[0-9]{1,2})(?::(?P<tz_minute>[0-9]{2}))?))?"
)
# what YAML itself refuses in a file (PyYAML's reader uses the same set)
_NON_PRINTABLE = re.compile("[^\x09\x0a\x0d\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
# what a double-quoted escape (\e, \x1b, \0 …) can still put into a value: terminal escapes in a
# report or `antai org` output could rewrite what the reader sees
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x84\x86-\x9f]")

# line breaks, other controls and bidi overrides: a key quoted in a message must stay one honest line
_UNSHOWABLE = re.compile("[\x00-\x1f\x7f-\x9f\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def brief(text: str, limit: int = 80) -> str:
    """Text from a file as a message may quote it: one line, escapes visible, at most ``limit`` characters."""
    if len(text) > limit:
        text = text[:limit] + "..."
    return _UNSHOWABLE.sub(lambda m: repr(m.group())[1:-1], text)


_ANCHORS = "anchors and aliases (&name, *name) are not allowed in antai files: write the value out"


class _Fatal(Exception):
    """Stops reading at the first problem after which the rest of the file cannot be trusted."""


def _shown_tag(tag: str) -> str:
    return brief("!!" + tag.removeprefix(_TAG) if tag.startswith(_TAG) else tag)


def _timestamp(value: str, match: re.Match[str]) -> dt.date | dt.datetime:
    """PyYAML's timestamp constructor; ``ValueError`` for a date that does not exist (2027-02-30)."""
    g = match.groupdict()
    if not g["hour"]:
        return dt.date(int(g["year"]), int(g["month"]), int(g["day"]))
    year, month, day = int(g["year2"]), int(g["month2"]), int(g["day2"])
    fraction = int((g["fraction"] or "")[:6].ljust(6, "0"))
    tzinfo: dt.tzinfo | None = None
    if g["tz_sign"]:
        delta = dt.timedelta(hours=int(g["tz_hour"]), minutes=int(g["tz_minute"] or 0))
        tzinfo = dt.timezone(-delta if g["tz_sign"] == "-" else delta)
    elif g["tz"]:
        tzinfo = dt.UTC
    return dt.datetime(year, month, day, int(g["hour"]), int(g["minute"]), int(g["second"]), fraction, tzinfo)


def _plain(value: str) -> tuple[str, Any]:
    """The tag and value of a plain (unquoted) scalar."""
    word = _WORDS.get(value)
    if word is not None:
        return word
    if value[0] not in _NUMERIC_START:
        return _STR, value
    if _INT_RE.fullmatch(value):
        digits = value.replace("_", "")
        sign = -1 if digits[0] == "-" else 1
        digits = digits.lstrip("+-")
        base = {"0x": 16, "0b": 2}.get(digits[:2], 10)
        if base != 10:
            digits = digits[2:]
        if digits and len(digits) <= 1000:  # int() refuses huge numbers; they are not numbers antai uses
            return _INT, sign * int(digits, base)
        return _STR, value
    if _FLOAT_RE.fullmatch(value):
        text = value.replace("_", "").lower()
        if text.endswith(".inf"):
            return _FLOAT, float("-inf") if text[0] == "-" else float("inf")
        if text.endswith(".nan"):
            return _FLOAT, float("nan")
        return _FLOAT, float(text)
    match = _TIMESTAMP_RE.fullmatch(value)
    if match:
        return _TIMESTAMP, match
    return _STR, value


def _position(text: str, index: int) -> tuple[int, int]:
    start = text.rfind("\n", 0, index) + 1
    return text.count("\n", 0, index) + 1, index - start + 1


def _decode(raw: bytes, shown: str) -> str:
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        column = len(raw[raw.rfind(b"\n", 0, exc.start) + 1 : exc.start].decode("utf-8", "replace")) + 1
        byte = f"{raw[exc.start]:02x}"
        message = f"not UTF-8 text (byte 0x{byte}); save the file as UTF-8"
        raise SourceError([Problem(shown, line, column, message, "yaml.not_utf8", (("byte", byte),))]) from None
    return text


def _parse_error(exc: yaml.YAMLError, text: str, shown: str, limits: Limits) -> Problem:
    if isinstance(exc, ReaderError):  # a character YAML does not allow, e.g. NUL in a binary file
        bad = _NON_PRINTABLE.search(text)
        if bad is not None:
            line, column = _position(text, bad.start())
            char = f"U+{ord(bad.group()):04X}"
            message = f"character {char} is not allowed in YAML (is this a binary file?)"
            return Problem(shown, line, column, message, "yaml.bad_character", (("char", char),))
        return Problem(shown, 1, 1, f"invalid YAML: {brief(str(exc), 300)}", "yaml.invalid")
    if isinstance(exc, yaml.MarkedYAMLError):
        mark = exc.problem_mark or exc.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        lines = text.split("\n")
        if mark and mark.line < len(lines) and lines[mark.line][mark.column : mark.column + 1] == "\t":
            return Problem(
                shown, line, column, "invalid YAML: a tab cannot indent or start a value; use spaces", "yaml.tab"
            )
        if "maximum nesting depth" in str(exc.problem):  # libyaml's own limit, met when brackets never close
            return Problem(shown, line, column, _too_deep(limits), "yaml.too_deep", (("limit", str(limits.max_depth)),))
        what = " ".join(part for part in (exc.context, exc.problem) if part)
        return Problem(shown, line, column, f"invalid YAML: {brief(what, 300)}", "yaml.invalid")
    return Problem(shown, 1, 1, f"invalid YAML: {brief(str(exc), 300)}", "yaml.invalid")


def _too_deep(limits: Limits) -> str:
    return f"nested deeper than {limits.max_depth} levels (the limit for antai files)"


class _Composer:
    """Builds the node tree and the plain data in one pass over the parser's events.

    PyYAML's composer and constructor follow aliases and know no limits; working on events lets us
    stop at the first anchor, at the depth limit or at the node limit before doing any more work.
    """

    def __init__(self, text: str, shown: str, limits: Limits):
        self.text = text
        self.shown = shown
        self.limits = limits
        self.problems: list[Problem] = []

    def _at(self, mark: Any, message: str, code: str = "", **params: str) -> Problem:
        return Problem(self.shown, mark.line + 1, mark.column + 1, message, code, tuple(sorted(params.items())))

    def _fatal(self, mark: Any, message: str, code: str = "", **params: str) -> _Fatal:
        self.problems.append(self._at(mark, message, code, **params))
        return _Fatal()

    def _scalar(self, event: Any) -> tuple[str, Any]:
        """The tag and value of a scalar that is not plain text (the common case is in :meth:`compose`)."""
        value: str = event.value
        if len(value) > self.limits.max_scalar_chars:
            raise self._fatal(
                event.start_mark,
                f"a value longer than {self.limits.max_scalar_chars:,} characters (the limit for one value)",
                "yaml.value_too_long",
                limit=f"{self.limits.max_scalar_chars:,}",
            )
        tag: str | None = event.tag
        data: Any
        if tag is None or tag == "!":
            tag, data = _plain(value) if event.implicit[0] else (_STR, value)
        elif tag == _STR:
            data = value
        else:
            shown_tag = _shown_tag(tag)
            message = f"the tag {shown_tag} is not allowed in antai files"
            self.problems.append(self._at(event.start_mark, message, "yaml.tag", tag=shown_tag))
            tag, data = _STR, value
        if tag == _TIMESTAMP:
            try:
                data = _timestamp(value, data)
            except (ValueError, OverflowError):
                kind = "date" if data.group("hour") is None else "date and time"
                self.problems.append(
                    self._at(event.start_mark, f"{value} is not a real {kind}", "yaml.unreal_date", value=value)
                )
                tag, data = _STR, value
        elif event.style == '"':
            bad = _CONTROL.search(value)
            if bad is not None:
                char = f"U+{ord(bad.group()):04X}"
                message = f"control character {char} is not allowed in a value"
                self.problems.append(self._at(event.start_mark, message, "yaml.control_character", char=char))
        return tag, data

    def _collection_tag(self, event: Any, default: str) -> str:
        tag: str | None = event.tag
        if tag is None or tag == "!" or tag == default:
            return default
        shown_tag = _shown_tag(tag)
        message = f"the tag {shown_tag} is not allowed in antai files"
        self.problems.append(self._at(event.start_mark, message, "yaml.tag", tag=shown_tag))
        return default

    def compose(self, parser: Any) -> tuple[yaml.Node, Any] | None:
        get = parser.get_event
        get()  # stream start
        if type(get()) is yaml.StreamEndEvent:
            return None
        # this loop runs once per event of every file read (~60,000 for the catalog): locals are faster
        scalar_event, mapping_start, sequence_start = yaml.ScalarEvent, yaml.MappingStartEvent, yaml.SequenceStartEvent
        ends = (yaml.MappingEndEvent, yaml.SequenceEndEvent)
        scalar_node, words, numeric_start = yaml.ScalarNode, _WORDS, _NUMERIC_START
        max_nodes, max_depth, max_chars = self.limits.max_nodes, self.limits.max_depth, self.limits.max_scalar_chars
        nodes = 0
        # each open collection: [node, data, pending key node (mappings), its value, keys seen → line]
        stack: list[list[Any]] = []
        parent: list[Any] | None = None
        root: tuple[yaml.Node, Any] | None = None
        while True:
            event = get()
            kind = type(event)
            if kind in ends:
                stack.pop()[0].end_mark = event.end_mark
                parent = stack[-1] if stack else None
                continue
            if kind is yaml.DocumentEndEvent:
                break
            if kind is yaml.AliasEvent or event.anchor is not None:
                raise self._fatal(event.start_mark, _ANCHORS, "yaml.anchors")
            nodes += 1
            if nodes > max_nodes:
                raise self._fatal(
                    event.start_mark,
                    f"more than {max_nodes:,} values in one file (the limit for antai files)",
                    "yaml.too_many_values",
                    limit=f"{max_nodes:,}",
                )
            node: yaml.Node
            data: Any
            if kind is scalar_event:
                value = event.value
                if event.tag is None and event.implicit[0] and len(value) <= max_chars:
                    word = words.get(value)
                    if word is not None:
                        tag, data = word
                    elif value[0] in numeric_start:
                        tag, data = self._scalar(event)
                    else:
                        tag, data = _STR, value
                else:
                    tag, data = self._scalar(event)
                node = scalar_node(tag, value, event.start_mark, event.end_mark, style=event.style)
                if parent is None:
                    root = (node, data)
                elif parent[4] is None:
                    parent[0].value.append(node)
                    parent[1].append(data)
                elif parent[2] is None:
                    self._key(parent, node, data, event)
                else:
                    parent[0].value.append((parent[2], node))
                    parent[1][parent[3]] = data
                    parent[2] = None
                continue
            if len(stack) >= max_depth:
                raise self._fatal(event.start_mark, _too_deep(self.limits), "yaml.too_deep", limit=str(max_depth))
            if kind is mapping_start:
                tag = self._collection_tag(event, _MAP)
                node, data = yaml.MappingNode(tag, [], event.start_mark, None, flow_style=event.flow_style), {}
            elif kind is sequence_start:
                tag = self._collection_tag(event, _SEQ)
                node, data = yaml.SequenceNode(tag, [], event.start_mark, None, flow_style=event.flow_style), []
            else:  # pragma: no cover - the parser emits no other event inside a document
                raise self._fatal(event.start_mark, f"unexpected YAML event {kind.__name__}")
            if parent is None:
                root = (node, data)
            elif parent[4] is None:
                parent[0].value.append(node)
                parent[1].append(data)
            elif parent[2] is None:
                raise self._fatal(
                    event.start_mark, "a key must be a single value, not a list or a mapping", "yaml.complex_key"
                )
            else:
                parent[0].value.append((parent[2], node))
                parent[1][parent[3]] = data
                parent[2] = None
            parent = [node, data, None, None, {} if kind is mapping_start else None]
            stack.append(parent)
        event = get()
        if type(event) is not yaml.StreamEndEvent:
            raise self._fatal(
                event.start_mark,
                "a second YAML document starts here; an antai file holds exactly one",
                "yaml.second_document",
            )
        return root

    def _key(self, parent: list[Any], node: yaml.ScalarNode, data: Any, event: Any) -> None:
        seen: dict[Any, int] = parent[4]
        if node.value == "<<" and node.tag == _STR and event.implicit[0]:
            self.problems.append(
                self._at(event.start_mark, "merge keys (<<) are not allowed in antai files", "yaml.merge_key")
            )
        if data in seen:
            self.problems.append(
                self._at(
                    event.start_mark,
                    f"duplicate key '{brief(node.value)}' (first on line {seen[data]})",
                    "yaml.duplicate_key",
                    key=brief(node.value),
                    first=str(seen[data]),
                )
            )
        else:
            seen[data] = event.start_mark.line + 1
        parent[2], parent[3] = node, data


@contextmanager
def _paused_gc() -> Iterator[None]:
    """The trees we build hold no cycles, but their many live objects trigger full collections that
    made a large file take four times as long (quadratic in its size); collection resumes afterwards."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()


def load_yaml_text(
    text: str | bytes, display: str, *, path: Path | None = None, limits: Limits = LIMITS
) -> YamlDocument:
    """Parse YAML held in memory (bytes are decoded as UTF-8); problems name ``display`` as the file."""
    if isinstance(text, str):
        try:
            raw = text.encode("utf-8")
        except UnicodeEncodeError as exc:  # a lone surrogate: no file can hold it
            line, column = _position(text, exc.start)
            message = f"character U+{ord(text[exc.start]):04X} is not allowed in YAML"
            raise SourceError([Problem(display, line, column, message)]) from None
    else:
        raw = text
    if len(raw) > limits.max_bytes:
        raise SourceError([_too_big(display, len(raw), limits)])
    text = _decode(raw, display)
    if text.startswith("\ufeff"):
        text = text[1:]
    if "\r" in text:  # as Python's text mode does, so CRLF files read exactly like LF ones
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    composer = _Composer(text, display, limits)
    parser = None
    try:
        parser = _Parser(text)  # the pure-Python reader checks characters here already
        with _paused_gc():
            root = composer.compose(parser)
    except _Fatal:
        raise SourceError(composer.problems) from None
    except yaml.YAMLError as exc:
        raise SourceError([*composer.problems, _parse_error(exc, text, display, limits)]) from None
    finally:
        if parser is not None:
            parser.dispose()
    if root is None:
        raise SourceError([Problem(display, 1, 1, "the file is empty", "yaml.empty")])
    if composer.problems:
        raise SourceError(composer.problems)
    node, data = root
    return YamlDocument(path if path is not None else Path(display), display, data, node)


def _too_big(shown: str, size: int, limits: Limits) -> Problem:
    message = f"the file has {size:,} bytes; an antai file may have at most {limits.max_bytes:,}"
    return Problem(shown, 1, 1, message, "yaml.too_big", (("limit", f"{limits.max_bytes:,}"), ("size", f"{size:,}")))


def load_yaml(path: Path, display: str | None = None, *, limits: Limits = LIMITS) -> YamlDocument:
    """Parse one YAML file; raise :class:`SourceError` with line-precise problems if it is not usable."""
    shown = display or str(path)
    try:
        with path.open("rb") as stream:
            # stat first so a huge file is never read; the bounded read also stops pipes and devices
            size = _regular_size(stream)
            if size is not None and size > limits.max_bytes:
                raise SourceError([_too_big(shown, size, limits)])
            raw = stream.read(limits.max_bytes + 1)
    except OSError as exc:
        reason = errno.errorcode.get(exc.errno or 0, "")
        problem = Problem(shown, 1, 1, f"cannot read: {exc.strerror or exc}", "yaml.unreadable", (("errno", reason),))
        raise SourceError([problem]) from None
    if len(raw) > limits.max_bytes:
        message = f"the file has more than {limits.max_bytes:,} bytes (the limit)"
        raise SourceError([Problem(shown, 1, 1, message, "yaml.too_big", (("limit", f"{limits.max_bytes:,}"),))])
    return load_yaml_text(raw, shown, path=path, limits=limits)


def _regular_size(stream: Any) -> int | None:
    info = os.fstat(stream.fileno())
    return info.st_size if stat.S_ISREG(info.st_mode) else None


# --- validation ------------------------------------------------------------------------------------


def model_fields(model: type[BaseModel], seen: set[type[BaseModel]] | None = None) -> set[str]:
    """All field names of a model and the models it contains (for 'did you mean' suggestions)."""
    seen = seen if seen is not None else set()
    if model in seen:
        return set()
    seen.add(model)
    names = set(model.model_fields)
    for info in model.model_fields.values():
        for sub in _nested_models(info.annotation):
            names |= model_fields(sub, seen)
    return names


def _nested_models(annotation: Any) -> Iterable[type[BaseModel]]:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        yield annotation
    for arg in getattr(annotation, "__args__", ()) or ():
        yield from _nested_models(arg)
    origin = getattr(annotation, "__origin__", None)
    if origin is not None and origin is not annotation:
        yield from _nested_models(origin)


_SUGGESTIONS = 50  # difflib costs up to a millisecond per name: a file of unknown keys must not take minutes
MAX_PROBLEMS = 200  # per file; nobody reads more, and each costs a lookup


def validation_problems(doc: YamlDocument, error: ValidationError, known: Sequence[str]) -> list[Problem]:
    problems = []
    suggested = 0
    errors = error.errors(include_url=False)
    for err in errors[:MAX_PROBLEMS]:
        loc = err["loc"]
        shown = doc.shown_path(loc)
        kind = err["type"]
        params: dict[str, str] = {"path": shown}
        if kind == "missing":
            params["field"] = brief(str(loc[-1]))
            message = f"missing required field '{params['field']}'"
            if shown:
                message += f" in '{shown}'"
        elif kind == "extra_forbidden":
            name = str(loc[-1])
            params["field"] = brief(name)
            message = f"unknown field '{brief(name)}'"
            if suggested < _SUGGESTIONS and len(name) <= 80:
                suggested += 1
                close = difflib.get_close_matches(name, known, n=1, cutoff=0.7)
                if close:
                    params["suggestion"] = close[0]
                    message += f" (did you mean '{close[0]}'?)"
        else:
            text = err["msg"]
            text = brief(re.sub(r"^Value error, ", "", text), 500)
            message = f"{shown}: {text}" if shown else text
            params["text"] = text
            params.update((str(k), brief(str(v), 500)) for k, v in (err.get("ctx") or {}).items())
        problem = doc.problem(loc, message, at_key=kind == "extra_forbidden")
        problems.append(replace(problem, code=f"value.{kind}", params=tuple(sorted(params.items()))))
    if len(errors) > MAX_PROBLEMS:
        end = doc.node.end_mark or doc.node.start_mark
        more = len(errors) - MAX_PROBLEMS
        problems.append(
            Problem(
                doc.display,
                end.line + 1,
                end.column + 1,
                f"and {more:,} more problems in this file (the first {MAX_PROBLEMS} are shown)",
                code="yaml.more_problems",
                params=(("more", f"{more:,}"), ("shown", str(MAX_PROBLEMS))),
            )
        )
    return problems


def _shown_path(doc: YamlDocument, loc: Sequence[str | int]) -> str:
    return doc.shown_path(loc)


_KINDS = {dict: "a mapping", list: "a list", str: "text", bool: "true/false", int: "a number", float: "a number"}


def _kind(value: Any) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, dt.date):
        return "a date"
    return _KINDS.get(type(value), type(value).__name__)


M = TypeVar("M", bound=BaseModel)


def validate_model(doc: YamlDocument, model: type[M]) -> M:
    """``doc`` as one ``model``; raise :class:`SourceError` with line-precise problems otherwise."""
    if not isinstance(doc.data, dict):
        # a document of nothing but `---` has its null value after the marker: point at the start instead
        line, column = doc.position([]) if doc.data is not None else (1, 1)
        message = f"expected a mapping of fields, found {_kind(doc.data)}"
        found = "nothing" if doc.data is None else "list" if isinstance(doc.data, list) else "value"
        raise SourceError([Problem(doc.display, line, column, message, "yaml.not_mapping", (("found", found),))])
    try:
        with _paused_gc():
            return model.model_validate(doc.data)
    except ValidationError as exc:
        with _paused_gc():
            problems = validation_problems(doc, exc, sorted(model_fields(model)))
        raise SourceError(problems) from None


def load_model(path: Path, model: type[M], display: str | None = None, *, limits: Limits = LIMITS) -> M:
    """Parse ``path`` as one ``model``; raise :class:`SourceError` with line-precise problems otherwise."""
    return validate_model(load_yaml(path, display, limits=limits), model)


def load_model_text(text: str | bytes, model: type[M], display: str, *, limits: Limits = LIMITS) -> M:
    """Like :func:`load_model` for YAML held in memory."""
    return validate_model(load_yaml_text(text, display, limits=limits), model)
