"""Load and validate catalog content: the built-in guideline and users' extension folders.

Every problem is reported with its file, line and column; loading stops only after the whole
catalog has been checked, so one run shows every mistake.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from antai.catalog import cache, references
from antai.catalog.model import Catalog, FiscMatrix, ItemRule, LazyItems
from antai.catalog.schema import (
    CatalogMeta,
    Changelog,
    ConceptTopic,
    FiscEntry,
    FiscHandling,
    FiscIndexMeta,
    FiscMatrixFile,
    IdRegistry,
    Item,
    TechNote,
)
from antai.catalog.yamlsource import (
    Problem,
    SourceError,
    YamlDocument,
    load_yaml,
    model_fields,
    validation_problems,
)

BUILTIN_DIR = Path(__file__).parent / "content"
CATALOG_FILE = "catalog.yaml"
ITEMS_DIR = "items"
CONCEPTS_DIR = "concepts"
TECHNOTES_DIR = "technotes"
FISC_DIR = "fisc"
FISC_INDEX_FILE = "index.yaml"
CHANGELOG_FILE = "changelog.yaml"
ID_REGISTRY_FILE = "ids.yaml"


def _display(path: Path, root: Path) -> str:
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)


class _Loaded:
    """What one folder contributed, before the cross-file checks."""

    def __init__(self) -> None:
        self.meta: tuple[YamlDocument, CatalogMeta] | None = None
        self.items: list[tuple[YamlDocument, Item]] = []
        self.concepts: list[tuple[YamlDocument, ConceptTopic]] = []
        self.technotes: list[tuple[YamlDocument, TechNote]] = []
        self.fisc_meta: tuple[YamlDocument, FiscIndexMeta] | None = None
        self.fisc_rows: list[tuple[YamlDocument, int, FiscEntry]] = []
        self.changelog: tuple[YamlDocument, Changelog] | None = None
        self.registry: tuple[YamlDocument, IdRegistry] | None = None
        self.declared_ids: set[str] = set()  # IDs of item files that failed validation (no knock-on errors)
        self.problems: list[Problem] = []


def _read_model(
    doc_path: Path, root: Path, model: type[BaseModel], known: Sequence[str], out: _Loaded
) -> tuple[YamlDocument, Any] | None:
    try:
        doc = load_yaml(doc_path, _display(doc_path, root))
    except SourceError as exc:
        out.problems.extend(exc.problems)
        if model is Item:  # items are named by their ID: keep others' references to it quiet
            out.declared_ids.add(doc_path.stem)
        return None
    if not isinstance(doc.data, dict):
        out.problems.append(doc.problem([], f"expected a mapping of fields, found {type(doc.data).__name__}"))
        return None
    try:
        return doc, model.model_validate(doc.data)
    except ValidationError as exc:
        out.problems.extend(validation_problems(doc, exc, known))
        if model is Item:
            out.declared_ids.add(doc_path.stem)
        return None


def _read_folder(root: Path, *, require_meta: bool) -> _Loaded:
    out = _Loaded()
    known = sorted(
        set().union(
            *(model_fields(m) for m in (Item, CatalogMeta, ConceptTopic, TechNote, FiscMatrixFile, FiscIndexMeta))
        )
    )
    if not root.is_dir():
        out.problems.append(Problem(str(root), 1, 1, "not a folder"))
        return out
    meta_path = root / CATALOG_FILE
    if meta_path.is_file():
        read = _read_model(meta_path, root, CatalogMeta, known, out)
        if read:
            out.meta = read
    elif require_meta:
        out.problems.append(Problem(_display(meta_path, root), 1, 1, "missing: the catalog needs catalog.yaml"))
    if (root / CHANGELOG_FILE).is_file():
        out.changelog = _read_model(root / CHANGELOG_FILE, root, Changelog, known, out)
    if (root / ID_REGISTRY_FILE).is_file():
        out.registry = _read_model(root / ID_REGISTRY_FILE, root, IdRegistry, known, out)
    for path in sorted((root / ITEMS_DIR).rglob("*.y*ml")):
        read = _read_model(path, root, Item, known, out)
        if read:
            out.items.append(read)
    for path in sorted((root / CONCEPTS_DIR).glob("*.y*ml")):
        read = _read_model(path, root, ConceptTopic, known, out)
        if read:
            out.concepts.append(read)
    for path in sorted((root / TECHNOTES_DIR).glob("*.y*ml")):
        read = _read_model(path, root, TechNote, known, out)
        if read:
            out.technotes.append(read)
    fisc_dir = root / FISC_DIR
    if fisc_dir.is_dir():
        index = _read_model(fisc_dir / FISC_INDEX_FILE, root, FiscIndexMeta, known, out)
        if index:
            out.fisc_meta = index
        for path in sorted(fisc_dir.glob("*.y*ml")):
            if path.name == FISC_INDEX_FILE:
                continue
            rows = _read_model(path, root, FiscMatrixFile, known, out)
            if rows:
                doc, matrix = rows
                out.fisc_rows.extend((doc, n, entry) for n, entry in enumerate(matrix.entries))
    if not out.items and not out.concepts and not out.technotes and out.meta is None and not out.problems:
        out.problems.append(
            Problem(
                str(root),
                1,
                1,
                "no catalog content found (expected catalog.yaml, items/, concepts/ or technotes/)",
            )
        )
    return out


def _check_dependencies(items: list[tuple[YamlDocument, Item]]) -> list[Problem]:
    """Every dependency names an item of the catalog, and no item depends on itself through others."""
    problems: list[Problem] = []
    known = {item.id: item.depends_on for _, item in items}
    for doc, item in items:
        for n, other in enumerate(item.depends_on):
            if other not in known:
                problems.append(doc.problem(["depends_on", n], f"'{other}' is not an item of the catalog"))
    from graphlib import CycleError, TopologicalSorter

    graph = {item_id: [d for d in deps if d in known] for item_id, deps in known.items()}
    try:
        TopologicalSorter(graph).prepare()
    except CycleError as exc:
        cycle = [str(i) for i in exc.args[1]]
        docs = {item.id: doc for doc, item in items}
        problems.append(
            docs[cycle[0]].problem(["depends_on"], f"dependencies form a cycle: {' → '.join(reversed(cycle))}")
        )
    return problems


def _check_items(
    meta: CatalogMeta,
    items: list[tuple[YamlDocument, Item]],
    taken: dict[str, str],
    known_technotes: set[str],
    known_checks: set[str],
    fisc_untitled: frozenset[str] = frozenset(),
) -> list[Problem]:
    """Cross-file rules: unique IDs, real chapters and sections, real FISC and external references.

    ``fisc_untitled`` holds the FISC IDs whose topic the index does not identify (matrix rows without a
    topic): an item may cite them only under ``fisc_unverified``."""
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
                doc.problem(["section"], f"chapter {item.chapter} has no section '{item.section}' ({choices})")
            )
        for n, fisc_id in enumerate(item.fisc):
            entry = fisc.get(fisc_id)
            if entry is None:
                problems.append(doc.problem(["fisc", n], f"'{fisc_id}' is not a FISC item ID of the index"))
            elif entry.status == "vacant":
                problems.append(doc.problem(["fisc", n], f"FISC {fisc_id} is a vacant (unused) number"))
            elif fisc_id in fisc_untitled:
                problems.append(
                    doc.problem(
                        ["fisc", n],
                        f"the index does not identify the topic of FISC {fisc_id}: "
                        "cite it under 'fisc_unverified' or drop it",
                    )
                )
        for n, fisc_id in enumerate(item.fisc_unverified):
            entry = fisc.get(fisc_id)
            if entry is None:
                problems.append(doc.problem(["fisc_unverified", n], f"'{fisc_id}' is not a FISC item ID of the index"))
            elif entry.status == "vacant":
                problems.append(doc.problem(["fisc_unverified", n], f"FISC {fisc_id} is a vacant (unused) number"))
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


def _check_technotes(
    technotes: list[tuple[YamlDocument, TechNote]], item_ids: set[str], taken: set[str]
) -> list[Problem]:
    problems: list[Problem] = []
    fisc = references.fisc_index()
    for doc, note in technotes:
        if note.id in taken:
            problems.append(doc.problem(["id"], f"new-technology note '{note.id}' is defined twice"))
        taken.add(note.id)
        if doc.path.stem != note.id:
            problems.append(doc.problem(["id"], f"the file must be named {note.id}{doc.path.suffix}"))
        for n, link in enumerate(note.satisfies):
            if link.item not in item_ids:
                problems.append(doc.problem(["satisfies", n, "item"], f"no item {link.item}"))
        for n, fisc_id in enumerate(note.fisc):
            if fisc_id not in fisc:
                problems.append(doc.problem(["fisc", n], f"'{fisc_id}' is not a FISC item ID of the index"))
    return problems


def _check_fisc(
    rows: list[tuple[YamlDocument, int, FiscEntry]], item_ids: set[str], mandatory: set[str] | None = None
) -> list[Problem]:
    """Rows name real IDs once each, vacant numbers are marked so, named items exist, and every included
    (○) row names at least one mandatory item (``mandatory``: the IDs of the mandatory items)."""
    problems: list[Problem] = []
    index = references.fisc_index()
    seen: dict[str, str] = {}
    for doc, n, entry in rows:
        where: list[str | int] = ["entries", n]
        ref = index.get(entry.id)
        if ref is None:
            problems.append(doc.problem([*where, "id"], f"'{entry.id}' is not a FISC item ID of the index"))
            continue
        if entry.id in seen:
            problems.append(doc.problem([*where, "id"], f"FISC {entry.id} already has a row in {seen[entry.id]}"))
        seen[entry.id] = doc.display
        if (ref.status == "vacant") != (entry.handling == FiscHandling.VACANT):
            problems.append(
                doc.problem(
                    [*where, "handling"],
                    f"FISC {entry.id} is {ref.status} in the index: handling must "
                    + ("be 'vacant'" if ref.status == "vacant" else "not be 'vacant'"),
                )
            )
        for k, item_id in enumerate(entry.items):
            if item_id not in item_ids:
                problems.append(doc.problem([*where, "items", k], f"no item {item_id}"))
        included = entry.handling == FiscHandling.INCLUDED
        if mandatory is not None and included and not any(item_id in mandatory for item_id in entry.items):
            problems.append(
                doc.problem(
                    [*where, "items"],
                    f"FISC {entry.id} is included (○) but none of its items is mandatory: "
                    "name a mandatory item, or make the row risk-based (△)",
                )
            )
    return problems


def _check_registry(
    registry: tuple[YamlDocument, IdRegistry], items: list[tuple[YamlDocument, Item]], broken: set[str]
) -> list[Problem]:
    """Released IDs keep their place; withdrawn IDs never come back; new IDs must be registered."""
    doc, reg = registry
    problems: list[Problem] = []
    present = {item.id: (item_doc, item) for item_doc, item in items}
    for item_id, entry in reg.ids.items():
        found = present.get(item_id)
        if entry.withdrawn is not None:
            if found is not None:
                problems.append(
                    found[0].problem(["id"], f"ID {item_id} was withdrawn in {entry.withdrawn} and is never reused")
                )
            continue
        if found is None and item_id not in broken:
            problems.append(
                doc.problem(["ids", item_id], f"released item {item_id} is missing: mark it 'withdrawn: VERSION'")
            )
        elif found is not None and (found[1].chapter, found[1].section) != (entry.chapter, entry.section):
            problems.append(
                found[0].problem(
                    ["id"],
                    f"ID {item_id} was released for chapter {entry.chapter} / {entry.section}; "
                    "an ID is never reused for a different item (use a new ID)",
                )
            )
    for item_id, (item_doc, _) in present.items():
        if item_id not in reg.ids:
            problems.append(item_doc.problem(["id"], f"new ID {item_id} is not in {ID_REGISTRY_FILE}"))
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


def load_catalog(extensions: Iterable[Path] = (), builtin: Path = BUILTIN_DIR, *, use_cache: bool = True) -> Catalog:
    """Load the built-in catalog plus extension folders; raise :class:`SourceError` listing every problem.

    An extension can add items and concept topics but never replace a built-in one: a clash is an error.
    A catalog that validated before and has not changed since is read from the cache (see ``cache``).
    """
    extensions = [Path(p) for p in extensions]
    key = cache.fingerprint([builtin, *extensions]) if use_cache else None
    if key is not None:
        cached = cache.read(key)
        items_file = cache.items_path(key)
        if cached is not None and items_file is not None and items_file.is_file():
            try:
                found = _from_cache(cached, key)
            except (ValidationError, KeyError, TypeError, ValueError):
                found = None  # an old or damaged cache: load from source and overwrite it
            if found is not None:
                return found
    catalog = _load_sources(extensions, builtin)
    if key is not None:
        cache.write(key, _to_cache(catalog), [i.model_dump_json(exclude_none=True) for i in catalog.items])
    return catalog


def _to_cache(catalog: Catalog) -> dict[str, Any]:
    return {
        "meta": catalog.meta.model_dump(mode="json"),
        "rules": [ItemRule.of(i).model_dump(mode="json", exclude_none=True) for i in catalog.items],
        "concepts": [c.model_dump(mode="json") for c in catalog.concepts],
        "technotes": [n.model_dump(mode="json") for n in catalog.technotes],
        "fisc_meta": catalog.fisc.meta.model_dump(mode="json") if catalog.fisc.meta else None,
        "fisc": [e.model_dump(mode="json", exclude_none=True) for e in catalog.fisc.entries],
        "changelog": catalog.changelog.model_dump(mode="json") if catalog.changelog else None,
        "sources": {k: str(v) for k, v in catalog.sources.items()},
    }


class _Cached(BaseModel):
    """The cache file's shape: validated in one pass from JSON (much faster than item by item)."""

    key: str
    meta: CatalogMeta
    rules: list[ItemRule]
    concepts: list[ConceptTopic]
    technotes: list[TechNote]
    fisc_meta: FiscIndexMeta | None
    fisc: list[FiscEntry]
    changelog: Changelog | None
    sources: dict[str, str]


def _from_cache(text: str, key: str) -> Catalog | None:
    data = _Cached.model_validate_json(text)
    if data.key != key:
        return None
    return Catalog(
        meta=data.meta,
        items=LazyItems(lambda: cache.read_items(key), data.rules),
        concepts=tuple(data.concepts),
        technotes=tuple(data.technotes),
        fisc=FiscMatrix(data.fisc_meta, tuple(data.fisc)),
        changelog=data.changelog,
        sources={k: Path(v) for k, v in data.sources.items()},
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
        if ext.fisc_meta is not None or ext.fisc_rows:
            doc = ext.fisc_meta[0] if ext.fisc_meta else ext.fisc_rows[0][0]
            problems.append(doc.problem([], "an extension folder cannot change the FISC traceability matrix"))
    if base.meta is None:
        raise SourceError(problems)
    _, meta = base.meta
    taken: dict[str, str] = {}
    all_items = base.items + [pair for ext in extra for pair in ext.items]
    all_concepts = base.concepts + [pair for ext in extra for pair in ext.concepts]
    all_technotes = base.technotes + [pair for ext in extra for pair in ext.technotes]
    note_ids = {note.id for _, note in all_technotes}
    untitled = frozenset(entry.id for _, _, entry in base.fisc_rows if entry.topic is None)
    problems += _check_items(
        meta, all_items, taken, known_technotes=note_ids, known_checks=set(), fisc_untitled=untitled
    )
    problems += _check_dependencies(all_items)
    item_ids = {item.id for _, item in all_items} | base.declared_ids
    item_ids |= {i for ext in extra for i in ext.declared_ids}
    problems += _check_concepts(all_concepts, set())
    problems += _check_technotes(all_technotes, item_ids, set())
    mandatory = {item.id for _, item in all_items if item.mandatory}
    problems += _check_fisc(base.fisc_rows, item_ids, mandatory)
    if base.registry is not None:
        problems += _check_registry(base.registry, base.items, base.declared_ids)
    if base.changelog is not None and base.changelog[1].releases[0].version != meta.version:
        problems.append(
            base.changelog[0].problem(
                ["releases", 0, "version"],
                f"the newest release must be the catalog version {meta.version} (catalog.yaml)",
            )
        )
    if base.fisc_rows and base.fisc_meta is None:
        problems.append(
            Problem(str(builtin / FISC_DIR / FISC_INDEX_FILE), 1, 1, "missing: the FISC matrix needs index.yaml")
        )
    if problems:
        raise SourceError(problems)
    order = _section_order(meta)
    ordered = sorted(all_items, key=lambda p: (p[1].chapter, order[(p[1].chapter, p[1].section)], _id_key(p[1].id)))
    concepts = sorted((c for _, c in all_concepts), key=lambda c: (c.order, c.id))
    index_order = {fisc_id: n for n, fisc_id in enumerate(references.fisc_index())}
    fisc_rows = sorted((entry for _, _, entry in base.fisc_rows), key=lambda e: index_order[e.id])
    return Catalog(
        meta=meta,
        items=tuple(item for _, item in ordered),
        concepts=tuple(concepts),
        technotes=tuple(sorted((note for _, note in all_technotes), key=lambda n: n.id)),
        fisc=FiscMatrix(base.fisc_meta[1] if base.fisc_meta else None, tuple(fisc_rows)),
        changelog=base.changelog[1] if base.changelog else None,
        sources={item.id: doc.path for doc, item in ordered},
    )


def check_folder(folder: Path | None = None) -> tuple[Catalog | None, list[Problem]]:
    """Load the built-in catalog (no folder), a full catalog copy, or an extension folder from source:
    the catalog when it is valid, else every problem."""
    try:
        if folder is None:
            return load_catalog(use_cache=False), []
        if (folder / CATALOG_FILE).is_file():
            return load_catalog(builtin=folder, use_cache=False), []
        return load_catalog(extensions=[folder], use_cache=False), []
    except SourceError as exc:
        return None, exc.problems


def validate_folder(folder: Path | None = None) -> list[Problem]:
    """Every problem in the built-in catalog (no folder), a full catalog copy, or an extension folder."""
    return check_folder(folder)[1]
