"""Wall time of a signed submission on the demo workspace (issue 10 targets): `antai submit` and the bank's
`antai review verify`, as whole processes.

Usage: .venv/bin/python bench/submission_speed.py [--runs N]
Builds the demo workspace and a signing key in a temporary folder, then times `antai submit -o DIR` (a new
folder each run) and `antai review verify DIR --key FINGERPRINT --previous FIRST`. Exits 1 if a median misses
its target (submit 10 s including the PDF and its FISC appendix when WeasyPrint is installed, verify 1 s).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ANTAI = str(Path(sys.executable).with_name("antai"))


def run(*args: str, env: dict[str, str]) -> str:
    done = subprocess.run([ANTAI, *args], check=True, capture_output=True, text=True, env=env)
    return done.stdout


def timed(args: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    run(*args, env=env)
    return time.perf_counter() - start


def sign_off(ws: Path, env: dict[str, str]) -> None:
    """Both sign-offs a submission needs (each submission uses them up); not timed."""
    run("signoff", "representative", "佐藤 健", "-C", str(ws), env=env)
    run("signoff", "security_owner", "田中 一郎", "-C", str(ws), env=env)


def submit_timed(ws: Path, out: str, env: dict[str, str]) -> float:
    sign_off(ws, env)
    return timed(["submit", "-C", str(ws), "-o", out], env)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "ANTAI_CACHE_DIR": f"{tmp}/cache", "ANTAI_USER": "bench", "ANTAI_KEY_DIR": f"{tmp}/keys"}
        env.pop("ANTAI_KEY_PASSPHRASE", None)
        ws = Path(tmp) / "demo"
        run("demo", str(ws), env=env)
        run("key", "new", env=env)
        fingerprint = json.loads(run("key", "show", "--format", "json", env=env))["fingerprint"]
        first = Path(tmp) / "first"
        sign_off(ws, env)
        run("submit", "-C", str(ws), "-o", str(first), env=env)
        entries = sum(1 for _ in (ws / "history.jsonl").open(encoding="utf-8"))
        files = len(json.loads((first / "manifest.json").read_text("utf-8"))["files"])
        print(f"demo workspace: {entries} history entries; a bundle of {files} files")

        submit_times = [submit_timed(ws, f"{tmp}/bundle-{n}", env) for n in range(options.runs)]
        last = f"{tmp}/bundle-{options.runs - 1}"
        previous = f"{tmp}/bundle-{options.runs - 2}" if options.runs > 1 else str(first)
        verify = ["review", "verify", last, "--key", fingerprint, "--previous", previous]
        run(*verify, env=env)  # warm the OS file cache
        verify_times = [timed(verify, env) for _ in range(options.runs)]

        ok = True
        for name, times, target in (
            ("antai submit", submit_times, 10.0),
            ("antai review verify --previous", verify_times, 1.0),
        ):
            median = statistics.median(times)
            verdict = "ok" if median <= target else "SLOW"
            ok = ok and median <= target
            print(f"{name:34} median {median:6.2f} s  max {max(times):6.2f} s  (target {target:g} s)  {verdict}")
        return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
