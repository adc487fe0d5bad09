"""Signed submissions: `antai key new|show` (the Ed25519 signing key, kept outside the workspace) and
`antai submit` (the bundle a bank receives)."""

from __future__ import annotations

import os
import stat
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from antai.cli.context import get_env
from antai.cli.errors import BadUsage, CheckFailed, Unknown
from antai.cli.output import emit_json
from antai.cli.params import Choice, document_options, format_option, lang_option, workspace_option

if TYPE_CHECKING:
    from antai.submission.keys import Ed25519PrivateKey

F = TypeVar("F", bound=Callable[..., Any])
KEY_NAME = "signing-key.pem"


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


# --- submit ---------------------------------------------------------------------------------------------


@click.command()
@workspace_option
@click.option(
    "-o",
    "--output",
    type=click.Path(file_okay=False, path_type=Path),
    help="Write the bundle to this new folder (default: WORKSPACE/submissions/ID).",
)
@click.option("--audience", type=Choice(["bank"]), default="bank", show_default=True)
@document_options
@click.option(
    "--checklist",
    "checklists",
    multiple=True,
    metavar="NAME|FILE",
    help="A bank checklist to answer in the bundle (repeatable; default: api-connection for a service that "
    "uses bank APIs or links bank accounts).",
)
@click.option("--unsigned", is_flag=True, help="Write an unsigned draft (no sign-off needed; the cover says so).")
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
    assessor: str | None,
    classification: str,
    checklists: tuple[str, ...],
    unsigned: bool,
    withheld: tuple[str, ...],
    obtain: str | None,
    key_file: Path | None,
    lang: str,
) -> None:
    """Write a signed submission bundle for a bank: reports, evidence, history and a manifest signed with Ed25519.

    The representative and the security owner sign off first (`antai signoff`). The submission is recorded
    in the workspace's history (and its report kept under submissions/ID), so the next one names it and its
    "changes since" compare with what the bank received.
    """
    from antai.checklists.loader import default_names
    from antai.cli.checklist_lookup import load_named_checklist
    from antai.submission import keys
    from antai.workspace.bundles import BundleOptions, BundleRefusal, empty_or_absent, submit_bundle
    from antai.workspace.submissions import SUBMISSIONS

    env = get_env()
    wanted = frozenset(w.strip().upper() for w in withheld)
    if wanted and not (obtain and obtain.strip()):
        raise BadUsage(env.say("submit_needs_obtain"))
    _, private = load_signing_key(key_file)
    catalog, store, snapshot = env.snapshot(workspace_dir)
    if output is not None and not empty_or_absent(output):
        raise CheckFailed(env.say("submit_output_exists", path=output))
    if output is not None:
        inside = output.resolve()
        if inside.is_relative_to(store.root.resolve()) and not inside.is_relative_to(
            (store.root / SUBMISSIONS).resolve()
        ):
            raise BadUsage(env.say("submit_output_in_workspace", path=output, folder=store.root / SUBMISSIONS))
    names = checklists or default_names(snapshot.assessment.profile)
    options = BundleOptions(
        lang="en" if lang == "en" else "ja",
        scope=scope,
        assessor=assessor,
        classification=classification,  # type: ignore[arg-type]  # a click.Choice of the literal's values
        checklists=tuple(load_named_checklist(name, catalog) for name in names),
        withheld=wanted,
        obtain=obtain,
        unsigned=unsigned,
        warn=lambda code, params: click.secho(env.say(code, **params), fg="yellow", err=True),
    )
    if unsigned:
        click.secho(env.say("submit_unsigned"), fg="yellow", err=True)
    try:
        done = submit_bundle(store, catalog, env.actor(), private, options, output)
    except BundleRefusal as exc:
        problem = BadUsage if exc.code == "submit_unknown_evidence" else CheckFailed
        raise problem(env.say(exc.code, **exc.params)) from None
    draft, recorded = done.draft, done.recorded
    click.echo(str(done.bundle.resolve()))
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
    click.echo(env.say("submit_verify_hint", bundle=done.bundle.resolve(), fingerprint=recorded["signer"]), err=True)
