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
from urllib.parse import parse_qsl, unquote, urljoin, urlsplit

import scrapy
from parsel import Selector
from scrapy import signals

from crawler.crawl.archive import count
from crawler.crawl.items import Attachment, Part, ReportItem
from crawler.crawl.middlewares import is_transient, record_failure
from crawler.crawl.scope import under_domain
from crawler.crawl.sites import Site, load_sites, once_key
from crawler.extract.attachments import MAX_ATTACHMENT_BYTES, attachment_kind
from crawler.extract.classify import REPORT_TYPES, cut_after_issuer, cut_report, link_kind

from .apps import app_call, holds_app_state, module_chunks, page_state, state_pages
from .base import (
    ACTION_TEXTS,
    INVISIBLE,
    SPACE,
    Entry,
    absolute,
    anchor_title,
    clicked_rows,
    declared_encoding,
    dedupe,
    fold_routes,
    is_html,
    link_elements,
    link_url,
    main_list,
    pager_range,
    parse_json,
    routes_kind,
    script_files,
    script_text,
    selector_of,
    text_of,
)
from .discovery import (
    LOADED,
    NEWS,
    REDIRECT,
    SCRIPT,
    called_links,
    column_links,
    framed_lists,
    frameset_frames,
    full_lists,
    is_catch_all,
    is_home,
    loaded_links,
    next_links,
    owner_tabs,
    page_links,
    pending_calls,
    previewed_columns,
    resolve_calls,
    script_charsets,
    settled,
    subcategories,
    trail_parents,
    year_rows,
    year_tabs,
)
from .feeds import column_feeds
from .generic import GenericAdapter
from .jsonlist import (
    JsonListAdapter,
    answer_records,
    api_request,
    dated_entries,
    node_list_call,
    node_lists,
)
from .literals import literal_links
from .registry import FAMILIES, adapter_for, adapter_named
from .scripts import navigation_functions, written_markup
from .trs import article_pages

INDEX_PAGE = re.compile(r"/index\.s?html?$")
HELD = "\x00held:"   # SiteState.waiting: the hubs held for a weak column (_hold), by the column's address
MAX_DATA_FILES = 3                   # a column page's own script files read for its rows (_data_files)
MAX_FILE_FRAMES = 3                  # frames asked for a 详见附件 page's file list (share widgets, players aside)
MAX_LOADED_BYTES = 2 * 1024 * 1024   # a menu config or a portal's own script file: tens of KB; read as part
                                     # of its page, so a bigger one is not worth its bytes
MAX_HOPS = 5                  # home → 政务公开 → 政府信息公开 → 政府信息公开目录 → 法定主动公开内容 → the column
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
    scripts: dict = field(default_factory=dict)        # the site's script files read → their navigation
                                                        # functions (spiders/scripts.py)
    waiting: dict = field(default_factory=dict)        # script file requested, not yet read → the calls
                                                        # of the pages that wait for its functions
    lent: set = field(default_factory=set)             # hosts under the site's domain lent for a report
                                                        # column its own catalogue names there (lend)

    def on_site(self, url: str) -> bool:
        return self.site.holds(url) or urlsplit(url).hostname in self.lent

    def lend(self, url: str) -> None:
        """The host of a report column the government's own catalogue links under its domain
        (法治政府建设 → sfj.X.gov.cn/ztzl/fzzfjsndbg/): its column, pages and reports are the site's."""
        self.lent.add(urlsplit(url).hostname)

    # What the spider asks of its memory of the crawl. One process keeps it here; a cluster
    # worker keeps it in redis, shared by every worker (crawler/crawl/cluster/worker.py).
    def has_list(self, key: tuple) -> bool:
        """Was the list request `key` (method, column address, body) made?"""
        return key in self.list_keys

    def add_list(self, key: tuple) -> None:
        self.list_keys.add(key)

    def listed(self, column: str) -> bool:
        """Was a list page at this column address requested?"""
        return any(key[1] == column for key in self.list_keys)

    def new_entries(self, column: str, urls: list[str]) -> list[str]:
        """The entry addresses this column had not listed before (now remembered)."""
        seen = self.columns.setdefault(column, set())
        new = [u for u in dict.fromkeys(urls) if u not in seen]
        seen.update(new)
        return new

    def has_report(self, url: str) -> bool:
        return url in self.reports

    def add_report(self, url: str) -> None:
        self.reports.add(url)

    def spend(self, limits: dict[str, int]) -> str | None:
        """Take one request from each budget in `limits` (kind → most this run); returns the
        budget already spent (then nothing is taken), or None."""
        for budget, limit in limits.items():
            if self.spent.get(budget, 0) >= limit:
                return budget
        for budget in limits:
            self.spent[budget] = self.spent.get(budget, 0) + 1
        return None

    def fail_list(self) -> None:
        """The site's columns were not read whole (a list page failed, a budget ran out)."""
        self.list_failed = True

    def wait_for_script(self, url: str, waiter: dict) -> None:
        """A page's menu calls (`waiter`: page, hops, lists_reports, calls) wait for the script file
        at `url`, requested by another page and not read yet."""
        self.waiting.setdefault(url, []).append(waiter)

    def waiting_for(self, url: str) -> list[dict]:
        """The calls waiting for the script file at `url` (left in place: in a cluster a task that
        is redone reads them again, and what they lead to is requested once in any case)."""
        return self.waiting.get(url, [])


def column_url(url: str) -> str:
    """`…/col/` and `…/col/index.html` are one list page: sites link their columns both ways."""
    return INDEX_PAGE.sub("/", url)


def list_key(request: scrapy.Request) -> tuple:
    """What makes two list requests one (SiteState.has_list): method, column address, body — the
    address as given for a page's twin (ReportsSpider._twin_requests); never its fragment, which
    the server does not see (a routed page's routes are one request, base.fold_routes)."""
    url = request.url.split("#", 1)[0]
    address = url if request.meta.get("twin") else column_url(url)
    return request.method, address, request.body


VIEWER_KEYS = ("file", "url", "src", "pdf", "fileurl", "filepath")


def viewed_file(url: str) -> str | None:
    """The document a viewer page shows (`/pdfjs/web/viewer.html?file=/uploadfiles/….pdf`, a
    `preview.html?url=….docx`), or None. Portals open their PDFs in pdf.js (or an office previewer)
    so a reader need not download them: the viewer page is the same shell for every file, the
    report is the file named in its query, resolved against the viewer's address as the viewer
    does. An address that names a document in its own path is no viewer, nor is a download service
    given a bare file name (`downfile.jsp?filename=….pdf`: the service is the file's address)."""
    parts = urlsplit(url)
    if not parts.query or attachment_kind(f"{parts.scheme}://{parts.netloc}{parts.path}"):
        return None
    for key, value in parse_qsl(parts.query):
        if key.lower() in VIEWER_KEYS and "/" in value and attachment_kind(urlsplit(value).path or value):
            return urljoin(url, value.strip())
    return None


def file_name(url: str) -> str:
    return unquote(urlsplit(url).path.rsplit("/", 1)[-1])


def written_rows(text: str, base: str) -> list[Entry]:
    """The dated rows a list page's script include writes (scripts.written_markup: 动易-era JS调用
    `<script src="/js/list.asp?ClassID=&page=&num=">` holding `document.write('<li>…')` calls), read
    as the list they make on the page — a column that shows nothing but that include."""
    markup = written_markup(text)
    if "<a" not in markup.lower():
        return []
    return main_list(Selector(text=f"<ul>{markup}</ul>"), base)


class ReportsSpider(scrapy.Spider):
    name = "reports"

    def __init__(self, sites="sites.yaml", db=None, state=SiteState, **kw):
        super().__init__(**kw)
        if isinstance(sites, str):   # `scrapy crawl reports -a sites=sites.yaml -a db=archive.db`
            sites = load_sites(sites, families=FAMILIES)
        self.sites = list(sites)
        self.db = db                 # read by crawler/crawl/archive.py when ARCHIVE_DB is not set
        self.complete = False      # set when the crawl ran dry rather than being stopped
        self.state = {s.name: state(s) for s in self.sites}   # a cluster worker passes its shared state
        # Scrapy's offsite filter as a backstop (redirects); each site is held to its own hosts below.
        self.allowed_domains = sorted({h for s in self.sites for h in s.hosts})

    def lent_hosts(self, site: str) -> set:
        """The hosts lent to `site` for its report columns (SiteState.lend): the scope middleware
        lets them through, within the site's domain only."""
        state = self.state.get(site)
        return getattr(state, "lent", set()) if state is not None else set()

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
        limits = {budget: self.settings.getint(*BUDGETS[budget]) for budget in (kind, "requests") if budget}
        spent = state.spend(limits)
        if spent:
            self._count(state.site.name, f"{spent}_capped")
            state.fail_list()
            return False
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
            if response.status == 404 and meta.get("or_else"):
                yield from self._or_else(state, response)
            elif not ((meta["follow_up"] or meta.get("data_file")) and response.status == 404):
                state.fail_list()   # (a column's guessed data file that is not there is no gap)
            return
        if meta.get("loaded"):   # a menu config or script file the page's script loads
            text = script_text(response, meta.get("encoding"))
            data = parse_json(text)
            if meta.get("data_file"):   # a report column's rows, kept in its own data file (_data_files)
                yield from self._loaded_reports(state, response, text, data)
                yield from self._app_pages(state, response, text, data)
                return
            functions = None
            if not text.lstrip().startswith("<") and data is None:   # a script file
                state.scripts[response.url] = functions = navigation_functions(text)
                yield from self._answer_waiting(state, response.url, functions)
            yield from self._loaded_reports(state, response, text, data)
            found = loaded_links(response, meta.get("page"), meta.get("calls") or (), text=text, data=data,
                                 functions=functions)
            nodes = self._node_lists(response)
            found += [Entry(url, name) for url, (name, _) in nodes.items()]
            yield from self._follow(state, response, found, lists_reports=False, listed=nodes)
            return
        adapter = self._adapter(response, state.site)
        entries = list(adapter.entries(response))
        if is_html(response):   # entries opened by the page's own function (`javascript:showDetail(…)`)
            listed = {e.url for e in entries}   # or by a row's own handler (`<li onclick="window.open(…)">`)
            entries += [e for e in called_links(response.selector, response.url)
                        + clicked_rows(response.selector, response.url)
                        if e.url not in listed and link_kind(e.title)]
        new = state.new_entries(meta["column"], [e.url for e in entries])
        if meta.get("kind") or meta.get("catch_all"):
            self._lend_listed(state, response.url, entries, meta.get("kind"))
        # rows a report column names by their year alone (2023年度报告 beside its date): reports, not tabs
        by_year = set(year_rows(response.selector, response.url)) if meta.get("kind") and is_html(response) else set()
        reportish = [e for e in entries if self._wanted(state, e, meta.get("kind"))
                     or (e.url in by_year and state.on_site(e.url))]
        for entry in reportish:
            yield from self._report_request(state, entry)
        paged = list(adapter.more_pages(response)) if new or not meta["follow_up"] else []
        for request in paged:
            follow = self._list_request(state, request, meta["hops"], meta["column"], adapter.name,
                                        kind=meta.get("kind"))
            if follow:
                yield follow
        here = None
        if (meta.get("kind") or meta.get("catch_all")) and is_html(response):
            # a column split by year: its year tabs are pages of the column; one split by whose reports
            # it holds (市政府年报 / 镇街年报 tabs, a side menu of sub-columns), even when it lists reports
            # itself: those sub-columns, a hop further like any column — a catch-all column's too
            # (依法治市 › 政府报告 / 部门年报: the departments' reports filed where the government's are)
            here = self._page_links(state, response)
            more = full_lists(response.selector, response.url)   # its whole list behind 更多: the column's
            tabs = [(url, meta["kind"], meta["hops"]) for url in year_tabs(here) + more
                    if url not in by_year] if meta.get("kind") else []
            columns = column_links(here)
            tabs += [(url, kind, meta["hops"] + 1) for url, kind in columns.items()]
            if meta.get("kind"):
                tabs += [(url, meta["kind"], meta["hops"] + 1) for url in owner_tabs(here)]
                if not reportish:   # a column page that only frames its list: the frame is the column's list
                    tabs += [(url, meta["kind"], meta["hops"]) for url in framed_lists(here)]
            yield from self._tab_requests(state, tabs)
            yield from self._data_files(state, response, here, scripts=not reportish)
            if meta.get("kind"):
                yield from self._trail_requests(state, response)
            yield from self._feeds(state, response)
            if meta.get("catch_all") and not meta.get("kind"):
                # its year tabs, its whole list behind 更多, or the frame that holds its list (依法行政 ›
                # <iframe src=frame_120.html>)
                pages = year_tabs(here) + more + ([] if reportish else framed_lists(here))
                yield from self._catch_all_years(state, pages, by_year, meta["hops"])
            if not columns:   # a page naming report columns leads to them, not through its categories
                yield from self._subcategories(state, response, bool(reportish))
        yield from self._release_held(state, response, reportish, column_links(here) if here is not None else {})
        lists = bool(reportish) and not self._previews(response)
        if lists and here is None and self._may_name_columns(response):
            here = self._page_links(state, response)
        lists = lists and not self._names_columns(response, here)
        if self._discovers(response, lists) and state.site.holds(response.url):   # not a lent host's
            # a paged list is a column (its reports may be on later pages), not a portal page
            here = here if here is not None else self._page_links(state, response)
            yield from self._follow(state, response, here, bool(lists or paged),
                                    calls=pending_calls(response.selector))

    def _data_files(self, state: SiteState, response, here: list[Entry], scripts: bool):
        """A report column's page whose script loads its rows: the data its script asks for (`$.getJSON(
        "data.json", function (r) { all = r.list; show(1) })`) and, when the page lists nothing itself
        (`scripts`), its own script files, one of which may hold the rows as a data literal its page
        renders (`<script src="data.js" charset="gbk">` with `var infoList = [{title, url, date}]`) —
        read as part of the column, at its hop, in the charset the page names (_loaded_reports)."""
        charsets = script_charsets(response.selector, response.url, declared_encoding(response))
        app = page_state(response.selector)   # what the page hands an app's bundle (spiders/apps.py)
        wanted = (LOADED, SCRIPT) if scripts or holds_app_state(app) else (LOADED,)
        for url in [e.url for e in here if e.title in wanted][:MAX_DATA_FILES]:
            found = self._data_file_request(state, response.meta, url, response.url, charsets.get(url),
                                            **({"app_state": app} if app else {}))
            if found:
                yield found

    def _data_file_request(self, state: SiteState, meta, url: str, page: str, encoding: str | None, **extra):
        """The request for a file a column page's script loads (_data_files), or one an app's entry loads
        in turn (_app_chunks): part of the column (`page`, its hop, its kind), read in `encoding`, capped."""
        request = scrapy.Request(url, meta={"page": page, "download_maxsize": MAX_LOADED_BYTES, "encoding": encoding,
                                            "data_file": True, "catch_all": meta.get("catch_all"), **extra})
        return self._list_request(state, request, meta["hops"], column=meta["column"], kind=meta.get("kind"),
                                  loaded=True)

    def _feeds(self, state: SiteState, response):
        """A report column's own RSS / Atom feed (spiders/feeds.py): a page of the column, at its hop, read
        by the generic adapter (items, `<atom:link rel="next">`). Its first page repeats the rows the
        column shows (a column showing only its newest 8 keeps the rest in the feed's later pages), so it
        is read as a first page: its pager followed though it brings nothing new."""
        meta = response.meta
        for url in column_feeds(response.selector, response.url):
            request = scrapy.Request(url, meta={"first_page": True, "catch_all": meta.get("catch_all")})
            found = self._list_request(state, request, meta["hops"], column=meta["column"],
                                       adapter=GenericAdapter.name, kind=meta.get("kind"))
            if found:
                yield found

    def _loaded_reports(self, state: SiteState, response, text: str, data):
        """The reports among the rows of what a page's script loaded: a column's whole list as one JSON
        file (`$.getJSON("data.json", function (r) { all = r.list; show(1) })`, paged in the browser) or
        as a data literal in its own script file (_data_files), each row dated as the list shows it.
        Report-titled rows only (or, in a column of a type, rows its titles cut short), as on any page.
        `data`: the file's JSON value, None when it is no JSON."""
        base = response.meta.get("page") or response.url
        if data is not None:
            rows = dated_entries(answer_records(data), base)
        elif text.lstrip()[:1] != "<":
            rows = literal_links(text, base) or written_rows(text, base)
        else:
            return
        for entry in rows:
            if self._wanted(state, entry, response.meta.get("kind")):
                yield from self._report_request(state, entry)

    def _app_pages(self, state: SiteState, response, text: str, data):
        """The list pages a column's app bundle asks (spiders/apps.py): its list call read with the
        page's state (`app_state`, carried from the column page) in place of the reads of it. A page
        whose state already holds page 1 and its count (`{"list": {"pages": 3, "records": […]}}`) has
        pages 2…N asked; else page 1, whose answer tells how many there are."""
        meta = response.meta
        app, page = meta.get("app_state"), meta.get("page")
        if not app or not page or data is not None or text.lstrip()[:1] == "<":
            return
        if not (meta.get("kind") or meta.get("catch_all")):
            return
        call = app_call(text, app)
        if not call:
            yield from self._app_chunks(state, response, text)
            return
        call = dict(call, page_url=page)
        first = call.get("first", 1)
        shown = state_pages(app)
        numbers = pager_range(first + 1, shown) if shown else [first]
        for number in numbers:
            request = api_request(page, call, number)
            if not shown:
                request.meta["first_page"] = True
            found = self._list_request(state, request, meta["hops"], column=meta["column"],
                                       adapter=JsonListAdapter.name, kind=meta.get("kind"))
            if found:
                yield found

    def _app_chunks(self, state: SiteState, response, text: str):
        """The chunks an app's entry module loads on demand (apps.module_chunks), read as the entry was —
        data files of the column, with the page's state — when the entry holds no list call itself: a
        Vite build keeps the list component's call in its route's chunk. One level: an entry's chunks,
        not theirs."""
        meta = response.meta
        if meta.get("app_chunk"):
            return
        for chunk in module_chunks(text):
            found = self._data_file_request(state, meta, urljoin(response.url, chunk), meta["page"],
                                            meta.get("encoding"), app_state=meta["app_state"], app_chunk=True)
            if found:
                yield found

    def _tab_requests(self, state: SiteState, tabs: list[tuple[str, str | None, int]]):
        """The requests for a column page's tabs and sub-columns ((address, report type, hop)); the
        routes of one routed page (gkmlpt's index#<category>) asked as one request."""
        kinds, hops = {url: kind for url, kind, _ in tabs}, {}
        for url, _, hop in tabs:
            hops.setdefault(url.split("#", 1)[0], hop)
            hops.setdefault(url, hop)
        urls, routes = fold_routes([url for url, _, _ in tabs], kinds)
        for url in urls:
            meta = {"routes": routes[url]} if url in routes else {}
            kind = routes_kind(routes[url]) if url in routes else kinds.get(url)
            found = self._list_request(state, scrapy.Request(url, meta=meta), hops[url], column=url, kind=kind)
            if found:
                yield found

    def _trail_requests(self, state: SiteState, response):
        """A report column's page, read first, while a report type's column is unfound: the hubs its
        location trail names (discovery.trail_parents), a hop further — the catalogue the column
        sits in, where the other type's column is, when the way here skipped it (a home page's
        政府信息公开年报 box linking straight into its column). Only the site's own pages: a lent
        host's trail leads into another publisher's site."""
        meta = response.meta
        if meta["follow_up"] or meta["hops"] + 1 > MAX_HOPS or not state.site.holds(response.url) \
                or all(settled(state.kinds, kind) for kind in REPORT_TYPES) or not self._skipped_catalogue(state, meta):
            return
        for url in trail_parents(response.selector, response.url):
            if state.on_site(url):
                found = self._list_request(state, scrapy.Request(url), meta["hops"] + 1, column=url)
                if found:
                    yield found

    @staticmethod
    def _skipped_catalogue(state: SiteState, meta) -> bool:
        """Did the way to this column skip its catalogue: a column linked from the home page the site starts
        at (a home box, a 快速通道 tile)? One reached through a catalogue or a hub has its catalogue read."""
        return meta["hops"] <= 1 and any(is_home(url) for url in state.site.start_urls)

    def _catch_all_years(self, state: SiteState, tabs: list[str], by_year: set[str], hops: int):
        """A catch-all column split by year (法治建设 › 2025年 | 2024年 …, the report of each year filed
        under its publication year's tab), previewing its list (更多 → list.htm: discovery.full_lists),
        or framing its list: its year tabs (the page shown holds only the newest year's rows), its
        whole list or its frame are pages of the column, at its hop and catch-all like it."""
        for url in tabs:
            if url not in by_year and state.on_site(url):
                found = self._list_request(state, scrapy.Request(url, meta={"catch_all": True}), hops, column=url)
                if found:
                    yield found

    def _subcategories(self, state: SiteState, response, lists_reports: bool):
        """A catch-all page that lists sub-categories, not documents (其他法定公开信息 › 重点工作 ›
        法治政府 › the report columns): each sub-category is a catch-all too, a hop further, while a
        report type's own column is unfound and the hop budget lasts (spiders/discovery.py
        subcategories)."""
        meta = response.meta
        if not meta.get("catch_all") or lists_reports or meta["hops"] + 1 > MAX_HOPS \
                or all(settled(state.kinds, kind) for kind in REPORT_TYPES):
            return
        for entry in subcategories(response.selector, response.url):
            if state.on_site(entry.url):
                request = scrapy.Request(entry.url, meta={"catch_all": True})
                found = self._list_request(state, request, meta["hops"] + 1, column=entry.url)
                if found:
                    yield found

    def _or_else(self, state: SiteState, response):
        """A list page its adapter knows two addresses for (`or_else`: a jpage group asked up to
        totalRecord, else by its whole range) that answered 404 at the first: the second, once."""
        meta, request = response.meta, response.request
        retry = request.replace(url=meta["or_else"], meta={k: v for k, v in meta.items() if k != "or_else"})
        found = self._list_request(state, retry, meta["hops"], meta["column"], meta.get("adapter"),
                                   kind=meta.get("kind"))
        if found:
            yield found

    @staticmethod
    def _node_lists(response) -> dict:
        """address → (name, list call) of the catalogue nodes in a JSON tree the page's script loaded,
        when that page's script asks each node's list by a field of the node (spiders/jsonlist.py
        node_list_call, carried here in `node_list`)."""
        call = response.meta.get("node_list")
        data = parse_json(text_of(response)) if call else None
        return node_lists(call, data, response.meta.get("page") or response.url) if data is not None else {}

    def _follow(self, state: SiteState, response, entries: list[Entry], lists_reports: bool, calls=(),
                listed=None):
        """Requests for the report columns and hubs among a page's links (spiders/discovery.py
        decides which); what the page's script loads is part of the page (no further hop). Hub and
        column links that call a function of the page's own script files (`calls`) are resolved
        with the functions of the files already read, else the files are read with the calls.
        A catalogue node whose list the page's script asks by the node's field (`listed`: address →
        (name, call)) is asked as the script asks it."""
        hops, page = response.meta["hops"], response.meta.get("page") or response.url
        node_list = response.meta.get("node_list")
        if is_html(response) and any(e.title == LOADED for e in entries):   # what its script loads may be a tree
            node_list = node_list_call(response.text)
        entries = [e for e in entries if e.url != response.url and state.on_site(e.url)]
        scripts = [e.url for e in entries if e.title == SCRIPT] if calls else []
        for url in scripts:
            if url not in state.scripts and state.has_list(list_key(scrapy.Request(url))):
                # requested by another page and not read yet: its functions answer these calls
                # when it is (first registered, then looked at again, so that a cluster worker
                # reading the file meanwhile cannot miss them)
                state.wait_for_script(url, {"page": page, "hops": hops, "lists_reports": lists_reports,
                                            "calls": [list(call) for call in calls]})
            if url in state.scripts:
                entries += [e for e in resolve_calls(calls, state.scripts[url], page) if state.on_site(e.url)]
        charsets = script_charsets(response.selector, response.url, declared_encoding(response)) \
            if is_html(response) else {}
        frames = frameset_frames(response.selector, response.url) if is_html(response) else []
        yield from self._follow_links(state, response.url, page, hops, entries, lists_reports, calls, scripts,
                                      node_list=node_list, listed=listed or {}, charsets=charsets, frames=frames)

    @staticmethod
    def _lend_columns(state: SiteState, here: str, entries: list[Entry]) -> None:
        """A report column the government's own pages link on another host under its domain — a
        department's subsite (the 司法局, which drafts the 法治 report, keeps it in a 专题 there) —
        is the government's column: its host is lent to the site. Only a link named as a report
        column, and only from the site's own hosts (a lent host lends nothing further): a 部门 link
        (城口县司法局 → sfj.cqck.gov.cn) is another publisher's site, not followed."""
        if not state.site.holds(here):
            return
        for url in column_links(entries):
            if not state.on_site(url) and under_domain(urlsplit(url).hostname, state.site.hosts):
                state.lend(url)

    def _lend_listed(self, state: SiteState, here: str, entries: list[Entry], kind: str | None) -> None:
        """A report the government's own report column lists on another host under its domain — the
        portal's file server (file.X.gov.cn) holding the documents its list links straight to, a
        department's subsite (sfj.X.gov.cn) keeping the 司法局's own reports that the 部门年报 tab
        lists by absolute address — is listed by the government: its host is lent to the site, as a
        column's is (_lend_columns). Only entries the column would open as reports, and only from a
        page on the site's own hosts (a lent host lends nothing further)."""
        if not state.site.holds(here):
            return
        for entry in entries:
            url = viewed_file(entry.url) or entry.url
            if not state.on_site(url) and under_domain(urlsplit(url).hostname, state.site.hosts) \
                    and self._wanted(state, entry, kind, anywhere=True):
                state.lend(url)

    def _answer_waiting(self, state: SiteState, url: str, functions: dict):
        """The requests of the pages whose menu calls waited for this script file's functions."""
        for waiter in state.waiting_for(url):
            calls = [tuple(call) for call in waiter["calls"]]
            entries = [e for e in resolve_calls(calls, functions, waiter["page"]) if state.on_site(e.url)]
            yield from self._follow_links(state, waiter["page"], waiter["page"], waiter["hops"], entries,
                                          waiter["lists_reports"])

    def _follow_links(self, state: SiteState, here: str, page: str, hops: int, entries: list[Entry],
                      lists_reports: bool, calls=(), scripts=(), node_list=None, listed=None, charsets=None,
                      frames=()):
        """`_follow`'s requests for the entries of the page at `here` (`page` the one a loaded part
        belongs to), `hops` from the start; what the page's script loads carries its `node_list` call,
        and a `listed` node's column is asked through its list call; a script file is read in the
        charset the page gives it (`charsets`, discovery.script_charsets); a frameset's `frames` are
        the page itself (discovery.frameset_frames), at its hop."""
        listed, charsets = listed or {}, charsets or {}
        kinds = column_links(entries)
        loaded = {e.url for e in entries if e.title in (LOADED, SCRIPT)}
        # a stub's jump, a frameset's frames: the same hop
        landed = {e.url for e in entries if e.title == REDIRECT} | set(frames)
        catch_alls = {e.url for e in entries if is_catch_all(e.title)}
        held: list[str] = []
        columns, hubs = next_links(here, entries, hops, MAX_HOPS, lists_reports, state.kinds,
                                   visited=lambda url: state.has_list(list_key(scrapy.Request(url))), held=held)
        self._hold(state, held, kinds, hops)
        columns, routes = fold_routes(columns, kinds)   # gkmlpt's index#<category> links: one page, asked once
        kinds.update({page: routes_kind(named) for page, named in routes.items()})
        unread = [u for u in scripts if u not in state.scripts and u not in hubs]
        led = False
        for url in dedupe(columns + hubs + unread):
            part = url in loaded and url not in kinds
            request = scrapy.Request(url, meta={"page": page, "calls": list(calls) if url in scripts else None,
                                                "node_list": node_list, "download_maxsize": MAX_LOADED_BYTES,
                                                "encoding": charsets.get(url)}
                                     if part else {"catch_all": True} if url in catch_alls and url not in kinds
                                     else {"routes": routes[url]} if url in routes else {})
            adapter = None
            if url in listed and not part:   # the node's list service, page 1 as the shell asks it
                first = api_request(url, listed[url][1], 1)
                request = first.replace(meta={**first.meta, **request.meta, "first_page": True})
                adapter = JsonListAdapter.name
            found = self._list_request(state, request, hops if part or url in landed else hops + 1, column=url,
                                       adapter=adapter, kind=kinds.get(url), loaded=part)
            if found:
                led = True
                yield found
        if not led:
            yield from self._twin_requests(state, here, hops, columns + hubs, kinds, landed)

    @staticmethod
    def _hold(state: SiteState, held: list[str], kinds: dict, hops: int) -> None:
        """Hubs a page did not follow because it names a weak column (a bare 法治政府建设) of a type
        still unsettled wait on that column's reading, as a page's menu calls wait for a script
        file (SiteState.wait_for_script): if it lists none of its type's reports, it was news, and
        the catalogue behind the hubs is where that type's column is (_release_held)."""
        if not held:
            return
        for column, kind in kinds.items():
            if not settled(state.kinds, kind):
                state.wait_for_script(HELD + column, {"hubs": held, "hops": hops})

    def _release_held(self, state: SiteState, response, reportish: list[Entry], columns: dict):
        """A weak column of an unsettled type read for the first time, listing none of its type's
        reports and naming no column of its type (`columns`: a 法治政府建设 section leading to its
        年度报告 is no news): marked as news (discovery.NEWS), and the hubs held for it followed."""
        meta = response.meta
        kind, column = meta.get("kind"), meta.get("column")
        if not kind or meta["follow_up"] or not column or settled(state.kinds, kind) \
                or any(link_kind(e.title) == kind for e in reportish) or kind in columns.values():
            return
        state.kinds.add(NEWS + column)
        for waiter in state.waiting_for(HELD + column):
            for url in waiter["hubs"]:
                found = self._list_request(state, scrapy.Request(url), waiter["hops"] + 1, column=url)
                if found:
                    yield found

    def _twin_requests(self, state: SiteState, here: str, hops: int, ways: list[str], kinds: dict,
                       landed=frozenset()):
        """A page whose only way on is its own address spelt the other way (`/` naming `/index.html`
        进入政府信息公开目录): on most sites the two are one page (column_url), but a 政务公开 host's
        root may be a front page whose button leads to the catalogue at `index.html`. When nothing
        else on the page leads anywhere new, that address is asked for as a page of its own — at the
        same hop when the page's script jumps there (`landed`: a stub `/` whose `location.href =
        "/index.shtml"` lands on the real home page, which is searched as the home page it is)."""
        for url in dedupe(u for u in ways if u != here and column_url(u) == column_url(here)):
            request = scrapy.Request(url, meta={"twin": True})
            found = self._list_request(state, request, hops if url in landed else hops + 1, column=url,
                                       kind=kinds.get(url))
            if found:
                yield found

    def _adapter(self, response, site: Site):
        named = site.cms or response.meta.get("adapter")
        return adapter_named(named) if named else adapter_for(response)

    @staticmethod
    def _previews(response) -> bool:
        """Is a page that lists reports a portal page previewing its columns rather than a column?
        A catalogue shows each column's latest entries in a box with a 更多>> link to the column
        (spiders/discovery.py previewed_columns): it leads on like a hub. A column (found by name,
        or a catch-all) is never one."""
        meta = response.meta
        return not (meta.get("kind") or meta.get("catch_all")) and is_html(response) \
            and bool(previewed_columns(response.selector, response.url))

    @staticmethod
    def _may_name_columns(response) -> bool:
        """Could this page's links name report columns it leads to? A portal page (not a column
        found by name, not a catch-all) beyond the start, read for the first time."""
        meta = response.meta
        return not (meta.get("kind") or meta.get("catch_all") or meta["follow_up"]) \
            and meta["hops"] > 0 and is_html(response)

    @staticmethod
    def _names_columns(response, here: list[Entry] | None) -> bool:
        """A portal page that lists reports and names report columns or a catch-all column
        (其他法定公开内容) besides, or loads its tree by script (a zTree's JSON), is a catalogue whose
        最新公开 box shows the latest files (with no 更多>> link to tell it a preview): it leads on like
        any catalogue, it is not a column."""
        return here is not None and ReportsSpider._may_name_columns(response) \
            and (bool(column_links(here)) or any(is_catch_all(e.title) or e.title == LOADED for e in here))

    @staticmethod
    def _discovers(response, lists_reports: bool) -> bool:
        """Start pages look for report columns; a found column only when it lists no report itself."""
        meta = response.meta
        if meta["follow_up"] or not is_html(response):
            return False
        return meta["hops"] == 0 or (meta["hops"] < MAX_HOPS and not lists_reports)

    @staticmethod
    def _page_links(state: SiteState, response) -> list[Entry]:
        """The page's links on the site's own hosts (spiders/discovery.py reads them)."""
        found = page_links(response.selector, response.url)
        ReportsSpider._lend_columns(state, response.url, found)
        return [e for e in found if e.url != response.url and state.on_site(e.url)]

    def _list_request(self, state: SiteState, request: scrapy.Request, hops: int, column: str,
                      adapter: str | None = None, kind: str | None = None, loaded: bool = False):
        """The request, labelled for the store and the callbacks; None when already made or capped."""
        key = list_key(request)
        if state.has_list(key) or not state.on_site(request.url):
            return None
        if not self._spend(state, "list_pages"):
            return None
        state.add_list(key)
        follow_up = adapter is not None and not request.meta.get("first_page")
        return request.replace(
            callback=self.parse_list, errback=self.list_failed, dont_filter=True,
            meta={**request.meta, "site": state.site.name, "role": "list", "hops": hops,
                  "column": column, "adapter": adapter, "follow_up": follow_up,
                  "kind": kind or request.meta.get("kind"), "loaded": loaded,
                  "once": once_key(state.site.name, "list", *key)})

    def list_failed(self, failure):
        """Unreachable list page: recorded (by the middleware, or here when Scrapy dropped it
        inside another middleware); remember the gap."""
        record_failure(self.crawler, failure)
        self.state[failure.request.meta["site"]].fail_list()

    # -- report pages ---------------------------------------------------------------------
    def _wanted(self, state: SiteState, entry: Entry, kind: str | None = None, anywhere: bool = False) -> bool:
        """Is the entry worth opening? A report-titled one, a report-named file, or — in a column
        of `kind` — one whose title the list cut short inside the type's words (cut_report) or right
        after its issuer (cut_after_issuer). On the site's hosts only, unless `anywhere` (asked
        before its host is lent, _lend_listed)."""
        if not anywhere and not state.on_site(entry.url):
            return False
        if link_kind(entry.title) or (kind and entry.title and (cut_report(entry.title, kind)
                                                                or cut_after_issuer(entry.title, kind))):
            return True
        return bool(attachment_kind(entry.url)) and bool(link_kind(file_name(entry.url)))

    def _report_request(self, state: SiteState, entry: Entry):
        if file := viewed_file(entry.url):   # a pdf.js viewer's page: the report is the file it shows
            entry = Entry(file, entry.title, entry.date)
        if state.has_report(entry.url) or not self._spend(state, "report_pages"):
            return
        state.add_report(entry.url)
        site = state.site.name
        once = once_key(site, "report", entry.url)
        kind = attachment_kind(entry.url)
        if kind:   # the list links the file itself: the file is the report
            item = ReportItem(site, entry.url, entry.title, list_date=entry.date,
                              attachments=[Attachment(entry.url, entry.title or file_name(entry.url), kind)])
            yield from self._next_attachment(item, 0, spent=True, once=once)
            return
        yield scrapy.Request(entry.url, callback=self.parse_report, errback=self.report_failed, priority=1,
                             meta={"site": site, "role": "report", "list_title": entry.title, "once": once})

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
        frames = []
        if not item.attachments and "附件" in response.text:
            item.attachments, frames = self._file_frames(state, response, item.list_title)
        yield from self._next_part(item, article_pages(response.text, response.url), frames)

    # -- a document split over several pages (TRS in-article pager), then its files ----------
    def _next_part(self, item: ReportItem, parts: list[str], frames: list[str] = ()):
        if not parts:
            yield from self._next_frame(item, list(frames))
            return
        if not self._spend(self.state[item.site], None):
            yield from self._next_attachment(item, 0)   # the parts fetched so far are what there is
            return
        yield scrapy.Request(
            parts[0], callback=self.parse_part, errback=self.part_failed, dont_filter=True, priority=2,
            meta={"site": item.site, "role": "report"},
            cb_kwargs={"item": item, "parts": parts[1:], "frames": frames})

    def parse_part(self, response, item: ReportItem, parts: list[str], frames: list[str] = ()):
        if response.status != 200 and transient(response.status):
            item.incomplete = f"part {response.url} answered HTTP {response.status}"
        if response.status == 200:
            html = response.text if is_html(response) else None
            item.continued.append(Part(response.url, html))
            if html:
                known = {a.url for a in item.attachments}
                item.attachments += [a for a in self._attachment_links(self.state[item.site], response)
                                     if a.url not in known]
        yield from self._next_part(item, parts, frames)

    def part_failed(self, failure):
        """A part that could not be fetched for now: the report is not stored without it (next run)."""
        yield from self._step_failed(failure, "part", self._next_part)

    def _step_failed(self, failure, what: str, next_step):
        """A part or a framed file list that did not arrive: recorded; when the reason is transient (a
        timeout, a 5xx) the report waits for the next run rather than being stored without it; then the
        report's next step."""
        reason = record_failure(self.crawler, failure)
        kwargs = failure.request.cb_kwargs
        if is_transient(reason):
            kwargs["item"].incomplete = f"{what} {failure.request.url}: {reason}"
        yield from next_step(**kwargs)

    # -- a page whose file list is framed (附件：<iframe src="…_fj.html">) ------------------------------
    @staticmethod
    def _file_frames(state: SiteState, response, title: str | None) -> tuple[list[Attachment], list[str]]:
        """(documents, pages) framed in a report page that links no file itself but names one (附件), on
        the site's hosts: a CMS may draw a 详见附件 page's file list in an <iframe> of its own
        (content_13791.html frames content_13791_fj.html, whose one link is the PDF). A framed document
        (a PDF, a viewer's file) is the page's attachment, named by the list's `title`; a framed page is
        asked for its file links only (parse_frame): its text is no part of the report."""
        sources = response.xpath("//iframe/@src | //frame/@src").getall()[:MAX_FILE_FRAMES]
        files, pages = [], []
        for url in dedupe(url for src in sources if (url := absolute(response.url, src))
                          and url != response.url and state.on_site(url)):
            file = viewed_file(url) or url
            if kind := attachment_kind(file):
                files.append(Attachment(file, title or file_name(file), kind))
            else:
                pages.append(url)
        return files, pages

    def _next_frame(self, item: ReportItem, frames: list[str]):
        """Ask the next framed page for its file links; the files after the last."""
        if not frames or item.attachments or not self._spend(self.state[item.site], None):
            yield from self._next_attachment(item, 0)
            return
        yield scrapy.Request(
            frames[0], callback=self.parse_frame, errback=self.frame_failed, dont_filter=True, priority=2,
            meta={"site": item.site, "role": "report"}, cb_kwargs={"item": item, "frames": frames[1:]})

    def parse_frame(self, response, item: ReportItem, frames: list[str]):
        if response.status == 200 and is_html(response):
            item.attachments += self._attachment_links(self.state[item.site], response)
        yield from self._next_frame(item, frames)

    def frame_failed(self, failure):
        """A framed file list that did not arrive (_step_failed)."""
        yield from self._step_failed(failure, "frame", self._next_frame)

    @staticmethod
    def _sent_back(state: SiteState, response) -> bool:
        """A withdrawn document redirects to its column (TRS: meta refresh to ../): not a report."""
        asked = response.meta.get("redirect_urls")
        if not asked:
            return False
        here = urlsplit(response.url).path
        listed = state.listed(column_url(response.url))
        return listed or (here.endswith("/") and urlsplit(asked[0]).path.startswith(here))

    def _attachment_links(self, state: SiteState, response) -> list[Attachment]:
        """The page's document links, and documents its inline script lists for the browser
        to turn into links (福建 集约化 `var apps = [{"name":"全真版","url":"./P02….pdf"}]`)."""
        found: dict[str, Attachment] = {}
        # download.jsp?id=… links name the file in their text; a link whose address names no
        # file and whose text cannot is not given its full title (most of a page's links)
        page = response.selector
        named = [Entry(url, anchor_title(selector_of(a, page))) for a in link_elements(page) if _may_be_a_file(a)
                 and (url := link_url(a, response.url)) and (attachment_kind(url) or _may_name_a_file(a))]
        for entry in named + script_files(response.selector, response.url):
            url = viewed_file(entry.url) or entry.url
            if url in found or url == response.url:
                continue
            kind = attachment_kind(url) or attachment_kind(entry.title)
            if kind and (state.on_site(url) or self._lends_file(state, response.url, url)):
                found[url] = Attachment(url, entry.title or file_name(url), kind)
        return list(found.values())

    @staticmethod
    def _lends_file(state: SiteState, here: str, url: str) -> bool:
        """A report page on the site's own hosts whose document is on another host under the
        government's domain — the portal's file server (详见附件 → file.X.gov.cn/upload/….pdf): the
        page's own attachment, its host lent to the site (SiteState.lend) so the file is fetched.
        Never a host outside the domain, and a lent host's page lends nothing further."""
        if not state.site.holds(here) or not under_domain(urlsplit(url).hostname, state.site.hosts):
            return False
        state.lend(url)
        return True

    # -- attachments, one after the other, then the item ------------------------------------
    def _next_attachment(self, item: ReportItem, index: int, spent: bool = False, once: str | None = None):
        """Fetch file `index` of the item, then the next; yield the item after the last.
        `spent`: the request was already taken from the budgets (a bare-file report), whose
        `once` key the request carries."""
        if index >= len(item.attachments):
            yield item
            return
        if not spent and not self._spend(self.state[item.site], None):
            item.attachments[index].error = "not fetched: the site's request budget for this run is spent"
            yield from self._next_attachment(item, index + 1)
            return
        meta = {"site": item.site, "role": "attachment", "download_maxsize": self.max_file_bytes}
        if once:
            meta["once"] = once
        yield scrapy.Request(
            item.attachments[index].url, callback=self.parse_attachment,
            errback=self.attachment_failed, dont_filter=True, priority=2, meta=meta,
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
def _may_be_a_file(a) -> bool:
    """Could the link (an lxml element, base.link_elements) lead to a document or name one? Its
    address (href, onclick, data-href) mentions a file type, or its title may. Checked before the
    address is resolved: a report page has dozens of furniture links and resolving each costs
    more than this test."""
    attrib = a.attrib
    target = unquote(" ".join(attrib.get(k) or "" for k in ("href", "onclick", "data-href")))
    return bool(_FILE_WORD.search(target)) or _may_name_a_file(a)


def _may_name_a_file(a) -> bool:
    """Could anchor_title(a) name a document? Its text or title attribute mentions a file type,
    or one of them is an action word (查看, 详情 …), whose title is its row's — not any short
    text: a page's menus are short words (首页, 机构, 政策), and resolving and titling each was
    the largest cost of the reactor thread on a report page. A superset of what
    attachment_kind(anchor_title(a)) accepts, at the cost of lxml's text."""
    text = a.text_content() if hasattr(a, "text_content") else ""
    title = a.attrib.get("title") or ""
    return bool(_FILE_WORD.search(text + " " + title)) or any(_action_key(t) in ACTION_TEXTS for t in (text, title))


def _action_key(text: str) -> str:
    """The text without space or invisible marks, lower-cased: an action word (ACTION_TEXTS, none with a
    space inside) as clean() or a squeeze of its spaces would give it — one pass for both tests, which
    ran on every link of every report page."""
    return SPACE.sub("", INVISIBLE.sub("", text)).lower()
