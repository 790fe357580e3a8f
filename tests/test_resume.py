"""Issue 16, item 1: a crawl killed at any moment, then re-crawled, leaves exactly the archive
of an uninterrupted crawl — report titles and bodies, and every attachment's text and error.

The portals publish reports whose text is in attached PDF/DOC/DOCX files behind a cover page
("详见附件"): the TRS demo portal and hold-out portals. They are served once on loopback
(own addresses, ephemeral ports, so every crawl sees the same URLs) and shared by all trials.
A trial starts a crawl, kills it with SIGKILL when the servers have received the N-th request
(N drawn from a seeded RNG over the length of a whole crawl, so kills land everywhere: between
a report page and its files, between two files, before or after a report is stored), re-crawls,
and compares with a reference crawl. The trials run in two lanes side by side (each its own
servers and reference), since a crawl is mostly its interpreter starting.
"""
from __future__ import annotations

import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import threading
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack, closing
from pathlib import Path

import pytest

from crawler.devtools.fixture_server import FixtureServer
from tests.conftest import FIXTURES, ROOT

FAST = ["-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=False"]
TRIALS = 20
LANES = 2
SEED = 16
# (directory, start paths): portals whose reports come with attachments
PORTALS = [
    (FIXTURES / "portals" / "trs", ["/zwgk_279/fdzdgknr/fzzfjsndbg/index.html"]),
    (FIXTURES / "holdout" / "gbk_legacy", ["/xxgklist-215-1.html"]),
    (FIXTURES / "holdout3" / "fj_apps", ["/zwgk/fzzfjs/"]),
    (FIXTURES / "holdout3" / "hanweb_more", ["/col/col2561/index.html"]),
]


class Web:
    """The portals on loopback, a sites file naming them, and a request counter that can kill."""

    def __init__(self, tmp_path, stack: ExitStack, lane: int = 0):
        self.servers = []
        for i, (directory, _) in enumerate(PORTALS):
            server = FixtureServer(directory, host=f"127.0.0.{160 + 5 * lane + i}", port=0).start()
            stack.callback(server.stop)
            server.on_request = self._seen
            self.servers.append(server)
        self.sites = tmp_path / f"sites-{lane}.yaml"
        self.sites.write_text(json.dumps({"sites": [
            {"name": directory.name, "start_urls": [server.url(p) for p in starts]}
            for server, (directory, starts) in zip(self.servers, PORTALS, strict=False)]}), encoding="utf-8")
        self.lock = threading.Lock()
        self.requests, self.kill_at, self.proc = 0, None, None

    def _seen(self, entry) -> None:
        """Count a request; at the chosen one, kill the crawl before it is answered."""
        with self.lock:
            self.requests += 1
            if self.proc is not None and self.requests == self.kill_at:
                os.kill(self.proc.pid, signal.SIGKILL)

    def crawl(self, db, kill_at: int | None = None) -> int:
        """One crawl through the CLI (killed at request `kill_at`); its exit status."""
        with self.lock:
            self.requests, self.kill_at = 0, kill_at
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "crawler", "crawl", "--sites", str(self.sites), "--db", str(db),
                 "-q", *FAST], cwd=ROOT, env=dict(os.environ, PYTHONPATH=str(ROOT)),
                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        try:
            _, err = self.proc.communicate(timeout=120)
        finally:
            with self.lock:
                proc, self.proc = self.proc, None
        if kill_at is None:
            assert proc.returncode == 0, err.decode()
        return proc.returncode


def archive(db) -> dict:
    """What a reader gets: every report's title and body, every attachment's text and error —
    read as the read-only commands read (crawler/store/archive.py _connect_readonly): a WAL
    archive closed cleanly on a medium gone read-only has no -shm, which a plain open needs."""
    uri = Path(db).resolve().as_uri()
    try:
        conn = sqlite3.connect(f"{uri}?mode=ro", uri=True)
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlite3.OperationalError:
        conn = sqlite3.connect(f"{uri}?immutable=1", uri=True)
    with closing(conn):
        return {
            "reports": conn.execute("SELECT url, title, body FROM reports ORDER BY url").fetchall(),
            "attachments": conn.execute(
                "SELECT url, report_url, text, error FROM attachments ORDER BY url").fetchall(),
            "copies": conn.execute("SELECT url, report_url FROM copies ORDER BY url").fetchall(),
        }


def consistent(db) -> None:
    with closing(sqlite3.connect(db)) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("SELECT count(*) FROM reports WHERE body IS NULL OR body = ''").fetchone()[0] == 0


@pytest.fixture(scope="module")
def webs(tmp_path_factory):
    """LANES copies of the web, each crawled once uninterrupted: its reference archive."""
    tmp = tmp_path_factory.mktemp("resume")
    with ExitStack() as stack:
        lanes = [Web(tmp, stack, lane) for lane in range(LANES)]

        def reference(web):
            db = tmp / f"reference-{lanes.index(web)}.db"
            web.crawl(db)
            web.reference, web.total = archive(db), web.requests
        with ThreadPoolExecutor(LANES) as pool:
            list(pool.map(reference, lanes))
        yield lanes


@pytest.fixture(scope="module")
def web(webs):
    return webs[0]


def test_the_reference_has_reports_with_attachment_texts(web):
    texts = [a for a in web.reference["attachments"] if a[2]]
    assert len(web.reference["reports"]) >= 8 and len(texts) >= 4
    # the text is the files', not the cover page's "详见附件"
    bodies = {url: body for url, _, body in web.reference["reports"]}
    assert all(len(bodies[report]) > 200 for _, report, text, _ in texts if report in bodies)


def trials(web, lane: int, tmp_path) -> list[tuple]:
    """TRIALS / LANES kill-then-resume trials on one lane: (kill point, exit status, identical?)."""
    rng = random.Random(SEED + lane)
    outcomes = []
    for trial in range(TRIALS // LANES):
        kill_at = rng.randint(1, web.total)
        db = tmp_path / f"lane{lane}-trial{trial}.db"
        killed = web.crawl(db, kill_at=kill_at)
        consistent(db)
        web.crawl(db)
        consistent(db)
        got = archive(db)
        outcomes.append((kill_at, killed, {t: got[t] == web.reference[t] for t in got}))
    return outcomes


def test_killed_at_random_then_resumed_equals_uninterrupted(webs, tmp_path):
    with ThreadPoolExecutor(LANES) as pool:
        outcomes = [o for lane in pool.map(lambda i: trials(webs[i], i, tmp_path), range(LANES)) for o in lane]
    assert len(outcomes) >= 20
    different = [o for o in outcomes if not all(o[2].values())]
    print(f"\n{len(outcomes)} trials, {sum(c == -signal.SIGKILL for _, c, _ in outcomes)} killed mid-crawl "
          f"(at requests {sorted(k for k, _, _ in outcomes)}), {len(outcomes) - len(different)} identical")
    assert not different, different
    assert sum(1 for _, code, _ in outcomes if code == -signal.SIGKILL) >= TRIALS // 2, outcomes


def test_a_report_lost_after_archiving_is_restored_with_its_attachments(web, tmp_path):
    """The issue's reproduction: a report page archived but its report (and files) not stored."""
    db = tmp_path / "a.db"
    web.crawl(db)
    with sqlite3.connect(db) as conn:
        (report,) = conn.execute("SELECT report_url FROM attachments WHERE text IS NOT NULL "
                                 "ORDER BY report_url LIMIT 1").fetchone()
        conn.execute("DELETE FROM reports WHERE url = ?", [report])
        conn.execute("DELETE FROM attachments WHERE report_url = ?", [report])
    web.crawl(db)
    web.crawl(db)
    got = archive(db)
    assert got == web.reference
    body = next(b for url, _, b in got["reports"] if url == report)
    assert len(body) > 200   # the attachment's text, not the cover page's 77 characters
