"""The fallback adapter: any server-rendered list with an HTML pager.

Entries are the links of the page's main list (the container with the most titled
rows), and the records an inline data literal keeps for the page's script to render
(spiders/literals.py); further pages are whatever the pager links to — 下一页/next, numbered
page links, `?page=N` / `&page=N` addresses, and the addresses a pager link's page function
builds (`onclick="goPage(2)"`, spiders/pagers.py) or a pager script draws from an address template
(`pager({total: 13, size: 6, tpl: "list_{n}.shtml"})`: pagers.template_pages, or a `data-url-tpl`
attribute) or a pager library's page callback sends the browser to (laypage's `jump(obj)`:
pagers.callback_pages), each year a GET form's 年度 menu asks (pagers.select_pages), the page's own
form sent again with its page field set when the pager's function submits it
(`javascript:toPage(2)`, pagers.form_pages), and the fragment a 加载更多 button's script loads (its
data-url, its click handler's `$.get(…)`: pagers.load_more_pages). Pages past the end that repeat
the last one are the spider's business (it stops when a page brings nothing new). An XML list is a list
too (spiders/feeds.py): a column's RSS / Atom feed, which the spider asks from the column's page, and a
column page answered as XML for an XSLT stylesheet — their items the entries, their `<atom:link rel="next">`
or pager elements (`<next href="list_2.xml"/>`) their further pages.
"""
from __future__ import annotations

import scrapy
from scrapy.http import Response

from .apps import routed_pages
from .base import (
    PAGE_NUMBER,
    is_html,
    jump_options,
    last_pages,
    link_url,
    links,
    main_list,
    next_links,
    numbered_links,
    page_requests,
    same_directory,
    same_list,
)
from .feeds import feed_entries, feed_next
from .literals import attribute_records, script_records
from .pagers import (
    callback_pages,
    form_pages,
    function_pages,
    load_more_pages,
    select_pages,
    template_pages,
)


class GenericAdapter:
    name = "generic"

    def detect(self, response: Response) -> bool:
        return is_html(response)

    def entries(self, response: Response):
        if not is_html(response):   # an XML list (a column's feed, an XSLT page: spiders/feeds.py), or nothing
            return feed_entries(response)
        listed = main_list(response.selector, response.url)
        known = {e.url for e in listed}   # and the records an inline data literal holds for the script
        held = script_records(response.selector, response.url) + attribute_records(response.selector, response.url)
        return listed + [e for e in dict.fromkeys(held) if e.url not in known]

    def more_pages(self, response: Response):
        if not is_html(response):   # … and its further pages
            return page_requests(feed_next(response), response.url)
        sel, base = response.selector, response.url
        paged = [u for a in links(sel)   # ?page=N links to this list's own document, not other columns'
                 if (u := link_url(a, base)) and PAGE_NUMBER.search(u) and same_list(u, base)]
        pager = (numbered_links(sel, base) + jump_options(sel, base) + last_pages(sel, base)
                 + function_pages(sel, base)
                 + template_pages(sel, base)   # onclick="goPage(2)", pager({tpl: "list_{n}.shtml", …}): drawn by script
                 + callback_pages(sel, base)
                 + select_pages(sel, base)     # a GET form's 年度 menu: each year the form asks
                 + routed_pages(sel, base))    # a Next.js list's state: the query it was rendered for, its count
        nearby = [u for u in pager + paged if same_directory(u, base)]
        # 加载更多 loading a fragment by script (from a service anywhere on the host, like 下一页's target)
        return page_requests(next_links(sel, base) + load_more_pages(sel, base) + nearby, base) \
            + form_requests(response)


def form_requests(response: Response) -> list[scrapy.Request]:
    """The further pages a pager asks by submitting the page's form (`javascript:toPage(2)` setting
    the form's pageNo, spiders/pagers.py form_pages): POSTed as the browser posts them, or a GET
    form's address with its fields as the query (which replaces the action's own, as a browser does)."""
    requests = []
    for url, method, fields in form_pages(response.selector, response.url):
        if method == "POST":
            requests.append(scrapy.FormRequest(url, formdata=fields))
        else:
            requests.append(scrapy.FormRequest(url.split("?", 1)[0], formdata=fields, method="GET"))
    return requests
