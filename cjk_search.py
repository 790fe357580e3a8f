"""Chinese full-text search as pure text functions, shared by the index writer and the reader.

SQLite's tokenizers cannot search Chinese exactly (trigram drops 2-character words, a word
segmenter misses queries that cross its word boundaries).  So the index is fed pre-tokenized
text instead: every run of CJK characters becomes its overlapping character bigrams and then
its last character alone (执法证书 → 执法 法证 证书 书), everything else alphanumeric stays one
word.  The last character does two things: every CJK character of the text begins some token
(a bigram, or the run's last character), so a one-character term is the prefix query "法" *;
and no two runs' bigrams are ever adjacent, so the phrase of a term's bigrams matches a text
exactly when one run of it contains the term (政务，务公开 holds 政务 务 务公 公开 开, which
the phrase "政务 务公 公开" does not match).

A term made only of caseless CJK characters (Chinese, kana, …) is therefore answered by the
index alone, exactly: no text is read (`exact_term`).  Other terms — Latin letters, digits,
punctuation, fullwidth letters that fold — are narrowed by their CJK parts where they have any
and decided by an exact substring test (SQL LIKE) on those candidates.  The result is exactly
"title or body contains every term" (ASCII letters case-insensitively).

crawler/store/archive.py writes the index with `index_text` (or the same tokens computed by a
crawl's worker, `index_tokens`); the Datasette plugin queries it with
`parse_query`, `match_expression` and `exact_term`.  Both must tokenize identically, hence one
module — and it stands outside the crawler package, so that datasette/ reads the archive
without importing the crawler.
"""
from __future__ import annotations

import re
import string
from operator import add

FTS_TABLE = "reports_search"
ROWS_TABLE = "reports_search_rows"  # FTS rowid → reports.url (an INTEGER PRIMARY KEY survives VACUUM)
INDEX_VERSION = 2  # bump when index_text changes: the store then rebuilds the index
# PRAGMA user_version of a published database whose reports' rowids ARE the search index's
# rowids (crawler/store/publish.py makes it so): a search there needs no join through ROWS_TABLE
ALIGNED_USER_VERSION = 1000 + INDEX_VERSION
# every alphanumeric character must be a token character for the index, even those newer than
# SQLite's Unicode tables (Cn), or a bigram would lose a character on one side only
TOKENIZE = "unicode61 categories 'L* N* Co Cn'"

_ASCII_LOWER = bytes.maketrans(string.ascii_uppercase.encode(), string.ascii_lowercase.encode())
_QUERY = re.compile(r'"([^"]*)"|(\S+)')
_ALNUM = re.compile(r"[^\W_]+")  # str.isalnum() characters
_CJK_OR_NOT = re.compile("[\u2e80-\U0010ffff]+|[^\u2e80-\U0010ffff]+")


def fold(text: str) -> str:
    """ASCII case folding only: what SQLite's LIKE ignores, and no more.  Through UTF-8 bytes,
    where an ASCII letter is always one byte and nothing else is (str.translate with a mapping
    costs about a microsecond a character on Chinese text; this, a few nanoseconds)."""
    return text.encode("utf-8", "surrogatepass").translate(_ASCII_LOWER).decode("utf-8", "surrogatepass")


def _runs(text: str):
    """Maximal runs of alphanumeric characters as (is_cjk, run): CJK from U+2E80 on (radicals,
    kana, ideographs, hangul, fullwidth forms), the scripts written without spaces."""
    for word in _ALNUM.findall(text):
        for run in _CJK_OR_NOT.findall(word):
            yield run[0] >= "\u2e80", run


def _bigrams(run: str) -> list[str]:
    """The run's overlapping character pairs, paired in C (map over the run and the run less its
    first character): the index makes them for every CJK run of every report."""
    return list(map(add, run, run[1:]))


def index_text(text: str | None) -> str:
    """The token stream the FTS table stores for `text`: each CJK run's bigrams then its last
    character, whole other words."""
    tokens: list[str] = []
    for cjk, run in _runs(text or ""):
        if cjk:
            tokens.extend(_bigrams(run))
            tokens.append(run[-1])
        else:
            tokens.append(run)
    return " ".join(tokens)


def index_tokens(*texts: str | None) -> dict[str, str]:
    """{text: index_text(text)} for the given texts: a report's tokens computed where its text is
    read (the crawl's worker processes), handed to the index writer, which uses an entry only for
    the very text it keys — so the index is what index_text would have made there."""
    return {text: index_text(text) for text in texts if text}


def parse_query(query: str | None) -> list[str]:
    """The literal terms of a search box query: words split on spaces, "quoted text" kept whole."""
    query = (query or "").strip()
    if query.count('"') % 2:
        query = query.replace('"', " ")
    terms = []
    for quoted, word in _QUERY.findall(query):
        term = fold((quoted or word).strip())
        if term and term not in terms:
            terms.append(term)
    return terms


def exact_term(term: str) -> bool:
    """True when the index alone decides whether a text contains `term`: one run of CJK
    characters that no folding changes (SQLite's LIKE compares them as they are, and so does the
    index when they have no case)."""
    runs = list(_runs(term))
    return (len(runs) == 1 and runs[0][0] and runs[0][1] == term
            and term.lower() == term == term.upper())


def _term_expression(term: str, prefix: str, version: int) -> list[str]:
    """The phrase queries every text containing `term` matches: each CJK part of it as the
    phrase of its bigrams, or, one character long, as the prefix of a token (not in an index
    of version 1, which had bigrams only)."""
    return [prefix + ('"' + " ".join(_bigrams(run)) + '"' if len(run) > 1 else f'"{run}" *')
            for cjk, run in _runs(term) if cjk and (len(run) > 1 or version >= 2)]


def match_expression(terms: list[str], column: str | None = None, version: int = INDEX_VERSION) -> str | None:
    """An FTS5 MATCH that every text containing all `terms` satisfies, or None.

    In an index of this INDEX_VERSION it is exact for the terms `exact_term` accepts and a
    superset for the others; in one of version 1 (an archive no crawl has opened since), a
    superset.  None means the index cannot narrow the search and only the substring test
    applies (no CJK character; in version 1, no two adjacent ones).
    """
    prefix = f"{column} : " if column else ""
    phrases = [p for term in terms for p in _term_expression(term, prefix, version)]
    return " AND ".join(dict.fromkeys(phrases)) or None


def checked_terms(terms: list[str]) -> list[str]:
    """The terms the substring test must still decide after the index (not `exact_term`)."""
    return [t for t in terms if not exact_term(t)]


def match_spans(text: str, terms: list[str], limit: int | None = None) -> list[tuple[int, int]]:
    """Sorted, merged (start, end) spans of every occurrence of every term (of the first
    `limit` occurrences of each, when given: a snippet needs only the first few)."""
    folded = fold(text)
    spans = []
    for term in terms:
        start, found = folded.find(term), 0
        while start >= 0 and (limit is None or found < limit):
            spans.append((start, start + len(term)))
            found += 1
            start = folded.find(term, start + 1)
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def highlight(text: str | None, terms: list[str]) -> list[tuple[str, bool]]:
    """`text` cut into (piece, is_match) pieces, for marking every hit in a reading view."""
    text = text or ""
    return _cut(text, match_spans(text, terms))


def snippet(text: str | None, terms: list[str], context: int = 30,
            fragments: int = 3, limit: int | None = None) -> list[tuple[str, bool]]:
    """Windows of `text` around hits, every term's first hit among them, as (piece, is_match)
    pieces with '…' for the gaps (`limit`: hits looked at per term, for bounded work)."""
    text = (text or "").replace("\n", " ")
    spans = match_spans(text, terms, limit)
    if not spans:
        return [(text[:2 * context] + ("…" if len(text) > 2 * context else ""), False)] if text else []
    folded = fold(text)
    firsts = {next(s for s in spans if s[0] <= at < s[1])
              for at in (folded.find(t) for t in terms) if at >= 0}
    chosen = sorted(firsts) + [s for s in spans if s not in firsts]
    chosen = sorted(chosen[:max(fragments, len(firsts))])
    windows: list[list[int]] = []
    for start, end in chosen:
        lo, hi = max(0, start - context), min(len(text), end + context)
        if windows and lo <= windows[-1][1]:
            windows[-1][1] = hi
        else:
            windows.append([lo, hi])
    pieces: list[tuple[str, bool]] = []
    for lo, hi in windows:
        if lo > 0:
            pieces.append(("…", False))
        inner = [(max(s, lo) - lo, min(e, hi) - lo) for s, e in spans if s < hi and e > lo]
        pieces += _cut(text[lo:hi], inner)
    if windows[-1][1] < len(text):
        pieces.append(("…", False))
    return pieces


def _cut(text: str, spans: list[tuple[int, int]]) -> list[tuple[str, bool]]:
    pieces, pos = [], 0
    for start, end in spans:
        pieces += [(text[pos:start], False), (text[start:end], True)]
        pos = end
    pieces.append((text[pos:], False))
    return [p for p in pieces if p[0]]
