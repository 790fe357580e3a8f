"""The archive a crawl writes, opened once per crawl from the ARCHIVE_DB setting.

The middleware (every fetch) and the pipeline (every report) share this one Store, so
the spider, which only decides where to go, holds no database. ARCHIVE_RUN_ID names
the crawl_runs row the fetches belong to (set by crawler/run.py; absent for a bare
`scrapy crawl reports`).
"""
from __future__ import annotations

from scrapy import signals

from crawler.store import Store

DEFAULT_DB = "archive.db"


def archive_of(crawler) -> Store:
    """The crawl's Store, opened on first use and closed when the engine stops."""
    store = getattr(crawler, "_archive_store", None)
    if store is None:
        path = crawler.settings.get("ARCHIVE_DB") or getattr(crawler.spider, "db", None) or DEFAULT_DB
        store = Store(path)
        crawler._archive_store = store
        crawler.signals.connect(store.close, signal=signals.engine_stopped, weak=False)
    return store


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
