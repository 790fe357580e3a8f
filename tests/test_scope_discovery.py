"""The government's domain (crawl/scope.py) and the links a portal page offers (spiders/discovery.py)."""
import asyncio

import pytest
import scrapy
from parsel import Selector
from scrapy.http import HtmlResponse
from scrapy.utils.test import get_crawler

from crawler.crawl.middlewares import OffSite, ScopeMiddleware
from crawler.crawl.scope import government_domain, portal_hosts, registrable, under_domain
from crawler.crawl.sites import Site
from spiders.base import Entry
from spiders.discovery import FRAME, REDIRECT, is_hub, next_links, page_links
from spiders.reports import ReportsSpider

FZ, XXGK = "法治政府建设年度报告", "政府信息公开工作年度报告"


@pytest.mark.parametrize("host, domain", [
    ("www.cq.gov.cn", "cq.gov.cn"),          # 重庆市
    ("wz.cq.gov.cn", "wz.cq.gov.cn"),        # 万州区: another government under cq.gov.cn
    ("jw.cq.gov.cn", "jw.cq.gov.cn"),        # 重庆市教委: a department
    ("xxgk.cqck.gov.cn", "cqck.gov.cn"),
    ("sdningjin.gov.cn", "sdningjin.gov.cn"),
    ("www.gov.cn", "www.gov.cn"),            # never shorter than the registrable domain
    ("lunan.tangshan.gov.cn", "lunan.tangshan.gov.cn"),
])
def test_the_government_domain(host, domain):
    assert government_domain(host) == domain
    assert len(domain) >= len(registrable(host))


def test_portal_hosts_are_the_domain_and_its_service_hosts_only():
    hosts = portal_hosts("www.cq.gov.cn")
    assert {"cq.gov.cn", "www.cq.gov.cn", "xxgk.cq.gov.cn", "zwgk.cq.gov.cn", "public.cq.gov.cn",
            "info.cq.gov.cn"} <= hosts
    assert not {"wz.cq.gov.cn", "jw.cq.gov.cn", "gov.cn", "www.gov.cn", "a.xxgk.cq.gov.cn"} & hosts
    assert portal_hosts("127.0.0.5") == {"127.0.0.5"}


def test_a_site_follows_its_domain_only_when_asked():
    plain = Site(name="a", start_urls=("http://www.cqck.gov.cn/",))
    domain = Site(name="b", start_urls=("http://www.cqck.gov.cn/",), scope="domain",
                  allowed_hosts=("sfj.cqck.gov.cn",))
    assert plain.hosts == {"www.cqck.gov.cn"}
    assert {"xxgk.cqck.gov.cn", "cqck.gov.cn", "sfj.cqck.gov.cn"} <= domain.hosts
    assert "wz.cqck.gov.cn" not in domain.hosts


BASE = "http://www.x.gov.cn/"
PAGE = """<html><body>
<ul class="nav"><li><a href="/">首页</a></li><li><a href="/zwgk/">政务公开</a></li></ul>
<img src="nav.png" usemap="#m">
<map name="m"><area shape="rect" coords="0,0,9,9" href="/zfxxgk/" alt="政府信息公开"></map>
<iframe src="/include/left.html" name="left"></iframe>
<script>
var navData = [{"name": "信息公开目录", "url": "http:\\/\\/xxgk.x.gov.cn\\/gkml\\/"},
               {title: '法定主动公开内容', href: '/fdzdgknr/'}];
var menu = [["政府信息公开年报", "/xxgknb/"], ["普法宣传", "/pfxc/"]];
document.write('<li><a href="/zwgk/fzzfjsndbg/">法治政府建设年度报告<\\/a></li>');
</script></body></html>"""


MORE = """<html><body>
<a href="/zwgk/"><img src="zwgk.png" alt="政务公开"></a>
<li onclick="window.location.href='/xxgk/'">政府信息公开</li>
<select onchange="window.open(this.value)"><option value="">部门网站</option>
<option value="http://xxgk.x.gov.cn/">信息公开目录</option></select>
<script>if (isMobile) { window.location.href = "/m/index.html"; }</script>
</body></html>"""


def test_page_links_read_image_buttons_onclick_elements_jump_menus_and_redirects():
    found = {e.url: e.title for e in page_links(Selector(text=MORE), BASE)}
    assert found == {"http://www.x.gov.cn/zwgk/": "政务公开", "http://www.x.gov.cn/xxgk/": "政府信息公开",
                     "http://xxgk.x.gov.cn/": "信息公开目录", "http://www.x.gov.cn/m/index.html": REDIRECT}


def test_page_links_follow_the_base_href():
    page = Selector(text='<html><head><base href="http://www.x.gov.cn/site/"></head>'
                         '<body><a href="zwgk/">政务公开</a></body></html>')
    assert [e.url for e in page_links(page, BASE + "index.html")] == ["http://www.x.gov.cn/site/zwgk/"]


def test_page_links_read_maps_frames_and_script_menus():
    found = {e.url: e.title for e in page_links(Selector(text=PAGE), BASE)}
    assert found["http://www.x.gov.cn/zfxxgk/"] == "政府信息公开"
    assert found["http://www.x.gov.cn/include/left.html"] == FRAME
    assert found["http://xxgk.x.gov.cn/gkml/"] == "信息公开目录"
    assert found["http://www.x.gov.cn/fdzdgknr/"] == "法定主动公开内容"
    assert found["http://www.x.gov.cn/xxgknb/"] == "政府信息公开年报"
    assert found["http://www.x.gov.cn/pfxc/"] == "普法宣传"
    assert found["http://www.x.gov.cn/zwgk/fzzfjsndbg/"] == "法治政府建设年度报告"


@pytest.mark.parametrize("text, hub", [
    ("政务公开", True), ("政府信息公开", True), ("政府信息公开目录", True), ("法定主动公开内容", True),
    ("信息公开目录", True), ("主动公开", True), ("政府信息公开专栏 >", True),
    ("政府信息公开指南", False), ("政府信息公开制度", False), ("普法宣传", False), ("政策解读", False),
    ("部门信息公开", False), ("法治政府建设", False), (FRAME, False),
    ("政 务 公 开", True), ("【政府信息公开】", True), ("[法定主动公开内容]", True),
])
def test_hub_names_are_whole_link_texts(text, hub):
    assert is_hub(text) is hub


def entries(*pairs):
    return [Entry(f"{BASE}{path}", title) for path, title in pairs]


def test_a_page_with_one_report_type_still_leads_to_the_other():
    kinds = set()
    links = entries(("xxgknb/", "政府信息公开年报"), ("fdzdgknr/", "法定主动公开内容"), ("pfxc/", "普法宣传"))
    columns, hubs = next_links(BASE + "zfxxgk/", links, 1, 4, False, kinds)
    assert columns == [BASE + "xxgknb/"] and hubs == [BASE + "fdzdgknr/"] and kinds == {XXGK}
    columns, hubs = next_links(BASE + "fdzdgknr/", entries(("fzzf/", "法治政府建设年度报告"),
                                                          ("zwgk/", "政务公开")), 2, 4, False, kinds)
    assert columns == [BASE + "fzzf/"] and hubs == [] and kinds == {XXGK, FZ}


def test_no_hubs_from_a_column_or_at_the_last_hop_but_a_home_page_is_searched():
    links = entries(("zwgk/", "政务公开"), ("include/left.html", FRAME))
    assert next_links(BASE + "zwgk/col/", links, 1, 4, True, set()) == ([], [])
    assert next_links(BASE + "zwgk/a/", links, 3, 4, False, set()) == ([], [])
    assert next_links(BASE + "index.html", links, 0, 4, True, set()) == \
        ([], [BASE + "zwgk/", BASE + "include/left.html"])


def test_the_work_reports_column_beside_both_report_columns_is_still_read():
    """A catalogue restructured between years: 2019–2021's 法治 reports stayed in 工作报告 (among 政府工作报告),
    later ones are in their own column. With both report columns found on the page, its 工作报告 column is
    followed still — not the wide catch-alls (其他法定公开内容), nor a 工作报告 column from a page of no report
    column (nor from a column's own page)."""
    links = entries(("gzbg/", "工作报告"), ("qt/", "其他法定主动公开内容"), ("fzbg/", "法治政府建设年度报告"),
                    ("nb/", "政府信息公开年报"))
    kinds = set()
    assert next_links(BASE + "zwgk/", links, 1, 4, False, kinds) == ([BASE + "fzbg/", BASE + "nb/"], [BASE + "gzbg/"])
    assert next_links(BASE + "zwgk/a/", entries(("gzbg/", "工作报告")), 1, 4, False, {FZ, XXGK}) == ([], [])
    assert next_links(BASE + "zwgk/col/", links, 1, 4, True, set()) == ([BASE + "fzbg/", BASE + "nb/"], [])


def test_a_report_column_on_a_department_host_under_the_domain_is_lent_to_the_site():
    """The catalogue's 法治政府建设 entry leads to the 司法局's subsite (sfj.X.gov.cn), where the 司法局 — which
    drafts the government's 法治 report — keeps it in a 专题: the government's own catalogue names that column,
    so its host is lent to the site (its column, pages and reports). A link named by the department
    (武陵县司法局 → its home page) lends nothing; nor does a column outside the domain, or a link on the lent
    host itself (it lends nothing further); the scope middleware lets the lent host through, within the domain."""
    home = "http://www.wl.gov.cn/"
    site = Site(name="wl", start_urls=(home,), scope="domain")
    crawler = get_crawler(ReportsSpider, {})
    spider = ReportsSpider.from_crawler(crawler, sites=[site])
    crawler.spider = spider

    async def collect():
        return [r async for r in spider.start()]
    (start,) = asyncio.run(collect())
    catalogue = start.replace(url=home + "zwgk/", meta={**start.meta, "hops": 1})
    body = """<ul><li><a href="http://sfj.wl.gov.cn/">武陵县司法局</a></li>
    <li><a href="http://sfj.wl.gov.cn/ztzl/fzbg/">法治政府建设</a></li>
    <li><a href="http://www.hn.gov.cn/zfxxgk/nb/">政府信息公开年报</a></li></ul>"""
    response = HtmlResponse(catalogue.url, body=body.encode(), encoding="utf-8", request=catalogue)
    asked = [r.url for r in spider.parse_list(response)]
    assert "http://sfj.wl.gov.cn/ztzl/fzbg/" in asked
    assert "http://sfj.wl.gov.cn/" not in asked and "http://www.hn.gov.cn/zfxxgk/nb/" not in asked
    assert spider.lent_hosts("wl") == {"sfj.wl.gov.cn"}
    column = scrapy_request("http://sfj.wl.gov.cn/ztzl/fzbg/", "wl")
    lent_page = """<ul><li><a href="http://jyj.wl.gov.cn/nb/">政府信息公开年报</a></li>
    <li><a href="http://sfj.wl.gov.cn/ztzl/fzbg/202503/t1.html">武陵县2024年法治政府建设年度报告</a></li></ul>"""
    meta = {**catalogue.meta, "hops": 2, "role": "list", "column": column.url, "kind": FZ, "follow_up": False,
            "adapter": None, "loaded": False}
    on_lent = HtmlResponse(column.url, body=lent_page.encode(), encoding="utf-8", request=column.replace(meta=meta))
    asked = [r.url for r in spider.parse_list(on_lent)]
    assert asked == ["http://sfj.wl.gov.cn/ztzl/fzbg/202503/t1.html"] and spider.lent_hosts("wl") == {"sfj.wl.gov.cn"}
    scope = ScopeMiddleware(crawler)
    assert scope.process_request(scrapy_request("http://sfj.wl.gov.cn/ztzl/fzbg/2025.html", "wl")) is None
    with pytest.raises(OffSite):
        scope.process_request(scrapy_request("http://jw.wl.gov.cn/", "wl"))
    assert under_domain("sfj.wl.gov.cn", site.hosts) and not under_domain("www.hn.gov.cn", site.hosts)
    assert not under_domain("www.wl.gov.cn.evil.com", site.hosts) and not under_domain("wl.gov.cn", ["127.0.0.5"])


def catalogue_asks(body: str, kinds=(), **meta) -> list[str]:
    """What the spider asks from a catalogue page one hop from the home page, reached as a hub
    (or as `meta` says), the site's columns of `kinds` already named."""
    home = "http://www.jc.gov.cn/"
    spider = ReportsSpider.from_crawler(get_crawler(ReportsSpider, {}), sites=[Site(name="jc", start_urls=(home,))])

    async def collect():
        return [r async for r in spider.start()]
    (start,) = asyncio.run(collect())
    spider.state["jc"].kinds.update(kinds)
    catalogue = start.replace(url=home + "xxgk/xxgkml/", meta={**start.meta, "hops": 1, **meta})
    response = HtmlResponse(catalogue.url, body=body.encode(), encoding="utf-8", request=catalogue)
    return [r.url for r in spider.parse_list(response)]


LATEST = """<div class="right"><h3>最新公开</h3><ul>
<li><a href="/xxgk/fzzfjs/202602/P020260204001.pdf">晋城市人民政府关于2025年度法治政府建设情况的报告</a><span>2026-02-04</span></li>
<li><a href="/xxgk/fzzfjs/202505/P020250522002.docx">晋城市2024年度法治政府建设情况报告</a><span>2025-05-22</span></li>
</ul></div>"""


def test_a_catalogue_showing_its_latest_reports_still_leads_to_the_columns_it_names():
    """A 政府信息公开目录 whose 最新公开 box lists the latest reports (no 更多>> to tell it a preview)
    beside a tree naming the report columns, or a catch-all one (其他法定公开内容), is a catalogue, not
    a column: its reports are asked and so are those columns (national23: twenty portals so built)."""
    named = catalogue_asks("""<ul class="tree"><li><a href="/xxgk/col/c4/">政策文件</a></li>
    <li><a href="/xxgk/fzzfjs/">法治政府建设年度报告</a></li><li><a href="/xxgk/ndbg/">政府信息公开年报</a></li>
    </ul>""" + LATEST)
    assert {"http://www.jc.gov.cn/xxgk/fzzfjs/", "http://www.jc.gov.cn/xxgk/ndbg/",
            "http://www.jc.gov.cn/xxgk/fzzfjs/202602/P020260204001.pdf"} <= set(named)
    catch_all = catalogue_asks("""<ul class="tree"><li><a href="/xxgk/col/c4/">政策文件</a></li>
    <li><a href="/xxgk/qtfdgknr/">其他法定公开内容</a></li></ul>""" + LATEST)
    assert "http://www.jc.gov.cn/xxgk/qtfdgknr/" in catch_all
    # its tree loaded by script (a zTree's JSON): the tree is asked, as part of the page
    tree = catalogue_asks("""<ul id="gkTree" class="ztree"></ul><script>$.getJSON("/xxgk/api/catalog/tree.json",
    function(d){$.fn.zTree.init($("#gkTree"), {}, d);});</script>""" + LATEST)
    assert "http://www.jc.gov.cn/xxgk/api/catalog/tree.json" in tree
    # a page that only lists reports and names no column is a column: it leads nowhere further
    plain = catalogue_asks("""<ul class="nav"><li><a href="/xxgk/col/c4/">政策文件</a></li>
    <li><a href="/zwgk/">政务公开</a></li></ul>""" + LATEST)
    assert "http://www.jc.gov.cn/zwgk/" not in plain and "http://www.jc.gov.cn/xxgk/col/c4/" not in plain


def test_a_catch_all_column_that_frames_its_list_reads_the_frame_as_its_page():
    """依法行政 (a catch-all column) whose page holds only an iframe of its list: the frame is the
    column's list, asked as a catch-all at the column's hop — even at the last hop a page may lead
    from (其他法定公开内容 › 依法行政, five links from home), where no hub is followed."""
    asked = catalogue_asks("""<ul class="side"><li><a href="/col/s1/">政策文件</a></li></ul>
    <div class="right"><h2>依法行政</h2><iframe src="/sjzs/frame_120.html" width="100%"></iframe></div>""",
                           kinds=(FZ, XXGK), catch_all=True, hops=4)
    assert "http://www.jc.gov.cn/sjzs/frame_120.html" in asked


def scrapy_request(url: str, site: str):
    return scrapy.Request(url, meta={"site": site, "role": "list"})
