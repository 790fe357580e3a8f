"""Item glue: a ReportItem from the spider → extract/ → analyze/dedup → store.

Spiders decide where to go, extraction decides what a page says, dedup which copy is
the official one, the store how it is kept; this module only connects them and counts
what happened in Scrapy's stats (archive/<site>/<key>, made the run record by run.py).
"""
from __future__ import annotations

from scrapy.exceptions import DropItem
from twisted.internet.defer import Deferred, DeferredList, succeed
from twisted.python.failure import Failure

from crawler.analyze.dedup import SIGNATURE_VERSION, NearDuplicates, Signature, more_official, signature_of
from crawler.analyze.report import ANALYSIS_VERSION
from crawler.crawl import tasks
from crawler.crawl.archive import archive_of, count, store_failed
from crawler.crawl.items import ReportItem
from crawler.crawl.workers import TaskFailed, make_pool
from crawler.extract import with_attachments
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
        settings = self.crawler.settings
        processes = settings.get("WORKER_PROCESSES")
        self.pool = make_pool(None if processes in (None, "") else int(processes),
                              settings.getint("WORKER_MEMORY_MB", 1024))
        self.page_timeout = settings.getfloat("WORKER_PAGE_TIMEOUT", 30)
        self.file_timeout = settings.getfloat("WORKER_FILE_TIMEOUT", 60)
        self.hook = settings.get("WORKER_PAGE_HOOK") or None
        self.regions = {s.name: s.region for s in spider.sites}
        self.seen: dict[str, set[str]] = {}
        self.near = NearDuplicates()
        for url, body, data, digest in self.store.report_bodies():
            if data is not None and digest == _signed(body):
                self.near.add(url, signature=Signature.from_bytes(data))
            else:
                self._index(url, body)

    def process_item(self, item: ReportItem, spider=None):
        """Returns the item, or a Deferred that fires with it once the workers have read the
        page and its files and the store has kept them (Scrapy waits for it). An archive that
        cannot be written stops the crawl (store_failed), now or when the Deferred fires."""
        try:
            result = self._process(item)
        except Exception as exc:
            if store_failed(self.crawler, exc):   # the archive cannot be written: the crawl stops
                raise DropItem(f"not stored: {exc}") from None
            raise
        if isinstance(result, Deferred):
            result.addErrback(self._unwritable)
        return result

    def _unwritable(self, failure: Failure):
        if store_failed(self.crawler, failure.value):
            raise DropItem(f"not stored: {failure.value}")
        return failure

    def _process(self, item: ReportItem):
        self.seen.setdefault(item.site, set()).add(item.url)
        self._count(item.site, "reports_seen")
        if item.not_modified:   # a stored report (or copy) whose page answered 304
            if self.store.touch_report(item.url):
                return self._analyze(item, "unchanged")
            return item
        if not item.html and not item.attachments and not item.incomplete:
            return item
        unfetched = item.unfetched
        if unfetched:   # a report without its document is a failure, not a row: next run asks again
            self._count(item.site, "reports_unfetched")
            self.store.page_error(item.url, f"report not stored: {unfetched}"[:300])
            return item
        page = self._task(tasks.read_page, item.url, item.html, self.regions.get(item.site),
                          [part.html for part in item.continued if part.html], item.list_title,
                          self.hook, timeout=self.page_timeout)
        files = [self._task(tasks.read_file, att.data, att.kind, timeout=self.file_timeout)
                 if att.data is not None and not att.error else succeed(None) for att in item.attachments]
        done = DeferredList([page, *files], consumeErrors=True)
        done.addCallback(self._extracted, item)
        return done

    def _extracted(self, results: list, item: ReportItem):
        """On the reactor thread, once every task of the item has ended: store what was read,
        in one transaction (its files, its row or copy, its signature: all or nothing)."""
        try:
            with self.store.tx():
                outcome = self._keep(results, item)
        except Exception as exc:
            if store_failed(self.crawler, exc):   # the archive cannot be written: the crawl stops
                raise DropItem(f"not stored: {exc}") from None
            raise
        return item if outcome is None else self._analyze(item, outcome)

    def _keep(self, results: list, item: ReportItem) -> str | None:
        """The writes of `_extracted`; the store's outcome, None when the page failed."""
        (page_ok, page), *files = results
        texts, signatures = self._save_files(item, [(ok, value) for ok, value in files])
        if not page_ok:
            reason = _reason(page)
            self.store.page_error(item.url, reason)
            self.store.report_error(item.url, reason)
            self._count(item.site, "failures")
            return None
        report, signature = page
        signatures[item.url] = signature
        report = with_attachments(dict(report, site=item.site, error=None), texts)
        return self._store(report, _signature(signatures.get(report.get("source_url"))))

    def _task(self, function, *args, timeout: float):
        """`function` run by the pool, as a Deferred fired on the reactor thread."""
        return _deferred(self.pool.submit(function, *args, timeout=timeout))

    def _save_files(self, item: ReportItem, results: list) -> tuple[list[tuple[str, str]], dict]:
        """Keep every file with its text or its error; returns (address, text) of those read
        and their signatures by address."""
        texts, signatures = [], {}
        for att, (ok, value) in zip(item.attachments, results, strict=True):
            row = {"url": att.url, "report_url": item.url, "name": att.name, "type": att.kind,
                   "error": att.error}
            if att.data is not None and not att.error:
                row.update(size=len(att.data), sha256=sha256(att.data))
                text, error, signature = value if ok else (None, _reason(value), None)
                row["text"], row["error"] = text, error
                if text:
                    texts.append((att.url, text))
                    signatures[att.url] = signature
            self.store.save_attachment(row)
        return texts, signatures

    def _store(self, report: dict, signature: Signature | None) -> str:
        """The report's row, or a copy of the report that holds it (which it may replace);
        returns the outcome: new, changed, unchanged or copy. `signature` is the body's,
        computed by the worker that read it."""
        url, site = report["url"], report["site"]
        page_sha = (self.store.validators(url) or {}).get("sha256")
        original = self.store.copy_of(url)
        match = self.near.match(report["body"], signature) if report.get("body") else None
        if original is None and match and match[0] != url:
            original = match[0]
        if original and original != url:
            similarity = match[1] if match else 1.0
            holder = self.store.report_row(original)
            if holder and more_official(report, holder):
                self.store.replace_report_url(original, report, page_sha, similarity)
                self.near.remove(original)
                self._index(url, report["body"], signature)
                self._count(site, "reports_changed")
            else:
                self.store.add_copy(url, original, site, report["title"], similarity)
                self._count(site, "copies")
                return "copy"
            return "changed"
        outcome = self.store.save_report(report, page_sha)
        if outcome != "unchanged" and report.get("body"):
            self._index(url, report["body"], signature)
        self._count(site, {"new": "reports_new", "changed": "reports_changed"}.get(outcome, "reports_unchanged"))
        return outcome

    def _analyze(self, item: ReportItem, outcome: str):
        """What is inside the stored report (crawler/analyze/report.py): its sections, disclosure
        tables, parts and repeated text, from its page HTML and PDF bytes, when its text is new
        or was analysed by an older version. Run by the pool; returns the item or a Deferred of it."""
        if outcome == "copy" or (outcome == "unchanged"
                                 and self.store.analyzed_version(item.url) == ANALYSIS_VERSION):
            return item
        pages = [item.html if not item.not_modified else self.store.archived_text(item.url),
                 *(part.html for part in item.continued)]
        html = "\n".join(page for page in pages if page)
        pdfs = [att.data or self.store.raw(att.url) for att in item.attachments
                if att.kind == "pdf" and not att.error]
        pdfs = [data for data in pdfs if data]
        done = self._task(tasks.analyze, self.store.report_row(item.url), html or None, pdfs,
                          *self.store.neighbours(item.url).values(), timeout=self.file_timeout)

        def failed(failure):  # analysis is extra: a report it cannot read stays archived, with the reason
            self.store.analysis_failed(item.url, ANALYSIS_VERSION, _reason(failure))
        done.addCallbacks(self.store.save_analysis, failed)
        done.addCallback(lambda _: item)
        return done

    def _index(self, url: str, body: str, signature: Signature | None = None) -> None:
        """Make `body` findable by near-duplicate search, now and in later runs."""
        signature = signature or signature_of(body)
        self.near.add(url, signature=signature)
        if signature:
            self.store.save_signature(url, _signed(body), signature.to_bytes())

    def _count(self, site: str, key: str, n: int = 1) -> None:
        count(self.crawler, site, key, n)

    def close_spider(self, spider=None):
        spider = self.crawler.spider
        self.pool.close()
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


def _signature(data: bytes | None) -> Signature | None:
    return Signature.from_bytes(data) if data else None


def _reason(failure: Failure) -> str:
    """A failed task as the one line its failure row keeps."""
    if failure.check(TaskFailed):
        return str(failure.value)
    return f"{failure.type.__name__}: {failure.getErrorMessage()}"[:200]


def _deferred(future) -> Deferred:
    """A concurrent Future as a Deferred that fires on the reactor thread (at once when done:
    the in-process pool's futures are)."""
    deferred = Deferred()

    def fire(done) -> None:
        error = done.exception()
        if error is not None:
            deferred.errback(Failure(error))
        else:
            deferred.callback(done.result())

    if future.done():
        fire(future)
    else:
        from twisted.internet import reactor
        future.add_done_callback(lambda done: reactor.callFromThread(fire, done))
    return deferred
