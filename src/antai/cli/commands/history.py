"""The history of a workspace: `antai log` and `antai verify`."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from antai.cli.context import get_env
from antai.cli.errors import CheckFailed, Unknown
from antai.cli.output import emit_json
from antai.cli.params import format_option, lang_option, workspace_option
from antai.messages import notice, status_word, text, word


@click.command()
@click.argument("item_id", metavar="ITEM", required=False)
@format_option("text", "json")
@workspace_option
@lang_option
def log(item_id: str | None, fmt: str, workspace_dir: Path, lang: str) -> None:
    """Show the history of changes (of one ITEM)."""
    env = get_env()
    store = env.store(workspace_dir)
    if not store.exists():
        raise Unknown(env.say("not_workspace", folder=workspace_dir))
    wanted = item_id.strip().upper() if item_id else None
    if wanted and env.catalog().item(wanted) is None:
        raise Unknown(env.say("no_item", item=wanted, hint=env.say("see_items")))
    entries = [e for e in store.history() if not wanted or e.get("item") == wanted]
    if fmt == "json":
        emit_json(entries)
        return
    for e in entries:
        click.echo(_log_line(e, lang))


def _fact(name: str, lang: str) -> str:
    from antai.labels import label
    from antai.messages import fact_name

    if lang == "ja" and "." not in name and label(f"org.{name}", lang) != f"org.{name}":
        return label("org." + name, lang)  # a flat fact of workspace format 2
    return fact_name(name, lang)


def _log_line(e: dict[str, Any], lang: str) -> str:
    change = ""
    before, after = e.get("before"), e.get("after")
    action = str(e.get("action"))
    if action == "set" and isinstance(before, dict) and isinstance(after, dict):
        fields = [k for k in sorted(set(before) | set(after)) if k not in ("updated", "decision")]
        changed = [k for k in fields if before.get(k) != after.get(k)]
        if "status" in changed or before.get("status") != after.get("status"):
            old = status_word(str(before["status"]), lang) if before.get("status") else "—"
            change = f" {old} → {status_word(str(after.get('status')), lang)}"
        others = [word("field", k, lang) for k in changed if k != "status"]
        if others:
            change += text("log_set_fields", lang, fields=", ".join(others))
    elif action == "accept" and isinstance(after, dict):
        change = " " + text("log_accept", lang, expires=after.get("expires"))
    elif action == "evidence" and isinstance(after, dict):
        change = f" {after.get('id')} {after.get('name')}"
    elif action == "evidence-withdraw" and isinstance(after, dict):
        change = f" {after.get('id')}"
    elif action == "scan" and isinstance(after, dict) and isinstance(after.get("results"), dict):
        results = list(after["results"].values())
        ids = after.get("evidence") or ["-"]
        tool = " ".join(str(part) for part in (after.get("tool"), after.get("tool_version")) if part)
        change = text(
            "log_scan",
            lang,
            tool=tool,
            target=after.get("target"),
            failed=results.count("fail"),
            errors=results.count("error"),
            passed=results.count("pass"),
            first=ids[0],
            last=ids[-1],
        )
    elif action == "signoff" and isinstance(after, dict):
        role = text(f"signoff.role.{after.get('role')}", lang) if after.get("role") else ""
        change = f"{role}: {after.get('name')}"
    elif action == "organisation" and isinstance(after, dict):
        change = f" {', '.join(_fact(k, lang) for k in sorted(after))}"
    elif e.get("message"):
        change = f" “{e['message']}”"
    merged = text("log_joins", lang, count=len(e["merge"])) if e.get("merge") else ""
    head = f"#{e.get('seq')} {e.get('at')} {e.get('who')} {word('log', action, lang)}"
    return f"{head} {e.get('item') or ''}{change}{merged}"


@click.command()
@format_option("text", "json")
@workspace_option
@lang_option
def verify(fmt: str, workspace_dir: Path, lang: str) -> None:
    """Recompute the history chain and evidence hashes; exit 1 naming the first altered entry or file."""
    from antai.workspace.verify import verify as run_verify

    env = get_env()
    store = env.store(workspace_dir)
    if not store.exists():
        raise Unknown(env.say("not_workspace", folder=workspace_dir))
    result = run_verify(store)
    if fmt == "json":
        emit_json(result.as_dict())
    else:
        for found in result.notices:
            click.echo(notice(found, env.lang))
    if not result.ok:
        raise CheckFailed(env.say("verify_failed"))
    if fmt == "text":
        head = (result.head or "")[:16]
        click.echo(env.say("verify_ok", entries=result.entries, head=head, files=result.evidence_checked))
