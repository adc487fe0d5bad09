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
        "責任分界と設定の確認方法がクラウドごとに異なる。",
        "Shared responsibility and configuration checks differ by provider.",
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
        "利用者が多いほど障害や事故の社会的な影響（外部性）が大きい。",
        "The more customers, the wider the impact of an outage or breach (externality).",
    ),
    Question(
        "staff",
        "int",
        "サービスに関わる人数（委託先を含む）",
        "People working on it, contractors included",
        "少人数でも職務分離を工夫する対策を選ぶために使う。",
        "Used to pick separation-of-duty measures that fit a small team.",
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
        "委託先の管理と権限の棚卸しが加わる。",
        "Adds management of outsourcees and their access.",
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
        elif question.kind == "int":
            lines.append(f"{question.key}: {value}")
        else:
            import json

            lines.append(f"{question.key}: {json.dumps(value, ensure_ascii=False)}")
    return "\n".join(lines) + "\n"
