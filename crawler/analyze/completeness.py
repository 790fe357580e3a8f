"""Does a report have the parts it must have? (the domain notes, domain.md §5.5)

- 法治政府建设年度报告: measures, shortcomings, first_responsible, plans. A part counts as present
  when a level-1 heading names it (`section`), or, failing that, a level-2 heading does
  (`sub_item`: "（三）切实履行推进法治建设第一责任人职责" under the measures). 第一责任人 is the part
  most often folded in or left out, which is why sub-items are looked at.
- 政府信息公开工作年度报告: the six fixed headings, and the three tables 二, 三, 四 as read by
  disclosure.py (`table`).

Pure: sections and table numbers in, one status per required part out.
"""
from __future__ import annotations

from .sections import FZ, XXGK, Section, parts_of

REQUIRED = {
    FZ: ["measures", "shortcomings", "first_responsible", "plans"],
    XXGK: ["overview", "proactive", "requests", "review_litigation", "problems", "other_matters",
           "table_二", "table_三", "table_四"],
}


def completeness(sections: list[Section], report_type: str | None,
                 table_nos: set[str] | frozenset = frozenset()) -> dict[str, str]:
    """{part: 'section' | 'sub_item' | 'table' | 'missing'} for the report type's required
    parts; {} for a report of another type."""
    if report_type not in REQUIRED:
        return {}
    found: dict[str, str] = {}
    for level, where in ((1, "section"), (2, "sub_item")):
        for section in sections:
            if section.level != level:
                continue
            for part in parts_of(section.heading, report_type):
                found.setdefault(part, where)
    if report_type == XXGK:
        for no in table_nos:
            found[f"table_{no}"] = "table"
        # the six headings are level-1 parts; a 信息公开 sub-item (（一）主动公开) is not one
        found = {k: v for k, v in found.items() if v != "sub_item"}
    return {part: found.get(part, "missing") for part in REQUIRED[report_type]}
