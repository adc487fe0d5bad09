"""Every sentence the CLI prints, in Japanese (the reference) and English, and the Japanese wording of the
core's error codes, which the web app shows too (this module belongs to no adapter, so both may use it).

The core raises errors with a ``code`` and ``params`` and an English ``str()``; English output uses that
text as it is, Japanese output renders the code from the table below and falls back to the English text
for a code it does not know, so a new core error is never hidden, only untranslated.
Japanese is 常体 and short. Paths, IDs and ``file:line:column`` positions are never translated.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any

# --- the CLI's own sentences: key → (ja, en) -----------------------------------------------------------

_TEXT: dict[str, tuple[str, str]] = {
    # errors and their prefix
    "error": ("エラー", "Error"),
    "usage_hint": ("'{command} --help' で使い方を表示する。", "Try '{command} --help' for help."),
    "interrupted": ("中断した", "interrupted"),
    "bad_date": ("'{value}' は日付ではない（YYYY-MM-DD）", "'{value}' is not a date (YYYY-MM-DD)"),
    "invalid_value": ("{param} の値が正しくない: {message}", "Invalid value for {param}: {message}"),
    "bad_choice": ("'{value}' は選べない（{choices} から選ぶ）", "'{value}' is not one of {choices}."),
    "bad_lang": ("ANTAI_LANG={value} は使えない（ja か en）", "ANTAI_LANG={value} is not supported (ja or en)"),
    "catalog_problems": ("カタログに {count} 件の問題がある", "the catalog has {count} problem(s)"),
    "workspace_problems": (
        "ワークスペースのファイルに {count} 件の問題がある",
        "{count} problem(s) in the workspace files",
    ),
    "problems_found": ("{count} 件の問題が見つかった", "{count} problem(s) found"),
    "problems": ("{count} 件の問題", "{count} problem(s)"),
    "folder_problems": ("{folder}: {count} 件の問題", "{folder}: {count} problem(s)"),
    "profile_problems": ("{path}: プロファイルに {count} 件の問題がある", "{path}: {count} problem(s) in the profile"),
    "no_folder": ("フォルダ {folder} はない", "no such folder: {folder}"),
    "not_catalog_folder": (
        "{folder} はカタログのフォルダではない（catalog.yaml がない）",
        "{folder} is not a catalog folder (it has no catalog.yaml)",
    ),
    "not_workspace": ("{folder} は antai のワークスペースではない", "{folder} is not an antai workspace"),
    "no_item": ("項目 {item} はない{hint}", "no item {item}{hint}"),
    "see_items": ("（`antai items` で一覧を見る）", " (see `antai items`)"),
    "did_you_mean": ("もしかして {names}", "did you mean {names}?"),
    "choose_from": ("{kind}: {names}", "{kind}: {names}"),
    "no_chapter": ("第 {chapter} 章はない（章: {chapters}）", "no chapter {chapter} (chapters: {chapters})"),
    "no_topic": ("概念編のトピック '{topic}' はない（{hint}）", "no concept topic '{topic}' ({hint})"),
    "no_note": ("新技術ノート '{note}' はない（{hint}）", "no new-technology note '{note}' ({hint})"),
    "no_fisc": (
        "'{fisc}' は索引にある FISC 項目番号ではない（例: 実3、統20、設1）",
        "'{fisc}' is not a FISC item ID of the index (e.g. 実3, 統20, 設1)",
    ),
    "no_profile": ("プロファイル {path} はない（{hint}）", "no profile file {path} ({hint})"),
    "examples": ("例: {names}", "examples: {names}"),
    "kind.items": ("項目", "items"),
    "kind.topics": ("トピック", "topics"),
    "kind.notes": ("ノート", "notes"),
    "kind.facts": ("組織情報", "facts"),
    # output files
    "refuse_input": (
        "{path} には書き込まない: antai の入力であり、出力先ではない",
        "refusing to write over {path}: it is an input of antai, not an output",
    ),
    "refuse_builtin": (
        "組み込みカタログ（{path}）には書き込まない",
        "refusing to write into the built-in catalog ({path})",
    ),
    "refuse_folder": ("{path} はフォルダである。ファイル名を指定する", "{path} is a folder; give a file name"),
    "refuse_source": (
        "{path} には書き込まない。別の名前にするか --force を付ける",
        "refusing to write over {path}; give another name, or --force",
    ),
    "refuse_kind": (
        "{path} は既にあり、{kind} ファイルではない。別の名前にするか --force で置き換える",
        "{path} exists and is not a {kind} file; give another name, or --force to replace it",
    ),
    "binary_needs_file": (
        "この形式はバイナリである。-o FILE で出力ファイルを指定する",
        "this format is binary: give an output file with -o FILE",
    ),
    "table_is_for_terminal": (
        "表は端末用である。-o FILE には --format md、html、json を使う",
        "the table is for the terminal: with -o FILE use --format md, html or json",
    ),
    # reading the catalog
    "catalog_ok": (
        "OK: {where} — 項目 {items} 件、概念編 {concepts} トピック、版 {version}",
        "OK: {where} — {items} items, {concepts} concept topics, version {version}",
    ),
    "builtin_catalog": ("組み込みカタログ", "built-in catalog"),
    "catalogs_differ": ("カタログに差分がある", "the catalogs differ"),
    "no_differences": ("差分はない", "no differences"),
    "diff_header": ("カタログ {old} → {new}", "catalog {old} → {new}"),
    "diff.technote": ("新技術ノート", "technote"),
    "diff.concept": ("概念編", "concept"),
    "item_count": ("{count} 項目（うち必須 {mandatory}）", "{count} items ({mandatory} mandatory)"),
    "fisc_total": ("合計", "total"),
    "fisc_category": ("区分", "category"),
    "fisc_unhandled": ("取扱い未定（{count}）: {ids}", "unhandled ({count}): {ids}"),
    "fisc_all_handled": (
        "FISC の {count} 項目すべてに取扱いが記録されている",
        "every one of the {count} FISC IDs has a recorded handling",
    ),
    "fisc_unhandled_failed": ("{count} 件の FISC 項目に取扱いがない", "{count} FISC ID(s) have no handling"),
    "fisc.control": ("統制基準", "control"),
    "fisc.facility": ("設備基準", "facility"),
    "fisc.practice": ("実務基準", "practice"),
    "fisc.audit": ("監査基準", "audit"),
    "fisc.live": ("現行", "live"),
    "fisc.unverified": ("未確認", "unverified"),
    "fisc.vacant": ("欠番", "vacant"),
    "fisc.unknown": ("不明", "unknown"),
    "column.title": ("タイトル", "Title"),
    "column.items": ("項目", "Items"),
    "column.summary": ("要約", "Summary"),
    "column.topic": ("トピック", "TOPIC"),
    # profile
    "next": ("次に: {hint}", "next: {hint}"),
    "profile_intro": (
        "サービスについて 11 の質問に答えると、適用される対策が決まる。Enter で既定値を採用する。",
        "Answer 11 questions to decide which measures apply; Enter keeps the default.",
    ),
    "profile_partial": (
        "中断した。ここまでの回答を {path} に保存した（続きは antai profile new -o {path}）",
        "interrupted: the answers so far are saved in {path} (continue with antai profile new -o {path})",
    ),
    "profile_lost": (
        "中断した。回答は保存していない（-o FILE を付けると途中まで保存する）",
        "interrupted: nothing saved (with -o FILE the answers so far are kept)",
    ),
    "ask_multi": ("番号または値をカンマ区切りで（なしは -）", "numbers or values, comma-separated (- for none)"),
    "ask_unknown_values": (
        "{values}: 選択肢にない（{choices}）",
        "{key}: unknown value(s) {values} (choose from {choices})",
    ),
    "ask_yes_no": ("y か n で答える", "answer y or n"),
    "ask_number": ("整数で答える（例: 50000、5万）", "give a whole number (e.g. 50000)"),
    "ask_at_least": ("{minimum} 以上の数で答える", "give a number of at least {minimum}"),
    "ask_percent": ("1 から 100 までの数で答える", "give a number from 1 to 100"),
    "yes_no": ("y/n", "y/n"),
    "set_option": ("--set の値が正しくない: {message}", "Invalid value for --set: {message}"),
    # workspace
    "init_done": (
        "{root}: 評価する項目 {count} 件（カタログ {version}）",
        "{root}: {count} items to assess (catalog {version})",
    ),
    "init_exists": (
        "{root} には既にワークスペース（antai.yaml）がある。別のフォルダを選ぶ",
        "{root} already holds a workspace (antai.yaml); choose another folder",
    ),
    "init_needs_profile": (
        "--profile FILE を指定する（質問に答える端末がない）",
        "give --profile FILE (no terminal to ask the questionnaire in)",
    ),
    "init_needs_org": (
        "--organisation NAME を指定する（サービスを運営する会社）",
        "give --organisation NAME (the company that owns the service)",
    ),
    "ask_org": ("組織名", "Organisation name"),
    "nothing_to_set": (
        "設定する内容がない: --status、--owner、--due、--reason、--by、--note のいずれかを指定する",
        "nothing to set: give --status, --owner, --due, --reason, --by or --note",
    ),
    "set_done": ("{item}: {status}", "{item}: {status}"),
    "accept_done": (
        "{item}: リスク受容（承認者 {approver}、期限 {expires}）",
        "{item}: risk accepted by {approver} until {expires}",
    ),
    "catalog_pinned_older": (
        "注意: ワークスペースはカタログ {pinned} を固定している。この antai は {available}"
        " — `antai upgrade` で回答を引き継ぐ",
        "note: the workspace pins catalog {pinned}; antai has {available} — run `antai upgrade` to carry the "
        "answers across",
    ),
    "unrecorded_warning": (
        "警告: {parts} が antai の外で変更され、記録されていない（`antai validate` の後 `antai record -m …`）",
        "warning: {parts} changed outside antai and are not recorded (`antai validate`, then `antai record -m …`)",
    ),
    "unrecorded_file": (
        "{path}: antai の外で変更された（`antai record -m …` で記録する）",
        "{path}: changed outside antai (record it with `antai record -m …`)",
    ),
    "validate_ok": ("OK", "OK"),
    "validate_ok_unrecorded": ("OK（記録されていない手編集あり）", "OK (with unrecorded hand edits)"),
    "recorded": ("記録した: {files}{joined}", "recorded: {files}{joined}"),
    "recorded_no_file": ("ファイルなし", "no file"),
    "recorded_joined": ("、履歴の枝 {count} 本を結合した", "; joined {count} history branches"),
    "repair_completed": ("中断された変更を完了した: {text}", "completed the interrupted change: {text}"),
    "repair_rolled_back": ("中断された変更を取り消した: {text}", "rolled back the interrupted change: {text}"),
    "repair_removed": ("一時ファイル {name} を削除した", "removed stray file {name}"),
    "repair_remaining": ("要対応: {text}", "needs you: {text}"),
    "repair_nothing": ("修復するものはない", "nothing to repair"),
    "repair_needs_person": ("{count} 件は人の対応が必要", "{count} thing(s) need a person"),
    "upgrade_unchanged": ("既にカタログ {version} である: 何もしない", "already on catalog {version}: nothing to do"),
    "upgrade_done": ("カタログ {old} → {new}{dry}", "catalog {old} → {new}{dry}"),
    "upgrade_new_questions": (
        "プロファイルに未回答の質問がある（既定値で計画した）: {keys}。"
        "`antai profile set KEY=VALUE -C {dir}` で答えると計画に反映される",
        "the profile does not answer these questions yet (planned with their defaults): {keys}; answer them "
        "with `antai profile set KEY=VALUE -C {dir}`",
    ),
    "dry_run": ("（試行のみ）", " (dry run)"),
    "rec_added": ("+ {item}（新規、未回答）", "+ {item} (new, unanswered)"),
    "rec_restored": (
        "+ {item}（再び適用。以前の回答を戻した。要再確認）",
        "+ {item} (applies again; its earlier answer is back, flagged for review)",
    ),
    "rec_archived": ("- {item}（適用外になった。回答は保管した）", "- {item} (no longer applies; answer archived)"),
    "rec_dropped": ("- {item}（適用外になった。未回答だった）", "- {item} (no longer applies; it was unanswered)"),
    "rec_review": ("~ {item}（変更あり。回答を見直す）", "~ {item} (changed: review the answer)"),
    "profile_level": ("{name}: {old} → {new}", "{name}: {old} → {new}"),
    "profile_items": ("適用項目: {old} → {new}{dry}", "items that apply: {old} → {new}{dry}"),
    "org_gap": ("未回答（要対応）", "MISSING (gap)"),
    "org_group_missing": ("（未回答 {count} 件）", " ({count} missing)"),
    "org_part_missing": ("（一部未回答: {fields}）", " (missing: {fields})"),
    "org_missing_total": (
        "未回答の組織情報が {count} 件ある。`antai org --paths` で記入先を、`antai org set --help` で書き方を見る",
        "{count} organisation fact(s) missing: `antai org --paths` shows where, `antai org set --help` how",
    ),
    "org_bad_value": ("{field}: 「{value}」を読めない。{expected}", "{field}: '{value}' is not {expected}"),
    "org_expect_date": ("日付は YYYY-MM-DD で書く", "a date (write YYYY-MM-DD)"),
    "org_expect_yes_no": ("はい か いいえ で書く（yes/no も可）", "yes or no (はい/いいえ also work)"),
    "org_expect_whole_number": ("整数で書く", "a whole number"),
    "org_expect_number": ("数値で書く", "a number"),
    "org_bad_choice": (
        "{field}: '{value}' は選べない。次から選ぶ: {choices}",
        "{field}: '{value}' is not one of {choices}",
    ),
    "org_use_add": (
        "{field} は 1 件ずつ `antai org add {register} KEY=VALUE…` で追加する（`antai org add --help`）",
        "{field} is a register: add entries one by one with `antai org add {register} KEY=VALUE…` "
        "(`antai org add --help`)",
    ),
    "org_record_fields": (
        "{field} は項目ごとに設定する（例: `antai org set {example} 03-…`）",
        "{field} has fields of its own: set them one by one (e.g. `antai org set {example} 03-…`)",
    ),
    "org_file_or_value": ("--from-file か PATH VALUE のどちらかを指定する", "give either --from-file or PATH VALUE"),
    "org_needs_path_value": (
        "PATH と VALUE を指定する（一覧は `antai org set --help`）",
        "give PATH and VALUE (every PATH: `antai org set --help`)",
    ),
    "org_no_file": ("{path}: ファイルを読めない（{reason}）", "{path}: cannot read it ({reason})"),
    "org_file_groups": (
        "ファイルには区分（{groups}）ごとの組織情報を書く",
        "the file must map groups ({groups}) to their facts",
    ),
    "unknown_fact": ("組織情報 '{field}' はない（{hint}）", "unknown fact '{field}' ({hint})"),
    "org_done": ("{field} を記録した", "{field} recorded"),
    "org_added": ("{register} に {number} 件目を追加した", "{register}: entry {number} added"),
    "org_unset": ("{field} を未回答に戻した", "{field} cleared"),
    # evidence
    "evidence_added": ("{id} → {item}: {name}{digest}", "{id} → {item}: {name}{digest}"),
    "evidence_withdrawn": ("{id} を取り下げた（{item}）", "{id} withdrawn ({item})"),
    "flag_withdrawn": ("  （取り下げ）", "  WITHDRAWN"),
    "flag_expired": ("  （期限切れ）", "  EXPIRED"),
    # history
    "log.init": ("作成", "init"),
    "log.set": ("回答", "set"),
    "log.accept": ("リスク受容", "accept"),
    "log.evidence": ("エビデンス追加", "evidence"),
    "log.evidence-withdraw": ("エビデンス取り下げ", "evidence-withdraw"),
    "log.organisation": ("組織情報", "organisation"),
    "log.profile": ("プロファイル変更", "profile"),
    "log.upgrade": ("カタログ更新", "upgrade"),
    "log.record": ("手編集の記録", "record"),
    "log.submit": ("提出", "submit"),
    "field.owner": ("担当", "owner"),
    "field.due": ("期限", "due"),
    "field.reason": ("理由", "reason"),
    "field.compensated_by": ("代替策", "compensated_by"),
    "field.note": ("メモ", "note"),
    "field.review": ("要再確認", "review"),
    "field.status": ("状態", "status"),
    "log_set_fields": ("（{fields}）", " ({fields})"),
    "log_accept": ("リスク受容（期限 {expires}）", "risk accepted until {expires}"),
    "log_joins": ("（枝 {count} 本を結合）", " (joins {count} branch(es))"),
    "verify_failed": ("検証に失敗した", "verification failed"),
    "verify_ok": (
        "OK: 履歴 {entries} 件は改ざんされていない（最新エントリのハッシュ {head}…）、"
        "エビデンス {files} 件のファイルが一致した",
        "OK: {entries} history entries intact (head {head}…), {files} evidence files match",
    ),
    # assess
    "assess_nothing": ("回答が必要な項目はない。", "nothing to assess: every applicable item has a current answer"),
    "assess_intro": (
        "評価する項目: {count} 件（s = 飛ばす、q = 終了）",
        "{count} item(s) to assess; s = skip, q = quit",
    ),
    "assess_now": ("  現在: {status}", "  now: {status}"),
    "assess_status": ("  状態", "  status"),
    "assess_not_status": (
        "  '{raw}': 番号（1–{count}）、s または q で答える",
        "  '{raw}' is not a status: answer a number (1–{count}), s or q",
    ),
    "assess_rationale": ("  受容の理由", "  rationale"),
    "assess_approver": ("  承認者（氏名・役職）", "  approver (name, role)"),
    "assess_expires": ("  期限 (YYYY-MM-DD)", "  expires (YYYY-MM-DD)"),
    "assess_due": ("  期限 (YYYY-MM-DD)", "  due (YYYY-MM-DD)"),
    "assess_reason": ("  理由", "  reason"),
    "assess_by": ("  代替する項目 ID または新技術ノート（{notes}）", "  compensated by (item ID or {notes})"),
    "assess_unknown_by": (
        "  '{value}' は項目 ID でも新技術ノートでもない。もう一度",
        "  '{value}' is neither an item ID nor a new-technology note; try again",
    ),
    "assess_owner": ("  担当", "  owner"),
    "assess_not_saved": ("  保存しなかった: {message}", "  not saved: {message}"),
    "assess_retry": ("  もう一度", "  try again"),
    "assess_done": ("完了: antai status で確認する。", "done: see `antai status`"),
    # demo
    "demo_workspace": (
        "ワークスペース: {root}（試す: antai status -C {short}）",
        "workspace: {root} (try: antai status -C {short})",
    ),
    "demo_submissions": (
        "提出 2 件（3 か月の間隔）: {first} と {second}（署名鍵の指紋 {fingerprint}）。\n"
        "  確かめる: antai review verify {second} --key {second}/signer.pub --previous {first}\n"
        "  比べる:   antai review diff {first} {second}",
        "two submissions, three months apart: {first} and {second} (signing key {fingerprint}).\n"
        "  verify:  antai review verify {second} --key {second}/signer.pub --previous {first}\n"
        "  compare: antai review diff {first} {second}",
    ),
    "demo_step.workspace": ("ワークスペース", "workspace"),
    "demo_step.answers": ("回答", "answers"),
    "demo_step.evidence": ("エビデンス", "evidence"),
    "demo_step.reports": ("報告書", "reports"),
    # signing keys, submissions and the bank's verification
    "key_created": ("署名鍵を作成した: {path}", "signing key created: {path}"),
    "key_fingerprint": ("公開鍵の指紋（SHA-256）: {fingerprint}", "public key fingerprint (SHA-256): {fingerprint}"),
    "key_send_fingerprint": (
        "この指紋を銀行に別経路（電話・対面・署名付きメールなど）で伝える。銀行は "
        "`antai review verify BUNDLE --key 指紋` で検証する",
        "send this fingerprint to the bank out of band (phone, in person, signed mail); the bank checks "
        "bundles with `antai review verify BUNDLE --key FINGERPRINT`",
    ),
    "key_exists": (
        "{path} には既に署名鍵がある。置き換えるなら --force（古い鍵の署名は新しい指紋では検証できなくなる）",
        "{path} already holds a signing key; --force replaces it (bundles signed with the old key will not "
        "verify against the new fingerprint)",
    ),
    "key_in_workspace": (
        "{path} はワークスペース {workspace} の中である。秘密鍵はワークスペース（git）の外に置く"
        "（ANTAI_KEY_DIR か --key-file で場所を変える）",
        "{path} is inside the workspace {workspace}: keep the private key outside it (and out of git); "
        "choose another place with ANTAI_KEY_DIR or --key-file",
    ),
    "key_missing": (
        "署名鍵 {path} がない。`antai key new` で作成する",
        "no signing key at {path}: create one with `antai key new`",
    ),
    "key_unreadable": ("{path}: 署名鍵を読めない（{reason}）", "{path}: cannot read the signing key ({reason})"),
    "key_loose_permissions": (
        "注意: {path} は所有者以外も読める。`chmod 600 {path}` とする",
        "warning: {path} can be read by others than its owner; run `chmod 600 {path}`",
    ),
    "submit_done": (
        "提出 {id}（連番 {sequence}）: 履歴 {entries} 件（ヘッド {head}…）、ファイル {files} 件に署名した",
        "submission {id} (sequence {sequence}): history of {entries} entries (head {head}…), {files} files signed",
    ),
    "submit_previous": ("前回の提出: {id}", "previous submission: {id}"),
    "submit_first": ("最初の提出である", "this is the first submission"),
    "submit_verify_hint": (
        "銀行側の検証: antai review verify {bundle} --key {fingerprint}",
        "the bank verifies it with: antai review verify {bundle} --key {fingerprint}",
    ),
    "pdf_unavailable": (
        "PDF の出力には WeasyPrint（と Pango ライブラリ）が要る。`{hint}` でインストールする",
        "PDF output needs WeasyPrint: install it with `{hint}` ({reason})",
    ),
    "submit_without_pdf": (
        "注意: WeasyPrint がないため、PDF（と FISC 付録）なしで提出物を作る。`{hint}` で追加できる",
        "warning: WeasyPrint is not installed, so the bundle has no PDF (nor the FISC appendix); add it with `{hint}`",
    ),
    "submit_output_exists": (
        "{path} は既にあり、空でない。別のフォルダを指定する",
        "{path} exists and is not empty; give another folder",
    ),
    "submit_output_in_workspace": (
        "{path} はワークスペースの中である。提出フォルダはワークスペースの外か {folder} の下に書く",
        "{path} is inside the workspace: write a bundle outside it, or under {folder}",
    ),
    "submit_needs_obtain": (
        "--withhold で送らないファイルには、銀行が入手する方法を --obtain で書く",
        "say with --obtain where the bank can obtain the files held back with --withhold",
    ),
    "submit_unknown_evidence": (
        "エビデンス {id} は報告書に含まれるファイルではない",
        "{id} is not an evidence file of the report",
    ),
    "submit_evidence_altered": (
        "エビデンス {id}（{path}）が記録されたハッシュと一致しない。`antai verify` で確かめる",
        "evidence {id} ({path}) does not match its recorded hash; check with `antai verify`",
    ),
    "review_no_bundle": ("{path} は提出フォルダではない", "{path} is not a submission bundle folder"),
    "review_bad_key": (
        "--key '{value}' は公開鍵の指紋（64 桁の 16 進数）でも公開鍵ファイルでもない",
        "--key '{value}' is neither a public key fingerprint (64 hex digits) nor a public key file",
    ),
    "review_verified": (
        "検証できた: 提出 {id}（連番 {sequence}、{organisation}、{created}）は鍵 {fingerprint} で署名され、"
        "ファイル {files} 件はすべて一致し、履歴 {entries} 件の連鎖は正しい{continued}",
        "verified: submission {id} (sequence {sequence}, {organisation}, {created}) is signed by key "
        "{fingerprint}, all {files} files match, and the chain of {entries} history entries is intact{continued}",
    ),
    "review_continued": (
        "。前回の提出 {previous} の履歴を書き換えずに続けている",
        "; it extends the history of {previous} without rewriting it",
    ),
    "review_not_verified": (
        "検証できなかった: 提出 {id} — {count} 件の問題。この提出を信用しない",
        "NOT verified: submission {id} — {count} problem(s); do not rely on this submission",
    ),
    "review.malformed_manifest": (
        "{path}: 提出の目録として読めない（{reason}）",
        "{path}: not a readable submission manifest ({reason})",
    ),
    "review.unsafe_path": (
        "{path}: 提出フォルダの外やリンクを指すパスである。開かずに拒否した",
        "{path}: a path that leaves the bundle or is a link; refused without opening it",
    ),
    "review.bad_signature": (
        "{path}: 署名が目録と一致しない（目録が改変されたか、署名が差し替えられた）",
        "{path}: the signature does not match the manifest (the manifest was altered or the signature replaced)",
    ),
    "review.wrong_key": (
        "{path}: 信頼する鍵 {expected} ではなく、別の鍵 {found} で署名されている",
        "{path}: signed with another key ({found}), not the trusted key {expected}",
    ),
    "review.missing_file": ("{path}: 目録にあるがフォルダにない", "{path}: listed in the manifest but missing"),
    "review.extra_file": ("{path}: 目録にないファイルがある（追加された）", "{path}: not in the manifest (added)"),
    "review.hash_mismatch": (
        "{path}: 内容が目録の SHA-256 と一致しない（改変された）",
        "{path}: its content does not match the SHA-256 in the manifest (altered)",
    ),
    "review.history_broken": (
        "{path}: 履歴のハッシュ連鎖が正しくない（エントリが改変・削除・並べ替えられた）",
        "{path}: the history's hash chain does not check (an entry was altered, removed or reordered)",
    ),
    "review.history_head_mismatch": (
        "{path}: 履歴の最後（{entries} 件）が目録の記す履歴ヘッド（{expected_entries} 件）と一致しない",
        "{path}: the history ends at {entries} entries, not at the head the manifest names "
        "({expected_entries} entries)",
    ),
    "review.history_not_continued": (
        "{path}: 前回の提出 {previous} の履歴ヘッド（{entries} 件目）がこの履歴にない。"
        "前回提出以前の履歴が書き換えられた",
        "{path}: the head of the previous submission {previous} (entry {entries}) is not in this history: "
        "the history before it was rewritten",
    ),
    "review.previous_mismatch": (
        "{path}: 前回の提出 {expected} と食い違う（この提出が記す前回提出: {found}）",
        "{path}: does not match the previous submission {expected} (this submission names: {found})",
    ),
    "review.previous_signature": (
        "{path}: 前回の提出の署名が信頼する鍵で検証できない",
        "{path}: the previous submission's signature does not verify with the trusted key",
    ),
    "review.previous_unreadable": (
        "{path}: 前回の提出の目録を読めない（{detail}）",
        "{path}: cannot read the previous submission's manifest ({detail})",
    ),
    "review_none": ("なし", "none"),
    "diff_not_verified": (
        "比較しなかった: {count} 件の提出を検証できなかった。この提出を信用しない",
        "not compared: {count} submission(s) did not verify; do not rely on them",
    ),
    "diff_other_organisation": (
        "別の組織の提出どうしは比較しない（{old} と {new}）",
        "the bundles are from different organisations ({old} and {new}); not compared",
    ),
    "diff_refused.manifest": (
        "{path}: 提出の目録として読めない。`antai review verify` で確かめる",
        "{path}: not a readable submission manifest; check it with `antai review verify`",
    ),
    "diff_refused.no_report": (
        "{path}: 目録に JSON の報告書がない",
        "{path}: the manifest lists no JSON report",
    ),
    "diff_refused.report": (
        "{path}: JSON の報告書を読めない（antai.report/1 ではない）。`antai review verify` で確かめる",
        "{path}: the JSON report is not a readable antai.report/1 report; check it with `antai review verify`",
    ),
    "diff_refused.organisation_mismatch": (
        "提出の報告書と目録が別の組織名を記している。`antai review verify` で確かめる",
        "a report names another organisation than its manifest; check it with `antai review verify`",
    ),
    "diff_output_in_bundle": (
        "{path} は提出フォルダ {bundle} の中にある。提出フォルダには書き込まない",
        "{path} is inside the bundle {bundle}; a bundle is never written to",
    ),
    # antai checklist
    "checklist_report_only": (
        "--checklist は銀行向けの報告書（--audience bank）の html・xlsx・md に付ける"
        "（単独では `antai checklist answer NAME`）",
        "--checklist goes with the bank report (--audience bank) in html, xlsx or md "
        "(on its own: `antai checklist answer NAME`)",
    ),
    "checklist_unknown": (
        "チェックリスト '{name}' はない（`antai checklist list` で一覧を見る。自分のファイルならパスを書く）",
        "no checklist '{name}' (`antai checklist list` lists them; give a path for your own file)",
    ),
    "checklist_ok": (
        "{path}: 問題なし（{rows} 問、カタログ {version} の項目と組織情報に対応）",
        "{path}: no problems ({rows} questions, mapped to catalog {version} items and organisation facts)",
    ),
    "checklist_answered": (
        "{title}: {total} 問に回答した（はい {yes}・一部 {partial}・いいえ {no}・該当なし {not_applicable}）",
        "{title}: answered {total} questions (yes {yes}, partly {partial}, no {no}, not applicable {not_applicable})",
    ),
    "checklist_rows": ("{rows} 問", "{rows} questions"),
    "checklist_import_skipped": (
        "行 {rows} は番号があるのに質問が空なので取り込まなかった（数式は計算しない。保存された値だけを読む）",
        "rows {rows} have an ID but no question and were left out "
        "(formulas are never computed; only saved values are read)",
    ),
    "checklist_imported": (
        "{rows} 問を取り込んだ。各行に items（項目）と facts（組織情報）を書き、"
        "`antai checklist validate {path}` で確かめる",
        "imported {rows} questions; add items and facts to each row, then run `antai checklist validate {path}`",
    ),
    "checklist.duplicate_row": (
        "行の番号 '{id}' が重複している（最初は {first} 行目）",
        "row ID '{id}' is used twice (first on line {first})",
    ),
    "checklist.unknown_item": (
        "'{id}' はカタログ {version} の項目ではない",
        "'{id}' is not an item of catalog {version}",
    ),
    "checklist.unknown_fact": ("'{path}' は組織情報の項目ではない{hint}", "'{path}' is not an organisation fact{hint}"),
    "checklist.unknown_fact_hint": ("（'{suggestion}' の誤りでは？）", " (did you mean '{suggestion}'?)"),
    "checklist.unmapped_row": (
        "行 '{id}' は項目にも組織情報にも対応していない: 何も回答できない",
        "row '{id}' maps to no item and no fact: nothing could answer it",
    ),
    # --- antai review portfolio ---
    "portfolio_no_dir": ("{path} はフォルダではない", "{path} is not a folder"),
    "portfolio_no_trust": (
        "信頼する相手の一覧 {path} がない（--trust に antai.trust/1 の YAML を指定する）",
        "no trust file {path} (--trust takes an antai.trust/1 YAML file)",
    ),
    "portfolio_trust_problems": (
        "{path}: 信頼する相手の一覧に {count} 件の問題がある。直してから実行し直す",
        "{path}: {count} problem(s) in the trust file; fix them and run again",
    ),
    "portfolio_no_bundles": (
        "提出フォルダ（manifest.json のあるフォルダ）が見つからない: {paths}",
        "no submission bundle (a folder holding manifest.json) in {paths}",
    ),
    "portfolio_not_verified": (
        "{count} 件の提出を検証できなかった（全 {total} 件）。その数値を信用しない",
        "{count} of {total} submission(s) did not verify; do not rely on them",
    ),
    "portfolio_output_in_bundle": (
        "{path} は提出フォルダ {bundle} の中にある。提出フォルダには書き込まない",
        "{path} is inside the bundle {bundle}; a bundle is never written to",
    ),
    "portfolio.trust.one_key": (
        "相手 '{organisation}': fingerprint（指紋）と key（公開鍵ファイル）のどちらか一方だけを書く",
        "partner '{organisation}': give exactly one of fingerprint and key",
    ),
    "portfolio.trust.bad_fingerprint": (
        "'{value}' は公開鍵の指紋ではない（`antai key show` が表示する 64 桁の 16 進数を書く）",
        "'{value}' is not a key fingerprint (64 hex digits as `antai key show` prints)",
    ),
    "portfolio.trust.key_unreadable": (
        "{path}: ない、リンクである、または 16 KiB 以下の通常のファイルではない",
        "{path}: missing, a link or not a plain file of at most 16 KiB",
    ),
    "portfolio.trust.bad_key": (
        "{path}: Ed25519 の公開鍵（PEM または 32 バイトの base64）ではない",
        "{path}: not an Ed25519 public key (PEM or the base64 of its 32 bytes)",
    ),
    "portfolio.trust.duplicate_organisation": (
        "'{organisation}' が重複している（最初は {first} 行目）",
        "'{organisation}' is listed twice (first on line {first})",
    ),
    "portfolio.trust.duplicate_key": (
        "同じ鍵が別の組織（{first} 行目）にも信頼されている。その鍵で署名した提出がどちらの組織も名乗れてしまう",
        "the same key is trusted for another organisation (line {first}): a bundle it signed could speak for either",
    ),
    # --- end portfolio ---
    # --- comment threads (antai review import-comments, antai comments) ---
    "log.comment": ("コメント", "comment"),
    "comments_no_file": ("{path}: ファイルがない", "{path}: no such file"),
    "comments_problems": (
        "{path}: {count} 件の問題がある。何も取り込んでいない",
        "{path}: {count} problem(s); nothing was imported",
    ),
    "comments_already": (
        "{path}: 取り込み済みである（提出 {submission} へのコメント {count} 件）。何も追加していない",
        "{path}: already imported ({count} comment(s) on submission {submission}); nothing added",
    ),
    "comments_imported": (
        "{path}: 提出 {submission} へのコメント {count} 件を取り込んだ"
        "（新しいスレッド {new} 件、続いたスレッド {updated} 件）",
        "{path}: imported {count} comment(s) on submission {submission} (threads: {new} new, {updated} updated)",
    ),
    "comments_line_new": ("新規", "new"),
    "comments_line_updated": ("継続", "updated"),
    "comments_duplicates": (
        "取り込み済みのコメント {count} 件は追加しなかった",
        "{count} comment(s) already imported were not added again",
    ),
    "comments_skipped": (
        "判定もコメントもない {count} 行は読み飛ばした",
        "skipped {count} row(s) with neither a verdict nor a comment",
    ),
    "comments_next": (
        "`antai review answer スレッド 回答` で回答する。回答は次の提出（antai submit）で銀行に届く",
        "answer with `antai review answer THREAD TEXT`; the next submission (antai submit) carries it to the bank",
    ),
    "comments.unknown_submission": (
        "コメントは提出 {submission} へのものだが、このワークスペースの履歴にその提出はない（記録された提出: {known}）",
        "the comments are on submission {submission}, which this workspace's history does not record "
        "(submissions: {known})",
    ),
    "comments.unknown_item": (
        "'{item}' はカタログ {version} の項目ではない",
        "'{item}' is not an item of catalog {version}",
    ),
    "comments.unknown_fact": (
        "'{fact}' は組織情報の項目ではない（`antai org --paths` で一覧を見る）",
        "'{fact}' is not an organisation fact (see `antai org --paths`)",
    ),
    "comments.unknown_checklist": (
        "チェックリスト '{checklist}' はない（既知: {known}。自分のチェックリストなら --checklist FILE を付ける）",
        "no checklist '{checklist}' (known: {known}; for one of your own, add --checklist FILE)",
    ),
    "comments.unknown_row": (
        "チェックリスト '{checklist}' に行 '{row}' はない",
        "checklist '{checklist}' has no row '{row}'",
    ),
    "comments.unknown_thread": ("スレッド {thread} はこのワークスペースにない", "no thread {thread} in this workspace"),
    "comments.thread_target": (
        "スレッド {thread} の対象は {target} であり、{given} ではない",
        "thread {thread} is about {target}, not {given}",
    ),
    "comments.no_target": (
        "コメントに対象（項目 ID、org:組織情報、checklist:名前/行）も返信先のスレッドもない",
        "a comment needs a target (an item ID, org:FACT or checklist:NAME/ROW) or a thread to reply to",
    ),
    "comments.empty": ("コメントに内容も判定もない", "the comment has neither a text nor a verdict"),
    "comments.too_long": ("コメントが {limit} 文字を超えている", "the comment has more than {limit} characters"),
    "comments.too_big": (
        "ファイルが {limit} バイトを超えている（コメントのファイルの上限）",
        "the file has more than {limit} bytes (the limit for a comments file)",
    ),
    "comments.schema": ("'{found}' は antai.comments/1 ではない", "'{found}' is not antai.comments/1"),
    "comments.none": ("取り込むコメントがない", "there are no comments to import"),
    "comments.verdict": ("'{found}' は判定ではない（{choices}）", "'{found}' is not a verdict ({choices})"),
    "comments.no_sheet": (
        "ブックにシート「{sheet}」（{sheet_en}）がない: antai が書いたチェックリストを返送してもらう",
        "no sheet '{sheet}' ('{sheet_en}') in the workbook: send back the checklist antai wrote",
    ),
    "comments.no_columns": (
        "シートに番号・判定・コメントの列がない: antai が書いたチェックリストを返送してもらう",
        "the sheet has no row ID, verdict and comment columns: send back the checklist antai wrote",
    ),
    "comments.no_checklist": (
        "ブックがどのチェックリストへの回答かを示していない",
        "the workbook does not say which checklist it answers",
    ),
    "comments.no_submission": (
        "ブックが提出番号を示していない: 提出バンドルのチェックリストを使うか --submission ID を付ける",
        "the workbook does not name its submission: use the checklist of the submission bundle, or add --submission ID",
    ),
    "comments.not_zip": ("XLSX ファイルではない（zip 形式でない）", "not an XLSX file (it is not a zip archive)"),
    "comments.unpacked": (
        "ブックを展開すると {size} バイトになる（上限 {limit} バイト）",
        "the workbook unpacks to {size} bytes; at most {limit}",
    ),
    "comments.bad_workbook": ("ブックを読めない（{error}）", "cannot read the workbook: {error}"),
    "comments.other_submission": (
        "ブックは提出 {named} へのものであり、{given} ではない",
        "the workbook names submission {named}, not {given}",
    ),
    "comments.no_row_id": ("番号のない行に判定かコメントがある", "a verdict or comment on a row without a row ID"),
    "comments.too_many_rows": (
        "{limit} 行を超えている: 残りは読まない",
        "more than {limit} rows: the rest is not read",
    ),
    "threads_none": ("コメントのスレッドはない", "no comment threads"),
    "threads_none_open": ("完了していないスレッドはない", "no open threads"),
    "thread_unknown": (
        "スレッド {thread} はない（`antai review threads` で一覧を見る）",
        "no thread {thread} (see `antai review threads`)",
    ),
    "thread_closed": (
        "スレッド {thread} は完了している。回答も完了もできない",
        "thread {thread} is closed: it takes no answer and cannot be closed again",
    ),
    "thread_empty": ("回答が空である", "the text is empty"),
    "thread_too_long": ("本文が {limit} 文字を超えている", "the text has more than {limit} characters"),
    "thread_control": ("制御文字は使えない", "the text contains control characters"),
    "thread_answered": (
        "{thread} に回答した。次の提出（antai submit）で銀行に届く",
        "answered {thread}; the next submission (antai submit) carries it to the bank",
    ),
    "thread_closed_done": ("{thread} を完了にした", "closed {thread}"),
    "template_hint": (
        "bank・reviewer とコメントを書いて事業者に返送する（事業者は `antai review import-comments` で取り込む）",
        "fill in bank, reviewer and the comments, then send the file back "
        "(the venture imports it with `antai review import-comments`)",
    ),
    # --- end comment threads ---
    # --- antai export (OSCAL) ---
    "export_profile_only": (
        "--profile は profile の出力にだけ使う（assessment-results はワークスペースのプロファイルを使う）",
        "--profile is only for KIND profile (assessment-results uses the workspace's profile)",
    ),
    "export_date_only": (
        "--date は assessment-results の出力にだけ使う",
        "--date is only for KIND assessment-results",
    ),
    # --- end export ---
    # --- document control and sign-off ---
    "signoff.role.representative": ("代表者", "representative"),
    "signoff.role.security_owner": ("セキュリティ責任者", "security owner"),
    "signoff_joiner": ("と", " and "),
    "signoff_needs_name": (
        '承認者の氏名を書く（例: antai signoff representative "山田 太郎" --title 代表取締役）',
        'give the name of the person signing off (e.g. antai signoff representative "Taro Yamada" --title CEO)',
    ),
    "signoff_done": ("{role}の承認を記録した: {name}", "recorded the {role}'s sign-off: {name}"),
    "signoff_line": ("{role}: {name}{title} {date}", "{role}: {name}{title}, {date}"),
    "signoff_missing": (
        "まだ承認していない: {roles}（`antai signoff ROLE NAME`。提出には両方が要る）",
        "not signed off yet by the {roles} (`antai signoff ROLE NAME`; a submission needs both)",
    ),
    "submit_unsigned": (
        "承認のない下書きとして提出物を作る（表紙に「承認未了」と記す）",
        "writing the bundle as an unsigned draft (its cover says it is not signed off)",
    ),
    "review.signoff_mismatch": (
        "{path}: 目録が記す承認 {named} 件が、履歴の末尾で有効な承認 {in_force} 件と一致しない",
        "{path}: the manifest's {named} sign-off(s) do not match the {in_force} in force at the history's head",
    ),
    "review_signoffs": ("承認: {signoffs}", "Signed off by: {signoffs}"),
    "review_signoff": ("{role} {name}{title}（{date}）", "{role} {name}{title} ({date})"),
    "review_unsigned": (
        "承認がない: 下書きとして出された提出である（代表者とセキュリティ責任者の承認を求める）",
        "not signed off: this submission is a draft (ask for the representative's and the security owner's sign-off)",
    ),
    # --- end document control ---
    # --- findings: antai check, antai import (shared output) ---
    "scan_heading": ("{tool}: {target}（{when} {zone}）", "{tool}: {target} ({when} {zone})"),
    "scan_check": (
        "{check}: {verdict}（重要度 {severity}、{resources} 件。例: {example}）",
        "{check}: {verdict} ({severity}, {resources} resource(s), e.g. {example})",
    ),
    "scan_more_checks": ("ほか {count} 件のチェック", "and {count} more check(s)"),
    "scan_totals": (
        "検出 {count} 件（適合 {passed}、不適合 {failed}、確認不能 {errors}、対象外 {not_applicable}）"
        "が {items} 項目に関わる",
        "{count} finding(s) ({passed} pass, {failed} fail, {errors} error, {not_applicable} not applicable) "
        "on {items} item(s)",
    ),
    "scan_unmapped": (
        "対応表にない規則 {rules} 種（検出 {findings} 件）はどの項目にも数えていない: {shown}",
        "{rules} rule(s) not in the mapping table ({findings} finding(s)) count toward no item: {shown}",
    ),
    "scan_signals": (
        "シグナル（コードの文字列やアプリの宣言からの推定であり、判定ではない。項目の達成には数えない）:",
        "Signals (guesses from strings in the code or what the app declares, not verdicts; they never count"
        " towards an item):",
    ),
    "scan_signal_seen": ("あり", "seen"),
    "scan_signal_unseen": ("なし", "not seen"),
    "scan_signal_observed": ("（{observed}）", " ({observed})"),
    "scan_not_recorded": (
        "エビデンスとしては記録していない（記録するには --record）",
        "not recorded as evidence (add --record to keep it)",
    ),
    "scan_recorded": (
        "エビデンス {first}〜{last}（{count} 項目）として記録した。元の出力はハッシュ付きで保管した",
        "recorded as evidence {first}–{last} on {count} item(s), with the raw output kept and hashed",
    ),
    "scan_duplicate": (
        "この出力は記録済み（{ids}）のため、何も追加していない",
        "this output is already recorded ({ids}); nothing was added",
    ),
    "scan_outside_plan": (
        "プロファイルで選ばれていない {count} 項目の結果は記録していない: {items}",
        "not recorded for {count} item(s) the profile does not select: {items}",
    ),
    "scan_gate": (
        "重要度「{severity}」の不適合がある（--fail-on {fail_on} 以上で失敗とする）",
        "a {severity} finding failed (--fail-on {fail_on} or worse fails the run)",
    ),
    "status_automated": (
        "自動エビデンス（各ソースの最新のスキャン）",
        "Automated evidence (the latest scan of each source)",
    ),
    "status_auto_item": ("項目", "Item"),
    "status_auto_result": ("判定", "Result"),
    "status_auto_source": ("ソース・対象", "Source · target"),
    "status_auto_seen": ("観測日", "Observed"),
    "status_auto_more": ("ほか {count} 件（antai status --format json）", "{count} more (antai status --format json)"),
    "status_contradicted": ("申告と矛盾", "contradicts the claim"),
    "status_stale": ("期限切れ", "stale"),
    "status_gate.overdue": ("期限超過の予定 {count} 件", "{count} overdue plan(s)"),
    "status_gate.expired": (
        "期限切れのエビデンス・リスク受容 {count} 件",
        "{count} expired evidence record(s) or acceptance(s)",
    ),
    "status_gate.contradicted": ("スキャン結果と矛盾する申告 {count} 件", "{count} claim(s) contradicted by scans"),
    "status_gate.unanswered": ("未回答の項目 {count} 件", "{count} unanswered item(s)"),
    "status_gate": ("--fail-on の条件に当たる: {found}", "--fail-on conditions hold: {found}"),
    "status_gate_joiner": ("、", "; "),
    "status_fail_on_bad": (
        "--fail-on に使えるのは overdue、expired、contradicted、unanswered（コンマ区切り）: {value}",
        "--fail-on takes overdue, expired, contradicted and unanswered, separated by commas: {value}",
    ),
    "scan_suppressed": (
        "スキャナー自身が抑止（suppress・mute・例外）とした {count} 件は対象外として数えた",
        "{count} finding(s) the scanner itself suppressed, muted or excepted count as not applicable",
    ),
    "log.scan": ("スキャン記録", "scan"),
    "log.signoff": ("承認", "signoff"),
    "log_scan": (
        "{tool}（{target}）: 不適合 {failed}、確認不能 {errors}、適合 {passed} 項目（{first}〜{last}）",
        "{tool} ({target}): {failed} failing, {errors} error, {passed} passing item(s) ({first}–{last})",
    ),
    "set_contradicted": (
        "注意: {item} の最新のスキャン（{ids}）は不適合を示している。"
        "この申告はスキャン結果と矛盾するものとして報告される",
        "note: the latest scan of {item} ({ids}) fails; reports will show this claim as contradicted by a scan",
    ),
    "scan_nothing_recorded": (
        "記録するものがない: プロファイルで選ばれた項目に関わる検出が 1 件もない"
        "（スキャナーが何も調べなかったのでは？）",
        "nothing to record: no finding bears on an item the profile selects (did the scanner check anything?)",
    ),
    "scan_time_from_file": (
        "注意: ファイルにスキャンの日時がないため、ファイルの更新時刻を観測日時とした（--observed-at で指定できる）",
        "note: the file gives no scan time, so its modification time is taken as the time observed "
        "(say it with --observed-at)",
    ),
    "scan_target_from_file": (
        "注意: ファイルにスキャン対象の名前がないため、ファイル名 {target} を対象とした（--target で指定できる。"
        "同じ対象のスキャンは互いに置き換わる）",
        "note: the file names nothing it scanned, so its name {target} is taken as the target (say it with "
        "--target; scans of one target replace each other)",
    ),
    "evidence_scan": ("（自動: {result}）", " (automated: {result})"),
    # --- end findings ---
    # --- antai import (scanner outputs) ---
    "import_no_file": ("{path}: ファイルがない", "{path}: no such file"),
    "import_progress": ("{tool} の出力を読んでいる", "reading {tool} output"),
    "import_problems": ("{path}: 取り込めない（{count} 件の問題）", "{path}: cannot be imported ({count} problem(s))"),
    "import_other_tool": (
        "。{name} の出力に見える: antai import {tool} で取り込む",
        "; it looks like {name}'s output: import it with antai import {tool}",
    ),
    "import_problem.unreadable": ("ファイルを読めない（ないか、読む権限がない）", "cannot read the file"),
    "import_problem.not_a_file": (
        "通常のファイルではない（フォルダ・パイプ・デバイスなど）: スキャナーの出力ファイルを指定する",
        "not a regular file: give the scanner's output file",
    ),
    "import_problem.changed": (
        "読んでいる間にファイルが変わった: もう一度取り込む",
        "the file changed while it was read",
    ),
    "import_problem.utf16": (
        "UTF-16 のテキストである: スキャナーの出力を UTF-8 で保存し直す",
        "UTF-16 text: save the scanner's output as UTF-8",
    ),
    "import_problem.not_utf8": (
        "UTF-8 のテキストではない（バイト 0x{byte}）: スキャナーの出力を UTF-8 で保存し直す",
        "not UTF-8 text (byte 0x{byte})",
    ),
    "import_problem.binary": (
        "値があるべき所にバイト 0x{byte} がある（バイナリファイルでは？）",
        "the byte 0x{byte} where a value should be (is this a binary file?)",
    ),
    "import_problem.truncated": ("ファイルが途中で終わっている（切れていないか確かめる）", "the file ends early"),
    "import_problem.invalid.key": (
        "JSON として読めない: キーは二重引用符で囲む",
        "invalid JSON: a key in double quotes",
    ),
    "import_problem.invalid.colon": ("JSON として読めない: キーのあとに「:」がない", "invalid JSON: ':' expected"),
    "import_problem.invalid.comma": ("JSON として読めない: 「,」がない", "invalid JSON: ',' expected"),
    "import_problem.invalid.value": ("JSON として読めない: ここに値がない", "invalid JSON: a value expected"),
    "import_problem.invalid.string": ("JSON として読めない: 文字列が閉じていない", "invalid JSON: unterminated text"),
    "import_problem.invalid.control": (
        "JSON として読めない: 文字列の中に制御文字がある",
        "invalid JSON: a control character in text",
    ),
    "import_problem.invalid.escape": (
        "JSON として読めない: 「\\」のエスケープが正しくない",
        "invalid JSON: a wrong escape",
    ),
    "import_problem.invalid.extra": ("JSON の終わりのあとに余分なデータがある", "more data after the JSON document"),
    "import_problem.invalid.number": (
        "JSON として読めない: 桁数が多すぎる数値がある",
        "invalid JSON: a number too long",
    ),
    "import_problem.invalid.byte": ("JSON として読めない", "invalid JSON"),
    "import_problem.invalid.other": ("JSON として読めない", "invalid JSON"),
    "import_problem.too_big": (
        "1 つの値が大きすぎる（1 件の検出は {limit} まで）",
        "a single value larger than {limit}",
    ),
    "import_problem.too_deep": ("入れ子が深すぎて読めない", "nested too deeply to read"),
    "import_problem.shape": (
        "形式が違う: ここにはオブジェクトを書く（{found}が書かれている）",
        "an object expected, not {found}",
    ),
    "import_problem.missing": ("必須の項目 {field} がない", "{field} is missing"),
    "import_problem.not_format": ("{tool} の出力ではない（必要な項目がない）", "not {tool} output"),
    "import_problem.schema_version": (
        "Trivy のスキーマ {found} には対応していない（antai が読むのはスキーマ {wanted}）",
        "Trivy schema version {found} is not supported (antai reads {wanted})",
    ),
    "import_problem.sarif_version": (
        "SARIF {found} には対応していない（antai が読むのは SARIF {wanted}）",
        "SARIF {found} is not supported (antai reads {wanted})",
    ),
    "import_problem.csv": ("CSV として読めない（引用符の閉じ忘れなど）", "invalid CSV"),
    "import_problem.csv_header": (
        "Prowler の CSV ではない: 見出し行（; 区切り）に {column} 列がない",
        "not a Prowler CSV file: no {column} column",
    ),
    "import_problem.line_too_long": ("1 行が長すぎる（CSV の 1 行は {limit} 文字まで）", "a line longer than {limit}"),
    "import_problem.empty": ("ファイルが空", "the file is empty"),
    "import_problem.found.an object": ("オブジェクト", "an object"),
    "import_problem.found.a list": ("リスト", "a list"),
    "import_problem.found.text": ("文字列", "text"),
    "import_problem.found.null": ("null", "null"),
    "import_problem.found.true/false": ("真偽値", "true/false"),
    "import_problem.found.a number": ("数値", "a number"),
    # --- end antai import ---
    # --- antai check aws ---
    "aws_progress": ("AWS を確認中", "Checking AWS"),
    "check_list_heading": (
        "antai のチェック {count} 件（ID、項目、重要度、内容）",
        "{count} antai checks (ID, items, severity, title)",
    ),
    "check_list_signal": ("シグナル", "signal"),
    # --- end antai check aws ---
    # --- antai check dns ---
    "dns_progress": ("DNS を確認中", "Checking DNS"),
    # --- end antai check dns ---
    # --- antai check web ---
    "web_progress": ("Web エンドポイントを確認中", "Checking web endpoints"),
    # --- end antai check web ---
    # --- antai serve ---
    "serve_ready": (
        "データベースは最新（今回適用したマイグレーション {applied} 件、データ {data}）",
        "database up to date ({applied} migration(s) applied now; data in {data})",
    ),
    "serve_listening": ("{url} で待ち受け中（Ctrl+C で停止）", "listening on {url} (Ctrl+C stops)"),
    # --- end antai serve ---
    # --- antai check apk ---
    "apk_progress": ("APK を確認中", "Checking the APK"),
    # --- end antai check apk ---
    # --- antai check ipa ---
    "ipa_progress": ("IPA を確認中", "Checking the IPA"),
    # --- end antai check ipa ---
    # --- antai check all ---
    "check_kind.aws": ("AWS", "AWS"),
    "check_kind.apk": ("Android アプリ", "Android app"),
    "check_kind.ipa": ("iOS アプリ", "iOS app"),
    "check_kind.web": ("Web", "Web"),
    "check_kind.dns": ("DNS", "DNS"),
    "check_all_progress": ("宣言された対象を確認中", "Checking the declared targets"),
    "check_all_no_file": (
        "{path} がない。確認する対象（AWS アカウント、アプリのパッケージ、Web の URL、DNS ゾーン）を書く"
        "（docs/ci.md の例を参照）",
        "{path} does not exist; declare what to check (AWS accounts, app packages, web URLs, DNS zones) in it"
        " (see docs/ci.md)",
    ),
    "check_all_empty": ("{path} に確認する対象がない", "{path} declares nothing to check"),
    "check_all_problems": ("{path}: {count} 件の問題がある", "{path}: {count} problem(s)"),
    "check_all_target_error": ("{kind} {target}: 確認できなかった: {error}", "{kind} {target}: not checked: {error}"),
    "check_all_failed": (
        "{total} 件の対象のうち {count} 件を確認できなかった（ほかの結果は出力・記録済み）",
        "{count} of {total} target(s) could not be checked (the others were written and recorded)",
    ),
    # --- end antai check all ---
}


# what stores and verify report (antai.app.ports.Notice): Japanese wording by code; English is the Notice's own
_NOTICES_JA = {
    "unjoined_branches": "履歴に git のマージによる枝が {count} 本ある。`antai validate` でファイルを確かめ、"
    '`antai record -m "merge …"` で合流させる',
    "broken_entry": "履歴の {line} 件目は{reason_ja}。git から復元する",
    "unrecorded": "{parts} が antai の外で変更された。`antai validate` で確かめてから `antai record -m …` で記録する"
    "（または git で元に戻す）",
    "no_history": "{path}: 履歴がない（`antai init` で作ったワークスペースか確かめる）",
    "history_broken": "{path}:{line}: 履歴エントリ{seq_ja}は{reason_ja}",
    "branches_not_joined": "{path}: 履歴の枝 {count} 本が合流していない（git のマージ後は `antai validate` で確かめ、"
    '`antai record -m "merge …"` を実行する）',
    "changed_outside": "{path}: 最後に記録された変更のあと、antai の外で変更された",
    "evidence_outside": "{path}: {id} が evidence/files/ の外を指している: {target}",
    "evidence_missing": "{path}: {item} のエビデンス {id} が見つからない",
    "evidence_altered": "{path}: {item} のエビデンス {id} が改変または差し替えられた"
    "（sha256 {actual}…、記録は {recorded}…）",
    "evidence_unindexed": "{path}: エビデンスの一覧にない（antai の外で追加された）",
}
_BROKEN_JA = {
    "unreadable": "JSON として読めない",
    "unlinked": "前のエントリにつながらない（エントリが削除または並べ替えられた）",
    "altered": "ハッシュと一致しない（内容が改変された）",
    "sequence": "連番が合わない",
    "second_root": "2 つ目の履歴の始まりになっている（先行エントリを持たないのは最初のエントリだけ）",
}


def notice(found: Any, lang: str) -> str:
    """A store's or verify's notice in ``lang``: the table's Japanese, or the notice's own English."""
    if lang != "ja":
        return str(found)
    params = dict(found.params)
    if found.code == "change":
        return f"{word('log', str(params.get('action')), lang)} {params.get('item') or ''}".strip()
    if found.code == "unreadable":
        return str(params.get("text"))
    template = _NOTICES_JA.get(found.code)
    if template is None:
        return str(found)
    params["reason_ja"] = _BROKEN_JA.get(str(params.get("reason")), str(params.get("reason_text", "")))
    number = params.get("number")
    params["seq_ja"] = f"（#{number}）" if number is not None else ""
    return template.format(**params)


def text(key: str, lang: str, /, **params: Any) -> str:
    """The CLI's sentence ``key`` in ``lang``, filled with ``params``."""
    ja, en = _TEXT[key]
    return (ja if lang == "ja" else en).format(**params)


def word(prefix: str, value: str, lang: str) -> str:
    """A code shown to people (``prefix.value`` in the table), or the code itself if it has no wording."""
    pair = _TEXT.get(f"{prefix}.{value}")
    return value if pair is None else (pair[0] if lang == "ja" else pair[1])


def status_word(status: str, lang: str) -> str:
    """A status value as people read it: the Japanese label, or the value itself in English output."""
    if lang != "ja":
        return status
    from antai.labels import label

    return label("status." + status, lang)


# --- Japanese for the core's error codes ----------------------------------------------------------------

Render = Callable[[Mapping[str, Any], str], str]  # (params, English text) → Japanese


def _field_not_for_status(params: Mapping[str, Any], _: str) -> str:
    from antai.assessment.rules import DEVIATION_FIELDS

    allowed = [s for field, statuses in DEVIATION_FIELDS.items() if field == params["field"] for s in statuses]
    words = "・".join(sorted(status_word(s.value, "ja") for s in allowed))
    return f"{params['item']}: {params['field']} は「{words}」の項目にだけ指定できる"


_PACKAGE_REASONS = {
    "unreadable": "ファイルを読めない",
    "not_a_file": "通常のファイルではない",
    "file_too_large": "パッケージが上限 {limit} を超える",
    "not_zip": "ZIP 形式のパッケージではない（壊れているか、別の形式）",
    "too_many_entries": "エントリ数が上限 {limit} を超える",
    "total_too_large": "展開後の合計サイズが上限 {limit} を超える",
    "ratio": "圧縮率が上限 {limit}:1 を超える（ZIP 爆弾の疑い）",
    "duplicate": "同じ名前のエントリが二つある（検証をすり抜ける細工の疑い）",
    "traversal": "パストラバーサルを含むエントリ名がある",
    "bad_name": "不正なエントリ名がある",
    "symlink": "シンボリックリンクのエントリは読まない",
    "encrypted": "暗号化されたエントリは読めない",
    "entry_too_large": "エントリが読み取りの上限 {limit} を超える",
    "corrupt": "エントリが壊れている",
    "missing": "必要なエントリがない",
}


def _package_refused(params: Mapping[str, Any]) -> str:
    limit = params.get("limit")
    shown = _size_words(limit) if isinstance(limit, int) and params.get("reason") != "ratio" else limit
    if params.get("reason") == "too_many_entries":
        shown = f"{limit:,} 件"
    reason = _PACKAGE_REASONS.get(str(params.get("reason")), "読めない").format(limit=shown)
    detail = f"（{params['detail']}）" if params.get("detail") else ""
    return f"{params['path']}: パッケージを安全に読めない: {reason}{detail}"


def _size_words(size: int) -> str:
    for unit, scale in (("GiB", 1024**3), ("MiB", 1024**2), ("KiB", 1024)):
        if size >= scale:
            return f"{size / scale:g} {unit}"
    return f"{size} バイト"


def _too_big(params: Mapping[str, Any], _: str) -> str:
    from antai.app.usecases import MAX_EVIDENCE_BYTES

    return f"{params['source']}: エビデンスの上限 {MAX_EVIDENCE_BYTES // (1024 * 1024)} MB を超えている"


def _newer_format(params: Mapping[str, Any], _: str) -> str:
    if "found" in params:
        return (
            f"このワークスペースは新しい antai で書かれている（形式 {params['found']}。この antai は形式 "
            f"{params['supported']} まで）。新しい antai をインストールする"
        )
    return (
        f"ワークスペースはカタログ {params['pinned']} を固定しており、この antai の {params['available']} より新しい。"
        "新しい antai をインストールする（ワークスペースをダウングレードしない）"
    )


def _exists(params: Mapping[str, Any], _: str) -> str:
    text = f"{params['workspace']} には既にワークスペースがある。別のフォルダを選ぶ"
    return text + ("（前回のデモなら --force で置き換える）" if params.get("demo") and not params.get("force") else "")


def bundle_refusal(params: Mapping[str, Any], lang: str) -> str:
    """Why two submissions are not compared (`antai review diff`), by the core's reason."""
    if params.get("reason") == "organisation":
        return text("diff_other_organisation", lang, old=params["old"], new=params["new"])
    return text(f"diff_refused.{params['reason']}", lang, path=params.get("path", ""))


def _bundle_refused(params: Mapping[str, Any], _: str) -> str:
    return bundle_refusal(params, "ja")


def _rule(params: Mapping[str, Any], english: str) -> str:
    # The model validators give no codes of their own (see the report): translate their known sentences.
    translated = english
    for pattern, ja in _RULE_SENTENCES:
        translated = pattern.sub(ja, translated)
    if translated == english:
        raise KeyError("untranslated rule")
    return translated


_RULE_SENTENCES: list[tuple[re.Pattern[str], str]] = [
    (
        re.compile(r"a planned item needs a due date(?: \(due: YYYY-MM-DD\))?"),
        "実施予定には期限が必要（--due YYYY-MM-DD）",
    ),
    (re.compile(r"'not_applicable' needs a reason"), "該当なしには理由が必要（--reason）"),
    (
        re.compile(r"'compensated' needs compensated_by \(an item or new-technology note\) and a reason"),
        "代替策で対応には代替する項目または新技術ノート（--by）と理由（--reason）が必要",
    ),
    (re.compile(r"a decision must expire after the date it was made"), "決定の期限は決定日より後にする"),
    (re.compile(r"evidence cannot expire before it is effective"), "エビデンスの期限が有効日より前になっている"),
    (re.compile(r"withdrawn evidence needs a withdrawn_reason"), "取り下げには理由が必要"),
    (re.compile(r"String should have at least 1 character"), "空にできない"),
    (re.compile(r"String should have at most (\d+) characters?"), r"\1 文字以内にする"),
    (re.compile(r"Input should be a valid date[^,;]*(?:, [^;]*)?"), "日付（YYYY-MM-DD）にする"),
    (re.compile(r"Input should be a valid integer[^;]*"), "整数にする"),
    (re.compile(r"Field required"), "必須である"),
]


def _signoff_missing(params: Mapping[str, Any], _: str) -> str:
    roles = str(params["roles"]).split(", ")
    names = "と".join(text(f"signoff.role.{r}", "ja") for r in roles)
    return (
        f"{names}の承認がない（`antai signoff ROLE NAME`）。承認の後に評価を変えたときは承認し直す"
        "（下書きとして出すなら --unsigned）"
    )


def _as_sentence(key: str) -> Render:
    """A core error worded by the CLI sentence of the same name."""
    return lambda params, _: text(key, "ja", **params)


_ERRORS: dict[str, str | Render] = {
    # writing a bundle (`antai submit`, `antai demo`)
    "bundle_refusal": "提出物を書けなかった",
    "submit_output_exists": _as_sentence("submit_output_exists"),
    "submit_unknown_evidence": _as_sentence("submit_unknown_evidence"),
    "submit_evidence_altered": _as_sentence("submit_evidence_altered"),
    # sign-off (`antai signoff`, `antai submit`)
    "signoff_missing": _signoff_missing,
    "signoff_name": "承認者の氏名（と役職）は 200 文字以内で書く",
    "signoff_future": "承認日 {date} は未来の日付にできない",
    # comparing submissions (`antai review diff`)
    "bundle_refused": _bundle_refused,
    # PDF output (`antai report --format pdf`, the PDF in `antai submit`)
    "pdf_unavailable": "PDF の出力には WeasyPrint（と Pango ライブラリ）が要る。`{hint}` でインストールする",
    # items and answers
    "unknown_item": "項目 {item} はない（`antai items` で一覧を見る）",
    "not_in_plan": "{item} はこのサービスのプロファイルには適用されない"
    "（ワークスペースで `antai plan --profile profile.yaml` を実行して確認する）",
    "empty_change": "変更する内容がない",
    "roadmap_too_long": "この体制では計画の {person_days} 人日に {years} 年以上かかる"
    "（--engineers か --share を増やす）",
    "roadmap_start_too_late": "ロードマップの開始日は {latest} 年までにする",
    "use_accept": "リスク受容は `antai accept {item} --rationale … --approver … --expires …` で記録する",
    "field_not_for_status": _field_not_for_status,
    "rule": _rule,
    "unknown_compensation": (
        "{item}: 代替策 '{target}' は別の項目 ID か新技術ノート ID にする（`antai technotes` で一覧を見る）"
    ),
    "approver_not_for_status": (
        "{item}: --approver と --expires は該当なしの決定を記録するためのもの。リスク受容には `antai accept` を使う"
    ),
    "history_altered": "履歴の最新エントリがハッシュと一致しない（改変された）。何も書き込んでいない。"
    "`antai verify` で確かめ、git から履歴を復元する",
    "decision_incomplete": "{item}: 該当なしの決定には --approver と --expires の両方が必要",
    "partial_needs_due": "{item}: 一部実施には残りを終える期限が必要（--due YYYY-MM-DD）",
    "mandatory_not_applicable": (
        "{item} は必須項目である。該当なしとするには --reason に加えて --approver（決定者）と"
        " --expires（見直し期限）が必要"
    ),
    # the workspace as a whole
    "needs_upgrade": (
        "ワークスペースはカタログ {pinned} を固定している。この antai は {available}。先に `antai upgrade` を実行する"
    ),
    "newer_format": _newer_format,
    "exists": _exists,
    "not_empty": "{workspace} は空でない。デモには新しいフォルダを選ぶ",
    "no_workspace": "{workspace} は antai のワークスペースではない（antai.yaml がない）。`antai init` で作成する",
    "read_only": "{workspace}: フォルダに書き込めない",
    "busy": (
        "{workspace}: ワークスペースは使用中である（別の antai コマンドが {timeout:g} 秒以上使っている）。"
        "もう一度実行するか ANTAI_LOCK_TIMEOUT を延ばす"
    ),
    "pending_journal": "{workspace}: 中断された変更を先に完了する。書き込める場所で `antai repair` を実行する",
    "journal_broken": (
        "{workspace}: 中断された変更を完了できない。git からフォルダを戻すか `antai repair --discard` を実行する"
    ),
    "conflict": "読み込んだ後に評価が変更された。もう一度実行する",
    "answer_changed": "{item} は開いた後に他の人が変更したため、保存していない。今の回答を確かめてからやり直す",
    "blob_changed": "{source}: 追加している間にファイルが変わった。もう一度追加する",
    "unrecorded_edits": (
        "{parts} が antai の外で変更され、記録されていない。`antai validate` で確認し、"
        "`antai record -m メッセージ` で記録してから（または git で元に戻してから）変更する"
    ),
    "invalid_assessment": "評価に {count} 件の問題がある",
    "unchanged": "プロファイルは変わらない",
    "no_message": "何をなぜ編集したかを -m MESSAGE で書く",
    "nothing": "記録するものはない: どのファイルも最後に記録した変更と一致している",
    # evidence
    "bad_url": "{source}: エビデンスにできるのは 2,000 文字以内の通常の http(s) リンクだけ",
    "no_file": "{source}: ファイルを読めない",
    "symlink": "{source}: シンボリックリンクである。ファイルそのものを指定する",
    "not_file": "{source}: 通常のファイルではない（ファイルか http(s) の URL を指定する）",
    "empty_file": "{source}: ファイルが空である（または /proc などの仮想ファイル）",
    "too_big": _too_big,
    "future_evidence": "有効日 {effective} が未来である。エビデンスは既にある状態を示す",
    "future_scan": "スキャンの日時 {observed} が未来になっている。スキャナーを動かした機械の時計を確かめる",
    "unknown_evidence": "エビデンス {evidence} はない（`antai evidence list` で一覧を見る）",
    "withdrawn": "{evidence} は既に取り下げられている",
    # signing keys and submissions
    "bad_key": "鍵ファイルが Ed25519 の鍵として読めない",
    "key_passphrase": "署名鍵は暗号化されている。ANTAI_KEY_PASSPHRASE にパスフレーズを設定する",
    "key_passphrase_wrong": "署名鍵を復号できない。ANTAI_KEY_PASSPHRASE がこの鍵のパスフレーズではない",
    "history_unverified": "履歴を検証できない（`antai verify` で確かめる）。提出には改ざんのない履歴が必要",
    "history_rewritten": "履歴に提出 {submission} の履歴ヘッド（{entries} 件目）がない。その後に履歴が書き換えられた。"
    "git から history.jsonl を復元する",
    "unknown_fact": "組織情報 {facts} はない（`antai org set --help` で一覧を見る）",
    "needs_format_upgrade": (
        "このワークスペースは形式 {found} である。組織情報を区分ごとに記録するのは形式 {needed} から。"
        "先に `antai upgrade` を実行する"
    ),
    # --- comment threads (errors; worded by the sentences of the comment threads section above) ---
    "comments_refused": lambda p, _: text("comments_problems", "ja", path=p["file"], count=p["count"]),
    "unknown_thread": lambda p, _: text("thread_unknown", "ja", thread=p["thread"]),
    "thread_closed": lambda p, _: text("thread_closed", "ja", thread=p["thread"]),
    "comment_empty": lambda p, _: text("thread_empty", "ja"),
    "comment_too_long": lambda p, _: text("thread_too_long", "ja", limit=f"{p['limit']:,}"),
    "comment_control": lambda p, _: text("thread_control", "ja"),
    # --- end comment threads (errors) ---
    # --- antai check aws (errors) ---
    "aws_sdk_missing": "AWS の確認には AWS SDK（boto3）が要る。`pip install '{hint}'` でインストールする",
    "aws_no_credentials": (
        "AWS の認証情報が見つからない。AWS_PROFILE か AWS_ACCESS_KEY_ID と AWS_SECRET_ACCESS_KEY を設定するか、"
        "`aws sso login` を実行する"
    ),
    "aws_unknown_profile": "AWS のプロファイル {profile} が AWS の設定ファイルにない",
    "aws_unreachable": (
        "AWS（{endpoint}）に接続できない（{reason}）。ネットワーク、リージョン、AWS_ENDPOINT_URL を確かめる"
    ),
    "aws_rejected": "AWS が認証情報を受け付けない（{error}）。認証情報を更新する（例: `aws sso login`）",
    # --- end antai check aws (errors) ---
    # --- app packages (errors) ---
    "package_refused": lambda p, _: _package_refused(p),
    "package_not_found": "{path}: ファイルがない",
    # --- end app packages (errors) ---
    # --- antai check ipa (errors) ---
    "ipa_refused": "{path}: iOS アプリのパッケージとして確認できない",
    "ipa_no_app": "{path}: iOS アプリのパッケージではない（Payload/<名前>.app のフォルダがない）",
    "ipa_many_apps": "{path}: Payload にアプリが {count} 個ある（{apps}）。IPA に入るアプリは 1 つだけ",
    "ipa_no_info_plist": "{path}: {name} がない。iOS アプリとして確認できない",
    "ipa_bad_info_plist": lambda p, _: (
        f"{p['path']}: {p['name']} を読めない（"
        + {
            "not_plist": "プロパティリストではないか、壊れている",
            "over_limit": "大きさか要素の数が antai の読む上限を超える",
        }.get(str(p.get("reason")), "中身が辞書ではない")
        + "）"
    ),
    # --- end antai check ipa (errors) ---
    # --- antai serve (errors) ---
    "web_extra_missing": "Web アプリには Django が要る。`pip install '{hint}'` でインストールする",
    "web_migration_failed": "データベースのマイグレーションに失敗したため起動しない: {error}",
    "web_migrations_pending": "適用されていないマイグレーションがあるため起動しない: {names}",
    "web_model_changes": "マイグレーションのないモデルの変更があるため起動しない（antai の不具合）: {names}",
    "bad_master_key": "Web アプリのマスター鍵（ANTAI_WEB_KEY か master-key）が 32 バイトの URL-safe base64 ではない",
    "blob_unreadable": "保存されたエビデンスのファイルを復号・検証できない（改ざん、移動、または別の鍵で暗号化）",
    "no_blob": "エビデンスのファイル {key} が保存されていない",
    "no_organisation": "組織が見つからない",
    # --- end antai serve (errors) ---
    # --- antai check apk (errors) ---
    "apk_reader_missing": "APK の確認には androguard が要る。`pip install '{hint}'` でインストールする",
    "apk_unreadable": lambda p, _: (
        f"{p['path']}: APK として読めない: {p['part']} "
        + {
            "missing": "がない",
            "corrupt": "が壊れている（Android が読めるバイナリ XML ではない）",
            "limits": "が読み取りの上限（入れ子の深さ・要素数・属性数）を超える",
            "not_manifest": "の最上位の要素が <manifest> ではない",
        }.get(str(p.get("reason")), "を読めない")
    ),
    # --- end antai check apk (errors) ---
    # --- antai check dns (errors) ---
    "dns_bad_domain": (
        "「{domain}」はドメイン名として使えない（英数字とハイフンのラベルを . でつなぎ、全体で 253 文字まで）"
    ),
    "dns_bad_nameserver": (
        "--nameserver の「{nameserver}」は IP アドレス（とポート番号）ではない"
        "（例: 192.0.2.53、192.0.2.53:5300、[2001:db8::53]:5300）"
    ),
    "dns_no_domain": "確認するドメインがない",
    "dns_too_many_domains": "ドメインが多すぎる（{count} 件。1 回に {limit} 件まで）",
    "dns_no_resolver": (
        "この機械には DNS リゾルバーが設定されていない（{detail}）。--nameserver IP[:PORT] で問い合わせ先を指定する"
    ),
    # --- end antai check dns (errors) ---
    # --- antai check web (errors) ---
    "web_bad_url": lambda p, _: (
        f"「{p['url']}」は確認できる URL ではない（"
        + {
            "blank": "空か、空白や制御文字を含む",
            "unreadable": "ホスト名かポート番号を読めない",
            "scheme": "http:// か https:// で始める",
            "userinfo": "URL にユーザー名やパスワードを入れない",
            "no_host": "ホスト名がない",
        }.get(str(p.get("reason")), "読めない")
        + "）"
    ),
    "web_no_url": "確認する URL がない",
    "web_too_many_urls": "URL が多すぎる（{count} 件。1 回に {limit} 件まで）",
    "web_bad_ca_file": "--ca-file の {path} を CA 証明書（PEM）として読めない",
    # --- end antai check web (errors) ---
    # --- antai check all (errors) ---
    # --- end antai check all (errors) ---
}

_ISSUES: dict[str, str] = {
    "unknown_item": "{item} はカタログ {version} の項目ではない",
    "not_in_plan": "{item} はこのプロファイルには適用されない"
    "（ワークスペースで `antai plan --profile profile.yaml` を実行して確認する）",
    "no_decision": "{item} はリスク受容だが、裏付ける決定がない。別の状態にするか `antai accept` で決定を記録する",
    "no_decision_na": (
        "{item} は必須項目である。該当なしとするには記録された決定が必要"
        "（`antai set {item} --status not_applicable --reason … --approver … --expires …`）"
    ),
    "self_compensation": "項目は自分自身を代替できない",
    "unknown_compensation": "'{target}' は項目でも新技術ノートでもない",
    "decision_unknown_item": "項目 {item} はない",
    "evidence_unknown_item": "項目 {item} はない",
    "evidence_unknown_fact": "組織情報またはその登録簿の行 {fact} はない",
    "evidence_path": "{id} は evidence/files/ の下のファイルを指す必要がある（{path} ではない）",
    "duplicate_evidence": "エビデンス ID {id} が重複している",
    "missing_answers": "適用項目 {count} 件の記載がない: {items}（`antai record -m …` で未回答として追加する）",
}


def _plain(value: Any) -> Any:
    return ", ".join(str(v) for v in value) if isinstance(value, list | tuple) else value


_MANIFEST_REASONS_JA: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"^missing or not a plain file of at most 8 MiB$"), "ないか、8 MiB 以下の通常のファイルではない"),
    (re.compile(r"^not JSON \(.*$"), "JSON として読めない"),
    (re.compile(r"^not a JSON object$"), "JSON のオブジェクトではない"),
    (re.compile(r"^more than (\d+) files$"), r"ファイルが \1 件を超える"),
    (re.compile(r"^([A-Za-z0-9_.]+): .*$"), r"\1 の値が目録の形式に合わない"),
]


def manifest_reason(reason: str, lang: str) -> str:
    """Why a manifest could not be read (``antai.submission.bundle.load_manifest``), in ``lang``: the English
    reason carries library wording, so Japanese says it in its own words and keeps only the field's path."""
    if lang != "ja" or not reason:
        return reason
    for pattern, ja in _MANIFEST_REASONS_JA:
        if pattern.match(reason):
            return pattern.sub(ja, reason)
    return "形式に合わない"


def error_text(code: str, params: Mapping[str, Any], english: str, lang: str) -> str:
    """A core error in ``lang``: Japanese from its code, else (or when a value is missing) the English text."""
    if lang != "ja":
        return english
    entry = _ERRORS.get(code)
    if entry is None:
        return english
    values = {k: _plain(v) for k, v in params.items()}
    try:
        return entry(values, english) if callable(entry) else entry.format(**values)
    except (KeyError, IndexError, ValueError):
        return english


def issue_text(code: str, params: Mapping[str, Any], english: str, lang: str) -> str:
    """A broken cross-file rule (``antai.assessment.state.Issue``) in ``lang``."""
    if lang != "ja" or code not in _ISSUES:
        return english
    try:
        return _ISSUES[code].format(**{k: _plain(v) for k, v in params.items()})
    except (KeyError, IndexError, ValueError):
        return english


def translated_codes() -> tuple[set[str], set[str]]:
    """The error and issue codes that have Japanese wording (for tests and the coverage report)."""
    return set(_ERRORS), set(_ISSUES)


def fact_name(path: str, lang: str) -> str:
    """An organisation fact's dotted path in words (ja), with the record or register it belongs to and entry
    numbers in brackets; in English the path itself."""
    from antai.labels import label

    if lang != "ja":
        return path
    parts = path.split(".")
    if len(parts) == 1:
        return label("org.group." + path, lang)
    shown: list[str] = []
    generic = [parts[0]]
    for part in parts[1:]:
        generic.append("N" if part.isdigit() else part)
        if part.isdigit() and shown:
            shown[-1] += f"（{part}）"
        else:
            shown.append(label("org." + ".".join(generic), lang))
    return " ".join(shown)


def close_matches(wanted: str, names: list[str]) -> list[str]:
    import difflib

    return difflib.get_close_matches(wanted, names, n=3, cutoff=0.6)


def did_you_mean(wanted: str, names: list[str], kind: str, lang: str) -> str:
    """'did you mean …?' when a close name exists, else the list of valid names (``kind`` labels it)."""
    close = close_matches(wanted, names)
    if close:
        return text("did_you_mean", lang, names=", ".join(close))
    return text("choose_from", lang, kind=text("kind." + kind, lang), names=", ".join(names))
