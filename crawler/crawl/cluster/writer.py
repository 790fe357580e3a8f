"""The cluster's writer: the one process that holds the archive.

It seeds the shared queue with the spider's start requests, then, until the crawl runs
dry (IDLE), takes the workers' task results in the order they were committed and stores
them exactly as ArchiveMiddleware and ReportPipeline do in one process: record_fetch and
page_error, then ReportKeeper.keep on each item with the results of the extraction tasks
(crawl/tasks.py) its worker ran, and the report's analysis in this process's own pool. It
answers the questions only the archive can answer (a page's validators; a 304's archived
bytes and whether its report is stored), and gives the work of workers that stopped
beating (REQUEUE) to the others. No Scrapy engine runs here.
"""
from __future__ import annotations

import asyncio
import logging
import pickle
import time
import uuid

import redis
from scrapy_redis.queue import PriorityQueue

from crawler.crawl import tasks
from crawler.crawl.pipelines import Reader, ReportKeeper, reason_of
from crawler.store import StoreWriteError

from .protocol import COMMIT, IDLE, REQUEUE, SEP, Keys
from .worker import DEAD_AFTER, TASK, request_args

logger = logging.getLogger(__name__)
REAP_EVERY = 1.0
WRITER_TTL = 10.0


class ClusterBusy(Exception):
    """Another writer is running a shared crawl on this redis."""


class Writer:
    def __init__(self, url: str, store, sites, settings, run_id: int, overrides: dict,
                 keys: Keys | None = None):
        self.redis = redis.Redis.from_url(url)
        self.keys = keys or Keys()
        self.store, self.sites, self.settings, self.run_id = store, sites, settings, run_id
        self.overrides = overrides
        self.id = uuid.uuid4().hex
        self.counters: dict[str, dict[str, int]] = {s.name: {} for s in sites}
        self.bytes = 0
        self.tasks: dict[str, int] = {}   # tasks stored per worker
        self.keeper = None
        self.reader = None       # its pool runs the analyses, which read the archive's neighbours
        self.analyses: list = []   # (report address, Future) of analyses not yet kept
        self._commit = self.redis.register_script(COMMIT)
        self._requeue = self.redis.register_script(REQUEUE)
        self._idle = self.redis.register_script(IDLE)

    def count(self, site: str | None, key: str, n: int = 1) -> None:
        if site:
            counts = self.counters.setdefault(site, {})
            counts[key] = counts.get(key, 0) + n

    # -- start --------------------------------------------------------------------------------
    def open(self, spidercls) -> int:
        """Take the redis namespace, seed the queue, publish the crawl; returns the seeds queued."""
        writer_key = self.keys.writer
        if not self.redis.set(writer_key, self.id, nx=True, px=int(WRITER_TTL * 1000)):
            raise ClusterBusy(f"another shared crawl is running on this redis "
                              f"(writer {self.redis.get(writer_key).decode()}); exiting")
        self._clear(keep={writer_key})
        self.keeper = ReportKeeper(self.store, self.count)
        self.reader = Reader(self.settings, {s.name: s.region for s in self.sites})
        spider = self._spider(spidercls)
        queued = self._seed(spider)
        self.redis.hset(self.keys.crawl, mapping={
            "id": self.id, "run_id": self.run_id,
            "sites": pickle.dumps(self.sites), "settings": pickle.dumps(self.overrides)})
        return queued

    def _clear(self, keep=()) -> None:
        """A writer starts from an empty namespace: a killed crawl's keys are not this one's."""
        for key in self.redis.scan_iter(match=f"{self.keys.prefix}:*", count=1000):
            if key.decode() not in keep:
                self.redis.delete(key)

    def _spider(self, spidercls):
        """The spider, built as Scrapy builds it but without an engine: only its start requests are used."""
        from scrapy.crawler import Crawler
        from scrapy.statscollectors import MemoryStatsCollector
        crawler = Crawler(spidercls, self.settings)
        crawler.stats = MemoryStatsCollector(crawler)
        self._seed_stats = crawler.stats
        return spidercls.from_crawler(crawler, sites=self.sites)

    def _seed(self, spider) -> int:
        async def collect():
            return [r async for r in spider.start()]
        requests = asyncio.run(collect())
        encoder = PriorityQueue(self.redis, spider, self.keys.queue)
        args = ["seed", "", len(requests)]
        for request in requests:
            request.meta[TASK] = uuid.uuid4().hex
            args += request_args(request, encoder._encode_request)
        states = spider.state.values()
        failed = [s.site.name for s in states if s.list_failed]
        listed = [f"{s.site.name}{SEP}{key[1]}" for s in states for key in s.list_keys]
        args += [0, len(failed), *failed, len(listed), *listed]
        for state in states:   # what the start requests took from the budgets
            for budget, n in state.spent.items():
                self.redis.hincrby(self.keys.spent, f"{state.site.name}{SEP}{budget}", n)
        inflight = self.keys.inflight("writer")
        self.redis.hset(inflight, "seed", 0)
        k = self.keys
        queued = self._commit(keys=[inflight, k.queue, k.results, k.once, k.fingerprints,
                                    k.listed, k.failed], args=args)
        from crawler.crawl.archive import per_site
        for site, counts in per_site(self._seed_stats.get_stats()).items():
            for key, n in counts.items():
                self.count(site, key, n)
        return queued

    # -- the crawl -----------------------------------------------------------------------------
    def run(self, progress=None) -> str:
        """Serve until the crawl runs dry; returns 'finished' (or raises KeyboardInterrupt)."""
        k = self.keys
        last_reap = 0.0
        while True:
            self._analysed()
            popped = self.redis.blpop([k.rpc, k.results], timeout=0.2)
            if popped:
                key, data = popped
                if key.decode() == k.rpc:
                    self._answer(pickle.loads(data))
                else:
                    self._apply(pickle.loads(data))
                    if progress:
                        progress(self.counters)
            now = time.monotonic()
            if now - last_reap >= REAP_EVERY or not popped:
                self.redis.set(k.writer, self.id, px=int(WRITER_TTL * 1000))
                if now - last_reap >= REAP_EVERY:
                    self._reap()
                    last_reap = now
                if not popped and not self.analyses and self._idle(
                        keys=[k.queue, k.results, k.workers], args=[k.inflight_prefix]):
                    return "finished"

    def _apply(self, result: dict) -> None:
        """One task's results, stored as one process stores them."""
        self.tasks[result["worker"]] = self.tasks.get(result["worker"], 0) + 1
        for name, args, kwargs in result["writes"]:   # what ArchiveMiddleware wrote, in its order
            if name == "record_fetch":
                kwargs = {**kwargs, "run_id": self.run_id}
            if name in ("record_fetch", "page_error"):
                getattr(self.store, name)(*args, **kwargs)
        for site, key, n in result["counts"]:
            self.count(site, key, n)
        self.bytes += result.get("bytes", 0)
        for item, results, url in result["items"]:
            try:
                outcome = self.keeper.keep(item, results)
                if outcome is not None:
                    self._analyze(item, outcome, results)
            except Exception as exc:   # as the pipeline's item_error: recorded, never fatal
                if isinstance(exc, StoreWriteError):
                    raise   # the archive cannot be written: the crawl stops, as in one process
                logger.exception("storing %s failed", item.url)
                self.count(item.site, "failures")
                if url:
                    self.store.page_error(url, f"processing failed: {type(exc).__name__}: {exc}"
                                          .splitlines()[0][:300])

    def _analyze(self, item, outcome: str, results: list | None) -> None:
        """The stored report's analysis (ReportKeeper.analysis), in this process's pool: it
        reads the archive (the report's neighbours, archived PDFs), which only the writer has;
        the ruled pages its worker's read_file found come with the results."""
        args = self.keeper.analysis(item, outcome, results)
        if args is not None:
            future = self.reader.pool.submit(tasks.analyze, *args, timeout=self.reader.file_timeout)
            self.analyses.append((item.url, future))

    def _analysed(self, wait: bool = False) -> None:
        """Keep the analyses that are done (all of them when `wait`), on this thread: the
        store's connection is this thread's."""
        pending = []
        for url, future in self.analyses:
            if not (wait or future.done()):
                pending.append((url, future))
                continue
            error = future.exception()
            if error is None:
                self.keeper.analyzed(url, future.result())
            else:
                self.keeper.analyzed(url, None, reason_of(error))
        self.analyses = pending

    def _answer(self, question: dict) -> None:
        url, op = question["url"], question["op"]
        if op == "validators":
            answer = self.store.validators(url)
        elif op == "archived":
            known = self.store.known_report(url)
            page = None if known else self.store.page(url)
            answer = {"known": known, "content_type": (page or {}).get("content_type"),
                      "body": None if known else self.store.raw(url)}
        else:
            answer = None
        reply = self.keys.reply(question["id"])
        self.redis.pipeline().rpush(reply, pickle.dumps(answer)).expire(reply, 120).execute()

    def _reap(self) -> None:
        """Workers without a heartbeat for DEAD_AFTER seconds: their requests go back to the queue."""
        k = self.keys
        for raw in self.redis.smembers(k.workers):
            worker = raw.decode()
            back = self._requeue(keys=[k.inflight(worker), k.queue, k.workers, k.alive(worker)], args=[worker])
            if back >= 0:
                logger.warning("worker %s stopped (no heartbeat for %ss): %d request(s) back in the queue",
                               worker, DEAD_AFTER, back)

    # -- the end -------------------------------------------------------------------------------
    def close(self, complete: bool) -> None:
        """Mark what is gone (only for sites read whole), end the crawl."""
        k = self.keys
        failed = {m.decode() for m in self.redis.smembers(k.failed)}
        # The crawl's end first, on its own: a worker that saw the writer's beat gone while the
        # crawl was still on (the keys below go in any order, and the rest of this takes time)
        # would take a finished crawl for a dead writer.
        self.redis.delete(k.crawl)
        if self.reader is not None:
            if not self.store.failure:
                self._analysed(wait=True)
            self.reader.close()
        if self.keeper is not None:
            self.keeper.close(lambda site: complete and site not in failed)
        for worker, n in sorted(self.tasks.items()):
            logger.info("worker %s: %d task(s) stored", worker, n)
        self._clear()
