"""Publish the archive with Datasette: the lean published database, live, read-only.

`serve` shows `archive.published.db` (crawler/store/publish.py: the reports, their search
index and the analysis tables, without the raw snapshots), brought up to date incrementally
at start — seconds whatever the archive's size — and after every crawl by the crawl itself.
When the published file must be made whole (the first start on an archive, a schema change),
which takes minutes on a large archive, `serve` does not wait: after QUICK_PUBLISH_S it answers
from the archive itself, read-only (its raw tables hidden), and changes over to the published
file the moment the publish commits.
Datasette opens it as a *mutable* database, which it reads with `?mode=ro` connections: a
publish commits in one WAL transaction and the next request sees it, no restart.  Nothing
can write through the web (Datasette refuses non-SELECT SQL; the connections are read-only).
`/archive.db` is a consistent single-file snapshot of the published database, made once per
publication (datasette/plugins/archive_publication.py); `/-/snapshot/<sha256>` reads the raw
bytes from the archive itself, read-only.
"""
from __future__ import annotations

import asyncio
import contextlib
import logging
import multiprocessing
import os
import re
import socket
import sqlite3
import sys
import tempfile
import threading
import time
import warnings
from pathlib import Path

from crawler.publish import facets

CONFIG = Path(__file__).resolve().parents[2] / "datasette"
PUBLISHED_NAME = "archive"  # → /archive, /archive.db, whatever the files are called
SETTINGS = {
    "sql_time_limit_ms": 3000,
    "facet_time_limit_ms": 500,
    "allow_download": True,
    "allow_csv_stream": True,
    "max_csv_mb": 0,  # the full streamed CSV of a large archive is the point of it
    "truncate_cells_html": 240,
    "suggest_facets": False,
    "default_page_size": 20,  # cells rendered per page are most of a table page's cost
    # a slow query holds one thread for at most the time limit; the others keep answering
    "num_sql_threads": 8,
}
CACHE_MAX_AGE = 30  # seconds a proxy may reuse a page without asking (ETag revalidates after)
# megabytes of whole responses kept in memory per publication (0: none); for measurements
RESPONSE_CACHE_MB = float(os.environ.get("ARCHIVE_RESPONSE_CACHE_MB", "64"))
# seconds `serve` waits for the publish before it answers from the archive meanwhile
QUICK_PUBLISH_S = float(os.environ.get("ARCHIVE_QUICK_PUBLISH_S", "3"))
# milliseconds a thread holds the GIL before another that waits gets it (Python's default: 5):
# the event loop answers every request, and waits this long behind each SQL thread that runs
# Python (the project's SQL functions, a crafted query calling them on every row)
SWITCH_INTERVAL_MS = float(os.environ.get("ARCHIVE_SWITCH_INTERVAL_MS", "5"))


def app(published: Path, archive: Path | None = None, hidden: tuple[str, ...] = (),
        boot: str | None = None):
    """The configured Datasette for a published database (and, for raw snapshots, its archive);
    `hidden`: tables left out of the listings (the archive's raw tables, when it is shown
    itself while its published file is being made); `boot`: the token in every ETag (serve's
    processes share one)."""
    from datasette.app import Datasette
    from datasette.database import Database
    from datasette.utils import parse_metadata

    class PublishedDatabase(Database):
        """Datasette prints every failed query with its SQL to stderr; the error handler
        (archive_errors.py) already logs one line per failed request."""

        _counts: tuple | None = None
        _facet_counter = None

        async def execute(self, sql, *args, **kwargs):
            kwargs["log_sql_errors"] = False
            if sql in CATALOG_QUERIES:  # a look-up in the schema: kept as the others are
                return await self._catalog(sql, *args, **kwargs)
            sql = await self._ties_broken(sql)
            facet = facets.parse(sql)
            if facet is not None:
                counted = await self._facet(facet, sql, *args, **kwargs)
                if counted is not None:
                    return counted
            shared = await self._from_index_hits(sql, *args, **kwargs)
            if shared is not None:
                return shared
            if isinstance(sql, str) and _ROW_LOOKUP.fullmatch(sql):
                return await self._row_lookup(sql, *args, **kwargs)
            return await super().execute(index_count(sql), *args, **kwargs)

        async def _ties_broken(self, sql):
            """A table page's statement sorted by one column, its ties put in key order: Datasette
            (0.65) adds the primary key to the ORDER BY only from the second page on, while its
            `_next` token always assumes key order within ties — so the first page's ties came in
            whatever order the scan met them, and paging by 年度 or 发布日期 skipped reports and
            showed others twice."""
            m = _TABLE_PAGE.fullmatch(sql) if isinstance(sql, str) else None
            if m is None:
                return sql
            table, column = (facets.unescaped(m.group(g)) for g in ("table", "column"))
            pks = await self.primary_keys(table)
            if not pks:
                if table in await self.view_names():
                    return sql   # a view has no key to order its ties by
                pks = ["rowid"]
            if pks == [column]:
                return sql
            from datasette.utils import escape_sqlite
            return f"{sql[:m.start('limit')]}, {', '.join(escape_sqlite(pk) for pk in pks)}{sql[m.start('limit'):]}"

        _inline = None

        async def execute_inline(self, fn):
            """`fn(conn)` on the event loop's own thread, on a read-only connection of its
            own, under the time limit: for a few look-ups by key (~1 ms: a row page's row, the
            reading view's twelve), a trip to a SQL thread — a hand-over of the GIL and a
            place in the executor's queue behind every other request's statements — costs
            more than the work, and under load it is most of a row page's latency."""
            from datasette.utils import sqlite_timelimit
            if self._inline is None:
                conn = self.connect()
                self.ds._prepare_connection(conn, self.name)
                self._inline = conn
            with sqlite_timelimit(self._inline, self.ds.sql_time_limit_ms):
                return fn(self._inline)

        async def _row_lookup(self, sql, params=None, truncate=False, custom_time_limit=None,
                              page_size=None, **_):
            """Datasette's row page's own statement (one row by its primary key), inline."""
            def lookup(conn):
                return _results(conn.execute(sql, params if params is not None else {}), self.ds, page_size, truncate)
            with _interrupted_as_datasette(sql, params):
                return await self.execute_inline(lookup)

        async def _from_index_hits(self, sql, params=None, truncate=False, custom_time_limit=None,
                                   page_size=None, **_):
            """The rows and the count of a search the index answers alone, from the index's
            hits fetched once for the request (facets.index_hits): its rows in the same
            snapshot as the hits, its count their number (no trip at all), its facets from
            them too (_facet).  None: not such a statement, or no request to share with."""
            from datasette.database import Results
            from datasette.utils import sqlite_timelimit
            page = facets.PAGE.get()
            if page is None or not isinstance(sql, str) or not isinstance(params, dict) \
                    or facets.MATCH_PARAM not in params:
                return None
            if _SEARCH_COUNT.fullmatch(sql):
                held = page.get(("index", params[facets.MATCH_PARAM]))
                if held and "rowids" in held:
                    return Results([(len(held["rowids"]),)], False, (("count(*)",) + (None,) * 6,))
                return None
            if not sql.startswith("select ") or sql.count(_MANY_HITS) != 1:
                return None
            rewritten = sql.replace(_MANY_HITS, f"+rowid IN (SELECT value FROM json_each(:{HITS_PARAM}))")
            limit = self._limit(custom_time_limit)

            def rows(conn):
                with sqlite_timelimit(conn, limit), _interrupted_as_datasette(sql, params):
                    conn.execute("BEGIN")
                    try:
                        generation = facets.generation_of(conn)
                        if generation is None:
                            return None
                        held = facets.index_hits(conn, params[facets.MATCH_PARAM], generation, page)
                        return _results(conn.execute(rewritten, {**params, HITS_PARAM: f"[{held['listed']}]"}),
                                        self.ds, page_size, truncate)
                    finally:
                        facets.end_read(conn)
            return await self.execute_fn(rows)

        def _limit(self, custom_time_limit) -> int:
            """A statement's time limit in ms: its own when it asks for less, never more than the server's."""
            return min(custom_time_limit or self.ds.sql_time_limit_ms, self.ds.sql_time_limit_ms)

        async def _facet(self, facet, sql, params=None, custom_time_limit=None, **_):
            """A column facet counted from the published file's column arrays (facets.py), or
            None: then SQLite counts it as Datasette would."""
            from datasette.database import QueryInterrupted, Results
            from datasette.utils import sqlite_timelimit
            limit = self._limit(custom_time_limit)
            page = facets.PAGE.get()
            held = self._facet_counter.count_held(facet, params, page)
            if held is not None:  # this request's hits and a column of their generation
                return Results(held, False, FACET_COLUMNS)

            def count(conn):
                try:
                    with sqlite_timelimit(conn, self.ds.sql_time_limit_ms):
                        self._facet_counter.prepare(conn, facet)
                    with sqlite_timelimit(conn, limit):
                        return self._facet_counter.count(conn, facet, params, page)
                except sqlite3.OperationalError as exc:
                    if exc.args == ("interrupted",):
                        raise QueryInterrupted(exc, sql, params) from None
                    return None  # e.g. no rowid (a WITHOUT ROWID table): SQLite decides
            rows = await self.execute_fn(count)
            if rows is None:
                return None
            return Results(rows, False, FACET_COLUMNS)

        @_memoized
        async def _catalog(self, sql, params=None, **kwargs):
            return await super().execute(sql, params, **kwargs)

        async def table_counts(self, limit=10):
            """Every table's row count, counted once per publication (Datasette recounts a
            mutable database's tables on every index and database page)."""
            generation = await self._generation()
            if generation is None:  # not a published file (the archive, served meanwhile)
                return await super().table_counts(limit)
            if self._counts and self._counts[0] == generation:
                return self._counts[1]

            def count_all(conn):
                counts = {}
                for (table,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'"):
                    try:
                        counts[table] = conn.execute(f"SELECT count(*) FROM [{table}]").fetchone()[0]
                    except sqlite3.Error:
                        counts[table] = None
                return counts
            counts = await self.execute_fn(count_all)
            if generation is not None:
                self._counts = (generation, counts)
            return counts

        async def hidden_table_names(self):
            names = set(await super().hidden_table_names())
            for table in hidden:
                if await self.table_exists(table):
                    names.add(table)
            return sorted(names)

        async def _generation(self):
            try:
                rows = (await self.execute("SELECT generation FROM publication WHERE id = 1")).rows
            except Exception:  # noqa: BLE001 - not a published database: no cache
                return None
            return rows[0][0] if rows else None

    # what a page asks about the schema, several times per request, each a trip to a SQL
    # thread: the published schema changes only at a full publish, so answers keep 1 s
    PublishedDatabase._facet_counter = facets.FacetCounter()
    for name in SCHEMA_LOOKUPS:
        setattr(PublishedDatabase, name, _memoized(getattr(PublishedDatabase, name)))

    class PublishedDatasette(Datasette):
        """Datasette compares every database's schema version before each request (two trips
        to a SQL thread and one to the internal database's): the published schema changes
        only at a full publish, so once per SCHEMA_TTL is enough."""

        _schemas_checked = float("-inf")

        def app(self):
            """Datasette's ASGI app, each request with its own memo for its facets (the rowids
            of its rows, fetched once for all of them: facets.py)."""
            inner = super().app()

            async def with_page(scope, receive, send):
                token = facets.PAGE.set({})
                try:
                    await inner(scope, receive, send)
                finally:
                    facets.PAGE.reset(token)
            return with_page

        async def refresh_schemas(self):
            import time
            if time.monotonic() - self._schemas_checked < SCHEMA_TTL:
                return
            await super().refresh_schemas()
            self._schemas_checked = time.monotonic()

        def _table_permission_allows(self, database, table):
            """A table's `allow` blocks. Datasette merges a deep copy of the whole metadata
            (every column's description) for each check, several times per page — an eighth
            of the server's time under the load bench; the metadata is fixed while serving."""
            memo = self.__dict__.setdefault("_allows_memo", {})
            key = (database, table)
            if key not in memo:
                if len(memo) >= SCHEMA_MEMO_MAX:
                    memo.clear()
                memo[key] = super()._table_permission_allows(database, table)
            return list(memo[key])

    metadata = parse_metadata((CONFIG / "metadata.yml").read_text(encoding="utf-8"))
    metadata.setdefault("plugins", {})["archive"] = {
        "archive": str(Path(archive).resolve()) if archive else None,
        "max_age": CACHE_MAX_AGE, "response_cache_mb": RESPONSE_CACHE_MB, "boot": boot}
    datasette = PublishedDatasette(
        [], metadata=metadata, settings=SETTINGS,
        template_dir=str(CONFIG / "templates"), plugins_dir=str(CONFIG / "plugins"))
    datasette.add_database(PublishedDatabase(datasette, path=str(published), is_mutable=True),
                           name=PUBLISHED_NAME)
    return datasette


class Changeover:
    """The ASGI app `serve` runs: the archive's Datasette until the published file is ready,
    the published file's from then on (each request goes whole to one of them)."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        await self.app(scope, receive, send)


def _publish_in_background(db: str, published: Path) -> tuple[threading.Thread, dict]:
    """publish() in a forked process (its Python work — re-tokenizing — must not hold the GIL
    of the process that answers meanwhile), watched by a thread; the dict gets its result, or
    the exception.  Forked before any thread or connection exists; a publish stopped with
    serve rolls back (one transaction)."""
    context = multiprocessing.get_context("fork")
    receiver, sender = context.Pipe(duplex=False)
    process = context.Process(target=_publish_child, args=(db, published, sender), name="publish", daemon=True)
    process.start()
    sender.close()
    outcome: dict = {}

    def watch():
        try:
            outcome.update(receiver.recv())
        except EOFError:
            outcome["error"] = RuntimeError(f"the publishing process ended (exit code {process.exitcode})")
        process.join()
    thread = threading.Thread(target=watch, name="publish", daemon=True)
    thread.start()
    return thread, outcome


def _publish_child(db: str, published: Path, sender) -> None:
    """The publishing process: ends with the serve that started it, however that ends (a
    publish cut short rolls back)."""
    from crawler.store.publish import publish
    parent = os.getppid()

    def orphaned():
        while os.getppid() == parent:
            time.sleep(0.5)
        os._exit(1)
    threading.Thread(target=orphaned, daemon=True).start()
    try:
        sender.send({"result": publish(db, published)})
    except BaseException as exc:  # noqa: BLE001 - handed to the serving process
        try:
            sender.send({"error": exc})
        except Exception:  # noqa: BLE001 - an exception that does not pickle
            sender.send({"error": RuntimeError(str(exc) or type(exc).__name__)})


# Datasette's count of a table page whose only filter is a search the index answers alone
# (datasette/plugins/archive_search.py index_filter, on a published file whose reports' rowids
# are the index's): the index's own count is the same number — each published report is one
# index row — without a membership test per report (5 ms instead of ~40 on 100,000 hits)
_SEARCH_COUNT = re.compile(r"select count\(\*\) from reports where \+?rowid IN \(SELECT rowid FROM "
                           r"\[reports_search\] WHERE \[reports_search\] MATCH :cjk_index_match\) ?")
_INDEX_COUNT = "SELECT count(*) FROM [reports_search] WHERE [reports_search] MATCH :cjk_index_match"
# the filter of such a search with many hits (a membership test in the sort order's scan), and
# the parameter that carries the hits the request fetched once instead
_MANY_HITS = "+rowid IN (SELECT rowid FROM [reports_search] WHERE [reports_search] MATCH :cjk_index_match)"
HITS_PARAM = "cjk_index_hits"
# the cursor description of a facet's rows (value, count), as SQLite gives Datasette's own facet query
FACET_COLUMNS = (("value",) + (None,) * 6, ("count",) + (None,) * 6)
# Datasette's row page's statement for a table with one primary key (views/table.py
# _sql_params_pks): a look-up by key, run inline (PublishedDatabase.execute_inline)
_ROW_LOOKUP = re.compile(r'select (?:\*|rowid, \*) from (?:[A-Za-z_][A-Za-z0-9_]*|\[[^\]]+\]) '
                         r'where (?:"[^"]+"|\[[^\]]+\])=:p0')


# Datasette's table page statement (views/table.py: "select … from {table} {where}{order_by} limit …")
# ordered by one column alone: the first page of a sorted table, whose ties PublishedDatabase puts in key order
_TABLE_PAGE = re.compile(rf"select (?:(?! from ).)+ from (?P<table>{facets.IDENT}) (?:where .+ )?"
                         rf"order by (?P<column>{facets.IDENT})(?: desc)?(?P<limit> limit \d+(?: offset \d+)?)", re.S)


def _results(cursor, ds, page_size, truncate):
    """Datasette's Results of an executed statement, cut at max_returned_rows as Database.execute
    cuts them (one row more is fetched to tell that it was cut)."""
    from datasette.database import Results
    page_size = page_size or ds.page_size
    most = ds.max_returned_rows + (1 if ds.max_returned_rows == page_size else 0)
    found = cursor.fetchmany(most + 1) if most and truncate else cursor.fetchall()
    description = cursor.description
    cursor.close()
    if most and truncate:
        return Results(found[:most], len(found) > most, description)
    return Results(found, False, description)


@contextlib.contextmanager
def _interrupted_as_datasette(sql, params):
    """SQLite's interrupt (the time limit) raised as Datasette's QueryInterrupted, which its views
    answer with a 400, as Database.execute does."""
    from datasette.database import QueryInterrupted
    try:
        yield
    except sqlite3.OperationalError as exc:
        if exc.args == ("interrupted",):
            raise QueryInterrupted(exc, sql, params) from None
        raise



def index_count(sql):
    """`sql`, or the index's own count when it is the count of an index-only search."""
    return _INDEX_COUNT if isinstance(sql, str) and _SEARCH_COUNT.fullmatch(sql) else sql


SCHEMA_LOOKUPS = ("attached_databases", "table_exists", "table_names", "table_columns",
                  "table_column_details", "primary_keys", "fts_table", "label_column_for_table",
                  "foreign_keys_for_table", "hidden_table_names", "view_names",
                  "get_all_foreign_keys", "get_table_definition", "get_view_definition")
SCHEMA_TTL = 1.0
SCHEMA_MEMO_MAX = 4096
# Datasette's permission check for a table asks the catalog for the name's own spelling on
# every page (app.py permission_allowed): the same look-up, kept SCHEMA_TTL too
CATALOG_QUERIES = frozenset({
    "select name from sqlite_master where type in ('table', 'view') and name = ? collate nocase"})


def _memoized(method):
    """`method` with its answers kept SCHEMA_TTL seconds per database and arguments."""
    import functools
    import time

    @functools.wraps(method)
    async def cached(self, *args, **kwargs):
        memo = self.__dict__.setdefault("_schema_memo", {})
        key = (method.__name__, _hashable(args), _hashable(kwargs))
        hit = memo.get(key)
        if hit and time.monotonic() - hit[0] < SCHEMA_TTL:
            return hit[1]
        value = await method(self, *args, **kwargs)
        if len(memo) >= SCHEMA_MEMO_MAX:  # names from crafted addresses do not pile up
            memo.clear()
        memo[key] = (time.monotonic(), value)
        return value
    return cached


def _hashable(value):
    """Arguments as a dictionary key: lists and dicts (query parameters) as tuples."""
    if isinstance(value, dict):
        return tuple(sorted((k, _hashable(v)) for k, v in value.items()))
    if isinstance(value, (list, tuple)):
        return tuple(_hashable(v) for v in value)
    return value


def quiet_logging() -> None:
    """One line per error on the terminal: our handlers' lines, none of asyncio's chatter
    about facet coroutines a failed request left unawaited."""
    logging.basicConfig(level=logging.WARNING, format="%(asctime)s %(levelname)s %(message)s")
    warnings.filterwarnings("ignore", message=r"coroutine .* was never awaited")


def serve(db: str, host: str, port: int, processes: int | None = None) -> None:
    """Bring the published database up to date, then serve it until interrupted.

    The socket is bound before the address is printed, so a port in use is a one-line
    OSError for the CLI rather than a promise followed by uvicorn's complaint.  A publish that
    takes longer than QUICK_PUBLISH_S (a full one on a large archive) goes on in the background
    while the archive itself is served; a failed background publish is one line on stderr and
    the archive stays served.

    With `processes` > 1 (and a publish that ended in time), the others are forked after the
    publish and accept on the same socket; they stop when this one stops (or dies).  Each has
    its own response cache, so a page is rendered once per process: measured on the shared
    2-core machine (bench/README.md), a second process cost more than it gave, hence one by
    default."""
    import secrets

    import uvicorn

    from crawler.store.publish import EXCLUDED, LOG, published_path
    processes = processes or 1
    listener = socket.create_server((host, port))
    with listener, tempfile.TemporaryDirectory(prefix="archive-publish-") as spare:
        published = published_path(db)
        if not os.access(published.parent, os.W_OK) or (published.exists() and not os.access(published, os.W_OK)):
            # a read-only medium (or file): the published copy goes to a folder of its own,
            # made whole from the archive read as it is, and removed when serving stops
            published = Path(spare) / published.name
        started = time.perf_counter()
        thread, outcome = _publish_in_background(db, published)
        from datasette.app import Datasette  # noqa: F401 - imported while the publish runs (seconds)
        thread.join(max(0.0, QUICK_PUBLISH_S - (time.perf_counter() - started)))
        quiet_logging()
        if not thread.is_alive():
            if "error" in outcome:
                raise outcome["error"]
            result = outcome["result"]
            boot = secrets.token_hex(4)
            children = [_fork(lambda: _run(listener, published, Path(db), boot))
                        for _ in range(processes - 1)]
            try:
                print(f"Serving {published} ({result['mode']} publish in {result['seconds']} s) "
                      f"read-only at http://{host}:{port}/"
                      f"{f' with {processes} processes' if processes > 1 else ''} (Ctrl-C to stop)",
                      flush=True)
                _run(listener, published, Path(db), boot, on_exit=lambda: _stop(children))
            finally:
                _stop(children)
            return
        raw = (*EXCLUDED, LOG, "publish_cursor", "sqlite_sequence")
        switch = Changeover(app(Path(db), Path(db), hidden=raw).app())
        print(f"Serving the archive {db} read-only at http://{host}:{port}/ while {published} "
              f"is published{' (one process until a restart)' if processes > 1 else ''} "
              "(Ctrl-C to stop)", flush=True)
        threading.Thread(target=_change_over, args=(switch, thread, outcome, published, db, started),
                         name="changeover", daemon=True).start()
        uvicorn.Server(uvicorn.Config(switch, log_level="warning", access_log=False, lifespan="off")
                       ).run(sockets=[listener])


def _change_over(switch: Changeover, thread: threading.Thread, outcome: dict, published: Path,
                 db: str, started: float) -> None:
    """When the background publish ends: serve the published file (or say why not)."""
    thread.join()
    if "error" in outcome:
        exc = outcome["error"]
        why = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        print(f"warning: publishing {published} failed ({why}); still serving the archive itself",
              file=sys.stderr, flush=True)
        return
    switch.app = app(published, Path(db)).app()
    print(f"Serving {published} ({outcome['result']['mode']} publish in "
          f"{time.perf_counter() - started:.1f} s)", flush=True)


def _run(listener: socket.socket, published: Path, archive: Path, boot: str,
         on_exit=None) -> None:
    """One serving process: its own Datasette (SQL threads, connections, response cache).
    `on_exit` runs when it has stopped serving, before uvicorn re-raises the signal that
    stopped it (which ends the process): the parent stops its children there."""
    import contextlib

    import uvicorn

    class Server(uvicorn.Server):
        @contextlib.contextmanager
        def capture_signals(self):
            with super().capture_signals():
                try:
                    yield
                finally:
                    if on_exit:
                        on_exit()
    sys.setswitchinterval(SWITCH_INTERVAL_MS / 1000)
    datasette = app(published, archive, boot=boot)
    asyncio.run(datasette.invoke_startup())
    Server(uvicorn.Config(datasette.app(), log_level="warning", access_log=False, lifespan="off")
           ).run(sockets=[listener])


def _fork(work) -> int:
    """A child process running `work`, which ends with it and never returns here; it is
    told to stop (SIGTERM) when its parent dies, however the parent dies."""
    parent = os.getpid()
    pid = os.fork()
    if pid:
        return pid
    code = 0
    try:
        _die_with_parent(parent)
        work()
    except KeyboardInterrupt:
        pass
    except BaseException as exc:  # noqa: BLE001 - a child reports and ends, never returns
        logging.getLogger("archive.serve").warning("serving process %s stopped: %s", os.getpid(), exc)
        code = 1
    finally:
        os._exit(code)


def _die_with_parent(parent: int) -> None:
    import ctypes
    import signal
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG (Linux)
    except (OSError, AttributeError):  # elsewhere: the parent's finally stops us
        pass
    if os.getppid() != parent:  # the parent died before prctl took effect
        os._exit(0)


def _stop(children: list[int]) -> None:
    """SIGTERM to each forked process (they finish their requests), then wait for them."""
    import signal
    children[:], stopping = [], list(children)
    for pid in stopping:
        try:
            os.kill(pid, signal.SIGTERM)
        except ProcessLookupError:
            pass
    for pid in stopping:
        try:
            os.waitpid(pid, 0)
        except ChildProcessError:
            pass
