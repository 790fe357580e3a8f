"""Year over year: how much of a report repeats the same government's report of the year before.

Evaluators count boilerplate carried over from last year (domain.md §5.5, item 6). The measure
here is the share of a report's characters that lie in a run of at least SHINGLE characters
found in the previous report too, after digits are masked (a sentence copied with only its
year or figures changed is still copied) and whitespace and punctuation dropped (a re-typed
comma is not new text). `diff` gives the paragraph-level changes between two texts, for a
reading view that shows what changed.

Pure: texts in, numbers and lists out.
"""
from __future__ import annotations

import difflib
import re

SHINGLE = 12  # characters: shorter runs are stock phrases (深入学习贯彻习近平法治思想 is 12)
_DROP = re.compile(r"[\s\u3000\xa0，。、；：！？“”‘’（）《》〈〉【】,.;:!?\"'()\[\]<>·—-]+")
_DIGITS = re.compile(r"\d+(?:\.\d+)?")


def _normal(text: str) -> str:
    return _DIGITS.sub("#", _DROP.sub("", text or ""))


def repeated_share(text: str | None, previous: str | None, k: int = SHINGLE) -> float | None:
    """Share (0…1) of `text` repeated from `previous`; None when either is empty."""
    current, before = _normal(text), _normal(previous)
    if not current or not before:
        return None
    if len(current) < k or len(before) < k:
        return 1.0 if current == before else 0.0
    seen = {before[i:i + k] for i in range(len(before) - k + 1)}
    covered = bytearray(len(current))
    for i in range(len(current) - k + 1):
        if current[i:i + k] in seen:
            covered[i:i + k] = b"\x01" * k
    return round(sum(covered) / len(current), 4)


def diff(old: str | None, new: str | None) -> list[tuple[str, str]]:
    """(op, paragraph) in reading order, op ' ' kept, '-' removed, '+' added. Paragraphs are
    compared with digits masked, so a paragraph whose only change is its figures shows as
    removed-and-added, next to each other."""
    a = [line for line in (old or "").split("\n") if line.strip()]
    b = [line for line in (new or "").split("\n") if line.strip()]
    matcher = difflib.SequenceMatcher(None, [_normal(x) for x in a], [_normal(x) for x in b],
                                      autojunk=False)
    out: list[tuple[str, str]] = []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            for x, y in zip(a[i1:i2], b[j1:j2], strict=True):
                out.extend([(" ", y)] if x == y else [("-", x), ("+", y)])
        else:
            out.extend(("-", x) for x in a[i1:i2])
            out.extend(("+", y) for y in b[j1:j2])
    return out
