"""索引号 / 统一社会信用代码 and issuer names → GB/T 2260 division codes.

Order (domain.md §3.4): an 18-character USCC prefix whose check character verifies gives its characters 3-8; a
9-character 组织机构代码 gives no region; a prefix that starts with a known 6-digit code (6107280000/…,
152900000000031/…) gives that code. Otherwise, or when the publisher names a unit *below* the index's code, the publisher's name decides.

Names are read as a chain from the start of the name (长沙市 › 岳麓区, 内蒙古 › 阿拉善), each link a full or short
name below the previous one; the longest name wins at each step. Current units are preferred to historical
ones, so 江干区 (merged into 上城区 in 2021) resolves only when no current unit has that name. A historical unit keeps
its own code and names (330104 江干区), so reports stay attributed to the government that issued them; the history
file names each old code's successor for whoever wants today's map. A name shared by several units (鼓楼区 ×4) is
settled by `hint` (a code of the site's region, at any level); otherwise the result stays at the level all
candidates share, which may be nothing.

Result: region_code plus the province, city and county names. Units under a 直辖市 or directly under a province
(重庆市城口县 500229, 济源市 419001) have city None, because GB/T 2260 has no prefecture between them; a city-level code has
county None. Development zones with NBS codes 71-79 (152971) are reported in the county slot.
"""
from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data"
USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)
# Leading words that are not places (party committees are named 中共XX县委).
NOT_PLACE_PREFIX = re.compile(r"^(?:中国共产党|中共)")
# A short name of up to three characters (公安 for 公安县) or a two-character full name (新区) followed by one of these
# is part of an organ's or a town's name — or of a road's, which streets are named after (四川北路街道, 友谊路街道:
# the road, not 四川省 or 友谊县).
NOT_AFTER_SHORT = re.compile(r"(?:局|厅|委|办|处|所|站|队|院|部|中心|管委会|管理委员会|镇|乡|街道|村|社区|公司|集团|学校|大学"
                             r"|[东西南北中]?路|大道|大街)")
MIDDLE_START_MIN = 3  # a chain that does not start the name must start with a full name at least this long
# Autonomous units are commonly named by their short name and their tier's last character: 甘南州 (甘南藏族自治州),
# 昌吉州, 恩施州, 玉龙县 (玉龙纳西族自治县), 鄂温克旗 — issuers write 甘南州合作市人民政府, 昌吉州司法局.
AUTONOMOUS_TIERS = ("自治州", "自治县", "自治旗")


@dataclass(frozen=True)
class Unit:
    code: str
    name: str
    current: bool


@dataclass(frozen=True)
class Table:
    by_code: dict[str, Unit]
    full: dict[str, list[Unit]]
    short: dict[str, list[Unit]]
    longest: int


def uscc_valid(code: str) -> bool:
    """GB 32100 统一社会信用代码: 18 characters whose last is the ISO 7064 MOD 31-3 check of the other 17."""
    code = code.strip().upper()
    if len(code) != 18 or any(c not in USCC_ALPHABET for c in code):
        return False
    total = sum(USCC_ALPHABET.index(c) * w for c, w in zip(code, USCC_WEIGHTS, strict=False))
    return code[17] == USCC_ALPHABET[(31 - total % 31) % 31]


def org_code_valid(code: str) -> bool:
    """GB 11714 组织机构代码: 8 digits/letters and a MOD 11 check (10 → X), written with or without "-" before it."""
    code = code.strip().upper()
    if len(code) == 10 and code[8] == "-":
        code = code[:8] + code[9]
    if not re.fullmatch(r"[0-9A-Z]{8}[0-9X]", code):
        return False
    total = sum(int(c, 36) * w for c, w in zip(code, ORG_WEIGHTS, strict=False))
    check = 11 - total % 11
    return code[8] == {10: "X", 11: "0"}.get(check, str(check))


def _rows(name: str):
    with (DATA / name).open(encoding="utf-8", newline="") as f:
        yield from csv.DictReader(line for line in f if not line.startswith("#"))


def _aliases(name: str, short_names: str) -> list[str]:
    """A unit's short names, and for an autonomous unit each one with its tier's character (甘南 → 甘南州 too),
    the form issuers most often print in front of a county-level government's or an organ's name."""
    shorts = [a for a in short_names.split("|") if a]
    tier = next((t for t in AUTONOMOUS_TIERS if name.endswith(t)), None)
    return shorts + ([a + tier[-1] for a in shorts if a + tier[-1] != name] if tier else [])


@cache
def _table() -> Table:
    """Both CSVs, indexed by code (current units win) and by full and short name."""
    by_code: dict[str, Unit] = {}
    full: dict[str, list[Unit]] = {}
    short: dict[str, list[Unit]] = {}
    for file, current in (("divisions.csv", True), ("divisions_history.csv", False)):
        for row in _rows(file):
            unit = Unit(row["code"], row["name"], current)
            by_code.setdefault(unit.code, unit)
            full.setdefault(unit.name, []).append(unit)
            for alias in _aliases(row["name"], row["short_names"]):
                short.setdefault(alias, []).append(unit)
    longest = max(map(len, [*full, *short]))
    return Table(by_code, full, short, longest)


def _stem(code: str) -> str:
    """The significant digits of a code: 35 for a province, 3501 for a city, 350102 for a county."""
    return code[:2] if code[2:] == "0000" else code[:4] if code[4:] == "00" else code


def _is_below(code: str, ancestor: str) -> bool:
    return code != ancestor and code.startswith(_stem(ancestor))


def _related(code: str, hint: str) -> bool:
    a, b = _stem(code), _stem(hint)
    return a.startswith(b) or b.startswith(a)


def _prefer_current(units: list[Unit]) -> list[Unit]:
    current = [u for u in units if u.current]
    return current or units


def _match_at(text: str, pos: int, parents: list[Unit] | None, full_only: bool) -> tuple[int, list[Unit]]:
    """The longest name at `pos` with a unit below `parents` (any unit when None): (its length, those units)."""
    table = _table()
    for size in range(min(table.longest, len(text) - pos), 1, -1):
        word, after = text[pos:pos + size], text[pos + size:]
        guarded = size <= 3 and NOT_AFTER_SHORT.match(after)
        units = [] if guarded and size == 2 else list(table.full.get(word, []))
        if not (full_only or guarded):
            units += table.short.get(word, [])
        if parents is not None:
            units = [u for u in units if any(_is_below(u.code, p.code) for p in parents)]
        if units:
            return size, _prefer_current(units)
    return 0, []


def _chain(text: str, start: int) -> list[Unit]:
    """Units named by the chain of place names starting at `start` (the deepest link's candidates)."""
    size, units = _match_at(text, start, None, full_only=start > 0)
    if start > 0 and size < MIDDLE_START_MIN:
        return []
    if _names_a_zone(text, start, size) and all(u.code[4:] != "00" for u in units):
        return []   # a zone named alone after a county (霍尔果斯经济开发区管理委员会): not the county's, as below
    pos = start + size
    while units:
        size, deeper = _match_at(text, pos, units, full_only=False)
        if not deeper or (_names_a_zone(text, pos, size) and all(u.code[4:] != "00" for u in deeper)):
            break
        pos, units = pos + size, deeper
    return units


# (a 边境经济合作区 — 瑞丽, 畹町, 河口, 二连浩特 … — is a zone named after its county too)
ZONE_AFTER = re.compile(r"(?:国家级)?(?:经济技术|经济|高新技术产业|高新技术|高新|技术|边境经济|边境)?"
                        r"(?:开发区|产业园区|工业园区|园区|高新区|合作区)")


def _names_a_zone(text: str, pos: int, size: int) -> bool:
    """Is the place named at `pos` by its short name only the name of a zone that follows it
    (吉安井冈山经济技术开发区: 吉安's zone named after 井冈山, not 井冈山市's)? A deeper link to a county named
    so does not move the chain into that county: the zone's 管委会 is the city's body (a province's zone
    named after its prefecture, 内蒙古阿拉善高新技术产业开发区, is still the prefecture's). Nor does a chain
    that starts so (霍尔果斯经济开发区管理委员会 as the 发布机构, 昭阳工业园区): it names no place, and the report is
    placed by what else names one (the title's issuer, the portal's own region)."""
    return text[pos:pos + size] not in _table().full and bool(ZONE_AFTER.match(text, pos + size))


def _settle(units: list[Unit], hint: str | None) -> str | None:
    """One code for the candidates: the hint's pick if it singles one out, else the level they all share."""
    codes = sorted({u.code for u in units})
    if hint and len(codes) > 1:
        codes = [c for c in codes if _related(c, hint)] or codes
    if len(codes) == 1:
        return codes[0]
    for stem_len, pad in ((4, "00"), (2, "0000")):
        stems = {c[:stem_len] for c in codes}
        if len(stems) == 1 and stems.pop() + pad in _table().by_code:
            return codes[0][:stem_len] + pad
    return None


def _code_from_publisher(publisher: str | None, hint: str | None) -> str | None:
    text = NOT_PLACE_PREFIX.sub("", re.sub(r"\s+", "", publisher or ""))
    for start in range(len(text)):
        units = _chain(text, start)
        if units:
            return _settle(units, hint)
    return None


def _code_from_index(index_no: str | None) -> str | None:
    """The region an 索引号 prefix states, or None (9-character organisation codes state none)."""
    raw = re.sub(r"\s+", "", index_no or "").upper()
    prefix = raw.split("/")[0] if "/" in raw else raw.split("-")[0]
    if uscc_valid(prefix):
        code = prefix[2:8]
    elif org_code_valid(prefix):
        return None
    else:
        code = prefix[:6]
    return code if code in _table().by_code else None


def _names(code: str | None) -> dict:
    """The result dict: the code and its province / city / county names."""
    lookup = _table().by_code
    result = {"region_code": code, "province": None, "city": None, "county": None}
    if code is None:
        return result
    result["province"] = lookup[code[:2] + "0000"].name
    city = lookup.get(code[:4] + "00")
    if city and code[2:4] != "00":
        result["city"] = city.name
    if code[4:] != "00":
        result["county"] = lookup[code].name
    return result


def resolve_region(index_no: str | None, publisher: str | None, hint: str | None = None) -> dict:
    """region_code, province, city, county for a page's 索引号 and 发布机构; None where they cannot be told."""
    from_index = _code_from_index(index_no)
    from_name = _code_from_publisher(publisher, from_index or hint)
    if from_index and not (from_name and _is_below(from_name, from_index)):
        return _names(from_index)
    return _names(from_name)


def division_name(code: str) -> str | None:
    """The name of a current or historical division code; None for a code the tables do not know."""
    unit = _table().by_code.get(code)
    return unit.name if unit else None
