"""Issue 4: an archive that keeps everything — versions, gone reports, cheap re-crawls,
safe resume after SIGKILL, run history, health flags and the cron lock.

Every test crawls a fixture portal served on loopback through the real CLI in a
subprocess, into a real SQLite file.
"""
from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from urllib.parse import urlsplit

import pytest

from crawler import run
from crawler.devtools.fixture_server import serve_portal
from tests.conftest import FIXTURES, ROOT, run_cli

PORTAL = FIXTURES / "portals" / "trs"
FAST = ["-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=False"]


@pytest.fixture
def portal():
    with serve_portal(PORTAL, host="127.0.0.21") as (server, _):
        yield server


def sites_file(tmp_path, server, name="trs"):
    path = tmp_path / f"sites-{name}.yaml"
    path.write_text(json.dumps({"sites": [{"name": name, "start_urls": [server.url(server.site["start"])]}]}),
                    encoding="utf-8")
    return path


def crawl(tmp_path, server, db, *extra):
    result = run_cli("crawl", "--sites", str(sites_file(tmp_path, server)), "--db", str(db), *FAST, *extra)
    assert result.returncode == 0, result.stderr.decode()
    return result


def query(db, sql, *params):
    with sqlite3.connect(db) as conn:
        conn.row_factory = sqlite3.Row
        return [dict(r) for r in conn.execute(sql, params)]


def report_urls(db):
    return sorted(r["url"] for r in query(db, "SELECT url FROM reports WHERE report_type = '法治政府建设年度报告'"))


def a_report(db):
    """A report page of the portal (its URL and path) whose text the tests revise."""
    row = query(db, "SELECT url, body FROM reports WHERE report_type = '法治政府建设年度报告' "
                    "AND url LIKE '%.html' ORDER BY url LIMIT 1")[0]
    return row, urlsplit(row["url"]).path


def test_revised_report_keeps_both_versions(tmp_path, portal):
    db = tmp_path / "a.db"
    crawl(tmp_path, portal, db)
    row, path = a_report(db)
    first_para = row["body"].split("\n")[0]
    original = portal.routes[next(k for k in portal.routes if k[0] == path)][0].body()
    revised = original.replace(first_para[:12].encode(), ("（修订）" + first_para[:12]).encode(), 1)
    assert revised != original
    portal.revise(path, data=revised)
    crawl(tmp_path, portal, db)

    history = run_cli("history", row["url"], "--db", str(db))
    versions = [json.loads(line) for line in history.stdout.decode().splitlines()]
    assert len(versions) == 2
    assert all({"fetched_at", "sha256", "title", "body_length"} <= set(v) for v in versions)
    assert versions[1]["body_length"] == versions[0]["body_length"] + len("（修订）")
    (latest,) = query(db, "SELECT body, version_count FROM reports WHERE url = ?", row["url"])
    assert latest["body"].startswith("（修订）") and latest["version_count"] == 2
    raw = run_cli("raw", row["url"], "--db", str(db))
    assert raw.returncode == 0 and raw.stdout == revised


def test_unchanged_recrawl_is_cheap_and_conditional(tmp_path, portal):
    db = tmp_path / "a.db"
    crawl(tmp_path, portal, db)
    first = portal.bytes_sent
    before = len(portal.log)
    crawl(tmp_path, portal, db)
    second = portal.bytes_sent - first
    assert second <= 0.30 * first, (second, first)
    again = portal.log[before:]
    report_paths = {urlsplit(u).path for u in report_urls(db)}
    answered = {r["path"]: r for r in again if r["path"] in report_paths}
    assert answered and all(r["status"] == 304 for r in answered.values())
    assert all("If-None-Match" in r["headers"] or "If-Modified-Since" in r["headers"] for r in answered.values())
    runs = query(db, "SELECT * FROM crawl_runs ORDER BY id")
    assert [r["status"] for r in runs] == ["finished", "finished"]
    assert runs[1]["reports_new"] == 0 and runs[1]["reports_changed"] == 0
    assert 0 < runs[1]["bytes_received"] < runs[0]["bytes_received"]


def test_gone_report_stays_marked_gone(tmp_path, portal):
    db = tmp_path / "a.db"
    crawl(tmp_path, portal, db)
    row, path = a_report(db)
    portal.remove(path)
    result = crawl(tmp_path, portal, db)
    (gone,) = query(db, "SELECT status, gone_since, body FROM reports WHERE url = ?", row["url"])
    assert gone["status"] == "gone" and gone["gone_since"] and gone["body"] == row["body"]
    assert "1 gone" in result.stdout.decode()
    others = query(db, "SELECT status FROM reports WHERE url != ? AND report_type = '法治政府建设年度报告'", row["url"])
    assert others and all(r["status"] == "live" for r in others)


def test_sigkill_then_resume_equals_uninterrupted(tmp_path, portal):
    reference = tmp_path / "ref.db"
    crawl(tmp_path, portal, reference)
    expected = report_urls(reference)
    for threshold in (1, 5, 12):  # kill after this many pages were archived
        db = tmp_path / f"killed-{threshold}.db"
        proc = subprocess.Popen(
            [sys.executable, "-m", "crawler", "crawl", "--sites", str(sites_file(tmp_path, portal)),
             "--db", str(db), "-s", "DOWNLOAD_DELAY=0.05", "-s", "AUTOTHROTTLE_ENABLED=False",
             "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=1"],
            cwd=ROOT, env=dict(os.environ, PYTHONPATH=str(ROOT)),
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.time() + 60
        while time.time() < deadline and proc.poll() is None:
            try:
                if query(db, "SELECT count(*) AS n FROM fetches")[0]["n"] >= threshold:
                    break
            except sqlite3.Error:
                pass
            time.sleep(0.02)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        assert query(db, "PRAGMA integrity_check")[0]["integrity_check"] == "ok"
        crawl(tmp_path, portal, db)
        assert query(db, "PRAGMA integrity_check")[0]["integrity_check"] == "ok"
        assert query(db, "SELECT count(*) - count(DISTINCT url) AS d FROM reports")[0]["d"] == 0
        assert report_urls(db) == expected
        statuses = [r["status"] for r in query(db, "SELECT status FROM crawl_runs ORDER BY id")]
        assert statuses[-1] == "finished" and statuses[0] in ("killed", "finished")


def test_overlapping_run_exits_at_once(tmp_path, portal):
    db = tmp_path / "a.db"
    with run.lock(str(db)):
        started = time.time()
        result = run_cli("crawl", "--sites", str(sites_file(tmp_path, portal)), "--db", str(db))
        assert time.time() - started < 30
    assert result.returncode == 3
    message = result.stderr.decode().strip()
    assert "another crawl" in message and "\n" not in message
    assert not db.exists()   # the lock comes first: the refused crawl touched no database


def test_quiet_run_with_log_file(tmp_path, portal):
    db, log = tmp_path / "a.db", tmp_path / "crawl.log"
    result = crawl(tmp_path, portal, db, "-q", "--log-file", str(log))
    assert result.stdout == b"" and result.stderr == b""
    assert "Spider closed (finished)" in log.read_text(encoding="utf-8")


def test_status_flags_broken_sites(tmp_path, portal):
    db = tmp_path / "a.db"
    crawl(tmp_path, portal, db)
    ok = run_cli("status", "--db", str(db))
    assert ok.returncode == 0, ok.stdout.decode()
    assert "ok" in ok.stdout.decode()
    # the column moves: every page now answers with an anti-bot wall
    with portal.lock:
        for routes in portal.routes.values():
            for route in routes:
                route.status, route.data = 412, b"<html><script>var $_ts=window['$_ts'];</script></html>"
    crawl(tmp_path, portal, db)
    broken = run_cli("status", "--db", str(db))
    out = broken.stdout.decode()
    assert broken.returncode == 1
    assert "wall" in out and "none in the last run" in out
    (last,) = query(db, "SELECT blocked, status FROM crawl_runs ORDER BY id DESC LIMIT 1")
    assert last["blocked"] >= 1 and last["status"] == "finished"
