"""`antai evidence add | list | withdraw`."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import click

from antai.cli.context import get_env
from antai.cli.errors import Unknown
from antai.cli.output import emit_json
from antai.cli.params import DATE, format_option, lang_option, workspace_option


@click.group()
def evidence() -> None:
    """Evidence: files and links that show an item is done."""


def _target(item_id: str) -> str:
    """An item ID (any case) or an organisation fact written org:PATH."""
    wanted = item_id.strip()
    if wanted.lower().startswith("org:"):
        return "org:" + wanted[4:]
    return wanted.upper()


@evidence.command("add")
@click.argument("item_id", metavar="ITEM|org:FACT")
@click.argument("source", metavar="FILE|URL")
@click.option(
    "--effective-date",
    type=DATE,
    metavar="YYYY-MM-DD",
    help="The date the evidence shows the state of (default: today).",
)
@click.option(
    "--expires",
    type=DATE,
    metavar="YYYY-MM-DD",
    help="When the evidence goes stale (default: one year after the effective date).",
)
@click.option("--note")
@workspace_option
@lang_option
def evidence_add(
    item_id: str,
    source: str,
    effective_date: dt.date | None,
    expires: dt.date | None,
    note: str | None,
    workspace_dir: Path,
    lang: str,
) -> None:
    """Attach a file (copied into evidence/files/ with its SHA-256) or a link to ITEM.

    For an organisation fact give org:PATH, e.g. org:eligibility.registration or
    org:outsourcing.outsourcees.1 (paths: `antai org --paths`).
    """
    from antai.app import usecases

    env = get_env()
    catalog = env.catalog()
    target: str | Path = source if re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:", source) else Path(source)
    # the core's evidence errors name the file only in English; give the wording its values
    env.extra.update(source=source, effective=effective_date.isoformat() if effective_date else "")
    record = usecases.add_evidence(
        env.store(workspace_dir), catalog, env.actor(), _target(item_id), target, effective_date, expires, note
    )
    digest = f" (sha256 {record.sha256[:12]}…)" if record.sha256 else ""
    click.echo(env.say("evidence_added", id=record.id, item=record.item, name=record.name, digest=digest))


@evidence.command("withdraw")
@click.argument("evidence_id", metavar="EVIDENCE_ID")
@click.option("--reason", required=True, help="Why the evidence no longer holds.")
@workspace_option
@lang_option
def evidence_withdraw(evidence_id: str, reason: str, workspace_dir: Path, lang: str) -> None:
    """Withdraw an evidence record: it stays in the index, marked withdrawn, and no longer counts."""
    from antai.app import usecases

    env = get_env()
    catalog = env.catalog()
    env.extra.update(evidence=evidence_id.strip().upper())
    record = usecases.withdraw_evidence(env.store(workspace_dir), catalog, env.actor(), evidence_id, reason)
    click.echo(env.say("evidence_withdrawn", id=record.id, item=record.item))


@evidence.command("list")
@click.argument("item_id", metavar="ITEM|org:FACT", required=False)
@format_option("text", "json")
@workspace_option
@lang_option
def evidence_list(item_id: str | None, fmt: str, workspace_dir: Path, lang: str) -> None:
    """List evidence records (of one ITEM)."""
    env = get_env()
    catalog, _, snapshot = env.snapshot(workspace_dir)
    wanted = _target(item_id) if item_id else None
    if wanted and not wanted.startswith("org:") and catalog.item(wanted) is None:
        raise Unknown(env.say("no_item", item=wanted, hint=env.say("see_items")))
    today = dt.date.today()
    records = [r for r in snapshot.assessment.evidence if not wanted or r.item == wanted]
    if fmt == "json":
        emit_json([r.model_dump(mode="json", exclude_none=True) for r in records])
        return
    for record in records:
        if record.withdrawn is not None:
            flag = env.say("flag_withdrawn")
        elif record.expires < today:
            flag = env.say("flag_expired")
        else:
            flag = ""
        scan = ""
        if record.scan is not None:
            from antai.labels import label

            scan = env.say("evidence_scan", result=label(f"finding.{record.scan.result.value}", lang))
        click.echo(f"{record.id}  {record.item}  {record.effective_from}…{record.expires}  {record.name}{scan}{flag}")
