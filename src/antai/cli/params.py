"""Option types and shared options: dates, choices taken from the core's enums, --lang, -C, and turning
--profile / --set into a profile."""

from __future__ import annotations

import datetime as dt
import importlib
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from antai import messages
from antai.cli.context import LANGS, get_env
from antai.cli.errors import BadUsage, Unknown, source_problems

if TYPE_CHECKING:
    from antai.tailoring.profile import Profile

    _ChoiceBase = click.Choice[str]
    _DateBase = click.ParamType[dt.date]
else:  # Click before 8.4 has no generic parameter types
    _ChoiceBase = click.Choice
    _DateBase = click.ParamType

F = TypeVar("F", bound=Callable[..., Any])


def parse_date(value: str) -> dt.date | None:
    """A YYYY-MM-DD date, or None if the text is not one."""
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        return None


class DateParam(_DateBase):
    """A calendar date written YYYY-MM-DD."""

    name = "date"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> dt.date:
        if isinstance(value, dt.date):
            return value
        parsed = parse_date(str(value))
        if parsed is None:
            lang = get_env(ctx).lang if ctx is not None else "en"
            hint = f"'{param.opts[-1]}'" if param is not None and param.opts else "date"
            raise BadUsage(
                messages.text("invalid_value", lang, param=hint, message=messages.text("bad_date", lang, value=value)),
                lang,
                ctx,
            )
        return parsed


DATE = DateParam()


class Choice(_ChoiceBase):
    """click.Choice whose complaint is worded in the run's language (Click's own English otherwise).
    With ``label_prefix`` the Japanese complaint shows each value with its label, e.g. implemented（実施済み）."""

    label_prefix: str | None = None

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> str:
        try:
            chosen: str = super().convert(value, param, ctx)
        except click.BadParameter:
            lang = get_env(ctx).lang if ctx is not None else "en"
            if lang != "ja":
                raise
            hint = f"'{param.opts[-1]}'" if param is not None and param.opts else "value"
            choices = ", ".join(self._shown(str(c), lang) for c in self.choices)
            wording = messages.text("bad_choice", lang, value=value, choices=choices)
            raise BadUsage(messages.text("invalid_value", lang, param=hint, message=wording), lang, ctx) from None
        return chosen

    def _shown(self, value: str, lang: str) -> str:
        if self.label_prefix is None:
            return value
        from antai.labels import label

        return f"{value}（{label(self.label_prefix + value, lang)}）"


class EnumChoice(Choice):
    """The values of a StrEnum of the core, named by ``module:Class`` and imported only when the option
    is parsed or its help is shown, so that loading a command module stays cheap."""

    def __init__(self, enum_path: str, exclude: Iterable[str] = (), label_prefix: str | None = None) -> None:
        self._path = enum_path
        self.label_prefix = label_prefix
        self._exclude = frozenset(exclude)
        self._values: tuple[str, ...] | None = None
        self.case_sensitive = True  # Choice.__init__ is not called: it would read the values now

    @property
    def choices(self) -> tuple[str, ...]:
        if self._values is None:
            module, _, name = self._path.partition(":")
            enum = getattr(importlib.import_module(module), name)
            self._values = tuple(member.value for member in enum if member.value not in self._exclude)
        return self._values

    @choices.setter
    def choices(self, values: Iterable[str]) -> None:
        self._values = tuple(values)


def enum_values(enum_path: str, exclude: Iterable[str] = ()) -> tuple[str, ...]:
    return EnumChoice(enum_path, exclude).choices


def _set_lang(ctx: click.Context, _: click.Parameter, value: str | None) -> str:
    env = get_env(ctx)
    if value is not None:
        env.lang = "en" if value == "en" else "ja"
    return env.lang


def lang_option(func: F) -> F:
    """--lang on a command; without it the command follows `antai --lang`, then $ANTAI_LANG, then ja.
    Eager, so that errors about the other options are already worded in the chosen language."""
    return click.option(
        "--lang",
        type=click.Choice(LANGS),
        default=None,
        is_eager=True,
        callback=_set_lang,
        help="Language of the output (default: antai --lang, $ANTAI_LANG, or ja).",
    )(func)


def workspace_option(func: F) -> F:
    return click.option(
        "-C",
        "--workspace",
        "workspace_dir",
        type=click.Path(file_okay=False, path_type=Path),
        default=Path("."),
        show_default=True,
        help="The workspace folder.",
    )(func)


def output_option(func: F) -> F:
    return click.option(
        "-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="Write to FILE (- for stdout)."
    )(func)


def format_option(*choices: str, default: str | None = None) -> Callable[[F], F]:
    def decorate(func: F) -> F:
        return click.option("--format", "fmt", type=Choice(choices), default=default or choices[0], show_default=True)(
            func
        )

    return decorate


def read_profile(path: Path, lang: str) -> Profile:
    """The profile in a file (or example:NAME); a missing file exits 2, an invalid one 1."""
    from antai.catalog import SourceError
    from antai.tailoring.profile import example_names, load_profile, resolve_profile_path

    if not resolve_profile_path(path).is_file():
        hint = messages.text("examples", lang, names=", ".join("example:" + n for n in example_names()))
        raise Unknown(messages.text("no_profile", lang, path=path, hint=hint), lang)
    try:
        return load_profile(path)
    except SourceError as exc:
        raise source_problems(
            exc, messages.text("profile_problems", lang, path=path, count=len(exc.problems)), lang
        ) from None


def apply_sets(profile: Profile, sets: Iterable[str], lang: str) -> Profile:
    """``key=value`` / ``key+=value`` / ``key-=value`` from --set applied to ``profile``; errors exit 2."""
    from antai.tailoring.questionnaire import AnswerError, apply_assignments

    try:
        return apply_assignments(profile, list(sets))
    except AnswerError as exc:
        raise BadUsage(messages.text("set_option", lang, message=exc), lang) from None


def trusted_key(value: str) -> Any:
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


def document_options(func: F) -> F:
    """--scope, --assessor and --classification: the document-control block of a bank report."""
    func = click.option(
        "--classification",
        type=Choice(["confidential", "strictly_confidential", "internal"]),
        default="confidential",
        show_default=True,
        help="Confidentiality label on every page: confidential (社外秘・提出先限り), strictly_confidential (極秘), "
        "internal (社内限り).",
    )(func)
    func = click.option(
        "--assessor", metavar="NAME", help="Who made the self-assessment (default: the named security owner)."
    )(func)
    return click.option(
        "--scope", metavar="TEXT", help="What the document covers (e.g. 参照系 API の接続申請); on the cover."
    )(func)
