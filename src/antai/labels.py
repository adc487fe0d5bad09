"""Labels shown to people, in Japanese (the reference) and English. Shared by every output format."""

from __future__ import annotations

_LABELS: dict[str, tuple[str, str]] = {
    # item fields
    "objective": ("基準項目", "Objective"),
    "risk": ("想定リスク", "Assumed risk"),
    "applicability": ("適用", "Applies"),
    "example": ("適用例", "Applicability example"),
    "condition": ("適用条件", "Condition"),
    "countermeasures": ("対策事例", "Countermeasures"),
    "bad_examples": ("悪例", "Bad examples"),
    "do": ("行うべきこと", "Do"),
    "dont": ("行うべきでないこと", "Don't"),
    "evidence": ("エビデンス（実施の証跡）", "Evidence"),
    "automatable": ("自動取得可", "automatable"),
    "cia": ("CIA", "CIA"),
    "layers": ("レイヤー", "Layers"),
    "responsibility": ("責任分界", "Responsibility"),
    "fisc": ("FISC 安全対策基準", "FISC Security Guidelines"),
    "references": ("参考", "References"),
    "technotes": ("関連する新技術", "Related new technology"),
    "checks": ("自動チェック", "Automated checks"),
    "severity": ("重要度", "Severity"),
    "effort": ("導入工数", "Effort"),
    "chapter": ("章", "Chapter"),
    "section": ("節", "Section"),
    "id": ("ID", "ID"),
    "title": ("項目", "Item"),
    # values
    "mandatory": ("必須（全ての場合）", "Mandatory (in all cases)"),
    "mandatory.short": ("必須", "Mandatory"),
    "conditional": ("サービス内容により選択", "Depends on the service"),
    "conditional.short": ("選択", "Conditional"),
    "confidentiality": ("機密性", "Confidentiality"),
    "integrity": ("完全性", "Integrity"),
    "availability": ("可用性", "Availability"),
    "physical": ("物理", "Physical"),
    "infrastructure": ("インフラ", "Infrastructure"),
    "platform": ("OS・基盤", "OS / platform"),
    "application": ("アプリケーション", "Application"),
    "user_interface": ("ユーザーI/F", "User interface"),
    "device": ("デバイス", "Device"),
    "venture": ("自社", "Venture"),
    "cloud": ("クラウド事業者", "Cloud provider"),
    "shared": ("共同", "Shared"),
    "critical": ("最重要", "Critical"),
    "high": ("高", "High"),
    "medium": ("中", "Medium"),
    "low": ("低", "Low"),
    "effort.low": ("小（数時間・設定）", "Low (hours, a setting)"),
    "effort.medium": ("中（数日）", "Medium (days)"),
    "effort.high": ("大（数週間・購入）", "High (weeks or a purchase)"),
    # new-technology notes
    "how_it_works": ("仕組み", "How it works"),
    "risks_reduced": ("軽減するリスク", "Risks it reduces"),
    "satisfies": ("満たす基準項目", "Items it meets"),
    "conditions": ("同等とみなせる条件", "Conditions for equivalence"),
    "relation.satisfies": ("充足", "satisfies"),
    "relation.substitutes": ("代替", "substitutes for"),
    "relation.supports": ("補強", "supports"),
    "guide.technotes": ("新技術の解説", "New-technology notes"),
    "guide.technotes.lead": (
        "FISC の対策を字義どおりに実装しなくても、同じリスクをより低いコストで管理できる技術である。"
        "各ノートは、満たす項目と FISC 番号、同等とみなせる条件、確認できる証跡を示す。",
        "Techniques that manage the same risk as a literal FISC measure at lower cost. Each note names the "
        "items and FISC numbers it meets, the conditions under which the equivalence holds, and the evidence "
        "that shows it.",
    ),
    # profile keys and plan
    "profile.business": ("業務", "business"),
    "profile.data": ("データ", "data"),
    "profile.channels": ("チャネル", "channels"),
    "profile.cloud": ("クラウド", "cloud"),
    "profile.moves_customer_funds": ("顧客資金を移動", "moves customer funds"),
    "profile.own_equipment": ("自社機器を保有", "own equipment"),
    "profile.manual_data_entry": ("手入力の業務データあり", "manual data entry"),
    "profile.outsourcing": ("外部委託あり", "outsourcing"),
    "profile.users": ("利用者数", "users"),
    "profile.staff": ("従業員数", "staff"),
    "profile.confidentiality": ("機密性", "confidentiality"),
    "profile.integrity": ("完全性", "integrity"),
    "profile.availability": ("可用性", "availability"),
    "profile.customer_accounts": ("顧客がアカウントでログイン", "customers sign in to accounts"),
    "profile.admin_console": ("ブラウザの管理画面あり", "browser admin console"),
    "profile.signing_keys": ("署名鍵を自社で保有", "holds its own signing keys"),
    "profile.links_bank_accounts": ("顧客の銀行口座を連携", "links customers' bank accounts"),
    "profile.embedded_in_fi": ("金融機関のサービスの一部", "part of a financial institution's service"),
    "profile.monthly_transactions": ("月間取引件数", "transactions a month"),
    "profile.engineers": ("エンジニア数", "engineers"),
    "profile.security_share": ("セキュリティに充てる時間の割合", "share of time for security"),
    "profile.tier": ("リスク区分", "risk tier"),
    "plan.mandatory_reason": ("全ての場合に適用（必須項目）", "applies in all cases (mandatory)"),
    "phase.gate": ("接続前（ゲート）", "Before launch (gate)"),
    "phase.days_90": ("90 日以内", "Within 90 days"),
    "phase.year_1": ("1 年以内", "Within a year"),
    "phase.later": ("それ以降", "Later"),
    "phase": ("フェーズ", "Phase"),
    "item_risk": ("この事業でのリスク", "Risk here"),
    "person_days": ("人日", "person-days"),
    "level": ("区分", "Level"),
    "level.baseline": ("基本", "Baseline"),
    "level.advanced": ("発展", "Advanced"),
    "csf": ("NIST CSF", "NIST CSF"),
    "csf.GV": ("GV 統治", "GV Govern"),
    "csf.ID": ("ID 識別", "ID Identify"),
    "csf.PR": ("PR 防御", "PR Protect"),
    "csf.DE": ("DE 検知", "DE Detect"),
    "csf.RS": ("RS 対応", "RS Respond"),
    "csf.RC": ("RC 復旧", "RC Recover"),
    # assessment statuses
    "status.unanswered": ("未回答", "Unanswered"),
    "status.implemented": ("実施済み", "Implemented"),
    "status.partial": ("一部実施", "Partial"),
    "status.planned": ("実施予定", "Planned"),
    "status.not_implemented": ("未実施", "Not implemented"),
    "status.not_applicable": ("該当なし", "Not applicable"),
    "status.risk_accepted": ("リスク受容", "Risk accepted"),
    "status.compensated": ("代替策で対応", "Compensated"),
    # organisation facts
    "org.registration": ("登録状況", "Registration status"),
    "org.security_owner": ("セキュリティ責任者", "Named security owner"),
    "org.security_owner_authority": ("責任者の権限", "Security owner's authority"),
    "org.security_policy": ("セキュリティポリシー", "Security policy document"),
    "org.security_policy_date": ("ポリシーの制定・改定日", "Policy date"),
    "org.incident_contact": ("インシデント連絡窓口", "Incident contact"),
    "org.inquiry_contact": ("問合せ窓口", "Customer inquiry contact"),
    "org.outsourcees": ("委託先と委託内容", "Outsourcees and what they do"),
    "org.compensation_policy": ("顧客への補償方針", "Customer compensation policy"),
    "org.staff_count": ("従業員数", "Staff count"),
    "org.security_training": ("セキュリティ教育", "Security training"),
    # guide
    "guide.title": (
        "antai FinTech セキュリティガイドライン",
        "antai security guideline for FinTech ventures",
    ),
    "guide.version": ("カタログ版", "Catalog version"),
    "guide.toc": ("目次", "Contents"),
    "guide.quickref": ("クイックリファレンス", "Quick reference"),
    "guide.quickref.lead": (
        "各章の要点と項目の一覧である。必須項目は全てのサービスが対象、選択項目はサービス内容に応じて適用する。",
        "The gist of each chapter and its items. Mandatory items apply to every service; "
        "conditional items apply depending on what the service does.",
    ),
    "guide.concepts": ("概念編", "Concept part"),
    "guide.items": ("基準項目編", "Criteria items"),
    "guide.count": ("項目数", "Items"),
    "guide.mandatory_count": ("うち必須", "mandatory"),
    "guide.empty_chapter": (
        "この章の項目は今後の版で追加される。",
        "Items of this chapter arrive in a later version.",
    ),
    "guide.generated": ("生成", "Generated"),
    "guide.changelog": ("改訂履歴", "Changelog"),
    "guide.provenance": (
        "FISC 安全対策基準の項目番号は第13版に基づく非公式の索引による。FISC の本文は転載していない。",
        "FISC item numbers follow an unofficial index of the 13th edition; FISC's text is not reproduced.",
    ),
}


PHASE_KEYS = ("gate", "days_90", "year_1", "later")


def phase_label(priority: int, lang: str) -> str:
    """The phase of a 1–4 priority number (1 = the gate) in words."""
    return label(f"phase.{PHASE_KEYS[min(max(priority, 1), 4) - 1]}", lang)


def label(key: str, lang: str) -> str:
    """The label for ``key`` in ``lang`` (``ja`` or ``en``); the key itself if unknown."""
    pair = _LABELS.get(key)
    if pair is None:
        return key
    return pair[0] if lang == "ja" else pair[1]
