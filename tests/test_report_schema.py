"""The JSON report schema is typed field by field: a bank's tooling can rely on every value's type."""

from __future__ import annotations

import json
from typing import Any

import jsonschema

from antai.reports.assessment import report_json_schema
from tests.conftest import run_cli


def _free_form(node: Any, path: str, defs: dict[str, Any], found: list[str]) -> None:
    """Every object in the schema either lists its properties or types its values; nothing is `{}`."""
    if isinstance(node, dict):
        if node == {} or (node.get("type") == "object" and not node.get("properties")):
            extra = node.get("additionalProperties")
            if not isinstance(extra, dict) or extra == {}:
                found.append(path or "/")
        for key, value in node.items():
            if key in ("default", "examples", "const", "enum", "description", "title"):
                continue
            _free_form(value, f"{path}/{key}", defs, found)
    elif isinstance(node, list):
        for n, value in enumerate(node):
            _free_form(value, f"{path}/{n}", defs, found)


def test_no_free_form_objects_in_the_report_schema() -> None:
    schema = report_json_schema()
    found: list[str] = []
    _free_form(schema, "", schema.get("$defs", {}), found)
    assert found == []
    # the parts that used to be free-form are typed now
    props = schema["properties"]
    assert props["profile"]["$ref"] == "#/$defs/Profile"
    assert props["risk"]["$ref"] == "#/$defs/RiskOut"
    assert props["decisions"]["items"]["$ref"] == "#/$defs/DecisionOut"
    assert props["fisc"]["items"]["$ref"] == "#/$defs/FiscRowOut"


def test_the_schema_the_cli_publishes_validates_a_real_bank_report(tmp_path: Any) -> None:
    ws = tmp_path / "ws"
    run_cli("demo", str(ws))
    schema = json.loads(run_cli("report", "schema").stdout)
    report = json.loads(run_cli("report", "-C", str(ws), "--audience", "bank", "--format", "json").stdout)
    jsonschema.Draft202012Validator(schema).validate(report)
    assert report["risk"]["tier"] in ("low", "medium", "high")
    assert set(report["risk"]["derivation"]) == {"tier", "confidentiality", "integrity", "availability"}
    decision = report["decisions"][0]
    assert set(decision) == {"item", "kind", "rationale", "approver", "decided", "expires", "expired", "current"}
    assert len(report["fisc"]) > 300
    risk_based = [row for row in report["fisc"] if row["applies"]]
    assert risk_based and all(set(row["applies"]) == {"always", "when"} for row in risk_based)
