"""Group displacements: generator displacement (by indexing) and coefficient displacement."""
import numpy as np
import pytest
import sympy
from hypothesis import given, settings
from hypothesis import strategies as st
from strategies import groups

import groupmat as gm


@settings(max_examples=20, deadline=None)
@given(groups(max_order=24), st.integers(0, 2**31))
def test_generator_displacement_matches_dense_products(G, seed):
    rng = np.random.default_rng(seed)
    n = G.order
    M = rng.normal(size=(n, n))
    D = gm.generator_displacement(G, M)
    assert D.shape == (len(G.generators), n, n)
    for k, s in enumerate(G.generators):
        L = gm.regular_representation(G).to_sparse(s).toarray()
        assert np.allclose(D[k], L @ M - M @ L)
    # vanishes on group matrices, both displacements
    X = gm.group_matrix(G, rng.normal(size=n))
    assert np.abs(gm.generator_displacement(G, X)).max(initial=0) < 1e-12
    assert np.abs(gm.coefficient_displacement(G, X)).max(initial=0) < 1e-12
    assert gm.generator_displacement_rank(G, X) == 0 == gm.coefficient_displacement_rank(G, X)


def test_bridge_cyclic_generator_displacement_is_circulant_displacement():
    n = 9
    G = gm.cyclic(n)
    rng = np.random.default_rng(0)
    M = rng.normal(size=(n, n))
    assert np.array_equal(gm.generator_displacement(G, M)[0], gm.displacement(M, gm.shift(n, 1)))
    T = gm.toeplitz(rng.normal(size=n), rng.normal(size=n))
    assert gm.generator_displacement_rank(G, T) == 2
    # but Toeplitz is not low rank for the coefficient displacement
    assert gm.coefficient_displacement_rank(G, T) == n - 1


def test_exact_group_displacements():
    G = gm.dihedral(3)
    M = gm.group_matrix(G)                      # symbols
    assert all(D == sympy.zeros(6, 6) for D in gm.generator_displacement(G, M))
    assert gm.coefficient_displacement(G, M) == sympy.zeros(6, 6)
    N = M.copy()
    N[0, 1] += 1
    assert gm.generator_displacement_rank(G, N) >= 1 and gm.coefficient_displacement_rank(G, N) >= 1
    F = gm.group_coefficients(G, M)
    assert isinstance(F, sympy.Matrix) and gm.from_group_coefficients(G, F) == M


def test_group_coefficients_reuse_group_diagonals():
    G = gm.quaternion()
    M = np.arange(64.0).reshape(8, 8)
    assert np.array_equal(gm.group_coefficients(G, M), gm.group_diagonals(G, M))
    assert np.array_equal(gm.from_group_coefficients(G, gm.group_coefficients(G, M)), M)
    D = gm.coefficient_displacement(G, M)
    F = gm.group_coefficients(G, M)
    assert np.array_equal(D, F - F @ np.roll(np.eye(8), 1, axis=0))   # F - F P, P[k, h] = [k == h + 1]


def test_explicit_generators_and_trivial_group():
    G = gm.symmetric(3)
    M = np.random.default_rng(1).normal(size=(6, 6))
    D = gm.generator_displacement(G, M, generators=[1, 2, 3])
    assert D.shape == (3, 6, 6)
    T = gm.cyclic(1)
    assert gm.generator_displacement(T, np.ones((1, 1))).shape[1:] == (1, 1)
    assert gm.generator_displacement_rank(T, np.ones((1, 1))) == 0


def test_bad_input():
    G = gm.cyclic(4)
    with pytest.raises(ValueError, match="size"):
        gm.generator_displacement(G, np.ones((3, 3)))
    with pytest.raises(ValueError, match="size"):
        gm.coefficient_displacement(G, np.ones((4, 5)))
    with pytest.raises(ValueError, match="finite"):
        gm.coefficient_displacement(G, np.full((4, 4), np.nan))
    with pytest.raises(TypeError, match="FiniteGroup"):
        gm.generator_displacement(4, np.ones((4, 4)))
    with pytest.raises(ValueError):
        gm.generator_displacement(G, np.ones((4, 4)), generators=[7])
    with pytest.raises(ValueError, match="size"):
        gm.group_coefficients(G, np.ones((3, 3)))
