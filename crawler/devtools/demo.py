"""`make demo`: serve the bundled fixture portals on loopback, crawl them, publish the archive.

The demo portals are the test suite's fixture portals (tests/fixtures/portals/), built
from real report texts and real portal markup of several CMS families. Each listens on
its own loopback address with a fixed port, so addresses stay the same from one demo
run to the next and a second `make demo` is an incremental re-crawl.
"""
from __future__ import annotations

import json
import tempfile
from contextlib import ExitStack
from pathlib import Path

from crawler import run
from crawler.devtools.fixture_server import FixtureServer

PORTALS = Path(__file__).resolve().parents[2] / "tests" / "fixtures" / "portals"
DEMO_PORT = 18080


def portal_dirs() -> list[Path]:
    return sorted(p.parent for p in PORTALS.glob("*/routes.json"))


def start_portals(stack: ExitStack) -> list[FixtureServer]:
    """One server per portal on 127.0.0.10, .11, …; stopped when `stack` closes."""
    servers = []
    for i, directory in enumerate(portal_dirs()):
        server = FixtureServer(directory, host=f"127.0.0.{10 + i}", port=DEMO_PORT).start()
        stack.callback(server.stop)
        servers.append(server)
    return servers


def sites_yaml(servers: list[FixtureServer]) -> str:
    """A sites file naming every demo portal's start page (JSON is valid YAML)."""
    return json.dumps({"sites": [
        {"name": f"demo-{s.site['name']}", "title": s.site.get("title"),
         "start_urls": [s.url(s.site["start"])]} for s in servers]}, ensure_ascii=False, indent=1)


def demo(db: str, port: int, serve: bool = True) -> int:
    with ExitStack() as stack:
        servers = start_portals(stack)
        sites_file = Path(stack.enter_context(tempfile.TemporaryDirectory())) / "sites.yaml"
        sites_file.write_text(sites_yaml(servers), encoding="utf-8")
        print(f"serving {len(servers)} demo portals on 127.0.0.10–{9 + len(servers)}:{DEMO_PORT}")
        with run.lock(db):
            result = run.crawl(run.load_sites(sites_file), db)
        print(run.summary(result))
        if serve:
            from crawler.publish.serve import serve as publish
            publish(db, "127.0.0.1", port)
    return 0
