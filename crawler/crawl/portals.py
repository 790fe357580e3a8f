"""Item glue for `python -m crawler portals`: a portals-spider result → a `portals` row."""
from __future__ import annotations

from crawler.crawl.archive import archive_of, count


class PortalPipeline:
    def __init__(self, crawler):
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def process_item(self, item: dict, spider=None):
        archive_of(self.crawler).save_portal(item)
        count(self.crawler, item["site"], f"portal_{item['outcome']}")
        return item
