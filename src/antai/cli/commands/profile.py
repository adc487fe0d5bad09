"""The service profile and the tailored plan: `antai profile new | show | schema | examples | set` and
`antai plan`."""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path

import click

from antai import __version__
from antai.cli.context import get_env
from antai.cli.errors import BadUsage, Interrupted
from antai.cli.output import emit_json, print_reconciliation, write_output
from antai.cli.params import (
    apply_sets,
    format_option,
    lang_option,
    output_option,
    read_profile,
    workspace_option,
)


@click.group()
def profile() -> None:
    """The service profile: questionnaire, schema and checks."""


@profile.command("schema")
@output_option
@lang_option
def profile_schema(output: Path | None, lang: str) -> None:
    """Print the JSON Schema of profile files."""
    from antai.tailoring.profile import Profile

    schema = Profile.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = f"https://antai.invalid/schema/profile-{__version__}.json"
    write_output(json.dumps(schema, ensure_ascii=False, indent=2) + "\n", output)


@profile.command("show")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@format_option("text", "json")
@lang_option
def profile_show(path: Path, fmt: str, lang: str) -> None:
    """Check a profile file and show the risk levels derived from it (exit 1 if it is invalid)."""
    from antai.tailoring.risk import assess_risk

    prof = read_profile(path, lang)
    risk = assess_risk(prof)
    if fmt == "json":
        emit_json({"profile": prof.model_dump(mode="json"), "risk": risk.as_dict(lang)})
        return
    from antai.labels import label

    click.echo(f"{prof.name or path}")
    for name in ("confidentiality", "integrity", "availability", "tier"):
        derivation = getattr(risk, name)
        click.echo(
            f"  {label('profile.' + name, lang)}: {label(derivation.level.value, lang)}"
            f" — {'; '.join(derivation.text(lang))}"
        )


@profile.command("examples")
@lang_option
def profile_examples(lang: str) -> None:
    """List the example profiles shipped with antai (use them as --profile example:NAME)."""
    from antai.tailoring.profile import example_names

    for name in example_names():
        click.echo(f"example:{name}")


@profile.command("new")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="Write the profile to FILE.")
@click.option(
    "--answers",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Start from this profile file (its answers become the defaults).",
)
@click.option("--set", "sets", multiple=True, metavar="KEY=VALUE", help="Answer one question (repeatable).")
@click.option(
    "--interactive/--no-input",
    default=None,
    help="Ask the questions (default in a terminal), or ask nothing and use --answers, --set and defaults.",
)
@lang_option
def profile_new(
    output: Path | None, answers: Path | None, sets: tuple[str, ...], interactive: bool | None, lang: str
) -> None:
    """Answer the service questionnaire and save the profile (works in a plain terminal over SSH).

    Without a terminal (or with --no-input) it asks nothing and builds the profile from --answers and --set.
    Writing over an existing file keeps its answers as the defaults, so an interrupted session (Ctrl-C
    saves the answers so far to -o FILE) continues where it stopped.
    """
    from antai.cli.prompts import questionnaire
    from antai.fileio import atomic_write_text
    from antai.tailoring.profile import Profile
    from antai.tailoring.questionnaire import profile_yaml

    env = get_env()
    start = answers or (output if output is not None and output.is_file() else None)
    prof = read_profile(start, lang) if start else Profile()
    prof = apply_sets(prof, sets, lang)
    if interactive is None:
        interactive = sys.stdin.isatty()
    if interactive:
        click.echo(env.say("profile_intro"))
        data = prof.model_dump(mode="json")
        try:
            questionnaire(data, lang)
        except KeyboardInterrupt:
            click.echo("", err=True)
            if output is None:
                raise Interrupted(env.say("profile_lost"), lang) from None
            # every answer in data was accepted when given, so the partial profile is valid
            atomic_write_text(output, profile_yaml(Profile.model_validate(data), lang))
            raise Interrupted(env.say("profile_partial", path=output), lang) from None
        prof = Profile.model_validate(data)
    text = profile_yaml(prof, lang)
    if output is None:
        click.echo(text, nl=False)
        return
    atomic_write_text(output, text)
    click.echo(str(output.resolve()))
    click.echo(env.say("next", hint=f"antai plan --profile {output}"), err=True)


@profile.command("set")
@click.argument("assignments", nargs=-1, required=True, metavar="KEY=VALUE…")
@click.option("--dry-run", is_flag=True, help="Show what the change would do to the plan, change nothing.")
@workspace_option
@lang_option
def profile_set(assignments: tuple[str, ...], dry_run: bool, workspace_dir: Path, lang: str) -> None:
    """Change the service profile of a live workspace (key=v, list+=v, list-=v): shows the items that enter
    or leave the plan, carries answers over, archives answers of items that stop applying."""
    from antai.app import usecases
    from antai.labels import label

    env = get_env()
    catalog = env.catalog()
    store = env.store(workspace_dir)
    with store.locked():
        current = store.load().assessment.profile
    new = apply_sets(current, assignments, lang)
    result = usecases.change_profile(store, catalog, env.actor(), new, dry_run=dry_run)
    before, after = result.before.risk, result.after.risk
    for name in ("confidentiality", "integrity", "availability", "tier"):
        old, now = before.level(name).value, after.level(name).value
        if old != now:
            if env.ja:
                name_word, old, now = label("profile." + name, lang), label(old, lang), label(now, lang)
            else:
                name_word = name
            click.echo(env.say("profile_level", name=name_word, old=old, new=now))
    dry = env.say("dry_run") if dry_run else ""
    click.echo(env.say("profile_items", old=len(result.before.items), new=len(result.after.items), dry=dry))
    print_reconciliation(result.reconciliation, lang)


@click.command()
@click.option(
    "--profile",
    "profile_path",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="Profile file (or example:NAME, see `antai profile examples`).",
)
@click.option(
    "--set",
    "sets",
    multiple=True,
    metavar="KEY=VALUE",
    help="What-if: change an answer (key=v, list+=v, list-=v; repeatable) and show what changes.",
)
@format_option("table", "json", "md", "html")
@output_option
@click.option("--summary", "summary_only", is_flag=True, help="Table format: only the one-screen summary.")
@click.option("--all", "show_all", is_flag=True, help="Table format: also list the excluded items and why.")
@lang_option
def plan(
    profile_path: Path,
    sets: tuple[str, ...],
    fmt: str,
    output: Path | None,
    summary_only: bool,
    show_all: bool,
    lang: str,
) -> None:
    """The tailored quick reference: which items apply to this service, why, and in which order.

    With --set, shows the items that enter or leave the plan and any level change (what-if).
    """
    from antai.tailoring.plan import make_plan

    env = get_env()
    if fmt == "table" and output is not None and str(output) != "-":
        raise BadUsage(env.say("table_is_for_terminal"), lang)
    guard = [profile_path]
    cat = env.catalog()
    base_profile = read_profile(profile_path, lang)
    target_profile = apply_sets(base_profile, sets, lang)
    result = make_plan(cat, target_profile, lang)
    if sets:
        from antai.tailoring.whatif import compare

        change = compare(make_plan(cat, base_profile, lang), result)
        if fmt == "json":
            data = {**result.as_dict(), "what_if": change.as_dict()}
            write_output(json.dumps(data, ensure_ascii=False, indent=2) + "\n", output, kind="json", protect=guard)
        else:
            from antai.reports.whatif import whatif_text

            write_output(whatif_text(change, cat, sets), output, kind="md", protect=guard)
        return
    if fmt == "json":
        text = json.dumps(result.as_dict(), ensure_ascii=False, indent=2) + "\n"
        write_output(text, output, kind="json", protect=guard)
    elif fmt == "md":
        from antai.reports.plan import plan_markdown

        write_output(plan_markdown(result, cat), output, kind="md", protect=guard)
    elif fmt == "html":
        from antai.reports.plan import plan_html

        write_output(plan_html(result, cat), output or Path(f"antai-plan.{lang}.html"), kind="html", protect=guard)
    else:
        from antai.cli.plan_view import print_plan

        print_plan(result, cat, summary_only=summary_only, show_excluded=show_all)


@click.command()
@click.option(
    "--profile",
    "profile_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Profile file (or example:NAME); without it, the profile of the workspace (-C).",
)
@workspace_option
@click.option(
    "--start",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    help="First day of the work (YYYY-MM-DD; default: today).",
)
@click.option("--engineers", type=click.IntRange(1, 10_000), help="Engineers (default: the profile's answer).")
@click.option(
    "--share", type=click.IntRange(1, 100), help="Percent of their time for security (default: the profile's answer)."
)
@format_option("table", "json", "md", "html", "xlsx")
@output_option
@lang_option
def roadmap(
    profile_path: Path | None,
    workspace_dir: Path,
    start: dt.datetime | None,
    engineers: int | None,
    share: int | None,
    fmt: str,
    output: Path | None,
    lang: str,
) -> None:
    """The phases laid out as quarters with dates for the team's capacity, and when the mandatory set is done."""
    from antai.tailoring.plan import make_plan
    from antai.tailoring.roadmap import build_roadmap, capacity_of

    env = get_env()
    if fmt == "table" and output is not None and str(output) != "-":
        raise BadUsage(env.say("table_is_for_terminal"), lang)
    cat = env.catalog()
    guard: list[Path] = []
    if profile_path is not None:
        prof = read_profile(profile_path, lang)
        guard.append(profile_path)
    else:
        store = env.store(workspace_dir)
        with store.locked():
            prof = store.load().assessment.profile
        guard.append(workspace_dir / "profile.yaml")
    plan = make_plan(cat, prof, lang)
    first_day = start.date() if start else env.actor().today
    result = build_roadmap(plan, first_day, capacity_of(plan, engineers, share))
    if fmt == "json":
        data = {**result.as_dict(), "catalog_version": plan.catalog_version}
        write_output(json.dumps(data, ensure_ascii=False, indent=2) + "\n", output, kind="json", protect=guard)
    elif fmt == "md":
        from antai.reports.roadmap import roadmap_markdown

        write_output(roadmap_markdown(result, plan, cat), output, kind="md", protect=guard)
    elif fmt == "html":
        from antai.reports.roadmap import roadmap_html

        target = output or Path(f"antai-roadmap.{lang}.html")
        write_output(roadmap_html(result, plan, cat), target, kind="html", protect=guard)
    elif fmt == "xlsx":
        from antai.reports.roadmap import roadmap_xlsx

        target = output or Path(f"antai-roadmap.{lang}.xlsx")
        write_output(roadmap_xlsx(result, plan, cat), target, kind="xlsx", protect=guard)
    else:
        from antai.reports.roadmap import lines

        for line in lines(result, lang):
            click.echo(line)
