"""libFuzzer harness (atheris) for antai's YAML readers.

Any bytes must give either a value or a SourceError whose problems are single ``file:line:column:
message`` lines; anything else (another exception, a malformed problem, a libFuzzer timeout) is a crash.

    python tests/fuzz/yaml_readers.py -max_total_time=60 -dict=tests/fuzz/yaml.dict CORPUS tests/hostile

``bench/fuzz_yaml.py`` runs it for longer; ``tests/test_hostile_yaml.py`` runs it briefly in CI.
"""

from __future__ import annotations

import itertools
import sys
from collections.abc import Iterator

import atheris

with atheris.instrument_imports(include=["antai"]):
    from antai.assessment.model import (
        AnswersFile,
        ArchiveFile,
        DecisionsFile,
        EvidenceIndex,
        OrganisationFacts,
        WorkspaceMeta,
    )
    from antai.catalog.schema import Item
    from antai.catalog.yamlsource import Problem, SourceError, load_yaml_text, validate_model
    from antai.tailoring.profile import Profile

MODELS = (Profile, AnswersFile, Item, WorkspaceMeta, DecisionsFile, OrganisationFacts, EvidenceIndex, ArchiveFile)
DISPLAY = "fuzz.yaml"


def _check(problems: list[Problem]) -> None:
    assert problems, "a SourceError without problems"
    for problem in problems:
        shown = str(problem)
        assert problem.file == DISPLAY and problem.line >= 1 and problem.column >= 1, shown
        assert problem.message and "\n" not in shown and "\r" not in shown, repr(shown)
        assert len(problem.message) <= 1000, f"a message of {len(problem.message)} characters"


def _locs(data: object, prefix: tuple[str | int, ...] = ()) -> Iterator[tuple[str | int, ...]]:
    yield prefix
    if isinstance(data, dict):
        for key, value in data.items():
            yield from _locs(value, (*prefix, str(key)))
    elif isinstance(data, list):
        for n, value in enumerate(data):
            yield from _locs(value, (*prefix, n))


def test_one_input(data: bytes) -> None:
    try:
        doc = load_yaml_text(data, DISPLAY)
    except SourceError as exc:
        _check(exc.problems)
        return
    for loc in itertools.islice(_locs(doc.data), 200):  # what error reports look up must exist
        line, column = doc.position(loc)
        assert line >= 1 and column >= 1
        doc.key_position(loc)
        assert "\n" not in doc.shown_path(loc)
    for model in MODELS:  # parse once, then every reader's model
        try:
            validate_model(doc, model)
        except SourceError as exc:
            _check(exc.problems)


def main() -> None:
    atheris.Setup(sys.argv, test_one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
