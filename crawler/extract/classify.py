"""Report type and covered year of a page, from its title and, when the title says nothing, its body.

Labels: `法治政府建设年度报告` and `政府信息公开工作年度报告` for the two annual reports; look-alikes get a short label
for what they are (解读, 通知, 实施方案, 工作要点, 讲话, 新闻, 述法报告, 半年报告, …) and anything else `其他`.
Only the outer title counts: text inside 《》 is a cited document, so a 解读 or 通知 of a report is not the report.

Borderline policy (domain.md §2.4):
- N3, a 法治政府建设 report addressed to the 人大常委会 for deliberation (title names the 人大, or the body says
  请予审议 / 各位委员), is `专项报告`: the 规定 only asks governments to send their annual report to the 人大 as a copy.
- N24, a 法治建设 report (party and state together), is `法治建设报告`; N25, the pre-2015 依法行政 report, is
  `依法行政报告` (its 考核/自查 variants are `考核`). Both are kept and findable but never counted as the annual report.
- "工作总结" counts as the annual report (P8 …工作总结的报告); 半年/五年 summaries do not.
- A report on the 法治政府建设示范 campaign (X法治政府建设示范创建工作情况的报告, 创建全国法治政府建设示范市…) is
  `示范创建`: the campaign's name holds the annual report's words, but it reports on a bid, not on the year. A joint
  title that names the year's 法治政府建设 besides the campaign (…2022年度法治政府建设暨示范创建工作情况报告) stays a report.

Year, as the contract defines it, and only for the two annual reports (None for every other label): from the
title (its YYYY年度, then YYYY年, then a bracketed (YYYY); 文号 such as 〔2022〕5号 and ranges such as 2021—2025年
never count), else from the body's statement of the covered period ("现将2022年…情况报告如下", "统计期限自2022年1月1日", a paragraph opening "2022年，"). A copy whose title carries another
year than its text (seed 000: title 2023年度, body 2022年) keeps its title's year; the copy is kept apart anyway. Traditional characters and Chinese-numeral years are normalised first.
"""
from __future__ import annotations

import re
import unicodedata

FZ = "法治政府建设年度报告"
XXGK = "政府信息公开工作年度报告"
REPORT_TYPES = (FZ, XXGK)

# Traditional → simplified for the characters the patterns below use (法治政府建設年度報告 → 法治政府建设年度报告),
# taken from jionlp 1.5.31's tra2sim_char.txt. Not OpenCC (which crawler/dedup.py uses on whole bodies): this
# table also folds the variant forms OpenCC keeps as they are (覆 処 灋 効 縂 …), and only these words matter here.
T2S = str.maketrans(
    "係則劃動務匯員問單圖報實審將專彙復書會條榮標檢欄況測為爐爲獲現發穫範細結統維網緻總繫聞職舉藍處號製複覆規"
    "觀計訊訓記訟設訴評話談請講議讀責資轉辦辭進選錶開項題饋體髮點齣査詧処辤灋槼菓咊覈滙擧餽鑪讅昰躰効傚縂",
    "系则划动务汇员问单图报实审将专汇复书会条荣标检栏况测为炉为获现发获范细结统维网致总系闻职举蓝处号制复复规"
    "观计讯训记讼设诉评话谈请讲议读责资转办辞进选表开项题馈体发点出查察处辞法规果和核汇举馈炉审是体效效总",
)
CN_DIGITS = str.maketrans("〇零○O一二三四五六七八九", "0000123456789")
CN_YEAR = re.compile(r"[〇零○O一二][〇零○O一二三四五六七八九]{3}(?=年)")

YEAR = r"(?<!\d)((?:19|20)\d{2})"
DOC_NO = re.compile(r"[〔\[(]\s*(?:19|20)\d{2}\s*[〕\])]\s*\d+\s*号")
RANGE = re.compile(rf"{YEAR}年?[-—–~至到]+(?:19|20)\d{{2}}年?")
TITLE_YEARS = [re.compile(YEAR + r"年度"), re.compile(YEAR + r"年"), re.compile(rf"\({YEAR}(?:年度?)?\)")]
BODY_YEARS = [
    re.compile(rf"现将.{{0,30}}?{YEAR}年度?.{{0,60}}?(?:报告|汇报)如下"),
    re.compile(rf"统计期限?(?:为|是|自)?{YEAR}年1月1日"),
]
OPENING_YEAR = re.compile(YEAR + r"年度?,")
OPENING_LINES = 4

WRAPPED = re.compile(r"^《([^《》]*)》$")
CITED = re.compile(r"《[^》]*》")
# what may trail a report's title: (…), 【…】, a file extension, a date, an aggregator's 范文/模板/全文
TAIL = re.compile(r"(?:\([^()]*\)|【[^】]*】|\[[^\]]*\]|\.(?:pdf|docx?|wps|ofd)|\d{4}[-/.]\d{1,2}[-/.]\d{1,2}|\.+"
                  r"|范文(?:大全)?|模板|全文)+$", re.I)
SITE_SUFFIX = re.compile(r"^(.{6,}?)[_|].*$")
ELLIPSIS = re.compile(r"\.{2,}$")  # NFKC has turned … into ...

# Look-alikes, first match wins; the order settles overlaps (…工作要点的通知 is a 通知, …督察工作规定 a 规定).
LOOKALIKES = [(label, re.compile(pattern)) for label, pattern in (
    ("解读", r"解读|图解|答记者问|一图(?:读懂|看懂|速览|了解)"),
    ("讲话", r"讲话|致辞|发言"),
    ("通知", r"通知|通报|印发|转发"),
    ("规定", r"规定|条例|办法|细则|制度"),
    ("指引", r"指引|指南"),
    ("实施方案", r"方案"),
    ("工作要点", r"要点"),
    ("指标体系", r"指标"),
    ("清单", r"清单"),
    ("工作安排", r"^(?!.*(?:报告|总结)).*(?:安排|计划|规划)"),
    ("新闻", r"召开|举行|举办|推进会|座谈会|培训|多举措|出炉|获评|荣获|入选|观摩"),
    ("述法报告", r"述法|述职|述责"),
    ("专项报告", r"人大|审议"),
    ("半年报告", r"半年|季度"),
    ("五年报告", rf"五年|十三五|十四五|{RANGE.pattern}"),
    ("整改报告", r"督察|督查|整改|反馈"),
    ("评估报告", r"评估|第三方|蓝皮书|白皮书|测评"),
    ("考核", r"考核|考评|自查|检查"),
    ("网站年报", r"网站.*(?:年报|年度报表|年度报告)"),
    ("法治建设报告", r"法治建设.*报告"),
    ("依法行政报告", r"依法行政.*报告"),
)]
# the 法治政府建设示范 campaign's name (全国法治政府建设示范市, 省级法治政府建设示范项目, 示范创建): blanked before the
# report words are read, so that only a title naming the report's subject outside it is a report
CAMPAIGN = re.compile(r"(?:创建|申报|争创)?(?:全国|全省|全区|全市|省级|市级|国家级)?"
                      r"(?:法治政府(?:建设)?示范(?:创建|地区|城市|市|州|盟|县|区|旗|项目|单位)*|示范创建)")
REPORTS = [(XXGK, re.compile(r"(?:信息|资讯|政务)公开.*(?:报告|年报)$")), (FZ, re.compile(r"法治政府.*(?:报告|年报|总结)$"))]
TRUNCATED_REPORTS = [(XXGK, re.compile(r"^(?=.*(?:信息|资讯|政务)公开)(?=.*(?:(?:19|20)\d{2}|报告|年报|年度))")),
                     (FZ, re.compile(r"^(?=.*法治政府)(?=.*(?:(?:19|20)\d{2}|报告|年报|年度|情况|总结))"))]

TO_PEOPLES_CONGRESS = re.compile(r"请予审议|各位委员")
XXGK_HEADINGS = [re.compile(p) for p in (
    r"总体情况", r"主动公开政府信息(?:的)?情况", r"收到和处理政府信息公开申请(?:的)?情况",
    r"政府信息公开行政复议、?行政诉讼(?:的)?情况", r"存在的主要问题及改进情况", r"其他需要报告的事项")]
XXGK_TABLE_WORDS = ("本年新收", "结果维持")
XXGK_OPENING = re.compile(r"信息公开(?:工作)?年度报告")
FZ_OPENING = re.compile(r"现将.{0,40}?法治政府建设.{0,40}?(?:报告|汇报)如下")
FZ_HEADINGS = [re.compile(p) for p in (
    r"主要举措和成效", r"存在的(?:主要)?(?:不足|问题)", r"第一责任人职责", r"主要安排|工作打算|工作计划|下一步",
    r"其他需要报告的情况")]
FZ_MIN_PARTS = 3
PLAN_OPENING = re.compile(r"现制定(?:如下|本)?(?:实施)?方案|特制定本方案|制定如下实施方案")

# whose reports a sub-column holds: 省直部门 / 市级部门 (the 年报 column's tabs) / 乡镇（街道）… / the
# counties' and districts' governments (区县政府信息公开年报, 各县（市、区）年报: a city's column of its
# counties' own reports, a column like any other, not a report), and a province's cities' (省辖市 /
# 设区市政府年报: the province's column of its cities' reports, kept on its own host; 市州年报 stays
# no column — its entries link the cities' own portals); in 内蒙古 a 盟's or city's counties are 旗 and
# 区 (旗区年报, 旗县区年报, 旗县市区政府信息公开年报), named so on its tabs)
SUBORDINATES = (r"各?(?:区县|县区|县市区|县市|市县|县\(市、?区\)|县\(市\)区|区\(县\)|县\(区\)"
                r"|旗县市区|旗县区|旗市区|旗区|旗县|旗县\(市、?区\)|旗县\(市\)区"
                r"|省辖市|设区市|地级市)(?:人民)?(?:政府)?")
COLUMN_OWNER = (r"(?:[省市县区][直级](?:各?部门|单位)|各?部门|[省市县区]?政府|[省市县区]级|本级"
                r"|乡镇(?:\(街道\)|街道)?|街道|镇街|" + SUBORDINATES + ")?")
# … and the government by its name, on the tab of its own reports beside the others' (蒙城县政府年报 |
# 部门年报 | 乡镇年报): only with 年报, the columns' short word — a report is titled …年度报告, never 年报
PLACE_GOVERNMENT = (r"[\u4e00-\u9fff]{1,12}?(?:自治区|自治州|自治县|省|市|州|盟|县|区|旗|新区)"
                    r"(?:人民政府|政府|行政公署)")
COLUMN_XXGK = re.compile(COLUMN_OWNER + r"(?:(?:政府信息公开|信息公开|资讯公开|政务公开)?(?:工作)?(?:年度报告|年报)"
                         r"|(?:政府信息公开|信息公开|政务公开)(?:工作)?(?:报告|年度工作报告))(?:专栏|栏目)?"
                         r"|" + PLACE_GOVERNMENT + r"(?:政府信息公开|信息公开|政务公开)?(?:工作)?年报(?:专栏|栏目)?")
# 法治政府建设 + 年度报告 / 情况报告 / 年度情况报告 (云南's column) / 年度工作报告 … / 年报
FZ_COLUMN_LEAF = r"(?:(?:年度)?(?:工作)?(?:情况)?报告|年报)"
COLUMN_FZ = re.compile(COLUMN_OWNER + rf"(?:年度)?(?:法治政府(?:建设)?{FZ_COLUMN_LEAF}?"
                       rf"|法治(?:建设)?{FZ_COLUMN_LEAF})(?:专栏|栏目)?")

# one column for both reports (法治政府建设与政务公开年报, 政府信息公开和法治政府建设年度报告): portals that
# publish the year's two reports together keep them in one column, named for both
BOTH_AND = r"(?:与|和|及|暨|、|/)"
XXGK_LEAF = r"(?:政府信息公开|信息公开|政务公开)(?:工作)?(?:年度报告|年报)"
COLUMN_BOTH = re.compile(COLUMN_OWNER + rf"(?:(?:法治政府(?:建设)?|法治建设){FZ_COLUMN_LEAF}?{BOTH_AND}{XXGK_LEAF}"
                         rf"|(?:政府信息公开|信息公开|政务公开)(?:工作)?(?:年度报告|年报)?{BOTH_AND}"
                         rf"(?:法治政府(?:建设)?|法治建设){FZ_COLUMN_LEAF})(?:专栏|栏目)?")


def _normalize(text: str | None, keep_lines: bool = False) -> str:
    """NFKC (full-width → ASCII), traditional → simplified, 二〇二二年 → 2022年, no spaces (lines kept on request)."""
    text = unicodedata.normalize("NFKC", text or "").translate(T2S)
    text = CN_YEAR.sub(lambda m: m.group().translate(CN_DIGITS), text)
    return re.sub(r"[^\S\n]+" if keep_lines else r"\s+", "", text).strip()


def _own_words(title: str) -> str:
    """The title without cited documents (blanked to 《》), 文号 and a trailing site name."""
    title = WRAPPED.sub(r"\1", SITE_SUFFIX.sub(r"\1", DOC_NO.sub("", title)))
    return CITED.sub("《》", title)


def _title_label(title: str, truncated: bool = False) -> str | None:
    """Look-alikes are read in the whole title, (…)(图解) included; the report types must end it, bar a tail,
    and be named outside the 示范 campaign's name (a 示范创建 report names 法治政府建设 only inside it)."""
    own = _own_words(title)
    for label, pattern in LOOKALIKES:
        if pattern.search(own):
            return label
    core = TAIL.sub("", own)
    reports = TRUNCATED_REPORTS if truncated else REPORTS
    for label, pattern in reports:
        if pattern.search(CAMPAIGN.sub("", core)):
            return label
    # a report's words named only inside the campaign's name (…法治政府建设示范创建工作情况的报告): a report on the bid
    return "示范创建" if any(pattern.search(core) for _, pattern in reports) else None


def _body_label(body: str) -> str | None:
    """A verdict from the body alone: the fixed 信息公开 headings and table, the 法治政府 opening and parts."""
    if TO_PEOPLES_CONGRESS.search(body) and "法治政府" in body:
        return "专项报告"
    headings = sum(bool(p.search(body)) for p in XXGK_HEADINGS)
    if headings >= 3 or all(w in body for w in XXGK_TABLE_WORDS) or XXGK_OPENING.search(body[:500]):
        return XXGK
    if PLAN_OPENING.search(body[:1000]):
        return "实施方案"
    parts = sum(bool(p.search(body)) for p in FZ_HEADINGS)
    if FZ_OPENING.search(body) or (parts >= FZ_MIN_PARTS and "法治政府" in body):
        return FZ
    return None


def _title_year(title: str) -> int | None:
    title = RANGE.sub("", DOC_NO.sub("", title))
    for pattern in TITLE_YEARS:
        if m := pattern.search(title):
            return int(m.group(1))
    return None


def _body_year(body: str) -> int | None:
    for pattern in BODY_YEARS:
        if m := pattern.search(body[:3000]):
            return int(m.group(1))
    for line in [line for line in body.split("\n") if line][:OPENING_LINES]:
        if m := OPENING_YEAR.match(line):
            return int(m.group(1))
    return None


def body_year(body: str | None) -> int | None:
    """The year a report's text says it covers, whatever its title says: a 范文 site's retitled copy
    (seed 000: titled 2023年度, its text on 2022) still states the year of the report it copies."""
    return _body_year(_normalize(body, keep_lines=True)) if body else None


def classify(title: str | None, body: str | None) -> tuple[str | None, int | None]:
    """(report_type, year) of a page; (None, None) when there is neither title nor body.

    The year is the year an annual report covers, so only the two annual reports have one: a 解读, 通知 or
    news item that names a year is not a report on it (year None), whatever year its title carries.
    """
    title, body = _normalize(title), _normalize(body, keep_lines=True)
    if not title and not body:
        return None, None
    label = _title_label(title) if title else None
    if label is None:
        label = _body_label(body) or "其他"
    elif label == FZ and TO_PEOPLES_CONGRESS.search(body):
        label = "专项报告"
    if label not in REPORT_TYPES:
        return label, None
    return label, _title_year(title) or _body_year(body)


def link_kind(text: str) -> str | None:
    """The report type a list-page link promises (titles cut with "…" are read loosely); None for anything else."""
    title = _normalize(text)
    if not title or column_kind(text):
        return None
    label = _title_label(title, truncated=bool(ELLIPSIS.search(title)))
    return label if label in REPORT_TYPES else None


# the words a report type's title goes on with after its year, as a list may cut them (…2024年度法… /
# …2024年政府信息…): the cut title of a report of that type ends with a beginning of one of them
TYPE_WORDS = {FZ: ("法治政府建设", "法治政府"), XXGK: ("政府信息公开", "信息公开", "政务公开", "政务信息公开")}
CUT_ISSUER = re.compile(r"^(?:[\u4e00-\u9fff]{2,12}?(?:自治区|自治州|自治县|省|市|州|盟|县|区|旗))+(?:人民政府)?")
CUT_AFTER_YEAR = re.compile(r"((?:19|20)\d{2})(?:年度|年)?(?:的|关于)?([^\d]*?)\.{2,}$")


def cut_report(text: str, kind: str) -> bool:
    """Might a list title cut short after its year (`安阳市人民政府关于2025年度法...`) be a report of
    `kind`, the type of the column that lists it? Portals cut list titles to a fixed length and
    give only some of them a title attribute; a cut that falls inside the type's words leaves a
    year and then the beginning of them (法, 政府信, or nothing). Look-alikes are told by the words
    left (解读, 方案 …), and the page opened is typed by its own title and text. A 信息公开 column
    takes the 法治 words too: a bare 年度报告 column (read as the 信息公开 one, column_kind) often holds
    both types (白沙黎族自治县人民政府2024年法... beside …2024年政...); a 法治 column never the other's."""
    title = _normalize(text)
    kinds = (XXGK, FZ) if kind == XXGK else (kind,)
    if kind not in TYPE_WORDS or not (m := CUT_AFTER_YEAR.search(title)) \
            or _title_label(title, truncated=True) not in (None, *kinds):
        return False
    rest = CUT_ISSUER.sub("", m.group(2))   # 2020年白沙黎族自治县政府信息公...: the year first, then the issuer
    return any(word.startswith(rest) for each in kinds for word in TYPE_WORDS[each])


# a title cut right after its issuer, before its year (中共上饶市委 上饶市人民政府关于...): a 法治 report's
# title (XX人民政府关于20XX年度法治政府建设情况的报告) is long, and a list cutting at 16 keeps only its issuer
CUT_AFTER_ISSUER = re.compile(r"(?:人民政府|政府)(?:关于?)?\.{2,}$")


def cut_after_issuer(text: str, kind: str) -> bool:
    """Might a list title cut right after its issuer (`武陵县人民政府关于...`), neither year nor type
    words left, be a report of `kind`, the type of the column listing it? Only the page can say:
    in a report column it is opened and typed by its own title. A look-alike's words, when some
    are left (办公室关于印发…), keep it shut."""
    title = _normalize(text)
    return kind in TYPE_WORDS and bool(CUT_AFTER_ISSUER.search(title)) \
        and _title_label(title, truncated=True) is None


def column_kind(text: str) -> str | None:
    """The report type a column link (法治政府建设年度报告, 政府信息公开年报, 年度报告 …) holds, else None.

    A bare 年度报告/年报 is taken as the 信息公开 column: that is its name in the 政府信息公开 menus the 条例 prescribes.
    """
    name = _normalize(text).strip(">»›/")
    if COLUMN_FZ.fullmatch(name) or COLUMN_BOTH.fullmatch(name):   # a column of both: the first it names
        return FZ
    if COLUMN_XXGK.fullmatch(name):
        return XXGK
    return None


def column_kinds(text: str) -> tuple[str, ...]:
    """Every report type a column link names: both for a column of the two reports together
    (法治政府建设与政务公开年报), else column_kind's one (or none)."""
    if COLUMN_BOTH.fullmatch(_normalize(text).strip(">»›/")):
        return (FZ, XXGK)
    return (kind,) if (kind := column_kind(text)) else ()
