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


# --- the real-page corpus, per field (tests/eval/realpages_truth.json) ------------------------------------------

from tests.eval.corpus import corpus_pages  # noqa: E402
from tests.eval.gate import CORPUS_FIELDS, CORPUS_FLOORS, field_summary, has_furniture, judge, measure_corpus  # noqa: E402

CORPUS = corpus_pages()


@pytest.fixture(scope="module")
def corpus_summary():
    return field_summary(measure_corpus(CORPUS))


@pytest.fixture(scope="module")
def corpus_floors():
    return json.loads(CORPUS_FLOORS.read_text(encoding="utf-8"))["fields"]


def test_every_truth_entry_is_a_saved_page():
    assert CORPUS, "the real-page corpus is empty"
    for page in CORPUS:
        assert page.path.is_file(), page.id
        assert set(page.truth) >= {"title", "publisher", "index_no", "doc_no", "written_date", "published_date",
                                   "first_paragraph", "last_paragraph", "furniture"}, page.id


@pytest.mark.parametrize("field", CORPUS_FIELDS)
def test_corpus_field_stays_above_its_floor(corpus_summary, corpus_floors, field):
    """Share of pages where the field is right, and no more wrong values than pinned (floors only go up)."""
    assert corpus_summary[field]["right"] >= corpus_floors[field]["right"]
    assert corpus_summary[field]["wrong"] <= corpus_floors[field]["wrong"]


def test_judge_tells_right_wrong_and_miss():
    truth = {"title": "甲", "publisher": None, "index_no": "1/2020-1", "doc_no": None, "written_date": None,
             "published_date": "2020-01-02", "year": None, "first_paragraph": "第一段。", "last_paragraph": "末段。",
             "furniture": ["pdf下载", "扫一扫在手机打开当前页"]}
    row = {"title": "甲", "publisher": "某局", "index_no": None, "doc_no": None, "written_date": None,
           "published_date": "2020-01-03", "year": None, "body": "第 一段。\n中间。\n末段。"}
    verdict = judge(row, truth)
    assert verdict["title"] == verdict["doc_no"] == verdict["first_paragraph"] == verdict["last_paragraph"] == "right"
    assert verdict["publisher"] == verdict["published_date"] == "wrong"
    assert verdict["index_no"] == "miss"
    assert verdict["furniture"] == "right"
    assert judge({**row, "body": "第一段。\npdf下载 word下载\n末段。"}, truth)["furniture"] == "wrong"


def test_furniture_is_a_line_built_around_it_not_a_word_in_prose():
    assert has_furniture(["扫一扫在手机打开当前页"], ["扫一扫在手机打开当前页"])
    assert has_furniture(["打印 关闭"], ["打印"])
    assert not has_furniture(["本机关于2022年关闭了三个窗口，打印设备全部更新，群众办事更加便利。"], ["打印", "关闭"])
