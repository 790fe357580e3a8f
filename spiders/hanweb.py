"""大汉 Hanweb jcms (jpage): list records in CDATA, further pages from dataproxy.jsp.

A column page (`/col/col{ID}/index.html`) carries its first records inside
`<script type="text/xml"><datastore><recordset><record><![CDATA[<li>…</li>]]>`,
invisible to an HTML parser, and a jpage call with the proxy's parameters:

    $('#4531779').jpage({proxyUrl:'/module/web/jpage/dataproxy.jsp', perPage:15,
        totalRecord:52, groupSize:3, ajaxParam:{col:1, appid:1, webid:2865, path:'/',
        columnid:1229106823, sourceContentType:1, unitid:4531779, webname:'…', permissiontype:0}})

Later groups are POSTed to `dataproxy.jsp?startrecord=46&endrecord=90&perpage=15`
with the ajaxParam fields as the form body; a page that inlines less than a group (its first
15 records where a group is 3 × 15) and has no nextgroup link continues from the first record
it does not hold (`startrecord=16&endrecord=60`), as jpage.js asks — for a call naming no groupSize,
a proxy answering that range 404 is asked groups of what the page inlined (`startrecord=7&endrecord=12`),
range after range. Sites whose page only has a `nextgroup`
link (`dataproxy.jsp?page=1&appid=…&columnid=…&unitid=…`) are paged by GET with
page=2…totalpage, the count coming from the XML answer's <totalpage>. A config that names the
proxy's GET query itself (`{proxyUrl:'…/dataproxy.jsp', perPage:5, totalRecord:11,
param:'appid=1&webid=41&path=/&columnid=20077&unitid=320077&permissiontype=0'}`, no ajaxParam
form, no nextgroup link) is paged the same way: `dataproxy.jsp?page=N&` + that query, for the pages
after those inlined, up to the inlined <totalpage> (else totalRecord over perPage).

A column template may ask the proxy through a loader of its own and inline nothing
(`function loadPage(p){var s=(p-1)*perpage+1,e=p*perpage; $.ajax({url:'…/dataproxy.jsp?startrecord='+s+
'&endrecord='+e+'&perpage='+perpage, type:'POST', data:{…columnid…}})} loadPage(1);`): its pages are the
loader's ranges, worked out by its own arithmetic (range_loader), up to the page's totalRecord.

Columns with a 加载更多 button show their first records as plain HTML and POST
`morecolumndataproxy.jsp?startrecord=4&endrecord=6&perpage=3` with the form of the
page's own `$.ajax({url:…, data:{columnid:…}})` call; each full answer asks for the next group.
"""
from __future__ import annotations

import ast
import html
import operator
import re
from urllib.parse import parse_qsl, urlencode, urljoin

import scrapy
from scrapy.http import Response

from .base import MAX_PAGER_PAGES, fragment_entries, is_html, main_list, pager_range, param, text_of, to_int, with_param
from .jsonlist import ASSIGNMENT, TOTAL_KEYS, api_call, shell_requests
from .pagers import function_pages

RECORD = re.compile(r"<record>\s*<!\[CDATA\[(.*?)\]\]>\s*</record>", re.S)
# the link inside the nextgroup's own CDATA: an empty one (`<nextgroup><![CDATA[]]></nextgroup>`, a page
# with no group link) names nothing, though the records after it have links of their own
NEXTGROUP = re.compile(r"<nextgroup>\s*<!\[CDATA\[(?:(?!\]\]>).)*?href=[\"']([^\"']+)", re.S)
JPAGE = re.compile(r"\.jpage\s*\(\s*\{(.*?)\}\s*\)", re.S)
# the same options kept in a config object the page's script hands to jpage later
# (`var jpage_4531779 = {proxyUrl:'…', perPage:15, ajaxParam:{…}}`): an object naming proxyUrl
JPAGE_CONFIG = re.compile(r"\{((?:[^{}]|\{[^{}]*\})*?\bproxyUrl\b(?:[^{}]|\{[^{}]*\})*)\}")
AJAX_PARAM = re.compile(r"ajaxParam\s*:\s*\{(.*?)\}", re.S)
JS_PAIR = re.compile(r"(\w+)\s*:\s*(?:'([^']*)'|\"([^\"]*)\"|([\w./-]+))")
TOTAL_PAGE = re.compile(r"<totalpage>\s*(\d+)\s*</totalpage>")
TOTAL_RECORD = re.compile(r"<totalrecord>\s*(\d+)\s*</totalrecord>")
PROXY = "/module/web/jpage/dataproxy.jsp"
MORE = "morecolumndataproxy.jsp"
MORE_CALL = re.compile(r"url\s*:\s*['\"]([^'\"]*morecolumndataproxy\.jsp)[^,]*?perpage=(\d+)"
                       r".*?data\s*:\s*\{(.*?)\}", re.S)
START_RECORD = re.compile(r"\bstartrecord\s*=\s*(\d+)")
PAGE_FIELD = re.compile(r"(?:^|&)page=[^&]*")


def js_object(body: str) -> dict[str, str]:
    """`key:'v', key2:12` pairs of a flat JavaScript object literal."""
    return {m.group(1): next(g for g in m.groups()[1:] if g is not None) for m in JS_PAIR.finditer(body)}


# the fields dataproxy.jsp reads (the ajaxParam of the jpage calls we know: cms_patterns.md §3) and the
# values its calls give those that never vary (col=1: a column's list; the site's root path)
PROXY_FIELDS = ("col", "appid", "webid", "path", "columnid", "sourceContentType", "unitid", "webname",
                "permissiontype")
PROXY_DEFAULTS = {"col": "1", "appid": "1", "path": "/", "permissiontype": "0"}


def jpage_call(text: str) -> tuple[dict, dict] | None:
    """(jpage options, ajaxParam form fields) of the page's jpage call — or of a pager of the
    same proxy called by another name (proxy_pager)."""
    call = JPAGE.search(text) or JPAGE_CONFIG.search(text)
    if not call:
        return proxy_pager(text)
    body = call.group(1)
    form = AJAX_PARAM.search(body)
    options = js_object(AJAX_PARAM.sub("", body))
    return options, js_object(form.group(1)) if form else proxy_form(options)


# a column template's own pager over the same proxy (`new Pager({url: "/module/web/jpage/dataproxy.jsp",
# perpage: 6, param: param_1229732})`): an object literal naming dataproxy.jsp as its url
PROXY_PAGER = re.compile(r"\{((?:[^{}]|\{[^{}]*\})*?\burl\s*:\s*['\"][^'\"]*dataproxy\.jsp['\"]"
                         r"(?:[^{}]|\{[^{}]*\})*)\}")
# jpage's option names as such a pager spells them
OPTION_NAMES = {"url": "proxyUrl", "perpage": "perPage", "pagesize": "perPage", "totalrecord": "totalRecord",
                "total": "totalRecord", "groupsize": "groupSize"}
NUMBER_VAR = re.compile(r"\b(?:var|let|const)\s+([A-Za-z_$][\w$]*)\s*=\s*(\d+)\s*[;,\n]")


def proxy_pager(text: str) -> tuple[dict, dict] | None:
    """(options in jpage's names, form) of a pager the column template builds over dataproxy.jsp
    under a name of its own (`var param_12 = {col:1, …, columnid:12, …}; var totalRecord = 11;
    new Pager({url:"/module/web/jpage/dataproxy.jsp", perpage:6, param:param_12})`): its page size,
    the proxy's form from the object its option names (the one holding a columnid), its record
    count from the option or the page's own `totalRecord` variable. Such a pager asks the proxy a
    page at a time (it knows no jpage group), as the browser's POSTs of `startrecord=7&endrecord=12
    &perpage=6` show. None without a form: the proxy lists nothing unnamed."""
    call = PROXY_PAGER.search(text)
    if not call:
        return None
    raw = js_object(call.group(1))
    options = {OPTION_NAMES.get(key.lower(), key): value for key, value in raw.items()}
    numbers = dict(NUMBER_VAR.findall(text))
    form = {}
    for value in raw.values():   # the option naming the form object the page assigned
        if re.fullmatch(r"[A-Za-z_$][\w$]*", value) and (obj := _assigned_object(text, value)) \
                and "columnid" in obj:
            form = obj
            break
    options = {key: numbers.get(value, value) for key, value in options.items()}
    options.setdefault("totalRecord", numbers.get("totalRecord", "0"))
    options.setdefault("groupSize", "1")
    return (options, form) if form else None


def _assigned_object(text: str, name: str) -> dict[str, str] | None:
    """The flat object literal the page's script assigns to `name` (`var param_12 = {…}`)."""
    m = re.search(rf"\b{re.escape(name)}\s*=\s*\{{([^{{}}]*)\}}", text)
    return js_object(m.group(1)) if m else None


# a loader of the template's own that writes the range into the proxy's address
# (`'/module/web/jpage/dataproxy.jsp?startrecord='+s+'&endrecord='+e+'&perpage='+perpage`)
_IDENT = r"[A-Za-z_$][\w$]*"
RANGE_CALL = re.compile(rf"""["']([^"'\s]*dataproxy\.jsp)\?startrecord=["']\s*\+\s*({_IDENT})\s*\+\s*["']"""
                        rf"""&endrecord=["']\s*\+\s*({_IDENT})\s*\+\s*["']&perpage=(?:(\d+)|["']\s*\+\s*({_IDENT}))""")
FUNCTION_HEAD = re.compile(rf"\bfunction\s+{_IDENT}\s*\(\s*({_IDENT})\s*\)\s*\{{")
LOADER_DATA = re.compile(r"\bdata\s*:\s*\{([^{}]*)\}")
LOADER_POST = re.compile(r"""\btype\s*:\s*["']post["']""", re.I)
_ARITHMETIC = {ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul}


def _arithmetic(expression: str, names: dict[str, int]) -> int | None:
    """The value of an integer expression of + - * and parentheses over `names`; None for anything
    else (a call, a name the page does not state): a loader's range is read, never guessed."""
    def value(node):
        if isinstance(node, ast.Expression):
            return value(node.body)
        if isinstance(node, ast.Constant) and type(node.value) is int:
            return node.value
        if isinstance(node, ast.Name) and node.id in names:
            return names[node.id]
        if isinstance(node, ast.BinOp) and type(node.op) in _ARITHMETIC:
            return _ARITHMETIC[type(node.op)](value(node.left), value(node.right))
        raise ValueError(expression)
    try:
        return value(ast.parse(expression.strip(), mode="eval"))
    except (SyntaxError, ValueError, RecursionError):
        return None


def range_loader(text: str, base: str) -> list[scrapy.Request]:
    """The proxy's pages a column template's own loader asks (`function loadPage(p){var s=(p-1)*
    perpage+1, e=p*perpage; $.ajax({url:'…dataproxy.jsp?startrecord='+s+'&endrecord='+e+'&perpage='+
    perpage, type:'POST', data:{col:1, …, columnid:1229421, …}})}`): for each page 1…totalRecord ÷
    perpage, the range the loader's own expressions give (`startrecord=11&endrecord=20&perpage=10`),
    the data object as its form. Nothing when a range expression, the page size or the record count
    is not stated in the page, or the data names no columnid (the proxy lists nothing unnamed)."""
    call = RANGE_CALL.search(text)
    heads = list(FUNCTION_HEAD.finditer(text, 0, call.start())) if call else []
    if not heads:
        return []
    head = heads[-1]   # the function around the call
    numbers = {m.group(1): int(m.group(4)) for m in ASSIGNMENT.finditer(text) if m.group(4) is not None}
    per_page = to_int(call.group(4), 0) or numbers.get(call.group(5) or "", 0)
    total = next((n for name, n in numbers.items() if name.lower() in TOTAL_KEYS), 0)
    data = LOADER_DATA.search(text, call.end(), call.end() + 400)
    form = js_object(data.group(1)) if data else {}
    if per_page < 1 or not total or "columnid" not in form:
        return []
    body, page = text[head.end():call.start()], head.group(1)
    ranges = []
    for number in range(1, min(-(-total // per_page), MAX_PAGER_PAGES) + 1):
        names = {**numbers, page: number}
        start, end = (_arithmetic(m.group(1), names) if (m := re.search(
            rf"(?:\b(?:var|let|const)\s+|[,;]\s*|^\s*){re.escape(name)}\s*=\s*([^,;]+)", body, re.M)) else None
            for name in call.group(2, 3))
        if not start or not end or end < start:
            return []
        ranges.append(HanwebAdapter._range_url(urljoin(base, call.group(1)), start, end, per_page))
    if LOADER_POST.search(text, call.end(), call.end() + 400):
        return [scrapy.FormRequest(url, formdata=form) for url in ranges]
    return [scrapy.Request(f"{url}&{urlencode(form)}") for url in ranges]


def _sent_form(request) -> dict[str, str]:
    """The form a POSTed proxy request sent: the next range of the same list is asked with it."""
    return dict(parse_qsl((request.body or b"").decode("utf-8", "replace")))


def proxy_form(options: dict) -> dict[str, str]:
    """The proxy's form when the call's options name it in place of an ajaxParam object
    (`var jpage_6120 = {proxyUrl…, perPage: 5, columnid: 6120, unitid: 56120, webid: 3}`): the
    proxy fields among the options, the rest as the calls we know send them. None without a
    columnid: the proxy lists nothing unnamed."""
    fields = {key: options[key] for key in PROXY_FIELDS if key in options}
    return {**PROXY_DEFAULTS, **fields} if "columnid" in fields else {}


def proxy_query(options: dict) -> str | None:
    """The proxy's GET query a jpage config names as one string option (`param:'appid=1&webid=41&
    path=/&columnid=20077&unitid=320077'`) in place of an ajaxParam form: jpage.js appends it to
    `dataproxy.jsp?page=N&`. None when no option is a query naming a columnid (the proxy lists
    nothing unnamed)."""
    for value in options.values():
        if "=" in value and "columnid" in dict(parse_qsl(value.lstrip("?&"))):
            # a query that carries its own page field (`page={page}&appid=…`, jpage filling the slot):
            # the page is the one asked, set in front
            return PAGE_FIELD.sub("", value.lstrip("?&")).strip("&")
    return None


def _sizes(options: dict) -> tuple[int, int]:
    """(records a page, records a group) of a jpage call: perPage, and perPage × groupSize."""
    per_page = max(to_int(options.get("perPage"), 15), 1)
    return per_page, per_page * max(to_int(options.get("groupSize"), 3), 1)


def _whole_group(text: str, options: dict) -> bool:
    """Does the page inline a whole record group (perPage × groupSize records, or every record)?
    Only then do the later groups start where the call's arithmetic says."""
    return len(RECORD.findall(text)) >= min(_sizes(options)[1], to_int(options.get("totalRecord"), 0))


def _proxy_page(url: str) -> scrapy.Request:
    """A request for a page of the proxy. Page 1 repeats the inlined records: it must not count as a
    page that brought nothing new."""
    return scrapy.Request(url, meta={"first_page": True} if (param(url, "page") or "1") == "1" else {})


class HanwebAdapter:
    name = "hanweb"

    def detect(self, response: Response) -> bool:
        text = text_of(response)
        return "<datastore>" in text or "jpage/dataproxy.jsp" in text or MORE in text

    def entries(self, response: Response):
        records = RECORD.findall(text_of(response))
        if not records and is_html(response):   # a 加载更多 column lists its first records plainly
            return main_list(response.selector, response.url)
        return fragment_entries(records, response.url)

    def more_pages(self, response: Response):
        text = text_of(response)
        if MORE in response.url:
            return self._next_group(response, text)
        call = MORE_CALL.search(text)
        if call:
            proxy, per_page, form = call.groups()
            start = to_int(next(iter(START_RECORD.findall(text)), None), 1)
            return [self._group(urljoin(response.url, proxy), start, to_int(per_page, 15), js_object(form))]
        if "dataproxy.jsp" in response.url:
            if (response.request is not None and response.request.meta.get("jpage_pages")
                    and "or_else" not in response.request.meta):   # a page-sized group answered
                return self._next_page_range(response, text)
            return self._rest_of_range(response, text) or self._later_pages(response, text)
        call = jpage_call(text)
        if call and call[1] and _whole_group(text, call[0]) and (groups := self._groups(response, text, *call)):
            return groups
        # no group beyond the inlined one by the call's arithmetic (it inlines one page, not a
        # group, or names no groupSize): the page's own nextgroup link is where the rest is, else
        # the proxy from the first record the page does not hold
        link = NEXTGROUP.search(text)
        if not link and call and not call[1] and (query := proxy_query(call[0])):
            return self._query_pages(response, text, call[0], query)
        if not link and call and call[1]:
            return self._after_inlined(response, text, *call)
        if not link and not call and is_html(response) and (pages := range_loader(text, response.url)):
            return pages   # no jpage config: the template's own loader asks the proxy by ranges
        if not link and is_html(response) and (call := api_call(text)) and call.get("first", 1) > 1:
            # no jpage config, a 加载更多 button's list call in the page's script, its counter raised before
            # it asks (`curPage++; $.get(".../morecolumndataproxy.jsp", {page: curPage, columnid: 4740, …})`):
            # that call's pages after the rows shown, with the call's data
            return shell_requests(response, call)
        if not link:   # no jpage config: the page's own pager function asks the proxy (`gotoPage(2)` → $.get)
            pages = function_pages(response.selector, response.url) if is_html(response) else []
            return [_proxy_page(url) for url in pages]
        url = urljoin(response.url, html.unescape(link.group(1)))
        if call and call[1] and (groups := self._from_nextgroup(url, call[0], call[1])):
            return groups
        return [_proxy_page(url)]

    @staticmethod
    def _groups(response: Response, text: str, options: dict, form: dict):
        """POST requests for every record group after the one inlined in the page."""
        per_page = _sizes(options)[0]
        total = to_int(options.get("totalRecord"), 0)
        group = max(len(RECORD.findall(text)), per_page * to_int(options.get("groupSize"), 3))
        proxy = urljoin(response.url, options.get("proxyUrl") or PROXY)
        requests = []
        for start in range(group + 1, min(total, group * MAX_PAGER_PAGES) + 1, group):
            url = f"{proxy}?startrecord={start}&endrecord={min(start + group - 1, total)}&perpage={per_page}"
            whole = f"{proxy}?startrecord={start}&endrecord={start + group - 1}&perpage={per_page}"
            # the last group is asked up to totalRecord, as jpage.js does; a proxy that knows the
            # group only by its whole range (…&endrecord=15 for records 11-13) is asked that after
            requests.append(scrapy.FormRequest(url, formdata=form, meta={"or_else": whole} if whole != url else {}))
        return requests

    @staticmethod
    def _query_pages(response: Response, text: str, options: dict, query: str):
        """GET requests for the pages after those the page inlines, from a config naming the
        proxy's query (proxy_query): `dataproxy.jsp?page=N&<query>`, N from the first page not
        inlined up to the count the inlined datastore gives (<totalpage>), else totalRecord over
        perPage — where jpage's own pager ends."""
        per_page = _sizes(options)[0]
        pages = TOTAL_PAGE.search(text)
        last = int(pages.group(1)) if pages else -(-to_int(options.get("totalRecord"), 0) // per_page)
        first = len(RECORD.findall(text)) // per_page + 1
        proxy = urljoin(response.url, options.get("proxyUrl") or PROXY)
        return [scrapy.Request(f"{proxy}?page={n}&{query}", meta={"jpage_generated": True})
                for n in pager_range(first, last)]

    @staticmethod
    def _after_inlined(response: Response, text: str, options: dict, form: dict):
        """POST requests for the records after those inlined, when the page inlines fewer than a
        group (one page of 15 where the call's group is 3 × 15) and names no nextgroup link: jpage.js asks
        the proxy for the next group from the first record it does not hold
        (`startrecord=16&endrecord=60`), a group at a time, up to totalRecord."""
        inlined, total = len(RECORD.findall(text)), to_int(options.get("totalRecord"), 0)
        per_page, group = _sizes(options)
        if not inlined or inlined >= total:
            return []
        proxy = urljoin(response.url, options.get("proxyUrl") or PROXY)
        requests = [HanwebAdapter._group_of(proxy, start, group, per_page, form)
                    for start in range(inlined + 1, min(total, inlined + group * MAX_PAGER_PAGES) + 1, group)]
        if "groupSize" not in options:   # no group named: the proxy may keep one of what the page inlined
            requests = [r.replace(meta={"or_else": HanwebAdapter._page_range(r.url, inlined, total),
                                        "jpage_pages": True}) for r in requests]
        return requests

    @staticmethod
    def _page_range(url: str, size: int, total: int) -> str:
        """The range of `size` records (up to totalRecord) from the group `url` starts at."""
        start = to_int(param(url, "startrecord"), 1)
        return HanwebAdapter._range_url(url.split("?")[0], start, min(start + size - 1, total), param(url, "perpage"))

    @staticmethod
    def _next_page_range(response: Response, text: str):
        """After a range the proxy answered in place of a whole group (the `or_else` of a call naming
        no groupSize: `startrecord=7&endrecord=12&perpage=6`, a group of what the page inlined), the
        next range of that size, the last up to the answer's <totalrecord> (`13…13`), same form — as
        jpage asks a proxy whose group is one page. A short answer, or one reaching the total, ends it."""
        request = response.request
        start, end = to_int(param(response.url, "startrecord"), 0), to_int(param(response.url, "endrecord"), 0)
        total = TOTAL_RECORD.search(text)
        size = end - start + 1
        if request is None or not (start and total) or size < 1 or len(RECORD.findall(text)) < size \
                or end >= int(total.group(1)):
            return []
        last = min(end + size, int(total.group(1)))
        url = HanwebAdapter._range_url(response.url.split("?")[0], end + 1, last, param(response.url, "perpage"))
        return [scrapy.FormRequest(url, formdata=_sent_form(request), meta={"jpage_pages": True})]

    @staticmethod
    def _from_nextgroup(url: str, options: dict, form: dict):
        """POST requests from the page's nextgroup link when it names a record range
        (`dataproxy.jsp?startrecord=4&endrecord=6&perpage=3`): jpage.js POSTs that link with the
        call's ajaxParam form (a GET of it answers nothing), then the groups after it, the same
        size, up to totalRecord."""
        start, end = to_int(param(url, "startrecord"), 0), to_int(param(url, "endrecord"), 0)
        if not start or end < start:
            return []
        size, total = end - start + 1, to_int(options.get("totalRecord"), 0) or end
        per_page = to_int(param(url, "perpage"), 0) or _sizes(options)[0]
        proxy = url.split("?")[0]
        return [HanwebAdapter._group_of(proxy, first, size, per_page, form)
                for first in range(start, min(total, start - 1 + size * MAX_PAGER_PAGES) + 1, size)]

    @staticmethod
    def _group_of(proxy: str, start: int, size: int, per_page: int, form: dict) -> scrapy.Request:
        return scrapy.FormRequest(HanwebAdapter._range_url(proxy, start, start + size - 1, per_page), formdata=form)

    @staticmethod
    def _range_url(proxy: str, start: int, end: int, per_page) -> str:
        """The proxy's address for records `start`…`end`, as jpage.js writes it."""
        return f"{proxy}?startrecord={start}&endrecord={end}&perpage={per_page}"

    @staticmethod
    def _group(proxy: str, start: int, per_page: int, form: dict) -> scrapy.Request:
        return HanwebAdapter._group_of(proxy, start, per_page, per_page, form)

    def _next_group(self, response: Response, text: str):
        """A full 加载更多 answer may have more behind it: ask for the next group, same form."""
        per_page, start = to_int(param(response.url, "perpage"), 0), to_int(param(response.url, "startrecord"), 0)
        if not per_page or len(RECORD.findall(text)) < per_page or response.request is None:
            return []
        return [self._group(response.url.split("?")[0], start + per_page, per_page, _sent_form(response.request))]

    @staticmethod
    def _rest_of_range(response: Response, text: str):
        """A POSTed range answered with fewer records than it names, though the answer's
        <totalrecord> says there are more (a proxy that answers a page, not the whole group, for
        `startrecord=6&endrecord=20&perpage=5`): the rest of the range, from the first record it
        did not bring, same form — the list continued from the records it has, whatever the
        proxy's grouping. A range past the end, or an answer with nothing, asks nothing."""
        request = response.request
        start, end = to_int(param(response.url, "startrecord"), 0), to_int(param(response.url, "endrecord"), 0)
        total = TOTAL_RECORD.search(text)
        got = len(RECORD.findall(text))
        if request is None or request.method != "POST" or not (start and got and total) or end < start:
            return []
        last = min(end, int(total.group(1)))
        if start + got > last:
            return []
        per_page = to_int(param(response.url, "perpage"), 0) or got
        url = HanwebAdapter._range_url(response.url.split("?")[0], start + got, end, per_page)
        return [scrapy.FormRequest(url, formdata=_sent_form(request))]

    @staticmethod
    def _later_pages(response: Response, text: str):
        """A GET answer for page 1 names the page count; ask for the rest."""
        pages = TOTAL_PAGE.search(text)
        if not pages or (response.request is not None and response.request.method == "POST"):
            return []
        if response.request is not None and response.request.meta.get("jpage_generated"):
            return []
        # the page the nextgroup link named (page 1, or the page after the inlined one): the rest
        first = to_int(param(response.url, "page"), 1) + 1
        return [scrapy.Request(with_param(response.url, "page", n), meta={"jpage_generated": True})
                for n in pager_range(first, int(pages.group(1)))]
