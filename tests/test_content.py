"""The guideline content itself: complete, bilingual, traceable and our own words."""

from __future__ import annotations

import csv
import re
import unicodedata
from collections import Counter
from pathlib import Path

from antai.catalog import Catalog
from antai.catalog import references as refs
from antai.catalog.conditions import Facts, describe

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
        # English may quote a Japanese term (想定リスク, 特定システム) but must be English
        japanese_share = len(JAPANESE.findall(text.en)) / max(1, len(re.findall(r"\w", text.en)))
        if japanese_share > 0.1:
            wrong.append(f"{owner}.{field}: en is {japanese_share:.0%} Japanese: {text.en[:40]!r}")
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
        f"MASVS-{g}" for g in ("STORAGE", "CRYPTO", "AUTH", "NETWORK", "PLATFORM", "CODE", "RESILIENCE", "PRIVACY")
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
    assert counts["confidentiality"] >= 20
    assert counts["integrity"] >= 20
    assert counts["availability"] >= 20


def test_the_whole_guideline_is_complete(catalog: Catalog) -> None:
    assert len(catalog.items) >= 120
    assert sum(1 for i in catalog.items if i.mandatory) >= 25
    for chapter in catalog.chapters:
        used = {i.section for i in catalog.select(chapter=chapter.number)}
        missing = [s.id for s in chapter.sections if s.id not in used]
        assert not missing, f"chapter {chapter.number} sections without items: {missing}"


def test_seed_change_management_and_assurance_lists_are_covered(catalog: Catalog) -> None:
    """The seed's appendix for change management, assessment and best practice, item by item."""
    expectations = {
        "CHG-01": ["immutable"],
        "CHG-03": ["vulnerab"],
        "CHG-05": ["deploy"],
        "ASR-01": ["penetration test"],
        "ASR-04": ["bug bounty"],
        "ASR-05": ["pci dss"],
        "BP-03": ["authoris"],
        "BP-05": ["single point of failure"],
        "CYB-02": ["dnssec"],
        "CYB-03": ["hsts"],
    }
    for item_id, words in expectations.items():
        item = catalog.item(item_id)
        assert item is not None, item_id
        text = " ".join(t.en for t in [item.title, item.objective, *item.countermeasures]).lower()
        for word in words:
            assert word in text, f"{item_id} no longer mentions {word!r}"


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


# Each do / don't of the seed's appendix (access and logging) and the item that carries it, with words the
# item must use. If an item is rewritten or renumbered, this table says what must not get lost.
SEED_APPENDIX = {
    "2FA on root split between two people, or use notified": ("IAM-01", ["two different officers", "notify"]),
    "2FA on every cloud account login": ("IAM-02", ["multi-factor"]),
    "daily privileged and engineer IDs separate from root": ("IAM-03", ["separate from the root"]),
    "documented least privilege for staff": ("IAM-05", ["written down"]),
    "no shared accounts": ("IAM-04", ["shared"]),
    "admin console 2FA": ("ADM-01", ["multi-factor"]),
    "admin console privileges documented, least privilege": ("ADM-02", ["written down", "minimum"]),
    "user 2FA": ("CAU-01", ["multi-factor"]),
    "no plaintext passwords": ("CAU-03", ["hash"]),
    "no home-made authentication framework": ("CAU-03", ["maintained identity provider"]),
    "logs shipped automatically to storage only root can alter": ("LOG-01", ["automatically", "root"]),
    "enough logging to reconstruct an incident": ("LOG-02", ["reconstruct"]),
    "cloud configuration changes logged and notified": ("LOG-03", ["cloud configuration", "automatically"]),
    "sensitive engineer operations notified": ("LOG-03", ["sensitive engineer operation"]),
    "no sensitive data in logs": ("LOG-04", ["sensitive data"]),
}
# Since catalog 0.2.0 (changelog.yaml) these apply exactly when the service has what they protect: the venture's
# own browser admin console, or customers with accounts of their own. Every other appendix item stays mandatory
# (the cloud console's MFA and least privilege under IAM-02 and IAM-05).
CONDITIONAL_APPENDIX_ITEMS = {
    "ADM-01": Facts(admin_console=True),
    "ADM-02": Facts(admin_console=True),
    "CAU-01": Facts(customer_accounts=True),
    "CAU-03": Facts(customer_accounts=True),
}


def test_seed_appendix_do_and_dont_are_all_mandatory_items(catalog: Catalog) -> None:
    for rule, (item_id, words) in SEED_APPENDIX.items():
        item = catalog.item(item_id)
        assert item is not None, rule
        if item_id in CONDITIONAL_APPENDIX_ITEMS:
            assert not item.mandatory and item.applicability.when == CONDITIONAL_APPENDIX_ITEMS[item_id], (
                f"{item_id} ({rule}) must apply exactly when {describe(CONDITIONAL_APPENDIX_ITEMS[item_id])}"
            )
        else:
            assert item.mandatory, f"{item_id} ({rule}) must apply in all cases"
        parts = [item.title, item.objective, *item.countermeasures, *item.do, *item.dont]
        text = " ".join(t.en for t in parts).lower()
        for word in words:
            assert word.lower() in text, f"{item_id} no longer says {word!r} ({rule})"
