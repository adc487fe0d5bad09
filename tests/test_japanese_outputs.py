"""Japanese means Japanese (issue 10, part 8): every `--lang ja` output a bank or an executive reads carries no
raw enum code, English status word or library value in its visible text — the bank report in every format
(HTML, XLSX, Markdown, the PDF and its FISC appendix as `pdftotext` reads them; JSON is for machines), the
exec report, the answered bank checklist, `antai review diff` and `antai review verify` on real submissions,
`antai org`, `antai status`, `antai submit` and `antai signoff`, and the problems a bad profile or a bad
checklist file gets.

The codes come from the data itself (every StrEnum of antai, every Literal its models and dataclasses are typed
with) and the English labels of their values, so a new status or event is scanned without touching this file;
ALLOWED and ALLOWED_PHRASES list the few that may stand, each with why. Product names (AWS, ISMS, SOC 2) are no
codes: they are the same in both languages."""

from __future__ import annotations

import enum
import importlib
import json
import os
import pkgutil
import re
import shutil
import subprocess
import sys
import typing
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import openpyxl
import pytest

import antai
from antai.labels import _LABELS, label
from antai.messages import _TEXT

from .conftest import run_cli


def _enums() -> list[type[enum.StrEnum]]:
    for module in pkgutil.walk_packages(antai.__path__, "antai."):
        # the web app's modules need Django's settings (its words are tested by the web tests)
        if not module.name.endswith("__main__") and not module.name.startswith("antai.web."):
            importlib.import_module(module.name)
    found: list[type[enum.StrEnum]] = []
    todo: list[type[enum.StrEnum]] = list(enum.StrEnum.__subclasses__())
    while todo:
        cls = todo.pop()
        todo.extend(cls.__subclasses__())
        if cls.__module__.startswith("antai."):
            found.append(cls)
    return found


def _literals(annotation: Any) -> set[str]:
    if typing.get_origin(annotation) is typing.Literal:
        return {a for a in typing.get_args(annotation) if isinstance(a, str)}
    return {v for arg in typing.get_args(annotation) for v in _literals(arg)}


def _literal_codes() -> set[str]:
    """The codes typed as Literal: module-level aliases (Role, Classification …) and the fields of the models
    and dataclasses of the data (a diff's change "added"/"withdrawn", a document's state "draft" …)."""
    found: set[str] = set()
    for name, module in list(sys.modules.items()):
        if not name.startswith("antai.") or module is None:
            continue
        for value in vars(module).values():
            found |= _literals(value)
            if isinstance(value, type) and value.__module__ == name:
                try:
                    hints = typing.get_type_hints(value)
                except (NameError, TypeError, AttributeError):
                    continue
                for hint in hints.values():
                    found |= _literals(hint)
    return found


ENUMS = _enums()
VALUES = {member.value for cls in ENUMS for member in cls} | _literal_codes()
# English words for a value: the English side of every label of an enum value that Japanese words differently
ENGLISH = {
    en
    for table in (_LABELS, _TEXT)
    for key, (ja, en) in table.items()
    if key.split(".")[-1] in VALUES and en != ja and "{" not in en
}
# what a library or Python prints for a value, and the status words the review found in the 0.1 pack
LIBRARY = {"None", "True", "False", "null", "EXPIRED", "expired", "live", "unverified", "unknown"}

# Words that may stand in Japanese text, each with why. Everything else ASCII that is a code is a leak.
ALLOWED = {
    "ID": "the Japanese business word for an identifier (column headings 'ID', 'エビデンス ID')",
    "Ed25519": "the name of the signature algorithm, as the standard writes it",
}
# Phrases that contain a code on purpose, each with why.
ALLOWED_PHRASES = {
    **{
        label(f"csf.{code}", "ja"): "a NIST CSF function is named by its code and its Japanese name ('PR 防御')"
        for code in ("GV", "ID", "PR", "DE", "RS", "RC")
    },
    "true か false": "the two YAML words a user types for yes/no, named in a problem with a file:line",
}

# a schema name (antai.report/1) is an ID, shown as it is
CODES = {code for code in VALUES | ENGLISH | LIBRARY if "/" not in code} - set(ALLOWED)
PATTERN = re.compile(
    r"(?<![A-Za-z0-9_\-.\\:])("
    + "|".join(sorted(map(re.escape, CODES), key=len, reverse=True))
    + r")(?![A-Za-z0-9_\-])(?!\.[A-Za-z0-9])"
)
QUOTED = re.compile(r"'[^'\n]*'")
# English prose, as a library words its messages: three or more lowercase words in a row (a command to type,
# `antai review verify …`, is no prose)
PROSE = re.compile(r"(?<![\w\-./`])[a-z]{2,}(?:[ ,]+[a-z]{2,}){2,}")
# a path (absolute, or relative with a file name at its end): its parts are names, not words
PATHS = re.compile(
    r"(?<![A-Za-z0-9_\-])(?:~|\.\.?)?/[^\s（）()「」、。'\"|,<>]+|[A-Za-z0-9_.\-]+(?:/[A-Za-z0-9_.\-]+)+\.[A-Za-z0-9]+"
)


def _leaks(text: str, *, quoted_ok: bool = False) -> list[str]:
    """Every code in ``text`` with a little context, and every run of English prose (a library's message). A
    file name, path, ID or hash is never a code (a code inside one is preceded or followed by a letter, digit,
    '-', '_' or '.', and paths are taken out first). With ``quoted_ok``, values quoted as a problem quotes what
    the user has to write in the file ('personal', 'yes_no') are allowed too. A code after a colon is part of an
    identifier such as an ARN (arn:aws:s3:::bucket), not a word."""
    text = PATHS.sub(" ", text)
    for phrase in ALLOWED_PHRASES:
        text = text.replace(phrase, " ")
    if quoted_ok:
        text = QUOTED.sub(" ", text)
    found = {f"{m.group(1)} in …{text[max(0, m.start() - 25) : m.end() + 25]}…" for m in PATTERN.finditer(text)}
    found |= {f"English: {m.group(0)}" for m in PROSE.finditer(text) if not m.group(0).startswith("antai ")}
    return sorted(found)


class _Visible(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._hidden += tag in ("style", "script")
        for name, value in attrs:  # what a reader sees too: titles, alternative texts
            if name in ("title", "alt", "aria-label") and value:
                self.parts.append(value)

    def handle_endtag(self, tag: str) -> None:
        self._hidden -= tag in ("style", "script")

    def handle_data(self, data: str) -> None:
        if not self._hidden:
            self.parts.append(data)


def _html_text(path: Path) -> str:
    visible = _Visible()
    visible.feed(path.read_text("utf-8"))
    return " ".join(visible.parts)


def _xlsx_text(path: Path) -> str:
    workbook = openpyxl.load_workbook(path)
    parts: list[str] = []
    for sheet in workbook:
        parts.append(sheet.title)
        parts += [str(c.value) for row in sheet.iter_rows() for c in row if c.value is not None]
        for rule in sheet.data_validations.dataValidation:  # the reviewer's drop-downs
            parts += [rule.formula1 or "", rule.prompt or "", rule.error or ""]
    return " | ".join(parts)


def _pdf_text(path: Path) -> str:
    return subprocess.run(["pdftotext", str(path), "-"], check=True, capture_output=True, text=True, timeout=60).stdout


def _file_text(path: Path) -> str:
    readers: dict[str, Callable[[Path], str]] = {".html": _html_text, ".xlsx": _xlsx_text, ".pdf": _pdf_text}
    reader = readers.get(path.suffix)
    return reader(path) if reader else path.read_text("utf-8")


BAD_PROFILE = (
    "users: lots\nstaff: 0\ndata: [cards]\nbusiness: [banking]\nchannels: [ios_app, ios_app]\n"
    "moves_customer_funds: maybe\nbogus: 1\nstaf: 3\n"
)
BAD_DATES = "users: 5\nwhen: 2027-02-30\nusers: 2\n"
BAD_YAML = "business: [bank_api_read\nchannels: [ios_app]\n"
_CHECKLIST_HEAD = """id: my-bank
title: {ja: 私の銀行の確認表, en: My bank's sheet}
source: {ja: 自作, en: our own}
version: "1"
rows:
"""
BAD_ROWS = (
    _CHECKLIST_HEAD
    + """  - id: A-1
    section: {ja: 区分, en: Section}
    question: {ja: 質問, en: Question}
    items: [IAM-01, ZZZ-99]
    facts: [governance.security_ownr]
  - id: A-1
    section: {ja: 区分, en: Section}
    question: {ja: 質問, en: Question}
"""
)
BAD_SHAPE = (
    _CHECKLIST_HEAD
    + """  - id: A-2
    section: {ja: 区分, en: Section}
    question: {ja: 質問}
    items: [IAM-01]
    answer: maybe
    scope: [readonly]
    colour: red
"""
)


@dataclass
class Outputs:
    """Every scanned output by name: (text, whether quoted values may stand)."""

    texts: dict[str, tuple[str, bool]] = field(default_factory=dict)
    skipped: dict[str, str] = field(default_factory=dict)

    def add(self, name: str, text: str, quoted_ok: bool = False) -> None:
        self.texts[name] = (text, quoted_ok)

    def add_run(self, name: str, result: subprocess.CompletedProcess[str], quoted_ok: bool = False) -> None:
        self.add(name, result.stdout + "\n" + result.stderr, quoted_ok)


def _ok(result: subprocess.CompletedProcess[str], *codes: int) -> subprocess.CompletedProcess[str]:
    assert result.returncode in (codes or (0,)), (result.args, result.stdout, result.stderr)
    return result


def _change_and_submit(
    ws: Path, base: Path, env: dict[str, str]
) -> tuple[Path, dict[str, subprocess.CompletedProcess[str]]]:
    """What the venture does after the demo's second submission: changes whose values are codes in the data
    (a registration kind, a review cycle, an incident event, statuses, a decision, evidence), sign-offs, and a
    submission with the PDF."""

    def cli(*args: str, codes: tuple[int, ...] = (0,)) -> subprocess.CompletedProcess[str]:
        return _ok(run_cli(*args, "--lang", "ja", env=env), *codes)

    runs: dict[str, subprocess.CompletedProcess[str]] = {"key new": _ok(run_cli("key", "new", env=env))}
    (base / "pentest-2027.pdf").write_bytes(b"%PDF-1.4 penetration test report 2027\n")
    for change in (
        ("set", "ASR-01", "--status", "implemented"),
        ("set", "DAT-06", "--owner", "SRE 山田"),
        ("evidence", "add", "ASR-01", str(base / "pentest-2027.pdf"), "--effective-date", "2026-11-01"),
        (
            "accept",
            "CHG-01",
            "--rationale",
            "二名承認の手順書で統制する",
            "--approver",
            "代表取締役 CEO",
            "--expires",
            "2027-09-30",
        ),
        ("org", "set", "eligibility.registration_kind", "funds_transfer"),
        ("org", "set", "governance.policy_review", "semiannual"),
        ("org", "add", "notification", "event=vulnerability", "within_hours=48", "contact=提携銀行 API 窓口"),
        ("profile", "set", "own_equipment=true"),
    ):
        cli(*change, "-C", str(ws))
    runs["signoff representative"] = cli(
        "signoff", "representative", "佐藤 一郎", "--title", "代表取締役", "-C", str(ws)
    )
    runs["signoff security_owner"] = cli("signoff", "security_owner", "田中 次郎", "--title", "CTO", "-C", str(ws))
    runs["submit"] = cli("submit", "-C", str(ws))
    return Path(runs["submit"].stdout.strip().splitlines()[0]), runs


@pytest.fixture(scope="module")
def outputs(tmp_path_factory: pytest.TempPathFactory) -> Outputs:
    base = tmp_path_factory.mktemp("ja")
    demo = base / "demo"
    found = Outputs()
    found.add_run("antai demo", _ok(run_cli("demo", str(demo), "--lang", "ja")))
    for name in ("bank-report.ja.html", "bank-report.ja.xlsx", "exec-report.ja.html"):
        found.add(f"demo reports/{name}", _file_text(demo / "reports" / name))
    submitted = sorted((demo / "submissions").iterdir(), key=lambda p: int(p.name.rsplit("-", 1)[1]))
    assert len(submitted) == 2
    ws = base / "venture"
    shutil.copytree(demo, ws)
    # readers of one workspace run side by side and take its lock in turn: let them wait for each other
    env = {"ANTAI_USER": "tester", "ANTAI_KEY_DIR": str(base / "keys"), "ANTAI_LOCK_TIMEOUT": "120"}
    (base / "bad-profile.yaml").write_text(BAD_PROFILE, encoding="utf-8")
    (base / "bad-yaml.yaml").write_text(BAD_YAML, encoding="utf-8")
    (base / "bad-dates.yaml").write_text(BAD_DATES, encoding="utf-8")
    (base / "bad-rows.yaml").write_text(BAD_ROWS, encoding="utf-8")
    (base / "bad-shape.yaml").write_text(BAD_SHAPE, encoding="utf-8")
    (base / "list.yaml").write_text("- checklist\n", encoding="utf-8")
    out = base / "out"
    out.mkdir()
    d = str(demo)
    reads: dict[str, tuple[tuple[str, ...], tuple[int, ...]]] = {
        "report bank md": (
            ("report", "--audience", "bank", "--format", "md", "-o", str(out / "bank.md"), "-C", d),
            (0,),
        ),
        "report exec md": (
            ("report", "--audience", "exec", "--format", "md", "-o", str(out / "exec.md"), "-C", d),
            (0,),
        ),
        **{
            f"report --checklist {fmt}": (
                (
                    "report",
                    "--audience",
                    "bank",
                    "--checklist",
                    "api-connection",
                    "--format",
                    fmt,
                    "-o",
                    str(out / f"bank-checklist.{fmt}"),
                    "-C",
                    d,
                ),
                (0,),
            )
            for fmt in ("html", "xlsx", "md")
        },
        "checklist answer": (
            ("checklist", "answer", "api-connection", "-o", str(out / "checklist.xlsx"), "-C", d),
            (0,),
        ),
        "org": (("org", "-C", d), (0,)),
        "status": (("status", "-C", d), (0,)),
        "review verify (the demo's second against its first)": (
            (
                "review",
                "verify",
                str(submitted[1]),
                "--key",
                str(submitted[1] / "signer.pub"),
                "--previous",
                str(submitted[0]),
            ),
            (0,),
        ),
        "bad profile": (("plan", "--profile", str(base / "bad-profile.yaml")), (1,)),
        "profile that is not YAML": (("plan", "--profile", str(base / "bad-yaml.yaml")), (1,)),
        "profile with an unreal date and a key twice": (("plan", "--profile", str(base / "bad-dates.yaml")), (1,)),
        "profile that is a list": (("init", str(base / "nope"), "--profile", str(base / "list.yaml")), (1,)),
        "bad checklist (rows)": (("checklist", "validate", str(base / "bad-rows.yaml")), (1,)),
        "bad checklist (shape)": (("checklist", "validate", str(base / "bad-shape.yaml")), (1,)),
        "checklist that is not YAML": (("checklist", "answer", str(base / "bad-yaml.yaml"), "-C", d), (1,)),
    }
    with ThreadPoolExecutor(max_workers=4) as pool:
        chain = pool.submit(_change_and_submit, ws, base, env)
        done = {name: pool.submit(run_cli, *args, "--lang", "ja", env=env) for name, (args, _) in reads.items()}
        results = {name: _ok(future.result(), *reads[name][1]) for name, future in done.items()}
        bundle, runs = chain.result()
    for name, result in results.items():
        found.add_run(name, result, quoted_ok=name.startswith(("bad ", "profile ", "checklist that")))
    for name, result in runs.items():
        found.add_run(name, result)
    for name in (
        "bank.md",
        "exec.md",
        "bank-checklist.html",
        "bank-checklist.xlsx",
        "bank-checklist.md",
        "checklist.xlsx",
    ):
        found.add(f"out/{name}", _file_text(out / name))

    # the bank's side on the two latest real submissions: the demo's second and the venture's new one
    fingerprint = json.loads(_ok(run_cli("key", "show", "--format", "json", env=env)).stdout)["fingerprint"]
    tampered = base / "tampered"
    shutil.copytree(bundle, tampered)
    report = next((tampered / "report").glob("*.html"))
    report.write_text(report.read_text("utf-8").replace("株式会社", "株式会社 ", 1), encoding="utf-8")
    (tampered / "report" / "extra.txt").write_text("trust me", encoding="utf-8")
    garbled = base / "garbled"
    shutil.copytree(bundle, garbled)
    (garbled / "manifest.json").write_text("{not json", encoding="utf-8")
    old = ws / "submissions" / submitted[1].name
    bank = {
        "review diff (text)": (("review", "diff", str(old), str(bundle)), (0,)),
        "review diff (html)": (
            ("review", "diff", str(old), str(bundle), "--format", "html", "-o", str(out / "diff.html")),
            (0,),
        ),
        "review diff (xlsx)": (
            ("review", "diff", str(old), str(bundle), "--format", "xlsx", "-o", str(out / "diff.xlsx")),
            (0,),
        ),
        "review verify (good)": (("review", "verify", str(bundle), "--key", fingerprint), (0,)),
        "signoff (show)": (("signoff", "-C", str(ws)), (0,)),
        "review verify (tampered)": (("review", "verify", str(tampered), "--key", fingerprint), (1,)),
        "review verify (unreadable manifest)": (("review", "verify", str(garbled), "--key", fingerprint), (1,)),
        "review diff (tampered, with --key)": (("review", "diff", str(old), str(tampered), "--key", fingerprint), (1,)),
    }
    with ThreadPoolExecutor(max_workers=3) as pool:
        checked = {name: pool.submit(run_cli, *args, "--lang", "ja", env=env) for name, (args, _) in bank.items()}
        for name, future in checked.items():
            found.add_run(name, _ok(future.result(), *bank[name][1]))
    for name in ("diff.html", "diff.xlsx"):
        found.add(f"out/{name}", _file_text(out / name))

    pdftotext = shutil.which("pdftotext") is not None
    for path in sorted([*(bundle / "report").iterdir(), *(bundle / "checklist").iterdir()]):
        if path.suffix == ".json":
            continue  # for machines: codes are its vocabulary (antai report schema)
        if path.suffix == ".pdf" and not pdftotext:
            found.skipped[f"bundle {path.relative_to(bundle)}"] = "pdftotext (poppler-utils) is not installed"
            continue
        found.add(f"bundle {path.relative_to(bundle)}", _file_text(path))
    return found


NAMES: list[Any] = [
    "antai demo",
    "report bank md",
    "report exec md",
    "report --checklist html",
    "report --checklist xlsx",
    "report --checklist md",
    "demo reports/bank-report.ja.html",
    "demo reports/bank-report.ja.xlsx",
    "demo reports/exec-report.ja.html",
    "out/bank.md",
    "out/exec.md",
    "out/bank-checklist.html",
    "out/bank-checklist.xlsx",
    "out/bank-checklist.md",
    "out/checklist.xlsx",
    "checklist answer",
    "org",
    "status",
    "key new",
    "signoff representative",
    "signoff security_owner",
    "signoff (show)",
    "submit",
    "bundle report/bank-report.ja.html",
    "bundle report/bank-report.ja.xlsx",
    "bundle report/bank-report.ja.pdf",
    "bundle report/bank-report.ja-fisc.pdf",
    "bundle checklist/api-connection.ja.html",
    "bundle checklist/api-connection.ja.xlsx",
    "review diff (text)",
    "review diff (html)",
    "review diff (xlsx)",
    "out/diff.html",
    "out/diff.xlsx",
    "review verify (good)",
    "review verify (tampered)",
    "review verify (unreadable manifest)",
    "review verify (the demo's second against its first)",
    "review diff (tampered, with --key)",
    "bad profile",
    "profile that is not YAML",
    "profile with an unreal date and a key twice",
    "profile that is a list",
    "bad checklist (rows)",
    "bad checklist (shape)",
    "checklist that is not YAML",
]


@pytest.mark.parametrize("name", NAMES)
def test_a_japanese_output_has_no_raw_codes_or_english_status_words(outputs: Outputs, name: str) -> None:
    if name in outputs.skipped:
        if os.environ.get("CI") == "true":
            pytest.fail(f"{name}: {outputs.skipped[name]} (CI must have it)")
        pytest.skip(outputs.skipped[name])
    text, quoted_ok = outputs.texts[name]
    assert _leaks(text, quoted_ok=quoted_ok) == [], name


def test_every_output_was_scanned_and_holds_what_a_reader_needs(outputs: Outputs) -> None:
    scanned = set(outputs.texts) | set(outputs.skipped)
    assert scanned == {n if isinstance(n, str) else n.values[0] for n in NAMES}
    expected = {
        "demo reports/bank-report.ja.html": "組織情報",
        "out/bank.md": "実施済み",
        "out/bank-checklist.xlsx": "判定",
        "out/checklist.xlsx": "判定",
        "review diff (text)": "組織情報の変更",
        "out/diff.xlsx": "登録の種別",
        "review verify (good)": "検証できた",
        "review verify (tampered)": "検証できなかった",
        "status": "必須項目の実施率",
        "bad profile": "channels: 同じ値を 2 回以上書いている",
        "profile with an unreal date and a key twice": "2027-02-30 は実在しない日付",
        "bad checklist (rows)": "行の番号 'A-1' が重複している",
        "bad checklist (shape)": "未知の項目 'colour'",
        "profile that is not YAML": "YAML として読めない",
        "profile that is a list": "「項目: 値」の組（マッピング）を書く（リストが書かれている）",
        "checklist that is not YAML": "YAML として読めない",
    }
    for name, words in expected.items():
        assert words in outputs.texts[name][0], name
    diff = outputs.texts["review diff (text)"][0]
    # the codes of the changes are worded: funds_transfer, semiannual, vulnerability, risk_accepted …
    for worded in ("資金移動業者", "半年ごと", "重大な脆弱性の発見", "リスク受容", "実施済み", "48 時間以内"):
        assert worded in diff, worded


def test_the_codes_come_from_every_enum_of_antai() -> None:
    names = {cls.__name__ for cls in ENUMS}
    assert {"Status", "Phase", "CsfFunction", "ItemLevel", "RegistrationKind", "NotificationEvent"} <= names
    assert {"ReviewCycle", "Subcontracting", "RowAnswer", "GapReason", "Business", "FiscHandling"} <= names
    for code in ("bank_api_read", "not_implemented", "days_90", "data_leak", "electronic_payment_agent", "semiannual"):
        assert code in CODES
    for english in ("Implemented", "Not applicable", "Before launch (gate)", "Risk accepted", "Every six months"):
        assert english in CODES
    assert "ID" not in CODES and "PR" in CODES


def test_the_scanner_finds_codes_and_leaves_ids_paths_names_and_hashes_alone() -> None:
    assert _leaks("業務: bank_api_read, pfm") == [
        "bank_api_read in …業務: bank_api_read, pfm…",
        "pfm in …業務: bank_api_read, pfm…",
    ]
    assert _leaks("状態: EXPIRED / live / 'phone': None") != []
    assert _leaks("状況: Implemented、期限 Within a year") != []
    assert _leaks("PR だけ") == ["PR in …PR だけ…"]
    assert _leaks("PR 防御 / DE 検知 / ID") == []
    assert _leaks("IAM-01 クラウド: AWS、immutable-infrastructure.yaml, E0001 aws-credential-report.csv") == []
    assert _leaks("/tmp/x/evidence/partial.txt answers.yaml org:governance.security_owner") == []
    assert _leaks("- evidence/IAM-01/partial.txt: 一致しない") == []
    assert _leaks("状態: live/unverified") == [
        "live in …状態: live/unverified…",
        "unverified in …状態: live/unverified…",
    ]
    assert _leaks("読めない（not JSON (Expecting property name enclosed in double quotes)）") == [
        "English: property name enclosed in double quotes"
    ]
    assert _leaks("銀行側の検証: antai review verify BUNDLE --key 指紋") == []
    assert _leaks("次のいずれかにする: 'personal'、'card'", quoted_ok=True) == []
    assert _leaks("次のいずれかにする: 'personal'、'card'") != []
