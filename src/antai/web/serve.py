"""What `antai serve` does before it answers a request: choose the settings, apply the migrations and check
that none is missing, then hand the WSGI application to waitress. A failure at any step raises
:class:`WebError` (the CLI words it and exits 1), so a half-migrated server never starts."""

from __future__ import annotations

import importlib.util
import os
from pathlib import Path
from typing import Any

from antai.errors import AntaiError


class WebError(AntaiError):
    """The web app cannot start: the extra is missing, or the database is not what this version needs."""


def prepare(data: Path) -> None:
    """Point Django at antai's settings with ``data`` as the data folder, and set it up."""
    if importlib.util.find_spec("django") is None or importlib.util.find_spec("allauth") is None:
        raise WebError(
            "the web app needs Django: pip install 'antai[web]'", code="web_extra_missing", hint="antai[web]"
        )
    os.environ["DJANGO_SETTINGS_MODULE"] = "antai.web.settings"
    os.environ["ANTAI_WEB_DATA"] = str(data)
    data.mkdir(parents=True, exist_ok=True)
    import django

    django.setup()


def migrate() -> list[str]:
    """Apply every migration; returns those applied now. Raises WebError when one fails, when the database
    still lacks one afterwards, or when the models have changes no migration holds (a packaging error)."""
    from django.core.management import call_command
    from django.db import DatabaseError

    from antai.web.site.views import pending_migrations

    before = _safe_pending()
    try:
        call_command("migrate", interactive=False, verbosity=0)
    except (DatabaseError, Exception) as exc:  # any failure here must stop the server, whatever raised it
        raise WebError(
            f"the database could not be migrated: {type(exc).__name__}: {exc}",
            code="web_migration_failed",
            error=f"{type(exc).__name__}: {exc}"[:500],
        ) from None
    missing = pending_migrations()
    if missing:
        raise WebError(
            f"migrations not applied: {', '.join(missing)}", code="web_migrations_pending", names=", ".join(missing)
        )
    changed = _model_changes()
    if changed:
        raise WebError(f"models changed without a migration: {', '.join(changed)}", code="web_model_changes",
                       names=", ".join(changed))  # fmt: skip
    return before


def _safe_pending() -> list[str]:
    from antai.web.site.views import pending_migrations

    try:
        return pending_migrations()
    except Exception:  # an unreachable database: migrate() reports it
        return []


def _model_changes() -> list[str]:
    """The apps whose models differ from their migrations (Django's own `makemigrations --check`)."""
    import io

    from django.core.management import call_command

    out = io.StringIO()
    try:
        call_command("makemigrations", check=True, dry_run=True, verbosity=1, stdout=out)
    except SystemExit:
        return sorted({line.split("'")[1] for line in out.getvalue().splitlines() if line.startswith("Migrations for")})
    return []


def application() -> Any:
    from antai.web.wsgi import application as wsgi

    return wsgi


def run(host: str, port: int, threads: int) -> None:
    """Serve until interrupted (waitress: a pure-Python, production-grade WSGI server)."""
    from django.conf import settings
    from django.contrib.staticfiles.handlers import StaticFilesHandler
    from waitress import serve

    app = application()
    # the app's own CSS is served by Django's static handler (a handful of small files; no CDN, no build step)
    settings.DEBUG = False
    serve(
        StaticFilesHandler(app),
        host=host,
        port=port,
        threads=threads,
        ident="antai",
        clear_untrusted_proxy_headers=True,
    )
