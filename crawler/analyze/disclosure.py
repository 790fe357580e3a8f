"""The statistics tables of a 政府信息公开工作年度报告 as data, with their arithmetic checks.

Since the 2021 format (国办公开办函〔2021〕30号; the 2019 试行 format has the same tables 三 and 四)
every report carries three fixed tables:

- 二 主动公开政府信息情况: 规章 / 行政规范性文件 (本年制发件数, 本年废止件数, 现行有效件数),
  行政许可, 行政处罚, 行政强制 (本年处理决定数量), 行政事业性收费 (本年收费金额);
- 三 收到和处理政府信息公开申请情况: one matrix, rows 一 本年新收 … 四 结转下年度继续办理, columns
  自然人, 法人或其他组织 (商业企业 … 其他, in some reports with a 小计), 总计;
- 四 政府信息公开行政复议、行政诉讼情况: 15 numbers.

Sites publish them as HTML tables pasted from Word (rowspan/colspan everywhere, blank cells for
0, the 小计 column present or not, header cells left empty instead of spanned) or inside a PDF.
Both are read into the same cell grid, and the grid is read by the labels it carries, never by
position: `figures()` gives (table_no, row_label, column_label, value) rows with canonical labels,
`summary()` the headline figures and which checks fail (一 + 二 = 三(七) + 四, the subtotals).

Pure: HTML text or PDF bytes in, lists and dicts out. Nothing here touches Scrapy or SQL.
"""
from __future__ import annotations

import io
import re
import unicodedata
from dataclasses import dataclass

from lxml import etree
from lxml import html as lxml_html

# -- canonical labels -----------------------------------------------------------------------

NEW, CARRIED, CLOSED, FORWARD = ("一、本年新收政府信息公开申请数量", "二、上年结转政府信息公开申请数量",
                                 "（七）总计", "四、结转下年度继续办理")
GROUPS = {  # 三、本年度办理结果: group number → (name, its items in the 2021 format)
    1: ("（一）予以公开", []),
    2: ("（二）部分公开", []),
    3: ("（三）不予公开", ["1.属于国家秘密", "2.其他法律行政法规禁止公开", "3.危及“三安全一稳定”",
                        "4.保护第三方合法权益", "5.属于三类内部事务信息", "6.属于四类过程性信息",
                        "7.属于行政执法案卷", "8.属于行政查询事项"]),
    4: ("（四）无法提供", ["1.本机关不掌握相关政府信息", "2.没有现成信息需要另行制作",
                        "3.补正后申请内容仍不明确"]),
    5: ("（五）不予处理", ["1.信访举报投诉类申请", "2.重复申请", "3.要求提供公开出版物",
                        "4.无正当理由大量反复申请", "5.要求行政机关确认或重新出具已获取信息"]),
    6: ("（六）其他处理", ["1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
                        "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
                        "3.其他"]),
}
# Words that name an item when its number is missing or mangled (a PDF cell split over a page).
ITEM_WORDS = {
    3: ["国家秘密", "禁止公开", "三安全", "第三方", "内部事务", "过程性", "执法案卷", "行政查询"],
    4: ["不掌握", "另行制作", "不明确"],
    5: ["信访", "重复申请", "出版物", "大量反复", "重新出具"],
    6: ["不补正", "缴纳费用", "其他"],
}
ORG = "法人或其他组织"
COLUMNS_3 = ["自然人", f"{ORG}/商业企业", f"{ORG}/科研机构", f"{ORG}/社会公益组织",
             f"{ORG}/法律服务机构", f"{ORG}/其他", f"{ORG}/小计", "总计"]
ORG_PARTS = COLUMNS_3[1:6]
REVIEW, DIRECT, AFTER = "行政复议", "行政诉讼/未经复议直接起诉", "行政诉讼/复议后起诉"
RESULTS_4 = ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]
ROWS_2 = ["规章", "行政规范性文件", "行政许可", "行政处罚", "行政强制", "行政事业性收费"]


@dataclass(frozen=True)
class Figure:
    table_no: str       # 二 / 三 / 四
    row_label: str
    column_label: str
    value: float | None  # None: the cell is blank (reports leave 0 blank)


# -- grids: HTML and PDF tables as rows of cell texts, spans expanded ------------------------

_SPACE = re.compile(r"[\s\u3000\xa0]+")


def _norm(text: str | None) -> str:
    """Cell text without any whitespace: PDF cells break words over lines (商 业 企\\n业)."""
    return _SPACE.sub("", text or "")


def html_grids(html: str) -> list[list[list[str]]]:
    """Every data table of the page (no nested tables inside) as a grid of cell texts.

    A cell spanning k rows or columns is repeated in each of them, so every row has the
    cells that label it, whatever the Word paste did with the spans."""
    if not html or not html.strip():
        return []
    try:
        root = lxml_html.fromstring(html)
    except (etree.ParserError, ValueError):
        return []
    grids = []
    for table in root.iter("table"):
        if table.find(".//table") is not None:
            continue  # a layout table
        rows = []
        for tr in table.iter("tr"):
            if tr.xpath("ancestor::table[1]")[0] is not table:
                continue
            rows.append([(_norm(td.text_content()), _span(td, "rowspan"), _span(td, "colspan"))
                         for td in tr if isinstance(td.tag, str) and td.tag.lower() in ("td", "th")])
        grid = _expand(rows)
        if grid:
            grids.append(grid)
    return grids


def _span(td, name: str) -> int:
    try:
        return max(1, min(int(re.sub(r"\D", "", td.get(name) or "1") or 1), 200))
    except ValueError:
        return 1


def _expand(rows: list[list[tuple[str, int, int]]]) -> list[list[str]]:
    """The HTML table model: each cell takes the next free slot of its row, spans fill below."""
    grid: list[list[str | None]] = []
    for r, cells in enumerate(rows):
        while len(grid) <= r:
            grid.append([])
        c = 0
        for text, rowspan, colspan in cells:
            while c < len(grid[r]) and grid[r][c] is not None:
                c += 1
            for dr in range(rowspan):
                while len(grid) <= r + dr:
                    grid.append([])
                row = grid[r + dr]
                while len(row) < c + colspan:
                    row.append(None)
                for dc in range(colspan):
                    row[c + dc] = text
            c += colspan
    width = max((len(row) for row in grid), default=0)
    return [[cell or "" for cell in row] + [""] * (width - len(row)) for row in grid if row]


def pdf_grids(data: bytes, ruled: list[int] | None = None) -> list[list[list[str]]]:
    """The ruled tables of a PDF as grids, spans expanded from the cells' geometry.

    pdfplumber finds the cells from the ruling lines; a merged cell is one rectangle over
    several grid columns or rows, so its text is repeated into each, as in `html_grids`. A
    table broken by a page end comes out as two grids; `tables()` joins them. `ruled` is
    pdfium_text.ruled_pages' answer when the caller has it already (read with the file's
    text), else it is asked here."""
    if ruled is None:
        from crawler.extract.pdfium_text import ruled_pages
        ruled = ruled_pages(data)  # PDFium, milliseconds: pdfplumber (seconds) reads only pages with rules
    if ruled == []:
        return []
    import pdfplumber  # imported here: HTML-only callers need not load it
    grids = []
    with pdfplumber.open(io.BytesIO(data), pages=None if ruled is None else [n + 1 for n in ruled]) as pdf:
        for page in pdf.pages:
            for table in page.find_tables():
                grid = _cells_grid(page, table.cells)
                if grid:
                    grids.append(grid)
    return grids


def _cells_grid(page, cells: list[tuple[float, float, float, float]]) -> list[list[str]]:
    def edges(values: list[float]) -> list[float]:
        out: list[float] = []
        for v in sorted(values):
            if not out or v - out[-1] > 2:
                out.append(v)
        return out

    xs = edges([c[0] for c in cells] + [c[2] for c in cells])
    ys = edges([c[1] for c in cells] + [c[3] for c in cells])

    def index(edge_list: list[float], v: float) -> int:
        return min(range(len(edge_list)), key=lambda i: abs(edge_list[i] - v))

    grid = [[""] * (len(xs) - 1) for _ in range(len(ys) - 1)]
    for x0, top, x1, bottom in cells:
        text = _norm(page.within_bbox((x0, top, x1, bottom), relative=False, strict=False)
                     .extract_text() or "")
        for r in range(index(ys, top), index(ys, bottom)):
            for c in range(index(xs, x0), index(xs, x1)):
                grid[r][c] = text
    return [row for row in grid if any(row)]


# -- which table is which -------------------------------------------------------------------

def _kind(grid: list[list[str]]) -> str | None:
    text = "".join("".join(row) for row in grid)
    if "本年新收" in text or "上年结转" in text or ("予以公开" in text and "不予公开" in text):
        return "三"
    if "复议后起诉" in text or "直接起诉" in text or ("行政复议" in text and "结果维持" in text):
        return "四"
    if any(word in text for word in ("本年制发件数", "现行有效件数", "第二十条", "行政许可",
                                      "行政事业性收费", "本年处理决定数量")):
        return "二"
    return None


def tables(grids: list[list[list[str]]]) -> list[tuple[str, list[list[str]]]]:
    """(table_no, grid) for the disclosure tables among `grids`, in order. A grid that is
    none of them but has the width of a table 三 just before it continues that table on a
    new page (a PDF page break leaves the second half without its header)."""
    out: list[tuple[str, list[list[str]]]] = []
    for grid in grids:
        kind = _kind(grid)
        previous = out[-1] if out else None
        continues = previous and _is_continuation(previous, grid, kind)
        if continues:
            out[-1] = (previous[0], previous[1] + _pad(grid, len(previous[1][0])))
        elif kind:
            out.append((kind, grid))
    return out


def _is_continuation(previous, grid, kind) -> bool:
    table_no, prev_grid = previous
    if table_no != "三" or _has_header_3(grid):
        return False
    if kind not in (None, "三"):
        return False
    width = len(prev_grid[0])
    return abs(len(grid[0]) - width) <= 1 and all(_number(row[-1]) is not None or not row[-1]
                                                  for row in grid[:3])


def _pad(grid: list[list[str]], width: int) -> list[list[str]]:
    """Rows of a continuation grid, widened on the left (a label column lost to the page end)."""
    return [[""] * (width - len(row)) + row if len(row) < width else row[:width] for row in grid]


# -- numbers --------------------------------------------------------------------------------

_NUMBER = re.compile(r"^-?\d+(?:\.\d+)?$")


def _number(text: str) -> float | None:
    """A figure: '3,119' → 3119, '85.6' → 85.6, full-width '１２' → 12; blank, '—', '/', '无' → None."""
    text = re.sub(r"[,，]|万元|元|件|个", "", unicodedata.normalize("NFKC", text or ""))
    if not _NUMBER.match(text):
        return None
    value = float(text)
    return int(value) if value.is_integer() else value


# -- table 三 -------------------------------------------------------------------------------

def _has_header_3(grid: list[list[str]]) -> bool:
    text = "".join("".join(row) for row in grid[:4])
    return "自然人" in text or "商业企业" in text


def _column_3(path: str) -> str | None:
    """The canonical column of a header path ('申请人情况/法人或其他组织/商业企业')."""
    if "自然人" in path:
        return "自然人"
    if "小计" in path:
        return f"{ORG}/小计"
    for part in ("商业企业", "科研机构", "社会公益组织", "法律服务机构"):
        if part in path:
            return f"{ORG}/{part}"
    if "总计" in path or "合计" in path:
        return "总计"
    if "其他" in path and ("法人" in path or "组织" in path):
        return f"{ORG}/其他"
    return None


def _header_rows(grid: list[list[str]], is_data) -> int:
    for i, row in enumerate(grid):
        if is_data(row):
            return i
    return len(grid)


def _data_row_3(row: list[str]) -> bool:
    label = "".join(row)
    return any(word in label for word in ("本年新收", "上年结转", "办理结果", "予以公开", "结转下年"))


def _columns(grid: list[list[str]], header: int, canonical) -> dict[int, str]:
    """Grid column → canonical column, from the header texts stacked above it. An empty
    header cell under 自然人 / 总计 (the span left out) takes the text above it; a column
    of 其他 is the 法人 其他 only under 法人或其他组织."""
    found: dict[int, str] = {}
    width = len(grid[0]) if grid else 0
    for c in range(width):
        parts: list[str] = []
        for r in range(header):
            text = grid[r][c]
            if text and (not parts or parts[-1] != text):
                parts.append(text)
        name = canonical("/".join(parts)) if parts else None
        if name and name not in found.values():
            found[c] = name
    return found


_GROUP_MARK = re.compile(r"[（(]([三四五六])[)）]")  # "（四）无" when a page break cut 无法提供 in two


def _row_3(labels: list[str], group: int | None) -> tuple[str | None, int | None]:
    """The canonical row of table 三 for the label cells of one grid row, and the group it
    is in (carried to the next row when a page break cut the group cell off)."""
    text = "/".join(dict.fromkeys(t for t in labels if t))
    if not text:
        return None, group
    if "本年新收" in text:
        return NEW, None
    if "上年结转" in text:
        return CARRIED, None
    if "结转下年" in text:
        return FORWARD, None
    if "总计" in text or "合计" in text:
        return CLOSED, None
    marker = _GROUP_MARK.search(text)
    for number, words in ((3, "不予公开"), (4, "无法提供"), (5, "不予处理"), (6, "其他处理")):
        if words in text or (marker and marker.group(1) == "一二三四五六"[number - 1]):
            group = number
            break
    else:
        if "部分公开" in text:
            return GROUPS[2][0], None
        if "予以公开" in text:
            return GROUPS[1][0], None
    if group not in ITEM_WORDS:
        return None, group
    name, items = GROUPS[group]
    item = _item(text.split("/")[-1], group)
    if item is None:
        # the 2019 试行 format has (六)其他处理 as one row
        return (name, group) if group == 6 and text.split("/")[-1].endswith("其他处理") else (None, group)
    return f"{name}/{items[item]}", group


def _item(label: str, group: int) -> int | None:
    match = re.match(r"^[（(]?(\d)[)）.．、]", label)
    if match and 1 <= int(match.group(1)) <= len(GROUPS[group][1]):
        return int(match.group(1)) - 1
    for i, word in enumerate(ITEM_WORDS[group]):
        if word in label and not (word == "其他" and group == 6 and "其他处理" in label):
            return i
    return None


def _figures_3(grid: list[list[str]]) -> list[Figure]:
    header = _header_rows(grid, _data_row_3)
    columns = _columns(grid, header, _column_3)
    if "总计" not in columns.values() and "自然人" not in columns.values():
        return []
    out, seen, group = [], set(), None
    for row in grid[header:]:
        labels = [text for c, text in enumerate(row) if c not in columns]
        label, group = _row_3(labels, group)
        if label is None or label in seen:
            continue
        seen.add(label)
        for c, column in columns.items():
            out.append(Figure("三", label, column, _number(row[c])))
    return out


# -- table 四 -------------------------------------------------------------------------------

def _column_4(path: str) -> str | None:
    result = next((r for r in RESULTS_4 if r in path), None)
    if result is None and "合计" in path:
        result = "总计"
    if result is None:
        return None
    if "复议后" in path:
        return f"{AFTER}|{result}"
    if "直接起诉" in path or "未经复议" in path:
        return f"{DIRECT}|{result}"
    if "复议" in path:
        return f"{REVIEW}|{result}"
    return None


def _figures_4(grid: list[list[str]]) -> list[Figure]:
    header = _header_rows(grid, lambda row: sum(_number(t) is not None for t in row) >= 3)
    if header >= len(grid):
        return []
    columns = _columns(grid, header, _column_4)
    row = grid[header]
    out = []
    for c, name in columns.items():
        row_label, column = name.split("|")
        out.append(Figure("四", row_label, column, _number(row[c])))
    return out


# -- table 二 -------------------------------------------------------------------------------

def _figures_2(grid: list[list[str]]) -> list[Figure]:
    """Each data row under the last '信息内容' header row: its label, and its numbers under
    that header's column names (spans repeat a number across columns: keep it once)."""
    out, columns = [], None
    for row in grid:
        if row and "信息内容" in row[0]:
            columns = row
            continue
        label = row[0] if row and row[0] in ROWS_2 else None
        if row and row[0] == "规范性文件":  # the 2019 试行 format's name
            label = "行政规范性文件"
        if label is None or columns is None:
            continue
        done = set()
        for c in range(1, len(row)):
            name = columns[c] if c < len(columns) else ""
            if not name or name in done:
                continue
            done.add(name)
            out.append(Figure("二", label, _column_2(name), _number(row[c])))
    return out


_COLUMNS_2 = (("制发", "本年制发件数"), ("废止", "本年废止件数"), ("现行有效", "现行有效件数"),
              ("处理决定", "本年处理决定数量"), ("收费金额", "本年收费金额（万元）"))


def _column_2(name: str) -> str:
    """The 2021 format's column names; others (the 2019 试行 format's) stay as printed."""
    return next((canonical for word, canonical in _COLUMNS_2 if word in name), name)


# -- the public functions -------------------------------------------------------------------

def figures(html: str | None = None, pdf: bytes | None = None, ruled: list[int] | None = None) -> list[Figure]:
    """The disclosure figures of a report page (its HTML) or a PDF attachment (its bytes;
    `ruled` its ruled pages when known, as pdf_grids takes them).

    A report that has no such tables gives []. When both are given, the HTML's tables win
    for every table it has (the PDF is usually the same report as a download)."""
    found: dict[str, list[Figure]] = {}
    for grids in (html_grids(html) if html else [], _safe_pdf_grids(pdf, ruled) if pdf else []):
        for table_no, grid in tables(grids):
            if found.get(table_no) and table_no != "二":
                continue  # 二 comes in parts (one grid per 第二十条 item, or cut by a page end)
            reader = {"二": _figures_2, "三": _figures_3, "四": _figures_4}[table_no]
            rows = reader(grid)
            if rows:
                have = {(f.row_label, f.column_label) for f in found.get(table_no, [])}
                found.setdefault(table_no, []).extend(
                    f for f in rows if (f.row_label, f.column_label) not in have)
    return [f for no in ("二", "三", "四") for f in found.get(no, [])]


def _safe_pdf_grids(data: bytes, ruled: list[int] | None = None) -> list[list[list[str]]]:
    """A damaged PDF has no tables rather than an exception: its text error is recorded
    by the attachment reader already."""
    try:
        return pdf_grids(data, ruled)
    except Exception:  # pdfplumber/pdfminer raise many types on damaged input
        return []


@dataclass
class Check:
    name: str
    expected: float
    actual: float

    @property
    def passed(self) -> bool:
        return abs(self.expected - self.actual) < 1e-6


def checks(rows: list[Figure]) -> list[Check]:
    """The arithmetic a careful reader does on tables 三 and 四. Blank cells count as 0.

    - balance/<column>: 一 + 二 = 三(七) + 四, in each column (the table's own note);
    - closed/<column>: 三(七)总计 = the sum of the outcome rows (一)…(六);
    - row_total/<row>: 总计 = 自然人 + the 法人 columns;
    - org_subtotal/<row>: 小计 = the five 法人 columns, where there is a 小计;
    - total/<row>: each 总计 of table 四 = its four results.
    """
    three = {(f.row_label, f.column_label): f.value or 0 for f in rows if f.table_no == "三"}
    four = {(f.row_label, f.column_label): f.value or 0 for f in rows if f.table_no == "四"}
    out: list[Check] = []
    if three:
        columns = list(dict.fromkeys(c for _, c in three))
        labels = list(dict.fromkeys(r for r, _ in three))
        outcomes = [r for r in labels if r not in (NEW, CARRIED, CLOSED, FORWARD)]
        for column in columns:
            if all((r, column) in three for r in (NEW, CARRIED, CLOSED, FORWARD)):
                out.append(Check(f"balance/{column}", three[NEW, column] + three[CARRIED, column],
                                 three[CLOSED, column] + three[FORWARD, column]))
            if (CLOSED, column) in three and outcomes:
                out.append(Check(f"closed/{column}", three[CLOSED, column],
                                 sum(three.get((r, column), 0) for r in outcomes)))
        has_subtotal = f"{ORG}/小计" in columns
        for label in labels:
            parts = [three.get((label, c), 0) for c in ORG_PARTS]
            if "总计" in columns and "自然人" in columns:
                org = three.get((label, f"{ORG}/小计"), 0) if has_subtotal else sum(parts)
                out.append(Check(f"row_total/{label}", three.get((label, "总计"), 0),
                                 three.get((label, "自然人"), 0) + org))
            if has_subtotal:
                out.append(Check(f"org_subtotal/{label}", three.get((label, f"{ORG}/小计"), 0), sum(parts)))
    for group in (REVIEW, DIRECT, AFTER):
        if (group, "总计") in four:
            out.append(Check(f"total/{group}", four[group, "总计"],
                             sum(four.get((group, r), 0) for r in RESULTS_4[:4])))
    return out


def summary(rows: list[Figure]) -> dict:
    """The headline figures (the view `disclosure_summary` computes the same from the stored
    figures) and the checks that fail; checks_failed is None when there is no table 三/四."""
    def total(table_no, row, column="总计"):
        return next((f.value or 0 for f in rows
                     if (f.table_no, f.row_label, f.column_label) == (table_no, row, column)), None)

    direct, after = total("四", DIRECT), total("四", AFTER)
    run = checks(rows)
    return {
        "requests_new": total("三", NEW), "requests_carried_over": total("三", CARRIED),
        "requests_closed_total": total("三", CLOSED), "requests_carried_forward": total("三", FORWARD),
        "review_total": total("四", REVIEW),
        "suit_total": None if direct is None and after is None else (direct or 0) + (after or 0),
        "checks_failed": (sum(not c.passed for c in run) > 0) if run else None,
        "failed": [c.name for c in run if not c.passed],
    }
