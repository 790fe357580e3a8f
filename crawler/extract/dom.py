"""The page as a tree and as lines in reading order: parsing, hidden-element pruning, the content container.

Shared by metadata.py and body.py through page.py, which parses each page once. Every walk here is bounded by
the page's size (no step re-reads a subtree per node), and the input is capped and cleaned before lxml sees it,
so a hostile page costs time in proportion to its bytes and never raises.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass

from lxml import etree
from lxml import html as lxml_html

# Bigger pages are cut before parsing: 3 M characters is ten times the largest report page seen, and lxml's
# tree takes some fifty bytes per character.
MAX_CHARS = 3_000_000
# Lines read from one page; a report of 500 pages is some 20,000 lines.
MAX_LINES = 60_000

# Known content containers, most specific first; the first selector that finds a non-empty element wins, and
# among its matches the one with the most text.
CONTAINER_XPATHS = (
    "//*[@id='UCAP-CONTENT'] | //ucapcontent",
    "//*[@id='zoom' or @id='Zoom']",
    "//*[contains(concat(' ', normalize-space(@class), ' '), ' TRS_UEDITOR ')]",
    "//*[contains(concat(' ', normalize-space(@class), ' '), ' TRS_Editor ')]",
    "//*[@id='ivs_content']",
    "//*[contains(concat(' ', normalize-space(@class), ' '), ' article_content ')]",
    "//*[@id='wenzhang-content']",
)
MAX_MATCHES = 50  # container candidates weighed per selector
# 广东 gkmlpt: the document as JSON, ``window._CONFIG.DETAIL = {…}`` or
# ``window._CONFIG = {SID: '…', DETAIL: {…}}``; [^<]* keeps the match inside one script.
DETAIL_START = re.compile(r"_CONFIG\b[^<]{0,5000}?\bDETAIL\s*[:=]\s*(?=\{)")
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
# Characters XML (hence lxml) refuses: C0 controls but tab/newline/return, lone surrogates, U+FFFE/U+FFFF.
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
INLINE_MARK = "\ue000"  # a private-use character, used only as a boundary
SOURCE_BREAK = re.compile(r"\s*\n\s*")  # a line break of the source, folded in raw lines
# Set on the elements of a metadata box read inside the content container: the body leaves them out.
BOX_ATTR = "data-extract-box"


def normalize_space(text: str) -> str:
    """Collapse every kind of whitespace (nbsp, ensp, U+3000 …) to one space."""
    return " ".join(text.split())


def clean_text(text: str | None) -> str:
    """The text lxml can hold: capped at MAX_CHARS, without the control characters XML forbids, and without
    the private-use boundary mark (a page that carries it must not fake element edges)."""
    text = (text or "")[:MAX_CHARS]
    return NOT_XML.sub("", text).replace(INLINE_MARK, "")


def parse_html(html: str | None) -> etree._Element:
    """An lxml tree of the page with hidden (ng-hide, display:none) elements removed; never raises.

    Rendered single-page apps keep hidden duplicates of the document; browsers do not show them, so neither do
    we. An XHTML page's XML declaration is dropped: lxml refuses one in an already decoded string. A document
    lxml finds empty (whitespace, a lone comment or doctype) is an empty page.
    """
    html = XML_DECLARATION.sub("", clean_text(html), count=1)
    # a stray early </html> or </body> (real gov.cn header includes end with one) would
    # leave the rest of the page outside the root; browsers ignore such tags, so do we
    html = STRAY_END.sub("", html)
    try:
        root = lxml_html.document_fromstring(html) if html.strip() else None
    except (etree.ParserError, ValueError):
        root = None
    if root is None or not isinstance(root.tag, str):
        root = lxml_html.document_fromstring("<html><body></body></html>")
    for el in root.xpath(HIDDEN_XPATH):
        if el.getparent() is not None:
            el.drop_tree()
    return root


@dataclass
class Line:
    """One line of visible text in reading order.

    `text` keeps the whitespace inside the line and marks inline element edges with INLINE_MARK (raw mode),
    `cell` says the line ended a table/dl cell, `block` is the element the line belongs to, `row` the table row
    around it, `contained` whether it lies in the content container.
    """
    text: str
    cell: bool
    block: etree._Element
    row: etree._Element | None
    contained: bool


def text_lines(root: etree._Element, raw: bool = False, container: etree._Element | None = None,
               skip_marked: bool = False, limit: int = MAX_LINES) -> list[Line]:
    """The element's visible text as Lines (see Line), in document order; at most `limit` lines.

    Block elements end a line; cells end a line even when empty, so that a label cell followed by an empty
    value cell can be told from a label followed by the next label. Comments contribute nothing (their tails
    do). With raw=True the whitespace inside a line is kept (only source line breaks are folded) and inline
    element edges are marked with INLINE_MARK: the gaps and element edges are where a metadata value ends.
    With skip_marked, the elements marked as a metadata box (BOX_ATTR) are left out.
    The walk keeps its own stack: no recursion, one visit per node.
    """
    lines: list[Line] = []
    buf: list[str] = []
    mark = INLINE_MARK if raw else ""
    blocks: list[tuple[etree._Element, int]] = []  # open blocks and the line count when each opened
    rows: list[etree._Element] = []
    inside = [0]

    def flush(cell: bool = False, keep_empty: bool = False) -> None:
        # every block's start and end flushes, most with nothing gathered: those return at once;
        # whether a line has text is strip()'s answer (the whitespace split() collapses)
        if not buf and not keep_empty:
            return
        text = "".join(buf)
        buf.clear()
        if len(lines) < limit and (keep_empty or text.replace(INLINE_MARK, "").strip()):
            text = SOURCE_BREAK.sub(" ", text) if raw else normalize_space(text)
            lines.append(Line(text, cell, blocks[-1][0] if blocks else root, rows[-1] if rows else None,
                              inside[0] > 0))

    # (element, closing): a child's mark opens its visit, its tail is read when it closes
    stack: list[tuple[etree._Element, bool]] = [(root, False)]
    while stack and len(lines) < limit:
        el, closing = stack.pop()
        tag = el.tag if isinstance(el.tag, str) else None
        if closing:
            if tag in BLOCK_TAGS:
                cell = tag in CELL_TAGS
                flush(cell=cell, keep_empty=cell and len(lines) == blocks[-1][1])
                blocks.pop()
            if tag == "tr":
                rows.pop()
            if el is container:
                inside[0] -= 1
            if el is not root:
                buf.append(mark + (el.tail or ""))
            continue
        if el is not root:
            buf.append(mark)
        if tag is None or tag in SKIP_TAGS or (skip_marked and el.get(BOX_ATTR) is not None):
            if el is not root:
                buf.append(mark + (el.tail or ""))
            continue
        if tag in BLOCK_TAGS:
            flush()
            blocks.append((el, len(lines)))
        if tag == "tr":
            rows.append(el)
        if el is container:
            inside[0] += 1
        buf.append(el.text or "")
        stack.append((el, True))
        stack.extend((child, False) for child in reversed(el))
    flush()
    return lines


def text_exceeds(el: etree._Element, limit: int) -> bool:
    """True when the element's text is longer than `limit`; reads no further than that."""
    total = 0
    for piece in el.itertext():
        total += len(piece)
        if total > limit:
            return True
    return False


def bounded_text(el: etree._Element, limit: int) -> str:
    """The element's text, read no further than about `limit` characters."""
    parts: list[str] = []
    total = 0
    for piece in el.itertext():
        parts.append(piece)
        total += len(piece)
        if total > limit:
            break
    return "".join(parts)


def content_container(root: etree._Element) -> etree._Element | None:
    """The element a known CMS keeps the document in, or None.

    The first selector that finds text wins (its longest match). A container that exists but is empty is
    still returned: the page says where its document is and has none there (an un-rendered SPA template),
    which is not a reason to read the navigation instead.
    """
    empty = None
    for xpath in CONTAINER_XPATHS:
        found = root.xpath(xpath)[:MAX_MATCHES]
        sizes = [(len(bounded_text(el, MAX_CHARS)), i) for i, el in enumerate(found)]
        with_text = [(size, -i) for size, i in sizes if normalize_space(bounded_text(found[i], 200))]
        if with_text:
            return found[-max(with_text)[1]]
        empty = empty if empty is not None or not found else found[0]
    return empty


def detail_json(html: str) -> dict:
    """The gkmlpt ``_CONFIG.DETAIL`` object, or {} when the page has none or a malformed one.

    Such a page's HTML is chrome around an empty ``#app``: the document, its title and its 索引号 exist only in
    this JSON.
    """
    match = DETAIL_START.search(html or "")
    if not match:
        return {}
    try:
        detail, _ = json.JSONDecoder().raw_decode(html, match.end())
    except (ValueError, RecursionError):
        return {}
    return detail if isinstance(detail, dict) else {}
