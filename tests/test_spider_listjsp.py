"""list.jsp adapter: 首页/上一页/下一页/尾页 pagers, one 下一页 at a time (the spider stops the trap)."""
import scrapy

from spiders.listjsp import ListJspAdapter
from tests.spider_fixtures import paths, response

listjsp = ListJspAdapter()


def page(n):
    return response("listjsp", f"/list.jsp?ccid=212&page={n}")


def test_detects_the_jsp_pager_only():
    assert listjsp.detect(page(1))
    assert not listjsp.detect(response("colon", "/xxgk/fdzdgknr/zfgzbg/?page=1"))
    assert not listjsp.detect(response("trs", "/zwgk_279/fdzdgknr/fzzfjsndbg/index.html"))


def test_follows_next_page_not_the_last_page_link():
    assert paths(listjsp.more_pages(page(1))) == ["/list.jsp?ccid=212&page=2"]
    assert [e.title for e in listjsp.entries(page(1))][0] == "保定市2022年度法治政府建设情况报告"


def test_past_the_end_the_server_repeats_the_last_rows():
    """Page 4 lists page 3's rows under a pager that still offers 下一页: entries equal, pager moves on."""
    assert [e.url for e in listjsp.entries(page(4))] == [e.url for e in listjsp.entries(page(3))]
    assert paths(listjsp.more_pages(page(4))) == ["/list.jsp?ccid=212&page=5"]


def test_javascript_next_link_takes_its_page_from_onclick():
    html = page(2).text.replace('<a href="list.jsp?ccid=212&page=3">下一页</a>',
                                '<a href="javascript:void(0)" onclick="goPage(3)">下一页</a>')
    assert html != page(2).text
    onclick = scrapy.http.HtmlResponse(url=page(2).url, body=html.encode(), encoding="utf-8")
    assert [r.url for r in listjsp.more_pages(onclick)] == ["http://portal.test/list.jsp?ccid=212&page=3"]
