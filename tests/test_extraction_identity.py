"""The faster forms of extraction's inner loops give exactly what the forms they replaced gave.

dom.text_lines (every page's lines, read twice a page: the label reader's raw lines and the
body's) and attachments._page_lines / _row_line (every PDF line) were made cheaper without
changing what they compute; the references below are those functions as they were (commit
47c168a), run on the same input as the new ones: the HTML of the fixture corpus (the pages,
the real pages, the portals and hold-out rounds, a stride of the rest) and malformed pages of
the fuzz set, and the characters of every PDF in tests/fixtures and of the attachment fuzz
set. Lines are compared field by field, floats exactly, elements by their place in the tree.
"""
from __future__ import annotations

import re
import statistics
from pathlib import Path

import pytest
from w3lib.encoding import html_to_unicode

from crawler.extract import attachments, dom, pdfium_text
from crawler.extract.dom import BLOCK_TAGS, BOX_ATTR, CELL_TAGS, INLINE_MARK, MAX_LINES, SKIP_TAGS, Line
from crawler.extract.metadata import mark_boxes, read_labels
from tests.fuzzfiles import cases
from tests.fuzzpages import pages as fuzz_pages

FIXTURES = Path(__file__).parent / "fixtures"


# -- the references: the functions as they were ------------------------------------------------
def reference_text_lines(root, raw=False, container=None, skip_marked=False, limit=MAX_LINES):
    lines, buf = [], []
    mark = INLINE_MARK if raw else ""
    blocks, rows, inside = [], [], [0]

    def flush(cell=False, keep_empty=False):
        text = "".join(buf)
        buf.clear()
        if len(lines) < limit and (keep_empty or dom.normalize_space(text.replace(INLINE_MARK, ""))):
            text = re.sub(r"\s*\n\s*", " ", text) if raw else dom.normalize_space(text)
            lines.append(Line(text, cell, blocks[-1][0] if blocks else root, rows[-1] if rows else None,
                              inside[0] > 0))

    stack = [(root, False)]
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


def reference_page_lines(chars):
    rows = []
    for char in sorted(chars, key=lambda c: (-(c.y0 + c.y1) / 2, c.x0)):
        if rows and abs(_centre(rows[-1][0]) - _centre(char)) < 0.5 * max(rows[-1][0].size, char.size):
            rows[-1].append(char)
        else:
            rows.append([char])
    return [reference_row_line(sorted(row, key=lambda c: c.x0)) for row in rows]


def _centre(char):
    return (char.y0 + char.y1) / 2


def reference_row_line(row):
    parts, previous = [], None
    for char in row:
        text = char.get_text()
        if previous is not None:
            gap = char.x0 - previous.x1
            size = max(char.size, previous.size)
            if text == previous.get_text() and char.x0 - previous.x0 < 0.3 * previous.width:
                continue
            latin = parts[-1][-1].isascii() and text[0].isascii()
            if gap > size or (latin and gap > 0.15 * size):
                parts.append(" ")
        parts.append(text)
        previous = char
    return ("".join(parts), row[0].x0, max(c.x1 for c in row), _centre(row[0]), statistics.median(c.size for c in row))


# -- the corpus -----------------------------------------------------------------------------------
def _html_files() -> list[Path]:
    files = sorted(p for p in FIXTURES.rglob("*") if p.suffix in (".html", ".htm", ".shtml", ".jsp"))
    whole = ("pages", "realpages", "portals", "holdout")
    return [p for n, p in enumerate(files) if p.relative_to(FIXTURES).parts[0] in whole or n % 10 == 0]


def _pages() -> list[tuple[str, str]]:
    out = [(str(p.relative_to(FIXTURES)), html_to_unicode(None, p.read_bytes())[1]) for p in _html_files()]
    return out + [(f"fuzz-{n}", html) for n, first, continued in fuzz_pages(20261201, 150)
                  for html in [first, *continued]]


def _described(lines, root) -> list[tuple]:
    tree = root.getroottree()
    return [(line.text, line.cell, tree.getpath(line.block), line.row is not None and tree.getpath(line.row),
             line.contained) for line in lines]


PAGES = _pages()


def test_the_corpus_is_large_and_varied():
    assert len(PAGES) > 700
    lines = sum(len(reference_text_lines(dom.parse_html(html), raw=True)) for _, html in PAGES[::20])
    assert lines > 1_000


@pytest.mark.parametrize("chunk", range(8))
def test_text_lines_are_the_references(chunk):
    """Raw lines with the content container (the label reader's), plain lines (the body's), lines
    without marked boxes (the body's tables), and a small limit — on every page of the chunk."""
    for name, html in PAGES[chunk::8]:
        root = dom.parse_html(html)
        container = dom.content_container(root)
        assert _described(dom.text_lines(root, raw=True, container=container), root) == \
            _described(reference_text_lines(root, raw=True, container=container), root), name
        mark_boxes(read_labels(dom.text_lines(root, raw=True, container=container), root, container)
                   .contained_boxes, container)
        for kwargs in ({}, {"skip_marked": True}, {"limit": 7}, {"raw": True, "limit": 3}):
            assert _described(dom.text_lines(root, **kwargs), root) == \
                _described(reference_text_lines(root, **kwargs), root), (name, kwargs)


def _pdf_pages() -> list[tuple[str, list]]:
    files = [(str(p.relative_to(FIXTURES)), p.read_bytes()) for p in sorted(FIXTURES.rglob("*.pdf"))]
    files += [(name, data) for name, data, kind in cases(20261201, 240) if kind == "pdf" and data]
    out = []
    for name, data in files:
        try:
            reading = pdfium_text.read_pdf(data)
        except Exception:   # noqa: BLE001 - a PDF PDFium cannot read has no characters to compare
            continue
        out += [(f"{name}#{n}", chars) for n, chars in enumerate(reading.pages or [])]
    return out


def test_pdf_lines_are_the_references():
    compared = 0
    for name, chars in _pdf_pages():
        new = [(line.text, line.x0, line.x1, line.y, line.size) for line in attachments._page_lines(chars)]
        assert new == reference_page_lines(chars), name
        compared += len(new)
    assert compared > 2_000
