"""Item glue: a ReportItem from the spider → extract/ → analyze/dedup → store.

Spiders decide where to go, extraction decides what a page says, dedup which copy is
the official one, the store how it is kept; this module only connects them and counts
what happened in Scrapy's stats (archive/<site>/<key>, made the run record by run.py).
"""
from __future__ import annotations

from dataclasses import dataclass, field

from scrapy.exceptions import DropItem

from crawler.analyze.dedup import SIGNATURE_VERSION, NearDuplicates, Signature, more_official, signature_of
from crawler.analyze.report import ANALYSIS_VERSION, analyze_report
from crawler.crawl.archive import archive_of, count, store_failed
from crawler.crawl.items import Attachment, ReportItem
from crawler.extract import extract_report, with_attachments
from crawler.extract.attachments import AttachmentError, attachment_text
from crawler.store import sha256


@dataclass
class Prepared:
    """A report item once read: what the store keeps of it. Extraction is pure, so a cluster
    worker prepares items where it fetched them and only this travels to the writer."""

    site: str
    url: str
    not_modified: bool = False
    report: dict | None = None          # extract_report + attachment texts; None: nothing to store
    attachments: list[dict] = field(default_factory=list)   # `attachments` rows, text or error
    html: str | None = None                                   # what the analysis reads (crawler/analyze/report.py)
    continued: list[str] = field(default_factory=list)
    pdfs: list[tuple[str, bytes | None]] = field(default_factory=list)   # (address, bytes if fetched)
    unfetched: str | None = None        # why the report cannot be stored now (ReportItem.unfetched)


def prepare(item: ReportItem, region: str | None) -> Prepared:
    """Extract the report and its files' texts (extract/, no store)."""
    out = Prepared(item.site, item.url, item.not_modified, html=item.html,
                   continued=[part.html for part in item.continued if part.html],
                   pdfs=[(att.url, att.data) for att in item.attachments if att.kind == "pdf" and not att.error])
    if item.not_modified or (not item.html and not item.attachments):
        return out
    out.unfetched = item.unfetched
    if out.unfetched:
        return out
    report = extract_report(item.url, item.html, site_region=region,
                            continued=[part.html for part in item.continued if part.html],
                            list_title=item.list_title)
    out.attachments, texts = _read(report["url"], item.attachments)
    out.report = with_attachments(dict(report, site=item.site), texts)
    return out


def _read(report_url: str, attachments: list[Attachment]) -> tuple[list[dict], list[tuple[str, str]]]:
    """Every file's row with its text or its error, and (address, text) of those read."""
    rows, texts = [], []
    for att in attachments:
        row = {"url": att.url, "report_url": report_url, "name": att.name, "type": att.kind,
               "error": att.error}
        if att.data is not None and not att.error:
            row.update(size=len(att.data), sha256=sha256(att.data))
            try:
                row["text"] = attachment_text(att.data, att.kind)
                texts.append((att.url, row["text"]))
            except AttachmentError as exc:
                row["error"] = str(exc)
        rows.append(row)
    return rows, texts


class ReportKeeper:
    """The store side of a report: dedup against the archive, then the row, a copy or a version.
    Used by the pipeline in one process and by the cluster's writer; `count(site, key, n)`
    says what happened."""

    def __init__(self, store, count):
        self.store = store
        self._count = count
        self.seen: dict[str, set[str]] = {}
        self.near = NearDuplicates()
        for url, body, data, digest in self.store.report_bodies():
            if data is not None and digest == _signed(body):
                self.near.add(url, signature=Signature.from_bytes(data))
            else:
                self._index(url, body)

    def keep(self, prepared: Prepared) -> None:
        self.seen.setdefault(prepared.site, set()).add(prepared.url)
        self._count(prepared.site, "reports_seen")
        if prepared.not_modified:   # a stored report (or copy) whose page answered 304
            if self.store.touch_report(prepared.url):
                self._analyze(prepared, "unchanged")
            return
        if prepared.unfetched:   # a report without its document is a failure, not a row: next run asks again
            self._count(prepared.site, "reports_unfetched")
            self.store.page_error(prepared.url, f"report not stored: {prepared.unfetched}"[:300])
            return
        if prepared.report is None:
            return
        with self.store.tx():   # the report and its files together, or neither
            for row in prepared.attachments:
                self.store.save_attachment(row)
            stored = self._store(prepared.report)
        self._analyze(prepared, stored)

    def _store(self, report: dict) -> str:
        """The report's row, or a copy of the report that holds it (which it may replace);
        returns the outcome: new, changed, unchanged or copy."""
        url, site = report["url"], report["site"]
        page_sha = (self.store.validators(url) or {}).get("sha256")
        original = self.store.copy_of(url)
        match = self.near.match(report["body"]) if report.get("body") else None
        if original is None and match and match[0] != url:
            original = match[0]
        if original and original != url:
            similarity = match[1] if match else 1.0
            holder = self.store.report_row(original)
            if holder and more_official(report, holder):
                self.store.replace_report_url(original, report, page_sha, similarity)
                self.near.remove(original)
                self._index(url, report["body"])
                self._count(site, "reports_changed")
            else:
                self.store.add_copy(url, original, site, report["title"], similarity)
                self._count(site, "copies")
                return "copy"
            return "changed"
        outcome = self.store.save_report(report, page_sha)
        if outcome != "unchanged" and report.get("body"):
            self._index(url, report["body"])
        self._count(site, {"new": "reports_new", "changed": "reports_changed"}.get(outcome, "reports_unchanged"))
        return outcome

    def _analyze(self, prepared: Prepared, outcome: str) -> None:
        """What is inside the stored report (crawler/analyze/report.py): its sections, disclosure
        tables, parts and repeated text, from its page HTML and PDF bytes, when its text is new
        or was analysed by an older version."""
        if outcome == "copy" or (outcome == "unchanged"
                                 and self.store.analyzed_version(prepared.url) == ANALYSIS_VERSION):
            return
        pages = [prepared.html if not prepared.not_modified else self.store.archived_text(prepared.url),
                 *prepared.continued]
        html = "\n".join(page for page in pages if page)
        pdfs = [data or self.store.raw(url) for url, data in prepared.pdfs]
        pdfs = [data for data in pdfs if data]
        try:
            result = analyze_report(self.store.report_row(prepared.url), html or None, pdfs,
                                    **self.store.neighbours(prepared.url))
        except Exception as exc:  # analysis is extra: a report it cannot read stays archived, with the reason
            reason = (str(exc).strip().splitlines() or [type(exc).__name__])[0][:200]
            self.store.analysis_failed(prepared.url, ANALYSIS_VERSION, f"{type(exc).__name__}: {reason}")
            return
        self.store.save_analysis(result)

    def _index(self, url: str, body: str) -> None:
        """Make `body` findable by near-duplicate search, now and in later runs."""
        signature = signature_of(body)
        self.near.add(url, signature=signature)
        if signature:
            self.store.save_signature(url, _signed(body), signature.to_bytes())

    def close(self, site_complete) -> None:
        """Reports of a site read whole that this run did not see are gone."""
        if self.store.failure:
            return   # a run stopped by its archive read nothing whole
        for site, urls in self.seen.items():
            if not site_complete(site):
                continue  # a run that did not read the whole column cannot tell what is gone
            gone = self.store.mark_gone(site, urls)
            if gone:
                self._count(site, "reports_gone", gone)


class ReportPipeline:
    """One process: prepare each item and keep it in the crawl's Store."""

    def __init__(self, crawler):
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def open_spider(self, spider=None):
        spider = self.crawler.spider
        self.regions = {s.name: s.region for s in spider.sites}
        self.keeper = ReportKeeper(archive_of(self.crawler),
                                   lambda site, key, n=1: count(self.crawler, site, key, n))

    def process_item(self, item: ReportItem, spider=None):
        try:
            self.keeper.keep(prepare(item, self.regions.get(item.site)))
        except Exception as exc:
            if store_failed(self.crawler, exc):   # the archive cannot be written: the crawl stops
                raise DropItem(f"not stored: {exc}") from None
            raise
        return item

    def close_spider(self, spider=None):
        self.keeper.close(self.crawler.spider.site_complete)


def _signed(body: str) -> str:
    """What a stored signature was computed from: the body, under this signature version."""
    return sha256(f"{SIGNATURE_VERSION}:{body}".encode())
