"""Group axioms and group-matrix identities (the foundation rows of ``groupmat verify``).

Each check states one identity of DESIGN.md, returns the side that ran (``"exact"``: integer index
arithmetic or SymPy; ``"numeric"``: floating point; ``"both"``) and raises ``AssertionError`` naming
what failed. Every check accepts any group (``groupmat verify --group S5``): its exact side runs only
up to the size limits below (symbolic SymPy matrices are costly), and beyond them the row says
``numeric``; a check whose method does not fit the group (dense ``O(n^3)`` algebra above
:data:`~groupmat.verify.core.DENSE_CHECK_MAX`, arrays over the memory budget) is skipped with its
reason; a check that does not concern the group raises :class:`~groupmat.verify.NotApplicable`.
Over the default zoos the whole file runs in about a second.

Exact where it is cheap to be exact: a bilinear identity such as ``M_x M_y = M_{x*y}`` is checked
on the basis ``x = e_a, y = e_b`` in integer arithmetic (which proves it for all ``x, y``), and
"only group matrices commute with ``L``" by counting orbits of pairs, not by a numerical null space.
Where a library function is checked against "the definition", the definition is computed here from
the group law (``G.mul``, ``G.inv``), never from the function's own index arrays.
"""
from __future__ import annotations

import numpy as np
import scipy.linalg

from .._validation import index_dtype
from ..tolerances import roundoff
from .core import DENSE_CHECK_MAX, NotApplicable, register, require_memory, require_order

#: Largest order for checks with symbolic ``n x n`` SymPy matrices (no products of them).
EXACT_MAX = 12
#: Largest order for products of symbolic ``n x n`` SymPy matrices.
SYMBOLIC_MAX = 8
#: Largest order for checks with rational (not symbolic) ``n x n`` SymPy matrices.
RATIONAL_MAX = 24
#: Largest order for which an exact (rational) ``n x n`` group matrix is built at all.
EXACT_MATRIX_MAX = 128
#: Largest order for which the sparse group matrix is also compared with the dense one.
SPARSE_DENSE_MAX = 4096
#: Largest order for the commutant computation (orbits of the ``n^2`` pairs of elements).
COMMUTANT_MAX = 256
#: Largest order for comparing every entry of the Cayley table with ``G.mul``; beyond it
#: :data:`TABLE_SAMPLES` random pairs are compared.
TABLE_PAIRS_MAX = 1024
#: Random pairs compared with ``G.mul`` on larger groups.
TABLE_SAMPLES = 2**16


def _rng(G) -> np.random.Generator:
    return np.random.default_rng(G.order * 7919 + len(G.generators))


def _cyclic_zoo():
    from ..groups import cyclic

    return [cyclic(n) for n in (1, 2, 5, 7, 12, 64, 257)]


def _sparse_zoo():
    from ..groups import cyclic, direct_product
    from .core import default_zoo

    return default_zoo() + [direct_product(cyclic(32), cyclic(32))]


def _max_dev(a, b) -> float:
    return float(np.max(np.abs(np.asarray(a) - np.asarray(b)))) if np.size(a) else 0.0


def _need_vectors(G, count: int, itemsize: int = 8) -> None:
    """Ask the memory budget for ``count`` arrays of ``|G|`` entries (a skip when over it)."""
    require_memory((count, G.order), itemsize, f"the {count} element-length arrays of this check on {G.name}")


def _need_dense(G, count: int = 4) -> None:
    """Skip groups above :data:`~groupmat.verify.core.DENSE_CHECK_MAX` (dense ``n x n`` products,
    inverses, and ``n^2`` products of elements take too long beyond) and ask the memory budget for
    ``count`` dense ``n x n`` float matrices."""
    require_order(G, DENSE_CHECK_MAX, "the dense n x n check")
    require_memory((count, G.order, G.order), 8, f"the dense {G.order} x {G.order} matrices of this check")


def pair_indices(G, convention: str = "ginv_h") -> np.ndarray:
    """``K[g, h]``, the element with ``M_x[g, h] = x(K[g, h])``, from the group law alone.

    ``x(g^-1 h)`` (``"ginv_h"``), ``x(g h^-1)`` (``"g_hinv"``) or ``x(g h)`` (``"gh"``), computed by
    ``G.mul`` and ``G.inv`` on broadcast element arrays: an independent reference for
    :func:`groupmat.matrices.group_matrix_indices`.

    Examples
    --------
    >>> import groupmat as gm
    >>> from groupmat.verify.theorems_groups import pair_indices
    >>> pair_indices(gm.cyclic(3)).tolist()
    [[0, 1, 2], [2, 0, 1], [1, 2, 0]]
    """
    e = G.elements()
    g, h = e[:, None], e[None, :]
    if convention == "ginv_h":
        return G.mul(G.inv(g), h)
    if convention == "g_hinv":
        return G.mul(g, G.inv(h))
    if convention == "gh":
        return G.mul(g, h)
    raise ValueError(f"convention must be one of 'ginv_h', 'g_hinv', 'gh', got {convention!r}")


# --------------------------------------------------------------------------------------- axioms
@register("group axioms: associativity, identity, inverses", zoo="default")
def group_axioms(G) -> str:
    # (ab)c = a(bc) on every triple when n^3 is small, else on 4096 random triples
    _need_vectors(G, 6)
    e = G.elements()
    n = G.order
    if n**3 <= 2**18:
        a, b, c = (t.ravel() for t in np.meshgrid(e, e, e, indexing="ij"))
    else:
        rng = _rng(G)
        a, b, c = (rng.integers(0, n, size=4096) for _ in range(3))
    bad = np.flatnonzero(G.mul(G.mul(a, b), c) != G.mul(a, G.mul(b, c)))
    assert not bad.size, (f"associativity fails: ({G.label(int(a[bad[0]]))} {G.label(int(b[bad[0]]))}) "
                          f"{G.label(int(c[bad[0]]))} != {G.label(int(a[bad[0]]))} ({G.label(int(b[bad[0]]))} "
                          f"{G.label(int(c[bad[0]]))})")
    assert np.array_equal(G.mul(G.identity, e), e) and np.array_equal(G.mul(e, G.identity), e), "identity fails"
    assert np.all(G.mul(e, G.inv(e)) == G.identity), "g g^-1 != e for some g"
    assert np.all(G.mul(G.inv(e), e) == G.identity), "g^-1 g != e for some g"
    return "exact"


@register("Cayley table agrees with mul and is a Latin square bordered by the identity", zoo="default")
def cayley_latin_square(G) -> str:
    # T[a, b] = a b as computed by G.mul (on every pair up to TABLE_PAIRS_MAX, else on random pairs);
    # every row and column of T is a permutation; row and column of e are 0..n-1; T[g, g^-1] = e
    n, ident = G.order, G.identity
    require_memory((n, n), index_dtype(n).itemsize + 1, f"the Cayley table of {G.name} and a mask of its entries")
    T = G.cayley_table()
    e = np.arange(n)
    assert T.shape == (n, n), f"table has shape {T.shape}, expected ({n}, {n})"
    if n <= TABLE_PAIRS_MAX:
        a, b = (t.ravel() for t in np.meshgrid(e, e, indexing="ij"))
    else:
        a, b = _rng(G).integers(0, n, size=(2, TABLE_SAMPLES))
    bad = np.flatnonzero(T[a, b] != G.mul(a, b))
    if bad.size:
        x, y = int(a[bad[0]]), int(b[bad[0]])
        raise AssertionError(f"the Cayley table says {G.label(x)} {G.label(y)} = {G.label(int(T[x, y]))}, "
                             f"G.mul says {G.label(int(G.mul(x, y)))}")
    # a row (column) is a permutation iff it holds every element: mark what each one holds
    seen = np.zeros((n, n), dtype=bool)
    seen[e[:, None], T] = True
    assert seen.all(), "a row of the Cayley table is not a permutation"
    seen[:] = False
    seen[T, e[None, :]] = True
    assert seen.all(), "a column of the Cayley table is not a permutation"
    del seen
    assert np.array_equal(T[ident], e) and np.array_equal(T[:, ident], e), "the identity's row/column is not 0..n-1"
    assert np.all(T[e, G.inv(e)] == ident), "T[g, g^-1] != e for some g"
    return "exact"


# ------------------------------------------------------------------------------- group matrices
@register("group matrix of C_n is the circulant (scipy.linalg.circulant)", zoo=_cyclic_zoo)
def circulant_is_group_matrix(G) -> str:
    # M_x[g, h] = x(h - g): the circulant with first row x, i.e. circulant(x).T; x(g - h) is circulant(x)
    from ..groups import CyclicGroup
    from ..matrices import group_matrix, group_symbols

    if not isinstance(G, CyclicGroup):
        raise NotApplicable(f"{G.name} is not a cyclic group C_n")
    _need_dense(G, 4)
    x = _rng(G).standard_normal(G.order)
    assert np.array_equal(group_matrix(G, x), scipy.linalg.circulant(x).T), "M_x != circulant(x)^T"
    assert np.array_equal(group_matrix(G, x, convention="g_hinv"), scipy.linalg.circulant(x)), \
        "M_x (convention g_hinv) != circulant(x)"
    if G.order > EXACT_MAX:
        return "numeric"
    import sympy

    xs = np.array(group_symbols(G), dtype=object)
    assert group_matrix(G) == sympy.Matrix(scipy.linalg.circulant(xs).T), \
        "symbolic M_x != circulant(x)^T (exactly)"
    return "both"


@register("group matrices commute with the left regular representation, and only they do", zoo="default")
def commute_with_left_regular(G) -> str:
    # L(g) M_x = M_x L(g) for all g; the commutant of {L(s)} has dimension n and consists of group matrices
    from ..matrices import group_matrix
    from ..reps import regular_representation

    n = G.order
    _need_dense(G, 4)
    L = regular_representation(G, "left")
    M = group_matrix(G, _rng(G).standard_normal(n))
    elements = range(n) if n <= 64 else G.generators
    for g in elements:
        Lg = L(g)
        dev = _max_dev(Lg @ M, M @ Lg)
        assert dev <= roundoff(M.dtype, scale=np.abs(M).max()), \
            f"L({G.label(g)}) M_x != M_x L({G.label(g)}) (by {dev:.3g})"
    if n <= COMMUTANT_MAX:
        # "only they do", exactly: N commutes with every L(s) iff N[s a, s b] = N[a, b], i.e. N is
        # constant on the orbits of the pairs (a, b) under (a, b) -> (s a, s b). There must be exactly
        # n orbits, the group diagonals {(g, g k)}: the orbit of (a, b) is determined by a^-1 b.
        from scipy.sparse import coo_matrix
        from scipy.sparse.csgraph import connected_components

        pair = np.arange(n * n)
        a, b = np.divmod(pair, n)
        images = [G.mul(np.int64(s), a) * n + G.mul(np.int64(s), b) for s in G.generators]
        src = np.concatenate([pair] * len(images)) if images else pair
        dst = np.concatenate(images) if images else pair
        graph = coo_matrix((np.ones(src.size, dtype=np.int8), (src, dst)), shape=(n * n, n * n))
        n_orbits, orbit = connected_components(graph, directed=True, connection="weak")
        assert n_orbits == n, f"the commutant of L has dimension {n_orbits}, expected |G| = {n}"
        diagonal = G.mul(G.inv(a), b)
        assert np.unique(orbit * n + diagonal).size == n, "an orbit of pairs is not a group diagonal {(g, g k)}"
    if n > EXACT_MAX:
        return "both" if n <= COMMUTANT_MAX else "numeric"
    import sympy

    Ms = group_matrix(G)
    for s in G.generators:
        Ls = sympy.Matrix(L(s).astype(int))
        assert Ls * Ms - Ms * Ls == sympy.zeros(n, n), f"L({G.label(s)}) M_x != M_x L({G.label(s)}) (exactly)"
    return "both"


def _convolve_by_definition(G, x, y):
    # (x*y)(t) = sum_u x(u) y(u^-1 t), from the Cayley table
    T = G.cayley_table()
    return x @ y[T[G.inverses()]]


@register("closure under products: M_x M_y = M_{x*y}", zoo="default")
def closure_under_products(G) -> str:
    from ..matrices import dense_convolve as convolve, group_matrix, group_symbols, is_group_matrix

    n = G.order
    _need_dense(G, 5)
    rng = _rng(G)
    x, y = rng.standard_normal(n), rng.standard_normal(n)
    xy = convolve(G, x, y)
    tol = roundoff(xy.dtype, scale=np.abs(x).max() * np.abs(y).max(), terms=n)   # sums of n products
    dev = _max_dev(xy, _convolve_by_definition(G, x, y))
    assert dev <= tol, f"convolve(x, y) differs from sum_u x(u) y(u^-1 t) by {dev:.3g}"
    P = group_matrix(G, x) @ group_matrix(G, y)
    dev = _max_dev(P, group_matrix(G, xy))
    assert dev <= tol, f"M_x M_y != M_(x*y) (by {dev:.3g})"
    assert is_group_matrix(G, P, tol=tol), "M_x M_y is not a group matrix"
    if n > RATIONAL_MAX:
        return "numeric"
    # exactly, on a basis: both sides are bilinear in (x, y), so M_{e_a} M_{e_b} = M_{e_a * e_b} for
    # all a, b (integer arithmetic) proves the identity for all x, y; and e_a * e_b = e_{ab}
    E = np.eye(n, dtype=np.int64)
    basis = group_matrix(G, E)                                 # basis[a] = M_{e_a}
    products = np.einsum("aij,bjk->abik", basis, basis)       # M_{e_a} M_{e_b}
    conv = convolve(G, E[:, None, :], E[None, :, :])           # e_a * e_b
    assert np.array_equal(conv, E[G.cayley_table().astype(np.int64)]), "e_a * e_b != e_{ab}"
    assert np.array_equal(products, group_matrix(G, conv)), "M_(e_a) M_(e_b) != M_(e_a * e_b) (exactly)"
    if n > SYMBOLIC_MAX:
        return "both"
    import sympy

    xs, ys = group_symbols(G, "x"), group_symbols(G, "y")
    lhs = (group_matrix(G, xs) * group_matrix(G, ys)).expand()
    rhs = group_matrix(G, list(convolve(G, xs, ys)))
    assert (lhs - rhs).expand() == sympy.zeros(n, n), "M_x M_y != M_(x*y) (exactly, with symbols)"
    return "both"


@register("closure under inverses: M_x^-1 is a group matrix M_y with x*y = delta_e", zoo="default")
def closure_under_inverses(G) -> str:
    from ..matrices import dense_convolve as convolve, group_matrix, is_group_matrix, x_from_group_matrix

    n = G.order
    _need_dense(G, 4)
    rng = _rng(G)
    delta = np.zeros(n)
    delta[G.identity] = 1.0
    x = rng.standard_normal(n)
    x[G.identity] += 2 * n  # strictly diagonally dominant, hence invertible
    Minv = np.linalg.inv(group_matrix(G, x))
    # M_x is well conditioned (||M_x - x(e) I|| < x(e) / 2): the inverse is accurate to n eps
    tol = roundoff(Minv.dtype, scale=np.abs(x).max() * np.abs(Minv).max(), terms=n)
    assert is_group_matrix(G, Minv, tol=tol), "the inverse of M_x is not a group matrix"
    y = x_from_group_matrix(G, Minv)
    dev = _max_dev(convolve(G, x, y), delta)
    assert dev <= tol, f"x * y != delta_e for M_y = M_x^-1 (by {dev:.3g})"
    if n > RATIONAL_MAX:
        return "numeric"
    import sympy

    xq = [sympy.Integer(v) for v in rng.integers(-3, 4, size=n)]
    xq[G.identity] += 3 * n
    Mq_inv = group_matrix(G, xq).inv()
    assert is_group_matrix(G, Mq_inv), "the inverse of M_x is not a group matrix (exactly)"
    yq = x_from_group_matrix(G, Mq_inv, check=False)
    exact_delta = [sympy.Integer(int(v)) for v in delta]
    assert list(convolve(G, xq, list(yq))) == exact_delta, "x * y != delta_e (exactly)"
    return "both"


@register("exact and numeric group matrices equal x(g^-1 h), x(g h^-1), x(g h) computed from the group law",
          zoo="default")
def exact_numeric_agree(G) -> str:
    # the reference K[g, h] comes from G.mul and G.inv (pair_indices), not from group_matrix_indices,
    # so a wrong index array shared by the exact and the numeric path is caught
    import sympy

    from ..matrices import CONVENTIONS, group_matrix

    n = G.order
    require_order(G, EXACT_MATRIX_MAX, "the exact n x n comparison")
    ints = _rng(G).integers(-9, 10, size=n)
    xq = np.array([sympy.Rational(int(v), 7) for v in ints], dtype=object)
    xs = sympy.symbols(f"a0:{n}") if n <= RATIONAL_MAX else ()
    for convention in CONVENTIONS:
        K = pair_indices(G, convention)
        numeric = group_matrix(G, ints / 7, convention=convention)
        assert np.array_equal(numeric, (ints / 7)[K]), f"numeric M_x differs from x[K] of the group law ({convention})"
        exact = group_matrix(G, list(xq), convention=convention)
        assert isinstance(exact, sympy.MatrixBase), f"exact input gave {type(exact).__name__}, not a sympy Matrix"
        assert all(isinstance(v, sympy.Rational) for v in exact), f"rational x gave non-rational entries ({convention})"
        assert exact == sympy.Matrix(xq[K]), f"exact M_x differs from x[K] of the group law ({convention})"
        dev = _max_dev(np.array([float(v) for v in exact]).reshape(n, n), numeric)
        assert dev <= roundoff(numeric.dtype), f"exact and numeric M_x differ by {dev:.3g} ({convention})"
        if n <= RATIONAL_MAX:
            symbolic = group_matrix(G, list(xs), convention=convention)
            assert symbolic == sympy.Matrix(np.array(xs, dtype=object)[K]), \
                f"symbolic M_x differs from x[K] of the group law ({convention})"
    return "both"


@register("x is recovered from M_x and M_x is a group matrix (all conventions)", zoo="default")
def recovery_roundtrip(G) -> str:
    from ..matrices import CONVENTIONS, group_matrix, is_group_matrix, x_from_group_matrix

    n = G.order
    _need_dense(G, 4)
    x = _rng(G).standard_normal(n)
    for convention in CONVENTIONS:
        M = group_matrix(G, x, convention=convention)
        dev = _max_dev(x_from_group_matrix(G, M, convention=convention), x)
        assert dev <= roundoff(M.dtype, scale=np.abs(x).max()), \
            f"x_from_group_matrix(M_x) != x ({convention}, by {dev:.3g})"
        assert is_group_matrix(G, M, convention=convention), f"M_x is not recognised as a group matrix ({convention})"
    if n > 2:
        # a matrix whose first row is x but is not a group matrix is refused
        N = group_matrix(G, x).copy()
        N[1, 0] += 1.0
        assert not is_group_matrix(G, N), "a perturbed group matrix is accepted as a group matrix"
    return "numeric"


@register("sparse group matrix equals the dense one (all conventions)", zoo=_sparse_zoo)
def sparse_equals_dense(G) -> str:
    # a kernel of small support gives n |support| stored entries, equal to the dense x[K]
    from ..matrices import CONVENTIONS, group_matrix

    n = G.order
    _need_vectors(G, 8 + 3 * 9)                  # x, v, the products and the sparse entries (data, indices)
    rng = _rng(G)
    x = np.zeros(n)
    support = rng.choice(n, size=min(n, 9), replace=False)
    x[support] = rng.standard_normal(support.size)
    for convention in CONVENTIONS:
        S = group_matrix(G, x, convention=convention, sparse=True)
        assert S.nnz == n * np.count_nonzero(x), f"sparse M_x stores {S.nnz} entries, expected {n * np.count_nonzero(x)}"
        if n <= SPARSE_DENSE_MAX:
            assert np.array_equal(S.toarray(), group_matrix(G, x, convention=convention)), \
                f"sparse M_x != dense M_x ({convention})"
    # on any size, without a dense matrix: (M_x v)(g) = sum_h x(g^-1 h) v(h) = sum_k x(k) v(g k)
    v = rng.standard_normal(n)
    e = G.elements()
    expected = sum(x[k] * v[G.mul(e, int(k))] for k in support)
    S = group_matrix(G, x, sparse=True)
    dev = _max_dev(S @ v, expected)
    tol = roundoff(v.dtype, scale=np.abs(x).max() * np.abs(v).max(), terms=support.size)
    assert dev <= tol, f"sparse M_x v != sum_k x(k) v(g k) (by {dev:.3g})"
    return "numeric"
