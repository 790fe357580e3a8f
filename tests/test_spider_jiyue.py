"""Fujian 集约化 adapter on the real pingtan list page: static first page + list2.trsapi JSON API."""
from urllib.parse import parse_qsl

import scrapy

from spiders.jiyue import JiyueAdapter, list_args
from tests.spider_fixtures import BASE, response

jiyue = JiyueAdapter()
COLUMN = "/zwgk/zfxxgk/zfxxgknb/"


def test_reads_the_list_model_call():
    page = response("jiyue", COLUMN)
    assert jiyue.detect(page)
    assert not jiyue.detect(response("trs", "/zwgk_279/fdzdgknr/fzzfjsndbg/index.html"))
    assert list_args(page.text) == {"channelid": "200210", "classsql": "chnlid=1813",
                                    "sortfield": "-docorderpri,-docreltime", "prepage": 10, "records": 20,
                                    "static": 1}


def test_static_page_entries():
    entries = jiyue.entries(response("jiyue", COLUMN))
    assert len(entries) == 10
    assert entries[1].title == "平潭综合实验区2024年度政府信息公开工作年度报告"
    assert entries[1].url == BASE + COLUMN + "202503/t20250310_97791.htm"


def test_api_pages_after_the_static_one():
    (request,) = jiyue.more_pages(response("jiyue", COLUMN))
    assert request.method == "POST" and request.url == BASE + "/fjdzapp/search"
    assert dict(parse_qsl(request.body.decode())) == {
        "channelid": "200210", "classsql": "chnlid=1813", "sortfield": "-docorderpri,-docreltime",
        "page": "2", "prepage": "10"}


def test_api_answer():
    (asked,) = jiyue.more_pages(response("jiyue", COLUMN))
    answer = response("jiyue", "/fjdzapp/search", request=asked, method="POST")
    assert jiyue.detect(answer)
    entries = jiyue.entries(answer)
    assert entries[2].title == "平潭综合实验区地方税务局2013年信息公开年度报告"
    assert entries[2].url == BASE + COLUMN + "201402/t20140225_80774.htm"
    assert jiyue.more_pages(answer) == []   # pageCount 2 = what recordCount announced


def test_more_pages_announced_by_the_answer_are_asked_for():
    (asked,) = jiyue.more_pages(response("jiyue", COLUMN))
    fewer = asked.replace(meta={**asked.meta, "jiyue": {**asked.meta["jiyue"], "records": 10}, "page": 1})
    answer = response("jiyue", "/fjdzapp/search", request=fewer, method="POST")
    (more,) = jiyue.more_pages(answer)
    assert isinstance(more, scrapy.FormRequest) and dict(parse_qsl(more.body.decode()))["page"] == "2"
