"""From a portal's home page to its two report columns: which links a portal page offers, and
which of them lead towards the columns.

The path on a real portal is home → 政务公开 / 政府信息公开 → 政府信息公开目录 / 法定主动公开内容 →
the 法治政府建设年度报告 column and the 政府信息公开年报 column. Portals draw those links in ways a
plain <a href> scan misses:

- image maps: `<area href="/zfxxgk/" alt="政府信息公开">` (the text is the alt or title), and
  image buttons: `<a href="/zwgk/"><img alt="政务公开"></a>`;
- elements other than <a> that navigate from script (`<li onclick="location.href='/zwgk/'">`,
  `<button onclick=…>`), and jump menus (`<select onchange="window.open(this.value)">`);
- script redirects of a home page that is only a stub (`window.location.href = "/index.shtml"`),
  followed as part of the page, like frames;
- frames: `<frame src="left.html">` / `<iframe src=…>` hold the page's real content, so they are
  followed whatever they are called (they are part of the page that names them);
- mega-menus written by inline script: `var nav = [{name: "政务公开", url: "/zwgk/"}]`, arrays of
  `["政务公开", "/zwgk/"]` pairs, and `document.write('<a href="/zwgk/">政务公开</a>')`.

A page's links are then sorted into report columns (column_kind: the two report types' column
names) and hubs (HUB: the 政务公开 / 政府信息公开 / 法定主动公开内容 pages that lead to them).
Look-alike columns — 法治政府建设 news, 普法宣传, 政策解读, 政府信息公开指南 — are neither: a hub
name must be the whole link text. Which hosts may be followed is the site's (crawler/crawl/scope.py:
the government's domain and its service hosts, never the rest of gov.cn).
"""
from __future__ import annotations

import re
from urllib.parse import urlsplit

from parsel import Selector

from crawler.extract.classify import REPORT_TYPES, column_kind

from .base import MAX_LINKS, Entry, absolute, anchors, clean, dedupe, script_address

FRAME = "\x00frame"    # the title of a frame's entry: followed as part of its page, not by name
HUB = re.compile(
    r"(?:(?:政府|政务)?信息公开|政务公开|政府公开)(?:目录|专栏|专区|平台|网|门户)?"
    r"|(?:政府信息|信息)?(?:法定)?主动公开(?:内容|目录|信息|事项)?"
    r"|(?:政府|政务)?信息公开(?:目录|专栏)?|公开目录")
HUB_TRIM = " >»›/·|\t\r\n【】[]「」()（）<>"
HOME_PATH = re.compile(r"/(?:(?:index|default|main|home)\.\w+)?", re.I)
# inline-script menus: {name: "…", url: "…"} objects (any order, quoted or bare keys) …
SCRIPT_OBJECT = re.compile(r"\{[^{}]*\}")
JS_PAIR = re.compile(r"""["']?(\w+)["']?\s*:\s*(["'])((?:\\.|(?!\2).)*)\2""")
TEXT_KEYS = ("name", "title", "text", "label", "cname", "menuname", "chnlname", "channelname")
URL_KEYS = ("url", "href", "link", "path", "linkurl", "chnlurl", "channelurl")
# … ["政务公开", "/zwgk/"] pairs, and markup written from strings
JS_ARRAY_PAIR = re.compile(r"""\[\s*(["'])([^"'\[\]]{2,30})\1\s*,\s*(["'])([^"'\s]+)\3""")
STUB_LINKS = 5   # a page with fewer links is a stub: where its script sends the browser is its content
JS_REDIRECT = re.compile(r"""(?:(?:window|top|self|document)\.)?location(?:\.href)?\s*"""
                         r"""(?:=|\.replace\(|\.assign\()\s*(["'])([^"']+)\1""")
JS_STRING = re.compile(r"""(["'])((?:\\.|(?!\1)[^\\\n])*)\1""")   # each literal, left to right
WRITTEN_LINK = re.compile(r"<a\s", re.I)


def page_links(selector: Selector, base: str) -> list[Entry]:
    """Every link the page shows a reader: anchors, image-map areas, frames, script menus —
    resolved against the page's <base href> when it has one, as a browser does."""
    if declared := absolute(base, selector.xpath("//base/@href").get()):
        base = declared
    links = anchors(selector, base)
    found = links + _image_links(selector, base) + _areas(selector, base) \
        + _frames(selector, base) + _scripted(selector, base) + _jump_menus(selector, base) \
        + script_links(selector, base) + (_redirects(selector, base) if len(links) < STUB_LINKS else [])
    seen: dict[str, Entry] = {}
    for entry in found:   # one entry per address; a named one beats a frame or an unnamed one
        if entry.url not in seen or (not seen[entry.url].title or seen[entry.url].title == FRAME):
            seen[entry.url] = entry
    return list(seen.values())


def _areas(selector: Selector, base: str) -> list[Entry]:
    return [Entry(url, clean(area.attrib.get("alt") or area.attrib.get("title")))
            for area in selector.xpath(f"(//area[@href])[position() <= {MAX_LINKS}]")
            if (url := absolute(base, area.attrib.get("href")))]


def _image_links(selector: Selector, base: str) -> list[Entry]:
    """Anchors whose only content is an image: the image's alt (or title) names them."""
    found = []
    for a in selector.xpath(f"(//a[@href][.//img][not(normalize-space(string(.)))])[position() <= {MAX_LINKS}]"):
        name = clean(a.xpath(".//img/@alt").get() or a.xpath(".//img/@title").get())
        if name and (url := absolute(base, a.attrib.get("href"))):
            found.append(Entry(url, name))
    return found


def _scripted(selector: Selector, base: str) -> list[Entry]:
    """Non-anchor elements that navigate in their onclick: (target, their text)."""
    found = []
    for el in selector.xpath(f"(//*[not(self::a)][@onclick])[position() <= {MAX_LINKS}]"):
        name = clean(" ".join(el.xpath(".//text()").getall()) or el.attrib.get("title"))
        if name and (url := absolute(base, script_address(el.attrib.get("onclick")))):
            found.append(Entry(url, name))
    return found


def _jump_menus(selector: Selector, base: str) -> list[Entry]:
    """Options of a <select> that opens its value (部门网站 / 政务公开 jump menus)."""
    options = selector.xpath("(//select[contains(@onchange, 'open') or contains(@onchange, 'location')]"
                             f"/option[@value])[position() <= {MAX_LINKS}]")
    return [Entry(url, clean(" ".join(o.xpath(".//text()").getall())))
            for o in options if (url := absolute(base, o.attrib.get("value")))]


def _redirects(selector: Selector, base: str) -> list[Entry]:
    """Where a stub page's script sends the browser (followed as part of the page)."""
    return [Entry(url, FRAME) for code in selector.xpath("//script[not(@src)]/text()").getall()
            for _, target in JS_REDIRECT.findall(code)
            if not target.startswith(("javascript:", "#")) and (url := absolute(base, target))]


def _frames(selector: Selector, base: str) -> list[Entry]:
    sources = selector.xpath(f"(//frame/@src | //iframe/@src)[position() <= {MAX_LINKS}]").getall()
    return [Entry(url, FRAME) for src in sources
            if (url := absolute(base, src))]


def _unescape(text: str) -> str:
    """A JavaScript string literal's text: \\uXXXX, then any other backslash escape (\\/ \\" \\')."""
    text = re.sub(r"\\u([0-9a-fA-F]{4})", lambda m: chr(int(m[1], 16)), text)
    return re.sub(r"\\(.)", r"\1", text)


def script_links(selector: Selector, base: str) -> list[Entry]:
    """Links an inline script draws: menu objects, [text, url] pairs, written <a> markup
    (at most MAX_LINKS: a page is not allowed to make discovery quadratic)."""
    found: list[Entry] = []
    for code in selector.xpath("//script[not(@src)]/text()").getall():
        for obj in SCRIPT_OBJECT.findall(code):
            fields = {key.lower(): _unescape(value) for key, _, value in JS_PAIR.findall(obj)}
            text = next((fields[k] for k in TEXT_KEYS if fields.get(k)), None)
            target = next((fields[k] for k in URL_KEYS if fields.get(k)), None)
            if text and (url := absolute(base, target)):
                found.append(Entry(url, clean(text)))
        for _, text, _, target in JS_ARRAY_PAIR.findall(code):
            if url := absolute(base, _unescape(target)):
                found.append(Entry(url, clean(_unescape(text))))
        for _, literal in JS_STRING.findall(code):
            if WRITTEN_LINK.search(literal):
                found += anchors(Selector(text=_unescape(literal)), base)
        if len(found) >= MAX_LINKS:
            break
    return found[:MAX_LINKS]


def is_hub(title: str) -> bool:
    """A link to a 政务公开 / 政府信息公开 / 法定主动公开内容 page (the whole text, nothing more)."""
    name = re.sub(r"[\s\u3000]+", "", clean(title)).strip(HUB_TRIM)   # 政 务 公 开, 【政务公开】
    return bool(title) and title != FRAME and bool(HUB.fullmatch(name))


def is_home(url: str) -> bool:
    """A site's root page (/, /index.html, /default.aspx …): a portal page, even when it features
    a report or two in its news boxes."""
    return bool(HOME_PATH.fullmatch(urlsplit(url).path or "/"))


def next_links(url: str, entries: list[Entry], hops: int, max_hops: int, lists_reports: bool,
               kinds_found: set[str]) -> tuple[list[str], list[str]]:
    """(report columns, hubs and frames) to follow from the page at `url`, `hops` links from the start.

    Columns are always taken. Hubs and frames are followed while a further hop can still reach
    a column, unless the page is itself a column (it lists reports — a home page does not count,
    it features them) or the site has already found both report types' columns — so a page that
    shows one type's column still leads on to the other's hub.
    """
    columns: dict[str, str] = {}
    for entry in entries:
        kind = column_kind(entry.title) if entry.title != FRAME else None
        if kind:
            columns[entry.url] = kind
    kinds_found.update(columns.values())
    if hops + 1 >= max_hops or (lists_reports and not is_home(url)) \
            or (columns and kinds_found >= set(REPORT_TYPES)):
        return list(columns), []
    hubs = [e.url for e in entries if e.url not in columns and (e.title == FRAME or is_hub(e.title))]
    return list(columns), dedupe(hubs)
