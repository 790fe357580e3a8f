"""`make demo`: serve the bundled fixture portals on loopback, crawl them, publish the archive.

The demo portals are the test suite's fixture portals (tests/fixtures/portals/), built
from real report texts and real portal markup of several CMS families. Each listens on
its own loopback address with a fixed port, so addresses stay the same from one demo
run to the next and a second `make demo` is an incremental re-crawl.
"""
from __future__ import annotations

import errno
import json
import os
import socket
import tempfile
from contextlib import ExitStack
from pathlib import Path

from crawler import run
from crawler.devtools.fixture_server import FixtureServer

PORTALS = Path(__file__).resolve().parents[2] / "tests" / "fixtures" / "portals"
DEMO_PORT = 18080
PUBLISH_HOST = "127.0.0.1"


class DemoError(Exception):
    """A one-line reason the demo cannot run, naming the address concerned."""


def _bind_error(what: str, host: str, port: int, exc: OSError) -> DemoError:
    """socket.create_server's message repeats the address; the errno's own words suffice."""
    reason = os.strerror(exc.errno) if exc.errno else str(exc)
    return DemoError(f"cannot {what} on {host}:{port} ({reason})")


def portal_dirs() -> list[Path]:
    return sorted(p.parent for p in PORTALS.glob("*/routes.json"))


def start_portals(stack: ExitStack) -> list[FixtureServer]:
    """One server per portal on 127.0.0.10, .11, …; stopped when `stack` closes."""
    servers = []
    for i, directory in enumerate(portal_dirs()):
        host = f"127.0.0.{10 + i}"
        try:
            server = FixtureServer(directory, host=host, port=DEMO_PORT).start()
        except OSError as exc:
            raise _bind_error(f"start the demo portal {directory.name}", host, DEMO_PORT, exc) from None
        stack.callback(server.stop)
        servers.append(server)
    return servers


def sites_yaml(servers: list[FixtureServer]) -> str:
    """A sites file naming every demo portal's start page (JSON is valid YAML)."""
    return json.dumps({"sites": [
        {"name": f"demo-{s.site['name']}", "title": s.site.get("title"),
         "start_urls": [s.url(s.site["start"])]} for s in servers]}, ensure_ascii=False, indent=1)


def check_free(host: str, port: int) -> None:
    """Fail before the crawl, not after it, when the publishing address is taken.  The probe
    is closed at once (create_server sets SO_REUSEADDR), and serve() binds for real later."""
    try:
        socket.create_server((host, port)).close()
    except OSError as exc:
        raise _bind_error("serve", host, port, exc) from None


def demo(db: str, port: int, serve: bool = True) -> int:
    """Crawl the demo portals into `db`, then publish it on 127.0.0.1:`port` unless `serve`
    is false, in which case no publishing port is touched at all."""
    if serve:
        check_free(PUBLISH_HOST, port)
    with ExitStack() as stack:
        servers = start_portals(stack)
        sites_file = Path(stack.enter_context(tempfile.TemporaryDirectory())) / "sites.yaml"
        sites_file.write_text(sites_yaml(servers), encoding="utf-8")
        # flushed: the crawl takes a while, and a reader (`| head -1`) may want just this line
        print(f"serving {len(servers)} demo portals on 127.0.0.10–{9 + len(servers)}:{DEMO_PORT}", flush=True)
        with run.lock(db):   # the lock first, as for `crawl`
            result = run.crawl(run.load_sites(sites_file), db)
        print(run.summary(result), flush=True)
        if serve:
            publish(db, port)
    return 0


def publish(db: str, port: int) -> None:
    """Serve the archive; a publishing address taken since check_free() is still one line."""
    from crawler.publish.serve import serve
    try:
        serve(db, PUBLISH_HOST, port)
    except OSError as exc:
        if exc.errno in (errno.EADDRINUSE, errno.EADDRNOTAVAIL, errno.EACCES):
            raise _bind_error("serve", PUBLISH_HOST, port, exc) from None
        raise
