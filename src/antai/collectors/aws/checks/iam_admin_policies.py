"""No user or role holds administrator rights, except the declared break-glass identities."""

from __future__ import annotations

from collections.abc import Iterator

from antai.assessment.verdicts import Severity
from antai.collectors.aws.checks.common import ADMINISTRATOR_ACCESS, break_glass, grants_everything
from antai.collectors.aws.inventory import Authorization, Inventory, Principal
from antai.collectors.aws.meta import CheckMeta, Result, Text, failed, passed

META = CheckMeta(
    id="aws.iam.admin_policies",
    items=("IAM-03", "IAM-05", "PRV-02"),
    severity=Severity.HIGH,
    title=Text(
        "緊急用と宣言した ID 以外のユーザー・ロールに管理者権限がない",
        "No user or role other than the declared break-glass holds administrator rights",
    ),
    rationale=Text(
        "全権を持つ ID が多いほど、一つの盗まれたセッションで全データのコピーや全リソースの削除ができる",
        "Every identity with full rights is one stolen session away from copying every dataset or deleting "
        "every resource",
    ),
    remediation=Text(
        'AdministratorAccess や Action "*"・Resource "*" の許可を外し、役割ごとの最小権限にする。'
        "残す緊急用 ID は --break-glass で宣言する",
        'Remove AdministratorAccess and Allow statements with Action "*" on Resource "*"; grant least privilege '
        "by role and declare the break-glass identities you keep with --break-glass",
    ),
    needs=("iam.authorization",),
)


def _admin(principal: Principal, auth: Authorization) -> list[str]:
    """How a principal gets administrator rights (empty: it does not)."""
    found = []
    for arn in principal.managed:
        name = arn.rpartition("/")[2]
        if (arn.endswith(f":policy/{ADMINISTRATOR_ACCESS}") and ":aws:policy/" in arn) or grants_everything(
            auth.policies.get(arn)
        ):
            found.append(name)
    found.extend(f"inline {name}" for name, document in principal.inline if grants_everything(document))
    for group_name in principal.groups:
        group = auth.groups.get(group_name)
        if group is not None:
            found.extend(f"group {group_name}: {how}" for how in _admin(group, auth))
    return found


def evaluate(inv: Inventory) -> Iterator[Result]:
    auth: Authorization = inv.get("iam.authorization")
    for principal in [*auth.users, *auth.roles]:
        if principal.kind == "role" and principal.path.startswith("/aws-service-role/"):
            continue  # service-linked roles belong to AWS services
        how = _admin(principal, auth)
        if not how:
            yield passed(principal.arn, "no administrator policy")
        elif break_glass(inv, principal.name, principal.arn):
            yield passed(principal.arn, f"break-glass: {', '.join(how)}")
        else:
            yield failed(principal.arn, ", ".join(how))
