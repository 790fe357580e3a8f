"""Item glue: a ReportItem from the spider → extract/ → analyze/dedup → store.

Spiders decide where to go, extraction decides what a page says, dedup which copy is
the official one, the store how it is kept; this module only connects them and counts
what happened in Scrapy's stats (archive/<site>/<key>, made the run record by run.py).
"""
from __future__ import annotations

from scrapy.exceptions import DropItem

from crawler.analyze.dedup import SIGNATURE_VERSION, NearDuplicates, Signature, more_official, signature_of
from crawler.analyze.report import ANALYSIS_VERSION, analyze_report
from crawler.crawl.archive import archive_of, count, store_failed
from crawler.crawl.items import Attachment, ReportItem
from crawler.extract import extract_report, with_attachments
from crawler.extract.attachments import AttachmentError, attachment_text
from crawler.store import sha256


class ReportPipeline:
    def __init__(self, crawler):
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def open_spider(self, spider=None):
        spider = self.crawler.spider
        self.store = archive_of(self.crawler)
        self.regions = {s.name: s.region for s in spider.sites}
        self.seen: dict[str, set[str]] = {}
        self.near = NearDuplicates()
        for url, body, data, digest in self.store.report_bodies():
            if data is not None and digest == _signed(body):
                self.near.add(url, signature=Signature.from_bytes(data))
            else:
                self._index(url, body)

    def process_item(self, item: ReportItem, spider=None):
        try:
            return self._process(item)
        except Exception as exc:
            if store_failed(self.crawler, exc):   # the archive cannot be written: the crawl stops
                raise DropItem(f"not stored: {exc}") from None
            raise

    def _process(self, item: ReportItem) -> ReportItem:
        self.seen.setdefault(item.site, set()).add(item.url)
        self._count(item.site, "reports_seen")
        if item.not_modified:   # a stored report (or copy) whose page answered 304
            if self.store.touch_report(item.url):
                self._analyze(item, "unchanged")
            return item
        if not item.html and not item.attachments:
            return item
        unfetched = item.unfetched
        if unfetched:   # a report without its document is a failure, not a row: next run asks again
            self._count(item.site, "reports_unfetched")
            self.store.page_error(item.url, f"report not stored: {unfetched}"[:300])
            return item
        report = extract_report(item.url, item.html, site_region=self.regions.get(item.site),
                                continued=[part.html for part in item.continued if part.html],
                                list_title=item.list_title)
        with self.store.tx():   # the report and its files together, or neither
            report = with_attachments(dict(report, site=item.site), self._read(report["url"], item.attachments))
            stored = self._store(report)
        self._analyze(item, stored)
        return item

    def _read(self, report_url: str, attachments: list[Attachment]) -> list[tuple[str, str]]:
        """Keep every file with its text or its error; returns (address, text) of those read."""
        texts = []
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
            self.store.save_attachment(row)
        return texts

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

    def _analyze(self, item: ReportItem, outcome: str) -> None:
        """What is inside the stored report (crawler/analyze/report.py): its sections, disclosure
        tables, parts and repeated text, from its page HTML and PDF bytes, when its text is new
        or was analysed by an older version."""
        if outcome == "copy" or (outcome == "unchanged"
                                 and self.store.analyzed_version(item.url) == ANALYSIS_VERSION):
            return
        pages = [item.html if not item.not_modified else self.store.archived_text(item.url),
                 *(part.html for part in item.continued)]
        html = "\n".join(page for page in pages if page)
        pdfs = [att.data or self.store.raw(att.url) for att in item.attachments
                if att.kind == "pdf" and not att.error]
        pdfs = [data for data in pdfs if data]
        try:
            result = analyze_report(self.store.report_row(item.url), html or None, pdfs,
                                    **self.store.neighbours(item.url))
        except Exception as exc:  # analysis is extra: a report it cannot read stays archived, with the reason
            reason = (str(exc).strip().splitlines() or [type(exc).__name__])[0][:200]
            self.store.analysis_failed(item.url, ANALYSIS_VERSION, f"{type(exc).__name__}: {reason}")
            return
        self.store.save_analysis(result)

    def _index(self, url: str, body: str) -> None:
        """Make `body` findable by near-duplicate search, now and in later runs."""
        signature = signature_of(body)
        self.near.add(url, signature=signature)
        if signature:
            self.store.save_signature(url, _signed(body), signature.to_bytes())

    def _count(self, site: str, key: str, n: int = 1) -> None:
        count(self.crawler, site, key, n)

    def close_spider(self, spider=None):
        spider = self.crawler.spider
        if self.store.failure:
            return   # a run stopped by its archive read nothing whole
        for site, urls in self.seen.items():
            if not spider.site_complete(site):
                continue  # a run that did not read the whole column cannot tell what is gone
            gone = self.store.mark_gone(site, urls)
            if gone:
                self._count(site, "reports_gone", gone)


def _signed(body: str) -> str:
    """What a stored signature was computed from: the body, under this signature version."""
    return sha256(f"{SIGNATURE_VERSION}:{body}".encode())
