"""Crawl traps finish within their budgets, in bounded memory, and say so.

Each trap (tests/traps.py) is crawled through the CLI with small per-site budgets; the
crawl must end by itself, make no more requests than the budgets allow, keep memory
bounded, record the cap in the run, and `status` must flag the site as capped.
"""
from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from contextlib import closing

import pytest

from tests.conftest import ROOT, run_cli
from tests.fuzzfiles import cases
from tests.fuzzpages import pages
from tests.holdout import FAST
from tests.traps import HEADER_FLOOD_LIMIT, HEADER_FLOODS, FuzzPortal, TrapServer

BUDGETS = {"REPORTS_MAX_LIST_PAGES": 15, "REPORTS_MAX_REPORT_PAGES": 40, "REPORTS_MAX_REQUESTS": 80}
RSS_BOUND_MB = 500   # the whole crawl process, 100,000-link page included


@pytest.fixture(scope="module")
def traps():
    server = TrapServer().start()
    yield server
    server.stop()


PEAKS: list[float] = []   # MB: the largest resident size of each crawl this module ran (and its workers)
# Runs a command and writes the largest resident size of it and its descendants (KB) to a file:
# the test process's own RUSAGE_CHILDREN would count every child of the whole session.
MEASURED = ("import resource, subprocess, sys; code = subprocess.run(sys.argv[2:]).returncode; "
            "open(sys.argv[1], 'w').write(str(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)); "
            "sys.exit(code)")


def crawl(tmp_path, server, trap: str, start: str):
    sites = tmp_path / "sites.yaml"
    sites.write_text(json.dumps({"sites": [{"name": trap, "start_urls": [server.url(start)]}]}), encoding="utf-8")
    db = tmp_path / "a.db"
    settings = [arg for name, value in BUDGETS.items() for arg in ("-s", f"{name}={value}")]
    before = server.asked[trap]
    peak = tmp_path / "peak-kb"
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    result = subprocess.run([sys.executable, "-c", MEASURED, str(peak), sys.executable, "-m", "crawler", "crawl",
                             "--sites", str(sites), "--db", str(db), "-q", "--log-file", str(tmp_path / "log"),
                             *FAST, *settings], cwd=ROOT, env=env, capture_output=True, timeout=180)
    PEAKS.append(int(peak.read_text()) / 1024)
    return result, db, server.asked[trap] - before


def rows(db, sql):
    with closing(sqlite3.connect(db)) as conn:
        conn.row_factory = sqlite3.Row
        return [dict(r) for r in conn.execute(sql)]


@pytest.mark.parametrize("trap, start", [("pager", "/pager/index.html"), ("endless", "/endless/index.html"),
                                         ("calendar", "/calendar/?d=0")])
def test_an_endless_column_stops_at_its_budget_and_is_flagged_capped(tmp_path, traps, trap, start):
    result, db, asked = crawl(tmp_path, traps, trap, start)
    assert result.returncode == 0, result.stderr.decode()
    assert asked <= BUDGETS["REPORTS_MAX_REQUESTS"] + 1   # + robots.txt
    (run,) = rows(db, "SELECT per_site FROM crawl_runs")
    counts = json.loads(run["per_site"])[trap]
    assert any(counts.get(k) for k in ("list_pages_capped", "report_pages_capped", "requests_capped")), counts
    reports = rows(db, "SELECT url FROM reports")
    assert 0 < len(reports) <= BUDGETS["REPORTS_MAX_REPORT_PAGES"]
    status = run_cli("status", "--db", str(db))
    assert b"capped:" in status.stdout and status.returncode == 1


def test_a_page_of_100000_links_costs_seconds_not_minutes(tmp_path, traps):
    result, db, asked = crawl(tmp_path, traps, "flood", "/flood/index.html")
    assert result.returncode == 0, result.stderr.decode()
    assert {r["url"].rsplit("/", 1)[-1] for r in rows(db, "SELECT url FROM reports")} == \
        {f"t20240315_0_{k}.html" for k in range(3)}
    assert asked <= BUDGETS["REPORTS_MAX_REQUESTS"] + 1


def test_a_flood_of_response_headers_is_cut_at_the_cap_and_recorded(tmp_path, traps):
    """Three report pages answer with endless headers (many lines, one endless line, one header
    folded for ever): each is a failure row saying so, the fourth report is stored."""
    result, db, asked = crawl(tmp_path, traps, "headers", "/headers/index.html")
    assert result.returncode == 0, result.stderr.decode()
    flooded = {path.rsplit("_", 1)[-1].split(".")[0]: sent for path, sent in traps.flooded.items()}
    assert set(flooded) == set(HEADER_FLOODS) and all(sent < HEADER_FLOOD_LIMIT for sent in flooded.values())
    errors = {r["url"].rsplit("_", 1)[-1].split(".")[0]: r["error"]
              for r in rows(db, "SELECT url, error FROM pages WHERE url LIKE '%/t2024%'")}
    assert errors["0"] is None
    assert errors["1"] == errors["3"] == "capped: response headers over 262144 bytes", errors
    assert errors["2"] == "capped: response header line over 16384 bytes", errors
    assert [r["url"].rsplit("_", 1)[-1] for r in rows(db, "SELECT url FROM reports")] == ["0.html"]
    assert asked == 1 + 4   # the column and its four reports: a flood is not retried


FUZZ_SEED = 20261201


def test_every_malformed_page_and_file_of_a_crawl_is_a_row_with_its_reason(tmp_path):
    """A column of 16 malformed report pages (two of them a JSON answer, two empty) and 21 cover pages, each linking a corrupt or crafted
    file (every other one of the crafted set: PDF, DOCX, DOC/WPS, XLS, XLSX, OFD, bombs), crawled
    for real: each page is a report row or a page with its error, each file an attachment row
    with its text or its error, nothing escapes as a processing failure. (A page is also kept as
    a copy of another when their bodies are near-duplicates, as pages cut from one real page are.)"""
    answers = ['{"code": 500, "msg": "系统繁忙"}', "[1] [2] [3] 下一页",   # not HTML (spiders.base.is_html)
               "", "\ufeff\r\n"]                                     # nothing at all
    fuzz = FuzzPortal([html for _, html, _ in pages(FUZZ_SEED, 12)] + answers, list(cases(FUZZ_SEED, 42))[::2])
    server = TrapServer(fuzz=fuzz).start()
    try:
        result, db, asked = crawl(tmp_path, server, "fuzz", "/fuzz/index.html")
    finally:
        server.stop()
    assert result.returncode == 0, result.stderr.decode()
    page_rows = {r["url"]: r for r in rows(db, "SELECT url, status, error FROM pages")}
    reports = {r["url"]: r for r in rows(db, "SELECT url, title, body, error FROM reports")}
    textless = [url for url, r in reports.items() if not r["body"] and not r["error"]]
    assert not textless, textless   # a row without text says so
    copies = {r["url"] for r in rows(db, "SELECT url FROM copies")}   # a near-duplicate of a stored report
    for k in range(len(fuzz.pages)):
        url = server.url(fuzz.page_url(k))
        assert url in page_rows, url
        assert url in reports or url in copies or page_rows[url]["error"], (k, fuzz.pages[k][:100], page_rows[url])
    files = {r["url"]: r for r in rows(db, "SELECT url, report_url, text, error FROM attachments")}
    for k, (name, _, _) in enumerate(fuzz.files):
        row = files.get(server.url(fuzz.file_url(k)))
        assert row is not None, name
        assert (row["text"] is None) != (row["error"] is None), (name, row)
        assert row["error"] is None or "\n" not in row["error"], (name, row["error"])
        assert row["report_url"] in reports, name   # the cover page is stored, its file's failure beside it
    escaped = [r for r in page_rows.values() if (r["error"] or "").startswith("processing failed")]
    assert not escaped, escaped


def test_the_traps_ran_in_bounded_memory():
    """The largest resident size of any crawl subprocess this module ran (each measured alone)."""
    assert PEAKS, "run with the trap tests above"
    assert 0 < max(PEAKS) < RSS_BOUND_MB, PEAKS
