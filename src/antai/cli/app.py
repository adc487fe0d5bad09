"""The ``antai`` root command: global options, lazily registered command modules, and ``main()``.

Command modules are imported only when their command runs (or when --help lists them), and they import
the core inside their functions, so `antai --version` loads nothing but Click.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from antai import __version__
from antai.cli.context import LANGS, Env, get_env
from antai.cli.errors import user_errors
from antai.cli.lazy import LazyGroup

# command name → ("module:attribute", summary), in the order `antai --help` lists them. The summaries
# repeat each command's first docstring sentence so that `antai --help` imports no command module
# (tests/test_cli_layout.py checks that they agree).
COMMANDS: dict[str, tuple[str, str]] = {
    "concepts": (
        "antai.cli.commands.guide:concepts",
        "Show the concept part (概念編): the list of topics, or one TOPIC in full.",
    ),
    "items": ("antai.cli.commands.guide:items", "List criteria items."),
    "item": ("antai.cli.commands.guide:item", "Show one criteria item in full."),
    "guide": (
        "antai.cli.commands.guide:guide",
        "Render the whole guideline: quick reference, concept part and every item.",
    ),
    "technotes": (
        "antai.cli.commands.guide:technotes",
        "List the new-technology notes: techniques that meet a measure's intent at lower cost.",
    ),
    "technote": (
        "antai.cli.commands.guide:technote",
        "Show one new-technology note: how it works, what it satisfies, and when the equivalence holds.",
    ),
    "fisc": ("antai.cli.commands.fisc:fisc", "FISC 安全対策基準 traceability: how antai handles every FISC item (R3)."),
    "catalog": (
        "antai.cli.commands.catalog:catalog",
        "Validate the catalog or an extension folder; print its JSON Schema.",
    ),
    "profile": ("antai.cli.commands.profile:profile", "The service profile: questionnaire, schema and checks."),
    "plan": (
        "antai.cli.commands.profile:plan",
        "The tailored quick reference: which items apply to this service, why, and in which order.",
    ),
    "roadmap": (
        "antai.cli.commands.profile:roadmap",
        "The phases laid out as quarters with dates for the team's capacity, and when the mandatory set is done.",
    ),
    "init": (
        "antai.cli.commands.workspace:init",
        "Create a workspace in DIRECTORY (default: here) for a team to keep in git.",
    ),
    "set": ("antai.cli.commands.workspace:set_", "Record the status of one item (risk acceptance: `antai accept`)."),
    "accept": (
        "antai.cli.commands.workspace:accept",
        "Record a reasoned decision to accept the risk of not implementing ITEM.",
    ),
    "evidence": ("antai.cli.commands.evidence:evidence", "Evidence: files and links that show an item is done."),
    "org": (
        "antai.cli.commands.org:org",
        "Organisation facts banks ask first, in the bank's groups: show them, gaps marked, or change them.",
    ),
    "assess": (
        "antai.cli.commands.assess:assess",
        "Walk through unanswered or stale items and answer them one by one (plain terminal, works over SSH).",
    ),
    "status": (
        "antai.cli.commands.report:status",
        "Where the assessment stands: coverage, scores by chapter / CIA / layer, ranked gaps and flags.",
    ),
    "report": (
        "antai.cli.commands.report:report",
        "Write the assessment report: the bank pack (XLSX/HTML), the exec one-pager, engineer views, or JSON.",
    ),
    "validate": (
        "antai.cli.commands.workspace:validate",
        "Check a (hand-edited) workspace: file:line:column: message for every problem; exit 1 if any.",
    ),
    "record": (
        "antai.cli.commands.workspace:record",
        "Record hand edits — or join the history branches of a git merge — after `antai validate` passes.",
    ),
    "upgrade": (
        "antai.cli.commands.workspace:upgrade",
        "Move the workspace to this antai's catalog (never a downgrade).",
    ),
    "repair": (
        "antai.cli.commands.workspace:repair",
        "Complete an interrupted change, remove stray temporary files, and say what still needs a person.",
    ),
    "log": ("antai.cli.commands.history:log", "Show the history of changes (of one ITEM)."),
    "verify": (
        "antai.cli.commands.history:verify",
        "Recompute the history chain and evidence hashes; exit 1 naming the first altered entry or file.",
    ),
    "check": (
        "antai.cli.commands.check:check",
        "Check real systems and turn what they show into findings on the items (AWS, app packages, web, DNS).",
    ),
    "import": (
        "antai.cli.commands.imports:import_",
        "Read a scanner's output (Prowler, Checkov, Trivy, SARIF) as findings on the items.",
    ),
    "signoff": (
        "antai.cli.commands.signoff:signoff",
        "Sign off the assessment as it stands (ROLE NAME), or show the sign-offs in force.",
    ),
    "key": (
        "antai.cli.commands.submit:key",
        "The Ed25519 key that signs submissions: create it outside the workspace, show its public key.",
    ),
    "submit": (
        "antai.cli.commands.submit:submit",
        "Write a signed submission bundle for a bank: reports, evidence, history and a manifest signed with Ed25519.",
    ),
    "checklist": (
        "antai.cli.commands.checklist:checklist",
        "Bank checklists: list, show and validate them, and answer one from the assessment with reviewer columns.",
    ),
    "review": (
        "antai.cli.commands.review:review",
        "The bank's side: verify, compare and comment on submission bundles; a portfolio of partners.",
    ),
    "export": (
        "antai.cli.commands.export:export",
        "Export machine-readable documents: OSCAL catalog, profile and assessment results.",
    ),
    "serve": (
        "antai.cli.commands.serve:serve",
        "Run the team web app: migrations applied and checked first, then the server (SQLite by default).",
    ),
    "demo": (
        "antai.cli.commands.demo:demo",
        "Build a demo workspace (a household-budget app on AWS, iOS and Android) and write its bank report.",
    ),
}


class RootGroup(LazyGroup):
    """Maps every core error of every command to its message and exit code (cli/errors.py)."""

    def invoke(self, ctx: click.Context) -> Any:
        env = get_env(ctx)
        with user_errors(lambda: env.lang, env.error_context):
            return super().invoke(ctx)


@click.group(
    cls=RootGroup,
    lazy_subcommands=COMMANDS,
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
)
@click.version_option(__version__, "-V", "--version", prog_name="antai")
@click.option(
    "--catalog-dir",
    "catalog_dirs",
    multiple=True,
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    envvar="ANTAI_CATALOG_DIR",
    help="Extension folder with your own items (repeatable); it adds items, never replaces built-in ones.",
)
@click.option(
    "--catalog",
    "catalog_root",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    envvar="ANTAI_CATALOG",
    help="Use the full catalog in this folder instead of the built-in one (e.g. a proposed version).",
)
@click.option(
    "--lang",
    type=click.Choice(LANGS),
    default="ja",
    envvar="ANTAI_LANG",
    show_default=True,
    show_envvar=True,
    help="Language of the output for every command (a command's own --lang wins).",
)
@click.pass_context
def cli(ctx: click.Context, catalog_dirs: tuple[Path, ...], catalog_root: Path | None, lang: str) -> None:
    """antai — an executable, risk-based security guideline for FinTech ventures.

    \b
    Founders: `antai profile new -o profile.yaml`, then `antai plan --profile profile.yaml`,
    then `antai init ws --profile profile.yaml` and `antai assess -C ws`.
    Reading: `antai concepts`, `antai items`, `antai item ID`, `antai guide`.

    \b
    Every command takes --lang ja|en (default ja, or $ANTAI_LANG).
    Exit codes:
      0    success
      1    a check failed, or a change was refused (nothing was written)
      2    bad usage, or an unknown ID (item, note, concept, evidence ID, fact, file)
      3    the workspace is busy (another antai command holds it)
      4    the workspace is damaged (`antai repair`) or was written by a newer antai
      130  interrupted (Ctrl-C)
    """
    env = ctx.ensure_object(Env)
    env.catalog_dirs, env.catalog_root = catalog_dirs, catalog_root
    env.lang = "en" if lang == "en" else "ja"


def main() -> None:
    """Entry point of the ``antai`` console script and of ``python -m antai``."""
    cli.main(prog_name="antai")
