"""extract_report: one page → the whole `reports` row, as the contract defines it."""
from __future__ import annotations

import pytest

from crawler.extract import extract_report
from tests.eval.corpus import fixture_pages

FIXTURES = fixture_pages()
CONTRACT = {"url", "title", "report_type", "year", "publisher", "index_no", "doc_no",
            "written_date", "published_date", "body", "region_code"}
# (region code, province) of each seed page's publisher; None where the page cannot tell
REGIONS = {"chengkou_trs_table.html": ("500229", "重庆市"), "chengkou_bracket_spans.html": ("500229", "重庆市"),
           "alashan_colon_lines.html": ("152900", "内蒙古自治区"), "yuelu_legacy_gbk.html": ("430104", "湖南省")}


@pytest.mark.parametrize("page", FIXTURES, ids=lambda p: p.id)
def test_row_has_every_contract_field_and_never_an_empty_string(page):
    row = extract_report(page.url, page.html)
    assert CONTRACT <= set(row)
    assert "" not in row.values()
    assert row["title"] == page.metadata["title"]
    assert row["body"] == "\n".join(page.body)
    assert row["publisher"] == (page.metadata["publisher"] or page.metadata["source"])
    for field in ("index_no", "doc_no", "written_date", "published_date"):
        assert row[field] == page.metadata[field], field
    assert row["column"] == page.metadata["column"]


@pytest.mark.parametrize("name, region", REGIONS.items())
def test_region_of_the_publisher(name, region):
    (page,) = [p for p in FIXTURES if p.id.endswith(name)]
    row = extract_report(page.url, page.html)
    assert (row["region_code"], row["province"]) == region


def test_seed_reports_are_typed_and_dated():
    rows = {p.id.split("/")[-1]: extract_report(p.url, p.html) for p in FIXTURES}
    assert (rows["chengkou_trs_table.html"]["report_type"], rows["chengkou_trs_table.html"]["year"]) == (
        "法治政府建设年度报告", 2020)
    assert (rows["yuelu_legacy_gbk.html"]["report_type"], rows["yuelu_legacy_gbk.html"]["year"]) == (
        "法治政府建设年度报告", 2024)
    assert rows["yuanhui_hanweb.html"]["report_type"] == "实施方案"   # seed 002, the look-alike


def test_bare_file_report_takes_the_list_title():
    row = extract_report("http://x.gov.cn/P0202103.pdf", None, list_title="城口县2020年度法治政府建设情况报告")
    assert (row["title"], row["report_type"], row["year"], row["body"]) == (
        "城口县2020年度法治政府建设情况报告", "法治政府建设年度报告", 2020, None)


def test_document_in_parts_joins_the_bodies():
    (page,) = [p for p in FIXTURES if p.id.endswith("chengkou_trs_table.html")]
    whole = extract_report(page.url, page.html)
    twice = extract_report(page.url, page.html, continued=[page.html])
    assert twice["body"] == whole["body"] + "\n" + whole["body"]
    assert twice["title"] == whole["title"]
