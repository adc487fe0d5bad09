"""Wall time of the workspace commands on a fully answered workspace (issue #5 targets).

Usage: .venv/bin/python bench/workspace_reports.py [--runs N]
Builds a workspace for the profile that selects the most items, answers every item, then times
`antai status`, `antai report --format html` and `antai report --format xlsx` as whole processes.
Exits 1 if a median misses its target (status 0.5 s, HTML 1 s, XLSX 2 s).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ANTAI = str(Path(sys.executable).with_name("antai"))


def run(*args: str, env: dict[str, str]) -> None:
    subprocess.run([ANTAI, *args], check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "ANTAI_CACHE_DIR": f"{tmp}/cache", "ANTAI_USER": "bench"}
        ws = Path(tmp) / "ws"
        run("init", str(ws), "--profile", "example:remittance", "--org", "Bench KK", env=env)
        sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))
        import datetime as dt

        from antai.app import usecases
        from antai.app.ports import Actor
        from antai.assessment.model import Status
        from antai.assessment.rules import AnswerChange
        from antai.catalog import load_catalog
        from antai.workspace.store import FileStore

        catalog = load_catalog()
        store = FileStore(ws)
        actor = Actor("bench", dt.datetime.now(dt.UTC))
        statuses = [Status.IMPLEMENTED, Status.PARTIAL, Status.NOT_IMPLEMENTED, Status.IMPLEMENTED]
        answered = list(store.load().assessment.answers)
        for n, item_id in enumerate(answered):
            status = statuses[n % 4]
            due = dt.date.today() + dt.timedelta(days=90) if status == Status.PARTIAL else None
            change = AnswerChange(status=status, owner="CTO", note="benchmark", due=due)
            usecases.set_answer(store, catalog, actor, item_id, change)
        cases = [
            ("antai status", ["status", "-C", str(ws)], 0.5),
            ("antai status --format json", ["status", "--format", "json", "-C", str(ws)], 0.5),
            ("antai report --format html", ["report", "--format", "html", "-o", f"{tmp}/r.html", "-C", str(ws)], 1.0),
            ("antai report --format xlsx", ["report", "--format", "xlsx", "-o", f"{tmp}/r.xlsx", "-C", str(ws)], 2.0),
        ]
        ok = True
        print(f"workspace: {len(answered)} items, every one answered")
        for name, args, target in cases:
            run(*args, env=env)  # warm the OS file cache and the catalog cache
            times = []
            for _ in range(options.runs):
                start = time.perf_counter()
                run(*args, env=env)
                times.append(time.perf_counter() - start)
            median = statistics.median(times)
            ok &= median < target
            print(
                f"{name:<30} min {min(times):.3f}s  median {median:.3f}s  max {max(times):.3f}s  "
                f"target {target:.1f}s  {'ok' if median < target else 'SLOW'}"
            )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
