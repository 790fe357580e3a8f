"""Re-crawls that change nothing: every fixture portal, every hold-out round and the demo,
crawled twice with nothing changed, keep exactly what one crawl stored.

Compared are the rows users read — reports, versions, copies, attachments — without the
columns that only say when a row was last confirmed (last_seen, fetched_at, found_at).
A withdrawn document (a meta refresh back to its column, answered 304 the second time)
must not become a row, and no report may be stored without a body.
"""
from __future__ import annotations

import sqlite3
from contextlib import ExitStack

import pytest

from crawler.devtools import demo
from crawler.devtools.fixture_server import FixtureServer
from tests.conftest import FIXTURES, run_cli
from tests.holdout import FAST, ROUNDS, Round

TABLES = {"reports": "url", "versions": "url, sha256", "copies": "url", "attachments": "url"}
WHEN = {"last_seen", "fetched_at", "found_at", "id"}


def stored(db) -> dict[str, list[dict]]:
    """What the archive holds, minus the timestamps a confirming re-crawl may move."""
    with sqlite3.connect(db) as conn:
        conn.row_factory = sqlite3.Row
        return {table: [{k: r[k] for k in r.keys() if k not in WHEN}
                        for r in conn.execute(f"SELECT * FROM {table} ORDER BY {order}")]
                for table, order in TABLES.items()}


def twice(tmp_path, sites) -> tuple[dict, dict]:
    db = tmp_path / "a.db"
    snapshots = []
    for _ in range(2):
        result = run_cli("crawl", "--sites", str(sites), "--db", str(db), "-q",
                         "--log-file", str(tmp_path / "crawl.log"), *FAST)
        assert result.returncode == 0, result.stderr.decode()
        snapshots.append(stored(db))
    return snapshots[0], snapshots[1]


def portal_sites(tmp_path, directory, stack) -> object:
    server = FixtureServer(directory, host="127.0.0.1", port=0).start()
    stack.callback(server.stop)
    sites = tmp_path / "sites.yaml"
    sites.write_text(demo.sites_yaml([server]), encoding="utf-8")
    return sites


CASES = [pytest.param(("portal", d), id=f"portal-{d.name}") for d in demo.portal_dirs()] + \
        [pytest.param(("round", d), id=d.name) for d in ROUNDS]


@pytest.mark.parametrize("case", CASES)
def test_a_second_crawl_changes_nothing(tmp_path, case):
    kind, directory = case
    with ExitStack() as stack:
        if kind == "portal":
            sites = portal_sites(tmp_path, directory, stack)
        else:
            sites, _ = stack.enter_context(Round(directory).serving(tmp_path))
        first, second = twice(tmp_path, sites)
    assert first["reports"], "the portal published reports"
    for table in TABLES:
        assert second[table] == first[table], table
    assert all(r["body"] for r in second["reports"]), "a report without a body"


def test_the_demo_crawled_twice_has_the_rows_of_one_crawl(tmp_path):
    db = tmp_path / "demo.db"
    snapshots = []
    for _ in range(2):
        result = run_cli("demo", "--no-serve", "--db", str(db))
        assert result.returncode == 0, result.stderr.decode()
        snapshots.append(stored(db))
    assert snapshots[1] == snapshots[0]
    assert all(r["body"] for r in snapshots[1]["reports"])


def test_a_withdrawn_document_answering_304_is_no_report(tmp_path):
    """The jiyue portal's withdrawn page (a meta refresh back to its column) sends validators:
    the second crawl gets a 304 for it and must still see it as sent back, not as a report."""
    with ExitStack() as stack:
        sites = portal_sites(tmp_path, FIXTURES / "portals" / "jiyue", stack)
        first, second = twice(tmp_path, sites)
    urls = {r["url"] for r in second["reports"]}
    assert not any("withdrawn" in u or "t20170118" in u for u in urls)
    assert len(second["reports"]) == len(first["reports"])
