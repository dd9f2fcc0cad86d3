"""Structured operators: monomial / permutation / diagonal / shift act by indexing exactly as their
dense matrices do."""
import numpy as np
import pytest
import scipy.sparse as sp
import sympy
from hypothesis import given, settings
from hypothesis import strategies as st

import groupmat as gm


@st.composite
def monomials(draw, max_n=9):
    n = draw(st.integers(1, max_n))
    seed = draw(st.integers(0, 2**31))
    rng = np.random.default_rng(seed)
    perm = rng.permutation(n)
    weights = None if draw(st.booleans()) else rng.normal(size=n)
    return gm.ldr.MonomialOperator(perm, weights), rng


@settings(max_examples=25, deadline=None)
@given(monomials())
def test_monomial_actions_match_dense(data):
    A, rng = data
    n = A.n
    D = A.dense()
    X = rng.normal(size=(n, 3))
    Y = rng.normal(size=(2, n))
    assert np.allclose(A @ X, D @ X)
    assert np.allclose(Y @ A, Y @ D)
    assert np.allclose(A.apply_left(X[:, 0]), D @ X[:, 0])
    assert np.allclose(A.T.dense(), D.T)
    assert np.allclose(A.sparse().toarray(), D)
    B = gm.ldr.MonomialOperator(rng.permutation(n), rng.normal(size=n))
    assert np.allclose((A @ B).dense(), D @ B.dense())
    # eigenvalues from the cycle structure agree with a dense eigensolver (as multisets)
    ev = np.sort_complex(np.round(A.eigenvalues(), 8))
    ref = np.sort_complex(np.round(np.linalg.eigvals(D), 8))
    assert np.allclose(ev, ref, atol=1e-6)


def test_shift_is_f_unit_circulant():
    Z = gm.shift(4, 3.0)
    expected = np.array([[0, 0, 0, 3], [1, 0, 0, 0], [0, 1, 0, 0], [0, 0, 1, 0]], dtype=float)
    assert np.array_equal(Z.dense(), expected)
    assert np.allclose(np.linalg.matrix_power(Z.dense(), 4), 3 * np.eye(4))
    assert Z.scalar_power() == 3.0 and Z.T.scalar_power() == 3.0
    assert np.allclose(sorted(np.abs(Z.eigenvalues())), [3 ** 0.25] * 4)


def test_exact_weights_and_sympy_operands():
    f = sympy.Rational(1, 2)
    Z = gm.shift(3, f)
    assert Z.exact
    D = Z.dense()
    assert D[0, 2] == f and D.dtype == object
    a, b, c = sympy.symbols("a b c")
    v = sympy.Matrix([a, b, c])
    assert Z @ v == sympy.Matrix([f * c, a, b])
    assert sympy.Matrix([[a, b, c]]) @ Z == sympy.Matrix([[b, c, f * a]])


def test_permutation_and_diagonal_operators():
    P = gm.ldr.PermutationOperator([2, 0, 1])
    assert P.is_permutation and np.array_equal(P @ np.array([1, 2, 3]), [2, 3, 1])
    Dg = gm.ldr.DiagonalOperator([1.0, -2.0, 3.0])
    assert Dg.T is Dg
    assert np.array_equal(Dg.eigenvalues().real, [1, -2, 3])
    assert not Dg.is_permutation
    S = sp.csr_array(np.eye(3))
    assert np.allclose((P @ S).toarray(), P.dense())
    assert np.allclose((S @ P).toarray(), P.dense())


def test_regular_operator_is_left_regular_action():
    G = gm.dihedral(4)
    for g in range(G.order):
        L = gm.ldr.regular_operator(G, g).dense()
        R = gm.ldr.regular_operator(G, g, side="right").dense()
        e = G.elements()
        assert np.array_equal(L[G.mul(g, e), e], np.ones(G.order))
        # R(g)[a, b] = [b == a g]
        assert np.array_equal(np.argmax(R, axis=1), G.mul(e, g))


def test_bad_operators():
    with pytest.raises(ValueError, match="permutation"):
        gm.ldr.MonomialOperator([0, 0, 1])
    with pytest.raises(TypeError, match="integer"):
        gm.ldr.PermutationOperator([0.0, 1.0])
    with pytest.raises(ValueError, match="shape"):
        gm.ldr.MonomialOperator([0, 1], [1.0, 2.0, 3.0])
    with pytest.raises(ValueError, match="finite"):
        gm.ldr.MonomialOperator([0, 1], [1.0, np.nan])
    with pytest.raises(ValueError, match="finite"):
        gm.shift(3, np.inf)
    with pytest.raises(TypeError):
        gm.shift(3, "a")
    with pytest.raises(ValueError):
        gm.shift(0)
    with pytest.raises(ValueError, match="rows"):
        gm.shift(3) @ np.ones((4, 2))
    with pytest.raises(ValueError, match="columns"):
        np.ones((2, 4)) @ gm.shift(3)
    with pytest.raises(ValueError, match="side"):
        gm.ldr.regular_operator(gm.cyclic(3), 1, side="middle")
    with pytest.raises(ValueError):
        gm.ldr.regular_operator(gm.cyclic(3), 5)
