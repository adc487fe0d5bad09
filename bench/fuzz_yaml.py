"""Fuzz antai's YAML readers with atheris for longer than CI can (default 10 minutes).

Usage: .venv/bin/python bench/fuzz_yaml.py [--seconds N] [--corpus DIR] [--jobs N]
Seeds with tests/hostile/ and tests/fuzz/seeds/; keeps what it finds in --corpus (default: a temp folder)
so that a later run can continue. Prints the executions and any crash (its input is saved next to it);
exits 1 if there was a crash.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
HARNESS = REPO / "tests" / "fuzz" / "yaml_readers.py"
SEEDS = [REPO / "tests" / "hostile", REPO / "tests" / "fuzz" / "seeds"]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=600, help="total fuzzing time (default 600)")
    parser.add_argument("--corpus", type=Path, help="folder that keeps the inputs found (default: temporary)")
    parser.add_argument("--jobs", type=int, default=1, help="parallel fuzzing processes (default 1)")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="antai-fuzz-") as tmp:
        corpus = args.corpus or Path(tmp) / "corpus"
        corpus.mkdir(parents=True, exist_ok=True)
        artifacts = Path(tmp if args.corpus is None else corpus.parent) / "crashes"
        artifacts.mkdir(exist_ok=True)
        command = [
            sys.executable,
            str(HARNESS),
            f"-max_total_time={args.seconds}",
            "-max_len=4096",
            "-timeout=5",  # one input taking 5 s is a hang as far as antai's users are concerned
            "-rss_limit_mb=2048",
            "-print_final_stats=1",
            f"-dict={HARNESS.with_name('yaml.dict')}",
            f"-artifact_prefix={artifacts}/",
        ]
        if args.jobs > 1:
            command += [f"-jobs={args.jobs}", f"-workers={args.jobs}"]
        command += [str(corpus), *(str(s) for s in SEEDS)]
        print(" ".join(command), flush=True)
        result = subprocess.run(command, capture_output=True, text=True, errors="replace", cwd=tmp)
        # with --jobs, each worker logs to fuzz-N.log in the working folder instead of stderr
        log = result.stderr + "".join(f.read_text(errors="replace") for f in sorted(Path(tmp).glob("fuzz-*.log")))
        runs = sum(int(n) for n in re.findall(r"stat::number_of_executed_units: (\d+)", log))
        rate = re.findall(r"stat::average_exec_per_sec:\s+(\d+)", log)
        print(f"executions: {runs:,}" + (f" ({rate[-1]}/s)" if rate else ""))
        crashes = sorted(artifacts.iterdir())
        if result.returncode != 0 or crashes:
            print(f"CRASH (exit {result.returncode}):")
            tail = log[log.find("=== Uncaught") :] if "=== Uncaught" in log else log[-4000:]
            print(tail)
            for crash in crashes:
                kept = REPO / "out" / "fuzz" / crash.name
                kept.parent.mkdir(parents=True, exist_ok=True)
                kept.write_bytes(crash.read_bytes())
                print(f"input: {kept} ({crash.read_bytes()[:200]!r})")
            return 1
        print("no crash")
        return 0


if __name__ == "__main__":
    sys.exit(main())
