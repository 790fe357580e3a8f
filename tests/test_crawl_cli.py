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


def free_port(host: str = "127.0.0.1") -> int:
    """A loopback port nothing listens on (bound, then released)."""
    import socket
    with socket.create_server((host, 0)) as probe:
        return probe.getsockname()[1]


@pytest.fixture
def unreachable(tmp_path):
    """A sites file whose only start URL is a loopback port nothing listens on."""
    url = f"http://127.0.0.1:{free_port()}/zwgk/ndbg/"
    sites = tmp_path / "sites.yaml"
    sites.write_text(json.dumps({"sites": [{"name": "gone", "start_urls": [url]}]}), encoding="utf-8")
    return url, sites


def test_an_unreachable_host_under_q_prints_nothing_and_is_recorded(tmp_path, unreachable):
    """Cron mails whatever a job prints: a finished run under -q prints nothing at all,
    Scrapy's tracebacks included, and the failure is in the database instead."""
    url, sites = unreachable
    db = tmp_path / "a.db"
    result = run_cli("crawl", "-q", "--sites", str(sites), "--db", str(db), *FAST, "-s", "RETRY_TIMES=0")
    assert (result.returncode, result.stdout, result.stderr) == (0, b"", b"")
    with sqlite3.connect(db) as conn:
        page_error = conn.execute("SELECT error FROM pages WHERE url = ?", (url,)).fetchone()[0]
        fetch_errors = [e for (e,) in conn.execute("SELECT error FROM fetches WHERE url = ?", (url,))]
    assert "Connection refused" in page_error
    assert fetch_errors and all("Connection refused" in e for e in fetch_errors)


def test_an_unreachable_host_without_q_is_a_summary_not_a_traceback(tmp_path, unreachable):
    _, sites = unreachable
    result = run_cli("crawl", "--sites", str(sites), "--db", str(tmp_path / "a.db"), *FAST, "-s", "RETRY_TIMES=0")
    assert result.returncode == 0 and result.stderr == b""
    summary = result.stdout.decode()
    assert summary.startswith("crawl finished: 1 site(s), 0 pages") and "gone: 0 pages" in summary
    assert "Traceback" not in summary


def test_scrapy_tracebacks_go_to_the_log_file(tmp_path, unreachable):
    _, sites = unreachable
    log = tmp_path / "crawl.log"
    log.write_text("an earlier run's line\n", encoding="utf-8")
    result = run_cli("crawl", "-q", "--sites", str(sites), "--db", str(tmp_path / "a.db"), "--log-file", str(log),
                     *FAST, "-s", "RETRY_TIMES=0")
    assert (result.returncode, result.stdout, result.stderr) == (0, b"", b"")
    text = log.read_text(encoding="utf-8")
    assert text.startswith("an earlier run's line\n")  # appended, as cron's log wants
    assert "Traceback (most recent call last)" in text and "Connection refused" in text
    assert "] INFO: " in text and "] DEBUG: " not in text


PROBE = """
import logging, sys
from scrapy.crawler import CrawlerProcess
from crawler import run
CrawlerProcess(run.settings_for({}, sys.argv[1] or None))  # configures logging as a crawl does
print(*(int(logging.getLogger(name).isEnabledFor(level)) for name, level in [
    ("pdfminer.psparser", logging.DEBUG), ("scrapy.core.engine", logging.DEBUG),
    ("twisted", logging.DEBUG), ("scrapy.core.engine", logging.INFO), ("scrapy.core.scraper", logging.ERROR)]))
"""


@pytest.mark.parametrize("log_file, enabled", [("crawl.log", "0 0 0 1 1"), ("", "0 0 0 0 0")])
def test_records_below_the_log_level_are_never_built(tmp_path, log_file, enabled):
    """pdfminer logs at DEBUG several times per PDF token: below the log's level such a call
    must be dropped by the level check, before a record is made and handed to a handler."""
    result = subprocess.run([sys.executable, "-c", PROBE, str(tmp_path / log_file) if log_file else ""],
                            cwd=ROOT, env=dict(os.environ, PYTHONPATH=str(ROOT)), capture_output=True, timeout=60)
    assert result.returncode == 0, result.stderr.decode()[-500:]
    assert result.stdout.decode().split() == enabled.split()


def take(host: str, port: int):
    """Hold host:port for the test, or skip when another test run holds it already."""
    import socket
    try:
        return socket.create_server((host, port))
    except OSError as exc:
        pytest.skip(f"{host}:{port} is in use by something else ({exc.strerror})")


def test_demo_names_the_portal_address_that_is_taken(tmp_path):
    from crawler.devtools.demo import DEMO_PORT
    db = tmp_path / "demo.db"
    with take("127.0.0.12", DEMO_PORT):
        result = run_cli("demo", "--db", str(db), "--no-serve", timeout=120)
    assert result.returncode == 1
    line = result.stderr.decode().strip()
    assert "\n" not in line and f"127.0.0.12:{DEMO_PORT} (Address already in use)" in line, line
    assert "8001" not in line
    assert not db.exists()


def test_demo_names_its_publishing_address_when_taken_before_crawling(tmp_path):
    port = free_port()
    db = tmp_path / "demo.db"
    with take("127.0.0.1", port):
        result = run_cli("demo", "--db", str(db), "--port", str(port), timeout=120)
    assert result.returncode == 1
    assert result.stderr.decode() == f"error: cannot serve on 127.0.0.1:{port} (Address already in use)\n"
    assert result.stdout == b"" and not db.exists()


def test_demo_no_serve_binds_no_serving_port_and_survives_head(tmp_path):
    """`demo --no-serve | head -1` with the publishing port taken: the crawl runs, the closed
    pipe is not reported as anything, and the exit status is SIGPIPE's 141."""
    port = free_port()
    db = tmp_path / "demo.db"
    command = (f"set -o pipefail; {sys.executable} -m crawler demo --no-serve --db {db} --port {port} "
               f"| head -1; echo \"status ${{PIPESTATUS[0]}}\"")
    with take("127.0.0.1", port):
        result = subprocess.run(["bash", "-c", command], cwd=ROOT, env=dict(os.environ, PYTHONPATH=str(ROOT)),
                                capture_output=True, timeout=300)
    assert result.stderr == b""
    lines = result.stdout.decode().splitlines()
    assert lines == ["serving 9 demo portals on 127.0.0.10–18:18080", "status 141"]
    assert count(db) >= 9  # the crawl went on after the reader left


def test_a_run_that_does_not_finish_is_one_line_even_under_q(tmp_path, portal):
    _, sites = portal
    db = tmp_path / "a.db"
    result = run_cli("crawl", "-q", "--sites", str(sites), "--db", str(db), *FAST, "-s", "CLOSESPIDER_PAGECOUNT=1")
    assert result.returncode == 1 and result.stdout == b""
    line = result.stderr.decode()
    assert line.count("\n") == 1 and line.startswith("error: the crawl did not finish (closespider_pagecount)"), line
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT status FROM crawl_runs").fetchall() == [("closespider_pagecount",)]
