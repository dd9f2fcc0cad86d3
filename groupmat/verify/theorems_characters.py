"""Verify rows: characters, irreducible representations, the Fourier transform, the group determinant."""
from __future__ import annotations

import numpy as np

from .registry import register

_TOPIC = "characters"


@register("character orthogonality: rows and columns; number of irreps = number of classes",
          zoo="default", topic=_TOPIC)
def character_orthogonality(G) -> str:
    from ..reps import character_table

    T = character_table(G)
    n = G.order
    V = T.values
    rows = (V * T.class_sizes) @ V.conj().T / n
    assert np.allclose(rows, np.eye(len(T)), atol=1e-9), "row orthogonality fails"
    cols = V.conj().T @ V
    assert np.allclose(cols, np.diag(n / T.class_sizes), atol=1e-8), "column orthogonality fails"
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
        assert rho.is_unitary(1e-9), f"{rho.name} is not unitary"
        chi = np.trace(rho.matrices, axis1=1, axis2=2)
        assert np.isclose(np.vdot(chi, chi).real, n), f"{rho.name} is not irreducible"
        total += rho.dim ** 2
    assert total == n, "sum of squared degrees != |G|"
    return "numeric"


@register("Frobenius: det M_x = prod_rho det(xhat(rho))^deg(rho)", zoo="default", topic=_TOPIC)
def frobenius_determinant_numeric(G) -> str:
    from ..matrices import group_matrix
    from ..reps import fourier

    x = np.random.default_rng(0).standard_normal(G.order) + 2.0 * (np.arange(G.order) == G.identity)
    sign, logdet = np.linalg.slogdet(group_matrix(G, x))
    X = fourier(G, x)
    s, l = 1.0 + 0j, 0.0
    for k in range(len(X)):
        sk, lk = np.linalg.slogdet(np.asarray(X[k], dtype=complex))
        d = X[k].shape[-1]
        s, l = s * sk ** d, l + d * lk
    assert np.isclose(l, logdet) and np.isclose(s, sign), "det M_x != prod det(xhat)^deg"
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
    from .registry import NotApplicable

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
        assert not np.iscomplexobj(mats) or np.allclose(mats.imag, 0), f"{sigma.name} is not real"
        assert np.allclose(np.einsum("gji,gjk->gik", mats, mats), np.eye(sigma.dim)), f"{sigma.name} not orthogonal"
        chi = np.trace(mats, axis1=1, axis2=2).real
        e = chi @ chi / n                          # dim of the real commutant = <chi, chi> for a real rep
        assert np.isclose(e, commutant_dimension(sigma.frobenius_schur)), \
            f"{sigma.name}: commutant dimension {e:.6g} does not match its Frobenius-Schur indicator " \
            f"{sigma.frobenius_schur}"
        total += sigma.dim ** 2 / e
    assert np.isclose(total, n), f"sum d^2 / e = {total:.6g} != |G| = {n}"
    return "numeric"


@register("Plancherel: sum |x|^2 = 1/|G| sum d ||xhat||_F^2; inverse_fourier(fourier(x)) = x",
          zoo="default", topic=_TOPIC)
def plancherel(G) -> str:
    from ..reps import fourier, inverse_fourier, plancherel_norm

    x = np.random.default_rng(2).standard_normal((2, G.order))
    for field in ("complex", "real"):
        X = fourier(G, x, field)
        assert np.allclose(plancherel_norm(X), (x ** 2).sum(axis=-1)), f"Plancherel fails ({field})"
        assert np.allclose(inverse_fourier(G, X), x), f"inverse transform fails ({field})"
    return "numeric"


@register("block diagonalisation: Q^T M_x Q = blockdiag(xhat(rho) repeated), Q orthogonal",
          zoo="default", topic=_TOPIC)
def block_diagonalisation(G) -> str:
    import scipy.linalg as sl

    from ..matrices import group_matrix
    from ..reps import block_diagonalize

    M = group_matrix(G, np.random.default_rng(3).standard_normal(G.order))
    Q, blocks = block_diagonalize(G, M)
    assert np.allclose(Q.T @ Q, np.eye(G.order)), "Q is not orthogonal"
    assert np.allclose(Q.T @ M @ Q, sl.block_diag(*blocks)), "Q^T M Q is not the block diagonal"
    return "numeric"


@register("fast convolution = dense group-matrix product", zoo="default", topic=_TOPIC)
def fast_convolution(G) -> str:
    from ..matrices import dense_convolve
    from ..reps.fourier_transform import _fast_convolve, _kind

    x, y = np.random.default_rng(4).standard_normal((2, G.order))
    kind = _kind(G)
    fast = _fast_convolve(G, kind, x, y) if kind != "dense" else dense_convolve(G, x, y)
    assert np.allclose(fast, dense_convolve(G, x, y)), f"the {kind} route differs from the dense product"
    return "numeric"
