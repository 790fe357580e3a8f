"""The analysis in Datasette: headings with a table of contents, the disclosure figures and their
checks, required parts, the previous and next year with the repeated share, the diff page, and
the charts — over a real archive written through Store and served by the configured Datasette."""
from __future__ import annotations

import asyncio
import re

import pytest
from datasette.utils import tilde_encode
from w3lib.encoding import html_to_unicode

from crawler.analyze.report import analyze_report
from crawler.analyze.sections import FZ, XXGK
from crawler.publish.serve import app
from crawler.store import Store
from crawler.store.publish import publish, published_path
from tests.conftest import FIXTURES, SEEDS

HERE = FIXTURES / "analyze"
XXGK_BODY = ("本报告根据条例编制。\n一、总体情况\n（一）主动公开。全年主动公开信息120条。\n二、主动公开政府信息情况\n"
             "三、收到和处理政府信息公开申请情况\n四、政府信息公开行政复议、行政诉讼情况\n"
             "五、存在的主要问题及改进情况\n政策解读质量仍需提升。\n六、其他需要报告的事项\n本年度未收取信息处理费。")


def seed(name: str) -> str:
    return next(SEEDS.glob(f"{name}_*.txt")).read_text(encoding="utf-8")


class Site:
    def __init__(self, tmp):
        source = tmp / "source.db"
        store = Store(source)
        chengkou = seed("003")
        self.reports = [
            {"url": "http://cq.example.gov.cn/fz/2020.html", "title": "城口县2020年度法治政府建设情况报告",
             "report_type": FZ, "year": 2020, "publisher": "城口县人民政府", "site": "cq", "province": "重庆市",
             "body": chengkou},
            {"url": "http://cq.example.gov.cn/fz/2021.html", "title": "城口县2021年度法治政府建设情况报告",
             "report_type": FZ, "year": 2021, "publisher": "城口县人民政府", "site": "cq", "province": "重庆市",
             "body": chengkou.replace("2020", "2021") + "\n新增一段：全年办理行政复议案件12件。"},
            {"url": "http://q.example.gov.cn/xxgk/2022.html", "title": "某区人民政府2022年政府信息公开工作年度报告",
             "report_type": XXGK, "year": 2022, "publisher": "某区人民政府", "site": "q", "province": "四川省",
             "body": XXGK_BODY},
        ]
        html = html_to_unicode(None, (HERE / "xxgk_2021_subtotal_gbk.html").read_bytes())[1]
        for report in self.reports:
            store.save_report(report)
            row = store.report_row(report["url"])
            store.save_analysis(analyze_report(row, html if report["report_type"] == XXGK else None, [],
                                               **store.neighbours(report["url"])))
        self.revised = dict(self.reports[2], body=XXGK_BODY.replace("120条", "150条"))
        store.save_report(self.revised)  # a second version of the 信息公开 report
        store.close()
        publish(source)
        self.datasette = app(published_path(source), source)
        self.loop = asyncio.new_event_loop()
        self.loop.run_until_complete(self.datasette.invoke_startup())

    def get(self, path: str):
        response = self.loop.run_until_complete(self.datasette.client.get(path))
        assert response.status_code == 200, (path, response.text[:300])
        return response.text


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    served = Site(tmp_path_factory.mktemp("analyze_publish"))
    yield served
    served.loop.close()


def row(url: str) -> str:
    return f"/archive/reports/{tilde_encode(url)}"


def test_reading_view_shows_headings_with_a_table_of_contents(site):
    page = site.get(row(site.reports[0]["url"]))
    toc = page.split('<nav class="report-toc"')[1].split("</nav>")[0]
    assert toc.count("<li") == 3 + 11  # the seed's level-1 and level-2 headings
    headings = re.findall(r'<h2 id="section-(\d+)" class="section-heading">([^<]+)</h2>', page)
    assert [h for _, h in headings] == ["一、2020年度推进法治政府建设的主要举措和成效",
                                        "二、推进法治政府建设存在的不足", "三、法治政府下一步工作安排"]
    assert all(f'href="#section-{n}"' in toc for n, _ in headings)
    assert "主要举措和成效</small>" in toc
    assert "✗ 第一责任人职责 缺 missing" in page  # seed 003 has no such part


def test_reading_view_links_the_next_year_and_the_previous_with_its_repeated_share(site):
    first, second = site.reports[0], site.reports[1]
    page = site.get(row(second["url"]))
    assert f'href="{row(first["url"])}"' in page
    share = re.search(r"repeated from it: <strong>([\d.]+)%</strong>", page).group(1)
    assert 95 <= float(share) < 100  # the text again with its years changed, and one new paragraph
    assert f'href="{row(second["url"])}"' in site.get(row(first["url"]))


def test_diff_between_two_years(site):
    first, second = site.reports[0], site.reports[1]
    page = site.get(f"/-/diff?old={first['url']}&new={second['url']}")
    assert '<p class="op-+">+ 新增一段：全年办理行政复议案件12件。</p>' in page
    assert page.count('class="op--"') == page.count('class="op-+"') - 1  # year changes: − then +, one new


def test_disclosure_figures_and_checks_in_the_reading_view(site):
    page = site.get(row(site.reports[2]["url"]))
    table = page.split('<table class="rows-and-columns disclosure">')[1].split("</table>")[0]
    assert re.findall(r"<td>(\d+)", table)[:6] == ["49", "6", "44", "9", "4", "2"]
    assert "不符 failed: balance/自然人; balance/总计" in table
    assert "✓ 表三 申请办理" in page and "✓ 总体情况" in page


def test_charts_of_disclosure_completeness_and_repeated_text(site):
    page = site.get("/-/charts")
    content = page.split("<h1>")[1].split("</section>")[0]
    assert "<script" not in content  # inline SVG, no JavaScript
    for title in ("各年度本年新收申请", "各省本年新收申请", "办理结果", "行政复议纠正率", "内容完整的报告",
                  "与上一年度重复的文字"):
        assert f'aria-label="{title}' in content, title
    requests = content.split('aria-label="各省本年新收申请')[1].split("</svg>")[0]
    assert ">四川省</text>" in requests and ">49</text>" in requests
    completeness = content.split('aria-label="内容完整的报告')[1].split("</svg>")[0]
    assert ">2020 法治</text>" in completeness and ">2022 信息公开</text>" in completeness
    correction = content.split('aria-label="行政复议纠正率')[1].split("</svg>")[0]
    assert ">25.0</text>" in correction  # 1 of 4 reviews corrected


def test_diff_between_two_versions_of_a_report(site):
    page = site.get(row(site.reports[2]["url"]))
    link = re.search(r'href="(/-/diff\?old_version=\d+&amp;new_version=\d+)"', page).group(1)
    diff = site.get(link.replace("&amp;", "&"))
    assert '<p class="op--">− （一）主动公开。全年主动公开信息120条。</p>' in diff
    assert '<p class="op-+">+ （一）主动公开。全年主动公开信息150条。</p>' in diff
    # its outline was made from the first text: the reading view shows the text it has now
    assert '<nav class="report-toc"' not in page and "全年主动公开信息150条" in page


def test_per_province_and_year_query(site):
    rows = site.datasette.client
    response = site.loop.run_until_complete(rows.get("/archive/disclosure_per_province_year.json?_shape=array"))
    assert response.json() == [{"province": "四川省", "year": 2022, "reports": 1, "requests_new": 49,
                                "requests_closed": 44, "reviews": 4, "reviews_corrected": 1,
                                "correction_rate_pct": 25.0, "suits": 2, "reports_failing_checks": 1}]
