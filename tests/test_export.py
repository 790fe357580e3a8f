"""`python -m crawler export`: one record per report in CSV, JSON Lines and Parquet, the
attachments' texts, and a Frictionless Data Package that checks out against the files."""
from __future__ import annotations

import csv
import hashlib
import json
from pathlib import Path

import frictionless
import pyarrow.parquet as pq
import pytest
from conftest import run_cli
from test_search import seed_archive

from crawler.analyze.coverage import government_rows
from crawler.crawl.sites import Site
from crawler.store import Store


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("export")
    db = tmp / "archive.db"
    seed_archive(db)
    store = Store(db)
    store.save_governments(government_rows([
        Site(name=n, start_urls=(f"http://{n}.test/",), region=code, title=title) for n, code, title in
        [("chengkou", "500229", "城口县人民政府"), ("cq", "500000", "重庆市人民政府")]]))
    coverage = list(store.db.query("SELECT * FROM coverage ORDER BY region_code, year, report_type"))
    rows = {r["url"]: r for r in store.db["reports"].rows}
    runs = store.runs()
    attachments = list(store.db["attachments"].rows)
    store.close()
    result = run_cli("export", "--db", str(db), "--out", str(tmp / "out"))
    assert result.returncode == 0, result.stderr.decode()
    paths = [Path(p) for p in result.stdout.decode().split()]
    return {"out": tmp / "out", "paths": paths, "rows": rows, "runs": runs,
            "attachments": attachments, "coverage": coverage}


def test_prints_every_written_file(exported):
    out = exported["out"]
    names = {p.relative_to(out).as_posix() for p in exported["paths"]}
    assert {"reports.csv", "reports.jsonl", "reports.parquet", "attachments.csv",
            "coverage.csv", "datapackage.json"} <= names
    assert all(p.is_file() for p in exported["paths"])


def test_csv_opens_in_spreadsheets_one_row_per_report(exported):
    raw = (exported["out"] / "reports.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbfurl,")  # UTF-8 byte order mark
    assert b"\r\n" in raw
    with (exported["out"] / "reports.csv").open(encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f))
    assert len(rows) == len(exported["rows"])
    for row in rows:
        original = exported["rows"][row["url"]]
        assert row["body"] == original["body"] and row["title"] == original["title"]
    assert any("\n" in r["body"] and "<script>" in r["body"] for r in rows)


def test_jsonl_one_record_per_report(exported):
    lines = (exported["out"] / "reports.jsonl").read_text(encoding="utf-8").splitlines()
    records = [json.loads(line) for line in lines]
    assert {r["url"]: r for r in records} == exported["rows"]
    assert len(records) == len(exported["rows"])


def test_parquet_one_record_per_report_typed(exported):
    table = pq.read_table(exported["out"] / "reports.parquet")
    assert table.num_rows == len(exported["rows"])
    assert str(table.schema.field("year").type) == "int64"
    assert {r["url"]: r for r in table.to_pylist()} == exported["rows"]


def test_attachment_texts_with_an_index(exported):
    out = exported["out"]
    with (out / "attachments.csv").open(encoding="utf-8-sig", newline="") as f:
        index = list(csv.DictReader(f))
    assert len(index) == len(exported["attachments"])
    for row, original in zip(index, exported["attachments"], strict=False):
        assert row["url"] == original["url"]
        assert (out / row["text_path"]).read_text(encoding="utf-8") == original["text"]


def test_datapackage_describes_the_files(exported):
    out = exported["out"]
    descriptor = json.loads((out / "datapackage.json").read_text(encoding="utf-8"))
    package = frictionless.Package(str(out / "datapackage.json"))  # raises if not a package
    assert len(package.resources) == 5
    for resource in descriptor["resources"]:
        data = (out / resource["path"]).read_bytes()
        assert resource["bytes"] == len(data)
        assert resource["hash"] == "sha256:" + hashlib.sha256(data).hexdigest()
        expected = len(exported[{"reports": "rows", "attachments": "attachments",
                                 "coverage": "coverage"}[resource["name"].split("-")[0]]])
        assert resource["rows"] == expected
    reports = next(r for r in descriptor["resources"] if r["name"] == "reports-csv")
    fields = {f["name"]: f for f in reports["schema"]["fields"]}
    assert fields["year"]["type"] == "integer" and "年度" in fields["year"]["description"]
    started = sorted(r["started_at"] for r in exported["runs"])
    assert descriptor["crawl"]["first_started"] == started[0]
    assert descriptor["crawl"]["runs"] == len(exported["runs"])


def test_coverage_csv_is_the_view(exported):
    with (exported["out"] / "coverage.csv").open(encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f))
    assert len(rows) == len(exported["coverage"]) and len(rows) % 4 == 0 and rows
    for row, original in zip(rows, exported["coverage"], strict=False):
        assert {k: v or None for k, v in row.items()} == \
            {k: None if v is None else str(v) for k, v in original.items()}
    assert {r["status"] for r in rows} <= {"on_time", "late", "no_date", "missing"}


@pytest.mark.parametrize("name", ["reports-csv", "attachments-csv", "coverage-csv"])
def test_frictionless_validates_the_tables(exported, name):
    report = frictionless.validate(str(exported["out"] / "datapackage.json"), resource_name=name)
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
