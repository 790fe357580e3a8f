"""The words government pages label their metadata with, and the furniture strings around a document.

One module, read by metadata.py (which pairs each label with its value) and by body.py (which keeps every
labelled line, and every furniture line, out of the body), so that a label one of them knows the other knows too.

The 政务公开 box (信息公开 目录 detail pages; domain.md §2.2 and what real pages show) labels:

    索引号 / 信息索引号 / 编号                               → index_no
    发布机构 / 发文机关 / 发文机构 / 发文单位 / 制发机关 / 制发机构 / 发布单位 → publisher
    成文日期 / 生成日期 / 发文日期 / 成文时间                  → written_date
    发布日期 / 公开日期 / 公开时间 / 发布时间                  → published_date
    文号 / 发文字号 / 文件编号                               → doc_no
    标题 / 名称                                            → title
    主题分类, 体裁分类, 有效性, 公开方式 …                    → recognised, no field

The info line above a news-style body (``发布时间：… 来源：…``) says 发布时间, 时间, 信息来源, 来源. 信息来源 and 来源
name where the text came from, not who issued it: they fill ``source``, which stands in for the publisher only
when no 发布机构-like label is shown.

Which shown date is which (the rule, whatever the layout):
- written_date is the date the document was made and signed: a 成文/生成/发文 label, or gkmlpt's created_at.
  It is never guessed from an unlabelled date.
- published_date is the date the page put it online: a 发布/公开 label, gkmlpt's publish_time, a published-time meta
  tag, the info line's 发布时间/时间, or the date on the line under the heading (unlabelled, or after a label of no
  field of ours that names a date: 日期：, 更新时间：); PubDate only when nothing else states one (some platforms set
  it to the time the page was regenerated).
- A bare 日期 anywhere else (in a box, in the text) says neither and is not read.
- When a page shows several dates, each is taken by its label; the first of each kind wins, the page's own box
  before everything else (see metadata.py for the ranks).
"""
from __future__ import annotations

import re

# 政务公开 box labels → field. They outrank the meta tags.
BOX_LABELS = {
    "索引号": "index_no", "信息索引号": "index_no", "编号": "index_no",
    "发布机构": "publisher", "发文机关": "publisher", "发文机构": "publisher", "发文单位": "publisher",
    "制发机关": "publisher", "制发机构": "publisher", "发布单位": "publisher",
    "成文日期": "written_date", "生成日期": "written_date", "发文日期": "written_date", "成文时间": "written_date",
    "发布日期": "published_date", "公开日期": "published_date", "公开时间": "published_date",
    "发文字号": "doc_no", "文号": "doc_no", "文件编号": "doc_no",
    "标题": "title", "名称": "title",
}
# Info-line labels → field. A 发布时间 inside a box (next to box labels) ranks with the box.
INFO_LABELS = {"发布时间": "published_date", "时间": "published_date", "信息来源": "source", "来源": "source"}
# Box labels with no field of ours: they end the previous value, and count as box labels when telling a
# 政务公开 box inside the content container from body text that happens to hold a label.
BOX_OTHER_LABELS = ("主题分类", "分类", "体裁分类", "组配分类", "服务对象分类", "公开方式", "公开范围", "公开时限",
                    "公文时效", "效力级别", "效力状况", "效力状态", "时效状态",
                    "有效性", "时效性", "主题词", "关键词", "所属机构")
# Other labels of the furniture around a document: recognised so a value stops where they start.
OTHER_LABELS = (*BOX_OTHER_LABELS, "浏览次数", "浏览量", "阅读次数", "阅读数", "点击数", "点击量", "访问量", "作者",
                "编辑", "责任编辑", "信息发布人", "字号", "文章类型", "分享到", "主办单位", "承办单位", "主办", "协办",
                "技术支持")
FIELD_LABELS = {**BOX_LABELS, **INFO_LABELS}
ALL_LABELS = tuple(sorted({*BOX_LABELS, *INFO_LABELS, *OTHER_LABELS}, key=len, reverse=True))
# Labels that make a cluster of lines a 政务公开 box (not 来源/时间, which news info lines carry too).
BOXISH_LABELS = frozenset({*BOX_LABELS, *BOX_OTHER_LABELS})

# A line starting with one of these (bracketed, or followed by a colon) is furniture, never body.
# Bare 时间： and 编号： stay: a report may hold such a line.
FURNITURE_LABELS = tuple(lab for lab in ALL_LABELS if lab not in ("时间", "编号"))

# Placeholders a template prints where a field is empty.
EMPTY_VALUES = frozenset({"", "无", "暂无", "-", "—", "/", "null", "none", "空"})

# 政府网站 meta tag names (lower-cased) → field. PubDate is kept apart: it ranks last (see the module note).
META_FIELDS = {"articletitle": "title", "firstpublishedtime": "published_date",
               "article:published_time": "published_date", "contentsource": "source"}
META_LAST = {"pubdate": "published_date"}
# gkmlpt ``_CONFIG.DETAIL`` keys: identifier is the 索引号, created_at the 成文日期, publish_time the 发布日期
# (else display_publish_time / first_publish_time, and date: Unix timestamps on some platforms, Beijing time).
DETAIL_FIELDS = {"title": "title", "identifier": "index_no", "document_number": "doc_no", "publisher": "publisher",
                 "created_at": "written_date", "publish_time": "published_date",
                 "display_publish_time": "published_date", "first_publish_time": "published_date",
                 "date": "published_date", "source": "source"}

# --- furniture ---------------------------------------------------------------------------------------------


def spaced_label(label: str, gap: str = r"\s") -> str:
    """A label pattern that tolerates the padding sites put between its characters."""
    return f"{gap}*".join(map(re.escape, label))


_FURNITURE_ALT = "|".join(spaced_label(lab) for lab in FURNITURE_LABELS)
FURNITURE_LINE = re.compile(
    rf"^(?:[\[【]\s*(?:{_FURNITURE_ALT})\s*[\]】]|(?:{_FURNITURE_ALT})\s*[:：])"
    r"|^(?:您)?(?:当前|所在)(?:的)?位置|^您的位置"
    r"|^[\[【]?\s*(?:打印|关闭|收藏|返回顶部)\s*[\]】]?$|^字号\s*[\[【]?\s*[大中小]"
    r"|^上一篇|^下一篇|^copyright|^版权声明|^推荐访问|^推荐阅读|^相关热词|^(?:下载文档|复制全文)",
    re.I,
)
# The download toolbar of a 政务公开 box: "pdf下载 word下载", "[PDF下载] [WORD下载]", "下载：PDF | WORD".
DOWNLOAD_LINE = re.compile(
    r"^(?:[\[【(（]?\s*(?:(?:pdf|word|wps|ofd|docx?|txt)\s*(?:版|格式|文件)?\s*)?下载\s*(?:[:：]\s*)?"
    r"(?:(?:pdf|word|wps|ofd|docx?|txt)\s*)?[\]】)）]?[\s|｜/、]*)+$", re.I)
# A pager under a document split in pages: "[1] [2] [3]", "上一页 1 2 下一页", "共3页 首页 尾页".
PAGER_LINE = re.compile(r"^(?:[\[【]?\s*(?:\d{1,3}|上一页|下一页|首页|尾页|末页|前一页|后一页)\s*[\]】]?\s*"
                        r"|共\s*\d+\s*页\s*|第\s*\d+\s*页\s*)+$")
# Furniture phrases that may sit mid-line; only short lines are judged by them,
# so a long paragraph that happens to mention 扫一扫 stays.
FURNITURE_PHRASE = re.compile(r"扫一扫|打印本页|关闭窗口|版权所有|ICP备|公网安备|网站标识码|网站地图|小编为大家")
# A link to a file (its href names a document or archive, or it carries a download attribute): at the end of
# the body, a line that is only such a link is the page's download list, not the document's text
# (attachments.py reads the files themselves); so is the bare 附件 heading over that list.
FILE_HREF = re.compile(r"\.(?:pdf|docx?|wps|ofd|xlsx?|et|pptx?|zip|rar|7z)(?:$|[?#])", re.I)
ATTACHMENT_HEADING = re.compile(
    r"^(?:[一二三四五六七八九十]+\s*[、.．]|\d+\s*[、.．]|[（(][一二三四五六七八九十\d]+[)）])?\s*"
    r"(?:相关)?附\s*件(?:下载|列表)?\s*[:：]?$")
# Headings of link lists that follow the document: nothing after them is body.
TAIL_MARKER = re.compile(r"^(?:相关(?:文章|链接|稿件|阅读|新闻|信息|文件|推荐)|上一篇|下一篇|热门推荐)\s*(?:[:：]|$)")

# --- breadcrumbs and site names ----------------------------------------------------------------------------

BREADCRUMB_LABEL = re.compile(r"(?:您)?(?:当前|所在)(?:的)?位置\s*[:：]?|您的位置\s*[:：]?")
BREADCRUMB_SEP = re.compile(r"\s*(?:>>|->|>|›|»|→|＞)\s*")
SITE_NAME = re.compile(r"(?:人民政府|政府|行政公署|管委会|管理委员会|门户网站|政府网|网站|网)$")
# A department's site (蚌埠市司法局, 广东省教育厅, 国家统计局): an all-CJK name that starts at a
# division (…省/市/区/县/州/盟/旗/镇/乡) or 国家 and ends as an organ does. The division keeps a
# slogan that merely ends in 局 (开创发展新局) a title.
AGENCY_NAME = re.compile(r"^(?:国家|[\u4e00-\u9fff]{1,10}?[省市区县州盟旗镇乡])[\u4e00-\u9fff]{1,12}?"
                         r"(?:局|委员会|委|办公室|办|厅|署|院|中心)$")
