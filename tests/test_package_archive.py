"""The size-limited zip reader that app packages (APK, IPA) will be read through: hostile archives are refused
before anything is decompressed, with a reason the CLI words, and within a bounded time."""

from __future__ import annotations

import os
import stat
import struct
import time
import zipfile
from pathlib import Path

import pytest

from antai.collectors.mobile.archive import DEFAULT_LIMITS, Limits, PackageError, open_package
from antai.errors import NotFound


def _zip(path: Path, entries: dict[str, bytes], compression: int = zipfile.ZIP_DEFLATED) -> Path:
    with zipfile.ZipFile(path, "w", compression) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return path


def _refusal(path: Path, limits: Limits = DEFAULT_LIMITS, read: str | None = None) -> tuple[str, dict[str, object]]:
    """The message and the parameters of the refusal, from opening ``path`` (and reading ``read``)."""
    with pytest.raises(PackageError) as caught, open_package(path, limits) as package:
        if read is not None:
            package.read(read)
    assert caught.value.code == "package_refused"
    return str(caught.value), dict(caught.value.params)


def _reason(path: Path, limits: Limits = DEFAULT_LIMITS) -> str:
    started = time.monotonic()
    with pytest.raises(PackageError) as caught, open_package(path, limits):
        pass
    assert time.monotonic() - started < 2
    return str(caught.value.params["reason"])


def test_a_plain_package_is_listed_and_read(tmp_path: Path) -> None:
    path = _zip(tmp_path / "ok.ipa", {"Payload/A.app/Info.plist": b"<plist/>", "Payload/A.app/A": b"\0" * 100})
    with open_package(path) as package:
        assert package.names() == ["Payload/A.app/Info.plist", "Payload/A.app/A"]
        assert package.read("Payload/A.app/Info.plist") == b"<plist/>"
        assert package.size("Payload/A.app/A") == 100
        with pytest.raises(PackageError) as caught:
            package.read("Payload/A.app/A", limit=50)
        assert caught.value.params["reason"] == "entry_too_large"
        with pytest.raises(PackageError) as missing:
            package.read("nope")
        assert missing.value.params["reason"] == "missing"


def test_a_zip_bomb_is_refused_by_its_ratio(tmp_path: Path) -> None:
    path = _zip(tmp_path / "bomb.apk", {"classes.dex": b"\0" * (100 * 1024 * 1024)})
    assert path.stat().st_size < 200_000
    assert _reason(path) == "ratio"


def test_totals_and_entry_counts_beyond_the_limits_are_refused(tmp_path: Path) -> None:
    path = _zip(tmp_path / "many.apk", {f"res/{n}.xml": b"x" * 1000 for n in range(50)}, zipfile.ZIP_STORED)
    assert _reason(path, Limits(max_entries=49)) == "too_many_entries"
    assert _reason(path, Limits(max_total=10_000)) == "total_too_large"
    assert _reason(path, Limits(max_file=1000)) == "file_too_large"


def test_a_directory_that_claims_millions_of_entries_is_refused_before_it_is_parsed(tmp_path: Path) -> None:
    path = _zip(tmp_path / "claims.apk", {"a": b"a"})
    raw = bytearray(path.read_bytes())
    at = raw.rfind(b"PK\x05\x06")
    struct.pack_into("<HH", raw, at + 8, 0xFFFF, 0xFFFF)  # entries on this disk, entries in all
    path.write_bytes(bytes(raw))
    assert _reason(path, Limits(max_entries=1000)) == "too_many_entries"


@pytest.mark.parametrize("name", ["../evil", "/etc/passwd", "C:\\\\evil", "C:", "a/../../b", "a\\\\..\\\\..\\\\b"])
def test_names_that_climb_out_are_refused(tmp_path: Path, name: str) -> None:
    path = tmp_path / "traversal.ipa"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr(zipfile.ZipInfo(name.replace("\\\\", "\\")), b"x")
    assert _reason(path) == "traversal"


def test_a_second_entry_of_the_same_name_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "dup.apk"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("AndroidManifest.xml", b"one")
        with pytest.warns(UserWarning):
            archive.writestr("AndroidManifest.xml", b"two")
    assert _reason(path) == "duplicate"


def test_a_symlink_entry_is_never_read(tmp_path: Path) -> None:
    path = tmp_path / "link.ipa"
    info = zipfile.ZipInfo("Payload/A.app/Info.plist")
    info.external_attr = (stat.S_IFLNK | 0o777) << 16
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr(info, "/etc/passwd")
    with open_package(path) as package, pytest.raises(PackageError) as caught:
        package.read("Payload/A.app/Info.plist")
    assert caught.value.params["reason"] == "symlink"


@pytest.mark.parametrize(
    ("content", "reason"),
    [(b"", "not_zip"), (b"not a zip at all" * 100, "not_zip"), (b"PK\x03\x04" + b"\0" * 40, "not_zip")],
)
def test_what_is_not_a_zip_is_refused(tmp_path: Path, content: bytes, reason: str) -> None:
    path = tmp_path / "bad.apk"
    path.write_bytes(content)
    assert _reason(path) == reason


def test_a_truncated_package_is_refused(tmp_path: Path) -> None:
    path = _zip(tmp_path / "whole.apk", {"classes.dex": os.urandom(50_000)})
    path.write_bytes(path.read_bytes()[:30_000])
    assert _reason(path) == "not_zip"


def test_a_lying_size_cannot_read_past_the_limit(tmp_path: Path) -> None:
    path = _zip(tmp_path / "lie.apk", {"classes.dex": b"A" * 1_000_000})
    raw = bytearray(path.read_bytes())
    central = raw.rfind(b"PK\x01\x02")
    struct.pack_into("<I", raw, central + 24, 1000)  # the directory says 1,000 bytes uncompressed
    path.write_bytes(bytes(raw))
    with open_package(path) as package, pytest.raises(PackageError) as caught:
        package.read("classes.dex")
    assert caught.value.params["reason"] in {"corrupt", "entry_too_large"}


def test_a_broken_deflate_stream_or_an_unusual_compression_is_refused_as_corrupt(tmp_path: Path) -> None:
    """Found by fuzzing the APK reader: a damaged deflate stream made zlib raise through the reader."""
    path = _zip(tmp_path / "bits.apk", {"AndroidManifest.xml": os.urandom(4000) + b"A" * 4000})
    raw = bytearray(path.read_bytes())
    start = 30 + len("AndroidManifest.xml")
    raw[start : start + 40] = b"\xff" * 40  # the first deflate block header becomes nonsense
    path.write_bytes(bytes(raw))
    with open_package(path) as package, pytest.raises(PackageError) as caught:
        package.read("AndroidManifest.xml")
    assert caught.value.params["reason"] == "corrupt"
    bz = _zip(tmp_path / "bz.apk", {"classes.dex": b"B" * 1000}, zipfile.ZIP_BZIP2)
    with open_package(bz) as package, pytest.raises(PackageError) as caught:
        package.read("classes.dex")
    assert caught.value.params == {
        **caught.value.params,
        "reason": "corrupt",
        "detail": "classes.dex: compression method 12",
    }


def test_each_refusal_names_the_package_the_entry_and_the_limit(tmp_path: Path) -> None:
    """What the CLI words: the exact parameters, and the message a log shows."""
    path = _zip(tmp_path / "one.apk", {"AndroidManifest.xml": b"M" * 100, "classes.dex": b"D" * 100})
    assert _refusal(path, read="nope.xml") == (
        f"{path}: cannot read the package safely (missing: nope.xml)",
        {"path": str(path), "reason": "missing", "detail": "nope.xml", "limit": None},
    )
    assert _refusal(path, Limits(max_read=99), read="classes.dex") == (
        f"{path}: cannot read the package safely (entry_too_large: classes.dex)",
        {"path": str(path), "reason": "entry_too_large", "detail": "classes.dex", "limit": 99},
    )
    with open_package(path, Limits(max_read=100)) as package:  # exactly at the cap is allowed
        assert package.read("classes.dex") == b"D" * 100
        assert package.read("AndroidManifest.xml", limit=100) == b"M" * 100
    assert _refusal(path, Limits(max_entries=1)) == (
        f"{path}: cannot read the package safely (too_many_entries: 2)",
        {"path": str(path), "reason": "too_many_entries", "detail": "2", "limit": 1},
    )
    assert _refusal(path, Limits(max_total=199))[1] == {
        "path": str(path), "reason": "total_too_large", "detail": "", "limit": 199,
    }  # fmt: skip
    with open_package(path, Limits(max_entries=2, max_total=200)) as package:  # at the limits: accepted
        assert package.names() == ["AndroidManifest.xml", "classes.dex"]


def test_a_symlink_or_an_encrypted_entry_is_refused_by_name(tmp_path: Path) -> None:
    path = tmp_path / "odd.ipa"
    link = zipfile.ZipInfo("Payload/A.app/Info.plist")
    link.external_attr = (stat.S_IFLNK | 0o777) << 16
    locked = zipfile.ZipInfo("Payload/A.app/A")
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr(link, "/etc/passwd")
        archive.writestr(locked, b"secret")
    raw = bytearray(path.read_bytes())
    for signature in (b"PK\x03\x04", b"PK\x01\x02"):  # set the encryption bit in both headers of the second entry
        at = raw.rfind(signature)
        offset = 6 if signature == b"PK\x03\x04" else 8
        (flags,) = struct.unpack_from("<H", raw, at + offset)
        struct.pack_into("<H", raw, at + offset, flags | 0x1)
    path.write_bytes(bytes(raw))
    assert _refusal(path, read="Payload/A.app/Info.plist")[1] == {
        "path": str(path), "reason": "symlink", "detail": "Payload/A.app/Info.plist", "limit": None,
    }  # fmt: skip
    assert _refusal(path, read="Payload/A.app/A") == (
        f"{path}: cannot read the package safely (encrypted: Payload/A.app/A)",
        {"path": str(path), "reason": "encrypted", "detail": "Payload/A.app/A", "limit": None},
    )


def test_a_newline_in_an_entry_name_cannot_add_a_line_to_the_message(tmp_path: Path) -> None:
    path = tmp_path / "lines.apk"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("../x\nall checks passed", b"x")
    message, params = _refusal(path)
    assert "\n" not in message and message.endswith("(traversal: ../x\\nall checks passed)")
    assert params["detail"] == "../x\\nall checks passed"


def _zip64(path: Path, declared: int) -> Path:
    """Three entries, with the end of the file rewritten as zip64 writes it for huge archives: a zip64 end
    record declaring ``declared`` entries, its locator, and the classic record saying 0xFFFF."""
    with zipfile.ZipFile(path, "w") as archive:
        for n in range(3):
            archive.writestr(f"res/{n}", b"x")
    raw = path.read_bytes()
    eocd = raw.rfind(b"PK\x05\x06")
    (size, offset) = struct.unpack_from("<II", raw, eocd + 12)
    record = struct.pack("<4sQHHIIQQQQ", b"PK\x06\x06", 44, 45, 45, 0, 0, declared, declared, size, offset)
    locator = struct.pack("<4sIQI", b"PK\x06\x07", 0, eocd, 1)
    classic = bytearray(raw[eocd : eocd + 22])
    struct.pack_into("<HH", classic, 8, 0xFFFF, 0xFFFF)
    path.write_bytes(raw[:eocd] + record + locator + bytes(classic))
    return path


def test_the_ratio_limit_applies_from_its_floor_and_names_the_entry(tmp_path: Path) -> None:
    limits = Limits(ratio_floor=1000, max_ratio=10)
    at_floor = _zip(tmp_path / "floor.apk", {"res/zeros": bytes(1000)})
    message, params = _refusal(at_floor, limits)
    with zipfile.ZipFile(at_floor) as archive:
        ratio = 1000 // archive.getinfo("res/zeros").compress_size
    assert params == {"path": str(at_floor), "reason": "ratio", "detail": f"res/zeros: {ratio}:1", "limit": 10}
    assert message.endswith(f"(ratio: res/zeros: {ratio}:1)")
    below = _zip(tmp_path / "below.apk", {"res/zeros": bytes(999)})
    with open_package(below, limits) as package:
        assert package.read("res/zeros") == bytes(999)
    dup = tmp_path / "dup.apk"
    with zipfile.ZipFile(dup, "w") as archive, pytest.warns(UserWarning):
        archive.writestr("a.xml", b"1")
        archive.writestr("a.xml", b"2")
    assert _refusal(dup)[1] == {"path": str(dup), "reason": "duplicate", "detail": "a.xml", "limit": None}


def test_a_zip64_directory_is_counted_from_its_zip64_record(tmp_path: Path) -> None:
    huge = _zip64(tmp_path / "huge.apk", 5_000_000)
    assert _refusal(huge)[1]["detail"] == "5000000"  # refused before zipfile parses a five-million directory
    honest = _zip64(tmp_path / "honest.apk", 3)
    with open_package(honest, Limits(max_entries=70_000)) as package:
        assert package.names() == ["res/0", "res/1", "res/2"]
    # the larger of the two counts is taken: the classic record's 0xFFFF marker counts as 65,535
    assert _refusal(honest, Limits(max_entries=65_534))[1]["detail"] == "65535"


def test_special_files_and_missing_files(tmp_path: Path) -> None:
    assert _reason(tmp_path) == "not_a_file"
    fifo = tmp_path / "fifo.apk"
    os.mkfifo(fifo)
    assert _reason(fifo) == "not_a_file"
    sparse = tmp_path / "huge.apk"
    with sparse.open("wb") as handle:
        handle.truncate(5 * 1024**3)
    assert _reason(sparse) == "file_too_large"
    with pytest.raises(NotFound), open_package(tmp_path / "missing.apk"):
        pass
