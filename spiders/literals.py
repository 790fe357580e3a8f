"""Menus a portal keeps as a JavaScript data literal and renders with its own template — read, never run.

`var menuData = {"menu": [{"n": "政务公开", "u": "/zwgk/", "c": [{"n": "政府信息公开", "u": …}]}]}`
then `$.each(menuData.menu, function (i, m) { li.append("<a href='" + m.u + "'>" + m.n + "</a>") })`:
the menu is nested (a parent item holds its children), and its keys are whatever the developer
chose — here `n` and `u`, which no list of usual key names (name/title/url/href …) can know. The
script says which is which: the template it renders an item with puts one property in the href
(`href='" + m.u + "'`, `.attr("href", m.u)`) and one between the tags (`'>" + m.n + "</a>'`,
`.text(m.n)`). So:

- object and array literals assigned in a script (`= {…}` / `= […]`) are parsed whole, at any
  depth, as relaxed JSON (single quotes, bare keys and trailing commas allowed), each at most
  MAX_LITERAL_CHARS;
- the keys its templates render are read from the same script (template_keys);
- every object of the literal with a text under the rendered text key (or a usual name key) and
  an address under the rendered href key (or a usual link key) is a link (literal_links); a file
  it links straight is dated by the object's date (`"d": "2022-03-11"`), whatever its key.
"""
from __future__ import annotations

import json
import re

from crawler.extract.attachments import attachment_kind

from .base import DATE, MAX_LINKS, Entry, absolute, clean, day_of, inline_scripts
from .scripts import MAX_SCRIPT_CHARS, menu_item, unquoted

MAX_LITERAL_CHARS = 200_000
MAX_LITERALS = 50
OPENING = re.compile(r"(?<![=!<>])=\s*(?=[\[{])")
# "<a href='" + m.u + "'>" … / .attr("href", m.u) / href: item.link — the item named directly (m.u) or
# indexed in its array, as a plain `for` loop renders it (menus[i].u, data.list[k].url), its key after a
# dot or in brackets (menus[i]["u"])
ITEM = r"""[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)*(?:\[\s*[\w$]+\s*\])?"""
KEY = r"""(?:\.([A-Za-z_$][\w$]*)|\[\s*["']([A-Za-z_$][\w$]*)["']\s*\])"""
HREF_KEY = re.compile(rf"""href\s*=\s*\\?["']?\s*["']\s*\+\s*{ITEM}{KEY}"""
                      rf"""|\.attr\(\s*["']href["']\s*,\s*{ITEM}{KEY}""")
TEXT_KEY = re.compile(rf""">\s*["']\s*\+\s*{ITEM}{KEY}\s*\+\s*["']\s*</(?P<tag>\w*)"""
                      rf"""|\.(?:text|html)\(\s*{ITEM}{KEY}\s*\)""")
BARE_KEY = re.compile(r"""([{,]\s*)([A-Za-z_$][\w$]*)\s*:""")
TRAILING_COMMA = re.compile(r",\s*([}\]])")
CHILD_LIMIT = 20_000
# a row's date and nothing else (`2022-03-11`, `2022/3/11 09:30`, `2022年03月11日`): its key may be anything (`d`)
ROW_DAY = re.compile(rf"\s*(?:{DATE.pattern})日?(?:[\sT]+\d{{1,2}}:\d{{2}}(?::\d{{2}})?)?\s*")


def template_keys(code: str) -> tuple[set[str], set[str]]:
    """(text keys, address keys) the script's templates render an item's properties into."""
    texts, urls = rendered_keys(code)
    return set(texts), set(urls)


def rendered_keys(code: str) -> tuple[list[str], list[str]]:
    """template_keys in the order an item's link is named by: a row template renders more than the
    link's text between tags (`<a href="' + r.u + '">' + r.t + '</a><span>' + r.d + '</span>`), and
    the key rendered as the <a>'s own text names it — not the date in the span after it; then the
    others, as the script writes them. Ordered, so that the name never rests on a set's order."""
    code = code[:MAX_SCRIPT_CHARS]
    urls = list(dict.fromkeys(next(g for g in m.groups() if g) for m in HREF_KEY.finditer(code)))
    rendered = [(next(g for g in m.group(1, 2, 4, 5) if g), (m.group("tag") or "").lower() == "a")
                for m in TEXT_KEY.finditer(code)]
    texts = [key for key, _ in sorted(rendered, key=lambda r: not r[1])]   # the link's own text first
    return [key for key in dict.fromkeys(texts) if key not in urls], urls


def _balanced(code: str, start: int) -> str | None:
    """The bracketed literal opening at code[start] up to its matching bracket (strings respected)."""
    depth = 0
    for i, c in unquoted(code, start, start + MAX_LITERAL_CHARS):
        if c in "[{":
            depth += 1
        elif c in "]}":
            depth -= 1
            if depth == 0:
                return code[start:i + 1]
    return None


def _relaxed_json(text: str):
    """A JavaScript literal as JSON: as is, else with single quotes, bare keys and trailing commas
    made JSON's. None when it is still not JSON (it holds calls, names …)."""
    for candidate in (text, _jsonish(text)):
        try:
            return json.loads(candidate)
        except ValueError:
            continue
    return None


def _jsonish(text: str) -> str:
    out, quote, i = [], None, 0
    while i < len(text):   # single-quoted strings → double-quoted
        c = text[i]
        if quote:
            if c == "\\" and i + 1 < len(text):
                nxt = text[i + 1]
                out.append("'" if nxt == "'" else c + nxt)
                i += 2
                continue
            if c == quote:
                out.append('"')
                quote = None
            elif c == '"' and quote == "'":
                out.append('\\"')
            else:
                out.append(c)
        elif c in "\"'":
            quote = c
            out.append('"')
        else:
            out.append(c)
        i += 1
    return TRAILING_COMMA.sub(r"\1", BARE_KEY.sub(r'\1"\2":', "".join(out)))


def script_literals(code: str) -> list:
    """The parsed object and array literals the script assigns (`var menu = {…}`, `x.data = […]`)."""
    code = code[:MAX_SCRIPT_CHARS]
    found = []
    for tried, m in enumerate(OPENING.finditer(code)):
        if len(found) >= MAX_LITERALS or tried >= 4 * MAX_LITERALS:
            break
        text = _balanced(code, m.end())
        if text and (data := _relaxed_json(text)) is not None:
            found.append(data)
    return found


def script_records(selector, base: str) -> list[Entry]:
    """Entries a list page keeps in an inline data literal for its script to render
    (`var list = [{title: "…2024年…年度报告", url: "./202503/t…html", date: "2025-03-20"}]`)."""
    found: list[Entry] = []
    for code in inline_scripts(selector):
        if "=" in code and ("{" in code or "[" in code):
            found += literal_links(code, base)
        if len(found) >= MAX_LINKS:
            break
    return found[:MAX_LINKS]


# an element handing its component the list as JSON in an attribute (Vue props rendered by the server,
# `<div id="nbList" data-items="[{&quot;title&quot;: …}]">`): a value that opens an array or an object
JSON_ATTRIBUTES = (f"(//*[@*[starts-with(normalize-space(.), '[{{') or starts-with(normalize-space(.), '{{')]])"
                   f"[position() <= {MAX_LINKS}]")
MAX_ATTRIBUTE_CHARS = 400_000


def attribute_records(selector, base: str) -> list[Entry]:
    """Entries a list page keeps as JSON in an element's attribute for its script to render and page
    in the browser (`<div data-items="[{&quot;title&quot;: &quot;…年度报告&quot;, &quot;url&quot;:
    …}]" data-page-size="8">`, a Vue component's props; `:list='[…]'`): the whole column is in the
    page, none of it in a link. Attributes that are no JSON (`style="{…}"` templates) say nothing."""
    values = []
    for el in selector.root.xpath(JSON_ATTRIBUTES):
        for value in el.attrib.values():
            value = value.strip()
            if value[:1] in "[{" and len(value) <= MAX_ATTRIBUTE_CHARS:
                try:
                    values.append(json.loads(value))
                except ValueError:
                    continue
    return _records(values, base)[:MAX_LINKS] if values else []


def literal_links(code: str, base: str) -> list[Entry]:
    """Links in the script's data literals, their keys read from its templates, else the usual ones."""
    literals = script_literals(code)
    if not literals:
        return []
    texts, urls = rendered_keys(code)
    return _records(literals, base, texts, urls)


def _records(literals: list, base: str, texts=(), urls=()) -> list[Entry]:
    """Entries of the data values' records (any depth): named by the keys a template renders
    (`texts`, `urls`), else by the usual ones (menu_item); a file dated by its row."""
    found: list[Entry] = []
    stack, seen = list(reversed(literals)), 0
    while stack and seen < CHILD_LIMIT and len(found) < MAX_LINKS:
        node = stack.pop()
        seen += 1
        if isinstance(node, dict):
            fields = {str(k): v for k, v in node.items() if isinstance(v, str)}
            text = next((fields[k] for k in texts if fields.get(k)), None)
            target = next((fields[k] for k in urls if fields.get(k)), None)
            if not (text and target):
                text, target = menu_item(fields)
            if text and (url := absolute(base, target)):
                found.append(Entry(url, clean(text), _row_day(fields, url)))
            stack.extend(reversed(list(node.values())))
        elif isinstance(node, list):
            stack.extend(reversed(node))
    return found


def _row_day(fields: dict[str, str], url: str) -> str | None:
    """The date a data row gives beside a file it links straight (`{"t": …, "u": "….pdf", "d":
    "2022-03-11"}`): the file has no page of its own to say when it was published, and the row's
    date is what the list shows beside it. None for a page (its own page dates it)."""
    if not attachment_kind(url):
        return None
    return next((day_of(v) for v in fields.values() if ROW_DAY.fullmatch(v)), None)
