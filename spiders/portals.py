"""The portals spider: each site's home page, once, politely — does it answer, is it the government's?

For every site it asks the first start URL (the home page) and, when that fails (no answer, an
HTTP error, an anti-bot wall), each `alt_urls` address in turn, and yields one result per site:
the address that answered, its status, the wall met (crawler/extract/portal.py wall_of), and what
the page says about whose it is (portal_facts: title, 网站标识码, ICP number, the government named).
Every fetch is archived by crawler/crawl/middlewares.py like any other (role `portal`); the
results become rows of `portals` in crawler/crawl/portals.py.
"""
from __future__ import annotations

import json

import scrapy

from crawler.extract.portal import portal_facts, wall_of

from .base import is_html


def candidates(site) -> list[str]:
    """The home page, then the alternative addresses, without repeats."""
    return list(dict.fromkeys([site.start_urls[0], *site.alt_urls]))


class PortalsSpider(scrapy.Spider):
    name = "portals"
    custom_settings = {"ITEM_PIPELINES": {"crawler.crawl.portals.PortalPipeline": 300},
                       "RETRY_TIMES": 1, "DOWNLOAD_TIMEOUT": 20}

    def __init__(self, sites=(), **kw):
        super().__init__(**kw)
        self.sites = list(sites)
        self.by_name = {s.name: s for s in self.sites}

    async def start(self):
        for site in self.sites:
            yield self._attempt(site, 0, [])

    def _attempt(self, site, index: int, attempts: list[dict]) -> scrapy.Request:
        return scrapy.Request(candidates(site)[index], callback=self.parse, errback=self.failed,
                              dont_filter=True, meta={"site": site.name, "role": "portal",
                                                      "attempt": index, "attempts": attempts})

    def parse(self, response):
        site = self.by_name[response.meta["site"]]
        wall = wall_of(response.status, response.body)
        asked = candidates(site)[response.meta["attempt"]]
        attempt = {"url": asked, "final_url": response.url, "status": response.status, "wall": wall,
                   "error": None if response.status < 400 else f"HTTP {response.status}"}
        if response.status == 200 and not wall:
            text = response.text if is_html(response) else ""
            yield self._result(site, response.meta["attempts"] + [attempt], "answers",
                               portal_facts(text, site.region, site.title))
            return
        yield from self._next(site, response.meta, attempt)

    def failed(self, failure):
        meta = failure.request.meta
        site = self.by_name[meta["site"]]
        message = f"{failure.type.__name__}: {failure.getErrorMessage()}".splitlines()[0][:200]
        attempt = {"url": candidates(site)[meta["attempt"]], "final_url": None, "status": None,
                   "wall": None, "error": message}
        yield from self._next(site, meta, attempt)

    def _next(self, site, meta, attempt: dict):
        """The next address to try, or — none left — the site's result: the first address's failure."""
        attempts = meta["attempts"] + [attempt]
        if meta["attempt"] + 1 < len(candidates(site)):
            yield self._attempt(site, meta["attempt"] + 1, attempts)
            return
        first = attempts[0]
        outcome = "wall" if first["wall"] else ("http_error" if first["status"] else "unreachable")
        yield self._result(site, attempts, outcome, {})

    @staticmethod
    def _result(site, attempts: list[dict], outcome: str, facts: dict) -> dict:
        answered = attempts[-1] if outcome == "answers" else attempts[0]
        return {"site": site.name, "region_code": site.region, "url": answered["url"],
                "final_url": answered["final_url"], "status": answered["status"], "outcome": outcome,
                "wall": answered["wall"], "error": answered["error"],
                "used_alt": outcome == "answers" and len(attempts) > 1,
                "attempts": json.dumps(attempts, ensure_ascii=False), **facts}
