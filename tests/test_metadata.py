"""extract_metadata on every page of the evaluation set, and its rules one by one."""
from __future__ import annotations

import pytest

from crawler.extract.metadata import FIELDS, extract_metadata, parse_date, strip_site_name
from tests.eval.corpus import all_pages
from tests.test_body import gkmlpt_detail, gkmlpt_page


@pytest.mark.parametrize("page", all_pages(), ids=lambda p: p.id)
def test_every_field_the_page_shows(page):
    assert extract_metadata(page.html, page.url) == page.metadata


@pytest.mark.parametrize("page", all_pages(), ids=lambda p: p.id)
def test_values_are_none_never_empty(page):
    meta = extract_metadata(page.html, page.url)
    assert set(meta) == set(FIELDS)
    assert all(value is None or (isinstance(value, str) and value.strip() == value != "") for value in meta.values())


# --- dates -----------------------------------------------------------------

@pytest.mark.parametrize("text, iso", [
    ("2021-07-23", "2021-07-23"),
    ("2021/7/23", "2021-07-23"),
    ("2021.07.23", "2021-07-23"),
    ("2021年7月23日", "2021-07-23"),
    ("2021年07月23日 10:09", "2021-07-23"),
    ("2023-03-31 10:09", "2023-03-31"),
    ("2007-08-20-23:59:59", "2007-08-20"),
    ("发布时间：2025-03-05 16:20:11", "2025-03-05"),
    ("２０２１年７月２３日", "2021-07-23"),
    ("2025228", None),
    ("2021-02-30", None),
    ("11500229711623327X/2021-00118", None),
    ("", None),
    (None, None),
])
def test_parse_date(text, iso):
    assert parse_date(text) == iso


# --- titles ----------------------------------------------------------------

@pytest.mark.parametrize("title, sites, own", [
    ("城口县2020年度法治政府建设情况报告_县政府_城口县人民政府", set(), "城口县2020年度法治政府建设情况报告"),
    ("关于2024年岳麓区法治政府建设工作情况的报告 - 长沙市岳麓区人民政府", set(), "关于2024年岳麓区法治政府建设工作情况的报告"),
    ("阿拉善盟行政公署-关于2022年法治政府建设情况的报告", set(), "关于2022年法治政府建设情况的报告"),
    ("山西品牌丝路行（南美站）正式启动 - 山西省人民政府门户网站 ", set(), "山西品牌丝路行（南美站）正式启动"),
    ("某决议__2007年第23号国务院公报_中国政府网", set(), "某决议"),
    ("2023年度某区法治政府建设工作情况报告-范文网", set(), "2023年度某区法治政府建设工作情况报告"),
    ("XX市2022年法治政府建设年度报告|XX市人民政府", set(), "XX市2022年法治政府建设年度报告"),
    ("保定市人民政府网——保定市统筹推动城市和产业转型升级", {"保定市人民政府网"}, "保定市统筹推动城市和产业转型升级"),
    ("平潭某批复_城乡建设和管理的重大事项_平潭综合实验区党工委管委会", set(), "平潭某批复"),
    ("1-10月德清县固定资产投资结构趋稳趋优", set(), "1-10月德清县固定资产投资结构趋稳趋优"),
    ("内蒙古自治区法治政府建设实施方案（2021-2025年）", set(), "内蒙古自治区法治政府建设实施方案（2021-2025年）"),
    ("奋进新征程——城口县2022年工作综述", set(), "奋进新征程——城口县2022年工作综述"),
    ("城口县人民政府关于2020年度法治政府建设情况的报告", set(), "城口县人民政府关于2020年度法治政府建设情况的报告"),
    ("蚌埠市司法局2023年度法治政府建设年度报告-蚌埠市司法局", set(), "蚌埠市司法局2023年度法治政府建设年度报告"),
    ("某县2023年政府信息公开工作年度报告_广东省教育厅", set(), "某县2023年政府信息公开工作年度报告"),
    ("2023年统计工作年度报告 | 国家统计局", set(), "2023年统计工作年度报告"),
    ("某区2022年度法治政府建设情况报告 - 长沙市岳麓区发展和改革委员会", set(), "某区2022年度法治政府建设情况报告"),
    ("泗洪县司法局-泗洪县2022年度法治政府建设年度报告", set(), "泗洪县2022年度法治政府建设年度报告"),
    ("2023年度法治政府建设年度报告-法治蚌埠", {"法治蚌埠"}, "2023年度法治政府建设年度报告"),
    ("谋新篇-开新局：某县2023年工作综述", set(), "谋新篇-开新局：某县2023年工作综述"),
    ("奋进新征程-开创发展新局", set(), "奋进新征程-开创发展新局"),
    ("市场监管局-2023年度工作报告", set(), "市场监管局-2023年度工作报告"),
    ("", set(), None),
])
def test_strip_site_name(title, sites, own):
    assert strip_site_name(title, sites) == own


def _meta(body: str, head: str = "") -> dict:
    return extract_metadata(f"<html><head>{head}</head><body>{body}</body></html>")


def test_title_precedence():
    head = '<meta name="ArticleTitle" content="甲"><title>丁_某某县人民政府</title>'
    box = "<table><tr><td>标题：</td><td>乙</td></tr></table>"
    assert _meta(box + "<h1>丙</h1>", head)["title"] == "甲"
    assert _meta(box + "<h1>丙</h1>", "<title>丁_某某县人民政府</title>")["title"] == "乙"
    assert _meta("<h1>丙</h1>", "<title>丁_某某县人民政府</title>")["title"] == "丙"
    assert _meta("<h1>某某县人民政府</h1>", "<title>丁_某某县人民政府</title>")["title"] == "丁"


def test_gkmlpt_detail_json_states_the_fields():
    detail = gkmlpt_detail(identifier="007033521/2024-102", publisher="长沙市岳麓区人民政府", document_number="",
                           created_at="2024-03-22 00:00:00", publish_time="2024-03-25 10:00:00", date=1711332000)
    meta = extract_metadata(gkmlpt_page(detail, assigned=False))
    assert meta == {
        "title": "关于2024年岳麓区法治政府建设工作情况的报告", "index_no": "007033521/2024-102", "doc_no": None,
        "publisher": "长沙市岳麓区人民政府", "written_date": "2024-03-22", "published_date": "2024-03-25",
        "source": None, "column": "首页 > 政府信息公开",
    }


def test_gkmlpt_detail_ranks_with_the_box():
    """Over the meta tags and the info line; under a label box the page shows."""
    page = gkmlpt_page(gkmlpt_detail(publish_time="2024-03-25 10:00:00", identifier="007033521/2024-102"))
    page = page.replace("</head>", '<meta name="PubDate" content="2024-03-26 09:00"></head>')
    assert extract_metadata(page)["published_date"] == "2024-03-25"
    boxed = page.replace('<div id="app">', '<div id="app"><table><tr><td>索引号：</td><td>007033521/2024-999</td></tr></table>')
    assert extract_metadata(boxed)["index_no"] == "007033521/2024-999"


@pytest.mark.parametrize("detail", ['{"title": "关于2024年岳麓区法治政府建设工作情况的报告", "identifier": "0070',
                                    '"关于2024年岳麓区法治政府建设工作情况的报告"'])
def test_gkmlpt_malformed_detail_states_nothing(detail):
    page = gkmlpt_page(detail)
    assert extract_metadata(page) == extract_metadata(page.replace(detail, "{}"))
    assert extract_metadata(page)["index_no"] is None


# --- label spellings and layouts ----------------------------------------------

SPELLINGS = [
    ("索引号", "index_no", "11500229711623327X/2021-00118", "11500229711623327X/2021-00118"),
    ("索 引 号", "index_no", "000014349/2018-00221", "000014349/2018-00221"),
    ("索&ensp;引&ensp;号", "index_no", "PZ00101-1300-2016-00001", "PZ00101-1300-2016-00001"),
    ("索\u3000引\u3000号", "index_no", "000014348/2020-35147", "000014348/2020-35147"),
    ("发布机构", "publisher", "城口县人民政府", "城口县人民政府"),
    ("发文机关", "publisher", "国务院办公厅", "国务院办公厅"),
    ("制发机构", "publisher", "某某市司法局", "某某市司法局"),
    ("发布单位", "publisher", "某某区人民政府", "某某区人民政府"),
    ("成文日期", "written_date", "2021年07月23日", "2021-07-23"),
    ("生成日期", "written_date", "2021-07-23", "2021-07-23"),
    ("成文时间", "written_date", "2023年2月27日", "2023-02-27"),
    ("发布日期", "published_date", "2018年12月27日", "2018-12-27"),
    ("公开日期", "published_date", "2021/7/23", "2021-07-23"),
    ("发布时间", "published_date", "2025-03-05 16:20:11", "2025-03-05"),
    ("文号", "doc_no", "渝府发〔2021〕5号", "渝府发〔2021〕5号"),
    ("发文字号", "doc_no", "国办发〔2018〕123号", "国办发〔2018〕123号"),
    ("来源", "source", "岳麓区司法局", "岳麓区司法局"),
    ("信息来源", "source", "党政综合办公室", "党政综合办公室"),
]
LAYOUTS = {
    "table": "<table><tr><td><b>{label}：</b></td><td>{value}</td><td>主题分类：</td><td>其他</td></tr></table>",
    "table_no_colon": "<table><tr><td>{label}</td><td>{value}</td></tr><tr><td>有效性</td><td>有效</td></tr></table>",
    "dl": "<dl><dt>{label}：</dt><dd>{value}</dd><dt>主题分类：</dt><dd>其他</dd></dl>",
    "bracket": '<div><span>[ {label} ]</span><span>{value}</span> <span>[ 体裁分类 ]</span><span>工作报告</span></div>',
    "colon_line": "<div><p>{label}: {value}&nbsp;&nbsp;&nbsp;公开方式: 主动公开</p></div>",
    "strong": "<div class='top-l'><p><strong>{label}</strong>：{value}</p><p><strong>主题分类</strong>：教育</p></div>",
    "li_font": "<ul><li>\n {label}：\n <font>{value}</font>\n</li><li>有&ensp;效&ensp;性：<em>有效</em></li></ul>",
    "info_spans": "<div class='info'><span>{label}：{value}</span><span>浏览次数：12</span></div>",
}


@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("label, field, value, expected", SPELLINGS, ids=[s[0] for s in SPELLINGS])
def test_label_spellings_in_every_layout(layout, label, field, value, expected):
    assert _meta(LAYOUTS[layout].format(label=label, value=value))[field] == expected


@pytest.mark.parametrize("html", [
    "<p>发文字号: &nbsp;&nbsp;成文时间: 2023年2月27日</p>",
    "<p>发文字号:成文时间: 2023年2月27日</p>",
    "<div>[ 发文字号 ] [ 成文时间 ]2023年2月27日</div>",
    "<table><tr><td>发文字号</td><td></td><td>成文时间</td><td>2023年2月27日</td></tr></table>",
    "<table><tr><td>发文字号：</td><td>　</td></tr><tr><td>成文时间：</td><td>2023年2月27日</td></tr></table>",
])
def test_empty_value_never_swallows_the_next_label(html):
    meta = _meta(html)
    assert meta["doc_no"] is None
    assert meta["written_date"] == "2023-02-27"


def test_value_stops_at_a_wide_gap_or_the_next_label():
    meta = _meta("<div>时间：2023-03-01 08:12:45\u3000来源：网友投稿\u3000本文已影响 1863 人</div>"
                 "<div>索引号: 152900000000031/2023-01296 发布机构: 内蒙古阿拉善高新技术产业开发区管理委员会</div>")
    assert meta["source"] == "网友投稿"
    assert meta["published_date"] == "2023-03-01"
    assert meta["index_no"] == "152900000000031/2023-01296"
    assert meta["publisher"] == "内蒙古阿拉善高新技术产业开发区管理委员会"


def test_label_inside_a_longer_word_is_no_label():
    assert _meta("<table><tr><td>行政处罚决定书文号</td><td>金罚决字〔2024〕36号</td></tr></table>")["doc_no"] is None


def test_commented_out_fields_are_absent():
    meta = _meta("<div class='top-r'><p><strong>主题分类</strong>：教育</p>"
                 "<!--<p><strong>成文日期</strong>：2020年08月02日</p>-->"
                 "<p><strong>发布日期</strong>：2020年08月03日</p></div>")
    assert meta["written_date"] is None
    assert meta["published_date"] == "2020-08-03"


@pytest.mark.parametrize("value", ["无", "暂无", "-", "{{data.documentNo}}"])
def test_placeholder_values_are_none(value):
    assert _meta(f"<p><strong>文号</strong>：{value}</p>")["doc_no"] is None


def test_body_text_is_not_metadata():
    meta = _meta("<div id='zoom'><p>发布机构：正文里的机构</p><p>成文日期：2020年1月1日</p></div>")
    assert meta["publisher"] is None and meta["written_date"] is None


# --- precedence: box > meta tags > info line ------------------------------------------

BOX = "<table><tr><td>发布日期：</td><td>2021-07-23</td></tr></table>"
INFO = "<div class='info'>发布时间：2021-07-19　来源：城口县司法局</div>"
META = '<meta name="PubDate" content="2021-07-20 09:30"><meta name="ContentSource" content="城口县人民政府">'


def test_box_wins_over_meta_and_info():
    assert _meta(BOX + INFO, META)["published_date"] == "2021-07-23"


def test_meta_wins_over_info_line_but_pubdate_comes_last():
    """ContentSource outranks the info line's 来源; PubDate, which some platforms set to the time the page
    was regenerated, yields to the date the page shows."""
    meta = _meta(INFO, META)
    assert meta["published_date"] == "2021-07-19"
    assert meta["source"] == "城口县人民政府"
    assert _meta("<p>正文</p>", META)["published_date"] == "2021-07-20"
    first = '<meta name="firstpublishedtime" content="2021-07-21-09:30:00">'
    assert _meta(INFO, META + first)["published_date"] == "2021-07-21"


def test_info_line_when_nothing_else():
    meta = _meta(INFO)
    assert meta["published_date"] == "2021-07-19"
    assert meta["source"] == "城口县司法局"


@pytest.mark.parametrize("head", [
    '<META content="2021-04-09 10:21" name="PubDate"><META content="保定市人民政府网" name="ContentSource">',
    '<meta name="pubdate" content="2021年04月09日"><meta name="contentSource" content="保定市人民政府网">',
    '<meta content="2021/4/9" NAME="PUBDATE"/><meta NAME="CONTENTSOURCE" content="保定市人民政府网"/>',
])
def test_meta_tags_in_any_case_and_attribute_order(head):
    meta = _meta("", head)
    assert meta["published_date"] == "2021-04-09"
    assert meta["source"] == "保定市人民政府网"


def test_empty_meta_tag_is_absent():
    assert _meta("<span>来源：平潭县人民政府</span>", '<meta name="ContentSource" content="">')["source"] == "平潭县人民政府"


# --- column (breadcrumb) ------------------------------------------------------

@pytest.mark.parametrize("html, column", [
    ("<div>您当前的位置:首页>政务公开>政府信息公开目录>法治政府建设年度报告</div>",
     "首页 > 政务公开 > 政府信息公开目录 > 法治政府建设年度报告"),
    ("<td><font>当前位置：</font><a href='.'>首页 </a> >> 政府新闻发布会</td>", "首页 > 政府新闻发布会"),
    ("<div class='crumb'><span>当前位置：</span><ul><li><a>首页</a></li><li><a>政务公开</a></li></ul></div>",
     "首页 > 政务公开"),
    ("<ul class='breadcrumb'><li><a>首页</a></li><li><span>&gt;</span> <a>要闻</a></li>"
     "<li><span>&gt;</span> 山西要闻</li></ul>", "首页 > 要闻 > 山西要闻"),
    ("<div class='BreadcrumbNav'><a>首页</a>&nbsp;&gt;&nbsp;<a>国务院公报</a>"
     "<div>字号：<span>默认</span><span>大</span> 打印</div></div>", "首页 > 国务院公报"),
    ("<p>正文</p>", None),
])
def test_column(html, column):
    assert _meta(html)["column"] == column


def test_box_after_a_stray_closing_html_tag_is_read():
    """A header include that ends with </html> must not hide the table.bd1 box after it."""
    page = ('<html><head><title>x</title></head><body><div class="header">中国政府网</div></html>'
            '<table class="bd1"><tr><td><b>索 引 号：</b></td><td>000014349/2018-00221</td>'
            '<td><b>发文机关：</b></td><td>国务院办公厅</td></tr>'
            '<tr><td><b>发文字号：</b></td><td>国办发〔2018〕123号</td><td><b>成文日期：</b></td>'
            '<td>2018年12月07日</td></tr></table><div id="UCAP-CONTENT"><p>正文。</p></div></body></html>')
    meta = extract_metadata(page)
    assert (meta["index_no"], meta["publisher"], meta["doc_no"], meta["written_date"]) == (
        "000014349/2018-00221", "国务院办公厅", "国办发〔2018〕123号", "2018-12-07")


def test_header_row_box_is_read_column_by_column():
    """A row of labels over a row of values: each label gets the value beneath it, and the
    last label (文号) must not swallow the first value."""
    page = ('<html><body><table class="xxgk"><tr><th>索引号</th><th>发布机构</th><th>生成日期</th><th>公开日期</th>'
            '<th>文号</th></tr><tr><td>005310357/2022-00029</td><td>西平县人民政府</td><td>2022年3月25日</td>'
            '<td>2022-03-28</td><td>西政文〔2022〕9号</td></tr></table>'
            '<div id="zoom"><p>2021年，西平县……现将有关情况报告如下。</p></div></body></html>')
    meta = extract_metadata(page)
    assert (meta["index_no"], meta["publisher"], meta["written_date"], meta["published_date"], meta["doc_no"]) == (
        "005310357/2022-00029", "西平县人民政府", "2022-03-25", "2022-03-28", "西政文〔2022〕9号")


@pytest.mark.parametrize("title, doc_no", [
    ("汝南县人民政府关于2021年度法治政府建设工作情况的报告（汝政文〔2022〕9号）", "汝政文〔2022〕9号"),
    ("XX县人民政府关于2021年度法治政府建设工作情况的报告(X府报[2022]5号)", "X府报[2022]5号"),
    ("城口县2020年度法治政府建设情况报告", None),
    ("关于《法治政府建设实施纲要（2021—2025年）》的解读", None),
])
def test_document_number_carried_by_the_title(title, doc_no):
    page = f"<html><head><title>{title}_汝南县人民政府</title></head><body><h1>{title}</h1><div id='zoom'><p>正文。</p></div></body></html>"
    meta = extract_metadata(page)
    assert meta["title"] == title and meta["doc_no"] == doc_no


# --- issue 10: layout-agnostic boxes, the vocabulary, titles and dates -----------------------------------------

SPLIT_LAYOUTS = {
    # 江西 集约化: label in label/font, value in the next sibling div
    "dd_label_div": '<dl><dd><label><font>索 引 号：</font></label><div class="display-block">{v}</div></dd>'
                    '<dd><label><font>主题分类：</font></label><div class="display-block">其他</div></dd></dl>',
    # 甘肃 集约化: the label split over spans
    "split_spans": "<ul><li><span>索</span><span>引号：</span><span>{v}</span></li><li><span>有效性：</span></li></ul>",
    "th_td": "<table><tr><th>索引号</th><td><p>{v}</p></td></tr></table>",
    "strong_br": "<div><strong>索引号：</strong><br>{v}</div>",
    "label_tag": "<div><label>索引号</label><span>{v}</span></div>",
}


@pytest.mark.parametrize("layout", SPLIT_LAYOUTS)
def test_label_and_value_in_sibling_elements_are_paired(layout):
    assert _meta(SPLIT_LAYOUTS[layout].format(v="014330183/2023-00321"))["index_no"] == "014330183/2023-00321"


@pytest.mark.parametrize("label, field, value, expected", [
    ("发文日期", "written_date", "2023年3月1日", "2023-03-01"),
    ("发文单位", "publisher", "某某县人民政府", "某某县人民政府"),
    ("制发机关", "publisher", "某某市人民政府办公室", "某某市人民政府办公室"),
    ("编号", "index_no", "ZJ-2023-00012", "ZJ-2023-00012"),
])
def test_more_box_labels(label, field, value, expected):
    page = f"<table><tr><td>{label}：</td><td>{value}</td><td>主题分类：</td><td>其他</td></tr></table>"
    assert _meta(page)[field] == expected


def test_a_label_alone_never_takes_a_long_line_or_the_next_label():
    meta = _meta("<div><p>索引号：</p><p>发布机构：</p><p>某某县人民政府</p></div>")
    assert meta["index_no"] is None and meta["publisher"] == "某某县人民政府"
    assert _meta("<div><p>索引号：</p><p>" + "正文" * 80 + "</p></div>")["index_no"] is None


def test_an_index_number_has_digits():
    assert _meta("<table><tr><td>索引号：</td><td>某某县人民政府</td></tr></table>")["index_no"] is None


ZOOM_BOX = ("<html><head><title>某某县关于2022年度法治政府建设情况的报告_某某县人民政府</title></head><body>"
            "<h1>某某县关于2022年度法治政府建设情况的报告</h1><div id='zoom'>"
            "<div class='xxgk-box'><dl><dd><label><font>索 引 号：</font></label><div>014330183/2023-00321</div></dd>"
            "<dd><label><font>发布机构：</font></label><div>某某县人民政府</div></dd>"
            "<dd><label><font>发文日期：</font></label><div>2023-03-20</div></dd>"
            "<dd><label><font>发布日期：</font></label><div>2023-03-22</div></dd></dl></div>"
            "<p>pdf下载 word下载</p>"
            "<p>2022年，我县坚持以习近平法治思想为指导，现将有关情况报告如下。</p><p>某某县人民政府</p></div>"
            "</body></html>")


def test_a_box_inside_the_content_container_is_read_and_left_out_of_the_body():
    meta = extract_metadata(ZOOM_BOX)
    assert (meta["index_no"], meta["publisher"], meta["written_date"], meta["published_date"]) == (
        "014330183/2023-00321", "某某县人民政府", "2023-03-20", "2023-03-22")
    from crawler.extract.body import extract_body
    assert extract_body(ZOOM_BOX, title=meta["title"]) == [
        "2022年，我县坚持以习近平法治思想为指导，现将有关情况报告如下。", "某某县人民政府"]


def test_markup_inside_a_meta_title_is_plain_text():
    head = '<meta name="ArticleTitle" content="凝聚强大智慧和力量<div>——热烈祝贺会议开幕</div>">'
    assert _meta("", head)["title"] == "凝聚强大智慧和力量——热烈祝贺会议开幕"


def test_the_title_is_never_the_breadcrumb():
    page = ("<head><title>习近平主持召开座谈会-中国科普网</title></head><body>"
            "<div class='title'><a href='/'>中国科普网</a> &gt; <a href='/politics/'>时政新闻</a> &gt;</div>"
            "<div class='detil-new-title'><div>习近平主持召开座谈会</div><ul><li>来源：新华社</li>"
            "<li>2023-12-01 14:43</li></ul></div><div id='content'><p>正文。</p></div></body>")
    meta = extract_metadata(f"<html>{page}</html>")
    assert meta["title"] == "习近平主持召开座谈会"
    assert meta["published_date"] == "2023-12-01"
    assert meta["source"] == "新华社"


@pytest.mark.parametrize("line, date", [
    ("www.chinaneast.gov.cn 2005年08月16日　来源：新华网", "2005-08-16"),
    ("2019-04-12 10:20 来源：某某县人民政府", "2019-04-12"),
    ("（2021年3月1日在某某县第十七届人民代表大会第一次会议上）", None),
    ("日期：2020-05-12　来源：某某县政府办", "2020-05-12"),
    ("更新时间：2020年5月12日 浏览次数：12", "2020-05-12"),
])
def test_the_unlabelled_date_under_the_heading(line, date):
    page = f"<html><body><h1>某某县召开会议</h1><div>{line}</div><div id='zoom'><p>正文。</p></div></body></html>"
    assert extract_metadata(page)["published_date"] == date


def test_a_labelled_date_line_wins_over_the_unlabelled_one_only_by_rank():
    page = ("<html><body><h1>某某县召开会议</h1><div>2019-04-12</div><table><tr><td>发布日期：</td>"
            "<td>2019-04-13</td><td>索引号：</td><td>1/2019-1</td></tr></table></body></html>")
    assert extract_metadata(page)["published_date"] == "2019-04-13"


def test_a_box_date_wins_over_the_detail_published_date_and_pubdate():
    detail = gkmlpt_detail(publish_time="2024-03-25 10:00:00")
    page = gkmlpt_page(detail).replace("</head>", '<meta name="PubDate" content="2024-04-02 09:00"></head>')
    assert extract_metadata(page)["published_date"] == "2024-03-25"


@pytest.mark.parametrize("extra, published", [
    ({"display_publish_time": 1711332000}, "2024-03-25"),
    ({"first_publish_time": 1711332000000}, "2024-03-25"),
    ({"date": 1711299600}, "2024-03-25"),        # 2024-03-25 01:00 Beijing time, 2024-03-24 in UTC
    ({"date": 12}, None),
    ({"publish_time": "2024-03-26 10:00:00", "date": 1711332000}, "2024-03-26"),
])
def test_gkmlpt_detail_published_date_keys_and_timestamps(extra, published):
    assert extract_metadata(gkmlpt_page(gkmlpt_detail(**extra)))["published_date"] == published


def test_an_empty_value_span_never_takes_the_next_item():
    page = ("<ul><li><span class='tit'>文号：</span><span class='con'></span></li>"
            "<li><span class='tit'>生成日期：</span><span class='con'>2024-02-20</span></li></ul>")
    meta = _meta(page)
    assert meta["doc_no"] is None and meta["written_date"] == "2024-02-20"


def test_a_content_source_that_repeats_the_site_name_states_nothing():
    head = '<meta name="SiteName" content="中国河北政府采购网"><meta name="ContentSource" content="中国河北政府采购网">'
    assert _meta("<p>正文</p>", head)["source"] is None
    other = '<meta name="SiteName" content="保定市人民政府网"><meta name="ContentSource" content="保定日报">'
    assert _meta("<p>正文</p>", other)["source"] == "保定日报"


def test_a_list_of_other_documents_with_their_dates_is_no_box():
    items = "".join(f"<li><a href='/{i}.html'>某某通知{i}</a><span>发布日期：2023-0{i}-01</span></li>" for i in range(1, 5))
    assert _meta(f"<h1>某某县召开会议</h1><ul class='related'>{items}</ul>")["published_date"] is None


def test_a_menu_word_inside_the_title_is_not_the_heading():
    page = ("<html><head><title>中标公告详细页面</title></head><body><div class='title'>中标公告</div>"
            "<h1>2021年电脑采购项目中标公告</h1></body></html>")
    assert extract_metadata(page)["title"] == "2021年电脑采购项目中标公告"


@pytest.mark.parametrize("where", ["first", "last"])
def test_an_info_line_at_an_edge_of_the_content_container(where):
    line, text = "<p>信息来源：某某县司法局</p>", "<p>正文第一段。</p><p>正文第二段。</p><p>正文第三段。</p><p>正文第四段。</p>"
    zoom = line + text if where == "first" else text + line
    meta = _meta(f"<h1>某某县召开会议</h1><div id='zoom'>{zoom}</div>")
    assert meta["source"] == "某某县司法局"
    middle = "<p>正文第一段。</p><p>正文第二段。</p><p>正文第三段。</p>" + line + text
    assert _meta(f"<div id='zoom'>{middle}</div>")["source"] is None


def test_a_th_box_with_the_wuxi_spellings():
    page = ("<table class='xxgk_table_wza'><tr><th>信息索引号</th><td>014032126/2026-00903</td><th>公开日期</th>"
            "<td>2026-06-03</td></tr><tr><th>文件编号</th><td>锡新政发〔2026〕1号</td><th>效力状况</th><td>有效</td></tr>"
            "</table>")
    meta = _meta(page)
    assert (meta["index_no"], meta["published_date"], meta["doc_no"]) == (
        "014032126/2026-00903", "2026-06-03", "锡新政发〔2026〕1号")
    assert _meta("<table><tr><th>文件编号</th><td>—  —</td></tr></table>")["doc_no"] is None


def test_the_date_under_the_heading_that_articletitle_names():
    """<title> names only the column; ArticleTitle finds the heading, and the date line under it is read."""
    page = ("<html><head><title>年度计划_某某实验区管委会</title>"
            "<meta name='ArticleTitle' content='某某片区管理局2022年度工作报告'></head><body>"
            "<div class='article_title'>某某片区管理局2022年度工作报告</div><div>2023-01-09 11:40</div>"
            "<div class='TRS_Editor'><p>正文。</p></div></body></html>")
    assert extract_metadata(page)["published_date"] == "2023-01-09"


def test_the_date_under_a_heading_printed_in_any_element():
    """No h1/.title holds the heading: the element the title is printed in places the date line under it."""
    page = ("<html><head><title>为现代化建设凝聚力量——热烈祝贺大会开幕 - 某某网</title></head><body>"
            "<div class='crumb'><a href='/'>某某网</a> &gt; <a href='/sz/'>时政</a> &gt; <span>为现代化建设凝聚力量——"
            "热烈祝贺大会开幕</span></div><div class='mm'>为现代化建设凝聚力量<span>——热烈祝贺大会开幕</span></div>"
            "<div>www.x.gov.cn 2019-04-12 来源：某某日报</div><div class='TRS_Editor'><p>正文。</p></div></body></html>")
    meta = extract_metadata(page)
    assert (meta["title"], meta["published_date"]) == ("为现代化建设凝聚力量——热烈祝贺大会开幕", "2019-04-12")
    in_a_crumb_only = page.replace("<div class='mm'>为现代化建设凝聚力量<span>——热烈祝贺大会开幕</span></div>", "")
    assert extract_metadata(in_a_crumb_only)["published_date"] is None
    in_a_link_only = ("<html><head><title>某某县召开会议_某某县人民政府</title></head><body><ul><li>"
                      "<a href='/1.html'>某某县召开会议</a></li></ul><div>2019-04-12</div></body></html>")
    assert extract_metadata(in_a_link_only)["published_date"] is None


def test_a_subtitle_dash_in_the_title_is_not_a_site_separator():
    assert strip_site_name("凝聚力量——热烈祝贺大会开幕 - 某某市人民政府") == "凝聚力量——热烈祝贺大会开幕"
    assert strip_site_name("凝聚力量——某某市人民政府") == "凝聚力量"
