"""`antai demo`: a realistic workspace for a fictional venture, built through the same operations a team uses.

株式会社ミルカ runs a household-budget app that reads customers' bank accounts through bank APIs, on AWS, iOS
and Android. Its assessment is partly complete: most mandatory items are done with evidence, some are planned
(one overdue), one risk is accepted with a reasoned decision, one item is compensated by a new-technology note,
and the organisation facts a bank asks first are filled in, two of them deliberately still missing.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from antai.app import usecases
from antai.app.ports import Actor
from antai.assessment.model import Status
from antai.assessment.rules import AnswerChange
from antai.assessment.signoff import SignOffRole
from antai.catalog import Catalog
from antai.catalog.schema import Effort
from antai.checklists.loader import builtin_path, default_names, load_checklist
from antai.errors import InvalidChange
from antai.tailoring.plan import Plan
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
        "due_days": 75,
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
    "due_days": 45,
    "note": "銀行ごとの流量上限は設定済み。障害時の縮退表示が未実装。",
}
STORY["BNK-12"] = {
    "status": "planned",
    "owner": "CEO",
    "due_days": 60,
    "note": "提携銀行の年次確認に向けて証跡を整理中。",
}
# what limits the risk until an item is done (interim measures of the remediation plan)
DEFAULT_INTERIM = "完了までは該当する変更を CTO が個別に承認し、週次の定例で進捗とリスクを確認する。"
INTERIM = {
    "DR-02": "東京リージョン内の 3 AZ 構成と日次のクロスリージョン・バックアップで、単一 AZ の障害には耐える。",
    "ASR-02": "レビュー開始までは、認証・認可・トークン処理に関わる変更に社内の 2 名承認と SAST を必須にしている。",
    "CYB-05": "攻撃の兆候があれば CloudFront の地域制限と WAF の緊急ルールで絞る（当番が判断）。",
    "MOB-09": "資金移動がないため、改ざんアプリからの操作はサーバー側の認可とレート制限で抑えている。",
    "BNK-06": "銀行側の障害時は取込みを止め、アプリに「銀行のメンテナンス中」と表示する手順で運用している。",
    "BNK-12": "年次確認までは、接続先銀行ごとの確認項目を CEO が四半期ごとに点検する。",
}
ACCEPTED = (
    "ASR-04",
    "有料のバグバウンティは現段階の規模（利用者 30 万人、資金移動なし）に対して費用対効果が低い。"
    "脆弱性受付窓口（ASR-03）と年次の侵入テスト（ASR-01）で代替し、1 年後に再評価する。",
    "代表取締役 CEO 佐藤",
)

# The facts a bank asks first, by group. Two are left out on purpose so the report shows them as gaps:
# the loss allocation with the bank (the contract is still being negotiated) and the date of a joint drill
# (none held yet).
ORG_FACTS: dict[str, object] = {
    "eligibility": {
        "registration_kind": "electronic_payment_agent",
        "registration": "関東財務局長（電代）第 00X 号（デモ）",
        "registered_on": "2024-07-01",
        "capital_jpy": 98_000_000,
        "finances": "純資産 4.1 億円（2026 年 3 月期、監査法人による任意監査済み）。シリーズ B で 12 億円を調達済み。",
        "compliance_structure": "コンプライアンス責任者（取締役 CFO）を置き、コンプライアンス規程・年次の研修・"
        "四半期ごとの内部監査（外部の公認内部監査人に委託）で運用している。",
        "antisocial_declaration": True,
        "antisocial_screening": "役員・株主・取引先を取引開始前と年 1 回、外部データベースで確認する。"
        "契約書に反社会的勢力排除条項を置く。",
        "association": "一般社団法人 電子決済等代行事業者協会（デモ）",
        "certifications": [
            {
                "scheme": "isms",
                "scope": "家計簿アプリ「ミルカ」の開発・運用",
                "certified": "2025-11-20",
                "expires": "2028-11-19",
            }
        ],
        "staff_count": 12,
    },
    "service": {
        "name": "家計簿アプリ「ミルカ」（デモ）",
        "summary": "個人向けの家計簿アプリ。利用者が連携した銀行口座の残高と入出金明細を自動で取り込み、"
        "支出を分類して表示する。iOS・Android アプリで提供。",
        "api_purpose": "利用者の同意に基づき、残高と入出金明細を参照して家計簿に表示するため（参照系のみ。"
        "振込などの更新系 API は利用しない）。",
        "target_banks": ["みどり銀行（デモ）", "さくら台銀行（デモ）", "北浜信用金庫（デモ）"],
        "apis": [
            {"bank": "みどり銀行（デモ）", "api": "残高照会", "scope": "read"},
            {"bank": "みどり銀行（デモ）", "api": "入出金明細照会", "scope": "read"},
            {"bank": "さくら台銀行（デモ）", "api": "口座情報照会（残高・明細）", "scope": "read"},
            {"bank": "北浜信用金庫（デモ）", "api": "入出金明細照会", "scope": "read"},
        ],
        "data_items": ["口座の種別・支店・口座番号の下 4 桁", "残高", "入出金明細（日付・金額・摘要）"],
        "retention": "明細は利用者の退会または連携解除から 30 日で削除する。バックアップからは 35 日以内に消える。",
        "architecture": "システム構成図・データフロー図 v3（2026-09 改訂）",
        "token_storage": "アクセストークン・リフレッシュトークンは AWS KMS の鍵で暗号化して専用の DB に保管し、"
        "API 連携サービスのロールだけが復号できる。",
        "hosting_regions": [
            "AWS 東京リージョン（ap-northeast-1）",
            "バックアップ: AWS 大阪リージョン（ap-northeast-3）",
        ],
    },
    "user_protection": {
        "terms": "利用規約と電子決済等代行業に係る説明事項（銀行との契約の概要、損害発生時の対応、問合せ先）を"
        "アプリの連携画面とウェブサイトに掲載し、連携の前に同意を得ている。",
        "inquiry": {
            "name": "ミルカ サポートデスク",
            "phone": "03-0000-0000（デモ）",
            "email": "support@milka.example",
            "form": "https://milka.example/support",
            "hours": "平日 10:00–18:00（フォームとメールは 24 時間受付）",
        },
        "complaint_handling": "苦情は受付から 2 営業日以内に一次回答し、未解決のものは CS 責任者から代表取締役へ"
        "週次で報告する。銀行に関わる苦情は当該銀行にも連絡する。",
        "adr": "東京弁護士会 紛争解決センターの利用を利用規約に定めている（デモ）。",
        "damage_prevention": "不正の疑いがあれば当該利用者の連携を停止してトークンを失効させ、銀行に連絡し、"
        "利用者にアプリ内通知とメールで知らせる。",
        "compensation": "当社の責めに帰すべき事由で利用者に損失が生じたときは、利用規約に基づき全額を補償する。",
    },
    "cooperation": {
        "incident_contact": {"name": "MILKA-CSIRT", "email": "csirt@milka.example", "phone": "03-0000-0001（デモ）"},
        "contact_24x7": {
            "name": "MILKA-CSIRT 当番（24 時間）",
            "email": "oncall@milka.example",
            "phone": "090-0000-0000（デモ）",
        },
        "notification": [
            {"event": "token_compromise", "within_hours": 1, "contact": "接続先銀行の API 窓口（電話の後メール）"},
            {"event": "unauthorised_access", "within_hours": 1, "contact": "接続先銀行の API 窓口（電話の後メール）"},
            {"event": "data_leak", "within_hours": 2, "contact": "接続先銀行の API 窓口、個人情報保護委員会"},
            {"event": "fraudulent_use", "within_hours": 2, "contact": "接続先銀行の不正対策窓口"},
            {"event": "service_outage", "within_hours": 4, "contact": "接続先銀行の API 窓口（メール）"},
            {"event": "outsourcee_incident", "within_hours": 24, "contact": "接続先銀行の API 窓口（メール）"},
        ],
        "joint_drill": "銀行と合同の事故対応訓練は未実施。2027 年度上期にみどり銀行（デモ）と実施する予定。",
    },
    "outsourcing": {
        "policy": "委託先管理規程に基づき、選定時に安全管理の質問票と契約条項を確認し、年 1 回評価する。",
        "outsourcees": [
            {
                "name": "株式会社アプリ工房（デモ）",
                "service": "iOS/Android アプリの受託開発",
                "data": "本番の顧客データは扱わない（検証環境のダミーデータのみ）",
                "access": "ソースコードのリポジトリ（ブランチ保護あり）。本番環境へのアクセス権はない。",
                "security_requirements": True,
                "audit_rights": True,
                "subcontracting": "with_approval",
                "subcontractors": "承認済みの再委託先なし",
                "last_review": "2026-09-30",
                "review_result": "問題なし（退職者のアカウント削除の証跡を確認）",
            },
            {
                "name": "株式会社サポートワークス（デモ）",
                "service": "問合せ窓口（メール・フォーム）の一次対応",
                "data": "問合せ者の氏名・メールアドレス・問合せ内容。口座情報は見えない。",
                "access": "問合せ管理システムの担当者ロールのみ（MFA 必須）",
                "security_requirements": True,
                "audit_rights": True,
                "subcontracting": "prohibited",
                "last_review": "2026-06-15",
                "review_result": "指摘 1 件（パスワード管理）を是正済み",
            },
        ],
    },
    "governance": {
        "security_policy": "情報セキュリティ基本方針 v2.1",
        "policy_approver": "取締役会",
        "policy_approved": "2026-04-01",
        "policy_review": "annual",
        "rules": [
            {"title": "情報セキュリティ管理規程", "approved": "2026-04-01", "approver": "取締役会"},
            {"title": "データ区分・取扱規程", "approved": "2026-04-01", "approver": "取締役会"},
            {"title": "アクセス管理細則", "approved": "2026-05-15", "approver": "CTO"},
            {"title": "インシデント対応細則", "approved": "2026-05-15", "approver": "CTO"},
            {"title": "委託先管理規程", "approved": "2026-04-01", "approver": "取締役会"},
        ],
        "security_owner": "CTO 田中 一郎",
        "security_owner_authority": "本番の停止・リリースの差止め・アクセス権の即時停止を単独で決定できる",
        "deputy": "SRE リード 鈴木 花子",
        "owner_appointed": "2025-04-01",
        "reporting_line": "取締役会へ四半期ごとに報告。重大な事故は代表取締役へ即時に報告する。",
        "security_training": "全社員向けに年 2 回（直近 2026-10）、フィッシング訓練を四半期ごと",
    },
    # user_protection.loss_allocation and cooperation.joint_drill_date are left out on purpose: gaps
}

# evidence about organisation facts: (fact, file name, days before today it reflects, content)
FACT_EVIDENCE = [
    (
        "org:eligibility.registration",
        "registration-certificate.txt",
        500,
        "電子決済等代行業者登録簿の写し（デモ）: 関東財務局長（電代）第 00X 号、登録日 2024-07-01\n",
    ),
    (
        "org:governance.security_owner",
        "appointment-cto-security-owner.txt",
        600,
        "辞令（デモ）: 2025-04-01 付で CTO 田中 一郎を情報セキュリティ責任者に任命する。代行者 鈴木 花子。\n",
    ),
    (
        "org:service.architecture",
        "architecture-dataflow-v3.md",
        70,
        "# システム構成図・データフロー図 v3（デモ）\n利用者アプリ → API（ECS）→ トークン DB（KMS 暗号化）"
        "→ 銀行 API（参照系）\n",
    ),
    (
        "org:outsourcing.outsourcees.1",
        "appkobo-contract-security-annex.txt",
        200,
        "業務委託契約 別紙（デモ）: 安全管理措置、監査権、再委託の事前承認、終了時のデータ返却・削除\n",
    ),
]


# The team runs Prowler on its production account and imports the output (`antai import prowler --record`):
# the first scan, four days before the first submission, finds a console user without MFA and SSH open to the
# internet, which contradicts PRV-01 (claimed implemented): the first submission shows it; the team fixes both,
# and the later scans confirm it. (check ID, resource, passes in the first scan, later)
PROWLER_ACCOUNT = "123456789012"
PROWLER_CHECKS = [
    ("iam_root_mfa_enabled", "arn:aws:iam::123456789012:root", True, True),
    ("iam_root_hardware_mfa_enabled", "arn:aws:iam::123456789012:root", True, True),
    ("iam_no_root_access_key", "arn:aws:iam::123456789012:root", True, True),
    ("iam_user_mfa_enabled_console_access", "arn:aws:iam::123456789012:user/tanaka", True, True),
    ("iam_user_mfa_enabled_console_access", "arn:aws:iam::123456789012:user/ops-contractor", False, True),
    ("cloudtrail_multi_region_enabled", "arn:aws:cloudtrail:ap-northeast-1:123456789012:trail/org", True, True),
    (
        "cloudtrail_log_file_validation_enabled",
        "arn:aws:cloudtrail:ap-northeast-1:123456789012:trail/org",
        False,
        False,
    ),
    ("s3_account_level_public_access_blocks", "arn:aws:s3:::123456789012", False, False),
    ("s3_bucket_default_encryption", "arn:aws:s3:::milka-tokens-prod", True, True),
    ("s3_bucket_default_encryption", "arn:aws:s3:::milka-logs-prod", True, True),
    ("s3_bucket_secure_transport_policy", "arn:aws:s3:::milka-tokens-prod", True, True),
    ("kms_cmk_rotation_enabled", "arn:aws:kms:ap-northeast-1:123456789012:key/token-db", True, True),
    ("rds_instance_storage_encrypted", "arn:aws:rds:ap-northeast-1:123456789012:db:milka-prod", True, True),
    ("rds_instance_multi_az", "arn:aws:rds:ap-northeast-1:123456789012:db:milka-prod", True, True),
    ("rds_instance_multi_az", "arn:aws:rds:ap-northeast-1:123456789012:db:milka-batch", False, False),
    ("rds_instance_backup_enabled", "arn:aws:rds:ap-northeast-1:123456789012:db:milka-prod", True, True),
    (
        "ec2_securitygroup_allow_ingress_from_internet_to_tcp_port_22",
        "arn:aws:ec2:ap-northeast-1:123456789012:security-group/sg-0bastion",
        False,
        True,
    ),
    ("guardduty_is_enabled", "arn:aws:guardduty:ap-northeast-1:123456789012:detector/prod", True, True),
    ("config_recorder_all_regions_enabled", "arn:aws:config:ap-northeast-1:123456789012:recorder/default", True, True),
    ("ec2_ebs_public_snapshot", "arn:aws:ec2:ap-northeast-1:123456789012:snapshot/snap-0db", True, True),
]
PROWLER_SCANS = (96, 60, 2)  # days before today: the first (in the first submission) finds the two problems


def _prowler_output(day: dt.date, first: bool, folder: Path) -> Path:
    """The OCSF JSON a Prowler 5.46 run would write for the demo's account on ``day`` (only the fields antai
    reads, plus the ones that make it recognisable)."""
    import json

    when = dt.datetime.combine(day, dt.time(2, 0, tzinfo=dt.UTC))  # 11:00 in Tokyo
    findings = []
    for check, resource, early, later in PROWLER_CHECKS:
        passed = early if first else later
        findings.append(
            {
                "message": f"{check}: {'PASS' if passed else 'FAIL'} for {resource.rsplit(':', 1)[-1]}",
                "metadata": {
                    "event_code": check,
                    "product": {"name": "Prowler", "uid": "prowler", "vendor_name": "Prowler", "version": "5.46.0"},
                    "version": "1.4.0",
                },
                "severity": "High",
                "status_code": "PASS" if passed else "FAIL",
                "finding_info": {"title": check, "uid": f"prowler-aws-{check}-{resource}"},
                "resources": [{"uid": resource, "name": resource.rsplit(":", 1)[-1], "region": "ap-northeast-1"}],
                "cloud": {"account": {"uid": PROWLER_ACCOUNT, "type": "AWS Account"}, "provider": "aws"},
                "time": int(when.timestamp()),
                "time_dt": when.isoformat(),
                "class_name": "Detection Finding",
            }
        )
    path = folder / f"prowler-output-{PROWLER_ACCOUNT}-{day:%Y%m%d}.ocsf.json"
    path.write_text(json.dumps(findings, ensure_ascii=False, indent=1), encoding="utf-8")
    return path


@dataclass(frozen=True)
class DemoResult:
    root: Path
    bank_html: Path
    bank_xlsx: Path
    exec_html: Path
    submissions: tuple[Path, ...] = ()  # the bundles, oldest first, under root/submissions/
    fingerprint: str = ""  # of the throwaway key that signed them


# the story's calendar, in days before the demo's "today"
CREATED = 200  # the workspace is created
FIRST_SUBMISSION = 92  # first submission to the bank (about three months before the second)
BANK_COMMENTS = 78  # the bank's reviewer sends comments on it
SECOND_PASS = (70, 6)  # the work between the submissions is spread over these days
SIGNERS = (
    ("representative", "佐藤 健", "代表取締役 CEO"),
    ("security_owner", "田中 一郎", "CTO・情報セキュリティ責任者"),
)
# a few implemented items deliberately without evidence: a bank sees which claims are unevidenced
UNEVIDENCED_EVERY = 8


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
        tuple(root / path.relative_to(building) for path in result.submissions),
        result.fingerprint,
    )


def _final_answers(catalog: Catalog, plan: Plan, today: dt.date) -> dict[str, dict[str, object]]:
    """Where each applicable item stands today (the risk-accepted item aside): the story's own answers, else
    a status from its effort; planned and partial items have an owner, a due date and, mostly, an interim
    measure."""
    finals: dict[str, dict[str, object]] = {}
    for position, planned in enumerate(plan.items):
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
            if status in ("planned", "partial"):
                fields["due"] = today + dt.timedelta(days=30 + 15 * (position % 6))
            if status in ("partial", "not_implemented"):
                fields["note"] = "対応中。詳細は課題管理システムを参照。" if status == "partial" else "未着手。"
        if fields["status"] in ("planned", "partial", "not_implemented") and position % 5:
            fields.setdefault("interim", INTERIM.get(item.id, DEFAULT_INTERIM))
        finals[item.id] = fields
    return finals


def _earlier(fields: dict[str, object], position: int, first_day: dt.date) -> dict[str, object]:
    """The same item at the first submission: every third item done today was still planned then."""
    if fields["status"] == "implemented" and position % 3 == 0:
        return {
            "status": "planned",
            "owner": fields.get("owner"),
            "due": first_day + dt.timedelta(days=45 + 5 * (position % 7)),
            "interim": DEFAULT_INTERIM,
        }
    return fields


def _change(fields: dict[str, object]) -> AnswerChange:
    def text(name: str) -> str | None:
        value = fields.get(name)
        return None if value is None else str(value)

    due = fields.get("due")
    return AnswerChange(
        status=Status(str(fields["status"])),
        owner=text("owner"),
        due=due if isinstance(due, dt.date) else None,
        reason=text("reason"),
        compensated_by=text("compensated_by"),
        note=text("note"),
        interim=text("interim"),
    )


def _record_evidence(item: Any, day: dt.date, folder: Path) -> Path:
    """A short, plainly fictional record of the check the item's evidence asks for."""
    path = folder / f"{item.id.lower()}-check.md"
    lines = [f"# {item.title.ja}（デモの確認記録）", "", f"確認日: {day.isoformat()}", "確認者: CTO 田中 一郎", ""]
    lines += [f"- {e.text.ja}: 確認済み" for e in item.evidence]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _bank_thread(
    store: FileStore, catalog: Catalog, on: Callable[..., Actor], ago: Callable[[int], dt.date], submission: str
) -> Callable[[], None]:
    """The bank's reviewer comments on the first submission (as the YAML a bank sends back); the step it
    returns is the team's answer, two weeks later. The thread goes to the bank with the second submission."""
    import hashlib

    from antai.app import comments
    from antai.assessment.threads import Incoming, IncomingComment, Verdict

    notes = (
        (
            "org:user_protection.loss_allocation",
            "銀行との損失分担の取決めが未記入である。契約交渉の状況と、合意までの取扱いを示されたい。",
            Verdict.ASK,
        ),
        (
            "ASR-02",
            "外部のセキュアコードレビューの開始時期と、それまでの補完策を示されたい。",
            Verdict.ASK,
        ),
        ("BNK-03", "トークンの失効手順と失効の記録を確認した。", Verdict.OK),
    )
    name = "midori-bank-comments.yaml"
    incoming = Incoming(
        submission=submission,
        bank="みどり銀行（デモ）",
        reviewer="リスク管理部 高橋",
        comments=tuple(
            IncomingComment(target=target, text=text, verdict=verdict, where=f"{name}:{3 + 3 * n}:5", index=n)
            for n, (target, text, verdict) in enumerate(notes)
        ),
        sha256=hashlib.sha256(repr(notes).encode("utf-8")).hexdigest(),
        format="yaml",
        name=name,
    )
    comments.import_comments(store, catalog, on(ago(BANK_COMMENTS), "リスク管理部 高橋"), incoming)
    answers = {
        "org:user_protection.loss_allocation": "契約書案の損失分担条項（当社の責めに帰すべき事由による損失は"
        "当社が負担）を 2027 年 1 月の締結に向けて協議中。締結までは利用規約の全額補償で利用者を保護する。",
        "ASR-02": "発注先の都合で開始が遅れている。開始までは認証・認可・トークン処理に関わる変更に 2 名承認と SAST を"
        "必須とし、月次で CTO が確認している。",
    }

    def answer() -> None:
        for thread in comments.threads(store):
            reply = answers.get(str(thread.target))
            if reply:
                comments.answer(store, on(ago(BANK_COMMENTS - 14)), thread.id, reply)

    return answer


def _build_into(root: Path, catalog: Catalog, today: dt.date, progress: Callable[[str], None]) -> DemoResult:
    """The story, in the order it happened: the workspace is created 200 days ago, most of the work is done
    and submitted to the bank about three months ago, the bank comments, the team answers and carries on, and
    the second submission goes out today; each step is dated through the actor's clock."""
    from antai.fileio import atomic_write_text
    from antai.reports import assessment as report_data
    from antai.reports import bank
    from antai.submission import keys
    from antai.workspace.bundles import BundleOptions, submit_bundle
    from antai.workspace.submissions import submitted_report

    store = FileStore(root)
    midday = dt.time(3, 0, tzinfo=dt.UTC)  # noon in Tokyo

    def ago(days: int) -> dt.date:
        return today - dt.timedelta(days=days)

    def on(day: dt.date, who: str = "CTO 田中 一郎") -> Actor:
        return Actor(who=who, now=dt.datetime.combine(day, midday))

    profile = load_profile(Path("example:household-budget"))
    progress("workspace")
    plan = usecases.init(store, catalog, profile, ORGANISATION, on(ago(CREATED)))
    usecases.set_organisation(store, catalog, on(ago(CREATED - 1)), ORG_FACTS)

    progress("answers")
    finals = _final_answers(catalog, plan, today)
    first_day = ago(FIRST_SUBMISSION)
    first = {item_id: _earlier(fields, n, first_day) for n, (item_id, fields) in enumerate(finals.items())}
    signing_key = keys.generate()  # a throwaway key, never written: the bundles carry its public half
    shipped = [(name, builtin_path(name)) for name in default_names(profile)]
    options = BundleOptions(
        lang="ja",
        scope="参照系 API（残高照会・入出金明細照会）の接続申請",
        checklists=tuple(load_checklist(path, catalog, f"{name} (antai)") for name, path in shipped if path),
        formats=("html", "xlsx", "json"),  # the PDF takes seconds: `antai submit` adds it
    )
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        # every step of the story as (day, step); run in date order, so the history runs forward in time
        steps: list[tuple[dt.date, Callable[[], object]]] = []

        def later(day: dt.date, step: Callable[[], object]) -> None:
            steps.append((day, step))

        def listed(target: str, name: str, age: int, content: str) -> Callable[[], object]:
            source = folder / name
            source.write_text(content, encoding="utf-8")
            day = ago(min(age, CREATED - 1))  # recorded on the day it reflects, or when the workspace began
            # a registration, an appointment or a contract holds until it changes: reviewed every three years
            until = ago(age) + dt.timedelta(days=3 * 365) if target.startswith("org:") else None
            return lambda: usecases.add_evidence(store, catalog, on(day), target, source, ago(age), until)

        def generated(item_id: str, day: dt.date) -> Callable[[], object]:
            item = catalog.item(item_id)
            assert item is not None
            return lambda: usecases.add_evidence(
                store, catalog, on(day), item_id, _record_evidence(item, day, folder), day
            )

        def sign(role: str, name: str, title: str, day: dt.date) -> Callable[[], object]:
            return lambda: usecases.sign_off(store, catalog, on(day, name), SignOffRole(role), name, title)

        def answer(item_id: str, fields: dict[str, object], day: dt.date) -> Callable[[], object]:
            return lambda: usecases.set_answer(store, catalog, on(day), item_id, _change(fields))

        for target, name, age, content in [*FACT_EVIDENCE, *EVIDENCE]:
            later(ago(min(age, CREATED - 1)), listed(target, name, age, content))
        evidenced = {item_id for item_id, *_ in EVIDENCE}
        span = CREATED - FIRST_SUBMISSION - 10
        for n, (item_id, fields) in enumerate(first.items()):
            day = ago(CREATED - 2 - n * span // len(first))
            later(day, answer(item_id, fields, day))
            if fields["status"] == "implemented" and item_id not in evidenced and n % UNEVIDENCED_EVERY:
                later(day, generated(item_id, day))
                evidenced.add(item_id)

        def scanned(age: int) -> Callable[[], object]:
            output = _prowler_output(ago(age), age == PROWLER_SCANS[0], folder)

            def record() -> object:
                from antai.app.scans import record_scan
                from antai.importers.prowler import read_prowler

                return record_scan(store, catalog, on(ago(age), "CI (GitHub Actions)"), read_prowler(output), output)

            return record

        for age in PROWLER_SCANS:
            later(ago(age), scanned(age))
        for role, name, title in SIGNERS:
            later(ago(FIRST_SUBMISSION + 1), sign(role, name, title, ago(FIRST_SUBMISSION + 1)))
        submitted: list[Path] = []
        later(
            first_day,
            lambda: submitted.append(submit_bundle(store, catalog, on(first_day), signing_key, options).bundle),
        )
        replies: list[Callable[[], None]] = []
        later(ago(BANK_COMMENTS), lambda: replies.append(_bank_thread(store, catalog, on, ago, submitted[0].name)))
        later(ago(BANK_COMMENTS - 14), lambda: replies[0]())

        changed = [(item_id, fields) for item_id, fields in finals.items() if first[item_id] != fields]
        start, end = SECOND_PASS
        for n, (item_id, fields) in enumerate(changed):
            day = ago(start - n * (start - end) // max(len(changed), 1))
            later(day, answer(item_id, fields, day))
            if fields["status"] == "implemented" and item_id not in evidenced and n % UNEVIDENCED_EVERY:
                later(day, generated(item_id, day))
                evidenced.add(item_id)
        later(
            ago(5),
            lambda: usecases.add_evidence(
                store,
                catalog,
                on(ago(5)),
                "ASR-03",
                "https://milka.example/.well-known/security.txt",
                ago(5),
                None,
                "RFC 9116 の連絡先と開示方針",
            ),
        )
        later(
            ago(20),
            lambda: usecases.set_organisation(
                store,
                catalog,
                on(ago(20)),
                {
                    "outsourcing.outsourcees.2.last_review": ago(20).isoformat(),
                    "outsourcing.outsourcees.2.review_result": "年次評価。指摘なし（前回の指摘 1 件は是正を確認）",
                },
            ),
        )
        if ACCEPTED[0] in plan.ids:
            later(
                ago(3),
                lambda: usecases.accept(
                    store,
                    catalog,
                    on(ago(3), ACCEPTED[2]),
                    ACCEPTED[0],
                    ACCEPTED[1],
                    ACCEPTED[2],
                    today + dt.timedelta(days=365),
                    ago(3),
                ),
            )
        for role, name, title in SIGNERS:
            later(ago(1), sign(role, name, title, ago(1)))
        later(today, lambda: submitted.append(submit_bundle(store, catalog, on(today), signing_key, options).bundle))

        for _, step in sorted(steps, key=lambda pair: pair[0]):  # stable: same-day steps keep their order
            step()
    done = submitted

    progress("reports")
    out = root / "reports"
    out.mkdir(exist_ok=True)
    result = DemoResult(
        root,
        out / "bank-report.ja.html",
        out / "bank-report.ja.xlsx",
        out / "exec-report.ja.html",
        tuple(done),
        keys.fingerprint(signing_key.public_key()),
    )
    # the bank pack is the one the second submission sent; the one-pager compares with the first
    shutil.copyfile(done[1] / "report" / "bank-report.ja.html", result.bank_html)
    shutil.copyfile(done[1] / "report" / "bank-report.ja.xlsx", result.bank_xlsx)
    with store.locked():
        final = store.load().assessment
    earlier = submitted_report(root, done[0].name)
    baseline = report_data.previous_from_report(earlier) if earlier is not None else None
    exec_report, _, _ = report_data.build_report(catalog, final, "exec", "ja", today, baseline)
    atomic_write_text(result.exec_html, bank.report_html(exec_report, catalog))
    return result


__all__ = ["ORGANISATION", "DemoResult", "Status", "build"]
