"""`make cluster`: a shared crawl on one machine — a redis-server of its own on loopback, the
demo portals, one writer (`crawl --redis`) and two workers (`worker --redis`), each its own
process, as they would run on several machines.

    python -m crawler.devtools.cluster [--db archive.db] [--workers 2]
"""
from __future__ import annotations

import argparse
import contextlib
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from contextlib import ExitStack
from pathlib import Path

from crawler.devtools import demo

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def redis_server(port: int | None = None):
    """A redis-server bound to 127.0.0.1 on `port` (a free one by default), keeping nothing on
    disk, stopped when the block ends; yields its URL. Never the machine's redis service."""
    binary = shutil.which("redis-server")
    if binary is None:
        raise SystemExit("redis-server is missing: `make redis` installs Debian's redis-server")
    port = port or free_port()
    proc = subprocess.Popen([binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "",
                             "--appendonly", "no"], stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
    url = f"redis://127.0.0.1:{port}/0"
    try:
        _wait_for(port, proc)
        yield url
    finally:
        proc.terminate()
        proc.wait(10)


def _wait_for(port: int, proc: subprocess.Popen, timeout: float = 10) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"redis-server exited ({proc.returncode}) before listening on {port}")
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=0.2) as conn:
            conn.sendall(b"PING\r\n")
            if conn.recv(16).startswith(b"+PONG"):
                return
        time.sleep(0.05)
    raise RuntimeError(f"redis-server did not answer on port {port}")


def crawler_process(*args: str) -> subprocess.Popen:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    return subprocess.Popen([sys.executable, "-m", "crawler", *args], cwd=ROOT, env=env)


def local_cluster(db: str, workers: int) -> int:
    """Serve the demo portals, start redis, the writer and the workers; the writer's exit status."""
    with ExitStack() as stack:
        servers = demo.start_portals(stack)
        sites = Path(stack.enter_context(tempfile.TemporaryDirectory())) / "sites.yaml"
        sites.write_text(demo.sites_yaml(servers), encoding="utf-8")
        url = stack.enter_context(redis_server())
        print(f"redis on {url}; {len(servers)} demo portals on 127.0.0.10–{9 + len(servers)}:{demo.DEMO_PORT}")
        writer = crawler_process("crawl", "--redis", url, "--sites", str(sites), "--db", db)
        procs = [crawler_process("worker", "--redis", url, "--wait", "60") for _ in range(workers)]
        status = writer.wait()
        for proc in procs:
            proc.wait()
    return status


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m crawler.devtools.cluster", description=__doc__.split("\n")[0])
    parser.add_argument("--db", default="archive.db")
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args(argv)
    return local_cluster(args.db, args.workers)


if __name__ == "__main__":
    sys.exit(main())
