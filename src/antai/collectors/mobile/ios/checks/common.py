"""What the iOS checks share: reading untrusted plist values, and where the entitlements come from."""

from __future__ import annotations

import reprlib
from collections.abc import Mapping
from typing import Any

from antai.collectors.base import Result, errored, not_applicable
from antai.collectors.mobile.ios.facts import IpaFacts, Profile, Unreadable

__all__ = ["MAX_LISTED", "ats", "entitlements", "flag", "listing", "no_entitlements", "shown", "source_name"]

MAX_LISTED = 100  # domains given a finding of their own; the rest share one


def flag(value: Any) -> bool | None:
    """A plist boolean as iOS would take it: <true/>, or the strings and numbers people write for one
    ("YES", "true", 1). None when absent or of another type."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float):
        return value != 0
    if isinstance(value, str):
        word = value.strip().lower()
        if word in ("yes", "true", "1"):
            return True
        if word in ("no", "false", "0"):
            return False
    return None


def shown(value: Any, limit: int = 120) -> str:
    """A value fit for ``observed`` or a resource: printable characters only, cut at ``limit``.

    A container is shown with :mod:`reprlib`'s bounds: a binary plist may reference one array from many
    places, so a few hundred bytes can parse into a structure whose full ``repr`` never ends."""
    if isinstance(value, str):
        text = "".join(c for c in value[: limit * 4] if c.isprintable()).strip()
    else:
        text = "".join(c for c in _REPR.repr(value) if c.isprintable())
    return text if len(text) <= limit else text[: limit - 1] + "…"


_REPR = reprlib.Repr()
_REPR.maxlevel, _REPR.maxlist, _REPR.maxdict, _REPR.maxstring, _REPR.maxother = 3, 4, 4, 60, 60
_REPR.maxlong = 60


def listing(values: list[str], facts: IpaFacts, limit: int = 5) -> str:
    more = len(values) - limit
    head = ", ".join(values[:limit])
    return head + (facts.say(f" ほか {more} 件", f" and {more} more") if more > 0 else "")


def ats(facts: IpaFacts) -> Mapping[str, Any] | Unreadable | None:
    """The NSAppTransportSecurity dictionary; None when the app has none (ATS defaults apply)."""
    value = facts.info.get("NSAppTransportSecurity")
    if value is None:
        return None
    if not isinstance(value, dict):
        return Unreadable("NSAppTransportSecurity", "not a dictionary")
    return value


def entitlements(facts: IpaFacts, *, xcent: bool = False) -> tuple[Mapping[str, Any], str] | None:
    """The entitlements to judge and where they come from: the code signature's when found, else the
    provisioning profile's, else (only with ``xcent``, for keys Xcode writes there) the xcent file's."""
    if facts.signed.entitlements is not None:
        return facts.signed.entitlements, "signature"
    if isinstance(facts.profile, Profile):
        return facts.profile.entitlements, "profile"
    if xcent and isinstance(facts.xcent, dict):
        return facts.xcent, "xcent"
    return None


def source_name(source: str, facts: IpaFacts) -> str:
    return {
        "signature": facts.say("コード署名", "code signature"),
        "profile": facts.say("プロビジョニングプロファイル", "provisioning profile"),
        "xcent": "archived-expanded-entitlements.xcent",
    }[source]


def no_entitlements(facts: IpaFacts) -> Result:
    """The result when there are no entitlements to judge: ``error`` when the profile is there but could not
    be read (that proves nothing), else ``not_applicable`` saying why."""
    why = facts.signed.missing
    if isinstance(facts.profile, Unreadable):
        return errored(
            facts.resource,
            facts.say(
                f"embedded.mobileprovision を読めない（{facts.profile.reason}）。コード署名の entitlements もない",
                f"embedded.mobileprovision is unreadable ({facts.profile.reason}); no code signature "
                "entitlements either",
            ),
        )
    return not_applicable(
        facts.resource,
        facts.say(
            "embedded.mobileprovision がなく（App Store から配布された版は含まない）、コード署名の entitlements も"
            f"読めない（{_missing_ja(why)}）",
            f"no embedded.mobileprovision (App Store downloads have none) and no code signature entitlements ({why})",
        ),
    )


def _missing_ja(why: str) -> str:
    if why == "no executable":
        return "実行ファイルがない"
    if why.startswith("executable of"):
        return f"実行ファイルが大きすぎて調べていない（{why.split()[2]} MiB）"
    return "署名に entitlements が見つからない"
