"""The pages' words in Japanese (the reference) and English; templates read them as ``t.key``."""

from __future__ import annotations

import functools
import importlib
from typing import Any

WORDS: dict[str, tuple[str, str]] = {
    "app_name": ("antai", "antai"),
    "skip_to_content": ("本文へ移動", "Skip to the content"),
    "sign_in": ("ログイン", "Sign in"),
    "sign_out": ("ログアウト", "Sign out"),
    "sign_up": ("アカウント作成", "Sign up"),
    "security": ("二要素認証", "Two-factor authentication"),
    "your_organisations": ("所属する組織", "Your organisations"),
    "no_organisations": (
        "まだ組織がない。組織を作るか、招待のリンクを開く。",
        "No organisation yet: create one, or open the link of an invitation.",
    ),
    "create_organisation": ("組織を作る", "Create an organisation"),
    "organisation_name": ("組織名", "Organisation name"),
    "service_profile": ("サービスのプロファイル", "Service profile"),
    "create": ("作成する", "Create"),
    "role.owner": ("オーナー", "Owner"),
    "role.editor": ("編集者", "Editor"),
    "role.viewer": ("閲覧者", "Viewer"),
    "role.reviewer": ("銀行の確認者", "Bank reviewer"),
    "dashboard": ("ダッシュボード", "Dashboard"),
    "overall_score": ("総合スコア", "Overall score"),
    "mandatory_coverage": ("必須項目の達成", "Mandatory items done"),
    "items_done": ("{done} / {items} 項目", "{done} of {items} items"),
    "by_chapter": ("章別", "By chapter"),
    "chapter": ("章", "Chapter"),
    "score": ("スコア", "Score"),
    "gaps": ("優先して埋めるギャップ", "Gaps to close first"),
    "no_score": ("対象なし", "none"),
    "history_entries": ("履歴 {count} 件（最新 {head}…）", "{count} history entries (latest {head}…)"),
    "items": ("項目と回答", "Items and answers"),
    "title": ("項目", "Item"),
    "priority": ("優先度", "Priority"),
    "status": ("状態", "Status"),
    "field_status": ("状態", "Status"),
    "field_owner": ("担当", "Owner"),
    "field_due": ("期日", "Due"),
    "field_reason": ("理由", "Reason"),
    "field_note": ("メモ", "Note"),
    "objective": ("基準項目", "Objective"),
    "answer": ("現在の回答", "The answer now"),
    "change_answer": ("回答を変更する", "Change the answer"),
    "save": ("保存する", "Save"),
    "read_only": ("この役割では閲覧のみ", "Your role can read, not change"),
    "conflict": (
        "開いた後に他の人がこの回答を変更したため、保存していない。今の回答を確かめ、必要ならもう一度保存する。",
        "Someone else changed this answer after you opened it, so nothing was saved. Check the answer as it is "
        "now and save again if yours should stand.",
    ),
    "their_version": ("今の回答（他の人の変更）", "The answer now (their change)"),
    "your_version": ("あなたの入力", "What you entered"),
    "invalid": ("保存できない", "Not saved"),
    "members": ("メンバー", "Members"),
    "pending_invitations": ("未承諾の招待", "Open invitations"),
    "invite": ("招待する", "Invite"),
    "email": ("メールアドレス", "E-mail address"),
    "role": ("役割", "Role"),
    "bank": ("銀行名（銀行の確認者のみ）", "Bank (bank reviewers only)"),
    "expires": ("期限", "Expires"),
    "invite_sent": ("{email} に招待のリンクを送った", "An invitation link was sent to {email}"),
    "invite_bad_email": ("メールアドレスとして正しくない", "Not an e-mail address"),
    "invite_bad_role": ("役割を選ぶ", "Choose a role"),
    "invite_needs_bank": ("銀行の確認者には銀行名が要る", "A bank reviewer needs the bank's name"),
    "invite_subject": ("[antai] {organisation} への招待", "[antai] An invitation to {organisation}"),
    "invite_body": (
        "{organisation} の antai に{role}として招待されています。次のリンクを開き、招待されたメールアドレスで"
        "ログインして承諾してください（{days} 日間有効、一度だけ使えます）。\n\n{link}\n",
        "You are invited to {organisation} on antai as {role}. Open this link, sign in with the address this was "
        "sent to and accept (valid for {days} days, once).\n\n{link}\n",
    ),
    "invitation_title": ("{organisation} への招待", "An invitation to {organisation}"),
    "invitation_text": ("{role}として参加する", "Join as {role}"),
    "accept": ("承諾する", "Accept"),
    "invitation_gone": (
        "この招待は使えない（期限切れ、使用済み、または別のアカウント宛て）。招待した人に新しい招待を頼む。",
        "This invitation cannot be used (expired, used, or meant for another account). Ask for a new one.",
    ),
    "name_required": ("組織名を入れる（200 文字まで）", "Give the organisation a name (up to 200 characters)"),
}


# each app of the web edge keeps its pages' words beside its views, its keys prefixed with its name
WORD_MODULES = (
    "antai.web.guide.words",
    "antai.web.evidence.words",
    "antai.web.review.words",
    "antai.web.exports.words",
    "antai.web.accounts.words",
)


@functools.cache
def all_words() -> dict[str, tuple[str, str]]:
    """Every page's words: this module's and every app's; a key defined twice is a bug, refused here."""
    merged = dict(WORDS)
    for name in WORD_MODULES:
        for key, pair in importlib.import_module(name).WORDS.items():
            if key in merged:
                raise RuntimeError(f"{name}: the word {key!r} is defined twice")
            merged[key] = pair
    return merged


@functools.cache
def words(lang: str) -> dict[str, str]:
    index = 0 if lang.startswith("ja") else 1
    return {key: pair[index] for key, pair in all_words().items()}


def context(request: Any) -> dict[str, Any]:
    """Template context processor: ``t`` (the words) and ``lang``."""
    lang = "ja" if getattr(request, "LANGUAGE_CODE", "ja").startswith("ja") else "en"
    return {"t": words(lang), "lang": lang}
