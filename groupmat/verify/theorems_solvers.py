"""Verify rows: linear algebra of group matrices through the Fourier blocks.

- the inverse of an invertible group matrix is a group matrix, ``M_x^-1 = M_z`` with ``z`` from
  :func:`groupmat.reps.invert_group_matrix` (every convention; exactly with SymPy on small groups,
  numerically on groups that take each route of the transform: the abelian FFT, the dihedral FFTs,
  products and the dense transform);
- Frobenius's theorem ``det M_x = prod_rho det(xhat(rho))^{d_rho}``, exactly, and
  :func:`groupmat.reps.group_matrix_slogdet` against ``numpy.linalg.slogdet``;
- :func:`groupmat.reps.solve_group_matrix` equals the dense solve, with a residual at round-off.

The references are computed here from the dense ``n x n`` group matrix (NumPy, or SymPy's exact
linear algebra), never from the Fourier blocks.
"""
from __future__ import annotations

import numpy as np

from .._exact import exact_is_zero
from ..tolerances import eps
from .core import DENSE_CHECK_MAX, register, require_order

#: Largest order for the exact rows (SymPy's dense inverse and determinant of ``M_x``).
EXACT_MAX_ORDER = 12

_CONVENTIONS = ("ginv_h", "g_hinv", "gh")


def solver_zoo() -> list:
    """Groups on every route of the transform: abelian (declared, and from a table), dihedral, direct
    products (with a dense factor), dense, and larger FFT-route groups for the numeric side."""
    from ..groups import cyclic, dihedral, direct_product, from_cayley_table, quaternion, symmetric

    return [cyclic(5), cyclic(64), from_cayley_table(direct_product(cyclic(4), cyclic(6)).cayley_table()),
            dihedral(3), dihedral(4), dihedral(64), direct_product(dihedral(3), cyclic(4)),
            direct_product(symmetric(3), cyclic(2)), quaternion(), symmetric(4)]


def _rng(G):
    return np.random.default_rng(G.order)


def _well_conditioned(G, rng) -> np.ndarray:
    """A function with a dominant identity value: ``||M_x - x(e) I||_2 <= sum |x(g)|, g != e < x(e)/2``."""
    x = rng.standard_normal(G.order)
    x[G.identity] = 2.0 * np.abs(x).sum() + 1.0
    return x


def _exact_x(G, rng) -> list:
    import sympy

    x = [sympy.Rational(int(v), 2) for v in rng.integers(-4, 5, size=G.order)]
    x[G.identity] += 3 * G.order
    return x


def _has_exact_irreps(G) -> bool:
    from ..reps import irreps

    try:
        irreps(G, exact=True)
    except ValueError:
        return False
    return True


@register("solvers: the inverse of a group matrix is a group matrix, M_x^-1 = M_z with zhat = xhat^-1",
          zoo=solver_zoo, topic="solvers")
def inverse_is_group_matrix(G) -> str:
    from ..matrices import group_matrix
    from ..reps import invert_group_matrix

    require_order(G, DENSE_CHECK_MAX, "the dense inverse")
    n = G.order
    rng = _rng(G)
    x = _well_conditioned(G, rng)
    for convention in _CONVENTIONS:
        if convention == "gh" and not G.is_abelian:
            continue                                   # the inverse of x(g h) is w(h g): not of that form
        M = group_matrix(G, x, convention)
        z = invert_group_matrix(G, x, convention)
        Minv = np.linalg.inv(M)
        # cond(M_x) <= 3: both sides are accurate to a small multiple of n eps ||M_x^-1||
        dev = float(np.max(np.abs(group_matrix(G, z, convention) - Minv)))
        tol = 64 * n * eps(np.float64) * float(np.max(np.abs(Minv)))
        assert dev <= tol, f"M_z != M_x^-1 ({convention}) by {dev:.3g} (tol {tol:.3g})"
    if n > EXACT_MAX_ORDER or not _has_exact_irreps(G):
        return "numeric"
    xq = _exact_x(G, rng)
    for convention in _CONVENTIONS:
        if convention == "gh" and not G.is_abelian:
            continue
        zq = invert_group_matrix(G, xq, convention)
        assert group_matrix(G, list(zq), convention) == group_matrix(G, xq, convention).inv(), \
            f"M_z != M_x^-1 exactly ({convention})"
    return "both"


@register("solvers: Frobenius det M_x = prod_rho det(xhat(rho))^{d_rho}", zoo=solver_zoo, topic="solvers")
def frobenius_determinant(G) -> str:
    from ..matrices import group_matrix
    from ..reps import fourier, group_matrix_det, group_matrix_slogdet, irreps

    require_order(G, DENSE_CHECK_MAX, "the dense determinant")
    n = G.order
    rng = _rng(G)
    x = rng.standard_normal(n)
    for convention in _CONVENTIONS:
        s, logabs = np.linalg.slogdet(group_matrix(G, x, convention))
        s2, logabs2 = group_matrix_slogdet(G, x, convention)
        assert s2 == s, f"the sign of det M_x ({convention}) is {s2}, numpy.linalg.slogdet says {s}"
        tol = 64 * n * eps(np.float64) * max(1.0, abs(logabs))
        assert abs(logabs2 - logabs) <= tol, f"log|det M_x| = {logabs2} != {logabs} ({convention})"
    if n > EXACT_MAX_ORDER or not _has_exact_irreps(G):
        return "numeric"
    import sympy

    xq = _exact_x(G, rng)
    dense = group_matrix(G, xq).det(method="bareiss")
    assert group_matrix_det(G, xq) == dense, "det M_x from the blocks != the dense determinant (exactly)"
    # the theorem itself, from the exact transform and the exact irreducibles: prod det(xhat)^d
    blocks = fourier(G, xq, exact=True)
    product = sympy.Integer(1)
    for B, rho in zip(blocks, irreps(G, exact=True)):
        product *= B.det() ** rho.dim
    diff = sympy.expand(product - dense)
    assert exact_is_zero(diff), f"prod_rho det(xhat(rho))^d_rho - det M_x = {diff} (exactly)"
    return "both"


@register("solvers: solve_group_matrix equals the dense solve, residual at round-off", zoo=solver_zoo,
          topic="solvers")
def solve_equals_dense(G) -> str:
    from ..matrices import group_matrix
    from ..reps import solve_group_matrix

    require_order(G, DENSE_CHECK_MAX, "the dense solve")
    n = G.order
    rng = _rng(G)
    x = _well_conditioned(G, rng)
    B = rng.standard_normal((n, 3))
    for convention in _CONVENTIONS:
        M = group_matrix(G, x, convention)
        Y = solve_group_matrix(G, x, B, convention)
        Yd = np.linalg.solve(M, B)
        dev = float(np.max(np.abs(Y - Yd)))
        tol = 64 * n * eps(np.float64) * float(np.max(np.abs(Yd)))
        assert dev <= tol, f"solve_group_matrix != numpy.linalg.solve ({convention}) by {dev:.3g} (tol {tol:.3g})"
        res = np.linalg.norm(M @ Y - B) / (np.linalg.norm(M, 2) * np.linalg.norm(Y))
        assert res <= 16 * n * eps(np.float64), f"relative residual {res:.3g} above round-off ({convention})"
    if n > EXACT_MAX_ORDER or not _has_exact_irreps(G):
        return "numeric"
    import sympy

    xq = _exact_x(G, rng)
    bq = sympy.Matrix([sympy.Integer(int(v)) for v in rng.integers(-3, 4, size=n)])
    assert solve_group_matrix(G, xq, bq) == group_matrix(G, xq).LUsolve(bq), "exact solve != LUsolve"
    return "both"
