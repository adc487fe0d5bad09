"""`antai signoff`: the representative and the security owner approve the assessment before it is submitted."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import click

from antai.cli.context import get_env
from antai.cli.output import emit_json
from antai.cli.params import DATE, EnumChoice, format_option, lang_option, workspace_option


@click.command()
@click.argument(
    "role", required=False, type=EnumChoice("antai.assessment.signoff:SignOffRole", label_prefix="signoff.role.")
)
@click.argument("name", required=False)
@click.option("--title", help="Job title as it should be printed, e.g. 代表取締役, CISO.")
@click.option("--date", "day", type=DATE, metavar="YYYY-MM-DD", help="Date of the sign-off (default: today).")
@format_option("table", "json")
@workspace_option
@lang_option
def signoff(
    role: str | None,
    name: str | None,
    title: str | None,
    day: dt.date | None,
    fmt: str,
    workspace_dir: Path,
    lang: str,
) -> None:
    """Sign off the assessment as it stands (ROLE NAME), or show the sign-offs in force.

    ROLE is representative (代表者) or security_owner (セキュリティ責任者). `antai submit` needs both;
    any later change to the assessment, and every submission, ends them.
    """
    from antai.app import usecases
    from antai.assessment.signoff import SignOffRole, missing_roles, signoffs_in_force
    from antai.cli.errors import BadUsage

    env = get_env()
    if role is not None and name is None:
        raise BadUsage(env.say("signoff_needs_name"))
    if role is not None and name is not None:
        catalog = env.catalog()
        signed = usecases.sign_off(env.store(workspace_dir), catalog, env.actor(), SignOffRole(role), name, title, day)
        click.echo(env.say("signoff_done", role=env.say(f"signoff.role.{signed.role.value}"), name=signed.name))
    store = env.store(workspace_dir)
    with store.locked():
        history = store.history()
    current = signoffs_in_force(history)
    missing = missing_roles(current)
    if fmt == "json":
        data: dict[str, Any] = {
            "signoffs": [s.as_dict() for s in current.values()],
            "missing": [r.value for r in missing],
        }
        emit_json(data)
        return
    if role is None:
        for signed in current.values():
            title_text = f"（{signed.title}）" if lang == "ja" and signed.title else ""
            if lang != "ja" and signed.title:
                title_text = f" ({signed.title})"
            click.echo(
                env.say(
                    "signoff_line",
                    role=env.say(f"signoff.role.{signed.role.value}"),
                    name=signed.name,
                    title=title_text,
                    date=signed.date.isoformat(),
                )
            )
    if missing:
        roles = env.say("signoff_joiner").join(env.say(f"signoff.role.{r.value}") for r in missing)
        click.echo(env.say("signoff_missing", roles=roles), err=True)
