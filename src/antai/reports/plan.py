"""The tailored quick reference (a plan) as Markdown or one self-contained HTML page."""

from __future__ import annotations

from typing import Any

from antai.catalog import Catalog
from antai.labels import label
from antai.tailoring.plan import Phase, Plan, PlannedItem

TOP = 12  # gate items on the one-screen summary; the rest are a flag away
LEVELS = ("confidentiality", "integrity", "availability", "tier")

_TEXT = {
    "title": ("リスクに応じた対策計画", "Tailored security plan"),
    "levels": ("リスクの水準と根拠", "Risk levels and why"),
    "selected": ("適用項目", "Items that apply"),
    "excluded": ("対象外の項目", "Items that do not apply"),
    "mandatory_n": ("うち必須", "mandatory"),
    "advanced_n": ("発展", "advanced"),
    "by_chapter": ("章ごとの項目数", "Items by chapter"),
    "phases": ("フェーズと作業量", "Phases and their size"),
    "gate": ("接続前に終える項目（ゲート）", "Items to finish before launch or bank connection (the gate)"),
    "more": ("ほか {n} 項目", "{n} more"),
    "all": ("全ての適用項目（フェーズ順）", "All items that apply, by phase"),
    "reasons": ("適用の理由", "Why it applies"),
    "not_reasons": ("対象外の理由", "Why it does not apply"),
    "catalog": ("カタログ版", "Catalog version"),
    "profile": ("サービスプロファイル", "Service profile"),
    "none": ("なし", "none"),
}


def text(key: str, lang: str, **params: object) -> str:
    pair = _TEXT[key]
    return (pair[0] if lang == "ja" else pair[1]).format(**params)


def days_text(days: float) -> str:
    return f"{days:,.0f}" if days >= 10 else f"{days:,.1f}".removesuffix(".0")


def days_range(days: tuple[float, float]) -> str:
    """A person-day range as people write it: 0.5–2, or one number when both ends agree."""
    low, high = (days_text(d) for d in days)
    return low if low == high else f"{low}–{high}"


def summary(plan: Plan, catalog: Catalog) -> dict[str, Any]:
    """What the one-screen summary shows, shared by every output format."""
    lang = plan.lang
    chapters = []
    for number, (selected, excluded) in plan.by_chapter().items():
        chapter = catalog.chapter(number)
        chapters.append((number, chapter.title(lang) if chapter else str(number), selected, excluded))
    gate = plan.in_phase(Phase.GATE)
    return {
        "name": plan.profile.name or text("profile", lang),
        "levels": [
            (
                label(f"profile.{name}", lang),
                label(plan.risk.level(name).value, lang),
                getattr(plan.risk, name).text(lang),
                plan.risk.level(name).value,
            )
            for name in LEVELS
        ],
        "selected": len(plan.items),
        "mandatory": sum(1 for i in plan.items if i.mandatory),
        "advanced": sum(1 for i in plan.items if i.level.value == "advanced"),
        "excluded": len(plan.excluded),
        "chapters": chapters,
        "phases": [
            (phase.value, label(f"phase.{phase.value}", lang), len(plan.in_phase(phase)), plan.phase_days(phase))
            for phase in Phase
        ],
        "gate": gate[:TOP],
        "gate_more": max(0, len(gate) - TOP),
    }


def phase_why(item: PlannedItem, lang: str) -> str:
    """Why an item is in its phase, in words: its risk here, from which level, and any adjustment."""
    r = item.phase_reason
    protects = "・".join(label(p, lang) for p in r.protects) if lang == "ja" else "/".join(r.protects)
    if lang == "ja":
        parts = [
            f"リスク{label(r.risk.value, lang)}"
            f"（重要度{label(r.severity.value, lang)} × {protects}{label(r.level.value, lang)}）",
            f"工数{label(r.effort.value, lang)}",
        ]
        if r.funds_at_stake:
            parts.append("顧客資金に直接の損失が及ぶため工数によらず接続前")
        if r.advanced:
            parts.append("発展項目のため一段階後ろ")
        if r.pulled_by:
            parts.append(f"{'・'.join(r.pulled_by)} の前提のため前倒し")
        return "、".join(parts)
    parts = [
        f"{r.risk.value} risk ({r.severity.value} severity × {protects} {r.level.value})",
        f"{r.effort.value} effort",
    ]
    if r.funds_at_stake:
        parts.append("a gap loses customer funds directly, so before launch whatever the effort")
    if r.advanced:
        parts.append("advanced, so one phase later")
    if r.pulled_by:
        parts.append(f"brought forward as {', '.join(r.pulled_by)} need it")
    return "; ".join(parts)


def plan_markdown(plan: Plan, catalog: Catalog) -> str:
    lang = plan.lang
    s = summary(plan, catalog)

    def title_of(item_id: str) -> str:
        item = catalog.item(item_id)
        return item.title(lang) if item else ""

    out = [f"# {text('title', lang)}: {s['name']}", ""]
    out += [f"{text('catalog', lang)} {plan.catalog_version}", ""]
    out += [f"## {text('levels', lang)}", ""]
    for name, level, because, _ in s["levels"]:
        out.append(f"- **{name}: {level}** — {'; '.join(because)}")
    out += [
        "",
        f"**{text('selected', lang)}: {s['selected']}**（{text('mandatory_n', lang)} {s['mandatory']}、"
        f"{text('advanced_n', lang)} {s['advanced']}） · {text('excluded', lang)}: {s['excluded']}",
        "",
        f"## {text('phases', lang)}",
        "",
        f"| {label('phase', lang)} | {text('selected', lang)} | {label('person_days', lang)} |",
        "|---|---:|---:|",
    ]
    out += [f"| {name} | {n} | {days_text(days)} |" for _, name, n, days in s["phases"]]
    out += ["", f"## {text('by_chapter', lang)}", ""]
    out += [f"- {n}. {title}: {sel} / {sel + exc}" for n, title, sel, exc in s["chapters"]] + [""]
    out += [f"## {text('all', lang)}", ""]
    headers = [
        label("phase", lang),
        "ID",
        label("title", lang),
        label("item_risk", lang),
        label("level", lang),
        label("csf", lang),
        label("person_days", lang),
        text("reasons", lang),
    ]
    out += ["| " + " | ".join(headers) + " |"]
    out += ["|---|---|---|---|---|---|---:|---|"]
    for i in plan.items:
        cells = [
            label(f"phase.{i.phase.value}", lang) + (" ★" if i.quick_win else ""),
            i.id,
            title_of(i.id),
            label(i.risk.value, lang),
            label(f"level.{i.level.value}", lang),
            label(f"csf.{i.csf.value}", lang),
            days_range(i.effort_days),
            "; ".join(i.reasons) + " — " + phase_why(i, lang),
        ]
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
        T=lambda key, **params: text(key, lang, **params),
        L=lambda key: label(key, lang),
        why=lambda item: phase_why(item, lang),
        days=days_text,
        span=days_range,
    )
