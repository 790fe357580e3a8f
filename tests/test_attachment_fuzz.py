"""Fuzzing attachment reading: corrupt and crafted files fail alone, with a reason (issue 9).

A fixed seed and a bounded size (120 files, each under ~1 MB on disk; tests/fuzzfiles.py): broken
real PDFs, DOCX and DOC files, and crafted ones — zip bombs, a giant text node, nesting thousands
deep, a page tree that loops, 50,000 strokes and no text, a Flate bomb, piece tables and FIBs that
lie, an XLSX, XLS or OFD served as a Word document. Each goes the way the crawl sends a file:
attachment_kind on the crawl's thread, then tasks.read_file in a worker of the pool, under the
crawl's memory limit. None may escape as an exception, run out of memory, kill its worker or
run into the time limit: each is text, or a failure with a one-line reason.
"""
from __future__ import annotations

import pytest

from crawler.crawl import tasks
from crawler.crawl.workers import TaskFailed, WorkerPool
from crawler.extract.attachments import attachment_kind
from tests.fuzzfiles import cases

SEED = 20261201
CASES = 120
TIME_LIMIT = 30   # seconds a file may take in its worker; none of these needs more than a few


@pytest.fixture(scope="module")
def outcomes():
    """name → (kind sniffed, text, reason, what the pool said when the task itself failed)."""
    pool = WorkerPool(2, memory_mb=1024)
    try:
        sniffed, futures = {}, {}
        for name, data, kind in cases(SEED, CASES):
            sniffed[name] = attachment_kind(f"http://127.0.0.1/f/{name}.{kind}", None, data)
            futures[name] = pool.submit(tasks.read_file, data, kind, timeout=TIME_LIMIT)
        out = {}
        for name, future in futures.items():
            try:
                text, reason, *_ = future.result(timeout=TIME_LIMIT * CASES)
                out[name] = (sniffed[name], text, reason, None)
            except TaskFailed as exc:
                out[name] = (sniffed[name], None, None, str(exc))
        return out, pool.restarts
    finally:
        pool.close()


def test_no_file_escapes_hangs_or_kills_its_worker(outcomes):
    results, restarts = outcomes
    assert len(results) == CASES
    failed = {name: why for name, (_, _, _, why) in results.items() if why is not None}
    assert not failed, failed   # an exception, a timeout, out of memory or a dead worker
    assert restarts == 0


def test_each_file_is_text_or_a_one_line_reason(outcomes):
    results, _ = outcomes
    for name, (kind, text, reason, _) in results.items():
        assert kind in ("pdf", "doc", "docx", "wps", None), name
        assert (text is None) != (reason is None), name
        if text is not None:
            assert text.strip(), name
        else:
            assert reason.strip() and "\n" not in reason and len(reason) <= 300, (name, reason)


@pytest.mark.parametrize("name, reason", [
    ("docx-zip-bomb", "DOCX part word/document.xml inflates to 83886270 bytes (cap 67108864): a zip bomb"),
    ("docx-many-paragraphs", "DOCX has 50000 paragraphs (cap 20000)"),
    ("pdf-paths-no-text", "PDF has no text layer (a scan?)"),
    ("pdf-flate-bomb", "PDF has no text layer (a scan?)"),
    ("xls-as-doc", "OLE2 file without a WordDocument stream (not a Word document)"),
    ("empty", "empty PDF file"),
    ("html-as-pdf", "not a PDF: no %PDF header"),
])
def test_crafted_files_are_refused_before_they_cost_anything(outcomes, name, reason):
    """Caps before parsing: the declared size of a zip part, the count of paragraphs, a page of
    strokes without a character never sent to the table reader."""
    results, _ = outcomes
    assert (results[name][2] or "").startswith(reason), results[name]


def test_the_crafted_word97_file_reads_and_its_lies_fail_with_reasons(outcomes):
    """The OLE2 writer of tests/fuzzfiles.py makes a readable document; its variants that lie in
    the FIB or the piece table cost only themselves."""
    results, _ = outcomes
    assert results["doc-minimal"][1].startswith("平安县2023年度法治政府建设情况报告\n推进依法行政。")
    assert results["doc-encrypted-flag"][2] == "encrypted DOC (password-protected)" or \
        results["doc-encrypted-flag"][2] == "encrypted WPS (password-protected)"
    assert results["doc-piece-count-lie"][2].startswith("corrupt ")
