"""Promises every command keeps: it is listed in `antai --help`, it takes --lang (also from the root and
from $ANTAI_LANG), and it exits with the documented code (0 ok, 1 refused, 2 usage / unknown ID, 3 busy,
4 damaged or newer, 130 interrupted)."""

from __future__ import annotations

import shutil
import tomllib
from collections.abc import Iterator
from importlib import import_module
from pathlib import Path

import click
import pytest
import yaml
from click.testing import CliRunner

from antai.cli.app import cli

from .conftest import REPO, fresh_workspace, init_template, run_cli

ENV = {"ANTAI_USER": "tester"}


def walk(group: click.Group, path: tuple[str, ...] = ()) -> Iterator[tuple[tuple[str, ...], click.Command]]:
    ctx = click.Context(group)
    for name in group.list_commands(ctx):
        command = group.get_command(ctx, name)
        assert command is not None, name
        yield (*path, name), command
        if isinstance(command, click.Group):
            yield from walk(command, (*path, name))


ALL = list(walk(cli))
# groups such as `catalog` only dispatch; `org` and `report` also run by themselves
RUNNABLE = [path for path, command in ALL if not isinstance(command, click.Group) or command.invoke_without_command]


def test_the_walk_finds_every_command() -> None:
    names = {" ".join(path) for path, _ in ALL}
    assert {"set", "accept", "evidence add", "evidence withdraw", "org set", "profile set", "report schema"} <= names
    assert len(RUNNABLE) >= 35


def test_root_help_lists_every_command_and_the_exit_codes() -> None:
    result = run_cli("--help")
    assert result.returncode == 0
    listed = {line.split()[0] for line in result.stdout.split("Commands:")[1].splitlines() if line.strip()}
    assert listed == {path[0] for path, _ in ALL if len(path) == 1}
    for code in ("0", "1", "2", "3", "4", "130"):
        assert any(line.strip().startswith(code + " ") for line in result.stdout.splitlines()), code
    assert "profile new" in result.stdout  # the founder path


@pytest.mark.parametrize("path", RUNNABLE, ids=" ".join)
def test_every_command_takes_lang(path: tuple[str, ...]) -> None:
    runner = CliRunner()
    ok = runner.invoke(cli, [*path, "--lang", "en", "--help"])
    assert ok.exit_code == 0, ok.output
    assert "--lang" in ok.output
    bad = runner.invoke(cli, [*path, "--lang", "fr", "--help"])
    assert bad.exit_code == 2 and "--lang" in bad.output


def test_lang_from_the_root_and_the_environment_and_the_command_wins() -> None:
    assert "no item NOPE-01" in run_cli("--lang", "en", "item", "NOPE-01").stderr
    assert "no item NOPE-01" in run_cli("item", "NOPE-01", env={"ANTAI_LANG": "en"}).stderr
    assert "項目 NOPE-01 はない" in run_cli("item", "NOPE-01", "--lang", "ja", env={"ANTAI_LANG": "en"}).stderr
    assert "項目 NOPE-01 はない" in run_cli("--lang", "en", "item", "NOPE-01", "--lang", "ja").stderr
    unsupported = run_cli("items", env={"ANTAI_LANG": "fr"})
    assert unsupported.returncode == 2 and "ANTAI_LANG" in unsupported.stderr


def test_both_entry_points_run() -> None:
    scripts = tomllib.loads((REPO / "pyproject.toml").read_text("utf-8"))["project"]["scripts"]
    module, _, function = scripts["antai"].partition(":")
    assert callable(getattr(import_module(module), function))
    assert run_cli("--version").stdout.startswith("antai, version ")  # python -m antai
    assert run_cli("-V").returncode == 0


def test_shell_completion_is_clicks_own() -> None:
    source = run_cli(env={"_ANTAI_COMPLETE": "bash_source"})
    assert source.returncode == 0 and "_antai_completion" in source.stdout
    words = run_cli(
        env={"_ANTAI_COMPLETE": "bash_complete", "COMP_WORDS": "antai org set governance.security_o", "COMP_CWORD": "3"}
    )
    assert "governance.security_owner" in words.stdout and "governance.security_owner_authority" in words.stdout
    statuses = run_cli(
        env={"_ANTAI_COMPLETE": "bash_complete", "COMP_WORDS": "antai set X --status not_", "COMP_CWORD": "4"}
    )
    assert "not_applicable" in statuses.stdout and "risk_accepted" not in statuses.stdout


def test_org_set_help_names_every_fact() -> None:
    from antai.assessment.model import FactKind, fact_fields

    shown = CliRunner().invoke(cli, ["org", "set", "--help"]).output
    for spec in fact_fields():
        if spec.kind != FactKind.RECORD and ".N." not in spec.path:
            assert spec.path in shown, spec.path


# --- exit codes -----------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return init_template(tmp_path_factory, "Exit KK")


@pytest.fixture
def ws(template: Path, tmp_path: Path) -> Path:
    return fresh_workspace(template, tmp_path / "ws")


def _newer_format(ws: Path) -> None:
    meta = ws / "antai.yaml"
    data = yaml.safe_load(meta.read_text("utf-8"))
    meta.write_text(meta.read_text("utf-8").replace(f"format: {data['format']}", "format: 99"), "utf-8")


def _newer_catalog(ws: Path) -> None:
    meta = ws / "antai.yaml"
    data = yaml.safe_load(meta.read_text("utf-8"))
    meta.write_text(meta.read_text("utf-8").replace(str(data["catalog_version"]), "9.0.0"), "utf-8")


# (name, arguments run with -C WS, how to prepare the workspace, expected exit code)
CASES: list[tuple[str, list[str], str | None, int]] = [
    ("ok: read", ["status", "--format", "json"], None, 0),
    ("ok: change", ["set", "IAM-01", "--status", "implemented"], None, 0),
    ("ok: verify", ["verify"], None, 0),
    ("refused: planned without due", ["set", "IAM-02", "--status", "planned"], None, 1),
    ("refused: item outside the plan", ["set", "IOC-01", "--status", "implemented"], None, 1),
    (
        "refused: mandatory N/A without approver",
        ["set", "IAM-01", "--status", "not_applicable", "--reason", "x"],
        None,
        1,
    ),
    ("refused: nothing to record", ["record", "-m", "nothing"], None, 1),
    ("check failed: edited history", ["verify"], "tamper", 1),
    ("unknown item: set", ["set", "NOPE-01", "--status", "implemented"], None, 2),
    (
        "unknown item: accept",
        ["accept", "NOPE-01", "--rationale", "r", "--approver", "a", "--expires", "2099-01-01"],
        None,
        2,
    ),
    ("unknown item: evidence add", ["evidence", "add", "NOPE-01", "https://example.com/x"], None, 2),
    ("unknown item: evidence list", ["evidence", "list", "NOPE-01"], None, 2),
    ("unknown item: log", ["log", "NOPE-01"], None, 2),
    ("unknown evidence ID", ["evidence", "withdraw", "E9999", "--reason", "x"], None, 2),
    ("unknown file", ["evidence", "add", "IAM-01", "/no/such/file.pdf"], None, 2),
    ("unknown fact", ["org", "set", "security_officer", "x"], None, 2),
    ("bad date", ["set", "IAM-02", "--status", "planned", "--due", "next month"], None, 2),
    ("bad choice", ["set", "IAM-02", "--status", "done"], None, 2),
    ("risk acceptance only through accept", ["set", "IAM-02", "--status", "risk_accepted"], None, 2),
    ("nothing to set", ["set", "IAM-02"], None, 2),
    ("unsupported --lang", ["status", "--lang", "fr"], None, 2),
    ("no workspace", ["status"], "remove", 2),
    ("no workspace: log", ["log"], "remove", 2),
    ("busy: change", ["set", "IAM-01", "--status", "implemented"], "lock", 3),
    ("busy: read", ["status"], "lock", 3),
    ("newer format: read", ["status"], "newer-format", 4),
    ("newer format: change", ["set", "IAM-01", "--status", "implemented"], "newer-format", 4),
    ("newer catalog pinned", ["status"], "newer-catalog", 4),
]


@pytest.mark.parametrize(("args", "prepare", "code"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_exit_codes_of_workspace_commands(ws: Path, args: list[str], prepare: str | None, code: int) -> None:
    env = {**ENV, "ANTAI_LOCK_TIMEOUT": "0.3"}
    if prepare == "tamper":
        log = ws / "history.jsonl"
        log.write_text(log.read_text("utf-8").replace("Exit KK", "Evil KK"), "utf-8")
    elif prepare == "remove":
        shutil.rmtree(ws)
        ws.mkdir()
    elif prepare == "newer-format":
        _newer_format(ws)
    elif prepare == "newer-catalog":
        _newer_catalog(ws)
    if prepare == "lock":
        from filelock import FileLock

        with FileLock(str(ws / ".antai" / "lock")):
            result = run_cli(*args, "-C", str(ws), env=env)
    else:
        result = run_cli(*args, "-C", str(ws), env=env)
    assert result.returncode == code, result.stdout + result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(
    ("args", "code"),
    [
        (["items", "--format", "json"], 0),
        (["fisc", "coverage", "--format", "json"], 0),
        (["item", "NOPE-01"], 2),
        (["technote", "no-such-note"], 2),
        (["concepts", "no-such-topic"], 2),
        (["fisc", "show", "X99"], 2),
        (["items", "--chapter", "42"], 2),
        (["plan", "--profile", "example:nope"], 2),
        (["profile", "show", "/no/such/profile.yaml"], 2),
        (["catalog", "validate", "/no/such/folder"], 2),
        (["items", "--layer", "roof"], 2),
        (["no-such-command"], 2),
    ],
    ids=lambda value: " ".join(value) if isinstance(value, list) else f"exit {value}",
)
def test_exit_codes_of_reading_commands(args: list[str], code: int) -> None:
    result = run_cli(*args)
    assert result.returncode == code, result.stdout + result.stderr
    assert "Traceback" not in result.stderr


def test_a_broken_catalog_exits_1(catalog_copy: Path) -> None:
    item = next((catalog_copy / "items").rglob("IAM-01.yaml"))
    item.write_text(item.read_text("utf-8").replace("level: baseline", "level: tiny", 1), "utf-8")
    result = run_cli("catalog", "validate", str(catalog_copy))
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert run_cli("--catalog", str(catalog_copy), "catalog", "validate").returncode == 1  # --catalog is honoured


def test_upgrade_and_org_speak_json_for_scripts(ws: Path) -> None:
    import json

    upgrade = run_cli("upgrade", "--dry-run", "--format", "json", "-C", str(ws), env=ENV)
    assert upgrade.returncode == 0 and json.loads(upgrade.stdout)["unchanged"] is True
    facts = run_cli("org", "--format", "json", "-C", str(ws), env=ENV)
    assert facts.returncode == 0 and "security_owner" in json.loads(facts.stdout)["organisation_facts"]["governance"]
