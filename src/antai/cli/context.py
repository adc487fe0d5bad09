"""What every command finds in ``ctx.obj``: the run's options, the catalog (loaded once), the language
and the workspace store. Typed, so that commands share no untyped dict."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import click

from antai import messages
from antai.cli.errors import source_problems

if TYPE_CHECKING:
    from antai.app.ports import Actor, Snapshot
    from antai.catalog import Catalog
    from antai.workspace.store import FileStore

Lang = Literal["ja", "en"]
LANGS: tuple[Lang, ...] = ("ja", "en")


@dataclass
class Env:
    catalog_dirs: tuple[Path, ...] = ()
    catalog_root: Path | None = None
    lang: Lang = "ja"
    workspace: Path | None = None  # the folder this command works on, named in error messages
    extra: dict[str, Any] = field(default_factory=dict)  # values an error message may name (e.g. source)
    _catalog: Catalog | None = field(default=None, repr=False)

    @property
    def ja(self) -> bool:
        return self.lang == "ja"

    def say(self, key: str, /, **params: Any) -> str:
        return messages.text(key, self.lang, **params)

    def error_context(self) -> dict[str, Any]:
        found = {"workspace": str(self.workspace)} if self.workspace is not None else {}
        return {**found, **self.extra}

    def catalog(self) -> Catalog:
        """The built-in catalog plus any --catalog-dir (or the --catalog folder); problems exit 1."""
        if self._catalog is None:
            from antai.catalog import SourceError, load_catalog
            from antai.catalog.loader import BUILTIN_DIR

            try:
                self._catalog = load_catalog(extensions=self.catalog_dirs, builtin=self.catalog_root or BUILTIN_DIR)
            except SourceError as exc:
                raise source_problems(exc, self.say("catalog_problems", count=len(exc.problems)), self.lang) from None
        return self._catalog

    def store(self, root: Path) -> FileStore:
        from antai.workspace.store import FileStore

        self.workspace = root
        return FileStore(root)

    def actor(self) -> Actor:
        from antai.app.ports import Actor
        from antai.workspace.store import current_user

        return Actor(who=current_user(), now=dt.datetime.now(dt.UTC).replace(microsecond=0))

    def snapshot(self, root: Path) -> tuple[Catalog, FileStore, Snapshot]:
        """Catalog, store and a snapshot for a command that only reads; warns when the catalogs differ
        or parts were edited by hand, refuses a workspace of a newer antai."""
        from antai.app.usecases import refuse_newer_catalog, require_readable

        catalog = self.catalog()
        store = self.store(root)
        with store.locked():
            snapshot = store.load()
        meta = snapshot.assessment.meta
        require_readable(meta)
        pinned, available = meta.catalog_version, catalog.version
        if pinned != available:
            refuse_newer_catalog(pinned, available, "never downgrade a workspace")
            click.secho(self.say("catalog_pinned_older", pinned=pinned, available=available), fg="yellow", err=True)
        if snapshot.unrecorded:
            click.secho(self.say("unrecorded_warning", parts=", ".join(snapshot.unrecorded)), fg="yellow", err=True)
        return catalog, store, snapshot


def get_env(ctx: click.Context | None = None) -> Env:
    """The run's Env; created on the spot when a command is invoked without the root group (tests)."""
    ctx = ctx or click.get_current_context()
    found = ctx.find_object(Env)
    return found if found is not None else ctx.ensure_object(Env)
