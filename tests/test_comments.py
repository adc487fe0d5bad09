"""The bank's comments round trip through the real CLI: the venture submits the demo workspace, the bank fills
in the answered checklist workbook of the bundle (as a person does in Excel) and a comments YAML made from
`antai review comment-template`, the venture imports both as threads, answers, imports again (nothing is
added), and its next submission carries the threads in its verified history. Refusals and hostile files get
exact messages and exit codes, in Japanese and English.

The venture submits without the PDF extra (a shim makes `import weasyprint` fail, as on a machine without
it): the PDF is tested in test_pdf.py, and rendering it twice here would cost most of this module's time.
"""

from __future__ import annotations

import json
import re
import zipfile
from pathlib import Path
from typing import Any

import pytest
import yaml
from openpyxl import load_workbook

from antai.assessment.history import parse_lines
from antai.assessment.threads import State, threads_from_history

from .conftest import run_cli

ORGANISATION = "株式会社ミルカ（デモ）"
# words that must never reach Japanese output: the model's codes and English status words
RAW = re.compile(r"\b(open|answered|closed|question|comment|answer|close|bank|venture|ok|ask|no|item|fact)\b", re.I)


class Venture:
    """The demo workspace (which has two submissions already, signed with the demo's throwaway key) and the
    venture's own signing key for its next submission."""

    def __init__(self, base: Path) -> None:
        self.base = base
        self.ws = base / "ws"
        self.keys = base / "keys"
        shim = base / "no-pdf"
        shim.mkdir()
        (shim / "weasyprint.py").write_text(
            'raise ImportError("left out for the test", name="weasyprint")\n', encoding="utf-8"
        )
        self.env = {"ANTAI_USER": "tester", "ANTAI_KEY_DIR": str(self.keys), "PYTHONPATH": str(shim)}
        made = self.run("demo", str(self.ws))
        assert made.returncode == 0, made.stderr
        assert self.run("key", "new").returncode == 0
        self.fingerprint = json.loads(self.run("key", "show", "--format", "json").stdout)["fingerprint"]
        self.submissions = [e["after"]["id"] for e in self.history() if e["action"] == "submit"]
        self.id = self.submissions[-1]
        self.first = self.ws / "submissions" / self.id  # the bundle the bank received last
        self.threads_before = len(threads_from_history(self.history()))

    def tid(self, n: int) -> str:
        """The ID of the n-th thread this module starts (after any the demo has)."""
        return f"T{self.threads_before + n:04d}"

    def run(self, *args: str) -> Any:
        return run_cli(*args, env=self.env)

    def ws_run(self, *args: str) -> Any:
        return self.run(*args, "-C", str(self.ws))

    def submit(self) -> Path:
        for role, name in (("representative", "山田太郎"), ("security_owner", "佐藤花子")):
            signed = self.ws_run("signoff", role, name)
            assert signed.returncode == 0, signed.stderr
        submitted = self.ws_run("submit")
        assert submitted.returncode == 0, submitted.stderr
        return Path(submitted.stdout.strip())

    def history(self) -> list[dict[str, Any]]:
        return parse_lines((self.ws / "history.jsonl").read_text("utf-8"))


@pytest.fixture(scope="module")
def venture(tmp_path_factory: pytest.TempPathFactory) -> Venture:
    return Venture(tmp_path_factory.mktemp("comments"))


def bank_yaml(path: Path, submission: str, comments: str, bank: str = "〇〇銀行") -> Path:
    path.write_text(
        f"schema: antai.comments/1\nsubmission: {submission}\nbank: {bank}\nreviewer: 審査部 山田\n"
        f"comments:\n{comments}",
        encoding="utf-8",
    )
    return path


# --- the round trip ----------------------------------------------------------------------------------------


def test_the_banks_comments_come_back_as_threads_and_travel_in_the_next_submission(
    venture: Venture, tmp_path: Path
) -> None:
    t1, t2, t3, t4, t5 = (venture.tid(n) for n in range(1, 6))
    # the bank fills in the checklist workbook of the bundle, as a reviewer does in Excel
    workbook = load_workbook(venture.first / "checklist" / "api-connection.ja.xlsx")
    sheet = workbook["確認事項"]
    assert [sheet.cell(3, c).value for c in (1, 7, 8)] == ["番号", "判定（銀行記入）", "コメント（銀行記入）"]
    rows = {sheet.cell(r, 1).value: r for r in range(4, sheet.max_row + 1)}
    sheet.cell(rows["EL-01"], 7).value = "可"
    sheet.cell(rows["EL-02"], 7).value = "要確認"
    sheet.cell(rows["EL-02"], 8).value = "直近の決算書を提出してください"
    sheet.cell(rows["EL-04"], 8).value = "反社チェックの頻度を示してください"
    filled = tmp_path / "checklist-filled.xlsx"
    workbook.save(filled)

    # … and a comments file from the template, for the reviewer without Excel
    template = tmp_path / "comments.yaml"
    made = venture.run("review", "comment-template", str(venture.first), "-o", str(template))
    assert made.returncode == 0, made.stderr
    lines = template.read_text("utf-8").splitlines()
    created = json.loads((venture.first / "manifest.json").read_text("utf-8"))["created"][:10]
    assert lines[0] == f"# 提出 {venture.id}（{ORGANISATION}、{created}）への銀行のコメント（形式 antai.comments/1）。"
    skeleton = yaml.safe_load("\n".join(lines))
    assert skeleton == {
        "schema": "antai.comments/1",
        "submission": venture.id,
        "bank": "",
        "reviewer": "",
        "comments": None,
    }
    first_gap = next(n for n, line in enumerate(lines) if line.startswith("  # - target: "))
    gap = lines[first_gap].split()[3]
    lines[first_gap : first_gap + 3] = [
        lines[first_gap].replace("  # ", "  ", 1),
        lines[first_gap + 1].replace("  # ", "  ", 1),
        "    text: 完了予定を前倒しできるか",
    ]
    lines += [
        "  - target: org:governance.deputy",
        '    text: "=HYPERLINK(\\"http://x.example\\") <b>代行者</b>の任命日は？"',
    ]
    text = "\n".join(lines) + "\n"
    text = text.replace("bank: ''", "bank: 〇〇銀行").replace("reviewer: ''", "reviewer: 審査部 山田")
    comments = tmp_path / "bank-comments.yaml"
    comments.write_text(text, encoding="utf-8")

    before = len(venture.history())
    imported = venture.ws_run(
        "review", "import-comments", str(filled), "--submission", venture.id, "--bank", "〇〇銀行"
    )
    assert imported.returncode == 0, imported.stderr
    assert imported.stdout.splitlines() == [
        f"{t1} 新規 チェックリスト api-connection の EL-01［可］",
        f"{t2} 新規 チェックリスト api-connection の EL-02［要確認］ 直近の決算書を提出してください",
        f"{t3} 新規 チェックリスト api-connection の EL-04 反社チェックの頻度を示してください",
        f"{filled}: 提出 {venture.id} へのコメント 3 件を取り込んだ（新しいスレッド 3 件、続いたスレッド 0 件）",
        f"判定もコメントもない {len(rows) - 3} 行は読み飛ばした",
    ]
    assert imported.stderr.splitlines() == [
        "`antai review answer スレッド 回答` で回答する。回答は次の提出（antai submit）で銀行に届く"
    ]
    from_yaml = venture.ws_run("review", "import-comments", str(comments))
    assert from_yaml.returncode == 0, from_yaml.stderr
    shown = from_yaml.stdout.splitlines()
    assert shown[0].startswith(f"{t4} 新規 {gap} ") and shown[0].endswith("［要確認］ 完了予定を前倒しできるか")
    assert shown[1].startswith(f"{t5} 新規 組織情報: ") and "=HYPERLINK" in shown[1]
    assert (
        shown[2]
        == f"{comments}: 提出 {venture.id} へのコメント 2 件を取り込んだ（新しいスレッド 2 件、続いたスレッド 0 件）"
    )
    assert len(venture.history()) == before + 5

    answered = venture.ws_run("review", "answer", t2, "2026 年 3 月期の決算書をエビデンスとして追加した")
    assert (answered.returncode, answered.stdout) == (0, f"{t2} に回答した。次の提出（antai submit）で銀行に届く\n")
    closed_answer = venture.ws_run("review", "answer", t1, "ありがとうございます")
    assert (closed_answer.returncode, closed_answer.stderr) == (
        1,
        f"エラー: スレッド {t1} は完了している。回答も完了もできない\n",
    )

    # the same files again add nothing
    for path in (filled, comments):
        args = ("--submission", venture.id, "--bank", "〇〇銀行") if path == filled else ()
        again = venture.ws_run("review", "import-comments", str(path), *args)
        count = 3 if path == filled else 2
        assert (again.returncode, again.stdout) == (
            0,
            f"{path}: 取り込み済みである（提出 {venture.id} へのコメント {count} 件）。何も追加していない\n",
        )
    assert len(venture.history()) == before + 6

    everything = json.loads(venture.ws_run("review", "threads", "--format", "json").stdout)
    listed = everything[venture.threads_before :]
    assert [(t["id"], t["target"], t["state"], t["verdict"], t["raised_on"]) for t in listed] == [
        (t1, "checklist:api-connection/EL-01", "closed", "ok", venture.id),
        (t2, "checklist:api-connection/EL-02", "answered", "ask", venture.id),
        (t3, "checklist:api-connection/EL-04", "open", None, venture.id),
        (t4, gap, "open", "ask", venture.id),
        (t5, "org:governance.deputy", "open", None, venture.id),
    ]
    assert listed[1]["refs"] == ["org:eligibility.capital_jpy", "org:eligibility.finances"]
    assert listed[3]["messages"][0] | {"at": None} == {
        "kind": "question",
        "kind_label": "質問",
        "side": "bank",
        "side_label": "銀行",
        "author": "審査部 山田",
        "bank": "〇〇銀行",
        "at": None,
        "submission": venture.id,
        "verdict": "ask",
        "verdict_label": "要確認",
        "text": "完了予定を前倒しできるか",
    }

    states = [t["state"] for t in everything]
    counts = {state: states.count(state) for state in ("open", "answered", "closed")}
    table = venture.ws_run("review", "threads", "--open")
    assert table.returncode == 0
    shown = table.stdout.splitlines()
    at = shown.index(f"{t2}  回答済み  チェックリスト api-connection の EL-02［要確認］")
    assert shown[at + 1 : at + 3] == ["    関連: 資本金、財務の状況", f"    提出 {venture.id} への指摘"]
    open_total = counts["open"] + counts["answered"]
    assert shown[-1] == f"{open_total} 件（回答待ち {counts['open']}・回答済み {counts['answered']}・完了 0）"
    assert f"{t1}  " not in table.stdout and not RAW.findall(table.stdout)
    english = venture.ws_run("review", "threads", "--lang", "en").stdout.splitlines()
    assert f"{t1}  closed  Checklist api-connection, row EL-01 [OK]" in english
    assert english[-1] == (
        f"{len(states)} threads: awaiting an answer {counts['open']}, answered {counts['answered']}, "
        f"closed {counts['closed']}"
    )
    assert any(
        line.endswith(" UTC venture (tester) answer: 2026 年 3 月期の決算書をエビデンスとして追加した")
        for line in english
    )

    verified = venture.ws_run("verify")
    assert verified.returncode == 0, verified.stdout

    # the next submission carries every thread in its (verified) history
    second = venture.submit()
    carried = threads_from_history(parse_lines((second / "history.jsonl").read_text("utf-8")))
    assert carried == threads_from_history(venture.history())
    assert [(t.id, t.state) for t in carried if t.id in (t1, t2)] == [(t1, State.CLOSED), (t2, State.ANSWERED)]
    # signed with the venture's own key; the demo signed the earlier ones with a throwaway key
    checked = venture.run("review", "verify", str(second), "--key", venture.fingerprint)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    manifest = json.loads((second / "manifest.json").read_text("utf-8"))
    assert manifest["previous"]["id"] == venture.id

    # the bank replies on the next submission: the thread continues, and the bank's OK settles it
    reply = bank_yaml(tmp_path / "reply.yaml", second.name, f"  - thread: {t2}\n    verdict: 可\n    text: 確認した\n")
    continued = venture.ws_run("review", "import-comments", str(reply), "--lang", "en")
    assert continued.returncode == 0, continued.stderr
    assert continued.stdout.splitlines() == [
        f"{t2} updated Checklist api-connection, row EL-02 [OK] 確認した",
        f"{reply}: imported 1 comment(s) on submission {second.name} (threads: 0 new, 1 updated)",
    ]
    final = {t["id"]: t for t in json.loads(venture.ws_run("review", "threads", "--format", "json").stdout)}
    assert (final[t2]["state"], final[t2]["verdict"], final[t2]["raised_on"]) == ("closed", "ok", venture.id)
    assert [m["submission"] for m in final[t2]["messages"]] == [venture.id, venture.id, second.name]


def test_the_template_lists_the_submissions_gaps_and_missing_facts(venture: Venture) -> None:
    made = venture.run("review", "comment-template", str(venture.first), "--lang", "en")
    assert made.returncode == 0, made.stderr
    lines = made.stdout.splitlines()
    assert lines[0].startswith(f"# The bank's comments on submission {venture.id} ({ORGANISATION}, ")
    report = json.loads(next((venture.first / "report").glob("*.json")).read_text("utf-8"))
    gaps = [line.split()[3] for line in lines if line.startswith("  # - target: ") and ":" not in line.split()[3]]
    assert gaps == [g["id"] for g in report["scores"]["gaps"]]
    facts = [line.split()[3] for line in lines if line.startswith("  # - target: org:")]
    assert facts == ["org:" + path for path in report["missing_facts"]]
    inside = venture.run("review", "comment-template", str(venture.first), "-o", str(venture.first / "c.yaml"))
    assert inside.returncode == 2 and not (venture.first / "c.yaml").exists()


# --- refusals --------------------------------------------------------------------------------------------


def test_comments_on_what_does_not_exist_are_refused_whole(venture: Venture, tmp_path: Path) -> None:
    from antai.catalog import load_catalog
    from antai.catalog.yamlsource import SourceError
    from antai.checklists.loader import builtin_path, load_checklist
    from antai.messages import text
    from antai.submission.comments import read_comments

    before = len(venture.history())
    wrong = bank_yaml(
        tmp_path / "wrong.yaml",
        venture.id,
        "  - target: IAM-01\n    text: fine\n"
        "  - target: ZZZ-99\n    text: 何か\n"
        "  - target: org:governance.nothing\n    text: 何か\n"
        "  - target: checklist:api-connection/EL-99\n    text: 何か\n"
        "  - target: checklist:my-bank/A-1\n    verdict: maybe\n",
    )
    refused = venture.ws_run("review", "import-comments", str(wrong))
    assert refused.returncode == 1
    assert refused.stderr.splitlines() == [
        f"{wrong}:15:14: 'maybe' は判定ではない（可, 要確認, 不可, OK, Ask, No）",
        f"エラー: {wrong}: 1 件の問題がある。何も取り込んでいない",
    ]
    wrong.write_text(wrong.read_text("utf-8").replace("maybe", "不可"), encoding="utf-8")
    refused = venture.ws_run("review", "import-comments", str(wrong))
    catalog = json.loads((venture.ws / "catalog-lock.json").read_text("utf-8"))["catalog_version"]
    assert (refused.returncode, refused.stdout) == (1, "")
    assert refused.stderr.splitlines() == [
        f"{wrong}:8:5: 'ZZZ-99' はカタログ {catalog} の項目ではない",
        f"{wrong}:10:5: 'governance.nothing' は組織情報の項目ではない（`antai org --paths` で一覧を見る）",
        f"{wrong}:12:5: チェックリスト 'api-connection' に行 'EL-99' はない",
        f"{wrong}:14:5: チェックリスト 'my-bank' はない"
        "（既知: api-connection。自分のチェックリストなら --checklist FILE を付ける）",
        f"エラー: {wrong}: 4 件の問題がある。何も取り込んでいない",
    ]
    unknown = bank_yaml(tmp_path / "unknown.yaml", "org-20990101-9", "  - target: IAM-01\n    text: 何か\n")
    refused = venture.ws_run("review", "import-comments", str(unknown), "--lang", "en")
    assert refused.returncode == 1
    assert refused.stderr.splitlines()[0] == (
        f"{unknown}:2:13: the comments are on submission org-20990101-9, which this workspace's history does not "
        f"record (submissions: {', '.join(s['after']['id'] for s in venture.history() if s['action'] == 'submit')})"
    )
    workbook = load_workbook(venture.first / "checklist" / "api-connection.ja.xlsx")
    sheet = workbook["確認事項"]
    sheet.cell(sheet.max_row + 1, 1).value = "XX-01"
    sheet.cell(sheet.max_row, 7).value = "不可"
    sheet.cell(sheet.max_row, 8).value = "この行は何か"
    extra_row = tmp_path / "extra-row.xlsx"
    workbook.save(extra_row)
    refused = venture.ws_run("review", "import-comments", str(extra_row), "--submission", venture.id)
    assert refused.returncode == 1
    assert refused.stderr.splitlines()[0] == (
        f"{extra_row}:{sheet.max_row}:8: チェックリスト 'api-connection' に行 'XX-01' はない"
    )
    for column in (7, 8):  # as `antai checklist answer` writes it: no submission named in the header rows
        sheet.cell(1, column).value = sheet.cell(2, column).value = None
    workbook.save(extra_row)
    path = builtin_path("api-connection")
    assert path is not None
    with pytest.raises(SourceError) as caught:  # the checklist is known by its title, the submission is not
        read_comments(extra_row, checklists=[load_checklist(path, load_catalog())])
    assert [(p.code, f"{p.line}:{p.column}") for p in caught.value.problems] == [("comments.no_submission", "1:1")]
    assert text("comments.no_submission", "ja") == (
        "ブックが提出番号を示していない: 提出バンドルのチェックリストを使うか --submission ID を付ける"
    )
    assert len(venture.history()) == before

    missing = venture.ws_run("review", "import-comments", str(tmp_path / "none.yaml"))
    assert (missing.returncode, missing.stderr) == (2, f"エラー: {tmp_path / 'none.yaml'}: ファイルがない\n")
    unknown_thread = venture.ws_run("review", "answer", "T9999", "text")
    assert (unknown_thread.returncode, unknown_thread.stderr) == (
        2,
        "エラー: スレッド T9999 はない（`antai review threads` で一覧を見る）\n",
    )
    english = venture.ws_run("review", "answer", "T9999", "text", "--lang", "en")
    assert (english.returncode, english.stderr) == (2, "Error: no thread T9999 (see `antai review threads`)\n")


def test_hostile_comment_files_are_refused_quickly_with_a_position(venture: Venture, tmp_path: Path) -> None:
    from antai.catalog.yamlsource import SourceError
    from antai.messages import text
    from antai.submission.comments import read_comments

    before = len(venture.history())
    aliases = tmp_path / "aliases.yaml"
    aliases.write_text(
        f"schema: antai.comments/1\nsubmission: &s {venture.id}\nbank: *s\nreviewer: r\ncomments: []\n",
        encoding="utf-8",
    )
    refused = venture.ws_run("review", "import-comments", str(aliases))
    assert refused.returncode == 1
    assert refused.stderr.splitlines() == [
        f"{aliases}:2:13: アンカーとエイリアス（&名前・*名前）は antai のファイルでは使えない: 値をそのまま書く",
        f"エラー: {aliases}: 1 件の問題がある。何も取り込んでいない",
    ]
    bomb = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive, archive.open("xl/worksheets/s.xml", "w") as f:
        for _ in range(64):
            f.write(bytes(1024 * 1024))
    assert bomb.stat().st_size < 200_000
    refused = venture.ws_run("review", "import-comments", str(bomb), "--lang", "en")
    assert (refused.returncode, refused.stderr.splitlines()) == (
        1,
        [
            f"{bomb}:1:1: the workbook unpacks to 67,108,864 bytes; at most 52,428,800",
            f"Error: {bomb}: 1 problem(s); nothing was imported",
        ],
    )
    # the same readers in this process: every problem has a position, a code and Japanese words
    huge = bank_yaml(tmp_path / "huge.yaml", venture.id, "  - target: IAM-01\n    text: " + "あ" * 200_000 + "\n")
    deep = tmp_path / "deep.yaml"
    deep.write_text("schema: antai.comments/1\ncomments: " + "[" * 40 + "]" * 40 + "\n", encoding="utf-8")
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"PK\x03\x04" + b"\x00" * 100)
    long_text = bank_yaml(tmp_path / "long.yaml", venture.id, "  - target: IAM-01\n    text: " + "x" * 4001 + "\n")
    expected = {
        huge: ("1:1", "comments.too_big", "ファイルが 524,288 バイトを超えている（コメントのファイルの上限）"),
        bomb: ("1:1", "comments.unpacked", "ブックを展開すると 67,108,864 バイトになる（上限 52,428,800 バイト）"),
        broken: ("1:1", "comments.not_zip", "XLSX ファイルではない（zip 形式でない）"),
        deep: ("2:26", "yaml.too_deep", ""),  # worded by cli/problem_words.py
        long_text: ("7:11", "yaml.value_too_long", ""),
    }
    for path, (where, code, japanese) in expected.items():
        with pytest.raises(SourceError) as caught:
            read_comments(path)
        (problem,) = caught.value.problems
        assert (f"{problem.line}:{problem.column}", problem.code) == (where, code), str(problem)
        if japanese:
            assert text(code, "ja", **dict(problem.params)) == japanese
    assert str(caught.value) == f"{long_text}:7:11: a value longer than 4,000 characters (the limit for one value)"
    with pytest.raises(SourceError) as caught:
        read_comments(deep)
    assert str(caught.value) == f"{deep}:2:26: nested deeper than 16 levels (the limit for antai files)"
    assert len(venture.history()) == before


# --- the labelled workbook and the report wording -----------------------------------------------------------


def test_a_checklist_written_for_a_submission_names_it_and_is_read_without_help(
    venture: Venture, tmp_path: Path
) -> None:
    from antai.catalog import load_catalog
    from antai.checklists.answer import answer_checklist
    from antai.checklists.loader import builtin_path, load_checklist
    from antai.reports.checklist import checklist_xlsx
    from antai.submission.comments import read_comments
    from antai.tailoring.plan import make_plan
    from antai.workspace.store import FileStore

    catalog = load_catalog()
    assessment = FileStore(venture.ws).load().assessment
    path = builtin_path("api-connection")
    assert path is not None
    checklist = load_checklist(path, catalog)
    answered = answer_checklist(
        checklist, catalog, make_plan(catalog, assessment.profile), assessment, assessment.meta.created
    )
    plain, named = tmp_path / "plain.xlsx", tmp_path / "named.xlsx"
    plain.write_bytes(checklist_xlsx(answered, "ja"))
    named.write_bytes(checklist_xlsx(answered, "ja", submission_id=venture.id))
    sheets = [load_workbook(p)["確認事項"] for p in (plain, named)]
    cells = [[[c.value for c in row] for row in s.iter_rows()] for s in sheets]
    assert [row[6:8] for row in cells[0][:2]] == [[None, None], [None, None]]
    assert [row[6:8] for row in cells[1][:2]] == [["提出番号", venture.id], ["チェックリスト", "api-connection"]]
    assert cells[0][2:] == cells[1][2:] and [r[:6] for r in cells[0][:2]] == [r[:6] for r in cells[1][:2]]

    workbook = load_workbook(named)
    workbook["確認事項"]["H5"] = "=1+1"  # a formula is never computed: its cell reads as empty
    workbook["確認事項"]["G6"] = "No"
    workbook.save(named)
    found = read_comments(named, bank="〇〇銀行")
    assert (found.submission, found.bank, found.reviewer, found.format) == (venture.id, "〇〇銀行", "〇〇銀行", "xlsx")
    assert [(c.target, c.verdict, c.text, c.where) for c in found.comments] == [
        ("checklist:api-connection/EL-03", "no", "", f"{named}:6:7"),
    ]


def test_threads_render_escaped_formula_safe_and_worded(venture: Venture) -> None:
    from openpyxl import load_workbook as read

    from antai.catalog import load_catalog
    from antai.reports.threads import threads_html, threads_markdown, threads_out, threads_xlsx

    found = threads_from_history(venture.history())
    assert found, "the round trip test runs first"
    for lang in ("ja", "en"):
        out = threads_out(found, lang, load_catalog())
        page = threads_html(out, lang)
        assert "<b>代行者</b>" not in page and "&lt;b&gt;代行者&lt;/b&gt;" in page
        markdown = threads_markdown(out, lang)
        assert "&lt;b&gt;" in markdown and "<b>" not in markdown
        import io

        sheet = read(io.BytesIO(threads_xlsx(out, lang))).active
        texts = [c for row in sheet.iter_rows() for c in row if isinstance(c.value, str) and c.value.startswith("=")]
        assert texts and all(c.data_type == "s" and c.quotePrefix for c in texts)
        if lang == "ja":
            visible = re.sub(r"<[^>]+>", " ", page)
            visible = re.sub(r"(checklist|org):[\w./-]+|=HYPERLINK\([^)]*\)", " ", visible)
            assert not RAW.findall(visible), RAW.findall(visible)
            assert "<h2>銀行とのコメントのやり取り</h2>" in page
        else:
            assert "<h2>Comment threads with the bank</h2>" in page
