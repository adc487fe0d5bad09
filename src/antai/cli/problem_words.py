"""File problems (``file:line:column: message``) in the user's language.

The readers word every problem in English and attach a code and its parameters; this adapter words the
codes it knows in Japanese. A problem whose code it does not know keeps the English text, so nothing is lost.
"""

from __future__ import annotations

from antai.catalog.yamlsource import Problem

# pydantic's error types (https://docs.pydantic.dev/latest/errors/validation_errors/) as antai users meet them
_VALUE_JA = {
    "int_type": "整数で書く",
    "int_parsing": "整数で書く",
    "int_from_float": "小数のない整数で書く",
    "float_type": "数値で書く",
    "float_parsing": "数値で書く",
    "bool_type": "true か false で書く",
    "bool_parsing": "true か false で書く",
    "string_type": "文字列で書く",
    "list_type": "リスト（- で始まる行の並び）で書く",
    "dict_type": "「項目: 値」の組（マッピング）で書く",
    "model_type": "「項目: 値」の組（マッピング）で書く",
    "model_attributes_type": "「項目: 値」の組（マッピング）で書く",
    "date_type": "日付（YYYY-MM-DD）で書く",
    "date_parsing": "日付（YYYY-MM-DD）で書く",
    "date_from_datetime_parsing": "日付（YYYY-MM-DD）で書く",
    "date_from_datetime_inexact": "時刻を付けずに日付（YYYY-MM-DD）で書く",
    "datetime_type": "日時（YYYY-MM-DDTHH:MM:SS+09:00 など）で書く",
    "datetime_parsing": "日時（YYYY-MM-DDTHH:MM:SS+09:00 など）で書く",
    "greater_than_equal": "{ge} 以上にする",
    "greater_than": "{gt} より大きくする",
    "less_than_equal": "{le} 以下にする",
    "less_than": "{lt} より小さくする",
    "enum": "次のいずれかにする: {expected}",
    "literal_error": "次のいずれかにする: {expected}",
    "string_too_short": "{min_length} 文字以上にする",
    "string_too_long": "{max_length} 文字以下にする",
    "too_short": "{min_length} 件以上にする",
    "too_long": "{max_length} 件以下にする",
    "string_pattern_mismatch": "形式が正しくない（{pattern} に合わない）",
    "url_parsing": "URL の形式が正しくない",
    "url_scheme": "使える URL の種類は {expected_schemes}",
}


# what a model's own rule says (pydantic's value_error), by its English text
_RULE_JA = {
    "values must not repeat": "同じ値を 2 回以上書いている",
}

# problems of the file itself, before its content is read (catalog/yamlsource.py)
_FILE_JA = {
    "yaml.invalid": "YAML として読めない: この位置の前後で括弧・引用符の閉じ忘れや字下げのずれがないか確かめる",
    "yaml.bad_character": "YAML では使えない文字 {char} がある（バイナリファイルでは？）",
    "yaml.not_utf8": "UTF-8 のテキストではない（バイト 0x{byte}）: UTF-8 で保存し直す",
    "yaml.too_deep": "入れ子が深すぎる（antai のファイルは {limit} 段まで）",
    "yaml.too_many_values": "値が多すぎる（antai のファイルは 1 ファイルに {limit} 個まで）",
    "yaml.value_too_long": "値が長すぎる（1 つの値は {limit} 文字まで）",
    "yaml.complex_key": "キーには値を 1 つだけ書く（リストやマッピングはキーにできない）",
    "yaml.second_document": "ここから 2 つ目の YAML 文書が始まっている: antai のファイルには 1 つだけ書く",
    "yaml.merge_key": "マージキー（<<）は antai のファイルでは使えない",
    "yaml.control_character": "値に制御文字 {char} は使えない",
    "yaml.tag": "タグ {tag} は antai のファイルでは使えない",
    # the scanners' mapping tables (antai catalog validate)
    "mapping.unknown_item": "{rule} の対応先 {item} はカタログにない項目である",
    "mapping.both": "{rule} が対応付けと除外（ignored）の両方にある",
}
_UNREADABLE_JA = {
    "ENOENT": "ファイルがない",
    "EACCES": "読む権限がない",
    "EPERM": "読む権限がない",
    "EISDIR": "フォルダであってファイルではない",
}
_NOT_MAPPING_JA = {
    "nothing": "中身がない: 「項目: 値」の組（マッピング）を書く",
    "list": "「項目: 値」の組（マッピング）を書く（リストが書かれている）",
    "value": "「項目: 値」の組（マッピング）を書く（値が 1 つだけ書かれている）",
}


def problem_text(problem: Problem, lang: str) -> str:
    """``file:line:column: message`` worded in ``lang`` (English, or Japanese where the code is known)."""
    message = _japanese(problem) if lang == "ja" else None
    return f"{problem.file}:{problem.line}:{problem.column}: {message or problem.message}"


def _japanese(problem: Problem) -> str | None:
    p = problem.param
    code = problem.code
    # --- antai import (scanner outputs) ---
    if code.startswith("import."):
        return _import_japanese(problem)
    # --- end antai import ---
    if code == "value.missing":
        inside = f"（{p('path')} の中）" if p("path") else ""
        return f"必須の項目 '{p('field')}' がない{inside}"
    if code == "value.extra_forbidden":
        hint = f"（'{p('suggestion')}' の誤りでは？）" if p("suggestion") else ""
        return f"未知の項目 '{p('field')}'{hint}"
    if code == "yaml.unreal_date":
        return f"{p('value')} は実在しない日付"
    if code == "yaml.anchors":
        return "アンカーとエイリアス（&名前・*名前）は antai のファイルでは使えない: 値をそのまま書く"
    if code == "yaml.duplicate_key":
        return f"キー '{p('key')}' が重複している（最初は {p('first')} 行目）"
    if code == "yaml.tab":
        return "YAML の誤り: タブで字下げしたり値を始めたりはできない。空白を使う"
    if code == "yaml.empty":
        return "ファイルが空"
    if code == "yaml.more_problems":
        return f"このファイルにはほかに {p('more')} 件の問題がある（最初の {p('shown')} 件を表示）"
    if code in _FILE_JA:
        try:
            return _FILE_JA[code].format(**dict(problem.params))
        except (KeyError, IndexError):
            return None
    if code == "yaml.too_big":
        if p("size"):
            return f"ファイルが {p('size')} バイトある（antai のファイルは {p('limit')} バイトまで）"
        return f"ファイルが上限の {p('limit')} バイトを超えている"
    if code == "yaml.unreadable":
        return _UNREADABLE_JA.get(p("errno"), "ファイルを読めない")
    if code == "yaml.not_mapping":
        return _NOT_MAPPING_JA.get(p("found"))
    if code == "value.value_error" and p("text") in _RULE_JA:
        text = _RULE_JA[p("text")]
        return f"{p('path')}: {text}" if p("path") else text
    if code.startswith("value."):
        template = _VALUE_JA.get(code.removeprefix("value."))
        if template is None:
            return None
        params = dict(problem.params)
        if "expected" in params:  # pydantic lists choices as "'a', 'b' or 'c'"
            params["expected"] = params["expected"].replace(" or ", "、").replace(", ", "、")
        try:
            text = template.format(**params)
        except (KeyError, IndexError):
            return None
        return f"{p('path')}: {text}" if p("path") else text
    return None


# --- antai import (scanner outputs) ---
def _import_japanese(problem: Problem) -> str | None:
    """An importer's problem (codes ``import.<reason>``) in Japanese, from messages.py's import section."""
    from antai import messages

    reason = problem.code.removeprefix("import.")
    params = dict(problem.params)
    if reason == "invalid":
        reason = f"invalid.{params.get('reason') or 'other'}"
    if reason == "shape":
        params["found"] = messages.word("import_problem.found", params.get("found", ""), "ja")
    key = f"import_problem.{reason}"
    if key not in messages._TEXT:
        return None
    try:
        return messages.text(key, "ja", **params)
    except (KeyError, IndexError):
        return None


# --- end antai import ---
