"""Report type and covered year: the domain's positive and look-alike titles, the seeds, and real list pages."""
import html
import re

import pytest
from conftest import REALPAGES, SEEDS

from crawler.extract.classify import FZ, XXGK, classify, column_kind, link_kind

PINGTAN = REALPAGES / "www.pingtan.gov.cn"

# domain.md §2.3, P1–P17 (P14 and P16 have two forms each).
POSITIVES = [
    ("静海区2023年度法治政府建设情况报告", 2023),
    ("2020年静海区法治政府建设情况报告", 2020),
    ("淮安市人民政府关于2017年度法治政府建设情况的报告", 2017),
    ("中共淮北市烈山区委 烈山区人民政府关于2024年法治政府建设情况的报告", 2024),
    ("重庆市长寿区司法局2022年度法治政府建设年度报告", 2022),
    ("武汉市司法局2022年度推进法治政府建设情况报告", 2022),
    ("赵县人民政府2022年度法治政府建设情况报告", 2022),
    ("清水县人民政府关于清水县2023年度法治政府建设工作总结的报告", 2023),
    ("应急管理部2025年法治政府建设年度报告", 2025),
    ("司法部2021年法治政府建设年度报告", 2021),
    ("市政府办公室2022年度法治政府建设情况报告", 2022),
    ("XX县2020年度法治政府建设情况报告", 2020),
    ("关于2022年法治政府建设情况的报告", 2022),
    ("XX区2021年法治政府建设工作报告", 2021),
    ("XX区2021年法治政府建设工作情况报告", 2021),
    ("XX市2022年法治政府建设年度报告", 2022),
    ("2022年度法治政府建设情况报告（XX镇）", 2022),
    ("XX街道2022年法治政府建设情况报告", 2022),
    ("XX县人民政府关于2021年度法治政府建设工作情况的报告（X府报〔2022〕5号）", 2021),
]

# domain.md §2.4, N1–N25, with the label each gets (N3, N24, N25: the policy in classify's docstring).
# A look-alike has no year (issue 10): only the two annual reports cover one.
LOOKALIKES = [
    ("2021年上半年法治政府建设工作情况报告（乡镇版）", "半年报告", None),
    ("区五年法治政府建设工作情况的报告", "五年报告", None),
    ("（县政府向人大常委会）全县法治政府建设情况报告", "专项报告", None),
    ("【政策解读】关于《清水县人民政府关于清水县2023年度法治政府建设工作总结的报告》的政策解读", "解读", None),
    ("【文字解读】《中共淮北市烈山区委烈山区人民政府关于2024年法治政府建设情况的报告》文件解读", "解读", None),
    ("金昌市人民政府关于印发《金昌市创建全国法治政府建设示范市实施方案》的通知", "通知", None),
    ("省人民政府关于印发贵州省2018年法治政府建设工作要点的通知", "通知", None),
    ("西平县人民政府办公室关于印发西平县2020年度法治政府建设工作安排的通知", "通知", None),
    ("宁夏回族自治区法治政府建设指标体系（试行）", "指标体系", None),
    ("内蒙古自治区法治政府建设实施方案（2021—2025年）", "实施方案", None),
    ("在法治政府建设推进会议上的讲话", "讲话", None),
    ("鞍山市党政主要负责人履行推进法治建设第一责任人职责清单", "清单", None),
    ("2018年法治政府建设年报发布评估报告出炉", "新闻", None),
    ("法治政府蓝皮书：中国法治政府评估报告（2017）", "评估报告", None),
    ("井研县司法局多举措做好年度法治政府建设报告的审查备案工作", "新闻", None),
    ("法治政府建设与责任落实督察工作规定", "规定", None),
    ("法治政府建设年度报告工作指引", "指引", None),
    ("XX市2022年政府信息公开工作年度报告", XXGK, 2022),
    ("2023年《政府工作报告》重点工作目标任务进展情况表", "其他", None),
    ("政府网站工作年度报表", "网站年报", None),
    ("政府网站工作年报", "网站年报", None),
    ("2022年行政审判年度报告", "其他", None),
    ("关于开展2023年度法治政府建设考核的通知", "通知", None),
    ("法治政府建设督察反馈问题整改情况的报告", "整改报告", None),
    ("XX局局长2022年度述法报告", "述法报告", None),
    ("2022年度法治建设工作情况报告", "法治建设报告", None),
    ("2022年度依法行政工作报告", "依法行政报告", None),
    ("依法行政考核自查报告", "考核", None),
    ("XX县2023年法治政府建设推进会召开", "新闻", None),
]

# (seed, its title, type, year from title and body, year from the body alone). Seed 000 is an aggregator copy
# titled 2023年度 whose text reports on 2022: the contract takes the year from the title, else the body.
SEEDS_TABLE = [
    ("000_9888fa626719769d.txt", "2023年度某区法治政府建设工作情况报告", FZ, 2023, 2022),
    ("001_09ab2a23c5e0d572.txt", "关于2024年岳麓区法治政府建设工作情况的报告", FZ, 2024, 2024),
    ("002_31ab376823ec5560.txt", "漯河市源汇区法治政府建设示范创建工作 实施方案", "实施方案", None, None),
    ("003_e57463c415281427.txt", "城口县2020年度法治政府建设情况报告", FZ, 2020, 2020),
    ("004_1954abeeccb72b6d.txt", "关于2022年法治政府建设情况的报告", FZ, 2022, 2022),
]


def seed_body(name: str, title: str) -> str:
    """The seed's text after its title line: what the body extractor hands on."""
    text = (SEEDS / name).read_text(encoding="utf-8")
    return text[text.index(title) + len(title):]


def anchor_texts(page: str) -> list[str]:
    raw = (PINGTAN / page).read_bytes().decode("utf-8")
    return [t for t in (re.sub(r"<[^>]+>", "", m).strip() for m in re.findall(r"<a\b[^>]*>(.*?)</a>", raw, re.S)) if t]


def pingtan_report_titles() -> list[str]:
    raw = (PINGTAN / "list_zfxxgknb_nianbao_trs_fujian_jiyue.html").read_bytes().decode("utf-8")
    return re.findall(r'<a href="\./\d{6}/t\d+_\d+\.htm"[^>]*title="([^"]+)"', raw)


def pingtan_detail() -> tuple[str, str]:
    """Title (ArticleTitle meta) and the article's text of the real 2013 信息公开年度报告 page."""
    raw = (PINGTAN / "detail_zfxxgknb_2013_dishuiju_annual_report.html").read_bytes().decode("utf-8")
    title = re.search(r'<meta name="ArticleTitle" content="([^"]+)"', raw).group(1)
    part = raw[raw.index('class="article_content'):raw.index('class="article_attachment"')]
    part = re.sub(r"<(?:p|div|br|tr|h\d)\b[^>]*>", "\n", part.split(">", 1)[1])
    return title, html.unescape(re.sub(r"<[^>]+>", "", part))


@pytest.mark.parametrize("title, year", POSITIVES)
def test_annual_rule_of_law_reports(title, year):
    assert classify(title, None) == (FZ, year)


@pytest.mark.parametrize("title, label, year", LOOKALIKES)
def test_lookalikes_get_their_own_label(title, label, year):
    assert classify(title, None) == (label, year)


@pytest.mark.parametrize("title", [title for title, _ in POSITIVES])
def test_list_links_to_annual_reports_are_followed(title):
    assert link_kind(title) == FZ


@pytest.mark.parametrize("title, label", [(title, label) for title, label, _ in LOOKALIKES])
def test_list_links_to_lookalikes_are_not_followed(title, label):
    assert link_kind(title) == (label if label in (FZ, XXGK) else None)


@pytest.mark.parametrize("title, label, year", [
    # domain.md: 法治政府建设示范 "usually negative": a report on the campaign names 法治政府建设 only in its name
    ("XX县法治政府建设示范创建工作情况的报告", "示范创建", None),
    ("XX市关于创建全国法治政府建设示范市工作情况的报告", "示范创建", None),
    ("关于申报省级法治政府建设示范项目的报告", "示范创建", None),
    ("XX区2023年度法治政府建设示范创建工作总结", "示范创建", None),
    ("漯河市源汇区法治政府建设示范创建工作 实施方案", "实施方案", None),   # a look-alike's own word first
    # … while a title naming the year's 法治政府建设 beside the campaign is the annual report
    ("XX县人民政府关于2022年度法治政府建设暨示范创建工作情况的报告", FZ, 2022),
    ("中共XX县委 XX县人民政府关于2023年法治政府建设和全国法治政府建设示范县创建情况的报告", FZ, 2023),
    ("XX市2022年度法治政府建设情况报告（全国法治政府建设示范市）", FZ, 2022),
    ("XX示范区2022年度法治政府建设情况报告", FZ, 2022),                 # 示范区, a place, not the campaign
    ("XX示范区2022年政府信息公开工作年度报告", XXGK, 2022),
])
def test_demonstration_campaign_reports_are_not_annual_reports(title, label, year):
    assert classify(title, None) == (label, year)
    assert link_kind(title) == (label if label in (FZ, XXGK) else None)


@pytest.mark.parametrize("text, kind", [
    ("XX县法治政府建设示范创建工作情况...", None),          # cut after the campaign's name: a look-alike
    ("XX市创建全国法治政府建设示范市工作...", None),
    ("XX县人民政府关于2022年度法治政府建设暨示范...", FZ),   # the year's report named before the cut
])
def test_cut_list_titles_of_campaign_reports(text, kind):
    assert link_kind(text) == kind


@pytest.mark.parametrize("title, label, year", [
    ("《XX县2022年度法治政府建设情况报告》", FZ, 2022),
    ("XX县2022年法治政府建设年度报告_XX县人民政府网", FZ, 2022),
    ("XX县2022年法治政府建设年度报告（图解）", "解读", None),
    ("一图读懂历下区2024年政府信息公开工作年度报告", "解读", None),
    ("一图看懂｜XX县2023年法治政府建设年度报告", "解读", None),
    ("全县法治政府建设情况报告（在县人大常委会会议上）", "专项报告", None),
])
def test_title_wrappers_and_tails(title, label, year):
    assert classify(title, None) == (label, year)


@pytest.mark.parametrize("title, label, year", [
    ("法治政府建設年度報告", FZ, None),
    ("靜海區2023年度法治政府建設情況報告", FZ, 2023),
    ("關於2022年法治政府建設情況的報告", FZ, 2022),
    ("XX市2022年政府資訊公開工作年度報告", XXGK, 2022),
    ("【政策解讀】關於《清水縣2023年度法治政府建設工作總結的報告》的政策解讀", "解读", None),
])
def test_traditional_mirror_titles_read_the_same(title, label, year):
    assert classify(title, None) == (label, year)


@pytest.mark.parametrize("title, year", [
    ("城口县二〇二〇年度法治政府建设情况报告", 2020),
    ("关于二〇二二年度法治政府建设情况的报告", 2022),
    ("XX县人民政府关于2021年度法治政府建设工作情况的报告（X府报［2022］5号）", 2021),
    ("XX县法治政府建设年度报告（2022年）", 2022),
])
def test_year_from_chinese_numerals_and_never_from_the_document_number(title, year):
    assert classify(title, None) == (FZ, year)


@pytest.mark.parametrize("name, title, label, year, body_year", SEEDS_TABLE)
def test_seeds(name, title, label, year, body_year):
    body = seed_body(name, title)
    assert classify(title, body) == (label, year)
    assert classify(title, None) == (label, year)
    assert classify(None, body) == (label, body_year)


def test_body_decides_when_the_title_says_nothing():
    body = seed_body("003_e57463c415281427.txt", "城口县2020年度法治政府建设情况报告")
    assert classify("正文", body) == (FZ, 2020)
    assert classify("附件", "现將2021年度法治政府建設情況報告如下：") == (FZ, 2021)
    assert classify("城口县人民政府", "二〇二二年，我县……") == ("其他", None)  # a year only for an annual report


def test_report_to_the_peoples_congress_is_a_special_report():
    body = "主任、副主任、秘书长，各位委员：\n我受县人民政府委托，报告全县法治政府建设情况，请予审议。"
    assert classify("全县法治政府建设情况报告", body) == ("专项报告", None)
    assert classify(None, body) == ("专项报告", None)


def test_nothing_to_read():
    assert classify(None, None) == (None, None)
    assert classify("  ", "") == (None, None)


def test_real_information_disclosure_report_page():
    title, body = pingtan_detail()
    assert title == "平潭综合实验区地方税务局2013年信息公开年度报告"
    assert classify(title, body) == (XXGK, 2013)
    assert classify(None, body) == (XXGK, 2013)


def test_real_list_page_report_titles():
    titles = pingtan_report_titles()
    assert len(titles) == 10
    for title in titles:
        year = int(re.search(r"\d{4}", title).group())
        assert classify(title, None) == (XXGK, year)
        assert link_kind(title) == XXGK


@pytest.mark.parametrize("text, kind", [
    ("城口县2020年度法治政府建设情况...", FZ),
    ("城口县2020年度法治政府建设情况…", FZ),
    ("关于2024年岳麓区法治政府建设工作情况的报告", FZ),
    ("关于2022年法治政府建设情况的报告 2023-02-27", FZ),
    ("平潭综合实验区2024年度政府信息公开工...", XXGK),
    ("XX市2022年政府信息公开工作年度报告", XXGK),
    ("关于印发XX县2022年法治政府建设工作要...", None),
    ("【政策解读】关于《清水县人民政府关于清水县2023年度法治政府建...", None),
    ("XX县召开2023年法治政府建设推进会...", None),
    ("XX县2021年上半年法治政府建设工作情况报告", None),
    ("漯河市源汇区法治政府建设示范创建工作 实施方案", None),
    ("政府信息公开年报", None),
    ("法治政府建设年度报告", None),
    ("政府工作报告", None),
])
def test_link_kind(text, kind):
    assert link_kind(text) == kind


@pytest.mark.parametrize("text, kind", [
    ("法治政府建设年度报告", FZ),
    ("法治政府建设", FZ),
    ("法治政府建设情况报告", FZ),
    ("部门法治政府建设年度报告", FZ),
    ("法治政府建設年度報告", FZ),
    ("政府信息公开年报", XXGK),
    ("政府信息公开工作年度报告", XXGK),
    ("信息公开年报", XXGK),
    ("年度报告", XXGK),
    ("政府工作报告", None),
    ("政府网站年报", None),
    ("法治政府建设示范创建", None),
    ("政府信息公开指南", None),
    ("城口县2020年度法治政府建设情况报告", None),
    ("某区法治政府建设工作情况报告", None),
    ("县政府信息公开年报", XXGK),
    ("法治建设年度报告", FZ),        # the column's name on portals that say 法治建设 for 法治政府建设
    ("法治建设", None),               # news of it: no report named
    ("年度法治政府建设报告", FZ),
    ("政府信息公开工作报告", XXGK),
    ("政府工作报告", None),
])
def test_column_kind(text, kind):
    assert column_kind(text) == kind


def test_real_portal_menu_has_one_report_column():
    texts = anchor_texts("list_zfxxgknb_nianbao_trs_fujian_jiyue.html")
    assert {t: column_kind(t) for t in texts if column_kind(t)} == {"政府信息公开年报": XXGK}
    assert {t for t in texts if link_kind(t)} == set(pingtan_report_titles())


@pytest.mark.parametrize("title", ["2024年区法治政府建设情况报告范文", "2023年度某区法治政府建设工作情况报告全文",
                                   "XX县2022年度法治政府建设情况报告模板"])
def test_aggregator_tails_do_not_hide_the_report(title):
    """A 范文 site's copy must be opened so that it lands in `copies`, not lost."""
    assert link_kind(title) == FZ
