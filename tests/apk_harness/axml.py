"""A writer of Android binary XML (AXML), for what Debian's aapt (Android 10's framework) cannot compile:
attributes newer than API 29 (``android:dataExtractionRules``), and hostile documents (nesting a real
compiler would never write). The layout follows ResourceTypes.h, as aapt writes it: a UTF-8 string pool
with the attribute names that have resource IDs first, the resource map, then namespace and element chunks.
"""

from __future__ import annotations

import re
import struct
import xml.etree.ElementTree as ET

ANDROID = "http://schemas.android.com/apk/res/android"

# the framework's public attribute IDs (frameworks/base/core/res/res/values/public*.xml)
ATTRIBUTE_IDS = {
    "label": 0x01010001,
    "icon": 0x01010002,
    "name": 0x01010003,
    "permission": 0x01010006,
    "readPermission": 0x01010007,
    "writePermission": 0x01010008,
    "protectionLevel": 0x01010009,
    "enabled": 0x0101000E,
    "debuggable": 0x0101000F,
    "exported": 0x01010010,
    "authorities": 0x01010018,
    "scheme": 0x01010027,
    "host": 0x01010028,
    "minSdkVersion": 0x0101020C,
    "versionCode": 0x0101021B,
    "versionName": 0x0101021C,
    "targetSdkVersion": 0x01010270,
    "allowBackup": 0x01010280,
    "fullBackupContent": 0x010104EB,
    "usesCleartextTraffic": 0x010104EC,
    "autoVerify": 0x010104EE,
    "networkSecurityConfig": 0x01010527,
    "dataExtractionRules": 0x0101063E,
}

TYPE_REFERENCE, TYPE_STRING, TYPE_INT_DEC, TYPE_INT_BOOLEAN = 0x01, 0x03, 0x10, 0x12
NONE = 0xFFFFFFFF


def _typed(value: str) -> tuple[int, int]:
    if value in ("true", "false"):
        return TYPE_INT_BOOLEAN, NONE if value == "true" else 0
    if re.fullmatch(r"-?\d+", value):
        return TYPE_INT_DEC, int(value) & NONE
    if re.fullmatch(r"@0x[0-9a-fA-F]{8}", value):
        return TYPE_REFERENCE, int(value[1:], 16)
    return TYPE_STRING, 0


class _Pool:
    def __init__(self, first: list[str]) -> None:
        self.strings: list[str] = list(first)
        self.index = {s: n for n, s in enumerate(self.strings)}

    def add(self, text: str) -> int:
        if text not in self.index:
            self.index[text] = len(self.strings)
            self.strings.append(text)
        return self.index[text]

    def chunk(self) -> bytes:
        data = bytearray()
        offsets = []
        for text in self.strings:
            offsets.append(len(data))
            raw = text.encode("utf-8")
            data += _len8(len(text)) + _len8(len(raw)) + raw + b"\x00"
        while len(data) % 4:
            data += b"\x00"
        header = 28
        start = header + 4 * len(offsets)
        size = start + len(data)
        head = struct.pack("<HHIIIIII", 0x0001, header, size, len(offsets), 0, 0x100, start, 0)
        return head + b"".join(struct.pack("<I", o) for o in offsets) + bytes(data)


def _len8(n: int) -> bytes:
    return bytes([n]) if n < 0x80 else bytes([0x80 | (n >> 8), n & 0xFF])


def _split(tag: str) -> tuple[str | None, str]:
    if tag.startswith("{"):
        uri, name = tag[1:].split("}", 1)
        return uri, name
    return None, tag


def write(root: ET.Element) -> bytes:
    """``root`` (with ``{http://schemas.android.com/apk/res/android}name`` style attribute keys) as AXML."""
    names = []
    for element in root.iter():
        for key in element.attrib:
            uri, name = _split(key)
            if uri == ANDROID and name in ATTRIBUTE_IDS and name not in names:
                names.append(name)
    pool = _Pool(names)
    resource_map = struct.pack("<HHI", 0x0180, 8, 8 + 4 * len(names)) + b"".join(
        struct.pack("<I", ATTRIBUTE_IDS[n]) for n in names
    )
    body = bytearray()
    prefix, uri = pool.add("android"), pool.add(ANDROID)
    body += struct.pack("<HHIIIII", 0x0100, 16, 24, 1, NONE, prefix, uri)
    _element(root, pool, body)
    body += struct.pack("<HHIIIII", 0x0101, 16, 24, 1, NONE, prefix, uri)
    strings = pool.chunk()
    total = 8 + len(strings) + len(resource_map) + len(body)
    return struct.pack("<HHI", 0x0003, 8, total) + strings + resource_map + bytes(body)


def _element(element: ET.Element, pool: _Pool, out: bytearray) -> None:
    stack: list[tuple[ET.Element, bool]] = [(element, False)]
    while stack:  # iterative, so that a deep hostile document can be written too
        node, closing = stack.pop()
        uri, name = _split(node.tag)
        ns = pool.add(uri) if uri else NONE
        if closing:
            out += struct.pack("<HHIIIII", 0x0103, 16, 24, 1, NONE, ns, pool.add(name))
            continue
        attributes = []
        for key, value in node.attrib.items():
            a_uri, a_name = _split(key)
            kind, data = _typed(value)
            raw = pool.add(value) if kind == TYPE_STRING else NONE
            if kind == TYPE_STRING:
                data = raw
            attributes.append(
                (pool.add(a_uri) if a_uri else NONE, pool.add(a_name), raw, kind, data, ATTRIBUTE_IDS.get(a_name, NONE))
            )
        attributes.sort(key=lambda a: a[5])  # aapt orders attributes by resource ID
        size = 36 + 20 * len(attributes)
        out += struct.pack(
            "<HHIIIIIHHHHHH", 0x0102, 16, size, 1, NONE, ns, pool.add(name), 20, 20, len(attributes), 0, 0, 0
        )
        for a_ns, a_name_ix, raw, kind, data, _ in attributes:
            out += struct.pack("<IIIHBBI", a_ns, a_name_ix, raw, 8, 0, kind, data)
        if node.text and node.text.strip():
            out += struct.pack("<HHIIIIHBBI", 0x0104, 16, 28, 1, NONE, pool.add(node.text.strip()), 8, 0, 0, 0)
        stack.append((node, True))
        stack.extend((child, False) for child in reversed(list(node)))


def deep(depth: int) -> bytes:
    """A manifest whose application holds ``depth`` nested elements: no compiler writes that."""
    root = ET.Element("manifest", {"package": "com.example.deep"})
    node = ET.SubElement(root, "application")
    for _ in range(depth):
        node = ET.SubElement(node, "meta-data")
    return write(root)
