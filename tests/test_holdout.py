"""Hold-out rounds: issue 3's "Done when" on portals no spider was developed against.

Every round under tests/fixtures/holdout*/ (see tests/holdout.py for what is measured and the
make_holdout*.py of each round for what its portals vary) is crawled once through the contract's
CLI and held to the same bars. `pytest -s` prints each round's table; tests/artifacts/<round>_scores.json
keeps every number and every miss.
"""
from __future__ import annotations

import json

import pytest

from tests.conftest import ROOT
from tests.holdout import FIELDS, ROUNDS, THRESHOLDS, Round, key, rows

ARTIFACTS = ROOT / "tests" / "artifacts"


@pytest.fixture(scope="module", params=ROUNDS, ids=lambda d: d.name)
def crawled(request, tmp_path_factory):
    round_ = Round(request.param)
    result, db, logs = round_.crawl(tmp_path_factory.mktemp(round_.name))
    assert result.returncode == 0, result.stderr.decode("utf-8", "replace")[-2000:]
    scores = round_.score(db, logs)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / f"{round_.name}_scores.json").write_text(json.dumps(
        {**scores, "per_portal": round_.per_portal(scores), "thresholds": THRESHOLDS}, ensure_ascii=False, indent=1),
        encoding="utf-8")
    print(round_.render(scores))
    return round_, db, logs, scores


# -- the thresholds of issue 3 ------------------------------------------------------------

def test_annual_reports_are_found(crawled):
    scores = crawled[3]
    assert scores["found_share"] >= THRESHOLDS["found"], scores["misses"]["not_found"]


def test_rows_typed_fz_are_annual_reports(crawled):
    scores = crawled[3]
    assert scores["fz_precision"] >= THRESHOLDS["fz_precision"], scores["wrong_fz"]


def test_no_report_has_two_rows(crawled):
    assert not crawled[3]["misses"]["two_rows"]


def test_copies_are_listed_under_their_report(crawled):
    """A republished or 范文 copy is an address in `copies` pointing at the report's one row."""
    assert not crawled[3]["misses"]["copies_unlinked"]


def test_every_body_has_its_paragraphs(crawled):
    scores = crawled[3]
    assert scores["min_recall"] >= THRESHOLDS["recall"], scores["misses"]["recall"]


def test_no_body_carries_furniture(crawled):
    assert not crawled[3]["misses"]["furniture"]


@pytest.mark.parametrize("field", FIELDS)
def test_metadata_field_is_right(crawled, field):
    scores = crawled[3]
    accuracy, shown = scores["field_accuracy"][field]
    wrong = [m for m in scores["misses"]["fields"] if m["field"] == field]
    assert shown and accuracy >= THRESHOLDS["field"], wrong


# -- what some rounds add (truth.json says where) ---------------------------------------------

def test_anti_bot_walls_are_recorded_as_blocked(crawled):
    """A 412 `$_ts` answer is a wall, not a missing page: the run and the page say so, and the crawl goes on."""
    round_, db, _, _ = crawled
    walls = {name: p.get("blocked", []) for name, p in round_.portals.items()}
    if not any(walls.values()):
        pytest.skip(f"{round_.name} has no anti-bot wall")
    run = rows(db, "SELECT blocked, per_site FROM crawl_runs ORDER BY id DESC LIMIT 1")[0]
    per_site = json.loads(run["per_site"] or "{}")
    for name, paths in walls.items():
        for path in paths:
            page = rows(db, "SELECT status, error FROM pages WHERE url = ?", [round_.url(name, path)])
            assert page and page[0]["status"] == 412 and (page[0]["error"] or "").startswith("blocked"), (path, page)
            assert per_site.get(name, {}).get("blocked", 0) >= 1, per_site.get(name)
    assert run["blocked"] >= sum(map(len, walls.values()))


def test_robots_txt_is_obeyed(crawled):
    """Paths robots.txt forbids (some hold report-like pages) are never requested."""
    round_, _, logs, _ = crawled
    if not any(p.get("robots_disallowed") for p in round_.portals.values()):
        pytest.skip(f"{round_.name} has no robots.txt refusal")
    for name, portal in round_.portals.items():
        prefixes = portal.get("robots_disallowed", [])
        fetched = [p for _, p, _ in logs[name] if any(p.startswith(prefix) for prefix in prefixes)]
        assert not fetched, (name, fetched)


def test_broken_attachments_are_recorded_with_their_error(crawled):
    """A truncated PDF or a 404 file: the attachment row carries the error, the report row exists anyway."""
    round_, db, _, _ = crawled
    if not any(p.get("broken_attachments") for p in round_.portals.values()):
        pytest.skip(f"{round_.name} has no broken attachment")
    missing = []
    for name, portal in round_.portals.items():
        for broken in portal.get("broken_attachments", []):
            report_url = round_.url(name, broken["report"])
            report = rows(db, "SELECT url FROM reports WHERE url = ?", [report_url])
            attachment = rows(db, "SELECT report_url, error FROM attachments WHERE url = ?",
                              [round_.url(name, broken["path"])])
            if not report or not attachment or not attachment[0]["error"] or attachment[0]["report_url"] != report_url:
                missing.append({"portal": name, **broken, "report_row": bool(report), "attachment": attachment})
    assert not missing, missing


def test_score_counts_paragraphs_not_characters():
    """The recall measure is not vacuous: a merged or altered paragraph is a missing one."""
    assert key("（一）坚持 党的领导。") == key("(一)坚持党的领导。")
    assert key("一 | 二") == key("一二")
