"""The seventh hold-out round checked without the crawler (tests/fixtures/national7/check.py): every
truth report answers 200 with the title and date the truth gives, every link on its pages goes to
a routed path or a listed decoy, and the truth's counts add up. A round whose truth is wrong would
measure the crawler against a wrong answer."""
from __future__ import annotations

import importlib.util

from tests.conftest import FIXTURES


def test_the_seventh_round_says_what_its_truth_says(capsys):
    spec = importlib.util.spec_from_file_location("national7_check", FIXTURES / "national7" / "check.py")
    check = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(check)
    status = check.main()
    out = capsys.readouterr().out
    assert status == 0, out
    assert "PROBLEM" not in out
