"""Verify rows: the equivariant projection, its defect and the equivariant bases.

Each row states one fact about ``P(W) = 1/|G| sum_g rho_out(g) W rho_in(g)^-1`` and checks it on a
regular representation (kept as permutations), a sum with a trivial summand, and a dense orthogonal
representation (the regular one in a random orthonormal basis), numerically on every group of the
zoo and exactly (SymPy) on groups of order at most 8.
"""
from __future__ import annotations

import numpy as np

from ..tolerances import roundoff, unitarity_tol
from .core import register

_EXACT_MAX_ORDER = 8


def _reps(G):
    """``(L, L + 1, Lq)``: left regular, regular plus trivial, and a dense orthogonal copy of L.

    Built once per group (every row uses them, kept in the group's memo), so the irreducible
    decompositions and other per-representation caches are shared between the rows.
    """
    return G.memo.get("verify.theorems_equivariance", "representations", lambda: _build_reps(G))


def _build_reps(G):
    from ..reps import Representation, regular_representation, trivial_representation

    L = regular_representation(G)
    n = G.order
    Q, _ = np.linalg.qr(np.random.default_rng(n).normal(size=(n, n)))
    # (L(g) Q)[a] = Q[p_g^-1(a)]: rho(g) e_i = e_{p_g(i)}, so Q^T L(g) Q = Q^T Q[p_g^-1]
    pinv = np.argsort(L.perms, axis=1)
    mats = np.matmul(Q.T[None], Q[pinv])
    Lq = Representation(G, mats, check=False, name="L in a random basis")
    return L, L + trivial_representation(G), Lq


def _gram(E):
    """``E_k . E_l`` (Frobenius) of a stack of maps, by one matrix product."""
    F = E.reshape(E.shape[0], -1)
    return F @ F.T


def _rng(G):
    return np.random.default_rng(1000 + G.order)


def _small_int_matrix(G, shape):
    import sympy

    vals = _rng(G).integers(-3, 4, size=shape)
    return sympy.Matrix(vals.tolist())


def _inner(A, B):
    return float(np.sum(A * B))


def _tol(W, rep, terms: int = 1) -> float:
    """Round-off of a projection of ``W`` (an average over the group of ``|G|`` terms), times ``terms``."""
    return roundoff(W.dtype, scale=np.abs(W).max(initial=0.0), terms=rep.group.order * max(1, terms))


def _max_dev(a, b) -> float:
    return float(np.max(np.abs(np.asarray(a) - np.asarray(b)))) if np.size(a) else 0.0


@register("equivariance: P is idempotent and self-adjoint", zoo="default", topic="equivariance")
def projection_idempotent_selfadjoint(G) -> str:
    from ..equivariance import project

    L, LT, Lq = _reps(G)
    rng = _rng(G)
    for ri, ro in ((L, L), (LT, L), (LT, LT), (Lq, L), (Lq, LT)):
        A = rng.normal(size=(ro.dim, ri.dim))
        B = rng.normal(size=(ro.dim, ri.dim))
        PA = project(A, ri, ro)
        dev = _max_dev(project(PA, ri, ro), PA)
        assert dev <= _tol(A, ri, ri.dim), f"P(P(W)) != P(W) for {ri.name} -> {ro.name} (by {dev:.3g})"
        lhs, rhs = _inner(PA, B), _inner(A, project(B, ri, ro))
        assert abs(lhs - rhs) <= _tol(A, ri, A.size) * np.abs(B).max(), f"<P(A), B> = {lhs} != <A, P(B)> = {rhs}"
    if G.order > _EXACT_MAX_ORDER:
        return "numeric"
    import sympy

    W = _small_int_matrix(G, (LT.dim, LT.dim))
    P = project(W, LT, LT)
    assert project(P, LT, LT) == P, "exact P(P(W)) != P(W)"
    Wf = np.array(W.tolist(), dtype=float)
    assert _max_dev(np.array(P.tolist(), dtype=float), project(Wf, LT, LT)) <= _tol(Wf, LT, LT.dim), \
        "exact and numeric projections differ"
    assert all(isinstance(v, sympy.Rational) for v in P), "exact projection of rationals is not rational"
    return "both"


@register("equivariance: W - P(W) is orthogonal to every equivariant map", zoo="default", topic="equivariance")
def residual_orthogonal(G) -> str:
    from ..equivariance import equivariant_basis, non_equivariant_part

    L, LT, Lq = _reps(G)
    rng = _rng(G)
    for ri, ro in ((L, LT), (LT, LT), (Lq, L)):
        E = equivariant_basis(ri, ro)
        W = rng.normal(size=(ro.dim, ri.dim))
        R = non_equivariant_part(W, ri, ro)
        worst = float(np.max(np.abs(E.reshape(E.shape[0], -1) @ R.reshape(-1)), initial=0.0))
        # E_k has unit norm: <R, E_k> sums W.size products of round-off size
        assert worst <= _tol(W, ri, W.size), f"<W - P(W), E_k> = {worst} for {ri.name} -> {ro.name}"
    return "numeric"


@register("equivariance: Pythagoras ||W - P(W)||^2 = ||W||^2 - ||P(W)||^2", zoo="default", topic="equivariance")
def defect_pythagoras(G) -> str:
    from ..equivariance import equivariance_defect, project

    L, LT, Lq = _reps(G)
    rng = _rng(G)
    for ri, ro in ((L, L), (LT, L), (Lq, LT)):
        W = rng.normal(size=(3, ro.dim, ri.dim))
        d2 = equivariance_defect(W, ri, ro, squared=True)
        energy = np.sum(W**2, axis=(1, 2))
        rhs = energy - np.sum(project(W, ri, ro) ** 2, axis=(1, 2))
        dev = _max_dev(d2, rhs)
        assert dev <= roundoff(W.dtype, scale=energy.max(), terms=G.order), \
            f"{d2} != {rhs} for {ri.name} -> {ro.name} (by {dev:.3g})"
    if G.order > _EXACT_MAX_ORDER:
        return "numeric"
    W = _small_int_matrix(G, (L.dim, LT.dim))
    d2 = equivariance_defect(W, LT, L, squared=True)
    P = project(W, LT, L)
    assert d2 == sum(v**2 for v in W) - sum(v**2 for v in P), "exact Pythagoras fails"
    return "both"


@register("equivariance: dim Hom_G from characters equals the basis size", zoo="default", topic="equivariance")
def hom_dimension_equals_basis(G) -> str:
    from ..equivariance import equivariant_basis, hom_dimension

    L, LT, Lq = _reps(G)
    for ri, ro in ((L, L), (LT, 2 * L), (Lq, LT), (Lq, Lq)):
        dim = hom_dimension(ri, ro)
        E = equivariant_basis(ri, ro)
        assert E.shape[0] == dim, f"{E.shape[0]} basis elements, characters say {dim} ({ri.name} -> {ro.name})"
        dev = _max_dev(_gram(E), np.eye(dim))
        assert dev <= unitarity_tol(E.dtype), f"the basis is not orthonormal (by {dev:.3g})"
    n = G.order
    assert hom_dimension(L, L) == n and hom_dimension(LT, LT) == n + 2 + 1, "dim End(L) != |G|"
    return "numeric"


@register("equivariance: P on the regular representation = group matrix of the diagonal means",
          zoo="default", topic="equivariance")
def regular_projection_is_diagonal_means(G) -> str:
    from ..equivariance import project
    from ..matrices import group_diagonals, group_matrix

    L, _, _ = _reps(G)
    W = _rng(G).normal(size=(L.dim, L.dim))
    expected = group_matrix(G, group_diagonals(G, W).mean(axis=1))
    for method in ("regular", "permutation", "reynolds"):
        dev = _max_dev(project(W, L, L, method=method), expected)
        assert dev <= _tol(W, L), f"method {method!r} differs (by {dev:.3g})"
    if G.order > _EXACT_MAX_ORDER:
        return "numeric"
    import sympy

    Ws = _small_int_matrix(G, (L.dim, L.dim))
    F = group_diagonals(G, np.array(Ws.tolist(), dtype=object))
    x = [sum(row) / sympy.Integer(G.order) for row in F]
    assert project(Ws, L, L, method="reynolds") == group_matrix(G, x), "exact projection != exact group matrix"
    return "both"


def _sign_zoo():
    from ..groups import sign_group

    return [sign_group(k) for k in (1, 2, 3, 4)]


def _diagonal_characters(G):
    """A representation ``g -> diag(chi_1(g), ..., chi_k(g))`` by distinct real linear characters.

    For the sign group ``C_2^k`` these are the coordinate signs read from the labels (its natural sign
    representation); for any other group (``groupmat verify --group ...``) the real 1-dimensional
    irreducibles.
    """
    from ..groups.products import SignGroup
    from ..reps import Representation

    if isinstance(G, SignGroup):
        signs = np.array([G.label(g) for g in range(G.order)], dtype=float)
    else:
        from ..reps import irreps

        signs = np.stack([r.numeric().matrices[:, 0, 0].real for r in irreps(G, field="real") if r.dim == 1], axis=1)
    k = signs.shape[1]
    return Representation(G, signs[:, :, None] * np.eye(k)[None], name="sign representation"), k


@register("equivariance: the sign group's equivariant maps are diagonal", zoo=_sign_zoo, topic="equivariance")
def sign_group_diagonal(G) -> str:
    from ..equivariance import equivariant_basis, project

    rho, k = _diagonal_characters(G)
    E = equivariant_basis(rho, rho)
    assert E.shape[0] == k, f"{E.shape[0]} equivariant maps, expected the {k} diagonal ones"
    off = ~np.eye(k, dtype=bool)
    assert np.abs(E[:, off]).max(initial=0.0) <= roundoff(E.dtype, terms=G.order), "an equivariant map is not diagonal"
    W = _rng(G).normal(size=(k, k))
    dev = _max_dev(project(W, rho, rho), np.diag(np.diag(W)))
    assert dev <= _tol(W, rho), f"P(W) is not the diagonal of W (by {dev:.3g})"
    import sympy

    Ws = _small_int_matrix(G, (k, k))
    assert project(Ws, rho, rho, method="reynolds") == sympy.diag(*[Ws[i, i] for i in range(k)]), \
        "exact P(W) is not diag(W)"
    return "both"


@register("equivariance: composition bound d(MN) <= max(||M||, ||N||) (d(M) + d(N))", zoo="default",
          topic="equivariance")
def composition_defect_bound(G) -> str:
    from ..equivariance import composition_bound, project

    L, LT, Lq = _reps(G)
    rng = _rng(G)
    for ra, rb, rc in ((L, L, L), (LT, Lq, L), (L, LT, LT)):
        for eps in (1e-3, 1.0):  # nearly equivariant and generic factors
            N = project(rng.normal(size=(rb.dim, ra.dim)), ra, rb) + eps * rng.normal(size=(rb.dim, ra.dim))
            M = project(rng.normal(size=(rc.dim, rb.dim)), rb, rc) + eps * rng.normal(size=(rc.dim, rb.dim))
            r = composition_bound(M, N, ra, rb, rc)
            assert r.holds and r.bound <= r.max_form * (1 + roundoff(M.dtype, terms=G.order)), \
                f"d(MN) = {r.defect_product} > bound {r.bound}"
    return "numeric"


@register("equivariance: spatial and spectral defects agree", zoo="small", topic="equivariance")
def spectral_defect_agrees(G) -> str:
    from ..equivariance import defect_spectrum, equivariance_defect, project

    L, LT, _ = _reps(G)
    W = _rng(G).normal(size=(2, L.dim, LT.dim))
    spec = defect_spectrum(W, LT, L)
    d2 = equivariance_defect(W, LT, L, squared=True)
    energy = np.sum(W**2, axis=(1, 2))
    tol = roundoff(W.dtype, scale=energy.max(), terms=G.order)
    dev = _max_dev(spec.total, d2)
    assert dev <= tol, f"spectral {spec.total} != spatial {d2} (by {dev:.3g})"
    assert np.all(spec.energy >= -tol), "a negative energy"
    dev = _max_dev(project(W, LT, L, method="spectral"), project(W, LT, L))
    assert dev <= _tol(W, L, L.dim), f"spectral P differs (by {dev:.3g})"
    return "numeric"
