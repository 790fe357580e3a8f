"""The cover-page rule (extract.with_attachments) and the choice of the official copy
(analyze.dedup.more_official), each apart from the pipeline that connects them."""
from crawler.analyze.dedup import more_official
from crawler.extract import COVER_PAGE_CHARS, NO_TEXT, extract_report, with_attachments
from tests.conftest import SEEDS

REPORT_TEXT = (SEEDS / "003_e57463c415281427.txt").read_text(encoding="utf-8")
PAGE = "http://www.cqck.gov.cn/zwgk/fzzfjsndbg/202103/t20210329_9156342.html"
PDF = "http://www.cqck.gov.cn/zwgk/fzzfjsndbg/202103/P020210329598347012876.pdf"


def page_report(body):
    return {"url": PAGE, "title": "城口县2020年度法治政府建设情况报告", "body": body,
            "report_type": "法治政府建设年度报告", "year": 2020}


def test_a_cover_page_takes_the_longest_file_as_its_body_and_source():
    short = "城口县2020年度法治政府建设情况报告，全文详见附件。"
    report = with_attachments(page_report(short), [(PDF + "x", "摘要"), (PDF, REPORT_TEXT), ("http://x/y.doc", None)])
    assert report["body"] == REPORT_TEXT and report["source_url"] == PDF
    assert report["report_type"] == "法治政府建设年度报告"


def test_a_page_with_its_own_text_keeps_it_and_is_its_own_source():
    own = "正文" * COVER_PAGE_CHARS
    report = with_attachments(page_report(own), [(PDF, REPORT_TEXT)])
    assert report["body"] == own and report["source_url"] == PAGE


def test_no_readable_file_leaves_the_cover_page_as_it_is():
    report = with_attachments(page_report("详见附件"), [(PDF, None)])
    assert report["body"] == "详见附件" and report["source_url"] == PAGE
    assert with_attachments(page_report(None), [])["source_url"] is None


def test_a_report_with_no_text_anywhere_says_so_and_keeps_earlier_reasons():
    """An image-only or script-filled page with no readable file is a row that says it has no text."""
    page = extract_report(PAGE, "<html><body><div class=content><img src=scan1.jpg></div></body></html>",
                          list_title="城口县2020年度法治政府建设情况报告")
    bare = with_attachments(page, [(PDF, None)])
    assert bare["body"] is None and bare["source_url"] is None and bare["error"] == NO_TEXT
    assert bare["report_type"] == "法治政府建设年度报告" and bare["year"] == 2020   # still counted
    earlier = with_attachments(dict(page_report(None), error="body: ValueError: x"), [])
    assert earlier["error"] == f"body: ValueError: x; {NO_TEXT}"
    assert with_attachments(dict(page_report("正文"), error=None), [])["error"] is None
    assert with_attachments(dict(page_report(None), error=None), [(PDF, REPORT_TEXT)])["error"] is None


def copy(url, body=REPORT_TEXT, publisher="城口县人民政府"):
    return {"url": url, "title": "城口县2020年度法治政府建设情况报告", "body": body, "publisher": publisher}


def test_the_government_page_is_more_official_than_an_aggregator_copy():
    official, aggregator = copy(PAGE), copy("https://www.fanwen.com/a/119532.html", publisher=None)
    assert more_official(official, aggregator) and not more_official(aggregator, official)


def test_an_equally_official_copy_never_takes_the_row():
    assert not more_official(copy(PAGE), copy(PAGE))
