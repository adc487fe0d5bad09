"""What-if results as text a founder reads in a terminal."""

from __future__ import annotations

from collections.abc import Sequence

from antai.catalog import Catalog
from antai.labels import label
from antai.tailoring.whatif import PlanChange


def whatif_text(change: PlanChange, catalog: Catalog, assignments: Sequence[str]) -> str:
    lang = change.after.lang
    ja = lang == "ja"

    def title(item_id: str) -> str:
        item = catalog.item(item_id)
        return item.title(lang) if item else ""

    lines = [("変更: " if ja else "change: ") + ", ".join(assignments)]
    before, after = len(change.before.items), len(change.after.items)
    lines.append(("適用項目: " if ja else "items that apply: ") + f"{before} → {after}")
    for name, old, new in change.levels:
        lines.append(f"{label('profile.' + name, lang)}: {label(old, lang)} → {label(new, lang)}")
    reasons = {i.id: i.reasons for i in change.after.items}
    if change.entered:
        lines.append("")
        lines.append(("加わる項目" if ja else "items that enter") + f" ({len(change.entered)}):")
        for item_id in change.entered:
            lines.append(f"  + {item_id} {title(item_id)}  ← {'; '.join(reasons[item_id])}")
    if change.left:
        lines.append("")
        lines.append(("外れる項目" if ja else "items that leave") + f" ({len(change.left)}):")
        for item_id in change.left:
            lines.append(f"  - {item_id} {title(item_id)}")
    if change.reprioritised:
        lines.append("")
        lines.append(("フェーズが変わる項目" if ja else "phase changes") + f" ({len(change.reprioritised)}):")
        for item_id, old_p, new_p in change.reprioritised:
            old_name, new_name = label(f"phase.{old_p}", lang), label(f"phase.{new_p}", lang)
            lines.append(f"  ~ {item_id} {title(item_id)}  {old_name} → {new_name}")
    if change.empty:
        lines.append("計画は変わらない。" if ja else "the plan does not change.")
    return "\n".join(lines) + "\n"
