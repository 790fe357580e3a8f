"""Pure extraction: (url, html text) → the facts a report page states.

Nothing in this package imports Scrapy or touches the database, so it can be
tested, profiled and reused on any saved page.
"""
from .body import extract_body
from .classify import classify
from .issuer import issuer_type
from .metadata import extract_metadata
from .regions import resolve_region

COVER_PAGE_CHARS = 400
"""A page whose own text is shorter than this and that links a readable file is a cover page
("全文详见附件"): the file is the report."""

def extract_report(url: str, html: str | None, site_region: str | None = None,
                   continued: list[str] = (), list_title: str | None = None) -> dict:
    """Everything the `reports` table wants from one page; missing values are None.

    `html` is None for a report published as a bare file: the page states nothing.
    `continued` holds the further pages of a document split in parts (…_1.shtml): their
    bodies follow the first page's; the metadata is the first page's. `list_title` is
    the link text that led here, the title of last resort.
    """
    meta = extract_metadata(html, url) if html else {}
    title = meta.get("title") or list_title
    paragraphs = [p for page in ([html] if html else []) + list(continued)
                  for p in extract_body(page, url, title=title)]
    body = "\n".join(paragraphs) or None
    report_type, year = classify(title, body)
    publisher = meta.get("publisher") or meta.get("source")
    region = resolve_region(meta.get("index_no"), publisher, hint=site_region)
    report = {
        "url": url,
        "title": title,
        "report_type": report_type,
        "year": year,
        "publisher": publisher,
        "index_no": meta.get("index_no"),
        "doc_no": meta.get("doc_no"),
        "written_date": meta.get("written_date"),
        "published_date": meta.get("published_date"),
        "body": body,
        "column": meta.get("column"),
        "issuer_type": issuer_type(title, publisher),
        **region,
    }
    return {k: (None if v == "" else v) for k, v in report.items()}


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
    return {**report, "source_url": report["url"] if own else None}
