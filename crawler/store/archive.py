"""The one module that knows the schema: every write to archive.db goes through here.

Layout (documented in the README):
- reports      one row per distinct report (the public contract), latest text
- versions     every distinct text a report had at its address, with when it was fetched
- copies       other addresses where the same report was found
- attachments  files linked from report pages, with their extracted text or error
- pages        every fetched address: last status, type, sha256, validators, error
- fetches      one row per fetch (the history behind `pages`)
- snapshots    the raw bytes, content-addressed by sha256, zlib-compressed (compression
               NULL: kept as sent, for formats that are compressed already — PDF, zip, images)
- crawl_runs   one row per crawl with its counts
- governments  the governments crawls were asked to cover (sites with a `region`), for `coverage`
- portals      the latest check of each site's home page (`python -m crawler portals`)

Every method commits its own transaction, so a crawl killed at any moment leaves
a consistent database (WAL mode) and the next crawl simply carries on.
"""
from __future__ import annotations

import contextlib
import hashlib
import json
import sqlite3
import time
import zlib
from datetime import UTC, datetime
from pathlib import Path

import sqlite_utils

from cjk_search import FTS_TABLE, INDEX_VERSION, ROWS_TABLE, TOKENIZE, index_text

from . import analysis, migrations
from .migrations import REPORT_COLUMNS_0001

# The columns a report row can have: the contract's, the project's, and what later migrations added.
REPORT_COLUMNS = {**REPORT_COLUMNS_0001, "error": str, "issuer_type": str}


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _connect_readonly(path: Path) -> sqlite3.Connection:
    """Open `path` without writing anything, not even WAL bookkeeping.

    mode=ro reads a live archive consistently (a crawl may be writing it). On a read-only
    medium SQLite cannot create the WAL index (-shm) that mode=ro needs for a WAL archive;
    nothing can be writing there, so the file is then opened immutable."""
    if not path.is_file():
        raise FileNotFoundError(f"{path}: no such database")
    uri = path.resolve().as_uri()
    conn = sqlite3.connect(f"{uri}?mode=ro", uri=True, timeout=30, isolation_level=None)
    try:
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        return conn
    except sqlite3.OperationalError:
        conn.close()
    return sqlite3.connect(f"{uri}?immutable=1", uri=True, isolation_level=None)


# Formats whose bytes are compressed already (PDF streams are Flate; DOCX, XLSX and OFD are zip;
# gzip; PNG, JPEG, GIF): zlib saves ~4% on them at the price of most of a crawl's compression time.
PACKED_FORMATS = (b"%PDF", b"PK\x03\x04", b"\x1f\x8b", b"\x89PNG", b"\xff\xd8\xff", b"GIF8")


def _packed(body: bytes) -> tuple[str | None, bytes]:
    """(compression, data) of a snapshot: zlib for pages and other text, the bytes as they are
    for a format that compresses them itself (Store.blob reads both, and every archive's old
    zlib snapshots)."""
    if body.startswith(PACKED_FORMATS):
        return None, body
    return "zlib", zlib.compress(body, 6)


def _tokens(text: str | None, known: dict[str, str] | None) -> str:
    """The index's tokens of `text`: those already computed for this very text, else index_text."""
    found = known.get(text) if known and text else None
    return index_text(text) if found is None else found


def _clean(row: dict) -> dict:
    """Empty values are NULL, never ''."""
    return {k: (None if isinstance(v, str) and not v.strip() else v) for k, v in row.items()}


class ReadOnlyArchive(Exception):
    """A read-only Store was asked to write."""


class StoreWriteError(Exception):
    """The archive cannot be written (disk full, read-only file, I/O error): the crawl must stop.

    Its message is one line naming the file and SQLite's reason. Once a write failed, the
    Store refuses every later one: a crawl that carried on would archive a random subset."""


def write_failure(exc: BaseException) -> bool:
    """Is `exc` the medium failing (full, read-only, I/O, locked for good) rather than a bug?"""
    if isinstance(exc, sqlite3.IntegrityError):
        return False
    return isinstance(exc, (sqlite3.OperationalError, sqlite3.DatabaseError, OSError))


class Store:
    """The archive. Opened for writing (the default) it is brought to the current schema;
    opened with readonly=True it is read as it is and nothing can write to it, so `raw`,
    `history`, `status` and `serve` work on a read-only file or medium."""

    def __init__(self, path: str | Path, readonly: bool = False):
        self.path = Path(path)
        self.readonly = readonly
        self.failure: str | None = None   # the first write that failed, as one line
        self.group_seconds: float | None = None   # group_commits(): units share a transaction this long
        self._group_started = 0.0
        self._in_unit = False
        self._unindexed: dict[int, tuple[str, str]] = {}   # the group's search rows, by rowid
        conn = _connect_readonly(self.path) if readonly else sqlite3.connect(
            str(self.path), timeout=30, isolation_level=None)
        self.db = sqlite_utils.Database(conn)
        self.db.execute("PRAGMA busy_timeout=30000")
        if not readonly:
            self.db.execute("PRAGMA journal_mode=WAL")
            self.db.execute("PRAGMA synchronous=NORMAL")
            self.migrate()

    # -- transactions ---------------------------------------------------------------------
    @contextlib.contextmanager
    def tx(self):
        """One unit of writes, kept or dropped whole (a report's files, row and signature; a
        fetch's snapshot and rows): a real transaction (BEGIN … COMMIT) of its own, or with
        group_commits() one savepoint of the group's transaction.

        A failing medium rolls back what is not committed and raises StoreWriteError, then and
        for every later write: what was committed stays consistent, nothing half-written is kept.

        Inside another tx() (ReportKeeper.keep: a report's files, row and signature) it is part of
        that unit, which keeps or drops it with the rest — no savepoint of its own."""
        if self.readonly:
            raise ReadOnlyArchive(f"{self.path}: opened read-only")
        if self.failure:
            raise StoreWriteError(self.failure)
        if self._in_unit:
            yield self.db
            return
        self._in_unit = True
        try:
            with self._medium():
                with self._unit():
                    yield self.db
                if self.group_seconds is not None and time.monotonic() - self._group_started >= self.group_seconds:
                    self._commit()
        finally:
            self._in_unit = False

    @contextlib.contextmanager
    def _medium(self):
        """The writes inside, with a failing medium (full, read-only, I/O) made StoreWriteError:
        what is not committed is dropped and every later write refused (`_failed`); a bug's
        exception goes up as itself. Shared by a unit (tx) and a group's commit (commit)."""
        try:
            yield
        except StoreWriteError:
            raise
        except Exception as exc:
            if not write_failure(exc):
                raise
            raise self._failed(exc) from exc

    @contextlib.contextmanager
    def _unit(self):
        """A unit's own transaction, or a savepoint in the group's (opened by its first unit)."""
        if self.group_seconds is None:
            with self.db.atomic():
                yield
            return
        conn = self.db.conn
        if not conn.in_transaction:
            conn.execute("BEGIN")
            self._group_started = time.monotonic()
        conn.execute("SAVEPOINT unit")
        unindexed = self._unindexed.copy()
        try:
            yield
        except BaseException:
            self._unindexed = unindexed   # the unit's search rows go with its rows
            if conn.in_transaction:   # a RAISE(ROLLBACK) or a failing medium may have ended it
                conn.execute("ROLLBACK TO unit")
                conn.execute("RELEASE unit")
            raise
        conn.execute("RELEASE unit")

    def group_commits(self, seconds: float | None) -> None:
        """Let the units of the next `seconds` share one transaction (None or 0: one each).

        A crawl's writes are thousands of small units (a fetch, a report, an analysis), and a
        commit costs more than most of them: the search index writes a segment and later merges
        it, the log grows a frame per page. Committed together every second or so they cost a
        fraction. What a killed crawl keeps is then what it had stored up to a second before,
        which is a state it could have been killed in anyway — every unit is still kept or
        dropped whole, in order — and the next run resumes from it (crawl/resume.py). Call
        commit() to end a group early (an idle crawl: a timer; the crawl's end)."""
        self.commit()
        self.group_seconds = seconds or None

    def commit(self) -> None:
        """Commit the open group of units, if any (StoreWriteError when the medium fails)."""
        if self.group_seconds is None or self._in_unit or not self.db.conn.in_transaction:
            return
        if self.failure:
            raise StoreWriteError(self.failure)
        with self._medium():
            self._commit()

    def _commit(self) -> None:
        self._flush_index()
        self.db.conn.execute("COMMIT")

    def _failed(self, exc: BaseException) -> StoreWriteError:
        """The medium failed: drop what is not committed, refuse every later write."""
        self.failure = f"{self.path}: cannot write the archive ({str(exc).splitlines()[0] or type(exc).__name__})"
        self._unindexed.clear()
        if self.db.conn.in_transaction:
            try:
                self.db.conn.execute("ROLLBACK")
            except sqlite3.Error:
                pass
        return StoreWriteError(self.failure)

    def _insert(self, table: str, row: dict) -> int:
        cols = list(row)
        sql = (f"INSERT INTO [{table}] ({', '.join(f'[{c}]' for c in cols)}) "
               f"VALUES ({', '.join('?' * len(cols))})")
        return self.db.execute(sql, [row[c] for c in cols]).lastrowid

    def _upsert(self, table: str, row: dict, pk: str) -> None:
        """Insert, or update only the columns given (like sqlite-utils' upsert)."""
        cols = list(row)
        updates = ", ".join(f"[{c}] = excluded.[{c}]" for c in cols if c != pk)
        self.db.execute(
            f"INSERT INTO [{table}] ({', '.join(f'[{c}]' for c in cols)}) "
            f"VALUES ({', '.join('?' * len(cols))}) ON CONFLICT([{pk}]) DO UPDATE SET {updates}",
            [row[c] for c in cols])

    # -- schema ---------------------------------------------------------------------------
    def migrate(self) -> list[str]:
        """Apply the migrations this archive has not had (crawler/store/migrations.py), then
        bring the search index in step; returns the migrations applied."""
        applied = migrations.apply(self.db)
        self._migrate_search()
        return applied

    # -- search index: CJK bigrams from cjk_search.py, kept in step with `reports` -----
    def _migrate_search(self) -> None:
        """Create the index; rebuild it when it no longer matches the reports or the tokenizer."""
        self.db.execute(f"CREATE TABLE IF NOT EXISTS {ROWS_TABLE} (id INTEGER PRIMARY KEY, "
                        "url TEXT NOT NULL UNIQUE, sha256 TEXT, version INTEGER NOT NULL)")
        # contentless: the index alone, the text stays in `reports` (half the size of a copy)
        self.db.execute(f"CREATE VIRTUAL TABLE IF NOT EXISTS {FTS_TABLE} USING fts5("
                        f"title, body, content='', tokenize=\"{TOKENIZE}\")")
        stale = self.db.execute(
            f"SELECT (SELECT count(*) FROM reports) != (SELECT count(*) FROM {ROWS_TABLE}) "
            f"OR EXISTS (SELECT 1 FROM {ROWS_TABLE} m LEFT JOIN reports r ON r.url = m.url "
            "WHERE m.version != ? OR r.sha256 IS NOT m.sha256)", [INDEX_VERSION]).fetchone()[0]
        if stale:
            self.rebuild_search_index()

    def rebuild_search_index(self) -> None:
        """Index every report afresh, in one transaction."""
        urls = [r["url"] for r in self.db.query("SELECT url FROM reports")]
        with self.tx():
            self.db.execute(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('delete-all')")
            self.db.execute(f"DELETE FROM {ROWS_TABLE}")
            for url in urls:
                self._index(url)

    def _index(self, url: str, tokens: dict[str, str] | None = None) -> None:
        """Index the stored row of `url`. `tokens` ({text: index_text(text)}, cjk_search.index_tokens)
        may hold its title's and body's tokens, computed where the text was read; an entry is
        used only for the text it keys, anything else is tokenized here."""
        row = self.report_row(url)
        cur = self.db.execute(f"INSERT INTO {ROWS_TABLE}(url, sha256, version) VALUES (?, ?, ?)",
                              [url, row["sha256"], INDEX_VERSION])
        entry = (_tokens(row["title"], tokens), _tokens(row["body"], tokens))
        if self.group_seconds is None:
            self.db.execute(f"INSERT INTO {FTS_TABLE}(rowid, title, body) VALUES (?, ?, ?)",
                            [cur.lastrowid, *entry])
        else:   # written when the group commits (_flush_index)
            self._unindexed[cur.lastrowid] = entry

    def _flush_index(self) -> None:
        """The group's search index rows, all at once just before it commits.

        FTS5 writes a segment of its index whenever a savepoint is released, and every unit of
        a group is one: indexed unit by unit, a group would cost as many segments (and later
        merges) as one commit a unit did. Kept aside instead, they are one segment a group,
        in the group's transaction all the same."""
        if self._unindexed:
            self.db.conn.executemany(f"INSERT INTO {FTS_TABLE}(rowid, title, body) VALUES (?, ?, ?)",
                                     [(rowid, *entry) for rowid, entry in sorted(self._unindexed.items())])
            self._unindexed.clear()

    def _unindex(self, url: str) -> None:
        """Before a report's text changes or its row goes (contentless FTS5 needs the old tokens)."""
        old = next(iter(self.db.query(
            f"SELECT m.id, r.title, r.body FROM {ROWS_TABLE} m JOIN reports r ON r.url = m.url "
            "WHERE m.url = ?", [url])), None)
        # indexed in this group and not yet written (_flush_index): nothing in the index to delete
        if old and self._unindexed.pop(old["id"], None) is None:
            self.db.execute(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, title, body) "
                            "VALUES ('delete', ?, ?, ?)",
                            [old["id"], index_text(old["title"]), index_text(old["body"])])
        self.db.execute(f"DELETE FROM {ROWS_TABLE} WHERE url = ?", [url])

    # -- raw bytes ------------------------------------------------------------------------
    def record_fetch(self, url: str, *, site: str | None, role: str | None, status: int | None,
                     content_type: str | None = None, body: bytes | None = None,
                     etag: str | None = None, last_modified: str | None = None,
                     error: str | None = None, run_id: int | None = None) -> str | None:
        """Keep what one fetch brought back: its bytes (once per content), its status, its error."""
        digest = sha256(body) if body is not None and status != 304 else None
        stamp = now()
        with self.tx():
            if digest:
                self.db.execute(
                    "INSERT OR IGNORE INTO snapshots(sha256, size, compression, data) VALUES (?,?,?,?)",
                    [digest, len(body), *_packed(body)])
            self._insert("fetches", _clean({
                "url": url, "run_id": run_id, "fetched_at": stamp, "status": status,
                "sha256": digest, "size": len(body) if body is not None else None, "error": error}))
            old = self.page(url)
            # a redirect may land on a page known in another role (a withdrawn report → its list)
            role = (old or {}).get("role") or role
            row = {"url": url, "site": site, "role": role, "status": status, "error": error,
                   "fetched_at": stamp, "run_id": run_id}
            if digest:
                row.update(content_type=content_type, sha256=digest, size=len(body),
                           etag=etag, last_modified=last_modified)
                if not old or old.get("sha256") != digest:
                    row["changed_at"] = stamp
            elif status == 304 and old:
                row["status"] = old["status"]  # still what it was; 304 only confirms it
            self._upsert("pages", _clean(row), "url")
        return digest

    def page(self, url: str) -> dict | None:
        """The `pages` row of `url`: its last status, type, digest, validators, error."""
        rows = list(self.db.query("SELECT * FROM pages WHERE url = ?", [url]))
        return rows[0] if rows else None

    def known_report(self, url: str) -> bool:
        """Is `url` a stored report or a known copy of one?"""
        return bool(self.db.execute(
            "SELECT EXISTS(SELECT 1 FROM reports WHERE url = ?) OR EXISTS(SELECT 1 FROM copies WHERE url = ?)",
            [url, url]).fetchone()[0])

    def page_error(self, url: str, error: str) -> None:
        """A fetched page whose processing failed keeps its bytes and says why."""
        with self.tx():
            self.db.execute("UPDATE pages SET error = ? WHERE url = ?", [error, url])

    def report_error(self, url: str, error: str | None) -> None:
        """A stored report whose page could not be read this time keeps its text and says why."""
        with self.tx():
            self.db.execute("UPDATE reports SET error = ? WHERE url = ?", [error, url])

    def validators(self, url: str) -> dict | None:
        """ETag / Last-Modified of the archived copy, for a conditional re-request."""
        page = self.page(url)
        if not page or not page.get("sha256") or page.get("status") != 200:
            return None
        return {"etag": page.get("etag"), "last_modified": page.get("last_modified"),
                "sha256": page["sha256"]}

    def raw(self, url: str) -> bytes | None:
        """The latest archived bytes of `url`, exactly as the server sent them."""
        rows = list(self.db.query(
            "SELECT s.data, s.compression FROM pages p JOIN snapshots s ON s.sha256 = p.sha256 "
            "WHERE p.url = ?", [url]))
        if not rows:
            return None
        return self.blob(rows[0]["data"], rows[0]["compression"])

    def archived_text(self, url: str) -> str | None:
        """The archived page decoded the way a browser would (header charset, meta charset, BOM)."""
        from w3lib.encoding import html_to_unicode
        data, page = self.raw(url), self.page(url)
        if data is None:
            return None
        return html_to_unicode(page.get("content_type") if page else None, data)[1]

    def snapshot(self, digest: str) -> bytes | None:
        rows = list(self.db.query("SELECT data, compression FROM snapshots WHERE sha256 = ?", [digest]))
        return self.blob(rows[0]["data"], rows[0]["compression"]) if rows else None

    def fetched_snapshots(self):
        """Every fetch that brought bytes, oldest first, with those bytes (for WARC export)."""
        for row in self.db.query(
                "SELECT f.url, f.fetched_at, f.status, p.content_type, s.data, s.compression "
                "FROM fetches f JOIN snapshots s ON s.sha256 = f.sha256 "
                "LEFT JOIN pages p ON p.url = f.url ORDER BY f.id"):
            yield {**row, "data": self.blob(row["data"], row["compression"])}

    @staticmethod
    def blob(data: bytes, compression: str | None) -> bytes:
        """A snapshot's bytes as sent: zlib-decompressed, or as stored (compression NULL)."""
        return zlib.decompress(data) if compression == "zlib" else data

    # -- reports --------------------------------------------------------------------------
    def save_report(self, report: dict, page_sha256: str | None = None,
                    tokens: dict[str, str] | None = None) -> str:
        """Upsert a report by address; returns 'new', 'changed' or 'unchanged'.

        A changed title or body adds a row to `versions`; earlier texts are never lost.
        `tokens`: the search index's tokens of its texts if already computed (see _index).
        """
        with self.tx():
            return self._save_report(report, page_sha256, tokens)

    def _save_report(self, report: dict, page_sha256: str | None, tokens: dict[str, str] | None = None) -> str:
        url, stamp = report["url"], now()
        row = _clean({k: v for k, v in report.items() if k in REPORT_COLUMNS})
        body = row.get("body") or ""
        text_hash = sha256(f"{row.get('title') or ''}\n{body}".encode())
        old = next(iter(self.db.query(
            "SELECT sha256, first_seen, version_count FROM reports WHERE url = ?", [url])), None)
        outcome = "new" if old is None else ("unchanged" if old["sha256"] == text_hash else "changed")
        if outcome != "unchanged":
            self._insert("versions", {
                "url": url, "fetched_at": stamp, "sha256": text_hash, "title": row.get("title"),
                "body": row.get("body"), "body_length": len(body), "page_sha256": page_sha256})
        versions = (old["version_count"] or 1) + (outcome == "changed") if old else 1
        row.update(sha256=text_hash, last_seen=stamp, fetched_at=stamp, status="live",
                   gone_since=None, version_count=versions,
                   first_seen=old["first_seen"] if old else stamp)
        if outcome != "unchanged":
            self._unindex(url)
        self._upsert("reports", row, "url")
        if outcome != "unchanged":
            self._index(url, tokens)
        return outcome

    def touch_report(self, url: str) -> bool:
        """A 304 or an unchanged page: the report is still there."""
        with self.tx():
            cur = self.db.execute(
                "UPDATE reports SET last_seen = ?, status = 'live', gone_since = NULL WHERE url = ?",
                [now(), url])
        return cur.rowcount > 0

    def report_bodies(self) -> list[tuple[str, str, bytes | None, str | None]]:
        """(url, body, stored signature, the body sha256 it was computed from) per report."""
        return [(r["url"], r["body"], r["data"], r["body_sha256"]) for r in self.db.query(
            "SELECT r.url, r.body, s.data, s.body_sha256 FROM reports r "
            "LEFT JOIN signatures s ON s.url = r.url WHERE r.body IS NOT NULL")]

    def save_signature(self, url: str, body_sha256: str, data: bytes) -> None:
        with self.tx():
            self._upsert("signatures", {"url": url, "body_sha256": body_sha256, "data": data}, "url")

    def report_row(self, url: str) -> dict | None:
        return next(iter(self.db.query("SELECT * FROM reports WHERE url = ?", [url])), None)

    def replace_report_url(self, old_url: str, report: dict, page_sha256: str | None,
                           similarity: float, tokens: dict[str, str] | None = None) -> None:
        """The official page turned up after a copy: it becomes the report, the old row a copy."""
        old = self.report_row(old_url) or {}
        with self.tx():
            self._unindex(old_url)
            self.db.execute("DELETE FROM reports WHERE url = ?", [old_url])
            self.db.execute("UPDATE copies SET report_url = ? WHERE report_url = ?",
                            [report["url"], old_url])
            self._save_report(report, page_sha256, tokens)
            self._add_copy(old_url, report["url"], old.get("site"), old.get("title"), similarity)

    def add_copy(self, url: str, report_url: str, site: str | None, title: str | None,
                 similarity: float) -> None:
        with self.tx():
            self._add_copy(url, report_url, site, title, similarity)

    def _add_copy(self, url: str, report_url: str, site: str | None, title: str | None,
                  similarity: float) -> None:
        self._upsert("copies", _clean({
            "url": url, "report_url": report_url, "site": site, "title": title,
            "similarity": round(similarity, 3), "found_at": now()}), "url")
        self._unindex(url)
        self.db.execute("DELETE FROM reports WHERE url = ?", [url])
        self.db.execute("DELETE FROM signatures WHERE url = ?", [url])
        analysis.forget(self.db, url)
        self.db.execute(
            "UPDATE reports SET copy_count = (SELECT count(*) FROM copies WHERE report_url = ?) "
            "WHERE url = ?", [report_url, report_url])

    def copy_of(self, url: str) -> str | None:
        row = next(iter(self.db.query("SELECT report_url FROM copies WHERE url = ?", [url])), None)
        return row["report_url"] if row else None

    def save_attachment(self, row: dict) -> None:
        with self.tx():
            self._upsert("attachments", _clean(dict(row, fetched_at=now())), "url")

    # -- what is inside reports (crawler/analyze/, tables in store/analysis.py) ----------
    def save_analysis(self, result: dict) -> None:
        """A report's sections, disclosure figures and checks, parts and repeated-text share,
        replacing the previous analysis, in one transaction."""
        with self.tx():
            analysis.write(self.db, result, now())

    def analysis_failed(self, url: str, version: int, error: str) -> None:
        """Record why a report could not be analysed; the report itself is untouched."""
        with self.tx():
            analysis.failed(self.db, url, version, error, now())

    def neighbours(self, url: str) -> dict:
        """The same government's reports of the year before and after ({url, body} or None)."""
        return analysis.neighbours(self.db, url)

    def analyzed_version(self, url: str) -> int | None:
        return analysis.analyzed_version(self.db, url)

    def mark_gone(self, site: str, seen: set[str]) -> int:
        """Reports of `site` this run did not see are marked gone (kept, never deleted)."""
        stamp = now()
        live = [r["url"] for r in self.db.query(
            "SELECT url FROM reports WHERE site = ? AND status = 'live'", [site])]
        gone = [u for u in live if u not in seen]
        with self.tx():
            for url in gone:
                self.db.execute("UPDATE reports SET status = 'gone', gone_since = ? WHERE url = ?",
                                [stamp, url])
        return len(gone)

    def history(self, url: str) -> list[dict]:
        return list(self.db.query(
            "SELECT fetched_at, sha256, title, body_length, page_sha256 FROM versions "
            "WHERE url = ? ORDER BY id", [url]))

    # -- governments (coverage) -----------------------------------------------------------
    def save_governments(self, rows: list[dict]) -> None:
        """The governments a crawl covers (crawler/analyze/coverage.py), upserted by code and
        never deleted: `coverage` lists every government any crawl was asked to cover."""
        stamp = now()
        with self.tx():
            for row in rows:
                self._upsert("governments", _clean({**row, "updated_at": stamp}), "region_code")

    # -- portals --------------------------------------------------------------------------
    def save_portal(self, row: dict) -> None:
        """The latest check of a site's home page (spiders/portals.py), replacing the previous one."""
        from .migrations import PORTAL_COLUMNS_0005
        values = {k: row.get(k) for k in PORTAL_COLUMNS_0005 if k != "checked_at"}
        for key in ("used_alt", "site_code_matches", "names_government"):
            if values[key] is not None:
                values[key] = int(bool(values[key]))
        with self.tx():
            self.db.execute("DELETE FROM portals WHERE site = ?", [row["site"]])
            self._insert("portals", _clean({**values, "checked_at": now()}))

    def portals(self) -> list[dict]:
        return list(self.db.query("SELECT * FROM portals ORDER BY site")) \
            if self.db["portals"].exists() else []

    # -- runs -----------------------------------------------------------------------------
    def start_run(self, sites: list[str], pid: int) -> int:
        with self.tx():
            # a run that never ended was killed; say so rather than leave it 'running'
            self.db.execute("UPDATE crawl_runs SET status = 'killed' WHERE status = 'running'")
            return self._insert("crawl_runs", {
                "started_at": now(), "status": "running", "pid": pid,
                "sites": json.dumps(sites, ensure_ascii=False)})

    def finish_run(self, run_id: int, status: str, counts: dict, per_site: dict,
                   error: str | None = None) -> None:
        """The run's end: its status ('finished', 'failed' …), counts and, if it failed, why."""
        with self.tx():
            self._upsert("crawl_runs", {
                "id": run_id, "ended_at": now(), "status": status, **counts, "error": error,
                "per_site": json.dumps(per_site, ensure_ascii=False, sort_keys=True)}, "id")

    def interrupted_runs(self, before: int, max_age_hours: float) -> list[int]:
        """The runs a crawl starting now (run `before`) resumes: those since the last finished run
        — killed, failed, stopped — that started at most `max_age_hours` ago (an old kill is not
        resumed: what it fetched is re-checked like anything else)."""
        since = datetime.now(UTC).timestamp() - max_age_hours * 3600
        runs = []
        for row in self.db.query("SELECT id, status, started_at FROM crawl_runs WHERE id < ? ORDER BY id DESC",
                                 [before]):
            if row["status"] == "finished":
                break
            if datetime.fromisoformat(row["started_at"]).timestamp() < since:
                break
            runs.append(row["id"])
        return runs

    def done_fetch(self, url: str, runs: list[int]) -> dict | None:
        """The last answer one of `runs` got for `url` — a 200 whose bytes are archived, or a 304 —
        with the content type its page row keeps; None when they did not fetch it whole."""
        if not runs:
            return None
        marks = ",".join("?" * len(runs))
        rows = list(self.db.query(
            f"SELECT f.status, f.sha256, p.content_type FROM fetches f LEFT JOIN pages p ON p.url = f.url "
            f"WHERE f.url = ? AND f.run_id IN ({marks}) AND f.error IS NULL "
            f"AND ((f.status = 200 AND f.sha256 IS NOT NULL) OR f.status = 304) ORDER BY f.id DESC LIMIT 1",
            [url, *runs]))
        return rows[0] if rows else None

    def reports_per_site(self) -> dict[str, int]:
        return {r["site"]: r["n"] for r in self.db.query(
            "SELECT site, count(*) AS n FROM reports GROUP BY site")}

    def list_errors(self, site: str, run_id: int) -> list[str]:
        """Errors of the list pages a run fetched for a site: a moved column shows here (a server
        asking to come back later — rate-limited — is not a moved column)."""
        return [f"{r['url']} ({r['error']})" for r in self.db.query(
            "SELECT url, error FROM pages WHERE site = ? AND run_id = ? AND role = 'list' "
            "AND error IS NOT NULL AND error NOT LIKE 'rate-limited:%' ORDER BY url", [site, run_id])]

    def runs(self, limit: int = 20) -> list[dict]:
        return list(self.db.query("SELECT * FROM crawl_runs ORDER BY id DESC LIMIT ?", [limit]))

    def close(self) -> None:
        """Commit an open group of units (StoreWriteError if that fails), then close."""
        try:
            if not self.failure:
                self.commit()
        finally:
            self.db.conn.close()
