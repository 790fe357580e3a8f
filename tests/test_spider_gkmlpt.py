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
    (second,) = gkmlpt.more_pages(first)
    assert paths([second]) == [API.format(2)]
    assert gkmlpt.more_pages(response("gkmlpt", API.format(2), request=second)) == []   # the total is reached


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


QINGCHENG = ("<html><head><script>window._CONFIG = {SID: '763201', TREE: [{\"id\": 3100, \"name\": \"法定主动公开内容\", "
             "\"parent\": 0}, {\"id\": 3101, \"name\": \"法治政府建设年度报告\", \"parent\": 3100}, {\"id\": 3102, "
             "\"name\": \"政府信息公开年报\", \"parent\": 3100}, {\"id\": 3103, \"name\": \"通知公告\", \"parent\": 3100}]};"
             "</script></head><body><div id=\"app\"></div></body></html>")


def test_the_named_category_and_the_trees_report_categories_are_asked_for():
    url = BASE + "/gkmlpt/index"
    page = scrapy.http.HtmlResponse(url, body=QINGCHENG.encode(), encoding="utf-8",
                                    request=scrapy.Request(url + "#3101"))
    assert paths(gkmlpt.more_pages(page)) == ["/gkmlpt/api/all/3101?page=1&sid=763201",
                                              "/gkmlpt/api/all/3102?page=1&sid=763201"]


def test_pages_are_asked_one_at_a_time_so_a_404_ends_the_category():
    url = BASE + "/gkmlpt/api/all/3102?page=1&sid=763201"
    first = scrapy.http.TextResponse(url, encoding="utf-8", request=scrapy.Request(url), body=json.dumps(
        {"classify": {"id": 3102}, "total": 22, "articles": [
            {"id": 3102011, "title": "清城区人民政府2022年政府信息公开工作年度报告",
             "url": BASE + "/gkmlpt/content/3/3102/post_3102011.html"},
            {"id": 3102009, "title": "清城区政务公开工作要点", "url": BASE + "/gkmlpt/content/3/3102/post_3102009.html"}]},
        ensure_ascii=False).encode())
    (second,) = gkmlpt.more_pages(first)   # not pages 2–11 at once: page 2 may be the site's 404
    assert paths([second]) == ["/gkmlpt/api/all/3102?page=2&sid=763201"]


# a deployment that embeds no SID: the categories an inline array, the page's own script building the
# API address from the category in the fragment (what a browser then asks, with no sid)
NO_SID = """<html><head><title>武陵市政府信息公开目录</title><script>
var catalog = [{id: 4410, name: "机构职能"}, {id: 4412, name: "政府信息公开工作年度报告"},
               {id: 4415, name: "法治政府建设年度报告"}, {id: 4417, name: "政策解读"}];
function getList(cid, p) {
  var api = "/gkmlpt/api/all/" + cid + "?page=" + p;
  $.getJSON(api, function (res) { draw(res.articles, res.total); });
}
$(function () { getList(location.hash.slice(1) || catalog[0].id, 1); });
</script></head><body><ul class="tree"><li><a href="#4412">政府信息公开工作年度报告</a></li>
<li><a href="#4415">法治政府建设年度报告</a></li></ul><ul id="records"></ul></body></html>"""


def test_a_catalogue_without_sid_is_asked_as_its_own_script_asks():
    url = BASE + "/gkmlpt/index"
    page = scrapy.http.HtmlResponse(url, body=NO_SID.encode(), encoding="utf-8", request=scrapy.Request(url))
    assert gkmlpt.detect(page)
    assert paths(gkmlpt.more_pages(page)) == ["/gkmlpt/api/all/4412?page=1", "/gkmlpt/api/all/4415?page=1"]
    first = scrapy.http.TextResponse(BASE + "/gkmlpt/api/all/4415?page=1", encoding="utf-8", body=json.dumps(
        {"total": 7, "articles": [
            {"id": 1, "title": "武陵市人民政府2024年法治政府建设年度报告", "url": "/attachment/0/1/1.pdf",
             "date": "2025-03-28"},
            {"id": 2, "title": "武陵市人民政府2023年法治政府建设年度报告", "url": "/attachment/0/2/2.pdf",
             "display_publish_time": 1714752000},
            {"id": 3, "title": "武陵市2024年法治政府建设工作要点", "url": "/gkmlpt/content/0/3/post_3.html"},
            {"id": 4, "title": "武陵市召开法治政府建设推进会", "url": "/gkmlpt/content/0/4/post_4.html"},
            {"id": 5, "title": "武陵市人民政府2022年法治政府建设年度报告", "url": "/attachment/0/5/5.pdf",
             "first_publish_time": 1679875200000}]}, ensure_ascii=False).encode())
    # a file linked straight from the record is dated by it (epoch times are Beijing time)
    assert [(e.url.removeprefix(BASE), e.date) for e in gkmlpt.entries(first)] == [
        ("/attachment/0/1/1.pdf", "2025-03-28"), ("/attachment/0/2/2.pdf", "2024-05-04"),
        ("/gkmlpt/content/0/3/post_3.html", None), ("/gkmlpt/content/0/4/post_4.html", None),
        ("/attachment/0/5/5.pdf", "2023-03-27")]
    assert paths(gkmlpt.more_pages(first)) == ["/gkmlpt/api/all/4415?page=2"]   # no sid: none was sent


def test_a_page_under_gkmlpt_that_names_no_catalogue_is_not_one():
    url = BASE + "/gkmlpt/content/0/3/post_3.html"
    body = "<html><head><script>var hits = '/api/hits/3';</script></head><body><h1>通知</h1></body></html>"
    page = scrapy.http.HtmlResponse(url, body=body.encode(), encoding="utf-8", request=scrapy.Request(url))
    assert not gkmlpt.detect(page) and gkmlpt.more_pages(page) == []
