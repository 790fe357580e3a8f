"""The coverage page and the home page's summary, through Datasette's own test client: province →
city → county, counts and shares that agree with the view, cells that link to their rows, charts."""
from __future__ import annotations

import asyncio
import html
import re
from datetime import date
from urllib.parse import unquote

import pytest

from crawler.analyze.coverage import government_rows
from crawler.crawl.sites import Site
from crawler.publish.serve import app
from crawler.store import Store
from crawler.store.publish import publish, published_path

FZ, XXGK = "法治政府建设年度报告", "政府信息公开工作年度报告"
YEARS = date.today().year - 2019          # 2019 … last completed year
GOVERNMENTS = [("hebei", "130000", "province", "河北省人民政府"),
               ("ts", "130200", "prefecture", "河北省唐山市人民政府"),
               ("lubei", "130203", "county", "河北省唐山市路北区人民政府"),
               ("lunan", "130202", "county", "河北省唐山市路南区人民政府"),
               ("dingzhou", "130682", "county", "河北省定州市人民政府"),
               ("cq", "500000", "province", "重庆市人民政府"), ("chengkou", "500229", "county", "重庆市城口县人民政府")]
REPORTS = [  # (site, region, year, type, published, title, issuer)
    ("lubei", "130203", 2020, FZ, "2021-03-20", "路北区2020年度法治政府建设情况报告", "government"),
    ("lubei", "130203", 2021, FZ, "2022-06-01", "路北区2021年度法治政府建设情况报告", "government"),
    ("lubei", "130203", 2021, XXGK, "2022-03-01", "路北区2021年政府信息公开工作年度报告", "government"),
    ("lubei", "130203", 2022, XXGK, "2023-03-01", "路北区司法局2022年政府信息公开工作年度报告", "department"),
    ("ts", "130200", 2022, FZ, None, "唐山市2022年法治政府建设年度报告", "government"),
    ("chengkou", "500229", 2020, FZ, "2021-03-31", "城口县2020年度法治政府建设情况报告", "government"),
]


class Served:
    def __init__(self, tmp):
        store = Store(tmp / "source.db")
        store.save_governments(government_rows(
            Site(name=n, start_urls=(f"http://{n}.test/",), region=c, level=lv, title=t)
            for n, c, lv, t in GOVERNMENTS))
        for i, (site, region, year, kind, published, title, issuer) in enumerate(REPORTS):
            store.save_report({"url": f"http://{site}.test/{i}.html", "title": title, "report_type": kind,
                               "year": year, "region_code": region, "published_date": published,
                               "site": site, "issuer_type": issuer})
        store.close()
        publish(tmp / "source.db")
        self.datasette = app(published_path(tmp / "source.db"), tmp / "source.db")
        self.loop = asyncio.new_event_loop()
        self.loop.run_until_complete(self.datasette.invoke_startup())

    def get(self, path):
        response = self.loop.run_until_complete(self.datasette.client.get(path))
        assert response.status_code == 200, (path, response.text[:300])
        return response.text


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    site = Served(tmp_path_factory.mktemp("coverage"))
    yield site
    site.loop.close()


def table_rows(page: str) -> dict[str, list[tuple[int, str]]]:
    """Region name → its cells (count, link), in column order."""
    body = page.split('<table class="coverage">')[1].split("</table>")[0]
    rows = {}
    for row in re.findall(r"<tr[^>]*>\s*<td>(.*?)</tr>", body.split("<tbody>")[1], re.S):
        name = re.sub(r"<[^>]+>", "", row.split("</td>")[0]).split("（")[0].strip()
        cells = [(int(n), html.unescape(href)) for href, n in re.findall(r'<a href="([^"]+)">(\d+)</a> <small>', row)]
        governments = int(re.search(r'<td class="n">(\d+)</td>', row).group(1))
        rows[name] = (governments, cells)
    return rows


def test_the_country_by_province(served):
    rows = table_rows(served.get("/-/coverage"))
    assert set(rows) == {"河北省", "重庆市"}
    governments, cells = rows["河北省"]
    assert governments == 5
    # FZ: published, on time, late, missing; then XXGK
    assert [n for n, _ in cells] == [3, 1, 1, 5 * YEARS - 3, 1, 1, 0, 5 * YEARS - 1]
    assert [n for n, _ in rows["重庆市"][1]] == [1, 1, 0, 2 * YEARS - 1, 0, 0, 0, 2 * YEARS]


def test_every_cell_links_to_as_many_coverage_rows(served):
    for name, (_, cells) in table_rows(served.get("/-/coverage")).items():
        for n, href in cells:
            assert href.startswith("/archive/coverage?")
            as_json = href.replace("/archive/coverage?", "/archive/coverage.json?_size=max&_shape=objects&")
            data = served.loop.run_until_complete(served.datasette.client.get(as_json))
            assert len(data.json()["rows"]) == n, (name, unquote(href))


def test_a_coverage_row_opens_its_report_in_the_archive(served):
    from datasette.utils import tilde_encode
    page = served.get("/archive/coverage?status=on_time&region_code=130203")
    href = "/archive/reports/" + tilde_encode("http://lubei.test/0.html")
    assert f'<a href="{href}">http://lubei.test/0.html</a>' in page
    assert "路北区2020年度法治政府建设情况报告" in served.get(href)


def test_a_province_by_its_own_government_cities_and_direct_counties(served):
    rows = table_rows(served.get("/-/coverage?in=130000"))
    # 定州 (130682) is 保定's in GB/T 2260: its group takes the division's name, 保定 not being crawled
    assert set(rows) == {"河北省人民政府", "唐山市", "保定市"}
    assert rows["唐山市"][0] == 3 and rows["河北省人民政府"][0] == 1 and rows["保定市"][0] == 1
    page = served.get("/-/coverage?in=130000")
    assert 'href="/-/coverage?in=130200"' in page and 'href="/-/coverage?in=130600"' in page


def test_counties_under_a_direct_city_sit_beside_its_government(served):
    rows = table_rows(served.get("/-/coverage?in=500000"))
    assert set(rows) == {"重庆市人民政府", "重庆市城口县人民政府"}
    assert [n for n, _ in rows["重庆市城口县人民政府"][1]][:3] == [1, 1, 0]


def test_a_city_by_its_own_government_and_counties(served):
    page = served.get("/-/coverage?in=130200")
    rows = table_rows(page)
    assert set(rows) == {"河北省唐山市人民政府", "河北省唐山市路北区人民政府", "河北省唐山市路南区人民政府"}
    # 唐山 2022: published without a date; 路北 2022 XXGK is its 司法局's, so missing
    assert [n for n, _ in rows["河北省唐山市人民政府"][1]][:4] == [1, 0, 0, YEARS - 1]
    assert [n for n, _ in rows["河北省唐山市路北区人民政府"][1]] == [2, 1, 1, YEARS - 2, 1, 1, 0, YEARS - 1]
    assert "全国 · China</a> › <a href=\"/-/coverage?in=130000\">河北省</a> › <strong>唐山市</strong>" in page
    one_year = table_rows(served.get("/-/coverage?in=130200&year=2021"))
    assert [n for n, _ in one_year["河北省唐山市路北区人民政府"][1]] == [1, 0, 1, 0, 1, 1, 0, 0]
    assert all("year=2021" in href for _, href in one_year["河北省唐山市路北区人民政府"][1])


def test_a_chart_of_shares_per_year_per_type(served):
    page = served.get("/-/coverage")
    charts = page.split("<h2>各年度公开比例")[1]
    assert charts.count("<svg class=\"chart\" role=\"img\"") == 2
    fz = charts.split('role="img"')[1].split("</svg>")[0]
    labels = re.findall(r'<text x="150" y="17" text-anchor="end">(\d+)</text>', fz)
    assert labels == [str(y) for y in range(2019, 2019 + YEARS)]
    # 2020: 路北 and 城口 on time out of 7 governments
    row_2020 = fz.split(">2020</text>")[1].split("</g>")[0]
    assert re.search(r'class="bar-on_time".*?\(28\.6%\)', row_2020, re.S)
    assert 'href="/archive/coverage?report_type=' in fz and "<script" not in fz


def test_the_home_page_shows_coverage(served):
    page = served.get("/")
    assert "公开情况 · Who published" in page and 'href="/-/coverage"' in page
    assert table_rows(page) == table_rows(served.get("/-/coverage"))


def test_no_governments_yet(tmp_path):
    store = Store(tmp_path / "empty.db")
    store.close()
    publish(tmp_path / "empty.db")
    datasette = app(published_path(tmp_path / "empty.db"), tmp_path / "empty.db")
    loop = asyncio.new_event_loop()
    try:
        loop.run_until_complete(datasette.invoke_startup())
        page = loop.run_until_complete(datasette.client.get("/-/coverage"))
        assert page.status_code == 200 and "暂无数据" in page.text
        assert loop.run_until_complete(datasette.client.get("/")).status_code == 200
    finally:
        loop.close()
