"""Importer throughput and memory on big Prowler OCSF files (issue 11, 6a).

    .venv/bin/python bench/import_speed.py [--size-mb 1024] [--small-mb 100] [--runs 3]

Writes /tmp/antai-bench-prowler-<N>MB.ocsf.json (realistic findings of about 4 KB, as Prowler writes
them: indented, with compliance lists and resource details), reusing the file when it is already there.
Then, each in a fresh process so that peak RSS is the import's own, it reads the file:

* with the importer alone (``read_prowler``), for the big and the small file (memory must not grow with
  the file);
* through the CLI: ``antai import prowler FILE --format json -o /tmp/antai-bench-import.json``.

It prints findings per second (the best of ``--runs``) and peak RSS. Targets: at least 50,000 findings/s,
and the same memory for 100 MB and 1 GB.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHECKS = [
    ("iam_root_mfa_enabled", "Critical"),
    ("iam_user_mfa_enabled_console_access", "High"),
    ("s3_bucket_default_encryption", "Medium"),
    ("s3_bucket_public_access", "Critical"),
    ("cloudtrail_multi_region_enabled", "High"),
    ("ec2_securitygroup_allow_ingress_from_internet_to_tcp_port_22", "High"),
    ("kms_cmk_rotation_enabled", "Medium"),
    ("rds_instance_storage_encrypted", "Medium"),
    ("guardduty_is_enabled", "Medium"),
    ("config_recorder_all_regions_enabled", "Medium"),
]


def _template() -> str:
    finding = {
        "message": "S3 Bucket @NAME has Server Side Encryption with AES256.",
        "metadata": {
            "event_code": "@CHECK",
            "product": {"name": "Prowler", "uid": "prowler", "vendor_name": "Prowler", "version": "5.46.0"},
            "profiles": ["cloud", "datetime"],
            "tenant_uid": "",
            "version": "1.4.0",
        },
        "severity_id": 3,
        "severity": "@SEVERITY",
        "status": "New",
        "status_code": "@STATUS",
        "status_detail": "S3 Bucket @NAME has Server Side Encryption with AES256.",
        "status_id": 1,
        "unmapped": {
            "related_url": "https://docs.aws.amazon.com/AmazonS3/latest/userguide/default-bucket-encryption.html",
            "categories": ["encryption"],
            "depends_on": [],
            "related_to": [],
            "additional_urls": [],
            "notes": "",
            "compliance": {
                "CIS-1.4": ["2.1.1"],
                "CIS-1.5": ["2.1.1"],
                "CIS-2.0": ["2.1.1"],
                "CIS-3.0": ["2.1.1"],
                "AWS-Foundational-Security-Best-Practices": ["s3"],
                "ISO27001-2013": ["A.10.1", "A.18.1"],
                "NIST-800-53-Revision-5": ["au_9_3", "cm_6_a", "cm_9_b", "cp_9_d", "sc_8_3", "sc_28", "si_19_4"],
                "PCI-3.2.1": ["s3"],
                "SOC2": ["cc_6_1", "cc_6_7"],
                "KISA-ISMS-P-2023": ["2.7.1", "2.7.2"],
            },
        },
        "activity_name": "Create",
        "activity_id": 1,
        "finding_info": {
            "created_time": 1764640800,
            "created_time_dt": "2026-12-02T02:00:00.000000",
            "desc": "Check if S3 buckets have default encryption (SSE) enabled or use a bucket policy to enforce it.",
            "product_uid": "prowler",
            "title": "Check if S3 buckets have default encryption (SSE) enabled.",
            "types": ["Data Protection"],
            "uid": "prowler-aws-@CHECK-123456789012-ap-northeast-1-@NAME",
        },
        "resources": [
            {
                "cloud_partition": "aws",
                "region": "ap-northeast-1",
                "data": {
                    "details": "",
                    "metadata": {
                        "name": "@NAME",
                        "arn": "arn:aws:s3:::@NAME",
                        "region": "ap-northeast-1",
                        "logging": False,
                        "versioning": True,
                        "encryption": "AES256",
                        "ownership": "BucketOwnerEnforced",
                        "public": False,
                        "tags": [{"Key": "team", "Value": "payments"}],
                    },
                },
                "group": {"name": "s3"},
                "labels": [],
                "name": "@NAME",
                "type": "AwsS3Bucket",
                "uid": "arn:aws:s3:::@NAME",
            }
        ],
        "category_name": "Findings",
        "category_uid": 2,
        "class_name": "Detection Finding",
        "class_uid": 2004,
        "cloud": {
            "account": {"name": "prod", "type": "AWS Account", "type_id": 10, "uid": "123456789012", "labels": []},
            "org": {"name": "", "uid": ""},
            "provider": "aws",
            "region": "ap-northeast-1",
        },
        "remediation": {
            "desc": "Ensure that S3 buckets have encryption at rest enabled, with a key the team controls.",
            "references": [
                "aws s3api put-bucket-encryption --bucket <bucket_name> --server-side-encryption-configuration ...",
                "https://docs.aws.amazon.com/AmazonS3/latest/userguide/default-bucket-encryption.html",
            ],
        },
        "risk_details": "Amazon S3 default encryption provides a way to set the default encryption behavior for an "
        "S3 bucket. Objects are encrypted when they are stored in the bucket, so that data at rest stays unreadable "
        "to whoever gets hold of the disks or of a copy made outside the account's keys.",
        "time": 1764640800,
        "time_dt": "2026-12-02T02:00:00.000000",
        "type_uid": 200401,
        "type_name": "Detection Finding: Create",
    }
    return json.dumps(finding, indent=2)


def generate(size_mb: int) -> tuple[Path, int]:
    path = Path(f"/tmp/antai-bench-prowler-{size_mb}MB.ocsf.json")
    count_file = path.with_suffix(".count")
    if path.is_file() and count_file.is_file():
        return path, int(count_file.read_text())
    template = _template()
    want = size_mb * 1024 * 1024
    written = count = 0
    start = time.perf_counter()
    with path.open("w", encoding="utf-8") as out:
        out.write("[\n")
        while written < want:
            parts = []
            for _ in range(1000):
                check, severity = CHECKS[count % len(CHECKS)]
                text = (
                    template.replace("@CHECK", check)
                    .replace("@SEVERITY", severity)
                    .replace("@STATUS", "FAIL" if count % 3 == 0 else "PASS")
                    .replace("@NAME", f"bucket-{count:09d}")
                )
                parts.append(("  " if count == 0 else ",\n  ") + text.replace("\n", "\n  "))
                count += 1
            chunk = "".join(parts)
            out.write(chunk)
            written += len(chunk)
        out.write("\n]\n")
    count_file.write_text(str(count))
    print(
        f"wrote {path} ({path.stat().st_size / 1e6:.0f} MB, {count:,} findings) in {time.perf_counter() - start:.0f} s"
    )
    return path, count


_READ = """
import sys, time
from pathlib import Path
from antai.importers.prowler import read_prowler
start = time.perf_counter()
run = read_prowler(Path(sys.argv[1]))
print(time.perf_counter() - start, run.tally.count)
"""


def _run_with_rusage(command: list[str]) -> tuple[float, int, str]:
    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert process.stdout is not None and process.stderr is not None
    out = process.stdout.read().decode()
    err = process.stderr.read().decode()
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{' '.join(command)} failed:\n{err[-3000:]}")
    return wall, usage.ru_maxrss * 1024, out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size-mb", type=int, default=1024)
    parser.add_argument("--small-mb", type=int, default=100)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    python = sys.executable
    rows = []
    for size in (args.small_mb, args.size_mb):
        path, count = generate(size)
        best = None
        for _ in range(args.runs):
            wall, peak, out = _run_with_rusage([python, "-c", _READ, str(path)])
            seconds, found = out.split()
            assert int(found) == count, (found, count)
            row = (float(seconds), wall, peak)
            best = row if best is None or row[0] < best[0] else best
        assert best is not None
        rows.append(("importer", size, count, *best))
    path, count = generate(args.size_mb)
    best_cli = None
    for _ in range(args.runs):
        cli = [
            python,
            "-m",
            "antai",
            "import",
            "prowler",
            str(path),
            "--format",
            "json",
            "-o",
            "/tmp/antai-bench-import.json",
        ]
        wall, peak, _ = _run_with_rusage(cli)
        best_cli = (wall, wall, peak) if best_cli is None or wall < best_cli[0] else best_cli
    assert best_cli is not None
    rows.append(("antai import prowler", args.size_mb, count, *best_cli))
    print(f"{'what':<22} {'file':>8} {'findings':>10} {'seconds':>8} {'findings/s':>11} {'peak RSS':>9}")
    for what, size, found, seconds, _wall, peak in rows:
        print(f"{what:<22} {size:>6}MB {found:>10,} {seconds:>8.2f} {found / seconds:>11,.0f} {peak / 1e6:>7.0f}MB")
    small, big = rows[0], rows[1]
    print(f"memory: {small[5] / 1e6:.0f} MB for {small[1]} MB, {big[5] / 1e6:.0f} MB for {big[1]} MB")
    verdict = "met" if big[2] / big[3] >= 50_000 else "NOT met"
    print(f"target >= 50,000 findings/s (importer, {big[1]} MB): {verdict}")


if __name__ == "__main__":
    main()
