"""Questions in a plain terminal (works over SSH): the service questionnaire, shared by `profile new` and
`init`. A wrong answer is explained in the run's language and asked again, never skipped."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

import click

from antai import messages

if TYPE_CHECKING:
    from antai.tailoring.questionnaire import Question


def read(prompt: str, default: str | None = None, show_default: bool = True) -> str:
    """One line of input. Ctrl-C stays a KeyboardInterrupt (click makes it an Abort, as it does EOF), so
    that callers can keep what was answered before exiting 130."""
    try:
        value: str = click.prompt(prompt, default=default, show_default=show_default, type=str)
    except click.Abort as exc:
        if isinstance(exc.__context__, KeyboardInterrupt):
            raise KeyboardInterrupt from None
        raise
    return value


def complain(text: str) -> None:
    click.secho(f"  {text}", fg="red")


_YES = ("y", "yes", "はい", "true", "1")
_NO = ("n", "no", "いいえ", "false", "0")


def ask_yes_no(default: bool, lang: str) -> bool:
    while True:
        raw = read(f"  ({messages.text('yes_no', lang)})", default="y" if default else "n").strip().lower()
        if raw in _YES:
            return True
        if raw in _NO:
            return False
        complain(messages.text("ask_yes_no", lang))


def parse_count(raw: str) -> int | None:
    """A whole number as people type it: 50000, 50,000, 5 万, 1.5万."""
    text = re.sub(r"[\s,_，]", "", raw)
    scale = 1
    if text.endswith("万"):
        text, scale = text[:-1], 10_000
    try:
        number = float(text) * scale if "." in text else int(text) * scale
    except ValueError:
        return None
    return int(number) if float(number).is_integer() else None


def ask_count(default: int | None, minimum: int, lang: str) -> int:
    while True:
        raw = read("  ", default=str(default) if default is not None else None)
        number = parse_count(raw)
        if number is None:
            complain(messages.text("ask_number", lang))
        elif number < minimum:
            complain(messages.text("ask_at_least", lang, minimum=minimum))
        else:
            return number


def ask_many(question: Question, default: list[str] | None, lang: str) -> list[str]:
    from antai.tailoring.questionnaire import AnswerError, choice_label, coerce

    for n, choice in enumerate(question.choices, start=1):
        click.echo(f"  {n:>2}. {choice:<18} {choice_label(choice, lang)}")
    shown = ",".join(default or [])
    while True:
        raw = read(f"  {messages.text('ask_multi', lang)}", default=shown or "-")
        if raw.strip() == "-":
            return []
        parts = [p.strip() for p in raw.replace(" ", ",").replace("、", ",").split(",") if p.strip()]
        values = [
            question.choices[int(p) - 1] if p.isdigit() and 0 < int(p) <= len(question.choices) else p for p in parts
        ]
        wrong = [v for v in values if v not in question.choices]
        if wrong:
            complain(
                messages.text(
                    "ask_unknown_values",
                    lang,
                    key=question.key,
                    values=", ".join(wrong),
                    choices=", ".join(question.choices),
                )
            )
            continue
        try:
            chosen: list[str] = coerce(question.key, ",".join(values))
        except AnswerError as exc:
            complain(str(exc))
            continue
        return chosen


def ask(question: Question, default: Any, lang: str) -> Any:
    """One question of the questionnaire, asked until the answer is valid."""
    click.echo("")
    click.secho(question.text(lang), bold=True)
    click.echo(f"  {question.help(lang)}")
    if question.kind == "multi":
        return ask_many(question, default, lang)
    if question.kind == "bool":
        return ask_yes_no(bool(default), lang)
    if question.kind == "int":
        number = ask_count(default, 0 if question.key in ("users", "monthly_transactions") else 1, lang)
        while question.key == "security_share" and number > 100:
            complain(messages.text("ask_percent", lang))
            number = ask_count(default, 1, lang)
        return number
    answer = read("  ", default=default or "", show_default=bool(default))
    return answer or None


def questionnaire(data: dict[str, Any], lang: str) -> dict[str, Any]:
    """Ask every question, writing each answer into ``data`` as soon as it is given, so that a caller who
    catches Ctrl-C still has the answers so far."""
    from antai.tailoring.profile import Profile, default_engineers
    from antai.tailoring.questionnaire import QUESTIONS

    for question in QUESTIONS:
        default = data.get(question.key)
        if question.key == "engineers" and default is None:
            default = default_engineers(int(data.get("staff") or 1))
        elif default is None and question.key in ("security_share", "customer_accounts"):
            default = Profile.model_fields[question.key].default  # the profile's own default, offered
        data[question.key] = ask(question, default, lang)
    return data
