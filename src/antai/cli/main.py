"""Kept so that `antai.cli.main:main` (older installs' console script) and `from antai.cli.main import cli`
keep working; the command line lives in :mod:`antai.cli.app`."""

from antai.cli.app import cli, main

__all__ = ["cli", "main"]
