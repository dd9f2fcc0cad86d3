"""Every displacement theorem runs, exact and numeric sides, on its groups."""
import pytest

import groupmat as gm
from groupmat.verify import registry, run

NAMES = sorted(name for name, ident in registry().items() if ident.topic == "displacement")


def test_topic_is_registered():
    assert len(NAMES) >= 8


@pytest.mark.parametrize("name", NAMES)
def test_theorem_holds_exactly_and_numerically(name):
    rows = run(names=[name])
    failed = [(r.group, r.message) for r in rows if not r.ok and not getattr(r, "skipped", False)]
    assert not failed, failed
    sides = {r.side for r in rows if r.ok}
    # each theorem has an exact and a numeric side, and both run on some group of its zoo
    assert "both" in sides or {"exact", "numeric"} <= sides, sides


def test_circulant_row_skips_non_cyclic_groups():
    rows = run(names=["circulant = group matrix of C_n (commutes with Z_1)"], groups=[gm.dihedral(3)])
    assert rows[0].ok and getattr(rows[0], "skipped", True)
