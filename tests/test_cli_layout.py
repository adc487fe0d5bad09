"""The CLI's dependencies run one way — app → commands → common modules — with no cycles, and a command
module is imported only when its command runs."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

from antai.cli.app import COMMANDS

CLI = Path(__file__).resolve().parent.parent / "src" / "antai" / "cli"


def _module(path: Path) -> str:
    parts = path.relative_to(CLI.parent.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports() -> dict[str, set[str]]:
    """antai.cli modules each module imports, at the top or inside functions."""
    graph: dict[str, set[str]] = {}
    for path in CLI.rglob("*.py"):
        found: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module:
                if node.module == "antai.cli":  # from antai.cli import output
                    found.update(f"antai.cli.{a.name}" for a in node.names)
                elif node.module.startswith("antai.cli."):
                    found.add(node.module)
            elif isinstance(node, ast.Import):
                found.update(a.name for a in node.names if a.name.startswith("antai.cli"))
        graph[_module(path)] = {m for m in found if m != "antai.cli"}
    return graph


GRAPH = _imports()
COMMAND_MODULES = {m for m in GRAPH if m.startswith("antai.cli.commands.")}
COMMON = {m for m in GRAPH if m not in COMMAND_MODULES | {"antai.cli.app", "antai.cli.main", "antai.cli.commands"}}


def test_every_command_module_is_registered_and_every_registration_resolves() -> None:
    import click
    from click.testing import CliRunner

    from antai.cli.app import cli
    from antai.cli.commands.review import LATER

    targets = [*COMMANDS.values(), *LATER.values()]  # `antai review` subcommands in modules of their own
    assert {target.partition(":")[0] for target, _ in targets} == COMMAND_MODULES
    ctx = click.Context(cli)
    for name in COMMANDS:
        assert isinstance(cli.get_command(ctx, name), click.Command), name
    assert CliRunner().invoke(cli, ["--help"]).exit_code == 0


def test_the_root_imports_no_command_module() -> None:
    assert not GRAPH["antai.cli.app"] & COMMAND_MODULES


@pytest.mark.parametrize("module", sorted(COMMAND_MODULES))
def test_a_command_module_imports_only_common_modules(module: str) -> None:
    assert GRAPH[module] <= COMMON, GRAPH[module] - COMMON


@pytest.mark.parametrize("module", sorted(COMMON))
def test_a_common_module_never_imports_a_command_or_the_root(module: str) -> None:
    assert not GRAPH[module] & (COMMAND_MODULES | {"antai.cli.app", "antai.cli.main"}), GRAPH[module]


def test_no_import_cycles() -> None:
    state: dict[str, int] = {}  # 1 visiting, 2 done

    def visit(module: str, trail: list[str]) -> None:
        if state.get(module) == 2:
            return
        assert state.get(module) != 1, " → ".join([*trail, module])
        state[module] = 1
        for target in sorted(GRAPH.get(module, ())):
            visit(target, [*trail, module])
        state[module] = 2

    for module in sorted(GRAPH):
        visit(module, [])


def test_no_module_imports_a_private_name_of_another() -> None:
    for path in CLI.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("antai"):
                private = [a.name for a in node.names if a.name.startswith("_") and not a.name.endswith("__")]
                assert not private, f"{path.name} imports {private} from {node.module}"


def _loaded_after(*args: str) -> set[str]:
    script = (
        "import sys\n"
        "from antai.cli.app import cli\n"
        "try:\n"
        f"    cli.main({list(args)!r}, prog_name='antai')\n"
        "except SystemExit:\n"
        "    pass\n"
        "print(' '.join(sorted(sys.modules)), file=sys.stderr)\n"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    return set(result.stderr.split())


def test_version_and_help_load_no_heavy_module() -> None:
    version = _loaded_after("--version")
    assert not {m for m in version if m.startswith(("antai.cli.commands.", "pydantic", "rich", "antai.catalog"))}
    shown = _loaded_after("--help")
    assert not {m for m in shown if m.startswith(("antai.cli.commands.", "pydantic", "rich", "antai.catalog"))}
    one = _loaded_after("items", "--help")
    assert "antai.cli.commands.guide" in one and "antai.cli.commands.workspace" not in one


def test_the_summaries_in_root_help_are_the_commands_own() -> None:
    import click

    from antai.cli.app import cli

    ctx = click.Context(cli)
    for name, (_, summary) in COMMANDS.items():
        command = cli.get_command(ctx, name)
        assert command is not None and command.get_short_help_str(limit=200) == summary, name
