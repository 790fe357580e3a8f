"""Load and validate the sites file; every problem is one clear line."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from collections.abc import Collection
from pathlib import Path
from urllib.parse import urlsplit

import yaml

NAME_RE = re.compile(r"^[a-z0-9_-]+$")
KNOWN_KEYS = {"name", "title", "start_urls", "allowed_hosts", "cms", "region"}


class SitesError(ValueError):
    """A sites file that cannot be used; str() is the one-line reason."""


@dataclass(frozen=True)
class Site:
    name: str
    start_urls: tuple[str, ...]
    title: str | None = None
    allowed_hosts: tuple[str, ...] = ()
    cms: str | None = None          # force an adapter; detected from the pages when absent
    region: str | None = None       # 6-digit division code, breaks ties between same-named places
    hosts: frozenset[str] = field(init=False)

    def __post_init__(self):
        own = {urlsplit(u).hostname for u in self.start_urls}
        object.__setattr__(self, "hosts", frozenset(own | set(self.allowed_hosts)))

    def holds(self, url: str) -> bool:
        """Is `url` on this site's hosts (http or https)? Crawls never leave them."""
        parts = urlsplit(url)
        return parts.scheme in ("http", "https") and parts.hostname in self.hosts


def load_sites(path: str | Path, only: list[str] | None = None, *, families: Collection[str]) -> list[Site]:
    """Read `path`; keep the sites named in `only` (all when empty).

    `families` are the CMS adapters a site may name as `cms` (spiders/registry.py FAMILIES:
    the caller passes them, since this runtime module does not import the spiders)."""
    path = Path(path)
    try:
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise SitesError(f"{path}: no such sites file") from None
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        where = getattr(exc, "problem_mark", None)
        line = f" line {where.line + 1}" if where else ""
        raise SitesError(f"{path}:{line} not valid YAML ({type(exc).__name__})") from None
    if not isinstance(doc, dict) or not isinstance(doc.get("sites"), list):
        raise SitesError(f"{path}: expected a top-level 'sites:' list")
    sites = [_site(path, i, entry, families) for i, entry in enumerate(doc["sites"], 1)]
    names = [s.name for s in sites]
    dup = next((n for n in names if names.count(n) > 1), None)
    if dup:
        raise SitesError(f"{path}: site name '{dup}' is used twice")
    if only:
        unknown = sorted(set(only) - set(names))
        if unknown:
            raise SitesError(f"{path}: no site named {', '.join(unknown)}")
        sites = [s for s in sites if s.name in only]
    return sites


def _site(path: Path, i: int, entry, families: Collection[str]) -> Site:
    where = f"{path}: site #{i}"
    if not isinstance(entry, dict):
        raise SitesError(f"{where}: expected a mapping with name and start_urls")
    extra = set(entry) - KNOWN_KEYS
    if extra:
        raise SitesError(f"{where}: unknown key(s) {', '.join(sorted(map(str, extra)))}")
    name = entry.get("name")
    if not isinstance(name, str) or not NAME_RE.match(name):
        raise SitesError(f"{where}: 'name' must be a slug of a-z 0-9 _ - (got {name!r})")
    where = f"{path}: site '{name}'"
    urls = entry.get("start_urls")
    if isinstance(urls, str):
        urls = [urls]
    if not isinstance(urls, list) or not urls:
        raise SitesError(f"{where}: 'start_urls' must be a non-empty list of URLs")
    for url in urls:
        parts = urlsplit(str(url))
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise SitesError(f"{where}: start URL {url!r} is not an http(s) URL")
    cms = entry.get("cms")
    if cms is not None and cms not in families:
        raise SitesError(f"{where}: unknown cms {cms!r} (one of {', '.join(families)})")
    region = entry.get("region")
    if region is not None and not re.fullmatch(r"\d{6}", str(region)):
        raise SitesError(f"{where}: 'region' must be a 6-digit division code")
    hosts = entry.get("allowed_hosts") or []
    if not isinstance(hosts, list) or not all(isinstance(h, str) for h in hosts):
        raise SitesError(f"{where}: 'allowed_hosts' must be a list of host names")
    title = entry.get("title")
    return Site(name=name, start_urls=tuple(map(str, urls)), title=str(title) if title else None,
                allowed_hosts=tuple(hosts), cms=cms, region=str(region) if region else None)
