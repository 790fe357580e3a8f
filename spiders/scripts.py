"""What a portal page's inline scripts say about where its links lead — read, never run.

Older portals build their navigation in script rather than markup, and a reader of the markup
alone sees none of it. Three habits cover most of what is seen:

- markup written from string pieces: `document.write('<a href="' + "/zwgk/" + 'index.html">')`,
  `el.innerHTML = "<a href=\\"" + base + "…"`: the pieces are folded back into one string, a
  variable the script assigned a string (`var root = "/public/";`) standing for its value and any
  other name for nothing (its value is not known without running the page); template literals
  (`${root}`) likewise; a string handed to `unescape(…)` / `decodeURIComponent(…)` first
  (`document.write(unescape('%3Cul%3E…%u653F…'))`) is read as the decoder gives it;
- navigation functions: `<a href="javascript:openColumn('6781')">` with
  `function openColumn(id) { location.href = "/public/column/" + id + "?type=4"; }` — the address
  is the function's navigation expression with the call's arguments put in (also for
  `go = function (id) {…}`, `Nav = { show: function (id) {…} }`, `go = (id) => …`, local
  `var url = … ; url += …` steps, the page's string variables, and functions that load a panel:
  `.src =`, `.load(…)`, `$.get(…)`, `fetch(…)`);
- data loaded by script: `fetch("/config/nav.json")`, `$.getJSON(…)`, `$.ajax({url: …})`,
  `$("#nav").load(…)`, `xhr.open("GET", …)` — menus kept in a JSON config, an XML menu or an HTML
  include. Where it is loaded from is part of the page; json_links and xml_menu_links read what
  comes back.

Bounded like the rest of discovery: at most MAX_SCRIPT_CHARS of one page's scripts are read.
"""
from __future__ import annotations

import re
from urllib.parse import unquote, urlsplit

from parsel import Selector

from .base import MAX_LINKS, MAX_SCRIPT_CHARS, Entry, absolute, anchors, clean

TOKEN = re.compile(r"""(?P<str>(["'])(?:\\.|(?!\2)[^\\\n])*\2)|(?P<tpl>`(?:\\.|[^`\\])*`)"""
                   r"""|(?P<name>[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)*)"""
                   r"""|(?P<plus>\+)|(?P<space>\s+)|(?P<other>[^"'`A-Za-z_$+\s]+|.)""", re.S)
ASSIGNED = re.compile(r"(?:\b(?:var|let|const)\s+)?([A-Za-z_$][\w$]*)\s*=\s*$")
WRITE_CALL = re.compile(r"document\s*\.\s*write(?:ln)?\s*\(\s*$")
# a string handed to a decoder before it is used: `document.write(unescape("%3Cul%3E…%u653F…"))`
DECODER = re.compile(r"(?:\bwindow\s*\.\s*)?\b(unescape|decodeURIComponent|decodeURI)\s*\(\s*$")
NAME = r"[A-Za-z_$][\w$]*"
FUNCTION = re.compile(rf"function\s+(?P<a>{NAME})\s*\((?P<ap>[^)]*)\)\s*\{{"             # function go(id) {
                      rf"|(?P<b>{NAME})\s*[=:]\s*function\s*\((?P<bp>[^)]*)\)\s*\{{"     # go = / go: function(id) {
                      rf"|(?P<c>{NAME})\s*[=:]\s*(?:\((?P<cp>[^()]*)\)|(?P<cq>{NAME}))\s*=>\s*")   # go = (id) =>
# where a navigation function sends the browser (or a frame, or a panel it loads)
NAVIGATES = re.compile(r"(?:location(?:\.href)?\s*=(?!=)|location\.(?:replace|assign)\s*\(|window\.open\s*\("
                       r"|\.src\s*=(?!=)|\.load\s*\(|\.attr\s*\(\s*[\"'](?:src|href)[\"']\s*,"
                       r"|\$\.(?:get|getJSON|post)\s*\(|\bfetch\s*\(|\$\.ajax\s*\(\s*\{[^{}]*?\burl\s*:"
                       r"|\.open\s*\(\s*[\"'](?:GET|get)[\"']\s*,)")   # xhr.open("GET", base + k + ".html", …)
LOCAL = re.compile(r"(?:\b(?:var|let|const)\s+)?\b([A-Za-z_$][\w$]*)\s*(\+?)=(?!=)\s*")
CALL = re.compile(r"""^\s*(?:javascript:)?\s*(?:return\s+)?([A-Za-z_$][\w$.]*)\s*"""
                  r"""\(((?:\s*(?:"[^"]*"|'[^']*'|-?\d+)\s*,?)*)\)""")
ARGUMENT = re.compile(r"""\s*(?:"([^"]*)"|'([^']*)'|(-?\d+))\s*,?""")
LOADERS = re.compile(r"""(?:\bfetch|\$\.getJSON|\$\.get|jQuery\.getJSON|axios(?:\.get)?|\.load)"""
                     r"""\s*\(\s*(["'])([^"']+)\1"""
                     r"""|\$\.ajax\s*\(\s*\{[^{}]*?\burl\s*:\s*(["'])([^"']+)\3"""
                     r"""|\.open\s*\(\s*["'](?:GET|get)["']\s*,\s*(["'])([^"']+)\5""")
TEXT_KEYS = ("name", "title", "text", "label", "cname", "menuname", "chnlname", "channelname", "colname")
URL_KEYS = ("url", "href", "link", "path", "linkurl", "chnlurl", "channelurl", "colurl")
# any other key that ends like one (navName, columnTitle, menuHref, jumpLink …), not an image's
TEXT_KEY = re.compile(r"(?:name|title|text|label)$", re.I)
URL_KEY = re.compile(r"(?:url|href|link|path)$", re.I)
IMAGE_KEY = re.compile(r"img|image|icon|pic|logo|thumb|bg|cover|banner", re.I)
DATA_FILE = re.compile(r"\.(?:json|js|s?html?|xml|txt)$", re.I)
DATA_FILE_LIKE = re.compile(r"\.\w{1,5}$")   # a file of some other kind (.png, .css, .do …)
MENU_SERVICE = re.compile(r"menu|nav|column|channel|chnl|tree|lanmu|catalog|config", re.I)
SIDE_EFFECT = re.compile(r"hits?\b|statistic|\bstat\b|\bcount(?:er)?\b|click|visit|collect|\blog\b|login|token"
                         r"|user|validate|search|vote|comment|jiucuo|favorite", re.I)
CHILD_LIMIT = 20_000   # JSON nodes read from one answer


def unescape(text: str) -> str:
    """A JavaScript string literal's text: \\uXXXX, then any other backslash escape (\\/ \\" \\')."""
    text = re.sub(r"\\u([0-9a-fA-F]{4})", lambda m: chr(int(m[1], 16)), text)
    return re.sub(r"\\(.)", r"\1", text)


ESCAPED = re.compile(r"%u([0-9a-fA-F]{4})|%([0-9a-fA-F]{2})")


def decoded(decoder: str, text: str) -> str:
    """What a script's `unescape(…)` / `decodeURIComponent(…)` makes of a string: portals hide the
    markup they write (a nav, a 飘窗) from plain markup readers as JavaScript escape() text — %XX
    for a character code below 256, %uXXXX above (`%u653F%u52A1` 政务); decodeURIComponent reads
    %XX as UTF-8 bytes. Text that is not so encoded comes back as it is."""
    if decoder == "unescape":
        return ESCAPED.sub(lambda m: chr(int(m.group(1) or m.group(2), 16)), text)
    return unquote(text, errors="replace")


PLACEHOLDER = re.compile(r"\$\{\s*([^{}]*?)\s*\}")


def literal(kind: str, text: str, known: dict[str, str]) -> str:
    """The value of a string token: a quoted literal, or a template literal whose `${name}`
    placeholders stand for the names' values (empty when unknown)."""
    if kind == "tpl":
        return PLACEHOLDER.sub(lambda m: known.get(m.group(1), ""), unescape(text[1:-1]))
    return unescape(text[1:-1])


def page_strings(codes: list[str]) -> dict[str, str]:
    """The string variables the page's inline scripts assign (`var proxyUrl = "/…/dataproxy.jsp"`), which
    its functions' addresses are built from — and the string members of the lookup tables they
    define (`var SITE_CFG = {zwgk: "http://zwgk.X.gov.cn/"}` → `SITE_CFG.zwgk`: table_strings)."""
    known: dict[str, str] = {}
    for code in codes:
        known.update(table_strings(code))
        folded_strings(code, known)
    return known


TABLE = re.compile(r"(?:\b(?:var|let|const)\s+|\b(?:window|self)\.)?([A-Za-z_$][\w$]*)\s*[=:]\s*\{")
TABLE_ENTRY = re.compile(r"""(?:^|[{,])\s*(?:(["'])([\w$-]+)\1|([A-Za-z_$][\w$]*))\s*:\s*"""
                         r"""(["'])((?:\\.|(?!\4)[^\\\n])*)\4\s*(?=[,}]|$)""")
MAX_TABLE_ENTRIES = 200


def table_strings(code: str) -> dict[str, str]:
    """`NAME.key` → value for each string member of the object literals the script assigns to a
    name (`var urlMap = {"zwgk": "http://zwgk.X.gov.cn/xxgk/", zwfw: "/zwfw/"}`): portals keep their
    sites' addresses in such a table and their nav calls one function with the key
    (`openUrl('zwgk')` → `var u = urlMap[key]; window.open(u)`), so the key names the address —
    read as `urlMap.zwgk` / `urlMap[key]` are (evaluate). Only a table's own members, not those of
    objects nested in it; at most MAX_TABLE_ENTRIES."""
    found: dict[str, str] = {}
    code = code[:MAX_SCRIPT_CHARS]
    for m in TABLE.finditer(code):
        body = _body(code, m.end())
        flat = body
        while (nested := re.sub(r"\{[^{}]*\}", "", flat)) != flat:   # members of nested objects are not the table's
            flat = nested
        for entry in TABLE_ENTRY.finditer(flat):
            found[f"{m.group(1)}.{entry.group(2) or entry.group(3)}"] = unescape(entry.group(5))
            if len(found) >= MAX_TABLE_ENTRIES:
                return found
    return found


def folded_strings(code: str, known: dict[str, str] | None = None) -> list[tuple[str, bool]]:
    """Each string expression of the script, its `+`-joined pieces folded into one:
    (text, written by document.write). Assignments of a plain string are remembered in `known`
    and stand for their value later; other names are empty (unknown without running the page)."""
    known = {} if known is None else known
    out: list[tuple[str, bool]] = []
    tokens = [(m.lastgroup, m.group(m.lastgroup)) for m in TOKEN.finditer(code[:MAX_SCRIPT_CHARS])]
    offsets, pos = [], 0
    for _, text in tokens:
        offsets.append(pos)
        pos += len(text)
    i = 0
    while i < len(tokens):
        kind, text = tokens[i]
        after = _skip_space(tokens, i + 1)
        leading_name = kind == "name" and text in known and after < len(tokens) and tokens[after][0] == "plus"
        if kind not in ("str", "tpl") and not leading_name:   # a chain opens with a string, or a known name + …
            i += 1
            continue
        start, pieces, j = i, [known[text] if kind == "name" else literal(kind, text, known)], i + 1
        literal_only = kind != "tpl" or not PLACEHOLDER.search(text)
        while True:   # (space* + space* (string | name not called))*
            k = _skip_space(tokens, j)
            if k >= len(tokens) or tokens[k][0] != "plus":
                break
            k = _skip_space(tokens, k + 1)
            if k < len(tokens) and tokens[k][0] in ("str", "tpl"):
                pieces.append(literal(*tokens[k], known))
            elif k < len(tokens) and tokens[k][0] == "name" and not _called(tokens, k):
                literal_only &= tokens[k][1] in known
                pieces.append(known.get(tokens[k][1], ""))
            else:
                break
            j = k + 1
        value = "".join(pieces)
        before = code[max(0, offsets[start] - 60):offsets[start]]
        if decoder := DECODER.search(before):   # unescape("%3Ca…"): the text is what the decoder gives
            value, before = decoded(decoder.group(1), value), before[:decoder.start()]
        if (assigned := ASSIGNED.search(before)) and literal_only:
            known[assigned.group(1)] = value
        out.append((value, bool(WRITE_CALL.search(before))))
        i = j
    return out


def _skip_space(tokens, j: int) -> int:
    while j < len(tokens) and tokens[j][0] == "space":
        j += 1
    return j


def _called(tokens, k: int) -> bool:
    n = _skip_space(tokens, k + 1)
    return n < len(tokens) and tokens[n][1][:1] in ("(", "[")


def _body(code: str, start: int) -> str:
    """The function body that opens at code[start - 1] == '{', up to its matching brace."""
    depth, i = 1, start
    while i < len(code) and depth:
        depth += {"{": 1, "}": -1}.get(code[i], 0)
        i += 1
    return code[start:i - 1]


def navigation_functions(code: str) -> dict[str, tuple]:
    """name → (parameters, local string assignments before it, the expression it navigates to, the
    equality it is guarded by or None: _guard) for each function of the script that sends the browser
    somewhere built from its arguments
    (`function go(id) {…}`, `go = function (id) {…}`, `go: function (id) {…}`, `go = (id) => …`)."""
    found = {}
    code = code[:MAX_SCRIPT_CHARS]
    tables = table_strings(code) if "{" in code else {}
    for m in FUNCTION.finditer(code):
        name = m.group("a") or m.group("b") or m.group("c")
        params = m.group("ap") or m.group("bp") or m.group("cp") or m.group("cq") or ""
        if m.group("c") and not code[m.end():m.end() + 1] == "{":
            body = _expression(code[m.end():])            # id => location.href = "/c/" + id
        else:
            body = _body(code, m.end() + (1 if m.group("c") else 0))
        if nav := NAVIGATES.search(body):
            local = [(a.group(1), _expression(body[a.end():]), bool(a.group(2)))
                     for a in LOCAL.finditer(body[:nav.start()])]
            found[name] = ([p.strip() for p in params.split(",") if p.strip()], local,
                           _expression(body[nav.end():]), _guard(body, nav.start()),
                           _tables_read(body, tables))
    return found


def _tables_read(body: str, tables: dict[str, str]) -> dict[str, str]:
    """The members of the script's lookup tables (table_strings) that a function's body names a
    table of (`var u = SITE_CFG[k]`): kept with the function, so that a call resolved with the
    functions of a script file alone (no page around it) still finds the address its key names."""
    names = {key.split(".", 1)[0] for key in tables}
    read = {name for name in names if re.search(rf"(?<![\w$.]){re.escape(name)}\s*[\[.]", body)}
    return {key: value for key, value in tables.items() if key.split(".", 1)[0] in read}


GUARD = re.compile(r"""\bif\s*\(\s*([A-Za-z_$][\w$]*)\s*===?\s*(["']?)([\w-]+)\2\s*\)\s*\{""")


def _guard(body: str, at: int) -> tuple[str, str] | None:
    """(name, value) of the test the navigation statement at `at` sits under, if it is a plain
    equality whose block is still open there (`function tab(n){ if (n == 2) { x.open("GET",
    "tab_2.html") … } else { show tab 1 } }`): the statement runs only for that value, so tab(1)
    leads nowhere new. None when the statement runs for any call."""
    guard = None
    for m in GUARD.finditer(body, 0, at):
        depth = 1
        for _, c in unquoted(body, m.end(), at):
            depth += (c == "{") - (c == "}")
            if depth == 0:
                break
        if depth > 0:
            guard = (m.group(1), m.group(3))
    return guard


def unquoted(code: str, start: int = 0, end: int | None = None):
    """(index, character) of each character of code[start:end] outside the script's string
    literals (quotes and what they hold skipped, a backslash escaping the next character in
    them): where a scanner of brackets and separators may look."""
    quote, i, end = None, start, len(code) if end is None else min(end, len(code))
    while i < end:
        c = code[i]
        if quote:
            if c == "\\":
                i += 1
            elif c == quote:
                quote = None
        elif c in "\"'":
            quote = c
        else:
            yield i, c
        i += 1


AFTER_CONDITION = re.compile(r"(?:[)\]?:,=+\-*/&|!<>(]|\b(?:else|do|return|case))$")


def run_at_once(code: str, starts) -> set[int]:
    """Which of the statements opening at `starts` (offsets in code) run as soon as the browser reads
    the script? One stands at the script's top level — inside no function, block, call or brackets —
    and opens a statement of its own, not the branch of an `if (…)` / `else` / `?:` written without
    braces (a mobile redirect). A stub page's jump (`var jumpUrl = "…"; window.location.href =
    jumpUrl;`) does; a link's handler, a pager function's or a device check's does not. One pass over
    the script whatever the number of statements asked about."""
    wanted, depth, at, found = sorted(set(starts)), 0, {}, set()
    pending = iter(wanted)
    nxt = next(pending, None)
    for i, c in unquoted(code, 0, wanted[-1] if wanted else 0):
        while nxt is not None and nxt <= i:
            at[nxt], nxt = depth, next(pending, None)
        depth += 1 if c in "{([" else -1 if c in "})]" else 0
    while nxt is not None:
        at[nxt], nxt = depth, next(pending, None)
    for pos in wanted:
        before = code[:pos].rstrip()
        if at[pos] == 0 and (not before or before[-1] in ";}"
                             or ("\n" in code[len(before):pos] and not AFTER_CONDITION.search(before))):
            found.add(pos)
    return found


def _expression(code: str) -> str:
    """The expression at the start of `code`: up to a `;`, newline, or unmatched `)` / `,`."""
    depth = 0
    for i, c in unquoted(code):
        if c in "([":
            depth += 1
        elif c in ")]":
            if depth == 0:
                return code[:i]
            depth -= 1
        elif c in ";\n," and depth == 0:
            return code[:i]
    return code


def called_address(handler: str | None, functions: dict, page_strings: dict[str, str] | None = None) -> str | None:
    """Where `javascript:openColumn('6781')` (or an onclick calling it, `nav.open(…)` too) leads, by
    the page's own definition of the function — the page's string variables (`var base = "/gk/"`)
    standing for their values in it; None when the handler calls none of them."""
    m = CALL.match(handler or "")
    name = m.group(1) if m else None
    if name not in functions:
        name = name.rsplit(".", 1)[-1] if name else None
        if name not in functions:
            return None
    params, local, expression, guard, *scope = functions[name]   # scope: the tables it reads (_tables_read)
    args = [next(g for g in a.groups() if g is not None) for a in ARGUMENT.finditer(m.group(2))
            if any(g is not None for g in a.groups())]
    known = {**(scope[0] if scope else {}), **(page_strings or {}), **dict(zip(params, args, strict=False))}
    if guard and guard[0] in params and known.get(guard[0]) is not None and known[guard[0]] != guard[1]:
        return None   # the call takes the other branch: `tab(1)` of `if (n == 2) { load tab 2 }`
    for var, value, append in local:   # `var url = "/col/" + id;` then `location.href = url`
        if (text := evaluate(value, known)) is not None:
            known[var] = known.get(var, "") + text if append else text
    return evaluate(expression, known)


def evaluate(expression: str, known: dict[str, str]) -> str | None:
    """The string a `+` expression of literals and names comes to (`"/col/" + id + "?t=4"`), names
    standing for their value in `known`; None when a term is anything else (a call, arithmetic …)."""
    terms, term = [], []
    for kind, text in ((m.lastgroup, m.group(m.lastgroup)) for m in TOKEN.finditer(expression)):
        if kind == "plus":
            terms.append(term)
            term = []
        elif kind != "space":
            term.append((kind, text))
    terms.append(term)
    value = []
    for term in terms:
        if (member := _member(term, known)) is not None:   # urlMap[key], urlMap["zwgk"]
            value.append(member)
            continue
        if len(term) != 1:
            return None
        kind, text = term[0]
        if kind in ("str", "tpl"):
            value.append(literal(kind, text, known))
        elif kind == "name" and text in known:
            value.append(known[text])
        else:
            return None
    return "".join(value) or None


def _member(term: list[tuple[str, str]], known: dict[str, str]) -> str | None:
    """The value of a term `table[key]` — the key a string or a known name — from the table's
    members in `known` (`table.key`, table_strings); None for any other term."""
    if len(term) != 4 or term[0][0] != "name" or term[1][1] != "[" or term[3][1] != "]":
        return None
    kind, text = term[2]
    key = literal(kind, text, known) if kind in ("str", "tpl") else known.get(text) if kind == "name" else None
    return known.get(f"{term[0][1]}.{key}") if key is not None else None


def loaded_resources(code: str) -> list[str]:
    """Addresses the script loads a menu from (fetch, $.getJSON, $.ajax, .load, xhr.open): files
    (.json, .html, .js …) and services (`/api/site/home`, `…/menu.do`) — not the hit counters,
    statistics, login and search services portals also call, which are no menu and count a visit."""
    found = []
    code = code[:MAX_SCRIPT_CHARS]
    for m in LOADERS.finditer(code):
        if code[m.end():m.end() + 20].lstrip().startswith("+"):
            continue   # "/api/unit?pageNo=" + n: only the start of an address (a JSON list's: spiders/jsonlist.py)
        target = (m.group(2) or m.group(4) or m.group(6)).split(" ", 1)[0]   # .load("/nav.html #menu")
        path = urlsplit(target).path
        if not SIDE_EFFECT.search(target) and (DATA_FILE.search(path) or MENU_SERVICE.search(path)
                                               or not DATA_FILE_LIKE.search(path)):
            found.append(target)
    return list(dict.fromkeys(found))


# a loader given its query as an object (`$.getJSON("/api/channel/children", { parentId: id }, fn)`,
# `$.get(url, {pid: id})`, `$.ajax({url: "…", data: {parentId: id}})`)
PARAM_LOADER = re.compile(r"""(?:\$|jQuery)\.(?:getJSON|get|post)\s*\(\s*(["'])([^"']+)\1\s*,\s*\{([^{}]*)\}"""
                          r"""|(?:\$|jQuery)\.ajax\s*\(\s*\{[^{}]*?\burl\s*:\s*(["'])([^"']+)\4[^{}]*?\bdata\s*:\s*\{([^{}]*)\}""")
PARAM_FIELD = re.compile(r"""["']?([A-Za-z_$][\w$]*)["']?\s*:\s*([A-Za-z_$][\w$.]*)\s*(?=,|$)""")
# a variable read from the hovered element's data attribute (`id = li.data("chnl")`,
# `$(this).attr("data-chnl")`, `el.dataset.chnl`, `this.getAttribute("data-chnl")`)
DATA_READ = re.compile(r"""\b([A-Za-z_$][\w$]*)\s*=\s*[^;,=]*?(?:\.data\(\s*["']([\w-]+)["']\s*\)"""
                       r"""|\.attr\(\s*["']data-([\w-]+)["']\s*\)|\.getAttribute\(\s*["']data-([\w-]+)["']\s*\)"""
                       r"""|\.dataset\.([\w$]+))""")


def keyed_loads(code: str) -> list[tuple[str, str, str]]:
    """(address, query key, data attribute) of the loads a script makes with an element's data
    attribute as a query value: a lazily loaded drop-down (`$(".nav-item").hover(function () {
    var id = $(this).data("chnl"); $.getJSON("/api/channel/children", {parentId: id}, …) })`) keeps
    its children on the server until a reader hovers, so the menu on the page is empty; the page's
    elements that carry the attribute say which loads a reader can make."""
    code = code[:MAX_SCRIPT_CHARS]
    reads = {}
    for m in DATA_READ.finditer(code):
        attribute = m.group(2) or m.group(3) or m.group(4) or re.sub(r"[A-Z]", lambda c: "-" + c.group(0).lower(),
                                                                   m.group(5) or "")
        reads[m.group(1)] = attribute
    found = []
    for m in PARAM_LOADER.finditer(code):
        address, fields = (m.group(2), m.group(3)) if m.group(2) else (m.group(5), m.group(6))
        if SIDE_EFFECT.search(address):
            continue
        for key, value in PARAM_FIELD.findall(fields):
            if attribute := reads.get(value):
                found.append((address, key, attribute))
    return list(dict.fromkeys(found))


def written_markup(code: str) -> str:
    """The markup a script writes by document.write, its calls' strings in order (an old CMS's JS调用
    include `<script src="/js/list.asp?ClassID=12&page=1&num=8">` writes a column's rows so, one
    `document.write('<li><a href=…>…</a><span>2025-03-02</span></li>')` a row): "" when it writes none."""
    return "".join(text for text, by_write in folded_strings(code) if by_write)


def menu_item(fields: dict[str, str]) -> tuple[str | None, str | None]:
    """(text, address) of a menu entry object: its name and link keys — the usual ones first,
    else any key named like one (`navName`/`navUrl`, `columnTitle`/`columnHref`)."""
    lower = {k.lower(): v for k, v in fields.items() if v}
    text = next((lower[k] for k in TEXT_KEYS if lower.get(k)), None) or next(
        (v for k, v in lower.items() if TEXT_KEY.search(k) and not IMAGE_KEY.search(k)), None)
    target = next((lower[k] for k in URL_KEYS if lower.get(k)), None) or next(
        (v for k, v in lower.items() if URL_KEY.search(k) and not IMAGE_KEY.search(k)), None)
    return text, target


def json_links(data, base: str) -> list[Entry]:
    """Links in a JSON menu config: objects with a text key and an address key (any depth,
    any key case), and HTML fragments held as strings."""
    found: list[Entry] = []
    stack, seen = [data], 0
    while stack and seen < CHILD_LIMIT and len(found) < MAX_LINKS:
        node = stack.pop()
        seen += 1
        if isinstance(node, dict):
            text, target = menu_item({str(k): v for k, v in node.items() if isinstance(v, str)})
            if text and (url := absolute(base, target)):
                found.append(Entry(url, clean(text)))
            stack.extend(reversed(list(node.values())))
        elif isinstance(node, list):
            stack.extend(reversed(node))
        elif isinstance(node, str) and "<a" in node.lower():
            found += anchors(Selector(text=node), base)
    return found[:MAX_LINKS]


XML_MENU_HEAD = re.compile(r"^\ufeff?\s*<(?!!doctype|html\b|!--)", re.I)


def xml_menu_links(text: str, base: str) -> list[Entry]:
    """Links in an XML menu a page's script loads and renders (`$.ajax({url: "/data/menu.xml",
    dataType: "xml"})`, `$(x).find("item")` writing each `<item name="政务公开" url="/zwgk/">` as an
    <a>): every element whose attributes, or leaf children, give a name and an address (menu_item's
    keys), at any depth. Nothing for an HTML page or include (page_links reads those), nor for text
    that is no XML."""
    if not XML_MENU_HEAD.match(text):
        return []
    try:
        sel = Selector(text=text, type="xml")
    except ValueError:
        return []
    sel.remove_namespaces()
    found: list[Entry] = []
    for el in sel.xpath("//*")[:CHILD_LIMIT]:
        fields = dict(el.root.attrib)
        fields.update({child.tag: (child.text or "") for child in el.root if isinstance(child.tag, str)
                       and len(child) == 0 and child.tag not in fields})
        text_, target = menu_item({str(k): v for k, v in fields.items() if isinstance(v, str)})
        if text_ and (url := absolute(base, target.strip() if target else None)):
            found.append(Entry(url, clean(text_)))
        if len(found) >= MAX_LINKS:
            break
    return found

