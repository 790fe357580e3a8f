"""A schema that grows: numbered migrations, an archive of an older release crawled into by
this one with nothing lost, and read-only commands that never write."""
from __future__ import annotations

import hashlib
import os
import shutil
import sqlite3
import stat
import subprocess
import sys
from contextlib import ExitStack, closing, contextmanager
from pathlib import Path

import pytest

from crawler.devtools import demo
from crawler.store import Store
from crawler.store.migrations import MIGRATIONS, pending
from tests.conftest import FIXTURES, run_cli
from tests.holdout import FAST

RELEASE = FIXTURES / "archives" / "release-0.1.0.db"


def rows(db, sql, *params):
    with closing(sqlite3.connect(db)) as conn:   # closed: no -wal/-shm left beside the file
        conn.row_factory = sqlite3.Row
        return [dict(r) for r in conn.execute(sql, params)]


def digest(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def old(tmp_path):
    copy = tmp_path / "archive.db"
    shutil.copyfile(RELEASE, copy)
    return copy


def test_a_new_archive_has_every_migration_recorded(tmp_path):
    store = Store(tmp_path / "a.db")
    assert pending(store.db) == []
    names = [r["name"] for r in rows(tmp_path / "a.db", "SELECT name FROM _sqlite_migrations ORDER BY id")]
    assert names == [m.name for m in MIGRATIONS._migrations]
    assert "error" in store.db["reports"].columns_dict and "error" in store.db["crawl_runs"].columns_dict


def test_an_archive_of_release_0_1_0_is_migrated_with_every_row_kept(old):
    before = {t: rows(old, f"SELECT * FROM {t}") for t in ("reports", "versions", "copies", "attachments")}
    assert pending_in(old) == [m.name for m in MIGRATIONS._migrations]
    Store(old).close()
    assert pending_in(old) == []
    for table, old_rows in before.items():
        now = {r.get("url") or r["id"]: r for r in rows(old, f"SELECT * FROM {table}")}
        for row in old_rows:
            kept = now[row.get("url") or row["id"]]
            assert {k: kept[k] for k in row} == row, table   # old columns untouched, new ones added


def test_todays_crawl_into_an_old_archive_keeps_every_report(tmp_path, old):
    before = {r["url"]: r for r in rows(old, "SELECT * FROM reports")}
    versions_before = rows(old, "SELECT url, sha256, body FROM versions ORDER BY id")
    with ExitStack() as stack:
        servers = demo.start_portals(stack)   # the addresses release 0.1.0 crawled
        sites = tmp_path / "sites.yaml"
        sites.write_text(demo.sites_yaml(servers), encoding="utf-8")
        result = run_cli("crawl", "--sites", str(sites), "--db", str(old), "-q",
                         "--log-file", str(tmp_path / "crawl.log"), *FAST)
    assert result.returncode == 0, result.stderr.decode()
    after = {r["url"]: r for r in rows(old, "SELECT * FROM reports")}
    assert set(before) <= set(after)
    for url, row in before.items():
        assert after[url]["title"] == row["title"] and after[url]["body"] == row["body"], url
        assert after[url]["first_seen"] == row["first_seen"]
    versions_after = rows(old, "SELECT url, sha256, body FROM versions ORDER BY id")
    assert versions_after[:len(versions_before)] == versions_before   # no text ever lost
    assert all(r["body"] for r in after.values())
    runs = rows(old, "SELECT status FROM crawl_runs ORDER BY id")
    assert [r["status"] for r in runs][-1] == "finished" and len(runs) == 2


def sqlite_utils_db(path):
    import sqlite_utils
    return sqlite_utils.Database(sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True))


def pending_in(path) -> list[str]:
    db = sqlite_utils_db(path)
    try:
        return pending(db)
    finally:
        db.conn.close()


@contextmanager
def read_only_medium(directory: Path):
    """`directory` as a read-only file system would present it: a read-only bind mount where
    we may mount (root, as in CI: permission bits do not bind root), else permission bits."""
    view = directory.parent / f"{directory.name}-ro"
    view.mkdir()
    if os.geteuid() == 0:
        mounted = subprocess.run(["mount", "--bind", str(directory), str(view)], capture_output=True).returncode == 0
        if not mounted or subprocess.run(["mount", "-o", "remount,ro,bind", str(view)],
                                         capture_output=True).returncode:
            if mounted:
                subprocess.run(["umount", str(view)])
            pytest.skip("cannot make a read-only bind mount here")
        try:
            yield view
        finally:
            subprocess.run(["umount", str(view)], check=True)
            view.rmdir()
    else:
        view.rmdir()
        os.chmod(directory / "archive.db", stat.S_IRUSR)
        os.chmod(directory, stat.S_IRUSR | stat.S_IXUSR)
        try:
            yield directory
        finally:
            os.chmod(directory, stat.S_IRWXU)
            os.chmod(directory / "archive.db", stat.S_IRUSR | stat.S_IWUSR)


@pytest.mark.parametrize("command", [["status"], ["history", "URL"], ["raw", "URL"], ["export", "--out", "OUT"]])
def test_read_only_commands_write_nothing_and_work_on_a_read_only_medium(tmp_path, old, command):
    url = rows(old, "SELECT url FROM reports ORDER BY url LIMIT 1")[0]["url"]
    out = tmp_path / "out"
    argv = [str(out) if a == "OUT" else url if a == "URL" else a for a in command]
    sums = digest(old)
    with read_only_medium(old.parent) as medium:
        with pytest.raises(OSError):
            (medium / "probe").write_bytes(b"")
        result = run_cli(*argv, "--db", str(medium / "archive.db"))
        assert sorted(p.name for p in medium.iterdir() if not p.name.startswith(("out", "archive.db-ro"))) \
            == ["archive.db"]
    assert b"Traceback" not in result.stderr, result.stderr.decode()
    if command[0] == "status":   # status exits 1 when a site is flagged, never 2
        assert result.returncode in (0, 1), result.stderr.decode()
    else:
        assert result.returncode == 0, result.stderr.decode()
    assert digest(old) == sums


def test_the_analysis_tables_and_views_come_to_an_old_archive(old):
    """Migration 0003: an archive of release 0.1.0 gets the tables of crawler/analyze/ and views
    that read them; its reports are analysed on the next crawl (see test_analyze_holdout.py)."""
    Store(old).close()
    tables = {r["name"] for r in rows(old, "SELECT name FROM sqlite_master WHERE type IN ('table', 'view')")}
    assert {"sections", "disclosure_figures", "disclosure_checks", "report_parts", "repeated_text",
            "disclosure_summary", "report_completeness", "completeness_by_year", "report_years"} <= tables
    assert rows(old, "SELECT * FROM disclosure_summary") == []
    years = rows(old, "SELECT * FROM report_years")
    assert len(years) == len(rows(old, "SELECT url FROM reports WHERE report_type IS NOT NULL AND year IS NOT NULL"))


def test_coverage_and_portals_come_to_an_old_archive(old):
    """Migrations 0004 and 0005: the governments table, reports.issuer_type and the coverage view,
    then the portals table; the old reports (issuer unknown) count as their government's own."""
    Store(old).close()
    tables = {r["name"] for r in rows(old, "SELECT name FROM sqlite_master WHERE type IN ('table', 'view')")}
    assert {"governments", "coverage", "portals"} <= tables
    assert {r["name"] for r in rows(old, "PRAGMA table_info(reports)")} >= {"issuer_type"}
    assert rows(old, "SELECT count(*) AS n FROM coverage") == [{"n": 0}]   # no government known yet


def test_serve_publishes_a_read_only_archive_without_writing_beside_it(old):
    """`serve` on a read-only medium: the published copy is made in a folder of its own."""
    import socket
    import time
    import urllib.request

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    sums = digest(old)
    with read_only_medium(old.parent) as medium:
        env = dict(os.environ, PYTHONPATH=str(FIXTURES.parents[1]))
        server = subprocess.Popen([sys.executable, "-m", "crawler", "serve", "--db", str(medium / "archive.db"),
                                   "--port", str(port)], cwd=FIXTURES.parents[1], env=env,
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        try:
            status, deadline = None, time.monotonic() + 90
            while status is None and time.monotonic() < deadline and server.poll() is None:
                try:
                    with urllib.request.urlopen(f"http://127.0.0.1:{port}/archive/reports.json", timeout=5) as r:
                        status = r.status
                except OSError:
                    time.sleep(0.5)
        finally:
            server.terminate()
            out, err = server.communicate(timeout=30)
        assert status == 200, err.decode()[-500:]
        assert sorted(p.name for p in medium.iterdir()) == ["archive.db"]
    assert digest(old) == sums
