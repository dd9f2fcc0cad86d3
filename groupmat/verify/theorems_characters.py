"""Verify rows: characters, irreducible representations, the Fourier transform, the group determinant."""
from __future__ import annotations

import numpy as np

from ..tolerances import imaginary_tol, integrality_tol, roundoff, unitarity_tol
from .core import register

_TOPIC = "characters"


def _max_dev(a, b) -> float:
    return float(np.max(np.abs(np.asarray(a) - np.asarray(b)))) if np.size(a) else 0.0


@register("character orthogonality: rows and columns; number of irreps = number of classes",
          zoo="default", topic=_TOPIC)
def character_orthogonality(G) -> str:
    from ..reps import character_table

    T = character_table(G)
    n = G.order
    V = T.values
    # the character table scaled by sqrt(|C| / |G|) is unitary: judged as unitarity is
    tol = unitarity_tol(V.dtype)
    rows = (V * T.class_sizes) @ V.conj().T / n
    dev = _max_dev(rows, np.eye(len(T)))
    assert dev <= tol, f"row orthogonality fails (by {dev:.3g})"
    cols = V.conj().T @ V * T.class_sizes / n
    dev = _max_dev(cols, np.eye(len(T)))
    assert dev <= tol, f"column orthogonality fails (by {dev:.3g})"
    assert len(T) == len(G.conjugacy_classes()), "number of irreducibles != number of classes"
    assert int((T.degrees ** 2).sum()) == n, "sum of squared degrees != |G|"
    return "numeric"


@register("irreducible representations: homomorphisms, unitary, <chi, chi> = 1, sum d^2 = |G|",
          zoo="default", topic=_TOPIC)
def irreps_are_irreducible(G) -> str:
    from ..reps import irreps

    n = G.order
    total = 0
    for rho in irreps(G):
        rho.check_homomorphism()
        assert rho.is_unitary(), f"{rho.name} is not unitary"
        chi = np.trace(rho.matrices, axis1=1, axis2=2)
        norm = np.vdot(chi, chi).real / n                     # <chi, chi>: a count, 1 for an irreducible
        assert abs(norm - 1) <= integrality_tol(chi.dtype), f"{rho.name} is not irreducible (<chi, chi> = {norm:.6g})"
        total += rho.dim ** 2
    assert total == n, "sum of squared degrees != |G|"
    return "numeric"


@register("Frobenius: det M_x = prod_rho det(xhat(rho))^deg(rho)", zoo="default", topic=_TOPIC)
def frobenius_determinant_numeric(G) -> str:
    from ..matrices import group_matrix
    from ..reps import fourier

    x = np.random.default_rng(0).standard_normal(G.order) + 2.0 * (np.arange(G.order) == G.identity)
    M = group_matrix(G, x)
    sign, logdet = np.linalg.slogdet(M)
    X = fourier(G, x)
    s, l = 1.0 + 0j, 0.0
    for k in range(len(X)):
        sk, lk = np.linalg.slogdet(np.asarray(X[k], dtype=complex))
        d = X[k].shape[-1]
        s, l = s * sk ** d, l + d * lk
    # both sides are determinants computed by LU: relative accuracy n eps cond(M_x)
    tol = roundoff(M.dtype, scale=max(1.0, abs(logdet)), terms=G.order) * np.linalg.cond(M)
    assert abs(l - logdet) <= tol and abs(s - sign) <= tol, \
        f"det M_x != prod det(xhat)^deg (log |det| {logdet:.12g} vs {l:.12g}, sign {sign} vs {s:.6g})"
    return "numeric"


@register("Frobenius: the group determinant factors over Q (exact, at integer points)", zoo="small", topic=_TOPIC)
def frobenius_determinant_exact(G) -> str:
    import sympy

    from ..matrices import group_matrix, group_symbols
    from ..reps import character_table, group_determinant

    factors = group_determinant(G)
    syms = group_symbols(G)
    x = [int(v) for v in np.random.default_rng(1).integers(-3, 4, G.order)]
    det = sympy.Matrix(group_matrix(G, np.array(x))).det()
    sub = dict(zip(syms, x))
    assert sympy.Mul(*[f.subs(sub) ** m for f, m in factors]) == det, "product of factors != det M_x"
    # each factor is the product of Theta_rho over a Galois orbit of characters of one degree d, with
    # multiplicity d: deg(f) = d * (orbit length), and the orbits of degree d use up exactly the
    # irreducibles of degree d
    degrees = character_table(G).degrees
    used = {}
    for f, m in factors:
        deg = sympy.Poly(f, *syms).total_degree()
        assert m >= 1 and deg % m == 0, f"factor of degree {deg} has multiplicity {m}, not its irreducibles' degree"
        used[m] = used.get(m, 0) + deg // m
    expected = {int(d): int(np.count_nonzero(degrees == d)) for d in np.unique(degrees)}
    assert used == expected, f"multiplicities are not the degrees: factors cover {used}, irreducibles {expected}"
    return "exact"


@register("character orthogonality, exactly: sum_c |C_c| chi_i(c) conj(chi_j(c)) = |G| delta_ij",
          zoo="small", topic=_TOPIC)
def character_orthogonality_exact(G) -> str:
    import sympy

    from .._exact import exact_is_zero
    from ..reps import character_table
    from .core import NotApplicable

    T = character_table(G)
    ev = T.exact_values
    if ev is None:
        raise NotApplicable(f"the character table of {G.name} is known only numerically")
    r = len(T)
    n = G.order
    for i in range(r):
        for j in range(i, r):
            s = sum(int(T.class_sizes[c]) * ev[i, c] * sympy.conjugate(ev[j, c]) for c in range(r))
            target = n if i == j else 0
            assert exact_is_zero(sympy.expand(s - target)), f"<chi_{i}, chi_{j}> != {target}/|G| exactly"
    assert sum(int(d) ** 2 for d in T.degrees) == n, "sum of squared degrees != |G|"
    return "exact"


@register("real irreducibles: commutant dimension <chi, chi> = e(FS indicator), sum d^2 / e = |G|",
          zoo="default", topic=_TOPIC)
def real_irreps_commutant(G) -> str:
    from ..reps import irreps
    from ..reps.irreducibles import commutant_dimension

    n = G.order
    total = 0.0
    for sigma in irreps(G, "real"):
        mats = sigma.numeric().matrices
        assert not np.iscomplexobj(mats) or np.abs(mats.imag).max() <= imaginary_tol(mats.dtype), \
            f"{sigma.name} is not real"
        mats = mats.real
        dev = _max_dev(np.einsum("gji,gjk->gik", mats, mats), np.eye(sigma.dim))
        assert dev <= unitarity_tol(mats.dtype), f"{sigma.name} not orthogonal (by {dev:.3g})"
        chi = np.trace(mats, axis1=1, axis2=2)
        e = chi @ chi / n                          # dim of the real commutant = <chi, chi> for a real rep
        assert abs(e - commutant_dimension(sigma.frobenius_schur)) <= integrality_tol(chi.dtype), \
            f"{sigma.name}: commutant dimension {e:.6g} does not match its Frobenius-Schur indicator " \
            f"{sigma.frobenius_schur}"
        total += sigma.dim ** 2 / e
    assert abs(total / n - 1) <= integrality_tol(np.float64), f"sum d^2 / e = {total:.6g} != |G| = {n}"
    return "numeric"


@register("Plancherel: sum |x|^2 = 1/|G| sum d ||xhat||_F^2; inverse_fourier(fourier(x)) = x",
          zoo="default", topic=_TOPIC)
def plancherel(G) -> str:
    from ..reps import fourier, inverse_fourier, plancherel_norm

    x = np.random.default_rng(2).standard_normal((2, G.order))
    energy = (x ** 2).sum(axis=-1)
    for field in ("complex", "real"):
        X = fourier(G, x, field)
        dev = _max_dev(plancherel_norm(X), energy)
        assert dev <= roundoff(x.dtype, scale=energy.max(), terms=G.order), f"Plancherel fails ({field}, by {dev:.3g})"
        dev = _max_dev(inverse_fourier(G, X), x)
        assert dev <= roundoff(x.dtype, scale=np.abs(x).max(), terms=G.order), \
            f"inverse transform fails ({field}, by {dev:.3g})"
    return "numeric"


@register("block diagonalisation: Q^T M_x Q = blockdiag(xhat(rho) repeated), Q orthogonal",
          zoo="default", topic=_TOPIC)
def block_diagonalisation(G) -> str:
    import scipy.linalg as sl

    from ..matrices import group_matrix
    from ..reps import block_diagonalize

    M = group_matrix(G, np.random.default_rng(3).standard_normal(G.order))
    Q, blocks = block_diagonalize(G, M)
    dev = _max_dev(Q.T @ Q, np.eye(G.order))
    assert dev <= unitarity_tol(Q.dtype), f"Q is not orthogonal (by {dev:.3g})"
    dev = _max_dev(Q.T @ M @ Q, sl.block_diag(*blocks))
    assert dev <= roundoff(M.dtype, scale=np.abs(M).sum(axis=1).max(), terms=G.order), \
        f"Q^T M Q is not the block diagonal (by {dev:.3g})"
    return "numeric"


@register("fast convolution = dense group-matrix product", zoo="default", topic=_TOPIC)
def fast_convolution(G) -> str:
    # x * y three ways: convolve (by its route), the product of the Fourier transforms (by the transform's
    # kind, FFT-based on abelian, dihedral and product groups at any order) and the dense O(n^2) sum
    from ..matrices import dense_convolve
    from ..reps import convolve, fourier, inverse_fourier
    from ..routing import convolve_route, transform_kind

    x, y = np.random.default_rng(4).standard_normal((2, G.order))
    dense = dense_convolve(G, x, y)
    tol = roundoff(dense.dtype, scale=float(np.abs(x).sum() * np.abs(y).max()), terms=G.order)
    dev = _max_dev(convolve(G, x, y), dense)
    assert dev <= tol, f"the {convolve_route(G)!r} route of convolve differs from the dense product by {dev:.3g}"
    dev = _max_dev(inverse_fourier(G, fourier(G, x) @ fourier(G, y)), dense)
    assert dev <= tol, f"the {transform_kind(G)!r} transform of x * y differs from the dense product by {dev:.3g}"
    return "numeric"
