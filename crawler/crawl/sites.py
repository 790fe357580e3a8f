"""Load and validate the sites file; every problem is one clear line."""
from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import yaml

from .scope import portal_hosts

NAME_RE = re.compile(r"^[a-z0-9_-]+$")
KNOWN_KEYS = {"name", "title", "start_urls", "allowed_hosts", "cms", "region", "level", "alt_urls",
              "scope"}
SCOPES = {"hosts", "domain"}
LEVELS = {"province", "prefecture", "county"}
REGION_PREFIX = re.compile(r"^\d{1,6}$")
# libyaml when PyYAML was built with it: the national file (3,215 sites) loads in a fraction of the time
SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


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
    level: str | None = None        # province, prefecture or county: the government's tier (coverage)
    alt_urls: tuple[str, ...] = ()  # other plausible home pages (registry conflicts); recorded, not crawled
    scope: str = "hosts"            # "domain": also the start hosts' sibling service hosts (crawl/scope.py)
    hosts: frozenset[str] = field(init=False)

    def __post_init__(self):
        own = {urlsplit(u).hostname for u in self.start_urls}
        if self.scope == "domain":
            own = set().union(own, *map(portal_hosts, own))
        object.__setattr__(self, "hosts", frozenset(own | set(self.allowed_hosts)))

    def holds(self, url: str) -> bool:
        """Is `url` on this site's hosts (http or https)? Crawls never leave them."""
        parts = urlsplit(url)
        return parts.scheme in ("http", "https") and parts.hostname in self.hosts


def once_key(site: str, kind: str, *parts) -> str:
    """The name under which a request is made once per crawl (request meta "once"): a site's list
    page (kind "list": method, column address, body) or report (kind "report": its address). One
    process needs no more than the spider's memory; a shared crawl makes it once across workers."""
    return repr((site, kind) + parts)


def load_sites(path: str | Path, only: list[str] | None = None, regions: list[str] | None = None, *,
               families: Collection[str]) -> list[Site]:
    """Read `path`; keep the sites named in `only` or whose `region` starts with one of
    `regions` (all when both are empty).

    `families` are the CMS adapters a site may name as `cms` (spiders/registry.py FAMILIES:
    the caller passes them, since this runtime module does not import the spiders)."""
    path = Path(path)
    try:
        doc = yaml.load(path.read_text(encoding="utf-8"), Loader=SafeLoader)
    except FileNotFoundError:
        raise SitesError(f"{path}: no such sites file") from None
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        where = getattr(exc, "problem_mark", None)
        line = f" line {where.line + 1}" if where else ""
        raise SitesError(f"{path}:{line} not valid YAML ({type(exc).__name__})") from None
    if not isinstance(doc, dict) or not isinstance(doc.get("sites"), list):
        raise SitesError(f"{path}: expected a top-level 'sites:' list")
    sites = [_site(path, i, entry, families) for i, entry in enumerate(doc["sites"], 1)]
    names: set[str] = set()
    for site in sites:
        if site.name in names:
            raise SitesError(f"{path}: site name '{site.name}' is used twice")
        names.add(site.name)
    return select(path, sites, only or [], regions or [])


def select(path: Path, sites: list[Site], only: list[str], regions: list[str]) -> list[Site]:
    """The sites named in `only` plus those whose region starts with a prefix in `regions`
    (`50` 重庆, `5002` its counties); every site when both are empty. A name or a prefix
    that selects nothing is a mistake, not an empty crawl."""
    if not only and not regions:
        return sites
    unknown = sorted(set(only) - {s.name for s in sites})
    if unknown:
        raise SitesError(f"{path}: no site named {', '.join(unknown)}")
    for prefix in regions:
        if not REGION_PREFIX.match(prefix):
            raise SitesError(f"--region expects 1 to 6 digits of a division code, got {prefix!r}")
        if not any(s.region and s.region.startswith(prefix) for s in sites):
            raise SitesError(f"{path}: no site whose region starts with {prefix}")
    return [s for s in sites if s.name in only
            or (s.region and any(s.region.startswith(p) for p in regions))]


def _urls(where: str, key: str, urls, required: bool) -> tuple[str, ...]:
    """A list of http(s) addresses (one string is a list of one)."""
    if isinstance(urls, str):
        urls = [urls]
    if urls is None and not required:
        return ()
    if not isinstance(urls, list) or (required and not urls):
        raise SitesError(f"{where}: '{key}' must be a {'non-empty ' if required else ''}list of URLs")
    for url in urls:
        parts = urlsplit(str(url))
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise SitesError(f"{where}: {'start URL' if key == 'start_urls' else key} {url!r} "
                             "is not an http(s) URL")
    return tuple(map(str, urls))


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
    urls = _urls(where, "start_urls", entry.get("start_urls"), required=True)
    alt_urls = _urls(where, "alt_urls", entry.get("alt_urls"), required=False)
    cms = entry.get("cms")
    if cms is not None and cms not in families:
        raise SitesError(f"{where}: unknown cms {cms!r} (one of {', '.join(families)})")
    region = entry.get("region")
    if region is not None and not re.fullmatch(r"\d{6}", str(region)):
        raise SitesError(f"{where}: 'region' must be a 6-digit division code")
    level = entry.get("level")
    if level is not None and level not in LEVELS:
        raise SitesError(f"{where}: 'level' must be one of {', '.join(sorted(LEVELS))}")
    scope = entry.get("scope", "hosts")
    if scope not in SCOPES:
        raise SitesError(f"{where}: 'scope' must be hosts or domain")
    hosts = entry.get("allowed_hosts") or []
    if not isinstance(hosts, list) or not all(isinstance(h, str) for h in hosts):
        raise SitesError(f"{where}: 'allowed_hosts' must be a list of host names")
    title = entry.get("title")
    return Site(name=name, start_urls=urls, title=str(title) if title else None,
                allowed_hosts=tuple(hosts), cms=cms, region=str(region) if region else None,
                level=level, alt_urls=alt_urls, scope=scope)


def write_checked(path: str | Path, out: str | Path, portals: list[dict]) -> int:
    """Write the sites file at `path` to `out` with what `portals` learnt: a site whose home page
    did not answer but whose alternative address did starts there (the old address becomes its
    alternative). Returns the number of sites changed. Comments are not kept (PyYAML)."""
    doc = yaml.load(Path(path).read_text(encoding="utf-8"), Loader=SafeLoader)
    moved = {r["site"]: r["url"] for r in portals if r["outcome"] == "answers" and r["used_alt"]}
    changed = 0
    for entry in doc["sites"]:
        new = moved.get(entry.get("name"))
        if not new:
            continue
        starts = [entry["start_urls"]] if isinstance(entry["start_urls"], str) else list(entry["start_urls"])
        alts = [u for u in entry.get("alt_urls") or [] if u != new]
        entry["start_urls"] = [new] + starts[1:]
        entry["alt_urls"] = [starts[0]] + alts
        changed += 1
    Path(out).write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False, width=120), encoding="utf-8")
    return changed
