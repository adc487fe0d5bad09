"""Machine-readable exports: `antai export oscal catalog | profile | assessment-results`."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import click

from antai.cli.context import get_env
from antai.cli.errors import BadUsage
from antai.cli.output import write_output
from antai.cli.params import DATE, Choice, lang_option, output_option, read_profile, workspace_option


@click.group()
def export() -> None:
    """Export machine-readable documents: OSCAL catalog, profile and assessment results."""


@export.command("oscal")
@click.argument("kind", metavar="KIND", type=Choice(["catalog", "profile", "assessment-results"]))
@click.option(
    "--profile",
    "profile_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="profile: the profile file (or example:NAME); without it, the profile of the workspace (-C).",
)
@workspace_option
@click.option(
    "--date",
    "as_of",
    type=DATE,
    metavar="YYYY-MM-DD",
    help="assessment-results: the assessment date; statuses and expiries count as of this day "
    "(default: today, as `antai status`).",
)
@click.option(
    "--catalog-href",
    default="antai-catalog.json",
    show_default=True,
    help="profile, assessment-results: where the catalog export is (a path or URL).",
)
@click.option(
    "--profile-href",
    default="antai-profile.json",
    show_default=True,
    help="assessment-results: where the profile export is (a path or URL).",
)
@output_option
@lang_option
def oscal(
    kind: str,
    profile_path: Path | None,
    workspace_dir: Path,
    as_of: dt.date | None,
    catalog_href: str,
    profile_href: str,
    output: Path | None,
    lang: str,
) -> None:
    """Write an OSCAL 1.1.2 JSON document: the catalog, a service's tailored profile, or a workspace's results.

    \b
    KIND is one of:
      catalog             every item as a control (Japanese, with English translations)
      profile             the items that apply to a service (--profile FILE, or the workspace's), why, and when
      assessment-results  the workspace's answers, evidence (SHA-256), gaps and risk acceptances (-C DIR)

    Re-exporting unchanged data gives the same bytes: UUIDs are derived from stable names and
    last-modified comes from the data, not the clock. Writes to stdout unless -o FILE.
    """
    from antai.exports import oscal as export_oscal

    env = get_env()
    if profile_path is not None and kind != "profile":
        raise BadUsage(env.say("export_profile_only"))
    if as_of is not None and kind != "assessment-results":
        raise BadUsage(env.say("export_date_only"))
    guard: list[Path] = []
    if kind == "catalog":
        document = export_oscal.catalog_document(env.catalog(), env.lang)
    elif kind == "profile" and profile_path is not None:
        guard.append(profile_path)
        document = _profile_from_file(profile_path, catalog_href)
    elif kind == "profile":
        guard.extend(_protected(workspace_dir))
        document = _profile_from_workspace(workspace_dir, catalog_href)
    else:
        guard.extend(_protected(workspace_dir))
        catalog, store, snapshot = env.snapshot(workspace_dir)
        document = export_oscal.assessment_results_document(
            catalog,
            snapshot.assessment,
            as_of or dt.date.today(),
            env.lang,
            head=_head(_entry(store, snapshot.version)),
            catalog_href=catalog_href,
            profile_href=profile_href,
        )
    write_output(export_oscal.dumps(document), output, kind="json", protect=guard)


def _profile_from_file(path: Path, catalog_href: str) -> Any:
    from antai.exports.oscal import profile_document
    from antai.tailoring.plan import make_plan

    env = get_env()
    catalog = env.catalog()
    plan = make_plan(catalog, read_profile(path, env.lang), env.lang)
    return profile_document(catalog, plan, env.lang, catalog_href=catalog_href)


def _profile_from_workspace(root: Path, catalog_href: str) -> Any:
    from antai.exports.oscal import profile_document, recorded_at
    from antai.tailoring.plan import make_plan
    from antai.workspace.store import PROFILE

    env = get_env()
    catalog, store, snapshot = env.snapshot(root)
    assessment = snapshot.assessment
    plan = make_plan(catalog, assessment.profile, env.lang)
    with store.locked():
        entries = store.history()
    # only the entries up to the one the snapshot reflects (another command may have written since)
    ends = [n for n, e in enumerate(entries) if e.get("hash") == snapshot.version]
    entries = entries[: ends[-1] + 1] if ends else entries
    return profile_document(
        catalog,
        plan,
        env.lang,
        catalog_href=catalog_href,
        recorded=recorded_at(entries, PROFILE),
        organisation=assessment.meta.organisation,
    )


def _entry(store: Any, version: str) -> dict[str, Any] | None:
    """The history entry the snapshot reflects: the last one, unless another command wrote since."""
    if not version:
        return None
    with store.locked():
        entry: dict[str, Any] | None = store.tail()
        if entry is None or entry.get("hash") != version:
            entry = next((e for e in store.history() if e.get("hash") == version), None)
    return entry


def _head(entry: dict[str, Any] | None) -> Any:
    from antai.exports.oscal import HistoryHead, parse_time

    if entry is None:
        return HistoryHead()
    return HistoryHead(
        seq=int(entry.get("seq") or 0), hash=str(entry.get("hash") or ""), at=parse_time(str(entry.get("at") or ""))
    )


def _protected(root: Path) -> list[Path]:
    """Files an export must never replace: the workspace's own."""
    from antai.workspace.store import HISTORY, TRACKED

    return [root / name for name in (*TRACKED, HISTORY, ".gitattributes", ".gitignore")]
