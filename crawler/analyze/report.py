"""Everything the archive computes inside one report, in one call for the pipeline.

sections.py (the outline), disclosure.py (the tables of a 信息公开 report and their checks),
completeness.py (which required parts are there) and yoy.py (how much repeats last year's
report) each do one thing; this module runs them on one report and returns rows the store
writes in one transaction (Store.save_analysis). Pure: no Scrapy, no SQL.
"""
from __future__ import annotations

from dataclasses import asdict

from . import disclosure
from .completeness import completeness
from .sections import XXGK, bold_lines, split_sections
from .yoy import repeated_share

ANALYSIS_VERSION = 1
"""Bump when a change here should re-analyse every stored report."""


def analyze_report(report: dict, html: str | None = None, pdfs: list[bytes] = (),
                   previous: dict | None = None, following: dict | None = None,
                   ruled: list[list[int] | None] | None = None) -> dict:
    """The analysis rows of `report` (a `reports` row: url, body, report_type …).

    `html` is the report page as served (tables and bold headings live there, not in the body
    text); `pdfs` the bytes of its PDF attachments; `previous` / `following` the same
    government's reports of the year before and after ({url, body}), when archived. `ruled`,
    one entry a PDF, is each one's ruled pages when reading its text found them already
    (pdfium_text.read_pdf), None where not: the tables are then looked for on those pages
    without loading every page again."""
    ruled = list(ruled) if ruled is not None else [None] * len(pdfs)
    url, body, kind = report["url"], report.get("body"), report.get("report_type")
    sections = split_sections(body, kind, bold_lines(html))
    figures = []
    if kind == XXGK:
        figures = disclosure.figures(html)
        for data, pages in zip(pdfs, ruled, strict=True):
            if {f.table_no for f in figures} >= {"二", "三", "四"}:
                break
            have = {f.table_no for f in figures}
            figures += [f for f in disclosure.figures(pdf=data, ruled=pages) if f.table_no not in have]
    checks = disclosure.checks(figures)
    parts = completeness(sections, kind, {f.table_no for f in figures})
    out = {
        "report_url": url,
        "version": ANALYSIS_VERSION,
        "sections": [dict(asdict(s), report_url=url) for s in sections],
        "figures": [dict(asdict(f), report_url=url) for f in figures],
        "checks": [{"report_url": url, "name": c.name, "expected": c.expected, "actual": c.actual,
                    "passed": int(c.passed)} for c in checks],
        "parts": [{"report_url": url, "part": part, "status": status} for part, status in parts.items()],
        "repeated": [],
    }
    if previous and previous.get("body") and body:
        out["repeated"].append({"report_url": url, "previous_url": previous["url"],
                                "share": repeated_share(body, previous["body"])})
    if following and following.get("body") and body:
        out["repeated"].append({"report_url": following["url"], "previous_url": url,
                                "share": repeated_share(following["body"], body)})
    return out
