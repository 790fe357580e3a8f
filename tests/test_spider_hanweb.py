"""Hanweb jcms adapter: records inside CDATA, dataproxy.jsp groups by POST, pages by GET."""
from urllib.parse import parse_qsl

import scrapy

from spiders.hanweb import HanwebAdapter, jpage_call
from tests.spider_fixtures import BASE, paths, response

hanweb = HanwebAdapter()
FZ, GK = "/col/col1229106823/index.html", "/col/col1229106830/index.html"
PROXY = "/module/web/jpage/dataproxy.jsp"
GK_PAGE1 = PROXY + "?page=1&appid=1&webid=3185&path=/&columnid=1229106830&unitid=4531790&permissiontype=0"


def test_records_hidden_in_cdata_are_the_entries():
    page = response("hanweb", FZ)
    assert hanweb.detect(page)
    assert page.css("a[title*='法治政府建设工作报告']") == []   # invisible to an HTML parser
    entries = hanweb.entries(page)
    assert len(entries) == 9
    assert entries[2].title == "浙江省发展和改革委员会2023年度法治政府建设工作报告"
    assert entries[2].url == BASE + "/art/2024/2/27/art_1229106823_58900002.html"


def test_later_groups_are_posted_with_the_pages_own_jpage_fields():
    page = response("hanweb", FZ)
    options, form = jpage_call(page.text)
    assert options["totalRecord"] == "20" and options["perPage"] == "3"
    requests = hanweb.more_pages(page)
    assert paths(requests) == [PROXY + "?startrecord=10&endrecord=18&perpage=3",
                               PROXY + "?startrecord=19&endrecord=20&perpage=3"]
    assert all(r.method == "POST" for r in requests)
    body = dict(parse_qsl(requests[0].body.decode()))
    assert body == form and body["columnid"] == "1229106823" and body["unitid"] == "4531779"


def test_posted_group_answer_lists_records_and_asks_nothing_more():
    group = response("hanweb", PROXY + "?startrecord=19&endrecord=20&perpage=3", method="POST")
    assert hanweb.detect(group)
    assert [e.title for e in hanweb.entries(group)][-1] == "浙江省发展和改革委员会2021年度法治政府建设工作报告"
    assert hanweb.more_pages(group) == []


def test_get_mode_follows_nextgroup_then_totalpage():
    column = response("hanweb", GK)
    (first,) = hanweb.more_pages(column)
    assert first.method == "GET" and paths([first]) == [GK_PAGE1] and first.meta["first_page"]
    answer = response("hanweb", GK_PAGE1)
    (second,) = hanweb.more_pages(answer)
    assert dict(parse_qsl(second.url.split("?")[1]))["page"] == "2"
    assert hanweb.more_pages(response("hanweb", GK_PAGE1.replace("page=1", "page=2"))) == []


MORE_COLUMN = """<html><body><div class="list"><ul id="list">
<li><a href="/art/2024/2/18/art_2561_3309876.html" target="_blank" title="新市镇2023年法治政府建设情况报告">新市镇2023年法治政府建设情况报告</a><span>2024-02-18</span></li>
<li><a href="/art/2024/2/10/art_2561_3309001.html" target="_blank" title="新市镇2024年法治政府建设工作要点">新市镇2024年法治政府建设工作要点</a><span>2024-02-10</span></li>
</ul><div class="more"><a href="javascript:void(0)" onclick="loadMore()">加载更多</a></div></div>
<script>var startrecord=3;function loadMore(){$.ajax({type:'POST',url:'/module/web/jpage/morecolumndataproxy.jsp?startrecord='
+startrecord+'&endrecord='+(startrecord+1)+'&perpage=2',data:{col:1,appid:1,webid:3118,path:'/',columnid:2561,
sourceContentType:1,unitid:8891,webname:'新市镇',permissiontype:0},success:function(d){$('#list').append(d);startrecord+=2;}});}</script>
</body></html>"""
MORE_PROXY = "/module/web/jpage/morecolumndataproxy.jsp?startrecord={}&endrecord={}&perpage=2"


def group_answer(request, records: int):
    rows = "".join(f'<record><![CDATA[<li><a href="/art/2023/2/{i}/art_2561_31220{i}.html">新市镇2022年法治政府建设情况报告{i}</a>'
                   f'<span>2023-02-0{i}</span></li>]]></record>' for i in range(1, records + 1))
    body = f"<datastore><nextgroup><![CDATA[]]></nextgroup><recordset>{rows}</recordset></datastore>"
    return scrapy.http.XmlResponse(request.url, body=body.encode(), encoding="utf-8", request=request)


def test_load_more_columns_post_the_pages_own_call_group_by_group():
    url = BASE + "/col/col2561/index.html"
    page = scrapy.http.HtmlResponse(url, body=MORE_COLUMN.encode(), encoding="utf-8", request=scrapy.Request(url))
    assert hanweb.detect(page) and [e.title for e in hanweb.entries(page)][0] == "新市镇2023年法治政府建设情况报告"
    (group,) = hanweb.more_pages(page)
    assert paths([group]) == [MORE_PROXY.format(3, 4)] and group.method == "POST"
    assert dict(parse_qsl(group.body.decode()))["columnid"] == "2561"
    (following,) = hanweb.more_pages(group_answer(group, 2))   # a full group: there may be more
    assert paths([following]) == [MORE_PROXY.format(5, 6)] and following.body == group.body
    assert len(hanweb.entries(group_answer(following, 1))) == 1
    assert hanweb.more_pages(group_answer(following, 1)) == []


QUERY_COLUMN = """<html><body><div id="57310"><script type="text/xml"><datastore><nextgroup><![CDATA[]]></nextgroup>
<totalrecord>7</totalrecord><totalpage>4</totalpage><recordset>
<record><![CDATA[<li><a href="/art/2025/3/2/art_731_1.html">新市镇2024年法治政府建设情况报告</a><span>2025-03-02</span></li>]]></record>
<record><![CDATA[<li><a href="/art/2024/3/5/art_731_2.html">新市镇2023年法治政府建设情况报告</a><span>2024-03-05</span></li>]]></record>
</recordset></datastore></script></div>
<script>var jpage_731 = {proxyUrl: '/module/web/jpage/dataproxy.jsp', perPage: 2, totalRecord: 7,
param: 'appid=1&webid=12&path=/&columnid=731&unitid=57310&permissiontype=0'};</script>
<script src="/module/web/jpage/jpage.js"></script></body></html>"""


def test_a_config_naming_the_proxys_query_is_paged_by_get_up_to_its_page_count():
    """A jpage config holding the proxy's GET query as one string (`param: 'appid=1&…&columnid=731…'`),
    no ajaxParam form and an empty nextgroup: jpage.js asks `dataproxy.jsp?page=N&` + that query for
    the pages after the inlined one, up to the inlined <totalpage> — and a generated page asks no more."""
    url = BASE + "/col/col731/index.html"
    page = scrapy.http.HtmlResponse(url, body=QUERY_COLUMN.encode(), encoding="utf-8", request=scrapy.Request(url))
    query = "appid=1&webid=12&path=/&columnid=731&unitid=57310&permissiontype=0"
    requests = hanweb.more_pages(page)
    assert paths(requests) == [f"{PROXY}?page={n}&{query}" for n in (2, 3, 4)]
    assert all(r.method == "GET" for r in requests)
    answer = group_answer(requests[0], 2)
    assert len(hanweb.entries(answer)) == 2 and hanweb.more_pages(answer) == []
    # without <totalpage> inlined the count is totalRecord over perPage (7 / 2: 4 pages)
    bare = QUERY_COLUMN.replace("<totalpage>4</totalpage>", "")
    page = scrapy.http.HtmlResponse(url, body=bare.encode(), encoding="utf-8", request=scrapy.Request(url))
    assert len(hanweb.more_pages(page)) == 3
    # a query holding jpage's own page slot (`page={page}&…`) is asked with the page set in front, once
    slotted = QUERY_COLUMN.replace("param: 'appid", "ajaxParam: 'page={page}&appid")
    page = scrapy.http.HtmlResponse(url, body=slotted.encode(), encoding="utf-8", request=scrapy.Request(url))
    assert paths(hanweb.more_pages(page))[0] == f"{PROXY}?page=2&{query}"
    # a query naming no column is not the proxy's: nothing asked
    nameless = QUERY_COLUMN.replace("&columnid=731", "")
    page = scrapy.http.HtmlResponse(url, body=nameless.encode(), encoding="utf-8", request=scrapy.Request(url))
    assert hanweb.more_pages(page) == []
