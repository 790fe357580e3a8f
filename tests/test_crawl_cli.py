"""How a crawl talks: a progress line on a terminal, a summary, and `scrapy crawl` as an alternative."""
from __future__ import annotations

import json
import os
import pty
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from crawler.devtools.fixture_server import serve_portal
from tests.conftest import FIXTURES, ROOT, run_cli

FAST = ["-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=False"]


@pytest.fixture
def portal(tmp_path):
    with serve_portal(FIXTURES / "portals" / "colon", host="127.0.0.24") as (server, _):
        sites = tmp_path / "sites.yaml"
        sites.write_text(json.dumps({"sites": [{"name": "colon", "start_urls": [server.url(server.site["start"])]}]}),
                         encoding="utf-8")
        yield server, sites


def count(db):
    with sqlite3.connect(db) as conn:
        return conn.execute("SELECT count(*) FROM reports").fetchone()[0]


def test_progress_on_a_terminal_and_a_summary(tmp_path, portal):
    _, sites = portal
    leader, follower = pty.openpty()
    proc = subprocess.Popen([sys.executable, "-m", "crawler", "crawl", "--sites", str(sites),
                             "--db", str(tmp_path / "a.db"), *FAST],
                            cwd=ROOT, env=dict(os.environ, PYTHONPATH=str(ROOT)),
                            stdout=subprocess.PIPE, stderr=follower)
    os.close(follower)
    stdout, _ = proc.communicate(timeout=120)
    terminal = b""
    while True:
        try:
            chunk = os.read(leader, 4096)
        except OSError:
            break
        if not chunk:
            break
        terminal += chunk
    os.close(leader)
    assert proc.returncode == 0
    assert b"\r  pages " in terminal and b"new reports 2" in terminal
    summary = stdout.decode()
    assert summary.startswith("crawl finished: 1 site(s), ")
    assert "2 new reports" in summary and "colon: " in summary


def test_no_progress_without_a_terminal(tmp_path, portal):
    _, sites = portal
    result = run_cli("crawl", "--sites", str(sites), "--db", str(tmp_path / "a.db"), *FAST)
    assert result.returncode == 0 and result.stderr == b""
    assert "2 new reports" in result.stdout.decode()


def test_scrapy_crawl_works_too(tmp_path, portal):
    _, sites = portal
    db = tmp_path / "b.db"
    # The `scrapy` script of the environment running the tests (a clone's .venv, or any other).
    scrapy = Path(sys.executable).with_name("scrapy")
    result = subprocess.run([str(scrapy), "crawl", "reports", "-a", f"sites={sites}", "-a", f"db={db}", *FAST,
                             "-s", "LOG_LEVEL=ERROR"], cwd=ROOT, capture_output=True, timeout=120)
    assert result.returncode == 0, result.stderr.decode()[-500:]
    assert count(db) == 2


def test_demo_crawls_every_bundled_portal(tmp_path):
    """What `make demo` runs, short of serving: every demo portal yields its reports."""
    db = tmp_path / "demo.db"
    result = run_cli("demo", "--db", str(db), "--no-serve")
    assert result.returncode == 0, result.stderr.decode()[-500:]
    out = result.stdout.decode()
    assert "crawl finished: 9 site(s)" in out and " 0 failures" in out
    with sqlite3.connect(db) as conn:
        per_site = dict(conn.execute("SELECT site, count(*) FROM reports GROUP BY site"))
    assert len(per_site) == 9 and all(n >= 1 for n in per_site.values())
