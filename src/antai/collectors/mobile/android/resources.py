"""Looking up a few resource IDs in an APK's compiled resource table (``resources.arsc``), within bounds.

The manifest names its network security config and backup rules by resource ID (``@xml/…`` compiles to
``0x7f…``), and a release build may shrink the files' names (``res/xml/network_security_config.xml`` becomes
``res/Xy.xml``), so the ID has to be resolved in the table. androguard's ``ARSCParser`` reads the whole
table into objects first (3.4 s for the 31 MB table of framework-res.apk); this walks only the chunks that
can hold the asked entries, checks every offset against the chunk that holds it, and decodes only the
strings it returns.

Format: frameworks/base/libs/androidfw/include/androidfw/ResourceTypes.h (ResTable_header, ResStringPool,
ResTable_package, ResTable_type with its dense, 16-bit and sparse entry offsets, full and compact entries).
"""

from __future__ import annotations

import struct
from dataclasses import dataclass

__all__ = ["ResourceError", "StringPool", "Value", "lookup"]

RES_STRING_POOL = 0x0001
RES_TABLE = 0x0002
RES_TABLE_PACKAGE = 0x0200
RES_TABLE_TYPE = 0x0201

TYPE_REFERENCE = 0x01
TYPE_STRING = 0x03
TYPE_INT_DEC = 0x10
TYPE_INT_HEX = 0x11
TYPE_INT_BOOLEAN = 0x12

_FLAG_SPARSE = 0x01
_FLAG_OFFSET16 = 0x02
_ENTRY_COMPLEX = 0x0001
_ENTRY_COMPACT = 0x0008
_UTF8 = 0x100
MAX_CHUNKS = 200_000  # chunks looked at per lookup; a real table has a few thousand
MAX_STRING = 64 * 1024  # characters of one decoded string
MAX_REFERENCES = 8  # a value that is a reference to a reference…


class ResourceError(ValueError):
    """The table is malformed where the lookup had to read it."""


@dataclass(frozen=True, slots=True)
class Value:
    """One configuration's value of a resource: ``kind`` is the Res_value data type, ``data`` its 32 bits,
    ``text`` the string for a string value; ``default`` says whether the configuration is the default one."""

    kind: int
    data: int
    text: str | None
    default: bool

    @property
    def boolean(self) -> bool | None:
        return bool(self.data) if self.kind == TYPE_INT_BOOLEAN else None


def _u16(data: bytes | memoryview, at: int) -> int:
    return int(struct.unpack_from("<H", data, at)[0])


def _u32(data: bytes | memoryview, at: int) -> int:
    return int(struct.unpack_from("<I", data, at)[0])


def _chunk(data: bytes, at: int, end: int) -> tuple[int, int, int]:
    """(type, header size, size) of the chunk at ``at``, which must fit before ``end``."""
    if at < 0 or at + 8 > end:
        raise ResourceError(f"chunk header at {at} runs past {end}")
    kind, header, size = struct.unpack_from("<HHI", data, at)
    if header < 8 or size < header or at + size > end:
        raise ResourceError(f"chunk at {at}: header {header}, size {size} do not fit in {end - at} bytes")
    return int(kind), int(header), int(size)


class StringPool:
    """A ResStringPool chunk; strings are decoded when asked for."""

    def __init__(self, data: bytes, at: int, end: int) -> None:
        kind, header, size = _chunk(data, at, end)
        if kind != RES_STRING_POOL or header < 28:
            raise ResourceError("not a string pool")
        self._data = data
        self._end = at + size
        self.count = _u32(data, at + 8)
        self._utf8 = bool(_u32(data, at + 16) & _UTF8)
        self._offsets = at + header
        self._strings = at + _u32(data, at + 20)
        if self._offsets + 4 * self.count > self._end or self._strings > self._end:
            raise ResourceError("string pool offsets run past the chunk")

    def get(self, index: int) -> str:
        if not 0 <= index < self.count:
            raise ResourceError(f"string {index} of {self.count}")
        at = self._strings + _u32(self._data, self._offsets + 4 * index)
        if at >= self._end:
            raise ResourceError(f"string {index} starts past the pool")
        data = self._data
        if self._utf8:
            at = self._skip_length8(at)  # the length in UTF-16 units
            length, at = self._length8(at)
            raw = data[at : at + min(length, MAX_STRING * 4)]
            if at + len(raw) > self._end:
                raise ResourceError(f"string {index} runs past the pool")
            return raw.decode("utf-8", errors="replace")
        if at + 2 > self._end:
            raise ResourceError(f"string {index} runs past the pool")
        length = _u16(data, at)
        at += 2
        if length & 0x8000:
            if at + 2 > self._end:
                raise ResourceError(f"string {index} runs past the pool")
            length = ((length & 0x7FFF) << 16) | _u16(data, at)
            at += 2
        length = min(length, MAX_STRING)
        if at + 2 * length > self._end:
            raise ResourceError(f"string {index} runs past the pool")
        return data[at : at + 2 * length].decode("utf-16-le", errors="replace")

    def _skip_length8(self, at: int) -> int:
        return self._length8(at)[1]

    def _length8(self, at: int) -> tuple[int, int]:
        if at + 1 > self._end:
            raise ResourceError("string length runs past the pool")
        length = self._data[at]
        at += 1
        if length & 0x80:
            if at + 1 > self._end:
                raise ResourceError("string length runs past the pool")
            length = ((length & 0x7F) << 8) | self._data[at]
            at += 1
        return length, at


def lookup(table: bytes, res_id: int) -> list[Value]:
    """Every configuration's value of ``res_id`` (default configuration first); [] when the table has no
    such entry, or when it is a complex (bag) entry. A reference is followed to the value it names, in the
    same configuration or the default one. Raises :class:`ResourceError` when the table is malformed."""
    return _lookup(table, res_id, 0)


def _lookup(table: bytes, res_id: int, depth: int) -> list[Value]:
    kind, header, size = _chunk(table, 0, len(table))
    if kind != RES_TABLE:
        raise ResourceError("not a resource table")
    package_id, type_id, entry = res_id >> 24, (res_id >> 16) & 0xFF, res_id & 0xFFFF
    strings: StringPool | None = None
    found: list[tuple[bool, int, int]] = []  # (default config, kind, data)
    at, end, seen = header, size, 0
    while at + 8 <= end:
        kind, _, chunk_size = _chunk(table, at, end)
        seen += 1
        if kind == RES_STRING_POOL and strings is None:
            strings = StringPool(table, at, end)
        elif kind == RES_TABLE_PACKAGE and chunk_size >= 12 and _u32(table, at + 8) == package_id:
            seen = _package(table, at, at + chunk_size, type_id, entry, found, seen)
        if seen > MAX_CHUNKS:
            raise ResourceError(f"more than {MAX_CHUNKS} chunks")
        at += chunk_size
    found.sort(key=lambda f: not f[0])
    values = []
    for default, value_kind, data in found:
        if value_kind == TYPE_STRING:
            if strings is None:
                raise ResourceError("a string value but no string pool")
            values.append(Value(value_kind, data, strings.get(data), default))
        elif value_kind == TYPE_REFERENCE and data and data != res_id and depth < MAX_REFERENCES:
            target = _lookup(table, data, depth + 1)
            values.extend(Value(v.kind, v.data, v.text, default) for v in target[:1])
        else:
            values.append(Value(value_kind, data, None, default))
    return values


def _package(
    table: bytes, start: int, end: int, type_id: int, entry: int, found: list[tuple[bool, int, int]], seen: int
) -> int:
    _, header, _ = _chunk(table, start, end)
    at = start + header
    while at + 8 <= end:
        kind, chunk_header, chunk_size = _chunk(table, at, end)
        seen += 1
        if seen > MAX_CHUNKS:
            raise ResourceError(f"more than {MAX_CHUNKS} chunks")
        if kind == RES_TABLE_TYPE and chunk_header >= 20 and table[at + 8] == type_id:
            value = _entry(table, at, chunk_header, chunk_size, entry)
            if value is not None:
                found.append(value)
        at += chunk_size
    return seen


def _entry(table: bytes, at: int, header: int, size: int, index: int) -> tuple[bool, int, int] | None:
    """(default config, data type, data) of entry ``index`` in the ResTable_type chunk at ``at``."""
    flags = table[at + 9]
    count = _u32(table, at + 12)
    entries = at + _u32(table, at + 16)
    end = at + size
    config_size = _u32(table, at + 20) if header >= 24 else 0
    config = table[at + 24 : at + 20 + min(config_size, header - 20)] if config_size >= 4 else b""
    default = not any(config)
    offsets = at + header
    offset: int | None = None
    if flags & _FLAG_SPARSE:
        if offsets + 4 * count > end:
            raise ResourceError("sparse entry index runs past its chunk")
        low, high = 0, count - 1
        while low <= high:  # sorted by entry index
            middle = (low + high) // 2
            idx = _u16(table, offsets + 4 * middle)
            if idx == index:
                offset = _u16(table, offsets + 4 * middle + 2) * 4
                break
            if idx < index:
                low = middle + 1
            else:
                high = middle - 1
    elif index < count:
        if flags & _FLAG_OFFSET16:
            if offsets + 2 * count > end:
                raise ResourceError("entry offsets run past their chunk")
            raw = _u16(table, offsets + 2 * index)
            offset = None if raw == 0xFFFF else raw * 4
        else:
            if offsets + 4 * count > end:
                raise ResourceError("entry offsets run past their chunk")
            raw = _u32(table, offsets + 4 * index)
            offset = None if raw == 0xFFFFFFFF else raw
    if offset is None:
        return None
    place = entries + offset
    if place + 8 > end:
        raise ResourceError("entry runs past its chunk")
    entry_size, entry_flags = _u16(table, place), _u16(table, place + 2)
    if entry_flags & _ENTRY_COMPACT:
        return default, entry_flags >> 8, _u32(table, place + 4)
    if entry_flags & _ENTRY_COMPLEX:
        return None
    value = place + entry_size
    if entry_size < 8 or value + 8 > end:
        raise ResourceError("entry value runs past its chunk")
    return default, table[value + 3], _u32(table, value + 4)
