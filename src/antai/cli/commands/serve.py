"""`antai serve`: the team web app."""

from __future__ import annotations

from pathlib import Path

import click

from antai.cli.context import get_env
from antai.cli.params import lang_option


@click.command("serve")
@click.option(
    "--data",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("antai-web"),
    show_default=True,
    help="Folder for the SQLite database, the secret key and outgoing mail (DATABASE_URL selects PostgreSQL).",
)
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", type=click.IntRange(1, 65535), default=8000, show_default=True)
@click.option("--threads", type=click.IntRange(1, 64), default=8, show_default=True)
@click.option("--check", is_flag=True, help="Apply and check the migrations, print the state, and exit.")
@lang_option
def serve(data: Path, host: str, port: int, threads: int, check: bool, lang: str) -> None:
    """Run the team web app: migrations applied and checked first, then the server (SQLite by default).

    \b
    A migration that fails or is missing stops it with a message and exit 1, never a half-working
    server. GET /healthz answers 200 only while the database answers and every migration is applied.
    """
    from antai.cli.errors import CheckFailed
    from antai.messages import error_text
    from antai.web.serve import WebError, migrate, prepare, run

    env = get_env()
    try:
        prepare(data)
        applied = migrate()
    except WebError as exc:
        raise CheckFailed(error_text(exc.code, exc.params, str(exc), env.lang), env.lang) from None
    click.echo(env.say("serve_ready", data=data, applied=len(applied)), err=True)
    if check:
        return
    click.echo(env.say("serve_listening", url=f"http://{host}:{port}/"), err=True)
    run(host, port, threads)
