"""sites/national.yaml: every government's portal, regenerated from the CSV kept beside it,
and the --site / --region selections a national crawl is run with."""
import json
import sqlite3

import pytest

from crawler.crawl.sites import SitesError
from crawler.devtools.fixture_server import serve_portal
from crawler.run import load_sites
from tests.conftest import FIXTURES, ROOT, run_cli

NATIONAL = ROOT / "sites" / "national.yaml"
# 重庆's counties (县, not 区), read off the division list: 5002xx
CQ_COUNTIES = {"城口县", "丰都县", "垫江县", "忠县", "云阳县", "奉节县", "巫山县", "巫溪县",
               "石柱土家族自治县", "秀山土家族苗族自治县", "酉阳土家族苗族自治县", "彭水苗族土家族自治县"}


@pytest.fixture(scope="module")
def national():
    return load_sites(NATIONAL)


def test_the_file_is_what_the_builder_makes_of_the_csv():
    import importlib.util
    spec = importlib.util.spec_from_file_location("build_national", ROOT / "sites" / "build_national.py")
    builder = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(builder)
    assert NATIONAL.read_text(encoding="utf-8") == builder.build(builder.read_rows())


def test_one_site_per_government_with_a_portal(national):
    # 3,215 governments in sites/source/README.md; 6 rows have no home page of their own
    assert len(national) == 3209
    assert len({s.region for s in national}) == len(national)
    assert all(s.name == f"cn{s.region}" and s.title.endswith(("人民政府", "行政公署", "管理委员会", "兵团"))
               for s in national if s.region not in ("659000", "500157"))
    assert {s.level for s in national} == {"province", "prefecture", "county"}


def test_a_government_site_as_the_csv_gives_it(national):
    by_name = {s.name: s for s in national}
    chengkou = by_name["cn500229"]
    assert chengkou.title == "重庆市城口县人民政府" and chengkou.level == "county"
    assert chengkou.start_urls[0].startswith("http") and chengkou.start_urls[0].endswith("/")
    # 路北区: the info_url follows the home page; 路南区: the other registry's address is kept, not crawled
    assert by_name["cn130203"].start_urls == ("http://www.tslb.gov.cn/",
                                              "http://www.tslb.gov.cn/index.php?m=content&c=index&a=lists&catid=12")
    lunan = by_name["cn130202"]
    assert lunan.alt_urls == ("http://lunan.tangshan.gov.cn/",)
    assert "lunan.tangshan.gov.cn" not in lunan.hosts
    assert sum(bool(s.alt_urls) for s in national) == 103
    # 1,046 rows give an info_url; 奉化区 (330213) gives its home page as one
    assert sum(len(s.start_urls) == 2 for s in national) == 1045


def test_region_prefixes_select_chongqing_and_its_counties():
    chongqing = load_sites(NATIONAL, regions=["50"])
    assert len(chongqing) == 40 and all(s.region.startswith("50") for s in chongqing)
    counties = load_sites(NATIONAL, regions=["5002"])
    assert {s.title.removeprefix("重庆市").removesuffix("人民政府") for s in counties} == CQ_COUNTIES


def test_names_and_regions_add_up(national):
    picked = load_sites(NATIONAL, ["cn110000"], ["5002"])
    assert [s.name for s in picked][0] == "cn110000" and len(picked) == 13


@pytest.mark.parametrize("regions, message", [
    (["5x"], "--region expects 1 to 6 digits"),
    (["5002291"], "--region expects 1 to 6 digits"),
    (["99"], "no site whose region starts with 99"),
])
def test_a_prefix_that_selects_nothing_is_a_mistake(regions, message):
    with pytest.raises(SitesError, match=message):
        load_sites(NATIONAL, regions=regions)


@pytest.mark.parametrize("text, message", [
    ("sites:\n  - {name: a, start_urls: [http://a/], alt_urls: [ftp://b/]}\n",
     "alt_urls 'ftp://b/' is not an http(s) URL"),
    ("sites:\n  - {name: a, start_urls: [http://a/], alt_urls: 3}\n", "'alt_urls' must be a list of URLs"),
    ("sites:\n  - {name: a, start_urls: [http://a/], level: township}\n", "'level' must be one of"),
])
def test_new_keys_are_validated(tmp_path, text, message):
    path = tmp_path / "sites.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(SitesError) as err:
        load_sites(path)
    assert message in str(err.value) and "\n" not in str(err.value)


def test_cli_region_crawls_only_the_selected_sites(tmp_path):
    with serve_portal(FIXTURES / "portals" / "colon", host="127.0.0.61") as (server, _):
        start = server.url(server.site["start"])
        sites = tmp_path / "sites.yaml"
        sites.write_text(json.dumps({"sites": [
            {"name": "cq", "region": "500229", "start_urls": [start]},
            {"name": "bj", "region": "110101", "start_urls": [start]}]}), encoding="utf-8")
        db = tmp_path / "a.db"
        done = run_cli("crawl", "--sites", str(sites), "--db", str(db), "--region", "50",
                       "-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=False")
        assert done.returncode == 0, done.stderr.decode()
    with sqlite3.connect(db) as conn:
        assert json.loads(conn.execute("SELECT sites FROM crawl_runs").fetchone()[0]) == ["cq"]
        assert {r[0] for r in conn.execute("SELECT DISTINCT site FROM reports")} == {"cq"}
        # the crawl made its government known to coverage, and only that one
        assert conn.execute("SELECT region_code, site FROM governments").fetchall() == [("500229", "cq")]


def test_cli_bad_region_is_one_line_and_exit_2(tmp_path):
    done = run_cli("crawl", "--sites", str(NATIONAL), "--db", str(tmp_path / "a.db"), "--region", "99")
    assert done.returncode == 2
    stderr = done.stderr.decode()
    assert stderr.strip().count("\n") == 0 and "no site whose region starts with 99" in stderr
    assert not (tmp_path / "a.db").exists()
