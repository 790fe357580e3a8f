"""The published database: the lean, live copy of the archive that `serve` shows.

`archive.published.db` beside `archive.db` holds what readers need — the reports, their
search index, versions, copies, attachments, pages, crawl runs and every analysis table or
view — and not the raw bytes (`snapshots`), the fetch history (`fetches`) or the near-duplicate
signatures (`signatures`), which stay in the archive for `raw`, `warc` and the crawler.

It is kept up to date incrementally.  Triggers on the archive's published tables append the
key of every inserted, updated or deleted row to `publish_log` (inside the writer's own
transaction, so the log is exactly as durable as the change).  `publish()` then, in ONE
transaction on the published file:

- reads the log's high-water mark and, from the same read snapshot of the archive, replaces
  every logged row by its current state (or deletes it);
- re-tokenizes only the reports whose text hash changed (contentless FTS5 needs the old
  tokens to delete, and the published file has the old text);
- records the generation, the time and "data as of" (the last crawl's end) in `publication`.

Each published report's rowid is its search index rowid (`reports_search_rows.id`), and
`PRAGMA user_version` says so (cjk_search.ALIGNED_USER_VERSION): a search then reads the
reports its index names directly, with no join through the rows table, and the count and
facets of a common term cost one pass over an index instead of a lookup per hit.

A version's text is not repeated: the published `versions.body` is NULL for a version whose
text is the report's current text (same `sha256`, same body), which `reports.body` already
holds — after one crawl that is every version.  The view `versions_text` (same columns,
`coalesce(versions.body, reports.body)`) gives every version's text, and the reading and diff
views read that way.  When a report is revised its versions are all re-copied (the old one
then gets its own body back), so the published file never loses a text.  Likewise `sections`
(SPANS): the published file holds `section_spans` — the archive's columns, `text` NULL where it
is a slice of the report's body, with `text_start` and `text_length` — and a view `sections`
of the archive's columns that cuts each text out of `reports.body`; a changed report's spans
are made again (a section of the old text the new body lacks keeps its own text).

Readers (serve opens the file read-only, WAL mode) see the old state until that commit and
the new one after it — the commit is the swap.  Log entries are cleared from the archive only
after the commit; replaying one twice is harmless (a row is copied as it is now).

A full publish — every published table copied, the FTS index copied block for block from the
archive's own — happens when there is no published file yet, or when it no longer matches the
archive: a table's schema changed, a table appeared or went, a log trigger is missing, the
index version changed, or the log was consumed beyond what the published file has seen.
"""
from __future__ import annotations

import sqlite3
import time
from datetime import UTC, datetime
from pathlib import Path

from cjk_search import ALIGNED_USER_VERSION, FTS_TABLE, INDEX_VERSION, ROWS_TABLE, index_text

EXCLUDED = ("snapshots", "fetches", "signatures",  # stay in the archive: raw, warc, dedup
            "_sqlite_migrations")  # the archive's schema history, not data
LOG, CURSOR, STATE = "publish_log", "publish_cursor", "publication"
FTS_SHADOWS = ("data", "idx", "config", "docsize", "content")
# indexes only the published file has: the table page's default sort and its facets; and the
# sorts by 发布日期 and 年度 in the order the table page asks for them, ties by the key (serve.py
# _ties_broken: `ORDER BY published_date DESC, url`), so that a search's first page is read
# down an index and stops after a page of hits instead of sorting every hit (35,000 hits at
# 100,000 reports: 280 ms instead of 80).  A column ending " desc" is indexed descending.
EXTRA_INDEXES = {
    "reports": [("published_date",), ("report_type",), ("year",), ("province",),
                ("publisher",), ("status",),
                ("published_date desc", "url"), ("published_date", "url"),
                ("year desc", "url"), ("year", "url")],
    "pages": [("sha256",)],  # the raw snapshot route finds a page's content type by it
}
# views the published file holds as tables, refreshed by key with the rows they derive from:
# a page of report_deadlines (CASE and printf over every report, once per facet) costs an
# index lookup instead.  {view: (table it derives from, its key column = that table's key)}
MATERIALIZED = {"report_deadlines": ("reports", "url")}
MATERIALIZED_INDEXES = {"report_deadlines": [("url",), ("timeliness",), ("year",), ("report_type",),
                                             ("days_late",)]}
# tables whose text is mostly a slice of the report's body: published as {table: (spans table,
# its report column)}, each row's text kept only where it is not in the body (else NULL, with
# its start and length), and `table` a view of the same columns that cuts the text out again
SPANS = {"sections": ("section_spans", "report_url")}
VIEWS_SQL = "CREATE TABLE IF NOT EXISTS publication_views (name TEXT PRIMARY KEY, sql TEXT)"
STATE_SQL = (f"CREATE TABLE IF NOT EXISTS {STATE} (id INTEGER PRIMARY KEY CHECK (id = 1), "
             "generation INTEGER NOT NULL, published_at TEXT NOT NULL, data_as_of TEXT, "
             "log_id INTEGER NOT NULL, source TEXT, reports INTEGER, mode TEXT)")


def published_path(archive: str | Path) -> Path:
    """archive.db → archive.published.db, in the same directory."""
    archive = Path(archive)
    return archive.with_name(f"{archive.stem}.published{archive.suffix or '.db'}")


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


# -- the archive side: which tables, their keys, the change log ------------------------------
def published_tables(conn: sqlite3.Connection, schema: str = "main") -> dict[str, str]:
    """{table: CREATE sql} of the tables that are published (everything but the excluded, the
    log, SQLite's own, the search index — handled apart — and other virtual tables)."""
    rows = conn.execute(f"SELECT name, sql FROM {schema}.sqlite_master WHERE type = 'table'").fetchall()
    virtual = [n for n, sql in rows if sql and sql.upper().startswith("CREATE VIRTUAL")]
    shadow = {f"{v}_{s}" for v in virtual for s in FTS_SHADOWS}
    skip = {*EXCLUDED, LOG, CURSOR, STATE, ROWS_TABLE, "publication_views", *MATERIALIZED,
            *virtual, *shadow, *(spans for spans, _ in SPANS.values())}
    return {n: sql for n, sql in rows if n not in skip and not n.startswith("sqlite_")}


def key_columns(conn: sqlite3.Connection, table: str, schema: str = "main") -> list[str]:
    """The declared primary key, else the rowid (never a BLOB: the log keys are JSON)."""
    info = conn.execute(f"PRAGMA {schema}.table_info([{table}])").fetchall()
    pk = [r[1] for r in sorted(info, key=lambda r: r[5]) if r[5]]
    if not pk or any((r[2] or "").upper() == "BLOB" for r in info if r[1] in pk):
        return ["rowid"]
    return pk


def _trigger_names(table: str) -> list[str]:
    return [f"{LOG}_{table}_{op}" for op in ("ins", "upd", "del")]


def _triggers(table: str, key: list[str]) -> list[str]:
    def ref(row):
        return "json_array(" + ", ".join(f"{row}.[{c}]" if c != "rowid" else f"{row}.rowid"
                                         for c in key) + ")"
    ins, upd, dele = _trigger_names(table)
    quoted = table.replace("'", "''")
    return [
        f"CREATE TRIGGER IF NOT EXISTS [{ins}] AFTER INSERT ON [{table}] BEGIN "
        f"INSERT INTO {LOG}(tbl, pk) VALUES ('{quoted}', {ref('NEW')}); END",
        f"CREATE TRIGGER IF NOT EXISTS [{upd}] AFTER UPDATE ON [{table}] BEGIN "
        f"INSERT INTO {LOG}(tbl, pk) VALUES ('{quoted}', {ref('NEW')}); "
        f"INSERT INTO {LOG}(tbl, pk) SELECT '{quoted}', {ref('OLD')} "
        f"WHERE {ref('OLD')} IS NOT {ref('NEW')}; END",
        f"CREATE TRIGGER IF NOT EXISTS [{dele}] AFTER DELETE ON [{table}] BEGIN "
        f"INSERT INTO {LOG}(tbl, pk) VALUES ('{quoted}', {ref('OLD')}); END",
    ]


def install_log(archive: sqlite3.Connection) -> bool:
    """The change log and its triggers on every published table; True when something was
    missing (changes may have gone unlogged, so the next publish must be a full one)."""
    archive.execute("BEGIN IMMEDIATE")
    try:
        archive.execute(f"CREATE TABLE IF NOT EXISTS {LOG} (id INTEGER PRIMARY KEY AUTOINCREMENT, "
                        "tbl TEXT NOT NULL, pk TEXT NOT NULL)")
        archive.execute(f"CREATE TABLE IF NOT EXISTS {CURSOR} (id INTEGER PRIMARY KEY CHECK (id = 1), "
                        "cleared_to INTEGER NOT NULL)")
        archive.execute(f"INSERT OR IGNORE INTO {CURSOR} VALUES (1, 0)")
        present = {r[0] for r in archive.execute(
            "SELECT name FROM sqlite_master WHERE type = 'trigger'")}
        missing = False
        for table in published_tables(archive):
            if not set(_trigger_names(table)) <= present:
                missing = True
                for sql in _triggers(table, key_columns(archive, table)):
                    archive.execute(sql)
        archive.execute("COMMIT")
    except BaseException:
        archive.execute("ROLLBACK")
        raise
    return missing


def _clear_log(archive: sqlite3.Connection, upto: int) -> None:
    """Forget the log entries the published file now reflects."""
    archive.execute("BEGIN IMMEDIATE")
    try:
        archive.execute(f"DELETE FROM {LOG} WHERE id <= ?", [upto])
        archive.execute(f"UPDATE {CURSOR} SET cleared_to = max(cleared_to, ?) WHERE id = 1", [upto])
        archive.execute("COMMIT")
    except BaseException:
        archive.execute("ROLLBACK")
        raise


# -- the published side ----------------------------------------------------------------------
def _open_source(archive: Path) -> tuple[sqlite3.Connection, str]:
    """The archive to publish from, and the URI to ATTACH it by. Writable where it can be (the
    change log lives in it); on a read-only medium SQLite cannot even keep a WAL archive's
    index (-shm), and the archive is read as the read-only commands read it (Store readonly):
    mode=ro, else immutable (nothing can be writing on a read-only medium)."""
    uri = archive.resolve().as_uri()
    source = sqlite3.connect(str(archive), timeout=30, isolation_level=None)
    try:
        source.execute("PRAGMA busy_timeout=30000")
        source.execute("SELECT count(*) FROM sqlite_master").fetchone()
        return source, f"{uri}?mode=ro"
    except sqlite3.OperationalError:
        source.close()
    for mode in ("mode=ro", "immutable=1"):   # as Store(readonly=True) opens it
        source = sqlite3.connect(f"{uri}?{mode}", uri=True, timeout=30, isolation_level=None)
        try:
            source.execute("SELECT count(*) FROM sqlite_master").fetchone()
            return source, f"{uri}?{mode}"
        except sqlite3.OperationalError:
            source.close()
    raise sqlite3.OperationalError(f"{archive}: unable to open the archive")


def _connect_published(path: Path, archive: Path, source_uri: str | None = None) -> sqlite3.Connection:
    # a URI connection, or ATTACH would take the archive's `?mode=ro` URI as a file name
    conn = sqlite3.connect(path.resolve().as_uri(), uri=True, timeout=30, isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")  # readers keep their snapshot while we publish
    conn.execute("PRAGMA synchronous=NORMAL")
    conn.execute("PRAGMA busy_timeout=30000")
    conn.execute(STATE_SQL)
    conn.execute(VIEWS_SQL)
    conn.execute("ATTACH DATABASE ? AS src", [source_uri or f"{archive.resolve().as_uri()}?mode=ro"])
    conn.create_function("cjk_index_text", 1, index_text, deterministic=True)
    return conn


def _state(conn: sqlite3.Connection) -> dict | None:
    row = conn.execute(f"SELECT generation, log_id, source FROM main.{STATE} WHERE id = 1").fetchone()
    return dict(zip(("generation", "log_id", "source"), row, strict=True)) if row else None


def _needs_full(conn: sqlite3.Connection, state: dict | None, archive: Path,
                triggers_were_missing: bool) -> str | None:
    """Why the published file cannot be brought up to date from the log, or None."""
    if state is None:
        return "no published database yet"
    if triggers_were_missing:
        return "change log triggers were missing"
    if state["source"] != str(archive.resolve()):
        return "published from another archive"
    cleared = conn.execute(f"SELECT cleared_to FROM src.{CURSOR} WHERE id = 1").fetchone()[0]
    if state["log_id"] < cleared:
        return "the change log was consumed past this published file"
    if published_tables(conn, "src") != _published_schema(conn):
        return "the archive's schema changed"
    if _sql(conn, "src", FTS_TABLE) != _sql(conn, "main", FTS_TABLE) or conn.execute(
            f"SELECT EXISTS (SELECT 1 FROM main.{ROWS_TABLE} WHERE version != ?)",
            [INDEX_VERSION]).fetchone()[0]:
        return "the search index changed"
    if conn.execute("PRAGMA main.user_version").fetchone()[0] != ALIGNED_USER_VERSION:
        return "the reports' rowids are not the search index's"
    if _extra_indexes_missing(conn):
        return "the published indexes changed"
    return None


def _published_schema(conn) -> dict[str, str]:
    """{table: the archive's CREATE sql} that the published file was made from: its own tables,
    and for each spans table the sql of the archive table it stands for (recorded at publish)."""
    tables = published_tables(conn, "main")
    for name, (spans, _) in SPANS.items():
        recorded = conn.execute("SELECT sql FROM main.publication_views WHERE name = ?", [name]).fetchone()
        if recorded and _sql(conn, "main", spans):
            tables[name] = recorded[0]
    return tables


def _sql(conn, schema: str, name: str) -> str | None:
    row = conn.execute(f"SELECT sql FROM {schema}.sqlite_master WHERE name = ?", [name]).fetchone()
    return row[0] if row else None


def _columns(conn, table: str, schema: str = "src") -> str:
    return ", ".join(f"[{r[1]}]" for r in conn.execute(f"PRAGMA {schema}.table_info([{table}])"))


def _copy_rows(conn, table: str, where: str = "") -> int:
    """Rows of src.table into main.table as they are (the rowid kept where it is the key)."""
    cols = _columns(conn, table)
    if key_columns(conn, table, "src") == ["rowid"]:
        cols = "rowid, " + cols
    return conn.execute(f"INSERT INTO main.[{table}] ({cols}) SELECT {cols} FROM src.[{table}] "
                        f"{where}").rowcount


def _drop_all(conn) -> None:
    """Empty the published file's schema (but its publication row) for a full publish."""
    for kind in ("view", "virtual", "table"):
        rows = conn.execute("SELECT type, name, sql FROM main.sqlite_master").fetchall()
        for type_, name, sql in rows:
            if name.startswith("sqlite_") or name in (STATE, "publication_views"):
                continue
            is_virtual = type_ == "table" and (sql or "").upper().startswith("CREATE VIRTUAL")
            if kind == "view" and type_ == "view":
                conn.execute(f"DROP VIEW main.[{name}]")
            elif kind == "virtual" and is_virtual:
                conn.execute(f"DROP TABLE main.[{name}]")
            elif kind == "table" and type_ == "table" and not is_virtual:
                conn.execute(f"DROP TABLE IF EXISTS main.[{name}]")


def _index_is_fresh(conn) -> bool:
    """The archive's own index matches its reports (Store keeps it so; check, don't trust)."""
    return not conn.execute(
        f"SELECT (SELECT count(*) FROM src.reports) != (SELECT count(*) FROM src.{ROWS_TABLE}) "
        f"OR EXISTS (SELECT 1 FROM src.{ROWS_TABLE} m LEFT JOIN src.reports r ON r.url = m.url "
        "WHERE m.version != ? OR r.sha256 IS NOT m.sha256)", [INDEX_VERSION]).fetchone()[0]


def _full(conn) -> int:
    """Every published table, view and index recreated from the archive and copied."""
    _drop_all(conn)
    tables = published_tables(conn, "src")
    copied = 0
    for table, sql in tables.items():
        if table in SPANS:
            _create_spans(conn, table)
            continue
        conn.execute(sql)
        if table not in ("reports", "versions"):  # these two after the search rows
            copied += _copy_rows(conn, table)
    _create_search(conn)
    fresh = _index_is_fresh(conn)
    if fresh:
        for suffix in FTS_SHADOWS:
            shadow = f"{FTS_TABLE}_{suffix}"
            if _sql(conn, "main", shadow) and _sql(conn, "src", shadow):
                conn.execute(f"DELETE FROM main.[{shadow}]")
                conn.execute(f"INSERT INTO main.[{shadow}] SELECT * FROM src.[{shadow}]")
        conn.execute(f"INSERT INTO main.{ROWS_TABLE} SELECT * FROM src.{ROWS_TABLE}")
    else:
        conn.execute(f"INSERT INTO main.{ROWS_TABLE}(url, sha256, version) "
                     "SELECT url, sha256, ? FROM src.reports", [INDEX_VERSION])
    copied += _copy_reports(conn)
    if not fresh:
        _index_rows(conn, f"SELECT url FROM main.{ROWS_TABLE}")
    if "versions" in tables:
        copied += _copy_versions(conn)
    for table in SPANS.keys() & tables.keys():
        copied += _copy_spans(conn, table)
    for name, table, sql in conn.execute(
            "SELECT name, tbl_name, sql FROM src.sqlite_master WHERE type = 'index' AND sql IS NOT NULL "
            "AND tbl_name IN (SELECT value FROM json_each(?))", [_json(list(tables))]).fetchall():
        if table in SPANS:  # the same index, on the spans table
            cols = ", ".join(f"[{r[2]}]" for r in conn.execute(f"PRAGMA src.index_info([{name}])"))
            conn.execute(f"CREATE INDEX main.[{name}] ON [{SPANS[table][0]}] ({cols})")
        else:
            conn.execute(sql)
    _extra_indexes(conn, tables)
    conn.execute("DELETE FROM main.publication_views")
    for table in SPANS.keys() & tables.keys():
        conn.execute("INSERT INTO main.publication_views VALUES (?, ?)", [table, tables[table]])
    for name, sql in conn.execute("SELECT name, sql FROM src.sqlite_master WHERE type = 'view'").fetchall():
        if name in MATERIALIZED:
            _materialize(conn, name, sql)
        else:
            conn.execute(sql)
    if "versions" in tables:
        conn.execute(VERSIONS_TEXT_SQL)
    return copied


def _create_spans(conn, table: str) -> None:
    """The spans table (the archive table's columns, then start and length) and the view named
    as the archive's table, of its columns, that gives every row's text."""
    spans, report = SPANS[table]
    info = conn.execute(f"PRAGMA src.table_info([{table}])").fetchall()
    key = [r[1] for r in sorted(info, key=lambda r: r[5]) if r[5]]
    cols = ", ".join(f"[{r[1]}] {r[2]}{' NOT NULL' if r[3] else ''}" for r in info)
    conn.execute(f"CREATE TABLE main.[{spans}] ({cols}, text_start INTEGER, text_length INTEGER, "
                 f"PRIMARY KEY ({', '.join(f'[{k}]' for k in key)}))")
    shown = ", ".join(
        f"s.[{r[1]}]" if r[1] != "text" else
        f"CASE WHEN s.text IS NOT NULL OR s.text_start IS NULL THEN s.text ELSE substr((SELECT r.body "
        f"FROM reports r WHERE r.url = s.[{report}]), s.text_start, s.text_length) END AS text"
        for r in info)
    conn.execute(f"CREATE VIEW main.[{table}] AS SELECT {shown} FROM [{spans}] s")


def _copy_spans(conn, table: str, where: str = "") -> int:
    """Rows of src.table into its spans table: a text that is in the published report's body
    as its start and length (found, so cut out exactly as it was), any other text as it is."""
    spans, report = SPANS[table]
    cols = [r[1] for r in conn.execute(f"PRAGMA src.table_info([{table}])")]
    names = ", ".join(f"[{c}]" for c in cols)
    picked = ", ".join(f"t.[{c}]" if c != "text" else "CASE WHEN t.at > 0 THEN NULL ELSE t.text END"
                       for c in cols)
    return conn.execute(
        f"INSERT INTO main.[{spans}] ({names}, text_start, text_length) "
        f"SELECT {picked}, CASE WHEN t.at > 0 THEN t.at END, CASE WHEN t.at > 0 THEN length(t.text) END "
        f"FROM (SELECT t.*, CASE WHEN t.text != '' THEN instr((SELECT r.body FROM main.reports r "
        f"WHERE r.url = t.[{report}]), t.text) END AS at FROM src.[{table}] t {where}) t").rowcount


# every version with its text: the published file keeps the current one only in reports.body
VERSIONS_TEXT_SQL = (
    "CREATE VIEW IF NOT EXISTS main.versions_text AS SELECT v.id, v.url, v.fetched_at, v.sha256, "
    "v.title, CASE WHEN v.body IS NOT NULL THEN v.body ELSE (SELECT r.body FROM reports r "
    "WHERE r.url = v.url AND r.sha256 = v.sha256) END AS body, v.body_length, v.page_sha256 "
    "FROM versions v")


def _copy_versions(conn, where: str = "") -> int:
    """Versions of the archive into the published file, the body left out (NULL) of each whose
    text is its published report's current text (the same hash and the same body, checked, not
    assumed): reports.body already holds it.  Copied lean rather than blanked afterwards, which
    would leave the texts' pages free in the file."""
    cols = [r[1] for r in conn.execute("PRAGMA src.table_info([versions])")]
    picked = ", ".join(f"v.[{c}]" if c != "body" else
                       "CASE WHEN EXISTS (SELECT 1 FROM main.reports r WHERE r.url = v.url AND "
                       "r.sha256 = v.sha256 AND r.body = v.body) THEN NULL ELSE v.body END" for c in cols)
    names = ", ".join(f"[{c}]" for c in cols)
    return conn.execute(f"INSERT INTO main.versions ({names}) SELECT {picked} FROM src.versions v "
                        f"{where}").rowcount


def _materialize(conn, view: str, sql: str) -> None:
    """The view's rows as a table of the published file, with its indexes."""
    conn.execute(f"DROP VIEW IF EXISTS main.[{view}]")
    conn.execute(f"DROP TABLE IF EXISTS main.[{view}]")
    conn.execute(f"CREATE TABLE main.[{view}] AS SELECT * FROM src.[{view}]")
    for cols in MATERIALIZED_INDEXES.get(view, []):
        conn.execute(f"CREATE INDEX main.[published_{view}_{'_'.join(cols)}] ON [{view}] "
                     f"({', '.join(f'[{c}]' for c in cols)})")
    conn.execute("INSERT OR REPLACE INTO main.publication_views VALUES (?, ?)", [view, sql])


def _refresh_materialized(conn) -> None:
    """Rows of each materialized view whose source rows changed; all of it if its definition did."""
    for name, sql in conn.execute("SELECT name, sql FROM src.sqlite_master WHERE type = 'view'").fetchall():
        if name not in MATERIALIZED:
            continue
        recorded = conn.execute("SELECT sql FROM main.publication_views WHERE name = ?", [name]).fetchone()
        if not recorded or recorded[0] != sql or not _sql(conn, "main", name):
            _materialize(conn, name, sql)
            continue
        table, key = MATERIALIZED[name]
        changed = f"SELECT json_extract(pk, '$[0]') FROM temp.changed WHERE tbl = '{table}'"
        conn.execute(f"DELETE FROM main.[{name}] WHERE [{key}] IN ({changed})")
        conn.execute(f"INSERT INTO main.[{name}] SELECT * FROM src.[{name}] WHERE [{key}] IN ({changed})")


def _json(value) -> str:
    import json
    return json.dumps(value, ensure_ascii=False)


def _create_search(conn) -> None:
    conn.execute(_sql(conn, "src", ROWS_TABLE))
    conn.execute(_sql(conn, "src", FTS_TABLE))


def _extra_index_sql(conn, tables) -> dict[str, str]:
    """{name: CREATE INDEX statement} of EXTRA_INDEXES on the published tables that have their columns."""
    out = {}
    for table, indexes in EXTRA_INDEXES.items():
        if table not in tables:
            continue
        present = {r[1] for r in conn.execute(f"PRAGMA main.table_info([{table}])")}
        for cols in indexes:
            named = [(c.removesuffix(" desc"), " DESC" if c.endswith(" desc") else "") for c in cols]
            if {name for name, _ in named} <= present:
                label = "_".join(name + order.lower().replace(" ", "_") for name, order in named)
                out[f"published_{table}_{label}"] = (
                    f"CREATE INDEX IF NOT EXISTS main.[published_{table}_{label}] "
                    f"ON [{table}] ({', '.join(f'[{name}]{order}' for name, order in named)})")
    return out


def _extra_indexes(conn, tables) -> None:
    for sql in _extra_index_sql(conn, tables).values():
        conn.execute(sql)


def _extra_indexes_missing(conn) -> bool:
    """Does the published file lack an index this version publishes (one made before it was added)?"""
    names = {r[0] for r in conn.execute("SELECT name FROM main.sqlite_master WHERE type = 'index'")}
    return not _extra_index_sql(conn, published_tables(conn, "main")).keys() <= names


def _copy_reports(conn, where: str = "") -> int:
    """Reports of the archive into the published file, each with its search rowid as its rowid
    (the rows table must hold their entries first)."""
    cols = _columns(conn, "reports")
    return conn.execute(
        f"INSERT INTO main.reports (rowid, {cols}) SELECT "
        f"(SELECT m.id FROM main.{ROWS_TABLE} m WHERE m.url = r.url), {cols} "
        f"FROM src.reports r {where}").rowcount


def _aligned(conn, where: str = "") -> bool:
    """Every published report (those `where` selects) has its search rowid as its rowid."""
    return not conn.execute(
        f"SELECT EXISTS (SELECT 1 FROM main.reports r LEFT JOIN main.{ROWS_TABLE} m ON m.url = r.url "
        f"{where} {'AND' if where else 'WHERE'} m.id IS NOT r.rowid)").fetchone()[0]


def _index_rows(conn, urls_sql: str) -> None:
    """Tokens of the published reports whose rows entry is in `urls_sql`."""
    conn.execute(f"INSERT INTO main.{FTS_TABLE}(rowid, title, body) "
                 "SELECT m.id, cjk_index_text(r.title), cjk_index_text(r.body) "
                 f"FROM main.{ROWS_TABLE} m JOIN main.reports r ON r.url = m.url "
                 f"WHERE m.url IN ({urls_sql})")


def _key_match(conn, table: str, alias: str = "") -> str:
    """SQL true for the rows of `table` (called `alias`) whose key is among the logged changes."""
    key = key_columns(conn, table, "src")
    dot = f"{alias}." if alias else ""
    cols = ", ".join(dot + (k if k == "rowid" else f"[{k}]") for k in key)
    values = ", ".join(f"json_extract(pk, '$[{i}]')" for i in range(len(key)))
    return f"({cols}) IN (SELECT {values} FROM temp.changed WHERE tbl = '{table}')"


def _incremental(conn, since: int, upto: int) -> int:
    """Replace every logged row by its current state; re-index the reports whose text changed."""
    conn.execute("DROP TABLE IF EXISTS temp.changed")
    conn.execute("DROP TABLE IF EXISTS temp.reindex")
    conn.execute(f"CREATE TEMP TABLE changed AS SELECT DISTINCT tbl, pk FROM src.{LOG} "
                 "WHERE id > ? AND id <= ?", [since, upto])
    conn.execute(
        "CREATE TEMP TABLE reindex AS SELECT u.url FROM (SELECT json_extract(pk, '$[0]') AS url "
        "FROM temp.changed WHERE tbl = 'reports') u "
        "WHERE (SELECT sha256 FROM main.reports WHERE url = u.url) IS NOT "
        "      (SELECT sha256 FROM src.reports WHERE url = u.url)")
    # the old tokens go while the old text is still here
    conn.execute(f"INSERT INTO main.{FTS_TABLE}({FTS_TABLE}, rowid, title, body) "
                 "SELECT 'delete', m.id, cjk_index_text(r.title), cjk_index_text(r.body) "
                 f"FROM main.{ROWS_TABLE} m JOIN main.reports r ON r.url = m.url "
                 "WHERE m.url IN (SELECT url FROM temp.reindex)")
    conn.execute(f"DELETE FROM main.{ROWS_TABLE} WHERE url IN (SELECT url FROM temp.reindex)")
    conn.execute(f"INSERT INTO main.{ROWS_TABLE}(url, sha256, version) SELECT url, sha256, ? "
                 "FROM src.reports WHERE url IN (SELECT url FROM temp.reindex)", [INDEX_VERSION])
    changed = 0
    tables = published_tables(conn, "src")
    # a changed report's versions are all re-copied: one that was current (published without
    # its body) may now be an old one, which needs its own text
    revised = "url IN (SELECT json_extract(pk, '$[0]') FROM temp.changed WHERE tbl = 'reports')"
    spanned = []
    for table in tables:
        match = _key_match(conn, table)
        if table == "versions":  # after the reports, whose current text decides
            conn.execute(f"DELETE FROM main.versions WHERE ({match} OR {revised})")
            continue
        if table in SPANS:  # after the reports: a changed body moves or loses the spans
            spanned.append(table)
            continue
        conn.execute(f"DELETE FROM main.[{table}] WHERE {match}")
        if table == "reports":  # a revised report gets a new search rowid, an unrevised keeps its own
            changed += _copy_reports(conn, f"WHERE {match}")
            if not _aligned(conn, f"WHERE {_key_match(conn, table, 'r')}"):
                conn.execute("PRAGMA main.user_version = 0")  # searches take the join instead
        else:
            changed += _copy_rows(conn, table, f"WHERE {match}")
    if "versions" in tables:
        changed += _copy_versions(conn, f"WHERE ({_key_match(conn, 'versions', 'v')} OR v.{revised})")
        conn.execute(VERSIONS_TEXT_SQL)
    for table in spanned:
        report = SPANS[table][1]
        match = f"({_key_match(conn, table)} OR [{report}] IN (SELECT json_extract(pk, '$[0]') "\
                "FROM temp.changed WHERE tbl = 'reports'))"
        conn.execute(f"DELETE FROM main.[{SPANS[table][0]}] WHERE {match}")
        changed += _copy_spans(conn, table, f"WHERE ({_key_match(conn, table, 't')} OR t.[{report}] IN "
                                            "(SELECT json_extract(pk, '$[0]') FROM temp.changed "
                                            "WHERE tbl = 'reports'))")
    _index_rows(conn, "SELECT url FROM temp.reindex")
    # views are cheap to compare and to recreate
    _refresh_materialized(conn)
    for name, sql in conn.execute("SELECT name, sql FROM src.sqlite_master WHERE type = 'view'").fetchall():
        if name not in MATERIALIZED and _sql(conn, "main", name) != sql:
            conn.execute(f"DROP VIEW IF EXISTS main.[{name}]")
            conn.execute(sql)
    return changed


def _data_as_of(conn) -> str | None:
    """When the data was last brought in: the end of the last crawl, else the last write."""
    row = conn.execute("SELECT max(ended_at) FROM src.crawl_runs").fetchone() \
        if _sql(conn, "src", "crawl_runs") else None
    if row and row[0]:
        return row[0]
    return conn.execute("SELECT max(fetched_at) FROM src.reports").fetchone()[0]


def publish(archive: str | Path, published: str | Path | None = None) -> dict:
    """Bring the published database up to date with `archive`; returns what was done:
    mode ('full', 'incremental' or 'unchanged'), rows copied, generation, seconds."""
    start = time.perf_counter()
    archive = Path(archive)
    published = Path(published) if published else published_path(archive)
    source, source_uri = _open_source(archive)
    try:
        try:
            missing, logged = install_log(source), True
        except sqlite3.OperationalError as exc:
            if "readonly" not in str(exc):
                raise
            missing, logged = True, False  # a read-only archive: published whole, no log
        if not logged and _current(archive, published):
            return {"mode": "unchanged", "rows": 0, "reason": "read-only archive, not newer",
                    "seconds": round(time.perf_counter() - start, 3)}
        conn = _connect_published(published, archive, source_uri)
        try:
            result = _publish(conn, archive, missing, logged)
        finally:
            conn.close()
        if logged and result["mode"] != "unchanged":
            _clear_log(source, result["log_id"])
    finally:
        source.close()
    result["seconds"] = round(time.perf_counter() - start, 3)
    return result


def _current(archive: Path, published: Path) -> bool:
    """Without a change log, a published file is current when written after the archive."""
    if not published.exists():
        return False
    changed = max(p.stat().st_mtime for p in (archive, Path(f"{archive}-wal")) if p.exists())
    return published.stat().st_mtime >= changed


def _publish(conn: sqlite3.Connection, archive: Path, triggers_were_missing: bool,
             logged: bool = True) -> dict:
    conn.execute("BEGIN")
    try:
        # a write first: the transaction holds the published file's write lock before it reads
        # the archive, so its archive snapshot cannot be overtaken by another publisher
        conn.execute(f"UPDATE main.{STATE} SET id = id WHERE id = 1")
        upto = 0
        if logged:
            upto = conn.execute(f"SELECT coalesce(max(id), 0) FROM src.{LOG}").fetchone()[0]
            upto = max(upto, conn.execute(f"SELECT cleared_to FROM src.{CURSOR}").fetchone()[0])
        state = _state(conn)
        reason = "read-only archive (no change log)" if not logged else \
            _needs_full(conn, state, archive, triggers_were_missing)
        if reason is None and upto <= state["log_id"]:
            conn.execute("ROLLBACK")
            return {"mode": "unchanged", "rows": 0, "generation": state["generation"],
                    "log_id": state["log_id"]}
        if reason:
            rows = _full(conn)
            conn.execute(f"PRAGMA main.user_version = {ALIGNED_USER_VERSION if _aligned(conn) else 0}")
        else:
            rows = _incremental(conn, state["log_id"], upto)
        generation = (state["generation"] if state else 0) + 1
        reports = conn.execute("SELECT count(*) FROM main.reports").fetchone()[0]
        conn.execute(f"INSERT OR REPLACE INTO main.{STATE} VALUES (1, ?, ?, ?, ?, ?, ?, ?)",
                     [generation, now(), _data_as_of(conn), upto, str(archive.resolve()),
                      reports, "full" if reason else "incremental"])
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    conn.execute("PRAGMA main.optimize" if not reason else "ANALYZE main")
    conn.execute("PRAGMA main.wal_checkpoint(PASSIVE)")
    return {"mode": "full" if reason else "incremental", "reason": reason, "rows": rows,
            "generation": generation, "log_id": upto}


def publish_after_crawl(store) -> dict | None:
    """The crawl's last step: publish what it wrote.  A failure here loses nothing (the
    archive is complete; the next publish catches up), so it is one line on stderr, not a
    failed crawl."""
    import sys
    try:
        return publish(store.path)
    except (sqlite3.Error, OSError) as exc:
        print(f"warning: publishing {published_path(store.path)} failed "
              f"({str(exc).splitlines()[0] if str(exc) else type(exc).__name__}); "
              "run `serve` or the next crawl to publish", file=sys.stderr)
        return None
