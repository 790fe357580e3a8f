"""What a report page states about the report: title, 索引号, 文号, issuer, dates, source, column.

Government pages state these three ways, and we trust them in this order: the page's own 政务公开 box, then
the 政府网站 meta tags (ArticleTitle, ContentSource …), then the info line above the body (``发布时间：… 来源：…``
or an unlabelled ``www.x.gov.cn 2019-04-12`` line under the heading); PubDate, which some platforms set to the
time the page was regenerated, comes last. A 广东 gkmlpt page states its fields in its ``_CONFIG.DETAIL`` JSON;
those keys rank just under the box. Which shown date is which: see vocabulary.py.

Boxes are read without regard to their tags. The page is read as lines in reading order (dom.text_lines),
inline element edges marked; every label of the vocabulary is found on them whatever its spacing, colon or
the elements it is split over (``<span>索</span><span>引号：</span>``), and takes as its value what follows it:
the rest of its line up to the next label or a wide gap, or — when nothing follows on its line — the next line
(the next cell, sibling or block), unless that is itself a label. A row of labels over a row of values is read
column by column.

A box inside the content container (江西 and others put it in ``#zoom``) is read too, but only as a box: at
least three distinct box labels on adjacent lines. A report's own text that mentions 发布机构 once is not
metadata. The box found there is marked, and the body leaves it out. An info line (来源/信息来源/发布时间) on the
first or last lines of the container is read as the info line.

Guards against wrong values: a value must fit its field (a 索引号 has digits; 索引号, 文号, 发布机构 and 来源 are
short; dates parse); a value taken from the next line is short and is no label; a run of lines that repeats
one label and holds no other box label is a list of other documents (相关文件 with their 发布日期), not a box; a
ContentSource that repeats a website's SiteName (…网) is the platform's default, not a source.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from typing import TYPE_CHECKING

from lxml import etree

from .dom import BOX_ATTR, INLINE_MARK, Line, bounded_text, normalize_space, text_exceeds
from .vocabulary import (
    AGENCY_NAME,
    ALL_LABELS,
    BOX_LABELS,
    BOXISH_LABELS,
    BREADCRUMB_LABEL,
    BREADCRUMB_SEP,
    DETAIL_FIELDS,
    EMPTY_VALUES,
    FIELD_LABELS,
    META_FIELDS,
    META_LAST,
    SITE_NAME,
    spaced_label,
)

if TYPE_CHECKING:  # pragma: no cover
    from .page import Page

TITLE_DOC_NO = re.compile(r"[（(]\s*([A-Za-z\u4e00-\u9fff]{1,12}[〔\[［]\s*(?:19|20)\d{2}\s*[〕\]］]\s*\d+\s*号)\s*[)）]\s*$")
FIELDS = ("title", "index_no", "doc_no", "publisher", "written_date", "published_date", "source", "column")
DATE_FIELDS = ("written_date", "published_date")
RANKS = ("box", "detail", "meta", "info", "last")

_GAP = rf"[\s{INLINE_MARK}]"  # whitespace or an inline element edge
_KNOWN_ALT = "|".join(spaced_label(lab, _GAP) for lab in ALL_LABELS)
# A box label with no colon counts where it fills an element of its own at the start of a line
# (<label>索引号</label><span>…</span>).
_BOX_ALT = "|".join(spaced_label(lab, r"\s") for lab in sorted(BOXISH_LABELS, key=len, reverse=True))
# A label token: bracketed "[ 索引号 ]", or a label followed by a colon. It starts the line or follows a
# space, bracket or element edge, so that "行政处罚决定书文号" holds no 文号; a known label may also follow a
# colon ("发文字号:成文时间:"). Unknown short CJK words with a colon end the previous value too.
# A label and its value may share one bracket pair (【发布日期：2022-03-27】【来源：锦州市人民政府】): a known
# label may follow an opening bracket, and the closing one ends its value.
_AFTER_GAP = rf"(?:^|(?<=[\s\]】|｜{INLINE_MARK}]))"
LABEL_TOKEN = re.compile(
    rf"{_AFTER_GAP}[\[【]{_GAP}*(?P<bracket>[^\[\]【】:：]{{1,16}}?){_GAP}*[\]】]{_GAP}*[:：]?"
    rf"|(?:^|(?<=[\s\]】\[【|｜:：{INLINE_MARK}]))(?P<known>{_KNOWN_ALT}){_GAP}*[:：]"
    rf"|{_AFTER_GAP}(?P<other>[\u4e00-\u9fff]{{2,6}}){_GAP}*[:：]"
    rf"|^{_GAP}*{INLINE_MARK}(?P<bare>{_BOX_ALT}){INLINE_MARK}"
)
LABEL_ONLY = re.compile(rf"^(?:[\[【]\s*)?(?P<label>{_KNOWN_ALT})(?:\s*[\]】])?\s*[:：]?$")
# A value ends at a wide gap: U+3000, or two spaces / nbsp in a row.
VALUE_END = re.compile(r"\u3000|[ \xa0\u2002\u2003]{2,}")
DATE_RE = re.compile(r"(?<!\d)(\d{4})\s*[-年/.]\s*(\d{1,2})\s*[-月/.]\s*(\d{1,2})(?!\d)")
TAG = re.compile(r"<[^<>]*>")
PLACEHOLDER = re.compile(r"[-—–_/\\·.\s]+")  # dashes and the like, a template's "nothing here"
DATE_WORD = re.compile(r"日期|时间")
WEBSITE_NAME = re.compile(r"(?:网|网站|门户|平台)$")
BREADCRUMB_MAX = 200
TITLE_SEP = re.compile(r"(\s+[-–|]\s+|_+|\||——|(?<!\d)-(?!\d))")
# Bounds that keep a hostile page linear: label tokens read, the part of a line searched for labels, the
# length of a value taken from the next line, breadcrumb label nodes and heading candidates weighed.
MAX_LABELS = 400
LINE_SCAN = 1000
NEXT_LINE_MAX = 120
MAX_VALUE = {"index_no": 60, "doc_no": 60, "publisher": 60, "source": 60, "title": 300}
MAX_CRUMB_NODES = 20
MAX_HEADINGS = 40
HEADING_SCAN = 20_000  # elements looked at for the one the title is printed in
# Lines apart that still make one box, and the distinct box labels that make one inside the container.
BOX_GAP = 3
CONTAINED_BOX_LABELS = 3
# The info line some sites print as the first or last line of the content container ("信息来源：县司法局"):
# labels read there, lines looked at at each edge, and their length at most. The body drops such lines as
# furniture; a report's own text rarely opens or closes with one.
EDGE_INFO_LABELS = frozenset({"来源", "信息来源", "发布时间"})
EDGE_LINES = 3
EDGE_LINE_MAX = 60
LISTING_REPEATS = 3  # one label this often in a run of lines, and no other box label: a list of documents
# The unlabelled date line under a heading: lines looked at, and CJK characters it may hold besides the date.
DATE_LINE_LOOKAHEAD = 3
DATE_LINE_MAX = 150
DATE_LINE_CJK = 12


def parse_date(text: str | None) -> str | None:
    """ISO YYYY-MM-DD from 2021-07-23, 2021/7/23, 2021.07.23, 2021年7月23日 (10:09); else None."""
    match = DATE_RE.search(unicodedata.normalize("NFKC", text or ""))
    if not match:
        return None
    try:
        return date(*map(int, match.groups())).isoformat()
    except ValueError:
        return None


BEIJING = timezone(timedelta(hours=8))
TIMESTAMP_RANGE = (946_684_800, 4_102_444_800)  # 2000-01-01 … 2100-01-01, in seconds


def _timestamp_date(value: float) -> str | None:
    """The Beijing date of a Unix timestamp in seconds or milliseconds (gkmlpt's date fields); None for a
    number that is no timestamp of this century."""
    seconds = value / 1000 if value > TIMESTAMP_RANGE[1] else value
    if not TIMESTAMP_RANGE[0] <= seconds < TIMESTAMP_RANGE[1]:
        return None
    return datetime.fromtimestamp(seconds, BEIJING).date().isoformat()


def _canonical(label: str) -> str:
    return re.sub(rf"{_GAP}+", "", label)


def _clean(value: str | None) -> str | None:
    """A stated value, or None for an empty, placeholder (无) or un-rendered template ({{x}}) one."""
    value = normalize_space(value or "")
    if value.lower() in EMPTY_VALUES or "{{" in value or PLACEHOLDER.fullmatch(value):
        return None
    return value


def _field_value(fld: str, raw: str | None) -> str | None:
    """The value a label states for `fld`: up to the next wide gap, element edges removed; dates as ISO; None
    for a value no such field takes (too long for a 索引号, no digit in it …)."""
    value = (raw or "").replace(INLINE_MARK, "").strip().lstrip(":：").strip()
    value = _clean(VALUE_END.split(value, 1)[0].split("】", 1)[0])
    if value is None:
        return None
    if fld in DATE_FIELDS:
        return parse_date(value)
    if len(value) > MAX_VALUE.get(fld, 300):
        return None
    if fld == "index_no" and not re.search(r"\d", value):
        return None
    return value


@dataclass
class Pair:
    """A label found on line `line` and what it states; `used` are the lines it covers (its own, and the
    next one when the value sits there)."""
    label: str
    fld: str | None
    raw: str | None
    line: int
    used: list[int] = field(default_factory=list)


def _label_of(token: re.Match) -> str:
    return _canonical(token.group("bracket") or token.group("known") or token.group("other") or token.group("bare"))


def _next_value(lines: list[Line], i: int) -> tuple[str | None, int | None]:
    """The value of a label that ends line i: the next line, when it belongs to the same row or block and is
    no label itself."""
    if i + 1 >= len(lines):
        return None, None
    here, nxt = lines[i], lines[i + 1]
    text = nxt.text.replace(INLINE_MARK, "")
    if here.row is not None and nxt.row is not here.row:
        return None, None
    if here.contained != nxt.contained or len(normalize_space(text)) > NEXT_LINE_MAX:
        return None, None
    if LABEL_ONLY.match(normalize_space(text)) or LABEL_TOKEN.match(nxt.text.lstrip(f" \t\xa0\u3000{INLINE_MARK}")):
        return None, None
    parent = here.block.getparent()
    if here.row is None and parent is not None and nxt.block is not here.block and not any(
            anc is parent for anc in _ancestors(nxt.block, 6)):
        return None, None
    return nxt.text, i + 1


def _ancestors(el: etree._Element, depth: int):
    for n, anc in enumerate(el.iterancestors()):
        if n >= depth:
            return
        yield anc


def label_pairs(lines: list[Line], skip_rows: set) -> list[Pair]:
    """Every label on the lines, in reading order, with the raw text of its value (see the module note)."""
    pairs: list[Pair] = []
    taken: set[int] = set()
    for i, line in enumerate(lines):
        if len(pairs) >= MAX_LABELS:
            break
        if i in taken or (line.row is not None and line.row in skip_rows):
            continue
        text = line.text[:LINE_SCAN]
        if (":" not in text and "：" not in text and "[" not in text and "【" not in text and len(text) > 40
                and not text.lstrip().startswith(INLINE_MARK)):
            continue  # a long line with no colon or bracket holds no label (but a colon-less <label> may lead it)
        only = LABEL_ONLY.match(normalize_space(text.replace(INLINE_MARK, "")))
        if only:
            raw, used = _next_value(lines, i)
            label = _canonical(only.group("label"))
            pairs.append(Pair(label, FIELD_LABELS.get(label), raw, i, [i] + ([used] if used is not None else [])))
            if used is not None:
                taken.add(used)
            continue
        tokens = list(LABEL_TOKEN.finditer(text))[:MAX_LABELS]
        for token, nxt in zip(tokens, tokens[1:] + [None], strict=False):
            label = _label_of(token)
            raw = text[token.end(): nxt.start() if nxt else len(text)]
            used = None
            if nxt is None and not normalize_space(raw.replace(INLINE_MARK, "")):
                raw, used = _next_value(lines, i)
                if used is not None:
                    taken.add(used)
            pairs.append(Pair(label, FIELD_LABELS.get(label), raw, i, [i] + ([used] if used is not None else [])))
    return pairs


def _clusters(pairs: list[Pair]) -> list[list[Pair]]:
    """Pairs grouped into runs of lines at most BOX_GAP apart: one box, or one info line."""
    groups: list[list[Pair]] = []
    for pair in pairs:
        if groups and pair.line - groups[-1][-1].used[-1] <= BOX_GAP:
            groups[-1].append(pair)
        else:
            groups.append([pair])
    return groups


@dataclass
class Labelled:
    """Fields stated by labels: those of 政务公开 boxes and those of info lines, and the box elements inside
    the content container (which the body must leave out)."""
    box: dict = field(default_factory=dict)
    info: dict = field(default_factory=dict)
    contained_boxes: list = field(default_factory=list)


def _put(target: dict, fld: str | None, raw: str | None) -> None:
    if fld is None or fld in target:
        return
    value = _field_value(fld, raw)
    if value is not None:
        target[fld] = value


def read_labels(lines: list[Line], root: etree._Element, container: etree._Element | None) -> Labelled:
    """The box and info-line fields of the page (first occurrence wins within each)."""
    found = Labelled()
    header_rows = _header_row_fields(root, container, found)
    pairs = label_pairs(lines, header_rows)
    inside = [i for i, line in enumerate(lines) if line.contained]
    edges = set(inside[:EDGE_LINES] + inside[-EDGE_LINES:])
    for contained in (False, True):
        for group in _clusters([p for p in pairs if lines[p.line].contained is contained]):
            boxish = {p.label for p in group if p.label in BOXISH_LABELS}
            if contained and len(boxish) < CONTAINED_BOX_LABELS:
                for pair in group:  # a report's own text, not a box; but its 来源 line at an edge is an info line
                    if pair.line in edges and pair.label in EDGE_INFO_LABELS and _short(lines[pair.line]):
                        _put(found.info, pair.fld, pair.raw)
                continue
            if _is_listing(group, boxish):
                continue  # a list of other documents, each with its 发布日期
            for pair in group:
                in_box = pair.label in BOX_LABELS or contained or len(boxish) >= 2
                _put(found.box if in_box else found.info, pair.fld, pair.raw)
            if contained:
                found.contained_boxes.append([lines[i].block for p in group for i in p.used])
    return found


def _short(line: Line) -> bool:
    return len(normalize_space(line.text.replace(INLINE_MARK, ""))) <= EDGE_LINE_MAX


def _is_listing(group: list[Pair], boxish: set[str]) -> bool:
    """A run of lines repeating one label (发布日期：… on every entry) with no other box label: the dates of
    a list of other documents (相关文件, 最新信息), not this page's box."""
    counts: dict[str, int] = {}
    for pair in group:
        if pair.fld is not None:
            counts[pair.label] = counts.get(pair.label, 0) + 1
    return len(boxish) <= 1 and max(counts.values(), default=0) >= LISTING_REPEATS


def _header_row_fields(root: etree._Element, container: etree._Element | None, found: Labelled) -> set:
    """Boxes laid out as a row of labels over a row of values (索引号 | 发布机构 | 文号 / the values beneath),
    read column by column. Returns the two rows, which the line reading then skips: read line by line, each
    label would be followed by another label and the last take the first value. Inside the content
    container only a table of just these two rows is a box (a longer one is a data table of the report)."""
    rows: set = set()
    for row in root.iter("tr"):
        below = row.getnext()
        if below is None or below.tag != "tr" or row in rows:
            continue
        cells, values = _cells(row), _cells(below)
        if len(cells) < 2 or len(values) != len(cells):
            continue
        labels = [_canonical(normalize_space(bounded_text(c, 40))).rstrip(":：") for c in cells]
        if not all(lab in BOX_LABELS for lab in labels):
            continue
        inside = container is not None and any(anc is container for anc in row.iterancestors())
        if inside and (len(row.getparent()) != 2 or len(labels) < CONTAINED_BOX_LABELS):
            continue
        for label, cell in zip(labels, values, strict=False):
            _put(found.box, BOX_LABELS[label], bounded_text(cell, 400))
        rows.update((row, below))
        if inside:
            found.contained_boxes.append([row.getparent()])
    return rows


def _cells(row: etree._Element) -> list[etree._Element]:
    return [c for c in row if c.tag in ("td", "th")]


def mark_boxes(boxes: list[list[etree._Element]], container: etree._Element | None) -> None:
    """Mark each box read inside the content container for the body to leave out: the smallest element
    holding all its lines when that element is little more than the box, else each of its lines' blocks."""
    for blocks in boxes:
        blocks = [b for b in blocks if b is not container]
        if not blocks:
            continue
        common = _common_ancestor(blocks)
        size = sum(len(normalize_space(bounded_text(b, 400))) for b in blocks)
        limit = int(size * 1.5) + 80
        if (common is not None and common is not container and container is not None
                and any(anc is container for anc in common.iterancestors())
                and len(normalize_space(bounded_text(common, 20 * limit))) <= limit):
            common.set(BOX_ATTR, "")
            continue
        for block in blocks:
            block.set(BOX_ATTR, "")


def _common_ancestor(elements: list[etree._Element]) -> etree._Element | None:
    """The lowest element that holds every one of `elements` (themselves included)."""
    first = [elements[0], *elements[0].iterancestors()]
    for el in elements[1:]:
        chain = {id(a) for a in (el, *el.iterancestors())}
        first = [a for a in first if id(a) in chain]
        if not first:
            return None
    return first[0]


# --- meta tags and DETAIL JSON -------------------------------------------------------------------------------

def meta_names(root: etree._Element) -> dict[str, str]:
    """Non-empty <meta name|property content> pairs, names lower-cased: sites write PubDate, pubdate, PUBDATE …"""
    names: dict[str, str] = {}
    for n, meta in enumerate(root.iter("meta")):
        if n > 500:
            break
        attrs = {k.lower(): v for k, v in meta.attrib.items()}
        name, value = (attrs.get("name") or attrs.get("property") or "").lower(), _clean(attrs.get("content"))
        if name and value:
            names.setdefault(name, value)
    return names


def mapped_fields(source: dict, mapping: dict[str, str]) -> dict:
    """Fields from named values (meta tags, DETAIL keys); the first name mapped to a field wins. Markup inside
    a value is dropped (some sites put HTML in ArticleTitle). Non-string values (a JSON number, null) state
    nothing."""
    found: dict = {}
    for name, fld in mapping.items():
        value = source.get(name)
        if fld in DATE_FIELDS and isinstance(value, (int, float)) and not isinstance(value, bool):
            value = _timestamp_date(value)
        elif not isinstance(value, str):
            continue
        else:
            value = _clean(TAG.sub("", value)) if fld not in DATE_FIELDS else parse_date(value)
        if value is not None:
            found.setdefault(fld, value)
    return found


# --- title ---------------------------------------------------------------------------------------------------

def _names_site(segment: str, sites: set[str]) -> bool:
    """True when a title segment is the site's name (SiteName) or an organisation's."""
    seg = _canonical(segment)
    if not seg:
        return False
    return seg in sites or (len(seg) <= 25 and not seg[0].isdigit()
                            and bool(SITE_NAME.search(seg) or AGENCY_NAME.match(seg)))


def strip_site_name(title: str | None, sites: set[str] = frozenset()) -> str | None:
    """The document's own title: site-name suffixes (``_县政府_城口县人民政府``) and prefixes cut off."""
    if not title:
        return None
    parts = TITLE_SEP.split(normalize_space(title))
    texts = parts[0::2]

    def cuts(i: int) -> bool:
        # a —— dash before a subtitle (…力量——热烈祝贺…开幕) is the title's own, unless a site name follows it
        return parts[2 * i - 1].strip() != "——" or _names_site(texts[i], sites)

    # Cut at the first separator after which some segment names a site …
    end = next((i for i in range(1, len(texts)) if cuts(i) and any(_names_site(t, sites) for t in texts[i:])),
               len(texts))
    # … and drop a leading site name ("保定市人民政府网——…").
    start = 1 if end > 1 and _names_site(texts[0], sites) else 0
    kept = parts[2 * start: 2 * end - 1]
    return _clean("".join(kept))


STRICT_HEADINGS = ("//h1", "//*[@id='title'] | //*[contains(concat(' ', normalize-space(@class), ' '), ' title ')]")
LOOSE_HEADINGS = ("//h1 | //h2 | //h3 | //*[@id='title']"
                  " | //*[contains(concat(' ', normalize-space(@class), ' '), ' title ')]"
                  " | //*[contains(translate(@class, 'TITLE', 'title'), 'title')]"
                  " | //*[contains(translate(@id, 'TITLE', 'title'), 'title')]")


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _is_breadcrumb(el: etree._Element, text: str) -> bool:
    """A trail of links (首页 > 时政新闻 >), or text that starts with 当前位置: navigation, never a title."""
    if BREADCRUMB_LABEL.match(text):
        return True
    links = sum(1 for _ in zip(range(3), el.iter("a"), strict=False))
    return len(BREADCRUMB_SEP.findall(text)) >= 1 and links >= 2


def _heading_text(el: etree._Element, sites: set[str]) -> str | None:
    if any(anc.tag in ("head", "title", "a", "nav") for anc in el.iterancestors()) or el.tag in ("title", "meta"):
        return None
    text = normalize_space(bounded_text(el, 400))
    if not text or len(text) > MAX_VALUE["title"] or _names_site(text, sites) or _is_breadcrumb(el, text):
        return None
    return text


def heading(root: etree._Element, sites: set[str], page_title: str | None,
            fallback: bool = True) -> tuple[str | None, etree._Element | None]:
    """The document's own heading and its element.

    Among the heading-like elements (h1–h3, #title, a *title* class or id), the one the page's <title> (its
    own part) agrees with: first one equal to it; else the longest one it holds (a <title> may prefix the
    column; it must be two thirds of it at least, or a menu's 中标公告 would be the title of 中标公告详细页面);
    else one that holds it with little more (a <title> may be cut short) and no label (a block
    holding the heading and its 来源 line is not the heading). Failing those, the first h1 / #title / .title,
    h1 first (unless fallback is False). Breadcrumbs and site names are never headings.
    """
    own = _squash(page_title or "")
    if len(own) >= 4:
        found = [(text, el) for el in root.xpath(LOOSE_HEADINGS)[:MAX_HEADINGS]
                 if (text := _heading_text(el, sites)) and len(_squash(text)) >= 4]
        for text, el in found:
            if _squash(text) == own:
                return text, el
        inside = [(text, el) for text, el in found if _squash(text) in own and 3 * len(_squash(text)) >= 2 * len(own)]
        if inside:
            return max(inside, key=lambda pair: len(_squash(pair[0])))
        for text, el in found:
            if own not in _squash(text):
                continue
            if len(_squash(text)) <= 1.3 * len(own) + 4 and not LABEL_TOKEN.search(text):
                return text, el
            for sub, _ in zip(el.iterdescendants(), range(50), strict=False):  # the heading inside a title block
                if isinstance(sub.tag, str) and _squash(bounded_text(sub, 400)) == own:
                    return normalize_space(bounded_text(sub, 400)), sub
        printed = _printed_heading(root, own, sites)
        if printed is not None:  # the text as the title states it; the element places the date line
            return normalize_space(page_title), printed
    if not fallback:
        return None, None
    for xpath in STRICT_HEADINGS:  # an h1 before an element merely classed title
        for el in root.xpath(xpath)[:MAX_HEADINGS]:
            text = _heading_text(el, sites)
            if text:
                return text, el
    return None, None


def _printed_heading(root: etree._Element, own: str, sites: set[str]) -> etree._Element | None:
    """The element the known title is printed in when no heading-like tag, class or id holds it
    (``<p class="mm_all_p">``, ``<div class="bt">``): the first element of the body whose whole text is the
    title, taken at its innermost. A link (a related-article list) or a breadcrumb never is; so the date line
    under the heading is found whatever the heading's markup. Bounded: elements are weighed only when
    their own first text starts the title, and at most HEADING_SCAN of them are looked at."""
    body = root.find("body")
    if body is None:
        return None
    for el, _ in zip(body.iter(), range(HEADING_SCAN), strict=False):
        if not isinstance(el.tag, str) or el.tag in ("a", "script", "style", "title") or el.get(BOX_ATTR):
            continue
        start = _squash(el.text or "")
        if not start or not own.startswith(start) or _squash(bounded_text(el, 2 * len(own) + 40)) != own:
            continue
        while True:  # innermost: a child that holds the whole title is the heading itself
            inner = next((c for c in el if isinstance(c.tag, str) and _squash(bounded_text(c, 2 * len(own) + 40))
                          == own), None)
            if inner is None:
                break
            el = inner
        if _heading_text(el, sites) and not _ends_a_trail(el):
            return el
    return None


def _ends_a_trail(el: etree._Element) -> bool:
    """True when the element follows a link and a breadcrumb separator (首页 > 栏目 > <span>标题</span>)."""
    previous = el.getprevious()
    return previous is not None and previous.tag == "a" and bool(BREADCRUMB_SEP.search(previous.tail or ""))


def page_title(root: etree._Element) -> str | None:
    title_el = root.find(".//title")
    return bounded_text(title_el, 1000) if title_el is not None else None


def date_under(lines: list[Line], el: etree._Element | None) -> str | None:
    """The date of an unlabelled line just under the heading (``www.x.gov.cn 2019-04-12 来源：…``).

    Only the text before the line's first label counts, and it must be short and hold little Chinese besides
    the date: "（2021年3月1日在县人大会议上的讲话）" under a title is no publication date."""
    if el is None:
        return None

    def under(line: Line) -> bool:
        return line.block is el or any(anc is el for anc in _ancestors(line.block, 4))

    start = next((i for i, line in enumerate(lines) if under(line)), None)
    if start is None:
        return None
    while start < len(lines) and under(lines[start]):
        start += 1
    for line in lines[start: start + DATE_LINE_LOOKAHEAD]:
        text = line.text.replace(INLINE_MARK, " ")
        if len(text) > DATE_LINE_MAX:
            return None
        tokens = list(LABEL_TOKEN.finditer(line.text))[:20]
        before = line.text[: tokens[0].start()].replace(INLINE_MARK, " ") if tokens else text
        match = DATE_RE.search(unicodedata.normalize("NFKC", before))
        if match:
            rest = before[: match.start()] + before[match.end():]
            if len(re.findall(r"[\u4e00-\u9fff]", rest)) <= DATE_LINE_CJK:
                return parse_date(match.group())
            return None
        # 日期：… / 更新时间：… on the line under the heading: labels of no field of ours that name a date
        for token, nxt in zip(tokens, tokens[1:] + [None], strict=False):
            label = _label_of(token)
            if label not in FIELD_LABELS and DATE_WORD.search(label):
                found = parse_date(line.text[token.end(): nxt.start() if nxt else len(line.text)])
                if found:
                    return found
    return None


# --- column (breadcrumb) -------------------------------------------------------------------------------------

def _breadcrumb_tokens(el: etree._Element):
    """("link", text) for each anchor and ("text", text) for other text, in document order."""
    if not isinstance(el.tag, str) or el.tag in ("script", "style"):
        return
    if el.tag == "a":
        yield "link", normalize_space(bounded_text(el, 200))
        return
    yield "text", el.text or ""
    for child in el:
        yield from _breadcrumb_tokens(child)
        yield "text", child.tail or ""


def _crumbs(el: etree._Element, after_label: bool) -> list[str]:
    """Crumbs: every link, and plain text that follows a separator (or the label)."""
    crumbs: list[str] = []
    pending: list[str] = []
    started = not after_label

    def flush() -> None:
        crumbs.extend(normalize_space(p) for p in BREADCRUMB_SEP.split("".join(pending))[1:])
        pending.clear()

    for kind, text in _breadcrumb_tokens(el):
        if not started:
            match = BREADCRUMB_LABEL.search(text) if kind == "text" else None
            if match:
                started = True
                pending.append(">" + text[match.end():])
        elif kind == "link":
            flush()
            crumbs.append(text)
        else:
            pending.append(text)
    flush()
    return [c for c in crumbs if c]


def column(root: etree._Element) -> str | None:
    """The breadcrumb (当前位置 … or a *breadcrumb* class) as 'a > b > c'.

    From the label we climb while the enclosing element still grows the trail and stays small: the trail's
    links may sit in sibling cells or list items. The climb stops below <body>: a page whose document is
    rendered by script has a short body, and its footer links are no crumbs.
    """
    nodes = root.xpath("//text()[contains(., '位置')][not(ancestor::script or ancestor::style)]")
    for node in nodes[:MAX_CRUMB_NODES]:
        if not BREADCRUMB_LABEL.search(str(node)):
            continue
        best: list[str] = []
        block = node.getparent()
        if block is not None and not isinstance(block.tag, str):
            block = block.getparent()   # text after a comment or PI is its parent element's
        while (block is not None and block.tag != "body"
               and len(normalize_space(bounded_text(block, 20 * BREADCRUMB_MAX))) <= BREADCRUMB_MAX):
            crumbs = _crumbs(block, after_label=True)
            if best and len(crumbs) <= len(best):
                break
            best = crumbs or best
            block = block.getparent()
        if best:
            return " > ".join(best)
    for el in root.xpath("//*[contains(translate(@class,'BREADCRUMB','breadcrumb'),'breadcrumb')]")[:MAX_CRUMB_NODES]:
        if text_exceeds(el, 10 * BREADCRUMB_MAX):
            continue
        crumbs = _crumbs(el, after_label=False)
        if crumbs:
            return " > ".join(crumbs)
    return None


# --- all together --------------------------------------------------------------------------------------------

def page_metadata(page: Page) -> dict:
    """The page's metadata fields (see FIELDS), ranked box > DETAIL > meta tags > info line > PubDate."""
    names = page.meta_names
    labelled = page.labelled
    ranked = {
        "box": labelled.box,
        "detail": mapped_fields(page.detail, DETAIL_FIELDS),
        "meta": _own_meta(mapped_fields(names, META_FIELDS), page.sites),
        "info": {**({"published_date": page.date_line} if page.date_line else {}), **labelled.info},
        "last": mapped_fields(names, META_LAST),
    }
    result = {fld: next((ranked[r][fld] for r in RANKS if ranked[r].get(fld)), None) for fld in FIELDS}
    result.update(title=page.title, column=page.column)
    result["doc_no"] = result["doc_no"] or _title_doc_no(page.title)
    return result


def _own_meta(meta: dict, sites: set[str]) -> dict:
    """The meta-tag fields without a ContentSource that merely repeats the SiteName when that is a website's
    name (…网, …网站, …平台): a template default that names the platform, not where the document came from.
    A government site named for its government (城口县人民政府) is its documents' source, and stays."""
    source = meta.get("source")
    if source and _canonical(source) in sites and WEBSITE_NAME.search(source):
        meta = {k: v for k, v in meta.items() if k != "source"}
    return meta


def page_title_of(page: Page) -> str | None:
    """The document's title: ArticleTitle, the box's 标题, the DETAIL title, the heading, then <title>."""
    sites = page.sites
    meta = mapped_fields(page.meta_names, META_FIELDS)
    detail = mapped_fields(page.detail, DETAIL_FIELDS)
    return (strip_site_name(meta.get("title"), sites) or strip_site_name(page.labelled.box.get("title"), sites)
            or strip_site_name(detail.get("title"), sites) or page.heading[0]
            or strip_site_name(page.page_title, sites))


def _title_doc_no(title: str | None) -> str | None:
    """A 文号 the title carries in its closing brackets: …的报告（汝政文〔2022〕9号）."""
    match = TITLE_DOC_NO.search(title or "")
    return match.group(1) if match else None


def extract_metadata(html: str, url: str | None = None) -> dict:
    """The page's metadata fields (see FIELDS); None for whatever the page does not state."""
    from .page import Page
    return Page(html, url).metadata
