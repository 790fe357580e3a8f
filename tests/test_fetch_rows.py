"""Issue 16, item 3: every fetch leaves a row — capped, refused, redirect-limited, looping ones
with their reason — and a report whose document never arrived is a recorded failure, not a
report row without a body; the next run asks again.

The TRS fixture portal on loopback, its list page revised to link the faults a real portal
has: a gzip bomb, a redirect chain longer than REDIRECT_MAX_TIMES, a redirect loop, a report
PDF over the size cap, a report PDF under a robots.txt Disallow; and an attachment of a
stored report grown over the cap.
"""
from __future__ import annotations

import gzip
import sqlite3

import pytest

from crawler.devtools.fixture_server import serve_portal
from tests.conftest import FIXTURES, run_cli
from tests.test_archive_over_time import sites_file

PORTAL = FIXTURES / "portals" / "trs"
COLUMN = "/zwgk_279/fdzdgknr/fzzfjsndbg/"
CAP = 1_000_000
SETTINGS = ["-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=False",
            "-s", f"DOWNLOAD_MAXSIZE={CAP}", "-s", "REDIRECT_MAX_TIMES=3"]
PDF = (FIXTURES / "attachments" / "chengkou_2020_libreoffice.pdf").read_bytes()
WITH_FILES = COLUMN + "202103/t20210329_9156342.html"
ITS_PDF = COLUMN + "202103/P020210329598347012876.pdf"

FAULTS = {   # path → (title on the list, what the row must say)
    COLUMN + "2023/bomb.html": ("城口县2023年度法治政府建设情况报告", "capped: over the size cap of"),
    COLUMN + "2023/moved1.html": ("城口县2022年度法治政府建设情况报告", None),
    COLUMN + "2023/loop_a.html": ("城口县2021年度法治政府建设工作报告", None),
    COLUMN + "2023/big.pdf": ("城口县2016年度法治政府建设情况报告", "capped: larger than the size cap of"),
    "/wcm/files/2015.pdf": ("城口县2015年度法治政府建设情况报告", "refused by robots.txt"),
}


@pytest.fixture
def portal():
    with serve_portal(PORTAL, host="127.0.0.181") as (server, _):
        listing = COLUMN + "index.html"
        page = server.routes[next(k for k in server.routes if k[0] == listing)][0].body()
        links = "".join(f'<li><a href="{path}" title="{title}">{title}</a><span>2024-03-01</span></li>'
                        for path, (title, _) in FAULTS.items())
        first = b'<li><a href="./202103/t20210329_9156342.html"'
        assert first in page
        server.revise(listing, data=page.replace(first, links.encode() + first, 1))
        # a gzip bomb: 3 KB on the wire, 20 MB once decompressed
        server.add(COLUMN + "2023/bomb.html", gzip.compress(b"<html>" + b" " * 20_000_000),
                   headers={"Content-Encoding": "gzip"})
        for i in range(1, 6):   # a chain of five redirects, two more than allowed
            server.add(COLUMN + f"2023/moved{i}.html", status=302,
                       headers={"Location": COLUMN + f"2023/moved{i + 1}.html"})
        server.add(COLUMN + "2023/loop_a.html", status=302, headers={"Location": COLUMN + "2023/loop_b.html"})
        server.add(COLUMN + "2023/loop_b.html", status=302, headers={"Location": COLUMN + "2023/loop_a.html"})
        server.add(COLUMN + "2023/big.pdf", PDF + b"%" + b"x" * (2 * CAP), content_type="application/pdf")
        server.add("/wcm/files/2015.pdf", PDF, content_type="application/pdf")
        server.revise(ITS_PDF, data=PDF + b"%" + b"y" * (2 * CAP))   # a stored report's file, now too big
        yield server


def rows(db, sql, *args):
    with sqlite3.connect(db) as conn:
        conn.row_factory = sqlite3.Row
        return [dict(r) for r in conn.execute(sql, args)]


def test_every_failed_fetch_has_its_row_and_no_bodiless_report_is_stored(tmp_path, portal):
    db = tmp_path / "a.db"
    sites = sites_file(tmp_path, portal)
    for run in (1, 2):
        result = run_cli("crawl", "--sites", str(sites), "--db", str(db), "-q", *SETTINGS)
        assert result.returncode == 0, result.stderr.decode()
        pages = {r["url"]: r for r in rows(db, "SELECT * FROM pages")}
        fetched = {}
        for r in rows(db, "SELECT url, count(*) AS n FROM fetches GROUP BY url"):
            fetched[r["url"]] = r["n"]
        for path, (_, reason) in FAULTS.items():
            if reason:
                url = portal.url(path)
                assert pages[url]["error"].startswith(reason) or reason in pages[url]["error"], pages[url]
                assert fetched[url] >= run, (url, run)   # asked again by the second run
        # the chain: each redirect answer has its row, the last one reached says why it stopped
        hops = [pages.get(portal.url(COLUMN + f"2023/moved{i}.html")) for i in range(1, 5)]
        assert all(h is not None for h in hops), hops
        assert [h["status"] for h in hops[:3]] == [302, 302, 302]
        assert any((h["error"] or "").startswith("redirect limit: more than 3") for h in hops), hops
        loop = [pages[portal.url(COLUMN + f"2023/loop_{x}.html")] for x in "ab"]
        assert all(h["status"] in (302, None) for h in loop)
        assert any((h["error"] or "").startswith("redirect loop: back to") for h in loop), loop
        reports = {r["url"]: r for r in rows(db, "SELECT url, body FROM reports")}
        assert not any(portal.url(p) in reports for p in FAULTS), "a report that was never fetched"
        assert all(r["body"] for r in reports.values())
        # the report whose PDF grew past the cap is stored with the DOCX and says why the PDF is not
        (pdf,) = rows(db, "SELECT error, text FROM attachments WHERE url = ?", portal.url(ITS_PDF))
        assert pdf["error"].startswith("capped: larger than the size cap") and pdf["text"] is None
        assert portal.url(WITH_FILES) in reports
    (last,) = rows(db, "SELECT failures, robots_refused FROM crawl_runs ORDER BY id DESC LIMIT 1")
    assert last["failures"] >= 4 and last["robots_refused"] >= 2
