"""Frobenius's group determinant: factors against SymPy's determinant, multiplicities = degrees."""
from __future__ import annotations

import random

import numpy as np
import pytest
import sympy

import groupmat as gm


def _same_up_to_sign(a, b):
    return sympy.expand(a - b) == 0 or sympy.expand(a + b) == 0


@pytest.mark.parametrize("G", [gm.cyclic(3), gm.cyclic(4), gm.sign_group(2)], ids=lambda G: G.name)
def test_against_sympy_factor(G):
    ours = gm.group_determinant(G)
    _, theirs = sympy.factor_list(gm.group_matrix(G).det())
    assert len(ours) == len(theirs)
    for f, m in ours:
        assert any(_same_up_to_sign(f, g) and m == k for g, k in theirs)


def test_s3_against_expanded_determinant():
    G = gm.symmetric(3)
    ours = gm.group_determinant(G)
    assert sorted(m for _, m in ours) == [1, 1, 2]
    det = sympy.expand(gm.group_matrix(G).det(method="berkowitz"))
    assert sympy.expand(sympy.Mul(*[f**m for f, m in ours]) - det) == 0
    assert sympy.expand(gm.group_determinant(G, factor=False) - det) == 0
    random.seed(0)
    for f, _ in ours:
        assert len(sympy.factor_list(f)[1]) == 1           # irreducible over Q


@pytest.mark.parametrize("G", [gm.quaternion(), gm.dihedral(4), gm.cyclic(5), gm.alternating(4), gm.dicyclic(3)],
                         ids=lambda G: G.name)
def test_frobenius_theorem_at_integer_points(G):
    """det M_x = prod f^m exactly at random integer points; factors irreducible with the right degrees."""
    ours = gm.group_determinant(G)
    syms = gm.group_symbols(G)
    T = gm.character_table(G)
    rng = np.random.default_rng(0)
    for _ in range(3):
        x = [int(v) for v in rng.integers(-3, 4, G.order)]
        det = sympy.Matrix(gm.group_matrix(G, np.array(x))).det()
        sub = dict(zip(syms, x))
        assert sympy.Mul(*[f.subs(sub) ** m for f, m in ours]) == det
    # the degrees: sum of deg(f) * m = |G|; multiplicity = degree of the irreducible; irreducible over Q
    assert sum(sympy.Poly(f, *syms).total_degree() * m for f, m in ours) == G.order
    assert sorted(set(m for _, m in ours)) == sorted(set(T.degrees.tolist()))
    if G.order <= 10:   # sympy's multivariate factoring is randomised and can be slow for 12 variables
        random.seed(0)
        for f, _ in ours:
            assert len(sympy.factor_list(f)[1]) == 1


def test_conjugate_characters_merge():
    """C5: the four non-trivial characters form one Galois orbit: one factor of degree 4."""
    ours = gm.group_determinant(gm.cyclic(5))
    syms = gm.group_symbols(gm.cyclic(5))
    assert sorted(sympy.Poly(f, *syms).total_degree() for f, _ in ours) == [1, 4]


def test_general_group_from_table():
    G = gm.from_cayley_table(gm.alternating(4).cayley_table())
    assert sorted(m for _, m in gm.group_determinant(G)) == [1, 1, 3]


def test_bad_input():
    with pytest.raises(TypeError, match="FiniteGroup"):
        gm.group_determinant("S3")
    with pytest.raises(gm.TooLargeError):
        gm.group_determinant(gm.symmetric(4), factor=False)
