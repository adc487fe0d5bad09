"""Signed submissions: `antai key new|show` (the Ed25519 signing key, kept outside the workspace) and
`antai submit` (the bundle a bank receives)."""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import shutil
import stat
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from antai.cli.context import get_env
from antai.cli.errors import BadUsage, CheckFailed, Unknown
from antai.cli.output import emit_json
from antai.cli.params import Choice, format_option, lang_option, workspace_option

if TYPE_CHECKING:
    from antai.app.usecases import SubmissionDraft
    from antai.submission.keys import Ed25519PrivateKey

F = TypeVar("F", bound=Callable[..., Any])
KEY_NAME = "signing-key.pem"
# the report formats of a bundle, in order; the PDF (with the FISC matrix as a separate appendix PDF) only
# when WeasyPrint is installed (`pip install 'antai[pdf]'`), otherwise the bundle goes without it
REPORT_FORMATS = ("pdf", "html", "xlsx", "json")


def key_file_option(func: F) -> F:
    return click.option(
        "--key-file",
        type=click.Path(dir_okay=False, path_type=Path),
        envvar="ANTAI_KEY_FILE",
        help=f"The private signing key (default: $ANTAI_KEY_DIR/{KEY_NAME}, else ~/.config/antai/keys/{KEY_NAME}).",
    )(func)


def key_path(key_file: Path | None) -> Path:
    if key_file is not None:
        return key_file
    folder = os.environ.get("ANTAI_KEY_DIR")
    if folder:
        return Path(folder) / KEY_NAME
    config = os.environ.get("XDG_CONFIG_HOME")
    base = Path(config) if config else Path.home() / ".config"
    return base / "antai" / "keys" / KEY_NAME


def _workspace_around(path: Path) -> Path | None:
    """The workspace folder that contains ``path``, if any (a folder with antai.yaml above it)."""
    for folder in path.resolve().parents:
        if (folder / "antai.yaml").is_file():
            return folder
    return None


def _passphrase() -> bytes | None:
    value = os.environ.get("ANTAI_KEY_PASSPHRASE")
    return value.encode("utf-8") if value else None


def load_signing_key(key_file: Path | None) -> tuple[Path, Ed25519PrivateKey]:
    from antai.submission import keys

    env = get_env()
    path = key_path(key_file)
    around = _workspace_around(path)
    if around is not None:
        raise CheckFailed(env.say("key_in_workspace", path=path, workspace=around))
    try:
        info = path.lstat()
    except FileNotFoundError:
        raise Unknown(env.say("key_missing", path=path)) from None
    if not stat.S_ISREG(info.st_mode):
        raise Unknown(env.say("key_unreadable", path=path, reason="not a regular file"))
    if os.name == "posix" and info.st_mode & 0o077:
        click.secho(env.say("key_loose_permissions", path=path), fg="yellow", err=True)
    try:
        with path.open("rb") as handle:
            data = handle.read(keys.MAX_KEY_BYTES + 1)
    except OSError as exc:
        raise Unknown(env.say("key_unreadable", path=path, reason=exc.strerror or "")) from None
    return path, keys.load_private(data, _passphrase())


@click.group()
def key() -> None:
    """The Ed25519 key that signs submissions: create it outside the workspace, show its public key."""


@key.command("new")
@click.option("--force", is_flag=True, help="Replace an existing key (bundles it signed stop verifying).")
@key_file_option
@lang_option
def key_new(force: bool, key_file: Path | None, lang: str) -> None:
    """Create the signing key outside any workspace and print its public key's fingerprint.

    PEM with mode 0600, encrypted when $ANTAI_KEY_PASSPHRASE is set.
    """
    from antai.submission import keys

    env = get_env()
    path = key_path(key_file)
    around = _workspace_around(path)
    if around is not None:
        raise CheckFailed(env.say("key_in_workspace", path=path, workspace=around))
    if (path.exists() or path.is_symlink()) and not force:
        raise CheckFailed(env.say("key_exists", path=path))
    private = keys.generate()
    data = keys.private_pem(private, _passphrase())
    created = not path.parent.exists()
    path.parent.mkdir(parents=True, exist_ok=True)
    if created:
        path.parent.chmod(0o700)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    click.echo(env.say("key_created", path=path))
    click.echo(env.say("key_fingerprint", fingerprint=keys.fingerprint(private.public_key())))
    click.echo(env.say("key_send_fingerprint"), err=True)


@key.command("show")
@format_option("pem", "base64", "json")
@key_file_option
@lang_option
def key_show(fmt: str, key_file: Path | None, lang: str) -> None:
    """Print the public key and its fingerprint, for the bank to compare out of band."""
    from antai.submission import keys

    env = get_env()
    path, private = load_signing_key(key_file)
    public = private.public_key()
    fingerprint = keys.fingerprint(public)
    if fmt == "json":
        emit_json(
            {
                "path": str(path),
                "algorithm": keys.ALGORITHM,
                "fingerprint": fingerprint,
                "public_key_pem": keys.public_pem(public).decode("ascii"),
                "public_key_base64": keys.public_raw_base64(public),
            }
        )
        return
    click.echo(keys.public_pem(public).decode("ascii").rstrip() if fmt == "pem" else keys.public_raw_base64(public))
    click.echo(env.say("key_fingerprint", fingerprint=fingerprint))


# --- submit -----------------------------------------------------------------------------------------------


def _empty_or_absent(path: Path) -> bool:
    return not path.exists() or (path.is_dir() and not path.is_symlink() and not any(path.iterdir()))


def _copy_checked(source: Path, target: Path, expected: str) -> bool:
    """Copy ``source`` to ``target``; whether its SHA-256 is ``expected``."""
    import hashlib

    digest = hashlib.sha256()
    target.parent.mkdir(parents=True, exist_ok=True)
    with source.open("rb") as reader, target.open("xb") as writer:
        for block in iter(lambda: reader.read(1 << 16), b""):
            digest.update(block)
            writer.write(block)
    return digest.hexdigest() == expected


@click.command()
@workspace_option
@click.option(
    "-o",
    "--output",
    type=click.Path(file_okay=False, path_type=Path),
    help="Write the bundle to this new folder (default: WORKSPACE/submissions/ID).",
)
@click.option("--audience", type=Choice(["bank"]), default="bank", show_default=True)
@click.option(
    "--scope", metavar="TEXT", help="What the submission covers (e.g. 参照系 API の接続申請); in the manifest."
)
@click.option(
    "--withhold",
    "withheld",
    multiple=True,
    metavar="EVIDENCE_ID",
    help="Send only this evidence file's SHA-256, not the file (repeatable; needs --obtain).",
)
@click.option("--obtain", metavar="TEXT", help="Where the bank can obtain the files held back with --withhold.")
@key_file_option
@lang_option
def submit(
    workspace_dir: Path,
    output: Path | None,
    audience: str,
    scope: str | None,
    withheld: tuple[str, ...],
    obtain: str | None,
    key_file: Path | None,
    lang: str,
) -> None:
    """Write a signed submission bundle for a bank: reports, evidence, history and a manifest signed with Ed25519.

    The submission is recorded in the workspace's history (and its report kept under submissions/ID), so
    the next one names it and its "changes since" compare with what the bank received.
    """
    from antai.app import usecases
    from antai.submission import keys
    from antai.workspace.submissions import SUBMISSIONS, record_dir

    env = get_env()
    wanted = {w.strip().upper() for w in withheld}
    if wanted and not (obtain and obtain.strip()):
        raise BadUsage(env.say("submit_needs_obtain"))
    _, private = load_signing_key(key_file)
    catalog, store, _ = env.snapshot(workspace_dir)
    if output is not None and not _empty_or_absent(output):
        raise CheckFailed(env.say("submit_output_exists", path=output))
    if output is not None:
        inside = output.resolve()
        if inside.is_relative_to(store.root.resolve()) and not inside.is_relative_to(
            (store.root / SUBMISSIONS).resolve()
        ):
            raise BadUsage(env.say("submit_output_in_workspace", path=output, folder=store.root / SUBMISSIONS))
    placed: list[Path] = []

    def write(draft: SubmissionDraft) -> dict[str, Any]:
        record = record_dir(store.root, draft.id)
        bundle = output if output is not None else record
        for target in {bundle, record}:
            if not _empty_or_absent(target):
                raise CheckFailed(env.say("submit_output_exists", path=target))
        staging = bundle.with_name(f".{bundle.name}.partial")
        shutil.rmtree(staging, ignore_errors=True)
        staging.mkdir(parents=True)
        try:
            manifest, signed = _build(store.root, draft, staging, private, lang, scope, wanted, obtain)
            if bundle.exists():
                bundle.rmdir()
            staging.rename(bundle)
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise
        placed.append(bundle)
        if record != bundle:  # the workspace keeps the signed manifest and the JSON report of every submission
            from antai.submission.manifest import MANIFEST, SIGNATURE

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
        import hashlib

        return {
            "manifest_sha256": hashlib.sha256(signed).hexdigest(),
            "files": len(manifest.files),
            "signer": manifest.signer.fingerprint,
        }

    try:
        draft, recorded = usecases.submit(store, catalog, env.actor(), write)
    except BaseException:
        for path in placed:
            shutil.rmtree(path, ignore_errors=True)
        with contextlib.suppress(OSError):  # the submissions folder, if this attempt made it
            (store.root / SUBMISSIONS).rmdir()
        raise
    bundle = placed[0]
    click.echo(str(bundle.resolve()))
    head = str(recorded["history"]["hash"])[:16]
    click.echo(
        env.say(
            "submit_done",
            id=draft.id,
            sequence=draft.sequence,
            entries=recorded["history"]["entries"],
            head=head,
            files=recorded["files"],
        ),
        err=True,
    )
    click.echo(
        env.say("submit_previous", id=draft.previous.id) if draft.previous else env.say("submit_first"), err=True
    )
    click.echo(env.say("key_fingerprint", fingerprint=keys.fingerprint(private.public_key())), err=True)
    click.echo(env.say("submit_verify_hint", bundle=bundle.resolve(), fingerprint=recorded["signer"]), err=True)


def _write_pdfs(built: Any, catalog: Any, timeline: Any, folder: Path, rel: str) -> list[Any]:
    """The report's PDF at ``rel`` and its FISC appendix next to it (``…-fisc.pdf``), or nothing (with a
    warning) when WeasyPrint is not installed."""
    from antai.reports.pdf import PdfUnavailable, report_pdfs
    from antai.submission.bundle import Content

    try:
        pdfs = report_pdfs(built, catalog, timeline)
    except PdfUnavailable as exc:
        click.secho(get_env().say("submit_without_pdf", hint=exc.params["hint"]), fg="yellow", err=True)
        return []
    (folder / rel).write_bytes(pdfs.body)
    written = [Content(rel, "report", "pdf")]
    if pdfs.appendix is not None:
        appendix = rel.removesuffix(".pdf") + "-fisc.pdf"
        (folder / appendix).write_bytes(pdfs.appendix)
        written.append(Content(appendix, "appendix", "pdf"))
    return written


def _build(
    root: Path,
    draft: SubmissionDraft,
    folder: Path,
    private: Ed25519PrivateKey,
    lang: str,
    scope: str | None,
    withheld: set[str],
    obtain: str | None,
) -> tuple[Any, bytes]:
    """Render the reports into ``folder``, copy the evidence and the history, and seal it."""
    from antai.assessment.history import dump_line
    from antai.reports import assessment as report_data
    from antai.reports import bank
    from antai.submission import keys
    from antai.submission.bundle import Content, seal
    from antai.submission.manifest import HISTORY, SIGNER, EvidenceEntry, HistoryHead, PreviousSubmission
    from antai.tailoring.roadmap import build_roadmap, capacity_of
    from antai.workspace.submissions import submitted_report

    env = get_env()
    catalog = env.catalog()
    assessment = draft.snapshot.assessment
    baseline = None
    if draft.previous is not None:
        earlier = submitted_report(root, draft.previous.id)
        baseline = report_data.previous_from_report(earlier) if earlier is not None else None
    head = HistoryHead(entries=len(draft.history), hash=draft.snapshot.version)
    today = draft.created.astimezone().date()
    built, plan, _ = report_data.build_report(
        catalog,
        assessment,
        "bank",
        lang,  # type: ignore[arg-type]  # --lang is a click.Choice of ja/en
        today,
        baseline,
        submission=report_data.SubmissionOut(
            id=draft.id,
            sequence=draft.sequence,
            history_entries=head.entries,
            history_head=head.hash,
            previous=draft.previous.id if draft.previous else None,
        ),
        generated=draft.created.astimezone(dt.UTC),
    )
    contents: list[Content] = []
    name = f"bank-report.{lang}"
    for fmt in REPORT_FORMATS:
        rel = f"report/{name}.{fmt}"
        (folder / "report").mkdir(exist_ok=True)
        if fmt == "pdf":
            contents += _write_pdfs(
                built, catalog, build_roadmap(plan, built.assessment_date, capacity_of(plan)), folder, rel
            )
            continue
        if fmt == "html":
            timeline = build_roadmap(plan, built.assessment_date, capacity_of(plan))
            (folder / rel).write_text(bank.report_html(built, catalog, timeline), encoding="utf-8")
        elif fmt == "xlsx":
            (folder / rel).write_bytes(bank.report_xlsx(built, catalog))
        else:
            (folder / rel).write_text(report_data.report_json(built), encoding="utf-8")
        contents.append(Content(rel, "report", fmt))

    records = {e.id: e for e in assessment.evidence}
    reported = [e for item in built.items for e in item.evidence]
    unknown = sorted(withheld - {e.id for e in reported if e.kind == "file"})
    if unknown:
        raise BadUsage(env.say("submit_unknown_evidence", id=", ".join(unknown)))
    evidence: list[EvidenceEntry] = []
    item_of = {e.id: item.id for item in built.items for e in item.evidence}
    for shown in reported:
        record = records[shown.id]
        if shown.kind == "url":
            evidence.append(
                EvidenceEntry(
                    id=shown.id, item=item_of[shown.id], name=shown.name, kind="url", included=False, obtain=shown.url
                )
            )
            continue
        assert record.path is not None and record.sha256 is not None
        if shown.id in withheld:
            evidence.append(
                EvidenceEntry(
                    id=shown.id,
                    item=item_of[shown.id],
                    name=shown.name,
                    kind="file",
                    sha256=record.sha256,
                    included=False,
                    obtain=obtain,
                )
            )
            continue
        rel = f"evidence/{Path(record.path).name}"
        if not _copy_checked(root / record.path, folder / rel, record.sha256):
            raise CheckFailed(env.say("submit_evidence_altered", id=shown.id, path=root / record.path))
        contents.append(Content(rel, "evidence"))
        evidence.append(
            EvidenceEntry(
                id=shown.id,
                item=item_of[shown.id],
                name=shown.name,
                kind="file",
                sha256=record.sha256,
                included=True,
                path=rel,
            )
        )

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
        scope=scope.strip() if scope and scope.strip() else None,
        lang=lang,
        history=head,
        previous=previous,
        evidence=evidence,
    )
