"""A Content-Security-Policy on every response: scripts only from this site or Datasette's own
inline snippets (allowed by hash), so text scraped from the web could not run even if some
template forgot to escape it.
"""
from __future__ import annotations

import base64
import hashlib
import re
from pathlib import Path

import datasette
from datasette import hookimpl

DEFAULT_TEMPLATES = Path(datasette.__file__).parent / "templates"
INLINE_SCRIPT = re.compile(r"<script>(.*?)</script>", re.S)


def inline_scripts() -> list[str]:
    """The inline scripts Datasette's own templates render, exactly as they render them."""
    scripts = []
    for name in ("_close_open_menus.html", "_codemirror_foot.html"):
        scripts += INLINE_SCRIPT.findall((DEFAULT_TEMPLATES / name).read_text(encoding="utf-8"))
    # table.html: <script>DATASETTE_ALLOW_FACET = {{ datasette_allow_facet }};</script>
    scripts += [f"DATASETTE_ALLOW_FACET = {flag};" for flag in ("true", "false")]
    return scripts


def policy() -> str:
    hashes = " ".join("'sha256-{}'".format(base64.b64encode(
        hashlib.sha256(s.encode("utf-8")).digest()).decode()) for s in inline_scripts())
    return ("default-src 'self'; "
            f"script-src 'self' {hashes}; "
            "style-src 'self' 'unsafe-inline'; img-src 'self' data:; object-src 'none'; "
            "base-uri 'none'; frame-ancestors 'none'; form-action 'self'")


HEADERS = [(b"content-security-policy", policy().encode()),
           (b"x-content-type-options", b"nosniff"),
           (b"referrer-policy", b"strict-origin-when-cross-origin")]


@hookimpl
def asgi_wrapper():
    def wrap(app):
        async def wrapped(scope, receive, send):
            async def add_headers(event):
                if event["type"] == "http.response.start":
                    present = {name.lower() for name, _ in event.get("headers", [])}
                    event = dict(event, headers=[*event.get("headers", []),
                                                 *[h for h in HEADERS if h[0] not in present]])
                await send(event)
            await app(scope, receive, add_headers)
        return wrapped
    return wrap
