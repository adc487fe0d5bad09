"""The team web app in a real browser (Debian's Chromium headless shell, driven by Playwright), against a real
`antai serve` on loopback: a founder signs up, follows the verification mail, enrols an authenticator app,
creates the organisation, answers an item and invites a bank reviewer; every main page is checked with
axe-core and kept as a screenshot in the test artefacts (ANTAI_TEST_ARTIFACTS, default under the test's
temporary folder)."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = Path(os.environ.get("CHROMIUM_PATH", "/usr/lib/chromium/chromium-headless-shell"))
# the browser reaches loopback only (the app must need nothing from the internet)
NO_OUTSIDE = "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE localhost , EXCLUDE 127.0.0.1"
PASSWORD = "correct horse battery staple 42"


@pytest.fixture(scope="module")
def chromium() -> Iterator[Any]:
    if not CHROMIUM.is_file():
        if os.environ.get("CI") == "true":
            pytest.fail(f"{CHROMIUM} is missing (.ci/run installs chromium-headless-shell)")
        pytest.skip(f"{CHROMIUM} is not installed")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=[NO_OUTSIDE])
        yield browser
        browser.close()


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """`antai serve` on a free port with its own data folder (mail lands in DATA/mail)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    data = tmp_path / "web"
    # the browser journey is about the app on its default database, with mail written to files as in use: the
    # settings the Django test modules put in the environment (test mail in memory) must not reach the server
    hidden = ("ANTAI_WEB_TESTING", "DJANGO_SETTINGS_MODULE", "ANTAI_WEB_DATA")
    env = {**{k: v for k, v in os.environ.items() if k not in hidden}, "DATABASE_URL": ""}
    process = subprocess.Popen(
        [sys.executable, "-m", "antai", "serve", "--data", str(data), "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                urllib.request.urlopen(url + "/healthz", timeout=1)
                break
            except OSError:
                assert process.poll() is None and time.monotonic() < deadline, process.stderr
                time.sleep(0.1)
        yield url, data
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture
def artefacts(tmp_path: Path) -> Path:
    folder = Path(os.environ.get("ANTAI_TEST_ARTIFACTS", tmp_path / "artefacts")) / "screenshots"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _mail_link(data: Path, pattern: str, count: int) -> str:
    """The last link matching ``pattern`` in the mail antai wrote to files (waits for the ``count``-th mail)."""
    deadline = time.monotonic() + 10
    while True:
        mails = sorted((data / "mail").glob("*.log")) if (data / "mail").is_dir() else []
        text = "".join(p.read_text(encoding="utf-8", errors="replace") for p in mails)
        found = re.findall(pattern, text)
        if len(found) >= count:
            return str(found[-1])
        assert time.monotonic() < deadline, text[-2000:]
        time.sleep(0.1)


def _totp(secret: str) -> str:
    import base64
    import hashlib
    import hmac
    import struct

    counter = struct.pack(">Q", int(time.time()) // 30)
    digest = hmac.new(base64.b32decode(secret.upper()), counter, hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    return f"{(struct.unpack('>I', digest[offset : offset + 4])[0] & 0x7FFFFFFF) % 1_000_000:06d}"


def _accessible(page: Any, name: str, artefacts: Path) -> None:
    """No serious or critical axe-core violation on the page; the page is kept as a screenshot."""
    from axe_playwright_python.sync_playwright import Axe

    page.screenshot(path=str(artefacts / f"{name}.png"), full_page=True)
    results = Axe().run(page)
    serious = [v for v in results.response["violations"] if v["impact"] in ("serious", "critical")]
    assert serious == [], [(v["id"], v["help"], [n["target"] for n in v["nodes"]]) for v in serious]


def test_a_founder_goes_from_sign_up_to_an_answered_item_and_an_invitation(
    chromium: Any, served: tuple[str, Path], artefacts: Path
) -> None:
    url, data = served
    context = chromium.new_context(locale="ja-JP")
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)

    page.goto(url + "/accounts/signup/")
    _accessible(page, "signup", artefacts)
    page.fill("input[name=email]", "founder@kakeibo.example")
    page.fill("input[name=password1]", PASSWORD)
    page.fill("input[name=password2]", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(re.compile(r".*/accounts/confirm-email/$"))  # "we sent you a mail"
    confirm = _mail_link(data, r"https?://[^\s]+/accounts/confirm-email/[^\s]+", 1)
    page.goto(confirm)
    page.click("main button[type=submit]")
    page.goto(url + "/accounts/login/")
    _accessible(page, "login", artefacts)
    page.fill("input[name=login]", "founder@kakeibo.example")
    page.fill("input[name=password]", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(url + "/")
    assert "まだ組織がない" in page.text_content("main")
    _accessible(page, "home", artefacts)

    page.fill("#name", "家計簿アプリ株式会社")
    page.select_option("#profile", "household-budget")
    page.click("main button[type=submit]")
    # an owner must set up MFA first: allauth asks for the password again, then shows the authenticator secret
    page.wait_for_url(re.compile(r".*/accounts/reauthenticate/.*"))
    page.fill("input[name=password]", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(re.compile(r".*/accounts/2fa/totp/activate/"))
    _accessible(page, "mfa-activate", artefacts)
    secret = page.input_value("#authenticator_secret")
    page.fill("input[name=code]", _totp(secret))
    page.click("main button[type=submit]")
    page.goto(url + "/")
    page.click("text=家計簿アプリ株式会社")
    assert page.text_content("#overall") == "0.0"
    _accessible(page, "dashboard", artefacts)

    page.click("text=項目と回答")
    _accessible(page, "items", artefacts)
    page.click("text=IAM-01")
    _accessible(page, "item", artefacts)
    page.select_option("#status", "implemented")
    page.fill("#owner", "CTO")
    page.fill("#note", "ハードウェアキーを全員に配布")
    page.click("main button[type=submit]")
    assert "実施済み" in page.text_content("#answer")
    assert "ハードウェアキーを全員に配布" in page.text_content("#answer")

    page.goto(page.url.split("/items/")[0] + "/members/")
    _accessible(page, "members", artefacts)
    page.fill("#email", "risk@bank.example")
    page.select_option("#role", "reviewer")
    page.fill("#bank", "みらい銀行")
    page.click("main button[type=submit]")
    assert "risk@bank.example に招待のリンクを送った" in page.text_content("main")
    assert _mail_link(data, r"https?://[^\s]+/invite/[\w-]+/", 1)
    assert errors == []  # no script error, no CSP violation reported by the browser
    context.close()
