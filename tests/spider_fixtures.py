"""Scrapy responses made from the fixture portals' raw bytes, as the portal server sends them.

The adapter and spider unit tests feed these to detect()/entries()/more_pages() and to
the spider's callbacks, without a reactor or a socket.
"""
from __future__ import annotations

import json
from pathlib import Path

import scrapy
from scrapy.http import Headers
from scrapy.responsetypes import responsetypes

from crawler.devtools.fixture_server import DEFAULT_CONTENT_TYPE, route_key
from tests.conftest import FIXTURES

PORTALS = FIXTURES / "portals"
BASE = "http://portal.test"


def routes(family: str) -> list[dict]:
    return json.loads((PORTALS / family / "routes.json").read_text(encoding="utf-8"))["routes"]


def route(family: str, path: str, method: str = "GET") -> dict:
    key = route_key(path)
    return next(r for r in routes(family) if route_key(r["path"]) == key and r.get("method", "GET") == method)


def response(family: str, path: str, request: scrapy.Request | None = None, method: str = "GET",
             base: str = BASE, **meta):
    """The response the portal gives for `path` (its route's file and Content-Type)."""
    found = route(family, path, method)
    body = (PORTALS / family / found["file"]).read_bytes()
    url = base + path
    headers = Headers({"Content-Type": found.get("content_type", DEFAULT_CONTENT_TYPE)})
    request = request or scrapy.Request(url, method=method, meta=meta)
    cls = responsetypes.from_args(headers=headers, url=url, body=body)
    return cls(url=url, body=body, headers=headers, request=request, status=200)


def real_response(family: str, name: str, url: str):
    """A saved real page (tests/fixtures/portals/<family>/real/) as if fetched from `url`."""
    body = (PORTALS / family / "real" / name).read_bytes()
    return scrapy.http.HtmlResponse(url=url, body=body, request=scrapy.Request(url))


def paths(requests) -> list[str]:
    """Request addresses without the fixture base, in order."""
    return [r.url.replace(BASE, "") for r in requests]


def portal_file(family: str, path: str) -> Path:
    return PORTALS / family / route(family, path)["file"]
