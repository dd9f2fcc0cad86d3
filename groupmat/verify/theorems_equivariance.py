"""Verify rows: the equivariant projection, its defect and the equivariant bases.

Each row states one fact about ``P(W) = 1/|G| sum_g rho_out(g) W rho_in(g)^-1`` and checks it on a
regular representation (kept as permutations), a sum with a trivial summand, and a dense orthogonal
representation (the regular one in a random orthonormal basis), numerically on every group of the
zoo and exactly (SymPy) on groups of order at most 8. Complex representations (irreducibles of
complex type and their sums) have their own row: ``dim Hom_G`` needs the conjugate character.

Library results are compared with references computed here from the representation matrices
(:func:`reynolds_reference`, :func:`commutant_dimension_reference`). The dense representations of
these rows hold ``n^3`` numbers: groups above :data:`DENSE_REPS_MAX` are skipped with the reason.
"""
from __future__ import annotations

import numpy as np

from ..tolerances import rank_tol, roundoff, unitarity_tol
from .core import NotApplicable, register, require_memory, require_order

_EXACT_MAX_ORDER = 8
#: Largest order for the rows' dense representations (``n`` matrices of ``n x n``: ``n^3`` numbers).
DENSE_REPS_MAX = 256


def _reps(G):
    """``(L, L + 1, Lq)``: left regular, regular plus trivial, and a dense orthogonal copy of L.

    Built once per group (every row uses them, kept in the group's memo), so the irreducible
    decompositions and other per-representation caches are shared between the rows.
    """
    require_order(G, DENSE_REPS_MAX, "the dense representations of the equivariance checks")
    require_memory((3, G.order, G.order, G.order), 8, f"the dense representations of {G.name}")
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


def _dense(rep) -> np.ndarray:
    """The ``(n, d, d)`` numeric matrices of ``rep`` (permutation representations made dense)."""
    return np.asarray(rep.numeric().matrices)


def reynolds_reference(W, rep_in, rep_out) -> np.ndarray:
    """``1/|G| sum_g rho_out(g) W rho_in(g)^-1`` by its definition, from the dense matrices of the
    representations (the inverse taken by ``numpy.linalg.inv``): a reference for
    :func:`groupmat.project`.

    Examples
    --------
    >>> import numpy as np, groupmat as gm
    >>> from groupmat.verify.theorems_equivariance import reynolds_reference
    >>> L = gm.regular_representation(gm.cyclic(3))
    >>> reynolds_reference(np.eye(3)[[1, 2, 0]], L, L).tolist() == np.eye(3)[[1, 2, 0]].tolist()
    True
    """
    Mo, Mi = _dense(rep_out), _dense(rep_in)
    W = np.asarray(W)
    terms = np.matmul(np.matmul(Mo, W[..., None, :, :]), np.linalg.inv(Mi))     # (..., g, d_out, d_in)
    return terms.sum(axis=-3) / Mo.shape[0]


def commutant_dimension_reference(rep_in, rep_out) -> int:
    """``dim {W : rho_out(s) W = W rho_in(s) for every generator s}`` as the null space of the stacked
    maps ``W -> rho_out(s) W - W rho_in(s)`` (an SVD of ``(|S| d_out d_in) x (d_out d_in)``), which is
    ``dim Hom_G(rep_in, rep_out)`` computed without characters.

    Examples
    --------
    >>> import groupmat as gm
    >>> from groupmat.verify.theorems_equivariance import commutant_dimension_reference
    >>> rho = gm.irreps(gm.cyclic(3))[1]
    >>> commutant_dimension_reference(rho, rho), commutant_dimension_reference(rho, rho.dual())
    (1, 0)
    """
    G = rep_in.group
    di, do = rep_in.dim, rep_out.dim
    gens = G.generators or (G.identity,)
    blocks = [np.kron(np.asarray(rep_out(s)), np.eye(di)) - np.kron(np.eye(do), np.asarray(rep_in(s)).T)
              for s in gens]
    K = np.concatenate(blocks).astype(complex)
    if K.shape[1] == 0:
        return 0
    sv = np.linalg.svd(K, compute_uv=False)
    return int(K.shape[1] - np.count_nonzero(sv > rank_tol(sv, K.shape, K.dtype)))


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


@register("equivariance: P is the orthogonal projection onto Hom_G (the Reynolds average; neither 0 nor the "
          "identity), and with its defects d(MN) <= ||M|| d(N) + d(M) ||N|| <= max(||M||, ||N||) (d(M) + d(N))",
          zoo="default", topic="equivariance")
def composition_defect_bound(G) -> str:
    # project and composition_bound are compared with the Reynolds average computed here from the
    # representation matrices, so a projector that is the identity or zero (every bound then holds
    # trivially) is caught; and the reference is checked to be a projection onto Hom_G
    from ..equivariance import composition_bound, project

    L, LT, Lq = _reps(G)
    rng = _rng(G)
    n = G.order
    # the reference: equivariant, idempotent, and neither 0 nor the identity on End(L) (dim n of n^2)
    W = rng.normal(size=(L.dim, L.dim))
    PW = reynolds_reference(W, L, L)
    for s in G.generators:
        dev = _max_dev(_dense(L)[s] @ PW, PW @ _dense(L)[s])
        assert dev <= _tol(W, L, n), f"the Reynolds average is not equivariant (by {dev:.3g})"
    assert _max_dev(reynolds_reference(PW, L, L), PW) <= _tol(W, L, n), "the Reynolds average is not idempotent"
    assert np.linalg.norm(PW) > 0.1 * np.linalg.norm(W) / np.sqrt(n), "P(W) = 0 for a random W"
    if n > 1:
        assert np.linalg.norm(W - PW) > 0.1 * np.linalg.norm(W), "P(W) = W for a random W"
    for ra, rb, rc in ((L, L, L), (LT, Lq, L), (L, LT, LT)):
        for eps in (1e-3, 1.0):  # nearly equivariant and generic factors
            N0, M0 = rng.normal(size=(rb.dim, ra.dim)), rng.normal(size=(rc.dim, rb.dim))
            PN, PM = project(N0, ra, rb), project(M0, rb, rc)
            for got, ref, what in ((PN, reynolds_reference(N0, ra, rb), f"{ra.name} -> {rb.name}"),
                                   (PM, reynolds_reference(M0, rb, rc), f"{rb.name} -> {rc.name}")):
                dev = _max_dev(got, ref)
                assert dev <= _tol(N0, ra, ra.dim), f"project differs from the Reynolds average ({what}, by {dev:.3g})"
            N = PN + eps * rng.normal(size=PN.shape)
            M = PM + eps * rng.normal(size=PM.shape)
            r = composition_bound(M, N, ra, rb, rc)
            dm = float(np.linalg.norm(M - reynolds_reference(M, rb, rc)))
            dn = float(np.linalg.norm(N - reynolds_reference(N, ra, rb)))
            dmn = float(np.linalg.norm(M @ N - reynolds_reference(M @ N, ra, rc)))
            nm, nn = float(np.linalg.norm(M, 2)), float(np.linalg.norm(N, 2))
            scale = max(nm, nn) ** 2
            tol = _tol(np.ones(1), ra, max(ra.dim, rc.dim) ** 2) * scale
            for name, got, ref in (("d(M)", r.defect_m, dm), ("d(N)", r.defect_n, dn), ("d(MN)", r.defect_product, dmn),
                                   ("||M||", r.norm_m, nm), ("||N||", r.norm_n, nn)):
                assert abs(got - ref) <= tol, \
                    f"composition_bound's {name} = {got:.6g}, the Reynolds average gives {ref:.6g}"
            bound = nm * dn + dm * nn
            assert dmn <= bound + tol and bound <= max(nm, nn) * (dm + dn) + tol, \
                f"d(MN) = {dmn:.6g} > ||M|| d(N) + d(M) ||N|| = {bound:.6g}"
            assert r.holds, "composition_bound says its bound does not hold"
    return "numeric"


def _complex_zoo():
    from ..groups import alternating, cyclic, semidirect_product

    return [cyclic(3), cyclic(7), alternating(4), semidirect_product(cyclic(7), cyclic(3), [lambda n: (2 * n) % 7])]


@register("equivariance, complex representations: dim Hom_G(V, W) = 1/|G| sum_g conj(chi_V(g)) chi_W(g) = Schur's "
          "count = the commutant's dimension; multiplicities likewise", zoo=_complex_zoo, topic="equivariance")
def complex_hom_dimension(G) -> str:
    # irreducibles of complex type rho and conj(rho) are different: dim Hom(rho, conj rho) = 0, which a
    # character inner product without the conjugate (sum chi(g) chi'(g)) gets wrong
    from ..equivariance import hom_dimension
    from ..reps import direct_sum, irreps, multiplicities

    require_order(G, DENSE_REPS_MAX, "the dense representations of the equivariance checks")
    irr = irreps(G)
    k = len(irr)
    if not any(rho.frobenius_schur == 0 for rho in irr):
        raise NotApplicable(f"{G.name} has no irreducible representation of complex type")
    for i, a in enumerate(irr):
        for j, b in enumerate(irr):
            d = hom_dimension(a, b)
            assert d == int(i == j), f"dim Hom_G({a.name}, {b.name}) = {d}, Schur's lemma says {int(i == j)}"
    # sums with chosen multiplicities: dim Hom(sum m_i rho_i, sum w_i rho_i) = sum m_i w_i
    rng = np.random.default_rng(7 + G.order)
    for _ in range(3):
        m, w = rng.integers(0, 3, size=(2, k))
        m[rng.integers(k)] += 1
        w[rng.integers(k)] += 1
        V = direct_sum(*[irr[i] for i in range(k) for _ in range(m[i])])
        W = direct_sum(*[irr[i] for i in range(k) for _ in range(w[i])])
        expected = int(m @ w)
        for name, rep, mult in (("V", V, m), ("W", W, w)):
            got = np.asarray(multiplicities(rep)).tolist()
            assert got == mult.tolist(), f"multiplicities({name}) = {got}, it was built with {mult.tolist()}"
        d = hom_dimension(V, W)
        assert d == expected, f"dim Hom_G(V, W) = {d}, Schur's lemma gives sum m_i w_i = {expected}"
        c = commutant_dimension_reference(V, W)
        assert c == expected, f"the commutant of V, W has dimension {c}, Schur's lemma gives {expected}"
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
