"""list.jsp / `?page=N` CMSs with a 首页 · 上一页 · 下一页 · 尾页 pager.

These servers answer any page number: past the end they repeat the last page and
keep showing an active 下一页, and their 尾页 is often computed from a stale count.
So the adapter follows 下一页 one page at a time (also when it is a `javascript:`
link whose page number is in the onclick handler) and the spider stops the chain
when a page brings no new entries.
"""
from __future__ import annotations

import re

import scrapy
from scrapy.http import Response

from .base import absolute, clean, is_html, links, param, with_param
from .generic import GenericAdapter

PAGER_TEXTS = ("首页", "上一页", "下一页", "尾页")
NEXT, LAST = "下一页", "尾页"
PAGE_NAMES = ("page", "pageNo", "pageNum", "currpage", "pageIndex", "curPage")
ONCLICK_PAGE = re.compile(r"\((?:\s*['\"]?)(\d+)")


def _pager_links(response: Response) -> dict[str, list]:
    found: dict[str, list] = {}
    for a in links(response.selector):
        label = clean(" ".join(a.css("::text").getall()))
        if label in PAGER_TEXTS:
            found.setdefault(label, []).append(a)
    return found


def _page_name(url: str) -> str | None:
    return next((n for n in PAGE_NAMES if param(url, n) is not None), None)


class ListJspAdapter(GenericAdapter):
    name = "listjsp"

    def detect(self, response: Response) -> bool:
        if not is_html(response):
            return False
        pager = _pager_links(response)
        if not (NEXT in pager and LAST in pager):   # 首页 alone is the breadcrumb's home link
            return False
        hrefs = [a.attrib.get("href", "") for links in pager.values() for a in links]
        return any(".jsp" in h or _page_name(absolute(response.url, h) or "") for h in hrefs) \
            or ".jsp" in response.url or bool(_page_name(response.url))

    def more_pages(self, response: Response):
        if not is_html(response):
            return []
        for a in _pager_links(response).get(NEXT, []):
            url = absolute(response.url, a.attrib.get("href")) or self._from_onclick(response, a)
            if url and url != response.url:
                return [scrapy.Request(url)]
        return []

    @staticmethod
    def _from_onclick(response: Response, a) -> str | None:
        """`<a href="javascript:;" onclick="goPage(3)">下一页</a>`: the current address, page 3."""
        number = ONCLICK_PAGE.search(a.attrib.get("onclick", ""))
        name = _page_name(response.url) or "page"
        return with_param(response.url, name, number.group(1)) if number else None
