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
    assert gm.ldr.generator_displacement_rank(G, X) == 0 == gm.ldr.coefficient_displacement_rank(G, X)


def test_bridge_cyclic_generator_displacement_is_circulant_displacement():
    n = 9
    G = gm.cyclic(n)
    rng = np.random.default_rng(0)
    M = rng.normal(size=(n, n))
    assert np.array_equal(gm.generator_displacement(G, M)[0], gm.displacement(M, gm.shift(n, 1)))
    T = gm.toeplitz(rng.normal(size=n), rng.normal(size=n))
    assert gm.ldr.generator_displacement_rank(G, T) == 2
    # but Toeplitz is not low rank for the coefficient displacement
    assert gm.ldr.coefficient_displacement_rank(G, T) == n - 1


def test_exact_group_displacements():
    G = gm.dihedral(3)
    M = gm.group_matrix(G)                      # symbols
    assert all(D == sympy.zeros(6, 6) for D in gm.generator_displacement(G, M))
    assert gm.coefficient_displacement(G, M) == sympy.zeros(6, 6)
    N = M.copy()
    N[0, 1] += 1
    assert gm.ldr.generator_displacement_rank(G, N) >= 1 and gm.ldr.coefficient_displacement_rank(G, N) >= 1
    F = gm.group_diagonals(G, M)
    assert isinstance(F, sympy.Matrix) and gm.from_group_diagonals(G, F) == M


def test_coefficient_displacement_is_f_minus_f_p():
    G = gm.quaternion()
    M = np.arange(64.0).reshape(8, 8)
    D = gm.coefficient_displacement(G, M)
    F = gm.group_diagonals(G, M)
    assert np.array_equal(D, F - F @ np.roll(np.eye(8), 1, axis=0))   # F - F P, P[k, h] = [k == h + 1]
    S = gm.coefficient_displacement(G, sympy.Matrix(M.astype(int).tolist()))
    assert isinstance(S, sympy.Matrix) and np.array_equal(np.array(S.tolist(), dtype=float), D)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("G", [gm.cyclic(12), gm.dihedral(6), gm.symmetric(4), gm.group("C4xC2xD3")],
                         ids=lambda G: G.name)
def test_displacement_ranks_of_gm_ldr_matrices_in_single_and_double_precision(G, dtype):
    """The default rank tolerance is relative to the dtype of the data judged: a float32 GM-LDR matrix
    of rank r has coefficient displacement rank r and a float32 group matrix generator displacement
    rank 0 (judged at float64 epsilon, float32 round-off would count as rank)."""
    n = G.order
    rng = np.random.default_rng(n)
    for r in (0, 1, 3):
        M = gm.GroupLDRMatrix(G, rng.normal(size=n), rng.normal(size=(r, n)), rng.normal(size=(r, n)))
        D = M.dense().astype(dtype)
        assert gm.ldr.coefficient_displacement_rank(G, D) == r
    x, y = rng.normal(size=(2, n)).astype(dtype)
    P = gm.group_matrix(G, x) @ gm.group_matrix(G, y)          # a float32 product: a group matrix up to round-off
    assert P.dtype == dtype
    assert gm.ldr.generator_displacement_rank(G, P) == 0 == gm.ldr.coefficient_displacement_rank(G, P)
    # a perturbation far above the dtype's round-off is rank
    P[0, 1] += 1e-2 * np.abs(P).max()
    assert gm.ldr.coefficient_displacement_rank(G, P) == 1
    assert gm.ldr.generator_displacement_rank(G, P) >= 1


def test_explicit_generators_and_trivial_group():
    G = gm.symmetric(3)
    M = np.random.default_rng(1).normal(size=(6, 6))
    D = gm.generator_displacement(G, M, generators=[1, 2, 3])
    assert D.shape == (3, 6, 6)
    T = gm.cyclic(1)
    assert gm.generator_displacement(T, np.ones((1, 1))).shape[1:] == (1, 1)
    assert gm.ldr.generator_displacement_rank(T, np.ones((1, 1))) == 0


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
        gm.group_diagonals(G, np.ones((3, 3)))
