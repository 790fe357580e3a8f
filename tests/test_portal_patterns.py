"""Portal patterns that hid report columns in the third hold-out round (issue 11), one test each,
on markup written from the pattern as portals use it (cms_patterns.md; common portal layouts), not
from that round's pages: a hub named after its government, an image tile with no name, a trail
printed in one link text, department sub-columns, 重点领域 › 法治政府建设 topics, nested menu
literals rendered by a template, goPage pagers, JSON list services, the Hanweb nextgroup page,
issuers named after the year, files linked from a list dated by their row, and the size cap of
what a page's script loads; and, at the end, those of the later rounds (national4's, national5's:
jpage and 集约化 lists continued only by POST, 加载更多 links, lists split into tab panes; national9's:
`$.getJSON(url, {…})` shorthand calls, nested gkmlpt trees, stub jumps through a variable, titles cut
short, 公开主体 selectors, jpage's whole last group; national11's: menu arrays rendered by indexed
items, XMLHttpRequest list services, column pages framing their list, a district's report placed by
its title's issuer).


short, 公开主体 selectors, jpage's whole last group; national12's: 计划总结 columns, 法治 columns that do
not settle where the government's own reports are, jpage configs without ajaxParam, short range answers;
national13's and national14's: a 公开主体 <select> naming its units bare, a 年报 column's tab named by its
government).
national14's: JSON catalogue trees whose nodes carry their list service, 加载更多 buttons loading a fragment by script).
national19's: a template's own pager over jpage's proxy, dTree catalogues, a stub's jump over its noscript link,
加载更多 counters' first and last pages, JSON.stringify filters, 法治建设 columns, one column for both reports;
national20's: gkmlpt catalogue links told apart by their fragment, its one page asked once for all of them;
national22's: 加载更多 buttons keeping their page in data attributes, TRS IGS `$.extend` calls, XML feeds).
"""
import asyncio
import json
from urllib.parse import parse_qsl, urlsplit

import pytest
import scrapy
from parsel import Selector
from scrapy.http import HtmlResponse, TextResponse, XmlResponse
from scrapy.utils.test import get_crawler

from crawler.crawl.middlewares import OffSite, ScopeMiddleware
from crawler.crawl.scope import government_domain
from crawler.crawl.sites import Site
from crawler.extract import extract_report
from crawler.extract.classify import FZ, XXGK, column_kind, column_kinds, cut_after_issuer, cut_report, link_kind
from crawler.extract.issuer import issuer_type
from crawler.extract.regions import resolve_region
from spiders.apps import app_call, module_chunks, page_state, routed_pages, state_pages, with_state
from spiders.base import Entry, anchors, clicked_rows, main_list, numbered_links, parse_json
from spiders.discovery import (
    LOADED,
    NEWS,
    REDIRECT,
    code_links,
    column_links,
    full_lists,
    is_catch_all,
    is_hub,
    is_site_map,
    loaded_links,
    next_links,
    page_links,
    pending_calls,
    resolve_calls,
    settled,
    subcategories,
    trail_parents,
)
from spiders.generic import GenericAdapter
from spiders.hanweb import HanwebAdapter
from spiders.jiyue import JiyueAdapter
from spiders.jiyue import api_request as jiyue_request
from spiders.jsonlist import JsonListAdapter, api_call, api_request, node_list_call
from spiders.literals import literal_links, rendered_keys, script_literals, template_keys
from spiders.naming import address_name, place_stripped
from spiders.pagers import form_pages, function_pages
from spiders.registry import adapter_for
from spiders.reports import MAX_LOADED_BYTES, ReportsSpider, viewed_file, written_rows
from spiders.scripts import called_address, navigation_functions, table_strings

HOME = "http://www.wl.gov.cn/"


def found(markup: str, base: str = HOME) -> dict[str, str]:
    return {e.url: e.title for e in page_links(Selector(text=markup), base)}


def html(url: str, body: str) -> HtmlResponse:
    return HtmlResponse(url, body=body.encode(), encoding="utf-8", request=scrapy.Request(url))


def test_a_hub_named_after_its_government_is_a_hub():
    assert is_hub("武陵县政府信息公开平台") and is_hub("武陵县人民政府信息公开") and is_hub("广西壮族自治区政务公开")
    assert place_stripped("武陵县政府信息公开平台") == "信息公开平台"
    # a place's own name is no hub, nor are a department's or the townships' pages
    assert not any(is_hub(t) for t in ("武陵县人民政府", "武陵县司法局信息公开", "部门信息公开", "乡镇信息公开",
                                       "武陵县政府信息公开指南"))
    page = ('<div class="ztzl"><h3>专题专栏</h3><a href="http://public.wl.gov.cn/"><img src="/img/zt1.jpg" '
            'alt="武陵县政府信息公开平台"></a><a href="/ztzl/yshj/"><img src="/img/zt2.jpg" alt="优化营商环境"></a></div>')
    entries = page_links(Selector(text=page), HOME)
    assert next_links(HOME, entries, 0, 4, False, set()) == ([], ["http://public.wl.gov.cn/"])


def test_a_bilingual_or_icon_decorated_label_is_read_by_its_chinese():
    page = ('<ul class="nav"><li><a href="/zwgk/"><i class="iconfont">\ue62b</i>政务公开<span>Government Affairs</span></a></li>'
            '<li><a href="/xxgk/nb/">ZWGK\u200b政府信息公开年报</a></li><li><a href="/en/">English</a></li></ul>')
    links = found(page)
    assert is_hub(links[HOME + "zwgk/"]) and column_links(page_links(Selector(text=page), HOME)) == {
        HOME + "xxgk/nb/": XXGK}
    assert not is_hub("English") and not is_hub("ZWGK")


def test_an_image_tile_without_a_name_is_named_by_its_address():
    page = """<div class="rk"><a href="http://xxgk.wl.gov.cn/" target="_blank"><img src="/images/rk1.png"></a>
    <a href="/zwgk/index.html"><img src="/images/rk2.png"></a>
    <a href="http://sfj.wl.gov.cn/"><img src="/images/rk3.png"></a>
    <a href="/zjwl/index.html"><img src="/images/rk4.png"></a></div>"""
    links = found(page)
    assert links["http://xxgk.wl.gov.cn/"] == "政府信息公开"     # a sibling 信息公开 host's home
    assert links[HOME + "zwgk/index.html"] == "政府信息公开"      # a /zwgk/ directory
    assert not links.get("http://sfj.wl.gov.cn/") and not links.get(HOME + "zjwl/index.html")
    assert address_name("http://xxgk.wl.gov.cn/col/12/") is None   # a page inside it says nothing
    assert address_name("http://public.wl.gov.cn/index.html") == "政府信息公开"
    tile = '<a href="/col/col51/index.html"><img src="/images/rk_zfxxgk.png"></a><a href="/x/"><img src="/i/taxgk.png"></a>'
    assert found(tile) == {HOME + "col/col51/index.html": "政府信息公开", HOME + "x/": ""}   # its image's file name
    button = '<a class="btn-gk" href="http://zwgk.wl.gov.cn/"></a><a class="btn" href="/hd/"></a>'   # drawn by CSS
    assert found(button) == {"http://zwgk.wl.gov.cn/": "政府信息公开", HOME + "hd/": ""}


def test_a_trail_printed_in_one_link_text_names_the_column_by_its_leaf():
    links = [Entry(HOME + "zfxxgk/ndbg.htm", "法定主动公开内容 · 年度报告"),
             Entry(HOME + "zfxxgk/fz.htm", "法治政府建设 › 年度报告"),
             Entry(HOME + "zfxxgk/pfxc.htm", "法定主动公开内容 · 普法宣传"),
             Entry(HOME + "zfxxgk/zcjd.htm", "政府信息公开 > 政策解读")]
    assert column_links(links) == {HOME + "zfxxgk/ndbg.htm": XXGK, HOME + "zfxxgk/fz.htm": FZ}


def test_department_sub_columns_are_report_columns():
    assert column_kind("省直部门年报") == XXGK and column_kind("市直单位年报") == XXGK
    assert column_kind("县直各部门政府信息公开年度报告") == XXGK
    assert column_kind("市州年报") is None   # other governments' reports, on their own hosts


def test_the_key_areas_catalogue_leads_to_the_rule_of_law_column_under_it():
    assert is_hub("重点领域信息公开") and is_hub("重点领域公开") and not is_hub("重点领域")
    menu = [Entry(HOME + "zwgk/xxgkml/", "政府信息公开目录"), Entry(HOME + "zwgk/zdly/", "重点领域信息公开"),
            Entry(HOME + "zwgk/zcjd/", "政策解读")]
    assert next_links(HOME, menu, 0, 4, False, set()) == ([], [HOME + "zwgk/xxgkml/", HOME + "zwgk/zdly/"])
    topics = [Entry(HOME + "zwgk/zdly/fzzfjs/", "法治政府建设"), Entry(HOME + "zwgk/zdly/czyjs/", "财政预决算")]
    assert next_links(HOME + "zwgk/zdly/", topics, 1, 4, False, {XXGK}) == ([HOME + "zwgk/zdly/fzzfjs/"], [])


def test_a_nested_menu_literal_is_read_with_the_keys_its_template_renders():
    code = """var menuData = {"menu": [{"n": "首页", "u": "/"}, {"n": "政务公开", "u": "/zwgk/index.html",
      "c": [{"n": "政府信息公开", "u": "/zwgk/zfxxgk/index.html", "ico": "/img/a.png"}]}]};
    $.each(menuData.menu, function(i, m){ var li = $("<li></li>"); li.append("<a href='" + m.u + "'>" + m.n + "</a>");
      if (m.c) { $.each(m.c, function(j, c){ sub.append("<a href='" + c.u + "'>" + c.n + "</a>"); }); } });"""
    assert template_keys(code) == ({"n"}, {"u"})
    links = {e.url: e.title for e in literal_links(code, HOME)}
    assert links[HOME + "zwgk/index.html"] == "政务公开"                 # the parent item, not only leaves
    assert links[HOME + "zwgk/zfxxgk/index.html"] == "政府信息公开"
    assert found(f"<html><body><ul id='menu'></ul><script>{code}</script></body></html>")[
        HOME + "zwgk/zfxxgk/index.html"] == "政府信息公开"
    # relaxed JavaScript: single quotes, bare keys, trailing commas; .attr/.text templates
    code = "var nav = [{t: '政务公开', l: '/zwgk/',}, ]; $('<a>').attr('href', it.l).text(it.t);"
    assert script_literals(code) == [[{"t": "政务公开", "l": "/zwgk/"}]]
    assert {e.url: e.title for e in literal_links(code, HOME)} == {HOME + "zwgk/": "政务公开"}


GO_PAGE = """<html><body><table class="gk-list"><tr><td><a href="./content_11.html">武陵县2024年政府信息公开工作年度报告</a>
</td><td>2025-03-20</td></tr></table><div class="page"><a href="javascript:void(0);" onclick="goPage(1)">1</a>
<a href="javascript:void(0);" onclick="goPage(2)">2</a> <a href="javascript:;" onclick="goPage(3)">3</a>
<span onclick="goPage(4)">4</span> <a href="javascript:;" onclick="goPage(2)">下一页</a></div>
<script>function goPage(p){ if(p<=1){ location.href="index.html"; } else { location.href="index_" + (p-1) + ".html"; } }
</script></body></html>"""


def test_a_pager_that_calls_a_page_function_leads_where_the_function_sends_the_browser():
    base = HOME + "zwgk/xxgknb/index.html"
    assert function_pages(Selector(text=GO_PAGE), base) == [base, HOME + "zwgk/xxgknb/index_1.html",
                                                            HOME + "zwgk/xxgknb/index_2.html",
                                                            HOME + "zwgk/xxgknb/index_3.html"]   # a <span> too
    pages = [r.url for r in GenericAdapter().more_pages(html(base, GO_PAGE))]
    assert HOME + "zwgk/xxgknb/index_1.html" in pages and HOME + "zwgk/xxgknb/index_2.html" in pages
    assert HOME + "zwgk/xxgknb/index_0.html" not in pages   # goPage(1) takes the first branch only


def test_a_pager_function_that_picks_its_address_by_a_conditional_expression_is_read():
    # the test written as `?:`, in the navigation statement or in a variable the function assigns first
    inline = """<div class="pagination"><a href="javascript:;" onclick="goPage(1)">首页</a>
    <a href="javascript:;" onclick="goPage(2)">下一页</a><a href="javascript:;" onclick="goPage(4)">尾页</a></div>
    <script>function goPage(n){ location.href = (n == 1 ? "list" : "list_" + n) + ".shtml"; }</script>"""
    base = HOME + "zfxxgk/nb/list.shtml"
    assert function_pages(Selector(text=inline), base) == [HOME + "zfxxgk/nb/list_2.shtml",
                                                          HOME + "zfxxgk/nb/list_4.shtml"]
    variable = """<span onclick="toPage(2)">2</span><span onclick="toPage(3)">3</span>
    <script>function toPage(pageIndex) { var url = pageIndex <= 1 ? "index.html" : "index_" + (pageIndex - 1) + ".html";
      window.location.href = url; }</script>"""
    assert function_pages(Selector(text=variable), HOME + "nb/index.html") == [HOME + "nb/index_1.html",
                                                                               HOME + "nb/index_2.html"]



def test_a_pager_function_written_as_an_arrow_function_is_read():
    # `go = (p) => {…}` and `to = p => …`: FUNCTION's third form, named and bodied like the others
    arrows = """<a href="javascript:go(2)">2</a><a href="javascript:to(3)">下一页</a>
    <script>var go = (p) => { location.href = "list_" + p + ".html"; };
    var to = p => location.href = "more_" + p + ".html";</script>"""
    assert function_pages(Selector(text=arrows), HOME + "nb/list.html") == [HOME + "nb/list_2.html",
                                                                           HOME + "nb/more_3.html"]

FORM_PAGER = """<html><body><form name="search" method="post" action="/search.jsp"><input name="q" type="text">
<input type="hidden" name="page" value="1"><input type="submit" value="搜索"></form>
<table class="gk-list"><tr><td><a href="/gk/art/2025/3/20/art_88_901.html">武陵县2024年政府信息公开工作年度报告</a></td>
<td>2025-03-20</td></tr></table>
<form id="listForm" method="post" action="/gk/list.do"><input type="hidden" name="columnId" value="88">
<input type="hidden" id="curPage" name="pageIndex" value="1"><input type="hidden" name="pageSize" value="15">
<select name="year"><option value="">全部</option><option value="2024" selected>2024</option></select></form>
<div class="pager">共43条 <a href="javascript:;" onclick="turnPage(2)">2</a> <a href="javascript:;" onclick="turnPage(3)">3</a>
<a href="javascript:;" onclick="turnPage(2)">下一页</a> <a href="javascript:turnPage(3)">尾页</a></div>
<script>function turnPage(n) { document.getElementById("curPage").value = n;
  document.getElementById("listForm").submit(); }</script></body></html>"""


def test_a_pager_that_submits_the_pages_form_asks_that_form_with_its_page_number():
    """`turnPage(n)` sets the list form's page field and submits it: the further pages are that
    form POSTed with its fields as they stand and the page field set — not the search form."""
    asked = GenericAdapter().more_pages(html(HOME + "gk/list.do?columnId=88", FORM_PAGER))
    assert [(r.method, r.url) for r in asked] == [("POST", HOME + "gk/list.do")] * 2
    assert [dict(parse_qsl(r.body.decode())) for r in asked] == [
        {"columnId": "88", "pageIndex": str(n), "pageSize": "15", "year": "2024"} for n in (2, 3)]
    # the function names its form and field otherwise: document.NAME, .FIELD.value
    named = FORM_PAGER.replace('id="listForm"', 'name="pageForm"').replace(
        'document.getElementById("curPage").value = n;\n  document.getElementById("listForm").submit();',
        "var f = document.pageForm; f.pageIndex.value = n; f.submit();")
    assert [(url, dict(fields)["pageIndex"]) for url, _, fields in form_pages(Selector(text=named), HOME)] == [
        (HOME + "gk/list.do", "2"), (HOME + "gk/list.do", "3")]


def test_a_hanweb_catalogue_fragments_pager_posts_its_hidden_form():
    """大汉's 信息公开目录 module (search.jsp) loads each node's list as a fragment whose pager
    calls a function of the module's shared script: the fragment's hidden form with currpage set."""
    fragment = """<table><tr><td><a href="/art/2024/3/1/art_1229_77.html">武陵市2023年法治政府建设年度报告</a></td>
    <td>2024-03-01</td></tr></table><div class="page"><a href="javascript:void(0)" onclick="goPage(2)">下一页</a>
    <a href="javascript:void(0)" onclick="goPage(4)">尾页</a>
    <form method="post" action="/module/xxgk/search.jsp?infotypeId=B02&jdid=3"><input type="hidden" name="currpage"
    value="1"><input type="hidden" name="infotypeId" value="B02"></form></div>"""
    url = HOME + "module/xxgk/search.jsp?infotypeId=B02&jdid=3"
    asked = GenericAdapter().more_pages(html(url, fragment))
    assert [(r.method, r.url, dict(parse_qsl(r.body.decode()))) for r in asked] == [
        ("POST", url, {"currpage": "2", "infotypeId": "B02"}), ("POST", url, {"currpage": "4", "infotypeId": "B02"})]


def test_a_get_form_pager_asks_the_forms_address_with_its_fields():
    page = """<ul><li><a href="c/1.html">武陵县2023年政府信息公开工作年度报告</a><span>2024-01-05</span></li></ul>
    <form name="pager" action="list.jsp?old=1"><input type="hidden" name="cid" value="5">
    <input type="hidden" name="page" value="1"></form><a href="javascript:go(2)">下一页</a>
    <script>function go(p){ document.pager.page.value = p; document.pager.submit(); }</script>"""
    asked = GenericAdapter().more_pages(html(HOME + "zwgk/list.jsp?cid=5", page))
    assert [(r.method, r.url) for r in asked] == [("GET", HOME + "zwgk/list.jsp?cid=5&page=2")]


def test_an_aspnet_postback_pager_posts_the_pages_form_with_its_event_fields():
    """ASP.NET WebForms (AspNetPager, GridView): `javascript:__doPostBack('pager','3')` sets the
    form's __EVENTTARGET/__EVENTARGUMENT through the page variable `theForm` and submits it — the
    form the variable holds is POSTed with its __VIEWSTATE as it stands and the event fields set."""
    page = """<form method="post" action="./Search.aspx" id="mainForm"><input type="text" name="kw"></form>
    <form name="aspnetForm" method="post" action="./NewsList.aspx?cid=12" id="aspnetForm">
    <input type="hidden" name="__EVENTTARGET" id="__EVENTTARGET" value="" />
    <input type="hidden" name="__EVENTARGUMENT" id="__EVENTARGUMENT" value="" />
    <input type="hidden" name="__VIEWSTATE" id="__VIEWSTATE" value="/wEPDwULLTE2MTY2ODcyMjlkZA==" />
    <input type="hidden" name="__EVENTVALIDATION" value="/wEdAAKxyz" />
    <script type="text/javascript">
    //<![CDATA[
    var theForm = document.forms['aspnetForm'];
    if (!theForm) { theForm = document.aspnetForm; }
    function __doPostBack(eventTarget, eventArgument) {
        if (!theForm.onsubmit || (theForm.onsubmit() != false)) {
            theForm.__EVENTTARGET.value = eventTarget;
            theForm.__EVENTARGUMENT.value = eventArgument;
            theForm.submit();
        }
    }
    //]]>
    </script>
    <ul><li><a href="NewsShow.aspx?id=801">武陵县2024年政府信息公开工作年度报告</a></li></ul>
    <div class="pager"><span class="current">1</span><a href="javascript:__doPostBack('ctl00$Pager','2')">2</a>
    <a href="javascript:__doPostBack('ctl00$Pager','3')">3</a><a href="javascript:__doPostBack('ctl00$Pager','2')">下一页</a>
    </div></form>"""
    asked = GenericAdapter().more_pages(html(HOME + "gk/NewsList.aspx?cid=12", page))
    assert [(r.method, r.url) for r in asked] == [("POST", HOME + "gk/NewsList.aspx?cid=12")] * 2
    assert [dict(parse_qsl(r.body.decode())) for r in asked] == [
        {"__EVENTTARGET": "ctl00$Pager", "__EVENTARGUMENT": str(n), "__VIEWSTATE": "/wEPDwULLTE2MTY2ODcyMjlkZA==",
         "__EVENTVALIDATION": "/wEdAAKxyz"} for n in (2, 3)]
    # with no variable, the form holding the fields the function sets is the one submitted
    bare = page.replace("var theForm = document.forms['aspnetForm'];\n    if (!theForm) { theForm = document.aspnetForm; }",
                        "").replace("theForm.submit()", "this.submit()")
    assert [dict(f)["__EVENTARGUMENT"] for _, _, f in form_pages(Selector(text=bare), HOME)] == ["2", "3"]


def test_no_form_is_asked_where_the_pager_navigates_or_no_form_holds_a_page():
    hidden = """<form method="post" action="list.jsp"><input type="hidden" name="pageNo" value="1"></form>"""
    # a goPage function that navigates is read as such (function_pages), never as a form
    assert form_pages(Selector(text=GO_PAGE.replace("</body>", hidden + "</body>")), HOME) == []
    # javascript:void(0) is no page call; a search form holds no page field
    void = """<a href="javascript:void(0)">下一页</a><a href="javascript:void(0);" onclick="showPage(2)">2</a>
    <form method="post" action="/search.jsp"><input name="keyword"><input type="hidden" name="siteid" value="1"></form>"""
    assert form_pages(Selector(text=void), HOME) == []
    assert form_pages(Selector(text=void.replace('onclick="showPage(2)"', "") + hidden), HOME) == []


def test_a_file_linked_only_as_download_takes_its_rows_title():
    """A list table whose title cell is text and whose only link says 下载 (the file itself, straight
    from the table): the entry is the file, titled by its row's title cell, not by 下载 — and a
    page's own 下载 link beside no title is no entry."""
    page = html(HOME + "zwgk/nb/index.html", """<html><body><div class="nav"><a href="/app/">下载</a></div>
    <table class="list"><tr><th>名称</th><th>发布时间</th><th>附件</th></tr>
    <tr><td><span>武陵县2024年政府信息公开工作年度报告</span></td><td>2025-03-28</td>
    <td><a href="/upload/2025/03/nb2024.pdf">点击下载</a></td></tr>
    <tr><td><span>武陵县2023年政府信息公开工作年度报告</span></td><td>2024-03-30</td>
    <td><a href="/upload/2024/03/nb2023.docx">下载</a></td></tr></table></body></html>""")
    assert [(e.url.rsplit("/", 1)[-1], e.title) for e in GenericAdapter().entries(page)] == [
        ("nb2024.pdf", "武陵县2024年政府信息公开工作年度报告"), ("nb2023.docx", "武陵县2023年政府信息公开工作年度报告")]


def test_records_kept_in_an_inline_data_literal_are_list_entries():
    page = html(HOME + "zwgk/xxgknb/index.html", """<html><body><ul id="list"></ul><script>
    var docs = [{"title": "武陵县2024年政府信息公开工作年度报告", "url": "./202503/t20250320_7.html", "date": "2025-03-20"},
                {'title': '武陵县2023年政府信息公开工作年度报告', 'url': './202402/t20240210_5.html',}];
    $.each(docs, function (i, d) { $("#list").append("<li><a href='" + d.url + "'>" + d.title + "</a></li>"); });
    </script></body></html>""")
    assert [(e.url.rsplit("/", 1)[-1], e.title) for e in GenericAdapter().entries(page)] == [
        ("t20250320_7.html", "武陵县2024年政府信息公开工作年度报告"), ("t20240210_5.html", "武陵县2023年政府信息公开工作年度报告")]


SHELL = """<html><body><h2>政府信息公开年报</h2><ul id="listBox"></ul><div id="pageBox"></div>
<script>var channelId = "2208", pageSize = 10;
$.ajax({url: "/api/hits/count", type: "post", data: {id: channelId}});
function loadList(pageNo){ $.ajax({url: "/api/content/list", type: "get", dataType: "json",
  data: {channelId: channelId, pageSize: pageSize, pageNo: pageNo}, success: function(res){
  $.each(res.data.list, function(i, item){ html += "<li><a href=\\"" + item.url + "\\">" + item.title + "</a></li>"; }); } }); }
loadList(1);</script></body></html>"""
ANSWER = ('{"code": 200, "data": {"pageNo": 1, "pageCount": 3, "list": [{"title": "武陵县2024年政府信息公开工作年度报告",'
          ' "url": "/zfxxgk/xxgknb/202503/t20250320_1.shtml", "publishTime": "2025-03-20"}]}}')


def test_a_list_shell_is_read_through_the_json_service_its_script_calls():
    page = html(HOME + "zfxxgk/xxgknb/index.shtml", SHELL)
    adapter = JsonListAdapter()
    assert adapter_for(page).name == "jsonlist" and adapter.entries(page) == []
    (first,) = adapter.more_pages(page)
    parts = urlsplit(first.url)
    assert parts.path == "/api/content/list" and first.method == "GET"
    assert parse_qsl(parts.query) == [("channelId", "2208"), ("pageSize", "10"), ("pageNo", "1")]   # the call's order
    answer = TextResponse(first.url, body=ANSWER.encode(), encoding="utf-8", request=first)
    assert adapter.detect(answer)
    assert adapter.entries(answer) == [Entry(HOME + "zfxxgk/xxgknb/202503/t20250320_1.shtml",
                                             "武陵县2024年政府信息公开工作年度报告")]
    later = adapter.more_pages(answer)
    assert [dict(parse_qsl(urlsplit(r.url).query))["pageNo"] for r in later] == ["2", "3"]
    second = TextResponse(later[0].url, body=ANSWER.encode(), encoding="utf-8", request=later[0])
    assert adapter.more_pages(second) == []          # only page 1 asks for the rest
    news = ANSWER.replace("武陵县2024年政府信息公开工作年度报告", "武陵县召开常务会议")
    feed = TextResponse(first.url, body=news.encode(), encoding="utf-8", request=first)
    assert adapter.more_pages(feed) == []            # a news feed's first page: not read through
    files = ANSWER.replace("/zfxxgk/xxgknb/202503/t20250320_1.shtml", "/zfxxgk/xxgknb/P020250320.pdf")
    (pdf,) = adapter.entries(TextResponse(first.url, body=files.encode(), encoding="utf-8", request=first))
    assert pdf.date == "2025-03-20"                  # a file the service lists: dated by its record
    # the parameters as an object assigned earlier, and as a JSON body
    named = api_call('<script>var q = {channelId: "9", pageNo: 1}; $.ajax({url: "/api/list", type: "post", data: q});</script>')
    assert (named["fields"], named["post"], named["json"]) == ([("channelId", "9"), ("pageNo", "1")], True, False)
    posted = api_request(HOME, api_call('<script>$.ajax({url: "/api/list", type: "post", contentType: "application/json",'
                                        ' data: JSON.stringify({channelId: "9", pageNo: 1, size: 10})});</script>'), 3)
    assert posted.method == "POST" and posted.body == b'{"channelId": "9", "pageNo": 3, "size": 10}'
    # a call without a page number (a hit counter, a search box) is no list
    assert api_call('<script>$.ajax({url: "/api/hits", data: {id: "5"}});</script>') is None


def test_a_trs_igs_search_service_asked_for_a_channels_list_is_a_list_service():
    """TRS 站群 columns drawn from the IGS search service: `$.get(".../search/list.html", {…,
    "filter[CHANNELID]": n, pageNumber: n}, fn, "json")` — `search` names the service, the quoted
    filter key is one of its parameters, the records are under page.content (DOCTITLE, DOCPUBURL),
    the page count page.totalPages. A search box's call (its keyword typed) stays no list."""
    shell = html(HOME + "zwgk/fzzfjsndbg/index.html", """<html><body><ul id="docs"></ul><script>
    function show(p) { $.get("/igs/front/search/publish/data/list.html", {siteId: "12", index: "wl-gk",
      "filter[CHANNELID]": 4100, orderBy: "-PUBDATE", pageNumber: p, pageSize: 10}, function (res) {
        $.each(res.page.content, function (i, d) { $("#docs").append("<li><a href='" + d.DOCPUBURL + "'>" + d.DOCTITLE
          + "</a></li>"); }); }, "json"); }
    show(1);</script></body></html>""")
    adapter = JsonListAdapter()
    assert adapter_for(shell).name == "jsonlist"
    (first,) = adapter.more_pages(shell)
    parts = urlsplit(first.url)
    assert parts.path == "/igs/front/search/publish/data/list.html" and parse_qsl(parts.query) == [
        ("siteId", "12"), ("index", "wl-gk"), ("filter[CHANNELID]", "4100"), ("orderBy", "-PUBDATE"),
        ("pageNumber", "1"), ("pageSize", "10")]
    answer = TextResponse(first.url, request=first, encoding="utf-8", body=json.dumps({"page": {
        "totalElements": 23, "totalPages": 3, "number": 1, "content": [{
            "DOCTITLE": "武陵县2024年法治政府建设年度报告", "DOCPUBURL": HOME + "zwgk/fzzfjsndbg/202503/t20250301_9.html",
            "PUBDATE": "2025-03-01 09:00:00"}]}}, ensure_ascii=False).encode())
    assert [e.title for e in adapter.entries(answer)] == ["武陵县2024年法治政府建设年度报告"]
    assert [dict(parse_qsl(urlsplit(r.url).query))["pageNumber"] for r in adapter.more_pages(answer)] == ["2", "3"]
    typed = """<script>$.get("/igs/front/search/list.html", {q: $("#kw").val(), pageNumber: 1}, fn, "json");</script>"""
    assert api_call(typed) is None
    assert api_call('<script>$.get("/api/search.do", {siteId: "1", pageNo: 1}, fn, "json");</script>') is None


JPAGE = """<html><body><div id="4001"><script type="text/xml"><datastore><nextgroup><![CDATA[<a href="/module/web/jpage/
dataproxy.jsp?page=2&appid=1&webid=1&path=/&columnid=88&unitid=4001&permissiontype=0"></a>]]></nextgroup><recordset>
<record><![CDATA[<li><a href="/art/2025/3/1/art_88_1.html" title="武陵县2024年法治政府建设年度报告">武陵县2024年法治政府建设年度报告</a></li>]]></record>
</recordset></datastore></script></div>
<script>$('#4001').jpage({dataStore: dataStore, perPage: 1, totalRecord: 3, proxyUrl: '/module/web/jpage/dataproxy.jsp',
ajaxParam: {col: 1, appid: 1, webid: 1, path: '/', columnid: 88, unitid: 4001, permissiontype: 0}});</script></body></html>"""


def test_a_jpage_column_with_no_further_group_is_paged_by_its_nextgroup_link():
    hanweb = HanwebAdapter()
    page = html(HOME + "col/col88/index.html", JPAGE.replace("jpage/\n", "jpage/"))
    (second,) = hanweb.more_pages(page)
    assert second.method == "GET" and dict(parse_qsl(urlsplit(second.url).query))["page"] == "2"
    assert not second.meta.get("first_page")          # page 2 brings records of its own
    body = ("<datastore><totalrecord>3</totalrecord><totalpage>3</totalpage><recordset><record><![CDATA["
            '<li><a href="/art/2024/3/1/art_88_2.html">武陵县2023年法治政府建设年度报告</a></li>]]></record>'
            "</recordset></datastore>")
    answer = scrapy.http.XmlResponse(second.url, body=body.encode(), encoding="utf-8", request=second)
    (third,) = hanweb.more_pages(answer)
    assert dict(parse_qsl(urlsplit(third.url).query))["page"] == "3"
    last = scrapy.http.XmlResponse(third.url, body=body.encode(), encoding="utf-8", request=third)
    assert hanweb.more_pages(last) == []            # a generated page asks nothing more


def test_a_title_that_opens_with_the_year_names_its_issuer_after_it():
    assert issuer_type("2021年武陵县法治政府建设情况报告", "武陵县司法局") == "government"
    assert issuer_type("2021年武陵县司法局法治政府建设情况报告", "武陵县人民政府") == "department"
    assert issuer_type("2021年度政府信息公开工作年度报告", "武陵县司法局") == "department"   # names no one


def test_a_file_linked_from_a_list_takes_the_date_its_row_shows():
    rows = Selector(text="""<ul><li><a href="./P020200106000695713.pdf">武陵县2019年政府信息公开工作年度报告</a>
    <span class="date">2020年01月06日</span></li><li><a href="./t20200107_2.html">武陵县2019年法治政府建设年度报告</a>
    <span>2020-01-07</span></li></ul>""")
    dated = {e.url.rsplit("/", 1)[-1]: e.date for e in anchors(rows, HOME + "zwgk/")}
    assert dated == {"P020200106000695713.pdf": "2020-01-06", "t20200107_2.html": None}   # a page has its own
    report = extract_report(HOME + "zwgk/P020200106000695713.pdf", None,
                            list_title="武陵县2019年政府信息公开工作年度报告", list_date="2020-01-06")
    assert report["published_date"] == "2020-01-06"
    page = extract_report(HOME + "zwgk/t1.html", "<html><body><h1>武陵县2019年法治政府建设年度报告</h1></body></html>",
                          list_date="2020-01-06")
    assert page["published_date"] is None           # only a bare file borrows the list's date


def test_a_script_file_or_menu_config_read_as_part_of_a_page_is_size_capped():
    site = Site(name="wl", start_urls=(HOME,), scope="domain")
    spider = ReportsSpider.from_crawler(get_crawler(ReportsSpider, {}), sites=[site])

    async def collect():
        return [r async for r in spider.start()]
    (home,) = asyncio.run(collect())
    markup = ('<html><head><script src="/static/js/header.js"></script><script src="http://www.other.gov.cn/js/nav.js">'
              '</script></head><body><div id="header"></div></body></html>')
    requests = list(spider.parse_list(HtmlResponse(home.url, body=markup.encode(), encoding="utf-8", request=home)))
    (script,) = requests                             # the other government's file is never asked
    assert script.url == HOME + "static/js/header.js" and script.meta["loaded"]
    assert script.meta["download_maxsize"] == MAX_LOADED_BYTES < 40 * 1024 * 1024


def test_a_column_named_like_a_report_is_a_column_and_its_sub_columns_name_their_owner():
    # 云南's catalogues call the column 法治政府建设年度情况报告: no year, no issuer — a column, not a report
    for name in ("法治政府建设年度情况报告", "法治政府建设工作情况报告", "法治政府建设年度工作报告"):
        assert column_kind(name) == FZ and link_kind(name) is None, name
    assert link_kind("武陵县人民政府2024年度法治政府建设年度情况报告") == FZ
    # the 年报 column's tabs: 市级部门年报, 乡镇（街道）年报 hold the departments' and townships' reports
    assert column_kind("市级部门年报") == XXGK and column_kind("区级部门政府信息公开年度报告") == XXGK
    assert column_kind("乡镇（街道）年报") == XXGK
    assert column_kind("统计年报") is None and column_kind("市州年报") is None


def test_a_yifa_xingzheng_column_is_read_while_the_fz_column_is_unfound():
    # 依法行政, the 法治 topic's name before 2015, is where many catalogues still file the 法治政府建设
    # report when they keep no column for it; beside a 法治政府建设年度报告 column it is only a topic
    catalogue = [Entry(HOME + "xxgk/list.jsp?catid=31", "依法行政"), Entry(HOME + "xxgk/list.jsp?catid=40", "政府信息公开年报")]
    assert is_catch_all("依法行政") and column_kind("依法行政") is None
    assert next_links(HOME + "xxgk/", catalogue, 1, 4, False, set()) == \
        ([HOME + "xxgk/list.jsp?catid=40"], [HOME + "xxgk/list.jsp?catid=31"])
    both = catalogue + [Entry(HOME + "xxgk/list.jsp?catid=32", "法治政府建设年度报告")]
    assert next_links(HOME + "xxgk/", both, 1, 4, False, set())[1] == []
    assert link_kind("2014年度依法行政工作报告") is None   # the pre-2015 report stays a look-alike


def test_a_clickable_tile_is_named_by_its_heading_not_its_caption():
    page = """<div class="gk-grid"><div class="gk-item" onclick="window.location.href='/zfxxgk/'">
      <i class="icon-gk"></i><h4>政府信息公开</h4><span>公开指南 · 公开目录 · 公开年报</span></div>
    <div class="gk-item" onclick="window.location.href='/zcjd/'"><h4>政策解读</h4><span>图解 · 问答</span></div>
    <li class="tab" data-url="/zfxxgk/fdzdgk/"><strong>法定主动公开内容</strong><em>按主题、按机构</em></li>
    <button onclick="location.href='/hdjl/'">互动 交流</button></div>"""
    links = found(page)
    assert links[HOME + "zfxxgk/"] == "政府信息公开" and is_hub(links[HOME + "zfxxgk/"])
    assert links[HOME + "zfxxgk/fdzdgk/"] == "法定主动公开内容"
    assert links[HOME + "zcjd/"] == "政策解读" and links[HOME + "hdjl/"] == "互动 交流"   # no heading: all its text


def test_a_catalogues_catch_all_columns_are_read_while_a_report_type_is_unfound():
    catalogue = [Entry(HOME + "zwgk/jgzn/", "机构职能"), Entry(HOME + "zwgk/qtfdgkxx/", "其他法定公开信息"),
                 Entry(HOME + "zwgk/gzbg/", "工作报告"), Entry(HOME + "zwgk/zfgzbg/", "政府工作报告"),
                 Entry(HOME + "zwgk/nb/", "政府信息公开年报")]
    assert next_links(HOME + "zwgk/", catalogue, 1, 5, False, set()) == (
        [HOME + "zwgk/nb/"], [HOME + "zwgk/qtfdgkxx/", HOME + "zwgk/gzbg/"])
    # both columns found: nothing sends the crawl into a catch-all any more
    other = [Entry(HOME + "zwgk/qtzdgkxx/", "其他主动公开信息"), Entry(HOME + "zwgk/jgzn/", "机构职能")]
    assert next_links(HOME + "zwgk/fd/", other, 2, 5, False, {FZ, XXGK}) == ([], [])
    assert next_links(HOME + "zwgk/fd/", other, 2, 5, False, {XXGK}) == ([], [HOME + "zwgk/qtzdgkxx/"])


def test_a_report_column_that_lists_reports_still_leads_to_its_sub_columns():
    spider = ReportsSpider.from_crawler(get_crawler(ReportsSpider, {}),
                                        sites=[Site(name="wl", start_urls=(HOME + "zfxxgk/nb/",), scope="domain")])

    async def collect():
        return [r async for r in spider.start()]
    (column,) = asyncio.run(collect())
    column = column.replace(meta={**column.meta, "kind": XXGK})
    body = """<div class="side"><ul><li class="on"><a href="/zfxxgk/nb/">县政府年报</a></li>
    <li><a href="/zfxxgk/nb/bm/">部门年报</a></li><li><a href="/zfxxgk/nb/xz/">乡镇（街道）年报</a></li>
    <li><a href="/zfxxgk/zcjd/">政策解读</a></li></ul></div><ul class="list">
    <li><a href="/zfxxgk/nb/202503/t1.html">武陵县2024年政府信息公开工作年度报告</a><span>2025-03-20</span></li></ul>"""
    requests = list(spider.parse_list(html(column.url, body).replace(request=column)))
    assert [r.url for r in requests if r.meta["role"] == "report"] == [HOME + "zfxxgk/nb/202503/t1.html"]
    assert [(r.url, r.meta["kind"]) for r in requests if r.meta["role"] == "list"] == [
        (HOME + "zfxxgk/nb/bm/", XXGK), (HOME + "zfxxgk/nb/xz/", XXGK)]


# -- the fifth hold-out round's patterns (issue 11): POST-only continuations, tab panes, 加载更多 --

JPAGE_ONE_PAGE = """<html><body><div class="lm-list" id="5112"><script type="text/xml"><datastore><recordset>
<record><![CDATA[<li><a href="/art/2025/3/20/art_3301_9.html" title="武陵市2024年政府信息公开工作年度报告">武陵市2024年政府信息公开工作年度报告</a><b>2025-03-20</b></li>]]></record>
<record><![CDATA[<li><a href="/art/2024/3/22/art_3301_8.html" title="武陵市2023年政府信息公开工作年度报告">武陵市2023年政府信息公开工作年度报告</a><b>2024-03-22</b></li>]]></record>
</recordset></datastore></script></div>
<script src="/module/web/jpage/jpage.js"></script><script>$(function(){ $('#5112').jpage({ dataStore: null,
  perPage: 2, totalRecord: 11, groupSize: 2, barPosition: 'bottom', proxyUrl: '/module/web/jpage/dataproxy.jsp',
  ajaxParam: { col: 1, appid: 1, webid: 77, path: '/', columnid: 3301, sourceContentType: 1, unitid: '5112',
  webname: '武陵市人民政府', permissiontype: 0 } }); });</script></body></html>"""


def test_a_jpage_column_inlining_one_page_is_continued_by_post_from_its_first_missing_record():
    """One page inlined (2 records where a group is 2 × 2), no nextgroup link: the rest only by POST."""
    requests = HanwebAdapter().more_pages(html(HOME + "col/col3301/index.html", JPAGE_ONE_PAGE))
    assert [(r.method, urlsplit(r.url).query) for r in requests] == [
        ("POST", "startrecord=3&endrecord=6&perpage=2"), ("POST", "startrecord=7&endrecord=10&perpage=2"),
        ("POST", "startrecord=11&endrecord=14&perpage=2")]
    form = dict(parse_qsl(requests[0].body.decode()))
    assert form["columnid"] == "3301" and form["unitid"] == "5112" and form["webid"] == "77"
    # every record inlined: nothing to ask
    whole = JPAGE_ONE_PAGE.replace("totalRecord: 11", "totalRecord: 2")
    assert HanwebAdapter().more_pages(html(HOME + "col/col3301/index.html", whole)) == []


def test_a_fujian_search_answer_wrapping_its_records_with_plain_keys_is_read():
    """`{"data": {"total": 12, "rows": 5, "docs": [{"title", "url", "pubDate"}]}}` beside the
    `{"data": [{"doctitle", "chnldocurl"}]}` answers the adapter was written for."""
    adapter = JiyueAdapter()
    args = {"channelid": "300100", "classsql": "chnlid=411", "sortfield": "-docreltime", "prepage": 5,
            "records": 0, "static": 1}
    asked = jiyue_request(HOME, args, 2)
    body = json.dumps({"code": 0, "msg": "ok", "data": {"total": 12, "page": 2, "rows": 5, "docs": [
        {"title": "武陵市2020年政府信息公开工作年度报告", "url": "/zwgk/nb/202103/t20210320_3.htm",
         "pubDate": "2021-03-20 10:00:00", "chnlName": "年报"},
        {"title": "武陵市2019年政府信息公开工作<em>年度报告</em>", "url": "http://www.wl.gov.cn/zwgk/nb/202003/t20200320_2.htm"}]}},
        ensure_ascii=False)
    answer = TextResponse(asked.url, body=body.encode(), encoding="utf-8", request=asked,
                          headers={"Content-Type": "application/json"})
    assert [(e.url, e.title) for e in adapter.entries(answer)] == [
        (HOME + "zwgk/nb/202103/t20210320_3.htm", "武陵市2020年政府信息公开工作年度报告"),
        (HOME + "zwgk/nb/202003/t20200320_2.htm", "武陵市2019年政府信息公开工作年度报告")]
    # no pageCount: total over rows says 3 pages, the third is asked for
    assert [dict(parse_qsl(r.body.decode()))["page"] for r in adapter.more_pages(answer)] == ["3"]
    # nor a size in the answer: the listModel's prepage (5) is the page size, not the two records
    # this page happens to hold — 12 records are 3 pages, not 6
    sizeless = json.loads(body)
    del sizeless["data"]["rows"]
    answer = TextResponse(asked.url, body=json.dumps(sizeless, ensure_ascii=False).encode(), encoding="utf-8",
                          request=asked, headers={"Content-Type": "application/json"})
    assert [dict(parse_qsl(r.body.decode()))["page"] for r in adapter.more_pages(answer)] == ["3"]


def test_a_load_more_link_is_the_next_page_of_its_column():
    """加载更多 as a plain link to the next static page (the script appends its rows)."""
    page = html(HOME + "zwgk/gzbg/index.html", """<ul class="news"><li><a href="./202403/t1.html">
    武陵市2023年法治政府建设年度报告</a><span>2024-03-20</span></li></ul>
    <div class="load-more"><a href="./index_1.html" class="btn">点击加载更多</a></div>
    <div class="side"><a href="/zwgk/zcjd/">查看更多</a></div>""")
    assert [r.url for r in GenericAdapter().more_pages(page)] == [HOME + "zwgk/gzbg/index_1.html"]


MORE_SHELL = """<html><body><h3>政府信息公开工作年度报告</h3><ul id="rows">
<li><a href="/Info/5101.html">武陵县2024年政府信息公开工作年度报告</a><span>2025-01-20</span></li>
<li><a href="/Info/5102.html">武陵县2023年政府信息公开工作年度报告</a><span>2024-01-22</span></li>
<li><a href="/Info/5103.html">武陵县2022年政府信息公开工作年度报告</a><span>2023-01-19</span></li></ul>
<p class="more"><a href="javascript:void(0)" onclick="more()">加载更多</a></p>
<script>var page = 1;
function more() { page += 1; $.get("/Handler/Articles.ashx", {cid: 77, page: page, rows: 3},
  function (html) { if (html) { $("#rows").append(html); } else { $(".more").hide(); } }); }</script></body></html>"""


def more_rows(request, titles):
    rows = "".join(f'<li><a href="/Info/{5100 + i}.html">{t}</a><span>20{i:02d}-01-10</span></li>'
                   for i, t in enumerate(titles, 10))
    return HtmlResponse(request.url, body=rows.encode(), encoding="utf-8", request=request)


def test_a_load_more_button_appending_html_rows_is_asked_page_after_page_until_a_short_answer():
    """加载更多 under a column's first rows, its handler raising a page counter before it asks a
    service for HTML rows to append (`page += 1; $.get("/Handler/Articles.ashx", {cid, page, rows: 3})`):
    the first click asks page 2 — page 1 is the rows the page shows — and each full answer (3 rows)
    the next; an answer short of the page size is the last. No count is announced."""
    adapter = JsonListAdapter()
    page = html(HOME + "Category/77.html", MORE_SHELL)
    assert adapter_for(page).name == "jsonlist" and len(adapter.entries(page)) == 3
    (second,) = adapter.more_pages(page)
    assert urlsplit(second.url).path == "/Handler/Articles.ashx" and second.method == "GET"
    assert parse_qsl(urlsplit(second.url).query) == [("cid", "77"), ("page", "2"), ("rows", "3")]
    full = more_rows(second, [f"武陵县{y}年政府信息公开工作年度报告" for y in (2021, 2020, 2019)])
    assert [e.url for e in adapter.entries(full)][0] == HOME + "Info/5110.html"
    (third,) = adapter.more_pages(full)
    assert dict(parse_qsl(urlsplit(third.url).query))["page"] == "3"
    assert adapter.more_pages(more_rows(third, ["武陵县2018年政府信息公开工作年度报告"])) == []   # short: the end
    assert adapter.more_pages(more_rows(third, [])) == []                                       # empty: the end
    news = more_rows(second, [f"武陵县召开第{n}次常务会议" for n in (1, 2, 3)])
    assert adapter.more_pages(news) == []          # a news box's rows, no report column: not read through
    # `{page: ++page}` likewise asks page 2 first; a counter raised only after the answer asks page 1
    assert api_call(MORE_SHELL.replace("page += 1; ", "").replace("page: page", "page: ++page"))["first"] == 2
    later = MORE_SHELL.replace("page += 1; ", "").replace("$(\".more\").hide(); }", "$(\".more\").hide(); } page++;")
    assert api_call(later)["first"] == 1


def test_a_column_split_into_tab_panes_lists_every_pane():
    """Year tabs (or 本级 / 部门 tabs) over panes of one page, all but one hidden: every pane is
    the column's list, not only the fullest one; boxes of a page that are all shown stay apart."""
    page = Selector(text="""<ul class="tabs"><li class="on" onclick="show(0)">2024年</li>
    <li onclick="show(1)">2023年</li><li onclick="show(2)">2022年</li></ul><div class="tab-content">
    <div class="tab-pane active"><ul><li><a href="./2025/t1.html">武陵市2024年法治政府建设年度报告</a><i>2025-03-21</i></li></ul></div>
    <div class="tab-pane" style="display: none"><ul>
      <li><a href="./2024/t1.html">武陵市2023年法治政府建设年度报告</a><i>2024-03-21</i></li>
      <li><a href="./2024/t2.html">关于开展2023年度法治政府建设考核的通知</a><i>2024-03-22</i></li>
      <li><a href="./2024/t3.html">《武陵市2023年法治政府建设年度报告》解读</a><i>2024-03-23</i></li></ul></div>
    <div class="tab-pane" style="display: none"><ul><li><a href="./2023/t1.html">武陵市2022年法治政府建设年度报告</a><i>2023-03-21</i></li></ul></div>
    </div>""")
    titles = [e.title for e in main_list(page, HOME + "zwgk/fzzf/")]
    assert "武陵市2024年法治政府建设年度报告" in titles and "武陵市2022年法治政府建设年度报告" in titles
    assert len(titles) == 5
    # two shown boxes of one class: the dated list alone
    boxes = Selector(text='<div class="box"><ul><li><a href="/a/1.html">武陵市2024年法治政府建设年度报告</a>'
                          '<i>2025-03-20</i></li><li><a href="/a/2.html">武陵市2023年法治政府建设年度报告</a>'
                          '<i>2024-03-20</i></li></ul></div><div class="box"><ul><li><a href="/b/1.html">'
                          '武陵市政务服务中心办事指南</a></li></ul></div>')
    assert [e.url for e in main_list(boxes, HOME)] == [HOME + "a/1.html", HOME + "a/2.html"]


def test_a_sibling_host_named_by_the_governments_short_name_and_a_disclosure_label_is_the_portals():
    """`<a href="http://wlzfxxgk.wl.gov.cn/">政务公开</a>`: the 政务公开 host written as the short name
    plus zfxxgk — the portal's own host; a department's or a district's host under it is not."""
    site = Site(name="wl", start_urls=(HOME,), scope="domain")
    assert {"wlzfxxgk.wl.gov.cn", "wlxxgk.wl.gov.cn", "wlzwgk.wl.gov.cn"} <= site.hosts
    assert not {"sfjxxgk.wl.gov.cn", "sfj.wl.gov.cn", "xxgk.sfj.wl.gov.cn", "wlzfxxgk.gov.cn",
                "wlzfxxgk.wlx.gov.cn", "wl.gov.cn.example.com"} & site.hosts
    assert government_domain("wlzfxxgk.wl.gov.cn") == "wl.gov.cn"
    assert government_domain("wlzfxxgk.gov.cn") == "wlzfxxgk.gov.cn"   # a registrable name stays whole


CONCAT_SHELL = """<html><body><ul class="news-list" id="dataList"></ul><div class="pagination" id="pager"></div>
<script type="text/javascript">
var columnApi = '/api-gateway/publish/front/page/build/unit?webId=3&pageId=27&pageNo=';
var curPage = 1;
function getData(p) {
  $.getJSON(columnApi + p + '&pageSize=15', function (res) {
    var html = '';
    $.each(res.data.list, function (i, item) {
      html += '<li><a href="' + item.url + '" target="_blank">' + item.title + '</a><span>' + item.publishTime + '</span></li>';
    });
    $('#dataList').html(html);
    initPager(res.data.totalPage, p);
  });
}
getData(curPage);
</script></body></html>"""


def test_a_list_whose_page_number_is_concatenated_into_the_service_address_is_read_through_it():
    """`$.getJSON(api + p + "&pageSize=15")`: the page number written into the address's query."""
    page = html(HOME + "zfxxgk/fzzfjsndbg/index.html", CONCAT_SHELL)
    adapter = JsonListAdapter()
    assert adapter_for(page).name == "jsonlist"
    (first,) = adapter.more_pages(page)
    parts = urlsplit(first.url)
    assert parts.path == "/api-gateway/publish/front/page/build/unit"
    assert parse_qsl(parts.query) == [("webId", "3"), ("pageId", "27"), ("pageNo", "1"), ("pageSize", "15")]
    answer = ('{"code": 200, "data": {"totalPage": 3, "list": [{"title": "武陵县2024年法治政府建设年度报告", '
              '"url": "/zfxxgk/fzzfjsndbg/202503/t20250320_1.html", "publishTime": "2025-03-20"}]}}')
    later = adapter.more_pages(TextResponse(first.url, body=answer.encode(), encoding="utf-8", request=first))
    assert [dict(parse_qsl(urlsplit(r.url).query))["pageNo"] for r in later] == ["2", "3"]
    # written in one expression too; a piece only the running page knows (a session id) is no call to repeat
    assert api_call('<script>$.ajax({url: "/api/list?cid=8&page=" + n, success: show});</script>')["page"] == "page"
    assert api_call('<script>$.getJSON("/api/list?sid=" + sid + "&page=" + n, show);</script>') is None
    # the bare start of the address ('…pageNo=') is never asked as a menu the page loads
    literal = found('<script>function load(n){ $.getJSON("/api/unit?pageId=27&pageNo=" + n, show); } load(1);</script>')
    assert not [url for url in literal if "/api/" in url]


PATH_PAGED_SHELL = """<html><body><div class="crumb">首页 &gt; 法定主动公开内容 &gt; 政府信息公开年报</div>
<ul class="art-list" id="artList"></ul><div id="pages"></div>
<script src="/static/js/jquery.js"></script><script>
var channelId = 31207;
function loadPage(pageNo) {
  $.getJSON("/data/channel/" + channelId + "/list_" + pageNo + ".json", function (res) {
    var s = "";
    $.each(res.records, function (i, r) { s += '<li><a href="' + r.href + '">' + r.title + '</a><i>' + r.pubDate + '</i></li>'; });
    $("#artList").html(s); drawPager(res.totalPages, pageNo);
  });
}
loadPage(1);
</script></body></html>"""


def test_a_list_kept_as_one_file_per_page_is_read_through_its_path():
    """`$.getJSON("/data/channel/" + channelId + "/list_" + pageNo + ".json")`: a static list service
    with the page number in the path (the column id a number the script assigned): page 1 asked as
    the script asks it, pages 2…N once the answer tells N."""
    page = html(HOME + "zfxxgk/nb/index.html", PATH_PAGED_SHELL)
    adapter = JsonListAdapter()
    assert adapter_for(page).name == "jsonlist"
    (first,) = adapter.more_pages(page)
    assert first.url == HOME + "data/channel/31207/list_1.json"
    answer = ('{"totalPages": 3, "records": [{"title": "武陵县2024年政府信息公开工作年度报告", '
              '"href": "/zfxxgk/nb/202503/t20250320_7.html", "pubDate": "2025-03-20"}]}')
    first_page = TextResponse(first.url, body=answer.encode(), encoding="utf-8", request=first)
    assert [e.url for e in adapter.entries(first_page)] == [HOME + "zfxxgk/nb/202503/t20250320_7.html"]
    assert [r.url for r in adapter.more_pages(first_page)] == [HOME + "data/channel/31207/list_2.json",
                                                               HOME + "data/channel/31207/list_3.json"]
    # a path piece named for something else (an id only the running page knows) is no page: no call
    assert api_call('<script>$.getJSON("/data/channel/" + cid + "/list_" + pageNo + ".json", show);</script>') is None
    assert api_call('<script>$.getJSON("/data/user/" + uid + ".json", show);</script>') is None


FUJIAN_LIST = """<html><head><script>var SiteInfo = {siteId: "4", searchId: "200210"};</script></head><body>
<div class="gl_list"><ul><li><a href="./202503/t20250310_97791.htm" title="武陵县2024年政府信息公开工作年度报告">
武陵县2024年政府信息公开工作年度报告</a><span>2025-03-10</span></li></ul></div><div class="pagebar" id="pagebar"></div>
<script>
require(["list2.trsapi", "tools"], function (listModel) {
  listModel({quickMode: "动静结合", maxStaticIndex: 3,
    listArgs: {channelid: SiteInfo.searchId, classsql: "" || "chnlid=1813", sortfield: "-docorderpri,-docreltime"},
    pagebar: {prepage: 15, recordCount: 'RECORDS', pgTemp: "pgBar.html"}});
});
</script></body></html>"""


def test_a_dynamic_static_list_asks_its_static_pages_before_the_search_api():
    """福建 集约化 "动静结合": pages 1…maxStaticIndex are static files (index_1.htm …), named by no link."""
    column = HOME + "zwgk/zfxxgknb/index.htm"
    adapter = JiyueAdapter()
    three = html(column, FUJIAN_LIST.replace("RECORDS", "45"))   # 3 pages, all static
    assert adapter_for(three).name == "jiyue"
    assert [r.url for r in adapter.more_pages(three)] == [HOME + "zwgk/zfxxgknb/index_1.htm",
                                                         HOME + "zwgk/zfxxgknb/index_2.htm"]
    four = adapter.more_pages(html(column, FUJIAN_LIST.replace("RECORDS", "60")))   # the 4th from the API
    assert [(r.method, r.url.rsplit("/", 1)[-1]) for r in four] == [
        ("GET", "index_1.htm"), ("GET", "index_2.htm"), ("POST", "search")]
    # a later static page asks no static page again
    later = adapter.more_pages(html(HOME + "zwgk/zfxxgknb/index_1.htm", FUJIAN_LIST.replace("RECORDS", "60")))
    assert [r.method for r in later] == ["POST"]
    # SiteInfo kept in a script file: the channel is unknown, the API cannot be asked, the static pages can
    unnamed = FUJIAN_LIST.replace("RECORDS", "60").replace('searchId: "200210"', 'theme: "blue"')
    assert [r.url for r in adapter.more_pages(html(column, unnamed))] == [HOME + "zwgk/zfxxgknb/index_1.htm",
                                                                        HOME + "zwgk/zfxxgknb/index_2.htm"]


def test_the_justice_bureaus_files_are_read_while_the_rule_of_law_column_is_unfound():
    """No 法治 column: the report is filed among the 司法局's files (部门文件 › 武陵县司法局)."""
    catalogue = [Entry(HOME + "zwgk/jgzn/", "机构职能"), Entry(HOME + "zwgk/bmwj/", "部门文件"),
                 Entry(HOME + "zwgk/zfxxgknb/", "政府信息公开年报")]
    assert next_links(HOME + "zwgk/fdzdgk/", catalogue, 2, 5, False, set()) == (
        [HOME + "zwgk/zfxxgknb/"], [HOME + "zwgk/bmwj/"])
    bureaus = [Entry(HOME + "zwgk/fgw/", "武陵县发展和改革局"), Entry(HOME + "zwgk/sfj/", "武陵县司法局"),
               Entry(HOME + "zwgk/jyj/", "县教育局"), Entry(HOME + "zwgk/sft/", "湖南省司法厅")]
    assert next_links(HOME + "zwgk/bmwj/", bureaus, 3, 5, False, {XXGK}) == (
        [], [HOME + "zwgk/sfj/", HOME + "zwgk/sft/"])
    # the 法治 column found: no department's files are read; nor from the home page (its bureaus' own sites)
    assert next_links(HOME + "zwgk/bmwj/", bureaus, 3, 5, False, {FZ}) == ([], [])
    assert next_links(HOME, [Entry("http://www.wl.gov.cn/sfj/", "县司法局")], 0, 5, False, set()) == ([], [])
    # a bureau's news, a 司法所 or a look-alike column is no such file column
    assert not [t for t in ("司法局工作动态", "司法所", "普法宣传", "部门预决算") if next_links(
        HOME + "zwgk/bmwj/", [Entry(HOME + "x/", t)], 3, 5, False, set())[1]]


def test_an_address_linked_under_several_names_is_what_its_most_telling_name_says():
    # a 政务公开 page linking its one catalogue page under four menu names, the guide's first
    page = """<div class="zwgk"><ul><li><a href="/zwgk/xxgk/">政府信息公开指南</a></li>
      <li><a href="/zwgk/xxgk/">政府信息公开制度</a></li><li><a href="/zwgk/xxgk/">法定主动公开内容</a></li>
      <li><a href="/zwgk/nb/">政策解读</a></li><li><a href="/zwgk/nb/">政府信息公开年报</a></li>
      <li><a href="/zwgk/zn/">政府信息公开指南</a></li></ul></div>"""
    links = found(page)
    assert links[HOME + "zwgk/xxgk/"] == "法定主动公开内容" and is_hub(links[HOME + "zwgk/xxgk/"])
    assert links[HOME + "zwgk/nb/"] == "政府信息公开年报"            # a column's name beats a look-alike's
    assert links[HOME + "zwgk/zn/"] == "政府信息公开指南" and not is_hub("政府信息公开指南")
    assert [e.url for e in anchors(Selector(text=page), HOME)] == [
        HOME + "zwgk/xxgk/", HOME + "zwgk/nb/", HOME + "zwgk/zn/"]   # lists still take each address once


def test_a_column_of_the_counties_reports_is_a_column_not_a_report():
    """A city's catalogue keeps its counties' own 年报 in a column of their own (区县政府信息公开年报,
    各县（市、区）年报): no year, no issuer — a column. Taken for a report link, it made the catalogue
    a list page, and the city's own two columns beside it were never opened."""
    markup = """<div class="zdgk"><h3>主动公开</h3><ul>
      <li><a href="/xxgk/list.jsp?catid=1101">区县政府信息公开年报</a></li>
      <li><a href="/xxgk/list.jsp?catid=1102">政策解读</a></li>
      <li><a href="/xxgk/list.jsp?catid=1103">政府信息公开工作年度报告</a></li>
      <li><a href="/xxgk/list.jsp?catid=1104">法治政府建设年度报告</a></li></ul></div>"""
    entries = page_links(Selector(text=markup), HOME + "xxgk/index.jsp")
    assert not [e for e in entries if link_kind(e.title)]
    assert column_links(entries) == {HOME + "xxgk/list.jsp?catid=1101": XXGK,
                                     HOME + "xxgk/list.jsp?catid=1103": XXGK,
                                     HOME + "xxgk/list.jsp?catid=1104": FZ}
    assert column_kind("各县（市、区）政府信息公开年度报告") == XXGK and column_kind("县市区年报") == XXGK
    assert link_kind("奎文区人民政府2024年度政府信息公开工作年度报告") == XXGK   # its entries stay reports



def test_a_leagues_tab_of_its_banners_reports_is_a_column():
    """In 内蒙古 a 盟's or a city's counties are 旗 and 区: its 年报 column's tabs read 盟本级 /
    旗区年报 (旗县区年报, 旗县市区政府信息公开年报) — the counties' own reports, a column of its kind
    like 县区年报, followed from the column's page; its entries stay reports."""
    markup = """<div class="main"><div class="tab"><a href="/zwgk/nb/index.html">盟本级</a>
      <a href="/zwgk/nb/qx/index.html">旗县区年报</a></div><ul class="list">
      <li><a href="/zwgk/nb/bj/202503/t20250310_1.html">某某盟行政公署2024年政府信息公开工作年度报告</a></li></ul></div>"""
    entries = page_links(Selector(text=markup), HOME + "zwgk/nb/index.html")
    assert column_links(entries) == {HOME + "zwgk/nb/qx/index.html": XXGK}
    assert column_kind("旗区年报") == XXGK and column_kind("旗县市区政府信息公开年报") == XXGK
    assert link_kind("某某左旗人民政府2024年政府信息公开工作年度报告") == XXGK

JPAGE_CONFIG_PAGE = """<html><body><div class="bt-list"><div id="6120">
<script type="text/xml"><datastore>
<nextgroup><![CDATA[<a href="/module/web/jpage/dataproxy.jsp?startrecord=6&endrecord=10&perpage=5"></a>]]></nextgroup>
<recordset>
<record><![CDATA[<li><a href="/art/2025/3/20/art_4410_9001.html" title="武陵市2024年政府信息公开工作年度报告">武陵市2024年政府信息公开工作年度报告</a><span>2025-03-20</span></li>]]></record>
<record><![CDATA[<li><a href="/art/2024/3/18/art_4410_8001.html">武陵市2023年政府信息公开工作年度报告</a><span>2024-03-18</span></li>]]></record>
<record><![CDATA[<li><a href="/art/2023/3/22/art_4410_7001.html">武陵市2022年政府信息公开工作年度报告</a><span>2023-03-22</span></li>]]></record>
<record><![CDATA[<li><a href="/art/2022/3/25/art_4410_6001.html">武陵市2021年政府信息公开工作年度报告</a><span>2022-03-25</span></li>]]></record>
<record><![CDATA[<li><a href="/art/2021/3/30/art_4410_5001.html">武陵市2020年政府信息公开工作年度报告</a><span>2021-03-30</span></li>]]></record>
</recordset></datastore></script></div>
<script type="text/javascript">
var jpage_6120 = {
    proxyUrl: '/module/web/jpage/dataproxy.jsp', perPage: 5, totalRecord: 14,
    ajaxParam: {col: 1, appid: 1, webid: 31, path: '/', columnid: 4410, sourceContentType: 1, unitid: 6120,
                webname: '武陵市人民政府', permissiontype: 0}
};
$(function () { $('#6120').jpage(jpage_6120); });
</script></div></body></html>"""


def test_a_jpage_config_object_and_its_nextgroup_link_are_continued_by_post():
    """jpage's options kept in a config object (`var jpage_6120 = {proxyUrl…, ajaxParam…}`) handed
    to `.jpage(jpage_6120)`, and a nextgroup link naming the next record range: jpage.js POSTs that
    range with the ajaxParam form (a GET of the link answers nothing), then the ranges after it."""
    requests = HanwebAdapter().more_pages(html(HOME + "col/col4410/index.html", JPAGE_CONFIG_PAGE))
    assert [(r.method, urlsplit(r.url).query) for r in requests] == [
        ("POST", "startrecord=6&endrecord=10&perpage=5"), ("POST", "startrecord=11&endrecord=15&perpage=5")]
    form = dict(parse_qsl(requests[0].body.decode()))
    assert form["columnid"] == "4410" and form["unitid"] == "6120" and form["webid"] == "31"


# -- national19's mechanisms ------------------------------------------------------------------

PROXY_PAGER_COLUMN = """<html><body><h2 class="lm">政府信息公开年报</h2><div id="8850">
<script type="text/xml"><datastore>
<nextgroup><![CDATA[<a href="/module/web/jpage/dataproxy.jsp?page=1&appid=1&webid=3&path=/&columnid=8850&unitid=2"></a>]]></nextgroup>
<recordset>
<record><![CDATA[<li><a href="/art/2025/2/8/art_8850_31.html">武陵市2024年政府信息公开工作年度报告</a><span>2025-02-08</span></li>]]></record>
<record><![CDATA[<li><a href="/art/2024/2/6/art_8850_22.html">武陵市2023年政府信息公开工作年度报告</a><span>2024-02-06</span></li>]]></record>
<record><![CDATA[<li><a href="/art/2023/2/9/art_8850_13.html">武陵市2022年政府信息公开工作年度报告</a><span>2023-02-09</span></li>]]></record>
</recordset></datastore></script>
<script type="text/javascript">
  var listParam = { col: 1, appid: 1, webid: 3, path: '/', columnid: 8850, sourceContentType: 1, unitid: 2,
                    webname: '武陵市人民政府', permissiontype: 0 };
  var totalRecord = 8;
  var pager = new ListPager({ url: '/module/web/jpage/dataproxy.jsp', perpage: 3, param: listParam, el: '#8850' });
</script></div></body></html>"""


def test_a_column_templates_own_pager_over_the_jpage_proxy_is_continued_by_post_a_page_at_a_time():
    """A 大汉 column template that pages its datastore with a pager of its own rather than jpage
    (`new ListPager({url: '/module/web/jpage/dataproxy.jsp', perpage: 3, param: listParam})`, the form
    in the object the option names, the record count in the page's `var totalRecord`): the browser
    POSTs the proxy a page at a time with that form — the records after those inlined, up to the
    count — never the nextgroup link, whose GET answers the first page again."""
    requests = HanwebAdapter().more_pages(html(HOME + "col/col8850/index.html", PROXY_PAGER_COLUMN))
    assert [(r.method, urlsplit(r.url).query) for r in requests] == [
        ("POST", "startrecord=4&endrecord=6&perpage=3"), ("POST", "startrecord=7&endrecord=8&perpage=3")]
    form = dict(parse_qsl(requests[0].body.decode()))
    assert form["columnid"] == "8850" and form["webid"] == "3" and form["unitid"] == "2"
    # a pager with no form object naming a column is no call to repeat: the nextgroup link is still the way on
    bare = PROXY_PAGER_COLUMN.replace("columnid: 8850, ", "")
    (link,) = HanwebAdapter().more_pages(html(HOME + "col/col8850/index.html", bare))
    assert link.method == "GET" and "page=1" in link.url


def test_a_dtree_catalogues_nodes_are_links():
    """大汉 信息公开 catalogues draw their tree with dTree (`d.add(id, parentId, name, url)`) in a
    tree.jsp frame: no anchor in the markup, the nodes' names and addresses are the call's strings.
    A call whose strings are no name and address (a message, an id) draws no link."""
    tree = """<div class="dtree"><script type="text/javascript">
      var t = new dTree('t');
      t.add(0, -1, '信息公开目录');
      t.add(11, 0, '法定主动公开内容', '/col/col2001/index.html');
      t.add(12, 11, '法治政府建设年度报告', '/col/col2010/index.html', '', 'rightFrame');
      t.add(13, 11, '政府信息公开年报', "/col/col2011/index.html");
      document.write(t);
      alert('请选择栏目');
    </script></div>"""
    links = found(tree, HOME + "module/xxgk/tree.jsp?divid=div1")
    assert links == {HOME + "col/col2001/index.html": "法定主动公开内容", HOME + "col/col2010/index.html": "法治政府建设年度报告",
                     HOME + "col/col2011/index.html": "政府信息公开年报"}
    assert column_links([Entry(u, t) for u, t in links.items()]) == {HOME + "col/col2010/index.html": FZ,
                                                                    HOME + "col/col2011/index.html": XXGK}


def test_a_stubs_jump_is_followed_though_its_noscript_link_names_the_same_page():
    """A home page that is a stub (`location.href = "/site/index.html"`) often prints a way in for
    readers without script (`<noscript><a href="/site/index.html">进入首页</a></noscript>`): the browser
    lands on the page at once, so the address is the stub's content (no hop spent), not a link named
    进入首页 that leads to no column. A link naming a hub at that address keeps its name."""
    stub = """<html><body><script>window.location.href = "/site/index.html";</script>
      <noscript><a href="/site/index.html">进入首页</a></noscript></body></html>"""
    assert found(stub) == {HOME + "site/index.html": REDIRECT}
    assert next_links(HOME, [Entry(HOME + "site/index.html", REDIRECT)], 0, 5, False, set())[1] == [HOME + "site/index.html"]
    hub = stub.replace("进入首页", "政务公开")
    assert found(hub) == {HOME + "site/index.html": "政务公开"}


def test_a_load_more_counter_starts_after_the_rows_shown_and_stops_where_its_script_does():
    """A 加载更多 list (`var n = 1, pages = 3; function more(){ n++; xhr.open("GET", "/zwgk/nb/more_" + n +
    ".html"); … if (n >= pages) hide }`) appends static fragments, one file per page: the counter is
    raised before the call, so the first fragment asked is page 2 (page 1 is the rows shown), and the
    last is the bound its script hides the button at — no page past it is asked."""
    shell = """<ul id="rows"><li><a href="/zwgk/nb/202502/t1.html">武陵县2024年政府信息公开工作年度报告</a><span>2025-02-01</span></li></ul>
      <a id="more" href="javascript:;" onclick="more()">加载更多</a>
      <script>var n = 1, pages = 3;
      function more() { n++; var xhr = new XMLHttpRequest(); xhr.open("GET", "/zwgk/nb/more_" + n + ".html");
        xhr.onload = function () { document.getElementById("rows").insertAdjacentHTML("beforeend", xhr.responseText);
          if (n >= pages) document.getElementById("more").style.display = "none"; }; xhr.send(); }</script>"""
    adapter = JsonListAdapter()
    page = html(HOME + "zwgk/nb/list.html", shell)
    assert adapter_for(page).name == "jsonlist"
    (second,) = adapter.more_pages(page)
    assert second.url == HOME + "zwgk/nb/more_2.html"
    rows = '<li><a href="/zwgk/nb/202402/t2.html">武陵县2023年政府信息公开工作年度报告</a><span>2024-02-01</span></li>'
    (third,) = adapter.more_pages(HtmlResponse(second.url, body=rows.encode(), encoding="utf-8", request=second))
    assert third.url == HOME + "zwgk/nb/more_3.html"
    assert adapter.more_pages(HtmlResponse(third.url, body=rows.encode(), encoding="utf-8", request=third)) == []
    # a script whose bound leaves nothing behind the rows shown asks nothing
    assert adapter.more_pages(html(HOME + "zwgk/nb/list.html", shell.replace("pages = 3", "pages = 1"))) == []


def test_a_search_services_filter_sent_as_a_json_string_is_sent_as_the_browser_sends_it():
    """TRS IGS column shells name the column to list in a JSON-encoded filter (`$.get(cfg.api,
    {index: cfg.index, filter: JSON.stringify({columnId: cfg.columnId}), pageNumber: n})` with
    `var cfg = {api: "…/search/list.html", index: "wl-gk", columnId: 5120}`): the field is the string
    JSON.stringify makes of it (`{"columnId":5120}`, a number stays a number, a string is quoted)."""
    shell = html(HOME + "col/col5120.html", """<div id="list"></div><script>
      var cfg = {api: "/igs/front/search/list.html", index: "wl-gk", columnId: 5120, siteCode: "W1", size: 12};
      function load(n) { $.get(cfg.api, {index: cfg.index, type: "article", filter: JSON.stringify({columnId: cfg.columnId,
        site: cfg.siteCode}), pageNumber: n, pageSize: cfg.size}, function (r) { render(r.page.content); }); }
      load(1);</script>""")
    adapter = JsonListAdapter()
    assert adapter_for(shell).name == "jsonlist"
    (first,) = adapter.more_pages(shell)
    assert urlsplit(first.url).path == "/igs/front/search/list.html" and parse_qsl(urlsplit(first.url).query) == [
        ("index", "wl-gk"), ("type", "article"), ("filter", '{"columnId":5120,"site":"W1"}'), ("pageNumber", "1"),
        ("pageSize", "12")]
    # a filter built from something the page computes is not known: no call to repeat
    assert api_call(shell.text.replace("columnId: cfg.columnId", "columnId: getColumn()")) is None


def test_a_catalogues_fazhi_jianshe_column_is_read_while_the_fazhi_column_is_unfound():
    """法治建设 (the topic's column, news of it as often as its report) names no report column, but a
    catalogue keeping no 法治政府建设 column files the year's report there: like 依法行政 it is a
    catch-all, followed while the 法治 column is unfound, only its report-titled entries opened."""
    assert is_catch_all("法治建设") and column_kind("法治建设") is None
    menu = [Entry(HOME + "channel/31.html", "法治建设"), Entry(HOME + "channel/41.html", "政务公开年度报告")]
    assert next_links(HOME + "zwgk/", menu, 1, 5, False, set()) == ([HOME + "channel/41.html"], [HOME + "channel/31.html"])
    both = menu + [Entry(HOME + "channel/32.html", "法治政府建设年度报告")]
    assert next_links(HOME + "zwgk/", both, 1, 5, False, set())[1] == []


def test_one_column_for_both_reports_is_a_column_of_both_types():
    """Portals that publish the year's two reports together keep one column named for both
    (法治政府建设与政务公开年报, 政府信息公开和法治政府建设年度报告): a report column that settles both
    types, so the crawl looks for neither further. A topic named with 政务公开 (法治政府建设与政务公开,
    no report word) is no such column."""
    assert column_kinds("法治政府建设与政务公开年报") == (FZ, XXGK) == column_kinds("政府信息公开和法治政府建设年度报告")
    assert column_kind("法治政府建设与政务公开年报") == FZ and column_kinds("法治政府建设与政务公开") == ()
    kinds: set[str] = set()
    menu = [Entry(HOME + "xxgk/ndbg/", "法治政府建设与政务公开年报"), Entry(HOME + "xxgk/qtxx/", "其他法定公开信息")]
    assert next_links(HOME, menu, 0, 5, False, kinds) == ([HOME + "xxgk/ndbg/"], [])
    assert settled(kinds, FZ) and settled(kinds, XXGK)


SERVER_SIZED_SHELL = """<html><body><div class="list"><h3>法治政府建设年度报告</h3><ul id="list"></ul>
<script>var sid = '30017';
function load(p) { $.get('/xxgk/api/all/2231?page=' + p + '&sid=' + sid, render); }
load(1);</script></div></body></html>"""


CONF_SHELL = """<html><body><h2>法治政府建设年度报告</h2><ul class="list" id="list77"></ul>
<script>
var cfg = { columnId: "77", size: 8, api: "/publish-server/front/unit?siteId=2&columnId=77&size=8" };
function show(p) { $.getJSON(cfg.api + "&pageNo=" + p, function(d) { var h = "";
  $.each(d.data.rows, function(i, r) { h += '<li><a href="' + r.url + '">' + r.title + '</a></li>'; });
  $("#list77").html(h); }); }
show(1);
</script></body></html>"""


def test_a_list_service_named_in_a_config_object_is_read_with_addresses_relative_to_the_list_page():
    """The service address kept in the column's configuration object (`cfg.api + "&pageNo=" + p`),
    and records whose address is relative (`./202503/t….html`): the script writes them into the
    list page, so they are the list page's neighbours — resolved against the service they 404."""
    page = html(HOME + "zwgk/fzzfjs/index.html", CONF_SHELL)
    adapter = JsonListAdapter()
    assert adapter_for(page).name == "jsonlist"
    (first,) = adapter.more_pages(page)
    parts = urlsplit(first.url)
    assert parts.path == "/publish-server/front/unit"
    assert parse_qsl(parts.query) == [("siteId", "2"), ("columnId", "77"), ("size", "8"), ("pageNo", "1")]
    answer = ('{"data": {"pages": 2, "rows": [{"title": "武陵市2024年法治政府建设年度报告", '
              '"url": "./202503/t20250320_5.html", "publishDate": "2025-03-20"}]}}')
    response = TextResponse(first.url, body=answer.encode(), encoding="utf-8", request=first)
    assert [e.url for e in adapter.entries(response)] == [HOME + "zwgk/fzzfjs/202503/t20250320_5.html"]
    (second,) = adapter.more_pages(response)
    later = TextResponse(second.url, body=answer.encode(), encoding="utf-8", request=second)
    assert [e.url for e in adapter.entries(later)] == [HOME + "zwgk/fzzfjs/202503/t20250320_5.html"]


def test_a_list_service_that_fixes_its_page_size_is_paged_by_its_first_pages_records():
    """An answer with a total but no page size or count (`{"total": 12, "articles": [5 records]}`),
    from a call that names no size either: the service fixes it, and page 1 — full unless it is
    the last — shows it. Taken for one page, the older reports on pages 2 and 3 were never asked."""
    page = html(HOME + "xxgk/index?cat=2231", SERVER_SIZED_SHELL)
    adapter = JsonListAdapter()
    (first,) = adapter.more_pages(page)
    records = [{"title": f"武陵市{2024 - n}年法治政府建设年度报告", "url": f"/xxgk/content/{n}.html"} for n in range(5)]
    answer = json.dumps({"total": 12, "page": 1, "articles": records}, ensure_ascii=False)
    later = adapter.more_pages(TextResponse(first.url, body=answer.encode(), encoding="utf-8", request=first))
    assert [dict(parse_qsl(urlsplit(r.url).query))["page"] for r in later] == ["2", "3"]
    whole = json.dumps({"total": 5, "page": 1, "articles": records}, ensure_ascii=False)
    assert adapter.more_pages(TextResponse(first.url, body=whole.encode(), encoding="utf-8", request=first)) == []


def test_a_yifa_zhi_shi_column_is_read_while_the_fz_column_is_unfound():
    """依法治市 / 依法治县: the 全面依法治市委员会's topic, whose office (in the 司法局) drafts the
    法治政府建设年度报告 — a catalogue with no 法治 column files the report there. Read like 依法行政:
    only while the 法治 column is unfound, and only its report-titled entries are opened."""
    catalogue = [Entry(HOME + "zfxxgk/yfzx/list.shtml", "依法治县"),
                 Entry(HOME + "zfxxgk/ndbg/list.shtml", "政府信息公开年报"),
                 Entry(HOME + "zfxxgk/pfxc/list.shtml", "普法宣传")]
    assert is_catch_all("依法治市") and is_catch_all("全面依法治县") and column_kind("依法治县") is None
    assert next_links(HOME + "zfxxgk/", catalogue, 1, 4, False, set()) == \
        ([HOME + "zfxxgk/ndbg/list.shtml"], [HOME + "zfxxgk/yfzx/list.shtml"])
    both = catalogue + [Entry(HOME + "zfxxgk/fzbg/list.shtml", "法治政府建设年度报告")]
    assert next_links(HOME + "zfxxgk/", both, 1, 4, False, set())[1] == []
    assert not is_catch_all("依法治理") and not is_catch_all("依法治市工作动态")


def test_a_catch_all_column_that_lists_reports_still_leads_to_its_sub_columns():
    """A catch-all column (依法治县) split by whose reports it holds (政府报告 / 部门年报 tabs): like a
    report column, its sub-columns are followed even when it lists reports itself — the
    departments' 法治 reports are filed in its 部门年报 tab, never reached otherwise."""
    spider = ReportsSpider.from_crawler(get_crawler(ReportsSpider, {}),
                                        sites=[Site(name="wl", start_urls=(HOME + "zfxxgk/",), scope="domain")])

    async def collect():
        return [r async for r in spider.start()]
    (catalogue,) = asyncio.run(collect())
    catalogue = catalogue.replace(meta={**catalogue.meta, "hops": 2})
    menu = """<ul class="ml"><li><a href="/zfxxgk/yfzx/">依法治县</a></li><li><a href="/zfxxgk/zcjd/">政策解读</a></li>
    <li><a href="/zfxxgk/nb/">政府信息公开年报</a></li></ul>"""
    (topic,) = [r for r in spider.parse_list(html(catalogue.url, menu).replace(request=catalogue))
                if r.url == HOME + "zfxxgk/yfzx/"]
    assert topic.meta["catch_all"] and topic.meta["kind"] is None
    body = """<div class="tab"><a href="/zfxxgk/yfzx/">政府报告</a><a href="/zfxxgk/yfzx/bm/">部门年报</a></div>
    <ul class="list"><li><a href="/zfxxgk/yfzx/202503/t2.html">武陵县2024年法治政府建设年度报告</a>
    <span>2025-03-20</span></li></ul>"""
    requests = list(spider.parse_list(html(topic.url, body).replace(request=topic)))
    assert [r.url for r in requests if r.meta["role"] == "report"] == [HOME + "zfxxgk/yfzx/202503/t2.html"]
    assert [r.url for r in requests if r.meta["role"] == "list"] == [HOME + "zfxxgk/yfzx/bm/"]


def test_a_report_column_split_into_sub_columns_named_only_by_owner_leads_to_them():
    """法治政府建设 › 市本级 / 县市区: a report column whose page lists nothing but sub-columns named by
    whose reports they hold — no report word in the names. Followed as columns of the same kind from a
    report column's page only (a 部门 link on a portal page is no column)."""
    spider = ReportsSpider.from_crawler(get_crawler(ReportsSpider, {}),
                                        sites=[Site(name="wl", start_urls=(HOME + "zfxxgk/",), scope="domain")])

    async def collect():
        return [r async for r in spider.start()]
    (catalogue,) = asyncio.run(collect())
    catalogue = catalogue.replace(meta={**catalogue.meta, "hops": 2})
    menu = '<ul class="ml"><li><a href="/zfxxgk/fzzfjs/">法治政府建设</a></li><li><a href="/bm/">部门</a></li></ul>'
    requests = list(spider.parse_list(html(catalogue.url, menu).replace(request=catalogue)))
    assert HOME + "bm/" not in [r.url for r in requests]
    (column,) = [r for r in requests if r.url == HOME + "zfxxgk/fzzfjs/"]
    assert column.meta["kind"] == FZ
    body = """<ul class="sublist"><li><a href="/zfxxgk/fzzfjs/sbj/">市本级</a></li>
    <li><a href="/zfxxgk/fzzfjs/xsq/">县（市、区）</a></li><li><a href="/zfxxgk/fzzfjs/xz/">乡镇（街道）</a></li></ul>"""
    tabs = [r for r in spider.parse_list(html(column.url, body).replace(request=column)) if r.meta["role"] == "list"]
    assert sorted(r.url for r in tabs) == [HOME + "zfxxgk/fzzfjs/sbj/", HOME + "zfxxgk/fzzfjs/xsq/",
                                           HOME + "zfxxgk/fzzfjs/xz/"]
    assert {r.meta["kind"] for r in tabs} == {FZ}


def test_a_report_columns_titles_cut_inside_either_types_words_are_opened_there_only():
    """One 年度报告 column for both types, its titles cut at 17 characters (武陵县人民政府2024年法..., …关于2025...):
    the bare name reads as the 信息公开 column, yet a cut inside the 法治 words may be a 法治 report —
    opened there (the page's own title classifies it); not in a 法治 column, nor elsewhere; a cut news
    item is not."""
    assert cut_report("武陵县人民政府2024年政...", XXGK) and cut_report("武陵县人民政府关于2025…", XXGK)
    assert cut_report("武陵县人民政府2025年政府信...", XXGK) and cut_report("武陵县人民政府2024年法...", XXGK)
    assert not cut_report("武陵县人民政府2024年政府信...", FZ)
    assert cut_report("2020年武陵土家族自治县政府信息公...", XXGK)   # the year first, then the issuer
    assert not cut_report("2020年武陵县召开政务公...", XXGK)
    assert not cut_report("武陵县召开2025年政务公开...", XXGK)     # a look-alike's word survives the cut
    assert not cut_report("武陵县人民政府2024年政", XXGK)          # not cut
    assert not cut_report("武陵县人民政府办公室关于印...", XXGK)    # no year: no report of a year
    spider = ReportsSpider.from_crawler(get_crawler(ReportsSpider, {}),
                                        sites=[Site(name="wl", start_urls=(HOME + "zfxxgk/",), scope="domain")])

    async def collect():
        return [r async for r in spider.start()]
    (catalogue,) = asyncio.run(collect())
    catalogue = catalogue.replace(meta={**catalogue.meta, "hops": 2})
    menu = '<ul class="ml"><li><a href="/zfxxgk/ndbg/">年度报告</a></li><li><a href="/zfxxgk/tzgg/">通知公告</a></li></ul>'
    requests = list(spider.parse_list(html(catalogue.url, menu).replace(request=catalogue)))
    (column,) = [r for r in requests if r.url == HOME + "zfxxgk/ndbg/"]
    body = """<table class="list"><tr><td><a href="/zfxxgk/ndbg/2025-03/30/c1.htm">武陵县人民政府2024年法...</a></td>
    <td>2025-03-30</td></tr><tr><td><a href="/zfxxgk/ndbg/2025-04/09/c2.htm">武陵县召开2025年政务公开...</a></td>
    <td>2025-04-09</td></tr></table>"""
    reports = [r.url for r in spider.parse_list(html(column.url, body).replace(request=column))
               if r.meta["role"] == "report"]
    assert reports == [HOME + "zfxxgk/ndbg/2025-03/30/c1.htm"]
    notices = catalogue.replace(url=HOME + "zfxxgk/tzgg/", meta={**catalogue.meta, "kind": None, "hops": 3})
    assert not [r for r in spider.parse_list(html(notices.url, body).replace(request=notices))
                if r.meta["role"] == "report"]


# -- the tenth hold-out round's patterns (issue 11): preview boxes, button verbs, a host's front page --

def catalogue_spider(start: str) -> tuple[ReportsSpider, scrapy.Request]:
    spider = ReportsSpider.from_crawler(get_crawler(ReportsSpider, {}),
                                        sites=[Site(name="wl", start_urls=(start,), scope="domain")])

    async def collect():
        return [r async for r in spider.start()]
    (first,) = asyncio.run(collect())
    return spider, first


def test_a_catalogue_previewing_a_column_in_a_box_leads_to_it_by_its_more_link():
    """A catalogue shows each column's latest entries in a box whose heading is plain text and whose
    only way on is 更多>>: the box's heading names the column its 更多 link leads to, and a page
    listing reports in such boxes is a portal page, not a column — its other columns (其他法定主动公开
    内容, read while the 法治 column is unfound) are still followed."""
    spider, page = catalogue_spider(HOME + "zfxxgk/fdzdgk/")
    page = page.replace(meta={**page.meta, "hops": 2})
    body = """<div class="box"><div class="tit"><b>政府信息公开年报</b><a class="more" href="/zfxxgk/nb/">更多 &gt;&gt;</a></div>
    <ul><li><a href="/zfxxgk/nb/202503/t1.html">武陵县2024年政府信息公开工作年度报告</a><i>2025-03-20</i></li></ul></div>
    <div class="box"><div class="tit"><b>通知公告</b><a class="more" href="/zfxxgk/tzgg/">更多 &gt;&gt;</a></div></div>
    <div class="ml"><h4>法定主动公开内容</h4><ul><li><a href="/zfxxgk/jgzn/">机构职能</a></li>
    <li><a href="/zfxxgk/qtgk/">其他法定主动公开内容</a></li></ul></div>"""
    assert found(body, page.url)[HOME + "zfxxgk/nb/"] == "政府信息公开年报"
    assert HOME + "zfxxgk/tzgg/" not in column_links(page_links(Selector(text=body), page.url))
    requests = list(spider.parse_list(html(page.url, body).replace(request=page)))
    assert [r.url for r in requests if r.meta["role"] == "report"] == [HOME + "zfxxgk/nb/202503/t1.html"]
    assert [(r.url, r.meta["kind"]) for r in requests if r.meta["role"] == "list"] == [
        (HOME + "zfxxgk/nb/", XXGK), (HOME + "zfxxgk/qtgk/", None)]


def test_a_button_naming_a_hub_with_a_verb_is_a_hub():
    """进入政府信息公开目录 / 点击进入政务公开 / 政府信息公开入口: a front page's button says what it does
    around the hub's name."""
    assert is_hub("进入政府信息公开目录") and is_hub("点击进入政务公开") and is_hub("政府信息公开入口")
    assert not any(is_hub(t) for t in ("进入", "访问量统计", "进入武陵县人民政府门户网站", "进入政府信息公开指南"))


def test_a_hosts_front_page_leading_only_to_its_index_page_reads_that_page():
    """A 政务公开 host whose root is a front page with one button, 进入政府信息公开目录, to `index.html`:
    the two addresses are usually one page, and are asked once — but when nothing else on the page
    leads anywhere new, the index page is asked for as a page of its own."""
    root = "http://xxgk.wl.gov.cn/"
    spider, front = catalogue_spider(root)
    body = f"""<div class="nav"><a href="{HOME}">首页</a><a href="//xxgk.wl.gov.cn/">政务公开</a></div>
    <div class="enter"><h2>武陵县政府信息公开</h2><a href="{root}index.html">进入政府信息公开目录</a></div>"""
    requests = list(spider.parse_list(html(front.url, body).replace(request=front)))
    assert [(r.url, r.meta["hops"]) for r in requests] == [(root + "index.html", 1)]
    # a page with another way on does not ask for its twin
    spider, front = catalogue_spider(root)
    body += '<a href="/zfxxgk/">政府信息公开</a>'
    requests = list(spider.parse_list(html(front.url, body).replace(request=front)))
    assert [r.url for r in requests] == [root + "zfxxgk/"]


def test_a_list_title_cut_inside_the_columns_type_words_is_opened():
    """TRS lists cut titles to a fixed length, with a title attribute on some rows only: a cut right
    after the year (`…关于2025年度法...`) leaves no type words at all. In a column of that type, a
    cut title whose remainder begins the type's words is opened (the page is typed by itself);
    look-alikes keep their words, and nothing is opened on its cut in a column of the other type."""
    spider, column = catalogue_spider(HOME + "zwgk/fzzf/")
    column = column.replace(meta={**column.meta, "kind": FZ})
    body = """<ul class="list"><li><a href="./202603/t1.shtml">武陵县人民政府关于2025年度法...</a><span>2026-03-27</span></li>
    <li><a href="./202409/t2.shtml">武陵县2023年度法治政府建设督察...</a><span>2024-09-16</span></li>
    <li><a href="./202404/t3.shtml">关于印发《武陵县2024年度重点...</a><span>2024-04-24</span></li>
    <li><a href="./202103/t4.shtml">武陵县2020年法治政府建设情况报告</a><span>2021-03-30</span></li></ul>"""
    requests = list(spider.parse_list(html(column.url, body).replace(request=column)))
    assert [r.url for r in requests if r.meta["role"] == "report"] == [
        HOME + "zwgk/fzzf/202603/t1.shtml", HOME + "zwgk/fzzf/202103/t4.shtml"]
    assert cut_report("武陵县2024年政府信...", XXGK) and not cut_report("武陵县2024年政府信...", FZ)
    assert not cut_report("武陵县2024年度法律顾问...", FZ) and not cut_report("武陵县关于2024年度法治", FZ)


def test_a_provinces_column_of_its_cities_reports_is_a_column():
    """A province's 年报 page splits into 省政府年报 / 省直部门年报 / 省辖市政府年报 (设区市): the cities'
    column holds other governments' reports, a column like the counties' on a city's portal."""
    for name in ("省辖市政府年报", "设区市政府信息公开年报", "地级市政府信息公开年度报告"):
        assert column_kind(name) == XXGK and link_kind(name) is None, name
    assert link_kind("洛阳市人民政府2024年政府信息公开工作年度报告") == XXGK


def test_a_jpage_last_group_unknown_by_its_clamped_range_is_asked_by_its_whole_range():
    """jpage.js asks the last group up to totalRecord (`startrecord=11&endrecord=13`); a proxy that
    answers that range 404 but knows the group by its whole range (`…&endrecord=15`) is asked that
    next, once — the crawl does not end the column at the first answer."""
    page = JPAGE_CONFIG_PAGE.replace("totalRecord: 14", "totalRecord: 13, groupSize: 1").replace(
        "<nextgroup><![CDATA[<a href=\"/module/web/jpage/dataproxy.jsp?startrecord=6&endrecord=10&perpage=5\"></a>]]>"
        "</nextgroup>", "")
    spider, column = catalogue_spider(HOME + "col/col4410/index.html")
    column = column.replace(meta={**column.meta, "kind": XXGK, "hops": 3})
    lists = [r for r in spider.parse_list(html(column.url, page).replace(request=column)) if r.meta["role"] == "list"]
    assert [urlsplit(r.url).query for r in lists] == ["startrecord=6&endrecord=10&perpage=5",
                                                      "startrecord=11&endrecord=13&perpage=5"]
    last = lists[-1]
    missing = HtmlResponse(last.url, status=404, body=b"", request=last)
    (retry,) = spider.parse_list(missing)
    assert (retry.method, urlsplit(retry.url).query) == ("POST", "startrecord=11&endrecord=15&perpage=5")
    assert retry.body == last.body and retry.meta["kind"] == XXGK and not retry.meta.get("or_else")
    assert list(spider.parse_list(HtmlResponse(retry.url, status=404, body=b"", request=retry))) == []


def test_a_report_opened_in_a_pdf_viewer_is_the_file_it_shows():
    """Portals open PDFs in pdf.js (`/pdfjs/web/viewer.html?file=/uploadfiles/….pdf`): the viewer page
    is one shell for every file, the report is the file in its query. A download service given a
    bare file name (`downfile.jsp?filename=….pdf`) is the file's own address."""
    spider, column = catalogue_spider(HOME + "xxgk/list.jsp?channelId=21")
    column = column.replace(meta={**column.meta, "kind": XXGK})
    body = """<ul><li><a href="/pdfjs/web/viewer.html?file=/uploadfiles/202103/2021033115532.pdf">武陵县2020年度政府信息公开工作年度报告</a>
    <span>2021-03-31</span></li><li><a href="/module/download/downfile.jsp?classid=0&amp;filename=ab12.pdf">武陵县2019年度政府信息公开工作年度报告</a>
    <span>2020-03-30</span></li></ul>"""
    files = [r.url for r in spider.parse_list(html(column.url, body).replace(request=column))
             if r.meta["role"] == "attachment"]
    assert files == [HOME + "uploadfiles/202103/2021033115532.pdf",
                     HOME + "module/download/downfile.jsp?classid=0&filename=ab12.pdf"]
    assert viewed_file(HOME + "pdfjs/web/viewer.html?file=..%2F..%2Ffiles%2Fa.pdf") == HOME + "files/a.pdf"


def test_a_list_service_called_with_its_address_and_parameters_as_two_arguments_is_read():
    """`$.getJSON('/api/list', {channelId: channelId, pageNo: pageNo, …}, fn)` — jQuery's shorthand,
    the address and the parameters as two arguments rather than one options object. The shell's
    list is empty without it: every report of the column sits behind the call."""
    shell = """<ul class="list" id="list"></ul><script>
    var channelId = '31', pageSize = 8;
    function loadPage(pageNo) { $.getJSON("/api/list", {channelId: channelId, pageNo: pageNo, pageSize: pageSize},
        function (res) { $.each(res.data.list, function (i, r) { $('#list').append(r.title); }); }); }
    $(function () { loadPage(1); });</script>"""
    call = api_call(shell)
    assert (call["url"], call["fields"], call["page"]) == \
        ("/api/list", [("channelId", "31"), ("pageNo", "1"), ("pageSize", "8")], "pageNo")
    assert api_call(shell.replace('"/api/list"', "'/api/list'"))["url"] == "/api/list"
    (first,) = JsonListAdapter().more_pages(html(HOME + "xxgk/ndbg/fzzf/index.html", shell))
    assert first.url == HOME + "api/list?channelId=31&pageNo=1&pageSize=8"
    assert api_call('<script>$.get("/api/hits", {id: 5, page: 1});</script>') is None


def test_a_gkmlpt_report_column_split_into_child_nodes_asks_every_child():
    """gkmlpt's TREE nests a column's children in the node itself (`{"id": …, "name": "政府信息公开年报",
    "children": [{"id": …, "name": "本级"}, …]}`). A 年报 column split by whose reports it holds often
    lists nothing itself: the reports are in the children, whose names say nothing of a report, so
    every node under a report column is asked — and a node's own name is read around its children."""
    from spiders.gkmlpt import GkmlptAdapter
    body = ('<div id="app"></div><script>window._CONFIG = {"SID": "5120", "SITE_NAME": "武陵市人民政府", "TREE": ['
            '{"id": 41, "name": "工作动态", "children": []}, '
            '{"children": [{"id": 52, "name": "本级", "children": []}, {"id": 53, "name": "乡镇（街道）", '
            '"children": [{"id": 54, "name": "城关镇"}]}], "id": 51, "name": "政府信息公开年报"}, '
            '{"id": 61, "name": "政策解读", "children": [{"id": 62, "name": "图解"}]}]};</script>')
    request = scrapy.Request("http://www.wl.gov.cn/gkmlpt/index")
    page = HtmlResponse(request.url, body=body.encode(), encoding="utf-8", request=request)
    asked = [urlsplit(r.url).path for r in GkmlptAdapter().more_pages(page)]
    assert asked == [f"/gkmlpt/api/all/{n}" for n in (51, 52, 53, 54)]
    # a flat tree naming each node's parent (`"pid": 51`) is read the same way
    flat = ('<script>window._CONFIG = {"SID": "5120", "TREE": [{"id": 51, "name": "法治政府建设年度报告", "pid": 0}, '
            '{"id": 52, "name": "本级", "pid": 51}, {"id": 61, "name": "政策解读", "pid": 0}]};</script>')
    page = HtmlResponse(request.url, body=flat.encode(), encoding="utf-8", request=request)
    assert [urlsplit(r.url).path for r in GkmlptAdapter().more_pages(page)] == ["/gkmlpt/api/all/51", "/gkmlpt/api/all/52"]


def test_a_home_stub_that_jumps_to_an_address_held_in_a_variable_is_followed():
    """`/` answering only `<script>var target = "/wl/index.shtml"; window.location.replace(target);</script>`:
    the address assigned first, the jump after (a stub picking a mobile or a language version
    does so). The stub's only link is where the variable sends the browser."""
    stub = ('<html><head><script type="text/javascript">\nvar target = "/wl/index.shtml";\n'
            'window.location.replace(target);\n</script></head><body></body></html>')
    assert list(found(stub)) == [HOME + "wl/index.shtml"]
    assert list(found(stub.replace("window.location.replace(target);", "location.href = target;"))) == \
        [HOME + "wl/index.shtml"]
    # a comparison is no jump, and an unassigned variable leads nowhere
    assert found('<script>var t = "/wl/a.shtml"; if (location.href == t) {}</script>') == {}
    assert found("<script>location.replace(next);</script>") == {}


def test_a_home_stubs_jump_lands_on_the_real_home_page_at_no_further_hop():
    """The stub at `/` is no page a reader sees: the browser lands on `/wl/index.shtml` at once.
    Counted as a hop, it cost the one that a catalogue five levels down needs (政务公开 › 政府信息公开 ›
    法定主动公开内容 › 其他法定主动公开内容 › 法治政府建设 › 年度报告)."""
    spider = ReportsSpider.from_crawler(get_crawler(ReportsSpider, {}),
                                        sites=[Site(name="wl", start_urls=(HOME,), scope="domain")])

    async def collect():
        return [r async for r in spider.start()]
    (home,) = asyncio.run(collect())
    stub = '<html><head><script>var u = "/wl/index.shtml"; location.replace(u);</script></head><body></body></html>'
    (landed,) = list(spider.parse_list(html(HOME, stub).replace(request=home)))
    assert (landed.url, landed.meta["hops"]) == (HOME + "wl/index.shtml", 0)
    menu = '<ul class="nav"><li><a href="/wl/zwgk/">政务公开</a></li></ul>'
    (hub,) = list(spider.parse_list(html(landed.url, menu).replace(request=landed)))
    assert (hub.url, hub.meta["hops"]) == (HOME + "wl/zwgk/", 1)


def test_a_disclosure_unit_selector_leads_to_the_governments_and_each_departments_catalogue():
    """安徽 集约化 and like platforms: the 政务公开 page is a 公开主体 selector — 市政府信息公开,
    市财政局信息公开, 市教育局信息公开 … — each unit with its own catalogue and its own 年报 column.
    The government's is a hub by its level (市政府信息公开); the departments' are followed from a page
    listing several (never from the home page, nor one department's link alone)."""
    selector = [Entry(HOME + "public/100/column.html", "市政府信息公开"),
                Entry(HOME + "public/201/column.html", "市财政局信息公开"),
                Entry(HOME + "public/202/column.html", "市教育体育局信息公开"),
                Entry(HOME + "xxgkzn.html", "政府信息公开指南")]
    assert is_hub("市政府信息公开") and is_hub("县人民政府信息公开") and is_hub("本级政府信息公开")
    assert not is_hub("市财政局信息公开") and not is_hub("市政府信息公开指南")
    assert next_links(HOME + "zwgk/", selector, 1, 5, False, set())[1] == [e.url for e in selector[:3]]
    assert next_links(HOME, selector, 0, 5, False, set())[1] == [HOME + "public/100/column.html"]
    alone = [selector[0], selector[1]]
    assert next_links(HOME + "zwgk/", alone, 1, 5, False, set())[1] == [HOME + "public/100/column.html"]


def test_a_list_title_cut_right_after_its_issuer_is_opened_in_a_report_column():
    """A 法治 report's title is long (`中共武陵县委 武陵县人民政府关于2020年法治政府建设情况的报告`): a
    list cutting at a fixed length may keep only its issuer (`中共武陵县委 武陵县人民政府关于...`), no
    year and no type words. In a report column it is opened, its page typing it; a look-alike's
    words left in the cut (办公室关于印发…) keep it shut, and a news column opens nothing on a cut."""
    spider, column = catalogue_spider(HOME + "zwgk/fzzf/")
    column = column.replace(meta={**column.meta, "kind": FZ})
    body = """<ul class="list"><li><a href="./202102/t1.shtml">中共武陵县委 武陵县人民政府关于...</a><span>2021-02-22</span></li>
    <li><a href="./202104/t2.shtml">武陵县人民政府办公室关于印发...</a><span>2021-04-16</span></li>
    <li><a href="./202105/t3.shtml">武陵县召开法治政府建设推进会...</a><span>2021-05-06</span></li></ul>"""
    requests = list(spider.parse_list(html(column.url, body).replace(request=column)))
    assert [r.url for r in requests if r.meta["role"] == "report"] == [HOME + "zwgk/fzzf/202102/t1.shtml"]
    assert cut_after_issuer("武陵县人民政府关…", XXGK) and not cut_after_issuer("武陵县人民政府关于", FZ)
    news = column.replace(url=HOME + "xwdt/", meta={**column.meta, "kind": None})
    assert not [r for r in spider.parse_list(html(news.url, body).replace(request=news)) if r.meta["role"] == "report"]


# -- the eleventh hold-out round's patterns (issue 11): indexed template items, XHR list services,
# framed column lists, a district's report placed by its title --

def test_a_menu_array_rendered_by_a_for_loop_over_indexed_items_is_read():
    """`var nav = [{t: "…", h: "…"}]; for (…) document.write('<a href="' + nav[i].h + '">' + nav[i].t + '</a>')`:
    a plain loop names each item by its index, not by a callback's parameter — the keys the template
    renders are the same either way (a data list's `d.rows[k].link` too)."""
    code = """var nav = [{t: '首页', h: '/'}, {t: '政务公开', h: '/zwgk/'}, {t: '办事服务', h: '/bsfw/'}];
    for (var k = 0; k < nav.length; k++) { document.write('<li><a href="' + nav[k].h + '" target="_blank">' +
      nav[k].t + '</a></li>'); }"""
    assert template_keys(code) == ({"t"}, {"h"})
    assert found(f"<html><body><ul class='nav'><script>{code}</script></ul></body></html>")[HOME + "zwgk/"] == "政务公开"
    rows = "var box = [{c: '政务公开', p: '/zwgk/'}]; html += \"<a href='\" + res.data[j].p + \"'>\" + res.data[j].c + \"</a>\";"
    assert {e.url: e.title for e in literal_links(rows, HOME)} == {HOME + "zwgk/": "政务公开"}
    # the key in brackets: menus[i]["h"]
    assert template_keys("""document.write('<a href="' + nav[k]["h"] + '">' + nav[k]['t'] + '</a>');""") == ({"t"}, {"h"})


XHR_SHELL = """<html><body><h2>政府信息公开年报</h2><ul id="listBox"></ul><div id="page"></div><script>
var channel = "zfxxgknb", size = 15;
function getList(pn) {
  var xhr = new XMLHttpRequest();
  xhr.open("GET", "/interface/articles?channel=" + channel + "&size=" + size + "&pageNo=" + pn, true);
  xhr.onreadystatechange = function () { if (xhr.readyState == 4) { render(JSON.parse(xhr.responseText)); } };
  xhr.send(null);
}
getList(1);
</script></body></html>"""


def test_a_list_shell_filled_by_a_plain_xmlhttprequest_is_read_through_its_service():
    """No jQuery: `xhr.open("GET", "/interface/articles?channel=" + channel + … + "&pageNo=" + pn)`,
    the address concatenated around the page number as in `$.getJSON(…)` calls."""
    page = html(HOME + "zfxxgk/nb/index.html", XHR_SHELL)
    adapter = JsonListAdapter()
    assert adapter_for(page).name == "jsonlist"
    (first,) = adapter.more_pages(page)
    parts = urlsplit(first.url)
    assert parts.path == "/interface/articles"
    assert parse_qsl(parts.query) == [("channel", "zfxxgknb"), ("size", "15"), ("pageNo", "1")]
    # a POST sends its fields in send(…), which this reading does not see: not asked
    assert api_call(XHR_SHELL.replace('open("GET"', 'open("POST"')) is None
    # a counter called the same way is no list
    assert api_call('<script>x.open("GET", "/stat/hits?id=" + id + "&page=" + n);</script>') is None


def test_a_report_columns_page_that_frames_its_list_reads_the_frame_as_the_column():
    """A column page that is only a frame around its list (`<iframe src="list.html">` under the
    column's heading; older portals, embedded 信息公开 platforms): the frame's page is the column's
    list, of the column's type and at its hop — read though the column sits at the last hop."""
    spider, column = catalogue_spider(HOME + "zfxxgk/fzzfnb/index.html")
    column = column.replace(meta={**column.meta, "kind": FZ, "hops": 4})
    body = """<h2>法治政府建设年度报告</h2><iframe src="list.html" width="100%" height="800" frameborder="0"></iframe>"""
    requests = list(spider.parse_list(html(column.url, body).replace(request=column)))
    assert [(r.url, r.meta["kind"], r.meta["hops"]) for r in requests] == [(HOME + "zfxxgk/fzzfnb/list.html", FZ, 4)]
    # a column that lists its reports itself: a frame beside them (a weather widget) is not read
    spider, column = catalogue_spider(HOME + "zfxxgk/fzzfnb/index.html")
    column = column.replace(meta={**column.meta, "kind": FZ, "hops": 4})
    body += '<ul><li><a href="./202503/t1.html">武陵县2024年法治政府建设年度报告</a><span>2025-03-20</span></li></ul>'
    requests = list(spider.parse_list(html(column.url, body).replace(request=column)))
    assert [r.url for r in requests] == [HOME + "zfxxgk/fzzfnb/202503/t1.html"]


def test_a_districts_report_with_no_publisher_is_placed_by_the_issuer_its_title_names():
    """A city's report column lists its district's report, the page stating no 发布机构 or 索引号:
    the issuer the title names (武陵市江南区人民政府…) is where it belongs — another government's, not
    the city's; a title naming no issuer leaves it to the site."""
    page = "<html><head><title>{0}</title></head><body><h1>{0}</h1><p>正文。</p></body></html>"
    title = "六安市金安区人民政府2022年法治政府建设年度报告"
    report = extract_report(HOME + "a.html", page.format(title), site_region="341500")
    assert (report["region_code"], report["county"], report["issuer_type"]) == ("341502", "金安区", "government")
    own = extract_report(HOME + "b.html", page.format("六安市人民政府2022年度法治政府建设工作情况报告"), site_region="341500")
    assert own["region_code"] == "341500"
    bare = extract_report(HOME + "c.html", page.format("2022年政府信息公开工作年度报告"), site_region="341500")
    assert bare["region_code"] is None


# -- the twelfth hold-out round's patterns (issue 11): 计划总结, unsettled 法治 columns, jpage configs --

def test_a_plans_and_summaries_column_is_read_while_the_fz_column_is_unfound():
    """计划总结 (工作计划与总结, 工作总结): the 信息公开目录's category for a government's plans and yearly
    summaries, where a catalogue with no 法治 column files the year's 法治政府建设 report among its 工作要点.
    A catch-all like 其他法定公开信息: followed while the 法治 column is unfound, its report-titled
    entries opened; a bare 计划 or 规划 column holds no report and is left alone."""
    assert all(is_catch_all(name) for name in ("计划总结", "工作计划总结", "计划与总结", "总结计划", "工作总结"))
    assert not any(is_catch_all(name) for name in ("规划计划", "工作计划", "发展规划", "总结"))
    assert column_kind("计划总结") is None
    catalogue = [Entry(HOME + "zwgk/jhzj/", "计划总结"), Entry(HOME + "zwgk/nb/", "政府信息公开年报")]
    assert next_links(HOME + "zwgk/fdzdgk/", catalogue, 2, 5, False, set()) == \
        ([HOME + "zwgk/nb/"], [HOME + "zwgk/jhzj/"])
    both = catalogue + [Entry(HOME + "zwgk/fzbg/", "法治政府建设年度报告")]
    assert next_links(HOME + "zwgk/fdzdgk/", both, 2, 5, False, set())[1] == []


def test_a_topic_or_a_departments_column_does_not_settle_where_the_governments_fz_reports_are():
    """A catalogue naming 法治政府建设 (the topic: as often a news column as the report column) and
    市直部门法治政府建设年度报告 (the departments' reports) beside 其他法定公开内容: both are followed as
    columns, but neither is the government's own 法治 column, so the catch-all where it files its
    own reports is read too. Once a column is named as the government's reports, it is not."""
    catalogue = [Entry(HOME + "zwgk/fzjs/", "法治政府建设"), Entry(HOME + "zwgk/bmfz/", "市直部门法治政府建设年度报告"),
                 Entry(HOME + "zwgk/qt/", "其他法定公开内容"), Entry(HOME + "zwgk/nb/", "政府信息公开年报"),
                 Entry(HOME + "zwgk/xznb/", "乡镇政府信息公开年报")]
    kinds: set[str] = set()
    columns, hubs = next_links(HOME + "zwgk/fdzdgk/", catalogue, 2, 5, False, kinds)
    assert columns == [HOME + "zwgk/fzjs/", HOME + "zwgk/bmfz/", HOME + "zwgk/nb/", HOME + "zwgk/xznb/"]
    assert hubs == [HOME + "zwgk/qt/"]
    assert settled(kinds, XXGK) and not settled(kinds, FZ) and FZ in kinds   # named, not settled
    own = catalogue + [Entry(HOME + "zwgk/fzbg/", "法治政府建设年度报告")]
    assert next_links(HOME + "zwgk/fdzdgk/", own, 2, 5, False, set())[1] == []
    # the counties' 年报 column alone leaves the government's own 年报 column to be found
    counties = [Entry(HOME + "zwgk/xqnb/", "县区政府信息公开年报"), Entry(HOME + "zwgk/qtxx/", "其他法定公开信息"),
                Entry(HOME + "zwgk/fzbg/", "法治政府建设年度报告")]
    kinds = set()
    assert next_links(HOME + "zwgk/fdzdgk/", counties, 2, 5, False, kinds)[1] == [HOME + "zwgk/qtxx/"]
    assert settled(kinds, FZ) and not settled(kinds, XXGK)
    # the government's own column named on a later page settles the type: its catch-alls rest
    assert next_links(HOME + "zwgk/nb/", [Entry(HOME + "zwgk/nb/bj/", "本级政府信息公开年报"),
                                          Entry(HOME + "zwgk/qtxx/", "其他法定公开信息")], 3, 5, False, kinds)[1] == []
    assert settled(kinds, XXGK)


JPAGE_FIELDS_PAGE = """<html><body><div id="7301"><script type="text/xml"><datastore><nextgroup><![CDATA[]]></nextgroup>
<recordset>
<record><![CDATA[<li><a href="/art/2025/3/18/art_7301_51.html">武陵市2024年法治政府建设年度报告</a><span>2025-03-18</span></li>]]></record>
<record><![CDATA[<li><a href="/art/2024/6/2/art_7301_47.html">武陵市法治政府建设工作要点</a><span>2024-06-02</span></li>]]></record>
<record><![CDATA[<li><a href="/art/2024/3/20/art_7301_44.html">武陵市2023年法治政府建设年度报告</a><span>2024-03-20</span></li>]]></record>
</recordset></datastore></script></div>
<script>var jpage_7301 = { proxyUrl: '/module/web/jpage/dataproxy.jsp', totalRecord: 16, perPage: 3, groupSize: 2,
  columnid: 7301, unitid: 97301, webid: 12 };
$(function () { $('#7301').jpage(jpage_7301); });</script></body></html>"""


def test_a_jpage_config_naming_the_proxy_fields_itself_is_continued_by_post():
    """A jpage config with the proxy's fields among its options (`columnid, unitid, webid`, no
    ajaxParam object) and an empty nextgroup (`<![CDATA[]]>`, which names no link — the records'
    links after it are not one): the records after the inlined page are POSTed, from the first one
    the page does not hold, a group (perPage × groupSize) at a time up to totalRecord, with the form
    the calls we know send (col=1, the site's path) and the config's own fields."""
    requests = HanwebAdapter().more_pages(html(HOME + "col/col7301/index.html", JPAGE_FIELDS_PAGE))
    assert [(r.method, urlsplit(r.url).query) for r in requests] == [
        ("POST", "startrecord=4&endrecord=9&perpage=3"), ("POST", "startrecord=10&endrecord=15&perpage=3"),
        ("POST", "startrecord=16&endrecord=21&perpage=3")]
    form = dict(parse_qsl(requests[0].body.decode()))
    assert (form["columnid"], form["unitid"], form["webid"], form["col"]) == ("7301", "97301", "12", "1")
    # a config naming no column gives no form, and asks nothing
    unnamed = JPAGE_FIELDS_PAGE.replace("columnid: 7301, ", "")
    assert HanwebAdapter().more_pages(html(HOME + "col/col7301/index.html", unnamed)) == []


def test_a_jpage_range_answered_short_is_continued_from_the_first_record_it_did_not_bring():
    """A proxy may answer a POSTed group range (`startrecord=4&endrecord=9&perpage=3`) with one page
    only, its <totalrecord> saying there are more: the rest of the range is asked from the first
    record the answer did not bring, with the same form — whatever grouping the proxy keeps. An
    answer reaching totalRecord, or bringing nothing, asks nothing more."""
    (first, *_) = HanwebAdapter().more_pages(html(HOME + "col/col7301/index.html", JPAGE_FIELDS_PAGE))
    records = "".join(f"<record><![CDATA[<li><a href=\"/art/2023/3/{n}/art_7301_{n}.html\">武陵市{2020 - n}年法治政府建设"
                      f"年度报告</a></li>]]></record>" for n in range(4, 7))
    answer = TextResponse(first.url, body=(f"<?xml version=\"1.0\" encoding=\"UTF-8\"?><datastore><totalrecord>16"
                                           f"</totalrecord><totalpage>6</totalpage><recordset>{records}</recordset>"
                                           "</datastore>").encode(), encoding="utf-8", request=first)
    (rest,) = HanwebAdapter().more_pages(answer)
    assert (rest.method, urlsplit(rest.url).query) == ("POST", "startrecord=7&endrecord=9&perpage=3")
    assert rest.body == first.body
    ended = answer.replace(body=answer.body.replace(b"<totalrecord>16", b"<totalrecord>6"))
    assert HanwebAdapter().more_pages(ended) == []
    empty = answer.replace(body=b"<datastore><totalrecord>16</totalrecord><recordset></recordset></datastore>")
    assert HanwebAdapter().more_pages(empty) == []


UNIT_SELECT_PAGE = """<html><body><div class="crumb"><a href="/">首页</a> &gt; 政府信息公开</div>
<div class="unit">选择公开主体：<select name="dept" onchange="if(this.value!='')location.href=this.value">
<option value="">请选择</option>
<optgroup label="本级"><option value="/gk/site/wl/index.html">武陵县人民政府</option></optgroup>
<optgroup label="部门"><option value="/gk/site/wlczj/index.html">武陵县财政局</option>
<option value="/gk/site/wlwjw/index.html">武陵县卫生健康委员会</option></optgroup>
<optgroup label="乡镇"><option value="/gk/site/qxz/index.html">清溪镇人民政府</option></optgroup>
</select></div><a href="/gk/zn.html">政府信息公开指南</a></body></html>"""


def test_a_unit_select_names_its_options_as_their_units_catalogues():
    """A 公开主体 <select> whose options name the platform's units bare (武陵县人民政府, 武陵县财政局 …):
    choosing one opens that unit's own catalogue. The government's option is its catalogue — a hub
    — and the organs' are unit catalogues, followed from a page past the home page; a township's
    leads nowhere of its own. A menu of governments alone (政府网站) or of organs alone (部门网站)
    keeps its options' names: they open other sites."""
    here = HOME + "gk/index.html"
    entries = page_links(Selector(text=UNIT_SELECT_PAGE), here)
    names = {e.url: e.title for e in entries}
    assert names[HOME + "gk/site/wl/index.html"] == "武陵县人民政府信息公开"
    assert names[HOME + "gk/site/wlczj/index.html"] == "武陵县财政局信息公开"
    assert is_hub(names[HOME + "gk/site/wl/index.html"]) and not is_hub(names[HOME + "gk/site/wlczj/index.html"])
    assert next_links(here, entries, 1, 5, False, set())[1] == [
        HOME + "gk/site/wl/index.html", HOME + "gk/site/wlczj/index.html", HOME + "gk/site/wlwjw/index.html"]
    governments = """<select onchange="window.open(this.value)"><option value="">政府网站</option>
    <option value="/sj/">某某市人民政府</option><option value="/xd/">邻县人民政府</option></select>"""
    organs = """<select onchange="window.open(this.value)"><option value="">部门网站</option>
    <option value="/bm/czj/">武陵县财政局</option><option value="/bm/jyj/">武陵县教育局</option></select>"""
    assert set(found(governments).values()) == {"某某市人民政府", "邻县人民政府"}
    assert set(found(organs).values()) == {"武陵县财政局", "武陵县教育局"}
    # a 盟's 行政公署 is its government: its platform's name in front of a hub's is the hub's
    assert is_hub("锡林郭勒盟行政公署信息公开")


def test_a_report_columns_tab_named_by_its_government_is_its_own_column():
    """A 年报 column split by whose reports it holds, the government's tab named by the government
    (武陵县政府年报 | 部门年报 | 乡镇年报): a column of the government's own 年报, like 本级年报 — its
    name says whose reports, and 年报 (the columns' short word, not a report's title) which. A
    place with no 政府 (市州年报: the cities' own portals) names no column, and a report's title
    naming its issuer stays a report."""
    assert column_kind("武陵县政府年报") == XXGK and column_kind("武陵县人民政府年报") == XXGK
    assert column_kind("某某盟行政公署政府信息公开年报") == XXGK
    tabs = [Entry(HOME + "nb/xzf/", "武陵县政府年报"), Entry(HOME + "nb/bm/", "部门年报"),
            Entry(HOME + "nb/xz/", "乡镇年报")]
    assert column_links(tabs) == {e.url: XXGK for e in tabs}
    assert column_kind("市州年报") is None and column_kind("武陵县年报") is None
    assert link_kind("武陵县人民政府2023年政府信息公开工作年度报告") == XXGK
    assert column_kind("武陵县人民政府政府信息公开工作年度报告") is None
# -- the fourteenth hold-out round's patterns (issue 11): a JSON catalogue tree whose nodes carry their
# list service, 加载更多 buttons that load their fragment by script --

TREE_SHELL = """<!DOCTYPE html><html><head><title>武陵县政府信息公开</title></head><body>
<div id="catalogue"></div><div id="records"></div>
<script>
$.getJSON("/gkml/tree.do", function (res) { renderTree(res.nodes); });
function showNode(item, p) {
  $.getJSON(item.dataUrl + "&page=" + p + "&size=10", function (res) { renderRecords(res.rows); });
}
</script></body></html>"""
TREE = {"nodes": [{"text": "政府信息公开指南", "dataUrl": "/gkml/list.do?cid=1"},
                  {"text": "法定主动公开内容", "nodes": [
                      {"text": "政府信息公开年报", "dataUrl": "/gkml/list.do?cid=12"},
                      {"text": "法治政府建设年度报告", "dataUrl": "/gkml/list.do?cid=13"},
                      {"text": "政策解读", "dataUrl": "/gkml/list.do?cid=14"}]}]}


def test_a_json_catalogue_trees_nodes_are_read_through_the_list_call_the_shell_makes_for_them():
    """An empty 政务公开 shell loads its catalogue as a JSON tree whose nodes carry their list
    service (`dataUrl`), and asks a clicked node's list with the page number appended
    (`item.dataUrl + "&page=" + p`): a report column's node is asked that way, page 1 first, its
    JSON records read (addresses relative to the shell), and its later pages by the count the
    answer gives. A field read without a page, or an address built from anything unknown, is no
    such call."""
    root = "http://xxgk.wl.gov.cn/"
    spider, shell = catalogue_spider(root)
    (tree,) = [r for r in spider.parse_list(html(root, TREE_SHELL).replace(request=shell))]
    assert tree.url == root + "gkml/tree.do" and tree.meta["loaded"]
    assert tree.meta["node_list"]["key"] == "dataUrl"
    answer = TextResponse(tree.url, body=json.dumps(TREE, ensure_ascii=False).encode(), encoding="utf-8",
                          request=tree)
    requests = list(spider.parse_list(answer))
    assert sorted((r.url, r.meta["kind"]) for r in requests) == [
        (root + "gkml/list.do?cid=12&page=1&size=10", XXGK), (root + "gkml/list.do?cid=13&page=1&size=10", FZ)]
    (fz,) = [r for r in requests if r.meta["kind"] == FZ]
    rows = {"total": 12, "pageCount": 2, "rows": [
        {"title": "武陵县2024年法治政府建设年度报告", "url": "xxgk/13/202503/t20250320_7.html", "pubDate": "2025-03-20"},
        {"title": "武陵县2024年法治政府建设工作要点", "url": "xxgk/13/202402/t20240210_5.html", "pubDate": "2024-02-10"}]}
    listed = list(spider.parse_list(TextResponse(fz.url, body=json.dumps(rows, ensure_ascii=False).encode(),
                                                 encoding="utf-8", request=fz)))
    assert [r.url for r in listed if r.meta["role"] == "report"] == [root + "xxgk/13/202503/t20250320_7.html"]
    assert [r.url for r in listed if r.meta["role"] == "list"] == [root + "gkml/list.do?cid=13&page=2&size=10"]
    assert node_list_call('<script>$.getJSON(item.dataUrl, show);</script>') is None   # no page: not this call
    assert node_list_call('<script>fetch(item.dataUrl + "&page=" + p + "&sign=" + token());</script>') is None


def test_a_load_more_button_writing_no_address_is_continued_by_the_fragment_its_script_loads():
    """加载更多 with `href="javascript:;"`: the next records are an HTML fragment the button's script
    appends to the list — from its data attribute, or from the address the click handler bound to
    its id asks (`$('#id').on('click', …)` with `.load(…)`, `getElementById(…).onclick` with `$.get`).
    The fragment's rows are the column's (read like a list page). An address the handler builds from
    a counter is not this pager's (the list service's, read by spiders/jsonlist.py when the script says
    how the counter moves), and a 查看更多 box link is not asked."""
    column = HOME + "zwgk/fzbg/index.html"
    rows = """<ul id="rows"><li><a href="/zwgk/fzbg/202503/t1.html">武陵县2024年法治政府建设年度报告</a><i>2025-03-20</i></li>
    <li><a href="/zwgk/fzbg/202403/t2.html">武陵县2023年法治政府建设年度报告</a><i>2024-03-21</i></li></ul>"""
    by_data = html(column, rows + '<div class="more"><button type="button" data-url="/ajax/rows.do?cid=31&start=3">'
                                  '加载更多</button></div><a href="/zwgk/zcjd/">查看更多</a>')
    assert [r.url for r in GenericAdapter().more_pages(by_data)] == [HOME + "ajax/rows.do?cid=31&start=3"]
    bound = html(column, rows + """<p class="more"><span id="btnMore">点击加载更多</span></p><script>
    $('#btnMore').on('click', function () { $('#rows').append('<li>…</li>'); $('#rows').load("/ajax/rows.do?cid=31&start=3"); });
    document.getElementById("other").onclick = function () { $.get("/ajax/hot.do"); };</script>""")
    assert [r.url for r in GenericAdapter().more_pages(bound)] == [HOME + "ajax/rows.do?cid=31&start=3"]
    by_get = html(column, rows + """<a id="more" href="javascript:;">加载更多</a><script>
    document.getElementById("more").onclick = function () { $.get("/ajax/rows.do?cid=31&start=3", add); };</script>""")
    assert [r.url for r in GenericAdapter().more_pages(by_get)] == [HOME + "ajax/rows.do?cid=31&start=3"]
    counted = html(column, rows + """<a id="more" href="javascript:;">加载更多</a><script>var start = 3;
    $("#more").click(function () { $.get("/ajax/rows.do?cid=31&start=" + start, add); start += 2; });</script>""")
    assert GenericAdapter().more_pages(counted) == []
    fragment = html(HOME + "ajax/rows.do?cid=31&start=3",
                    '<li><a href="/zwgk/fzbg/202203/t3.html">武陵县2021年法治政府建设年度报告</a><i>2022-03-18</i></li>')
    assert [e.url for e in GenericAdapter().entries(fragment)] == [HOME + "zwgk/fzbg/202203/t3.html"]


def test_a_column_stub_printing_the_sites_frame_around_its_jump_is_followed_where_the_jump_runs_at_once():
    """A TRS `jump_column.shtml`: the column's page is the site's header and footer (a menu, 我要找错,
    the other-language site) around `var jumpUrl = "…"; window.location.href = jumpUrl;` — too many
    links for a bare stub, but the browser lands where the script jumps, at once. Only a jump that
    runs as the script is read counts on such a page: one in a function, a handler or a device check
    (`if (mobile) location.href = "/m/"`) is not where a reader lands."""
    frame = ('<ul class="nav"><li><a href="/">首页</a></li><li><a href="/news/">要闻</a></li>'
             '<li><a href="/gk/c200/jump.shtml">政务公开</a></li><li><a href="/fw/">办事</a></li>'
             '<li><a href="/hd/">互动</a></li></ul><p><a href="http://zfwzgl.www.gov.cn/">我要找错</a></p>')
    stub = frame + '<script>var jumpUrl = "/gk/c201/gknr.shtml";\nwindow.location.href = jumpUrl;</script><p>跳转中</p>'
    links = found(stub, HOME + "gk/c200/jump.shtml")
    assert links[HOME + "gk/c201/gknr.shtml"] == "\x00redirect"
    for kept in ('<script>function go() { location.href = "/gk/c201/gknr.shtml"; }</script>',
                 '<script>if (/Mobile/.test(navigator.userAgent)) location.href = "/gk/c201/gknr.shtml";</script>',
                 '<script>if (isMobile) { window.location.href = "/gk/c201/gknr.shtml"; }</script>',
                 '<script>$(".nav a").click(function () { location.href = "/gk/c201/gknr.shtml"; });</script>'):
        assert HOME + "gk/c201/gknr.shtml" not in found(frame + kept, HOME + "gk/c200/jump.shtml"), kept
    # the stub's jump lands at the stub's own hop: its catalogue's columns are one hop further
    spider, column = catalogue_spider(HOME + "gk/c200/jump.shtml")
    (landed,) = [r for r in spider.parse_list(html(column.url, stub).replace(request=column))
                 if r.url == HOME + "gk/c201/gknr.shtml"]
    assert landed.meta["hops"] == 0


def test_a_catalogue_whose_tree_its_own_script_file_writes_reads_that_file_beside_the_sites_menu():
    """A 法定主动公开内容 page printing the site's menu (首页 · 政务公开 …) and, in its body, only
    `<ul class="tree"><script src="/gk/js/tree.js"></script></ul>`: the file writes the column tree
    (an array of {name, url} and a document.write loop). The menu's 政务公开 leads back where the crawl
    has been, so the page shows no way on of its own: its script file is read, as part of the page."""
    spider, home = catalogue_spider(HOME)
    menu = '<ul class="nav"><li><a href="/">首页</a></li><li><a href="/gk/">政务公开</a></li></ul>'
    (hub,) = [r for r in spider.parse_list(html(HOME, menu).replace(request=home)) if r.url == HOME + "gk/"]
    catalogue = menu + '<ul><li><a href="/gk/fd/">法定主动公开内容</a></li></ul>'
    (fd,) = [r for r in spider.parse_list(html(hub.url, catalogue).replace(request=hub)) if r.url == HOME + "gk/fd/"]
    page = menu + '<ul class="tree"><script src="/gk/js/tree.js"></script></ul>'
    (script,) = list(spider.parse_list(html(fd.url, page).replace(request=fd)))
    assert (script.url, script.meta["loaded"], script.meta["hops"]) == (HOME + "gk/js/tree.js", True, fd.meta["hops"])
    tree = ('var tree = [{name: "机构职能", url: "/gk/fd/jgzn/"},\n {name: "法治政府建设年度报告", url: "/gk/fd/fzbg/"},\n'
            ' {name: "政府信息公开年报", url: "/gk/fd/nb/"}];\nfor (var i = 0; i < tree.length; i++) {\n'
            '  document.write(\'<li><a href="\' + tree[i].url + \'">\' + tree[i].name + \'</a></li>\'); }')
    answer = TextResponse(script.url, body=tree.encode(), encoding="utf-8",
                          headers={"Content-Type": "application/javascript"}, request=script)
    assert {r.url: r.meta["kind"] for r in spider.parse_list(answer)} == {HOME + "gk/fd/fzbg/": FZ, HOME + "gk/fd/nb/": XXGK}
    # a page whose menu names a hub the crawl has not been to leads there, its script files unread
    spider, home = catalogue_spider(HOME + "gk/fd/")
    assert [r.url for r in spider.parse_list(html(home.url, page).replace(request=home))] == [HOME + "gk/"]


def test_list_rows_opened_only_by_their_own_handler_are_the_columns_entries():
    """Rows with no anchor at all, opened by the row's handler: `<li onclick="window.open('…')">` with
    the title and the date in spans, `<tr onclick="location.href='…'">` with a number, the title and
    the date in cells, a row whose title is its own text. Each is an entry named by its title (a
    file's dated by its row); a tab (`onclick="show(2)"`) or a row whose handler opens nothing is not."""
    body = """<ul class="tabs"><li onclick="show(2)">2024年度</li><li onclick="toggle('list2')">部门</li></ul>
    <ul class="list">
    <li onclick="window.open('/gk/nb/202503/t1.shtml')"><span class="t">武陵县2024年政府信息公开工作年度报告</span><span class="d">2025-03-20</span></li>
    <li onclick="window.open('/gk/nb/202403/t2.shtml','_blank')"><span class="t">武陵县2024年政务公开工作要点</span><span class="d">2024-03-02</span></li>
    <li onclick="window.location.href='/gk/nb/2023nb.pdf'">武陵县2022年政府信息公开工作年度报告 <em>2023-01-30</em></li></ul>
    <table><tr onclick="location.href='/gk/fz/202601/t3.shtml'"><td>1</td><td>武陵县2025年度法治政府建设情况报告</td>
    <td>2026-01-10</td></tr></table>"""
    rows = {e.url: (e.title, e.date) for e in clicked_rows(Selector(text=body), HOME)}
    assert rows == {HOME + "gk/nb/202503/t1.shtml": ("武陵县2024年政府信息公开工作年度报告", None),
                    HOME + "gk/nb/202403/t2.shtml": ("武陵县2024年政务公开工作要点", None),
                    HOME + "gk/nb/2023nb.pdf": ("武陵县2022年政府信息公开工作年度报告", "2023-01-30"),
                    HOME + "gk/fz/202601/t3.shtml": ("武陵县2025年度法治政府建设情况报告", None)}
    # the column's list page opens the report rows, not the 工作要点
    spider, column = catalogue_spider(HOME + "gk/nb/")
    column = column.replace(meta={**column.meta, "kind": XXGK})
    opened = [r.url for r in spider.parse_list(html(column.url, body).replace(request=column))
              if r.meta.get("role") in ("report", "attachment")]
    assert sorted(opened) == [HOME + "gk/fz/202601/t3.shtml", HOME + "gk/nb/2023nb.pdf", HOME + "gk/nb/202503/t1.shtml"]


# -- national16's: a 公开主体 <select> is no pager; bare unit links; GBK headers; script-only hubs --------

UNIT_JUMP_PAGE = """<html><body><div class="gkzt">公开主体：
<select id="gkzt" onchange="location.href=this.options[this.selectedIndex].value">
<option value="/gk/index.html">请选择公开主体</option><option value="/gk/list-bj.html">桃源县人民政府</option>
<option value="/gk/list-jyj.html">桃源县教育局</option><option value="/gk/list-sfj.html">桃源县司法局</option>
</select></div><ul><li><a href="/gk/zn.html">政府信息公开指南</a></li></ul></body></html>"""


def test_a_unit_jump_menu_is_no_pager_of_the_page_it_is_on():
    """A 公开主体 <select onchange="location.href=…"> (its options the government and its organs)
    opens each unit's own catalogue: discovery follows them as hubs and unit catalogues, a hop
    further. They are no further pages of the page that shows the menu — taken as pages, they were
    never read for their own columns. A page-jump menu names pages or years (第2页, 2024年)."""
    response = html(HOME + "gk/index.html", UNIT_JUMP_PAGE)
    assert list(GenericAdapter().more_pages(response)) == []
    names = found(UNIT_JUMP_PAGE, HOME + "gk/index.html")
    assert is_hub(names[HOME + "gk/list-bj.html"])
    pages = """<ul><li><a href="/c/1.html">桃源县2023年度法治政府建设情况报告</a></li></ul>
    <select onchange="window.location.href=this.value"><option>请选择年份</option>
    <option value="/c/2024.html">2024年</option><option value="/c/2023.html">2023年</option></select>
    <select onchange="location.href=this.value"><option value="index.html" selected>第1页</option>
    <option value="index_1.html">第2页</option></select>"""
    urls = {r.url for r in GenericAdapter().more_pages(html(HOME + "c/index.html", pages))}
    assert {HOME + "c/2024.html", HOME + "c/2023.html", HOME + "c/index_1.html"} <= urls


def test_a_unit_list_of_bare_links_leads_to_the_governments_catalogue():
    """A 信息公开 page listing its 公开主体 as plain links named bare (`<div class="zt"><a>县政府</a>
    <a>县发展和改革委员会</a><a>县财政局</a></div>`): the government's own link is its catalogue, a
    hub; the organs' are their catalogues. A list of organs alone (部门网站) keeps its names."""
    page = """<div class="zt"><a href="/gk/bj/">县政府</a><a href="/gk/fgw/">县发展和改革委员会</a>
    <a href="/gk/czj/">县财政局</a><a href="/gk/qxz/">清溪镇人民政府</a></div>
    <ul class="bm"><li><a href="http://jyj.wl.gov.cn/">县教育局</a></li><li><a href="http://wsj.wl.gov.cn/">县卫生健康委员会</a></li></ul>
    <ul class="nav"><li><a href="/gk/zn/">政府信息公开指南</a></li><li><a href="/hd/">县长信箱</a></li></ul>"""
    here = HOME + "gk/"
    names = found(page, here)
    assert names[HOME + "gk/bj/"] == "县政府信息公开" and is_hub(names[HOME + "gk/bj/"])
    assert names[HOME + "gk/czj/"] == "县财政局信息公开"
    assert names["http://jyj.wl.gov.cn/"] == "县教育局" and names[HOME + "hd/"] == "县长信箱"
    entries = page_links(Selector(text=page), here)
    assert HOME + "gk/bj/" in next_links(here, entries, 1, 5, False, set())[1]


def test_a_catalogue_linking_its_columns_at_their_first_page_is_no_paged_list():
    """A catalogue that links its columns at their first page (`list.jsp?cid=21&pageNum=1`,
    `nb.html?page=1`) beside a hub (法定主动公开内容): those links are other lists, not further pages
    of the catalogue — taken as its pages, the catalogue counted as a paged list and its hubs went
    unread. A list's own ?page=N links (same document, its other parameters agreeing) page it."""
    catalogue = """<ul class="nav"><li><a href="/gk/fdzdgknr.jsp">法定主动公开内容</a></li>
    <li><a href="/gk/list.jsp?cid=21&pageNum=1">政府信息公开年报</a></li><li><a href="nb.html?page=1">年报</a></li></ul>"""
    assert list(GenericAdapter().more_pages(html(HOME + "gk/index.jsp", catalogue))) == []
    listing = """<ul><li><a href="/gk/c21/1.html">桃源县2023年政府信息公开工作年度报告</a></li></ul>
    <div class="side"><a href="/gk/list.jsp?cid=22&pageNum=1">法治政府建设</a></div>
    <div class="page"><a href="/gk/list.jsp?cid=21&pageNum=2">下一页</a> <a href="list.jsp?pageNum=3&cid=21">3</a></div>"""
    urls = [r.url for r in GenericAdapter().more_pages(html(HOME + "gk/list.jsp?cid=21&pageNum=1", listing))]
    assert HOME + "gk/list.jsp?cid=21&pageNum=2" in urls and HOME + "gk/list.jsp?pageNum=3&cid=21" in urls
    assert HOME + "gk/list.jsp?cid=22&pageNum=1" not in urls


def test_a_gbk_portals_header_include_served_with_no_charset_is_read_in_the_pages_encoding():
    """A GBK home page whose menu only its header include writes (`<script src="/js/head.js">`,
    `document.write('<a href="/zwgk/">政务公开</a>')`), the file served as application/javascript with
    no charset: the browser reads it in the charset the <script> names, else in the page's own.
    Guessed as anything else its menu names nothing; read as the page's, it leads to 政务公开."""
    spider, home = catalogue_spider(HOME)
    page = ('<html><head><meta http-equiv="Content-Type" content="text/html; charset=gb2312"></head><body>'
            '<div class="top"><script src="/js/head.js"></script></div><p>要闻</p></body></html>')
    response = HtmlResponse(HOME, body=page.encode("gbk"), headers={"Content-Type": "text/html; charset=GBK"},
                            request=home)
    (script,) = [r for r in spider.parse_list(response) if r.url == HOME + "js/head.js"]
    assert script.meta["encoding"].lower() in ("gbk", "gb18030", "gb2312")
    menu = "document.write('<ul class=\"nav\"><li><a href=\"/\">首页</a></li><li><a href=\"/zwgk/\">政务公开</a></li></ul>');"
    answer = TextResponse(script.url, body=menu.encode("gbk"), headers={"Content-Type": "application/javascript"},
                          request=script)
    assert [r.url for r in spider.parse_list(answer)] == [HOME + "zwgk/"]
    # a UTF-8 page naming its include's charset: the attribute says how the file is read
    spider, home = catalogue_spider(HOME)
    page = '<html><body><script src="/js/head.js" charset="gbk"></script></body></html>'
    (script,) = [r for r in spider.parse_list(html(HOME, page).replace(request=home)) if r.url == HOME + "js/head.js"]
    assert script.meta["encoding"] == "gbk"
    answer = TextResponse(script.url, body=menu.encode("gbk"), headers={"Content-Type": "application/javascript"},
                          request=script)
    assert [r.url for r in spider.parse_list(answer)] == [HOME + "zwgk/"]
    # a page declaring no charset has only a guess (cp1252 for ASCII markup): it says nothing of its files
    spider, home = catalogue_spider(HOME)
    bare = HtmlResponse(HOME, body=b'<html><body><script src="/js/head.js"></script></body></html>', request=home)
    (script,) = [r for r in spider.parse_list(bare) if r.url == HOME + "js/head.js"]
    assert script.meta["encoding"] is None


def test_a_next_page_function_called_without_arguments_reads_the_pages_own_counters():
    """A pager whose 下一页 calls a function with no argument (`onclick="nextPage()"`), the function
    building the address from the page's own counters (`var cur = 1; var total = 3;`) and testing
    them in a one-line `if` with no braces: the next page is where it sends the browser from this
    page; on the last page the test fails and it sends the browser nowhere — nothing is asked."""
    def pages(cur: int) -> list[str]:
        markup = (f'<div class="page">第{cur + 1}页/共3页 <a href="javascript:void(0)" onclick="prevPage()">上一页</a> '
                  '<a href="javascript:void(0)" onclick="nextPage()">下一页</a></div>'
                  f'<script>var cur = {cur}; var total = 3;\n'
                  'function nextPage(){ if (cur + 1 < total) location.href = "list_" + (cur + 1) + ".html"; }\n'
                  'function prevPage(){ if (cur > 1) location.href = "list_" + (cur - 1) + ".html";'
                  ' else location.href = "list.html"; }</script>')
        return function_pages(Selector(text=markup), HOME + "c/list.html")
    assert pages(0) == [HOME + "c/list_1.html"]
    assert pages(1) == [HOME + "c/list_2.html"]
    assert pages(2) == []
    # a braced test on an argument is read as before
    braced = ('<a href="javascript:goPage(2)">2</a><script>function goPage(p){ if (p <= 1) { location.href = "index.html"; }'
              ' else { location.href = "index_" + (p - 1) + ".html"; } }</script>')
    assert function_pages(Selector(text=braced), HOME + "c/") == [HOME + "c/index_1.html"]


def test_a_report_columns_rows_named_by_their_year_alone_are_its_reports_not_year_tabs():
    """A report column whose list rows read only `2024年度报告` beside their dates (the column names the
    type, the row the year; the page opened names the whole report): the dated rows are documents,
    opened as reports and typed by their own page; undated `2023年` tabs over a list stay pages of
    the column; the same rows in a column of no report type are not opened."""
    body = """<div class="tab"><a href="/gk/fz/2023/">2023年</a><a href="/gk/fz/2022/">2022年</a></div>
    <h2>法治政府建设年度报告</h2><ul class="list"><li><a href="/gk/fz/202601/t20260110_1.html" title="2025年度报告">2025年度报告</a><span>2026-01-10</span></li>
    <li><a href="/gk/fz/202502/t20250212_2.html">2024年度报告</a><span>2025-02-12</span></li>
    <li><a href="/gk/fz/202503/t20250301_3.html">武陵县2025年普法工作要点</a><span>2025-03-01</span></li></ul>"""
    spider, column = catalogue_spider(HOME + "gk/fz/")
    column = column.replace(meta={**column.meta, "kind": FZ})
    requests = list(spider.parse_list(html(column.url, body).replace(request=column)))
    assert sorted(r.url for r in requests if r.meta["role"] == "report") == [
        HOME + "gk/fz/202502/t20250212_2.html", HOME + "gk/fz/202601/t20260110_1.html"]
    assert sorted(r.url for r in requests if r.meta["role"] == "list") == [HOME + "gk/fz/2022/", HOME + "gk/fz/2023/"]
    # the rows under the column's heading keep their own names: no year's page of the column
    assert found(body, column.url) == {HOME + "gk/fz/2023/": "2023年", HOME + "gk/fz/2022/": "2022年",
                                       HOME + "gk/fz/202601/t20260110_1.html": "2025年度报告",
                                       HOME + "gk/fz/202502/t20250212_2.html": "2024年度报告",
                                       HOME + "gk/fz/202503/t20250301_3.html": "武陵县2025年普法工作要点"}
    page = """<html><head><title>武陵县人民政府2024年度法治政府建设情况报告</title>
    <meta name="ArticleTitle" content="武陵县人民政府2024年度法治政府建设情况报告"></head><body>
    <h1>武陵县人民政府2024年度法治政府建设情况报告</h1><div class="content"><p>现将武陵县2024年度法治政府建设情况报告如下。</p>
    <p>一、主要举措和成效</p><p>二、存在的不足和原因</p><p>三、党政主要负责人履行推进法治建设第一责任人职责情况</p></div></body></html>"""
    report = extract_report(HOME + "gk/fz/202502/t20250212_2.html", page, list_title="2024年度报告")
    assert (report["report_type"], report["year"]) == (FZ, 2024)
    spider, other = catalogue_spider(HOME + "gk/tzgg/")
    other = other.replace(meta={**other.meta, "kind": None, "hops": 3})
    assert not [r for r in spider.parse_list(html(other.url, body).replace(request=other)) if r.meta["role"] == "report"]


def test_list_rows_keeping_their_address_in_a_data_attribute_for_the_pages_handler_are_entries():
    """Rows whose handler names no address but hands the row to the page's function
    (`<li data-href="….docx" onclick="go(this)">`, `go(el)` opening `el.getAttribute("data-href")`),
    and rows with no handler at all whose click the page's script binds (`$(".rows tr").on("click",
    …$(this).data("url")…)`): each opens the address it keeps. A row whose handler does not pass
    itself (`show(2)`), or a data attribute no script reads, is no entry."""
    handed = """<script>function go(el){ window.open(el.getAttribute("data-href"), "_blank"); }</script>
    <ul class="tabs"><li data-href="/gk/nb/bm/" onclick="show(2)">部门</li></ul>
    <ul class="rows"><li data-href="/gk/nb/down.jsp?filename=2025a.docx" onclick="go(this)">
    <b>武陵县人民政府2024年政府信息公开工作年度报告</b><i>2025-03-18</i></li>
    <li data-href="/gk/nb/202404/t9.html" onclick="go(this)"><b>武陵县2024年政务公开工作要点</b><i>2024-04-02</i></li></ul>"""
    rows = {e.url: (e.title, e.date) for e in clicked_rows(Selector(text=handed), HOME)}
    assert rows == {HOME + "gk/nb/down.jsp?filename=2025a.docx": ("武陵县人民政府2024年政府信息公开工作年度报告", "2025-03-18"),
                    HOME + "gk/nb/202404/t9.html": ("武陵县2024年政务公开工作要点", None)}
    bound = """<table class="rows"><tr data-url="/gk/fz/202602/t4.html"><td>武陵县2025年度法治政府建设情况报告</td>
    <td>2026-02-11</td></tr></table>
    <script>$(".rows tr").on("click", function(){ location.href = $(this).data("url"); });</script>"""
    assert [(e.url, e.title) for e in clicked_rows(Selector(text=bound), HOME)] == [
        (HOME + "gk/fz/202602/t4.html", "武陵县2025年度法治政府建设情况报告")]
    unread = bound.replace('$(this).data("url")', "'/gk/fz/'")
    assert clicked_rows(Selector(text=unread), HOME) == []
    # the column's list page opens the report's file, not the 工作要点
    spider, column = catalogue_spider(HOME + "gk/nb/")
    column = column.replace(meta={**column.meta, "kind": XXGK})
    opened = [(r.url, r.meta["role"]) for r in spider.parse_list(html(column.url, handed).replace(request=column))
              if r.meta.get("role") in ("report", "attachment")]
    assert opened == [(HOME + "gk/nb/down.jsp?filename=2025a.docx", "attachment")]


def test_documents_on_another_host_under_the_governments_domain_are_fetched_for_its_pages():
    """A portal keeps its files on a file server under its domain (file.wl.gov.cn): a cover page's
    详见附件 link, and a report column linking its reports' files straight there — or naming, by absolute
    address, a department's sub-site (sfj.wl.gov.cn) that holds the 司法局's reports its 部门年报 tab
    lists. Those hosts are lent to the site (the scope middleware lets them through) — a host outside
    the domain never is, nor an address that is no report, nor one a lent host's page links."""
    spider, column = catalogue_spider(HOME + "zwgk/nb/")
    column = column.replace(meta={**column.meta, "kind": XXGK, "hops": 2})
    body = """<ul><li><a href="http://file.wl.gov.cn/upload/202503/P1.docx">武陵县2024年政府信息公开工作年度报告</a><i>2025-03-01</i></li>
    <li><a href="http://sfj.wl.gov.cn/upload/202502/P2.docx">武陵县司法局2024年政府信息公开工作年度报告</a></li>
    <li><a href="http://jyj.wl.gov.cn/upload/202502/P3.docx">武陵县教育局2024年政务公开工作要点</a></li>
    <li><a href="http://file.hn.gov.cn/upload/P4.docx">武陵县2023年政府信息公开工作年度报告</a></li></ul>"""
    files = [r.url for r in spider.parse_list(html(column.url, body).replace(request=column))
             if r.meta["role"] == "attachment"]
    assert files == ["http://file.wl.gov.cn/upload/202503/P1.docx", "http://sfj.wl.gov.cn/upload/202502/P2.docx"]
    assert spider.lent_hosts("wl") == {"file.wl.gov.cn", "sfj.wl.gov.cn"}
    # a cover page on the site's own host: its file on the file server is its attachment
    spider, column = catalogue_spider(HOME + "zwgk/fz/")
    cover = scrapy.Request(HOME + "zwgk/fz/202503/t1.html", meta={"site": "wl", "role": "report"})
    page = """<h2>武陵县人民政府2024年度法治政府建设情况报告</h2><p>详见附件。</p>
    <p>附件：<a href="http://file.wl.gov.cn/upload/202503/P5.pdf">武陵县人民政府2024年度法治政府建设情况报告.pdf</a></p>
    <p><a href="http://www.hn.gov.cn/upload/P6.pdf">湖南省2024年度法治政府建设情况报告.pdf</a></p>"""
    (first,) = spider.parse_report(html(cover.url, page).replace(request=cover))
    assert first.url == "http://file.wl.gov.cn/upload/202503/P5.pdf" and spider.lent_hosts("wl") == {"file.wl.gov.cn"}
    crawler = spider.crawler
    crawler.spider = spider
    assert ScopeMiddleware(crawler).process_request(first) is None
    with pytest.raises(OffSite):
        ScopeMiddleware(crawler).process_request(scrapy.Request("http://www.hn.gov.cn/upload/P6.pdf", meta={"site": "wl"}))
    # a page on a lent host lends nothing further
    spider, _ = catalogue_spider(HOME)
    spider.state["wl"].lend("http://sfj.wl.gov.cn/")
    lent = scrapy.Request("http://sfj.wl.gov.cn/fzbg/t2.html", meta={"site": "wl", "role": "report"})
    page = '<p>详见附件</p><a href="http://file.wl.gov.cn/upload/P7.pdf">武陵县司法局2024年度法治政府建设情况报告.pdf</a>'
    assert [r.url for r in spider.parse_report(html(lent.url, page).replace(request=lent))
            if isinstance(r, scrapy.Request)] == []


def test_a_list_service_named_through_a_configuration_object_is_read():
    """`var conf = {url: "…/search/list.html", …, "filter[CHANNELID]": "52"}` then
    `$.getJSON(conf.url, {pageNumber: n, "filter[CHANNELID]": conf["filter[CHANNELID]"], …}, draw)`:
    the address and every parameter are the configuration object's (TRS IGS column shells keep
    one per column), read by property — dotted or by its quoted name."""
    shell = """<ul id="docs"></ul><script>
    var conf = {url: "/igs/front/search/list.html", index: "wl-gk", "filter[CHANNELID]": "52", size: 12};
    function page(n) { $.getJSON(conf.url, {index: conf.index, pageNumber: n, pageSize: conf.size,
      "filter[CHANNELID]": conf["filter[CHANNELID]"]}, draw); }
    page(1);</script>"""
    (first,) = JsonListAdapter().more_pages(html(HOME + "gk/fzbg/index.html", shell))
    parts = urlsplit(first.url)
    assert first.method == "GET" and parts.path == "/igs/front/search/list.html"
    assert parse_qsl(parts.query) == [("index", "wl-gk"), ("pageNumber", "1"), ("pageSize", "12"),
                                      ("filter[CHANNELID]", "52")]
    # a property the object does not hold is not known without running the page: no call to repeat
    assert api_call(shell.replace('conf["filter[CHANNELID]"]', 'conf["filter[SITEID]"]')) is None
    assert api_call(shell.replace("$.getJSON(conf.url", "$.getJSON(other.url")) is None


def test_a_posted_list_service_takes_its_page_in_the_address_and_its_data_as_the_form():
    """`$.ajax({url: "/api/docs?colId=" + col + "&page=" + n, type: "post", data: {siteCode: site}})`:
    the page is built into the address, the site sent as the form of a POST — the service answers
    a GET with 404, so it is asked as the script asks it. Read as a GET, the data joins the query."""
    shell = """<ul id="list"></ul><script>var col = "77", site = "W1";
    function load(n) { $.ajax({url: "/api/docs?colId=" + col + "&page=" + n + "&size=8", type: "post",
      data: {siteCode: site}, dataType: "json", success: function (d) { $("#list").html(d.rows); }}); }
    load(1);</script>"""
    call = api_call(shell)
    second = api_request(HOME + "gk/nb/index.html", call, 2)
    assert second.method == "POST" and second.url == HOME + "api/docs?colId=77&page=2&size=8"
    assert second.body == b"siteCode=W1"
    got = api_request(HOME, api_call(shell.replace('type: "post",', "")), 1)
    assert got.method == "GET" and got.url == HOME + "api/docs?colId=77&page=1&size=8&siteCode=W1"
    # a form field the script computes is not known: no call to repeat
    assert api_call(shell.replace("{siteCode: site}", "{siteCode: site, t: stamp}")) is None


def test_a_catalogue_shell_filled_with_a_posted_html_fragment_is_read_through_its_pager():
    """大汉 信息公开目录 column shells (tree.jsp) hold no record: their script POSTs
    `search.jsp?infotypeId=…&currpage=` + p with the column's form and writes the HTML it answers
    into the shell; the answer's pager calls the shell's function (`onclick="query(3)"`), no address.
    `search` here names the catalogue's list service — the call names its column and no keyword;
    a search box's call (a keyword field) stays no list."""
    shell = """<div id="box"></div><script>function query(p) {
      $.post("/module/xxgk/search.jsp?infotypeId=B07&currpage=" + p + "&area=X01", {infotypeId: "B07", area: "X01"},
        function (h) { $("#box").html(h); }); } query(1);</script>"""
    adapter = JsonListAdapter()
    page = html(HOME + "module/xxgk/tree.jsp?infotypeId=B07", shell)
    assert adapter_for(page).name == "jsonlist"
    (first,) = adapter.more_pages(page)
    assert first.method == "POST" and first.url == HOME + "module/xxgk/search.jsp?infotypeId=B07&currpage=1&area=X01"
    assert first.body == b"infotypeId=B07&area=X01"
    fragment = ('<table><tr><td><a href="/art/2025/3/1/art_9_1.html">武陵县2024年政府信息公开工作年度报告</a></td>'
                '<td>2025-03-01</td></tr></table><div class="pages">共9条 <a href="javascript:void(0)" onclick="query(1)">1</a>'
                '<a href="javascript:void(0)" onclick="query(2)">2</a><a href="javascript:query(3)">3</a></div>')
    answer = HtmlResponse(first.url, body=fragment.encode(), encoding="utf-8", request=first)
    assert [e.url for e in adapter.entries(answer)] == [HOME + "art/2025/3/1/art_9_1.html"]
    later = adapter.more_pages(answer)
    assert [r.url.split("currpage=")[1][:1] for r in later] == ["2", "3"] and {r.method for r in later} == {"POST"}
    assert later[0].body == b"infotypeId=B07&area=X01"
    again = HtmlResponse(later[0].url, body=fragment.encode(), encoding="utf-8", request=later[0])
    assert adapter.more_pages(again) == []          # only page 1 asks for the rest
    search_box = """<script>function s(p) { $.post("/module/search.jsp?currpage=" + p, {keyword: "", infotypeId: "B07"},
      show); }</script>"""
    assert api_call(search_box) is None


def test_a_catch_all_page_listing_sub_categories_leads_on_through_them():
    """A catalogue's tree nests: 其他法定公开信息 lists no document but its categories (重点工作,
    统计信息), 重点工作 its topics (法治政府), and the topic the report columns — each under its
    parent's address. While a type's column is unfound, a catch-all page listing sub-categories
    follows each as a catch-all; its dated documents, pager and the site's menu are no category."""
    body = """<div class="nav"><a href="/">首页</a><a href="/xwzx/">新闻中心</a></div><h3>其他法定公开信息</h3>
    <ul><li><a href="/gk/qtxx/zdgz.htm">重点工作</a></li><li><a href="/gk/qtxx/tjxx.htm">统计信息</a></li>
    <li><a href="/gk/qtxx/2.htm">下一页</a></li></ul>"""
    page = HOME + "gk/qtxx.htm"
    assert [(e.url, e.title) for e in subcategories(Selector(text=body), page)] == [
        (HOME + "gk/qtxx/zdgz.htm", "重点工作"), (HOME + "gk/qtxx/tjxx.htm", "统计信息")]
    listing = ('<ul><li><a href="/gk/qtxx/202403/t20240301_1.html">关于开展春季植树活动的通知</a><span>2024-03-01</span></li>'
               '<li><a href="/gk/qtxx/yjgl.htm">应急管理工作</a><span>2024-02-01</span></li></ul>')
    assert subcategories(Selector(text=listing), page) == []   # documents, dated: a list, not an index
    spider, column = catalogue_spider(page)
    column = column.replace(meta={**column.meta, "hops": 3, "catch_all": True})
    asked = {r.url: r.meta.get("catch_all") for r in spider.parse_list(html(page, body).replace(request=column))}
    assert asked[HOME + "gk/qtxx/zdgz.htm"] and asked[HOME + "gk/qtxx/tjxx.htm"]
    # the same page reached as an ordinary portal page (not a catch-all) leads nowhere by them
    spider, plain = catalogue_spider(page)
    plain = plain.replace(meta={**plain.meta, "hops": 3})
    assert HOME + "gk/qtxx/zdgz.htm" not in {r.url for r in spider.parse_list(html(page, body).replace(request=plain))}


def test_a_root_stub_jumping_to_its_own_index_page_lands_on_the_home_page_at_no_further_hop():
    """`/` is a stub whose script sends the browser to `/index.shtml`, the real home page. The two
    addresses are one list page (column_url), so the jump is asked as the page's twin — at the same
    hop: the home page features its newest reports under 最新公开 and is still searched for its hubs."""
    spider, home = catalogue_spider(HOME)
    stub = '<html><head><script>window.location.href="/index.shtml";</script></head><body></body></html>'
    (landed,) = list(spider.parse_list(html(HOME, stub).replace(request=home)))
    assert (landed.url, landed.meta["hops"]) == (HOME + "index.shtml", 0)
    body = """<div class="nav"><a href="/">首页</a><a href="/zwgk/">政务公开</a></div>
    <div class="news"><h3>最新公开</h3><ul><li><a href="/zwgk/nb/202601/P020260126.pdf">武陵县人民政府2025年政府信息公开工作年度报告</a>
    <span>2026-01-26</span></li></ul></div>"""
    asked = {r.url: r.meta["role"] for r in spider.parse_list(html(landed.url, body).replace(request=landed))}
    assert asked == {HOME + "zwgk/": "list", HOME + "zwgk/nb/202601/P020260126.pdf": "attachment"}


def test_a_catalogue_tree_a_server_page_writes_as_script_is_read_as_the_pages_script():
    """大汉's 信息公开 catalogue draws its tree with `<script src="/module/xxgk/tree.jsp?divid=…&area=…">`:
    the JSP answers `document.write('<ul class="xxgk_tree"><li><a …>…')`. A script is what the
    <script> element loads, whatever its address ends in — the page shows no other way on, so it is read
    as part of the page, and its report columns are the page's. Counters and libraries stay unread."""
    spider, home = catalogue_spider(HOME + "xxgk/index.html")
    page = ('<div class="xxgk_left" id="div4001"><script src="/module/xxgk/tree.jsp?divid=div4001&area=330302&'
            'standardXxgk=1"></script></div><script src="/count.jsp?siteid=1"></script>'
            '<script src="/module/jslib/jquery/jquery.js"></script>')
    (tree,) = list(spider.parse_list(html(home.url, page).replace(request=home)))
    assert (tree.url, tree.meta["loaded"]) == (HOME + "module/xxgk/tree.jsp?divid=div4001&area=330302&standardXxgk=1", True)
    written = ("document.write('<ul class=\\'xxgk_tree\\'><li><a href=\\'/col/col1037/index.html\\'>法治政府建设年度报告"
               "</a></li><li><a href=\\'/col/col1038/index.html\\'>政府信息公开年报</a></li></ul>');")
    answer = TextResponse(tree.url, body=written.encode(), encoding="utf-8",
                          headers={"Content-Type": "application/javascript"}, request=tree)
    assert {r.url: r.meta["kind"] for r in spider.parse_list(answer)} == {
        HOME + "col/col1037/index.html": FZ, HOME + "col/col1038/index.html": XXGK}


JPAGE_NO_GROUP_PAGE = """<html><body><div id="4113"><script type="text/xml"><datastore><nextgroup><![CDATA[]]></nextgroup>
<recordset>""" + "".join(
    f'<record><![CDATA[<li><a href="/art/2025/2/{n}/art_1037_{n}.html">武陵区{2025 - n}年法治政府建设年度报告</a></li>]]></record>\n'
    for n in range(1, 5)) + """</recordset></datastore></script></div>
<script src="/js/jquery.js"></script>
<script>$(function(){$("#4113").jpage({dataStore:null,proxyUrl:"/module/jpage/dataproxy.jsp",perPage:4,totalRecord:10,
ajaxParam:{col:1,appid:1,webid:11,path:"/",columnid:1037,sourceContentType:1,unitid:4113,webname:"武陵区人民政府",permissiontype:0}});});
</script></body></html>"""


def test_a_jpage_call_naming_no_group_size_is_continued_a_group_of_what_the_page_inlined_at_a_time():
    """A jpage call naming no groupSize whose page inlines one page (perPage:4, four records, 10 in
    all): jpage's default group (3 × 4) is asked from the first record not inlined, and a proxy that
    knows no such range (404) is asked a group of what the server inlined — one page, `5…8` — then range
    after range while the answers come full, the last up to totalRecord (`9…10`)."""
    column = HOME + "col/col1037/index.html"
    (group,) = HanwebAdapter().more_pages(html(column, JPAGE_NO_GROUP_PAGE))
    assert (group.method, urlsplit(group.url).query, urlsplit(group.meta["or_else"]).query) == (
        "POST", "startrecord=5&endrecord=16&perpage=4", "startrecord=5&endrecord=8&perpage=4")
    page = group.replace(url=group.meta["or_else"], meta={"jpage_pages": True})
    records = "".join(f"<record><![CDATA[<li><a href=\"/art/2021/3/{n}/art_1037_{n}.html\">武陵区{2025 - n}年法治政府建设"
                      f"年度报告</a></li>]]></record>" for n in range(5, 9))
    answer = TextResponse(page.url, body=(f"<datastore><totalrecord>10</totalrecord><recordset>{records}</recordset>"
                                          "</datastore>").encode(), encoding="utf-8", request=page)
    (rest,) = HanwebAdapter().more_pages(answer)
    assert (rest.method, urlsplit(rest.url).query, rest.body) == ("POST", "startrecord=9&endrecord=10&perpage=4", page.body)
    assert dict(parse_qsl(rest.body.decode()))["columnid"] == "1037"
    # a call naming its groupSize keeps the call's arithmetic, with no other range to fall back on
    grouped = JPAGE_NO_GROUP_PAGE.replace("perPage:4,", "perPage:4,groupSize:2,")
    (asked,) = HanwebAdapter().more_pages(html(column, grouped))
    assert urlsplit(asked.url).query == "startrecord=5&endrecord=12&perpage=4" and "or_else" not in asked.meta


def test_a_framesets_frames_are_its_page_at_its_hop():
    """A home page drawn as a <frameset> (a banner frame and a main frame) has no body of its own: the
    main frame is the home page a reader sees, featuring its newest reports under 最新公开, its menu
    written by its header script. Asked at the frameset's hop, it is searched as the home page: its
    menu script is read, and the menu's 政务公开 leads on. An <iframe> in a page leads a hop further."""
    spider, home = catalogue_spider(HOME)
    frameset = ('<html><head><meta http-equiv="Content-Type" content="text/html; charset=gb2312"></head>'
                '<frameset rows="120,*"><frame src="/top.htm"><frame src="/main.htm" name="main"></frameset></html>')
    asked = {r.url: r.meta["hops"] for r in spider.parse_list(html(HOME, frameset).replace(request=home))}
    assert asked == {HOME + "top.htm": 0, HOME + "main.htm": 0}
    main = scrapy.Request(HOME + "main.htm", meta={**home.meta, "hops": 0, "column": HOME + "main.htm"})
    body = """<div class="nav"><script charset="gb2312" src="/js/menu.js"></script></div><div class="news"><h3>最新公开</h3>
    <ul><li><a href="/zwgk/nb/202605/t20260525_1.html">武陵县人民政府2025年度政府信息公开工作年度报告</a><span>2026-05-25</span></li></ul></div>"""
    asked = {r.url: r.meta["role"] for r in spider.parse_list(html(main.url, body).replace(request=main))}
    assert asked[HOME + "js/menu.js"] == "list" and asked[HOME + "zwgk/nb/202605/t20260525_1.html"] == "report"
    spider, home = catalogue_spider(HOME)
    framed = '<div class="nav"><a href="/">首页</a></div><iframe src="/zwgk/frame.html"></iframe>'
    assert {r.url: r.meta["hops"] for r in spider.parse_list(html(HOME, framed).replace(request=home))} == {
        HOME + "zwgk/frame.html": 1}


def test_a_load_more_call_counting_a_record_offset_is_continued_from_the_rows_shown():
    """加载更多 under a column's first five rows calls `more()`, whose `$.get` builds its address from
    a record offset the script counts (`var off = 5; … "&offset=" + off + "&size=5" …; off += 5`) and
    appends the HTML rows it gets. The counter's first value and its step are written in the script:
    the first call asks offset=5, the next offset=10, while the answers come full (a short or empty one
    is the end). A counter the script never raises by a number is not guessed."""
    column = HOME + "zwgk/nb/index.html"
    rows = "".join(f'<li><a href="/zwgk/nb/2025/t{n}.html">武陵区{2025 - n}年政府信息公开工作年度报告</a></li>' for n in range(5))
    shell = html(column, f"""<ul id="list">{rows}</ul><button id="more" onclick="more()">加载更多</button>
    <script>var off = 5; function more() {{ $.get("/api/more?cid=1334&offset=" + off + "&size=5", function (d) {{
    $("#list").append(d); off += 5; }}); }}</script>""")
    (first,) = JsonListAdapter().more_pages(shell)
    assert first.url == HOME + "api/more?cid=1334&offset=5&size=5"
    full = HtmlResponse(first.url, body=rows.encode(), encoding="utf-8", request=first.replace(meta={**first.meta, "kind": XXGK}))
    (second,) = JsonListAdapter().more_pages(full)
    assert second.url == HOME + "api/more?cid=1334&offset=10&size=5"
    short = HtmlResponse(second.url, body=rows[:200].encode(), encoding="utf-8",
                         request=second.replace(meta={**second.meta, "kind": XXGK}))
    assert JsonListAdapter().more_pages(short) == []
    unraised = shell.replace(body=shell.body.replace(b"off += 5;", b""))
    assert JsonListAdapter().more_pages(unraised) == []


def test_a_row_template_rendering_a_date_beside_the_link_names_the_link_by_its_own_text():
    """A 年报 column keeps its rows in an inline array (`var listData = [{t: …, u: …, d: "2025-03-04"}]`)
    and renders each as `<a href="' + r.u + '">' + r.t + '</a><span>' + r.d + '</span>`: two keys are
    rendered between tags, but the link's name is the one rendered as the <a>'s own text — not the
    date, whatever order a set would give them (the crawl must not depend on the hash seed)."""
    code = """var listData = [{"t": "2024年武陵县政府信息公开工作年度报告", "u": "/zwgk/nb/202503/t1.html", "d": "2025-03-04"}];
    var per = 6; function show(p) { var h = ""; listData.slice((p - 1) * per, p * per).forEach(function (r) {
    h += "<li><span>" + r.d + "</span><a href=\\"" + r.u + "\\" title=\\"" + r.t + "\\">" + r.t + "</a><span>" + r.d
      + "</span></li>"; }); document.getElementById("lst").innerHTML = h; } show(1);"""
    assert rendered_keys(code) == (["t", "d"], ["u"])
    assert [(e.url, e.title) for e in literal_links(code, HOME)] == [
        (HOME + "zwgk/nb/202503/t1.html", "2024年武陵县政府信息公开工作年度报告")]


def test_a_file_an_inline_array_links_straight_is_dated_by_its_row():
    """A row of an inline data array linking the file itself (`{"t": …, "u": "….pdf", "d": "2022-03-11"}`)
    has no page to say when the report was published: the row's date, whatever its key, is what the
    list shows beside it, and coverage's on time / late rests on it. A page's row is not dated (its
    own page is), nor is a row whose only date is inside its title."""
    code = """var listData = [{"t": "2021年武陵县政府信息公开工作年度报告", "u": "/zwgk/nb/202203/P1.pdf", "d": "2022-03-11"},
    {"t": "武陵县2020年政府信息公开工作年度报告", "u": "/zwgk/nb/202103/P2.docx", "d": "2021/3/9 10:20"},
    {"t": "2023年武陵县政府信息公开工作年度报告", "u": "/zwgk/nb/202403/t3.html", "d": "2024-03-20"},
    {"t": "武陵县2019年度报告（2020-01-10）", "u": "/zwgk/nb/202001/P4.pdf"}];
    function show(p) { var h = ""; listData.forEach(function (r) {
    h += "<li><a href=\"" + r.u + "\">" + r.t + "</a><span>" + r.d + "</span></li>"; }); } show(1);"""
    assert [(e.url[len(HOME):], e.date) for e in literal_links(code, HOME)] == [
        ("zwgk/nb/202203/P1.pdf", "2022-03-11"), ("zwgk/nb/202103/P2.docx", "2021-03-09"),
        ("zwgk/nb/202403/t3.html", None), ("zwgk/nb/202001/P4.pdf", None)]


def test_a_gkmlpt_catalogues_columns_are_its_links_fragments_and_its_one_page_is_asked_once_for_both():
    """广东 gkmlpt serves one catalogue page, `/gkmlpt/index`, for all its categories: the page's script
    reads the category from the address's fragment (`index#3101`, `index#3102`) and asks the platform's
    API for it. A catalogue linking its two report columns so names them by the fragment alone: each
    link is its own column, but the page is one — asked once (a page asked again is refused on
    resume), with both routes; its answer asks the API for each category (with the SID the page
    embeds), each request carrying its own column's report type. A fragment elsewhere (`#top`) is
    still no address."""
    catalogue = HOME + "zwgk/xxgkml/index.html"
    body = """<div class="ml"><h3>信息公开目录</h3><ul><li><a href="/gkmlpt/index#3101">法治政府建设年度报告</a></li>
    <li><a href="/gkmlpt/index#3102">政府信息公开年报</a></li><li><a href="/gkmlpt/index">政府信息公开目录</a></li>
    <li><a href="/zwgk/gkzn/index.html#top">政府信息公开指南</a></li></ul></div>"""
    links = found(body, catalogue)
    assert column_links(page_links(Selector(text=body), catalogue)) == {
        HOME + "gkmlpt/index#3101": FZ, HOME + "gkmlpt/index#3102": XXGK}
    assert HOME + "zwgk/gkzn/index.html" in links and HOME + "gkmlpt/index" in links
    spider, page = catalogue_spider(catalogue)
    page = page.replace(meta={**page.meta, "hops": 2})
    asked = [r for r in spider.parse_list(html(catalogue, body).replace(request=page))
             if r.url.startswith(HOME + "gkmlpt/")]
    assert [(r.url, r.meta["routes"]) for r in asked] == [(HOME + "gkmlpt/index", {"3101": FZ, "3102": XXGK})]
    shell = """<div id="app"></div><script>window.CONFIG = {sid: "765001"};</script><script>
    var cat = location.hash.slice(1);
    $.getJSON("/gkmlpt/api/all/" + cat + "?page=1&sid=" + CONFIG.sid, function (d) { render(d.articles); });</script>"""
    answer = HtmlResponse(asked[0].url, body=shell.encode(), encoding="utf-8", request=asked[0])
    apis = {r.url: r.meta["kind"] for r in spider.parse_list(answer) if r.meta.get("role") == "list"}
    assert apis == {HOME + "gkmlpt/api/all/3101?page=1&sid=765001": FZ,
                    HOME + "gkmlpt/api/all/3102?page=1&sid=765001": XXGK}


def test_a_gkmlpt_column_page_that_names_its_category_in_a_variable_asks_that_category():
    """A gkmlpt deployment with one static page per column (`/gkmlpt/index_1081.html`: no fragment, no
    tree) fixes the category in its own script — `var SID = '2106000'; var CAT = 1081;` and
    `$.getJSON('/gkmlpt/api/all/' + CAT + '?page=' + page + '&sid=' + SID, …)` — so the API is asked for
    the number the script assigns to the name it appends, with the SID it assigns; a name assigned no
    number (the fragment read at run time) names no category."""
    from spiders.gkmlpt import GkmlptAdapter
    body = ("<h2>法治政府建设</h2><div id='gkmlpt-list'></div><script>\nvar SID = '5120001'; var CAT = 2081;\n"
            "function loadPage(page){\n $.getJSON('/gkmlpt/api/all/' + CAT + '?page=' + page + '&sid=' + SID,"
            " function(res){ render(res.articles); });\n}\nloadPage(1);\n</script>")
    url = HOME + "gkmlpt/index_2081.html"
    assert [r.url for r in GkmlptAdapter().more_pages(html(url, body))] == [
        HOME + "gkmlpt/api/all/2081?page=1&sid=5120001"]
    unassigned = body.replace("var CAT = 2081;", "var CAT = location.hash.slice(1);")
    assert GkmlptAdapter().more_pages(html(url, unassigned)) == []
    # an address written whole (`'/gkmlpt/api/all/2081?page=' + p`) is no catalogue: the JSON list reader asks it
    literal = body.replace("'/gkmlpt/api/all/' + CAT + '?page='", "'/gkmlpt/api/all/2081?page='")
    assert not GkmlptAdapter().detect(html(url, literal))


def test_a_border_or_resort_zones_committee_is_not_its_government():
    """A 边境经济合作区, 旅游度假区 or 产业集聚区 管理委员会 is, like a 开发区's, an agency the government set up:
    its report is the zone's, not the government's own."""
    assert issuer_type("武陵边境经济合作区管理委员会2024年法治政府建设工作报告", None) == "department"
    assert issuer_type("武陵旅游度假区管委会2024年政府信息公开工作年度报告", None) == "department"
    assert issuer_type("2024年政府信息公开工作年度报告", "武陵产业集聚区管理委员会") == "department"
    assert issuer_type("武陵县人民政府2024年法治政府建设年度报告", None) == "government"


def test_an_epoint_list_counting_its_pages_from_zero_asks_page_zero_first_and_stops_at_the_last():
    """新点 Epoint's column shell posts `getPageInfoListNew` from a function whose argument is the page
    (`function loadInfo(pageIndex){ $.ajax({type: 'POST', …, data: {categorynum: …, pageIndex: pageIndex}})
    } loadInfo(0);`): its pages count from 0 and page 0 holds the newest reports, so the first page asked
    is the number the script's own first call passes, and N pages end at N - 1 (no page N asked)."""
    shell = ("<h2>政府信息公开工作年度报告</h2><ul id='infolist'></ul><script>\n"
             "var categorynum = '003001', siteguid = 'ab12';\nfunction loadInfo(pageIndex){\n"
             " $.ajax({ type: 'POST', url: '/EpointWebBuilder/rest/frontAppCustomAction/getPageInfoListNew',\n"
             "  data: { categorynum: categorynum, pageIndex: pageIndex, pageSize: 5, siteguid: siteguid },\n"
             "  success: function(res){ render(res.custom.infodata); } });\n}\nloadInfo(0);\n</script>")
    (first,) = JsonListAdapter().more_pages(html(HOME + "xxgk/ndbg/moreinfo.html", shell))
    assert first.method == "POST" and dict(parse_qsl(first.body.decode()))["pageIndex"] == "0"
    rows = [{"title": f"武陵县{2024 - i}年政府信息公开工作年度报告", "infourl": f"/xxgk/ndbg/{i}.html",
             "infodate": "2025-01-20"} for i in range(5)]
    answer = TextResponse(first.url, body=json.dumps({"custom": {"infodata": rows, "total": 12}}).encode(),
                          encoding="utf-8", request=first)
    later = JsonListAdapter().more_pages(answer)
    assert [dict(parse_qsl(r.body.decode()))["pageIndex"] for r in later] == ["1", "2"]
    # a page function first called with 1 counts from 1, as before
    (one,) = JsonListAdapter().more_pages(html(HOME + "xxgk/ndbg/moreinfo.html", shell.replace("loadInfo(0)", "loadInfo(1)")))
    assert dict(parse_qsl(one.body.decode()))["pageIndex"] == "1"


def test_a_catch_all_column_split_by_year_reads_its_year_tabs():
    """法治建设 › 2026年 | 2025年 | 2024年 …: a catch-all column (no report type of its own) that files each
    year's rows under its publication year's tab shows only the newest tab; the others are pages of the
    column, asked at its hop and as catch-alls like it (the 法治 report of 2023 sits under 2024年)."""
    spider, catalogue = catalogue_spider(HOME + "zfxxgk/")
    catalogue = catalogue.replace(meta={**catalogue.meta, "hops": 2})
    menu = """<ul class="ml"><li><a href="/zfxxgk/fzjs/index.html">法治建设</a></li>
    <li><a href="/zfxxgk/zcjd/">政策解读</a></li></ul>"""
    (topic,) = [r for r in spider.parse_list(html(catalogue.url, menu).replace(request=catalogue))
                if r.url == HOME + "zfxxgk/fzjs/index.html"]
    assert topic.meta["catch_all"] and topic.meta["kind"] is None
    body = """<ul class="year-tab"><li class="on"><a href="/zfxxgk/fzjs/2026/index.html">2026年</a></li>
    <li><a href="/zfxxgk/fzjs/2025/index.html">2025年</a></li><li><a href="/zfxxgk/fzjs/2024/index.html">2024年</a></li></ul>
    <ul class="list"><li><a href="/uploadfiles/202602/a1.pdf">武陵县2025年度法治政府建设工作报告</a>
    <span class="date">2026-02-09</span></li></ul>"""
    requests = list(spider.parse_list(html(topic.url, body).replace(request=topic)))
    years = [r for r in requests if r.meta["role"] == "list"]
    assert [r.url for r in years] == [HOME + f"zfxxgk/fzjs/{y}/index.html" for y in (2026, 2025, 2024)]
    assert all(r.meta["catch_all"] and r.meta["hops"] == topic.meta["hops"] for r in years)


# -- national22's patterns: 加载更多 buttons keeping their page in data attributes, TRS IGS $.extend calls,
# XML feeds --

DATA_MORE_SHELL = """<ul class="list" id="rows">
<li><a href="/zwgk/fzzf/202503/t1.html">武陵县2024年法治政府建设年度报告</a><span>2025-03-20</span></li>
<li><a href="/zwgk/fzzf/202502/t2.html">武陵县2025年法治政府建设工作要点</a><span>2025-02-14</span></li></ul>
<div class="more"><a id="loadMore" href="javascript:;" data-page="2" data-total="4">加载更多</a></div>
<script>$("#loadMore").on("click", function(){ var p = $(this).data("page");
 $.get("/zwgk/fzzf/more_" + p + ".html", function(h){ $("#rows").append(h); });
 $(this).data("page", p + 1); if (p >= $(this).data("total")) { $(this).hide(); } });</script>"""


def test_a_load_more_button_keeping_its_next_page_in_data_attributes_is_asked_from_it_to_its_total():
    """A 加载更多 button that keeps the page its next click asks, and the last, in its own attributes
    (`<a id="loadMore" data-page="2" data-total="4">`, the handler reading `$(this).data("page")` into
    the address `"more_" + p + ".html"` and hiding itself at `data("total")`): the first fragment asked
    is page 2 — the rows shown are page 1, and no more_1.html exists — and the last page 4."""
    adapter = JsonListAdapter()
    page = html(HOME + "zwgk/fzzf/index.html", DATA_MORE_SHELL)
    call = api_call(DATA_MORE_SHELL)
    assert adapter_for(page).name == "jsonlist" and (call["first"], call["last"]) == (2, 4)
    (second,) = adapter.more_pages(page)
    assert second.url == HOME + "zwgk/fzzf/more_2.html"
    (third,) = adapter.more_pages(more_rows(second, ["武陵县2023年法治政府建设年度报告"]))
    assert third.url == HOME + "zwgk/fzzf/more_3.html"
    (fourth,) = adapter.more_pages(more_rows(third, ["武陵县2022年法治政府建设年度报告"]))
    assert adapter.more_pages(more_rows(fourth, ["武陵县2021年法治政府建设年度报告"])) == []   # its total: the end
    # `.attr("data-page")` and jQuery's camelCase names (data("pageTotal") reads data-page-total) alike
    camel = DATA_MORE_SHELL.replace('data-total="4"', 'data-page-total="3"').replace(
        '$(this).data("page")', 'parseInt($(this).attr("data-page"))').replace('data("total")', 'data("pageTotal")')
    assert (api_call(camel)["first"], api_call(camel)["last"]) == (2, 3)


IGS_SHELL = """<div class="gk-list"><ul id="igsList"></ul><div id="igsPage"></div></div><script>
var igsConf = { index: 'gkml', type: 'gkml', siteId: 7, channelId: 5521, pageSize: 10 };
function query(n){ $.get('/igs/front/search/list.html', $.extend({ pageNumber: n }, igsConf), function(res){
  var h = ''; $.each(res.data.content, function(i, d){ h += '<li><a href="' + d.DOCPUBURL + '">' + d.DOCTITLE + '</a></li>'; });
  $('#igsList').html(h); pageBar('#igsPage', res.page.totalPages, n, query); }); }
query(1);</script>"""


def test_a_trs_igs_shell_merging_the_page_into_its_configuration_is_asked_page_by_page():
    """TRS IGS list shells keep a column's fixed parameters in a configuration object and merge the
    page number into it for each call (`$.get("/igs/front/search/list.html", $.extend({pageNumber: n},
    igsConf), fn)`): the merged object is the call's data — the column's channelId and the page —
    and the answer's `data.content` records (DOCTITLE, DOCPUBURL with the full address, PUBDATE) are
    the list, `page.totalPages` its count. A named object the script does not assign is no call."""
    adapter = JsonListAdapter()
    page = html(HOME + "xxgk/nb/index.shtml", IGS_SHELL)
    assert adapter_for(page).name == "jsonlist"
    (first,) = adapter.more_pages(page)
    assert urlsplit(first.url).path == "/igs/front/search/list.html" and first.method == "GET"
    assert dict(parse_qsl(urlsplit(first.url).query)) == {
        "pageNumber": "1", "index": "gkml", "type": "gkml", "siteId": "7", "channelId": "5521", "pageSize": "10"}
    answer = {"data": {"content": [{"DOCTITLE": "武陵县2024年政府信息公开工作年度报告", "PUBDATE": "2025-01-20 09:00:00",
                                    "DOCPUBURL": "http://www.wl.gov.cn/xxgk/nb/202501/P020250120.pdf"}]},
              "page": {"total": 25, "pageNumber": 1, "pageSize": 10, "totalPages": 3}}
    listed = TextResponse(first.url, body=json.dumps(answer).encode(), encoding="utf-8", request=first)
    assert [(e.url, e.date) for e in adapter.entries(listed)] == [(HOME + "xxgk/nb/202501/P020250120.pdf", "2025-01-20")]
    assert [dict(parse_qsl(urlsplit(r.url).query))["pageNumber"] for r in adapter.more_pages(listed)] == ["2", "3"]
    assert api_call(IGS_SHELL.replace("var igsConf", "var other")) is None


XML_SHELL = """<h2>政府信息公开年报</h2><ul id="xmlList"></ul><div id="xmlPager"></div><script>
$.ajax({ url: '/data/column_88.xml', dataType: 'xml', success: function(xml){ var html = '';
 $(xml).find('item').each(function(){ html += '<li><a href="' + $(this).find('link').text() + '">'
   + $(this).find('title').text() + '</a><span>' + $(this).find('pubDate').text() + '</span></li>'; });
 $('#xmlList').html(html); paginate('#xmlList', 5); }});</script>"""
XML_FEED = """<?xml version="1.0" encoding="UTF-8"?>
<channel><item><title>武陵县2024年政府信息公开工作年度报告</title><link>/xxgk/nb/202501/t1.html</link>
<pubDate>2025-01-21</pubDate></item>
<item><title>武陵县2023年政府信息公开工作年度报告</title><link>/uploadfiles/202402/a1.pdf</link><pubDate>2024-02-17</pubDate></item>
</channel>"""


def test_a_column_reading_its_list_from_an_xml_feed_lists_the_feeds_items():
    """A column shell that reads its whole list from an XML feed (`$.ajax({url: "/data/column_88.xml",
    dataType: "xml", success: … $(xml).find("item") …})`) and pages it in the browser: the feed is
    asked once, as the column's list — its `<item>`s (title, link, pubDate) are the records, a file's
    dated by its pubDate — with no further page. Only a column's page reads a feed so (a home page
    loading its menu from XML keeps reading it as a menu)."""
    adapter = JsonListAdapter()
    url = HOME + "xxgk/nb/index.html"
    page = HtmlResponse(url, body=XML_SHELL.encode(), encoding="utf-8", request=scrapy.Request(url, meta={"kind": XXGK}))
    assert adapter_for(page).name == "jsonlist"
    (feed,) = adapter.more_pages(page)
    assert feed.url == HOME + "data/column_88.xml"
    answer = XmlResponse(feed.url, body=XML_FEED.encode(), encoding="utf-8", request=feed)
    assert [(e.url, e.title, e.date) for e in adapter.entries(answer)] == [
        (HOME + "xxgk/nb/202501/t1.html", "武陵县2024年政府信息公开工作年度报告", None),
        (HOME + "uploadfiles/202402/a1.pdf", "武陵县2023年政府信息公开工作年度报告", "2024-02-17")]
    assert adapter.more_pages(answer) == []
    assert adapter_for(html(HOME, XML_SHELL)).name != "jsonlist"   # not a column's page


# -- the twenty-third hold-out round's patterns (issue 11) ---------------------------------------

def test_a_vsb_list_pages_on_in_the_directory_named_after_its_document():
    """博达 VSB: the column `fzzfjs.htm` numbers its later pages `fzzfjs/1.htm`, `fzzfjs/2.htm`… (a
    pager of bare numbers, no 下页); a numbered link into another column's directory is no page of it."""
    url = "http://xyqzf.haikou.gov.cn/xxgk/fdzdgknr/fzzfjs.htm"
    page = html(url, """<table class="winstyle"><tr><td><a href="/info/1017/17007.htm">新华街道2025年度法治政府建设工作报告</a>
    </td></tr></table><div class="pb_sys_common"><span class="p_t">共12条</span><span class="p_pages">
    <a href="fzzfjs.htm">1</a><a href="fzzfjs/1.htm">2</a><a href="ndbg/2.htm">3</a></span></div>""")
    asked = [r.url for r in GenericAdapter().more_pages(page)]
    assert "http://xyqzf.haikou.gov.cn/xxgk/fdzdgknr/fzzfjs/1.htm" in asked
    assert "http://xyqzf.haikou.gov.cn/xxgk/fdzdgknr/ndbg/2.htm" not in asked


def test_a_list_form_whose_submit_buttons_name_the_page_is_posted_page_by_page():
    """A framed list (listpage.do) paged by its form's own submit buttons, each naming the page
    field and its number: each page is the form POSTed with that number for the field, once."""
    page = Selector(text="""<ul><li><a href="/a/1.html">台江区2024年度法治政府建设情况报告</a></li></ul>
    <form name="f" method="post" action="/sjzs/listpage.do"><input type="hidden" name="lmid" value="120">
    <input type="hidden" name="page" value="2"><a href="/sjzs/frame_120.html">1</a>
    <button type="submit" name="page" value="2">2</button><button type="submit" name="page" value="3">3</button>
    <input type="submit" name="search" value="搜索"></form>""")
    assert form_pages(page, "http://www.taijiang.gov.cn/sjzs/frame_120.html") == [
        ("http://www.taijiang.gov.cn/sjzs/listpage.do", "POST", [("lmid", "120"), ("page", "2")]),
        ("http://www.taijiang.gov.cn/sjzs/listpage.do", "POST", [("lmid", "120"), ("page", "3")])]


# -- the twenty-fourth hold-out round's patterns (issue 11) --------------------------------------

def test_year_tabs_loaded_by_a_plain_xmlhttprequest_are_pages_of_the_column():
    """Year tabs that are list items calling the page's `showTab(k)`, which loads `tabBase + k + ".html"`
    with `xhr.open("GET", …)` into the column: the tabs — named by a span of years (2023—2024年) or the
    oldest years together (2022年及以前) — resolve to their fragments, each a year tab."""
    from spiders.discovery import called_links, year_tabs
    url = HOME + "xxgk/qtfdgk/fzjs/"
    page = html(url, """<h2>法治建设</h2><ul class="tabs"><li onclick="showTab('2025-2026')">2025—2026年</li>
    <li onclick="showTab('2023-2024')">2023-2024年</li><li onclick="showTab('2022')">2022年及以前</li></ul>
    <div id="box"></div><script>var tabBase = "/xxgk/qtfdgk/fzjs/tab_";
    function showTab(k){ var x = new XMLHttpRequest(); x.open("GET", tabBase + k + ".html", true);
      x.onload = function(){ document.getElementById("box").innerHTML = x.responseText; }; x.send(); }
    showTab("2025-2026");</script>""")
    tabs = called_links(page.selector, url)
    assert year_tabs(tabs) == [url + "tab_2025-2026.html", url + "tab_2023-2024.html", url + "tab_2022.html"]
    assert year_tabs([Entry(url + "a.html", "2024年工作要点")]) == []


def test_a_pager_link_that_sets_the_page_field_and_submits_the_form_itself_is_followed():
    """No pager function: the link's own handler sets the form's page field and submits it
    (`document.getElementById('pageForm').currpage.value=2;document.getElementById('pageForm').submit();`)."""
    page = Selector(text="""<ul><li><a href="/a/1.shtml">武陵县2024年政府信息公开工作年度报告</a></li></ul>
    <form id="pageForm" action="/module/xxgk/search.jsp" method="post"><input type="hidden" name="infotypeId"
    value="B07"><input type="hidden" name="currpage" value="1"></form><div class="pager">1/2页 <b>1</b>
    <a href="javascript:void(0)" onclick="document.getElementById('pageForm').currpage.value=2;
    document.getElementById('pageForm').submit();">2</a></div>""")
    assert form_pages(page, HOME + "xxgk/ndbg/") == [
        (HOME + "module/xxgk/search.jsp", "POST", [("infotypeId", "B07"), ("currpage", "2")])]


def test_a_paged_xml_service_lists_its_items_and_pages_on_to_its_announced_count():
    """A shell asking an XML service page by page (`$.ajax({url: "/api/getInfoList.xml", dataType: "xml",
    data: {colId: colId, page: page}})`): each answer's `<item>`s are the records, and its
    `<totalPage>` is how many pages there are."""
    adapter = JsonListAdapter()
    url = HOME + "xxgk/ndbg/"
    shell = """<h2>政府信息公开年度报告</h2><ul id="list"></ul><div class="pager"><a href="javascript:getList(1)">第1页</a>
    <a href="javascript:getList(2)">第2页</a></div><script>var colId = "43";
    function getList(page){ $.ajax({url: "/api/getInfoList.xml", type: "GET", dataType: "xml",
      data: {colId: colId, page: page}, success: function(doc){ render(doc); } }); }
    getList(1);</script>"""
    page = HtmlResponse(url, body=shell.encode(), encoding="utf-8", request=scrapy.Request(url, meta={"kind": XXGK}))
    (first,) = adapter.more_pages(page)
    assert dict(parse_qsl(urlsplit(first.url).query)) == {"colId": "43", "page": "1"}
    answer = XmlResponse(first.url, body="""<?xml version="1.0" encoding="UTF-8"?><rss><channel><totalPage>2</totalPage>
    <page>1</page><item><title>武陵县2025年政府信息公开工作年度报告</title><link>/art/2026/1/9/art_43_1.html</link>
    <pubDate>2026-01-09</pubDate></item></channel></rss>""".encode(), encoding="utf-8", request=first)
    assert [(e.url, e.title) for e in adapter.entries(answer)] == [
        (HOME + "art/2026/1/9/art_43_1.html", "武陵县2025年政府信息公开工作年度报告")]
    assert [dict(parse_qsl(urlsplit(r.url).query))["page"] for r in adapter.more_pages(answer)] == ["2"]


def test_a_catalogue_node_named_by_its_path_under_a_catch_all_is_the_column_it_ends_in():
    """A catalogue tree naming a node by its path (`其他法定公开内容/法治政府建设`): the leaf under a
    catch-all names the column, as under a hub; a path ending in a look-alike names none."""
    links = [Entry(HOME + "xxgk/qtfdgk/fzzfjs/", "其他法定公开内容/法治政府建设"),
             Entry(HOME + "xxgk/qtfdgk/pfxc/", "其他法定公开内容/普法宣传")]
    assert column_links(links) == {HOME + "xxgk/qtfdgk/fzzfjs/": FZ}


def test_a_jpage_list_without_a_config_pages_by_its_own_function_over_the_proxy():
    """A page inlining its first records in jpage's datastore, with no jpage config: its pager calls the
    page's `gotoPage(n)`, which GETs `proxyUrl + "?page=" + n + "&columnid=…"` (proxyUrl a page variable)."""
    url = HOME + "col/col77/"
    page = html(url, """<div id="77"><script type="text/xml"><datastore><totalrecord>12</totalrecord>
    <totalpage>2</totalpage><recordset><record><![CDATA[<li><a href="/art/2026/3/2/art_77_1.html">武陵县2025年度法治政府建设情况报告</a>
    <span>2026-03-02</span></li>]]></record></recordset></datastore></script></div>
    <script>var proxyUrl = "/module/web/jpage/dataproxy.jsp";
    function gotoPage(page){ $.get(proxyUrl + "?page=" + page + "&columnid=77&unitid=1", function(x){ show(x); }); }</script>
    <div class="pager"><a href="javascript:gotoPage(1)">1</a><a href="javascript:gotoPage(2)">2</a></div>""")
    assert adapter_for(page).name == "hanweb"
    asked = [r.url for r in HanwebAdapter().more_pages(page)]
    assert HOME + "module/web/jpage/dataproxy.jsp?page=2&columnid=77&unitid=1" in asked


# -- national25's and national27's (云南 陕西 甘肃 河北 山东; 黑龙江 辽宁 内蒙古 安徽 江西) ------------------------------

def test_a_cover_page_whose_file_list_is_framed_gets_the_framed_pages_file():
    """A 详见附件 page links no file itself: its CMS draws the file list in an <iframe> of its own
    (content_13791.html frames content_13791_fj.html). The frame is asked for its file links only,
    and its PDF is the page's attachment."""
    spider, _ = catalogue_spider(HOME + "zwgk/")
    url = HOME + "zwgk/fzzfjs/content_13791.html"
    request = scrapy.Request(url, meta={"site": "wl", "role": "report", "list_title": "武陵县2023年法治政府建设年度报告"})
    page = html(url, """<h1>武陵县2023年法治政府建设年度报告</h1><div class="property">【发布日期：2024-03-14】</div>
    <div id="zoom"><p>武陵县2023年法治政府建设年度报告详见附件。</p><p>附件：</p>
    <iframe src="/zwgk/fzzfjs/content_13791_fj.html" width="100%" height="60"></iframe></div>""").replace(request=request)
    (frame,) = list(spider.parse_report(page))
    assert frame.url == HOME + "zwgk/fzzfjs/content_13791_fj.html" and frame.callback == spider.parse_frame
    listed = html(frame.url, """<ul class="fj"><li><a href="/uploadfiles/202403/1379140.pdf">武陵县2023年法治政府建设年度报告.pdf</a>
    上传时间：2024-03-14</li></ul>""").replace(request=frame)
    (file,) = list(spider.parse_frame(listed, **frame.cb_kwargs))
    assert file.url == HOME + "uploadfiles/202403/1379140.pdf" and file.meta["role"] == "attachment"
    # a frame showing the document itself (a pdf.js viewer) is the page's attachment, asked as such
    viewer = html(url, """<h1>武陵县2023年法治政府建设年度报告</h1><div id="zoom"><p>详见附件。</p>
    <iframe src="/pdfjs/web/viewer.html?file=/uploadfiles/202403/1379140.pdf"></iframe></div>""").replace(request=request)
    (file,) = list(spider.parse_report(viewer))
    assert file.url == HOME + "uploadfiles/202403/1379140.pdf" and file.meta["role"] == "attachment"
    assert file.cb_kwargs["item"].attachments[0].name == "武陵县2023年法治政府建设年度报告"
    # a page that names no 附件 asks no frame (a video, a share widget)
    plain = html(url, """<h1>武陵县2023年法治政府建设年度报告</h1><div id="zoom"><p>正文。</p>
    <iframe src="/share/widget.html"></iframe></div>""").replace(request=request)
    assert [type(r).__name__ for r in spider.parse_report(plain)] == ["ReportItem"]


def test_a_jsonp_list_call_sends_the_callback_jquery_adds_and_its_answer_is_read():
    """`$.ajax({url, data: {…, page: p}, dataType: "jsonp", jsonpCallback: "listCallback"})`: jQuery adds
    `callback=listCallback` to the query, and the server wraps its JSON in that call."""
    shell = """<script>function loadPage(p){$.ajax({url:'/interface/getList',data:{channelId:'5441',pageSize:10,page:p},
    dataType:'jsonp',jsonpCallback:'listCallback',cache:true});}function listCallback(r){}loadPage(1);</script>"""
    call = api_call(shell)
    assert call["fields"] == [("channelId", "5441"), ("pageSize", "10"), ("page", "1"), ("callback", "listCallback")]
    assert api_call(shell.replace("jsonpCallback:'listCallback',", ""))["fields"][-1] == ("callback", "jQuery_jsonp")
    assert ("callback", "listCallback") not in api_call(shell.replace("'jsonp'", "'json'"))["fields"]
    first = api_request(HOME + "xxgk/nb/", call, 1)
    answer = TextResponse(first.url, body='listCallback({"pageCount": 2, "data": [{"title": "武陵县2025年政府信息公开工作年度报告", '
                          '"url": "/info/5441/1.htm", "publishDate": "2026-01-20"}]});'.encode(), encoding="utf-8",
                          headers={"Content-Type": "application/javascript"}, request=first)
    adapter = JsonListAdapter()
    assert [e.url for e in adapter.entries(answer)] == [HOME + "info/5441/1.htm"]
    assert ["page=2" in r.url and "callback=listCallback" in r.url for r in adapter.more_pages(answer)] == [True]


def test_an_xhr_pager_function_with_a_short_page_key_is_paged_by_its_fragments_buttons():
    """`function getList(p){ x.open('GET', '/ajax/infoList?cid=4205&p=' + p) … } getList(1);`: a short key
    (`p=`) filled by a page-named variable is the page; the fragment's pager is <button>s calling the
    shell's function (`onclick="getList(2)"`)."""
    call = api_call("""function getList(p){var x=new XMLHttpRequest();x.open('GET','/ajax/infoList?cid=4205&p='+p,true);
    x.send();}getList(1);""")
    assert call["url"] == "/ajax/infoList" and call["page"] == "p" and call["fields"] == [("cid", "4205"), ("p", "1")]
    assert api_call("""function more(s){ x.open('GET', '/ajax/list?cid=1&s=' + s); }""") is None   # s: no page name
    first = api_request(HOME + "xxgk/nb/", call, 1)
    fragment = HtmlResponse(first.url, body="""<ul><li><a href="/nb/1.html">武陵县2025年政府信息公开工作年度报告</a>
    <span>2026-01-20</span></li></ul><div class="pager"><button type="button" onclick="getList(1)">1</button>
    <button type="button" onclick="getList(2)">2</button></div>""".encode(), encoding="utf-8",
                            request=first.replace(meta={**first.meta, "kind": XXGK}))
    assert [r.url for r in JsonListAdapter().more_pages(fragment)] == [HOME + "ajax/infoList?cid=4205&p=2"]


def test_a_load_more_button_over_hanwebs_proxy_asks_it_with_the_calls_data():
    """A 大汉 column with no jpage config whose 加载更多 button `$.get`s morecolumndataproxy.jsp with a data
    object (`{page: curPage, columnid: 4740, …}`, the counter raised first): the call as its script makes it."""
    url = HOME + "col/col4740/index.html"
    page = html(url, """<h2>法治政府建设</h2><ul id="list"><li><a href="/art/1.html">武陵县2025年法治政府建设年度报告</a></li></ul>
    <a id="more" href="javascript:void(0)" onclick="loadMore()">加载更多</a>
    <script>var curPage=1;function loadMore(){curPage++;$.get('/module/web/jpage/morecolumndataproxy.jsp',
    {page:curPage,webid:2,columnid:4740},function(x){$('#list').append(x);});}</script>""")
    assert adapter_for(page).name == "hanweb"
    assert [r.url for r in HanwebAdapter().more_pages(page)] == [
        HOME + "module/web/jpage/morecolumndataproxy.jsp?page=2&webid=2&columnid=4740"]


def test_a_catalogues_hub_is_followed_while_a_type_is_named_only_by_a_news_column():
    """Both types named — the 法治 one only by a bare 法治政府建设 column (news as often as its report) —
    and the catalogue's home links its 法定主动公开内容: the hub is followed, for the tree that files
    the 法治 report under another name (法治政府建设 › 依法行政)."""
    entries = [Entry(HOME + "xxgk/nb/", "政府信息公开年报"), Entry(HOME + "xxgk/fdzdgknr/", "法定主动公开内容"),
               Entry(HOME + "xxgk/zn/", "政府信息公开指南")]
    weak = {FZ, "\x00weak:" + FZ, XXGK}
    assert next_links(HOME + "xxgk/", entries, 2, 5, False, set(weak))[1] == [HOME + "xxgk/fdzdgknr/"]
    assert next_links(HOME + "xxgk/", entries, 2, 5, False, {FZ, XXGK})[1] == []   # both settled: no hub
    # a page naming the 法治政府建设 column itself leads there, not through its hubs
    named = entries + [Entry(HOME + "xxgk/fzzfjs/", "法治政府建设")]
    assert next_links(HOME + "xxgk/", named, 2, 5, False, set(weak))[1] == []


def test_a_column_whose_rows_are_in_its_own_data_file_or_one_json_file_lists_them():
    """A report column rendering its rows in the browser: from `var infoList = [{title, url, date}]` in its
    own `<script src="data.js" charset="gbk">` (a file named data.js is no analytics `ta.js`), or from
    `$.getJSON("data.json", function (r) { all = r.list; show(1) })`. The files are read as part of the
    column, each file its row links dated by the row."""
    spider, _ = catalogue_spider(HOME + "zwgk/")
    for markup, answer in (
            ('<script src="/xxgk/fzjs/data.js" charset="gbk"></script><script>function render(p){}render(1);</script>',
             'var infoList=[{title:"武陵县2024年度法治政府建设情况报告",url:"/xxgk/fzjs/P1.pdf",date:"2025-03-02"},'
             '{title:"武陵县2024年工作要点",url:"/xxgk/fzjs/t2.html",date:"2025-01-02"}];'),
            ("<script>var all=[];$.getJSON('/xxgk/fzjs/data.json',function(r){all=r.list;show(1);});</script>",
             '{"total": 2, "list": [{"title": "武陵县2024年度法治政府建设情况报告", "url": "/xxgk/fzjs/P1.pdf",'
             ' "publishDate": "2025-03-02"}, {"title": "武陵县2024年工作要点", "url": "/xxgk/fzjs/t2.html"}]}')):
        spider, _ = catalogue_spider(HOME + "zwgk/")
        column = scrapy.Request(HOME + "xxgk/fzjs/", meta={"site": "wl", "role": "list", "hops": 3, "kind": FZ,
                                                          "column": HOME + "xxgk/fzjs/", "follow_up": False})
        shell = html(column.url, f'<h2>法治政府建设</h2><ul id="list"></ul>{markup}').replace(request=column)
        (data,) = [r for r in spider.parse_list(shell) if r.meta.get("data_file")]
        assert data.url.startswith(HOME + "xxgk/fzjs/data.") and data.meta["hops"] == 3
        loaded = TextResponse(data.url, body=answer.encode("gbk"), encoding="gbk", request=data)
        (report,) = list(spider.parse_list(loaded))
        assert report.url == HOME + "xxgk/fzjs/P1.pdf" and report.meta["role"] == "attachment"
        assert report.cb_kwargs["item"].list_date == "2025-03-02"


def test_a_shells_first_service_page_repeating_its_static_rows_still_pages_on():
    """动静结合: the shell shows page 1's rows itself and its script POSTs the service for the rest; the
    service's page 1 repeats them. Asked as a first page, it brings nothing new and still pages on."""
    url = HOME + "xxgk/fzjs/index.html"
    shell = HtmlResponse(url, body="""<ul><li><a href="/fzjs/1.html">武陵县2025年法治政府建设年度报告</a></li></ul>
    <a href="javascript:goPage(2)">2</a><script>function goPage(p){$.ajax({type:'POST',url:'/irs/front/list',
    data:{channelid:'3040',page:p,prepage:8},dataType:'json'});}</script>""".encode(), encoding="utf-8",
                         request=scrapy.Request(url, meta={"kind": FZ}))
    (first,) = JsonListAdapter().more_pages(shell)
    assert first.method == "POST" and first.meta["first_page"] is True


def test_a_tab_function_loading_only_its_older_tab_resolves_that_tab_alone():
    """`function tab(n){ if (n == 2) { x.open("GET", "…/tab_2.html") … } else { show tab 1 } }`: only tab(2)
    loads a page — tab 1 (2024年以来) is the page itself — so tab_2.html is the 2023年及以前 tab."""
    from spiders.discovery import called_links, year_tabs
    url = HOME + "xxgk/qtgk/fzjs/index.html"
    page = html(url, """<div class="tabs"><span class="on" onclick="tab(1)">2024年以来</span>
    <span onclick="tab(2)">2023年及以前</span></div><div id="tab1"></div><div id="tab2"></div>
    <script>function tab(n){ if (n == 2) { var x = new XMLHttpRequest(); x.open("GET", "/xxgk/qtgk/fzjs/tab_2.html");
    x.send(); } else { document.getElementById("tab1").className = ""; } }</script>""")
    assert [(e.url, e.title) for e in called_links(page.selector, url)] == [(HOME + "xxgk/qtgk/fzjs/tab_2.html",
                                                                             "2023年及以前")]
    assert year_tabs(called_links(page.selector, url)) == [HOME + "xxgk/qtgk/fzjs/tab_2.html"]


def test_an_infinite_scroll_counter_set_to_two_asks_page_two_first():
    """`var next = 2; … fetch("/column/fzzf/data_" + next + ".json").then(… next++ …)`: the rows shown are
    page 1, the scroll asks the counter's value first."""
    call = api_call("""var next = 2, busy = false; window.addEventListener("scroll", function(){ busy = true;
    fetch("/column/fzzf/data_" + next + ".json").then(function(r){ return r.json(); }).then(function(d){ next++; }); });""")
    assert call["first"] == 2 and api_request(HOME, call, 2).url == HOME + "column/fzzf/data_2.json"


def test_a_label_and_its_value_in_one_bracket_pair_are_read():
    """【发布日期：2022-03-27】【字体：大 中 小】 — the info line of many TRS pages — states the published date."""
    for line in ("【发布日期：2022-03-27】【字体：大 中 小】", "【发布日期：2022-03-27】【来源：武陵县人民政府】"):
        report = extract_report(HOME + "t.html", f"""<html><head><title>武陵县2021年政府信息公开工作年度报告</title></head><body>
        <h1>武陵县2021年政府信息公开工作年度报告</h1><div class="property">{line}</div>
        <div id="zoom"><p>本报告依据《中华人民共和国政府信息公开条例》编制。</p></div></body></html>""")
        assert report["published_date"] == "2022-03-27"
    assert report["publisher"] == "武陵县人民政府"   # the 来源 stands for a publisher the page names no other


# -- national28's and national30's (山西 吉林 江苏 浙江 福建; 四川 贵州 重庆 宁夏 吉林) -------------------------------

def test_a_hanweb_column_loading_every_page_through_its_own_range_loader_is_asked_by_its_arithmetic():
    """No jpage config and no inlined record: the template's `loadPage(p)` works out the record range
    itself (`s=(p-1)*perpage+1, e=p*perpage`) and POSTs it with a data object naming the column."""
    url = HOME + "col/col1229421/index.html"
    markup = """<h2>法治政府建设</h2><div id="5530831"></div><script>var totalRecord=11,perpage=10;
    function loadPage(p){var s=(p-1)*perpage+1,e=p*perpage;$.ajax({url:'/module/web/jpage/dataproxy.jsp?startrecord='+s+
    '&endrecord='+e+'&perpage='+perpage,type:'POST',data:{col:1,appid:1,webid:2791,path:'/',columnid:1229421,
    unitid:5530831,permissiontype:0},success:function(x){}});}loadPage(1);</script>"""
    page = html(url, markup)
    assert adapter_for(page).name == "hanweb"
    asked = HanwebAdapter().more_pages(page)
    assert [(r.method, r.url) for r in asked] == [
        ("POST", HOME + "module/web/jpage/dataproxy.jsp?startrecord=1&endrecord=10&perpage=10"),
        ("POST", HOME + "module/web/jpage/dataproxy.jsp?startrecord=11&endrecord=20&perpage=10")]
    assert dict(parse_qsl(asked[0].body.decode()))["columnid"] == "1229421"
    # a range the page does not state (a function's result) is not guessed, nor a count it does not give
    assert HanwebAdapter().more_pages(html(url, markup.replace("e=p*perpage", "e=end(p)"))) == []
    assert HanwebAdapter().more_pages(html(url, markup.replace("var totalRecord=11,", "var "))) == []


def test_hubs_a_page_naming_a_weak_column_holds_are_followed_once_that_column_is_news():
    """A menu naming the 年报 column, a bare 法治政府建设 column (news as often as the reports) and the
    catalogue: the catalogue is held for the 法治 column — and followed at once when that column was
    read already and listed none of its type's reports (NEWS)."""
    entries = [Entry(HOME + "xxgk/nb/", "政府信息公开年报"), Entry(HOME + "ztzl/fzzf/", "法治政府建设"),
               Entry(HOME + "xxgk/index.html", "政府信息公开")]
    weak = {FZ, "\x00weak:" + FZ, XXGK}
    held = []
    assert next_links(HOME, entries, 0, 5, False, set(weak), held=held)[1] == []
    assert held == [HOME + "xxgk/index.html"]
    news = weak | {NEWS + HOME + "ztzl/fzzf/"}
    assert next_links(HOME, entries, 0, 5, False, news)[1] == [HOME + "xxgk/index.html"]
    # both settled: nothing held, nothing followed
    held = []
    assert next_links(HOME, entries, 0, 5, False, {FZ, XXGK}, held=held)[1] == [] and held == []


def test_a_catalogues_script_loaded_tree_is_read_while_a_type_is_named_only_by_a_news_column():
    """The catalogue names its 年报 column and loads its column tree by script (a zTree's JSON); the
    法治 type is named only by a bare 法治政府建设 column on another page: the tree is read."""
    entries = [Entry(HOME + "xxgk/ndbg/", "政府信息公开年报"), Entry(HOME + "xxgk/api/tree.json", LOADED)]
    weak = {FZ, "\x00weak:" + FZ, XXGK}
    assert next_links(HOME + "xxgk/index.html", entries, 1, 5, False, set(weak))[1] == [HOME + "xxgk/api/tree.json"]
    assert next_links(HOME + "xxgk/index.html", entries, 1, 5, False, {FZ, XXGK})[1] == []


def test_a_list_call_whose_address_is_a_variable_is_read():
    """`var listUrl = "/interface/getList.do"; $.ajax({url: listUrl, data: {col, page: n}, dataType: "jsonp"})`."""
    call = api_call("""var listUrl = "/interface/getList.do";
    function getPage(n){ $.ajax({url: listUrl, data: {col: "1041", page: n}, dataType: "jsonp", jsonp: "callback",
    jsonpCallback: "jsonpList", success: function(d){ render(d.rows); } }); } getPage(1);""")
    assert call["url"] == "/interface/getList.do"
    assert call["fields"] == [("col", "1041"), ("page", "1"), ("callback", "jsonpList")]
    assert api_call("""$.ajax({url: unknownUrl, data: {col: "1041", page: n}});""") is None


def test_year_tabs_loading_the_year_their_data_attribute_names_are_pages_of_the_column():
    """`<li data-year="2024">2024年</li>` with `$(".year-tab li").click(function(){ var y = $(this).data("year");
    $("#nbList").load("/xxgk/nb/nb_" + y + ".html") })`: each tab's year list, named by the tab."""
    markup = """<ul class="year-tab"><li data-year="2025">2025年</li><li data-year="2024">2024年</li></ul>
    <div id="nbList"></div><script>$(".year-tab li").click(function(){ var y=$(this).data("year");
    $("#nbList").load("/xxgk/nb/nb_" + y + ".html"); }); $(".year-tab li:first").click();</script>"""
    assert found(markup, HOME + "xxgk/nb/") == {HOME + "xxgk/nb/nb_2025.html": "2025年",
                                                HOME + "xxgk/nb/nb_2024.html": "2024年"}
    for read in ('$(this).attr("data-year")', 'this.getAttribute("data-year")', "this.dataset.year"):
        assert HOME + "xxgk/nb/nb_2024.html" in found(markup.replace('$(this).data("year")', read), HOME + "xxgk/nb/")
    assert found(markup.replace('"/xxgk/nb/nb_" + y', "y"), HOME + "xxgk/nb/") == {}   # no address built


def test_a_fujian_search_answer_naming_its_titles_plainly_beside_chnldocurl_is_read():
    """`{"total": 12, "docs": [{"title", "chnldocurl", "docreltime"}]}`: TRS's address key with a plain
    title key — each record with its title and its row's date."""
    args = {"channelid": "200210", "classsql": "chnlid=fzzfjs", "sortfield": "-docreltime", "prepage": 10,
            "records": 12, "static": 1}
    asked = jiyue_request(HOME, args, 2)
    body = json.dumps({"total": 12, "page": 2, "docs": [
        {"title": "武陵市人民政府关于2019年度法治政府建设情况的报告", "chnldocurl": HOME + "fzzfjs/202001/P020.pdf",
         "docreltime": "2020-01-02 10:00:00"}]}, ensure_ascii=False)
    answer = TextResponse(asked.url, body=body.encode(), encoding="utf-8", request=asked,
                          headers={"Content-Type": "application/json"})
    assert JiyueAdapter().entries(answer) == [
        Entry(HOME + "fzzfjs/202001/P020.pdf", "武陵市人民政府关于2019年度法治政府建设情况的报告", "2020-01-02 10:00:00")]


def test_a_citys_new_town_zone_is_not_its_government():
    """衢州智造新城 — a city's functional zone, run by a committee — issues its own report, not the city's;
    a district named 新城区 stays a government, a 新城街道 a township."""
    assert issuer_type("武陵智造新城2021年度法治政府建设情况报告", None) == "department"
    assert issuer_type("2021年度法治政府建设情况报告", "武陵智造新城管理委员会") == "department"
    assert issuer_type("武陵市新城区2021年法治政府建设年度报告", None) == "government"
    assert issuer_type("新城街道2021年法治政府建设情况报告", None) == "township"


def test_a_zone_named_by_its_short_form_is_not_its_government():
    """national31 雅安: 雅安经开区2024年法治政府建设工作情况报告 — 经开区 is how a title shortens 经济技术开发区 (and
    综保区 综合保税区); the zone's report is not the city's, though the short form ends in 区 like a district."""
    assert issuer_type("武陵经开区2024年法治政府建设工作情况报告", None) == "department"
    assert issuer_type("2024年度法治政府建设情况报告", "武陵经开区管委会") == "department"
    assert issuer_type("武陵综保区2024年政府信息公开工作年度报告", None) == "department"
    assert issuer_type("武陵市经开区2024年法治政府建设工作情况报告", None) == "department"
    assert issuer_type("武陵市开州区2024年法治政府建设工作情况报告", None) == "government"


# -- national29's (河南 湖北 湖南 广东 广西) -------------------------------------------------------------------

def test_a_pager_pointing_the_form_at_another_address_before_it_submits_is_sent_there():
    """`f.action='/col/list.do?pageNum=2'; f.pageNo.value=2; f.submit()` in the link's handler, or
    `f.action = "/col/list.do?pageNum=" + p` in the pager function: the form goes where it was pointed."""
    form = """<form id="pf" method="post" action="/col/list.do?pageNum=1"><input type="hidden" name="colId" value="1012">
    <input type="hidden" name="pageNo" value="1"></form>"""
    inline = Selector(text=form + """<div class="pager">共2页 <a href="javascript:void(0)"
    onclick="var f=document.forms.pf;f.action='/col/list.do?pageNum=2';f.pageNo.value=2;f.submit()">2</a></div>""")
    assert form_pages(inline, HOME + "gkml/fz/") == [
        (HOME + "col/list.do?pageNum=2", "POST", [("colId", "1012"), ("pageNo", "2")])]
    called = Selector(text=form + """<script>function go(p){var f=document.getElementById('pf');
    f.action='/col/list.do?pageNum='+p;f.pageNo.value=p;f.submit();}</script>
    <div class="pager"><a href="javascript:go(2)">2</a></div>""")
    assert form_pages(called, HOME + "gkml/fz/") == [
        (HOME + "col/list.do?pageNum=2", "POST", [("colId", "1012"), ("pageNo", "2")])]


def test_a_load_more_counter_declared_with_its_bound_pages_an_xml_list_to_that_bound():
    """`var n=1,max=3; function more(){ $.ajax({url: '/xml/col_12_' + n + '.xml', dataType: 'xml',
    success: function(x){ n++; } }) } more();`: the answers announce no count; the script's bound does."""
    shell = """<script>var n=1,max=3;function more(){$.ajax({url:'/xml/col_12_'+n+'.xml',dataType:'xml',
    success:function(x){n++;}});}more();</script>"""
    call = api_call(shell)
    assert call["first"] == 1 and call["last"] == 3
    assert "last" not in api_call(shell.replace("n=1,max=3", "n=1,size=3"))   # no bound named as one
    first = api_request(HOME + "xxgk/yfxz/", call, 1)
    answer = XmlResponse(first.url, body="""<?xml version='1.0' encoding='UTF-8'?><channel><item>
    <title>武陵县2025年法治政府建设年度报告</title><link>/xxgk/yfxz/1.html</link><pubDate>2026-03-01</pubDate></item>
    </channel>""".encode(), encoding="utf-8", request=first.replace(meta={**first.meta, "kind": FZ}))
    assert [r.url for r in JsonListAdapter().more_pages(answer)] == [HOME + "xml/col_12_2.xml", HOME + "xml/col_12_3.xml"]


# -- national32 / national33's lists (column pages reached, their later pages not read) ---------------

def test_a_head_link_rel_next_is_the_lists_next_page():
    """national33 feixi 年报: the body has only a 加载更多 button whose script reads `link[rel=next]`;
    the `<link rel="next">` in `<head>` is the one place the next page is named. `rel="prev"` is not."""
    page = html(HOME + "gk/nb/", """<html><head><link rel="prev" href="/gk/nb/list-0.html">
    <link rel="Next nofollow" href="/gk/nb/list-2.html"></head><body><ul><li><a href="/gk/nb/1.html">
    武陵县2024年政府信息公开工作年度报告</a> 2025-01-20</li></ul><button id="more">加载更多</button></body></html>""")
    asked = [r.url for r in GenericAdapter().more_pages(page)]
    assert asked == [HOME + "gk/nb/list-2.html"]


def test_a_pager_drawn_from_data_attributes_pages_its_template_to_the_count():
    """national33 panjin 法治: `<div id="pager" data-total-page="3" data-url-tpl="…/list_{page}.html">` and a
    shared pager.js writing the links: pages 2…3 of the template. No count, no pages."""
    pager = '<div id="pager" data-total-page="3" data-current="1" data-url-tpl="/gk/fz/list_{page}.html"></div>'
    page = html(HOME + "gk/fz/", f"""<ul><li><a href="/gk/fz/1.html">武陵市2024年度法治政府建设情况报告</a>
    2025-01-20</li></ul>{pager}<script src="/js/pager.js"></script>""")
    asked = [r.url for r in GenericAdapter().more_pages(page)]
    assert asked == [HOME + "gk/fz/list_2.html", HOME + "gk/fz/list_3.html"]
    bare = html(HOME + "gk/fz/", page.text.replace(' data-total-page="3"', ""))
    assert [r.url for r in GenericAdapter().more_pages(bare)] == []


def test_a_list_held_as_json_in_an_attribute_is_read_whole():
    """national33 kangping 年报: `<div data-items="[{&quot;title&quot;…}]" data-page-size="8">` — Vue props the
    server rendered, paged in the browser: every record is an entry, a file dated by its row; an attribute
    that only looks like JSON says nothing."""
    items = json.dumps([{"title": "武陵县2024年政府信息公开工作年度报告", "url": "/gk/nb/2025/a.html", "date": "2025-01-20"},
                        {"title": "武陵县2023年政府信息公开工作年度报告", "url": "/gk/nb/2024/b.pdf", "date": "2024-01-22"}],
                       ensure_ascii=False).replace('"', "&quot;")
    page = html(HOME + "gk/nb/", f"""<div id="nb" data-page-size="8" data-items="{items}"></div>
    <div data-opts="{{not json}}"></div>""")
    entries = GenericAdapter().entries(page)
    assert [(e.url, e.date) for e in entries] == [(HOME + "gk/nb/2025/a.html", None), (HOME + "gk/nb/2024/b.pdf", "2024-01-22")]


def test_a_get_forms_year_menu_asks_each_year_with_the_forms_fields():
    """national33 huangshan 法治, national32 gaozhou 年报: the column shows only the newest publication year and
    a GET form `<select name="year">` of years filters it — each option is the form sent with it chosen. A
    menu of units filters by something else, a POST form is no link."""
    form = """<form action="/gk/fz/list.jsp" method="get"><input type="hidden" name="colId" value="12">
    <select name="year"><option value="">全部</option><option value="2025" selected>2025年</option>
    <option value="2024">2024年</option></select><input type="submit" value="查询"></form>"""
    page = html(HOME + "gk/fz/", form + """<ul><li><a href="/gk/fz/1.html">武陵市2024年度法治政府建设情况报告</a>
    2025-01-20</li></ul>""")
    asked = [r.url for r in GenericAdapter().more_pages(page)]
    assert asked == [HOME + "gk/fz/list.jsp?colId=12&year=2025", HOME + "gk/fz/list.jsp?colId=12&year=2024"]
    units = page.text.replace("2025年", "武陵市司法局").replace("2024年", "武陵市财政局")
    assert [r.url for r in GenericAdapter().more_pages(html(page.url, units))] == []
    posted = page.text.replace('method="get"', 'method="post"')
    assert [r.url for r in GenericAdapter().more_pages(html(page.url, posted))] == []


def test_a_pager_librarys_page_callback_is_where_each_page_is():
    """national32 yuncheng 法治: `laypage.render({count: 11, limit: 8, jump: function(obj, first){ location.href =
    obj.curr == 1 ? "index.shtml" : "index_" + obj.curr + ".shtml" }})` — no link in the page; the count over
    the page size is how many pages, the callback where each one is (a library's default size when none)."""
    script = """<script>layui.use("laypage", function(){ var laypage = layui.laypage;
    laypage.render({ elem: "pager", count: 11, limit: 8, curr: 1, jump: function(obj, first){
      if(!first){ location.href = obj.curr == 1 ? "index.shtml" : "index_" + obj.curr + ".shtml"; } } }); });</script>"""
    page = html(HOME + "gk/fz/", '<ul><li><a href="/gk/fz/1.html">武陵市2024年度法治政府建设情况报告</a> 2025-01-20'
                '</li></ul><div id="pager"></div>' + script)
    assert [r.url for r in GenericAdapter().more_pages(page)] == [HOME + "gk/fz/index_2.shtml"]
    unsized = html(page.url, page.text.replace("count: 11, limit: 8", "count: 25"))
    assert [r.url for r in GenericAdapter().more_pages(unsized)] == [HOME + "gk/fz/index_2.shtml", HOME + "gk/fz/index_3.shtml"]
    uncounted = html(page.url, page.text.replace("count: 11, ", ""))
    assert [r.url for r in GenericAdapter().more_pages(uncounted)] == []
    jqpaginator = html(page.url, page.text.replace("count: 11, limit: 8, curr: 1, jump: function(obj, first){",
                                                   "totalPages: 3, onPageChange: function(num, type){")
                       .replace("obj.curr", "num").replace("!first", "type != 'init'"))
    assert [r.url for r in GenericAdapter().more_pages(jqpaginator)] == [
        HOME + "gk/fz/index_2.shtml", HOME + "gk/fz/index_3.shtml"]


def test_a_search_service_asked_for_a_trs_chnlid_is_a_list():
    """national33 panjin 年报: `$.ajax({url: "/common/search/jsonp", data: {chnlId: "1061", pageIndex: n},
    dataType: "jsonp"})` — TRS's chnlId names the column, so the search service is the column's list; with a
    keyword it would be a search box."""
    shell = """<script>var listUrl = "/common/search/jsonp";
    function getPage(n){ $.ajax({url: listUrl, data: {chnlId: "1061", pageIndex: n}, dataType: "jsonp",
    jsonp: "callback", jsonpCallback: "jsonpList", success: function(d){ render(d.rows); } }); } getPage(1);</script>"""
    call = api_call(shell)
    assert call and call["page"] == "pageIndex"
    assert dict(parse_qsl(urlsplit(api_request(HOME, call, 2).url).query)) == {
        "chnlId": "1061", "pageIndex": "2", "callback": "jsonpList"}
    assert api_call(shell.replace('chnlId: "1061"', 'chnlId: "1061", keyword: "报告"')) is None


def _answer(request: scrapy.Request, data, kind: str | None = FZ) -> TextResponse:
    """A JSON answer to `request` (its meta as the spider carries it, the column's type added)."""
    return TextResponse(request.url, body=json.dumps(data, ensure_ascii=False).encode(), encoding="utf-8",
                        headers={"Content-Type": "application/json"},
                        request=request.replace(meta={**request.meta, "kind": kind}))


def test_a_json_envelope_carrying_an_html_fragment_is_read_as_its_rows():
    """national32 puer 法治: `$.getJSON("/ajax/column/list", {cid: cid, page: page}, …)` answers `{"html":
    "<li><a …>…</a></li>", "totalPage": 2}`, which the shell writes into its empty list: the fragment's links
    are the page's entries, its totalPage the count."""
    call = api_call('<script>var cid = "12"; function getList(page){ $.getJSON("/ajax/column/list", {cid: cid, '
                    'page: page}, function(r){ $("#list").html(r.html); }); } getList(1);</script>')
    first = api_request(HOME + "gk/fz/", call, 1)
    answer = _answer(first, {"status": 1, "page": 1, "totalPage": 2, "html":
                             '<li><a href="/gk/fz/1.html">武陵市2024年度法治政府建设情况报告</a><span>2025-01-20</span></li>'})
    assert [(e.url, e.title) for e in JsonListAdapter().entries(answer)] == [
        (HOME + "gk/fz/1.html", "武陵市2024年度法治政府建设情况报告")]
    assert [r.url for r in JsonListAdapter().more_pages(answer)] == [HOME + "ajax/column/list?cid=12&page=2"]


def test_an_offset_worked_out_from_the_page_asks_the_records_page_by_page():
    """national32 changshaxian 年报: `function load(page){ var offset = (page - 1) * limit; fetch("/openapi/articles?
    col=" + col + "&offset=" + offset + "&limit=" + limit) }` with `limit = 6`: page N starts (N - 1) × 6 records
    in; the answer's totalCount over the limit is the count."""
    call = api_call('<script>var col = "nb", limit = 6; function load(page){ var offset = (page - 1) * limit; '
                    'fetch("/openapi/articles?col=" + col + "&offset=" + offset + "&limit=" + limit).then(function(r)'
                    '{ return r.json(); }); } load(1);</script>')
    first = api_request(HOME, call, 1)
    assert first.url == HOME + "openapi/articles?col=nb&offset=0&limit=6"
    answer = _answer(first.replace(meta={**first.meta, "page_number": 1}), {"offset": 0, "limit": 6, "totalCount": 13,
                     "items": [{"title": "武陵县2024年政府信息公开工作年度报告", "url": "/gk/nb/1.html"}]}, XXGK)
    assert [r.url for r in JsonListAdapter().more_pages(answer)] == [
        HOME + "openapi/articles?col=nb&offset=6&limit=6", HOME + "openapi/articles?col=nb&offset=12&limit=6"]


def test_a_cursor_paged_feed_follows_what_each_answer_names_next():
    """national33 shanglin 年报 (`nextUrl`), national32 liuyang 法治 (`nextCursor` for the call's `&cursor=`): no page
    number anywhere — the first request is the feed's address, each answer names the next one, `hasMore: false`
    ends it. A call whose answers the script reads no next field of is no feed."""
    by_url = """<script>var feedUrl = "/api/feed?channel=11", nextUrl = null;
    function pull(u){ $.getJSON(u, function(r){ nextUrl = r.hasMore ? r.nextUrl : null; }); } pull(feedUrl);</script>"""
    call = api_call(by_url)
    first = api_request(HOME + "gk/nb/", call, 1)
    assert first.url == HOME + "api/feed?channel=11"
    rows = [{"title": "武陵县2024年政府信息公开工作年度报告", "href": "/gk/nb/1.html"}]
    answer = _answer(first, {"items": rows, "hasMore": True, "nextUrl": "/api/feed?channel=11&cursor=QUJD"}, XXGK)
    assert [r.url for r in JsonListAdapter().more_pages(answer)] == [HOME + "api/feed?channel=11&cursor=QUJD"]
    assert JsonListAdapter().more_pages(_answer(first, {"items": rows, "hasMore": False, "nextUrl": "/x?c=1"})) == []
    by_token = """<script>var api = "/api/feed/list", channel = "11", cursor = "";
    function more(){ $.getJSON(api + "?channel=" + channel + (cursor ? "&after=" + cursor : ""), function(d){
    cursor = d.nextCursor; }); } more();</script>"""
    call = api_call(by_token)
    first = api_request(HOME + "gk/fz/", call, 1)
    assert first.url == HOME + "api/feed/list?channel=11"
    answer = _answer(first, {"items": rows, "nextCursor": "MjAy"})
    assert [r.url for r in JsonListAdapter().more_pages(answer)] == [HOME + "api/feed/list?channel=11&after=MjAy"]
    assert api_call(by_url.replace("r.hasMore ? r.nextUrl : null", "null")) is None


def test_an_apps_bundle_call_is_read_with_the_state_its_page_hands_it():
    """national32 maoming 法治 (`window.__INITIAL_STATE__` + axios in app.js), national33 wuzhou 法治 (`window.__NUXT__`
    + fetch in /_nuxt/app.js), national33 yili 年报 (`<div id="app" data-catalog-id>` + a webpack bundle): the list
    call is in the bundle, its values in the page — each read of the state (through its aliases) and of the
    mount element's attribute is the page's value, and the state's count says how many pages it rendered one of."""
    page = Selector(text="""<div id="app" data-catalog-id="31"></div><script>window.__INITIAL_STATE__={"channel":
    {"id": 1000}, "list": {"current": 1, "size": 5, "pages": 3, "records": [{"title": "t", "linkUrl": "/a.html"}]}};
    </script>""")
    state = page_state(page)
    assert state_pages(state) == 3
    axios = """(function(){var s=window.__INITIAL_STATE__, api="/api/cms/page"; function go(n){ if(n==1){return;}
    axios.get(api,{params:{channelId:s.channel.id,current:n,size:s.list.size}}).then(function(r){}); } go(1);})();"""
    call = api_call(with_state(axios, state))
    assert api_request(HOME, call, 2).url == HOME + "api/cms/page?channelId=1000&current=2&size=5"
    nuxt = """!function(){var N=window.__INITIAL_STATE__,ch=N.channel,l=N.list;
    function go(n){return fetch("/api/page?col="+ch.id+"&current="+n+"&size="+l.size)}}();"""
    assert api_request(HOME, api_call(with_state(nuxt, state)), 2).url == HOME + "api/page?col=1000&current=2&size=5"
    bundle = """var el=document.getElementById("app"),cid=el.getAttribute("data-catalog-id");
    function list(p){return axios.get("/prod-api/content/list",{params:{catalogId:cid,pageNum:p,pageSize:6}})}"""
    call = api_call(with_state(bundle, state))
    assert api_request(HOME, call, 1).url == HOME + "prod-api/content/list?catalogId=31&pageNum=1&pageSize=6"
    assert api_call(bundle) is None   # without the page, the column is not known
    assert app_call(bundle, state) == call
    # a call the page's state does not enter (a news ticker every page of the bundle shows) is not the column's
    ticker = 'function news(p){return axios.get("/prod-api/news/list",{params:{pageNum:p,pageSize:6}})}'
    assert api_call(with_state(ticker, state)) and app_call(ticker, state) is None


# -- national31's (四川 河北 河南 黑龙江 山东) -------------------------------------------------------------------

def test_a_box_headed_by_the_catalogue_leads_there_by_its_more_link():
    """五常: a home block headed 政府信息公开 (plain text, the items news) whose 更多+ corner link is the one
    way to the catalogue: the link is named by the heading, a hub; a box headed by a news column is not."""
    box = Selector(text="""<div class="index-gk"><div class="hd"><span class="tit">政府信息公开</span>
    <a class="more" href="/zwgk_112/index.html">更多+</a></div><ul><li><a href="/xwzx/1.html">武陵召开培训会</a></li></ul>
    </div><div class="news"><div class="hd"><span>通知公告</span><a class="more" href="/tzgg/">更多+</a></div></div>""")
    named = {e.url: e.title for e in page_links(box, HOME)}
    assert is_hub(named[HOME + "zwgk_112/index.html"])
    assert not is_hub(named[HOME + "tzgg/"])


def test_an_image_link_a_script_writes_is_named_as_on_the_page():
    """西峡: the 飘窗 (/js/piaochuang.js, read with the home page's menu includes) writes `<a href=…><img
    src="/images/pc_xxgk.gif"></a>` by innerHTML: the image-only link is named by its image, as on a page."""
    script = """(function(){ var div = document.createElement('div'); div.innerHTML = '<a href="/zwgk/zfxxgkml/index.html" target="_blank"><img src="/images/pc_xxgk.gif"></a>';
    document.body.appendChild(div); })();"""
    home = Selector(text='<script src="/js/piaochuang.js"></script><a href="/zwgk/">政务公开</a>')
    assert (HOME + "js/piaochuang.js") in next_links(HOME, page_links(home, HOME), 0, 6, False, set())[1]
    found = {e.url: e.title for e in code_links(script, HOME)}
    assert is_hub(found[HOME + "zwgk/zfxxgkml/index.html"])


def _json_pages(call, body, kind=XXGK):
    first = api_request(HOME + "gkml/nb/", call, 1)
    answer = TextResponse(first.url, body=json.dumps(body, ensure_ascii=False).encode(), encoding="utf-8",
                          request=first.replace(meta={**first.meta, "kind": kind}),
                          headers={"Content-Type": "application/json"})
    return first, [(r.method, r.url, r.body.decode()) for r in JsonListAdapter().more_pages(answer)]


def test_a_table_widget_asks_its_pages_by_its_own_parameters():
    """西峡's EasyUI datagrid POSTs page and rows (its pageSize) with its queryParams and reads {total, rows};
    廊坊's layui table.render GETs page and limit with its `where` and reads {code, count, data}."""
    grid = api_call("""<table id="dg"></table><script>$('#dg').datagrid({ url: '/gkml/nb/list.action', method: 'post',
    queryParams: { columnId: '1051' }, pagination: true, pageSize: 7, columns: [[{field: 'title', formatter:
    function(v, r){ return '<a href="' + r.link + '">' + v + '</a>'; }}]] });</script>""")
    first, more = _json_pages(grid, {"total": 12, "rows": [
        {"title": "武陵县2025年政府信息公开工作年度报告", "link": "/gkml/nb/1.html", "fbrq": "2026-01-20"}] * 7})
    assert (first.method, first.url, first.body.decode()) == ("POST", HOME + "gkml/nb/list.action",
                                                             "columnId=1051&page=1&rows=7")
    assert more == [("POST", HOME + "gkml/nb/list.action", "columnId=1051&page=2&rows=7")]
    table = api_call("""<script>layui.use('table', function(){ var table = layui.table; table.render({ elem: '#t',
    url: '/api/doc/list', where: {catalogId: '1020'}, page: true, limit: 10, cols: [[]] }); });</script>""")
    first, more = _json_pages(table, {"code": 0, "count": 12, "data": [
        {"title": "武陵县2025年政府信息公开工作年度报告", "url": "/gkml/nb/1.html"}] * 10})
    assert first.url == HOME + "api/doc/list?catalogId=1020&page=1&limit=10"
    assert more == [("GET", HOME + "api/doc/list?catalogId=1020&page=2&limit=10", "")]
    assert api_call("""<script>table.render({url: '/api/doc/list', cols: []});</script>""") is None


def test_a_server_side_datatable_is_asked_by_record_offset():
    """五常: `$('#t').DataTable({serverSide: true, pageLength: 6, ajax: function(data, cb){ $.get('/data.jsp',
    {start: data.start, length: data.length, columnId: '1071'}, …) }})`: DataTables hands its function the
    record offset (0, 6, …) and count; {recordsTotal: 12} is two pages."""
    call = api_call("""<script>$('#gk').DataTable({ serverSide: true, processing: true, pageLength: 6,
    ajax: function(data, callback, settings){ $.get('/gkml/nb/data.jsp', { start: data.start, length: data.length,
    columnId: '1071' }, function(r){ callback({ draw: data.draw, recordsTotal: r.recordsTotal, data: r.data }); },
    'json'); }, columns: [{ data: 'title' }] });</script>""")
    first, more = _json_pages(call, {"recordsTotal": 12, "data": [
        {"title": "武陵县2025年政府信息公开工作年度报告", "url": "/gkml/nb/1.html"}] * 6})
    assert first.url == HOME + "gkml/nb/data.jsp?start=0&length=6&columnId=1071"
    assert more == [("GET", HOME + "gkml/nb/data.jsp?start=6&length=6&columnId=1071", "")]
    assert api_call("<script>$('#gk').DataTable({ pageLength: 6, ajax: '/gkml/nb/data.jsp' });</script>") is None


def test_a_next_js_list_is_paged_by_the_query_its_state_was_rendered_for():
    """牡丹江: a Next.js column, page 1 rendered with its state in `<script id="__NEXT_DATA__">` (query
    {page: "1"}, props totalPages 3); the Ant pager's links have no href, the router pushes ?page=N."""
    page = Selector(text="""<div id="__next"><ul class="ant-pagination"><li><a rel="nofollow">2</a></li></ul></div>
    <script id="__NEXT_DATA__" type="application/json">{"props": {"pageProps": {"page": 1, "pageSize": 5,
    "total": 11, "totalPages": 3, "list": [{"title": "武陵市2025年度法治政府建设工作报告", "href": "/gkml/fz/1.html"}]}},
    "page": "/gkml/fz/", "query": {"page": "1"}, "buildId": "b1"}</script>""")
    assert routed_pages(page, HOME + "gkml/fz/") == [HOME + "gkml/fz/?page=2", HOME + "gkml/fz/?page=3"]
    counted = Selector(text=page.get().replace('"totalPages": 3, ', ""))   # total over pageSize
    assert routed_pages(counted, HOME + "gkml/fz/") == [HOME + "gkml/fz/?page=2", HOME + "gkml/fz/?page=3"]
    assert routed_pages(Selector(text=page.get().replace('"query": {"page": "1"}', '"query": {}')), HOME) == []


def test_an_inline_axios_get_is_read_as_jquery_get():
    """雅安: a Nuxt column's inline `window.$nuxt.$axios.get("/api/list", {params: {columnId: "1000", current:
    n, size: 6}})`; 濮阳: 若依's `axios.get(listApi, {params: queryParams})` with `var queryParams = {pageNum: 1,
    pageSize: 6, categoryId: 1040}` — axios's query object is jQuery's data object."""
    nuxt = api_call("""<script>function fetchList(n){ return window.$nuxt.$axios.get("/api/list", { params: {
    columnId: "1000", current: n, size: 6 } }); }</script>""")
    assert api_request(HOME, nuxt, 2).url == HOME + "api/list?columnId=1000&current=2&size=6"
    ruoyi = api_call("""<script>var listApi = "/prod-api/cms/article/list"; var queryParams = { pageNum: 1,
    pageSize: 6, categoryId: 1040 }; function getList(){ axios.get(listApi, { params: queryParams }).then(
    function(res){ app.rows = res.data.rows; }); } getList();</script>""")
    assert api_request(HOME, ruoyi, 2).url == HOME + "prod-api/cms/article/list?pageNum=2&pageSize=6&categoryId=1040"


# -- national34's (江西 湖北 甘肃 江苏 浙江) -------------------------------------------------------------------

def test_an_ext_js_store_asks_page_start_and_limit():
    """泰州: an Ext JS 4 store's ajax proxy (`Ext.create("Ext.data.Store", {pageSize: 7, proxy: {type: "ajax",
    url: …, extraParams: {nodeId: "1040"}}})`) sends page, start (the first record) and limit; {totalCount: 12}."""
    call = api_call("""<script>Ext.onReady(function () { var store = Ext.create("Ext.data.Store", { pageSize: 7,
    autoLoad: true, fields: ["title", "link"], proxy: { type: "ajax", url: "/gkml/listData.action", noCache: false,
    extraParams: { nodeId: "1040" }, reader: { type: "json", root: "records", totalProperty: "totalCount" } } }); });
    </script>""")
    first, more = _json_pages(call, {"totalCount": 12, "records": [
        {"title": "武陵市2025年度法治政府建设工作报告", "link": "/gkml/fz/1.html"}] * 7}, kind=FZ)
    assert first.url == HOME + "gkml/listData.action?nodeId=1040&page=1&start=0&limit=7"
    assert more == [("GET", HOME + "gkml/listData.action?nodeId=1040&page=2&start=7&limit=7", "")]


def test_a_server_side_bootstrap_table_is_asked_by_offset_and_limit():
    """嘉峪关: `bootstrapTable({url, sidePagination: "server", pageSize: 6, queryParams: function (p) { return
    {columnId: "1020", offset: p.offset, limit: p.limit}; }})` — the query its function returns; {total: 12}."""
    call = api_call("""<script>$("#t").bootstrapTable({ url: "/front/article/list.do", method: "get",
    sidePagination: "server", pagination: true, pageNumber: 1, pageSize: 6,
    queryParams: function (params) { return { columnId: "1020", offset: params.offset, limit: params.limit }; },
    columns: [{ field: "title" }] });</script>""")
    first, more = _json_pages(call, {"total": 12, "rows": [
        {"title": "武陵市2025年度法治政府建设工作报告", "url": "/gkml/fz/1.html"}] * 6}, kind=FZ)
    assert first.url == HOME + "front/article/list.do?columnId=1020&offset=0&limit=6"
    assert more == [("GET", HOME + "front/article/list.do?columnId=1020&offset=6&limit=6", "")]
    plain = api_call("""<script>$("#t").bootstrapTable({ url: "/front/list.do", sidePagination: 'server',
    pageSize: 5 });</script>""")   # no function: the widget's own offset and limit
    assert api_request(HOME, plain, 3).url == HOME + "front/list.do?offset=10&limit=5"


def test_an_angularjs_http_get_is_read_as_jquery_get():
    """咸宁: an AngularJS controller's `$http.get("/api/docs", {params: {chnlId: "1000", pageIndex: n, pageSize:
    8}})`, its rows opened by ng-click: the call is a list call like axios's."""
    call = api_call("""<script>angular.module("gk", []).controller("C", ["$scope", "$http", function ($scope, $http) {
    $scope.go = function (n) { $http.get("/api/docs", { params: { chnlId: "1000", pageIndex: n, pageSize: 8 } })
    .then(function (r) { $scope.docs = r.data.rows; }); }; $scope.go(1); }]);</script>""")
    assert api_request(HOME, call, 2).url == HOME + "api/docs?chnlId=1000&pageIndex=2&pageSize=8"


# -- national35's (贵州 福建 吉林 青海 河南) -------------------------------------------------------------------

def test_a_jqgrid_asks_page_and_rows_and_counts_pages_by_its_total():
    """海南州: `jqGrid({url, mtype: "GET", postData: {colId: "1060"}, prmNames: {page: "page", rows: "rows"},
    rowNum: 6})` answering jqGrid's classic rows (`{"page": 1, "total": 2, "records": 12, "rows": [{"id": …,
    "cell": [title, address, date]}]}`): `total` is its page count, each row's cells name the document."""
    call = api_call("""<script>$("#g").jqGrid({ url: "/gkml/grid.do", datatype: "json", mtype: "GET",
    postData: { colId: "1060" }, prmNames: { page: "page", rows: "rows", sort: null, nd: null },
    jsonReader: { root: "rows", total: "total", records: "records", repeatitems: true, cell: "cell" },
    rowNum: 6, pager: "#p" });</script>""")
    row = {"id": "1", "cell": ["武陵州人民政府关于2025年法治政府建设工作情况的报告", "/gkml/fz/202603/t1.html", "2026-03-14"]}
    first, more = _json_pages(call, {"page": 1, "total": 3, "records": 14, "rows": [row] * 6}, kind=FZ)
    assert first.url == HOME + "gkml/grid.do?colId=1060&page=1&rows=6"
    assert [u for _, u, _ in more] == [HOME + "gkml/grid.do?colId=1060&page=2&rows=6",
                                       HOME + "gkml/grid.do?colId=1060&page=3&rows=6"]
    first.meta["kind"] = FZ
    answer = TextResponse(first.url, body=json.dumps({"total": 3, "rows": [row]}, ensure_ascii=False).encode(),
                          encoding="utf-8", request=first, headers={"Content-Type": "application/json"})
    assert [(e.url, e.title) for e in JsonListAdapter().entries(answer)] == [
        (HOME + "gkml/fz/202603/t1.html", "武陵州人民政府关于2025年法治政府建设工作情况的报告")]


def test_a_page_counted_from_zero_is_sent_one_less():
    """双辽: a Spring Boot service answering Spring Data's Page (`?page=0` is the first: `fetch(api + "?columnId=
    1051&page=" + (n - 1) + "&size=5")`, `{content, totalPages, number}`): page n is asked as n - 1."""
    call = api_call("""<script>var api = "/api/gk/articles"; function load(n){ fetch(api + "?columnId=1051&page=" +
    (n - 1) + "&size=5").then(function(r){ return r.json(); }).then(function(d){ render(d.content); }); } load(1);
    </script>""")
    assert [api_request(HOME, call, n).url for n in (1, 2)] == [
        HOME + "api/gk/articles?columnId=1051&page=0&size=5", HOME + "api/gk/articles?columnId=1051&page=1&size=5"]


# -- national32's and national33's ways from a home page to the catalogue ----------------------------------------

def test_a_refresh_header_is_followed_as_a_meta_refresh_is():
    """national33 wuzhou: the 政府信息公开 page answers 200 with no link and `Refresh: 0; url=http://xxgk…/`:
    a browser goes on as it does for `<meta http-equiv="refresh">`; a long delay or a plain reload does not."""
    from crawler.crawl.middlewares import RefreshMiddleware, header_refresh
    assert header_refresh("0; url=http://xxgk.wl.gov.cn/index.html") == (0.0, "http://xxgk.wl.gov.cn/index.html")
    assert header_refresh("0;URL='/zwgk/'") == (0.0, "/zwgk/") and header_refresh("30") is None
    middleware = RefreshMiddleware.from_crawler(get_crawler(settings_dict={"METAREFRESH_MAXDELAY": 100}))
    asked = scrapy.Request(HOME + "zwgk/xxgk.html", meta={"site": "wl"})

    def answer(refresh: str, body: str = "<p>正在进入政府信息公开平台……</p>"):
        return HtmlResponse(asked.url, body=body.encode(), encoding="utf-8", request=asked,
                            headers={"Refresh": refresh} if refresh else {})
    sent = middleware.process_response(asked, answer("0; url=http://xxgk.wl.gov.cn/index.html"))
    assert isinstance(sent, scrapy.Request) and sent.url == "http://xxgk.wl.gov.cn/index.html"
    assert sent.meta["redirect_urls"] == [asked.url] and sent.meta["site"] == "wl"
    assert sent.meta["redirect_reasons"] == ["refresh header"]
    assert isinstance(middleware.process_response(asked, answer("300; url=/later/")), HtmlResponse)
    assert isinstance(middleware.process_response(asked, answer("30")), HtmlResponse)
    # the markup's own refresh is still read
    meta = middleware.process_response(asked, answer("", '<meta http-equiv="refresh" content="0; url=/gk/">'))
    assert isinstance(meta, scrapy.Request) and meta.url == HOME + "gk/"
    # the archive keeps the answer as a hop (as a 302's), so a resumed run asks it again rather than
    # replaying its bytes without the header
    from crawler.crawl.middlewares import ArchiveMiddleware

    class Store:
        failure, fetches = None, []

        def record_fetch(self, url, **row):
            self.fetches.append((url, row["status"], row["error"]))
    archive = ArchiveMiddleware(get_crawler(settings_dict={"METAREFRESH_MAXDELAY": 100}))
    archive.store, archive.run_id = Store(), 1
    archive.process_response(asked, answer("0; url=http://xxgk.wl.gov.cn/index.html"))
    archive.process_response(asked, answer("30"))
    assert archive.store.fetches == [(asked.url, 200, "refresh to http://xxgk.wl.gov.cn/index.html"),
                                     (asked.url, 200, None)]


def test_a_get_form_asking_nothing_but_its_button_is_a_link():
    """national33 shanglin: `<form action="/zwgk/xxgkml/" method="get"><button>政府信息公开</button></form>` — the
    only way in; submitted, it opens its action (its hidden fields as the query). A search box, a year <select>
    or a POST form is no link."""
    page = """<form action="/zwgk/xxgkml/index.html" method="get" target="_blank"><button type="submit">
    <i class="icon"></i>政府信息公开</button></form>
    <form action="/gk/list.jsp"><input type="hidden" name="cid" value="12"><input type="submit" value="政务公开"></form>
    <form action="/search/" method="get"><input name="q"><button>政府信息公开</button></form>
    <form action="/nb/list.jsp"><select name="year"><option>2024</option></select><button>政务公开</button></form>
    <form action="/post/" method="post"><button>信息公开目录</button></form>"""
    assert found(page) == {HOME + "zwgk/xxgkml/index.html": "政府信息公开", HOME + "gk/list.jsp?cid=12": "政务公开"}
    entries = page_links(Selector(text=page), HOME)
    assert HOME + "zwgk/xxgkml/index.html" in next_links(HOME, entries, 0, 5, False, set())[1]


def test_a_nav_call_with_a_key_into_a_lookup_table_leads_to_the_keys_address():
    """national33 yili (`goSite('zwgk')`, `var SITE_CFG = {zwgk: …}` inline) and national32 puer
    (`javascript:openUrl('zwgk')`, `var urlMap = {…}` with the function in an external config.js): the key
    names the address in the table the function reads."""
    inline = """<script>var SITE_CFG = {"main": "/", zwgk: "http://zwgk.wl.gov.cn/xxgk/index.html", "zwfw": "/zwfw/"};
    function goSite(k){ var u = SITE_CFG[k]; if(u){ window.open(u, "_blank"); } }</script>
    <a href="javascript:void(0);" onclick="goSite('zwgk')">政务公开</a><a href="javascript:goSite('none')">互动交流</a>"""
    links = found(inline)
    assert links["http://zwgk.wl.gov.cn/xxgk/index.html"] == "政务公开" and "互动交流" not in links.values()
    # the table in one script, the function in another
    split = inline.replace("};\n", "};</script><script>\n")
    assert found(split)["http://zwgk.wl.gov.cn/xxgk/index.html"] == "政务公开"
    config = """var urlMap = {
     "zwgk": "http://zwgk.wl.gov.cn/xxgk/index.html", "hdjl": "/hdjl/", "nav": {"zwgk": "/elsewhere/"}
    };
    function openUrl(key){ var u = urlMap[key]; if(!u){ return; } if(u.indexOf('http') === 0){ window.open(u); }
    else { location.href = u; } }"""
    page = '<script src="/js/config.js"></script><a href="javascript:openUrl(\'zwgk\')">政务公开</a>'
    calls = pending_calls(Selector(text=page))
    assert calls == [("javascript:openUrl('zwgk')", "政务公开")]
    assert resolve_calls(calls, navigation_functions(config), HOME) == [
        Entry("http://zwgk.wl.gov.cn/xxgk/index.html", "政务公开")]
    assert table_strings(config)["urlMap.hdjl"] == "/hdjl/" and "urlMap.nav" not in table_strings(config)
    assert called_address("go('x')", navigation_functions("function go(k){ location.href = '/c/' + k; }")) == "/c/x"


def test_a_home_pages_site_map_is_followed_like_a_hub():
    """national32 liuyang: only the footer 网站地图 page links 政府信息公开目录 (the nav 政务公开 page names none). A
    site map lists every column: followed from the home page — not from every page that prints the footer."""
    page = """<ul class="nav"><li><a href="/zwgk/">政务公开</a></li><li><a href="/hdjl/">互动交流</a></li></ul>
    <div class="footer"><a href="/about/wzdt.html">网站地图</a> | <a href="/about/lxwm.html">联系我们</a></div>"""
    entries = page_links(Selector(text=page), HOME)
    assert next_links(HOME, entries, 0, 5, False, set())[1] == [HOME + "zwgk/", HOME + "about/wzdt.html"]
    assert next_links(HOME + "zwgk/", entries, 1, 5, False, set())[1] == [HOME + "zwgk/"]
    assert is_site_map("站点地图") and is_site_map("网站导航") and not is_site_map("导航") and not is_site_map("地图服务")


def test_a_tab_boxs_more_link_leads_to_each_tabs_column():
    """national32 changshaxian: a 政务公开 tab box whose one 更多>> link's href the script swaps from the hovered
    tab's data attribute (`$("#more").attr("href", $(this).attr("data-more"))`): each tab leads to its column."""
    page = """<ul class="tab-hd"><li class="on" data-more="/zwgk/zcwj/">政策文件</li>
    <li data-more="/zwgk/xxgkml/">信息公开</li></ul><a id="tabMore" class="more" href="/zwgk/zcwj/">更多&gt;&gt;</a>
    <script>$(".tab-hd li").mouseover(function(){ $(this).addClass("on").siblings().removeClass("on");
    $("#tabMore").attr("href", $(this).attr("data-more")); });</script>"""
    links = found(page)
    assert links[HOME + "zwgk/xxgkml/"] == "信息公开" and is_hub(links[HOME + "zwgk/xxgkml/"])
    through = page.replace('$("#tabMore").attr("href", $(this).attr("data-more"))',
                           'var u = this.dataset.more; document.getElementById("tabMore").href = u')
    assert found(through)[HOME + "zwgk/xxgkml/"] == "信息公开"
    assert HOME + "zwgk/xxgkml/" not in found(page.replace('"href"', '"title"'))   # copied elsewhere: no link


def test_a_report_columns_location_trail_leads_up_to_its_catalogue_while_a_type_is_unfound():
    """national32 gaozhou: a home box 政府信息公开年报 links straight into the 年报 column; its trail (`当前位置：首页 >
    政府信息公开 > 政府信息公开年报`) is the only way up to the catalogue, where the 法治 column is. Followed while
    a type's column is unfound; a trail's 首页 is no hub."""
    spider, home = catalogue_spider(HOME)
    (column,) = [r for r in spider.parse_list(html(HOME, """<div class="side"><h3><a href="/zwgk/xxgkml/ndbg/">
    政府信息公开年报</a></h3></div>""").replace(request=home)) if r.meta.get("kind")]
    body = """<div class="crumb">当前位置：<a href="/">首页</a> &gt; <a href="/zwgk/xxgkml/index.html">政府信息公开</a>
    &gt; 政府信息公开年报</div><ul class="list"><li><a href="/zwgk/xxgkml/ndbg/202503/t1.html">武陵县2024年政府信息公开
    工作年度报告</a><span>2025-03-20</span></li></ul>"""
    requests = list(spider.parse_list(html(column.url, body).replace(request=column)))
    (up,) = [r for r in requests if r.meta["role"] == "list"]
    assert up.url == HOME + "zwgk/xxgkml/index.html" and up.meta["hops"] == column.meta["hops"] + 1
    plain = body.replace('class="crumb"', 'class="x"').replace("当前位置：", "您的位置: ")
    assert trail_parents(Selector(text=plain), column.url) == [HOME + "zwgk/xxgkml/index.html"]
    for layout in ("nav", "position-relative"):   # a menu box, a layout class: no trail
        assert trail_parents(Selector(text=body.replace("当前位置：", "")
                                      .replace('class="crumb"', f'class="{layout}"')), column.url) == []
    # both types' columns found: the trail is not climbed
    spider.state["wl"].kinds.update([FZ, XXGK])
    again = column.replace(url=HOME + "zwgk/xxgkml/ndbg/index.html")
    assert not [r for r in spider.parse_list(html(again.url, body).replace(request=again)) if r.meta["role"] == "list"]


# -- national34's (江西 湖北 甘肃 江苏 浙江) -----------------------------------------------------------------

def test_a_notice_naming_the_catalogue_in_a_sentence_leads_there():
    """national34 fangxian: the one link to the catalogue is a 通知公告 ticker's sentence (`<marquee><a>【政务公开】
    …政府信息公开目录栏目已完成调整…</a>`): named by the catalogue the sentence names, a hub — while a notice that
    is a document (召开政务公开工作培训会, an article address) and one naming only the topic stay news."""
    named = found("""<div class="notice"><marquee><a href="/zwgk/gkml/index.html">【政务公开】武陵县政府信息公开目录
    栏目已完成调整，欢迎社会各界查阅监督</a> <a href="/tzgg/202601/t20260113_71.html">武陵县政府信息公开目录调整说明</a>
    <a href="/tzgg/">武陵县召开政务公开工作培训会</a></marquee></div>""")
    assert is_hub(named[HOME + "zwgk/gkml/index.html"])
    assert not is_hub(named[HOME + "tzgg/202601/t20260113_71.html"]) and not is_hub(named[HOME + "tzgg/"])
    hubs = next_links(HOME, page_links(Selector(text="""<marquee><a href="/zwgk/gkml/">请登录武陵县法定主动公开内容
    栏目查阅</a></marquee>"""), HOME), 0, 6, False, set())[1]
    assert hubs == [HOME + "zwgk/gkml/"]


def test_a_requirejs_main_module_is_one_of_the_pages_own_scripts():
    """national34 jingning 法治: `<script data-main="/js/app/list_1070" src="/js/require.js">` — require.js is a
    library, the module it loads (`/js/app/list_1070.js`, `.js` added as RequireJS adds it) the page's own
    script; its `$.getJSON(API, {chnl: $list.data("chnl"), page: page, size: $list.data("size")})` is read with
    the list element's data-* (jQuery's `.data("chnl")`, `.attr("data-chnl")`)."""
    page = Selector(text="""<ul class="list" id="docList" data-chnl="1070" data-size="6"></ul>
    <script data-main="/js/app/list_1070" src="/js/require.js"></script><script data-main="main.js" src="r.js"></script>""")
    scripts = [e.url for e in page_links(page, HOME + "gk/fz/") if e.title == "\x00script"]
    assert scripts == [HOME + "js/app/list_1070.js", HOME + "gk/fz/main.js"]
    module = """define(["jquery"], function ($) { var API = "/gkapi/doc/list"; var $list = $("#docList");
    function load(page) { $.getJSON(API, { chnl: $list.data("chnl"), page: page, size: $list.attr("data-size") },
    function (r) { render(r.result.docs); }); } load(1); });"""
    call = app_call(module, page_state(page))
    assert api_request(HOME + "gk/fz/", call, 2).url == HOME + "gkapi/doc/list?chnl=1070&page=2&size=6"


def test_a_columns_rss_feed_is_a_page_of_the_column_paged_by_its_next_link():
    """national34 ninghai 法治: the column shows its newest 8 and keeps the rest in its 订阅 feed (`<link
    rel="alternate" type="application/rss+xml">`, an RSS icon), which pages by `<atom:link rel="next">`: the
    spider asks the feed from the column's page as its first page; its items are rows (dc:date), its next link
    its pager. A portal page's feed is not asked, nor the namespace names."""
    from spiders.feeds import column_feeds
    column = """<html><head><link rel="alternate" type="application/rss+xml" title="法治" href="/gk/fz/rss.xml"></head>
    <body><ul class="list"><li><a href="/art/2025/3/28/art_1_1.html">武陵县2024年度法治政府建设情况报告</a>
    <span>2025-03-28</span></li></ul><a class="rss" href="/gk/fz/rss.xml"><img src="/images/rss.gif">订阅本栏目</a>
    <a href="/gk/fz/data.xml">数据下载</a></body></html>"""
    assert column_feeds(Selector(text=column), HOME + "gk/fz/") == [HOME + "gk/fz/rss.xml"]
    spider, first = catalogue_spider(HOME + "gk/fz/")
    page = first.replace(meta={**first.meta, "hops": 2, "kind": FZ})
    (feed,) = [r for r in spider.parse_list(html(page.url, column).replace(request=page)) if r.url.endswith(".xml")]
    assert feed.meta["adapter"] == "generic" and not feed.meta["follow_up"] and feed.meta["kind"] == FZ
    rss = """<?xml version="1.0" encoding="UTF-8"?><rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom"
    xmlns:dc="http://purl.org/dc/elements/1.1/"><channel><title>法治</title><link>http://www.wl.gov.cn/gk/fz/</link>
    <atom:link rel="self" href="http://www.wl.gov.cn/gk/fz/rss.xml"/><atom:link rel="next" href="rss_2.xml"/>
    <item><title>武陵县2020年度法治政府建设情况报告</title><link>http://www.wl.gov.cn/picture/0/1.pdf</link>
    <dc:date>2021-03-11</dc:date><pubDate>Thu, 11 Mar 2021 09:30:00 +0800</pubDate></item></channel></rss>"""
    answer = XmlResponse(feed.url, body=rss.encode(), encoding="utf-8", request=feed)
    assert [(e.url, e.date) for e in GenericAdapter().entries(answer) if link_kind(e.title)] == [
        (HOME + "picture/0/1.pdf", "2021-03-11")]
    assert [r.url for r in GenericAdapter().more_pages(answer)] == [HOME + "gk/fz/rss_2.xml"]
    requests = list(spider.parse_list(answer))
    assert {r.url for r in requests} == {HOME + "picture/0/1.pdf", HOME + "gk/fz/rss_2.xml"}
    home, _ = catalogue_spider(HOME)
    assert not [r for r in home.parse_list(html(first.url, column).replace(request=first)) if r.url.endswith(".xml")]


def test_a_gridview_pager_posts_its_page_command():
    """national34 taicang 法治: an ASP.NET GridView in an UpdatePanel pages by `__doPostBack('gvList','Page$2')`
    — the grid's event argument is the command `Page$N`, not a bare number; the form posted whole (a full
    postback, which the server answers with the whole page) carries it. A sort command is no page."""
    page = Selector(text="""<form method="post" action="./List.aspx?ClassID=10" id="form1">
    <input type="hidden" name="__EVENTTARGET" value=""><input type="hidden" name="__EVENTARGUMENT" value="">
    <input type="hidden" name="__VIEWSTATE" value="/wEPDw"><script>var theForm = document.forms["form1"];
    function __doPostBack(eventTarget, eventArgument) { theForm.__EVENTTARGET.value = eventTarget;
    theForm.__EVENTARGUMENT.value = eventArgument; theForm.submit(); }</script><table id="gvList"><tr><td>
    <a href="/gk/fz/1.html">武陵县2024年度法治政府建设情况报告</a></td></tr><tr class="pager"><td><span>1</span>
    <a href="javascript:__doPostBack('gvList','Page$2')">2</a> <a href="javascript:__doPostBack('gvList','Sort$Title')">
    3</a></td></tr></table></form>""")
    assert form_pages(page, HOME + "gk/fz/") == [(HOME + "gk/fz/List.aspx?ClassID=10", "POST", [
        ("__EVENTTARGET", "gvList"), ("__EVENTARGUMENT", "Page$2"), ("__VIEWSTATE", "/wEPDw")])]


def test_a_short_page_field_counted_by_the_pages_function_is_the_page():
    """national34 taizhou 年报: `function getPage(n){ $.ajax({url: listUrl, data: {catId: "1041", pn: n}, dataType:
    "jsonp", jsonpCallback: "nbCallback"}) } getPage(1);` — `pn` (Baidu's abbreviation, p / pg likewise) holds
    the function's page number; a constant sent under such a name (`{p: "xxgk"}`) is no page."""
    call = api_call("""<script>var listUrl = "/openapi/jsonp/infoList"; function getPage(n){ $.ajax({url: listUrl,
    data: {catId: "1041", pn: n}, dataType: "jsonp", jsonp: "callback", jsonpCallback: "nbCallback", success:
    function(d){ render(d.rows); } }); } getPage(1);</script>""")
    assert api_request(HOME + "gk/nb/", call, 2).url == HOME + "openapi/jsonp/infoList?catId=1041&pn=2&callback=nbCallback"
    assert api_call("""<script>var site = "xxgk"; function load(){ $.getJSON("/api/list", {p: site, col: "12"},
    function(d){ render(d.rows); }); }</script>""") is None
    assert api_call("""<script>function search(col){ var kw = $("#q").val(); $.getJSON("/api/list", {p: kw,
    col: col}, function(d){ render(d.rows); }); }</script>""") is None   # a search word, not a counter
    counter = api_call("""<script>var pg = 1; function more(){ $.get("/api/list", {col: "12", pg: pg}, function(h){
    $("#list").append(h); pg++; }); }</script>""")
    assert counter and counter["page"] == "pg"


def test_a_nav_written_from_escaped_text_is_read():
    """锦屏: the nav is `document.write(unescape('%3Cul%3E…%u653F%u52A1%u516C%u5F00…'))` — JavaScript escape()
    text (%XX, %uXXXX), no plain markup; decodeURIComponent's UTF-8 %XX alike."""
    escaped = ("%3Cul%3E%3Cli%3E%3Ca%20href%3D%22/gk/%22%3E%u653F%u52A1%u516C%u5F00%3C/a%3E%3C/li%3E%3C/ul%3E")
    page = f"<div id='nav'><script>document.write(unescape('{escaped}'));</script></div>"
    assert found(page)[HOME + "gk/"] == "政务公开"
    utf8 = "%3Ca%20href%3D%22%2Fxxgk%2F%22%3E%E4%BF%A1%E6%81%AF%E5%85%AC%E5%BC%80%3C%2Fa%3E"
    assert found(f'<script>var m = decodeURIComponent("{utf8}"); document.write(m);</script>')[HOME + "xxgk/"] \
        == "信息公开"


def test_an_asmx_answer_wrapping_json_in_xml_is_read_as_json():
    """锦屏: `$.ajax({type: "POST", url: "/WS/Info.asmx/GetList", data: {colId, pageIndex, pageSize}, dataType:
    "xml"})` answers `<string xmlns="http://tempuri.org/">{"PageCount": 2, "Rows": […]}</string>`: the JSON
    inside is the answer; the namespace is no address."""
    call = api_call("""<script>var svc = "/WS/Info.asmx/GetList"; var colId = "1000", pageSize = 6;
    function getList(pageIndex){ $.ajax({ type: "POST", url: svc, data: { colId: colId, pageIndex: pageIndex,
    pageSize: pageSize }, dataType: "xml", success: function(x){ var d = JSON.parse($(x).find("string").text()); } }); }
    getList(1);</script>""")
    first = api_request(HOME + "gk/fz/", call, 1)
    assert (first.method, first.url, first.body.decode()) == ("POST", HOME + "WS/Info.asmx/GetList",
                                                             "colId=1000&pageIndex=1&pageSize=6")
    body = ('<?xml version="1.0" encoding="utf-8"?>\n<string xmlns="http://tempuri.org/">{"PageCount": 2, "Rows": '
            '[{"Title": "武陵县2025年度法治政府建设工作报告", "Url": "/gk/fz/1.html"}], "Note": "a &amp; b"}</string>')
    answer = XmlResponse(first.url, body=body.encode(), encoding="utf-8",
                         request=first.replace(meta={**first.meta, "kind": FZ}))
    assert [e.url for e in JsonListAdapter().entries(answer)] == [HOME + "gk/fz/1.html"]
    assert [(r.method, r.body.decode()) for r in JsonListAdapter().more_pages(answer)] == [
        ("POST", "colId=1000&pageIndex=2&pageSize=6")]
    assert parse_json(body)["Note"] == "a & b" and parse_json("<html><body>{x}</body></html>") is None


def test_an_inline_svg_guide_links_by_xlink_href():
    """福清: the 政府信息公开 way in is only an `<a xlink:href>` around a `<text>` in an inline <svg>."""
    page = """<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" viewBox="0 0 400 90">
    <a xlink:href="/zfxxgk/index.html"><rect width="180" height="80"/><text x="90" y="45">政府信息公开</text></a>
    <a href="/zwfw/"><title>政务服务</title><rect x="200" width="180" height="80"/></a></svg>"""
    links = found(page)
    assert links[HOME + "zfxxgk/index.html"] == "政府信息公开" and is_hub(links[HOME + "zfxxgk/index.html"])
    assert links[HOME + "zwfw/"] == "政务服务"


def test_a_jquery_load_with_a_fragment_selector_pages_static_lists():
    """福清: `$("#infoList").load("/gk/fz/list_" + n + ".html #docs > li")` puts the rows of full list pages
    into an empty list, `var totalPage = 2` its count: the address before the space, the rows the selector's."""
    shell = """<ul id="infoList"></ul><script>var totalPage = 2;
    function loadPage(n){ $("#infoList").load("/gk/fz/list_" + n + ".html #docs > li"); }
    function drawPager(n){ for (var i = 1; i <= totalPage; i++) {} } loadPage(1);</script>"""
    call = api_call(shell)
    assert (call["select"], call["last"]) == ("#docs > li", 2)
    first = api_request(HOME + "gk/fz/", call, 1)
    assert first.url == HOME + "gk/fz/list_1.html"
    page = html(first.url, """<ul class="nav"><li><a href="/a.html">政务公开栏目导航链接一</a></li>
    <li><a href="/b.html">政务服务栏目导航链接二</a></li><li><a href="/c.html">互动交流栏目导航链接三</a></li></ul>
    <ul id="docs"><li><a href="/gk/fz/1.html">武陵县2025年度法治政府建设工作报告</a><span>2026-02-01</span></li></ul>""")
    page.request.meta.update({**first.meta, "kind": FZ})
    assert [e.url for e in JsonListAdapter().entries(page)] == [HOME + "gk/fz/1.html"]
    assert [r.url for r in JsonListAdapter().more_pages(page)] == [HOME + "gk/fz/list_2.html"]


def test_an_xml_menu_loaded_by_script_is_read():
    """海南州: the nav is built from `$.ajax({url: "/data/menu.xml", dataType: "xml"})`, `<item name url>` nodes."""
    menu = """<?xml version="1.0" encoding="UTF-8"?><menu><item name="首页" url="/"/><item name="政务公开" url="/zwgk/">
    <item name="政府信息公开" url="http://zwgk.wl.gov.cn/xxgk/"/></item><node><title>互动交流</title><link>/hd/</link></node></menu>"""
    answer = XmlResponse(HOME + "data/menu.xml", body=menu.encode(), encoding="utf-8")
    links = {e.url: e.title for e in loaded_links(answer, HOME)}
    assert links["http://zwgk.wl.gov.cn/xxgk/"] == "政府信息公开" and links[HOME + "hd/"] == "互动交流"
    home = page_links(Selector(text='<script>$.ajax({ url: "/data/menu.xml", dataType: "xml", success: function(x)'
                                    '{ $(x).find("item"); } });</script>'), HOME)
    assert (HOME + "data/menu.xml", LOADED) in [(e.url, e.title) for e in home]


def test_a_jsf_command_link_pager_posts_the_form_with_its_parameters():
    """集安: a JSF (Mojarra) pager's `onclick="mojarra.jsfcljs(document.getElementById('listForm'),
    {'listForm:pager':'listForm:pager','pageNo':'2'},'');return false"` POSTs the form — its
    javax.faces.ViewState with it — and those parameters; JSF 1.2's comma list alike."""
    page = """<form id="listForm" name="listForm" method="post" action="/gk/fz/list.xhtml">
    <input type="hidden" name="listForm" value="listForm"><ul><li><a href="/gk/fz/1.html">报告</a></li></ul>
    <a href="#" onclick="mojarra.jsfcljs(document.getElementById('listForm'),{'listForm:pager':'listForm:pager',
    'pageNo':'2'},'');return false">2</a>
    <input type="hidden" name="javax.faces.ViewState" id="j_id1:javax.faces.ViewState:0" value="-104:51"></form>"""
    assert form_pages(Selector(text=page), HOME + "gk/fz/list.xhtml") == [
        (HOME + "gk/fz/list.xhtml", "POST", [("listForm", "listForm"), ("javax.faces.ViewState", "-104:51"),
                                             ("listForm:pager", "listForm:pager"), ("pageNo", "2")])]
    old = page.replace("mojarra.jsfcljs(document.getElementById('listForm'),{'listForm:pager':'listForm:pager',\n"
                       "    'pageNo':'2'},'')", "jsfcljs(document.forms['listForm'],'listForm:pager,listForm:pager,pageNo,3','')")
    assert form_pages(Selector(text=old), HOME + "gk/fz/list.xhtml")[0][2][-1] == ("pageNo", "3")


def test_an_xml_column_page_for_xslt_lists_and_pages():
    """翔安: the column answers text/xml with `<?xml-stylesheet type="text/xsl"?>`: `<doc><title><url><pubdate>`
    records and a pager of `<next href>` / `<last href>` elements to list_N.xml."""
    body = """<?xml version="1.0" encoding="UTF-8"?><?xml-stylesheet type="text/xsl" href="/xsl/list.xsl"?>
    <list column="法治政府建设"><doc><title>武陵县2025年度法治政府建设工作报告</title><url>/gk/fz/1.pdf</url>
    <pubdate>2026-02-01</pubdate></doc><pager pagecount="3"><first href="/gk/fz/"/><next href="/gk/fz/list_2.xml"/>
    <last href="/gk/fz/list_3.xml"/></pager></list>"""
    page = XmlResponse(HOME + "gk/fz/", body=body.encode(), encoding="utf-8", request=scrapy.Request(HOME + "gk/fz/"))
    entries = GenericAdapter().entries(page)
    assert [(e.url, e.date) for e in entries] == [(HOME + "gk/fz/1.pdf", "2026-02-01")]
    assert [r.url for r in GenericAdapter().more_pages(page)] == [HOME + "gk/fz/list_2.xml", HOME + "gk/fz/list_3.xml"]


def test_a_column_page_previewing_its_list_leads_to_it_by_more():
    """荔波: the 博达 column `fzjs/` shows six rows and `更多` → `fzjs/list.htm` (paged on as list/1.htm): the
    whole list is the column's; a 更多 out of its directory is another box's."""
    page = Selector(text="""<h2>法治建设</h2><ul><li><a href="/gk/fzjs/1.html">武陵县2025年度法治政府建设工作报告</a></li>
    </ul><a href="/gk/fzjs/list.htm">更多</a><div><h3>通知公告</h3><a href="/tzgg/list.htm">更多>></a></div>""")
    assert full_lists(page, HOME + "gk/fzjs/") == [HOME + "gk/fzjs/list.htm"]


def test_a_park_named_by_its_trade_issues_as_a_department():
    """海南州: 海南州生态光伏园区2022年度政府信息公开工作年度报告 — a park (园区) named by two characters or more of its
    trade is a zone's committee, not the government; a district whose name ends in 园区 (长春市绿园区) governs."""
    assert issuer_type("海南州生态光伏园区2022年度政府信息公开工作年度报告", None) == "department"
    assert issuer_type("长春市绿园区2022年政府信息公开工作年度报告", None) == "government"


# national36 dazhou: the nav is drawn by an inline ES module from the menu file it imports; zhaoxian: by a
# JSONP script (`nav.jsonp?callback=renderNav`) whose answer is the menu config


def test_an_inline_module_reads_the_menu_file_it_imports():
    """达州: `<script type="module">import {menu} from "/static/js/menu.mjs"</script>` draws the nav: the imported
    file is the page's own script (read as a header include is); a bare package name is no address."""
    from spiders.discovery import SCRIPT, _external_scripts
    page = Selector(text="""<ul id="nav"></ul><script type="module">import { menu } from "/static/js/menu.mjs";
    import { h } from "vue"; import "./nav-init.js";
    document.getElementById("nav").innerHTML = menu.map(m => "<a href='" + m.url + "'>" + m.name + "</a>").join("");
    </script><script>import_x = "/not/a/module.js";</script>""")
    assert [e.url for e in _external_scripts(page, HOME) if e.title == SCRIPT] == [
        HOME + "static/js/menu.mjs", HOME + "nav-init.js"]
    module = 'export const menu = [{"name": "政务公开", "url": "http://xxgk.wl.gov.cn/xxgk/index.html", "children": []}];'
    assert ("http://xxgk.wl.gov.cn/xxgk/index.html", "政务公开") in [(e.url, e.title) for e in code_links(module, HOME)]


def test_a_jsonp_nav_script_is_a_menu_script():
    """赵县: `<script src="/site/nav.jsonp?callback=renderNav">` answers `renderNav({menus:[…]})`: a script file the
    home page's menu comes from, its answer read as the JSON menu it wraps."""
    from spiders.discovery import MENU_SCRIPT, SCRIPT, _external_scripts
    page = Selector(text='<ul id="nav"></ul><script src="/site/nav.jsonp?callback=renderNav"></script>')
    scripts = [e.url for e in _external_scripts(page, HOME) if e.title == SCRIPT]
    assert scripts == [HOME + "site/nav.jsonp?callback=renderNav"]
    assert MENU_SCRIPT.search(urlsplit(scripts[0]).path)
    body = 'renderNav({"menus": [{"name": "政务公开", "url": "/zwgk/", "children": []}]});'
    answer = TextResponse(scripts[0], body=body.encode(), encoding="utf-8")
    assert (HOME + "zwgk/", "政务公开") in [(e.url, e.title) for e in loaded_links(answer, HOME)]


# national36 zhaoxian and qingyuan: a report column listed through DWR remoting (InfoService.getList)


def test_a_dwr_service_call_is_a_paged_list_posted_as_typed_arguments():
    """赵县 / 清原: the page loads `/dwr/interface/InfoService.js` and calls `InfoService.getList(colId, n, pageSize,
    cb)` from `show(n)`: the list is POSTed to `/dwr/call/plaincall/InfoService.getList.dwr`, each argument typed
    (`c0-param0=number:1020`), the page the one its function passes; the reply hands the value to the callback."""
    page = """<ul id="dwrList"></ul><script src="/dwr/engine.js"></script>
    <script src="/dwr/interface/InfoService.js"></script><script>
    var colId = 1020, pageSize = 10;
    function show(n){ InfoService.getList(colId, n, pageSize, function(r){ render(r.list); pager(r.pageCount, n); }); }
    show(1);</script>"""
    call = api_call(page)
    assert call["url"] == "/dwr/call/plaincall/InfoService.getList.dwr" and call["page"] == "c0-param1"
    request = api_request(HOME + "gk/fz/index.html", call, 2)
    assert request.method == "POST" and request.url == HOME + "dwr/call/plaincall/InfoService.getList.dwr"
    form = dict(parse_qsl(request.body.decode()))
    assert (form["c0-scriptName"], form["c0-methodName"]) == ("InfoService", "getList")
    assert (form["c0-param0"], form["c0-param1"], form["c0-param2"]) == ("number:1020", "number:2", "number:10")
    reply = ("//#DWR-INSERT\n//#DWR-REPLY\ndwr.engine._remoteHandleCallback('0','0',{\"pageCount\": 2, \"list\": "
             "[{\"title\": \"武陵县2025年度法治政府建设工作报告\", \"url\": \"/gk/fz/1.html\"}]});\n")
    assert parse_json(reply)["pageCount"] == 2
    # a call whose service the page never loaded, or with an argument known only at run time, is none
    assert api_call(page.replace("/dwr/interface/InfoService.js", "/js/info.js")) is None
    assert api_call(page.replace("var colId = 1020, ", "var ")) is None


# -- national36 ---------------------------------------------------------------------------------------------


def test_a_datatable_whose_ajax_option_is_a_settings_object_posts_its_data():
    """national36 fengning: `ajax: {url, type: "POST", data: {colId}}` — the widget POSTs start/length with the
    object's data to the object's url; the `language: {url}` translation file before it is no service."""
    code = """$("#t").DataTable({serverSide: true, pageLength: 7, language: {url: "/js/dt/zh_CN.json"},
      ajax: {url: "/gk/fz/dataTables/list.do", type: "POST", data: {colId: "1030"}},
      columns: [{data: "title"}]});"""
    call = api_call(code)
    assert (call["url"], call["post"], call["fields"]) == (
        "/gk/fz/dataTables/list.do", True, [("colId", "1030"), ("start", "0"), ("length", "7")])
    second = api_request(HOME + "gk/fz/", call, 2)
    assert second.method == "POST" and dict(parse_qsl(second.body.decode())) == {
        "colId": "1030", "start": "7", "length": "7"}


def test_a_unit_build_sends_its_page_inside_a_stringified_parameter():
    """national36 weiyuan, tieling (浙江 集约化 jpaas): `$.get(unitUrl, q, fn)` with `q = $.extend({}, unitParams,
    {paramJson: JSON.stringify({pageNo: n, pageSize: pageSize})})` — the page is a field of the JSON string
    one parameter carries; `var totalPage` bounds the pages when the answer ({data: {html}}) counts none."""
    code = """var unitUrl = "/api-gateway/front/page/build/unit";
    var unitParams = {"webId": "31", "pageId": "1010", "tagId": "list"};
    var totalPage = 3, pageSize = 5;
    function loadUnit(n){ var q = $.extend({}, unitParams, { paramJson: JSON.stringify({ pageNo: n, pageSize: pageSize }) });
      $.get(unitUrl, q, function(r){ $("#box").html(r.data.html); }, "json"); }
    loadUnit(1);"""
    call = api_call(code)
    assert call["last"] == 3
    query = dict(parse_qsl(urlsplit(api_request(HOME + "gk/fz/", call, 2).url).query))
    assert query == {"webId": "31", "pageId": "1010", "tagId": "list", "paramJson": '{"pageNo":2,"pageSize":5}'}


def test_a_vite_entry_names_the_chunk_whose_component_reads_the_mount_elements_props():
    """national36 pingyin, qingyuan (Vite ESM shell): the entry `import()`s the route's chunk; the chunk's
    component declares `props: ["columnId", "pageSize"]` and asks `api + "?columnId=" + this.columnId + …`, the
    props the entry hands from `<div id="app" data-column-id data-page-size>`."""
    entry = """import{c as createApp}from"/assets/vendor-1a.js";
    const routes=[{path:"/",component:()=>import("/assets/List-2b.js")}];
    const el=document.getElementById("app");createApp({routes,props:{columnId:el.dataset.columnId}}).mount(el);"""
    assert module_chunks(entry) == ["/assets/List-2b.js"]
    chunk = """const api="/prod-api/article/page";export default{props:["columnId","pageSize"],
    methods:{load(n){fetch(api+"?columnId="+this.columnId+"&current="+n+"&size="+this.pageSize)
    .then(r=>r.json()).then(r=>{this.records=r.data.records})}},mounted(){this.load(1)}};"""
    state = page_state(Selector(text='<div id="app" data-column-id="1050" data-page-size="6"></div>'))
    call = app_call(chunk, state)
    assert (call["url"], call["fields"], call["page"]) == (
        "/prod-api/article/page", [("columnId", "1050"), ("current", "1"), ("size", "6")], "current")
    assert app_call(chunk, page_state(Selector(text="<div id='app'></div>"))) is None


def test_an_angular_shell_over_files_named_by_their_query_pages_in_the_path():
    """national36 hezhou (AngularJS over pre-generated JSON): `$http.get("/static/data/list/data_itemId=" + itemId
    + ",pageIndex=" + n + ",pageSize=" + pageSize + ".json")` — the page is a comma-separated `key=value` of the
    file's name; `",pageSize="` inside a literal is no assignment of pageSize."""
    code = """var itemId = 1061, pageSize = 7;
    angular.module("app", []).controller("C", function($scope, $http){ $scope.load = function(n){
      $http.get("/static/data/list/data_itemId=" + itemId + ",pageIndex=" + n + ",pageSize=" + pageSize + ".json")
      .then(function(r){ $scope.rows = r.data.data.rows; }); }; $scope.load(1); });"""
    call = api_call(code)
    assert api_request(HOME + "gk/nb/", call, 2).url == HOME + "static/data/list/data_itemId=1061,pageIndex=2,pageSize=7.json"


# --- national37 ---------------------------------------------------------------------------------------------------


def test_a_link_through_the_portals_own_interstitial_is_its_target():
    """national37 dehong: 快捷入口 政府信息公开 is `/wltx.html?url=http%3A%2F%2Fxxgk.…` — a 外链提示 page whose 继续访问
    runs by script: the link leads to the address in its query. Another host's wrapper, or a query holding a
    path (a viewer's `?file=/a.pdf`), is no interstitial of the portal's."""
    page = Selector(text="""<div class="kjrk"><a href="/wltx.html?url=http%3A%2F%2Fxxgk.wl.gov.cn%2Fzfxxgk%2Findex.html">
    <span>政府信息公开</span></a><a href="/pdfjs/web/viewer.html?file=%2Fgk%2F1.pdf">预览</a>
    <a href="http://share.example.com/s?url=http%3A%2F%2Fwww.wl.gov.cn%2F">分享</a></div>""")
    links = {e.title: e.url for e in page_links(page, HOME)}
    assert links["政府信息公开"] == "http://xxgk.wl.gov.cn/zfxxgk/index.html"
    assert links["预览"] == HOME + "pdfjs/web/viewer.html?file=%2Fgk%2F1.pdf"
    assert links["分享"].startswith("http://share.example.com/")


def test_a_lazily_loaded_drop_down_is_asked_for_a_hubs_children():
    """national37 dali: the nav's 政务公开 `<li data-chnl="1402">` has an empty drop-down its hover handler fills
    from `$.getJSON("/api/channel/children", {parentId: id}, …)` with `id = li.data("chnl")`: that load, with the
    hub's value, is part of the page; an item that is no hub (政务服务) is not asked."""
    page = Selector(text="""<ul class="nav"><li class="nav-item" data-chnl="1402"><a href="/zwgk/">政务公开</a>
    <ul class="dropdown"></ul></li><li class="nav-item" data-chnl="1403"><a href="/zwfw/">政务服务</a></li></ul>
    <script>$(".nav .nav-item").hover(function () { var li = $(this), id = li.data("chnl");
    $.getJSON("/api/channel/children", { parentId: id }, function (list) { li.find(".dropdown").html(""); }); });
    </script>""")
    loaded = [e.url for e in page_links(page, HOME) if e.title == LOADED]
    assert HOME + "api/channel/children?parentId=1402" in loaded
    assert HOME + "api/channel/children?parentId=1403" not in loaded


def test_an_odata_feed_is_paged_by_its_next_link():
    """national37 manzhouli 法治: ASP.NET Web API OData, `$.getJSON(svc + "?$filter=ColumnId eq " + colId +
    "&$top=8&$skip=0&$count=true", render)`, 加载更多 reading `d["@odata.nextLink"]`: `$count` is the feed's query
    syntax, no counter; each answer's `@odata.nextLink` is the next request."""
    call = api_call("""<script>var svc = "/odata/Articles", colId = 1090, pageSize = 8, nextLink = null;
    function render(d) { nextLink = d["@odata.nextLink"] || null; }
    $.getJSON(svc + "?$filter=ColumnId eq " + colId + "&$orderby=PubDate desc&$top=" + pageSize
    + "&$skip=0&$count=true", render); $("#more").click(function () { $.getJSON(nextLink, render); });</script>""")
    first = api_request(HOME + "gk/fz/", call, 1)
    assert dict(parse_qsl(urlsplit(first.url).query)) == {
        "$filter": "ColumnId eq 1090", "$orderby": "PubDate desc", "$top": "8", "$skip": "0", "$count": "true"}
    following = HOME + "odata/Articles?$filter=ColumnId%20eq%201090&$top=8&$skip=8&$count=true"
    answer = _answer(first, {"@odata.count": 11, "value": [{"Title": "武陵县2024年度法治政府建设情况报告",
                                                            "Url": "/gk/fz/1.html"}], "@odata.nextLink": following})
    assert [r.url for r in JsonListAdapter().more_pages(answer)] == [following]
    assert JsonListAdapter().more_pages(_answer(first, {"value": []})) == []


def test_an_axios_post_sends_its_data_as_a_json_body_with_the_page_in_the_query():
    """national37 taoyuan 法治: a Vue shell's `axios.post(API + "?current=" + n + "&size=" + this.size, {columnId:
    "1040", siteId: "430725"})`, `size: 8` in the instance's data: POST with the page in the address and the
    object as a JSON body."""
    call = api_call("""<script>var API = "/gateway/cms/article/page";
    new Vue({ el: "#app", data: { records: [], pages: 0, size: 8 }, methods: { load: function(n) {
    axios.post(API + "?current=" + n + "&size=" + this.size, { columnId: "1040", siteId: "430725" })
    .then(function(r){ }); } }, mounted: function(){ this.load(1); } });</script>""")
    second = api_request(HOME + "gk/fz/", call, 2)
    assert (second.method, second.url) == ("POST", HOME + "gateway/cms/article/page?current=2&size=8")
    assert json.loads(second.body) == {"columnId": "1040", "siteId": "430725"}
    assert second.headers[b"Content-Type"].startswith(b"application/json")


def test_a_solr_select_is_paged_by_record_offset():
    """national37 aletai 年报: `$.getJSON(solr.url, {q: solr.q, start: (page - 1) * solr.rows, rows: solr.rows, wt:
    solr.wt}, …)`: `start` is the page's first record (0, 8, 16 …) and `response.numFound` the total."""
    call = api_call("""<script>var solr = { url: "/solr/gkml/select", q: "chnlid:1031", rows: 8, wt: "json" };
    function query(page) { $.getJSON(solr.url, { q: solr.q, start: (page - 1) * solr.rows, rows: solr.rows,
    wt: solr.wt }, function (r) { }); } query(1);</script>""")
    assert [dict(parse_qsl(urlsplit(api_request(HOME + "gk/nb/", call, n).url).query))["start"] for n in (1, 2, 3)] \
        == ["0", "8", "16"]
    first = api_request(HOME + "gk/nb/", call, 1)
    docs = [{"title": "武陵县2024年政府信息公开工作年度报告", "url": "/gk/nb/1.html"}] * 8
    answer = _answer(first, {"responseHeader": {"status": 0}, "response": {"numFound": 12, "start": 0, "docs": docs}},
                     XXGK)
    assert [dict(parse_qsl(urlsplit(r.url).query))["start"] for r in JsonListAdapter().more_pages(answer)] == ["8"]


def test_a_js_include_writing_its_rows_is_the_lists_rows():
    """national37 yijinhuoluo 年报: the column page holds `<script src="/js/list.asp?ClassID=1081&page=1&num=8">`
    whose `document.write('<li><a …>…</a><span>2025-03-21</span></li>')` calls are its rows; its pager labels
    later pages `[2]` (动易-era brackets)."""
    script = ("document.write('<li><a href=\"/gk/nb/1.pdf\" title=\"武陵县2024年政府信息公开工作年度报告\">"
              "武陵县2024年政府信息公开工作年度报告</a><span class=\"date\">2025-03-21</span></li>');\n"
              "document.write('<li><a href=\"/gk/nb/2.html\">武陵县2023年政府信息公开工作年度报告</a>"
              "<span class=\"date\">2024-03-20</span></li>');")
    assert [(e.url, e.date) for e in written_rows(script, HOME + "gk/nb/")] == [
        (HOME + "gk/nb/1.pdf", "2025-03-21"), (HOME + "gk/nb/2.html", None)]   # a page states its own date
    assert written_rows("var x = 1;", HOME) == []
    pager = Selector(text='<div class="showpage">共 <b>12</b> 条 <b>1</b> <a href="/gk/nb/index_2.html">[2]</a> '
                          '<a href="/gk/nb/index_3.html">【3】</a></div>')
    assert numbered_links(pager, HOME + "gk/nb/") == [HOME + "gk/nb/index_2.html", HOME + "gk/nb/index_3.html"]


def test_a_border_cooperation_zone_is_its_prefectures_and_a_prefectures_every_short_name_is_read():
    """national37 dehong: 德宏州瑞丽边境经济合作区 is the prefecture's zone, named after 瑞丽市, not 瑞丽市's body; national37
    bazhou: 巴州 is 巴音郭楞蒙古自治州's short name (the tables' `巴州/巴音郭楞` is two of them) — under 巴州's portal,
    巴州库尔勒经济技术开发区 is its zone, not 四川 巴中市巴州区's. 巴州区 by its full name is still that district."""
    assert resolve_region(None, "德宏州瑞丽边境经济合作区", "533100")["region_code"] == "533100"
    assert resolve_region(None, "德宏州瑞丽市勐卯街道", "533100")["region_code"] == "533102"
    assert resolve_region(None, "巴州库尔勒经济技术开发区", "652800")["region_code"][:4] == "6528"
    assert resolve_region(None, "克州司法局", "653000")["region_code"] == "653000"
    assert resolve_region(None, "巴中市巴州区司法局")["region_code"] == "511902"
