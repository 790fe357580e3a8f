"""The report spider's decisions on fixture pages: discovery, pagination stop, report items, attachments.

Callbacks are fed the portals' raw responses directly; the real crawls are in test_crawl_e2e.py.
"""
import asyncio

import pytest
import scrapy
from scrapy.http import HtmlResponse, Response
from scrapy.utils.test import get_crawler
from twisted.python.failure import Failure

from crawler.crawl.sites import Site
from crawler.extract.attachments import MAX_ATTACHMENT_BYTES
from spiders.reports import ReportsSpider
from tests.conftest import FIXTURES
from tests.spider_fixtures import BASE, paths, response

TRS = "/zwgk_279/fdzdgknr/fzzfjsndbg/"
PDF = FIXTURES / "attachments" / "chengkou_2020_libreoffice.pdf"


def spider_for(family: str, start: str, **settings) -> ReportsSpider:
    site = Site(name=family, start_urls=(BASE + start,))
    return ReportsSpider.from_crawler(get_crawler(ReportsSpider, settings), sites=[site])


def answer(callback, response):
    """What `callback` makes of `response`, given the cb_kwargs its request carries (as Scrapy does)."""
    return list(callback(response, **response.request.cb_kwargs))


def start(spider) -> scrapy.Request:
    async def first():
        return [r async for r in spider.start()]
    (request,) = asyncio.run(first())
    return request


def fetch(spider, family, request, callback=None):
    """Run `request`'s callback on the portal's answer to it."""
    path = request.url.replace(BASE, "").split("#")[0]
    answer = response(family, path, request=request, method=request.method)
    return list((callback or request.callback)(answer, **request.cb_kwargs))


def test_start_page_discovers_report_columns_by_link_text_only():
    spider = spider_for("discovery", "/zwgk/zfxxgk/index.html")
    found = fetch(spider, "discovery", start(spider))
    assert paths(found) == ["/zwgk/fzzfjs/index.html", "/zwgk/zfxxgk/zfxxgknb/index.html"]
    assert all(r.meta["role"] == "list" and r.meta["hops"] == 1 for r in found)


def test_a_column_without_reports_is_searched_one_hop_further_but_no_more():
    spider = spider_for("discovery", "/zwgk/zfxxgk/index.html")
    topic = next(r for r in fetch(spider, "discovery", start(spider)) if "fzzfjs" in r.url)
    (column,) = fetch(spider, "discovery", topic)
    assert paths([column]) == ["/zwgk/fzzfjs/ndbg/index.html"] and column.meta["hops"] == 2
    reports = fetch(spider, "discovery", column)
    assert {r.meta["role"] for r in reports} == {"report"}
    assert [r.meta["list_title"] for r in reports] == ["城口县2020年度法治政府建设情况报告",
                                                      "城口县2019年度法治政府建设情况报告（县司法局）"]


def test_list_page_yields_reports_and_pages_but_no_lookalike_news_or_other_hosts():
    spider = spider_for("trs", TRS + "index.html")
    out = fetch(spider, "trs", start(spider))
    reports = [r for r in out if r.meta["role"] == "report"]
    lists = [r for r in out if r.meta["role"] == "list"]
    assert paths(reports) == [TRS + "202103/t20210329_9156342.html"]
    assert paths(lists) == [TRS + "index_1.html", TRS + "index_2.html"]
    assert all(r.meta["site"] == "trs" and r.meta["adapter"] == "trs" for r in lists)


def test_pagination_stops_when_a_page_brings_nothing_new():
    spider = spider_for("listjsp", "/list.jsp?ccid=212&page=1")
    request = start(spider)
    for _ in range(3):   # pages 1, 2, 3: each brings a report and the next page
        out = fetch(spider, "listjsp", request)
        (request,) = [r for r in out if r.meta["role"] == "list"]
    assert paths([request]) == ["/list.jsp?ccid=212&page=4"]
    assert fetch(spider, "listjsp", request) == []   # page 4 repeats page 3: stop


def test_list_page_cap_per_site():
    spider = spider_for("trs", TRS + "index.html", REPORTS_MAX_LIST_PAGES=2)
    out = fetch(spider, "trs", start(spider))
    assert paths([r for r in out if r.meta["role"] == "list"]) == [TRS + "index_1.html"]
    assert spider.crawler.stats.get_value("archive/trs/list_pages_capped") == 1


def cover_page(spider):
    listing = fetch(spider, "trs", start(spider))
    (report,) = [r for r in listing if r.meta["role"] == "report"]
    return report, fetch(spider, "trs", report)


def file_answer(request, fixture, content_type):
    return Response(request.url, body=(FIXTURES / "attachments" / fixture).read_bytes(),
                    headers={"Content-Type": content_type}, request=request)


DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def test_report_page_fetches_its_files_one_after_the_other_then_yields_the_item():
    spider = spider_for("trs", TRS + "index.html")
    report, (pdf,) = cover_page(spider)
    assert pdf.meta["role"] == "attachment" and pdf.meta["download_maxsize"] == MAX_ATTACHMENT_BYTES
    assert pdf.dont_filter and pdf.errback == spider.attachment_failed
    (docx,) = answer(spider.parse_attachment, file_answer(pdf, PDF.name, "application/pdf"))
    assert paths([docx]) == [TRS + "202103/P020210329598347012877.docx"] and docx.cb_kwargs["item"] is pdf.cb_kwargs["item"]
    (item,) = answer(spider.parse_attachment, file_answer(docx, "chengkou_2020.docx", DOCX_TYPE))
    assert item.url == report.url and item.list_title == "城口县2020年度法治政府建设情况报告"
    assert "全文详见附件" in item.html and not item.not_modified
    assert [(a.kind, a.name, a.error) for a in item.attachments] == [
        ("pdf", "城口县2020年度法治政府建设情况报告.pdf", None), ("docx", "城口县2020年度法治政府建设情况报告.docx", None)]
    assert item.attachments[0].data == PDF.read_bytes()


@pytest.mark.parametrize("failure, expected", [
    (Failure(scrapy.exceptions.IgnoreRequest("Forbidden by robots.txt")), "IgnoreRequest: Forbidden by robots.txt"),
    (Failure(TimeoutError("took longer than 30.0 seconds")), "TimeoutError: took longer than 30.0 seconds")])
def test_a_failed_file_is_recorded_and_the_chain_goes_on(failure, expected):
    spider = spider_for("trs", TRS + "index.html")
    _, (pdf,) = cover_page(spider)
    failure.request = pdf
    (docx,) = spider.attachment_failed(failure)
    (item,) = answer(spider.parse_attachment, file_answer(docx, "chengkou_2020.docx", DOCX_TYPE))
    assert item.html and item.attachments[0].error == expected and item.attachments[0].data is None
    assert item.attachments[1].kind == "docx" and item.attachments[1].error is None


def test_an_html_error_page_is_not_taken_for_the_document():
    spider = spider_for("trs", TRS + "index.html")
    _, (pdf,) = cover_page(spider)
    page = HtmlResponse(pdf.url, body="<html><body>文件不存在</body></html>".encode(), request=pdf,
                        headers={"Content-Type": "text/html; charset=utf-8"})
    (docx,) = answer(spider.parse_attachment, page)
    first = docx.cb_kwargs["item"].attachments[0]
    assert first.data is None and first.error == "not a document (text/html; charset=utf-8)"


def test_unchanged_report_page_is_a_not_modified_item():
    spider = spider_for("trs", TRS + "index.html")
    report, _ = cover_page(spider)
    (item,) = spider.parse_report(Response(report.url, status=304, request=report))
    assert item.not_modified and item.html is None and item.attachments == []


def test_a_withdrawn_document_sent_back_to_its_column_is_no_report():
    spider = spider_for("jiyue", "/zwgk/zfxxgk/zfxxgknb/")
    listing = fetch(spider, "jiyue", start(spider))
    withdrawn = next(r for r in listing if r.meta["role"] == "report" and "t20170118" in r.url)
    redirected = withdrawn.replace(url=BASE + "/zwgk/zfxxgk/zfxxgknb/",
                                   meta={**withdrawn.meta, "redirect_urls": [withdrawn.url]})
    assert fetch(spider, "jiyue", redirected) == []


def test_a_listed_file_with_a_report_name_is_fetched_as_the_report():
    spider = spider_for("trs", TRS + "index.html")
    request = start(spider)
    listing = response("trs", TRS + "index.html", request=request)
    html = listing.text.replace('href="./202103/t20210329_9156342.html"', 'href="./202103/P020210329598347012876.pdf"')
    assert html != listing.text
    out = list(spider.parse_list(listing.replace(body=html.encode())))
    (attachment,) = [r for r in out if r.meta["role"] == "attachment"]
    assert paths([attachment]) == [TRS + "202103/P020210329598347012876.pdf"]
    served = Response(attachment.url, body=PDF.read_bytes(), headers={"Content-Type": "application/pdf"},
                      request=attachment)
    (item,) = answer(spider.parse_attachment, served)
    assert item.url == attachment.url and item.html is None
    assert item.list_title == "城口县2020年度法治政府建设情况报告" and item.attachments[0].kind == "pdf"


# -- real-site variations (hold-out round 3): markup as the portals write it ----------------------

TOP = ('<div class="top"><a href="/">遂平县人民政府</a> <a href="/zwgk/">政务公开</a> <a href="/hdjl/">互动交流</a></div>'
       '<div class="nav"><a href="/">首页</a> <a href="/zwgk/">政府信息公开</a> <a href="/news/">政务要闻</a></div>')


def html_page(request, body: str) -> HtmlResponse:
    markup = f'<!DOCTYPE html><html><head><meta charset="utf-8"></head><body>{TOP}{body}</body></html>'
    return HtmlResponse(request.url, body=markup.encode(), request=request, encoding="utf-8")


def test_portal_pages_are_walked_through_their_hub_links_to_the_report_columns():
    spider = spider_for("deep", "/")
    home = start(spider)
    (zwgk,) = spider.parse_list(html_page(home, '<ul><li><a href="/news/2025/0301.html">遂平县召开春耕生产工作会议</a></li></ul>'))
    assert paths([zwgk]) == ["/zwgk/"] and zwgk.meta["hops"] == 1
    (hub,) = spider.parse_list(html_page(zwgk, '<ul class="gk"><li><a href="/zwgk/zcwj/">政策文件</a></li>'
                                               '<li><a href="/zwgk/fdzdgknr/">法定主动公开内容</a></li>'
                                               '<li><a href="/zwgk/ysqgk/">依申请公开</a></li></ul>'))
    assert paths([hub]) == ["/zwgk/fdzdgknr/"] and hub.meta["hops"] == 2
    columns = list(spider.parse_list(html_page(hub, '<div class="left"><ul>'
                                                    '<li><a href="/zwgk/fdzdgknr/jgzn/">机构职能</a></li>'
                                                    '<li><a href="/zwgk/fdzdgknr/fzzfjsqkbg/">法治政府建设情况报告</a></li>'
                                                    '<li><a href="/zwgk/fdzdgknr/nb/">年报</a></li></ul></div>')))
    assert paths(columns) == ["/zwgk/fdzdgknr/fzzfjsqkbg/", "/zwgk/fdzdgknr/nb/"]
    assert all(c.meta["hops"] == 3 for c in columns)
    assert list(spider.parse_list(html_page(columns[0], "<p>暂无信息</p>"))) == []   # no hub walk past MAX_HOPS


def test_report_links_opened_from_script_are_followed():
    spider = spider_for("jslinks", "/xxgk/fzzfjs/ndbg/list.html")
    listing = html_page(start(spider), '<div class="list"><ul>'
        '<li><a href="javascript:openwin(\'../ndbg/2025/02/art_1551_88120.html\')">泗洪县司法局2024年度法治政府建设年度报告</a><span>2025-02-14</span></li>'
        '<li><a href="javascript:void(0)" onclick="window.open(\'../ndbg/2024/02/art_1551_80001.html\',\'_blank\')">泗洪县司法局2023年度法治政府建设年度报告</a><span>2024-02-02</span></li>'
        '<li><a href="#" data-href="../ndbg/2023/02/art_1551_71204.html">泗洪县司法局2022年度法治政府建设年度报告</a><span>2023-02-20</span></li>'
        '<li><a href="javascript:void(0)">泗洪县司法局2021年度法治政府建设年度报告</a><span>2022-02-20</span></li></ul></div>')
    reports = [r for r in spider.parse_list(listing) if r.meta["role"] == "report"]
    assert paths(reports) == ["/xxgk/fzzfjs/ndbg/2025/02/art_1551_88120.html",
                              "/xxgk/fzzfjs/ndbg/2024/02/art_1551_80001.html",
                              "/xxgk/fzzfjs/ndbg/2023/02/art_1551_71204.html"]


def test_a_document_named_only_in_an_inline_script_array_is_fetched():
    spider = spider_for("fjapps", "/zwgk/fzzfjs/")
    report = scrapy.Request(BASE + "/zwgk/fzzfjs/202302/t20230221_4523101.htm", callback=spider.parse_report,
                            meta={"site": "fjapps", "role": "report", "list_title": "闽侯县2022年度法治政府建设情况报告"})
    page = html_page(report, '<div class="xl_con1"><p>现将闽侯县人民政府2022年度法治政府建设情况予以公开（全文见全真版）。</p></div>'
                     '<div class="xl_con2" id="appsDiv"></div><script>var apps = [{"name": "全真版", "type": "pdf", '
                     '"url": "./P020230221391204581223.pdf"}, {"name": "图片", "url": "./W020230221.jpg"}];'
                     "for(var i=0;i<apps.length;i++){document.getElementById('appsDiv').innerHTML+="
                     "'<a href=\"'+apps[i].url+'\">'+apps[i].name+'</a>';}</script>")
    (pdf,) = spider.parse_report(page)
    assert paths([pdf]) == ["/zwgk/fzzfjs/202302/P020230221391204581223.pdf"] and pdf.meta["role"] == "attachment"
    assert [(a.name, a.kind) for a in pdf.cb_kwargs["item"].attachments] == [("全真版", "pdf")]


def test_a_missing_page_past_the_end_ends_the_list_but_a_broken_start_does_not():
    """Only a column read whole lets a run tell which reports are gone."""
    spider = spider_for("listjsp", "/list.jsp?ccid=212&page=1")
    request = start(spider)
    (follow,) = [r for r in fetch(spider, "listjsp", request) if r.meta["role"] == "list"]
    past_end = HtmlResponse(follow.url, status=404, body=b"<html>404</html>", request=follow)
    assert list(follow.callback(past_end)) == []
    assert spider.state["listjsp"].list_failed is False
    broken = HtmlResponse(request.url, status=500, body=b"<html>500</html>", request=request)
    assert list(request.callback(broken)) == []
    assert spider.state["listjsp"].list_failed is True
