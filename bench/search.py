"""Search latency on a large synthetic archive, and `serve`'s start time against archive size.

    .venv/bin/python bench/search.py                 # 100,000 reports
    .venv/bin/python bench/search.py --reports 20000

The archive is written through the Store API (save_report, a thousand reports to a
transaction), its bodies mixed from the seed reports' paragraphs, then published as `serve`
publishes it (crawler/store/publish.py) and searched through Datasette with the project's
plugins (crawler/publish/serve.py app(): the same metadata, plugins and settings) in process:
`/archive/reports?_search=…` for two-, three- and four-character terms, rare and common, one
and two terms, title-only; p50/p95 over every request. Then `python -m crawler serve` is
started on archives of several sizes and timed until its first page answers. Archives are
kept in bench/results/ (git-ignored) and reused.
"""
from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import shutil
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.make_portal import county_names, paragraph_pool  # noqa: E402
from crawler.store import Store  # noqa: E402

RESULTS = ROOT / "bench" / "results"
QUERIES = ["法治", "行政复议", "政府信息公开", "执法", "依申请公开", "普法 宣传", "行政 诉讼 应诉", "复议",
           "合法性审查", "重大行政决策", "政务公开", "放管服", "营商环境", "法律顾问", "乡镇", "网格化",
           "信访", "人民调解", "双随机", "权责清单"]


def build(path: Path, reports: int, seed: int = 11) -> Path:
    """`reports` reports written through Store.save_report, 1,000 per transaction."""
    if path.exists():
        return path
    rng = random.Random(seed)
    pool = paragraph_pool()
    names = county_names(400)
    tmp = path.with_suffix(".building")
    for leftover in tmp.parent.glob(tmp.name + "*"):
        leftover.unlink()
    store = Store(tmp)
    try:
        for start in range(0, reports, 1000):
            with store.tx():
                for i in range(start, min(start + 1000, reports)):
                    name, year = names[i % len(names)], 2008 + i % 17
                    kind = "法治政府建设年度报告" if i % 2 else "政府信息公开工作年度报告"
                    store.save_report({
                        "url": f"http://www{i % 400}.example.gov.cn/zwgk/{year}/t{i}.html",
                        "title": f"{name}{year}年{kind}", "report_type": kind, "year": year,
                        "publisher": f"{name}人民政府", "site": f"s{i % 400}",
                        "body": "\n".join(rng.sample(pool, 6))})
    finally:
        store.close()
    for suffix in ("", "-wal", "-shm"):
        if Path(f"{tmp}{suffix}").exists():
            os.replace(f"{tmp}{suffix}", f"{path}{suffix}")
    return path


async def _search_latencies(archive: Path, rounds: int) -> list[float]:
    from crawler.publish.serve import app
    from crawler.store.publish import publish, published_path
    publish(archive)
    datasette = app(published_path(archive), archive)
    await datasette.invoke_startup()
    await datasette.client.get("/archive/reports?_search=法治")  # warm: plugins, the page cache
    out = []
    for _ in range(rounds):
        for query in QUERIES:
            for column in ("_search", "_search_title"):
                start = time.perf_counter()
                response = await datasette.client.get(f"/archive/reports?{column}={query}&_size=50")
                out.append(((time.perf_counter() - start) * 1000, response.status_code, f"{column}={query}"))
    return out


def search(archive: Path, rounds: int = 2) -> dict:
    """Latencies of every request, failed ones (past Datasette's 3 s SQL time limit: 400) included."""
    answers = asyncio.run(_search_latencies(archive, rounds))
    latencies = [ms for ms, _, _ in answers]
    cuts = statistics.quantiles(latencies, n=20)
    failed = sorted({query for _, status, query in answers if status != 200})
    return {"requests": len(latencies), "p50_ms": round(statistics.median(latencies), 1),
            "p95_ms": round(cuts[18], 1), "max_ms": round(max(latencies), 1),
            "failed_requests": sum(status != 200 for _, status, _ in answers), "failed_queries": failed}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def serve_start(archive: Path) -> dict:
    """Seconds from `serve` started to its first answered page: on a fresh copy (the published
    database made from nothing), then again (brought up to date: nothing to do)."""
    copy = archive.with_name(archive.stem + ".serve.db")
    for old in copy.parent.glob(copy.stem + "*"):
        old.unlink()
    shutil.copyfile(archive, copy)
    out = {"archive_mib": round(copy.stat().st_size / 2**20, 1)}
    for label in ("first_start_s", "restart_s"):
        port = _free_port()
        start = time.perf_counter()
        process = subprocess.Popen([sys.executable, "-m", "crawler", "serve", "--db", str(copy), "--port", str(port)],
                                   cwd=ROOT, env=dict(os.environ, PYTHONPATH=str(ROOT)),
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            while True:
                try:
                    urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5).read()
                    break
                except OSError:
                    if process.poll() is not None:
                        raise SystemExit("serve exited") from None
                    time.sleep(0.05)
            out[label] = round(time.perf_counter() - start, 2)
        finally:
            process.terminate()
            process.wait()
    published = copy.with_name(copy.stem + ".published.db")
    out["published_mib"] = round(published.stat().st_size / 2**20, 1) if published.exists() else None
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--reports", type=int, default=100_000)
    parser.add_argument("--serve-sizes", default="1000,10000", help="smaller archives to time serve on too")
    args = parser.parse_args()
    RESULTS.mkdir(exist_ok=True)
    start = time.perf_counter()
    archive = build(RESULTS / f"search-{args.reports}.db", args.reports)
    results = {"reports": args.reports, "build_s": round(time.perf_counter() - start, 1),
               "search": search(archive)}
    print("search", json.dumps(results), flush=True)
    results["serve"] = {}
    for size in sorted({int(s) for s in args.serve_sizes.split(",") if s} | {args.reports}):
        results["serve"][size] = serve_start(build(RESULTS / f"search-{size}.db", size))
        print("serve", size, json.dumps(results["serve"][size]), flush=True)
    (RESULTS / "search.json").write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
