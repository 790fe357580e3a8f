"""What the worker processes run (crawler/crawl/workers.py): the pure CPU work of a report.

Each function takes and returns plain data (strings, bytes, dicts), so a task crosses the
process boundary by pickle and the pipeline gets the same result whether it ran in a worker
or in-process. Sizes are capped here, before any parser sees the input: a cap is cheap to
check and a parser's memory and time grow with what it is given.
"""
from __future__ import annotations

import importlib

from cjk_search import index_tokens
from crawler.analyze.dedup import signature_of
from crawler.analyze.report import analyze_report
from crawler.extract import extract_report
from crawler.extract.attachments import AttachmentError, attachment_text

MAX_PAGE_CHARS = 8_000_000
"""A report page is tens of KB (the largest real one seen, 1.4 MB); a bigger one is a dump or a trap."""
MAX_PAGE_TAGS = 250_000
"""Elements (counted as '<') a page may have before lxml builds its tree: a flood of labels or
links costs memory and time in every pass of extraction."""


class PageTooLarge(Exception):
    """A page over a cap, refused before parsing."""


def _check_page(html: str | None) -> None:
    if html is None:
        return
    if len(html) > MAX_PAGE_CHARS:
        raise PageTooLarge(f"page too large: {len(html)} characters (cap {MAX_PAGE_CHARS})")
    tags = html.count("<")
    if tags > MAX_PAGE_TAGS:
        raise PageTooLarge(f"page has too many elements: {tags} tags (cap {MAX_PAGE_TAGS})")


def _signature(text: str | None) -> bytes | None:
    """The near-duplicate signature of a body, as bytes (crawler/analyze/dedup.py)."""
    signature = signature_of(text) if text else None
    return signature.to_bytes() if signature else None


def read_page(url: str, html: str | None, site_region: str | None, continued: list[str],
              list_title: str | None, hook: str | None = None,
              list_date: str | None = None) -> tuple[dict, bytes | None, dict[str, str]]:
    """The page's report facts (extract_report), the signature of its own body, and the search
    index's tokens of its title and body (cjk_search.index_tokens: tokenizing is pure CPU work,
    done here rather than on the crawl's reactor thread when the store indexes the report).

    `hook` names a function (module:function) called with (url, html) first: a test-only
    way, set through the WORKER_PAGE_HOOK setting, to make a page hang or crash a worker."""
    if hook:
        module, _, name = hook.partition(":")
        getattr(importlib.import_module(module), name)(url, html)
    for page in [html, *continued]:
        _check_page(page)
    report = extract_report(url, html, site_region=site_region, continued=continued,
                            list_title=list_title, list_date=list_date)
    return report, _signature(report.get("body")), index_tokens(report.get("title"), report.get("body"))


def read_file(data: bytes, kind: str) -> tuple[str | None, str | None, bytes | None, list[int] | None]:
    """(text, None, its signature, ruled pages) of an attachment, or (None, the reason, None,
    ruled pages). The ruled pages are a PDF's pages that can hold a table, as
    pdfium_text.ruled_pages finds them, read while its text was (None when not: another kind,
    or a file PDFium did not read): the analysis task takes them instead of loading every
    page again, and may run in another worker, so they travel with the result."""
    learnt: dict = {}
    try:
        text = attachment_text(data, kind, learnt)
    except AttachmentError as exc:
        return None, str(exc), None, learnt.get("ruled_pages")
    return text, None, _signature(text), learnt.get("ruled_pages")


def analyze(report: dict, html: str | None, pdfs: list[bytes], previous: dict | None = None,
            following: dict | None = None, ruled: list[list[int] | None] | None = None) -> dict:
    """The analysis rows of a stored report (crawler/analyze/report.py); `ruled` as there."""
    return analyze_report(report, html, pdfs, previous=previous, following=following, ruled=ruled)
