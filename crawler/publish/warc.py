"""Export the raw snapshots as a WARC file, for web-archive tools (pywb, ReplayWeb.page …)."""
from __future__ import annotations

from io import BytesIO
from pathlib import Path

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from crawler import __version__


def write_warc(store, out: Path) -> int:
    """One `response` record per archived fetch (every version kept); returns the record count."""
    count = 0
    with open(out, "wb") as handle:
        writer = WARCWriter(handle, gzip=str(out).endswith(".gz"))
        writer.write_record(writer.create_warcinfo_record(out.name, {
            "software": f"gov-report-archive/{__version__}", "format": "WARC File Format 1.1"}))
        for snap in store.fetched_snapshots():
            headers = [("Content-Type", snap["content_type"] or "application/octet-stream"),
                       ("Content-Length", str(len(snap["data"])))]
            http = StatusAndHeaders(f"{snap['status']} OK", headers, protocol="HTTP/1.1")
            record = writer.create_warc_record(
                snap["url"], "response", payload=BytesIO(snap["data"]), http_headers=http,
                warc_headers_dict={"WARC-Date": snap["fetched_at"].replace("+00:00", "Z")})
            writer.write_record(record)
            count += 1
    return count
