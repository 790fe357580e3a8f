"""A table page's column facets counted in one pass over its rows, not one SQL pass per facet.

Datasette counts each facet of a table page with its own statement, `select col as value,
count(*) … from (<the page's query>) group by col`: on a search every one of them evaluates the
search again and walks every hit (four default facets: four passes, ~30–50 ms each at 100,000
hits).  The published database changes only at a publish, so the facet columns of a table can
be held in memory per publication generation, as one array of value codes indexed by rowid;
then a page needs the rowids of its rows once (for a search the index answers alone, straight
from the index: no table row is read) and each facet is a `numpy.bincount` of the codes at those
rowids.  The statements are recognised exactly (Datasette's own facet SQL, a plain table, its
columns by name); anything else, and any database without a `publication` row, goes to SQLite
as before.  The answer is the same as the GROUP BY's: values compared as SQLite compares them
(integers and reals by value, text by code point, which is UTF-8 byte order, BINARY), NULL left
out, ordered by count descending then value (numbers before text before blobs), cut at the
same limit.

Consistency: the page's rowids, the generation and the column arrays are read in one read
transaction (one snapshot); arrays of another generation are reloaded.  The rowids are shared
by the facets of one request only (`PAGE` is set per request by serve.py), never across
requests.
"""
from __future__ import annotations

import contextvars
import re
import sqlite3
import threading

import numpy as np

# Datasette 0.65's ColumnFacet.facet_sql, whitespace included: a statement is answered here
# only when it is exactly this text for the columns and the clause parsed out of it
FACET_TEMPLATE = """
                select {col} as value, count(*) as count from (
                    {sql}
                )
                where {col} is not null
                group by {col} order by count desc, value limit {limit}
            """
IDENT = r"(?:\[[^\]]+\]|[A-Za-z_][A-Za-z0-9_]*)"   # a name as Datasette writes it in SQL: bare or [escaped]
_FACET = re.compile(
    r"\s*select (?P<col>" + IDENT + r") as value, count\(\*\) as count from \(\s*"
    r"select (?P<cols>" + IDENT + r"(?:, " + IDENT + r")*) from (?P<table>" + IDENT + r") "
    r"(?P<where>where .*? )?\s*\)\s*where (?P=col) is not null\s*group by (?P=col) "
    r"order by count desc, value limit (?P<limit>\d+)\s*", re.S)
# the filter of a search the index answers alone (datasette/plugins/archive_search.py
# index_filter, on a published file whose reports' rowids are the index's): its rowids are the
# index's own, read without touching the table
_INDEX_ONLY = re.compile(r"where \+?rowid IN \(SELECT rowid FROM \[reports_search\] WHERE "
                         r"\[reports_search\] MATCH :cjk_index_match\) ")
_INDEX_ROWIDS = "SELECT rowid AS r FROM [reports_search] WHERE [reports_search] MATCH :cjk_index_match"
MAX_DISTINCT = 20_000  # a column with more values than this is not a facet worth holding
MAX_VALUE_CHARS = 256   # nor one with long texts (a body, a title): SQLite counts those
PAGE: contextvars.ContextVar[dict | None] = contextvars.ContextVar("facet_page", default=None)


class Facet:
    """One recognised facet statement: the table, the counted column, the page's WHERE clause
    (with Datasette's trailing space, or ''), the limit."""

    def __init__(self, table: str, column: str, where: str, limit: int, columns: list[str]):
        self.table, self.column, self.where, self.limit, self.columns = table, column, where, limit, columns

    @property
    def rowid_sql(self) -> str:
        if self.table == "reports" and _INDEX_ONLY.fullmatch(self.where):
            return _INDEX_ROWIDS
        return f"SELECT rowid AS r FROM [{self.table}] {self.where}"


def unescaped(ident: str) -> str:
    """A name as written in Datasette's SQL (IDENT) → the name."""
    return ident[1:-1] if ident.startswith("[") else ident


def _escaped(name: str) -> str:
    from datasette.utils import escape_sqlite
    return escape_sqlite(name)


def parse(sql) -> Facet | None:
    """The facet statement `sql` is, or None when it is anything else (then SQLite runs it)."""
    if not isinstance(sql, str) or "as value, count(*) as count from (" not in sql:
        return None
    m = _FACET.fullmatch(sql)
    if not m:
        return None
    columns = [unescaped(c) for c in m["cols"].split(", ")]
    table, column, where = unescaped(m["table"]), unescaped(m["col"]), m["where"] or ""
    inner = f"select {m['cols']} from {m['table']} {where}"
    if FACET_TEMPLATE.format(col=m["col"], sql=inner, limit=m["limit"]) != sql \
            or m["col"] != _escaped(column) or m["table"] != _escaped(table) \
            or column not in columns:
        return None
    return Facet(table, column, where, int(m["limit"]), columns)


class Column:
    """One column of one generation: a code per rowid (-1: NULL or no row), the values."""

    def __init__(self, generation, codes: np.ndarray | None, values: list):
        self.generation, self.codes, self.values = generation, codes, values
        self.all_counts = None if codes is None else np.bincount(codes[codes >= 0], minlength=len(values))


def load_column(conn, table: str, column: str, generation) -> Column:
    """The column's codes by rowid, grouped by SQLite itself (its GROUP BY, over the column's
    index); `codes` None when it is no facet column — not the first column of an index (a
    facet of an unindexed column stays the page's own GROUP BY), too many values, long texts:
    those facets stay with SQLite."""
    kind = conn.execute("SELECT type FROM sqlite_master WHERE name = ?", [table]).fetchone()
    names = {row[1].lower() for row in conn.execute(f"PRAGMA table_xinfo([{table}])")}
    if kind is None or kind[0] != "table" or names & {"rowid", "oid", "_rowid_"} \
            or not _leads_an_index(conn, table, column):  # a view has no rowids; a column may hide the rowid
        return Column(generation, None, [])
    top = conn.execute(f"SELECT max(rowid) FROM [{table}]").fetchone()[0] or 0
    codes = np.full(top + 1, -1, dtype=np.int32)
    values: list = []
    groups = conn.execute(f"SELECT [{column}], group_concat(rowid), min(typeof([{column}])) != max(typeof([{column}])) "
                          f"FROM [{table}] WHERE [{column}] IS NOT NULL GROUP BY [{column}] LIMIT {MAX_DISTINCT + 1}")
    for value, rowids, mixed in groups:
        # a group of 2020 and 2020.0 (a column without numeric affinity) shows the value of
        # whichever row SQLite meets last, which depends on the page's rows: SQLite's to say
        if mixed or len(values) >= MAX_DISTINCT or isinstance(value, (str, bytes)) and len(value) > MAX_VALUE_CHARS:
            return Column(generation, None, [])
        codes[as_rowids(rowids)] = len(values)
        values.append(value)
    return Column(generation, codes, values)


def _leads_an_index(conn, table: str, column: str) -> bool:
    for index in conn.execute(f"PRAGMA index_list([{table}])"):
        first = conn.execute(f"PRAGMA index_info([{index[1]}])").fetchone()
        if first is not None and first[2] == column:
            return True
    return False


def as_rowids(listed: str | None) -> np.ndarray:
    """group_concat(rowid)'s text as an array (one string from SQLite: ~4x faster than a row
    per rowid)."""
    if not listed:
        return np.empty(0, dtype=np.int64)
    return np.fromstring(listed, dtype=np.int64, sep=",")


def _order(value) -> tuple:
    """SQLite's ORDER BY for values of different types: numbers, then text, then blobs."""
    return (0, value) if isinstance(value, (int, float)) else (1, value) if isinstance(value, str) else (2, value)


def top_values(column: Column, rowids: np.ndarray | None, limit: int) -> list[tuple]:
    """(value, count) of the rows `rowids` (None: every row), as the GROUP BY orders them."""
    if rowids is None:
        counts = column.all_counts
    else:
        inside = rowids[(rowids >= 0) & (rowids < len(column.codes))]
        codes = column.codes[inside]
        counts = np.bincount(codes[codes >= 0], minlength=len(column.values))
    found = [(column.values[i], int(counts[i])) for i in np.flatnonzero(counts)]
    found.sort(key=lambda vc: (-vc[1], *_order(vc[0])))
    return found[:limit]


class Row(tuple):
    """A result row as Datasette's facet code reads it: row["value"], row["count"], row[0]."""

    names = ("value", "count")

    def __getitem__(self, key):
        return tuple.__getitem__(self, self.names.index(key) if isinstance(key, str) else key)

    def keys(self):
        return list(self.names)


class FacetCounter:
    """Column arrays of one published database, per generation, and the counting."""

    def __init__(self):
        self.columns: dict[tuple[str, str], Column] = {}
        self.lock = threading.Lock()

    def count(self, conn, facet: Facet, params, page: dict | None) -> list[Row] | None:
        """The facet's rows, read in one snapshot; None when it is not for here (no
        publication row, no facet column): the caller runs the statement itself."""
        conn.execute("BEGIN")
        try:
            generation = generation_of(conn)
            if generation is None:
                return None
            if page is not None:  # the page's other facets: this snapshot's (count_held)
                page.setdefault("generation", generation)
            column = self._column(conn, facet, generation)
            if column.codes is None:
                return None
            rowids = None if not facet.where else self._rowids(conn, facet, params, generation, page)
        finally:
            end_read(conn)
        return [Row(vc) for vc in top_values(column, rowids, facet.limit)]

    def prepare(self, conn, facet: Facet) -> None:
        """The facet's column loaded for the current generation, if it is not: the caller
        runs this under the statement time limit, the counting under the facets' shorter one
        (a column is loaded once per publication, the first page after a publish pays it)."""
        conn.execute("BEGIN")
        try:
            generation = generation_of(conn)
            if generation is not None:
                self._column(conn, facet, generation)
        finally:
            end_read(conn)

    def _column(self, conn, facet: Facet, generation) -> Column:
        key = (facet.table, facet.column)
        with self.lock:  # one load per column and generation, however many facets ask
            column = self.columns.get(key)
            if column is None or column.generation != generation:
                column = self.columns[key] = load_column(conn, facet.table, facet.column, generation)
            return column

    def count_held(self, facet: Facet, params, page: dict | None) -> list[Row] | None:
        """The facet's rows without a trip to a SQL thread, when this request has read its
        rows (or the index's hits) already, in a snapshot of generation G, and the column's
        array is of G: a page's first facet takes a trip, the others none."""
        if page is None:
            return None
        if facet.rowid_sql == _INDEX_ROWIDS and isinstance(params, dict):
            held = page.get(("index", params.get(MATCH_PARAM))) or {}
            generation, rowids = held.get("generation"), held.get("rowids")
        else:
            generation = page.get("generation")
            rowids = None if not facet.where else \
                (page.get((generation, facet.rowid_sql, facet.table, _frozen(params))) or {}).get("rowids")
            if facet.where and rowids is None:
                return None
        column = self.columns.get((facet.table, facet.column))
        if generation is None or (facet.where and rowids is None) or column is None \
                or column.codes is None or column.generation != generation:
            return None
        return [Row(vc) for vc in top_values(column, rowids, facet.limit)]

    @staticmethod
    def _rowids(conn, facet: Facet, params, generation, page: dict | None) -> np.ndarray:
        """The page's rowids, fetched once for all of its facets (the first facet to ask
        fetches, the others wait for it)."""
        if facet.rowid_sql == _INDEX_ROWIDS and isinstance(params, dict):
            return index_hits(conn, params.get(MATCH_PARAM), generation, page)["rowids"]

        def fetch():
            return as_rowids(conn.execute(f"SELECT group_concat(r) FROM ({facet.rowid_sql})",
                                          params or {}).fetchone()[0])
        if page is None:
            return fetch()
        key = (generation, facet.rowid_sql, facet.table, _frozen(params))
        with page.setdefault("lock", threading.Lock()):
            slot = page.setdefault(key, {"lock": threading.Lock()})
        with slot["lock"]:
            if "rowids" not in slot:
                slot["rowids"] = fetch()
            return slot["rowids"]


MATCH_PARAM = "cjk_index_match"


def index_hits(conn, expression, generation, page: dict | None) -> dict:
    """{generation, listed (group_concat's text), rowids} of the index's hits for
    `expression`, read in the caller's transaction (of `generation`); fetched once per
    request: its rows, its count and its facets share them (one evaluation of the index
    instead of three — a phrase of five common bigrams costs ~40 ms at 100,000 reports)."""
    def fetch():
        listed = conn.execute(f"SELECT group_concat(r) FROM ({_INDEX_ROWIDS})",
                              {MATCH_PARAM: expression}).fetchone()[0]
        return {"generation": generation, "listed": listed or "", "rowids": as_rowids(listed)}
    if page is None:
        return fetch()
    with page.setdefault("lock", threading.Lock()):
        slot = page.setdefault(("index", expression), {"lock": threading.Lock()})
    with slot["lock"]:
        if slot.get("generation") != generation:
            slot.update(fetch())
        return slot


def end_read(conn) -> None:
    """End a read transaction even when the time limit has fired: its progress handler would
    interrupt the COMMIT too, and the connection (one of Datasette's, reused by every later
    request on its thread) would stay on that old snapshot."""
    if conn.in_transaction:
        conn.set_progress_handler(None, 0)
        conn.execute("COMMIT")


def generation_of(conn):
    """The publication's generation in the connection's current transaction, or None."""
    try:
        row = conn.execute("SELECT generation FROM publication WHERE id = 1").fetchone()
    except sqlite3.Error:
        return None
    return row[0] if row is not None else None


def _frozen(params) -> tuple:
    if isinstance(params, dict):
        return tuple(sorted((k, repr(v)) for k, v in params.items()))
    return tuple(repr(v) for v in params or ())
