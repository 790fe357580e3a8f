"""XML lists: a column's RSS / Atom 订阅 feed, the list as a feed reader reads it, and a column page served as XML
for an XSLT stylesheet to draw.

大汉 jcms, TRS and 博达 columns offer every column as a feed (`<link rel="alternate" type="application/rss+xml"
href="rss.xml">` in the head, an RSS icon or 订阅本栏目 link beside the list). Some columns show only their
newest entries (本栏目仅显示最新8条) and keep the rest in the feed alone, which pages as RFC 5005 paged feeds do
(`<atom:link rel="next" href="rss_2.xml"/>` in the channel). The feed's items are the column's rows (title,
link, dc:date / pubDate: jsonlist.feed_records reads them), its next link its pager. A feed is read only as a
page of a report column (the spider asks it from the column's page): a portal's site-wide news feed is not
followed. The namespace names a feed declares (www.w3.org, purl.org) are names, never addresses to ask.

An XSLT column page (`<?xml-stylesheet type="text/xsl" href="/xsl/list.xsl"?>` over `<doc><title>…</title>
<url>…</url></doc>` records) is read alike: its records are the entries, and the stylesheet draws the
browser's pager from pager elements (`<pager><next href="list_2.xml"/><last href="list_3.xml"/></pager>`),
whose addresses are its further pages.
"""
from __future__ import annotations

import re

from parsel import Selector
from scrapy.http import Response

from .base import ADDRESS_LIKE, MAX_LINKS, absolute, clean, dedupe, link_url, links, text_of
from .jsonlist import dated_entries, feed_records, is_xml_answer

FEED_TYPE = re.compile(r"application/(?:rss|atom)\+xml", re.I)
# an anchor that offers the feed: its text, title, class or icon says RSS / Atom / 订阅, its address is a file
FEED_LABEL = re.compile(r"\brss\b|\batom\b|订阅", re.I)
FEED_FILE = re.compile(r"\.(?:xml|rss|atom)$|/(?:rss|feed|atom)/?$", re.I)
MAX_FEEDS = 2
# an XSLT page's pager elements (`<next href="list_2.xml"/>`)
XML_PAGER = re.compile(r"first|prev(?:ious)?|next|last|page(?:_?\d+)?", re.I)


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
    """An XML list's further pages: a feed's next page (`<atom:link rel="next" href="rss_2.xml"/>`, an Atom
    feed's `<link rel="next">`), and the addresses of an XSLT page's pager elements — named first, prev, next,
    last, page; in an href or url attribute or as their text. Its records' own addresses are entries, never
    pages (an RSS item's `<link>` is no pager element)."""
    if not is_xml_answer(response):
        return []
    try:
        sel = Selector(text=text_of(response), type="xml")
    except ValueError:
        return []
    sel.remove_namespaces()
    hrefs = [el.attrib.get("href") for el in sel.xpath("//link[@href][@rel]")
             if "next" in (el.attrib.get("rel") or "").lower().split()]
    for el in sel.xpath("//*")[:MAX_LINKS]:
        if XML_PAGER.fullmatch(el.xpath("name()").get() or "") and not el.xpath("*"):
            target = el.attrib.get("href") or el.attrib.get("url") or clean(el.xpath("string()").get())
            if target and ADDRESS_LIKE.search(target):
                hrefs.append(target)
    return dedupe(u for h in hrefs if (u := absolute(response.url, h)))
