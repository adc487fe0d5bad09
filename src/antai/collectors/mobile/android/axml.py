"""Android binary XML (the compiled AndroidManifest.xml and res/xml files), read within limits.

androguard's ``AXMLPrinter`` turns the chunks into an lxml tree, but it tolerates what Android does not: it
scans byte by byte for a chunk header after garbage, and it reads as many attributes as an element claims,
whatever its size. So the chunk structure is walked first, the way Android's ResXMLTree validates it (every
chunk inside the document, attributes inside their element, a string pool first), with caps on depth,
elements and attributes; only a document that passes is handed to androguard.
"""

from __future__ import annotations

import importlib
import struct
from typing import Any

__all__ = ["MAX_ATTRIBUTES", "MAX_DEPTH", "MAX_ELEMENTS", "BinaryXmlError", "parse"]

MAX_DEPTH = 64  # a manifest nests 5 deep, a network security config rarely more than 8
MAX_ELEMENTS = 50_000  # a manifest with 2,000 components has about 10,000
MAX_ATTRIBUTES = 200_000

_XML, _STRING_POOL, _RESOURCE_MAP = 0x0003, 0x0001, 0x0180
_START_NS, _END_NS, _START, _END, _CDATA = 0x0100, 0x0101, 0x0102, 0x0103, 0x0104


class BinaryXmlError(ValueError):
    """Not a binary XML document Android would read, or beyond the limits; the text says why."""


def check(data: bytes) -> None:
    """Raise :class:`BinaryXmlError` unless ``data`` is a well-formed binary XML document within limits."""
    if len(data) < 8:
        raise BinaryXmlError("shorter than a chunk header")
    kind, header, size = struct.unpack_from("<HHI", data, 0)
    if header != 8 or size < 8 or size > len(data):
        raise BinaryXmlError("not binary XML (bad document header)")
    if kind != _XML and data[:5] in (b"<?xml", b"\xef\xbb\xbf<?x"):
        raise BinaryXmlError("plain-text XML, not compiled")
    at, depth, elements, attributes, first = 8, 0, 0, 0, True
    while at < size:
        if at + 8 > size:
            raise BinaryXmlError(f"a chunk header runs past the document at {at}")
        kind, header, chunk = struct.unpack_from("<HHI", data, at)
        if header < 8 or chunk < header or at + chunk > size:
            raise BinaryXmlError(f"a chunk at {at} does not fit in the document")
        if first:
            if kind != _STRING_POOL or header != 28:
                raise BinaryXmlError("no string pool")
            first = False
        elif kind in (_START, _END, _START_NS, _END_NS, _CDATA):
            if header != 16 or chunk < 24:
                raise BinaryXmlError(f"a node chunk at {at} has a bad header")
            if kind == _START:
                if chunk < 36:
                    raise BinaryXmlError(f"an element at {at} is truncated")
                start, each, count = struct.unpack_from("<HHH", data, at + 24)
                if count and (each < 20 or 16 + start + each * count > chunk):
                    raise BinaryXmlError(f"an element's attributes at {at} run past it")
                depth += 1
                elements += 1
                attributes += count
                if depth > MAX_DEPTH:
                    raise BinaryXmlError(f"elements nested deeper than {MAX_DEPTH}")
                if elements > MAX_ELEMENTS:
                    raise BinaryXmlError(f"more than {MAX_ELEMENTS} elements")
                if attributes > MAX_ATTRIBUTES:
                    raise BinaryXmlError(f"more than {MAX_ATTRIBUTES} attributes")
            elif kind == _END:
                depth -= 1
                if depth < 0:
                    raise BinaryXmlError(f"an end tag at {at} closes nothing")
            elif kind == _CDATA and chunk < 28:
                raise BinaryXmlError(f"a text chunk at {at} is truncated")
        at += chunk
    if first:
        raise BinaryXmlError("no string pool")
    if elements == 0:
        raise BinaryXmlError("no element")


def parse(data: bytes) -> Any:
    """The document's root element (an lxml element; attribute keys ``{namespace}name``).

    Raises :class:`BinaryXmlError` for anything Android would refuse or androguard cannot read."""
    check(data)
    silence()
    axml: Any = importlib.import_module("androguard.core.axml")
    try:
        printer = axml.AXMLPrinter(data)
        root = printer.get_xml_obj() if printer.is_valid() else None
    except Exception as exc:  # androguard's parser raises struct.error, IndexError, ValueError… on bad input
        raise BinaryXmlError(f"unreadable ({type(exc).__name__})") from exc
    if root is None:
        raise BinaryXmlError("unreadable (no root element)")
    return root


_silenced = False


def silence() -> None:
    """Turn off androguard's logging (loguru): it writes to stderr on every odd chunk, formatted eagerly."""
    global _silenced
    if not _silenced:
        from loguru import logger

        logger.disable("androguard")
        _silenced = True
