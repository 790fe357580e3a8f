"""Guangdong gkmlpt adapter: SID and category → JSON API pages; stop on empty answers."""
import json

import scrapy

from spiders.gkmlpt import GkmlptAdapter, api_base
from tests.spider_fixtures import BASE, paths, portal_file, response

gkmlpt = GkmlptAdapter()
API = "/gkmlpt/api/all/2881?page={}&sid=440115"


def test_index_page_asks_the_api_for_its_category():
    page = response("gkmlpt", "/gkmlpt/index", request=scrapy.Request(BASE + "/gkmlpt/index#2881"))
    assert gkmlpt.detect(page) and gkmlpt.entries(page) == []
    assert paths(gkmlpt.more_pages(page)) == [API.format(1)]


def test_without_a_fragment_the_report_categories_come_from_the_tree():
    assert paths(gkmlpt.more_pages(response("gkmlpt", "/gkmlpt/index"))) == [API.format(1)]


def test_first_answer_gives_total_and_page_size():
    first = response("gkmlpt", API.format(1))
    assert gkmlpt.detect(first)
    assert [e.title for e in gkmlpt.entries(first)][0] == "广州市南沙区人民政府2023年法治政府建设年度报告"
    assert paths(gkmlpt.more_pages(first)) == [API.format(2)]
    assert gkmlpt.more_pages(response("gkmlpt", API.format(2))) == []


def test_without_total_the_next_page_is_asked_until_one_is_empty():
    data = json.loads(portal_file("gkmlpt", API.format(2)).read_text("utf-8"))
    url = BASE + API.format(2)
    no_total = scrapy.http.TextResponse(url, body=json.dumps({"articles": data["articles"]}).encode(),
                                        encoding="utf-8")
    assert paths(gkmlpt.more_pages(no_total)) == [API.format(3)]
    empty = scrapy.http.TextResponse(BASE + API.format(3), body=b'{"articles": []}', encoding="utf-8")
    assert gkmlpt.more_pages(empty) == []


def test_api_base_keeps_the_site_prefix():
    assert api_base("http://www.szlh.gov.cn/lhqkjhgyxxhj/gkmlpt/index") == "http://www.szlh.gov.cn/lhqkjhgyxxhj/gkmlpt/"
