"""The one module that knows the schema: every write to archive.db goes through here.

Layout (documented in the README):
- reports      one row per distinct report (the public contract), latest text
- versions     every distinct text a report had at its address, with when it was fetched
- copies       other addresses where the same report was found
- attachments  files linked from report pages, with their extracted text or error
- pages        every fetched address: last status, type, sha256, validators, error
- fetches      one row per fetch (the history behind `pages`)
- snapshots    the raw bytes, content-addressed by sha256, zlib-compressed
- crawl_runs   one row per crawl with its counts
- governments  the governments crawls were asked to cover (sites with a `region`), for `coverage`

Every method commits its own transaction, so a crawl killed at any moment leaves
a consistent database (WAL mode) and the next crawl simply carries on.
"""
from __future__ import annotations

import contextlib
import hashlib
import json
import sqlite3
import zlib
from datetime import datetime, timezone
from pathlib import Path

import sqlite_utils

from cjk_search import FTS_TABLE, INDEX_VERSION, ROWS_TABLE, TOKENIZE, index_text

REPORT_COLUMNS = {
    "url": str, "title": str, "report_type": str, "year": int, "publisher": str,
    "index_no": str, "doc_no": str, "written_date": str, "published_date": str,
    "body": str, "region_code": str, "site": str,
    # extensions beyond the contract
    "province": str, "city": str, "county": str, "column": str, "source_url": str,
    "sha256": str, "first_seen": str, "last_seen": str, "fetched_at": str,
    "status": str, "gone_since": str, "version_count": int, "copy_count": int,
    "issuer_type": str,
}
GOVERNMENT_COLUMNS = {"region_code": str, "name": str, "level": str, "site": str,
                      "province_code": str, "city_code": str, "province_name": str,
                      "city_name": str, "updated_at": str}
FIRST_COVERAGE_YEAR = 2019   # the first year both reports were due under today's rules


# Publication deadlines (../shared/reference/domain.md §1, §7.2): a 法治政府建设年度报告 for year Y ≥ 2019
# ("每年4月1日之前") and a 政府信息公开工作年度报告 ("3月31日前", the governments' date) are due by Y+1-03-31.
DEADLINES_VIEW = """CREATE VIEW report_deadlines AS
SELECT url, title, report_type, year, province, publisher, published_date, deadline,
       CASE WHEN substr(published_date, 1, 10) > deadline
            THEN CAST(julianday(substr(published_date, 1, 10)) - julianday(deadline) AS INTEGER)
       END AS days_late,
       CASE WHEN deadline IS NULL THEN 'not_applicable'
            WHEN published_date IS NULL THEN 'no_date'
            WHEN substr(published_date, 1, 10) <= deadline THEN 'on_time'
            ELSE 'late' END AS timeliness
FROM (SELECT *, CASE WHEN report_type = '政府信息公开工作年度报告'
                       OR (report_type = '法治政府建设年度报告' AND year >= 2019)
                     THEN printf('%04d-03-31', year + 1) END AS deadline
      FROM reports)"""


# Who published what (issue 11): one row per government of the sites file × year from 2019 to the
# last completed year × report type. The government's own reports count (issuer_type
# 'government', or NULL for rows stored before the column existed); its departments' and
# townships' reports are counted beside it (department_reports) but never make it published.
# A report without a region of its own belongs to its site's government. Best status wins:
# on_time (published by Y+1-03-31, as report_deadlines) > late > no_date (no 发布日期) > missing.
COVERAGE_VIEW = f"""CREATE VIEW coverage AS
WITH RECURSIVE years(year) AS (
  SELECT {FIRST_COVERAGE_YEAR}
  UNION ALL SELECT year + 1 FROM years WHERE year + 1 < CAST(strftime('%Y', 'now') AS INTEGER)),
types(report_type) AS (VALUES ('法治政府建设年度报告'), ('政府信息公开工作年度报告')),
found AS (
  SELECT coalesce(r.region_code, g.region_code) AS region_code, r.year, r.report_type, r.url,
         r.published_date, coalesce(r.issuer_type, 'government') = 'government' AS own,
         CASE WHEN r.published_date IS NULL THEN 3
              WHEN substr(r.published_date, 1, 10) <= printf('%04d-03-31', r.year + 1) THEN 1
              ELSE 2 END AS rank
  FROM reports r LEFT JOIN governments g ON g.site = r.site
  WHERE r.report_type IN ('法治政府建设年度报告', '政府信息公开工作年度报告')
    AND r.year >= {FIRST_COVERAGE_YEAR}),
best AS (
  SELECT region_code, year, report_type, min(rank) AS rank, url, published_date
  FROM found WHERE own GROUP BY 1, 2, 3),
counted AS (
  SELECT region_code, year, report_type, sum(own) AS own_reports,
         sum(NOT own) AS department_reports
  FROM found GROUP BY 1, 2, 3)
SELECT g.region_code, y.year, t.report_type,
       CASE b.rank WHEN 1 THEN 'on_time' WHEN 2 THEN 'late' WHEN 3 THEN 'no_date'
            ELSE 'missing' END AS status,
       g.name, g.level, g.province_code, g.city_code, g.province_name, g.city_name, g.site,
       b.url AS report_url, b.published_date, printf('%04d-03-31', y.year + 1) AS deadline,
       coalesce(c.own_reports, 0) AS reports, coalesce(c.department_reports, 0) AS department_reports
FROM governments g CROSS JOIN years y CROSS JOIN types t
LEFT JOIN best b ON b.region_code = g.region_code AND b.year = y.year AND b.report_type = t.report_type
LEFT JOIN counted c ON c.region_code = g.region_code AND c.year = y.year
                   AND c.report_type = t.report_type"""


def now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _clean(row: dict) -> dict:
    """Empty values are NULL, never ''."""
    return {k: (None if isinstance(v, str) and not v.strip() else v) for k, v in row.items()}


class Store:
    def __init__(self, path: str | Path):
        self.path = Path(path)
        conn = sqlite3.connect(str(self.path), timeout=30, isolation_level=None)
        self.db = sqlite_utils.Database(conn)
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=NORMAL")
        self.db.execute("PRAGMA busy_timeout=30000")
        self.migrate()

    # -- transactions ---------------------------------------------------------------------
    @contextlib.contextmanager
    def tx(self):
        """One real transaction. The connection runs in autocommit mode, and sqlite-utils'
        own `with conn:` would commit half-way, so writes inside use _insert/_upsert."""
        self.db.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        self.db.execute("COMMIT")

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
    def migrate(self) -> None:
        db = self.db
        with db.conn:
            db["reports"].create(REPORT_COLUMNS, pk="url", if_not_exists=True)
            db["versions"].create({
                "id": int, "url": str, "fetched_at": str, "sha256": str, "title": str,
                "body": str, "body_length": int, "page_sha256": str,
            }, pk="id", if_not_exists=True)
            db["copies"].create({
                "url": str, "report_url": str, "site": str, "title": str,
                "similarity": float, "found_at": str,
            }, pk="url", if_not_exists=True)
            db["attachments"].create({
                "url": str, "report_url": str, "name": str, "type": str, "size": int,
                "sha256": str, "text": str, "error": str, "fetched_at": str,
            }, pk="url", if_not_exists=True)
            db["pages"].create({
                "url": str, "site": str, "role": str, "status": int, "content_type": str,
                "sha256": str, "size": int, "etag": str, "last_modified": str,
                "fetched_at": str, "changed_at": str, "error": str, "run_id": int,
            }, pk="url", if_not_exists=True)
            db["fetches"].create({
                "id": int, "url": str, "run_id": int, "fetched_at": str, "status": int,
                "sha256": str, "size": int, "error": str,
            }, pk="id", if_not_exists=True)
            db["snapshots"].create({
                "sha256": str, "size": int, "compression": str, "data": bytes,
            }, pk="sha256", if_not_exists=True)
            db["signatures"].create({   # near-duplicate signatures of report bodies (crawler/dedup.py)
                "url": str, "body_sha256": str, "data": bytes,
            }, pk="url", if_not_exists=True)
            db["crawl_runs"].create({
                "id": int, "started_at": str, "ended_at": str, "status": str, "pid": int,
                "sites": str, "pages_fetched": int, "bytes_received": int,
                "reports_new": int, "reports_changed": int, "reports_gone": int,
                "failures": int, "blocked": int, "robots_refused": int, "per_site": str,
            }, pk="id", if_not_exists=True)
            db["governments"].create(GOVERNMENT_COLUMNS, pk="region_code", if_not_exists=True)
            if "issuer_type" not in db["reports"].columns_dict:   # archives made before issue 11
                db["reports"].add_column("issuer_type", str)
            for table, cols in [("governments", ["site"]), ("versions", ["url"]), ("copies", ["report_url"]),
                                ("attachments", ["report_url"]), ("fetches", ["url"]),
                                ("reports", ["site"]), ("pages", ["site"])]:
                db[table].create_index(cols, if_not_exists=True)
            view = db.execute(
                "SELECT sql FROM sqlite_master WHERE name = 'report_deadlines'").fetchone()
            if not view or view[0] != DEADLINES_VIEW:  # no schema change on an ordinary open
                db.execute("DROP VIEW IF EXISTS report_deadlines")
                db.execute(DEADLINES_VIEW)
            view = db.execute("SELECT sql FROM sqlite_master WHERE name = 'coverage'").fetchone()
            if not view or view[0] != COVERAGE_VIEW:
                db.execute("DROP VIEW IF EXISTS coverage")
                db.execute(COVERAGE_VIEW)
        self._migrate_search()

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

    def _index(self, url: str) -> None:
        row = self.report_row(url)
        cur = self.db.execute(f"INSERT INTO {ROWS_TABLE}(url, sha256, version) VALUES (?, ?, ?)",
                              [url, row["sha256"], INDEX_VERSION])
        self.db.execute(f"INSERT INTO {FTS_TABLE}(rowid, title, body) VALUES (?, ?, ?)",
                        [cur.lastrowid, index_text(row["title"]), index_text(row["body"])])

    def _unindex(self, url: str) -> None:
        """Before a report's text changes or its row goes (contentless FTS5 needs the old tokens)."""
        old = next(iter(self.db.query(
            f"SELECT m.id, r.title, r.body FROM {ROWS_TABLE} m JOIN reports r ON r.url = m.url "
            "WHERE m.url = ?", [url])), None)
        if old:
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
                    [digest, len(body), "zlib", zlib.compress(body, 6)])
            self._insert("fetches", _clean({
                "url": url, "run_id": run_id, "fetched_at": stamp, "status": status,
                "sha256": digest, "size": len(body) if body is not None else None, "error": error}))
            old = self._page(url)
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

    def _page(self, url: str) -> dict | None:
        rows = list(self.db.query("SELECT * FROM pages WHERE url = ?", [url]))
        return rows[0] if rows else None

    def page_error(self, url: str, error: str) -> None:
        """A fetched page whose processing failed keeps its bytes and says why."""
        with self.tx():
            self.db.execute("UPDATE pages SET error = ? WHERE url = ?", [error, url])

    def validators(self, url: str) -> dict | None:
        """ETag / Last-Modified of the archived copy, for a conditional re-request."""
        page = self._page(url)
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
        data, page = self.raw(url), self._page(url)
        if data is None:
            return None
        content_type = page.get("content_type") if page else None
        return html_to_unicode(content_type, data)[1]

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
    def blob(data: bytes, compression: str) -> bytes:
        return zlib.decompress(data) if compression == "zlib" else data

    # -- reports --------------------------------------------------------------------------
    def save_report(self, report: dict, page_sha256: str | None = None) -> str:
        """Upsert a report by address; returns 'new', 'changed' or 'unchanged'.

        A changed title or body adds a row to `versions`; earlier texts are never lost.
        """
        with self.tx():
            return self._save_report(report, page_sha256)

    def _save_report(self, report: dict, page_sha256: str | None) -> str:
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
            self._index(url)
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
                           similarity: float) -> None:
        """The official page turned up after a copy: it becomes the report, the old row a copy."""
        old = self.report_row(old_url) or {}
        with self.tx():
            self._unindex(old_url)
            self.db.execute("DELETE FROM reports WHERE url = ?", [old_url])
            self.db.execute("UPDATE copies SET report_url = ? WHERE report_url = ?",
                            [report["url"], old_url])
            self._save_report(report, page_sha256)
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
        self.db.execute(
            "UPDATE reports SET copy_count = (SELECT count(*) FROM copies WHERE report_url = ?) "
            "WHERE url = ?", [report_url, report_url])

    def copy_of(self, url: str) -> str | None:
        row = next(iter(self.db.query("SELECT report_url FROM copies WHERE url = ?", [url])), None)
        return row["report_url"] if row else None

    def save_attachment(self, row: dict) -> None:
        with self.tx():
            self._upsert("attachments", _clean(dict(row, fetched_at=now())), "url")

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

    # -- runs -----------------------------------------------------------------------------
    def start_run(self, sites: list[str], pid: int) -> int:
        with self.tx():
            # a run that never ended was killed; say so rather than leave it 'running'
            self.db.execute("UPDATE crawl_runs SET status = 'killed' WHERE status = 'running'")
            return self._insert("crawl_runs", {
                "started_at": now(), "status": "running", "pid": pid,
                "sites": json.dumps(sites, ensure_ascii=False)})

    def finish_run(self, run_id: int, status: str, counts: dict, per_site: dict) -> None:
        with self.tx():
            self._upsert("crawl_runs", {
                "id": run_id, "ended_at": now(), "status": status, **counts,
                "per_site": json.dumps(per_site, ensure_ascii=False, sort_keys=True)}, "id")

    def reports_per_site(self) -> dict[str, int]:
        return {r["site"]: r["n"] for r in self.db.query(
            "SELECT site, count(*) AS n FROM reports GROUP BY site")}

    def list_errors(self, site: str, run_id: int) -> list[str]:
        """Errors of the list pages a run fetched for a site: a moved column shows here."""
        return [f"{r['url']} ({r['error']})" for r in self.db.query(
            "SELECT url, error FROM pages WHERE site = ? AND run_id = ? AND role = 'list' "
            "AND error IS NOT NULL ORDER BY url", [site, run_id])]

    def runs(self, limit: int = 20) -> list[dict]:
        return list(self.db.query("SELECT * FROM crawl_runs ORDER BY id DESC LIMIT ?", [limit]))

    def close(self) -> None:
        self.db.conn.close()
