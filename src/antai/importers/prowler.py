"""Prowler's outputs: OCSF JSON (``-M json-ocsf``) and the ``;``-separated CSV (``-M csv``).

Which one a file is comes from its first character (``[`` or ``{``: OCSF). Both give one finding per
check and resource:

* the check is Prowler's check ID (OCSF ``metadata.event_code``, CSV ``CHECK_ID``);
* ``PASS`` is a pass and ``FAIL`` a failure. ``MANUAL`` marks a check Prowler cannot decide by itself (a
  person has to look): it says nothing about the account, so it counts as ``not_applicable``. A muted
  finding (OCSF ``status`` "Suppressed", CSV ``MUTED`` true) counts as ``not_applicable`` too, and as
  suppressed. Any other status is an ``error``: it proves nothing either way;
* the resource is the resource's UID (ARN), the severity Prowler's, the time the finding's own.

The run's target is the provider and account(s) the findings are about, its time the latest finding's
(the file's modification time when no finding says), its version Prowler's when the file names it.
"""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Callable, Iterator
from functools import cache
from pathlib import Path
from typing import Any

from antai.assessment.findings import Finding, FindingStatus
from antai.catalog.mappings import RuleMap
from antai.importers.common import (
    ImportedRun,
    Latest,
    Rules,
    Targets,
    Times,
    finish,
    new_run,
    parse_time,
    severity,
    short,
)
from antai.importers.jsonstream import JsonReader, Refused, kind_of
from antai.importers.source import InputFile, Progress, fail

_STATUS = {"PASS": FindingStatus.PASS, "FAIL": FindingStatus.FAIL, "MANUAL": FindingStatus.NOT_APPLICABLE}
_MUTED = frozenset({"suppressed", "muted"})
_OCSF_SEVERITY = {1: "informational", 2: "low", 3: "medium", 4: "high", 5: "critical", 6: "critical"}
MAX_CSV_LINE = 1 << 20  # characters in one CSV line (and so in one field)


def read_prowler(
    path: Path, *, rules: RuleMap | None = None, display: str | None = None, progress: Progress | None = None
) -> ImportedRun:
    """Read a Prowler OCSF JSON or CSV file; raises SourceError (``file:line:column``) when it is not one."""
    if rules is None:
        from antai.catalog.mappings import load_mapping

        rules = load_mapping("prowler")
    source = InputFile(path, display or path.name, progress)
    with source:
        head = source.head(4096)
        if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            raise fail(source.display, 1, 1, "UTF-16 text: save the scanner's output as UTF-8", "utf16")
        nul = head.find(b"\x00")
        if nul >= 0:  # a binary file, or a sparse one full of nothing
            line = head.count(b"\n", 0, nul) + 1
            column = nul - head.rfind(b"\n", 0, nul)
            raise fail(source.display, line, column, "a NUL byte (is this a binary file?)", "binary", byte="00")
        first = head.removeprefix(codecs.BOM_UTF8).lstrip()[:1]
        if first in (b"[", b"{"):
            return _read_ocsf(source, Rules(rules))
        return _read_csv(source, Rules(rules))


class _State:
    """What a Prowler file says about its run, gathered finding by finding."""

    def __init__(self, source: InputFile) -> None:
        self.run = new_run("prowler", source.display, source.mtime)
        self.targets = Targets()
        self.latest = Latest()
        self.version: str | None = None

    def add(self, finding: Finding, muted: bool) -> None:
        if muted:
            self.run.suppressed += 1
        self.latest.add(finding.observed_at)
        self.run.add(finding)

    def finish(self, source: InputFile) -> ImportedRun:
        return finish(
            self.run,
            version=self.version,
            target=self.targets.shown(source.display),
            observed_at=self.latest.value,
            sha256=source.sha256,
        )


def _status(code: Any, muted: bool) -> tuple[FindingStatus, str | None]:
    if muted:
        return FindingStatus.NOT_APPLICABLE, "muted"
    found = _STATUS.get(code) if type(code) is str else None
    if found is not None:
        return found, None
    text = code.strip().upper() if isinstance(code, str) else ""
    found = _STATUS.get(text)
    if found is not None:
        return found, None
    return FindingStatus.ERROR, f"status {short(code, 40) or 'missing'}"


# Prowler's provider codes as the providers write their own names (a target is read by people, in any language)
_PROVIDERS = {
    "aws": "AWS",
    "azure": "Azure",
    "gcp": "Google Cloud",
    "kubernetes": "Kubernetes",
    "m365": "Microsoft 365",
}


def _target(provider: Any, account: Any) -> str | None:
    account_text = short(account, 100)
    if not account_text:
        return None
    provider_text = short(provider, 30)
    if provider_text:
        provider_text = _PROVIDERS.get(provider_text.lower(), provider_text)
    return f"{provider_text} {account_text}" if provider_text else account_text


# --- OCSF ------------------------------------------------------------------------------------------------


@cache
def _ocsf_batch() -> Callable[[bytes], list[Any]]:
    """A parser of a batch of findings that keeps only the fields read below (see jsonstream.objects):
    msgspec where it is installed (four times faster: it skips the rest without building it), else
    pydantic's. Either refuses what does not have the shape, and the exact reader takes over."""
    try:
        return _msgspec_batch()
    except ImportError:
        return _pydantic_batch()


def _msgspec_batch() -> Callable[[bytes], list[Any]]:
    import msgspec

    def struct(name: str, *fields: tuple[str, Any]) -> Any:
        return msgspec.defstruct(name, [(f, t, None) for f, t in fields], omit_defaults=True)

    product = struct("Product", ("version", Any))
    metadata = struct("Metadata", ("event_code", Any), ("product", product | None))
    resource = struct("Resource", ("uid", Any), ("name", Any))
    info = struct("Info", ("title", Any))
    account = struct("Account", ("uid", Any))
    cloud = struct("Cloud", ("account", account | None), ("provider", Any))
    plain = ("status_code", "status", "status_id", "status_detail", "severity", "severity_id", "time", "time_dt")
    finding = struct(
        "OcsfFinding",
        ("metadata", metadata | None),
        ("resources", list[resource] | None),  # type: ignore[valid-type]
        ("finding_info", info | None),
        ("cloud", cloud | None),
        *((name, Any) for name in plain),
    )
    decode = msgspec.json.Decoder(list[finding]).decode  # type: ignore[valid-type]

    def parse(data: bytes) -> list[Any]:
        found: list[Any] = decode(data)  # structs: read by attribute, without building dicts
        return found

    return parse


def _pydantic_batch() -> Callable[[bytes], list[Any]]:
    from pydantic import ConfigDict, TypeAdapter
    from typing_extensions import TypedDict

    config = ConfigDict(strict=True)

    class Product(TypedDict, total=False):
        __pydantic_config__ = config  # type: ignore[misc]
        version: Any

    class Metadata(TypedDict, total=False):
        __pydantic_config__ = config  # type: ignore[misc]
        event_code: Any
        product: Product

    class Resource(TypedDict, total=False):
        __pydantic_config__ = config  # type: ignore[misc]
        uid: Any
        name: Any

    class Info(TypedDict, total=False):
        __pydantic_config__ = config  # type: ignore[misc]
        title: Any

    class Account(TypedDict, total=False):
        __pydantic_config__ = config  # type: ignore[misc]
        uid: Any

    class Cloud(TypedDict, total=False):
        __pydantic_config__ = config  # type: ignore[misc]
        account: Account
        provider: Any

    class OcsfFinding(TypedDict, total=False):
        __pydantic_config__ = config  # type: ignore[misc]
        metadata: Metadata
        status_code: Any
        status: Any
        status_id: Any
        status_detail: Any
        severity: Any
        severity_id: Any
        resources: list[Resource]
        finding_info: Info
        time: Any
        time_dt: Any
        cloud: Cloud

    adapter = TypeAdapter(list[OcsfFinding])
    return adapter.validate_json


def _get(obj: dict[str, Any], key: str) -> dict[str, Any]:
    found = obj.get(key)
    return found if isinstance(found, dict) else {}


# what an OCSF finding says, in this order: check, status, status_id, status_code, resource uid and name,
# provider, account, severity, severity_id, status_detail, title, time_dt, time, product version
Picked = tuple[Any, Any, Any, Any, Any, Any, Any, Any, Any, Any, Any, Any, Any, Any, Any]


def _picked(obj: dict[str, Any]) -> Picked:
    """The fields read from a finding parsed as a dict (the exact reader's)."""
    metadata = _get(obj, "metadata")
    resources = obj.get("resources")
    first = resources[0] if type(resources) is list and resources and type(resources[0]) is dict else {}
    cloud = _get(obj, "cloud")
    get = obj.get
    return (
        metadata.get("event_code"),
        get("status"),
        get("status_id"),
        get("status_code"),
        first.get("uid"),
        first.get("name"),
        cloud.get("provider"),
        _get(cloud, "account").get("uid"),
        get("severity"),
        get("severity_id"),
        get("status_detail"),
        _get(obj, "finding_info").get("title"),
        get("time_dt"),
        get("time"),
        _get(metadata, "product").get("version"),
    )


def _picked_struct(obj: Any) -> Picked:
    """The same fields from the fast parser's struct (attributes; a missing part is None)."""
    if not hasattr(obj, "__struct_fields__"):
        raise Refused(f"a Prowler finding is an object, not {kind_of(obj)}", "shape", found=kind_of(obj))
    metadata, cloud, info, resources = obj.metadata, obj.cloud, obj.finding_info, obj.resources
    first = resources[0] if resources else None
    account = cloud.account if cloud is not None else None
    product = metadata.product if metadata is not None else None
    return (
        metadata.event_code if metadata is not None else None,
        obj.status,
        obj.status_id,
        obj.status_code,
        first.uid if first is not None else None,
        first.name if first is not None else None,
        cloud.provider if cloud is not None else None,
        account.uid if account is not None else None,
        obj.severity,
        obj.severity_id,
        obj.status_detail,
        info.title if info is not None else None,
        obj.time_dt,
        obj.time,
        product.version if product is not None else None,
    )


def _read_ocsf(source: InputFile, rules: Rules) -> ImportedRun:
    state = _State(source)
    reader = JsonReader(source)
    times = Times()
    targets: dict[tuple[object, object], str | None] = {}
    no_version: list[bool] = [True]

    def convert(obj: Any) -> tuple[Finding, bool, str | None, str | None]:
        fields = _picked(obj) if type(obj) is dict else _picked_struct(obj)
        (check, status_word, status_id, status_code, resource_uid, resource_name, provider, account, level,
         severity_id, status_detail, title, time_dt, time, version) = fields  # fmt: skip
        if type(check) is not str or not check.strip():
            raise Refused(
                "a Prowler OCSF finding needs its check ID in metadata.event_code",
                "missing",
                field="metadata.event_code",
            )
        muted = (type(status_word) is str and status_word.strip().lower() in _MUTED) or status_id == 3
        status, observed = _status(status_code, muted)
        resource = short(resource_uid) or short(resource_name)
        key = (provider, account) if type(account) is str and type(provider) in (str, type(None)) else None
        target = targets.get(key) if key is not None else None
        if target is None:
            target = _target(provider, account)
            if key is not None and len(targets) < 100:
                targets[key] = target
        if type(level) is not str and type(severity_id) is int:
            level = _OCSF_SEVERITY.get(severity_id)
        name, items = rules.lookup(check)
        # what was seen and the check's title are shown for failures and errors only: a passing finding is
        # counted, so its texts are not read (about a fifth of the time per finding)
        shown_title = None
        if status is FindingStatus.FAIL or status is FindingStatus.ERROR:
            observed = observed or short(status_detail)
            shown_title = short(title)
        finding = Finding(
            name,
            status,
            resource or short(account) or "-",
            items,
            severity(level),
            observed,
            shown_title,
            times(time_dt) or times(time),
        )
        found_version = None
        if no_version[0]:
            found_version = version if type(version) is str else None
            no_version[0] = not found_version
        return finding, muted, target, found_version

    first = reader.peek()
    if first == b"{":  # one finding on its own: read it as a list of one
        found = reader.value()
        try:
            converted: Iterator[tuple[Finding, bool, str | None, str | None]] = iter([convert(found)])
        except Refused as exc:
            raise fail(source.display, 1, 1, exc.message, exc.code, **exc.params) from None
    else:
        converted = reader.objects(convert, _ocsf_batch(), "a list of Prowler OCSF findings")
    run, add_target, last_target, last_time = state.run, state.targets.add, None, None
    for finding, muted, target, version in converted:
        if muted:
            run.suppressed += 1
        run.add(finding)
        if finding.observed_at is not last_time:
            state.latest.add(finding.observed_at)
            last_time = finding.observed_at
        if target is not last_target:
            add_target(target)
            last_target = target
        if version and state.version is None:
            state.version = version
    reader.end()
    return state.finish(source)


# --- CSV -------------------------------------------------------------------------------------------------

# the columns read, each under the names Prowler's releases gave it (the first found wins)
_COLUMNS = {
    "check": ("CHECK_ID",),
    "status": ("STATUS",),
    "muted": ("MUTED",),
    "severity": ("SEVERITY",),
    "resource": ("RESOURCE_UID", "RESOURCE_ARN", "RESOURCE_ID", "RESOURCE_NAME"),
    "time": ("TIMESTAMP", "ASSESSMENT_START_TIME"),
    "provider": ("PROVIDER",),
    "account": ("ACCOUNT_UID", "ACCOUNT_ID", "SUBSCRIPTION", "PROJECT_ID"),
    "version": ("PROWLER_VERSION", "PRWOLER_VERSION"),
    "title": ("CHECK_TITLE",),
    "observed": ("STATUS_EXTENDED",),
}


def _lines(text: io.TextIOBase, source: InputFile, counter: list[int]) -> Iterator[str]:
    """The file's lines, none longer than :data:`MAX_CSV_LINE` characters (a longer one is refused)."""
    while True:
        try:
            line = text.readline(MAX_CSV_LINE + 1)
        except UnicodeDecodeError as exc:
            byte = f"{exc.object[exc.start]:02x}" if exc.start < len(exc.object) else "??"
            raise fail(
                source.display,
                counter[0] + 1,
                1,
                f"not UTF-8 text (byte 0x{byte}): save the scanner's output as UTF-8",
                "not_utf8",
                byte=byte,
            ) from None
        if not line:
            return
        counter[0] += 1
        if len(line) > MAX_CSV_LINE:
            limit = f"{MAX_CSV_LINE:,}"
            raise fail(
                source.display,
                counter[0],
                1,
                f"a line longer than {limit} characters (the limit for one CSV line)",
                "line_too_long",
                limit=limit,
            )
        yield line


class _Raw(io.RawIOBase):
    """The input file as a raw stream for io.TextIOWrapper (reads go through InputFile: hashed)."""

    def __init__(self, source: InputFile) -> None:
        self.source = source

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        data = self.source.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)


def _read_csv(source: InputFile, rules: Rules) -> ImportedRun:
    state = _State(source)
    text = io.TextIOWrapper(io.BufferedReader(_Raw(source), 1 << 16), encoding="utf-8-sig", newline="")
    counter = [0]
    rows = csv.reader(_lines(text, source, counter), delimiter=";", strict=True)
    try:
        header = next(rows, None)
        if header is None:
            raise fail(source.display, 1, 1, "the file is empty", "empty")
        where = {name.strip().upper(): n for n, name in enumerate(header)}
        if "\x00" in "".join(header):
            raise fail(
                source.display, 1, 1, "a NUL character in the header (is this a binary file?)", "binary", byte="00"
            )
        column = {key: next((where[n] for n in names if n in where), None) for key, names in _COLUMNS.items()}
        for key in ("check", "status"):
            if column[key] is None:
                wanted = _COLUMNS[key][0]
                raise fail(
                    source.display,
                    1,
                    1,
                    f"not a Prowler CSV file: the header (split at ';') has no {wanted} column",
                    "csv_header",
                    column=wanted,
                )

        def cell(row: list[str], key: str) -> str | None:
            n = column[key]
            return row[n] if n is not None and n < len(row) else None

        for row in rows:
            if not row or row == [""]:
                continue
            check = (cell(row, "check") or "").strip()
            if not check:
                raise fail(source.display, counter[0], 1, "a row without a CHECK_ID", "missing", field="CHECK_ID")
            muted = (cell(row, "muted") or "").strip().lower() == "true"
            status, observed = _status(cell(row, "status"), muted)
            account = cell(row, "account")
            name, items = rules.lookup(check)
            finding = Finding(
                check=name,
                status=status,
                resource=short(cell(row, "resource")) or short(account) or "-",
                items=items,
                severity=severity(cell(row, "severity")),
                observed=observed or short(cell(row, "observed")),
                title=short(cell(row, "title")),
                observed_at=parse_time(cell(row, "time")),
            )
            state.add(finding, muted)
            state.targets.add(_target(cell(row, "provider"), account))
            version = short(cell(row, "version"), 100)
            if state.version is None and version:
                state.version = version
    except csv.Error as exc:
        detail = str(exc)
        if "NUL" in detail:
            raise fail(
                source.display, counter[0], 1, "a NUL character (is this a binary file?)", "binary", byte="00"
            ) from None
        raise fail(source.display, counter[0], 1, f"invalid CSV: {detail}", "csv", detail=detail) from None
    source.drain()
    return state.finish(source)
