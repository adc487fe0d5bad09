"""OSCAL 1.1.2 JSON documents: the catalog, a service's tailored profile, and a workspace's assessment results.

- The catalog: chapters and sections as groups, items as controls whose IDs are the item IDs. Japanese is the
  reference, so titles and prose are Japanese; the English text sits beside each as a prop or part named
  ``translation`` (class ``en``) in antai's namespace :data:`NS`. What OSCAL has no name for (level, NIST CSF
  function, FISC, OWASP and CWE IDs, severity, effort, layers …) is a prop in that namespace too.
- The profile imports the catalog through a back-matter resource, includes exactly the plan's items, excludes
  the others (each exclusion's reasons on a metadata prop), and adds to each included control, through
  ``modify/alters``, why it applies and its phase. antai's items have no parameters, so there is no
  ``set-parameters``.
- The assessment results hold one result: per applicable item an observation (the answer, its evidence with
  SHA-256 and effective dates) and a finding (satisfied or not, and why); a risk for every gap and for every
  recorded deviation (risk acceptance, a mandatory item declared not applicable), with the decision in the
  risk log.

Deterministic: every UUID is a version-5 UUID of a stable name, keys come in a fixed order, and
``last-modified`` comes from the data (the catalog's release date, the time the workspace recorded its
profile, the assessment's last history entry), never from the clock. Generated wording follows ``lang``;
the catalog's own text is always Japanese with English translations.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from antai import __version__
from antai.catalog import Catalog
from antai.catalog.references import describe_reference
from antai.catalog.schema import Chapter, Item, Section, TechNote, Text
from antai.labels import label
from antai.tailoring.plan import Plan, PlannedItem, describe_condition

if TYPE_CHECKING:  # the assessment's modules are imported only for the assessment results
    from antai.assessment.model import Acceptance, Answer, EvidenceRecord, Status
    from antai.assessment.state import Assessment
    from antai.scoring.score import Gap

OSCAL_VERSION = "1.1.2"
NS = "https://antai.invalid/ns/oscal"
"""antai's namespace for the props and parts OSCAL has no name for."""
_ROOT = uuid.uuid5(uuid.NAMESPACE_URL, NS)
KINDS = ("catalog", "profile", "assessment-results")
CATALOG_MEDIA_TYPE = "application/oscal.catalog+json"
PROFILE_MEDIA_TYPE = "application/oscal.profile+json"
_EPOCH = dt.date(1970, 1, 1)

JSON = dict[str, Any]

# --- generated wording: key → (ja, en) ----------------------------------------------------------------------

_WORDS: dict[str, tuple[str, str]] = {
    "catalog.remarks": (
        "本文は日本語（正本）である。英語訳は、名前空間 {ns} の prop と part（name: translation、class: en）にある。"
        "OSCAL に名前のない属性（区分、NIST CSF の機能、FISC・OWASP・CWE の ID など）は同じ名前空間の prop である。",
        "The text is Japanese, the reference language. English translations are the props and parts named "
        "'translation' (class 'en') in namespace {ns}. Attributes OSCAL has no name for (level, NIST CSF function, "
        "FISC, OWASP and CWE IDs, …) are props in the same namespace.",
    ),
    "fisc.title": ("FISC 安全対策基準（第{edition}版）", "FISC Security Guidelines ({edition}th edition)"),
    "catalog.resource": ("antai カタログ {version}（OSCAL）", "antai catalog {version} (OSCAL)"),
    "service": ("このサービス", "the service"),
    "profile.title": (
        "{name}の antai プロファイル（カタログ {version}）",
        "antai profile of {name} (catalog {version})",
    ),
    "profile.remarks": (
        "適用される {selected} 項目を include-controls に、適用されない {excluded} 項目を exclude-controls に挙げた。"
        "適用されない理由は metadata の prop（name: excluded）に、各項目が適用される理由とフェーズは modify の "
        "alters にある。文言は{lang_name}。",
        "The {selected} applicable items are the include-controls, the {excluded} others the exclude-controls. "
        "Why an item does not apply is on a metadata prop named 'excluded'; why each item applies and its phase "
        "are in the modify alters. Wording: {lang_name}.",
    ),
    "lang.ja": ("日本語", "Japanese"),
    "lang.en": ("英語", "English"),
    "tailoring": ("適用理由とフェーズ", "Why it applies, and its phase"),
    "reasons": ("適用理由", "Applies because"),
    "results.title": ("{organisation}の自己評価結果（antai）", "Self-assessment results of {organisation} (antai)"),
    "results.remarks": (
        "antai のワークスペースの自己評価である。項目ごとに、回答とエビデンスを observation に、評価を finding に、"
        "未対応と逸脱（リスク受容、必須項目の該当なし）を risk に記録した。状態と期限は {date} 時点で判定した。",
        "A self-assessment kept in an antai workspace. Per item, the answer and its evidence are an observation "
        "and the conclusion a finding; gaps and deviations (risk acceptances, mandatory items declared not "
        "applicable) are risks. Statuses and expiries are as of {date}.",
    ),
    "result.title": ("{date} 時点の自己評価", "Self-assessment as of {date}"),
    "result.description": (
        "適用される {count} 項目のうち {done} 項目が実施済みまたは代替策で対応済み。未対応 {gaps} 件。",
        "Of {count} applicable items, {done} are implemented or compensated; {gaps} gap(s).",
    ),
    "plan.title": ("評価の範囲: antai の計画（プロファイル）", "Scope: the antai plan (profile)"),
    "plan.remarks": (
        "OSCAL の評価計画はない。評価の範囲は、このワークスペースのプロファイルに対する antai の計画である"
        "（antai export oscal profile -C で出力できる）。",
        "There is no OSCAL assessment plan: the scope is antai's plan for this workspace's profile "
        "(antai export oscal profile -C writes it).",
    ),
    "observation.title": ("{item} の回答", "Answer for {item}"),
    "answer": ("回答", "Answer"),
    "owner": ("担当", "Owner"),
    "due": ("期限", "Due"),
    "compensated_by": ("代替策", "Compensated by"),
    "reason": ("理由", "Reason"),
    "evidence_count": ("エビデンス", "Evidence"),
    "evidence_none": ("なし", "none"),
    "evidence_some": ("{count} 件", "{count}"),
    "satisfied": ("満たしている", "Satisfied"),
    "not_satisfied": ("満たしていない", "Not satisfied"),
    "gap": ("未対応の理由", "Gap"),
    "accepted_until": ("リスク受容（{expires} まで、承認: {approver}）", "risk accepted until {expires} by {approver}"),
    "risk.gap": ("{item} の未対応リスク", "Gap in {item}"),
    "risk.accepted": ("{item} の受容されたリスク", "Accepted risk of {item}"),
    "risk.statement": ("{item}: {why}", "{item}: {why}"),
    "remediation.title": ("{due} までに実施", "Done by {due}"),
    "remediation.owner": ("{due} までに実施（担当: {owner}）", "Done by {due} (owner: {owner})"),
    "decision.risk_acceptance": ("リスク受容の判断", "Risk acceptance decision"),
    "decision.not_applicable": ("必須項目を該当なしとする判断", "Decision: mandatory item not applicable"),
    "decision.description": (
        "{decided} に {approver} が判断（{expires} に見直し）: {rationale}",
        "Decided by {approver} on {decided} (review by {expires}): {rationale}",
    ),
}


def _w(key: str, lang: str, **params: Any) -> str:
    ja, en = _WORDS[key]
    return (ja if lang == "ja" else en).format(**params)


# --- small builders -------------------------------------------------------------------------------------------


def stable_uuid(*name: str) -> str:
    """A version-5 UUID of ``name`` in antai's fixed namespace: the same name, the same UUID."""
    return str(uuid.uuid5(_ROOT, "/".join(name)))


def _line(text: str) -> str:
    """One line without surrounding space, as OSCAL wants a prop value or a title."""
    return " ".join(str(text).split())


_MARKUP = re.compile(r"([\\`*\[\]<>])")


def _md(text: str) -> str:
    """Plain text for an OSCAL markup field (Markdown in JSON): the characters Markdown or HTML would act on
    are escaped, so that a text shows as written and never turns into a link or a tag."""
    escaped = _MARKUP.sub(r"\\\1", str(text).strip())
    return re.sub(r"(?m)^(\s*)#", r"\1\\#", escaped)


def _md_line(text: str) -> str:
    return _md(_line(text))


def _prop(name: str, value: object, *, cls: str | None = None, ns: str | None = NS, remarks: str | None = None) -> JSON:
    found: JSON = {"name": name}
    if ns is not None:
        found["ns"] = ns
    found["value"] = _line(str(value))
    if cls is not None:
        found["class"] = cls
    if remarks:
        found["remarks"] = remarks
    return found


def _props(*props: JSON | None) -> list[JSON]:
    """The props that have a value (a prop's value may not be empty)."""
    return [p for p in props if p is not None and p["value"]]


def _translation(text: str) -> JSON:
    return _prop("translation", text, cls="en")


def _translated(
    name: str,
    text: Text,
    *,
    part_id: str | None = None,
    ns: str | None = None,
    title: str | None = None,
    props: list[JSON] | None = None,
    parts: Sequence[JSON] = (),
) -> JSON:
    """A part with Japanese prose and its English translation as a child part (then ``parts``)."""
    part: JSON = {}
    if part_id is not None:
        part["id"] = part_id
    part["name"] = name
    if ns is not None:
        part["ns"] = ns
    if title is not None:
        part["title"] = title
    if props:
        part["props"] = props
    part["prose"] = _md(text.ja)
    part["parts"] = [{"name": "translation", "ns": NS, "class": "en", "prose": _md(text.en)}, *parts]
    return part


def _day(day: dt.date) -> str:
    """A date as an OSCAL date-time (midnight UTC)."""
    return f"{day.isoformat()}T00:00:00Z"


def _timestamp(at: dt.datetime) -> str:
    aware = at if at.tzinfo is not None else at.replace(tzinfo=dt.UTC)
    text = aware.isoformat()
    return text.removesuffix("+00:00") + "Z" if text.endswith("+00:00") else text


def _number(value: float) -> str:
    return f"{value:g}"


def _href(target: str) -> str:
    """A path or URL as a URI reference: spaces and non-ASCII characters percent-encoded."""
    return quote(target.strip(), safe=":/?#[]@!$&'()*+,;=%~")


def dumps(document: JSON) -> str:
    """The document as OSCAL JSON text (UTF-8, two-space indent, a final newline)."""
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def _digest(data: object) -> str:
    return hashlib.sha256(json.dumps(data, ensure_ascii=False, sort_keys=True, default=str).encode()).hexdigest()


# --- the catalog ----------------------------------------------------------------------------------------------


def release_date(catalog: Catalog) -> dt.date:
    """The date the catalog's version was released (changelog), the epoch for a catalog without one."""
    if catalog.changelog is None:
        return _EPOCH
    found = next((r.date for r in catalog.changelog.releases if r.version == catalog.version), None)
    return found or catalog.changelog.releases[0].date


def catalog_uuid(catalog: Catalog) -> str:
    """The catalog document's UUID: it changes whenever an item, the table of contents or a note does."""
    content = {
        "meta": catalog.meta.model_dump(mode="json"),
        "items": [i.model_dump(mode="json") for i in catalog.items],
        "technotes": [n.model_dump(mode="json") for n in catalog.technotes],
    }
    return stable_uuid("catalog", __version__, catalog.version, _digest(content))


def _technote_uuid(note: TechNote) -> str:
    return stable_uuid("technote", note.id)


def _reference_links(item: Item) -> list[JSON]:
    links = []
    for ref in item.references:
        if ref.kind.value == "cwe":
            number = ref.id.removeprefix("CWE-")
            links.append(
                {
                    "href": f"https://cwe.mitre.org/data/definitions/{number}.html",
                    "rel": "reference",
                    "text": _md_line(describe_reference("cwe", ref.id)),
                }
            )
    return links


def _items_part(name: str, part_id: str, title: str, child: str, texts: Sequence[Text]) -> JSON | None:
    if not texts:
        return None
    return {
        "id": part_id,
        "name": name,
        "ns": NS,
        "title": title,
        "parts": [_translated(child, t, part_id=f"{part_id}.{n}", ns=NS) for n, t in enumerate(texts, start=1)],
    }


def _control(catalog: Catalog, item: Item, position: int, lang: str) -> JSON:
    key = item.id
    props = _props(
        _prop("label", item.id, ns=None),
        _prop("sort-id", f"{item.chapter:02d}-{position:04d}", ns=None),
        _translation(item.title.en),
        _prop("level", item.level.value),
        _prop("csf-function", item.csf.value),
        _prop("applicability", "mandatory" if item.mandatory else "conditional"),
        _prop("severity", item.severity.value),
        _prop("effort-days-min", _number(item.effort_days[0])),
        _prop("effort-days-max", _number(item.effort_days[1])),
        *(_prop("cia", c.value) for c in item.cia),
        *(_prop("layer", layer.value) for layer in item.layers),
        _prop("responsibility", item.responsibility.value),
        *(_prop("fisc", f) for f in item.fisc),
        *(_prop("fisc", f, cls="unverified") for f in item.fisc_unverified),
        *(_prop(ref.kind.value, ref.id) for ref in item.references),
        *(_prop("check", c) for c in item.checks),
    )
    links = [
        *({"href": f"#{dep}", "rel": "required"} for dep in item.depends_on),
        *_reference_links(item),
        *(
            {"href": f"#{_technote_uuid(n)}", "rel": "related", "text": _md_line(n.title(lang))}
            for n in catalog.technotes_for(item.id)
        ),
    ]
    condition = item.applicability.when
    applicability_parts = []
    if condition is not None:
        worded = Text(ja=describe_condition(condition, "ja"), en=describe_condition(condition, "en"))
        applicability_parts.append(
            _translated("condition", worded, part_id=f"{key}_app.cond", ns=NS, title=label("condition", lang))
        )
    evidence = {
        "id": f"{key}_evd",
        "name": "assessment-method",
        "title": label("evidence", lang),
        "props": [_prop("method", "EXAMINE", ns=None)],
        "parts": [
            _translated(
                "assessment-objects",
                e.text,
                part_id=f"{key}_evd.{n}",
                props=[_prop("automatable", "true" if e.automatable else "false")],
            )
            for n, e in enumerate(item.evidence, start=1)
        ],
    }
    parts = [
        _translated("statement", item.objective, part_id=f"{key}_smt", title=label("objective", lang)),
        _translated("assumed-risk", item.risk, part_id=f"{key}_risk", ns=NS, title=label("risk", lang)),
        _translated(
            "applicability",
            item.applicability.example,
            part_id=f"{key}_app",
            ns=NS,
            title=label("applicability", lang),
            props=[_prop("applicability", "mandatory" if item.mandatory else "conditional")],
            parts=applicability_parts,
        ),
        {
            "id": f"{key}_ex",
            "name": "example",
            "title": label("countermeasures", lang),
            "parts": [
                _translated("countermeasure", t, part_id=f"{key}_ex.{n}", ns=NS)
                for n, t in enumerate(item.countermeasures, start=1)
            ],
        },
        _items_part("bad-examples", f"{key}_bad", label("bad_examples", lang), "bad-example", item.bad_examples),
        _items_part("do", f"{key}_do", label("do", lang), "do-item", item.do),
        _items_part("dont", f"{key}_dont", label("dont", lang), "dont-item", item.dont),
        evidence,
    ]
    control: JSON = {"id": key, "title": _md_line(item.title.ja), "props": props}
    if links:
        control["links"] = links
    control["parts"] = [p for p in parts if p is not None]
    return control


def _section_group(chapter: Chapter, section: Section, controls: list[JSON]) -> JSON:
    return {
        "id": f"{chapter.slug}.{section.id}",
        "class": "section",
        "title": _md_line(section.title.ja),
        "props": [_translation(section.title.en)],
        "controls": controls,
    }


def _chapter_group(chapter: Chapter, sections: list[JSON]) -> JSON:
    group: JSON = {
        "id": chapter.slug,
        "class": "chapter",
        "title": _md_line(chapter.title.ja),
        "props": [_prop("label", str(chapter.number), ns=None), _translation(chapter.title.en)],
        "parts": [_translated("overview", chapter.summary, part_id=f"{chapter.slug}_ovw")],
    }
    if sections:
        group["groups"] = sections
    return group


def _fisc_resource(catalog: Catalog, lang: str) -> JSON | None:
    meta = catalog.fisc.meta
    if meta is None:
        return None
    return {
        "uuid": stable_uuid("fisc-index", str(meta.edition)),
        "title": _md_line(_w("fisc.title", lang, edition=meta.edition)),
        "description": _md(meta.provenance(lang)),
        "props": [_prop("fisc-edition", str(meta.edition))],
    }


def _technote_resource(note: TechNote, lang: str) -> JSON:
    return {
        "uuid": _technote_uuid(note),
        "title": _md_line(note.title.ja),
        "description": _md(note.summary.ja),
        "props": [_prop("technote", note.id), _translation(note.title.en)],
        "remarks": _md(note.summary.en),
    }


def catalog_document(catalog: Catalog, lang: str) -> JSON:
    """The whole catalog as an OSCAL catalog."""
    released = _day(release_date(catalog))
    by_section: dict[tuple[int, str], list[JSON]] = {}
    for position, item in enumerate(catalog.items, start=1):
        by_section.setdefault((item.chapter, item.section), []).append(_control(catalog, item, position, lang))
    groups = []
    for chapter in catalog.chapters:
        sections = [
            _section_group(chapter, section, by_section[(chapter.number, section.id)])
            for section in chapter.sections
            if (chapter.number, section.id) in by_section
        ]
        groups.append(_chapter_group(chapter, sections))
    provenance = label("guide.provenance", lang)
    fisc = _fisc_resource(catalog, lang)
    resources = [*([fisc] if fisc else []), *(_technote_resource(n, lang) for n in catalog.technotes)]
    document: JSON = {
        "uuid": catalog_uuid(catalog),
        "metadata": {
            "title": _md_line(label("guide.title", lang)),
            "published": released,
            "last-modified": released,
            "version": catalog.version,
            "oscal-version": OSCAL_VERSION,
            "props": [
                _prop("language", "ja"),
                _prop("translation-language", "en"),
                _prop("generator", f"antai {__version__}"),
            ],
            "remarks": _md(_w("catalog.remarks", lang, ns=NS)) + "\n\n" + _md(provenance),
        },
        "groups": groups,
    }
    if resources:
        document["back-matter"] = {"resources": resources}
    return {"catalog": document}


def _catalog_resource(catalog: Catalog, identity: str, href: str, lang: str) -> JSON:
    """A back-matter resource naming the catalog export (by its UUID) and where it is."""
    return {
        "uuid": stable_uuid("catalog-resource", identity),
        "title": _md_line(_w("catalog.resource", lang, version=catalog.version)),
        "props": [_prop("catalog-uuid", identity), _prop("catalog-version", catalog.version)],
        "rlinks": [{"href": _href(href), "media-type": CATALOG_MEDIA_TYPE}],
    }


# --- the profile ----------------------------------------------------------------------------------------------


def _profile_facts(plan: Plan) -> list[JSON]:
    props = []
    for key, value in plan.profile.model_dump(mode="json").items():
        name = "profile-" + key.replace("_", "-")
        if value is None:
            continue
        values = value if isinstance(value, list) else [value]
        for one in values:
            text = ("true" if one else "false") if isinstance(one, bool) else str(one)
            props.append(_prop(name, text))
    return _props(*props)


def _tailoring_props(planned: PlannedItem) -> list[JSON]:
    reason = planned.phase_reason
    return _props(
        _prop("phase", planned.phase.value),
        _prop("priority", str(planned.priority)),
        _prop("item-risk", planned.risk.value),
        _prop("protected-level", reason.level.value),
        *(_prop("protects", p) for p in reason.protects),
        _prop("advanced-one-phase-later", "true") if reason.advanced else None,
        _prop("funds-at-stake", "true") if reason.funds_at_stake else None,
        *(_prop("pulled-by", p) for p in reason.pulled_by),
        _prop("quick-win", "true") if planned.quick_win else None,
        *(_prop("applies-because", r) for r in planned.reasons),
    )


def _tailoring_prose(planned: PlannedItem, lang: str) -> str:
    lines = [f"- {label('phase', lang)}: {label('phase.' + planned.phase.value, lang)}"]
    lines.extend(f"- {_w('reasons', lang)}: {_md_line(r)}" for r in planned.reasons)
    return "\n".join(lines)


def profile_document(
    catalog: Catalog,
    plan: Plan,
    lang: str,
    *,
    catalog_href: str,
    recorded: dt.datetime | None = None,
    organisation: str | None = None,
) -> JSON:
    """The plan as an OSCAL profile of the catalog. ``recorded`` is when a workspace recorded the profile
    (its last-modified); a profile from a file has no date of its own and takes the catalog's."""
    identity = catalog_uuid(catalog)
    resource = _catalog_resource(catalog, identity, catalog_href, lang)
    facts = plan.profile.model_dump(mode="json")
    name = plan.profile.name or organisation or _w("service", lang)
    modified = _timestamp(recorded) if recorded is not None else _day(release_date(catalog))
    included = [p.id for p in plan.items]
    excluded = [e.id for e in plan.excluded]
    chosen: JSON = {"href": f"#{resource['uuid']}", "include-controls": [{"with-ids": included}]}
    if excluded:
        chosen["exclude-controls"] = [{"with-ids": excluded}]
    risk = plan.risk
    meta_props = _props(
        _prop("language", lang),
        _prop("catalog-version", catalog.version),
        _prop("catalog-uuid", identity),
        _prop("tier", risk.tier.level.value),
        *(_prop(f"{prop}-level", risk.level(prop).value) for prop in ("confidentiality", "integrity", "availability")),
        *_profile_facts(plan),
        *(_prop("excluded", e.id, remarks="\n\n".join(_md(r) for r in e.reasons) or None) for e in plan.excluded),
    )
    lang_name = _w(f"lang.{lang}", lang)
    document: JSON = {
        "uuid": stable_uuid("profile", __version__, identity, _digest(facts), lang),
        "metadata": {
            "title": _md_line(_w("profile.title", lang, name=name, version=catalog.version)),
            "last-modified": modified,
            "version": catalog.version,
            "oscal-version": OSCAL_VERSION,
            "props": meta_props,
            "remarks": _md(
                _w("profile.remarks", lang, selected=len(included), excluded=len(excluded), lang_name=lang_name)
            ),
        },
        "imports": [chosen],
        "merge": {"as-is": True},
    }
    if plan.items:
        document["modify"] = {
            "alters": [
                {
                    "control-id": p.id,
                    "adds": [
                        {
                            "position": "ending",
                            "props": _tailoring_props(p),
                            "parts": [
                                {
                                    "id": f"{p.id}_tlr",
                                    "name": "tailoring",
                                    "ns": NS,
                                    "title": _w("tailoring", lang),
                                    "prose": _tailoring_prose(p, lang),
                                }
                            ],
                        }
                    ],
                }
                for p in plan.items
            ]
        }
    document["back-matter"] = {"resources": [resource]}
    return {"profile": document}


# --- the assessment results -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class HistoryHead:
    """The last entry of the assessment's history: its number, hash and time (None before any entry)."""

    seq: int = 0
    hash: str = ""
    at: dt.datetime | None = None


# by antai status: the OSCAL implementation state, and whether the objective is satisfied (and why)
_STATE = {
    "implemented": "implemented",
    "partial": "partial",
    "planned": "planned",
    "compensated": "alternative",
    "not_applicable": "not-applicable",
}
_SATISFIED = {"implemented": "pass", "compensated": "pass", "not_applicable": "other"}
_FAILED = frozenset(("partial", "planned", "not_implemented"))
_REMEDIATING = frozenset(("planned", "partial", "overdue"))  # gap reasons: work is planned with a date


def _status(value: Status, lang: str) -> str:
    return label(f"status.{value.value}", lang)


class _Results:
    """Builds one assessment-results document; names its parts by stable UUIDs within the workspace."""

    def __init__(self, catalog: Catalog, assessment: Assessment, today: dt.date, lang: str, head: HistoryHead) -> None:
        from antai.scoring.score import score
        from antai.tailoring.plan import make_plan

        self.catalog, self.assessment, self.today, self.lang, self.head = catalog, assessment, today, lang, head
        meta = assessment.meta
        self.workspace = f"{meta.organisation}/{meta.created.isoformat()}"
        self.plan = make_plan(catalog, assessment.profile, lang)
        self.scores = score(catalog, self.plan, assessment, today)
        self.gaps: dict[str, Gap] = {g.id: g for g in self.scores.gaps}
        self.organisation_party = self.uuid("party", "organisation")
        self.approvers: dict[str, str] = {}
        self.resources: list[JSON] = []

    def uuid(self, *name: str) -> str:
        return stable_uuid("assessment", self.workspace, *name)

    def approver(self, name: str) -> str:
        return self.approvers.setdefault(_line(name), self.uuid("party", "approver", _line(name)))

    def origins(self) -> list[JSON]:
        return [{"actors": [{"type": "party", "actor-uuid": self.organisation_party}]}]

    def decision(self, item_id: str, answer: Answer) -> Acceptance | None:
        """The decision that backs the item's present status, if any."""
        from antai.assessment.model import DecisionKind

        if answer.status == "risk_accepted":
            return self.assessment.acceptance_for(item_id)
        if answer.status == "not_applicable":
            return self.assessment.decision_for(item_id, DecisionKind.NOT_APPLICABLE)
        return None

    # evidence ---------------------------------------------------------------------------------------------

    def evidence(self, record: EvidenceRecord) -> JSON:
        resource_uuid = self.uuid("evidence", record.id)
        target = record.path if record.kind == "file" else record.url
        rlink: JSON = {"href": _href(target or "")}
        if record.sha256:
            rlink["hashes"] = [{"algorithm": "SHA-256", "value": record.sha256}]
        self.resources.append(
            {
                "uuid": resource_uuid,
                "title": _md_line(record.name),
                "props": [_prop("evidence-id", record.id)],
                "rlinks": [rlink],
            }
        )
        found: JSON = {
            "href": f"#{resource_uuid}",
            "description": _md(record.name),
            "props": _props(
                _prop("evidence-id", record.id),
                _prop("evidence-kind", record.kind.value),
                _prop("sha256", record.sha256) if record.sha256 else None,
                _prop("effective-from", record.effective_from.isoformat()),
                _prop("expires", record.expires.isoformat()),
                _prop("expired", "true") if record.expires < self.today else None,
                _prop("added-at", _timestamp(record.added_at)),
            ),
        }
        if record.note:
            found["remarks"] = _md(record.note)
        return found

    # one item ---------------------------------------------------------------------------------------------

    def observation(self, planned: PlannedItem, answer: Answer, records: list[EvidenceRecord]) -> JSON:
        lang = self.lang
        lines = [f"{_w('answer', lang)}: {_status(answer.status, lang)}"]
        if answer.owner:
            lines.append(f"{_w('owner', lang)}: {_md_line(answer.owner)}")
        if answer.due:
            lines.append(f"{_w('due', lang)}: {answer.due.isoformat()}")
        if answer.compensated_by:
            lines.append(f"{_w('compensated_by', lang)}: {_md_line(answer.compensated_by)}")
        if answer.reason:
            lines.append(f"{_w('reason', lang)}: {_md_line(answer.reason)}")
        count = _w("evidence_some", lang, count=len(records)) if records else _w("evidence_none", lang)
        lines.append(f"{_w('evidence_count', lang)}: {count}")
        collected = answer.updated or self.assessment.meta.created
        found: JSON = {
            "uuid": self.uuid("observation", planned.id),
            "title": _md_line(_w("observation.title", lang, item=planned.id)),
            "description": "\n".join(f"- {line}" for line in lines),
            "props": _props(
                _prop("status", answer.status.value),
                _prop("owner", answer.owner) if answer.owner else None,
                _prop("due", answer.due.isoformat()) if answer.due else None,
                _prop("compensated-by", answer.compensated_by) if answer.compensated_by else None,
                _prop("review-after-upgrade", "true") if answer.review else None,
            ),
            "methods": ["INTERVIEW", "EXAMINE"] if records else ["INTERVIEW"],
            "types": ["control-objective"],
            "origins": self.origins(),
        }
        if records:
            found["relevant-evidence"] = [self.evidence(r) for r in records]
        found["collected"] = _day(collected)
        if records:
            found["expires"] = _day(min(r.expires for r in records))
        if answer.note:
            found["remarks"] = _md(answer.note)
        return found

    def finding(self, planned: PlannedItem, item: Item, answer: Answer, effective: Status, risk: str | None) -> JSON:
        from antai.reports.wording import why

        lang = self.lang
        gap = self.gaps.get(planned.id)
        decision = self.decision(planned.id, answer)
        if effective in _SATISFIED:
            status: JSON = {"state": "satisfied", "reason": _SATISFIED[effective]}
        else:
            status = {"state": "not-satisfied", "reason": "fail" if effective in _FAILED else "other"}
        lines = [
            f"{_w('answer', lang)}: {_status(answer.status, lang)}",
            _w("satisfied" if status["state"] == "satisfied" else "not_satisfied", lang),
        ]
        if gap is not None:
            lines.append(f"{_w('gap', lang)}: {why(gap.reason, lang, gap.due)}")
        elif decision is not None and answer.status == "risk_accepted":
            lines.append(
                _w("accepted_until", lang, expires=decision.expires.isoformat(), approver=_md_line(decision.approver))
            )
        target: JSON = {
            "type": "statement-id",
            "target-id": f"{planned.id}_smt",
            "status": status,
        }
        if effective in _STATE:
            target["implementation-status"] = {"state": _STATE[effective]}
        remarks = [
            _md(text) for text in dict.fromkeys((answer.reason, decision.rationale if decision else None)) if text
        ]
        found: JSON = {
            "uuid": self.uuid("finding", planned.id),
            "title": _md_line(f"{planned.id} {item.title(lang)}"),
            "description": "\n".join(f"- {line}" for line in lines),
            "props": _props(
                _prop("status", answer.status.value),
                _prop("effective-status", effective.value),
                _prop("gap-reason", gap.reason.value) if gap is not None else None,
                _prop("priority", str(planned.priority)),
                _prop("phase", planned.phase.value),
                _prop("applicability", "mandatory" if planned.mandatory else "conditional"),
            ),
            "origins": self.origins(),
            "target": target,
            "related-observations": [{"observation-uuid": self.uuid("observation", planned.id)}],
        }
        if risk is not None:
            found["related-risks"] = [{"risk-uuid": risk}]
        if remarks:
            found["remarks"] = "\n\n".join(remarks)
        return found

    def risk(self, planned: PlannedItem, item: Item, answer: Answer) -> JSON | None:
        """A risk for a gap or for a recorded deviation; None for an item that is neither."""
        from antai.reports.wording import why

        lang = self.lang
        gap = self.gaps.get(planned.id)
        decision = self.decision(planned.id, answer)
        if gap is None and decision is None:
            return None
        valid = decision is not None and not decision.expired(self.today)
        if gap is None:
            title, why_text, status = _w("risk.accepted", lang, item=planned.id), _status(answer.status, lang), None
        else:
            title, why_text = _w("risk.gap", lang, item=planned.id), why(gap.reason, lang, gap.due)
            status = "remediating" if gap.reason in _REMEDIATING else None
        if status is None:
            status = "deviation-approved" if valid else "open"
        found: JSON = {
            "uuid": self.uuid("risk", planned.id),
            "title": _md_line(title),
            "description": _md(item.risk(lang)),
            "statement": _md(_w("risk.statement", lang, item=planned.id, why=why_text)),
            "props": _props(
                _prop("gap-reason", gap.reason.value) if gap is not None else None,
                _prop("priority", str(planned.priority)),
                _prop("item-risk", planned.risk.value),
                _prop("phase", planned.phase.value),
            ),
            "status": status,
            "origins": self.origins(),
        }
        due = answer.due if answer.status in ("planned", "partial") else None
        if due is not None:
            found["deadline"] = _day(due)
            words = (
                _w("remediation.owner", lang, due=due.isoformat(), owner=_md_line(answer.owner))
                if answer.owner
                else _w("remediation.title", lang, due=due.isoformat())
            )
            found["remediations"] = [
                {
                    "uuid": self.uuid("remediation", planned.id),
                    "lifecycle": "planned",
                    "title": words,
                    "description": words,
                    "props": _props(
                        _prop("due", due.isoformat()), _prop("owner", answer.owner) if answer.owner else None
                    ),
                }
            ]
        if decision is not None:
            found["risk-log"] = {"entries": [self.decision_entry(planned.id, decision)]}
        found["related-observations"] = [{"observation-uuid": self.uuid("observation", planned.id)}]
        return found

    def decision_entry(self, item_id: str, decision: Acceptance) -> JSON:
        lang = self.lang
        return {
            "uuid": self.uuid("decision", item_id, decision.kind.value, decision.decided.isoformat()),
            "title": _w(f"decision.{decision.kind.value}", lang),
            "description": _md(
                _w(
                    "decision.description",
                    lang,
                    approver=_line(decision.approver),
                    decided=decision.decided.isoformat(),
                    expires=decision.expires.isoformat(),
                    rationale=decision.rationale,
                )
            ),
            "start": _day(decision.decided),
            "end": _day(decision.expires),
            "props": _props(
                _prop("decision-kind", decision.kind.value),
                _prop("approver", decision.approver),
                _prop("decided", decision.decided.isoformat()),
                _prop("expires", decision.expires.isoformat()),
                _prop("expired", "true") if decision.expired(self.today) else None,
            ),
            "logged-by": [{"party-uuid": self.approver(decision.approver)}],
            "status-change": "deviation-approved",
        }

    # the document -----------------------------------------------------------------------------------------

    def document(self, catalog_href: str, profile_href: str) -> JSON:
        from antai.scoring.score import effective_status

        lang, assessment, scores = self.lang, self.assessment, self.scores
        identity = catalog_uuid(self.catalog)
        observations, findings, risks = [], [], []
        for planned in self.plan.items:
            item = self.catalog.item(planned.id)
            assert item is not None  # the plan is made from this catalog
            answer = assessment.answer(planned.id)
            effective = effective_status(assessment, planned.id, self.today, mandatory=planned.mandatory)
            observations.append(self.observation(planned, answer, assessment.evidence_for(planned.id)))
            risk = self.risk(planned, item, answer)
            if risk is not None:
                risks.append(risk)
            findings.append(self.finding(planned, item, answer, effective, risk["uuid"] if risk else None))
        plan_resource = {
            "uuid": self.uuid("plan"),
            "title": _w("plan.title", lang),
            "description": _md(_w("plan.remarks", lang)),
            "rlinks": [{"href": _href(profile_href), "media-type": PROFILE_MEDIA_TYPE}],
        }
        created = _day(assessment.meta.created)
        end = _timestamp(self.head.at) if self.head.at is not None else created
        coverage = scores.mandatory_coverage
        result: JSON = {
            "uuid": self.uuid("result", self.head.hash, self.today.isoformat(), lang),
            "title": _w("result.title", lang, date=self.today.isoformat()),
            "description": _w(
                "result.description", lang, count=len(self.plan.items), done=scores.overall.done, gaps=len(scores.gaps)
            ),
            "start": created,
            "end": end,
            "props": _props(
                _prop("assessment-date", self.today.isoformat()),
                _prop("tier", self.plan.risk.tier.level.value),
                _prop("score", f"{scores.overall.score:.1f}") if scores.overall.score is not None else None,
                _prop("mandatory-coverage", f"{coverage:.1f}") if coverage is not None else None,
            ),
            # every applicable item was reviewed; a plan without items (none applies) still needs a selection
            "reviewed-controls": {
                "control-selections": [
                    {"include-controls": [{"control-id": p.id} for p in self.plan.items]}
                    if self.plan.items
                    else {"include-all": {}}
                ]
            },
        }
        if observations:
            result["observations"] = observations
        if risks:
            result["risks"] = risks
        if findings:
            result["findings"] = findings
        parties = [
            {"uuid": self.organisation_party, "type": "organization", "name": _line(assessment.meta.organisation)},
            *({"uuid": uid, "type": "person", "name": name} for name, uid in self.approvers.items()),
        ]
        metadata: JSON = {
            "title": _md_line(_w("results.title", lang, organisation=assessment.meta.organisation)),
            "last-modified": end,
            "version": str(self.head.seq),
            "oscal-version": OSCAL_VERSION,
            "props": _props(
                _prop("language", lang),
                _prop("catalog-version", self.catalog.version),
                _prop("catalog-uuid", identity),
                _prop("history-entries", str(self.head.seq)),
                _prop("history-head", self.head.hash) if self.head.hash else None,
            ),
            "parties": parties,
            "remarks": _md(_w("results.remarks", lang, date=self.today.isoformat())),
        }
        return {
            "assessment-results": {
                "uuid": stable_uuid(
                    "assessment-results", __version__, self.workspace, self.head.hash, self.today.isoformat(), lang
                ),
                "metadata": metadata,
                "import-ap": {"href": f"#{plan_resource['uuid']}", "remarks": _md(_w("plan.remarks", lang))},
                "results": [result],
                "back-matter": {
                    "resources": [
                        plan_resource,
                        _catalog_resource(self.catalog, identity, catalog_href, lang),
                        *self.resources,
                    ]
                },
            }
        }


def assessment_results_document(
    catalog: Catalog,
    assessment: Assessment,
    today: dt.date,
    lang: str,
    *,
    head: HistoryHead,
    catalog_href: str,
    profile_href: str,
) -> JSON:
    """The assessment as OSCAL assessment results: one result, statuses and expiries as of ``today``."""
    return _Results(catalog, assessment, today, lang, head).document(catalog_href, profile_href)


def recorded_at(entries: Iterable[dict[str, Any]], part: str) -> dt.datetime | None:
    """When a part of a workspace got its present content: the time of the first entry of the last run of
    history entries whose recorded digest of ``part`` is the present one."""
    listed = list(entries)
    if not listed:
        return None
    present = (listed[-1].get("state") or {}).get(part)
    found: str | None = None
    for entry in reversed(listed):
        if (entry.get("state") or {}).get(part) != present:
            break
        found = str(entry.get("at") or "") or found
    return parse_time(found) if found else None


def parse_time(text: str) -> dt.datetime | None:
    """A history entry's time, or None if it is not one."""
    try:
        return dt.datetime.fromisoformat(text)
    except ValueError:
        return None
