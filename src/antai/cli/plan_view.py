"""The plan on one terminal screen (at most 40 lines): levels, phases and the gate; details on request (--all)."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table

from antai.catalog import Catalog
from antai.labels import label
from antai.reports.plan import days_range, days_text, phase_why, summary, text
from antai.tailoring.plan import Plan

_TIER_STYLE = {"high": "bold red", "medium": "bold yellow", "low": "bold green"}


def print_plan(plan: Plan, catalog: Catalog, *, summary_only: bool = False, show_excluded: bool = False) -> None:
    lang = plan.lang
    console = Console()
    s = summary(plan, catalog)
    console.print(
        f"[bold]{text('title', lang)}: {s['name']}[/]  [dim]{text('catalog', lang)} {plan.catalog_version}[/]"
    )
    for name, level, because, value in s["levels"]:
        console.print(
            f"  {name}: [{_TIER_STYLE.get(value, '')}]{level}[/] — {'; '.join(because)}",
            overflow="ellipsis",
            no_wrap=True,
        )
    console.print(
        f"  {text('selected', lang)}: [bold]{s['selected']}[/] ({text('mandatory_n', lang)} {s['mandatory']}, "
        f"{text('advanced_n', lang)} {s['advanced']}) · {text('excluded', lang)}: {s['excluded']}"
    )
    phases = Table(title=text("phases", lang), title_justify="left", box=None, pad_edge=False, header_style="bold")
    phases.add_column(label("phase", lang), no_wrap=True)
    phases.add_column(text("selected", lang), justify="right")
    phases.add_column(label("person_days", lang), justify="right")
    for _, name, count, days in s["phases"]:
        phases.add_row(name, str(count), days_text(days))
    console.print(phases)
    gate = Table(title=text("gate", lang), title_justify="left", show_header=False, box=None, pad_edge=False)
    gate.add_column(no_wrap=True, style="bold")
    gate.add_column(overflow="ellipsis", no_wrap=True)
    gate.add_column(no_wrap=True, style="dim", justify="right")
    for i in s["gate"]:
        item = catalog.item(i.id)
        gate.add_row(i.id, item.title(lang) if item else "", _range(i.effort_days, lang))
    if s["gate_more"]:
        gate.add_row("", text("more", lang, n=s["gate_more"]), "")
    console.print(gate)
    if summary_only:
        return
    if not show_excluded:
        hint = (
            f"★ 全項目とフェーズの理由・対象外の {s['excluded']} 項目: --all · 時期と日付: antai roadmap"
            " · ファイル出力: --format html|md|json -o FILE"
            if lang == "ja"
            else f"★ every item with its phase and why, and the {s['excluded']} excluded: --all · dates: antai roadmap"
            " · to a file: --format html|md|json -o FILE"
        )
        console.print(hint, style="dim")
        return
    table = Table(title=text("all", lang), title_justify="left", header_style="bold")
    table.add_column(label("phase", lang), no_wrap=True)
    table.add_column("ID", no_wrap=True)
    table.add_column(label("title", lang))
    table.add_column(label("person_days", lang), no_wrap=True, justify="right")
    table.add_column(text("reasons", lang))
    for i in plan.items:
        item = catalog.item(i.id)
        table.add_row(
            label(f"phase.{i.phase.value}", lang) + (" ★" if i.quick_win else ""),
            i.id,
            (item.title(lang) if item else "")
            + f"\n[dim]{label(f'level.{i.level.value}', lang)} · {label(f'csf.{i.csf.value}', lang)}[/]",
            _range(i.effort_days, lang),
            "; ".join(i.reasons) + "\n" + phase_why(i, lang),
        )
    console.print(table)
    table = Table(title=text("excluded", lang), title_justify="left", header_style="bold")
    table.add_column("ID", no_wrap=True)
    table.add_column(text("not_reasons", lang))
    for e in plan.excluded:
        table.add_row(e.id, "; ".join(e.reasons))
    console.print(table)


def _range(days: tuple[float, float], lang: str) -> str:
    return f"{days_range(days)} {label('person_days', lang)}"
