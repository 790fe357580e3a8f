"""The national rounds checked without the crawler (tests/round_check.py): every truth report answers
200 with the title and date the truth gives, every link on its pages goes to a routed path or a listed
decoy, and the truth's counts add up. The rounds from national5 on record what the check needs (each
report's format and issuer); the earlier ones predate it."""
from __future__ import annotations

import pytest

from tests import round_check
from tests.conftest import FIXTURES

CHECKED = ["national5", "national6", "national7", "national8", "national9", "national10", "national11", "national12",
           "national13", "national14", "national15", "national16",
           "national17", "national18", "national19", "national20",
           "national21", "national22", "national23", "national24",
           "national25", "national26", "national27", "national28", "national29",
           "national30", "national31", "national32", "national33", "national34", "national35", "national36", "national37"]


@pytest.mark.parametrize("name", CHECKED)
def test_a_round_says_what_its_truth_says(name, capsys):
    status = round_check.main(FIXTURES / name)
    out = capsys.readouterr().out
    assert status == 0, out
    assert "PROBLEM" not in out
