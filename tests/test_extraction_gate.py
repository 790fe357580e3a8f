"""Extraction quality gate: no page's paragraph recall/precision may drop below its pinned floor."""
from __future__ import annotations

import json

import pytest
import trafilatura

from tests.eval.corpus import all_pages, gold_paragraphs
from tests.eval.gate import BASELINE, mean, measure, score


@pytest.fixture(scope="module")
def scores():
    return measure()


@pytest.fixture(scope="module")
def baseline():
    return json.loads(BASELINE.read_text(encoding="utf-8"))


def test_every_page_has_a_floor(scores, baseline):
    assert set(baseline["pages"]) == set(scores)


@pytest.mark.parametrize("page_id", [p.id for p in all_pages()])
@pytest.mark.parametrize("metric", ["recall", "precision"])
def test_page_stays_above_its_floor(scores, baseline, page_id, metric):
    assert scores[page_id][metric] >= baseline["pages"][page_id][metric]


@pytest.mark.parametrize("metric", ["recall", "precision"])
def test_mean_stays_above_its_floor(scores, baseline, metric):
    assert mean(scores, metric) >= baseline["mean"][metric]


def test_score_counts_paragraphs():
    gold = ["第一段。", "第二段。", "第三段。", "第四段。"]
    assert score(gold, gold) == {"recall": 1.0, "precision": 1.0}
    assert score(gold, ["第一段。", "第 二 段。", "扫一扫在手机打开当前页"]) == {"recall": 0.5, "precision": 2 / 3}
    assert score(gold, ["".join(gold)]) == {"recall": 0.0, "precision": 0.0}
    assert score([], []) == {"recall": 1.0, "precision": 1.0}
    assert score([], ["索引号：1"])["precision"] == 0.0


def test_gate_would_catch_plain_trafilatura(baseline):
    """The gate is not vacuous: trafilatura's defaults alone fall below the floors.

    Defaults (include_tables=True) leak the 索引号 table on the TRS page and
    merge the GBK table-layout page into one line.
    """
    for name in ("fixtures/chengkou_trs_table.html", "fixtures/yuelu_legacy_gbk.html"):
        page = next(p for p in all_pages() if p.id == name)
        output = (trafilatura.extract(page.html) or "").splitlines()
        plain = score(gold_paragraphs(page), [line for line in output if line.strip()])
        assert plain["precision"] < baseline["pages"][name]["precision"]
