"""Sign-off: the representative and the security owner approve the assessment before it goes to a bank.

A sign-off is a history entry (action ``signoff``), so it sits in the same hash chain as the changes it
approves and travels in every submission bundle. It covers the assessment as it stood when it was given:
any later change to the assessment, or a submission, ends it, and the next submission needs a new one.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

SIGNOFF_ACTION = "signoff"
# entries that change nothing a sign-off approved: other sign-offs, and comment threads with the bank
NEUTRAL_ACTIONS = frozenset({SIGNOFF_ACTION, "comment"})


class SignOffRole(StrEnum):
    REPRESENTATIVE = "representative"  # 代表者
    SECURITY_OWNER = "security_owner"  # セキュリティ責任者


@dataclass(frozen=True)
class SignOff:
    role: SignOffRole
    name: str
    title: str | None  # job title, e.g. 代表取締役
    date: dt.date
    entry: int  # its position in the history, from 1

    def as_dict(self) -> dict[str, Any]:
        return {"role": self.role.value, "name": self.name, "title": self.title, "date": self.date.isoformat()}


def _signoff(entry: dict[str, Any], number: int) -> SignOff | None:
    after = entry.get("after")
    if not isinstance(after, dict):
        return None
    try:
        role = SignOffRole(str(after.get("role")))
        date = dt.date.fromisoformat(str(after.get("date")))
    except ValueError:
        return None
    name = after.get("name")
    title = after.get("title")
    if not isinstance(name, str) or not name:
        return None
    return SignOff(role, name, title if isinstance(title, str) and title else None, date, number)


def signoffs_in_force(history: Iterable[dict[str, Any]]) -> dict[SignOffRole, SignOff]:
    """The sign-offs that cover the assessment as it is now, latest per role: those given after its last
    change and after the last submission."""
    current: dict[SignOffRole, SignOff] = {}
    for number, entry in enumerate(history, start=1):
        action = entry.get("action")
        if action == SIGNOFF_ACTION:
            found = _signoff(entry, number)
            if found is not None:
                current[found.role] = found
        elif action not in NEUTRAL_ACTIONS:
            current = {}
    return current


def missing_roles(current: dict[SignOffRole, SignOff]) -> list[SignOffRole]:
    return [role for role in SignOffRole if role not in current]
