"""Which scanner wrote a file, guessed from its first bytes: to tell a user who gave a file to the wrong
importer which one reads it (an importer's own problem says only what it expected)."""

from __future__ import annotations

import re

# keys only one tool's output has near its start, checked in this order
_SIGNS: tuple[tuple[str, re.Pattern[bytes]], ...] = (
    ("sarif", re.compile(rb'"\$schema"\s*:\s*"[^"]*sarif|"version"\s*:\s*"2\.1\.0"[\s\S]{0,2000}"runs"\s*:')),
    ("trivy", re.compile(rb'"SchemaVersion"\s*:|"ArtifactName"\s*:')),
    ("checkov", re.compile(rb'"check_type"\s*:|"checkov_version"\s*:|"passed_checks"\s*:|"failed_checks"\s*:')),
    (
        "prowler",
        re.compile(rb'"event_code"\s*:|"class_uid"\s*:\s*2004'),
    ),
)
HEAD_BYTES = 64 * 1024


def guess_tool(head: bytes) -> str | None:
    """``prowler``, ``checkov``, ``trivy`` or ``sarif`` when the start of a file says so, else None."""
    start = head[:HEAD_BYTES]
    for tool, sign in _SIGNS:
        if sign.search(start):
            return tool
    if start.lstrip(b"\xef\xbb\xbf").split(b"\n", 1)[0].count(b";") >= 5 and b"CHECK_ID" in start[:4096]:
        return "prowler"  # Prowler's CSV header
    return None
