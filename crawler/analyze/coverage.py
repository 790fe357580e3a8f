"""The governments a crawl covers, placed in the province → city → county tree for `coverage`.

The `coverage` view (crawler/store) crosses these governments with the years and the two report
types; this module only says who they are and where they sit. A site with a `region` is one
government: its code, its name (the site's title), its tier and its ancestors' codes.

Tiers come from the sites file (`level`); without one, from the code's shape (XX0000 a province,
XXYY00 a prefecture, anything else a county). A county's city is its code's XXYY00 when that is a
prefecture — one the same crawl lists as a prefecture, or one the division tables know. Counties
under a 直辖市 (重庆 500229: no 500200 prefecture) or run directly by their province (仙桃 429004)
have no city, as in GB/T 2260 and crawler/extract/regions.py. A province-level unit is its own
province (兵团 659000 is not under 新疆 650000 here).
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Protocol

from crawler.extract.regions import division_name

LEVELS = ("province", "prefecture", "county")


class GovernmentSite(Protocol):
    name: str
    title: str | None
    region: str | None
    level: str | None


def level_of(code: str, level: str | None = None) -> str:
    """The stated tier, else the one the code's shape gives."""
    if level in LEVELS:
        return level
    if code.endswith("0000"):
        return "province"
    return "prefecture" if code.endswith("00") else "county"


def government_rows(sites: Iterable[GovernmentSite]) -> list[dict]:
    """One row per region among `sites` (the first site of a region names it)."""
    chosen: dict[str, GovernmentSite] = {}
    for site in sites:
        if site.region and site.region not in chosen:
            chosen[site.region] = site
    levels = {code: level_of(code, site.level) for code, site in chosen.items()}
    rows = []
    for code, site in chosen.items():
        level = levels[code]
        province, city = code if level == "province" else code[:2] + "0000", _city(code, level, levels)
        rows.append({
            "region_code": code,
            "name": _government_name(site, code),
            "level": level,
            "site": site.name,
            "province_code": province,
            "city_code": city,
            # the places' own names, for groups whose government no crawl lists
            "province_name": division_name(province) or _title(chosen.get(province)),
            "city_name": city and (division_name(city) or _title(chosen.get(city))),
        })
    return rows


GOVERNMENT_TITLE = re.compile(r"(?:人民政府|行政公署|管理委员会|兵团)$")


def _government_name(site: GovernmentSite, code: str) -> str:
    """The site's title when it names a government; a department's site (重庆市教育委员会, region
    500000) stands for its region, which goes by the division's name (重庆市)."""
    if site.title and GOVERNMENT_TITLE.search(site.title.strip()):
        return site.title.strip()
    return division_name(code) or site.title or code


def _title(site: GovernmentSite | None) -> str | None:
    return site.title if site else None


def _city(code: str, level: str, levels: dict[str, str]) -> str | None:
    if level == "prefecture":
        return code
    if level == "province":
        return None
    candidate = code[:4] + "00"
    if candidate == code or code[2:4] == "00":
        return None
    if candidate in levels:
        return candidate if levels[candidate] == "prefecture" else None
    return candidate if division_name(candidate) else None
