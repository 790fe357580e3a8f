"""Command line: argument parsing, progress, summaries, exit codes — nothing else."""
from __future__ import annotations

import argparse
import contextlib
import json
import sys
from pathlib import Path

EXIT_OK, EXIT_ERROR, EXIT_USAGE, EXIT_LOCKED = 0, 1, 2, 3
DEFAULT_DB = "archive.db"


class CliError(Exception):
    """A one-line reason to stop, with its exit status."""

    def __init__(self, message: str, status: int = EXIT_ERROR):
        super().__init__(message)
        self.status = status


class Parser(argparse.ArgumentParser):
    def error(self, message):  # one line, not argparse's usage block
        raise CliError(f"{self.prog}: {message}", EXIT_USAGE)


def build_parser() -> argparse.ArgumentParser:
    parser = Parser(prog="python -m crawler", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True, parser_class=Parser)

    crawl = sub.add_parser("crawl", help="crawl the sites into the database")
    crawl.add_argument("--sites", default="sites.yaml")
    crawl.add_argument("--db", default=DEFAULT_DB)
    crawl.add_argument("--site", action="append", default=[], metavar="NAME",
                       help="crawl only this site (repeatable)")
    crawl.add_argument("--log-file", help="write Scrapy's log here (INFO level)")
    crawl.add_argument("-q", "--quiet", action="store_true", help="no progress, no summary (cron)")
    crawl.add_argument("-s", "--set", action="append", default=[], metavar="NAME=VALUE",
                       help="override a Scrapy setting")

    serve = sub.add_parser("serve", help="publish the database with Datasette")
    serve.add_argument("--db", default=DEFAULT_DB)
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8001)

    export = sub.add_parser("export", help="write the downloadable dataset")
    export.add_argument("--db", default=DEFAULT_DB)
    export.add_argument("--out", required=True)

    raw = sub.add_parser("raw", help="write the archived bytes of URL to stdout")
    raw.add_argument("url")
    raw.add_argument("--db", default=DEFAULT_DB)

    history = sub.add_parser("history", help="one JSON line per version of the report at URL")
    history.add_argument("url")
    history.add_argument("--db", default=DEFAULT_DB)

    warc = sub.add_parser("warc", help="export every archived fetch as a WARC file")
    warc.add_argument("--db", default=DEFAULT_DB)
    warc.add_argument("--out", required=True, help="FILE.warc or FILE.warc.gz")

    status = sub.add_parser("status", help="per-site health from the crawl history")
    status.add_argument("--db", default=DEFAULT_DB)

    demo = sub.add_parser("demo", help="crawl the bundled demo portals and serve them")
    demo.add_argument("--db", default=DEFAULT_DB)
    demo.add_argument("--port", type=int, default=8001)
    demo.add_argument("--no-serve", action="store_true", help="crawl only")
    return parser


def main(argv: list[str] | None = None) -> int:
    try:
        args = build_parser().parse_args(argv)
        return COMMANDS[args.command](args) or EXIT_OK
    except CliError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return exc.status
    except KeyboardInterrupt:
        print("error: interrupted", file=sys.stderr)
        return 130


def _open_store(db: str, readonly: bool = False):
    """The archive: read as it is (readonly, it must exist), or opened for writing and migrated."""
    from crawler.store import Store
    if readonly and not Path(db).is_file():
        raise CliError(f"{db}: no such database")
    try:
        return Store(db, readonly=readonly)
    except Exception as exc:  # sqlite3.OperationalError, DatabaseError, PermissionError …
        raise CliError(f"{db}: cannot open the database ({str(exc).splitlines()[0]})") from None


def cmd_crawl(args) -> int:
    from crawler import run
    from crawler.crawl.sites import SitesError
    try:
        sites = run.load_sites(args.sites, args.site)
    except SitesError as exc:
        raise CliError(str(exc), EXIT_USAGE) from None
    from crawler import user_agent
    try:
        user_agent()   # ARCHIVE_CONTACT, the address in every request, must be sendable
    except ValueError as exc:
        raise CliError(str(exc), EXIT_USAGE) from None
    overrides = {}
    for pair in args.set:
        name, sep, value = pair.partition("=")
        if not sep or not name:
            raise CliError(f"-s expects NAME=VALUE, got {pair!r}", EXIT_USAGE)
        overrides[name] = value
    try:
        with run.lock(args.db):   # the lock first: nothing touches the archive before it is held
            _open_store(args.db).close()   # migrations, with their errors as one line
            result = run.crawl(sites, args.db, overrides=overrides, log_file=args.log_file,
                               progress=not args.quiet and sys.stderr.isatty())
    except run.Locked as exc:
        raise CliError(str(exc), EXIT_LOCKED) from None
    if not args.quiet:
        print(run.summary(result))
    if result.get("error"):   # the archive refused a write: one line, even under -q
        print(f"error: {result['error']}", file=sys.stderr)
    return EXIT_OK if result["status"] == "finished" else EXIT_ERROR


def cmd_serve(args) -> int:
    from crawler.publish.serve import serve
    _open_store(args.db, readonly=True).close()
    with _serving(args.host, args.port):
        serve(args.db, args.host, args.port)
    return EXIT_OK


@contextlib.contextmanager
def _serving(host: str, port: int):
    """A port already taken is a one-line error."""
    try:
        yield
    except OSError as exc:
        raise CliError(f"cannot serve on {host}:{port} ({exc.strerror or exc})") from None


def cmd_export(args) -> int:
    store = _open_store(args.db, readonly=True)
    from crawler.publish.export import export
    for path in export(store, Path(args.out)):
        print(path)
    return EXIT_OK


def cmd_raw(args) -> int:
    data = _open_store(args.db, readonly=True).raw(args.url)
    if data is None:
        raise CliError(f"{args.url}: not in the archive")
    sys.stdout.buffer.write(data)
    sys.stdout.buffer.flush()
    return EXIT_OK


def cmd_history(args) -> int:
    versions = _open_store(args.db, readonly=True).history(args.url)
    if not versions:
        raise CliError(f"{args.url}: no report versions in the archive")
    for version in versions:
        print(json.dumps(version, ensure_ascii=False))
    return EXIT_OK


def cmd_warc(args) -> int:
    store = _open_store(args.db, readonly=True)
    from crawler.publish.warc import write_warc
    print(f"{write_warc(store, Path(args.out))} records written to {args.out}")
    return EXIT_OK


def cmd_status(args) -> int:
    from crawler.analyze.health import site_health
    rows = site_health(_open_store(args.db, readonly=True))
    for row in rows:
        flags = "; ".join((row["flags"] or ["ok"]) + row["notes"])
        print(f"{row['site']:<24} reports {row['reports']:>5}  last run {row['last_run'] or '-'}  "
              f"pages {row['pages']:>5}  failures {row['failures']:>4}  {flags}")
    return EXIT_ERROR if any(r["flags"] for r in rows) else EXIT_OK


def cmd_demo(args) -> int:
    from crawler.devtools.demo import demo
    with _serving("127.0.0.1", args.port):
        return demo(args.db, args.port, serve=not args.no_serve)


COMMANDS = {"crawl": cmd_crawl, "serve": cmd_serve, "export": cmd_export, "raw": cmd_raw,
            "history": cmd_history, "warc": cmd_warc, "status": cmd_status, "demo": cmd_demo}
