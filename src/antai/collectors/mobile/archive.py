"""Reading untrusted app packages (APK and IPA are zip files) within limits, without extracting anything.

Everything that can make a zip reader hang or exhaust memory is refused before a byte is decompressed:
too many entries (read from the end-of-central-directory record, before the directory is parsed), a
total or per-entry uncompressed size beyond the limits, a compression ratio only a zip bomb has, and names
no builder writes (``..`` components, absolute paths, NUL bytes, duplicates: the last is how the "master key"
attacks smuggled a second manifest past a verifier). Symbolic links are never followed: reading one is
refused. Reads are capped again while decompressing, so a lying size field cannot get past the limit.
"""

from __future__ import annotations

import stat
import struct
import zipfile
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import BinaryIO

from antai.errors import AntaiError, NotFound

__all__ = ["DEFAULT_LIMITS", "Limits", "Package", "PackageError", "open_package"]

KiB, MiB, GiB = 1024, 1024 * 1024, 1024 * 1024 * 1024


@dataclass(frozen=True)
class Limits:
    """What a package may hold. The defaults fit the largest store apps with a wide margin."""

    max_file: int = 4 * GiB  # the package itself
    max_entries: int = 100_000
    max_total: int = 8 * GiB  # uncompressed, all entries together (declared sizes)
    max_ratio: int = 200  # uncompressed / compressed, for an entry of at least ratio_floor bytes
    ratio_floor: int = 16 * MiB
    max_read: int = 64 * MiB  # what one read may return (a manifest, a plist, a dex's strings)


DEFAULT_LIMITS = Limits()


class PackageError(AntaiError):
    """The package cannot be read safely; ``reason`` says why (worded by the adapters)."""

    code = "package_refused"


def _printable(text: str) -> str:
    """``text`` with control characters escaped: an entry name is the package author's, and a newline in it
    must not let the package print a line of its choosing under antai's message."""
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)


def _refuse(path: Path, reason: str, detail: str = "", limit: int | None = None) -> PackageError:
    detail = _printable(detail)
    message = f"{path}: cannot read the package safely ({reason}{': ' + detail if detail else ''})"
    return PackageError(message, path=str(path), reason=reason, detail=detail, limit=limit)


class Package:
    """An open package whose directory passed the limits: list names, read entries (capped)."""

    def __init__(self, path: Path, archive: zipfile.ZipFile, limits: Limits) -> None:
        self.path = path
        self._zip = archive
        self._limits = limits
        self._infos = {info.filename: info for info in archive.infolist()}

    def names(self) -> list[str]:
        return list(self._infos)

    def has(self, name: str) -> bool:
        return name in self._infos

    def size(self, name: str) -> int:
        return self._infos[name].file_size

    def read(self, name: str, *, limit: int | None = None) -> bytes:
        """The entry's bytes, at most ``limit`` (default: the package limits' ``max_read``)."""
        cap = min(limit or self._limits.max_read, self._limits.max_read)
        info = self._infos.get(name)
        if info is None:
            raise _refuse(self.path, "missing", name)
        if stat.S_ISLNK(info.external_attr >> 16):
            raise _refuse(self.path, "symlink", name)
        if info.flag_bits & 0x1:
            raise _refuse(self.path, "encrypted", name)
        if info.file_size > cap:
            raise _refuse(self.path, "entry_too_large", name, limit=cap)
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            # app packages use only these two; bzip2 and LZMA would bring their own decoders' failure modes
            raise _refuse(self.path, "corrupt", f"{name}: compression method {info.compress_type}")
        try:
            with self._zip.open(info) as stream:
                data = stream.read(cap + 1)
        except (zipfile.BadZipFile, zlib.error, NotImplementedError, EOFError, OSError, ValueError) as exc:
            raise _refuse(self.path, "corrupt", f"{name}: {type(exc).__name__}") from exc
        except RuntimeError as exc:  # zipfile raises it for entries that need a password
            raise _refuse(self.path, "encrypted", name) from exc
        if len(data) > cap:
            raise _refuse(self.path, "entry_too_large", name, limit=cap)
        return data


@contextmanager
def open_package(path: Path, limits: Limits = DEFAULT_LIMITS) -> Iterator[Package]:
    """Open ``path`` as a zip package after checking it against ``limits``; raises :class:`PackageError`."""
    try:
        info = path.stat()
    except FileNotFoundError as exc:
        raise NotFound(f"{path}: no such file", code="package_not_found", path=str(path)) from exc
    except OSError as exc:
        raise _refuse(path, "unreadable", exc.strerror or type(exc).__name__) from exc
    if not stat.S_ISREG(info.st_mode):
        raise _refuse(path, "not_a_file")
    if info.st_size > limits.max_file:
        raise _refuse(path, "file_too_large", limit=limits.max_file)
    try:
        with path.open("rb") as handle:
            count = _declared_entries(handle, info.st_size)
            if count is None:
                raise _refuse(path, "not_zip")
            if count > limits.max_entries:
                raise _refuse(path, "too_many_entries", str(count), limit=limits.max_entries)
            try:
                archive = zipfile.ZipFile(handle)
            except (
                zipfile.BadZipFile,
                zipfile.LargeZipFile,
                NotImplementedError,
                EOFError,
                ValueError,
                struct.error,
            ) as exc:
                raise _refuse(path, "not_zip", type(exc).__name__) from exc
            with archive:
                _check_directory(path, archive, limits)
                yield Package(path, archive, limits)
    except PermissionError as exc:
        raise _refuse(path, "unreadable", exc.strerror or "PermissionError") from exc


_EOCD = b"PK\x05\x06"
_EOCD64_LOCATOR = b"PK\x06\x07"
_EOCD64 = b"PK\x06\x06"


def _declared_entries(handle: BinaryIO, size: int) -> int | None:
    """The entry count the end-of-central-directory record declares (zip64 included), or None when there is
    no such record. Read from the last 64 KiB + 22 bytes, so a huge directory is refused before it is parsed."""
    tail_size = min(size, 65_536 + 22)
    handle.seek(size - tail_size)
    tail = handle.read(tail_size)
    at = tail.rfind(_EOCD)
    if at < 0 or len(tail) - at < 22:
        return None
    (count,) = struct.unpack_from("<H", tail, at + 10)
    locator = at - 20
    if locator >= 0 and tail[locator : locator + 4] == _EOCD64_LOCATOR:
        (offset,) = struct.unpack_from("<Q", tail, locator + 8)
        if offset + 56 > size:
            return None
        handle.seek(offset)
        record = handle.read(56)
        if record[:4] != _EOCD64:
            return None
        (count64,) = struct.unpack_from("<Q", record, 32)
        return max(int(count), int(count64))
    return int(count)


def _check_directory(path: Path, archive: zipfile.ZipFile, limits: Limits) -> None:
    seen: set[str] = set()
    total = 0
    for info in archive.infolist():
        name = info.filename
        _check_name(path, name)
        if name in seen:
            raise _refuse(path, "duplicate", name)
        seen.add(name)
        total += info.file_size
        if total > limits.max_total:
            raise _refuse(path, "total_too_large", limit=limits.max_total)
        if info.file_size >= limits.ratio_floor and info.file_size > limits.max_ratio * max(info.compress_size, 1):
            ratio = info.file_size // max(info.compress_size, 1)
            raise _refuse(path, "ratio", f"{name}: {ratio}:1", limit=limits.max_ratio)


def _check_name(path: Path, name: str) -> None:
    if "\x00" in name or not name:
        raise _refuse(path, "bad_name", repr(name)[:80])
    normalised = name.replace("\\", "/")
    pure = PurePosixPath(normalised)
    if normalised.startswith("/") or (len(normalised) > 1 and normalised[1] == ":") or ".." in pure.parts:
        raise _refuse(path, "traversal", name[:200])
