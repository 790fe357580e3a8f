"""The command line: one-line errors, non-zero exits, nothing written on bad input."""
import pytest

from crawler.store import Store


def one_line(stderr: bytes) -> str:
    text = stderr.decode().strip()
    assert text.count("\n") == 0, text
    return text


def test_bad_sites_file_writes_nothing(cli, tmp_path):
    sites = tmp_path / "sites.yaml"
    sites.write_text("sites:\n  - name: x\n", encoding="utf-8")
    db = tmp_path / "a.db"
    result = cli("crawl", "--sites", str(sites), "--db", str(db))
    assert result.returncode == 2
    assert "start_urls" in one_line(result.stderr)
    assert not db.exists()


def test_bad_option(cli, tmp_path):
    result = cli("crawl", "--frobnicate")
    assert result.returncode == 2
    assert "unrecognized arguments" in one_line(result.stderr)


def test_unknown_command(cli):
    result = cli("fly")
    assert result.returncode == 2
    one_line(result.stderr)


def test_unwritable_database(cli, tmp_path):
    sites = tmp_path / "sites.yaml"
    sites.write_text("sites:\n  - {name: x, start_urls: ['http://127.0.0.1:9/']}\n", encoding="utf-8")
    result = cli("crawl", "--sites", str(sites), "--db", str(tmp_path / "no" / "such" / "dir" / "a.db"))
    assert result.returncode != 0
    assert "a.db" in one_line(result.stderr)


def test_raw_and_history_of_unknown_address(cli, tmp_path):
    db = tmp_path / "a.db"
    Store(db).close()
    for command in ("raw", "history"):
        result = cli(command, "http://nowhere.example/x.html", "--db", str(db))
        assert result.returncode == 1
        assert "http://nowhere.example/x.html" in one_line(result.stderr)


def test_raw_returns_the_exact_bytes(cli, tmp_path):
    db = tmp_path / "a.db"
    store = Store(db)
    payload = "城口县2020年度法治政府建设情况报告".encode("gbk") + b"\r\n\x00\xff"
    store.record_fetch("http://x.gov.cn/a.html", site="x", role="report", status=200, body=payload)
    store.close()
    result = cli("raw", "http://x.gov.cn/a.html", "--db", str(db))
    assert result.returncode == 0
    assert result.stdout == payload


@pytest.mark.parametrize("command", ["raw", "history", "status", "export"])
def test_missing_database(cli, tmp_path, command):
    args = [command] + (["http://a/"] if command in ("raw", "history") else []) + ["--db", str(tmp_path / "none.db")]
    if command == "export":
        args += ["--out", str(tmp_path / "out")]
    result = cli(*args)
    assert result.returncode == 1
    assert "no such database" in one_line(result.stderr)
    assert not (tmp_path / "none.db").exists()


def test_warc_export_holds_every_version(cli, tmp_path):
    from warcio.archiveiterator import ArchiveIterator
    db = tmp_path / "a.db"
    store = Store(db)
    first, second = "<p>第一版</p>".encode("gbk"), "<p>第二版</p>".encode("gbk")
    for body in (first, second):
        store.record_fetch("http://x.gov.cn/a.html", site="x", role="report", status=200,
                           content_type="text/html", body=body)
    store.close()
    out = tmp_path / "a.warc.gz"
    result = cli("warc", "--db", str(db), "--out", str(out))
    assert result.returncode == 0, result.stderr
    with open(out, "rb") as handle:
        records = [(r.rec_headers.get_header("WARC-Target-URI"), r.content_stream().read())
                   for r in ArchiveIterator(handle) if r.rec_type == "response"]
    assert records == [("http://x.gov.cn/a.html", first), ("http://x.gov.cn/a.html", second)]


def test_serve_on_a_taken_port_is_one_line(cli, tmp_path):
    import socket
    db = tmp_path / "a.db"
    Store(db).close()
    with socket.create_server(("127.0.0.1", 0)) as taken:
        port = taken.getsockname()[1]
        result = cli("serve", "--db", str(db), "--port", str(port), timeout=60)
    assert result.returncode == 1
    assert f"cannot serve on 127.0.0.1:{port}" in one_line(result.stderr)
    assert result.stdout == b""
