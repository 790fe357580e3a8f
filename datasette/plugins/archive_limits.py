"""Bounds on what one step of one query may cost, so that the time limit can stop any query.

Datasette enforces `sql_time_limit_ms` with SQLite's progress handler, which runs *between*
virtual-machine steps.  A single step is unbounded when a function call is: measured on this
machine, `x LIKE '%' || 10,000×'a' || 'b%'` over a 1 MB string takes 17 s in one step,
`instr()`, `replace()` and two-argument `trim()` are O(n·m) the same way, and any function
runs on strings up to SQLite's 1 GB default.  So every connection gets:

- `SQLITE_LIMIT_LENGTH` = 4 MB: no string or blob, read or made, beyond it (the published
  database has no raw snapshots; a report's text is far below this);
- `SQLITE_LIMIT_LIKE_PATTERN_LENGTH` = 64 bytes: LIKE and GLOB cost O(text × pattern), so
  one step is at most ~4 MB × 64 — about half a second; the search's own patterns are one
  term each (≤ 20 characters, see archive_search.py);
- `instr`, `replace`, `trim`, `ltrim`, `rtrim` replaced by linear-time versions with SQLite's
  semantics (Python's str.find is Two-Way for long needles; trimming uses a set);
- `printf` / `format` refuse a width or precision beyond MAX_LENGTH: SQLite 3.40 loops over
  the whole precision of `%.*c` even after the length limit stopped it (5.5 s for 9e8), then
  hand the call to SQLite's own printf on a private in-memory connection.

The project's own functions (archive_search.py) bound their work by their inputs' size.
"""
from __future__ import annotations

import re
import sqlite3
import threading

from datasette import hookimpl

MAX_LENGTH = 4_000_000
MAX_LIKE_PATTERN = 64
# a function refusing its input says so in the query's error; no traceback on the terminal
sqlite3.enable_callback_tracebacks(False)


def _text(value):
    """SQLite's text view of a value (numbers as text, blobs as UTF-8), None stays None."""
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    return str(value)


def instr(haystack, needle):
    """1-based position of the first `needle` in `haystack`; bytes for two blobs."""
    if haystack is None or needle is None:
        return None
    if not (isinstance(haystack, bytes) and isinstance(needle, bytes)):
        haystack, needle = _text(haystack), _text(needle)
    return haystack.find(needle) + 1


def replace(text, old, new):
    """Every `old` in `text` replaced by `new`; an empty `old` changes nothing (as SQLite)."""
    if text is None or old is None or new is None:
        return None
    if _text(old) == "":
        return text  # as it came, number or text
    return _text(text).replace(_text(old), _text(new))


def _strip(text, chars, left: bool, right: bool):
    if text is None or chars is None:
        return None
    text, members = _text(text), set(_text(chars))
    if len(members) <= 256:  # str.strip scans its characters per position: fine when few
        chars = "".join(members)
        return text.strip(chars) if left and right else text.lstrip(chars) if left \
            else text.rstrip(chars)
    start, end = 0, len(text)
    while left and start < end and text[start] in members:
        start += 1
    while right and end > start and text[end - 1] in members:
        end -= 1
    return text[start:end]


# one printf conversion: flags, width (* or digits), precision (.* or .digits), type
PRINTF_SPEC = re.compile(r"%([-+ 0#,!]*)(\*|\d+)?(?:\.(\*|\d+))?([a-zA-Z%])")
_private = threading.local()


class FormatTooWide(ValueError):
    pass


def _check_widths(fmt: str, args: tuple) -> None:
    """Refuse any width or precision larger than the longest string SQLite may make."""
    position = 0
    for _, width, precision, kind in PRINTF_SPEC.findall(fmt):
        for part in (width, precision):
            if part == "*":
                value = args[position] if position < len(args) else 0
                position += 1
            else:
                value = part or 0
            try:
                if abs(int(value)) > MAX_LENGTH:
                    raise FormatTooWide(f"printf width or precision above {MAX_LENGTH}")
            except (TypeError, ValueError, OverflowError) as exc:
                if isinstance(exc, FormatTooWide):
                    raise
        if kind != "%":
            position += 1


def printf(fmt=None, *args):
    """SQLite's printf, once its widths are known to be bounded."""
    if fmt is None:
        return None
    fmt = _text(fmt)
    _check_widths(fmt, args)
    conn = getattr(_private, "conn", None)
    if conn is None:
        conn = _private.conn = sqlite3.connect(":memory:", check_same_thread=False)
        conn.setlimit(sqlite3.SQLITE_LIMIT_LENGTH, MAX_LENGTH)
    marks = ", ".join("?" * (len(args) + 1))
    return conn.execute(f"SELECT printf({marks})", (fmt, *args)).fetchone()[0]


@hookimpl
def prepare_connection(conn):
    conn.setlimit(sqlite3.SQLITE_LIMIT_LENGTH, MAX_LENGTH)
    conn.setlimit(sqlite3.SQLITE_LIMIT_LIKE_PATTERN_LENGTH, MAX_LIKE_PATTERN)
    conn.create_function("instr", 2, instr, deterministic=True)
    conn.create_function("printf", -1, printf, deterministic=True)
    conn.create_function("format", -1, printf, deterministic=True)
    conn.create_function("replace", 3, replace, deterministic=True)
    conn.create_function("trim", 2, lambda t, c: _strip(t, c, True, True), deterministic=True)
    conn.create_function("ltrim", 2, lambda t, c: _strip(t, c, True, False), deterministic=True)
    conn.create_function("rtrim", 2, lambda t, c: _strip(t, c, False, True), deterministic=True)
