"""Wording lives at the edge: Japanese output says everything in Japanese (paths, IDs and positions
aside), English output keeps the core's sentences, and interactive answers are asked again or kept."""

from __future__ import annotations

import ast
import io
import re
import string
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

from antai import errors, messages
from antai.cli.app import cli
from antai.messages import error_text, issue_text

from .conftest import fresh_workspace, init_template, run_cli

CLI = Path(__file__).resolve().parent.parent / "src" / "antai" / "cli"
CORE = CLI.parent
ENV = {"ANTAI_USER": "tester"}

# English words that must not reach a Japanese reader (status values and the fixed words of messages)
ENGLISH = re.compile(
    r"\b(unanswered|implemented|partial|planned|not_implemented|not_applicable|risk_accepted|compensated|"
    r"recorded|withdrawn|nothing|dry run|changed outside|history entries|evidence files|needs you|"
    r"removed stray|completed the|rolled back|items that apply|already on catalog|busy|newer antai|"
    r"no item|not a date|refusing)\b",
    re.IGNORECASE,
)


def _words(text: str) -> str:
    """Output without paths, option names and commands quoted in backticks, which stay as they are."""
    text = re.sub(r"`[^`]*`", "", text)
    text = re.sub(r"\w+（[^）]*）", "", text)  # a value to type, shown with its label: implemented（実施済み）
    text = re.sub(r"--[a-z-]+", "", text)
    text = re.sub(r"'[^']*'", "", text)  # what the user typed, echoed back
    return " ".join(token for token in text.split() if "/" not in token)


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return init_template(tmp_path_factory, "Lang KK")


@pytest.fixture
def ws(template: Path, tmp_path: Path) -> Path:
    return fresh_workspace(template, tmp_path / "ws")


def test_workspace_commands_speak_japanese(ws: Path, tmp_path: Path) -> None:
    source = tmp_path / "report.txt"
    source.write_text("ok\n", encoding="utf-8")
    steps: list[tuple[list[str], int]] = [
        (["set", "IAM-01", "--status", "implemented", "--owner", "CTO"], 0),
        (["set", "IAM-02", "--status", "planned", "--due", "2027-03-31"], 0),
        (["set", "IAM-03", "--status", "planned"], 1),
        (["set", "IAM-01", "--status", "not_applicable", "--reason", "x"], 1),
        (["set", "IAM-02", "--status", "risk_accepted"], 2),
        (["set", "IAM-02", "--due", "someday"], 2),
        (["set", "NOPE-01", "--status", "implemented"], 2),
        (["set", "IAM-02", "--status", "compensated", "--reason", "x", "--by", "nope"], 1),
        (["accept", "ASR-04", "--rationale", "r", "--approver", "CEO", "--expires", "2099-01-01"], 0),
        (["evidence", "add", "IAM-01", str(source)], 0),
        (["evidence", "add", "IAM-01", str(tmp_path / "missing.pdf")], 2),
        (["evidence", "add", "IAM-01", str(tmp_path)], 1),
        (["evidence", "list"], 0),
        (["evidence", "withdraw", "E0001", "--reason", "superseded"], 0),
        (["evidence", "withdraw", "E0001", "--reason", "again"], 1),
        (["org", "set", "security_owner", "山田"], 0),
        (["org", "set", "security_ownr", "山田"], 2),
        (["org"], 0),
        (["profile", "set", "channels+=web", "--dry-run"], 0),
        (["upgrade"], 0),
        (["log"], 0),
        (["verify"], 0),
        (["validate"], 0),
        (["record", "-m", "nothing"], 1),
        (["repair"], 0),
    ]
    for args, code in steps:
        result = run_cli(*args, "-C", str(ws), env=ENV)
        assert result.returncode == code, (args, result.stdout, result.stderr)
        shown = _words(result.stdout + result.stderr)
        assert not ENGLISH.search(shown), (args, ENGLISH.search(shown), shown)
        assert "Error:" not in result.stderr, args
    log = run_cli("log", "-C", str(ws), env=ENV).stdout
    assert "未回答 → 実施済み" in log and "組織情報" in log


def test_the_same_commands_in_english_keep_the_core_sentences(ws: Path) -> None:
    planned = run_cli("set", "IAM-03", "--status", "planned", "--lang", "en", "-C", str(ws), env=ENV)
    assert planned.returncode == 1 and "a planned item needs a due date" in planned.stderr
    done = run_cli("--lang", "en", "set", "IAM-01", "--status", "implemented", "-C", str(ws), env=ENV)
    assert done.stdout.strip() == "IAM-01: implemented"
    checked = run_cli("verify", "-C", str(ws), env={**ENV, "ANTAI_LANG": "en"})
    assert checked.stdout.startswith("OK: 2 history entries intact")


def test_hand_edit_problems_keep_their_positions_in_japanese(ws: Path) -> None:
    answers = ws / "answers.yaml"
    lines = answers.read_text("utf-8").splitlines()
    n = lines.index("  IAM-02:")
    lines[n + 1] = "    status: risk_accepted"
    answers.write_text("\n".join(lines) + "\n", "utf-8")
    result = run_cli("validate", "-C", str(ws), env=ENV)
    assert result.returncode == 1
    assert f"{answers}:{n + 2}:" in result.stdout and "裏付ける決定がない" in result.stdout
    refused = run_cli("set", "IAM-01", "--status", "implemented", "-C", str(ws), env=ENV)
    assert refused.returncode == 1 and "answers.yaml が antai の外で変更され" in refused.stderr


# --- the message table -------------------------------------------------------------------------------------


def _fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def test_both_languages_of_every_sentence_take_the_same_values() -> None:
    for key, (ja, en) in messages._TEXT.items():
        assert _fields(ja) <= _fields(en), key  # Japanese may leave out what the prompt already shows


def test_every_sentence_the_cli_asks_for_exists() -> None:
    wanted: set[str] = set()
    for path in CLI.rglob("*.py"):
        if path.name in ("plan_view.py", "status_view.py"):  # views word themselves (reports.wording)
            continue
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Constant):
                name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
                if name in ("say", "text") and isinstance(node.args[0].value, str):
                    wanted.add(node.args[0].value)
    assert wanted and wanted <= set(messages._TEXT), wanted - set(messages._TEXT)


def _core_codes() -> set[str]:
    found: set[str] = set()
    for path in CORE.rglob("*.py"):
        if CLI in path.parents:
            continue
        text = path.read_text("utf-8")
        found.update(re.findall(r"""\bcode=["']([a-z_]+)["']""", text))
        found.update(re.findall(r"""^\s+code = ["']([a-z_]+)["']""", text, flags=re.MULTILINE))
    return found


# codes that only name a class of error; their instances always carry a specific code (checked below)
GENERIC = {"error", "not_found", "invalid", "damaged"}


def test_every_error_code_of_the_core_has_japanese_wording() -> None:
    translated, issues = messages.translated_codes()
    assert _core_codes() - GENERIC <= translated, _core_codes() - GENERIC - translated
    from antai.assessment.state import _ISSUE_TEXT

    assert set(_ISSUE_TEXT) == issues


CASES: list[tuple[errors.AntaiError, dict[str, Any], str]] = [
    (errors.NotFound("no item X-01", code="unknown_item", item="X-01"), {}, "項目 X-01 はない"),
    (errors.InvalidChange("…", code="not_in_plan", item="IOC-01"), {}, "IOC-01 はこのサービス"),
    (errors.InvalidChange("…", code="use_accept", item="A-01"), {}, "antai accept A-01"),
    (errors.InvalidChange("A-01: a planned item needs a due date", code="rule", item="A-01"), {}, "A-01: 実施予定"),
    (errors.InvalidChange("A-01: 'not_applicable' needs a reason", code="rule", item="A-01"), {}, "該当なしには理由"),
    (errors.InvalidChange("…", code="mandatory_not_applicable", item="A-01"), {}, "--approver"),
    (errors.InvalidChange("…", code="unknown_compensation", item="A-01", target="zz"), {}, "'zz'"),
    (errors.InvalidChange("…", code="field_not_for_status", item="A-01", field="due"), {}, "実施予定"),
    (errors.UnrecordedEdits(["answers.yaml"]), {}, "answers.yaml が antai の外で変更され"),
    (errors.Busy("…", timeout=0.5), {"workspace": "ws"}, "ws: ワークスペースは使用中"),
    (errors.NewerFormat("…", found=3, supported=2), {}, "形式 3"),
    (errors.NewerFormat("…", pinned="9.0.0", available="0.1.0"), {}, "9.0.0"),
    (errors.InvalidChange("…", code="needs_upgrade", pinned="0.1.0", available="0.2.0"), {}, "antai upgrade"),
    (errors.NotFound("…", code="no_file"), {"source": "a.pdf"}, "a.pdf: ファイルを読めない"),
    (errors.InvalidChange("…", code="symlink"), {"source": "a.pdf"}, "シンボリックリンク"),
    (errors.InvalidChange("…", code="empty_file"), {"source": "a.pdf"}, "空"),
    (errors.InvalidChange("…", code="too_big"), {"source": "a.pdf"}, "50 MB"),
    (errors.InvalidChange("…", code="bad_url"), {"source": "ftp://x"}, "http(s)"),
    (errors.NotFound("…", code="unknown_evidence"), {"evidence": "E0009"}, "E0009"),
]


@pytest.mark.parametrize(("exc", "context", "expected"), CASES, ids=[c[0].code for c in CASES])
def test_core_errors_in_japanese(exc: errors.AntaiError, context: dict[str, Any], expected: str) -> None:
    shown = error_text(exc.code, {**context, **exc.params}, str(exc), "ja")
    assert expected in shown and shown != str(exc)
    assert error_text(exc.code, {**context, **exc.params}, str(exc), "en") == str(exc)


def test_an_untranslated_code_or_a_missing_value_falls_back_to_english() -> None:
    assert error_text("brand_new_code", {}, "something new", "ja") == "something new"
    assert error_text("unknown_item", {}, "no item ?", "ja") == "no item ?"  # no item to name
    assert issue_text("brand_new", {}, "english", "ja") == "english"


# --- interactive answers -------------------------------------------------------------------------------------


def test_assess_asks_again_after_a_wrong_number_date_or_compensation(ws: Path) -> None:
    answers = "\n".join(
        [
            "9",  # not on the menu: asked again
            "3",  # planned
            "next month",  # not a date: asked again
            "2027-03-31",
            "CTO",
            "6",  # compensated
            "ALB enforces the TLS policy",
            "foo",  # neither an item nor a note: asked again
            "immutable-infrastructure",
            "",
            "q",
        ]
    )
    result = CliRunner(env=ENV).invoke(cli, ["assess", "-C", str(ws), "--lang", "ja"], input=answers + "\n")
    assert result.exit_code == 0, result.output
    first, second = re.findall(r"\[\d+/\d+\] ([A-Z]+-\d+)", result.output)[:2]
    saved = yaml.safe_load((ws / "answers.yaml").read_text("utf-8"))["answers"]
    assert saved[first]["status"] == "planned" and str(saved[first]["due"]) == "2027-03-31"
    assert saved[first]["owner"] == "CTO"
    assert saved[second]["status"] == "compensated" and saved[second]["compensated_by"] == "immutable-infrastructure"
    assert "'9'" in result.output and "日付ではない" in result.output and "新技術ノートでもない" in result.output
    assert not ENGLISH.search(_words(result.output.replace("immutable-infrastructure", "")))


class _CtrlCAfter(io.BytesIO):
    """Standard input that delivers its lines, then Ctrl-C while the next answer is awaited."""

    def read1(self, size: int = -1) -> bytes:
        chunk = super().read1(size)
        if chunk or size == 0:
            return chunk
        raise KeyboardInterrupt

    def read(self, size: int | None = -1) -> bytes:
        return self.read1(-1 if size is None else size)


def test_ctrl_c_in_profile_new_saves_the_answers_so_far(tmp_path: Path) -> None:
    from antai.catalog.conditions import Business
    from antai.tailoring.profile import load_profile

    out = tmp_path / "profile.yaml"
    args = ["profile", "new", "--interactive", "--lang", "ja", "-o", str(out)]
    result = CliRunner().invoke(cli, args, input=_CtrlCAfter(b"My Pay\n2,3\n"))
    assert result.exit_code == 130, result.output
    assert "ここまでの回答" in result.output and str(out) in result.output
    kept = load_profile(out)
    assert kept.name == "My Pay" and set(kept.business) == {Business.PAYMENTS, Business.BANK_API_READ}
    again = CliRunner().invoke(cli, args, input="\n" * 19)  # Enter keeps every saved answer
    assert again.exit_code == 0, again.output
    assert load_profile(out).name == "My Pay"
    lost = CliRunner().invoke(cli, args[:-2], input=_CtrlCAfter(b"My Pay\n"))
    assert lost.exit_code == 130 and "保存していない" in lost.output


def test_questionnaire_accepts_japanese_numbers_and_explains_wrong_ones(tmp_path: Path) -> None:
    out = tmp_path / "p.yaml"
    answers = ["", "pfm", "n", "-", "-", "-", "n", "五万", "5万", "0", "3", "はい", "n", *[""] * 8]
    result = CliRunner().invoke(
        cli, ["profile", "new", "--interactive", "--lang", "ja", "-o", str(out)], input="\n".join(answers) + "\n"
    )
    assert result.exit_code == 0, result.output
    assert "整数で答える" in result.output and "1 以上の数で答える" in result.output
    from antai.tailoring.profile import load_profile

    saved = load_profile(out)
    assert saved.users == 50_000 and saved.staff == 3 and saved.manual_data_entry is True
