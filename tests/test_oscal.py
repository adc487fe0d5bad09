"""`antai export oscal catalog | profile | assessment-results`: OSCAL 1.1.2 JSON that compliance-trestle's models
accept, whose controls are the catalog's items, whose profile is exactly the plan, whose results say what
`antai status` says — the same bytes on every run, and made without touching the network."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from antai.app import usecases
from antai.app.ports import Actor
from antai.assessment.model import Status
from antai.assessment.rules import AnswerChange
from antai.catalog import Catalog
from antai.exports.oscal import NS
from antai.tailoring.profile import load_profile
from antai.workspace.store import FileStore

from .conftest import run_cli

PROFILE = "example:household-budget"
ORGANISATION = "Acme 株式会社"

# The export runs as the real entry point, with every way out to the network refused; it reports whether it
# imported compliance-trestle (it must not: only the tests use it).
OFFLINE = """
import socket, sys

def refuse(*args, **kwargs):
    raise RuntimeError("NETWORK-USED")

socket.socket.connect = refuse
socket.socket.connect_ex = refuse
socket.create_connection = refuse
socket.getaddrinfo = refuse
sys.argv = ["antai", *sys.argv[1:]]
try:
    from antai.cli.app import main
    main()
finally:
    if any(name == "trestle" or name.startswith("trestle.") for name in sys.modules):
        print("TRESTLE-LOADED", file=sys.stderr)
"""


def offline(*args: str, probe: str | None = None) -> subprocess.CompletedProcess[str]:
    script = OFFLINE if probe is None else OFFLINE.split("sys.argv")[0] + probe
    return subprocess.run(
        [sys.executable, "-c", script, *args],
        capture_output=True,
        text=True,
        env={**os.environ, "ANTAI_USER": "tester"},
        timeout=60,
    )


def export(*args: str) -> str:
    done = offline("export", "oscal", *args)
    assert done.returncode == 0, done.stderr
    assert "NETWORK-USED" not in done.stderr and "TRESTLE-LOADED" not in done.stderr, done.stderr
    return done.stdout


def cli(*args: str) -> str:
    done = run_cli(*args, env={"ANTAI_USER": "tester"})
    assert done.returncode == 0, done.stderr
    return done.stdout


def on(day: int, hour: int = 9) -> Actor:
    """Who acts, on a fixed day of November 2026 (the history's times are known exactly)."""
    return Actor(who="tester", now=dt.datetime(2026, 11, day, hour, tzinfo=dt.UTC))


def build_workspace(root: Path, catalog: Catalog, evidence: Path) -> None:
    """Every kind of answer, made through the use cases `antai set`, `accept` and `evidence add` run."""
    store = FileStore(root)
    usecases.init(store, catalog, load_profile(Path(PROFILE)), ORGANISATION, on(2))

    def answer(day: int, item_id: str, **change: Any) -> None:
        if "status" in change:
            change["status"] = Status(change["status"])
        usecases.set_answer(store, catalog, on(day), item_id, AnswerChange(**change))

    answer(3, "IAM-01", status="implemented", owner="CTO")
    answer(3, "DAT-06", status="planned", due=dt.date(2099, 3, 31), owner="SRE")
    answer(4, "DAT-11", status="planned", due=dt.date(2020, 1, 1))  # overdue
    answer(4, "IAM-02", status="partial", due=dt.date(2099, 1, 31))
    answer(5, "CAU-03", status="compensated", compensated_by="immutable-infrastructure", reason="置換")
    answer(5, "ADM-01", status="not_applicable", reason="管理画面は外部 SaaS")  # a conditional item
    answer(  # a mandatory item: a recorded decision
        6,
        "IAM-03",
        status="not_applicable",
        reason="root は使わない",
        approver="CEO 山田",
        expires=dt.date(2099, 6, 30),
    )
    usecases.accept(
        store, catalog, on(7), "KEY-01", "[link](http://x) を年1回見直す", "CEO 山田", dt.date(2099, 12, 31)
    )
    usecases.accept(store, catalog, on(7), "KEY-02", "旧方式", "CTO", dt.date(2021, 1, 1), dt.date(2020, 1, 1))
    usecases.add_evidence(store, catalog, on(8, 10), "IAM-01", evidence, dt.date(2026, 11, 1))


class Exports:
    """A workspace with every kind of answer, and what the exports and `antai plan` / `antai status` say of it."""

    def __init__(self, base: Path, catalog: Catalog) -> None:
        self.ws = ws = base / "ws"
        w = ("-C", str(ws))
        self.evidence = base / "credential-report.csv"
        self.evidence.write_text("user,mfa\nroot,true\n", encoding="utf-8")
        build_workspace(ws, catalog, self.evidence)
        self.plan = json.loads(cli("plan", "--profile", PROFILE, "--format", "json"))
        self.status = json.loads(cli("status", "--format", "json", *w))
        self.catalog_text = export("catalog")
        self.profile_text = export("profile", "--profile", PROFILE)
        self.workspace_profile_text = export("profile", *w)
        self.results_text = export("assessment-results", *w)
        self.catalog = json.loads(self.catalog_text)["catalog"]
        self.profile = json.loads(self.profile_text)["profile"]
        self.workspace_profile = json.loads(self.workspace_profile_text)["profile"]
        self.results = json.loads(self.results_text)["assessment-results"]
        self.english = json.loads(export("assessment-results", *w, "--lang", "en"))["assessment-results"]
        self.history = [json.loads(line) for line in (ws / "history.jsonl").read_text("utf-8").splitlines()]

    @property
    def result(self) -> dict[str, Any]:
        (only,) = self.results["results"]
        return only

    def findings(self) -> dict[str, dict[str, Any]]:
        return {f["target"]["target-id"].removesuffix("_smt"): f for f in self.result["findings"]}


@pytest.fixture(scope="module")
def made(tmp_path_factory: pytest.TempPathFactory, catalog: Catalog) -> Exports:
    return Exports(tmp_path_factory.mktemp("oscal"), catalog)


@pytest.fixture(scope="module")
def trestle() -> Any:
    """compliance-trestle's OSCAL models (the `oscal` extra). Skipped only where it is absent, never in CI."""
    try:
        from trestle.oscal import assessment_results, catalog, profile
    except ImportError:
        if os.environ.get("CI") == "true":
            pytest.fail("compliance-trestle is missing in CI: `scripts/setup --dev` installs the oscal extra")
        pytest.skip("compliance-trestle is not installed (pip install 'antai[oscal]')")
    return catalog.Catalog, profile.Profile, assessment_results.AssessmentResults


def props(element: dict[str, Any], name: str) -> list[str]:
    return [p["value"] for p in element.get("props", []) if p["name"] == name and p.get("ns") == NS]


def prop(element: dict[str, Any], name: str) -> str | None:
    found = props(element, name)
    assert len(found) <= 1, (name, found)
    return found[0] if found else None


def controls(catalog: dict[str, Any]) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []

    def walk(groups: list[dict[str, Any]]) -> None:
        for group in groups:
            found.extend(group.get("controls", []))
            walk(group.get("groups", []))

    walk(catalog["groups"])
    return found


def all_ids(node: Any) -> list[str]:
    """Every `id` of a group, control or part in a document (OSCAL wants them unique)."""
    found: list[str] = []
    if isinstance(node, dict):
        if isinstance(node.get("id"), str):
            found.append(node["id"])
        for value in node.values():
            found.extend(all_ids(value))
    elif isinstance(node, list):
        for value in node:
            found.extend(all_ids(value))
    return found


# --- validity ----------------------------------------------------------------------------------------------


def test_every_export_is_valid_oscal_for_compliance_trestle(made: Exports, trestle: Any) -> None:
    catalog_model, profile_model, results_model = trestle
    catalog_model.model_validate(made.catalog)
    profile_model.model_validate(made.profile)
    profile_model.model_validate(made.workspace_profile)
    results_model.model_validate(made.results)
    results_model.model_validate(made.english)
    for document in (made.catalog, made.profile, made.workspace_profile, made.results):
        assert document["metadata"]["oscal-version"] == "1.1.2"
        ids = all_ids(document)
        assert len(ids) == len(set(ids))


def test_the_validation_fails_on_a_broken_document(made: Exports, trestle: Any) -> None:
    from pydantic import ValidationError

    catalog_model, _, results_model = trestle
    broken = json.loads(made.catalog_text)["catalog"]
    broken["groups"][0]["groups"][0]["controls"][0]["parts"][0]["name"] = "two words"
    with pytest.raises(ValidationError):
        catalog_model.model_validate(broken)
    results = json.loads(made.results_text)["assessment-results"]
    del results["results"][0]["reviewed-controls"]
    with pytest.raises(ValidationError):
        results_model.model_validate(results)


# --- the catalog -------------------------------------------------------------------------------------------


def test_every_control_is_a_catalog_item_in_reading_order(made: Exports, catalog: Catalog) -> None:
    assert [c["id"] for c in controls(made.catalog)] == catalog.ids
    assert [g["id"] for g in made.catalog["groups"]] == [c.slug for c in catalog.chapters]


def test_a_control_holds_the_item_in_japanese_with_english_beside_it(made: Exports, catalog: Catalog) -> None:
    item = catalog.item("IAM-01")
    assert item is not None
    control = next(c for c in controls(made.catalog) if c["id"] == "IAM-01")
    assert control["title"] == item.title.ja
    assert props(control, "translation") == [item.title.en]
    parts = {p["name"]: p for p in control["parts"]}
    assert parts["statement"]["id"] == "IAM-01_smt"
    assert parts["statement"]["prose"] == item.objective.ja
    assert parts["statement"]["parts"][0] == {
        "name": "translation",
        "ns": NS,
        "class": "en",
        "prose": item.objective.en,
    }
    assert parts["assumed-risk"]["prose"] == item.risk.ja
    assert parts["assumed-risk"]["parts"][0]["prose"] == item.risk.en
    assert parts["applicability"]["prose"] == item.applicability.example.ja
    assert [p["prose"] for p in parts["example"]["parts"]] == [t.ja for t in item.countermeasures]
    assert [p["parts"][0]["prose"] for p in parts["bad-examples"]["parts"]] == [t.en for t in item.bad_examples]
    method = parts["assessment-method"]
    assert method["props"] == [{"name": "method", "value": "EXAMINE"}]
    assert [p["prose"] for p in method["parts"]] == [e.text.ja for e in item.evidence]
    assert [prop(p, "automatable") for p in method["parts"]] == ["true", "true", "false"]
    assert prop(control, "level") == "baseline"
    assert prop(control, "csf-function") == "PR"
    assert prop(control, "applicability") == "mandatory"
    assert props(control, "fisc") == ["実9", "実25", "実38"]
    assert props(control, "cwe") == ["CWE-250", "CWE-308", "CWE-640"]
    assert props(control, "fsa") == ["2.3.1"]
    assert {"href": "https://cwe.mitre.org/data/definitions/250.html", "rel": "reference",
            "text": "CWE-250 Execution with Unnecessary Privileges"} in control["links"]  # fmt: skip


def test_a_conditional_item_names_its_condition_and_references_carry_real_ids(made: Exports) -> None:
    by_id = {c["id"]: c for c in controls(made.catalog)}
    cau = by_id["CAU-03"]
    assert prop(cau, "applicability") == "conditional"
    (applicability,) = [p for p in cau["parts"] if p["name"] == "applicability"]
    (condition,) = [p for p in applicability["parts"] if p["name"] == "condition"]
    assert condition["prose"] == "顧客がアカウントでログイン"
    assert condition["parts"][0]["prose"] == "customers sign in to accounts"
    asvs = [v for c in by_id.values() for v in props(c, "asvs")]
    masvs = [v for c in by_id.values() for v in props(c, "masvs")]
    assert "V6.3.3" in asvs and all(v.startswith("V") for v in asvs)
    assert "MASVS-STORAGE-1" in masvs and all(v.startswith("MASVS-") for v in masvs)
    dependent = next(c for c in by_id.values() if any(link["rel"] == "required" for link in c.get("links", [])))
    for link in dependent["links"]:
        if link["rel"] == "required":
            assert link["href"].removeprefix("#") in by_id


def test_the_catalog_metadata_says_which_language_is_the_reference(made: Exports, catalog: Catalog) -> None:
    metadata = made.catalog["metadata"]
    assert catalog.changelog is not None
    released = f"{catalog.changelog.releases[0].date.isoformat()}T00:00:00Z"
    assert metadata["last-modified"] == released
    assert metadata["version"] == catalog.version
    assert prop(metadata, "language") == "ja"
    assert prop(metadata, "translation-language") == "en"
    assert "本文は日本語（正本）である" in metadata["remarks"]
    english = json.loads(export("catalog", "--lang", "en"))["catalog"]
    assert english["metadata"]["title"] == "antai security guideline for FinTech ventures"
    assert "The text is Japanese, the reference language." in english["metadata"]["remarks"]
    control = controls(english)[0]
    risk = next(p for p in control["parts"] if p["name"] == "assumed-risk")
    assert risk["title"] == "Assumed risk"
    assert risk["prose"] == controls(made.catalog)[0]["parts"][1]["prose"]  # the text stays Japanese


# --- the profile -------------------------------------------------------------------------------------------


def test_the_profile_includes_exactly_the_plans_items_and_says_why_and_when(made: Exports) -> None:
    (imported,) = made.profile["imports"]
    planned = made.plan["items"]
    assert imported["include-controls"] == [{"with-ids": [i["id"] for i in planned]}]
    assert imported["exclude-controls"] == [{"with-ids": [e["id"] for e in made.plan["excluded"]]}]
    resource = made.profile["back-matter"]["resources"][0]
    assert imported["href"] == f"#{resource['uuid']}"
    assert resource["rlinks"] == [{"href": "antai-catalog.json", "media-type": "application/oscal.catalog+json"}]
    assert prop(resource, "catalog-uuid") == made.catalog["uuid"]
    alters = {a["control-id"]: a["adds"][0] for a in made.profile["modify"]["alters"]}
    assert list(alters) == [i["id"] for i in planned]
    for item in planned:
        added = alters[item["id"]]
        assert prop(added, "phase") == item["phase"]
        assert prop(added, "priority") == str(item["priority"])
        assert props(added, "applies-because") == item["reasons"]
    excluded = {p["value"]: p["remarks"] for p in made.profile["metadata"]["props"] if p["name"] == "excluded"}
    assert excluded == {e["id"]: "\n\n".join(e["reasons"]) for e in made.plan["excluded"]}
    assert prop(made.profile["metadata"], "tier") == made.plan["risk"]["tier"]
    assert made.profile["metadata"]["last-modified"] == made.catalog["metadata"]["last-modified"]


def test_the_workspace_profile_is_its_plan_dated_by_the_history(made: Exports) -> None:
    (imported,) = made.workspace_profile["imports"]
    assert imported["include-controls"] == [{"with-ids": [i["id"] for i in made.plan["items"]]}]
    # the profile was recorded at `antai init` and never changed since
    assert made.workspace_profile["metadata"]["last-modified"] == "2026-11-02T09:00:00Z"
    assert dt.datetime.fromisoformat(made.history[0]["at"]) == dt.datetime(2026, 11, 2, 9, tzinfo=dt.UTC)


# --- the assessment results -------------------------------------------------------------------------------


def test_the_results_state_what_antai_status_says(made: Exports) -> None:
    findings = made.findings()
    assert list(findings) == [i["id"] for i in made.plan["items"]]
    counted: dict[str, int] = {}
    for finding in findings.values():
        status = prop(finding, "status")
        assert status is not None
        counted[status] = counted.get(status, 0) + 1
    assert counted == {k: v for k, v in made.status["status_counts"].items() if v}
    gaps = {g["id"]: g for g in made.status["gaps"]}
    for item_id, finding in findings.items():
        gap = gaps.get(item_id)
        assert prop(finding, "gap-reason") == (gap["reason"] if gap else None)
        if gap is not None:
            assert prop(finding, "effective-status") == gap["status"]
            assert finding["target"]["status"]["state"] == "not-satisfied"
    selected = made.result["reviewed-controls"]["control-selections"][0]["include-controls"]
    assert [c["control-id"] for c in selected] == [i["id"] for i in made.plan["items"]]
    assert prop(made.result, "score") == f"{made.status['overall']['score']:.1f}"
    assert prop(made.result, "assessment-date") == dt.date.today().isoformat()


def test_each_kind_of_answer_becomes_the_right_finding_and_risk(made: Exports) -> None:
    findings = made.findings()
    risks = {r["related-observations"][0]["observation-uuid"]: r for r in made.result["risks"]}

    def risk_of(item_id: str) -> dict[str, Any] | None:
        return risks.get(findings[item_id]["related-observations"][0]["observation-uuid"])

    expected = {  # item: (target status, reason, implementation state, risk status)
        "IAM-01": ("satisfied", "pass", "implemented", None),
        "CAU-03": ("satisfied", "pass", "alternative", None),
        "ADM-01": ("satisfied", "other", "not-applicable", None),
        "DAT-06": ("not-satisfied", "fail", "planned", "remediating"),
        "DAT-11": ("not-satisfied", "fail", "planned", "remediating"),
        "IAM-02": ("not-satisfied", "fail", "partial", "remediating"),
        "IAM-03": ("not-satisfied", "fail", None, "deviation-approved"),
        "KEY-01": ("not-satisfied", "other", None, "deviation-approved"),
        "KEY-02": ("not-satisfied", "fail", None, "open"),
    }
    for item_id, (state, reason, implemented, risk_status) in expected.items():
        target = findings[item_id]["target"]
        assert (target["status"]["state"], target["status"]["reason"]) == (state, reason), item_id
        assert target.get("implementation-status", {}).get("state") == implemented, item_id
        risk = risk_of(item_id)
        assert (risk["status"] if risk else None) == risk_status, item_id
        if risk is not None:
            assert findings[item_id]["related-risks"] == [{"risk-uuid": risk["uuid"]}]
    gap_ids = {g["id"] for g in made.status["gaps"]}
    assert len(made.result["risks"]) == len(gap_ids | {"KEY-01"})
    dat06 = risk_of("DAT-06")
    assert dat06 is not None and dat06["deadline"] == "2099-03-31T00:00:00Z"
    assert dat06["remediations"][0]["title"] == "2099-03-31 までに実施（担当: SRE）"
    key01 = risk_of("KEY-01")
    assert key01 is not None
    (entry,) = key01["risk-log"]["entries"]
    assert (entry["start"], entry["end"], entry["status-change"]) == (
        "2026-11-07T00:00:00Z",
        "2099-12-31T00:00:00Z",
        "deviation-approved",
    )
    assert prop(entry, "approver") == "CEO 山田"
    assert "\\[link\\](http://x)" in entry["description"]  # user text never becomes a link
    key02 = risk_of("KEY-02")
    assert key02 is not None and prop(key02["risk-log"]["entries"][0], "expired") == "true"
    assert findings["IAM-03"]["remarks"] == "root は使わない"
    parties = {p["name"]: p["type"] for p in made.results["metadata"]["parties"]}
    assert parties == {ORGANISATION: "organization", "CEO 山田": "person", "CTO": "person"}


def test_evidence_is_relevant_evidence_with_its_hash_and_dates(made: Exports) -> None:
    observation = next(o for o in made.result["observations"] if o["title"] == "IAM-01 の回答")
    (evidence,) = observation["relevant-evidence"]
    digest = hashlib.sha256(made.evidence.read_bytes()).hexdigest()
    assert prop(evidence, "evidence-id") == "E0001"
    assert prop(evidence, "sha256") == digest
    assert prop(evidence, "effective-from") == "2026-11-01"
    assert prop(evidence, "expires") == "2027-11-01"
    assert prop(evidence, "added-at") == "2026-11-08T10:00:00Z"
    assert observation["methods"] == ["INTERVIEW", "EXAMINE"]
    assert observation["collected"] == "2026-11-03T00:00:00Z"  # the day the answer was given
    assert observation["expires"] == "2027-11-01T00:00:00Z"
    resource = next(r for r in made.results["back-matter"]["resources"] if f"#{r['uuid']}" == evidence["href"])
    assert resource["rlinks"] == [
        {"href": "evidence/files/E0001-credential-report.csv", "hashes": [{"algorithm": "SHA-256", "value": digest}]}
    ]
    assert (made.ws / resource["rlinks"][0]["href"]).is_file()


def test_the_results_are_dated_by_the_history_and_worded_in_the_chosen_language(made: Exports) -> None:
    last = made.history[-1]
    metadata = made.results["metadata"]
    assert metadata["last-modified"] == "2026-11-08T10:00:00Z"  # the evidence, added last
    assert dt.datetime.fromisoformat(last["at"]) == dt.datetime(2026, 11, 8, 10, tzinfo=dt.UTC)
    assert (made.result["start"], made.result["end"]) == ("2026-11-02T00:00:00Z", "2026-11-08T10:00:00Z")
    assert prop(metadata, "history-head") == last["hash"] == made.status["history"]["head"]
    assert metadata["version"] == str(len(made.history))
    assert metadata["title"] == f"{ORGANISATION}の自己評価結果（antai）"
    english = made.english
    (result,) = english["results"]
    assert result["title"] == f"Self-assessment as of {dt.date.today().isoformat()}"
    finding = next(f for f in result["findings"] if f["target"]["target-id"] == "IAM-01_smt")
    assert finding["description"] == "- Answer: Implemented\n- Satisfied"
    assert english["uuid"] != made.results["uuid"]


# --- stability, safety, usage ------------------------------------------------------------------------------


def test_exporting_unchanged_data_again_gives_the_same_bytes(made: Exports, tmp_path: Path) -> None:
    target = tmp_path / "antai-catalog.json"
    written = offline("export", "oscal", "catalog", "-o", str(target))
    assert written.returncode == 0 and written.stdout.strip() == str(target)
    assert target.read_text("utf-8") == made.catalog_text
    assert export("profile", "--profile", PROFILE) == made.profile_text
    assert export("assessment-results", "-C", str(made.ws)) == made.results_text


def test_outputs_never_replace_inputs_and_options_fit_their_kind(made: Exports, tmp_path: Path) -> None:
    answers = made.ws / "answers.yaml"
    before = answers.read_bytes()
    refused = offline("export", "oscal", "assessment-results", "-C", str(made.ws), "-o", str(answers))
    assert refused.returncode == 2 and answers.read_bytes() == before
    profile = tmp_path / "profile.yaml"
    profile.write_text("users: 10\n", encoding="utf-8")
    refused = offline("export", "oscal", "profile", "--profile", str(profile), "-o", str(profile))
    assert refused.returncode == 2 and profile.read_text("utf-8") == "users: 10\n"
    wrong = offline("export", "oscal", "catalog", "--date", "2026-01-01")
    assert wrong.returncode == 2 and "--date は assessment-results の出力にだけ使う" in wrong.stderr
    wrong = offline("export", "oscal", "assessment-results", "--profile", PROFILE, "-C", str(made.ws), "--lang", "en")
    assert wrong.returncode == 2 and "--profile is only for KIND profile" in wrong.stderr


def test_the_network_guard_of_these_tests_works() -> None:
    probe = "import socket\nsocket.create_connection(('127.0.0.1', 9))\n"
    done = offline(probe=probe)
    assert done.returncode != 0 and "NETWORK-USED" in done.stderr
