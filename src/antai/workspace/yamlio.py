"""Writing workspace YAML: a fast canonical form, or a round trip that keeps a person's comments.

A file antai wrote and nobody touched is rewritten in its canonical form (fast, and diffs stay small
because entries keep their order). A file someone edited by hand — a comment, a blank line, another
layout — is updated in place through ruamel.yaml's round-trip mode, so the next `antai set` keeps what
they wrote. The round-trip result is read back and compared with the intended data; if it differs in any
value, the canonical form is written instead (correct data wins over layout).
"""

from __future__ import annotations

import datetime as dt
import io
from enum import Enum
from typing import Any

import yaml

try:  # libyaml's emitter is much faster; the pure-Python one gives the same text
    _Base: type[yaml.SafeDumper] = yaml.CSafeDumper  # type: ignore[assignment]
except AttributeError:  # pragma: no cover - depends on how PyYAML was built
    _Base = yaml.SafeDumper


class _Dumper(_Base):  # type: ignore[valid-type,misc]
    """Never anchors and aliases: antai's readers refuse them, and records sharing one date object (the
    records of one scan) must still each spell it out."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


def plain(value: Any) -> Any:
    """Model dumps to what YAML writes: enums as their values, dates as YAML dates, times as ISO text."""
    if isinstance(value, dict):
        return {plain(k): plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, dt.datetime):
        return value.isoformat()
    return value


def canonical_text(header: str, data: Any) -> str:
    body = yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, default_flow_style=False, width=100)
    return header + body


def _same(a: Any, b: Any) -> bool:
    """Equal as data, where a date and its ISO text count as the same value."""
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, dt.datetime | dt.date) or isinstance(b, dt.datetime | dt.date):
        return str(a).replace(" ", "T") == str(b).replace(" ", "T")
    if isinstance(a, bool) or isinstance(b, bool):
        return a is b
    if isinstance(a, int | float) and isinstance(b, int | float):
        return a == b
    if isinstance(a, str) and isinstance(b, str):  # ruamel keeps quoting in str subclasses
        return str(a) == str(b)
    return type(a) is type(b) and bool(a == b)


def _merge(node: Any, new: Any) -> Any:
    """``new`` written into the round-trip ``node``, keeping keys' comments and order where they stay."""
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    if isinstance(new, dict) and isinstance(node, CommentedMap):
        for key in [k for k in node if k not in new]:
            del node[key]
        position = -1
        for key, value in new.items():
            if key in node:
                node[key] = _merge(node[key], value)
                position = list(node.keys()).index(key)
            else:
                position += 1
                node.insert(position, key, _fresh(value))
        return node
    if isinstance(new, list) and isinstance(node, CommentedSeq):
        for index, value in enumerate(new):
            if index < len(node):
                node[index] = _merge(node[index], value)
            else:
                node.append(_fresh(value))
        del node[len(new) :]
        return node
    if _same(node, new):
        return node  # keeps the person's spelling of an equal value (a quoted string, say)
    return _fresh(new)


def _fresh(value: Any) -> Any:
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    if isinstance(value, dict):
        mapping = CommentedMap()
        for k, v in value.items():
            mapping[k] = _fresh(v)
        return mapping
    if isinstance(value, list):
        return CommentedSeq([_fresh(v) for v in value])
    return value


def roundtrip_text(old_text: str, new_data: Any) -> str | None:
    """``old_text`` updated to hold ``new_data`` with its comments and layout, or None when that cannot
    be done faithfully (the caller then writes the canonical form)."""
    from ruamel.yaml import YAML
    from ruamel.yaml.error import YAMLError

    rt = YAML(typ="rt")
    rt.width = 100
    rt.allow_unicode = True
    rt.preserve_quotes = True
    try:
        tree = rt.load(old_text)
        if tree is None:
            return None
        tree = _merge(tree, new_data)
        out = io.StringIO()
        rt.dump(tree, out)
    except (YAMLError, ValueError, TypeError, AttributeError, RecursionError):
        return None
    text = out.getvalue()
    from antai.catalog.yamlsource import SourceError, load_yaml_text

    try:  # read back exactly as the readers will, so a kept layout can never become unreadable
        back = load_yaml_text(text, "round trip").data
    except SourceError:
        return None
    return text if _same(back, new_data) else None
