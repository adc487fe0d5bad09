"""The plan on one terminal screen: summary first, details on request (--all)."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table

from antai.catalog import Catalog
from antai.labels import label
from antai.reports.plan import summary, text
from antai.tailoring.plan import Plan

_TIER_STYLE = {"high": "bold red", "medium": "bold yellow", "low": "bold green"}


def print_plan(plan: Plan, catalog: Catalog, *, summary_only: bool = False, show_excluded: bool = False) -> None:
    lang = plan.lang
    console = Console()
    s = summary(plan, catalog)
    console.print(
        f"[bold]{text('title', lang)}: {s['name']}[/]  [dim]{text('catalog', lang)} {plan.catalog_version}[/]"
    )
    for name, level, because in s["levels"]:
        style = _TIER_STYLE.get(plan.risk.level(_key(name, lang)).value, "")
        console.print(f"  {name}: [{style}]{level}[/] — {'; '.join(because)}")
    console.print(
        f"  {text('selected', lang)}: [bold]{s['selected']}[/] ({text('mandatory_n', lang)} {s['mandatory']})"
        f" · {text('excluded', lang)}: {s['excluded']}"
    )
    chapters = " · ".join(f"{n}:{sel}/{sel + exc}" for n, _, sel, exc in s["chapters"])
    console.print(f"  {text('by_chapter', lang)}: {chapters}")
    for key in ("top", "quick_wins"):
        table = Table(title=text(key, lang), title_justify="left", show_header=False, box=None, pad_edge=False)
        table.add_column(no_wrap=True, style="bold")
        table.add_column()
        table.add_column(no_wrap=True, style="dim")
        for i in s[key]:
            item = catalog.item(i.id)
            table.add_row(i.id, item.title(lang) if item else "", label(i.effort.value, lang))
        console.print(table)
    if summary_only:
        return
    table = Table(title=text("all", lang), title_justify="left", header_style="bold")
    table.add_column(text("priority", lang), no_wrap=True)
    table.add_column("ID", no_wrap=True)
    table.add_column(label("title", lang))
    table.add_column(label("effort", lang), no_wrap=True)
    table.add_column(text("reasons", lang))
    for i in plan.items:
        item = catalog.item(i.id)
        table.add_row(
            f"P{i.priority}{' ★' if i.quick_win else ''}",
            i.id,
            item.title(lang) if item else "",
            label(i.effort.value, lang),
            "; ".join(i.reasons),
        )
    console.print(table)
    if not show_excluded:
        excluded = len(plan.excluded)
        hint = (
            f"★ クイックウィン · 対象外の {excluded} 項目と理由: --all · ファイル出力: --format html|md|json -o FILE"
            if lang == "ja"
            else f"★ quick win · the {excluded} excluded items and why: --all · to a file: --format html|md|json"
        )
        console.print(hint, style="dim")
        return
    table = Table(title=text("excluded", lang), title_justify="left", header_style="bold")
    table.add_column("ID", no_wrap=True)
    table.add_column(text("not_reasons", lang))
    for e in plan.excluded:
        table.add_row(e.id, "; ".join(e.reasons))
    console.print(table)


def _key(shown: str, lang: str) -> str:
    for name in ("externality", "sensitivity", "tier"):
        if label(f"profile.{name}", lang) == shown:
            return name
    return "tier"
