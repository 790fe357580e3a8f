"""Generic adapter: the page's main list, 下一页 / numbered / ?page=N pagers; GBK pages decoded."""
import pytest

from spiders.generic import GenericAdapter
from tests.spider_fixtures import paths, response

generic = GenericAdapter()
COLON = "/xxgk/fdzdgknr/zfgzbg/"
GBK = "/zwgk/xxgkml/fzzfjsndbg/"


def test_query_page_pager():
    first = response("colon", COLON + "?page=1")
    assert [e.title for e in generic.entries(first)] == [
        "阿拉善高新区2023年政府工作报告", "高新区召开全面依法治区委员会会议", "阿拉善高新区2021年法治政府建设情况的报告",
        "阿拉善高新区2022年政府工作报告"]
    assert paths(generic.more_pages(first)) == [COLON + "?page=2"]
    assert paths(generic.more_pages(response("colon", COLON + "?page=2"))) == [COLON + "?page=1"]


def test_gbk_list_without_charset_header_is_read_from_its_meta_tag():
    page = response("gbk", GBK + "index.htm")
    assert page.headers[b"Content-Type"] == b"text/html"
    assert [e.title for e in generic.entries(page)] == [
        "关于2024年岳麓区法治政府建设工作情况的报告", "岳麓区司法局2024年工作总结", "岳麓区行政执法“三项制度”工作情况"]
    assert paths(generic.more_pages(page)) == [GBK + "index_1.htm"]


def test_navigation_and_footer_links_are_not_entries():
    urls = [e.url for e in generic.entries(response("bracket", "/zwgk_279/zfxxgkml/fzzfjsndbg/index_1.html"))]
    assert len(urls) == 3 and all("/fzzfjsndbg/2021" in u for u in urls)


def test_rows_with_headings_are_one_list():
    """gov.cn-style rows `<li><h4><a>…</a></h4><span>date</span></li>`: every row is listed."""
    from parsel import Selector

    from spiders.base import main_list
    rows = "".join(f'<li><h4><a href="/c/{i}.htm">城口县{2018 + i}年度法治政府建设情况报告</a></h4>'
                   f'<span class="date">{2019 + i}-03-2{i}</span></li>' for i in range(4))
    page = f'<html><body><ul class="nav"><li><a href="/">首页政务公开栏目</a></li></ul><ul>{rows}</ul></body></html>'
    titles = [e.title for e in main_list(Selector(text=page), "http://x.gov.cn/c/")]
    assert titles == [f"城口县{2018 + i}年度法治政府建设情况报告" for i in range(4)]


def test_links_after_a_stray_closing_html_tag_are_seen():
    """Real gov.cn header includes end with </html>; browsers ignore it, and so must we."""
    from parsel import Selector

    from spiders.base import anchors
    page = ('<html><body><div><a href="/">首页</a></div></html>'
            '<ul><li><a href="/c/1.htm">城口县2020年度法治政府建设情况报告</a></li></ul></body></html>')
    assert [e.url for e in anchors(Selector(text=page), "http://x.gov.cn/")] == [
        "http://x.gov.cn/", "http://x.gov.cn/c/1.htm"]


def test_detail_links_take_their_rows_title():
    """Rows whose link says only 查看/详情 carry the title in a sibling cell."""
    from parsel import Selector

    from spiders.base import main_list
    rows = "".join(f'<tr><td title="城口县{2018 + i}年度法治政府建设情况报告">城口县{2018 + i}年度法治政府建设...</td>'
                   f'<td>{2019 + i}-03-2{i}</td><td><a href="/c/{i}.htm">详情</a></td></tr>' for i in range(3))
    page = f"<html><body><table>{rows}</table></body></html>"
    titles = [e.title for e in main_list(Selector(text=page), "http://x.gov.cn/c/")]
    assert titles == [f"城口县{2018 + i}年度法治政府建设情况报告" for i in range(3)]


def test_page_jump_menu_is_followed():
    from scrapy.http import HtmlResponse

    from spiders.generic import GenericAdapter
    page = ("<html><body><ul><li><a href='/gzbg/2024/3815.html'>某镇2023年法治政府建设情况报告</a> 2024-01-22</li></ul>"
            "<select onchange='window.location.href=this.value'><option value='list_1.html'>1</option>"
            "<option value='list_2.html'>2</option><option value='list_3.html'>3</option></select></body></html>")
    response = HtmlResponse("http://x.gov.cn/zwgk/gzbg/list_1.html", body=page.encode(), encoding="utf-8")
    urls = [r.url for r in GenericAdapter().more_pages(response)]
    assert "http://x.gov.cn/zwgk/gzbg/list_2.html" in urls and "http://x.gov.cn/zwgk/gzbg/list_3.html" in urls


@pytest.mark.parametrize("last, pages", [
    ("list_3.shtml", ["list_1.shtml", "list_2.shtml", "list_3.shtml"]),
    ("list.jsp?ccid=9&page=3", ["list.jsp?ccid=9&page=2", "list.jsp?ccid=9&page=3"]),
])
def test_first_and_last_page_only_pager_reaches_every_page(last, pages):
    """`<a>首页</a> <a>尾页</a>`: the pages between are never linked, so they are counted out."""
    from scrapy.http import HtmlResponse

    from spiders.generic import GenericAdapter
    page = ("<html><body><ul><li><a href='./2022/0315/c8120.shtml'>汝南县2021年度法治政府建设工作情况的报告</a> 2022-03-15</li>"
            f"</ul><div class='page'><a href='index.shtml'>首页</a> <a href='{last}'>尾页</a></div></body></html>")
    response = HtmlResponse("http://x.gov.cn/zwgk/zfgzbg/index.shtml", body=page.encode(), encoding="utf-8")
    urls = [r.url for r in GenericAdapter().more_pages(response)]
    assert all(f"http://x.gov.cn/zwgk/zfgzbg/{p}" in urls for p in pages), urls


TEMPLATE_PAGER = """<html><body><ul class="list">
<li><a href="./202503/a1.shtml">武陵县2024年政府信息公开工作年度报告</a><span>2025-03-20</span></li>
<li><a href="./202403/a2.shtml">武陵县2023年政府信息公开工作年度报告</a><span>2024-03-18</span></li></ul>
<div class="pagebar" id="pg"></div><script src="/res/js/paging.js"></script>
<script>var recordCount = 9;
drawPager({target: "pg", text: "第{n}页", pageSize: 4, total: recordCount, pageNo: 1, home: "index.shtml",
  url: "index_{page}.shtml"});</script></body></html>"""


def test_a_pager_drawn_by_script_from_an_address_template_reaches_every_page():
    """No link in the pager at all: the page hands its pager script an address template
    (`url: "index_{page}.shtml"`) and the count (9 records, 4 a page); the script draws links
    2…3 from it. A label template (`第{n}页`) or a proxy's query is no address; no count, no pages."""
    from scrapy.http import HtmlResponse
    url = "http://www.wl.gov.cn/gk/nb/index.shtml"
    page = HtmlResponse(url, body=TEMPLATE_PAGER.encode(), encoding="utf-8")
    assert [r.url for r in generic.more_pages(page)] == [
        "http://www.wl.gov.cn/gk/nb/index_2.shtml", "http://www.wl.gov.cn/gk/nb/index_3.shtml"]
    counted = TEMPLATE_PAGER.replace("pageSize: 4, total: recordCount", "pageCount: 2")
    assert [r.url for r in generic.more_pages(HtmlResponse(url, body=counted.encode(), encoding="utf-8"))] == [
        "http://www.wl.gov.cn/gk/nb/index_2.shtml"]
    uncounted = TEMPLATE_PAGER.replace("pageSize: 4, total: recordCount, ", "")
    assert generic.more_pages(HtmlResponse(url, body=uncounted.encode(), encoding="utf-8")) == []
    # a data proxy's query with a page slot (jpage's `ajaxParam: "page={page}&columnid=…"`) is no page address
    proxied = TEMPLATE_PAGER.replace('url: "index_{page}.shtml"', 'ajaxParam: "page={page}&webid=2&path=/&columnid=31"')
    assert generic.more_pages(HtmlResponse(url, body=proxied.encode(), encoding="utf-8")) == []
