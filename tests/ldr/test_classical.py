"""Classical LDR families: constructors against SciPy/NumPy, canonical operators, known ranks."""
import numpy as np
import pytest
import scipy.linalg as sla
import sympy
from hypothesis import given, settings
from hypothesis import strategies as st

import groupmat as gm


def test_constructors_match_scipy_and_numpy():
    rng = np.random.default_rng(0)
    c, r = rng.normal(size=5), rng.normal(size=7)
    assert np.array_equal(gm.toeplitz(c, r), sla.toeplitz(c, r))
    assert np.array_equal(gm.toeplitz(c), sla.toeplitz(c))
    z = c + 1j * rng.normal(size=5)
    assert np.array_equal(gm.toeplitz(z), sla.toeplitz(z))
    assert np.array_equal(gm.hankel(c, r), sla.hankel(c, r))
    assert np.array_equal(gm.hankel(c), sla.hankel(c))
    assert np.array_equal(gm.circulant(c), sla.circulant(c))
    assert np.allclose(gm.matrices.vandermonde(c), np.vander(c, increasing=True))
    assert np.allclose(gm.matrices.vandermonde(c, 3), np.vander(c, 3, increasing=True))
    s, t = rng.normal(size=4), rng.normal(size=3) + 10
    assert np.allclose(gm.matrices.cauchy(s, t), 1 / (s[:, None] - t[None, :]))


@pytest.mark.parametrize("f", [1, -1, 2.5, 0])
def test_f_circulant_is_polynomial_in_z_f(f):
    rng = np.random.default_rng(1)
    c = rng.normal(size=6)
    Z = gm.shift(6, f).dense()
    ref = sum(c[k] * np.linalg.matrix_power(Z, k) for k in range(6))
    C = gm.matrices.f_circulant(c, f)
    assert np.allclose(C, ref)
    assert np.allclose(C @ Z, Z @ C)
    assert gm.displacement_rank(C, gm.shift(6, f)) == 0


def test_exact_constructors_agree_with_numeric():
    rng = np.random.default_rng(2)
    ci, ri = rng.integers(-5, 6, 4), rng.integers(-5, 6, 4)
    for make in (gm.toeplitz, gm.hankel):
        E = make(sympy.Matrix(ci.tolist()), ri.tolist())
        assert isinstance(E, sympy.Matrix)
        assert np.array_equal(np.array(E.tolist(), dtype=float), make(ci.astype(float), ri.astype(float)))
    E = gm.matrices.vandermonde(sympy.Matrix([1, 2, 3]))
    assert np.array_equal(np.array(E.tolist(), dtype=float), gm.matrices.vandermonde([1.0, 2.0, 3.0]))
    E = gm.matrices.f_circulant(sympy.Matrix([1, 2, 3]), sympy.Rational(1, 2))
    assert np.allclose(np.array(E.tolist(), dtype=float), gm.matrices.f_circulant([1.0, 2.0, 3.0], 0.5))
    E = gm.matrices.cauchy([sympy.Rational(1, 2), 3], [0, 1])
    assert E[0, 1] == -2


@settings(max_examples=20, deadline=None)
@given(st.integers(2, 24), st.integers(0, 2**31))
def test_known_ranks_and_inverses(n, seed):
    rng = np.random.default_rng(seed)
    c, r = rng.normal(size=n), rng.normal(size=n)
    cases = {
        "toeplitz": (gm.toeplitz(c, r), gm.ldr.canonical_operators("toeplitz", n)),
        "hankel": (gm.hankel(c, r), gm.ldr.canonical_operators("hankel", n)),
        "circulant": (gm.circulant(c), gm.ldr.canonical_operators("circulant", n)),
        "f_circulant": (gm.matrices.f_circulant(c, -3.0), gm.ldr.canonical_operators("f_circulant", n, f=-3.0)),
    }
    x = np.linspace(0.8, 1.2, n)
    cases["vandermonde"] = (gm.matrices.vandermonde(x), gm.ldr.canonical_operators("vandermonde", x=x))
    s, t = np.arange(n) + 0.0, np.arange(n) + 0.5          # interlaced nodes: well conditioned
    cases["cauchy"] = (gm.matrices.cauchy(s, t), gm.ldr.canonical_operators("cauchy", s=s, t=t))
    for kind, (M, (A, B)) in cases.items():
        rank = gm.displacement_rank(M, A, B, tol=1e-9 * max(1.0, np.abs(M).max()) * n)
        assert rank <= gm.ldr.CLASSICAL_DISPLACEMENT_RANKS[kind], kind
        if kind in ("toeplitz", "cauchy"):
            # the inverse has the same rank with the operators swapped (relative tolerance: the
            # inverse of an ill-conditioned Cauchy matrix carries rounding of relative size cond * eps)
            M2 = M + 3 * np.sqrt(n) * np.eye(n) if kind == "toeplitz" else M
            def rel_rank(D):
                sv = np.linalg.svd(D, compute_uv=False)
                return int(np.count_nonzero(sv > 1e-6 * sv[0]))
            assert rel_rank(gm.displacement(M2, A, B)) == rel_rank(gm.displacement(np.linalg.inv(M2), B, A)), kind


def test_exact_hankel_inverse_rank():
    H = gm.hankel(sympy.Matrix([1, 3, -2, 5]), [5, 1, 4, 2])
    A, B = gm.ldr.canonical_operators("hankel", 4)
    assert H.det() != 0
    assert gm.displacement_rank(H, A, B) == gm.displacement_rank(H.inv(), B, A) == 2


def test_cyclic_decomposition_exact_and_truncated():
    M = sympy.Matrix([[1, 2, 0], [0, 1, -1], [3, 0, 2]])
    X, Y = gm.ldr.cyclic_decomposition(M)
    C3 = gm.cyclic(3)
    S = sum((gm.toeplitz(X[:, i], [X[0, i], 0, 0]) * gm.group_matrix(C3, list(Y[:, i])) for i in range(X.shape[1])),
            sympy.zeros(3, 3))
    assert S == M
    # a Toeplitz matrix needs at most 2 terms
    rng = np.random.default_rng(3)
    T = gm.toeplitz(rng.normal(size=8), rng.normal(size=8))
    X, Y = gm.ldr.cyclic_decomposition(T)
    assert X.shape[1] <= 2


def test_bad_input():
    with pytest.raises(ValueError, match="disjoint"):
        gm.matrices.cauchy([1.0, 2.0], [2.0, 3.0])
    with pytest.raises(ValueError, match="disjoint"):
        gm.matrices.cauchy(sympy.Matrix([1, 2]), [2, 5])
    with pytest.raises(ValueError, match="kind"):
        gm.ldr.canonical_operators("banded", 4)
    with pytest.raises(ValueError, match="nodes x"):
        gm.ldr.canonical_operators("vandermonde")
    with pytest.raises(ValueError, match="size n"):
        gm.ldr.canonical_operators("toeplitz")
    with pytest.raises(ValueError, match="1-D"):
        gm.toeplitz(np.ones((2, 2)))
    with pytest.raises(ValueError, match="finite"):
        gm.matrices.vandermonde([1.0, np.inf])
    with pytest.raises(TypeError):
        gm.hankel(["a", "b"])
    with pytest.raises(ValueError, match="square"):
        gm.ldr.cyclic_decomposition(np.ones((2, 3)))


@pytest.mark.parametrize("f", [np.nan, np.inf, -np.inf, complex(np.nan, 0)])
def test_f_circulant_refuses_non_finite_f(f):
    with pytest.raises(ValueError, match="f must be finite"):
        gm.matrices.f_circulant([1, 2], f)
    with pytest.raises(ValueError, match="f must be finite"):
        gm.matrices.f_circulant([1.0, 2.0, 3.0], f)
    # a finite f still works, and equals its definition C[i, j] = f c[n + i - j] above the diagonal
    assert np.array_equal(gm.matrices.f_circulant([1, 2], 3.5), [[1, 7.0], [2, 1]])
