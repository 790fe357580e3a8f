"""crawler/analyze/: sections, completeness, disclosure tables, year over year; and their storage.

Truth is written by reading the texts (tests/fixtures/analyze/README.md says where each comes from);
the disclosure fixtures are raw bytes as a server would send them (GBK where the page says GBK).
"""
from __future__ import annotations

import sqlite3

import pytest
from w3lib.encoding import html_to_unicode

from crawler.analyze import disclosure
from crawler.analyze.completeness import completeness
from crawler.analyze.report import analyze_report
from crawler.analyze.sections import FZ, XXGK, bold_lines, label_for, split_sections
from crawler.analyze.yoy import diff, repeated_share
from crawler.store import Store
from tests.conftest import FIXTURES, SEEDS

HERE = FIXTURES / "analyze"


def seed(name: str) -> str:
    return next(SEEDS.glob(f"{name}_*.txt")).read_text(encoding="utf-8")


def page(name: str) -> str:
    return html_to_unicode(None, (HERE / name).read_bytes())[1]


# -- sections on the seed texts (level-1 headings and labels written by reading them) ----------

SEED_LEVEL1 = {
    "000": [("一、2022年法治政府建设工作推进情况", "measures"),
            ("二、主要负责人推进履行法治政府建设第一责任人职责情况", "first_responsible"),
            ("三、存在的不足及下步工作打算", "shortcomings")],
    "001": [("一、坚持党的领导,法治政府建设取得新成效", "measures"),
            ("二、推进法治政府建设的主要举措和成效", "measures"),
            ("三、存在的不足及2025年工作打算", "shortcomings")],
    "003": [("一、2020年度推进法治政府建设的主要举措和成效", "measures"),
            ("二、推进法治政府建设存在的不足", "shortcomings"),
            ("三、法治政府下一步工作安排", "plans")],
    "004": [("一、工作开展情况", "measures"), ("二、存在的主要问题", "shortcomings"),
            ("三、下一步工作打算", "plans")],
    # an 实施方案, not a report: numbered parts, none of them a report's part
    "002": [("一、指导思想", None), ("二、基本原则", None), ("三、创建目标", None), ("四、重点任务", None),
            ("五、创建步骤", None), ("六、工作要求", None)],
}
SEED_LEVEL2 = {"000": 14, "001": 8, "002": 24, "003": 11, "004": 12}


@pytest.mark.parametrize("name", sorted(SEED_LEVEL1))
def test_seed_sections_have_the_readers_headings_and_labels(name):
    sections = split_sections(seed(name), FZ)
    assert [(s.heading, s.label) for s in sections if s.level == 1] == SEED_LEVEL1[name]
    assert sum(s.level == 2 for s in sections) == SEED_LEVEL2[name]


def test_section_text_is_what_follows_its_heading():
    sections = split_sections(seed("003"), FZ)
    shortcomings = next(s for s in sections if s.label == "shortcomings")
    assert shortcomings.text.startswith("2020年,我县法治政府建设取得明显成效")
    assert sections[0].level == 0 and sections[0].heading is None  # the text before 一、
    assert [s.position for s in sections] == list(range(len(sections)))


def test_first_responsible_folded_into_a_sub_item_counts_as_present():
    parts = completeness(split_sections(seed("001"), FZ), FZ)
    assert parts == {"measures": "section", "shortcomings": "section", "first_responsible": "sub_item",
                     "plans": "section"}  # plans: named by 三、存在的不足及2025年工作打算


def test_a_report_without_the_first_responsible_part_misses_it():
    assert completeness(split_sections(seed("004"), FZ), FZ)["first_responsible"] == "missing"


HEADING_VARIANTS = """2023年，我县坚持依法行政。
一. 2023年度法治政府建设主要举措和成效
（一）加强党的领导。全年召开常务会议12次。
三．存在的问题
其中一、二季度进展较慢。
第四部分 下一年度工作安排
一、本年新收政府信息公开申请数量 | 3 | 0 | 3
五、其他需要报告的情况"""


def test_heading_variants_and_numbering_gaps():
    sections = split_sections(HEADING_VARIANTS, FZ)
    level1 = [(s.heading, s.label) for s in sections if s.level == 1]
    assert level1 == [("一. 2023年度法治政府建设主要举措和成效", "measures"), ("三．存在的问题", "shortcomings"),
                      ("第四部分 下一年度工作安排", "plans"), ("五、其他需要报告的情况", "other")]
    sub = next(s for s in sections if s.level == 2)
    assert (sub.heading, sub.text) == ("（一）加强党的领导", "全年召开常务会议12次。")
    plans = next(s for s in sections if s.label == "plans")
    assert "本年新收" in plans.text  # a table row is text, not a heading


BOLD_PAGE = """<html><body><div id="zoom">
<p>本报告根据条例编制。</p>
<p><strong>总体情况</strong></p><p>全年主动公开信息120条。</p>
<p><b>主动公开政府信息情况</b></p><p>详见下表。</p>
<p><span style="font-weight: bold">收到和处理政府信息公开申请情况</span></p><p>全年收到申请3件。</p>
<p>本机关<strong>高度重视</strong>公开工作。</p>
</div></body></html>"""


def test_bold_only_lines_are_headings_where_nothing_is_numbered():
    body = "本报告根据条例编制。\n总体情况\n全年主动公开信息120条。\n主动公开政府信息情况\n详见下表。\n" \
           "收到和处理政府信息公开申请情况\n全年收到申请3件。\n本机关高度重视公开工作。"
    bold = bold_lines(BOLD_PAGE)
    assert "本机关高度重视公开工作。" not in bold
    sections = split_sections(body, XXGK, bold)
    assert [(s.heading, s.label) for s in sections if s.level == 1] == [
        ("总体情况", "overview"), ("主动公开政府信息情况", "proactive"),
        ("收到和处理政府信息公开申请情况", "requests")]


@pytest.mark.parametrize("heading, kind, label", [
    ("一、区政府主要负责同志履行推进法治建设第一责任人职责情况", FZ, "first_responsible"),
    ("四、其他需要报告的情况", FZ, "other"),
    ("三、2024年工作计划", FZ, "plans"),
    ("二、存在的不足和原因", FZ, "shortcomings"),
    ("一、主要工作成效", FZ, "measures"),
    ("五、党建工作", FZ, None),
    ("四、政府信息公开行政复议、行政诉讼情况", XXGK, "review_litigation"),
    ("五、存在的主要问题及改进情况", XXGK, "problems"),
    ("六、其他需要报告的事项", XXGK, "other_matters"),
    ("二、审批事项及处理情况", XXGK, None),
    # headings of real reports the rules were not written from (a township template, 新疆 2017,
    # 涪陵 2022, 静海 2020 and 2023, 贤庠镇 2022): labelled by reading before the code was run on them
    ("二、法治政府建设工作存在的问题及原因", FZ, "shortcomings"),
    ("一、2017年法治政府建设情况", FZ, "measures"),
    ("一、工作开展情况", FZ, "measures"),
    ("一、2020年推进法治政府建设的主要举措和成效", FZ, "measures"),
    ("一、区政府主要负责同志履行推进法治建设第一责任人职责情况", FZ, "first_responsible"),
    ("一、强化组织领导，夯实法治基础", FZ, None),  # a work area: measures only in its outline's context
])
def test_labels(heading, kind, label):
    assert label_for(heading, kind) == label


# -- disclosure tables ----------------------------------------------------------------------------

HUAIAN = {"requests_new": 3119, "requests_carried_over": 34, "requests_closed_total": 3050,
          "requests_carried_forward": 103, "review_total": 351, "suit_total": 46, "checks_failed": False}


def _summary(rows):
    return {k: v for k, v in disclosure.summary(rows).items() if k != "failed"}


def test_real_pdf_tables_across_a_page_break():
    """淮安 2024 (a real WPS PDF): table 三 breaks inside （四）无法提供, table 二 inside 第二十条."""
    rows = disclosure.figures(pdf=(HERE / "huaian_2024.pdf").read_bytes())
    assert _summary(rows) == HUAIAN
    cell = {(f.table_no, f.row_label, f.column_label): f.value for f in rows}
    assert cell["三", "（四）无法提供/1.本机关不掌握相关政府信息", "总计"] == 769  # last row of page 4
    assert cell["三", "（四）无法提供/2.没有现成信息需要另行制作", "总计"] == 11  # first row of page 5
    assert cell["三", "（六）其他处理/3.其他", "自然人"] == 108
    assert cell["二", "行政事业性收费", "本年收费金额（万元）"] == 96171.6
    assert cell["二", "行政处罚", "本年处理决定数量"] == 3985758
    assert sum(f.table_no == "三" for f in rows) == 25 * 7  # 25 rows, no 小计 column


def test_html_tables_without_the_subtotal_column():
    rows = disclosure.figures(page("xxgk_2021_no_subtotal.html"))
    assert _summary(rows) == HUAIAN
    assert not any(f.column_label.endswith("小计") for f in rows)


def test_html_tables_with_the_subtotal_column_blank_cells_and_a_slip():
    rows = disclosure.figures(page("xxgk_2021_subtotal_gbk.html"))
    assert _summary(rows) == {"requests_new": 49, "requests_carried_over": 6, "requests_closed_total": 44,
                              "requests_carried_forward": 9, "review_total": 4, "suit_total": 2,
                              "checks_failed": True}
    cell = {(f.table_no, f.row_label, f.column_label): f.value for f in rows}
    assert cell["三", "一、本年新收政府信息公开申请数量", "法人或其他组织/小计"] == 9
    assert cell["三", "一、本年新收政府信息公开申请数量", "法人或其他组织/科研机构"] is None  # &nbsp;
    # 40 + 5 ≠ 35 + 8 in the 自然人 column, so also in 总计; every subtotal holds
    assert disclosure.summary(rows)["failed"] == ["balance/自然人", "balance/总计"]


def test_generated_pdf_with_the_subtotal_column_over_two_pages():
    rows = disclosure.figures(pdf=(HERE / "xxgk_2021_subtotal.pdf").read_bytes())
    assert _summary(rows) == {"requests_new": 136, "requests_carried_over": 9, "requests_closed_total": 133,
                              "requests_carried_forward": 12, "review_total": 9, "suit_total": 8,
                              "checks_failed": False}
    assert sum(f.table_no == "三" for f in rows) == 25 * 8


def test_a_report_without_tables_has_no_figures_and_no_verdict():
    assert disclosure.figures("<html><body><p>一、总体情况</p></body></html>") == []
    assert disclosure.summary([])["checks_failed"] is None
    assert disclosure.figures(pdf=b"%PDF-1.4 broken") == []


# -- year over year -------------------------------------------------------------------------------

def test_repeated_share_masks_figures_and_years():
    text = seed("003")
    assert repeated_share(text, text) == 1.0
    assert repeated_share(text.replace("2020", "2021"), text) == 1.0
    assert repeated_share(text, seed("001")) < 0.2
    assert repeated_share("", text) is None
    half = "\n".join(text.split("\n")[: len(text.split("\n")) // 2])
    assert 0.3 < repeated_share(half + "\n" + seed("004"), text) < 0.7


def test_diff_lists_removed_and_added_paragraphs_in_order():
    old = "一、总体情况\n全年公开120条。\n二、主动公开"
    new = "一、总体情况\n全年公开150条。\n新增一段。\n二、主动公开"
    assert diff(old, new) == [(" ", "一、总体情况"), ("-", "全年公开120条。"), ("+", "全年公开150条。"),
                              ("+", "新增一段。"), (" ", "二、主动公开")]


# -- storage: one transaction, the views -----------------------------------------------------------

def test_store_keeps_a_reports_analysis_and_the_views_read_it(tmp_path):
    store = Store(tmp_path / "a.db")
    html = page("xxgk_2021_subtotal_gbk.html")
    report = {"url": "http://x/2022.html", "title": "某区人民政府2022年政府信息公开工作年度报告",
              "report_type": XXGK, "year": 2022, "publisher": "某区人民政府", "site": "x",
              "body": "一、总体情况\n全年公开。\n二、主动公开政府信息情况\n三、收到和处理政府信息公开申请情况\n"
                      "四、政府信息公开行政复议、行政诉讼情况\n五、存在的主要问题及改进情况\n六、其他需要报告的事项"}
    previous = dict(report, url="http://x/2021.html", year=2021, title="某区人民政府2021年政府信息公开工作年度报告")
    store.save_report(previous)
    store.save_report(report)
    store.save_analysis(analyze_report(store.report_row(report["url"]), html, [],
                                       **store.neighbours(report["url"])))
    db = sqlite3.connect(tmp_path / "a.db")
    db.row_factory = sqlite3.Row
    summary = dict(db.execute("SELECT * FROM disclosure_summary WHERE report_url = ?", [report["url"]]).fetchone())
    assert {k: summary[k] for k in HUAIAN} == {
        "requests_new": 49, "requests_carried_over": 6, "requests_closed_total": 44,
        "requests_carried_forward": 9, "review_total": 4, "suit_total": 2, "checks_failed": 1}
    assert summary["failed_checks"] == "balance/自然人; balance/总计"
    labels = [r[0] for r in db.execute("SELECT label FROM sections WHERE report_url = ? AND level = 1 "
                                       "ORDER BY position", [report["url"]])]
    assert labels == ["overview", "proactive", "requests", "review_litigation", "problems", "other_matters"]
    complete = dict(db.execute("SELECT * FROM report_completeness WHERE report_url = ?", [report["url"]]).fetchone())
    assert (complete["parts_required"], complete["complete"], complete["missing"]) == (9, 1, None)
    years = dict(db.execute("SELECT * FROM report_years WHERE report_url = ?", [report["url"]]).fetchone())
    assert years["previous_url"] == previous["url"] and years["repeated_share"] == 1.0
    # analysed again: replaced, not added to
    store.save_analysis(analyze_report(store.report_row(report["url"]), html, []))
    assert db.execute("SELECT count(*) FROM sections WHERE report_url = ?", [report["url"]]).fetchone()[0] == 6
    store.close()


def test_real_2019_format_tables_with_a_blank_total_column():
    """上海市人民政府办公厅 2019 (real figures and cells, README.md): the 2019 试行 format's single
    （六）其他处理 row, blanks for 0, and the 总计 column left blank on the outcome rows, so the
    row totals and the outcome sum of 总计 fail although 一 + 二 = 三(七) + 四 holds."""
    rows = disclosure.figures(page("shanghai_2019_tables.html"))
    assert _summary(rows) == {"requests_new": 859, "requests_carried_over": 18, "requests_closed_total": 805,
                              "requests_carried_forward": 72, "review_total": 7, "suit_total": 9,
                              "checks_failed": True}
    failed = disclosure.summary(rows)["failed"]
    assert "closed/总计" in failed and "row_total/（一）予以公开" in failed
    assert not any(name.startswith(("balance/", "closed/自然人", "total/")) for name in failed)
    assert any(f.row_label == "（六）其他处理" for f in rows)


def test_full_width_digits_are_figures():
    html = ("<table><tr><td colspan=\"5\">行政复议</td></tr><tr><td>结果维持</td><td>结果纠正</td><td>其他结果</td>"
            "<td>尚未审结</td><td>总计</td></tr><tr><td>１</td><td>０</td><td>０</td><td>２</td><td>３</td></tr></table>")
    assert disclosure.summary(disclosure.figures(html))["review_total"] == 3


AREAS_AS_PARTS = """2022年，我区法治政府建设取得新进展。
一、加强党对法治政府建设的领导
区委常委会专题研究法治工作4次。
二、依法全面履行政府职能
深化“放管服”改革。
三、推进严格规范公正文明执法
四、存在的不足
五、下一步工作打算
六、其他需要说明的情况"""


def test_work_areas_numbered_as_parts_before_the_shortcomings_are_the_measures():
    labels = [s.label for s in split_sections(AREAS_AS_PARTS, FZ) if s.level == 1]
    assert labels == ["measures", "measures", "measures", "shortcomings", "plans", "other"]
    plan = [s.label for s in split_sections(seed("002"), FZ) if s.level == 1]
    assert plan == [None] * 6  # an 实施方案's parts stay unlabelled


def test_a_failed_analysis_is_recorded_and_leaves_no_rows(tmp_path):
    store = Store(tmp_path / "a.db")
    report = {"url": "http://x/1.html", "title": "某县2022年政府信息公开工作年度报告", "report_type": XXGK,
              "year": 2022, "body": "一、总体情况\n全年公开。", "site": "x"}
    store.save_report(report)
    store.save_analysis(analyze_report(store.report_row(report["url"]), page("xxgk_2021_subtotal_gbk.html")))
    store.analysis_failed(report["url"], 1, "ValueError: odd table")
    db = sqlite3.connect(tmp_path / "a.db")
    assert db.execute("SELECT error FROM analyses").fetchall() == [("ValueError: odd table",)]
    assert db.execute("SELECT count(*) FROM disclosure_figures").fetchone()[0] == 0
    assert db.execute("SELECT count(*) FROM reports").fetchone()[0] == 1
    store.close()
