"""A cache of the validated catalog, so that reading commands skip parsing a hundred YAML files.

The cache is plain JSON that is validated again by the schema when read: a tampered or stale cache
can never inject code or an invalid item, at worst it is ignored. Its key covers the antai version and
the path, size and modification time of every content file, so any edit invalidates it.
Set ``ANTAI_NO_CACHE=1`` to disable it, or ``ANTAI_CACHE_DIR`` to move it (default: the XDG cache dir).
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from antai import __version__

FORMAT = 5  # 3: items in their own file; 4: rules carry CIA and layers; 5: effort days, CSF, level, dependencies


def cache_dir() -> Path | None:
    if os.environ.get("ANTAI_NO_CACHE", "") not in ("", "0"):
        return None
    explicit = os.environ.get("ANTAI_CACHE_DIR")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "antai"


def fingerprint(folders: Iterable[Path]) -> str:
    digest = hashlib.sha256(f"antai {__version__} cache {FORMAT}".encode())
    for folder in folders:
        root = folder.resolve()
        digest.update(str(root).encode())
        for relative, size, mtime in sorted(_yaml_files(root)):
            digest.update(f"{relative}\0{size}\0{mtime}\n".encode())
    return digest.hexdigest()


def _yaml_files(root: Path) -> Iterable[tuple[str, int, int]]:
    """(relative path, size, mtime) of every YAML file below ``root``; os.scandir is several times
    faster than Path.rglob, and this runs on every command."""
    pending = [root]
    while pending:
        folder = pending.pop()
        try:
            entries = list(os.scandir(folder))
        except OSError:
            continue
        for entry in entries:
            if entry.is_dir(follow_symlinks=False):
                pending.append(Path(entry.path))
            elif entry.name.endswith((".yaml", ".yml")):
                info = entry.stat()
                yield os.path.relpath(entry.path, root).replace(os.sep, "/"), info.st_size, info.st_mtime_ns


def read(key: str) -> str | None:
    """The cached catalog as JSON text, or None; the caller validates it (and its key) in one pass."""
    folder = cache_dir()
    if folder is None:
        return None
    try:
        return (folder / f"catalog-{key[:32]}.json").read_text(encoding="utf-8")
    except (OSError, ValueError):
        return None


def items_path(key: str) -> Path | None:
    folder = cache_dir()
    return None if folder is None else folder / f"catalog-{key[:32]}.items.jsonl"


def read_items(key: str) -> list[str]:
    """The cached items, one JSON text each; raises OSError when the file went missing since the start."""
    path = items_path(key)
    if path is None:
        raise OSError("the catalog cache is disabled")
    return path.read_text(encoding="utf-8").splitlines()


def write(key: str, payload: dict[str, Any], items: list[str]) -> None:
    """Store ``payload`` and the ``items`` (JSON texts); the items are written first, so a catalog file
    always has its items. A cache that cannot be written (read-only home, full disk) is simply skipped."""
    folder = cache_dir()
    if folder is None:
        return
    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        for old in folder.glob("catalog-*"):  # one catalog state at a time keeps the folder small
            old.unlink(missing_ok=True)
        target = folder / f"catalog-{key[:32]}.json"
        items_file = folder / f"catalog-{key[:32]}.items.jsonl"
        for path, text in (
            (items_file, "\n".join(items) + "\n"),
            (target, json.dumps({**payload, "key": key}, ensure_ascii=False)),
        ):
            tmp = path.with_suffix(f".{os.getpid()}.tmp")
            tmp.write_text(text, encoding="utf-8")
            os.replace(tmp, path)
    except OSError:
        return
