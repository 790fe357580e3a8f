"""The reading view's data, the raw snapshot download and the charts page.

Datasette's row page for a report becomes the reading view (templates/row.html); these hooks
give it the report's versions, copies, attachments and archived page.
"""
from __future__ import annotations

import asyncio
import mimetypes
import zlib
from urllib.parse import urlencode

from datasette import hookimpl
from datasette.utils import tilde_encode, urlsafe_components
from datasette.utils.asgi import NotFound, Response

UNKNOWN = "（未知）"
TIMELINESS = {"on_time": "按时公开 on time", "late": "逾期公开 late", "no_date": "发布日期不详 no date"}


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


async def _reading_view(db, url: str, query: str) -> dict:
    async def rows(sql: str) -> list[dict]:
        return await _rows(db, sql, [url])

    # all at once: under load each query waits its turn for a SQL thread, so one round of
    # waiting instead of six is most of a reading view's latency
    report, deadline, page, attachments, versions, copies = await asyncio.gather(
        rows("SELECT * FROM reports WHERE url = ?"),
        rows("SELECT deadline, timeliness, days_late FROM report_deadlines WHERE url = ?"),
        rows("SELECT sha256, content_type, fetched_at, status FROM pages WHERE url = ?"),
        rows("SELECT url, name, type, size, sha256, error, length(text) AS "
             "text_length FROM attachments WHERE report_url = ? ORDER BY url"),
        rows("SELECT id, fetched_at, sha256, title, body_length, page_sha256 "
             "FROM versions WHERE url = ? ORDER BY id"),
        rows("SELECT url, site, title, similarity, found_at FROM copies "
             "WHERE report_url = ? ORDER BY found_at"))
    if not report:
        return {}
    for attachment in attachments:
        attachment["row_path"] = tilde_encode(attachment["url"])
    return {
        "report": report[0],
        "report_path": tilde_encode(url),
        "q": query,
        "deadline": (deadline or [None])[0],
        "page": (page or [None])[0],
        "versions": versions,
        "copies": copies,
        "attachments": attachments,
    }


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


def bars(rows: list[tuple[str, dict[str, int], str]], keys: list[str]) -> list[dict]:
    """Stacked bar geometry in percent of the longest bar, one dict per (label, parts, link)."""
    longest = max((sum(parts.values()) for _, parts, _ in rows), default=0) or 1
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
    return Response.html(await datasette.render_template("charts.html", {
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


@hookimpl
def register_routes():
    return [(r"^/-/snapshot/(?P<sha256>[0-9a-f]{64})$", snapshot), (r"^/-/charts$", charts)]


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
