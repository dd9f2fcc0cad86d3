"""Verify rows: characters, irreducible representations, the Fourier transform, the group determinant.

A row skips (with its reason) a group too large for its method: exact SymPy checks above their
order limits, dense ``O(n^3)`` algebra above :data:`~groupmat.verify.core.DENSE_CHECK_MAX`, arrays
over the memory budget (``GROUPMAT_MAX_BYTES``).
"""
from __future__ import annotations

import numpy as np

from ..tolerances import imaginary_tol, integrality_tol, roundoff, unitarity_tol
from .core import DENSE_CHECK_MAX, NotApplicable, TooLargeToCheck, register, require_memory, require_order

_TOPIC = "characters"
#: Largest order for the exact group determinant (a SymPy determinant of an ``n x n`` integer matrix
#: and the factorisation of a polynomial in ``n`` variables).
DETERMINANT_EXACT_MAX = 12
#: Largest number of classes for the exact orthogonality relations (``r^2`` exact sums of ``r`` terms,
#: each decided by minimal polynomials when it holds irrational roots of unity).
EXACT_CLASSES_MAX = 24
#: Largest order for the exact orthogonality relations (the exact character values cost more above).
EXACT_TABLE_MAX = 720
#: Largest order for computing the character table and all irreducible matrices (``n^2`` numbers).
TABLE_MAX = 5040
#: Largest order for checking an irreducible's homomorphism property on every pair ``(g, h)``
#: (``n^2 d^3`` operations); beyond it, on every ``(g, s)`` with ``s`` a generator.
PAIRS_MAX = 256


def _max_dev(a, b) -> float:
    return float(np.max(np.abs(np.asarray(a) - np.asarray(b)))) if np.size(a) else 0.0


def _need_irreps(G) -> None:
    """Skip groups whose character table or irreducible matrices are out of reach."""
    require_order(G, TABLE_MAX, "the character table and irreducible matrices check")
    require_memory((G.order, G.order), 16, f"the matrices of all irreducible representations of {G.name}")


def _need_vectors(G, count: int) -> None:
    require_memory((count, G.order), 16, f"the {count} element-length arrays of this check on {G.name}")


def homomorphism_defect(G, mats: np.ndarray) -> float:
    """``max |rho(g) rho(h) - rho(g h)|`` over all pairs (order up to :data:`PAIRS_MAX`), else over
    ``h`` in the generators (which, with ``rho(e) = I``, proves the property for all pairs).

    The products ``g h`` come from ``G.mul``: an independent check of matrices given per element.

    Examples
    --------
    >>> import groupmat as gm, numpy as np
    >>> from groupmat.verify.theorems_characters import homomorphism_defect
    >>> G = gm.symmetric(3)
    >>> mats = gm.irreps(G)[1].matrices                # the 2-dimensional irreducible
    >>> homomorphism_defect(G, mats) < 1e-12, homomorphism_defect(G, mats.transpose(0, 2, 1)) > 0.1
    (True, True)
    """
    mats = np.asarray(mats)
    n = G.order
    e = G.elements()
    hs = e if n <= PAIRS_MAX else np.asarray(G.generators, dtype=np.int64)
    products = np.matmul(mats[:, None], mats[hs][None])              # rho(g) rho(h), batched BLAS
    targets = mats[G.mul(e[:, None], hs[None, :])]
    dev = _max_dev(products, targets)
    return max(dev, _max_dev(mats[G.identity], np.eye(mats.shape[-1])))


@register("character orthogonality: rows and columns; number of irreps = number of classes",
          zoo="default", topic=_TOPIC)
def character_orthogonality(G) -> str:
    from ..reps import character_table

    _need_irreps(G)
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

    _need_irreps(G)
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

    require_order(G, DENSE_CHECK_MAX, "the dense n x n determinant")
    _need_irreps(G)
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
    from ..reps import character_table, group_determinant

    require_order(G, DETERMINANT_EXACT_MAX, "the exact check")
    check_determinant_factors(G, group_determinant(G), character_table(G).degrees)
    return "exact"


def check_determinant_factors(G, factors, degrees) -> None:
    """Assert that ``factors`` (pairs ``(f, m)``) is Frobenius's factorisation of the group determinant.

    Their product ``prod f^m`` equals ``det M_x`` (computed here by SymPy) at an integer point, and
    each factor is the product of the ``Theta_rho`` over a Galois orbit of characters of one degree
    ``d`` with multiplicity ``d``: ``deg f = d * (orbit length)``, so the factors of multiplicity ``d``
    use up exactly the irreducibles of degree ``d`` (``degrees``, the character table's). There is
    one distinct factor per Galois orbit, and the orbits are as many as the rational classes of ``G``
    (:func:`rational_class_count`, counted from the group law).

    Raises
    ------
    AssertionError
        Naming what fails.

    Examples
    --------
    >>> import groupmat as gm, sympy
    >>> from groupmat.verify.theorems_characters import check_determinant_factors
    >>> G = gm.cyclic(3)
    >>> factors = gm.reps.group_determinant(G)
    >>> check_determinant_factors(G, factors, [1, 1, 1])
    >>> whole = sympy.Mul(*[f**m for f, m in factors])
    >>> check_determinant_factors(G, [(whole, 1)], [1, 1, 1])
    Traceback (most recent call last):
    ...
    AssertionError: 1 distinct factors, but C3 has 2 rational classes (one factor per Galois orbit of characters)...
    """
    import sympy

    from ..matrices import group_matrix, group_symbols

    syms = group_symbols(G)
    x = [int(v) for v in np.random.default_rng(1).integers(-3, 4, G.order)]
    det = sympy.Matrix(group_matrix(G, np.array(x))).det()
    sub = dict(zip(syms, x))
    assert sympy.Mul(*[f.subs(sub) ** m for f, m in factors]) == det, "product of factors != det M_x"
    degrees = np.asarray(degrees)
    used = {}
    for f, m in factors:
        deg = sympy.Poly(f, *syms).total_degree()
        assert m >= 1 and deg >= 1 and deg % m == 0, \
            f"factor of degree {deg} has multiplicity {m}, not its irreducibles' degree"
        used[m] = used.get(m, 0) + deg // m
    expected = {int(d): int(np.count_nonzero(degrees == d)) for d in np.unique(degrees)}
    assert used == expected, f"multiplicities are not the degrees: factors cover {used}, irreducibles {expected}"
    distinct = len({sympy.expand(f) for f, _ in factors})
    orbits = rational_class_count(G)
    assert distinct == orbits, (f"{distinct} distinct factors, but {G.name} has {orbits} rational classes "
                                "(one factor per Galois orbit of characters)")


def rational_class_count(G) -> int:
    """The number of rational classes of ``G``: conjugacy classes merged when ``g ~ g^t`` for ``t``
    prime to the order of ``g``. It equals the number of Galois orbits of irreducible characters
    (the irreducible rational characters), so the number of irreducible factors over Q of the group
    determinant.

    Examples
    --------
    >>> import groupmat as gm
    >>> from groupmat.verify.theorems_characters import rational_class_count
    >>> [rational_class_count(G) for G in (gm.cyclic(12), gm.symmetric(4), gm.quaternion())]
    [6, 5, 5]
    """
    from math import gcd

    classes = G.conjugacy_classes()
    class_of = np.empty(G.order, dtype=np.int64)
    for k, c in enumerate(classes):
        class_of[c] = k
    parent = list(range(len(classes)))

    def root(k):
        while parent[k] != k:
            parent[k] = parent[parent[k]]
            k = parent[k]
        return k

    reps = np.array([int(c[0]) for c in classes], dtype=np.int64)
    for k, (g, m) in enumerate(zip(reps, np.atleast_1d(G.element_order(reps)))):
        units = np.array([t for t in range(1, int(m)) if gcd(t, int(m)) == 1], dtype=np.int64)
        for j in class_of[G.power_array(np.full(units.size, g), units)]:
            parent[root(int(j))] = root(k)
    return len({root(k) for k in range(len(classes))})


@register("character orthogonality, exactly: sum_c |C_c| chi_i(c) conj(chi_j(c)) = |G| delta_ij",
          zoo="small", topic=_TOPIC)
def character_orthogonality_exact(G) -> str:
    from ..reps import character_table

    require_order(G, EXACT_TABLE_MAX, "the exact check")
    check_exact_orthogonality(character_table(G), G.order)
    return "exact"


def check_exact_orthogonality(table, order: int) -> None:
    """Assert the orthogonality relations of a character table exactly (SymPy).

    ``sum_c |C_c| chi_i(c) conj(chi_j(c)) = |G| delta_ij`` for every pair of rows of
    ``table.exact_values`` (with ``table.class_sizes``), and ``sum d^2 = |G|`` (``table.degrees``).

    Raises
    ------
    NotApplicable
        The table has no exact values (``exact_values`` is None).
    TooLargeToCheck
        More than :data:`EXACT_CLASSES_MAX` classes.
    AssertionError
        A relation fails.

    Examples
    --------
    >>> import groupmat as gm
    >>> from types import SimpleNamespace
    >>> from groupmat.verify.theorems_characters import check_exact_orthogonality
    >>> T = gm.character_table(gm.symmetric(3))
    >>> check_exact_orthogonality(T, 6)
    >>> ev = T.exact_values.copy(); ev[1, 2] = 0
    >>> wrong = SimpleNamespace(exact_values=ev, class_sizes=T.class_sizes, degrees=T.degrees)
    >>> check_exact_orthogonality(wrong, 6)
    Traceback (most recent call last):
    ...
    AssertionError: sum_c |C_c| chi_0(c) conj(chi_1(c)) != 0 exactly...
    """
    import sympy

    from .._exact import exact_is_zero

    r = len(table.class_sizes)
    if r > EXACT_CLASSES_MAX:
        raise TooLargeToCheck(f"too large for the exact check ({r} classes > {EXACT_CLASSES_MAX})")
    ev = table.exact_values
    if ev is None:
        raise NotApplicable("the character table is known only numerically")
    sizes = [int(c) for c in table.class_sizes]
    for i in range(r):
        for j in range(i, r):
            s = sum(sizes[c] * ev[i, c] * sympy.conjugate(ev[j, c]) for c in range(r))
            target = order if i == j else 0
            assert exact_is_zero(sympy.expand(s - target)), \
                f"sum_c |C_c| chi_{i}(c) conj(chi_{j}(c)) != {target} exactly"
    assert sum(int(d) ** 2 for d in table.degrees) == order, "sum of squared degrees != |G|"


@register("real irreducibles: homomorphisms (rho(g) rho(h) = rho(gh) by the group law), orthogonal, commutant "
          "dimension <chi, chi> = e(FS indicator), sum d^2 / e = |G|", zoo="default", topic=_TOPIC)
def real_irreps_commutant(G) -> str:
    from ..reps import irreps
    from ..reps.irreducibles import commutant_dimension

    _need_irreps(G)
    n = G.order
    total = 0.0
    for sigma in irreps(G, "real"):
        mats = sigma.numeric().matrices
        assert not np.iscomplexobj(mats) or np.abs(mats.imag).max() <= imaginary_tol(mats.dtype), \
            f"{sigma.name} is not real"
        mats = mats.real
        dev = homomorphism_defect(G, mats)
        assert dev <= unitarity_tol(mats.dtype), f"{sigma.name} is not a homomorphism: rho(g) rho(h) != rho(gh) " \
                                                 f"(by {dev:.3g})"
        dev = _max_dev(np.matmul(np.swapaxes(mats, -1, -2), mats), np.eye(sigma.dim))
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

    _need_vectors(G, 16)
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

    require_order(G, DENSE_CHECK_MAX, "the dense n x n check")
    _need_irreps(G)
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

    require_order(G, DENSE_CHECK_MAX, "the dense O(n^2) convolution")
    _need_vectors(G, 16)
    x, y = np.random.default_rng(4).standard_normal((2, G.order))
    dense = dense_convolve(G, x, y)
    tol = roundoff(dense.dtype, scale=float(np.abs(x).sum() * np.abs(y).max()), terms=G.order)
    dev = _max_dev(convolve(G, x, y), dense)
    assert dev <= tol, f"the {convolve_route(G)!r} route of convolve differs from the dense product by {dev:.3g}"
    dev = _max_dev(inverse_fourier(G, fourier(G, x) @ fourier(G, y)), dense)
    assert dev <= tol, f"the {transform_kind(G)!r} transform of x * y differs from the dense product by {dev:.3g}"
    return "numeric"
