"""The report spider: from each start URL to the report columns, their pages, the reports.

For every site it
1. reads the start page; if it is a portal page (政府信息公开 …) rather than the
   column itself, finds the report columns by their link text and follows its 政务公开 /
   政府信息公开 / 法定主动公开内容 hub links, image maps, frames and script menus towards them
   (spiders/discovery.py) — at most MAX_HOPS links away, on the site's own hosts, never the whole site;
2. picks the column's CMS adapter (the site's `cms`, else the first whose detect()
   says yes, else the generic one) and follows that adapter's pagination, stopping a
   column when a page brings no entry it had not listed before (servers that repeat
   the last page for any page number past the end) and at a per-site list-page cap;
3. opens the entries whose title looks like a report (link_kind), or that are a
   PDF/DOC/DOCX/WPS file with a report-like name;
4. fetches the documents a report page links to, one after the other, and yields one
   report item carrying them. A failed file is recorded in the item, never fatal.

Fetches, failures and 304s are recorded by crawler/crawl/middlewares.py (which also
answers a 304 from the archive unless the report is already stored); the typed items
of crawler/crawl/items.py become rows in crawler/crawl/pipelines.py.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import unquote, urlsplit

import scrapy
from scrapy import signals

from crawler.crawl.archive import count
from crawler.crawl.items import Attachment, Part, ReportItem
from crawler.crawl.middlewares import is_transient, record_failure
from crawler.crawl.sites import Site, load_sites
from crawler.extract.attachments import MAX_ATTACHMENT_BYTES, attachment_kind
from crawler.extract.classify import link_kind

from .base import ACTION_TEXTS, Entry, anchor_title, is_html, link_url, links, script_files
from .discovery import next_links, page_links
from .registry import FAMILIES, adapter_for, adapter_named
from .trs import article_pages

INDEX_PAGE = re.compile(r"/index\.s?html?$")
MAX_HOPS = 4                  # home → 政务公开 → 政府信息公开 → 法定主动公开内容 → the report column
# Per-site budgets of one run (override with -s NAME=N): what a calendar, an endless pager or a
# column of millions of links can cost. A site that reaches one is "capped": the cap is counted
# (archive/<site>/<kind>_capped), `status` shows it, and the run does not mark its reports gone.
BUDGETS = {"list_pages": ("REPORTS_MAX_LIST_PAGES", 200),
           "report_pages": ("REPORTS_MAX_REPORT_PAGES", 2000),
           "requests": ("REPORTS_MAX_REQUESTS", 6000)}


@dataclass
class SiteState:
    site: Site
    list_keys: set = field(default_factory=set)        # list requests already made
    columns: dict = field(default_factory=dict)        # column root → entry URLs it listed
    reports: set = field(default_factory=set)          # report addresses already requested
    spent: dict = field(default_factory=dict)          # budget kind → requests made this run
    list_failed: bool = False                           # a list page failed or a budget ran out:
                                                        # the column was not read whole
    kinds: set = field(default_factory=set)            # report types whose column discovery has found

    def on_site(self, url: str) -> bool:
        parts = urlsplit(url)
        return parts.scheme in ("http", "https") and parts.hostname in self.site.hosts


def column_url(url: str) -> str:
    """`…/col/` and `…/col/index.html` are one list page: sites link their columns both ways."""
    return INDEX_PAGE.sub("/", url)


def file_name(url: str) -> str:
    return unquote(urlsplit(url).path.rsplit("/", 1)[-1])


class ReportsSpider(scrapy.Spider):
    name = "reports"

    def __init__(self, sites="sites.yaml", db=None, **kw):
        super().__init__(**kw)
        if isinstance(sites, str):   # `scrapy crawl reports -a sites=sites.yaml -a db=archive.db`
            sites = load_sites(sites, families=FAMILIES)
        self.sites = list(sites)
        self.db = db                 # read by crawler/crawl/archive.py when ARCHIVE_DB is not set
        self.complete = False      # set when the crawl ran dry rather than being stopped
        self.state = {s.name: SiteState(s) for s in self.sites}
        # Scrapy's offsite filter as a backstop (redirects); each site is held to its own hosts below.
        self.allowed_domains = sorted({h for s in self.sites for h in s.hosts})

    @classmethod
    def from_crawler(cls, crawler, *args, **kwargs):
        spider = super().from_crawler(crawler, *args, **kwargs)
        crawler.signals.connect(spider._ran_dry, signal=signals.spider_idle)
        return spider

    def _ran_dry(self):
        self.complete = True

    def site_complete(self, name: str) -> bool:
        """Did this run read every list page of the site? Only then can it tell what is gone."""
        return self.complete and not self.state[name].list_failed

    def _spend(self, state: SiteState, kind: str) -> bool:
        """Take one request of `kind` (list_pages, report_pages, or None for a file or a part)
        from the site's budgets; False — counted, and the site marked capped — when one is spent."""
        for budget in (kind, "requests"):
            if budget is None:
                continue
            setting, default = BUDGETS[budget]
            if state.spent.get(budget, 0) >= self.settings.getint(setting, default):
                self._count(state.site.name, f"{budget}_capped")
                state.list_failed = True
                return False
        for budget in (kind, "requests"):
            if budget is not None:
                state.spent[budget] = state.spent.get(budget, 0) + 1
        return True

    @property
    def max_file_bytes(self) -> int:
        """The size cap of a document: the extractor's, or DOWNLOAD_MAXSIZE if that is lower."""
        limit = self.settings.getint("DOWNLOAD_MAXSIZE") or MAX_ATTACHMENT_BYTES
        return min(MAX_ATTACHMENT_BYTES, limit)


    async def start(self):
        for state in self.state.values():
            for url in state.site.start_urls:
                request = self._list_request(state, scrapy.Request(url), hops=0, column=url)
                if request:
                    yield request

    # -- list pages -----------------------------------------------------------------------
    def parse_list(self, response):
        meta = response.meta
        state = self.state[meta["site"]]
        if response.status != 200:
            # a guessed further page that does not exist (a 加载更多 group or API page past
            # the end) ends the list; any other failure leaves the column unread
            state.list_failed |= not (meta["follow_up"] and response.status == 404)
            return
        adapter = self._adapter(response, state.site)
        entries = list(adapter.entries(response))
        seen = state.columns.setdefault(meta["column"], set())
        new = [e for e in entries if e.url not in seen]
        seen.update(e.url for e in new)
        reportish = [e for e in entries if self._wanted(state, e)]
        for entry in reportish:
            yield from self._report_request(state, entry)
        paged = list(adapter.more_pages(response)) if new or not meta["follow_up"] else []
        for request in paged:
            follow = self._list_request(state, request, meta["hops"], meta["column"], adapter.name)
            if follow:
                yield follow
        if self._discovers(response, bool(reportish)):
            # a paged list is a column (its reports may be on later pages), not a portal page
            for url in self._columns(state, response, bool(reportish or paged)):
                found = self._list_request(state, scrapy.Request(url), meta["hops"] + 1, column=url)
                if found:
                    yield found

    def _adapter(self, response, site: Site):
        named = site.cms or response.meta.get("adapter")
        return adapter_named(named) if named else adapter_for(response)

    @staticmethod
    def _discovers(response, lists_reports: bool) -> bool:
        """Start pages look for report columns; a found column only when it lists no report itself."""
        meta = response.meta
        if meta["follow_up"] or not is_html(response):
            return False
        return meta["hops"] == 0 or (meta["hops"] < MAX_HOPS and not lists_reports)

    def _columns(self, state: SiteState, response, lists_reports: bool) -> list[str]:
        """The page's report column links, then — while they can still lead to a column within
        MAX_HOPS — its hub links and frames (spiders/discovery.py decides which)."""
        links_here = [e for e in page_links(response.selector, response.url)
                      if e.url != response.url and state.on_site(e.url)]
        columns, hubs = next_links(response.url, links_here, response.meta["hops"], MAX_HOPS,
                                   lists_reports, state.kinds)
        return columns + hubs

    def _list_request(self, state: SiteState, request: scrapy.Request, hops: int, column: str,
                      adapter: str | None = None):
        """The request, labelled for the store and the callbacks; None when already made or capped."""
        key = (request.method, column_url(request.url), request.body)
        if key in state.list_keys or not state.on_site(request.url):
            return None
        if not self._spend(state, "list_pages"):
            return None
        state.list_keys.add(key)
        follow_up = adapter is not None and not request.meta.get("first_page")
        return request.replace(
            callback=self.parse_list, errback=self.list_failed, dont_filter=True,
            meta={**request.meta, "site": state.site.name, "role": "list", "hops": hops,
                  "column": column, "adapter": adapter, "follow_up": follow_up})

    def list_failed(self, failure):
        """Unreachable list page: recorded (by the middleware, or here when Scrapy dropped it
        inside another middleware); remember the gap."""
        record_failure(self.crawler, failure)
        self.state[failure.request.meta["site"]].list_failed = True

    # -- report pages ---------------------------------------------------------------------
    def _wanted(self, state: SiteState, entry: Entry) -> bool:
        if not state.on_site(entry.url):
            return False
        if link_kind(entry.title):
            return True
        return bool(attachment_kind(entry.url)) and bool(link_kind(file_name(entry.url)))

    def _report_request(self, state: SiteState, entry: Entry):
        if entry.url in state.reports or not self._spend(state, "report_pages"):
            return
        state.reports.add(entry.url)
        site = state.site.name
        kind = attachment_kind(entry.url)
        if kind:   # the list links the file itself: the file is the report
            item = ReportItem(site, entry.url, entry.title,
                              attachments=[Attachment(entry.url, entry.title or file_name(entry.url), kind)])
            yield from self._next_attachment(item, 0, spent=True)
            return
        yield scrapy.Request(entry.url, callback=self.parse_report, errback=self.report_failed, priority=1,
                             meta={"site": site, "role": "report", "list_title": entry.title})

    def report_failed(self, failure):
        """A report page that brought nothing: its row says why; the next run asks again."""
        record_failure(self.crawler, failure)

    def parse_report(self, response):
        meta = response.meta
        state = self.state[meta["site"]]
        if self._sent_back(state, response):
            return
        item = ReportItem(state.site.name, response.url, meta.get("list_title"))
        if response.status == 304:   # the middleware lets a 304 through only for a stored report
            item.not_modified = True
            yield item
            return
        if response.status != 200:
            return
        if not is_html(response):   # an HTML-looking address that serves the document itself
            content_type = _header(response, "Content-Type")
            kind = attachment_kind(response.url, content_type, response.body)
            if kind:
                item.attachments = [Attachment(response.url, meta.get("list_title") or file_name(response.url),
                                               kind, data=response.body, content_type=content_type)]
            else:   # a JSON error, an image …: the page's row says so (the pipeline records it)
                item.incomplete = f"neither a page nor a document ({content_type or 'no Content-Type'})"
            yield item
            return
        item.html = response.text
        if not item.html.strip("\ufeff \t\r\n"):   # nothing to read: the page's row says so (the pipeline)
            item.html, item.incomplete = None, "the page is empty"
            yield item
            return
        item.attachments = self._attachment_links(state, response)
        yield from self._next_part(item, article_pages(response.text, response.url))

    # -- a document split over several pages (TRS in-article pager), then its files ----------
    def _next_part(self, item: ReportItem, parts: list[str]):
        if not parts:
            yield from self._next_attachment(item, 0)
            return
        if not self._spend(self.state[item.site], None):
            yield from self._next_attachment(item, 0)   # the parts fetched so far are what there is
            return
        yield scrapy.Request(
            parts[0], callback=self.parse_part, errback=self.part_failed, dont_filter=True, priority=2,
            meta={"site": item.site, "role": "report"}, cb_kwargs={"item": item, "parts": parts[1:]})

    def parse_part(self, response, item: ReportItem, parts: list[str]):
        if response.status != 200 and transient(response.status):
            item.incomplete = f"part {response.url} answered HTTP {response.status}"
        if response.status == 200:
            html = response.text if is_html(response) else None
            item.continued.append(Part(response.url, html))
            if html:
                known = {a.url for a in item.attachments}
                item.attachments += [a for a in self._attachment_links(self.state[item.site], response)
                                     if a.url not in known]
        yield from self._next_part(item, parts)

    def part_failed(self, failure):
        """A part that could not be fetched for now: the report is not stored without it (next run)."""
        reason = record_failure(self.crawler, failure)
        kwargs = failure.request.cb_kwargs
        if is_transient(reason):
            kwargs["item"].incomplete = f"part {failure.request.url}: {reason}"
        yield from self._next_part(**kwargs)

    @staticmethod
    def _sent_back(state: SiteState, response) -> bool:
        """A withdrawn document redirects to its column (TRS: meta refresh to ../): not a report."""
        asked = response.meta.get("redirect_urls")
        if not asked:
            return False
        here = urlsplit(response.url).path
        listed = any(key[1] == column_url(response.url) for key in state.list_keys)
        return listed or (here.endswith("/") and urlsplit(asked[0]).path.startswith(here))

    def _attachment_links(self, state: SiteState, response) -> list[Attachment]:
        """The page's document links, and documents its inline script lists for the browser
        to turn into links (福建 集约化 `var apps = [{"name":"全真版","url":"./P02….pdf"}]`)."""
        found: dict[str, Attachment] = {}
        # download.jsp?id=… links name the file in their text; a link whose address names no
        # file and whose text cannot is not given its full title (most of a page's links)
        named = [Entry(url, anchor_title(a)) for a in links(response.selector) if _may_be_a_file(a)
                 and (url := link_url(a, response.url)) and (attachment_kind(url) or _may_name_a_file(a))]
        for entry in named + script_files(response.selector, response.url):
            url = entry.url
            if url in found or url == response.url or not state.on_site(url):
                continue
            kind = attachment_kind(url) or attachment_kind(entry.title)
            if kind:
                found[url] = Attachment(url, entry.title or file_name(url), kind)
        return list(found.values())

    # -- attachments, one after the other, then the item ------------------------------------
    def _next_attachment(self, item: ReportItem, index: int, spent: bool = False):
        """Fetch file `index` of the item, then the next; yield the item after the last.
        `spent`: the request was already taken from the budgets (a bare-file report)."""
        if index >= len(item.attachments):
            yield item
            return
        if not spent and not self._spend(self.state[item.site], None):
            item.attachments[index].error = "not fetched: the site's request budget for this run is spent"
            yield from self._next_attachment(item, index + 1)
            return
        yield scrapy.Request(
            item.attachments[index].url, callback=self.parse_attachment,
            errback=self.attachment_failed, dont_filter=True, priority=2,
            meta={"site": item.site, "role": "attachment", "download_maxsize": self.max_file_bytes},
            cb_kwargs={"item": item, "index": index})

    def parse_attachment(self, response, item: ReportItem, index: int):
        att = item.attachments[index]
        content_type = _header(response, "Content-Type")
        if response.status == 304 and att.url == item.url:
            item.not_modified = True   # a bare-file report already stored, unchanged
        elif response.status != 200:
            att.error = f"HTTP {response.status}"
            if transient(response.status):
                item.incomplete = f"{att.url} answered HTTP {response.status}"
        else:
            kind = attachment_kind(response.url, content_type, response.body)
            if kind:
                att.kind, att.data, att.content_type = kind, response.body, content_type
            else:
                att.error = f"not a document ({content_type or 'no Content-Type'})"
        yield from self._next_attachment(item, index + 1)

    def attachment_failed(self, failure):
        """A file that did not arrive: its error in the item; for a timeout or a reset (not the
        file's fault) the report waits for the next run rather than being stored without it."""
        reason = record_failure(self.crawler, failure)
        item, index = failure.request.cb_kwargs["item"], failure.request.cb_kwargs["index"]
        item.attachments[index].error = reason
        if is_transient(reason):
            item.incomplete = f"{item.attachments[index].url}: {reason}"
        yield from self._next_attachment(item, index + 1)

    def _count(self, site: str, key: str) -> None:
        count(self.crawler, site, key)


def transient(status: int) -> bool:
    """A status that says "not now" (429, 5xx) rather than "not there" (404, 410 …)."""
    return status == 429 or status >= 500


def _header(response, name: str) -> str | None:
    value = response.headers.get(name)
    return value.decode("latin-1") if value else None


_FILE_WORD = re.compile(r"pdf|doc|wps", re.I)
_ACTION_LENGTH = max(map(len, ACTION_TEXTS))


def _may_be_a_file(a) -> bool:
    """Could the link lead to a document or name one? Its address (href, onclick, data-href)
    mentions a file type, or its title may. Checked before the address is resolved: a report
    page has dozens of furniture links and resolving each costs more than this test."""
    attrib = a.attrib
    target = unquote(" ".join(attrib.get(k) or "" for k in ("href", "onclick", "data-href")))
    return bool(_FILE_WORD.search(target)) or _may_name_a_file(a)


def _may_name_a_file(a) -> bool:
    """Could anchor_title(a) name a document? Its text or title attribute mentions a file type,
    or it is short enough to be an action word (查看, 详情 …), whose title is its row's.
    A superset of what attachment_kind(anchor_title(a)) accepts, at the cost of lxml's text."""
    root = a.root
    text = (root.text_content() if hasattr(root, "text_content") else "") + " " + (a.attrib.get("title") or "")
    return bool(_FILE_WORD.search(text)) or len(text.strip()) <= _ACTION_LENGTH
