"""Paragraph-level extraction quality, per page, against pinned floors (tests/eval/baseline.json).

Like trafilatura's own eval gate: measure every page of the evaluation set,
pin floors a little under the measured scores, and fail when a change to the
extractors drops any page below its floor. Re-measure and re-pin by hand:

    .venv/bin/python -m tests.eval.gate            # print the scores
    .venv/bin/python -m tests.eval.gate --write    # pin floors at measured - 0.01

recall    = share of gold paragraphs the body contains;
precision = share of body paragraphs that are gold (furniture lowers it).
Paragraphs are compared with all whitespace removed, as a multiset.

The real-page corpus (tests/fixtures/realpages/corpus, truth in realpages_truth.json) is gated per field
instead, through extract_report as the pipeline calls it:

    .venv/bin/python -m tests.eval.gate --corpus            # per-field scores and each page's misses
    .venv/bin/python -m tests.eval.gate --corpus --write    # pin the corpus floors (realpages_floors.json)

A field is right on a page when the extracted value equals the truth (whitespace collapsed; both None counts),
and wrong when it is a value that differs from a stated truth, or a value where the truth is None; a None
where the truth states one is a miss, neither. first/last paragraph compare the body's first and last
paragraph with all whitespace removed. `furniture` is right when no furniture string the reader noted is in
the body (see has_furniture), wrong otherwise. Floors are the measured share of right pages and the measured
count of wrong ones; floors only go up, wrong counts only down.
"""
from __future__ import annotations

import json
import math
import sys
from collections import Counter
from pathlib import Path

from crawler.extract import extract_report
from crawler.extract.body import extract_body
from crawler.extract.metadata import extract_metadata
from tests.eval.corpus import Page, TruthPage, all_pages, corpus_pages, gold_paragraphs

BASELINE = Path(__file__).resolve().parent / "baseline.json"
CORPUS_FLOORS = Path(__file__).resolve().parent / "realpages_floors.json"
MARGIN = 0.01
VALUE_FIELDS = ("title", "publisher", "index_no", "doc_no", "written_date", "published_date", "year")
CORPUS_FIELDS = (*VALUE_FIELDS, "first_paragraph", "last_paragraph", "furniture")


def _key(paragraph: str) -> str:
    return "".join(paragraph.split())


def score(gold: list[str], output: list[str]) -> dict[str, float]:
    """Paragraph recall and precision of output against gold (an empty side scores 1.0)."""
    hits = sum((Counter(map(_key, gold)) & Counter(map(_key, output))).values())
    recall = hits / len(gold) if gold else 1.0
    precision = hits / len(output) if output else 1.0
    return {"recall": recall, "precision": precision}


def extract(page: Page) -> list[str]:
    """The body as the pipeline gets it: the title it drops comes from extract_metadata."""
    title = extract_metadata(page.html, page.url)["title"]
    return extract_body(page.html, page.url, title=title)


def measure() -> dict[str, dict[str, float]]:
    return {page.id: score(gold_paragraphs(page), extract(page)) for page in all_pages()}


def mean(scores: dict[str, dict[str, float]], metric: str) -> float:
    return sum(s[metric] for s in scores.values()) / len(scores)


def floors(scores: dict[str, dict[str, float]]) -> dict:
    """Floors a little under the measured scores (two decimals, rounded down, minus MARGIN)."""
    def pin(value: float) -> float:
        return round(max(0.0, math.floor(value * 100) / 100 - MARGIN), 2)

    return {
        "mean": {m: pin(mean(scores, m)) for m in ("recall", "precision")},
        "pages": {pid: {m: pin(v) for m, v in s.items()} for pid, s in sorted(scores.items())},
    }


def has_furniture(paragraphs: list[str], furniture: list[str]) -> list[str]:
    """The furniture strings found in the body: one that is a paragraph, or that a paragraph is built around
    (the paragraph holds it and is at most twice as long plus 20 characters); a furniture string of ten
    characters or more counts anywhere."""
    found = []
    keys = [_key(p) for p in paragraphs]
    for item in furniture:
        f = _key(item)
        if f and any(f in k and (len(f) >= 10 or len(k) <= 2 * len(f) + 20) for k in keys):
            found.append(item)
    return found


def _norm(value):
    return " ".join(value.split()) if isinstance(value, str) else value


def judge(row: dict, truth: dict) -> dict[str, str]:
    """Each field of one page: "right", "wrong" or "miss" (None extracted where the truth states a value)."""
    paragraphs = (row.get("body") or "").split("\n") if row.get("body") else []
    got = {f: _norm(row.get(f)) for f in VALUE_FIELDS}
    want = {f: _norm(truth.get(f)) for f in VALUE_FIELDS}
    for name, index in (("first_paragraph", 0), ("last_paragraph", -1)):
        got[name] = _key(paragraphs[index]) if paragraphs else None
        want[name] = _key(truth[name]) if truth.get(name) else None
    verdict = {}
    for f in (*VALUE_FIELDS, "first_paragraph", "last_paragraph"):
        verdict[f] = "right" if got[f] == want[f] else ("miss" if got[f] is None else "wrong")
    verdict["furniture"] = "wrong" if has_furniture(paragraphs, truth.get("furniture") or []) else "right"
    return verdict


def corpus_row(page: TruthPage) -> dict:
    return extract_report(page.truth.get("url"), page.html)


def measure_corpus(pages: list[TruthPage] | None = None) -> dict[str, dict[str, str]]:
    """{page id: {field: verdict}} over the real-page corpus."""
    return {page.id: judge(corpus_row(page), page.truth) for page in (corpus_pages() if pages is None else pages)}


def field_summary(verdicts: dict[str, dict[str, str]]) -> dict[str, dict]:
    """Per field: share of pages right, and the number of pages with a wrong value."""
    summary = {}
    for f in CORPUS_FIELDS:
        marks = [v[f] for v in verdicts.values()]
        summary[f] = {"right": round(marks.count("right") / len(marks), 4) if marks else 1.0,
                      "wrong": marks.count("wrong"), "pages": len(marks)}
    return summary


def corpus_floors(summary: dict[str, dict]) -> dict:
    """Floors at the measured shares (rounded down to the percent point) and the measured wrong counts."""
    return {"fields": {f: {"right": math.floor(s["right"] * 100) / 100, "wrong": s["wrong"]}
                       for f, s in summary.items()}}


def corpus_main(argv: list[str]) -> None:
    pages = corpus_pages()
    verdicts = measure_corpus(pages)
    rows = {p.id: corpus_row(p) for p in pages} if "-v" in argv else {}
    for pid, v in verdicts.items():
        misses = {f: m for f, m in v.items() if m != "right"}
        if misses:
            print(pid, " ".join(f"{f}={m}" for f, m in misses.items()))
            if pid in rows:
                truth = next(p.truth for p in pages if p.id == pid)
                for f in misses:
                    if f in VALUE_FIELDS:
                        print(f"    {f}: got {rows[pid].get(f)!r} want {truth.get(f)!r}")
    summary = field_summary(verdicts)
    print(f"{len(pages)} pages")
    for f, s in summary.items():
        print(f"{f:16s} right {s['right']:.3f}  wrong {s['wrong']}")
    if "--write" in argv:
        CORPUS_FLOORS.write_text(json.dumps(corpus_floors(summary), indent=1) + "\n", encoding="utf-8")
        print(f"pinned floors in {CORPUS_FLOORS}")


def main(argv: list[str]) -> None:
    if "--corpus" in argv:
        corpus_main(argv)
        return
    scores = measure()
    for pid, s in sorted(scores.items()):
        print(f"{s['recall']:.3f}  {s['precision']:.3f}  {pid}")
    print(f"{mean(scores, 'recall'):.3f}  {mean(scores, 'precision'):.3f}  mean (recall, precision)")
    if "--write" in argv:
        BASELINE.write_text(json.dumps(floors(scores), ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        print(f"pinned floors in {BASELINE}")


if __name__ == "__main__":
    main(sys.argv[1:])
