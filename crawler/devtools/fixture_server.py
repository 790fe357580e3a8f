"""A loopback web server for fixture portals, used by the tests and by `make demo`.

A portal is a directory with a `routes.json` that maps request paths (with their
query string, and for POST the form fields that must be present) to fixture files
and response headers. The file's bytes are sent unchanged — a GBK page stays GBK,
and a server that names its charset only in a meta tag sends no charset header.

Like a real CMS front end it answers conditional requests (ETag / Last-Modified →
304), keeps a request log and counts the body bytes it sent, and a test may revise
a page in place or make it disappear (404) to exercise versioning. `on_request`, when
set, is called with each request's log entry before the answer is sent (a test kills
its crawl at the N-th request there).

routes.json:

    {"site": {"name": "trs", "title": "…", "start": "/zwgk/fzzfjsndbg/index.html"},
     "routes": [
       {"path": "/robots.txt", "file": "robots.txt", "content_type": "text/plain"},
       {"path": "/zwgk/fzzfjsndbg/index.html", "file": "list/index.html"},
       {"path": "/gbk/t1.html", "file": "t1.html", "content_type": "text/html"},
       {"path": "/module/web/jpage/dataproxy.jsp?startrecord=16&endrecord=30&perpage=15",
        "method": "POST", "form": {"columnid": "1229106823"}, "file": "proxy_2.xml",
        "content_type": "text/xml;charset=UTF-8"},
       {"path": "/gone.html", "status": 404},
       {"path": "/only-lm.html", "file": "x.html", "validators": "last-modified"}]}

`file` is relative to the portal directory (`../../pages/x.html` reuses a shared
page). `content_type` defaults to `text/html; charset=utf-8`; `status` to 200;
`validators` ("both", "etag", "last-modified", "none") to "both"; `headers` adds
raw response headers.
"""
from __future__ import annotations

import email.utils
import hashlib
import http.client
import json
import selectors
import socket
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qsl, unquote, urlsplit

DEFAULT_CONTENT_TYPE = "text/html; charset=utf-8"
NOT_FOUND = b"<html><head><title>404 Not Found</title></head><body><h1>404 Not Found</h1></body></html>"


def route_key(target: str) -> tuple[str, tuple]:
    """Path (percent-decoded) and query pairs (order-insensitive), as servers compare them."""
    parts = urlsplit(target)
    return unquote(parts.path), tuple(sorted(parse_qsl(parts.query, keep_blank_values=True)))


@dataclass
class Route:
    path: str
    file: Path | None = None
    data: bytes | None = None
    status: int = 200
    method: str = "GET"
    form: dict = field(default_factory=dict)
    content_type: str = DEFAULT_CONTENT_TYPE
    validators: str = "both"
    headers: dict = field(default_factory=dict)
    modified: float = 0.0

    def body(self) -> bytes:
        if self.data is not None:
            return self.data
        return self.file.read_bytes() if self.file else b""

    def accepts(self, method: str, form: dict) -> bool:
        return self.method == method and all(form.get(k) == str(v) for k, v in self.form.items())


class FixtureServer(ThreadingHTTPServer):
    """One portal on one loopback address; thread-safe counters and a request log."""

    request_queue_size = 1024   # the stock backlog of 5 stalls concurrent crawls (SYN retries)
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, directory: str | Path, host: str = "127.0.0.1", port: int = 0):
        self.directory = Path(directory)
        spec = json.loads((self.directory / "routes.json").read_text(encoding="utf-8"))
        self.site = spec.get("site", {})
        started = time.time() - 86400   # "published yesterday": an IMS of now always matches
        self.routes: dict[tuple, list[Route]] = {}
        for raw in spec["routes"]:
            route = Route(
                path=raw["path"], status=raw.get("status", 200), method=raw.get("method", "GET"),
                file=self.directory / raw["file"] if raw.get("file") else None,
                form=raw.get("form", {}), content_type=raw.get("content_type", DEFAULT_CONTENT_TYPE),
                validators=raw.get("validators", "both"), headers=raw.get("headers", {}),
                modified=started)
            self.routes.setdefault(route_key(route.path), []).append(route)
        self.bytes_sent = 0
        self.latency = 0.0   # seconds each answer takes, so that concurrent requests overlap visibly
        self.log: list[dict] = []
        self.lock = threading.Lock()
        self.thread: threading.Thread | None = None
        # called with each request's log entry before it is answered (a test kills its crawl here)
        self.on_request = None
        super().__init__((host, port), _Handler)

    # -- the test's levers ----------------------------------------------------------------
    @property
    def base_url(self) -> str:
        host, port = self.server_address[:2]
        return f"http://{host}:{port}"

    def url(self, path: str) -> str:
        return self.base_url + path

    def revise(self, path: str, data: bytes | None = None, file: str | Path | None = None) -> None:
        """Serve new bytes (or another fixture file) at `path` from now on: new ETag, later Last-Modified."""
        if (data is None) == (file is None):
            raise ValueError("revise() takes data or file")
        with self.lock:
            for route in self._routes_at(path):
                route.data = data if data is not None else (self.directory / file).read_bytes()
                route.status = 200
                route.modified = max(time.time(), route.modified + 1)

    def add(self, path: str, data: bytes = b"", content_type: str = DEFAULT_CONTENT_TYPE,
            status: int = 200, headers: dict | None = None) -> None:
        """A page that appears on the site from now on (a redirect: status 302 and a Location
        header; a compressed body: its Content-Encoding header)."""
        with self.lock:
            self.routes.setdefault(route_key(path), []).insert(0, Route(
                path=path, data=data, content_type=content_type, status=status,
                headers=dict(headers or {}), modified=time.time()))

    def remove(self, path: str) -> None:
        """`path` answers 404 from now on."""
        with self.lock:
            for route in self._routes_at(path):
                route.status = 404

    def ask(self, path: str, method: str = "GET", body: bytes | None = None,
            headers: dict | None = None, timeout: float = 10) -> tuple[int, dict, bytes]:
        """(status, headers, body) of one request to this server, straight, without a crawler: how
        tests and round checks read what the portal sends. A body is sent as a form."""
        host, port = self.server_address[:2]
        headers = dict(headers or {})
        if body is not None:
            headers.setdefault("Content-Type", "application/x-www-form-urlencoded")
        conn = http.client.HTTPConnection(host, port, timeout=timeout)
        try:
            conn.request(method, path, body=body, headers=headers)
            answer = conn.getresponse()
            return answer.status, dict(answer.getheaders()), answer.read()
        finally:
            conn.close()

    def requested(self, path_prefix: str = "") -> list[dict]:
        """The request log (method, path, status, headers), optionally under a path prefix."""
        with self.lock:
            return [r for r in self.log if r["path"].startswith(path_prefix)]

    def _routes_at(self, path: str) -> list[Route]:
        routes = self.routes.get(route_key(path))
        if not routes:
            raise KeyError(f"no route {path!r} in {self.directory}")
        return routes

    # -- lifecycle ------------------------------------------------------------------------
    def start(self) -> FixtureServer:
        self._wake, self._waker = socket.socketpair()
        self.thread = threading.Thread(target=self._serve, name=f"portal {self.base_url}", daemon=True)
        self.thread.start()
        return self

    def _serve(self) -> None:
        """Answer connections until stop() writes to the wake socket. socketserver's serve_forever
        wakes every poll_interval to look for a shutdown request: 200 portals polling at 50 ms were
        ~0.1 of a core doing nothing, taken from the crawl a bench measures on the same cores, and a
        stop waited up to a poll. Here the thread sleeps in select until a client or stop() calls."""
        with selectors.DefaultSelector() as selector:
            selector.register(self, selectors.EVENT_READ)
            selector.register(self._wake, selectors.EVENT_READ)
            while True:
                ready = selector.select()
                if any(key.fileobj is self._wake for key, _ in ready):
                    return
                self._handle_request_noblock()

    def stop(self) -> None:
        if self.thread:
            self._waker.send(b"\0")
            self.thread.join(timeout=5)
            self._wake.close()
            self._waker.close()
        self.server_close()

    # -- answering ------------------------------------------------------------------------
    def answer(self, method: str, target: str, form: dict, headers) -> tuple[int, dict, bytes]:
        """Status, headers and body for one request; 304 when the client's copy is current."""
        with self.lock:
            route = next((r for r in self.routes.get(route_key(target), []) if r.accepts(method, form)),
                         None)
            if route is None or route.status == 404:
                return 404, {"Content-Type": "text/html; charset=utf-8"}, NOT_FOUND
            body, status, modified = route.body(), route.status, route.modified
            out = {"Content-Type": route.content_type, **route.headers}
            validators = route.validators
        if status != 200:
            return status, out, body
        etag = f'"{hashlib.sha1(body).hexdigest()[:16]}"'
        last_modified = email.utils.formatdate(modified, usegmt=True)
        if validators in ("both", "etag"):
            out["ETag"] = etag
        if validators in ("both", "last-modified"):
            out["Last-Modified"] = last_modified
        if _not_modified(headers, etag if "ETag" in out else None,
                         modified if "Last-Modified" in out else None):
            return 304, {k: v for k, v in out.items() if k != "Content-Type"}, b""
        return 200, out, body


def _not_modified(headers, etag: str | None, modified: float | None) -> bool:
    """RFC 9110: If-None-Match wins over If-Modified-Since."""
    inm = headers.get("If-None-Match")
    if inm is not None:
        return etag is not None and (inm.strip() == "*" or etag in [t.strip() for t in inm.split(",")])
    ims = headers.get("If-Modified-Since")
    if ims is None or modified is None:
        return False
    try:
        since = email.utils.parsedate_to_datetime(ims).timestamp()
    except (TypeError, ValueError):
        return False
    return int(modified) <= since


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: FixtureServer

    def do_GET(self):
        self._serve("GET", {})

    def do_HEAD(self):
        self._serve("HEAD", {})

    def do_POST(self):
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length).decode("utf-8", "replace") if length else ""
        self._serve("POST", dict(parse_qsl(raw, keep_blank_values=True)))

    def _serve(self, method: str, form: dict) -> None:
        started = time.monotonic()
        if self.server.latency:
            time.sleep(self.server.latency)
        status, headers, body = self.server.answer(
            "GET" if method == "HEAD" else method, self.path, form, self.headers)
        sent = body if method != "HEAD" else b""
        entry = {"method": method, "path": self.path, "status": status, "at": time.time(), "form": form,
                 "headers": dict(self.headers.items()), "started": started}
        with self.server.lock:   # logged before answering: a client that has the answer finds it logged
            self.server.bytes_sent += len(sent)
            self.server.log.append(entry)
        if self.server.on_request:
            self.server.on_request(entry)
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if sent:
            self.wfile.write(sent)
        self.wfile.flush()
        entry["ended"] = time.monotonic()   # the request was being answered from started to ended

    def log_message(self, format, *args):  # quiet: the request log is the record
        pass


@contextmanager
def serve_portal(directory: str | Path, host: str = "127.0.0.1", port: int = 0):
    """Serve one portal for the duration of a `with` block: yields (server, base_url)."""
    server = FixtureServer(directory, host, port).start()
    try:
        yield server, server.base_url
    finally:
        server.stop()
