"""`serve --processes N`: forked serving processes on one socket, each answering on its own,
with the same validators (an ETag from one holds at the other), and none outliving serve —
neither when it is stopped nor when it is killed."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from test_live_publish import free_port
from test_search import seed_archive

from tests.conftest import ROOT, run_cli


def children(pid: int) -> list[int]:
    return [int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]


def gone(pid: int) -> bool:
    """No such process, or only its exit status left (a zombie)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return True
    return state in ("Z", "X")


def wait_until(predicate, seconds: float = 20) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.1)
    return predicate()


def fetch(url: str, etag: str | None = None) -> tuple[int, str | None]:
    request = urllib.request.Request(url, headers={"If-None-Match": etag} if etag else {})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            response.read()
            return response.status, response.headers["etag"]
    except urllib.error.HTTPError as exc:
        return exc.code, exc.headers["etag"]


@pytest.fixture
def two_processes(tmp_path):
    path = tmp_path / "archive.db"
    seed_archive(path)
    port = free_port()
    server = subprocess.Popen([sys.executable, "-m", "crawler", "serve", "--db", str(path),
                               "--port", str(port), "--processes", "2"], cwd=ROOT,
                              env=dict(os.environ, PYTHONPATH=str(ROOT)),
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    try:
        line = server.stdout.readline().decode()
        assert base in line and "with 2 processes" in line, line
        assert wait_until(lambda: len(children(server.pid)) == 1)
        yield server, base
    finally:
        for pid in [server.pid, *(children(server.pid) if not gone(server.pid) else [])]:
            try:
                os.kill(pid, signal.SIGCONT)
            except ProcessLookupError:
                pass
        server.terminate()
        server.wait(timeout=20)


def test_each_process_answers_with_the_same_validators(two_processes):
    server, base = two_processes
    (child,) = children(server.pid)
    status, etag = fetch(f"{base}/archive/reports")
    assert status == 200 and etag
    # one process stopped at a time: the other alone accepts, and honours the same ETag
    for paused in (server.pid, child):
        os.kill(paused, signal.SIGSTOP)
        try:
            for _ in range(3):
                assert fetch(f"{base}/archive/reports") == (200, etag)
                assert fetch(f"{base}/archive/reports", etag) == (304, etag)
            assert fetch(f"{base}/no/such/page/at/all")[0] == 404
        finally:
            os.kill(paused, signal.SIGCONT)


def test_stopping_serve_stops_every_process(two_processes):
    server, base = two_processes
    (child,) = children(server.pid)
    assert fetch(f"{base}/")[0] == 200
    server.terminate()
    server.wait(timeout=20)
    assert wait_until(lambda: gone(child)), "a serving process outlived serve"


def test_a_killed_serve_takes_its_processes_with_it(two_processes):
    server, base = two_processes
    (child,) = children(server.pid)
    server.kill()
    server.wait(timeout=20)
    assert wait_until(lambda: gone(child)), "a serving process outlived a killed serve"


@pytest.mark.parametrize("value", ["0", "17", "two"])
def test_a_bad_number_of_processes_is_a_usage_error(tmp_path, value):
    path = tmp_path / "archive.db"
    seed_archive(path)
    result = run_cli("serve", "--db", str(path), "--processes", value)
    assert result.returncode == 2
    assert b"processes" in result.stderr and len(result.stderr.decode().strip().splitlines()) <= 3
