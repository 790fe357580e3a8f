"""Publish the archive with Datasette: a read-only snapshot, the project's datasette/ set-up.

Datasette serves a consistent copy of the database, taken with SQLite's backup API, opened
immutable and made read-only on disk: a crawl can go on writing the real file meanwhile,
nothing can write through the web, and Datasette allows the `/archive.db` download (it only
does for immutable databases).  Restart `serve` to publish a newer crawl.
"""
from __future__ import annotations

import asyncio
import os
import socket
import sqlite3
import tempfile
from pathlib import Path

CONFIG = Path(__file__).resolve().parents[2] / "datasette"
PUBLISHED_NAME = "archive.db"  # → /archive, /archive.db, whatever the source file is called
SETTINGS = {
    "sql_time_limit_ms": 3000,
    "facet_time_limit_ms": 500,
    "allow_download": True,
    "allow_csv_stream": True,
    "max_csv_mb": 0,  # the full streamed CSV of a large archive is the point of it
    "truncate_cells_html": 240,
    "suggest_facets": False,
    "default_page_size": 50,
}


def snapshot(db: str | Path, directory: Path) -> Path:
    """A consistent, read-only, single-file copy of `db` (no WAL) in `directory`."""
    target = directory / PUBLISHED_NAME
    source = sqlite3.connect(f"{Path(db).resolve().as_uri()}?mode=ro", uri=True)
    copy = sqlite3.connect(target)
    try:
        source.backup(copy)
        copy.execute("PRAGMA journal_mode=DELETE")
    finally:
        copy.close()
        source.close()
    os.chmod(target, 0o444)
    return target


def app(published: Path):
    """The configured Datasette for a snapshot made by `snapshot`."""
    from datasette.app import Datasette
    from datasette.utils import parse_metadata
    metadata = parse_metadata((CONFIG / "metadata.yml").read_text(encoding="utf-8"))
    return Datasette(
        immutables=[str(published)], metadata=metadata, settings=SETTINGS,
        template_dir=str(CONFIG / "templates"), plugins_dir=str(CONFIG / "plugins"))


def serve(db: str, host: str, port: int) -> None:
    """Serve `db` until interrupted, printing the address first.

    The socket is bound before the address is printed, so a port in use is a one-line
    OSError for the CLI rather than a promise followed by uvicorn's complaint."""
    import uvicorn
    listener = socket.create_server((host, port))
    with listener, tempfile.TemporaryDirectory(prefix="archive-publish-") as tmp:
        datasette = app(snapshot(db, Path(tmp)))
        asyncio.run(datasette.invoke_startup())
        print(f"Serving {db} read-only at http://{host}:{port}/ (Ctrl-C to stop)", flush=True)
        uvicorn.Server(uvicorn.Config(datasette.app(), log_level="warning")).run(sockets=[listener])
