"""A scan as a SARIF 2.1.0 log whose rules are antai items: what `antai check … --format sarif` and
`antai import … --format sarif` print, for code-scanning UIs such as GitHub's.

Conventions (docs/ci.md explains them to users):

- **Rules are items.** ``tool.driver`` is antai; each rule is an item the findings bear on, described from
  the catalog (title, objective, risk, countermeasures and the evidence that shows it is done) in the
  run's language. A finding that bears on two items gives two results, one per item.
- **Only what needs attention is a result.** GitHub turns every result into an alert whatever its
  ``kind``, so passing and not-applicable findings are counted in the run's properties, not listed.
  A failing finding is a result of kind ``fail`` whose level follows its severity. A finding that could
  not be evaluated (an ``error``: a denied call, a broken rule) is a result of kind ``open`` — SARIF's
  "the tool could not tell" — with level ``none`` (SARIF allows no other level for a kind other than
  ``fail``). It keeps the same fingerprint a failure of that check on that resource has, so an alert
  opened by a failure stays open while the check cannot look: an error is never a pass.
- **Every result has a physical location.** GitHub rejects a result without one. A finding about a file
  (IaC, a lockfile) points at that file and line; a finding about a cloud resource points at the
  workspace's ``antai.yaml``, line 1, and names the resource (an ARN…) in ``logicalLocations`` and in
  the message.
- **Fingerprints** are a hash of the source tool, its check, the resource, the file and the item, stored
  as ``primaryLocationLineHash`` (the one GitHub reads), so an alert follows its resource across runs
  and across edits of the file, and two resources never share an alert.
- **Unmapped rules are not dropped**: they are counted per rule in the run's properties.
- GitHub's limits are kept: at most :data:`MAX_RESULTS` results (the most severe first) and at most
  :data:`MAX_TAGS` tags per rule; what had to be left out is counted and announced in a notification.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from antai import __version__
from antai.assessment.findings import SEVERITY_RANK, Finding, ScanRun
from antai.assessment.model import FindingStatus, Severity
from antai.catalog.model import Catalog
from antai.catalog.schema import Item
from antai.labels import label

__all__ = ["MAX_RESULTS", "SARIF_SCHEMA", "SARIF_VERSION", "WORKSPACE_ANCHOR", "fingerprint", "sarif_log"]

SARIF_VERSION = "2.1.0"
SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
WORKSPACE_ANCHOR = "antai.yaml"  # the workspace's main file (antai.workspace.store.META), at its root
FINGERPRINT_KEY = "primaryLocationLineHash"  # the only partial fingerprint GitHub code scanning reads
FINGERPRINT_VERSION = "antai/v1"  # the same hash under antai's own, versioned key, for other consumers
MAX_RESULTS = 25_000  # GitHub rejects a run with more results than this
MAX_RULES = 25_000  # and with more rules
MAX_TAGS = 10  # GitHub accepts 20 tags per rule but shows only 10
MAX_NAME = 255  # GitHub's limit on a rule's name
MAX_DESCRIPTION = 1024  # and on its short and full descriptions
MAX_FIELD = 500  # a resource, check or observed value quoted in a message
MAX_RESOURCE = 2000  # a resource named in full (logical location, properties)
MAX_NOTIFICATIONS = 100

# GitHub reads security-severity as a CVSS-like score: above 9.0 critical, 7.0–8.9 high, 4.0–6.9 medium,
# 0.1–3.9 low; info has none
_SECURITY_SEVERITY = {
    Severity.CRITICAL: "9.5",
    Severity.HIGH: "8.0",
    Severity.MEDIUM: "5.5",
    Severity.LOW: "3.0",
}
_LEVEL = {
    Severity.CRITICAL: "error",
    Severity.HIGH: "error",
    Severity.MEDIUM: "warning",
    Severity.LOW: "note",
    Severity.INFO: "note",
}
_SEVERITY_OF_ITEM = {
    "critical": Severity.CRITICAL,
    "high": Severity.HIGH,
    "medium": Severity.MEDIUM,
    "low": Severity.LOW,
}

# the report's fixed phrases, (ja, en); Japanese is the reference
_TEXT: dict[str, tuple[str, str]] = {
    "fail": (
        "{resource}：{tool} のチェック {check} が不適合（重大度：{severity}）。",
        "{resource}: {tool} check {check} failed (severity {severity}).",
    ),
    "error": (
        "{resource}：{tool} のチェック {check} は確認不能（重大度：{severity}）。確認できるまで適合とはみなしません。",
        "{resource}: {tool} check {check} could not be evaluated (severity {severity}); "
        "it does not count as passed until it can be.",
    ),
    "observed": ("観測値：{observed}。", "Observed: {observed}."),
    "title": ("", "{title}."),
    "at": ("（{location}）", " ({location})"),
    "objective": ("基準項目", "Objective"),
    "risk": ("想定リスク", "Risk"),
    "countermeasures": ("対策（何をするか）", "What to do"),
    "evidence": ("完了の確認（何が証跡になるか）", "How to tell it is done"),
    "automatable": ("{text}（自動で確認可能）", "{text} (can be checked automatically)"),
    "fisc": ("FISC 安全対策基準", "FISC Security Guidelines"),
    "more": ("項目の全文：`antai item {id} --lang ja`", "The full item: `antai item {id} --lang en`"),
    "converted": (
        "この項目の結果は {source} の出力を antai が項目に対応付けたものです。",
        "antai mapped {source}'s output to this item.",
    ),
    "unknown_item": (
        "{id}（このカタログにない項目）",
        "{id} (an item not in this catalog)",
    ),
    "unknown_item_help": (
        "項目 {id} は、この SARIF を作成したカタログにありません。カタログの版を確認してください。",
        "Item {id} is not in the catalog that produced this log; check the catalog version.",
    ),
    "resource": ("対象リソース：{resource}", "Resource: {resource}"),
    "errors_note": (
        "{tool} のチェック {check} は {count} 件のリソースで確認できませんでした（例：{resource}）。",
        "{tool} check {check} could not be evaluated on {count} resource(s) (for example {resource}).",
    ),
    "omitted_note": (
        "{count} 件の結果はこのログに含まれていません（件数の上限）。"
        "該当するアラートが解消済みと表示される場合があります。",
        "{count} result(s) are not in this log (a size limit); code scanning may show their alerts as fixed.",
    ),
}


def _say(key: str, lang: str, **values: object) -> str:
    ja, en = _TEXT[key]
    return (ja if lang == "ja" else en).format(**values)


@dataclass(frozen=True)
class _Entry:
    """One result: a failing or erroring finding, about one item."""

    finding: Finding
    item: str
    digest: str

    @property
    def order(self) -> tuple[int, int, str, str, str, str, int]:
        f = self.finding
        return (
            -SEVERITY_RANK[f.severity],
            0 if f.status is FindingStatus.FAIL else 1,
            self.item,
            f.check,
            f.resource,
            f.location or "",
            f.line or 0,
        )


def fingerprint(tool: str, finding: Finding, item: str) -> str:
    """A finding's identity across runs: the source tool, its check, the resource, the file and the item
    (not the line, so an alert survives an edit above it, nor the status, so an error keeps a failure's
    alert open)."""
    key = "\x00".join(("antai-sarif/1", tool, finding.check, finding.resource, finding.location or "", item))
    return hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()[:32]


def sarif_log(run: ScanRun, catalog: Catalog, lang: str, *, anchor: str = WORKSPACE_ANCHOR) -> dict[str, Any]:
    """The run as a SARIF 2.1.0 log with one run, in ``lang`` (ja or en).

    ``anchor`` is where results about cloud resources point: the workspace's ``antai.yaml``, as a path
    relative to the repository root (``compliance/antai.yaml`` when the workspace is a subfolder)."""
    lang = "ja" if lang == "ja" else "en"
    tool = run.tool.name
    listed: Iterable[Finding] = run.tally.kept if run.findings is None else run.findings
    entries = _entries(tool, listed)
    omitted = max(0, len(entries) - MAX_RESULTS)
    entries = entries[:MAX_RESULTS]
    not_kept = run.tally.dropped if run.findings is None else 0

    item_ids = sorted(set(run.tally.items) | {e.item for e in entries})[:MAX_RULES]
    worst: dict[str, Severity] = {}
    for entry in entries:
        seen = worst.get(entry.item)
        if seen is None or SEVERITY_RANK[entry.finding.severity] > SEVERITY_RANK[seen]:
            worst[entry.item] = entry.finding.severity
    rules = [_rule(catalog, item_id, worst.get(item_id), lang, tool) for item_id in item_ids]
    index = {item_id: n for n, item_id in enumerate(item_ids)}
    anchor = _artifact(anchor)
    results = [_result(entry, index, run, lang, anchor) for entry in entries if entry.item in index]

    notifications = _notifications(entries, omitted + not_kept, tool, lang)
    totals = run.tally.totals
    invocation: dict[str, Any] = {
        "executionSuccessful": totals[FindingStatus.ERROR] == 0,
        "endTimeUtc": _utc(run.observed_at),
    }
    if notifications:
        invocation["toolExecutionNotifications"] = notifications
    sarif_run: dict[str, Any] = {
        "tool": {
            "driver": {
                "name": "antai",
                "version": __version__,
                "semanticVersion": __version__,
                "rules": rules,
                "properties": {"catalogVersion": catalog.version},
            }
        },
        "automationDetails": {"id": automation_id(run)},
        "invocations": [invocation],
        "language": lang,
        "results": results,
        "properties": _run_properties(run, omitted, not_kept),
    }
    return {"$schema": SARIF_SCHEMA, "version": SARIF_VERSION, "runs": [sarif_run]}


def automation_id(run: ScanRun) -> str:
    """``category/run-id`` for code scanning: the category keeps antai's own checks of each target apart
    from each other and from each importer's; the run ID is the scan's time. An import's category leaves
    out the file name, which often carries a timestamp and would open a new category on every run."""
    stamp = run.observed_at.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    if run.tool.name == "antai":
        category = f"antai/check/{_slug(run.target)}"
    else:
        category = f"antai/import-{_slug(run.tool.name)}"
    return f"{category}/{stamp}"


def _entries(tool: str, findings: Iterable[Finding]) -> list[_Entry]:
    """One entry per failing or erroring finding × item, the worst per fingerprint, most severe first."""
    chosen: dict[str, _Entry] = {}
    for finding in findings:
        if finding.status not in (FindingStatus.FAIL, FindingStatus.ERROR):
            continue
        for item in dict.fromkeys(finding.items):
            digest = fingerprint(tool, finding, item)
            entry = _Entry(finding, item, digest)
            known = chosen.get(digest)
            if known is None or entry.order < known.order:
                chosen[digest] = entry
    return sorted(chosen.values(), key=lambda e: (e.order, e.digest))


def _rule(catalog: Catalog, item_id: str, worst: Severity | None, lang: str, tool: str) -> dict[str, Any]:
    item = catalog.item(item_id)
    if item is None:
        title = _say("unknown_item", lang, id=item_id)
        help_text = _say("unknown_item_help", lang, id=item_id)
        rule: dict[str, Any] = {
            "id": item_id,
            "name": _identifier(item_id),
            "shortDescription": {"text": _clip(title, MAX_DESCRIPTION)},
            "fullDescription": {"text": _clip(help_text, MAX_DESCRIPTION)},
            "help": {"text": help_text, "markdown": help_text},
        }
        severity = worst
        tags = ["security", "antai"]
    else:
        text, markdown = _help(item, lang, tool)
        rule = {
            "id": item.id,
            "name": _identifier(item.title("en")),
            "shortDescription": {"text": _clip(item.title(lang), MAX_DESCRIPTION)},
            "fullDescription": {"text": _clip(item.objective(lang), MAX_DESCRIPTION)},
            "help": {"text": text, "markdown": markdown},
        }
        severity = worst or _SEVERITY_OF_ITEM[item.severity.value]
        chapter = catalog.chapter(item.chapter)
        tags = ["security", "antai", item.level.value, f"csf-{item.csf.value.lower()}", item.section]
        if chapter is not None:
            tags.insert(2, chapter.slug)
        if item.fisc:
            tags.append("fisc")
    rule["defaultConfiguration"] = {"level": _LEVEL[severity] if severity else "warning"}
    properties: dict[str, Any] = {"tags": list(dict.fromkeys(tags))[:MAX_TAGS]}
    if severity is not None and severity in _SECURITY_SEVERITY:
        properties["security-severity"] = _SECURITY_SEVERITY[severity]
    if item is not None:
        properties["itemSeverity"] = item.severity.value
    rule["properties"] = properties
    return rule


def _help(item: Item, lang: str, tool: str) -> tuple[str, str]:
    """The rule's help from the item, as plain text and as Markdown."""
    measures = [c(lang) for c in item.countermeasures]
    evidence = [_say("automatable", lang, text=e.text(lang)) if e.automatable else e.text(lang) for e in item.evidence]
    fisc = ", ".join(item.fisc)
    more = _say("more", lang, id=item.id)
    if tool != "antai":
        more += (" " if lang == "en" else "。") + _say("converted", lang, source=tool)

    text = [f"{item.id} {item.title(lang)}", "", f"{_say('objective', lang)}: {item.objective(lang)}", ""]
    text += [f"{_say('risk', lang)}: {item.risk(lang)}", "", f"{_say('countermeasures', lang)}:"]
    text += [f"- {m}" for m in measures] + ["", f"{_say('evidence', lang)}:"]
    text += [f"- {e}" for e in evidence]
    if fisc:
        text += ["", f"{_say('fisc', lang)}: {fisc}"]
    text += ["", more.replace("`", "")]

    markdown = [f"## {item.id} {item.title(lang)}", "", f"**{_say('objective', lang)}**", "", item.objective(lang)]
    markdown += ["", f"**{_say('risk', lang)}**", "", item.risk(lang), "", f"**{_say('countermeasures', lang)}**", ""]
    markdown += [f"- {m}" for m in measures] + ["", f"**{_say('evidence', lang)}**", ""]
    markdown += [f"- {e}" for e in evidence]
    if fisc:
        markdown += ["", f"**{_say('fisc', lang)}**: {fisc}"]
    markdown += ["", more]
    return "\n".join(text) + "\n", "\n".join(markdown) + "\n"


def _result(entry: _Entry, index: dict[str, int], run: ScanRun, lang: str, anchor: str) -> dict[str, Any]:
    finding = entry.finding
    failing = finding.status is FindingStatus.FAIL
    tool = run.tool.name
    where = _artifact(finding.location) if finding.location else None
    message = _say(
        "fail" if failing else "error",
        lang,
        resource=_clip(finding.resource, MAX_FIELD),
        tool=tool,
        check=_clip(finding.check, MAX_FIELD),
        severity=label(f"severity.{finding.severity.value}", lang),
    )
    if finding.observed:
        message += (" " if lang == "en" else "") + _say("observed", lang, observed=_clip(finding.observed, MAX_FIELD))
    if finding.title and lang == "en":
        message += " " + _say("title", lang, title=_clip(finding.title.rstrip("."), MAX_FIELD))

    region = {"startLine": finding.line if finding.line and finding.line > 0 else 1}
    location: dict[str, Any] = {
        "physicalLocation": {"artifactLocation": {"uri": where or anchor}, "region": region},
        "logicalLocations": [
            {
                "name": _clip(finding.resource, MAX_FIELD),
                "fullyQualifiedName": _clip(finding.resource, MAX_RESOURCE),
                "kind": "resource",
            }
        ],
    }
    if where is None:
        location["message"] = {"text": _say("resource", lang, resource=_clip(finding.resource, MAX_FIELD))}

    properties: dict[str, Any] = {
        "tool": tool,
        "check": finding.check,
        "status": finding.status.value,
        "severity": finding.severity.value,
        "resource": finding.resource,
        "items": list(dict.fromkeys(finding.items)),
        "observedAt": _utc(finding.observed_at or run.observed_at),
    }
    if run.tool.version:
        properties["toolVersion"] = run.tool.version
    for key in ("observed", "title"):
        value = getattr(finding, key)
        if value is not None:
            properties[key] = value
    result: dict[str, Any] = {
        "ruleId": entry.item,
        "ruleIndex": index[entry.item],
        "kind": "fail" if failing else "open",
        "level": _LEVEL[finding.severity] if failing else "none",
        "message": {"text": message},
        "locations": [location],
        "partialFingerprints": {FINGERPRINT_KEY: entry.digest, FINGERPRINT_VERSION: entry.digest},
        "properties": properties,
    }
    return result


def _notifications(entries: Sequence[_Entry], omitted: int, tool: str, lang: str) -> list[dict[str, Any]]:
    """One warning per check that could not look, and one when results had to be left out."""
    errors: dict[str, list[Finding]] = {}
    for entry in entries:
        if entry.finding.status is FindingStatus.ERROR:
            errors.setdefault(entry.finding.check, []).append(entry.finding)
    notes = []
    for check in sorted(errors)[:MAX_NOTIFICATIONS]:
        findings = errors[check]
        resources = sorted({f.resource for f in findings})
        notes.append(
            {
                "level": "warning",
                "message": {
                    "text": _say(
                        "errors_note",
                        lang,
                        tool=tool,
                        check=_clip(check, MAX_FIELD),
                        count=len(resources),
                        resource=_clip(resources[0], MAX_FIELD),
                    )
                },
                "properties": {"check": check, "resources": len(resources)},
            }
        )
    if omitted:
        notes.append(
            {
                "level": "warning",
                "message": {"text": _say("omitted_note", lang, count=omitted)},
                "properties": {"omitted": omitted},
            }
        )
    return notes


def _run_properties(run: ScanRun, omitted: int, not_kept: int) -> dict[str, Any]:
    tally = run.tally
    properties: dict[str, Any] = {
        "source": {"tool": run.tool.name, "version": run.tool.version},
        "target": run.target,
        "observedAt": _utc(run.observed_at),
        "totals": {status.value: tally.totals[status] for status in FindingStatus},
        "worstFailing": tally.worst_failing.value if tally.worst_failing else None,
        "unmapped": dict(sorted(tally.unmapped.items())),
        "unmappedFindings": sum(tally.unmapped.values()),
        "resultsOmitted": omitted + not_kept,
    }
    if run.input_sha256:
        properties["inputSha256"] = run.input_sha256
    return properties


def _artifact(location: str) -> str:
    """A finding's file as a URI reference: a relative path stays relative to the repository root (``./``
    dropped, backslashes turned), an absolute path becomes a ``file:`` URI that code scanning makes
    relative to the checkout, a URI is kept."""
    path = location.strip().replace("\\", "/")
    if re.match(r"^[A-Za-z][A-Za-z0-9+.-]*://", path):
        return path
    if re.match(r"^[A-Za-z]:/", path):  # C:/… on Windows
        return "file:///" + quote(path, safe="/:")
    if path.startswith("/"):
        return "file://" + quote(re.sub(r"/{2,}", "/", path), safe="/")
    while path.startswith("./"):
        path = path[2:]
    return quote(path, safe="/") or WORKSPACE_ANCHOR


def _identifier(title: str) -> str:
    """A rule name: the English title in PascalCase, one identifier in any language."""
    words = re.findall(r"[A-Za-z0-9]+", title)
    name = "".join(w[:1].upper() + w[1:] for w in words) or "Item"
    return name[:MAX_NAME]


def _slug(text: str) -> str:
    slug = re.sub(r"[^A-Za-z0-9._-]+", "-", text).strip("-.").lower()
    return slug[:100] or "run"


def _clip(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _utc(when: dt.datetime) -> str:
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)
    return when.astimezone(dt.UTC).replace(microsecond=0).strftime("%Y-%m-%dT%H:%M:%SZ")
