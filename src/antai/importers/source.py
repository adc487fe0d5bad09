"""Opening a scanner's file safely, and the problems an importer reports about it.

Every importer reads its file once from start to end through :class:`InputFile`, which hashes what it
reads (the run's ``input_sha256`` comes from the same pass) and reports progress by bytes. Only regular
files are read: a FIFO, a device (``/dev/zero``) or a folder is refused before the first byte, so that
nothing can make an import wait forever or read without end.

Problems are :class:`~antai.catalog.yamlsource.Problem` with codes ``import.<reason>`` and their values in
``params``, so that the CLI can word them in Japanese; the English message is the core's own.
"""

from __future__ import annotations

import datetime as dt
import errno
import gc
import hashlib
import os
import stat
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

from antai.catalog.yamlsource import Problem, SourceError, brief

Progress = Callable[[int, int], None]  # (bytes read, bytes in all); total 0 when unknown

CHUNK = 1 << 20  # bytes read at a time
_ERRNO_NAMES = {errno.ENOENT: "ENOENT", errno.EACCES: "EACCES", errno.EPERM: "EPERM", errno.EISDIR: "EISDIR"}


def problem(display: str, line: int, column: int, message: str, code: str, /, **params: object) -> Problem:
    """A problem with code ``import.<code>`` (the message is English; ``params`` are for other languages)."""
    return Problem(
        display,
        max(1, line),
        max(1, column),
        brief(message, 600),
        "import." + code,
        tuple(sorted((k, brief(str(v), 200)) for k, v in params.items())),
    )


def fail(display: str, line: int, column: int, message: str, code: str, /, **params: object) -> SourceError:
    return SourceError([problem(display, line, column, message, code, **params)])


@dataclass
class InputFile:
    """A scanner's file opened for one streaming pass: bytes in chunks, hashed, with progress.

    ``passes`` is how many times the importer reads it (SARIF reads twice: the rules first), so that
    progress counts to the end of the last pass.
    """

    path: Path
    display: str
    progress: Progress | None = None
    passes: int = 1
    size: int = 0
    mtime: dt.datetime = field(default_factory=lambda: dt.datetime.now(dt.UTC))
    read_bytes: int = 0
    _sha: Any = None  # a hashlib sha256 object (its type has no public name at run time)
    _handle: BinaryIO | None = None
    _pass: int = 0
    _done_before: int = 0
    _pending: bytes = b""
    _collecting: bool = False

    def __post_init__(self) -> None:
        self._sha = hashlib.sha256()

    def open(self) -> InputFile:
        """Open (or reopen, for the next pass) the file; refuses anything but a regular file."""
        self.close()
        try:
            fd = os.open(self.path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
        except OSError as exc:
            name = _ERRNO_NAMES.get(exc.errno or 0, "")
            raise fail(
                self.display, 1, 1, f"cannot read the file: {exc.strerror or exc}", "unreadable", errno=name
            ) from None
        try:
            info = os.fstat(fd)
            if not stat.S_ISREG(info.st_mode):
                kind = "a folder" if stat.S_ISDIR(info.st_mode) else "not a regular file (a pipe, device or socket)"
                raise fail(self.display, 1, 1, f"{kind}: give the scanner's output file", "not_a_file")
            if getattr(os, "O_NONBLOCK", 0):
                os.set_blocking(fd, True)
            handle = os.fdopen(fd, "rb", buffering=0)
        except BaseException:
            os.close(fd)
            raise
        if self._pass == 0:
            self.size = info.st_size
            self.mtime = dt.datetime.fromtimestamp(info.st_mtime, dt.UTC)
        elif info.st_size != self.size:
            handle.close()
            raise self.changed()
        self._done_before = self.size * self._pass
        self._pass += 1
        self._handle = handle
        self._pending = b""
        self.read_bytes = 0
        return self

    def changed(self) -> SourceError:
        return fail(self.display, 1, 1, "the file changed while it was being read: import it again", "changed")

    def head(self, size: int) -> bytes:
        """The first ``size`` bytes (fewer for a shorter file), which the next read() returns again."""
        if not self._pending and self.read_bytes == 0:
            self._pending = self._read(size)
        return self._pending

    def read(self, size: int = CHUNK) -> bytes:
        """Up to ``size`` bytes; ``b""`` at the end. The first pass hashes them."""
        if self._pending:
            data, self._pending = self._pending[:size], self._pending[size:]
            return data
        return self._read(size)

    def _read(self, size: int) -> bytes:
        assert self._handle is not None, "open() first"
        data = self._handle.read(size)
        if data:
            self.read_bytes += len(data)
            if self._pass == 1 and self._sha is not None:
                self._sha.update(data)
            if self.progress is not None:
                self.progress(self._done_before + self.read_bytes, self.size * self.passes)
        elif self._pass > 1 and self.read_bytes != self.size:
            raise self.changed()
        return data

    def drain(self) -> None:
        """Read (and hash) whatever the parser did not need, so that the hash covers the whole file."""
        while self.read():
            pass

    @property
    def sha256(self) -> str:
        assert self._sha is not None
        digest: str = self._sha.hexdigest()
        return digest

    def close(self) -> None:
        if self._handle is not None:
            self._handle.close()
            self._handle = None

    def __enter__(self) -> InputFile:
        # an import makes millions of short-lived objects and no cycles: the cyclic collector would only
        # walk them again and again (a third of the time on a big Prowler file)
        self._collecting = gc.isenabled()
        gc.disable()
        try:
            return self.open()
        except BaseException:
            self._restore()
            raise

    def __exit__(self, *_: object) -> None:
        self.close()
        self._restore()

    def _restore(self) -> None:
        if self._collecting:
            gc.enable()
