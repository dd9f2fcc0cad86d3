"""The verify rows of groupmat.verify.theorems_schur: they pass on the real library and fail on a broken one."""
from __future__ import annotations

import numpy as np
import pytest

import groupmat as gm
import groupmat.ldr as ldr
import groupmat.verify.theorems_schur as rows_schur
from groupmat.verify import registry, run, select


def test_rows_are_registered_under_topic_schur():
    names = [i.name for i in select(topics="schur")]
    assert len(names) == 2 and any(n.startswith("GKO solution equals the dense one") for n in names)
    assert all(registry()[n].topic == "schur" for n in names)


def test_rows_pass_on_the_real_library():
    rows = run(topics=["schur"])
    assert rows and not [(r.identity, r.group, r.message) for r in rows if not r.ok]
    assert {r.side for r in rows} <= {"numeric", "both"} and "both" in {r.side for r in rows}


def _perturbed(real, scale=1e-8):
    """A factory whose StructuredLU.solve is off by ``scale`` (relative)."""
    def make(*args, **kwargs):
        lu = real(*args, **kwargs)
        solve = lu.solve

        def bad(b, refine=1):
            x = solve(b, refine=refine)
            return x * (1 + scale)

        lu.solve = bad
        return lu

    return make


@pytest.mark.parametrize("name", ["toeplitz_lu", "toeplitz_plus_hankel_lu", "structured_lu", "cauchy_like_lu",
                                  "vandermonde_lu"])
def test_solution_row_catches_an_inexact_solver(monkeypatch, name):
    G = gm.cyclic(5)
    assert rows_schur.gko_equals_dense(G) == "numeric"
    monkeypatch.setattr(ldr, name, _perturbed(getattr(ldr, name)))
    with pytest.raises(AssertionError, match="backward error"):
        rows_schur.gko_equals_dense(G)


def test_factor_row_catches_a_wrong_permutation(monkeypatch):
    G = gm.cyclic(3)
    assert rows_schur.gko_factors(G) == "both"
    real = ldr.cauchy_like_lu

    def swapped(*args, **kwargs):
        lu = real(*args, **kwargs)
        lu.perm = np.roll(lu.perm, 1)
        return lu

    monkeypatch.setattr(ldr, "cauchy_like_lu", swapped)
    with pytest.raises(AssertionError, match="P C != L U"):
        rows_schur.gko_factors(G)


def test_factor_row_catches_an_unpivoted_factor(monkeypatch):
    # an L with an entry above 1 in modulus means the pivot was not the largest entry of its column
    G = gm.cyclic(12)
    real = ldr.cauchy_like_lu

    def unpivoted(*args, **kwargs):
        lu = real(*args, **kwargs)
        if not lu.exact:
            lu.LU[-1, 0] = 3.0
        return lu

    monkeypatch.setattr(ldr, "cauchy_like_lu", unpivoted)
    with pytest.raises(AssertionError, match=r"numeric (\|P C - L U\||\|L\| > sqrt)"):
        rows_schur.gko_factors(G)
