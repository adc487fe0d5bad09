"""`antai serve` as an operator meets it: migrations applied and checked before the server starts, a clear
stop when the database is not usable, a health endpoint that tells the truth, the security headers and
Django's deployment checks on the production settings. Real processes, a real SQLite file, real HTTP."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from .conftest import run_cli

SQLITE = {"DATABASE_URL": ""}  # these tests are about the SQLite file, also when the suite runs on PostgreSQL


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_check_applies_every_migration_once_and_says_so(tmp_path: Path) -> None:
    data = tmp_path / "web"
    first = run_cli("serve", "--data", str(data), "--check", "--lang", "en", env=SQLITE)
    assert first.returncode == 0, first.stderr
    applied = int(first.stderr.split("(")[1].split(" ")[0])
    assert applied >= 20  # Django's auth, sessions, allauth's account and mfa, antai's own apps
    assert (data / "antai.sqlite3").is_file()
    assert (data / "secret-key").stat().st_mode & 0o777 == 0o600  # the key is readable by its owner only
    again = run_cli("serve", "--data", str(data), "--check", env=SQLITE)
    assert again.returncode == 0 and again.stderr.startswith("データベースは最新（今回適用したマイグレーション 0 件")


def test_a_database_that_cannot_be_migrated_stops_the_server_with_a_message(tmp_path: Path) -> None:
    data = tmp_path / "web"
    data.mkdir()
    (data / "antai.sqlite3").write_bytes(b"this is not a database, " * 100)
    result = run_cli("serve", "--data", str(data), "--check", env=SQLITE)
    assert result.returncode == 1
    assert result.stderr.startswith("エラー: データベースのマイグレーションに失敗したため起動しない: DatabaseError")
    assert "Traceback" not in result.stderr


def test_a_postgresql_server_that_is_not_there_stops_the_server_with_a_message(tmp_path: Path) -> None:
    url = f"postgres://antai@127.0.0.1:{_free_port()}/antai"
    result = run_cli("serve", "--data", str(tmp_path / "web"), "--check", env={"DATABASE_URL": url})
    assert result.returncode == 1
    assert result.stderr.startswith("エラー: データベースのマイグレーションに失敗したため起動しない: OperationalError")
    assert "Traceback" not in result.stderr


@pytest.fixture
def server(tmp_path: Path) -> Iterator[str]:
    """A real `antai serve` on a free loopback port, stopped after the test."""
    port = _free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "antai", "serve", "--data", str(tmp_path / "web"), "--port", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(url + "/healthz", timeout=1)
                break
            except urllib.error.HTTPError:
                break
            except OSError:
                assert process.poll() is None, process.stderr.read() if process.stderr else ""
                time.sleep(0.1)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_health_answers_ok_with_the_database_and_migrations_state(server: str) -> None:
    with urllib.request.urlopen(server + "/healthz", timeout=5) as response:
        assert response.status == 200
        assert json.loads(response.read()) == {"status": "ok", "database": "ok", "migrations": "applied"}
        headers = response.headers
    assert headers["Content-Security-Policy"].startswith("default-src 'self'; script-src 'self';")
    assert "unsafe-inline" not in headers["Content-Security-Policy"]
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "same-origin"


def test_pages_need_a_sign_in_and_the_sign_in_page_is_japanese_first(server: str) -> None:
    opener = urllib.request.build_opener(_NoRedirect)
    with pytest.raises(urllib.error.HTTPError) as caught:
        opener.open(server + "/", timeout=5)
    assert caught.value.code == 302
    assert caught.value.headers["Location"] == "/accounts/login/?next=/"
    with urllib.request.urlopen(server + "/accounts/login/", timeout=5) as response:
        page = response.read().decode()
    assert '<html lang="ja">' in page and "ログイン" in page
    assert "<script>" not in page  # the CSP allows no inline script; the pages carry none
    request = urllib.request.Request(server + "/accounts/login/", headers={"Accept-Language": "en"})
    with urllib.request.urlopen(request, timeout=5) as response:
        assert '<html lang="en">' in response.read().decode()


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


def test_the_production_settings_pass_djangos_deployment_checks(tmp_path: Path) -> None:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "antai.web.settings",
        "ANTAI_WEB_DATA": str(tmp_path / "web"),
        "ANTAI_HTTPS": "true",
        "ANTAI_ALLOWED_HOSTS": "antai.example.jp",
    }
    result = subprocess.run(
        [sys.executable, "-m", "django", "check", "--deploy", "--fail-level", "WARNING"],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout
