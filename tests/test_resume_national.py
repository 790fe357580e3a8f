"""Issue 11, item 5: a national crawl killed midway and started again resumes where it was.

Many governments in one crawl — both simulated national rounds (tests/fixtures/national*/: portals
on real-looking host names, port 80, a mapping resolver) and the portals whose reports come as
attached PDF/DOC/DOCX files (those of tests/test_resume.py, on ephemeral ports). The crawl is
killed with SIGKILL when the servers have received a given share of the requests an uninterrupted
crawl makes, then started again (once more killed, for a chain of interruptions). Bars:

- the archive ends as an uninterrupted crawl's: every report's title and body, every
  attachment's text and error, every copy;
- nothing the interrupted run(s) had fetched is asked again: no GET of the resumed run goes to an
  address an interrupted run got a 200 or 304 for (crawl/resume.py replays those), so the requests
  of all the runs together are the uninterrupted crawl's, plus robots.txt per host and the few
  requests in flight at the kill.
"""
from __future__ import annotations

import contextlib
import json
import os
import signal
import sqlite3
import subprocess
import sys
import threading
from contextlib import closing
from urllib.parse import urlsplit

import pytest

from crawler.devtools.fixture_server import FixtureServer
from tests.conftest import FIXTURES, ROOT

CRAWL_TIMEOUT = 900


def one_country(truths: list) -> list:
    """The rounds that make one country: in the order they were built, a round that simulates a
    government's portal host or a site name an earlier round has (national10 has 河南, 云南 and 榆林
    as national9 built them, at the same time and otherwise) is left out — a crawl has one portal per
    host, one site per name. Decoy hosts, never fetched, are shared."""
    taken_hosts, taken_names, out = set(), set(), []
    for directory, truth in truths:
        hosts = {host for site_hosts in truth["portal_hosts"].values() for host in site_hosts}   # decoys are shared
        names = {s["name"] for s in truth["sites"]}
        if hosts & taken_hosts or names & taken_names:
            continue
        taken_hosts |= hosts
        taken_names |= names
        out.append((directory, truth))
    return out


ROUNDS = one_country([(path.parent, json.loads(path.read_text(encoding="utf-8"))) for path in sorted(
    FIXTURES.glob("national*/truth.json"), key=lambda p: int(p.parent.name.removeprefix("national") or 1))])
FILES = [   # portals whose reports are attached files: (directory, start path)
    (FIXTURES / "portals" / "trs", "/zwgk_279/fdzdgknr/fzzfjsndbg/index.html"),
    (FIXTURES / "holdout" / "gbk_legacy", "/xxgklist-215-1.html"),
    (FIXTURES / "holdout3" / "fj_apps", "/zwgk/fzzfjs/"),
    (FIXTURES / "holdout3" / "hanweb_more", "/col/col2561/index.html"),
]
RESOLVER = "crawler.devtools.resolver.MappingResolver"
FAST = ["-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=False"]


class Country:
    """Every portal on loopback, one sites file naming them all, a request log that can kill."""

    def __init__(self, tmp_path, stack):
        self.servers: dict[str, FixtureServer] = {}
        self.hosts: dict[str, str] = {}
        sites = []
        for directory, truth in ROUNDS:
            for host, address in truth["hosts"].items():
                try:
                    self._serve(stack, host, FixtureServer(directory / "hosts" / host, host=address, port=80))
                except PermissionError:
                    pytest.skip("binding port 80 on loopback needs root (CAP_NET_BIND_SERVICE)")
            self.hosts.update(truth["hosts"])
            sites += [{"name": s["name"], "title": s["title"], "region": s["region"], "level": s["level"],
                       "scope": "domain", "start_urls": [s["start"]]} for s in truth["sites"]]
        for i, (directory, start) in enumerate(FILES):
            server = self._serve(stack, None, FixtureServer(directory, host=f"127.0.0.{190 + i}", port=0))
            sites.append({"name": directory.name, "start_urls": [server.url(start)]})
        self.sites = tmp_path / "national.yaml"
        self.sites.write_text(json.dumps({"sites": sites}, ensure_ascii=False), encoding="utf-8")
        self.lock = threading.Lock()
        self.log: list[tuple[str, str, str]] = []   # (method, host, path) of the current crawl
        self.kill_at, self.proc = None, None

    def _serve(self, stack, host, server: FixtureServer) -> FixtureServer:
        server.start()
        stack.callback(server.stop)
        name = host or urlsplit(server.base_url).netloc
        server.on_request = lambda entry: self._seen(name, entry)
        self.servers[name] = server
        return server

    def _seen(self, host: str, entry) -> None:
        with self.lock:
            self.log.append((entry["method"], host, entry["path"]))
            if self.proc is not None and len(self.log) == self.kill_at:
                os.kill(self.proc.pid, signal.SIGKILL)

    def crawl(self, db, kill_at: int | None = None) -> tuple[int, list, str]:
        """One crawl (killed at request `kill_at`): exit status, the requests it made, its stdout."""
        with self.lock:
            self.log, self.kill_at = [], kill_at
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "crawler", "crawl", "--sites", str(self.sites), "--db", str(db), *FAST,
                 "-s", f"TWISTED_DNS_RESOLVER={RESOLVER}", "-s", f"LOOPBACK_HOSTS={json.dumps(self.hosts)}"],
                cwd=ROOT, env=dict(os.environ, PYTHONPATH=str(ROOT)), stdout=subprocess.PIPE,
                stderr=subprocess.PIPE)
        try:
            # a guard against a hang, not a speed bar: the country grows with every round (22 rounds,
            # ~430 governments, crawled in ~100 s on an idle two-core machine, 240 s exceeded under load)
            out, err = self.proc.communicate(timeout=CRAWL_TIMEOUT)
        finally:
            with self.lock:
                proc, self.proc, log = self.proc, None, list(self.log)
        if kill_at is None:
            assert proc.returncode == 0, err.decode()[-2000:]
        return proc.returncode, log, out.decode()


def archive(db) -> dict:
    with closing(sqlite3.connect(db)) as conn:
        return {
            "reports": conn.execute("SELECT url, title, body FROM reports ORDER BY url").fetchall(),
            "attachments": conn.execute(
                "SELECT url, report_url, text, error FROM attachments ORDER BY url").fetchall(),
            "copies": conn.execute("SELECT url, report_url FROM copies ORDER BY url").fetchall(),
        }


def fetched_whole(db) -> set[tuple[str, str]]:
    """(host, path) of every address the runs so far got a 200 or a 304 for."""
    with closing(sqlite3.connect(db)) as conn:
        urls = [u for (u,) in conn.execute("SELECT url FROM fetches WHERE error IS NULL AND "
                                           "((status = 200 AND sha256 IS NOT NULL) OR status = 304)")]
    return {address(u) for u in urls}


def address(url: str) -> tuple[str, str]:
    parts = urlsplit(url)
    return parts.netloc, parts.path + (f"?{parts.query}" if parts.query else "")


def gets(log) -> list[tuple[str, str]]:
    return [(host, path) for method, host, path in log if method == "GET" and not path.endswith("/robots.txt")]


@pytest.fixture(scope="module")
def country(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("national-resume")
    with contextlib.ExitStack() as stack:
        web = Country(tmp, stack)
        _, log, _ = web.crawl(tmp / "reference.db")
        web.reference, web.requests = archive(tmp / "reference.db"), log
        yield web


def test_the_reference_crawl_has_the_countrys_reports_and_attachment_texts(country):
    reports, attachments = country.reference["reports"], country.reference["attachments"]
    assert len(reports) >= 130 and sum(1 for a in attachments if a[2]) >= 4
    assert len({urlsplit(url).netloc for url, _, _ in reports}) >= 12


@pytest.mark.parametrize("kills", [(0.4,), (0.25, 0.5)], ids=["killed-once", "killed-twice"])
def test_killed_midway_then_restarted_resumes_where_it_was(country, tmp_path, kills):
    db, total = tmp_path / "archive.db", len(country.requests)
    spent = []
    for share in kills:
        code, log, _ = country.crawl(db, kill_at=int(total * share))
        assert code == -signal.SIGKILL, "the crawl ended before the kill"
        spent.append(len(log))
    done = fetched_whole(db)
    _, log, out = country.crawl(db)
    again = [a for a in gets(log) if a in done]
    robots = sum(1 for _, _, path in log if path.endswith("/robots.txt"))
    print(f"\nuninterrupted: {total} requests; killed after {spent}, resumed with {len(log)} "
          f"({robots} robots.txt), {len(done)} addresses not asked again")
    assert again == []
    assert "resumed an interrupted run" in out
    assert archive(db) == country.reference
    # all runs together: the uninterrupted crawl's requests, plus robots.txt and the kills' in-flight ones
    assert sum(spent) + len(log) <= total + robots * (len(kills) + 1) + 16 * len(kills)


def test_a_crawl_resumes_the_interrupted_runs_since_the_last_finished_one_only(tmp_path):
    from crawler.store import Store
    store = Store(tmp_path / "a.db")
    try:
        old = store.start_run(["a"], 1)
        store.finish_run(old, "finished", {}, {})
        killed = store.start_run(["a"], 2)                      # never finished: killed
        failed = store.start_run(["a"], 3)                      # marks `killed` as killed
        store.finish_run(failed, "failed", {}, {}, error="disk full")
        current = store.start_run(["a"], 4)
        assert store.interrupted_runs(current, 24) == [failed, killed]
        assert store.interrupted_runs(current, 0) == []          # too old to resume
        store.record_fetch("http://x.gov.cn/a.html", site="a", role="list", status=200, body=b"<p>a</p>",
                           content_type="text/html", run_id=killed)
        store.record_fetch("http://x.gov.cn/b.html", site="a", role="list", status=404, body=b"no",
                           error="HTTP 404", run_id=killed)
        store.record_fetch("http://x.gov.cn/c.html", site="a", role="list", status=200, body=b"<p>c</p>",
                           run_id=old)
        done = store.done_fetch("http://x.gov.cn/a.html", [failed, killed])
        assert done["status"] == 200 and store.snapshot(done["sha256"]) == b"<p>a</p>"
        assert store.done_fetch("http://x.gov.cn/b.html", [failed, killed]) is None   # a failure: asked again
        assert store.done_fetch("http://x.gov.cn/c.html", [failed, killed]) is None   # a finished run's: re-checked
    finally:
        store.close()


def test_a_host_root_is_one_address_however_it_is_written():
    """A run that fetched `http://host/` replays it for a later `http://host` (seen: the resumed
    run met the sibling host's bare link first and asked it again)."""
    from crawler.crawl.resume import spellings
    assert spellings("http://xxgk.x.gov.cn") == ["http://xxgk.x.gov.cn", "http://xxgk.x.gov.cn/"]
    assert spellings("http://xxgk.x.gov.cn/?a=1") == ["http://xxgk.x.gov.cn/?a=1", "http://xxgk.x.gov.cn?a=1"]
    assert spellings("http://xxgk.x.gov.cn/zwgk/") == ["http://xxgk.x.gov.cn/zwgk/"]
