"""Pure extraction: (url, html text) → the facts a report page states.

Nothing in this package imports Scrapy or touches the database, so it can be
tested, profiled and reused on any saved page.
"""
from __future__ import annotations

from .body import extract_body
from .classify import classify
from .issuer import report_issuer, title_issuer
from .metadata import extract_metadata
from .page import Page
from .regions import resolve_region

COVER_PAGE_CHARS = 400
"""A page whose own text is shorter than this and that links a readable file is a cover page
("全文详见附件"): the file is the report."""

__all__ = ["NO_TEXT", "Page", "classify", "extract_body", "extract_metadata", "extract_report", "resolve_region",
           "with_attachments"]

REPORT_KEYS = ("url", "title", "report_type", "year", "publisher", "index_no", "doc_no", "written_date",
               "published_date", "body", "column")
MAX_ERROR = 200


def _reason(stage: str, exc: BaseException) -> str:
    """One line saying what could not be read: the stage and the exception, cut short."""
    text = " ".join(f"{type(exc).__name__}: {exc}".split())
    return f"{stage}: {text}"[:MAX_ERROR]


def extract_report(url: str, html: str | None, site_region: str | None = None,
                   continued: list[str] = (), list_title: str | None = None,
                   list_date: str | None = None) -> dict:
    """Everything the `reports` table wants from one page; missing values are None. Never raises.

    `html` is None for a report published as a bare file: the page states nothing.
    `continued` holds the further pages of a document split in parts (…_1.shtml): their
    bodies follow the first page's; the metadata is the first page's. `list_title` is
    the link text that led here, the title of last resort; `list_date`, the date the list showed
    beside a bare file, is that file's 发布日期 (the file is published where the list shows it).
    A page that cannot be read (or a stage of it) leaves its fields None and says why in `error`
    (one line); `error` is None when everything was read.
    """
    errors: list[str] = []
    page = Page(html, url, continued=continued)
    meta: dict = {}
    if html:
        try:
            meta = page.metadata
        except Exception as exc:  # noqa: BLE001 - a page must never escape as an exception
            errors.append(_reason("metadata", exc))
    title = meta.get("title") or list_title
    paragraphs: list[str] = []
    try:
        parts = page.parts if html else page.parts[1:]
        paragraphs = [p for part in parts for p in part.paragraphs(title, meta.get("doc_no"))]
    except Exception as exc:  # noqa: BLE001
        errors.append(_reason("body", exc))
    body = "\n".join(paragraphs) or None
    try:
        report_type, year = classify(title, body)
    except Exception as exc:  # noqa: BLE001
        report_type, year = None, None
        errors.append(_reason("classify", exc))
    publisher = meta.get("publisher") or meta.get("source")
    try:
        region = resolve_region(meta.get("index_no"), publisher, hint=site_region)
        if region["region_code"] is None and (named := title_issuer(title)):
            # no 索引号 or 发布机构 to go on: the issuer the title names (a district's report on
            # its city's portal, 六安市金安区人民政府2022年…) is where the report belongs
            region = resolve_region(None, named, hint=site_region)
    except Exception as exc:  # noqa: BLE001
        region = {"region_code": None, "province": None, "city": None, "county": None}
        errors.append(_reason("region", exc))
    report = {
        "url": url,
        "title": title,
        "report_type": report_type,
        "year": year,
        "publisher": publisher,
        "index_no": meta.get("index_no"),
        "doc_no": meta.get("doc_no"),
        "written_date": meta.get("written_date"),
        "published_date": meta.get("published_date") or (list_date if html is None else None),
        "body": body,
        "column": meta.get("column"),
        "issuer_type": report_issuer(title, publisher, region["region_code"]),
        **region,
    }
    report = {k: (None if v == "" else v) for k, v in report.items()}
    report["error"] = "; ".join(errors)[:MAX_ERROR] if errors else None
    return report


def with_attachments(report: dict, files: list[tuple[str, str]]) -> dict:
    """The report once its files are read: `files` is (address, text) for each readable file.

    A cover page takes the longest file's text as its body, is classified again on it,
    and names that file as `source_url`; any other page keeps its own text and is its
    own source."""
    own = report.get("body") or ""
    readable = [(url, text) for url, text in files if text]
    if readable and len(own) < COVER_PAGE_CHARS:
        source, body = max(readable, key=lambda f: len(f[1]))
        report_type, year = classify(report.get("title"), body)
        return {**report, "body": body, "report_type": report_type, "year": year, "source_url": source}
    if own:
        return {**report, "source_url": report["url"]}
    return {**report, "source_url": None, "error": _joined(report.get("error"), NO_TEXT)}


NO_TEXT = "no text: the page holds no report text and no linked file was read"
"""Why a report row has no body. The row stays — the government did publish at that address
(a scanned report shown as images, a page filled in by script) and coverage counts it — but a
reader of the archive must see that its text is missing, not take the row for a whole report."""


def _joined(error: str | None, reason: str) -> str:
    """`reason` added to the reasons already recorded, within the column's length."""
    return (f"{error}; {reason}" if error else reason)[:MAX_ERROR]
