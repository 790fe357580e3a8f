"""Issue 16, item 5: polite under pressure — a 429's Retry-After is honoured up to a bound, the
host held back meanwhile; a longer wait leaves the page for the next run, recorded as
rate-limited (not broken); every request says who crawls, in ASCII, with the contact the
user set (ARCHIVE_CONTACT).

The TRS fixture portal on loopback; the server's request log (with arrival times) is what
the crawler did.
"""
from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import threading
import time

import pytest

from crawler import PROJECT_URL
from crawler.devtools.fixture_server import serve_portal
from tests.conftest import FIXTURES, ROOT
from tests.test_archive_over_time import sites_file

PORTAL = FIXTURES / "portals" / "trs"
REPORT = "/zwgk_279/fdzdgknr/fzzfjsndbg/202003/t20200326_6153201.html"
ONE_AT_A_TIME = ["-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=False",
                 "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=1"]


@pytest.fixture
def portal():
    with serve_portal(PORTAL, host="127.0.0.185") as (server, _):
        yield server


def crawl(tmp_path, server, db, contact=None, settings=ONE_AT_A_TIME):
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    env.pop("ARCHIVE_CONTACT", None)
    if contact is not None:
        env["ARCHIVE_CONTACT"] = contact
    return subprocess.run([sys.executable, "-m", "crawler", "crawl", "--sites", str(sites_file(tmp_path, server)),
                           "--db", str(db), "-q", *settings], cwd=ROOT, env=env, capture_output=True,
                          timeout=300)


def rate_limit(server, path, retry_after: str, times: int):
    """`path` answers 429 with Retry-After for its first `times` requests, then as before."""
    (route,) = server.routes[next(k for k in server.routes if k[0] == path)]
    route.status, route.headers = 429, {"Retry-After": retry_after}
    hits = []

    def count(entry):
        if entry["path"] == path:
            hits.append(entry)
            if len(hits) >= times:
                with server.lock:
                    route.status, route.headers = 200, {}
    server.on_request = count
    return hits


def page(db, url):
    with sqlite3.connect(db) as conn:
        conn.row_factory = sqlite3.Row
        return dict(conn.execute("SELECT * FROM pages WHERE url = ?", [url]).fetchone())


def test_retry_after_one_second_is_waited_for_and_the_host_waits_too(tmp_path, portal):
    hits = rate_limit(portal, REPORT, "1", times=1)
    db = tmp_path / "a.db"
    result = crawl(tmp_path, portal, db)
    assert result.returncode == 0, result.stderr.decode()
    asked = [e for e in portal.requested() if e["path"] == REPORT]
    assert [e["status"] for e in asked] == [429, 200]
    assert asked[1]["at"] - asked[0]["at"] >= 1.0
    # the host was held from the moment the 429 arrived (one request at a time: none was in
    # flight beside it), so nothing reached the server until the second was over
    late = [e for e in portal.requested() if asked[0]["at"] < e["at"] < asked[0]["at"] + 1.0]
    assert late == [], late
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT count(*) FROM reports WHERE url = ?", [portal.url(REPORT)]).fetchone()[0] == 1
    assert page(db, portal.url(REPORT))["error"] is None
    assert len(hits) == 2


def in_flight(server, answer_after: float) -> list[int]:
    """Make the server answer each request `answer_after` seconds late and record how many
    requests it was serving at once at each arrival (the crawler's view of a slow host)."""
    lock, active, seen = threading.Lock(), [0], []

    def slow(entry):
        with lock:
            active[0] += 1
            seen.append(active[0])
        time.sleep(answer_after)
        with lock:
            active[0] -= 1
    server.on_request = slow
    return seen


@pytest.mark.parametrize("per_host", [1, 2])
def test_the_per_host_limit_holds_without_a_download_delay(tmp_path, portal, per_host):
    """CONCURRENT_REQUESTS_PER_DOMAIN is the most requests a host ever serves for us at once,
    also with DOWNLOAD_DELAY=0 (Scrapy's own downloader then let every queued request go)."""
    seen = in_flight(portal, answer_after=0.05)
    settings = ["-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=False",
                "-s", f"CONCURRENT_REQUESTS_PER_DOMAIN={per_host}"]
    result = crawl(tmp_path, portal, tmp_path / "a.db", settings=settings)
    assert result.returncode == 0, result.stderr.decode()
    assert len(seen) > 5 and max(seen) == per_host, seen


def test_retry_after_an_hour_leaves_the_page_for_the_next_run(tmp_path, portal):
    rate_limit(portal, REPORT, "3600", times=1)
    db = tmp_path / "a.db"
    started = time.time()
    result = crawl(tmp_path, portal, db)
    assert result.returncode == 0, result.stderr.decode()
    assert time.time() - started < 60          # the hour was not spent
    asked = [e for e in portal.requested() if e["path"] == REPORT]
    assert [e["status"] for e in asked] == [429]   # and not asked again within the run
    row = page(db, portal.url(REPORT))
    assert row["error"] == "rate-limited: Retry-After 3600"
    with sqlite3.connect(db) as conn:
        conn.row_factory = sqlite3.Row
        assert conn.execute("SELECT count(*) FROM reports WHERE url = ?", [portal.url(REPORT)]).fetchone()[0] == 0
        (run,) = conn.execute("SELECT failures, per_site FROM crawl_runs").fetchall()
    assert run["failures"] == 0 and '"rate_limited": 1' in run["per_site"]
    status = subprocess.run([sys.executable, "-m", "crawler", "status", "--db", str(db)], cwd=ROOT,
                            env=dict(os.environ, PYTHONPATH=str(ROOT)), capture_output=True, text=True)
    assert status.returncode == 0, status.stdout    # rate-limited is not broken
    assert "rate-limited 1" in status.stdout
    again = crawl(tmp_path, portal, db)             # the next run asks again and gets it
    assert again.returncode == 0, again.stderr.decode()
    assert page(db, portal.url(REPORT))["error"] is None
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT count(*) FROM reports WHERE url = ?", [portal.url(REPORT)]).fetchone()[0] == 1


def test_the_user_agent_is_ascii_and_names_the_contact(tmp_path, portal):
    crawl(tmp_path, portal, tmp_path / "a.db", contact="archive-ops@example.org")
    agents = {e["headers"].get("User-Agent") for e in portal.requested()}
    (agent,) = agents
    assert agent.isascii() and "archive-ops@example.org" in agent and PROJECT_URL in agent
    before = len(portal.requested())
    crawl(tmp_path, portal, tmp_path / "b.db")
    (default,) = {e["headers"].get("User-Agent") for e in portal.requested()[before:]}
    assert default.isascii() and PROJECT_URL in default


def test_a_non_ascii_contact_is_refused_with_one_line(tmp_path, portal):
    result = crawl(tmp_path, portal, tmp_path / "a.db", contact="张三@例子.中国")
    assert result.returncode == 2
    message = result.stderr.decode().strip()
    assert "ARCHIVE_CONTACT" in message and "\n" not in message
    assert portal.requested() == []
