"""Fujian provincial 集约化 platform (TRS back end, avalon.js front end): pingtan and peers.

A column's first page is static (`<dl><dd><a href="./202503/t20250310_97791.htm"
title="…">`); the rest comes from the TRS search API through `list2.trsapi`:

    listModel({quickMode:"动静结合", maxStaticIndex:1,
      listArgs:{channelid: SiteInfo.searchId, classsql:"" || "chnlid=1813",
                sortfield:"-docorderpri,-docreltime"},
      pagebar:{prepage:10, recordCount:'20', …}})

Assumptions (the saved page holds the call, not the script or an answer), taken from
the pingtan archive's README and public Fujian spiders that call the same API:
- the API is `POST /fjdzapp/search` on the site's own host, form fields channelid,
  classsql, sortfield, page (1-based), prepage;
- `channelid: SiteInfo.searchId` resolves to `searchId: 200210` in the page's SiteInfo;
- pagebar.recordCount is the column's record count, so pages = ceil(recordCount / prepage),
  of which the first maxStaticIndex are the static page;
- "动静结合" (quickMode): the first maxStaticIndex pages are published as static files too,
  named as TRS names pages — index.htm, index_1.htm … index_{maxStaticIndex-1}.htm beside the
  column's page — and no link names them (the page's pager is drawn by the script): asked as
  static pages of the column (static_pages), the API for the pages after them;
- the answer is JSON `{"data": [{"doctitle", "chnldocurl" | "docpuburl", "docreltime"}],
  "pageCount": N, …}` (some sites name the list "docs"); when it announces more pages
  than recordCount implied, those are asked for too. Other sites of the platform wrap the list
  one level down with plain keys (`{"data": {"total": 13, "rows": 10, "docs": [{"title", "url",
  "pubDate"}]}}`): any object of the answer with a title and an address is then a record, and
  total over the page size the page count.
"""
from __future__ import annotations

import math
import re
from urllib.parse import urljoin, urlsplit

import scrapy
from scrapy.http import Response

from .base import Entry, absolute, clean, is_html, json_of, main_list, meta_of, page_requests, pager_range, to_int
from .jsonlist import answer_records, page_count

LIST_MODEL = re.compile(r"listModel\s*\(\s*\{(.*?)\}\s*\)\s*;", re.S)
SEARCH_ID = re.compile(r"searchId\s*:\s*['\"]?(\d+)")
API = "/fjdzapp/search"
STATIC_PAGE = re.compile(r".+_\d+")   # index_1 (a later static page of a column), not index


def _arg(body: str, name: str) -> str | None:
    """The last non-empty literal of `name: …` (`"" || "chnlid=1813"` → chnlid=1813)."""
    m = re.search(rf"\b{name}\s*:\s*((?:\"[^\"]*\"|'[^']*'|[^,\n}}\"'])+)", body)
    if not m:
        return None
    pairs = re.findall(r"\"([^\"]*)\"|'([^']*)'", m.group(1))
    literals = [double or single for double, single in pairs if double or single]
    return literals[-1] if literals else (re.sub(r"\W", "", m.group(1)) or None)


def list_args(text: str) -> dict | None:
    """The API form and page arithmetic of the page's listModel call."""
    call = LIST_MODEL.search(text)
    if not call:
        return None
    body = call.group(1)
    channel = _arg(body, "channelid")
    if not (channel or "").isdigit():
        searched = SEARCH_ID.search(text)
        channel = searched.group(1) if searched else None
    # no channel (SiteInfo kept in a script file): the API cannot be asked, the static pages can
    return {"channelid": channel, "classsql": _arg(body, "classsql") or "",
            "sortfield": _arg(body, "sortfield") or "-docorderpri,-docreltime",
            "prepage": max(to_int(_arg(body, "prepage"), 10), 1),
            "records": to_int(_arg(body, "recordCount"), 0),
            "static": to_int(_arg(body, "maxStaticIndex"), 1)}


def answer(response: Response) -> dict | None:
    data = json_of(response)
    return data if isinstance(data, dict) else None


def api_request(base: str, args: dict, page: int) -> scrapy.FormRequest:
    form = {"channelid": args["channelid"], "classsql": args["classsql"],
            "sortfield": args["sortfield"], "page": str(page), "prepage": str(args["prepage"])}
    return scrapy.FormRequest(urljoin(base, API), formdata=form, meta={"jiyue": args, "page": page})


def static_pages(url: str, args: dict, pages: int) -> list[scrapy.Request]:
    """The column's static pages after the first (index_1.htm … index_{maxStaticIndex-1}.htm),
    asked from its first page only: a "动静结合" list publishes its first maxStaticIndex pages as
    files named the TRS way, which the script's pager shows but no link names."""
    name = urlsplit(url).path.rsplit("/", 1)[-1] or "index.htm"
    stem, _, ext = name.rpartition(".") if "." in name else (name, "", "htm")
    if STATIC_PAGE.fullmatch(stem):   # itself one of the later static pages
        return []
    return page_requests([urljoin(url, f"{stem}_{i}.{ext}") for i in pager_range(1, min(args["static"], pages) - 1)],
                         url)


def _title(text) -> str:
    """A record's title as plain text (the API marks search hits with tags)."""
    return clean(re.sub(r"<[^>]+>", "", text)) if isinstance(text, str) else ""


class JiyueAdapter:
    name = "jiyue"

    def detect(self, response: Response) -> bool:
        if is_html(response):
            return "list2.trsapi" in response.text and bool(list_args(response.text))
        data = answer(response)
        return bool(data) and isinstance(data.get("data", data.get("docs")), list)

    def entries(self, response: Response):
        data = answer(response) if not is_html(response) else None
        if data is None:
            return main_list(response.selector, response.url) if is_html(response) else []
        found = []
        docs = data.get("data") or data.get("docs")
        for doc in docs if isinstance(docs, list) else []:
            # the title as TRS names it (doctitle), or plainly (`{"title", "chnldocurl"}`): a record
            # without one is left to answer_records, which pairs any title with its address
            if isinstance(doc, dict) and (title := _title(doc.get("doctitle") or doc.get("title"))) \
                    and (url := absolute(response.url, doc.get("chnldocurl") or doc.get("docpuburl"))):
                when = doc.get("docreltime")
                found.append(Entry(url, title, when if isinstance(when, str) else None))
        # other sites of the platform wrap the list (`{"data": {"total": 13, "docs": [{"title", "url"}]}}`)
        # and name its fields plainly: any object with a title and an address is a record
        return found or [Entry(url, _title(text), when)
                         for text, target, when in answer_records(data) if (url := absolute(response.url, target))]

    def more_pages(self, response: Response):
        if is_html(response):
            args = list_args(response.text)
            if not args:
                return []
            pages = math.ceil(args["records"] / args["prepage"]) if args["records"] else args["static"] + 1
            return static_pages(response.url, args, pages) + [
                api_request(response.url, args, p) for p in pager_range(args["static"] + 1, pages) if args["channelid"]]
        meta = meta_of(response)
        args, page, data = meta.get("jiyue"), meta.get("page"), answer(response)
        if not (args and page and data):
            return []
        announced = to_int(data.get("pageCount"), 0) or page_count(data, {"fields": [("perpage", args["prepage"])]})
        expected = math.ceil(args["records"] / args["prepage"]) if args["records"] else page
        return [api_request(response.url, args, p) for p in pager_range(max(page, expected) + 1, announced)]
