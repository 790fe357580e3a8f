"""Item glue: a ReportItem from the spider → extract/ → analyze/dedup → store.

Spiders decide where to go, extraction decides what a page says, dedup which copy is
the official one, the store how it is kept; this module only connects them and counts
what happened in Scrapy's stats (archive/<site>/<key>, made the run record by run.py).
"""
from __future__ import annotations

from scrapy.exceptions import DropItem
from twisted.internet.defer import Deferred, DeferredList, succeed
from twisted.python.failure import Failure

from crawler.analyze.dedup import SIGNATURE_VERSION, NearDuplicates, Signature, more_official, same_report, signature_of
from crawler.analyze.report import ANALYSIS_VERSION
from crawler.crawl import tasks
from crawler.crawl.archive import archive_of, count, store_failed
from crawler.crawl.items import ReportItem
from crawler.crawl.workers import TaskFailed, make_pool
from crawler.extract import with_attachments
from crawler.store import sha256


def reads(item: ReportItem) -> bool:
    """Whether the item has a page or files for the pool to read (else the store alone decides:
    a 304, nothing fetched, or a report whose document never arrived)."""
    return not item.not_modified and bool(item.html or item.attachments) and not item.unfetched


class Reader:
    """The CPU half of a report: its page and files read by the pool (tasks.read_page,
    tasks.read_file), off the reactor thread. ReportPipeline uses it in one process, a cluster
    worker (crawl/cluster/worker.py) where it fetched the report; either way the results are
    what ReportKeeper.keep takes."""

    def __init__(self, settings, regions: dict[str, str | None]):
        processes = settings.get("WORKER_PROCESSES")
        self.pool = make_pool(None if processes in (None, "") else int(processes),
                              settings.getint("WORKER_MEMORY_MB", 1024))
        self.page_timeout = settings.getfloat("WORKER_PAGE_TIMEOUT", 30)
        self.file_timeout = settings.getfloat("WORKER_FILE_TIMEOUT", 60)
        self.hook = settings.get("WORKER_PAGE_HOOK") or None
        self.regions = regions

    def read(self, item: ReportItem) -> Deferred:
        """A Deferred of the item's results once every task has ended: [(ok, value)] for the
        page then each file, a failed task's value being its one-line reason (plain data, so
        they cross to a cluster's writer as they are)."""
        page = self.task(tasks.read_page, item.url, item.html, self.regions.get(item.site),
                         [part.html for part in item.continued if part.html], item.list_title,
                         self.hook, item.list_date, timeout=self.page_timeout)
        files = [self.task(tasks.read_file, att.data, att.kind, timeout=self.file_timeout)
                 if att.data is not None and not att.error else succeed(None) for att in item.attachments]
        done = DeferredList([page, *files], consumeErrors=True)
        done.addCallback(lambda results: [(ok, value if ok else _reason(value)) for ok, value in results])
        return done

    def task(self, function, *args, timeout: float) -> Deferred:
        """`function` run by the pool, as a Deferred fired on the reactor thread."""
        return _deferred(self.pool.submit(function, *args, timeout=timeout))

    def close(self) -> None:
        self.pool.close()


class ReportKeeper:
    """The store side of a report: the pool's results kept — dedup against the archive, then
    the row, a copy or a version — and what its analysis needs. The one path for both a crawl
    in one process (ReportPipeline) and the cluster's writer (crawl/cluster/writer.py), which
    takes the results its workers' Readers sent. `count(site, key, n)` says what happened."""

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

    def keep(self, item: ReportItem, results: list | None) -> str | None:
        """Store the item with its Reader results (None when `reads(item)` is false); returns
        the outcome (new, changed, unchanged, copy) or None when nothing was stored."""
        self.seen.setdefault(item.site, set()).add(item.url)
        self._count(item.site, "reports_seen")
        if item.not_modified:   # a stored report (or copy) whose page answered 304
            return "unchanged" if self.store.touch_report(item.url) else None
        if not item.html and not item.attachments and not item.incomplete:
            return None
        unfetched = item.unfetched
        if unfetched:   # a report without its document is a failure, not a row: next run asks again
            self._count(item.site, "reports_unfetched")
            self.store.page_error(item.url, f"report not stored: {unfetched}"[:300])
            return None
        with self.store.tx():   # its files, its row or copy, its signature: all or nothing
            return self._keep(results, item)

    def _keep(self, results: list, item: ReportItem) -> str | None:
        """The writes of `keep`; the store's outcome, None when the page failed."""
        (page_ok, page), *files = results
        texts, signatures = self._save_files(item, files)
        if not page_ok:
            self.store.page_error(item.url, page)
            self.store.report_error(item.url, page)
            self._count(item.site, "failures")
            return None
        report, signature, tokens = page
        signatures[item.url] = signature
        report = with_attachments(dict(report, site=item.site), texts)   # extraction's reasons kept
        return self._store(report, _signature(signatures.get(report.get("source_url"))), tokens)

    def _save_files(self, item: ReportItem, results: list) -> tuple[list[tuple[str, str]], dict]:
        """Keep every file with its text or its error; returns (address, text) of those read
        and their signatures by address."""
        texts, signatures = [], {}
        for att, (ok, value) in zip(item.attachments, results, strict=True):
            row = {"url": att.url, "report_url": item.url, "name": att.name, "type": att.kind,
                   "error": att.error}
            if att.data is not None and not att.error:
                row.update(size=len(att.data), sha256=sha256(att.data))
                text, error, signature, _ = value if ok else (None, value, None, None)
                row["text"], row["error"] = text, error
                if text:
                    texts.append((att.url, text))
                    signatures[att.url] = signature
            self.store.save_attachment(row)
        return texts, signatures

    def _store(self, report: dict, signature: Signature | None, tokens: dict[str, str]) -> str:
        """The report's row, or a copy of the report that holds it (which it may replace);
        returns the outcome: new, changed, unchanged or copy. `signature` is the body's and
        `tokens` the search index's tokens of the page's title and body (a cover page's body,
        its file's text, is tokenized by the store), computed by the worker that read it."""
        url, site = report["url"], report["site"]
        page_sha = (self.store.validators(url) or {}).get("sha256")
        original = self.store.copy_of(url)
        match = self.near.match(report["body"], signature, self._same_as(report)) if report.get("body") else None
        if original is None and match and match[0] != url:
            original = match[0]
        if original and original != url:
            similarity = match[1] if match else 1.0
            holder = self.store.report_row(original)
            if holder and more_official(report, holder):
                self.store.replace_report_url(original, report, page_sha, similarity, tokens)
                self.near.remove(original)
                self._index(url, report["body"], signature)
                self._count(site, "reports_changed")
            else:
                self.store.add_copy(url, original, site, report["title"], similarity)
                self._count(site, "copies")
                return "copy"
            return "changed"
        outcome = self.store.save_report(report, page_sha, tokens)
        if outcome != "unchanged" and report.get("body"):
            self._index(url, report["body"], signature)
        self._count(site, {"new": "reports_new", "changed": "reports_changed"}.get(outcome, "reports_unchanged"))
        return outcome

    def _same_as(self, report: dict):
        """`accept` for the near-duplicate match: a like text is this report's copy only when the
        row holding it is the same report (crawler/analyze/dedup.py same_report)."""
        def accept(url: str) -> bool:
            row = self.store.report_row(url)
            return row is None or same_report(report, row)
        return accept

    def analysis(self, item: ReportItem, outcome: str, results: list | None = None) -> tuple | None:
        """The arguments of tasks.analyze for what is inside the stored report (its sections,
        disclosure tables, parts and repeated text, from its page HTML and PDF bytes), or None
        when there is nothing to analyse: a copy, or unchanged text already analysed by this
        version. Read from the store now, so the task itself needs no store.

        `results` are the item's Reader results (as `keep` took them): a PDF whose reading
        found its ruled pages hands them on (tasks.read_file), and one that has none (no page
        can hold a table, so the analysis reads nothing from it) is left out, bytes and all."""
        if outcome == "copy" or (outcome == "unchanged"
                                 and self.store.analyzed_version(item.url) == ANALYSIS_VERSION):
            return None
        pages = [item.html if not item.not_modified else self.store.archived_text(item.url),
                 *(part.html for part in item.continued)]
        html = "\n".join(page for page in pages if page)
        learnt = _ruled_pages(item, results)
        pdfs, ruled = [], []
        for att in item.attachments:
            if att.kind != "pdf" or att.error or learnt.get(att.url) == []:
                continue
            data = att.data or self.store.raw(att.url)
            if data:
                pdfs.append(data)
                ruled.append(learnt.get(att.url) if att.data else None)
        return (self.store.report_row(item.url), html or None, pdfs,
                *self.store.neighbours(item.url).values(), ruled)

    def analyzed(self, url: str, rows: dict | None, reason: str | None = None) -> None:
        """Keep an analysis task's rows, or its one-line reason: analysis is extra, a report it
        cannot read stays archived."""
        if reason is None:
            self.store.save_analysis(rows)
        else:
            self.store.analysis_failed(url, ANALYSIS_VERSION, reason)

    def _index(self, url: str, body: str, signature: Signature | None = None) -> None:
        """Make `body` findable by near-duplicate search, now and in later runs."""
        signature = signature or signature_of(body)
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
    """One process: the Reader's pool reads each item, the ReportKeeper keeps it in the crawl's Store."""

    def __init__(self, crawler):
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def open_spider(self, spider=None):
        spider = self.crawler.spider
        self.keeper = ReportKeeper(archive_of(self.crawler),
                                   lambda site, key, n=1: count(self.crawler, site, key, n))
        self.reader = Reader(self.crawler.settings, {s.name: s.region for s in spider.sites})

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
        if not reads(item):
            return self._kept(None, item)
        done = self.reader.read(item)
        done.addCallback(self._kept, item)
        return done

    def _kept(self, results: list | None, item: ReportItem):
        """On the reactor thread, once every task of the item has ended: the store keeps it."""
        try:
            outcome = self.keeper.keep(item, results)
        except Exception as exc:
            if store_failed(self.crawler, exc):   # the archive cannot be written: the crawl stops
                raise DropItem(f"not stored: {exc}") from None
            raise
        return item if outcome is None else self._analyze(item, outcome, results)

    def _analyze(self, item: ReportItem, outcome: str, results: list | None):
        """The report's analysis, run by the pool; returns the item or a Deferred of it."""
        args = self.keeper.analysis(item, outcome, results)
        if args is None:
            return item
        done = self.reader.task(tasks.analyze, *args, timeout=self.reader.file_timeout)
        done.addCallbacks(lambda rows: self.keeper.analyzed(item.url, rows),
                          lambda failure: self.keeper.analyzed(item.url, None, _reason(failure)))
        done.addCallback(lambda _: item)
        return done

    def close_spider(self, spider=None):
        self.reader.close()
        self.keeper.close(self.crawler.spider.site_complete)


def _ruled_pages(item: ReportItem, results: list | None) -> dict[str, list[int]]:
    """The ruled pages (tasks.read_file's fourth value) of each of the item's files read
    from its own bytes, by address; a file whose task failed or did not find them is absent."""
    if not results:
        return {}
    out = {}
    for att, (ok, value) in zip(item.attachments, results[1:], strict=True):
        if ok and value is not None and att.data is not None and value[3] is not None:
            out[att.url] = value[3]
    return out


def _signed(body: str) -> str:
    """What a stored signature was computed from: the body, under this signature version."""
    return sha256(f"{SIGNATURE_VERSION}:{body}".encode())


def _signature(data: bytes | None) -> Signature | None:
    return Signature.from_bytes(data) if data else None


def _reason(failure: Failure) -> str:
    """A failed task as the one line its failure row keeps."""
    return reason_of(failure.value)


def reason_of(exc: BaseException) -> str:
    """A task's exception (a Failure's value, a Future's exception) as one line."""
    if isinstance(exc, TaskFailed):
        return str(exc)
    return f"{type(exc).__name__}: {exc}"[:200]


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
