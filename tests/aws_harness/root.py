"""The root user, as the emulator cannot show it: answers rewritten per account on their way back.

moto keeps no root user: GetAccountSummary always says AccountMFAEnabled=0 and no root keys, the
credential report has no ``<root_account>`` row, and every date in it is "now". A scenario says what the
root user looks like (:class:`Root`) and which credential-report fields of which users to backdate; the
rewriters below put that into the emulator's answers, so the product reads it over HTTP like any other.
"""

from __future__ import annotations

import base64
import csv
import io
import re
from dataclasses import dataclass, field

from tests.aws_harness.ops import Operation


@dataclass
class Root:
    mfa: bool = True
    hardware: bool = True  # False: the MFA device is a virtual one
    access_keys: bool = False
    password_last_used: str = "2026-11-20T09:00:00+00:00"


@dataclass
class Account:
    id: str
    root: Root = field(default_factory=Root)
    # user name -> credential-report columns to replace (e.g. {"access_key_1_last_rotated": "2025-01-01T…"})
    users: dict[str, dict[str, str]] = field(default_factory=dict)


class RootRewriter:
    """Rewrites GetAccountSummary, ListVirtualMFADevices and GetCredentialReport for known accounts."""

    def __init__(self) -> None:
        self.accounts: dict[str, Account] = {}

    def install(self, rewriters: dict[str, list]) -> None:  # type: ignore[type-arg]
        rewriters.setdefault("iam:GetAccountSummary", []).append(self.summary)
        rewriters.setdefault("iam:ListVirtualMFADevices", []).append(self.virtual_mfa)
        rewriters.setdefault("iam:GetCredentialReport", []).append(self.credential_report)

    def _account(self, op: Operation) -> Account | None:
        return self.accounts.get(op.account or "")

    def summary(self, op: Operation, body: bytes) -> bytes:
        account = self._account(op)
        if account is None:
            return body
        text = body.decode()
        for key, value in (
            ("AccountMFAEnabled", int(account.root.mfa)),
            ("AccountAccessKeysPresent", int(account.root.access_keys)),
        ):
            text = re.sub(rf"(<key>{key}</key>\s*<value>)\d+(</value>)", rf"\g<1>{value}\g<2>", text)
        return text.encode()

    def virtual_mfa(self, op: Operation, body: bytes) -> bytes:
        account = self._account(op)
        if account is None or not account.root.mfa or account.root.hardware:
            return body
        device = (
            f"<member><SerialNumber>arn:aws:iam::{account.id}:mfa/root-account-mfa-device</SerialNumber>"
            f"<User><Arn>arn:aws:iam::{account.id}:root</Arn><UserId>{account.id}</UserId>"
            "<CreateDate>2025-04-01T00:00:00Z</CreateDate></User>"
            "<EnableDate>2025-04-01T00:00:00Z</EnableDate></member>"
        )
        text = body.decode()
        if "<VirtualMFADevices/>" in text:
            text = text.replace("<VirtualMFADevices/>", f"<VirtualMFADevices>{device}</VirtualMFADevices>")
        else:
            text = text.replace("<VirtualMFADevices>", f"<VirtualMFADevices>{device}", 1)
        return text.encode()

    def credential_report(self, op: Operation, body: bytes) -> bytes:
        account = self._account(op)
        found = re.search(rb"<Content>([^<]*)</Content>", body)
        if account is None or found is None:
            return body
        rows = list(csv.DictReader(io.StringIO(base64.b64decode(found.group(1)).decode())))
        columns = list(rows[0].keys()) if rows else _COLUMNS
        root = dict.fromkeys(columns, "N/A")
        root.update(
            user="<root_account>",
            arn=f"arn:aws:iam::{account.id}:root",
            user_creation_time="2024-04-01T00:00:00+00:00",
            password_enabled="not_supported",
            password_last_used=account.root.password_last_used,
            password_last_changed="not_supported",
            password_next_rotation="not_supported",
            mfa_active=str(account.root.mfa).lower(),
            access_key_1_active=str(account.root.access_keys).lower(),
            access_key_1_last_rotated="2024-05-01T00:00:00+00:00" if account.root.access_keys else "N/A",
            access_key_2_active="false",
            cert_1_active="false",
            cert_2_active="false",
        )
        for row in rows:
            row.update(account.users.get(row["user"], {}))
        out = io.StringIO()
        writer = csv.DictWriter(out, fieldnames=columns, lineterminator="\n")
        writer.writeheader()
        writer.writerow(root)
        writer.writerows(rows)
        content = base64.b64encode(out.getvalue().encode())
        return body[: found.start(1)] + content + body[found.end(1) :]


_COLUMNS = [
    "user",
    "arn",
    "user_creation_time",
    "password_enabled",
    "password_last_used",
    "password_last_changed",
    "password_next_rotation",
    "mfa_active",
    "access_key_1_active",
    "access_key_1_last_rotated",
    "access_key_1_last_used_date",
    "access_key_1_last_used_region",
    "access_key_1_last_used_service",
    "access_key_2_active",
    "access_key_2_last_rotated",
    "access_key_2_last_used_date",
    "access_key_2_last_used_region",
    "access_key_2_last_used_service",
    "cert_1_active",
    "cert_1_last_rotated",
    "cert_2_active",
    "cert_2_last_rotated",
]
