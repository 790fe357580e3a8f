"""The hostile-web bench (issue 9): malformed pages and files through the worker pool, and
every crawl trap at the crawl's own budgets.

    make fuzz      # or: .venv/bin/python bench/fuzz.py [--pages 10000] [--files 1000] [--no-traps]

1. Pages: `--pages` malformed pages (tests/fuzzpages.py at scale 10: the test suite's cases
   plus 2% huge ones — up to 23 M characters, 300,000 labels, 400,000 links, nesting 200,000
   deep, a text node of 10 M characters) through tasks.read_page in a WorkerPool with the
   crawl's budgets (WORKER_MEMORY_MB, WORKER_PAGE_TIMEOUT).
2. Files: `--files` corrupt and crafted attachments (tests/fuzzfiles.py at scale 5) through
   attachment_kind (the crawl's thread) and tasks.read_file (WORKER_FILE_TIMEOUT).
3. Traps: each trap of tests/traps.py crawled through the CLI with the default per-site
   budgets and no politeness delay; its time, requests, reports, caps and peak memory. The
   fuzz portal (500 malformed report pages, 200 cover pages each linking a malformed file)
   also counts what the archive left without a row and a reason (must be 0).

Each task's outcome is one of: read; a failure recorded with its reason (the extractor's
error, a cap, an unreadable file); a crash (an exception that escaped the reader: must be 0);
a hang (the task's time limit: must be 0); a worker death (out of memory, a signal). Peak
memory is each worker's largest resident size (reported by the task) and the bench's own.
Figures go to stdout and bench/results/fuzz.json; they are measurements, never assertions.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import resource
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from contextlib import closing
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from crawler.crawl import settings as crawl_settings  # noqa: E402
from crawler.crawl import tasks  # noqa: E402
from crawler.crawl.workers import TaskFailed, WorkerPool  # noqa: E402
from crawler.extract.attachments import attachment_kind  # noqa: E402

RESULTS = ROOT / "bench" / "results"
SEED = 20261201
IN_FLIGHT = 8   # tasks queued at once: the generator's huge pages are made as they are needed


def measured(function, *args):
    """Run in the worker: the task's result, its seconds and the worker's peak RSS (MB). A
    PageTooLarge (the page cap, refused before parsing) is returned as a recorded failure."""
    start = time.monotonic()
    try:
        result = ("ok", function(*args))
    except tasks.PageTooLarge as exc:
        result = ("capped", str(exc))
    return result, time.monotonic() - start, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def classify_failure(reason: str) -> str:
    """What a TaskFailed means: the pool's own reasons, else an exception that escaped."""
    if reason.startswith(("timed out after", "no answer after")):
        return "hang"
    if reason.startswith(("out of memory", "worker killed", "worker exited")):
        return "worker death"
    return "crash"


class Tally:
    """Outcomes of a stream of tasks, gathered from the pool's threads."""

    def __init__(self):
        self.lock = threading.Lock()
        self.outcomes: Counter = Counter()
        self.reasons: Counter = Counter()
        self.bad: list[dict] = []   # crashes, hangs, deaths: what they were and what they cost
        self.peak_worker_mb = 0.0
        self.slowest: list[tuple[float, str]] = []
        self.seconds = 0.0

    def add(self, name: str, size: int, future, submitted: float, judge) -> None:
        try:
            (status, value), seconds, peak = future.result()
        except TaskFailed as exc:
            outcome, reason = classify_failure(str(exc)), str(exc)
            with self.lock:
                self.outcomes[outcome] += 1
                self.bad.append({"case": name, "bytes": size, "outcome": outcome, "reason": reason,
                                 "cost_s": round(time.monotonic() - submitted, 1)})
            return
        outcome, reason = ("failure recorded", value) if status == "capped" else judge(value)
        with self.lock:
            self.outcomes[outcome] += 1
            if reason:
                self.reasons[_reason_kind(reason)] += 1
            self.peak_worker_mb = max(self.peak_worker_mb, peak)
            self.seconds += seconds
            self.slowest = sorted([*self.slowest, (round(seconds, 2), name)], reverse=True)[:5]

    def summary(self, cases: int, wall: float, restarts: int) -> dict:
        return {"cases": cases, "outcomes": dict(self.outcomes),
                "crashes": self.outcomes["crash"], "hangs": self.outcomes["hang"],
                "worker_deaths": self.outcomes["worker death"], "worker_restarts": restarts,
                "bad": self.bad, "reasons": dict(self.reasons.most_common(15)),
                "peak_worker_rss_mb": round(self.peak_worker_mb), "task_seconds": round(self.seconds),
                "wall_seconds": round(wall), "slowest": self.slowest}


def _reason_kind(reason: str) -> str:
    """A reason without its numbers, so like failures count together."""
    return re.sub(r"\d+", "N", reason)[:80]


def judge_page(value) -> tuple[str, str | None]:
    report = value[0]   # tasks.read_page: (report, signature, tokens)
    return ("failure recorded", report["error"]) if report.get("error") else ("read", None)


def judge_file(value) -> tuple[str, str | None]:
    text, reason = value[:2]   # tasks.read_file: (text, reason, signature, ruled pages)
    return ("failure recorded", reason) if reason else ("read", None)


def run_stream(pool: WorkerPool, stream, timeout: float, judge) -> dict:
    """Submit (name, size, function, args) tasks, IN_FLIGHT at a time, and tally them."""
    from bench.fuzz import measured as task  # by its module's name, which a worker can import
    tally, gate = Tally(), threading.Semaphore(IN_FLIGHT)
    start, count = time.monotonic(), 0
    for name, size, function, args in stream:
        gate.acquire()
        submitted = time.monotonic()
        future = pool.submit(task, function, *args, timeout=timeout)

        def done(f, name=name, size=size, submitted=submitted):
            try:
                tally.add(name, size, f, submitted, judge)
            finally:
                gate.release()
        future.add_done_callback(done)
        count += 1
    for _ in range(IN_FLIGHT):
        gate.acquire()
    return tally.summary(count, time.monotonic() - start, pool.restarts)


def bench_pages(count: int, scale: int) -> dict:
    from tests.fuzzpages import pages
    pool = WorkerPool(2, crawl_settings.WORKER_MEMORY_MB)
    try:
        stream = ((f"page-{n}", len(html or ""), tasks.read_page,
                   (f"http://127.0.0.1/fuzz/{n}.html", html, "500229", continued,
                    "某某县2022年度法治政府建设情况报告"))
                  for n, html, continued in pages(SEED, count, scale))
        out = run_stream(pool, stream, crawl_settings.WORKER_PAGE_TIMEOUT, judge_page)
    finally:
        before = pool.restarts
        pool.close()
    out["worker_restarts"] = before
    return out


def bench_files(count: int, scale: int) -> dict:
    from tests.fuzzfiles import cases
    pool = WorkerPool(2, crawl_settings.WORKER_MEMORY_MB)
    sniff = {"max_ms": 0.0, "case": None, "errors": 0}

    def stream():
        for name, data, kind in cases(SEED, count, scale):
            start = time.monotonic()
            try:
                attachment_kind(f"http://127.0.0.1/f/{name}.{kind}", None, data)
            except Exception:  # noqa: BLE001 - counted: the crawl's thread must never see one
                sniff["errors"] += 1
            ms = (time.monotonic() - start) * 1000
            if ms > sniff["max_ms"]:
                sniff.update(max_ms=round(ms, 1), case=name)
            yield name, len(data), tasks.read_file, (data, kind)
    try:
        out = run_stream(pool, stream(), crawl_settings.WORKER_FILE_TIMEOUT, judge_file)
    finally:
        restarts = pool.restarts
        pool.close()
    out["worker_restarts"] = restarts
    out["sniff_on_crawl_thread"] = sniff
    return out


TRAP_STARTS = {"flood": "/flood/index.html", "pager": "/pager/index.html", "endless": "/endless/index.html",
               "calendar": "/calendar/?d=0", "headers": "/headers/index.html", "fuzz": "/fuzz/index.html"}
FUZZ_PORTAL = (500, 200)
"""The fuzz portal's malformed report pages and cover pages with a malformed file each."""


def bench_traps(limit: float, names: list[str], portal: tuple[int, int] = FUZZ_PORTAL) -> dict:
    """Every trap crawled at the default budgets; os.wait4 gives each crawl's own peak RSS."""
    from tests.fuzzfiles import cases
    from tests.fuzzpages import pages
    from tests.traps import FuzzPortal, TrapServer
    fuzz = None
    if "fuzz" in names:
        fuzz = FuzzPortal([html for _, html, _ in pages(SEED, portal[0])], list(cases(SEED, portal[1])))
    server = TrapServer(fuzz=fuzz).start()
    out = {}
    try:
        for trap in names:
            start = TRAP_STARTS[trap]
            with tempfile.TemporaryDirectory() as tmp:
                tmp = Path(tmp)
                sites = tmp / "sites.yaml"
                sites.write_text(json.dumps({"sites": [{"name": trap, "start_urls": [server.url(start)]}]}),
                                 encoding="utf-8")
                db = tmp / "a.db"
                before = server.asked[trap]
                began = time.monotonic()
                process = subprocess.Popen(
                    [sys.executable, "-m", "crawler", "crawl", "--sites", str(sites), "--db", str(db), "-q",
                     "--log-file", str(tmp / "log"), "-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=False"],
                    cwd=ROOT, env=dict(os.environ, PYTHONPATH=str(ROOT)),
                    stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
                timer = threading.Timer(limit, process.kill)
                timer.start()
                _, status, usage = os.wait4(process.pid, 0)
                timer.cancel()
                process.returncode = os.waitstatus_to_exitcode(status)
                out[trap] = {"seconds": round(time.monotonic() - began, 1), "exit": process.returncode,
                             "requests": server.asked[trap] - before, "peak_rss_mb": round(usage.ru_maxrss / 1024),
                             **_archive_figures(db, trap)}
                if trap == "fuzz":
                    out[trap]["unrecorded"] = _unrecorded(db, server, fuzz)
                print(f"  trap {trap}: {out[trap]}", flush=True)
    finally:
        server.stop()
    return out


def _archive_figures(db: Path, trap: str) -> dict:
    if not db.exists():
        return {}
    with closing(sqlite3.connect(db)) as conn:
        one = lambda sql: conn.execute(sql).fetchone()[0]  # noqa: E731
        runs = conn.execute("SELECT per_site FROM crawl_runs").fetchall()
        counts = json.loads(runs[-1][0]).get(trap, {}) if runs and runs[-1][0] else {}
        return {"reports": one("SELECT count(*) FROM reports"),
                "pages": one("SELECT count(*) FROM pages"),
                "page_errors": one("SELECT count(*) FROM pages WHERE error IS NOT NULL"),
                "caps": {k: v for k, v in counts.items() if k.endswith("_capped")}}


def _unrecorded(db: Path, server, fuzz) -> dict:
    """The fuzz portal's pages that are neither a report (or a copy of one: pages cut from the
    same real page are near-duplicates) nor a page error, its files without
    an attachment row holding text or an error: each must be 0."""
    with closing(sqlite3.connect(db)) as conn:
        reports = {url for (url,) in conn.execute("SELECT url FROM reports UNION SELECT url FROM copies")}
        errors = {url for (url,) in conn.execute("SELECT url FROM pages WHERE error IS NOT NULL")}
        files = {url: (text, error) for url, text, error in conn.execute("SELECT url, text, error FROM attachments")}
    pages = [server.url(fuzz.page_url(k)) for k in range(len(fuzz.pages))]
    links = [server.url(fuzz.file_url(k)) for k in range(len(fuzz.files))]
    return {"pages": sum(url not in reports and url not in errors for url in pages),
            "files": sum(url not in files or (files[url][0] is None) == (files[url][1] is None) for url in links),
            "page_errors": sum(url in errors for url in pages),
            "file_errors": sum(url in files and files[url][1] is not None for url in links)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=10_000)
    parser.add_argument("--files", type=int, default=1_000)
    parser.add_argument("--page-scale", type=int, default=10)
    parser.add_argument("--file-scale", type=int, default=5)
    parser.add_argument("--no-traps", action="store_true")
    parser.add_argument("--traps", nargs="+", choices=list(TRAP_STARTS), default=list(TRAP_STARTS))
    parser.add_argument("--fuzz-portal", nargs=2, type=int, default=FUZZ_PORTAL, metavar=("PAGES", "FILES"))
    parser.add_argument("--trap-limit", type=float, default=900, help="seconds a trap crawl may run")
    args = parser.parse_args()
    RESULTS.mkdir(parents=True, exist_ok=True)
    figures = {"machine": {"cpus": os.cpu_count(), "load": os.getloadavg()},
               "budgets": {"WORKER_MEMORY_MB": crawl_settings.WORKER_MEMORY_MB,
                           "WORKER_PAGE_TIMEOUT": crawl_settings.WORKER_PAGE_TIMEOUT,
                           "WORKER_FILE_TIMEOUT": crawl_settings.WORKER_FILE_TIMEOUT}}
    if args.pages:
        print(f"pages: {args.pages} at scale {args.page_scale} …", flush=True)
        figures["pages"] = bench_pages(args.pages, args.page_scale)
        print(json.dumps(figures["pages"], ensure_ascii=False, indent=1), flush=True)
    if args.files:
        print(f"files: {args.files} at scale {args.file_scale} …", flush=True)
        figures["files"] = bench_files(args.files, args.file_scale)
        print(json.dumps(figures["files"], ensure_ascii=False, indent=1), flush=True)
    if not args.no_traps:
        print("traps, at the default budgets …", flush=True)
        figures["traps"] = bench_traps(args.trap_limit, args.traps, tuple(args.fuzz_portal))
    figures["bench_peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
    name = "fuzz.json" if args.pages or args.files else "fuzz-traps.json"
    (RESULTS / name).write_text(json.dumps(figures, ensure_ascii=False, indent=1), encoding="utf-8")
    print(f"bench peak RSS {figures['bench_peak_rss_mb']} MB; figures in {RESULTS}")


if __name__ == "__main__":
    main()
