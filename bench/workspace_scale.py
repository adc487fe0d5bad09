"""Whole-process wall time of `antai set`, `antai verify` and `antai status` on a large workspace:
500 applicable items, every one answered, and 20,000 history entries.

Targets (issue 8): set ≤ 0.3 s (appending must not rehash the whole chain), verify ≤ 2 s, status ≤ 0.5 s.

The 366 extra items are copies of a built-in item under new IDs in an extension folder; the history is a
genuine hash chain (every entry hashes and links correctly) whose entries after the first answers are
synthetic `set` entries, so that `verify` does the full work of a long-lived workspace.

Run: .venv/bin/python bench/workspace_scale.py [--runs 5] [--keep DIR]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

from antai.app import usecases
from antai.app.ports import Actor, ChangeSet
from antai.assessment.history import Head, dump_line, new_entry
from antai.assessment.model import Answer, Status
from antai.catalog import load_catalog
from antai.catalog.loader import BUILTIN_DIR
from antai.tailoring.profile import load_profile
from antai.workspace.store import HISTORY, FileStore

ITEMS = 500
ENTRIES = 20_000
TARGETS = {"set": 0.3, "verify": 2.0, "status": 0.5}


def make_extension(folder: Path, count: int) -> None:
    template = yaml.safe_load((BUILTIN_DIR / "items" / "01-data" / "DAT-06.yaml").read_text("utf-8"))
    target = folder / "items"
    target.mkdir(parents=True)
    for n in range(1, count + 1):
        item = dict(template, id=f"XB-{n:03d}", technotes=[], fisc=[], checks=[])
        (target / f"XB-{n:03d}.yaml").write_text(yaml.safe_dump(item, allow_unicode=True), "utf-8")


def build(root: Path) -> tuple[Path, Path]:
    ext = root / "ext"
    built_in = load_catalog()
    make_extension(ext, ITEMS - len(built_in.items) + 20)
    catalog = load_catalog(extensions=[ext])
    ws = root / "ws"
    actor = Actor("bench", dt.datetime(2026, 12, 1, 3, 0, tzinfo=dt.UTC))
    profile = load_profile(Path("example:remittance"))
    plan = usecases.init(FileStore(ws), catalog, profile, "Bench KK", actor)
    store = FileStore(ws)
    answered = {p.id: Answer(status=Status.IMPLEMENTED, owner="CTO", updated=actor.today) for p in plan.items}
    with store.locked():
        snapshot = store.load()
        store.commit(
            ChangeSet(action="record", message="bulk answers", answers=usecases.ordered_answers(catalog, answered)),
            expected_version=snapshot.version,
            actor=actor,
        )
    tail = store.tail()
    assert tail is not None
    head = Head.of(tail)
    lines = []
    for n in range(ENTRIES - 2):
        entry = new_entry(
            head,
            at=f"2026-{1 + n % 12:02d}-01T00:00:00+00:00",
            who="bench",
            action="set",
            state=head.state,
            item=plan.items[n % len(plan.items)].id,
            before={"status": "partial", "owner": "CTO"},
            after={"status": "implemented", "owner": "CTO"},
        )
        lines.append(dump_line(entry))
        head = Head.of(entry)
    with (ws / HISTORY).open("a", encoding="utf-8") as handle:
        handle.writelines(lines)
    print(
        f"workspace: {len(plan.items)} items answered, {ENTRIES} history entries, "
        f"history.jsonl {(ws / HISTORY).stat().st_size / 1e6:.1f} MB",
        file=sys.stderr,
    )
    return ext, ws


def timed(args: list[str], runs: int) -> tuple[float, list[float]]:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        result = subprocess.run(args, capture_output=True, text=True, check=False)
        times.append(time.perf_counter() - start)
        if result.returncode != 0:
            raise SystemExit(f"{' '.join(args)} failed: {result.stderr}")
    return statistics.median(times), times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--keep", type=Path, help="Build the workspace here and keep it.")
    options = parser.parse_args()
    root = options.keep or Path(tempfile.mkdtemp(prefix="antai-scale-"))
    if options.keep and root.exists():
        shutil.rmtree(root)
    root.mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("ANTAI_USER", "bench")
    try:
        ext, ws = build(root)
        antai = [sys.executable, "-m", "antai", "--catalog-dir", str(ext)]
        subprocess.run([*antai, "items", "--format", "json"], capture_output=True, check=True)  # warm the cache
        statuses = [["--status", "partial", "--due", "2027-06-30"], ["--status", "implemented"]]
        results = {}
        set_times = []
        for n in range(options.runs):
            median, _ = timed([*antai, "set", "XB-001", *statuses[n % 2], "-C", str(ws)], 1)
            set_times.append(median)
        results["set"] = (statistics.median(set_times), set_times)
        results["verify"] = timed([*antai, "verify", "-C", str(ws)], options.runs)
        results["status"] = timed([*antai, "status", "-C", str(ws)], options.runs)
        print(f"{'command':<8} {'median':>8} {'target':>8}  runs")
        for name, (median, times) in results.items():
            mark = "ok" if median <= TARGETS[name] else "MISSED"
            runs = " ".join(f"{t:.2f}" for t in times)
            print(f"{name:<8} {median:>7.2f}s {TARGETS[name]:>7.1f}s  {runs}  {mark}")
    finally:
        if not options.keep:
            shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
