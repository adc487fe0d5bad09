"""Hints in an app's code, from the string tables of its DEX files only (nothing is decompiled).

A DEX file lists every string its code uses (class descriptors such as ``Lokhttp3/CertificatePinner;``,
method names, constants) in ``string_ids``: offsets to MUTF-8 ``string_data_item`` values (a ULEB128
length, the bytes, a NUL). A hint counts only when it is a whole string of that table: its bytes are found
with a byte search, and the place must be one of the offsets ``string_ids`` lists.

Format: https://source.android.com/docs/core/runtime/dex-format
"""

from __future__ import annotations

import re
import struct
import sys
from collections.abc import Iterable

__all__ = ["DEX_NAME", "HINTS", "DexError", "strings_found"]

DEX_NAME = re.compile(r"classes\d*\.dex")
_MAGIC = re.compile(rb"dex\n\d{3}\x00")

# what each signal looks for: whole strings of a string table
HINTS: dict[str, tuple[str, ...]] = {
    "keystore": (
        "Landroid/security/keystore/KeyGenParameterSpec;",
        "Landroid/security/keystore/KeyGenParameterSpec$Builder;",
        "AndroidKeyStore",
    ),
    "strongbox": ("setIsStrongBoxBacked",),
    "biometric": ("Landroidx/biometric/BiometricPrompt;", "Landroid/hardware/biometrics/BiometricPrompt;"),
    "biometric_crypto": (
        "Landroidx/biometric/BiometricPrompt$CryptoObject;",
        "Landroid/hardware/biometrics/BiometricPrompt$CryptoObject;",
    ),
    "pinning": (
        "Lokhttp3/CertificatePinner;",
        "Lcom/squareup/okhttp/CertificatePinner;",
        "Lcom/datatheorem/android/trustkit/TrustKit;",
    ),
}


class DexError(ValueError):
    """Not a DEX file, or its string table does not fit in it."""


def _uleb(n: int) -> bytes:
    out = bytearray()
    while True:
        byte, n = n & 0x7F, n >> 7
        out.append(byte | (0x80 if n else 0))
        if not n:
            return bytes(out)


def strings_found(data: bytes, wanted: Iterable[str]) -> set[str]:
    """The strings of ``wanted`` (ASCII) that are entries of ``data``'s string table."""
    if len(data) < 0x70 or not _MAGIC.fullmatch(data[:8]):
        raise DexError("not a DEX file")
    count, offset = struct.unpack_from("<II", data, 0x38)
    if count and (offset < 0x70 or offset + 4 * count > len(data)):
        raise DexError("the string table runs past the file")
    table = memoryview(data)[offset : offset + 4 * count].cast("I")
    offsets = (
        set(table)
        if sys.byteorder == "little"
        else {struct.unpack_from("<I", data, offset + 4 * n)[0] for n in range(count)}
    )
    found = set()
    for text in wanted:
        needle = _uleb(len(text)) + text.encode("ascii") + b"\x00"
        at = data.find(needle)
        while at >= 0:
            if at in offsets:
                found.add(text)
                break
            at = data.find(needle, at + 1)
    return found
