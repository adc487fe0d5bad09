"""Ed25519 signing keys (``cryptography``, never home-made): create, serialise, load, fingerprint.

The fingerprint is the SHA-256 of the 32 raw bytes of the public key, written as 16 groups of four hex
digits joined by colons, so that a person can read it out over the phone and a bank can compare it with
what the venture sent out of band.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import re

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from antai.errors import InvalidChange

MAX_KEY_BYTES = 16 * 1024  # a PEM Ed25519 key is a few hundred bytes
ALGORITHM = "Ed25519"

__all__ = [
    "ALGORITHM",
    "Ed25519PrivateKey",
    "Ed25519PublicKey",
    "fingerprint",
    "generate",
    "load_private",
    "load_public",
    "parse_fingerprint",
    "private_pem",
    "public_pem",
    "public_raw_base64",
    "sign",
    "signature_valid",
]


def generate() -> Ed25519PrivateKey:
    return Ed25519PrivateKey.generate()


def private_pem(key: Ed25519PrivateKey, passphrase: bytes | None = None) -> bytes:
    """PKCS#8 PEM, encrypted with the best scheme ``cryptography`` offers when a passphrase is given."""
    encryption: serialization.KeySerializationEncryption = (
        serialization.BestAvailableEncryption(passphrase) if passphrase else serialization.NoEncryption()
    )
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, encryption)


def load_private(data: bytes, passphrase: bytes | None = None) -> Ed25519PrivateKey:
    """The private key in PEM ``data``; refuses other key types, and says when a passphrase is needed
    or wrong (never which one it was given)."""
    if len(data) > MAX_KEY_BYTES:
        raise InvalidChange("the key file is too large to be an Ed25519 key", code="bad_key")
    encrypted = b"ENCRYPTED" in data
    if encrypted and not passphrase:
        raise InvalidChange(
            "the signing key is encrypted: set ANTAI_KEY_PASSPHRASE to its passphrase", code="key_passphrase"
        )
    try:
        key = serialization.load_pem_private_key(data, password=passphrase if encrypted else None)
    except ValueError:
        if encrypted:
            raise InvalidChange(
                "the signing key cannot be decrypted: ANTAI_KEY_PASSPHRASE is not its passphrase",
                code="key_passphrase_wrong",
            ) from None
        raise InvalidChange("not a PEM private key", code="bad_key") from None
    except TypeError:
        raise InvalidChange("not a PEM private key", code="bad_key") from None
    if not isinstance(key, Ed25519PrivateKey):
        raise InvalidChange("the key is not an Ed25519 key", code="bad_key")
    return key


def public_pem(key: Ed25519PublicKey) -> bytes:
    return key.public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)


def _raw(key: Ed25519PublicKey) -> bytes:
    return key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def public_raw_base64(key: Ed25519PublicKey) -> str:
    return base64.b64encode(_raw(key)).decode("ascii")


def load_public(data: bytes) -> Ed25519PublicKey:
    """A public key as PEM (SubjectPublicKeyInfo) or as the base64 of its 32 raw bytes."""
    if len(data) > MAX_KEY_BYTES:
        raise InvalidChange("the key file is too large to be an Ed25519 public key", code="bad_key")
    text = data.strip()
    if text.startswith(b"-----BEGIN"):
        try:
            key = serialization.load_pem_public_key(text)
        except (ValueError, TypeError):
            raise InvalidChange("not a PEM public key", code="bad_key") from None
        if not isinstance(key, Ed25519PublicKey):
            raise InvalidChange("the key is not an Ed25519 key", code="bad_key")
        return key
    try:
        raw = base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        raise InvalidChange("neither a PEM public key nor the base64 of a raw Ed25519 key", code="bad_key") from None
    if len(raw) != 32:
        raise InvalidChange("a raw Ed25519 public key has 32 bytes", code="bad_key")
    return Ed25519PublicKey.from_public_bytes(raw)


def fingerprint(key: Ed25519PublicKey) -> str:
    digest = hashlib.sha256(_raw(key)).hexdigest()
    return ":".join(digest[i : i + 4] for i in range(0, 64, 4))


def parse_fingerprint(text: str) -> str | None:
    """A fingerprint as people copy it (any case, colons, spaces or none, an optional ``SHA256:``
    prefix) in the canonical grouped form; None when it is not 64 hex digits."""
    cleaned = re.sub(r"^\s*sha-?256\s*:?", "", text.strip(), flags=re.IGNORECASE)
    digits = re.sub(r"[\s:_-]", "", cleaned).lower()
    if not re.fullmatch(r"[0-9a-f]{64}", digits):
        return None
    return ":".join(digits[i : i + 4] for i in range(0, 64, 4))


def sign(key: Ed25519PrivateKey, data: bytes) -> bytes:
    return key.sign(data)


def signature_valid(key: Ed25519PublicKey, signature: bytes, data: bytes) -> bool:
    try:
        key.verify(signature, data)
    except InvalidSignature:
        return False
    return True
