"""广东 gkmlpt (政府信息公开目录平台): a JavaScript catalogue over a JSON API.

The list page `/<site>/gkmlpt/index#<catId>` renders nothing itself; it embeds
`SID: '200025'` and the catalogue tree, and the browser asks
`/<site>/gkmlpt/api/all/{catId}?page={n}&sid={SID}` → `{"articles": [{"title",
"url" | "post_url", …}], "total": N}`. Pages are 1-based; page 1 tells the page size
and the total. Some sites put everything on page 1 and answer 404 for page 2, others
omit the total — then the next page is asked for until one comes back empty (or 404).

Assumptions: the category is the URL fragment (the browser never sends it, so it is
read from the request; links keep it, spiders/base.py routed_fragment, and a catalogue
linking `index#1370` and `index#1371` as its two report columns asks the one page once, its
routes — category → report type — in the request's `routes`, spiders/base.py fold_routes);
without a fragment, the categories are the tree entries (`"id": 123, "name": "…"`)
whose name is a report column.

Not every deployment embeds a SID: a catalogue whose own script asks
`fetch("/gkmlpt/api/all/" + id + "?page=" + page)` (its categories an inline array, the id
taken from the fragment) is asked just so, with no `sid` — what the page's script sends, never
a parameter it does not. A page under /gkmlpt/ that names neither a SID nor that address is
not taken for a catalogue.
"""
from __future__ import annotations

import math
import re
from datetime import datetime, timedelta, timezone
from urllib.parse import urlsplit

import scrapy
from scrapy.http import Response

from crawler.extract.classify import column_kind

from .base import Entry, absolute, clean, day_of, is_html, json_of, meta_of, param, to_int

SID = re.compile(r"\bSID['\"]?\s*:\s*['\"]?(\d+)", re.I)   # `SID: '200025'` or JSON `"SID": "200031"`
# a column page's own variable (`var SID = '2106000'`), read only where its script builds the API address
SID_VARIABLE = re.compile(r"(?<![\w$.])SID\s*=\s*['\"]?(\d+)")
# braces, and strings (whose braces are text): the tokens that nest the tree's nodes
TREE_TOKEN = re.compile(r"""[{}]|"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'""")
NODE_FIELD = re.compile(r"""(?<![\w$])["']?(id|catid|cat_id|name|title|catname|parent|pid|parent_id|parentid)["']?"""
                        r"""\s*:\s*(?:(\d+)|["']([^"']+)["'])""", re.I)
PARENT_KEYS = ("parent", "pid", "parent_id", "parentid")
API_PATH = re.compile(r"/gkmlpt/api/all/(\d+)$")
# the page's own script builds the API address from a category id (a deployment without SID)
SCRIPTED_API = re.compile(r"""["'][^"'\n]*\bapi/all/["']\s*\+""")
# the name the script appends to that address (`'/gkmlpt/api/all/' + CAT + '?page='`)
SCRIPTED_NAME = re.compile(r"""["'][^"'\n]*\bapi/all/["']\s*\+\s*([A-Za-z_$][\w$]*)""")


def api_base(url: str) -> str | None:
    """`http://host/site/gkmlpt/` for any address under a gkmlpt catalogue."""
    path = urlsplit(url).path
    cut = path.find("/gkmlpt/")
    if cut < 0:
        return None
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}{path[:cut]}/gkmlpt/"


def api_url(url: str, category: str, page: int, sid: str | None) -> str:
    """The API address of one category's page, with the catalogue's SID when it has one."""
    return f"{api_base(url)}api/all/{category}?page={page}" + (f"&sid={sid}" if sid else "")


def catalogue_sid(text: str) -> tuple[bool, str | None]:
    """(is this a catalogue page, its SID): a page embedding `SID: '…'`, or one whose script
    builds the `api/all/` address itself (then no SID: the script sends none)."""
    sid = SID.search(text)
    if sid:
        return True, sid.group(1)
    if not SCRIPTED_API.search(text):
        return False, None
    assigned = SID_VARIABLE.search(text)   # `var SID = '…'; … '/gkmlpt/api/all/' + CAT + '&sid=' + SID`
    return True, assigned.group(1) if assigned else None


def categories(response: Response) -> list[str]:
    """The catalogue categories a list page stands for: the routes it was asked for, its address's
    fragment, the report columns of its tree."""
    asked = response.request.url if response.request is not None else response.url
    fragment = urlsplit(asked).fragment
    named = list(meta_of(response).get("routes") or ()) + ([fragment] if fragment.isdigit() else [])
    named += scripted_categories(response.text)
    return list(dict.fromkeys(named + report_categories(tree_nodes(response.text))))


def scripted_categories(text: str) -> list[str]:
    """The category a column page's own script asks for when it names it in a variable
    (`var CAT = 1081; … '/gkmlpt/api/all/' + CAT + '?page=' + page`): a deployment with one static
    page per column (`/gkmlpt/index_1081.html`, no fragment, no tree) fixes its category so. A name
    the script never assigns a number (a function's argument, the fragment read at run time) says
    nothing."""
    found = []
    for name in dict.fromkeys(SCRIPTED_NAME.findall(text)):
        assigned = re.search(rf"""(?<![\w$.]){re.escape(name)}\s*[:=]\s*['"]?(\d+)['"]?\s*[;,}}\n]""", text)
        if assigned:
            found.append(assigned.group(1))
    return found


def report_categories(nodes: list[tuple[str, str, str | None]]) -> list[str]:
    """The ids of the report columns in the tree and of every node under one. A 年报 column split by
    whose reports it holds (市政府 / 市直部门 / 县（市、区） children) often lists nothing itself: its
    reports are only in the children, whose names say nothing of a report."""
    parents = {node: parent for node, _, parent in nodes}
    reporting = {node for node, name, _ in nodes if column_kind(name)}

    def under_report_column(node: str | None) -> bool:
        seen = set()
        while node is not None and node not in seen:
            if node in reporting:
                return True
            seen.add(node)
            node = parents.get(node)
        return False
    return [node for node, _, _ in nodes if under_report_column(node)]


def tree_nodes(text: str) -> list[tuple[str, str, str | None]]:
    """(id, name, parent id) of each catalogue node in the page's tree (`window._CONFIG.TREE` or
    any array of `{id, name, …}` objects, keys in any order and quoted or not, children nested in a
    node's own `children: [{…}]`). A node's fields are the text at its own depth, so a parent's
    id and name are read around its children, whichever comes first."""
    nodes, stack, last = [], [], 0   # stack: [own text pieces, index in nodes or None]
    for m in TREE_TOKEN.finditer(text):
        if stack:
            stack[-1][0].append(text[last:m.start()])
        last = m.end()
        token = m.group()
        if token == "{":
            stack.append([[], len(nodes)])
            nodes.append(None)   # placed now so that a parent precedes its children
        elif token == "}":
            if not stack:
                continue
            own, index = stack.pop()
            fields = {key.lower(): number or string for key, number, string in NODE_FIELD.findall("".join(own))}
            node = next((fields[k] for k in ("id", "catid", "cat_id") if fields.get(k, "").isdigit()), None)
            name = next((fields[k] for k in ("name", "catname", "title") if fields.get(k)), None)
            named = next((fields[k] for k in PARENT_KEYS if fields.get(k, "").isdigit()), None)
            nodes[index] = (node, name, stack[-1][1] if stack else None, named) if node and name else None
        elif stack:
            stack[-1][0].append(token)   # a string at this depth: a field's key or value
    ids = {index: node[0] for index, node in enumerate(nodes) if node}
    # nested in its parent node, else in a flat list naming it (`"parent": 131`, `pid`)
    return [(node, name, ids.get(nested) or named) for node, name, nested, named in filter(None, nodes)]


DATE_KEYS = ("date", "publish_date", "pubdate", "display_publish_time", "first_publish_time", "publish_time")
CHINA = timezone(timedelta(hours=8))


def published(article: dict) -> str | None:
    """YYYY-MM-DD an article record says it was published: a date string (`"date": "2025-03-20"`)
    or the platform's epoch time (`"display_publish_time": 1742400000`, seconds or milliseconds,
    Beijing time). A file linked straight from the record has no page to say it, so the list's
    date is the report's publication date."""
    for key in DATE_KEYS:
        value = article.get(key)
        if isinstance(value, str) and (day := day_of(value)):
            return day
        if isinstance(value, (int, float)) and not isinstance(value, bool) and value > 0:
            seconds = value / 1000 if value > 10**11 else value
            return datetime.fromtimestamp(seconds, CHINA).strftime("%Y-%m-%d")
    return None


def answer(response: Response) -> dict | None:
    data = json_of(response)
    return data if isinstance(data, dict) and isinstance(data.get("articles"), list) else None


class GkmlptAdapter:
    name = "gkmlpt"

    def detect(self, response: Response) -> bool:
        if "/gkmlpt/" not in response.url:
            return False
        return answer(response) is not None if not is_html(response) else catalogue_sid(response.text)[0]

    def entries(self, response: Response):
        data = answer(response) if not is_html(response) else None
        found = []
        for article in (data or {}).get("articles", []):
            url = absolute(response.url, article.get("url") or article.get("post_url"))
            if url:
                found.append(Entry(url, clean(article.get("title")), published(article)))
        return found

    def more_pages(self, response: Response):
        if is_html(response):
            catalogue, sid = catalogue_sid(response.text)
            routes = meta_of(response).get("routes") or {}   # a route's own report type goes with it
            return [scrapy.Request(api_url(response.url, c, 1, sid), meta={"kind": routes[c]} if routes.get(c) else {})
                    for c in categories(response)] if catalogue else []
        return self._next_pages(response)

    @staticmethod
    def _next_pages(response: Response):
        data, category = answer(response), API_PATH.search(urlsplit(response.url).path)
        page, sid = to_int(param(response.url, "page"), 1), param(response.url, "sid")
        if not (data and data["articles"] and category):
            return []
        total = to_int(data.get("total"), None)
        size = meta_of(response).get("page_size") or len(data["articles"])   # page 1 tells the size
        if total is not None and page >= math.ceil(total / size):
            return []
        return [scrapy.Request(api_url(response.url, category.group(1), page + 1, sid),
                               meta={"page_size": size})]
