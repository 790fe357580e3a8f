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


class PdfReading:
    """What one pass over a PDF's pages learns: each page's characters (`pages`, None when the
    table reader must read the document, as pdf_chars says) and the pages that can hold a
    ruled table (`ruled`, exactly ruled_pages' answer). The analysis (disclosure.pdf_grids)
    needs the second; carried from the attachment's reading to it, the pages are not loaded
    a second time (page loading is most of ruled_pages' cost)."""
    __slots__ = ("pages", "ruled")

    def __init__(self, pages: list[list[Char]] | None, ruled: list[int]):
        self.pages, self.ruled = pages, ruled


def pdf_chars(data: bytes) -> list[list[Char]] | None:
    """Each page's upright, visible characters; None when a page with text has ruling lines
    and the document's ruled pages are few enough strokes for the table reader."""
    return read_pdf(data).pages


def read_pdf(data: bytes) -> PdfReading:
    """pdf_chars' answer and ruled_pages' in one pass over the pages. Raises EncryptedPDF, or
    PdfiumError when PDFium cannot open the file (ruled_pages then answers None: the caller
    looks at every page)."""
    try:
        document = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        if "password" in str(exc).lower():
            raise EncryptedPDF(str(exc)) from exc
        raise
    try:
        pages, table_subpaths, ruled, ruled_subpaths = [], 0, [], 0
        for index in range(len(document)):
            page = document[index]
            try:
                chars, count = _read_page(page)
                # a page with no character left (none, or only spaces, rotated or boxless
                # ones) is never the table reader's; one with PDFium characters may be ruled
                subpaths = _subpaths(page, MAX_TABLE_SUBPATHS + 1) if count > 0 else 0
                if chars and subpaths >= RULES:
                    table_subpaths += subpaths
                if subpaths >= RULES and ruled_subpaths + subpaths <= MAX_TABLE_SUBPATHS:
                    ruled.append(index)   # as ruled_pages: rules, text, and within the cap
                    ruled_subpaths += subpaths
                pages.append(chars)
            finally:
                page.close()
        return PdfReading(None if 0 < table_subpaths <= MAX_TABLE_SUBPATHS else pages, ruled)
    finally:
        document.close()


def ruled_pages(data: bytes) -> list[int] | None:
    """The numbers (from 0) of the pages with ruling lines and text, the only ones that can hold
    a ruled table, as long as their subpaths stay within MAX_TABLE_SUBPATHS (pdfplumber's cost
    grows with them); None when PDFium cannot open the file (the caller then looks at every page).
    read_pdf gives the same list while it reads the characters."""
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
    """Subpaths among the page's own objects, counted up to `enough` (the raw calls through
    `_direct`'s prototypes: a ruled page has thousands of path segments)."""
    handle = ctypes.c_void_p(ctypes.cast(page.raw, ctypes.c_void_p).value)
    object_type, count_segments, segment, segment_type = (
        _object_type, _count_segments, _segment, _segment_type)
    path, moveto = raw.FPDF_PAGEOBJ_PATH, raw.FPDF_SEGMENT_MOVETO
    subpaths = 0
    for n in range(_count_objects(handle)):
        obj = _object(handle, n)
        if object_type(obj) != path:
            continue
        for s in range(count_segments(obj)):
            if segment_type(segment(obj, s)) == moveto:
                subpaths += 1
        if subpaths >= enough:
            break
    return subpaths


def _direct(name: str, restype=None):
    """The raw PDFium function `name` called through a prototype whose pointer arguments are
    plain addresses (c_void_p): pypdfium2's bindings type them as pointers to its structs,
    which ctypes checks on every call — ~1.4 µs a call against ~1.0 here, and the character
    loop makes a few calls a character. `restype` overrides the result's type (c_void_p: an
    address as an int, usable as a key)."""
    function = getattr(raw, name)
    argtypes = [ctypes.c_void_p if issubclass(t, ctypes._Pointer) else t for t in function.argtypes]
    prototype = ctypes.CFUNCTYPE(restype or function.restype, *argtypes)
    return prototype(ctypes.cast(function, ctypes.c_void_p).value)


_count_chars = _direct("FPDFText_CountChars")
_page_text = _direct("FPDFText_GetText")
_unicode = _direct("FPDFText_GetUnicode")
_unmapped = _direct("FPDFText_HasUnicodeMapError")
_text_object = _direct("FPDFText_GetTextObject", ctypes.c_void_p)
_char_matrix = _direct("FPDFText_GetMatrix")
_loose_box = _direct("FPDFText_GetLooseCharBox")
_font_size = _direct("FPDFText_GetFontSize")
_count_objects = _direct("FPDFPage_CountObjects")
_object = _direct("FPDFPage_GetObject", ctypes.c_void_p)
_object_type = _direct("FPDFPageObj_GetType")
_count_segments = _direct("FPDFPath_CountSegments")
_segment = _direct("FPDFPath_GetPathSegment", ctypes.c_void_p)
_segment_type = _direct("FPDFPathSegment_GetType")


def _codes(handle, count: int) -> list[int] | None:
    """Every character's Unicode code in one call (FPDFText_GetText), or None when the page's
    text is not one code unit per character: PDFium leaves control characters (codes 2, 3,
    0x93…) and code 0 out of it and writes a code above U+FFFF as two, so the text's positions
    are the characters' only when its length is the count and it holds no surrogate; else
    the caller asks each character (FPDFText_GetUnicode)."""
    if count <= 0:
        return []
    buffer = (ctypes.c_ushort * (count + 1))()
    written = _page_text(handle, 0, count, ctypes.addressof(buffer)) - 1  # less the final NUL
    if written != count:
        return None
    codes = buffer[:count]
    return None if any(0xD800 <= code <= 0xDFFF for code in codes) else codes


def _placement(handle, i: int, matrix, matrix_at: int) -> float | None:
    """The font size of character i as pdfminer gives it (PDFium's size times the scale of
    the character's matrix), or None for a rotated or mirrored character (pdfminer's
    "upright" test). The same for every character of one text object: PDFium gives each the
    object's matrix (its text matrix times the form's) and font size."""
    _char_matrix(handle, i, matrix_at)
    a, b, c, d = matrix.a, matrix.b, matrix.c, matrix.d
    if not (a * d > 0 and b * c <= 0 and abs(b) < 1e-6 and abs(c) < 1e-6):
        return None
    return _font_size(handle, i) * math.sqrt(abs(a * d - b * c))


def _page_chars(page) -> list[Char]:
    """The page's characters (_read_page)."""
    return _read_page(page)[0]


def _read_page(page) -> tuple[list[Char], int]:
    """The page's characters, and PDFium's count of characters on it (which ruled_pages'
    "text" test reads). PDFium answers one question about one character a call (it has
    no bulk call for boxes), so each call is made only when its answer can still matter: the
    codes come in one call for the page, an unmapped character is "(cid:0)" whatever its code,
    whitespace is dropped before its box is read, and the matrix and size are read once a text
    object. A generated character (PDFium's own spaces and line breaks) needs no call of its
    own (FPDFText_IsGenerated): PDFium gives a character one type (normal, generated, not
    Unicode, hyphen, piece), so a generated one is never "unmapped", and it generates only
    ' ', '\r' and '\n' (CPDF_TextPage::GenerateCharInfo's callers), which are whitespace."""
    textpage = page.get_textpage()
    try:
        handle = ctypes.c_void_p(ctypes.cast(textpage.raw, ctypes.c_void_p).value)
        box, matrix = raw.FS_RECTF(), raw.FS_MATRIX()
        box_at, matrix_at = ctypes.addressof(box), ctypes.addressof(matrix)
        unmapped, unicode, text_object, loose_box = _unmapped, _unicode, _text_object, _loose_box
        count = _count_chars(handle)
        codes = _codes(handle, count)
        sizes: dict[int, float | None] = {}
        chars = []
        for i in range(count):
            if unmapped(handle, i) == 1:
                text = "(cid:0)"
            else:
                code = codes[i] if codes is not None else unicode(handle, i)
                text = chr(code) if 0 < code < 0x110000 else ""
                if not text.strip():
                    continue
            owner = text_object(handle, i)
            if not owner:
                size = _placement(handle, i, matrix, matrix_at)
            elif owner in sizes:
                size = sizes[owner]
            else:
                size = sizes[owner] = _placement(handle, i, matrix, matrix_at)
            if size is None:
                continue  # rotated or mirrored text
            if not loose_box(handle, i, box_at):
                continue
            bottom = box.bottom
            chars.append(Char(text, box.left, box.right, bottom, bottom + size, size))
        return chars, count
    finally:
        textpage.close()
