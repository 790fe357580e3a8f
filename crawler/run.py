"""One crawl run: the lock, the Scrapy process, the run record and its summary."""
from __future__ import annotations

import contextlib
import fcntl
import os
import sys
from pathlib import Path

from crawler.store.publish import publish_after_crawl

COUNT_KEYS = ("pages", "reports_new", "reports_changed", "reports_gone", "failures",
              "blocked", "robots_refused")
FAILED = "failed"   # the status of a run its archive could not keep (disk full, read-only, I/O error)


class Locked(Exception):
    """Another crawl holds the database."""


@contextlib.contextmanager
def lock(db: str):
    """An exclusive lock beside the database, so an overlapping cron run exits at once."""
    path = Path(f"{db}.lock")
    try:
        handle = open(path, "a+")
    except OSError as exc:  # an unwritable place, not a lock held: exit 1, not 3
        raise OSError(exc.errno, f"cannot create the lock file ({exc.strerror})", str(path)) from None
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        handle.seek(0)
        holder = handle.read().strip() or "?"
        handle.close()
        raise Locked(f"another crawl (pid {holder}) is running on {db}; exiting") from None
    handle.seek(0)
    handle.truncate()
    handle.write(str(os.getpid()))
    handle.flush()
    try:
        yield
    finally:
        handle.truncate(0)
        fcntl.flock(handle, fcntl.LOCK_UN)
        handle.close()


def settings_for(overrides: dict, log_file: str | None):
    """The crawl's Scrapy settings: the project's, then where the log goes, then `-s` overrides.

    Scrapy's log (with its tracebacks for every unreachable host) goes to `log_file` when one is
    given and nowhere otherwise: never the terminal, which gets the CLI's own lines only."""
    from scrapy.settings import Settings
    settings = Settings()
    settings.setmodule("crawler.crawl.settings", priority="project")
    if log_file:
        settings.set("LOG_FILE", log_file, priority="cmdline")
        settings.set("LOG_FILE_APPEND", True, priority="cmdline")
    else:
        settings.set("LOG_ENABLED", False, priority="cmdline")  # Scrapy's root handler: a NullHandler
    for name, value in overrides.items():
        settings.set(name, value, priority="cmdline")
    drop_records_below(settings)
    return settings


def drop_records_below(settings) -> None:
    """Make logging calls under the log's level cost nothing, in every library.

    Scrapy sets the root logger to NOTSET and its own logger to DEBUG (configure_logging,
    called by CrawlerProcess) and filters only in the handler, so every `logger.debug` of
    Scrapy, Twisted or pdfminer (several per PDF token) would build a record to throw away.
    `logging.disable` is checked before a record is made, and Scrapy's dictConfig leaves it
    alone.  Without a log file nothing is kept, so every record is dropped."""
    import logging
    if not settings.get("LOG_FILE"):
        logging.disable(logging.CRITICAL)
        return
    level = logging.getLevelName(str(settings.get("LOG_LEVEL", "INFO")).upper())
    logging.disable(level - 1 if isinstance(level, int) and level > logging.NOTSET else logging.NOTSET)


def load_sites(path, only: list[str] | None = None, regions: list[str] | None = None):
    """The sites file, its `cms` names checked against the spiders' adapter registry."""
    from crawler.crawl.sites import load_sites as load
    from spiders.registry import FAMILIES
    return load(path, only, regions, families=FAMILIES)


def crawl(sites, db, overrides=None, log_file=None, progress=False) -> dict:
    """Crawl `sites` into the archive at `db` (the caller holds its lock); returns the run's
    status, counts and — for a failed run — `error`, its one-line reason. The crawl opens the
    archive itself from ARCHIVE_DB; this function's own Store only writes the run record, from
    Scrapy's stats when the crawl ends. A run whose archive refused a write is 'failed'; if even
    that cannot be written, the run stays 'running' and the next start_run marks it 'killed'."""
    from scrapy.crawler import CrawlerProcess

    from crawler.analyze.coverage import government_rows
    from crawler.crawl.archive import FAILURE_STAT, STORE_FAILED, per_site
    from crawler.store import Store, StoreWriteError, write_failure
    from spiders.reports import ReportsSpider

    counters: dict[str, dict[str, int]] = {s.name: {} for s in sites}
    try:
        store = Store(db)
    except Exception as exc:
        if not write_failure(exc):
            raise
        return _failed_result(counters, f"{db}: cannot open the archive ({str(exc).splitlines()[0]})")
    try:
        try:
            store.save_governments(government_rows(sites))
            run_id = store.start_run([s.name for s in sites], os.getpid())
        except StoreWriteError as exc:
            return _failed_result(counters, str(exc))
        settings = {**(overrides or {}), "ARCHIVE_DB": str(db), "ARCHIVE_RUN_ID": run_id}
        process = CrawlerProcess(settings_for(settings, log_file))
        crawler = process.create_crawler(ReportsSpider)
        if progress:
            _show_progress(crawler)
        process.crawl(crawler, sites=sites)
        process.start()
        stats = crawler.stats.get_stats()
        reason = stats.get("finish_reason", "unknown")
        error = stats.get(FAILURE_STAT)
        if error or reason == STORE_FAILED:
            status = FAILED
        else:
            status = "finished" if reason == "finished" else reason
        for site, counts in per_site(stats).items():
            counters.setdefault(site, {}).update(counts)
        return finish_run(store, run_id, status, error, counters, stats.get("downloader/response_bytes", 0))
    finally:
        store.close()


def finish_run(store, run_id, status: str, error: str | None, counters: dict, bytes_received: int) -> dict:
    """The run's record, from its per-site counters, and the publish after a finished run —
    the same for one process and a shared crawl. A record that cannot be written fails the run."""
    from crawler.store import StoreWriteError
    totals = {key: sum(c.get(key, 0) for c in counters.values()) for key in COUNT_KEYS}
    totals["pages_fetched"] = totals.pop("pages")
    totals["bytes_received"] = bytes_received
    try:
        store.finish_run(run_id, status, totals, counters, error=error)
    except StoreWriteError as exc:
        status, error = FAILED, error or str(exc)
    if status == "finished":
        publish_after_crawl(store)
    return {"run_id": run_id, "status": status, "error": error, "sites": counters, **totals}


def _failed_result(counters: dict, error: str) -> dict:
    """A run that could not even be recorded: nothing crawled, and why."""
    totals = {key: 0 for key in COUNT_KEYS if key != "pages"}
    return {"run_id": None, "status": FAILED, "error": error, "sites": counters,
            "pages_fetched": 0, "bytes_received": 0, **totals}


def check_portals(sites, db, overrides=None, log_file=None) -> list[dict]:
    """Fetch each site's home page once (spiders/portals.py) into the archive at `db` (the caller
    holds its lock); returns the `portals` rows of these sites."""
    from scrapy.crawler import CrawlerProcess

    from crawler.store import Store
    from spiders.portals import PortalsSpider

    Store(db).close()   # create or migrate the archive before the crawl opens it
    process = CrawlerProcess(settings_for({**(overrides or {}), "ARCHIVE_DB": str(db)}, log_file))
    crawler = process.create_crawler(PortalsSpider)
    process.crawl(crawler, sites=sites)
    process.start()
    store = Store(db, readonly=True)
    try:
        names = {s.name for s in sites}
        return [row for row in store.portals() if row["site"] in names]
    finally:
        store.close()


def portals_summary(rows: list[dict]) -> str:
    """One line: how many home pages answered, hid behind a wall, failed; how many name their government."""
    outcomes = {key: sum(r["outcome"] == key for r in rows) for key in ("answers", "wall", "http_error", "unreachable")}
    answered = [r for r in rows if r["outcome"] == "answers"]
    return (f"portals: {len(rows)} checked, {outcomes['answers']} answer "
            f"({sum(bool(r['used_alt']) for r in answered)} at their alternative address), "
            f"{outcomes['wall']} behind anti-bot walls, {outcomes['http_error']} HTTP errors, "
            f"{outcomes['unreachable']} unreachable; "
            f"{sum(r['names_government'] == 1 for r in answered)} name their government, "
            f"{sum(r['site_code_matches'] == 1 for r in answered)} show a 网站标识码 of their region, "
            f"{sum(r['site_code_matches'] == 0 for r in answered)} one of another")


def _show_progress(crawler) -> None:
    """One updating line on a terminal; nothing under cron."""
    from scrapy import signals

    from crawler.crawl.archive import per_site
    loops = []

    def tick():
        counters = per_site(crawler.stats.get_stats()).values()
        pages = sum(c.get("pages", 0) for c in counters)
        new = sum(c.get("reports_new", 0) for c in counters)
        failed = sum(c.get("failures", 0) for c in counters)
        sys.stderr.write(f"\r  pages {pages}  new reports {new}  failures {failed} ")
        sys.stderr.flush()

    def start(spider):
        from twisted.internet import task  # only once Scrapy has installed its reactor
        loops.append(task.LoopingCall(tick))
        loops[0].start(0.5)

    def stop(spider):
        for loop in loops:
            if loop.running:
                loop.stop()
        tick()
        sys.stderr.write("\n")

    crawler.signals.connect(start, signal=signals.spider_opened, weak=False)
    crawler.signals.connect(stop, signal=signals.spider_closed, weak=False)


def summary(result: dict) -> str:
    """The closing lines of a crawl: totals, then one line per site."""
    lines = [f"crawl {result['status']}: {len(result['sites'])} site(s), "
             f"{result['pages_fetched']} pages, {result['reports_new']} new reports, "
             f"{result['reports_changed']} updated, {result['reports_gone']} gone, "
             f"{result['failures']} failures, {result['blocked']} blocked, "
             f"{result['robots_refused']} refused by robots.txt"]
    for site, counts in result["sites"].items():
        lines.append(f"  {site}: {counts.get('pages', 0)} pages, "
                     f"{counts.get('reports_new', 0)} new, {counts.get('reports_changed', 0)} updated, "
                     f"{counts.get('failures', 0)} failures")
    if replayed := sum(c.get("resumed", 0) for c in result["sites"].values()):
        lines.append(f"resumed an interrupted run: {replayed} of its answers replayed from the archive, not fetched")
    return "\n".join(lines)


# -- a crawl shared by workers through redis (crawler/crawl/cluster/) ----------------------------
class ClusterError(Exception):
    """redis cannot be reached, or another shared crawl holds it: one line for the CLI."""


def _redis_check(url: str):
    import redis
    try:
        client = redis.Redis.from_url(url)
        client.ping()
        return client
    except ValueError as exc:
        raise ClusterError(f"--redis {url}: {exc}") from None
    except redis.RedisError as exc:
        raise ClusterError(f"--redis {url}: cannot reach redis ({str(exc).splitlines()[0]})") from None


def crawl_cluster(sites, db, redis_url: str, overrides=None, log_file=None, progress=False) -> dict:
    """The writer of a shared crawl: seed the queue at `redis_url` with `sites`, store what the
    workers send into `db` (the caller holds its lock) until the crawl runs dry; returns the
    run's status and counts, as crawl() does."""
    from scrapy.utils.log import configure_logging

    from crawler.analyze.coverage import government_rows
    from crawler.crawl.cluster.writer import ClusterBusy, Writer
    from crawler.store import Store, StoreWriteError
    from spiders.reports import ReportsSpider

    _redis_check(redis_url)
    overrides = dict(overrides or {})
    store = Store(db)
    try:
        store.save_governments(government_rows(sites))
        run_id = store.start_run([s.name for s in sites], os.getpid())
        settings = settings_for({**overrides, "ARCHIVE_DB": str(db), "ARCHIVE_RUN_ID": run_id}, log_file)
        configure_logging(settings)   # no Scrapy engine here: the writer's log as a crawl's
        writer = Writer(redis_url, store, sites, settings, run_id, overrides)
        try:
            writer.open(ReportsSpider)
        except ClusterBusy as exc:
            store.finish_run(run_id, "refused", {}, {})
            raise ClusterError(str(exc)) from None
        if progress:
            sys.stderr.write(f"  waiting for workers: python -m crawler worker --redis {redis_url}\n")
        status, error = "shutdown", None
        try:
            status = writer.run(_progress_line if progress else None)
        except KeyboardInterrupt:
            pass
        except StoreWriteError as exc:   # as in one process: a full disk stops the crawl, with why
            status, error = FAILED, str(exc)
        finally:
            if progress:
                sys.stderr.write("\n")
            writer.close(complete=status == "finished")
        return finish_run(store, run_id, status, error, writer.counters, writer.bytes)
    finally:
        store.close()


def _progress_line(counters: dict) -> None:
    pages = sum(c.get("pages", 0) for c in counters.values())
    new = sum(c.get("reports_new", 0) for c in counters.values())
    failed = sum(c.get("failures", 0) for c in counters.values())
    sys.stderr.write(f"\r  pages {pages}  new reports {new}  failures {failed} ")
    sys.stderr.flush()


def work(redis_url: str, overrides=None, log_file=None, wait: float | None = None,
         announce=None) -> str:
    """One worker of a shared crawl: wait for a writer on `redis_url` (at most `wait` seconds;
    None: as long as it takes), fetch and extract until the crawl is over. Returns why the
    worker stopped: 'finished' when the crawl ran dry."""
    import functools
    import pickle
    import time

    from scrapy.crawler import CrawlerProcess

    from crawler.crawl.cluster.protocol import Keys
    from crawler.crawl.cluster.worker import SharedSiteState, Worker, attach, worker_settings, worker_spider
    from spiders.reports import ReportsSpider

    client, keys = _redis_check(redis_url), Keys()
    deadline = None if wait is None else time.monotonic() + wait
    while not (crawl := client.hgetall(keys.crawl)).get(b"id"):
        if deadline is not None and time.monotonic() > deadline:
            raise ClusterError(f"no shared crawl on {redis_url} within {wait:g}s")
        time.sleep(0.5)
    sites = pickle.loads(crawl[b"sites"])
    settings = settings_for({**pickle.loads(crawl[b"settings"]), **(overrides or {})}, log_file)
    worker_settings(settings)
    worker = Worker(redis_url, keys, crawl[b"id"].decode())
    if announce:
        announce(f"worker {worker.id} joined crawl {worker.crawl_id[:8]} ({len(sites)} site(s))")
    process = CrawlerProcess(settings)
    crawler = process.create_crawler(worker_spider(ReportsSpider))
    attach(crawler, worker)
    process.crawl(crawler, sites=sites, state=functools.partial(SharedSiteState, worker=worker))
    process.start()
    return crawler.stats.get_value("finish_reason", "unknown")
