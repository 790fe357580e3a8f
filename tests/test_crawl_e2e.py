"""Real crawls: every fixture portal served on its own loopback address, one Scrapy crawl
through the CLI (a subprocess: a Twisted reactor cannot restart), into a real SQLite file.
"""
from __future__ import annotations

import json
import sqlite3
from contextlib import ExitStack
from urllib.parse import urlsplit

import pytest

from crawler.devtools.fixture_server import FixtureServer, route_key
from tests.conftest import FIXTURES, run_cli

PORTALS = FIXTURES / "portals"
FAST = ["-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=False"]
FZ, XXGK = "法治政府建设年度报告", "政府信息公开工作年度报告"
CK, ALS, YL = "/zwgk_279/fdzdgknr/fzzfjsndbg/", "/xxgk/fdzdgknr/zfgzbg/", "/zwgk/xxgkml/fzzfjsndbg/"
PT = "/zwgk/zfxxgk/zfxxgknb/"

# What each portal publishes as reports (path → title, type), as its pages were built.
EXPECTED = {
    "trs": {CK + "201903/t20190329_5021744.html": ("城口县2018年度法治政府建设情况报告", FZ),
            CK + "202003/t20200326_6153201.html": ("城口县2019年度法治政府建设情况报告", FZ),
            CK + "202103/t20210329_9156342.html": ("城口县2020年度法治政府建设情况报告", FZ)},
    "bracket": {"/zwgk_279/zfxxgkml/fzzfjsndbg/202107/t20210723_9512207.html": ("城口县2020年度法治政府建设情况报告", FZ)},
    "colon": {ALS + "202202/t20220225_3201187.html": ("阿拉善高新区2021年法治政府建设情况的报告", FZ),
              ALS + "202302/t20230227_3391234.html": ("关于2022年法治政府建设情况的报告", FZ)},
    "gbk": {YL + "202403/t20240301_11301876.htm": ("岳麓区2023年法治政府建设年度报告", FZ),
            YL + "202503/t20250305_11712345.htm": ("关于2024年岳麓区法治政府建设工作情况的报告", FZ)},
    "listjsp": {f"/content-212-38560{n}.html": (f"保定市{2023 - n}年度法治政府建设情况报告", FZ) for n in (1, 2, 3)},
    "hanweb": {"/art/2024/2/27/art_1229106823_58900002.html": ("浙江省发展和改革委员会2023年度法治政府建设工作报告", FZ),
               "/art/2023/2/24/art_1229106823_58900011.html": ("浙江省发展和改革委员会2022年度法治政府建设工作报告", FZ),
               "/art/2022/2/28/art_1229106823_58900019.html": ("浙江省发展和改革委员会2021年度法治政府建设工作报告", FZ),
               "/art/2024/1/30/art_1229106830_59100000.html": ("浙江省发展和改革委员会2023年政府信息公开工作年度报告", XXGK),
               "/art/2022/1/28/art_1229106830_59100003.html": ("浙江省发展和改革委员会2021年政府信息公开工作年度报告", XXGK)},
    "jiyue": {PT + "202603/t20260313_105587.htm": ("平潭综合实验区2025年度政府信息公开工作年度报告", XXGK),
              PT + "202503/t20250310_97791.htm": ("平潭综合实验区2024年度政府信息公开工作年度报告", XXGK),
              PT + "201402/t20140225_80774.htm": ("平潭综合实验区地方税务局2013年信息公开年度报告", XXGK)},
    "gkmlpt": {"/gkmlpt/content/8/8123/post_8123400.html": ("广州市南沙区人民政府2023年法治政府建设年度报告", FZ),
               "/gkmlpt/content/8/8123/post_8123402.html": ("广州市南沙区人民政府2022年法治政府建设年度报告", FZ),
               "/gkmlpt/content/8/8123/post_8123406.html": ("广州市南沙区人民政府2021年法治政府建设年度报告", FZ)},
    "discovery": {"/zwgk/fzzfjs/ndbg/202107/t20210723_9512207.html": ("城口县2020年度法治政府建设情况报告", FZ),
                  "/zwgk/fzzfjs/ndbg/202003/t20200330_6160011.html": ("城口县2019年度法治政府建设情况报告（县司法局）", FZ),
                  "/zwgk/zfxxgk/zfxxgknb/202101/t20210129_8800100.html": ("城口县2020年政府信息公开工作年度报告", XXGK)},
}
# Routes served only so that visiting them would show in the request log.
NEVER = {
    "trs": [CK + "202107/t20210712_9501004.html",   # 实施方案 look-alike
            CK + "202107/t20210720_9501001.html",   # news
            "/wcm/preview/201808/t20180825_4102233.html"],   # robots.txt: Disallow: /wcm/
    "listjsp": ["/list.jsp?ccid=212&page=5"],   # past the repeated last page
    "discovery": [f"/zwgk/zfxxgk/{c}/" for c in ("zfxxgkzn", "zfxxgkzd", "jgzn", "fdzdgknr", "ghxx", "czyjs", "zfgzbg",
                                                  "zcjd", "rsxx", "tjxx", "wzgzndbb", "fzzfjssfcj")],
}


@pytest.fixture(scope="module")
def crawl(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("e2e")
    with ExitStack() as stack:
        servers = {}
        for i, family in enumerate(EXPECTED):
            server = FixtureServer(PORTALS / family, host=f"127.0.0.{40 + i}").start()
            stack.callback(server.stop)
            servers[family] = server
        sites = tmp / "sites.yaml"
        sites.write_text(json.dumps({"sites": [{"name": f, "start_urls": [s.url(s.site["start"])]}
                                               for f, s in servers.items()]}), encoding="utf-8")
        db = tmp / "archive.db"
        result = run_cli("crawl", "--sites", str(sites), "--db", str(db), *FAST)
        yield servers, db, result


def rows(db, sql, *params):
    with sqlite3.connect(db) as conn:
        conn.row_factory = sqlite3.Row
        return [dict(r) for r in conn.execute(sql, params)]


def path(url: str) -> str:
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def test_the_crawl_finishes_and_is_recorded(crawl):
    _, db, result = crawl
    assert result.returncode == 0, result.stderr.decode()
    (run,) = rows(db, "SELECT status, failures, robots_refused FROM crawl_runs")
    assert run["status"] == "finished" and run["failures"] == 0 and run["robots_refused"] == 1


@pytest.mark.parametrize("family", list(EXPECTED))
def test_every_report_lands_once_with_its_title_and_type(crawl, family):
    _, db, _ = crawl
    found = {path(r["url"]): (r["title"], r["report_type"])
             for r in rows(db, "SELECT url, title, report_type FROM reports WHERE site = ?", family)}
    copied = {path(r["url"]) for r in rows(db, "SELECT url FROM copies WHERE site = ?", family)}
    assert set(found) | copied == set(EXPECTED[family])
    assert all(found[p] == EXPECTED[family][p] for p in found)


def test_the_same_report_on_two_sites_is_one_row(crawl):
    """bracket and discovery both publish 城口县's 2020 report (seed 003): one report, one copy."""
    _, db, _ = crawl
    pair = {"bracket": "/zwgk_279/zfxxgkml/fzzfjsndbg/202107/t20210723_9512207.html",
            "discovery": "/zwgk/fzzfjs/ndbg/202107/t20210723_9512207.html"}
    (copy,) = rows(db, "SELECT url, report_url, site FROM copies")
    kept = rows(db, "SELECT url, site FROM reports WHERE url = ?", copy["report_url"])
    assert {copy["site"], kept[0]["site"]} == set(pair)
    assert {path(copy["url"]), path(copy["report_url"])} == set(pair.values())


@pytest.mark.parametrize("family", list(EXPECTED))
def test_every_list_page_and_report_is_visited_and_nothing_else(crawl, family):
    """Pagination reached every page; look-alikes, news, other columns, robots-disallowed
    and past-the-end pages were never asked for."""
    servers, _, _ = crawl
    server = servers[family]
    asked = {route_key(r["path"]) for r in server.log} - {route_key("/robots.txt")}
    served = {route_key(r.path) for routes in server.routes.values() for r in routes} - {route_key("/robots.txt")}
    never = {route_key(p) for p in NEVER.get(family, [])}
    assert never <= served
    assert asked == served - never


def test_robots_txt_is_read_first_and_obeyed(crawl):
    servers, db, _ = crawl
    log = servers["trs"].log
    assert log[0]["path"] == "/robots.txt"
    assert not [r for r in log if r["path"].startswith("/wcm/")]
    refused = rows(db, "SELECT url, error FROM pages WHERE url LIKE '%/wcm/%'")
    assert len(refused) == 1 and "robots.txt" in refused[0]["error"]


def test_the_repeated_last_page_is_fetched_once(crawl):
    servers, _, _ = crawl
    asked = [r["path"] for r in servers["listjsp"].log if r["path"].startswith("/list.jsp")]
    assert asked == [f"/list.jsp?ccid=212&page={n}" for n in (1, 2, 3, 4)]


def test_no_request_left_the_sites_hosts(crawl):
    servers, db, _ = crawl
    for page in rows(db, "SELECT url, site FROM pages"):
        assert urlsplit(page["url"]).netloc == urlsplit(servers[page["site"]].base_url).netloc, page


@pytest.mark.parametrize("family", list(EXPECTED))
def test_pages_table_holds_every_fetched_address(crawl, family):
    servers, db, _ = crawl
    server = servers[family]
    fetched = {server.base_url + r["path"] for r in server.log if r["path"] != "/robots.txt"}
    recorded = {r["url"] for r in rows(db, "SELECT url FROM pages WHERE site = ? AND status IS NOT NULL", family)}
    assert recorded == fetched


def test_report_published_as_files_takes_its_text_from_them(crawl):
    """The 2020 cover page links a PDF and a DOCX: both fetched and kept, the body is their text."""
    _, db, _ = crawl
    files = {path(a["url"]): a for a in rows(db, "SELECT * FROM attachments")}
    pdf, docx = CK + "202103/P020210329598347012876.pdf", CK + "202103/P020210329598347012877.docx"
    assert set(files) == {pdf, docx}
    for name, kind, fixture in [(pdf, "pdf", "chengkou_2020_libreoffice.pdf"), (docx, "docx", "chengkou_2020.docx")]:
        att = files[name]
        assert att["type"] == kind and att["error"] is None
        assert att["size"] == (FIXTURES / "attachments" / fixture).stat().st_size
        assert path(att["report_url"]) == CK + "202103/t20210329_9156342.html"
    (report,) = rows(db, "SELECT body, source_url FROM reports WHERE url = ?", files[pdf]["report_url"])
    assert "二、推进法治政府建设存在的不足" in report["body"] and "全文详见附件" not in report["body"]
    assert path(report["source_url"]) in (pdf, docx)   # the file the body came from


def test_a_report_read_from_its_own_page_is_its_own_source(crawl):
    _, db, _ = crawl
    own = rows(db, "SELECT url, source_url FROM reports WHERE url NOT IN (SELECT report_url FROM attachments)")
    assert own and all(r["source_url"] == r["url"] for r in own)


def test_gbk_pages_are_stored_as_sent_and_read_right(crawl):
    servers, db, _ = crawl
    url = servers["gbk"].url(YL + "202403/t20240301_11301876.htm")
    raw = run_cli("raw", url, "--db", str(db)).stdout
    assert raw == (PORTALS / "gbk" / "zwgk/xxgkml/fzzfjsndbg/202403/t20240301_11301876.htm").read_bytes()
    assert "岳麓区".encode("gbk") in raw
    (report,) = rows(db, "SELECT body FROM reports WHERE url = ?", url)
    assert "法治" in report["body"]


def test_every_report_keeps_its_near_duplicate_signature(crawl):
    """Stored so that the next crawl loads them instead of re-hashing the whole archive."""
    _, db, _ = crawl
    missing = rows(db, "SELECT r.url FROM reports r LEFT JOIN signatures s ON s.url = r.url "
                       "WHERE length(r.body) > 300 AND s.url IS NULL")
    assert missing == []
    assert rows(db, "SELECT count(*) AS n FROM signatures s LEFT JOIN reports r ON r.url = s.url "
                    "WHERE r.url IS NULL")[0]["n"] == 0
