"""Real IPA files for the tests of `antai check ipa`, made the way Xcode lays them out.

An IPA is a zip holding ``Payload/<Name>.app/``. In the app folder this module writes:

- ``Info.plist`` with :mod:`plistlib`, as XML or as a binary plist (Xcode writes binary ones);
- ``embedded.mobileprovision``: a CMS (PKCS#7) SignedData envelope in DER whose content is the profile's XML
  plist, as Apple issues them. It is signed with :mod:`cryptography` by a self-signed certificate minted once
  per test session, and that certificate's DER is the profile's ``DeveloperCertificates`` entry;
- ``archived-expanded-entitlements.xcent`` (an XML plist), as older Xcode versions leave it;
- the main executable: a Mach-O header and a code signature SuperBlob (``0xfade0cc0``) holding a
  CodeDirectory stub and an entitlements blob (``0xfade7171``, big-endian length, XML plist); a fat binary
  repeats that once per architecture behind a ``0xcafebabe`` header.

Nothing here needs Xcode or a Mac; the fixture ``../shared/fixtures/ipa/undebuggable.ipa`` is a real one to
compare with.
"""

from __future__ import annotations

import datetime as dt
import plistlib
import struct
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs7
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

__all__ = [
    "DEVICES",
    "TEAM_ID",
    "Ipa",
    "Signer",
    "entitlements_blob",
    "envelope",
    "executable",
    "info_plist",
    "mobileprovision",
    "profile",
    "signer",
]

TEAM_ID = "ABCDE12345"
TEAM_NAME = "Example Bank KK"
DEVICES = ("00008030-001A2B3C4D5E6F70", "00008110-000C1D2E3F405162", "f67f300fb7d12c524095858842a0e18c4f6ef7a4")
CREATED = dt.datetime(2026, 7, 1, 9, 0, 0)
EXPIRES = dt.datetime(2027, 6, 30, 9, 0, 0)
LOCAL_AUTHENTICATION = b"/System/Library/Frameworks/LocalAuthentication.framework/LocalAuthentication\x00"

_MH_MAGIC_64 = 0xFEEDFACF  # written little-endian, as on arm64
_CPU_ARM64, _CPU_ARMV7 = 0x0100000C, 12
_SUPERBLOB, _CODEDIRECTORY, _ENTITLEMENTS = 0xFADE0CC0, 0xFADE0C02, 0xFADE7171


@dataclass(frozen=True)
class Signer:
    """A self-signed certificate and its key, standing in for Apple's profile-signing certificate."""

    certificate: x509.Certificate
    key: rsa.RSAPrivateKey

    @property
    def der(self) -> bytes:
        return self.certificate.public_bytes(serialization.Encoding.DER)


@cache
def signer() -> Signer:
    """Minted once per session (an RSA key takes a moment to generate)."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name(
        [
            x509.NameAttribute(NameOID.COMMON_NAME, f"iPhone Distribution: {TEAM_NAME} ({TEAM_ID})"),
            x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, TEAM_ID),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, TEAM_NAME),
            x509.NameAttribute(NameOID.COUNTRY_NAME, "JP"),
        ]
    )
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(0x2FE3904C541D2B93)
        .not_valid_before(dt.datetime(2026, 1, 1, tzinfo=dt.UTC))
        .not_valid_after(dt.datetime(2028, 1, 1, tzinfo=dt.UTC))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.CODE_SIGNING]), critical=True)
        .sign(key, hashes.SHA256())
    )
    return Signer(certificate, key)


def info_plist(
    bundle_id: str = "com.example.bank",
    *,
    executable: str = "Bank",
    minimum: str | None = "16.0",
    version: str = "2.3.1",
    build: str = "7",
    **extra: Any,
) -> dict[str, Any]:
    """An Info.plist as Xcode writes it for an iPhone app; ``minimum=None`` leaves out MinimumOSVersion."""
    info: dict[str, Any] = {
        "CFBundleDevelopmentRegion": "ja",
        "CFBundleExecutable": executable,
        "CFBundleIdentifier": bundle_id,
        "CFBundleInfoDictionaryVersion": "6.0",
        "CFBundleName": executable,
        "CFBundlePackageType": "APPL",
        "CFBundleShortVersionString": version,
        "CFBundleSupportedPlatforms": ["iPhoneOS"],
        "CFBundleVersion": build,
        "DTPlatformName": "iphoneos",
        "DTSDKName": "iphoneos26.0",
        "LSRequiresIPhoneOS": True,
        "UIDeviceFamily": [1],
        "UILaunchStoryboardName": "LaunchScreen",
    }
    if minimum is not None:
        info["MinimumOSVersion"] = minimum
    info.update(extra)
    return info


def profile(
    kind: str = "app-store",
    *,
    bundle_id: str = "com.example.bank",
    name: str | None = None,
    entitlements: Mapping[str, Any] | None = None,
    expires: dt.datetime = EXPIRES,
) -> dict[str, Any]:
    """A provisioning profile's plist as Apple issues it. ``kind``: ``development`` (get-task-allow, devices,
    aps-environment development), ``ad-hoc`` (devices, no get-task-allow), ``app-store`` (neither) or
    ``enterprise`` (ProvisionsAllDevices). ``entitlements`` is merged over what the kind implies (a None
    value leaves that key out)."""
    development = kind == "development"
    granted: dict[str, Any] = {
        "application-identifier": f"{TEAM_ID}.{bundle_id}",
        "com.apple.developer.team-identifier": TEAM_ID,
        "keychain-access-groups": [f"{TEAM_ID}.*"],
        "get-task-allow": development,
        "aps-environment": "development" if development else "production",
    }
    granted.update(entitlements or {})
    granted = {key: value for key, value in granted.items() if value is not None}
    found: dict[str, Any] = {
        "AppIDName": "Example Bank",
        "ApplicationIdentifierPrefix": [TEAM_ID],
        "CreationDate": CREATED,
        "Platform": ["iOS"],
        "IsXcodeManaged": development,
        "DeveloperCertificates": [signer().der],
        "Entitlements": granted,
        "ExpirationDate": expires,
        "Name": name or f"Example Bank {kind}",
        "TeamIdentifier": [TEAM_ID],
        "TeamName": TEAM_NAME,
        "TimeToLive": 364,
        "UUID": "5b0e8c1e-3f0a-4d6b-9a51-7c2f1d0e4a88",
        "Version": 1,
    }
    if kind in ("development", "ad-hoc"):
        found["ProvisionedDevices"] = list(DEVICES)
    if kind == "enterprise":
        found["ProvisionsAllDevices"] = True
    return found


def mobileprovision(found: Mapping[str, Any]) -> bytes:
    """``embedded.mobileprovision``: the profile's XML plist inside a DER CMS SignedData envelope (content
    attached, signer certificate included), as Apple ships it."""
    return envelope(plistlib.dumps(dict(found), fmt=plistlib.FMT_XML))


def envelope(body: bytes) -> bytes:
    """``body`` as the attached content of a DER CMS SignedData (``Binary``: signed as is, no CRLF)."""
    who = signer()
    return (
        pkcs7.PKCS7SignatureBuilder()
        .set_data(body)
        .add_signer(who.certificate, who.key, hashes.SHA256())
        .sign(serialization.Encoding.DER, [pkcs7.PKCS7Options.Binary])
    )


def entitlements_blob(entitlements: Mapping[str, Any]) -> bytes:
    """CSMAGIC_EMBEDDED_ENTITLEMENTS: magic, big-endian length of the whole blob, then the XML plist."""
    body = plistlib.dumps(dict(entitlements), fmt=plistlib.FMT_XML)
    return struct.pack(">II", _ENTITLEMENTS, 8 + len(body)) + body


def _code_signature(entitlements: Mapping[str, Any] | None, identifier: str) -> bytes:
    """A SuperBlob: a CodeDirectory stub (magic, length, identifier) and, when given, the entitlements."""
    ident = identifier.encode() + b"\x00"
    directory = struct.pack(">II", _CODEDIRECTORY, 8 + 4 + len(ident)) + struct.pack(">I", 0x20400) + ident
    blobs = [(0, directory)] + ([(5, entitlements_blob(entitlements))] if entitlements is not None else [])
    header = 12 + 8 * len(blobs)
    index, offset, body = b"", header, b""
    for slot, blob in blobs:
        index += struct.pack(">II", slot, offset)
        offset += len(blob)
        body += blob
    return struct.pack(">III", _SUPERBLOB, header + len(body), len(blobs)) + index + body


def _thin(cpu: int, entitlements: Mapping[str, Any] | None, identifier: str, frameworks: bool) -> bytes:
    header = struct.pack("<IiiIIIII", _MH_MAGIC_64, cpu, 0, 2, 0, 0, 0x00200085, 0)
    text = b"\x1f\x20\x03\xd5" * 256  # arm64 NOPs standing in for code
    links = LOCAL_AUTHENTICATION if frameworks else b""
    return header + links + text + _code_signature(entitlements, identifier)


def executable(
    entitlements: Mapping[str, Any] | None = None,
    *,
    identifier: str = "com.example.bank",
    fat: Mapping[str, Any] | None = None,
    local_authentication: bool = False,
) -> bytes:
    """A main executable whose code signature holds ``entitlements`` (None: a signature without any). With
    ``fat``, a universal binary whose second (armv7) slice is signed with those entitlements instead.
    ``local_authentication`` names LocalAuthentication.framework the way a load command does."""
    first = _thin(_CPU_ARM64, entitlements, identifier, local_authentication)
    if fat is None:
        return first
    second = _thin(_CPU_ARMV7, fat, identifier, local_authentication)
    align = 0x4000
    at_first = align
    at_second = -(-(at_first + len(first)) // align) * align
    header = struct.pack(">II", 0xCAFEBABE, 2)
    header += struct.pack(">IIIII", _CPU_ARM64, 0, at_first, len(first), 14)
    header += struct.pack(">IIIII", _CPU_ARMV7, 0, at_second, len(second), 14)
    out = bytearray(header.ljust(at_first, b"\x00") + first)
    out += bytes(at_second - len(out)) + second
    return bytes(out)


@dataclass
class Ipa:
    """One app package to write. ``signed`` is what the executable's code signature holds (None: a
    signature without entitlements; see ``no_executable``); ``profile`` is the profile's plist or, as
    bytes, the exact ``embedded.mobileprovision``."""

    info: dict[str, Any] = field(default_factory=info_plist)
    binary_info: bool = False
    profile: Mapping[str, Any] | bytes | None = None
    signed: Mapping[str, Any] | None = None
    fat: Mapping[str, Any] | None = None
    xcent: Mapping[str, Any] | None = None
    local_authentication: bool = False
    no_executable: bool = False
    app: str = "Bank.app"
    extra: dict[str, bytes] = field(default_factory=dict)

    def files(self) -> dict[str, bytes]:
        """Entry name → bytes, in the order Xcode's export writes them."""
        root = f"Payload/{self.app}/"
        fmt = plistlib.FMT_BINARY if self.binary_info else plistlib.FMT_XML
        entries = {
            root + "_CodeSignature/CodeResources": plistlib.dumps({"files": {}, "files2": {}, "rules": {}}),
            root + "Info.plist": plistlib.dumps(self.info, fmt=fmt),
            root + "PkgInfo": b"APPL????",
        }
        if self.profile is not None:
            data = self.profile if isinstance(self.profile, bytes) else mobileprovision(self.profile)
            entries[root + "embedded.mobileprovision"] = data
        if self.xcent is not None:
            entries[root + "archived-expanded-entitlements.xcent"] = plistlib.dumps(dict(self.xcent))
        name = self.info.get("CFBundleExecutable")
        if not self.no_executable and isinstance(name, str):
            entries[root + name] = executable(
                self.signed,
                identifier=str(self.info.get("CFBundleIdentifier", "")),
                fat=self.fat,
                local_authentication=self.local_authentication,
            )
        entries.update({k if k.startswith("Payload/") else root + k: v for k, v in self.extra.items()})
        return entries

    def write(self, path: Path) -> Path:
        write_zip(path, self.files())
        return path


def write_zip(path: Path, entries: Mapping[str, bytes], *, stored: bool = False) -> Path:
    """A zip with the folder entries an IPA has (``Payload/``, ``Payload/<Name>.app/`` and those below) and
    then ``entries``, in their order."""
    folders = sorted(
        {
            "/".join(n.split("/")[:i]) + "/"
            for n in entries
            if n.startswith("Payload/")
            for i in range(1, n.count("/") + 1)
        }
    )
    method = zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED
    with zipfile.ZipFile(path, "w", method) as archive:
        for folder in folders:
            archive.writestr(folder, b"")
        for name, data in entries.items():
            archive.writestr(name, data)
    return path
