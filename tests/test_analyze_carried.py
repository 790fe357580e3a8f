"""The analysis with the ruled pages carried from the file's reading gives the rows it gives
when it looks for them itself.

tasks.read_file reads a PDF's pages once (pdfium_text.read_pdf) and returns, beside the text,
the pages that can hold a ruled table; ReportKeeper.analysis hands them to tasks.analyze (which
may run in another worker, or in a cluster's writer) and leaves out a PDF that has none, so the
analysis no longer loads every page of every PDF a second time. Here each PDF of tests/fixtures
and of the attachment fuzz set is attached to a 信息公开 report (the kind whose analysis reads
its PDFs' tables) stored in a real Store; the analysis arguments are built with the Reader's
results (the new path) and without them (what the analysis did before: every PDF, its ruled
pages found by ruled_pages), and both analyses must give the same rows.
"""
from __future__ import annotations

import pytest

from crawler.analyze.sections import XXGK
from crawler.crawl import tasks
from crawler.crawl.items import Attachment, ReportItem
from crawler.crawl.pipelines import ReportKeeper
from crawler.store import Store
from tests.conftest import FIXTURES
from tests.fuzzfiles import cases

SEED = 20261201
TITLE = "某县2024年政府信息公开工作年度报告"


def _pdfs() -> list[tuple[str, bytes]]:
    files = [(str(path.relative_to(FIXTURES)), path.read_bytes()) for path in sorted(FIXTURES.rglob("*.pdf"))]
    return files + [(name, data) for name, data, kind in cases(SEED, 120) if kind == "pdf" and data]


PDFS = _pdfs()


@pytest.fixture(scope="module")
def keeper(tmp_path_factory):
    store = Store(tmp_path_factory.mktemp("carried") / "a.db")
    yield ReportKeeper(store, lambda *args: None)
    store.close()


def _item(n: int, data: bytes) -> ReportItem:
    url = f"http://127.0.0.1/xxgk/{n}.html"
    return ReportItem(site="x", url=url, html=f"<html><head><title>{TITLE}</title></head><body>"
                      f"<h1>{TITLE}</h1><p>全文详见附件。</p><a href=\"{n}.pdf\">附件</a></body></html>",
                      attachments=[Attachment(url=f"http://127.0.0.1/xxgk/{n}.pdf", name="附件",
                                              kind="pdf", data=data)])


def _analyses(keeper: ReportKeeper, n: int, data: bytes):
    item = _item(n, data)
    results = [(True, None), (True, tasks.read_file(data, "pdf"))]
    text = results[1][1][0]
    keeper.store.save_report({"url": item.url, "site": "x", "title": TITLE, "report_type": XXGK,
                              "year": 2024, "body": f"一、总体情况\n{text or '全文详见附件。'}"})
    carried = keeper.analysis(item, "new", results)
    looked_up = keeper.analysis(item, "new")
    return carried, looked_up, results[1][1][3]


@pytest.mark.parametrize("n,name,data", [(n, name, data) for n, (name, data) in enumerate(PDFS)],
                         ids=[name for name, _ in PDFS])
def test_the_carried_ruled_pages_give_the_same_analysis(keeper, n, name, data):
    carried, looked_up, ruled = _analyses(keeper, n, data)
    assert looked_up[2] == [data] and looked_up[-1] == [None]   # as before: every PDF, nothing known
    if ruled == []:
        assert carried[2] == [] and carried[-1] == []   # no page can hold a table: the bytes stay here
    else:
        assert carried[2] == [data] and carried[-1] == [ruled]   # ruled pages, or None when unread
    assert tasks.analyze(*carried) == tasks.analyze(*looked_up)


def test_the_comparison_covers_tables_files_without_rules_and_unread_files(keeper):
    """Not vacuous: the real reports' tables are found on the carried pages, most PDFs carry
    no ruled page (they go nowhere), and broken ones carry nothing (the analysis asks)."""
    kinds = {"tables": 0, "none": 0, "unread": 0}
    for n, (name, data) in enumerate(PDFS):
        carried, _, ruled = _analyses(keeper, 10_000 + n, data)
        kinds["unread" if ruled is None else "tables" if ruled else "none"] += 1
        if name == "analyze/huaian_2024.pdf":
            figures = tasks.analyze(*carried)["figures"]
            assert {f["table_no"] for f in figures} == {"二", "三", "四"}
    assert kinds["tables"] >= 5 and kinds["none"] >= 50 and kinds["unread"] >= 10, kinds
