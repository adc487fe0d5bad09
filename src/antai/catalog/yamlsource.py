"""YAML files that remember where each value came from, so every error can name file:line:column."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

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

    def problem(self, loc: Iterable[str | int], message: str) -> Problem:
        line, column = self.position(loc)
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
