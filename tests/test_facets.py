"""Facet counts from the published file's column arrays (crawler/publish/facets.py) are SQLite's
own: the same statement run by SQLite and by the counter gives the same rows, on values of
every type; through Datasette, every facet of a table page equals a plain GROUP BY of the
reports the page shows; a publish changes the counts.  And a crowd of readers on a cold page
renders it once (the response cache's coalescing)."""
from __future__ import annotations

import sqlite3
import time
from urllib.parse import quote

import pytest
from test_publish import Site
from test_search import truth

from crawler.publish import facets
from crawler.store import Store
from crawler.store.publish import publish

MIXED = [2020, 2021.0, "2020", 7, 7, 7.5, "b", "a", "a", "A", "é", "e", "", None, None, b"\x00", b"z", b"z",
         -1, 0, 0.5, "北京市", "北京市", "天津市", 3, "3", 10**15]


@pytest.fixture()
def mixed(tmp_path):
    conn = sqlite3.connect(tmp_path / "mixed.db", isolation_level=None)
    conn.execute("CREATE TABLE t (k TEXT PRIMARY KEY, v, w INTEGER, body TEXT, u TEXT)")
    for column in ("v", "w", "body"):  # facet columns lead an index (the published file's)
        conn.execute(f"CREATE INDEX t_{column} ON t ({column})")
    conn.execute("CREATE TABLE publication (id INTEGER PRIMARY KEY, generation INTEGER)")
    conn.execute("INSERT INTO publication VALUES (1, 1)")
    for i, value in enumerate(MIXED * 3):
        conn.execute("INSERT INTO t VALUES (?, ?, ?, ?, ?)", [f"k{i}", value, i % 4 or None, "x" * (i * 20), "u"])
    conn.execute("DELETE FROM t WHERE k IN ('k3', 'k40')")  # holes in the rowids
    yield conn
    conn.close()


def statement(column: str, where: str = "", limit: int = 31, table: str = "t",
              columns: str = "k, v, w, body, u") -> str:
    """Datasette's facet statement for a page of `table` filtered by `where`."""
    return facets.FACET_TEMPLATE.format(col=column, sql=f"select {columns} from {table} {where}", limit=limit)


@pytest.mark.parametrize("where, params", [
    ("", {}),
    ("where w = :p0 ", {"p0": 2}),
    ("where w is null ", {}),
    ("where k > :p0 and (v is not null or w = 1) ", {"p0": "k2"}),
    ("where rowid % 3 = 0 ", {}),
    ("where 0 ", {}),
    ("where k = :p0 ", {"p0": "k1"}),
])
@pytest.mark.parametrize("column, limit", [("v", 31), ("v", 4), ("w", 31), ("k", 2)])
def test_counts_are_sqlites_own(mixed, where, params, column, limit):
    sql = statement(column, where, limit)
    facet = facets.parse(sql)
    assert facet is not None and facet.column == column and facet.where == where
    counted = facets.FacetCounter().count(mixed, facet, params, {})
    assert counted is not None
    typed = lambda rows: [(type(v), v, type(n), n) for v, n in rows]  # noqa: E731 - 2020 is not 2020.0
    assert typed(counted) == typed(mixed.execute(sql, params).fetchall())
    assert [row["value"] for row in counted] == [row[0] for row in counted]


def test_other_statements_are_left_to_sqlite(mixed):
    assert facets.parse("select v as value, count(*) as count from t group by v") is None
    assert facets.parse(statement("v").replace("order by count desc, value", "order by value")) is None
    assert facets.parse(statement("v").replace("\n", " ")) is None
    assert facets.parse(statement("v", columns="k, w, u")) is None  # the column is not in the page
    assert facets.parse(statement("v", columns="k, v as x, w, u")) is None
    assert facets.parse(None) is None
    # long texts are no facet column, nor a column without an index: SQLite counts them
    assert facets.FacetCounter().count(mixed, facets.parse(statement("body")), {}, {}) is None
    assert facets.FacetCounter().count(mixed, facets.parse(statement("u")), {}, {}) is None
    # no publication row: nothing held in memory can be tied to a generation
    mixed.execute("DELETE FROM publication")
    assert facets.FacetCounter().count(mixed, facets.parse(statement("v")), {}, {}) is None


def test_a_new_generation_is_counted_anew(mixed):
    counter, sql = facets.FacetCounter(), statement("w")
    before = [tuple(r) for r in counter.count(mixed, facets.parse(sql), {}, {})]
    mixed.execute("BEGIN")
    mixed.execute("UPDATE t SET w = 9 WHERE w = 1")
    mixed.execute("UPDATE publication SET generation = 2")
    mixed.execute("COMMIT")
    after = [tuple(r) for r in counter.count(mixed, facets.parse(sql), {}, {})]
    assert after != before and after == mixed.execute(sql).fetchall()


# -- through Datasette ----------------------------------------------------------------------
@pytest.fixture(scope="module")
def site(tmp_path_factory):
    served = Site(tmp_path_factory.mktemp("facets"))
    yield served
    served.loop.close()


def expected(site, urls: set[str] | None, column: str, size: int = 30, table: str = "reports"):
    """A plain GROUP BY over the reports (or deadline rows) the page shows."""
    conn = sqlite3.connect(f"file:{site.published}?mode=ro", uri=True)
    try:
        rows = conn.execute(f"SELECT [{column}], url FROM [{table}] WHERE [{column}] IS NOT NULL").fetchall()
    finally:
        conn.close()
    counts: dict = {}
    for value, url in rows:
        if urls is None or url in urls:
            counts[value] = counts.get(value, 0) + 1
    ordered = sorted(counts.items(), key=lambda vc: (-vc[1], isinstance(vc[0], str), vc[0]))
    return ordered[:size], len(ordered) > size


def shown(site, where: str, predicate) -> set[str]:
    conn = sqlite3.connect(f"file:{site.published}?mode=ro", uri=True)
    try:
        return {url for (url,) in conn.execute(f"SELECT url FROM reports WHERE {where}", predicate)}
    finally:
        conn.close()


@pytest.mark.parametrize("query", ["执法", "行政复议", "复议 调解", "12345政务服务", "LED", "行政复议 台风", "法"])
def test_search_facets_equal_a_group_by_of_the_hits(site, query):
    data = site.json(f"/archive/reports.json?_search={quote(query)}&_facet=site&_facet_size=3")
    hits = truth(site.reports, query)
    assert data["filtered_table_rows_count"] == len(hits)
    for column in ("report_type", "year", "province", "publisher", "site"):
        facet = data["facet_results"][column]
        assert ([(r["value"], r["count"]) for r in facet["results"]], facet["truncated"]) == \
            expected(site, hits, column, size=3), column
    held = site.datasette.get_database("archive")._facet_counter.columns
    assert {("reports", c) for c in ("report_type", "year", "province", "publisher", "site")} <= \
        {key for key, column in held.items() if column.codes is not None}  # counted there, not by SQLite


def test_table_facets_equal_a_group_by(site):
    year = next(r["year"] for r in site.reports if r["year"])
    for address, urls in [
        ("/archive/reports.json", None),
        (f"/archive/reports.json?year={year}", shown(site, "year = ?", [year])),
        (f"/archive/reports.json?year__gt={year}&_facet=status", shown(site, "year > ?", [year])),
        (f"/archive/reports.json?_search={quote('执法')}&year={year}",
         truth(site.reports, "执法") & shown(site, "year = ?", [year])),
    ]:
        data = site.json(address)
        for column, facet in data["facet_results"].items():
            assert ([(r["value"], r["count"]) for r in facet["results"]], facet["truncated"]) == \
                expected(site, urls, column), (address, column)


def test_deadline_facets_equal_a_group_by(site):
    data = site.json("/archive/report_deadlines.json?timeliness=no_date")
    conn = sqlite3.connect(f"file:{site.published}?mode=ro", uri=True)
    try:
        urls = {u for (u,) in conn.execute("SELECT url FROM report_deadlines WHERE timeliness = 'no_date'")}
    finally:
        conn.close()
    for column, facet in data["facet_results"].items():
        assert [(r["value"], r["count"]) for r in facet["results"]] == \
            expected(site, urls, column, table="report_deadlines")[0], column


def test_a_publish_changes_the_counts(site):
    before = {r["value"]: r["count"] for r in site.json("/archive/reports.json")["facet_results"]["province"]["results"]}
    added = {"url": "http://new.example.gov.cn/1.html", "title": "新报告", "body": "执法检查",
             "site": "seed", "province": "西藏自治区", "year": 2024}
    store = Store(site.source)
    store.save_report(added)
    store.close()
    site.reports.append(added)  # what the module's later tests search
    publish(site.source)
    time.sleep(1.2)  # the publication row is re-read once a second
    after = {r["value"]: r["count"] for r in site.json("/archive/reports.json")["facet_results"]["province"]["results"]}
    assert after == {**before, "西藏自治区": before.get("西藏自治区", 0) + 1}
    searched = site.json(f"/archive/reports.json?_search={quote('执法检查')}")["facet_results"]["province"]["results"]
    assert {"value": "西藏自治区", "count": 1} in [{k: r[k] for k in ("value", "count")} for r in searched]


def test_a_group_of_numbers_of_two_types_is_left_to_sqlite(mixed):
    """2020 and 2020.0 are one group, shown as the value of whichever of its rows SQLite
    meets last — which depends on the page's rows: not something an array can say."""
    mixed.execute("UPDATE t SET v = 2020.0 WHERE k = 'k1'")
    sql = statement("v", "where k = :p0 ")
    assert mixed.execute(sql, {"p0": "k1"}).fetchall() == [(2020.0, 1)]
    assert facets.FacetCounter().count(mixed, facets.parse(sql), {"p0": "k1"}, {}) is None


def test_views_are_left_to_sqlite(mixed):
    mixed.execute("CREATE VIEW tv AS SELECT k, v, w, body, u FROM t WHERE w IS NOT NULL")
    sql = statement("v", "where w = :p0 ", table="tv")
    assert facets.FacetCounter().count(mixed, facets.parse(sql), {"p0": 1}, {}) is None
    mixed.execute("CREATE TABLE r (k TEXT PRIMARY KEY, v, rowid TEXT)")  # a column hiding the rowid
    mixed.execute("CREATE INDEX r_v ON r (v)")
    sql = statement("v", "where k > '' ", table="r", columns="k, v, rowid")
    assert facets.FacetCounter().count(mixed, facets.parse(sql), {}, {}) is None


def test_a_crowd_on_a_cold_page_renders_it_once(site):
    """Readers asking at once for a page nobody has asked for in this publication wait for the
    one rendering of it (datasette/plugins/archive_publication.py) and get the same bytes."""
    import asyncio

    from datasette.plugins import pm
    from datasette.utils import tilde_encode
    plugin = next(m for m in pm.get_plugins() if getattr(m, "ResponseCache", None))
    cache = plugin._response_cache(site.datasette)
    address = f"/archive/reports/{tilde_encode(site.reports[3]['url'])}?q={quote('执法')}"
    site.get("/archive")  # after a publish, the first request starts re-rendering the popular
    site.loop.run_until_complete(asyncio.gather(*plugin._background))  # pages: let that end
    before = cache.renders

    async def crowd():
        return await asyncio.gather(*(site.datasette.client.get(address) for _ in range(6)))
    answers = site.loop.run_until_complete(crowd())
    assert {a.status_code for a in answers} == {200}
    assert cache.renders == before + 1
    assert len({a.content for a in answers}) == 1 and site.reports[3]["title"] in answers[0].text
    site.get(address)
    assert cache.renders == before + 1  # and then from the cache


@pytest.mark.parametrize("query", ["执法", "复议", "调解 普法", "法"])
def test_search_rows_and_counts_from_the_shared_hits_are_exact(site, query):
    """A search's rows (all of them, in the sort order, and the first page) and count come from the hits
    fetched once per request: the same as the reports containing the query, in the order
    SQLite gives for the same sort over the same filter."""
    hits = truth(site.reports, query)
    data = site.json(f"/archive/reports.json?_search={quote(query)}&_size=max&_col=published_date")
    assert data["filtered_table_rows_count"] == len(hits)
    listed = [row[0] for row in data["rows"]]
    assert set(listed) == hits and len(listed) == len(hits)
    first = site.json(f"/archive/reports.json?_search={quote(query)}&_size=2&_col=published_date")
    assert [row[0] for row in first["rows"]] == listed[:2] and first["filtered_table_rows_count"] == len(hits)
    conn = sqlite3.connect(f"file:{site.published}?mode=ro", uri=True)
    try:
        dated = dict(conn.execute("SELECT url, published_date FROM reports"))
    finally:
        conn.close()
    dates = [dated[u] for u in listed]
    assert dates == sorted(dates, key=lambda d: (d is not None, d), reverse=True)  # newest first, undated last


def test_a_facet_past_the_time_limit_leaves_no_transaction_open(mixed):
    """Interrupted by the time limit, the counter still ends its read transaction: the
    connection is Datasette's, and later requests on it must see later publications."""
    from datasette.utils import sqlite_timelimit
    slow = "where (SELECT count(*) FROM t a, t b, t c, t d, t e) > 0 "
    with sqlite_timelimit(mixed, 20), pytest.raises(sqlite3.OperationalError, match="interrupted"):
        facets.FacetCounter().count(mixed, facets.parse(statement("v", slow)), {}, {})
    assert not mixed.in_transaction
    mixed.execute("UPDATE publication SET generation = 7")  # and it writes, so it is not stuck
    assert mixed.execute("SELECT generation FROM publication").fetchone() == (7,)
