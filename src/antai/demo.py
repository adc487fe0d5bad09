"""`antai demo`: a realistic workspace for a fictional venture, built through the same operations a team uses.

株式会社ミルカ runs a household-budget app that reads customers' bank accounts through bank APIs, on AWS, iOS
and Android. Its assessment is partly complete: most mandatory items are done with evidence, some are planned
(one overdue), one risk is accepted with a reasoned decision, one item is compensated by a new-technology note,
and one organisation fact is still missing.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from antai.app import usecases
from antai.app.ports import Actor
from antai.assessment.model import Status
from antai.assessment.rules import AnswerChange
from antai.catalog import Catalog
from antai.catalog.schema import Effort
from antai.errors import InvalidChange
from antai.tailoring.profile import load_profile
from antai.workspace.store import META, FileStore

ORGANISATION = "株式会社ミルカ（デモ）"

# evidence files the demo creates: (item, file name, days before today it reflects, content)
EVIDENCE = [
    (
        "IAM-01",
        "aws-credential-report.csv",
        12,
        "user,arn,mfa_active,access_key_1_active,access_key_2_active\n"
        "<root_account>,arn:aws:iam::123456789012:root,true,false,false\n",
    ),
    (
        "IAM-01",
        "root-login-alarm.json",
        12,
        '{"Name": "root-sign-in", "EventPattern": {"detail": {"userIdentity": {"type": ["Root"]}}},'
        ' "Targets": ["sns:security-officers"]}\n',
    ),
    (
        "IAM-02",
        "identity-center-mfa-settings.txt",
        20,
        "IAM Identity Center: MFA required on every sign-in; authenticator types: security keys, passkeys.\n",
    ),
    (
        "LOG-01",
        "cloudtrail-organization-trail.json",
        30,
        '{"IsOrganizationTrail": true, "LogFileValidationEnabled": true, "S3BucketName": "milka-log-archive",'
        ' "ObjectLock": "COMPLIANCE 400 days"}\n',
    ),
    (
        "DAT-04",
        "kms-encryption-inventory.csv",
        25,
        "resource,encrypted,kms_key\nrds:milka-prod,true,alias/milka-data\ns3:milka-statements,true,alias/milka-data\n",
    ),
    (
        "MOB-06",
        "network_security_config.xml",
        40,
        '<network-security-config><domain-config cleartextTrafficPermitted="false">'
        '<domain includeSubdomains="true">api.milka.example</domain>'
        '<pin-set expiration="2027-06-30"><pin digest="SHA-256">AAAA…</pin><pin digest="SHA-256">BBBB…</pin>'
        "</pin-set></domain-config></network-security-config>\n",
    ),
    (
        "ASR-01",
        "pentest-2026-summary.md",
        60,
        "# Penetration test 2026 — summary\nScope: API, iOS and Android apps, AWS configuration.\n"
        "Findings: 0 critical, 1 high (fixed and retested), 4 medium (2 fixed, 2 planned).\n",
    ),
    (
        "DAT-09",
        "mdm-device-report.csv",
        400,  # older than a year: shows as expired evidence
        "device,owner,disk_encryption,screen_lock\nmbp-01,CTO,on,on\nmbp-02,engineer,on,on\n",
    ),
]

# answers that tell the demo's story; every other applicable item gets a status from its effort
STORY: dict[str, dict[str, object]] = {
    "IAM-09": {
        "status": "compensated",
        "compensated_by": "immutable-infrastructure",
        "owner": "CTO",
        "reason": "本番への変更は全て CI/CD 経由のイミュータブルな置換のみで、人手による本番変更の経路がない。"
        "パイプラインのマージには作成者以外の承認を必須としている。",
    },
    "DR-02": {
        "status": "planned",
        "owner": "SRE",
        "due_days": 120,
        "note": "パイロットライト構成を大阪リージョンに構築予定（見積り済み）。",
    },
    "ASR-02": {
        "status": "planned",
        "owner": "CTO",
        "due_days": -20,
        "note": "外部のセキュアコードレビューを発注済みだが開始が遅れている。",
    },
    "CYB-05": {
        "status": "partial",
        "owner": "SRE",
        "note": "CloudFront と AWS WAF のレート制限は導入済み。大規模攻撃時の手順書が未整備。",
    },
    "MOB-09": {
        "status": "not_implemented",
        "owner": "モバイルリード",
        "note": "資金移動がないため改ざん検知は後回しにしている。",
    },
}
for _bank_item in ("BNK-01", "BNK-02", "BNK-03", "BNK-04", "BNK-05", "BNK-08", "BNK-09"):
    STORY[_bank_item] = {"status": "implemented", "owner": "CTO"}
STORY["BNK-06"] = {
    "status": "partial",
    "owner": "SRE",
    "note": "銀行ごとの流量上限は設定済み。障害時の縮退表示が未実装。",
}
STORY["BNK-12"] = {
    "status": "planned",
    "owner": "CEO",
    "due_days": 60,
    "note": "提携銀行の年次確認に向けて証跡を整理中。",
}
ACCEPTED = (
    "ASR-04",
    "有料のバグバウンティは現段階の規模（利用者 30 万人、資金移動なし）に対して費用対効果が低い。"
    "脆弱性受付窓口（ASR-03）と年次の侵入テスト（ASR-01）で代替し、1 年後に再評価する。",
    "代表取締役 CEO 佐藤",
)

ORG_FACTS: dict[str, object] = {
    "registration": "電子決済等代行業者 関東財務局長（電代）第 00X 号（デモ）",
    "security_owner": "CTO 田中 一郎",
    "security_owner_authority": "本番の停止・リリースの差止め・アクセス権の即時停止を単独で決定できる",
    "security_policy": "情報セキュリティ基本方針 v2.1",
    "security_policy_date": "2026-04-01",
    "incident_contact": {"name": "MILKA-CSIRT", "email": "csirt@milka.example", "phone": "03-0000-0000"},
    "inquiry_contact": {"name": "カスタマーサポート", "email": "support@milka.example"},
    "outsourcees": [{"name": "株式会社アプリ工房（デモ）", "service": "iOS/Android アプリの受託開発"}],
    "staff_count": 12,
    "security_training": "全社員向けに年 2 回（直近 2026-10）、フィッシング訓練を四半期ごと",
    # compensation_policy is left out on purpose: the report shows it as a gap
}


@dataclass(frozen=True)
class DemoResult:
    root: Path
    bank_html: Path
    bank_xlsx: Path
    exec_html: Path


def _status_for(effort: Effort, mandatory: bool, position: int) -> str:
    """A plausible state for a 12-person team: cheap mandatory items done, expensive ones in progress."""
    if effort == Effort.LOW:
        return "implemented" if position % 9 else "partial"
    if effort == Effort.MEDIUM:
        return ("implemented", "implemented", "partial", "planned")[position % 4] if mandatory else "planned"
    return ("partial", "planned", "not_implemented")[position % 3]


def build(
    root: Path, catalog: Catalog, today: dt.date, progress: Callable[[str], None] = lambda _: None, force: bool = False
) -> DemoResult:
    """Build the demo in a fresh folder beside ``root``, then swap it in: an interrupted run never leaves a
    half-built demo behind, and --force replaces only a previous demo."""
    store = FileStore(root)
    if store.exists():
        if not force or ORGANISATION not in store.path(META).read_text(encoding="utf-8"):
            raise InvalidChange(
                f"{root} already holds a workspace; choose another folder"
                + (" (--force replaces only a previous demo)" if not force else ""),
                code="exists",
            )
    elif root.exists() and any(root.iterdir()):
        raise InvalidChange(f"{root} is not empty; choose a new folder for the demo", code="not_empty")
    root.parent.mkdir(parents=True, exist_ok=True)
    building = Path(tempfile.mkdtemp(prefix=f".{root.name}.", suffix=".building", dir=root.parent))
    try:
        result = _build_into(building, catalog, today, progress)
        if root.exists():
            retired = Path(tempfile.mkdtemp(prefix=f".{root.name}.", suffix=".old", dir=root.parent))
            os.replace(root, retired / "demo")
            os.replace(building, root)
            shutil.rmtree(retired, ignore_errors=True)
        else:
            os.replace(building, root)
    finally:
        if building.exists():
            shutil.rmtree(building, ignore_errors=True)
    return DemoResult(
        root,
        root / result.bank_html.relative_to(building),
        root / result.bank_xlsx.relative_to(building),
        root / result.exec_html.relative_to(building),
    )


def _build_into(root: Path, catalog: Catalog, today: dt.date, progress: Callable[[str], None]) -> DemoResult:
    from antai.fileio import atomic_write_bytes, atomic_write_text
    from antai.reports import assessment as report_data
    from antai.reports import bank

    store = FileStore(root)
    midday = dt.time(3, 0, tzinfo=dt.UTC)  # noon in Tokyo

    def on(day: dt.date, who: str = "CTO 田中") -> Actor:
        return Actor(who=who, now=dt.datetime.combine(day, midday))

    profile = load_profile(Path("example:household-budget"))
    progress("workspace")
    plan = usecases.init(store, catalog, profile, ORGANISATION, on(today - dt.timedelta(days=45)))
    usecases.set_organisation(store, catalog, on(today - dt.timedelta(days=44)), ORG_FACTS)

    progress("answers")
    half = len(plan.items) // 2
    snapshot_taken = False
    for position, planned in enumerate(plan.items):
        if position == half and not snapshot_taken:
            # a report a month ago, so the final one can show what changed since
            with store.locked():
                then = store.load().assessment
            previous, _, _ = report_data.build_report(catalog, then, "exec", "ja", today - dt.timedelta(days=30))
            report_data.write_last(root, previous)
            snapshot_taken = True
        item = catalog.item(planned.id)
        assert item is not None
        if item.id == ACCEPTED[0]:
            continue
        story = STORY.get(item.id)
        if story:
            fields = {k: v for k, v in story.items() if k != "due_days"}
            if "due_days" in story:
                fields["due"] = today + dt.timedelta(days=int(str(story["due_days"])))
        else:
            status = _status_for(item.effort, item.mandatory, position)
            fields = {"status": status, "owner": "CTO" if item.chapter in (1, 2) else "SRE"}
            if status == "planned":
                fields["due"] = today + dt.timedelta(days=30 + 15 * (position % 6))
            if status in ("partial", "not_implemented"):
                fields["note"] = "対応中。詳細は課題管理システムを参照。" if status == "partial" else "未着手。"
        change = AnswerChange(
            status=Status(str(fields["status"])),
            owner=fields.get("owner"),  # type: ignore[arg-type]
            due=fields.get("due"),  # type: ignore[arg-type]
            reason=fields.get("reason"),  # type: ignore[arg-type]
            compensated_by=fields.get("compensated_by"),  # type: ignore[arg-type]
            note=fields.get("note"),  # type: ignore[arg-type]
        )
        usecases.set_answer(store, catalog, on(today), item.id, change)
    if ACCEPTED[0] in plan.ids:
        usecases.accept(
            store,
            catalog,
            on(today - dt.timedelta(days=3), ACCEPTED[2]),
            ACCEPTED[0],
            ACCEPTED[1],
            ACCEPTED[2],
            today + dt.timedelta(days=365),
            today - dt.timedelta(days=3),
        )

    progress("evidence")
    with tempfile.TemporaryDirectory() as tmp:
        for item_id, name, age, content in EVIDENCE:
            source = Path(tmp) / name
            source.write_text(content, encoding="utf-8")
            usecases.add_evidence(store, catalog, on(today), item_id, source, today - dt.timedelta(days=age))
    usecases.add_evidence(
        store,
        catalog,
        on(today),
        "ASR-03",
        "https://milka.example/.well-known/security.txt",
        today - dt.timedelta(days=5),
        None,
        "RFC 9116 の連絡先と開示方針",
    )

    progress("reports")
    with store.locked():
        final = store.load().assessment
    previous_snapshot = report_data.read_last(root)
    bank_report, bank_plan, _ = report_data.build_report(catalog, final, "bank", "ja", today, previous_snapshot)
    exec_report, _, _ = report_data.build_report(catalog, final, "exec", "ja", today, previous_snapshot)
    out = root / "reports"
    result = DemoResult(root, out / "bank-report.ja.html", out / "bank-report.ja.xlsx", out / "exec-report.ja.html")
    from antai.tailoring.roadmap import build_roadmap, capacity_of

    timeline = build_roadmap(bank_plan, today, capacity_of(bank_plan))
    atomic_write_text(result.bank_html, bank.report_html(bank_report, catalog, timeline))
    atomic_write_bytes(result.bank_xlsx, bank.report_xlsx(bank_report, catalog))
    atomic_write_text(result.exec_html, bank.report_html(exec_report, catalog))
    report_data.write_last(root, bank_report)
    return result


__all__ = ["ORGANISATION", "DemoResult", "Status", "build"]
