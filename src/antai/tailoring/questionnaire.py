"""The service-profile questionnaire: one question per profile key, each explained in one sentence.

The questions are data so that the CLI (and later the web app) can ask them the same way. Answers given
as ``key=value`` assignments (flags or a file) are applied with the same parser as what-if changes.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from pydantic import ValidationError

from antai.catalog.conditions import LIST_KEYS, Business, Channel, Cloud, DataKind
from antai.tailoring.profile import Profile

CHOICE_LABELS: dict[str, tuple[str, str]] = {
    # business
    "fund_transfer": ("送金・資金移動", "fund transfer / remittance"),
    "payments": ("決済・前払式支払手段", "payments / prepaid instruments"),
    "bank_api_read": ("銀行 API（参照系）による口座情報の取得", "bank API, read-only (account information)"),
    "bank_api_update": ("銀行 API（更新系）による振込等の指図", "bank API, updating (payment initiation)"),
    "lending": ("貸金・融資", "lending"),
    "crypto_assets": ("暗号資産", "crypto assets"),
    "securities": ("証券・投資助言・ロボアドバイザー", "securities / investment advice / robo-advice"),
    "insurance": ("保険", "insurance"),
    "pfm": ("家計簿・資産管理（PFM）", "personal finance management (PFM)"),
    "accounting": ("会計・経理", "accounting"),
    "b2b_fi_saas": ("金融機関向け B2B サービス", "B2B SaaS for financial institutions"),
    "crowdfunding": ("クラウドファンディング", "crowdfunding"),
    # data
    "personal": ("個人情報", "personal data"),
    "sensitive_personal": ("要配慮個人情報（健康・信条等）", "sensitive personal data (health, beliefs, …)"),
    "card": ("クレジットカード情報", "payment card data"),
    "bank_credentials": ("銀行のログイン情報や API トークン", "bank credentials or bank API tokens"),
    "my_number": ("マイナンバー", "My Number (individual number)"),
    # channels
    "ios_app": ("iOS アプリ", "iOS app"),
    "android_app": ("Android アプリ", "Android app"),
    "web": ("Web サイト・Web アプリ", "website / web app"),
    "partner_api": ("提携先向け API", "API for partners"),
    # cloud
    "aws": ("AWS", "AWS"),
    "gcp": ("Google Cloud", "Google Cloud"),
    "azure": ("Microsoft Azure", "Microsoft Azure"),
    "other": ("その他のクラウド", "another cloud"),
}


@dataclass(frozen=True)
class Question:
    key: str
    kind: str  # "multi", "bool", "int", "text"
    ja: str
    en: str
    help_ja: str
    help_en: str
    choices: tuple[str, ...] = ()

    def text(self, lang: str) -> str:
        return self.ja if lang == "ja" else self.en

    def help(self, lang: str) -> str:
        return self.help_ja if lang == "ja" else self.help_en


def _values(enum: type[StrEnum]) -> tuple[str, ...]:
    return tuple(v.value for v in enum)


QUESTIONS: tuple[Question, ...] = (
    Question(
        "name",
        "text",
        "サービス名",
        "Name of the service",
        "報告書の表紙に載る名前である。",
        "It appears on the cover of reports.",
    ),
    Question(
        "business",
        "multi",
        "どの業務を行うか（複数可）",
        "Which kinds of business does it do? (any number)",
        "業務の種類で、法令上の義務と狙われ方が変わる。",
        "The kind of business decides both legal duties and how attackers target you.",
        _values(Business),
    ),
    Question(
        "moves_customer_funds",
        "bool",
        "顧客の資金を動かすか",
        "Does it move customers' money?",
        "送金・決済・出金の指図を出すなら「はい」。不正送金が直接の損失になる。",
        "Yes if it initiates transfers, payments or withdrawals: fraud then means direct loss.",
    ),
    Question(
        "data",
        "multi",
        "保有するデータ（複数可）",
        "Which data does it hold? (any number)",
        "漏えい時の被害は保有するデータで決まる。銀行 API のトークンは「銀行の認証情報」に含める。",
        "The harm of a leak depends on the data held; count bank API tokens as bank credentials.",
        _values(DataKind),
    ),
    Question(
        "channels",
        "multi",
        "利用者との接点（複数可）",
        "How do customers and partners reach it? (any number)",
        "アプリを提供すると端末側の対策が加わる。",
        "Shipping an app adds the device-side measures.",
        _values(Channel),
    ),
    Question(
        "cloud",
        "multi",
        "利用するクラウド（複数可）",
        "Which clouds does it run on? (any number)",
        "クラウドを使うと、特定の事業者への集中と撤退の計画が項目に加わる。責任分界もクラウドごとに異なる。",
        "Running on a cloud adds planning for concentration on one provider and for exit; shared responsibility "
        "differs by provider.",
        _values(Cloud),
    ),
    Question(
        "own_equipment",
        "bool",
        "自社でサーバーや HSM 等の機器を保有するか",
        "Does it run servers, HSMs or other hardware of its own?",
        "自社機器には物理的な保護と廃棄の対策が必要になる。",
        "Own hardware needs physical protection and secure disposal.",
    ),
    Question(
        "users",
        "int",
        "1 年以内に見込む利用者数",
        "Customers expected within a year",
        "利用者が多いほど障害の社会的な影響が大きく、可用性の水準が上がる。",
        "The more customers, the wider an outage reaches: it raises the availability level.",
    ),
    Question(
        "staff",
        "int",
        "サービスに関わる人数（委託先を含む）",
        "People working on it, contractors included",
        "20 人以上では標的型訓練などの項目が加わる。エンジニア数を答えない場合はこの半数を体制とみなす。",
        "From 20 people, phishing drills and role training are added; without an engineer count, half of "
        "this is taken as the team.",
    ),
    Question(
        "manual_data_entry",
        "bool",
        "業務データを人手で入力するか",
        "Do people key in business data by hand?",
        "紙の帳票の読取り等があれば、件数・合計の照合が必要になる。",
        "Keying in from paper calls for count-and-total reconciliation.",
    ),
    Question(
        "outsourcing",
        "bool",
        "開発や運用を外部に委託しているか",
        "Is development or operation outsourced?",
        "委託先の管理（契約・再委託・権限・定期的な確認）の項目が加わる。",
        "Adds managing the outsourcees: contracts, sub-outsourcing, their access and regular reviews.",
    ),
    Question(
        "customer_accounts",
        "bool",
        "顧客（個人または法人）が自分のアカウントでログインするか",
        "Do customers (people or companies) sign in to accounts of their own?",
        "ログインがあれば、顧客認証・アカウント回復・セッション管理の項目が加わる。",
        "Customer sign-in adds the customer authentication, account recovery and session items.",
    ),
    Question(
        "admin_console",
        "bool",
        "社員が使うブラウザの管理画面（バックオフィス）があるか",
        "Is there a browser-based admin or back-office console for staff?",
        "管理画面があれば、その多要素認証と権限管理の項目が加わる。",
        "An admin console adds the items on its multi-factor sign-in and its permissions.",
    ),
    Question(
        "signing_keys",
        "bool",
        "自社で署名鍵（暗号資産のウォレット、取引の署名など）を保有するか",
        "Does it hold signing keys of its own (crypto-asset wallets, transaction signing)?",
        "署名鍵を持つと完全性が高になり、専用 HSM と署名の独立検証の項目が加わる。",
        "Holding signing keys makes integrity high and adds dedicated HSMs and independent signing checks.",
    ),
    Question(
        "links_bank_accounts",
        "bool",
        "顧客の銀行口座を連携して引落しや支払いに使うか（口座振替・口座連携）",
        "Does it link customers' bank accounts to charge or pay them?",
        "口座連携は不正な紐付けの標的になるため、連携時の本人確認と監視の項目が加わる。",
        "Account linking is a target for fraudulent linking: identity checks at linking and monitoring are added.",
    ),
    Question(
        "embedded_in_fi",
        "bool",
        "銀行など金融機関のサービスの一部として提供するか（ホワイトラベル・BaaS）",
        "Is it part of a bank's or another financial institution's own service (white label, BaaS)?",
        "金融機関のサービスが止まるため、可用性の水準が上がる。",
        "An outage then stops the institution's service too, so it raises the availability level.",
    ),
    Question(
        "monthly_transactions",
        "int",
        "1 か月の取引・API 呼出しの件数（顧客のための処理）",
        "Transactions or API calls on behalf of customers per month",
        "1 万件以上で可用性が中、100 万件以上で高になる。",
        "10,000 or more make availability medium; 1,000,000 or more make it high.",
    ),
    Question(
        "engineers",
        "int",
        "セキュリティ対策に携われるエンジニアの人数",
        "Engineers who can work on security measures",
        "ロードマップの日付を決める。空欄ならサービスに関わる人数の半数とみなす。",
        "Sets the roadmap's dates; left empty, half the people working on the service are assumed.",
    ),
    Question(
        "security_share",
        "int",
        "そのエンジニアがセキュリティに充てる時間の割合（%）",
        "Share of those engineers' time for security work (percent)",
        "ロードマップの日付を決める。目安は 20%（週 1 日）。",
        "Sets the roadmap's dates; 20 % (a day a week) is a sensible start.",
    ),
)


class AnswerError(ValueError):
    """An answer that cannot be applied; the message says why in the user's terms."""


def parse_assignment(text: str) -> tuple[str, str, str]:
    """``key=value``, ``key+=value`` or ``key-=value`` → (key, operator, value)."""
    for operator in ("+=", "-=", "="):
        key, found, value = text.partition(operator)
        if found and key.strip():
            return key.strip(), operator, value.strip()
    raise AnswerError(f"'{text}' is not an assignment: write key=value, key+=value or key-=value")


def _suggest(key: str) -> str:
    import difflib

    keys = [q.key for q in QUESTIONS]
    close = difflib.get_close_matches(key, keys, n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else f" (keys: {', '.join(keys)})"


def coerce(key: str, value: str) -> Any:
    """Turn one answer typed as text into the profile's value for ``key``."""
    question = next((q for q in QUESTIONS if q.key == key), None)
    if question is None:
        raise AnswerError(f"unknown profile key '{key}'{_suggest(key)}")
    if question.kind == "multi":
        items = [v.strip() for v in value.replace(" ", ",").split(",") if v.strip()]
        wrong = [v for v in items if v not in question.choices]
        if wrong:
            raise AnswerError(f"{key}: unknown value(s) {', '.join(wrong)} (choose from {', '.join(question.choices)})")
        return items
    if question.kind == "bool":
        lowered = value.lower()
        if lowered in ("y", "yes", "true", "1", "はい"):
            return True
        if lowered in ("n", "no", "false", "0", "いいえ"):
            return False
        raise AnswerError(f"{key}: answer yes or no, not '{value}'")
    if question.kind == "int":
        try:
            number = int(value.replace(",", "").replace("_", ""))
        except ValueError:
            raise AnswerError(f"{key}: '{value}' is not a whole number") from None
        if number < 0:
            raise AnswerError(f"{key}: must not be negative")
        return number
    return value


def apply_assignments(profile: Profile, assignments: list[str]) -> Profile:
    """A new profile with ``key=value`` / ``key+=value`` / ``key-=value`` applied in order."""
    data = profile.model_dump(mode="json")
    for text in assignments:
        key, operator, value = parse_assignment(text)
        new = coerce(key, value)
        if operator == "=":
            data[key] = new
            continue
        if key not in LIST_KEYS:
            raise AnswerError(f"{key}: '{operator}' works on lists ({', '.join(LIST_KEYS)}); use {key}=VALUE")
        current = list(data.get(key) or [])
        if operator == "+=":
            data[key] = current + [v for v in new if v not in current]
        else:
            data[key] = [v for v in current if v not in new]
    try:
        return Profile.model_validate(data)
    except ValidationError as exc:
        first = exc.errors(include_url=False)[0]
        raise AnswerError(f"{'.'.join(str(p) for p in first['loc'])}: {first['msg']}") from None


def choice_label(value: str, lang: str) -> str:
    pair = CHOICE_LABELS.get(value)
    return value if pair is None else (pair[0] if lang == "ja" else pair[1])


def profile_yaml(profile: Profile, lang: str) -> str:
    """The profile as a commented YAML file a founder can read and edit."""
    data = profile.model_dump(mode="json")
    header = (
        "# antai サービスプロファイル。`antai plan --profile FILE` で適用項目を表示する。\n"
        if lang == "ja"
        else "# antai service profile. Show the items that apply with `antai plan --profile FILE`.\n"
    )
    lines = [header.rstrip()]
    for question in QUESTIONS:
        value = data.get(question.key)
        if question.key == "name" and value is None:
            continue
        lines.append(f"# {question.text(lang)} — {question.help(lang)}")
        if question.kind == "multi":
            lines.append(f"{question.key}: [{', '.join(value or [])}]")
        elif question.kind == "bool":
            lines.append(f"{question.key}: {'true' if value else 'false'}")
        elif question.kind == "int" and value is None:
            lines.append(f"# {question.key}:")
        elif question.kind == "int":
            lines.append(f"{question.key}: {value}")
        else:
            import json

            lines.append(f"{question.key}: {json.dumps(value, ensure_ascii=False)}")
    return "\n".join(lines) + "\n"
