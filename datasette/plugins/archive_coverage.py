"""Who published, who was late, who did not: the `coverage` view as a page and on the home page.

`/-/coverage` shows the whole country by province; `?in=500000` one province by its own
government, its cities and the counties it runs directly; `?in=130200` one city by its own
government and its counties. Every count links to the `coverage` rows behind it (which link to
the reports), and a chart shows each year's shares. `?year=2023` narrows the tables to one year.
"""
from __future__ import annotations

import re
from urllib.parse import urlencode

from datasette import hookimpl
from datasette.utils import tilde_encode
from datasette.utils.asgi import NotFound, Response
from markupsafe import Markup, escape

TYPES = ("法治政府建设年度报告", "政府信息公开工作年度报告")
STATUSES = ("on_time", "late", "no_date", "missing")
LABELS = {"on_time": "按时 on time", "late": "逾期 late", "no_date": "日期不详 no date",
          "missing": "未公开 missing"}
COLUMNS = ("published", "on_time", "late", "missing")   # the table's columns; no_date is in published
COLUMN_LABELS = {"published": "已公开 published", **LABELS}
NATIONAL = "全国 · China"


async def _archive(datasette):
    """The served database that holds the reports (serve publishes exactly one)."""
    for name, db in datasette.databases.items():
        if name != "_internal" and await db.table_exists("reports"):
            return db
    return None


async def _rows(db, sql: str, params=()) -> list[dict]:
    return [dict(r) for r in (await db.execute(sql, params)).rows]


async def _has_coverage(db) -> bool:
    return bool(await _rows(db, "SELECT 1 FROM sqlite_master WHERE name = 'coverage'"))


def _is_province(code: str, names: dict[str, dict]) -> bool:
    """A province-level code: the governments table says so, else the code's shape (XX0000)."""
    unit = names.get(code)
    return unit["level"] == "province" if unit else code.endswith("0000")


def _scope(code: str | None, names: dict[str, dict]) -> tuple[str, list]:
    """The WHERE clause and parameters of the governments shown for `in=code`."""
    if not code:
        return "1", []
    if _is_province(code, names):
        return "province_code = ?", [code]
    return "(city_code = ? OR region_code = ?)", [code, code]


def _unit_of(row: dict, code: str | None, names: dict[str, dict]) -> tuple[str, str]:
    """(key, filter column) of the table row a government's counts go into: provinces for the
    country; in a province its cities (each with its counties) and the governments without a
    city (the province's own, the counties it runs directly); in a city each government."""
    if not code:
        return row["province_code"], "province_code"
    if _is_province(code, names) and row["city_code"]:
        return row["city_code"], "city_code"
    return row["region_code"], "region_code"


GOVERNMENT_SUFFIX = re.compile(r"(?:人民政府|行政公署)$")


def _name(names: dict[str, dict], places: dict[str, str], code: str, group: bool = False) -> str:
    """A government's name; a group of governments (a province, a city) goes by its place's
    name (唐山市), else by its government's without 人民政府."""
    if group and places.get(code):
        return places[code]
    name = (names.get(code) or {}).get("name") or code
    return GOVERNMENT_SUFFIX.sub("", name) if group else name


def tabulate(rows: list[dict], code: str | None, names: dict[str, dict],
             places: dict[str, str]) -> list[dict]:
    """One table row per unit below `code`: per report type, counts and shares of each status."""
    units: dict[str, dict] = {}
    for row in rows:
        key, column = _unit_of(row, code, names)
        unit = units.setdefault(key, {
            "code": key, "name": _name(names, places, key, column != "region_code"), "filter": {column: key},
            "governments": set(), "drill": column != "region_code",
            "counts": {t: dict.fromkeys(STATUSES, 0) for t in TYPES}})
        unit["governments"].add(row["region_code"])
        unit["counts"][row["report_type"]][row["status"]] += row["n"]
    table = []
    for key in sorted(units, key=lambda k: (k != code, k)):
        unit = units[key]
        unit["own"] = key == code
        unit["governments"] = len(unit["governments"])
        unit["types"] = {t: _cells(unit["counts"][t]) for t in TYPES}
        table.append(unit)
    return table


def _cells(counts: dict[str, int]) -> dict[str, dict]:
    total = sum(counts.values())
    values = {"published": total - counts["missing"], **counts}
    return {column: {"n": values[column], "share": values[column] / total if total else 0.0}
            for column in (*COLUMNS, "no_date")}


def shares(per_year: dict[int, dict[str, int]], href) -> list[dict]:
    """100%-stacked bar geometry per year: each status's share of the year's government-reports."""
    chart = []
    for year in sorted(per_year):
        parts = per_year[year]
        total = sum(parts.values()) or 1
        offset, segments = 0.0, []
        for status in STATUSES:
            width = 100.0 * parts.get(status, 0) / total
            segments.append({"key": status, "value": parts.get(status, 0), "x": offset,
                             "width": width, "share": width})
            offset += width
        published = 100.0 * (total - parts.get("missing", 0)) / total
        chart.append({"label": str(year), "segments": segments, "href": href(year),
                      "published": published})
    return chart


async def coverage_context(datasette, db, code: str | None, year: str | None) -> dict:
    """Everything the coverage table and charts need, for the page and the home page."""
    if not await _has_coverage(db):
        return {"coverage_missing": True}
    governments = await _rows(db, "SELECT region_code, name, level, province_code, city_code, "
                                  "province_name, city_name FROM governments")
    names = {r["region_code"]: r for r in governments}
    places = {**{r["province_code"]: r["province_name"] for r in governments},
              **{r["city_code"]: r["city_name"] for r in governments if r["city_code"]}}
    if code and code not in names and not any(r["province_code"] == code or r["city_code"] == code
                                              for r in names.values()):
        code = None
    where, params = _scope(code, names)
    year_sql, year_params = ("AND year = ?", [int(year)]) if year and year.isdigit() else ("", [])
    rows = await _rows(db, f"SELECT region_code, province_code, city_code, report_type, status, "
                           f"count(*) AS n FROM coverage WHERE {where} {year_sql} "
                           "GROUP BY 1, 2, 3, 4, 5", params + year_params)
    per_year = await _rows(db, f"SELECT report_type, year, status, count(*) AS n FROM coverage "
                               f"WHERE {where} GROUP BY 1, 2, 3", params)
    table_url = datasette.urls.table(db.name, "coverage")

    def link(filters: dict, report_type: str, column: str, one_year=None) -> str:
        query = {**filters, "report_type": report_type}
        if column == "published":
            query["status__not"] = "missing"
        elif column in STATUSES:
            query["status"] = column
        if one_year or year_params:
            query["year"] = one_year or year_params[0]
        return f"{table_url}?{urlencode(query)}"

    scope_filter = {} if not code else (
        {"province_code": code} if _is_province(code, names) else {"city_code": code})
    years: dict[str, dict[int, dict[str, int]]] = {t: {} for t in TYPES}
    for row in per_year:
        years[row["report_type"]].setdefault(row["year"], {})[row["status"]] = row["n"]
    charts = {t: shares(years[t], lambda y, t=t: link(scope_filter, t, "all", y)) for t in TYPES}
    trail = [{"name": NATIONAL, "code": None}]
    if code:
        province = (names.get(code) or {}).get("province_code") or code[:2] + "0000"
        if province != code:
            trail.append({"name": _name(names, places, province, True), "code": province})
        trail.append({"name": _name(names, places, code, True), "code": code})
    return {"coverage_table": tabulate(rows, code, names, places), "coverage_charts": charts,
            "coverage_link": link, "coverage_trail": trail, "coverage_code": code,
            "coverage_year": year_params[0] if year_params else None,
            "coverage_years": sorted({r["year"] for r in per_year}),
            "coverage_types": TYPES, "coverage_columns": COLUMNS,
            "coverage_column_labels": COLUMN_LABELS, "coverage_labels": LABELS,
            "coverage_total": sum(r["n"] for r in rows)}


async def coverage(request, datasette):
    db = await _archive(datasette)
    if db is None:
        raise NotFound("No archive database")
    context = await coverage_context(datasette, db, request.args.get("in"), request.args.get("year"))
    return Response.html(await datasette.render_template(
        "coverage.html", {"database": db.name, **context}, request=request))


@hookimpl
def extra_template_vars(view_name, datasette):
    if view_name != "index":
        return {}

    async def inner():
        db = await _archive(datasette)
        if db is None:      # no archive served: the home page stays Datasette's own
            return {}
        return {"database": db.name, **await coverage_context(datasette, db, None, None)}
    return inner


@hookimpl
def render_cell(row, value, column, table, database, datasette):
    """A coverage row's report opens in the archive's reading view, not on the portal."""
    if table != "coverage" or column != "report_url" or not isinstance(value, str):
        return None
    href = datasette.urls.row(database, "reports", tilde_encode(value))
    return Markup(f'<a href="{escape(href)}">{escape(value)}</a>')


@hookimpl
def register_routes():
    return [(r"^/-/coverage$", coverage)]


@hookimpl
def menu_links(datasette):
    return [{"href": datasette.urls.path("/-/coverage"), "label": "公开情况 Coverage"}]
