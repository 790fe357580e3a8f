"""大汉 Hanweb jcms (jpage): list records in CDATA, further pages from dataproxy.jsp.

A column page (`/col/col{ID}/index.html`) carries its first records inside
`<script type="text/xml"><datastore><recordset><record><![CDATA[<li>…</li>]]>`,
invisible to an HTML parser, and a jpage call with the proxy's parameters:

    $('#4531779').jpage({proxyUrl:'/module/web/jpage/dataproxy.jsp', perPage:15,
        totalRecord:52, groupSize:3, ajaxParam:{col:1, appid:1, webid:2865, path:'/',
        columnid:1229106823, sourceContentType:1, unitid:4531779, webname:'…', permissiontype:0}})

Later groups are POSTed to `dataproxy.jsp?startrecord=46&endrecord=90&perpage=15`
with the ajaxParam fields as the form body. Sites whose page only has a `nextgroup`
link (`dataproxy.jsp?page=1&appid=…&columnid=…&unitid=…`) are paged by GET with
page=2…totalpage, the count coming from the XML answer's <totalpage>.
"""
from __future__ import annotations

import html
import re
from urllib.parse import urljoin

import scrapy
from scrapy.http import Response

from .base import fragment_entries, param, text_of, to_int, with_param

RECORD = re.compile(r"<record>\s*<!\[CDATA\[(.*?)\]\]>\s*</record>", re.S)
NEXTGROUP = re.compile(r"<nextgroup>\s*<!\[CDATA\[.*?href=[\"']([^\"']+)", re.S)
JPAGE = re.compile(r"\.jpage\s*\(\s*\{(.*?)\}\s*\)", re.S)
AJAX_PARAM = re.compile(r"ajaxParam\s*:\s*\{(.*?)\}", re.S)
JS_PAIR = re.compile(r"(\w+)\s*:\s*(?:'([^']*)'|\"([^\"]*)\"|([\w./-]+))")
TOTAL_PAGE = re.compile(r"<totalpage>\s*(\d+)\s*</totalpage>")
PROXY = "/module/web/jpage/dataproxy.jsp"


def js_object(body: str) -> dict[str, str]:
    """`key:'v', key2:12` pairs of a flat JavaScript object literal."""
    return {m.group(1): next(g for g in m.groups()[1:] if g is not None) for m in JS_PAIR.finditer(body)}


def jpage_call(text: str) -> tuple[dict, dict] | None:
    """(jpage options, ajaxParam form fields) of the page's jpage call."""
    call = JPAGE.search(text)
    if not call:
        return None
    body = call.group(1)
    form = AJAX_PARAM.search(body)
    options = js_object(AJAX_PARAM.sub("", body))
    return options, js_object(form.group(1)) if form else {}


class HanwebAdapter:
    name = "hanweb"

    def detect(self, response: Response) -> bool:
        text = text_of(response)
        return "<datastore>" in text or "jpage/dataproxy.jsp" in text

    def entries(self, response: Response):
        return fragment_entries(RECORD.findall(text_of(response)), response.url)

    def more_pages(self, response: Response):
        text = text_of(response)
        if "dataproxy.jsp" in response.url:
            return self._later_pages(response, text)
        call = jpage_call(text)
        if call and call[1]:
            return self._groups(response, text, *call)
        link = NEXTGROUP.search(text)
        if not link:
            return []
        # page 1 repeats the inlined records: it must not count as a page that brought nothing new
        return [scrapy.Request(urljoin(response.url, html.unescape(link.group(1))),
                               meta={"first_page": True})]

    @staticmethod
    def _groups(response: Response, text: str, options: dict, form: dict):
        """POST requests for every record group after the one inlined in the page."""
        per_page = max(to_int(options.get("perPage"), 15), 1)
        total = to_int(options.get("totalRecord"), 0)
        group = max(len(RECORD.findall(text)), per_page * to_int(options.get("groupSize"), 3))
        proxy = urljoin(response.url, options.get("proxyUrl") or PROXY)
        requests = []
        for start in range(group + 1, total + 1, group):
            url = f"{proxy}?startrecord={start}&endrecord={min(start + group - 1, total)}&perpage={per_page}"
            requests.append(scrapy.FormRequest(url, formdata=form))
        return requests

    @staticmethod
    def _later_pages(response: Response, text: str):
        """A GET answer for page 1 names the page count; ask for the rest."""
        pages = TOTAL_PAGE.search(text)
        if not pages or (response.request is not None and response.request.method == "POST"):
            return []
        if (param(response.url, "page") or "1") != "1":
            return []
        return [scrapy.Request(with_param(response.url, "page", n))
                for n in range(2, int(pages.group(1)) + 1)]
