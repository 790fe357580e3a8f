"""Publish the archive with Datasette: the lean published database, live, read-only.

`serve` shows `archive.published.db` (crawler/store/publish.py: the reports, their search
index and the analysis tables, without the raw snapshots), brought up to date incrementally
at start — seconds whatever the archive's size — and after every crawl by the crawl itself.
Datasette opens it as a *mutable* database, which it reads with `?mode=ro` connections: a
publish commits in one WAL transaction and the next request sees it, no restart.  Nothing
can write through the web (Datasette refuses non-SELECT SQL; the connections are read-only).
`/archive.db` is a consistent single-file snapshot of the published database, made once per
publication (datasette/plugins/archive_publication.py); `/-/snapshot/<sha256>` reads the raw
bytes from the archive itself, read-only.
"""
from __future__ import annotations

import asyncio
import logging
import os
import socket
import sqlite3
import tempfile
import warnings
from pathlib import Path

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


def app(published: Path, archive: Path | None = None):
    """The configured Datasette for a published database (and, for raw snapshots, its archive)."""
    from datasette.app import Datasette
    from datasette.database import Database
    from datasette.utils import parse_metadata

    class PublishedDatabase(Database):
        """Datasette prints every failed query with its SQL to stderr; the error handler
        (archive_errors.py) already logs one line per failed request."""

        _counts: tuple | None = None

        async def execute(self, *args, **kwargs):
            kwargs["log_sql_errors"] = False
            return await super().execute(*args, **kwargs)

        async def table_counts(self, limit=10):
            """Every table's row count, counted once per publication (Datasette recounts a
            mutable database's tables on every index and database page)."""
            generation = await self._generation()
            if generation is not None and self._counts and self._counts[0] == generation:
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

        async def _generation(self):
            try:
                rows = (await self.execute("SELECT generation FROM publication WHERE id = 1")).rows
            except Exception:  # noqa: BLE001 - not a published database: no cache
                return None
            return rows[0][0] if rows else None

    # what a page asks about the schema, several times per request, each a trip to a SQL
    # thread: the published schema changes only at a full publish, so answers keep 1 s
    for name in SCHEMA_LOOKUPS:
        setattr(PublishedDatabase, name, _memoized(getattr(Database, name)))

    metadata = parse_metadata((CONFIG / "metadata.yml").read_text(encoding="utf-8"))
    metadata.setdefault("plugins", {})["archive"] = {
        "archive": str(Path(archive).resolve()) if archive else None,
        "max_age": CACHE_MAX_AGE, "response_cache_mb": RESPONSE_CACHE_MB}
    datasette = Datasette(
        [], metadata=metadata, settings=SETTINGS,
        template_dir=str(CONFIG / "templates"), plugins_dir=str(CONFIG / "plugins"))
    datasette.add_database(PublishedDatabase(datasette, path=str(published), is_mutable=True),
                           name=PUBLISHED_NAME)
    return datasette


SCHEMA_LOOKUPS = ("attached_databases", "table_exists", "table_names", "table_columns",
                  "table_column_details", "primary_keys", "fts_table", "label_column_for_table",
                  "foreign_keys_for_table", "hidden_table_names", "view_names",
                  "get_all_foreign_keys", "get_table_definition", "get_view_definition")
SCHEMA_TTL = 1.0


def _memoized(method):
    """`method` with its answers kept SCHEMA_TTL seconds per database and arguments."""
    import functools
    import time

    @functools.wraps(method)
    async def cached(self, *args):
        memo = self.__dict__.setdefault("_schema_memo", {})
        key = (method.__name__, args)
        hit = memo.get(key)
        if hit and time.monotonic() - hit[0] < SCHEMA_TTL:
            return hit[1]
        value = await method(self, *args)
        memo[key] = (time.monotonic(), value)
        return value
    return cached


def quiet_logging() -> None:
    """One line per error on the terminal: our handlers' lines, none of asyncio's chatter
    about facet coroutines a failed request left unawaited."""
    logging.basicConfig(level=logging.WARNING, format="%(asctime)s %(levelname)s %(message)s")
    warnings.filterwarnings("ignore", message=r"coroutine .* was never awaited")


def serve(db: str, host: str, port: int) -> None:
    """Bring the published database up to date, then serve it until interrupted.

    The socket is bound before the address is printed, so a port in use is a one-line
    OSError for the CLI rather than a promise followed by uvicorn's complaint."""
    import uvicorn

    from crawler.store.publish import publish, published_path
    listener = socket.create_server((host, port))
    with listener, tempfile.TemporaryDirectory(prefix="archive-publish-") as spare:
        published = published_path(db)
        if not os.access(published.parent, os.W_OK) or (published.exists() and not os.access(published, os.W_OK)):
            # a read-only medium (or file): the published copy goes to a folder of its own,
            # made whole from the archive read as it is, and removed when serving stops
            published = Path(spare) / published.name
        result = publish(db, published)
        quiet_logging()
        datasette = app(published, Path(db))
        asyncio.run(datasette.invoke_startup())
        print(f"Serving {published} ({result['mode']} publish in {result['seconds']} s) "
              f"read-only at http://{host}:{port}/ (Ctrl-C to stop)", flush=True)
        uvicorn.Server(uvicorn.Config(datasette.app(), log_level="warning", access_log=False)
                       ).run(sockets=[listener])
