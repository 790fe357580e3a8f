"""`python -m crawler portals`: each home page fetched once — answers, walls, whose it is — the
alternative address tried when the first fails, a `portals` table, a `status` line, and the sites
file rewritten on request. Portals on loopback port 80 under real-looking names (mapping resolver)."""
from __future__ import annotations

import contextlib
import json
import sqlite3

import pytest
import yaml

from crawler.devtools.fixture_server import FixtureServer
from crawler.extract.portal import portal_facts, short_names, wall_of
from tests.conftest import run_cli

RESOLVER = "crawler.devtools.resolver.MappingResolver"
# 瑞数 and 加速乐 challenges as cms_patterns.md §7 quotes them
RS_BODY = (b'<html><head><meta content="{qqqqqqhF.QBiHcmsoyyEx" r="m"><script type="text/javascript" '
           b'charset="utf-8" src="/ZvbYc1RuNkYg/6LweYeYIFMkG.a670748.js" r="m"></script>'
           b"<script>(function(){window['$_ts']={};$_ts.nsd=48291;})()</script></head><body></body></html>")
JSL_BODY = (b"<script>document.cookie=('_')+('_')+('j')+('s')+('l')+('_')+('c')+('l')+('e')+('a')+('r')+"
            b"('a')+('n')+('c')+('e')+('_')+('s')+('=')+('1764576000.123|-1|abc');"
            b"location.href=location.pathname+location.search</script>")


def home(title: str, code: str, icp: str) -> bytes:
    return (f'<!DOCTYPE html><html><head><meta charset="utf-8"><title>{title}</title>'
            f'<meta name="SiteName" content="{title}"></head><body><div class="nav"><a href="/zwgk/">政务公开</a></div>'
            f'<div class="footer">主办：{title}办公室　网站标识码：{code}　<a href="https://beian.miit.gov.cn/">{icp}</a>'
            f'</div></body></html>').encode()


HOSTS = {   # host → (address, status, body)
    "www.good.gov.cn": ("127.0.114.1", 200, home("城口县人民政府", "5002290001", "渝ICP备05003300号-1")),
    "www.rs.gov.cn": ("127.0.114.2", 412, RS_BODY),
    "www.jsl.gov.cn": ("127.0.114.3", 521, JSL_BODY),
    "jsl.other.gov.cn": ("127.0.114.4", 200, home("垫江县人民政府", "5002310002", "渝ICP备12345678号")),
    "www.alive.gov.cn": ("127.0.114.5", 200, home("朝阳区人民政府", "1101050001", "京ICP备0000001号")),
    "www.gone.gov.cn": ("127.0.114.6", 404, None),
}
SITES = [
    {"name": "good", "title": "重庆市城口县人民政府", "region": "500229", "start_urls": ["http://www.good.gov.cn/"]},
    {"name": "rs", "title": "重庆市丰都县人民政府", "region": "500230", "start_urls": ["http://www.rs.gov.cn/"]},
    {"name": "jsl", "title": "重庆市垫江县人民政府", "region": "500231", "start_urls": ["http://www.jsl.gov.cn/"],
     "alt_urls": ["http://jsl.other.gov.cn/"]},
    {"name": "dead", "title": "重庆市忠县人民政府", "region": "500233", "start_urls": ["http://www.dead.gov.cn/"],
     "alt_urls": ["http://www.alive.gov.cn/"]},
    {"name": "gone", "title": "重庆市云阳县人民政府", "region": "500235", "start_urls": ["http://www.gone.gov.cn/"]},
]


@pytest.fixture(scope="module")
def checked(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("portals")
    with contextlib.ExitStack() as stack:
        for host, (address, status, body) in HOSTS.items():
            root = tmp / host
            root.mkdir()
            routes = []
            if body is not None:
                (root / "index.html").write_bytes(body)
                routes.append({"path": "/", "file": "index.html", "status": status})
            (root / "routes.json").write_text(json.dumps({"routes": routes}), encoding="utf-8")
            try:
                server = FixtureServer(root, host=address, port=80).start()
            except PermissionError:
                pytest.skip("binding port 80 on loopback needs root")
            stack.callback(server.stop)
        sites = tmp / "sites.yaml"
        sites.write_text(yaml.safe_dump({"sites": SITES}, allow_unicode=True), encoding="utf-8")
        db = tmp / "a.db"
        mapping = {h: a for h, (a, _, _) in HOSTS.items()}
        done = run_cli("portals", "--sites", str(sites), "--db", str(db), "--write-sites", str(tmp / "checked.yaml"),
                       "-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=False",
                       "-s", f"TWISTED_DNS_RESOLVER={RESOLVER}", "-s", f"LOOPBACK_HOSTS={json.dumps(mapping)}")
    assert done.returncode == 0, done.stderr.decode()[-1500:]
    with sqlite3.connect(db) as conn:
        conn.row_factory = sqlite3.Row
        rows = {r["site"]: dict(r) for r in conn.execute("SELECT * FROM portals")}
    return {"rows": rows, "stdout": done.stdout.decode(), "db": db, "checked": tmp / "checked.yaml"}


def test_a_home_page_that_answers_and_names_its_government(checked):
    row = checked["rows"]["good"]
    assert (row["outcome"], row["status"], row["used_alt"]) == ("answers", 200, 0)
    assert row["title"] == "城口县人民政府" and row["names_government"] == 1
    assert (row["site_code"], row["site_code_matches"], row["icp"]) == ("5002290001", 1, "渝ICP备05003300号-1")


def test_walls_are_named(checked):
    assert (checked["rows"]["rs"]["outcome"], checked["rows"]["rs"]["wall"]) == ("wall", "瑞数")
    assert checked["rows"]["rs"]["status"] == 412


def test_the_alternative_address_is_tried_when_the_first_fails(checked):
    jsl = checked["rows"]["jsl"]
    assert (jsl["outcome"], jsl["used_alt"], jsl["url"]) == ("answers", 1, "http://jsl.other.gov.cn/")
    assert [a["wall"] for a in json.loads(jsl["attempts"])] == ["加速乐", None]
    dead = checked["rows"]["dead"]
    assert (dead["outcome"], dead["used_alt"]) == ("answers", 1)
    assert "DNS lookup failed" in json.loads(dead["attempts"])[0]["error"]
    # it answers, but it is someone else's portal: another title, another region's 网站标识码
    assert (dead["names_government"], dead["site_code_matches"]) == (0, 0)


def test_an_http_error_without_alternative(checked):
    gone = checked["rows"]["gone"]
    assert (gone["outcome"], gone["status"], gone["error"]) == ("http_error", 404, "HTTP 404")


def test_a_summary_and_a_status_line(checked):
    line = ("portals: 5 checked, 3 answer (2 at their alternative address), 1 behind anti-bot walls, "
            "1 HTTP errors, 0 unreachable; 2 name their government, 2 show a 网站标识码 of their region, "
            "1 one of another")
    assert line in checked["stdout"]
    status = run_cli("status", "--db", str(checked["db"]))
    assert line in status.stdout.decode()


def test_the_sites_file_is_rewritten_on_request(checked):
    sites = {s["name"]: s for s in yaml.safe_load(checked["checked"].read_text(encoding="utf-8"))["sites"]}
    assert sites["jsl"]["start_urls"] == ["http://jsl.other.gov.cn/"]
    assert sites["jsl"]["alt_urls"] == ["http://www.jsl.gov.cn/"]
    assert sites["good"]["start_urls"] == ["http://www.good.gov.cn/"] and "alt_urls" not in sites["good"]
    assert "2 site(s) now start at their alternative address" in checked["stdout"]


@pytest.mark.parametrize("status, body, wall", [
    (412, RS_BODY, "瑞数"), (521, JSL_BODY, "加速乐"), (200, b"<script>wzwschallenge</script>", "WZWS"),
    (403, b"Forbidden", "HTTP 403"), (200, b"<html>" + b"x" * 9000 + b"$_ts</html>", None), (200, b"<p>ok</p>", None),
])
def test_wall_of(status, body, wall):
    assert wall_of(status, body) == wall


def test_short_names_and_facts():
    assert short_names("重庆市城口县人民政府") == ["重庆市城口县人民政府", "重庆市城口县", "城口县人民政府", "城口县"]
    facts = portal_facts('<html><head><meta name="SiteIDCode" content="5002290001"><title>首页</title></head>'
                         '<body><p>城口县 版权所有</p><p>渝ICP备 05003300号</p></body></html>',
                         "500229", "重庆市城口县人民政府")
    assert facts == {"title": "首页", "site_code": "5002290001", "site_code_matches": True,
                     "icp": "渝ICP备05003300号", "names_government": True}
