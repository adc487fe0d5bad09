"""The tailored quick reference (a plan) as Markdown or one self-contained HTML page."""

from __future__ import annotations

from typing import Any

from antai.catalog import Catalog
from antai.catalog.schema import Severity
from antai.labels import label
from antai.tailoring.plan import Plan

TOP = 10
_SEVERITY_RANK = {Severity.CRITICAL: 0, Severity.HIGH: 1, Severity.MEDIUM: 2, Severity.LOW: 3}

_TEXT = {
    "title": ("リスクに応じた対策計画", "Tailored security plan"),
    "tier": ("リスク区分", "Risk tier"),
    "why": ("理由", "why"),
    "selected": ("適用項目", "Items that apply"),
    "excluded": ("対象外の項目", "Items that do not apply"),
    "mandatory_n": ("うち必須", "mandatory"),
    "by_chapter": ("章ごとの項目数", "Items by chapter"),
    "top": ("最優先の項目", "Top priorities"),
    "quick_wins": ("すぐにできる重要項目（クイックウィン）", "Quick wins (high priority, low effort)"),
    "all": ("全ての適用項目（優先順）", "All items that apply, in priority order"),
    "priority": ("優先度", "Priority"),
    "reasons": ("適用の理由", "Why it applies"),
    "not_reasons": ("対象外の理由", "Why it does not apply"),
    "catalog": ("カタログ版", "Catalog version"),
    "profile": ("サービスプロファイル", "Service profile"),
    "none": ("なし", "none"),
}


def text(key: str, lang: str) -> str:
    pair = _TEXT[key]
    return pair[0] if lang == "ja" else pair[1]


def summary(plan: Plan, catalog: Catalog) -> dict[str, Any]:
    """What the one-screen summary shows, shared by every output format."""
    lang = plan.lang
    chapters = []
    for number, (selected, excluded) in plan.by_chapter().items():
        chapter = catalog.chapter(number)
        chapters.append((number, chapter.title(lang) if chapter else str(number), selected, excluded))
    return {
        "name": plan.profile.name or text("profile", lang),
        "tier": plan.risk.tier.level.value,
        "levels": [
            (
                label(f"profile.{name}", lang),
                label(plan.risk.level(name).value, lang),
                getattr(plan.risk, name).text(lang),
            )
            for name in ("externality", "sensitivity", "tier")
        ],
        "selected": len(plan.items),
        "mandatory": sum(1 for i in plan.items if i.mandatory),
        "excluded": len(plan.excluded),
        "chapters": chapters,
        # the most severe first (whatever the effort), so it differs from the quick wins
        "top": sorted((i for i in plan.items if i.priority == 1), key=lambda i: _SEVERITY_RANK[i.severity])[:TOP],
        "quick_wins": plan.quick_wins[:TOP],
    }


def plan_markdown(plan: Plan, catalog: Catalog) -> str:
    lang = plan.lang
    s = summary(plan, catalog)

    def title_of(item_id: str) -> str:
        item = catalog.item(item_id)
        return item.title(lang) if item else ""

    out = [f"# {text('title', lang)}: {s['name']}", ""]
    out += [f"{text('catalog', lang)} {plan.catalog_version}", ""]
    for name, level, because in s["levels"]:
        out.append(f"- **{name}: {level}** — {'; '.join(because)}")
    out += [
        "",
        f"**{text('selected', lang)}: {s['selected']}**（{text('mandatory_n', lang)} {s['mandatory']}）"
        f" · {text('excluded', lang)}: {s['excluded']}",
        "",
    ]
    out += [f"## {text('by_chapter', lang)}", ""]
    out += [f"- {n}. {title}: {sel} / {sel + exc}" for n, title, sel, exc in s["chapters"]] + [""]
    for key in ("top", "quick_wins"):
        out += [f"## {text(key, lang)}", ""]
        out += [
            f"- **{i.id}** {title_of(i.id)}（{label('effort', lang)}: {label(i.effort.value, lang)}）" for i in s[key]
        ] or [f"- {text('none', lang)}"]
        out.append("")
    out += [f"## {text('all', lang)}", ""]
    headers = [
        text("priority", lang),
        "ID",
        label("title", lang),
        label("effort", lang),
        text("reasons", lang),
    ]
    out += ["| " + " | ".join(headers) + " |"]
    out += ["|---|---|---|---|---|"]
    for i in plan.items:
        cells = [f"P{i.priority}", i.id, title_of(i.id), label(i.effort.value, lang), "; ".join(i.reasons)]
        out.append("| " + " | ".join(cells) + " |")
    out += ["", f"## {text('excluded', lang)}", ""]
    out += [f"| ID | {label('title', lang)} | {text('not_reasons', lang)} |", "|---|---|---|"]
    out += [f"| {e.id} | {title_of(e.id)} | {'; '.join(e.reasons)} |" for e in plan.excluded]
    return "\n".join(out) + "\n"


def plan_html(plan: Plan, catalog: Catalog) -> str:
    from antai.reports.templating import environment

    env = environment()
    lang = plan.lang
    return env.get_template("plan.html.j2").render(
        lang=lang,
        plan=plan,
        s=summary(plan, catalog),
        catalog=catalog,
        T=lambda key: text(key, lang),
        L=lambda key: label(key, lang),
    )
