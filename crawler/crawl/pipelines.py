"""Item glue: a report item from the spider → extract/ → dedup → store.

Spiders decide where to go, extraction decides what a page says; this module only
connects them and counts what happened.
"""
from __future__ import annotations

from crawler.analyze.report import ANALYSIS_VERSION, analyze_report
from crawler.analyze.dedup import SIGNATURE_VERSION, NearDuplicates, Signature, official_rank, signature_of
from crawler.extract import extract_report
from crawler.extract.attachments import AttachmentError, attachment_text
from crawler.extract.classify import classify
from crawler.store import sha256

# A page whose own text is shorter than this and that links a readable file is a
# cover page: the file is the report.
COVER_PAGE_CHARS = 400


class ReportPipeline:
    def __init__(self, crawler):
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def open_spider(self, spider=None):
        spider = self.crawler.spider
        self.store = spider.store
        self.counters = spider.counters
        self.regions = {s.name: s.region for s in spider.sites}
        self.seen: dict[str, set[str]] = {}
        self.near = NearDuplicates()
        for url, body, data, digest in self.store.report_bodies():
            if data is not None and digest == _signed(body):
                self.near.add(url, signature=Signature.from_bytes(data))
            else:
                self._index(url, body)

    def process_item(self, item, spider=None):
        site, url = item["site"], item["url"]
        self.seen.setdefault(site, set()).add(url)
        self._count(site, "reports_seen")
        if item.get("not_modified"):
            if self.store.touch_report(url) or self.store.copy_of(url):
                return item
            # archived by a run that was killed before it stored the report: finish from the snapshot
            item = dict(item, html=self.store.archived_text(url))
        if not item.get("html") and not item.get("attachments"):
            return item
        # html is None when the list linked the file itself, which is then the report
        continued = [part["html"] or self.store.archived_text(part["url"])
                     for part in item.get("continued") or []]
        report = extract_report(url, item.get("html"), site_region=self.regions.get(site),
                                continued=[html for html in continued if html],
                                list_title=item.get("list_title"))
        report["site"] = site
        pdfs = self._attachments(report, item.get("attachments") or [])
        outcome = self._store(report)
        self._analyze(report["url"], outcome, "\n".join([item.get("html") or "", *continued]), pdfs)
        return item

    def _attachments(self, report: dict, attachments: list[dict]) -> list[bytes]:
        """Keep every file with its text or error; a cover page takes the file's text as body.
        Returns the bytes of the readable PDFs (their tables are analysed)."""
        texts, pdfs = [], []
        for att in attachments:
            row = {"url": att["url"], "report_url": report["url"], "name": att.get("name"),
                   "type": att.get("kind"), "error": att.get("error")}
            data = self.store.raw(att["url"]) if att.get("not_modified") else att.get("data")
            if data is not None and not att.get("error"):
                row.update(size=len(data), sha256=sha256(data))
                try:
                    row["text"] = attachment_text(data, att["kind"])
                    texts.append(row["text"])
                    if att["kind"] == "pdf":
                        pdfs.append(data)
                except AttachmentError as exc:
                    row["error"] = str(exc)
            self.store.save_attachment(row)
        own = report.get("body") or ""
        if texts and len(own) < COVER_PAGE_CHARS:
            report["body"] = max(texts, key=len)
            report["report_type"], report["year"] = classify(report["title"], report["body"])
        return pdfs

    def _store(self, report: dict) -> str:
        """Save the report, or record it as a copy; returns the outcome ('copy' for a copy)."""
        url, site = report["url"], report["site"]
        page_sha = (self.store.validators(url) or {}).get("sha256")
        original = self.store.copy_of(url)
        match = self.near.match(report["body"]) if report.get("body") else None
        if original is None and match and match[0] != url:
            original = match[0]
        if original and original != url:
            if self._official_first(report, original):
                self.store.replace_report_url(original, report, page_sha, match[1] if match else 1.0)
                self.near.remove(original)
                self._index(url, report["body"])
                self._count(site, "reports_changed")
            else:
                self.store.add_copy(url, original, site, report["title"], match[1] if match else 1.0)
                self._count(site, "copies")
                return "copy"
            return "changed"
        outcome = self.store.save_report(report, page_sha)
        if outcome != "unchanged" and report.get("body"):
            self._index(url, report["body"])
        self._count(site, {"new": "reports_new", "changed": "reports_changed"}.get(outcome, "reports_unchanged"))
        return outcome

    def _analyze(self, url: str, outcome: str, html: str, pdfs: list[bytes]) -> None:
        """Sections, disclosure tables, completeness and the repeated-text share of a stored
        report (crawler/analyze/report.py), when its text is new or analysed by an older version."""
        if outcome == "copy" or (outcome == "unchanged" and self.store.analyzed_version(url) == ANALYSIS_VERSION):
            return
        report = self.store.report_row(url)
        self.store.save_analysis(analyze_report(report, html or None, pdfs, **self.store.neighbours(url)))

    def _index(self, url: str, body: str) -> None:
        """Make `body` findable by near-duplicate search, now and in later runs."""
        signature = signature_of(body)
        self.near.add(url, signature=signature)
        if signature:
            self.store.save_signature(url, _signed(body), signature.to_bytes())

    def _official_first(self, report: dict, original_url: str) -> bool:
        """Is the page just crawled more official than the one already holding the report?"""
        old = self.store.report_row(original_url)
        if not old:
            return False
        mine = official_rank(report["url"], report["title"], report["body"], report["publisher"])
        theirs = official_rank(old["url"], old["title"], old["body"], old["publisher"])
        return mine < theirs

    def _count(self, site: str, key: str) -> None:
        self.counters.setdefault(site, {}).setdefault(key, 0)
        self.counters[site][key] += 1

    def close_spider(self, spider=None):
        spider = self.crawler.spider
        for site, urls in self.seen.items():
            if not spider.site_complete(site):
                continue  # a run that did not read the whole column cannot tell what is gone
            gone = self.store.mark_gone(site, urls)
            if gone:
                self.counters.setdefault(site, {})["reports_gone"] = gone


def _signed(body: str) -> str:
    """What a stored signature was computed from: the body, under this signature version."""
    return sha256(f"{SIGNATURE_VERSION}:{body}".encode())
