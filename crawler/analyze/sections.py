"""A report body split into its numbered sections, each level-1 heading given its canonical part.

Both annual reports have a fixed outline (the domain notes, domain.md §1.2, §2.1): the
政府信息公开工作年度报告 its six headings 一、总体情况 … 六、其他需要报告的事项; the 法治政府建设年度报告
its 主要举措和成效 / 存在的不足 / 第一责任人职责 / 下一年度安排 / 其他需要报告的情况, in wording that
varies from county to county. Evaluators compare those parts, so every level-1 heading gets a
`label` (see LABELS) or None when it is none of them.

Headings are found in the body text the extractor keeps (one paragraph a line):
- level 1: 一、 / 一. / 一． / 一，/ 第一部分; numbers must rise (gaps allowed), so a table row or a
  list restarting at 一 inside a section is not mistaken for a new part;
- level 2: （一） / (一), numbered afresh under each level-1 heading;
- a line set wholly in bold on the page (`bold_lines(html)`), or a short line that is exactly a
  part's name, in a report that numbers none of its parts.
A heading line that runs on into its text ("（一）主动公开。全年…") is cut at the first 。.
Table rows ("cell | cell" or tab-separated) and lines ending in figures are never headings.

Pure: text in, Section rows out.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

FZ = "法治政府建设年度报告"
XXGK = "政府信息公开工作年度报告"

# (label, pattern), checked in order; for the 法治 parts that share a heading ("存在的不足及下步
# 工作打算") the label is the part named first, and `parts_of` gives all of them.
FIXED = {
    FZ: [("other", r"其他需要(?:报告|说明)|其他有关情况|其他情况"),
         ("first_responsible", r"第一责任人|主要负责人.{0,20}(?:职责|履职)|履行推进法治建设.{0,4}职责")],
    XXGK: [("other_matters", r"其他需要(?:报告|说明)|其他事项"),
           ("review_litigation", r"行政复议|行政诉讼|复议、诉讼"),
           ("requests", r"收到和处理|依申请|公开申请"),
           ("proactive", r"主动公开"),
           ("problems", r"存在的?主要问题|问题及改进|问题和改进|改进情况|存在问题|不足"),
           ("overview", r"总体情况|基本情况|概述|概况|总体")],
}
POSITIONAL = {  # the earliest match in the heading wins
    FZ: [("shortcomings", r"不足|问题|短板|差距|薄弱"),
         ("plans", r"下一年度|下一步|下步|打算|安排|计划|思路|展望|工作重点|努力方向|明年"
                   r"|\d{4}年(?:度)?(?:重点)?工作(?:目标|要点)"),
         ("measures", r"举措|成效|成绩|工作情况|推进情况|开展情况|落实情况|建设情况|主要做法|做法|主要工作|进展|取得")],
    XXGK: [],
}
LABELS = {FZ: ["measures", "shortcomings", "first_responsible", "plans", "other"],
          XXGK: ["overview", "proactive", "requests", "review_litigation", "problems", "other_matters"]}

NUMERALS = "一二三四五六七八九十"
_NUM = f"[{NUMERALS}]{{1,3}}"
_LEVEL1 = re.compile(rf"^(?:第\s*({_NUM})\s*部分\s*[、:：.．，,]?|({_NUM})\s*[、.．，,])\s*(.*)$")
_LEVEL2 = re.compile(rf"^[（(]\s*({_NUM})\s*[)）]\s*[、.．]?\s*(.*)$")
_TABLE_ROW = re.compile(r"\t| \| |(?:\s\d[\d.,]*){2,}\s*$")
_TABLE_LABELS = re.compile(r"本年新收|上年结转|本年度办理结果|结转下年度继续办理|予以公开\s*\d")
MAX_HEADING = 60


@dataclass
class Section:
    position: int
    level: int            # 0: the text before the first heading; 1: 一、…; 2: （一）…
    heading: str | None
    label: str | None     # level 1 only: one of LABELS[report type], or None
    text: str             # the paragraphs directly under the heading, up to the next heading


def numeral(text: str) -> int:
    """一 → 1, 十二 → 12, 二十 → 20 (section numbers never go higher)."""
    if text == "十":
        return 10
    if "十" in text:
        tens, _, units = text.partition("十")
        return (NUMERALS.index(tens) + 1 if tens else 1) * 10 + (NUMERALS.index(units) + 1 if units else 0)
    return NUMERALS.index(text) + 1 if len(text) == 1 else 0


def label_for(heading: str | None, report_type: str | None) -> str | None:
    """The canonical part a level-1 heading names, or None."""
    parts = _ordered_parts(heading, report_type)
    return parts[0] if parts else None


def parts_of(heading: str | None, report_type: str | None) -> set[str]:
    """Every part a heading names ("存在的不足及下步工作打算" → shortcomings and plans)."""
    return set(_ordered_parts(heading, report_type))


def _ordered_parts(heading: str | None, report_type: str | None) -> list[str]:
    if not heading or report_type not in FIXED:
        return []
    text = re.sub(r"\s", "", heading)
    text = _LEVEL1.sub(r"\3", text) if _LEVEL1.match(text) else _LEVEL2.sub(r"\2", text)
    for label, pattern in FIXED[report_type]:
        if re.search(pattern, text):
            return [label]
    found = sorted((m.start(), label) for label, pattern in POSITIONAL[report_type]
                   for m in [re.search(pattern, text)] if m)
    return list(dict.fromkeys(label for _, label in found))


def guess_type(body: str) -> str | None:
    """A report of unknown type: 信息公开 if at least three of its lines are its fixed headings."""
    hits = {label_for(line, XXGK) for line in (body or "").split("\n")
            if _LEVEL1.match(line.strip()) and len(line) <= MAX_HEADING}
    return XXGK if len(hits - {None}) >= 3 else FZ


def split_sections(body: str | None, report_type: str | None = None,
                   bold: set[str] | frozenset = frozenset()) -> list[Section]:
    """The body's sections in order. `bold` holds the page's bold-only lines (`bold_lines`)."""
    if not body:
        return []
    report_type = report_type if report_type in FIXED else guess_type(body)
    lines = [line.strip() for line in body.split("\n") if line.strip()]
    numbered = any(_heading(line, 0, 0) and _heading(line, 0, 0)[0] == 1 for line in lines)
    sections = [Section(0, 0, None, None, "")]
    last1 = last2 = 0
    for line in lines:
        found = _heading(line, last1, last2)
        if found is None and not numbered and _unnumbered_heading(line, report_type, bold):
            found = (1, None, line, "")
        if found is None:
            current = sections[-1]
            current.text = f"{current.text}\n{line}" if current.text else line
            continue
        level, number, heading, rest = found
        if level == 1:
            last1, last2 = number or last1, 0
        else:
            last2 = number
        sections.append(Section(len(sections), level, heading,
                                label_for(heading, report_type) if level == 1 else None, rest))
    if not sections[0].text:
        sections = [Section(i, s.level, s.heading, s.label, s.text) for i, s in enumerate(sections[1:])]
    if report_type == FZ:
        _measures_as_parts(sections)
    return sections


def _measures_as_parts(sections: list[Section]) -> None:
    """Some 法治 reports number each area of their work as a part of its own (一、加强党的领导 …
    五、依法化解矛盾纠纷) before 六、存在的不足: with no heading naming the measures, the
    unlabelled parts before the first shortcomings/plans part are the measures."""
    level1 = [s for s in sections if s.level == 1]
    if any(s.label == "measures" for s in level1):
        return
    later = next((i for i, s in enumerate(level1) if s.label in ("shortcomings", "plans")), None)
    if later is None:
        return  # not a report's outline (an 实施方案 numbers its parts too)
    for section in level1[:later]:
        if section.label is None:
            section.label = "measures"


def _heading(line: str, last1: int, last2: int) -> tuple[int, int, str, str] | None:
    """(level, number, heading, text after it) when `line` opens a section at this point."""
    if _TABLE_ROW.search(line) or _TABLE_LABELS.search(line):
        return None
    for level, pattern in ((1, _LEVEL1), (2, _LEVEL2)):
        match = pattern.match(line)
        if not match:
            continue
        number = numeral(match.group(1) or match.group(2)) if level == 1 else numeral(match.group(1))
        last = last1 if level == 1 else last2
        if not (last < number <= last + 3):
            return None
        heading, rest = _cut(line)
        return (level, number, heading, rest) if heading else None
    return None


def _cut(line: str) -> tuple[str | None, str]:
    """Split "（一）主动公开。全年…" into heading and text; a long sentence is not a heading."""
    stop = min((i for i in (line.find("。"), line.find("：") if len(line) > MAX_HEADING else -1) if i > 0),
               default=-1)
    if stop > 0:
        heading, rest = line[:stop], line[stop + 1:].strip()
    else:
        heading, rest = line, ""
    if len(heading) > MAX_HEADING:
        return None, line
    return heading.rstrip("：:，,；; "), rest


def _unnumbered_heading(line: str, report_type: str, bold: set[str]) -> bool:
    """A report without numbered parts: its bold lines, or a short line naming a part."""
    if _TABLE_ROW.search(line) or len(line) > MAX_HEADING or line.endswith(("。", "；")):
        return False
    return re.sub(r"\s", "", line) in bold or (len(line) <= 20 and label_for(line, report_type) is not None)


def bold_lines(html: str | None) -> set[str]:
    """The page's paragraphs set wholly in bold (<strong>, <b>, font-weight: bold/600+),
    whitespace removed: the headings of reports that do not number them."""
    if not html:
        return set()
    from lxml import etree
    from lxml import html as lxml_html
    try:
        root = lxml_html.fromstring(html)
    except (etree.ParserError, ValueError):
        return set()
    out = set()
    for block in root.iter("p", "div", "h1", "h2", "h3", "h4", "li"):
        if any(child.tag in ("p", "div", "table") for child in block.iter() if child is not block):
            continue
        text = re.sub(r"\s", "", block.text_content())
        if not text or len(text) > MAX_HEADING:
            continue
        bold_text = "".join(re.sub(r"\s", "", el.text_content()) for el in block.iter()
                            if el is not block and _is_bold(el) and not _has_bold_ancestor(el, block))
        if _is_bold(block) or bold_text == text:
            out.add(text)
    return out


def _is_bold(el) -> bool:
    if not isinstance(el.tag, str):
        return False
    style = (el.get("style") or "").replace(" ", "").lower()
    return el.tag in ("strong", "b", "h1", "h2", "h3", "h4") or bool(
        re.search(r"font-weight:(?:bold|[6-9]00)", style))


def _has_bold_ancestor(el, stop) -> bool:
    parent = el.getparent()
    while parent is not None and parent is not stop:
        if _is_bold(parent):
            return True
        parent = parent.getparent()
    return False
