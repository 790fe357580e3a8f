"""Every CMS family adapter, in the order detection tries them: the one registry.

Order is priority. A family whose list pages carry an unmistakable marker comes before
one recognised by looser signs, because several can match one page (a gkmlpt or Hanweb
page is also TRS-like HTML, and every HTML page would do for the generic adapter):

1. gkmlpt   — 广东 政务公开目录 (gkmlpt/…, a JSON API behind the page)
2. hanweb   — 大汉 jcms (datastore CDATA, dataproxy.jsp)
3. jiyue    — 福建 集约化 (list2.trsapi / fjdzapp search JSON)
4. trs      — TRS WCM static columns (createPageHTML, countPage, index_N.html)
5. listjsp  — list.jsp?…&page=N servers that repeat the last page
6. jsonlist — shells the page's script fills from a JSON list service ($.ajax with a page number)
7. generic  — any HTML list: the catch-all, never tried by detection, used when nothing else matches

A site may force a family with `cms:` in the sites file; crawler/crawl/sites.py validates
that name against FAMILIES. To add a family, see "Adding a CMS family" in the README.
"""
from __future__ import annotations

from .generic import GenericAdapter
from .gkmlpt import GkmlptAdapter
from .hanweb import HanwebAdapter
from .jiyue import JiyueAdapter
from .jsonlist import JsonListAdapter
from .listjsp import ListJspAdapter
from .trs import TrsAdapter

GENERIC = GenericAdapter()
DETECTED = (GkmlptAdapter(), HanwebAdapter(), JiyueAdapter(), TrsAdapter(), ListJspAdapter(), JsonListAdapter())
ADAPTERS = {a.name: a for a in (*DETECTED, GENERIC)}
FAMILIES = tuple(ADAPTERS)
"""The names a sites file may give as `cms`, in priority order."""


def adapter_named(name: str):
    return ADAPTERS[name]


def adapter_for(response):
    """The first family, in priority order, that recognises this list page; else the generic one."""
    return next((a for a in DETECTED if a.detect(response)), GENERIC)
