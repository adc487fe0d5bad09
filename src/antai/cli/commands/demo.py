"""`antai demo`: a fictional venture's workspace and its bank report."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from antai.cli.context import get_env
from antai.cli.params import lang_option
from antai.messages import word


@click.command()
@click.argument("directory", required=False, type=click.Path(file_okay=False, path_type=Path))
@click.option("--force", is_flag=True, help="Replace a previous demo workspace in DIRECTORY.")
@lang_option
def demo(directory: Path | None, force: bool, lang: str) -> None:
    """Build a demo workspace (a household-budget app on AWS, iOS and Android) and write its bank report.

    Prints the paths of the bank report in HTML and XLSX and of the exec one-pager. The story runs over 200
    days: two signed submissions three months apart (under submissions/), a bank comment thread between them.
    """
    from antai import demo as demo_module

    env = get_env()
    root = directory or Path("antai-demo")
    catalog = env.catalog()
    env.workspace = root
    env.extra.update(demo=True, force=force)

    def progress(step: str) -> None:
        click.echo(f"… {word('demo_step', step, lang)}", err=True)

    result = demo_module.build(root, catalog, dt.date.today(), progress, force=force)
    click.echo(str(result.bank_html.resolve()))
    click.echo(str(result.bank_xlsx.resolve()))
    click.echo(str(result.exec_html.resolve()))
    click.echo(env.say("demo_workspace", root=result.root.resolve(), short=root), err=True)
    if len(result.submissions) == 2:
        first, second = (root / path.relative_to(result.root) for path in result.submissions)  # as the user wrote it
        click.echo(env.say("demo_submissions", first=first, second=second, fingerprint=result.fingerprint), err=True)
