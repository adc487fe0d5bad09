"""File problems in Japanese: the position stays, the wording follows --lang, and unknown codes keep English."""

from __future__ import annotations

from pathlib import Path

from antai.catalog.yamlsource import Problem
from antai.cli.problem_words import problem_text

from .conftest import run_cli

BAD_PROFILE = "users: lots\nstaff: 0\ndata: [cards]\nbogus: 1\nstaf: 3\nwhen: 2027-02-30\nusers: 2\n"


def test_profile_problems_are_worded_in_japanese_at_the_same_positions(tmp_path: Path) -> None:
    profile = tmp_path / "profile.yaml"
    profile.write_text(BAD_PROFILE, "utf-8")
    ja = run_cli("plan", "--profile", str(profile), "--lang", "ja")
    en = run_cli("plan", "--profile", str(profile), "--lang", "en")
    assert ja.returncode == en.returncode == 1
    assert ja.stderr.splitlines()[:2] == [
        f"{profile}:6:7: 2027-02-30 は実在しない日付",
        f"{profile}:7:1: キー 'users' が重複している（最初は 1 行目）",
    ]
    assert en.stderr.splitlines()[:2] == [
        f"{profile}:6:7: 2027-02-30 is not a real date",
        f"{profile}:7:1: duplicate key 'users' (first on line 1)",
    ]


def test_model_problems_are_worded_in_japanese(tmp_path: Path) -> None:
    profile = tmp_path / "profile.yaml"
    profile.write_text("users: lots\nstaff: 0\ndata: [cards]\nbogus: 1\nstaf: 3\n", "utf-8")
    ja = run_cli("plan", "--profile", str(profile), "--lang", "ja")
    assert ja.returncode == 1
    assert ja.stderr.splitlines() == [
        f"{profile}:1:8: users: 整数で書く",
        f"{profile}:2:8: staff: 1 以上にする",
        f"{profile}:3:8: data[0]: 次のいずれかにする: 'personal'、'sensitive_personal'、'card'、'bank_credentials'、"
        "'my_number'",
        f"{profile}:4:1: 未知の項目 'bogus'",
        f"{profile}:5:1: 未知の項目 'staf'（'staff' の誤りでは？）",
        f"エラー: {profile}: プロファイルに 5 件の問題がある",
    ]
    assert "Input should" not in ja.stderr


def test_an_unknown_code_keeps_the_english_message() -> None:
    problem = Problem("a.yaml", 3, 4, "something only English knows", "value.some_new_pydantic_type", (("x", "1"),))
    assert problem_text(problem, "ja") == "a.yaml:3:4: something only English knows"
    assert problem_text(problem, "en") == "a.yaml:3:4: something only English knows"
    broken = Problem("a.yaml", 1, 1, "must be 5 or more", "value.greater_than_equal", (("path", "n"),))  # no ge
    assert problem_text(broken, "ja") == "a.yaml:1:1: must be 5 or more"
