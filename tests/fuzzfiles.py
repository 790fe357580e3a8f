"""Corrupt and crafted attachments, generated from a seed (issue 9): the files a hostile or
broken web serves as "the report".

Each case is (name, bytes, kind as the crawl would label it). The cases start from the real
files of tests/fixtures/attachments (PDFs made by LibreOffice and reportlab, a python-docx
DOCX, a LibreOffice and a Microsoft Word .doc) and break them the ways files arrive broken:
bytes flipped, cut short, spliced, a stream or a part swapped for something hostile. Others
are written from nothing to hit one parser's soft spot: a zip bomb, a giant text node,
nesting thousands deep, a page tree that loops, a content stream of a million path
operators and no text, a Flate bomb, a piece table or FIB that points anywhere, an XLSX, XLS
or OFD served as a Word document.

`scale` sets how large the crafted files get: 1 is the test suite's (every file under ~1 MB
on disk and cheap to refuse), the bench runs larger (bench/fuzz.py). Used by
tests/test_attachment_fuzz.py and bench/fuzz.py.
"""
from __future__ import annotations

import io
import random
import struct
import zipfile
import zlib
from pathlib import Path

ATTACHMENTS = Path(__file__).resolve().parent / "fixtures" / "attachments"
REAL = {
    "pdf": ["chengkou_2020_libreoffice.pdf", "chengkou_2020_stsong.pdf", "chengkou_2020_onepage.pdf",
            "yuelu_2024_block.pdf", "chengkou_2020_nocopy.pdf", "imageonly.pdf", "encrypted.pdf"],
    "docx": ["chengkou_2020.docx", "encrypted.docx"],
    "doc": ["chengkou_2020.doc", "olefile_test-ole-file.doc", "encrypted.doc"],
}
OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def real_files() -> dict[str, list[bytes]]:
    return {kind: [(ATTACHMENTS / name).read_bytes() for name in names] for kind, names in REAL.items()}


# -- breaking real files -----------------------------------------------------------------------

def flip(rng: random.Random, data: bytes, keep_ends: int = 0) -> bytes:
    """Up to 64 random bytes overwritten, the first and last `keep_ends` bytes kept (so a PDF
    keeps its %PDF header and %%EOF marker and reaches the parsers)."""
    out = bytearray(data)
    lo, hi = keep_ends, max(keep_ends + 1, len(out) - keep_ends)
    for _ in range(rng.randint(1, 64)):
        out[rng.randrange(lo, hi)] = rng.randrange(256)
    return bytes(out)


def truncate(rng: random.Random, data: bytes, then: bytes = b"") -> bytes:
    return data[: rng.randrange(len(data))] + then


def splice(rng: random.Random, a: bytes, b: bytes) -> bytes:
    return a[: rng.randrange(len(a))] + b[rng.randrange(len(b)):]


def repeat(rng: random.Random, data: bytes) -> bytes:
    """A slice of the file repeated (a server looping over a buffer), the ends kept."""
    at = rng.randrange(len(data))
    end = min(len(data), at + rng.randint(16, 4096))
    return data[:at] + data[at:end] * rng.randint(2, 200) + data[end:]


# -- PDF written from nothing ------------------------------------------------------------------

def pdf(objects: list[bytes], root: int = 1, size_lie: int | None = None) -> bytes:
    """A PDF with a correct xref table for `objects` (object n is objects[n - 1])."""
    out = io.BytesIO()
    out.write(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(b"trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%d\n%%%%EOF\n"
              % (size_lie or len(objects) + 1, root, xref))
    return out.getvalue()


def stream(content: bytes, compress: bool = False, extra: bytes = b"") -> bytes:
    data = zlib.compress(content, 1) if compress else content
    flate = b" /Filter /FlateDecode" if compress else b""
    return b"<< /Length %d%s%s >>\nstream\n" % (len(data), flate, extra) + data + b"\nendstream"


FONT = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"


def pdf_page(content: bytes, compress: bool = False) -> bytes:
    """One A4 page with `content` as its content stream."""
    return pdf([b"<< /Type /Catalog /Pages 2 0 R >>",
                b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
                b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
                b"/Resources << /Font << /F1 5 0 R >> >> >>",
                stream(content, compress), FONT])


def crafted_pdfs(rng: random.Random, scale: int) -> list[tuple[str, bytes]]:
    depth = 10_000 * scale
    paths = 50_000 * scale
    text_ops = 10_000 * scale
    bomb = 50 * 2**20 * scale
    return [
        ("pdf-nested-arrays", pdf([b"<< /Type /Catalog /Pages 2 0 R /X " + b"[" * depth + b"]" * depth + b" >>",
                                   b"<< /Type /Pages /Kids [] /Count 0 >>"])),
        ("pdf-nested-dicts", pdf([b"<< /Type /Catalog /Pages 2 0 R >>",
                                  b"<< /Type /Pages /Kids [] /Count 0 /X " + b"<< /A " * depth + b">> " * depth
                                  + b">>"])),
        ("pdf-page-tree-loop", pdf([b"<< /Type /Catalog /Pages 2 0 R >>",
                                    b"<< /Type /Pages /Kids [2 0 R 3 0 R] /Count 2000000000 >>",
                                    b"<< /Type /Pages /Parent 2 0 R /Kids [2 0 R 3 0 R] /Count 2000000000 >>"])),
        ("pdf-paths-no-text", pdf_page(b"0.5 w\n" + b"".join(
            b"%d %d m %d %d l S\n" % (i % 500, i % 800, i % 500 + 5, i % 800 + 5) for i in range(paths)),
            compress=True)),
        ("pdf-many-glyphs", pdf_page(b"BT /F1 6 Tf\n" + b"".join(
            b"1 0 0 1 %d %d Tm (%s) Tj\n" % (i % 590, i % 840, bytes([65 + i % 26]) * 3)
            for i in range(text_ops)) + b"ET", compress=True)),
        ("pdf-flate-bomb", pdf_page(b" " * bomb, compress=True)),
        ("pdf-length-self-reference", pdf([b"<< /Type /Catalog /Pages 2 0 R >>",
                                           b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
                                           b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
                                           b"<< /Length 4 0 R >>\nstream\nBT ET\nendstream"])),
        ("pdf-huge-length", pdf_page(b"BT /F1 12 Tf 72 720 Td (x) Tj ET").replace(
            b"/Length 32", b"/Length 99999999999")),
        ("pdf-xref-out-of-range", pdf_page(b"BT /F1 12 Tf 72 720 Td (x) Tj ET").replace(
            b"startxref\n", b"startxref\n9999999999")),
        ("pdf-no-objects", b"%PDF-1.4\n" + bytes(rng.randrange(256) for _ in range(2_000)) + b"\n%%EOF\n"),
        ("pdf-huge-mediabox", pdf_page(b"BT /F1 12 Tf 72 720 Td (x) Tj ET").replace(
            b"[0 0 595 842]", b"[0 0 1e30 1e30]")),
        ("pdf-xobject-recursion", pdf([b"<< /Type /Catalog /Pages 2 0 R >>",
                                       b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
                                       b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
                                       b"/Resources << /XObject << /X 5 0 R >> >> >>",
                                       stream(b"/X Do"),
                                       stream(b"/X Do", extra=b" /Type /XObject /Subtype /Form /BBox [0 0 9 9]"
                                              b" /Resources << /XObject << /X 5 0 R >> >>")])),
    ]


# -- DOCX (and other zips) written from nothing --------------------------------------------------

W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
CONTENT_TYPES = ('<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/'
                 '2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
                 'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName='
                 '"/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.'
                 'document.main+xml"/></Types>')
RELS = ('<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
        'relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        'relationships/officeDocument" Target="word/document.xml"/></Relationships>')


def zipped(parts: dict[str, bytes | str], compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    """A zip of `parts`, deflated at level 1 (a bomb of 80 MB is made in under a second)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression, compresslevel=1) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return out.getvalue()


def docx_of(document: bytes | str, **parts) -> bytes:
    return zipped({"[Content_Types].xml": CONTENT_TYPES, "_rels/.rels": RELS, "word/document.xml": document, **parts})


def body(xml: str) -> str:
    return f'<?xml version="1.0" encoding="UTF-8"?><w:document {W}><w:body>{xml}</w:body></w:document>'


def crafted_docx(rng: random.Random, scale: int) -> list[tuple[str, bytes]]:
    depth = 20_000 * scale
    text = 4 * 2**20 * scale                      # characters in one text node
    paragraphs = 50_000 * scale
    bomb = 80 * 2**20 * scale                     # bytes of document.xml once inflated
    laughs = "".join(f'<!ENTITY l{i} "{f"&l{i - 1};" * 10}">' for i in range(1, 10))
    return [
        ("docx-zip-bomb", docx_of(body("<w:p><w:r><w:t>报告</w:t></w:r></w:p>").encode() + b" " * bomb)),
        ("docx-giant-text-node", docx_of(body("<w:p><w:r><w:t>{}</w:t></w:r></w:p>").encode().replace(
            b"{}", "字".encode() * text))),
        ("docx-deep-nesting", docx_of(body("<w:p>" * depth + "</w:p>" * depth))),
        ("docx-many-paragraphs", docx_of(body("<w:p><w:r><w:t>法治</w:t></w:r></w:p>" * paragraphs))),
        ("docx-billion-laughs", docx_of(f'<?xml version="1.0"?><!DOCTYPE w:document [<!ENTITY l0 "lol">{laughs}]>'
                                        f'<w:document {W}><w:body><w:p><w:r><w:t>&l9;</w:t></w:r></w:p></w:body>'
                                        "</w:document>")),
        ("docx-external-entity", docx_of(f'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
                                         f'<w:document {W}><w:body><w:p><w:r><w:t>&x;</w:t></w:r></w:p></w:body>'
                                         "</w:document>")),
        ("docx-not-xml", docx_of(bytes(rng.randrange(256) for _ in range(4_000)))),
        ("docx-no-document-part", zipped({"[Content_Types].xml": CONTENT_TYPES, "_rels/.rels": RELS})),
        ("docx-stored-bomb", docx_of(body("<w:p/>").encode() + b" " * (bomb // 8),
                                     **{"word/x.bin": b"\0" * (bomb // 4)})),
        ("docx-many-members", zipped({f"word/media/{i}.bin": b"" for i in range(5_000 * scale)}
                                     | {"word/document.xml": body("<w:p/>")}, zipfile.ZIP_STORED)),
        ("xlsx-as-docx", zipped({"[Content_Types].xml": CONTENT_TYPES.replace("word/document", "xl/workbook"),
                                 "_rels/.rels": RELS.replace("word/document", "xl/workbook"),
                                 "xl/workbook.xml": "<workbook/>", "xl/worksheets/sheet1.xml": "<worksheet/>"})),
        ("ofd-as-docx", zipped({"OFD.xml": '<ofd:OFD xmlns:ofd="http://www.ofdspec.org/2016"/>',
                                "Doc_0/Document.xml": "<ofd:Document/>", "Doc_0/Pages/Page_0/Content.xml": "<x/>"})),
        ("docx-crc-mismatch", docx_of(body("<w:p><w:r><w:t>法治政府</w:t></w:r></w:p>")).replace(
            "法治政府".encode(), "人民政府".encode())),
    ]


# -- Word 97 / WPS (OLE2) written from nothing ---------------------------------------------------

def ole(streams: dict[str, bytes]) -> bytes:
    """A minimal OLE2 compound file (512-byte sectors, no mini stream: every stream is padded
    to 4096 bytes so it lives in the main FAT) holding `streams` in its root storage."""
    sector = 512
    blobs = [data + b"\0" * (-len(data) % sector) for data in streams.values()]
    blobs = [blob if len(blob) >= 4096 else blob + b"\0" * (4096 - len(blob)) for blob in blobs]
    counts = [len(blob) // sector for blob in blobs]
    data_sectors = sum(counts)
    dir_sectors = (len(streams) + 1 + 3) // 4
    fat_sectors = 1
    while fat_sectors * 128 < data_sectors + dir_sectors + fat_sectors:
        fat_sectors += 1
    fat = []
    start = fat_sectors
    starts = []
    for count in counts:
        starts.append(start)
        fat += [start + k + 1 for k in range(count - 1)] + [0xFFFFFFFE]
        start += count
    dir_start = start
    fat += [dir_start + k + 1 for k in range(dir_sectors - 1)] + [0xFFFFFFFE]
    fat = [0xFFFFFFFD] * fat_sectors + fat
    fat += [0xFFFFFFFF] * (fat_sectors * 128 - len(fat))

    def entry(name: str, kind: int, first: int, size: int, child: int = 0xFFFFFFFF,
              right: int = 0xFFFFFFFF) -> bytes:
        encoded = name.encode("utf-16-le") + b"\0\0"
        return (encoded.ljust(64, b"\0") + struct.pack("<HBB", len(encoded), kind, 1)
                + struct.pack("<III", 0xFFFFFFFF, right, child) + b"\0" * 36
                + struct.pack("<IIxxxx", first, size))

    names = list(streams)
    entries = [entry("Root Entry", 5, 0xFFFFFFFE, 0, child=1 if names else 0xFFFFFFFF)]
    for i, name in enumerate(names):
        entries.append(entry(name, 2, starts[i], len(blobs[i]),
                             right=i + 2 if i + 1 < len(names) else 0xFFFFFFFF))
    directory = b"".join(entries).ljust(dir_sectors * sector, b"\0")
    header = (OLE2_MAGIC + b"\0" * 16 + struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6) + b"\0" * 6
              + struct.pack("<IIIIIIII", 0, fat_sectors, dir_start, 0, 4096, 0xFFFFFFFE, 0, 0xFFFFFFFE)
              + struct.pack("<I", 0))
    difat = list(range(fat_sectors)) + [0xFFFFFFFF] * (109 - fat_sectors)
    header = header[:76] + struct.pack("<109I", *difat)
    fat_bytes = struct.pack(f"<{len(fat)}I", *fat)
    return header + fat_bytes + b"".join(blobs) + directory


def fib(ccp_text: int, clx: tuple[int, int], papx: tuple[int, int] = (0, 0), flags: int = 0x0200,
        nfib: int = 0xC1) -> bytes:
    """A Word 97 File Information Block with the fields attachments._Fib reads."""
    csw, cslw, cb_rg = 14, 22, 93
    base = struct.pack("<HH", 0xA5EC, nfib) + b"\0" * 6 + struct.pack("<H", flags) + b"\0" * 20
    rgw = struct.pack("<H", csw) + b"\0" * (2 * csw)
    rglw = struct.pack("<H", cslw) + struct.pack("<iiii", 0, 0, 0, ccp_text) + b"\0" * (4 * cslw - 16)
    pairs = [(0, 0)] * cb_rg
    pairs[13], pairs[33] = papx, clx
    return base + rgw + rglw + struct.pack("<H", cb_rg) + b"".join(struct.pack("<II", *p) for p in pairs)


def word97(text: str, ccp_lie: int | None = None, pieces_lie: int | None = None, papx_lie: bool = False,
           flags: int = 0x0200) -> bytes:
    """A Word 97 document of `text` (one UTF-16 piece), with optional lies in its tables."""
    encoded = text.encode("utf-16-le")
    head = 2048
    plc = struct.pack("<II", 0, len(text)) + struct.pack("<HIH", 0, head, 0)
    size = len(plc) if pieces_lie is None else pieces_lie
    clx = b"\x02" + struct.pack("<I", size) + plc
    papx = (len(clx), 0xFFFFFFF0) if papx_lie else (0, 0)
    fib_bytes = fib(len(text) if ccp_lie is None else ccp_lie, (0, len(clx)), papx, flags)
    word = fib_bytes.ljust(head, b"\0") + encoded
    return ole({"WordDocument": word, "1Table": clx})


def crafted_doc(rng: random.Random, scale: int) -> list[tuple[str, bytes]]:
    text = "平安县2023年度法治政府建设情况报告\r" + "推进依法行政。\r" * 20
    fields = "\x13" * (100_000 * scale) + "报告\r"
    return [
        ("doc-minimal", word97(text)),
        ("doc-ccp-lie", word97(text, ccp_lie=2**31 - 1)),
        ("doc-negative-ccp", word97(text, ccp_lie=-5)),
        ("doc-piece-count-lie", word97(text, pieces_lie=0xFFFFFFF0)),
        ("doc-papx-lie", word97(text, papx_lie=True)),
        ("doc-encrypted-flag", word97(text, flags=0x0300)),
        ("doc-field-flood", word97(fields)),
        ("doc-control-flood", word97("\x07\r" * (50_000 * scale))),
        ("xls-as-doc", ole({"Workbook": b"\x09\x08" + bytes(rng.randrange(256) for _ in range(3_000))})),
        ("ole-empty", ole({})),
        ("ole-random-sectors", OLE2_MAGIC + bytes(rng.randrange(256) for _ in range(8_000))),
        ("ole-fat-loop", _fat_loop(word97(text))),
    ]


def _fat_loop(data: bytes) -> bytes:
    """The first stream's last FAT entry pointed back at its first sector: a chain that never ends."""
    out = bytearray(data)
    fat_sectors = struct.unpack_from("<I", out, 44)[0]
    first = fat_sectors
    k = first
    while struct.unpack_from("<I", out, 512 + 4 * k)[0] != 0xFFFFFFFE:
        k += 1
    struct.pack_into("<I", out, 512 + 4 * k, first)
    return bytes(out)


# -- the whole set --------------------------------------------------------------------------------

def cases(seed: int, count: int, scale: int = 1):
    """`count` cases (name, bytes, kind): every crafted file once, the rest broken real files."""
    rng = random.Random(seed)
    real = real_files()
    crafted = ([(name, data, "pdf") for name, data in crafted_pdfs(rng, scale)]
               + [(name, data, "docx") for name, data in crafted_docx(rng, scale)]
               + [(name, data, rng.choice(["doc", "wps"])) for name, data in crafted_doc(rng, scale)]
               + [("empty", b"", "pdf"), ("one-byte", b"%", "pdf"), ("html-as-pdf", b"<html>404</html>", "pdf"),
                  ("pdf-as-docx", real["pdf"][0], "docx"), ("docx-as-doc", real["docx"][0], "doc")])
    yield from crafted[:count]
    for n in range(max(0, count - len(crafted))):
        kind = rng.choice(["pdf", "pdf", "docx", "doc"])
        data = rng.choice(real[kind])
        how = rng.randrange(6)
        if how == 0:
            data = flip(rng, data, keep_ends=16 if kind == "pdf" else 0)
        elif how == 1:
            data = truncate(rng, data, b"\n%%EOF\n" if kind == "pdf" and rng.random() < 0.5 else b"")
        elif how == 2:
            data = splice(rng, data, rng.choice(real[rng.choice(list(real))]))
        elif how == 3:
            data = repeat(rng, data)
        elif how == 4 and kind == "docx":
            data = _swap_part(rng, real["docx"][0])
        else:
            data = flip(rng, flip(rng, data, 16), 16)
        label = "wps" if kind == "doc" and rng.random() < 0.3 else kind
        yield f"{kind}-broken-{how}-{n}", data, label


def _swap_part(rng: random.Random, data: bytes) -> bytes:
    """A real DOCX with its document.xml cut or broken inside the zip (a valid container)."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    xml = parts["word/document.xml"]
    parts["word/document.xml"] = rng.choice([xml[: rng.randrange(len(xml))], flip(rng, xml), xml.replace(b"<w:", b"<")])
    return zipped(parts)
