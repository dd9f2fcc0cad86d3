"""Solving GM-LDR systems: GMRES/CG with the group preconditioner, Woodbury, stability and input checks.

Every solution is compared with ``numpy.linalg.solve`` on the dense matrix (an independent
computation); the nearest group matrix with the dense Reynolds projection and, exactly, with SymPy.
"""
import warnings

import numpy as np
import pytest
import scipy.linalg as sl
import sympy
from hypothesis import given, settings
from hypothesis import strategies as st
from strategies import groups

import groupmat as gm
from groupmat.ldr import (GroupLDRMatrix, SolveConvergenceError, SolveInfo, nearest_group_kernel, solve_group_ldr,
                          solve_group_low_rank)
from groupmat.ldr import gm_ldr_solve
from groupmat.reps import convolve


def _well_conditioned(G, r, rng, scale=0.3):
    """``M_b`` a shifted identity plus noise and ``r`` dense terms of norm about ``scale``."""
    n = G.order
    b = rng.normal(size=n) / np.sqrt(n)
    b[0] += 3.0
    return GroupLDRMatrix(G, b, scale * rng.normal(size=(r, n)) / np.sqrt(n), rng.normal(size=(r, n)))


def _spread_kernel(G, lo, rng):
    """A symmetric positive definite group matrix with spectrum in ``[lo, 1 + lo]``: ``a * a^vee``
    normalised, plus ``lo`` times the identity."""
    n = G.order
    a = rng.normal(size=n)
    c = convolve(G, a, a[G.inverses()])
    c = c / np.linalg.eigvalsh(gm.group_matrix(G, c)).max()
    c[0] += lo
    return c


def _sparse_rows(G, r, s, rng):
    """A GM-LDR matrix whose ``V`` is supported on ``s`` rows (so Woodbury applies)."""
    n = G.order
    b = rng.normal(size=n)
    b[0] += 2.0 * np.sqrt(n)
    V = np.zeros((r, n))
    V[:, rng.choice(n, s, replace=False)] = rng.normal(size=(r, s))
    return GroupLDRMatrix(G, b, rng.normal(size=(r, n)), V)


# ----------------------------------------------------------------------------------- the preconditioner
@settings(max_examples=15)
@given(groups(max_order=24), st.integers(0, 3), st.integers(0, 2**31))
def test_nearest_group_kernel_is_the_dense_projection(G, r, seed):
    rng = np.random.default_rng(seed)
    n = G.order
    M = GroupLDRMatrix(G, rng.normal(size=n), rng.normal(size=(r, n)), rng.normal(size=(r, n)))
    c = nearest_group_kernel(M)
    L = gm.regular_representation(G)
    # the Reynolds projection onto Hom_G(L, L) (the group matrices) of the dense matrix
    assert np.allclose(gm.group_matrix(G, c), gm.project(M.dense(), L, L))
    # and it is the nearest: M - M_c is orthogonal to every group matrix
    E = M.dense() - gm.group_matrix(G, c)
    for g in range(min(n, 4)):
        assert abs(np.sum(E * gm.group_matrix(G, np.eye(n)[g]))) < 1e-9 * (1 + np.abs(E).sum())


def test_nearest_group_kernel_exact():
    G = gm.dihedral(3)
    b = sympy.symbols("b0:6")
    U = [[sympy.Rational(k, 3) for k in range(6)]]
    V = [[sympy.Integer(k % 4) for k in range(6)]]
    M = GroupLDRMatrix(G, list(b), U, V)
    c = nearest_group_kernel(M)
    expected = gm.x_from_group_matrix(G, M.dense(), check=False)          # the exact diagonal means
    assert all(sympy.simplify(c[k] - expected[k]) == 0 for k in range(6))
    # mean(V) = (0 + 1 + 2 + 3 + 0 + 1) / 6 = 7/6
    assert sympy.simplify(c[2] - (b[2] + sympy.Rational(2, 3) * sympy.Rational(7, 6))) == 0


def test_chan_preconditioner_on_cyclic_is_the_optimal_circulant():
    # T. Chan's optimal circulant of A: c_k = mean of A along the k-th wrapped diagonal, A[i, i + k]
    G = gm.cyclic(9)
    rng = np.random.default_rng(3)
    M = GroupLDRMatrix(G, rng.normal(size=9), rng.normal(size=(2, 9)), rng.normal(size=(2, 9)))
    A = M.dense()
    chan = np.array([np.mean([A[i, (i + k) % 9] for i in range(9)]) for k in range(9)])
    assert np.allclose(nearest_group_kernel(M), chan)


# ----------------------------------------------------------------------------------- Krylov
@pytest.mark.parametrize("G", [gm.cyclic(12), gm.cyclic(260), gm.group("C4xC6"), gm.dihedral(6),
                               gm.dihedral(40), gm.quaternion(), gm.group("D3xC4")], ids=lambda G: G.name)
@pytest.mark.parametrize("preconditioner", ["group", "none"])
def test_gmres_matches_dense_solve(G, preconditioner):
    rng = np.random.default_rng(G.order)
    M = _well_conditioned(G, 2, rng)
    D = M.dense()
    for rhs in (rng.normal(size=G.order), rng.normal(size=(G.order, 3))):
        y, info = solve_group_ldr(M, rhs, method="gmres", preconditioner=preconditioner, return_info=True)
        assert y.shape == rhs.shape
        assert np.allclose(y, np.linalg.solve(D, rhs), rtol=1e-10, atol=1e-10)
        assert info.method == "gmres" and info.preconditioner == preconditioner and info.converged
        k = 1 if rhs.ndim == 1 else 3
        assert info.iterations.shape == (k,) and np.all(info.iterations >= 1)
        assert all(len(h) == it for h, it in zip(info.history, info.iterations))
        # the reported residuals are the true ones
        R, B = (rhs - D @ y).reshape(G.order, -1), rhs.reshape(G.order, -1)
        assert np.allclose(info.residual_norms, np.linalg.norm(R, axis=0) / np.linalg.norm(B, axis=0))
        assert np.all(info.residual_norms <= gm.tolerances.roundoff(np.float64, terms=G.order))
        assert info.matvecs >= info.iterations.sum()


def test_routes_of_the_large_cases():
    # the solves above run on the fast products, not the dense form
    rng = np.random.default_rng(0)
    assert _well_conditioned(gm.cyclic(260), 1, rng).product_route() == "fft"
    M = _well_conditioned(gm.dihedral(520), 1, rng)
    assert M.product_route() == "convolve"
    rhs = rng.normal(size=1040)
    y = M.solve(rhs)
    assert np.linalg.norm(M @ y - rhs) <= 1e-10 * np.linalg.norm(rhs)
    assert M._plan.dense is None                       # the dense form was never built


@pytest.mark.parametrize("G", [gm.cyclic(64), gm.dihedral(32), gm.group("C8xC8")], ids=lambda G: G.name)
def test_group_preconditioner_cuts_iterations(G):
    # M = M_c + small: the group preconditioner makes M_c^{-1} M = I + small.
    # Measured: C64 3 vs 64, D32 4 vs 100, C8xC8 3 vs 58 iterations (cond(M_c) 470 to 870).
    rng = np.random.default_rng(7)
    n = G.order
    c = _spread_kernel(G, 1e-3, rng)
    M = GroupLDRMatrix(G, c, 1e-7 * rng.normal(size=(2, n)), rng.normal(size=(2, n)))
    rhs = rng.normal(size=n)
    y1, with_ = solve_group_ldr(M, rhs, method="gmres", return_info=True)
    y0, without = solve_group_ldr(M, rhs, method="gmres", preconditioner="none", return_info=True)
    ref = np.linalg.solve(M.dense(), rhs)
    assert np.allclose(y1, ref, rtol=1e-8, atol=1e-8) and np.allclose(y0, ref, rtol=1e-8, atol=1e-8)
    assert with_.iterations[0] <= 4
    assert without.iterations[0] >= 10 * with_.iterations[0]
    assert with_.condition == pytest.approx(np.linalg.cond(gm.group_matrix(G, nearest_group_kernel(M))), rel=1e-9)


def test_cg_on_group_matrix_plus_diagonal():
    # M = M_c + diag(v) = M_c + diag(v) M_delta, symmetric positive definite for M_c SPD and v >= 0
    G = gm.dihedral(16)
    rng = np.random.default_rng(11)
    n = G.order
    c = _spread_kernel(G, 1e-2, rng)
    delta = np.eye(n)[0]
    M = GroupLDRMatrix(G, c, delta[None], np.abs(rng.normal(size=(1, n))))
    D = M.dense()
    assert np.allclose(D, D.T) and np.linalg.eigvalsh(D).min() > 0
    rhs = rng.normal(size=(n, 2))
    y, info = solve_group_ldr(M, rhs, method="cg", return_info=True)
    assert info.method == "cg" and info.preconditioner == "group"
    assert np.allclose(y, np.linalg.solve(D, rhs), rtol=1e-9, atol=1e-9)
    _, plain = solve_group_ldr(M, rhs, method="cg", preconditioner="none", return_info=True)
    assert np.all(plain.iterations > info.iterations)
    # complex Hermitian positive definite: c = a * conj(a o inv) + delta
    a = rng.normal(size=n) + 1j * rng.normal(size=n)
    c = convolve(G, a, np.conj(a[G.inverses()]))
    c[G.identity] += 1.0
    M = GroupLDRMatrix(G, c, delta[None], np.abs(rng.normal(size=(1, n))))
    D = M.dense()
    assert np.allclose(D, D.conj().T) and not np.allclose(D, D.T)
    y = solve_group_ldr(M, rhs, method="cg")
    assert np.allclose(y, np.linalg.solve(D, rhs), rtol=1e-9, atol=1e-9)


def test_cg_refuses_a_nonsymmetric_matrix():
    M = _well_conditioned(gm.cyclic(10), 1, np.random.default_rng(0))
    with pytest.raises(ValueError, match="not symmetric.*gmres"):
        solve_group_ldr(M, np.ones(10), method="cg")


def test_complex_and_float32():
    G = gm.dihedral(5)
    rng = np.random.default_rng(5)
    M = _well_conditioned(G, 2, rng)
    rhs = rng.normal(size=10) + 1j * rng.normal(size=10)
    y = solve_group_ldr(M, rhs, method="gmres")
    assert np.iscomplexobj(y) and np.allclose(y, np.linalg.solve(M.dense(), rhs))
    M32 = GroupLDRMatrix(G, M.b.astype(np.float32), M.U.astype(np.float32), M.V.astype(np.float32))
    rhs32 = rng.normal(size=10).astype(np.float32)
    for method in ("gmres", "auto"):
        y32 = solve_group_ldr(M32, rhs32, method=method)
        assert y32.dtype == np.float32
        assert np.allclose(y32, np.linalg.solve(M.dense(), rhs32.astype(float)), rtol=1e-4, atol=1e-4)
    assert solve_group_ldr(M, np.arange(10), method="gmres").dtype == np.float64     # integers -> float64


def test_method_delegates_and_zero_rhs():
    G = gm.cyclic(7)
    M = _well_conditioned(G, 1, np.random.default_rng(1))
    rhs = np.arange(7.0)
    assert np.array_equal(M.solve(rhs, method="gmres"), solve_group_ldr(M, rhs, method="gmres"))
    y, info = M.solve(np.zeros((7, 2)), method="gmres", return_info=True)
    assert np.array_equal(y, np.zeros((7, 2))) and info.converged and np.all(info.residual_norms == 0)


# ----------------------------------------------------------------------------------- Woodbury
@pytest.mark.parametrize("G", [gm.cyclic(16), gm.cyclic(260), gm.dihedral(9), gm.group("C2xC2xC6"),
                               gm.quaternion(), gm.group("D4xC3")], ids=lambda G: G.name)
def test_woodbury_matches_dense_solve(G):
    rng = np.random.default_rng(G.order + 1)
    s = 1 if G.order < 16 else 2
    M = _sparse_rows(G, 3, s, rng)
    D = M.dense()
    rhs = rng.normal(size=(G.order, 2))
    for method in ("woodbury", "auto"):
        y, info = solve_group_ldr(M, rhs, method=method, return_info=True)
        assert info.method == "woodbury" and info.support == s
        assert np.allclose(y, np.linalg.solve(D, rhs), rtol=1e-11, atol=1e-11)
        assert np.all(info.backward_errors <= gm.tolerances.roundoff(np.float64, terms=G.order))
    # the capacitance matrix K = I + C M_b^-1 P^T: det M = det M_b det K
    S = np.flatnonzero(np.any(M.V != 0, axis=0))
    Db = gm.group_matrix(G, M.b)
    K = np.eye(s) + (D - Db)[S] @ np.linalg.inv(Db)[:, S]
    assert info.condition == pytest.approx(np.linalg.cond(K), rel=1e-6)
    sign, logdet = np.linalg.slogdet(D)
    sign_b, logdet_b = np.linalg.slogdet(Db)
    assert sign == sign_b * np.sign(np.linalg.det(K))
    assert logdet == pytest.approx(logdet_b + np.log(abs(np.linalg.det(K))), rel=1e-10, abs=1e-8)


@settings(max_examples=15)
@given(groups(max_order=24), st.integers(1, 3), st.integers(1, 2), st.integers(0, 2**31))
def test_woodbury_and_gmres_on_random_groups(G, r, s, seed):
    # any group (tables with the identity anywhere, permutation closures, products)
    rng = np.random.default_rng(seed)
    n = G.order
    s = min(s, n)
    b = rng.normal(size=n)
    b[G.identity] += 2.0 * np.sqrt(n)
    V = np.zeros((r, n))
    V[:, rng.choice(n, s, replace=False)] = rng.normal(size=(r, s))
    M = GroupLDRMatrix(G, b, rng.normal(size=(r, n)) / np.sqrt(n), V)
    rhs = rng.normal(size=(n, 2))
    ref = np.linalg.solve(M.dense(), rhs)
    y, info = solve_group_ldr(M, rhs, method="woodbury", return_info=True)
    assert info.support == s and np.allclose(y, ref, rtol=1e-10, atol=1e-10)
    y, info = solve_group_ldr(M, rhs, method="gmres", return_info=True)
    assert np.allclose(y, ref, rtol=1e-9, atol=1e-9)


def test_rank_zero_is_the_group_solve():
    G = gm.dihedral(7)
    rng = np.random.default_rng(2)
    x = rng.normal(size=14)
    x[0] += 4
    y, info = GroupLDRMatrix(G, x).solve(np.eye(14), return_info=True)
    assert info.method == "woodbury" and info.support == 0
    assert np.allclose(y, np.linalg.inv(gm.group_matrix(G, x)))
    # the inverse of a group matrix is a group matrix
    assert gm.is_group_matrix(G, y, tol=1e-10)


def test_auto_prefers_gmres_for_wide_support():
    G = gm.cyclic(32)
    M = _sparse_rows(G, 2, 8, np.random.default_rng(4))           # s = 8 > n / 8 = 4
    _, info = solve_group_ldr(M, np.ones(32), return_info=True)
    assert info.method == "gmres"
    _, info = solve_group_ldr(_sparse_rows(G, 2, 4, np.random.default_rng(4)), np.ones(32), return_info=True)
    assert info.method == "woodbury"


@pytest.mark.parametrize("G", [gm.cyclic(10), gm.dihedral(6), gm.group("C3xC3")], ids=lambda G: G.name)
def test_solve_group_low_rank(G):
    rng = np.random.default_rng(9)
    n = G.order
    x = rng.normal(size=n)
    x[0] += 4
    U, V = rng.normal(size=(n, 3)), rng.normal(size=(n, 3))
    D = gm.group_matrix(G, x) + U @ V.T
    rhs = rng.normal(size=(n, 2))
    y, info = solve_group_low_rank(G, x, U, V, rhs, return_info=True)
    assert np.allclose(y, np.linalg.solve(D, rhs), rtol=1e-11, atol=1e-11)
    assert info.support == 3 and isinstance(info, SolveInfo)
    # Sherman-Morrison: one vector each
    u, v = U[:, 0], V[:, 0]
    y = solve_group_low_rank(G, x, u, v, rhs[:, 0])
    assert np.allclose(y, np.linalg.solve(gm.group_matrix(G, x) + np.outer(u, v), rhs[:, 0]))


# ----------------------------------------------------------------------------------- near-singular cases
def test_singular_matrix_does_not_converge():
    # b = 0: the rows outside the support of V are zero, M is singular; M_b = 0 sends auto to GMRES
    G = gm.cyclic(16)
    rng = np.random.default_rng(1)
    V = np.zeros((1, 16))
    V[0, :3] = 1.0
    M = GroupLDRMatrix(G, np.zeros(16), rng.normal(size=(1, 16)), V)
    rhs = rng.normal(size=16)
    with pytest.raises(SolveConvergenceError, match="singular to working precision.*lower bound") as err:
        solve_group_ldr(M, rhs, maxiter=64)
    assert isinstance(err.value, np.linalg.LinAlgError)
    assert err.value.solution.shape == (16,) and not err.value.info.converged
    # GMRES breaks down in the 3-dimensional range of M with a huge iterate: a tiny backward error, but
    # ||M|| ||y|| / ||b|| shows the singularity
    assert 1 <= err.value.info.iterations[0] <= 64
    assert err.value.info.backward_errors[0] < 1e-14 and err.value.info.residual_norms[0] > 0.1
    with pytest.raises(SolveConvergenceError, match="singular"):
        solve_group_ldr(M, rhs, preconditioner="none", maxiter=64)
    with pytest.raises(np.linalg.LinAlgError, match="M_b is singular.*gmres"):
        solve_group_ldr(M, np.ones(16), method="woodbury")
    with pytest.raises(np.linalg.LinAlgError, match="singular"):
        solve_group_ldr(M, np.ones(16), method="dense")


def test_woodbury_detects_a_singular_matrix():
    # M = I - e_3 e_3^T: M_b = I is fine, the capacitance 1 + C M_b^-1 e_3 = 1 - 1 = 0
    G = gm.dihedral(4)
    delta = np.eye(8)[0]
    V = np.zeros((1, 8))
    V[0, 3] = -1.0
    M = GroupLDRMatrix(G, delta, delta[None], V)
    assert np.linalg.matrix_rank(M.dense()) == 7
    with pytest.raises(np.linalg.LinAlgError, match="singular.*capacitance"):
        solve_group_ldr(M, np.ones(8))
    x = np.eye(8)[0]
    with pytest.raises(np.linalg.LinAlgError, match="M_x is singular"):
        solve_group_low_rank(G, np.zeros(8), x, x, np.ones(8))
    with pytest.raises(np.linalg.LinAlgError, match="capacitance"):
        solve_group_low_rank(G, x, -np.eye(8)[3], np.eye(8)[3], np.ones(8))


def test_singular_preconditioner_falls_back_with_a_warning():
    # M = diag(v) with mean(v) = 0: invertible, but its nearest group matrix is 0
    G = gm.cyclic(12)
    rhs = np.arange(1.0, 13.0)
    exact_zero = np.array([1.0, -1, 2, -2, 3, -3, 4, -4, 5, -5, 6, -6])
    noisy_zero = np.where(np.arange(12) % 2, 1.0, -2.0) * (1 + np.arange(12) / 12)
    noisy_zero -= noisy_zero.mean()                 # mean zero up to round-off: M_c is rounding noise
    for v in (exact_zero, noisy_zero):
        M = GroupLDRMatrix(G, np.zeros(12), np.eye(12)[0][None], v[None])
        with pytest.warns(sl.LinAlgWarning, match="preconditioner.*singular"):
            y, info = solve_group_ldr(M, rhs, method="gmres", return_info=True)
        assert info.preconditioner == "none" and info.condition is None and np.allclose(y, rhs / v)


def test_ill_conditioned_group_part_in_woodbury():
    # M_b = I - (1 - d) J / n has condition 1/d; the rank-one row update e_0 1^T makes M well-conditioned
    G = gm.cyclic(16)
    rng = np.random.default_rng(2)
    rhs = rng.normal(size=16)
    V = np.zeros((1, 16))
    V[0, 0] = 1.0
    for d, warns in ((1e-8, False), (1e-12, True)):
        M = GroupLDRMatrix(G, np.eye(16)[0] - (1 - d) / 16, np.ones((1, 16)), V)
        assert np.linalg.cond(M.dense()) < 100
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            y, info = solve_group_ldr(M, rhs, method="woodbury", return_info=True)
        assert any(issubclass(w.category, sl.LinAlgWarning) for w in caught) == warns
        assert info.matvecs == 3                    # one step of iterative refinement was taken
        if not warns:
            assert np.allclose(y, np.linalg.solve(M.dense(), rhs), rtol=1e-12, atol=1e-12)
        # auto does not trust Woodbury with cond(M_b) > eps^(-1/2): it takes GMRES, accurately
        y, info = solve_group_ldr(M, rhs, return_info=True)
        assert info.method == "gmres" and np.allclose(y, np.linalg.solve(M.dense(), rhs), rtol=1e-10, atol=1e-10)


def test_maxiter_reached():
    G = gm.cyclic(64)
    rng = np.random.default_rng(7)
    M = GroupLDRMatrix(G, _spread_kernel(G, 1e-3, rng), 1e-3 * rng.normal(size=(1, 64)), rng.normal(size=(1, 64)))
    with pytest.raises(SolveConvergenceError, match="GMRES did not converge") as err:
        solve_group_ldr(M, np.ones(64), preconditioner="none", maxiter=5)
    assert err.value.info.iterations[0] == 5
    y, info = solve_group_ldr(M, np.ones(64), tol=1e-3, return_info=True)   # a loose tolerance is met
    assert info.converged and info.residual_norms[0] <= 1e-3


# ----------------------------------------------------------------------------------- input checks
def test_input_validation():
    G = gm.cyclic(6)
    M = _well_conditioned(G, 1, np.random.default_rng(0))
    with pytest.raises(ValueError, match=r"b must have shape \(6,\) or \(6, k\).*C6.*\(7,\)"):
        M.solve(np.ones(7))
    with pytest.raises(ValueError, match=r"b must have shape.*\(6, 2, 1\)"):
        M.solve(np.ones((6, 2, 1)))
    with pytest.raises(TypeError, match="b must be a numeric array.*<U1"):
        M.solve(np.array(list("abcdef")))
    with pytest.raises(TypeError, match="b holds SymPy entries"):
        M.solve(sympy.Matrix([1, 2, 3, 4, 5, 6]))
    with pytest.raises(ValueError, match="b must be finite"):
        M.solve(np.array([1, 2, np.nan, 4, 5, 6]))
    with pytest.raises(ValueError, match="method must be one of"):
        M.solve(np.ones(6), method="lu")
    with pytest.raises(ValueError, match="preconditioner must be one of"):
        M.solve(np.ones(6), preconditioner="jacobi")
    with pytest.raises(ValueError, match="tol must be a finite number"):
        M.solve(np.ones(6), tol=-1.0)
    with pytest.raises(ValueError, match="maxiter"):
        M.solve(np.ones(6), maxiter=0)
    with pytest.raises(TypeError, match="return_info must be True or False"):
        M.solve(np.ones(6), return_info="yes")
    with pytest.raises(TypeError, match="M must be a GroupLDRMatrix"):
        solve_group_ldr(M.dense(), np.ones(6))
    with pytest.raises(TypeError, match="M must be a GroupLDRMatrix.*Transposed"):
        solve_group_ldr(M.T, np.ones(6))
    exact = GroupLDRMatrix(G, [sympy.Integer(1)] * 6)
    with pytest.raises(TypeError, match="numeric.*SymPy"):
        exact.solve(np.ones(6))
    with pytest.raises(ValueError, match="U and V must have the same shape"):
        solve_group_low_rank(G, np.eye(6)[0], np.ones((6, 2)), np.ones((6, 1)), np.ones(6))
    with pytest.raises(ValueError, match=r"x must have shape \(6,\)"):
        solve_group_low_rank(G, np.ones((6, 2)), np.ones(6), np.ones(6), np.ones(6))
    with pytest.raises(TypeError, match="G must be"):
        solve_group_low_rank("C6", np.ones(6), np.ones(6), np.ones(6), np.ones(6))


def test_frobenius_norm_from_parameters():
    rng = np.random.default_rng(0)
    G = gm.dihedral(5)
    M = GroupLDRMatrix(G, rng.normal(size=10), rng.normal(size=(3, 10)), rng.normal(size=(3, 10)))
    assert gm_ldr_solve._frobenius_norm(M) == pytest.approx(np.linalg.norm(M.dense()), rel=1e-12)
    Mc = GroupLDRMatrix(G, rng.normal(size=10) + 1j * rng.normal(size=10), rng.normal(size=(2, 10)) * 1j,
                        rng.normal(size=(2, 10)) + 1j)
    assert gm_ldr_solve._frobenius_norm(Mc) == pytest.approx(np.linalg.norm(Mc.dense()), rel=1e-12)
