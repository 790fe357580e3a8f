"""The report's own paragraphs, without the page furniture around them.

Government CMS pages keep the document in a known container (TRS ``#zoom`` /
``.TRS_Editor``, 开普云 ``#UCAP-CONTENT``, Hanweb ``ContentStart`` markers, the
广东 gkmlpt ``window._CONFIG.DETAIL`` JSON that a script renders into an empty
``#app`` …).
Reading that container alone is what keeps breadcrumbs, 索引号 boxes, toolbars
and related-article lists out. The container is serialised block by block
ourselves: given such a fragment, trafilatura 2.3.1 splits ``附件：<a>…</a>``
into two lines, prefixes list items with "- ", drops attachment link lists,
and on short fragments falls back to a baseline that joins every paragraph
into one line. Pages without a known container go to trafilatura on the whole
page (include_tables=False: its table mode leaks the 索引号 table and merges
table-layout pages into one line), after pruning the metadata box and
breadcrumb. Either way a final line filter drops the furniture that sites put
*inside* their content area (编辑:, 扫一扫…, an aggregator's 小编 lines).

The DOM helpers here (parse, hidden-element pruning, text lines, container
lookup) are shared with metadata.py, which must not read the body as metadata.
"""
from __future__ import annotations

import json
import re

import trafilatura
from lxml import etree
from lxml import html as lxml_html

# Known content containers, most specific first; the first selector that finds
# a non-empty element wins, and among its matches the one with the most text.
CONTAINER_XPATHS = (
    "//*[@id='UCAP-CONTENT'] | //ucapcontent",
    "//*[@id='zoom' or @id='Zoom']",
    "//*[contains(concat(' ', normalize-space(@class), ' '), ' TRS_UEDITOR ')]",
    "//*[contains(concat(' ', normalize-space(@class), ' '), ' TRS_Editor ')]",
    "//*[@id='ivs_content']",
    "//*[contains(concat(' ', normalize-space(@class), ' '), ' article_content ')]",
    "//*[@id='wenzhang-content']",
)
# Hanweb jcms marks the document field in comments / empty meta tags.
HANWEB_MARKERS = (
    re.compile(r"<!--<\$\[信息内容\]>begin-->(.*?)<!--<\$\[信息内容\]>end-->", re.S),
    re.compile(r"<meta\s+name=[\"']?ContentStart[\"']?\s*/?>(.*?)<meta\s+name=[\"']?ContentEnd", re.S | re.I),
)
# 广东 gkmlpt: the document as JSON, ``window._CONFIG.DETAIL = {…}`` or
# ``window._CONFIG = {SID: '…', DETAIL: {…}}``; [^<]* keeps the match inside one script.
DETAIL_START = re.compile(r"_CONFIG\b[^<]*?\bDETAIL\s*[:=]\s*(?=\{)")
HIDDEN_XPATH = (
    "//*[contains(concat(' ', normalize-space(@class), ' '), ' ng-hide ')]"
    " | //*[contains(translate(@style, ' ', ''), 'display:none')]"
)
SKIP_TAGS = {"script", "style", "noscript", "template", "head", "title", "select", "option", "iframe", "object"}
BLOCK_TAGS = {
    "p", "div", "li", "ul", "ol", "dl", "dt", "dd", "tr", "td", "th", "table", "tbody", "thead",
    "tfoot", "h1", "h2", "h3", "h4", "h5", "h6", "br", "hr", "section", "article", "header",
    "footer", "nav", "aside", "form", "blockquote", "center", "pre", "main", "caption",
}
CELL_TAGS = {"td", "th", "dt", "dd"}
XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*>")
STRAY_END = re.compile(r"</(?:html|body)\s*>", re.I)
INLINE_MARK = "\ue000"  # a private-use character, used only as a boundary

# The 政务公开 box and info-line vocabulary (label → field), shared with
# metadata.py. Box labels outrank the meta tags there; info-line labels do not.
BOX_LABELS = {
    "索引号": "index_no",
    "发布机构": "publisher", "发文机关": "publisher", "制发机构": "publisher", "发布单位": "publisher",
    "成文日期": "written_date", "生成日期": "written_date", "成文时间": "written_date",
    "发布日期": "published_date", "公开日期": "published_date",
    "发文字号": "doc_no", "文号": "doc_no",
    "标题": "title", "名称": "title",
}
INFO_LABELS = {"发布时间": "published_date", "时间": "published_date", "信息来源": "source", "来源": "source"}
# Labels we keep no field for but must recognise: a value stops where they start.
OTHER_LABELS = (
    "主题分类", "体裁分类", "组配分类", "公开方式", "公开范围", "公文时效", "有效性", "主题词",
    "浏览次数", "浏览量", "阅读次数", "点击数", "访问量", "作者", "编辑", "责任编辑", "信息发布人",
    "字号", "文章类型", "分享到", "主办单位", "承办单位", "主办", "协办", "技术支持",
)
# A line starting with one of these (bracketed, or followed by a colon) is
# furniture, never body. Bare 时间： stays: a report may hold such a line.
FURNITURE_LABELS = tuple(lab for lab in (*BOX_LABELS, *INFO_LABELS, *OTHER_LABELS) if lab != "时间")


def spaced_label(label: str, gap: str = r"\s") -> str:
    """A label pattern that tolerates the padding sites put between its characters."""
    return f"{gap}*".join(map(re.escape, label))


_LABEL_ALT = "|".join(spaced_label(lab) for lab in sorted(FURNITURE_LABELS, key=len, reverse=True))
FURNITURE_LINE = re.compile(
    rf"^(?:[\[【]\s*(?:{_LABEL_ALT})\s*[\]】]|(?:{_LABEL_ALT})\s*[:：])"
    r"|^(?:您)?(?:当前|所在)(?:的)?位置|^您的位置"
    r"|^[\[【]?\s*(?:打印|关闭|收藏|返回顶部)\s*[\]】]?$|^字号\s*[\[【]?\s*[大中小]"
    r"|^上一篇|^下一篇|^copyright|^版权声明|^推荐访问|^推荐阅读|^相关热词|^(?:下载文档|复制全文)",
    re.I,
)
# Furniture phrases that may sit mid-line; only short lines are judged by them,
# so a long paragraph that happens to mention 扫一扫 stays.
FURNITURE_PHRASE = re.compile(r"扫一扫|打印本页|关闭窗口|版权所有|ICP备|公网安备|网站标识码|网站地图|小编为大家")
SHORT_LINE = 100
PRUNE_LIMIT = 400
# Headings of link lists that follow the document: nothing after them is body.
TAIL_MARKER = re.compile(r"^(?:相关(?:文章|链接|稿件|阅读|新闻|信息|文件|推荐)|上一篇|下一篇|热门推荐)\s*(?:[:：]|$)")
# "Some other report title 2019-10-18": an entry of a dated link list, which
# whole-page extraction can let through (a container holds none).
DATED_LINK = re.compile(r"^[^|]{4,60}?\s*[\[(（]?\d{4}[-/.]\d{1,2}[-/.]\d{1,2}[\])）]?$")


def normalize_space(text: str) -> str:
    """Collapse every kind of whitespace (nbsp, ensp, U+3000 …) to one space."""
    return " ".join(text.split())


def parse_html(html: str) -> etree._Element:
    """An lxml tree of the page with hidden (ng-hide, display:none) elements removed.

    Rendered single-page apps keep hidden duplicates of the document; browsers
    do not show them, so neither do we. An XHTML page's XML declaration is
    dropped: lxml refuses one in an already decoded string.
    """
    html = XML_DECLARATION.sub("", html or "", count=1)
    # a stray early </html> or </body> (real gov.cn header includes end with one) would
    # leave the rest of the page outside the root; browsers ignore such tags, so do we
    html = STRAY_END.sub("", html)
    root = lxml_html.document_fromstring(html if html.strip() else "<html></html>")
    for el in root.xpath(HIDDEN_XPATH):
        if el.getparent() is not None:
            el.drop_tree()
    return root


def text_lines(root: etree._Element, raw: bool = False) -> list[tuple[str, bool]]:
    """The element's visible text as lines, each flagged True when it is a table/dl cell.

    Block elements end a line; cells end a line even when empty, so that a
    label cell followed by an empty value cell can be told from a label
    followed by the next label. Comments contribute nothing (their tails do).
    With raw=True the whitespace inside a line is kept (only source line breaks
    are folded) and inline element edges are marked with INLINE_MARK: the gaps
    and element edges are where a metadata value ends.
    """
    lines: list[tuple[str, bool]] = []
    buf: list[str] = []
    mark = INLINE_MARK if raw else ""

    def flush(cell: bool = False, keep_empty: bool = False) -> None:
        text = "".join(buf)
        buf.clear()
        if normalize_space(text.replace(INLINE_MARK, "")) or keep_empty:
            lines.append((re.sub(r"\s*\n\s*", " ", text) if raw else normalize_space(text), cell))

    def walk(el: etree._Element) -> None:
        if not isinstance(el.tag, str):
            return
        tag = el.tag.lower()
        if tag in SKIP_TAGS:
            return
        block = tag in BLOCK_TAGS
        if block:
            flush()
        before = len(lines)
        buf.append(el.text or "")
        for child in el:
            buf.append(mark)
            walk(child)
            buf.append(mark + (child.tail or ""))
        if block:
            cell = tag in CELL_TAGS
            flush(cell=cell, keep_empty=cell and len(lines) == before)

    walk(root)
    flush()
    return lines


def content_container(root: etree._Element) -> etree._Element | None:
    """The element a known CMS keeps the document in, or None.

    The first selector that finds text wins (its longest match). A container
    that exists but is empty is still returned: the page says where its
    document is and has none there (an un-rendered SPA template), which is not
    a reason to read the navigation instead.
    """
    empty = None
    for xpath in CONTAINER_XPATHS:
        found = root.xpath(xpath)
        with_text = [el for el in found if normalize_space(el.text_content())]
        if with_text:
            return max(with_text, key=lambda el: len(el.text_content()))
        empty = empty if empty is not None or not found else found[0]
    return empty


def detail_json(html: str) -> dict:
    """The gkmlpt ``_CONFIG.DETAIL`` object, or {} when the page has none or a malformed one.

    Such a page's HTML is chrome around an empty ``#app``: the document, its
    title and its 索引号 exist only in this JSON.
    """
    match = DETAIL_START.search(html or "")
    if not match:
        return {}
    try:
        detail, _ = json.JSONDecoder().raw_decode(html, match.end())
    except ValueError:
        return {}
    return detail if isinstance(detail, dict) else {}


def _has_text(fragment: object) -> bool:
    return isinstance(fragment, str) and bool(normalize_space(re.sub(r"<[^>]+>", "", fragment)))


def _marked_fragment(html: str) -> str | None:
    """The document's HTML where the page marks it outside any element: Hanweb's
    comment / meta markers, or the content of a gkmlpt DETAIL JSON."""
    for marker in HANWEB_MARKERS:
        match = marker.search(html)
        if match and _has_text(match.group(1)):
            return match.group(1)
    content = detail_json(html).get("content")
    return content if _has_text(content) else None


def _flatten_data_tables(container: etree._Element) -> None:
    """Turn each row of a data table into one paragraph ("cell | cell").

    A table inside the document container is content (a 处罚 form, a 年报's
    statistics): one line per row keeps each row's facts together, where one
    line per cell would scatter them. Layout tables (nested tables, or one
    cell per row) are left alone.
    """
    for table in list(container.iter("table")):
        if table.find(".//table") is not None:
            continue
        rows = [[cell for cell in tr if cell.tag in ("td", "th")] for tr in table.iter("tr")]
        if not any(len(row) >= 2 for row in rows):
            continue
        block = etree.Element("div")
        for row in rows:
            texts = [" ".join(t for t, _ in text_lines(cell) if t) for cell in row]
            line = " | ".join(t for t in texts if t)
            if line:
                etree.SubElement(block, "p").text = line
        block.tail = table.tail
        table.getparent().replace(table, block)


def _prune_furniture(root: etree._Element) -> None:
    """Remove metadata-box lines and breadcrumbs before whole-page extraction.

    The line's block (a label cell's whole row) goes, unless that block is big
    enough to hold the document too; then only the text itself is blanked.
    """
    for node in root.xpath("//text()"):
        if not FURNITURE_LINE.match(normalize_space(str(node))):
            continue
        parent = node.getparent()
        block = parent
        while block is not None and block.tag not in BLOCK_TAGS:
            block = block.getparent()
        if block is not None and block.tag in CELL_TAGS:
            block = block.getparent()
        if block is not None and block.getparent() is not None and len(block.text_content()) <= PRUNE_LIMIT:
            block.drop_tree()
        elif node.is_tail:
            parent.tail = ""
        else:
            parent.text = ""


def _trafilatura_lines(document: str, url: str | None) -> list[str]:
    text = trafilatura.extract(
        document, url=url, include_tables=False, include_comments=False,
        include_images=False, include_links=False, deduplicate=False,
    )
    # txt output marks list items with "- "; the list item is the paragraph
    lines = [normalize_space(re.sub(r"^- ", "", line)) for line in (text or "").splitlines()]
    return [line for line in lines if not DATED_LINK.match(line)]


def _raw_lines(html: str, url: str | None) -> list[str]:
    fragment = _marked_fragment(html)
    root = parse_html(f"<html><body><div>{fragment}</div></body></html>" if fragment is not None else html)
    container = root.find("body/div") if fragment is not None else content_container(root)
    if container is None:
        _prune_furniture(root)
        container = _densest_block(root)
    if container is not None:
        _flatten_data_tables(container)
        return [text for text, _ in text_lines(container)]
    return _trafilatura_lines(etree.tostring(root, encoding="unicode", method="html"), url)


def _densest_block(root: etree._Element) -> etree._Element | None:
    """No known container: the block holding most paragraph and table text among those
    with at least three <p> of their own. Trafilatura drops tables (tables on would let
    layout tables in), and a 年报's statistics tables are its content."""
    blocks = [el for el in root.iter("td", "div", "article", "section")
              if sum(1 for child in el if child.tag == "p") >= 3]
    return max(blocks, key=lambda el: sum(len(c.text_content()) for c in el if c.tag in ("p", "table")),
               default=None)


def _is_furniture(line: str) -> bool:
    short = len(line) <= SHORT_LINE
    return bool(FURNITURE_LINE.match(line) or (short and FURNITURE_PHRASE.search(line)))


def _drop_furniture(lines: list[str]) -> list[str]:
    kept: list[str] = []
    for line in lines:
        if TAIL_MARKER.match(line):
            break
        if line and not _is_furniture(line):
            kept.append(line)
    return kept


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _drop_title(paragraphs: list[str], title: str | None) -> list[str]:
    """Drop the title when the document repeats it at its top, whole or split over lines."""
    target = _squash(title or "")
    if not target:
        return paragraphs
    for start in range(min(3, len(paragraphs))):
        joined = ""
        for end in range(start, min(start + 4, len(paragraphs))):
            joined += _squash(paragraphs[end])
            if joined == target:
                return _drop_title(paragraphs[:start] + paragraphs[end + 1:], title)
            if not target.startswith(joined):
                break
    return paragraphs


def extract_body(html: str, url: str | None = None, title: str | None = None) -> list[str]:
    """The report's clean paragraphs, one list item per paragraph (may be empty)."""
    paragraphs = _drop_furniture(_raw_lines(html, url))
    return _drop_title(paragraphs, title)
