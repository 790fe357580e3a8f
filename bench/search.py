"""Search latency on a large synthetic archive, and `serve`'s start time against archive size.

    .venv/bin/python bench/search.py                 # 100,000 reports
    .venv/bin/python bench/search.py --reports 20000

The archive is written through the Store API (save_report, ten thousand reports to a
transaction), its bodies mixed from the seed reports' paragraphs, then published as `serve`
publishes it (crawler/store/publish.py) and searched through Datasette with the project's
plugins (crawler/publish/serve.py app(): the same metadata, plugins and settings) in process:
`/archive/reports?_search=…` for two-, three- and four-character terms, rare and common, one
and two terms, title-only — each query's first request ("cold": nothing cached) and its
repeat — then one-character terms and terms the index cannot decide alone (digits, Latin
letters, punctuation: verified by LIKE); p50/p95 of each set.  Then `python -m crawler serve`
is started on archives of several sizes and timed until its first page answers (from the
archive itself while a full publish runs) and until the published file is served.  Archives
are kept in bench/results/ (git-ignored) and reused.
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
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import unquote

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.make_portal import county_names, paragraph_pool  # noqa: E402
from crawler.store import Store  # noqa: E402

RESULTS = ROOT / "bench" / "results"
QUERIES = ["法治", "行政复议", "政府信息公开", "执法", "依申请公开", "普法 宣传", "行政 诉讼 应诉", "复议",
           "合法性审查", "重大行政决策", "政务公开", "放管服", "营商环境", "法律顾问", "乡镇", "网格化",
           "信访", "人民调解", "双随机", "权责清单"]
ONE_CHARACTER = ["法", "县", "罚", "诉"]
CHECKED = ["2020", "12345", "（一）", "2023年", "法治 2020"]  # decided by LIKE on the index's candidates


def build(path: Path, reports: int, seed: int = 11, per_transaction: int = 10_000) -> Path:
    """`reports` reports written through Store.save_report, `per_transaction` to a transaction."""
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
        for start in range(0, reports, per_transaction):
            with store.tx():
                for i in range(start, min(start + per_transaction, reports)):
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


async def _timed(datasette, path: str) -> tuple[float, int, str, float]:
    """(wall ms, status, path, CPU ms of the whole process: SQL threads included — the figure
    that does not depend on what else the shared machine runs)."""
    start, cpu = time.perf_counter(), time.process_time()
    response = await datasette.client.get(path)
    return ((time.perf_counter() - start) * 1000, response.status_code, path,
            (time.process_time() - cpu) * 1000)


async def _search_latencies(archive: Path, rounds: int) -> dict[str, list]:
    from urllib.parse import quote

    from crawler.publish.serve import app
    from crawler.store.publish import publish, published_path
    print("publish", publish(archive), flush=True)
    datasette = app(published_path(archive), archive)
    await datasette.invoke_startup()
    await datasette.client.get("/archive/reports?_search=" + quote("报告"))  # warm: plugins, schema
    out: dict[str, list] = {"cold": [], "repeat": [], "one_character": [], "checked": []}
    for round_ in range(rounds):
        for query in QUERIES:
            for column in ("_search", "_search_title"):
                out["cold" if round_ == 0 else "repeat"].append(
                    await _timed(datasette, f"/archive/reports?{column}={quote(query)}&_size=50"))
    for label, queries in (("one_character", ONE_CHARACTER), ("checked", CHECKED)):
        for query in queries:
            out[label].append(await _timed(datasette, f"/archive/reports?_search={quote(query)}&_size=50"))
    return out


def _figures(answers: list) -> dict:
    latencies, cpu = [a[0] for a in answers], [a[3] for a in answers]

    def p95(values):
        return round((statistics.quantiles(values, n=20) if len(values) > 1 else values * 19)[18], 1)
    return {"requests": len(latencies), "p50_ms": round(statistics.median(latencies), 1),
            "p95_ms": p95(latencies), "max_ms": round(max(latencies), 1),
            "cpu_p50_ms": round(statistics.median(cpu), 1), "cpu_p95_ms": p95(cpu),
            "slowest": unquote(max(answers)[2]),
            "failed": sorted({unquote(a[2]) for a in answers if a[1] != 200})}


def search(archive: Path, rounds: int = 2) -> dict:
    """Latencies of every request, failed ones (past Datasette's 3 s SQL time limit: 400) included."""
    answers = asyncio.run(_search_latencies(archive, rounds))
    out = {label: _figures(values) for label, values in answers.items() if values}
    out["cold_and_repeat"] = _figures(answers["cold"] + answers["repeat"])
    each = answers["cold"] + answers["one_character"] + answers["checked"]
    hits = _hits(archive, [path for _, _, path, _ in each])
    out["cold_each"] = [{"request": unquote(path), "ms": round(ms), "cpu_ms": round(cpu), "hits": hits[path]}
                        for ms, _, path, cpu in each]
    return out


def _hits(archive: Path, paths: list[str]) -> dict[str, int | None]:
    """How many reports each request found (its JSON count), for reading the latencies."""
    from crawler.publish.serve import app
    from crawler.store.publish import published_path

    async def count():
        datasette, out = app(published_path(archive), archive), {}
        for path in paths:
            response = await datasette.client.get(path.replace("/archive/reports?", "/archive/reports.json?")
                                                  + "&_nofacet=1&_size=1&_col=url")
            out[path] = response.json().get("filtered_table_rows_count") if response.status_code == 200 else None
        return out
    return asyncio.run(count())


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait(url: str, process, ok=lambda status: status == 200) -> None:
    while True:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                if ok(response.status):
                    return
        except urllib.error.HTTPError as exc:
            if ok(exc.code):
                return
        except OSError:
            pass
        if process.poll() is not None:
            raise SystemExit("serve exited")
        time.sleep(0.05)


def serve_start(archive: Path) -> dict:
    """Seconds from `serve` started to its first answered page and to its published file
    served (/archive/publication answers): on a fresh copy (the published database made from
    nothing: the archive itself is served meanwhile), then again (brought up to date: nothing
    to do)."""
    copy = archive.with_name(archive.stem + ".serve.db")
    for old in copy.parent.glob(copy.stem + "*"):
        old.unlink()
    shutil.copyfile(archive, copy)
    out = {"archive_mib": round(copy.stat().st_size / 2**20, 1)}
    for label in ("first_start", "restart"):
        port = _free_port()
        start = time.perf_counter()
        process = subprocess.Popen([sys.executable, "-m", "crawler", "serve", "--db", str(copy), "--port", str(port)],
                                   cwd=ROOT, env=dict(os.environ, PYTHONPATH=str(ROOT)),
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            _wait(f"http://127.0.0.1:{port}/", process)
            out[f"{label}_answers_s"] = round(time.perf_counter() - start, 2)
            _wait(f"http://127.0.0.1:{port}/archive/publication.json", process)
            out[f"{label}_published_s"] = round(time.perf_counter() - start, 2)
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
    parser.add_argument("--skip", choices=["search", "serve"], help="measure only the other")
    args = parser.parse_args()
    RESULTS.mkdir(exist_ok=True)
    start = time.perf_counter()
    archive = build(RESULTS / f"search-{args.reports}.db", args.reports)
    results = {"reports": args.reports, "build_s": round(time.perf_counter() - start, 1)}
    if args.skip != "search":
        results["search"] = search(archive)
        print("search", json.dumps(results), flush=True)
    results["serve"] = {}
    for size in sorted({int(s) for s in args.serve_sizes.split(",") if s} | {args.reports}):
        if args.skip == "serve":
            break
        results["serve"][size] = serve_start(build(RESULTS / f"search-{size}.db", size))
        print("serve", size, json.dumps(results["serve"][size]), flush=True)
    name = {"serve": "search-only", "search": "serve-only"}.get(args.skip, "all")
    (RESULTS / f"search-{name}.json").write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
