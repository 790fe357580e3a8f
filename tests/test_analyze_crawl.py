"""The analysis in a real crawl: a TRS portal on loopback (the `trs` fixture portal, plus a
信息公开 report whose cover page links the real 淮安 2024 PDF), crawled through the CLI into
SQLite; the pipeline's one call stores sections, the PDF's disclosure figures and checks, the
parts, and the year-over-year links and share of the 城口 reports of 2018, 2019 and 2020."""
from __future__ import annotations

import json
import shutil
import sqlite3
from contextlib import closing

import pytest

from crawler.devtools.fixture_server import FixtureServer
from tests.conftest import FIXTURES, run_cli
from tests.holdout import FAST

PORTAL = FIXTURES / "portals" / "trs"
COLUMN = "/zwgk_279/fdzdgknr/fzzfjsndbg/"
COVER = COLUMN + "202103/t20210329_9156342.html"
XXGK_PAGE = COLUMN + "202503/t20250305_9999001.html"
XXGK_PDF = COLUMN + "202503/P020250305000000000001.pdf"
XXGK_TITLE = "城口县2024年政府信息公开工作年度报告"


def rows(db, sql, *params):
    with closing(sqlite3.connect(db)) as conn:
        conn.row_factory = sqlite3.Row
        return [dict(r) for r in conn.execute(sql, params)]


@pytest.fixture(scope="module")
def crawled(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("analyze_crawl")
    portal = tmp / "trs"
    shutil.copytree(PORTAL, portal)
    config = json.loads((portal / "routes.json").read_text(encoding="utf-8"))
    for route in config["routes"]:   # the copy's shared files are where the original's are
        if route["file"].startswith("../"):
            route["file"] = str((PORTAL / route["file"]).resolve())
    # a cover page in the column's own template, linking the real PDF as its report
    cover = (PORTAL / COVER.lstrip("/")).read_text(encoding="utf-8")
    page = cover.replace("城口县2020年度法治政府建设情况报告", XXGK_TITLE).replace(
        "P020210329598347012876.pdf", XXGK_PDF.rsplit("/", 1)[1])
    page = page.replace('<a href="./P020210329598347012877.docx"', '<a href="./missing.docx"')
    (portal / XXGK_PAGE.lstrip("/")).parent.mkdir(parents=True, exist_ok=True)
    (portal / XXGK_PAGE.lstrip("/")).write_text(page, encoding="utf-8")
    config["routes"] += [
        {"path": XXGK_PAGE, "file": XXGK_PAGE.lstrip("/")},
        {"path": XXGK_PDF, "file": str(FIXTURES / "analyze" / "huaian_2024.pdf"), "content_type": "application/pdf"}]
    (portal / "routes.json").write_text(json.dumps(config, ensure_ascii=False), encoding="utf-8")
    index = portal / COLUMN.lstrip("/") / "index.html"
    listing = index.read_text(encoding="utf-8")
    entry = '<a href="./202103/t20210329_9156342.html" target="_blank" title="城口县2020年度法治政府建设情况报告">'
    assert entry in listing
    index.write_text(listing.replace(entry, f'<a href="./202503/t20250305_9999001.html" target="_blank" '
                                            f'title="{XXGK_TITLE}">{XXGK_TITLE}</a></li><li>{entry}', 1),
                     encoding="utf-8")
    server = FixtureServer(portal, host="127.0.0.60").start()
    try:
        sites = tmp / "sites.yaml"
        sites.write_text(json.dumps({"sites": [{"name": "trs", "start_urls": [server.url(config["site"]["start"])]}]}),
                         encoding="utf-8")
        db = tmp / "archive.db"
        result = run_cli("crawl", "--sites", str(sites), "--db", str(db), *FAST)
    finally:
        server.stop()
    assert result.returncode == 0, result.stderr.decode("utf-8", "replace")[-2000:]
    return server, db


def test_a_pdf_reports_disclosure_tables_are_read_in_the_crawl(crawled):
    server, db = crawled
    url = server.url(XXGK_PAGE)
    (report,) = rows(db, "SELECT report_type, source_url FROM reports WHERE url = ?", url)
    assert report["report_type"] == "政府信息公开工作年度报告" and report["source_url"] == server.url(XXGK_PDF)
    (summary,) = rows(db, "SELECT * FROM disclosure_summary WHERE report_url = ?", url)
    assert {k: summary[k] for k in ("requests_new", "requests_carried_over", "requests_closed_total",
                                    "requests_carried_forward", "review_total", "suit_total", "checks_failed")} \
        == {"requests_new": 3119, "requests_carried_over": 34, "requests_closed_total": 3050,
            "requests_carried_forward": 103, "review_total": 351, "suit_total": 46, "checks_failed": 0}
    labels = [r["label"] for r in rows(db, "SELECT label FROM sections WHERE report_url = ? AND level = 1 "
                                           "ORDER BY position", url)]
    assert labels == ["overview", "proactive", "requests", "review_litigation", "problems", "other_matters"]
    (complete,) = rows(db, "SELECT complete, missing FROM report_completeness WHERE report_url = ?", url)
    assert complete == {"complete": 1, "missing": None}


def test_the_same_governments_reports_are_linked_year_to_year(crawled):
    server, db = crawled
    by_year = {r["year"]: r for r in rows(
        db, "SELECT y.*, r.year FROM report_years y JOIN reports r ON r.url = y.report_url "
            "WHERE r.report_type = '法治政府建设年度报告' AND r.publisher = '城口县人民政府'")}
    assert set(by_year) == {2018, 2019, 2020}
    assert by_year[2020]["previous_url"] == by_year[2019]["report_url"]
    assert by_year[2019]["next_url"] == by_year[2020]["report_url"]
    assert by_year[2018]["previous_url"] is None
    assert by_year[2020]["repeated_share"] is not None and by_year[2019]["repeated_share"] is not None
    assert by_year[2018]["repeated_share"] is None
