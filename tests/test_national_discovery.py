"""Home page only: four governments' portals on real-looking host names (served on loopback, found
through a mapping DNS resolver), their report columns discovered by the crawl, and `coverage`
compared with what the pages say (tests/fixtures/national/truth.json, built by build.py).

Bars (issue 11): ≥ 95% of each report type found, no look-alike kept as a report, no host outside
each government's domain fetched (decoy hosts must receive no request at all), and coverage
equal to the truth for every government, year and report type.
"""
from __future__ import annotations

import contextlib
import json
import sqlite3
from datetime import date
from urllib.parse import urlsplit

import pytest

from crawler.devtools.fixture_server import FixtureServer
from tests.conftest import FIXTURES, run_cli

NATIONAL = FIXTURES / "national"
TRUTH = json.loads((NATIONAL / "truth.json").read_text(encoding="utf-8"))
FZ, XXGK = "法治政府建设年度报告", "政府信息公开工作年度报告"
RESOLVER = "crawler.devtools.resolver.MappingResolver"


@pytest.fixture(scope="module")
def crawled(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("national")
    with contextlib.ExitStack() as stack:
        servers = {}
        for host, address in TRUTH["hosts"].items():
            server = FixtureServer(NATIONAL / "hosts" / host, host=address, port=80).start()
            stack.callback(server.stop)
            servers[host] = server
        sites = tmp / "sites.yaml"
        sites.write_text(json.dumps({"sites": [
            {"name": s["name"], "title": s["title"], "region": s["region"], "level": s["level"],
             "scope": "domain", "start_urls": [s["start"]]} for s in TRUTH["sites"]]},
            ensure_ascii=False), encoding="utf-8")
        db = tmp / "archive.db"
        done = run_cli("crawl", "--sites", str(sites), "--db", str(db),
                       "-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=False",
                       "-s", f"TWISTED_DNS_RESOLVER={RESOLVER}",
                       "-s", f"LOOPBACK_HOSTS={json.dumps(TRUTH['hosts'])}")
        assert done.returncode == 0, done.stderr.decode()[-2000:]
        logs = {host: server.requested() for host, server in servers.items()}
    conn = sqlite3.connect(db)
    conn.row_factory = sqlite3.Row
    yield {"conn": conn, "logs": logs, "summary": done.stdout.decode()}
    conn.close()


def rows(crawled, sql, *params):
    return [dict(r) for r in crawled["conn"].execute(sql, params)]


def found_share(crawled, kind: str) -> tuple[int, int]:
    stored = {(r["url"], r["report_type"], r["year"]) for r in rows(crawled, "SELECT url, report_type, year FROM reports")}
    expected = [(r["url"], r["report_type"], r["year"]) for r in TRUTH["reports"] if r["report_type"] == kind]
    return sum(e in stored for e in expected), len(expected)


@pytest.mark.parametrize("kind", [FZ, XXGK])
def test_reports_are_found_from_the_home_page(crawled, kind):
    hit, total = found_share(crawled, kind)
    print(f"\n{kind}: {hit}/{total} found ({hit / total:.1%})")
    assert hit / total >= 0.95


def test_no_lookalike_is_kept_as_a_report(crawled):
    typed = {r["url"] for r in rows(crawled, "SELECT url FROM reports WHERE report_type IN (?, ?)", FZ, XXGK)}
    assert not typed & set(TRUTH["lookalikes"])
    truth = {r["url"] for r in TRUTH["reports"]}
    print(f"\nprecision: {len(typed & truth)}/{len(typed)} typed rows are reports")
    assert typed <= truth


def test_nothing_outside_each_governments_domain_is_fetched(crawled):
    for row in rows(crawled, "SELECT url, site FROM pages"):
        assert urlsplit(row["url"]).hostname in TRUTH["portal_hosts"][row["site"]], row
    for host in TRUTH["decoys"]:
        assert crawled["logs"][host] == [], host
    for site, hosts in TRUTH["portal_hosts"].items():   # every host of the domain was needed, and reached
        fetched = {urlsplit(r["url"]).hostname for r in rows(crawled, "SELECT url FROM pages WHERE site = ?", site)}
        assert fetched == set(hosts), site


def expected_coverage() -> dict[tuple[str, int, str], str]:
    """Status per (region, year, type) from the truth's own reports: the best one counts."""
    ranks = {}
    for r in TRUTH["reports"]:
        if not r["own"]:
            continue
        published = r["published"]
        rank = 3 if published is None else (1 if published <= f"{r['year'] + 1}-03-31" else 2)
        key = (r["region"], r["year"], r["report_type"])
        ranks[key] = min(rank, ranks.get(key, 9))
    names = {1: "on_time", 2: "late", 3: "no_date"}
    return {(s["region"], year, kind): names.get(ranks.get((s["region"], year, kind)), "missing")
            for s in TRUTH["sites"] for year in range(2019, date.today().year) for kind in (FZ, XXGK)}


def test_coverage_agrees_with_the_truth(crawled):
    got = {(r["region_code"], r["year"], r["report_type"]): r["status"]
           for r in rows(crawled, "SELECT region_code, year, report_type, status FROM coverage")}
    expected = expected_coverage()
    wrong = {k: (got.get(k), v) for k, v in expected.items() if got.get(k) != v}
    print(f"\ncoverage: {len(expected) - len(wrong)}/{len(expected)} cells agree")
    assert set(got) == set(expected)
    assert wrong == {}


def test_departments_and_townships_are_listed_under_their_government(crawled):
    listed = {r["url"]: r for r in rows(crawled, "SELECT url, issuer_type, region_code FROM reports")}
    for r in TRUTH["reports"]:
        if r["url"] in listed:
            assert (listed[r["url"]]["issuer_type"] == "government") is r["own"], r["url"]
    counted = sum(r["department_reports"] for r in rows(crawled, "SELECT department_reports FROM coverage"))
    assert counted == sum(not r["own"] for r in TRUTH["reports"])
