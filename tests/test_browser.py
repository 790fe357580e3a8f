"""A real browser over `python -m crawler serve`: headless Chromium renders the home page, a
search and a reading view; the Chinese text is in the rendered DOM, no script from the
scraped text ran, no page broke its Content-Security-Policy, and screenshots are kept in
tests/artifacts/ (Debian's chromium and fonts-noto-cjk, installed by the Makefile)."""
from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from urllib.parse import quote

import pytest
from conftest import ROOT
from datasette.utils import tilde_encode
from test_search import seed_archive, truth

ARTIFACTS = ROOT / "tests" / "artifacts"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--enable-logging=stderr", "--v=0"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    if not os.access(CHROMIUM, os.X_OK):
        pytest.fail("chromium is missing: `make test` installs chromium and fonts-noto-cjk")
    tmp = tmp_path_factory.mktemp("browser")
    reports = seed_archive(tmp / "archive.db")
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "crawler", "serve", "--db", str(tmp / "archive.db"),
         "--port", str(port)], cwd=ROOT, env=dict(os.environ, PYTHONPATH=str(ROOT)),
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        line = server.stdout.readline().decode()
        base = f"http://127.0.0.1:{port}/"
        assert base in line, line
        for _ in range(100):
            try:
                urllib.request.urlopen(base, timeout=1).close()
                break
            except OSError:
                time.sleep(0.1)
        yield base, reports, tmp
    finally:
        server.terminate()
        server.wait(timeout=10)


def browse(served, path: str, screenshot: str) -> str:
    """The DOM Chromium renders for `path`, after keeping a screenshot of it."""
    base, _, tmp = served
    url = base + path.lstrip("/")
    ARTIFACTS.mkdir(exist_ok=True)
    profile = ["--user-data-dir=" + str(tmp / "profile")]
    shot = subprocess.run([CHROMIUM, *FLAGS, *profile, f"--screenshot={ARTIFACTS / screenshot}",
                           "--window-size=1280,1000", url], capture_output=True, timeout=120)
    assert (ARTIFACTS / screenshot).stat().st_size > 10_000, shot.stderr.decode()[-2000:]
    dom = subprocess.run([CHROMIUM, *FLAGS, *profile, "--dump-dom", url], capture_output=True,
                         timeout=120)
    log = dom.stderr.decode(errors="replace")
    assert "Content Security Policy" not in log, log
    return dom.stdout.decode()


def test_home_page(served):
    dom = browse(served, "/", "home.png")
    assert '<html lang="zh-CN">' in dom
    assert "政府年度报告档案" in dom and "浏览与检索报告" in dom


def test_search(served):
    _, reports, _ = served
    dom = browse(served, "/archive/reports?_search=" + quote("执法证"), "search.png")
    hits = truth(reports, "执法证")
    assert f"{len(hits)} rows where title or body contains" in dom
    assert dom.count("<mark>执法证</mark>") >= len(hits)


def test_reading_view_keeps_scraped_script_inert(served):
    _, reports, _ = served
    evil = reports[-1]
    dom = browse(served, f"/archive/reports/{tilde_encode(evil['url'])}?q={quote('执法')}",
                 "reading.png")
    assert "关于&lt;b&gt;脚本&lt;/b&gt;的报告" in dom  # the title, as text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in dom
    assert "data-pwned" not in dom  # neither the <script> nor the onerror ran
    paragraphs = [p for p in evil["body"].split("\n") if p.strip()]
    assert dom.split('<div class="report-body">')[1].count("<p>") == len(paragraphs)
    assert "<mark>执法</mark>" in dom
