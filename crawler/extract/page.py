"""One report page, parsed once: title, metadata box, info line, body paragraphs and the parts it is split in.

The page-object idea of web-poet: a page is an object whose fields are computed on demand from one parsed tree
and kept, so extract_report, extract_metadata and extract_body share one parse and one reading of the lines,
and each field says in one place where it comes from. Everything here is pure (no Scrapy, no SQL): the input is
the decoded HTML, the output plain values.
"""
from __future__ import annotations

from functools import cached_property

from lxml import etree

from . import body as _body
from . import metadata as _meta
from .dom import Line, clean_text, content_container, detail_json, parse_html, text_lines


class Page:
    """A report page. `continued` holds the HTML of the further pages of a document split in parts
    (…_1.shtml); their bodies follow this page's, the metadata is this page's."""

    def __init__(self, html: str | None, url: str | None = None, continued: tuple | list = ()):
        self.html = clean_text(html)
        self.url = url
        self._continued = list(continued or ())

    # -- the tree and its lines ----------------------------------------------------------------------------
    @cached_property
    def root(self) -> etree._Element:
        """The parsed page, hidden elements removed (dom.parse_html)."""
        return parse_html(self.html)

    @cached_property
    def container(self) -> etree._Element | None:
        """The element a known CMS keeps the document in, or None."""
        return content_container(self.root)

    @cached_property
    def lines(self) -> list[Line]:
        """The page's visible text in reading order, inline element edges marked (for the label reader)."""
        return text_lines(self.root, raw=True, container=self.container)

    @cached_property
    def meta_names(self) -> dict[str, str]:
        """<meta name content> pairs, names lower-cased."""
        return _meta.meta_names(self.root)

    @cached_property
    def sites(self) -> set[str]:
        """The site's own name (SiteName meta), cut from titles."""
        name = self.meta_names.get("sitename")
        return {_meta._canonical(name)} if name else set()

    @cached_property
    def detail(self) -> dict:
        """The gkmlpt ``_CONFIG.DETAIL`` JSON, or {}."""
        return detail_json(self.html)

    # -- fields --------------------------------------------------------------------------------------------
    @cached_property
    def labelled(self) -> _meta.Labelled:
        """What the page's labels state: the 政务公开 box fields and the info-line fields. A box read inside
        the content container is marked here, so that the body leaves it out."""
        found = _meta.read_labels(self.lines, self.root, self.container)
        _meta.mark_boxes(found.contained_boxes, self.container)
        return found

    def read_boxes(self) -> None:
        """Read the labels (and mark the boxes inside the container) before the body is read."""
        self.labelled  # noqa: B018 - a cached property, computed for its marks

    @property
    def box(self) -> dict:
        """The fields of the page's 政务公开 box (索引号, 发布机构, 成文日期 …)."""
        return self.labelled.box

    @property
    def info(self) -> dict:
        """The fields of the info line (发布时间, 来源 …)."""
        return self.labelled.info

    @cached_property
    def page_title(self) -> str | None:
        """The text of <title>, site name included."""
        return _meta.page_title(self.root)

    @cached_property
    def heading(self) -> tuple[str | None, etree._Element | None]:
        """The document's own heading and its element (never a breadcrumb or the site's name): the element
        that agrees with ArticleTitle, else with <title>, else the first h1 / .title."""
        article = _meta.mapped_fields(self.meta_names, _meta.META_FIELDS).get("title")
        if article:
            found = _meta.heading(self.root, self.sites, article, fallback=False)
            if found[0]:
                return found
        return _meta.heading(self.root, self.sites, _meta.strip_site_name(self.page_title, self.sites))

    @cached_property
    def date_line(self) -> str | None:
        """The date of an unlabelled line under the heading, ISO."""
        return _meta.date_under(self.lines, self.heading[1])

    @cached_property
    def title(self) -> str | None:
        """The document's title, as plain text."""
        return _meta.page_title_of(self)

    @cached_property
    def column(self) -> str | None:
        """The breadcrumb, 'a > b > c'."""
        return _meta.column(self.root)

    @cached_property
    def metadata(self) -> dict:
        """Every metadata field (metadata.FIELDS); None for what the page does not state."""
        return _meta.page_metadata(self)

    def paragraphs(self, title: str | None = None, doc_no: str | None = None) -> list[str]:
        """This page's body paragraphs, `title` (and `doc_no`) dropped where the document repeats them."""
        return _body.page_paragraphs(self, title, doc_no)

    # -- a document in parts -------------------------------------------------------------------------------
    @cached_property
    def parts(self) -> list[Page]:
        """This page and the further pages of the document, in order."""
        return [self, *(Page(html, self.url) for html in self._continued if html)]

    def body(self, title: str | None = None, doc_no: str | None = None) -> list[str]:
        """The paragraphs of every part, in order."""
        return [p for part in self.parts for p in part.paragraphs(title, doc_no)]
