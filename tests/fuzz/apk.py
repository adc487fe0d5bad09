"""libFuzzer harness (atheris) for antai's APK reader (`antai check apk`).

Any bytes must give either a run (a ScanRun whose findings are well formed) or a clean
:class:`~antai.collectors.mobile.archive.PackageError` / :class:`~antai.collectors.mobile.android.reader.ApkUnreadable`;
anything else (another exception, a libFuzzer timeout or memory limit) is a crash.

An input that starts with ``PK`` is the whole package. Any other input is the parts of one, separated by
:data:`SEPARATOR`, put into a zip in this order: AndroidManifest.xml, resources.arsc, the network security
config, classes.dex, the backup rules (so that mutations reach the binary XML, resource table and DEX
readers, not only the zip layer).

    python tests/fuzz/apk.py --write-seeds SEEDS some.apk other.apk     # seeds from real APKs
    python tests/fuzz/apk.py -max_total_time=60 CORPUS SEEDS

``tests/test_check_apk.py`` builds APKs with aapt and runs it for a few seconds.
"""

from __future__ import annotations

import datetime as dt
import io
import sys
import tempfile
import zipfile
from pathlib import Path

SEPARATOR = b"\xff\xfeAPK\xfd\xfc"
PARTS = (
    "AndroidManifest.xml",
    "resources.arsc",
    "res/xml/network_security_config.xml",
    "classes.dex",
    "res/xml/extraction.xml",
)


def write_seeds(folder: Path, apks: list[Path]) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for n, apk in enumerate(apks):
        data = apk.read_bytes()
        (folder / f"whole-{n}").write_bytes(data)
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            parts = [archive.read(name) if name in names else b"" for name in PARTS]
        (folder / f"parts-{n}").write_bytes(SEPARATOR.join(parts))


def main() -> None:
    import atheris

    with atheris.instrument_imports(include=["antai.collectors.mobile", "androguard.core.axml"]):
        from antai.collectors.mobile.android.collect import check_apk
        from antai.collectors.mobile.android.reader import ApkUnreadable
        from antai.collectors.mobile.archive import PackageError

    folder = Path(tempfile.mkdtemp(prefix="antai-fuzz-apk-"))
    target = folder / "input.apk"
    today = dt.date(2026, 12, 2)

    def package(data: bytes) -> bytes:
        if data[:2] == b"PK":
            return data
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as archive:
            for name, part in zip(PARTS, data.split(SEPARATOR, len(PARTS) - 1), strict=False):
                if part:
                    archive.writestr(name, part)
        return out.getvalue()

    def test_one_input(data: bytes) -> None:
        target.write_bytes(package(data))
        try:
            run = check_apk(target, lang="ja", today=today)
        except (PackageError, ApkUnreadable) as exc:
            assert exc.code in ("package_refused", "apk_unreadable"), exc.code
            assert str(exc) and "\n" not in str(exc), repr(str(exc))
            return
        assert run.target.startswith("Android app ") and run.observed_at.tzinfo is not None
        for finding in run.findings or []:
            assert finding.check.startswith("apk.") and finding.items, finding
            assert len(finding.resource) <= 400 and len(finding.observed or "") <= 1200, finding
        assert sum(run.tally.totals.values()) == len(run.findings or [])

    atheris.Setup(sys.argv, test_one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    if len(sys.argv) > 2 and sys.argv[1] == "--write-seeds":
        write_seeds(Path(sys.argv[2]), [Path(p) for p in sys.argv[3:]])
    else:
        main()
