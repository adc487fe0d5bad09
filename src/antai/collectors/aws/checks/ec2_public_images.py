"""No AMI the account owns is public."""

from __future__ import annotations

from collections.abc import Iterator

from antai.assessment.verdicts import Severity
from antai.collectors.aws.inventory import Inventory
from antai.collectors.aws.meta import CheckMeta, Result, Text, failed, passed

META = CheckMeta(
    id="aws.ec2.public_images",
    items=("DAT-11",),
    severity=Severity.CRITICAL,
    title=Text("公開された AMI がない", "No AMI is public"),
    rationale=Text(
        "マシンイメージには設定ファイルや鍵が残りやすく、公開すれば誰でも起動して中を読める",
        "Machine images tend to keep config files and keys, and a public one can be launched and read by anyone",
    ),
    remediation=Text(
        "AMI の起動許可から all を外し、AMI のパブリックアクセスブロックを有効にする",
        "Remove 'all' from the AMI's launch permissions and turn on block public access for AMIs",
    ),
    needs=("ec2.images",),
)


def evaluate(inv: Inventory) -> Iterator[Result]:
    for region, images in inv.each("ec2.images"):
        for image in images:
            arn = f"arn:{inv.partition}:ec2:{region}::image/{image.get('ImageId', '')}"
            public = bool(image.get("Public"))
            yield (failed if public else passed)(arn, "public" if public else "private")
