"""`antai review portfolio DIR… --trust FILE` as a bank runs it over the submissions of the FinTechs it
supervises: real bundles made through the CLI (the demo venture twice, a second venture, a third the bank
does not trust), one row per partner with the numbers of its verified JSON report, a tampered bundle and a
rewritten history shown as not verified without numbers, ja and en, HTML and XLSX, hostile trust files
refused with positions, and a folder with a link loop or 10,000 stray files walked in bounded time.

The ventures submit without the PDF extra (a shim makes `import weasyprint` fail, as on a machine without
`antai[pdf]`), which keeps each `antai submit` at about two seconds; the PDF is no part of what is checked."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
import os
import re
import shutil
import time
from concurrent.futures import ThreadPoolExecutor
from html import unescape
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from antai.assessment.history import dump_line, entry_hash
from antai.catalog.yamlsource import SourceError
from antai.submission import keys
from antai.submission.manifest import canonical
from antai.submission.portfolio import find_bundles, load_trust

from .conftest import run_cli

TODAY = dt.date(2031, 3, 31)  # the bank's "today" (--today): days since are counted from it
DEMO_ORG = "株式会社ミルカ（デモ）"
BETA_ORG = "Beta Pay KK"
GAMMA_ORG = "=1+2 <b>Gamma</b> KK"  # untrusted; its name tests formula and HTML escaping too
REPORT = "report/bank-report.ja.json"


class Venture:
    """A workspace with its own signing key, submitting through the real CLI."""

    def __init__(self, base: Path, name: str, env: dict[str, str]) -> None:
        self.ws = base / name
        self.keys = base / f"keys-{name}"
        self.env = {**env, "ANTAI_KEY_DIR": str(self.keys)}
        self.bundles: list[Path] = []

    def run(self, *args: str) -> Any:
        done = run_cli(*args, env=self.env)
        assert done.returncode == 0, (args, done.stderr)
        return done

    def make_key(self) -> None:
        self.run("key", "new")
        shown = json.loads(self.run("key", "show", "--format", "json").stdout)
        self.fingerprint: str = shown["fingerprint"]
        self.public_pem: str = shown["public_key_pem"]

    def submit(self, *extra: str) -> Path:
        made = self.run("submit", "-C", str(self.ws), *extra)
        bundle = Path(made.stdout.strip().splitlines()[-1])
        self.bundles.append(bundle)
        return bundle

    def private_key(self) -> keys.Ed25519PrivateKey:
        return keys.load_private((self.keys / "signing-key.pem").read_bytes())


class Bank:
    """Three ventures' submissions copied into a bank's folder of partners' folders, and its trust file."""

    def __init__(self, base: Path) -> None:
        shim = base / "no-pdf"
        shim.mkdir()
        (shim / "weasyprint.py").write_text(
            'raise ImportError("left out for the test", name="weasyprint")\n', encoding="utf-8"
        )
        path = os.pathsep.join(p for p in (str(shim), os.environ.get("PYTHONPATH", "")) if p)
        env = {"ANTAI_USER": "tester", "PYTHONPATH": path}
        self.demo = Venture(base, "demo", env)
        self.beta = Venture(base, "beta", env)
        self.gamma = Venture(base, "gamma", env)

        def demo() -> None:  # the demo submits twice, three months apart, with a throwaway key
            self.demo.run("demo", str(self.demo.ws))
            self.demo.bundles = sorted((self.demo.ws / "submissions").iterdir(), key=lambda b: manifest(b)["sequence"])
            self.demo.fingerprint = manifest(self.demo.bundles[-1])["signer"]["fingerprint"]

        def beta() -> None:  # nothing answered; between its two submissions a P1 gap is closed
            other(self.beta, BETA_ORG)
            self.beta.run("set", "CYB-07", "--status", "implemented", "-C", str(self.beta.ws))
            self.beta.submit("--unsigned")

        def other(venture: Venture, organisation: str) -> None:
            venture.run("init", str(venture.ws), "--profile", "example:household-budget", "--org", organisation)
            venture.make_key()
            venture.submit("--unsigned")

        with ThreadPoolExecutor(3) as pool:
            jobs = [pool.submit(demo), pool.submit(beta), pool.submit(other, self.gamma, GAMMA_ORG)]
            for job in jobs:
                job.result()

        self.folder = base / "bank"
        for venture, partner in ((self.demo, "milka"), (self.beta, "beta"), (self.gamma, "gamma")):
            for bundle in venture.bundles:
                shutil.copytree(bundle, self.folder / partner / bundle.name)
        self.milka = [self.folder / "milka" / b.name for b in self.demo.bundles]
        self.betas = [self.folder / "beta" / b.name for b in self.beta.bundles]
        self.beta_bundle = self.betas[-1]
        self.gamma_bundle = next((self.folder / "gamma").iterdir())

        self.beta_key = base / "trust" / "keys" / "beta.pub"
        self.beta_key.parent.mkdir(parents=True)
        self.beta_key.write_text(self.beta.public_pem, encoding="utf-8")
        self.trust = base / "trust" / "trust.yaml"
        self.trust.write_text(
            "format: antai.trust/1\n"
            "partners:\n"
            "  - organisation: 株式会社ミルカ(デモ)  # half-width brackets: matched as the same name\n"
            f'    fingerprint: "SHA256:{self.demo.fingerprint}"\n'
            f"  - organisation: {BETA_ORG}\n"
            "    key: keys/beta.pub\n"
            "  - organisation: Delta Securities KK\n"
            f'    fingerprint: "{hashlib.sha256(b"delta").hexdigest()}"\n',
            encoding="utf-8",
        )
        self.env = env

    def portfolio(self, *args: str | Path, trust: Path | None = None) -> Any:
        return run_cli(
            "review",
            "portfolio",
            *map(str, args),
            "--trust",
            str(trust or self.trust),
            "--today",
            TODAY.isoformat(),
            env={"ANTAI_USER": "tester"},
        )

    def data(self, *args: str | Path, trust: Path | None = None) -> tuple[int, dict[str, Any]]:
        done = self.portfolio(*args, "--format", "json", trust=trust)
        return done.returncode, json.loads(done.stdout)


@pytest.fixture(scope="module")
def bank(tmp_path_factory: pytest.TempPathFactory) -> Bank:
    return Bank(tmp_path_factory.mktemp("portfolio"))


def report(bundle: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((bundle / REPORT).read_text("utf-8"))
    return data


def manifest(bundle: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((bundle / "manifest.json").read_text("utf-8"))
    return data


def submitted_day(bundle: Path) -> dt.date:
    return dt.datetime.fromisoformat(manifest(bundle)["created"]).astimezone().date()


def expected_numbers(bundle: Path) -> dict[str, Any]:
    r = report(bundle)
    s = r["scores"]
    return {
        "assessment_date": r["assessment_date"],
        "tier": r["risk"]["tier"],
        "mandatory_coverage": s["mandatory_coverage"]["percent"],
        "mandatory_done": s["mandatory_coverage"]["done"],
        "mandatory_total": s["mandatory_coverage"]["total"],
        "overall": s["overall"]["score"],
        "critical_gaps": [g["id"] for g in s["gaps"] if g["priority"] == 1],
        "overdue": s["flags"]["overdue"],
        "expired_evidence": s["flags"]["expired_evidence"],
        "expired_acceptances": s["flags"]["expired_acceptances"],
        "missing_facts": r["missing_facts"],
    }


def resign(folder: Path, change: Any, key: keys.Ed25519PrivateKey) -> None:
    """What a venture can do with its own key: edit the bundle, fix the manifest's hashes, sign again."""
    data = manifest(folder)
    change(data)
    for entry in data["files"]:
        path = folder / entry["path"]
        entry["size"] = path.stat().st_size
        entry["sha256"] = hashlib.sha256(path.read_bytes()).hexdigest()
    (folder / "manifest.json").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    (folder / "manifest.sig").write_bytes(base64.b64encode(key.sign(canonical(data))))


_ASCII_WORD = re.compile(r"[A-Za-z]{2,}")


def english_in(text: str, *allowed: str) -> set[str]:
    """ASCII words left in a Japanese text once names, IDs and paths the bundles carry are taken out."""
    for name in sorted(allowed, key=len, reverse=True):
        text = text.replace(name, " ")
    text = re.sub(r"\S*/\S*", " ", text)  # paths
    return set(_ASCII_WORD.findall(text)) - {"JSON", "SHA"}


# --- the portfolio ---------------------------------------------------------------------------------------


def test_each_partner_shows_its_latest_submission_with_the_numbers_of_its_verified_report(bank: Bank) -> None:
    code, d = bank.data(bank.folder)
    assert code == 1  # one partner is not trusted
    assert d["schema"] == "antai.portfolio/1" and d["today"] == TODAY.isoformat() and d["partners"] == 3
    old, new = bank.milka
    assert [r["organisation"] for r in d["rows"]] == [GAMMA_ORG, BETA_ORG, DEMO_ORG]
    gamma, beta, demo = d["rows"]

    # the untrusted partner: identified from its manifest, no verdict on its numbers and no numbers
    assert gamma["status"] == "untrusted" and gamma["numbers"] is None and gamma["problems"] == []
    assert (gamma["days_since"], gamma["score_change"], gamma["key_of"]) == (None, None, None)
    assert gamma["submission_id"] == manifest(bank.gamma_bundle)["id"] and gamma["draft"] is True

    # the demo: its second submission, verified against its first, numbers as in its JSON report
    assert demo["status"] == "verified" and demo["problems"] == []
    assert demo["submission_id"] == manifest(new)["id"] and demo["sequence"] == 2 and demo["submissions"] == 2
    assert demo["checked_against"] == manifest(old)["id"] == demo["previous_id"] and demo["previous_verified"]
    assert demo["numbers"] == expected_numbers(new)
    assert demo["signer"] == demo["trusted_key"] == bank.demo.fingerprint and demo["draft"] is False
    assert demo["submitted"] == submitted_day(new).isoformat()
    assert demo["days_since"] == (TODAY - submitted_day(new)).days
    before, after = report(old)["scores"]["overall"]["score"], report(new)["scores"]["overall"]["score"]
    assert after > before and demo["score_change"] == round(after - before, 1)

    # the second venture: nothing answered but CYB-07, so every other P1 item is an open critical gap
    first, latest = bank.betas
    assert beta["status"] == "verified" and beta["numbers"] == expected_numbers(latest)
    assert beta["trusted_key"] == bank.beta.fingerprint and beta["draft"] is True and beta["submissions"] == 2
    assert beta["checked_against"] == manifest(first)["id"] == beta["previous_id"]
    before, after = report(first)["scores"]["overall"]["score"], report(latest)["scores"]["overall"]["score"]
    assert after > before == 0.0 and beta["score_change"] == round(after - before, 1)
    assert "CYB-07" in expected_numbers(first)["critical_gaps"] and "CYB-07" not in beta["numbers"]["critical_gaps"]
    assert len(beta["numbers"]["critical_gaps"]) > len(demo["numbers"]["critical_gaps"]) > 0

    assert d["missing"] == ["Delta Securities KK"] and d["skipped"] == []
    assert (d["verified"], d["not_verified"]) == (2, 1)


def test_when_every_submission_verifies_it_exits_0_and_the_japanese_table_is_japanese(bank: Bank) -> None:
    done = bank.portfolio(bank.folder / "milka", bank.folder / "beta")
    assert done.returncode == 0, done.stderr
    out = done.stdout
    new = bank.milka[1]
    numbers = expected_numbers(new)
    assert out.splitlines()[0] == "提携先ポートフォリオ"
    assert "集計: 相手 3 社、提出 2 件: 検証済み 2 件・検証できない 0 件" in out
    demo_line = next(line for line in out.splitlines() if manifest(new)["id"] in line)
    change = report(new)["scores"]["overall"]["score"] - report(bank.milka[0])["scores"]["overall"]["score"]
    cells = demo_line.split()
    assert cells[-13:] == [
        "2",
        "検証済み",
        "高",
        f"{numbers['mandatory_coverage']:.1f}%",
        f"{numbers['overall']:.1f}",
        str(len(numbers["critical_gaps"])),
        str(len(numbers["overdue"])),
        str(len(numbers["expired_evidence"])),
        str(len(numbers["expired_acceptances"])),
        str(len(numbers["missing_facts"])),
        str((TODAY - submitted_day(new)).days),
        "日",
        f"{round(change, 1):+.1f}",
    ]
    assert "検証済み（承認のない下書き）" in out
    assert "重大なギャップの定義: 優先度 1（接続前＝ゲートの段階）の項目" in out
    assert "提出が見つからない相手: Delta Securities KK" in out
    ids = [manifest(b)["id"] for b in (new, bank.beta_bundle)]
    assert english_in(out, BETA_ORG, "Delta Securities KK", *ids) == set()

    english = run_cli("review", "portfolio", str(bank.folder / "milka"), "--trust", str(bank.trust), "--lang", "en")
    assert english.returncode == 0
    assert "Partner portfolio" in english.stdout and " verified " in english.stdout and "High" in english.stdout
    assert "Partners with no submission in the input: Beta Pay KK, Delta Securities KK" in english.stdout


def test_a_tampered_bundle_is_shown_not_verified_with_its_first_problem_and_no_numbers(
    bank: Bank, tmp_path: Path
) -> None:
    partner = tmp_path / "milka"
    for bundle in bank.milka:
        shutil.copytree(bundle, partner / bundle.name)
    latest = partner / bank.milka[1].name
    data = report(latest)
    data["scores"]["overall"]["score"] = 99.9  # a better number than the venture signed
    (latest / REPORT).write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")

    code, d = bank.data(partner, bank.beta_bundle)
    assert code == 1
    demo, beta = d["rows"]
    assert demo["organisation"] == DEMO_ORG and demo["status"] == "not_verified" and demo["numbers"] is None
    assert [(p["code"], p["path"]) for p in demo["problems"]] == [("hash_mismatch", REPORT)]
    assert (demo["days_since"], demo["score_change"]) == (None, None)
    assert beta["status"] == "verified" and (d["verified"], d["not_verified"]) == (1, 1)

    page = tmp_path / "p.html"
    shown = bank.portfolio(partner, bank.beta_bundle, "--format", "html", "-o", page)
    assert shown.returncode == 1
    assert "エラー: 1 件の提出を検証できなかった（全 2 件）。その数値を信用しない" in shown.stderr
    html = page.read_text("utf-8")
    verdict = "検証できない: report/bank-report.ja.json: 内容が目録の SHA-256 と一致しない（改変された）"
    row = html[html.index(f'<tr class="failed"><td>{DEMO_ORG}</td>') :].split("</tr>")[0]
    assert f'<td class="verdict">{verdict}</td>' in row and "99.9" not in html
    assert row.count('<td class="num">—</td>') == 9  # coverage … score change: no numbers


def test_a_bundle_signed_with_another_partners_key_is_not_verified(bank: Bank, tmp_path: Path) -> None:
    swapped = tmp_path / "trust.yaml"  # the bank wrote down gamma's fingerprint for beta
    swapped.write_text(
        "format: antai.trust/1\npartners:\n"
        f'  - organisation: {BETA_ORG}\n    fingerprint: "{bank.gamma.fingerprint}"\n',
        encoding="utf-8",
    )
    code, d = bank.data(bank.folder / "beta", bank.folder / "gamma", trust=swapped)
    assert code == 1
    gamma, beta = d["rows"]  # neither verified: by name
    assert (beta["organisation"], beta["status"], beta["numbers"]) == (BETA_ORG, "not_verified", None)
    assert beta["problems"][0] == {
        "code": "wrong_key",
        "path": "manifest.json",
        "params": {"expected": bank.gamma.fingerprint, "found": bank.beta.fingerprint},
    }
    assert (gamma["status"], gamma["key_of"], gamma["numbers"]) == ("untrusted", BETA_ORG, None)


def _rewrite_history(bundle: Path, keep: int) -> dict[str, Any]:
    """Backdate every history entry before ``keep`` and recompute the chain; the new head."""
    path = bundle / "history.jsonl"
    entries = [json.loads(line) for line in path.read_text("utf-8").splitlines()]
    previous = "0" * 64
    for number, entry in enumerate(entries):
        if number < keep:
            entry["at"] = (dt.datetime.fromisoformat(entry["at"]) - dt.timedelta(days=182)).isoformat()
        entry["prev"] = previous
        entry["hash"] = entry_hash(entry)
        previous = entry["hash"]
    path.write_text("".join(dump_line(e) for e in entries), encoding="utf-8")
    return {"entries": len(entries), "hash": entries[-1]["hash"], "at_previous": entries[keep - 1]["hash"]}


def test_a_history_rewritten_before_the_previous_submission_shows_when_that_one_is_in_the_input(
    bank: Bank, tmp_path: Path
) -> None:
    old, new = bank.betas
    forged = tmp_path / "forged" / new.name
    shutil.copytree(new, forged)
    earlier = manifest(old)["history"]["entries"]
    head = _rewrite_history(forged, earlier)

    def consistent(m: dict[str, Any]) -> None:  # the forgery names a previous head that matches itself
        m["history"] = {"entries": head["entries"], "hash": head["hash"]}
        m["previous"]["history"]["hash"] = head["at_previous"]

    resign(forged, consistent, bank.beta.private_key())
    code, alone = bank.data(forged)
    assert code == 0 and alone["rows"][0]["status"] == "verified"  # on its own, nothing shows …

    shutil.copytree(old, tmp_path / "forged" / old.name)
    code, both = bank.data(tmp_path / "forged")
    row = both["rows"][0]
    assert code == 1 and row["status"] == "not_verified" and row["numbers"] is None
    assert row["checked_against"] == manifest(old)["id"]
    assert [p["code"] for p in row["problems"]] == ["previous_mismatch", "history_not_continued"]


def test_html_and_xlsx_are_written_self_contained_escaped_and_formula_safe(bank: Bank, tmp_path: Path) -> None:
    page, book = tmp_path / "portfolio.html", tmp_path / "portfolio.xlsx"
    assert bank.portfolio(bank.folder, "--format", "html", "-o", page).returncode == 1
    html = page.read_text("utf-8")
    assert html.startswith("<!DOCTYPE html>") and '<html lang="ja">' in html
    assert "<script" not in html and not re.search(r"(src|href)=\"?https?:", html)
    assert "=1+2 &lt;b&gt;Gamma&lt;/b&gt; KK" in html and "<b>Gamma" not in html
    assert "信頼する相手の一覧にない組織" in html and "Delta Securities KK" in html
    visible = unescape(re.sub(r"<[^>]+>", " ", html.split("</head>")[1]))
    ids = [manifest(b)["id"] for b in (bank.milka[1], bank.beta_bundle, bank.gamma_bundle)]
    assert english_in(visible, GAMMA_ORG, BETA_ORG, "Delta Securities KK", *ids) == set()

    assert bank.portfolio(bank.folder, "--format", "xlsx", "-o", book, "--lang", "en").returncode == 1
    workbook = load_workbook(book)
    assert workbook.sheetnames == ["Portfolio", "Problems", "Notes"]
    sheet = workbook["Portfolio"]
    header = [c.value for c in sheet[3]]
    assert header[:5] == ["Organisation", "Submission", "Date", "Seq.", "Verification"]
    rows = {row[0].value: row for row in sheet.iter_rows(min_row=4)}
    gamma = rows[GAMMA_ORG]
    assert gamma[0].data_type == "s" and gamma[0].quotePrefix  # text, never a formula
    assert all(c.value is None for c in gamma[5:])
    demo = rows[DEMO_ORG]
    numbers = expected_numbers(bank.milka[1])
    coverage = header.index("Mandatory coverage")
    assert demo[coverage].value == numbers["mandatory_coverage"]
    assert demo[header.index("Critical gaps")].value == len(numbers["critical_gaps"])
    assert demo[header.index("Missing facts")].value == len(numbers["missing_facts"])
    assert demo[4].value == "verified" and demo[5].value == "High"


# --- hostile trust files and bad usage --------------------------------------------------------------------


def test_hostile_or_wrong_trust_files_are_refused_with_their_positions(bank: Bank, tmp_path: Path) -> None:
    wrong = tmp_path / "wrong.yaml"
    (tmp_path / "link.pub").symlink_to(bank.beta_key)
    wrong.write_text(
        "format: antai.trust/1\n"
        "partners:\n"
        "  - organisation: A KK\n"
        '    fingerprint: "SHA256:not-a-fingerprint"\n'
        "  - organisation: a  kk\n"
        f'    fingerprint: "{bank.demo.fingerprint}"\n'
        "  - organisation: B KK\n"
        f'    fingerprint: "{bank.demo.fingerprint}"\n'
        "    key: keys/b.pub\n"
        "  - organisation: C KK\n"
        "    key: missing.pub\n"
        "  - organisation: D KK\n"
        "    key: link.pub\n"
        "  - organisation: E KK\n"
        f'    fingerprint: "{bank.demo.fingerprint.replace(":", "")}"\n'
        "  - organisation: F KK\n"
        f"    fingerprint: {bank.demo.fingerprint}\n",
        encoding="utf-8",
    )
    done = bank.portfolio(bank.folder, trust=wrong)
    assert done.returncode == 2 and done.stdout == ""
    shown = f"{wrong}:"
    assert done.stderr.splitlines()[:6] == [
        f"{shown}4:18: 'SHA256:not-a-fingerprint' は公開鍵の指紋ではない"
        "（`antai key show` が表示する 64 桁の 16 進数を書く）",
        f"{shown}5:19: 'a  kk' が重複している（最初は 3 行目）",
        f"{shown}7:5: 相手 'B KK': fingerprint（指紋）と key（公開鍵ファイル）のどちらか一方だけを書く",
        f"{shown}11:10: missing.pub: ない、リンクである、または 16 KiB 以下の通常のファイルではない",
        f"{shown}13:10: link.pub: ない、リンクである、または 16 KiB 以下の通常のファイルではない",
        f"{shown}17:18: 同じ鍵が別の組織（15 行目）にも信頼されている。"
        "その鍵で署名した提出がどちらの組織も名乗れてしまう",
    ]
    assert f"エラー: {wrong}: 信頼する相手の一覧に 6 件の問題がある。直してから実行し直す" in done.stderr

    # an alias bomb and a huge file: refused at the first anchor, or before reading, in bounded time
    bomb = tmp_path / "bomb.yaml"
    bomb.write_text(
        'format: antai.trust/1\nx: &a ["lol", "lol", "lol"]\ny: &b [*a, *a, *a, *a]\npartners: [*b]\n',
        encoding="utf-8",
    )
    huge = tmp_path / "huge.yaml"
    huge.write_bytes(b"format: antai.trust/1\n" + b"#" * (2 * 1024 * 1024))
    started = time.monotonic()
    for path, position, code in ((bomb, (2, 4), "yaml.anchors"), (huge, (1, 1), "yaml.too_big")):
        with pytest.raises(SourceError) as refused:
            load_trust(path)
        assert [(p.line, p.column, p.code) for p in refused.value.problems] == [(*position, code)]
    assert time.monotonic() - started < 1
    done = bank.portfolio(bank.folder, trust=bomb)
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr.splitlines()[0] == (
        f"{bomb}:2:4: アンカーとエイリアス（&名前・*名前）は antai のファイルでは使えない: 値をそのまま書く"
    )

    unknown = tmp_path / "unknown.yaml"
    unknown.write_text(
        "format: antai.trust/2\npartners:\n  - organisation: A KK\n    fingerprnt: abc\n", encoding="utf-8"
    )
    done = run_cli("review", "portfolio", str(bank.folder), "--trust", str(unknown), "--lang", "en")
    assert done.returncode == 2
    lines = done.stderr.splitlines()
    assert lines[0].startswith(f"{unknown}:1:9: ") and "antai.trust/1" in lines[0]
    assert lines[1] == f"{unknown}:4:5: unknown field 'fingerprnt' (did you mean 'fingerprint'?)"


def test_bad_usage_exits_2(bank: Bank, tmp_path: Path) -> None:
    assert bank.portfolio(tmp_path / "none").returncode == 2
    empty = tmp_path / "empty"
    empty.mkdir()
    done = bank.portfolio(empty)
    assert done.returncode == 2 and "提出フォルダ（manifest.json のあるフォルダ）が見つからない" in done.stderr
    assert bank.portfolio(bank.folder, trust=tmp_path / "none.yaml").returncode == 2
    inside = bank.portfolio(bank.folder, "--format", "html", "-o", bank.beta_bundle / "p.html")
    assert inside.returncode == 2 and "提出フォルダには書き込まない" in inside.stderr
    assert not (bank.beta_bundle / "p.html").exists()
    over = bank.portfolio(bank.folder, "--format", "json", "-o", bank.trust)
    assert over.returncode == 2 and "format: antai.trust/1" in bank.trust.read_text("utf-8")


def test_the_help_says_what_critical_means() -> None:
    shown = run_cli("review", "portfolio", "--help")
    assert shown.returncode == 0
    text = " ".join(shown.stdout.split())
    assert "open critical gaps (gaps of priority 1, the items the plan puts before connecting to a bank" in text
    assert "format: antai.trust/1" in shown.stdout and "Rows: not verified first" in text


# --- a hostile folder ------------------------------------------------------------------------------------


def test_a_link_loop_and_10000_stray_files_are_walked_in_bounded_time(bank: Bank, tmp_path: Path) -> None:
    root = tmp_path / "inbox"
    (root / "beta").mkdir(parents=True)
    shutil.copytree(bank.beta_bundle, root / "beta" / bank.beta_bundle.name)  # one of beta's two
    (root / "loop").symlink_to(root, target_is_directory=True)
    (root / "beta" / "back").symlink_to(root, target_is_directory=True)
    deep = root / "a" / "b" / "c"  # three levels down: beyond the walk
    shutil.copytree(bank.milka[0], deep / bank.milka[0].name)
    stray = root / "stray"
    stray.mkdir()
    for n in range(10_000):
        (stray / f"{n:05d}.txt").write_bytes(b"")

    started = time.monotonic()
    code, d = bank.data(root)
    assert time.monotonic() - started < 15
    assert code == 0
    assert [r["organisation"] for r in d["rows"]] == [BETA_ORG]
    assert sorted((s["path"], s["reason"]) for s in d["skipped"]) == [
        (str(root / "beta" / "back"), "link"),
        (str(root / "loop"), "link"),
    ]

    capped = find_bundles([root], max_entries=100)  # the folders sorted: a, beta, then stray stops the walk
    assert capped.bundles == [root / "beta" / bank.beta_bundle.name]
    assert (str(stray), "too_many_entries") in {(s.path, s.reason) for s in capped.skipped}
