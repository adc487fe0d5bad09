"""Real APKs for the tests, built the way an app's build does: Debian's ``aapt`` compiles the manifest and the
res/xml files the test writes against Android's framework-res.apk, ``zipalign`` aligns, ``apksigner`` signs
(v1, v2, v3 as asked) with keystores ``keytool`` makes (a debug-like ``CN=Android Debug`` one, a release one).

aapt comes from Android 10, so a manifest with newer attributes (``android:dataExtractionRules``) is compiled
without them and the manifest is then rewritten by :mod:`tests.apk_harness.axml`, with the ``@xml/…``
references resolved to the IDs aapt gave them.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
import zipfile
from dataclasses import dataclass
from pathlib import Path

from tests.apk_harness import axml

FRAMEWORK = Path("/usr/share/android-framework-res/framework-res.apk")
TOOLS = ("aapt", "apksigner", "zipalign", "keytool")
PASSWORD = "android"
NEWER_THAN_AAPT = {"dataExtractionRules"}  # attributes aapt's framework (API 29) does not know


def missing_tools() -> list[str]:
    found = [t for t in TOOLS if shutil.which(t) is None]
    return [*found, *([str(FRAMEWORK)] if not FRAMEWORK.is_file() else [])]


def _run(*args: str | Path) -> str:
    done = subprocess.run([str(a) for a in args], capture_output=True, text=True, timeout=120)
    if done.returncode != 0:
        raise RuntimeError(f"{args[0]} failed: {done.stderr or done.stdout}")
    return done.stdout


@dataclass(frozen=True)
class Key:
    keystore: Path
    alias: str = "key"


def make_key(folder: Path, name: str, dname: str) -> Key:
    """A PKCS#12 keystore with one RSA key whose certificate's subject is ``dname``."""
    folder.mkdir(parents=True, exist_ok=True)
    store = folder / f"{name}.p12"
    _run(
        "keytool", "-genkeypair", "-keystore", store, "-storetype", "PKCS12", "-storepass", PASSWORD,
        "-keypass", PASSWORD, "-alias", "key", "-dname", dname, "-keyalg", "RSA", "-keysize", "2048",
        "-validity", "10000",
    )  # fmt: skip
    return Key(store)


def build(
    folder: Path,
    manifest: str,
    *,
    res: dict[str, str] | None = None,
    files: dict[str, bytes] | None = None,
    assets: dict[str, bytes] | None = None,
) -> Path:
    """An unsigned APK from ``manifest`` (AndroidManifest.xml text), ``res`` (path under res/ → XML text),
    ``files`` (zip entries added as they are, e.g. classes.dex) and ``assets`` (under assets/)."""
    folder.mkdir(parents=True, exist_ok=True)
    root = ET.fromstring(manifest)
    newer = [
        (element, key)
        for element in root.iter()
        for key in element.attrib
        if key.startswith("{" + axml.ANDROID + "}") and key.split("}")[1] in NEWER_THAN_AAPT
    ]
    compiled = manifest
    if newer:
        stripped = ET.fromstring(manifest)
        for element in stripped.iter():
            for key in [k for k in element.attrib if k.split("}")[-1] in NEWER_THAN_AAPT]:
                del element.attrib[key]
        ET.register_namespace("android", axml.ANDROID)
        compiled = ET.tostring(stripped, encoding="unicode")
    (folder / "AndroidManifest.xml").write_text(compiled, encoding="utf-8")
    args: list[str | Path] = ["aapt", "package", "-f", "-M", folder / "AndroidManifest.xml", "-I", FRAMEWORK]
    if res:
        for name, text in res.items():
            path = folder / "res" / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
        args += ["-S", folder / "res"]
    if assets:
        for name, data in assets.items():
            path = folder / "assets" / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
        args += ["-A", folder / "assets"]
    out = folder / "unsigned.apk"
    _run(*args, "-F", out)
    replaced: dict[str, bytes] = dict(files or {})
    if newer:
        ids = resource_ids(out)
        for element in root.iter():
            for key, value in element.attrib.items():
                if value.startswith("@") and "/" in value:
                    element.set(key, f"@0x{ids[value[1:]]:08x}")
        replaced["AndroidManifest.xml"] = axml.write(root)
    if replaced:
        _rewrite(out, replaced)
    return out


def _rewrite(apk: Path, entries: dict[str, bytes]) -> None:
    """Replace or add ``entries`` in ``apk`` (stored the way aapt stores them: deflated)."""
    temp = apk.with_suffix(".tmp")
    with zipfile.ZipFile(apk) as src, zipfile.ZipFile(temp, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            if info.filename not in entries:
                dst.writestr(info, src.read(info))
        for name, data in entries.items():
            dst.writestr(name, data)
    temp.replace(apk)


def resource_ids(apk: Path) -> dict[str, int]:
    """``type/name`` → resource ID, from ``aapt dump resources``."""
    found = {}
    for line in _run("aapt", "dump", "resources", apk).splitlines():
        match = re.match(r"\s*spec resource 0x([0-9a-f]{8}) [^:]+:([^:]+): ", line)
        if match:
            found[match.group(2)] = int(match.group(1), 16)
    return found


def sign(
    apk: Path,
    key: Key,
    out: Path,
    *,
    v1: bool = False,
    v2: bool = True,
    v3: bool = False,
    min_sdk: int | None = None,
) -> Path:
    """``apk`` aligned and signed with ``key`` using the schemes asked for, written to ``out``."""
    aligned = out.with_suffix(".aligned")
    _run("zipalign", "-f", "4", apk, aligned)
    args: list[str | Path] = [
        "apksigner", "sign", "--ks", key.keystore, "--ks-pass", f"pass:{PASSWORD}", "--ks-key-alias", key.alias,
        "--key-pass", f"pass:{PASSWORD}", "--v1-signing-enabled", str(v1).lower(),
        "--v2-signing-enabled", str(v2).lower(), "--v3-signing-enabled", str(v3).lower(),
        "--v4-signing-enabled", "false",
    ]  # fmt: skip
    if min_sdk is not None:
        args += ["--min-sdk-version", str(min_sdk)]
    _run(*args, "--out", out, aligned)
    aligned.unlink()
    return out


def manifest(
    package: str = "com.example.bank",
    *,
    min_sdk: int = 34,
    target_sdk: int = 35,
    application: str = 'android:allowBackup="false"',
    components: str = "",
    extra: str = "",
) -> str:
    """An AndroidManifest.xml with a launcher activity, ``application``'s attributes and ``components``."""
    return f"""<?xml version="1.0" encoding="utf-8"?>
<manifest xmlns:android="{axml.ANDROID}" package="{package}"
    android:versionCode="7" android:versionName="2.3.1">
  <uses-sdk android:minSdkVersion="{min_sdk}" android:targetSdkVersion="{target_sdk}"/>
  {extra}
  <application android:label="Bank" {application}>
    <activity android:name=".MainActivity" android:exported="true">
      <intent-filter>
        <action android:name="android.intent.action.MAIN"/>
        <category android:name="android.intent.category.LAUNCHER"/>
      </intent-filter>
    </activity>
    {components}
  </application>
</manifest>
"""
