"""Envelope encryption of evidence files, with the primitives of the ``cryptography`` package only.

Every file gets a fresh 256-bit data key and is sealed with AES-256-GCM under a random 96-bit nonce; the
associated data binds the ciphertext to its organisation, its key and the SHA-256 of its plaintext, so a row
copied to another organisation or another key does not open. The data key is wrapped with AES key wrap
(RFC 3394) under the master key, which never reaches the database:

``ANTAI_WEB_KEY``  the master key as URL-safe base64 of 32 bytes; otherwise one is made once and kept (mode
                   0600) in the data folder as ``master-key``. Losing it loses every stored evidence file.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import os
import secrets
from dataclasses import dataclass
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.keywrap import InvalidUnwrap, aes_key_unwrap, aes_key_wrap

from antai.errors import AntaiError, Damaged

KEY_ENV = "ANTAI_WEB_KEY"
KEY_FILE = "master-key"
KEY_BYTES = 32
NONCE_BYTES = 12
_CONTEXT = "antai-evidence-v1"


@dataclass(frozen=True)
class Sealed:
    """What the database keeps of one file."""

    nonce: bytes
    wrapped_key: bytes
    ciphertext: bytes


def _decode_key(text: str, where: str) -> bytes:
    try:
        key = base64.urlsafe_b64decode(text.strip().encode("ascii"))
    except (binascii.Error, ValueError, UnicodeEncodeError):
        key = b""
    if len(key) != KEY_BYTES:
        raise AntaiError(f"{where}: the master key must be URL-safe base64 of {KEY_BYTES} bytes", code="bad_master_key")
    return key


def master_key(data_folder: Path | None = None) -> bytes:
    """The key that wraps every data key: from ANTAI_WEB_KEY, else from (or, the first time, into) the data
    folder's master-key file."""
    given = os.environ.get(KEY_ENV)
    if given:
        return _decode_key(given, KEY_ENV)
    if data_folder is None:
        from django.conf import settings

        data_folder = Path(settings.DATA)
    path = data_folder / KEY_FILE
    if not path.exists():
        data_folder.mkdir(parents=True, exist_ok=True)
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass  # another process made it first: use theirs
        else:
            with os.fdopen(fd, "w") as handle:
                handle.write(base64.urlsafe_b64encode(secrets.token_bytes(KEY_BYTES)).decode("ascii") + "\n")
    return _decode_key(path.read_text(encoding="ascii"), str(path))


def _associated(organisation: int, key: str, sha256: str) -> bytes:
    # JSON of a list: unambiguous, so no two (organisation, key, sha256) give the same bytes
    return json.dumps([_CONTEXT, organisation, key, sha256], ensure_ascii=False, separators=(",", ":")).encode()


def seal(plaintext: bytes, *, organisation: int, key: str, sha256: str, master: bytes) -> Sealed:
    """Encrypt one file under a fresh data key, wrapped by ``master``."""
    if hashlib.sha256(plaintext).hexdigest() != sha256:
        raise AntaiError(f"{key}: the file does not match its sha256", code="blob_changed")
    data_key = AESGCM.generate_key(bit_length=256)
    nonce = secrets.token_bytes(NONCE_BYTES)
    ciphertext = AESGCM(data_key).encrypt(nonce, plaintext, _associated(organisation, key, sha256))
    return Sealed(nonce=nonce, wrapped_key=aes_key_wrap(master, data_key), ciphertext=ciphertext)


class BlobUnreadable(Damaged):
    """A stored evidence file that does not decrypt or verify: altered, moved, or sealed under another key."""

    code = "blob_unreadable"


def unseal(
    sealed: Sealed, *, organisation: int, key: str, sha256: str, master: bytes, size: int | None = None
) -> bytes:
    """The plaintext of one file, or BlobUnreadable: never bytes that were not sealed for this very
    organisation, key and digest (and, when given, of this size)."""

    def refuse(why: str) -> BlobUnreadable:
        return BlobUnreadable(
            f"evidence {key} cannot be read back: {why} (the stored file was altered, moved to another "
            "organisation or key, or sealed under a different master key)",
            key=key,
            reason=why,
        )

    try:
        data_key = aes_key_unwrap(master, bytes(sealed.wrapped_key))
    except (InvalidUnwrap, ValueError):
        raise refuse("its data key does not unwrap") from None
    if len(sealed.nonce) != NONCE_BYTES:
        raise refuse("its nonce has the wrong length")
    try:
        plaintext = AESGCM(data_key).decrypt(
            bytes(sealed.nonce), bytes(sealed.ciphertext), _associated(organisation, key, sha256)
        )
    except (InvalidTag, ValueError):
        raise refuse("it does not authenticate") from None
    if not hmac.compare_digest(hashlib.sha256(plaintext).hexdigest(), sha256):
        raise refuse("its content does not match its sha256")
    if size is not None and len(plaintext) != size:
        raise refuse(f"it has {len(plaintext)} bytes, not the {size} recorded")
    return plaintext
