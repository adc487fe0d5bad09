"""The bank's side of a submission: `antai review verify` and `antai review diff`; the comment threads and the
portfolio view are subcommands of the same group, kept in modules of their own."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from antai.cli.context import get_env
from antai.cli.errors import BadUsage, CheckFailed, Unknown
from antai.cli.lazy import LazyGroup
from antai.cli.output import emit_json
from antai.cli.params import format_option, lang_option, output_option, trusted_key

# subcommands kept in modules of their own, imported when they run: name → ("module:attribute", summary)
LATER: dict[str, tuple[str, str]] = {
    "import-comments": (
        "antai.cli.commands.comments:import_comments",
        "Import a bank's comments on a submission as threads: a comments YAML or the answered checklist workbook.",
    ),
    "threads": (
        "antai.cli.commands.comments:threads",
        "List the comment threads with the bank: what each is about, its state and every message.",
    ),
    "answer": (
        "antai.cli.commands.comments:answer",
        "Answer a comment thread of the bank; the next submission carries the answer.",
    ),
    "close": (
        "antai.cli.commands.comments:close",
        "Close a comment thread (with the reason); the bank's next comment on the same target starts a new one.",
    ),
    "comment-template": (
        "antai.cli.commands.comments:comment_template",
        "Write an antai.comments/1 YAML skeleton for a submission bundle, for a bank reviewer without Excel.",
    ),
    "portfolio": (
        "antai.cli.commands.portfolio:portfolio",
        "Many partners' submissions side by side, each verified with the bank's trusted key (exit 1 if any is not).",
    ),
}


@click.group(cls=LazyGroup, lazy_subcommands=LATER)
def review() -> None:
    """The bank's side: verify, compare and comment on submission bundles; a portfolio of partners."""


def _problem_text(problem: Any, lang: str) -> str:
    from antai.messages import text

    params = {"path": problem.path, **problem.params}
    # why a manifest could not be read: English from the reader, said in the output's language
    worded = {"malformed_manifest": "reason", "previous_mismatch": "detail"}.get(problem.code)
    if worded and isinstance(params.get(worded), str):
        from antai.messages import manifest_reason

        params[worded] = manifest_reason(params[worded], lang)
    key = f"review.{problem.code}"
    reason = params.get("reason")
    if problem.code == "previous_mismatch" and reason in ("previous_signature", "unreadable"):
        key = f"review.previous_{'signature' if reason == 'previous_signature' else 'unreadable'}"
    for name in ("found", "expected", "previous"):
        if params.get(name) is None:
            params[name] = text("review_none", lang)
    params.setdefault("reason", "")
    params.setdefault("detail", "")
    params.setdefault("entries", "?")
    params.setdefault("expected_entries", "?")
    try:
        return text(key, lang, **params)
    except (KeyError, IndexError):
        return f"{problem.path}: {problem.code}"


@review.command("verify")
@click.argument("bundle", type=click.Path(path_type=Path))
@click.option(
    "--key",
    "key_spec",
    required=True,
    metavar="FINGERPRINT|FILE",
    help="The venture's public key, or its fingerprint, as received out of band.",
)
@click.option(
    "--previous",
    type=click.Path(path_type=Path),
    help="The venture's previous bundle (or its manifest.json): this one must name it and extend its history.",
)
@format_option("table", "json")
@lang_option
def verify(bundle: Path, key_spec: str, previous: Path | None, fmt: str, lang: str) -> None:
    """Check a submission bundle: every file's SHA-256, the signature and the history's continuity (exit 1 if not).

    --key is the venture's public key file or its fingerprint, received out of band (never the bundle's own
    signer.pub alone). With --previous, the bundle must name that submission and extend its history.
    """
    from antai.submission.bundle import verify_bundle

    env = get_env()
    if not bundle.is_dir():
        raise Unknown(env.say("review_no_bundle", path=bundle))
    if previous is not None and not previous.exists():
        raise Unknown(env.say("review_no_bundle", path=previous))
    trusted = trusted_key(key_spec)
    verdict = verify_bundle(bundle, trusted, previous)
    if fmt == "json":
        emit_json(verdict.as_dict())
    else:
        for problem in verdict.problems:
            click.echo(f"- {_problem_text(problem, env.lang)}")
    manifest = verdict.manifest
    shown_id = manifest.id if manifest else str(bundle)
    if not verdict.ok:
        raise CheckFailed(env.say("review_not_verified", id=shown_id, count=len(verdict.problems)))
    assert manifest is not None
    if fmt == "table":
        continued = env.say("review_continued", previous=verdict.previous) if verdict.previous else ""
        click.echo(
            env.say(
                "review_verified",
                id=manifest.id,
                sequence=manifest.sequence,
                organisation=manifest.organisation,
                created=manifest.created.date().isoformat(),
                fingerprint=manifest.signer.fingerprint,
                files=verdict.files_checked,
                entries=verdict.history_entries,
                continued=continued,
            )
        )
        click.echo(_signoff_line(manifest, env.lang))


def _signoff_line(manifest: Any, lang: str) -> str:
    """Who signed the submission off, or that it is an unsigned draft."""
    from antai.messages import text

    if not manifest.signoffs:
        return text("review_unsigned", lang)
    joiner = "、" if lang == "ja" else "; "
    shown = []
    for s in manifest.signoffs:
        title = (f"・{s.title}" if lang == "ja" else f", {s.title}") if s.title else ""
        role = text(f"signoff.role.{s.role}", lang)
        shown.append(text("review_signoff", lang, role=role, name=s.name, title=title, date=s.date.isoformat()))
    return text("review_signoffs", lang, signoffs=joiner.join(shown))


_DIFF_FORMATS = ("table", "md", "html", "xlsx", "json")


@review.command("diff")
@click.argument("old", type=click.Path(path_type=Path))
@click.argument("new", type=click.Path(path_type=Path))
@click.option(
    "--key",
    "key_spec",
    metavar="FINGERPRINT|FILE",
    help="Verify both bundles with the venture's public key (or its fingerprint) before comparing them.",
)
@format_option(*_DIFF_FORMATS)
@output_option
@lang_option
def diff(old: Path, new: Path, key_spec: str | None, fmt: str, output: Path | None, lang: str) -> None:
    """Compare two submissions of one organisation: plan, statuses, owners, evidence, decisions, facts and scores.

    OLD and NEW are bundle folders of one organisation (another's are refused). With --key both are verified
    first, and a bundle that does not verify stops the comparison (exit 1); without it, the output says
    that they were not verified.
    """
    from antai.cli import diff_view as words
    from antai.cli.output import write_output
    from antai.submission.diff import BundleRefused, compare, load_submitted

    env = get_env()
    for path in (old, new):
        if not path.is_dir():
            raise Unknown(env.say("review_no_bundle", path=path))
    trusted = trusted_key(key_spec) if key_spec is not None else None
    if output is not None and str(output) != "-":
        target = output.resolve()
        for path in (old, new):
            if target.is_relative_to(path.resolve()):
                raise BadUsage(env.say("diff_output_in_bundle", path=output, bundle=path))
    if trusted is not None:
        _verify_both(old, new, trusted)
    try:
        earlier, later = load_submitted(old), load_submitted(new)
    except BundleRefused as exc:
        raise CheckFailed(_refusal(exc, env.lang)) from None
    try:
        result = compare(earlier, later, trusted.fingerprint if trusted is not None else None)
    except BundleRefused as exc:
        raise CheckFailed(_refusal(exc, env.lang)) from None
    if fmt == "json":
        import json

        content: str | bytes = json.dumps(result.data(), ensure_ascii=False, indent=2) + "\n"
    elif fmt == "md":
        content = words.diff_markdown(result, env.lang)
    elif fmt == "html":
        content = words.diff_html(result, env.lang)
    elif fmt == "xlsx":
        content = words.diff_xlsx(result, env.lang)
    else:
        content = words.diff_table(result, env.lang)
    protect = [p / name for p in (old, new) for name in ("manifest.json", "manifest.sig")]
    write_output(content, output, kind=fmt if fmt != "table" else None, protect=protect)


def _verify_both(old: Path, new: Path, trusted: Any) -> None:
    """Verify both bundles (the newer one against the older when it names it as its previous); print every
    problem and stop with exit 1 if either does not verify."""
    from antai.submission.bundle import load_manifest, verify_bundle

    env = get_env()
    earlier = verify_bundle(old, trusted)
    named, _, _ = load_manifest(new)
    follows = (
        named is not None
        and named.previous is not None
        and earlier.manifest is not None
        and named.previous.id == earlier.manifest.id
    )
    later = verify_bundle(new, trusted, old if follows else None)
    failed = 0
    for path, verdict in ((old, earlier), (new, later)):
        for problem in verdict.problems:
            click.echo(f"- {path}: {_problem_text(problem, env.lang)}")
        if not verdict.ok:
            failed += 1
            shown = verdict.manifest.id if verdict.manifest else str(path)
            click.echo(env.say("review_not_verified", id=shown, count=len(verdict.problems)), err=True)
    if failed:
        raise CheckFailed(env.say("diff_not_verified", count=failed))


def _refusal(exc: Any, lang: str) -> str:
    from antai.messages import bundle_refusal

    return bundle_refusal(exc.params, lang)
