"""The repository stands alone: no tracked code or configuration reads a path outside it.

A user who clones the public repository has nothing beside it (no sibling material folder). The scan
covers what runs — Python, shell, Makefile, CI scripts and configuration — in every tracked file
(`git ls-files`), and the patterns are tried against the lines that used to be there, so the test
is known to catch them.
"""
from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

from tests.paths import REALPAGES, ROOT, SEEDS

# A path that leaves the repository: a relative climb into a sibling `shared` folder, the same
# built with pathlib (a `.parent` or `.parents[N]` joined with that name), or an absolute /work path.
OUTSIDE = re.compile(
    r"""\.\./+shared\b"""
    r"""|\.parents?(?:\[\s*\d+\s*\])?\s*/\s*['"]shared['"]"""
    r"""|(?<![\w.~-])/work(?:/|\b)"""
)

SCANNED_SUFFIXES = (".py", ".sh", ".yml", ".yaml", ".toml", ".cfg", ".ini")
# This file quotes the old lines as samples; it is the one file the scan skips.
THIS_FILE = Path(__file__).resolve().relative_to(ROOT).as_posix()


def scanned(path: str) -> bool:
    """The files that run or configure a run: code, shell, Makefile, CI, configuration."""
    name = path.rsplit("/", 1)[-1]
    return (path.endswith(SCANNED_SUFFIXES) or name == "Makefile" or name.startswith("Makefile.")
            or path.startswith(".ci/"))


def tracked_files() -> list[str]:
    """Every file git tracks in this checkout (what a clone gets)."""
    out = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True).stdout
    return [p for p in out.decode("utf-8").split("\0") if p]


def outside_references(text: str) -> list[tuple[int, str]]:
    """(line number, line) for each line that names a path outside the repository."""
    return [(n, line.strip()) for n, line in enumerate(text.splitlines(), 1) if OUTSIDE.search(line)]


# The reads this repository had before its material was copied in (one line each, as written).
# Written with @ for the folder's name, so that this file is not itself a line that reads outside.
OLD_LINES = [line.replace("@", "sha" + "red") for line in [
    'SHARED = ROOT.parent / "@"',
    'REALPAGES = ROOT.parent / "@" / "realpages"',
    'SEEDS = ROOT.parent / "@" / "seeds"',
    'SEEDS = HERE.parents[3] / "@" / "seeds"',
    'SHARED = HERE.parents[3] / "@"',
    '    line.strip() for line in (ROOT.parent / "@" / "seeds" / "001_09ab2a23c5e0d572.txt")',
    'read from ../@/realpages relative to the repository root. expected.json',
    '# Publication deadlines (../@/reference/domain.md §1, §7.2): a 法治政府建设年度报告',
    "SEEDS = Path('/work/@/seeds')",
    "python -m pytest --rootdir /work/main",
]]

# Lines that must not be taken for outside paths.
INNOCENT_LINES = [
    'REALPAGES = FIXTURES / "realpages"',
    'SEEDS = HERE.parent / "seeds"',
    "from docx.shared import Pt",
    'import make_pages as mp  # noqa: E402  (the shared page layouts and seed reader)',
    'sites_file = Path(tmp) / "sites.yaml"',
    "python crawler/extract/data/build_divisions.py /tmp/x",
    'ROOT / "tests" / "fixtures" / "work"',
]


@pytest.mark.parametrize("line", OLD_LINES)
def test_the_pattern_catches_the_old_reads(line):
    assert outside_references(line) == [(1, line.strip())]


@pytest.mark.parametrize("line", INNOCENT_LINES)
def test_the_pattern_leaves_in_repository_paths_alone(line):
    assert outside_references(line) == []


def test_the_scan_covers_code_shell_ci_and_configuration():
    files = [p for p in tracked_files() if scanned(p)]
    for expected in ("tests/conftest.py", "tests/eval/corpus.py", "bench/make_portal.py", "Makefile",
                     ".ci/run", "pytest.ini", "scrapy.cfg", "sites.yaml",
                     "tests/fixtures/portals/make_portals.py", "tests/fixtures/attachments/make_fixtures.py"):
        assert expected in files
    assert THIS_FILE == "tests/test_standalone.py"
    assert not scanned("tests/fixtures/realpages/SOURCES.md")
    assert not scanned("tests/fixtures/pages/chengkou_trs_table.html")


def test_no_tracked_file_reads_outside_the_repository():
    found = {}
    for path in tracked_files():
        if not scanned(path) or path == THIS_FILE or not (ROOT / path).is_file():
            continue
        hits = outside_references((ROOT / path).read_text(encoding="utf-8", errors="replace"))
        if hits:
            found[path] = hits
    assert found == {}, "paths outside the repository:\n" + "\n".join(
        f"  {path}:{n}: {line}" for path, hits in found.items() for n, line in hits)


def test_the_material_is_inside_the_repository_and_tracked():
    tracked = set(tracked_files())
    seeds = sorted(p.relative_to(ROOT).as_posix() for p in SEEDS.glob("*.txt"))
    pages = sorted(p.relative_to(ROOT).as_posix() for p in REALPAGES.glob("*/*.html"))
    assert len(seeds) == 5 and set(seeds) <= tracked
    assert pages and set(pages) <= tracked
    assert "tests/fixtures/realpages/SOURCES.md" in tracked
    assert SEEDS.resolve().is_relative_to(ROOT) and REALPAGES.resolve().is_relative_to(ROOT)
