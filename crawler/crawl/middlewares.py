"""Downloader glue between Scrapy and the store: keep every fetch, ask conditionally.

Every response is recorded (raw bytes content-addressed, status, validators) and
every download failure too, so nothing fetched is lost and every per-page failure
is in the database (a flood of response headers too: crawler/crawl/download.py).
Report and attachment pages already archived are re-requested with If-None-Match /
If-Modified-Since: an unchanged page then costs a 304.

A 304 reaches the spider only for a report already stored (or a known copy): there is
nothing to extract. Any other 304 — a report page a killed run archived but never
stored, its continued parts, its files — is answered with the archived bytes, so the
spider reads it exactly as it read it live: a withdrawn page's meta refresh is followed
and recognised, and a report rebuilt after a kill gets its attachments and parts back.

Every fetch leaves a row, failed ones with their reason: a refusal by robots.txt, a file
over the size cap (DOWNLOAD_MAXSIZE, also after decompression: a gzip bomb), a redirect
chain cut at REDIRECT_MAX_TIMES, a timeout. Scrapy raises some of these inside other
middlewares' process_response, which no process_exception sees: the spider's errbacks
hand those to record_failure(). A page answered 429 (or 503 with Retry-After) is
rate-limited, not broken: PoliteRetryMiddleware waits as long as the server asks, up to
RETRY_AFTER_MAX seconds, holding back every request to that host meanwhile; a longer
wait leaves the page for the next run.

A write the archive refuses (disk full, read-only, I/O error) stops the crawl
(crawler.crawl.archive.store_failed): nothing is fetched that could not be kept.
"""
from __future__ import annotations

import email.utils
import logging
import re
import time
from urllib.parse import urlsplit

from scrapy import signals
from scrapy.downloadermiddlewares.redirect import MetaRefreshMiddleware
from scrapy.downloadermiddlewares.retry import RetryMiddleware
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Headers
from scrapy.responsetypes import responsetypes

from crawler.crawl.archive import archive_of, count, run_id_of, store_failed
from crawler.crawl.download import HeadersTooLarge
from crawler.crawl.resume import resumed
from crawler.crawl.scope import under_domain

logger = logging.getLogger(__name__)

BLOCK_STATUSES = {403, 412, 521}
CHALLENGE_MARKERS = (b"$_ts", b"__jsl", b"wzws", b"Precondition Failed")
CONDITIONAL_ROLES = {"report", "attachment"}
RATE_LIMIT_STATUSES = {429, 503}
HOLD_MARGIN = 0.05             # seconds a hold outlasts Retry-After: never a request too early
HELD = "_rate_limit_held"      # meta: the host was held when this request's answer arrived
RECORDED = "_fetch_recorded"   # meta: id() of the request whose failure already has its row


def is_blocked(status: int, body: bytes) -> bool:
    """An anti-bot wall (瑞数 412, 加速乐 521, WZWS …), not a content error."""
    if status in BLOCK_STATUSES:
        return True
    return len(body) < 2048 and any(m in body for m in CHALLENGE_MARKERS)


class OffSite(IgnoreRequest):
    """A request for a host outside its site's: never sent, so not a fetch to record."""


class WalledSite(OffSite):
    """A request for a site that has answered only with anti-bot walls lately: not sent."""


class ScopeMiddleware:
    """No request leaves its site's hosts — not even a redirect: the spider keeps to them when it
    follows links, and this is the backstop for what it does not choose (Location headers, meta
    refreshes). Scrapy's own offsite filter would let a redirect from cq.gov.cn reach any of its
    subdomains (wz.cq.gov.cn is another government); this one knows each site's exact hosts.

    It also stops asking a site that answers WALL_SKIP_AFTER requests in a row with an anti-bot
    wall (a 瑞数 or 加速乐 site walls every page): the rest of that site's requests in this run are
    dropped and counted (`wall_skipped`), so a national crawl does not spend itself on walls. A
    single walled page among answered ones never triggers it (requests already handed to the
    downloader, up to CONCURRENT_REQUESTS, still go out). 0 turns it off."""

    def __init__(self, crawler):
        self.crawler = crawler
        self.hosts: dict[str, frozenset[str]] | None = None
        self.walls: dict[str, int] = {}        # site → blocked answers in a row
        self.skip_after = crawler.settings.getint("WALL_SKIP_AFTER", 3)

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def process_request(self, request, spider=None):
        site = request.meta.get("site")
        if site is None:
            return None
        if self.skip_after and self.walls.get(site, 0) >= self.skip_after:
            count(self.crawler, site, "wall_skipped")
            raise WalledSite(f"site behind an anti-bot wall: {request.url}")
        if self.hosts is None:
            self.hosts = {s.name: s.hosts for s in getattr(self.crawler.spider, "sites", [])}
            # a home-page check (spiders/portals.py) may also try the alternative addresses' hosts
            self.portal_hosts = {s.name: s.hosts | {urlsplit(u).hostname for u in getattr(s, "alt_urls", ())}
                                 for s in getattr(self.crawler.spider, "sites", [])}
        hosts = (self.portal_hosts if request.meta.get("role") == "portal" else self.hosts).get(site)
        if hosts is not None and urlsplit(request.url).hostname not in hosts and not self._lent(site, request.url):
            count(self.crawler, site, "off_site")
            raise OffSite(f"off the site's hosts: {request.url}")
        return None

    def _lent(self, site: str, url: str) -> bool:
        """A host the spider lent the site for a report column its catalogue names there
        (spiders/reports.py SiteState.lend) — let through only under the site's own domain."""
        lent = getattr(self.crawler.spider, "lent_hosts", None)
        host = urlsplit(url).hostname
        return bool(lent) and host in lent(site) and under_domain(host, self.hosts.get(site, ()))

    def process_response(self, request, response, spider=None):
        site = request.meta.get("site")
        if site is not None and not response.url.endswith("/robots.txt"):
            walled = is_blocked(response.status, response.body)
            self.walls[site] = self.walls.get(site, 0) + 1 if walled else 0
        return response


class ArchiveMiddleware:
    def __init__(self, crawler):
        self.crawler = crawler
        self.store = None
        crawler._archive_middleware = self   # for record_failure(), called from the spider's errbacks
        crawler.signals.connect(self._open, signal=signals.spider_opened)
        crawler.signals.connect(self._dropped, signal=signals.request_dropped)
        crawler.signals.connect(self._failed, signal=signals.spider_error)
        crawler.signals.connect(self._failed, signal=signals.item_error)

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def _open(self, spider):
        self.run_id = run_id_of(self.crawler)
        try:
            self.store = archive_of(self.crawler)
        except Exception as exc:   # an archive that cannot even be opened: no crawl at all
            if not store_failed(self.crawler, exc):
                raise

    def _failed(self, failure, response, spider=None, item=None):
        """A page that broke the spider or the pipeline: recorded on the page, counted, never
        fatal — unless what broke is the archive itself, which stops the crawl."""
        if store_failed(self.crawler, failure.value):
            return
        site = response.meta.get("site") if response is not None else None
        self._count(site, "failures")
        if self.store and response is not None:
            self._write(self.store.page_error, response.url,
                        f"processing failed: {failure.type.__name__}: "
                        f"{failure.getErrorMessage()}".splitlines()[0][:300])

    def _dropped(self, request, spider=None):
        """A redirect back into its own chain (a loop) is dropped by the scheduler's duplicate
        filter: the hop that sent it there gets the reason. (A redirect to a page requested
        before — a withdrawn document sent back to its column — is no failure: its hop has its row.)"""
        hops = request.meta.get("redirect_urls")
        if hops and request.url in hops:
            self.record(request.replace(url=hops[-1]), IgnoreRequest(
                f"redirect loop: back to {request.url}, already requested"))

    def _write(self, method, *args, **kwargs):
        """Call a Store method; a failing archive stops the crawl and drops this request."""
        try:
            return method(*args, **kwargs)
        except Exception as exc:
            if store_failed(self.crawler, exc):
                raise IgnoreRequest(f"archive not writable: {exc}") from None
            raise

    def _count(self, site, key):
        count(self.crawler, site, key)

    def process_request(self, request, spider=None):
        if self.store and self.store.failure:
            raise IgnoreRequest(f"archive not writable: {self.store.failure}")
        if not self.store or request.meta.get("role") not in CONDITIONAL_ROLES:
            return None
        if request.meta.get("unconditional"):
            return None
        known = self._write(self.store.validators, request.url)
        if known:
            if known["etag"]:
                request.headers.setdefault("If-None-Match", known["etag"])
            if known["last_modified"]:
                request.headers.setdefault("If-Modified-Since", known["last_modified"])
        return None

    def process_response(self, request, response, spider=None):
        if not self.store or response.url.endswith("/robots.txt"):
            return response
        meta, site = request.meta, request.meta.get("site")
        status = response.status
        if resumed(response):   # an interrupted run's answer, replayed (crawl/resume.py): no new fetch
            if status == 304 and meta.get("role") in CONDITIONAL_ROLES \
                    and not self._write(self.store.known_report, response.url):
                return self._write(self._archived, request) or response
            return response
        body = response.body
        error, keys = None, ["pages"]
        if rate_limited(response):
            error, keys = f"rate-limited: {_retry_after_text(response)}", keys + ["rate_limited"]
        elif is_blocked(status, body):
            error, keys = f"blocked: HTTP {status} anti-bot challenge", keys + ["blocked", "failures"]
        elif status >= 400:
            error, keys = f"HTTP {status}", keys + ["failures"]
        elif self.crawler.settings.getbool("METAREFRESH_ENABLED") and (target := refresh_target(
                request, response, self.crawler.settings.getfloat("METAREFRESH_MAXDELAY"))):
            # a hop, like a 302's (RedirectHopMiddleware): a resumed run asks it again, not replaying
            # bytes without the header that sent the browser on (crawl/resume.py)
            error = f"refresh to {target}"[:300]
        header = response.headers.get
        self._write(
            self.store.record_fetch,
            response.url, site=site, role=meta.get("role"), status=status,
            content_type=_text(header("Content-Type")), body=body,
            etag=_text(header("ETag")), last_modified=_text(header("Last-Modified")),
            error=error, run_id=self.run_id)
        for key in keys:   # counted once kept: the run record agrees with the archive
            self._count(site, key)
        if status == 304 and meta.get("role") in CONDITIONAL_ROLES \
                and not self._write(self.store.known_report, response.url):
            return self._write(self._archived, request) or response
        return response

    def _archived(self, request):
        """The archived answer to `request`, as a 200 the spider reads like a live one."""
        page, body = self.store.page(request.url), self.store.raw(request.url)
        if page is None or body is None:
            return None
        headers = Headers({"Content-Type": page["content_type"]} if page.get("content_type") else {})
        cls = responsetypes.from_args(headers=headers, url=request.url, body=body)
        return cls(url=request.url, status=200, headers=headers, body=body, request=request, flags=["archived"])

    def process_exception(self, request, exception, spider=None):
        if isinstance(exception, OffSite):   # a request the site's own hosts forbid: not a fetch
            return None
        self.record(request, exception)
        return None

    def record(self, request, exception) -> str:
        """A fetch that brought no response (or one Scrapy dropped): its row, its reason, its
        count. Returns the reason (recorded once per request however many hooks report it)."""
        error = failure_reason(exception, request, self.crawler.settings)
        if not self.store or self.store.failure or request.meta.get(RECORDED) == id(request):
            return error
        if str(exception).startswith("archive not writable"):
            return error
        request.meta[RECORDED] = id(request)
        site = request.meta.get("site")
        try:
            self.store.record_fetch(request.url, site=site, role=request.meta.get("role"),
                                    status=None, error=error, run_id=self.run_id)
        except Exception as exc:
            if not store_failed(self.crawler, exc):
                raise
            return error
        self._count(site, "robots_refused" if error == ROBOTS else "failures")
        return error


ROBOTS = "refused by robots.txt"
PERMANENT = (ROBOTS, "capped:", "redirect limit:", "redirect loop:", "dropped:", "archive not writable")


def is_transient(reason: str) -> bool:
    """A failure that may not recur (timeout, reset, refused connection) rather than one the
    page will meet every time (robots.txt, the size cap, a redirect loop)."""
    return not reason.startswith(PERMANENT)


def failure_reason(exception, request, settings) -> str:
    """One line saying why a fetch brought nothing: refused, capped, redirect-limited, dropped …"""
    text = str(exception).splitlines()[0] if str(exception) else ""
    cap = request.meta.get("download_maxsize", settings.getint("DOWNLOAD_MAXSIZE"))
    if isinstance(exception, IgnoreRequest):
        if "robots.txt" in text.lower():
            return ROBOTS
        if "during decompression" in text:
            return f"capped: over the size cap of {cap} bytes once decompressed"
        if "max redirections" in text:
            return f"redirect limit: more than {settings.getint('REDIRECT_MAX_TIMES')} redirects"
        if text.startswith(("redirect loop:", "archive not writable")):
            return text[:300]
        return f"dropped: {text}"[:300]
    if isinstance(exception, HeadersTooLarge):
        return f"capped: {text}"[:300]
    if "max size" in text or (type(exception).__name__ == "CancelledError" and cap):
        return f"capped: larger than the size cap of {cap} bytes"
    return f"{type(exception).__name__}: {text}"[:300]


def record_failure(crawler, failure) -> str:
    """For the spider's errbacks: a failed fetch no downloader middleware saw (Scrapy raises the
    redirect limit and the decompression cap in process_response) gets its row too. Returns
    the one-line reason (see is_transient)."""
    middleware = getattr(crawler, "_archive_middleware", None)
    request = getattr(failure, "request", None)
    if isinstance(failure.value, OffSite):   # never sent (another government's host, a walled site)
        return str(failure.value).splitlines()[0][:300]
    if middleware is None or request is None:
        return f"{failure.type.__name__}: {failure.getErrorMessage()}".splitlines()[0][:300]
    return middleware.record(request, failure.value)


class RedirectHopMiddleware:
    """Every redirect answer gets its row too: placed before RedirectMiddleware in the response
    chain, it records the 301/302/303/307/308 that Scrapy turns into the next request (the
    archive middleware only ever sees where a chain ends)."""

    STATUSES = {301, 302, 303, 307, 308}

    def __init__(self, crawler):
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def process_response(self, request, response, spider=None):
        archive = getattr(self.crawler, "_archive_middleware", None)
        if archive is None or archive.store is None or response.status not in self.STATUSES \
                or "Location" not in response.headers:
            return response
        location = _text(response.headers.get("Location"))
        archive._write(archive.store.record_fetch, response.url, site=request.meta.get("site"),
                       role=request.meta.get("role"), status=response.status,
                       error=f"redirect to {location}"[:300], run_id=archive.run_id)
        archive._count(request.meta.get("site"), "pages")
        return response


# a `Refresh` header: delay, then the address (`0; url=http://xxgk.X.gov.cn/`, `0;URL='…'`, `5, /new/`)
REFRESH_HEADER = re.compile(r"""^\s*(\d+(?:\.\d*)?)\s*(?:[;,]\s*(?:url\s*=\s*)?(["']?)([^"'\s][^"']*?)\2)?\s*;?\s*$""",
                            re.I)


def header_refresh(value: str | None) -> tuple[float, str] | None:
    """(delay, address) of a `Refresh` response header, None when there is none or it names no
    address (a plain `Refresh: 30` reloads the page itself)."""
    m = REFRESH_HEADER.match(value or "")
    if not m or not m.group(3):
        return None
    return float(m.group(1)), m.group(3).strip()


def refresh_target(request, response, max_delay: float) -> str | None:
    """The address a response's `Refresh` header sends the browser on to at once — a delay under
    `max_delay`, an http(s) address other than the page itself — or None."""
    refresh = header_refresh(_text(response.headers.get("Refresh")))
    if refresh is None or request.meta.get("dont_redirect") or request.method == "HEAD":
        return None
    delay, target = refresh
    target = response.urljoin(target)
    if delay >= max_delay or urlsplit(target).scheme not in ("http", "https") or target == response.url:
        return None
    return target


class RefreshMiddleware(MetaRefreshMiddleware):
    """Scrapy's meta refresh, and the HTTP `Refresh` header too. Browsers treat `Refresh: 0;
    url=…` as they treat `<meta http-equiv="refresh" content="0; url=…">` — a 200 answer whose
    header sends the reader on (a portal's 政府信息公开 entry page that forwards to its sibling
    xxgk host, with no link in its body) — but Scrapy reads only the markup. The header is read
    first, under the same rules: a delay under METAREFRESH_MAXDELAY, http(s) only, GET; the
    sites' hosts still bound where it may lead (ScopeMiddleware sees the request it makes)."""

    def process_response(self, request, response, spider=None):
        target = refresh_target(request, response, self._maxdelay)
        if target is None:
            return super().process_response(request, response)
        return self._redirect(self._redirect_request_using_get(request, response, target), request, "refresh header")


# -- rate limits -----------------------------------------------------------------------------

def rate_limited(response) -> bool:
    """429, or 503 with Retry-After: the server asks to wait, the page is not broken."""
    return response.status == 429 or (response.status in RATE_LIMIT_STATUSES
                                      and response.headers.get("Retry-After") is not None)


def _retry_after_text(response) -> str:
    value = _text(response.headers.get("Retry-After"))
    return f"Retry-After {value.strip()}" if value else f"HTTP {response.status}"


def retry_after(response, now: float | None = None) -> float | None:
    """Seconds the server asks to wait (Retry-After: delta-seconds or an HTTP-date), or None."""
    value = _text(response.headers.get("Retry-After"))
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value).timestamp()
    except (TypeError, ValueError):
        return None
    return max(0.0, when - (time.time() if now is None else now))


class PoliteRetryMiddleware(RetryMiddleware):
    """Scrapy's retries, but a rate-limited page is retried only when the server said it may be,
    and its host waits too.

    On a 429/503 the wait is the Retry-After (RETRY_AFTER_DEFAULT seconds when absent). Up to
    RETRY_AFTER_MAX it is honoured: the host's downloader slot is held for that long (every
    request to it waits, not only the retry), then the page is retried. A longer wait is not
    spent in this run: the page keeps its "rate-limited" row and the next run asks again."""

    def __init__(self, settings):
        super().__init__(settings)
        self.max_wait = settings.getfloat("RETRY_AFTER_MAX", 60)
        self.default_wait = settings.getfloat("RETRY_AFTER_DEFAULT", 5)
        self.held: dict[str, tuple] = {}   # slot key → (monotonic time the hold ends, generation)
        self.saved: dict[str, tuple] = {}  # slot key → its (delay, jitter) before the hold

    @classmethod
    def from_crawler(cls, crawler):
        """Hold the host on `response_downloaded`, not in process_response: Scrapy's downloader
        sends that signal just before it frees the slot and releases the host's next queued
        request, while process_response runs only later — by then one or two more requests have
        gone to a server that asked to be left alone."""
        middleware = super().from_crawler(crawler)
        crawler.signals.connect(middleware.response_downloaded, signal=signals.response_downloaded)
        return middleware

    def retried_here(self, request, response) -> bool:
        """A rate-limited answer this middleware handles (else Scrapy's own retry rules apply)."""
        return not request.meta.get("dont_retry") and rate_limited(response) \
            and response.status in self.retry_http_codes

    def wait_asked(self, request, response) -> float | None:
        """Seconds this middleware will wait before retrying `response`'s page, or None when it
        does not retry it here (not rate-limited, retries off, or a wait over RETRY_AFTER_MAX)."""
        if not self.retried_here(request, response):
            return None
        wait = retry_after(response)
        wait = self.default_wait if wait is None else wait
        return None if wait > self.max_wait else wait

    def response_downloaded(self, response, request, spider=None) -> None:
        """The hold, set the moment a rate-limited response arrives (see from_crawler); the
        request carries the mark to process_response (a retry is a copy: the mark is taken off)."""
        wait = self.wait_asked(request, response)
        if wait is not None:
            self.hold(request, wait)
            request.meta[HELD] = True

    def process_response(self, request, response, spider=None):
        if not self.retried_here(request, response):
            return super().process_response(request, response)
        held = request.meta.pop(HELD, False)
        wait = self.wait_asked(request, response)
        if wait is None:
            logger.info("%s asks to wait %s (over RETRY_AFTER_MAX %s): left for the next run",
                        request.url, _retry_after_text(response), self.max_wait)
            return response
        if not held:   # a response made by another middleware, never downloaded: hold from now
            self.hold(request, wait)
        return self._retry(request, f"rate-limited, waited {wait:g} s") or response

    def hold(self, request, wait: float) -> None:
        """Make every request to the request's host wait `wait` seconds from now: its downloader
        slot gets that delay (a little more, never less: no jitter) counted from this moment.

        The slot's own delay comes back just before the hold ends: a request the slot has
        scheduled for the hold's end then goes at once (and the rest after it), while one
        arriving in the last moment still meets the slot's pending wake-up, never less."""
        downloader = self.crawler.engine.downloader
        key = downloader.get_slot_key(request)
        slot = downloader.slots.get(key)
        if slot is None or wait <= 0:
            return
        now = time.monotonic()
        if key not in self.held:
            self.saved[key] = (slot.delay, slot.jitter)
        until = max(self.held.get(key, (0.0, 0))[0], now + wait + HOLD_MARGIN)
        generation = self.held.get(key, (0.0, 0))[1] + 1
        self.held[key] = (until, generation)
        slot.delay, slot.jitter = max(self.saved[key][0], until - now), 0.0
        slot.lastseen = now
        from twisted.internet import reactor  # the running one, installed by Scrapy
        reactor.callLater(max(0.0, until - now - HOLD_MARGIN / 2), self._release, key, slot, generation)

    def _release(self, key: str, slot, generation: int) -> None:
        """The hold is over (unless a later 429 extended it): the slot's own delay again."""
        if self.held.get(key, (0.0, None))[1] != generation:
            return
        slot.delay, slot.jitter = self.saved.pop(key)
        del self.held[key]


def _text(value: bytes | None) -> str | None:
    return value.decode("latin-1") if value else None
