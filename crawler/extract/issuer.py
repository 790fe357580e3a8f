"""Who issued a report: the government itself, one of its departments, or a township.

Coverage asks whether a *government* published its annual report. A portal's report columns
also carry its departments' reports (城口县司法局2022年法治政府建设年度报告) and its townships'
(XX镇人民政府2022年政府信息公开工作年度报告): they are the government's region's reports but
not the government's own.

The title names the issuer in front of the covered year or of 关于 (城口县人民政府关于2022年…,
城口县司法局2022年…, 城口县2022年度…), or right after the year when the title opens with it
(2022年城口县法治政府建设情况报告 — posted by the 司法局 as 发布机构, still the government's own
report: the title names the government); a title that names no issuer (2022年政府信息公开工作年度报告)
leaves it to the page's 发布机构. What the name ends with decides:

- a place (…县, …区, …市, …自治州, …新区) or its 人民政府 / 政府 / 行政公署 / 管理委员会, or a joint
  party-and-government issuer (中共XX县委 XX县人民政府) → `government`;
- but a development zone's committee (XX经济技术开发区管委会, 高新技术产业开发区管理委员会, XX工业园区管委会,
  XX边境经济合作区管理委员会, XX旅游度假区管委会, XX产业集聚区管委会, XX新城管委会) → `department`: the zone is an
  agency the government set up (派出机构), its report the zone's, not the government's own; so is a
  zone named alone (宽城区高新技术产业开发区2023年度…报告), though not a district ending in 园区 (绿园区).
  A 新区 or 实验区 committee stays `government` by its name (a place, 新区, not a zone: ZONE_COMMITTEE),
  and where its report is placed decides (report_issuer): it governs where it is a division of its own
  (两江新区管理委员会, 500157), else (鹰潭市信江新区, 衡水滨湖新区: its city, a zone code) it is its city's agency;
- 镇 / 乡 / 街道 (and their 人民政府 / 办事处) → `township`;
- an organ (…局, …委员会, …办公室, …中心 …) → `department`. The 人民政府办公室 named in the title
  issues its own report as a department; as the 发布机构 of a title that names only the place,
  it is publishing the government's report (条例: the 主管部门 publishes the 本级政府's report);
- a trailing note that names an organ or a township (…情况报告（县司法局）) names the issuer;
- nothing to go on → `government`: a report on the government's own portal that names no other
  issuer is the portal owner's.
"""
from __future__ import annotations

import re
import unicodedata

GOVERNMENT, DEPARTMENT, TOWNSHIP = "government", "department", "township"

# what stands before the issuer's year or its 关于: the issuer's name
ISSUER = re.compile(r"^(.*?)(?:关于|[（(]?(?:19|20)\d{2}|[〇零○一二]{4}年)")
TOWNSHIP_NAME = re.compile(r"(?:镇|乡|街道)(?:人民政府|政府|办事处|党委)?$")
ZONE_COMMITTEE = re.compile(r"(?:开发区|经开区|高新区|园区|保税区|综保区|工业区|合作区|度假区|集聚区|新城)"
                            r"(?:管理委员会|管委会)(?:办公室)?$"
                            # the zone named alone issues as its committee; a district may end in 园区 (绿园区)
                            # (a 新城 is a city's functional zone, 衢州智造新城; no division ends so — 新城区 does;
                            # 经开区 and 综保区 are how titles shorten 经济技术开发区 and 综合保税区: 雅安经开区)
                            r"|(?:开发区|经开区|高新区|[工产]业园区|科技园区|工业区|保税区|综保区|合作区|度假区|集聚区|新城)$"
                            # … and any park named by two characters or more of its trade (生态光伏园区, 物流园区):
                            # a district's name has one before 园区 (长春市绿园区), a place's suffix not among them
                            r"|[^\W\d_省市县区州盟旗]{2}园区$")
GOVERNMENT_ORGAN = re.compile(r"(?:人民政府|政府|行政公署|管理委员会|管委会)$")
PLACE = re.compile(r"(?:省|市|县|区|旗|州|盟|新区|林区|特区|地区|兵团)$")
ORGAN = re.compile(r"(?:局|厅|委|委员会|办|办公室|办公厅|中心|院|所|站|队|部|署|会|处|馆"
                   r"|公司|集团|学校|大学|法院|检察院)$")
PUBLISHER_GOVERNMENT = re.compile(r"(?:人民政府|政府|行政公署|管理委员会|管委会)(?:办公室|办公厅)?$")
# a title that opens with the covered year names its issuer after it, before the report's subject
SUBJECT = r"(?:法治政府|政府信息公开|信息公开|政务公开)"
YEAR_FIRST = re.compile(rf"^[（(]?(?:19|20)\d{{2}}\s*年度?[)）]?\s*((?!{SUBJECT}).+?)(?:关于)?{SUBJECT}")
TRAILING = re.compile(r"[(]([^()]+)[)]$")   # …年度报告（县司法局）: a list's note of who issued it
SEPARATORS = re.compile(r"[\s\u3000、,，/]+")


def _name_kind(name: str) -> str | None:
    """The kind of issuer a name is; None for a name that says nothing (empty, a bare 《》)."""
    parts = [p for p in SEPARATORS.split(name) if p]
    if not parts:
        return None
    last = parts[-1]            # 中共XX县委 XX县人民政府: the last issuer named is the government
    if TOWNSHIP_NAME.search(last):
        return TOWNSHIP
    if ZONE_COMMITTEE.search(last):
        return DEPARTMENT
    if GOVERNMENT_ORGAN.search(last):
        return GOVERNMENT
    if ORGAN.search(last):
        return DEPARTMENT
    if PLACE.search(last):
        return GOVERNMENT
    return None


def title_issuer(title: str | None) -> str | None:
    """The issuer the title names (六安市金安区人民政府 in 六安市金安区人民政府2022年法治政府建设年度报告,
    湘潭市 in 2021年湘潭市法治政府建设情况报告), or None when it names none that says what it is."""
    title = unicodedata.normalize("NFKC", title or "").strip()
    note = TRAILING.search(title)
    if note and _name_kind(note.group(1)) in (DEPARTMENT, TOWNSHIP):
        return note.group(1)
    named = ISSUER.match(title)
    if named and _name_kind(named.group(1)):
        return named.group(1)
    if (after := YEAR_FIRST.match(title)) and _name_kind(after.group(1)):
        return after.group(1)
    return None


def issuer_type(title: str | None, publisher: str | None) -> str:
    """`government`, `department` or `township`: who issued the report (see the module docstring)."""
    if named := title_issuer(title):
        return _name_kind(named)
    publisher = unicodedata.normalize("NFKC", publisher or "").strip()
    if not publisher or (PUBLISHER_GOVERNMENT.search(publisher) and not ZONE_COMMITTEE.search(publisher)):
        return GOVERNMENT
    return _name_kind(publisher) or GOVERNMENT


COMMITTEE = re.compile(r"(?:管理委员会|管委会)(?:办公室)?$")
# a 新区 / 实验区 / 示范区 named alone (镇江新区2021年度…报告): its committee's report, settled as a committee's is
NEW_AREA = re.compile(r"(?:新区|实验区|示范区)$")


def governs_division(region_code: str | None) -> bool:
    """Does a code name a county-level division of its own (500157 两江新区, 350128 平潭综合实验区)?
    Not a city or province (a committee named after its city, 鹰潭市信江新区, resolves to the city),
    nor an NBS development-zone code (xxxx7x: 131172 衡水滨湖新区)."""
    return bool(region_code) and len(region_code) == 6 and region_code[4:] != "00" and region_code[4] != "7"


def report_issuer(title: str | None, publisher: str | None, region_code: str | None) -> str:
    """issuer_type, a committee's (…新区管理委员会, …示范区管委会, or the 新区 named alone: 镇江新区) settled by
    where its report is placed: it governs only where it is a division of its own (两江新区管理委员会 → 500157:
    the government's report); one resolving to its city or to a zone code is an agency its city set up (鹰潭市信江新区,
    衡水滨湖新区), its report a department's, not the city's own."""
    kind = issuer_type(title, publisher)
    named = unicodedata.normalize("NFKC", title_issuer(title) or publisher or "").strip()
    if kind == GOVERNMENT and (COMMITTEE.search(named) or NEW_AREA.search(named)) and not governs_division(region_code):
        return DEPARTMENT
    return kind
