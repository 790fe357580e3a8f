"""List pages that are shells filled from a JSON API by the page's own script.

Many portal columns (站群 built on jQuery templates, newer 集约化 front ends) publish an empty
`<ul id="listBox"></ul>` and fill it in the browser:

    var channelId = "11043", pageSize = 5;
    function loadList(pageNo){ $.ajax({url: "/api/content/list", type: "get", dataType: "json",
        data: {channelId: channelId, pageSize: pageSize, pageNo: pageNo},
        success: function(res){ … res.data.list … item.url … item.title …
                                renderPager(res.data.pageNo, res.data.pageCount) } }) }
    loadList(1);

The call says everything a crawler needs: the service's address, its parameters in order (names
standing for the values the script assigned them), and which one is the page number. The adapter
asks for page 1 as the script would (GET with the parameters as a query, or a form POST when the
call says `type: "post"`, a JSON body for `data: JSON.stringify({…})`; `data: params` is the
object the script assigned to `params`; jQuery's shorthand `$.getJSON("/api/list", {…}, fn)`
names the address and the parameters as two arguments), reads the answer's objects that have a
title and an address (any depth, usual key names: spiders/scripts.py menu_item), and asks pages
2…N once the answer tells N (pageCount, totalPage, pages …, or total / pageSize) — when the list
is a report column or its first page lists a report (a home page's news widget may call such a
service too: its pages are not read through).

The page number may also be written into the address itself, the query built by concatenation
(`$.getJSON(api + n + "&pageSize=5", …)` with `var api = "/api/unit?pageId=12&pageNo="`, or the
whole address in one expression, also by a plain XMLHttpRequest: `x.open("GET", "/api/list?col=" +
col + "&page=" + p)`): the variable after a `pageNo=`-like key is the page, every other
piece a string literal or a string variable the script assigned (concatenated_call). A list kept
as static files, one per page, has the page in the path (`$.getJSON("/api/list/" + col + "/" +
page + ".json", …)` with `var col = 5066;`): a variable named as a page (page, pageNo, p, n …)
that names a path segment is the page there.

The call's pieces may be a configuration object's properties (`$.getJSON(conf.url, {pageNumber: n,
"filter[CHANNELID]": conf["filter[CHANNELID]"]})`, TRS IGS shells); a built address may come with
the call's data (`$.ajax({url: "/api/docs?col=" + c + "&page=" + n, type: "post", data: {siteId: s}})`,
`$.post("…search.jsp?infotypeId=…&currpage=" + p, {…}, fn)`): a POST keeps its page in the address
and sends the data as its form, as the browser does. The answer may be an HTML fragment the script
writes into the shell (大汉 信息公开目录's search.jsp): its links are the records, and its pager's
calls of the shell's function (`onclick="query(3)"`) say how many pages there are.

jQuery's `$("#list").load("list_" + n + ".html #docs > li")` is such a call too: the address is what
comes before the space, the selector after it the part of the (full) page answered that the shell
shows (loaded_part, selected_part); a script stating its count (`var totalPage = 2`) and testing no
bound of its own is asked that many pages (stated_count).

A 加载更多 button under a column's first rows calls such a service for HTML rows to append
(`var idx = 1; function loadMore(){ idx++; $.get("/Ajax/GetList.ashx", {nodeid: 12, pageindex: idx,
pagesize: 5}, function(h){ $("#list").append(h) }) }`): the counter raised before the call makes its
first page 2 (page 1 is the rows shown), and an HTML answer announces no count — each one as full as
the call's page size asks the next, a short or empty one is the last (_next_fragment).

The button may keep its next page, and its last, in its own attributes (`<a id="loadMore"
data-page="2" data-total="3">`, the handler reading `$(this).data("page")` into `"more_" + p + ".html"`
and hiding itself at `data("total")`): the page read there is the first asked (markup_numbers). TRS IGS
shells merge the page into a configuration object (`$.get("/igs/front/search/list.html",
$.extend({pageNumber: n}, igsParam), fn)`): the merged object is the call's data (extended_data). A
column whose script reads its whole list from an XML feed (`$.ajax({url: "/data/column_12.xml",
dataType: "xml"})`, `$(xml).find("item")`) has that feed as its one list page, its items the records
(feed_call, feed_records) — only on a column's page.

浙江's 集约化 jpaas unit build sends the page inside one parameter's JSON string (`$.get(unitUrl, q, fn)` with
`q = $.extend({}, unitParams, {paramJson: JSON.stringify({pageNo: n, pageSize: 5})})`): that parameter is
the page field, the number written into its string for each page (PAGE_SLOT), and the script's `var
totalPage` its last page when the answer (`{data: {html}}`) counts none. A DataTable's `ajax` option given
as jQuery's settings object (`ajax: {url, type: "POST", data: {colId}}`) is read within that object.

Only calls whose parameters include a page number are lists: hit counters, search boxes and
login checks (which portals also call by $.ajax) are no list and never asked (scripts.SIDE_EFFECT).
The service must be on the site's own hosts like every other request (the spider checks).
"""
from __future__ import annotations

import json
import math
import re
from urllib.parse import parse_qsl, urlencode, urljoin

import scrapy
from cssselect import SelectorError
from scrapy.http import Response
from scrapy.selector import Selector

from crawler.extract.attachments import attachment_kind
from crawler.extract.classify import link_kind

from .base import (
    DATE,
    MAX_LINKS,
    MAX_PAGER_PAGES,
    Entry,
    absolute,
    clean,
    day_of,
    fragment_entries,
    is_html,
    json_of,
    main_list,
    meta_of,
    pager_range,
    text_of,
    to_int,
)
from .scripts import CALL, MAX_SCRIPT_CHARS, SIDE_EFFECT, menu_item, unquoted

AJAX = re.compile(r"""\$\.(?:ajax|get|getJSON|post)\s*\(\s*\{(?P<opts>[^{}]*?\burl\s*:\s*"""
                  r"""(?:(["'])(?P<url>[^"']+)\2|(?P<urlname>[A-Za-z_$][\w$.]*)(?=\s*,))"""
                  r"""[^{}]*?\bdata\s*:\s*(?:(?P<json>JSON\.stringify\(\s*)?\{(?P<data>(?:[^{}]|\{[^{}]*\})*)\}"""
                  r"""|(?P<named>[A-Za-z_$][\w$]*)))"""
                  r"""|\$\.(?:get|getJSON|post)\s*\(\s*(?:(?P<q2>["'])(?P<url2>[^"']+)(?P=q2)"""
                  r"""|(?P<urlvar>[A-Za-z_$][\w$.]*))\s*,\s*(?:\{(?P<data2>(?:[^{}]|\{[^{}]*\})*)\}"""
                  r"""|(?P<named2>(?!function\b)[A-Za-z_$][\w$]*)\s*[,)])""", re.S)
# a field sent as a JSON string of an object (TRS IGS's `filter: JSON.stringify({columnId: cfg.columnId})`)
STRINGIFIED = re.compile(r"""JSON\.stringify\(\s*\{([^{}]*)\}\s*\)""")
# a key bare or quoted — a quoted one may be any parameter name (TRS IGS's "filter[CHANNELID]")
PAIR = re.compile(r"""(?:["']([^"'\n:{},]+)["']|([A-Za-z_$][\w$]*))\s*:\s*"""
                  r"""(?:"([^"]*)"|'([^']*)'|(-?\d+)|([A-Za-z_$][\w$.]*(?:\[\s*["'][^"'\n]+["']\s*\])?))""")
# conf["filter[CHANNELID]"]: a property read by its quoted name, the same as conf.name
BRACKET = re.compile(r"""\[\s*["']([^"'\n]+)["']\s*\]$""")
# (a "string" opening with `+` is the code between two literals — `",pageSize=" + pageSize + ".json"` read
# from inside a literal's comma — not a value assigned)
ASSIGNMENT = re.compile(r"""(?:\b(?:var|let|const)\s+|,\s*)([A-Za-z_$][\w$]*)\s*=\s*"""
                        r"""(?:"(?!\s*\+)([^"]*)"|'(?!\s*\+)([^']*)'|(-?\d+))""")
TYPE_POST = re.compile(r"""\btype\s*:\s*["']post["']""", re.I)
PAGE_KEYS = ("pageno", "page", "pagenum", "pageindex", "currentpage", "curpage", "currpage", "pagenumber", "current")
COUNT_KEYS = ("pagecount", "totalpage", "totalpages", "pages", "pagetotal")
# (Solr's select answers `response.numFound`; OData's `@odata.count`)
TOTAL_KEYS = ("total", "totalcount", "totalrecord", "count", "recordcount", "recordstotal", "numfound")
SIZE_KEYS = ("pagesize", "size", "limit", "rows", "perpage")
# a loader call whose address is an expression: "…" + var + "…" (string literals and variables)
# (a page counted from zero is sent as `(n - 1)`: Spring Data's Page, 帝国CMS)
PIECE = r"""(?:"[^"\n]*"|'[^'\n]*'|\(\s*[A-Za-z_$][\w$]*\s*-\s*1\s*\)|[A-Za-z_$][\w$.]*)"""
ZERO_BASED = re.compile(r"\(\s*([A-Za-z_$][\w$]*)\s*-\s*1\s*\)")
# (jQuery's calls and its `$(el).load(…)`, fetch, AngularJS's `$http.get(…)` and axios's, and a plain
# XMLHttpRequest's `xhr.open("GET", …)`)
CONCAT_CALL = re.compile(r"""(?:\$\.(?:ajax|get|getJSON|post)\s*\(\s*(?:\{[^{}]*?\burl\s*:\s*)?|\bfetch\s*\(\s*"""
                         r"""|(?:\$http|\baxios)\.get\s*\(\s*"""
                         r"""|\baxios\.post\s*\(\s*"""
                         r"""|\.open\s*\(\s*["']GET["']\s*,\s*|(?P<load>\.load\s*\(\s*))"""
                         rf"""(?P<expr>{PIECE}(?:\s*\+\s*{PIECE})+)\s*[,)}}]""")
PAGE_SLOT = "\x00page\x00"
# the address so far ends in a query key awaiting its value — also one of a path segment's comma-separated
# `key=value` pairs (`data_itemId=12,pageIndex=2,pageSize=7.json`: pre-generated files named by their query)
QUERY_KEY = re.compile(r"[?&,;]([\w.]+)=$")
# …or in a path segment awaiting its name (`"/api/list/" + col + "/" + page + ".json"`, `"list_" + p + ".html"`):
# there only a variable named as a page number is the page (a column id sits in the path as often)
PATH_SLOT = re.compile(r"[/_-]$")
PAGE_NAMES = frozenset(PAGE_KEYS) | {"p", "n", "pn", "pg", "num", "next"}   # next: a scroll counter
OBJECT = re.compile(r"""\b(?:var|let|const)\s+([A-Za-z_$][\w$]*)\s*=\s*\{([^{}]*)\}""")
MAX_NODES = 20_000
DATE_KEY = re.compile(r"time|date|day", re.I)   # publishTime, pubDate, docreltime …


# axios's GET with its query in `params` (`axios.get(url, {params: {…}})`, Nuxt's `this.$axios.get`), and
# AngularJS's `$http.get(url, {params: {…}})` alike: jQuery's `$.get(url, {…})`, read as that
AXIOS_GET = re.compile(r"""(?:\baxios|\$http)\.get\(\s*((?:"[^"\n]*"|'[^'\n]*'|[A-Za-z_$][\w$.]*))\s*,"""
                       r"""\s*\{\s*params\s*:\s*\{""")


# `axios.get(listApi, {params: queryParams})`: the query an object the script assigned (若依's queryParams)
AXIOS_NAMED = re.compile(r"""(?:\baxios|\$http)\.get\(\s*((?:"[^"\n]*"|'[^'\n]*'|[A-Za-z_$][\w$.]*))\s*,\s*"""
                         r"""\{\s*params\s*:\s*([A-Za-z_$][\w$]*)\s*\}\s*\)""")


def as_jquery(code: str) -> str:
    """The script with axios's GETs written as jQuery's calls api_call reads: `$.get(url, {params})`,
    and `$.ajax({url: url, data: name})` for params held in a variable."""
    if "axios" not in code and "$http" not in code:
        return code
    code = AXIOS_NAMED.sub(lambda m: f"$.ajax({{url: {m.group(1)}, data: {m.group(2)}}})", code)
    return AXIOS_GET.sub(lambda m: f"$.get({m.group(1)}, {{", _unwrapped_params(code))


def _unwrapped_params(code: str) -> str:
    """`axios.get(u, {params: {a: 1}})` → `axios.get(u, {params: {a: 1})`: the params object is the
    call's data, its wrapper's closing brace dropped so that AXIOS_GET's rewrite leaves `$.get(u, {a: 1})`."""
    out, at = [], 0
    for m in AXIOS_GET.finditer(code):
        depth, i = 1, m.end()
        while i < len(code) and depth:
            depth += {"{": 1, "}": -1}.get(code[i], 0)
            i += 1
        closing = re.match(r"\s*\}", code[i:])   # the wrapper's own brace after params' object
        if closing:
            out.append(code[at:i])
            at = i + closing.end()
    return "".join(out) + code[at:]


def api_call(text: str) -> dict | None:
    """The page script's list call: {url, fields [(name, value)], page (the page field), post}."""
    code = joined_arrays(extended_data(as_jquery(text[:MAX_SCRIPT_CHARS])))
    assigned = {m.group(1): next(g for g in m.groups()[1:] if g is not None) for m in ASSIGNMENT.finditer(code)}
    numeric = {m.group(1) for m in ASSIGNMENT.finditer(code) if m.group(4) is not None}
    assigned.update(object_properties(code))
    assigned.update(component_state(code))
    # a number the page's markup holds for the script (`var cid = el.getAttribute("data-column")`)
    assigned.update({name: str(value) for name, value in markup_numbers(code).items() if name not in assigned})
    numeric |= object_numbers(code)
    for m in AJAX.finditer(code):
        url, data = m.group("url") or m.group("url2"), m.group("data") or m.group("data2") or ""
        if m.group("urlvar") or m.group("urlname"):
            # $.getJSON(conf.url, {…}), $.ajax({url: listUrl, …}): the address a variable or a configuration
            # object holds
            url = assigned.get(m.group("urlvar") or m.group("urlname"))
            if url is None:
                continue
        if named := m.group("named") or m.group("named2"):   # data: params, the object assigned earlier
            data = next((d.group(1) for d in re.finditer(    # (var params = {…}), $.get(url, params, fn)
                rf"\b{re.escape(named)}\s*=\s*\{{((?:[^{{}}]|\{{[^{{}}]*\}})*)\}}", code)), None)
            if data is None:
                continue
        nested, data = _nested_page(data), _stringified(data, assigned, numeric)
        if _side_effect(url, [p[0] or p[1] for p in PAIR.findall(data)]):
            continue
        raised = set(PRE_INCREMENT.findall(data))   # {pageindex: ++idx}
        data = PRE_INCREMENT.sub(r": \1", data)
        data, offsets = _offset_fields(data, assigned)   # {start: (page - 1) * rows}
        fields, page, numbers, first, last = [], None, [], 1, None
        for pair in PAIR.finditer(data):
            quoted, bare, _, _, number, variable = pair.groups()
            name = quoted or bare
            if number is not None or variable in numeric:
                numbers.append(name)
            if page is None and PAGE_SLOT in (pair.group(4) or ""):   # paramJson: JSON.stringify({pageNo: n})
                page, value = name, pair.group(4)
                last = _last_page(code, nested, assigned)
            elif page is None and name in offsets:   # the record offset the page number makes
                page, value = name, "0"
                numbers.append(name)
            elif page is None and (name.lower() in PAGE_KEYS
                                   or _counted_page(name, variable, code, m.start(), numeric)):
                page = name
                numbers.append(name)
                first = _first_page(code, m.start(), variable, assigned, variable in raised)
                value = str(first)
            else:
                value = _known_value(pair, assigned)
                if value is None:
                    break   # a parameter whose value is not known without running the page
            fields.append((name, value))
        else:
            if page:
                fields += _jsonp_field(code[m.start():m.end() + MAX_OPTIONS_TAIL])
                return {"url": url, "fields": fields, "page": page, "json": bool(m.group("json")), "numbers": numbers,
                        "post": bool(TYPE_POST.search(m.group("opts") or "")) or ".post(" in m.group(0),
                        "first": first, **({"last": last} if last else {}),
                        **({"offset": 0, "step": offsets[page]} if page in offsets else {})}
    return (concatenated_call(code, assigned) or posted_body_call(code, assigned) or offset_call(code, assigned)
            or widget_call(code, assigned) or offset_widget_call(code, assigned) or feed_call(code)
            or cursor_call(code, assigned) or dwr_call(text[:MAX_SCRIPT_CHARS], code, assigned, numeric))


# -- DWR remoting ------------------------------------------------------------------------------------------
#
# Direct Web Remoting exposes a Java service to the page as a script object: the page loads the stub
# `<script src="/dwr/interface/InfoService.js">` (and /dwr/engine.js) and calls `InfoService.getList(colId, n,
# pageSize, function(r){ … r.list … })`; DWR POSTs the call to `/dwr/call/plaincall/InfoService.getList.dwr`,
# each argument typed (`c0-param0=number:1020`), and its reply hands the value to the callback
# (base.dwr_reply). The stub's directory names the DWR servlet (`/dwr`), its file the service.
DWR_STUB = re.compile(r"""<script\b[^>]*\bsrc\s*=\s*["']([^"']*?)/interface/([A-Za-z_$][\w$]*)\.js(?:\?[^"']*)?["']""",
                      re.I)
NUMBER_LITERAL = re.compile(r"-?\d+(?:\.\d+)?")
STRING_LITERAL = re.compile(r"""^(["'])(.*)\1$""", re.S)
IDENTIFIER = re.compile(r"[A-Za-z_$][\w$]*")


def _arguments(code: str, start: int) -> list[str] | None:
    """The top-level arguments of the call whose `(` ends at `start`, as source text; None when the
    call does not close within the script."""
    args, depth, piece, quote, i = [], 0, [], None, start
    while i < len(code):
        c = code[i]
        if quote:
            if c == "\\":
                piece.append(code[i:i + 2])
                i += 2
                continue
            quote = None if c == quote else quote
        elif c in "\"'`":
            quote = c
        elif c in "([{":
            depth += 1
        elif c in ")]}":
            if depth == 0:
                args.append("".join(piece).strip())
                return [a for a in args if a] if len(args) > 1 or args[0] else []
            depth -= 1
        elif c == "," and depth == 0:
            args.append("".join(piece).strip())
            piece = []
            i += 1
            continue
        piece.append(c)
        i += 1
    return None


def _dwr_value(arg: str, assigned: dict[str, str], numeric: set[str]) -> str | None:
    """An argument as DWR sends it (`number:1020`, `string:fzzf`, `boolean:true`): a literal, or a name
    the script assigned one; None for anything else (known only by running the page)."""
    if NUMBER_LITERAL.fullmatch(arg) or (arg in numeric and arg in assigned):
        return f"number:{assigned.get(arg, arg)}"
    if m := STRING_LITERAL.match(arg):
        return f"string:{m.group(2)}"
    if arg in ("true", "false"):
        return f"boolean:{arg}"
    return f"string:{assigned[arg]}" if arg in assigned else None


def dwr_call(text: str, code: str, assigned: dict[str, str], numeric: set[str]) -> dict | None:
    """A list read through a DWR service the page loads the stub of: the call of one of its methods
    whose arguments are known but one, the page — the parameter of the function holding the call
    (`function show(n){ InfoService.getList(colId, n, pageSize, cb) } show(1)`) or a counter named as a
    page; the callback (a function, an options object, a function's name) is the page's, not sent."""
    for stub in DWR_STUB.finditer(text):
        servlet, service = stub.group(1), stub.group(2)
        for call in re.finditer(rf"(?<![\w$.]){re.escape(service)}\.([A-Za-z_$][\w$]*)\s*\(", code):
            args = _arguments(code, call.end())
            while args and (CALLBACK.search(args[-1]) or args[-1].startswith("{")
                            or re.search(rf"\bfunction\s+{re.escape(args[-1])}\s*\(", code)):
                args.pop()
            inner = _enclosing_opener(code, call.start())
            head = NAMED_FUNCTION.search(code[max(0, inner - 200):inner + 1]) if inner is not None else None
            params = [p.strip() for p in head.group(3).split(",")] if head else []
            fields, page, first = [], None, 1
            for i, arg in enumerate(args or []):
                key = f"c0-param{i}"
                if page is None and IDENTIFIER.fullmatch(arg) and (
                        arg in params or (arg.lower() in PAGE_NAMES and arg in numeric)):
                    page, first = key, _first_page(code, call.start(), arg, assigned, False)
                    value = f"number:{first}"
                elif (value := _dwr_value(arg, assigned, numeric)) is None:
                    break
                fields.append((key, value))
            else:
                if page:
                    head_fields = [("callCount", "1"), ("c0-scriptName", service),
                                   ("c0-methodName", call.group(1)), ("c0-id", "0")]
                    return {"url": f"{servlet}/call/plaincall/{service}.{call.group(1)}.dwr",
                            "fields": head_fields + fields + [("batchId", "0")], "page": page, "json": False,
                            "numbers": [], "post": True, "first": first, "page_prefix": "number:"}
    return None


# -- table widgets bound to a list service -----------------------------------------------------------------
#
# The widget, not the page's script, asks the service page by page, by its own parameter names and defaults:
# EasyUI's datagrid POSTs `page` and `rows` (its pageSize) with its queryParams; layui's table.render GETs `page`
# and `limit` with its `where` (names its `request` option may rename); an Ext JS store's ajax proxy GETs `page`,
# `start` (the record offset) and `limit` (its pageSize) with the proxy's extraParams; a jqGrid GETs (its mtype)
# `page` and `rows` (its rowNum; both renamed by prmNames) with its postData, and its answer's `total` is its
# page count (jsonReader may rename it), `records` the rows'. Each: its options' opener,
# (fixed parameters' key, method, page field, size field, size option, the option saying it is paged, an offset
# field it also sends).
WIDGET = re.compile(r"""(?P<kind>\.datagrid|\btable\.render|Ext\.create\(\s*["']Ext\.data\.Store["']\s*,"""
                    r"""|\bnew\s+Ext\.data\.Store\(|\.jqGrid)\s*\(?\s*\{""")
WIDGET_RULES = {"datagrid": ("queryParams", "post", "page", "rows", "pageSize", "pagination", None),
                "table.render": ("where", "get", "page", "limit", "limit", "page", None),
                "Ext.data.Store": ("extraParams", "get", "page", "limit", "pageSize", "pageSize", "start"),
                "jqGrid": ("postData", "get", "page", "rows", "rowNum", "rowNum", None)}
WIDGET_URL = re.compile(r"""\burl\s*:\s*(["'])([^"'\n]+)\1""")
WIDGET_METHOD = re.compile(r"""\b(?:method|mtype|type|read)\s*:\s*["'](get|post)["']""", re.I)
MAX_WIDGET_CHARS = 3000   # a widget's options read: its url and paging come before its column templates
WIDGET_NAME = re.compile(r"""\b(pageName|limitName)\s*:\s*["']([\w.]+)["']""")
PRM_NAMES = re.compile(r"""\bprmNames\s*:\s*\{([^{}]*)\}""")       # jqGrid's names for page and rows
READER_TOTAL = re.compile(r"""\bjsonReader\s*:\s*\{[^{}]*?\btotal\s*:\s*["']([\w.]+)["']""")


def _widget_kind(opener: str) -> str:
    return next(kind for kind in WIDGET_RULES if kind.split(".")[-1] in opener)


def widget_call(code: str, assigned: dict[str, str]) -> dict | None:
    """The list call a table widget makes (`$('#dg').datagrid({url: '/col/list.action', queryParams:
    {columnId: '1051'}, pagination: true, pageSize: 7})`, `table.render({url: '/api/doc/list', where:
    {catalogId: '1020'}, page: true, limit: 10})`, `Ext.create("Ext.data.Store", {pageSize: 7, proxy: {type:
    "ajax", url: "/gkml/listData.action", extraParams: {nodeId: "1040"}}})`): the page lists nothing itself,
    the widget asks the service as WIDGET_RULES say and reads `{total, rows}`, `{count, data}`, `{totalCount,
    records}` — a paged call like any other (api_request, page_count). A widget not paged, or with a parameter
    whose value is not known without running the page, is none."""
    for m in WIDGET.finditer(code):
        params_key, method, page, size_name, size_key, paged, start = WIDGET_RULES[_widget_kind(m.group("kind"))]
        options = code[m.end():m.end() + MAX_WIDGET_CHARS]
        url = WIDGET_URL.search(options)
        if not url or not re.search(rf"\b{paged}\s*:\s*(?:true|\{{|\d)", options):
            continue
        params = re.search(rf"\b{params_key}\s*:\s*\{{([^{{}}]*)\}}", options)
        fields = _data_fields(params.group(1) if params else "", assigned)
        if fields is None or _side_effect(url.group(2), [k for k, _ in fields]):
            continue
        names = dict(WIDGET_NAME.findall(options))
        if prm := PRM_NAMES.search(options):
            renamed = {k: v for k, v in re.findall(r"""\b(page|rows)\s*:\s*["']([\w.]+)["']""", prm.group(1))}
            names.update({"pageName": renamed.get("page", page), "limitName": renamed.get("rows", size_name)})
        page, size_name = names.get("pageName", page), names.get("limitName", size_name)
        size = (found.group(1) if (found := re.search(rf"\b{size_key}\s*:\s*(\d+)", options)) else "10")
        asked = WIDGET_METHOD.search(options)
        fields = [*fields, (page, "1"), *([(start, "0")] if start else []), (size_name, size)]
        pages_key = (found.group(1) if (found := READER_TOTAL.search(options)) else "total") \
            if m.group("kind") == ".jqGrid" else None
        return {"url": url.group(2), "fields": fields, "page": page, "json": False, "numbers": [page, size_name],
                "post": (asked.group(1) if asked else method).lower() == "post", "first": 1,
                **({"start": start, "step": int(size), "offset": 0} if start else {}),
                **({"pages_key": pages_key} if pages_key else {})}
    return None


# Widgets asking their rows of the server by record offset and count: a DataTable (`serverSide: true`) sends
# `start` and `length` (its pageLength); a Bootstrap Table (`sidePagination: "server"`) `offset` and `limit`
# (its pageSize). Either hands them to a function of the page's that makes the request, or returns the query
# (DataTables' `ajax: function(d, cb){ $.get(url, {start: d.start, …}) }`, Bootstrap's `queryParams:
# function(p){ return {columnId: "1020", offset: p.offset, limit: p.limit}; }`). Each: its opener, what says
# it pages on the server, its size options, the function option and the fields it sends by default.
OFFSET_WIDGETS = (
    (re.compile(r"""\.[Dd]ataTable\s*\(\s*\{"""), re.compile(r"""\b(?:serverSide|bServerSide)\s*:\s*true"""),
     ("pageLength", "iDisplayLength"), "ajax", ("start", "length")),
    (re.compile(r"""\.bootstrapTable\s*\(\s*\{"""), re.compile(r"""\bsidePagination\s*:\s*["']server["']"""),
     ("pageSize",), "queryParams", ("offset", "limit")),
)
OFFSET_MARK = "\x00start"


def offset_widget_call(code: str, assigned: dict[str, str]) -> dict | None:
    """The call of a widget whose rows the server pages by record offset (OFFSET_WIDGETS): an offset call from
    record 0, each page a page size further (api_request); the answer's total (recordsTotal, total) counts the
    pages (page_count). The offset and size the widget hands the page's function are read as its own fields."""
    for opener, server_side, size_keys, hook, (offset_name, size_name) in OFFSET_WIDGETS:
        for m in opener.finditer(code):
            options = code[m.end():m.end() + MAX_WIDGET_CHARS]
            if not server_side.search(options):
                continue
            size = next((int(f.group(1)) for key in size_keys
                         if (f := re.search(rf"\b{key}\s*:\s*(\d+)", options))), 10)
            url = (f.group(2) if (f := re.search(r"""\b(?:url|ajax)\s*:\s*(["'])([^"'\n]+)\1""", options))
                   else None)
            fields, post = [(offset_name, OFFSET_MARK), (size_name, str(size))], False
            if settings := _ajax_settings(options, hook, assigned):
                url, post, extra = settings
                fields = [*extra, *fields]
            if fn := re.search(rf"\b{hook}\s*:\s*function\s*\(\s*([A-Za-z_$][\w$]*)", options):
                known = dict(assigned, **{f"{fn.group(1)}.{offset_name}": OFFSET_MARK,
                                          f"{fn.group(1)}.{size_name}": str(size)})
                call = AJAX.search(options, fn.end())
                returned = re.compile(r"\breturn\s*\{([^{}]*)\}").search(options, fn.end())
                if call and (not returned or call.start() < returned.start()):   # the function asks itself
                    url = call.group("url") or call.group("url2")
                    post = bool(TYPE_POST.search(call.group("opts") or "") or ".post(" in call.group(0))
                    fields = _data_fields(call.group("data") or call.group("data2") or "", known)
                elif returned:                                                    # it returns the query
                    fields = _data_fields(returned.group(1), known)
            offset = next((k for k, v in fields or () if v == OFFSET_MARK), None)
            if not url or offset is None or _side_effect(url, [k for k, _ in fields]):
                continue
            return {"url": url, "fields": [(k, "0" if v == OFFSET_MARK else v) for k, v in fields], "page": offset,
                    "json": False, "numbers": [offset], "post": post, "first": 1, "offset": 0, "step": size}
    return None


AJAX_OBJECT = re.compile(r"""\bajax\s*:\s*\{""")


def _ajax_settings(options: str, hook: str, assigned: dict[str, str]):
    """(url, posted?, fixed fields) of a widget's `ajax` option given as jQuery's settings object
    (DataTables' `ajax: {url: "/col/list.do", type: "POST", data: {colId: "1030"}}`): the widget sends
    its offset and size with that data, by that method, to that address. Read inside the object alone,
    so that another option's url (`language: {url: "zh_CN.json"}`, a translation file) is not taken for
    the service. None when the option is no such object or a datum is not known without running the page."""
    if hook != "ajax" or not (m := AJAX_OBJECT.search(options)):
        return None
    depth, i = 1, m.end()
    while i < len(options) and depth:
        depth += {"{": 1, "}": -1}.get(options[i], 0)
        i += 1
    body = options[m.end():i - 1]
    url = re.search(r"""\burl\s*:\s*(["'])([^"'\n]+)\1""", body)
    data = OPTIONS_DATA.search(body)
    fields = _data_fields(data.group(1) if data else "", assigned)
    if not url or fields is None:
        return None
    return url.group(2), bool(TYPE_POST.search(body)), fields


# -- cursor-paged feeds: each answer names the next request --------------------------------
#
# `var feedUrl = "/api/v1/feed?channel=11"; function pull(u){ $.getJSON(u, function(r){ …; nextUrl = r.hasMore
# ? r.nextUrl : null; }) } pull(feedUrl);`, or `$.getJSON(api + "?channel=" + c + (cursor ? "&cursor=" +
# cursor : ""), function(d){ …; cursor = d.nextCursor; })` with `cursor = ""`: no page number anywhere —
# the first request is the feed's address, and every answer says where the next one is (an address, or an
# opaque token for the call's cursor field) until it says there is no more.

# what an answer calls its next request: an address, or a token the call sends back
NEXT_ADDRESS_KEYS = ("nexturl", "nextlink", "nexthref", "next", "nextpageurl")
CURSOR_KEYS = ("nextcursor", "next_cursor", "cursor", "nexttoken", "nextpagetoken", "continuation")
MORE_KEYS = ("hasmore", "has_more", "hasnext", "has_next", "more")
# (a property read by name or by its quoted key — OData's `d["@odata.nextLink"]`, a namespaced annotation)
READS_NEXT = re.compile(r"""(?:\.|\[\s*["'](?:@?[\w]+\.)?)(?:next_?url|next_?link|next_?cursor|next_?token|"""
                        r"""next_?page_?token|has_?more|has_?next)\b""", re.I)
# `(cursor ? "&cursor=" + cursor : "")`: the cursor's field, sent once the script holds a token
CURSOR_PART = re.compile(r"""\(\s*([A-Za-z_$][\w$]*)\s*\?\s*(["'])[?&]?([\w.]+)=\2\s*\+\s*\1\s*:\s*(["'])\4\s*\)""")
BARE_LOADER = re.compile(r"""(?:\$\.(?:getJSON|get|ajax)\(\s*(?:\{[^{}]*?\burl\s*:\s*)?|\bfetch\(\s*)"""
                         r"""([A-Za-z_$][\w$]*)\s*[,)}]""")


def cursor_call(code: str, assigned: dict[str, str]) -> dict | None:
    """A feed asked page after page by what each answer names (its next address or cursor token) — a
    call the script makes with no page number, whose answers it reads a next field of (`r.nextUrl`,
    `d.nextCursor`, `r.hasMore`). Its first request is the call's address: built from literals and
    assigned strings, a cursor part the script sends only once it holds a token left out; or the
    address the script's own call of the loading function passes it (`pull(feedUrl)`). The cursor's
    field, when the call names it, is where the next answer's token goes (cursor_request)."""
    if not READS_NEXT.search(code):
        return None
    field = None
    for m in CURSOR_PART.finditer(code):
        if assigned.get(m.group(1)) == "" or re.search(rf"\b{re.escape(m.group(1))}\s*=\s*null\b", code):
            field = field or m.group(3)
    bare = CURSOR_PART.sub('""', code)
    for m in CONCAT_CALL.finditer(bare):
        folded = _folded_page(re.findall(PIECE, m.group("expr")), assigned)
        if folded and folded[1] is None and not _side_effect(folded[0]):
            return _cursor_feed(folded[0], field)
    for m in BARE_LOADER.finditer(code):
        address = assigned.get(m.group(1)) or _passed_address(code, m.start(), m.group(1), assigned)
        if address and not _side_effect(address):
            return _cursor_feed(address, field)
    return None


def _cursor_feed(address: str, field: str | None) -> dict:
    path, _, query = address.partition("?")
    return {"url": path, "fields": parse_qsl(query, keep_blank_values=True), "page": None, "json": False,
            "numbers": [], "post": False, "cursor": field or "cursor"}


def _passed_address(code: str, at: int, variable: str, assigned: dict[str, str]) -> str | None:
    """The address the script passes the function holding offset `at` whose first parameter is
    `variable` (`function pull(u){ $.getJSON(u, …) } pull(feedUrl);`): a literal or an assigned string."""
    inner = _enclosing_opener(code, at)
    head = NAMED_FUNCTION.search(code[max(0, inner - 200):inner + 1]) if inner is not None else None
    if not head or variable not in [p.strip() for p in head.group(3).split(",")][:1]:
        return None
    name = re.escape(head.group(1) or head.group(2))
    for call in re.finditer(rf"""(?<![\w$.]){name}\s*\(\s*(?:(["'])([^"']+)\1|([A-Za-z_$][\w$]*))\s*\)""", code):
        if value := call.group(2) or assigned.get(call.group(3) or ""):
            return value
    return None


def _annotation_name(key) -> str:
    """An answer's key, lower-cased, without the namespace an annotation carries: ASP.NET Web API's
    OData feeds page by `"@odata.nextLink"` (`odata.nextLink` in OData 3), the same next address a
    plain feed calls `nextLink`."""
    return re.sub(r"^@?(?:[a-z]\w*\.)+(?=next|has|cursor|count)", "", str(key).lower())


def cursor_request(response: Response, data, call: dict, page: int) -> list[scrapy.Request]:
    """The request an answer of a cursor-paged feed names next: its next address (`"nextUrl":
    "/api/v1/feed?channel=11&cursor=…"`), else its token sent in the call's cursor field; none when
    it says there is no more (`"hasMore": false`) or names nothing."""
    if not isinstance(data, dict) or page >= MAX_PAGER_PAGES:
        return []
    lower = {_annotation_name(k): v for k, v in data.items()}
    if any(lower.get(k) is False for k in MORE_KEYS):
        return []
    meta = {"jsonlist": call, "page_number": page + 1}
    address = next((v for k in NEXT_ADDRESS_KEYS
                    if isinstance(v := lower.get(k), str) and ("/" in v or "?" in v)), None)
    if address and (url := absolute(response.url, address)):
        return [scrapy.Request(url, meta=meta)]
    token = next((v for k in CURSOR_KEYS if isinstance(v := lower.get(k), str) and v), None)
    if token:
        page_url = urljoin(call.get("page_url") or response.url, call["url"])
        return [scrapy.Request(_with_query(page_url, [*call["fields"], (call["cursor"], token)]), meta=meta)]
    return []


# a JSONP call (`$.ajax({url: "/interface/getList", data: {…}, dataType: "jsonp", jsonpCallback: "listCallback"})`):
# jQuery adds its callback's name to the query (`&callback=listCallback`), which the server wraps its answer in
JSONP = re.compile(r"""\bdataType\s*:\s*["']jsonp["']""", re.I)
JSONP_PARAM = re.compile(r"""\bjsonp\s*:\s*["']([\w$.]+)["']""")
JSONP_NAME = re.compile(r"""\bjsonpCallback\s*:\s*["']([\w$.]+)["']""")
MAX_OPTIONS_TAIL = 400   # the options after a call's data object: dataType, jsonp, success …
JQUERY_CALLBACK = "jQuery_jsonp"   # jQuery names an unnamed callback at random; the server wraps in any name


def _jsonp_field(call: str) -> list[tuple[str, str]]:
    """The callback field jQuery adds to a JSONP call's query: (its `jsonp` name, else callback; its
    `jsonpCallback`, else a name of our own), or nothing for another call. `call` runs from the call's
    start past its data object; only its options up to the call's end are read."""
    options = call.split("});", 1)[0]
    if not JSONP.search(options):
        return []
    param, name = JSONP_PARAM.search(options), JSONP_NAME.search(options)
    return [(param.group(1) if param else "callback", name.group(1) if name else JQUERY_CALLBACK)]


# an address built by joining an array (`['/api/xxgk/columns', cid, 'articles'].join('/') + '?page=' + p`)
JOINED = re.compile(rf"""\[\s*((?:{PIECE}\s*,\s*)*{PIECE})\s*\]\s*\.join\(\s*(["'])([^"'\n]*)\2\s*\)""")


def joined_arrays(code: str) -> str:
    """The script with each array of literals and names joined into an address written as the
    concatenation it makes (`"/api/xxgk/columns" + "/" + cid + "/" + "articles"`), which the call
    readers know."""
    if ".join(" not in code:
        return code
    return JOINED.sub(lambda m: f" + {m.group(2)}{m.group(3)}{m.group(2)} + ".join(
        p.strip() for p in re.findall(PIECE, m.group(1))), code)


# jQuery's `$.extend({pageNumber: n}, conf)` as a call's data: the objects merged, a named one the script assigned
MERGED = r"""(?:\{(?:[^{}]|\{[^{}]*\})*\}|[A-Za-z_$][\w$]*)"""
EXTEND = re.compile(rf"""\$\.extend\(\s*((?:{MERGED}\s*,\s*)*{MERGED})\s*\)""")
EXTENDED = re.compile(r"""\{((?:[^{}]|\{[^{}]*\})*)\}|([A-Za-z_$][\w$]*)""")


def extended_data(code: str) -> str:
    """The script with each `$.extend({pageNumber: n}, igsParam)` written as the one object it
    makes (`{pageNumber: n, index: "gkml", channelId: 1131}`): TRS IGS shells keep a column's fixed
    parameters in a configuration object and merge the page number into it for each call
    (`$.get("/igs/front/search/list.html", $.extend({pageNumber: n}, igsParam), fn)`). A named
    object the script does not assign, or `true` (a deep copy), leaves the call as it is."""
    def merged(m: re.Match) -> str:
        bodies = []
        for part in EXTENDED.finditer(m.group(1)):
            if part.group(1) is not None:
                bodies.append(part.group(1).strip().rstrip(","))
                continue
            body = re.search(rf"\b(?:var|let|const)\s+{re.escape(part.group(2))}\s*=\s*\{{([^{{}}]*)\}}", code)
            if body is None:
                return m.group(0)
            bodies.append(body.group(1).strip().rstrip(","))
        return "{" + ", ".join(b for b in bodies if b) + "}"
    return EXTEND.sub(merged, code) if "$.extend" in code else code


# a list published as one XML feed its shell's script reads whole and renders (`$.ajax({url:
# "/data/column_12.xml", dataType: "xml", success: … $(xml).find("item") …})`)
XML_CALL = re.compile(r"""\$\.(?:ajax|get)\s*\(\s*(?:\{(?P<opts>[^{}]*)|(["'])(?P<url>[^"']+)\2)""")
OPTION_URL = re.compile(r"""\burl\s*:\s*(["'])([^"']+)\1""")
XML_TYPE = re.compile(r"""\bdataType\s*:\s*["']xml["']""", re.I)


def feed_call(code: str) -> dict | None:
    """The call of a shell that reads its whole list from an XML feed (an address ending .xml, or
    `dataType: "xml"`): one request, no page number — the feed holds every item and the shell pages
    them itself. Its items are read as the list's records (feed_records)."""
    for m in XML_CALL.finditer(code):
        if m.group("url"):
            url, typed = m.group("url"), False
        elif (opt := OPTION_URL.search(m.group("opts"))) is not None:
            url, typed = opt.group(2), bool(XML_TYPE.search(m.group("opts")))
        else:
            continue
        if (typed or url.split("?", 1)[0].lower().endswith(".xml")) and not _side_effect(url):
            return {"url": url, "fields": [], "page": None, "json": False, "numbers": [], "post": False,
                    "feed": True}
    return None


FEED_LINK = ("link", "url", "href")


def feed_records(text: str) -> list[tuple[str, str, str | None]]:
    """(title, address, date) of an XML feed's items: each element with a title child and a link
    one (`<item><title>…</title><link>…</link><pubDate>…</pubDate></item>`, RSS and the like; an
    Atom `<link href>`), its date the first child named like one."""
    try:
        sel = Selector(text=text, type="xml")
    except ValueError:
        return []
    sel.remove_namespaces()
    found = []
    for item in sel.xpath("//*[title][link or url or href]")[:MAX_NODES]:
        title = clean(" ".join(item.xpath("title//text()").getall()))
        target = next((t for k in FEED_LINK if (t := clean(item.xpath(f"string({k})").get() or "")
                                                 or clean(item.xpath(f"{k}/@href").get() or ""))), "")
        when = next((clean(c.xpath("string()").get() or "") for c in item.xpath("*")
                     if DATE_KEY.search(c.xpath("name()").get() or "")), None)
        if title and target:
            found.append((title, target, when))
    return found


def is_xml_answer(response: Response) -> bool:
    """An answer in XML (`<?xml …?>`, an <rss> or other root element), not HTML or JSON."""
    head = text_of(response)[:200].lstrip("\ufeff \t\r\n").lower()
    return head.startswith("<?xml") or (head.startswith("<") and not head.startswith(("<!doctype", "<html")))


def xml_fields(text: str) -> dict[str, str]:
    """The leaf elements of an XML answer outside its items, by name (the first of each): where a paged XML
    service states its counts (`<channel><totalPage>2</totalPage><page>1</page><item>…`), read as a JSON
    answer's keys are (page_count)."""
    try:
        sel = Selector(text=text, type="xml")
    except ValueError:
        return {}
    sel.remove_namespaces()
    fields: dict[str, str] = {}
    for leaf in sel.xpath("//*[not(*)][not(ancestor::*[title][link or url or href])]")[:MAX_NODES]:
        fields.setdefault(leaf.xpath("name()").get(), clean(leaf.xpath("string()").get() or ""))
    return fields


PRE_INCREMENT = re.compile(r":\s*\+\+\s*([A-Za-z_$][\w$]*)")
OPENS_FUNCTION = re.compile(r"\bfunction\b[^{};]*\{|=>\s*\{")


PAGE_ABBREVIATIONS = frozenset({"p", "pn", "pg", "pno"})   # not n / num: as often a count as a page


# a data field sent as the record offset of a page (`start: (page - 1) * solr.rows`, `offset: (n - 1) * 10`)
OFFSET_FIELD = re.compile(r"""(["']?)([A-Za-z_$][\w$]*)\1\s*:\s*\(\s*([A-Za-z_$][\w$]*)\s*-\s*1\s*\)\s*\*\s*"""
                          r"""([A-Za-z_$][\w$.]*|\d+)(?=\s*[,}]|\s*$)""")


def _offset_fields(data: str, assigned: dict[str, str]) -> tuple[str, dict[str, int]]:
    """The call's data with each field sent as a page's record offset (`start: (page - 1) * rows`:
    Solr's select, Elasticsearch's `from`, any offset/limit service asked by page number) written as
    the page variable, and those fields' page sizes — a size the script states, else the field is
    left as it is (not known without running the page)."""
    offsets = {}

    def written(m: re.Match) -> str:
        if not (size := _stated_size(m.group(4), assigned)):
            return m.group(0)
        offsets[m.group(2)] = size
        return f"{m.group(1)}{m.group(2)}{m.group(1)}: {m.group(3)}"
    return OFFSET_FIELD.sub(written, data), offsets


def _counted_page(name: str, variable: str | None, code: str, at: int, numeric: set[str]) -> bool:
    """Is a field with a short page name (`pn`, `p`, `pg`: Baidu's and many a 站群's abbreviation) the
    call's page? When the script counts it: its value the parameter of the named function holding the
    call (`function getPage(n){ $.ajax({data: {catId: "1041", pn: n}}) } getPage(1);`) or a counter it set
    to a number (`var p = 1`) — not a constant or a search word sent under such a name (`{p: site}`)."""
    if name.lower() not in PAGE_ABBREVIATIONS or variable is None:
        return False
    if variable in numeric:
        return True
    inner = _enclosing_opener(code, at)
    head = NAMED_FUNCTION.search(code[max(0, inner - 200):inner + 1]) if inner is not None else None
    return bool(head) and variable in [p.strip() for p in head.group(3).split(",")]


def _first_page(code: str, at: int, variable: str | None, assigned: dict[str, str], raised: bool) -> int:
    """The page the call asks the first time it runs: 1, unless its page is a counter the script
    set to a number and raises before asking (`var idx = 1; function loadMore(){ idx++; $.get(…,
    {pageindex: idx}) }`, `{page: ++idx}`) — a 加载更多 button under the page's own first rows
    asks the page after them, never those rows again."""
    start = to_int(assigned.get(variable or ""), None)
    read = markup_numbers(code).get(variable or "")
    if start is None and read is None:
        return _first_argument(code, at, variable)
    if raised:
        return (read if start is None else start) + 1
    body = _enclosing_body(code, at)
    v = re.escape(variable)
    bumped = re.compile(rf"(?<![\w$.])(?:\+\+\s*{v}\b|{v}\s*(?:\+\+|\+=\s*1\b|=\s*{v}\s*\+\s*1\b))")
    if start is None:   # the button's own attribute holds the page its click asks (data-page="2")
        return read + 1 if body is not None and bumped.search(body) else read
    if body is not None and bumped.search(body):
        return start + 1
    # raised after it asks (`var next = 2; … fetch("data_" + next + ".json").then(… next++)`, an infinite
    # scroll under the rows shown): the counter's own value; a counter from 0 still asks page 1 first
    return max(start, 1)


# a number the page's markup holds for its script: `$(this).data("page")`, `$("#more").attr("data-total")`,
# either under parseInt(…)/Number(…)
DATA_READ = (r"""(?:(?:parseInt|Number)\(\s*)?(?:\$\([^()]*\)\s*\.(?:data\(\s*["'](?P<d>[\w-]+)["']"""
             r"""|attr\(\s*["']data-(?P<a>[\w-]+)["'])\s*\)"""
             r"""|(?:document\.getElementById\(\s*["'][^"']+["']\s*\)|[A-Za-z_$][\w$]*)\s*\.getAttribute\(\s*"""
             r"""["']data-(?P<g>[\w-]+)["']\s*\))(?:\s*\))?""")
READ_ASSIGNMENT = re.compile(rf"""\b(?:var|let|const)\s+([A-Za-z_$][\w$]*)\s*=\s*{DATA_READ}\s*(?=[;,\n])""")


def markup_number(code: str, name: str) -> int | None:
    """The number a `data-<name>` attribute of the page holds (jQuery's .data("pageTotal") reads
    data-page-total), when every such attribute holds the same one; else None."""
    attribute = "data-" + re.sub(r"(?<=[a-z0-9])([A-Z])", r"-\1", name).lower()
    values = set(re.findall(rf"""\s{re.escape(attribute)}\s*=\s*["']?\s*(\d+)\s*["']?""", code, re.I))
    return int(values.pop()) if len(values) == 1 else None


def markup_numbers(code: str) -> dict[str, int]:
    """variable → the number its script reads from the page's markup (`var p = $(this).data("page")`
    with `<a id="loadMore" data-page="2" data-total="3">加载更多</a>`): a 加载更多 button that keeps
    the next page to ask, and the last, in its own attributes — the rows shown are page 1."""
    found = {}
    for m in READ_ASSIGNMENT.finditer(code):
        if (value := markup_number(code, m.group("d") or m.group("a") or m.group("g"))) is not None:
            found.setdefault(m.group(1), value)
    return found


def _enclosing_body(code: str, at: int) -> str | None:
    """The code of the innermost function holding offset `at`, from its opening brace to `at`: one
    pass over the braces before it (those inside string literals not counted)."""
    inner = _enclosing_opener(code, at)
    return code[inner + 1:at] if inner is not None else None


# a named function's head: `function loadInfo(pageIndex){` or `var loadInfo = function (pageIndex) {`
NAMED_FUNCTION = re.compile(r"""(?:\bfunction\s+([A-Za-z_$][\w$]*)|\b([A-Za-z_$][\w$]*)\s*=\s*function)\s*"""
                            r"""\(([^()]*)\)\s*\{$""")


def _first_argument(code: str, at: int, variable: str | None) -> int:
    """The page a call sends first when its page is the argument of the function holding it: the
    number the script's own first call of that function passes (新点 Epoint's `function loadInfo(pageIndex){
    $.ajax({…, data: {categorynum: …, pageIndex: pageIndex}}) } loadInfo(0);` counts its pages from 0,
    and its page 0 holds the newest rows); 1 when the script passes none it can be read from."""
    inner = _enclosing_opener(code, at) if variable else None
    head = NAMED_FUNCTION.search(code[max(0, inner - 200):inner + 1]) if inner is not None else None
    if not head or variable not in [p.strip() for p in head.group(3).split(",")][:1]:
        return 1
    called = re.search(rf"(?<![\w$.]){re.escape(head.group(1) or head.group(2))}\s*\(\s*(\d+)\s*\)", code[inner:])
    return int(called.group(1)) if called else 1


def _enclosing_opener(code: str, at: int) -> int | None:
    """The offset of the opening brace of the innermost function holding offset `at`."""
    openers = {m.end() - 1 for m in OPENS_FUNCTION.finditer(code, 0, at)}
    opened: list[int] = []
    for i, c in unquoted(code, 0, at):
        if c == "{":
            opened.append(i)
        elif c == "}" and opened:
            opened.pop()
    return next((i for i in reversed(opened) if i in openers), None)


SEARCH_LIST = re.compile(r"search\b.*/list\b", re.I)
# a field naming the catalogue column a search service is asked to list (channelId, infotypeId, filter[CHANNELID] …;
# TRS's own abbreviation chnlId / chnlid, as its WCM names a channel in every search and list service)
COLUMN_FIELD = re.compile(r"(?:channel|chnl|column|infotype|catalog|category|node|col)_?id\b", re.I)
KEYWORD_FIELD = re.compile(r"^(?:q|kw|wd|key|keys|keyword|keywords|searchword|searchkey|word|query|text)$", re.I)


# an OData system query option (`&$count=true`, `?$orderby=PubDate desc`): the feed's own query syntax
ODATA_OPTION = re.compile(r"(?<=[?&])\$\w+=[^&]*&?")


def _side_effect(url: str, names=()) -> bool:
    """Is the call a counter, a login, a search box … rather than a list? A search service asked
    for a channel's list is a list: TRS IGS's `/igs/front/search/list.html` with `filter[CHANNELID]`,
    大汉's 信息公开目录 `search.jsp?infotypeId=A013&currpage=` that its tree.jsp column shells are
    drawn from — `search` is the service's name, the call names the column (`names`: its
    data's field names, or its address's query) and no keyword (a search box's keyword is
    typed, never known). OData's system query options (`$count=true`, `$top`, `$filter`) say how
    to read a collection, they are no counter or search (ODATA_OPTION)."""
    url = ODATA_OPTION.sub("", url)
    if not SIDE_EFFECT.search(url):
        return False
    path, _, query = url.partition("?")
    if SIDE_EFFECT.search(path.replace("search", "")):
        return True
    names = [*names, *(k for k, _ in parse_qsl(query))]
    named_column = any(COLUMN_FIELD.search(n) for n in names)
    return not ((SEARCH_LIST.search(path) or named_column) and not any(KEYWORD_FIELD.match(n) for n in names))


def object_properties(code: str) -> dict[str, str]:
    """`conf.url` → its string for a configuration object the script assigned
    (`var listConf = {pageId: "31", url: "/api/unit?pageId=31"}` then `$.getJSON(listConf.url + "&pageNo=" + n)`):
    list templates keep a column's service address in such an object, one per column, so that one
    shared loader serves them all. Only literal values; a property that is itself computed is left out."""
    found = {}
    for m in OBJECT.finditer(code):
        for pair in PAIR.finditer(m.group(2)):
            quoted, bare, double, single, number, _ = pair.groups()
            name = quoted or bare
            if (value := next((g for g in (double, single, number) if g is not None), None)) is not None:
                found.setdefault(f"{m.group(1)}.{name}", value)
    return found


# a Vue instance's state (`new Vue({data: {current: 1, size: 8}})`, `data() { return {size: 8} }`): its
# methods read it as `this.size`
VUE_DATA = re.compile(r"""\bdata\s*(?::\s*(?:function\s*)?|(?=\())(?:\(\s*\)\s*\{\s*return\s*)?\{([^{}]*)\}""")


def component_state(code: str) -> dict[str, str]:
    """`this.size` → its literal for a Vue component's data (VUE_DATA): a shell's list method builds
    its request from the instance's state (`axios.post(API + "?current=" + n + "&size=" + this.size,
    …)`), set once in the component's options. Only literal values, only in a script that makes a
    Vue instance or app."""
    if not re.search(r"\bnew\s+Vue\b|\bcreateApp\s*\(|\bdefineComponent\s*\(", code):
        return {}
    found = {}
    for m in VUE_DATA.finditer(code):
        for pair in PAIR.finditer(m.group(1)):
            quoted, bare, double, single, number, _ = pair.groups()
            if (value := next((g for g in (double, single, number) if g is not None), None)) is not None:
                found.setdefault(f"this.{quoted or bare}", value)
    return found


def object_numbers(code: str) -> set[str]:
    """The `conf.name` properties of object_properties whose value is a number literal."""
    return {f"{m.group(1)}.{pair.group(1) or pair.group(2)}" for m in OBJECT.finditer(code)
            for pair in PAIR.finditer(m.group(2)) if pair.group(5) is not None}


def _stringified(data: str, assigned: dict[str, str], numeric: set[str]) -> str:
    """The call's data with each field sent as `JSON.stringify({columnId: cfg.columnId})` made the
    string the browser sends (`'{"columnId":19404}'`, numbers as numbers): TRS IGS search shells
    name the column to list in such a filter. A property not known without running the page
    leaves the call as it is (no call to repeat)."""
    def encoded(m: re.Match) -> str:
        obj = {}
        for pair in PAIR.finditer(m.group(1)):
            value = _known_value(pair, assigned)
            if value is None and pair.group(6) and (pair.group(1) or pair.group(2)).lower() in PAGE_KEYS \
                    and PAGE_SLOT not in obj.values():
                obj[pair.group(1) or pair.group(2)] = PAGE_SLOT   # the page the loader is called with
                continue
            if value is None:
                return m.group(0)
            number = pair.group(5) is not None or (pair.group(6) or "") in numeric
            obj[pair.group(1) or pair.group(2)] = int(value) if number and value.lstrip("-").isdigit() else value
        text = json.dumps(obj, ensure_ascii=False, separators=(",", ":")).replace(json.dumps(PAGE_SLOT), PAGE_SLOT)
        return m.group(0) if "'" in text else f"'{text}'"   # a single-quoted literal, as PAIR reads it
    return STRINGIFIED.sub(encoded, data)


NESTED_PAGE = re.compile(r"""JSON\.stringify\(\s*\{[^{}]*?["']?\b(?:""" + "|".join(PAGE_KEYS)
                         + r""")\b["']?\s*:\s*([A-Za-z_$][\w$]*)""", re.I)


def _nested_page(code: str) -> str | None:
    """The variable a page field inside a stringified object is (`JSON.stringify({pageNo: n})` → n)."""
    found = NESTED_PAGE.search(code)
    return found.group(1) if found else None


def _folded(pieces: list[str], assigned: dict[str, str]) -> str | None:
    """The address `+`-joined pieces build, the page variable (the one right after a page key,
    `pageNo=`, or a variable named as a page that names a path segment, `"/list/" + col + "/" +
    page + ".json"`) as PAGE_SLOT; None when another piece is neither a literal nor a string the
    script assigned."""
    folded = _folded_page(pieces, assigned)
    return folded[0] if folded else None


def _folded_page(pieces: list[str], assigned: dict[str, str], keys=PAGE_KEYS,
                 names=PAGE_NAMES) -> tuple[str, str | None] | None:
    """(address, the page variable's name) of _folded: the variable the call's pages count with —
    the one after a query key of `keys`, or one of `names` in a path segment (offset_call counts by
    record offsets: OFFSET_KEYS, no path names)."""
    address, after_key = "", None
    for piece in pieces:
        if piece[0] in "\"'":
            address += piece[1:-1]
        elif after_key is None and (key := QUERY_KEY.search(address)) and (
                key.group(1).lower() in keys or _short_page(key.group(1), piece, names)):
            after_key = piece
            address += PAGE_SLOT
        elif after_key is None and "?" not in address and PATH_SLOT.search(address) \
                and piece.rsplit(".", 1)[-1].lower() in names:
            after_key = piece
            address += PAGE_SLOT
        elif piece in assigned:
            address += assigned[piece]
        else:
            return None
    return address, after_key


def _page_base(variable: str | None) -> tuple[str | None, int]:
    """(the page variable, what the call adds to the page number): `(n - 1)`, a page counted from zero
    (Spring Data's `?page=0` is the first), is n sent less one."""
    zero = ZERO_BASED.fullmatch(variable or "")
    return (zero.group(1), -1) if zero else (variable, 0)


def _short_page(key: str, piece: str, names) -> bool:
    """A query key too short to be sure of (`&p=`, `&pn=`) is the page when a page-named variable
    fills it (`"/ajax/infoList?cid=4205&p=" + p`, the pager function's parameter). An offset-counted
    call names no page variables (`names` empty), so its `&s=` + s is never taken for a page."""
    return key.lower() in names and piece.rsplit(".", 1)[-1].lower() in names


def _paged_fields(query: str) -> tuple[list[tuple[str, str]], str | None]:
    """A built query's fields, the page's as "1", and the page field's name (None: no page)."""
    fields = parse_qsl(query, keep_blank_values=True)
    page = next((k for k, v in fields if v == PAGE_SLOT), None)
    return [(k, "1" if v == PAGE_SLOT else v) for k, v in fields], page


def loaded_part(address: str) -> tuple[str, str | None]:
    """(address, selector) of what jQuery's `$(el).load(url)` is given: the address up to its first
    space, and after it the selector of the part of the answer inserted (`.load("list_" + n + ".html
    #docs > li")` puts only the rows of a full page into the shell's list); None when it names none."""
    address, _, select = address.strip().partition(" ")
    return address, select.strip() or None


def concatenated_call(code: str, assigned: dict[str, str]) -> dict | None:
    """A list call whose page number is concatenated into the address's query
    (`$.getJSON("/api/unit?pageId=12&pageNo=" + n + "&pageSize=5", …)`, `fetch(api + page)`):
    the same call as a data object would make. The variable right after a page key (`pageNo=`)
    is the page; any other piece must be a literal or a string the script assigned — an address
    that needs the page run to be known is no call to repeat. Static list services write the page
    into the path instead (`$.getJSON("/api/list/" + col + "/" + page + ".json")`, one file per
    page): the address keeps PAGE_SLOT where the number goes, and the call names no page field."""
    for m in CONCAT_CALL.finditer(code):
        folded = _folded_page(re.findall(PIECE, m.group("expr")), assigned)
        if folded is None:
            continue
        address, variable = folded
        variable, base = _page_base(variable)
        address, select = loaded_part(address) if m.group("load") else (address, None)
        path, _, query = address.partition("?")
        fields, page = _paged_fields(query)
        # a 加载更多 counter raised before the call asks the page after the rows shown first, up to the
        # count its script stops at (`var pg = 1, max = 3; function more(){ pg++; … if (pg >= max) hide }`)
        counted = {"first": _first_page(code, m.start(), variable, assigned, False),
                   **({"last": last} if (last := _last_page(code, variable, assigned)) else {}),
                   **({"select": select} if select else {})}
        if page and PAGE_SLOT not in path:
            post, form = _call_data(m.group(0), code[m.end() - 1:], assigned)
            if form is False or _side_effect(address, [k for k, _ in form or []]):
                continue
            return {"url": path, "fields": fields, "page": page, "json": False, "numbers": [page],
                    "post": post, **({"form": form} if form is not None else {}), **counted,
                    **({"json_form": True} if m.group(0).startswith("axios.post") and form else {}),
                    **({"base": base} if base else {})}
        if _side_effect(path.replace(PAGE_SLOT, "")):
            continue
        if not page and path.count(PAGE_SLOT) == 1:
            return {"url": path, "fields": fields, "page": None, "json": False, "numbers": [],
                    "post": ".post(" in m.group(0), **counted}
    return None


# fetch() POSTing a form it writes itself: `fetch("/api/search", {method: "POST", headers: {…}, body:
# "channelid=" + conf.channelid + "&page=" + p})`
FETCH_POST = re.compile(rf"""\bfetch\(\s*(["'])(?P<url>[^"'\n]+)\1\s*,\s*\{{(?P<opts>(?:[^{{}}]|\{{[^{{}}]*\}})*?)"""
                        rf"""\bbody\s*:\s*(?P<expr>{PIECE}(?:\s*\+\s*{PIECE})+)""")
METHOD_POST = re.compile(r"""\bmethod\s*:\s*["']post["']""", re.I)
# pages the shell shows itself: `if (p <= conf.maxStaticIndex) { location.reload(); return; }`
STATIC_PAGES = re.compile(r"""\bif\s*\(\s*([A-Za-z_$][\w$]*)\s*<=\s*([\w$.]+)\s*\)\s*\{?[^{}]*?\breturn\b""")


def posted_body_call(code: str, assigned: dict[str, str]) -> dict | None:
    """A list call POSTing a form body it concatenates (FETCH_POST), its page after a page key: the same
    call as a data object would make. A function that answers its first pages from the shell itself
    (STATIC_PAGES: pages up to a bound the script states) asks the service from the page after them."""
    for m in FETCH_POST.finditer(code):
        if not METHOD_POST.search(m.group("opts")):
            continue
        folded = _folded_page(re.findall(PIECE, m.group("expr")), assigned)
        if folded is None or folded[1] is None:
            continue
        fields, page = _paged_fields(folded[0])
        if not page or _side_effect(m.group("url"), [k for k, _ in fields]):
            continue
        first = _first_page(code, m.start(), folded[1], assigned, False)
        body = _enclosing_body(code, m.start()) or ""
        if (static := STATIC_PAGES.search(body)) and static.group(1) == folded[1]:
            bound = to_int(assigned.get(static.group(2), static.group(2)), None)
            first = max(first, bound + 1) if bound is not None else first
        return {"url": m.group("url"), "fields": fields, "page": page, "json": False, "numbers": [page],
                "post": True, "first": first}
    return None


def _last_page(code: str, variable: str | None, assigned: dict[str, str]) -> int | None:
    """The page a counter's script stops at: its test against a number, or a variable the script
    set to one (`if (pg >= max) $("#more").hide()` with `var max = 3`), as a 加载更多 button hides
    itself after its last page; None when the script names no such bound."""
    if not variable:
        return None
    v = re.escape(variable)
    if read := re.search(rf"(?<![\w$.]){v}\s*(?:>=|===?)\s*{DATA_READ}", code):   # <a data-total="3">
        return markup_number(code, read.group("d") or read.group("a") or read.group("g"))
    test = re.search(rf"(?<![\w$.]){v}\s*(?:>=|===?)\s*([A-Za-z_$][\w$]*|\d+)\b", code)
    if test is None:
        return _declared_bound(code, variable) or stated_count(assigned)
    return to_int(assigned.get(test.group(1), test.group(1)), None) or markup_numbers(code).get(test.group(1))


# a page bound declared with the counter it bounds (`var n = 1, max = 3;`), by its name
BOUND_NAMES = ("max", "maxpage", "maxpages", "pagecount", "pagemax", "totalpage", "totalpages", "pagetotal")
DECLARATION = re.compile(r"\b(?:var|let|const)\s+([^;\n]*)")


def stated_count(assigned: dict[str, str]) -> int | None:
    """The page count the script states outright (`var totalPage = 2;`, drawn into its pager by a loop
    `for (i = 1; i <= totalPage; i++)`), when its page function tests no bound of its own: the pages its
    list call is asked for. None unless the script's count variables (BOUND_NAMES) agree on one number."""
    counts = {n for name, value in assigned.items() if name.lower() in BOUND_NAMES
              and (n := to_int(value, None)) is not None and n > 0}
    return counts.pop() if len(counts) == 1 else None


def _declared_bound(code: str, counter: str) -> int | None:
    """The last page a counter's declaration states beside it (`var n = 1, max = 3;` — the script
    tests nothing, its load-more handler asks while n stays within max); None when the counter is
    declared with no bound named as one."""
    for declaration in DECLARATION.finditer(code):
        names = dict(re.findall(r"(?:^|,)\s*([A-Za-z_$][\w$]*)\s*=\s*(\d+)\s*(?=,|$)", declaration.group(1)))
        if counter in names:
            bound = next((int(n) for name, n in names.items() if name.lower() in BOUND_NAMES), None)
            if bound:
                return bound
    return None


def _call_data(opening: str, rest: str, assigned: dict[str, str]):
    """(posted?, data fields) of a call whose address was built: the $.ajax options' type and
    data (`$.ajax({url: "…" + n, type: "POST", data: {…}})`), or $.post / $.get's data argument
    (`$.post("…" + n, {…}, fn)`). Fields None: the call names no data (the address is all it
    sends); False: a field whose value is not known without running the page."""
    post = ".post(" in opening
    if opening.startswith("$.ajax") and "{" in opening:
        post, form = _options_after(rest, assigned)
    elif opening.startswith(("$.post", "$.get", "axios.post")) and (data := DATA_ARGUMENT.match(rest)):
        form = _data_fields(data.group(1), assigned)
    else:
        return post, None
    return post, (False if form is None else form)


OPTIONS_DATA = re.compile(r"""\bdata\s*:\s*\{([^{}]*)\}""")
DATA_ARGUMENT = re.compile(r"""\s*,\s*\{([^{}]*)\}""")
CALLBACK = re.compile(r"\bfunction\b|=>")


def _options_after(rest: str, assigned: dict[str, str]) -> tuple[bool, list[tuple[str, str]] | None]:
    """(posted?, the data object's fields) of the $.ajax options that follow a built address,
    read up to the first callback: `type: "POST", data: {siteId: "1"}` — a service that takes the
    page in its address and the site in its form (jQuery sends data as the form of a POST, or
    appends it to the query of a GET). ([]: no data object; None: a field whose value is not known
    without running the page, so no call to repeat.)"""
    options = CALLBACK.split(rest[:2000], 1)[0]
    data = OPTIONS_DATA.search(options)
    return bool(TYPE_POST.search(options)), _data_fields(data.group(1) if data else "", assigned)


def _data_fields(data: str, assigned: dict[str, str]) -> list[tuple[str, str]] | None:
    """The (name, value) pairs of a call's data object, variables read from what the script
    assigned; None when one is not known without running the page."""
    fields = []
    for pair in PAIR.finditer(data):
        if (value := _known_value(pair, assigned)) is None:
            return None
        fields.append((pair.group(1) or pair.group(2), value))
    return fields


def _known_value(pair: re.Match, assigned: dict[str, str]) -> str | None:
    """The value of one PAIR of a call's data: its literal, else what the script assigned the
    variable (`conf["filter[CHANNELID]"]` read as `conf.filter[CHANNELID]`, object_properties'
    key); None when it is not known without running the page."""
    _, _, double, single, number, variable = pair.groups()
    value = next((g for g in (double, single, number) if g is not None), None)
    if value is None and variable is not None:
        value = assigned.get(BRACKET.sub(lambda b: "." + b.group(1), variable))
    return value


RECORD_FIELD = re.compile(r"^[A-Za-z_$][\w$]*\.([A-Za-z_$][\w$]*)$")   # node.listUrl: a field of a record


def node_list_call(text: str) -> dict | None:
    """The list call a catalogue shell's script makes for the tree node a reader clicks: the
    address is the node's own field with the page number appended (`fetch(node.listUrl + "&pageNo="
    + n)`, `$.getJSON(item.url + "?page=" + p, …)`). Catalogues drawn from a JSON tree
    (`fetch("/api/catalog/tree")`, nodes `{name, listUrl}`) give each column's list service
    in the node; the shell names the field and how the page is put to it. {key (the node's
    field), fields (what follows the address, the page's "1"), page, post}, or None."""
    code = text[:MAX_SCRIPT_CHARS]
    assigned = {m.group(1): next(g for g in m.groups()[1:] if g is not None) for m in ASSIGNMENT.finditer(code)}
    for m in CONCAT_CALL.finditer(code):
        first, *rest = re.findall(PIECE, m.group("expr"))
        field = RECORD_FIELD.match(first)
        if not field or first in assigned or (suffix := _folded(rest, assigned)) is None:
            continue
        if suffix[:1] not in ("&", "?"):
            continue   # the page put into the address some other way: not a query to add to
        fields, page = _paged_fields(suffix[1:])
        if page:
            return {"key": field.group(1), "fields": fields, "page": page, "json": False, "numbers": [page],
                    "post": ".post(" in m.group(0)}
    return None


def node_lists(call: dict, data, page_url: str) -> dict[str, tuple[str, dict]]:
    """address → (name, list call) of each catalogue node in a JSON tree that carries the field
    the shell's list call reads (node_list_call): asked as the shell asks it, page 1 first, its
    records' addresses relative to the shell page."""
    found, stack, seen = {}, [data], 0
    while stack and seen < MAX_NODES:
        node = stack.pop()
        seen += 1
        if isinstance(node, dict):
            target = node.get(call["key"])
            text, _ = menu_item({str(k): v for k, v in node.items() if isinstance(v, str)})
            if isinstance(target, str) and (url := absolute(page_url, target)) and url not in found:
                found[url] = (clean(text or ""), {**call, "url": url, "page_url": page_url})
            stack.extend(reversed([v for v in node.values() if isinstance(v, (dict, list))]))
        elif isinstance(node, list):
            stack.extend(reversed(node))
    return found


# the field of a built query a 加载更多 counter fills with the records it has shown (offset=5&size=5)
OFFSET_KEYS = ("offset", "start", "startrow", "startindex", "skip", "from", "begin")


def offset_call(code: str, assigned: dict[str, str]) -> dict | None:
    """A 加载更多 call asking its rows by a record offset the script counts (`var off = 5; function
    more(){ $.get("/interface/more?cid=12&offset=" + off + "&size=5", function(h){ $("#list").append(h);
    off += 5; }); }`): known without running the page when the script sets the counter to a number and
    raises it by one — the first call skips the rows shown, each next one a step further. Read as
    the page-numbered call it is: its first page (2: page 1 is the rows shown) asks the counter's first
    value, each later one a step more (api_request), its HTML rows asked while they come full. A
    counter the script does not state is not guessed."""
    for m in CONCAT_CALL.finditer(code):
        address, counter = _folded_page(re.findall(PIECE, m.group("expr")), assigned, OFFSET_KEYS, ()) or ("", None)
        if not address or counter is None:
            continue
        path, _, query = address.partition("?")
        fields, page = _paged_fields(query)
        if _side_effect(path, [k for k, _ in fields]):
            continue
        if (size := _page_offset(code, counter, assigned)) is not None:   # offset = (page - 1) * limit
            return {"url": path, "fields": fields, "page": page, "json": False, "numbers": [page],
                    "post": ".post(" in m.group(0), "first": 1, "offset": 0, "step": size}
        if to_int(assigned.get(counter), None) is None:
            continue
        v = re.escape(counter)
        raised = re.search(rf"(?<![\w$.]){v}\s*(?:\+=\s*(\d+)|=\s*{v}\s*\+\s*(\d+))", code)
        step = to_int(raised and (raised.group(1) or raised.group(2)), 0)
        if not step:
            continue
        return {"url": path, "fields": fields, "page": page, "json": False, "numbers": [page],
                "post": ".post(" in m.group(0), "first": 2, "offset": int(assigned[counter]), "step": step}
    return None


def _page_offset(code: str, counter: str, assigned: dict[str, str]) -> int | None:
    """The page size of an offset the script works out from the page asked (`function load(page){ var
    offset = (page - 1) * limit; fetch("…&offset=" + offset + "&limit=" + limit) }`, `limit = 6`): an
    offset/limit service paged by number — page N starts (N - 1) × size records in. None when the
    counter is not so computed or the size is not a number the script states."""
    v = re.escape(counter)
    m = re.search(rf"(?<![\w$.]){v}\s*=(?!=)\s*\(\s*[A-Za-z_$][\w$]*\s*-\s*1\s*\)\s*\*\s*([A-Za-z_$][\w$]*|\d+)", code)
    return _stated_size(m.group(1), assigned) if m else None


def _stated_size(term: str, assigned: dict[str, str]) -> int | None:
    """The page size a `(page - 1) * size` term multiplies by: a number, or a variable the script assigned a
    positive number (_offset_fields, _page_offset); None otherwise."""
    size = to_int(term if term.isdigit() else assigned.get(term), None)
    return size if size and size > 0 else None


def api_request(base: str, call: dict, page: int) -> scrapy.Request:
    # a call counting records (offset_call) asks its first page from the counter's first value, each
    # page after it a step further
    offset = str(call["offset"] + (page - call["first"]) * call["step"]) if call.get("step") else None
    number = str(page + call.get("base", 0)) if call.get("start") or offset is None else offset
    number = call.get("page_prefix", "") + number   # a typed argument (DWR's `number:2`)
    # a widget sending the page and its first record both (Ext JS: page, start): each its own
    fields = [(k, v.replace(PAGE_SLOT, number) if PAGE_SLOT in v else number if k == call["page"]
               else offset if k == call.get("start") else v) for k, v in call["fields"]]
    # the page written into the path (concatenated_call), else a field of the query or body
    url = urljoin(call.get("page_url") or base, call["url"].replace(PAGE_SLOT, str(page + call.get("base", 0))))
    meta = {"jsonlist": call, "page_number": page}
    if call.get("json"):   # data: JSON.stringify({…}): the fields as a JSON body
        body = json.dumps({k: int(v) if k in call["numbers"] else v for k, v in fields}, ensure_ascii=False)
        return scrapy.Request(url, method="POST" if call["post"] else "GET", body=body, meta=meta,
                              headers={"Content-Type": "application/json;charset=UTF-8"})
    if call.get("json_form") and call["post"]:   # axios.post(url + "?current=" + n, {…}): the data as JSON
        body = json.dumps(dict(call["form"]), ensure_ascii=False)
        return scrapy.Request(_with_query(url, fields), method="POST", body=body, meta=meta,
                              headers={"Content-Type": "application/json;charset=UTF-8"})
    if call.get("form") is not None and call["post"]:   # the page in the address, the data as the form
        return scrapy.FormRequest(_with_query(url, fields), method="POST", formdata=call["form"], meta=meta)
    fields += call.get("form") or []   # a GET's data object: more of the query
    if call["post"]:
        return scrapy.FormRequest(url, formdata=fields, meta=meta)
    return scrapy.Request(_with_query(url, fields), meta=meta)


def _with_query(url: str, fields: list[tuple[str, str]]) -> str:
    """The address with the fields appended to its query (none: the address as it is)."""
    return f"{url}{'&' if '?' in url else '?'}{urlencode(fields)}" if fields else url


def answer_records(data) -> list[tuple[str, str, str | None]]:
    """(title, address, date) of the answer's objects that name a document: a title and an address,
    at any depth (`{"data": {"docs": [{"title", "url"}]}}`)."""
    found, stack, seen = [], [data], 0
    while stack and seen < MAX_NODES:
        node = stack.pop()
        seen += 1
        if isinstance(node, dict):
            fields = {str(k): v for k, v in node.items() if isinstance(v, str)}
            text, target = menu_item(fields)
            if text and target:
                when = next((v for k, v in fields.items() if DATE_KEY.search(k) and DATE.search(v)), None)
                found.append((text, target, when))
            elif (row := _cells(node.get("cell"))) is not None:
                found.append(row)
            stack.extend(reversed([v for v in node.values() if isinstance(v, (dict, list))]))
        elif isinstance(node, list):
            stack.extend(reversed(node))
    return found


CELL_ADDRESS = re.compile(r"^(?:https?://|/|\.{0,2}/?[\w-]+/)[^\s<>\"']*\.(?:s?html?|jsp|aspx?|php|pdf|docx?|wps|ofd)\b",
                          re.I)
CELL_TEXT = re.compile(r"[\u4e00-\u9fff]{4,}")


def _cells(cells) -> tuple[str, str, str | None] | None:
    """(title, address, date) of a grid row given as its cells alone (jqGrid's `{"id": …, "cell": [title,
    address, date]}`, repeatitems): the first cell that reads as an address, the first with a title's text,
    the first with a date; None when the row names no document."""
    if not isinstance(cells, list) or not all(isinstance(c, (str, int, float)) or c is None for c in cells):
        return None
    texts = [c for c in cells if isinstance(c, str)]
    target = next((c for c in texts if CELL_ADDRESS.match(c.strip())), None)
    title = next((c for c in texts if c is not target and CELL_TEXT.search(c)), None)
    when = next((c for c in texts if c not in (target, title) and DATE.search(c)), None)
    return (title, target.strip(), when) if title and target else None


FRAGMENT = re.compile(r"<a\s[^>]*href", re.I)


def answer_fragments(data) -> list[str]:
    """The HTML fragments an answer carries as string values (`{"status": 1, "totalPage": 2, "html":
    "<li><a href=…>…</a></li>"}`): a service that renders the rows itself and hands them to the
    shell's script to write into its empty list (`$("#list").html(r.html)`) in a JSON envelope that
    also holds the page count. Any string holding a link, at any depth."""
    found, stack, seen = [], [data], 0
    while stack and seen < MAX_NODES:
        node = stack.pop()
        seen += 1
        if isinstance(node, str):
            if FRAGMENT.search(node):
                found.append(node)
        elif isinstance(node, dict):
            stack.extend(reversed(list(node.values())))
        elif isinstance(node, list):
            stack.extend(reversed(node))
    return found


def dated_entries(records, base: str) -> list[Entry]:
    """Entries for answer records (title, address, date): a file linked straight is dated by its
    record (it has no page to say when it was published), a page by its own."""
    return [Entry(url, clean(re.sub(r"<[^>]+>", "", text)), day_of(when) if attachment_kind(url) else None)
            for text, target, when in records if (url := absolute(base, target))]


def _number(data, keys: tuple[str, ...]) -> int | None:
    """The first of `keys` (any case) in the answer or one level down (`{data: {pageCount}}`)."""
    levels = [data] + [v for v in data.values() if isinstance(v, dict)] if isinstance(data, dict) else []
    for level in levels:
        lower = {str(k).lower(): v for k, v in level.items()}
        for key in keys:
            if (value := to_int(lower.get(key), None)) is not None:
                return value
    return None


def page_count(data, call: dict) -> int:
    """Pages the answer announces: its page count, else its total over the page size — the size
    the answer or the call names, else the number of records page 1 holds (a service that fixes
    its page size server-side, `{"total": 12, "articles": [5 records]}`, and a call that names
    none: page 1 is full unless it is the last)."""
    if (pages := _number(data, (call["pages_key"].lower(),) if call.get("pages_key") else COUNT_KEYS)) is not None:
        return pages   # a widget's own page-count key (jqGrid's `total`) first: it is no record total there
    total, size = _number(data, TOTAL_KEYS), _number(data, SIZE_KEYS)
    if size is None:
        size = next((to_int(v, None) for k, v in call["fields"] if k.lower() in SIZE_KEYS), None)
    if size is None:
        size = len(answer_records(data)) or None
    return math.ceil(total / size) if total and size else 1


def shell_requests(response: Response, call: dict | None) -> list[scrapy.Request]:
    """The request of a shell page's list `call` (api_call) at its first page; none for no call, or for
    a 加载更多 button with nothing behind the rows shown."""
    if not call or call.get("first", 1) > call.get("last", call.get("first", 1)):
        return []
    first = api_request(response.url, dict(call, page_url=response.url), call.get("first", 1))
    if call.get("first", 1) <= 1:   # its page 1 repeats the rows the shell shows (动静结合), if any:
        first.meta["first_page"] = True   # no page that brought nothing new, its count still read
    return [first]


def selected_part(selector, select: str | None):
    """The part of an HTML answer the call inserts (loaded_part's selector, `#docs > li`): the rows
    jQuery's `.load()` puts into the shell, not the whole page's menus and footer around them. The
    whole answer when the call names no part, or one this reader cannot take (a jQuery-only selector)."""
    if not select:
        return selector
    try:
        picked = selector.css(select)
    except (SelectorError, ValueError):
        return selector
    return Selector(text="".join(picked.getall())) if picked else selector


class JsonListAdapter:
    name = "jsonlist"

    def detect(self, response: Response) -> bool:
        if is_html(response):
            call = api_call(response.text)
            # an XML feed read whole, a cursor-paged feed, are lists only on a column's page (a home page may
            # load its menu, its news ticker so)
            meta = meta_of(response)
            return bool(call) and (not (call.get("feed") or call.get("cursor"))
                                   or bool(meta.get("kind") or meta.get("catch_all")))
        return "jsonlist" in meta_of(response)

    def entries(self, response: Response):
        # a shell's own links, an HTML answer's, and the addresses the script writes into the list page
        # from a record ("./202503/t….html") are relative to the shell they fill, not to the service
        listed = meta_of(response).get("jsonlist") or {}
        base = listed.get("page_url") or response.url
        if is_html(response):
            return main_list(selected_part(response.selector, listed.get("select")), base)
        data = json_of(response)
        if data is not None:   # its records, and the rows of an HTML fragment it carries ({html, totalPage})
            known = dated_entries(answer_records(data), base)
            urls = {e.url for e in known}
            return known + [e for e in fragment_entries(answer_fragments(data), base) if e.url not in urls]
        elif listed.get("feed") or is_xml_answer(response):   # an XML feed the shell renders (feed_call), or
            records = feed_records(text_of(response))          # one page of a paged XML service
        else:
            return []
        return dated_entries(records, base)

    def more_pages(self, response: Response):
        meta = meta_of(response)
        call, page = meta.get("jsonlist"), meta.get("page_number")
        if is_html(response) and not call:   # the shell: its script's call, at its first page
            return shell_requests(response, api_call(response.text))
        if is_html(response):   # an HTML fragment the script puts into the shell ($("#list").html(h))
            data, pages = None, fragment_page_count(response.selector)
            if pages <= 1 and _appends(call):   # 加载更多 rows: no count, asked while they come full
                return self._next_fragment(response, meta)
        else:
            data = json_of(response)
            if call and call.get("cursor") and data is not None:   # a feed whose answer names the next request
                if not meta.get("kind") and not any(link_kind(e.title) for e in self.entries(response)):
                    return []
                return cursor_request(response, data, call, page or 1)
            if data is None and is_xml_answer(response):   # a paged XML service: <totalPage>2</totalPage>
                data = xml_fields(text_of(response))
            pages = page_count(data, call) if call and data is not None else 1
        if pages <= 1 and call and call.get("last"):   # no count in the answer: where its script stops
            pages = call["last"]
        if not (call and page == call.get("first", 1) and pages > 1):
            return []
        # a report column's service, or one whose first page lists a report: not a news feed that
        # a home page's widget loads, whose thousands of pages hold none
        if not meta.get("kind") and not any(link_kind(e.title) for e in self.entries(response)):
            return []
        # N pages end at N, or at N - 1 for a service counting its pages from 0 (its script asks page 0 first)
        last = pages - 1 if call.get("first", 1) == 0 else pages
        return [api_request(response.url, call, p) for p in pager_range(page + 1, last)]

    def _next_fragment(self, response: Response, meta: dict):
        """The page after an HTML fragment a 加载更多 call appends (`$.get("/Ajax/GetList.ashx",
        {nodeid: 12, pageindex: idx, pagesize: 5}, function(h){ $("#list").append(h) })`): such a
        service announces no count, its button asks page after page until an answer comes short
        of the call's page size (or empty) — where the list ends. A report column's, or one whose
        rows name a report."""
        call, page = meta["jsonlist"], meta.get("page_number") or 1
        rows = self.entries(response)
        size = next((to_int(v, None) for k, v in call["fields"] if k.lower() in SIZE_KEYS), None)
        if not rows or (size and len(rows) < size) or page >= call.get("first", 1) + MAX_PAGER_PAGES - 1 \
                or page >= call.get("last", page + 1):   # the last page its script asks
            return []
        if not meta.get("kind") and not any(link_kind(e.title) for e in rows):
            return []
        return [api_request(response.url, call, page + 1)]


PAGES_TEXT = re.compile(r"共\s*(\d+)\s*页|/\s*(\d+)\s*页")


def fragment_page_count(selector) -> int:
    """Pages an HTML answer's pager announces: the largest number its links hand to the shell's
    page function (`<a href="javascript:void(0)" onclick="searchPage(3)">3</a>`, `javascript:go(3)` —
    the function lives in the shell, so the link has no address; `<button onclick="getList(2)">`), or its
    共N页; 1 when it has none."""
    numbers = [1]
    for a in selector.xpath(f"(//a | //*[not(self::a)][@onclick])[position() <= {MAX_LINKS}]"):
        for handler in (a.attrib.get("onclick"), a.attrib.get("href")):
            m = CALL.match(handler or "")
            if m and m.group(1) not in ("void", "open", "alert") and (args := m.group(2).strip()).isdigit():
                numbers.append(int(args))
    text = " ".join(selector.xpath("//text()").getall())
    numbers += [int(a or b) for a, b in PAGES_TEXT.findall(text)]
    return max(numbers)


def _appends(call: dict) -> bool:
    """Does the call fetch rows to append under those shown (a 加载更多 button's service: its page
    counter raised before the first call, or a page size its answers are measured against), rather
    than a page to put in the shell's place, whose own pager says how many there are?"""
    return call.get("first", 1) > 1 or any(k.lower() in SIZE_KEYS for k, _ in call.get("fields", ()))
