"""From a portal's home page to its two report columns: which links a portal page offers, and
which of them lead towards the columns.

The path on a real portal is home → 政务公开 / 政府信息公开 → 政府信息公开目录 / 法定主动公开内容 →
the 法治政府建设年度报告 column and the 政府信息公开年报 column. Portals draw those links in ways a
plain <a href> scan misses:

- image maps: `<area href="/zfxxgk/" alt="政府信息公开">` (the text is the alt or title),
  image buttons: `<a href="/zwgk/"><img alt="政务公开"></a>`, and an inline SVG graphic's
  `<a xlink:href="/zfxxgk/"><text>政府信息公开</text></a>`;
- elements other than <a> that navigate from script (`<li onclick="location.href='/zwgk/'">`,
  `<button onclick=…>`), named by their heading when they have one (tile_name), and jump menus
  (`<select onchange="window.open(this.value)">`) — a 公开主体 selector's options (the government
  and its organs, each opening its own catalogue) named as their units' 信息公开 pages;
- script redirects of a home page that is only a stub (`window.location.href = "/index.shtml"`),
  followed as part of the page, like frames;
- frames: `<frame src="left.html">` / `<iframe src=…>` hold the page's real content, so they are
  followed whatever they are called (they are part of the page that names them);
- mega-menus written by inline script: `var nav = [{name: "政务公开", url: "/zwgk/"}]`, arrays of
  `["政务公开", "/zwgk/"]` pairs, and `document.write('<a href="' + root + 'zwgk/">政务公开</a>')`,
  its pieces folded back into one string (spiders/scripts.py), one <a> over several write calls;
- links that call the page's own navigation function (`javascript:openColumn('6781')` with
  `function openColumn(id) { location.href = "/col/" + id; }`): where the function sends the browser;
- tiles that keep their target in a data attribute (`<div data-href="/zwgk/"><p>政务公开</p></div>`);
- menus kept in a JSON config (or an HTML include) that the page's script loads — `fetch(…)`,
  `$.getJSON(…)`, `$.ajax({url: …})`, `.load(…)`: fetched as part of the page (LOADED), no hop
  spent; and, when the page shows no way on at all, its own script files (SCRIPT: a header include
  that writes the menu), libraries (jquery, swiper, statistics …) left alone;
- a generic leaf (年度报告, 年报) is named by the heading it sits under (`法治政府建设 › 年度报告`);
- a report column split by year (`2024年` tabs): the tabs are pages of the column (year_tabs);
  one split by whose reports it holds (市政府年报 / 镇街年报 tabs, a side menu of sub-columns): those
  sub-columns are followed from the column page even when it lists reports itself (the spider).

A page's links are then sorted into report columns (column_kind: the two report types' column
names) and hubs (HUB: the 政务公开 / 政府信息公开 / 法定主动公开内容 pages that lead to them).
Look-alike columns — 法治政府建设 news, 普法宣传, 政策解读, 政府信息公开指南 — are neither: a hub
name must be the whole link text. A catalogue's catch-all columns (其他法定公开信息, 工作报告) are
followed like hubs while a report type's column is still unfound (CATCH_ALL): portals file a
report there when they keep no column for it, and only its report-titled entries are opened.
Likewise, while the 法治 column is unfound, a catalogue's 部门文件 page and the 司法局's column in
it (JUSTICE): the bureau drafts the 法治政府建设年度报告, and a government with no 法治 column files
it among the bureau's files.
Which hosts may be followed is the site's (crawler/crawl/scope.py: the government's domain and
its service hosts, never the rest of gov.cn).
"""
from __future__ import annotations

import re
import unicodedata
from urllib.parse import urlencode, urlsplit, urlunsplit

from parsel import Selector

from crawler.extract.classify import FZ, REPORT_TYPES, SUBORDINATES, column_kind, column_kinds

from .base import (
    LAST_TEXTS,
    MAX_LINKS,
    NEXT_TEXTS,
    Entry,
    absolute,
    anchor_title,
    anchors,
    clean,
    dedupe,
    inline_scripts,
    link_url,
    links,
    parse_json,
    row_date,
    same_directory,
    script_address,
    text_of,
)
from .literals import literal_links
from .naming import address_name, image_name, place_stripped, trail_leaf
from .scripts import (
    CALL,
    MAX_SCRIPT_CHARS,
    called_address,
    folded_strings,
    json_links,
    keyed_loads,
    loaded_resources,
    menu_item,
    navigation_functions,
    page_strings,
    run_at_once,
    table_strings,
    unescape,
    xml_menu_links,
)

FRAME = "\x00frame"    # the title of a frame's entry: followed as part of its page, not by name
LOADED = "\x00loaded"  # data the page's script loads (a JSON menu config): part of the page too
SCRIPT = "\x00script"  # one of the page's own script files: read when the page shows no way on
# where a stub page's script sends the browser: the page the reader lands on, so no hop further
REDIRECT = "\x00redirect"
UNNAMED = (FRAME, LOADED, SCRIPT, REDIRECT)
HUB = re.compile(
    r"(?:(?:政府|政务)?信息公开|政务公开|政府公开)(?:目录|专栏|专区|专题|平台|网|门户|网站|频道|栏目|系统|首页)?"
    r"|(?:政府信息|信息)?(?:法定)?主动公开(?:内容|目录|信息|事项)?|重点领域(?:政府)?(?:信息)?公开"
    r"|(?:政府|政务)?信息公开(?:目录|专栏)?|公开目录")
# a catalogue's columns for whatever has no column of its own, where a report is filed when the portal
# keeps no column for its type: 其他法定公开信息, 其他主动公开内容, 工作报告 (beside 政府工作报告), and
# 依法行政 — the 法治 topic's name before 2015, still the column a catalogue files the 法治 report in —
# 法治建设 (the topic's column where a catalogue keeps no 法治政府建设 one: news of it as often as its report) —
# and 依法治市 / 依法治县 (the 全面依法治X委员会's topic, whose office drafts the 法治 report)
OLD_REPORTS = re.compile(r"(?:年度)?工作报告")   # of the catch-alls, the one that files reports
# … and 计划总结 (计划总结 · 工作计划与总结 · 工作总结, the 信息公开目录's category for a government's plans and
# its yearly summaries, where catalogues without a 法治 column file the year's 法治政府建设 report among them)
PLANS_SUMMARIES = (r"(?:工作)?(?:计划|规划)(?:和|与|及|、)?(?:工作)?总结|(?:工作)?总结(?:和|与|及|、)?(?:工作)?计划"
                   r"|工作总结")
CATCH_ALL = re.compile(r"其他(?:法定)?(?:主动)?公开(?:的)?(?:政府)?(?:信息|内容|事项)|" + OLD_REPORTS.pattern
                       + r"|依法行政|法治建设|(?:全面)?依法治(?:省|区|市|州|县|旗|盟)|" + PLANS_SUMMARIES)
# a report column that does not settle where the government files its own reports of its type: one
# named by the topic alone (法治政府建设 — a portal's news column of that name as often as its report
# column) or one of its departments', townships' or counties' reports (市直部门法治政府建设年度报告,
# 县区政府信息公开年报). Followed as columns all the same; the type's own column is still looked for.
REPORT_WORD = re.compile(r"报告|年报")
OWN, WEAK = "\x00own:", "\x00weak:"   # markers beside a found type: its own column named, or only others'
# marker beside a found type: a weakly named column of it (a bare 法治政府建设) read and found to list none
# of its reports (news): NEWS + the column's address
NEWS = "\x00news:"
OTHERS_COLUMN = re.compile(r"(?:[省市县区]直(?:各?部门|单位)?|各?部门|部门单位|乡镇|街道|镇街|" + SUBORDINATES + ")")
# the departments' file catalogue (部门文件, 部门信息公开) and, in it, the justice bureau's column
# (XX市司法局, 省司法厅): the 司法局 drafts the 法治政府建设年度报告 (the 依法治市办 sits in it), so a
# government that keeps no 法治 column files its report among the bureau's files (JUSTICE_FILES)
DEPARTMENT_FILES = re.compile(r"(?:政府)?(?:部门|单位)(?:文件|信息公开|政务公开|公开|信息)(?:目录|专栏)?")
JUSTICE = re.compile(r"(?:[\u4e00-\u9fff]{0,12}?(?:省|市|县|区|自治州|自治县|自治区|州|盟|旗))?(?:人民政府)?"
                     r"司法(?:局|厅)(?:信息公开|政务公开|文件)?")
# a button's verb around a hub's name: 进入政府信息公开目录 / 点击进入政务公开 / 政府信息公开入口
ENTER = re.compile(r"^(?:请)?(?:点击)?(?:进入|访问)|(?:入口|专区入口)$")
HUB_TRIM = " >»›/·|\t\r\n【】[]「」()（）<>"
# a 公开主体 selector's units (安徽 集约化 /public/{unit}/column.html and the like): the government
# itself by its level (市政府信息公开, 本级政府信息公开, 县人民政府政务公开) — a hub — and each department
# or office by its name (市财政局信息公开, 县教育体育局政务公开), whose own catalogue holds its own 年报
LEVEL_HUB = re.compile(r"(?:本级|省|市|州|盟|县|区|旗)(?:人民)?政府(?=(?:政府|政务)?信息公开|政务公开)")
UNIT_CATALOGUE = re.compile(r"(?:[\u4e00-\u9fff]{0,12}?(?:省|市|县|区|自治州|自治县|自治区|州|盟|旗))?"
                            r"[\u4e00-\u9fff]{1,12}?(?:局|厅|委员会|委|办公室|办|署|中心)"
                            r"(?:信息公开|政务公开|政府信息公开)(?:目录|专栏|平台)?")
MIN_UNITS = 2   # a page naming this many units' catalogues is a 公开主体 selector
# the units a 公开主体 <select> lists by their bare names: the government itself (XX县人民政府, 行政公署,
# 县本级) and its organs (XX县教育局, 县政府办公室); a township (XX镇人民政府) is neither
GOVERNMENT_UNIT = re.compile(r"[\u4e00-\u9fff]{0,15}?(?:省|市|县|区|自治州|自治县|自治区|州|盟|旗|新区)"
                             r"(?:人民政府|政府|行政公署)|[省市州盟县区旗]?本级")
ORGAN_UNIT = re.compile(r"[\u4e00-\u9fff]{1,20}?(?:局|厅|委员会|委|办公室|办|署|中心)")
UNIT_OPEN = re.compile(r"(?:信息公开|政务公开)(?:目录|专栏|平台)?$")
HOME_PATH = re.compile(r"/(?:(?:index|default|main|home)\.\w+)?", re.I)
# inline-script menus: {name: "…", url: "…"} objects (any order, quoted or bare keys) …
SCRIPT_OBJECT = re.compile(r"\{[^{}]*\}")
JS_PAIR = re.compile(r"""["']?(\w+)["']?\s*:\s*(["'])((?:\\.|(?!\2).)*)\2""")
# … ["政务公开", "/zwgk/"] pairs, and markup written from strings
JS_ARRAY_PAIR = re.compile(r"""\[\s*(["'])([^"'\[\]]{2,30})\1\s*,\s*(["'])([^"'\s]+)\3""")
# tree widgets' node calls: dTree's `d.add(3, 0, "政府信息公开年报", "/col/col12/index.html")` (id, parent
# id, name, address — a 大汉 tree.jsp catalogue), a Treeview's `gLnk("R", "年度报告", "/col/col12/")`: ids
# first, then the node's name and its address
TREE_NODE = re.compile(r"""\b[A-Za-z_$][\w$.]*\s*\(\s*(?:(?:-?\d+|(["'])[\w-]{0,20}\1)\s*,\s*)+"""
                       r"""(["'])([^"'\n]{2,40})\2\s*,\s*(["'])((?=[^"'\s]*[/.])[^"'\s]+)\4""")
STUB_LINKS = 5   # a page with fewer links is a stub: where its script sends the browser is its content
JS_REDIRECT = re.compile(r"""(?:(?:window|top|self|document)\.)?location(?:\.href)?\s*"""
                         r"""(?:=|\.replace\(|\.assign\()\s*(["'])([^"']+)\1""")
# … or the name of a string the script assigned (`var u = "/site/index.shtml"; location.replace(u);`)
JS_REDIRECT_VAR = re.compile(r"""(?:(?:window|top|self|document)\.)?location(?:\.href)?\s*"""
                             r"""(?:=(?!=)|\.replace\(|\.assign\()\s*([A-Za-z_$][\w$]*)\s*[;)\n]""")
STRING_ASSIGNMENT = re.compile(r"""\b([A-Za-z_$][\w$]*)\s*=\s*(["'])([^"'\n]+)\2""")
WRITTEN_LINK = re.compile(r"<a\s", re.I)
DATA_KEYS = ("data-href", "data-url", "data-link", "data-target-url", "data-jump", "data-path", "data-go",
             "data-goto", "data-target", "lay-href", "href")
DATA_TEST = " or ".join(f"@{k}" for k in DATA_KEYS)
MAX_SCRIPTS = 8
LIBRARY = re.compile(r"jquery|vue|react|angular|bootstrap|layui|layer|swiper|echarts|polyfill|require|"
                     r"\.min\.js$|qrcode|wza|barrier|aria|stat|count|\bta\.js|analytics|baidu|share|"
                     r"slide|scroll|lazy|html5|respond|json2|md5|base64|crypto|vendors?\b", re.I)
FUNCTION_WORD = re.compile(r"function|=>")
# a <script src>'s address: a file, or a server page writing the script (tree.jsp, menu.php, nav.do …)
# — an ES module (.mjs) and a JSONP answer (`nav.jsonp?callback=renderNav`) are script files too
SCRIPT_FILE = re.compile(r"\.(?:m?js|jsonp|jsp|php|aspx?|ashx|do|action)$", re.I)
# a home page's menu include, or its 飘窗 (a floating window: float.js, piaochuang.js, fudong.js) — portals
# float their most pressing entry (政府信息公开, a 专题) in one, drawn by the script alone
MENU_SCRIPT = re.compile(r"(?:nav|menu|head|top|daohang|dh|lanmu|float|piao|fudong)[\w.-]*\.(?:m?js|jsonp)$", re.I)
# an ES module's static imports: `import {menu} from "/static/js/menu.mjs"`, `import "./nav.js"`, and
# `import("./nav.js")` with a literal address — only addresses (/, ./, ../, http), not bare package names
MODULE_IMPORT = re.compile(r"""(?:\bimport\s*(?:[\w$*{}\s,]+?\s*from\s*)?|\bimport\s*\(\s*)(["'])"""
                           r"""((?:https?:)?/[^"'\s]*|\.\.?/[^"'\s]*)\1""")
GENERIC_LEAF = re.compile(r"(?:年度|工作|情况)*(?:报告|年报)")
HEADING_DEPTH = 5
MAX_CALLS = 200
BUILTIN_CALLS = {"void", "alert", "open", "history", "print", "close", "location"}
# a report column's sub-column named only by whose reports it holds (市本级 / 县市区 / 市直部门 / 乡镇（街道）)
OWNER_TAB = re.compile(r"(?:[省市州县区旗](?:本级|级|直(?:各?部门|单位)?)|本级|各?部门|部门单位"
                       r"|乡镇(?:\(街道\)|街道)?|街道|镇街|" + SUBORDINATES + ")")
# a year tab: 2024年, 2024年度报告, a span of years (2023—2024年, 2023-2024), the oldest years together (2022年及以前)
YEAR_TAB = re.compile(r"(?:19|20)\d\d(?:年|年度)*(?:[-—–~～至到](?:19|20)\d\d(?:年|年度)*)?(?:及以前|以前|及之前|之前)?"
                      r"(?:报告|年报|年度报告|工作报告)?")
LATIN = re.compile(r"[A-Za-z]+")       # a tile's English subtitle (政务公开 Government Affairs)
HEADING_FURNITURE = re.compile(r"更多|more|\+|>>|»|›", re.I)
# a box's "more" link (`<div class="hd"><span>政府信息公开年报</span><a href="…">更多>></a></div>`): it
# leads from the box's preview of a column to the column itself, and is named by the box's heading
MORE_LINK = re.compile(r"(?:查看|点击查看|浏览)?更多(?:内容|信息)?(?:>>|»|›|\+|＋|>|…|\.\.\.)?"
                       r"|more\s*(?:>>|»|\+|＋|>)?|\+|＋|>>|»", re.I)


def page_links(selector: Selector, base: str) -> list[Entry]:
    """Every link the page shows a reader: anchors, image-map areas, frames, script menus —
    resolved against the page's <base href> when it has one, as a browser does."""
    if declared := absolute(base, selector.xpath("//base/@href").get()):
        base = declared
    plain = anchors(selector, base, distinct=False)   # every name an address is given
    found = _qualified(selector, base) + previewed_columns(selector, base) + previewed_hubs(selector, base) \
        + _unit_links(selector, base) + plain \
        + _image_links(selector, base) + _areas(selector, base) + _svg_links(selector, base) \
        + _frames(selector, base) + _scripted(selector, base) + _jump_menus(selector, base) \
        + _data_links(selector, base) + _attribute_loads(selector, base) + _attribute_hrefs(selector, base) \
        + button_forms(selector, base) + _announced(selector, base) \
        + script_links(selector, base) + _external_scripts(selector, base) \
        + _redirects(selector, base, at_once_only=len({e.url for e in plain}) >= STUB_LINKS)
    seen: dict[str, Entry] = {}
    for entry in found:   # one entry per address; a named one beats a frame or an unnamed one
        if entry.url not in seen or (not seen[entry.url].title or seen[entry.url].title in UNNAMED) \
                or _leads(entry.title) > _leads(seen[entry.url].title) or _lands(entry, seen[entry.url]):
            seen[entry.url] = entry
    # a link still without a name (a CSS-drawn button, an empty <a>): its address may name it
    return [e if e.title else Entry(e.url, address_name(e.url) or "", e.date) for e in seen.values()]


# the catalogue as a notice names it in a sentence (…政府信息公开目录栏目已完成调整…, 请登录政务公开专栏查阅):
# the catalogue's own names, not the bare topic (政务公开 is in every news headline about its work)
CATALOGUE_MENTION = re.compile(r"(?:政府|政务)?信息公开(?:目录|专栏|专区|平台)|法定主动公开(?:内容|目录)"
                               r"|政务公开(?:目录|专栏|专区|平台)")
# a column's page (a folder, its index / default / list page), not a document of one
COLUMN_PAGE = re.compile(r"(?:/|/(?:index|default|main|home|list)\w*\.\w+)$", re.I)


def _announced(selector: Selector, base: str) -> list[Entry]:
    """Notices that link the catalogue as a sentence (a 通知公告 ticker's `<marquee><a href="/zwgk/xxgkml/
    index.html">【政务公开】XX县政府信息公开目录栏目已完成调整，欢迎查阅</a>`): portals announce a rebuilt
    catalogue so, and on some home pages the notice is the one link to it. The link is named by the
    catalogue the sentence names, a hub, when its address is a column's page — a notice that is itself a
    document (`/tzgg/202601/t20260113_7104.html`, 召开政务公开工作培训会) stays news."""
    found = []
    for a in links(selector):
        text = re.sub(r"\s+", "", clean(" ".join(a.xpath(".//text()").getall()) or a.attrib.get("title")))
        mention = CATALOGUE_MENTION.search(text)
        if mention and mention.group(0) != text and (url := link_url(a, base)) \
                and COLUMN_PAGE.search(urlsplit(url).path or "/") and not DOCUMENT_PATH.search(urlsplit(url).path):
            found.append(Entry(url, mention.group(0)))
    return found


def _lands(entry: Entry, named: Entry) -> bool:
    """Is `entry` the stub's jump to an address the page also links by a name that leads nowhere
    (`<script>location.href="/portal/index.html"</script><noscript><a href="/portal/index.html">进入首页
    </a></noscript>`)? The browser lands there at once: it is the page's content (REDIRECT), not a
    link a reader might take — the name of the way in for readers without script says nothing."""
    return entry.title == REDIRECT and _leads(named.title) == 0


def _areas(selector: Selector, base: str) -> list[Entry]:
    return [Entry(url, clean(area.attrib.get("alt") or area.attrib.get("title")))
            for area in selector.xpath(f"(//area[@href])[position() <= {MAX_LINKS}]")
            if (url := absolute(base, area.attrib.get("href")))]


SVG_LINKS = (f"(//a[@*[name() = 'xlink:href' or local-name() = 'href']][not(@href)]"
             f"[ancestor::*[local-name() = 'svg']])[position() <= {MAX_LINKS}]")


def _svg_links(selector: Selector, base: str) -> list[Entry]:
    """Links of an inline SVG graphic (a 导航图 of clickable tiles): SVG's `<a xlink:href="/zfxxgk/">`
    (SVG 2's plain href too, read as any anchor) around a `<text>` that names it — a guide drawn as
    one picture, its way to the catalogue in no HTML anchor. Named by its text, else its <title>
    or aria-label."""
    found = []
    for a in selector.xpath(SVG_LINKS):
        target = next((v for k, v in a.root.attrib.items() if k.split(":")[-1].split("}")[-1] == "href"), None)
        name = clean(" ".join(a.xpath(".//*[local-name() = 'text']//text()").getall())) \
            or clean(a.xpath("string(.//*[local-name() = 'title'])").get()) or clean(a.attrib.get("aria-label"))
        if name and (url := absolute(base, target)):
            found.append(Entry(url, name))
    return found


def _image_links(selector: Selector, base: str) -> list[Entry]:
    """Anchors whose only content is an image: the image's alt (or title) names them."""
    found = []
    for a in selector.xpath(f"(//a[@href][.//img][not(normalize-space(string(.)))])[position() <= {MAX_LINKS}]"):
        url = absolute(base, a.attrib.get("href"))
        name = clean(a.xpath(".//img/@alt").get() or a.xpath(".//img/@title").get() or a.attrib.get("title")) \
            or (address_name(url) if url else None) or image_name(a.xpath(".//img/@src").get())   # a bare tile
        if name and url:
            found.append(Entry(url, name))
    return found


def _scripted(selector: Selector, base: str) -> list[Entry]:
    """Non-anchor elements that navigate in their onclick: (target, their text)."""
    found = []
    for el in selector.xpath(f"(//*[not(self::a)][@onclick])[position() <= {MAX_LINKS}]"):
        name = tile_name(el) or clean(el.attrib.get("title"))
        if name and (url := absolute(base, script_address(el.attrib.get("onclick")))):
            found.append(Entry(url, name))
    return found


TILE_HEADING = "(.//h1 | .//h2 | .//h3 | .//h4 | .//h5 | .//h6 | .//dt | .//strong)[1]"


def tile_name(el: Selector) -> str:
    """What a clickable tile is called: its heading when it has one — a 政务公开 page's tiles print
    a caption under the name (`<div onclick=…><h3>政府信息公开</h3><p>指南、目录、年报</p></div>`),
    and name and caption together are no hub's name — else all its text."""
    heading = el.xpath(TILE_HEADING)
    text = heading[0] if heading else el
    return clean(" ".join(text.xpath(".//text()[not(ancestor::script)]").getall()))


def _jump_menus(selector: Selector, base: str) -> list[Entry]:
    """Options of a <select> that opens its value (部门网站 / 政务公开 jump menus); a 公开主体
    selector's options are named as their units' 信息公开 pages (unit_options)."""
    found: list[Entry] = []
    for menu in selector.xpath("//select[contains(@onchange, 'open') or contains(@onchange, 'location')]"):
        options = [(url, clean(" ".join(o.xpath(".//text()").getall())))
                   for o in menu.xpath(".//option[@value]")[:MAX_LINKS]
                   if (url := absolute(base, o.attrib.get("value")))]
        found += unit_options(options)
        if len(found) >= MAX_LINKS:
            break
    return found[:MAX_LINKS]


def unit_options(options: list[tuple[str, str]]) -> list[Entry]:
    """A jump menu's (address, name) options as entries. A 公开主体 selector (`公开主体：<select
    onchange="location.href=this.value">` listing 绥中县人民政府, 县发展和改革局, 县教育局 …) names
    each of the platform's publishing units — the government itself beside its organs — and
    choosing one opens that unit's own 信息公开 catalogue: each option is named so (XX县人民政府 →
    XX县人民政府信息公开, a hub; XX县教育局 → XX县教育局信息公开, a unit catalogue). A menu of
    governments alone (政府网站: 上级政府, 兄弟县) or of organs alone (部门网站) is no such selector:
    its options keep their names, the other sites they open."""
    names = [name for _, name in options]
    selector = any(GOVERNMENT_UNIT.fullmatch(n) for n in names) and any(ORGAN_UNIT.fullmatch(n) for n in names)
    return [Entry(url, unit_page(name) if selector else name) for url, name in options]


TOWNSHIP_UNIT = re.compile(r"[\u4e00-\u9fff]{1,15}?(?:镇|乡|街道)(?:人民政府|办事处)?")
ROW_WRAPPERS = {"li", "span", "dd", "dt", "td", "p", "em", "b", "strong"}


def _unit_links(selector: Selector, base: str) -> list[Entry]:
    """A 公开主体 list drawn as plain links (`<div class="units"><a>市政府</a><a>市政府办公室</a>
    <a>市财政局</a></div>`): every link of one list a unit named bare, the government itself among its
    organs (and townships). Like a 公开主体 <select>'s options (unit_options), each opens the unit's
    own catalogue and is named as its 信息公开 page: the government's is a hub. A list of organs
    alone (部门网站) or of governments alone (兄弟县区) is none: its links keep their names."""
    groups: dict[int, tuple[list[tuple[str, str]], list]] = {}
    for a in links(selector):
        parent = a.root.getparent()
        if parent is None:
            continue
        if parent.tag in ROW_WRAPPERS and parent.getparent() is not None:
            parent = parent.getparent()
        name = re.sub(r"\s+", "", clean(" ".join(a.xpath(".//text()").getall())))
        if (url := link_url(a, base)) and name:
            groups.setdefault(id(parent), ([], parent))[0].append((url, name))
    found = []
    for options, _ in groups.values():
        names = [name for _, name in options]
        if len(names) >= MIN_UNITS and all(GOVERNMENT_UNIT.fullmatch(n) or ORGAN_UNIT.fullmatch(n)
                                           or TOWNSHIP_UNIT.fullmatch(n) for n in names):
            found += [e for e in unit_options(options) if e.title != dict(options)[e.url]]
    return found


def unit_page(name: str) -> str:
    """A 公开主体's name as its 信息公开 page's (本级 → 本级政府信息公开); a name that already says it
    is one (市财政局信息公开), or names no unit, as it is."""
    if UNIT_OPEN.search(name) or not (GOVERNMENT_UNIT.fullmatch(name) or ORGAN_UNIT.fullmatch(name)):
        return name
    return ("本级政府" if name.endswith("本级") else name) + "信息公开"


def _redirects(selector: Selector, base: str, at_once_only: bool = False) -> list[Entry]:
    """Where a stub page's script sends the browser (followed as part of the page). A stub is a
    page with next to no links; a page that prints the site's header and footer around its jump
    (a TRS `jump_column.shtml` column: `var jumpUrl = "…"; window.location.href = jumpUrl;`) is one
    too, but only its jumps that run at once count (`at_once_only`): a handler's, a function's or a
    device check's are not where the browser lands."""
    return [Entry(url, REDIRECT) for code in inline_scripts(selector)
            for target in redirect_targets(code, at_once_only)
            if not target.startswith(("javascript:", "#")) and (url := absolute(base, target))]


def redirect_targets(code: str, at_once_only: bool = False) -> list[str]:
    """The addresses a script sends the browser to: a string (`location.href = "/index.shtml"`) or
    a variable the script assigned one (`var u = "/zgsr/index.shtml"; location.replace(u);`) —
    portals' stubs often pick the address first (by device, by language) and jump after. With
    `at_once_only`, only the jumps that run as the script is read (scripts.run_at_once)."""
    assigned = {name: value for name, _, value in STRING_ASSIGNMENT.findall(code)}
    jumps = [(m.start(), m.group(2)) for m in JS_REDIRECT.finditer(code)] + \
        [(m.start(), assigned[m.group(1)]) for m in JS_REDIRECT_VAR.finditer(code) if m.group(1) in assigned]
    if at_once_only:
        now = run_at_once(code, [pos for pos, _ in jumps])
        jumps = [(pos, target) for pos, target in jumps if pos in now]
    return [target for _, target in jumps]


def _frames(selector: Selector, base: str) -> list[Entry]:
    sources = selector.xpath(f"(//frame/@src | //iframe/@src)[position() <= {MAX_LINKS}]").getall()
    return [Entry(url, FRAME) for src in sources
            if (url := absolute(base, src))]


def frameset_frames(selector: Selector, base: str) -> list[str]:
    """The frames of a page drawn as a <frameset>: it has no body of its own, so what a reader
    sees there is its frames (`<frameset rows="120,*"><frame src="/top.htm"><frame src="/main.htm">`):
    they are that page, at its hop, as a stub's jump is. An <iframe> inside a page is a part of it
    that leads on a hop like any link."""
    return [url for src in selector.xpath(f"(//frameset//frame/@src)[position() <= {MAX_LINKS}]").getall()
            if (url := absolute(base, src))]


def script_links(selector: Selector, base: str) -> list[Entry]:
    """Links the page's inline scripts draw (spiders/scripts.py reads them): menu objects,
    [text, url] pairs, markup written from string pieces, anchors and elements whose handler calls
    one of the page's navigation functions, and the data files its script loads (LOADED, followed
    as part of the page). At most MAX_LINKS: a page is not allowed to make discovery quadratic."""
    codes = inline_scripts(selector)
    found: list[Entry] = []
    for template in selector.xpath("//script[contains(@type, 'html') or contains(@type, 'template')]/text()"
                                   " | //template").getall():   # markup kept for the script to insert
        found += anchors(Selector(text=template), base)
    known: dict[str, str] = {}
    for code in codes:   # a lookup table in one script, the function reading it in another
        known.update(table_strings(code))
    for code in codes:
        found += code_links(code, base, known)
        if len(found) >= MAX_LINKS:
            break
    functions = {}
    for code in codes:
        functions.update(navigation_functions(code))
    if functions:
        found += _called(selector, base, functions, known)
    found += hovered_loads(selector, base, codes)
    return found[:MAX_LINKS]


def hovered_loads(selector: Selector, base: str, codes: list[str]) -> list[Entry]:
    """The children a lazily loaded drop-down would fetch (scripts.keyed_loads): for each element
    carrying the data attribute the load reads (`<li data-chnl="1402"><a href="/zwgk/">政务公开</a>
    <ul class="dropdown"></ul></li>`), the load with that element's value, fetched as part of the
    page (LOADED). Only a hub's or a report column's item is asked for its children: the other nav
    items' menus (政务服务, 互动交流) lead nowhere the crawl goes."""
    found = []
    for code in codes:
        for address, key, attribute in keyed_loads(code):
            for el in selector.xpath(f"(//*[@data-{attribute}])[position() <= {MAX_LINKS}]"):
                value = (el.attrib.get(f"data-{attribute}") or "").strip()
                name = clean(el.xpath("string(.//a[1])").get() or el.xpath("string(.)").get())
                if value and (is_hub(name) or column_kind(name)):
                    joined = address + ("&" if "?" in address else "?") + urlencode({key: value})
                    if url := absolute(base, joined):
                        found.append(Entry(url, LOADED))
    return found


def code_links(code: str, base: str, known: dict[str, str] | None = None) -> list[Entry]:
    """The links one script (inline, or a file the page loads) draws or loads."""
    found: list[Entry] = []
    for obj in SCRIPT_OBJECT.findall(code[:MAX_SCRIPT_CHARS]):
        text, target = menu_item({key: unescape(value) for key, _, value in JS_PAIR.findall(obj)})
        if text and (url := absolute(base, target)):
            found.append(Entry(url, clean(text)))
    found += literal_links(code, base)   # nested menu literals, keys read from their template
    for _, text, _, target in JS_ARRAY_PAIR.findall(code[:MAX_SCRIPT_CHARS]):
        if url := absolute(base, unescape(target)):
            found.append(Entry(url, clean(unescape(text))))
    for _, _, text, _, target in TREE_NODE.findall(code[:MAX_SCRIPT_CHARS]):   # a catalogue tree's nodes
        if url := absolute(base, unescape(target)):
            found.append(Entry(url, clean(unescape(text))))
    written, pieces = [], []   # document.write calls in order: one may open an <a> that the next closes
    for text, by_write in folded_strings(code, known):
        pieces.append(text)
        if by_write:
            written.append(text)
        elif WRITTEN_LINK.search(text):
            found += _markup_links(text, base)
    if written and WRITTEN_LINK.search(markup := "".join(written)):
        found += _markup_links(markup, base)
    # markup built piece by piece (`html += '<a href="/zwgk/">'; html += '政务公开</a>'`, an array of
    # pieces joined): every string of the script in order, read as one document
    if len(pieces) > 1 and WRITTEN_LINK.search(markup := "".join(pieces)) and "</a" in markup.lower():
        found += [e for e in anchors(Selector(text=markup), base) if e.title]
    found += [Entry(url, LOADED) for target in loaded_resources(code)
              if (url := absolute(base, target))]
    return found[:MAX_LINKS]


def _markup_links(markup: str, base: str) -> list[Entry]:
    """The links of markup a script writes (document.write, an innerHTML string), named as on a page:
    by their text, or an image's alt or file name (a 飘窗's `<a href=…><img src="pc_xxgk.gif"></a>`)."""
    selector = Selector(text=markup)
    return anchors(selector, base) + _image_links(selector, base)


_UNREAD = object()   # loaded_links: the caller has not parsed the file


def loaded_links(response, page: str | None = None, calls=(), text: str | None = None, data=_UNREAD,
                 functions: dict | None = None) -> list[Entry]:
    """The links in what a page's script loaded: a JSON (or JSONP) menu config, an HTML include,
    or a script file that writes the menu — resolved against the page (`page`) that loaded it, as
    the browser does — and, for a script file, where the page's `calls` of the navigation functions
    it defines lead. `text` is the file's text when the caller decoded it (spiders/base.py
    script_text), `data` its JSON (None: not JSON) and `functions` its navigation functions when the
    caller has read them already: a loaded file is parsed once."""
    text, base = text if text is not None else text_of(response), page or response.url
    data = parse_json(text) if data is _UNREAD else data
    if data is not None:
        return json_links(data, base)
    if text.lstrip()[:1] == "<":   # an HTML include, or an XML menu (xml_menu_links)
        return xml_menu_links(text, base) + page_links(Selector(text=text), base)
    return code_links(text, base) + resolve_calls(
        calls, navigation_functions(text) if functions is None else functions, base)


def pending_calls(selector: Selector) -> list[tuple[str, str]]:
    """(handler, name) of the hub and column links whose handler calls a function the page does not
    define inline (`javascript:openColumn('6781')`, the function in the portal's own common.js)."""
    defined = set()
    for code in inline_scripts(selector):
        defined |= set(navigation_functions(code))
    calls = []
    for el in selector.xpath(f"(//*[@onclick or starts-with(normalize-space(@href), 'javascript:')])"
                             f"[position() <= {MAX_LINKS}]"):
        name = clean(" ".join(el.xpath(".//text()").getall()) or el.attrib.get("title"))
        if not name or not (is_hub(name) or column_kind(name)):
            continue
        for handler in (el.attrib.get("href"), el.attrib.get("onclick")):
            if (m := CALL.match(handler or "")) and not {m.group(1), m.group(1).rsplit(".", 1)[-1]} & defined \
                    and m.group(1).rsplit(".", 1)[-1] not in BUILTIN_CALLS:
                calls.append((handler, name))
                break
    return calls[:MAX_CALLS]


def resolve_calls(calls, functions: dict, base: str) -> list[Entry]:
    """Entries for the `calls` (handler, name) that one of `functions` resolves."""
    return [Entry(url, name) for handler, name in calls
            if (target := called_address(handler, functions)) and (url := absolute(base, target))]


def called_links(selector: Selector, base: str) -> list[Entry]:
    """Links whose handler calls one of the page's own navigation functions — on a list page,
    report entries opened by `javascript:showDetail('…')` — resolved as the browser would."""
    codes = inline_scripts(selector)
    functions = {}
    for code in codes:
        if FUNCTION_WORD.search(code):
            functions.update(navigation_functions(code))
    if not functions:
        return []
    return _called(selector, base, functions, page_strings(codes))   # `var base = "/gk/"` stands for its value


def _called(selector: Selector, base: str, functions: dict, known: dict[str, str]) -> list[Entry]:
    """Elements whose href or onclick calls a navigation function the page defines
    (`javascript:openColumn('6781')`): where the function would send the browser."""
    found = []
    for el in selector.xpath(f"(//*[@onclick or starts-with(normalize-space(@href), 'javascript:')])"
                             f"[position() <= {MAX_LINKS}]"):
        for handler in (el.attrib.get("href"), el.attrib.get("onclick")):
            if (target := called_address(handler, functions, known)) and (url := absolute(base, target)):
                name = clean(" ".join(el.xpath(".//text()").getall()) or el.attrib.get("title"))
                found.append(Entry(url, name))
                break
    return found


def _data_links(selector: Selector, base: str) -> list[Entry]:
    """Elements that keep their target in a data attribute for a click handler
    (`<div class="tile" data-href="/zwgk/"><img><p>政务公开</p></div>`), named by their text,
    else by their title or an image's alt."""
    found = []
    for el in selector.xpath(f"(//*[not(self::a or self::area or self::link or self::base)][{DATA_TEST}])"
                             f"[position() <= {MAX_LINKS}]"):
        target = next((el.attrib[k] for k in DATA_KEYS if el.attrib.get(k)), None)
        name = tile_name(el) or clean(el.attrib.get("title") or el.xpath(".//img/@alt").get())
        if name and (url := absolute(base, target)):
            found.append(Entry(url, name))
    return found


# a click handler reading the clicked element's data attribute (`var y = $(this).data("year")`,
# `$(this).attr("data-year")`, `this.getAttribute("data-year")`, `this.dataset.year`) …
ATTRIBUTE_READ = re.compile(r"""([A-Za-z_$][\w$]*)\s*=\s*(?:\$\(\s*this\s*\)\s*\.\s*"""
                            r"""(?:data\s*\(\s*["']([\w-]+)["']|attr\s*\(\s*["']data-([\w-]+)["'])"""
                            r"""|this\s*\.\s*(?:getAttribute\s*\(\s*["']data-([\w-]+)["']|dataset\s*\.\s*([a-z]\w*)))""")
# … and writing it into the address it loads (`$("#list").load("/xxgk/nb_" + y + ".html")`)
ATTRIBUTE_ADDRESS = r"""(["'])([^"'\n]*)\1\s*\+\s*{name}\b(?:\s*\+\s*(["'])([^"'\n]*)\3)?"""


def _attribute_loads(selector: Selector, base: str) -> list[Entry]:
    """The addresses a click handler builds from the clicked element's data attribute, one per
    element holding it (`<li data-year="2024">2024年</li>` with `$(".year-tab li").click(function(){
    var y = $(this).data("year"); $("#nbList").load("/xxgkml/zfxxgknb/nb_" + y + ".html") })`: a
    column's year tabs, each loading its year's list), named by the element's text."""
    found = []
    for code in inline_scripts(selector):
        if "this" not in code:
            continue
        for read in ATTRIBUTE_READ.finditer(code):
            attribute = next(g for g in read.groups()[1:] if g)
            built = re.search(ATTRIBUTE_ADDRESS.format(name=re.escape(read.group(1))), code[read.end():])
            if not built or not built.group(2):
                continue
            for el in selector.xpath(f"(//*[@data-{attribute}])[position() <= {MAX_LINKS}]"):
                value = el.attrib.get(f"data-{attribute}", "")
                name = clean(" ".join(el.xpath(".//text()").getall()))
                if name and (url := absolute(base, built.group(2) + value + (built.group(4) or ""))):
                    found.append(Entry(url, name))
    return found[:MAX_LINKS]


# the fields of a form a reader fills in or picks (a search box, a year <select>): a form holding one
# asks something of its reader; one holding only hidden fields and its button does not
FILLED_FIELDS = ("self::textarea or self::select or (self::input and not(@type = 'hidden' or @type = 'submit'"
                 " or @type = 'button' or @type = 'image' or @type = 'reset'))")
SUBMIT = ".//button[not(@type) or @type = 'submit'] | .//input[@type = 'submit' or @type = 'image']"


def button_forms(selector: Selector, base: str) -> list[Entry]:
    """A GET form that asks the reader nothing — no box to type in, no list to pick from, only
    its button (`<form action="/zwgk/xxgkml/" method="get"><button>政府信息公开</button></form>`,
    portals' entry buttons drawn as forms, hidden fields at most) — is a link: submitting it opens
    its action with its hidden fields as the query, whatever the reader does. Named by its button
    (text, value or image alt). A form posted (a pager's, a search's) or one with a field to fill
    is no link; the form of a page that only submits to itself leads nowhere new."""
    found = []
    for form in selector.xpath(f"(//form[@action])[position() <= {MAX_LINKS}]"):
        if (form.attrib.get("method") or "get").strip().lower() != "get" or form.xpath(f".//*[{FILLED_FIELDS}]"):
            continue
        button = form.xpath(SUBMIT)
        if not button:
            continue
        name = clean(" ".join(button[0].xpath(".//text()").getall()) or button[0].attrib.get("value")
                     or button[0].attrib.get("alt") or button[0].attrib.get("title"))
        url = absolute(base, form.attrib.get("action"))
        if not name or not url:
            continue
        fields = [(f.attrib["name"], f.attrib.get("value", ""))
                  for f in form.xpath(".//input[@type = 'hidden'][@name]")]
        parts = urlsplit(url)   # a GET form's fields replace its action's query, as a browser submits it
        url = urlunsplit(parts._replace(query=urlencode(fields))) if fields or parts.query else url
        if url != absolute(base, base):
            found.append(Entry(url, name))
    return found


# a handler writing the hovered element's data attribute into a link's href (a tab box's shared 更多>>:
# `$("#more").attr("href", $(this).attr("data-more"))`, `more.href = this.dataset.more`,
# `more.setAttribute("href", this.getAttribute("data-more"))`)
ATTRIBUTE_VALUE = (r"""(?:\$\(\s*this\s*\)\s*\.\s*(?:data\s*\(\s*["']([\w-]+)["']|attr\s*\(\s*["']data-([\w-]+)["'])"""
                   r"""|this\s*\.\s*(?:getAttribute\s*\(\s*["']data-([\w-]+)["']|dataset\s*\.\s*([a-z]\w*)))""")
HREF_SET = r"""(?:\.\s*(?:attr|prop|setAttribute)\s*\(\s*["']href["']\s*,\s*|\.\s*href\s*=(?!=)\s*)"""
HREF_WRITE = re.compile(HREF_SET + ATTRIBUTE_VALUE)


def _attribute_hrefs(selector: Selector, base: str) -> list[Entry]:
    """The addresses a tab box's script copies from the tab into its one 更多>> link (`<li
    data-more="/zwgk/xxgkml/">信息公开</li>` … `<a id="more" href="/zwgk/zcwj/">更多</a>` with
    `$(".tab li").mouseover(function(){ $("#more").attr("href", $(this).attr("data-more")) })`): the
    markup's href is only the first tab's, the other columns are reached by hovering their tab and
    clicking 更多 — each tab leads to its column's address, named by the tab's text."""
    found = []
    for code in inline_scripts(selector):
        if "this" not in code or "href" not in code:
            continue
        # … read straight into the href, or through a variable (`var u = $(this).data("more"); … .attr("href", u)`)
        attributes = [next(g for g in write.groups() if g) for write in HREF_WRITE.finditer(code)]
        attributes += [next(g for g in read.groups()[1:] if g) for read in ATTRIBUTE_READ.finditer(code)
                       if re.search(HREF_SET + re.escape(read.group(1)) + r"\b", code[read.end():])]
        for attribute in dict.fromkeys(attributes):
            attribute = re.sub(r"[A-Z]", lambda m: "-" + m.group(0).lower(), attribute)   # dataset.moreUrl
            for el in selector.xpath(f"(//*[@data-{attribute}])[position() <= {MAX_LINKS}]"):
                name = clean(" ".join(el.xpath(".//text()").getall()))
                if name and (url := absolute(base, el.attrib.get(f"data-{attribute}"))):
                    found.append(Entry(url, name))
    return found[:MAX_LINKS]


def _external_scripts(selector: Selector, base: str) -> list[Entry]:
    """The page's own script files (a header include that document.writes the menu), not the
    libraries every page loads: read only when the page itself shows no way on. A script the server
    writes is one too (`<script src="/module/xxgk/tree.jsp?divid=…">`: Hanweb's 信息公开 tree is
    document.write()n by a JSP), whatever the extension of its address (SCRIPT_FILE)."""
    found = []
    for el in selector.xpath("//script[@src]")[:MAX_SCRIPTS]:
        url = absolute(base, el.attrib.get("src"))
        name = urlsplit(url).path.rsplit("/", 1)[-1].lower() if url else ""
        # (a script given a data-main is the RequireJS loader, whatever its file is called)
        if url and SCRIPT_FILE.search(name) and not LIBRARY.search(name) and "data-main" not in el.attrib:
            found.append(Entry(url, SCRIPT))
    return found + [Entry(url, SCRIPT) for url in main_modules(selector, base) + module_imports(selector, base)]


def module_imports(selector: Selector, base: str) -> list[str]:
    """The files a page's inline ES module imports (`<script type="module">import {menu} from
    "/static/js/menu.mjs"; nav.innerHTML = menu.map(…)</script>`): the module is code the page runs, but
    what it draws comes from the file it imports — the page's own script, as a <script src> would be.
    Relative specifiers resolve against the page; bare ones ("vue") name a package, no address."""
    found = []
    for el in selector.xpath("//script[not(@src) and @type='module']")[:MAX_SCRIPTS]:
        code = "".join(el.xpath("text()").getall())[:MAX_SCRIPT_CHARS]
        for m in MODULE_IMPORT.finditer(code):
            name = urlsplit(m.group(2)).path.rsplit("/", 1)[-1]
            if not LIBRARY.search(name) and (url := absolute(base, m.group(2))):
                found.append(url)
    return list(dict.fromkeys(found))[:MAX_SCRIPTS]


def main_modules(selector: Selector, base: str) -> list[str]:
    """The page's RequireJS main modules (`<script data-main="/js/app/list_1070" src="/js/require.js">`):
    require.js is a library, but the module it loads first is the page's own script — where an AMD page
    keeps its list call and its menu. RequireJS asks the module's name with `.js` added (unless it ends
    so), relative to the page."""
    found = []
    for main in selector.xpath("//script[@src]/@data-main").getall()[:MAX_SCRIPTS]:
        main = main.strip()
        module = main if not main or main.lower().endswith(".js") else main + ".js"
        if module and (url := absolute(base, module)):
            found.append(url)
    return found


def script_charsets(selector: Selector, base: str, page_encoding: str | None) -> dict[str, str]:
    """address → the charset a page's own script files are read in: the <script charset> attribute,
    else the page's encoding (a script served with no charset is decoded as the page that loads it)."""
    found = {}
    for el in selector.xpath("//script[@src]")[:MAX_SCRIPTS]:
        if url := absolute(base, el.attrib.get("src")):
            found[url] = clean(el.attrib.get("charset")) or page_encoding
    for url in main_modules(selector, base) + module_imports(selector, base):   # read as the page is
        found.setdefault(url, page_encoding)
    return {url: charset for url, charset in found.items() if charset}


def _qualified(selector: Selector, base: str) -> list[Entry]:
    """Report columns with a generic name (年度报告, 年报, 报告) under a menu heading that says
    whose they are: `<li><span>法治政府建设</span><ul><li><a>年度报告</a>` is the 法治政府建设
    column. The heading is the nearest earlier sibling, of another tag than the link's own row
    (peers are other columns), of the link or of one of its containers."""
    found = []
    for a in links(selector):
        text = clean(" ".join(a.xpath(".//text()").getall()) or a.attrib.get("title"))
        leaf, year = GENERIC_LEAF.fullmatch(bare := re.sub(r"\s+", "", text)), YEAR_TAB.fullmatch(bare)
        if not (leaf or year):
            continue
        heading = _heading(a.root)
        if not heading or not (url := link_url(a, base)):
            continue
        if leaf and column_kind(heading + text):
            found.append(Entry(url, heading + text))
        elif year and column_kind(heading) and not row_date(a):
            # 法治政府建设年度报告 › 2024年: that year's page of the column; a dated row under the
            # heading (2024年度报告 · 2025-02-12) is the column's document of that year (year_rows)
            found.append(Entry(url, heading))
    return found


def previewed_columns(selector: Selector, base: str) -> list[Entry]:
    """Report columns a page previews in a box: the box's 更多>> link, named by the box's heading
    (`<div class="hd"><span>政府信息公开年报</span><a href="…/zfxxgknb/">更多>></a></div>`).
    Catalogue and 政务公开 pages show each column's latest few entries so, the heading as plain
    text and only 更多 leading on: the heading names the column, and the page listing those
    entries is not the column itself (reports.py reads on from it as from a portal page)."""
    return [Entry(url, heading) for a in more_links(selector)
            if (heading := _heading(a.root)) and column_kind(heading) and (url := link_url(a, base))]


def more_links(selector: Selector) -> list:
    """The page's 更多 / more>> links (MORE_LINK, the whole text or title): a box's way from its preview
    to the list it previews (previewed_columns, previewed_hubs, full_lists)."""
    return [a for a in links(selector)
            if MORE_LINK.fullmatch(re.sub(r"\s+", "", clean(" ".join(a.xpath(".//text()").getall())
                                                          or a.attrib.get("title"))))]


def full_lists(selector: Selector, base: str) -> list[str]:
    """A column page that previews its own list — its newest rows and a 更多 link to the whole list
    in its own directory (博达 VSB: the column's `fzjs/` shows six rows, `更多` → `fzjs/list.htm`, which
    pages on as `list/1.htm` …): that list is the column's, read as a page of it. A 更多 leading out
    of the directory is another column's box (previewed_columns names those by their heading)."""
    here = urlsplit(base).path
    return dedupe(url for a in more_links(selector)
                  if (url := link_url(a, base)) and urlsplit(url).path != here and same_directory(url, base))


def previewed_hubs(selector: Selector, base: str) -> list[Entry]:
    """A home page's box headed 政府信息公开 (plain text) whose 更多+ corner link is the only way to the
    catalogue: the box previews the latest disclosures (news-like items), its 更多 leads to where they are
    filed, and is named by the heading as a box's 更多 to a report column is (previewed_columns)."""
    return [Entry(url, heading) for a in more_links(selector)
            if (heading := _heading(a.root)) and is_hub(heading) and (url := link_url(a, base))]


def _heading(node) -> str | None:
    for _ in range(HEADING_DEPTH):
        parent = node.getparent()
        if parent is None:
            return None
        for sibling in list(node.itersiblings(preceding=True))[:3]:
            if not isinstance(sibling.tag, str) or sibling.tag == node.tag:
                continue
            text = clean(HEADING_FURNITURE.sub("", sibling.text_content()))
            if 2 <= len(text) <= 20:
                return text
        node = parent
    return None


def _menu_name(title: str | None) -> str | None:
    """A link's text as a menu name — spaces out (政 务 公 开), brackets trimmed (【政务公开】) —
    or None for a link with no name of its own (a frame, a loaded part, an unnamed link)."""
    if not title or title in UNNAMED:
        return None
    return re.sub(r"[\s\u3000]+", "", clean(title)).strip(HUB_TRIM)


def is_hub(title: str) -> bool:
    """A link to a 政务公开 / 政府信息公开 / 法定主动公开内容 page (the whole text, nothing more)."""
    name = _menu_name(title)
    if name is None:
        return False
    name = LATIN.sub("", name).strip(HUB_TRIM) or name   # 政务公开 Government Affairs
    name = ENTER.sub("", name) or name   # 进入政府信息公开目录, 政务公开入口: a button's verb, not its name
    return bool(HUB.fullmatch(name) or HUB.fullmatch(place_stripped(name))   # 韶山市政府信息公开平台
                or HUB.fullmatch(LEVEL_HUB.sub("", name, count=1)))          # 市政府信息公开 (a 公开主体)


def unit_catalogues(entries: list[Entry]) -> list[str]:
    """The departments' catalogues of a 公开主体 selector: a page (past the home page) linking
    several units' own 信息公开 pages (市司法局信息公开, 市财政局信息公开 …). Each unit keeps its
    own 法定主动公开内容 with its own 政府信息公开年报 column, reached only through its page.
    Links to a unit's own site on another domain are never followed (the site's hosts only)."""
    units = [e.url for e in entries if (name := _menu_name(e.title)) and UNIT_CATALOGUE.fullmatch(name)]
    return units if len(set(units)) >= MIN_UNITS else []


def _leads(title: str | None) -> int:
    """How far a link's name says it leads toward a report: a report column's name (3), a hub's
    (2), a catch-all column's (1), anything else (0). A portal often links one catalogue page
    under several menu names (政府信息公开指南 · 法定主动公开内容 · 政府信息公开目录 → one address):
    the address is what its most telling name says, not whichever name came first."""
    if not title or title in UNNAMED:
        return 0
    return 3 if named_column(title) else 2 if is_hub(title) else 1 if is_catch_all(title) else 0


SITE_MAP = re.compile(r"(?:网站|站点|网页)?(?:地图|导航)|sitemap|sitenavigation", re.I)


def is_site_map(title: str | None) -> bool:
    """A portal's 网站地图 (站点地图, 网站导航): the one page that lists every column of the site,
    printed in every footer. Portals whose nav 政务公开 page shows only news boxes, and whose
    catalogue no menu of the home page names, still list 政府信息公开目录 there — so a home page's
    site map is followed like a hub (only the home page's: it is the same page from everywhere)."""
    name = _menu_name(title)
    return bool(name and SITE_MAP.fullmatch(name) and name not in ("导航", "地图"))


def is_catch_all(title: str) -> bool:
    """A catalogue's column for what has no column of its own (其他法定公开信息, 工作报告): it may
    hold a report whose type the portal keeps no column for — followed while one is unfound."""
    name = _menu_name(title)
    return bool(name and CATCH_ALL.fullmatch(name))


MAX_SUBCATEGORIES = 12
CJK_NAME = re.compile(r"[\u4e00-\u9fff]{2,}")
DOCUMENT_PATH = re.compile(r"/(?:t|art_|content_)?\d{6,}[^/]*$|/\d{6}/|/info/\d+/\d+", re.I)


def subcategories(selector: Selector, url: str) -> list[Entry]:
    """The sub-categories a catch-all page lists instead of documents (其他法定公开信息 › 重点工作 ›
    法治政府 › the report columns): a catalogue's tree nests its categories, each under its parent's
    address (`qtfdgkxx.htm` → `qtfdgkxx/zdgz.htm`, `/qtgk/` → `/qtgk/zdgz/`), named, undated — a
    document in a list prints its date, a pager link a number or 下一页. At most MAX_SUBCATEGORIES: a
    page listing more is a list, not a category's index."""
    path = urlsplit(url).path or "/"
    stem = path if path.endswith("/") else re.sub(r"(?:/(?:index|default))?\.\w+$", "", path) + "/"
    found = []
    for a in links(selector):
        title = clean(" ".join(a.xpath(".//text()").getall()) or a.attrib.get("title"))
        target = link_url(a, url)
        if not target or not CJK_NAME.search(title) or title.lower() in NEXT_TEXTS | LAST_TEXTS:
            continue
        child = urlsplit(target).path or "/"
        if child.startswith(stem) and child not in (stem, path) and not DOCUMENT_PATH.search(child) \
                and row_date(a) is None:
            found.append(Entry(target, title))
    found = list({e.url: e for e in found}.values())
    return found if len(found) <= MAX_SUBCATEGORIES else []


# a page's location trail: its container's class or id (breadcrumb, crumbs, position, location, 当前位置's
# dqwz / weizhi …) or the words it opens with (当前位置：首页 > 政务公开 > …)
# (a token ending so: cur-position, main-location — not a layout class such as position-relative)
TRAIL_CLASS = re.compile(r"crumb|bread|weizhi|dqwz|curpos|(?:^|[-_])(?:position|location|path|wz|place)$", re.I)
TRAIL_WORDS = re.compile(r"^\s*(?:您(?:现在)?的|当前|所在|现在)?(?:位置|所在位置)\s*[:：]")
MAX_TRAIL_LINKS = 10


def trail_parents(selector: Selector, base: str) -> list[str]:
    """The hubs a column page's location trail names (`当前位置：<a>首页</a> > <a href="/zwgk/xxgkml/">
    政府信息公开</a> > 政府信息公开年报`): the catalogue the column sits in, whatever way the crawl came
    by (a home page's 年报 box links straight into the column). The catalogue lists the column's
    siblings — the other report type's column among them — so a column page leads up its trail
    while a type's column is unfound (spiders/reports.py). Hubs only: a trail's 首页 is where the
    crawl began, and a trail longer than MAX_TRAIL_LINKS is a menu, not a trail."""
    trails = [el for el in selector.xpath("//*[@class or @id][not(self::body or self::html)]")
              if any(TRAIL_CLASS.search(token) for token in
                     (el.attrib.get("class") or "").split() + [el.attrib.get("id") or ""])]
    trails += [el for el in selector.xpath("//*[not(self::script or self::style)][text()[contains(., '位置')]]")
               if any(TRAIL_WORDS.match(text) for text in el.xpath("text()").getall())]
    found = []
    for trail in trails:
        links = trail.xpath(".//a[@href]")
        if len(links) > MAX_TRAIL_LINKS:
            continue
        for a in links:
            name = clean(" ".join(a.xpath(".//text()").getall()) or a.attrib.get("title"))
            if is_hub(name) and (url := link_url(a, base)) and url != base:
                found.append(url)
    return dedupe(found)


def is_justice_files(title: str) -> bool:
    """A catalogue's 部门文件 / 部门信息公开 page, or the justice bureau's column in it (齐齐哈尔市司法局,
    省司法厅): where a government with no 法治 column files its 法治政府建设年度报告 — followed while
    that column is unfound and never from the home page (its 部门 links are the bureaus' own sites);
    only the column's report-titled entries are opened, like any list's."""
    name = _menu_name(title)
    return bool(name and (DEPARTMENT_FILES.fullmatch(name) or JUSTICE.fullmatch(name)))


def is_home(url: str) -> bool:
    """A site's root page (/, /index.html, /default.aspx …): a portal page, even when it features
    a report or two in its news boxes."""
    return bool(HOME_PATH.fullmatch(urlsplit(url).path or "/"))


def next_links(url: str, entries: list[Entry], hops: int, max_hops: int, lists_reports: bool,
               kinds_found: set[str], visited=None, held: list | None = None) -> tuple[list[str], list[str]]:
    """(report columns, hubs and frames) to follow from the page at `url`, `hops` links from the start.

    Columns are always taken. Hubs and frames are followed while a further hop can still reach
    a column, unless the page is itself a column (it lists reports — a home page does not count,
    it features them) or the site has already found both report types' columns — so a page that
    shows one type's column still leads on to the other's hub. A catch-all column (其他法定公开信息)
    is followed only while a report type's own column is unfound: not named, or named only by
    columns that settle nothing (a bare 法治政府建设, a 市直部门 column: `settled`).
    A page whose hubs all lead where the crawl has been (`visited(url)`: the site's menu printed
    again on a catalogue page whose own tree its script file writes) leads on by its script files.
    The hubs a page naming a weak column of an unsettled type does not follow go into `held`: the
    caller follows them if that column turns out to be news (NEWS), as a column read so already is.
    """
    columns = column_links(entries)
    note_columns(kinds_found, columns, settled_kinds(entries))
    if hops + 1 >= max_hops or (lists_reports and not is_home(url)):
        return list(columns), []
    unfound = not all(settled(kinds_found, kind) for kind in REPORT_TYPES)
    if columns and kinds_found >= set(REPORT_TYPES):
        # both types' columns named; a catch-all still read for a type named only by a column that
        # does not settle where the government's own reports are (法治政府建设, 市直部门…), and a hub
        # too when this page names no column of that type (a catalogue home naming only its 年报 column
        # leads to its 法定主动公开内容, whose tree files the 法治 report under 法治政府建设 › 依法行政, while
        # the only 法治政府建设 column named so far, on another page, is news) — or the tree its script
        # loads (a zTree's JSON, part of the page), where that type's column may be
        named = {kind for column, kind in columns.items() if NEWS + column not in kinds_found}
        elsewhere = any(not settled(kinds_found, kind) and kind not in named for kind in REPORT_TYPES)
        leads = [e.url for e in entries if e.url not in columns and _leads_on(e)] if unfound else []
        if leads and not elsewhere and held is not None:
            held.extend(dedupe(leads))
        return list(columns), dedupe(old_report_columns(entries, columns)
                                     + ([e.url for e in entries if e.url not in columns
                                         and (is_catch_all(e.title) or (elsewhere and _leads_on(e)))]
                                        if unfound else []))
    hubs = [e.url for e in entries if e.url not in columns and (_leads_on(e) or (unfound and is_catch_all(e.title)))]
    if hops == 0:   # a home page's site map lists every column, the catalogue its menus may hide among them
        hubs += [e.url for e in entries if e.url not in columns and is_site_map(e.title)]
    if FZ not in kinds_found and hops > 0:   # no 法治 column yet: the 司法局's files may hold its report
        hubs += [e.url for e in entries if e.url not in columns and is_justice_files(e.title)]
    if hops > 0:   # a 公开主体 selector: each unit's catalogue, where its own 年报 is
        hubs += [url for url in unit_catalogues(entries) if url not in columns]
    if not columns and not any(is_hub(e.title) and not (visited and visited(e.url)) for e in entries):
        # nothing on the page leads on anywhere new: its own script files may write the menu
        hubs += [e.url for e in entries if e.title == SCRIPT]
    elif hops == 0:   # a home page: its header / menu include is read anyway (its links may be the real ones)
        hubs += [e.url for e in entries if e.title == SCRIPT and MENU_SCRIPT.search(urlsplit(e.url).path)]
    return list(columns), dedupe(hubs)


def _leads_on(entry: Entry) -> bool:
    """A hub (政务公开, 信息公开目录 …), or what the page itself is made of: a frame, the data its
    script loads, the address it redirects to."""
    return entry.title in (FRAME, LOADED, REDIRECT) or is_hub(entry.title)


def old_report_columns(entries: list[Entry], columns: dict[str, str]) -> list[str]:
    """The 工作报告 column beside a catalogue's report columns, followed though both are found:
    portals restructure their catalogues (the 2019 条例, the 集约化 migrations) and older reports stay
    where they were filed — 2019–2021's 法治 report under 工作报告, later ones in their own column.
    Only that column (a list of reports, small), only on the page that shows the report columns, and
    only its report-titled entries are opened; the wide catch-alls (其他法定公开内容) wait for an
    unfound type as before."""
    return dedupe(e.url for e in entries if e.url not in columns and OLD_REPORTS.fullmatch(_menu_name(e.title) or ""))


def note_columns(kinds_found: set[str], columns: dict[str, str], own: set[str]) -> None:
    """Mark in the site's set of found types the types a page's columns name: a type first named
    by a column that settles nothing (a bare 法治政府建设, a 市直部门 column) is marked WEAK, and OWN
    once its own column is named after that. A type named by its own column first stays a plain
    entry — the set stays one set of strings, only ever added to, as a cluster's workers share it."""
    for kind in own:
        kinds_found.update([kind] + ([OWN + kind] if WEAK + kind in kinds_found else []))
    for kind in set(columns.values()) - own:
        if kind not in kinds_found:
            kinds_found.update([kind, WEAK + kind])


def settled(kinds_found: set[str], kind: str) -> bool:
    """Is the government's own column of `kind` found: a column of the type named, and not only
    columns that settle nothing (a bare 法治政府建设, a 市直部门 column)?"""
    return kind in kinds_found and (WEAK + kind not in kinds_found or OWN + kind in kinds_found)


def settled_kinds(entries: list[Entry]) -> set[str]:
    """The report types whose own column the entries name: a column named as the government's
    reports (法治政府建设年度报告, 政府信息公开年报), not one named by the topic alone (法治政府建设, as
    often a news column) nor one of others' reports (市直部门…, 县区…, 乡镇…). Until a type's own
    column is named, its catch-all columns (其他法定公开内容, 计划总结) are still read: portals that
    keep their 法治 reports there often keep a 法治政府建设 news column and the departments' column too."""
    kinds = set()
    for e in entries:
        if e.title in UNNAMED or not (kind := named_column(e.title)):
            continue
        name = unicodedata.normalize("NFKC", _menu_name(e.title) or e.title)
        if REPORT_WORD.search(name) and not OTHERS_COLUMN.match(re.sub(r"\s+", "", name)):
            kinds.update(column_kinds(name) or (kind,))   # a column of both reports settles both
    return kinds


def column_links(entries: list[Entry]) -> dict[str, str]:
    """address → report type of the entries that name a report column."""
    return {e.url: kind for e in entries if e.title not in UNNAMED and (kind := named_column(e.title))}


def named_column(title: str) -> str | None:
    """The report type a link's name gives its column: the whole name (an English subtitle aside),
    else the leaf of a trail printed in it (`法定主动公开内容 · 年度报告`), read with its heading
    (`法治政府建设 › 年度报告`), or under a hub or a catch-all (a catalogue tree naming its node by its path,
    `其他法定公开内容/法治政府建设`)."""
    if kind := column_kind(title) or column_kind(LATIN.sub("", title)):
        return kind
    if trail := trail_leaf(title):
        heading, leaf = trail
        return column_kind(heading + leaf) or (column_kind(leaf) if is_hub(heading) or is_catch_all(heading) else None)
    return None


def owner_tabs(entries: list[Entry]) -> list[str]:
    """A report column split by whose reports it holds, its sub-columns named by the owner alone
    (法治政府建设 › 市本级 / 县市区, 年报 › 本级 / 部门 / 乡镇): as real 政务公开 columns file each batch
    (the government's, its departments', its counties') apart. The tabs name no report word, so
    only a report column's own page follows them — as sub-columns of its kind."""
    return dedupe(e.url for e in entries
                  if e.title and OWNER_TAB.fullmatch(re.sub(r"\s+", "", unicodedata.normalize("NFKC", e.title))))


def framed_lists(entries: list[Entry]) -> list[str]:
    """The frames of a report column's page (`<iframe src="list.html">` under the column's heading):
    older portals and embedded 信息公开 platforms keep the column's page as a frame around its list,
    whose own pages (list_1.html …) page it. A frame is part of the page that holds it, so its page
    is read as the column's list, no hop further — what a reader of the column sees."""
    return dedupe(e.url for e in entries if e.title == FRAME)


def year_tabs(entries: list[Entry]) -> list[str]:
    """A report column split by year (`<a href="2024.shtml">2024年</a>` tabs, the column's own page
    listing little or nothing): the tabs are pages of the column."""
    return dedupe(e.url for e in entries if YEAR_TAB.fullmatch(re.sub(r"\s+", "", e.title or "")))


def year_rows(selector: Selector, base: str) -> list[str]:
    """The list rows of a report column named by their year alone (`2023年度报告`, `2023年` beside
    the row's date 2024-02-05): the column names the type, the row the year, and the page opened
    names the whole report in its own title. A dated row is a document of the list, never a tab
    (a year tab is navigation: undated), so such a row is opened as a report, not read as a page of
    the column (year_tabs)."""
    return dedupe(url for a in links(selector)
                  if YEAR_TAB.fullmatch(re.sub(r"\s+", "", anchor_title(a) or "")) and row_date(a)
                  and (url := link_url(a, base)))
