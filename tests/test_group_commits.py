"""Store.group_commits: a crawl's units of writes share one transaction for up to a second.

Each unit (tx()) is still kept or dropped whole and in order, so what a killed process leaves is
a state it could have been killed in with one commit a unit; a failing medium still fails every
later write. Real SQLite files; a real process killed with os._exit; a real full file system."""
from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import time
from contextlib import closing

import pytest

from crawler.store import Store, StoreWriteError
from tests.conftest import ROOT
from tests.test_faults import small_disk  # noqa: F401 - the fixture


def fetch(store: Store, n: int, body: bytes | None = None) -> None:
    store.record_fetch(f"http://example.gov.cn/{n}.html", site="s", role="report", status=200,
                       body=body if body is not None else f"page {n}".encode())


def pages(db) -> list[str]:
    with closing(sqlite3.connect(db)) as conn:
        return [r[0] for r in conn.execute("SELECT url FROM pages ORDER BY url")]


def test_a_group_shows_when_it_commits(tmp_path):
    db = tmp_path / "a.db"
    store = Store(db)
    store.group_commits(60)
    fetch(store, 1)
    fetch(store, 2)
    assert pages(db) == []   # another reader sees the last commit
    store.commit()
    assert len(pages(db)) == 2
    store.close()


def test_a_group_commits_once_it_is_old_enough(tmp_path):
    db = tmp_path / "a.db"
    store = Store(db)
    store.group_commits(0.05)
    fetch(store, 1)
    time.sleep(0.1)
    fetch(store, 2)   # the first unit past the group's age commits it
    assert len(pages(db)) == 2
    store.close()


def test_a_failed_unit_is_dropped_alone(tmp_path):
    db = tmp_path / "a.db"
    store = Store(db)
    store.group_commits(60)
    fetch(store, 1)
    with pytest.raises(RuntimeError), store.tx():
        fetch(store, 2)   # inside the failing unit: dropped with it
        raise RuntimeError("a bug in the unit")
    fetch(store, 3)
    store.close()   # close commits the open group
    assert pages(db) == ["http://example.gov.cn/1.html", "http://example.gov.cn/3.html"]


def test_a_killed_process_keeps_what_it_had_committed_whole(tmp_path):
    db = tmp_path / "a.db"
    script = (
        "import os, sys\n"
        "from crawler.store import Store\n"
        "from tests.test_group_commits import fetch\n"
        "store = Store(sys.argv[1]); store.group_commits(60)\n"
        "for n in range(3): fetch(store, n)\n"
        "store.commit()\n"
        "for n in range(3, 6): fetch(store, n)\n"
        "os._exit(9)\n")
    done = subprocess.run([sys.executable, "-c", script, str(db)], cwd=ROOT,
                          env=dict(os.environ, PYTHONPATH=str(ROOT)), capture_output=True)
    assert done.returncode == 9, done.stderr.decode()
    store = Store(db)   # opens and recovers as after any crash
    assert pages(db) == [f"http://example.gov.cn/{n}.html" for n in range(3)]
    with closing(sqlite3.connect(db)) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("SELECT count(*) FROM fetches").fetchone()[0] == 3
    store.close()


def test_a_full_medium_fails_the_group_and_every_later_write(small_disk):  # noqa: F811
    db = small_disk / "archive.db"
    store = Store(db)
    store.group_commits(60)
    fetch(store, 1)
    store.commit()
    with pytest.raises(StoreWriteError) as failed:
        for n in range(2, 40):   # incompressible pages, more than the 3 MB disk holds
            fetch(store, n, os.urandom(200_000))
        store.commit()
    assert "cannot write the archive" in str(failed.value)
    with pytest.raises(StoreWriteError):
        fetch(store, 99)
    store.db.conn.close()
    assert pages(db) == ["http://example.gov.cn/1.html"]   # the committed group, nothing after


def report(n: int, body: str) -> dict:
    return {"url": f"http://example.gov.cn/r{n}.html", "site": "s", "title": f"2024年某县法治政府建设年度报告{n}",
            "report_type": "法治政府建设年度报告", "year": 2024, "body": body}


def search_index(db) -> list[tuple]:
    """Every (term, rowid) of the search index, through fts5vocab."""
    with closing(sqlite3.connect(db)) as conn:
        conn.execute("CREATE VIRTUAL TABLE temp.v USING fts5vocab(main, reports_search, instance)")
        return conn.execute("SELECT term, doc, col, offset FROM temp.v ORDER BY 1, 2, 3, 4").fetchall()


def test_the_search_index_of_a_group_is_the_index_of_one_commit_a_unit(tmp_path):
    """Search rows written when the group commits, a report changed or failed within the group
    included, give the very index that one commit a unit gives."""
    indexes = []
    for seconds in (None, 60):
        store = Store(tmp_path / f"{seconds}.db")
        store.group_commits(seconds)
        store.save_report(report(1, "行政复议案件办理情况。" * 3))
        store.save_report(report(2, "政府信息公开工作年度报告正文。"))
        store.save_report(report(1, "行政诉讼应诉情况，已改。"))   # changed in the same group
        with pytest.raises(RuntimeError), store.tx():
            store.save_report(report(3, "一个失败的单元。"))
            raise RuntimeError("a bug in the unit")
        store.commit()
        store.save_report(report(2, "第二组里改过的正文。"))   # changed in a later group
        store.close()
        indexes.append(search_index(tmp_path / f"{seconds}.db"))
    assert indexes[0] == indexes[1] and indexes[0]
