"""How fast `antai check aws` is on a seeded emulated account, and Prowler beside it.

The account (20 IAM users, 30 S3 buckets, 5 KMS keys, 5 security groups, one region, plus a trail, an alarm
chain, AWS Config and GuardDuty) lives in a moto server; every request goes through the harness's loopback
proxy (tests/aws_harness), which counts requests and can add a fixed delay per request to stand in for the
network. Each tool runs as its own process; wall time is measured around it and peak memory is its maximum
RSS (getrusage of a fresh parent per run).

    .venv/bin/python bench/aws_check_speed.py
    .venv/bin/python bench/aws_check_speed.py --prowler /tmp/prowler-venv/bin/prowler

Prowler is never installed by this script: put it in a venv of its own first
(python3 -m venv /tmp/prowler-venv && /tmp/prowler-venv/bin/pip install prowler==5.46.0).

Targets for antai: <= 2 s, <= 200 requests and <= 120 MB at 0 ms; <= 3 s at 100 ms per request.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from tests.aws_harness import Emulator, seed  # noqa: E402

from antai.collectors.aws.collect import metas  # noqa: E402

ALL_CHECKS = [m.id for m in metas()]

ACCOUNT = "999999999999"
# the Prowler checks that look at what antai's checks look at
PROWLER_CHECKS = (
    "iam_root_mfa_enabled",
    "iam_root_hardware_mfa_enabled",
    "iam_no_root_access_key",
    "cloudwatch_log_metric_filter_root_usage",
    "iam_user_mfa_enabled_console_access",
    "iam_password_policy_minimum_length_14",
    "iam_aws_attached_policy_no_administrative_privileges",
    "iam_user_accesskey_unused",
    "iam_rotate_access_key_90_days",
    "cloudtrail_multi_region_enabled",
    "cloudtrail_log_file_validation_enabled",
    "config_recorder_all_regions_enabled",
    "kms_cmk_rotation_enabled",
    "s3_bucket_default_encryption",
    "s3_bucket_secure_transport_policy",
    "s3_account_level_public_access_blocks",
    "ec2_securitygroup_allow_ingress_from_internet_to_tcp_port_22",
    "guardduty_is_enabled",
)
# runs the command given as arguments, then prints its wall time and maximum RSS (a fresh process per run, so
# RUSAGE_CHILDREN holds exactly one child)
MEASURE = """
import json, resource, subprocess, sys, time
start = time.perf_counter()
done = subprocess.run(sys.argv[1:], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
wall = time.perf_counter() - start
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
print(json.dumps({"wall": wall, "rss_kb": usage.ru_maxrss, "cpu": usage.ru_utime + usage.ru_stime,
                  "rc": done.returncode, "out": len(done.stdout), "err": done.stderr.decode(errors="replace")[-2000:]}))
"""


def measure(emu: Emulator, command: list[str], delay: float, env: dict[str, str]) -> dict[str, float]:
    assert emu.proxy is not None
    emu.proxy.reset()
    emu.proxy.delay = delay
    done = subprocess.run(
        [sys.executable, "-c", MEASURE, *command], capture_output=True, text=True, env=env, check=True, timeout=3600
    )
    result = json.loads(done.stdout)
    result["requests"] = emu.proxy.total
    result["top"] = emu.proxy.counts.most_common(5)
    emu.proxy.reset()
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--prowler", help="path to a prowler executable (in its own venv)")
    parser.add_argument("--repeat", type=int, default=3, help="runs per configuration (median reported)")
    parser.add_argument("--prowler-repeat", type=int, default=1)
    args = parser.parse_args()

    rows: list[tuple[str, int, float, float, int, float, float]] = []
    with Emulator(own_process=True) as emu, tempfile.TemporaryDirectory(prefix="aws-bench-") as scratch:
        seed.benchmark(emu, ACCOUNT)
        env = {**os.environ, **emu.env(ACCOUNT), "ANTAI_CACHE_DIR": str(Path(scratch) / "cache")}
        antai = [sys.executable, "-m", "antai", "check", "aws", "--format", "json"]
        first = measure(emu, antai, 0.0, env)  # warm-up: the emulator builds some backends lazily
        if first["rc"] != 0:
            raise SystemExit(f"antai failed: {first['err']}")
        for delay_ms in (0, 100):
            runs = [measure(emu, antai, delay_ms / 1000, env) for _ in range(args.repeat)]
            wall = statistics.median(r["wall"] for r in runs)
            best = min(r["wall"] for r in runs)
            rss = statistics.median(r["rss_kb"] for r in runs) / 1024
            cpu = statistics.median(r["cpu"] for r in runs)
            rows.append(("antai", delay_ms, wall, best, int(runs[0]["requests"]), rss, cpu))
        if args.prowler:
            out = Path(scratch) / "prowler"
            prowler = [
                args.prowler, "aws", "--checks", *PROWLER_CHECKS, "--region", "ap-northeast-1",
                "--output-directory", str(out), "--output-formats", "json-ocsf", "--no-banner",
            ]  # fmt: skip
            for delay_ms in (0, 100):
                runs = [measure(emu, prowler, delay_ms / 1000, env) for _ in range(args.prowler_repeat)]
                if runs[0]["rc"] not in (0, 3):  # 3: the scan found failing checks
                    print(f"prowler exited {runs[0]['rc']}: {runs[0]['err']}", file=sys.stderr)
                wall = statistics.median(r["wall"] for r in runs)
                best = min(r["wall"] for r in runs)
                rss = statistics.median(r["rss_kb"] for r in runs) / 1024
                cpu = statistics.median(r["cpu"] for r in runs)
                rows.append(("prowler 5.46", delay_ms, wall, best, int(runs[0]["requests"]), rss, cpu))
                print(f"prowler at {delay_ms} ms, top requests: {runs[0]['top']}", file=sys.stderr)

    print(f"antai: {len(ALL_CHECKS)} checks; prowler: {len(PROWLER_CHECKS)} comparable checks; median of the runs")
    print(f"load average before: {os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs (timings grow with load)")
    print(f"{'tool':<14}{'delay':>8}{'wall s':>10}{'best s':>8}{'cpu s':>8}{'requests':>10}{'peak MB':>10}")
    for tool, delay_ms, wall, best, requests, rss, cpu in rows:
        print(f"{tool:<14}{delay_ms:>6}ms{wall:>10.2f}{best:>8.2f}{cpu:>8.2f}{requests:>10}{rss:>10.0f}")
    antai_rows = {r[1]: r for r in rows if r[0] == "antai"}
    zero, slow = antai_rows[0], antai_rows[100]
    verdicts = {
        "<= 2 s at 0 ms": zero[2] <= 2.0,
        "<= 200 requests": zero[4] <= 200,
        "<= 120 MB": zero[5] <= 120,
        "<= 3 s at 100 ms": slow[2] <= 3.0,
    }
    print("targets: " + ", ".join(f"{name} {'met' if ok else 'MISSED'}" for name, ok in verdicts.items()))


if __name__ == "__main__":
    main()
