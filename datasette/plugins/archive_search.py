"""Exact Chinese search in Datasette: `?_search=` on reports, SQL functions, highlighted snippets.

Datasette's own FTS search hands the query to the tokenizer, which cannot search Chinese
exactly.  This plugin takes over `_search` (and `_search_title` / `_search_body`) on the
`reports` table: the bigram index of cjk_search.py answers Chinese terms exactly by itself;
other terms (Latin letters, digits, punctuation) are narrowed by it where they can be and
decided by an exact substring test.  On a published database whose reports' rowids are the
index's (PRAGMA user_version, crawler/store/publish.py), the index's rowids are the reports'
directly.  See datasette/README.md and bench/README.md for the measurements.
"""
from __future__ import annotations

import contextvars
import html
import json
import re
import time
from collections import OrderedDict
from urllib.parse import urlencode

from datasette import hookimpl
from datasette.filters import FilterArguments
from datasette.utils import tilde_encode
from datasette.utils.asgi import BadRequest
from markupsafe import Markup, escape

from cjk_search import (
    ALIGNED_USER_VERSION,
    FTS_TABLE,
    INDEX_VERSION,
    ROWS_TABLE,
    checked_terms,
    highlight,
    match_expression,
    parse_query,
    snippet,
)

TABLE = "reports"
LIKE_SPECIAL = re.compile(r"[%_\\]")
MARK = re.compile(r"(<mark>.*?</mark>)", re.S)
SEARCHABLE = ("title", "body")
# bounds on one search, so that every call of the functions below costs at most a linear pass
# over its text (archive_limits.py caps the text): longer queries are refused, not cut
MAX_QUERY_CHARS = 200
MAX_TERMS = 16
MAX_TERM_CHARS = 20  # its LIKE pattern stays within archive_limits.MAX_LIKE_PATTERN bytes
MAX_SNIPPET_TEXT = 1_000_000  # characters a snippet looks at (a report is far shorter)
SNIPPET_HITS = 200  # hits per term a snippet marks: its three windows need the first few
# the current request's search terms, for render_cell (which is not given the request)
SEARCH_TERMS: contextvars.ContextVar[list[str] | None] = contextvars.ContextVar("search_terms",
                                                                                 default=None)


def search_condition(param: str, columns: tuple[str, ...] = SEARCHABLE, aligned: bool = False,
                     current: bool = True) -> str:
    """SQL true for the reports whose `columns` contain every term of :param.

    The index narrows when it can (cjk_match is NULL when it cannot) and is exact for Chinese
    terms; LIKE, which ignores ASCII case as the terms do, decides the other terms on the text
    itself.  `MATCH '""'` matches nothing and raises nothing, so the OR is safe in whatever
    order SQLite evaluates it.  `aligned`: the reports' rowids are the index's; not `current`:
    the index is of an older INDEX_VERSION (an archive served as it is), which only narrows,
    and LIKE decides every term.
    """
    column = "NULL" if len(columns) > 1 else f"'{columns[0]}'"
    match = f"cjk_match(:{param}, {column})" if current else f"cjk_match_v1(:{param}, {column})"
    checked = "cjk_checked_patterns" if current else "cjk_like_patterns"
    index = f"SELECT rowid FROM [{FTS_TABLE}] WHERE [{FTS_TABLE}] MATCH coalesce({match}, '\"\"')"
    index = f"+rowid IN ({index})" if aligned else \
        f"[url] IN (SELECT m.url FROM [{ROWS_TABLE}] m WHERE m.id IN ({index}))"
    return (f"({match} IS NULL OR {index}) "
            f"AND json_array_length(cjk_like_patterns(:{param})) > 0 "
            f"AND NOT EXISTS (SELECT 1 FROM json_each({checked}(:{param})) t "
            f"WHERE ({_text(columns)}) NOT LIKE t.value ESCAPE '\\')")


def _text(columns: tuple[str, ...]) -> str:
    return " || char(10) || ".join(f"coalesce([{c}], '')" for c in columns)


def _like(term: str) -> str:
    """'%term%' with % _ and \\ escaped."""
    return "%" + LIKE_SPECIAL.sub(r"\\\g<0>", term) + "%"


def mark_html(pieces: list[tuple[str, bool]]) -> Markup:
    """Escaped text with <mark> around the hits: the only markup scraped text ever gets."""
    return Markup("".join(f"<mark>{escape(p)}</mark>" if hit else str(escape(p))
                          for p, hit in pieces))


def only_marks(value: str) -> Markup:
    """A snippet's HTML re-rendered from its text: nothing survives but <mark> (a query may
    return any string in a column called snippet)."""
    pieces = MARK.split(value)
    return mark_html([(html.unescape(p[6:-7]), True) if MARK.fullmatch(p) else (html.unescape(p), False)
                      for p in pieces if p])


class QueryTooLong(ValueError):
    """A search beyond the bounds: an error for the user, never a long computation."""


def bounded_terms(query) -> list[str]:
    """The query's terms, or QueryTooLong when it is longer than a search needs."""
    if query is None:
        return []
    query = query if isinstance(query, str) else str(query)
    if len(query) > MAX_QUERY_CHARS:
        raise QueryTooLong(f"search query longer than {MAX_QUERY_CHARS} characters")
    terms = parse_query(query)
    if len(terms) > MAX_TERMS:
        raise QueryTooLong(f"more than {MAX_TERMS} search terms")
    if any(len(t) > MAX_TERM_CHARS for t in terms):
        raise QueryTooLong(f"a search term longer than {MAX_TERM_CHARS} characters")
    return terms


def _cjk_match(query, column):
    return match_expression(bounded_terms(query), column if isinstance(column, str) else None)


def _cjk_match_v1(query, column):
    return match_expression(bounded_terms(query), column if isinstance(column, str) else None, version=1)


def _cjk_like_patterns(query):
    """The terms as a JSON list of LIKE patterns, '%term%' with % _ and \\ escaped."""
    return json.dumps([_like(t) for t in bounded_terms(query)], ensure_ascii=False)


def _cjk_checked_patterns(query):
    """LIKE patterns of the terms the index does not decide alone (cjk_search.checked_terms)."""
    return json.dumps([_like(t) for t in checked_terms(bounded_terms(query))], ensure_ascii=False)


def _cjk_snippet(text, query):
    terms = bounded_terms(query)
    if not isinstance(text, str):
        return None
    return str(mark_html(snippet(text[:MAX_SNIPPET_TEXT], terms, limit=SNIPPET_HITS)))


@hookimpl
def prepare_connection(conn):
    conn.create_function("cjk_match", 2, _cjk_match, deterministic=True)
    conn.create_function("cjk_match_v1", 2, _cjk_match_v1, deterministic=True)
    conn.create_function("cjk_like_patterns", 1, _cjk_like_patterns, deterministic=True)
    conn.create_function("cjk_checked_patterns", 1, _cjk_checked_patterns, deterministic=True)
    conn.create_function("cjk_snippet", 2, _cjk_snippet, deterministic=True)


HITS_PARAM = "cjk_hits"
HITS_CACHE_SIZE = 256
_hits: OrderedDict = OrderedDict()  # (database, file, params) → (generation, JSON list of rowids)


async def matching_rowids(db, conditions: list[str], params: dict) -> str:
    """The rowids of the reports that satisfy every search condition, as a JSON list.

    Datasette runs a table page's condition once for the rows, once for the count and once
    per facet; evaluated here once, the page's other queries test membership instead.  The
    answer is kept per publication generation (read in the same statement, so the same
    snapshot): a popular search costs one evaluation per publish."""
    key = (db.name, db.path, tuple(sorted(params.items())))  # generations count per file
    where = " AND ".join(conditions)
    try:
        generation = (await db.execute("SELECT generation FROM publication WHERE id = 1")).rows
        generation = generation[0][0] if generation else None
    except Exception:  # noqa: BLE001 - a database without a publication row: no cache
        generation = None
    cached = _hits.get(key)
    if generation is not None and cached and cached[0] == generation:
        _hits.move_to_end(key)
        return cached[1]
    row = (await db.execute(
        f"SELECT {'(SELECT generation FROM publication WHERE id = 1)' if generation is not None else 'NULL'}, "
        f"json_group_array(rowid) FROM [{TABLE}] WHERE {where}", params)).rows[0]
    if row[0] is not None:
        _hits[key] = (row[0], row[1])
        while len(_hits) > HITS_CACHE_SIZE:
            _hits.popitem(last=False)
    return row[1]


_states: dict[tuple, tuple[float, tuple[bool, bool]]] = {}  # (database, file) → (when, state)


async def index_state(db) -> tuple[bool, bool]:
    """(aligned, current): the database's reports have the search index's rowids (a published
    database), and its index is of this INDEX_VERSION (an archive may be older, when it is
    served as it is: no crawl has opened it since; one index has one version throughout).
    Looked up at most once a second per file, as has_index: a search page asked twice, two
    trips to a SQL thread.  (Both change only when the file is made whole again.)"""
    key, now = (db.name, db.path), time.monotonic()
    seen = _states.get(key)
    if seen is None or now - seen[0] > INDEX_LOOK_EVERY:
        seen = _states[key] = (now, await _index_state(db))
    return seen[1]


async def _index_state(db) -> tuple[bool, bool]:
    try:
        user_version, version = (await db.execute(
            "SELECT (SELECT user_version FROM pragma_user_version), "
            f"(SELECT version FROM [{ROWS_TABLE}] LIMIT 1)")).rows[0]
    except Exception:  # noqa: BLE001 - whatever it is, it is not an aligned published file
        return False, False
    return user_version == ALIGNED_USER_VERSION, version in (None, INDEX_VERSION)


_indexed: dict[tuple, tuple[float, bool]] = {}   # (database, file) → (when looked, has the index)
INDEX_LOOK_EVERY = 1.0   # seconds: as often as Datasette's own schema checks are made here


async def has_index(db) -> bool:
    """Whether the database has the search index, looked up at most once a second per file:
    every table page asks, and a trip to a SQL thread per page queues behind the others."""
    key, now = (db.name, db.path), time.monotonic()
    seen = _indexed.get(key)
    if seen is None or now - seen[0] > INDEX_LOOK_EVERY:
        seen = _indexed[key] = (now, await db.table_exists(FTS_TABLE))
    return seen[1]


MATCH_PARAM = "cjk_index_match"
# below one hit in SCAN_PER reports, a search looks its hits up one by one; above, it passes
# over an index of the reports and tests each for membership (the page's rows then stop at the
# first page's worth in the sort order, and the count and facets read no table rows)
SCAN_PER = 50  # reports per hit


async def index_filter(db, searches: list[tuple[list[str], str | None]], described, context):
    """The filter of a search the index answers alone (every term exact, rowids aligned):
    the hits are the index's rowids, no text is read, nothing is verified or cached."""
    expression = " AND ".join(f"({match_expression(terms, column)})" for terms, column in searches)
    # a bounded count: the index stops at the first hit past the share (FTS5 reads lazily)
    (many,) = (await db.execute(
        f"SELECT count(*) > (SELECT max(rowid) FROM [{TABLE}]) / :per FROM (SELECT 1 FROM [{FTS_TABLE}] "
        f"WHERE [{FTS_TABLE}] MATCH :e LIMIT coalesce((SELECT max(rowid) FROM [{TABLE}]), 0) / :per + 1)",
        {"e": expression, "per": SCAN_PER})).rows[0]
    membership = "+rowid" if many else "rowid"
    return FilterArguments(
        [f"{membership} IN (SELECT rowid FROM [{FTS_TABLE}] WHERE [{FTS_TABLE}] MATCH :{MATCH_PARAM})"],
        {MATCH_PARAM: expression}, described, context)


@hookimpl(trylast=True)  # after Datasette's own search filter, so our extra_context wins
def filters_from_request(request, database, table, datasette):
    if table != TABLE:
        return None

    def asked() -> list[tuple[str, str | None]]:
        """The request's search parameters (`_search`, `_search_<column>`) with their column."""
        found = []
        for key in request.args:
            column = key[len("_search_"):] if key.startswith("_search_") else None
            if key == "_search" or column in SEARCHABLE:
                found.append((key, column))
        return found

    async def inner():
        db = datasette.get_database(database)
        if not await has_index(db):
            return None
        keys = asked()
        context = {"supports_search": True, "search": request.args.get("_search", "")}
        if not keys:   # a page without a search asks the database nothing more here
            SEARCH_TERMS.set(None)
            return FilterArguments([], {}, [], context)
        conditions, params, described, searches = [], {}, [], []
        aligned, current = await index_state(db)
        for key, column in keys:
            query = request.args[key]
            try:
                if not bounded_terms(query):
                    continue
            except QueryTooLong as exc:
                raise BadRequest(str(exc)) from None
            param = f"cjk_{key.strip('_')}"
            conditions.append(search_condition(param, (column,) if column else SEARCHABLE, aligned, current))
            params[param] = query
            searches.append((parse_query(query), column))
            described.append(f'{column or "title or body"} contains "{query}"')
        SEARCH_TERMS.set([t for q in params.values() for t in parse_query(q)] or None)
        if not conditions:
            return FilterArguments([], {}, [], context)
        if aligned and not any(checked_terms(terms) for terms, _ in searches):
            return await index_filter(db, searches, described, context)
        hits = await matching_rowids(db, conditions, params)
        # `+rowid`: a membership test, not rowid lookups, so that the count and the facets
        # scan a covering index (5x faster than seeking every hit's row on 3,000 reports)
        return FilterArguments([f"+rowid IN (SELECT value FROM json_each(:{HITS_PARAM}))"],
                               {HITS_PARAM: hits}, described, context)

    return inner


@hookimpl
def canned_queries(datasette, database):
    """`search`: the same hits with a snippet each, for JSON users (…/search.json?q=执法)."""
    async def inner():
        db = datasette.get_database(database)
        if not await db.table_exists(FTS_TABLE):
            return {}
        aligned, current = await index_state(db)
        return {"search": {
            "title": "全文检索 · Full-text search",
            "description": "标题或正文包含全部检索词的报告（空格分隔多个词），附摘录；每页100条（page=2…） · "
                           "Reports whose title or body contains every term, with a snippet; "
                           "100 a page (page=2, 3, …)",
            "sql": ("SELECT url, title, report_type, year, province, publisher, published_date,\n"
                    "       cjk_snippet(coalesce(title, '') || char(10) || coalesce(body, ''), :q)"
                    " AS snippet\n"
                    f"FROM reports WHERE {search_condition('q', aligned=aligned, current=current)}\n"
                    "ORDER BY published_date DESC\n"
                    # bounded work per request: 100 hits a page (snippets are cut per row)
                    "LIMIT 100 OFFSET 100 * (max(coalesce(cast(nullif(:page, '') AS INTEGER), 1), 1) - 1)"),
        }}
    return inner


@hookimpl
def render_cell(row, value, column, table, database, datasette):
    """The title links to the reading view; while a search is on, hits are marked in the
    title and the body shows as snippets."""
    if column == "snippet" and table is None and isinstance(value, str):
        return only_marks(value)
    if table != TABLE or not isinstance(value, str):
        return None
    terms = SEARCH_TERMS.get() or []
    if column == "title" and "url" in row.keys():
        query = " ".join(f'"{t}"' if " " in t else t for t in terms)
        href = datasette.urls.row(database, TABLE, tilde_encode(row["url"]))
        href += f"?{urlencode({'q': query})}" if query else ""
        return Markup(f'<a href="{escape(href)}">{mark_html(highlight(value, terms))}</a>')
    if column == "body" and terms:
        return mark_html(snippet(value[:MAX_SNIPPET_TEXT], terms, limit=SNIPPET_HITS))
    return None


@hookimpl
def prepare_jinja2_environment(env):
    env.filters["highlight"] = lambda text, query: mark_html(highlight(text, parse_query(query)))


@hookimpl
def asgi_wrapper():
    """Every request starts with no search terms, whichever task served the one before."""
    def wrap(app):
        async def wrapped(scope, receive, send):
            token = SEARCH_TERMS.set(None)
            try:
                await app(scope, receive, send)
            finally:
                SEARCH_TERMS.reset(token)
        return wrapped
    return wrap
