"""A shared crawl: a real redis-server on a loopback port, the writer (`crawl --redis`) and
workers (`worker --redis`) as separate processes, over the fixture portals of the demo.

It must archive exactly what one process archives — the same reports, versions, copies,
attachments, pages and fetches (timestamps and run ids aside), the same counts in the run
record — also when a worker is SIGKILLed mid-crawl and another joins late; its workers
together must keep each host's concurrency limit and read robots.txt once per host; and a
worker's extraction runs in its own pool with the budgets of one process.
"""
from __future__ import annotations

import json
import os
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from contextlib import ExitStack
from pathlib import Path

import pytest
import redis

from crawler.devtools import demo
from crawler.devtools.cluster import free_port, redis_server
from crawler.devtools.fixture_server import FixtureServer
from tests.conftest import ROOT, run_cli
from tests.test_crawl_workers import HANWEB, PLAN, REASONS
from tests.test_recrawl import stored

FAST = ["-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=False"]
REDIS_SERVER = shutil.which("redis-server") or "/usr/bin/redis-server"
# Counts that say which of two addresses of one report was stored first (see assert_same).
ORDERED = {"reports_new", "reports_changed", "copies"}
ROWS = {"pages": "SELECT url, site, role, status, content_type, sha256, size, etag, last_modified, error FROM pages",
        "fetches": "SELECT url, status, sha256, size, error FROM fetches",
        # what the pool computed: body signatures (on the workers), the analysis (on the writer)
        "signatures": "SELECT url, body_sha256, data FROM signatures"}
# The analysis of the stored reports. Not of an address that became a copy since (its analysis,
# run while it was the report, stays, as its version row does: see assert_same).
ROWS.update({table: f"SELECT {columns} FROM {table} WHERE report_url IN (SELECT url FROM reports)"
             for table, columns in [("analyses", "report_url, version, report_sha256, error"),
                                    ("sections", "*"), ("disclosure_figures", "*"),
                                    ("disclosure_checks", "*"), ("report_parts", "*")]})
# Not repeated_text: a report's is measured against the previous one stored when it is analysed,
# so it depends on arrival order — two single-process crawls of the demo differ in it as well.


@pytest.fixture(scope="module")
def redis_url():
    """A redis-server of our own on a free loopback port: no persistence, stopped at the end."""
    if not os.access(REDIS_SERVER, os.X_OK):
        pytest.fail("redis-server is missing: `make test` installs Debian's redis-server")
    with redis_server() as url:
        yield url


def portals(stack: ExitStack, tmp: Path, first_host: int, latency: float = 0.0):
    """Every demo portal on its own loopback address (any free port); returns (servers, sites file)."""
    servers = []
    for i, directory in enumerate(demo.portal_dirs()):
        server = FixtureServer(directory, host=f"127.0.0.{first_host + i}", port=0).start()
        server.latency = latency
        stack.callback(server.stop)
        servers.append(server)
    sites = tmp / "sites.yaml"
    sites.write_text(demo.sites_yaml(servers), encoding="utf-8")
    return servers, sites


def cli(*args: str, log: Path | None = None) -> subprocess.Popen:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    return subprocess.Popen([sys.executable, "-m", "crawler", *args], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def writer(url: str, sites: Path, db: Path, *extra: str) -> subprocess.Popen:
    return cli("crawl", "--redis", url, "--sites", str(sites), "--db", str(db), "-q",
               "--log-file", str(db.with_suffix(".log")), *FAST, *extra)


def worker(url: str, *extra: str) -> subprocess.Popen:
    return cli("worker", "--redis", url, "--wait", "60", *extra)


def finish(proc: subprocess.Popen, timeout: float = 240) -> str:
    out, err = proc.communicate(timeout=timeout)
    assert proc.returncode == 0, err.decode()
    return err.decode()


def archive(db: Path) -> dict:
    """What a crawl leaves: the user-facing rows (as test_recrawl compares them, first_seen too
    being a timestamp), the pages and fetches (timestamps and run ids aside), the last run's counts."""
    rows = stored(db)
    for row in rows["reports"]:
        row.pop("first_seen")
    copies = {r["url"] for r in rows["copies"]}
    rows["copy_versions"] = [v for v in rows["versions"] if v["url"] in copies]
    rows["versions"] = [v for v in rows["versions"] if v["url"] not in copies]
    with sqlite3.connect(db) as conn:
        for name, sql in ROWS.items():
            rows[name] = sorted(conn.execute(sql).fetchall(), key=repr)
        rows["looped"] = sorted(conn.execute(   # see assert_same
            "SELECT url, error FROM fetches WHERE error LIKE 'redirect loop: back to %'").fetchall())
        *run, per_site = conn.execute("SELECT status, pages_fetched, reports_gone, failures, robots_refused, "
                                      "per_site FROM crawl_runs ORDER BY id DESC LIMIT 1").fetchone()
    rows["run"] = [run, {site: {k: n for k, n in counts.items() if k not in ORDERED}
                         for site, counts in json.loads(per_site).items()}]
    return rows


def assert_same(cluster: dict, single: dict) -> None:
    """Equal, but for what depends on arrival order in one process as in a cluster: when two
    addresses carry the same report, the one stored first keeps the version row it got while
    it was the report after the more official one makes it a copy, and the run counts a
    replacement (reports_changed) rather than a copy; and when several withdrawn pages send
    their readers back to one column (jiyue), the first to arrive is followed (the column is
    asked again) while the others are recorded as redirect loops — the same number of each; and
    in a re-crawl the column then answers 304 or 200 depending on whether the page followed had
    been stored or looped the time before."""
    assert single["reports"], "the portals published reports"
    for table in ("signatures", "analyses", "sections"):
        assert single[table], f"the crawl computed {table}"
    looped = {url for rows in (cluster, single) for url, _ in rows["looped"]}
    targets = {e.split("back to ", 1)[1].split(",")[0] for rows in (cluster, single) for _, e in rows["looped"]}
    for table in single:
        if table == "fetches":
            looped |= targets   # the column's fetches: as many, their status as above
        if table in ("pages", "fetches"):
            assert [r for r in cluster[table] if r[0] not in looped] == \
                   [r for r in single[table] if r[0] not in looped], table
            assert sum(r[0] in looped for r in cluster[table]) == sum(r[0] in looped for r in single[table])
        elif table == "looped":
            assert sorted(e for _, e in cluster[table]) == sorted(e for _, e in single[table]), table
        elif table != "copy_versions":
            assert cluster[table] == single[table], table
    for rows in (cluster["copy_versions"], single["copy_versions"]):
        urls = [v["url"] for v in rows]
        assert len(urls) == len(set(urls)), "a copy with more than its provisional version"


@pytest.fixture(scope="module")
def demo_portals(tmp_path_factory):
    """The demo portals, served for the whole module: the single-process and the shared crawls
    must see the same addresses."""
    with ExitStack() as stack:
        yield portals(stack, tmp_path_factory.mktemp("portals"), 70)


@pytest.fixture(scope="module")
def baseline(tmp_path_factory, demo_portals):
    """One process crawling the demo portals twice (the second run answered with 304s)."""
    _, sites = demo_portals
    db, runs = tmp_path_factory.mktemp("single") / "single.db", []
    for _ in range(2):
        result = run_cli("crawl", "--sites", str(sites), "--db", str(db), "-q", *FAST)
        assert result.returncode == 0, result.stderr.decode()
        runs.append(archive(db))
    return runs


def test_a_writer_and_two_workers_archive_what_one_process_does(tmp_path, redis_url, demo_portals, baseline):
    """A first crawl, then a second one into the same archive (304s, answers from the archive)."""
    _, sites = demo_portals
    db = tmp_path / "cluster.db"
    for run in range(2):
        procs = [writer(redis_url, sites, db), worker(redis_url), worker(redis_url)]
        for proc in procs:
            finish(proc)
        assert_same(archive(db), baseline[run])


@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGINT], ids=["SIGKILL", "SIGINT"])
def test_a_worker_killed_midway_loses_nothing_and_doubles_nothing(tmp_path, redis_url, demo_portals, baseline, sig):
    """Worker A crawls alone and is killed (SIGKILL) or interrupted (SIGINT, Ctrl-C) while it
    holds requests; workers B and C, started after that, finish the crawl: A's requests went
    back to the queue (SIGKILL: the writer's reaper, whose log says how many; SIGINT: A ends
    what Scrapy's graceful stop lets it end and puts the rest back as it leaves) and the archive
    is one process's, with no fetch recorded twice."""
    client = redis.Redis.from_url(redis_url)
    servers, sites = demo_portals
    with ExitStack() as stack:
        for server in servers:   # slow answers: the kill lands while A holds requests
            server.latency = 0.15
            stack.callback(setattr, server, "latency", 0.0)
        db = tmp_path / "cluster.db"
        write = writer(redis_url, sites, db, "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=2")
        a = worker(redis_url, "--log-file", str(tmp_path / "a.log"))
        a_id = re.search(r"worker (\S+) joined", a.stderr.readline().decode()).group(1)
        deadline = time.monotonic() + 60
        while True:   # midway: some tasks committed, A holding some
            assert time.monotonic() < deadline, "worker A never held work"
            held = client.hlen(f"archive:inflight:{a_id}")
            if held and _fetches(db) >= 15:
                break
            time.sleep(0.02)
        a.send_signal(sig)
        assert a.wait(30) != 0
        done_by_a = _fetches(db)
        late = [worker(redis_url), worker(redis_url)]
        for proc in late:
            assert "joined" in finish(proc), "the late worker joined the crawl"
        finish(write)
    assert _fetches(db) > done_by_a, "the late workers did the rest"
    assert_same(archive(db), baseline[0])
    if sig == signal.SIGINT:
        return
    log = (db.with_suffix(".log")).read_text(encoding="utf-8")
    requeued = rf"worker {re.escape(a_id)} stopped .*: (\d+) request\(s\) back in the queue"
    back = [int(n) for n in re.findall(requeued, log)]
    assert back and back[0] >= 1, "the killed worker's requests were put back"


def _fetches(db: Path) -> int:
    if not db.exists():
        return 0
    try:
        with sqlite3.connect(db, timeout=5) as conn:
            return conn.execute("SELECT count(*) FROM fetches").fetchone()[0]
    except sqlite3.OperationalError:   # not created yet
        return 0


def max_overlap(log: list[dict]) -> int:
    """The most requests a server was answering at one instant (from its log's start/end times)."""
    events = sorted([(r["started"], 1) for r in log] + [(r["ended"], -1) for r in log])
    busy = peak = 0
    for _, step in events:
        busy += step
        peak = max(peak, busy)
    return peak


def test_two_workers_keep_each_hosts_limit_and_read_robots_txt_once(tmp_path, redis_url):
    """Each worker alone may open 2 connections per host; the two together must not exceed 2 either."""
    with ExitStack() as stack:
        servers, sites = portals(stack, tmp_path, 90, latency=0.2)
        db = tmp_path / "cluster.db"
        limit = ["-s", "CONCURRENT_REQUESTS_PER_DOMAIN=2"]
        procs = [writer(redis_url, sites, db, *limit), worker(redis_url), worker(redis_url)]
        for proc in procs:
            finish(proc)
        logs = {s.site["name"]: list(s.log) for s in servers}
    peaks = {name: max_overlap(log) for name, log in logs.items()}
    assert max(peaks.values()) <= 2, peaks
    assert max(peaks.values()) == 2, f"the limit was never reached, so never tested: {peaks}"
    for name, log in logs.items():
        assert [r["path"] for r in log].count("/robots.txt") == 1, name


def test_a_workers_pool_runs_the_crawls_own_tasks_and_the_writer_keeps_their_failures(tmp_path, redis_url):
    """A worker's pipeline is ReportPipeline's own Reader: the extraction tasks run in the worker's
    pool with its budgets, so a page that hangs, crashes or bloats its pool process fails alone
    with the reason one process records (tests/test_crawl_workers.py), and the writer keeps
    those failures and the one readable report through the same ReportKeeper step."""
    server = FixtureServer(HANWEB, host="127.0.0.172", port=0).start()
    try:
        sites = tmp_path / "sites.yaml"
        sites.write_text(json.dumps({"sites": [{"name": "hanweb", "start_urls": [server.url(server.site["start"])]}]}),
                         encoding="utf-8")
        db = tmp_path / "cluster.db"
        os.environ["WORKER_HOOK_PLAN"] = json.dumps(PLAN)  # read by the pool processes of the worker
        try:
            procs = [writer(redis_url, sites, db, "-s", "WORKER_PROCESSES=2", "-s", "WORKER_PAGE_TIMEOUT=3",
                            "-s", "WORKER_MEMORY_MB=700", "-s", "WORKER_PAGE_HOOK=tests.worker_hooks:misbehave"),
                     worker(redis_url)]
        finally:
            os.environ.pop("WORKER_HOOK_PLAN", None)
        for proc in procs:
            finish(proc)
    finally:
        server.stop()
    with sqlite3.connect(db) as conn:
        errors = dict(conn.execute("SELECT url, error FROM pages WHERE error IS NOT NULL AND role = 'report'"))
        stored_reports = [url for (url,) in conn.execute("SELECT url FROM reports")]
        run = conn.execute("SELECT status, failures FROM crawl_runs").fetchall()
    assert {url.rsplit("/", 1)[1].removesuffix(".html"): error for url, error in errors.items()} == \
        {page: REASONS[action] for page, action in PLAN.items()}
    assert [url.rsplit("/", 1)[1] for url in stored_reports] == ["art_1229106830_59100003.html"]
    assert run == [("finished", len(PLAN))]


def test_a_worker_with_no_crawl_to_join_gives_up_with_one_line(redis_url):
    result = run_cli("worker", "--redis", redis_url, "--wait", "0.5")
    assert result.returncode == 1
    assert result.stderr.decode().strip().splitlines() == [
        f"error: no shared crawl on {redis_url} within 0.5s"]


def test_an_unreachable_redis_is_one_line(tmp_path):
    url = f"redis://127.0.0.1:{free_port()}/0"
    sites = tmp_path / "sites.yaml"
    sites.write_text('{"sites": [{"name": "x", "start_urls": ["http://127.0.0.1:9/"]}]}', encoding="utf-8")
    for args in (["worker", "--redis", url], ["crawl", "--redis", url, "--sites", str(sites),
                                               "--db", str(tmp_path / "a.db")]):
        result = run_cli(*args)
        assert result.returncode == 1, args
        lines = result.stderr.decode().strip().splitlines()
        assert len(lines) == 1 and "cannot reach redis" in lines[0], lines


def test_a_second_writer_on_the_same_redis_is_refused_in_one_line(tmp_path, redis_url, demo_portals):
    """One shared crawl per redis database; the first writer, interrupted, leaves redis clean."""
    _, sites = demo_portals
    first = writer(redis_url, sites, tmp_path / "first.db")
    client = redis.Redis.from_url(redis_url)
    deadline = time.monotonic() + 30
    while not client.hget("archive:crawl", "id"):   # seeded, waiting for workers that never come
        assert time.monotonic() < deadline and first.poll() is None, "the first writer never started"
        time.sleep(0.05)
    second = run_cli("crawl", "--redis", redis_url, "--sites", str(sites), "--db", str(tmp_path / "second.db"))
    assert second.returncode == 1
    lines = second.stderr.decode().strip().splitlines()
    assert len(lines) == 1 and "another shared crawl is running on this redis" in lines[0], lines
    first.send_signal(signal.SIGINT)
    first.communicate(timeout=30)
    assert not list(client.scan_iter(match="archive:*")), "the interrupted writer left its keys"
    with sqlite3.connect(tmp_path / "first.db") as conn:
        assert conn.execute("SELECT status FROM crawl_runs").fetchall() == [("shutdown",)]


def test_workers_stop_in_one_line_when_the_writer_dies(tmp_path, demo_portals):
    """Nobody would store their work: workers give up (exit 1) once the writer's beat is gone."""
    servers, sites = demo_portals
    with ExitStack() as stack, redis_server() as url:
        for server in servers:
            server.latency = 0.3
            stack.callback(setattr, server, "latency", 0.0)
        write = writer(url, sites, tmp_path / "a.db")
        work = worker(url)
        assert "joined" in work.stderr.readline().decode()
        write.send_signal(signal.SIGKILL)
        write.wait(10)
        _, err = work.communicate(timeout=60)
    assert work.returncode == 1
    assert err.decode().strip().splitlines() == [
        "error: the worker stopped before the crawl was over (writer gone)"]


def test_a_script_file_read_by_one_worker_resolves_menu_calls_for_another(redis_url):
    """SiteState.scripts in a cluster: the navigation functions one worker read from a site's
    script file are in redis, so another worker resolves the same menu calls to the same
    addresses as one process would with its own dict."""
    import redis

    from crawler.crawl.cluster.worker import SharedScripts
    from spiders.discovery import resolve_calls
    from spiders.scripts import navigation_functions

    code = 'function openColumn(id) { var base = "/zwgk/"; location.href = base + id + "/index.html"; }'
    functions = navigation_functions(code)
    assert functions   # the pattern is one the spider reads
    client = redis.Redis.from_url(redis_url)
    key = "archive-test:scripts:site"
    client.delete(key)
    one, other = SharedScripts(client, key), SharedScripts(client, key)
    url = "http://www.x.gov.cn/js/nav.js"
    assert url not in other
    one[url] = functions
    calls = [("openColumn('6781')", "政府信息公开年报")]
    page = "http://www.x.gov.cn/"
    assert url in other
    assert resolve_calls(calls, other[url], page) == resolve_calls(calls, functions, page)
    assert [e.url for e in resolve_calls(calls, other[url], page)] == ["http://www.x.gov.cn/zwgk/6781/index.html"]
    client.delete(key)


HUBS = ["政务公开", "政府信息公开", "法定主动公开内容", "政府信息公开年报", "信息公开目录"]
COLUMNS = [("fzbg", "法治政府建设年度报告", "法治政府建设年度报告"), ("ndbg", "政府信息公开年报", "政府信息公开工作年度报告")]


def script_menu_portal(root: Path) -> set[str]:
    """A county portal whose five 政务公开 hubs open their report column only through a function
    of the site's shared script file (`onclick="openColumn('…')"`, defined in /js/nav.js, which
    every page includes): a hub read by one worker resolves its call with the functions another
    worker read. Pages as such a portal sends them (UTF-8). Returns the report paths it publishes."""
    root.mkdir(parents=True, exist_ok=True)
    routes, reports = [], set()

    def page(path: str, text: str, content_type: str = "text/html; charset=utf-8") -> None:
        name = path.strip("/").replace("/", "__")
        (root / name).write_bytes(text.encode("utf-8"))
        routes.append({"path": path, "file": name, "content_type": content_type})

    def shell(title: str, body: str) -> str:
        return (f'<!DOCTYPE html><html><head><meta charset="utf-8"><title>{title}_某某县人民政府</title>'
                f'<script src="/js/nav.js"></script></head><body>{body}'
                '<div class="foot">某某县人民政府办公室 主办</div></body></html>')

    page("/robots.txt", "User-agent: *\nAllow: /\n", "text/plain")
    page("/js/nav.js", "function openColumn(id){ window.location.href = '/col/' + id + '/index.html'; }\n",
         "application/javascript")
    nav = "".join(f'<a href="/hub{i}/index.html">{hub}</a>' for i, hub in enumerate(HUBS))
    page("/index.html", shell("首页", f'<div class="nav"><a href="/index.html">首页</a>{nav}</div>'))
    for i, hub in enumerate(HUBS):
        code, name, kind = COLUMNS[i % 2]
        page(f"/hub{i}/index.html", shell(hub, f'<div class="left"><a href="javascript:void(0)" '
                                               f'onclick="openColumn(\'{code}{i}\')">{name}</a></div>'))
        items = []
        for year in (2021, 2022, 2023):
            title = f"某某县{'人民政府' if i % 2 else ''}{year}年{kind}（第{i}编）"
            path = f"/col/{code}{i}/{year + 1}03/t{year + 1}0320_{i}{year}.html"
            reports.add(path)
            items.append(f'<li><a href="{path}">{title}</a><span>{year + 1}-03-20</span></li>')
            body = "".join(f"<p>{year}年，全县第{i}编第{k}项工作推进有序，累计办理{(i + 1) * (k + 3) * (year - 2000)}件，"
                           f"同比增长{k + i}.{year % 7}%，群众满意度{80 + (k * i + year) % 19}%。</p>" for k in range(12))
            page(path, shell(title, f'<table class="xxgk"><tr><td>发布机构：某某县人民政府</td>'
                                    f'<td>发布日期：{year + 1}-03-20</td></tr></table><h1>{title}</h1>'
                                    f'<div class="TRS_Editor">{body}</div>'))
        page(f"/col/{code}{i}/index.html", shell(name, f'<h2>{name}</h2><ul class="list">{"".join(items)}</ul>'))
    (root / "routes.json").write_text(json.dumps(
        {"site": {"name": "navjs", "title": "某某县人民政府", "start": "/index.html"}, "routes": routes},
        ensure_ascii=False), encoding="utf-8")
    return reports


def test_a_portal_whose_menus_are_in_a_script_file_is_crawled_by_a_cluster_as_by_one_process(tmp_path, redis_url):
    """End to end: the script file is fetched once (by one worker), every hub's column is still
    found whichever worker reads the hub (SharedScripts), and the archive equals one process's."""
    published = script_menu_portal(tmp_path / "portal")
    server = FixtureServer(tmp_path / "portal", host="127.0.0.173", port=0).start()
    server.latency = 0.05   # hubs in flight on both workers at once
    try:
        sites = tmp_path / "sites.yaml"
        sites.write_text(json.dumps({"sites": [{"name": "navjs", "title": "某某县人民政府",
                                                "start_urls": [server.url("/index.html")]}]}, ensure_ascii=False),
                         encoding="utf-8")
        single = tmp_path / "single.db"
        result = run_cli("crawl", "--sites", str(sites), "--db", str(single), "-q", *FAST)
        assert result.returncode == 0, result.stderr.decode()
        base, first = server.base_url, len(server.requested())
        shared = tmp_path / "cluster.db"
        for proc in [writer(redis_url, sites, shared), worker(redis_url), worker(redis_url)]:
            finish(proc)
        asked = [r["path"] for r in server.requested()[first:]]
    finally:
        server.stop()
    assert asked.count("/js/nav.js") == 1
    for db in (single, shared):
        with sqlite3.connect(db) as conn:
            paths = {url.removeprefix(base) for (url,) in conn.execute("SELECT url FROM reports")}
        assert paths == published, db
    assert archive(shared)["reports"] == archive(single)["reports"]
