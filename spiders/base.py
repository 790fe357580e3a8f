"""What every CMS family adapter provides to the report spider.

A portal CMS differs from another in two things only: how a column's list is
paged (static index_N.html files, an XML data proxy, a JSON API …) and where a
list page keeps its entries. An adapter answers those two questions for one
family; the spider (spiders/reports.py) does everything else, so a site on a
known CMS needs no code at all and an unknown one falls back to the generic
adapter.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Protocol

import scrapy
from scrapy.http import Response


@dataclass(frozen=True)
class Entry:
    """A link found in a report column: where it points and what it is called."""

    url: str
    title: str


class Adapter(Protocol):
    name: str

    def detect(self, response: Response) -> bool:
        """True when this response is a list page (or list API answer) of this CMS family."""

    def entries(self, response: Response) -> Iterable[Entry]:
        """The links this list page (or API answer) lists, report or not."""

    def more_pages(self, response: Response) -> Iterable[scrapy.Request]:
        """Requests for the column's further list pages (callback left unset: the spider sets it)."""
