"""How fast the web app's dashboard and item editor answer under load.

An organisation with every applicable item answered and 20,000 history entries, all made by the use cases
(set_answer through the database store), is served by a real `antai serve` (waitress, 8 threads); 20
clients in threads of a second process each hold a signed-in session and alternate GET of the dashboard and
of an item's editor page on loopback for the given seconds.

    .venv/bin/python bench/web_speed.py                          # SQLite in a temporary folder
    .venv/bin/python bench/web_speed.py --database-url postgres://postgres@127.0.0.1:55432/antai

Target: p95 under 100 ms for both pages, no error.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

import httpx

ENTRIES = 20_000
CLIENTS = 20


def seed(data: Path, entries: int) -> dict[str, str]:
    """Make the organisation, its owner (with an authenticator) and the history; returns the session cookie
    and the organisation's slug."""
    from antai.web.serve import migrate, prepare

    prepare(data)
    migrate()
    from allauth.account.models import EmailAddress
    from allauth.mfa.models import Authenticator
    from django.contrib.auth import get_user_model
    from django.test import Client

    from antai.app import usecases
    from antai.app.ports import Actor
    from antai.assessment.model import Status
    from antai.assessment.rules import AnswerChange
    from antai.catalog import load_catalog
    from antai.tailoring.profile import load_profile
    from antai.web.orgs.models import Membership, Organisation, Role
    from antai.web.store.orm import OrmStore

    user = get_user_model().objects.create_user("owner", "owner@bench.example", "correct horse battery staple 42")
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    Authenticator.objects.create(user=user, type=Authenticator.Type.TOTP, data={"secret": "JBSWY3DPEHPK3PXP"})
    organisation = Organisation.objects.create(name="Bench KK", slug="bench")
    Membership.objects.create(organisation=organisation, user=user, role=Role.OWNER)
    catalog = load_catalog()
    store = OrmStore(organisation)
    now = dt.datetime(2026, 12, 1, 9, 0, tzinfo=dt.UTC)
    usecases.init(store, catalog, load_profile(Path("example:household-budget")), "Bench KK", Actor("owner", now))
    items = list(store.load().assessment.answers)
    cycle = [
        AnswerChange(status=Status.IMPLEMENTED, owner="CTO", note="in place"),
        AnswerChange(status=Status.PARTIAL, due=dt.date(2027, 6, 30), owner="SRE"),
        AnswerChange(status=Status.NOT_IMPLEMENTED, note="not yet"),
    ]
    started = time.perf_counter()
    made = 1
    while made < entries:
        for n, item in enumerate(items):
            if made >= entries:
                break
            change = cycle[(made + n) % len(cycle)]
            usecases.set_answer(store, catalog, Actor("owner", now + dt.timedelta(seconds=made)), item, change)
            made += 1
            if made % 2000 == 0:
                print(f"  {made} entries ({time.perf_counter() - started:.0f} s)", file=sys.stderr)
    assert len(store.history()) == entries
    client = Client()
    client.force_login(user)
    return {"cookie": client.cookies["sessionid"].value, "slug": organisation.slug, "item": items[0]}


def serve(data: Path, env: dict[str, str]) -> tuple[subprocess.Popen[str], str]:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    process = subprocess.Popen(
        [sys.executable, "-m", "antai", "serve", "--data", str(data), "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    url = f"http://127.0.0.1:{port}"
    for _ in range(300):
        try:
            urllib.request.urlopen(url + "/healthz", timeout=1)
            return process, url
        except OSError:
            time.sleep(0.1)
    raise SystemExit(f"the server did not start: {process.stderr}")


def load(url: str, cookie: str, paths: list[str], seconds: float) -> dict[str, list[float]]:
    timings: dict[str, list[float]] = {p: [] for p in paths}
    errors: list[str] = []
    lock = threading.Lock()
    stop = time.monotonic() + seconds

    def client(n: int) -> None:
        with httpx.Client(base_url=url, cookies={"sessionid": cookie}, timeout=10) as http:
            i = n
            while time.monotonic() < stop:
                path = paths[i % len(paths)]
                started = time.perf_counter()
                response = http.get(path)
                took = time.perf_counter() - started
                with lock:
                    if response.status_code != 200:
                        errors.append(f"{path}: {response.status_code}")
                    timings[path].append(took)
                i += 1

    threads = [threading.Thread(target=client, args=(n,)) for n in range(CLIENTS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if errors:
        raise SystemExit(f"{len(errors)} errors, first: {errors[0]}")
    return timings


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database-url", default="")
    parser.add_argument("--entries", type=int, default=ENTRIES)
    parser.add_argument("--seconds", type=float, default=20.0)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "web"
        env = {**os.environ, "DATABASE_URL": args.database_url}
        os.environ["DATABASE_URL"] = args.database_url
        print(f"seeding {args.entries} history entries …", file=sys.stderr)
        seeded = subprocess.run(
            [sys.executable, __file__, "--seed-only", str(data), str(args.entries)],
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        if seeded.returncode != 0:
            raise SystemExit(seeded.stderr[-3000:])
        facts = json.loads(seeded.stdout)
        process, url = serve(data, env)
        try:
            paths = [f"/o/{facts['slug']}/", f"/o/{facts['slug']}/items/{facts['item']}/"]
            load(url, facts["cookie"], paths, 2.0)  # warm-up
            timings = load(url, facts["cookie"], paths, args.seconds)
        finally:
            process.terminate()
            process.wait(timeout=10)
    engine = "PostgreSQL" if args.database_url else "SQLite"
    print(f"{engine}, {args.entries} history entries, {CLIENTS} concurrent clients, {args.seconds:.0f} s")
    worst = 0.0
    for path, values in timings.items():
        values.sort()
        p95 = values[int(len(values) * 0.95) - 1] * 1000
        worst = max(worst, p95)
        print(
            f"  {path}: {len(values)} requests, p50 {statistics.median(values) * 1000:.0f} ms, p95 {p95:.0f} ms, "
            f"p99 {values[int(len(values) * 0.99) - 1] * 1000:.0f} ms, errors 0"
        )
    print(f"target p95 < 100 ms: {'met' if worst < 100 else 'MISSED'}")


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--seed-only":
        sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))
        print(json.dumps(seed(Path(sys.argv[2]), int(sys.argv[3]))))
    else:
        main()
