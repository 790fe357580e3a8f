"""The naive peer of the comparison: what one would write in an afternoon with the usual tools.

A Scrapy CrawlSpider that follows every link on the portals' hosts, trafilatura for the
text of every HTML page, and sqlite-utils to keep the pages whose title or first lines
look like an annual report. No CMS adapters, no attachments, no near-duplicate search,
no raw snapshots. Written for this bench (not copied from anywhere).

    python bench/naive_peer.py SITES.json DB [-s NAME=VALUE ...]

SITES.json is {"sites": [{"name", "start_urls"}]} as for the project's crawl.
"""
from __future__ import annotations

import argparse
import json
import re
from urllib.parse import urlsplit

import sqlite_utils
import trafilatura
from scrapy.crawler import CrawlerProcess
from scrapy.linkextractors import LinkExtractor
from scrapy.spiders import CrawlSpider, Rule

REPORT = re.compile(r"法治政府建设.{0,12}报告|政府信息公开.{0,6}年度报告")


class NaiveSpider(CrawlSpider):
    name = "naive"
    rules = (Rule(LinkExtractor(), callback="parse_page", follow=True),)

    def __init__(self, sites: list[dict], **kwargs):
        self.start_urls = [url for site in sites for url in site["start_urls"]]
        self.allowed_domains = sorted({urlsplit(url).hostname for url in self.start_urls})
        super().__init__(**kwargs)

    def parse_start_url(self, response, **kwargs):
        return self.parse_page(response)

    def parse_page(self, response):
        if not hasattr(response, "text"):
            return
        title = (response.css("title::text").get() or "").strip()
        text = trafilatura.extract(response.text, url=response.url) or ""
        if REPORT.search(title) or REPORT.search(text[:200]):
            yield {"url": response.url, "title": title, "text": text}


class SqlitePipeline:
    def __init__(self, path: str):
        self.path = path

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler.settings.get("NAIVE_DB"))

    def open_spider(self, spider=None):
        self.db = sqlite_utils.Database(self.path)

    def process_item(self, item, spider=None):
        self.db["pages"].insert(dict(item), pk="url", replace=True)
        return item

    def close_spider(self, spider=None):
        self.db.conn.close()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("sites")
    parser.add_argument("db")
    parser.add_argument("-s", action="append", default=[], metavar="NAME=VALUE")
    args = parser.parse_args()
    settings = {"NAIVE_DB": args.db, "ITEM_PIPELINES": {f"{__name__}.SqlitePipeline": 300},
                "ROBOTSTXT_OBEY": True, "LOG_LEVEL": "INFO", "TELNETCONSOLE_ENABLED": False,
                "REQUEST_FINGERPRINTER_IMPLEMENTATION": "2.7"}
    for pair in args.s:
        name, _, value = pair.partition("=")
        settings[name] = value
    process = CrawlerProcess(settings)
    process.crawl(NaiveSpider, sites=json.loads(open(args.sites, encoding="utf-8").read())["sites"])
    process.start()


if __name__ == "__main__":
    main()
