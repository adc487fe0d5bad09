"""No security group opens administration or database ports to the whole internet."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from antai.assessment.verdicts import Severity
from antai.collectors.aws.inventory import Inventory
from antai.collectors.aws.meta import CheckMeta, Result, Text, failed, passed

# SSH, RDP and the usual database and cache ports
ADMIN_PORTS = (22, 3389, 1433, 1521, 3306, 5432, 6379, 9200, 11211, 27017)
ANYWHERE = ("0.0.0.0/0", "::/0")

META = CheckMeta(
    id="aws.ec2.security_group_admin_ports",
    items=("CYB-07",),
    severity=Severity.HIGH,
    title=Text(
        "管理用・データベースのポートをインターネット全体に開くセキュリティグループがない",
        "No security group opens admin or database ports to the whole internet",
    ),
    rationale=Text(
        "インターネットに開いた SSH・RDP・DB のポートは止まない自動スキャンに見つかり、"
        "総当たりや既知の脆弱性で破られる",
        "SSH, RDP and database ports open to the internet are found by never-ending scans and broken by brute "
        "force or known flaws",
    ),
    remediation=Text(
        "0.0.0.0/0 と ::/0 からの規則を外し、接続元をセキュリティグループで絞る。管理接続は SSM Session Manager にする",
        "Remove the rules from 0.0.0.0/0 and ::/0, allow sources by security group, and make admin connections "
        "through SSM Session Manager",
    ),
    needs=("ec2.security_groups",),
)


def _open(permission: dict[str, Any]) -> list[str]:
    sources = [r.get("CidrIp") for r in permission.get("IpRanges", [])]
    sources += [r.get("CidrIpv6") for r in permission.get("Ipv6Ranges", [])]
    anywhere = [s for s in sources if s in ANYWHERE]
    if not anywhere:
        return []
    protocol = str(permission.get("IpProtocol", ""))
    if protocol == "-1":
        return [f"all {s}" for s in anywhere]
    if protocol not in ("tcp", "6", "udp", "17"):
        return []
    low, high = permission.get("FromPort", 0), permission.get("ToPort", 65535)
    ports = [p for p in ADMIN_PORTS if low <= p <= high]
    name = "tcp" if protocol in ("tcp", "6") else "udp"
    return [f"{name}/{p} {s}" for s in anywhere for p in ports]


def evaluate(inv: Inventory) -> Iterator[Result]:
    for region, groups in inv.each("ec2.security_groups"):
        for group in groups:
            arn = f"arn:{inv.partition}:ec2:{region}:{inv.account}:security-group/{group.get('GroupId', '')}"
            exposed = [entry for permission in group.get("IpPermissions", []) for entry in _open(permission)]
            if exposed:
                shown = ", ".join(exposed[:6]) + (f" (+{len(exposed) - 6})" if len(exposed) > 6 else "")
                yield failed(arn, shown)
            else:
                yield passed(arn, "no admin port open to the internet")
