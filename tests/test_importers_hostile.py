"""Malformed and hostile scanner files: a clear ``file:line:column`` problem, fast, in bounded memory — never a
traceback, a hang or a crash. The fuzzer (tests/fuzz/importers.py) runs briefly at the end."""

from __future__ import annotations

import datetime as dt
import importlib.util
import json
import os
import re
import subprocess
import sys
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

import pytest

from antai.catalog import SourceError
from antai.catalog.mappings import RuleMap
from antai.importers.checkov import read_checkov
from antai.importers.common import MAX_RULES, OTHER_RULES
from antai.importers.prowler import read_prowler
from antai.importers.sarif import read_sarif
from antai.importers.trivy import read_trivy

from .conftest import run_cli

FUZZ = Path(__file__).parent / "fuzz"
PROBLEM = re.compile(r"^(?P<file>[^\n]+):(?P<line>[1-9]\d*):(?P<column>[1-9]\d*): (?P<message>\S[^\n]*)$")
EMPTY = RuleMap("x", 1, "test", dt.date(2026, 1, 1), {}, (), frozenset())
READERS: dict[str, Callable[..., object]] = {
    "prowler": read_prowler,
    "checkov": read_checkov,
    "trivy": read_trivy,
    "sarif": read_sarif,
}


def refused(tool: str, path: Path, limit: float = 10.0) -> SourceError:
    """The reader's SourceError, after checking it came quickly and every problem is one honest line."""
    start = time.monotonic()
    with pytest.raises(SourceError) as caught:
        READERS[tool](path, rules=EMPTY, display="bad")
    assert time.monotonic() - start < limit
    for problem in caught.value.problems:
        assert PROBLEM.match(str(problem)), str(problem)
        assert problem.code.startswith("import."), problem.code
    return caught.value


def write(tmp_path: Path, content: str | bytes, name: str = "bad") -> Path:
    path = tmp_path / name
    if isinstance(content, str):
        path.write_text(content, "utf-8")
    else:
        path.write_bytes(content)
    return path


@pytest.mark.parametrize(
    ("tool", "content", "expected"),
    [
        (
            "prowler",
            '[{"metadata": {"event_code": "a"}, "status_code": "PASS"},\n {"metadata"',
            "2:13: the file ends early",
        ),
        (
            "prowler",
            '[{"metadata": {"event_code": "a"} "status_code": "PASS"}]',
            "1:35: invalid JSON: Expecting ',' delimiter",
        ),
        ("prowler", '["a finding?"]', "1:2: a Prowler finding is an object, not text"),
        (
            "prowler",
            '[{"status_code": "PASS"}]',
            "1:2: a Prowler OCSF finding needs its check ID in metadata.event_code",
        ),
        ("prowler", "[]\n[]", "2:1: more data after the end of the JSON document"),
        ("prowler", "", "1:1: the file is empty"),
        ("prowler", "CHECK;STATUS\na;b\n", "1:1: not a Prowler CSV file: the header (split at ';') has no CHECK_ID"),
        ("prowler", 'CHECK_ID;STATUS\n"a;PASS\n', "2:1: invalid CSV: unexpected end of data"),
        ("checkov", '{"results": []}', "1:13: expected Checkov's results (an object), found '['"),
        ("checkov", '{"passed": 1}', "1:1: not a Checkov report: no results, summary or checkov_version"),
        ("checkov", '{"results": {"failed_checks": [{"check_id": 5}]}}', "1:32: a Checkov check needs its check_id"),
        ("trivy", '{"SchemaVersion": 2, "Results": [{"Target": "x", "Secrets": [{}]}]}', "1:62: an entry of Secrets"),
        ("trivy", '{"SchemaVersion": "2"}', "1:19: SchemaVersion 2: antai reads Trivy reports of schema version 2"),
        ("sarif", '{"version": "2.0.0", "runs": []}', "1:13: SARIF version 2.0.0: antai reads SARIF 2.1.0"),
        ("sarif", '{"runs": []}', "1:1: not a SARIF log: it has no version"),
        ("sarif", '{"version": "2.1.0", "runs": {}}', "1:30: expected a list of runs, found '{'"),
        (
            "sarif",
            '{"version": "2.1.0", "runs": [{"results": [1]}]}',
            "1:44: a SARIF result is an object, not a number",
        ),
        (
            "sarif",
            '{"version": "2.1.0", "runs": [{"results": [{"ruleId": "a\\q"}]}]}',
            "1:57: invalid JSON: Invalid \\escape",
        ),
        (
            "sarif",
            '{"version": "2.1.0", "runs": [{"x": 1' + "0" * 5000 + "}]}",
            "1:37: invalid JSON: Exceeds the limit",
        ),
        (
            "trivy",
            '{"SchemaVersion": 2, "Results": [{"Target": "x\u0007"}]}',
            "1:47: invalid JSON: Invalid control character",
        ),
    ],
)
def test_malformed_files_name_the_position(tool: str, content: str, expected: str, tmp_path: Path) -> None:
    error = refused(tool, write(tmp_path, content))
    assert str(error.problems[0]).startswith("bad:" + expected), str(error)


@pytest.mark.parametrize("tool", sorted(READERS))
def test_encodings_and_binaries(tool: str, tmp_path: Path) -> None:
    utf16 = refused(tool, write(tmp_path, '{"version": "2.1.0"}'.encode("utf-16")))
    assert utf16.problems[0].code == "import.utf16" and str(utf16.problems[0]).startswith("bad:1:1: UTF-16 text")
    png = refused(tool, write(tmp_path, b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 10))
    assert png.problems[0].code in ("import.binary", "import.not_utf8"), png
    start = '{"version": "2.1.0", "SchemaVersion": 2, "results": {}, "runs": [], "Results": []}'
    if tool == "prowler":
        start = '[{"metadata": {"event_code": "a"}, "status_code": "PASS"}]'
    latin1 = refused(tool, write(tmp_path, start[:-1].encode() + b',\n "caf\xe9": 1' + start[-1:].encode()))
    assert str(latin1.problems[0]).startswith("bad:2:6: not UTF-8 text (byte 0xe9)"), latin1


@pytest.mark.parametrize("tool", sorted(READERS))
def test_deep_nesting_and_huge_values(tool: str, tmp_path: Path) -> None:
    prefix = {
        "prowler": "[",
        "checkov": '{"results": {"failed_checks": [',
        "trivy": '{"SchemaVersion": 2, "Results": [{"Vulnerabilities": [',
        "sarif": '{"version": "2.1.0", "runs": [{"results": [',
    }[tool]
    deep = refused(tool, write(tmp_path, prefix + "[" * 200_000))
    assert deep.problems[0].code == "import.too_deep", deep
    tracemalloc.start()
    try:
        huge = refused(tool, write(tmp_path, prefix + '{"a": "' + "x" * 40_000_000 + '"}'))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert huge.problems[0].code == "import.too_big" and "larger than 16 MiB" in str(huge), huge
    assert peak < 120_000_000, peak  # at most the 16 MiB value (and its text) is held, not the 40 MB file


def test_huge_csv_line(tmp_path: Path) -> None:
    error = refused("prowler", write(tmp_path, "CHECK_ID;STATUS\na;" + "x" * 5_000_000 + "\n"))
    assert str(error.problems[0]).startswith("bad:2:1: a line longer than 1,048,576 characters"), error


@pytest.mark.parametrize("tool", sorted(READERS))
def test_not_a_regular_file(tool: str, tmp_path: Path) -> None:
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    for path in (fifo, Path("/dev/zero"), tmp_path):
        error = refused(tool, path, limit=2)
        assert error.problems[0].code == "import.not_a_file", error
    sparse = tmp_path / "sparse"
    with sparse.open("wb") as handle:
        handle.truncate(10 * 1024**3)  # 10 GB of nothing: refused at the first byte, not read to the end
    error = refused(tool, sparse, limit=5)
    assert str(error.problems[0]).startswith("bad:1:1:") and error.problems[0].code == "import.binary", error


def test_many_distinct_rules_stay_bounded(tmp_path: Path) -> None:
    count = MAX_RULES + 5000
    findings = ",".join(
        '{"metadata": {"event_code": "rule_' + str(n) + '"}, "status_code": "FAIL", "resources": [{"uid": "r"}]}'
        for n in range(count)
    )
    run = read_prowler(write(tmp_path, "[" + findings + "]"), rules=EMPTY)
    assert run.tally.count == count
    assert len(run.tally.unmapped) == MAX_RULES + 1 and run.tally.unmapped[OTHER_RULES] == 5000


def test_cli_words_problems_in_japanese(tmp_path: Path) -> None:
    bad = write(tmp_path, '{"version": "2.1.0", "runs": [{"results": ["x"]}]}', "bad.sarif")
    ja = run_cli("import", "sarif", str(bad), "--lang", "ja")
    assert ja.returncode == 1 and "Traceback" not in ja.stderr
    assert f"{bad}:1:44: 形式が違う: ここにはオブジェクトを書く（文字列が書かれている）" in ja.stderr
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    shown = run_cli("import", "checkov", str(fifo), "--lang", "ja")
    assert shown.returncode == 1
    assert f"{fifo}:1:1: 通常のファイルではない（フォルダ・パイプ・デバイスなど）" in shown.stderr
    trivy = write(tmp_path, '{"SchemaVersion": 1}', "t.json")
    words = run_cli("import", "trivy", str(trivy), "--lang", "ja")
    assert f"{trivy}:1:19: Trivy のスキーマ 1 には対応していない（antai が読むのはスキーマ 2）" in words.stderr


# --- fuzzing ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("tool", sorted(READERS))
def test_fuzz_each_importer_briefly(tool: str, tmp_path: Path) -> None:
    """atheris for a few seconds per importer from the seeds: any bytes give a run or well-formed problems."""
    if importlib.util.find_spec("atheris") is None:
        pytest.skip("atheris is not installed (it is on Linux x86-64, as in CI)")
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    command = [
        sys.executable,
        str(FUZZ / "importers.py"),
        "-max_total_time=5",
        "-max_len=8192",
        "-timeout=5",
        "-rss_limit_mb=2048",
        "-print_final_stats=1",
        f"-artifact_prefix={tmp_path}/",
        str(corpus),
        str(FUZZ / "importer-seeds" / tool),
    ]
    env = {**os.environ, "ANTAI_FUZZ_IMPORTER": tool}
    result = subprocess.run(
        command, capture_output=True, text=True, errors="replace", cwd=tmp_path, timeout=120, env=env
    )
    runs = re.search(r"stat::number_of_executed_units: (\d+)", result.stderr)
    assert result.returncode == 0 and runs, result.stderr[-6000:]
    assert int(runs.group(1)) > 200, result.stderr[-2000:]


def test_fuzz_seeds_are_valid_inputs() -> None:
    """Each seed folder holds files its importer reads (the fuzzer mutates them from there)."""
    for tool, reader in READERS.items():
        seeds = sorted((FUZZ / "importer-seeds" / tool).iterdir())
        assert seeds, tool
        for seed in seeds:
            if seed.name.startswith("ok-"):
                reader(seed, rules=EMPTY)
            else:
                with pytest.raises(SourceError):
                    reader(seed, rules=EMPTY)
        assert json.dumps  # the seeds are JSON or CSV text; the harness feeds them as bytes


# --- a file given to the wrong importer -------------------------------------------------------------------

WRONG = [
    ("trivy", "prowler-example_output_aws.ocsf.json", "prowler", "Prowler"),
    ("prowler", "trivy-scheme_2_many_vulns.json", "trivy", "Trivy"),
    ("checkov", "sarif-semgrep-results.sarif", "sarif", "SARIF"),
    ("sarif", "checkov-report-many-vuln.json", "checkov", "Checkov"),
    ("trivy", "prowler-aws.csv", "prowler", "Prowler"),
]


@pytest.mark.parametrize(("given", "fixture", "right", "name"), WRONG)
def test_a_file_given_to_the_wrong_importer_names_the_right_one(
    given: str, fixture: str, right: str, name: str
) -> None:
    from antai.importers.sniff import guess_tool
    from tests.conftest import SHARED, run_cli

    path = SHARED / "fixtures" / "scanners" / fixture
    if not path.is_file():
        if os.environ.get("CI") == "true":
            pytest.fail("../shared is missing in CI")
        pytest.skip("../shared is not present on this machine")
    assert guess_tool(path.read_bytes()) == right
    wrong = run_cli("import", given, str(path), "--lang", "ja")
    assert wrong.returncode == 1
    assert f"{name} の出力に見える: antai import {right} で取り込む" in wrong.stderr
    assert run_cli("import", right, str(path)).returncode == 0


def test_every_fixture_is_recognised_and_text_is_not() -> None:
    from antai.importers.sniff import guess_tool
    from tests.conftest import SHARED

    folder = SHARED / "fixtures" / "scanners"
    if not folder.is_dir():
        if os.environ.get("CI") == "true":
            pytest.fail("../shared is missing in CI")
        pytest.skip("../shared is not present on this machine")
    found = {p.name: guess_tool(p.read_bytes()) for p in sorted(folder.iterdir()) if p.suffix != ".md"}
    assert found == {
        "checkov-report-many-vuln.json": "checkov",
        "checkov2-report-0-vuln.json": "checkov",
        "prowler-aws.csv": "prowler",
        "prowler-example_output_aws.ocsf.json": "prowler",
        "prowler_zero_vul.csv": "prowler",
        "sarif-codeQL-output.sarif": "sarif",
        "sarif-semgrep-results.sarif": "sarif",
        "sarif-trivy-alpine-310.sarif": "sarif",
        "trivy-misconfigurations_and_secrets.json": "trivy",
        "trivy-scheme_2_many_vulns.json": "trivy",
    }
    assert guess_tool(b'{"hello": "world"}') is None and guess_tool(b"") is None
