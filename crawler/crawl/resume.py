"""A crawl that follows an interrupted one resumes it: what that run already fetched is not fetched again.

A national crawl runs for hours; killed midway (SIGKILL, a reboot, a full disk, Ctrl-C) and started
again, it must not ask 3,000 portals again for the pages it already has. Every answer a run gets is in
the archive (`fetches`, with the bytes in `snapshots`), so the next run replays them: a GET the
interrupted run (or the chain of interrupted runs since the last finished one, started at most
RESUME_MAX_AGE_HOURS ago) got a 200 or a 304 for is answered from the archive with those bytes and
that status, flagged `resumed`, without a request. The spider reads the replay exactly as it read
the live page, so it takes the same decisions and ends with the same reports, and asks the network
only for what the interrupted run had not fetched yet — including the pages it was fetching when it
was killed, whose answers never reached the archive.

Not replayed: POST requests (their answer depends on the body, which `fetches` does not keep),
failed fetches and redirects (asked again: they are what a resumed run should retry), robots.txt.
A replay is not a fetch: it gets no `fetches` row and is counted as `resumed`, not in `pages`.
RESUME = False (`-s RESUME=False`) crawls everything afresh.
"""
from __future__ import annotations

import logging
from urllib.parse import urlsplit, urlunsplit

from scrapy import signals
from scrapy.http import Headers, Response
from scrapy.responsetypes import responsetypes

from crawler.crawl.archive import archive_of, count, run_id_of

logger = logging.getLogger(__name__)

RESUMED = "resumed"   # the flag of a replayed response


class ResumeMiddleware:
    def __init__(self, crawler):
        self.crawler = crawler
        self.runs: list[int] = []
        crawler.signals.connect(self._open, signal=signals.spider_opened)

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def _open(self, spider):
        settings = self.crawler.settings
        current = run_id_of(self.crawler)
        if not settings.getbool("RESUME", True) or current is None:
            return
        store = archive_of(self.crawler)
        self.runs = store.interrupted_runs(current, settings.getfloat("RESUME_MAX_AGE_HOURS", 24))
        if self.runs:
            logger.info("resuming interrupted run(s) %s: their answers are replayed from the archive",
                        ", ".join(map(str, self.runs)))

    def process_request(self, request, spider=None):
        if not self.runs or request.method != "GET" or request.url.endswith("/robots.txt"):
            return None
        store = archive_of(self.crawler)
        if store.failure:
            return None
        done = next((d for u in spellings(request.url) if (d := store.done_fetch(u, self.runs))), None)
        if done is None:
            return None
        count(self.crawler, request.meta.get("site"), RESUMED)
        if done["status"] == 304:
            return Response(request.url, status=304, request=request, flags=[RESUMED])
        body = store.snapshot(done["sha256"])
        if body is None:
            return None
        headers = Headers({"Content-Type": done["content_type"]} if done["content_type"] else {})
        cls = responsetypes.from_args(headers=headers, url=request.url, body=body)
        return cls(url=request.url, status=200, headers=headers, body=body, request=request, flags=[RESUMED])


def spellings(url: str) -> list[str]:
    """The ways a run may have written the same request: `http://host` and `http://host/` ask
    for the same thing, and which one a run meets first depends on the order it found links."""
    parts = urlsplit(url)
    if parts.path not in ("", "/"):
        return [url]
    other = parts._replace(path="/" if parts.path == "" else "")
    return [url, urlunsplit(other)]


def resumed(response) -> bool:
    """Is this response a replay of what an interrupted run fetched?"""
    return RESUMED in (response.flags or [])
