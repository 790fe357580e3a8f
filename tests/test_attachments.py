"""Attachments → text, on real files made by real tools from seed 003 (see fixtures/attachments/README.md)."""
import io
import zipfile

import pytest
from pdfminer.pdfpage import PDFPage

from crawler.extract.attachments import (
    MAX_ATTACHMENT_BYTES,
    AttachmentError,
    attachment_kind,
    attachment_text,
)
from tests.conftest import FIXTURES, REALPAGES, SEEDS

ATTACHMENTS = FIXTURES / "attachments"
SEED_LINES = {line.strip() for path in SEEDS.glob("*.txt") for line in path.read_text("utf-8").splitlines()}
SOURCE = (ATTACHMENTS / "chengkou_2020.txt").read_text("utf-8").splitlines()
PROSE = [p for p in SOURCE if p in SEED_LINES]  # the others are the statistics table's rows
TITLE, SIGNATURE = PROSE[0], PROSE[-2]


def read(name: str) -> bytes:
    return (ATTACHMENTS / name).read_bytes()


def pdf_pages(name: str) -> int:
    return sum(1 for _ in PDFPage.get_pages(io.BytesIO(read(name))))


def test_fixture_text_is_seed_003_with_long_paragraphs():
    assert len(SOURCE) - len(PROSE) == 5  # the table: a merged title row, a header row, three rows
    assert TITLE == "城口县2020年度法治政府建设情况报告" and SIGNATURE == "城口县人民政府"
    assert sum(len(p) > 80 for p in PROSE) >= 5  # more than three PDF lines of about 27 characters


def test_cid_font_pdf_rejoins_paragraphs_across_lines_and_pages():
    assert pdf_pages("chengkou_2020_stsong.pdf") >= 2
    text = attachment_text(read("chengkou_2020_stsong.pdf"), "pdf")
    assert text.split("\n") == PROSE
    # the running header 城口县人民政府 is on every page; only the signature remains
    assert text.count(SIGNATURE) == 1
    assert "- 1 -" not in text and "- 2 -" not in text


def test_single_page_pdf_loses_its_folio():
    """One page gives no repetition to go by: the folio is known by its form and place."""
    assert pdf_pages("chengkou_2020_onepage.pdf") == 1
    assert attachment_text(read("chengkou_2020_onepage.pdf"), "pdf").split("\n") == PROSE[:3]


@pytest.mark.parametrize(("name", "paragraphs"), [
    ("chengkou_2020_stsong_block.pdf", PROSE),
    ("yuelu_2024_block.pdf", (ATTACHMENTS / "yuelu_2024.txt").read_text("utf-8").splitlines()),
])
def test_block_layout_pdf_breaks_at_paragraphs_and_only_at_sentence_ends(name, paragraphs):
    """Without first-line indents a sentence ending at the margin looks like a paragraph
    end, so a split there is allowed; a merge or a mid-sentence break is not. In the
    岳麓 file a paragraph's last line stops within the full-width tolerance and only
    its final 。 ends it, and the 22pt title wraps over two centred lines."""
    assert set(paragraphs) <= SEED_LINES
    lines = attachment_text(read(name), "pdf").split("\n")
    assert "".join(lines) == "".join(paragraphs)
    ends = {sum(len(p) for p in paragraphs[:i + 1]) for i in range(len(paragraphs))}
    breaks = {sum(len(x) for x in lines[:i + 1]) for i in range(len(lines))}
    assert ends <= breaks
    assert all(line.endswith("。") for line, end in zip(lines, sorted(breaks), strict=False) if end not in ends)


def test_libreoffice_pdf_with_embedded_font_running_title_and_table():
    data = read("chengkou_2020_libreoffice.pdf")
    assert pdf_pages("chengkou_2020_libreoffice.pdf") >= 2
    lines = attachment_text(data, "pdf").split("\n")
    assert [line for line in lines if line in PROSE] == PROSE
    assert lines.count(TITLE) == 1  # printed as the page header on every page, and once as the title
    assert "参加人员\t人数" in lines  # a table row is one line, its cells tab-separated as in DOCX
    table_text = "".join(line for line in lines if line not in PROSE).replace(" ", "")
    assert all(value in table_text for value in ("29", "44", "7000余", "新提任领导干部"))
    assert "页" not in table_text  # the 第 N 页 folios are gone


def test_copy_protected_pdf_still_gives_its_text():
    data = read("chengkou_2020_nocopy.pdf")
    assert b"/Encrypt" in data
    assert attachment_text(data, "pdf") == attachment_text(read("chengkou_2020_libreoffice.pdf"), "pdf")


@pytest.mark.parametrize("kind", ["doc", "wps"])
def test_word97_binary_paragraphs_and_table_rows(kind):
    assert attachment_text(read("chengkou_2020.doc"), kind).split("\n") == SOURCE


def test_word97_compressed_piece_written_by_microsoft_word():
    assert attachment_text(read("olefile_test-ole-file.doc"), "doc") == \
        "Test OLE file, saved as Word 97-2003 Document."


def test_docx_paragraphs_and_table_rows_without_header_or_footer():
    text = attachment_text(read("chengkou_2020.docx"), "docx")
    assert text.split("\n") == SOURCE
    assert "2020年法治理论知识考试情况\n参加人员\t人数" in text  # the merged title cell once


@pytest.mark.parametrize(("name", "kind", "reason"), [
    ("encrypted.pdf", "pdf", "encrypted PDF"),
    ("encrypted.doc", "doc", "encrypted DOC"),
    ("encrypted.docx", "docx", "encrypted DOCX"),
    ("imageonly.pdf", "pdf", "no text layer"),
])
def test_unreadable_files_raise_one_line_reasons(name, kind, reason):
    with pytest.raises(AttachmentError, match=reason) as caught:
        attachment_text(read(name), kind)
    assert "\n" not in str(caught.value)


@pytest.mark.parametrize(("name", "kind"), [
    ("chengkou_2020_stsong.pdf", "pdf"),
    ("chengkou_2020_libreoffice.pdf", "pdf"),
    ("chengkou_2020.doc", "doc"),
    ("chengkou_2020.docx", "docx"),
])
def test_truncated_and_empty_files_raise_attachment_error(name, kind):
    data = read(name)
    for broken in (data[:len(data) // 2], data[:len(data) // 2] + b"\n%%EOF\n", data[:600], b""):
        with pytest.raises(AttachmentError) as caught:
            attachment_text(broken, kind)
        assert "\n" not in str(caught.value)


def test_truncated_pdf_and_empty_file_reasons():
    data = read("chengkou_2020_stsong.pdf")
    with pytest.raises(AttachmentError, match="truncated PDF"):
        attachment_text(data[:len(data) // 2], "pdf")
    with pytest.raises(AttachmentError, match="empty"):
        attachment_text(b"", "pdf")


def test_unsupported_type_and_size_cap():
    with pytest.raises(AttachmentError, match="unsupported type 'rar'"):
        attachment_text(b"Rar!\x1a\x07\x00", "rar")
    with pytest.raises(AttachmentError, match="too large"):
        attachment_text(read("chengkou_2020_stsong.pdf") + b"\0" * MAX_ATTACHMENT_BYTES, "pdf")


@pytest.mark.parametrize(("name", "kind"), [
    ("http://www.cqck.gov.cn/zwgk_250/fdzdgknr/202107/P020210723593264356421.pdf", "pdf"),
    ("./P020241219531612435781.docx", "docx"),
    ("/zfxxgk/202103/W020210315/REPORT.DOC", "doc"),
    ("/module/download/downfile.jsp?classid=0&filename=2103151023%2Ewps", "wps"),
    ("/generic/web/viewer.html?file=/upload/2021/40280252845f570401845f5704250001.pdf", "pdf"),
    ("附件：城口县2020年度法治政府建设情况报告.pdf", "pdf"),
    ("附件1：统计表.doc（56KB）", "doc"),
    ("http://doc.cqck.gov.cn/zwgk/index.html", None),
    ("http://www.cqck.gov.cn/zwgk/fdzdgknr/202107/t20210723_9513226.html", None),
])
def test_kind_from_url_or_link_text(name, kind):
    assert attachment_kind(name) == kind


@pytest.mark.parametrize(("content_type", "kind"), [
    ("application/pdf", "pdf"),
    ("application/msword; charset=UTF-8", "doc"),
    ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx"),
    ("application/octet-stream", None),
    (None, None),
])
def test_kind_from_content_type(content_type, kind):
    assert attachment_kind("http://www.cqck.gov.cn/download?id=3", content_type) == kind


def test_kind_from_bytes_wins_over_name():
    html = (REALPAGES / "www.gov.cn" / "detail_gongbao_2007_23.html").read_bytes()
    plain_zip = io.BytesIO()
    with zipfile.ZipFile(plain_zip, "w") as archive:
        archive.writestr("chengkou_2020.txt", "\n".join(SOURCE))
    doc, docx = read("chengkou_2020.doc"), read("chengkou_2020.docx")
    assert attachment_kind("report.doc", None, read("chengkou_2020_stsong.pdf")) == "pdf"
    assert attachment_kind("report.wps", None, doc) == "wps"
    assert attachment_kind("download.jsp", "application/octet-stream", doc) == "doc"
    assert attachment_kind("download.jsp", None, docx) == "docx"
    assert attachment_kind("report.doc", None, read("encrypted.docx")) == "docx"
    assert attachment_kind("report.pdf", "application/pdf", html) is None  # an error page, not the file
    assert attachment_kind("report.docx", None, plain_zip.getvalue()) is None
    assert attachment_kind("report.docx", None, docx[:5000]) == "docx"  # damaged: the name decides
    assert attachment_kind("download.jsp", None, docx[:5000]) is None


def test_real_pdf_tables_keep_their_rows_and_the_prose_around_them_its_paragraphs():
    """淮安 2024 (tests/fixtures/analyze/huaian_2024.pdf, a real WPS PDF): each row of its ruled
    tables is one line of cells; a paragraph in a ruled text box stays prose."""
    data = (FIXTURES / "analyze" / "huaian_2024.pdf").read_bytes()
    lines = attachment_text(data, "pdf").split("\n")
    assert "（七）总计\t2932\t53\t0\t0\t61\t4\t3050" in lines
    assert "行政事业性收费\t96171.6" in lines
    assert "72\t64\t178\t37\t351\t13\t4\t8\t1\t26\t12\t1\t1\t6\t20" in lines
    assert any("针对突出问题和日常共性问题，及时督促整改。" in line for line in lines)
    assert "五、存在的主要问题及改进情况" in lines
