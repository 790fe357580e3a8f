"""What the spider hands the pipeline: typed items, not dicts read by string keys.

One ReportItem per report page (or per report published as a bare file). It travels
through the chain of requests for its continued parts and its files (cb_kwargs), each
answer filling in its Part or Attachment, and is yielded once the chain is done.
"""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Attachment:
    """A file the report page links (PDF, DOC, DOCX, WPS …), with its bytes or why there are none."""

    url: str
    name: str
    kind: str                      # pdf, doc, docx, wps … (crawler.extract.attachments.attachment_kind)
    data: bytes | None = None
    content_type: str | None = None
    error: str | None = None       # one line: HTTP 404, refused by robots.txt, not a document …


@dataclass
class Part:
    """A further page of a document split over several (TRS in-article pager: …_1.shtml)."""

    url: str
    html: str | None = None


@dataclass
class ReportItem:
    """A report page as fetched: its HTML, its parts, its files — or only that it is unchanged."""

    site: str
    url: str
    list_title: str | None = None  # the link text that led here: the title of last resort
    list_date: str | None = None   # the date the list showed beside a file it links straight to
    html: str | None = None        # None for a bare file (the file is the report) or when unchanged
    not_modified: bool = False     # a 304 for a report already stored: nothing to extract
    attachments: list[Attachment] = field(default_factory=list)
    continued: list[Part] = field(default_factory=list)
    incomplete: str | None = None  # a part or file that failed for now (429, 5xx, timeout): store it next run

    @property
    def is_bare_file(self) -> bool:
        """The list linked the document itself: it is the report, there is no page."""
        return self.html is None and any(a.url == self.url for a in self.attachments)

    @property
    def unfetched(self) -> str | None:
        """Why this report cannot be stored now, or None: a bare file that never arrived (refused
        by robots.txt, over the size cap …) or a part or file that failed for now."""
        if self.is_bare_file:
            document = next(a for a in self.attachments if a.url == self.url)
            if document.data is None:
                return document.error or "not fetched"
        return self.incomplete
