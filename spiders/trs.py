"""TRS WCM (拓尔思) static publishing: index.html, index_1.html … index_{n-1}.html.

The page count sits in inline JavaScript, either the standard helper call
`createPageHTML(3, 0, "index", "html")` or an inline pager `var countPage=56`
followed by `document.write("…index"+"_"+i+"."+"html…")`; sites vary the extension
(.html, .shtml, .htm). Documents are `./YYYYMM/tYYYYMMDD_ID.html` beside the list.
Browser-saved copies also hold the pager's rendered links, so generated and rendered
addresses are deduplicated.
"""
from __future__ import annotations

import re
from urllib.parse import urljoin, urlsplit

from scrapy.http import Response

from .base import (
    entries_of,
    is_html,
    link_url,
    links,
    main_list,
    next_links,
    numbered_links,
    page_requests,
    pager_range,
    same_directory,
)

CREATE_PAGE = re.compile(
    r"createPageHTML\s*\(\s*(\d+)\s*,\s*\d+\s*,\s*[\"']([\w.-]+)[\"']\s*,\s*[\"'](\w+)[\"']\s*\)")
# the same call handed the page's own variables: `var countPage = 2; … createPageHTML(countPage,
# currentPage, "index", "htm")` — the count is the variable's value, the extension still the call's
CREATE_PAGE_VAR = re.compile(
    r"createPageHTML\s*\(\s*([A-Za-z_$][\w$]*)\s*,\s*[\w$]+\s*,\s*[\"']([\w.-]+)[\"']\s*,\s*[\"'](\w+)[\"']\s*\)")
# the newer helper names its element first and counts from 1: createPageHTML('page_div', 4, 1, 'index',
# 'shtml', 14) → index.shtml, index_2.shtml … index_4.shtml (no index_1)
CREATE_PAGE_IN = re.compile(
    r"createPageHTML\s*\(\s*[\"'][\w-]+[\"']\s*,\s*(\d+)\s*,\s*\d+\s*,\s*[\"']([\w.-]+)[\"']\s*,\s*[\"'](\w+)[\"']")
COUNT_PAGE = re.compile(r"\bcountPage\s*=\s*(\d+)")
# the pager writes `"index"+"_"+nextPage+"."+"shtml\" …`: the extension's closing quote is often escaped
WRITTEN_EXT = re.compile(r"[\"']index[\"']\s*\+\s*[\"']_[\"'].*?[\"']\.[\"']\s*\+\s*[\"'](\w+)\\?[\"']")
INDEX_LINK = re.compile(r"index_\d+\.(s?html?)\b")
MAX_ARTICLE_PARTS = 50   # further pages of one document: its pager count is untrusted too
DOC_LINK = re.compile(r"/\d{6}/t\d{8}_\d+\.s?html?$")


def article_pages(text: str, url: str) -> list[str]:
    """The further pages of a document its editor split in parts: `createPageHTML(2, 0,
    "t20250306_4120553", "shtml")` on t20250306_4120553.shtml means …_1.shtml follows."""
    call = CREATE_PAGE.search(text)
    stem = urlsplit(url).path.rsplit("/", 1)[-1].rsplit(".", 1)[0]
    if not call or call.group(2) != stem:
        return []
    return [urljoin(url, f"{stem}_{i}.{call.group(3)}") for i in pager_range(1, min(int(call.group(1)) - 1,
                                                                                     MAX_ARTICLE_PARTS))]


def page_scheme(text: str, url: str) -> tuple[int, str, str] | None:
    """(page count, page name, extension) from the pager script, or None."""
    call = CREATE_PAGE.search(text) or CREATE_PAGE_IN.search(text)
    if call:
        return int(call.group(1)), call.group(2), call.group(3)
    named = _called_with_variable(text)
    if named:
        return named
    count = COUNT_PAGE.search(text)
    if not count:
        return None
    ext = WRITTEN_EXT.search(text) or INDEX_LINK.search(text)
    if ext:
        return int(count.group(1)), "index", ext.group(1)
    name = urlsplit(url).path.rsplit("/", 1)[-1]
    return int(count.group(1)), "index", name.rsplit(".", 1)[-1] if "." in name else "html"


def _called_with_variable(text: str) -> tuple[int, str, str] | None:
    """(count, name, extension) of a `createPageHTML(countPage, currentPage, "index", "htm")` call
    whose count is a variable the page assigns (`var countPage = 2`): the call, not a guess from the
    list's own address, says which extension the further pages have."""
    for call in CREATE_PAGE_VAR.finditer(text):
        value = re.search(r"\b" + re.escape(call.group(1)) + r"\s*=\s*(\d+)", text)
        if value:
            return int(value.group(1)), call.group(2), call.group(3)
    return None


class TrsAdapter:
    name = "trs"

    def detect(self, response: Response) -> bool:
        return is_html(response) and page_scheme(response.text, response.url) is not None

    def entries(self, response: Response):
        listed = main_list(response.selector, response.url)
        known = {e.url for e in listed}
        return listed + [e for e in self._doc_links(response) if e.url not in known]

    def more_pages(self, response: Response):
        if not is_html(response):
            return []
        sel, base = response.selector, response.url
        rendered = [u for u in numbered_links(sel, base) + next_links(sel, base)
                    if same_directory(u, base)]
        return page_requests(self._generated(response) + rendered, base)

    @staticmethod
    def _generated(response: Response) -> list[str]:
        scheme = page_scheme(response.text, response.url)
        if not scheme:
            return []
        count, name, ext = scheme
        numbers = pager_range(2, count) if CREATE_PAGE_IN.search(response.text) else pager_range(1, count - 1)
        return [urljoin(response.url, f"{name}_{i}.{ext}") for i in numbers]

    @staticmethod
    def _doc_links(response: Response):
        found = [a for a in links(response.selector)
                 if DOC_LINK.search(link_url(a, response.url) or "")]
        return entries_of(found, response.url)
