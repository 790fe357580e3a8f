"""Command line: argument parsing, progress, summaries, exit codes — nothing else.

Every error a user can cause ends here as one line on stderr and a documented exit status
(EXIT_* below, listed in `--help` and the README); a traceback on the terminal is a bug.
"""
from __future__ import annotations

import argparse
import contextlib
import errno
import json
import os
import sqlite3
import sys
import textwrap
from pathlib import Path

from crawler import __version__

EXIT_OK, EXIT_ERROR, EXIT_USAGE, EXIT_LOCKED = 0, 1, 2, 3
EXIT_PIPE = 141  # 128 + SIGPIPE: what a shell reports for a writer whose reader went away
DEFAULT_DB = "archive.db"

DESCRIPTION = """\
Crawl the annual reports Chinese governments publish on their 政务公开 pages
(法治政府建设年度报告, 政府信息公开工作年度报告) into an SQLite archive that keeps every
byte fetched, and publish it with Datasette.  Run `python -m crawler COMMAND --help`
for a command's options."""

EPILOG = """\
exit status: 0 done (a crawl that finished, even with pages that failed: those are
recorded in the database); 1 a run that did not finish, an address not in the archive,
a site flagged by `status`, a database or output that cannot be opened or written;
2 a bad sites file or a bad option; 3 another crawl holds the database's lock;
141 standard output was closed early (e.g. `| head`).  Errors are one line on stderr."""

# A bind that fails for these reasons is about the address, not the database or the output.
ADDRESS_ERRNOS = {errno.EADDRINUSE, errno.EADDRNOTAVAIL, errno.EACCES}


class CliError(Exception):
    """A one-line reason to stop, with its exit status."""

    def __init__(self, message: str, status: int = EXIT_ERROR):
        super().__init__(message)
        self.status = status


class HelpFormatter(argparse.RawDescriptionHelpFormatter):
    """Shows each option's default after its help, unless there is no meaningful default
    (None, False for a flag, an empty list for a repeatable option)."""

    def _get_help_string(self, action):
        text = action.help or ""
        if "%(default)" in text or action.default in (None, False, [], argparse.SUPPRESS):
            return text
        if action.option_strings or action.nargs in (argparse.OPTIONAL, argparse.ZERO_OR_MORE):
            text += " (default: %(default)s)"
        return text


def port(text: str) -> int:
    """A TCP port number, refused by argparse (exit 2) rather than by bind()."""
    try:
        number = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a port number: {text!r}") from None
    if not 0 <= number <= 65535:
        raise argparse.ArgumentTypeError(f"port {number} is not in 0–65535")
    return number


def processes(text: str) -> int:
    """A number of serving processes, 1–16, refused by argparse (exit 2)."""
    try:
        number = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number of processes: {text!r}") from None
    if not 1 <= number <= 16:
        raise argparse.ArgumentTypeError(f"{number} processes is not in 1–16")
    return number


class Parser(argparse.ArgumentParser):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("formatter_class", HelpFormatter)
        super().__init__(*args, **kwargs)

    def error(self, message):  # one line, not argparse's usage block
        raise CliError(f"{self.prog}: {message}", EXIT_USAGE)


def build_parser() -> argparse.ArgumentParser:
    parser = Parser(prog="python -m crawler", description=DESCRIPTION, epilog=EPILOG)
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND", parser_class=Parser)

    def command(name: str, summary: str, description: str):
        return sub.add_parser(name, help=summary, description=textwrap.fill(description, 88), epilog=EPILOG)

    def db_option(p, what: str = "the archive to read"):
        p.add_argument("--db", default=DEFAULT_DB, metavar="FILE", help=f"SQLite database: {what}")

    crawl = command("crawl", "crawl the sites into the database",
                    "Crawl every site of the sites file (or those named with --site) into the database, "
                    "record the run, and print a summary.  Pages that fail are recorded, not fatal.")
    crawl.add_argument("--sites", default="sites.yaml", metavar="FILE", help="the sites file (YAML)")
    db_option(crawl, "created if missing")
    crawl.add_argument("--site", action="append", default=[], metavar="NAME",
                       help="crawl only this site (repeatable; default: every site)")
    crawl.add_argument("--region", action="append", default=[], metavar="PREFIX",
                       help="crawl only the sites whose region starts with PREFIX: 50 重庆, "
                            "5002 its counties (repeatable; adds to --site)")
    crawl.add_argument("--log-file", metavar="FILE",
                       help="append Scrapy's log (INFO level, with tracebacks) here; "
                            "without it the log is discarded")
    crawl.add_argument("-q", "--quiet", action="store_true",
                       help="print nothing when the run finishes: no progress line, no summary (for cron)")
    crawl.add_argument("-s", "--set", action="append", default=[], metavar="NAME=VALUE",
                       help="override a Scrapy setting, e.g. -s DOWNLOAD_DELAY=1 (repeatable)")

    serve = command("serve", "publish the database with Datasette",
                    "Serve a read-only snapshot of an existing database with Datasette and the "
                    "project's datasette/ configuration, until interrupted.")
    db_option(serve, "must exist")
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on")
    serve.add_argument("--port", type=port, default=8001, help="port to listen on")
    serve.add_argument("--processes", type=processes, default=None,
                       help="serving processes sharing the port, each with its own response cache "
                            "(default: 1)")

    export = command("export", "write the downloadable dataset",
                     "Write the reports as CSV, JSON Lines and Parquet, the attachments' texts and a "
                     "datapackage.json describing them into a directory, and print each file written.")
    db_option(export)
    export.add_argument("--out", required=True, metavar="DIR", help="directory to write (created if missing)")

    raw = command("raw", "write the archived bytes of URL to stdout",
                  "Write the latest archived bytes of URL to stdout, exactly as the server sent them.")
    raw.add_argument("url", help="the page's or file's address")
    db_option(raw)

    history = command("history", "one JSON line per version of the report at URL",
                      "Print one JSON object per line for every archived version of the report at URL.")
    history.add_argument("url", help="the report's address")
    db_option(history)

    warc = command("warc", "export every archived fetch as a WARC file",
                   "Write every archived fetch, all versions, as a WARC file for web-archive tools.")
    db_option(warc)
    warc.add_argument("--out", required=True, metavar="FILE",
                      help="FILE.warc, or FILE.warc.gz for a compressed one")

    portals = command("portals", "check each site's home page: answers, walls, whose it is",
                      "Fetch each site's home page once, politely (then its alt_urls when it fails), and "
                      "record in the table portals whether it answers, an anti-bot wall, its title, "
                      "网站标识码 and ICP number, and whether it names its government.  Prints a summary.")
    portals.add_argument("--sites", default="sites.yaml", metavar="FILE", help="the sites file (YAML)")
    db_option(portals, "created if missing")
    portals.add_argument("--site", action="append", default=[], metavar="NAME",
                         help="check only this site (repeatable)")
    portals.add_argument("--region", action="append", default=[], metavar="PREFIX",
                         help="check only the sites whose region starts with PREFIX (repeatable)")
    portals.add_argument("--write-sites", metavar="FILE",
                         help="write the sites file here with each site whose alternative address answered "
                              "instead of its home page starting there")
    portals.add_argument("--log-file", metavar="FILE", help="append Scrapy's log here")
    portals.add_argument("-s", "--set", action="append", default=[], metavar="NAME=VALUE",
                         help="override a Scrapy setting (repeatable)")

    status = command("status", "per-site health from the crawl history",
                     "Print one line per site: reports, last run, pages, failures, and what looks "
                     "broken.  Exits 1 when any site is flagged.")
    db_option(status)

    demo = command("demo", "crawl the bundled demo portals and serve them",
                   "Serve the bundled fixture portals on 127.0.0.10- port 18080, crawl them into "
                   "the database, then publish it with Datasette (what `make demo` runs).")
    db_option(demo, "created if missing")
    demo.add_argument("--port", type=port, default=8001, help="port to publish the archive on, at 127.0.0.1")
    demo.add_argument("--no-serve", action="store_true", help="crawl only: bind no publishing port")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = None
    try:
        args = build_parser().parse_args(argv)
        status = COMMANDS[args.command](args) or EXIT_OK
        sys.stdout.flush()  # a closed pipe surfaces here, not at interpreter exit
        return status
    except CliError as exc:
        return _fail(str(exc), exc.status)
    except BrokenPipeError:
        return _stdout_closed()
    except KeyboardInterrupt:
        return _fail("interrupted", 130)
    except sqlite3.Error as exc:  # e.g. a corrupt archive, found half-way through a query
        return _fail(f"{getattr(args, 'db', '?')}: {_describe(exc)}", EXIT_ERROR)
    except OSError as exc:
        return _fail(_describe(exc), EXIT_ERROR)


def _fail(message: str, status: int) -> int:
    print(f"error: {message}", file=sys.stderr)
    return status


def _stdout_closed() -> int:
    """The reader of our output went away (`| head`): not an error to report, but the output
    is cut short, so exit as a writer killed by SIGPIPE would.  Standard output is pointed at
    /dev/null so that Python's flush at exit does not complain about it."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    return EXIT_PIPE


def _describe(exc: BaseException) -> str:
    """One line for an OSError or sqlite3 error: the file it concerns and why."""
    if isinstance(exc, OSError) and exc.strerror:
        where = exc.filename if exc.filename is not None else ""
        return f"{where}: {exc.strerror}" if where else exc.strerror
    text = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    return f"database error: {text}" if isinstance(exc, sqlite3.Error) else text


def _open_store(db: str, readonly: bool = False):
    """The archive: read as it is (readonly, it must exist), or opened for writing and migrated."""
    from crawler.store import Store
    if readonly and not Path(db).is_file():
        raise CliError(f"{db}: no such database")
    try:
        return Store(db, readonly=readonly)
    except Exception as exc:  # sqlite3.OperationalError, DatabaseError, PermissionError …
        raise CliError(f"{db}: cannot open the database ({str(exc).splitlines()[0]})") from None


@contextlib.contextmanager
def _writing(out: str):
    """An output that cannot be written (read-only directory, a path under a file) is one line."""
    try:
        yield
    except BrokenPipeError:
        raise
    except OSError as exc:
        raise CliError(f"cannot write {exc.filename or out}: {exc.strerror or exc}") from None


def _check_log_file(path: str | None) -> None:
    """Open the log file before the run starts, so an unwritable one stops nothing half-way."""
    if path:
        with _writing(path), open(path, "a", encoding="utf-8"):
            pass


def _sites_and_settings(args) -> tuple[list, dict]:
    """What `crawl` and `portals` share: the selected sites (a bad sites file or selection is
    exit 2), the -s NAME=VALUE settings, and a log file checked writable before anything runs."""
    from crawler import run
    from crawler.crawl.sites import SitesError
    try:
        sites = run.load_sites(args.sites, args.site, args.region)
    except SitesError as exc:
        raise CliError(str(exc), EXIT_USAGE) from None
    except OSError as exc:  # a directory, an unreadable file: still a bad sites file
        raise CliError(f"{args.sites}: cannot read the sites file ({exc.strerror or exc})", EXIT_USAGE) from None
    overrides = {}
    for pair in args.set:
        name, sep, value = pair.partition("=")
        if not sep or not name:
            raise CliError(f"-s expects NAME=VALUE, got {pair!r}", EXIT_USAGE)
        overrides[name] = value
    _check_log_file(args.log_file)
    return sites, overrides


def cmd_crawl(args) -> int:
    from crawler import run
    sites, overrides = _sites_and_settings(args)
    from crawler import user_agent
    try:
        user_agent()   # ARCHIVE_CONTACT, the address in every request, must be sendable
    except ValueError as exc:
        raise CliError(str(exc), EXIT_USAGE) from None
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
        raise CliError(result["error"])
    if result["status"] != "finished":  # even under -q: cron should hear of it
        raise CliError(f"the crawl did not finish ({result['status']}); run {result['run_id']} is recorded as such")
    return EXIT_OK


def cmd_portals(args) -> int:
    from crawler import run
    from crawler.crawl.sites import write_checked
    sites, overrides = _sites_and_settings(args)
    try:
        with run.lock(args.db):
            _open_store(args.db).close()
            rows = run.check_portals(sites, args.db, overrides=overrides, log_file=args.log_file)
    except run.Locked as exc:
        raise CliError(str(exc), EXIT_LOCKED) from None
    print(run.portals_summary(rows))
    if args.write_sites:
        try:
            changed = write_checked(args.sites, args.write_sites, rows)
        except OSError as exc:
            raise CliError(f"{args.write_sites}: cannot write the sites file ({exc.strerror or exc})") from None
        print(f"{args.write_sites}: {changed} site(s) now start at their alternative address")
    return EXIT_OK


def cmd_serve(args) -> int:
    from crawler.publish.serve import serve
    _open_store(args.db, readonly=True).close()
    with _serving(args.host, args.port):
        serve(args.db, args.host, args.port, args.processes)
    return EXIT_OK


@contextlib.contextmanager
def _serving(host: str, port: int):
    """A port already taken (or not ours to bind) is a one-line error naming the address."""
    try:
        yield
    except OSError as exc:
        if exc.errno not in ADDRESS_ERRNOS:
            raise
        raise CliError(f"cannot serve on {host}:{port} ({os.strerror(exc.errno)})") from None


def cmd_export(args) -> int:
    store = _open_store(args.db, readonly=True)
    from crawler.publish.export import export
    with _writing(args.out):
        written = export(store, Path(args.out))
    for path in written:
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
    with _writing(args.out):
        count = write_warc(store, Path(args.out))
    print(f"{count} records written to {args.out}")
    return EXIT_OK


def cmd_status(args) -> int:
    from crawler.analyze.health import site_health
    from crawler.run import portals_summary
    store = _open_store(args.db, readonly=True)
    rows = site_health(store)
    for row in rows:
        flags = "; ".join((row["flags"] or ["ok"]) + row["notes"])
        print(f"{row['site']:<24} reports {row['reports']:>5}  last run {row['last_run'] or '-'}  "
              f"pages {row['pages']:>5}  failures {row['failures']:>4}  {flags}")
    checked = store.portals()
    if checked:   # the latest `portals` check, in one line
        print(portals_summary(checked))
    return EXIT_ERROR if any(r["flags"] for r in rows) else EXIT_OK


def cmd_demo(args) -> int:
    from crawler import run
    from crawler.devtools.demo import DemoError, demo
    try:
        return demo(args.db, args.port, serve=not args.no_serve)
    except DemoError as exc:
        raise CliError(str(exc)) from None
    except sqlite3.Error as exc:
        raise CliError(f"{args.db}: cannot open the database ({str(exc).splitlines()[0]})") from None
    except run.Locked as exc:
        raise CliError(str(exc), EXIT_LOCKED) from None


COMMANDS = {"crawl": cmd_crawl, "serve": cmd_serve, "export": cmd_export, "raw": cmd_raw,
            "history": cmd_history, "warc": cmd_warc, "status": cmd_status, "demo": cmd_demo,
            "portals": cmd_portals}
