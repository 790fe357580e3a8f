"""The archive a crawl writes, opened once per crawl from the ARCHIVE_DB setting.

The middleware (every fetch) and the pipeline (every report) share this one Store, so
the spider, which only decides where to go, holds no database. ARCHIVE_RUN_ID names
the crawl_runs row the fetches belong to (set by crawler/run.py; absent for a bare
`scrapy crawl reports`).
"""
from __future__ import annotations

import logging

from scrapy import signals

from crawler.store import Store, StoreWriteError, write_failure

logger = logging.getLogger(__name__)

DEFAULT_DB = "archive.db"
STORE_FAILED = "store_failed"        # the finish reason of a crawl whose archive could not be written
FAILURE_STAT = "archive_failure"     # its one-line reason, in Scrapy's stats (run.py reads it)


def archive_of(crawler) -> Store:
    """The crawl's Store, opened on first use and closed when the engine stops.

    Its writes are committed in groups of ARCHIVE_COMMIT_SECONDS (Store.group_commits: a
    killed crawl keeps what it had stored up to then, and resumes from there): at the first
    write past that age, by a timer while the crawl waits on the network, and when the spider
    closes — a commit that fails there fails the run as any other write does."""
    store = getattr(crawler, "_archive_store", None)
    if store is None:
        path = crawler.settings.get("ARCHIVE_DB") or getattr(crawler.spider, "db", None) or DEFAULT_DB
        store = Store(path)
        crawler._archive_store = store
        seconds = crawler.settings.getfloat("ARCHIVE_COMMIT_SECONDS", 0)
        if seconds > 0:
            store.group_commits(seconds)
            _commit_every(crawler, store, seconds)
        crawler.signals.connect(store.close, signal=signals.engine_stopped, weak=False)
    return store


def _commit_every(crawler, store: Store, seconds: float) -> None:
    """Commit the open group every `seconds` until the spider closes, and once more then."""
    from twisted.internet.task import LoopingCall

    def commit() -> None:
        try:
            store.commit()
        except Exception as exc:
            if not store_failed(crawler, exc):
                raise

    timer = LoopingCall(commit)
    timer.start(seconds, now=False).addErrback(
        lambda failure: logger.error("the archive's commit timer stopped: %s", failure.getErrorMessage()))

    def closed(spider=None) -> None:
        if timer.running:
            timer.stop()
        commit()

    crawler.signals.connect(closed, signal=signals.spider_closed, weak=False)


def store_failed(crawler, exc: BaseException) -> bool:
    """If `exc` is the archive failing to write, stop the crawl (once) and say why; True then.

    Scrapy swallows what middlewares, pipelines and signal handlers raise, one page or item
    at a time: left alone, a full disk would make a "finished" crawl that archived nothing.
    The first reason is kept in the stats and the crawl closes with STORE_FAILED."""
    if not isinstance(exc, StoreWriteError) and not write_failure(exc):
        return False
    if crawler.stats.get_value(FAILURE_STAT) is None:
        reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        crawler.stats.set_value(FAILURE_STAT, reason[:500])
        engine = crawler.engine
        if engine is not None and engine.spider is not None:
            from scrapy.utils.defer import deferred_from_coro
            deferred_from_coro(engine.close_spider_async(reason=STORE_FAILED))
    return True


def run_id_of(crawler) -> int | None:
    return crawler.settings.getint("ARCHIVE_RUN_ID") or None


def count(crawler, site: str | None, key: str, n: int = 1) -> None:
    """Per-site counts in Scrapy's stats (archive/<site>/<key>): run.py turns them into the run record."""
    if site:
        crawler.stats.inc_value(f"archive/{site}/{key}", n)
        sink = getattr(crawler, "count_sink", None)   # a cluster worker sends them to the writer
        if sink is not None:
            sink(site, key, n)


def per_site(stats: dict) -> dict[str, dict[str, int]]:
    """The archive/<site>/<key> stats as {site: {key: n}}."""
    out: dict[str, dict[str, int]] = {}
    for name, value in stats.items():
        if name.startswith("archive/"):
            _, site, key = name.split("/", 2)
            out.setdefault(site, {})[key] = value
    return out
