"""Linear algebra of group matrices through the Fourier blocks: every result against the dense matrix
(NumPy/SciPy) or, for exact input, against SymPy's dense linear algebra."""
from __future__ import annotations

import warnings

import numpy as np
import pytest
import scipy.linalg as sl
import sympy
from hypothesis import given, settings
from hypothesis import strategies as st
from strategies import groups

import groupmat as gm
from groupmat import routing
from groupmat.reps import (group_matrix_det, group_matrix_eigvals, group_matrix_slogdet, group_matrix_svdvals,
                           invert_group_matrix, pinv_group_matrix, solve_group_matrix)
from groupmat.tolerances import eps, roundoff

CONVENTIONS = ("ginv_h", "g_hinv", "gh")

# every route of the transform: FFT (declared, undeclared abelian), dihedral, products, dense
GROUPS = [gm.cyclic(1), gm.cyclic(8), gm.cyclic(9), gm.group("C4xC6"), gm.from_cayley_table(gm.group("C3xC4").cayley_table()),
          gm.dihedral(5), gm.dihedral(8), gm.direct_product(gm.dihedral(3), gm.cyclic(4)),
          gm.direct_product(gm.dihedral(3), gm.dihedral(4)), gm.quaternion(), gm.dicyclic(3), gm.symmetric(4),
          gm.alternating(4)]
IDS = [G.name for G in GROUPS]


def _x(G, seed=0, complex_=False):
    """A random function with a dominant identity value (so M_x is well conditioned)."""
    rng = np.random.default_rng(seed + G.order)
    x = rng.standard_normal(G.order)
    if complex_:
        x = x + 1j * rng.standard_normal(G.order)
    x[G.identity] += 2.0 * np.sqrt(G.order)
    return x


def _rel(a, b):
    return np.linalg.norm(a - b) / max(np.linalg.norm(b), 1e-300)


# ------------------------------------------------------------------------------------ solve
@pytest.mark.parametrize("G", GROUPS, ids=IDS)
@pytest.mark.parametrize("convention", CONVENTIONS)
def test_solve_equals_dense_solve(G, convention):
    n = G.order
    x = _x(G)
    rng = np.random.default_rng(1)
    b, B = rng.standard_normal(n), rng.standard_normal((n, 3))
    M = gm.group_matrix(G, x, convention)
    y = solve_group_matrix(G, x, b, convention)
    Y = solve_group_matrix(G, x, B, convention)
    assert y.shape == (n,) and Y.shape == (n, 3) and y.dtype == np.float64
    assert _rel(y, np.linalg.solve(M, b)) < 1e-12
    assert _rel(Y, np.linalg.solve(M, B)) < 1e-12


@pytest.mark.parametrize("G", [gm.cyclic(6), gm.dihedral(4), gm.quaternion()], ids=lambda G: G.name)
def test_solve_complex_and_float32(G):
    x = _x(G, complex_=True)
    b = np.random.default_rng(2).standard_normal(G.order) * (1 - 1j)
    y = solve_group_matrix(G, x, b)
    assert y.dtype == np.complex128
    assert _rel(y, np.linalg.solve(gm.group_matrix(G, x), b)) < 1e-12
    x32, b32 = _x(G).astype(np.float32), np.ones(G.order, dtype=np.float32)
    y32 = solve_group_matrix(G, x32, b32)
    assert y32.dtype == np.float32
    assert _rel(y32, np.linalg.solve(gm.group_matrix(G, x32.astype(float)), b32.astype(float))) < 1e3 * eps(np.float32)


def test_solve_batches_broadcast():
    G = gm.dihedral(4)
    n = G.order
    rng = np.random.default_rng(3)
    X = np.stack([_x(G, s) for s in range(2)])[:, None, :]                  # (2, 1, n)
    b = rng.standard_normal((3, n))                                           # (3, n): vectors? no: x.ndim = 3
    with pytest.raises(ValueError, match="b must have shape"):
        solve_group_matrix(G, X, b)                                           # b.ndim 2 is neither 1 nor 3
    b3 = rng.standard_normal((1, 3, n))                                       # vectors: b.ndim == x.ndim
    y = solve_group_matrix(G, X, b3)
    assert y.shape == (2, 3, n)
    for i in range(2):
        for j in range(3):
            assert _rel(y[i, j], np.linalg.solve(gm.group_matrix(G, X[i, 0]), b3[0, j])) < 1e-12
    # x (n,), b (4, n, k): columns, batched
    Bk = rng.standard_normal((4, n, 2))
    Y = solve_group_matrix(G, X[0, 0], Bk)
    assert Y.shape == (4, n, 2)
    assert _rel(Y, np.linalg.solve(gm.group_matrix(G, X[0, 0]), Bk)) < 1e-12
    # x (2, n) with b (2, n, k)
    Y2 = solve_group_matrix(G, X[:, 0], rng.standard_normal((2, n, 2)))
    assert Y2.shape == (2, n, 2)


def _idempotent(G, k):
    """The central idempotent of the real irreducible ``k``: its real Fourier blocks are ``I`` at ``k``
    and ``0`` elsewhere, so ``M_e`` is the orthogonal projection onto the ``k``-isotypic component."""
    shapes = [B.shape for B in gm.fourier(G, np.zeros(G.order), field="real")]
    blocks = [np.eye(s[-1]) if j == k else np.zeros(s) for j, s in enumerate(shapes)]
    return gm.inverse_fourier(G, blocks, field="real")


def _ill(G, t, k=None, seed=0):
    """``x = r * (delta - e_k + t e_k)``: the blocks of irreducible ``k`` (default: the last real one) are
    those of a random well-conditioned ``r`` times ``t``, so ``cond(M_x) ~ cond(M_r) / t``."""
    k = len(gm.irreps(G, "real")) - 1 if k is None else k
    e = _idempotent(G, k)
    delta = np.zeros(G.order)
    delta[G.identity] = 1.0
    return gm.convolve(G, _x(G, seed), delta - e + t * e)


@pytest.mark.parametrize("G", [gm.cyclic(64), gm.dihedral(32), gm.direct_product(gm.dihedral(4), gm.cyclic(8)),
                               gm.symmetric(4)], ids=lambda G: G.name)
def test_solve_backward_stable_on_ill_conditioned(G):
    """cond(M_x) ~ 1e12: the residual stays at round-off, the forward error is cond * eps at most."""
    x = _ill(G, 1e-12)
    M = gm.group_matrix(G, x)
    cond = np.linalg.cond(M)
    assert 1e11 < cond < 1e14
    b = np.random.default_rng(4).standard_normal(G.order)
    y = solve_group_matrix(G, x, b)
    backward = np.linalg.norm(M @ y - b) / (np.linalg.norm(M, 2) * np.linalg.norm(y))
    assert backward < 16 * G.order * eps(np.float64)
    y_dense = np.linalg.solve(M, b)
    assert _rel(y, y_dense) < 1e3 * cond * eps(np.float64)


def test_solve_singular_raises_naming_the_block():
    G = gm.cyclic(8)
    with pytest.raises(np.linalg.LinAlgError, match=r"irreducible representation 1 \(degree 1\).*pinv_group_matrix"):
        solve_group_matrix(G, np.ones(8), np.arange(8.0))
    D = gm.dihedral(4)                                   # x = rotation-average: every non-trivial block is 0
    x = np.r_[np.ones(4), np.zeros(4)]
    with pytest.raises(np.linalg.LinAlgError, match="singular"):
        invert_group_matrix(D, x)
    # a batch: the message names the batch index of the singular function
    X = np.stack([_x(G), np.ones(8)])
    with pytest.raises(np.linalg.LinAlgError, match=r"batch index \(1,\)"):
        solve_group_matrix(G, X, np.ones((2, 8)))


def test_solve_ill_conditioned_warns_and_rcond_raises():
    G = gm.dihedral(6)                                   # real irreducibles: four of degree 1, then 4 and 5
    x = _ill(G, 1e-17, k=4)
    with pytest.warns(sl.LinAlgWarning, match="ill-conditioned"):
        solve_group_matrix(G, x, np.ones(12))
    with pytest.raises(np.linalg.LinAlgError, match="rcond"):
        solve_group_matrix(G, x, np.ones(12), rcond=1e-10)
    x_ok = _ill(G, 1e-8, k=4)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        solve_group_matrix(G, x_ok, np.ones(12))                             # cond 1e8: no warning
    with pytest.raises(np.linalg.LinAlgError, match="irreducible representation 4"):
        solve_group_matrix(G, x_ok, np.ones(12), rcond=1e-6)


def test_solve_positive_definite():
    for G in (gm.cyclic(10), gm.dihedral(5), gm.quaternion()):
        x = np.random.default_rng(5).standard_normal(G.order)
        # M_x^T M_x = M_{x^* * x}, x^*(g) = x(g^-1): Hermitian positive definite
        p = gm.convolve(G, x[G.inverses()], x)
        b = np.arange(G.order, dtype=float)
        y = solve_group_matrix(G, p, b, assume_a="pos")
        assert _rel(y, np.linalg.solve(gm.group_matrix(G, p), b)) < 1e-9
        with pytest.raises(np.linalg.LinAlgError, match="not positive definite"):
            solve_group_matrix(G, -p, b, assume_a="pos")


@pytest.mark.parametrize("G", [gm.cyclic(5), gm.dihedral(4), gm.quaternion(), gm.direct_product(gm.cyclic(2), gm.dihedral(3))],
                         ids=lambda G: G.name)
def test_solve_exact(G):
    n = G.order
    x = [sympy.Integer(v) for v in np.random.default_rng(n).integers(-3, 4, n)]
    x[0] += 9
    b = sympy.Matrix([sympy.Rational(i, 2) for i in range(n)])
    M = gm.group_matrix(G, x)
    y = solve_group_matrix(G, x, b)
    assert isinstance(y, sympy.MatrixBase) and y == M.LUsolve(b)
    B = sympy.Matrix(n, 2, lambda i, j: i - j)
    assert solve_group_matrix(G, x, B, "g_hinv") == gm.group_matrix(G, x, "g_hinv").LUsolve(B)


def test_solve_rejects_bad_input():
    G = gm.cyclic(4)
    with pytest.raises(ValueError, match="x must have length"):
        solve_group_matrix(G, np.ones(3), np.ones(4))
    with pytest.raises(ValueError, match="b must have length"):
        solve_group_matrix(G, np.ones(4), np.ones(5))
    with pytest.raises(ValueError, match=r"b must have shape \(\.\.\., 4\)"):
        solve_group_matrix(G, np.ones(4), np.ones((3, 2)))
    with pytest.raises(ValueError, match="convention"):
        solve_group_matrix(G, np.ones(4), np.ones(4), convention="hg")
    with pytest.raises(ValueError, match="assume_a"):
        solve_group_matrix(G, np.ones(4), np.ones(4), assume_a="sym")
    with pytest.raises(ValueError, match="rcond"):
        solve_group_matrix(G, np.ones(4), np.ones(4), rcond=-1)
    with pytest.raises(ValueError, match="do not broadcast"):
        solve_group_matrix(G, np.ones((2, 4)), np.ones((3, 4)))
    with pytest.raises(ValueError, match="exact solve"):
        solve_group_matrix(G, [sympy.Integer(1)] * 4, np.ones((2, 4, 1)))
    with pytest.raises(TypeError, match="b must"):
        solve_group_matrix(G, np.ones(4), np.array(["a"] * 4))
    with pytest.raises(ValueError, match="finite"):
        solve_group_matrix(G, np.ones(4), np.array([1, np.nan, 0, 0]))
    with pytest.raises(TypeError):
        solve_group_matrix("C4", np.ones(4), np.ones(4))


@settings(max_examples=15)
@given(G=groups(max_order=24), seed=st.integers(0, 2**16))
def test_solve_and_inverse_property(G, seed):
    x = _x(G, seed)
    M = gm.group_matrix(G, x)
    b = np.random.default_rng(seed).standard_normal(G.order)
    assert _rel(solve_group_matrix(G, x, b), np.linalg.solve(M, b)) < 1e-10
    z = invert_group_matrix(G, x)
    assert np.allclose(gm.group_matrix(G, z), np.linalg.inv(M), atol=1e-10)


# ------------------------------------------------------------------------------------ inverse
@pytest.mark.parametrize("G", GROUPS, ids=IDS)
@pytest.mark.parametrize("convention", CONVENTIONS)
def test_inverse_is_a_group_matrix(G, convention):
    x = _x(G, 7)
    if convention == "gh" and not G.is_abelian:
        with pytest.raises(ValueError, match="non-abelian"):
            invert_group_matrix(G, x, convention)
        # and indeed the inverse is not a Frobenius group matrix
        assert not gm.is_group_matrix(G, np.linalg.inv(gm.group_matrix(G, x, "gh")), "gh")
        return
    z = invert_group_matrix(G, x, convention)
    assert z.shape == (G.order,) and z.dtype == np.float64
    assert np.allclose(gm.group_matrix(G, z, convention) @ gm.group_matrix(G, x, convention), np.eye(G.order),
                       atol=1e-12)


def test_inverse_batched_and_convolution_identity():
    G = gm.direct_product(gm.dihedral(3), gm.cyclic(4))
    X = np.stack([_x(G, s) for s in range(3)])
    Z = invert_group_matrix(G, X)
    assert Z.shape == X.shape
    delta = np.zeros(G.order)
    delta[G.identity] = 1
    assert np.allclose(gm.convolve(G, X, Z), delta, atol=1e-12)             # x * z = e in the group algebra


@pytest.mark.parametrize("G", [gm.cyclic(5), gm.dihedral(4), gm.quaternion(), gm.group("C2xC4")], ids=lambda G: G.name)
def test_inverse_exact(G):
    n = G.order
    x = [sympy.Rational(int(v), 3) for v in np.random.default_rng(n + 1).integers(-3, 4, n)]
    x[0] += 5
    z = invert_group_matrix(G, x)
    assert z.dtype == object and all(v.is_Rational for v in z)
    assert gm.group_matrix(G, list(z)) == gm.group_matrix(G, x).inv()
    with pytest.raises(np.linalg.LinAlgError, match="exactly"):
        invert_group_matrix(G, [sympy.Integer(1)] * n)


def test_inverse_exact_symbols_and_algebraic():
    a, b = sympy.symbols("a b")
    z = invert_group_matrix(gm.cyclic(2), [a, b])
    assert [sympy.simplify(v - w) for v, w in zip(z, [a / (a**2 - b**2), -b / (a**2 - b**2)])] == [0, 0]
    G = gm.cyclic(3)
    x = [sympy.sqrt(2), sympy.Integer(1), sympy.Integer(0)]                  # outside the field of the irreducibles
    z = invert_group_matrix(G, x)
    residual = gm.group_matrix(G, list(z)) * gm.group_matrix(G, x) - sympy.eye(3)
    # decided by minimal polynomials (simplify's canonical forms differ between SymPy versions)
    from groupmat._exact import exact_is_zero

    assert all(exact_is_zero(v) for v in residual)


# ----------------------------------------------------------------------------------- pinv
@pytest.mark.parametrize("G", [gm.cyclic(12), gm.dihedral(6), gm.quaternion(), gm.symmetric(4),
                               gm.direct_product(gm.dihedral(3), gm.cyclic(2))], ids=lambda G: G.name)
def test_pinv_of_singular(G):
    rng = np.random.default_rng(8)
    # zero blocks for half of the irreducibles, random ones elsewhere: rank deficient
    x = _ill(G, 0.0, k=1) if len(gm.irreps(G, "real")) > 2 else _ill(G, 0.0)   # one isotypic component killed
    M = gm.group_matrix(G, x)
    w = pinv_group_matrix(G, x)
    assert np.allclose(gm.group_matrix(G, w), np.linalg.pinv(M, rcond=1e-10), atol=1e-10)
    # the least-squares solution of M y = b is M^+ b
    b = rng.standard_normal(G.order)
    assert np.allclose(gm.group_matrix(G, w) @ b, sl.lstsq(M, b, cond=1e-10)[0], atol=1e-9)


def test_pinv_invertible_equals_inverse_and_exact():
    G = gm.dihedral(5)
    x = _x(G)
    assert np.allclose(pinv_group_matrix(G, x), invert_group_matrix(G, x), atol=1e-13)
    for G in (gm.dihedral(3), gm.cyclic(4), gm.quaternion()):
        n = G.order
        for x in ([sympy.Integer(1)] * n, [sympy.Integer(1), -1] + [sympy.Integer(0)] * (n - 2),
                  [sympy.Integer(v) for v in range(n)]):
            w = pinv_group_matrix(G, x)
            assert gm.group_matrix(G, list(w)) == gm.group_matrix(G, x).pinv()


# ----------------------------------------------------------------------- det, eigvals, svdvals
@pytest.mark.parametrize("G", GROUPS, ids=IDS)
@pytest.mark.parametrize("convention", CONVENTIONS)
def test_det_slogdet_svdvals(G, convention):
    x = np.random.default_rng(9).standard_normal(G.order)
    M = gm.group_matrix(G, x, convention)
    s, l = np.linalg.slogdet(M)
    s2, l2 = group_matrix_slogdet(G, x, convention)
    assert s2 == s and np.isclose(l2, l, rtol=1e-10, atol=1e-10)
    assert np.isclose(group_matrix_det(G, x, convention), np.linalg.det(M), rtol=1e-9)
    assert np.allclose(group_matrix_svdvals(G, x, convention), sl.svdvals(M), atol=1e-10)


def test_slogdet_complex_batched_and_singular():
    G = gm.dihedral(4)
    X = np.random.default_rng(10).standard_normal((2, 3, 8)) + 1j * np.random.default_rng(11).standard_normal((2, 3, 8))
    s, l = group_matrix_slogdet(G, X)
    s0, l0 = np.linalg.slogdet(gm.group_matrix(G, X))
    assert s.shape == (2, 3) and np.allclose(s, s0) and np.allclose(l, l0)
    s1, l1 = group_matrix_slogdet(G, np.ones(8))
    assert s1 == 0 and l1 == -np.inf


@pytest.mark.parametrize("G", GROUPS, ids=IDS)
def test_eigvals_multiset(G):
    x = np.random.default_rng(12).standard_normal(G.order)
    for convention in ("ginv_h", "g_hinv"):
        ev = group_matrix_eigvals(G, x, convention)
        ref = np.linalg.eigvals(gm.group_matrix(G, x, convention))
        # the same multiset: match greedily within round-off
        remaining = list(ref)
        for v in ev:
            j = int(np.argmin(np.abs(np.array(remaining) - v)))
            assert abs(remaining[j] - v) < 1e-8 * max(1, abs(v))
            remaining.pop(j)
    with pytest.raises(ValueError, match="convention"):
        group_matrix_eigvals(G, x, "gh")


def test_eigvals_abelian_is_the_fft():
    x = np.random.default_rng(13).standard_normal((2, 12))
    assert np.allclose(group_matrix_eigvals(gm.cyclic(12), x), np.fft.fft(x))
    assert routing.transform_kind(gm.group("C3xC4")) == "abelian"
    y = x[0]
    assert np.allclose(group_matrix_eigvals(gm.group("C3xC4"), y), np.fft.fftn(y.reshape(3, 4)).ravel())


@pytest.mark.parametrize("G", [gm.cyclic(5), gm.dihedral(4), gm.quaternion(), gm.symmetric(3)], ids=lambda G: G.name)
def test_det_and_eigvals_exact(G):
    n = G.order
    x = [sympy.Integer(v) for v in np.random.default_rng(n + 2).integers(-2, 3, n)]
    M = gm.group_matrix(G, x)
    assert group_matrix_det(G, x) == M.det()
    assert group_matrix_det(G, x, "gh") == gm.group_matrix(G, x, "gh").det()
    ev = group_matrix_eigvals(G, x)
    num = np.array([complex(sympy.N(v)) for v in ev])
    ref = np.linalg.eigvals(np.array(M.tolist(), dtype=float))
    assert np.allclose(np.sort(np.round(num, 8)), np.sort(np.round(ref, 8)))


def test_det_symbolic_is_frobenius_group_determinant():
    G = gm.dihedral(3)
    syms = gm.matrices.group_symbols(G)
    d = group_matrix_det(G, syms)
    # Frobenius's group determinant by its own (numeric, rounded) route
    assert sympy.expand(d - gm.group_determinant(G, factor=False)) == 0
    assert group_matrix_det(gm.cyclic(3), syms[:3]) == sympy.expand(gm.group_matrix(gm.cyclic(3), syms[:3]).det())


def test_other_functions_reject_bad_input():
    G = gm.cyclic(4)
    for f in (invert_group_matrix, pinv_group_matrix, group_matrix_det, group_matrix_slogdet, group_matrix_eigvals,
              group_matrix_svdvals):
        with pytest.raises(ValueError, match="x must have length"):
            f(G, np.ones(5))
        with pytest.raises(ValueError, match="convention"):
            f(G, np.ones(4), convention="xx")
    with pytest.raises(TypeError, match="numeric x"):
        group_matrix_slogdet(G, [sympy.Integer(1)] * 4)
    with pytest.raises(TypeError, match="numeric x"):
        group_matrix_svdvals(G, [sympy.Integer(1)] * 4)
    with pytest.raises(ValueError, match="rcond"):
        pinv_group_matrix(G, np.ones(4), rcond=-0.5)
