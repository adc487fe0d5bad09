"""Wall time of the print-ready PDF on the demo workspace (issue 10, part 7): `antai report --format pdf` for
the bank report (the body and the FISC appendix) and for the exec one-pager, as whole processes.

Usage: .venv/bin/python bench/pdf_speed.py [--runs N]
Builds the demo workspace in a temporary folder, then times each command (a new file each run) and prints
the page counts. Exits 1 if a median misses its target (bank 8 s, exec 3 s: the bank PDF must leave
`antai submit` on the demo within its 10 s) or the body is longer than 15 pages. Needs the pdf extra.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ANTAI = str(Path(sys.executable).with_name("antai"))
TARGETS = {"bank": 8.0, "exec": 3.0}


def run(*args: str, env: dict[str, str]) -> None:
    subprocess.run([ANTAI, *args], check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)


def pages(pdf: Path) -> int:
    info = subprocess.run(["pdfinfo", str(pdf)], check=True, capture_output=True, text=True).stdout
    found = re.search(r"^Pages:\s+(\d+)$", info, re.M)
    return int(found.group(1)) if found else -1


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    options = parser.parse_args()
    ok = True
    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "ANTAI_CACHE_DIR": f"{tmp}/cache", "ANTAI_USER": "bench"}
        ws = Path(tmp) / "demo"
        run("demo", str(ws), env=env)
        for audience, target in TARGETS.items():
            times = []
            for n in range(options.runs):
                out = Path(tmp) / f"{audience}-{n}.pdf"
                start = time.perf_counter()
                run("report", "--audience", audience, "--format", "pdf", "-o", str(out), "-C", str(ws), env=env)
                times.append(time.perf_counter() - start)
            median = statistics.median(times)
            body = Path(tmp) / f"{audience}-0.pdf"
            appendix = body.with_name(f"{body.stem}-fisc.pdf")
            counted = f"{pages(body)} pages" + (f" + appendix {pages(appendix)}" if appendix.exists() else "")
            fine = median <= target and (audience != "bank" or 0 < pages(body) <= 15)
            ok = ok and fine
            print(
                f"antai report --audience {audience:<5} --format pdf  median {median:6.2f} s  max {max(times):6.2f} s"
                f"  (target {target:g} s)  {counted}  {'ok' if fine else 'SLOW'}"
            )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
