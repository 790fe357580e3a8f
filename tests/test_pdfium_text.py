"""The PDFium character reader gives exactly the characters of the one it replaced.

`pdfium_text._page_chars` asks PDFium fewer questions a character (the page's codes in one
call, the matrix and font size once a text object, no code for a generated character); the
reference below is the reader as it was before (six pypdfium2 calls a character). Both read
the same loaded pages of every PDF in tests/fixtures and every PDF case of the attachment
fuzz set (broken real PDFs, crafted ones), and must agree on every character's text and
every coordinate, float for float; and the subpath count that sends a ruled page to the
table reader, against the count as it was.
"""
from __future__ import annotations

import ctypes
import math
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as raw
import pytest

from crawler.extract import pdfium_text
from tests.fuzzfiles import cases

FIXTURES = Path(__file__).parent / "fixtures"
SEED = 20261201   # test_attachment_fuzz.py's set, and more of it
CASES = 240


def reference_page_chars(page) -> list[tuple]:
    """The characters as the reader before this change read them (commit 4b8890f)."""
    textpage = page.get_textpage()
    try:
        handle = textpage.raw
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
                continue
            if not raw.FPDFText_GetLooseCharBox(handle, i, box):
                continue
            size = raw.FPDFText_GetFontSize(handle, i) * math.sqrt(abs(matrix.a * matrix.d - matrix.b * matrix.c))
            chars.append((text, box.left, box.right, box.bottom, box.bottom + size, size))
        return chars
    finally:
        textpage.close()


def reference_subpaths(page, enough: int) -> int:
    """Subpaths counted as before this change (pypdfium2's bindings)."""
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


def _pdfs() -> list[tuple[str, bytes]]:
    files = [(str(path.relative_to(FIXTURES)), path.read_bytes()) for path in sorted(FIXTURES.rglob("*.pdf"))]
    fuzzed = [(name, data) for name, data, kind in cases(SEED, CASES) if kind == "pdf" and data]
    return files + fuzzed


PDFS = _pdfs()


def _compare(data: bytes) -> int:
    """Characters (and ruling subpaths) compared on every page PDFium can load; raises on the
    first difference."""
    try:
        document = pdfium.PdfDocument(data)
    except pdfium.PdfiumError:
        return 0
    compared = 0
    try:
        for index in range(len(document)):
            try:
                page = document[index]
            except pdfium.PdfiumError:
                continue
            try:
                new = [(c.text, c.x0, c.x1, c.y0, c.y1, c.size) for c in pdfium_text._page_chars(page)]
                assert new == reference_page_chars(page), f"page {index}"
                for enough in (pdfium_text.RULES, pdfium_text.MAX_TABLE_SUBPATHS + 1):
                    assert pdfium_text._subpaths(page, enough) == reference_subpaths(page, enough), f"page {index}"
                compared += len(new)
            finally:
                page.close()
    finally:
        document.close()
    return compared


def test_the_corpus_has_text_to_compare():
    """Not a vacuous comparison: the fixtures' PDFs hold tens of thousands of characters, and
    some pages (among the fuzz set's) have text PDFium cannot give one code unit a character
    (the fallback's path)."""
    assert len([name for name, _ in PDFS if name.endswith(".pdf")]) >= 80
    total = sum(_compare(data) for name, data in PDFS if name.endswith(".pdf"))
    assert total > 50_000
    handles = 0
    for _, data in PDFS:
        try:
            document = pdfium.PdfDocument(data)
        except pdfium.PdfiumError:
            continue   # encrypted.pdf, broken ones
        with document:
            for index in range(len(document)):
                try:
                    page = document[index]
                except pdfium.PdfiumError:
                    continue
                textpage = page.get_textpage()
                handle = ctypes.c_void_p(ctypes.cast(textpage.raw, ctypes.c_void_p).value)
                count = pdfium_text._count_chars(handle)
                handles += count > 0 and pdfium_text._codes(handle, count) is None
                textpage.close()
                page.close()
    assert handles > 0   # the per-character fallback for the codes is exercised


@pytest.mark.parametrize("name,data", PDFS, ids=[name for name, _ in PDFS])
def test_the_same_characters_as_the_reference(name, data):
    _compare(data)


# -- one pass for the text and the ruled pages ---------------------------------------------
def reference_pdf_chars(data: bytes):
    """pdf_chars as it was before read_pdf (commit 47c168a): subpaths counted only on pages
    with characters, the document sent to the table reader when those pages' rules are few."""
    document = pdfium.PdfDocument(data)
    try:
        pages, ruled = [], 0
        for index in range(len(document)):
            page = document[index]
            try:
                chars = pdfium_text._page_chars(page)
                subpaths = pdfium_text._subpaths(page, pdfium_text.MAX_TABLE_SUBPATHS + 1) if chars else 0
                if subpaths >= pdfium_text.RULES:
                    ruled += subpaths
                pages.append(chars)
            finally:
                page.close()
        return None if 0 < ruled <= pdfium_text.MAX_TABLE_SUBPATHS else pages
    finally:
        document.close()


def _chars(pages):
    return None if pages is None else [[(c.text, c.x0, c.x1, c.y0, c.y1, c.size) for c in page] for page in pages]


def _outcome(function, data):
    """A function's answer, or the type of what it raised."""
    try:
        return "ok", function(data)
    except Exception as exc:   # noqa: BLE001 - what was raised is what is compared
        return "raised", type(exc).__name__


@pytest.mark.parametrize("name,data", PDFS, ids=[name for name, _ in PDFS])
def test_one_pass_gives_pdf_chars_answer_and_ruled_pages_answer(name, data):
    """read_pdf (what the attachment reader runs) against the two it replaces: the characters
    and the table reader's decision of pdf_chars as it was, float for float, and exactly the
    ruled pages ruled_pages finds by loading every page again (what the analysis asks when
    nothing was carried). Where read_pdf raises, the old reader raised the same."""
    status, reading = _outcome(pdfium_text.read_pdf, data)
    old_status, old_pages = _outcome(reference_pdf_chars, data)
    if status == "raised":
        # pdf_chars raised EncryptedPDF where PDFium asked for a password; the rest as they came
        assert old_status == "raised"
        return
    assert old_status == "ok"
    assert _chars(reading.pages) == _chars(old_pages)
    assert reading.ruled == pdfium_text.ruled_pages(data)


def test_the_corpus_has_ruled_pages_to_carry():
    """Not vacuous: real reports' tables (huaian_2024.pdf, xxgk_2021_subtotal.pdf) and broken
    files with rules among the PDFs compared above; and documents the table reader takes."""
    ruled, tabled = [], 0
    for name, data in PDFS:
        status, reading = _outcome(pdfium_text.read_pdf, data)
        if status == "ok":
            ruled += [name] if reading.ruled else []
            tabled += reading.pages is None
    assert {"analyze/huaian_2024.pdf", "analyze/xxgk_2021_subtotal.pdf"} <= set(ruled)
    assert len(ruled) >= 10 and tabled >= 2


def test_generated_characters_are_whitespace_and_never_unmapped():
    """What lets _read_page skip FPDFText_IsGenerated: on every page of the corpus, each
    character PDFium generated is a space or a line break and not an unmapped glyph (so the
    whitespace test drops it as the generated test did); and there are many of them."""
    generated = 0
    for _, data in PDFS:
        try:
            document = pdfium.PdfDocument(data)
        except pdfium.PdfiumError:
            continue
        with document:
            for index in range(len(document)):
                try:
                    page = document[index]
                except pdfium.PdfiumError:
                    continue
                textpage = page.get_textpage()
                for i in range(raw.FPDFText_CountChars(textpage.raw)):
                    if raw.FPDFText_IsGenerated(textpage.raw, i) == 1:
                        generated += 1
                        assert chr(raw.FPDFText_GetUnicode(textpage.raw, i)) in " \r\n"
                        assert raw.FPDFText_HasUnicodeMapError(textpage.raw, i) != 1
                textpage.close()
                page.close()
    assert generated > 1_000
