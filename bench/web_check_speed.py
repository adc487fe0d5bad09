"""How long `antai check web` takes on 10 loopback HTTPS servers: the median of 5 in-process runs and one
run of the real CLI as a process. Prints the numbers."""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import time
from contextlib import ExitStack
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.web_harness import authority, https_server, mint

from antai.collectors.web.collect import check_web


def main() -> None:
    import datetime as dt

    with tempfile.TemporaryDirectory() as folder, ExitStack() as stack:
        ca = authority(Path(folder))
        pem = mint(ca, Path(folder), "bench", start=-dt.timedelta(days=1), end=dt.timedelta(days=90))
        urls = [f"https://127.0.0.1:{stack.enter_context(https_server(pem))}/" for _ in range(10)]
        times = []
        for _ in range(5):
            started = time.perf_counter()
            run = check_web(urls, lang="en", timeout=5, ca_file=ca.pem)
            times.append(time.perf_counter() - started)
        started = time.perf_counter()
        cli = subprocess.run(
            [sys.executable, "-m", "antai", "check", "web", *urls, "--ca-file", str(ca.pem), "--format", "json"],
            capture_output=True,
            check=False,
        )
        wall = time.perf_counter() - started
        print(f"check_web, 10 URLs: median {statistics.median(times):.3f} s of 5 ({len(run.findings or [])} findings)")
        print(f"CLI process, 10 URLs: {wall:.3f} s (exit {cli.returncode})")


if __name__ == "__main__":
    main()
