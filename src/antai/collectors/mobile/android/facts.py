"""What an APK showed, as plain values the checks read (no androguard objects, no I/O).

A part that was looked for but could not be read (a network security config whose file is corrupt, a
signing block that does not parse, a classes.dex that is not a DEX) is kept as its ``error`` text: the
checks that need it give ``error``, never a pass.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

__all__ = [
    "ApkFacts",
    "BackupRules",
    "Certificate",
    "Component",
    "DexHints",
    "DomainConfig",
    "NetworkConfig",
    "PinSet",
    "Signing",
    "SupportTable",
    "Version",
]


@dataclass(frozen=True)
class Version:
    """One Android release in the support table."""

    api: int
    name: str  # "14", "12L"
    released: dt.date | None
    security_end: dt.date | None  # None: still receives security updates as of the table's date


@dataclass(frozen=True)
class SupportTable:
    """The Android versions that still receive security updates, as of ``as_of``, and where that came from."""

    as_of: dt.date
    sources: tuple[str, ...]
    versions: tuple[Version, ...]  # newest first

    def version(self, api: int) -> Version | None:
        return next((v for v in self.versions if v.api == api), None)

    @property
    def supported(self) -> tuple[Version, ...]:
        return tuple(v for v in self.versions if v.security_end is None)

    @property
    def oldest_supported(self) -> Version:
        return min(self.supported, key=lambda v: v.api)


@dataclass(frozen=True)
class Component:
    """An activity, activity-alias, service, receiver or provider the manifest declares."""

    kind: str
    name: str  # fully qualified
    exported: bool | None  # android:exported as written; None when absent
    intent_filters: int
    permission: str | None = None
    read_permission: str | None = None
    write_permission: str | None = None
    launcher: bool = False
    browsable: bool = False
    schemes: tuple[str, ...] = ()
    auto_verify: bool = False
    enabled: bool = True


@dataclass(frozen=True)
class PinSet:
    pins: int
    expiration: dt.date | None  # None: no expiration attribute
    expiration_text: str | None = None  # as written, when it is not a yyyy-MM-dd date


@dataclass(frozen=True)
class DomainConfig:
    """One ``<domain-config>``, with what it inherits from its parents and the base config resolved."""

    domains: tuple[str, ...]
    cleartext: bool  # effective cleartextTrafficPermitted
    cleartext_explicit: bool  # written on this element (not inherited)
    user_certificates: bool  # its effective trust anchors include src="user"
    pin_set: PinSet | None


@dataclass(frozen=True)
class NetworkConfig:
    """The app's network security config (android:networkSecurityConfig), resolved."""

    source: str  # the entry read (res/xml/…)
    base_cleartext: bool = False  # effective for domains no domain-config names
    base_cleartext_explicit: bool = False
    base_user_certificates: bool = False
    domains: tuple[DomainConfig, ...] = ()
    error: str | None = None


@dataclass(frozen=True)
class BackupRules:
    """android:dataExtractionRules or android:fullBackupContent, resolved and read.

    ``sections`` maps a section (cloud-backup, device-transfer, or full-backup-content for the older
    format) to its (include, exclude) counts. ``disabled`` is fullBackupContent="false"."""

    attribute: str
    source: str | None = None
    sections: dict[str, tuple[int, int]] = field(default_factory=dict)
    disabled: bool = False
    error: str | None = None

    @property
    def restricts(self) -> bool:
        """Whether the rules keep anything out of backups (an include list or an exclude)."""
        return self.disabled or any(inc or exc for inc, exc in self.sections.values())


@dataclass(frozen=True)
class Certificate:
    subject: str  # RFC 4514
    sha256: str  # hex of the DER certificate's SHA-256
    debug: str | None = None  # "android_debug" (the SDK's debug keystore), "aosp_test" (AOSP's public test keys)


@dataclass(frozen=True)
class Signing:
    """Which signature schemes are present (not verified: ``apksigner verify`` does that) and their signer
    certificates, the newest scheme's first."""

    v1: bool = False
    v2: bool = False
    v3: bool = False
    v31: bool = False
    certificates: tuple[Certificate, ...] = ()
    error: str | None = None


@dataclass(frozen=True)
class DexHints:
    """Which of the looked-for strings the DEX files' string tables hold."""

    files: tuple[str, ...] = ()
    found: frozenset[str] = frozenset()
    error: str | None = None


@dataclass(frozen=True)
class ApkFacts:
    package: str
    version_name: str | None
    version_code: str | None
    min_sdk: int | None  # None: written but unreadable (see ``unresolved``)
    target_sdk: int | None
    lang: str
    today: dt.date
    support: SupportTable
    debuggable: bool | None = None  # None: absent
    allow_backup: bool | None = None
    uses_cleartext: bool | None = None
    network_config: NetworkConfig | None = None
    data_extraction: BackupRules | None = None
    full_backup: BackupRules | None = None
    components: tuple[Component, ...] = ()
    permissions: dict[str, str] = field(default_factory=dict)  # declared here: name → protectionLevel
    signing: Signing = field(default_factory=Signing)
    dex: DexHints = field(default_factory=DexHints)
    unresolved: dict[str, str] = field(default_factory=dict)  # attribute → why its value could not be read

    def say(self, ja: str, en: str) -> str:
        return ja if self.lang == "ja" else en

    @property
    def version(self) -> str:
        name = self.version_name or "?"
        return f"{name} ({self.version_code})" if self.version_code else name
