"""A DEX file holding only a string table (header, string_ids, string_data), with a correct checksum and
signature: what the collector reads of a classes.dex (it never decompiles). Strings are sorted as dx and d8
sort them."""

from __future__ import annotations

import hashlib
import struct
import zlib


def _uleb(n: int) -> bytes:
    out = bytearray()
    while True:
        byte = n & 0x7F
        n >>= 7
        if n:
            out.append(byte | 0x80)
        else:
            out.append(byte)
            return bytes(out)


def write(strings: list[str], *, padding: int = 0) -> bytes:
    """A DEX whose string table is ``strings`` (ASCII), followed by ``padding`` bytes of data."""
    ordered = sorted(set(strings))
    header_size = 0x70
    ids_off = header_size
    data_off = ids_off + 4 * len(ordered)
    data = bytearray()
    offsets = []
    for text in ordered:
        offsets.append(data_off + len(data))
        raw = text.encode("utf-8")
        data += _uleb(len(text)) + raw + b"\x00"
    data += bytes(padding)
    body = b"".join(struct.pack("<I", o) for o in offsets) + bytes(data)
    file_size = header_size + len(body)
    header = bytearray(header_size)
    header[0:8] = b"dex\n035\x00"
    struct.pack_into("<II", header, 0x20, file_size, header_size)
    struct.pack_into("<I", header, 0x28, 0x12345678)
    struct.pack_into("<II", header, 0x38, len(ordered), ids_off if ordered else 0)
    struct.pack_into("<II", header, 0x68, len(data), data_off)
    blob = bytearray(header) + body
    blob[12:32] = hashlib.sha1(bytes(blob[32:])).digest()
    struct.pack_into("<I", blob, 8, zlib.adler32(bytes(blob[12:])))
    return bytes(blob)
