"""A site behind an anti-bot wall is recorded and then left alone for the rest of the run.

One request at a time here: the check is made when a request enters the downloader, so requests
already handed to it (up to CONCURRENT_REQUESTS) still go out."""
from __future__ import annotations

import json
import sqlite3

import pytest

from crawler.devtools.fixture_server import serve_portal
from tests.conftest import run_cli

# 瑞数's answer as cms_patterns.md §7 shows it: 412, a script VM reading window['$_ts']
WALL = (b'<html><head><meta content="{qqqqqqhF.QBiH" r="m"><script src="/ZvbYc1RuNkYg/6LweYeYIFMkG.a670748.js" '
        b"r='m'></script><script>window['$_ts']={};</script></head><body></body></html>")
TITLES = [f"城口县{y}年度法治政府建设情况报告" for y in range(2019, 2025)]


@pytest.fixture
def walled(tmp_path):
    root = tmp_path / "portal"
    root.mkdir()
    rows = "".join(f'<li><a href="/fzzf/t{i}.html">{t}</a><span>2024-03-0{i + 1}</span></li>'
                   for i, t in enumerate(TITLES))
    (root / "list.html").write_text(f'<html><head><meta charset="utf-8"><title>法治政府建设年度报告</title></head>'
                                    f'<body><ul class="list">{rows}</ul></body></html>', encoding="utf-8")
    (root / "wall.html").write_bytes(WALL)
    routes = [{"path": "/fzzf/", "file": "list.html"}]
    routes += [{"path": f"/fzzf/t{i}.html", "file": "wall.html", "status": 412} for i in range(len(TITLES))]
    (root / "routes.json").write_text(json.dumps({"routes": routes}), encoding="utf-8")
    with serve_portal(root, host="127.0.0.62") as (server, base):
        sites = tmp_path / "sites.yaml"
        sites.write_text(json.dumps({"sites": [{"name": "ck", "start_urls": [f"{base}/fzzf/"]}]}), encoding="utf-8")
        yield server, sites


def crawl(tmp_path, sites, *extra):
    db = tmp_path / "a.db"
    done = run_cli("crawl", "--sites", str(sites), "--db", str(db), "-s", "DOWNLOAD_DELAY=0",
                   "-s", "AUTOTHROTTLE_ENABLED=False", "-s", "CONCURRENT_REQUESTS=1", *extra)
    assert done.returncode == 0, done.stderr.decode()
    with sqlite3.connect(db) as conn:
        walls = conn.execute("SELECT count(*) FROM pages WHERE status = 412 AND error LIKE 'blocked%'").fetchone()[0]
        per_site = json.loads(conn.execute("SELECT per_site FROM crawl_runs").fetchone()[0])["ck"]
    return walls, per_site


def test_three_walls_in_a_row_and_the_site_is_left_alone(tmp_path, walled):
    server, sites = walled
    walls, per_site = crawl(tmp_path, sites)
    assert walls == 3 and per_site["blocked"] == 3 and per_site["wall_skipped"] == 3
    assert len(server.requested("/fzzf/t")) == 3


def test_zero_keeps_asking(tmp_path, walled):
    server, sites = walled
    walls, per_site = crawl(tmp_path, sites, "-s", "WALL_SKIP_AFTER=0")
    assert walls == 6 and "wall_skipped" not in per_site
