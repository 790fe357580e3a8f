"""Errors as answers, not crashes: a missing address is a 404, a bad parameter a 400, and the
terminal gets one line per error instead of a traceback.

Datasette's own handler calls `rich.print_exception()` outside an `except:` block; with the
installed rich that raises, so every 404 became a 500 with two tracebacks on the terminal.
This handler runs first and renders the same error pages (error.html, JSON for `.json`
addresses) itself.  Exceptions a bad parameter causes deep inside Datasette's table view
(a ValueError from int('abc'), an sqlite3 error from a crafted `_next`) are the client's
fault, so they are 400s; anything else is a 500 — still one log line, with its place.
"""
from __future__ import annotations

import logging
import re
import sqlite3
import traceback

from datasette import hookimpl
from datasette.plugins import pm
from datasette.utils.asgi import Base400, Response
from datasette.views.base import DatasetteError
from markupsafe import Markup

log = logging.getLogger("archive.errors")
# pluggy calls every handle_exception hook; Datasette's own would still print its tracebacks
# (and crash doing so), so it goes — this module renders what it rendered
if pm.has_plugin("datasette.handle_exception"):
    pm.unregister(name="datasette.handle_exception")
# raised by Datasette's parameter handling on malformed input: the request's fault, not ours
CLIENT_ERRORS = (ValueError, KeyError, IndexError, TypeError, sqlite3.Error, UnicodeError)


def classify(exception: BaseException) -> tuple[int, str, str | None, bool]:
    """(status, message, title, message_is_html) for any exception a view raised."""
    if isinstance(exception, Base400):
        return exception.status, str(exception.args[0] if exception.args else "Not found"), None, False
    if isinstance(exception, DatasetteError):
        # Datasette raises these on purpose about the request ("Cannot sort table by x"),
        # some with its default status 500: the request was wrong, not the server
        status = exception.status if exception.status < 500 else 400
        return status, exception.message, exception.title, exception.message_is_html
    if isinstance(exception, CLIENT_ERRORS):
        return 400, f"Bad request: {first_line(exception)}", None, False
    return 500, "Internal error", None, False


def first_line(exception: BaseException) -> str:
    text = str(exception).strip().splitlines()
    return f"{type(exception).__name__}: {text[0][:200]}" if text else type(exception).__name__


def origin(exception: BaseException) -> str:
    """file:line of the innermost frame, so a 500's one line still says where it happened."""
    frames = traceback.extract_tb(exception.__traceback__)
    return f" at {frames[-1].filename.rsplit('/', 1)[-1]}:{frames[-1].lineno}" if frames else ""


@hookimpl(tryfirst=True)
def handle_exception(datasette, request, exception):
    async def inner():
        status, message, title, is_html = classify(exception)
        where = origin(exception) if status >= 500 else ""
        log.warning("%s %s %s: %s%s", status, request.method, request.path[:300],
                    first_line(exception), where)
        info = {"ok": False, "error": message, "status": status, "title": title}
        if request.path.split("?")[0].endswith(".json"):
            return Response.json(info, status=status)
        context = dict(info, error=Markup(message) if is_html else message)
        templates = [f"{status}.html", "error.html"]
        try:  # the full context (menu, "data as of") when the error allows it
            page = await datasette.render_template(templates, context, request=request)
        except Exception:  # noqa: BLE001 - the bare page, as Datasette's own handler renders it
            page = await datasette.jinja_env.select_template(templates).render_async(dict(
                context, urls=datasette.urls, app_css_hash=datasette.app_css_hash(),
                menu_links=lambda: []))
        return Response.html(page, status=status)
    return inner


# /db/table.FORMAT or /db/table/row.FORMAT (a dot in a name is tilde-encoded, ~2E)
FORMAT = re.compile(r"^/[^/]+/[^/]+(?:/[^/]+)?\.(\w+)$")


async def _not_found(send, path: str) -> None:
    log.warning("404 GET %s: no such format", path[:300])
    await send({"type": "http.response.start", "status": 404,
                "headers": [(b"content-type", b"text/plain; charset=utf-8")]})
    await send({"type": "http.response.body", "body": b"Not found: no such format"})


@hookimpl
def asgi_wrapper(datasette):
    """Whatever escapes Datasette's own handling (an error while streaming a response) is one
    log line and, if nothing was sent yet, a plain 500 — never uvicorn's traceback.  And a
    format nobody renders (/archive/reports.xyz, which Datasette answers with the HTML page)
    is a 404."""
    def wrap(app):
        async def wrapped(scope, receive, send):
            if scope["type"] != "http":
                return await app(scope, receive, send)
            unknown = FORMAT.match(scope.get("path", ""))
            if unknown and unknown.group(1) not in {"json", "csv", "db", *datasette.renderers}:
                return await _not_found(send, scope["path"])
            started = False

            async def watch(event):
                nonlocal started
                if event["type"] == "http.response.start":
                    started = True
                await send(event)
            try:
                await app(scope, receive, watch)
            except Exception as exception:  # noqa: BLE001 - the last line of defence
                log.warning("500 %s %s: %s%s", scope.get("method"), scope.get("path", "")[:300],
                            first_line(exception), origin(exception))
                if not started:
                    await send({"type": "http.response.start", "status": 500,
                                "headers": [(b"content-type", b"text/plain; charset=utf-8")]})
                    await send({"type": "http.response.body", "body": b"Internal error"})
        return wrapped
    return wrap
