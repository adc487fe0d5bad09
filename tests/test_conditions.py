"""The condition language: the profile vocabulary, its parsing and its rendering."""

from __future__ import annotations

import pytest
from pydantic import TypeAdapter, ValidationError

from antai.catalog.conditions import AllOf, AnyOf, Condition, Facts, describe

parse = TypeAdapter(Condition).validate_python


def test_nested_conditions_parse_into_their_kinds() -> None:
    cond = parse({"any": [{"channels": ["ios_app"]}, {"all": [{"data": ["card"]}, {"users": {"gte": 1000}}]}]})
    assert isinstance(cond, AnyOf)
    assert isinstance(cond.any[0], Facts) and isinstance(cond.any[1], AllOf)
    assert describe(cond) == "channels ∋ ios_app OR (data ∋ card AND users ≥ 1000)"


def test_several_facts_in_one_mapping_must_all_hold() -> None:
    cond = parse({"moves_customer_funds": True, "tier": {"gte": "high"}})
    assert describe(cond) == "moves_customer_funds AND tier ≥ high"


@pytest.mark.parametrize(
    "bad",
    [
        {},  # says nothing
        {"channels": []},  # an empty list would never hold
        {"own_equipment": False},  # absence of risk cannot select an item
        {"users": {"lte": 10}},  # only thresholds from below keep the plan monotone
        {"tier": {"gte": "extreme"}},
        {"business": ["banking"]},
        {"not": {"channels": ["web"]}},  # there is no negation
        {"any": []},
        {"business": None},  # null is not a value: the key must be left out instead (bug B1)
        {"users": None},
        {"externality": None},
        {"all": [{"moves_customer_funds": None}]},
        {"chanels": ["web"]},  # unknown keys are refused
        {"users": {"gte": 10, "lte": 20}},
    ],
)
def test_non_monotone_or_meaningless_conditions_are_rejected(bad: dict[str, object]) -> None:
    with pytest.raises(ValidationError):
        parse(bad)
