"""Attachment bytes (PDF / DOC / DOCX / WPS) → the report's clean text.

Many governments publish the annual report only as an attachment, so the
archive's `body` comes from these files. Every reader turns its format into
paragraphs; any failure becomes an AttachmentError with a one-line reason, so
the caller records the attachment as failed instead of crashing the crawl.
"""
import bisect
import io
import re
import statistics
import struct
import zipfile
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

import docx
import olefile
from docx.table import Table
from pdfminer.converter import PDFPageAggregator
from pdfminer.layout import LTChar, LTContainer, LTCurve
from pdfminer.pdfdocument import PDFDocument, PDFEncryptionError
from pdfminer.pdfinterp import PDFPageInterpreter, PDFResourceManager
from pdfminer.pdfpage import PDFPage
from pdfminer.pdfparser import PDFParser

from .pdfium_text import EncryptedPDF, read_pdf

MAX_ATTACHMENT_BYTES = 30 * 1024 * 1024
"""Larger downloads are abandoned: reports are a few MB, bigger files are scans or bundles."""

MAX_ZIP_MEMBERS = 10_000
"""Parts a DOCX may list: a report has a dozen; zipfile builds an object for each before anything is checked."""
MAX_ZIP_PART_BYTES = 64 * 1024 * 1024
"""A DOCX part once inflated (its size as the zip declares it, which zipfile then holds the
data to): a report's document.xml is a few MB; python-docx reads every part whole, so a
zip bomb would be inflated in memory before any parser refused it."""
MAX_ZIP_TOTAL_BYTES = 256 * 1024 * 1024
"""All of a DOCX's parts once inflated."""
MAX_DOCX_PARAGRAPHS = 20_000
"""Paragraphs (<w:p> elements) a DOCX may have: python-docx takes ~150 µs each, and a
report of 400 pages has fewer; 50,000 empty ones took 8 s."""

OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"
_EXTENSION = re.compile(r"\.(pdf|docx|doc|wps)(?![0-9a-z])")
_CONTENT_TYPES = {
    "application/pdf": "pdf",
    "application/x-pdf": "pdf",
    "application/msword": "doc",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
    "application/kswps": "wps",
    "application/vnd.ms-works": "wps",
    "application/wps-office.wps": "wps",
    "application/wps-office.doc": "doc",
    "application/wps-office.docx": "docx",
}


class AttachmentError(Exception):
    """An attachment that yields no text; str() is a one-line, human-readable reason."""


def attachment_kind(url: str, content_type: str | None = None, data: bytes | None = None) -> str | None:
    """'pdf' | 'doc' | 'docx' | 'wps' | None. Bytes decide when there are any
    (servers mislabel files and answer .pdf links with HTML error pages); otherwise
    the extension in the URL or link text, then the Content-Type."""
    named = _kind_from_name(url) or _kind_from_content_type(content_type)
    return _kind_from_bytes(data, named) if data else named


def _kind_from_name(url: str) -> str | None:
    """Extension in the path or query of a URL, or anywhere in a link text such as
    "附件：城口县2020年度法治政府建设情况报告.pdf（1.2MB）". The host is ignored."""
    parts = urlsplit(url.strip())
    found = _EXTENSION.findall(unquote(f"{parts.path}?{parts.query}").lower())
    return found[-1] if found else None


def _kind_from_content_type(content_type: str | None) -> str | None:
    return _CONTENT_TYPES.get((content_type or "").split(";")[0].strip().lower())


def _kind_from_bytes(data: bytes, named: str | None) -> str | None:
    """Magic bytes first; a damaged container falls back to what the name said."""
    if b"%PDF-" in data[:1024]:
        return "pdf"
    if data.startswith(OLE2_MAGIC):
        return _ole_kind(data, named)
    if data.startswith(ZIP_MAGIC):
        if _zip_entries(data) > MAX_ZIP_MEMBERS:   # never listed here (the crawl's thread): the reader refuses it
            return named if named == "docx" else None
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                return "docx" if "word/document.xml" in archive.namelist() else None
        except (zipfile.BadZipFile, ValueError):
            return named if named == "docx" else None
    return None


def _zip_entries(data: bytes) -> int:
    """The number of entries a zip's end-of-central-directory record declares (0 when there is
    none to read): cheap, read before zipfile parses the whole central directory."""
    at = data.rfind(b"PK\x05\x06", max(0, len(data) - 65_557))
    if at < 0 or at + 22 > len(data):
        return 0
    return struct.unpack_from("<H", data, at + 10)[0]


def _check_zip(data: bytes) -> None:
    """Refuse a DOCX whose parts are too many, inflate too large or hold too many paragraphs,
    before python-docx inflates and parses them (its document.xml is inflated here once its
    declared size is under the cap: zipfile reads no more than a part declares)."""
    entries = _zip_entries(data)
    if entries > MAX_ZIP_MEMBERS:
        raise AttachmentError(f"DOCX has {entries} parts (cap {MAX_ZIP_MEMBERS})")
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        infos = archive.infolist()
        if len(infos) > MAX_ZIP_MEMBERS:
            raise AttachmentError(f"DOCX has {len(infos)} parts (cap {MAX_ZIP_MEMBERS})")
        largest = max(infos, key=lambda info: info.file_size, default=None)
        if largest is not None and largest.file_size > MAX_ZIP_PART_BYTES:
            raise AttachmentError(f"DOCX part {largest.filename[:60]} inflates to {largest.file_size} bytes "
                                  f"(cap {MAX_ZIP_PART_BYTES}): a zip bomb")
        total = sum(info.file_size for info in infos)
        if total > MAX_ZIP_TOTAL_BYTES:
            raise AttachmentError(f"DOCX inflates to {total} bytes (cap {MAX_ZIP_TOTAL_BYTES}): a zip bomb")
        names = {info.filename for info in infos}
        xml = archive.read("word/document.xml") if "word/document.xml" in names else b""
    paragraphs = xml.count(b"<w:p>") + xml.count(b"<w:p ")
    if paragraphs > MAX_DOCX_PARAGRAPHS:
        raise AttachmentError(f"DOCX has {paragraphs} paragraphs (cap {MAX_DOCX_PARAGRAPHS})")


def _ole_kind(data: bytes, named: str | None) -> str | None:
    """An OLE2 file is a Word document if it has a WordDocument stream (Kingsoft's
    .wps too); an EncryptedPackage stream is a password-protected DOCX."""
    try:
        ole = olefile.OleFileIO(io.BytesIO(data))
    except Exception:  # olefile raises many types on damaged files; attachment_text gives the reason
        return named if named in ("doc", "wps") else "doc"
    with ole:
        if ole.exists("WordDocument"):
            return "wps" if named == "wps" else "doc"
        return "docx" if ole.exists("EncryptedPackage") else None


def attachment_text(data: bytes, kind: str, learnt: dict | None = None) -> str:
    """Clean text of an attachment, paragraphs separated by "\\n".
    Raises AttachmentError (and nothing else) when no text can be had.

    `learnt`, when given, receives what reading the file found that the report's analysis
    would otherwise read the file again for: a PDF's "ruled_pages" (pdfium_text.ruled_pages'
    answer), once PDFium has read its pages — whether or not the file then yields text."""
    readers = {"pdf": lambda data: _pdf_paragraphs(data, learnt), "doc": _word97_paragraphs,
               "wps": _word97_paragraphs, "docx": _docx_paragraphs}
    label = (kind or "").upper()
    if kind not in readers:
        raise AttachmentError(f"unsupported type {kind!r}")
    if not data:
        raise AttachmentError(f"empty {label} file")
    if len(data) > MAX_ATTACHMENT_BYTES:
        raise AttachmentError(f"{label} too large: {len(data)} bytes (cap {MAX_ATTACHMENT_BYTES})")
    try:
        paragraphs = readers[kind](data)
    except AttachmentError:
        raise
    except Exception as exc:  # parsers raise anything on damaged input; the caller needs one reason
        reason = (str(exc).strip().splitlines() or [type(exc).__name__])[0][:160]
        raise AttachmentError(f"corrupt {label}: {reason}") from exc
    text = "\n".join(_clean(paragraphs))
    if not text:
        raise AttachmentError(f"{label} has no text")
    return text


_SPACES = re.compile(r"[ \u3000\xa0]+")


def _clean(paragraphs: list[str]) -> list[str]:
    """One paragraph per line, runs of spaces collapsed, blank lines dropped."""
    out = []
    for paragraph in paragraphs:
        for line in paragraph.split("\n"):
            line = "\t".join(_SPACES.sub(" ", cell).strip() for cell in line.split("\t"))
            if line.strip():
                out.append(line)
    return out


# --- PDF -------------------------------------------------------------------------------------

_FINAL_PUNCT = tuple("。！？；：….!?;:")
_HEADING = re.compile(
    r"\s*(?:[一二三四五六七八九十百]+、|[（(][一二三四五六七八九十]+[)）]|\d{1,2}(?:[.．]\d{1,2})*[.、．](?!\d)"
    r"|[（(]\d{1,2}[)）]|第[一二三四五六七八九十百零〇\d]+[条章节部分]|[•●■◆◇□★※])")
_UNMAPPED = re.compile(r"\(cid:\d+\)")  # how pdfminer prints a glyph its font does not map to Unicode
_PAGE_NUMBER = re.compile(
    r"(?:[-—–－―~·•]*\d{1,4}[-—–－―~·•]*|(?:共\d+页)?第\d+页(?:共\d+页)?|\d+/\d+|page\d+(?:of\d+)?)",
    re.IGNORECASE)


@dataclass(frozen=True, eq=False)
class _Line:
    """One printed line: its text and where it sits on the page (PDF points); hashed by identity."""
    text: str
    x0: float
    x1: float
    y: float
    size: float


def _pdf_paragraphs(data: bytes, learnt: dict | None = None) -> list[str]:
    if b"%PDF-" not in data[:1024]:
        raise AttachmentError("not a PDF: no %PDF header")
    if b"%%EOF" not in data[-4096:]:
        raise AttachmentError("truncated PDF: no %%EOF marker at the end")
    try:
        reading = read_pdf(data)  # PDFium; pages None when a page has ruling lines (a table: pdfminer's)
        if learnt is not None:
            learnt["ruled_pages"] = reading.ruled
        fast = reading.pages
        pages = [_strip_page_numbers(page) for page in
                 ([_page_lines(chars) for chars in fast] if fast is not None else _pdf_pages(data))]
    except (PDFEncryptionError, EncryptedPDF) as exc:
        raise AttachmentError("encrypted PDF (needs a password)") from exc
    lines = [line for page in _strip_running_lines(pages) for line in page]
    text = "".join(line.text for line in lines)
    if not text:
        raise AttachmentError("PDF has no text layer (a scan?)")
    if len(_UNMAPPED.findall(text)) > len(_UNMAPPED.sub("", text)) / 4:
        raise AttachmentError("PDF fonts have no Unicode mapping (text comes out as (cid:N))")
    return [_UNMAPPED.sub("", paragraph) for paragraph in _join_lines(lines)]


def _pdf_pages(data: bytes):
    """Each page's lines, top to bottom, built from pdfminer's characters. A ruled table is
    one line per row, its cells tab-separated (as DOCX tables are), instead of the broken
    lines its cells would make when read as running text."""
    document = PDFDocument(PDFParser(io.BytesIO(data)), password="")
    resources = PDFResourceManager(caching=True)
    device = PDFPageAggregator(resources, laparams=None)
    interpreter = PDFPageInterpreter(resources, device)
    for number, page in enumerate(PDFPage.create_pages(document)):
        interpreter.process_page(page)
        layout = device.get_result()
        chars = list(_chars(layout))
        tables = _ruled_tables(data, number, layout.height) if _has_rules(layout) else []
        if tables:
            chars = [c for c in chars if not any(_within(c, t.bbox) for t in tables)]
        lines = _page_lines(chars)
        rows = [row for t in tables for row in t.rows]
        yield sorted(lines + rows, key=lambda line: -line.y) if rows else lines


@dataclass(frozen=True)
class _Table:
    bbox: tuple[float, float, float, float]   # x0, y0, x1, y1 in pdfminer coordinates (origin bottom left)
    rows: list


def _has_rules(layout) -> bool:
    """Enough ruling lines and boxes on the page to draw a table (cheap: pdfminer's objects)."""
    return sum(isinstance(item, LTCurve) for item in layout) >= 6


def _ruled_tables(data: bytes, number: int, height: float) -> list[_Table]:
    """The page's tables as pdfplumber finds them from their ruling lines; each row a _Line
    of tab-separated cells (a merged cell once), placed at the row's height on the page."""
    import pdfplumber  # only for pages with rules: most report PDFs have none

    try:
        return _plumbed_tables(pdfplumber, data, number, height)
    except Exception:  # a table finder failing on odd input must not cost the page its text
        return []


def _plumbed_tables(pdfplumber, data: bytes, number: int, height: float) -> list[_Table]:
    out = []
    with pdfplumber.open(io.BytesIO(data), pages=[number + 1]) as pdf:
        page = pdf.pages[0]
        for table in page.find_tables():
            x0, top, x1, bottom = table.bbox
            lines = []
            for row, cells in zip(table.rows, table.extract(), strict=True):
                texts = [re.sub(r"\s+", "", cell) for cell in cells if cell is not None]
                if not any(texts):
                    continue
                row_top = min(c[1] for c in row.cells if c) if any(row.cells) else top
                lines.append(_Line("\t".join(texts), x0, x1, height - row_top, 0.0))
            if sum("\t" in line.text for line in lines) >= 2:  # a boxed paragraph is no table
                out.append(_Table((x0, height - bottom, x1, height - top), lines))
    return out


def _within(char: LTChar, bbox: tuple[float, float, float, float]) -> bool:
    x, y = (char.x0 + char.x1) / 2, (char.y0 + char.y1) / 2
    return bbox[0] <= x <= bbox[2] and bbox[1] <= y <= bbox[3]


def _chars(item):
    """Upright, visible characters, also those inside form XObjects (figures)."""
    if isinstance(item, LTChar):
        if item.upright and item.get_text().strip():
            yield item
    elif isinstance(item, LTContainer):
        for child in item:
            yield from _chars(child)


def _page_lines(chars: list[LTChar]) -> list[_Line]:
    """Group characters by vertical centre. Done here rather than with pdfminer's
    layout analysis, which splits a line where a glyph comes from another font
    (curly quotes in a Latin fallback font) and inserts spaces between CJK glyphs.
    A row is measured against its first character (its centre and size kept, not
    recomputed for every character that joins it)."""
    rows: list[list[LTChar]] = []
    centre = size = 0.0
    for char in sorted(chars, key=_reading_order):
        here = (char.y0 + char.y1) / 2
        if rows and abs(centre - here) < 0.5 * max(size, char.size):
            rows[-1].append(char)
        else:
            rows.append([char])
            centre, size = here, char.size
    return [_row_line(sorted(row, key=_left)) for row in rows]


def _reading_order(char: LTChar) -> tuple[float, float]:
    return -(char.y0 + char.y1) / 2, char.x0


def _left(char: LTChar) -> float:
    return char.x0


def _centre(char: LTChar) -> float:
    return (char.y0 + char.y1) / 2


def _row_line(row: list[LTChar]) -> _Line:
    """Concatenate a row; a space only between Latin letters/digits set apart, or
    across a gap wider than a character (table cells, spaced-out signatures)."""
    parts: list[str] = []
    previous = previous_text = None
    for char in row:
        text = char.get_text()
        if previous is not None:
            if text == previous_text and char.x0 - previous.x0 < 0.3 * previous.width:
                continue  # simulated bold: the same glyph printed twice, slightly shifted
            gap = char.x0 - previous.x1
            size = max(char.size, previous.size)
            if gap > size or (gap > 0.15 * size and parts[-1][-1].isascii() and text[0].isascii()):
                parts.append(" ")
        parts.append(text)
        previous, previous_text = char, text
    return _Line("".join(parts), row[0].x0, max(c.x1 for c in row), _centre(row[0]),
                 _median([c.size for c in row]))


def _median(values: list[float]) -> float:
    """statistics.median, without its generality (the same arithmetic: the middle value, or
    the mean of the middle two)."""
    values.sort()
    half = len(values) // 2
    return values[half] if len(values) % 2 else (values[half - 1] + values[half]) / 2


def _strip_page_numbers(lines: list[_Line]) -> list[_Line]:
    """Drop folios ("- 1 -", "第1页", "3") printed as a page's first or last line."""
    edges = {0, len(lines) - 1}
    return [line for i, line in enumerate(lines)
            if not (i in edges and _PAGE_NUMBER.fullmatch(re.sub(r"\s", "", line.text)))]


def _strip_running_lines(pages: list[list[_Line]]) -> list[list[_Line]]:
    """Drop running headers and footers: the same text (digits aside) at the same
    height among the first or last two lines of at least half the pages. The
    document title or signature printed once elsewhere on a page is kept."""
    if len(pages) < 2:
        return pages
    by_text: dict[str, list[_Line]] = {}
    for line in {line for page in pages for line in page[:2] + page[-2:]}:
        by_text.setdefault(re.sub(r"\d+", "#", re.sub(r"\s", "", line.text)), []).append(line)
    needed = max(2, len(pages) / 2)
    drop = {line for lines in by_text.values() for line in lines
            if sum(abs(other.y - line.y) < 2 for other in lines) >= needed}
    return [[line for line in page if line not in drop] for page in pages]


def _join_lines(lines: list[_Line]) -> list[str]:
    """Re-join the hard line breaks of PDF text into paragraphs."""
    if not lines:
        return []
    text_lines = [line for line in lines if "\t" not in line.text] or lines  # table rows aside
    left = _quantile([line.x0 for line in text_lines], 0.1)
    right = _quantile([line.x1 for line in text_lines if len(line.text) >= 5] or [lines[0].x1], 0.9)
    full = [line.x1 >= right - 2.5 * line.size for line in lines]
    indented = [_is_indented(line, left) for line in lines]
    # Lines that follow a short (paragraph-ending) line start paragraphs: if most of them
    # are indented, the document marks paragraphs by first-line indent.
    starts = [indent for was_full, indent, line in zip(full, indented[1:], lines[1:], strict=False)
              if not was_full and "\t" not in line.text]
    uses_indent = len(starts) >= 2 and sum(starts) >= 0.6 * len(starts)
    body_size = statistics.median(line.size for line in text_lines)
    paragraphs = [lines[0].text]
    for prev, line, prev_full, indent in zip(lines, lines[1:], full, indented[1:], strict=False):
        if "\t" in prev.text or "\t" in line.text:
            paragraphs.append(line.text)  # a table row stands alone
        elif (_title_continues(prev, line, left, right, body_size)
                or prev_full and _continues(prev.text, line.text, indent, uses_indent)):
            latin = prev.text[-1].isascii() and prev.text[-1].isalnum() and line.text[0].isascii()
            paragraphs[-1] += (" " if latin and line.text[0].isalnum() else "") + line.text
        else:
            paragraphs.append(line.text)
    return paragraphs


def _continues(prev: str, line: str, indent: bool, uses_indent: bool) -> bool:
    """A line after a full-width line carries on its paragraph unless it starts a
    heading (一、 （一） 1. 第X条) or is indented. Sentence-final punctuation at the
    margin ends the paragraph, except in documents that mark paragraphs by
    first-line indent, where a sentence may end exactly at the margin."""
    if indent or _HEADING.match(line):
        return False
    return uses_indent or not prev.endswith(_FINAL_PUNCT)


def _title_continues(prev: _Line, line: _Line, left: float, right: float, body_size: float) -> bool:
    """A title, set larger than the body and centred, wraps onto a centred line of its size."""
    def centred(one: _Line) -> bool:
        return abs((one.x0 - left) - (right - one.x1)) < one.size
    return (prev.size > 1.1 * body_size and abs(prev.size - line.size) < 0.5
            and centred(prev) and centred(line) and 0 < prev.y - line.y < 2.5 * line.size
            and not prev.text.endswith(_FINAL_PUNCT))


def _is_indented(line: _Line, left: float) -> bool:
    return line.x0 > left + 1.2 * line.size


def _quantile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[int(q * (len(ordered) - 1))]


# --- DOCX ------------------------------------------------------------------------------------

def _docx_paragraphs(data: bytes) -> list[str]:
    """Body paragraphs and tables in document order; a table row is one line of
    tab-separated cells. Headers and footers are page furniture and are skipped."""
    if data.startswith(OLE2_MAGIC):
        raise AttachmentError("encrypted DOCX (password-protected)")
    if not data.startswith(ZIP_MAGIC):
        raise AttachmentError("not a DOCX: no zip signature")
    _check_zip(data)
    out: list[str] = []
    for block in docx.Document(io.BytesIO(data)).iter_inner_content():
        if isinstance(block, Table):
            out.extend(_docx_rows(block))
        else:
            out.append(block.text.replace("\t", " "))
    return out


def _docx_rows(table: Table) -> list[str]:
    rows = []
    for row in table.rows:
        cells, seen = [], set()
        for cell in row.cells:
            if id(cell._tc) not in seen:  # a merged cell is returned once per grid column it spans
                seen.add(id(cell._tc))
                cells.append(" ".join(p.text for p in cell.paragraphs).replace("\t", " ").replace("\n", " "))
        rows.append("\t".join(cells))
    return rows


# --- DOC / WPS (Word 97-2003 binary, [MS-DOC]) -------------------------------------------------

_FIELD_BEGIN, _FIELD_SEPARATOR, _FIELD_END = "\x13", "\x14", "\x15"
_BREAKS = str.maketrans({"\x0b": "\n", "\x0c": "\n", "\x0e": "\n", "\t": " ", "\x1e": "-", "\xa0": " "})
_CONTROL = re.compile(r"[\x00-\x09\x0b-\x1f]")  # after _BREAKS: every control character but \n
_SPRM_IN_TABLE, _SPRM_TTP, _SPRM_INNER_TTP = 0x2416, 0x2417, 0x244C


@dataclass(frozen=True)
class _Piece:
    cp: int  # first character position
    fc: int  # byte offset of that character in the WordDocument stream
    compressed: bool  # one cp1252 byte per character instead of UTF-16LE


def _word97_paragraphs(data: bytes) -> list[str]:
    """The main document's text from the piece table (CLX/PlcPcd); table rows are
    told from cells by the paragraph properties (fInTable / fTtp) in the PAPX FKPs."""
    if not data.startswith(OLE2_MAGIC):
        kind = "RTF" if data.lstrip().startswith(b"{\\rtf") else "not an OLE2 file"
        raise AttachmentError(f"not a Word 97-2003 document ({kind})")
    with olefile.OleFileIO(io.BytesIO(data)) as ole:
        if ole.exists("EncryptedPackage"):
            raise AttachmentError("encrypted document (password-protected)")
        if not ole.exists("WordDocument"):
            raise AttachmentError("OLE2 file without a WordDocument stream (not a Word document)")
        word = ole.openstream("WordDocument").read()
        fib = _Fib(word)
        table_name = "1Table" if fib.flags & 0x0200 else "0Table"
        if not ole.exists(table_name):
            raise AttachmentError(f"corrupt DOC: no {table_name} stream")
        table = ole.openstream(table_name).read()
    pieces, text = _piece_text(word, table, fib)
    return _word_lines(text, _PapxFlags(word, table, fib), pieces)


class _Fib:
    """The File Information Block fields this reader needs."""

    def __init__(self, word: bytes):
        ident, self.nfib = struct.unpack_from("<HH", word, 0)
        if ident != 0xA5EC:
            raise AttachmentError("corrupt DOC: no Word file information block")
        self.flags = struct.unpack_from("<H", word, 0x0A)[0]
        if self.flags & 0x0100:
            raise AttachmentError("encrypted DOC (password-protected)")
        if self.nfib < 0xC1:
            raise AttachmentError("Word 6/95 DOC is not supported")
        csw = struct.unpack_from("<H", word, 32)[0]
        lw = 34 + 2 * csw + 2
        cslw = struct.unpack_from("<H", word, lw - 2)[0]
        self.ccp_text = struct.unpack_from("<i", word, lw + 12)[0]
        self._fclcb = lw + 4 * cslw + 2
        self._count = struct.unpack_from("<H", word, self._fclcb - 2)[0]
        self._word = word

    def fclcb(self, index: int) -> tuple[int, int]:
        """(fc, lcb) pair number `index` of FibRgFcLcb: 13 = PlcfBtePapx, 33 = Clx."""
        if index >= self._count:
            raise AttachmentError("corrupt DOC: short file information block")
        return struct.unpack_from("<II", self._word, self._fclcb + 8 * index)


def _piece_text(word: bytes, table: bytes, fib: _Fib) -> tuple[list[_Piece], str]:
    fc, lcb = fib.fclcb(33)
    clx = table[fc:fc + lcb]
    i = 0
    while i < len(clx) and clx[i] == 0x01:  # Prc: formatting, skipped
        i += 3 + struct.unpack_from("<h", clx, i + 1)[0]
    if i >= len(clx) or clx[i] != 0x02:
        raise AttachmentError("corrupt DOC: no piece table")
    size = struct.unpack_from("<I", clx, i + 1)[0]
    count = (size - 4) // 12
    plc = clx[i + 5:i + 5 + size]
    cps = struct.unpack_from(f"<{count + 1}I", plc, 0)
    pieces, parts = [], []
    for k in range(count):
        start, end = cps[k], min(cps[k + 1], fib.ccp_text)
        if start >= end:
            break
        raw = struct.unpack_from("<I", plc, 4 * (count + 1) + 8 * k + 2)[0]
        compressed = bool(raw & 0x40000000)
        offset = (raw & 0x3FFFFFFF) // 2 if compressed else raw & 0x3FFFFFFF
        pieces.append(_Piece(start, offset, compressed))
        width = 1 if compressed else 2
        chunk = word[offset:offset + (end - start) * width]
        parts.append(chunk.decode("cp1252", "replace") if compressed else chunk.decode("utf-16-le", "replace"))
    return pieces, "".join(parts)


class _PapxFlags:
    """Which paragraph marks are in a table, and which end a table row."""

    def __init__(self, word: bytes, table: bytes, fib: _Fib):
        self._runs: list[tuple[int, int, bool, bool]] = []  # (fc start, fc end, in table, row end)
        fc, lcb = fib.fclcb(13)
        count = (lcb - 4) // 8
        try:
            for pn in struct.unpack_from(f"<{max(count, 0)}I", table, fc + 4 * (count + 1)):
                self._read_fkp(word[(pn & 0x3FFFFF) * 512:][:512])
        except (struct.error, IndexError, KeyError):
            pass  # damaged paragraph properties cost only the table layout, not the text
        self._runs.sort()
        self._starts = [run[0] for run in self._runs]

    def _read_fkp(self, page: bytes) -> None:
        crun = page[511]
        fcs = struct.unpack_from(f"<{crun + 1}I", page, 0)
        for i in range(crun):
            sprms = dict(_sprms(_grpprl_in_papx(page, page[4 * (crun + 1) + 13 * i])))
            row_end = sprms.get(_SPRM_TTP) == 1 or sprms.get(_SPRM_INNER_TTP) == 1
            self._runs.append((fcs[i], fcs[i + 1], sprms.get(_SPRM_IN_TABLE) == 1, row_end))

    def at(self, fc: int) -> tuple[bool, bool]:
        """(in table, row end) of the paragraph whose mark is at byte offset fc."""
        i = bisect.bisect_right(self._starts, fc) - 1
        if i >= 0 and fc < self._runs[i][1]:
            return self._runs[i][2], self._runs[i][3]
        return False, False


def _grpprl_in_papx(page: bytes, b_offset: int) -> bytes:
    if not b_offset:
        return b""
    at = 2 * b_offset
    if page[at]:
        start, size = at + 1, 2 * page[at] - 1
    else:
        start, size = at + 2, 2 * page[at + 1]
    return page[start + 2:start + size]  # the first two bytes are the style index


def _sprms(grpprl: bytes):
    """(sprm, first operand byte) pairs of a property list."""
    i = 0
    while i + 2 < len(grpprl):
        sprm = struct.unpack_from("<H", grpprl, i)[0]
        i += 2
        spra = sprm >> 13
        if spra == 6:
            if sprm in (0xD608, 0xD606):  # sprmTDefTable(10): two-byte size, plus one
                size = struct.unpack_from("<H", grpprl, i)[0] + 1
            elif grpprl[i] == 255:
                return  # sprmPChgTabs with its own nested layout: nothing this reader needs follows
            else:
                size = grpprl[i] + 1
        else:
            size = {0: 1, 1: 1, 2: 2, 3: 4, 4: 2, 5: 2, 7: 3}[spra]
        yield sprm, grpprl[i]
        i += size


def _word_lines(text: str, papx: _PapxFlags, pieces: list[_Piece]) -> list[str]:
    """Walk the text: keep field results, drop field codes and control marks, turn
    paragraph marks into lines and table rows into tab-separated lines."""
    starts = [piece.cp for piece in pieces]
    lines: list[str] = []
    cells: list[str] = []
    cell: list[str] = []
    buf: list[str] = []
    fields: list[bool] = []  # one per open field: True once past its separator
    for cp, ch in enumerate(text):
        if ch == _FIELD_BEGIN:
            fields.append(False)
        elif ch == _FIELD_SEPARATOR and fields:
            fields[-1] = True
        elif ch == _FIELD_END and fields:
            fields.pop()
        elif not all(fields):
            continue
        elif ch in "\r\x07":
            piece = pieces[bisect.bisect_right(starts, cp) - 1]
            in_table, row_end = papx.at(piece.fc + (cp - piece.cp) * (1 if piece.compressed else 2))
            paragraph, buf = _plain(buf), []
            if ch == "\r" and not in_table:
                lines.append(paragraph)
            elif ch == "\r":
                cell.append(paragraph)
            elif row_end:
                lines.append("\t".join(cells))
                cells = []
            else:
                cells.append(" ".join(cell + [paragraph]).replace("\n", " "))
                cell = []
        else:
            buf.append(ch)
    return lines + (["\t".join(cells)] if cells else []) + [_plain(buf)]


def _plain(chars: list[str]) -> str:
    """Text with Word's breaks as newlines and its other marks (objects, footnote refs) dropped."""
    return _CONTROL.sub("", "".join(chars).translate(_BREAKS))
