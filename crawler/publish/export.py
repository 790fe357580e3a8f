"""The downloadable dataset: reports as CSV, JSON Lines and Parquet, the attachments' texts,
and a Frictionless Data Package that describes them.

One record per report in every format.  The CSV carries a UTF-8 byte order mark so that
spreadsheet software reads Chinese correctly, and quotes fields as RFC 4180 says (a body's
newlines stay inside its quotes).
"""
from __future__ import annotations

import csv
import hashlib
import json
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from crawler.store import REPORT_COLUMNS, Store, now

ATTACHMENT_COLUMNS = {"url": str, "report_url": str, "name": str, "type": str, "size": int,
                      "sha256": str, "error": str, "fetched_at": str, "text_path": str}
# coverage (issue 11): one row per government × year × report type, as the view gives it
COVERAGE_COLUMNS = {"region_code": str, "year": int, "report_type": str, "status": str, "name": str,
                    "level": str, "province_code": str, "city_code": str,
                    "province_name": str, "city_name": str, "site": str,
                    "report_url": str, "published_date": str, "deadline": str, "reports": int,
                    "department_reports": int}
PRIMARY_KEYS = {"coverage": ["region_code", "year", "report_type"]}
FRICTIONLESS = {str: "string", int: "integer", float: "number"}
ARROW = {str: pa.string(), int: pa.int64(), float: pa.float64()}
DESCRIPTION = ("法治政府建设年度报告与政府信息公开工作年度报告的全文与元数据 · Full text and metadata of "
               "Chinese governments' rule-of-law and information disclosure annual reports")


def export(store: Store, out: Path) -> list[Path]:
    """Write the dataset into `out`; returns the written paths, datapackage.json last."""
    out.mkdir(parents=True, exist_ok=True)
    columns = _columns(store)
    reports = list(store.db["reports"].rows_where(order_by="url", select=_select(columns)))
    attachments = _attachment_texts(store, out)
    written = [
        _csv(out / "reports.csv", columns, reports),
        _jsonl(out / "reports.jsonl", reports),
        _parquet(out / "reports.parquet", columns, reports),
        _csv(out / "attachments.csv", ATTACHMENT_COLUMNS, attachments),
        _csv(out / "coverage.csv", COVERAGE_COLUMNS, coverage := _coverage(store)),
    ]
    texts = sorted({out / a["text_path"] for a in attachments if a["text_path"]})
    package = _datapackage(store, out, {
        "reports": (columns, len(reports)), "attachments": (ATTACHMENT_COLUMNS, len(attachments)),
        "coverage": (COVERAGE_COLUMNS, len(coverage))})
    return written + texts + [package]


def _columns(store: Store) -> dict[str, type]:
    """The reports columns in table order, with their types (the contract's and any added)."""
    table = store.db["reports"]
    return {c.name: REPORT_COLUMNS.get(c.name, table.columns_dict[c.name]) for c in table.columns}


def _select(columns) -> str:
    return ", ".join(f"[{name}]" for name in columns)


def _coverage(store: Store) -> list[dict]:
    """Who published what: the coverage view, in code, year and type order."""
    return list(store.db["coverage"].rows_where(
        order_by="region_code, year, report_type", select=_select(COVERAGE_COLUMNS)))


def _attachment_texts(store: Store, out: Path) -> list[dict]:
    """attachments/<sha256>.txt once per distinct file; one index row per attachment."""
    (out / "attachments").mkdir(exist_ok=True)
    rows = []
    for row in store.db["attachments"].rows_where(order_by="url"):
        path = None
        if row.get("text") and row.get("sha256"):
            path = f"attachments/{row['sha256']}.txt"
            (out / path).write_text(row["text"], encoding="utf-8")
        rows.append({**{k: row.get(k) for k in ATTACHMENT_COLUMNS}, "text_path": path})
    return rows


def _csv(path: Path, columns, rows: list[dict]) -> Path:
    with path.open("w", encoding="utf-8-sig", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(columns), lineterminator="\r\n")
        writer.writeheader()
        writer.writerows(rows)
    return path


def _jsonl(path: Path, rows: list[dict]) -> Path:
    with path.open("w", encoding="utf-8") as f:
        for row in rows:
            f.write(json.dumps(row, ensure_ascii=False) + "\n")
    return path


def _parquet(path: Path, columns, rows: list[dict]) -> Path:
    schema = pa.schema([(name, ARROW[kind]) for name, kind in columns.items()])
    pq.write_table(pa.Table.from_pylist(rows, schema=schema), path, compression="zstd")
    return path


def _file_facts(path: Path) -> dict:
    data = path.read_bytes()
    return {"bytes": len(data), "hash": f"sha256:{hashlib.sha256(data).hexdigest()}"}


def _datapackage(store: Store, out: Path, tables: dict[str, tuple[dict, int]]) -> Path:
    """datapackage.json: schema, row counts, sizes, sha256 and the crawl dates, per file."""
    descriptions = _column_descriptions()
    resources = []
    for table, (columns, count) in tables.items():
        schema = {"fields": [{"name": name, "type": FRICTIONLESS[kind],
                              **({"description": descriptions[name]}
                                 if table == "reports" and name in descriptions else {})}
                             for name, kind in columns.items()],
                  "primaryKey": PRIMARY_KEYS.get(table, ["url"])}
        formats = [("csv", "text/csv", {"encoding": "utf-8-sig"})]
        if table == "reports":
            formats += [("jsonl", "application/jsonl", {"encoding": "utf-8"}),
                        ("parquet", "application/vnd.apache.parquet", {})]
        for fmt, mediatype, extra in formats:
            path = f"{table}.{fmt}"
            resources.append({"name": f"{table}-{fmt}", "path": path, "profile": (
                "tabular-data-resource" if fmt == "csv" else "data-resource"),
                "format": fmt, "mediatype": mediatype, **extra, "rows": count,
                **_file_facts(out / path), "schema": schema})
    runs = list(store.db.query(
        "SELECT min(started_at) AS first, max(coalesce(ended_at, started_at)) AS last, "
        "count(*) AS runs FROM crawl_runs"))[0]
    package = {
        "profile": "data-package",
        "name": "gov-annual-reports-archive",
        "title": "政府年度报告档案 · Chinese Government Annual Reports Archive",
        "description": DESCRIPTION,
        "created": now(),
        "licenses": [{"name": "other-pd", "title": "Public government information; texts belong "
                      "to their issuing governments"}],
        "sources": [{"title": "各级人民政府门户网站政府信息公开专栏 · Government portals"}],
        "crawl": {"first_started": runs["first"], "last_ended": runs["last"], "runs": runs["runs"]},
        "resources": resources,
    }
    path = out / "datapackage.json"
    path.write_text(json.dumps(package, ensure_ascii=False, indent=2), encoding="utf-8")
    return path


def _column_descriptions() -> dict[str, str]:
    """The reports column notes of datasette/metadata.yml: written once, used twice."""
    import yaml
    metadata = Path(__file__).resolve().parents[2] / "datasette" / "metadata.yml"
    tables = yaml.safe_load(metadata.read_text(encoding="utf-8"))["databases"]["archive"]["tables"]
    return tables["reports"]["columns"]
