"""Which APK signature schemes are present, and the signer certificates, read within bounds.

v2, v3 and v3.1 live in the APK Signing Block, just before the zip's central directory (its offset is in
the end-of-central-directory record); the block's size is checked against that offset and a cap before
anything is read. v1 (JAR signing) is a ``META-INF/*.SF`` file with a PKCS#7 ``.RSA``/``.DSA``/``.EC``
block. Signatures are not verified here (``apksigner verify`` does that): the checks need to know which
schemes a release uses and with which certificate.

Format: https://source.android.com/docs/security/features/apksigning/v2 (and v3).
"""

from __future__ import annotations

import hashlib
import re
import struct
from collections.abc import Callable
from pathlib import Path

from antai.collectors.mobile.android.facts import Certificate, Signing
from antai.errors import AntaiError

__all__ = ["BLOCK_LIMIT", "SigningError", "certificate", "read_signing", "signing_block"]

BLOCK_LIMIT = 16 * 1024 * 1024  # a real block is a few KiB (one signer, a 4 KiB verity padding)
CERT_LIMIT = 1024 * 1024
MAGIC = b"APK Sig Block 42"
V2, V3, V31 = 0x7109871A, 0xF05368C0, 0x1B93AD61
_V1_BLOCK = re.compile(r"META-INF/([^/]+)\.(RSA|DSA|EC)", re.IGNORECASE)
_SIGNATURE_FILE = re.compile(r"META-INF/[^/]+\.SF", re.IGNORECASE)
# AOSP's test keys (build/target/product/security: testkey, platform, shared, media) are public, private
# keys included; their certificates all say CN=Android, O=Android, E=android@android.com


class SigningError(ValueError):
    """The signing block or a signature file is malformed where it had to be read."""


def _u32(data: bytes, at: int) -> int:
    if at + 4 > len(data):
        raise SigningError("a length runs past its field")
    return int(struct.unpack_from("<I", data, at)[0])


def _sequence(data: bytes) -> list[bytes]:
    """A sequence of uint32-length-prefixed values that fills ``data`` exactly."""
    items, at = [], 0
    while at < len(data):
        size = _u32(data, at)
        at += 4
        if at + size > len(data):
            raise SigningError("a value runs past its sequence")
        items.append(data[at : at + size])
        at += size
    return items


def _prefixed(data: bytes, at: int = 0) -> tuple[bytes, int]:
    size = _u32(data, at)
    if at + 4 + size > len(data):
        raise SigningError("a value runs past its field")
    return data[at + 4 : at + 4 + size], at + 4 + size


def signing_block(path: Path) -> dict[int, bytes]:
    """The APK Signing Block's values by ID ({} when the APK has no block)."""
    with path.open("rb") as handle:
        size = handle.seek(0, 2)
        tail_size = min(size, 65_536 + 22)
        handle.seek(size - tail_size)
        tail = handle.read(tail_size)
        at = tail.rfind(b"PK\x05\x06")
        if at < 0 or len(tail) - at < 22:
            raise SigningError("no end-of-central-directory record")
        (cd_offset,) = struct.unpack_from("<I", tail, at + 16)
        locator = at - 20
        if cd_offset == 0xFFFFFFFF and locator >= 0 and tail[locator : locator + 4] == b"PK\x06\x07":
            (record,) = struct.unpack_from("<Q", tail, locator + 8)
            if record + 56 > size:
                raise SigningError("the zip64 record is past the end of the file")
            handle.seek(record)
            zip64 = handle.read(56)
            if zip64[:4] != b"PK\x06\x06":
                raise SigningError("no zip64 end-of-central-directory record")
            (cd_offset,) = struct.unpack_from("<Q", zip64, 48)
        if cd_offset < 32 or cd_offset > size:
            return {}
        handle.seek(cd_offset - 24)
        footer = handle.read(24)
        if footer[8:] != MAGIC:
            return {}
        (block_size,) = struct.unpack_from("<Q", footer, 0)
        if block_size < 24 or block_size + 8 > cd_offset:
            raise SigningError("the signing block's size does not fit before the central directory")
        if block_size > BLOCK_LIMIT:
            raise SigningError(f"the signing block is larger than {BLOCK_LIMIT // (1024 * 1024)} MiB")
        handle.seek(cd_offset - block_size - 8)
        block = handle.read(block_size + 8)
    (leading,) = struct.unpack_from("<Q", block, 0)
    if leading != block_size:
        raise SigningError("the signing block's two sizes differ")
    pairs = block[8 : len(block) - 24]
    values: dict[int, bytes] = {}
    at = 0
    while at < len(pairs):
        if at + 12 > len(pairs):
            raise SigningError("a signing block entry is truncated")
        (length,) = struct.unpack_from("<Q", pairs, at)
        if length < 4 or at + 8 + length > len(pairs):
            raise SigningError("a signing block entry runs past the block")
        (key,) = struct.unpack_from("<I", pairs, at + 8)
        values.setdefault(int(key), pairs[at + 12 : at + 8 + length])
        at += 8 + length
    return values


def _scheme_certificates(value: bytes) -> list[bytes]:
    """The DER certificates of every signer in a v2/v3 signature scheme block."""
    signers, _ = _prefixed(value)
    found = []
    for signer in _sequence(signers):
        signed_data, _ = _prefixed(signer)
        _digests, at = _prefixed(signed_data)
        certificates, _ = _prefixed(signed_data, at)
        found.extend(_sequence(certificates))
    return found


def certificate(der: bytes) -> Certificate:
    from cryptography import x509
    from cryptography.x509.oid import NameOID

    cert = x509.load_der_x509_certificate(der)

    def values(oid: x509.ObjectIdentifier) -> set[str]:
        return {str(a.value) for a in cert.subject.get_attributes_for_oid(oid)}

    aosp = (
        values(NameOID.COMMON_NAME) == {"Android"}
        and values(NameOID.ORGANIZATION_NAME) == {"Android"}
        and values(NameOID.EMAIL_ADDRESS) == {"android@android.com"}
    )
    debug = "android_debug" if "Android Debug" in values(NameOID.COMMON_NAME) else "aosp_test" if aosp else None
    subject = cert.subject.rfc4514_string({NameOID.EMAIL_ADDRESS: "E"})
    return Certificate(subject[:300], hashlib.sha256(der).hexdigest(), debug)


Reader = Callable[..., bytes]  # the package's capped reader: read(name, limit=…)


def read_signing(path: Path, names: list[str], read: Reader) -> Signing:
    """Signing facts of the APK at ``path``, whose entries are ``names``. A malformed part gives a
    :class:`Signing` with ``error`` set (the signing checks then say they could not look)."""
    from cryptography.hazmat.primitives.serialization import Encoding, pkcs7

    signature_files = {n.upper().removesuffix(".SF") for n in names if _SIGNATURE_FILE.fullmatch(n)}
    v1_blocks = [
        n for n in names if (m := _V1_BLOCK.fullmatch(n)) and f"META-INF/{m.group(1)}".upper() in signature_files
    ]
    try:
        block = signing_block(path)
        ders: list[bytes] = []
        for key in (V31, V3, V2):
            if key in block:
                ders.extend(_scheme_certificates(block[key]))
        for name in v1_blocks:
            ders.extend(
                c.public_bytes(Encoding.DER) for c in pkcs7.load_der_pkcs7_certificates(read(name, limit=CERT_LIMIT))
            )
        certificates: list[Certificate] = []
        for der in ders:
            found = certificate(der)
            if all(c.sha256 != found.sha256 for c in certificates):
                certificates.append(found)
    except (SigningError, ValueError, OSError, AntaiError) as exc:
        return Signing(v1=bool(v1_blocks), error=(str(exc) or type(exc).__name__)[:200])
    return Signing(
        v1=bool(v1_blocks), v2=V2 in block, v3=V3 in block, v31=V31 in block, certificates=tuple(certificates)
    )
