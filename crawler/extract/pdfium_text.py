"""The characters of a PDF through PDFium (pypdfium2): the fast engine for attachment text.

pdfminer interprets every content stream in Python — a few hundred milliseconds a page,
the largest share of a crawl's CPU (bench/README.md). PDFium does it in C++. This module
gives the characters in the shape attachments.py's line builder reads from pdfminer (text,
x0, x1, y0, y1, size), so the rest of the reader (lines, folios, running headers, paragraph
joining) is the same code for both engines:

- x0/x1 are PDFium's loose box, which is the glyph's advance as pdfminer's is; y0 the loose
  box's bottom (baseline + descent) and y1 = y0 + size, as pdfminer builds them;
- size is the font size times the scale of the character's matrix (PDFium reports the
  unscaled size: WPS writes `1 Tf` under a scaled matrix);
- a glyph PDFium cannot map to Unicode is "(cid:0)", as pdfminer prints one, so the check
  for fonts without a Unicode mapping is the same.

A page with ruling lines (six or more subpaths) and text may hold a table, which
attachments.py reads with pdfminer and pdfplumber: `pdf_chars` then returns None and the
caller takes that path for the document. That path costs ~1.3 ms a subpath (pdfplumber's
edges and intersections, pdfminer's objects), so it is taken only while the document's ruled
pages hold at most MAX_TABLE_SUBPATHS subpaths: a page drawn with 50,000 strokes (a vector
map, a crafted file) took 55 s and, larger, gigabytes. Past that the document is read by
PDFium alone, its tables as running text; a ruled page without a character is no table.
"""
from __future__ import annotations

import ctypes
import math
from dataclasses import dataclass

import pypdfium2 as pdfium
import pypdfium2.raw as raw

RULES = 6
"""Ruling subpaths on a page from which it may hold a table (attachments._has_rules counts the same)."""
MAX_TABLE_SUBPATHS = 5_000
"""Subpaths, over the document's ruled pages, the table reader is given (a few seconds' work);
a real report's tables draw a few hundred a page."""


class EncryptedPDF(Exception):
    """The PDF needs a password to be opened."""


@dataclass(frozen=True, eq=False)
class Char:
    """One glyph, placed as pdfminer's LTChar is (PDF points, origin bottom left)."""
    text: str
    x0: float
    x1: float
    y0: float
    y1: float
    size: float

    @property
    def width(self) -> float:
        return self.x1 - self.x0

    def get_text(self) -> str:
        return self.text


def pdf_chars(data: bytes) -> list[list[Char]] | None:
    """Each page's upright, visible characters; None when a page with text has ruling lines
    and the document's ruled pages are few enough strokes for the table reader."""
    try:
        document = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        if "password" in str(exc).lower():
            raise EncryptedPDF(str(exc)) from exc
        raise
    try:
        pages, ruled = [], 0
        for index in range(len(document)):
            page = document[index]
            try:
                chars = _page_chars(page)
                subpaths = _subpaths(page, MAX_TABLE_SUBPATHS + 1) if chars else 0
                if subpaths >= RULES:
                    ruled += subpaths
                pages.append(chars)
            finally:
                page.close()
        return None if 0 < ruled <= MAX_TABLE_SUBPATHS else pages
    finally:
        document.close()


def ruled_pages(data: bytes) -> list[int] | None:
    """The numbers (from 0) of the pages with ruling lines and text, the only ones that can hold
    a ruled table, as long as their subpaths stay within MAX_TABLE_SUBPATHS (pdfplumber's cost
    grows with them); None when PDFium cannot open the file (the caller then looks at every page)."""
    try:
        document = pdfium.PdfDocument(data)
    except pdfium.PdfiumError:
        return None
    try:
        out, total = [], 0
        for index in range(len(document)):
            page = document[index]
            try:
                subpaths = _subpaths(page, MAX_TABLE_SUBPATHS + 1)
                if subpaths >= RULES and total + subpaths <= MAX_TABLE_SUBPATHS and _has_text(page):
                    out.append(index)
                    total += subpaths
            finally:
                page.close()
        return out
    finally:
        document.close()


def _has_text(page) -> bool:
    textpage = page.get_textpage()
    try:
        return raw.FPDFText_CountChars(textpage.raw) > 0
    finally:
        textpage.close()


def _ruled(page) -> bool:
    """Six or more subpaths among the page's own objects (not inside form XObjects)."""
    return _subpaths(page, RULES) >= RULES


def _subpaths(page, enough: int) -> int:
    """Subpaths among the page's own objects, counted up to `enough`."""
    subpaths = 0
    for n in range(raw.FPDFPage_CountObjects(page.raw)):
        obj = raw.FPDFPage_GetObject(page.raw, n)
        if raw.FPDFPageObj_GetType(obj) != raw.FPDF_PAGEOBJ_PATH:
            continue
        for s in range(raw.FPDFPath_CountSegments(obj)):
            if raw.FPDFPathSegment_GetType(raw.FPDFPath_GetPathSegment(obj, s)) == raw.FPDF_SEGMENT_MOVETO:
                subpaths += 1
        if subpaths >= enough:
            break
    return subpaths


def _page_chars(page) -> list[Char]:
    textpage = page.get_textpage()
    try:
        handle = textpage.raw
        left, right, bottom, top = (ctypes.c_double() for _ in range(4))
        box = raw.FS_RECTF()
        matrix = raw.FS_MATRIX()
        chars = []
        for i in range(raw.FPDFText_CountChars(handle)):
            code = raw.FPDFText_GetUnicode(handle, i)
            if raw.FPDFText_IsGenerated(handle, i) == 1:
                continue
            unmapped = raw.FPDFText_HasUnicodeMapError(handle, i) == 1
            text = "(cid:0)" if unmapped else chr(code) if 0 < code < 0x110000 else ""
            if not text.strip():
                continue
            raw.FPDFText_GetMatrix(handle, i, matrix)
            if not (matrix.a * matrix.d > 0 and matrix.b * matrix.c <= 0
                    and abs(matrix.b) < 1e-6 and abs(matrix.c) < 1e-6):
                continue  # rotated or mirrored text: pdfminer's "upright" test
            if not raw.FPDFText_GetLooseCharBox(handle, i, box):
                continue
            size = raw.FPDFText_GetFontSize(handle, i) * math.sqrt(abs(matrix.a * matrix.d - matrix.b * matrix.c))
            chars.append(Char(text, box.left, box.right, box.bottom, box.bottom + size, size))
        return chars
    finally:
        textpage.close()
