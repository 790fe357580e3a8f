"""Fuzzing extract_report: malformed pages never escape as an exception (issue 9, item 1).

A fixed seed and a bounded size (300 pages, none over ~200 K characters): the same cases on every run, in a
few seconds. The pages are what the open web sends (tests/fuzzpages.py): nothing at all, whitespace, a lone
comment or doctype, NUL and control characters, truncated and spliced real pages, floods of 索引号-like
labels, deep nesting, giant text nodes, malformed gkmlpt JSON, random bytes in any encoding. Every one must come back as a row
with every key, no empty string, and an `error` that is None or one line.
"""
from __future__ import annotations

import pytest

from crawler.extract import REPORT_KEYS, extract_report
from tests.fuzzpages import pages

SEED = 20261201
CASES = 300


def _check(row: dict) -> None:
    assert set(REPORT_KEYS) <= set(row) and "error" in row
    assert "" not in row.values()
    assert row["error"] is None or (isinstance(row["error"], str) and "\n" not in row["error"])
    for key in ("title", "body", "index_no", "publisher"):
        assert row[key] is None or isinstance(row[key], str)


def test_malformed_pages_never_raise():
    """Each case runs through extract_report as the pipeline calls it; none raises."""
    failures = []
    for n, html, continued in pages(SEED, CASES):
        try:
            row = extract_report(f"http://127.0.0.1/fuzz/{n}.html", html, site_region="500229",
                                 continued=continued, list_title="某某县2022年度法治政府建设情况报告")
            _check(row)
        except Exception as exc:  # noqa: BLE001 - collect them all, then fail with the list
            failures.append((n, f"{type(exc).__name__}: {exc}"[:200]))
    assert not failures, failures[:20]


@pytest.mark.parametrize("html", ["", " \n ", "\x00\x00", "<!-- a comment -->", "<!DOCTYPE html>", "<p>\x00\x1f</p>"])
def test_empty_and_control_character_pages_are_rows_not_errors(html):
    row = extract_report("http://127.0.0.1/x.html", html, list_title="某某县2022年度法治政府建设情况报告")
    _check(row)
    assert row["title"] == "某某县2022年度法治政府建设情况报告"
    assert row["body"] is None


def test_labels_and_text_survive_control_characters():
    row = extract_report("http://127.0.0.1/x.html", "<html><body><table><tr><td>索引号：\x00</td>"
                         "<td>11500229711623327X/2021-\x0700118</td></tr></table><div id='zoom'><p>正\x01文。</p>"
                         "</div></body></html>")
    assert (row["index_no"], row["body"], row["error"]) == ("11500229711623327X/2021-00118", "正文。", None)
