"""Verify rows: the generalized Schur algorithm (GKO) for displacement-structured systems.

The statements concern ``n x n`` matrices with ``n = 3 |G|`` (at most :data:`NUMERIC_MAX`) (the group is used for its
order only, as in the classical rows of :mod:`groupmat.verify.theorems_displacement`). Each structured
solve is checked against an independent computation: the dense matrix built entry by entry from its
definition here (not by the library's builders), ``numpy.linalg.solve`` on it, and for the exact side
SymPy's own ``LUsolve`` and the entries of ``P C`` and ``L U`` over the rationals.
"""
from __future__ import annotations

import numpy as np

from ..tolerances import eps, roundoff
from .core import register, require_memory

TOPIC = "schur"
#: Largest size of the exact (rational) Cauchy-like factorization checked against SymPy.
EXACT_MAX = 7
#: Largest size of the numeric checks (dense ``numpy.linalg.solve`` and ``cond`` alongside).
NUMERIC_MAX = 96


def _sizes_zoo():
    from ..groups import cyclic

    return [cyclic(n) for n in (1, 3, 5, 12, 40)]


def _rng(G, salt: int = 0) -> np.random.Generator:
    return np.random.default_rng(G.order * 7919 + salt)


def _toeplitz_dense(c, r) -> np.ndarray:
    """``T[i, j] = c[i - j]`` (``i >= j``), ``r[j - i]`` (``j > i``), from the definition."""
    n = len(c)
    i, j = np.indices((n, n))
    return np.where(i >= j, np.asarray(c)[np.abs(i - j)], np.asarray(r)[np.abs(j - i)])


def _hankel_dense(h_c, h_r) -> np.ndarray:
    """``H[i, j] = h[i + j]`` with ``h = (h_c, h_r[1:])``."""
    n = len(h_c)
    h = np.concatenate([h_c, h_r[1:]])
    i, j = np.indices((n, n))
    return h[i + j]


def _agree(x, M, b, what: str) -> None:
    """``x`` solves ``M x = b`` as well as the dense solver: backward error at round-off, and the
    forward difference to ``numpy.linalg.solve`` within ``cond(M)`` times round-off."""
    xd = np.linalg.solve(M, b)
    n = M.shape[0]
    bwd = np.linalg.norm(b - M @ x) / (np.linalg.norm(M) * np.linalg.norm(x) + np.linalg.norm(b))
    assert bwd <= roundoff(np.float64, terms=n) / 8, f"{what}: backward error {bwd:.3g} is not round-off"
    diff = np.linalg.norm(x - xd) / max(np.linalg.norm(xd), np.finfo(float).tiny)
    bound = roundoff(np.float64, scale=np.linalg.cond(M, 1), terms=n)      # 1-norm condition: no SVD
    assert diff <= bound, f"{what}: the GKO solution differs from numpy.linalg.solve by {diff:.3g} > {bound:.3g}"


@register("GKO solution equals the dense one: Toeplitz with zero diagonal (Levinson fails), Toeplitz-plus-Hankel, "
          "Hankel-like, Cauchy-like, Vandermonde (numpy.linalg.solve on the matrix from its definition)",
          zoo=_sizes_zoo, topic=TOPIC)
def gko_equals_dense(G) -> str:
    from .. import ldr

    n = min(3 * G.order, NUMERIC_MAX)
    require_memory((8, n, n), 16, f"the dense {n} x {n} matrices of this check")
    rng = _rng(G)
    b = rng.normal(size=(n, 2))
    c, r = rng.normal(size=(2, n))
    c[0] = r[0] = 0.0                             # zero diagonal: every odd leading minor may vanish
    if n > 1:
        T = _toeplitz_dense(c, r)
        _agree(ldr.toeplitz_lu(c, r).solve(b), T, b, "Toeplitz with zero diagonal")
    hc, hr = rng.normal(size=(2, n))
    hr[0] = hc[-1]
    M = _toeplitz_dense(c, r) + _hankel_dense(hc, hr)
    _agree(ldr.toeplitz_plus_hankel_lu(c, r, hc, hr).solve(b), M, b, "Toeplitz-plus-Hankel")
    # Hankel-like through the canonical operators (Z_1, Z_-1^T) and its own generators
    A, B = ldr.canonical_operators("hankel", n)
    Hk = _hankel_dense(hc, hr)
    _agree(ldr.structured_lu(A, B, *ldr.displacement_generators(Hk, A, B)).solve(b), Hk, b, "Hankel-like")
    # Cauchy-like of rank 3: C[i, j] = G[i] . H[j] / (s_i - t_j)
    s = np.arange(n) + rng.uniform(0.1, 0.4, n)             # interlaced nodes: a well-conditioned C
    t = np.arange(n) + rng.uniform(0.6, 0.9, n)
    Gg, Hg = rng.normal(size=(2, n, 3))
    C = (Gg @ Hg.T) / (s[:, None] - t[None, :])
    _agree(ldr.cauchy_like_lu(s, t, Gg, Hg).solve(b), C, b, "Cauchy-like")
    # Vandermonde on roots of unity of a rotated circle (well conditioned)
    x = np.exp(2j * np.pi * (np.arange(n) + 0.3) / n)
    V = x[:, None] ** np.arange(n)[None, :]
    _agree(ldr.vandermonde_lu(x).solve(b), V, b, "Vandermonde")
    return "numeric"


@register("GKO factors a Cauchy-like matrix as P C = L U with |L| <= 1 (sqrt(2) for complex data): exactly over Q "
          "(against SymPy's LUsolve) and numerically (against the dense product)", zoo=_sizes_zoo, topic=TOPIC)
def gko_factors(G) -> str:
    import sympy

    from .. import ldr

    side = "numeric"
    m = min(G.order + 1, EXACT_MAX)
    rng = _rng(G, 1)
    s = [sympy.Rational(int(v), 3) for v in rng.permutation(3 * m)[:m]]
    t = [sympy.Rational(-1 - int(v), 2) for v in rng.permutation(3 * m)[:m]]
    Gq = sympy.Matrix(m, 3, [int(v) for v in rng.integers(-3, 4, size=3 * m)])
    Hq = sympy.Matrix(m, 3, [int(v) for v in rng.integers(-3, 4, size=3 * m)])
    C = sympy.Matrix(m, m, lambda i, j: (Gq[i, :] * Hq[j, :].T)[0, 0] / (s[i] - t[j]))
    if C.rank() == m:
        lu = ldr.cauchy_like_lu(s, t, Gq, Hq)
        L, U = sympy.Matrix(lu.L.tolist()), sympy.Matrix(lu.U.tolist())
        PC = sympy.Matrix([list(C.row(int(p))) for p in lu.perm])
        assert L * U == PC, "exact P C != L U"
        assert all(abs(v) <= 1 for v in L), "exact |L| > 1 after partial pivoting"
        bq = sympy.Matrix([int(v) for v in rng.integers(-5, 6, size=m)])
        assert sympy.Matrix(lu.solve(bq).tolist()) == C.LUsolve(bq), "exact solve != SymPy LUsolve"
        side = "both"
    n = min(3 * G.order, NUMERIC_MAX)
    require_memory((6, n, n), 16, f"the dense {n} x {n} matrices of this check")
    sn = np.exp(2j * np.pi * (np.arange(n) + rng.uniform(0.1, 0.4, n)) / n)      # interlaced on the circle
    tn = np.exp(2j * np.pi * (np.arange(n) + rng.uniform(0.6, 0.9, n)) / n)
    Gn, Hn = rng.normal(size=(2, n, 2)) + 1j * rng.normal(size=(2, n, 2))
    Cn = (Gn @ Hn.T) / (sn[:, None] - tn[None, :])
    lu = ldr.cauchy_like_lu(sn, tn, Gn, Hn)
    PC = Cn[lu.perm]
    err = np.abs(lu.L @ lu.U - PC).max()
    bound = roundoff(np.float64, scale=float(np.abs(Cn).max()) * max(1.0, lu.growth), terms=n)
    assert err <= bound, f"numeric |P C - L U| = {err:.3g} > {bound:.3g}"
    # complex data: the pivot maximises max(|Re|, |Im|), so |L| <= sqrt(2) (|L| <= 1 for real data)
    assert np.abs(lu.L).max() <= np.sqrt(2) * (1 + 4 * eps(np.float64)), \
        "numeric |L| > sqrt(2): the pivot is not the largest entry"
    return side
