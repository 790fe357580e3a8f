"""The published database (crawler/store/publish.py): lean — no raw snapshots — complete —
every report, its search index, the analysis tables — incremental after the first publish,
and live: a running `serve` shows a new report without a restart, with "data as of" on
its pages."""
from __future__ import annotations

import json
import os
import random
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request
from urllib.parse import quote

import pytest
from test_search import WORDS, seed_archive

from cjk_search import index_text
from crawler.devtools.fixture_server import serve_portal
from crawler.store import Store
from crawler.store.publish import publish, published_path
from tests.conftest import FIXTURES, ROOT, run_cli

LEFT_OUT = {"snapshots", "fetches", "signatures"}


def tables(path) -> set[str]:
    with sqlite3.connect(path) as conn:
        return {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type IN ('table', 'view')")}


def rows(path, sql, params=()):
    conn = sqlite3.connect(path)
    try:
        return conn.execute(sql, params).fetchall()
    finally:
        conn.close()


def index_hits(path, bigrams: str) -> set[str]:
    """Reports the FTS index alone says contain the phrase of `bigrams`."""
    return {u for (u,) in rows(path, "SELECT m.url FROM reports_search s JOIN reports_search_rows m "
                                     "ON m.id = s.rowid WHERE reports_search MATCH ?", [f'"{bigrams}"'])}


def every_bigram_agrees(archive, published, texts) -> None:
    """The published index gives what the archive's gives, for bigrams of the given texts."""
    sample = set()
    for text in texts:
        tokens = index_text(text).split()
        sample.update(random.Random(len(text)).sample(tokens, min(6, len(tokens))))
    assert sample
    for token in sample:
        assert index_hits(published, token) == index_hits(archive, token), token


@pytest.fixture
def archive(tmp_path):
    path = tmp_path / "archive.db"
    reports = seed_archive(path)
    return path, reports


def test_published_database_is_lean_and_complete(archive):
    path, reports = archive
    result = publish(path)
    published = published_path(path)
    assert result["mode"] == "full" and published.name == "archive.published.db"
    assert LEFT_OUT <= tables(path) and not LEFT_OUT & tables(published)
    for name in ("reports", "versions", "copies", "attachments", "pages", "crawl_runs",
                 "reports_search", "reports_search_rows", "report_deadlines", "publication"):
        assert name in tables(published), name
    columns = "url, title, body, year, province, publisher, published_date, sha256"
    assert sorted(rows(published, f"SELECT {columns} FROM reports")) == \
        sorted(rows(path, f"SELECT {columns} FROM reports"))
    assert {r["url"] for r in reports} <= {u for (u,) in rows(published, "SELECT url FROM reports")}
    every_bigram_agrees(path, published, [r["body"] for r in reports])
    assert rows(published, "SELECT count(*) FROM report_deadlines") == \
        rows(path, "SELECT count(*) FROM report_deadlines")
    # the crawl's end is the data's date
    (ended,) = rows(path, "SELECT max(ended_at) FROM crawl_runs")[0]
    assert rows(published, "SELECT data_as_of, generation FROM publication") == [(ended, 1)]


def test_publish_copies_only_what_changed(archive):
    path, reports = archive
    publish(path)
    assert publish(path)["mode"] == "unchanged"
    store = Store(path)
    changed = dict(reports[2], body=reports[2]["body"] + "\n新增一段：独角兽执法检查")
    store.save_report(changed)
    store.save_report({"url": "http://new.example.gov.cn/1.html", "title": "新的报告", "body": "麒麟调解工作",
                       "site": "seed", "year": 2024})
    store.add_copy(reports[7]["url"], reports[6]["url"], "seed", reports[7]["title"], 0.99)  # a report goes
    store.touch_report(reports[1]["url"])
    store.close()
    result = publish(path)
    published = published_path(path)
    assert result["mode"] == "incremental" and result["generation"] == 2
    assert result["rows"] < 15  # the rows touched, not the archive (70 rows)
    full = "SELECT * FROM reports ORDER BY url"
    assert rows(published, full) == rows(path, full)
    assert rows(published, "SELECT * FROM copies ORDER BY url") == rows(path, "SELECT * FROM copies ORDER BY url")
    # the deadlines view is a table in the published file, kept in step row by row
    deadlines = "SELECT * FROM report_deadlines ORDER BY url"
    assert rows(published, deadlines) == rows(path, deadlines)
    assert rows(published, "SELECT type FROM sqlite_master WHERE name = 'report_deadlines'") == [("table",)]
    assert index_hits(published, "独角 角兽") == {reports[2]["url"]}
    assert index_hits(published, "麒麟") == {"http://new.example.gov.cn/1.html"}
    assert reports[7]["url"] not in {u for (u,) in rows(published, "SELECT url FROM reports_search_rows")}
    every_bigram_agrees(path, published, [r["body"] for r in reports])
    for word in WORDS:  # exact search over the published file, through the index and LIKE
        hits = {u for (u,) in rows(published, "SELECT url FROM reports WHERE instr(title || char(10) || body, ?)",
                                   [word])}
        assert hits == {u for (u,) in rows(path, "SELECT url FROM reports WHERE instr(title || char(10) || body, ?)",
                                           [word])}
    assert rows(path, "SELECT count(*) FROM publish_log") == [(0,)]  # consumed


def test_a_schema_change_republishes_whole(archive):
    path, _ = archive
    publish(path)
    with sqlite3.connect(path) as conn:
        conn.execute("ALTER TABLE reports ADD COLUMN sentiment TEXT")
        conn.execute("UPDATE reports SET sentiment = 'calm'")
    result = publish(path)
    assert result["mode"] == "full" and result["reason"] == "the archive's schema changed"
    assert rows(published_path(path), "SELECT DISTINCT sentiment FROM reports") == [("calm",)]
    assert publish(path)["mode"] == "unchanged"


def test_lost_triggers_mean_a_full_publish(archive):
    path, reports = archive
    publish(path)
    with sqlite3.connect(path) as conn:  # as a migration that rebuilds a table would
        conn.execute("DROP TRIGGER publish_log_reports_upd")
        conn.execute("UPDATE reports SET title = 'changed unlogged' WHERE url = ?", [reports[0]["url"]])
    assert publish(path)["mode"] == "full"
    assert rows(published_path(path), "SELECT title FROM reports WHERE url = ?", [reports[0]["url"]]) == \
        [("changed unlogged",)]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get(url: str) -> str:
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.read().decode()


@pytest.fixture
def running(archive):
    """`python -m crawler serve` in a subprocess on a free loopback port."""
    path, reports = archive
    port = free_port()
    server = subprocess.Popen([sys.executable, "-m", "crawler", "serve", "--db", str(path),
                               "--port", str(port)], cwd=ROOT,
                              env=dict(os.environ, PYTHONPATH=str(ROOT)),
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    try:
        line = server.stdout.readline().decode()
        assert base in line, line
        yield base, path, reports
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_a_new_report_shows_in_a_running_serve(running):
    base, path, reports = running

    def count():
        return json.loads(get(f"{base}/archive.json?sql=select+count(*)+from+reports&_shape=array"))[0]
    before = list(count().values())[0]
    first = get(f"{base}/archive/reports")
    assert "Data as of" in first
    store = Store(path)
    store.save_report({"url": "http://live.example.gov.cn/new.html", "title": "刚刚发布的报告",
                       "body": "凤凰执法检查情况", "site": "seed", "year": 2025})
    run = store.start_run(["seed"], os.getpid())
    store.finish_run(run, "finished", {"reports_new": 1}, {})
    (ended,) = rows(path, "SELECT ended_at FROM crawl_runs WHERE id = ?", [run])[0]
    store.close()
    publish(path)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and list(count().values())[0] == before:
        time.sleep(0.2)
    assert list(count().values())[0] == before + 1
    found = json.loads(get(f"{base}/archive/reports.json?_search={quote('凤凰')}&_shape=array"))
    assert [r["url"] for r in found] == ["http://live.example.gov.cn/new.html"]
    stamp = ended[:16].replace("T", " ") + " UTC"
    for page in ("/", "/archive", "/archive/reports", "/-/charts"):
        assert f"Data as of {stamp}" in get(base + page), page
    # the download is the new publication too, and a plain SQLite file
    with urllib.request.urlopen(f"{base}/archive.db", timeout=30) as response:
        data = response.read()
    downloaded = path.parent / "downloaded.db"
    downloaded.write_bytes(data)
    assert rows(downloaded, "SELECT count(*) FROM reports") == [(before + 1,)]
    assert not LEFT_OUT & tables(downloaded)


def test_repeats_are_revalidated_not_recomputed(running):
    base, path, _ = running
    with urllib.request.urlopen(f"{base}/archive/reports", timeout=10) as response:
        etag, modified = response.headers["etag"], response.headers["last-modified"]
        assert "public" in response.headers["cache-control"]
    request = urllib.request.Request(f"{base}/archive/reports", headers={"If-None-Match": etag})
    with pytest.raises(urllib.error.HTTPError) as answer:
        urllib.request.urlopen(request, timeout=10)
    assert answer.value.code == 304
    request = urllib.request.Request(f"{base}/archive/reports", headers={"If-Modified-Since": modified})
    with pytest.raises(urllib.error.HTTPError) as answer:
        urllib.request.urlopen(request, timeout=10)
    assert answer.value.code == 304
    store = Store(path)  # a publication later, the old validator no longer holds
    store.save_report({"url": "http://live.example.gov.cn/2.html", "title": "又一份", "body": "正文",
                       "site": "seed"})
    store.close()
    publish(path)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        request = urllib.request.Request(f"{base}/archive/reports", headers={"If-None-Match": etag})
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                assert response.headers["etag"] != etag and "又一份" in response.read().decode()
                break
        except urllib.error.HTTPError as exc:
            assert exc.code == 304
            time.sleep(0.2)
    else:
        pytest.fail("the validator still matched a minute after the publish")


def test_a_crawl_publishes_when_it_ends(tmp_path):
    with serve_portal(FIXTURES / "portals" / "colon", host="127.0.0.141") as (server, _):
        sites = tmp_path / "sites.yaml"
        sites.write_text(json.dumps({"sites": [{"name": "colon", "start_urls": [server.url(server.site["start"])]}]}),
                         encoding="utf-8")
        db = tmp_path / "crawled.db"
        result = run_cli("crawl", "-q", "--sites", str(sites), "--db", str(db),
                         "-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=False")
    assert result.returncode == 0, result.stderr.decode()
    published = published_path(db)
    assert published.exists() and "snapshots" not in tables(published)
    both = "SELECT url, title FROM reports ORDER BY url"
    assert rows(published, both) == rows(db, both)
    assert len(rows(published, "SELECT url FROM reports")) == 2
    (ended,) = rows(db, "SELECT max(ended_at) FROM crawl_runs")[0]
    assert rows(published, "SELECT data_as_of FROM publication") == [(ended,)]


def test_serve_answers_from_the_archive_while_its_first_publish_runs(archive):
    """A publish that takes longer than serve's patience (here: the archive's writer lock is
    held, as by a crawl, so the publish must wait) does not keep the site down: the archive
    is served meanwhile, raw tables out of the listings, and the published file once it commits."""
    path, reports = archive
    word = WORDS[0]
    expected = {r["url"] for r in reports if word in r["title"] + "\n" + r["body"]}
    assert expected
    writer = sqlite3.connect(path, isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")
    port = free_port()
    server = subprocess.Popen([sys.executable, "-m", "crawler", "serve", "--db", str(path), "--port", str(port)],
                              cwd=ROOT, env=dict(os.environ, PYTHONPATH=str(ROOT), ARCHIVE_QUICK_PUBLISH_S="0.5"),
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"

    def searched():
        return {r["url"] for r in json.loads(get(f"{base}/archive/reports.json?_search={quote(word)}"
                                                 "&_shape=array&_size=max&_col=title"))}
    try:
        line = server.stdout.readline().decode()
        assert "Serving the archive" in line and base in line, line
        listing = get(f"{base}/archive")
        assert "/archive/reports" in listing
        assert not any(f'/archive/{t}"' in listing for t in (*LEFT_OUT, "publish_log")), listing
        assert searched() == expected
        assert not published_path(path).exists() or not rows(
            published_path(path), "SELECT name FROM sqlite_master WHERE name = 'reports'")
        writer.execute("ROLLBACK")
        line = server.stdout.readline().decode()
        assert f"Serving {published_path(path)} (full publish" in line, line
        assert json.loads(get(f"{base}/archive/publication.json?_shape=array"))[0]["mode"] == "full"
        assert searched() == expected
    finally:
        writer.close()
        server.terminate()
        server.wait(timeout=10)
