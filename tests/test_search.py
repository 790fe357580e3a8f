"""Chinese search: the bigram index in store.py and the query side in cjk_search.py give
exactly the reports that contain the query, on texts taken from the seeds.

`seed_archive` builds the test archive the publication tests share.
"""
from __future__ import annotations

import functools
import importlib.util
import json
import random
import re
import sqlite3

import pytest
from conftest import FIXTURES, ROOT, SEEDS

from cjk_search import (
    FTS_TABLE,
    ROWS_TABLE,
    checked_terms,
    exact_term,
    fold,
    index_text,
    index_tokens,
    match_expression,
    parse_query,
    snippet,
)
from crawler.store import Store

PLUGIN = ROOT / "datasette" / "plugins" / "archive_search.py"
PROVINCES = {"岳麓": "湖南省", "城口": "重庆市", "阿拉善": "内蒙古自治区", "漯河": "河南省"}
XSS = "<script>alert(1)</script><img src=x onerror=\"document.body.dataset.pwned=1\">"
WORDS = ["执法", "复议", "普法", "调解", "依法治", "执法证", "复议案", "行政复议", "法治政府",
         "12345政务服务", "LED", "led", "100%", "行政复议 台风", "执法 普法 调解", "2020年度法"]


def seed_reports() -> list[dict]:
    """One report per seed file, and one per third of its paragraphs: varied hit sets."""
    reports = []
    for path in sorted(SEEDS.glob("*.txt")):
        lines = [line.strip() for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
        at = next(i for i, line in enumerate(lines)
                  if re.search("报告|方案", line) and ">" not in line and len(line) < 60)
        title = re.sub(r"\s+", "", lines[at])
        paragraphs = [line for line in lines[at + 1:] if re.sub(r"\s+", "", line) != title]
        head = "\n".join(lines[:at + 1] + paragraphs[:3])
        meta = {
            "year": int(m.group(1)) if (m := re.search(r"(20\d\d)年", title)) else None,
            "report_type": "法治政府建设年度报告" if re.search("法治政府建设.*报告", title) else "其他",
            "published_date": m.group(1) if (m := re.search(
                r"(?:发布日期|成文时间|时间)\s*[\]:：]?\s*(\d{4}-\d\d-\d\d)", head)) else None,
            "publisher": m.group(1) if (m := re.search(r"发布机构\s*[\]:：]?\s*(\S+?)(?:\s|\[|$)",
                                                        head)) else None,
            "province": next((p for k, p in PROVINCES.items() if k in "\n".join(lines)), None),
            "site": "seed",
        }
        url = f"http://www.example.gov.cn/zwgk/{path.stem}/index.html"
        reports.append({"url": url, "title": title, "body": "\n".join(paragraphs), **meta})
        third = -(-len(paragraphs) // 3)
        for part in range(3):
            chunk = paragraphs[part * third:(part + 1) * third]
            reports.append({"url": f"{url[:-10]}part_{part + 1}.html?id={part},x",
                            "title": f"{title}（第{part + 1}部分）", "body": "\n".join(chunk), **meta})
    return reports


def seed_archive(path) -> list[dict]:
    """A real archive written through Store: reports, a page snapshot, a revised version,
    a copy, an attachment, a crawl run — and a report that carries script in its text."""
    store = Store(path)
    reports = seed_reports()
    run = store.start_run(["seed"], 1)
    first = reports[0]
    evil = dict(reports[5], url="http://www.example.gov.cn/zwgk/evil.html",
                title="关于<b>脚本</b>的报告", body=XSS + "\n" + reports[5]["body"])
    for report in reports + [evil]:
        html = f"<html><head><meta charset=gbk><script>alert(2)</script></head><body><p>{report['body']}</p>"
        digest = store.record_fetch(report["url"], site="seed", role="report", status=200,
                                    content_type="text/html; charset=gbk",
                                    body=html.encode("gbk", "replace"), run_id=run)
        store.save_report(report, digest)
    revised = dict(first, body=first["body"] + "\n（此件公开发布）")
    store.save_report(revised)
    store.add_copy("http://sft.example.gov.cn/repost/1.html", first["url"], "sft", first["title"], 0.97)
    store.save_attachment({"url": "http://www.example.gov.cn/zwgk/att/report.pdf",
                           "report_url": first["url"], "name": "报告全文.pdf", "type": "pdf",
                           "size": 1234, "sha256": "ab" * 32, "text": reports[1]["body"]})
    store.finish_run(run, "finished", {"pages_fetched": len(reports) + 1, "reports_new": len(reports) + 1},
                     {"seed": {"pages": len(reports) + 1}})
    store.close()
    return [revised] + reports[1:] + [evil]


def truth(reports: list[dict], query: str, columns=("title", "body")) -> set[str]:
    """A plain Python substring search: the definition the index must meet."""
    terms = query.split()
    return {r["url"] for r in reports
            if all(t.lower() in "\n".join(r[c] or "" for c in columns).lower() for t in terms)}


@functools.cache
def search_plugin():
    spec = importlib.util.spec_from_file_location("archive_search", PLUGIN)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def indexed_search(db: sqlite3.Connection, query: str) -> set[str]:
    """The reports the Datasette plugin's SQL returns for `query`."""
    plugin = search_plugin()
    plugin.prepare_connection(db)
    sql = f"SELECT url FROM reports WHERE {plugin.search_condition('q')}"
    return {url for (url,) in db.execute(sql, {"q": query})}


def candidates(db: sqlite3.Connection, query: str) -> set[str]:
    expr = match_expression(parse_query(query))
    return {u for (u,) in db.execute(
        f"SELECT m.url FROM {ROWS_TABLE} m JOIN {FTS_TABLE} s ON s.rowid = m.id "
        f"WHERE {FTS_TABLE} MATCH ?", [expr])}


@pytest.fixture(scope="module")
def archive(tmp_path_factory):
    path = tmp_path_factory.mktemp("search") / "archive.db"
    reports = seed_archive(path)
    db = sqlite3.connect(path)
    yield db, reports
    db.close()


def test_bigrams_and_words():
    # each CJK run: its bigrams, then its last character (runs never abut; every character
    # begins a token)
    assert index_text("拨打12345热线，依法治ICP。法") == "拨打 打 12345 热线 线 依法 法治 治 ICP 法"
    assert index_text(None) == ""


def test_query_rewriting():
    terms = parse_query('行政复议  台风 "依法 行政" ICP 行政复议')
    assert terms == ["行政复议", "台风", "依法 行政", "icp"]
    assert match_expression(terms) == '"行政 政复 复议" AND "台风" AND "依法" AND "行政"'
    assert match_expression(["法", "icp"]) == '"法" *'
    assert match_expression(["icp", "100%"]) is None
    assert match_expression(["执法证"], "title") == 'title : "执法 法证"'
    assert [t for t in ["法", "执法证", "依法 行政", "icp", "2020年", "ＡＢ", "《执法》"] if exact_term(t)] \
        == ["法", "执法证"]
    assert checked_terms(["执法", "12345", "执法证"]) == ["12345"]


@pytest.mark.parametrize("query", WORDS)
def test_index_finds_exactly_the_substring_hits(archive, query):
    db, reports = archive
    expected = truth(reports, query)
    assert indexed_search(db, query) == expected
    if match_expression(parse_query(query)):
        assert candidates(db, query) >= expected  # the index alone never misses a hit


def test_words_of_the_seeds_sampled(archive):
    """Every 2–4-character substring sampled from the texts, and reversed ones mostly absent."""
    db, reports = archive
    rng = random.Random(5)
    text = "".join(r["body"] for r in reports)
    queries = set()
    while len(queries) < 80:
        n, at = rng.randint(2, 4), rng.randrange(len(text) - 4)
        word = text[at:at + n]
        if not any(c.isspace() or c == '"' for c in word):
            queries.update([word, word[::-1]])
    for query in queries:
        assert indexed_search(db, query) == truth(reports, query), query


def test_search_by_column(archive):
    db, reports = archive
    expr = match_expression(["部分"], "title")
    hits = {u for (u,) in db.execute(
        f"SELECT m.url FROM {ROWS_TABLE} m JOIN {FTS_TABLE} s ON s.rowid = m.id "
        f"WHERE {FTS_TABLE} MATCH ?", [expr])}
    assert hits == truth(reports, "部分", ("title",)) and len(hits) == 15


def test_index_follows_changes_and_deletions(tmp_path):
    store = Store(tmp_path / "a.db")
    report = seed_reports()[3]
    store.save_report(report)
    word = "台风防御"
    assert word not in report["body"]
    store.save_report(dict(report, body=report["body"] + word))
    assert candidates(store.db.conn, word) == {report["url"]}
    store.save_report(report)  # the text changes back: the old tokens leave the index
    assert candidates(store.db.conn, word) == set()
    store.add_copy(report["url"], "http://other.gov.cn/x.html", "other", report["title"], 0.99)
    assert candidates(store.db.conn, "执法") == set()  # the deleted row left the index
    store.db.execute(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('integrity-check')")
    store.close()


def test_index_rebuilt_when_out_of_step(tmp_path):
    """A database written before the index existed (or behind the store's back) is reindexed."""
    store = Store(tmp_path / "a.db")
    reports = seed_reports()[:4]
    for report in reports:
        store.save_report(report)
    store.db.execute(f"DROP TABLE {FTS_TABLE}")
    store.db.execute(f"DROP TABLE {ROWS_TABLE}")
    store.close()
    store = Store(tmp_path / "a.db")
    assert indexed_search(store.db.conn, "执法证") == truth(reports, "执法证")
    store.close()


def test_snippet_marks_every_term():
    body = seed_reports()[0]["body"]
    pieces = snippet(body, parse_query("执法 普法"), context=10)
    marked = [p for p, hit in pieces if hit]
    assert marked and set(marked) <= {"执法", "普法"}
    assert "".join(p for p, _ in pieces).count("…") >= 1
    assert all(len(p) <= 60 for p, hit in pieces if not hit)


@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")  # the refusals
def test_the_search_functions_refuse_what_no_search_needs():
    plugin = search_plugin()
    db = sqlite3.connect(":memory:")
    plugin.prepare_connection(db)
    assert plugin.bounded_terms("执法 复议") == ["执法", "复议"]
    for query in ("x" * (plugin.MAX_QUERY_CHARS + 1), " ".join(f"词{i}" for i in range(plugin.MAX_TERMS + 1)),
                  "执" * (plugin.MAX_TERM_CHARS + 1)):
        with pytest.raises(plugin.QueryTooLong):
            plugin.bounded_terms(query)
        for sql in ("SELECT cjk_match(?, NULL)", "SELECT cjk_like_patterns(?)", "SELECT cjk_snippet('x', ?)"):
            with pytest.raises(sqlite3.OperationalError):
                db.execute(sql, [query]).fetchone()
    # a snippet of a long run of hits looks at the first few, and says the same as without a bound
    text = "执法" * 200_000
    assert plugin._cjk_snippet(text, "执法").count("<mark>") < 300
    body = seed_reports()[0]["body"]
    for word in ("执法", "复议", "法治政府"):
        assert snippet(body, [word], limit=200) == snippet(body, [word])


# texts where an index that is only a superset would answer wrongly: a term across punctuation
# (its bigrams in a row across two runs), across title and body, one character alone or at the
# end of a run, Latin letters and digits inside longer words, fullwidth letters that fold
TRAPS = {
    "across": ("政务（一）", "推进政务，务公开不够。拨打12345热线"),
    "inside": ("推进政务公开工作", "全面推进政务公开工作，ICP备案2023年度完成"),
    "boundary": ("关于政务", "公开的报告"),
    "alone": ("说明", "依。法。ｌｅｄ"),
    "end": ("依法", "坚持依法\nLED屏"),
    "fullwidth": ("ＡＢＣ台", "全角ＡＢＣ字样，12023年度"),
    "fold": ("ａｂｃ台", "全角ａｂｃ字样，2023 年度"),
}
TRAP_QUERIES = ["政务公开", "务公", "公开", "政务", "法", "依", "说", "务", "开的", "务公开不够", "依法",
                "2345", "123", "icp", "ICP备", "led", "LED屏", "ＡＢＣ", "ａｂｃ", "ＡＢ", "2023年度",
                "2023年", "年度", "3 年度", "热线", "12345热线", "拨打1", "。法", "法。", "政务 法",
                "政务（一）", "（一）", "政务公开 法", "台", "字样"]


def trap_truth(query: str, columns=("title", "body")) -> set[str]:
    """Substring search as LIKE does it: ASCII letters case-insensitively, all else as it is."""
    return {f"http://trap.example.gov.cn/{key}.html" for key, texts in TRAPS.items()
            if all(t in fold("\n".join(t for c, t in zip(("title", "body"), texts, strict=True)
                                        if c in columns)) for t in parse_query(query))}


def test_search_is_exact_on_texts_that_trap_an_index(tmp_path):
    """The archive's SQL (through the rows table), the published file's (rowids aligned), and
    the table page (which, for Chinese terms, asks the index alone) all give the truth."""
    import asyncio
    import json
    from urllib.parse import quote

    from crawler.publish.serve import app
    from crawler.store.publish import publish, published_path
    store = Store(tmp_path / "a.db")
    for key, (title, body) in TRAPS.items():
        store.save_report({"url": f"http://trap.example.gov.cn/{key}.html", "title": title, "body": body,
                           "site": "trap"})
    store.close()
    publish(tmp_path / "a.db")
    published = sqlite3.connect(published_path(tmp_path / "a.db"))
    assert published.execute("PRAGMA user_version").fetchone()[0] == 1000 + 2
    plugin = search_plugin()
    plugin.prepare_connection(published)
    datasette = app(published_path(tmp_path / "a.db"), tmp_path / "a.db")
    loop = asyncio.new_event_loop()
    archive = sqlite3.connect(tmp_path / "a.db")
    try:
        for query in TRAP_QUERIES:
            expected = trap_truth(query)
            assert indexed_search(archive, query) == expected, query
            assert {u for (u,) in published.execute(
                f"SELECT url FROM reports WHERE {plugin.search_condition('q', aligned=True)}",
                {"q": query})} == expected, query
            for key, columns in (("_search", ("title", "body")), ("_search_title", ("title",))):
                response = loop.run_until_complete(datasette.client.get(
                    f"/archive/reports.json?{key}={quote(query)}&_shape=array&_col=title"))
                assert {r["url"] for r in json.loads(response.text)} == trap_truth(query, columns), (key, query)
    finally:
        loop.close()
        archive.close()
        published.close()


def test_an_archive_indexed_by_the_old_version_is_searched_exactly_as_it_is(tmp_path):
    """An archive whose index is of version 1 (bigrams only: written before the run ends were
    indexed, and served by `serve` before any crawl re-indexes it) is narrowed by its index
    and decided by LIKE — never taken for exact."""
    import asyncio
    import json
    from urllib.parse import quote

    from crawler.publish.serve import app
    path = tmp_path / "old.db"
    store = Store(path)
    for key, (title, body) in TRAPS.items():
        store.save_report({"url": f"http://trap.example.gov.cn/{key}.html", "title": title, "body": body,
                           "site": "trap"})
    store.close()

    def version_1(text):  # the index text of version 1, as it was written: no run ends
        return " ".join(t for t in index_text(text).split()
                        if not (len(t) == 1 and t >= "\u2e80"))
    db = sqlite3.connect(path)
    db.execute(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('delete-all')")
    for rowid, title, body in db.execute(f"SELECT m.id, r.title, r.body FROM {ROWS_TABLE} m "
                                         "JOIN reports r ON r.url = m.url").fetchall():
        db.execute(f"INSERT INTO {FTS_TABLE}(rowid, title, body) VALUES (?, ?, ?)",
                   [rowid, version_1(title), version_1(body)])
    db.execute(f"UPDATE {ROWS_TABLE} SET version = 1")
    db.commit()
    plugin = search_plugin()
    plugin.prepare_connection(db)
    datasette = app(path, path)
    loop = asyncio.new_event_loop()
    try:
        for query in TRAP_QUERIES:
            assert {u for (u,) in db.execute(
                f"SELECT url FROM reports WHERE {plugin.search_condition('q', current=False)}",
                {"q": query})} == trap_truth(query), query
            response = loop.run_until_complete(datasette.client.get(
                f"/archive/reports.json?_search={quote(query)}&_shape=array&_col=title"))
            assert {r["url"] for r in json.loads(response.text)} == trap_truth(query), query
    finally:
        loop.close()
        db.close()


def _index_rows(store: Store) -> list[tuple]:
    """Every (term, report, column, offset) the search index holds, by report address (rowids
    may differ between archives): what a search can match, read through fts5vocab."""
    store.db.execute(f"CREATE VIRTUAL TABLE IF NOT EXISTS temp.vocab USING fts5vocab(main, {FTS_TABLE}, 'instance')")
    return sorted(store.db.execute(
        f"SELECT v.term, m.url, v.col, v.offset FROM temp.vocab v JOIN {ROWS_TABLE} m ON m.id = v.doc").fetchall())


def test_the_workers_tokens_index_exactly_as_the_store_would(tmp_path):
    """The crawl tokenizes a report's title and body in its worker processes (tasks.read_page);
    the index the store writes with those tokens is the one it writes tokenizing itself — for a
    real GBK page read by the extractor, and for the seeds — and tokens computed for another text
    (a cover page's body became its file's text) are never used."""
    from crawler.crawl import tasks
    expected = json.loads((FIXTURES / "pages" / "expected.json").read_text(encoding="utf-8"))["fixtures"]
    name = "yuelu_legacy_gbk.html"
    html = (FIXTURES / "pages" / name).read_bytes().decode(expected[name]["encoding"])
    page, _, page_tokens = tasks.read_page(expected[name]["url"], html, None, [], None)
    reports = [(page, page_tokens)] + [(r, index_tokens(r["title"], r["body"])) for r in seed_reports()[:8]]
    stale = dict(reports[1][0], body=reports[2][0]["body"])   # its tokens are the old body's
    reports.append((stale, reports[1][1] | {"other": "x"}))
    by_store, by_worker = Store(tmp_path / "store.db"), Store(tmp_path / "worker.db")
    for report, tokens in reports:
        by_store.save_report(report)
        by_worker.save_report(report, tokens=tokens)
    assert page["body"] and page_tokens[page["body"]]
    rows = _index_rows(by_store)
    assert rows and rows == _index_rows(by_worker)
    assert {url for _, url, _, _ in rows} == {r["url"] for r, _ in reports}
    by_worker.db.execute(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('integrity-check')")
    by_store.close()
    by_worker.close()
