"""Writing a submission bundle from a file workspace: the reports, the answered bank checklists, the evidence
files (or their hashes), the history and the signed manifest, staged beside the target and moved into place
only when complete. `antai submit` and `antai demo` both submit through :func:`submit_bundle`.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from antai.errors import AntaiError

if TYPE_CHECKING:
    from antai.app.ports import Actor
    from antai.app.usecases import SubmissionDraft
    from antai.catalog import Catalog
    from antai.checklists.model import Checklist
    from antai.submission.bundle import Content
    from antai.submission.keys import Ed25519PrivateKey
    from antai.workspace.store import FileStore

# the report formats of a bundle, in order; the PDF (with the appendix as a second PDF) only when WeasyPrint
# is installed (`pip install 'antai[pdf]'`) and asked for
REPORT_FORMATS = ("pdf", "html", "xlsx", "json")
Classification = Literal["confidential", "strictly_confidential", "internal"]


class BundleRefusal(AntaiError):
    """A bundle cannot be written as asked; ``code`` names why (submit_output_exists,
    submit_unknown_evidence, submit_evidence_altered)."""

    code = "bundle_refusal"

    def __init__(self, code: str, message: str, **params: Any) -> None:
        super().__init__(message, code=code, **params)


@dataclass(frozen=True)
class BundleOptions:
    """What the venture says about the submission besides the assessment itself."""

    lang: Literal["ja", "en"] = "ja"
    scope: str | None = None
    assessor: str | None = None
    classification: Classification = "confidential"
    checklists: tuple[Checklist, ...] = ()  # answered into checklist/NAME.LANG.xlsx|html
    withheld: frozenset[str] = frozenset()  # evidence IDs sent as their hash only
    obtain: str | None = None  # where the bank obtains withheld files
    formats: tuple[str, ...] = REPORT_FORMATS
    unsigned: bool = False  # a draft without sign-off
    warn: Callable[[str, dict[str, Any]], None] = field(default=lambda code, params: None)


@dataclass(frozen=True)
class Submitted:
    draft: SubmissionDraft
    recorded: dict[str, Any]  # what the `submit` history entry records
    bundle: Path


def empty_or_absent(path: Path) -> bool:
    return not path.exists() or (path.is_dir() and not path.is_symlink() and not any(path.iterdir()))


def submit_bundle(
    store: FileStore,
    catalog: Catalog,
    actor: Actor,
    private: Ed25519PrivateKey,
    options: BundleOptions,
    output: Path | None = None,
) -> Submitted:
    """Make a submission and write its bundle to ``output`` (default: the workspace's submissions/ID, which
    always keeps at least the manifest, its signature and the JSON report). All or nothing: an error, or an
    interruption, leaves no bundle and no `submit` entry."""
    from antai.app import usecases
    from antai.submission.manifest import MANIFEST, SIGNATURE
    from antai.workspace.submissions import SUBMISSIONS, record_dir

    placed: list[Path] = []

    def write(draft: SubmissionDraft) -> dict[str, Any]:
        record = record_dir(store.root, draft.id)
        bundle = output if output is not None else record
        for target in {bundle, record}:
            if not empty_or_absent(target):
                raise BundleRefusal("submit_output_exists", f"{target} exists and is not empty", path=target)
        staging = bundle.with_name(f".{bundle.name}.partial")
        shutil.rmtree(staging, ignore_errors=True)
        staging.mkdir(parents=True)
        try:
            manifest, signed = write_bundle(store.root, catalog, draft, staging, private, options)
            if bundle.exists():
                bundle.rmdir()
            staging.rename(bundle)
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise
        placed.append(bundle)
        if record != bundle:  # the workspace keeps the signed manifest and the JSON report of every submission
            kept = record.with_name(f".{record.name}.partial")
            shutil.rmtree(kept, ignore_errors=True)
            report = manifest.file("report", "json")
            for rel in (MANIFEST, SIGNATURE, *([report.path] if report else [])):
                (kept / rel).parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(bundle / rel, kept / rel)
            if record.exists():
                record.rmdir()
            kept.rename(record)
            placed.append(record)
        return {
            "manifest_sha256": hashlib.sha256(signed).hexdigest(),
            "files": len(manifest.files),
            "signer": manifest.signer.fingerprint,
        }

    try:
        draft, recorded = usecases.submit(store, catalog, actor, write, unsigned=options.unsigned)
    except BaseException:
        for path in placed:
            shutil.rmtree(path, ignore_errors=True)
        with contextlib.suppress(OSError):  # the submissions folder, if this attempt made it
            (store.root / SUBMISSIONS).rmdir()
        raise
    return Submitted(draft, recorded, placed[0])


def _copy_checked(source: Path, target: Path, expected: str) -> bool:
    """Copy ``source`` to ``target``; whether its SHA-256 is ``expected``."""
    digest = hashlib.sha256()
    target.parent.mkdir(parents=True, exist_ok=True)
    with source.open("rb") as reader, target.open("xb") as writer:
        for block in iter(lambda: reader.read(1 << 16), b""):
            digest.update(block)
            writer.write(block)
    return digest.hexdigest() == expected


def _write_pdfs(
    built: Any, catalog: Catalog, timeline: Any, folder: Path, rel: str, options: BundleOptions
) -> list[Content]:
    """The report's PDF at ``rel`` and its appendix next to it (``…-fisc.pdf``), or nothing (with a
    warning) when WeasyPrint is not installed."""
    from antai.reports.pdf import PdfUnavailable, report_pdfs
    from antai.submission.bundle import Content

    try:
        pdfs = report_pdfs(built, catalog, timeline)
    except PdfUnavailable as exc:
        options.warn("submit_without_pdf", {"hint": exc.params["hint"]})
        return []
    (folder / rel).write_bytes(pdfs.body)
    written = [Content(rel, "report", "pdf")]
    if pdfs.appendix is not None:
        appendix = rel.removesuffix(".pdf") + "-fisc.pdf"
        (folder / appendix).write_bytes(pdfs.appendix)
        written.append(Content(appendix, "appendix", "pdf"))
    return written


def write_bundle(
    root: Path,
    catalog: Catalog,
    draft: SubmissionDraft,
    folder: Path,
    private: Ed25519PrivateKey,
    options: BundleOptions,
) -> tuple[Any, bytes]:
    """Render the reports into ``folder``, answer the checklists, copy the evidence and the history, and seal it."""
    from antai.assessment.history import dump_line
    from antai.checklists.answer import answer_checklist
    from antai.reports import assessment as report_data
    from antai.reports import bank
    from antai.reports.checklist import checklist_html, checklist_xlsx
    from antai.submission import keys
    from antai.submission.bundle import Content, seal
    from antai.submission.manifest import (
        HISTORY,
        SIGNER,
        DocumentControl,
        EvidenceEntry,
        HistoryHead,
        PreviousSubmission,
        SignOffEntry,
    )
    from antai.tailoring.roadmap import build_roadmap, capacity_of
    from antai.workspace.submissions import submitted_report

    lang = options.lang
    assessment = draft.snapshot.assessment
    baseline = None
    if draft.previous is not None:
        earlier = submitted_report(root, draft.previous.id)
        baseline = report_data.previous_from_report(earlier) if earlier is not None else None
    head = HistoryHead(entries=len(draft.history), hash=draft.snapshot.version)
    today = draft.created.astimezone().date()
    submission = report_data.SubmissionOut(
        id=draft.id,
        sequence=draft.sequence,
        history_entries=head.entries,
        history_head=head.hash,
        previous=draft.previous.id if draft.previous else None,
    )
    built, plan, _ = report_data.build_report(
        catalog,
        assessment,
        "bank",
        lang,
        today,
        baseline,
        submission=submission,
        generated=draft.created.astimezone(dt.UTC),
        history=draft.history,
        document=report_data.document_control(
            assessment,
            draft.history,
            today,
            submission,
            scope=options.scope,
            assessor=options.assessor,
            classification=options.classification,
        ),
    )
    timeline = build_roadmap(plan, built.assessment_date, capacity_of(plan))
    contents: list[Content] = []
    (folder / "report").mkdir(exist_ok=True)
    for fmt in (f for f in REPORT_FORMATS if f in options.formats):
        rel = f"report/bank-report.{lang}.{fmt}"
        if fmt == "pdf":
            contents += _write_pdfs(built, catalog, timeline, folder, rel, options)
            continue
        if fmt == "html":
            (folder / rel).write_text(bank.report_html(built, catalog, timeline), encoding="utf-8")
        elif fmt == "xlsx":
            (folder / rel).write_bytes(bank.report_xlsx(built, catalog))
        else:
            (folder / rel).write_text(report_data.report_json(built), encoding="utf-8")
        contents.append(Content(rel, "report", fmt))

    for checklist in options.checklists:
        answered = answer_checklist(checklist, catalog, plan, assessment, today)
        (folder / "checklist").mkdir(exist_ok=True)
        stem = f"checklist/{checklist.id}.{lang}"
        (folder / f"{stem}.xlsx").write_bytes(checklist_xlsx(answered, lang, submission_id=draft.id))
        page = bank.standalone_page(checklist_html(answered, lang), checklist.title(lang), lang)
        (folder / f"{stem}.html").write_text(page, encoding="utf-8")
        contents += [Content(f"{stem}.xlsx", "checklist", "xlsx"), Content(f"{stem}.html", "checklist", "html")]

    records = {e.id: e for e in assessment.evidence}
    # the evidence the report cites: on items, and on organisation facts (org:PATH)
    reported = [e for item in built.items for e in item.evidence]
    reported += [e for records in built.fact_evidence.values() for e in records]
    unknown = sorted(options.withheld - {e.id for e in reported if e.kind == "file"})
    if unknown:
        raise BundleRefusal(
            "submit_unknown_evidence", f"no file evidence in the report: {', '.join(unknown)}", id=", ".join(unknown)
        )
    evidence: list[EvidenceEntry] = []
    item_of = {e.id: item.id for item in built.items for e in item.evidence}
    item_of.update({e.id: f"org:{path}" for path, records in built.fact_evidence.items() for e in records})
    copied: set[str] = set()
    # the records of one scan share its raw output: holding back one holds back the file for all of them
    held_files = {records[i].path for i in options.withheld if i in records and records[i].path}
    for shown in reported:
        record = records[shown.id]
        common = {"id": shown.id, "item": item_of[shown.id], "name": shown.name}
        if shown.kind == "url":
            evidence.append(EvidenceEntry(**common, kind="url", included=False, obtain=shown.url))
            continue
        assert record.path is not None and record.sha256 is not None
        if shown.id in options.withheld or record.path in held_files:
            evidence.append(
                EvidenceEntry(**common, kind="file", sha256=record.sha256, included=False, obtain=options.obtain)
            )
            continue
        rel = f"evidence/{Path(record.path).name}"
        if rel in copied:  # the records of one scan share its raw output: one copy serves them all
            evidence.append(EvidenceEntry(**common, kind="file", sha256=record.sha256, included=True, path=rel))
            continue
        copied.add(rel)
        if not _copy_checked(root / record.path, folder / rel, record.sha256):
            raise BundleRefusal(
                "submit_evidence_altered",
                f"evidence {shown.id} ({root / record.path}) was altered since it was recorded",
                id=shown.id,
                path=root / record.path,
            )
        contents.append(Content(rel, "evidence"))
        evidence.append(EvidenceEntry(**common, kind="file", sha256=record.sha256, included=True, path=rel))

    with (folder / HISTORY).open("w", encoding="utf-8", newline="\n") as handle:
        for entry in draft.history:
            handle.write(dump_line(entry))
    contents.append(Content(HISTORY, "history"))
    (folder / SIGNER).write_bytes(keys.public_pem(private.public_key()))
    contents.append(Content(SIGNER, "signer"))

    previous = (
        PreviousSubmission(
            id=draft.previous.id,
            sequence=draft.previous.sequence,
            history=HistoryHead(entries=draft.previous.entries, hash=draft.previous.hash),
        )
        if draft.previous
        else None
    )
    document = built.document
    return seal(
        folder,
        contents,
        private,
        id=draft.id,
        sequence=draft.sequence,
        created=draft.created.astimezone(dt.UTC),
        organisation=assessment.meta.organisation,
        catalog_version=catalog.version,
        audience="bank",
        scope=document.scope,
        lang=lang,
        history=head,
        previous=previous,
        evidence=evidence,
        document=DocumentControl(
            classification=document.classification,
            assessor=document.assessor,
            period_start=document.period_start,
            period_end=document.period_end,
            draft=bool(document.missing_signoffs),
        ),
        signoffs=[SignOffEntry(**s.model_dump()) for s in document.signoffs],
    )
