"""Where the test material lives: all of it inside the repository, so a fresh clone has everything.

One definition for the suite, the extraction gate (tests/eval/) and anything else that imports it
without pytest. The seed texts and the saved real pages are byte-for-byte copies of the project's
shared material, with their sources in tests/fixtures/seeds/README.md and
tests/fixtures/realpages/README.md (and SOURCES.md). Fixture builders run by hand as scripts
compute the same paths from their own location.
"""
from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
SEEDS = FIXTURES / "seeds"
REALPAGES = FIXTURES / "realpages"
