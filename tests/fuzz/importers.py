"""libFuzzer harness (atheris) for antai's importers of scanners' outputs.

Any bytes must give either a run (a ScanRun whose counts add up) or a SourceError whose problems are single
``file:line:column: message`` lines with ``import.*`` codes; anything else (another exception, a malformed
problem, a libFuzzer timeout or memory limit) is a crash. ``ANTAI_FUZZ_IMPORTER`` picks one importer
(prowler, checkov, trivy, sarif); without it every input goes through all four.

    ANTAI_FUZZ_IMPORTER=sarif python tests/fuzz/importers.py -max_total_time=60 CORPUS tests/fuzz/importer-seeds/sarif

``tests/test_importers_hostile.py`` runs it for a few seconds per importer.
"""

from __future__ import annotations

import datetime as dt
import os
import sys
import tempfile
from pathlib import Path

import atheris

with atheris.instrument_imports(include=["antai.importers"]):
    from antai.catalog.mappings import RuleMap
    from antai.catalog.yamlsource import Problem, SourceError
    from antai.importers.checkov import read_checkov
    from antai.importers.common import ImportedRun
    from antai.importers.prowler import read_prowler
    from antai.importers.sarif import read_sarif
    from antai.importers.trivy import read_trivy

READERS = {"prowler": read_prowler, "checkov": read_checkov, "trivy": read_trivy, "sarif": read_sarif}
CHOSEN = os.environ.get("ANTAI_FUZZ_IMPORTER")
USED = [READERS[CHOSEN]] if CHOSEN else list(READERS.values())
DISPLAY = "fuzz.json"
RULES = RuleMap("fuzz", 1, "fuzz", dt.date(2026, 1, 1), {"a": ("IAM-01",)}, (), frozenset())
FOLDER = Path(tempfile.mkdtemp(prefix="antai-fuzz-"))
INPUT = FOLDER / "input"


def _check(problems: list[Problem]) -> None:
    assert problems, "a SourceError without problems"
    for problem in problems:
        shown = str(problem)
        assert problem.file == DISPLAY and problem.line >= 1 and problem.column >= 1, shown
        assert problem.code.startswith("import."), shown
        assert problem.message and "\n" not in shown and "\r" not in shown, repr(shown)
        assert len(problem.message) <= 1000, f"a message of {len(problem.message)} characters"


def test_one_input(data: bytes) -> None:
    INPUT.write_bytes(data)
    for reader in USED:
        try:
            run = reader(INPUT, rules=RULES, display=DISPLAY)
        except SourceError as exc:
            _check(exc.problems)
            continue
        assert isinstance(run, ImportedRun)
        assert run.observed_at.tzinfo is not None and run.input_sha256 and len(run.input_sha256) == 64
        assert sum(run.tally.totals.values()) == run.tally.count >= run.suppressed >= 0
        assert len(run.target) <= 300 and all(len(f.resource) <= 300 for f in run.tally.kept)


def main() -> None:
    atheris.Setup(sys.argv, test_one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
