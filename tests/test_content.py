"""The guideline content itself: complete, bilingual, traceable and our own words."""

from __future__ import annotations

import csv
import re
import unicodedata
from collections import Counter
from pathlib import Path

from antai.catalog import Catalog
from antai.catalog import references as refs

JAPANESE = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")


def _texts(catalog: Catalog):  # type: ignore[no-untyped-def]
    for item in catalog.items:
        yield item.id, "title", item.title
        yield item.id, "objective", item.objective
        yield item.id, "risk", item.risk
        yield item.id, "example", item.applicability.example
        for name in ("countermeasures", "bad_examples", "do", "dont"):
            for n, text in enumerate(getattr(item, name)):
                yield item.id, f"{name}[{n}]", text
        for n, ev in enumerate(item.evidence):
            yield item.id, f"evidence[{n}]", ev.text
    for topic in catalog.concepts:
        for name in ("title", "summary", "body"):
            yield topic.id, name, getattr(topic, name)


def test_every_text_is_really_in_both_languages(catalog: Catalog) -> None:
    """Catches swapped or untranslated text: Japanese must be Japanese, English must not be."""
    wrong = []
    for owner, field, text in _texts(catalog):
        if not JAPANESE.search(text.ja):
            wrong.append(f"{owner}.{field}: ja has no Japanese")
        if JAPANESE.search(text.en):
            wrong.append(f"{owner}.{field}: en contains Japanese: {text.en[:40]!r}")
    assert not wrong, "\n".join(wrong)


def test_chapters_one_and_two_are_complete(catalog: Catalog) -> None:
    first_two = [i for i in catalog.items if i.chapter in (1, 2)]
    assert len(first_two) >= 35
    for number in (1, 2):
        chapter = catalog.chapter(number)
        assert chapter is not None
        used = {i.section for i in catalog.select(chapter=number)}
        missing = [s.id for s in chapter.sections if s.id not in used]
        assert not missing, f"chapter {number} sections without items: {missing}"
    assert sum(1 for i in first_two if i.mandatory) >= 15
    assert any(not i.mandatory for i in first_two)


def test_device_section_goes_beyond_fisc_with_every_masvs_group(catalog: Catalog) -> None:
    device = [i for i in catalog.items if i.section == "device"]
    assert len(device) >= 8
    groups = {r.id.rsplit("-", 1)[0] for i in device for r in i.references if r.kind == "masvs"}
    expected = {
        f"MASVS-{g}"
        for g in ("STORAGE", "CRYPTO", "AUTH", "NETWORK", "PLATFORM", "CODE", "RESILIENCE", "PRIVACY")
    }
    assert expected <= groups, expected - groups
    for item in device:
        assert "device" in item.layers
        assert not item.mandatory, f"{item.id}: device items apply only to services with apps"


def test_seed_worked_examples_are_items(catalog: Catalog) -> None:
    root = catalog.item("IAM-01")
    assert root is not None and root.mandatory
    count_total = [i for i in catalog.items if i.section == "io-control" and "件数" in i.objective.ja]
    assert count_total, "the count-and-total matching example is missing"
    item = count_total[0]
    assert not item.mandatory
    assert item.applicability.when is not None and "manual_data_entry" in item.applicability.when.model_dump(
        exclude_none=True
    )


def test_titles_fit_the_budget(catalog: Catalog) -> None:
    too_long = [f"{i.id}: {i.title.ja}" for i in catalog.items if len(i.title.ja) > 30]
    assert not too_long


def test_countermeasure_and_evidence_counts(catalog: Catalog) -> None:
    for item in catalog.items:
        assert 2 <= len(item.countermeasures) <= 6, item.id
        assert len(item.bad_examples) <= 3, item.id
        assert 1 <= len(item.evidence) <= 4, item.id


def test_all_three_of_cia_are_covered(catalog: Catalog) -> None:
    counts = Counter(c.value for i in catalog.items for c in i.cia)
    assert counts["confidentiality"] >= 10
    assert counts["integrity"] >= 5
    assert counts["availability"] >= 3


def test_fisc_references_exist_in_the_shared_index(catalog: Catalog, shared: Path) -> None:
    with (shared / "reference" / "fisc-index.tsv").open(encoding="utf-8") as handle:
        rows = {r["id"]: r for r in csv.DictReader(handle, delimiter="\t")}
    for item in catalog.items:
        for fisc_id in item.fisc:
            assert fisc_id in rows, f"{item.id}: {fisc_id}"
            assert rows[fisc_id]["status"] != "vacant", f"{item.id}: {fisc_id} is vacant"


def test_shipped_reference_lists_match_the_official_ones(shared: Path) -> None:
    def column(path: Path, name: str) -> set[str]:
        with path.open(encoding="utf-8") as handle:
            return {r[name] for r in csv.DictReader(handle, delimiter="\t")}

    assert set(refs.fisc_index()) == column(shared / "reference" / "fisc-index.tsv", "id")
    assert set(refs.asvs_ids()) == column(shared / "reference" / "asvs-5.0.0-ids.tsv", "req_id")
    assert set(refs.masvs_ids()) == column(shared / "reference" / "masvs-2-ids.tsv", "control_id")


def test_cwe_list_is_well_formed() -> None:
    names = refs.cwe_names()
    assert len(names) >= 30
    for cwe_id, name in names.items():
        assert re.fullmatch(r"CWE-[1-9]\d{0,4}", cwe_id), cwe_id
        assert name and name[0].isupper(), cwe_id


def test_every_cited_reference_is_real(catalog: Catalog) -> None:
    for item in catalog.items:
        for ref in item.references:
            assert refs.check_reference(ref.kind.value, ref.id) is None, (item.id, ref)


def test_no_sentences_copied_from_the_seed(catalog: Catalog, shared: Path) -> None:
    """The guideline must be our own words: no 20-character run (spaces removed) shared with the seed."""

    def norm(text: str) -> str:
        return re.sub(r"\s+", "", unicodedata.normalize("NFC", text))

    seed = norm(next((shared / "seeds").glob("*.txt")).read_text(encoding="utf-8"))
    width = 20
    windows = {seed[i : i + width] for i in range(len(seed) - width + 1)}
    copied = []
    for owner, field, text in _texts(catalog):
        flat = norm(text.ja)
        hits = [flat[i : i + width] for i in range(len(flat) - width + 1) if flat[i : i + width] in windows]
        if hits:
            copied.append(f"{owner}.{field}: {hits[0]!r}")
    assert not copied, "\n".join(copied)


def test_concept_part_covers_the_required_topics(catalog: Catalog) -> None:
    ids = {t.id for t in catalog.concepts}
    assert {
        "purpose",
        "ten-minute-path",
        "risk-based-approach",
        "cia",
        "layers",
        "risk-types",
        "fisc-classification",
        "reading-items",
    } <= ids
    fisc = catalog.concept("fisc-classification")
    assert fisc is not None
    for mark in ("○", "△", "×"):
        assert mark in fisc.body.ja and mark in fisc.body.en


def test_seed_appendix_do_and_dont_are_covered(catalog: Catalog) -> None:
    """Each do/don't of the seed's appendix for access and logging is the subject of some item."""
    corpus = "\n".join(
        " ".join(
            [
                i.title.en,
                i.objective.en,
                *(t.en for t in i.countermeasures),
                *(t.en for t in i.do),
                *(t.en for t in i.dont),
            ]
        ).lower()
        for i in catalog.items
        if i.chapter == 2
    )
    for phrase in ("root", "shared account", "least privilege", "plaintext", "log", "notif", "sensitive"):
        assert phrase in corpus, phrase
