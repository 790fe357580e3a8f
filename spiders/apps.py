"""Column pages that are single-page apps: the list call is in the app's script file, its values in the page.

A Vue or Nuxt front end renders a column's first page on the server and hands the browser its state
(`window.__INITIAL_STATE__ = {"channel": {"id": 1000}, "list": {"size": 5, "pages": 3, "records": […]}}`,
Nuxt's `window.__NUXT__`), or only mounts an empty element that carries the column's id (`<div id="app"
data-catalog-id="1021">`, a Vue CLI / 若依 build). The call that asks the later pages is in the app's own
bundle (`/static/js/app.3f2a1c.js`: `axios.get(api, {params: {channelId: s.channel.id, current: n, size:
s.list.size}})`), never in the page, and its values are read from that state or that element:

    var s = window.__INITIAL_STATE__; … axios.get(api, {params: {channelId: s.channel.id, current: n}})
    var el = document.getElementById("app"), cid = el.getAttribute("data-catalog-id"); …

The bundle is read as part of its column (the spider's data files), with the page's state: each read of
the state (through the aliases the bundle gives it, `c = N.config`, `l = N.data[0].list`) and of the
mount element's attributes is replaced by the value the page holds, and the call is then read as any
list call (spiders/jsonlist.py api_call) — axios's `axios.get(url, {params: {…}})` being jQuery's
`$.get(url, {…})`. Read, never run.
"""
from __future__ import annotations

import json
import re
from urllib.parse import urlencode

from parsel import Selector

from .base import MAX_LINKS, inline_scripts, pager_range, parse_json, to_int
from .jsonlist import COUNT_KEYS, PAGE_KEYS, SIZE_KEYS, TOTAL_KEYS, api_call

# `window.__INITIAL_STATE__ = {…}`, `window.__NUXT__={…}`: a server-rendered app's state, as JSON
STATE = re.compile(r"\bwindow\.(__[A-Za-z][\w$]*__)\s*=\s*(?=[{\[])")
MAX_STATE_CHARS = 1_000_000
ALIAS = re.compile(r"(?<![\w$.])([A-Za-z_$][\w$]*)\s*=(?![=>])\s*(window\.__[A-Za-z][\w$]*__|[A-Za-z_$][\w$]*)"
                   r"((?:\.[A-Za-z_$][\w$]*|\[\d+\])*)(?=\s*[,;\n)}])")
READ = re.compile(r"(?<![\w$.])(window\.__[A-Za-z][\w$]*__|[A-Za-z_$][\w$]*)((?:\.[A-Za-z_$][\w$]*|\[\d+\])+)")
STEP = re.compile(r"\.([A-Za-z_$][\w$]*)|\[(\d+)\]")
# a read of a mount element's data attribute: the DOM's `el.getAttribute("data-chnl")` and `el.dataset.chnl`,
# jQuery's `$list.attr("data-chnl")` and `$list.data("chnl")` (a RequireJS / jQuery module's way)
ELEMENT = r"""(?:[A-Za-z_$][\w$.]*|\$\([^()]*\))\s*\.\s*"""
ATTRIBUTE_READ = re.compile(ELEMENT + r"""(?:getAttribute|attr)\(\s*["'](data-[\w-]+)["']\s*\)"""
                            r"""|[A-Za-z_$][\w$.]*\.dataset\.([A-Za-z_$][\w$]*)"""
                            r"""|""" + ELEMENT + r"""data\(\s*["']([A-Za-z_$][\w$-]*)["']\s*\)""")
# Next.js hands its page's state as JSON in a script element, not by an assignment
NEXT_DATA = "//script[@id='__NEXT_DATA__']/text()"
DATA_ELEMENTS = f"(//*[@*[starts-with(name(), 'data-')]])[position() <= {MAX_LINKS}]"


def page_state(selector: Selector) -> dict:
    """What a page hands its app: `window.__NAME__` → the JSON value its inline script assigns it, and
    `data-*` attribute → its value on the page's elements (the first element holding it). Empty for a
    page that hands its script nothing."""
    state: dict = {}
    for code in inline_scripts(selector):
        for m in STATE.finditer(code):
            try:
                text = code[m.end():m.end() + MAX_STATE_CHARS]
                state["window." + m.group(1)] = json.JSONDecoder().raw_decode(text)[0]
            except ValueError:
                continue
    if isinstance(data := parse_json(selector.xpath(NEXT_DATA).get() or ""), dict):
        state["window.__NEXT_DATA__"] = data   # Next.js's state, the browser's window.__NEXT_DATA__
    attributes = {}
    for el in selector.root.xpath(DATA_ELEMENTS):
        for name, value in el.attrib.items():
            if name.startswith("data-"):
                attributes.setdefault(name, value)
    if attributes:
        state["attributes"] = attributes
    return state


def holds_app_state(state: dict) -> bool:
    """Does the page hand its app a state object (not only data attributes, which many static pages carry)?"""
    return any(key.startswith("window.") for key in state)


def with_state(code: str, state: dict) -> str:
    """The script with every read of the page's state replaced by the value the page holds (a quoted
    string: `s.channel.id` → `"1000"`), through the aliases the script gives the state and its parts,
    and each read of a mount element's data attribute (`el.getAttribute("data-catalog-id")`, `el.dataset
    .catalogId`, jQuery's `$el.data("catalogId")`) by that attribute's value (jsonlist.api_call reads
    axios's GET as jQuery's `$.get`). Reads of objects and arrays stay as they are (they are no value a call sends)."""
    attributes = state.get("attributes") or {}

    def attribute(m: re.Match) -> str:
        key = m.group(2) or m.group(3)
        name = m.group(1) or "data-" + re.sub(r"[A-Z]", lambda c: "-" + c.group(0).lower(), key)
        return json.dumps(attributes[name], ensure_ascii=False) if name in attributes else m.group(0)

    code = ATTRIBUTE_READ.sub(attribute, code)
    code = mounted_props(code, attributes)
    roots = {key: value for key, value in state.items() if key.startswith("window.")}
    for _ in range(4):   # aliases of aliases: N = window.__NUXT__, l = N.data[0].list
        added = False
        for m in ALIAS.finditer(code):
            if m.group(1) not in roots and m.group(2) in roots:
                value = _walk(roots[m.group(2)], m.group(3))
                if isinstance(value, (dict, list)):
                    roots[m.group(1)] = value
                    added = True
        if not added:
            break

    def read(m: re.Match) -> str:
        if m.group(1) not in roots:
            return m.group(0)
        value = _walk(roots[m.group(1)], m.group(2))
        if isinstance(value, bool) or not isinstance(value, (str, int, float)):
            return m.group(0)
        return json.dumps(str(value), ensure_ascii=False)

    return READ.sub(read, code)


# a component's declared props (`props: ["columnId", "pageSize"]`) and its reads of them (`this.columnId`)
PROPS = re.compile(r"""\bprops\s*:\s*\[([^\[\]]*)\]""")
PROP_NAME = re.compile(r"""["']([A-Za-z_$][\w$]*)["']""")


def mounted_props(code: str, attributes: dict[str, str]) -> str:
    """The script with a component's reads of its declared props (`props: ["columnId"]`, `this.columnId`)
    replaced by the mount element's data attribute of that name (`data-column-id`): a Vite / Vue build
    passes the column's id from the shell's `<div id="app" data-column-id>` to its root component as props
    (`createApp({props: {columnId: el.dataset.columnId}})`) — in the entry — while the component that asks
    the list, in a chunk of its own, reads only `this.columnId`. A prop the page carries no attribute for
    stays as it is."""
    props = {name for m in PROPS.finditer(code) for name in PROP_NAME.findall(m.group(1))}
    if not props or not attributes:
        return code

    def prop(m: re.Match) -> str:
        name = "data-" + re.sub(r"[A-Z]", lambda c: "-" + c.group(0).lower(), m.group(1))
        return json.dumps(attributes[name], ensure_ascii=False) if m.group(1) in props and name in attributes \
            else m.group(0)
    return re.sub(r"\bthis\.([A-Za-z_$][\w$]*)\b(?!\s*(?:\(|=[^=]))", prop, code)


# a module loaded on demand: `component: () => import("/assets/ColumnList-6407f247.js")` (Vite, Rollup, webpack)
DYNAMIC_IMPORT = re.compile(r"""\bimport\(\s*(["'`])([^"'`\n]+?\.m?js)\1\s*\)""")
MAX_CHUNKS = 3


def module_chunks(code: str) -> list[str]:
    """The chunks an ES module bundle `import()`s (relative addresses as written): a Vite / Rollup build
    splits each route's component into its own file, loaded when the route is shown, so the column's list
    call is in a chunk the entry names, not in the entry the page's `<script type="module">` loads."""
    return list(dict.fromkeys(m.group(2) for m in DYNAMIC_IMPORT.finditer(code)))[:MAX_CHUNKS]


def app_call(code: str, state: dict) -> dict | None:
    """The column's list call in its app's script file (jsonlist.api_call), read with the page's
    state: only a call the state enters — one the bundle makes the same without the page (a news
    ticker, a menu every page of the app shows) is not this column's list."""
    call = api_call(with_state(code, state))
    return call if call and call != api_call(with_state(code, {})) else None


def _walk(value, path: str):
    """The part of a JSON value a dotted read names (`.data[0].list.size`), or None."""
    for m in STEP.finditer(path):
        if m.group(1) is not None and isinstance(value, dict):
            value = value.get(m.group(1))
        elif m.group(2) is not None and isinstance(value, list) and int(m.group(2)) < len(value):
            value = value[int(m.group(2))]
        else:
            return None
    return value


MAX_STATE_NODES = 5000


def state_pages(state: dict) -> int | None:
    """The page count the page's state gives the list it rendered — the first object holding records
    (a list of objects) and a page count (pages, totalPage …), or a total and a page size — or None:
    the server rendered page 1 from it, and the app asks the others."""
    stack, seen = [v for k, v in state.items() if k.startswith("window.")], 0
    while stack and seen < MAX_STATE_NODES:
        node = stack.pop(0)
        seen += 1
        if isinstance(node, list):
            stack.extend(node)
            continue
        if not isinstance(node, dict):
            continue
        lower = {str(k).lower(): v for k, v in node.items()}
        if any(isinstance(v, list) and v and isinstance(v[0], dict) for v in node.values()):
            pages = next((to_int(lower[k], None) for k in COUNT_KEYS if k in lower), None)
            total = next((to_int(lower[k], None) for k in TOTAL_KEYS if k in lower), None)
            size = next((to_int(lower[k], None) for k in SIZE_KEYS if k in lower), None)
            if pages:
                return pages
            if total and size and size > 0:
                return -(-total // size)
        stack.extend(node.values())
    return None


def routed_pages(selector: Selector, base: str) -> list[str]:
    """Pages 2…N of a list a Next.js page renders per query: its state names the query it was rendered
    for (`"query": {"page": "1"}`) and the list's count (state_pages: `"totalPages": 3`, or total over
    pageSize); its pager's links have no address — the router pushes `?page=2`, which the server renders
    as it rendered page 1."""
    if not selector.xpath(NEXT_DATA):
        return []
    state = page_state(selector)
    query = (state.get("window.__NEXT_DATA__") or {}).get("query")
    key = next((k for k in query if str(k).lower() in PAGE_KEYS), None) if isinstance(query, dict) else None
    if key is None:
        return []
    kept = {k: v for k, v in query.items() if isinstance(v, str) and k != key}
    path = base.split("?", 1)[0]
    return [f"{path}?{urlencode({**kept, key: n})}" for n in pager_range(2, state_pages(state) or 0)]
