"""Hostile and malformed YAML: every reader refuses it with file:line:column problems, fast, never a traceback.

The small cases are files in tests/hostile/ (one per case, named for it); the big ones (a huge file, deep
nesting, a long value, many values) are generated here. Every case runs against every reader's model.
"""

from __future__ import annotations

import datetime as dt
import gc
import importlib.util
import math
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
import yaml
from pydantic import BaseModel

from antai.assessment.model import (
    AnswersFile,
    ArchiveFile,
    DecisionsFile,
    EvidenceIndex,
    OrganisationFacts,
    WorkspaceMeta,
)
from antai.catalog.loader import BUILTIN_DIR
from antai.catalog.schema import Item
from antai.catalog.yamlsource import (
    LIMITS,
    MAX_PROBLEMS,
    Limits,
    SourceError,
    YamlDocument,
    load_model,
    load_yaml,
    load_yaml_text,
)
from antai.tailoring.profile import EXAMPLES_DIR, Profile

from .conftest import run_cli

HOSTILE = Path(__file__).parent / "hostile"
FUZZ = Path(__file__).parent / "fuzz"
MODELS: list[type[BaseModel]] = [
    Item,
    Profile,
    WorkspaceMeta,
    AnswersFile,
    DecisionsFile,
    OrganisationFacts,
    EvidenceIndex,
    ArchiveFile,
]
PROBLEM = re.compile(r"^(?P<file>[^\n]+):(?P<line>[1-9]\d*):(?P<column>[1-9]\d*): (?P<message>\S[^\n]*)$")

ANCHORS = "anchors and aliases (&name, *name) are not allowed in antai files"
NOT_UTF8 = "not UTF-8 text (byte "
# case → the first problem's line, column and message start: found by the parser, so the same for every reader
EXPECTED: dict[str, tuple[int, int, str]] = {
    "alias-cycle": (1, 4, ANCHORS),
    "billion-laughs": (1, 4, ANCHORS),
    "merge-key-alias": (1, 7, ANCHORS),
    "unused-anchor": (1, 7, ANCHORS),
    "undefined-alias": (1, 7, ANCHORS),
    "merge-key-inline": (3, 5, "merge keys (<<) are not allowed in antai files"),
    "impossible-date-due": (4, 10, "2027-02-30 is not a real date"),
    "impossible-date-month-zero": (3, 10, "2026-00-01 is not a real date"),
    "impossible-date-month-13": (3, 21, "2026-13-01 is not a real date"),
    "impossible-date-in-name": (1, 7, "2026-02-30 is not a real date"),
    "impossible-date-leap": (3, 14, "2027-02-29 is not a real date"),
    "impossible-datetime": (3, 15, "2026-11-01T25:00:00Z is not a real date and time"),
    "impossible-timezone": (3, 15, "2026-11-01T10:00:00+99:00 is not a real date and time"),
    "non-utf8-latin1": (1, 10, NOT_UTF8 + "0xe9); save the file as UTF-8"),
    "non-utf8-shift-jis": (1, 7, NOT_UTF8 + "0x89)"),
    "utf8-encoded-surrogate": (1, 7, NOT_UTF8 + "0xed)"),
    "binary-png": (1, 1, NOT_UTF8 + "0x89)"),
    "nul-byte": (1, 11, "character U+0000 is not allowed in YAML (is this a binary file?)"),
    "binary-zeros": (1, 1, "character U+0000 is not allowed in YAML"),
    "control-character": (1, 11, "character U+0007 is not allowed in YAML"),
    "terminal-escape": (1, 15, "control character U+001B is not allowed in a value"),
    "two-documents": (2, 1, "a second YAML document starts here; an antai file holds exactly one"),
    "python-object-apply": (1, 7, "the tag !!python/object/apply:os.system is not allowed in antai files"),
    "python-name": (1, 7, "the tag !!python/name:os.system is not allowed in antai files"),
    "local-tag": (1, 7, "the tag !secret is not allowed in antai files"),
    "explicit-int-tag": (1, 8, "the tag !!int is not allowed in antai files"),
    "binary-tag": (1, 7, "the tag !!binary is not allowed in antai files"),
    "tab-indent": (2, 1, "invalid YAML: a tab cannot indent or start a value; use spaces"),
    "empty": (1, 1, "the file is empty"),
    "only-comments": (1, 1, "the file is empty"),
    "document-marker-only": (1, 1, "expected a mapping of fields, found nothing"),
    "top-level-list": (1, 1, "expected a mapping of fields, found a list"),
    "top-level-text": (1, 1, "expected a mapping of fields, found text"),
    "duplicate-key": (3, 1, "duplicate key 'name' (first on line 1)"),
    "duplicate-key-bool": (3, 3, "duplicate key 'true' (first on line 2)"),
    "complex-key": (1, 3, "a key must be a single value, not a list or a mapping"),
    "unclosed-flow": (2, 6, "invalid YAML: while parsing a flow sequence"),
    "bad-indentation": (4, 4, "invalid YAML: while parsing a block mapping"),
}
# cases the parser accepts and only the models refuse (each in its own words): checked per model below
MODEL_LEVEL = {"sexagesimal", "bool-as-number", "number-as-bool", "old-octal", "wrong-types-everywhere"}
CASES = sorted(p.name for p in HOSTILE.iterdir())


def _refused(path: Path, model: type[BaseModel], display: str | None = None) -> SourceError:
    """Read ``path`` as ``model``; it must fail with well-formed problems in about a second at most.
    CPU time, not wall time: the bound is about the reader's work, not about what else the machine runs. The
    worst case (100,000 values) takes 0.3–0.4 s on its own; late in the whole suite, full garbage collections
    over the suite's heap once made it 1.16 s, hence the margin (a hang or a quadratic blow-up is far above)."""
    gc.collect()
    start = time.process_time()
    with pytest.raises(SourceError) as info:
        load_model(path, model, display=display)
    elapsed = time.process_time() - start
    assert elapsed < 2.0, f"{path.name} as {model.__name__} took {elapsed:.2f} s"
    problems = info.value.problems
    assert problems
    for problem in problems:
        assert PROBLEM.match(str(problem)), repr(str(problem))
        assert problem.file == (display or str(path))
    assert str(info.value).splitlines() == [str(p) for p in problems]
    return info.value


def test_every_case_has_an_expectation() -> None:
    assert {Path(c).stem for c in CASES} == set(EXPECTED) | MODEL_LEVEL
    assert all(c.endswith(".yaml") for c in CASES)


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
@pytest.mark.parametrize("case", CASES)
def test_every_reader_refuses_every_hostile_case(case: str, model: type[BaseModel]) -> None:
    error = _refused(HOSTILE / case, model)
    stem = Path(case).stem
    if stem in EXPECTED:
        line, column, message = EXPECTED[stem]
        first = error.problems[0]
        assert (first.line, first.column) == (line, column), str(first)
        assert first.message.startswith(message), str(first)
        assert str(first).startswith(f"{HOSTILE / case}:{line}:{column}: ")


@pytest.mark.parametrize(
    ("case", "expected"),
    [
        ("sexagesimal", "1:8: users: Input should be a valid integer"),  # not 45000
        ("bool-as-number", "1:8: users: Input should be a valid integer"),  # not 1 user
        ("number-as-bool", "1:23: moves_customer_funds: Input should be a valid boolean"),  # not yes
        ("old-octal", "1:8: staff: Input should be a valid integer"),  # not 15 people
    ],
)
def test_the_profile_refuses_silent_coercions(case: str, expected: str) -> None:
    error = _refused(HOSTILE / f"{case}.yaml", Profile, display="p.yaml")
    assert [str(p) for p in error.problems] == [f"p.yaml:{expected}"]


def test_a_profile_name_has_a_length_limit(tmp_path: Path) -> None:
    path = tmp_path / "p.yaml"
    path.write_text(f"name: {'x' * 100_000}\n", encoding="utf-8")
    assert str(_refused(path, Profile)) == f"{path}:1:7: name: String should have at most 200 characters"
    path.write_text(f"name: {'名' * 200}\nusers: 1_000\nmoves_customer_funds: true\n", encoding="utf-8")
    profile = load_model(path, Profile)
    assert profile.users == 1000 and profile.moves_customer_funds is True


def test_catalog_texts_have_a_length_limit(tmp_path: Path) -> None:
    item = next(BUILTIN_DIR.glob("items/*/IAM-01.yaml")).read_text(encoding="utf-8")
    path = tmp_path / "IAM-01.yaml"
    path.write_text(item.replace("title:\n  ja: ", f"title:\n  ja: {'長' * 20_001}", 1), encoding="utf-8")
    error = _refused(path, Item)
    assert [p.message for p in error.problems] == ["title.ja: String should have at most 20000 characters"]


# --- generated big cases ---------------------------------------------------------------------------


def _big_cases() -> dict[str, tuple[bytes, tuple[int, int | None, str]]]:
    depth = LIMITS.max_depth
    nested_block = "".join(f"{'  ' * n}k:\n" for n in range(depth + 1)) + f"{'  ' * (depth + 1)}k: 1\n"
    return {
        "huge": (b"a: 1\n" + b"#" * LIMITS.max_bytes, (1, 1, "the file has 2,097,157 bytes; an antai file may")),
        "deep-flow": (b"[" * (depth + 1) + b"]" * (depth + 1), (1, depth + 1, "nested deeper than 64 levels")),
        "deep-block": (nested_block.encode(), (depth + 1, 2 * depth + 1, "nested deeper than 64 levels")),
        # libyaml's scanner gives up at its own limit (1,000 in 0.2.5), before the parser reaches ours
        "deep-unclosed": (b"a: " + b"[" * 100_000, (1, None, "nested deeper than 64 levels")),
        "long-value": (
            b"name: " + b"x" * (LIMITS.max_scalar_chars + 1) + b"\n",
            (1, 7, "a value longer than 100,000 characters (the limit for one value)"),
        ),
        "long-key": (b"k" * (LIMITS.max_scalar_chars + 1) + b": 1\n", (1, 1, "a value longer than 100,000")),
        "many-values": (
            b"".join(b"- 1\n" for _ in range(LIMITS.max_nodes + 1)),
            (LIMITS.max_nodes, 3, "more than 100,000 values in one file (the limit for antai files)"),
        ),
    }


@pytest.mark.parametrize("case", ["huge", "deep-flow", "deep-block", "deep-unclosed", "long-value", "long-key"])
def test_limits_are_reported_at_their_position(case: str, tmp_path: Path) -> None:
    data, (line, column, message) = _big_cases()[case]
    path = tmp_path / f"{case}.yaml"
    path.write_bytes(data)
    for model in MODELS:
        first = _refused(path, model).problems[0]
        assert first.line == line and column in (None, first.column), str(first)
        assert first.message.startswith(message), str(first)


def test_the_value_limit_is_reported_at_the_first_value_too_many(tmp_path: Path) -> None:
    data, (line, column, message) = _big_cases()["many-values"]
    path = tmp_path / "many.yaml"
    path.write_bytes(data)
    for model in (Profile, AnswersFile):
        first = _refused(path, model).problems[0]
        assert (first.line, first.column, first.message) == (line, column, message)


def test_a_huge_file_is_refused_before_it_is_read(tmp_path: Path) -> None:
    path = tmp_path / "sparse.yaml"
    with path.open("wb") as out:  # a sparse GiB: reading it would take seconds and the memory
        out.truncate(1 << 30)
    error = _refused(path, Profile)
    assert error.problems[0].message == "the file has 1,073,741,824 bytes; an antai file may have at most 2,097,152"


def test_a_device_is_read_only_up_to_the_limit() -> None:
    if not Path("/dev/zero").exists():
        pytest.skip("no /dev/zero")
    error = _refused(Path("/dev/zero"), Profile)
    assert error.problems[0].message == "the file has more than 2,097,152 bytes (the limit)"


def test_the_limits_can_be_changed(tmp_path: Path) -> None:
    path = tmp_path / "p.yaml"
    path.write_text("name: [[[x]]]\n", encoding="utf-8")
    assert load_yaml(path).data == {"name": [[["x"]]]}
    with pytest.raises(SourceError, match=r":1:1: the file has 14 bytes; an antai file may have at most 10$"):
        load_yaml(path, limits=Limits(max_bytes=10))
    with pytest.raises(SourceError, match=r":1:8: nested deeper than 2 levels"):
        load_model(path, Profile, limits=Limits(max_depth=2))
    with pytest.raises(SourceError, match=r":1:1: a value longer than 0 characters"):
        load_yaml(path, limits=Limits(max_scalar_chars=0))
    with pytest.raises(SourceError, match=r":1:7: more than 2 values"):
        load_yaml(path, limits=Limits(max_nodes=2))


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_thousands_of_problems_are_cut_short(model: type[BaseModel], tmp_path: Path) -> None:
    path = tmp_path / "unknown.yaml"
    path.write_text("".join(f"k{n}: 1\n" for n in range(5_000)), encoding="utf-8")
    problems = _refused(path, model).problems
    assert len(problems) == MAX_PROBLEMS + 1
    assert problems[-1].message.startswith("and ") and "more problems in this file" in problems[-1].message


def test_keys_in_messages_stay_on_one_line(tmp_path: Path) -> None:
    duplicated = '"a\\nb\\u202e": 1\n"a\\nb\\u202e": 2\n'
    with pytest.raises(SourceError) as info:
        load_yaml_text(duplicated, "x.yaml")
    assert str(info.value) == r"x.yaml:2:1: duplicate key 'a\nb\u202e' (first on line 1)"
    path = tmp_path / "p.yaml"
    path.write_text(f'"a\\nb\\u202e": 1\n{"k" * 500}: 1\n', encoding="utf-8")
    unknown = [p.message for p in _refused(path, Profile).problems]
    assert unknown == [r"unknown field 'a\nb\u202e'", f"unknown field '{'k' * 80}...'"]


# --- what must keep working ------------------------------------------------------------------------


def _shipped_yaml() -> list[Path]:
    return sorted([*BUILTIN_DIR.rglob("*.y*ml"), *EXAMPLES_DIR.glob("*.yaml"), *(FUZZ / "seeds").glob("*.yaml")])


def test_shipped_files_read_exactly_as_pyyaml_reads_them() -> None:
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    for path in _shipped_yaml():
        assert load_yaml(path).data == yaml.load(path.read_text(encoding="utf-8"), Loader=loader), path


def _locs(data: Any, prefix: tuple[str | int, ...] = ()) -> list[tuple[str | int, ...]]:
    found = [prefix]
    if isinstance(data, dict):
        for key, value in data.items():
            found += _locs(value, (*prefix, str(key)))
    elif isinstance(data, list):
        for n, value in enumerate(data):
            found += _locs(value, (*prefix, n))
    return found


def _same(a: YamlDocument, b: YamlDocument) -> None:
    assert a.data == b.data
    for loc in _locs(a.data):
        assert a.position(loc) == b.position(loc), loc


@pytest.mark.parametrize("path", _shipped_yaml()[::9], ids=lambda p: p.name)
def test_crlf_and_a_bom_read_exactly_like_lf(path: Path, tmp_path: Path) -> None:
    raw = path.read_bytes()
    assert b"\r" not in raw
    lf = load_yaml(path)
    for variant, data in {"crlf": raw.replace(b"\n", b"\r\n"), "bom": b"\xef\xbb\xbf" + raw}.items():
        other = tmp_path / f"{variant}-{path.name}"
        other.write_bytes(data)
        _same(lf, load_yaml(other))


def test_crlf_problems_have_the_same_positions(tmp_path: Path) -> None:
    for case in ("impossible-date-due.yaml", "duplicate-key.yaml", "two-documents.yaml", "bad-indentation.yaml"):
        crlf = tmp_path / case
        crlf.write_bytes((HOSTILE / case).read_bytes().replace(b"\n", b"\r\n"))
        lf_problems = _refused(HOSTILE / case, AnswersFile).problems
        crlf_problems = _refused(crlf, AnswersFile).problems
        assert [(p.line, p.column, p.message) for p in crlf_problems] == [
            (p.line, p.column, p.message) for p in lf_problems
        ]


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("true", True),
        ("False", False),
        ("yes", True),
        ("off", False),
        ("~", None),
        ("", None),
        ("0", 0),
        ("-12", -12),
        ("1_000", 1000),
        ("0x1F", 31),
        ("0b101", 5),
        ("1.5", 1.5),
        ("-.inf", -math.inf),
        ("12:30:00", "12:30:00"),  # YAML 1.1 would make this 45000
        ("1:30", "1:30"),
        ("017", "017"),  # YAML 1.1 would make this 15
        ("0o17", "0o17"),
        ("0x_", "0x_"),  # PyYAML crashes on this one
        ("1e5", "1e5"),
        ("=", "="),
        ("<<x", "<<x"),
        ("2026-01-31", dt.date(2026, 1, 31)),
        ("2026-1-5", "2026-1-5"),  # as PyYAML: a date alone needs two digits
        ("2026-1-5 1:02:03", dt.datetime(2026, 1, 5, 1, 2, 3)),
        ("2026-01-31T10:00:00Z", dt.datetime(2026, 1, 31, 10, tzinfo=dt.UTC)),
        (
            "2026-01-31 10:00:00.5 +09:00",
            dt.datetime(2026, 1, 31, 10, 0, 0, 500_000, dt.timezone(dt.timedelta(hours=9))),
        ),
        ("'2027-02-30'", "2027-02-30"),  # quoted: text, so a note may say anything
        ("'true'", "true"),
        ("!!str 5", "5"),
        ("9" * 2000, "9" * 2000),  # longer than int() accepts
    ],
)
def test_plain_values(text: str, value: Any) -> None:
    data = load_yaml_text(f"v: {text}\n", "x.yaml").data["v"]
    assert data == value and type(data) is type(value)


def test_a_nan_is_still_a_float() -> None:
    assert math.isnan(load_yaml_text("v: .nan\n", "x.yaml").data["v"])


def test_in_memory_text_and_bytes_read_alike() -> None:
    text = "name: 家計簿\nusers: 5\n"
    assert load_yaml_text(text, "a").data == load_yaml_text(text.encode(), "a").data == {"name": "家計簿", "users": 5}
    with pytest.raises(SourceError, match=r"^a:1:7: character U\+D800 is not allowed in YAML$"):
        load_yaml_text("name: \ud800\n", "a")


# --- the whole CLI ---------------------------------------------------------------------------------


def test_cli_catalog_validate_refuses_an_extension_with_a_cycle(tmp_path: Path) -> None:
    ext = tmp_path / "ext"
    (ext / "items").mkdir(parents=True)
    item = ext / "items" / "ZZ-01.yaml"
    shutil.copy(HOSTILE / "alias-cycle.yaml", item)
    result = run_cli("--lang", "en", "catalog", "validate", str(ext))
    assert result.returncode == 1, result.stdout + result.stderr
    # validate's report is its output (stdout); only the summary goes to stderr
    assert f"{item}:1:4: {ANCHORS}" in result.stdout + result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    listed = run_cli("--lang", "en", "--catalog-dir", str(ext), "items")
    assert listed.returncode == 1 and f"{item}:1:4: {ANCHORS}" in listed.stderr
    assert "Traceback" not in listed.stdout + listed.stderr


@pytest.mark.parametrize(
    ("case", "expected"),
    [
        ("alias-cycle", f"1:4: {ANCHORS}"),
        ("billion-laughs", f"1:4: {ANCHORS}"),
        ("impossible-date-in-name", "1:7: 2026-02-30 is not a real date"),
        ("bool-as-number", "1:8: users: Input should be a valid integer"),
        ("non-utf8-shift-jis", "1:7: not UTF-8 text (byte 0x89)"),
        ("python-object-apply", "1:7: the tag !!python/object/apply:os.system is not allowed"),
    ],
)
def test_cli_plan_refuses_a_bad_profile(case: str, expected: str, tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    shutil.copy(HOSTILE / f"{case}.yaml", bad)
    start = time.monotonic()
    result = run_cli("plan", "--profile", str(bad), "--lang", "en")
    assert time.monotonic() - start < 30
    assert result.returncode == 1, result.stdout + result.stderr
    assert f"{bad}:{expected}" in result.stderr
    assert "Traceback" not in result.stdout + result.stderr


# --- fuzzing ---------------------------------------------------------------------------------------


def test_fuzz_the_readers_briefly(tmp_path: Path) -> None:
    """atheris for about 20 s from the hostile corpus; bench/fuzz_yaml.py runs it for longer."""
    if importlib.util.find_spec("atheris") is None:
        pytest.skip("atheris is not installed (it is on Linux x86-64, as in CI)")
    corpus = tmp_path / "corpus"  # new inputs go here, never into tests/hostile
    corpus.mkdir()
    command = [
        sys.executable,
        str(FUZZ / "yaml_readers.py"),
        "-max_total_time=20",
        "-max_len=4096",
        "-timeout=5",
        "-rss_limit_mb=2048",
        "-print_final_stats=1",
        f"-dict={FUZZ / 'yaml.dict'}",
        f"-artifact_prefix={tmp_path}/",
        str(corpus),
        str(HOSTILE),
        str(FUZZ / "seeds"),
    ]
    result = subprocess.run(command, capture_output=True, text=True, errors="replace", cwd=tmp_path, timeout=120)
    runs = re.search(r"stat::number_of_executed_units: (\d+)", result.stderr)
    assert result.returncode == 0 and runs, result.stderr[-6000:]
    assert int(runs.group(1)) > 1000, result.stderr[-2000:]


@pytest.mark.parametrize(
    ("case", "expected"),
    [
        ("alias-cycle", "1:4: アンカーとエイリアス（&名前・*名前）は antai のファイルでは使えない: 値をそのまま書く"),
        ("impossible-date-in-name", "1:7: 2026-02-30 は実在しない日付"),
        ("bool-as-number", "1:8: users: 整数で書く"),
    ],
)
def test_cli_plan_words_a_bad_profile_in_japanese(case: str, expected: str, tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    shutil.copy(HOSTILE / f"{case}.yaml", bad)
    result = run_cli("plan", "--profile", str(bad), "--lang", "ja")
    assert result.returncode == 1 and f"{bad}:{expected}" in result.stderr
