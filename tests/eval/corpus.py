"""The evaluation set: seed-built fixture pages and the saved real pages, decoded as a browser would.

Fixtures live in tests/fixtures/pages (built by make_pages.py); real pages are
the saved copies in tests/fixtures/realpages (see its README.md). expected.json
holds what each page states and its body (full paragraphs for fixtures;
first/last paragraph and must-contain snippets for real pages); gold.json here
holds the full gold paragraphs of the real pages for the quality gate.

The real-page corpus (corpus_pages) is tests/fixtures/realpages/corpus/<host>/…: pages saved by others from
real government sites, byte for byte (its SOURCES.md says where each came from), with the truth a reader
wrote for each in realpages_truth.json here; the gate judges it field by field.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from w3lib.encoding import html_to_unicode

from tests.paths import FIXTURES, REALPAGES

PAGES = FIXTURES / "pages"
EXPECTED = PAGES / "expected.json"
GOLD = Path(__file__).resolve().parent / "gold.json"
# The real-page corpus: pages saved by others from real sites, byte for byte, under
# tests/fixtures/realpages/corpus/<host>/…, with the truth written by reading each page.
CORPUS = Path(__file__).resolve().parents[1] / "fixtures" / "realpages"
TRUTH = Path(__file__).resolve().parent / "realpages_truth.json"


def decode(raw: bytes, content_type: str | None = None) -> str:
    """Text as Scrapy/browsers decode it: header, BOM or <meta> charset, with gb2312/gbk read as gb18030."""
    return html_to_unicode(content_type, raw)[1]


@dataclass(frozen=True)
class Page:
    id: str  # "fixtures/<file>" or "realpages/<host>/<file>"
    path: Path
    url: str | None
    metadata: dict
    body: list[str] | dict = field(repr=False)

    @cached_property
    def html(self) -> str:
        return decode(self.path.read_bytes())


def _pages(section: str, base: Path) -> list[Page]:
    entries = json.loads(EXPECTED.read_text(encoding="utf-8"))[section]
    return [Page(f"{section}/{name}", base / name, e["url"], e["metadata"], e["body"]) for name, e in entries.items()]


def fixture_pages() -> list[Page]:
    return _pages("fixtures", PAGES)


def real_pages() -> list[Page]:
    return _pages("realpages", REALPAGES)


def all_pages() -> list[Page]:
    return fixture_pages() + real_pages()


def gold_paragraphs(page: Page) -> list[str]:
    """The full expected paragraphs: the fixture's own body, or the hand-checked gold of a real page."""
    if isinstance(page.body, list):
        return page.body
    return json.loads(GOLD.read_text(encoding="utf-8"))[page.id]


@dataclass(frozen=True)
class TruthPage:
    """A page of the real-page corpus and what a reader found on it (see realpages_truth.json)."""
    id: str  # "corpus/<host>/<file>", relative to tests/fixtures/realpages
    path: Path
    truth: dict = field(repr=False)

    @cached_property
    def html(self) -> str:
        return decode(self.path.read_bytes())


def corpus_pages() -> list[TruthPage]:
    """Every page the truth file describes, in its order; none before the corpus exists."""
    if not TRUTH.exists():
        return []
    entries = json.loads(TRUTH.read_text(encoding="utf-8"))
    return [TruthPage(name, CORPUS / name, entry) for name, entry in entries.items()
            if isinstance(entry, dict) and not name.startswith("_")]
