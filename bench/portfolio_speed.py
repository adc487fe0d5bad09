"""Wall time of `antai review portfolio` over 30 partners' bundles (issue 10: a bank supervising dozens of
FinTechs), as a whole process.

Usage: .venv/bin/python bench/portfolio_speed.py [--runs N] [--partners N]
Builds the demo workspace, signs it off and submits it twice (with the PDF when WeasyPrint is installed), and
submits a fresh workspace once. Each of N partners (default 30) then gets a copy of one of those bundles under
its own organisation name, re-signed for real with a key of its own (new signer.pub, the JSON report's
organisation rewritten, every hash recomputed), so that every bundle verifies; a third of the partners hold
two yearly submissions, so the latest is also verified against the one before. Times
`antai review portfolio BANK --trust trust.yaml --format json` and exits 1 if the median misses 5 s or any
bundle does not verify.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from antai.submission import keys
from antai.submission.manifest import canonical, slug

ANTAI = str(Path(sys.executable).with_name("antai"))
TARGET = 5.0


def run(*args: str, env: dict[str, str]) -> str:
    done = subprocess.run([ANTAI, *args], check=True, capture_output=True, text=True, env=env)
    return done.stdout


def sign_off(ws: Path, env: dict[str, str]) -> None:
    run("signoff", "representative", "佐藤 一郎", "-C", str(ws), env=env)
    run("signoff", "security_owner", "山田 花子", "-C", str(ws), env=env)


def submit(ws: Path, env: dict[str, str], *extra: str) -> Path:
    return Path(run("submit", "-C", str(ws), *extra, env=env).strip().splitlines()[-1])


def rebrand(source: Path, target: Path, organisation: str, key: keys.Ed25519PrivateKey, previous: Any) -> Any:
    """A copy of ``source`` as ``organisation``'s own submission, signed with ``key``; its manifest."""
    shutil.copytree(source, target)
    manifest = json.loads((target / "manifest.json").read_text("utf-8"))
    old_id = manifest["id"]
    new_id = f"{slug(organisation)}-{old_id.rsplit('-', 2)[1]}-{manifest['sequence']}"
    final = target.with_name(new_id)
    target.rename(final)
    manifest["id"] = new_id
    manifest["organisation"] = organisation
    if previous is not None:
        manifest["previous"] = {**manifest["previous"], "id": previous["id"]}
    (final / "signer.pub").write_bytes(keys.public_pem(key.public_key()))
    listed = manifest["files"]
    report = next(f for f in listed if f["role"] == "report" and f["format"] == "json")
    data = json.loads((final / report["path"]).read_text("utf-8"))
    data["organisation"] = organisation
    (final / report["path"]).write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    for entry in listed:
        content = (final / entry["path"]).read_bytes()
        entry["size"] = len(content)
        entry["sha256"] = hashlib.sha256(content).hexdigest()
    manifest["signer"]["fingerprint"] = keys.fingerprint(key.public_key())
    (final / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=2), encoding="utf-8")
    (final / "manifest.sig").write_bytes(base64.b64encode(keys.sign(key, canonical(manifest))) + b"\n")
    return manifest


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--partners", type=int, default=30)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp)
        env = {**os.environ, "ANTAI_CACHE_DIR": f"{tmp}/cache", "ANTAI_USER": "bench", "ANTAI_KEY_DIR": f"{tmp}/keys"}
        env.pop("ANTAI_KEY_PASSPHRASE", None)
        demo, fresh = base / "demo", base / "fresh"
        run("demo", str(demo), env=env)
        run("key", "new", env=env)
        sign_off(demo, env)
        first = submit(demo, env)
        run("set", "CYB-07", "--status", "implemented", "-C", str(demo), env=env)
        sign_off(demo, env)
        second = submit(demo, env)
        run("init", str(fresh), "--profile", "example:household-budget", "--org", "Fresh KK", env=env)
        third = submit(fresh, env, "--unsigned")

        bank = base / "bank"
        lines = ["format: antai.trust/1", "partners:"]
        files = 0
        for n in range(options.partners):
            organisation = f"Partner {n:02d} KK"
            key = keys.generate()
            folder = bank / f"partner-{n:02d}"
            folder.mkdir(parents=True)
            if n % 3 == 0:  # two yearly submissions: the latest is verified against the first
                earlier = rebrand(first, folder / "a", organisation, key, None)
                latest = rebrand(second, folder / "b", organisation, key, earlier)
            else:
                latest = rebrand(third if n % 3 == 1 else second, folder / "a", organisation, key, None)
            files += len(latest["files"])
            lines += [f"  - organisation: {organisation}", f'    fingerprint: "{keys.fingerprint(key.public_key())}"']
        trust = base / "trust.yaml"
        trust.write_text("\n".join(lines) + "\n", encoding="utf-8")
        size = sum(p.stat().st_size for p in bank.rglob("*") if p.is_file())
        bundles = sum(1 for _ in bank.rglob("manifest.json"))
        print(f"{options.partners} partners, {bundles} bundles, {size / 1e6:.1f} MB ({files} files in the latest ones)")

        args = [ANTAI, "review", "portfolio", str(bank), "--trust", str(trust), "--format", "json"]
        times = []
        for _ in range(options.runs + 1):  # the first run warms the OS file cache and is not counted
            start = time.perf_counter()
            done = subprocess.run(args, capture_output=True, text=True, env=env)
            times.append(time.perf_counter() - start)
            result = json.loads(done.stdout)
            if done.returncode != 0 or result["verified"] != options.partners:
                print(f"not every bundle verified: {result['not_verified']} of {len(result['rows'])}")
                print(done.stderr)
                return 1
        median = statistics.median(times[1:])
        verdict = "ok" if median <= TARGET else "SLOW"
        print(
            f"antai review portfolio ({options.partners} partners)  median {median:6.2f} s  "
            f"max {max(times[1:]):6.2f} s  (target {TARGET:g} s)  {verdict}"
        )
        return 0 if median <= TARGET else 1


if __name__ == "__main__":
    sys.exit(main())
