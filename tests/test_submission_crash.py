"""kill -9 in the middle of `antai submit`: the workspace still verifies, and the next submission succeeds and
verifies, with a sequence that continues the ones actually recorded."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from .conftest import run_cli, sign_off

DELAYS = (0.3, 0.8, 1.3, 1.8, 2.5, 3.2, 4.0, 5.0)  # across start-up, rendering, copying and the commit


def test_submit_killed_at_any_point_leaves_a_workspace_that_verifies_and_submits(tmp_path: Path) -> None:
    ws, keys = tmp_path / "ws", tmp_path / "keys"
    env = {**os.environ, "ANTAI_USER": "tester", "ANTAI_KEY_DIR": str(keys), "ANTAI_LANG": "en"}
    assert run_cli("demo", str(ws)).returncode == 0
    assert run_cli("key", "new", env=env).returncode == 0

    def cli(*args: str) -> subprocess.CompletedProcess[str]:
        return run_cli(*args, env=env)

    for delay in DELAYS:
        sign_off(ws, cli)  # again each time: an attempt that got through to the end used them up
        process = subprocess.Popen(
            [sys.executable, "-m", "antai", "submit", "-C", str(ws)],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        time.sleep(delay)
        if process.poll() is None:
            process.send_signal(signal.SIGKILL)
        process.wait(timeout=60)
        verified = run_cli("verify", "-C", str(ws), env=env)
        assert verified.returncode == 0, f"after a kill at {delay} s: {verified.stdout}{verified.stderr}"
    sign_off(ws, cli)
    final = run_cli("submit", "-C", str(ws), env=env)
    assert final.returncode == 0, final.stderr
    bundle = Path(final.stdout.strip().splitlines()[0])
    fingerprint = json.loads(run_cli("key", "show", "--format", "json", env=env).stdout)["fingerprint"]
    checked = run_cli("review", "verify", str(bundle), "--key", fingerprint, env=env)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    entries = [json.loads(line) for line in (ws / "history.jsonl").read_text("utf-8").splitlines()]
    sequences = [e["after"]["sequence"] for e in entries if e.get("action") == "submit"]
    assert sequences == list(range(1, len(sequences) + 1))  # no sequence recorded twice or skipped
