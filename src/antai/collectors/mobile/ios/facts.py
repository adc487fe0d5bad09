"""What one IPA declares, as plain values the checks read (no I/O, no archive objects).

``info`` is the app's Info.plist as ``plistlib`` parsed it (untrusted: every check looks at the types it
reads). Entitlements come from up to three places, each kept apart because they do not mean the same thing:

- ``signed``: the entitlements blobs of the main executable's code signature (what the app is signed with;
  one per architecture of a fat binary, merged), found by their magic number, not by parsing Mach-O;
- ``profile``: ``embedded.mobileprovision``, the provisioning profile (what the profile *allows*, and which
  devices and distribution it is for). App Store downloads have none;
- ``xcent``: ``archived-expanded-entitlements.xcent``, which older Xcode versions leave in the bundle (it
  omits ``get-task-allow`` even in a debug build, so it is never read for that).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

__all__ = ["IpaFacts", "OsRelease", "Profile", "Signed", "SupportTable", "Unreadable"]


@dataclass(frozen=True)
class OsRelease:
    """One major iOS version in antai's table: its latest release and whether Apple still ships security
    updates for it."""

    major: int
    latest: str
    latest_date: str
    security_updates: bool
    note: str = ""


@dataclass(frozen=True)
class SupportTable:
    """antai's dated table of iOS versions (``ios-security-support.json``), newest major first."""

    as_of: dt.date
    sources: tuple[str, ...]
    releases: tuple[OsRelease, ...]

    def release(self, major: int) -> OsRelease | None:
        return next((r for r in self.releases if r.major == major), None)

    @property
    def oldest_supported(self) -> OsRelease:
        return min((r for r in self.releases if r.security_updates), key=lambda r: r.major)

    @property
    def newest(self) -> OsRelease:
        return max(self.releases, key=lambda r: r.major)


@dataclass(frozen=True)
class Unreadable:
    """A part of the package that is there but could not be understood (``reason`` in English, short)."""

    name: str
    reason: str


@dataclass(frozen=True)
class Profile:
    """The provisioning profile's fields the checks use."""

    name: str
    team: str
    team_id: str
    expires: dt.datetime | None
    devices: int  # ProvisionedDevices: a development or ad hoc profile lists the devices it installs on
    all_devices: bool  # ProvisionsAllDevices: an enterprise (in-house) profile
    entitlements: Mapping[str, Any]
    certificates: tuple[str, ...]  # SHA-256 of each DeveloperCertificates entry (DER), hex


@dataclass(frozen=True)
class Signed:
    """The entitlements of the code signature (merged over the architectures of a fat binary), or why they
    were not read (``missing``: no executable, too large to scan, no blob found)."""

    entitlements: Mapping[str, Any] | None
    blobs: int = 0
    missing: str = ""


@dataclass(frozen=True)
class IpaFacts:
    lang: str
    today: dt.date
    bundle_id: str
    app: str  # the bundle's folder, e.g. "UnDebuggable.app"
    version: str | None
    build: str | None
    info: Mapping[str, Any]
    table: SupportTable
    profile: Profile | Unreadable | None = None
    signed: Signed = field(default_factory=lambda: Signed(None, missing="not read"))
    xcent: Mapping[str, Any] | Unreadable | None = None

    def say(self, ja: str, en: str) -> str:
        return ja if self.lang == "ja" else en

    @property
    def resource(self) -> str:
        return self.bundle_id
