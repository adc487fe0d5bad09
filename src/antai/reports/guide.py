"""Render the guideline (concept part + criteria items) as JSON-ready data, Markdown or one HTML file."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from antai.catalog import Catalog, Item
from antai.catalog.conditions import describe
from antai.catalog.references import describe_reference
from antai.catalog.schema import TechNote
from antai.labels import label
from antai.reports.plan import days_range


def item_record(catalog: Catalog, item: Item) -> dict[str, Any]:
    """An item as plain data: every field, plus the derived values scripts need (``mandatory``, titles)."""
    record = item.model_dump(mode="json", exclude_none=True)
    chapter = catalog.chapter(item.chapter)
    section = catalog.section(item)
    record["mandatory"] = item.mandatory
    record["condition"] = describe(item.applicability.when) if item.applicability.when else None
    record["chapter_title"] = chapter.title.model_dump() if chapter else None
    record["section_title"] = section.title.model_dump()
    return record


def condition_text(item: Item, lang: str) -> str:
    """When the item applies, in words of ``lang`` (the plan's wording of conditions)."""
    from antai.tailoring.plan import describe_condition

    when = item.applicability.when
    return label("mandatory", lang) if when is None else describe_condition(when, lang)


def _references(item: Item, lang: str) -> list[str]:
    return [describe_reference(r.kind.value, r.id, lang) for r in item.references]


def item_markdown(
    catalog: Catalog,
    item: Item,
    lang: str,
    heading: str = "###",
    *,
    checks: Sequence[tuple[str, str]] = (),
    scanner_rules: Mapping[str, int] | None = None,
) -> str:
    """One item as Markdown, in the seed's spirit: objective, risk, when it applies, countermeasures.
    ``checks`` (antai's own checks: ID, title) and ``scanner_rules`` (tool -> number of its rules mapped to
    the item) say where automated evidence for it can come from."""

    def L(key: str) -> str:  # a short alias keeps the layout readable
        return label(key, lang)

    kind = L("mandatory.short") if item.mandatory else L("conditional.short")
    lines = [
        f"{heading} {item.id} {item.title(lang)}",
        "",
        f"*{kind}* · {L('severity')}: {L(item.severity.value)}"
        f" · {L('effort')}: {L('effort.' + item.effort.value)}（{days_range(item.effort_days)} {L('person_days')}）"
        f" · {L('level')}: {L('level.' + item.level.value)} · {L('csf')}: {L('csf.' + item.csf.value)}"
        f" · {L('cia')}: {', '.join(L(c.value) for c in item.cia)}"
        f" · {L('layers')}: {', '.join(L(x.value) for x in item.layers)}"
        f" · {L('responsibility')}: {L(item.responsibility.value)}",
        "",
        f"**{L('objective')}**: {item.objective(lang)}",
        "",
        f"**{L('risk')}**: {item.risk(lang)}",
        "",
        f"**{L('example')}**: {item.applicability.example(lang)}",
    ]
    if item.applicability.when is not None:
        lines += ["", f"**{L('condition')}**: {condition_text(item, lang)}"]

    def bullets(key: str, texts: list[str]) -> None:
        if texts:
            lines.extend(["", f"**{L(key)}**", ""])
            lines.extend(f"- {t}" for t in texts)

    bullets("countermeasures", [t(lang) for t in item.countermeasures])
    bullets("bad_examples", [t(lang) for t in item.bad_examples])
    bullets("do", [t(lang) for t in item.do])
    bullets("dont", [t(lang) for t in item.dont])
    bullets(
        "evidence",
        [e.text(lang) + (f" ({L('automatable')})" if e.automatable else "") for e in item.evidence],
    )
    if item.fisc or item.fisc_unverified:
        from antai.reports.fisc import item_citations

        lines += ["", f"**{L('fisc')}**: {item_citations(item, lang)}"]
    refs = _references(item, lang)
    if refs:
        lines += ["", f"**{L('references')}**: {'; '.join(refs)}"]
    notes = catalog.technotes_for(item.id)
    if notes:
        lines += ["", f"**{L('technotes')}**: {', '.join(f'{n.title(lang)} ({n.id})' for n in notes)}"]
    if checks:
        lines += ["", f"**{L('checks')}** (`antai check`)", ""]
        lines += [f"- `{check}` {title}" for check, title in checks]
    rules = {tool: n for tool, n in (scanner_rules or {}).items() if n}
    if rules:
        shown = ", ".join(f"{TOOL_NAMES.get(tool, tool)} {n}" for tool, n in rules.items())
        lines += ["", f"**{L('scanner_rules')}** (`antai import`): {shown}"]
    return "\n".join(lines) + "\n"


TOOL_NAMES = {"prowler": "Prowler", "checkov": "Checkov", "trivy": "Trivy", "sarif": "SARIF"}


def technote_markdown(catalog: Catalog, note: TechNote, lang: str, heading: str = "###") -> str:
    def L(key: str) -> str:
        return label(key, lang)

    sub = heading + "#"
    lines = [f"{heading} {note.title(lang)} ({note.id})", "", f"*{note.summary(lang)}*", ""]
    lines += [f"{sub} {L('how_it_works')}", "", note.how_it_works(lang).strip(), ""]
    lines += [f"{sub} {L('risks_reduced')}", ""] + [f"- {t(lang)}" for t in note.risks_reduced] + [""]
    lines += [f"{sub} {L('satisfies')}", ""]
    for link in note.satisfies:
        item = catalog.item(link.item)
        title = item.title(lang) if item else ""
        lines.append(f"- **{link.item}** {title} — {L('relation.' + link.relation.value)}: {link.note(lang)}")
    if note.fisc:
        lines += ["", f"**{L('fisc')}**: {', '.join(note.fisc)}"]
    lines += ["", f"{sub} {L('conditions')}", ""] + [f"- {t(lang)}" for t in note.conditions]
    lines += ["", f"{sub} {L('evidence')}", ""] + [f"- {t(lang)}" for t in note.evidence]
    return "\n".join(lines) + "\n"


def _counts(catalog: Catalog, number: int) -> tuple[int, int]:
    items = catalog.select(chapter=number)
    return len(items), sum(1 for i in items if i.mandatory)


def guide_markdown(catalog: Catalog, lang: str) -> str:
    def L(key: str) -> str:
        return label(key, lang)

    out = [f"# {L('guide.title')}", "", f"{L('guide.version')} {catalog.version}", ""]
    out += [f"## {L('guide.quickref')}", "", L("guide.quickref.lead"), ""]
    for chapter in catalog.chapters:
        total, mandatory = _counts(catalog, chapter.number)
        out += [f"### {chapter.number}. {chapter.title(lang)}", "", chapter.summary(lang), ""]
        if not total:
            out += [L("guide.empty_chapter"), ""]
            continue
        out += [f"{L('guide.count')}: {total}（{L('guide.mandatory_count')} {mandatory}）", ""]
        out += [f"| {L('id')} | {L('title')} | {L('applicability')} | {L('severity')} | {L('effort')} |"]
        out += ["|---|---|---|---|---|"]
        for item in catalog.select(chapter=chapter.number):
            applies = L("mandatory.short") if item.mandatory else item.applicability.example(lang)
            severity, effort = L(item.severity.value), L(item.effort.value)
            out.append(f"| {item.id} | {item.title(lang)} | {applies} | {severity} | {effort} |")
        out.append("")
    out += [f"## {L('guide.concepts')}", ""]
    for topic in catalog.concepts:
        out += [f"### {topic.title(lang)}", "", f"*{topic.summary(lang)}*", "", _demote(topic.body(lang)), ""]
    out += [f"## {L('guide.items')}", ""]
    for chapter in catalog.chapters:
        items = catalog.select(chapter=chapter.number)
        if not items:
            continue
        out += [f"### {chapter.number}. {chapter.title(lang)}", ""]
        current = None
        for item in items:
            if item.section != current:
                current = item.section
                out += [f"#### {catalog.section(item).title(lang)}", ""]
            out.append(item_markdown(catalog, item, lang, heading="#####"))
    if catalog.technotes:
        out += [f"## {L('guide.technotes')}", "", L("guide.technotes.lead"), ""]
        for note in catalog.technotes:
            out.append(technote_markdown(catalog, note, lang, heading="###"))
    if catalog.changelog:
        out += [f"## {L('guide.changelog')}", ""]
        for release in catalog.changelog.releases:
            out += [f"### {release.version} ({release.date.isoformat()})", ""]
            out += [f"- {note(lang)}" for note in release.notes] + [""]
    out += ["---", "", L("guide.provenance"), ""]
    return "\n".join(out)


def _demote(markdown: str, by: int = 2) -> str:
    """Push a topic's own headings below the guide's so the outline stays intact."""
    lines = []
    for line in markdown.splitlines():
        if line.startswith("#"):
            line = "#" * by + line
        lines.append(line)
    return "\n".join(lines).strip()


def guide_html(catalog: Catalog, lang: str, generated: dt.date | None = None) -> str:
    """The whole guideline as one self-contained, printable HTML page with a table of contents."""
    from markdown_it import MarkdownIt

    from antai.reports.templating import environment

    md = MarkdownIt("commonmark", {"html": False}).enable("table")
    env = environment()
    chapters = []
    for chapter in catalog.chapters:
        items = catalog.select(chapter=chapter.number)
        sections = []
        for section in chapter.sections:
            in_section = [i for i in items if i.section == section.id]
            if in_section:
                sections.append((section, in_section))
        chapters.append(
            {
                "chapter": chapter,
                "items": items,
                "sections": sections,
                "mandatory": sum(1 for i in items if i.mandatory),
            }
        )
    concepts = [(topic, md.render(_demote(topic.body(lang), by=2))) for topic in catalog.concepts]
    notes = [(note, md.render(_demote(note.how_it_works(lang), by=3))) for note in catalog.technotes]
    template = env.get_template("guide.html.j2")
    return template.render(
        lang=lang,
        L=lambda key: label(key, lang),
        catalog=catalog,
        chapters=chapters,
        concepts=concepts,
        notes=notes,
        technotes_for=catalog.technotes_for,
        describe=lambda _when, item: condition_text(item, lang),
        span=days_range,
        references=lambda item: _references(item, lang),
        generated=(generated or dt.date.today()).isoformat(),
    )
