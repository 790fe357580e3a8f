"""Pagers whose page links call a function of the page: `<a href="javascript:void(0);"
onclick="goPage(2)">2</a>` with

    function goPage(p){ if(p<=1){ location.href="index.html"; } else { location.href="index_" + (p-1) + ".html"; } }

— read, never run. The function may send the browser to one of several addresses (a branch for
the first page, one for the others) and compute the page's number (`p-1`): the branch a test of
a number argument against a constant picks is taken (both when the test is anything else) — an
`if` statement or a conditional expression (`location.href = (n == 1 ? 'list' : 'list_' + n) +
'.shtml'`, the same test written in one line) — and the address its navigation statement builds with
the call's arguments is where the link leads, small sums of a number argument and a constant
worked out, and the function's own string variables (`var url = …; location.href = url`) read
on the way.
The call's page number is also what the spider would otherwise never see: no address is written
in the pager at all.

A JSF command link (`mojarra.jsfcljs(form, {'listForm:pager': …, 'pageNo': '2'}, '')`) POSTs the form it
names with those parameters added, its javax.faces.ViewState as it stands (_parameter_submit).

A 加载更多 button likewise may write no address in its href (`<a id="more" href="javascript:;">`):
the next records are an HTML fragment the button's script loads and appends to the list, from
the address the button keeps in a data attribute (`data-url="/api/more?col=12&offset=6"`) or the
one its click handler asks (`$("#more").click(function(){ $.get("/api/more?…", …) })`, `.on("click", …)`,
`getElementById("more").onclick = …`) — load_more_pages.

A pager script may also draw every page link from an address template the page hands it
(`pager({el: "pager", total: 13, size: 6, current: 1, first: "list.shtml", tpl: "list_{n}.shtml"})`,
pager.js writing `<a href="list_2.shtml">2</a>` … into the empty `<div id="pager">`): the page holds no
link at all, only the template and the count — template_pages.
"""
from __future__ import annotations

import re
from urllib.parse import urlencode

from parsel import Selector

from .base import (
    ADDRESS_LIKE,
    LAST_TEXTS,
    LOAD_MORE_TEXTS,
    MAX_LINKS,
    NEXT_TEXTS,
    PAGE_OPTION,
    PLACEHOLDER_OPTION,
    SPACE,
    absolute,
    clean,
    dedupe,
    inline_scripts,
    page_label,
    pager_range,
    to_int,
)
from .jsonlist import ASSIGNMENT, COUNT_KEYS, PAIR, PIECE, SIZE_KEYS, TOTAL_KEYS, _folded_page
from .scripts import (
    ARGUMENT,
    CALL,
    FUNCTION,
    LOADERS,
    LOCAL,
    NAVIGATES,
    _body,
    _expression,
    evaluate,
    page_strings,
    unquoted,
)

MAX_FUNCTION_PAGES = 200
SUM = re.compile(r"\(\s*([A-Za-z_$][\w$]*)\s*([+-])\s*(\d+)\s*\)"
                 r"|(?<![\w$.])([A-Za-z_$][\w$]*)\s*([+-])\s*(\d+)(?![\w$])")


# a test of a number: `p <= 1`, `cur + 1 < total` (the page's own counters, page_numbers), with its
# branch in braces or a single statement (`if (cur + 1 < total) location.href = …; else …;`)
TERM = r"(?:[A-Za-z_$][\w$]*|-?\d+)(?:\s*[+-]\s*\d+)?"
IF = re.compile(rf"\bif\s*\(\s*({TERM})\s*(<=|>=|===?|!==?|<|>)\s*({TERM})\s*\)\s*(\{{)?")
ELSE = re.compile(r"\s*else\b\s*(\{)?")
TERM_PARTS = re.compile(r"([A-Za-z_$][\w$]*|-?\d+)(?:\s*([+-])\s*(\d+))?")
# a page's own counters, which its pager functions read (`var cur = 0; var total = 3;` beside
# `function nextPage() { if (cur + 1 < total) location.href = "index_" + (cur + 1) + ".shtml"; }`)
PAGE_NUMBER_VAR = re.compile(r"""\b(?:var|let|const)\s+([A-Za-z_$][\w$]*)\s*=\s*"""
                             r"""(?:(-?\d+)|(["'])(-?\d+)\3)\s*(?=[;,\n]|$)""")
CONDITION = re.compile(r"\s*([A-Za-z_$][\w$]*)\s*(<=|>=|===?|!==?|<|>)\s*(-?\d+)\s*")
MAX_CONDITIONALS = 4
TESTS = {"<=": int.__le__, ">=": int.__ge__, "<": int.__lt__, ">": int.__gt__, "==": int.__eq__,
         "===": int.__eq__, "!=": int.__ne__, "!==": int.__ne__}


def pager_functions(selector: Selector) -> dict[str, tuple[list[str], str]]:
    """name → (parameters, body) of the page's inline functions that navigate."""
    return _inline_functions(selector, NAVIGATES)


def _inline_functions(selector: Selector, does: re.Pattern) -> dict[str, tuple[list[str], str]]:
    """name → (parameters, body) of the page's inline functions whose body `does` something
    (NAVIGATES: a pager's function; SUBMITS: one that submits a form), in each of FUNCTION's
    forms as scripts.navigation_functions reads them: `function go(p) {…}`, `go = function (p) {…}`,
    `go = (p) => {…}` or `go = p => location.href = …`."""
    found = {}
    for code in inline_scripts(selector):
        for m in FUNCTION.finditer(code):
            name = m.group("a") or m.group("b") or m.group("c")
            params = m.group("ap") or m.group("bp") or m.group("cp") or m.group("cq") or ""
            if m.group("c") and code[m.end():m.end() + 1] != "{":
                body = _expression(code[m.end():])       # p => location.href = "/list_" + p
            else:
                body = _body(code, m.end() + (1 if m.group("c") else 0))
            if does.search(body):
                found[name] = ([p.strip() for p in params.split(",") if p.strip()], body)
    return found


def _pager_links(selector: Selector):
    """The page's pager controls: links and onclick buttons (<span>/<li>) labelled with a page
    number, 下一页 or 尾页, in page order (the first MAX_LINKS elements looked at)."""
    pager = selector.xpath(f"(//a[@href or @onclick] | //*[not(self::a)][@onclick])[position() <= {MAX_LINKS}]")
    for a in pager:
        label = page_label(clean(" ".join(a.css("::text").getall())).lower())
        if label.isdigit() or label in NEXT_TEXTS or label in LAST_TEXTS:
            yield a


def _taken(body: str, known: dict[str, str]) -> str:
    """The body with each `if (p <= 1) {…} else {…}` (or `if (…) stmt; else stmt;`) on known
    numbers reduced to the branch the call takes; a test it cannot decide keeps both branches."""
    out, i = [], 0
    while m := IF.search(body, i):
        then, then_end = _branch(body, m.end(), braced=bool(m.group(4)))
        branches = [then, ""]
        end = then_end
        if other := ELSE.match(body, then_end):
            branches[1], end = _branch(body, other.end(), braced=bool(other.group(1)))
        left, right = _number(m.group(1), known), _number(m.group(3), known)
        out.append(body[i:m.start()])
        if left is not None and right is not None:
            out.append(branches[0] if TESTS[m.group(2)](left, right) else branches[1])
        else:
            out.append(";".join(branches))
        i = end
    return "".join(out) + body[i:]


def _branch(body: str, start: int, braced: bool) -> tuple[str, int]:
    """(the branch's code, where it ends) of an if's branch opening at `start`: a braced block
    (`start` just past its `{`), else the one statement there, up to its `;`."""
    if braced:
        block = _body(body, start)
        return block, start + len(block) + 1
    depth = 0
    for i, c in unquoted(body, start):
        if c in "([{":
            depth += 1
        elif c in ")]}":
            if depth == 0:
                return body[start:i], i
            depth -= 1
        elif c == ";" and depth == 0:
            return body[start:i], i + 1
    return body[start:], len(body)


def _number(term: str, known: dict[str, str]) -> int | None:
    """The value of a test's side (`3`, `p`, `cur + 1`) with names standing for known numbers."""
    m = TERM_PARTS.fullmatch(term.strip())
    if not m:
        return None
    value = m.group(1) if m.group(1).lstrip("-").isdigit() else known.get(m.group(1), "")
    if not value.lstrip("-").isdigit():
        return None
    return int(value) + (int(m.group(3)) * (1 if m.group(2) == "+" else -1) if m.group(2) else 0)


def page_numbers(selector: Selector) -> dict[str, str]:
    """The page's own number variables (`var cur = 0; var total = 3;`), which a pager function
    called without arguments (`onclick="nextPage()"`) reads to build the next page's address."""
    found: dict[str, str] = {}
    for code in inline_scripts(selector):
        for m in PAGE_NUMBER_VAR.finditer(code):
            found[m.group(1)] = m.group(2) or m.group(4)
    return found


def _conditional(expression: str):
    """(start, question mark, colon, end) of the first `test ? a : b` in the expression — the
    parenthesised group holding it, or the whole expression — or None."""
    opened, question = [], None
    for i, c in unquoted(expression):
        if c in "([":
            opened.append(i)
        elif c in ")]":
            if question and (not opened or opened[-1] < question[0]):
                return (*question, i) if len(question) == 3 else None
            if opened:
                opened.pop()
        elif c == "?" and question is None:
            question = (opened[-1] + 1 if opened else 0, i)
        elif c == ":" and question and len(question) == 2 and (opened[-1] + 1 if opened else 0) == question[0]:
            question = (*question, i)
    return (*question, len(expression)) if question and len(question) == 3 else None


def _branches(expression: str, known: dict[str, str]) -> list[str]:
    """The expression with each conditional `(p == 1 ? "index" : "index_" + p)` reduced to the
    branch a test of a known number argument against a constant picks; both when it cannot tell."""
    done, todo = [], [expression]
    while todo and len(done) + len(todo) <= 2 ** MAX_CONDITIONALS:
        expression = todo.pop()
        found = _conditional(expression)
        if not found:
            done.append(expression)
            continue
        start, question, colon, end = found
        test = CONDITION.fullmatch(expression[start:question])
        value = known.get(test.group(1), "") if test else ""
        branches = [expression[question + 1:colon], expression[colon + 1:end]]
        if value.lstrip("-").isdigit():
            branches = [branches[0] if TESTS[test.group(2)](int(value), int(test.group(3))) else branches[1]]
        # the group's parentheses go with it: `"x" + ("a" + p) + "y"` is one sum of strings
        before = expression[:start - 1] if start else ""
        after = expression[end + 1:] if start else ""
        todo += [f"{before} {_unwrapped(branch)} {after}" for branch in branches]
    return done


def _unwrapped(expression: str) -> str:
    """`("index_" + p)` → `"index_" + p`: parentheses around a whole branch say nothing to a sum."""
    expression = expression.strip()
    while expression[:1] == "(" and _expression(expression[1:]) == expression[1:-1]:
        expression = expression[1:-1].strip()
    return expression


def _with_sums(expression: str, known: dict[str, str]) -> str:
    """`"index_" + (p-1) + ".html"` with p known as 3 → `"index_" + "2" + ".html"`."""
    def worked(m):
        name, sign, number = (m.group(1), m.group(2), m.group(3)) if m.group(1) else m.group(4, 5, 6)
        value = known.get(name)
        if value is None or not value.lstrip("-").isdigit():
            return m.group(0)
        return f'"{int(value) + int(number) if sign == "+" else int(value) - int(number)}"'
    return SUM.sub(worked, expression)


def call_targets(handler: str | None, functions: dict, page_vars: dict[str, str] | None = None) -> list[str]:
    """Every address the called function's navigation statements build with the call's arguments
    (and the page's own number variables, `page_vars`, for the names that are no parameter)."""
    m = CALL.match(handler or "")
    if not m or m.group(1) not in functions:
        return []
    params, body = functions[m.group(1)]
    args = [next(g for g in a.groups() if g is not None) for a in ARGUMENT.finditer(m.group(2))
            if any(g is not None for g in a.groups())]
    known = {**(page_vars or {}), **dict(zip(params, args, strict=False))}
    return _navigations(body, known)


def _navigations(body: str, known: dict[str, str]) -> list[str]:
    """Every address the body's navigation statements build, its names standing for `known` values
    (the branches a test of them picks, sums worked out, its string variables read on the way)."""
    taken = _taken(body, known)
    found = []
    for nav in NAVIGATES.finditer(taken):
        local = _locals(taken[:nav.start()], known)
        found += [t for branch in _branches(_expression(taken[nav.end():]), local)
                  if (t := evaluate(_with_sums(branch, local), local))]
    return found


def _locals(code: str, known: dict[str, str]) -> dict[str, str]:
    """`known` with the function's string variables assigned before its navigation statement
    (`var url = p == 1 ? "index.html" : "index_" + (p - 1) + ".html"; location.href = url;`):
    the value of each assignment's branch the call takes (the first where it cannot tell)."""
    local = dict(known)
    for a in LOCAL.finditer(code):
        branches = _branches(_expression(code[a.end():]), local)
        value = next((v for b in branches if (v := evaluate(_with_sums(b, local), local)) is not None), None)
        if value is not None:
            local[a.group(1)] = local.get(a.group(1), "") + value if a.group(2) else value
    return local


def function_pages(selector: Selector, base: str) -> list[str]:
    """Addresses of the pager links (a page number, 下一页, 尾页 …) that call a page function."""
    functions = pager_functions(selector)
    if not functions:
        return []
    found, page_vars = [], {**page_strings(inline_scripts(selector)), **page_numbers(selector)}
    for a in _pager_links(selector):   # <a onclick="goPage(2)">2</a>, also <span>/<li> buttons
        for handler in (a.attrib.get("onclick"), a.attrib.get("href")):
            found += [url for target in call_targets(handler, functions, page_vars)
                      if (url := absolute(base, target))]
        if len(found) >= MAX_FUNCTION_PAGES:
            break
    return dedupe(found)[:MAX_FUNCTION_PAGES]


# -- a pager library's page callback -------------------------------------------------------
#
# layui's laypage, jqPaginator, Pagination.js … draw the pager themselves from a count and call the
# page's callback with the page chosen: `laypage.render({elem: "pager", count: 11, limit: 8, jump:
# function(obj, first){ if(!first){ location.href = obj.curr == 1 ? "index.shtml" : "index_" +
# obj.curr + ".shtml"; } }})`. No link is in the page; the options say how many pages there are and
# the callback where each one is.

# (not jquery.pagination's generic `callback(page_index)`, which counts from 0)
PAGE_CALLBACK = re.compile(r"""\b(?:jump|onPageChange|onPageClick|onSelectPage|pageChange)\s*:\s*"""
                           r"""function\s*\(\s*([A-Za-z_$][\w$]*)[^)]*\)\s*\{""")
PAGE_MEMBER = r"\.(?:curr|current|currentPage|page|pageNo|pageNum|pageIndex|num)\b"
LIBRARY_SIZE = 10   # laypage's limit (and most libraries' page size) when the options name none


def callback_pages(selector: Selector, base: str) -> list[str]:
    """Pages 2…N of a pager library's options: the address the page callback sends the browser to
    for each page (its parameter the page number, or an object whose `curr`/`current`/`page` is),
    N from the options' page count or their record count over the page size (a library's default
    of 10 when none is named). No count, no pages."""
    found = []
    for code in inline_scripts(selector):
        numbers = {m.group(1): m.group(4) for m in ASSIGNMENT.finditer(code) if m.group(4) is not None}
        for m in PAGE_CALLBACK.finditer(code):
            opened = _opening_brace(code, m.start())
            body = _body(code, m.end())
            if opened is None:
                continue
            fields = _options(code[opened + 1:m.start()] + code[m.end() + len(body) + 1:][:MAX_OPTIONS_TAIL], numbers)
            count = _template_count(fields)
            if count is None and (total := next((to_int(fields[k], None) for k in TOTAL_KEYS if k in fields), None)):
                count = -(-total // LIBRARY_SIZE)
            if not count:
                continue
            param = m.group(1)
            body = re.sub(rf"(?<![\w$.]){re.escape(param)}{PAGE_MEMBER}", param, body)
            for n in pager_range(2, count):
                found += [url for target in _navigations(body, {param: str(n)}) if (url := absolute(base, target))]
                if len(found) >= MAX_FUNCTION_PAGES:
                    return dedupe(found)[:MAX_FUNCTION_PAGES]
    return dedupe(found)


MAX_OPTIONS_TAIL = 400


def _opening_brace(code: str, at: int) -> int | None:
    """Where the object literal holding position `at` opens: the nearest `{` before it left unclosed."""
    depth = 0
    for i in range(at - 1, max(-1, at - 4000), -1):
        if code[i] == "}":
            depth += 1
        elif code[i] == "{":
            if depth == 0:
                return i
            depth -= 1
    return None


def _options(text: str, numbers: dict[str, str]) -> dict[str, str]:
    """name (lower case) → value of an options object's plain pairs, variables read as the numbers the
    script assigned them."""
    fields = {}
    for pair in PAIR.finditer(text):
        quoted, bare, double, single, number, variable = pair.groups()
        value = next((g for g in (double, single, number) if g is not None), numbers.get(variable))
        if value is not None:
            fields.setdefault((quoted or bare).lower(), value)
    return fields


# -- pagers that submit a form ------------------------------------------------------------
#
# `<a href="javascript:toPage(2)">下一页</a>` with
#
#     <form name="pageForm" method="post" action="list.jsp?columnId=7">
#       <input type="hidden" name="pageNo" value="1">…</form>
#     function toPage(p){ var f = document.pageForm; f.pageNo.value = p; f.submit(); }
#
# — 大汉's 信息公开目录 module (search.jsp, currpage), list.jsp servers: no address in the pager, the
# next page is the page's own form sent again with its page field set. Read as the browser would
# send it: the form the function names (else the page's form holding a page field), its fields as
# they stand, the field the function sets (else the form's page field) given the call's number.
# A pager calling a function the page does not define (it lives in the CMS's shared script, or in
# the catalogue page a fragment is loaded into) is read the same way when the page holds such a form.

PAGE_FIELD = re.compile(r"^(?:page|pageno|page_no|pagenum|pagenumber|pageindex|page_index|currpage|curpage"
                        r"|currentpage|current_page|cpage|pn)$", re.I)
SUBMITS = re.compile(r"\.submit\s*\(")
_NAME = r"[A-Za-z_$][\w$]*"
# a field set to a variable (a pager function's parameter) or to a number (a link's own handler)
_VALUE = rf"(?:{_NAME}|\d+)"
FIELD_SET = re.compile(rf"""(?:\.({_NAME})|\[\s*["']([^"']+)["']\s*\])\s*\.value\s*=(?!=)\s*({_VALUE})\b"""
                       rf"""|getElementById\s*\(\s*["']([^"']+)["']\s*\)\s*\.value\s*=(?!=)\s*({_VALUE})\b"""
                       rf"""|\$\(\s*["'](?:#([\w-]+)|(?:input)?\[name=["']?([\w-]+)["']?\])["']\s*\)"""
                       rf"""\s*\.val\s*\(\s*["']?({_VALUE})["']?\s*\)""")
FORM_NAMED = re.compile(rf"""document\s*\.\s*forms\s*\[\s*(?:["']([^"']+)["']|(\d+))\s*\]"""
                        rf"""|document\s*\.\s*(?!forms\b|getElementById\b|querySelector\b)({_NAME})"""
                        rf"""|getElementById\s*\(\s*["']([^"']+)["']\s*\)|\$\(\s*["']#([\w-]+)["']\s*\)"""
                        rf"""|\$\(\s*["']form\[name=["']?([\w-]+)["']?\]["']\s*\)""")
FORM_ALIAS = re.compile(rf"""(?:\b(?:var|let|const)\s+)?({_NAME})\s*=(?!=)\s*("""
                        rf"""document\s*\.\s*forms\s*\[\s*(?:["'][^"']+["']|\d+)\s*\]"""
                        rf"""|document\s*\.\s*getElementById\s*\(\s*["'][^"']+["']\s*\)"""
                        rf"""|document\s*\.\s*(?!forms\b|getElementById\b|querySelector\b|location\b){_NAME}(?![\w$(.])"""
                        rf""")""")
SKIPPED_INPUTS = {"submit", "button", "image", "reset", "file"}
NOT_PAGERS = {"void", "alert", "confirm", "prompt", "open", "print", "eval", "setTimeout", "setInterval"}


def form_pages(selector: Selector, base: str) -> list[tuple[str, str, list[tuple[str, str]]]]:
    """(address, method, fields) of each further page a pager link asks by submitting the page's
    form (`javascript:toPage(2)`, `onclick="goPage(3)"` …): the form as the browser sends it."""
    forms = selector.xpath("//form")
    if not forms:
        return []
    defined = _inline_functions(selector, SUBMITS)
    aliases = _form_aliases(selector)
    navigating = pager_functions(selector)
    found: dict[tuple, tuple] = {}
    for a in _pager_links(selector):
        for handler in (a.attrib.get("onclick"), a.attrib.get("href")):
            if (page := _inline_submit(handler, forms, base) or _parameter_submit(handler, forms, base)) is not None:
                found.setdefault((page[0], page[1], tuple(page[2])), page)
                continue
            m = CALL.match(handler or "")
            if not m or m.group(1) in navigating:
                continue
            if (page := _submitted_page(m, defined, forms, base, aliases)) is not None:
                found.setdefault((page[0], page[1], tuple(page[2])), page)
        if len(found) >= MAX_FUNCTION_PAGES:
            break
    for page in button_pages(forms, base):
        found.setdefault((page[0], page[1], tuple(page[2])), page)
    return list(found.values())[:MAX_FUNCTION_PAGES]


def button_pages(forms, base: str) -> list[tuple[str, str, list[tuple[str, str]]]]:
    """(address, method, fields) of the pages a form's own submit buttons ask, each naming the page
    field and its number (`<button type="submit" name="page" value="2">2</button>` in a list framed
    by a listpage.do form): the form's fields with the button's page for the field of its name."""
    out = []
    for form in forms:
        buttons = form.xpath(".//button[@name][not(@type) or @type='submit'] | .//input[@type='submit'][@name]")
        for button in buttons:
            name, number = button.attrib["name"], (button.attrib.get("value") or "").strip()
            if not (PAGE_FIELD.match(name) and number.isdigit()):
                continue
            fields = [(k, v) for k, v in _form_fields(form) if k != name] + [(name, number)]
            method = (form.attrib.get("method") or "get").strip().lower()
            out.append((absolute(base, form.attrib.get("action")) or base, "POST" if method == "post" else "GET",
                        fields))
    return out[:MAX_FUNCTION_PAGES]


def _form_aliases(selector: Selector) -> dict[str, str]:
    """variable → the form expression the page's script keeps in it (`var theForm =
    document.forms['form1'];`, ASP.NET's WebForms postback script): a function naming the variable
    names that form."""
    found = {}
    for code in inline_scripts(selector):
        for m in FORM_ALIAS.finditer(code):
            found.setdefault(m.group(1), m.group(2))
    return found


def _submitted_page(call: re.Match, defined: dict, forms, base: str, aliases: dict | None = None):
    """The (address, method, fields) the call sends, or None: a function of the page that submits
    a form — or one the page does not define, beside a form holding a page field. A form the
    function reaches through a page variable (`theForm.submit()`) is the one the variable holds;
    one it does not name is the page's form holding every field it sets (`__EVENTTARGET` …)."""
    args = [next(g for g in a.groups() if g is not None) for a in ARGUMENT.finditer(call.group(2))
            if any(g is not None for g in a.groups())]
    numbers = [a for a in args if a.isdigit()]
    if call.group(1) in defined:
        params, body = defined[call.group(1)]
        known = dict(zip(params, args, strict=False))
        named = body + "".join(f";{held}" for name, held in (aliases or {}).items()
                               if re.search(rf"(?<![\w$.]){re.escape(name)}\s*\.", body))
        form = _named_form(named, forms) or _holding_form(body, forms)
        set_fields = [(field, known[value]) for field, value in _fields_set(body, form) if value in known]
        action = _action_set(body, known)
    elif "." not in call.group(1) and call.group(1) not in NOT_PAGERS and numbers:
        form, set_fields, action = None, [], None
    else:
        return None
    if form is None:
        form = next((f for f in forms if _page_field(f)), None)
    if form is None:
        return None
    if not set_fields:
        field = _page_field(form)
        if field is None or not numbers:
            return None
        set_fields = [(field, numbers[0])]
    return _form_request(form, set_fields, base, action)


def _inline_submit(handler: str | None, forms, base: str):
    """The (address, method, fields) a pager link's own handler sends when it sets the page field
    and submits the form itself, no function between (`onclick="document.getElementById('pageForm')
    .currpage.value=2;document.getElementById('pageForm').submit();"`), or None."""
    if not handler or not SUBMITS.search(handler):
        return None
    form = _named_form(handler, forms) or _holding_form(handler, forms)
    set_fields = [(field, value) for field, value in _fields_set(handler, form) if value.isdigit()]
    return _form_request(form, set_fields, base, _action_set(handler)) if form is not None and set_fields else None


# JSF's command link (Mojarra): `mojarra.jsfcljs(document.getElementById('listForm'), {'listForm:pager':
# 'listForm:pager', 'pageNo': '2'}, '')`, JSF 1.2's `jsfcljs(document.forms['f'], 'f:pager,f:pager,pageNo,2', '')`
JSF_SUBMIT = re.compile(r"""\b(?:mojarra\s*\.\s*)?jsfcljs\s*\(\s*(?P<form>(?:[^,()]|\([^()]*\))+?)\s*,\s*"""
                        r"""(?:\{(?P<object>[^{}]*)\}|(["'])(?P<list>[^"']*)\3)""")
QUOTED_PAIR = re.compile(r"""(["'])(.*?)\1\s*:\s*(["'])(.*?)\3""")


def _parameter_submit(handler: str | None, forms, base: str):
    """The (address, method, fields) a JSF command link sends, or None: its handler hands the
    framework's submit function the form and the parameters to add to it (JSF_SUBMIT) — the pager's
    `pageNo` among them — and the form goes as it stands, its javax.faces.ViewState with it (the
    server rebuilds the page's state from it: a postback without it is refused). The form is the one
    the handler names, else the page's only form."""
    m = JSF_SUBMIT.search(handler or "")
    if not m:
        return None
    if m.group("object") is not None:
        params = [(k, v) for _, k, _, v in QUOTED_PAIR.findall(m.group("object"))]
    else:
        items = m.group("list").split(",")
        params = list(zip(items[::2], items[1::2], strict=False))
    form = _named_form(m.group("form"), forms) or (forms[0] if len(forms) == 1 else None)
    return _form_request(form, params, base) if form is not None and params else None


# the handler or function pointing the form elsewhere before it submits (`f.action='/col/list.do?pageNum=2'`,
# `f.action = "/list.do?pageNum=" + p`, `$('#pf').attr('action', …)`): pieces joined by +
ACTION_SET = re.compile(rf"""(?:\.action\s*=|\.attr\s*\(\s*["']action["']\s*,)\s*({PIECE}(?:\s*\+\s*{PIECE})*)""")


def _action_set(body: str, known: dict[str, str] | None = None) -> str | None:
    """The address the body sets as the form's action, its variables filled from `known` (the call's
    arguments) as jsonlist folds a list call's address; None when it sets none or one built from a
    value not known."""
    m = ACTION_SET.search(body or "")
    folded = m and _folded_page(re.findall(PIECE, m.group(1)), known or {}, (), ())
    return folded[0] or None if folded else None


# a postback argument naming a page: a number, or ASP.NET's GridView / DetailsView pager command
# (`__doPostBack('gvList','Page$2')`: the grid's event argument `Page$N`, sorting is `Sort$…`)
PAGE_ARGUMENT = re.compile(r"\d+|Page\$\d+")


def _form_request(form, set_fields: list[tuple[str, str]], base: str, action: str | None = None):
    """The form as the browser sends it with `set_fields` (a page number among them — a number, or a
    GridView's `Page$N` command) set, to `action` when the pager set one, or None."""
    if not any(PAGE_ARGUMENT.fullmatch(value) for _, value in set_fields):
        return None
    fields = dict(_form_fields(form))
    fields.update(set_fields)
    method = (form.attrib.get("method") or "get").strip().lower()
    action = absolute(base, action or form.attrib.get("action")) or base
    return action, "POST" if method == "post" else "GET", list(fields.items())


def _holding_form(body: str, forms):
    """The one form of the page holding every field the function sets, or None."""
    wanted = {field for field, _ in _fields_set(body, None)}
    holding = [f for f in forms if wanted and wanted <= {i.attrib.get("name") for i in f.xpath(".//input")}]
    return holding[0] if len(holding) == 1 else None


def _named_form(body: str, forms):
    """The form a function names: `document.pageForm`, `document.forms['f']`, `forms[0]`,
    `getElementById('f')`, `$('#f')`, `$('form[name=f]')`; None when it names none of the page's."""
    for m in FORM_NAMED.finditer(body):
        name, index, attribute, ident, hashed, named = m.groups()
        if index is not None:
            return forms[int(index)] if int(index) < len(forms) else None
        wanted = name or attribute or ident or hashed or named
        if form := next((f for f in forms if wanted in (f.attrib.get("name"), f.attrib.get("id"))), None):
            return form
    return None


def _fields_set(body: str, form) -> list[tuple[str, str]]:
    """(field name, the variable it is set to) for each `f.pageNo.value = p`, `["pageNo"].value = p`,
    `getElementById('pageNo').value = p`, `$('#pageNo').val(p)` of the body; an id is read as the
    name of the form's input that has it."""
    found = []
    for m in FIELD_SET.finditer(body):
        dotted, bracketed, v1, ident, v2, hashed, named, v3 = m.groups()
        field, value = (dotted or bracketed, v1) if v1 else (ident, v2) if v2 else (hashed or named, v3)
        if form is not None and (hashed or ident):
            field = next((i.attrib.get("name") for i in form.xpath(".//input") if i.attrib.get("id") == field
                          and i.attrib.get("name")), field)
        if field not in ("value", "action", "method", "target"):
            found.append((field, value))
    return found


def _page_field(form) -> str | None:
    """The name of the form's hidden page-number field (pageNo, currpage, pageIndex …)."""
    return next((name for i in form.xpath(".//input[@type='hidden' or @type='HIDDEN']")
                 if PAGE_FIELD.match(name := i.attrib.get("name") or "")), None)


def _form_fields(form) -> list[tuple[str, str]]:
    """The fields the form sends as it stands: named inputs (checked ones of checkboxes and radios),
    selects by their selected option (else their first), textareas by their text."""
    fields = []
    for el in form.xpath(".//input[@name] | .//select[@name] | .//textarea[@name]"):
        tag, kind = el.root.tag, (el.attrib.get("type") or "text").lower()
        if tag == "input" and (kind in SKIPPED_INPUTS or (kind in ("checkbox", "radio")
                                                           and "checked" not in el.attrib)):
            continue
        if tag == "select":
            options = el.xpath("./option[@selected]") or el.xpath("./option")
            value = (options[0].attrib.get("value", clean(options[0].xpath("string()").get())) if options else "")
        elif tag == "textarea":
            value = el.xpath("string()").get()
        else:
            value = el.attrib.get("value", "")
        fields.append((el.attrib["name"], value))
    return fields


# -- a GET form filtering the column by a menu of years or pages ---------------------------

def select_pages(selector: Selector, base: str) -> list[str]:
    """The pages a GET form's menu of years (or page numbers) asks: `<form action="list.jsp"><input
    type="hidden" name="colId" value="1040"><select name="year"><option value="2025">2025年</option>…
    </select><input type="submit" value="查询"></form>` on a column that shows only the newest
    publication year — each other year is the form sent with that option chosen, its fields as they
    stand (list.jsp?colId=1040&year=2024), as the browser sends it. A GET form's options are links.
    Only a menu whose every option names a year or a page (base.PAGE_OPTION, a placeholder 全部
    aside): one of units, sites or subjects filters by something else, not further pages of this list."""
    found = []
    for form in selector.xpath("//form"):
        if (form.attrib.get("method") or "get").strip().lower() != "get":
            continue
        action = (absolute(base, form.attrib.get("action")) or base).split("?", 1)[0]
        fields = _form_fields(form)
        for menu in form.xpath(".//select[@name]"):
            name, values = menu.attrib["name"], _page_options(menu)
            found += [f"{action}?{urlencode([(k, value if k == name else v) for k, v in fields])}"
                      for value in values]
    return dedupe(found)[:MAX_FUNCTION_PAGES]


def _page_options(menu) -> list[str]:
    """The values of a menu's options when every named one is a year or a page (two at least), else
    none; a placeholder (请选择, 全部) is no page."""
    options = [(o.attrib.get("value"), SPACE.sub("", clean(o.xpath("string()").get())))
               for o in menu.xpath("./option | ./optgroup/option")]
    named = [(value, label) for value, label in options if value and value.strip()
             and not PLACEHOLDER_OPTION.fullmatch(label)]
    if len(named) < 2 or not all(PAGE_OPTION.fullmatch(label) for _, label in named):
        return []
    return [value.strip() for value, _ in named]


# where a 加载更多 button keeps the address of the records it loads next
MORE_DATA = ("data-url", "data-href", "data-src", "data-next", "data-more", "data-link", "data-load")
# a click handler bound by id: $("#more").click(function …, $('#more').on('click', function …,
# document.getElementById("more").onclick = function …, ….addEventListener("click", function …
BOUND_CLICK = re.compile(r"""(?:\$|jQuery)\(\s*["']#(?P<a>[\w-]+)["']\s*\)\s*\."""
                         r"""(?:click\s*\(|on\s*\(\s*["']click["']\s*,)"""
                         r"""|getElementById\(\s*["'](?P<b>[\w-]+)["']\s*\)\s*\.(?:onclick\s*=|addEventListener\s*\("""
                         r"""\s*["']click["']\s*,)""")
HANDLER = re.compile(r"\s*(?:function\s*\([^)]*\)|\([^()]*\)\s*=>)\s*\{")


def load_more_pages(selector: Selector, base: str) -> list[str]:
    """Addresses a 加载更多 button loads its next records from when it writes none in an href: its
    data attribute's, else the quoted address its click handler (bound to its id by the page's
    script) asks — read, never run; an address the handler builds from the page's state (an
    offset it counts) is not known and not guessed."""
    if selector.xpath("boolean(//text()[contains(., '加载更多') or contains(translate(., 'LOADMRE', 'loadmre'),"
                      " 'load more')])").get() != "1":
        return []   # no such button: the page's links are not read again
    handlers = _click_handlers(selector)
    found = []
    buttons = selector.xpath(f"(//a | //button | //*[@onclick or @data-url or @id][self::span or self::div or "
                             f"self::li or self::p])[position() <= {MAX_LINKS}]")
    for el in buttons:
        if clean(" ".join(el.css("::text").getall())).lower() not in LOAD_MORE_TEXTS:
            continue
        targets = [el.attrib.get(k) for k in MORE_DATA] + handlers.get(el.attrib.get("id") or "", [])
        found += [url for t in targets if t and (url := absolute(base, t))]
    return dedupe(found)


def _click_handlers(selector: Selector) -> dict[str, list[str]]:
    """element id → the addresses the click handler the page's script binds to it loads."""
    found: dict[str, list[str]] = {}
    for code in inline_scripts(selector):
        for m in BOUND_CLICK.finditer(code):
            opened = HANDLER.match(code, m.end())
            if not opened:
                continue
            body = _body(code, opened.end())
            found.setdefault(m.group("a") or m.group("b"), []).extend(
                t.group(2) or t.group(4) or t.group(6) for t in LOADERS.finditer(body)
                if not body[t.end():t.end() + 20].lstrip().startswith("+"))   # "…&offset=" + n: a start only
    return found


# -- pagers drawn from an address template ------------------------------------------------

# the page number's place in a template address: list_{n}.shtml, index_{page}.html, ?p={{pageNo}}
TEMPLATE_SLOT = re.compile(r"\{\{?\s*(?:n|p|i|num|no|page|pageno|pagenum|pagenumber|pageindex|index|curr|current)"
                           r"\s*\}?\}", re.I)
QUERY_FIELD = re.compile(r"[?&][\w.]+=")


def template_pages(selector: Selector, base: str) -> list[str]:
    """Pages 2…N of a pager its script draws from an address template: an object literal of the
    page's inline script holding an address with a page slot (`tpl: "list_{n}.shtml"`) and the
    pager's count — a page count (pageCount, totalPage, pages …), else a record total over the page
    size (`total: 13, size: 6`: 3 pages) — numbers, or variables the script assigned a number. Page 1
    is the page the pager sits on (or its `first:` address), never the template's. No count, no pages:
    where the pager ends is the page's to say."""
    found = []
    for code in inline_scripts(selector):
        numbers = {m.group(1): m.group(4) for m in ASSIGNMENT.finditer(code) if m.group(4) is not None}
        for body in flat_objects(code):
            found += _templated(_options(body, numbers), base)
    for fields in attribute_pagers(selector):
        found += _templated(fields, base)
    return dedupe(found)


def _templated(fields: dict[str, str], base: str) -> list[str]:
    """Pages 2…N of one pager's options (name → value): its template address filled with each number
    up to the count the options give; none without both."""
    template = next((v for v in fields.values() if _template_address(v)), None)
    count = _template_count(fields)
    if not (template and count):
        return []
    return [url for n in pager_range(2, count) if (url := absolute(base, TEMPLATE_SLOT.sub(str(n), template)))]


DATA_PREFIX = re.compile(r"^data-|[-_]")
TEMPLATED_ELEMENTS = (f"(//*[@*[starts-with(name(), 'data-') and contains(., '{{')]])"
                      f"[position() <= {MAX_LINKS}]")


def attribute_pagers(selector: Selector) -> list[dict[str, str]]:
    """The options of pagers a page hands its pager script in data attributes rather than a script
    object (`<div id="pager" data-total-page="2" data-url-tpl="/col/list_{page}.html">`, a shared
    pager.js reading `getAttribute('data-url-tpl')` and writing the links): each element's data
    attributes, named as a script's options would be (data-total-page → totalpage), for an element
    holding a value with a brace — where a template's slot would be."""
    found = []
    for el in selector.root.xpath(TEMPLATED_ELEMENTS):
        found.append({DATA_PREFIX.sub("", name).lower(): value for name, value in el.attrib.items()
                      if name.startswith("data-")})
    return found


def flat_objects(code: str):
    """The bodies of the script's brace pairs that hold no other (object literals of plain values),
    braces inside string literals (`"list_{n}.shtml"`) not counted."""
    opened: list[list] = []
    for i, c in unquoted(code):
        if c == "{":
            if opened:
                opened[-1][1] = True
            opened.append([i, False])
        elif c == "}" and opened:
            start, nested = opened.pop()
            if not nested:
                yield code[start + 1:i]


def _template_address(value: str) -> bool:
    """Is the option an address with a page slot (`list_{n}.shtml`, `?page={n}`), not a label
    (`第{n}页`), a bare slot, or a query string handed to a data proxy (`page={page}&columnid=…`)?"""
    if not TEMPLATE_SLOT.search(value):
        return False
    filled = TEMPLATE_SLOT.sub("2", value)
    path, query = filled.partition("?")[::2]
    if any(c.isspace() for c in filled) or "=" in path or "&" in path:
        return False
    return bool(ADDRESS_LIKE.search(path) or QUERY_FIELD.search("?" + query) and filled.startswith("?"))


def _template_count(fields: dict[str, str]) -> int | None:
    """The page count a template pager's options give: their page count, else total over size."""
    pages = next((to_int(fields[k], None) for k in COUNT_KEYS if k in fields), None)
    if pages is not None:
        return pages
    total = next((to_int(fields[k], None) for k in TOTAL_KEYS if k in fields), None)
    size = next((to_int(fields[k], None) for k in SIZE_KEYS if k in fields), None)
    return -(-total // size) if total and size and size > 0 else None

