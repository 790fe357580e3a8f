"""extract_body on the seed-built fixture pages and on every saved real detail page."""
from __future__ import annotations

import json

import pytest
from lxml import html as lxml_html
from w3lib.encoding import html_to_unicode

from crawler.extract.body import detail_json, extract_body, normalize_space
from tests.conftest import SEEDS
from tests.eval.corpus import REALPAGES, all_pages, decode, fixture_pages, real_pages

# Page furniture that must never reach a body paragraph.
FURNITURE = [
    "您当前的位置", "当前位置", "索引号", "索 引 号", "发布机构", "发文字号：", "成文日期", "主题分类",
    "扫一扫", "打印本页", "关闭窗口", "分享到", "字号：", "浏览次数", "浏览量", "上一篇", "下一篇",
    "相关文章", "相关链接", "相关稿件", "相关推荐", "主办单位：", "主办：", "版权所有", "版权声明", "ICP备",
    "公网安备", "网站标识码", "网站地图", "编辑:", "编辑：", "信息来源:", "信息来源：", "责任编辑", "来源：",
    "发布时间：", "小编", "推荐访问", "下载文档", "复制全文", "附件下载", "本文已影响",
]


def body_of(page) -> list[str]:
    return extract_body(page.html, page.url, title=page.metadata["title"])


@pytest.mark.parametrize("page", all_pages(), ids=lambda p: p.id)
def test_no_furniture_in_any_body(page):
    leaks = [(word, para) for para in body_of(page) for word in FURNITURE if word in para]
    assert leaks == []


@pytest.mark.parametrize("page", fixture_pages(), ids=lambda p: p.id)
def test_fixture_body_is_exactly_the_seed_paragraphs(page):
    assert body_of(page) == page.body


@pytest.mark.parametrize("page", real_pages(), ids=lambda p: p.id)
def test_real_page_body(page):
    body = body_of(page)
    expected = page.body
    if expected["first"] is None:
        assert body == []
        return
    assert body[0] == expected["first"]
    assert body[-1] == expected["last"]
    for snippet in expected["contains"]:
        assert any(snippet in para for para in body), snippet


def test_every_real_detail_page_is_in_the_set():
    saved = {str(p.relative_to(REALPAGES)) for p in REALPAGES.glob("*/*.html") if not p.name.startswith("list_")}
    assert saved == {page.id.removeprefix("realpages/") for page in real_pages()}


def _page(name: str):
    return next(p for p in all_pages() if p.id.endswith(name))


def test_table_layout_page_keeps_its_paragraphs():
    """The legacy nested-table page: 17 paragraphs, not one merged table cell."""
    body = body_of(_page("yuelu_legacy_gbk.html"))
    assert len(body) == 17
    assert all(len(para) < 1500 for para in body)


@pytest.mark.parametrize("name, signature", [
    ("chengkou_trs_table.html", ["城口县人民政府", "2021年1月11日"]),
    ("yuelu_legacy_gbk.html", ["中国共产党长沙市岳麓区委员会", "长沙市岳麓区人民政府", "2025228"]),
    ("detail_gwhwj_60970_metabox_trs_fujian_jiyue.html", ["平潭综合实验区管委会", "2016年7月18日"]),
    ("fragment_zhengce_content_5352666_metatable_ucap.html", ["国务院办公厅", "2018年12月7日", "（此件公开发布）"]),
])
def test_signature_block_stays(name, signature):
    assert body_of(_page(name))[-len(signature):] == signature


def test_gbk_page_decoded_as_a_browser_does():
    """gb2312 is read as gb18030 (w3lib); Python's own gb2312 codec would turn — into ― and · into ・."""
    page = _page("yuelu_legacy_gbk.html")
    raw = page.path.read_bytes()
    assert html_to_unicode(None, raw)[0] == "gb18030"
    text = "\n".join(body_of(page))
    assert "2021—2025年" in text and "三高四新·法治护航" in text
    naive = raw.decode("gb2312", errors="replace")
    assert "2021―2025年" in naive and "三高四新・法治护航" in naive


@pytest.mark.parametrize("name", ["chengkou_trs_table.html", "chengkou_bracket_spans.html"])
def test_title_repeated_at_the_top_is_dropped(name):
    page = _page(name)
    assert page.metadata["title"] not in body_of(page)
    with_title = extract_body(page.html, page.url)
    assert with_title[0] == page.metadata["title"]


def test_title_split_over_lines_is_dropped():
    page = _page("detail_zfxxgknb_2013_dishuiju_annual_report.html")
    assert extract_body(page.html, page.url)[:2] == ["平潭综合实验区地方税务局2013年", "信息公开年度报告"]
    assert body_of(page)[0].startswith("根据《中华人民共和国政府信息公开条例》")


def test_title_is_kept_when_it_is_not_at_the_top():
    html = ("<html><body><div id='zoom'><p>一、总体情况</p><p>二、报告正文</p><p>三、其他</p>"
            "<p>城口县2020年度法治政府建设情况报告</p></div></body></html>")
    assert extract_body(html, title="城口县2020年度法治政府建设情况报告")[-1] == "城口县2020年度法治政府建设情况报告"


def test_data_table_rows_stay_rows():
    """nfra's 行政处罚信息公开表: one paragraph per row, a cell's paragraphs joined inside it."""
    body = body_of(_page("detail_xzcf_angular_rendered.html"))
    assert len(body) == 7
    assert body[2].startswith("主要违法违规事实 | 一、委托未取得合法资格的个人从事保险销售活动 二、财务业务数据不真实")


def test_spa_hidden_duplicate_is_not_read():
    """The rendered nfra page holds a second, ng-hide copy of the document; it is not doubled."""
    page = _page("detail_xzcf_angular_rendered.html")
    assert page.html.count("行政处罚决定书文号") == 2
    assert [p for p in body_of(page) if p.startswith("行政处罚决定书文号")] == ["行政处罚决定书文号 | 金罚决字〔2024〕36号"]


def test_spa_raw_template_gives_no_body():
    """What the server sends before Angular runs: the bound containers are empty.

    We emulate it by emptying every ng-bind-html element of the rendered page.
    The document container exists but is empty, so the body is [] rather than
    whatever the navigation panels hold.
    """
    root = lxml_html.document_fromstring(_page("detail_xzcf_angular_rendered.html").html)
    for el in root.xpath("//*[@ng-bind-html]"):
        el.text = None
        for child in list(el):
            el.remove(child)
    raw_template = lxml_html.tostring(root, encoding="unicode")
    assert extract_body(raw_template) == []


def test_xhtml_with_xml_declaration():
    html = decode('<?xml version="1.0" encoding="utf-8"?>\n<html><body><div class="TRS_Editor">'
                  '<p>第一段。</p><p>第二段。</p></div></body></html>'.encode())
    assert extract_body(html) == ["第一段。", "第二段。"]


def test_empty_and_blank_pages():
    assert extract_body("") == []
    assert extract_body("   ") == []


def test_page_without_known_container_keeps_its_statistics_tables():
    """A 年报 on a site no container rule knows: the block of paragraphs is the document and
    its statistics table rows stay, one line per row (trafilatura with tables off drops them)."""
    from crawler.extract.body import extract_body
    rows = "".join(f"<tr><td>{label}</td><td>{n}</td><td>0</td></tr>" for label, n in
                   [("规章", 2), ("行政规范性文件", 14), ("行政许可", 1203)])
    page = ("<html><body><table><tr><td class='nav'><a href='/'>首页</a> <a href='/zwgk/'>政务公开</a></td></tr>"
            "<tr><td><p>一、总体情况</p><p>2022年，本县坚持以公开为常态、不公开为例外。</p>"
            f"<p>二、主动公开政府信息情况</p><table>{rows}</table>"
            "<p>三、收到和处理政府信息公开申请情况</p><p>本年新收申请12件。</p></td></tr>"
            "<tr><td>版权所有：某县人民政府 网站标识码1234567890</td></tr></table></body></html>")
    body = extract_body(page)
    assert "行政规范性文件 | 14 | 0" in body and "本年新收申请12件。" in body
    assert not any("版权所有" in line or "首页" in line for line in body)


# --- 广东 gkmlpt: the document only in window._CONFIG.DETAIL ---------------------------------

SEED_PARAGRAPHS = [
    line.strip() for line in (SEEDS / "001_09ab2a23c5e0d572.txt")
    .read_text(encoding="utf-8").splitlines()[2:10] if line.strip()
]
GKMLPT_CHROME = (
    '<body><div class="top"><a href="/">长沙市岳麓区人民政府</a> <a href="/zwgk/">政务公开</a> '
    '<a href="/hdjl/">互动交流</a> <a href="/">无障碍</a></div>'
    '<div class="crumb">当前位置：<a href="/">首页</a> &gt; 政府信息公开</div><div id="app"></div>'
    '<div class="footer"><a href="/wzdt/">网站地图</a> | <a href="/lxwm/">联系我们</a><br>'
    "主办单位：长沙市岳麓区人民政府办公室 网站标识码：4301040001<br>版权所有 长沙市岳麓区人民政府</div></body>"
)


def gkmlpt_page(detail: dict | str, assigned: bool = True) -> str:
    """A gkmlpt detail page: site-name <title>, chrome around an empty #app, the document in a
    script, either assigned (``_CONFIG.DETAIL = {…}``) or inside the _CONFIG literal."""
    data = detail if isinstance(detail, str) else json.dumps(detail, ensure_ascii=False)
    script = (f"window._CONFIG = window._CONFIG || {{}}; window._CONFIG.DETAIL = {data};" if assigned
              else f"window._CONFIG = {{SID: '430104', DETAIL: {data}}};")
    return (f'<!DOCTYPE html><html><head><meta charset="utf-8"><title>长沙市岳麓区人民政府</title>'
            f"<script>{script}</script></head>{GKMLPT_CHROME}</html>")


def gkmlpt_detail(**extra) -> dict:
    content = "\n".join(f'<p style="text-indent:2em">{p}</p>' for p in SEED_PARAGRAPHS)
    return {"id": 3101102, "title": "关于2024年岳麓区法治政府建设工作情况的报告", "content": content, **extra}


@pytest.mark.parametrize("assigned", [True, False], ids=["assigned", "in_literal"])
def test_gkmlpt_body_comes_from_the_detail_json(assigned):
    assert extract_body(gkmlpt_page(gkmlpt_detail(), assigned)) == [normalize_space(p) for p in SEED_PARAGRAPHS]


def test_gkmlpt_detail_content_goes_through_the_paragraph_pipeline():
    """Title repeated at the top, a data table and an in-content 扫一扫 line, as in any container."""
    detail = gkmlpt_detail()
    detail["content"] = (f"<p>{detail['title']}</p>{detail['content']}"
                         "<table><tr><td>收案</td><td>12件</td></tr></table><p>扫一扫在手机打开当前页</p>")
    body = extract_body(gkmlpt_page(detail), title=detail["title"])
    assert body == [normalize_space(p) for p in SEED_PARAGRAPHS] + ["收案 | 12件"]


TRUNCATED = '{"title": "关于2024年岳麓区法治政府建设工作情况的报告", "content": "<p>未闭合'


@pytest.mark.parametrize("detail, parsed", [
    (TRUNCATED, {}),
    ('["not", "an", "object"]', {}),
    ('{"title": "某报告", "content": 12}', {"title": "某报告", "content": 12}),
    ('{"title": "某报告", "content": "<p> </p>"}', {"title": "某报告", "content": "<p> </p>"}),
], ids=["truncated", "array", "non_string_content", "blank_content"])
def test_gkmlpt_malformed_detail_reads_as_a_page_without_one(detail, parsed):
    page = gkmlpt_page(detail)
    assert detail_json(page) == parsed
    assert extract_body(page) == extract_body(page.replace(detail, "{}"))


def test_detail_json_outside_a_config_script_is_not_read():
    page = f'<html><body><p>DETAIL: {{"content": "<p>x</p>"}}</p>{GKMLPT_CHROME}</body></html>'
    assert detail_json(page) == {}
    assert detail_json("") == {}


def test_a_page_written_with_br_lines_and_no_container():
    """A form-like 公告 (no <p>, no known container): its <br>-separated block is the body, not the menus."""
    page = ("<html><body><table><tr><td><a href='/'>首页</a><br><a href='/a'>采购公告</a><br><a href='/b'>中标公告</a>"
            "<br><a href='/c'>政策法规</a></td></tr><tr><td><span class='txt7'>一、项目编号：<br>ZC130800202101632<br>"
            "二、项目名称：<br>村级信息资源共享支中心电脑项目<br>三、联系方式<br>电话： 0314-7566207</span></td></tr>"
            "</table></body></html>")
    assert extract_body(page) == ["一、项目编号：", "ZC130800202101632", "二、项目名称：", "村级信息资源共享支中心电脑项目",
                                  "三、联系方式", "电话： 0314-7566207"]


def test_the_download_bar_and_a_pager_are_furniture():
    page = ("<html><body><div id='zoom'><p>pdf下载 word下载</p><p>【PDF下载】【WORD下载】</p><p>正文第一段。</p>"
            "<p>[1] [2] [3] [4]</p><p>上一页 1 2 下一页</p></div></body></html>")
    assert extract_body(page) == ["正文第一段。"]


def test_the_download_list_that_closes_the_body_is_not_body():
    """A trailing 附件 heading over links to files is the page's download widget (attachments.py reads the files);
    a document's own 附件说明 in plain text, and a file link inside the text, stay."""
    page = ("<html><body><div id='zoom'><p>正文第一段。</p><p>电话：0314-7566207</p><p>十、附件</p>"
            "<p><a href='/files/4b21.docx' download>2021年电脑采购项目</a></p><p><a href='/f/b.PDF?x=1'>报价表</a></p>"
            "</div></body></html>")
    assert extract_body(page) == ["正文第一段。", "电话：0314-7566207"]
    kept = ("<html><body><div id='zoom'><p>正文第一段。</p><p><a href='/a.pdf'>某某办法</a></p><p>正文第二段。</p>"
            "<p>附件：1.指标体系</p><p>2.工作台账</p></div></body></html>")
    assert extract_body(kept) == ["正文第一段。", "某某办法", "正文第二段。", "附件：1.指标体系", "2.工作台账"]
    a_page_link = ("<html><body><div id='zoom'><p>正文第一段。</p><p>附件：</p><p><a href='/list/2.html'>下一条</a></p>"
                   "</div></body></html>")
    assert extract_body(a_page_link)[-1] == "下一条"
