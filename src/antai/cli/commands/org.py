"""`antai org | org set | org add | org unset`: the organisation facts banks ask first, in the bank's groups.

Values are typed: dates YYYY-MM-DD, yes/no (はい/いいえ), whole numbers, choices by code or label, lists
comma-separated. Registers (outsourcees, the notification matrix, certifications, APIs, rules) take one
entry per `antai org add`. Every change goes through the organisation use cases and is recorded.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from antai.cli.context import get_env
from antai.cli.errors import BadUsage, Unknown
from antai.cli.output import emit_json
from antai.cli.params import format_option, lang_option, parse_date, workspace_option
from antai.messages import did_you_mean, fact_name

if TYPE_CHECKING:
    from antai.assessment.model import FactField

# what `antai org add` calls each register
REGISTERS: dict[str, str] = {
    "outsourcing": "outsourcing.outsourcees",
    "notification": "cooperation.notification",
    "certification": "eligibility.certifications",
    "api": "service.apis",
    "rule": "governance.rules",
}
_YES = {"yes", "y", "true", "はい", "有", "あり", "済", "○"}
_NO = {"no", "n", "false", "いいえ", "無", "なし", "×"}
_NONE = {"none", "なし", "無し", "該当なし"}


def _printable(text: str) -> str:
    """Drop control characters so a value cannot rewrite the terminal (title, colours, cursor)."""
    return "".join(ch for ch in text if ch.isprintable() or ch == " ")


def _settable() -> list[FactField]:
    from antai.assessment.model import FactKind, fact_fields

    return [f for f in fact_fields() if f.kind != FactKind.RECORD and ".N." not in f.path]


def _complete_fact(ctx: click.Context, param: click.Parameter, incomplete: str) -> list[str]:
    return [f.path for f in _settable() if f.path.startswith(incomplete)]


def _kind_hint(spec: FactField) -> str:
    from antai.assessment.model import FactKind

    if spec.kind == FactKind.CHOICE and spec.choices is not None:
        if all(c.value in spec.help for c in spec.choices):
            return "choice, or its label"  # the help names the choices already
        return " | ".join(c.value for c in spec.choices)
    return {
        FactKind.DATE: "YYYY-MM-DD",
        FactKind.BOOL: "yes/no",
        FactKind.INT: "number",
        FactKind.NUMBER: "number",
        FactKind.TEXT_LIST: "A, B, …",
        FactKind.ENTRIES: "`antai org add`" + (" / none" if spec.none_ok else ""),
    }.get(spec.kind, "text")


class _FactsHelp(click.Command):
    """A command whose help ends with every fact path and its help, built only when help is shown."""

    def __init__(self, *args: Any, listing: str = "facts", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.listing = listing

    def format_epilog(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        from antai.assessment.model import fact_fields

        if self.listing == "facts":
            rows = [(f.path, f"{f.help} [{_kind_hint(f)}]") for f in _settable()]
            title = "Facts (PATH; entries of a register as PATH.N.FIELD, e.g. outsourcing.outsourcees.1.audit_rights)"
        else:
            rows = []
            for name, path in REGISTERS.items():
                fields = [f for f in fact_fields() if f.path.startswith(f"{path}.N.")]
                rows.append((name, f"→ {path}"))
                rows += [(f"  {f.name}=", f"{f.help} [{_kind_hint(f)}]") for f in fields]
            title = "Registers and their fields (KEY=VALUE)"
        with formatter.section(title):
            formatter.write_dl(rows)


def parse_value(spec: FactField, raw: str, lang: str) -> Any:
    """VALUE as the fact's type, or BadUsage saying what was expected."""
    from antai.assessment.model import FactKind
    from antai.labels import label

    env = get_env()
    text = raw.strip()
    name = label(f"org.{spec.path}", lang) if lang == "ja" else spec.path

    def bad(expected: str) -> BadUsage:
        return BadUsage(env.say("org_bad_value", field=name, value=raw, expected=env.say(expected)), lang)

    if spec.kind == FactKind.DATE:
        parsed = parse_date(text)
        if parsed is None:
            raise bad("org_expect_date")
        return parsed.isoformat()
    if spec.kind == FactKind.BOOL:
        if text.lower() in _YES:
            return True
        if text.lower() in _NO:
            return False
        raise bad("org_expect_yes_no")
    if spec.kind in (FactKind.INT, FactKind.NUMBER):
        cleaned = text.replace(",", "").replace("，", "").removesuffix("円").removesuffix("人").removesuffix("時間")
        cleaned = cleaned.removesuffix("h").strip()
        try:
            return int(cleaned) if spec.kind == FactKind.INT else float(cleaned)
        except ValueError:
            raise bad("org_expect_whole_number" if spec.kind == FactKind.INT else "org_expect_number") from None
    if spec.kind == FactKind.CHOICE and spec.choices is not None:
        for choice in spec.choices:
            words = {choice.value, label(f"org.value.{choice.value}", "ja"), label(f"org.value.{choice.value}", "en")}
            if text.lower() in {w.lower() for w in words}:
                return choice.value
        shown = ", ".join(
            f"{c.value}（{label('org.value.' + c.value, 'ja')}）" if lang == "ja" else c.value for c in spec.choices
        )
        raise BadUsage(env.say("org_bad_choice", field=name, value=raw, choices=shown), lang)
    if spec.kind == FactKind.TEXT_LIST:
        if text.lower() in _NONE:
            return []
        parts = [p.strip() for p in text.replace("、", ",").replace(";", ",").split(",")]
        return [p for p in parts if p]
    if spec.kind == FactKind.ENTRIES:
        if spec.none_ok and text.lower() in _NONE:
            return []
        register = next((k for k, v in REGISTERS.items() if v == spec.path), "…")
        raise BadUsage(env.say("org_use_add", field=name, register=register), lang)
    return text


def _spec(path: str) -> FactField:
    from antai.app.usecases import fact_path
    from antai.assessment.model import FactKind, fact_field

    env = get_env()
    resolved = fact_path(path)
    spec = fact_field(resolved)
    if spec is None:
        names = [f.path for f in _settable()]
        raise Unknown(env.say("unknown_fact", field=path, hint=did_you_mean(path, names, "facts", env.lang)))
    if spec.kind == FactKind.RECORD:
        raise BadUsage(env.say("org_record_fields", field=path, example=f"{resolved}.phone"), env.lang)
    return spec


@click.group(invoke_without_command=True)
@workspace_option
@format_option("text", "json")
@click.option("--paths", is_flag=True, help="Show each fact's PATH for `antai org set` (text format).")
@lang_option
@click.pass_context
def org(ctx: click.Context, workspace_dir: Path, fmt: str, paths: bool, lang: str) -> None:
    """Organisation facts banks ask first, in the bank's groups: show them, gaps marked, or change them.

    `antai org set PATH VALUE`, `antai org add REGISTER KEY=VALUE…`, `antai org unset PATH`;
    `antai org set --help` lists every fact.
    """
    if ctx.invoked_subcommand is not None:
        return
    from rich.markup import escape

    from antai.reports.facts import entry_text, group_views

    env = get_env()
    _catalog, _, snapshot = env.snapshot(workspace_dir)
    assessment = snapshot.assessment
    facts = assessment.organisation
    evidence = {path: [e.id for e in records] for path, records in assessment.fact_evidence().items()}
    missing = facts.missing()
    if fmt == "json":
        emit_json(
            {
                "organisation_facts": facts.model_dump(mode="json"),
                "missing_facts": missing,
                "fact_evidence": evidence,
            }
        )
        return
    gap = env.say("org_gap")
    for group in group_views(facts, evidence, lang, missing):
        count = env.say("org_group_missing", count=group.missing) if group.missing else ""
        click.echo(f"■ {group.title}{count}")
        for row in group.rows:
            where = f"  [{row.path}]" if paths else ""
            ids = f"  [{', '.join(row.evidence)}]" if row.evidence else ""
            if row.entries:
                click.echo(f"  {row.label}{where}{ids}")
                for number, (cells, entry_ids) in enumerate(zip(row.entries, row.entry_evidence, strict=True), 1):
                    ids_text = f"  [{', '.join(entry_ids)}]" if entry_ids else ""
                    shown = escape(_printable(entry_text(cells, gap)))
                    click.echo(f"    {number}. {shown}{ids_text}")
                continue
            value = _printable(row.text) if row.text else ""
            if row.missing:
                value += env.say(
                    "org_part_missing", fields="、".join(row.missing) if lang == "ja" else ", ".join(row.missing)
                )
            click.echo(f"  {row.label}: {escape(value) if value else gap}{where}{ids}")
    if missing:
        click.echo(env.say("org_missing_total", count=len(missing)), err=True)


@org.command("set", cls=_FactsHelp, listing="facts")
@click.argument("path", metavar="PATH", required=False, shell_complete=_complete_fact)
@click.argument("value", metavar="VALUE", required=False)
@click.option(
    "--from-file",
    "from_file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="YAML with whole groups (as in organisation.yaml); each group given replaces that group.",
)
@workspace_option
@lang_option
@click.pass_context
def org_set(
    ctx: click.Context, path: str | None, value: str | None, from_file: Path | None, workspace_dir: Path, lang: str
) -> None:
    """Set one organisation fact PATH to VALUE (or whole groups with --from-file).

    VALUE is typed by the fact: dates YYYY-MM-DD, yes/no (はい/いいえ), numbers, a choice by its code or
    label, lists comma-separated; `none` answers an empty register. `antai org unset PATH` clears a fact.
    """
    from antai.app import usecases

    env = get_env()
    workspace_dir = _workspace(ctx, workspace_dir)
    if from_file is not None:
        if path is not None:
            raise BadUsage(env.say("org_file_or_value"), lang)
        changes = _groups_from_file(from_file, lang)
    else:
        if path is None or value is None:
            raise BadUsage(env.say("org_needs_path_value"), lang)
        spec = _spec(path)
        changes = {_concrete(path, spec): parse_value(spec, value, lang)}
    catalog = env.catalog()
    usecases.set_organisation(env.store(workspace_dir), catalog, env.actor(), changes)
    for changed in changes:
        click.echo(env.say("org_done", field=_fact_name(changed, lang)))


@org.command("add", cls=_FactsHelp, listing="registers")
@click.argument("register", type=click.Choice(list(REGISTERS)))
@click.argument("fields", nargs=-1, metavar="KEY=VALUE…")
@workspace_option
@lang_option
@click.pass_context
def org_add(ctx: click.Context, register: str, fields: tuple[str, ...], workspace_dir: Path, lang: str) -> None:
    """Add one entry to a register: outsourcing, notification, certification, api or rule.

    \b
    e.g. antai org add outsourcing name="株式会社X" service="アプリ開発" audit_rights=はい last_review=2026-09-30
         antai org add notification event=data_leak within_hours=1 contact="提携銀行 API 窓口（電話）"
    """
    from antai.app import usecases
    from antai.assessment.model import fact_field

    env = get_env()
    workspace_dir = _workspace(ctx, workspace_dir)
    path = REGISTERS[register]
    entry: dict[str, Any] = {}
    for pair in fields:
        key, sep, raw = pair.partition("=")
        spec = fact_field(f"{path}.N.{key.strip()}")
        if not sep or spec is None:
            names = [f.path.rsplit(".", 1)[-1] for f in _settable_entry_fields(path)]
            raise Unknown(env.say("unknown_fact", field=key, hint=did_you_mean(key.strip(), names, "facts", lang)))
        entry[spec.name] = parse_value(spec, raw, lang)
    catalog = env.catalog()
    _, number = usecases.add_organisation_entry(env.store(workspace_dir), catalog, env.actor(), path, entry)
    click.echo(env.say("org_added", register=_fact_name(path, lang), number=number))


@org.command("unset")
@click.argument("path", metavar="PATH", shell_complete=_complete_fact)
@workspace_option
@lang_option
@click.pass_context
def org_unset(ctx: click.Context, path: str, workspace_dir: Path, lang: str) -> None:
    """Clear one fact (it shows as a gap again), or remove a register entry: PATH.N (e.g. outsourcing.outsourcees.2)."""
    from antai.app import usecases
    from antai.assessment.model import is_entry_path

    env = get_env()
    workspace_dir = _workspace(ctx, workspace_dir)
    resolved = usecases.fact_path(path)
    if not is_entry_path(resolved):
        _spec(resolved)
    catalog = env.catalog()
    usecases.set_organisation(env.store(workspace_dir), catalog, env.actor(), {resolved: None})
    click.echo(env.say("org_unset", field=_fact_name(resolved, lang)))


def _settable_entry_fields(path: str) -> list[FactField]:
    from antai.assessment.model import fact_fields

    return [f for f in fact_fields() if f.path.startswith(f"{path}.N.")]


def _workspace(ctx: click.Context, workspace_dir: Path) -> Path:
    """-C given before the subcommand (`antai org -C ws set …`) counts too."""
    if workspace_dir == Path(".") and ctx.parent is not None:
        return ctx.parent.params.get("workspace_dir") or workspace_dir
    return workspace_dir


def _concrete(path: str, spec: FactField) -> str:
    """The path as given, with a legacy flat name replaced by its dotted path."""
    from antai.app.usecases import fact_path

    resolved = fact_path(path)
    return resolved if resolved.count(".") == spec.path.count(".") else spec.path


def _fact_name(path: str, lang: str) -> str:
    """A fact's label (ja) or path (en): the record or register it is in first, entry numbers in brackets."""
    return fact_name(path, lang)


def _groups_from_file(path: Path, lang: str) -> dict[str, Any]:
    from antai.assessment.model import FACT_GROUPS
    from antai.catalog.yamlsource import SourceError, load_yaml

    env = get_env()
    try:
        data = load_yaml(path).data
    except SourceError as exc:
        raise BadUsage("; ".join(str(p) for p in exc.problems), lang) from None
    except OSError as exc:
        raise Unknown(env.say("org_no_file", path=path, reason=exc.strerror or "")) from None
    if not isinstance(data, dict) or not data:
        raise BadUsage(env.say("org_file_groups", groups=", ".join(FACT_GROUPS)), lang)
    unknown = [str(k) for k in data if k not in FACT_GROUPS]
    if unknown:
        raise Unknown(env.say("unknown_fact", field=", ".join(unknown), hint=", ".join(FACT_GROUPS)))
    return {str(k): _json_plain(v) for k, v in data.items()}


def _json_plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _json_plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_json_plain(v) for v in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    return value
