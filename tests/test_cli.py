"""The command line: one-line errors, non-zero exits, nothing written on bad input."""
import pytest

from crawler.store import Store, sha256


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


def test_raw_gives_files_kept_as_sent_and_old_zlib_snapshots_alike(cli, tmp_path):
    """A PDF or DOCX (compressed by its own format) is kept as sent (compression NULL), a page
    zlib-compressed; `raw` returns both byte for byte, and a snapshot an older release wrote
    (zlib, whatever the format) reads as before."""
    import zlib

    from tests.paths import FIXTURES
    files = {name: (FIXTURES / "attachments" / name).read_bytes()
             for name in ("chengkou_2020_libreoffice.pdf", "chengkou_2020.docx")}
    page = "<html><body>城口县2020年度法治政府建设情况报告</body></html>".encode("gbk")
    db = tmp_path / "a.db"
    store = Store(db)
    for name, data in {**files, "a.html": page}.items():
        store.record_fetch(f"http://x.gov.cn/{name}", site="x", role="attachment", status=200, body=data)
    old = files["chengkou_2020.docx"] + b"\x00older"   # written zlib-compressed, as before
    store.db.execute("INSERT INTO snapshots(sha256, size, compression, data) VALUES (?, ?, 'zlib', ?)",
                     [sha256(old), len(old), zlib.compress(old, 6)])
    store.db.execute("UPDATE pages SET sha256 = ? WHERE url = 'http://x.gov.cn/a.html'", [sha256(old)])
    kept = dict(store.db.execute("SELECT sha256, compression FROM snapshots").fetchall())
    store.close()
    assert kept == {sha256(files["chengkou_2020_libreoffice.pdf"]): None,
                    sha256(files["chengkou_2020.docx"]): None, sha256(page): "zlib", sha256(old): "zlib"}
    for name, expected in {**files, "a.html": old}.items():
        result = cli("raw", f"http://x.gov.cn/{name}", "--db", str(db))
        assert result.returncode == 0
        assert result.stdout == expected


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


def test_serve_refuses_a_database_that_does_not_exist(cli, tmp_path):
    typo = tmp_path / "typo.db"
    result = cli("serve", "--db", str(typo), "--port", "0", timeout=60)
    assert result.returncode == 1
    assert one_line(result.stderr) == f"error: {typo}: no such database"
    assert result.stdout == b""
    assert not typo.exists()


def read_only_directory(tmp_path):
    """A directory this process cannot create files in: a mode-0555 one, or for root (who
    writes through modes) sysfs, which refuses new files to everyone."""
    import os
    if os.geteuid() != 0:
        place = tmp_path / "read-only"
        place.mkdir(mode=0o555)
    else:
        from pathlib import Path
        place = Path("/sys")
    try:
        (place / "probe").mkdir()
    except OSError:
        return place
    pytest.skip(f"{place} is writable here")


@pytest.mark.parametrize("where", ["read-only directory", "under a regular file"])
@pytest.mark.parametrize("command", ["export", "warc"])
def test_unwritable_output_is_one_line(cli, tmp_path, command, where):
    db = tmp_path / "a.db"
    store = Store(db)
    store.record_fetch("http://x.gov.cn/a.html", site="x", role="report", status=200, body=b"<p>x</p>")
    store.close()
    if where == "read-only directory":
        parent = read_only_directory(tmp_path)
    else:
        parent = tmp_path / "a-file"
        parent.write_bytes(b"")
    out = parent / ("dataset" if command == "export" else "a.warc.gz")
    result = cli(command, "--db", str(db), "--out", str(out))
    assert result.returncode == 1, result.stderr
    line = one_line(result.stderr)
    assert line.startswith(f"error: cannot write {out}: "), line
    assert result.stdout == b""
    assert not out.exists()


def test_a_corrupt_database_is_one_line(cli, tmp_path):
    """An sqlite error found half-way through a query reaches main(): one line, exit 1."""
    import os
    db = tmp_path / "a.db"
    store = Store(db)
    for i in range(50):
        store.record_fetch(f"http://x.gov.cn/{i}.html", site="x", role="report", status=200,
                           body=os.urandom(3000))
    store.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    store.close()
    size = db.stat().st_size
    with open(db, "r+b") as handle:  # the schema's first page survives, the data does not
        handle.seek(size // 2)
        handle.write(b"\xff" * (size - size // 2))
    result = cli("warc", "--db", str(db), "--out", str(tmp_path / "a.warc"))
    assert result.returncode == 1
    assert one_line(result.stderr) == f"error: {db}: database error: database disk image is malformed"


def test_an_unwritable_log_file_stops_before_the_run(cli, tmp_path):
    sites = tmp_path / "sites.yaml"
    sites.write_text("sites:\n  - {name: x, start_urls: ['http://127.0.0.1:9/']}\n", encoding="utf-8")
    log = tmp_path / "a-file" / "crawl.log"
    log.parent.write_bytes(b"")
    db = tmp_path / "a.db"
    result = cli("crawl", "--sites", str(sites), "--db", str(db), "--log-file", str(log))
    assert result.returncode == 1
    assert one_line(result.stderr) == f"error: cannot write {log}: Not a directory"
    assert not db.exists()


def test_help_describes_the_tool_not_the_module(cli):
    result = cli("--help")
    assert result.returncode == 0 and result.stderr == b""
    text = result.stdout.decode()
    from crawler import cli as module
    assert module.__doc__.splitlines()[0] not in text
    assert "exit status: 0" in text and "3 another crawl holds the database's lock" in text
    for name, summary in _subcommands():
        assert name in text and summary in text


def _subcommands():
    """(name, one-line summary) of every subcommand, from the parser itself."""
    import argparse

    from crawler.cli import build_parser
    parser = build_parser()
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return [(choice.dest, choice.help) for choice in sub._choices_actions]


def test_every_option_of_every_command_has_help_and_its_default(cli):
    import argparse

    from crawler.cli import build_parser
    sub = next(a for a in build_parser()._actions if isinstance(a, argparse._SubParsersAction))
    assert set(sub.choices) == {name for name, _ in _subcommands()}
    for name, parser in sub.choices.items():
        result = cli(name, "--help")
        assert result.returncode == 0 and result.stderr == b"", name
        text = " ".join(result.stdout.decode().split())  # argparse wraps lines
        assert " ".join(parser.description.split()) in text
        for action in parser._actions:
            if isinstance(action, argparse._HelpAction):
                continue
            assert action.help and action.help.strip(), f"{name} {action.dest}: no help text"
            assert " ".join(action.help.split()) in text, f"{name} {action.dest}"
            if action.default not in (None, False, []):
                assert f"(default: {action.default})" in text, f"{name} {action.dest}: default not shown"


def test_version(cli):
    from crawler import __version__
    result = cli("--version")
    assert result.returncode == 0
    assert result.stdout.decode().strip() == f"python -m crawler {__version__}"


def test_a_sites_file_that_cannot_be_read_is_a_bad_sites_file(cli, tmp_path):
    db = tmp_path / "a.db"
    result = cli("crawl", "--sites", str(tmp_path), "--db", str(db))
    assert result.returncode == 2
    assert one_line(result.stderr) == f"error: {tmp_path}: cannot read the sites file (Is a directory)"
    assert not db.exists()


@pytest.mark.parametrize("command", ["serve", "demo"])
@pytest.mark.parametrize("value", ["99999", "-1", "http"])
def test_a_port_out_of_range_is_a_bad_option(cli, tmp_path, command, value):
    db = tmp_path / "a.db"
    result = cli(command, "--db", str(db), f"--port={value}")
    assert result.returncode == 2
    assert "argument --port: " in one_line(result.stderr)
    assert not db.exists()
