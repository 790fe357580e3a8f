"""coverage: every government × year × report type, and whether the government itself published."""
from datetime import date

import pytest

from crawler.analyze.coverage import government_rows
from crawler.crawl.sites import Site
from crawler.extract.issuer import issuer_type, report_issuer
from crawler.store import Store

FZ, XXGK = "法治政府建设年度报告", "政府信息公开工作年度报告"
LAST_YEAR = date.today().year - 1


@pytest.mark.parametrize("title, publisher, kind", [
    ("城口县2020年度法治政府建设情况报告", None, "government"),
    ("重庆市城口县人民政府关于2022年法治政府建设情况的报告", "城口县司法局", "government"),
    ("中共城口县委 城口县人民政府关于2022年度法治政府建设情况的报告", None, "government"),
    ("两江新区管理委员会2022年法治政府建设年度报告", None, "government"),
    ("2022年政府信息公开工作年度报告", "城口县人民政府办公室", "government"),
    ("2022年政府信息公开工作年度报告", None, "government"),
    ("城口县司法局2020年度法治政府建设情况报告", None, "department"),
    ("城口县人民政府办公室2022年政府信息公开工作年度报告", None, "department"),
    ("2022年政府信息公开工作年度报告", "城口县教育委员会", "department"),
    ("城口县2019年度法治政府建设情况报告（县司法局）", None, "department"),
    ("高燕镇人民政府2022年政府信息公开工作年度报告", None, "township"),
    ("经济技术开发区管委会2024年法治政府建设工作报告", None, "department"),
    ("城口县高新技术产业开发区管理委员会2022年政府信息公开工作年度报告", None, "department"),
    ("2023年政府信息公开工作年度报告", "城口县工业园区管委会", "department"),
    # a zone named alone, its committee unsaid: still the zone's report, not its district's
    ("城口县高新技术产业开发区2023年度法治政府建设工作报告", None, "department"),
    ("2023年政府信息公开工作年度报告", "城口县工业园区", "department"),
    ("金山工业区2025年法治政府建设情况报告", None, "department"),
    ("绿园区2021年度法治政府建设情况报告", None, "government"),   # a district, not a 园区
    ("平潭综合实验区管委会2022年法治政府建设年度报告", None, "government"),
    ("葛城街道办事处2023年政府信息公开工作年度报告", "城口县人民政府", "township"),
])
def test_who_issued_a_report(title, publisher, kind):
    assert issuer_type(title, publisher) == kind


@pytest.mark.parametrize("title, region, kind", [
    ("两江新区管理委员会2022年法治政府建设年度报告", "500157", "government"),
    ("平潭综合实验区管委会2022年法治政府建设年度报告", "350128", "government"),
    ("鹰潭市信江新区管理委员会2023年法治政府建设工作报告", "360600", "department"),
    ("衡水滨湖新区管理委员会2024年政府信息公开工作年度报告", "131172", "department"),
    ("许昌城乡一体化示范区管理委员会2023年法治政府建设工作报告", None, "department"),
    ("城口县2020年度法治政府建设情况报告", "500229", "government"),
    # the 新区 named alone (its committee on the page, not in the title): settled the same way
    ("镇江新区2021年度政府信息公开工作年度报告", "321100", "department"),
    ("上海市浦东新区2021年度政府信息公开工作年度报告", "310115", "government"),
])
def test_a_committee_governs_only_a_division_of_its_own(title, region, kind):
    """A 新区 / 示范区 committee's report is its government's own only where the committee governs a
    division (两江新区, 500157); filed under its city or a zone code, it is an agency of that city."""
    assert report_issuer(title, None, region) == kind


def site(name, region, level=None, title=None):
    return Site(name=name, start_urls=(f"http://{name}.test/",), region=region, level=level, title=title)


def test_governments_sit_in_the_province_city_county_tree():
    rows = {r["region_code"]: r for r in government_rows([
        site("cq", "500000", "province"), site("chengkou", "500229", "county"),
        site("ts", "130200", "prefecture"), site("lubei", "130203", "county"),
        site("xiantao", "429004", "county"), site("bingtuan", "659000", "province"),
        site("shihezi", "659001", "county"), site("dongguan", "441900", "prefecture"),
        site("shaoyang", "430500"), site("unnamed", None)])}
    assert set(rows) == {"500000", "500229", "130200", "130203", "429004", "659000", "659001",
                         "441900", "430500"}
    tree = {code: (r["level"], r["province_code"], r["city_code"]) for code, r in rows.items()}
    assert tree == {
        "500000": ("province", "500000", None),
        "500229": ("county", "500000", None),        # 重庆's counties have no prefecture
        "130200": ("prefecture", "130000", "130200"),
        "130203": ("county", "130000", "130200"),
        "429004": ("county", "420000", None),        # run directly by 湖北
        "659000": ("province", "659000", None),      # 兵团 is its own province-level unit
        "659001": ("county", "650000", None),
        "441900": ("prefecture", "440000", "441900"),
        "430500": ("prefecture", "430000", "430500"),  # no level given: the code's shape
    }
    assert rows["430500"]["name"] == "邵阳市"        # no title: the division's name
    department = government_rows([site("cq-jw", "500000", title="重庆市教育委员会")])[0]
    assert department["name"] == "重庆市"              # a department's site stands for its region


def report(store, url, region, year, kind, published, title, issuer="government", site="chengkou"):
    store.save_report({"url": url, "title": title, "report_type": kind, "year": year,
                       "region_code": region, "published_date": published, "site": site,
                       "issuer_type": issuer})


def test_coverage_status_per_government_year_and_type(tmp_path):
    store = Store(tmp_path / "a.db")
    store.save_governments(government_rows([site("chengkou", "500229", "county", "城口县人民政府"),
                                            site("cq", "500000", "province", "重庆市人民政府")]))
    report(store, "http://a/1", "500229", 2020, FZ, "2021-03-30", "城口县2020年度法治政府建设情况报告")
    report(store, "http://a/2", "500229", 2021, FZ, "2022-04-15", "城口县2021年度法治政府建设情况报告")
    report(store, "http://a/3", "500229", 2021, XXGK, None, "城口县2021年政府信息公开工作年度报告")
    # a department's report is listed under its government, but is not the government's
    report(store, "http://a/4", "500229", 2022, FZ, "2023-02-01", "城口县司法局2022年法治政府建设情况报告",
           issuer="department")
    # a late copy and an on-time one: the best counts
    report(store, "http://a/5", "500229", 2023, XXGK, "2024-05-01", "城口县2023年政府信息公开工作年度报告")
    report(store, "http://a/6", "500229", 2023, XXGK, "2024-03-31 10:00",
           "城口县2023年政府信息公开工作年度报告（全文）")
    # no region of its own: its site's government; a 2018 report is before coverage starts
    report(store, "http://a/7", None, 2019, XXGK, "2020-03-01", "2019年政府信息公开工作年度报告")
    report(store, "http://a/8", "500229", 2018, FZ, "2019-03-01", "城口县2018年度法治政府建设情况报告")
    # a development zone's committee, placed under the zone's own code (重庆经济技术开发区 500171): its city's
    report(store, "http://a/9", "500171", 2022, FZ, "2023-02-01", "重庆经济技术开发区管委会2022年法治政府建设情况报告",
           issuer="department")
    rows = {(r["region_code"], r["year"], r["report_type"]): r
            for r in store.db.query("SELECT * FROM coverage")}
    assert len(rows) == 2 * 2 * (LAST_YEAR - 2018)
    status = {k: r["status"] for k, r in rows.items() if k[0] == "500229"}
    assert status[("500229", 2020, FZ)] == "on_time"
    assert status[("500229", 2021, FZ)] == "late"
    assert status[("500229", 2021, XXGK)] == "no_date"
    assert status[("500229", 2022, FZ)] == "missing"
    assert rows[("500229", 2022, FZ)]["department_reports"] == 1
    assert status[("500229", 2023, XXGK)] == "on_time"
    assert rows[("500229", 2023, XXGK)]["report_url"] == "http://a/6"
    assert rows[("500229", 2023, XXGK)]["reports"] == 2
    assert status[("500229", 2019, XXGK)] == "on_time"
    assert ("500229", 2018, FZ) not in rows
    assert sum(s != "missing" for s in status.values()) == 5
    assert {r["status"] for k, r in rows.items() if k[0] == "500000"} == {"missing"}
    assert rows[("500000", 2020, FZ)]["level"] == "province"
    assert rows[("500000", 2022, FZ)]["department_reports"] == 1


def test_governments_accumulate_and_keep_their_place(tmp_path):
    store = Store(tmp_path / "a.db")
    store.save_governments(government_rows([site("chengkou", "500229", "county", "城口县人民政府")]))
    store.save_governments(government_rows([site("ck2", "500229", "county", "重庆市城口县人民政府"),
                                            site("cq", "500000", "province")]))
    rows = list(store.db.query("SELECT region_code, name, site FROM governments ORDER BY 1"))
    assert rows == [{"region_code": "500000", "name": "重庆市", "site": "cq"},
                    {"region_code": "500229", "name": "重庆市城口县人民政府", "site": "ck2"}]


def test_an_archive_from_before_coverage_gets_it(tmp_path):
    """A release-0.1.0 archive (no migrations recorded) is brought to 0004 (coverage) on the next open."""
    import sqlite3

    import sqlite_utils

    from crawler.store import migrations
    path = tmp_path / "old.db"
    db = sqlite_utils.Database(sqlite3.connect(path))
    migrations.initial(db)
    db["reports"].insert({"url": "http://a/1", "title": "城口县2020年度法治政府建设情况报告",
                          "report_type": FZ, "year": 2020, "region_code": "500229", "site": "chengkou",
                          "published_date": "2021-03-01"})
    db.conn.close()
    store = Store(path)
    assert "issuer_type" in store.db["reports"].columns_dict and store.db["governments"].exists()
    store.save_governments(government_rows([site("chengkou", "500229", "county")]))
    row = next(store.db.query("SELECT status, reports FROM coverage WHERE year = 2020 AND report_type = ?", [FZ]))
    assert row == {"status": "on_time", "reports": 1}     # a row stored before issuer_type counts as own
