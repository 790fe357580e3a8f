"""The schema as numbered migrations (sqlite-utils' `Migrations`): how an archive grows.

Every archive, whichever release made it, is brought to the current schema by applying
the migrations it has not had yet, each in its own transaction together with its record
in `_sqlite_migrations`. Archives made before migrations existed (release 0.1.0) already
hold what 0001 creates: its `if_not_exists` makes it a no-op there, and it is recorded.

Rules for a new migration: append it (never edit or reorder a published one), name it
`NNNN_what_it_does`, make it additive (a column, a table, an index, a view recreated),
and give it a test in tests/test_migrations.py. Only the commands that write run them
(crawl, demo); read-only commands open the archive as it is (Store(path, readonly=True)).
"""
from __future__ import annotations

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

MIGRATIONS = Migrations("gov-report-archive")

# Columns of `reports` as release 0.1.0 created them (the contract's, then the project's).
REPORT_COLUMNS_0001 = {
    "url": str, "title": str, "report_type": str, "year": int, "publisher": str,
    "index_no": str, "doc_no": str, "written_date": str, "published_date": str,
    "body": str, "region_code": str, "site": str,
    "province": str, "city": str, "county": str, "column": str, "source_url": str,
    "sha256": str, "first_seen": str, "last_seen": str, "fetched_at": str,
    "status": str, "gone_since": str, "version_count": int, "copy_count": int,
}

# Publication deadlines (domain.md §1, §7.2): a 法治政府建设年度报告 for year Y ≥ 2019
# ("每年4月1日之前") and a 政府信息公开工作年度报告 ("3月31日前", the governments' date) are due by Y+1-03-31.
DEADLINES_VIEW = """CREATE VIEW report_deadlines AS
SELECT url, title, report_type, year, province, publisher, published_date, deadline,
       CASE WHEN substr(published_date, 1, 10) > deadline
            THEN CAST(julianday(substr(published_date, 1, 10)) - julianday(deadline) AS INTEGER)
       END AS days_late,
       CASE WHEN deadline IS NULL THEN 'not_applicable'
            WHEN published_date IS NULL THEN 'no_date'
            WHEN substr(published_date, 1, 10) <= deadline THEN 'on_time'
            ELSE 'late' END AS timeliness
FROM (SELECT *, CASE WHEN report_type = '政府信息公开工作年度报告'
                       OR (report_type = '法治政府建设年度报告' AND year >= 2019)
                     THEN printf('%04d-03-31', year + 1) END AS deadline
      FROM reports)"""


@MIGRATIONS(name="0001_initial")
def initial(db: Database) -> None:
    """The schema of release 0.1.0 (created only where missing: old archives already have it)."""
    db["reports"].create(REPORT_COLUMNS_0001, pk="url", if_not_exists=True)
    db["versions"].create({
        "id": int, "url": str, "fetched_at": str, "sha256": str, "title": str,
        "body": str, "body_length": int, "page_sha256": str,
    }, pk="id", if_not_exists=True)
    db["copies"].create({
        "url": str, "report_url": str, "site": str, "title": str,
        "similarity": float, "found_at": str,
    }, pk="url", if_not_exists=True)
    db["attachments"].create({
        "url": str, "report_url": str, "name": str, "type": str, "size": int,
        "sha256": str, "text": str, "error": str, "fetched_at": str,
    }, pk="url", if_not_exists=True)
    db["pages"].create({
        "url": str, "site": str, "role": str, "status": int, "content_type": str,
        "sha256": str, "size": int, "etag": str, "last_modified": str,
        "fetched_at": str, "changed_at": str, "error": str, "run_id": int,
    }, pk="url", if_not_exists=True)
    db["fetches"].create({
        "id": int, "url": str, "run_id": int, "fetched_at": str, "status": int,
        "sha256": str, "size": int, "error": str,
    }, pk="id", if_not_exists=True)
    db["snapshots"].create({
        "sha256": str, "size": int, "compression": str, "data": bytes,
    }, pk="sha256", if_not_exists=True)
    db["signatures"].create({   # near-duplicate signatures of report bodies (crawler/analyze/dedup.py)
        "url": str, "body_sha256": str, "data": bytes,
    }, pk="url", if_not_exists=True)
    db["crawl_runs"].create({
        "id": int, "started_at": str, "ended_at": str, "status": str, "pid": int,
        "sites": str, "pages_fetched": int, "bytes_received": int,
        "reports_new": int, "reports_changed": int, "reports_gone": int,
        "failures": int, "blocked": int, "robots_refused": int, "per_site": str,
    }, pk="id", if_not_exists=True)
    for table, cols in [("versions", ["url"]), ("copies", ["report_url"]),
                        ("attachments", ["report_url"]), ("fetches", ["url"]),
                        ("reports", ["site"]), ("pages", ["site"])]:
        db[table].create_index(cols, if_not_exists=True)
    db.execute("DROP VIEW IF EXISTS report_deadlines")
    db.execute(DEADLINES_VIEW)


@MIGRATIONS(name="0002_reasons")
def reasons(db: Database) -> None:
    """Say why: a run that failed keeps its one-line reason, and a report whose page could not
    be read whole keeps the extraction's reason (a report row never hides a failure)."""
    _add_column(db, "crawl_runs", "error", str)
    _add_column(db, "reports", "error", str)


@MIGRATIONS(name="0003_report_analysis")
def report_analysis(db: Database) -> None:
    """What is inside reports (crawler/analyze/): sections, disclosure figures and their checks,
    required parts, repeated text, and the views over them (schema in store/analysis.py)."""
    from .analysis import migrate
    migrate(db)


FIRST_COVERAGE_YEAR = 2019   # the first report year both reports were due under today's rules
GOVERNMENT_COLUMNS_0004 = {"region_code": str, "name": str, "level": str, "site": str,
                           "province_code": str, "city_code": str, "province_name": str,
                           "city_name": str, "updated_at": str}

# Who published what (issue 11): one row per government of the sites file × year from 2019 to the
# last completed year × report type. The government's own reports count (issuer_type
# 'government', or NULL for rows stored before the column existed); its departments' and
# townships' reports are counted beside it (department_reports) but never make it published.
# A report without a region of its own belongs to its site's government; a development zone's (an NBS zone
# code, xxxx7x: 连云港经济技术开发区 320771) to the city it lies in — no zone is a government of the sites
# file, and its committee's report is a department's (crawler/extract/issuer.py). Best status wins:
# on_time (published by Y+1-03-31, as report_deadlines) > late > no_date (no 发布日期) > missing.
COVERAGE_VIEW = f"""CREATE VIEW coverage AS
WITH RECURSIVE years(year) AS (
  SELECT {FIRST_COVERAGE_YEAR}
  UNION ALL SELECT year + 1 FROM years WHERE year + 1 < CAST(strftime('%Y', 'now') AS INTEGER)),
types(report_type) AS (VALUES ('法治政府建设年度报告'), ('政府信息公开工作年度报告')),
placed AS (
  SELECT r.*, coalesce(r.region_code, g.region_code) AS code FROM reports r
  LEFT JOIN governments g ON g.site = r.site),
found AS (
  SELECT CASE WHEN substr(r.code, 5, 1) = '7'
              THEN coalesce((SELECT region_code FROM governments WHERE region_code = substr(r.code, 1, 4) || '00'),
                            substr(r.code, 1, 2) || '0000')
              ELSE r.code END AS region_code, r.year, r.report_type, r.url,
         r.published_date, coalesce(r.issuer_type, 'government') = 'government' AS own,
         CASE WHEN r.published_date IS NULL THEN 3
              WHEN substr(r.published_date, 1, 10) <= printf('%04d-03-31', r.year + 1) THEN 1
              ELSE 2 END AS rank
  FROM placed r
  WHERE r.report_type IN ('法治政府建设年度报告', '政府信息公开工作年度报告')
    AND r.year >= {FIRST_COVERAGE_YEAR}),
best AS (
  SELECT region_code, year, report_type, min(rank) AS rank, url, published_date
  FROM found WHERE own GROUP BY 1, 2, 3),
counted AS (
  SELECT region_code, year, report_type, sum(own) AS own_reports,
         sum(NOT own) AS department_reports
  FROM found GROUP BY 1, 2, 3)
SELECT g.region_code, y.year, t.report_type,
       CASE b.rank WHEN 1 THEN 'on_time' WHEN 2 THEN 'late' WHEN 3 THEN 'no_date'
            ELSE 'missing' END AS status,
       g.name, g.level, g.province_code, g.city_code, g.province_name, g.city_name, g.site,
       b.url AS report_url, b.published_date, printf('%04d-03-31', y.year + 1) AS deadline,
       coalesce(c.own_reports, 0) AS reports, coalesce(c.department_reports, 0) AS department_reports
FROM governments g CROSS JOIN years y CROSS JOIN types t
LEFT JOIN best b ON b.region_code = g.region_code AND b.year = y.year AND b.report_type = t.report_type
LEFT JOIN counted c ON c.region_code = g.region_code AND c.year = y.year
                   AND c.report_type = t.report_type"""


@MIGRATIONS(name="0004_coverage")
def coverage(db: Database) -> None:
    """Who published (issue 11): the governments crawls cover, who issued each report (a
    department's report is not its government's), and the `coverage` view over both."""
    db["governments"].create(GOVERNMENT_COLUMNS_0004, pk="region_code", if_not_exists=True)
    db["governments"].create_index(["site"], if_not_exists=True)
    _add_column(db, "reports", "issuer_type", str)
    db.execute("DROP VIEW IF EXISTS coverage")
    db.execute(COVERAGE_VIEW)


PORTAL_COLUMNS_0005 = {
    "site": str, "region_code": str, "url": str, "final_url": str, "status": int, "outcome": str,
    "wall": str, "error": str, "used_alt": int, "title": str, "site_code": str,
    "site_code_matches": int, "icp": str, "names_government": int, "attempts": str, "checked_at": str}


@MIGRATIONS(name="0005_portals")
def portals(db: Database) -> None:
    """What `portals` learnt of each site's home page (issue 11 item 3), the latest check per site."""
    db["portals"].create(PORTAL_COLUMNS_0005, pk="site", if_not_exists=True)


@MIGRATIONS(name="0006_coverage_zones")
def coverage_zones(db: Database) -> None:
    """The coverage view again, a development zone's reports now counted under its city (COVERAGE_VIEW):
    under the zone's own code no government of the sites file had them."""
    db.execute("DROP VIEW IF EXISTS coverage")
    db.execute(COVERAGE_VIEW)


def _add_column(db: Database, table: str, column: str, kind) -> None:
    """add_column that tolerates an archive where it already exists (a re-run after a crash)."""
    if column not in db[table].columns_dict:
        db[table].add_column(column, kind)


def pending(db: Database) -> list[str]:
    """Names of the migrations this archive has not had yet (read-only)."""
    return [m.name for m in MIGRATIONS.pending(db)]


def apply(db: Database) -> list[str]:
    """Bring the archive to the current schema; returns the names applied."""
    names = pending(db)
    if names:
        MIGRATIONS.apply(db)
    return names
