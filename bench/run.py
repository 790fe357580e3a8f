"""Benchmarks: extraction speed, crawl throughput and memory, re-crawl transfer.

    make bench            # or: .venv/bin/python bench/run.py [--reports N]

Figures go to stdout and bench/results/latest.json; they are measurements, never
assertions (the test suite has no timed test).
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from w3lib.encoding import html_to_unicode  # noqa: E402

from bench.make_portal import make_portal  # noqa: E402
from crawler.devtools.fixture_server import serve_portal  # noqa: E402
from crawler.extract import extract_report  # noqa: E402

PAGES = ROOT / "tests" / "fixtures" / "pages"


def bench_extraction(loops: int = 20) -> dict:
    """Milliseconds per page for extract_report on every fixture detail page."""
    results = {}
    for path in sorted(PAGES.glob("*.html")):
        _, html = html_to_unicode(None, path.read_bytes())
        start = time.perf_counter()
        for _ in range(loops):
            extract_report("http://bench.invalid/x.html", html)
        results[path.name] = round((time.perf_counter() - start) * 1000 / loops, 2)
    results["mean"] = round(sum(results.values()) / len(results), 2)
    return results


def crawl(sites: Path, db: Path) -> dict:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "crawler", "crawl", "-q", "--sites", str(sites), "--db", str(db),
                    "-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=False",
                    "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=16"],
                   cwd=ROOT, env=dict(os.environ, PYTHONPATH=str(ROOT)), check=True)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return {"seconds": round(time.perf_counter() - start, 2),
            "cpu_seconds": round(after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime, 2),
            "max_rss_mib": round(after.ru_maxrss / 1024, 1)}


def bench_crawl(reports: int) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        portal = make_portal(tmp / "portal", reports)
        with serve_portal(portal, host="127.0.0.90") as (server, _):
            sites = tmp / "sites.yaml"
            sites.write_text(json.dumps({"sites": [{"name": "bench", "start_urls": [server.url("/col/index.html")]}]}))
            db = tmp / "bench.db"
            first = crawl(sites, db)
            first_bytes = server.bytes_sent
            second = crawl(sites, db)
            second_bytes = server.bytes_sent - first_bytes
        first.update(reports=reports, pages_per_second=round((reports * 1.05) / first["seconds"], 1),
                     bytes_sent=first_bytes, db_mib=round(db.stat().st_size / 2**20, 2))
        second.update(bytes_sent=second_bytes, bytes_ratio=round(second_bytes / first_bytes, 3))
        return {"first_crawl": first, "unchanged_recrawl": second}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--reports", type=int, default=300)
    args = parser.parse_args()
    results = {"extraction_ms_per_page": bench_extraction(), **bench_crawl(args.reports)}
    out = ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    (out / "latest.json").write_text(json.dumps(results, indent=2, ensure_ascii=False))
    print(json.dumps(results, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
