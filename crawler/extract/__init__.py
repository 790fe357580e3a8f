"""Pure extraction: (url, html text) → the facts a report page states.

Nothing in this package imports Scrapy or touches the database, so it can be
tested, profiled and reused on any saved page.
"""
from .body import extract_body
from .classify import classify
from .metadata import extract_metadata
from .regions import resolve_region

REPORT_FIELDS = (
    "title", "report_type", "year", "publisher", "index_no", "doc_no",
    "written_date", "published_date", "body", "region_code",
)


def extract_report(url: str, html: str | None, site_region: str | None = None,
                   continued: list[str] = ()) -> dict:
    """Everything the `reports` table wants from one page; missing values are None.

    `html` is None for a report published as a bare file: the page states nothing.
    `continued` holds the further pages of a document split in parts (…_1.shtml): their
    bodies follow the first page's; the metadata is the first page's.
    """
    meta = extract_metadata(html, url) if html else {}
    paragraphs = [p for page in ([html] if html else []) + list(continued)
                  for p in extract_body(page, url, title=meta.get("title"))]
    body = "\n".join(paragraphs) or None
    report_type, year = classify(meta.get("title"), body)
    publisher = meta.get("publisher") or meta.get("source")
    region = resolve_region(meta.get("index_no"), publisher, hint=site_region)
    report = {
        "url": url,
        "title": meta.get("title"),
        "report_type": report_type,
        "year": year,
        "publisher": publisher,
        "index_no": meta.get("index_no"),
        "doc_no": meta.get("doc_no"),
        "written_date": meta.get("written_date"),
        "published_date": meta.get("published_date"),
        "body": body,
        **region,
    }
    return {k: (None if v == "" else v) for k, v in report.items()}
