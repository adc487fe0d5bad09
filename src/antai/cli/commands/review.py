"""The bank's side of a submission: `antai review verify` (comparing two submissions, comments and a
portfolio view are later subcommands of the same group)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from antai.cli.context import get_env
from antai.cli.errors import BadUsage, CheckFailed, Unknown
from antai.cli.output import emit_json
from antai.cli.params import format_option, lang_option


@click.group()
def review() -> None:
    """The bank's side: verify a submission bundle a venture sent."""


def _trusted(value: str) -> Any:
    """--key: a public key file (PEM or raw base64), else a fingerprint."""
    from antai.errors import AntaiError
    from antai.submission import keys
    from antai.submission.bundle import TrustedKey

    env = get_env()
    path = Path(value)
    if path.is_file():
        try:
            with path.open("rb") as handle:
                data = handle.read(keys.MAX_KEY_BYTES + 1)
            return TrustedKey.of(keys.load_public(data))
        except (OSError, AntaiError):
            raise BadUsage(env.say("review_bad_key", value=value)) from None
    fingerprint = keys.parse_fingerprint(value)
    if fingerprint is None:
        raise BadUsage(env.say("review_bad_key", value=value))
    return TrustedKey(fingerprint)


def _problem_text(problem: Any, lang: str) -> str:
    from antai.cli.messages import text

    params = {"path": problem.path, **problem.params}
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
    trusted = _trusted(key_spec)
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
