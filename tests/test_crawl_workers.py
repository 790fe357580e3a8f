"""Real crawls through the worker pool: a page that hangs, crashes or bloats its worker fails
alone, recorded with its reason, while the crawl stores every other report; and a crawl through
the pool stores exactly what the in-process path stores (WORKER_PROCESSES=0)."""
from __future__ import annotations

import json
import os
import sqlite3

import pytest

from crawler.devtools.fixture_server import FixtureServer
from tests.conftest import FIXTURES, run_cli
from tests.holdout import Round

FAST = ["-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=False"]
HANWEB = FIXTURES / "portals" / "hanweb"
# hanweb's five reports (tests/test_crawl_e2e.py): four misbehave, one is read as usual
PLAN = {"art_1229106823_58900002": "hang", "art_1229106823_58900011": "kill",
        "art_1229106823_58900019": "segfault", "art_1229106830_59100000": "bloat"}
REASONS = {"hang": "timed out after 3 s", "kill": "worker killed by SIGKILL",
           "segfault": "worker killed by SIGSEGV", "bloat": "out of memory (limit 700 MB)"}


def rows(db, sql, *params):
    with sqlite3.connect(db) as conn:
        conn.row_factory = sqlite3.Row
        return [dict(r) for r in conn.execute(sql, params)]


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("hostile")
    server = FixtureServer(HANWEB, host="127.0.0.171").start()
    try:
        sites = tmp / "sites.yaml"
        sites.write_text(json.dumps({"sites": [{"name": "hanweb", "start_urls": [server.url(server.site["start"])]}]}),
                         encoding="utf-8")
        db = tmp / "archive.db"
        os.environ["WORKER_HOOK_PLAN"] = json.dumps(PLAN)  # read by the crawl's workers
        result = run_cli("crawl", "--sites", str(sites), "--db", str(db), *FAST,
                         "-s", "WORKER_PROCESSES=2", "-s", "WORKER_PAGE_TIMEOUT=3", "-s", "WORKER_MEMORY_MB=700",
                         "-s", "WORKER_PAGE_HOOK=tests.worker_hooks:misbehave")
    finally:
        os.environ.pop("WORKER_HOOK_PLAN", None)
        server.stop()
    return result, db


def test_each_misbehaving_page_fails_alone_with_its_reason(hostile):
    result, db = hostile
    assert result.returncode == 0, result.stderr.decode()
    errors = {r["url"].rsplit("/", 1)[1].removesuffix(".html"): r["error"]
              for r in rows(db, "SELECT url, error FROM pages WHERE error IS NOT NULL AND role = 'report'")}
    assert errors == {page: REASONS[action] for page, action in PLAN.items()}


def test_the_other_report_of_the_crawl_is_stored(hostile):
    _, db = hostile
    stored = [r["url"].rsplit("/", 1)[1] for r in rows(db, "SELECT url FROM reports")]
    assert stored == ["art_1229106830_59100003.html"]
    (run,) = rows(db, "SELECT status, failures FROM crawl_runs")
    assert run == {"status": "finished", "failures": len(PLAN)}


# -- the pool changes where the work runs, not what is stored ------------------------------
STORED = {
    "reports": "SELECT * FROM reports ORDER BY url",
    "copies": "SELECT url, report_url, site, title, similarity FROM copies ORDER BY url",
    "attachments": "SELECT url, report_url, name, type, size, sha256, text, error FROM attachments ORDER BY url",
    "signatures": "SELECT * FROM signatures ORDER BY url",
    "page errors": "SELECT url, error FROM pages WHERE error IS NOT NULL ORDER BY url",
}
STAMPS = {"first_seen", "last_seen", "fetched_at", "found_at", "gone_since"}


def stored(db) -> dict:
    return {name: [{k: v for k, v in row.items() if k not in STAMPS} for row in rows(db, sql)]
            for name, sql in STORED.items()}


@pytest.fixture(scope="module")
def both_paths(tmp_path_factory):
    """Hold-out round 1 (ten portals: attachments, GBK, 范文 copies) crawled in-process, then through the pool."""
    tmp = tmp_path_factory.mktemp("paths")
    out = {}
    with Round(FIXTURES / "holdout").serving(tmp) as (sites, _):
        for processes in (0, 2):
            db = tmp / f"p{processes}.db"
            result = run_cli("crawl", "--sites", str(sites), "--db", str(db), *FAST,
                             "-s", f"WORKER_PROCESSES={processes}")
            assert result.returncode == 0, result.stderr.decode()
            out[processes] = stored(db)
    return out


@pytest.mark.parametrize("table", list(STORED))
def test_a_crawl_through_the_pool_stores_what_the_in_process_path_stores(both_paths, table):
    inline, pooled = both_paths[0][table], both_paths[2][table]
    assert pooled == inline
    if table in ("reports", "attachments", "signatures"):
        assert inline, f"the round has {table}"
