"""Chinese search: the bigram index in store.py and the query side in cjk_search.py give
exactly the reports that contain the query, on texts taken from the seeds.

`seed_archive` builds the test archive the publication tests share.
"""
from __future__ import annotations

import functools
import importlib.util
import random
import re
import sqlite3

import pytest
from conftest import ROOT, SEEDS

from cjk_search import FTS_TABLE, ROWS_TABLE, index_text, match_expression, parse_query, snippet
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
    assert index_text("拨打12345热线，依法治ICP") == "拨打 12345 热线 依法 法治 ICP"
    assert index_text(None) == ""


def test_query_rewriting():
    terms = parse_query('行政复议  台风 "依法 行政" ICP 行政复议')
    assert terms == ["行政复议", "台风", "依法 行政", "icp"]
    assert match_expression(terms) == '"行政 政复 复议" AND "台风" AND "依法" AND "行政"'
    assert match_expression(["法", "icp"]) is None
    assert match_expression(["执法证"], "title") == 'title : "执法 法证"'


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
