"""Wall time of antai commands as whole processes (what a user waits for).

Usage: .venv/bin/python bench/cli_wall_time.py [--runs N]
Each command runs with the catalog cache (the usual case) and without it (first run after an edit).
Prints one line per command with min / median / max in seconds and whether it meets its target;
exits 1 if a median misses its target. Targets: issues #2 and #4 (0.5 s on the project's 2-core machine).
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ANTAI = str(Path(sys.executable).with_name("antai"))

CASES: list[tuple[str, list[str], float]] = [
    ("items --format json", ["items", "--format", "json"], 0.5),
    ("guide --format html", ["guide", "--format", "html", "-o", "{tmp}/guide.html"], 0.5),
    (
        "guide --format html --lang en",
        ["guide", "--format", "html", "--lang", "en", "-o", "{tmp}/g.html"],
        0.5,
    ),
    ("item IAM-01", ["item", "IAM-01", "--format", "json"], 0.5),
    ("catalog validate", ["catalog", "validate"], 0.5),
    ("fisc coverage", ["fisc", "coverage", "--format", "json"], 0.5),
    *(
        (f"plan --profile example:{name}", ["plan", "--profile", f"example:{name}", "--format", "json"], 0.5)
        for name in ("household-budget", "remittance", "crypto-exchange", "b2b-accounting", "robo-advisor")
    ),
    ("plan (table) example:remittance", ["plan", "--profile", "example:remittance"], 0.5),
]


def measure(args: list[str], runs: int, env: dict[str, str]) -> list[float]:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run([ANTAI, *args], check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
        times.append(time.perf_counter() - start)
    return times


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--json", action="store_true", help="print results as JSON")
    options = parser.parse_args()
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        warm = {**os.environ, "ANTAI_CACHE_DIR": f"{tmp}/cache"}
        cold = {**warm, "ANTAI_NO_CACHE": "1"}
        for (name, args, target), (mode, env) in itertools.product(CASES, [("cached", warm), ("no cache", cold)]):
            argv = [a.replace("{tmp}", tmp) for a in args]
            measure(argv, 1, env)  # warm the OS file cache and the catalog cache, as a user's second run
            times = measure(argv, options.runs, env)
            median = statistics.median(times)
            results.append(
                {
                    "command": f"antai {name} ({mode})",
                    "min": min(times),
                    "median": median,
                    "max": max(times),
                    "target": target,
                    "ok": median < target,
                }
            )
    if options.json:
        print(json.dumps(results, indent=2))
    else:
        for r in results:
            status = "ok" if r["ok"] else "SLOW"
            print(
                f"{r['command']:<50} min {r['min']:.3f}s  median {r['median']:.3f}s  "
                f"max {r['max']:.3f}s  target {r['target']:.1f}s  {status}"
            )
    return 0 if all(r["ok"] for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
