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

import pypdfium2 as pdfium
import pypdfium2.raw as raw

RULES = 6
"""Ruling subpaths on a page from which it may hold a table (attachments._has_rules counts the same)."""
MAX_TABLE_SUBPATHS = 5_000
"""Subpaths, over the document's ruled pages, the table reader is given (a few seconds' work);
a real report's tables draw a few hundred a page."""


class EncryptedPDF(Exception):
    """The PDF needs a password to be opened."""


class Char:
    """One glyph, placed as pdfminer's LTChar is (PDF points, origin bottom left). A plain
    class with slots, hashed by identity: a frozen dataclass's __init__ (object.__setattr__
    per field) cost 2 µs a character, as much as a PDFium call."""
    __slots__ = ("text", "x0", "x1", "y0", "y1", "size")

    def __init__(self, text: str, x0: float, x1: float, y0: float, y1: float, size: float):
        self.text, self.x0, self.x1, self.y0, self.y1, self.size = text, x0, x1, y0, y1, size

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


def _direct(name: str):
    """The raw PDFium function `name` called through a prototype whose pointer arguments are
    plain addresses (c_void_p): pypdfium2's bindings type them as pointers to its structs,
    which ctypes checks on every call — ~1.4 µs a call against ~1.0 here, and the character
    loop makes a few calls a character."""
    function = getattr(raw, name)
    argtypes = [ctypes.c_void_p if issubclass(t, ctypes._Pointer) else t for t in function.argtypes]
    return ctypes.CFUNCTYPE(function.restype, *argtypes)(ctypes.cast(function, ctypes.c_void_p).value)


_count_chars = _direct("FPDFText_CountChars")
_unicode = _direct("FPDFText_GetUnicode")
_generated = _direct("FPDFText_IsGenerated")
_unmapped = _direct("FPDFText_HasUnicodeMapError")
_char_matrix = _direct("FPDFText_GetMatrix")
_loose_box = _direct("FPDFText_GetLooseCharBox")
_font_size = _direct("FPDFText_GetFontSize")


def _page_chars(page) -> list[Char]:
    """The page's characters, one PDFium query at a time (PDFium has no bulk call for boxes),
    each asked only when the answer can still matter: a generated character (PDFium's own
    spaces and line breaks) is dropped before its code is read, an unmapped one is "(cid:0)"
    whatever its code, and whitespace is dropped before its matrix, box and size are read."""
    textpage = page.get_textpage()
    try:
        handle = ctypes.c_void_p(ctypes.cast(textpage.raw, ctypes.c_void_p).value)
        box, matrix = raw.FS_RECTF(), raw.FS_MATRIX()
        box_at, matrix_at = ctypes.addressof(box), ctypes.addressof(matrix)
        generated, unmapped, unicode, char_matrix, loose_box, font_size = (
            _generated, _unmapped, _unicode, _char_matrix, _loose_box, _font_size)
        sqrt = math.sqrt
        chars = []
        for i in range(_count_chars(handle)):
            if generated(handle, i) == 1:
                continue
            if unmapped(handle, i) == 1:
                text = "(cid:0)"
            else:
                code = unicode(handle, i)
                text = chr(code) if 0 < code < 0x110000 else ""
                if not text.strip():
                    continue
            char_matrix(handle, i, matrix_at)
            a, b, c, d = matrix.a, matrix.b, matrix.c, matrix.d
            if not (a * d > 0 and b * c <= 0 and abs(b) < 1e-6 and abs(c) < 1e-6):
                continue  # rotated or mirrored text: pdfminer's "upright" test
            if not loose_box(handle, i, box_at):
                continue
            size = font_size(handle, i) * sqrt(abs(a * d - b * c))
            bottom = box.bottom
            chars.append(Char(text, box.left, box.right, bottom, bottom + size, size))
        return chars
    finally:
        textpage.close()
