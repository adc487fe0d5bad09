"""What several APK checks share: naming an API level, and the result when a value could not be read."""

from __future__ import annotations

from antai.collectors.base import Result, errored
from antai.collectors.mobile.android.facts import ApkFacts


def android(facts: ApkFacts, api: int) -> str:
    """``API 34 (Android 14)``, or just the API level when the table does not know it."""
    version = facts.support.version(api)
    return f"API {api} (Android {version.name})" if version else f"API {api}"


def unreadable(facts: ApkFacts, attribute: str, resource: str | None = None) -> Result | None:
    """An ``error`` when the manifest's ``attribute`` was written but could not be read, else None."""
    why = facts.unresolved.get(attribute)
    if why is None:
        return None
    return errored(
        resource or facts.package, facts.say(f"{attribute} を読めない（{why}）", f"{attribute} unreadable ({why})")
    )
