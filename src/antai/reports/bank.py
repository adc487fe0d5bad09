"""The assessment report for people: the bank pack (XLSX, HTML, Markdown), the exec one-pager and engineer views."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from antai.catalog import Catalog
from antai.labels import label, phase_label
from antai.reports.assessment import DecisionOut, Report, ScoreOut
from antai.reports.facts import FactRow, GroupView
from antai.reports.fisc import COLUMN_WIDTHS as FISC_COLUMN_WIDTHS
from antai.reports.fisc import class_label, handling_label, unverified_mark
from antai.reports.fisc import headers as fisc_headers
from antai.reports.fisc import table_rows as fisc_table_rows
from antai.reports.threads import threads_html, threads_markdown, threads_sheet
from antai.reports.wording import UNKNOWN, number, percent, why
from antai.scoring.score import GapReason

if TYPE_CHECKING:
    from antai.tailoring.roadmap import Roadmap


def _decision_kind(decision: DecisionOut, lang: str) -> str:
    """Which kind of deviation a decision records, and whether a later answer superseded it."""
    kind = T("kind." + decision.kind.value, lang)
    return kind if decision.current else f"{kind} {T('superseded', lang)}"


_T: dict[str, tuple[str, str]] = {
    "title.bank": ("セキュリティ自己評価報告書", "Security self-assessment report"),
    "title.exec": ("セキュリティ状況サマリー", "Security posture summary"),
    "title.engineer": ("セキュリティ対応状況（エンジニア向け）", "Security status for engineers"),
    "cover": ("表紙", "Cover"),
    "org": ("組織情報", "Organisation"),
    "summary": ("サマリー", "Summary"),
    "checklist": ("チェックリスト", "Checklist"),
    "decisions": ("意思決定", "Decisions"),
    "col.kind": ("種別", "Kind"),
    "kind.risk_acceptance": ("リスク受容", "Risk acceptance"),
    "kind.not_applicable": ("該当なしの決定", "Declared not applicable"),
    "superseded": ("（現在の回答の根拠ではない）", "(no longer backs the current answer)"),
    "excluded": ("対象外項目", "Excluded items"),
    "fisc": ("FISCトレーサビリティ", "FISC traceability"),
    "organisation": ("組織名", "Organisation"),
    "assessment_date": ("評価日", "Assessment date"),
    "catalog_version": ("カタログ版", "Catalog version"),
    "profile": ("サービス概要", "Service profile"),
    "tier": ("リスク区分", "Risk tier"),
    "tier_why": ("区分の理由", "Why this tier"),
    "overall": ("総合スコア（リスク加重）", "Overall score (risk-weighted)"),
    "mandatory_coverage": ("必須項目の実施率", "Mandatory coverage"),
    "fact": ("項目", "Fact"),
    "value": ("回答", "Answer"),
    "gap": ("未回答（要対応）", "MISSING (gap)"),
    "gap_part": ("一部未回答（要対応）", "partly missing (gap)"),
    "col.group": ("区分", "Group"),
    "missing_facts": ("未回答の組織情報", "Missing organisation facts"),
    "missing_facts_count": ("{n} 件", "{n}"),
    "score": ("スコア", "Score"),
    "items": ("項目数", "Items"),
    "done": ("実施済み", "Done"),
    "by_chapter": ("章別スコア", "Scores by chapter"),
    "by_cia": ("CIA 別スコア", "Scores by C/I/A"),
    "by_layer": ("レイヤー別スコア", "Scores by layer"),
    "gaps": ("優先して対処すべきギャップ", "Gaps to close first"),
    "top_gaps": ("上位 5 件のギャップ", "Top five gaps"),
    "changes": ("前回報告からの変化", "Changes since the last report"),
    "no_previous": ("前回の報告はない。", "No previous report."),
    "no_changes": ("状況の変化はない。", "No status changed."),
    "flags": ("要注意", "Flags"),
    "expired_evidence": ("期限切れのエビデンス", "Expired evidence"),
    "expired_acceptances": ("期限切れのリスク受容", "Expired risk acceptances"),
    "overdue": ("期限を過ぎた実施予定", "Overdue plans"),
    "review": ("カタログ更新で要再確認", "To review after a catalog upgrade"),
    "contradicted": ("スキャン結果と矛盾する申告", "Claims contradicted by scans"),
    "stale_automated": ("期限切れの自動エビデンス", "Stale automated evidence"),
    "contradicted_mark": ("スキャン結果と矛盾", "contradicted by a scan"),
    "automated_mark": ("自動", "automated"),
    "scan_verdict.pass": ("検出した問題なし（適合 {passed} 件）", "no problem found ({passed} passing)"),
    "scan_verdict.fail": ("不適合 {failed} 件（適合 {passed} 件）", "{failed} failing ({passed} passing)"),
    "scan_verdict.error": (
        "確認不能 {errors} 件（適合 {passed} 件）",
        "{errors} could not be checked ({passed} passing)",
    ),
    "scan_verdict.not_applicable": ("対象外", "not applicable"),
    "observed": ("観測", "observed"),
    "contradicted_intro": (
        "実施済みと申告されているが、各ソースの最新のスキャンが不適合を示している項目。",
        "Items claimed implemented whose latest scan from some source fails.",
    ),
    "col.source": ("ソース・対象", "Source and target"),
    "col.observed": ("観測日時", "Observed"),
    "col.failing": ("不適合のチェック（例）", "Failing checks (example)"),
    "col.id": ("ID", "ID"),
    "col.chapter": ("章", "Chapter"),
    "col.title": ("項目", "Item"),
    "col.mandatory": ("必須", "Mandatory"),
    "col.priority": ("フェーズ", "Phase"),
    "col.level": ("区分", "Level"),
    "col.csf": ("CSF 機能", "CSF function"),
    "roadmap": ("対策ロードマップ", "Security roadmap"),
    "col.status": ("状況", "Status"),
    "col.owner": ("担当", "Owner"),
    "col.due": ("期限", "Due"),
    "col.evidence": ("エビデンス（有効日・期限）", "Evidence (effective, expires)"),
    "col.evidence_ids": ("エビデンス", "Evidence"),
    "col.reason": ("逸脱の理由", "Reason for deviation"),
    "col.equivalence": ("新技術による代替", "New-technology equivalence"),
    "col.fisc": ("FISC 項目", "FISC IDs"),
    "col.rationale": ("理由", "Rationale"),
    "col.approver": ("承認者", "Approver"),
    "col.decided": ("決定日", "Decided"),
    "col.expires": ("有効期限", "Expires"),
    "col.expired": ("期限切れ", "Expired"),
    "col.why_excluded": ("対象外の理由", "Why it does not apply"),
    "col.why": ("内容", "What"),
    "yes": ("はい", "yes"),
    "no": ("いいえ", "no"),
    "posture": ("現在の状況", "Posture"),
    "expired_mark": ("期限切れ", "EXPIRED"),
    # document control and sign-off
    "doc": ("文書管理", "Document control"),
    "doc.id": ("文書番号", "Document ID"),
    "doc.version": ("版", "Edition"),
    "doc.version_n": ("第 {n} 版", "edition {n}"),
    "doc.draft": ("下書き（提出していない）", "draft (not submitted)"),
    "doc.draft_after": (
        "下書き（提出していない。前回の提出は {previous}）",
        "draft (not submitted; the last submission is {previous})",
    ),
    "doc.issued": ("発行日", "Date of issue"),
    "doc.scope": ("対象範囲", "Scope"),
    "doc.scope_default": (
        "サービス「{service}」の全体（適用項目 {n} 件）",
        "the whole of {service} ({n} applicable items)",
    ),
    "doc.period": ("評価期間", "Assessment period"),
    "doc.assessor": ("評価者", "Assessor"),
    "doc.classification": ("機密区分", "Classification"),
    "class.confidential": ("社外秘（提出先限り）", "Confidential — for the addressee only"),
    "class.strictly_confidential": ("極秘（提出先の担当者限り）", "Strictly confidential — named recipients only"),
    "class.internal": ("社内限り", "Internal"),
    "signoff": ("承認", "Sign-off"),
    "signoff.none": (
        "承認されていない。この文書は下書きであり、銀行への提出物ではない。",
        "Not signed off: this document is a draft, not a submission to a bank.",
    ),
    "signoff.missing": ("未承認: {roles}", "Not signed off by: {roles}"),
    "role.representative": ("代表者", "Representative"),
    "role.security_owner": ("セキュリティ責任者", "Security owner"),
    "col.role": ("役割", "Role"),
    "col.name": ("氏名", "Name"),
    "col.job_title": ("役職", "Title"),
    "col.signed": ("承認日", "Date"),
    "not_given": ("未記入", "not given"),
    # the remediation plan
    "remediation": ("是正計画", "Remediation plan"),
    "remediation_intro": (
        "ギャップ {n} 件それぞれの担当・期限・暫定策（完了までリスクを抑える手立て）。3 つがそろうのは {complete} 件。",
        "Each of the {n} gaps with its owner, due date and interim measure (what limits the risk until it is done); "
        "{complete} have all three.",
    ),
    "col.interim": ("暫定策", "Interim measure"),
    "col.missing": ("計画に不足", "Missing from the plan"),
    "missing.owner": ("担当未定", "no owner"),
    "missing.due": ("期限未定", "no due date"),
    "missing.interim": ("暫定策未記入", "no interim measure"),
    "overdue_mark": ("期限超過", "overdue"),
}


def T(key: str, lang: str) -> str:
    pair = _T[key]
    return pair[0] if lang == "ja" else pair[1]


def _joined(parts: list[str], lang: str) -> str:
    return ("、" if lang == "ja" else ", ").join(parts)


def document_rows(report: Report, lang: str) -> list[tuple[str, str]]:
    """The document-control block: (label, value) pairs for the cover of every format."""
    doc = report.document
    service = report.organisation_facts.service.name or report.profile.name or report.organisation
    scope = doc.scope or T("doc.scope_default", lang).format(service=service, n=len(report.items))
    return [
        (T("doc.id", lang), doc.id),
        (T("doc.version", lang), _edition(report, lang)),
        (T("doc.issued", lang), doc.issued.isoformat()),
        (T("doc.scope", lang), scope),
        (T("doc.period", lang), f"{doc.period_start.isoformat()} – {doc.period_end.isoformat()}"),
        (T("doc.assessor", lang), doc.assessor or T("not_given", lang)),
        (T("doc.classification", lang), T(f"class.{doc.classification}", lang)),
    ]


def running_header(report: Report, lang: str) -> str:
    """What every printed page says at its top right: document ID, edition, classification."""
    doc = report.document
    return f"{doc.id} · {_edition(report, lang)} · {T(f'class.{doc.classification}', lang)}"


def _edition(report: Report, lang: str) -> str:
    version = report.document.version
    if version is not None:
        return T("doc.version_n", lang).format(n=version)
    if report.document.previous:  # a preview made after a submission: the draft of the next one
        return T("doc.draft_after", lang).format(previous=report.document.previous)
    return T("doc.draft", lang)


def signoff_rows(report: Report, lang: str) -> list[list[str]]:
    return [
        [T(f"role.{s.role.value}", lang), s.name, s.title or "", s.date.isoformat()] for s in report.document.signoffs
    ]


def signoff_note(report: Report, lang: str) -> str | None:
    """What the cover says when a sign-off is missing; None when both roles signed off."""
    missing = report.document.missing_signoffs
    if not missing:
        return None
    if not report.document.signoffs:
        return T("signoff.none", lang)
    return T("signoff.missing", lang).format(roles=_joined([T(f"role.{r.value}", lang) for r in missing], lang))


def remediation_rows(report: Report, lang: str) -> list[list[str]]:
    """One row per gap: phase, ID, item, status, owner, due, interim measure, what is missing."""
    rows = []
    for r in report.remediation:
        due = r.due.isoformat() if r.due else ""
        if r.overdue and r.reason != GapReason.OVERDUE:  # an overdue plan says so in its status already
            due += f"（{T('overdue_mark', lang)}）" if lang == "ja" else f" ({T('overdue_mark', lang)})"
        rows.append(
            [
                phase_label(r.priority, lang),
                r.id,
                r.title.ja if lang == "ja" else r.title.en,
                why(r.reason, lang, short=True),  # the due date has its own column
                r.owner or "",
                due,
                r.interim or "",
                _joined([T(f"missing.{m}", lang) for m in r.missing], lang),
            ]
        )
    return rows


def remediation_headers(lang: str) -> list[str]:
    return [
        T("col.priority", lang),
        T("col.id", lang),
        T("col.title", lang),
        T("col.status", lang),
        T("col.owner", lang),
        T("col.due", lang),
        T("col.interim", lang),
        T("col.missing", lang),
    ]


def remediation_intro(report: Report, lang: str) -> str:
    complete = sum(1 for r in report.remediation if not r.missing)
    return T("remediation_intro", lang).format(n=len(report.remediation), complete=complete)


def standalone_page(fragment: str, title: str, lang: str) -> str:
    """An escaped HTML fragment (e.g. an answered checklist) as a page of its own, for a bundle."""
    import html

    return (
        f'<!DOCTYPE html>\n<html lang="{lang}">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{html.escape(title)}</title>\n<style>\n"
        'body { font-family: "Noto Sans CJK JP", "Hiragino Sans", "Yu Gothic", "Meiryo", system-ui, sans-serif; '
        "margin: 2rem; font-size: 14px; line-height: 1.5; }\n"
        "table { border-collapse: collapse; width: 100%; } th, td { border: 1px solid #d7dde4; padding: .3rem .45rem; "
        "text-align: left; vertical-align: top; } th { background: #f4f6f9; }\n"
        f"</style>\n</head>\n<body>\n{fragment}</body>\n</html>\n"
    )


def fact_groups(report: Report) -> list[GroupView]:
    """The organisation facts of ``report`` in their groups, worded in its language."""
    from antai.reports.facts import group_views

    evidence = {path: [e.id for e in records] for path, records in report.fact_evidence.items()}
    return group_views(report.organisation_facts, evidence, report.lang, report.missing_facts)


def fact_text(row: FactRow, lang: str) -> str:
    """A fact's answer in words; a missing fact as the gap, a record's missing fields named after it."""
    if not row.text:
        return T("gap", lang) if row.gap else ""
    if row.missing:
        joiner = "、" if lang == "ja" else ", "
        return f"{row.text} — {T('gap_part', lang)}: {joiner.join(row.missing)}"
    return row.text


def fact_lines(report: Report) -> list[tuple[str, str, str, str, bool]]:
    """Rows for a flat table: group, fact, answer, evidence IDs, gap. A register gives one row per entry."""
    from antai.reports.facts import entry_text

    lang = report.lang
    out = []
    for group in fact_groups(report):
        for row in group.rows:
            if row.entries:
                for number, (cells, ids) in enumerate(zip(row.entries, row.entry_evidence, strict=True), start=1):
                    out.append(
                        (
                            group.title,
                            f"{row.label}（{number}）" if lang == "ja" else f"{row.label} ({number})",
                            entry_text(cells, T("gap", lang)),
                            ", ".join(ids),
                            any(c.gap for c in cells),
                        )
                    )
                continue
            out.append((group.title, row.label, fact_text(row, lang), ", ".join(row.evidence), row.gap))
    return out


def profile_summary(report: Report, lang: str) -> str:
    from antai.tailoring.questionnaire import choice_label

    p = report.profile
    joiner = "、" if lang == "ja" else ", "

    def choices(key: str) -> str:
        return joiner.join(choice_label(v, lang) for v in getattr(p, key)) or "—"

    parts = [
        f"{label('profile.business', lang)}: {choices('business')}",
        f"{label('profile.data', lang)}: {choices('data')}",
        f"{label('profile.channels', lang)}: {choices('channels')}",
        f"{label('profile.cloud', lang)}: {choices('cloud')}",
        f"{label('profile.users', lang)}: {p.users:,}",
        f"{label('profile.moves_customer_funds', lang)}: {T('yes' if p.moves_customer_funds else 'no', lang)}",
    ]
    return " / ".join(parts)


_JST = dt.timezone(dt.timedelta(hours=9))


def observed_text(when: dt.datetime, lang: str) -> str:
    """A scan time for a reader: Japan time for Japanese readers, UTC otherwise."""
    if lang == "ja":
        return when.astimezone(_JST).strftime("%Y-%m-%d %H:%M JST")
    return when.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")


def automated_text(e: Any, lang: str) -> str:
    """Automated evidence in one phrase: the source, when it looked, and its verdict (with the worst check)."""
    scan = e.automated
    tool = f"{scan.tool} {scan.tool_version}" if scan.tool_version else scan.tool
    # a verdict on what was scanned, not on the whole item: one passing check does not make an item conform
    verdict = T(f"scan_verdict.{scan.result}", lang).format(passed=scan.passed, failed=scan.failed, errors=scan.errors)
    worst = f": {scan.checks[0].check}" if scan.checks else ""
    when = observed_text(scan.observed_at, lang)
    if lang == "ja":
        return f"{T('automated_mark', lang)}: {tool}（{scan.target}）{when} 観測、{verdict}{worst}"
    return f"{T('automated_mark', lang)}: {tool} ({scan.target}) observed {when}, {verdict}{worst}"


def evidence_summary(item: Any, lang: str, compact: bool = False) -> str:
    """The item's evidence: ID, name and validity; ``compact`` (the printed page) drops the dates unless
    the evidence has expired — the workbook and the JSON keep them. Automated evidence names its source,
    the time of the scan and its verdict instead of a file name."""
    if compact:
        joiner = "、" if lang == "ja" else "; "
        return joiner.join(
            f"{e.id} {automated_text(e, lang) if e.automated else e.name}"
            + (f"（{T('expired_mark', lang)}）" if e.expired else "")
            for e in item.evidence
        )
    mark = f", {T('expired_mark', lang)}"
    return "; ".join(
        f"{e.id} {automated_text(e, lang) if e.automated else e.name} "
        f"({e.effective_from.isoformat()}–{e.expires.isoformat()}{mark if e.expired else ''})"
        for e in item.evidence
    )


def status_text(item: Any, lang: str) -> str:
    text = label(f"status.{item.status}", lang)
    if item.effective_status != item.status:
        text += f" → {label(f'status.{item.effective_status}', lang)}"
    if item.contradicted_by:
        text += f"（{T('contradicted_mark', lang)}）" if lang == "ja" else f" ({T('contradicted_mark', lang)})"
    return text


def flag_rows(report: Report, lang: str) -> list[tuple[str, list[str]]]:
    """The flags a reader checks first, named, with the IDs they concern (the same in every format)."""
    flags = report.scores.flags
    return [
        (T("expired_evidence", lang), flags.expired_evidence),
        (T("expired_acceptances", lang), flags.expired_acceptances),
        (T("overdue", lang), flags.overdue),
        (T("review", lang), flags.review),
        (T("contradicted", lang), flags.contradicted),
        (T("stale_automated", lang), flags.stale_automated),
    ]


def contradiction_rows(report: Report, lang: str) -> list[list[str]]:
    """One row per contradicting scan: the item, its title, the source, when, and the failing checks."""
    rows = []
    for item in report.items:
        for e in item.evidence:
            if e.id not in item.contradicted_by or e.automated is None:
                continue
            scan = e.automated
            tool = f"{scan.tool} {scan.tool_version}" if scan.tool_version else scan.tool
            checks = "、" if lang == "ja" else "; "
            rows.append(
                [
                    item.id,
                    item.title.ja if lang == "ja" else item.title.en,
                    f"{tool} · {scan.target}",
                    observed_text(scan.observed_at, lang),
                    checks.join(f"{c.check} ({c.example})" for c in scan.checks[:3]),
                ]
            )
    return rows


def contradiction_headers(lang: str) -> list[str]:
    return [T(k, lang) for k in ("col.id", "col.title", "col.source", "col.observed", "col.failing")]


def checklist_rows(report: Report, catalog: Catalog, lang: str, compact: bool = False) -> list[list[Any]]:
    rows = []
    for i in report.items:
        chapter = catalog.chapter(i.chapter)
        rows.append(
            [
                i.id,
                str(i.chapter) if compact else f"{i.chapter}. {chapter.title(lang) if chapter else ''}",
                i.title.ja if lang == "ja" else i.title.en,
                T("yes" if i.mandatory else "no", lang),
                label(f"level.{i.level}", lang),
                label(f"csf.{i.csf}", lang),
                phase_label(i.priority, lang),
                status_text(i, lang),
                i.owner or "",
                i.due.isoformat() if i.due else "",
                evidence_summary(i, lang, compact),
                i.deviation_reason or "",
                _equivalence(i.equivalence, catalog, lang) or (i.compensated_by or ""),
                ", ".join([*i.fisc, *(f"{f}{unverified_mark(lang)}" for f in i.fisc_unverified)]),
            ][: -1 if compact else None]  # the printed page leaves FISC IDs to the appendix's matrix
        )
    return rows


def _equivalence(note_id: str | None, catalog: Catalog, lang: str) -> str:
    """A new-technology note by its title, with its ID for the reader who looks it up."""
    if not note_id:
        return ""
    note = catalog.technote(note_id)
    return (
        f"{note.title(lang)}（{note_id}）"
        if note is not None and lang == "ja"
        else (f"{note.title(lang)} ({note_id})" if note is not None else note_id)
    )


def checklist_headers(lang: str, compact: bool = False) -> list[str]:
    """The columns of ``checklist_rows`` (with ``compact``, as the printed page shows them)."""
    keys = [
        "id",
        "chapter",
        "title",
        "mandatory",
        "level",
        "csf",
        "priority",
        "status",
        "owner",
        "due",
        "evidence_ids" if compact else "evidence",
        "reason",
        "equivalence",
        *([] if compact else ["fisc"]),
    ]
    return [T(f"col.{k}", lang) for k in keys]


def report_xlsx(report: Report, catalog: Catalog, bank_checklist: Any = None) -> bytes:
    """The bank pack as a workbook: cover, organisation facts, summary, checklist, decisions, excluded, FISC;
    with ``bank_checklist`` (an answered checklist), a sheet answering the bank's questions, with reviewer columns."""
    from openpyxl.styles import Alignment, Font, PatternFill

    from antai.reports.xlsx import add_table_sheet, fit_to_page_width, new_workbook, workbook_bytes, write_cell

    lang = report.lang
    wb = new_workbook()
    cover = wb.create_sheet(T("cover", lang))
    write_cell(cover, 1, 1, T("title.bank", lang))
    cover.cell(row=1, column=1).font = Font(bold=True, size=16)
    tier = report.risk.tier
    facts = [
        (T("organisation", lang), report.organisation),
        (T("assessment_date", lang), report.assessment_date.isoformat()),
        (T("catalog_version", lang), report.catalog_version),
        (T("profile", lang), profile_summary(report, lang)),
        (T("tier", lang), label(tier, lang)),
        (
            T("tier_why", lang),
            "; ".join(
                report.risk.derivation.tier
                + report.risk.derivation.confidentiality
                + report.risk.derivation.integrity
                + report.risk.derivation.availability
            ),
        ),
        (T("missing_facts", lang), T("missing_facts_count", lang).format(n=len(report.missing_facts))),
        (T("overall", lang), f"{number(report.scores.overall.score)} / 100"),
        (
            T("mandatory_coverage", lang),
            f"{percent(report.scores.mandatory_coverage.percent)} "
            f"({report.scores.mandatory_coverage.done}/{report.scores.mandatory_coverage.total})",
        ),
    ]
    facts = [(T("organisation", lang), report.organisation), *document_rows(report, lang), *facts[1:]]
    for n, (key, value) in enumerate(facts, start=3):
        write_cell(cover, n, 1, key)
        cover.cell(row=n, column=1).font = Font(bold=True)
        write_cell(cover, n, 2, value)
        cover.cell(row=n, column=2).alignment = Alignment(wrap_text=True, vertical="top")
    row = len(facts) + 4
    write_cell(cover, row, 1, T("signoff", lang))
    cover.cell(row=row, column=1).font = Font(bold=True, size=12)
    for signed in signoff_rows(report, lang):
        row += 1
        write_cell(cover, row, 1, signed[0])
        write_cell(cover, row, 2, " ".join(part for part in (signed[1], signed[2], signed[3]) if part))
    note = signoff_note(report, lang)
    if note:
        write_cell(cover, row + 1, 1, note)
        cover.cell(row=row + 1, column=1).font = Font(bold=True, color="9B1C1C")
    cover.column_dimensions["A"].width = 28
    cover.column_dimensions["B"].width = 100
    fit_to_page_width(cover, one_page=True)

    gap_fill = PatternFill("solid", fgColor="FDE8E8")
    lines = fact_lines(report)
    org = add_table_sheet(
        wb,
        T("org", lang),
        [T("col.group", lang), T("fact", lang), T("value", lang), T("col.evidence_ids", lang)],
        [list(line[:4]) for line in lines],
        widths=[26, 32, 90, 16],
    )
    for row, line in enumerate(lines, start=2):
        if line[4]:
            org.cell(row=row, column=3).fill = gap_fill

    # a number cell where the score is known, the text "—" where it is not
    def cells(s: ScoreOut) -> list[Any]:
        return [UNKNOWN if s.score is None else s.score, s.done, s.items]

    summary_rows: list[list[Any]] = []
    for chapter_no, s in report.scores.by_chapter.items():
        chapter = catalog.chapter(int(chapter_no))
        summary_rows.append(
            [T("by_chapter", lang), f"{chapter_no}. {chapter.title(lang) if chapter else ''}", *cells(s)]
        )
    for cia, s in report.scores.by_cia.items():
        summary_rows.append([T("by_cia", lang), label(cia, lang), *cells(s)])
    for layer, s in report.scores.by_layer.items():
        summary_rows.append([T("by_layer", lang), label(layer, lang), *cells(s)])
    summary_rows.append([T("overall", lang), "", *cells(report.scores.overall)])
    # the flags, one row each, so that a reviewer who filters the workbook sees them too
    summary_rows += [
        [T("flags", lang), name, ", ".join(ids) or "—", len(ids), ""] for name, ids in flag_rows(report, lang)
    ]
    add_table_sheet(
        wb,
        T("summary", lang),
        ["", "", T("score", lang), T("done", lang), T("items", lang)],
        summary_rows,
        widths=[22, 40, 10, 10, 10],
    )

    add_table_sheet(
        wb,
        T("remediation", lang),
        remediation_headers(lang),
        remediation_rows(report, lang),
        widths=[12, 9, 40, 12, 18, 14, 50, 22],
        heading=remediation_intro(report, lang),
    )
    contradictions = contradiction_rows(report, lang)
    if contradictions:
        add_table_sheet(
            wb,
            T("contradicted", lang),
            contradiction_headers(lang),
            contradictions,
            widths=[9, 40, 36, 20, 60],
            heading=T("contradicted_intro", lang),
        )
    add_table_sheet(
        wb,
        T("checklist", lang),
        checklist_headers(lang),
        checklist_rows(report, catalog, lang),
        widths=[9, 22, 40, 8, 8, 10, 12, 16, 14, 12, 45, 45, 22, 18],
    )
    decision_rows = [
        [
            d.item,
            _decision_kind(d, lang),
            d.rationale,
            d.approver,
            d.decided,
            d.expires,
            T("yes" if d.expired else "no", lang),
        ]
        for d in report.decisions
    ]
    add_table_sheet(
        wb,
        T("decisions", lang),
        [
            T("col.id", lang),
            T("col.kind", lang),
            T("col.rationale", lang),
            T("col.approver", lang),
            T("col.decided", lang),
            T("col.expires", lang),
            T("col.expired", lang),
        ],
        decision_rows,
        widths=[9, 22, 60, 20, 12, 12, 10],
    )
    excluded_rows = [[e.id, e.title.ja if lang == "ja" else e.title.en, "; ".join(e.reasons)] for e in report.excluded]
    add_table_sheet(
        wb,
        T("excluded", lang),
        [T("col.id", lang), T("col.title", lang), T("col.why_excluded", lang)],
        excluded_rows,
        widths=[9, 45, 80],
    )
    if report.fisc:
        add_table_sheet(
            wb,
            T("fisc", lang),
            fisc_headers(lang),
            fisc_table_rows([r.model_dump(mode="json") for r in report.fisc], lang),
            widths=FISC_COLUMN_WIDTHS,
        )
    if report.threads:
        threads_sheet(wb, report.threads, lang)
    if bank_checklist is not None:  # last: the sheet the bank fills in and sends back
        from antai.reports.checklist import checklist_sheet

        checklist_sheet(wb, bank_checklist, lang)
    print_headers(wb, f"{report.organisation} — {T('title.bank', lang)}", running_header(report, lang))
    return workbook_bytes(wb)


def print_headers(workbook: Any, left: str, right: str) -> None:
    """Every sheet prints ``left`` and ``right`` at the top and "page n / N" at the bottom."""

    def escaped(text: str) -> str:
        return text.replace("&", "&&")  # & starts a header code in Excel

    for sheet in workbook.worksheets:
        sheet.oddHeader.left.text = escaped(left)
        sheet.oddHeader.right.text = escaped(right)
        sheet.oddFooter.center.text = "&P / &N"
        for part in (sheet.oddHeader.left, sheet.oddHeader.right, sheet.oddFooter.center):
            part.size = 8


def report_markdown(report: Report, catalog: Catalog) -> str:
    lang = report.lang
    audience = report.audience
    out = [f"# {T('title.' + audience, lang)}: {report.organisation}", ""]
    out += [
        f"{T('assessment_date', lang)}: {report.assessment_date} · {T('catalog_version', lang)}: "
        f"{report.catalog_version} · {T('tier', lang)}: {label(report.risk.tier, lang)}",
        "",
    ]
    out += [
        f"- {T('overall', lang)}: **{number(report.scores.overall.score)}**",
        f"- {T('mandatory_coverage', lang)}: **{percent(report.scores.mandatory_coverage.percent)}**",
        "",
    ]
    if audience != "exec":
        out += [f"### {T('flags', lang)}", ""]
        out += [f"- {name}: {', '.join(ids) or '—'}" for name, ids in flag_rows(report, lang)]
        out.append("")
    if audience == "bank":
        out += [f"## {T('doc', lang)}", ""]
        out += [f"- {key}: {_md_cell(value)}" for key, value in document_rows(report, lang)]
        out += ["", f"### {T('signoff', lang)}", ""]
        out += [
            f"- {role}: {name}{f'（{title}）' if title else ''} {date}"
            for role, name, title, date in signoff_rows(report, lang)
        ]
        note = signoff_note(report, lang)
        out += [f"**{note}**"] if note else []
        out += ["", f"## {T('remediation', lang)}", "", remediation_intro(report, lang), ""]
        headers = remediation_headers(lang)
        out += ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
        out += ["| " + " | ".join(_md_cell(c) for c in row) + " |" for row in remediation_rows(report, lang)]
        out.append("")
        contradictions = contradiction_rows(report, lang)
        if contradictions:
            headers = contradiction_headers(lang)
            out += [f"## {T('contradicted', lang)}", "", T("contradicted_intro", lang), ""]
            out += ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
            out += ["| " + " | ".join(_md_cell(c) for c in row) + " |" for row in contradictions]
            out.append("")
        if report.threads:
            out += [threads_markdown(report.threads, lang)]
    else:
        out += [f"## {T('gaps', lang)}", ""]
        titles = {i.id: (i.title.ja if lang == "ja" else i.title.en) for i in report.items}
        limit = 5 if audience == "exec" else None
        for gap in report.scores.gaps[:limit]:
            out.append(f"- {phase_label(gap.priority, lang)} **{gap.id}** {titles.get(gap.id, '')} — {gap.why}")
        out.append("")
        if report.scores.flags.contradicted:
            named = ", ".join(f"{i} {titles.get(i, '')}" for i in report.scores.flags.contradicted)
            out += [f"**{T('contradicted', lang)}**: {named}", ""]
    if audience == "exec":
        out += _changes_md(report, lang)
        return "\n".join(out) + "\n"
    out += _facts_md(report)
    out += ["", f"## {T('checklist', lang)}", ""]
    headers = checklist_headers(lang)
    out += ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
    for row in checklist_rows(report, catalog, lang):
        out.append("| " + " | ".join(str(c).replace("|", "\\|").replace("\n", " ") for c in row) + " |")
    out += ["", f"## {T('decisions', lang)}", ""]
    for d in report.decisions:
        out.append(f"- **{d.item}** {_decision_kind(d, lang)}: {d.rationale} — {d.approver}, {d.decided} → {d.expires}")
    out += ["", f"## {T('excluded', lang)}", ""]
    out += [f"- {e.id} {e.title.ja if lang == 'ja' else e.title.en}: {'; '.join(e.reasons)}" for e in report.excluded]
    out.append("")
    out += _changes_md(report, lang)
    return "\n".join(out) + "\n"


def _md_cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _facts_md(report: Report) -> list[str]:
    lang = report.lang
    out = [f"## {T('org', lang)}", ""]
    if report.missing_facts:
        out += [f"{T('missing_facts', lang)}: {T('missing_facts_count', lang).format(n=len(report.missing_facts))}", ""]
    for group in fact_groups(report):
        out += [f"### {group.title}", ""]
        for row in group.rows:
            shown = f"**{fact_text(row, lang)}**" if row.gap else fact_text(row, lang)
            if row.entries:
                out.append(f"- {row.label}{' **' + T('gap_part', lang) + '**' if row.gap else ''}")
                out += ["", "| # | " + " | ".join(row.columns) + f" | {T('col.evidence_ids', lang)} |"]
                out.append("|" + "---|" * (len(row.columns) + 2))
                for number, (cells, ids) in enumerate(zip(row.entries, row.entry_evidence, strict=True), start=1):
                    texts = [c.text or (f"**{T('gap', lang)}**" if c.gap else "") for c in cells]
                    out.append(f"| {number} | " + " | ".join(_md_cell(t) for t in texts) + f" | {', '.join(ids)} |")
                out.append("")
                continue
            listed = ", ".join(row.evidence)
            if not row.evidence:
                evidence = ""
            elif lang == "ja":
                evidence = f"（{T('col.evidence_ids', lang)}: {listed}）"
            else:
                evidence = f" ({T('col.evidence_ids', lang)}: {listed})"
            out.append(f"- {row.label}: {shown}{evidence}")
        out.append("")
    return out


def _changes_md(report: Report, lang: str) -> list[str]:
    out = [f"## {T('changes', lang)}", ""]
    change = report.changes_since_last
    if change is None:
        return [*out, T("no_previous", lang), ""]
    out.append(
        f"{change.previous_date} → {report.assessment_date}: "
        f"{number(change.overall_before)} → {number(change.overall_after)}"
    )
    out += [
        f"- {c.id}: {label('status.' + c.before, lang) if c.before != '—' else '—'} → "
        f"{label('status.' + c.after, lang)}"
        for c in change.status_changes
    ] or [T("no_changes", lang)]
    return [*out, ""]


def bar_chart_svg(rows: list[tuple[str, float | None]], width: int = 560) -> str:
    """A horizontal bar chart (0–100) as inline SVG: no script, no external request. None draws no bar."""
    from markupsafe import escape

    bar_h, gap, label_w = 18, 8, 210
    height = len(rows) * (bar_h + gap) + gap
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" role="img" '
        f'viewBox="0 0 {width} {height}">'
    ]
    usable = width - label_w - 50
    for n, (name, value) in enumerate(rows):
        y = gap + n * (bar_h + gap)
        shown = value or 0.0
        colour = "#2e7d32" if shown >= 80 else "#ef6c00" if shown >= 50 else "#c62828"
        parts.append(f'<text x="0" y="{y + 13}" font-size="12" fill="#1d232b">{escape(name)}</text>')
        parts.append(f'<rect x="{label_w}" y="{y}" width="{usable}" height="{bar_h}" fill="#eef1f5"/>')
        parts.append(
            f'<rect x="{label_w}" y="{y}" width="{usable * shown / 100:.1f}" height="{bar_h}" fill="{colour}"/>'
        )
        parts.append(
            f'<text x="{label_w + usable + 6}" y="{y + 13}" font-size="12" fill="#1d232b">{number(value, 0)}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def report_html(
    report: Report, catalog: Catalog, roadmap: Roadmap | None = None, bank_checklist: str | None = None
) -> str:
    """The bank (or exec) report as one HTML page; with ``roadmap``, its timeline and findings too; with
    ``bank_checklist`` (an escaped fragment from ``reports.checklist.checklist_html``), the bank's questions
    answered."""
    from markupsafe import Markup

    from antai.reports.roadmap import lines as roadmap_lines
    from antai.reports.roadmap import timeline_svg
    from antai.reports.templating import environment

    lang = report.lang
    env = environment()
    chapter_rows: list[tuple[str, float | None]] = []
    for chapter_no, s in report.scores.by_chapter.items():
        chapter = catalog.chapter(int(chapter_no))
        chapter_rows.append((f"{chapter_no}. {chapter.title(lang) if chapter else ''}", s.score))
    cia_rows = [(label(k, lang), v.score) for k, v in report.scores.by_cia.items()]
    template = "exec.html.j2" if report.audience == "exec" else "report.html.j2"
    titles = {i.id: (i.title.ja if lang == "ja" else i.title.en) for i in report.items}
    return env.get_template(template).render(
        r=report,
        lang=lang,
        T=lambda key: T(key, lang),
        L=lambda key: label(key, lang),
        catalog=catalog,
        titles=titles,
        # the charts are built from escaped parts, so they may be marked safe
        chapter_chart=Markup(bar_chart_svg(chapter_rows)),
        cia_chart=Markup(bar_chart_svg(cia_rows)),
        # built from escaped parts as well
        roadmap_chart=Markup(timeline_svg(roadmap, lang)) if roadmap else None,
        roadmap_lines=roadmap_lines(roadmap, lang) if roadmap else [],
        bank_checklist=Markup(bank_checklist) if bank_checklist else None,  # every text in it is escaped
        phase=lambda priority: phase_label(priority, lang),
        profile_summary=profile_summary(report, lang),
        rows=checklist_rows(report, catalog, lang, compact=True),
        headers=checklist_headers(lang, compact=True),
        fact_groups=fact_groups(report) if report.audience != "exec" else [],
        fact_text=lambda row: fact_text(row, lang),
        handling_label=lambda h: handling_label(h, lang),
        class_label=lambda c: class_label(c, lang),
        number=number,
        percent=percent,
        doc_rows=document_rows(report, lang),
        signoffs=signoff_rows(report, lang),
        signoff_note=signoff_note(report, lang),
        remediation_rows=remediation_rows(report, lang) if report.audience == "bank" else [],
        remediation_headers=remediation_headers(lang),
        contradiction_rows=contradiction_rows(report, lang),
        contradiction_headers=contradiction_headers(lang),
        remediation_intro=remediation_intro(report, lang),
        # built from escaped parts
        threads_section=Markup(threads_html(report.threads, lang)) if report.threads else None,
    )
