"""Paragraph-level extraction quality, per page, against pinned floors (tests/eval/baseline.json).

Like trafilatura's own eval gate: measure every page of the evaluation set,
pin floors a little under the measured scores, and fail when a change to the
extractors drops any page below its floor. Re-measure and re-pin by hand:

    .venv/bin/python -m tests.eval.gate            # print the scores
    .venv/bin/python -m tests.eval.gate --write    # pin floors at measured - 0.01

recall    = share of gold paragraphs the body contains;
precision = share of body paragraphs that are gold (furniture lowers it).
Paragraphs are compared with all whitespace removed, as a multiset.
"""
from __future__ import annotations

import json
import math
import sys
from collections import Counter
from pathlib import Path

from crawler.extract.body import extract_body
from crawler.extract.metadata import extract_metadata
from tests.eval.corpus import Page, all_pages, gold_paragraphs

BASELINE = Path(__file__).resolve().parent / "baseline.json"
MARGIN = 0.01


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


def main(argv: list[str]) -> None:
    scores = measure()
    for pid, s in sorted(scores.items()):
        print(f"{s['recall']:.3f}  {s['precision']:.3f}  {pid}")
    print(f"{mean(scores, 'recall'):.3f}  {mean(scores, 'precision'):.3f}  mean (recall, precision)")
    if "--write" in argv:
        BASELINE.write_text(json.dumps(floors(scores), ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        print(f"pinned floors in {BASELINE}")


if __name__ == "__main__":
    main(sys.argv[1:])
