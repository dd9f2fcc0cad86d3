"""displacement, displacement_rank, displacement_generators, reconstruct."""
import numpy as np
import pytest
import scipy.linalg as sla
import scipy.sparse as sp
import sympy
from hypothesis import given, settings
from hypothesis import strategies as st

import groupmat as gm


def _operator_forms(A):
    """The same operator as structured, dense and sparse."""
    return [A, A.dense(), sp.csr_array(A.dense())]


@pytest.mark.parametrize("kind", ["sylvester", "stein"])
def test_operator_forms_agree(kind):
    rng = np.random.default_rng(0)
    n = 7
    M = rng.normal(size=(n, n))
    A = gm.ldr.MonomialOperator(rng.permutation(n), rng.normal(size=n))
    B = gm.shift(n, -2.0)
    ref = A.dense() @ M - M @ B.dense() if kind == "sylvester" else M - A.dense() @ M @ B.dense()
    for Af in _operator_forms(A):
        for Bf in _operator_forms(B):
            assert np.allclose(gm.displacement(M, Af, Bf, kind=kind), ref)


def test_rectangular_and_default_b():
    rng = np.random.default_rng(1)
    M = rng.normal(size=(4, 6))
    D = gm.displacement(M, gm.ldr.DiagonalOperator(np.arange(4.0)), gm.shift(6, 1))
    assert np.allclose(D, np.diag(np.arange(4.0)) @ M - M @ gm.shift(6, 1).dense())
    S = rng.normal(size=(5, 5))
    assert np.allclose(gm.displacement(S, gm.shift(5, 1)), gm.displacement(S, gm.shift(5, 1), gm.shift(5, 1)))


def test_exact_matches_numeric():
    rng = np.random.default_rng(2)
    Mi = rng.integers(-5, 6, size=(5, 5))
    A, B = gm.shift(5, 1), gm.shift(5, -1)
    De = gm.displacement(sympy.Matrix(Mi.tolist()), A, B)
    Dn = gm.displacement(Mi.astype(float), A, B)
    assert isinstance(De, sympy.Matrix)
    assert np.array_equal(np.array(De.tolist(), dtype=float), Dn)
    assert gm.displacement_rank(sympy.Matrix(Mi.tolist()), A, B) == gm.displacement_rank(Mi.astype(float), A, B)


def test_exact_rank_fields():
    x, y = sympy.symbols("x y")
    assert gm.ldr.exact_rank(sympy.Matrix([[x, y], [x**2, x * y]])) == 1          # generic rank over Q(x, y)
    assert gm.ldr.exact_rank(sympy.Matrix([[sympy.sqrt(2), 1], [2, sympy.sqrt(2)]])) == 1   # over Q(sqrt 2)
    assert gm.ldr.exact_rank(sympy.Matrix([[1, 2], [3, 4]])) == 2
    assert gm.ldr.exact_rank(sympy.zeros(3, 2)) == 0


def test_rank_default_tolerance_is_numpys():
    rng = np.random.default_rng(3)
    for _ in range(5):
        M = rng.normal(size=(12, 12))
        A, B = gm.shift(12, 1), gm.shift(12, -1)
        D = A.dense() @ M - M @ B.dense()
        assert gm.displacement_rank(M, A, B) == np.linalg.matrix_rank(D)
    T = gm.toeplitz(rng.normal(size=12), rng.normal(size=12))
    assert gm.displacement_rank(T, A, B) == 2
    assert gm.displacement_rank(T, A, B, tol=1e6) == 0


@settings(max_examples=20, deadline=None)
@given(st.integers(2, 30), st.integers(0, 2**31), st.sampled_from(["toeplitz", "hankel"]))
def test_generators_round_trip(n, seed, family):
    rng = np.random.default_rng(seed)
    c, r = rng.normal(size=n), rng.normal(size=n)
    M = gm.toeplitz(c, r) if family == "toeplitz" else gm.hankel(c, r)
    A, B = gm.ldr.canonical_operators(family, n)
    G, H = gm.displacement_generators(M, A, B)
    assert G.shape[1] <= 2
    assert np.allclose(G @ H.T, gm.displacement(M, A, B), atol=1e-10 * n)
    # Krylov route and Bartels-Stewart agree with the matrix
    assert np.allclose(gm.ldr.reconstruct(G, H, A, B), M, atol=1e-8 * n)
    assert np.allclose(gm.ldr.reconstruct(G, H, A.dense(), B.dense()), M, atol=1e-8 * n)


def test_truncated_generators_error_bound():
    rng = np.random.default_rng(4)
    M = rng.normal(size=(10, 10))
    A, B = gm.shift(10, 1), gm.shift(10, -1)
    D = gm.displacement(M, A, B)
    s = np.linalg.svd(D, compute_uv=False)
    for r in (0, 3, 10):
        G, H, err = gm.displacement_generators(M, A, B, rank=r, return_error=True)
        assert G.shape == (10, r)
        assert np.isclose(err, np.linalg.norm(D - G @ H.T))
        assert np.isclose(err, np.sqrt(np.sum(s[r:] ** 2)))


def test_complex_generators():
    rng = np.random.default_rng(5)
    M = rng.normal(size=(6, 6)) + 1j * rng.normal(size=(6, 6))
    A, B = gm.shift(6, 1j), gm.shift(6, -1)
    G, H = gm.displacement_generators(M, A, B)
    assert np.allclose(G @ H.T, gm.displacement(M, A, B))
    assert np.allclose(gm.ldr.reconstruct(G, H, A, B), M)


def test_exact_generators_and_reconstruction():
    c = sympy.symbols("c0:4")
    r = sympy.symbols("r1:4")
    T = gm.toeplitz(c, (c[0],) + r)
    A, B = gm.ldr.canonical_operators("toeplitz", 4)
    G, H = gm.displacement_generators(T, A, B)
    assert G.shape == (4, 2)
    assert (G * H.T - gm.displacement(T, A, B)).applyfunc(sympy.cancel) == sympy.zeros(4, 4)
    assert (gm.ldr.reconstruct(G, H, A, B) - T).applyfunc(sympy.cancel) == sympy.zeros(4, 4)
    # padding with zero columns; refusing truncation below the exact rank
    G3, H3 = gm.displacement_generators(T, A, B, rank=3)
    assert G3.shape == (4, 3)
    with pytest.raises(ValueError, match="exact rank 2"):
        gm.displacement_generators(T, A, B, rank=1)


def test_stein_reconstruction_routes():
    rng = np.random.default_rng(6)
    n = 6
    M = rng.normal(size=(n, n))
    # Krylov Stein route (Z_0 nilpotent, the Gader operator pair)
    A, B = gm.shift(n, 0), gm.shift(n, 1).T
    G, H = gm.displacement_generators(M, A, B, kind="stein")
    assert np.allclose(gm.ldr.reconstruct(G, H, A, B, kind="stein"), M)
    # general dense operators: through an inverse, and through the Kronecker system (both singular)
    A2, B2 = 0.5 * rng.normal(size=(n, n)), 0.5 * rng.normal(size=(n, n))
    G, H = gm.displacement_generators(M, A2, B2, kind="stein")
    assert np.allclose(gm.ldr.reconstruct(G, H, A2, B2, kind="stein"), M)
    A3 = np.diag([0.0, 0.5, 0.1, 0, 0.2, 0.3])
    B3 = np.diag([0.3, 0, 0.5, 0.1, 0, 0])
    G, H = gm.displacement_generators(M, A3, B3, kind="stein")
    assert np.allclose(gm.ldr.reconstruct(G, H, A3, B3, kind="stein"), M)


def test_general_sylvester_matches_scipy():
    rng = np.random.default_rng(7)
    A, B = rng.normal(size=(5, 5)), rng.normal(size=(4, 4)) + 10 * np.eye(4)
    M = rng.normal(size=(5, 4))
    G, H = gm.displacement_generators(M, A, B)
    assert np.allclose(gm.ldr.reconstruct(G, H, A, B), M)
    assert np.allclose(gm.ldr.reconstruct(G, H, A, B), sla.solve_sylvester(A, -B, G @ H.T))


def test_exact_general_operators_kron_route():
    A = sympy.Matrix([[1, 2], [0, 3]])
    B = sympy.Matrix([[-1, 0], [1, -2]])
    M = sympy.Matrix([[1, sympy.Rational(1, 2)], [3, 4]])
    G, H = gm.displacement_generators(M, A, B)
    assert gm.ldr.reconstruct(G, H, A, B) == M
    with pytest.raises(ValueError, match="singular"):
        gm.ldr.reconstruct(G, H, A, A)


def test_singular_operator_pairs_are_refused():
    n = 5
    rng = np.random.default_rng(8)
    G, H = rng.normal(size=(n, 1)), rng.normal(size=(n, 1))
    with pytest.raises(ValueError, match="singular"):
        gm.ldr.reconstruct(G, H, gm.shift(n, 1), gm.shift(n, 1))                      # Krylov, e = f
    with pytest.raises(ValueError, match="share the eigenvalue"):
        gm.ldr.reconstruct(G, H, gm.shift(n, 1).dense(), gm.shift(n, 1).dense())      # dense, shared spectrum
    with pytest.raises(ValueError, match="singular"):
        gm.ldr.reconstruct(G, H, gm.shift(n, 2.0), gm.shift(n, 0.5), kind="stein")    # e f = 1
    D = np.diag([1.0, 2, 3, 4, 5])
    with pytest.raises(ValueError, match="share the eigenvalue"):
        gm.ldr.reconstruct(G, H, D, gm.ldr.DiagonalOperator([9.0, 8, 7, 6, 3]))


def test_bad_input():
    M = np.ones((3, 3))
    with pytest.raises(ValueError, match="A must be 3 x 3"):
        gm.displacement(M, gm.shift(4))
    with pytest.raises(ValueError, match="B must be 3 x 3"):
        gm.displacement(M, gm.shift(3), np.eye(2))
    with pytest.raises(ValueError, match="kind"):
        gm.displacement(M, gm.shift(3), kind="lyapunov")
    with pytest.raises(ValueError, match="finite"):
        gm.displacement(np.array([[1.0, np.nan], [0, 1]]), gm.shift(2))
    with pytest.raises(ValueError, match="finite"):
        gm.displacement(M, np.full((3, 3), np.inf))
    with pytest.raises(ValueError, match="matrix"):
        gm.displacement(np.ones(3), gm.shift(3))
    with pytest.raises(TypeError):
        gm.displacement(np.array([["a"]]), gm.shift(1))
    with pytest.raises(ValueError, match="rank must be at most"):
        gm.displacement_generators(M, gm.shift(3), rank=4)
    with pytest.raises(ValueError, match="same number of columns"):
        gm.ldr.reconstruct(np.ones((3, 2)), np.ones((3, 1)), gm.shift(3, 1), gm.shift(3, -1))
    with pytest.raises(ValueError, match="A must be 3 x 3"):
        gm.ldr.reconstruct(np.ones((3, 1)), np.ones((3, 1)), gm.shift(4, 1), gm.shift(3, -1))
    with pytest.raises(ValueError, match="finite"):
        gm.ldr.reconstruct(np.full((3, 1), np.nan), np.ones((3, 1)), gm.shift(3, 1), gm.shift(3, -1))


@settings(max_examples=12, deadline=None)
@given(st.integers(130, 200), st.integers(0, 40), st.integers(0, 2**31), st.booleans())
def test_numeric_rank_agrees_with_matrix_rank(n, r, seed, noisy):
    rng = np.random.default_rng(seed)
    D = rng.normal(size=(n, r)) @ rng.normal(size=(r, n + 7))
    if noisy:   # noise far above the tolerance makes it full rank; the fallback SVD must say so
        D = D + 1e-6 * rng.normal(size=D.shape)
    assert gm.ldr.numeric_rank(D) == np.linalg.matrix_rank(D)
    assert gm.ldr.numeric_rank(D, tol=1e-3) == np.linalg.matrix_rank(D, tol=1e-3)


def test_displacement_rank_large_low_rank():
    n = 400
    rng = np.random.default_rng(9)
    T = gm.toeplitz(rng.normal(size=n), rng.normal(size=n))
    A, B = gm.ldr.canonical_operators("toeplitz", n)
    assert gm.displacement_rank(T, A, B) == 2 == np.linalg.matrix_rank(gm.displacement(T, A, B))
    assert gm.ldr.numeric_rank(np.zeros((200, 200))) == 0


def test_generators_of_large_low_rank_displacement():
    n = 300
    rng = np.random.default_rng(10)
    H = gm.hankel(rng.normal(size=n), rng.normal(size=n))
    A, B = gm.ldr.canonical_operators("hankel", n)
    G, Hg, err = gm.displacement_generators(H, A, B, return_error=True)
    assert G.shape == (n, 2) and err < 1e-8
    assert np.allclose(G @ Hg.T, gm.displacement(H, A, B))
    assert np.allclose(gm.ldr.reconstruct(G, Hg, A, B), H)


def test_tolerance_is_validated():
    M = np.eye(5) + np.ones((5, 5))
    Z = gm.shift(5)
    G, H = np.ones((5, 1)), np.ones((5, 1))
    calls = [lambda t: gm.displacement_rank(M, Z, tol=t), lambda t: gm.ldr.numeric_rank(M, tol=t),
             lambda t: gm.displacement_generators(M, Z, tol=t),
             lambda t: gm.ldr.reconstruct(G, H, gm.shift(5, 1), gm.shift(5, -1), tol=t),
             lambda t: gm.ldr.coefficient_displacement_rank(gm.cyclic(5), M, tol=t),
             lambda t: gm.ldr.generator_displacement_rank(gm.cyclic(5), M, tol=t)]
    for call in calls:
        for bad in (-1, -1e-300, np.nan, np.inf):
            with pytest.raises(ValueError, match="tol must be a finite number >= 0"):
                call(bad)
        for bad in ("a", None.__class__, True, [1e-8]):
            with pytest.raises(TypeError, match="tol must be a finite number >= 0"):
                call(bad)
    # valid tolerances: 0 counts every nonzero singular value, a huge one none
    D = gm.displacement(M, Z)
    assert gm.displacement_rank(M, Z, tol=0) == int(np.count_nonzero(np.linalg.svd(D, compute_uv=False) > 0))
    assert gm.displacement_rank(M, Z, tol=1e9) == 0
    assert gm.displacement_rank(M, Z, tol=np.float32(1e-6)) == gm.displacement_rank(M, Z)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("n", [16, 64, 200])
def test_default_rank_tolerance_follows_the_dtype_of_the_data(dtype, n):
    """T C (Toeplitz times circulant) has circulant displacement Z_1 (T C) - (T C) Z_1 = (Z_1 T - T Z_1) C
    of rank 2; computed in float32 its round-off is float32's, and the default tolerance (measured
    against the terms of the difference, with eps of the data's dtype) still says 2."""
    rng = np.random.default_rng(n)
    T = gm.toeplitz(rng.normal(size=n), rng.normal(size=n)).astype(dtype)
    C = gm.circulant(rng.normal(size=n)).astype(dtype)
    M = T @ C
    assert M.dtype == dtype
    Z = gm.shift(n, 1)
    assert gm.displacement_rank(M, Z) == 2
    assert gm.displacement_rank(M, Z.dense().astype(dtype)) == 2          # dense operators too
    G, H = gm.displacement_generators(M, Z)
    assert G.shape == (n, 2) and H.shape == (n, 2)
    D = gm.displacement(M, Z)
    assert np.allclose(G @ H.T, D, atol=100 * n * np.finfo(dtype).eps * np.abs(M).max())
    assert gm.ldr.numeric_rank(D.astype(dtype), tol=gm.ldr.default_rank_tol((), D.shape, 2 * np.linalg.norm(M),
                                                                           dtype=dtype)) == 2
    # a perturbation well above the dtype's round-off is rank
    N = M.copy()
    N[n // 2, n // 3] += 1e-2 * np.abs(M).max()
    assert gm.displacement_rank(N, Z) >= 3
