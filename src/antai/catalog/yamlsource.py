"""YAML files that remember where each value came from, so every error can name file:line:column."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

try:  # libyaml is much faster; fall back to the pure-Python parser where it is missing
    _Loader: type[yaml.SafeLoader] = yaml.CSafeLoader  # type: ignore[assignment]
except AttributeError:  # pragma: no cover - depends on how PyYAML was built
    _Loader = yaml.SafeLoader


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with a file, printed as ``file:line:column: message`` (1-based)."""

    file: str
    line: int
    column: int
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}: {self.message}"


class SourceError(Exception):
    """Raised with every problem found; ``str()`` lists them one per line."""

    def __init__(self, problems: Sequence[Problem]):
        self.problems = sorted(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


@dataclass(frozen=True)
class YamlDocument:
    """A parsed YAML file: its plain data and the node tree that knows positions."""

    path: Path
    display: str
    data: Any
    node: yaml.Node

    def position(self, loc: Iterable[str | int]) -> tuple[int, int]:
        """The 1-based line and column of the value at ``loc``, or of its nearest existing parent.

        ``loc`` may contain steps that are not in the file (pydantic's union tags, a missing field):
        those are skipped, so a missing field points at the mapping that lacks it.
        """
        node = self.node
        for step in loc:
            child = _child(node, step)
            if child is not None:
                node = child
        return node.start_mark.line + 1, node.start_mark.column + 1

    def key_position(self, loc: Sequence[str | int]) -> tuple[int, int]:
        """Where the key of the last step of ``loc`` is written (for 'unknown field' messages)."""
        *parent, last = loc
        node = self.node
        for step in parent:
            child = _child(node, step)
            if child is not None:
                node = child
        if isinstance(node, yaml.MappingNode):
            for key, _ in node.value:
                if isinstance(key, yaml.ScalarNode) and key.value == last:
                    return key.start_mark.line + 1, key.start_mark.column + 1
        return self.position(loc)

    def problem(self, loc: Iterable[str | int], message: str, at_key: bool = False) -> Problem:
        line, column = self.key_position(list(loc)) if at_key else self.position(loc)
        return Problem(self.display, line, column, message)


def _child(node: yaml.Node, step: str | int) -> yaml.Node | None:
    if isinstance(node, yaml.MappingNode) and isinstance(step, str):
        for key, value in node.value:
            if isinstance(key, yaml.ScalarNode) and key.value == step:
                found: yaml.Node = value
                return found
    if isinstance(node, yaml.SequenceNode) and isinstance(step, int) and 0 <= step < len(node.value):
        child: yaml.Node = node.value[step]
        return child
    return None


def _duplicate_keys(node: yaml.Node, display: str) -> list[Problem]:
    """PyYAML silently keeps the last of two equal keys; a reviewer would never notice, so we refuse."""
    problems: list[Problem] = []
    stack = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, yaml.MappingNode):
            seen: dict[str, int] = {}
            for key, value in current.value:
                if isinstance(key, yaml.ScalarNode):
                    if key.value in seen:
                        problems.append(
                            Problem(
                                display,
                                key.start_mark.line + 1,
                                key.start_mark.column + 1,
                                f"duplicate key '{key.value}' (first on line {seen[key.value]})",
                            )
                        )
                    else:
                        seen[key.value] = key.start_mark.line + 1
                stack.append(value)
        elif isinstance(current, yaml.SequenceNode):
            stack.extend(current.value)
    return problems


def load_yaml(path: Path, display: str | None = None) -> YamlDocument:
    """Parse one YAML file; raise :class:`SourceError` with line-precise problems if it is not usable."""
    shown = display or str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise SourceError([Problem(shown, 1, 1, f"not UTF-8 text ({exc.reason})")]) from None
    except OSError as exc:
        raise SourceError([Problem(shown, 1, 1, f"cannot read: {exc.strerror}")]) from None
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            raise SourceError([Problem(shown, 1, 1, "the file is empty")])
        problems = _duplicate_keys(node, shown)
        if problems:
            raise SourceError(problems)
        data = loader.construct_document(node)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        what = " ".join(part for part in (exc.context, exc.problem) if part)
        raise SourceError([Problem(shown, line, column, f"invalid YAML: {what}")]) from None
    except yaml.YAMLError as exc:
        raise SourceError([Problem(shown, 1, 1, f"invalid YAML: {exc}")]) from None
    finally:
        loader.dispose()
    return YamlDocument(path, shown, data, node)


def model_fields(model: type[BaseModel], seen: set[type[BaseModel]] | None = None) -> set[str]:
    """All field names of a model and the models it contains (for 'did you mean' suggestions)."""
    seen = seen if seen is not None else set()
    if model in seen:
        return set()
    seen.add(model)
    names = set(model.model_fields)
    for info in model.model_fields.values():
        for sub in _nested_models(info.annotation):
            names |= model_fields(sub, seen)
    return names


def _nested_models(annotation: Any) -> Iterable[type[BaseModel]]:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        yield annotation
    for arg in getattr(annotation, "__args__", ()) or ():
        yield from _nested_models(arg)
    origin = getattr(annotation, "__origin__", None)
    if origin is not None and origin is not annotation:
        yield from _nested_models(origin)


def validation_problems(doc: YamlDocument, error: ValidationError, known: Sequence[str]) -> list[Problem]:
    problems = []
    for err in error.errors(include_url=False):
        loc = err["loc"]
        shown = _shown_path(doc, loc)
        kind = err["type"]
        if kind == "missing":
            message = f"missing required field '{loc[-1]}'"
            if shown:
                message += f" in '{shown}'"
        elif kind == "extra_forbidden":
            name = str(loc[-1])
            message = f"unknown field '{name}'"
            close = difflib.get_close_matches(name, known, n=1, cutoff=0.7)
            if close:
                message += f" (did you mean '{close[0]}'?)"
        else:
            text = err["msg"]
            text = re.sub(r"^Value error, ", "", text)
            message = f"{shown}: {text}" if shown else text
        problems.append(doc.problem(loc, message, at_key=kind == "extra_forbidden"))
    return problems


def _shown_path(doc: YamlDocument, loc: Sequence[str | int]) -> str:
    """The loc as the user wrote it (``applicability.when.any[0].channels``), without pydantic's tags."""
    node: yaml.Node = doc.node
    parts: list[str] = []
    for step in loc:
        child = None
        if isinstance(node, yaml.MappingNode) and isinstance(step, str):
            child = next((v for k, v in node.value if getattr(k, "value", None) == step), None)
            if child is not None:
                parts.append(("." if parts else "") + step)
        elif isinstance(node, yaml.SequenceNode) and isinstance(step, int) and step < len(node.value):
            child = node.value[step]
            parts.append(f"[{step}]")
        if child is not None:
            node = child
    return "".join(parts)


M = TypeVar("M", bound=BaseModel)


def load_model(path: Path, model: type[M], display: str | None = None) -> M:
    """Parse ``path`` as one ``model``; raise :class:`SourceError` with line-precise problems otherwise."""
    doc = load_yaml(path, display)
    if not isinstance(doc.data, dict):
        raise SourceError([doc.problem([], f"expected a mapping of fields, found {type(doc.data).__name__}")])
    try:
        return model.model_validate(doc.data)
    except ValidationError as exc:
        raise SourceError(validation_problems(doc, exc, sorted(model_fields(model)))) from None
