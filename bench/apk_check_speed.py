"""How fast `antai check apk` is on a ~50 MB APK, and how much memory it takes.

The APK is built with aapt (tests/apk_harness): a manifest, a network security config with a pin-set, a
small DEX with library names and ~50 MB of random assets (stored, as random data does not compress), signed
with apksigner (v2/v3). Each run is a fresh `antai check apk` process; wall time is measured around it and
peak memory is its maximum RSS (getrusage of a fresh parent per run, so one run's peak is not the next's).

    .venv/bin/python bench/apk_check_speed.py

Targets: median <= 3 s and peak RSS <= 300 MB.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from tests import apk_harness  # noqa: E402

RUNS = 3
ASSET_MB = 50

# runs the command given as arguments, then prints its wall time and maximum RSS (a fresh process per run)
MEASURE = """
import json, resource, subprocess, sys, time
started = time.perf_counter()
done = subprocess.run(sys.argv[1:], capture_output=True)
wall = time.perf_counter() - started
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
print(json.dumps({"wall": wall, "rss_kb": usage.ru_maxrss, "rc": done.returncode, "err": done.stderr.decode()[-500:]}))
"""


def build(where: Path) -> Path:
    assets = {f"blob{i}.bin": os.urandom(5 * 1024 * 1024) for i in range(ASSET_MB // 5)}
    manifest = apk_harness.manifest(
        package="com.example.big",
        application='android:allowBackup="false" android:networkSecurityConfig="@xml/network_security_config"',
    )
    nsc = (
        "<network-security-config><domain-config><domain>api.example.com</domain>"
        '<pin-set><pin digest="SHA-256">7HIpactkIAq2Y49orFOOQKurWxmmSFZhBCoQYcRhJ3Y=</pin></pin-set>'
        "</domain-config></network-security-config>"
    )
    dex = b"dex\n035\x00" + os.urandom(4 * 1024 * 1024) + b"Lokhttp3/CertificatePinner;"
    unsigned = apk_harness.build(
        where / "big", manifest, res={"xml/network_security_config.xml": nsc}, files={"classes.dex": dex}, assets=assets
    )
    key = apk_harness.make_key(where / "keys", "release", "CN=Example Release, O=Example")
    return apk_harness.sign(unsigned, key, where / "big.apk", v2=True, v3=True)


def main() -> None:
    missing = apk_harness.missing_tools()
    if missing:
        sys.exit(f"needed: {', '.join(missing)}")
    with tempfile.TemporaryDirectory() as tmp:
        apk = build(Path(tmp))
        size_mb = apk.stat().st_size / 1024 / 1024
        command = [sys.executable, "-m", "antai", "check", "apk", str(apk), "--format", "json"]
        runs = []
        for _ in range(RUNS):
            out = subprocess.run([sys.executable, "-c", MEASURE, *command], capture_output=True, text=True, check=True)
            run = json.loads(out.stdout)
            if run["rc"] != 0:
                sys.exit(f"antai exited {run['rc']}: {run['err']}")
            runs.append(run)
    wall = statistics.median(r["wall"] for r in runs)
    rss = max(r["rss_kb"] for r in runs) / 1024
    print(f"APK {size_mb:.1f} MB; {RUNS} runs; load average before: {os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs")
    print(f"median wall {wall:.2f} s (best {min(r['wall'] for r in runs):.2f} s); peak RSS {rss:.0f} MB")
    print(f"targets: wall <= 3 s {'met' if wall <= 3 else 'MISSED'}, RSS <= 300 MB {'met' if rss <= 300 else 'MISSED'}")


if __name__ == "__main__":
    main()
