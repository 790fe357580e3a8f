"""The HTTP download handler, with a cap on the size of a response's headers.

DOWNLOAD_MAXSIZE caps a response's body only: Scrapy counts body bytes, and Twisted's
response parser (twisted.web._newclient.HTTPParser) keeps every header line it is sent in
a Headers object, with no limit on their number and none on a header folded over endless
continuation lines (each line is capped at 16 KB, LineReceiver.MAX_LENGTH, and past that the
connection is dropped with no reason given). A server that answers with an endless stream of
header lines — a trap, or a broken proxy looping — made one crawl take 693 MB before its
DOWNLOAD_TIMEOUT, and on a fast link it could take any amount.

Here the parser counts the bytes of the status line and headers of each response and gives
up once they pass DOWNLOAD_HEADERS_MAXSIZE (256 KB, the limit browsers apply: Chromium's
ERR_RESPONSE_HEADERS_TOO_BIG). The request then fails with HeadersTooLarge, which the
archive records as the page's error ("capped: response headers over …") and which is not
retried; the crawl goes on. A line past Twisted's 16 KB line limit fails the same way, with
that reason, instead of as a lost connection.
"""
from __future__ import annotations

from scrapy.core.downloader.handlers.http11 import (
    HTTP11DownloadHandler,
    _LenientHTTP11ClientFactory,
    _LenientHTTP11ClientProtocol,
    _LenientHTTPClientParser,
)
from scrapy.exceptions import DownloadFailedError

DEFAULT_HEADERS_MAXSIZE = 256 * 1024


class HeadersTooLarge(Exception):
    """A response whose status line and headers passed the cap; str() is the one-line reason."""


class _CappedParser(_LenientHTTPClientParser):
    """Scrapy's lenient response parser, counting what it reads before the body."""

    headers_maxsize = DEFAULT_HEADERS_MAXSIZE
    _header_bytes = 0

    def lineReceived(self, line: bytes) -> None:  # noqa: N802 - Twisted's name
        self._header_bytes += len(line) + 1
        if self._header_bytes > self.headers_maxsize:
            raise HeadersTooLarge(f"response headers over {self.headers_maxsize} bytes")
        super().lineReceived(line)

    def lineLengthExceeded(self, line: bytes) -> None:  # noqa: N802 - Twisted's name
        """A header line longer than Twisted's line limit: a reason, not a silent disconnect."""
        raise HeadersTooLarge(f"response header line over {self.MAX_LENGTH} bytes")


class _CappedProtocol(_LenientHTTP11ClientProtocol):
    """Raising in the parser makes HTTP11ClientProtocol.dataReceived give up on the
    connection (closing it, so nothing more is read) with that exception as the reason."""

    def __init__(self, quiescent_callback, headers_maxsize: int):
        super().__init__(quiescent_callback)
        self.headers_maxsize = headers_maxsize

    def request(self, request):
        deferred = super().request(request)
        # As _LenientHTTP11ClientProtocol does: the parser class is fixed in Twisted's
        # request(), so the parser it made becomes the capped one (no extra state but the count).
        self._parser.__class__ = _CappedParser
        self._parser.headers_maxsize = self.headers_maxsize
        return deferred


class _CappedFactory(_LenientHTTP11ClientFactory):
    headers_maxsize = DEFAULT_HEADERS_MAXSIZE

    def buildProtocol(self, addr):  # noqa: N802 - Twisted's name
        return _CappedProtocol(self._quiescentCallback, self.headers_maxsize)


class CappedHTTPDownloadHandler(HTTP11DownloadHandler):
    """Scrapy's HTTP/1.1 handler whose connections cap response headers (DOWNLOAD_HEADERS_MAXSIZE)."""

    def __init__(self, crawler):
        super().__init__(crawler)
        limit = crawler.settings.getint("DOWNLOAD_HEADERS_MAXSIZE", DEFAULT_HEADERS_MAXSIZE)
        self._pool._factory = type("CappedFactory", (_CappedFactory,), {"headers_maxsize": limit})

    async def download_request(self, request):
        """Scrapy wraps the parser's failure as DownloadFailedError("[<Failure …>]"): the
        HeadersTooLarge inside is raised as itself, so its reason is what gets recorded."""
        try:
            return await super().download_request(request)
        except DownloadFailedError as exc:
            for reason in getattr(exc.__cause__, "reasons", None) or []:
                if reason.check(HeadersTooLarge):
                    raise HeadersTooLarge(str(reason.value)) from None
            raise
