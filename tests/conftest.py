"""Shared test helpers: paths to the material and a CLI runner."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.paths import FIXTURES, REALPAGES, ROOT, SEEDS  # noqa: F401  (re-exported for the tests)


def run_cli(*args: str, cwd: Path | None = None, timeout: float = 300, **kw) -> subprocess.CompletedProcess:
    """Run `python -m crawler ARGS` in a fresh interpreter (a Twisted reactor cannot restart)."""
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    return subprocess.run([sys.executable, "-m", "crawler", *args], cwd=cwd or ROOT, env=env,
                          capture_output=True, timeout=timeout, **kw)


@pytest.fixture
def cli():
    return run_cli
