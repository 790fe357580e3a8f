"""Issue 16, items 2 and 4: a disk that fills up mid-crawl fails the run, loudly and consistently,
and the next crawl resumes; two crawls started together on a new database: one runs, one exits 3.

Real crawls (the CLI in a subprocess) of fixture portals on loopback into a real SQLite file;
the full disk is a real 3 MB tmpfs (mounting needs root, as the tests have in CI).
"""
from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import threading
import time
from contextlib import ExitStack, closing

import pytest

from crawler.devtools.fixture_server import FixtureServer
from crawler.store import Store
from tests.conftest import ROOT, run_cli
from tests.test_resume import FAST, PORTALS, archive, consistent


@pytest.fixture
def web(tmp_path):
    """The resume test's portals (reports with PDF/DOC/DOCX files), on ephemeral ports."""
    with ExitStack() as stack:
        servers = []
        for i, (directory, _) in enumerate(PORTALS):
            server = FixtureServer(directory, host=f"127.0.0.{170 + i}", port=0).start()
            stack.callback(server.stop)
            servers.append(server)
        sites = tmp_path / "sites.yaml"
        sites.write_text(json.dumps({"sites": [
            {"name": directory.name, "start_urls": [server.url(p) for p in starts]}
            for server, (directory, starts) in zip(servers, PORTALS, strict=False)]}), encoding="utf-8")
        yield sites, servers


@pytest.fixture
def small_disk(tmp_path):
    """A 3 MB file system of its own."""
    mount = tmp_path / "disk"
    mount.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=3m", "tmpfs", str(mount)],
                          capture_output=True, text=True)
    if done.returncode != 0:
        pytest.skip(f"cannot mount a small tmpfs here ({done.stderr.strip() or 'not root'})")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


def crawl(sites, db, *extra):
    return run_cli("crawl", "--sites", str(sites), "--db", str(db), "-q", *FAST, *extra)


def runs(db):
    with closing(sqlite3.connect(db)) as conn:
        conn.row_factory = sqlite3.Row
        return [dict(r) for r in conn.execute("SELECT * FROM crawl_runs ORDER BY id")]


def test_a_disk_that_fills_up_fails_the_run_and_the_next_crawl_resumes(tmp_path, web, small_disk):
    sites, _ = web
    reference = tmp_path / "reference.db"
    assert crawl(sites, reference).returncode == 0
    expected = archive(reference)
    db = small_disk / "archive.db"
    Store(db).close()   # an archive (its schema) on a disk that other things fill up:
    need = sum(p.stat().st_size for p in tmp_path.glob("reference.db*"))
    free = os.statvfs(small_disk)
    filler = small_disk / "filler"   # room left for about a third of what one crawl needs
    filler.write_bytes(b"\0" * max(0, free.f_bavail * free.f_frsize - need // 3))

    result = crawl(sites, db)
    err = result.stderr.decode().strip()
    assert result.returncode == 1, err
    assert err.startswith("error: ") and "\n" not in err and "full" in err, err
    consistent(db)
    stored = archive(db)
    assert len(stored["reports"]) < len(expected["reports"])   # it did stop short
    for row in stored["reports"]:   # what it stored is whole: the reference's very row
        assert row in expected["reports"]
    got = {a[0]: a for a in stored["attachments"]}
    assert all(a == next(e for e in expected["attachments"] if e[0] == url) for url, a in got.items())
    last = runs(db)[-1]
    assert last["status"] in ("failed", "running")   # 'running' when even the failure did not fit
    if last["status"] == "failed":
        assert "full" in last["error"]
    status = run_cli("status", "--db", str(db))
    assert status.returncode == 1 and ("last run failed" in status.stdout.decode()
                                       or "did not finish" in status.stdout.decode()), status.stdout.decode()

    filler.unlink()   # space again: the next crawl carries on
    again = crawl(sites, db)
    assert again.returncode == 0, again.stderr.decode()
    consistent(db)
    assert archive(db) == expected
    statuses = [r["status"] for r in runs(db)]
    assert statuses[-1] == "finished" and statuses[-2] in ("failed", "killed")


def test_two_crawls_started_together_on_a_new_database(tmp_path, web):
    sites, servers = web
    db = tmp_path / "new.db"
    procs: list[subprocess.Popen] = []
    released = threading.Event()

    def hold(entry):
        """The crawl that got the lock waits until the other one has given up."""
        if not released.is_set():
            deadline = time.time() + 60
            while time.time() < deadline and not any(p.poll() is not None for p in procs):
                time.sleep(0.05)
            released.set()
    for server in servers:
        server.on_request = hold
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    command = [sys.executable, "-m", "crawler", "crawl", "--sites", str(sites), "--db", str(db), "-q", *FAST]
    procs += [subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
              for _ in range(2)]
    outcomes = sorted((p.wait(timeout=180), p.stderr.read().decode().strip()) for p in procs)
    (ran, ran_err), (refused, refused_err) = outcomes
    assert ran == 0, ran_err
    assert refused == 3, refused_err
    assert "another crawl" in refused_err and "\n" not in refused_err
    consistent(db)
    assert [r["status"] for r in runs(db)] == ["finished"]


def test_an_archive_on_a_read_only_medium_fails_the_crawl_with_one_line(tmp_path, web, small_disk):
    """The medium went read-only (remounted after an error, a full backup snapshot …)."""
    sites, _ = web
    db = small_disk / "archive.db"
    assert crawl(sites, db).returncode == 0
    before = archive(db)
    done = subprocess.run(["mount", "-o", "remount,ro", str(small_disk)], capture_output=True, text=True)
    if done.returncode != 0:
        pytest.skip(f"cannot remount read-only here ({done.stderr.strip()})")
    result = crawl(sites, db)
    err = result.stderr.decode().strip()
    assert result.returncode == 1, err
    assert err.startswith("error: ") and "\n" not in err and "read" in err.lower(), err
    assert archive(db) == before
    status = run_cli("status", "--db", str(db))   # read-only commands still read it
    assert status.stderr == b"" and "trs " in status.stdout.decode(), status.stderr.decode()


def test_a_run_that_never_finished_is_flagged_by_status(tmp_path, web):
    """A crawl killed (or stopped by a disk too full to record even its failure) stays 'running'
    with a pid that is gone: `status` says the last run did not finish."""
    sites, servers = web
    db = tmp_path / "a.db"
    assert crawl(sites, db).returncode == 0
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    proc = subprocess.Popen([sys.executable, "-m", "crawler", "crawl", "--sites", str(sites), "--db", str(db),
                             "-q", *FAST], cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    killed = threading.Event()

    def kill(entry):
        if not killed.is_set():
            killed.set()
            proc.kill()
    for server in servers:
        server.on_request = kill
    proc.wait(timeout=120)
    assert killed.is_set() and runs(db)[-1]["status"] == "running"
    status = run_cli("status", "--db", str(db))
    assert status.returncode == 1 and "last run did not finish" in status.stdout.decode(), status.stdout.decode()
    assert crawl(sites, db).returncode == 0   # the next crawl carries on, and says what became of it
    assert [r["status"] for r in runs(db)][-2:] == ["killed", "finished"]
