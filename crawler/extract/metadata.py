"""What a report page states about the report: title, 索引号, 文号, issuer, dates, source, column.

Government pages state these three ways, and we trust them in this order:
the page's own 政务公开 box (label/value tables, ``[ 索引号 ]`` bracket spans,
``索引号: … 发布机构: …`` colon lines, ``<li>索&ensp;引&ensp;号：<font>``),
then the 政府网站 meta tags (ArticleTitle, PubDate, ContentSource), then the
info line above the body (``发布时间：… 来源：…``). Every form is read from the
same text lines, so one label table serves them all. The body container is
left out: a report's own text is never its metadata. A 广东 gkmlpt page
states its fields only in its ``_CONFIG.DETAIL`` JSON; those keys rank with
the box.
"""
from __future__ import annotations

import re
import unicodedata
from datetime import date

from lxml import etree

from .body import (
    BOX_LABELS, INFO_LABELS, INLINE_MARK, OTHER_LABELS, content_container, detail_json, normalize_space,
    parse_html, spaced_label, text_lines,
)

TITLE_DOC_NO = re.compile(r"[（(]\s*([A-Za-z\u4e00-\u9fff]{1,12}[〔\[［]\s*(?:19|20)\d{2}\s*[〕\]］]\s*\d+\s*号)\s*[)）]\s*$")
FIELDS = ("title", "index_no", "doc_no", "publisher", "written_date", "published_date", "source", "column")
DATE_FIELDS = ("written_date", "published_date")
EMPTY_VALUES = {"", "无", "暂无", "-", "—", "/", "null", "none"}
# 政府网站 meta tag names (lower-cased); gov.cn's own templates say firstpublishedtime.
META_FIELDS = {"articletitle": "title", "pubdate": "published_date", "firstpublishedtime": "published_date",
               "contentsource": "source"}
# gkmlpt _CONFIG.DETAIL keys: identifier is the 索引号, created_at the 成文日期, publish_time the 发布日期.
DETAIL_FIELDS = {"title": "title", "identifier": "index_no", "document_number": "doc_no", "publisher": "publisher",
                 "created_at": "written_date", "publish_time": "published_date", "source": "source"}

_GAP = rf"[\s{INLINE_MARK}]"  # whitespace or an inline element edge
_KNOWN = sorted([*BOX_LABELS, *INFO_LABELS, *OTHER_LABELS], key=len, reverse=True)
_KNOWN_ALT = "|".join(spaced_label(lab, _GAP) for lab in _KNOWN)
# A label token: bracketed "[ 索引号 ]", or a label followed by a colon. It
# starts the line or follows a space, bracket or element edge, so that
# "行政处罚决定书文号" holds no 文号; a known label may also follow a colon
# ("发文字号:成文时间:"). Unknown short CJK words with a colon end the previous
# value too.
_AFTER_GAP = rf"(?:^|(?<=[\s\]】|｜{INLINE_MARK}]))"
LABEL_TOKEN = re.compile(
    rf"{_AFTER_GAP}[\[【]{_GAP}*(?P<bracket>[^\[\]【】]{{1,16}}?){_GAP}*[\]】]{_GAP}*[:：]?"
    rf"|(?:^|(?<=[\s\]】|｜:：{INLINE_MARK}]))(?P<known>{_KNOWN_ALT}){_GAP}*[:：]"
    rf"|{_AFTER_GAP}(?P<other>[\u4e00-\u9fff]{{2,6}}){_GAP}*[:：]"
)
LABEL_ONLY = re.compile(rf"^(?:[\[【]\s*)?(?P<label>{_KNOWN_ALT})(?:\s*[\]】])?\s*[:：]?$")
# A value ends at a wide gap: U+3000, or two spaces / nbsp in a row.
VALUE_END = re.compile(r"\u3000|[ \xa0\u2002\u2003]{2,}")
DATE_RE = re.compile(r"(?<!\d)(\d{4})\s*[-年/.]\s*(\d{1,2})\s*[-月/.]\s*(\d{1,2})(?!\d)")
BREADCRUMB_LABEL = re.compile(r"(?:您)?(?:当前|所在)(?:的)?位置\s*[:：]?|您的位置\s*[:：]?")
BREADCRUMB_MAX = 200
BREADCRUMB_SEP = re.compile(r"\s*(?:>>|->|>|›|»|→|＞)\s*")
TITLE_SEP = re.compile(r"(\s+[-–|]\s+|_+|\||——|(?<!\d)-(?!\d))")
SITE_NAME = re.compile(r"(?:人民政府|政府|行政公署|管委会|管理委员会|门户网站|政府网|网站|网)$")
# A department's site (蚌埠市司法局, 广东省教育厅, 国家统计局): an all-CJK name that starts at a
# division (…省/市/区/县/州/盟/旗/镇/乡) or 国家 and ends as an organ does. The division keeps a
# slogan that merely ends in 局 (开创发展新局) a title.
AGENCY_NAME = re.compile(r"^(?:国家|[\u4e00-\u9fff]{1,10}?[省市区县州盟旗镇乡])[\u4e00-\u9fff]{1,12}?"
                         r"(?:局|委员会|委|办公室|办|厅|署|院|中心)$")


def parse_date(text: str | None) -> str | None:
    """ISO YYYY-MM-DD from 2021-07-23, 2021/7/23, 2021.07.23, 2021年7月23日 (10:09); else None."""
    match = DATE_RE.search(unicodedata.normalize("NFKC", text or ""))
    if not match:
        return None
    try:
        return date(*map(int, match.groups())).isoformat()
    except ValueError:
        return None


def _canonical(label: str) -> str:
    return re.sub(rf"{_GAP}+", "", label)


def _clean(value: str | None) -> str | None:
    """A stated value, or None for an empty, placeholder (无) or un-rendered template ({{x}}) one."""
    value = normalize_space(value or "")
    return None if value.lower() in EMPTY_VALUES or "{{" in value else value


def _label_value(raw: str | None) -> str | None:
    """The value after a label: up to the next wide gap, inline element edges removed."""
    value = (raw or "").replace(INLINE_MARK, "").strip().lstrip(":：").strip()
    return _clean(VALUE_END.split(value, 1)[0])


def _line_pairs(lines: list[tuple[str, bool]]):
    """(label, raw value) for every label on the raw text lines, in document order.

    A label alone in a cell takes the next cell as its value, unless that cell
    is itself a label: an empty 发文字号 never swallows the next field.
    """
    for i, (text, cell) in enumerate(lines):
        only = LABEL_ONLY.match(normalize_space(text.replace(INLINE_MARK, "")))
        if only and cell:
            nxt_text, nxt_cell = lines[i + 1] if i + 1 < len(lines) else ("", False)
            nxt_label = LABEL_ONLY.match(normalize_space(nxt_text.replace(INLINE_MARK, "")))
            yield _canonical(only.group("label")), nxt_text if nxt_cell and not nxt_label else None
            continue
        tokens = list(LABEL_TOKEN.finditer(text))
        for token, nxt in zip(tokens, tokens[1:] + [None]):
            label = token.group("bracket") or token.group("known") or token.group("other")
            yield _canonical(label), text[token.end(): nxt.start() if nxt else len(text)]


def _header_row_fields(root: etree._Element) -> dict:
    """Boxes laid out as a row of labels over a row of values (索引号 | 发布机构 | 文号 / the
    values beneath), read column by column. The two rows are then removed: read line by
    line, each label would be followed by another label and the last take the first value."""
    box: dict = {}
    for row in list(root.iter("tr")):
        below = row.getnext()
        if row.getparent() is None or below is None:
            continue
        cells, values = _cells(row), _cells(below)
        labels = [_canonical(normalize_space(c.text_content())).rstrip(":：") for c in cells]
        if len(cells) < 2 or len(values) != len(cells) or not all(lab in BOX_LABELS for lab in labels):
            continue
        for label, cell in zip(labels, values):
            field, value = BOX_LABELS[label], _clean(cell.text_content())
            value = parse_date(value) if field in DATE_FIELDS else value
            if value is not None:
                box.setdefault(field, value)
        row.drop_tree()
        below.drop_tree()
    return box


def _cells(row: etree._Element) -> list[etree._Element]:
    return [c for c in row if c.tag in ("td", "th")]


def _labelled_fields(root: etree._Element) -> tuple[dict, dict]:
    """Fields stated by the box labels and by the info-line labels (first occurrence wins)."""
    box: dict = _header_row_fields(root)
    info: dict = {}
    for label, raw in _line_pairs(text_lines(root, raw=True)):
        target, field = (box, BOX_LABELS.get(label)) if label in BOX_LABELS else (info, INFO_LABELS.get(label))
        if field is None or field in target:
            continue
        value = _label_value(raw)
        value = parse_date(value) if field in DATE_FIELDS else value
        if value is not None:
            target[field] = value
    return box, info


def _meta_names(root: etree._Element) -> dict[str, str]:
    """Non-empty <meta name content> pairs, names lower-cased: sites write PubDate, pubdate, PUBDATE …"""
    names: dict[str, str] = {}
    for meta in root.iter("meta"):
        attrs = {k.lower(): v for k, v in meta.attrib.items()}
        name, value = (attrs.get("name") or "").lower(), _clean(attrs.get("content"))
        if name and value:
            names.setdefault(name, value)
    return names


def _mapped_fields(source: dict, mapping: dict[str, str]) -> dict:
    """Fields from named values (meta tags, DETAIL keys); the first name mapped to a field wins.
    Non-string values (a JSON number, null) state nothing."""
    found: dict = {}
    for name, field in mapping.items():
        value = _clean(source[name]) if isinstance(source.get(name), str) else None
        value = parse_date(value) if field in DATE_FIELDS else value
        if value is not None:
            found.setdefault(field, value)
    return found


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
    # Cut at the first separator after which some segment names a site …
    end = next((i for i in range(1, len(texts)) if any(_names_site(t, sites) for t in texts[i:])), len(texts))
    # … and drop a leading site name ("保定市人民政府网——…").
    start = 1 if end > 1 and _names_site(texts[0], sites) else 0
    kept = parts[2 * start: 2 * end - 1]
    return _clean("".join(kept))


def _heading_title(root: etree._Element, sites: set[str]) -> str | None:
    xpath = "//h1 | //*[@id='title'] | //*[contains(concat(' ', normalize-space(@class), ' '), ' title ')]"
    for el in root.xpath(xpath):
        text = normalize_space(el.text_content())
        if text and not _names_site(text, sites):
            return text
    return None


def _breadcrumb_tokens(el: etree._Element):
    """("link", text) for each anchor and ("text", text) for other text, in document order."""
    if not isinstance(el.tag, str) or el.tag in ("script", "style"):
        return
    if el.tag == "a":
        yield "link", normalize_space(el.text_content())
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


def _column(root: etree._Element) -> str | None:
    """The breadcrumb (当前位置 … or a *breadcrumb* class) as 'a > b > c'.

    From the label we climb while the enclosing element still grows the trail
    and stays small: the trail's links may sit in sibling cells or list items.
    The climb stops below <body>: a page whose document is rendered by script
    has a short body, and its footer links are no crumbs.
    """
    for node in root.xpath("//text()[contains(., '位置')][not(ancestor::script or ancestor::style)]"):
        if not BREADCRUMB_LABEL.search(str(node)):
            continue
        best: list[str] = []
        block = node.getparent()
        while (block is not None and block.tag != "body"
               and len(normalize_space(block.text_content())) <= BREADCRUMB_MAX):
            crumbs = _crumbs(block, after_label=True)
            if best and len(crumbs) <= len(best):
                break
            best = crumbs or best
            block = block.getparent()
        if best:
            return " > ".join(best)
    for el in root.xpath("//*[contains(translate(@class,'BREADCRUMB','breadcrumb'),'breadcrumb')]"):
        crumbs = _crumbs(el, after_label=False)
        if crumbs:
            return " > ".join(crumbs)
    return None


def extract_metadata(html: str, url: str | None = None) -> dict:
    """The page's metadata fields (see FIELDS); None for whatever the page does not state."""
    root = parse_html(html)
    names = _meta_names(root)
    sites = {_canonical(names["sitename"])} if "sitename" in names else set()
    meta = _mapped_fields(names, META_FIELDS)
    title_el = root.find(".//title")
    page_title = title_el.text_content() if title_el is not None else None
    column = _column(root)
    heading = _heading_title(root, sites)
    body = content_container(root)
    if body is not None and body.getparent() is not None:
        body.drop_tree()
    box, info = _labelled_fields(root)
    detail = _mapped_fields(detail_json(html), DETAIL_FIELDS)
    fields = {**info, **meta, **detail, **box}
    title = (
        strip_site_name(meta.get("title"), sites) or strip_site_name(box.get("title"), sites)
        or strip_site_name(detail.get("title"), sites) or heading or strip_site_name(page_title, sites)
    )
    result = {field: fields.get(field) for field in FIELDS}
    result.update(title=title, column=column, doc_no=result["doc_no"] or _title_doc_no(title))
    return result


def _title_doc_no(title: str | None) -> str | None:
    """A 文号 the title carries in its closing brackets: …的报告（汝政文〔2022〕9号）."""
    match = TITLE_DOC_NO.search(title or "")
    return match.group(1) if match else None
