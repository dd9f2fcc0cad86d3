"""The generalized Schur algorithm (GKO) of groupmat.ldr.schur: structured LU with partial pivoting of
Cauchy-like matrices and, through FFT transformations, of Toeplitz-like, Hankel-like,
Toeplitz-plus-Hankel and Vandermonde-like matrices; checked against dense NumPy/SciPy solves of
matrices built from their definitions, and exactly against SymPy."""
from __future__ import annotations

import warnings

import numpy as np
import pytest
import scipy.linalg as sla
import sympy
from hypothesis import given, settings
from hypothesis import strategies as st

import groupmat.ldr.schur as schur
from groupmat._validation import TooLargeError
from groupmat.ldr import (DiagonalOperator, StructuredLU, canonical_operators, cauchy_like_lu, displacement_generators,
                          reconstruct, shift, solve_toeplitz_like, solve_toeplitz_plus_hankel, structured_lu,
                          toeplitz_lu, toeplitz_plus_hankel_lu, vandermonde_lu)

EPS = np.finfo(float).eps


def toeplitz_dense(c, r):
    n = len(c)
    i, j = np.indices((n, n))
    return np.where(i >= j, np.asarray(c)[np.abs(i - j)], np.asarray(r)[np.abs(j - i)])


def hankel_dense(h_c, h_r):
    h = np.concatenate([h_c, h_r[1:]])
    i, j = np.indices((len(h_c),) * 2)
    return h[i + j]


def cauchy_like_dense(s, t, G, H):
    return (G @ H.T) / (s[:, None] - t[None, :])


def backward_error(M, x, b):
    return np.linalg.norm(b - M @ x) / (np.linalg.norm(M) * np.linalg.norm(x) + np.linalg.norm(b))


def assert_solves(M, x, b, bwd=8 * EPS):
    """Backward error at round-off and the forward error within cond(M) eps of numpy.linalg.solve
    (the 1-norm condition number: no SVD)."""
    xd = np.linalg.solve(M, b)
    assert backward_error(M, x, b) <= bwd * M.shape[0] ** 0.5
    assert np.linalg.norm(x - xd) <= 1e3 * EPS * np.linalg.cond(M, 1) * np.linalg.norm(xd)


# ------------------------------------------------------------------------------------------ Cauchy-like
@pytest.mark.parametrize("n, r, cplx", [(1, 1, False), (2, 1, False), (9, 2, False), (40, 3, True), (97, 4, False)])
def test_cauchy_like_factors_and_solves(n, r, cplx):
    rng = np.random.default_rng(n + r)
    s = np.arange(n) + rng.uniform(0.1, 0.4, n)                 # interlaced nodes: well conditioned
    t = np.arange(n) + rng.uniform(0.6, 0.9, n)
    G, H = rng.normal(size=(2, n, r))
    if cplx:
        s, G = s + 0.3j, G + 1j * rng.normal(size=(n, r))
    C = cauchy_like_dense(s, t, G, H)
    lu = cauchy_like_lu(s, t, G, H)
    assert isinstance(lu, StructuredLU) and (lu.n, lu.rank, lu.kind) == (n, r, "cauchy")
    assert np.allclose(lu.P @ C, lu.L @ lu.U, atol=100 * EPS * np.abs(C).max())
    assert np.array_equal(lu.P @ C, C[lu.perm])
    assert np.abs(lu.L).max() <= (np.sqrt(2) if cplx else 1) + 1e-14     # partial pivoting
    assert np.allclose(np.diag(lu.L), 1) and np.allclose(np.triu(lu.L, 1), 0) and np.allclose(np.tril(lu.U, -1), 0)
    b = rng.normal(size=n)
    assert_solves(C, lu.solve(b), b)
    assert_solves(C, lu.solve(b, refine=0), b, bwd=100 * EPS)
    assert np.allclose(lu.matvec(b), C @ b)
    assert np.isclose(lu.frobenius_norm(), np.linalg.norm(C))
    assert lu.solve(b).dtype == (np.complex128 if cplx else np.float64)


def test_partial_pivoting_picks_the_largest_entry_of_each_column():
    # without pivoting the first step would divide by the tiny C[0, 0]
    s, t = np.array([0.0, 1.0, 2.0]), np.array([-1e12, 0.5, 1.5])
    G = np.array([[1.0], [1e6], [1.0]])
    lu = cauchy_like_lu(s, t, G, np.ones(3))
    assert lu.perm[0] == 1
    C = cauchy_like_dense(s, t, G, np.ones((3, 1)))
    b = np.array([1.0, 2.0, 3.0])
    assert_solves(C, lu.solve(b), b)


def test_float32_stays_single_precision():
    rng = np.random.default_rng(3)
    n = 30
    s = (np.arange(n) + 0.25).astype(np.float32)
    t = (np.arange(n) + 0.75).astype(np.float32)
    G, H = rng.normal(size=(2, n, 2)).astype(np.float32)
    lu = cauchy_like_lu(s, t, G, H)
    assert lu.dtype == np.float32
    b = rng.normal(size=n).astype(np.float32)
    x = lu.solve(b)
    assert x.dtype == np.float32
    C = cauchy_like_dense(s.astype(float), t.astype(float), G.astype(float), H.astype(float))
    assert backward_error(C, x.astype(float), b.astype(float)) <= 50 * np.finfo(np.float32).eps


def test_exact_cauchy_like_matches_sympy():
    q = sympy.Rational
    s = [q(1, 3), q(2), q(-5, 2), q(7, 4), q(0)]
    t = [q(-1), q(1, 2), q(3), q(9, 5), q(-7, 3)]
    G = sympy.Matrix([[1, 2], [0, -1], [3, 1], [q(1, 2), 4], [-2, 1]])
    H = sympy.Matrix([[2, 0], [1, 1], [-1, 3], [0, q(2, 3)], [1, -1]])
    C = sympy.Matrix(5, 5, lambda i, j: (G[i, :] * H[j, :].T)[0, 0] / (s[i] - t[j]))
    lu = cauchy_like_lu(s, t, G, H)
    assert lu.exact and lu.LU.dtype == object
    L, U = sympy.Matrix(lu.L.tolist()), sympy.Matrix(lu.U.tolist())
    assert L * U == sympy.Matrix([list(C.row(int(p))) for p in lu.perm])     # P C = L U exactly
    assert all(abs(v) <= 1 for v in L)
    b = sympy.Matrix([1, -2, q(1, 3), 0, 5])
    assert sympy.Matrix(lu.solve(b).tolist()) == C.LUsolve(b)
    # and the numeric recursion agrees with the exact one
    lun = cauchy_like_lu(np.array(s, dtype=float), np.array(t, dtype=float), np.array(G, dtype=float),
                         np.array(H, dtype=float))
    assert np.array_equal(lun.perm, lu.perm)
    assert np.allclose(lun.LU, np.array(lu.LU, dtype=float))


def test_exactly_singular_cauchy_like_raises():
    # a repeated row node with the same generator row: rows 0 and 1 of C are equal, so rank C = 2
    s, t = [1, 1, 5], [0, 2, 3]
    with pytest.raises(np.linalg.LinAlgError, match=r"exactly singular.*step 2 \(of 3\)"):
        cauchy_like_lu(s, t, sympy.Matrix([1, 1, 1]), sympy.Matrix([1, 1, 1]))


# ------------------------------------------------------------------------------------------ Toeplitz
def test_toeplitz_with_zero_diagonal_where_levinson_fails():
    rng = np.random.default_rng(7)
    n = 64
    c, r = rng.normal(size=(2, n))
    c[0] = r[0] = 0.0
    T = toeplitz_dense(c, r)
    b = rng.normal(size=n)
    with pytest.raises(np.linalg.LinAlgError):          # Levinson divides by the leading 1 x 1 minor, 0
        sla.solve_toeplitz((c, r), b)
    lu = toeplitz_lu(c, r)
    x = lu.solve(b)
    assert x.dtype == np.float64
    assert_solves(T, x, b)
    # real data: the real (DCT) Cauchy-like form, real factors, displacement rank 4 (2 for the DFT form)
    assert lu.kind == "toeplitz" and lu.rank == 4 and lu.LU.dtype == np.float64


def _trig_operators(n):
    """The symmetric tridiagonal pair of the real form, built densely (independent of the O(n) formulas)."""
    Y = np.eye(n, k=1) + np.eye(n, k=-1)
    A, B = Y.copy(), Y.copy()
    A[0, 0] += 1
    A[-1, -1] += 1
    B[0, 0] += 1
    B[-1, -1] -= 1
    return A, B


@pytest.mark.parametrize("n", [1, 2, 3, 5, 8, 33])
@pytest.mark.parametrize("hankel", [False, True])
def test_real_form_is_the_dct_similarity_with_cosine_nodes(n, hankel):
    """Real data: A M - M B = G H^T (rank <= 4) with the stated A, B, and C = Q2 M Q4 for the orthonormal
    DCT-II and DCT-IV matrices (built by SciPy from the identity), diag(s) C - C diag(t) = Gc Hc^T."""
    import scipy.fft

    rng = np.random.default_rng(40 + n)
    c, r, hc, hr = rng.normal(size=(4, n))
    hr[0] = hc[-1]
    M = toeplitz_dense(c, np.concatenate([c[:1], r[1:]])) + (hankel_dense(hc, hr) if hankel else 0)
    h = np.concatenate([hc, hr[1:]]) if hankel else None
    G, H = schur._trig_generators(c, r, h)
    A, B = _trig_operators(n)
    np.testing.assert_allclose(A @ M - M @ B, G @ H.T, atol=1e-12)
    lu = toeplitz_plus_hankel_lu(c, r, hc, hr) if hankel else toeplitz_lu(c, r)
    Q2 = scipy.fft.dct(np.eye(n), type=2, norm="ortho", axis=0)
    Q4 = scipy.fft.dct(np.eye(n), type=4, norm="ortho", axis=0)
    np.testing.assert_allclose(lu.cauchy_dense(), Q2 @ M @ Q4, atol=1e-10)
    s, t = lu.nodes
    k = np.arange(n)
    np.testing.assert_allclose(s, 2 * np.cos(np.pi * k / n), atol=1e-15)
    np.testing.assert_allclose(t, 2 * np.cos(np.pi * (2 * k + 1) / (2 * n)), atol=1e-15)
    assert lu.LU.dtype == np.float64 and lu.rank == (2 if n == 1 else 4)


@pytest.mark.parametrize("n", [40, 300])
def test_real_and_complex_forms_agree(n):
    """The real (DCT) and complex (DFT) Cauchy-like forms of one real Toeplitz matrix give the same solution;
    both reach round-off backward error after the default refinement, and before it the real form is
    within a modest factor of dense LU."""
    rng = np.random.default_rng(n)
    c, r = rng.normal(size=(2, n))
    T = toeplitz_dense(c, np.concatenate([c[:1], r[1:]]))
    b = rng.normal(size=n)
    real, cplx = toeplitz_lu(c, r), toeplitz_lu(c.astype(complex), r.astype(complex))
    assert real.LU.dtype == np.float64 and cplx.LU.dtype == np.complex128 and cplx.rank == 2
    x, y = real.solve(b), cplx.solve(b)
    np.testing.assert_allclose(x, y.real, atol=1e-10 * np.abs(x).max())
    assert_solves(T, x, b)
    assert backward_error(T, real.solve(b, refine=0), b) < 1e3 * EPS * np.sqrt(n)


def test_toeplitz_with_small_leading_minors_is_solved_to_roundoff():
    # T[0, 0] = 1e-10: Levinson's first step divides by it and loses everything; T itself is well conditioned
    rng = np.random.default_rng(8)
    n = 120
    c, r = rng.normal(size=(2, n)) / np.sqrt(n)
    c[0] = r[0] = 1e-10
    c[1], r[1] = 1.0, 1.0
    T = toeplitz_dense(c, r)
    assert np.linalg.cond(T) < 1e4
    b = rng.normal(size=n)
    x_levinson = sla.solve_toeplitz((c, r), b)
    x = toeplitz_lu(c, r).solve(b)
    assert backward_error(T, x, b) <= 8 * EPS * np.sqrt(n)
    assert backward_error(T, x, b) * 1e3 < backward_error(T, x_levinson, b)   # Levinson is unstable here
    assert_solves(T, x, b)


@pytest.mark.parametrize("n", [1, 2, 3, 16, 101, 256])
def test_toeplitz_random_sizes_and_many_right_hand_sides(n):
    rng = np.random.default_rng(n)
    c, r = rng.normal(size=(2, n))
    T = toeplitz_dense(c, np.concatenate([c[:1], r[1:]]))
    lu = toeplitz_lu(c, r)
    B = rng.normal(size=(n, 5))
    X = lu.solve(B)
    assert X.shape == (n, 5)
    for k in range(5):
        assert np.allclose(X[:, k], lu.solve(B[:, k]), atol=1e-12 * np.abs(X).max())
        assert_solves(T, X[:, k], B[:, k])
    assert np.allclose(lu.matvec(B), T @ B)
    assert np.isclose(lu.frobenius_norm(), np.linalg.norm(T))
    assert lu.backward_error(X, B) <= 8 * EPS * np.sqrt(n)


def test_complex_toeplitz_and_default_first_row():
    rng = np.random.default_rng(11)
    n = 50
    c = rng.normal(size=n) + 1j * rng.normal(size=n)
    T = toeplitz_dense(c, np.conj(c))                      # r defaults to conj(c), as gm.toeplitz
    b = rng.normal(size=n) + 1j * rng.normal(size=n)
    x = toeplitz_lu(c).solve(b)
    assert x.dtype == np.complex128
    assert_solves(T, x, b)


@pytest.mark.parametrize("r", [1, 3, 5])
def test_toeplitz_like_of_any_displacement_rank(r):
    rng = np.random.default_rng(r)
    n = 48
    G, H = rng.normal(size=(2, n, r))
    A, B = canonical_operators("toeplitz", n)
    M = reconstruct(G, H, A, B)                          # Z_1 M - M Z_-1 = G H^T
    b = rng.normal(size=n)
    assert_solves(M, solve_toeplitz_like(G, H, b), b)
    lu = structured_lu(A, B, G, H)
    assert np.allclose(lu.matvec(b), M @ b)               # the FFT product from the generators
    assert np.isclose(lu.frobenius_norm(), np.linalg.norm(M))


def test_reuse_solves_many_systems_with_one_factorization():
    rng = np.random.default_rng(5)
    n = 200
    c, r = rng.normal(size=(2, n))
    T = toeplitz_dense(c, np.concatenate([c[:1], r[1:]]))
    lu = toeplitz_lu(c, r)
    before = lu.LU.copy()
    for _ in range(10):
        b = rng.normal(size=n)
        assert_solves(T, lu.solve(b), b)
    assert np.array_equal(lu.LU, before)                  # solving leaves the factors alone


# ------------------------------------------------------------------------------------ Hankel and T + H
@pytest.mark.parametrize("n", [1, 2, 5, 33, 128])
def test_toeplitz_plus_hankel(n):
    rng = np.random.default_rng(100 + n)
    c, r, hc, hr = rng.normal(size=(4, n))
    hr[0] = hc[-1]
    M = toeplitz_dense(c, np.concatenate([c[:1], r[1:]])) + hankel_dense(hc, hr)
    lu = toeplitz_plus_hankel_lu(c, r, hc, hr)
    assert lu.kind == "toeplitz+hankel" and lu.rank == (2 if n == 1 else 4)
    b = rng.normal(size=n)
    x = lu.solve(b)
    assert x.dtype == np.float64
    assert_solves(M, x, b)
    assert np.allclose(solve_toeplitz_plus_hankel(c, r, hc, hr, b), x)
    assert np.allclose(lu.matvec(b), M @ b)
    assert np.isclose(lu.frobenius_norm(), np.linalg.norm(M))


def test_toeplitz_plus_hankel_generators_are_those_of_the_symmetric_shift_pair():
    rng = np.random.default_rng(4)
    n = 9
    c, r, hc, hr = rng.normal(size=(4, n))
    hr[0] = hc[-1]
    M = toeplitz_dense(c, np.concatenate([c[:1], r[1:]])) + hankel_dense(hc, hr)
    G, H = schur._tph_generators(c, r, np.concatenate([hc, hr[1:]]))
    A = shift(n, 1).dense() + shift(n, 1).dense().T
    B = shift(n, -1).dense() + shift(n, -1).dense().T
    assert np.allclose(A @ M - M @ B, G @ H.T)
    assert np.linalg.matrix_rank(A @ M - M @ B) <= 4


def test_toeplitz_plus_hankel_with_singular_leading_minors():
    # T + H = the exchange matrix plus a zero-diagonal Toeplitz part: M[0, 0] = 0
    n = 40
    rng = np.random.default_rng(9)
    c, r = rng.normal(size=(2, n)) * 0.1
    c[0] = r[0] = 0.0
    hc = np.zeros(n)
    hr = np.zeros(n)
    hc[-1] = hr[0] = 1.0                                  # H = J (ones on the anti-diagonal)
    M = toeplitz_dense(c, r) + hankel_dense(hc, hr)
    assert M[0, 0] == 0.0
    b = rng.normal(size=n)
    assert_solves(M, toeplitz_plus_hankel_lu(c, r, hc, hr).solve(b), b)


def test_hankel_like_through_the_canonical_operators():
    rng = np.random.default_rng(12)
    n = 60
    hc, hr = rng.normal(size=(2, n))
    hr[0] = hc[-1]
    Hk = hankel_dense(hc, hr)
    A, B = canonical_operators("hankel", n)
    lu = structured_lu(A, B, *displacement_generators(Hk, A, B))
    assert lu.kind == "hankel"
    b = rng.normal(size=n)
    assert_solves(Hk, lu.solve(b), b)
    assert np.allclose(lu.matvec(b), Hk @ b)


# ------------------------------------------------------------------------------------------ Vandermonde
def test_vandermonde_interpolation():
    x = np.cos(np.pi * (np.arange(12) + 0.5) / 12)          # Chebyshev nodes
    coeffs = np.arange(12.0) - 5
    values = np.polynomial.polynomial.polyval(x, coeffs)
    lu = vandermonde_lu(x)
    assert lu.kind == "vandermonde"
    out = lu.solve(values)
    assert out.dtype == np.float64
    assert np.allclose(out, coeffs, atol=1e-8)
    V = x[:, None] ** np.arange(12)
    assert np.allclose(lu.matvec(coeffs), V @ coeffs)
    assert np.isclose(lu.frobenius_norm(), np.linalg.norm(V))


@pytest.mark.parametrize("f", [-1.0, 1j, 2.0])
def test_vandermonde_like_through_the_canonical_operators(f):
    n = 40
    x = np.exp(2j * np.pi * (np.arange(n) + 0.37) / n)      # on the circle, away from the roots of f
    V = x[:, None] ** np.arange(n)
    A, B = canonical_operators("vandermonde", x=x, f=f)
    lu = structured_lu(A, B, *displacement_generators(V, A, B))
    b = np.random.default_rng(1).normal(size=n)
    assert_solves(V, lu.solve(b), b)
    assert np.allclose(lu.matvec(b), V @ b)
    assert np.isclose(lu.frobenius_norm(), np.linalg.norm(V))


# ------------------------------------------------------------------------------------------ singular input
def test_singular_toeplitz_raises_naming_the_step():
    c = np.ones(6)                                         # the all-ones matrix: rank 1
    with pytest.raises(np.linalg.LinAlgError, match=r"singular to working precision.*step 1 \(of 6\)"):
        toeplitz_lu(c, c)


def test_singular_cauchy_like_raises():
    rng = np.random.default_rng(2)
    s, t = np.arange(5.0), np.arange(5.0) + 0.5
    G = rng.normal(size=(5, 2))
    G[3] = 2 * G[1]                                        # C[3] = 2 C[1] * (s_1 - t) / (s_3 - t): not proportional
    H = rng.normal(size=(5, 2))
    H[:, 1] = 0                                            # rank-1 generators: C = diag(g) Cauchy diag(h)
    H[2, 0] = 0                                            # column 2 of C is zero
    with pytest.raises(np.linalg.LinAlgError, match="singular"):
        cauchy_like_lu(s, t, G, H)


def test_growth_warning(monkeypatch):
    rng = np.random.default_rng(0)
    c, r = rng.normal(size=(2, 30))
    assert toeplitz_lu(c, r).growth >= 1.0
    monkeypatch.setattr(schur, "growth_limit", lambda dtype: 0.5)
    with pytest.warns(RuntimeWarning, match="generators of the Schur complements grew"):
        toeplitz_lu(c, r)


def test_no_warning_on_a_well_conditioned_toeplitz():
    rng = np.random.default_rng(0)
    c, r = rng.normal(size=(2, 300))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        lu = toeplitz_lu(c, r)
    assert lu.growth < schur.growth_limit(np.float64)


# ------------------------------------------------------------------------------------------ bad input
def test_bad_input_gets_clear_errors():
    s, t = np.arange(3.0), np.arange(3.0) + 0.5
    with pytest.raises(ValueError, match=r"s\[1\] == t\[0\]"):
        cauchy_like_lu(s, [1.0, 5.0, 6.0], np.ones(3), np.ones(3))
    with pytest.raises(ValueError, match="r >= 1"):
        cauchy_like_lu(s, t, np.ones((3, 0)), np.ones((3, 0)))
    with pytest.raises(ValueError, match="same number of columns"):
        cauchy_like_lu(s, t, np.ones((3, 2)), np.ones((3, 1)))
    with pytest.raises(ValueError, match="n = 3 rows"):
        cauchy_like_lu(s, t, np.ones((4, 1)), np.ones((3, 1)))
    with pytest.raises(ValueError, match="same length"):
        cauchy_like_lu(s, t[:2], np.ones(3), np.ones(3))
    with pytest.raises(ValueError, match="finite"):
        cauchy_like_lu(s, t, np.array([1.0, np.nan, 1.0]), np.ones(3))
    with pytest.raises(TypeError, match="numeric or SymPy"):
        cauchy_like_lu(s, t, np.array(["a", "b", "c"]), np.ones(3))
    with pytest.raises(ValueError, match=r"s\[0\] == t\[0\]"):
        cauchy_like_lu([sympy.Rational(1, 2), 1], [sympy.Rational(1, 2), 3], [1, 1], [1, 1])
    lu = toeplitz_lu([1.0, 2.0, 3.0], [1.0, -0.5, 0.25])
    with pytest.raises(ValueError, match=r"b must have shape \(3,\)"):
        lu.solve(np.ones(4))
    with pytest.raises(ValueError, match="refine must be an integer >= 0"):
        lu.solve(np.ones(3), refine=-1)
    with pytest.raises(ValueError, match="same length"):
        toeplitz_lu([1.0, 2.0, 3.0], [1.0, 2.0])
    with pytest.raises(TypeError, match="numeric"):
        toeplitz_lu(sympy.symbols("a b c"), [1, 2, 3])
    with pytest.raises(ValueError, match="Hankel part must be 3 x 3"):
        toeplitz_plus_hankel_lu([1.0, 2, 3], [1.0, 2, 3], [1.0, 2], [1.0, 2])
    with pytest.raises(ValueError, match="Z_0 is nilpotent"):
        A, B = canonical_operators("vandermonde", x=[1.0, 2.0, 3.0])
        structured_lu(A, B, np.ones(3), np.ones(3))
    with pytest.raises(ValueError, match="knows the Sylvester pairs"):
        structured_lu(shift(3, 1), shift(3, 1), np.ones(3), np.ones(3))
    with pytest.raises(TypeError, match="structured operators"):
        structured_lu(np.eye(3), np.eye(3), np.ones(3), np.ones(3))
    with pytest.raises(ValueError, match="must be 3 x 3"):
        structured_lu(DiagonalOperator([1.0, 2.0]), DiagonalOperator([3.0, 4.0]), np.ones(3), np.ones(3))
    with pytest.raises(ValueError, match="r >= 1"):
        solve_toeplitz_like(np.ones((3, 0)), np.ones((3, 0)), np.ones(3))


def test_dense_factors_ask_the_memory_budget(monkeypatch):
    lu = toeplitz_lu(np.arange(1.0, 41.0), np.arange(1.0, 41.0))
    monkeypatch.setenv("GROUPMAT_MAX_BYTES", str(10_000))
    for attr in ("L", "U", "P"):
        with pytest.raises(TooLargeError, match="dense"):
            getattr(lu, attr)
    with pytest.raises(TooLargeError, match="structured LU factor"):
        toeplitz_lu(np.arange(1.0, 101.0), np.arange(1.0, 101.0))


# ------------------------------------------------------------------------------------------ properties
@settings(max_examples=25, deadline=None)
@given(n=st.integers(1, 24), seed=st.integers(0, 2**32 - 1), zero_diag=st.booleans())
def test_toeplitz_agrees_with_numpy(n, seed, zero_diag):
    rng = np.random.default_rng(seed)
    c, r = rng.integers(-3, 4, size=(2, n)).astype(float)
    if zero_diag:
        c[0] = r[0] = 0.0
    T = toeplitz_dense(c, np.concatenate([c[:1], r[1:]]))
    b = rng.normal(size=n)
    if np.linalg.cond(T) > 1e8:
        return
    try:
        x = toeplitz_lu(c, r).solve(b)
    except np.linalg.LinAlgError:                           # only a numerically singular matrix may refuse
        assert np.linalg.cond(T) > 1e6
        return
    assert_solves(T, x, b)


def test_refinement_repairs_an_inexact_factorization():
    # perturb the stored factors by 1e-7: one solve is then only 1e-7 accurate, and each refinement
    # step (residuals with the exact FFT product) gains about seven digits
    rng = np.random.default_rng(21)
    n = 80
    c, r = rng.normal(size=(2, n))
    T = toeplitz_dense(c, np.concatenate([c[:1], r[1:]]))
    lu = toeplitz_lu(c, r)
    lu.LU *= 1 + 1e-7 * rng.normal(size=lu.LU.shape)
    b = rng.normal(size=n)
    errors = [backward_error(T, lu.solve(b, refine=k), b) for k in range(4)]
    assert errors[0] > 1e-10
    assert errors[1] < 1e-3 * errors[0]
    assert errors[3] <= 8 * EPS * np.sqrt(n)


def test_single_precision_toeplitz_stays_single():
    rng = np.random.default_rng(13)
    n = 64
    c, r = rng.normal(size=(2, n)).astype(np.float32)
    b = rng.normal(size=n).astype(np.float32)
    lu = toeplitz_lu(c, r)
    assert lu.dtype == np.float32                        # real single-precision factors (the DCT form)
    x = lu.solve(b)
    assert x.dtype == np.float32
    T = toeplitz_dense(c.astype(float), np.concatenate([c[:1], r[1:]]).astype(float))
    assert backward_error(T, x.astype(float), b.astype(float)) <= 50 * np.finfo(np.float32).eps


@pytest.mark.parametrize("block", [1, 3, 8])
@pytest.mark.parametrize("axpy_max", [0, 8])
@pytest.mark.parametrize("family", ["cauchy", "toeplitz", "tph"])
def test_blocked_factorization_is_p_c_equals_l_u(monkeypatch, block, axpy_max, family):
    """The L block buffer, the row interchanges applied once per block to the earlier L columns, and both
    generator updates (BLAS axpy and the outer product), for each kernel of the nodes: ``P C = L U`` with
    the dense Cauchy-like form, for block sizes that do and do not divide n."""
    monkeypatch.setattr(schur, "_L_BLOCK", block)
    monkeypatch.setattr(schur, "_AXPY_MAX_RANK", axpy_max)
    rng = np.random.default_rng(block + 10 * axpy_max)
    n = 23
    if family == "cauchy":
        s, t = rng.permutation(np.arange(n) + 0.3), np.arange(n) + 0.8
        lu = cauchy_like_lu(s, t, *rng.normal(size=(2, n, 2)))
    elif family == "toeplitz":
        lu = toeplitz_lu(*rng.normal(size=(2, n)))
    else:
        lu = toeplitz_plus_hankel_lu(*rng.normal(size=(4, n)))
    C = lu.cauchy_dense()
    assert not np.array_equal(lu.perm, np.arange(n))                     # the pivoting did interchange rows
    assert np.allclose(C[lu.perm], lu.L @ lu.U, atol=1e3 * EPS * np.abs(C).max())
    assert np.abs(lu.L).max() <= np.sqrt(2) + 1e-12


# ------------------------------------------------------------------------------------------ the panel path
def _family_lu(family, n, rng):
    """A factorization of each family and the dense matrix it solves."""
    if family == "cauchy":
        s, t = rng.permutation(np.arange(n) + 0.3), np.arange(n) + 0.8
        G, H = rng.normal(size=(2, n, 3))
        return cauchy_like_lu(s, t, G, H), cauchy_like_dense(s, t, G, H)
    if family == "cauchy-complex":
        s, t = rng.permutation(np.arange(n) + 0.3) + 0.2j, np.arange(n) + 0.8
        G, H = rng.normal(size=(2, n, 2)) + 1j * rng.normal(size=(2, n, 2))
        return cauchy_like_lu(s, t, G, H), cauchy_like_dense(s, t, G, H)
    if family == "toeplitz":
        c, r = rng.normal(size=(2, n))
        return toeplitz_lu(c, r), toeplitz_dense(c, np.concatenate([c[:1], r[1:]]))
    if family == "tph":
        c, r, hc, hr = rng.normal(size=(4, n))
        return (toeplitz_plus_hankel_lu(c, r, hc, hr),
                toeplitz_dense(c, np.concatenate([c[:1], r[1:]])) + hankel_dense(hc, np.concatenate([hc[-1:], hr[1:]])))
    x = np.sort(rng.uniform(-1, 1, n))                                     # vandermonde
    return vandermonde_lu(x), x[:, None] ** np.arange(n)


@pytest.mark.parametrize("family", ["cauchy", "cauchy-complex", "toeplitz", "tph", "vandermonde"])
@pytest.mark.parametrize("block", [1, 5, 8, None])
def test_panel_factorization_agrees_with_the_step_loop(monkeypatch, family, block):
    """The panel path (LAPACK getrf on n x b panels, level-3 generator updates of the Schur complements)
    against the step loop on the same input: ``P C = L U`` with the dense Cauchy-like form, bounded
    multipliers, the same pivots (random data: no ties) and the same factors within round-off, solutions
    at round-off backward error; panel widths that do and do not divide n, and the adaptive width."""
    n = 14 if family == "vandermonde" else 45
    monkeypatch.setattr(schur, "_PANEL_MAX", 7)                 # adaptive widths: several panels at n = 45
    monkeypatch.setattr(schur, "_PANEL_MIN", 3)
    monkeypatch.setattr(schur, "_PANEL_BLOCK", block)
    monkeypatch.setattr(schur, "_PANEL_MIN_N", 10**9)
    step, M = _family_lu(family, n, np.random.default_rng(7))
    monkeypatch.setattr(schur, "_PANEL_MIN_N", 0)
    panel, _ = _family_lu(family, n, np.random.default_rng(7))
    C = panel.cauchy_dense()
    scale = np.abs(C).max()
    assert np.allclose(C[panel.perm], panel.L @ panel.U, atol=1e3 * EPS * scale)
    assert np.abs(panel.L).max() <= (1 if family == "cauchy" else np.sqrt(2)) + 1e-12
    assert np.array_equal(panel.perm, step.perm)
    assert np.allclose(panel.LU, step.LU, atol=1e4 * EPS * scale)
    assert panel.growth >= 1.0 and panel.dtype == step.dtype
    b = np.random.default_rng(8).normal(size=n)
    if family != "vandermonde":                                  # Vandermonde: cond ~ 1e6, forward check skipped
        assert_solves(M, panel.solve(b), b)
    assert backward_error(M, panel.solve(b), b) <= 8 * EPS * n ** 0.5
    assert np.allclose(panel.solve(b), step.solve(b), atol=1e3 * EPS * np.linalg.cond(M, 1) * np.abs(step.solve(b)).max())


@pytest.fixture
def panel_path(monkeypatch):
    """Every numeric factorization through the panel path, in panels of at most 4 columns."""
    monkeypatch.setattr(schur, "_PANEL_MIN_N", 0)
    monkeypatch.setattr(schur, "_PANEL_MAX", 4)
    monkeypatch.setattr(schur, "_PANEL_MIN", 2)


def test_panel_path_zero_diagonal_and_singular_leading_minors(panel_path):
    rng = np.random.default_rng(4)
    n = 17
    c, r = rng.normal(size=(2, n))
    c[0] = r[0] = 0.0
    T = toeplitz_dense(c, r)
    b = rng.normal(size=n)
    assert_solves(T, toeplitz_lu(c, r).solve(b), b)
    # T + H = exchange matrix + zero-diagonal Toeplitz: every odd leading minor of J vanishes
    hc, hr = np.zeros(n), np.zeros(n)
    hc[-1] = hr[0] = 1.0
    M = T + hankel_dense(hc, hr)
    assert_solves(M, toeplitz_plus_hankel_lu(c, r, hc, hr).solve(b), b)


def test_panel_path_raises_on_singular_input_naming_the_step(panel_path):
    with pytest.raises(np.linalg.LinAlgError, match=r"singular to working precision.*step 1 \(of 6\)"):
        toeplitz_lu(np.ones(6), np.ones(6))
    # rank 5 of 9 (C = A given by its generators for the pair (diag(s), diag(t)), H = I): the first
    # panel (steps 0-3) is regular, the zero pivot is met inside the second, at step 5
    rng = np.random.default_rng(5)
    s, t = np.arange(9.0), np.arange(9.0) + 0.5
    A = rng.normal(size=(9, 5)) @ rng.normal(size=(5, 9))
    G = np.diag(s) @ A - A @ np.diag(t)
    with pytest.raises(np.linalg.LinAlgError, match=r"step 5 \(of 9\)"):
        cauchy_like_lu(s, t, G, np.eye(9))


def test_panel_path_keeps_single_precision_and_complex(panel_path):
    rng = np.random.default_rng(6)
    n = 30
    s = (np.arange(n) + 0.25).astype(np.float32)
    t = (np.arange(n) + 0.75).astype(np.float32)
    G, H = rng.normal(size=(2, n, 2)).astype(np.float32)
    lu = cauchy_like_lu(s, t, G, H)
    assert lu.dtype == np.float32
    b = rng.normal(size=n).astype(np.float32)
    x = lu.solve(b)
    assert x.dtype == np.float32
    C = cauchy_like_dense(s.astype(float), t.astype(float), G.astype(float), H.astype(float))
    assert backward_error(C, x.astype(float), b.astype(float)) <= 50 * np.finfo(np.float32).eps
    c, r = rng.normal(size=(2, n)) + 1j * rng.normal(size=(2, n))
    T = toeplitz_dense(c, np.concatenate([c[:1], r[1:]]))
    bc = rng.normal(size=n) + 1j * rng.normal(size=n)
    assert_solves(T, toeplitz_lu(c, r).solve(bc), bc)


def test_panel_width_balances_flops_and_overhead(monkeypatch):
    monkeypatch.setattr(schur, "_PANEL_SCALE", 1.6e5)
    monkeypatch.setattr(schur, "_PANEL_MIN", 8)
    monkeypatch.setattr(schur, "_PANEL_MAX", 64)
    assert [schur._panel_width(m) for m in (10**6, 2500, 100, 10)] == [8, 8, 40, 64]
