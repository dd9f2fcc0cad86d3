"""Frobenius's group determinant: factors against SymPy's determinant, multiplicities = degrees."""
from __future__ import annotations

import random
import tracemalloc

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
    syms = gm.matrices.group_symbols(G)
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
    syms = gm.matrices.group_symbols(gm.cyclic(5))
    assert sorted(sympy.Poly(f, *syms).total_degree() for f, _ in ours) == [1, 4]


def test_general_group_from_table():
    G = gm.from_cayley_table(gm.alternating(4).cayley_table())
    assert sorted(m for _, m in gm.group_determinant(G)) == [1, 1, 3]


def test_abelian_group_from_table():
    """The characters of an abelian table group (through its cyclic coordinates) give the factors."""
    G = gm.from_cayley_table(gm.group("C2xC4").cayley_table())
    ours = gm.group_determinant(G)
    syms = gm.matrices.group_symbols(G)
    rng = np.random.default_rng(1)
    x = [int(v) for v in rng.integers(-3, 4, G.order)]
    assert sympy.Mul(*[f.subs(dict(zip(syms, x))) ** m for f, m in ours]) == \
        sympy.Matrix(gm.group_matrix(G, np.array(x))).det()
    assert all(m == 1 for _, m in ours)


def _peak_bytes(f):
    tracemalloc.start()
    try:
        out = f()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return out, peak


def test_galois_orbits_of_c300_are_the_divisor_classes():
    from groupmat.reps.determinant import _galois_orbits

    G = gm.cyclic(300)
    orbits, peak = _peak_bytes(lambda: _galois_orbits(G))
    # chi_k and chi_j are Galois conjugate iff gcd(k, 300) = gcd(j, 300)
    by_gcd = {}
    for k in range(300):
        by_gcd.setdefault(np.gcd(k, 300), []).append(k)
    assert sorted(orbits) == sorted(by_gcd.values())
    assert peak < 100 * 2**20


def test_group_determinant_refuses_early():
    with pytest.raises(gm.TooLargeError, match="degree 80"):
        gm.group_determinant(gm.cyclic(300))


def test_poly_product_checks_size(monkeypatch):
    from groupmat.reps.determinant import _Poly

    p = _Poly.linear(np.arange(1.0, 1001.0), 1000)
    monkeypatch.setenv("GROUPMAT_MAX_BYTES", str(2**20))        # the documented memory limit
    with pytest.raises(gm.TooLargeError):
        p * p


def test_unit_generators_generate():
    from groupmat.reps.determinant import _unit_generators

    for N in (3, 8, 12, 60, 300, 360):
        gens = _unit_generators(N)
        seen, frontier = {1}, [1]
        while frontier:
            a = frontier.pop()
            for g in gens:
                b = a * g % N
                if b not in seen:
                    seen.add(b)
                    frontier.append(b)
        assert seen == {k for k in range(N) if np.gcd(k, N) == 1}


def test_bad_input():
    with pytest.raises(TypeError, match="FiniteGroup"):
        gm.group_determinant("S3")
    with pytest.raises(gm.TooLargeError):
        gm.group_determinant(gm.symmetric(4), factor=False)
    with pytest.raises(TypeError, match="factor"):
        gm.group_determinant(gm.cyclic(3), factor="no")
