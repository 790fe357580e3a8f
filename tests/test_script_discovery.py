"""Discovery mechanisms for navigation that portals build in script or name loosely (issue 11).

One test per mechanism, each on markup written from the pattern as portals use it
(cms_patterns.md; common portal layouts): document.write menus from string pieces, the page's
own navigation functions (`javascript:openColumn('…')`), data-href tiles, JSON menu configs
loaded by script, a portal's own script files, generic 年度报告 leaves under a heading, year-tab
columns, and the 广东 gkmlpt tree kept in a JSON config. Look-alikes stay out throughout.
"""
import asyncio

import scrapy
from parsel import Selector
from scrapy.http import HtmlResponse, TextResponse
from scrapy.utils.test import get_crawler

from crawler.crawl.sites import Site
from crawler.extract.classify import XXGK
from spiders.base import Entry, parse_json
from spiders.discovery import LOADED, SCRIPT, loaded_links, next_links, page_links, year_tabs
from spiders.gkmlpt import GkmlptAdapter
from spiders.reports import ReportsSpider
from spiders.scripts import called_address, folded_strings, json_links, navigation_functions

HOME = "http://www.xs.gov.cn/"


def found(markup: str, base: str = HOME) -> dict[str, str]:
    return {e.url: e.title for e in page_links(Selector(text=markup), base)}


def test_menus_written_from_string_pieces_are_read():
    page = """<html><body><script type="text/javascript">
    var root = "/xxgk/";
    document.write('<ul class="nav"><li><a href="/">首页</a></li>');
    document.write('<li><a href="' + root + 'index.html">' + "政府信息" + "公开" + '</a></li>');
    document.write("<li><a href=\\"/zw" + "gk/\\" target=_blank>");
    document.write("政务公开</a></li></ul>");
    document.getElementById("m").innerHTML = "<a href='" + siteRoot + "/fdzd/'>法定主动公开内容</a>";
    </script></body></html>"""
    links = found(page)
    assert links[HOME + "xxgk/index.html"] == "政府信息公开"         # a variable stands for its string
    assert links[HOME + "zwgk/"] == "政务公开"                        # one <a> over two write calls
    assert links[HOME + "fdzd/"] == "法定主动公开内容"                # an unknown name is nothing
    assert folded_strings('var a = "x" + "y"; f(a + "z")') == [("xy", False), ("xyz", False)]


def test_links_that_call_the_pages_navigation_function_lead_where_it_sends_the_browser():
    page = """<html><body><ul class="tree">
    <li><a href="javascript:showCol('3012')" title="政府信息公开年报">政府信息公开年报</a></li>
    <li><a href="javascript:void(0)" onclick="goPath('/gk/fzzf/ndbg/', 1)">法治政府建设年度报告</a></li>
    <li><span onclick="showCol('3020')">政策解读</span></li>
    <li><a href="javascript:unknownFn('3030')">法治政府建设</a></li></ul>
    <iframe id="main" src="about:blank"></iframe>
    <script>
    function showCol(cid) { var url = "/openness/col/" + cid; window.location.href = url + "/list.html"; }
    var goPath = function (p, n) { document.getElementById("main").src = p + "index.shtml"; };
    </script></body></html>"""
    links = found(page)
    assert links[HOME + "openness/col/3012/list.html"] == "政府信息公开年报"
    assert links[HOME + "gk/fzzf/ndbg/index.shtml"] == "法治政府建设年度报告"
    assert links[HOME + "openness/col/3020/list.html"] == "政策解读"     # found, and not a column
    assert not any("3030" in url for url in links)                        # no definition, no guess
    functions = navigation_functions("function go(u) { window.open(u, '_blank'); }")
    assert called_address("go('/a/b.html')", functions) == "/a/b.html"
    assert called_address("alert('/a/')", functions) is None


def test_tiles_that_keep_their_target_in_a_data_attribute_are_links():
    page = """<html><body><div class="ksrk">
    <div class="item" data-href="/zfxxgk/index.html"><i class="icon"></i><span>政府信息公开</span></div>
    <li class="item" data-url="//xxgk.xs.gov.cn/"><img src="gk.png" alt="政务公开"></li>
    </div><script>$(".item").click(function () { location.href = $(this).data("href"); });</script>
    </body></html>"""
    links = found(page)
    assert links[HOME + "zfxxgk/index.html"] == "政府信息公开"
    assert links["http://xxgk.xs.gov.cn/"] == "政务公开"


def test_what_a_script_loads_is_part_of_the_page_and_its_json_menu_is_read():
    page = """<html><body><nav id="nav"></nav><script>
    fetch("/conf/menu.json").then(function (r) { return r.json(); });
    $.getJSON('/conf/sub.json', draw);
    $.ajax({ type: "GET", url: "/inc/header.html", success: put });
    $("#foot").load("/inc/foot.html #links");
    axios.get("/api/column/tree?siteId=3");
    $.get("/site/hits/setHits?id=5"); $.getJSON("/statistics/visit.json");   // counters: no menu
    </script></body></html>"""
    links = found(page)
    assert {url for url, title in links.items() if title == LOADED} == {
        HOME + "conf/menu.json", HOME + "conf/sub.json", HOME + "inc/header.html", HOME + "inc/foot.html",
        HOME + "api/column/tree?siteId=3"}
    config = {"status": 1, "result": {"menus": [
        {"Title": "首页", "LinkUrl": "/"},
        {"Title": "信息公开", "children": [{"name": "政府信息公开目录", "href": "//xxgk.xs.gov.cn/gkml/"},
                                        {"name": "政策解读", "href": "/zcjd/"}]},
        {"html": "<a href='/zwgk/'>政务公开</a>"}]}}
    menu = {e.url: e.title for e in json_links(config, HOME + "conf/menu.json")}
    assert menu == {HOME: "首页", "http://xxgk.xs.gov.cn/gkml/": "政府信息公开目录", HOME + "zcjd/": "政策解读",
                    HOME + "zwgk/": "政务公开"}
    assert parse_json('jsonpCallback({"a": [1]});') == {"a": [1]}
    answer = TextResponse(HOME + "conf/menu.json", body=b'{"nav":[{"text":"\\u653f\\u52a1\\u516c\\u5f00",'
                                                        b'"url":"/zwgk/"}]}', encoding="utf-8")
    assert loaded_links(answer) == [Entry(HOME + "zwgk/", "政务公开")]
    script = TextResponse(HOME + "js/head.js", body="document.write('<a href=\"/zfxxgk/\">政府信息公开</a>');"
                          .encode(), headers={"Content-Type": "application/javascript"}, encoding="utf-8")
    assert loaded_links(script) == [Entry(HOME + "zfxxgk/", "政府信息公开")]


def test_a_pages_own_script_files_are_read_only_when_nothing_else_leads_on():
    page = """<html><head><script src="/js/jquery-1.11.3.min.js"></script><script src="/js/head.js"></script>
    <script src="//tongji.xs.gov.cn/stat.js"></script></head><body><div id="top"></div></body></html>"""
    entries = page_links(Selector(text=page), HOME)
    assert [(e.url, e.title) for e in entries] == [(HOME + "js/head.js", SCRIPT)]
    assert next_links(HOME, entries, 0, 4, False, set()) == ([], [HOME + "js/head.js"])
    with_hub = entries + [Entry(HOME + "zwgk/", "政务公开")]
    assert next_links(HOME + "gk/", with_hub, 1, 4, False, set()) == ([], [HOME + "zwgk/"])


def test_a_generic_leaf_is_named_by_the_heading_it_sits_under():
    page = """<html><body>
    <ul class="side"><li class="p"><span>法治政府建设</span><ul>
      <li><a href="/fz/gzdt/">工作动态</a></li><li><a href="/fz/ndbg/">年度报告</a></li></ul></li>
    <li><a href="/gknb/">政府信息公开年报</a></li></ul>
    <dl><dt>政府信息公开</dt><dd><a href="/xxgk/zn/">公开指南</a></dd><dd><a href="/xxgk/nb/">年报</a></dd></dl>
    <div class="box"><h3>普法宣传</h3><ul><li><a href="/pf/bg/">年度报告</a></li></ul></div>
    </body></html>"""
    links = found(page)
    assert links[HOME + "fz/ndbg/"] == "法治政府建设年度报告"     # not the peer 工作动态
    assert links[HOME + "xxgk/nb/"] == "政府信息公开年报"
    assert links[HOME + "pf/bg/"] == "年度报告"                  # a heading that names no report: as written
    assert links[HOME + "fz/gzdt/"] == "工作动态"


def test_year_tabs_of_a_column_are_its_pages():
    tabs = [Entry(HOME + "nb/2024.shtml", "2024年"), Entry(HOME + "nb/2023.shtml", " 2023 "),
            Entry(HOME + "nb/y2022/", "2022年度"), Entry(HOME + "nb/list.shtml", "政府信息公开年报"),
            Entry(HOME + "news/2024/", "2024年工作要点")]
    assert year_tabs(tabs) == [HOME + "nb/2024.shtml", HOME + "nb/2023.shtml", HOME + "nb/y2022/"]


def spider_at(start: str) -> ReportsSpider:
    site = Site(name="xs", start_urls=(HOME.rstrip("/") + start,), scope="domain")
    return ReportsSpider.from_crawler(get_crawler(ReportsSpider, {}), sites=[site])


def first_request(spider) -> scrapy.Request:
    async def collect():
        return [r async for r in spider.start()]
    return asyncio.run(collect())[0]


def page(request, body: str) -> HtmlResponse:
    return HtmlResponse(request.url, body=f"<html><body>{body}</body></html>".encode(), request=request,
                        encoding="utf-8")


def test_the_spider_reads_a_loaded_menu_as_part_of_the_page_and_walks_year_tabs():
    spider = spider_at("/")
    home = first_request(spider)
    (config,) = spider.parse_list(page(home, '<script>fetch("/conf/nav.json")</script>'))
    assert config.url == HOME + "conf/nav.json" and config.meta["loaded"] and config.meta["hops"] == 0
    answer = TextResponse(config.url, request=config, encoding="utf-8", body=(
        '{"data": [{"name": "政务公开", "path": "/zwgk/"}, {"name": "县政府", "path": "http://www.sx.gov.cn/"}]}'
    ).encode())
    (zwgk,) = spider.parse_list(answer)          # the neighbour's portal is not this site's
    assert zwgk.url == HOME + "zwgk/" and zwgk.meta["hops"] == 1 and not zwgk.meta["loaded"]
    columns = list(spider.parse_list(page(zwgk, '<a href="/zwgk/nb/">政府信息公开年报</a>'
                                               '<a href="/zwgk/zcjd/">政策解读</a>')))
    assert [(c.url, c.meta["kind"]) for c in columns] == [(HOME + "zwgk/nb/", XXGK)]
    tabs = list(spider.parse_list(page(columns[0], '<div class="tabs"><a href="/zwgk/nb/2025.html">2025年</a>'
                                                   '<a href="/zwgk/nb/2024.html">2024年</a></div><ul></ul>')))
    assert [(t.url, t.meta["kind"]) for t in tabs] == [(HOME + "zwgk/nb/2025.html", XXGK),
                                                       (HOME + "zwgk/nb/2024.html", XXGK)]
    reports = list(spider.parse_list(page(tabs[0], '<ul><li><a href="/zwgk/nb/2025/a1.html">'
                                                   '萧山区2025年政府信息公开工作年度报告</a><span>2026-01-20</span></li>'
                                                   '<li><a href="/zwgk/nb/2025/a2.html">2025年年报解读</a></li></ul>')))
    assert [r.url for r in reports if r.meta["role"] == "report"] == [HOME + "zwgk/nb/2025/a1.html"]
    # a page that is not a report column: its year links are archives of something else
    news = scrapy.Request(HOME + "news/", meta={**zwgk.meta, "kind": None})
    assert not [r for r in spider.parse_list(page(news, '<a href="/news/2024/">2024年</a>'))
                if "2024" in r.url]


def test_a_gkmlpt_tree_kept_in_a_json_config_gives_the_report_categories():
    body = ('<div id="app"></div><script>window._CONFIG = {"SID": "440999", "TREE": ['
            '{"parent": 100, "name": "政府信息公开年报", "id": 131}, {"id": 132, "name": "政策解读", "parent": 100},'
            '{"name": "法治政府建设年度报告", "id": 133}]};</script>')
    request = scrapy.Request("http://www.xs.gov.cn/gkmlpt/index")
    response = page(request, body)
    adapter = GkmlptAdapter()
    assert adapter.detect(response)
    assert [r.url for r in adapter.more_pages(response)] == [
        "http://www.xs.gov.cn/gkmlpt/api/all/131?page=1&sid=440999",
        "http://www.xs.gov.cn/gkmlpt/api/all/133?page=1&sid=440999"]



def test_links_calling_a_function_of_the_portals_own_script_file_are_resolved_with_that_file():
    spider = spider_at("/zwgk/")
    hub = first_request(spider)
    markup = ('<script src="/js/jquery.min.js"></script><script src="/js/public.js"></script>'
              '<ul><li><a href="javascript:showCol(\'41\')">政府信息公开年报</a></li>'
              '<li><a href="javascript:showCol(\'42\')">政策解读</a></li>'
              '<li><a href="/zwgk/xxgk/">政府信息公开</a></li></ul>')
    requests = list(spider.parse_list(page(hub, markup)))
    script = next(r for r in requests if r.url.endswith("public.js"))
    assert script.meta["loaded"] and script.meta["calls"] == [("javascript:showCol('41')", "政府信息公开年报")]
    assert not any("jquery" in r.url for r in requests)
    code = b'function showCol(id) { window.location.href = "../col/" + id + "/index.html"; }'
    answer = TextResponse(script.url, body=code, request=script, encoding="utf-8",
                          headers={"Content-Type": "application/javascript"})
    (column,) = spider.parse_list(answer)     # resolved against the page, as the browser does
    assert column.url == HOME + "col/41/index.html" and column.meta["kind"] == XXGK
    # another page calling the same function: the file is not read again
    other = scrapy.Request(HOME + "zwgk/xxgk/", meta={**hub.meta, "hops": 1})
    again = list(spider.parse_list(page(other, markup.replace("41", "43"))))
    assert [r.url for r in again] == [HOME + "zwgk/col/43/index.html"]


def test_markup_accumulated_piece_by_piece_or_joined_from_an_array_is_read():
    page = """<html><body><div id="nav"></div><script>
    var html = "";
    html += '<li><a href="/zwgk/" target="_blank">';
    html += '政务公开</a></li>';
    var parts = ['<a href="', '/xxgk/', '">', '政府信息公开', '</a>'];
    document.getElementById("nav").innerHTML = html + parts.join("");
    </script></body></html>"""
    links = found(page)
    assert links[HOME + "zwgk/"] == "政务公开" and links[HOME + "xxgk/"] == "政府信息公开"


def test_navigation_functions_as_arrows_and_object_methods_with_the_pages_own_variables():
    page = """<html><body>
    <a href="javascript:;" onclick="Menu.show(51)">政府信息公开年报</a>
    <a href="javascript:openCol('52')">法治政府建设年度报告</a>
    <script>
    var ROOT = "/site/gk/";
    var Menu = { show: function (cid) { $("#main").load("/site/col/" + cid + ".html"); } };
    const openCol = (id) => { let u = ROOT + id; u += "/index.html"; window.location.href = u; };
    </script></body></html>"""
    links = found(page)
    assert links[HOME + "site/col/51.html"] == "政府信息公开年报"
    assert links[HOME + "site/gk/52/index.html"] == "法治政府建设年度报告"


def test_tiles_with_an_english_subtitle_and_year_links_under_a_column_heading():
    page = """<html><body>
    <div class="tile" href="/zwgk/"><h4>政务公开</h4><em>Government Affairs</em></div>
    <div class="box"><div class="hd"><span>法治政府建设年度报告</span><a href="/fz/">更多</a></div>
      <ul><li><a href="/fz/2025/">2025年</a></li><li><a href="/fz/2024/">2024年度</a></li></ul></div>
    <div class="box"><h3>工作动态</h3><ul><li><a href="/dt/2025/">2025年</a></li></ul></div>
    </body></html>"""
    entries = page_links(Selector(text=page), HOME)
    columns, hubs = next_links(HOME, entries, 0, 4, False, set())
    assert hubs == [HOME + "zwgk/"]
    # not the news archive's year; the box's 更多 leads to the column itself (previewed_columns)
    assert set(columns) == {HOME + "fz/2025/", HOME + "fz/2024/", HOME + "fz/"}



def test_a_home_pages_menu_include_is_read_even_beside_other_hubs():
    entries = [Entry(HOME + "zwgk/", "政务公开"), Entry(HOME + "js/header_nav.js", SCRIPT),
               Entry(HOME + "js/slider-init.js", SCRIPT)]
    assert next_links(HOME, entries, 0, 5, False, set()) == ([], [HOME + "zwgk/", HOME + "js/header_nav.js"])
    assert next_links(HOME + "zwgk/", entries, 1, 5, False, set()) == ([], [HOME + "zwgk/"])


def test_reports_a_list_opens_through_its_own_function_are_fetched():
    spider = spider_at("/gk/nb/")
    column = first_request(spider)
    listing = page(column, """<ul class="list">
      <li><a href="javascript:showDetail('7731')">萧山区2024年政府信息公开工作年度报告</a><span>2025-01-20</span></li>
      <li><a href="javascript:showDetail('7730')">2024年年报解读</a><span>2025-01-21</span></li></ul>
      <script>function showDetail(id) { window.open("/gk/detail.jsp?id=" + id, "_blank"); }</script>""")
    reports = [r.url for r in spider.parse_list(listing) if r.meta["role"] == "report"]
    assert reports == [HOME + "gk/detail.jsp?id=7731"]


def test_every_reader_of_inline_scripts_reads_at_most_max_script_chars_of_each():
    """A page's scripts are untrusted input that every script reader runs regular expressions over:
    each takes them from `inline_scripts`, cut to MAX_SCRIPT_CHARS, and never a script loaded by src."""
    from spiders.base import MAX_SCRIPT_CHARS, inline_scripts, script_files
    padding = "/* " + "x" * MAX_SCRIPT_CHARS + " */"
    near = '<script>var apps = [{"name":"全文","url":"/P1.pdf"}];</script>'
    far = f'<script>{padding}var apps = [{{"name":"全文","url":"/P2.pdf"}}];</script>'
    page = Selector(text=f'<html><body><script src="/js/a.js">var x = 1;</script>{near}{far}</body></html>')
    scripts = inline_scripts(page)
    assert len(scripts) == 2 and all(len(code) <= MAX_SCRIPT_CHARS for code in scripts)
    assert [e.url for e in script_files(page, HOME)] == [HOME + "P1.pdf"]   # the second object is past the cut
