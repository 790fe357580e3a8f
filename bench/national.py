"""A national crawl on one machine, simulated: N governments of sites/national.yaml, each a portal
reached from its home page only, all served on one loopback address by host name.

    .venv/bin/python bench/national.py --portals 300

The first N sites of sites/national.yaml keep their real host names (www.bjdch.gov.cn …); the
mapping resolver (crawler/devtools/resolver.py) sends every one of them, and its xxgk./public.
sibling, to 127.0.120.1:80, where one threaded server answers by Host header. Each portal draws its
path to the two report columns in one of four ways (a plain 政务公开 menu; a JS-array menu to an
xxgk. host; an image map to a frameset; an onclick link to a public. host) and lists three years of
each report type plus a look-alike. The crawl runs through the CLI with the project's politeness
per host (4 connections) but no delay, so the figures are the crawler's own cost.

Measured: wall and CPU seconds and peak RSS of the crawl process, pages fetched, reports found of
those served, governments whose both columns were found, database size. Results go to
bench/results/national-N.json (git-ignored). Needs root (port 80 on loopback).
"""
from __future__ import annotations

import argparse
import json
import os
import random
import resource
import signal
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from crawler.crawl.sites import load_sites  # noqa: E402
from spiders.registry import FAMILIES  # noqa: E402

ADDRESS = "127.0.120.1"
FZ, XXGK = "法治政府建设年度报告", "政府信息公开工作年度报告"
YEARS = (2021, 2022, 2023)
VERBS = "完善 健全 规范 强化 推进 落实 深化 加强 优化 创新 统筹 压实 细化 拓展 夯实 提升 严格 实施 开展 巩固".split()
OBJECTS = ("执法程序 审批流程 决策机制 监督体系 考核办法 培训制度 复议工作 普法责任 诚信体系 信用监管 清单管理 "
           "备案审查 法律顾问 调解网络 应急预案 数据共享 服务标准 信息公开 听证制度 容错机制 督查问责").split()


def page(title: str, body: str) -> bytes:
    return (f'<!DOCTYPE html><html><head><meta charset="utf-8"><title>{title}</title></head>'
            f"<body>{body}</body></html>").encode()


def text(seed: str, n: int = 24) -> str:
    rng = random.Random(seed)
    return "".join(f"<p>{rng.choice(VERBS)}{rng.choice(OBJECTS)}{rng.randint(2, 999)}项，{rng.choice(VERBS)}"
                   f"{rng.choice(OBJECTS)}，{rng.choice(VERBS)}{rng.choice(OBJECTS)}{rng.randint(2, 99)}次。</p>"
                   for _ in range(n))


def report_page(gov: str, kind: str, year: int) -> bytes:
    title = f"{gov}{year}年度法治政府建设情况报告" if kind == FZ else f"{gov}{year}年政府信息公开工作年度报告"
    headings = (["一、主要举措和成效", "二、存在的不足和原因", "三、党政主要负责人履行推进法治建设第一责任人职责情况",
                 f"四、{year + 1}年度推进法治政府建设的主要安排", "五、其他需要报告的情况"] if kind == FZ else
                ["一、总体情况", "二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况",
                 "四、政府信息公开行政复议、行政诉讼情况", "五、存在的主要问题及改进情况", "六、其他需要报告的事项"])
    body = "".join(f"<p>{h}</p>{text(f'{gov}{kind}{year}{h}', 5)}" for h in headings)
    return page(title, f'<h1>{title}</h1><div class="info">发布日期：{year + 1}-03-{10 + year % 17}　'
                       f'发布机构：{gov}</div><div id="zoom">{body}</div>')


def portal(site, variant: int) -> tuple[dict[tuple[str, str], bytes], list[tuple[str, str, int]]]:
    """(host, path) → bytes of one portal, and its reports (url, type, year)."""
    home = site.start_urls[0].split("/")[2]
    domain = home[4:] if home.startswith("www.") else home
    gov = (site.title or site.name).removesuffix("人民政府")
    pages: dict[tuple[str, str], bytes] = {}
    host = {0: home, 1: f"xxgk.{domain}", 2: home, 3: f"public.{domain}"}[variant]
    base = {0: "/zwgk/zfxxgk/", 1: "/fdzdgknr/", 2: "/gkml/", 3: "/zdgk/"}[variant]
    nav = {0: '<a href="/zwgk/">政务公开</a>',
           1: f'<script>var menu = [{{"name": "首页", "url": "/"}}, {{"name": "政府信息公开", "url": "http://{host}/"}}];</script>',
           2: '<img src="/n.png" usemap="#m"><map name="m"><area href="/zwgk/index.html" alt="政务公开"></map>',
           3: f'<a href="javascript:void(0)" onclick="window.open(\'http://{host}/\')">政务公开</a>'}[variant]
    pages[(home, "/")] = page(site.title or gov, f'{nav}<a href="http://www.gov.cn/">中国政府网</a>'
                                                 f"<p>网站标识码：{site.region}0001</p>")
    if variant == 0:
        pages[(home, "/zwgk/")] = page("政务公开", '<a href="/zwgk/zfxxgk/">政府信息公开</a>'
                                                 '<a href="/zwgk/zcjd/">政策解读</a>')
    elif variant == 1:
        pages[(host, "/")] = page("政府信息公开", '<a href="/fdzdgknr/">法定主动公开内容</a>'
                                                  '<a href="/xxgkzn/">政府信息公开指南</a>')
    elif variant == 2:
        pages[(home, "/zwgk/index.html")] = (b'<html><head><title>zwgk</title></head><frameset cols="200,*">'
                                             b'<frame src="/zwgk/left.html"><frame src="/zwgk/main.html">'
                                             b'</frameset></html>')
        pages[(home, "/zwgk/left.html")] = page("left", '<a href="/gkml/">政府信息公开目录</a>')
        pages[(home, "/zwgk/main.html")] = page("main", "<p>政务公开</p>")
    else:
        pages[(host, "/")] = page("政府信息公开", '<a href="/zdgk/">主动公开</a>')
    columns = {FZ: f"{base}fzzfjsndbg/", XXGK: f"{base}zfxxgknb/"}
    pages[(host, base)] = page("目录", f'<a href="{columns[FZ]}">法治政府建设年度报告</a>'
                                      f'<a href="{columns[XXGK]}">政府信息公开年报</a>'
                                      f'<a href="{base}pfxc/">普法宣传</a>')
    reports = []
    for kind, column in columns.items():
        rows = []
        for year in YEARS:
            path = f"{column}{year + 1}03/t{year + 1}0315_{year}.html"
            pages[(host, path)] = report_page(gov, kind, year)
            reports.append((f"http://{host}{path}", kind, year))
            title = report_page(gov, kind, year).split(b"<h1>")[1].split(b"</h1>")[0].decode()
            rows.append(f'<li><a href="{path}">{title}</a><span>{year + 1}-03-15</span></li>')
        jd = f"{column}jd.html"
        pages[(host, jd)] = page("解读", "<p>解读</p>")
        rows.append(f'<li><a href="{jd}">图解：《{gov}2023年度报告》</a><span>2024-03-20</span></li>')
        pages[(host, column)] = page(kind, f'<ul class="list">{"".join(rows)}</ul>')
    return pages, reports


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_GET(self):
        host = (self.headers.get("Host") or "").split(":")[0].lower()
        body = self.server.pages.get((host, self.path.split("?")[0]))
        status = 200 if body is not None else 404
        body = body if body is not None else b"not found"
        with self.server.lock:
            self.server.requests += 1
            if self.server.kill_at and self.server.requests == self.server.kill_at and self.server.proc:
                os.kill(self.server.proc.pid, signal.SIGKILL)   # --kill-at: the crawl dies mid-run
        self.send_response(status)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


def replayed(db: Path) -> int:
    """Answers the last run replayed from an interrupted one (crawl/resume.py), from its run record."""
    with sqlite3.connect(db) as conn:
        row = conn.execute("SELECT per_site FROM crawl_runs ORDER BY id DESC LIMIT 1").fetchone()
    return sum(c.get("resumed", 0) for c in json.loads(row[0] or "{}").values()) if row else 0


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--portals", type=int, default=300)
    parser.add_argument("--kill-at", type=int, default=0,
                        help="SIGKILL the crawl when the server has answered this many requests, then "
                             "start it again (it resumes: crawl/resume.py); both runs are measured")
    args = parser.parse_args(argv)
    sites = [s for s in load_sites(ROOT / "sites" / "national.yaml", families=FAMILIES)][:args.portals]
    pages: dict = {}
    expected = []
    for i, site in enumerate(sites):
        served, reports = portal(site, i % 4)
        pages.update(served)
        expected += [(site.name, *r) for r in reports]
    hosts = {h: ADDRESS for h, _ in pages}
    server = ThreadingHTTPServer((ADDRESS, 80), Handler)
    server.daemon_threads, server.request_queue_size = True, 1024
    server.pages, server.lock, server.requests = pages, threading.Lock(), 0
    server.kill_at, server.proc = args.kill_at, None
    threading.Thread(target=server.serve_forever, daemon=True).start()
    with tempfile.TemporaryDirectory() as tmp:
        tmp = os.environ.get("BENCH_KEEP") or tmp
        sites_file = Path(tmp) / "sites.yaml"
        sites_file.write_text(json.dumps({"sites": [
            {"name": s.name, "title": s.title, "region": s.region, "level": s.level, "scope": "domain",
             # the loopback server speaks plain HTTP: https:// home pages are asked over http://
             "start_urls": [f"http://{s.start_urls[0].split('/')[2]}/"]} for s in sites]}, ensure_ascii=False),
            encoding="utf-8")
        db = Path(tmp) / "archive.db"
        hosts_file = Path(tmp) / "hosts.json"   # thousands of names: too long for one argument
        hosts_file.write_text(json.dumps(hosts), encoding="utf-8")
        command = [sys.executable, "-m", "crawler", "crawl", "-q", "--sites", str(sites_file), "--db", str(db),
                   "-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=False",
                   "-s", "TWISTED_DNS_RESOLVER=crawler.devtools.resolver.MappingResolver",
                   "-s", f"LOOPBACK_HOSTS_FILE={hosts_file}"]
        runs = []
        for _ in range(2 if args.kill_at else 1):
            started, answered = time.time(), server.requests
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            server.proc = subprocess.Popen(command, cwd=ROOT, env=dict(os.environ, PYTHONPATH=str(ROOT)),
                                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            out, err = server.proc.communicate()
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            runs.append({"exit": server.proc.returncode, "wall_s": round(time.time() - started, 1),
                         "cpu_s": round(after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime, 1),
                         "requests_answered": server.requests - answered,
                         "peak_rss_mib": round(after.ru_maxrss / 1024), "replayed": replayed(db)})
            server.kill_at = 0
        server.shutdown()
        if runs[-1]["exit"] != 0:
            print(err[-2000:], file=sys.stderr)
            return 1
        wall = sum(r["wall_s"] for r in runs)
        conn = sqlite3.connect(db)
        stored = {(u, t, y) for u, t, y in conn.execute("SELECT url, report_type, year FROM reports")}
        found = [e for e in expected if e[1:] in stored]
        both = sum(1 for s in sites if sum(1 for e in found if e[0] == s.name) == 2 * len(YEARS))
        pages_fetched = conn.execute("SELECT count(*) FROM fetches").fetchone()[0]
        lookalikes = conn.execute("SELECT count(*) FROM reports WHERE url LIKE '%jd.html' AND report_type IN (?, ?)",
                                  [FZ, XXGK]).fetchone()[0]
        conn.close()
        result = {"portals": len(sites), "hosts": len(hosts), "pages_served": len(pages),
                  "requests_answered": server.requests, "pages_fetched": pages_fetched,
                  "wall_s": round(wall, 1), "cpu_s": round(sum(r["cpu_s"] for r in runs), 1),
                  "peak_rss_mib": max(r["peak_rss_mib"] for r in runs), "pages_per_s": round(pages_fetched / wall, 1),
                  **({"runs": runs} if args.kill_at else {}),
                  "reports_expected": len(expected), "reports_found": len(found),
                  "governments_complete": both, "lookalikes_kept": lookalikes,
                  "db_mib": round(db.stat().st_size / 2**20, 1)}
    out = ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    (out / f"national-{len(sites)}.json").write_text(json.dumps(result, indent=1), encoding="utf-8")
    print(json.dumps(result, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
