"""What every CMS family adapter provides to the report spider, and the helpers they share.

A portal CMS differs from another in two things only: how a column's list is
paged (static index_N.html files, an XML data proxy, a JSON API …) and where a
list page keeps its entries. An adapter answers those two questions for one
family; the spider (spiders/reports.py) does everything else, so a site on a
known CMS needs no code at all and an unknown one falls back to the generic
adapter.
"""
from __future__ import annotations

import html
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Protocol
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

import scrapy
from parsel import Selector
from scrapy.http import HtmlResponse, Response, TextResponse
from w3lib.encoding import html_body_declared_encoding, http_content_type_encoding

from crawler.extract.attachments import attachment_kind


@dataclass(frozen=True)
class Entry:
    """A link found in a report column: where it points and what it is called."""

    url: str
    title: str
    date: str | None = field(default=None, compare=False)   # the list row's date, read for files
                                                              # linked straight from a list only


class Adapter(Protocol):
    name: str

    def detect(self, response: Response) -> bool:
        """True when this response is a list page (or list API answer) of this CMS family."""

    def entries(self, response: Response) -> Iterable[Entry]:
        """The links this list page (or API answer) lists, report or not."""

    def more_pages(self, response: Response) -> Iterable[scrapy.Request]:
        """Requests for the column's further list pages (callback left unset: the spider sets it)."""


# -- reading pages ------------------------------------------------------------------------

SPACE = re.compile(r"[\s\u3000\xa0]+")
ROW_TAGS = {"li", "tr", "dl", "p", "h3", "h4"}
LIST_TAGS = {"ul", "ol", "table", "tbody", "div", "section", "body"}
DATE = re.compile(r"(?:19|20)\d\d\s*[-./年]\s*\d{1,2}\s*[-./月]\s*\d{1,2}")
MIN_TITLE_CHARS = 6   # shorter anchor texts are navigation (首页, 更多, 2), not list entries
ACTION_TEXTS = {"查看", "详情", "详细", "查看详情", "详细信息", "阅读全文", "点击查看", "浏览", "more", "view",
                "下载", "点击下载", "download"}   # a file linked only as 下载: its row names it
# a 加载更多 button that is a plain link to the column's next page (`<a href="index_2.html">加载更多</a>`,
# the browser's script appends that page's rows): a next-page link by another name. Not 更多 or
# 查看更多, which lead from a box to its column.
LOAD_MORE_TEXTS = {"加载更多", "点击加载更多", "加载更多>>", "点击加载更多>>", "load more"}
NEXT_TEXTS = {"下一页", "下页", "后一页", "next", "next page", ">", "›", "»", ">>"} | LOAD_MORE_TEXTS
LAST_TEXTS = {"尾页", "末页", "最后一页", "last", "last page"}
NUMBERED_FILE = re.compile(r"^(.*_)(\d+)(\.s?html?)$")
PAGE_KEYS = r"page|pageNo|pageNum|currpage|pageIndex"   # a list address's page parameter
PAGE_NUMBER = re.compile(rf"[?&]((?:{PAGE_KEYS}))=(\d+)", re.I)
PAGE_KEY = re.compile(PAGE_KEYS, re.I)
QUOTED = re.compile(r"""['"]([^'"\s<>]+)['"]""")
ADDRESS_LIKE = re.compile(r"/|\.\w{2,5}(?:[?#]|$)")
SCRIPT_OBJECT = re.compile(r"\{[^{}]*\}")
JS_FIELD = re.compile(r"""["']?(\w+)["']?\s*:\s*["']([^"']*)["']""")
FILE_KEYS = ("url", "href", "file")


def to_int(value, default: int | None) -> int | None:
    """A count read from a page or an answer; scripts sometimes hold a variable name instead."""
    try:
        return int(str(value).strip())
    except (TypeError, ValueError):
        return default


INVISIBLE = re.compile(r"[\ue000-\uf8ff\u200b-\u200f\u2060\ufeff]")


def clean(text: str | None) -> str:
    """Text with its runs of space folded, and without what a reader does not see as text: icon-font
    glyphs (private-use code points, `<i class="iconfont">&#xe600;</i>政务公开`) and zero-width marks."""
    return SPACE.sub(" ", INVISIBLE.sub("", text or "")).strip()


CHARSET = re.compile(r"""charset\s*=\s*["']?([\w.:-]+)""", re.I)
CHINESE_CODECS = {"gbk": "gb18030", "gb2312": "gb18030", "gb_2312-80": "gb18030", "x-gbk": "gb18030"}


def declared_encoding(response: Response) -> str | None:
    """The encoding a page declares (its Content-Type header, else its <meta charset>), or None: a
    page that declares none has only a guess (Scrapy's cp1252 for plain ASCII markup), which says
    nothing about the files it loads."""
    content_type = (response.headers.get("Content-Type") or b"").decode("latin-1")
    return http_content_type_encoding(content_type) or html_body_declared_encoding(response.body)


def script_text(response: Response, given: str | None) -> str:
    """A script file's text as the browser reads it: in the charset its response declares, else in
    the one the page gives it — the <script charset> attribute, else the page's own encoding
    (`given`). A GBK portal's header include (`document.write('…政务公开…')`, served with no
    charset) is GBK like the page; guessed as anything else, its menu names nothing."""
    declared = (response.headers.get("Content-Type") or b"").decode("latin-1")
    if not given or CHARSET.search(declared):
        return text_of(response)
    codec = CHINESE_CODECS.get(given.lower(), given)
    try:
        return response.body.decode(codec, "replace")
    except LookupError:
        return text_of(response)


def text_of(response: Response) -> str:
    """The body as text whatever Scrapy made of it (HTML, XML, JSON or plain bytes)."""
    if isinstance(response, TextResponse):
        return response.text
    return response.body.decode("utf-8", "replace")


def json_of(response: Response):
    """The decoded JSON answer (also a JSONP one, `listCallback({…})`), or None when the body is
    not JSON (an HTML error page …)."""
    return parse_json(text_of(response))


def parse_json(text: str):
    """The JSON value of `text`, also when wrapped as JSONP (`callback({...})`) or in one XML element
    (xml_wrapped); None if none of these."""
    try:
        return json.loads(text)
    except ValueError:
        m = re.match(r"^\s*[\w$.]+\s*\(\s*(.*?)\s*\)\s*;?\s*$", text, re.S)
        if m:
            try:
                return json.loads(m.group(1))
            except ValueError:
                return None
    return dwr_reply(text) if DWR_REPLY.search(text[:200]) else xml_wrapped(text)


# a DWR plaincall's answer: `//#DWR-INSERT\n//#DWR-REPLY\ndwr.engine._remoteHandleCallback('0','0',{…});`
DWR_REPLY = re.compile(r"//#DWR-REPLY|dwr\.engine\._remoteHandleCallback\(")
DWR_CALLBACK = re.compile(r"""dwr\.engine\._remoteHandleCallback\(\s*(["'])[^"']*\1\s*,\s*(["'])[^"']*\2\s*,"""
                          r"""\s*(.*)\)\s*;?\s*$""", re.S)


def dwr_reply(text: str):
    """The value a DWR remote call returned (Direct Web Remoting, the Java RPC many 2010s 站群 list columns
    through: `InfoService.getList(colId, n, size, cb)`): its reply is a script handing the value to the
    page's callback, `dwr.engine._remoteHandleCallback('batchId','callId',{…})`, after DWR's marker
    comments. None when the value is no JSON (older DWR writes JS variables, s0.title=…, instead)."""
    m = DWR_CALLBACK.search(text)
    try:
        return json.loads(m.group(3)) if m else None
    except ValueError:
        return None


# an XML answer that is one element holding text: `<?xml …?><string xmlns="http://tempuri.org/">{…}</string>`
XML_WRAPPED = re.compile(r"^\ufeff?\s*(?:<\?xml[^>]*\?>\s*)?<([A-Za-z_][\w:.-]*)(?:\s[^<>]*)?>\s*([\[{].*[\]}])\s*"
                         r"</\1>\s*$", re.S)


def xml_wrapped(text: str):
    """The JSON an XML envelope carries as its only content, or None: an ASP.NET ASMX web method
    (`/Service.asmx/GetList`, a WCF service alike) answers a POST with its JSON string serialized
    as XML — `<string xmlns="http://tempuri.org/">{"PageCount": 2, "Rows": […]}</string>`, the
    JSON's `&` and `<` escaped as entities — which the page's script unwraps (`$(x).find("string")
    .text()`). The namespace is a name, never an address to fetch."""
    if not text.lstrip("\ufeff \t\r\n").startswith("<") or not (m := XML_WRAPPED.match(text)):
        return None
    try:
        return json.loads(html.unescape(m.group(2)))
    except ValueError:
        return None


def meta_of(response: Response) -> dict:
    """The request meta, or {} for a response built without a request (unit tests)."""
    return response.request.meta if response.request is not None else {}


def is_html(response: Response) -> bool:
    """An HTML page — not an XML or JSON answer, even one mislabelled text/html."""
    return isinstance(response, HtmlResponse) and response.body.lstrip()[:1] not in (b"{", b"[")


# a single-page catalogue whose category is the address's fragment: 广东 gkmlpt's `/gkmlpt/index#1370`
# (its script reads location.hash and asks the platform's API for that category; the server never sees it)
ROUTED_PAGE = re.compile(r"/gkmlpt/m?index$")
ROUTE_FRAGMENT = re.compile(r"\d+")


def routed_fragment(path: str, fragment: str) -> bool:
    """Does the fragment choose what the page shows rather than a place on it? Only a catalogue whose
    script routes by it (ROUTED_PAGE) with a category id: `/gkmlpt/index#1370` and `#1371` are two
    columns on one page, which the link's fragment alone tells apart. Any other fragment (`#top`,
    `list.html#content`) is dropped, so that one page is one address."""
    return bool(ROUTE_FRAGMENT.fullmatch(fragment) and ROUTED_PAGE.search(path))


def fold_routes(urls: list[str], kinds: dict[str, str | None]) -> tuple[list[str], dict[str, dict[str, str | None]]]:
    """(the addresses with every routed one replaced by its page, once, where its first route stood;
    page → {route: its link's report type}). The routes of one page are one request: the server
    sends the same page whatever the fragment, and asking it once per route would ask one page
    again and again (a resumed crawl refuses that); the page's adapter reads each route from it."""
    folded, routes = [], {}
    for url in urls:
        parts = urlsplit(url)
        if not routed_fragment(parts.path, parts.fragment):
            folded.append(url)
            continue
        page = urlunsplit(parts._replace(fragment=""))
        if page not in routes:
            folded.append(page)
        routes.setdefault(page, {})[parts.fragment] = kinds.get(url)
    return list(dict.fromkeys(folded)), routes


def routes_kind(routes: dict[str, str | None]) -> str | None:
    """The report type a routed page's request carries: its routes' one type, or none when they
    name both (each route's own type goes with the request asked for it)."""
    kinds = set(routes.values())
    return kinds.pop() if len(kinds) == 1 else None


def absolute(base: str, href: str | None) -> str | None:
    """An http(s) address without fragment (but a catalogue's route, routed_fragment), or None for
    javascript:, mailto:, bare # … A link through the portal's own 外链提示 page is the address it
    announces (outbound_target)."""
    href = (href or "").strip()
    if not href or href.startswith("#"):
        return None
    url = urljoin(base, href)
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return None
    if (target := outbound_target(base, parts)) is not None:
        return target
    return urlunsplit(parts._replace(fragment=parts.fragment if routed_fragment(parts.path, parts.fragment) else ""))


# the query keys of a 外链提示 / 离开本站 interstitial that carry the address it leads on to
OUTBOUND_KEYS = {"url", "target", "link", "goto", "redirect", "redirecturl", "jumpurl", "to", "dest", "href"}


def outbound_target(base: str, parts) -> str | None:
    """The address a same-host interstitial leads on to (`/wltx.html?url=http%3A%2F%2Fxxgk.…%2F`,
    its 继续访问 button run by script), or None. Portals put such a 外链提示 page in front of every
    link to another host, even their own 信息公开 host: the page itself holds no link, the target is
    in its query. Only an absolute http(s) target counts (a viewer's `?file=/a.pdf` is no
    interstitial), and whether its host may be followed is still the site's scope."""
    if (parts.hostname or "").lower() != (urlsplit(base).hostname or "").lower() or not parts.query:
        return None
    for key, value in parse_qsl(parts.query):
        value = value.strip()
        if key.lower() in OUTBOUND_KEYS and re.match(r"https?://[^/\s]+", value, re.I) \
                and urlsplit(value).hostname and value != urlunsplit(parts):
            target = urlsplit(value)
            return urlunsplit(target._replace(fragment=""))
    return None


def script_address(code: str | None) -> str | None:
    """The first quoted address in a javascript: href or an onclick (`openwin('../2025/a.html')`,
    `window.open('…','_blank')`, `location.href='…'`); words like '_blank' are not addresses."""
    return next((q for q in QUOTED.findall(code or "") if ADDRESS_LIKE.search(q)), None)


def link_url(a: Selector, base: str) -> str | None:
    """Where an anchor leads: its href, or — for `#`/javascript: links that open their target from
    script — the address in the javascript: href, the onclick handler or data-href."""
    href = (a.attrib.get("href") or "").strip()
    if href and not href.startswith("#") and not href.lower().startswith("javascript:"):
        return absolute(base, href)
    for target in (script_address(href), script_address(a.attrib.get("onclick")), a.attrib.get("data-href")):
        if url := absolute(base, target):
            return url
    return None


def script_files(selector: Selector, base: str) -> list[Entry]:
    """Documents named only in inline-script objects (`var apps = [{"name":"全真版","url":"./P02….pdf"}]`),
    which the page's script turns into links after loading: (address, name) of each."""
    found = []
    for code in inline_scripts(selector):
        for obj in SCRIPT_OBJECT.findall(code):
            fields = dict(JS_FIELD.findall(obj))
            target = next((fields[k] for k in FILE_KEYS if fields.get(k)), None)
            if url := absolute(base, target):
                found.append(Entry(url, clean(fields.get("name") or fields.get("title"))))
    return found


def anchor_title(a: Selector) -> str:
    """The link's full title: TRS lists truncate the text (…) and keep the title attribute
    whole; a 查看/详情 link takes the title its row shows beside it."""
    text = clean(" ".join(a.css("::text").getall()))
    title = clean(a.attrib.get("title"))
    best = title if len(title) >= len(text.rstrip(".…")) else text
    return _row_title(a, best) if best.lower() in ACTION_TEXTS else best


def _row_title(a: Selector, action: str) -> str:
    """The longest cell (or span …) of the link's row that is neither the action word nor
    a date; else the row's bare text without them."""
    row = _row(a)
    texts = [t for el in row.iter() if el is not row
             if (t := clean(el.get("title") or el.text_content()))
             and t.lower() not in ACTION_TEXTS and not DATE.fullmatch(t)]
    return max(texts, key=len, default="") or clean(DATE.sub("", row.text_content().replace(action, ""))) or action


MAX_SCRIPT_CHARS = 400_000
"""Characters read of one inline script: a page's menus and pagers fit in a few thousand, and every
reader of scripts runs regular expressions over them."""


def inline_scripts(selector: Selector) -> list[str]:
    """The page's inline scripts (not those loaded by `src`), each cut to MAX_SCRIPT_CHARS: the one
    place every script reader (menus, redirects, pagers, row handlers, file objects) takes them from,
    so the bound holds for all of them."""
    return [code[:MAX_SCRIPT_CHARS] for code in selector.root.xpath("//script[not(@src)]/text()")]


MAX_LINKS = 3000
"""Links read from one page, in document order. Real list and portal pages carry a few hundred;
a page with 100,000 is a trap, and reading every one of them (several times per page) would
stall the crawl for minutes."""
MAX_PAGER_PAGES = 1000
"""Further list pages generated from one pager's announced count (`createPageHTML(2000000, …)`,
a JSON `pageCount`): the count is untrusted input. The spider's per-site list-page budget
(REPORTS_MAX_LIST_PAGES) is what stops a column; this only bounds what one page can make."""


LINKS = f"(//a[@href or @onclick or @data-href])[position() <= {MAX_LINKS}]"


def links(selector: Selector) -> list[Selector]:
    """Every <a href> of the document, including those a stray early `</html>` (real gov.cn
    header includes end with one) leaves outside the root element, where CSS cannot see, and
    anchors that open their target from script (onclick, data-href) without an href — at
    most MAX_LINKS of them."""
    return selector.xpath(LINKS)


def link_elements(selector: Selector) -> list:
    """The anchors links() selects, as lxml elements: for a pass over every link of a page that
    keeps few of them, a Selector (and its attribute dict) made for each was most of its cost.
    selector_of() makes one for those kept."""
    return selector.root.xpath(LINKS)


def selector_of(element, like: Selector) -> Selector:
    """The Selector of an element links() would have given (`like`: the page's selector)."""
    return type(like)(root=element, type=like.type)


def pager_range(first: int, last: int) -> range:
    """Page numbers first…last (inclusive) of a pager, at most MAX_PAGER_PAGES of them."""
    return range(first, min(last, first + MAX_PAGER_PAGES - 1) + 1)


def anchors(selector: Selector, base: str, distinct: bool = True) -> list[Entry]:
    """Every followable link under `selector`, in page order, each address once (its first
    link) unless `distinct` is false: then every link, for a caller that weighs the names one
    address is given (spiders/discovery.py page_links)."""
    return entries_of(links(selector), base, distinct)


def entries_of(links: Iterable[Selector], base: str, distinct: bool = True) -> list[Entry]:
    """Entries for `links`; a document linked straight from the list (a PDF, a DOCX …) carries the
    date its row shows: the file states no 发布日期 of its own, the list is where it is published."""
    found: list[Entry] = []
    seen: set[str] = set()
    for a in links:
        url = link_url(a, base)
        if url and not (distinct and url in seen):
            seen.add(url)
            found.append(Entry(url, anchor_title(a), row_date(a) if attachment_kind(url) else None))
    return found


OPENS = re.compile(r"(?:\bwindow\.)?\bopen\s*\(|\blocation(?:\.href)?\s*=(?!=)|\blocation\.(?:replace|assign)\s*\(")
CLICKED_ROWS = f"(//*[not(self::a or self::area or self::select or self::option)][@onclick])[position() <= {MAX_LINKS}]"


def clicked_rows(selector: Selector, base: str) -> list[Entry]:
    """List rows that are links only by script: `<li onclick="window.open('/c/2025/a.shtml')"><span>
    2025年…报告</span><span>2025-03-28</span></li>` (a <tr> or <div> likewise). No anchor, so
    links() sees nothing, yet a reader clicks the row and the browser opens the address its handler
    opens — written in the handler, or kept in the row's data attribute for the handler to read
    (`<li data-href="…/a.docx" onclick="openUrl(this)">`, the page's `openUrl(el)` opening
    `el.getAttribute("data-href")`), or for the page's script that binds every row's click to it
    (`$(".list li").click(…$(this).data("href")…)`, no onclick at all). Named by the row's title (its
    longest text that is neither a date nor an action word), a document's dated by the row.
    Handlers that open nothing (a tab's `show(2)`) are no rows."""
    found = []
    rows = [(el, _row_address(el)) for el in selector.root.xpath(CLICKED_ROWS)]
    if read := _row_keys_read(selector):
        rows += [(el, el.get(key)) for el in selector.root.xpath(BOUND_ROWS) for key in read if el.get(key)][:MAX_LINKS]
    for el, target in rows:
        if not (url := absolute(base, target)):
            continue
        found.append(Entry(url, _clicked_title(el), day_of(el.text_content()) if attachment_kind(url) else None))
    return found


ROW_DATA_KEYS = ("data-href", "data-url", "data-link")
PASSES_ITSELF = re.compile(r"\bthis\b")
BOUND_ROWS = (f"(//*[self::li or self::tr or self::dd or self::dl or self::div][not(@onclick)]"
              f"[{' or '.join('@' + k for k in ROW_DATA_KEYS)}])[position() <= {MAX_LINKS}]")


def _row_address(row) -> str | None:
    """The address a clicked row's handler opens: one it names (`window.open('…')`), else — a
    handler that hands the row itself to the page's function (`openUrl(this)`,
    `window.open(this.dataset.href)`) — the address the row keeps in its data attribute."""
    handler = row.get("onclick") or ""
    if OPENS.search(handler) and (target := script_address(handler)):
        return target
    if PASSES_ITSELF.search(handler):
        return next((row.get(key) for key in ROW_DATA_KEYS if row.get(key)), None)
    return None


def _row_keys_read(selector: Selector) -> list[str]:
    """The row data attributes the page's own script reads (`getAttribute("data-href")`,
    `$(this).data("href")`, `this.dataset.href`): rows carrying one open its address when clicked,
    by a handler the script binds. A page whose script reads none has no such rows."""
    code = " ".join(inline_scripts(selector))
    if not code:
        return []
    return [key for key in ROW_DATA_KEYS if key in code or re.search(
        rf"""\.data\(\s*['"]{key[5:]}['"]\s*\)|\bdataset\.{key[5:]}\b""", code)]


def _clicked_title(row) -> str:
    """A clicked row's title: its title attribute; else, when all its text is in cells (spans, tds),
    the longest cell that is neither a date nor an action word; else its text without the date."""
    if title := clean(row.get("title")):
        return title
    loose = clean("".join([row.text or ""] + [child.tail or "" for child in row]))
    cells = [t for child in row.iter() if child is not row and isinstance(child.tag, str)
             if (t := clean(child.get("title") or child.text_content()))
             and t.lower() not in ACTION_TEXTS and not DATE.fullmatch(t)]
    if cells and not loose:
        return max(cells, key=len)
    return clean(DATE.sub("", row.text_content() or ""))


def _ymd(text: str) -> str:
    year, month, day = re.findall(r"\d+", text)[:3]
    return f"{int(year):04d}-{int(month):02d}-{int(day):02d}"


def day_of(text: str | None) -> str | None:
    """YYYY-MM-DD of the first date in a text (`2025-03-20 10:00:00`, `2025/3/20`, 2025年03月20日)."""
    m = DATE.search(text or "")
    return _ymd(m.group(0)) if m else None


def row_date(a: Selector) -> str | None:
    """The date printed in the anchor's list row (2020-01-06, 2020年01月06日 …), as YYYY-MM-DD."""
    row = _row(a)
    return day_of(row.text_content() if row is not None else "")


def _row(a: Selector):
    """The list row an anchor sits in: the outermost li/tr/dl/p/heading below the list
    itself (`<li><h4><a>` rows are li rows, not h4 rows), else the anchor's parent."""
    row, node = None, a.root.getparent()
    for _ in range(4):
        if node is None or (row is not None and node.tag in LIST_TAGS):
            break
        if node.tag in ROW_TAGS:
            row = node
        node = node.getparent()
    return row if row is not None else a.root.getparent()


def _container(row):
    parent = row.getparent() if row is not None else None
    while parent is not None and parent.tag == "tbody":
        parent = parent.getparent()
    return parent


def main_list(selector: Selector, base: str) -> list[Entry]:
    """Entries of the page's main list: the container with the most dated, titled rows.

    Navigation, sidebars and footers hold short, undated links; a column's list holds
    rows with long titles and a publication date. A page without such a list yields
    every titled link. A list split over tab panes (year tabs, 市政府 / 市直部门 tabs) is read
    with all its panes (tab_panes).
    """
    rows = [a for a in links(selector) if len(anchor_title(a)) >= MIN_TITLE_CHARS]
    scores: dict[int, list[int]] = {}
    dated: dict = {}   # row element → dated? Links sharing a row (a bare nav div) read it once; the
                       # dict holds the elements, so no id is reused while it is filled
    homes = []
    for a in rows:
        row = _row(a)
        home = _container(row)
        homes.append(home)
        if home is not None:
            score = scores.setdefault(id(home), [0, 0])
            if row not in dated:
                dated[row] = bool(DATE.search(row.text_content() or ""))
            score[0] += dated[row]
            score[1] += 1
    best = max(scores.items(), key=lambda kv: kv[1], default=None)
    if best is None or best[1] == [0, 1]:
        return entries_of(rows, base)
    shown = tab_panes(next(h for h in homes if id(h) == best[0]))   # held: the ids below stay theirs
    panes = {id(p) for p in shown}
    return entries_of([a for a, h in zip(rows, homes, strict=False) if id(h) == best[0] or _in_panes(h, panes)], base)


PANE_STATE = re.compile(r"\b(?:on|active|cur|current|curr|show|selected|in|hide|hidden|none)\b", re.I)
HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)
HIDDEN_CLASS = re.compile(r"\b(?:hide|hidden|none)\b", re.I)
PANE_DEPTH = 3


def tab_panes(home) -> list:
    """The tab panes a list sits in, when it is one of several: a column split into year tabs
    (`<li onclick="tab(1)">2024年</li>` … `<div class="pane" style="display:none"><ul>…</ul></div>`),
    or into 市政府 / 市直部门 tabs, puts every pane's rows in the page and shows one; the panes
    are siblings of one tag and class (the shown one marked on/active/show), at least one of
    them hidden. All the panes are the column's list — the fullest alone is a fraction of it.
    Boxes of a portal page that are all shown are not panes. [home] when it is in no pane set."""
    node = home
    for _ in range(PANE_DEPTH):
        parent = node.getparent() if node is not None else None
        if parent is None:
            break
        key = _pane_key(node)
        peers = [s for s in parent if isinstance(s.tag, str) and _pane_key(s) == key]
        if len(peers) > 1 and any(_hidden(p) for p in peers):
            return peers
        node = parent
    return [home]


def _pane_key(el) -> tuple[str, str]:
    """An element's tag and class without the state words a tab script toggles."""
    return el.tag, " ".join(PANE_STATE.sub(" ", el.get("class") or "").split())


def _hidden(el) -> bool:
    return bool(HIDDEN_STYLE.search(el.get("style") or "") or HIDDEN_CLASS.search(el.get("class") or "")
                or el.get("hidden") is not None)


def _in_panes(home, panes: set[int]) -> bool:
    """Is the list container `home` one of the panes, or inside one?"""
    node = home
    for _ in range(PANE_DEPTH + 1):
        if node is None:
            return False
        if id(node) in panes:
            return True
        node = node.getparent()
    return False


def fragment_entries(fragments: Iterable[str], base: str) -> list[Entry]:
    """Links inside HTML fragments (CDATA records of a data proxy, JSON-embedded rows)."""
    return anchors(Selector(text="".join(fragments) or "<html/>"), base)


# -- pagination ---------------------------------------------------------------------------

def labelled_links(selector: Selector, base: str, texts: set[str]) -> list[str]:
    """Targets of the links whose text (or title) is one of `texts`."""
    urls = []
    for a in links(selector):
        label = clean(" ".join(a.css("::text").getall()) or a.attrib.get("title")).lower()
        url = link_url(a, base)
        if url and label in texts:
            urls.append(url)
    return dedupe(urls)


def next_links(selector: Selector, base: str) -> list[str]:
    """Targets of 下一页 / next links, and the page's `<link rel="next">`."""
    return dedupe(labelled_links(selector, base, NEXT_TEXTS) + rel_next(selector, base))


def rel_next(selector: Selector, base: str) -> list[str]:
    """The next page a list declares in its `<head>` (`<link rel="next" href="list-2.html">`): the
    pagination hint of HTML itself, written for search engines — and, on a column whose body shows
    only a 加载更多 button, the address that button's script reads (`$('link[rel=next]').attr('href')`)
    and the one place the next page is named. A `rel` holds space-separated words (`rel="next
    nofollow"`); `prev` pages back to what was read."""
    hrefs = selector.xpath("//link[contains(concat(' ', normalize-space(translate(@rel, 'NEXT', 'next')), ' '),"
                           " ' next ')]/@href").getall()
    return dedupe(url for href in hrefs if (url := absolute(base, href)))


def last_pages(selector: Selector, base: str) -> list[str]:
    """Every page up to the one a 尾页/末页 link names (list_5.shtml, ?page=5): pagers that
    link only 首页 and 尾页 leave the pages between unlinked."""
    urls = []
    for url in labelled_links(selector, base, LAST_TEXTS):
        if match := NUMBERED_FILE.match(url):
            urls += [f"{match[1]}{i}{match[3]}" for i in pager_range(1, int(match[2]) - 1)]
        elif match := PAGE_NUMBER.search(url):
            urls += [with_param(url, match[1], i) for i in pager_range(2, int(match[2]) - 1)]
        urls.append(url)
    return dedupe(urls)


# a page-jump menu's options name pages (1, 第2页, 2/5) or a column's years (2024年, 2024年度);
# a menu naming anything else (公开主体: XX县人民政府, XX县司法局; 部门网站) opens other pages,
# which discovery reads (spiders/discovery.py _jump_menus), not further pages of this list
PAGE_OPTION = re.compile(r"第?\d{1,4}页?|\d{1,4}/\d{1,4}|(?:19|20)\d\d(?:年|年度)?")
PLACEHOLDER_OPTION = re.compile(r"[-—=\s]*(?:请选择|选择|全部|跳转|转到|--).*|")


def jump_options(selector: Selector, base: str) -> list[str]:
    """Targets of a page-jump menu: `<select onchange="location.href=this.value">` whose options
    name pages or years (a placeholder 请选择 aside). A jump menu of units or sites is no pager."""
    urls = []
    for menu in selector.xpath("//select[contains(@onchange, 'location')]"):
        options = [(o.attrib.get("value"), SPACE.sub("", clean(o.xpath("string()").get())))
                   for o in menu.xpath("./option | ./optgroup/option")]
        named = [label for value, label in options if value and not PLACEHOLDER_OPTION.fullmatch(label)]
        if all(PAGE_OPTION.fullmatch(label) for label in named):
            urls += [u for value, _ in options if (u := absolute(base, value))]
    return dedupe(urls)


# a page number in the brackets old CMS pagers draw around it (动易's `[1] [2]`, `【2】`)
BRACKETED_NUMBER = re.compile(r"^[\[【［]\s*(\d{1,4})\s*[\]】］]$")


def page_label(text: str) -> str:
    """A pager link's label with the brackets around a bare page number dropped (`[2]` → `2`):
    动易/PowerEasy-era pagers write `共 12 条 1 [2] [3]`, each later page's number bracketed."""
    return m.group(1) if (m := BRACKETED_NUMBER.match(text)) else text


def numbered_links(selector: Selector, base: str) -> list[str]:
    """Targets of pager links labelled with a bare page number (bracketed or not: page_label)."""
    urls = []
    for a in links(selector):
        label = page_label(clean(" ".join(a.css("::text").getall())))
        url = link_url(a, base)
        if url and label.isdigit() and 1 <= int(label) <= 9999:
            urls.append(url)
    return dedupe(urls)


def with_param(url: str, name: str, value) -> str:
    """`url` with query parameter `name` set to `value` (added when missing)."""
    parts = urlsplit(url)
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k != name]
    query.append((name, str(value)))
    return urlunsplit(parts._replace(query=urlencode(query), fragment=""))


def param(url: str, name: str) -> str | None:
    return dict(parse_qsl(urlsplit(url).query)).get(name)


def same_directory(url: str, other: str) -> bool:
    """Pager links stay in the column's directory, or in the one named after its document (博达 VSB
    pages `fzzfjs.htm` on as `fzzfjs/1.htm`, `fzzfjs/2.htm`…); links elsewhere belong to other columns."""
    a, b = urlsplit(url), urlsplit(other)
    if a.netloc != b.netloc:
        return False
    here = a.path.rsplit("/", 1)[0]
    return here == b.path.rsplit("/", 1)[0] or ("." in b.path.rsplit("/", 1)[-1] and here == b.path.rsplit(".", 1)[0])


DEFAULT_DOCUMENT = re.compile(r"/(?:index|default)\.\w+$", re.I)


def same_list(url: str, other: str) -> bool:
    """Is `url` (an address carrying a page parameter) a page of the list at `other`? The same
    document (`/c/` and `/c/index.html` are one), and the parameters both carry agreeing, the page
    parameter aside: `list.jsp?cid=21&pageNum=2` pages `list.jsp?cid=21`, while a catalogue linking
    its columns at their first page (`list.jsp?cid=22&pageNum=1`, `nb.html?page=1`) links other lists."""
    a, b = urlsplit(url), urlsplit(other)
    if a.netloc != b.netloc or DEFAULT_DOCUMENT.sub("/", a.path or "/") != DEFAULT_DOCUMENT.sub("/", b.path or "/"):
        return False
    mine, theirs = dict(parse_qsl(a.query)), dict(parse_qsl(b.query))
    return all(mine[k] == v for k, v in theirs.items() if k in mine and not PAGE_KEY.fullmatch(k))


def dedupe(urls: Iterable[str]) -> list[str]:
    """Order-preserving; browser-saved pages repeat the pager (the script and its output)."""
    return list(dict.fromkeys(urls))


def page_requests(urls: Iterable[str], current: str) -> list[scrapy.Request]:
    return [scrapy.Request(u) for u in dedupe(urls) if u != current]
