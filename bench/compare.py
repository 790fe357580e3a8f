"""The comparison: the project and a naive peer crawl the same generated web in one run.

    .venv/bin/python bench/compare.py            # 200 portals, 3,000 reports, 600 look-alikes
    .venv/bin/python bench/compare.py --quick    # 20 portals, 300 reports, 60 look-alikes

The web (bench/make_portal.py make_web) is served on loopback, one address per portal
(127.0.90.N). Both crawlers get the same politeness: no delay, 32 connections, 8 per
host, robots.txt obeyed. They run one after the other, so neither takes the other's CPU.
Printed for each side: reports/s (reports found ÷ wall seconds), recall against the
generator's truth (a report counts when the archive holds its address — as a report or a
known copy — with its text: a sentence of its body, from the page or from its PDF/DOCX),
look-alikes kept, peak RSS (the process tree's sum, workers included), CPU seconds, and
archive bytes per report; then the ratio. Figures go to bench/results/compare.json.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import resource
import shutil
import sqlite3
import sys
import tempfile
from contextlib import ExitStack, contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import measure  # noqa: E402
from bench.make_portal import make_web  # noqa: E402
from crawler.devtools.fixture_server import FixtureServer  # noqa: E402
from crawler.store.publish import published_path  # noqa: E402

# Both sides: no delay, 32 connections, 8 per host — the per-host limit kept on both through
# the project's downloader (Scrapy's own lets every queued request go when there is no delay)
POLITENESS = {"DOWNLOAD_DELAY": "0", "AUTOTHROTTLE_ENABLED": "False", "CONCURRENT_REQUESTS": "32",
              "CONCURRENT_REQUESTS_PER_DOMAIN": "8", "DOWNLOADER": "crawler.crawl.downloader.Downloader"}
SIZES = {"default": (200, 3000, 600), "quick": (20, 300, 60)}


def web(portals: int, reports: int, lookalikes: int) -> Path:
    """The generated web, built once per size under bench/results/ (git-ignored)."""
    out = ROOT / "bench" / "results" / f"web-{portals}-{reports}-{lookalikes}"
    if not (out / "truth.json").exists():
        make_web(out, portals, reports, lookalikes)
    return out


def serve(stack: ExitStack, out: Path) -> tuple[Path, dict, list]:
    """Every portal on its own address; (sites file, truth with absolute addresses, servers)."""
    truth = json.loads((out / "truth.json").read_text(encoding="utf-8"))
    servers, sites, expected = [], [], {}
    for portal in truth["portals"]:
        server = FixtureServer(out / portal["dir"], host=portal["host"]).start()
        stack.callback(server.stop)
        servers.append(server)
        sites.append({"name": portal["name"], "start_urls": [server.url(portal["start"])]})
        for report in portal["reports"]:
            expected[server.url(report["path"])] = report
    path = Path(stack.enter_context(tempfile.TemporaryDirectory())) / "sites.json"
    path.write_text(json.dumps({"sites": sites}, ensure_ascii=False), encoding="utf-8")
    return path, expected, servers


def _squash(text: str | None) -> str:
    return re.sub(r"\s", "", text or "")


def score(found: dict[str, str], expected: dict) -> dict:
    """Recall (addresses held with their text) and look-alikes kept."""
    hits = sum(1 for url, report in expected.items() if report["probe"] in _squash(found.get(url)))
    return {"reports_found": hits, "recall": round(hits / len(expected), 4),
            "lookalikes_kept": sum(1 for url in found if url not in expected)}


def crawl_project(sites: Path, db: Path, extra: list[str]) -> dict:
    settings = [a for k, v in POLITENESS.items() for a in ("-s", f"{k}={v}")]
    # BENCH_PROFILE=out.prof: the crawl's reactor process under cProfile (its workers are not), timed by
    # the wall clock, or by CPU time with BENCH_PROFILE_CLOCK=cpu (bench/cpu_profile.py says why)
    profile = []
    if os.environ.get("BENCH_PROFILE"):
        out = os.environ["BENCH_PROFILE"]
        cpu = os.environ.get("BENCH_PROFILE_CLOCK") == "cpu"
        profile = [str(ROOT / "bench" / "cpu_profile.py"), out] if cpu else ["-m", "cProfile", "-o", out]
    figures = measure.run([sys.executable, *profile, "-m", "crawler", "crawl", "-q", "--sites", str(sites),
                           "--db", str(db), *settings, *extra], cwd=ROOT, env=dict(os.environ, PYTHONPATH=str(ROOT)))
    with sqlite3.connect(db) as conn:
        found = dict(conn.execute("SELECT url, body FROM reports"))
        found.update(conn.execute("SELECT c.url, r.body FROM copies c JOIN reports r ON r.url = c.report_url"))
    return {**figures, "found": found}


def crawl_naive(sites: Path, db: Path) -> dict:
    settings = [a for k, v in POLITENESS.items() for a in ("-s", f"{k}={v}")]
    figures = measure.run([sys.executable, str(ROOT / "bench" / "naive_peer.py"), str(sites), str(db), *settings],
                          cwd=ROOT, env=dict(os.environ, PYTHONPATH=str(ROOT)), stderr=open(os.devnull, "w"))
    with sqlite3.connect(db) as conn:
        found = dict(conn.execute("SELECT url, text FROM pages"))
    return {**figures, "found": found}


def side(figures: dict, expected: dict, db: Path) -> dict:
    found = figures.pop("found")
    scored = score(found, expected)
    size = sum(p.stat().st_size for p in db.parent.glob(db.name + "*"))
    out = {**scored, **figures, "reports_per_second": round(scored["reports_found"] / figures["seconds"], 1),
           "archive_bytes": size, "archive_bytes_per_report": round(size / max(scored["reports_found"], 1))}
    published = published_path(db)
    if published.exists():  # the project's crawl publishes when it ends
        out["published_bytes"] = sum(p.stat().st_size for p in published.parent.glob(published.name + "*"))
        out["published_share"] = round(out["published_bytes"] / size, 3)
        out["published_largest"] = largest_objects(published)
        out["archive_largest"] = largest_objects(db)
    return out


def largest_objects(db: Path, top: int = 8) -> dict:
    """MiB of the largest tables and indexes of `db` (SQLite's dbstat), to see what the bytes are."""
    with sqlite3.connect(f"{db.resolve().as_uri()}?mode=ro", uri=True) as conn:
        return {name: round(size / 2**20, 2) for name, size in conn.execute(
            "SELECT name, sum(pgsize) s FROM dbstat GROUP BY name ORDER BY s DESC LIMIT ?", [top])}


@contextmanager
def serving_cpu():
    """The CPU seconds this process (the portals' servers: one thread each) spent while a side
    crawled: they share the two cores with the crawl, so a crawl's cores busy plus these is what
    the machine had to give."""
    start, out = resource.getrusage(resource.RUSAGE_SELF), {}
    yield out
    end = resource.getrusage(resource.RUSAGE_SELF)
    out["server_cpu_seconds"] = round(end.ru_utime + end.ru_stime - start.ru_utime - start.ru_stime, 1)


def report(name: str, figures: dict) -> None:
    """One side's figures on a line, then its timeline in a line of cores busy per 5 s (the whole
    tree's, and in brackets the reactor process's) — compare.json keeps the timeline whole."""
    print(name, json.dumps({k: v for k, v in figures.items() if k != "timeline"}), flush=True)
    print("   cores busy per 5 s:", " ".join(f"{s['cores']:.1f}({s['root']:.1f})" for s in figures["timeline"]))
    print("   peak PSS MiB per 5 s:", " ".join(str(s["pss_mib"]) for s in figures["timeline"]), flush=True)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true", help="20 portals, 300 reports")
    parser.add_argument("--portals", type=int)
    parser.add_argument("--reports", type=int)
    parser.add_argument("--lookalikes", type=int)
    parser.add_argument("--only", choices=["project", "naive"])
    parser.add_argument("-s", action="append", default=[], help="a setting for the project's crawl")
    parser.add_argument("--keep", type=Path, help="copy the project's archive and published file here")
    args = parser.parse_args()
    portals, reports, lookalikes = SIZES["quick" if args.quick else "default"]
    portals, reports, lookalikes = args.portals or portals, args.reports or reports, args.lookalikes or lookalikes
    out = web(portals, reports, lookalikes)
    results = {"web": {"portals": portals, "reports": reports, "lookalikes": lookalikes}}
    with ExitStack() as stack:
        sites, expected, servers = serve(stack, out)
        tmp = Path(stack.enter_context(tempfile.TemporaryDirectory()))
        if args.only != "naive":
            db = tmp / "project.db"
            with serving_cpu() as served:
                figures = crawl_project(sites, db, [a for s in args.s for a in ("-s", s)])
            results["project"] = side({**figures, **served}, expected, db)
            if args.keep:
                args.keep.mkdir(parents=True, exist_ok=True)
                for path in tmp.glob("project*"):
                    shutil.copyfile(path, args.keep / path.name)
            report("project", results["project"])
        if args.only != "project":
            db = tmp / "naive.db"
            with serving_cpu() as served:
                figures = crawl_naive(sites, db)
            results["naive"] = side({**figures, **served}, expected, db)
            report("naive  ", results["naive"])
        results["requests_served"] = sum(len(s.log) for s in servers)
    if "project" in results and "naive" in results:
        results["ratio_reports_per_second"] = round(
            results["project"]["reports_per_second"] / max(results["naive"]["reports_per_second"], 0.01), 2)
        print("ratio (project / naive reports per second):", results["ratio_reports_per_second"])
    (ROOT / "bench" / "results").mkdir(exist_ok=True)
    (ROOT / "bench" / "results" / "compare.json").write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
