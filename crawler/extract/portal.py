"""What a portal's home page says about whose it is: title, 网站标识码, ICP number, walls.

A registry only gives addresses; an address can lapse, be taken over, or lead to the parent
government's portal. The home page's footer answers most of it: every government portal prints
its 网站标识码 (政府网站发展指引: ten digits, the first six the owner's division code, the last
four a serial — `5002290001` is 城口县's) and its ICP filing (渝ICP备05003300号). Anti-bot walls
answer with a challenge instead of the page: 瑞数 (HTTP 412, `$_ts` and a script VM), 加速乐
(HTTP 521, `__jsl_clearance` cookies), WZWS (`wzwschallenge`).
"""
from __future__ import annotations

import re

from parsel import Selector

SITE_CODE = re.compile(r"网站标识码\s*[:：]?\s*([0-9A-Za-z]{10})")
SITE_CODE_META = "//meta[translate(@name, 'SITEIDCODE', 'siteidcode') = 'siteidcode']/@content"
ICP = re.compile(r"([京津沪渝冀晋蒙辽吉黑苏浙皖闽赣鲁豫鄂湘粤桂琼川贵云藏陕甘青宁新])"
                 r"\s*ICP\s*备\s*(\d{6,12})\s*号(?:\s*-\s*(\d+))?")
WALLS = [("瑞数", re.compile(rb"\$_ts|nsd=|Precondition Failed")),
         ("加速乐", re.compile(rb"__jsl|__jsluid")),
         ("WZWS", re.compile(rb"wzws"))]
WALL_STATUS = {412: "瑞数", 521: "加速乐"}
GOVERNMENT_SUFFIX = re.compile(r"(?:人民政府|行政公署|管理委员会)$")
SPACE = re.compile(r"\s+")


def wall_of(status: int | None, body: bytes) -> str | None:
    """The anti-bot wall a response is (瑞数, 加速乐, WZWS, or 'HTTP 403'), else None."""
    small = len(body) < 8192
    for name, marker in WALLS:
        if (status in (412, 521, 403) or small) and marker.search(body[:8192]):
            return name
    if status in WALL_STATUS:
        return WALL_STATUS[status]
    return "HTTP 403" if status == 403 else None


def short_names(name: str | None) -> list[str]:
    """The names a portal may call its government by: 重庆市城口县人民政府 → itself, 城口县人民政府,
    重庆市城口县, 城口县 (the part after the province or 直辖市 prefix)."""
    if not name:
        return []
    bare = GOVERNMENT_SUFFIX.sub("", name)
    names = [name, bare]
    m = re.match(r"^(.+?(?:省|自治区|市))(.+(?:市|县|区|旗|州|盟|地区|新区))$", bare)
    if m:
        names += [m.group(2) + name[len(bare):], m.group(2)]
    return [n for n in dict.fromkeys(names) if len(n) >= 2]


def portal_facts(html: str, region: str | None = None, name: str | None = None) -> dict:
    """title, site_code (网站标识码), site_code_matches (its first six digits are `region`),
    icp, names_government (title or page text names `name` or one of its short names)."""
    page = Selector(text=html or "<html/>")
    title = SPACE.sub(" ", " ".join(page.xpath("//title//text()").getall())).strip() or None
    text = SPACE.sub("", " ".join(page.xpath("//body//text()[not(ancestor::script)]").getall()))
    code = (page.xpath(SITE_CODE_META).get() or "").strip()
    if not re.fullmatch(r"[0-9A-Za-z]{10}", code):
        found = SITE_CODE.search(text)
        code = found.group(1) if found else None
    icp = ICP.search(text)
    names = short_names(name)
    return {
        "title": title,
        "site_code": code,
        "site_code_matches": (code[:6] == region) if code and region else None,
        "icp": f"{icp.group(1)}ICP备{icp.group(2)}号" + (f"-{icp.group(3)}" if icp.group(3) else "") if icp else None,
        "names_government": any(n in (title or "") or n in text for n in names) if names else None,
    }
