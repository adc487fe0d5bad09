"""Many partners' submissions side by side, for a bank that supervises dozens of FinTechs (schema
``antai.portfolio/1``).

The bank keeps a trust file (``antai.trust/1``): each partner's organisation name and the public key it
received out of band (a fingerprint or a key file). Given folders of bundles, :func:`build` finds the
bundles (a bounded walk that never follows links), groups them by organisation, verifies each partner's
latest submission with that partner's key — against the submission before it when that one is in the
input too, so that a rewritten history shows — and reads the numbers of its JSON report. A bundle that
does not verify, or whose organisation the bank does not trust, carries its verdict and no numbers.

Pure data: codes, never words (the CLI words them in ja/en).
"""

from __future__ import annotations

import datetime as dt
import os
import re
import stat
import unicodedata
from collections import deque
from collections.abc import Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from antai.catalog.yamlsource import Limits, Problem, SourceError, YamlDocument, brief, load_yaml, validate_model
from antai.errors import AntaiError
from antai.submission import keys
from antai.submission.bundle import Problem as BundleProblem
from antai.submission.bundle import TrustedKey, Verdict, read_bounded, verify_bundle
from antai.submission.manifest import MANIFEST, Manifest

PORTFOLIO_SCHEMA = "antai.portfolio/1"
TRUST_SCHEMA = "antai.trust/1"

# a bank's trust file lists tens to a few hundred partners
TRUST_LIMITS = Limits(max_bytes=1024 * 1024, max_depth=8, max_scalar_chars=2000, max_nodes=50_000)
MAX_PARTNERS = 5000
MAX_DEPTH = 2  # DIR itself, its folders, and theirs: a bank's folder of partners' folders of bundles
MAX_ENTRIES = 20_000  # directory entries looked at per DIR; the rest is skipped, and said so
MAX_BUNDLES = 2000
WORKERS = 8

# the priority of a "critical" gap: P1, what the plan puts in the gate phase (before connecting to a bank)
CRITICAL_PRIORITY = 1

Status = Literal["verified", "not_verified", "untrusted", "unreadable", "report_unreadable"]
SkipReason = Literal["link", "too_many_entries", "too_many_bundles", "unreadable"]


# problem codes of the portfolio's own, next to verification's (bundle.PROBLEM_CODES)
REPORT_UNREADABLE = "report_unreadable"  # verified, but its JSON report cannot be read as antai.report/1
MALFORMED_MANIFEST = "malformed_manifest"  # not a readable manifest: nothing says whose it is


# --- the trust file --------------------------------------------------------------------------------------

_PRINTABLE = r"^[^\x00-\x1f\x7f\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]*$"
OrgName = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200, pattern=_PRINTABLE)]
Spec = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=1000, pattern=_PRINTABLE)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class TrustEntryIn(_Strict):
    """One partner as the bank wrote it: the organisation name its manifests carry, and its key."""

    organisation: OrgName
    fingerprint: Spec | None = Field(default=None, description="SHA256:… as `antai key show` prints it")
    key: Spec | None = Field(default=None, description="A public key file (PEM or raw base64), relative to this file")


class TrustFileIn(_Strict):
    format: Literal["antai.trust/1"]
    partners: list[TrustEntryIn] = Field(min_length=1, max_length=MAX_PARTNERS)


@dataclass(frozen=True)
class Partner:
    organisation: str
    key: TrustedKey
    source: Literal["fingerprint", "key"]


@dataclass(frozen=True)
class Trust:
    path: Path
    partners: tuple[Partner, ...]
    _names: dict[str, Partner] = field(init=False, repr=False, compare=False)
    _keys: dict[str, Partner] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_names", {match_key(p.organisation): p for p in self.partners})
        object.__setattr__(self, "_keys", {p.key.fingerprint: p for p in self.partners})

    def find(self, organisation: str) -> Partner | None:
        return self._names.get(match_key(organisation))

    def by_fingerprint(self, fingerprint: str) -> Partner | None:
        return self._keys.get(fingerprint)


def match_key(organisation: str) -> str:
    """How organisation names are compared: NFKC (full- and half-width forms alike), case and runs of
    spaces ignored — so that 株式会社ミルカ（デモ） in a manifest matches 株式会社ミルカ(デモ) in the trust file."""
    return re.sub(r"\s+", " ", unicodedata.normalize("NFKC", organisation)).strip().casefold()


def _problem(doc: YamlDocument, loc: Sequence[str | int], message: str, code: str, **params: str) -> Problem:
    line, column = doc.position(loc)
    return Problem(doc.display, line, column, message, code, tuple(sorted(params.items())))


def _entry_key(
    doc: YamlDocument, n: int, entry: TrustEntryIn, base: Path, problems: list[Problem]
) -> tuple[TrustedKey, Literal["fingerprint", "key"]] | None:
    if (entry.fingerprint is None) == (entry.key is None):
        problems.append(
            _problem(
                doc,
                ["partners", n],
                f"partner '{brief(entry.organisation)}': give exactly one of fingerprint and key",
                "trust.one_key",
                organisation=brief(entry.organisation),
            )
        )
        return None
    if entry.fingerprint is not None:
        found = keys.parse_fingerprint(entry.fingerprint)
        if found is None:
            problems.append(
                _problem(
                    doc,
                    ["partners", n, "fingerprint"],
                    f"'{brief(entry.fingerprint)}' is not a key fingerprint (64 hex digits as `antai key show` prints)",
                    "trust.bad_fingerprint",
                    value=brief(entry.fingerprint),
                )
            )
            return None
        return TrustedKey(found), "fingerprint"
    assert entry.key is not None
    path = Path(entry.key)
    path = path if path.is_absolute() else base / path
    data = read_bounded(path, keys.MAX_KEY_BYTES)
    if data is None:
        problems.append(
            _problem(
                doc,
                ["partners", n, "key"],
                f"{brief(entry.key)}: missing, a link or not a plain file of at most {keys.MAX_KEY_BYTES:,} bytes",
                "trust.key_unreadable",
                path=brief(entry.key),
            )
        )
        return None
    try:
        return TrustedKey.of(keys.load_public(data)), "key"
    except AntaiError:
        problems.append(
            _problem(
                doc,
                ["partners", n, "key"],
                f"{brief(entry.key)}: not an Ed25519 public key (PEM or the base64 of its 32 bytes)",
                "trust.bad_key",
                path=brief(entry.key),
            )
        )
        return None


def load_trust(path: Path, display: str | None = None) -> Trust:
    """The bank's trust file, checked; :class:`SourceError` lists every problem with its position: YAML
    beyond the limits or with anchors, unknown fields, a bad fingerprint, an unreadable key file, an
    organisation listed twice, one key trusted for two organisations (a bundle it signed could speak for
    either)."""
    doc = load_yaml(path, display, limits=TRUST_LIMITS)
    model = validate_model(doc, TrustFileIn)
    problems: list[Problem] = []
    partners: list[Partner] = []
    names: dict[str, int] = {}
    fingerprints: dict[str, int] = {}
    for n, entry in enumerate(model.partners):
        line, _ = doc.position(["partners", n])
        name = match_key(entry.organisation)
        if name in names:
            problems.append(
                _problem(
                    doc,
                    ["partners", n, "organisation"],
                    f"'{brief(entry.organisation)}' is listed twice (first on line {names[name]})",
                    "trust.duplicate_organisation",
                    organisation=brief(entry.organisation),
                    first=str(names[name]),
                )
            )
            continue
        names[name] = line
        found = _entry_key(doc, n, entry, path.parent, problems)
        if found is None:
            continue
        trusted, source = found
        if trusted.fingerprint in fingerprints:
            problems.append(
                _problem(
                    doc,
                    ["partners", n, source],
                    f"the same key is trusted for another organisation (line {fingerprints[trusted.fingerprint]}): "
                    "a bundle it signed could speak for either",
                    "trust.duplicate_key",
                    first=str(fingerprints[trusted.fingerprint]),
                )
            )
            continue
        fingerprints[trusted.fingerprint] = doc.position(["partners", n, source])[0]
        partners.append(Partner(entry.organisation, trusted, source))
    if problems:
        raise SourceError(problems)
    return Trust(path, tuple(partners))


# --- finding bundles -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Skipped:
    path: str
    reason: SkipReason


@dataclass
class Found:
    bundles: list[Path] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)


def _is_bundle(folder: Path) -> bool:
    try:
        return stat.S_ISREG((folder / MANIFEST).lstat().st_mode)
    except OSError:
        return False


def find_bundles(
    folders: Iterable[Path],
    *,
    max_depth: int = MAX_DEPTH,
    max_entries: int = MAX_ENTRIES,
    max_bundles: int = MAX_BUNDLES,
) -> Found:
    """The bundle folders (those holding a manifest.json) in each of ``folders``: the folder itself, or
    folders inside it down to ``max_depth`` levels. A bundle is not looked into; links are never followed
    (a link where a folder could be is listed as skipped); hidden folders (``.git``, a submission being
    written) are passed over; at most ``max_entries`` directory entries are looked at per folder given
    and ``max_bundles`` bundles in all, so that a huge or looping tree costs bounded time."""
    found = Found()
    seen: set[tuple[int, int]] = set()

    def add(folder: Path) -> bool:
        try:
            info = folder.stat()
        except OSError:
            found.skipped.append(Skipped(str(folder), "unreadable"))
            return True
        ident = (info.st_dev, info.st_ino)
        if ident in seen:  # the same bundle given twice (a folder and its parent)
            return True
        if len(found.bundles) >= max_bundles:
            found.skipped.append(Skipped(str(folder), "too_many_bundles"))
            return False
        seen.add(ident)
        found.bundles.append(folder)
        return True

    for top in folders:
        if _is_bundle(top):
            if not add(top):
                return found
            continue
        budget = max_entries
        queue: deque[tuple[Path, int]] = deque([(top, 0)])
        while queue:
            folder, depth = queue.popleft()
            try:
                with os.scandir(folder) as listing:
                    children = []
                    for entry in listing:
                        budget -= 1
                        if budget < 0:
                            found.skipped.append(Skipped(str(folder), "too_many_entries"))
                            queue.clear()
                            break
                        if entry.name.startswith("."):
                            continue
                        if entry.is_symlink():
                            found.skipped.append(Skipped(entry.path, "link"))
                            continue
                        if entry.is_dir(follow_symlinks=False):
                            children.append(Path(entry.path))
            except OSError:
                found.skipped.append(Skipped(str(folder), "unreadable"))
                continue
            for child in sorted(children):
                if _is_bundle(child):
                    if not add(child):
                        return found
                elif depth + 1 < max_depth:
                    queue.append((child, depth + 1))
    return found


# --- the result ------------------------------------------------------------------------------------------


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ProblemOut(_Model):
    """A problem of verification (``antai.submission.bundle.PROBLEM_CODES``) or of reading the report
    (``report_unreadable``), with the path and values it concerns."""

    code: str
    path: str
    params: dict[str, str | int | None]


class NumbersOut(_Model):
    """What the bank compares across partners, from the JSON report of a verified bundle."""

    assessment_date: dt.date
    tier: Literal["low", "medium", "high"] = Field(description="The risk tier of the service profile")
    mandatory_coverage: float | None = Field(description="Percent of mandatory items done; null when none")
    mandatory_done: int
    mandatory_total: int
    overall: float | None = Field(description="Overall risk-weighted score, 0–100; null when unknown")
    critical_gaps: list[str] = Field(description="Item IDs of the open gaps of priority 1 (the gate phase)")
    overdue: list[str] = Field(description="Planned items past their due date")
    expired_evidence: list[str] = Field(description="Evidence IDs past their expiry date")
    expired_acceptances: list[str] = Field(description="Items whose risk acceptance expired or is missing")
    missing_facts: list[str] = Field(description="Organisation facts not given, by dotted path")


class RowOut(_Model):
    """One partner: its latest submission in the input."""

    organisation: str = Field(description="As its manifest names it; the folder for an unreadable bundle")
    status: Status
    bundle: str = Field(description="The bundle folder")
    submission_id: str | None
    sequence: int | None
    submitted: dt.date | None = Field(description="The day it was made (local time), from its manifest")
    days_since: int | None = Field(description="Days from the submission to today; null unless verified")
    signer: str | None = Field(description="Fingerprint of the key its manifest names")
    draft: bool = Field(description="An unsigned draft (`antai submit --unsigned`): no sign-off")
    trusted_key: str | None = Field(description="Fingerprint of the key the trust file gives for the organisation")
    key_of: str | None = Field(description="Untrusted: the trusted partner whose key signed it, if any")
    submissions: int = Field(description="This organisation's bundles in the input")
    checked_against: str | None = Field(description="ID of the earlier submission it was verified against")
    problems: list[ProblemOut] = Field(description="Everything wrong, the first is shown; empty when verified")
    numbers: NumbersOut | None = Field(description="Only for a verified bundle with a readable report")
    previous_id: str | None = Field(description="The earlier submission the score change is counted from")
    previous_verified: bool | None = Field(description="Whether that earlier submission verified")
    score_change: float | None = Field(description="Overall score minus the earlier submission's; null if unknown")


class SkippedOut(_Model):
    path: str
    reason: SkipReason


class PortfolioOut(_Model):
    portfolio_schema: Literal["antai.portfolio/1"] = Field(default="antai.portfolio/1", alias="schema")
    today: dt.date
    trust_file: str
    partners: int = Field(description="Partners in the trust file")
    rows: list[RowOut] = Field(description="Not verified first, then most open critical gaps, then by name")
    missing: list[str] = Field(description="Trusted partners with no bundle in the input")
    skipped: list[SkippedOut] = Field(description="What the walk did not look into")
    verified: int
    not_verified: int

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    @property
    def ok(self) -> bool:
        return self.not_verified == 0

    def data(self) -> dict[str, object]:
        return self.model_dump(mode="json", by_alias=True)


# --- building it -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Bundle:
    path: Path
    manifest: Manifest | None
    why: str


def _read(path: Path) -> _Bundle:
    from antai.submission.bundle import load_manifest

    manifest, _, why = load_manifest(path)
    return _Bundle(path, manifest, why)


def _problems(items: Iterable[BundleProblem]) -> list[ProblemOut]:
    out = []
    for p in items:
        params = {str(k): v if isinstance(v, int | str) or v is None else str(v) for k, v in p.params.items()}
        out.append(ProblemOut(code=p.code, path=p.path, params=params))
    return out


def _numbers(path: Path, manifest: Manifest) -> tuple[NumbersOut | None, ProblemOut | None]:
    from antai.submission.diff import BundleRefused, load_submitted

    try:
        report = load_submitted(path).report
    except BundleRefused as exc:
        reason = str(exc.params.get("reason", "report"))
        return None, ProblemOut(code=REPORT_UNREADABLE, path=str(path), params={"reason": reason})
    if report.organisation != manifest.organisation:
        return None, ProblemOut(code=REPORT_UNREADABLE, path=str(path), params={"reason": "organisation_mismatch"})
    scores = report.scores
    return (
        NumbersOut(
            assessment_date=report.assessment_date,
            tier=report.risk.tier,
            mandatory_coverage=scores.mandatory_coverage.percent,
            mandatory_done=scores.mandatory_coverage.done,
            mandatory_total=scores.mandatory_coverage.total,
            overall=scores.overall.score,
            critical_gaps=[g.id for g in scores.gaps if g.priority == CRITICAL_PRIORITY],
            overdue=list(scores.flags.overdue),
            expired_evidence=list(scores.flags.expired_evidence),
            expired_acceptances=list(scores.flags.expired_acceptances),
            missing_facts=list(report.missing_facts),
        ),
        None,
    )


def _earlier(latest: _Bundle, others: list[_Bundle]) -> _Bundle | None:
    """The submission before ``latest`` among ``others``: the one it names, else the one of the highest
    sequence below its own."""
    assert latest.manifest is not None
    before = [b for b in others if b.manifest is not None and b.manifest.sequence < latest.manifest.sequence]
    if not before:
        return None
    named = latest.manifest.previous
    if named is not None:
        same = [b for b in before if b.manifest is not None and b.manifest.id == named.id]
        if same:
            return same[0]
    return max(before, key=_order)


def _verify_latest(latest: _Bundle, earlier: _Bundle | None, trusted: TrustedKey) -> Verdict:
    verdict = verify_bundle(latest.path, trusted, earlier.path if earlier is not None else None)
    m, e = latest.manifest, earlier.manifest if earlier is not None else None
    if m is not None and e is not None and m.previous is not None and e.sequence < m.previous.sequence:
        # the submissions between the two are not in the input: that the latest names another one is expected;
        # its history must still extend the earlier one's (history_not_continued stays)
        verdict.problems[:] = [
            p
            for p in verdict.problems
            if not (p.code == "previous_mismatch" and p.path == MANIFEST and p.params.get("reason") == "names_another")
        ]
    return verdict


@dataclass
class _Group:
    key: str
    bundles: list[_Bundle]
    partner: Partner | None


def _sort_key(row: RowOut) -> tuple[int, int, str, str]:
    critical = len(row.numbers.critical_gaps) if row.numbers else 0
    return (0 if row.status != "verified" else 1, -critical, match_key(row.organisation), row.bundle)


def _order(bundle: _Bundle) -> tuple[int, dt.datetime, str]:
    m = bundle.manifest
    return (m.sequence, m.created, str(bundle.path)) if m else (0, dt.datetime.min.replace(tzinfo=dt.UTC), "")


def _local_day(moment: dt.datetime) -> dt.date:
    return moment.astimezone().date()


def _row(group: _Group, today: dt.date) -> RowOut:
    ranked = sorted(group.bundles, key=_order)
    latest = ranked[-1]
    m = latest.manifest
    assert m is not None
    base = {
        "organisation": m.organisation,
        "bundle": str(latest.path),
        "submission_id": m.id,
        "sequence": m.sequence,
        "submitted": _local_day(m.created),
        "signer": m.signer.fingerprint,
        "draft": m.document.draft if m.document is not None else False,
        "submissions": len(group.bundles),
    }
    partner = group.partner
    if partner is None:
        return RowOut(
            **base,
            status="untrusted",
            days_since=None,
            trusted_key=None,
            key_of=None,
            checked_against=None,
            problems=[],
            numbers=None,
            previous_id=None,
            previous_verified=None,
            score_change=None,
        )
    earlier = _earlier(latest, ranked[:-1])
    verdict = _verify_latest(latest, earlier, partner.key)
    earlier_verdict = verify_bundle(earlier.path, partner.key) if earlier is not None else None
    common = {
        **base,
        "trusted_key": partner.key.fingerprint,
        "key_of": None,
        "checked_against": verdict.previous,
        "previous_id": earlier.manifest.id if earlier is not None and earlier.manifest else None,
        "previous_verified": earlier_verdict.ok if earlier_verdict is not None else None,
    }
    if not verdict.ok:
        return RowOut(
            **common,
            status="not_verified",
            days_since=None,
            problems=_problems(verdict.problems),
            numbers=None,
            score_change=None,
        )
    numbers, trouble = _numbers(latest.path, m)
    if numbers is None:
        return RowOut(
            **common,
            status="report_unreadable",
            days_since=None,
            problems=[trouble] if trouble else [],
            numbers=None,
            score_change=None,
        )
    change = None
    if earlier is not None and earlier.manifest is not None and earlier_verdict is not None and earlier_verdict.ok:
        before, _ = _numbers(earlier.path, earlier.manifest)
        if before is not None and before.overall is not None and numbers.overall is not None:
            change = round(numbers.overall - before.overall, 1)
    return RowOut(
        **common,
        status="verified",
        days_since=(today - _local_day(m.created)).days,
        problems=[],
        numbers=numbers,
        score_change=change,
    )


def _unreadable(bundle: _Bundle) -> RowOut:
    return RowOut(
        organisation="",
        status="unreadable",
        bundle=str(bundle.path),
        submission_id=None,
        sequence=None,
        submitted=None,
        days_since=None,
        signer=None,
        draft=False,
        trusted_key=None,
        key_of=None,
        submissions=1,
        checked_against=None,
        problems=[ProblemOut(code=MALFORMED_MANIFEST, path=MANIFEST, params={"reason": bundle.why})],
        numbers=None,
        previous_id=None,
        previous_verified=None,
        score_change=None,
    )


def build(trust: Trust, found: Found, today: dt.date, workers: int = WORKERS) -> PortfolioOut:
    """The portfolio of the bundles ``found``: one row per organisation, its latest submission verified
    with its trusted key (and against the one before when that is in the input), numbers only when it
    verified. Bundles are read and verified in a thread pool (hashing releases the GIL)."""
    with ThreadPoolExecutor(max_workers=max(1, min(workers, len(found.bundles) or 1))) as pool:
        read = list(pool.map(_read, found.bundles))
        groups: dict[str, _Group] = {}
        unreadable: list[RowOut] = []
        for bundle in read:
            if bundle.manifest is None:
                unreadable.append(_unreadable(bundle))
                continue
            partner = trust.find(bundle.manifest.organisation)
            key = match_key(partner.organisation if partner else bundle.manifest.organisation)
            groups.setdefault(key, _Group(key, [], partner)).bundles.append(bundle)
        rows = list(pool.map(lambda g: _row(g, today), groups.values()))
    for n, row in enumerate(rows):
        if row.status == "untrusted" and row.signer is not None:
            known = trust.by_fingerprint(row.signer)
            if known is not None:
                rows[n] = row.model_copy(update={"key_of": known.organisation})
    rows = sorted([*rows, *unreadable], key=_sort_key)
    present = {match_key(r.organisation) for r in rows if r.status != "untrusted"}
    missing = [p.organisation for p in trust.partners if match_key(p.organisation) not in present]
    missing.sort(key=match_key)
    verified = sum(1 for r in rows if r.status == "verified")
    return PortfolioOut(
        today=today,
        trust_file=str(trust.path),
        partners=len(trust.partners),
        rows=rows,
        missing=missing,
        skipped=[SkippedOut(path=s.path, reason=s.reason) for s in found.skipped],
        verified=verified,
        not_verified=len(rows) - verified,
    )


__all__ = [
    "CRITICAL_PRIORITY",
    "MALFORMED_MANIFEST",
    "PORTFOLIO_SCHEMA",
    "REPORT_UNREADABLE",
    "TRUST_SCHEMA",
    "Found",
    "NumbersOut",
    "Partner",
    "PortfolioOut",
    "ProblemOut",
    "RowOut",
    "Skipped",
    "SkippedOut",
    "Trust",
    "build",
    "find_bundles",
    "load_trust",
    "match_key",
]
