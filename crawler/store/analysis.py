"""The schema of what the archive computes inside reports (crawler/analyze/), and its writes.

Tables (the contract's names where it has them, the contract's Additions):
- sections            report_url, position, level (0 the text before the first heading, 1 一、…,
                      2 （一）…), heading, label (level-1 canonical part or NULL), text
- disclosure_figures  report_url, table_no (二/三/四), row_label, column_label, value (NUMERIC: whole
                      figures are integers; NULL: blank)
- disclosure_checks   report_url, name, expected, actual, passed: every arithmetic check run
- report_parts        report_url, part, status (section / sub_item / table / missing)
- repeated_text       report_url, previous_url, share: text repeated from the previous year's report
- analyses            report_url, version, analyzed_at, report_sha256, error: which reports are
                      analysed, by which version, which text of theirs (reports.sha256), and
                      why an analysis failed (its rows are then removed, the report stays)
Views:
- disclosure_summary  the contract's figures per report, checks_failed (1 when any check fails,
                      NULL when none could run), failed_checks, review_corrected, and year/province
- report_completeness one row per report with required parts: present, missing, complete
- completeness_by_year share of complete reports per report_type, year, province
- report_years        each report's previous and next year's report of the same government
                      (same type, same publisher, else same site) and its repeated-text share

DDL is a list of statements so that it can become one numbered migration as it stands.
"""
from __future__ import annotations

import itertools

TABLES = [
    """CREATE TABLE IF NOT EXISTS sections (
        report_url TEXT NOT NULL, position INTEGER NOT NULL, level INTEGER NOT NULL,
        heading TEXT, label TEXT, text TEXT, PRIMARY KEY (report_url, position))""",
    """CREATE TABLE IF NOT EXISTS disclosure_figures (
        report_url TEXT NOT NULL, table_no TEXT NOT NULL, row_label TEXT NOT NULL,
        column_label TEXT NOT NULL, value NUMERIC,
        PRIMARY KEY (report_url, table_no, row_label, column_label))""",
    """CREATE TABLE IF NOT EXISTS disclosure_checks (
        report_url TEXT NOT NULL, name TEXT NOT NULL, expected NUMERIC, actual NUMERIC,
        passed INTEGER NOT NULL, PRIMARY KEY (report_url, name))""",
    """CREATE TABLE IF NOT EXISTS report_parts (
        report_url TEXT NOT NULL, part TEXT NOT NULL, status TEXT NOT NULL,
        PRIMARY KEY (report_url, part))""",
    """CREATE TABLE IF NOT EXISTS repeated_text (
        report_url TEXT PRIMARY KEY, previous_url TEXT NOT NULL, share REAL)""",
    """CREATE TABLE IF NOT EXISTS analyses (
        report_url TEXT PRIMARY KEY, version INTEGER NOT NULL, analyzed_at TEXT NOT NULL,
        report_sha256 TEXT, error TEXT)""",
    "CREATE INDEX IF NOT EXISTS sections_label ON sections(label)",
    "CREATE INDEX IF NOT EXISTS reports_government_year ON reports(report_type, year)",
]

_FIG = ("max(CASE WHEN f.table_no = '{t}' AND f.row_label = '{r}' AND f.column_label = '{c}' "
        "THEN coalesce(f.value, 0) END)")
_NEW = _FIG.format(t="三", r="一、本年新收政府信息公开申请数量", c="总计")
_CARRIED = _FIG.format(t="三", r="二、上年结转政府信息公开申请数量", c="总计")
_CLOSED = _FIG.format(t="三", r="（七）总计", c="总计")
_FORWARD = _FIG.format(t="三", r="四、结转下年度继续办理", c="总计")
_REVIEW = _FIG.format(t="四", r="行政复议", c="总计")
_CORRECTED = _FIG.format(t="四", r="行政复议", c="结果纠正")
_DIRECT = _FIG.format(t="四", r="行政诉讼/未经复议直接起诉", c="总计")
_AFTER = _FIG.format(t="四", r="行政诉讼/复议后起诉", c="总计")

VIEWS = {
    "disclosure_summary": f"""CREATE VIEW disclosure_summary AS
SELECT f.report_url,
       {_NEW} AS requests_new, {_CARRIED} AS requests_carried_over,
       {_CLOSED} AS requests_closed_total, {_FORWARD} AS requests_carried_forward,
       {_REVIEW} AS review_total,
       CASE WHEN {_DIRECT} IS NULL AND {_AFTER} IS NULL THEN NULL
            ELSE coalesce({_DIRECT}, 0) + coalesce({_AFTER}, 0) END AS suit_total,
       (SELECT CASE WHEN count(*) = 0 THEN NULL ELSE max(passed = 0) END
          FROM disclosure_checks c WHERE c.report_url = f.report_url) AS checks_failed,
       (SELECT group_concat(name, '; ') FROM (SELECT name FROM disclosure_checks c
         WHERE c.report_url = f.report_url AND passed = 0 ORDER BY c.rowid)) AS failed_checks,
       {_CORRECTED} AS review_corrected,
       r.year, r.province, r.publisher, r.title
FROM disclosure_figures f LEFT JOIN reports r ON r.url = f.report_url
GROUP BY f.report_url""",
    "report_completeness": """CREATE VIEW report_completeness AS
SELECT p.report_url, r.report_type, r.year, r.province, r.publisher, r.title,
       count(*) AS parts_required, sum(p.status != 'missing') AS parts_present,
       group_concat(CASE WHEN p.status = 'missing' THEN p.part END) AS missing,
       group_concat(CASE WHEN p.status = 'sub_item' THEN p.part END) AS as_sub_item,
       sum(p.status = 'missing') = 0 AS complete
FROM report_parts p JOIN reports r ON r.url = p.report_url
GROUP BY p.report_url""",
    "completeness_by_year": """CREATE VIEW completeness_by_year AS
SELECT report_type, year, province, count(*) AS reports, sum(complete) AS complete,
       round(avg(complete), 3) AS share
FROM report_completeness GROUP BY report_type, year, province""",
    "report_years": """CREATE VIEW report_years AS
SELECT r.url AS report_url, r.report_type, r.year, coalesce(r.publisher, r.site) AS government,
       (SELECT p.url FROM reports p WHERE p.report_type = r.report_type AND p.year = r.year - 1
          AND coalesce(p.publisher, p.site) = coalesce(r.publisher, r.site)
          ORDER BY p.published_date DESC LIMIT 1) AS previous_url,
       (SELECT n.url FROM reports n WHERE n.report_type = r.report_type AND n.year = r.year + 1
          AND coalesce(n.publisher, n.site) = coalesce(r.publisher, r.site)
          ORDER BY n.published_date DESC LIMIT 1) AS next_url,
       t.share AS repeated_share
FROM reports r LEFT JOIN repeated_text t ON t.report_url = r.url
WHERE r.report_type IS NOT NULL AND r.year IS NOT NULL""",
}

ROW_TABLES = {"sections": "sections", "figures": "disclosure_figures", "checks": "disclosure_checks",
              "parts": "report_parts"}


def migrate(db) -> None:
    """Create the tables; (re)create a view only when its text changed (no schema change on
    an ordinary open)."""
    for statement in TABLES:
        db.execute(statement)
    for name, sql in VIEWS.items():
        row = db.execute("SELECT sql FROM sqlite_master WHERE name = ?", [name]).fetchone()
        if not row or row[0] != sql:
            db.execute(f"DROP VIEW IF EXISTS {name}")
            db.execute(sql)


def neighbours(db, url: str) -> dict:
    """{'previous': {url, body} | None, 'following': …}: the same government's reports of the
    year before and after, as report_years finds them."""
    row = db.execute("SELECT previous_url, next_url FROM report_years WHERE report_url = ?",
                     [url]).fetchone()
    out = {"previous": None, "following": None}
    for key, other in zip(out, row or (None, None), strict=True):
        if other:
            body = db.execute("SELECT body FROM reports WHERE url = ?", [other]).fetchone()
            out[key] = {"url": other, "body": body[0] if body else None}
    return out


def write(db, analysis: dict, stamp: str) -> None:
    """Replace a report's analysis rows (inside the caller's transaction)."""
    url = analysis["report_url"]
    for table in ROW_TABLES.values():
        db.execute(f"DELETE FROM {table} WHERE report_url = ?", [url])
    for key, table in ROW_TABLES.items():
        # one statement for each run of rows with the same columns (a report has tens of sections
        # and parts): the same rows in the same order, without a round trip through Python each
        for columns, rows in itertools.groupby(analysis[key], key=lambda row: tuple(row)):
            db.conn.executemany(
                f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})",
                [[row[c] for c in columns] for row in rows])
    for row in analysis["repeated"]:
        db.execute("INSERT INTO repeated_text (report_url, previous_url, share) VALUES (?, ?, ?) "
                   "ON CONFLICT(report_url) DO UPDATE SET previous_url = excluded.previous_url, "
                   "share = excluded.share", [row["report_url"], row["previous_url"], row["share"]])
    db.execute("INSERT INTO analyses (report_url, version, analyzed_at, report_sha256) VALUES (?, ?, ?, "
               "(SELECT sha256 FROM reports WHERE url = ?)) ON CONFLICT(report_url) DO UPDATE SET "
               "version = excluded.version, analyzed_at = excluded.analyzed_at, "
               "report_sha256 = excluded.report_sha256, error = NULL", [url, analysis["version"], stamp, url])


def failed(db, url: str, version: int, error: str, stamp: str) -> None:
    """An analysis that raised: no rows that could be taken for it, and the reason."""
    for table in (*ROW_TABLES.values(), "repeated_text"):
        db.execute(f"DELETE FROM {table} WHERE report_url = ?", [url])
    db.execute("INSERT INTO analyses (report_url, version, analyzed_at, report_sha256, error) VALUES "
               "(?, ?, ?, (SELECT sha256 FROM reports WHERE url = ?), ?) ON CONFLICT(report_url) DO UPDATE SET "
               "version = excluded.version, analyzed_at = excluded.analyzed_at, "
               "report_sha256 = excluded.report_sha256, error = excluded.error", [url, version, stamp, url, error])


def forget(db, url: str) -> None:
    """A report that became a copy has no analysis of its own any more."""
    for table in (*ROW_TABLES.values(), "repeated_text", "analyses"):
        db.execute(f"DELETE FROM {table} WHERE report_url = ?", [url])


def analyzed_version(db, url: str) -> int | None:
    row = db.execute("SELECT version FROM analyses WHERE report_url = ?", [url]).fetchone()
    return row[0] if row else None
