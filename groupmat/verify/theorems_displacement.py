"""Verify rows: displacement structure (classical LDR families, group displacements, GM-LDR).

Each statement of DESIGN.md's "Which displacement says what" is checked once here, exactly (SymPy:
symbols or rationals, small sizes) and numerically (random, larger sizes); a check returns the side
that ran. The classical statements concern ``n x n`` matrices with ``n = |G|`` (they use the group only
for its order; the circulant row needs a cyclic group). The composition bound for approximately
equivariant maps belongs to the equivariance topic.

A statement about a library function is checked against an independent computation: operators and
displacements from their definitions (dense shift matrices built here), ranks by construction
(matrices whose displacement is a chosen rank-``r`` matrix) and by exact SymPy or NumPy ranks, GM-LDR
matrices and group diagonals entry by entry from the group law (:func:`gm_ldr_dense`,
:func:`group_diagonals_reference`). The GM-LDR rows run on groups large enough for the fast product
routes of :meth:`groupmat.GroupLDRMatrix.product_route` (``"fft"``, ``"convolve"``) and state which
route each group takes. Groups too large for a row's dense ``O(n^3)`` algebra are skipped with the reason.
"""
from __future__ import annotations

import numpy as np

from ..tolerances import roundoff
from .core import DENSE_CHECK_MAX, NotApplicable, register, require_memory, require_order

TOPIC = "displacement"
#: Largest size for symbolic (SymPy symbols) checks.
SYMBOLIC_MAX = 5
#: Largest group order for exact checks with symbolic group matrices.
EXACT_GROUP_MAX = 8
#: Largest group order for exact checks with rational SymPy matrices.
RATIONAL_MAX = 24
#: Largest order for comparing generator_displacement with the dense ``n^2 x n^2`` matrix of its map.
KERNEL_MAX = 12
#: Largest size of the numeric classical checks (n x n matrices with n = a multiple of |G|).
NUMERIC_MAX = 160
#: Largest order for the exact count of the generator displacement's kernel (orbits of ``n^2`` pairs).
KERNEL_COUNT_MAX = 1024
#: Largest order for the numeric coefficient displacement ranks of the GM-LDR row (``n x n`` SVDs);
#: larger groups of its zoo are there for the fast product routes.
LDR_RANK_MAX = 512


def _rng(G, salt: int = 0) -> np.random.Generator:
    return np.random.default_rng(G.order * 104729 + len(G.generators) * 31 + salt)


def _cyclic_zoo():
    from ..groups import cyclic

    return [cyclic(n) for n in (1, 2, 5, 8, 13)]


def _sizes_zoo():
    from ..groups import cyclic

    return [cyclic(n) for n in (3, 5, 12)]


def _ldr_zoo():
    """The default zoo and groups large enough for the fast GM-LDR product routes: ``"fft"``
    (abelian groups above ``LDR_DENSE_MAX_ORDER_ABELIAN``: a cyclic group and a product of cyclic
    groups) and ``"convolve"`` (a dihedral group above ``LDR_DENSE_MAX_ORDER``)."""
    from ..groups import cyclic, dihedral, direct_product
    from ..routing import LDR_DENSE_MAX_ORDER, LDR_DENSE_MAX_ORDER_ABELIAN
    from .core import default_zoo

    return default_zoo() + [cyclic(LDR_DENSE_MAX_ORDER_ABELIAN + 44),
                            direct_product(cyclic(16), cyclic(LDR_DENSE_MAX_ORDER_ABELIAN // 16 + 2)),
                            dihedral(LDR_DENSE_MAX_ORDER // 2 + 8)]


def _need_dense(G, count: int = 4) -> None:
    require_order(G, DENSE_CHECK_MAX, "the dense n x n check")
    require_memory((count, G.order, G.order), 8, f"the dense {G.order} x {G.order} matrices of this check")


def gm_ldr_dense(G, b, U, V) -> np.ndarray:
    """``M_b + sum_i diag(V[i]) M_{U[i]}`` entry by entry from the group law (a reference for
    :class:`groupmat.GroupLDRMatrix`): ``M[a, a g] = b(g) + sum_i V[i, a] U[i, g]``, the columns
    ``a g`` from ``G.mul``. Integer or object (SymPy) parameters stay exact.

    Examples
    --------
    >>> import numpy as np, groupmat as gm
    >>> from groupmat.verify.theorems_displacement import gm_ldr_dense
    >>> G = gm.cyclic(3)
    >>> gm_ldr_dense(G, np.array([1, 2, 3]), np.zeros((0, 3), int), np.zeros((0, 3), int)).tolist()
    [[1, 2, 3], [3, 1, 2], [2, 3, 1]]
    """
    b, U, V = np.asarray(b), np.asarray(U), np.asarray(V)
    F = b[:, None] + U.T @ V                                   # F[g, a] = b(g) + sum_i U[i, g] V[i, a]
    e = G.elements()
    D = np.empty((G.order, G.order), dtype=F.dtype)
    D[np.broadcast_to(e[None, :], D.shape), G.mul(e[None, :], e[:, None])] = F
    return D


def group_diagonals_reference(G, M) -> np.ndarray:
    """``F[g, a] = M[a, a g]`` (the group diagonals) read from ``M`` with columns from ``G.mul``.

    Examples
    --------
    >>> import numpy as np, groupmat as gm
    >>> from groupmat.verify.theorems_displacement import group_diagonals_reference
    >>> group_diagonals_reference(gm.cyclic(3), np.arange(9).reshape(3, 3)).tolist()
    [[0, 4, 8], [1, 5, 6], [2, 3, 7]]
    """
    e = G.elements()
    return np.asarray(M)[e[None, :], G.mul(e[None, :], e[:, None])]


def _shift_exact(m: int, f):
    """``Z_f`` from its definition: ones below the diagonal and ``f`` in the corner ``[0, m - 1]``."""
    import sympy

    Z = sympy.zeros(m, m)
    for i in range(m - 1):
        Z[i + 1, i] = 1
    Z[0, m - 1] += f
    return Z


def _shift_numeric(m: int, f: float) -> np.ndarray:
    Z = np.eye(m, k=-1)
    Z[0, m - 1] += f
    return Z


def _is_zero(Mat) -> bool:
    """Exact zero test of every entry: ``cancel`` decides rational functions of symbols, and
    ``exact_is_zero`` (minimal polynomials) decides algebraic numbers."""
    import sympy

    from .._exact import exact_is_zero, exact_number

    def zero(v):
        v = exact_number(v, "an entry")
        if v == 0:
            return True
        if v.free_symbols:
            return sympy.cancel(sympy.together(v)) == 0
        return exact_is_zero(v)

    return all(zero(v) for v in Mat)


def _dev(a, b) -> float:
    a, b = np.asarray(a), np.asarray(b)
    if a.dtype == object or b.dtype == object:
        a, b = a.astype(complex), b.astype(complex)
    return float(np.max(np.abs(a - b))) if np.size(a) else 0.0


def _tol(*arrays, terms: int = 1) -> float:
    """Round-off of values computed from ``arrays`` as sums of ``terms`` products (:func:`roundoff`,
    at the scale of the largest product of their largest entries)."""
    scale = float(np.prod([np.abs(a).max(initial=0.0) for a in arrays]))
    return roundoff(np.result_type(*arrays, np.float64), scale=scale, terms=terms)


def _symbols(prefix, k):
    import sympy

    return list(sympy.symbols(f"{prefix}0:{k}"))


def _int_matrix(rng, n, m=None, lo=-4, hi=5):
    import sympy

    m = n if m is None else m
    return sympy.Matrix(n, m, rng.integers(lo, hi, size=(n, m)).ravel().tolist())   # n x 0 works too


# ---------------------------------------------------------------------- classical families
@register("circulant = group matrix of C_n (commutes with Z_1)", zoo=_cyclic_zoo, topic=TOPIC)
def circulant_is_group_matrix(G) -> str:
    import sympy

    from .. import ldr, matrices
    from ..groups import CyclicGroup
    from ..matrices import group_matrix

    if not isinstance(G, CyclicGroup):
        raise NotApplicable("a statement about cyclic groups")
    n = G.order
    require_memory((4, n, n), 8, f"the dense {n} x {n} matrices of this check")
    side = "numeric"
    if n <= EXACT_GROUP_MAX:
        x = _symbols("x", n)
        M = group_matrix(G, x)
        c = [x[(-k) % n] for k in range(n)]
        assert M == matrices.circulant(c), "group_matrix(C_n, x) != circulant(x(-k))"
        assert _is_zero(ldr.displacement(M, ldr.shift(n, 1))), "Z_1 M_x != M_x Z_1 exactly"
        Z = sympy.Matrix(ldr.shift(n, 1).dense().astype(int))
        assert M == sum((x[g] * Z ** ((n - g) % n) for g in range(n)), sympy.zeros(n, n)), \
            "M_x != sum_g x(g) Z_1^-g"
        side = "exact"
    rng = _rng(G)
    x = rng.normal(size=n)
    M = group_matrix(G, x)
    assert _dev(M, matrices.circulant(x[(-np.arange(n)) % n])) == 0.0, "numeric circulant != group matrix"
    assert _dev(ldr.displacement(M, ldr.shift(n, 1)), 0) <= _tol(M), "numeric Z_1 M != M Z_1"
    return "both" if side == "exact" else "numeric"


@register("Toeplitz: rank(Z_1 T - T Z_-1) <= 2 and rank(Z_1 T - T Z_1) <= 2; generators reconstruct T",
          zoo=_sizes_zoo, topic=TOPIC)
def toeplitz_rank(G) -> str:
    from .. import ldr, matrices

    n = G.order
    ns = min(n, SYMBOLIC_MAX)
    c, r = _symbols("c", ns), _symbols("r", ns)
    T = matrices.toeplitz(c, [c[0]] + r[1:])
    A, B = ldr.canonical_operators("toeplitz", ns)
    exact_ranks = (ldr.displacement_rank(T, A, B), ldr.displacement_rank(T, A, A))
    assert exact_ranks == ((2, 2) if ns > 1 else (1, 0)), \
        f"exact Toeplitz displacement ranks {exact_ranks}"
    Gm, Hm = ldr.displacement_generators(T, A, B)
    assert _is_zero(ldr.reconstruct(Gm, Hm, A, B) - T), "exact Krylov reconstruction of T fails"
    m = min(4 * n, NUMERIC_MAX)
    rng = _rng(G)
    Tn = matrices.toeplitz(rng.normal(size=m), rng.normal(size=m))
    A, B = ldr.canonical_operators("toeplitz", m)
    assert ldr.displacement_rank(Tn, A, B) <= 2 and ldr.displacement_rank(Tn, A, A) <= 2, "numeric Toeplitz rank > 2"
    Gm, Hm = ldr.displacement_generators(Tn, A, B)
    # the Krylov reconstruction sums m products per entry
    assert _dev(ldr.reconstruct(Gm, Hm, A, B), Tn) <= _tol(Tn, terms=m), "numeric reconstruction"
    return "both"


@register("Hankel rank <= 2 for (Z_1, Z_-1^T); Vandermonde rank 1 for (diag(x), Z_f); Cauchy rank 1 "
          "for (diag(s), diag(t))", zoo=_sizes_zoo, topic=TOPIC)
def hankel_vandermonde_cauchy_ranks(G) -> str:
    import sympy

    from .. import ldr, matrices

    n = G.order
    ns = min(n, SYMBOLIC_MAX)
    h = _symbols("h", 2 * ns - 1)
    H = matrices.hankel(h[:ns], h[ns - 1:])
    A, B = ldr.canonical_operators("hankel", ns)
    assert ldr.displacement_rank(H, A, B) == (2 if ns > 1 else 1), "exact Hankel displacement rank != 2"
    assert _is_zero(ldr.reconstruct(*ldr.displacement_generators(H, A, B), A, B) - H), "exact Hankel reconstruction"
    x = _symbols("x", ns)
    V = matrices.vandermonde(x)
    for f in (0, 1):
        A, B = ldr.canonical_operators("vandermonde", x=x, f=f)
        assert ldr.displacement_rank(V, A, B) == 1, f"exact Vandermonde displacement rank != 1 (f = {f})"
    s = [sympy.Rational(2 * i + 1, 3) for i in range(ns)]
    t = [sympy.Rational(-i, 2) for i in range(ns)]
    C = matrices.cauchy(s, t)
    A, B = ldr.canonical_operators("cauchy", s=s, t=t)
    Dc = ldr.displacement(C, A, B)
    assert Dc == sympy.ones(ns, ns), "exact Cauchy displacement != all ones"
    # numeric, larger, with round trips
    m = min(3 * n, NUMERIC_MAX)
    rng = _rng(G, 1)
    Hn = matrices.hankel(rng.normal(size=m), rng.normal(size=m))
    A, B = ldr.canonical_operators("hankel", m)
    assert ldr.displacement_rank(Hn, A, B) <= 2, "numeric Hankel rank > 2"
    assert _dev(ldr.reconstruct(*ldr.displacement_generators(Hn, A, B), A, B), Hn) <= _tol(Hn, terms=m), \
        "Hankel round trip"
    xn = np.linspace(0.5, 1.5, m)
    Vn = matrices.vandermonde(xn)
    A, B = ldr.canonical_operators("vandermonde", x=xn, f=-1)
    assert ldr.displacement_rank(Vn, A, B) == 1, "numeric Vandermonde rank != 1"
    assert _dev(ldr.reconstruct(*ldr.displacement_generators(Vn, A, B), A, B), Vn) <= _tol(Vn, terms=m), \
        "Vandermonde round trip"
    sn, tn = rng.normal(size=m) + 5, rng.normal(size=m) - 5
    Cn = matrices.cauchy(sn, tn)
    A, B = ldr.canonical_operators("cauchy", s=sn, t=tn)
    assert ldr.displacement_rank(Cn, A, B) == 1, "numeric Cauchy rank != 1"
    assert _dev(ldr.reconstruct(*ldr.displacement_generators(Cn, A, B), A, B), Cn) <= _tol(Cn, terms=m), \
        "Cauchy round trip"
    return "both"


@register("product rule A MN - MN C = (A M - M B) N + M (B N - N C); displacement_rank is the rank of A M - M B "
          "(r = 0..3 by construction); rank bounds for sums and products; rank(B M^-1 - M^-1 A) = rank(A M - M B)",
          zoo=_sizes_zoo, topic=TOPIC)
def product_rule_and_rank_bounds(G) -> str:
    # every displacement and rank is compared with one computed here: A M - M B with the dense
    # operators built from their definitions, exact ranks by SymPy, numeric ranks by NumPy's rule
    # on matrices whose displacement has a gap of many orders of magnitude; and matrices with a
    # displacement of each rank r = 0..3 are made by solving A M - M B = X Y^T (one solution:
    # the spectra of Z_1 and Z_-1 are disjoint), so a rank that is off by a constant is caught
    import scipy.linalg
    import sympy

    from .. import ldr, matrices

    n = G.order
    rng = _rng(G, 2)
    # exact: integer matrices, operators Z_1, Z_-1, diag
    ne = min(n, SYMBOLIC_MAX)
    A, B, C = ldr.shift(ne, 1), ldr.shift(ne, -1), ldr.DiagonalOperator(list(range(1, ne + 1)))
    Ad, Bd, Cd = _shift_exact(ne, 1), _shift_exact(ne, -1), sympy.diag(*range(1, ne + 1))
    for op, ref, name in ((A, Ad, "Z_1"), (B, Bd, "Z_-1"), (C, Cd, "diag(1..n)")):
        assert np.array_equal(op.dense(), np.array(ref.tolist(), dtype=float)), f"the operator {name} is not its matrix"
    M, N = _int_matrix(rng, ne), _int_matrix(rng, ne)
    lhs = ldr.displacement(M * N, A, C)
    assert lhs == Ad * M * N - M * N * Cd, "exact displacement(MN, A, C) != A MN - MN C"
    rhs = ldr.displacement(M, A, B) * N + M * ldr.displacement(N, B, C)
    assert lhs == rhs, "exact product rule fails"

    def exact_rank(X, P, Q):
        return (P * X - X * Q).rank()

    from sympy.polys.matrices import DomainMatrix

    # vec(A M - M B) = (A (x) I - I (x) B^T) vec(M), row-major; solved over Q
    K = DomainMatrix.from_Matrix(sympy.kronecker_product(Ad, sympy.eye(ne))
                                 - sympy.kronecker_product(sympy.eye(ne), Bd.T)).convert_to(sympy.QQ)
    for r in range(min(ne, 3) + 1):
        X, Y = _int_matrix(rng, ne, r), _int_matrix(rng, ne, r)
        D = X * Y.T if r else sympy.zeros(ne, ne)
        rhs = DomainMatrix.from_Matrix(D.reshape(ne * ne, 1)).convert_to(sympy.QQ)
        Mr = sympy.Matrix(ne, ne, list(K.lu_solve(rhs).to_Matrix()))
        assert Ad * Mr - Mr * Bd == D, "exact: the constructed matrix does not have the chosen displacement"
        got, true = ldr.displacement_rank(Mr, A, B), D.rank()
        assert got == true, f"exact: displacement_rank = {got}, but A M - M B = X Y^T has rank {true}"
    T1, T2 = (matrices.toeplitz(*(sympy.Matrix(rng.integers(-3, 4, ne).tolist()) for _ in range(2)))
              for _ in range(2))
    r1, r2 = ldr.displacement_rank(T1, A, B), ldr.displacement_rank(T2, B, A)
    assert (r1, r2) == (exact_rank(T1, Ad, Bd), exact_rank(T2, Bd, Ad)), "exact Toeplitz displacement ranks"
    rp = ldr.displacement_rank(T1 * T2, A, A)
    assert rp == exact_rank(T1 * T2, Ad, Ad) <= r1 + r2, f"exact product rank {rp} (bound {r1} + {r2})"
    rs = ldr.displacement_rank(T1 + T2, A, B)
    assert rs == exact_rank(T1 + T2, Ad, Bd) <= r1 + exact_rank(T2, Ad, Bd), f"exact sum rank {rs}"
    T3 = T1 + 10 * sympy.eye(ne)  # diagonally dominant: invertible
    T3i = T3.inv()
    ri = ldr.displacement_rank(T3i, B, A)
    assert ri == exact_rank(T3i, Bd, Ad) == exact_rank(T3, Ad, Bd) == ldr.displacement_rank(T3, A, B), \
        f"exact inverse rank {ri} != rank(A M - M B) = {exact_rank(T3, Ad, Bd)}"
    # numeric, larger
    m = min(5 * n, NUMERIC_MAX)
    A, B, C = ldr.shift(m, 1), ldr.shift(m, -1), ldr.DiagonalOperator(rng.normal(size=m))
    Ad, Bd = _shift_numeric(m, 1.0), _shift_numeric(m, -1.0)
    Mn, Nn = rng.normal(size=(m, m)), rng.normal(size=(m, m))
    lhs = ldr.displacement(Mn @ Nn, A, C)
    tol = _tol(Mn, Nn, terms=m) * max(1.0, np.abs(C.diagonal).max())
    assert _dev(lhs, Ad @ Mn @ Nn - Mn @ Nn * C.diagonal) <= tol, "numeric displacement(MN, A, C) != A MN - MN C"
    rhs = ldr.displacement(Mn, A, B) @ Nn + Mn @ ldr.displacement(Nn, B, C)
    assert _dev(lhs, rhs) <= tol, "numeric product rule fails"

    def numeric_rank(X, P, Q):
        return int(np.linalg.matrix_rank(P @ X - X @ Q))

    for r in range(4):
        D = rng.normal(size=(m, r)) @ rng.normal(size=(r, m))
        Mr = scipy.linalg.solve_sylvester(Ad, -Bd, D)
        got = ldr.displacement_rank(Mr, A, B)
        assert got == r == numeric_rank(Mr, Ad, Bd), f"numeric: displacement_rank = {got}, but A M - M B has rank {r}"
    T1 = matrices.toeplitz(rng.normal(size=m), rng.normal(size=m))
    T2 = matrices.toeplitz(rng.normal(size=m), rng.normal(size=m))
    r1, r2 = ldr.displacement_rank(T1, A, B), ldr.displacement_rank(T2, B, A)
    assert (r1, r2) == (2, 2) == (numeric_rank(T1, Ad, Bd), numeric_rank(T2, Bd, Ad)), \
        f"numeric Toeplitz displacement ranks {(r1, r2)}, expected (2, 2)"
    rp = ldr.displacement_rank(T1 @ T2, A, A)
    assert rp == numeric_rank(T1 @ T2, Ad, Ad) <= r1 + r2, f"numeric product rank {rp} (bound {r1} + {r2})"
    rs = ldr.displacement_rank(T1 + T2, A, B)
    assert rs == numeric_rank(T1 + T2, Ad, Bd) <= 4, f"numeric sum rank {rs}"
    T3 = T1 + 3 * np.sqrt(m) * np.eye(m)
    T3i = np.linalg.inv(T3)
    ri = ldr.displacement_rank(T3i, B, A)
    assert ri == numeric_rank(T3i, Bd, Ad) == ldr.displacement_rank(T3, A, B) == 2, \
        f"numeric inverse rank {ri}, expected rank(A M - M B) = 2"
    return "both"


@register("Gader: A - Z A Pi^T = sum x_i y_i^T implies A = sum_i L(x_i) C(y_i) (C(y) the group matrix of y "
          "on C_n)", zoo=_sizes_zoo, topic=TOPIC)
def gader_cyclic_decomposition(G) -> str:
    import sympy

    from .. import ldr, matrices
    from ..groups import cyclic
    from ..matrices import group_matrix

    n = G.order
    rng = _rng(G, 3)
    ne = min(n, SYMBOLIC_MAX)
    Cn = cyclic(ne)
    M = _int_matrix(rng, ne)
    X, Y = ldr.cyclic_decomposition(M)
    Z, Pi = ldr.shift(ne, 0), ldr.shift(ne, 1)
    assert ldr.displacement(M, Z, Pi.T, kind="stein") == X * Y.T, "exact Stein generators"
    S = sympy.zeros(ne, ne)
    for i in range(X.shape[1]):
        L = matrices.toeplitz(X[:, i], [X[0, i]] + [0] * (ne - 1))
        S += L * group_matrix(Cn, list(Y[:, i]))
    assert S == M, "exact: sum L(x_i) C(y_i) != A"
    m = min(4 * n, 64)
    Cm = cyclic(m)
    Mn = rng.normal(size=(m, m))
    X, Y = ldr.cyclic_decomposition(Mn)
    assert X.shape[1] <= m
    S = sum(matrices.toeplitz(X[:, i], np.zeros(m)) @ group_matrix(Cm, Y[:, i]) for i in range(X.shape[1]))
    assert _dev(S, Mn) <= _tol(Mn, terms=m * m), "numeric Gader decomposition"   # m terms of m products
    return "both"


# ---------------------------------------------------------------------- group displacements
def _generator_map(G) -> np.ndarray:
    """The matrix of M -> (L(s) M - M L(s))_s on vec(M) (row-major): ``kron(L, I) - kron(I, L^T)``."""
    from .. import ldr

    n = G.order
    eye = np.eye(n, dtype=np.int64)
    blocks = []
    for s in (G.generators or (G.identity,)):
        L = ldr.regular_operator(G, s).dense(dtype=np.int64)
        blocks.append(np.kron(L, eye) - np.kron(eye, L.T))
    return np.concatenate(blocks)


def _generator_kernel_dimension(G) -> int:
    """Exact dimension of the common kernel of M -> L(s) M - M L(s) over the generators.

    ``L(s) M L(s)^-1 = M`` says ``M[s a, s b] = M[a, b]``: the kernel is the functions on pairs
    ``(a, b)`` constant along the orbits of ``(a, b) -> (s a, s b)``, so its dimension is the number of
    connected components of that graph on the ``n^2`` pairs (integer index arithmetic, no rounding).
    """
    import scipy.sparse as sp
    from scipy.sparse.csgraph import connected_components

    n = G.order
    e = G.elements()
    a, b = np.meshgrid(e, e, indexing="ij")
    src = (a * n + b).ravel()
    rows, cols = [], []
    for s in G.generators:
        rows.append(src)
        cols.append((G.mul(s, a) * n + G.mul(s, b)).ravel())
    if not rows:
        return n * n
    graph = sp.coo_matrix((np.ones(len(rows) * n * n), (np.concatenate(rows), np.concatenate(cols))),
                          shape=(n * n, n * n))
    return int(connected_components(graph, directed=True, connection="weak")[0])


@register("M is a group matrix iff its generator displacement vanishes iff its coefficient displacement "
          "vanishes", zoo="default", topic=TOPIC)
def group_matrix_iff_displacements_vanish(G) -> str:
    import sympy

    from .. import ldr
    from ..matrices import group_matrix, is_group_matrix

    n = G.order
    _need_dense(G, 3 + len(G.generators))
    rng = _rng(G, 4)
    side = "both"
    if n <= EXACT_GROUP_MAX:
        M = group_matrix(G)  # one symbol per element
        assert all(_is_zero(Dg) for Dg in ldr.generator_displacement(G, M)), "exact generator displacement != 0"
        assert _is_zero(ldr.coefficient_displacement(G, M)), "exact coefficient displacement != 0"
        if n > 1:
            N = M + sympy.Matrix(n, n, lambda i, j: 1 if (i, j) == (0, n - 1) else 0)
            assert not all(_is_zero(Dg) for Dg in ldr.generator_displacement(G, N)), "perturbed: generator displ. = 0"
            assert not _is_zero(ldr.coefficient_displacement(G, N)), "perturbed: coefficient displacement = 0"
    # the coefficient displacement is F (I - P) with M -> F a bijection and ker(I - P) = constants
    M = group_matrix(G, rng.normal(size=n))
    assert np.abs(ldr.generator_displacement(G, M)).max(initial=0) <= _tol(M), "numeric generator displacement != 0"
    assert np.abs(ldr.coefficient_displacement(G, M)).max(initial=0) <= _tol(M), "numeric coefficient displ. != 0"
    # the generator map has an n-dimensional kernel, which contains the group matrices: so it is them
    if n <= KERNEL_COUNT_MAX:
        assert _generator_kernel_dimension(G) == n, "exact: generator displacement kernel dimension != n"
    else:
        side = "numeric"
    if n <= KERNEL_MAX:
        K = _generator_map(G)
        E = np.eye(n * n)[rng.choice(n * n, size=min(n * n, 8), replace=False)].reshape(-1, n, n)
        for Ek in E:   # the function agrees with the matrix of the map
            assert _dev(ldr.generator_displacement(G, Ek).reshape(len(K) // (n * n), -1),
                        (K @ Ek.reshape(-1)).reshape(-1, n * n)) == 0.0, "generator map mismatch"
    W = rng.normal(size=(n, n))
    gd = np.abs(ldr.generator_displacement(G, W)).max(initial=0)
    cd = np.abs(ldr.coefficient_displacement(G, W)).max(initial=0)
    assert (gd > _tol(W)) == (cd > _tol(W)) == (not is_group_matrix(G, W)), "random matrix: displacements disagree"
    return side   # "both": the kernel dimension is an exact count


def expected_ldr_route(G) -> str:
    """The product route the documented thresholds give a real GM-LDR matrix over ``G`` whose dense
    form fits: ``"fft"`` for abelian groups above ``LDR_DENSE_MAX_ORDER_ABELIAN``, ``"convolve"`` for
    groups with a fast transform above ``LDR_DENSE_MAX_ORDER``, else ``"dense"``.

    Examples
    --------
    >>> import groupmat as gm
    >>> from groupmat.verify.theorems_displacement import expected_ldr_route
    >>> expected_ldr_route(gm.cyclic(300)), expected_ldr_route(gm.dihedral(520)), expected_ldr_route(gm.symmetric(4))
    ('fft', 'convolve', 'dense')
    """
    from ..routing import LDR_DENSE_MAX_ORDER, LDR_DENSE_MAX_ORDER_ABELIAN, has_fast_transform

    if G.is_abelian and G.order > LDR_DENSE_MAX_ORDER_ABELIAN:
        return "fft"
    if has_fast_transform(G) and G.order > LDR_DENSE_MAX_ORDER:
        return "convolve"
    return "dense"


@register("GM-LDR M_b + sum_{i<r} diag(v_i) M_{u_i} equals its definition and multiplies by its route "
          "(dense, fft, convolve); coefficient displacement rank <= r; sums add ranks; right multiplication by a "
          "group matrix keeps the rank", zoo=_ldr_zoo, topic=TOPIC)
def gm_ldr_rank_bounds(G) -> str:
    import sympy

    from .. import ldr
    from ..matrices import group_matrix

    n = G.order
    _need_dense(G, 6)
    rng = _rng(G, 5)
    side = "numeric"
    if n <= RATIONAL_MAX:
        r = min(2, n)
        b, U, V = (rng.integers(-3, 4, size=s) for s in ((n,), (r, n), (r, n)))
        M = ldr.GroupLDRMatrix(G, sympy.Matrix(b.tolist()), sympy.Matrix(U.tolist()), sympy.Matrix(V.tolist()))
        Md = M.dense()
        assert Md == sympy.Matrix(gm_ldr_dense(G, b, U, V).tolist()), \
            "exact: GM-LDR dense != M_b + sum diag(v_i) M_(u_i) from the group law"
        rank = ldr.coefficient_displacement_rank(G, Md)
        assert rank <= r, f"exact coefficient displacement rank {rank} > r = {r}"
        x = sympy.Matrix(rng.integers(-2, 3, size=n).tolist())
        Mx = group_matrix(G, list(x))
        assert ldr.coefficient_displacement_rank(G, Md * Mx) <= rank, "exact: right multiplication raised the rank"
        M2 = ldr.GroupLDRMatrix(G, sympy.Matrix(rng.integers(-3, 4, n).tolist()),
                              sympy.Matrix(rng.integers(-3, 4, (1, n)).tolist()),
                              sympy.Matrix(rng.integers(-3, 4, (1, n)).tolist()))
        S = M + M2
        assert S.rank == r + 1 and S.dense() == Md + M2.dense(), "exact GM-LDR sum"
        assert ldr.coefficient_displacement_rank(G, S.dense()) <= r + 1, "exact sum rank bound"
        P = M @ ldr.GroupLDRMatrix(G, list(x))
        assert P.rank == r and P.dense() == Md * Mx, "exact GM-LDR times group matrix"
        side = "exact"
    r = min(3, max(n - 1, 0))
    b, U, V = rng.normal(size=n), rng.normal(size=(r, n)), rng.normal(size=(r, n))
    M = ldr.GroupLDRMatrix(G, b, U, V)
    route = M.product_route()
    expected = expected_ldr_route(G)
    assert route == expected, f"the product route is {route!r}, the thresholds say {expected!r}"
    Md = gm_ldr_dense(G, b, U, V)                       # the reference, from the group law
    tol = _tol(Md, terms=r + 1)
    assert _dev(M.dense(), Md) <= tol, "numeric: GM-LDR dense != its definition"
    ranks = n <= LDR_RANK_MAX
    if ranks:
        assert ldr.coefficient_displacement_rank(G, Md) == min(r, n - 1), "numeric: rank != min(r, n - 1) generically"
    X = rng.normal(size=(n, 3))
    tol = _tol(Md, X, terms=n)
    assert _dev(M @ X, Md @ X) <= tol, f"numeric: the {route!r} product differs from the definition's"
    assert _dev(M.T @ X, Md.T @ X) <= tol, f"numeric: the {route!r} transpose product differs from the definition's"
    x = rng.normal(size=n)
    P = M @ ldr.GroupLDRMatrix(G, x)
    Pd = Md @ gm_ldr_dense(G, x, np.zeros((0, n)), np.zeros((0, n)))
    assert _dev(P.dense(), Pd) <= _tol(Md, x, terms=n), "numeric: GM-LDR times group matrix"
    assert _dev(P @ X, Pd @ X) <= _tol(Pd, X, terms=n), f"numeric: the {P.product_route()!r} product of M M_x differs"
    if ranks:
        assert ldr.coefficient_displacement_rank(G, Pd) <= r, "numeric: right multiplication raised the rank"
    return "both" if side == "exact" else "numeric"


@register("right multiplication by a group matrix: F(M M_x) = M_x^T F(M), so the coefficient displacement "
          "rank does not grow", zoo="default", topic=TOPIC)
def right_multiplication_keeps_coefficient_rank(G) -> str:
    from .. import ldr, matrices
    from ..matrices import group_matrix

    n = G.order
    _need_dense(G, 6)
    rng = _rng(G, 7)
    # exact side: integer matrices, so every product is exact int64 arithmetic
    M = rng.integers(-4, 5, size=(n, n))
    Mx = group_matrix(G, rng.integers(-3, 4, size=n))
    F = matrices.group_diagonals(G, M)
    assert np.array_equal(matrices.group_diagonals(G, M @ Mx), Mx.T @ F), "exact: F(M M_x) != M_x^T F(M)"
    assert np.array_equal(ldr.coefficient_displacement(G, M @ Mx), Mx.T @ ldr.coefficient_displacement(G, M)), \
        "exact: D(M M_x) != M_x^T D(M)"
    r = min(2, max(n - 1, 0))
    # a matrix of coefficient displacement rank r that is not GM-LDR-shaped: F = b 1^T + (random rank r)
    F = rng.normal(size=(n, 1)) + rng.normal(size=(n, r)) @ rng.normal(size=(r, n))
    M = matrices.from_group_diagonals(G, F)
    x = rng.normal(size=n)
    Mx = group_matrix(G, x)
    assert _dev(matrices.group_diagonals(G, M @ Mx), Mx.T @ F) <= _tol(M, x, terms=n), \
        "numeric: F(M M_x) != M_x^T F(M)"
    assert ldr.coefficient_displacement_rank(G, M @ Mx) <= ldr.coefficient_displacement_rank(G, M) <= r
    return "both"


@register("every n x n matrix is a GM-LDR matrix: M[a, a g] = F[g, a] (its group diagonals, from the group law) "
          "gives M = sum_g diag(F[g]) M_(delta_g); rank n - 1 with the M_b term, and no less in general",
          zoo="default", topic=TOPIC)
def every_matrix_is_gm_ldr(G) -> str:
    # the group diagonals and the GM-LDR matrices are compared entry by entry with M and with the
    # definition M_b + sum_i diag(v_i) M_(u_i) evaluated from the group law (gm_ldr_dense), so a
    # convention error shared by group_diagonals and from_group_diagonals is caught
    import sympy

    from .. import ldr, matrices

    n = G.order
    _need_dense(G, 6)
    rng = _rng(G, 6)
    side = "numeric"
    if n <= RATIONAL_MAX:
        M = rng.integers(-4, 5, size=(n, n))
        F = matrices.group_diagonals(G, M)
        assert np.array_equal(F, group_diagonals_reference(G, M)), "exact: group_diagonals(M)[g, a] != M[a, a g]"
        assert np.array_equal(gm_ldr_dense(G, np.zeros(n, dtype=np.int64), np.eye(n, dtype=np.int64), F), M), \
            "exact: M != sum_g diag(F[g]) M_(delta_g) from the group law"
        # U = I (u_g = delta_g), V = F, b = 0: the GM-LDR matrix of rank n is M
        L = ldr.GroupLDRMatrix(G, sympy.zeros(n, 1), sympy.eye(n), sympy.Matrix(F.tolist()))
        assert L.dense() == sympy.Matrix(M.tolist()), "exact: the GM-LDR matrix (0, I, F) is not M"
        side = "exact"
    M = rng.normal(size=(n, n))
    assert np.array_equal(matrices.group_diagonals(G, M), group_diagonals_reference(G, M)), \
        "numeric: group_diagonals(M)[g, a] != M[a, a g]"
    r = max(n - 1, 0)
    fit, err = ldr.fit_group_ldr(G, M, r, return_error=True)
    tol = _tol(M, terms=n)
    D = gm_ldr_dense(G, fit.b, fit.U, fit.V)
    assert _dev(D, M) <= tol * n and err <= tol * n, \
        f"numeric: the rank n - 1 fit is not M (by {_dev(D, M):.3g}, reported error {err:.3g})"
    assert _dev(fit.dense(), D) <= tol * n, "numeric: GM-LDR dense != its definition"
    if n > 2:   # a generic matrix has coefficient displacement rank n - 1: rank n - 2 cannot fit it
        _, err2 = ldr.fit_group_ldr(G, M, n - 2, return_error=True)
        assert err2 > 1e3 * tol * n, f"numeric: a rank n - 2 GM-LDR fits a random matrix (error {err2:.3g})"
    return "both" if side == "exact" else "numeric"
