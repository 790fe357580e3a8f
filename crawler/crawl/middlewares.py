"""Downloader glue between Scrapy and the store: keep every fetch, ask conditionally.

Every response is recorded (raw bytes content-addressed, status, validators) and
every download failure too, so nothing fetched is lost and every per-page failure
is in the database. Report and attachment pages already archived are re-requested
with If-None-Match / If-Modified-Since: an unchanged page then costs a 304.

A 304 reaches the spider only for a report already stored (or a known copy): there is
nothing to extract. Any other 304 — a report page a killed run archived but never
stored, its continued parts, its files — is answered with the archived bytes, so the
spider reads it exactly as it read it live: a withdrawn page's meta refresh is followed
and recognised, and a report rebuilt after a kill gets its attachments and parts back.
"""
from __future__ import annotations

from urllib.parse import urlsplit

from scrapy import signals
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Headers
from scrapy.responsetypes import responsetypes

from crawler.crawl.archive import archive_of, count, run_id_of

BLOCK_STATUSES = {403, 412, 521}
CHALLENGE_MARKERS = (b"$_ts", b"__jsl", b"wzws", b"Precondition Failed")
CONDITIONAL_ROLES = {"report", "attachment"}


def is_blocked(status: int, body: bytes) -> bool:
    """An anti-bot wall (瑞数 412, 加速乐 521, WZWS …), not a content error."""
    if status in BLOCK_STATUSES:
        return True
    return len(body) < 2048 and any(m in body for m in CHALLENGE_MARKERS)


class OffSite(IgnoreRequest):
    """A request for a host outside its site's: never sent, so not a fetch to record."""


class ScopeMiddleware:
    """No request leaves its site's hosts — not even a redirect: the spider keeps to them when it
    follows links, and this is the backstop for what it does not choose (Location headers, meta
    refreshes). Scrapy's own offsite filter would let a redirect from cq.gov.cn reach any of its
    subdomains (wz.cq.gov.cn is another government); this one knows each site's exact hosts."""

    def __init__(self, crawler):
        self.crawler = crawler
        self.hosts: dict[str, frozenset[str]] | None = None

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def process_request(self, request, spider=None):
        site = request.meta.get("site")
        if site is None:
            return None
        if self.hosts is None:
            self.hosts = {s.name: s.hosts for s in getattr(self.crawler.spider, "sites", [])}
        hosts = self.hosts.get(site)
        if hosts is not None and urlsplit(request.url).hostname not in hosts:
            count(self.crawler, site, "off_site")
            raise OffSite(f"off the site's hosts: {request.url}")
        return None


class ArchiveMiddleware:
    def __init__(self, crawler):
        self.crawler = crawler
        self.store = None
        crawler.signals.connect(self._open, signal=signals.spider_opened)
        crawler.signals.connect(self._failed, signal=signals.spider_error)
        crawler.signals.connect(self._failed, signal=signals.item_error)

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def _open(self, spider):
        self.store = archive_of(self.crawler)
        self.run_id = run_id_of(self.crawler)

    def _failed(self, failure, response, spider=None, item=None):
        """A page that broke the spider or the pipeline: recorded on the page, counted, never fatal."""
        site = response.meta.get("site") if response is not None else None
        self._count(site, "failures")
        if self.store and response is not None:
            self.store.page_error(response.url, f"processing failed: {failure.type.__name__}: "
                                                f"{failure.getErrorMessage()}".splitlines()[0][:300])

    def _count(self, site, key):
        count(self.crawler, site, key)

    def process_request(self, request, spider=None):
        if not self.store or not asks_conditionally(request):
            return None
        add_validators(request, self.store.validators(request.url))
        return None

    def process_response(self, request, response, spider=None):
        if not self.store or response.url.endswith("/robots.txt"):
            return response
        record, counts = fetch_record(request, response)
        for key in counts:
            self._count(request.meta.get("site"), key)
        self.store.record_fetch(**record, run_id=self.run_id)
        if wants_archived(request, response) and not self.store.known_report(response.url):
            return self._archived(request) or response
        return response

    def _archived(self, request):
        """The archived answer to `request`, as a 200 the spider reads like a live one."""
        page, body = self.store.page(request.url), self.store.raw(request.url)
        if page is None or body is None:
            return None
        return archived_response(request, page.get("content_type"), body)

    def process_exception(self, request, exception, spider=None):
        if not self.store or isinstance(exception, OffSite):
            return None
        error, key = exception_record(exception)
        self._count(request.meta.get("site"), key)
        self.store.record_fetch(request.url, site=request.meta.get("site"), role=request.meta.get("role"),
                                status=None, error=error, run_id=self.run_id)
        return None


# -- what a fetch means, shared with the cluster's worker (crawler/crawl/cluster.py) ------------
def asks_conditionally(request) -> bool:
    """Report and attachment pages are re-requested with the archived copy's validators."""
    return request.meta.get("role") in CONDITIONAL_ROLES and not request.meta.get("unconditional")


def add_validators(request, known: dict | None) -> None:
    if known:
        if known["etag"]:
            request.headers.setdefault("If-None-Match", known["etag"])
        if known["last_modified"]:
            request.headers.setdefault("If-Modified-Since", known["last_modified"])


def fetch_record(request, response) -> tuple[dict, list[str]]:
    """The record_fetch arguments of one response (all but run_id), and the counts it makes."""
    meta, status, body = request.meta, response.status, response.body
    counts, error = [], None
    if is_blocked(status, body):
        error = f"blocked: HTTP {status} anti-bot challenge"
        counts.append("blocked")
    elif status >= 400:
        error = f"HTTP {status}"
    if error:
        counts.append("failures")
    counts.append("pages")
    header = response.headers.get
    return dict(url=response.url, site=meta.get("site"), role=meta.get("role"), status=status,
                content_type=_text(header("Content-Type")), body=body,
                etag=_text(header("ETag")), last_modified=_text(header("Last-Modified")),
                error=error), counts


def wants_archived(request, response) -> bool:
    """A 304 for a report or file: the spider gets the archived bytes unless the report is stored."""
    return response.status == 304 and request.meta.get("role") in CONDITIONAL_ROLES


def archived_response(request, content_type: str | None, body: bytes):
    headers = Headers({"Content-Type": content_type} if content_type else {})
    cls = responsetypes.from_args(headers=headers, url=request.url, body=body)
    return cls(url=request.url, status=200, headers=headers, body=body, request=request, flags=["archived"])


def exception_record(exception) -> tuple[str, str]:
    """(the fetch's error, the count it makes) for a download that raised."""
    if isinstance(exception, IgnoreRequest) and "robots.txt" in str(exception).lower():
        return "refused by robots.txt", "robots_refused"
    return f"{type(exception).__name__}: {exception}".splitlines()[0][:300], "failures"


def _text(value: bytes | None) -> str | None:
    return value.decode("latin-1") if value else None
