"""Reading an IPA into :class:`~antai.collectors.mobile.ios.facts.IpaFacts`: the only I/O of `antai check ipa`.

The package is opened with the shared safe reader (limits on entries, sizes, ratio; no extraction). Only a
few entries are read, each with its own cap: the app's ``Info.plist``, ``embedded.mobileprovision``,
``archived-expanded-entitlements.xcent`` and the main executable (scanned for the code signature's
entitlements blob by its magic number; Mach-O is not parsed). Property lists are parsed by ``plistlib``
(binary and XML; its XML parser refuses entity declarations, so no entity expansion and no external
entities), and anything it raises on hostile bytes becomes a clean refusal or an ``Unreadable`` part.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import plistlib
import struct
from collections.abc import Callable, Mapping
from importlib import resources
from pathlib import Path
from typing import Any

from antai.collectors.mobile.archive import DEFAULT_LIMITS, Limits, Package, open_package
from antai.collectors.mobile.ios.facts import IpaFacts, OsRelease, Profile, Signed, SupportTable, Unreadable
from antai.errors import AntaiError

__all__ = ["IpaError", "load_table", "parse_plist", "read_ipa", "signed_entitlements"]

KiB, MiB = 1024, 1024 * 1024
INFO_PLIST_LIMIT = 8 * MiB  # real ones are a few KiB; the largest apps' stay well under 1 MiB
PROFILE_LIMIT = 4 * MiB  # a profile with every device of a team is about 100 KiB
XCENT_LIMIT = 1 * MiB
EXECUTABLE_LIMIT = 64 * MiB  # a larger executable is not scanned (its entitlements are then not read)
BLOB_LIMIT = 256 * KiB  # one entitlements blob of the code signature (real ones are a few KiB)
BLOB_BYTES = 512 * KiB  # all the blobs of one executable parsed together, at most
BLOBS_EXAMINED = 64  # candidate magic numbers looked at in one executable (a crafted one may hold millions)
# parsing costs a few microseconds per element, so a size cap alone would still let a few MiB of `<dict/>`
# take seconds: elements are counted before parsing (real Info.plists and profiles have a few thousand)
MAX_ELEMENTS = 50_000
BINARY_LIMIT = 1 * MiB  # a binary plist may reference one object from every slot of an array: cap its refs
DEVICE_CERTIFICATES = 20
TABLE = "ios-security-support.json"

_BLOB_MAGIC = b"\xfa\xde\x71\x71"  # CSMAGIC_EMBEDDED_ENTITLEMENTS: big-endian magic, length, XML plist
Progress = Callable[[str, int, int], None]


class IpaError(AntaiError):
    """The package is a zip but not an iOS app antai can check (no app, several apps, no Info.plist)."""

    code = "ipa_refused"


class _NotPlist(Exception):
    """Bytes that ``plistlib`` could not turn into a property list."""


class _OverLimit(_NotPlist):
    """A property list larger or more numerous in its parts than antai parses (refused before parsing)."""


def read_ipa(
    path: Path,
    *,
    lang: str,
    today: dt.date,
    limits: Limits = DEFAULT_LIMITS,
    progress: Progress | None = None,
) -> IpaFacts:
    """Everything the checks need from the IPA at ``path``. Raises
    :class:`~antai.collectors.mobile.archive.PackageError` (or ``NotFound``) for a file that cannot be read
    safely and :class:`IpaError` for a zip that is no single iOS app with an Info.plist."""
    step = progress or (lambda _what, _done, _total: None)
    table = load_table()
    with open_package(path, limits) as pkg:
        app = _the_app(path, pkg)
        root = f"Payload/{app}/"
        step("Info.plist", 1, 4)
        info = _info_plist(path, pkg, root + "Info.plist")
        bundle_id = _text(info.get("CFBundleIdentifier")) or app
        step("embedded.mobileprovision", 2, 4)
        profile = _profile(pkg, root + "embedded.mobileprovision")
        xcent = _xcent(pkg, root + "archived-expanded-entitlements.xcent")
        executable = _text(info.get("CFBundleExecutable"))
        step(executable or app, 3, 4)
        signed = _signed(pkg, root + executable if executable and "/" not in executable else None)
    step(bundle_id, 4, 4)
    return IpaFacts(
        lang=lang,
        today=today,
        bundle_id=bundle_id,
        app=app,
        version=_text(info.get("CFBundleShortVersionString"), 40),
        build=_text(info.get("CFBundleVersion"), 40),
        info=info,
        table=table,
        profile=profile,
        signed=signed,
        xcent=xcent,
    )


def load_table() -> SupportTable:
    """antai's shipped table of iOS versions and their security updates."""
    data = json.loads(resources.files("antai.collectors.mobile.ios").joinpath(TABLE).read_text("utf-8"))
    releases = tuple(
        OsRelease(
            major=int(r["major"]),
            latest=str(r["latest"]),
            latest_date=str(r["latest_date"]),
            security_updates=bool(r["security_updates"]),
            note=str(r.get("note", "")),
        )
        for r in data["releases"]
    )
    return SupportTable(
        as_of=dt.date.fromisoformat(data["as_of"]),
        sources=tuple(str(s["url"]) for s in data["sources"]),
        releases=tuple(sorted(releases, key=lambda r: -r.major)),
    )


def parse_plist(data: bytes) -> Any:
    """A property list (binary or XML) from untrusted bytes; :class:`_NotPlist` for anything else.

    plistlib raises many kinds of exceptions on hostile input (struct errors, recursion on deep nesting,
    unhashable keys, bad base64, expat errors, refused entity declarations); each means "not a plist".
    Input with more than :data:`MAX_ELEMENTS` elements (or objects) is refused before it is parsed."""
    _within_limits(data)
    try:
        return plistlib.loads(data)
    except Exception as exc:  # untrusted bytes: whatever the parser raises, the bytes are no plist
        raise _NotPlist(type(exc).__name__) from None


def _within_limits(data: bytes) -> None:
    if data[:8] == b"bplist00":
        if len(data) > BINARY_LIMIT:
            raise _OverLimit(f"binary plist over {BINARY_LIMIT // MiB} MiB")
        # the trailer's last 32 bytes: 6 unused, offset size, ref size, object count, top object, table offset
        objects = struct.unpack_from(">Q", data, len(data) - 24)[0] if len(data) >= 40 else 0
        if objects > len(data):  # every object takes at least a byte: the trailer is not one
            raise _NotPlist("broken trailer")
        if objects > MAX_ELEMENTS:
            raise _OverLimit(f"more than {MAX_ELEMENTS} objects")
    elif data.count(b"<") > 2 * MAX_ELEMENTS + 8:  # an element has one or two tags (UTF-16 and -32 too)
        raise _OverLimit(f"more than {MAX_ELEMENTS} elements")


def _the_app(path: Path, pkg: Package) -> str:
    apps = sorted(
        {
            parts[1]
            for name in pkg.names()
            for parts in (name.split("/"),)
            if len(parts) > 2 and parts[0] == "Payload" and parts[1].endswith(".app") and len(parts[1]) > 4
        }
    )
    if not apps:
        raise IpaError(
            f"{path}: not an iOS app package (no Payload/<name>.app folder)", code="ipa_no_app", path=str(path)
        )
    if len(apps) > 1:
        shown = ", ".join(apps[:5]) + (", …" if len(apps) > 5 else "")
        raise IpaError(
            f"{path}: {len(apps)} apps in Payload ({shown}); an IPA holds exactly one",
            code="ipa_many_apps",
            path=str(path),
            apps=shown,
            count=len(apps),
        )
    return apps[0]


def _info_plist(path: Path, pkg: Package, name: str) -> Mapping[str, Any]:
    if not pkg.has(name):
        raise IpaError(f"{path}: {name} is missing", code="ipa_no_info_plist", path=str(path), name=name)
    data = pkg.read(name, limit=INFO_PLIST_LIMIT)
    try:
        info = parse_plist(data)
    except _NotPlist as exc:
        raise IpaError(
            f"{path}: {name} is not a property list ({exc})",
            code="ipa_bad_info_plist",
            path=str(path),
            name=name,
            reason="over_limit" if isinstance(exc, _OverLimit) else "not_plist",
        ) from None
    if not isinstance(info, dict):
        raise IpaError(
            f"{path}: {name} is not a dictionary",
            code="ipa_bad_info_plist",
            path=str(path),
            name=name,
            reason="not_dict",
        )
    return info


def _profile(pkg: Package, name: str) -> Profile | Unreadable | None:
    """The provisioning profile: a CMS (PKCS#7) signed blob whose content is an XML plist. The signature is
    not verified (iOS does that at install); the plist is found between ``<?xml`` and ``</plist>``."""
    if not pkg.has(name):
        return None
    data = pkg.read(name, limit=PROFILE_LIMIT)
    start = data.find(b"<?xml")
    end = data.find(b"</plist>", start + 5) if start >= 0 else -1
    if start < 0 or end < 0:
        return Unreadable(name, "no XML property list inside")
    try:
        found = parse_plist(data[start : end + len(b"</plist>")])
    except _NotPlist as exc:
        return Unreadable(name, f"its property list does not parse ({exc})")
    if not isinstance(found, dict):
        return Unreadable(name, "its property list is not a dictionary")
    entitlements = found.get("Entitlements")
    devices = found.get("ProvisionedDevices")
    teams = found.get("TeamIdentifier")
    certificates = found.get("DeveloperCertificates")
    expires = found.get("ExpirationDate")
    return Profile(
        name=_text(found.get("Name")) or "",
        team=_text(found.get("TeamName")) or "",
        team_id=(_text(teams[0]) or "") if isinstance(teams, list) and teams else "",
        expires=expires.replace(tzinfo=dt.UTC) if isinstance(expires, dt.datetime) else None,
        devices=len(devices) if isinstance(devices, list) else 0,
        all_devices=found.get("ProvisionsAllDevices") is True,
        entitlements=entitlements if isinstance(entitlements, dict) else {},
        certificates=tuple(
            hashlib.sha256(c).hexdigest()
            for c in (certificates if isinstance(certificates, list) else [])[:DEVICE_CERTIFICATES]
            if isinstance(c, bytes)
        ),
    )


def _xcent(pkg: Package, name: str) -> Mapping[str, Any] | Unreadable | None:
    if not pkg.has(name):
        return None
    try:
        found = parse_plist(pkg.read(name, limit=XCENT_LIMIT))
    except _NotPlist as exc:
        return Unreadable(name, f"not a property list ({exc})")
    return found if isinstance(found, dict) else Unreadable(name, "not a dictionary")


def _signed(pkg: Package, name: str | None) -> Signed:
    if name is None or not pkg.has(name):
        return Signed(None, missing="no executable")
    size = pkg.size(name)
    if size > EXECUTABLE_LIMIT:
        return Signed(None, missing=f"executable of {size // MiB} MiB not scanned")
    return signed_entitlements(pkg.read(name, limit=EXECUTABLE_LIMIT))


def signed_entitlements(executable: bytes) -> Signed:
    """The entitlements blobs of a (thin or fat) Mach-O's code signature, found by their magic number and
    length and kept only when they hold a plist dictionary; merged so that a key that is true or
    "development" in one architecture's signature is so in the result."""
    merged: dict[str, Any] = {}
    blobs = 0
    budget = [BLOB_BYTES]
    at = executable.find(_BLOB_MAGIC)
    for _ in range(BLOBS_EXAMINED):
        if at < 0 or budget[0] <= 0:
            break
        found = _blob(executable, at, budget)
        if found is not None:
            blobs += 1
            for key, value in found.items():
                if key not in merged or value is True or value == "development":
                    merged[key] = value
        at = executable.find(_BLOB_MAGIC, at + 4)
    if not blobs:
        return Signed(None, missing="no entitlements in the code signature")
    return Signed(merged, blobs=blobs)


def _blob(executable: bytes, at: int, budget: list[int]) -> dict[str, Any] | None:
    """The entitlements dictionary of the blob at ``at``, if it is one; ``budget`` (bytes still to parse,
    shared by all the blobs of the executable) goes down by what is parsed."""
    if at + 8 > len(executable):
        return None
    (length,) = struct.unpack_from(">I", executable, at + 4)
    if not 8 < length <= BLOB_LIMIT or at + length > len(executable):
        return None
    body = executable[at + 8 : at + length]
    if body.lstrip()[:6] not in (b"<?xml ", b"<!DOCT", b"<plist"):
        return None
    budget[0] -= len(body)
    if budget[0] < 0:
        return None
    try:
        found = parse_plist(body)
    except _NotPlist:
        return None
    return found if isinstance(found, dict) else None


def _text(value: Any, limit: int = 200) -> str | None:
    """A plist string fit to show: control characters dropped, at most ``limit`` characters."""
    if not isinstance(value, str):
        return None
    cleaned = "".join(c for c in value if c.isprintable()).strip()
    return cleaned[:limit] or None
