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
*inside* their content area (编辑:, 扫一扫…, an aggregator's 小编 lines, the
"pdf下载 word下载" bar of a box).

A 政务公开 box some sites put *inside* the container is read by metadata.py
first, which marks its elements; the body leaves the marked elements out.
The body works on a copy of the page's tree (page.py parses each page once).
"""
from __future__ import annotations

import copy
import re
from typing import TYPE_CHECKING

import trafilatura
from lxml import etree

from .dom import (
    BLOCK_TAGS,
    BOX_ATTR,
    CELL_TAGS,
    content_container,
    detail_json,
    normalize_space,
    parse_html,
    text_exceeds,
    text_lines,
)
from .vocabulary import (
    ATTACHMENT_HEADING,
    DOWNLOAD_LINE,
    FILE_HREF,
    FURNITURE_LINE,
    FURNITURE_PHRASE,
    PAGER_LINE,
    TAIL_MARKER,
)

if TYPE_CHECKING:  # pragma: no cover
    from .page import Page

__all__ = ["content_container", "detail_json", "extract_body", "normalize_space", "page_paragraphs"]

# Hanweb jcms marks the document field in comments / empty meta tags.
HANWEB_MARKERS = (
    re.compile(r"<!--<\$\[信息内容\]>begin-->(.*?)<!--<\$\[信息内容\]>end-->", re.S),
    re.compile(r"<meta\s+name=[\"']?ContentStart[\"']?\s*/?>(.*?)<meta\s+name=[\"']?ContentEnd", re.S | re.I),
)
SHORT_LINE = 100
TITLE_REPEATS = 3  # a title printed more often than this at the top is the document's own text
DOWNLOAD_MAX = 60
PRUNE_LIMIT = 400
# "Some other report title 2019-10-18": an entry of a dated link list, which
# whole-page extraction can let through (a container holds none).
DATED_LINK = re.compile(r"^[^|]{4,60}?\s*[\[(（]?\d{4}[-/.]\d{1,2}[-/.]\d{1,2}[\])）]?$")


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
        if table.find(".//table") is not None or table.getparent() is None:
            continue
        rows = [[cell for cell in tr if cell.tag in ("td", "th")] for tr in table.iter("tr")]
        if not any(len(row) >= 2 for row in rows):
            continue
        block = etree.Element("div")
        for row in rows:
            texts = [" ".join(line.text for line in text_lines(cell, skip_marked=True) if line.text) for cell in row]
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
        if not FURNITURE_LINE.match(normalize_space(str(node)[:200])):
            continue
        parent = node.getparent()
        block = parent
        while block is not None and block.tag not in BLOCK_TAGS:
            block = block.getparent()
        if block is not None and block.tag in CELL_TAGS:
            block = block.getparent()
        if block is not None and block.getparent() is not None and not text_exceeds(block, PRUNE_LIMIT):
            block.drop_tree()
        elif node.is_tail:
            parent.tail = ""
        else:
            parent.text = ""


def _drop_marked(root: etree._Element) -> None:
    """Leave out the metadata boxes metadata.py read inside the content container."""
    for el in root.xpath(f"//*[@{BOX_ATTR}]"):
        if el.getparent() is not None:
            el.drop_tree()


def _trafilatura_lines(document: str, url: str | None) -> list[str]:
    text = trafilatura.extract(
        document, url=url, include_tables=False, include_comments=False,
        include_images=False, include_links=False, deduplicate=False,
    )
    # txt output marks list items with "- "; the list item is the paragraph
    lines = [normalize_space(re.sub(r"^- ", "", line)) for line in (text or "").splitlines()]
    return [line for line in lines if not DATED_LINK.match(line)]


def _file_links(container: etree._Element) -> set[str]:
    """The texts of the container's links to files (FILE_HREF, or a download attribute)."""
    texts = set()
    for a in container.iter("a"):
        href = (a.get("href") or "").split("#")[0]
        if a.get("download") is not None or FILE_HREF.search(href):
            text = normalize_space(a.text_content())
            if text:
                texts.add(text)
    return texts


def _drop_download_list(lines: list[str], file_links: set[str]) -> list[str]:
    """Cut the download list that closes the body: trailing lines that are each just a link to a file, and
    the bare 附件 heading above them. A document's own 附件说明 ("附件：1.…", plain text) stays."""
    end = len(lines)
    while end and lines[end - 1] in file_links:
        end -= 1
    if end and ATTACHMENT_HEADING.match(lines[end - 1]):
        end -= 1
    return lines[:end]


def _raw_lines(page: Page) -> tuple[list[str], set[str]]:
    """The text lines of the document: its marked fragment, its container, the densest block, or what
    trafilatura finds on the pruned page, in that order; and the texts of the file links among them."""
    fragment = _marked_fragment(page.html)
    if fragment is not None:
        container = parse_html(f"<html><body><div>{fragment}</div></body></html>").find("body/div")
    else:
        page.read_boxes()  # reads (and marks) the boxes inside the container first
        container = copy.deepcopy(page.container) if page.container is not None else None
        if container is None:
            root = copy.deepcopy(page.root)
            _drop_marked(root)
            _prune_furniture(root)
            container = _densest_block(root)
            if container is None:
                return _trafilatura_lines(etree.tostring(root, encoding="unicode", method="html"), page.url), set()
    if container is None:
        return [], set()
    _drop_marked(container)
    _flatten_data_tables(container)
    return [line.text for line in text_lines(container)], _file_links(container)


def _densest_block(root: etree._Element) -> etree._Element | None:
    """No known container: the block holding most paragraph and table text among those
    with at least three <p> of their own. Trafilatura drops tables (tables on would let
    layout tables in), and a 年报's statistics tables are its content. A page with no such
    block may write its lines with <br> (a form-like 公告): then the block with at least
    three <br> of its own that holds the most text outside links."""
    blocks = [el for el in root.iter("td", "div", "article", "section")
              if sum(1 for child in el if child.tag == "p") >= 3]
    if blocks:
        return max(blocks, key=lambda el: sum(len(c.text_content()) for c in el if c.tag in ("p", "table")))
    broken = [el for el in root.iter("td", "div", "span", "article", "section")
              if sum(1 for child in el if child.tag == "br") >= 3]
    return max(broken, key=_unlinked_text, default=None)


def _unlinked_text(el: etree._Element) -> int:
    """Characters of visible text in the element outside links."""
    total = len(normalize_space(el.text_content()))
    return total - sum(len(normalize_space(a.text_content())) for a in el.iter("a"))


def _is_furniture(line: str) -> bool:
    short = len(line) <= SHORT_LINE
    return bool(FURNITURE_LINE.match(line) or (short and FURNITURE_PHRASE.search(line))
                or (len(line) <= DOWNLOAD_MAX and (DOWNLOAD_LINE.match(line) or _is_pager(line))))


def _is_pager(line: str) -> bool:
    """A pager line: page numbers and 上一页/下一页 only, with at least two entries (a lone "1" may be a
    table's figure)."""
    return bool(PAGER_LINE.match(line)) and len(re.findall(r"\d+|页", line)) >= 2


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


def _title_span(paragraphs: list[str], target: str) -> tuple[int, int] | None:
    """(start, end) of the title repeated at the document's top, whole or split over up to four lines."""
    for start in range(min(3, len(paragraphs))):
        joined = ""
        for end in range(start, min(start + 4, len(paragraphs))):
            joined += _squash(paragraphs[end])
            if joined == target:
                return start, end
            if not target.startswith(joined):
                break
    return None


def _drop_title(paragraphs: list[str], title: str | None, doc_no: str | None = None) -> list[str]:
    """Drop the title when the document repeats it at its top (up to TITLE_REPEATS times), and the 文号 line
    under it (a 红头 document prints both above its text; they are the page's metadata, not its body)."""
    target = _squash(title or "")
    for _ in range(TITLE_REPEATS):
        span = _title_span(paragraphs, target) if target else None
        if span is None:
            break
        paragraphs = paragraphs[:span[0]] + paragraphs[span[1] + 1:]
    number = _squash(doc_no or "")
    if number:
        top = [i for i, p in enumerate(paragraphs[:3]) if _squash(p) == number]
        if top:
            paragraphs = paragraphs[:top[0]] + paragraphs[top[0] + 1:]
    return paragraphs


def page_paragraphs(page: Page, title: str | None = None, doc_no: str | None = None) -> list[str]:
    """The report's clean paragraphs on this page, the title and 文号 it repeats at its top dropped."""
    lines, file_links = _raw_lines(page)
    return _drop_title(_drop_download_list(_drop_furniture(lines), file_links), title, doc_no)


def extract_body(html: str, url: str | None = None, title: str | None = None) -> list[str]:
    """The report's clean paragraphs, one list item per paragraph (may be empty)."""
    from .page import Page
    return page_paragraphs(Page(html, url), title)
