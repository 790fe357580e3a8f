"""Crawl traps on loopback: portals that never end, generated on request.

Web archives meet these on the open web — an endless pager, a calendar, a pager that
announces two million pages, a page with 100,000 links, a server whose response headers
never end. Each trap is a path prefix of one server; every page it serves is generated from
the path, so the trap is as large as the crawler lets it be. The server counts what it was
asked (and what it sent before the client hung up), so a test can hold the crawl to its
budgets.
"""
from __future__ import annotations

import re
import threading
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

REPORT = ("<html><head><meta charset='utf-8'><title>{title}</title></head><body>"
          "<h1>{title}</h1><div class='content'>{paras}</div></body></html>")
PARAGRAPH = "<p>2023年，本县坚持以法治政府建设为统领，推进严格规范公正文明执法，第{n}项工作取得新成效。</p>"


def report_page(key: str) -> str:
    title = f"平安县2023年度法治政府建设情况报告（{key}）"
    return REPORT.format(title=title, paras="".join(PARAGRAPH.format(n=i) for i in range(12)))


def list_page(rows: list[tuple[str, str]], extra: str = "") -> str:
    items = "".join(f"<li><a href='{href}'>{title}</a><span>2024-03-{10 + i % 18:02d}</span></li>"
                    for i, (href, title) in enumerate(rows))
    return (f"<html><head><meta charset='utf-8'><title>法治政府建设年度报告</title></head><body>"
            f"<ul class='list'>{items}</ul>{extra}</body></html>")


def reports_for(prefix: str, page: int, per_page: int = 20) -> list[tuple[str, str]]:
    return [(f"{prefix}/202403/t20240315_{page}_{k}.html", f"平安县2023年度法治政府建设情况报告（{page}-{k}）")
            for k in range(per_page)]


def flood(path: str) -> str:
    """/flood/: three reports, then 100,000 navigation links."""
    rows = reports_for("/flood", 0, 3)
    nav = "".join(f"<a href='/flood/nav/{i}.html'>栏目导航第{i}项</a>" for i in range(100_000))
    return list_page(rows, f"<div class='nav'>{nav}</div>")


def pager(path: str) -> str:
    """/pager/index.html announces createPageHTML(2000000, …): every index_N.html exists."""
    match = re.search(r"index(?:_(\d+))?\.html$", path)
    page = int(match.group(1) or 0) if match else 0
    script = f'<script>createPageHTML(2000000, {page}, "index", "html");</script>'
    return list_page(reports_for("/pager", page), script)


def endless(path: str) -> str:
    """/endless/index_N.html: 20 new reports and a 下一页 link to N+1, for ever."""
    match = re.search(r"index(?:_(\d+))?\.html$", path)
    page = int(match.group(1) or 0) if match else 0
    return list_page(reports_for("/endless", page), f"<a href='/endless/index_{page + 1}.html'>下一页</a>")


def calendar(path: str) -> str:
    """/calendar/?d=N: a day's report and the next day, for ever (query-string pages)."""
    match = re.search(r"[?&]d=(\d+)", path)
    day = int(match.group(1)) if match else 0
    return list_page(reports_for("/calendar", day, 1), f"<a href='/calendar/?d={day + 1}'>下一页</a>")


def headers(path: str) -> str:
    """/headers/index.html: a column of four reports, three of whose pages answer with a flood
    of response headers (HEADER_FLOODS) instead of a page."""
    return list_page(reports_for("/headers", 0, 4))


HEADER_FLOODS = {
    "1": "many",   # endless short header lines: "X-Flood-N: …"
    "2": "long",   # one header line that never ends
    "3": "fold",   # one header folded over endless continuation lines
}
"""Which report of /headers/ floods, and how (the report's number k in t20240315_0_k.html)."""
HEADER_FLOOD_LIMIT = 2 * 2**30
"""What a flood sends at most before giving up on a client that never hangs up (2 GB)."""


def flood_headers(wfile, how: str) -> int:
    """Write a status line and then headers of kind `how` until the client closes the
    connection (or HEADER_FLOOD_LIMIT); returns the bytes sent."""
    chunk = {"many": b"".join(b"X-Flood-%d: %s\r\n" % (i, b"v" * 40) for i in range(1_000)),
             "long": b"v" * 64_000,
             "fold": b" continued folded header value\r\n" * 2_000}[how]
    start = {"many": b"", "long": b"X-Long: ", "fold": b"X-Folded: begin\r\n"}[how]
    sent = 0
    try:
        wfile.write(b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n" + start)
        while sent < HEADER_FLOOD_LIMIT:
            wfile.write(chunk)
            sent += len(chunk)
    except OSError:   # the client hung up: what it did at its cap
        pass
    return sent


TRAPS = {"flood": flood, "pager": pager, "endless": endless, "calendar": calendar, "headers": headers}


FILE_TYPES = {"pdf": "application/pdf", "doc": "application/msword", "wps": "application/kswps",
              "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document"}


class FuzzPortal:
    """/fuzz/: a column whose report pages are malformed pages (tests/fuzzpages.py), and whose
    other reports are cover pages linking one corrupt or crafted file each (tests/fuzzfiles.py)."""

    def __init__(self, pages: list[str | None], files: list[tuple[str, bytes, str]]):
        self.pages = [page or "" for page in pages]
        self.files = files

    def page_url(self, k: int) -> str:
        return f"/fuzz/202403/t20240315_1_{k}.html"

    def cover_url(self, k: int) -> str:
        return f"/fuzz/202403/t20240315_2_{k}.html"

    def file_url(self, k: int) -> str:
        return f"/fuzz/files/{k}.{self.files[k][2]}"

    def answer(self, path: str) -> tuple[bytes, str] | None:
        """(body, Content-Type) for a path under /fuzz/, None for a 404."""
        html = "text/html; charset=utf-8"
        if path in ("/fuzz/", "/fuzz/index.html"):
            rows = [(self.page_url(k), f"平安县2023年度法治政府建设情况报告（第{k}号）") for k in range(len(self.pages))]
            rows += [(self.cover_url(k), f"平安县2023年度法治政府建设情况报告（附件{k}）") for k in range(len(self.files))]
            return list_page(rows).encode("utf-8"), html
        match = re.fullmatch(r"/fuzz/202403/t20240315_([12])_(\d+)\.html", path)
        if match and match.group(1) == "1" and int(match.group(2)) < len(self.pages):
            # as sent: lone surrogates and NULs included, so the bytes are not always valid UTF-8
            return self.pages[int(match.group(2))].encode("utf-8", "surrogatepass"), html
        if match and int(match.group(2)) < len(self.files):
            k = int(match.group(2))
            name, _, kind = self.files[k]
            title = f"平安县2023年度法治政府建设情况报告（附件{k}）"
            page = (f"<html><head><meta charset='utf-8'><title>{title}</title></head><body><h1>{title}</h1>"
                    f"<div class='content'><p>全文详见附件。</p><p>附件：<a href='{self.file_url(k)}'>"
                    f"{title}.{kind}</a></p></div></body></html>")
            return page.encode("utf-8"), html
        match = re.fullmatch(r"/fuzz/files/(\d+)\.\w+", path)
        if match and int(match.group(1)) < len(self.files):
            _, data, kind = self.files[int(match.group(1))]
            return data, FILE_TYPES[kind]
        return None


class TrapServer(ThreadingHTTPServer):
    """Serves every trap under /<name>/ on one loopback address; counts requests per trap."""

    daemon_threads = True

    def __init__(self, host: str = "127.0.0.1", port: int = 0, fuzz: FuzzPortal | None = None):
        super().__init__((host, port), _Handler)
        self.fuzz = fuzz
        self.asked: Counter = Counter()
        self.flooded: dict[str, int] = {}   # path → header bytes sent before the client hung up
        self.lock = threading.Lock()
        self.thread = threading.Thread(target=self.serve_forever, daemon=True)

    def start(self) -> TrapServer:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.shutdown()
        self.server_close()

    def url(self, path: str) -> str:
        host, port = self.server_address[:2]
        return f"http://{host}:{port}{path}"


class _Handler(BaseHTTPRequestHandler):
    def do_GET(self):  # noqa: N802 - http.server's name
        trap = self.path.strip("/").split("/", 1)[0].split("?", 1)[0]
        with self.server.lock:
            self.server.asked[trap] += 1
        if trap == "fuzz" and self.server.fuzz is not None:
            answer = self.server.fuzz.answer(self.path)
            if answer is not None:
                self._send(*answer)
                return
        if self.path == "/robots.txt" or trap not in TRAPS:
            self.send_response(404)
            self.end_headers()
            return
        flood = re.search(r"^/headers/.*_0_(\d+)\.html$", self.path)
        if flood and flood.group(1) in HEADER_FLOODS:
            sent = flood_headers(self.wfile, HEADER_FLOODS[flood.group(1)])
            with self.server.lock:
                self.server.flooded[self.path] = sent
            self.close_connection = True
            return
        if re.search(r"/t\d{8}_[\d_]+\.html$", self.path):
            body = report_page(self.path.rsplit("_", 2)[-2] + "-" + self.path.rsplit("_", 1)[-1])
        elif "/nav/" in self.path:
            body = "<html><body>栏目</body></html>"
        else:
            body = TRAPS[trap](self.path)
        self._send(body.encode("utf-8"), "text/html; charset=utf-8")

    def _send(self, data: bytes, content_type: str) -> None:
        self.send_response(200)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass
