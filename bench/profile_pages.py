"""What one page of the published site costs: SQL trips, statements and time per stage.

    .venv/bin/python bench/profile_pages.py [--published PATH] [--archive PATH] [--repeat 20]
    .venv/bin/python bench/profile_pages.py --mix 2000     # bench/load.py's mix, one at a time

Serves the published bench archive in process (crawler/publish/serve.py `app()`, the
response cache off, as for a first request) and requests a table page, a filtered table
page, a search, a facet page and reading views of distinct reports through Datasette's ASGI
client, one at a time. For each kind it prints the wall milliseconds, the trips to a SQL
thread (each one a wait in the executor's queue under load), the SQL statements SQLite ran
(its trace callback, Datasette's own schema look-ups included) and the milliseconds spent
inside SQL threads; the rest is Python: the view, the plugins and the template.

With `--mix N`: N requests of bench/load.py's mix (the same seed), one at a time, with the
response cache on as `serve` runs, and the CPU milliseconds of the whole process (SQL threads
included) per request, by kind: what the server's work costs, whatever else the shared machine
runs (latencies under load follow the machine's load far more than the code).

Defaults to the archive bench/load.py builds (bench/results/load/). Figures, never assertions.
"""
from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import threading
import time
from collections import Counter
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ["ARCHIVE_RESPONSE_CACHE_MB"] = "0"  # every request a first request

LOAD = ROOT / "bench" / "results" / "load"


class Meter:
    """Counts trips to SQL threads, statements and time inside them, for one request."""

    def __init__(self):
        self.lock = threading.Lock()
        self.reset()

    def reset(self):
        self.trips = 0
        self.statements: Counter = Counter()
        self.sql_seconds = 0.0

    def statement(self, sql: str) -> None:
        with self.lock:
            self.statements[" ".join(sql.split())[:90]] += 1


def instrument(meter: Meter) -> None:
    """Wrap Datasette's Database.execute_fn: one trip per call, its time inside the thread,
    and SQLite's trace callback on the connection for the statements."""
    from datasette.database import Database
    original = Database.execute_fn

    async def execute_fn(self, fn):
        meter.trips += 1
        return await original(self, traced(meter, fn))
    Database.execute_fn = execute_fn


def traced(meter: Meter, fn):
    """`fn(conn)` with its statements counted and its time in SQLite added to the meter's."""
    def run(conn):
        conn.set_trace_callback(meter.statement)
        start = time.perf_counter()
        try:
            return fn(conn)
        finally:
            with meter.lock:
                meter.sql_seconds += time.perf_counter() - start
            conn.set_trace_callback(None)
    return run


def instrument_inline(cls, meter: Meter) -> None:
    """Statements run on the event loop's own connection (serve.py execute_inline) are
    counted too, as no trip."""
    original = getattr(cls, "execute_inline", None)
    if original is None:
        return

    async def execute_inline(self, fn):
        return await original(self, traced(meter, fn))
    cls.execute_inline = execute_inline


async def measure(datasette, meter: Meter, kind: str, paths: list[str], verbose: bool) -> dict:
    walls, trips, statements, sql = [], [], [], []
    for path in paths:
        meter.reset()
        start = time.perf_counter()
        response = await datasette.client.get(path)
        walls.append(time.perf_counter() - start)
        if response.status_code != 200:
            raise SystemExit(f"{path}: {response.status_code}")
        trips.append(meter.trips)
        statements.append(sum(meter.statements.values()))
        sql.append(meter.sql_seconds)
        last = Counter(meter.statements)
    if verbose:
        print(f"\n{kind} {paths[-1]}: statements of the last request")
        for text, n in last.most_common():
            print(f"  {n:>3} × {text}")
    median = statistics.median
    return {"kind": kind, "n": len(paths), "ms": round(median(walls) * 1000, 1),
            "trips": median(trips), "statements": median(statements),
            "sql_ms": round(median(sql) * 1000, 1),
            "python_ms": round((median(walls) - median(sql)) * 1000, 1)}


async def main_async(args) -> None:
    from datasette.utils import tilde_encode

    from crawler.publish.serve import app
    meter = Meter()
    instrument(meter)
    datasette = app(Path(args.published), Path(args.archive) if args.archive else None)
    await datasette.invoke_startup()
    db = datasette.get_database("archive")
    instrument_inline(type(db), meter)
    urls = [r[0] for r in (await db.execute(
        "SELECT url FROM reports ORDER BY rowid LIMIT ?", [args.repeat + 1])).rows]
    await datasette.client.get("/archive/reports")  # the first request's one-off work
    kinds = {
        "table": ["/archive/reports"] * args.repeat,
        "table, filtered": [f"/archive/reports?province={quote('河北省')}"] * args.repeat,
        "table, sorted": [f"/archive/reports?_sort=title&report_type={quote('其他')}"] * args.repeat,
        "search": [f"/archive/reports?_search={quote('行政复议')}"] * args.repeat,
        "facet": [f"/archive/reports?_facet=site&province={quote('河北省')}"] * args.repeat,
        "deadlines": ["/archive/report_deadlines?timeliness=late"] * args.repeat,
        "row": [f"/archive/reports/{tilde_encode(u)}" for u in urls[1:]],
        "json": [f"/archive/reports.json?_shape=array&_size=20&province={quote('河北省')}"] * args.repeat,
    }
    print(f"{'kind':<16} {'n':>3} {'ms':>7} {'trips':>6} {'stmts':>6} {'sql ms':>7} {'python ms':>10}")
    for kind, paths in kinds.items():
        if args.only and kind not in args.only:
            continue
        r = await measure(datasette, meter, kind, paths, args.verbose)
        print(f"{kind:<16} {r['n']:>3} {r['ms']:>7} {r['trips']:>6} {r['statements']:>6} "
              f"{r['sql_ms']:>7} {r['python_ms']:>10}")


async def mix(args) -> None:
    """bench/load.py's request mix, one request at a time, CPU ms per request by kind."""
    import random

    from bench.load import request_mix
    from crawler.publish.serve import app
    datasette = app(Path(args.published), Path(args.archive) if args.archive else None)
    await datasette.invoke_startup()
    db = datasette.get_database("archive")
    urls = [r[0] for r in (await db.execute("SELECT url FROM reports")).rows]
    picks = request_mix(urls, args.mix, random.Random(1))
    await datasette.client.get("/archive/reports")  # the first request's one-off work
    cpu: dict[str, list[float]] = {}
    start, total = time.perf_counter(), time.process_time()
    for kind, path in picks:
        before = time.process_time()
        response = await datasette.client.get(path)
        if response.status_code >= 500:
            raise SystemExit(f"{path}: {response.status_code}")
        cpu.setdefault(kind, []).append((time.process_time() - before) * 1000)
    total, wall = time.process_time() - total, time.perf_counter() - start
    print(f"{len(picks)} requests: {total:.2f} s CPU ({1000 * total / len(picks):.2f} ms a request), "
          f"{wall:.2f} s wall, load average {os.getloadavg()[0]:.1f}")
    for kind, values in sorted(cpu.items()):
        values.sort()
        at = lambda q, v=values: v[min(len(v) - 1, int(q * len(v)))]  # noqa: E731
        print(f"  {kind:<7} n {len(values):>5}  CPU ms p50 {at(0.5):6.1f}  p95 {at(0.95):6.1f}  "
              f"p99 {at(0.99):6.1f}  mean {statistics.mean(values):6.2f}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--published", default=str(LOAD / "run-3000.published.db"))
    parser.add_argument("--archive", default=str(LOAD / "run-3000.db"))
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--only", nargs="*")
    parser.add_argument("--verbose", "-v", action="store_true", help="list the statements")
    parser.add_argument("--mix", type=int, help="N requests of bench/load.py's mix, response cache on")
    args = parser.parse_args()
    if args.mix:
        os.environ["ARCHIVE_RESPONSE_CACHE_MB"] = "64"  # as serve runs (read when serve is imported)
        asyncio.run(mix(args))
    else:
        asyncio.run(main_async(args))


if __name__ == "__main__":
    main()
