"""Group diagonals: ``F[g, h] = M[h, h g]``, the unique decomposition ``M = sum_g diag(F_g) R(g)``."""
from __future__ import annotations

import numpy as np
import pytest
import sympy
from hypothesis import given, settings
from hypothesis import strategies as st

import groupmat as gm
from strategies import groups


@given(groups(max_order=24), st.integers(0, 2**32 - 1))
@settings(max_examples=20)
def test_definition_and_round_trip(G, seed):
    n = G.order
    rng = np.random.default_rng(seed)
    M = rng.normal(size=(n, n))
    F = gm.group_diagonals(G, M)
    for g in range(n):
        for h in range(0, n, max(1, n // 5)):
            assert F[g, h] == M[h, G.mul(h, g)]
    assert np.array_equal(gm.from_group_diagonals(G, F), M)
    F2 = rng.normal(size=(n, n))
    assert np.array_equal(gm.group_diagonals(G, gm.from_group_diagonals(G, F2)), F2)
    # M = sum_g diag(F_g) R(g), with R the right regular representation
    R = gm.regular_representation(G, "right").matrices
    assert np.allclose(sum(np.diag(F[g]) @ R[g] for g in range(n)), M)
    C = gm.matrices.group_diagonal_indices(G)
    assert np.array_equal(C, G.mul(G.elements()[None, :], G.elements()[:, None]))


@given(groups(max_order=24), st.integers(0, 2**32 - 1))
@settings(max_examples=20)
def test_group_matrix_iff_rows_of_F_constant(G, seed):
    n = G.order
    rng = np.random.default_rng(seed)
    x = rng.normal(size=n)
    F = gm.group_diagonals(G, gm.group_matrix(G, x))
    assert np.allclose(F, x[:, None])                                  # row g is constant x(g)
    # a matrix whose coefficient rows are constant is the group matrix of those constants
    c = rng.normal(size=n)
    M = gm.from_group_diagonals(G, np.repeat(c[:, None], n, axis=1))
    assert np.allclose(M, gm.group_matrix(G, c))
    if n > 1:
        Fb = np.repeat(c[:, None], n, axis=1)
        Fb[rng.integers(n), rng.integers(n)] += 1.0                    # one coefficient off
        assert not gm.is_group_matrix(G, gm.from_group_diagonals(G, Fb))


def test_batches_and_exact_entries():
    G = gm.dihedral(3)
    rng = np.random.default_rng(0)
    M = rng.normal(size=(2, 3, 6, 6))
    F = gm.group_diagonals(G, M)
    assert F.shape == M.shape
    assert np.array_equal(F[1, 2], gm.group_diagonals(G, M[1, 2]))
    assert np.array_equal(gm.from_group_diagonals(G, F), M)
    S = np.array(gm.group_matrix(G), dtype=object)
    FS = gm.group_diagonals(G, S)
    syms = gm.matrices.group_symbols(G)
    assert all(FS[g, h] == syms[g] for g in range(6) for h in range(6))


@pytest.mark.parametrize("G", [gm.dihedral(3), gm.quaternion(), gm.cyclic(4), gm.sign_group(2)], ids=lambda G: G.name)
def test_sympy_matrices_in_and_out(G):
    """SymPy input gives a sympy.Matrix: the rows of F of a symbolic group matrix are its symbols, and
    the decomposition M = sum_g diag(F_g) R(g) holds exactly for a general symbolic matrix."""
    n = G.order
    F = gm.group_diagonals(G, gm.group_matrix(G))
    assert isinstance(F, sympy.MatrixBase)
    assert F == sympy.Matrix([[s] * n for s in gm.matrices.group_symbols(G)])
    M = sympy.Matrix(n, n, sympy.symbols(f"m0:{n * n}"))
    FM = gm.group_diagonals(G, M)
    R = gm.regular_representation(G, "right").matrices.astype(int)
    total = sympy.zeros(n, n)
    for g in range(n):
        total += sympy.diag(*FM.row(g)) * sympy.Matrix(R[g])
    assert total == M
    back = gm.from_group_diagonals(G, FM)
    assert isinstance(back, sympy.MatrixBase) and back == M
    # exact and numeric agree
    A = np.random.default_rng(0).integers(-9, 9, size=(n, n))
    assert np.array_equal(np.array(gm.group_diagonals(G, sympy.Matrix(A.tolist())).tolist(), dtype=np.int64),
                          gm.group_diagonals(G, A))
    with pytest.raises(ValueError, match=f"M must end in two axes of size \\|G\\| = {n}"):
        gm.group_diagonals(G, sympy.eye(n + 1))


@pytest.mark.parametrize("call, exc, match", [
    (lambda: gm.group_diagonals(gm.cyclic(4), np.eye(3)), ValueError, "M must end in two axes of size \\|G\\| = 4, got shape \\(3, 3\\)"),
    (lambda: gm.group_diagonals(gm.cyclic(4), np.ones(4)), ValueError, "M must end in two axes"),
    (lambda: gm.from_group_diagonals(gm.cyclic(2), np.eye(3)), ValueError, "F must end in two axes of size \\|G\\| = 2"),
    (lambda: gm.group_diagonals("C3", np.eye(3)), TypeError, "G must be a FiniteGroup"),
    (lambda: gm.from_group_diagonals(None, np.eye(3)), TypeError, "G must be a FiniteGroup"),
    (lambda: gm.matrices.group_diagonal_indices(3), TypeError, "G must be a FiniteGroup"),
])
def test_bad_input(call, exc, match):
    with pytest.raises(exc, match=match):
        call()


def test_cyclic_coefficients_are_the_circulant_diagonals():
    n = 5
    M = np.arange(25.0).reshape(5, 5)
    F = gm.group_diagonals(gm.cyclic(n), M)
    for g in range(n):
        assert np.array_equal(F[g], [M[h, (h + g) % n] for h in range(n)])   # wrapped superdiagonal g
