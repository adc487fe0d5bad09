"""Reading checklist files: YAML with file:line:column problems, then the checks against the catalog and the
organisation-facts model (unique row IDs, real item IDs, real fact paths, every row mapped)."""

from __future__ import annotations

import difflib
from pathlib import Path
from typing import TYPE_CHECKING

from antai.catalog.model import Catalog
from antai.catalog.yamlsource import Limits, Problem, SourceError, YamlDocument, brief, load_yaml, validate_model
from antai.checklists.model import Checklist

if TYPE_CHECKING:
    from antai.tailoring.profile import Profile

BUILTIN_DIR = Path(__file__).parent / "builtin"
# a checklist is small: a bank's sheet has tens to a few hundred rows
LIMITS = Limits(max_bytes=512 * 1024, max_depth=16, max_scalar_chars=4000, max_nodes=50_000)


def builtin_names() -> list[str]:
    """The checklists shipped with antai, by name (the file name without .yaml)."""
    return sorted(p.stem for p in BUILTIN_DIR.glob("*.yaml"))


def builtin_path(name: str) -> Path | None:
    """The file of a shipped checklist, or None if there is none of that name."""
    return BUILTIN_DIR / f"{name}.yaml" if name in builtin_names() else None


def default_names(profile: Profile) -> tuple[str, ...]:
    """The shipped checklists a submission answers when none is named: the API connection checklist for a
    service that uses bank APIs or links bank accounts (what a bank asks of an API partner)."""
    uses_bank_apis = profile.links_bank_accounts or any(b.value.startswith("bank_api") for b in profile.business)
    return ("api-connection",) if uses_bank_apis else ()


def fact_paths() -> list[str]:
    """Every organisation-fact path a row may name (entries of a register are named by the register)."""
    from antai.assessment.model import fact_fields

    return [f.path for f in fact_fields() if ".N" not in f.path]


def _problem(doc: YamlDocument, loc: list[str | int], message: str, code: str, **params: str) -> Problem:
    line, column = doc.position(loc)
    return Problem(doc.display, line, column, message, code, tuple(sorted(params.items())))


def check_checklist(doc: YamlDocument, checklist: Checklist, catalog: Catalog) -> list[Problem]:
    """What is wrong with a checklist that has the right shape: duplicates, unknown IDs and paths, unmapped rows."""
    problems: list[Problem] = []
    known_items = set(catalog.ids)
    known_facts = fact_paths()
    facts = set(known_facts)
    first: dict[str, int] = {}
    for n, row in enumerate(checklist.rows):
        line, _ = doc.position(["rows", n, "id"])
        if row.id in first:
            problems.append(
                _problem(
                    doc,
                    ["rows", n, "id"],
                    f"row ID '{brief(row.id)}' is used twice (first on line {first[row.id]})",
                    "checklist.duplicate_row",
                    id=brief(row.id),
                    first=str(first[row.id]),
                )
            )
        else:
            first[row.id] = line
        for m, item_id in enumerate(row.items):
            if item_id not in known_items:
                problems.append(
                    _problem(
                        doc,
                        ["rows", n, "items", m],
                        f"'{item_id}' is not an item of catalog {catalog.version}",
                        "checklist.unknown_item",
                        id=item_id,
                        version=catalog.version,
                    )
                )
        for m, path in enumerate(row.facts):
            if path not in facts:
                close = difflib.get_close_matches(path, known_facts, n=1, cutoff=0.7)
                hint = f" (did you mean '{close[0]}'?)" if close else ""
                problems.append(
                    _problem(
                        doc,
                        ["rows", n, "facts", m],
                        f"'{brief(path)}' is not an organisation fact{hint}",
                        "checklist.unknown_fact",
                        path=brief(path),
                        suggestion=close[0] if close else "",
                    )
                )
        if not row.items and not row.facts:
            problems.append(
                _problem(
                    doc,
                    ["rows", n],
                    f"row '{brief(row.id)}' maps to no item and no fact: nothing could answer it",
                    "checklist.unmapped_row",
                    id=brief(row.id),
                )
            )
    return problems


def load_checklist(path: Path, catalog: Catalog, display: str | None = None) -> Checklist:
    """A checklist file, checked; :class:`SourceError` lists every problem with its position."""
    doc = load_yaml(path, display, limits=LIMITS)
    checklist = validate_model(doc, Checklist)
    problems = check_checklist(doc, checklist, catalog)
    if problems:
        raise SourceError(problems)
    return checklist
