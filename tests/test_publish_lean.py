"""The published database does not repeat text (crawler/store/publish.py): a report's current
text is in `reports.body` once, not again in `versions.body`; every version's text stays
readable (`versions_text`, the diff view), also after a revision published incrementally."""
from __future__ import annotations

import asyncio
import sqlite3

from test_search import seed_archive

from crawler.analyze.report import analyze_report
from crawler.analyze.sections import FZ
from crawler.publish.serve import app
from crawler.store import Store
from crawler.store.publish import publish, published_path
from tests.conftest import SEEDS

SECTIONS = "SELECT report_url, position, level, heading, label, text FROM sections ORDER BY 1, 2"


def rows(path, sql, params=()):
    conn = sqlite3.connect(path)
    try:
        return conn.execute(sql, params).fetchall()
    finally:
        conn.close()


def version_texts(path) -> list[tuple]:
    """Every version's (url, sha256, title, body) as the archive or the published file gives it."""
    table = "versions_text" if rows(path, "SELECT 1 FROM sqlite_master WHERE name = 'versions_text'") else "versions"
    return sorted(rows(path, f"SELECT url, sha256, title, body FROM {table}"))


def test_each_current_text_is_published_once(tmp_path):
    path = tmp_path / "archive.db"
    reports = seed_archive(path)
    publish(path)
    published = published_path(path)
    # a current version's text is kept in reports.body alone; only an old one (the seed revised
    # its first report once) keeps its own
    assert rows(published, "SELECT count(*) FROM versions") == rows(path, "SELECT count(*) FROM versions")
    old = "SELECT v.id FROM versions v JOIN reports r ON r.url = v.url WHERE v.sha256 != r.sha256"
    assert rows(published, "SELECT id FROM versions WHERE body IS NOT NULL ORDER BY id") == \
        rows(path, old + " ORDER BY v.id") and len(rows(path, old)) == 1
    for report in reports:
        body = report["body"]
        (copies,) = rows(published, "SELECT (SELECT count(*) FROM reports WHERE body = ?) + "
                                    "(SELECT count(*) FROM versions WHERE body = ?)", [body, body])[0]
        assert copies == 1, report["url"]
    # and the download still gives every version's text
    assert version_texts(published) == version_texts(path)


def test_a_revised_reports_old_text_is_still_readable(tmp_path):
    path = tmp_path / "archive.db"
    reports = seed_archive(path)
    publish(path)
    revised = reports[3]
    store = Store(path)
    store.save_report(dict(revised, body=revised["body"] + "\n修订后新增：凤凰专项整治"))
    store.close()
    assert publish(path)["mode"] == "incremental"
    published = published_path(path)
    # the old version (published without its body while it was current) has its own text now
    assert rows(published, "SELECT body FROM versions WHERE url = ? ORDER BY id", [revised["url"]]) == \
        [(revised["body"],), (None,)]
    assert version_texts(published) == version_texts(path)
    # the diff between the two versions reads both texts from the published file
    ids = [i for (i,) in rows(published, "SELECT id FROM versions WHERE url = ? ORDER BY id", [revised["url"]])]
    datasette = app(published, path)
    loop = asyncio.new_event_loop()
    try:
        loop.run_until_complete(datasette.invoke_startup())
        response = loop.run_until_complete(datasette.client.get(
            f"/-/diff?old_version={ids[0]}&new_version={ids[1]}"))
        # the reading view links each version to a page that shows its text
        from datasette.utils import tilde_encode
        page = loop.run_until_complete(datasette.client.get(f"/archive/reports/{tilde_encode(revised['url'])}")).text
        assert f"/archive/versions_text?id={ids[1]}" in page
        current = loop.run_until_complete(datasette.client.get(f"/archive/versions_text.json?id={ids[1]}&_shape=array"))
        assert [r["body"] for r in current.json()] == [revised["body"] + "\n修订后新增：凤凰专项整治"]
    finally:
        loop.close()
    assert response.status_code == 200, response.text[:300]
    assert "凤凰专项整治" in response.text
    first_line = revised["body"].splitlines()[0]
    assert first_line in response.text
    # a full publish of the revised archive gives the same
    published.unlink()
    publish(path)
    assert version_texts(published) == version_texts(path)


def test_sections_are_published_as_spans_of_the_body(tmp_path):
    path = tmp_path / "archive.db"
    store = Store(path)
    seeds = sorted(SEEDS.glob("00*_*.txt"))[:3]
    assert len(seeds) == 3
    urls = [f"http://fz.example.gov.cn/{i}.html" for i in range(3)]

    def save(url, body, analyse=True):
        store.save_report({"url": url, "title": "某县法治政府建设年度报告", "report_type": FZ, "year": 2022,
                           "site": "fz", "body": body})
        if analyse:
            store.save_analysis(analyze_report(store.report_row(url), None, [], **store.neighbours(url)))
    # bodies as the extractor keeps them: one paragraph a line
    bodies = ["\n".join(line.strip() for line in seed.read_text(encoding="utf-8").splitlines() if line.strip())
              for seed in seeds]
    for url, body in zip(urls, bodies, strict=True):
        save(url, body)
    publish(path)
    published = published_path(path)
    assert rows(published, SECTIONS) == rows(path, SECTIONS) and len(rows(path, SECTIONS)) > 10
    assert rows(published, "SELECT type FROM sqlite_master WHERE name = 'sections'") == [("view",)]
    # a section's text that is a slice of its body is not stored again; any other is
    kept = rows(published, "SELECT report_url, position FROM section_spans WHERE text != '' ORDER BY 1, 2")
    assert kept == [(u, p) for u, p, t, b in rows(path, "SELECT s.report_url, s.position, s.text, r.body FROM "
                                                      "sections s JOIN reports r ON r.url = s.report_url ORDER BY 1, 2")
                    if t and t not in b]
    assert len(kept) < len(rows(path, SECTIONS)) / 5
    # a revision analysed again, and one not analysed yet (its sections are of the old text,
    # which the new body no longer holds): the published sections are still the archive's
    save(urls[0], bodies[0].replace("一、", "一、（修订）", 1))
    save(urls[1], "前言改写。\n" + bodies[1].replace("。", "；", 3), analyse=False)
    store.close()
    assert publish(path)["mode"] == "incremental"
    assert rows(published, SECTIONS) == rows(path, SECTIONS)
    assert rows(published, "SELECT count(*) FROM section_spans WHERE text != ''")[0][0] > 0
    # and the reading view shows the sections' text
    datasette = app(published, path)
    loop = asyncio.new_event_loop()
    try:
        loop.run_until_complete(datasette.invoke_startup())
        from datasette.utils import tilde_encode
        page = loop.run_until_complete(datasette.client.get(f"/archive/reports/{tilde_encode(urls[2])}")).text
    finally:
        loop.close()
    last = rows(path, "SELECT text FROM sections WHERE report_url = ? AND text IS NOT NULL ORDER BY position DESC",
                [urls[2]])[0][0]
    assert last.splitlines()[-1][:20] in page


def test_a_file_published_before_an_index_was_added_is_published_again(tmp_path):
    """A published file made by an earlier version lacks the indexes this one publishes (the sorted
    first page's): the next publish makes it whole again rather than bringing its rows up to date."""
    path = tmp_path / "archive.db"
    seed_archive(path)
    publish(path)
    published = published_path(path)
    assert publish(path)["mode"] == "unchanged"
    conn = sqlite3.connect(published)
    conn.execute("DROP INDEX [published_reports_published_date_desc_url]")
    conn.commit()
    conn.close()
    again = publish(path)
    assert (again["mode"], again["reason"]) == ("full", "the published indexes changed")
    assert rows(published, "SELECT count(*) FROM sqlite_master WHERE name = 'published_reports_published_date_desc_url'") == [(1,)]
