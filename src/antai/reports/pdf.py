"""Print-ready PDF of the bank and exec reports: the HTML report rendered by WeasyPrint (an optional extra,
``pip install 'antai[pdf]'``) with embedded Noto Sans CJK JP.

The bank report prints as two documents: the body (cover with document control and sign-off, summary,
roadmap, remediation plan, organisation facts, checklist, decisions) and, as a separate appendix, the excluded
items and the FISC traceability matrix, each with its own page numbers ("n / N") and a running header naming
the organisation and the document (and, at the right, the document ID, edition and classification). The
print layout itself (A4, column widths, breaks) lives in the templates' ``@page`` / ``@media print`` rules,
so a browser's print and the PDF agree; this module only selects the part to print and writes the header.

WeasyPrint is imported inside the functions: without it (or without the Pango library it needs) rendering
raises :class:`PdfUnavailable`, which the CLI words in ja/en.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from antai.errors import AntaiError

if TYPE_CHECKING:
    from antai.catalog import Catalog
    from antai.reports.assessment import Report
    from antai.tailoring.roadmap import Roadmap

Part = Literal["all", "body", "appendix"]
INSTALL_HINT = "pip install 'antai[pdf]'"

# the sections of report.html.j2 that print as the appendix: the excluded items and the FISC matrix
# (sections are never nested there)
_APPENDIX_SECTION = re.compile(r'<section id="(?:excluded|fisc)">.*?</section>\n?', re.DOTALL)

_APPENDIX = {"ja": "付録: 対象外項目・FISCトレーサビリティ", "en": "Appendix: excluded items, FISC traceability"}


class PdfUnavailable(AntaiError):
    """WeasyPrint (or the system library it loads) is not installed."""

    code = "pdf_unavailable"

    def __init__(self, reason: str) -> None:
        super().__init__(f"PDF output needs WeasyPrint ({INSTALL_HINT}): {reason}", hint=INSTALL_HINT, reason=reason)


@dataclass(frozen=True)
class ReportPdfs:
    """The PDF of a report; for the bank report with FISC rows, also the FISC appendix."""

    body: bytes
    appendix: bytes | None


def css_string(text: str) -> str:
    """``text`` as a quoted CSS string (quotes, backslashes and line breaks escaped)."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"')
    escaped = "".join(ch if ch.isprintable() else f"\\{ord(ch):x} " for ch in escaped)
    return f'"{escaped}"'


def _weasyprint() -> tuple[type, type, object]:
    try:
        import weasyprint
    except ImportError as exc:
        raise PdfUnavailable(f"{exc.name or 'weasyprint'} is not installed") from None
    except OSError as exc:  # WeasyPrint imports, but Pango / its libraries cannot be loaded
        raise PdfUnavailable(str(exc).splitlines()[0] if str(exc) else type(exc).__name__) from None
    import logging

    # WeasyPrint and fontTools log warnings (in English) through the root logger's last-resort handler:
    # keep them out of the user's terminal
    for name in ("weasyprint", "fontTools"):
        logger = logging.getLogger(name)
        if not logger.handlers:
            logger.addHandler(logging.NullHandler())
        logger.propagate = False
    # the reports are self-contained: never fetch a file or a URL, only data: URIs
    fetcher = weasyprint.URLFetcher(allowed_protocols={"data"})
    return weasyprint.HTML, weasyprint.CSS, fetcher


def select_part(html: str, part: Part) -> str:
    """The HTML report with only what ``part`` prints: the body without the appendix sections (excluded
    items, FISC matrix), the appendix with only them. Dropping the sections (rather than hiding them with
    CSS) spares WeasyPrint their styling."""
    if part == "all":
        return html
    found = list(_APPENDIX_SECTION.finditer(html))
    if part == "body":
        return _APPENDIX_SECTION.sub("", html)
    start, end = html.index("<body>") + len("<body>"), html.rindex("</body>")
    return html[:start] + "\n" + "".join(m.group(0) for m in found) + html[end:]


def html_to_pdf(html: str, header: str, part: Part = "all", header_right: str = "") -> bytes:
    """Render one of our HTML reports to PDF bytes with ``header`` at the top left of every page and
    ``header_right`` (document ID, edition, classification) at the top right."""
    html_class, css_class, fetcher = _weasyprint()
    running = (
        f"@page {{ @top-left {{ content: {css_string(header)}; }}"
        f" @top-right {{ content: {css_string(header_right)}; font-family: 'Noto Sans CJK JP', sans-serif;"
        " font-size: 7.5pt; color: #5b6673; } }"
    )
    # the appendix starts on its first page, not after a page break; the FISC matrix on a page of its own
    extra = "#excluded { break-before: auto; } #fisc { break-before: page; }" if part == "appendix" else ""
    stylesheets = [css_class(string=f"{running}\n{extra}", url_fetcher=fetcher)]
    document = html_class(string=select_part(html, part), url_fetcher=fetcher, media_type="print")
    data: bytes = document.write_pdf(stylesheets=stylesheets)
    return data


def report_pdfs(report: Report, catalog: Catalog, roadmap: Roadmap | None = None) -> ReportPdfs:
    """The report as PDF: the body, and for the bank audience the FISC matrix as an appendix (if any)."""
    from antai.reports.bank import T, report_html, running_header

    lang = report.lang
    html = report_html(report, catalog, roadmap)
    title = T(f"title.{report.audience}", lang)
    header = f"{report.organisation} — {title}"
    # document control is the bank pack's; the exec one-pager (portrait) keeps its header to the title
    right = running_header(report, lang) if report.audience == "bank" else ""
    if report.audience != "bank" or not report.fisc:
        return ReportPdfs(html_to_pdf(html, header, "body", right), None)
    appendix_header = f"{header}（{_APPENDIX['ja']}）" if lang == "ja" else f"{header} ({_APPENDIX['en']})"
    return ReportPdfs(html_to_pdf(html, header, "body", right), html_to_pdf(html, appendix_header, "appendix", right))
