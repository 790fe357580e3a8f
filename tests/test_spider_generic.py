"""Generic adapter: the page's main list, 下一页 / numbered / ?page=N pagers; GBK pages decoded."""
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
