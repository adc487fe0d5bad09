"""The hash chain: what it covers, what breaks it, and how two branches are joined."""

from __future__ import annotations

import copy
import hashlib
from typing import Any

import pytest

from antai.assessment.history import (
    GENESIS,
    Head,
    canonical,
    check_chain,
    dump_line,
    entry_hash,
    new_entry,
    parse_lines,
    text_digest,
)


def chain(length: int) -> list[dict[str, Any]]:
    entries: list[dict[str, Any]] = []
    head = Head.of(None)
    for n in range(length):
        entry = new_entry(
            head,
            at=f"2026-12-01T00:00:{n:02d}+00:00",
            who="tester",
            action="set",
            state={"answers.yaml": f"{n:064x}"},
            item=f"IAM-{n + 1:02d}",
            before={"status": "unanswered"},
            after={"status": "implemented"},
        )
        entries.append(entry)
        head = Head.of(entry)
    return entries


def test_an_intact_chain_has_one_head() -> None:
    entries = chain(4)
    result = check_chain(entries)
    assert result.ok and result.entries == 4 and result.head == entries[-1]
    assert [e["seq"] for e in entries] == [1, 2, 3, 4]
    assert entries[0]["prev"] == GENESIS and entries[1]["prev"] == entries[0]["hash"]


@pytest.mark.parametrize("field", ["at", "who", "action", "item", "before", "after", "message", "state", "seq"])
def test_every_field_is_covered_by_the_hash(field: str) -> None:
    entries = chain(3)
    altered = copy.deepcopy(entries)
    altered[1][field] = {"forged": True} if field in ("before", "after", "state") else "forged"
    if field == "seq":
        altered[1][field] = 7
    result = check_chain(altered)
    broken = result.broken
    assert broken is not None and broken.line == 2 and broken.reason == "altered"
    assert broken.seq == (7 if field == "seq" else 2) and result.entries == 3  # every entry is still counted
    assert broken.message == "does not match its hash (its content was altered)"


def test_a_sequence_number_that_is_not_a_number_is_reported_as_missing() -> None:
    entries = chain(2)
    entries[1]["seq"] = True  # JSON true would pass a plain int check
    entries[1]["hash"] = entry_hash(entries[1])
    broken = check_chain(entries).broken
    assert broken is not None and (broken.reason, broken.seq, broken.detail) == ("sequence", None, "2")


def test_a_rechained_entry_with_a_wrong_sequence_number_is_caught() -> None:
    entries = chain(3)
    entries[1]["seq"] = 5
    entries[1]["hash"] = entry_hash(entries[1])
    entries[2]["prev"] = entries[1]["hash"]
    entries[2]["hash"] = entry_hash(entries[2])
    broken = check_chain(entries).broken
    assert broken is not None and (broken.line, broken.reason, broken.seq) == (2, "sequence", 5)
    assert broken.message == "has sequence number 5, expected 2"


def test_removed_and_reordered_entries_break_the_links() -> None:
    entries = chain(4)
    removed_result = check_chain([entries[0], entries[2], entries[3]])
    removed = removed_result.broken
    assert removed is not None and (removed.line, removed.reason, removed.seq) == (2, "unlinked", 3)
    assert removed_result.entries == 3 and removed_result.heads == [entries[0]]
    assert removed.message == "does not link to an earlier entry (an entry was removed or reordered)"
    swapped = check_chain([entries[0], entries[2], entries[1], entries[3]]).broken
    assert swapped is not None and swapped.line == 2
    second_root = check_chain([entries[0], *chain(1), entries[1]]).broken
    assert second_root is not None and (second_root.line, second_root.reason, second_root.seq) == (2, "second_root", 1)
    assert second_root.message == "starts a second history (only the first entry may have no predecessor)"


def test_an_unreadable_line_is_reported_at_its_position() -> None:
    lines = "".join(__import__("json").dumps(e) + "\n" for e in chain(2)) + "{not json\n[1]\n\n"
    result = check_chain(parse_lines(lines))
    assert result.broken is not None and (result.broken.line, result.broken.reason) == (3, "unreadable")
    assert result.entries == 4 and result.broken.message == "is not valid JSON"
    assert parse_lines("[1]\n")[0] == {"_unreadable": "[1]"}


def test_two_branches_are_two_heads_until_a_merge_entry_joins_them() -> None:
    base = chain(2)
    head = Head.of(base[-1])
    ours = new_entry(head, at="t1", who="a", action="set", state={"x": "1"}, item="IAM-03")
    theirs = new_entry(head, at="t2", who="b", action="set", state={"x": "2"}, item="IAM-04")
    theirs2 = new_entry(Head.of(theirs), at="t3", who="b", action="set", state={"x": "3"}, item="IAM-05")
    combined = [*base, ours, theirs, theirs2]  # what git's union merge leaves: ours, then theirs
    forked = check_chain(combined)
    assert forked.broken is None and not forked.ok and len(forked.heads) == 2
    merge = new_entry(Head.of(theirs2), at="t4", who="a", action="record", state={"x": "4"}, merge=[Head.of(ours)])
    assert merge["merge"] == [ours["hash"]] and merge["seq"] == 5  # one past the longer branch
    joined = check_chain([*combined, merge])
    assert joined.ok and joined.head == merge


def test_a_merge_naming_an_unknown_head_is_unlinked() -> None:
    base = chain(2)
    bogus = new_entry(Head.of(base[-1]), at="t", who="a", action="record", state={}, merge=[Head("f" * 64, 9, {})])
    broken = check_chain([*base, bogus]).broken
    assert broken is not None and broken.reason == "unlinked"


def test_text_digest_ignores_crlf_only() -> None:
    assert text_digest(b"a: 1\r\nb: 2\r\n") == text_digest(b"a: 1\nb: 2\n")
    assert text_digest(b"a: 1\n") != text_digest(b"a: 2\n")
    assert text_digest(b"a: 1\r") != text_digest(b"a: 1\n")


def test_the_hash_of_an_entry_is_stable_across_versions() -> None:
    """A history written today must verify with every later antai: the canonical form is fixed."""
    entry = {
        "seq": 1,
        "at": "2026-12-01T03:00:00+00:00",
        "who": "田中",
        "action": "set",
        "item": "IAM-01",
        "before": {"status": "unanswered"},
        "after": {"status": "implemented", "note": "ハードウェアキー"},
        "message": None,
        "state": {"answers.yaml": "0" * 64},
        "prev": GENESIS,
    }
    assert canonical(entry) == (
        '{"action":"set","after":{"note":"ハードウェアキー","status":"implemented"},"at":"2026-12-01T03:00:00+00:00",'
        '"before":{"status":"unanswered"},"item":"IAM-01","message":null,"prev":"' + GENESIS + '","seq":1,'
        '"state":{"answers.yaml":"' + "0" * 64 + '"},"who":"田中"}'
    ).encode("utf-8")
    assert entry_hash(entry) == hashlib.sha256(canonical(entry)).hexdigest()
    assert dump_line({"b": "日本", "a": 1}) == '{"a": 1, "b": "日本"}\n'


def test_head_of_an_entry_with_missing_fields() -> None:
    assert Head.of(None) == Head(GENESIS, 0, {})
    assert Head.of({"hash": "h"}) == Head("h", 0, {})
    assert Head.of({"hash": "h", "seq": 4, "state": ["not", "a", "mapping"]}) == Head("h", 4, {})


def test_blank_lines_between_entries_are_skipped() -> None:
    one, two = chain(2)
    assert parse_lines(dump_line(one) + "\n  \n" + dump_line(two)) == [one, two]
