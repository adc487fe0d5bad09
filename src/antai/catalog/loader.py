"""Load and validate catalog content: the built-in guideline and users' extension folders.

Every problem is reported with its file, line and column; loading stops only after the whole
catalog has been checked, so one run shows every mistake.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from antai.catalog import cache, references
from antai.catalog.model import Catalog
from antai.catalog.schema import CatalogMeta, ConceptTopic, Item
from antai.catalog.yamlsource import Problem, SourceError, YamlDocument, load_yaml

BUILTIN_DIR = Path(__file__).parent / "content"
CATALOG_FILE = "catalog.yaml"
ITEMS_DIR = "items"
CONCEPTS_DIR = "concepts"


def _model_fields(model: type[BaseModel], seen: set[type[BaseModel]] | None = None) -> set[str]:
    """All field names of a model and the models it contains (for 'did you mean' suggestions)."""
    seen = seen if seen is not None else set()
    if model in seen:
        return set()
    seen.add(model)
    names = set(model.model_fields)
    for info in model.model_fields.values():
        for sub in _nested_models(info.annotation):
            names |= _model_fields(sub, seen)
    return names


def _nested_models(annotation: Any) -> Iterable[type[BaseModel]]:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        yield annotation
    for arg in getattr(annotation, "__args__", ()) or ():
        yield from _nested_models(arg)
    origin = getattr(annotation, "__origin__", None)
    if origin is not None and origin is not annotation:
        yield from _nested_models(origin)


def _display(path: Path, root: Path) -> str:
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def _validation_problems(doc: YamlDocument, error: ValidationError, known: Sequence[str]) -> list[Problem]:
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
        problems.append(doc.problem(loc, message))
    return problems


def _shown_path(doc: YamlDocument, loc: Sequence[str | int]) -> str:
    """The loc as the user wrote it (``applicability.when.any[0].channels``), without pydantic's tags."""
    import yaml

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


class _Loaded:
    """What one folder contributed, before the cross-file checks."""

    def __init__(self) -> None:
        self.meta: tuple[YamlDocument, CatalogMeta] | None = None
        self.items: list[tuple[YamlDocument, Item]] = []
        self.concepts: list[tuple[YamlDocument, ConceptTopic]] = []
        self.problems: list[Problem] = []


def _read_model(
    doc_path: Path, root: Path, model: type[BaseModel], known: Sequence[str], out: _Loaded
) -> tuple[YamlDocument, Any] | None:
    try:
        doc = load_yaml(doc_path, _display(doc_path, root))
    except SourceError as exc:
        out.problems.extend(exc.problems)
        return None
    if not isinstance(doc.data, dict):
        out.problems.append(doc.problem([], f"expected a mapping of fields, found {type(doc.data).__name__}"))
        return None
    try:
        return doc, model.model_validate(doc.data)
    except ValidationError as exc:
        out.problems.extend(_validation_problems(doc, exc, known))
        return None


def _read_folder(root: Path, *, require_meta: bool) -> _Loaded:
    out = _Loaded()
    known = sorted(_model_fields(Item) | _model_fields(CatalogMeta) | _model_fields(ConceptTopic))
    if not root.is_dir():
        out.problems.append(Problem(str(root), 1, 1, "not a folder"))
        return out
    meta_path = root / CATALOG_FILE
    if meta_path.is_file():
        read = _read_model(meta_path, root, CatalogMeta, known, out)
        if read:
            out.meta = read
    elif require_meta:
        out.problems.append(
            Problem(_display(meta_path, root), 1, 1, "missing: the catalog needs catalog.yaml")
        )
    for path in sorted((root / ITEMS_DIR).rglob("*.y*ml")):
        read = _read_model(path, root, Item, known, out)
        if read:
            out.items.append(read)
    for path in sorted((root / CONCEPTS_DIR).glob("*.y*ml")):
        read = _read_model(path, root, ConceptTopic, known, out)
        if read:
            out.concepts.append(read)
    if not out.items and not out.concepts and out.meta is None and not out.problems:
        out.problems.append(
            Problem(str(root), 1, 1, "no catalog content found (expected catalog.yaml, items/ or concepts/)")
        )
    return out


def _check_items(
    meta: CatalogMeta,
    items: list[tuple[YamlDocument, Item]],
    taken: dict[str, str],
    known_technotes: set[str],
    known_checks: set[str],
) -> list[Problem]:
    """Cross-file rules: unique IDs, real chapters and sections, real FISC and external references."""
    problems: list[Problem] = []
    chapters = {c.number: c for c in meta.chapters}
    fisc = references.fisc_index()
    for doc, item in items:
        if item.id in taken:
            problems.append(doc.problem(["id"], f"ID {item.id} is already used by {taken[item.id]}"))
        else:
            taken[item.id] = doc.display
        if doc.path.stem != item.id:
            problems.append(doc.problem(["id"], f"the file must be named {item.id}{doc.path.suffix}"))
        chapter = chapters.get(item.chapter)
        if chapter is None:
            problems.append(doc.problem(["chapter"], f"chapter {item.chapter} does not exist"))
        elif item.section not in {s.id for s in chapter.sections}:
            choices = ", ".join(s.id for s in chapter.sections)
            problems.append(
                doc.problem(
                    ["section"], f"chapter {item.chapter} has no section '{item.section}' ({choices})"
                )
            )
        for n, fisc_id in enumerate(item.fisc):
            entry = fisc.get(fisc_id)
            if entry is None:
                problems.append(doc.problem(["fisc", n], f"'{fisc_id}' is not a FISC item ID of the index"))
            elif entry.status == "vacant":
                problems.append(doc.problem(["fisc", n], f"FISC {fisc_id} is a vacant (unused) number"))
        for n, ref in enumerate(item.references):
            why = references.check_reference(ref.kind.value, ref.id)
            if why:
                problems.append(doc.problem(["references", n, "id"], why))
        for n, note in enumerate(item.technotes):
            if note not in known_technotes:
                problems.append(doc.problem(["technotes", n], f"unknown new-technology note '{note}'"))
        for n, check in enumerate(item.checks):
            if check not in known_checks:
                problems.append(doc.problem(["checks", n], f"unknown automated check '{check}'"))
    return problems


def _check_concepts(concepts: list[tuple[YamlDocument, ConceptTopic]], taken: set[str]) -> list[Problem]:
    problems = []
    for doc, topic in concepts:
        if topic.id in taken:
            problems.append(doc.problem(["id"], f"concept topic '{topic.id}' is defined twice"))
        taken.add(topic.id)
    return problems


def _section_order(meta: CatalogMeta) -> dict[tuple[int, str], int]:
    order = {}
    for chapter in meta.chapters:
        for n, section in enumerate(chapter.sections):
            order[(chapter.number, section.id)] = n
    return order


def _id_key(item_id: str) -> tuple[str, int]:
    prefix, _, number = item_id.partition("-")
    return prefix, int(number)


def load_catalog(
    extensions: Iterable[Path] = (), builtin: Path = BUILTIN_DIR, *, use_cache: bool = True
) -> Catalog:
    """Load the built-in catalog plus extension folders; raise :class:`SourceError` listing every problem.

    An extension can add items and concept topics but never replace a built-in one: a clash is an error.
    A catalog that validated before and has not changed since is read from the cache (see ``cache``).
    """
    extensions = [Path(p) for p in extensions]
    key = cache.fingerprint([builtin, *extensions]) if use_cache else None
    if key is not None:
        cached = cache.read(key)
        if cached is not None:
            try:
                return _from_cache(cached)
            except (ValidationError, KeyError, TypeError):
                pass  # an old or damaged cache: load from source and overwrite it
    catalog = _load_sources(extensions, builtin)
    if key is not None:
        cache.write(key, _to_cache(catalog))
    return catalog


def _to_cache(catalog: Catalog) -> dict[str, Any]:
    return {
        "meta": catalog.meta.model_dump(mode="json"),
        "items": [i.model_dump(mode="json", exclude_none=True) for i in catalog.items],
        "concepts": [c.model_dump(mode="json") for c in catalog.concepts],
        "sources": {k: str(v) for k, v in catalog.sources.items()},
    }


def _from_cache(data: dict[str, Any]) -> Catalog:
    return Catalog(
        meta=CatalogMeta.model_validate(data["meta"]),
        items=tuple(Item.model_validate(i) for i in data["items"]),
        concepts=tuple(ConceptTopic.model_validate(c) for c in data["concepts"]),
        sources={k: Path(v) for k, v in data["sources"].items()},
    )


def _load_sources(extensions: list[Path], builtin: Path) -> Catalog:
    base = _read_folder(builtin, require_meta=True)
    problems = list(base.problems)
    extra = [_read_folder(p, require_meta=False) for p in extensions]
    for ext in extra:
        problems.extend(ext.problems)
        if ext.meta is not None:
            doc, _ = ext.meta
            problems.append(doc.problem([], "an extension folder cannot replace the built-in catalog.yaml"))
    if base.meta is None:
        raise SourceError(problems)
    _, meta = base.meta
    taken: dict[str, str] = {}
    all_items = base.items + [pair for ext in extra for pair in ext.items]
    all_concepts = base.concepts + [pair for ext in extra for pair in ext.concepts]
    problems += _check_items(meta, all_items, taken, known_technotes=set(), known_checks=set())
    problems += _check_concepts(all_concepts, set())
    if problems:
        raise SourceError(problems)
    order = _section_order(meta)
    ordered = sorted(
        all_items, key=lambda p: (p[1].chapter, order[(p[1].chapter, p[1].section)], _id_key(p[1].id))
    )
    concepts = sorted((c for _, c in all_concepts), key=lambda c: (c.order, c.id))
    return Catalog(
        meta=meta,
        items=tuple(item for _, item in ordered),
        concepts=tuple(concepts),
        sources={item.id: doc.path for doc, item in ordered},
    )


def validate_folder(folder: Path | None = None) -> list[Problem]:
    """Every problem in the built-in catalog (no folder), a full catalog copy, or an extension folder."""
    try:
        if folder is None:
            load_catalog(use_cache=False)
        elif (folder / CATALOG_FILE).is_file():
            load_catalog(builtin=folder, use_cache=False)
        else:
            load_catalog(extensions=[folder], use_cache=False)
    except SourceError as exc:
        return exc.problems
    return []
