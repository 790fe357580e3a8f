"""Issue 12's "Done when", measured on the hold-out rounds: reports the analyzer was not developed on.

Each round is crawled for real (tests/holdout.py: its portals on loopback, the CLI, SQLite), then the
stored analysis is compared with truth written by reading the pages
(tests/fixtures/analyze/holdout_sections.json, holdout_disclosure.json):
- level-1 labels: a report agrees when its level-1 headings are the reader's, in order, with the
  reader's labels                                                              ≥ 95% of reports
- disclosure_summary: every figure exact                                      ≥ 95% of reports
- checks_failed right                                                          for all of them
"""
from __future__ import annotations

import json

import pytest

from tests.conftest import FIXTURES
from tests.holdout import ROUNDS, Round, rows

TRUTH = FIXTURES / "analyze"
SECTIONS = json.loads((TRUTH / "holdout_sections.json").read_text(encoding="utf-8"))["reports"]
DISCLOSURE = json.loads((TRUTH / "holdout_disclosure.json").read_text(encoding="utf-8"))["reports"]
FIGURES = ("requests_new", "requests_carried_over", "requests_closed_total", "requests_carried_forward",
           "review_total", "suit_total")


@pytest.fixture(scope="module")
def stored(tmp_path_factory):
    """{round name: (round, db)} for every round, each crawled once."""
    out = {}
    for directory in ROUNDS:
        round_ = Round(directory)
        result, db, _ = round_.crawl(tmp_path_factory.mktemp(round_.name))
        assert result.returncode == 0, result.stderr.decode("utf-8", "replace")[-2000:]
        out[round_.name] = (round_, db)
    return out


def _url(stored, truth: dict) -> tuple:
    name, portal = truth["file"].split("/")[:2]
    round_, db = stored[name]
    return round_.url(portal, truth["path"]), db


def test_level1_labels_agree_with_a_reader(stored):
    agree, misses = 0, []
    for truth in SECTIONS:
        url, db = _url(stored, truth)
        got = [(r["heading"], r["label"]) for r in rows(
            db, "SELECT heading, label FROM sections WHERE report_url = ? AND level = 1 ORDER BY position", [url])]
        want = truth["level1"]
        same = len(got) == len(want) and all(
            heading.startswith(w) and label == wl for (heading, label), (w, wl) in zip(got, want, strict=True))
        agree += same
        if not same:
            misses.append((truth["id"], got, want))
    share = agree / len(SECTIONS)
    print(f"level-1 labels: {agree}/{len(SECTIONS)} reports agree ({share:.1%})")
    assert share >= 0.95, misses


def test_disclosure_summary_is_exact_and_checks_are_right(stored):
    exact, checks_right, misses = 0, 0, []
    for truth in DISCLOSURE:
        truth = dict(truth, path=_path(truth))
        url, db = _url(stored, truth)
        got = next(iter(rows(db, "SELECT * FROM disclosure_summary WHERE report_url = ?", [url])), {})
        want = truth["summary"]
        ok = all(got.get(k) == want[k] for k in FIGURES)
        right = got.get("checks_failed") is not None and bool(got["checks_failed"]) == want["checks_failed"]
        exact += ok
        checks_right += right
        if not (ok and right):
            misses.append((truth["id"], got, want))
    print(f"disclosure_summary exact: {exact}/{len(DISCLOSURE)}; checks_failed right: {checks_right}/{len(DISCLOSURE)}")
    assert exact / len(DISCLOSURE) >= 0.95, misses
    assert checks_right == len(DISCLOSURE), misses


def _path(truth: dict) -> str:
    """The address a disclosure truth row names, from the round's own truth.json."""
    name, portal = truth["file"].split("/")[:2]
    round_ = Round(FIXTURES / name)
    return next(r["path"] for r in round_.portals[portal]["reports"] if r["id"] == truth["id"])
