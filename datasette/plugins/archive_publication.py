"""The published database as a live publication: "data as of" on every page, validators and
cache headers tied to the publication, and `/archive.db` as a consistent snapshot.

`serve` opens the published file as a mutable, read-only database (the crawl updates it in
place, in one transaction), so Datasette's own download — immutable databases only — is
replaced by a route that streams a single-file copy made with `VACUUM INTO` once per
publication.  The `publication` table (crawler/store/publish.py) says which generation is
served; every GET answered 200 carries `ETag` (generation + server start) and
`Last-Modified` (publish time), and a request whose `If-None-Match` / `If-Modified-Since`
still holds is answered 304 without running a query — repeats cost a reverse proxy or CDN
nothing, and cost us a header comparison.
"""
from __future__ import annotations

import asyncio
import atexit
import os
import secrets
import shutil
import sqlite3
import tempfile
import time
from datetime import datetime
from email.utils import format_datetime, parsedate_to_datetime

from datasette import hookimpl
from datasette.utils.asgi import AsgiFileDownload, NotFound

STATE = "publication"
TTL = 1.0  # seconds a read of the publication row is reused: a new one shows within this
# a restart (new code, new templates) changes every ETag; serve's processes share theirs
# (plugin config "boot"), so a validator from one is valid at the others
BOOT = secrets.token_hex(4)
DEFAULT_MAX_AGE = 30
_cache: dict[int, tuple[float, dict | None]] = {}
_downloads: dict[int, dict] = {}


def _config(datasette) -> dict:
    return datasette.plugin_config("archive") or {}


def _database(datasette):
    """The served database with a publication row, if any (a plain archive has none)."""
    for name, db in datasette.databases.items():
        if name != "_internal" and not db.is_memory:
            return db
    return None


async def publication(datasette) -> dict | None:
    """The served generation, its publish time and "data as of", read at most once per TTL."""
    at, value = _cache.get(id(datasette), (0.0, None))
    if time.monotonic() - at < TTL:
        return value
    db = _database(datasette)
    value = None
    if db is not None:
        try:
            rows = (await db.execute(f"SELECT generation, published_at, data_as_of FROM {STATE} "
                                     "WHERE id = 1")).rows
            value = dict(rows[0]) if rows else None
        except Exception:  # noqa: BLE001 - no publication table: a plain archive, no validators
            value = None
    if value:
        published = datetime.fromisoformat(value["published_at"])
        value["etag"] = f'W/"{value["generation"]}-{_config(datasette).get("boot") or BOOT}"'
        value["last_modified"] = format_datetime(published, usegmt=True)
        value["published"] = published.replace(microsecond=0)
    _cache[id(datasette)] = (time.monotonic(), value)
    return value


def shown(stamp: str | None) -> str | None:
    """2026-04-02T03:04:05+00:00 → 2026-04-02 03:04 UTC."""
    if not stamp:
        return None
    try:
        return datetime.fromisoformat(stamp).strftime("%Y-%m-%d %H:%M UTC")
    except ValueError:
        return stamp


@hookimpl
def extra_template_vars(datasette):
    async def inner():
        state = await publication(datasette)
        return {"data_as_of": shown(state and state["data_as_of"]),
                "published_at": shown(state and state["published_at"])}
    return inner


def _still_fresh(headers: dict[bytes, bytes], state: dict) -> bool:
    """Does the client's copy still match the served publication?"""
    tags = headers.get(b"if-none-match")
    if tags is not None:
        tags = [t.strip() for t in tags.decode("latin-1").split(",")]
        return "*" in tags or state["etag"] in tags or state["etag"][2:] in tags
    since = headers.get(b"if-modified-since")
    if since is not None:
        try:
            return parsedate_to_datetime(since.decode("latin-1")) >= state["published"]
        except (TypeError, ValueError):
            return False
    return False


def _live_page(path: str) -> bool:
    """Datasette's own /-/ pages (threads, actor, static files …) do not follow the data;
    of those, only the charts and the raw snapshots are published content."""
    return path.startswith("/-/") and not path.startswith(("/-/charts", "/-/snapshot/"))


@hookimpl
def asgi_wrapper(datasette):
    def wrap(app):
        async def wrapped(scope, receive, send):
            if scope["type"] != "http" or scope.get("method") not in ("GET", "HEAD") \
                    or _live_page(scope.get("path", "")):
                return await app(scope, receive, send)
            state = await publication(datasette)
            if not state:
                return await app(scope, receive, send)
            max_age = _config(datasette).get("max_age", DEFAULT_MAX_AGE)
            validators = [(b"etag", state["etag"].encode()),
                          (b"last-modified", state["last_modified"].encode()),
                          (b"cache-control", f"public, max-age={max_age}".encode())]
            if _still_fresh(dict(scope.get("headers", [])), state):
                await send({"type": "http.response.start", "status": 304, "headers": validators})
                await send({"type": "http.response.body", "body": b""})
                return
            cache = _response_cache(datasette)
            key = cache.key(scope, state["generation"]) if cache else None
            if cache and cache.rewarm:
                addresses, cache.rewarm = cache.rewarm, []
                _background.add(asyncio.ensure_future(_rewarm(datasette, addresses)))
            hit = cache.get(key) if key else None
            if hit is None and key is not None and key in cache.rendering:
                # the same page is being rendered for another reader: wait for its bytes
                # rather than render it again (a crowd on a cold page, right after a publish)
                hit = await asyncio.shield(cache.rendering[key])
            if hit:
                await send({"type": "http.response.start", "status": 200, "headers": hit[0]})
                await send({"type": "http.response.body", "body": hit[1]})
                return
            rendering = None
            if key is not None and key not in cache.rendering:
                rendering = cache.rendering[key] = asyncio.get_running_loop().create_future()
            if key is not None:
                cache.renders += 1
            started: dict = {}
            chunks: list[bytes] = []

            def with_validators(event):
                if event["type"] == "http.response.start" and event.get("status") == 200:
                    headers = event.get("headers", [])
                    present = {name.lower() for name, _ in headers}
                    if b"set-cookie" not in present:  # a personal answer is not for a cache
                        # Datasette's own "max-age=N" gives way; a route's own policy
                        # (the content-addressed snapshot's "immutable") stays
                        headers = [(n, v) for n, v in headers if n.lower() != b"cache-control"
                                   or not v.startswith(b"max-age=")]
                        present = {name.lower() for name, _ in headers}
                        event = dict(event, headers=[*headers, *[
                            h for h in validators if h[0] not in present]])
                return event

            async def add_validators(event):
                event = with_validators(event)
                await send(event)
                if key is None:
                    return
                if event["type"] == "http.response.start":
                    started.update(event, size=0)
                elif event["type"] == "http.response.body" and started.get("status") == 200:
                    started["size"] += len(event.get("body", b""))
                    if started["size"] <= cache.max_entry:
                        chunks.append(event.get("body", b""))
                        if not event.get("more_body"):
                            cache.put(key, started.get("headers", []), b"".join(chunks))
                    else:
                        chunks.clear()
            try:
                await app(scope, receive, add_validators)
            finally:
                if rendering is not None:  # its waiters get the page, or render it themselves
                    del cache.rendering[key]
                    rendering.set_result(cache.entries.get(key))
        return wrapped
    return wrap


# -- a response cache: the caching proxy built in -----------------------------------------
class ResponseCache:
    """Whole 200 responses of GET requests, keyed by publication generation and address.

    A page depends only on the published data (which changes only at a publish) and on its
    address, so a repeat within one generation is the same bytes: served from memory it costs
    a dictionary lookup instead of queries and a template.  Least recently used entries go
    first; a response that sets a cookie, is large or streams (CSV `_stream`, downloads)
    is never kept."""

    REWARM = 64  # most requested pages re-rendered right after a publish

    def __init__(self, max_bytes: int, max_entry: int = 2 * 2**20):
        from collections import Counter, OrderedDict
        self.max_bytes, self.max_entry, self.size = max_bytes, max_entry, 0
        self.entries: OrderedDict = OrderedDict()
        self.hits: Counter = Counter()  # requests per address in this generation
        self.generation = None
        self.rewarm: list[tuple[str, bytes]] = []  # addresses to render again, most wanted first
        self.rendering: dict = {}  # key → future of its entry, while one request renders it
        self.renders = 0  # pages rendered for the cache (not answered from it), for measuring

    def key(self, scope, generation):
        path = scope.get("path", "")
        if scope.get("method") != "GET" or path.endswith((".db", ".csv")) \
                or path.startswith("/-/snapshot") or b"_stream" in scope.get("query_string", b""):
            return None
        if generation != self.generation:  # a new publication: nothing old is worth keeping
            if self.generation is not None:
                self.rewarm = [address for address, _ in self.hits.most_common(self.REWARM)]
            self.entries.clear()
            self.hits.clear()
            self.size, self.generation = 0, generation
        return (generation, path, scope.get("query_string", b""))

    def get(self, key):
        self.hits[key[1:]] += 1
        entry = self.entries.get(key)
        if entry is not None:
            self.entries.move_to_end(key)
        return entry

    def put(self, key, headers, body: bytes) -> None:
        if key[0] != self.generation or len(body) > self.max_entry or any(
                name.lower() == b"set-cookie" for name, _ in headers):
            return
        old = self.entries.pop(key, None)
        self.size -= len(old[1]) if old else 0
        self.entries[key] = (list(headers), body)
        self.size += len(body)
        while self.size > self.max_bytes and self.entries:
            _, (_, dropped) = self.entries.popitem(last=False)
            self.size -= len(dropped)


_caches: dict[int, ResponseCache | None] = {}
_background: set = set()  # running re-render tasks (a reference, so they are not collected)


async def _rewarm(datasette, addresses) -> None:
    """Render the previous publication's most requested pages again, one at a time, so that
    a publish costs their first readers nothing (refresh-ahead)."""
    try:
        for path, query in addresses:
            await datasette.client.get(path + (f"?{query.decode('latin-1')}" if query else ""))
    except Exception as exc:  # noqa: BLE001 - a warm-up may fail; readers then render it
        import logging
        logging.getLogger("archive.errors").warning("re-render after publish stopped: %s", exc)
    finally:
        _background.difference_update({t for t in _background if t.done()})


def _response_cache(datasette) -> ResponseCache | None:
    if id(datasette) not in _caches:
        megabytes = _config(datasette).get("response_cache_mb", 64)
        _caches[id(datasette)] = ResponseCache(int(megabytes * 2**20)) if megabytes else None
    return _caches[id(datasette)]


# -- /archive.db ---------------------------------------------------------------------------
def _vacuum_into(source: str, target: str) -> None:
    """A compact single-file copy of one consistent read snapshot of `source`."""
    conn = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    try:
        conn.execute("VACUUM INTO ?", [target])
    finally:
        conn.close()
    copy = sqlite3.connect(target)
    try:
        copy.execute("PRAGMA journal_mode=DELETE")  # one file, whatever the published one uses
    finally:
        copy.close()


async def _download_file(datasette, db, generation: int) -> str:
    """The snapshot file of `generation`, made on the first download after a publish."""
    slot = _downloads.setdefault(id(datasette), {"lock": asyncio.Lock(), "files": {}})
    async with slot["lock"]:
        if generation in slot["files"]:
            return slot["files"][generation]
        if "dir" not in slot:
            slot["dir"] = tempfile.mkdtemp(prefix="archive-download-")
            atexit.register(shutil.rmtree, slot["dir"], True)
        target = os.path.join(slot["dir"], f"archive-{generation}.db")
        if os.path.exists(target):
            os.unlink(target)
        await asyncio.get_running_loop().run_in_executor(None, _vacuum_into, str(db.path), target)
        # keep the previous one (a download may still be streaming it), drop older ones
        for old in sorted(g for g in slot["files"] if g < generation)[:-1]:
            try:
                os.unlink(slot["files"].pop(old))
            except OSError:
                pass
        slot["files"][generation] = target
        return target


async def download(request, datasette):
    db = _database(datasette)
    if db is None or request.url_vars["database"] != db.name:
        raise NotFound("Database not found")
    if not db.is_mutable:  # an immutable file is consistent as it is
        path = str(db.path)
    else:
        state = await publication(datasette)
        path = await _download_file(datasette, db, state["generation"] if state else 0)
    return AsgiFileDownload(path, filename=f"{db.name}.db",
                            content_type="application/octet-stream")


@hookimpl
def register_routes():
    # before Datasette's own /<database>.db, which refuses mutable databases
    return [(r"^/(?P<database>[^/.]+)\.db$", download)]
