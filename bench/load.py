"""Load benchmark of the published site: many readers at once, a refresh meanwhile, hostile
queries meanwhile.

    .venv/bin/python bench/load.py [--reports 3000] [--requests 2000] [--clients 20 100]

Builds (or reuses, in bench/results/load/) an archive of N synthetic reports written through
the Store API — bodies mixed from the seed reports' paragraphs in tests/fixtures/seeds, 31
provinces, 200 publishers, raw page snapshots — starts `python -m crawler serve` on a free
loopback port and runs, with an aiohttp client:

1. a bounded mixed load (table, search, facet, row = reading view, JSON) at each client count;
2. the same while a writer changes reports through Store and publishes every 2 s;
3. revalidation: the same load with If-None-Match, as a caching proxy would send it;
4. three hostile queries at once, over and over, while 5 clients make ordinary requests.

Prints throughput, p50/p95/p99 per kind and the error counts (5xx or no answer; 4xx counted
apart); writes bench/results/load.json. Figures, never assertions.
"""
from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from crawler.store import Store  # noqa: E402
from crawler.store.publish import publish, published_path  # noqa: E402

SEEDS = ROOT / "tests" / "fixtures" / "seeds"
OUT = ROOT / "bench" / "results"
PROVINCES = ["北京市", "天津市", "河北省", "山西省", "内蒙古自治区", "辽宁省", "吉林省", "黑龙江省",
             "上海市", "江苏省", "浙江省", "安徽省", "福建省", "江西省", "山东省", "河南省", "湖北省",
             "湖南省", "广东省", "广西壮族自治区", "海南省", "重庆市", "四川省", "贵州省", "云南省",
             "西藏自治区", "陕西省", "甘肃省", "青海省", "宁夏回族自治区", "新疆维吾尔自治区"]
TYPES = ["法治政府建设年度报告", "政府信息公开工作年度报告", "其他"]
WORDS = ["执法", "复议", "普法", "调解", "依法治", "执法证", "行政复议", "法治政府", "政务公开",
         "信息公开", "行政诉讼", "规范性文件", "公共法律服务", "12345", "营商环境", "放管服",
         "行政执法 公示", "复议 诉讼", "法律顾问", "合法性审查", "台风", "依申请公开"]
HOSTILE = [
    "select count(*) from reports a, reports b, reports c where cjk_snippet(a.body, '执法 法治') is not null",
    "select max(length(trim(printf('%.*c', 3900000, 'a'), printf('%.*c', 1900000, 'b') || 'a'))) "
    "from reports",
    "select count(*) from reports a, reports b where a.body like '%' || substr(b.body, 1, 20) || '%'",
]


# -- the archive --------------------------------------------------------------------------
def paragraphs() -> list[str]:
    pool = []
    for seed in sorted(SEEDS.glob("*.txt")):
        pool += [" ".join(line.split()) for line in seed.read_text(encoding="utf-8").splitlines()
                 if len(line.strip()) > 60]
    return pool


def synthetic_report(i: int, rng: random.Random, pool: list[str]) -> dict:
    province = PROVINCES[i % len(PROVINCES)]
    year = 2016 + i % 9
    kind = TYPES[i % 7 % 3]
    late = rng.random() < 0.2
    return {
        "url": f"http://www.site{i % 200}.gov.cn/zwgk/{year}/t{year}0301_{100000 + i}.html",
        "title": f"{province}第{i % 200}县{year}年度{kind if kind != '其他' else '工作要点'}",
        "report_type": kind, "year": year, "province": province,
        "publisher": f"{province}第{i % 200}县人民政府办公室",
        "published_date": f"{year + 1}-{'05' if late else '03'}-{1 + i % 28:02d}",
        "body": "\n".join(rng.sample(pool, 15)), "site": f"site{i % 200}",
    }


BUILD = 2  # in the archive's file name: 2 = analysed (sections, parts…) as a crawl does


def build_archive(path: Path, reports: int, seed: int = 11) -> float:
    """N reports with a raw snapshot each, written through Store, then analysed as the crawl's
    pipeline analyses them (sections, parts, year over year): seconds taken."""
    from crawler.crawl.tasks import analyze
    start = time.perf_counter()
    rng, pool = random.Random(seed), paragraphs()
    store = Store(path)
    run = store.start_run([f"site{i}" for i in range(200)], os.getpid())
    for i in range(reports):
        report = synthetic_report(i, rng, pool)
        page = ("<html><head><meta charset=utf-8><title>" + report["title"] + "</title></head><body>"
                + "".join(f"<p>{p}</p>" for p in report["body"].split("\n")) + "</body></html>")
        digest = store.record_fetch(report["url"], site=report["site"], role="report", status=200,
                                    content_type="text/html; charset=utf-8",
                                    body=page.encode("utf-8"), run_id=run)
        store.save_report(report, digest)
    for (url,) in store.db.execute("SELECT url FROM reports ORDER BY rowid").fetchall():
        store.save_analysis(analyze(store.report_row(url), None, [], *store.neighbours(url).values()))
    store.finish_run(run, "finished", {"pages_fetched": reports, "reports_new": reports}, {})
    store.close()
    return time.perf_counter() - start


# -- the server ---------------------------------------------------------------------------
def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(db: Path, port: int, processes: int | None = None) -> tuple[subprocess.Popen, float]:
    """`serve` in a subprocess; returns it and the seconds until it answered."""
    import urllib.request
    start = time.perf_counter()
    server = subprocess.Popen([sys.executable, "-m", "crawler", "serve", "--db", str(db),
                               "--port", str(port),
                               *(["--processes", str(processes)] if processes else [])], cwd=ROOT,
                              env=dict(os.environ, PYTHONPATH=str(ROOT)),
                              stdout=subprocess.PIPE, stderr=open(OUT / "load-server.log", "w"))
    for _ in range(600):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=1).close()
            return server, time.perf_counter() - start
        except OSError:
            time.sleep(0.05)
    server.kill()
    raise SystemExit("serve did not answer within 30 s")


# -- the load -----------------------------------------------------------------------------
def request_mix(urls: list[str], n: int, rng: random.Random) -> list[tuple[str, str]]:
    """n (kind, path) pairs: table 30%, search 25%, facet 15%, row 20%, json 10%."""
    from datasette.utils import tilde_encode
    picks = []
    for _ in range(n):
        r = rng.random()
        if r < 0.30:
            picks.append(("table", rng.choice([
                "/archive/reports", f"/archive/reports?province={quote(rng.choice(PROVINCES))}",
                f"/archive/reports?year={rng.randint(2016, 2024)}",
                f"/archive/reports?_sort=title&report_type={quote(rng.choice(TYPES))}"])))
        elif r < 0.55:
            picks.append(("search", f"/archive/reports?_search={quote(rng.choice(WORDS))}"))
        elif r < 0.70:
            picks.append(("facet", rng.choice([
                f"/archive/reports?_facet=site&province={quote(rng.choice(PROVINCES))}",
                "/archive/report_deadlines?timeliness=late",
                f"/archive/reports?_facet=report_type&_facet=status&year={rng.randint(2016, 2024)}"])))
        elif r < 0.90:
            picks.append(("row", f"/archive/reports/{tilde_encode(rng.choice(urls))}"))
        else:
            picks.append(("json", rng.choice([
                f"/archive/reports.json?_shape=array&_size=20&province={quote(rng.choice(PROVINCES))}",
                f"/archive/search.json?q={quote(rng.choice(WORDS))}&_shape=array&_size=20"])))
    return picks


def tree_cpu_seconds(pid: int | None) -> float | None:
    """CPU seconds (user + system) of a process and its children, from /proc (Linux):
    the server's work, which the machine's other load changes far less than the latencies."""
    if pid is None:
        return None
    try:
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        ticks = 0
        for p in [pid, *map(int, children)]:
            fields = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
            ticks += int(fields[11]) + int(fields[12])
        return ticks / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError):
        return None


async def run_load(base: str, picks, clients: int, revalidate: bool = False,
                   timeout: float = 30, server_pid: int | None = None) -> dict:
    """Send `picks` from `clients` concurrent clients; latency per kind, errors, throughput,
    and the server's CPU milliseconds per request."""
    import aiohttp
    queue = list(reversed(picks))
    times: dict[str, list[float]] = {}
    errors = {"5xx": 0, "4xx": 0, "failed": 0, "304": 0}
    etags: dict[str, str] = {}
    session = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=timeout),
                                    connector=aiohttp.TCPConnector(limit=clients))

    async def client():
        while queue:
            kind, path = queue.pop()
            headers = {"If-None-Match": etags[path]} if revalidate and path in etags else {}
            start = time.perf_counter()
            try:
                async with session.get(base + path, headers=headers) as response:
                    await response.read()
                    status = response.status
                    if response.headers.get("etag"):
                        etags[path] = response.headers["etag"]
            except (TimeoutError, aiohttp.ClientError):
                errors["failed"] += 1
                continue
            times.setdefault(kind, []).append(time.perf_counter() - start)
            if status >= 500:
                errors["5xx"] += 1
            elif status == 304:
                errors["304"] += 1
            elif status >= 400:
                errors["4xx"] += 1

    start, cpu = time.perf_counter(), tree_cpu_seconds(server_pid)
    try:
        await asyncio.gather(*(client() for _ in range(clients)))
    finally:
        await session.close()
    elapsed = time.perf_counter() - start
    cpu_after = tree_cpu_seconds(server_pid)
    return {"clients": clients, "requests": len(picks), "seconds": round(elapsed, 2),
            "per_second": round(len(picks) / elapsed, 1), **errors,
            "server_cpu_ms_per_request": round(1000 * (cpu_after - cpu) / len(picks), 2)
            if cpu is not None and cpu_after is not None else None,
            "load_average": round(os.getloadavg()[0], 1),
            "ms": {kind: percentiles(values) for kind, values in sorted(times.items())}}


def percentiles(values: list[float]) -> dict:
    values = sorted(values)
    at = lambda q: values[min(len(values) - 1, int(q * len(values)))] * 1000  # noqa: E731
    return {"n": len(values), "p50": round(at(0.50)), "p95": round(at(0.95)),
            "p99": round(at(0.99)), "max": round(values[-1] * 1000)}


class Refresher:
    """A writer as a crawl is one: changes 50 reports through Store and publishes, every 10 s
    (a crawl publishes once, at its end: this is a crawl ending every 10 s).  In a process of
    its own, as a crawl is: run as a thread of this process, its Python work (re-tokenizing the
    changed reports) held the clients' GIL, and their latencies counted it."""

    def __init__(self, db: Path, urls: list[str]):
        import multiprocessing
        context = multiprocessing.get_context("fork")  # forked before the clients' event loop runs
        self.stop = context.Event()
        self.receiver, self.sender = context.Pipe(duplex=False)
        self.process = context.Process(target=_refresh, args=(db, urls, self.stop, self.sender),
                                       name="refresher", daemon=True)
        self.publishes: list[float] = []

    def start(self) -> None:
        self.process.start()
        self.sender.close()  # the writer's end is the child's alone: its exit is our EOF

    def join(self) -> None:
        self.process.join()
        try:
            while self.receiver.poll():
                self.publishes.append(self.receiver.recv())
        except EOFError:  # every publish's figure read; the writer's end is closed
            pass


def _refresh(db: Path, urls: list[str], stop, sender) -> None:
    store, rng, n = Store(db), random.Random(5), 0
    while not stop.is_set():
        for url in rng.sample(urls, 50):
            row = store.report_row(url)
            n += 1
            store.save_report(dict(row, body=row["body"] + f"\n（第{n}次修订）"))
        sender.send(publish(db)["seconds"])
        stop.wait(10)
    store.close()


async def hostile_run(base: str, urls: list[str], seconds: float = 20) -> dict:
    """Three hostile queries at once, repeated, while 5 clients make ordinary requests."""
    import aiohttp
    deadline = time.monotonic() + seconds
    hostile_results: list[tuple[int, float]] = []

    async def attacker(sql: str):
        async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=60)) as s:
            while time.monotonic() < deadline:
                start = time.perf_counter()
                try:
                    async with s.get(f"{base}/archive.json?sql={quote(sql)}") as r:
                        await r.read()
                        hostile_results.append((r.status, time.perf_counter() - start))
                except (TimeoutError, aiohttp.ClientError):
                    hostile_results.append((0, time.perf_counter() - start))

    picks = request_mix(urls, 100000, random.Random(3))

    async def ordinary():
        await asyncio.sleep(0.5)  # the attackers first
        queue = picks
        times = []
        async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=30)) as s:
            async def one():
                while time.monotonic() < deadline - 0.5 and queue:
                    _, path = queue.pop()
                    start = time.perf_counter()
                    try:
                        async with s.get(base + path) as r:
                            await r.read()
                            times.append((r.status, time.perf_counter() - start))
                    except (TimeoutError, aiohttp.ClientError):
                        times.append((0, time.perf_counter() - start))
            await asyncio.gather(*(one() for _ in range(5)))
        return times

    results = await asyncio.gather(*(attacker(sql) for sql in HOSTILE), ordinary())
    times = results[-1]
    latencies = [t for status, t in times]
    return {"hostile_queries": len(hostile_results),
            "hostile_statuses": sorted({s for s, _ in hostile_results}),
            "hostile_max_s": round(max(t for _, t in hostile_results), 2),
            "ordinary": len(times), "ordinary_5xx_or_failed": sum(1 for s, _ in times if s == 0 or s >= 500),
            "ordinary_ms": percentiles(latencies),
            "ordinary_over_1s": sum(1 for t in latencies if t > 1)}


def show(title: str, result: dict) -> None:
    """One block per run: totals, then a line per kind of page."""
    print(f"\n{title}: {result['requests']} requests, {result['clients']} clients, "
          f"{result['seconds']} s, {result['per_second']} req/s, 5xx {result['5xx']}, "
          f"failed {result['failed']}, 4xx {result['4xx']}, 304 {result['304']}, "
          f"server CPU {result.get('server_cpu_ms_per_request')} ms/request, "
          f"load average {result.get('load_average')}")
    for kind, p in result["ms"].items():
        print(f"  {kind:<7} n {p['n']:>5}  p50 {p['p50']:>5} ms  p95 {p['p95']:>5} ms  "
              f"p99 {p['p99']:>5} ms  max {p['max']:>5} ms")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--reports", type=int, default=3000)
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--clients", type=int, nargs="+", default=[20, 100])
    parser.add_argument("--no-cache", action="store_true",
                        help="serve without the response cache (ARCHIVE_RESPONSE_CACHE_MB=0)")
    parser.add_argument("--processes", type=int, help="serve --processes (default: serve's own)")
    parser.add_argument("--skip", nargs="*", default=[], choices=["load", "refresh", "revalidate", "hostile"])
    args = parser.parse_args()
    work = OUT / "load"
    work.mkdir(parents=True, exist_ok=True)
    pristine = work / f"archive-{args.reports}-v{BUILD}.db"
    results: dict = {"reports": args.reports}
    if not pristine.exists():
        results["build_seconds"] = round(build_archive(pristine, args.reports), 1)
    # every run starts from the same archive: the refresher writes into a copy
    db = work / f"run-{args.reports}.db"
    for old in work.glob(f"run-{args.reports}*"):
        old.unlink()
    shutil.copyfile(pristine, db)
    published = publish(db)
    results["first_publish"] = published
    results["archive_mb"] = round(db.stat().st_size / 2**20, 1)
    results["published_mb"] = round(published_path(db).stat().st_size / 2**20, 1)
    print(f"archive {results['archive_mb']} MB, published {results['published_mb']} MB "
          f"({published['mode']} publish {published['seconds']} s)")
    port = free_port()
    if args.no_cache:
        os.environ["ARCHIVE_RESPONSE_CACHE_MB"] = "0"
    results["response_cache"] = not args.no_cache
    results["load_average_before"] = os.getloadavg()
    results["processes"] = args.processes
    server, ready = start_server(db, port, args.processes)
    results["serve_ready_s"] = round(ready, 2)
    print(f"serve answered after {ready:.2f} s")
    base = f"http://127.0.0.1:{port}"
    try:
        store = Store(db, readonly=True)
        urls = [r["url"] for r in store.db.query("SELECT url FROM reports")]
        store.close()
        rng = random.Random(1)
        asyncio.run(run_load(base, request_mix(urls, 100, rng), 5))  # warm the caches
        for clients in [] if "load" in args.skip else args.clients:
            result = asyncio.run(run_load(base, request_mix(urls, args.requests, rng), clients,
                                          server_pid=server.pid))
            results[f"load_{clients}"] = result
            show("load", result)
        if "refresh" not in args.skip:
            refresher = Refresher(db, urls)
            refresher.start()
            result = asyncio.run(run_load(base, request_mix(urls, args.requests, rng), 20,
                                          server_pid=server.pid))
            refresher.stop.set()
            refresher.join()
            result["publishes"] = len(refresher.publishes)
            result["publish_seconds_max"] = max(refresher.publishes, default=None)
            results["load_20_refresh"] = result
            show(f"while refreshing ({result['publishes']} publishes, slowest "
                 f"{result['publish_seconds_max']} s)", result)
        if "revalidate" not in args.skip:
            picks = request_mix(urls, args.requests, random.Random(2))
            asyncio.run(run_load(base, picks[:], 20, revalidate=False))
            result = asyncio.run(run_load(base, picks, 20, revalidate=True, server_pid=server.pid))
            results["load_20_revalidate"] = result
            show("second pass with If-None-Match (as a caching proxy revalidates)", result)
        if "hostile" not in args.skip:
            result = asyncio.run(hostile_run(base, urls))
            results["hostile"] = result
            print(f"\nhostile: {json.dumps(result, ensure_ascii=False)}")
    finally:
        server.terminate()
        server.wait(timeout=10)
    results["load_average_after"] = os.getloadavg()
    print(f"load average before {results['load_average_before']}, after {results['load_average_after']}")
    out = OUT / ("load-nocache.json" if args.no_cache else "load.json")
    out.write_text(json.dumps(results, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    sys.stdout.reconfigure(line_buffering=True)
    main()
