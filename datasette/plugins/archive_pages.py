"""The reading view's data, the raw snapshot download and the charts page.

Datasette's row page for a report becomes the reading view (templates/row.html); these hooks
give it the report's versions, copies, attachments and archived page.
"""
from __future__ import annotations

import asyncio
import difflib
import mimetypes
import re
import zlib
from urllib.parse import urlencode

from datasette import hookimpl
from datasette.utils import tilde_encode, urlsafe_components
from datasette.utils.asgi import NotFound, Response

UNKNOWN = "（未知）"
TIMELINESS = {"on_time": "按时公开 on time", "late": "逾期公开 late", "no_date": "发布日期不详 no date"}
# The canonical parts of crawler/analyze/sections.py and completeness.py, as readers name them.
PARTS = {
    "measures": "主要举措和成效", "shortcomings": "存在的不足", "first_responsible": "第一责任人职责",
    "plans": "下一年度安排", "other": "其他需要报告的情况",
    "overview": "总体情况", "proactive": "主动公开", "requests": "收到和处理申请",
    "review_litigation": "行政复议、行政诉讼", "problems": "问题及改进", "other_matters": "其他需要报告的事项",
    "table_二": "表二 主动公开", "table_三": "表三 申请办理", "table_四": "表四 复议诉讼",
}
OUTCOMES = {  # table 三's outcome groups (row labels of disclosure_figures), for the charts
    "g1": ("（一）予以公开", "予以公开"), "g2": ("（二）部分公开", "部分公开"),
    "g3": ("（三）不予公开", "不予公开"), "g4": ("（四）无法提供", "无法提供"),
    "g5": ("（五）不予处理", "不予处理"), "g6": ("（六）其他处理", "其他处理"),
}
SHORT_TYPES = {"法治政府建设年度报告": "法治", "政府信息公开工作年度报告": "信息公开"}
ANALYSIS_TABLES = ("sections", "disclosure_figures", "report_parts", "repeated_text", "analyses")


async def _archive(datasette):
    """The served database that holds the reports (serve publishes exactly one)."""
    for name, db in datasette.databases.items():
        if name != "_internal" and await db.table_exists("reports"):
            return db
    raise NotFound("No archive database")


async def _rows(db, sql: str, params=()) -> list[dict]:
    return [dict(r) for r in (await db.execute(sql, params)).rows]


@hookimpl
def extra_template_vars(view_name, table, database, request, datasette):
    if view_name != "row" or table != "reports" or request is None:
        return {}

    async def inner():
        return await _reading_view(datasette.get_database(database),
                                   urlsafe_components(request.url_vars["pks"])[0],
                                   request.args.get("q", ""))
    return inner


# The reading view's parts, each a lookup by the report's address. They run in ONE trip to a
# SQL thread (one connection, one read snapshot) — or none, on the event loop's own connection
# where the database has one: under load every trip waits its turn behind the other requests'
# work, so the number of trips, not the statements, is a page's latency.
READING_VIEW = {
    "report": "SELECT * FROM reports WHERE url = :url",
    "deadline": "SELECT deadline, timeliness, days_late FROM report_deadlines WHERE url = :url",
    "page": "SELECT sha256, content_type, fetched_at, status FROM pages WHERE url = :url",
    "attachments": "SELECT url, name, type, size, sha256, error, length(text) AS text_length "
                   "FROM attachments WHERE report_url = :url ORDER BY url",
    "versions": "SELECT id, fetched_at, sha256, title, body_length, page_sha256 "
                "FROM versions WHERE url = :url ORDER BY id",
    "copies": "SELECT url, site, title, similarity, found_at FROM copies "
              "WHERE report_url = :url ORDER BY found_at",
    # the published file leaves the current version's body to reports.body; this view has it
    "versions_text": "SELECT 1 FROM sqlite_master WHERE type = 'view' AND name = 'versions_text'",
}
ANALYSIS = {  # archives made before the analysis (migration 0003) have none of these
    "current": "SELECT 1 FROM analyses a JOIN reports r ON r.url = a.report_url "
               "WHERE a.report_url = :url AND a.report_sha256 IS r.sha256",
    "sections": "SELECT position, level, heading, label, text FROM sections "
                "WHERE report_url = :url ORDER BY position",
    "summary": "SELECT * FROM disclosure_summary WHERE report_url = :url",
    "parts": "SELECT part, status FROM report_parts WHERE report_url = :url ORDER BY rowid",
    "years": "SELECT y.previous_url, y.next_url, y.repeated_share, p.title AS previous_title, "
             "n.title AS next_title, p.year AS previous_year, n.year AS next_year "
             "FROM report_years y LEFT JOIN reports p ON p.url = y.previous_url "
             "LEFT JOIN reports n ON n.url = y.next_url WHERE y.report_url = :url",
}


def _lookups(conn, statements: dict[str, str], url: str, time_limit_ms: int) -> dict[str, list[dict]]:
    """Every statement's rows as dicts, on one connection within one time limit."""
    from datasette.utils import sqlite_timelimit
    with sqlite_timelimit(conn, time_limit_ms):
        return {name: [dict(row) for row in conn.execute(sql, {"url": url})]
                for name, sql in statements.items()}


async def _reading_view(db, url: str, query: str) -> dict:
    statements = dict(READING_VIEW, **(ANALYSIS if await _analysed(db) else {}))
    limit = db.ds.setting("sql_time_limit_ms")
    # on the event loop's own connection where the database offers one (serve.py): twelve
    # look-ups by key cost less than the trip to a SQL thread that would carry them
    run = getattr(db, "execute_inline", None) or db.execute_fn
    found = await run(lambda conn: _lookups(conn, statements, url, limit))
    if not found["report"]:
        return {}
    for attachment in found["attachments"]:
        attachment["row_path"] = tilde_encode(attachment["url"])
    return {
        **(_analysis(found) if "current" in found else {}),
        "report": found["report"][0],
        "report_path": tilde_encode(url),
        "q": query,
        "deadline": (found["deadline"] or [None])[0],
        "page": (found["page"] or [None])[0],
        "versions": found["versions"],
        "versions_text": bool(found["versions_text"]),
        "copies": found["copies"],
        "attachments": found["attachments"],
    }


async def _analysed(db) -> bool:
    """Archives made before the analysis (migration 0003) are served as they are."""
    # the published file has `sections` as a view (its text cut from reports.body)
    tables = {*await db.table_names(), *await db.view_names()}
    return all(t in tables for t in ANALYSIS_TABLES)


def _analysis(found: dict[str, list[dict]]) -> dict:
    """The reading view's outline (sections with a table of contents), the disclosure
    summary, the required parts, and the same government's previous and next year. The
    outline is shown only when it was made from the text the report has now."""
    sections = found["sections"] if found["current"] else []
    for section in sections:
        section["paragraphs"] = [p for p in (section["text"] or "").split("\n") if p.strip()]
        section["part"] = PARTS.get(section["label"])
    toc = [s for s in sections if s["level"] in (1, 2) and s["heading"]]
    for part in found["parts"]:
        part["name"] = PARTS.get(part["part"], part["part"])
    year = (found["years"] or [None])[0]
    if year:
        for key in ("previous", "next"):
            if year[f"{key}_url"]:
                year[f"{key}_path"] = tilde_encode(year[f"{key}_url"])
    return {"sections": sections if any(s["heading"] for s in sections) else [], "toc": toc,
            "disclosure": (found["summary"] or [None])[0], "parts": found["parts"], "years": year}


def paragraph_diff(old: str, new: str) -> list[dict]:
    """Paragraph-level changes from `old` to `new` ({op, text}); digits are masked when
    paragraphs are matched, so a paragraph whose figures changed shows as − then +
    (the same rule as crawler/analyze/yoy.py, which this site does not import)."""
    a = [p for p in (old or "").split("\n") if p.strip()]
    b = [p for p in (new or "").split("\n") if p.strip()]
    def mask(text: str) -> str:
        return re.sub(r"\d+(?:\.\d+)?", "#", re.sub(r"\s+", "", text))
    out = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(
            None, [mask(x) for x in a], [mask(y) for y in b], autojunk=False).get_opcodes():
        if op == "equal":
            for x, y in zip(a[i1:i2], b[j1:j2], strict=True):
                out += [{"op": " ", "text": y}] if x == y else [{"op": "-", "text": x}, {"op": "+", "text": y}]
        else:
            out += [{"op": "-", "text": x} for x in a[i1:i2]] + [{"op": "+", "text": y} for y in b[j1:j2]]
    return out


# A version's text: the published file leaves it out (NULL) where it is the report's current
# text, which reports.body holds (crawler/store/publish.py); the archive has it in full.
VERSION_TEXT = ("SELECT v.url, v.title, coalesce(v.body, (SELECT r.body FROM reports r WHERE r.url = v.url "
                "AND r.sha256 = v.sha256)) AS body, v.fetched_at AS label FROM versions v WHERE v.id = ?")


async def diff_page(request, datasette):
    """/-/diff?old=<report url>&new=<report url> (two years), or ?url=…&old_version=ID&new_version=ID."""
    db = await _archive(datasette)
    args = request.args

    async def text(sql, key):
        rows = await _rows(db, sql, [args.get(key)])
        if not rows:
            raise NotFound(f"No such {key}")
        return rows[0]
    if args.get("old_version"):
        old = await text(VERSION_TEXT, "old_version")
        new = await text(VERSION_TEXT, "new_version")
    else:
        old = await text("SELECT url, title, body, year AS label FROM reports WHERE url = ?", "old")
        new = await text("SELECT url, title, body, year AS label FROM reports WHERE url = ?", "new")
    changes = paragraph_diff(old["body"], new["body"])
    return Response.html(await datasette.render_template("diff.html", {
        "database": db.name, "old": {**old, "path": tilde_encode(old["url"])},
        "new": {**new, "path": tilde_encode(new["url"])}, "changes": changes,
        "kept": sum(c["op"] == " " for c in changes), "removed": sum(c["op"] == "-" for c in changes),
        "added": sum(c["op"] == "+" for c in changes),
    }, request=request))


def _snapshot_bytes(archive: str, digest: str):
    """(data, compression) of a raw snapshot, read from the archive itself (read-only): the
    published database does not carry the raw bytes."""
    import sqlite3
    conn = sqlite3.connect(f"file:{archive}?mode=ro", uri=True)
    try:
        return conn.execute("SELECT data, compression FROM snapshots WHERE sha256 = ?",
                            [digest]).fetchone()
    finally:
        conn.close()


async def snapshot(request, datasette):
    """The archived bytes of a page, as a download: never rendered as a page of this site."""
    db = await _archive(datasette)
    digest = request.url_vars["sha256"]
    archive = (datasette.plugin_config("archive") or {}).get("archive")
    if archive:
        found = await asyncio.get_running_loop().run_in_executor(
            None, _snapshot_bytes, archive, digest)
    else:  # a whole archive served by hand: the snapshots are in the served database
        found = next(iter(await _rows(db, "SELECT data, compression FROM snapshots "
                                          "WHERE sha256 = ?", [digest])), None)
        found = (found["data"], found["compression"]) if found else None
    if not found:
        raise NotFound("No such snapshot")
    types = await _rows(db, "SELECT content_type FROM pages WHERE sha256 = ? "
                            "AND content_type IS NOT NULL LIMIT 1", [digest])
    data = zlib.decompress(found[0]) if found[1] == "zlib" else found[0]
    content_type = (types[0]["content_type"] if types else None) or "application/octet-stream"
    extension = mimetypes.guess_extension(content_type.split(";")[0].strip()) or ".bin"
    return Response(data, content_type=content_type, headers={
        "content-disposition": f'attachment; filename="{digest}{extension}"',
        "x-content-type-options": "nosniff",
        "content-security-policy": "sandbox; default-src 'none'",
        "cache-control": "public, max-age=31536000, immutable",  # content-addressed
    })


def bars(rows: list[tuple[str, dict[str, int], str]], keys: list[str], full: float | None = None) -> list[dict]:
    """Stacked bar geometry in percent of the longest bar (or of `full`: 100 for shares),
    one dict per (label, parts, link)."""
    longest = full or max((sum(parts.values()) for _, parts, _ in rows), default=0) or 1
    chart = []
    for label, parts, href in rows:
        offset, segments = 0.0, []
        for key in keys:
            width = 100.0 * parts.get(key, 0) / longest
            segments.append({"key": key, "value": parts.get(key, 0), "x": offset, "width": width})
            offset += width
        chart.append({"label": label, "total": sum(parts.values()), "segments": segments,
                      "href": href})
    return chart


async def charts(request, datasette):
    db = await _archive(datasette)
    per_year = await _rows(db, "SELECT year, count(*) AS n FROM reports WHERE year IS NOT NULL "
                               "GROUP BY year ORDER BY year")
    per_province = await _rows(db, "SELECT coalesce(province, ?) AS province, count(*) AS n "
                                   "FROM reports GROUP BY 1 ORDER BY n DESC, 1", [UNKNOWN])
    timeliness = await _rows(db, "SELECT year, timeliness, count(*) AS n FROM report_deadlines "
                                 "WHERE timeliness != 'not_applicable' GROUP BY 1, 2 ORDER BY 1")
    by_year: dict[int, dict[str, int]] = {}
    for row in timeliness:
        by_year.setdefault(row["year"], {})[row["timeliness"]] = row["n"]
    reports = datasette.urls.table(db.name, "reports")
    deadlines = datasette.urls.table(db.name, "report_deadlines")
    inside = await _inside_charts(db, datasette) if await _analysed(db) else {}
    return Response.html(await datasette.render_template("charts.html", {
        **inside,
        "database": db.name,
        "per_year": bars([(str(r["year"]), {"n": r["n"]}, f"{reports}?{urlencode({'year': r['year']})}")
                          for r in per_year], ["n"]),
        "per_province": bars([(r["province"], {"n": r["n"]}, f"{reports}?" + urlencode(
            {"province": r["province"]} if r["province"] != UNKNOWN else {"province__isnull": 1}))
            for r in per_province], ["n"]),
        "timeliness": bars([(str(year), parts, f"{deadlines}?{urlencode({'year': year})}")
                            for year, parts in by_year.items()], list(TIMELINESS)),
        "timeliness_labels": TIMELINESS,
    }, request=request))


async def _inside_charts(db, datasette) -> dict:
    """Charts of what is inside the reports: disclosure figures per province and year, the
    outcomes of applications, the 纠正率 of 行政复议, completeness and repeated text."""
    summary = datasette.urls.table(db.name, "disclosure_summary")
    completeness = datasette.urls.table(db.name, "report_completeness")
    years = datasette.urls.table(db.name, "report_years")
    new_by_year = await _rows(db, "SELECT year, sum(requests_new) AS n, count(*) AS reports, "
                                  "sum(coalesce(review_corrected, 0)) AS corrected, "
                                  "sum(coalesce(review_total, 0)) AS reviews, sum(checks_failed) AS failed "
                                  "FROM disclosure_summary WHERE year IS NOT NULL GROUP BY year ORDER BY year")
    new_by_province = await _rows(db, "SELECT coalesce(province, ?) AS province, sum(requests_new) AS n "
                                      "FROM disclosure_summary GROUP BY 1 ORDER BY n DESC, 1", [UNKNOWN])
    outcome_rows = await _rows(db, "SELECT r.year, f.row_label, sum(coalesce(f.value, 0)) AS n "
                                   "FROM disclosure_figures f JOIN reports r ON r.url = f.report_url "
                                   "WHERE f.table_no = '三' AND f.column_label = '总计' AND r.year IS NOT NULL "
                                   "GROUP BY 1, 2")
    outcomes: dict[int, dict[str, int]] = {}
    for row in outcome_rows:
        key = next((k for k, (prefix, _) in OUTCOMES.items() if row["row_label"].startswith(prefix)), None)
        if key:
            parts = outcomes.setdefault(row["year"], {})
            parts[key] = parts.get(key, 0) + int(row["n"])
    complete = await _rows(db, "SELECT report_type, year, count(*) AS reports, sum(complete) AS complete "
                               "FROM report_completeness WHERE year IS NOT NULL GROUP BY 1, 2 ORDER BY 1, 2")
    repeated = await _rows(db, "SELECT year, round(100 * avg(repeated_share), 1) AS share, count(*) AS n "
                               "FROM report_years WHERE repeated_share IS NOT NULL GROUP BY year ORDER BY year")

    def share(part, whole):
        return round(100.0 * part / whole, 1) if whole else 0

    def link(base, **args):
        return f"{base}?{urlencode(args)}"
    return {
        "requests_per_year": bars([(str(r["year"]), {"n": int(r["n"] or 0)}, link(summary, year=r["year"]))
                                   for r in new_by_year], ["n"]),
        "requests_per_province": bars([(r["province"], {"n": int(r["n"] or 0)}, link(summary, **(
            {"province": r["province"]} if r["province"] != UNKNOWN else {"province__isnull": 1})))
            for r in new_by_province], ["n"]),
        "outcomes": bars([(str(year), parts, link(summary, year=year)) for year, parts in sorted(outcomes.items())],
                         list(OUTCOMES)),
        "outcome_labels": {k: label for k, (_, label) in OUTCOMES.items()},
        "correction": bars([(str(r["year"]), {"pct": share(r["corrected"], r["reviews"])},
                             link(summary, year=r["year"])) for r in new_by_year if r["reviews"]], ["pct"], full=100),
        "checks": bars([(str(r["year"]), {"late": int(r["failed"] or 0),
                                          "on_time": r["reports"] - int(r["failed"] or 0)},
                         link(summary, year=r["year"])) for r in new_by_year], ["on_time", "late"]),
        "completeness": bars([(f"{r['year']} {SHORT_TYPES.get(r['report_type'], r['report_type'])}",
                               {"pct": share(r["complete"], r["reports"])},
                               link(completeness, year=r["year"], report_type=r["report_type"]))
                              for r in complete], ["pct"], full=100),
        "repeated": bars([(str(r["year"]), {"pct": r["share"]}, link(years, year=r["year"]))
                          for r in repeated], ["pct"], full=100),
    }


@hookimpl
def register_routes():
    return [(r"^/-/snapshot/(?P<sha256>[0-9a-f]{64})$", snapshot), (r"^/-/charts$", charts),
            (r"^/-/diff$", diff_page)]


def web_url(value) -> str:
    """Only http(s) addresses become links: a scraped `javascript:` address never does."""
    return value if isinstance(value, str) and value.lower().startswith(("http://", "https://")) \
        else ""


@hookimpl
def prepare_jinja2_environment(env):
    env.filters["web_url"] = web_url


@hookimpl
def menu_links(datasette):
    return [{"href": datasette.urls.path("/-/charts"), "label": "图表 Charts"}]
