from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from antai.catalog import Catalog, load_catalog
from antai.catalog.loader import BUILTIN_DIR

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"


@pytest.fixture(autouse=True, scope="session")
def _private_cache(tmp_path_factory: pytest.TempPathFactory) -> None:
    """Keep the catalog cache of test runs (and of the CLI processes they start) out of the user's home."""
    os.environ["ANTAI_CACHE_DIR"] = str(tmp_path_factory.mktemp("antai-cache"))


@pytest.fixture(scope="session")
def catalog() -> Catalog:
    return load_catalog()


@pytest.fixture(scope="session")
def shared() -> Path:
    """../shared (spec, seed, reference lists). Skipped only where it is absent, never in CI."""
    if not SHARED.is_dir():
        if os.environ.get("CI") == "true":
            pytest.fail("../shared is missing in CI")
        pytest.skip("../shared is not present on this machine")
    return SHARED


@pytest.fixture
def catalog_copy(tmp_path: Path) -> Path:
    """A writable copy of the built-in catalog, to break on purpose."""
    target = tmp_path / "catalog"
    shutil.copytree(BUILTIN_DIR, target)
    return target


def fresh_workspace(template: Path, target: Path) -> Path:
    """A copy of a workspace made once per module: `antai init` costs a process, a copy does not."""
    shutil.copytree(template, target)
    return target


def init_template(tmp_path_factory: pytest.TempPathFactory, organisation: str) -> Path:
    root = tmp_path_factory.mktemp("template") / "ws"
    made = run_cli(
        "init", str(root), "--profile", "example:household-budget", "--org", organisation, env={"ANTAI_USER": "tester"}
    )
    assert made.returncode == 0, made.stderr
    return root


def run_cli(*args: str, cwd: Path | None = None, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """Run the real `antai` entry point as a separate process, the way a user does."""
    full_env = {**os.environ, **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "antai", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        env=full_env,
        timeout=60,
    )


SIGNERS = (("representative", "佐藤 健", "代表取締役"), ("security_owner", "田中 一郎", "CTO"))


def sign_off(ws: Path, run: Any = None) -> None:
    """Both sign-offs a submission needs, through the CLI (``run`` is a run_cli with the test's env)."""
    run = run or run_cli
    for role, name, title in SIGNERS:
        done = run("signoff", role, name, "--title", title, "-C", str(ws))
        assert done.returncode == 0, done.stderr
