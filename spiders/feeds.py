"""A column's RSS / Atom 订阅 feed: the list as a feed reader reads it.

大汉 jcms, TRS and 博达 columns offer every column as a feed (`<link rel="alternate" type="application/rss+xml"
href="rss.xml">` in the head, an RSS icon or 订阅本栏目 link beside the list). Some columns show only their
newest entries (本栏目仅显示最新8条) and keep the rest in the feed alone, which pages as RFC 5005 paged feeds do
(`<atom:link rel="next" href="rss_2.xml"/>` in the channel). The feed's items are the column's rows (title,
link, dc:date / pubDate: jsonlist.feed_records reads them), its next link its pager. A feed is read only as a
page of a report column (the spider asks it from the column's page): a portal's site-wide news feed is not
followed. The namespace names a feed declares (www.w3.org, purl.org) are names, never addresses to ask.
"""
from __future__ import annotations

import re

from parsel import Selector
from scrapy.http import Response

from .base import absolute, clean, dedupe, link_url, links, text_of
from .jsonlist import dated_entries, feed_records, is_xml_answer

FEED_TYPE = re.compile(r"application/(?:rss|atom)\+xml", re.I)
# an anchor that offers the feed: its text, title, class or icon says RSS / Atom / 订阅, its address is a file
FEED_LABEL = re.compile(r"\brss\b|\batom\b|订阅", re.I)
FEED_FILE = re.compile(r"\.(?:xml|rss|atom)$|/(?:rss|feed|atom)/?$", re.I)
MAX_FEEDS = 2


def column_feeds(selector: Selector, base: str) -> list[str]:
    """The feeds a column's page offers for itself: the head's `<link rel="alternate" type="application/
    rss+xml">` and an RSS icon's or 订阅 link's address (`<a class="rss" href="rss.xml"><img alt="RSS">订阅本栏目
    </a>`). At most MAX_FEEDS (a page offering one column's feed in two formats needs one)."""
    declared = [absolute(base, el.attrib.get("href")) for el in selector.xpath("//link[@href][@type]")
                if "alternate" in (el.attrib.get("rel") or "").lower().split()
                and FEED_TYPE.fullmatch((el.attrib.get("type") or "").strip())]
    offered = []
    for a in links(selector):
        label = " ".join([clean(" ".join(a.xpath(".//text()").getall())), a.attrib.get("title") or "",
                          a.attrib.get("class") or "", " ".join(a.xpath(".//img/@alt | .//img/@src").getall())])
        if (url := link_url(a, base)) and FEED_LABEL.search(label) and FEED_FILE.search(url.split("?", 1)[0]):
            offered.append(url)
    return dedupe(u for u in declared + offered if u)[:MAX_FEEDS]


def feed_entries(response: Response) -> list:
    """The items of a feed answer as list entries (a file an item links straight is dated by the item)."""
    if not is_xml_answer(response):
        return []
    return dated_entries(feed_records(text_of(response)), response.url)


def feed_next(response: Response) -> list[str]:
    """The feed's next page (`<atom:link rel="next" href="rss_2.xml"/>`, an Atom feed's `<link rel="next">`):
    a paged feed's one pager."""
    if not is_xml_answer(response):
        return []
    try:
        sel = Selector(text=text_of(response), type="xml")
    except ValueError:
        return []
    sel.remove_namespaces()
    hrefs = [el.attrib.get("href") for el in sel.xpath("//link[@href][@rel]")
             if "next" in (el.attrib.get("rel") or "").lower().split()]
    return dedupe(u for h in hrefs if (u := absolute(response.url, h)))
