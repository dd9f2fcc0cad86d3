"""Character tables of ``S_n`` and ``A_n`` by closed formulas: Murnaghan-Nakayama and its restriction.

Nothing here enumerates a group. The conjugacy classes of ``S_n`` are the cycle types (partitions
``mu`` of ``n``), of size :math:`n!/z_\\mu` with :math:`z_\\mu = \\prod_k k^{m_k} m_k!`; the irreducible
characters are indexed by partitions ``lambda`` and given by the Murnaghan-Nakayama rule

.. math::

    \\chi^\\lambda(\\mu) = \\sum_{\\xi} (-1)^{\\mathrm{ht}(\\xi)}\\, \\chi^{\\lambda \\setminus \\xi}(\\mu \\setminus \\mu_1),

the sum over the rim hooks :math:`\\xi` of length :math:`\\mu_1` of :math:`\\lambda`. On beta-sets
(bead positions :math:`\\beta_i = \\lambda_i + N - 1 - i`) removing a rim hook of length ``k`` moves a
bead from ``b`` to a free ``b - k``, with the sign :math:`(-1)^{\\#\\{\\text{beads strictly between}\\}}`.
The whole table is built degree by degree: the columns whose largest part is ``k`` are
:math:`B_k\\, T_{m-k}[:, \\mu']` with :math:`B_k` the signed hook-removal matrix from the partitions
of ``m`` to those of ``m - k`` (one sparse product per ``k``, no per-entry recursion).

``A_n`` (``n >= 2``): a class of ``S_n`` of even permutations stays one class of ``A_n`` unless its
parts are distinct and odd; then it splits into two classes of half the size. ``chi^lambda``
restricted to ``A_n`` is irreducible when ``lambda != lambda'`` (and equals the restriction of
``chi^lambda'``); for ``lambda = lambda'`` it splits into :math:`\\chi^\\lambda_\\pm`, equal to
:math:`\\chi^\\lambda/2` except on the two classes of cycle type :math:`h(\\lambda)` (the diagonal hook
lengths), where they are :math:`\\tfrac12(\\varepsilon \\pm \\sqrt{\\varepsilon \\prod_i h_i})`,
:math:`\\varepsilon = (-1)^{(n - d)/2}`, ``d`` the number of diagonal hooks.

Class order (the one :meth:`groupmat.FiniteGroup.conjugacy_classes` gives for the enumerated groups,
whose elements are listed in lexicographic order of their image arrays): classes sorted by their
lexicographically least element. The least permutation of cycle type ``mu`` puts the cycles on
consecutive intervals, shortest first, each as ``a -> a+1 -> ... -> a`` (a greedy argument: at each
position the cycle's start is the least free image, and closing the cycle as soon as a part allows it
is always feasible); for the second class of a split ``A_n`` type it differs only in the last three
positions (``x -> z -> y -> a`` instead of ``x -> y -> z -> a`` on the last cycle).
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from .._validation import check_positive_int, check_size
from .families import _partitions, _standard_tableaux

__all__ = ["partitions", "partition_count", "CycleTypeClasses", "cycle_type_classes", "murnaghan_nakayama_table",
           "symmetric_character_values", "alternating_character_values", "hook_length_degrees",
           "young_orthogonal_images", "hook_length_degrees_of"]

#: Largest ``n`` whose bead keys (2n bits) fit an int64; above it the keys are Python integers.
_INT_KEY_MAX = 31


def partitions(n: int) -> list:
    """The partitions of ``n`` in decreasing lexicographic order (``(n)`` first, ``(1, ..., 1)`` last).

    This is the row order of the character tables of ``S_n`` (the order of Young's irreducibles).

    Examples
    --------
    >>> from groupmat.reps.symmetric_characters import partitions
    >>> partitions(4)
    [(4,), (3, 1), (2, 2), (2, 1, 1), (1, 1, 1, 1)]
    """
    n = _check_n(n)
    return _partitions(n) if n else [()]


def partition_count(n: int) -> int:
    """The number ``p(n)`` of partitions of ``n`` (the number of classes and of irreducible characters
    of ``S_n``), by the recurrence over the largest part, without listing them.

    Examples
    --------
    >>> from groupmat.reps.symmetric_characters import partition_count
    >>> partition_count(20), partition_count(100)
    (627, 190569292)
    """
    n = _check_n(n)
    counts = [1] + [0] * n
    for part in range(1, n + 1):                 # p_k(m) = p_{k-1}(m) + p_k(m - k)
        for m in range(part, n + 1):
            counts[m] += counts[m - part]
    return counts[n]


def _check_n(n) -> int:
    if isinstance(n, (int, np.integer)) and not isinstance(n, (bool, np.bool_)) and int(n) == 0:
        return 0
    return check_positive_int(n, "n")


def _parts_array(parts: list, width: int) -> np.ndarray:
    """Partitions as rows of a zero-padded ``(p, width)`` int64 array."""
    out = np.zeros((len(parts), max(width, 1)), dtype=np.int64)
    for i, p in enumerate(parts):
        out[i, :len(p)] = p
    return out


def _conjugate(lam: tuple) -> tuple:
    return tuple(sum(1 for p in lam if p > j) for j in range(lam[0])) if lam else ()


def hook_length_degrees(n: int) -> np.ndarray:
    """The degrees ``f^lambda = n! / prod(hook lengths)`` (the number of standard Young tableaux),
    in the order of :func:`partitions`; Python integers in an object array when they exceed int64.

    Examples
    --------
    >>> from groupmat.reps.symmetric_characters import hook_length_degrees
    >>> hook_length_degrees(4).tolist()
    [1, 3, 2, 3, 1]
    """
    n = _check_n(n)
    out = []
    for lam in partitions(n):
        conj = _conjugate(lam)
        prod = 1
        for i, row in enumerate(lam):
            for j in range(row):
                prod *= (row - j - 1) + (conj[j] - i - 1) + 1       # arm + leg + 1
        out.append(math.factorial(n) // prod)
    return _int_array(out)


def _int_array(values) -> np.ndarray:
    """int64 when every value fits, else an object array of Python integers."""
    values = [int(v) for v in values]
    if all(-2**63 < v < 2**63 for v in values):
        return np.array(values, dtype=np.int64)
    out = np.empty(len(values), dtype=object)
    out[:] = values
    return out


# ------------------------------------------------------------------------------------------ classes
@dataclass
class CycleTypeClasses:
    """The conjugacy classes of ``S_n`` or ``A_n`` by cycle type, in the order of the enumerated group
    (by least element), without listing any element.

    Attributes
    ----------
    n : int
    alternating : bool
    cycle_types : list of tuple
        The cycle type (a partition, parts decreasing) of each class.
    split : ndarray of int
        ``0`` for a class of ``S_n`` (or an unsplit class of ``A_n``), ``+1``/``-1`` for the two
        halves of a split ``A_n`` class (``+1`` holds the least permutation of the type).
    permutations : ndarray, shape (r, n)
        The least element of each class (image arrays, int64).
    sizes : ndarray
        Class sizes (int64, or Python integers when ``n! >= 2^63``).
    orders : ndarray of int64
        The element order (lcm of the parts) of each class.
    """

    n: int
    alternating: bool
    cycle_types: list
    split: np.ndarray
    permutations: np.ndarray
    sizes: np.ndarray
    orders: np.ndarray
    _index: dict = field(default_factory=dict, repr=False)

    @property
    def r(self) -> int:
        """The number of classes."""
        return len(self.cycle_types)

    def index(self, cycle_type, split: int = 0) -> int:
        """The class of a cycle type (and half, for a split ``A_n`` class)."""
        key = (tuple(sorted((int(p) for p in cycle_type if p), reverse=True)), int(split))
        if key not in self._index:
            raise ValueError(f"cycle_type {key[0]} (split {split}) is not a class of "
                             f"{'A' if self.alternating else 'S'}{self.n}")
        return self._index[key]

    def power_class(self, k, t) -> np.ndarray:
        """The class of ``g_k^t`` for class indices ``k`` and integers ``t`` (broadcast).

        A cycle of length ``L`` raised to ``t`` is ``gcd(L, t)`` cycles of length ``L / gcd(L, t)``. In
        ``A_n`` a split class powers into itself or its partner: ``c^t`` is ``c`` conjugated by
        ``x -> t x`` on ``Z/L``, whose sign is the Jacobi symbol ``(t / L)`` (Zolotarev).
        """
        k, t = np.broadcast_arrays(np.asarray(k, dtype=np.int64), np.asarray(t, dtype=np.int64))
        out = np.empty(k.shape, dtype=np.int64)
        for pos in np.ndindex(k.shape):
            ci, ti = int(k[pos]), int(t[pos])
            mu = self.cycle_types[ci]
            new = []
            for L in mu:
                g = math.gcd(L, ti)
                new += [L // g] * g
            s = int(self.split[ci])
            if s:
                for L in mu:
                    s *= _jacobi(ti % L, L)
            out[pos] = self.index(new, s)
        return out

    def freeze(self) -> None:
        """Make the arrays read-only."""
        for a in (self.split, self.permutations, self.sizes, self.orders):
            a.flags.writeable = False

    @property
    def nbytes(self) -> int:
        """The bytes of the arrays."""
        return sum(int(a.nbytes) for a in (self.split, self.permutations, self.sizes, self.orders))


def _jacobi(a: int, n: int) -> int:
    """The Jacobi symbol ``(a / n)`` for odd ``n > 0`` (``1`` for ``n = 1``)."""
    a %= n
    result = 1
    while a:
        while a % 2 == 0:
            a //= 2
            if n % 8 in (3, 5):
                result = -result
        a, n = n, a
        if a % 4 == 3 and n % 4 == 3:
            result = -result
        a %= n
    return result if n == 1 else 0


def _least_permutation(mu: tuple, n: int) -> np.ndarray:
    """The lexicographically least permutation of cycle type ``mu``: cycles on consecutive intervals,
    shortest first, each ``a -> a+1 -> ... -> a``."""
    p = np.arange(1, n + 1, dtype=np.int64)          # i -> i + 1, then each cycle's last point back
    ends = np.cumsum(sorted(mu))
    p[ends - 1] = ends - np.array(sorted(mu))
    return p


def cycle_type_classes(n: int, alternating: bool = False) -> CycleTypeClasses:
    """The conjugacy classes of ``S_n`` (or ``A_n``) by cycle type, in the enumerated groups' order.

    Parameters
    ----------
    n : int
        The degree, ``n >= 1``.
    alternating : bool
        Classes of ``A_n`` (even types; types with distinct odd parts split in two, ``n >= 2``).

    Returns
    -------
    CycleTypeClasses

    Raises
    ------
    ValueError
        ``n`` is not a positive integer.

    Notes
    -----
    ``|C_mu| = n! / z_mu`` with ``z_mu = prod_k k^{m_k} m_k!`` (halved for a split ``A_n`` class); the
    classes are sorted by their least element in lexicographic order (module notes), the order of
    :meth:`groupmat.FiniteGroup.conjugacy_classes` for :func:`groupmat.symmetric` and
    :func:`groupmat.alternating`.

    Examples
    --------
    >>> from groupmat.reps.symmetric_characters import cycle_type_classes
    >>> C = cycle_type_classes(4)
    >>> C.cycle_types, C.sizes.tolist()
    ([(1, 1, 1, 1), (2, 1, 1), (3, 1), (2, 2), (4,)], [1, 6, 8, 3, 6])
    >>> A = cycle_type_classes(4, alternating=True)
    >>> A.cycle_types, A.split.tolist(), A.sizes.tolist()
    ([(1, 1, 1, 1), (3, 1), (3, 1), (2, 2)], [0, 1, -1, 0], [1, 4, 4, 3])
    """
    n = check_positive_int(n, "n")
    if not isinstance(alternating, (bool, np.bool_)):
        raise TypeError(f"alternating must be a bool, got {type(alternating).__name__}")
    check_size((partition_count(n), n), 8 * 3, f"the classes of {'A' if alternating else 'S'}{n} by cycle type")
    parts = _partitions(n)
    fact = math.factorial(n)
    types, split, perms, sizes, orders = [], [], [], [], []
    for mu in parts:
        if alternating and (n - len(mu)) % 2:
            continue
        counts = {}
        for L in mu:
            counts[L] = counts.get(L, 0) + 1
        z = 1
        for L, m in counts.items():
            z *= L ** m * math.factorial(m)
        size = fact // z
        order = math.lcm(*mu)
        p = _least_permutation(mu, n)
        if alternating and n >= 2 and len(counts) == len(mu) and all(L % 2 for L in mu):
            # a split type: the partner's least element swaps the last two images of the longest cycle
            q = p.copy()
            a = n - max(mu)
            x, y, z3 = n - 3, n - 2, n - 1
            q[x], q[y], q[z3] = z3, a, y
            for s, perm in ((1, p), (-1, q)):
                types.append(mu), split.append(s), perms.append(perm), sizes.append(size // 2), orders.append(order)
        else:
            types.append(mu), split.append(0), perms.append(p)
            sizes.append(size), orders.append(order)
    perms = np.array(perms, dtype=np.int64).reshape(len(types), n)
    # sort by the least element (lexicographic on the image arrays)
    order_ = np.lexsort(perms.T[::-1]) if n > 0 else np.arange(len(types))
    C = CycleTypeClasses(n, bool(alternating), [types[i] for i in order_],
                         np.array(split, dtype=np.int64)[order_], perms[order_],
                         _int_array([sizes[i] for i in order_]), np.array(orders, dtype=np.int64)[order_])
    C._index = {(mu, int(s)): i for i, (mu, s) in enumerate(zip(C.cycle_types, C.split.tolist()))}
    return C


# ------------------------------------------------------------------------------ Murnaghan-Nakayama
def _bead_data(parts: list, N: int):
    """Beta-sets with ``N`` beads (``beta_i = lambda_i + N - 1 - i``, decreasing) and their keys
    ``sum_i 2^beta_i`` (int64 for ``N <= 31``, else Python integers)."""
    P = _parts_array(parts, N)[:, :N]
    beta = P + (N - 1 - np.arange(N))[None, :]
    return beta, _keys(beta, N)


def _keys(beta: np.ndarray, N: int) -> np.ndarray:
    if N <= _INT_KEY_MAX:
        return np.left_shift(np.int64(1), beta).sum(axis=1)
    return np.array([sum(1 << int(b) for b in row) for row in beta], dtype=object)


def _lookup(sorted_keys: np.ndarray, order: np.ndarray, keys: np.ndarray) -> np.ndarray:
    """Positions of ``keys`` among the keys (``sorted_keys = keys_all[order]``); -1 where absent."""
    pos = np.searchsorted(sorted_keys, keys)
    pos = np.minimum(pos, len(sorted_keys) - 1)
    hit = sorted_keys[pos] == keys
    return np.where(hit, order[pos], -1)


def murnaghan_nakayama_table(n: int) -> np.ndarray:
    """The character table of ``S_n`` by the Murnaghan-Nakayama rule, rows and columns both in the
    order of :func:`partitions` (column ``mu`` is the cycle type).

    Parameters
    ----------
    n : int
        ``n >= 0``.

    Returns
    -------
    ndarray
        ``(p(n), p(n))`` exact integers: int64 while the values fit (``n <= 33``), else Python
        integers in an object array.

    Raises
    ------
    ValueError
        ``n`` is negative or not an integer.
    TooLargeError
        The tables of ``S_0 .. S_n`` would not fit under ``GROUPMAT_MAX_BYTES``.

    Notes
    -----
    ``T_m[:, mu] = B_k T_{m-k}[:, mu \\ mu_1]`` for the columns with largest part ``k = mu_1``, where
    ``B_k[lambda, nu] = (-1)^ht`` when ``lambda / nu`` is a rim hook of length ``k`` (a bead moved from
    ``b`` to a free ``b - k`` past ``ht`` beads). ``B_k`` has one entry per movable bead, so each
    product is one gather of signed rows and one scatter-add; int64 while every partial sum is below ``2^62``
    (``n sqrt(n!)`` bounds them), else Python integers.

    Examples
    --------
    >>> from groupmat.reps.symmetric_characters import murnaghan_nakayama_table
    >>> murnaghan_nakayama_table(3).tolist()      # columns: cycle types (3), (2, 1), (1, 1, 1)
    [[1, 1, 1], [-1, 0, 2], [1, -1, 1]]
    """
    n = _check_n(n)
    N = max(n, 1)
    total = sum(partition_count(m) ** 2 for m in range(n + 1))
    check_size((total,), 8 * 3, f"the Murnaghan-Nakayama tables of S0 .. S{n}")
    parts = [partitions(m) for m in range(n + 1)]
    bound = n * math.isqrt(math.factorial(n)) + n + 1          # |partial sums| <= n sqrt(n!)
    kind = np.int64 if bound < 2**62 else object
    beads = [_bead_data(p, N) for p in parts]
    sorted_keys = []
    for beta, keys in beads:
        order = np.argsort(keys, kind="stable")
        sorted_keys.append((keys[order], order))
    tables = [np.ones((1, 1), dtype=kind)]
    for m in range(1, n + 1):
        P = parts[m]
        beta, keys = beads[m]
        firsts = np.array([mu[0] for mu in P])
        T = np.zeros((len(P), len(P)), dtype=kind)
        # occupancy of the bead positions and its running count: beads at positions <= x
        occ = np.zeros((len(P), 2 * N + 1), dtype=np.int64)
        occ[np.arange(len(P))[:, None], beta] = 1
        cum = np.cumsum(occ, axis=1)
        prow = np.arange(len(P))[:, None]
        for k in np.unique(firsts).tolist():
            # B_k: move each bead b to b - k when free, sign (-1)^(beads strictly between)
            t = beta - k                                                # (p, N)
            tc = np.maximum(t, 0)
            valid = (t >= 0) & (occ[prow, tc] == 0)
            between = cum[prow, beta - 1] - cum[prow, tc]
            if N <= _INT_KEY_MAX:
                newkeys = keys[:, None] - np.left_shift(np.int64(1), beta) + np.left_shift(np.int64(1), np.maximum(t, 0))
            else:
                newkeys = np.array([[int(keys[i]) - (1 << int(beta[i, j])) + (1 << max(int(t[i, j]), 0))
                                     for j in range(N)] for i in range(len(P))], dtype=object)
            sk, so = sorted_keys[m - k]
            # the columns with largest part k, and the rests mu \ mu_1 among the partitions of m - k
            cols = np.flatnonzero(firsts == k)
            _, rest_keys = _bead_data([P[c][1:] for c in cols], N)
            sub = tables[m - k][:, _lookup(sk, so, rest_keys)]
            # T[:, cols] = B_k sub, B_k having one signed entry per movable bead: all the moves of all the
            # beads at once, a gather of rows of sub and one unbuffered scatter-add
            rows, js = np.nonzero(valid)
            target = _lookup(sk, so, newkeys[rows, js])
            sign = np.where(between[rows, js] % 2, -1, 1).astype(kind)
            acc = np.zeros((len(P), cols.size), dtype=kind)
            np.add.at(acc, rows, sign[:, None] * sub[target])
            T[:, cols] = acc
        tables.append(T)
    return tables[n]


def symmetric_character_values(n: int) -> tuple:
    """The character table of ``S_n``: rows in the order of :func:`partitions`, columns in the class
    order of :func:`cycle_type_classes` (that of ``symmetric(n).conjugacy_classes()``).

    Returns
    -------
    (values, classes)
        ``values`` exact integers (int64, or an object array of Python integers for large ``n``),
        ``classes`` a :class:`CycleTypeClasses`.

    Examples
    --------
    >>> from groupmat.reps.symmetric_characters import symmetric_character_values
    >>> values, classes = symmetric_character_values(3)
    >>> values.tolist(), classes.cycle_types
    ([[1, 1, 1], [2, 0, -1], [1, -1, 1]], [(1, 1, 1), (2, 1), (3,)])
    """
    n = check_positive_int(n, "n")
    C = cycle_type_classes(n)
    T = murnaghan_nakayama_table(n)
    col = {mu: j for j, mu in enumerate(partitions(n))}
    return T[:, [col[mu] for mu in C.cycle_types]], C


def alternating_character_values(n: int) -> tuple:
    """The character table of ``A_n`` (``n >= 2``) by restriction from ``S_n``.

    Returns
    -------
    (values, irrational, rows, classes)
        ``values`` complex ``(r, r)``; ``irrational`` the entries that are not integers, as a list of
        ``(row, column, eps, q, sigma)`` meaning ``(eps + sigma sqrt(q)) / 2`` with ``q = eps prod h``
        (every other entry is the integer ``values.real``); ``rows`` the partition and sign of each row (``(lambda, 0)`` for the
        restriction of ``chi^lambda``, ``lambda`` the earlier of ``lambda, lambda'`` in the order of
        :func:`partitions`; ``(lambda, +1 / -1)`` for the halves of a self-conjugate ``lambda``), in
        that order; ``classes`` a :class:`CycleTypeClasses` of ``A_n``.

    Raises
    ------
    ValueError
        ``n`` is not an integer ``>= 2``.

    Examples
    --------
    >>> from groupmat.reps.symmetric_characters import alternating_character_values
    >>> values, irrational, rows, classes = alternating_character_values(4)
    >>> rows, irrational[0]
    ([((4,), 0), ((3, 1), 0), ((2, 2), 1), ((2, 2), -1)], (2, 1, -1, -3, 1))
    """
    n = check_positive_int(n, "n")
    if n < 2:
        raise ValueError(f"n must be at least 2 for the restriction to A_n, got {n}")
    S, CS = symmetric_character_values(n)
    CA = cycle_type_classes(n, alternating=True)
    scol = {mu: j for j, mu in enumerate(CS.cycle_types)}
    R = S[:, [scol[mu] for mu in CA.cycle_types]]             # chi^lambda on the classes of A_n
    parts = partitions(n)
    pos = {lam: i for i, lam in enumerate(parts)}
    rows, take, halves, irrational = [], [], [], []
    for i, lam in enumerate(parts):
        conj = _conjugate(lam)
        if conj != lam:
            if pos[conj] > i:                     # chi^lambda' restricts to the same character
                rows.append((lam, 0)), take.append(i), halves.append(False)
            continue
        # self-conjugate: diagonal hooks h_j = 2 (lambda_j - j) - 1 (0-based j), eps = (-1)^((n - d) / 2)
        hooks = tuple(sorted((2 * (lam[j] - j) - 1 for j in range(len(lam)) if lam[j] > j), reverse=True))
        eps = (-1) ** ((n - len(hooks)) // 2)
        q = eps * math.prod(hooks)                        # eps prod h = 1 mod 4
        cls = [c for c, (mu, s) in enumerate(zip(CA.cycle_types, CA.split.tolist())) if s and mu == hooks]
        for sign in (1, -1):
            for c in cls:
                irrational.append((len(rows), c, eps, q, sign * int(CA.split[c])))
            rows.append((lam, sign)), take.append(i), halves.append(True)
    values = R[take].astype(float) / np.where(halves, 2.0, 1.0)[:, None]
    values = values.astype(complex)
    for i, c, eps, q, sigma in irrational:
        values[i, c] = (eps + sigma * np.sqrt(complex(q))) / 2       # (eps +- sqrt(eps prod h)) / 2
    return values, irrational, rows, CA


# ------------------------------------------------------------------------ Young's orthogonal form
def young_orthogonal_images(shape, perms) -> np.ndarray:
    """Young's orthogonal form ``Y^lambda(q)`` of any permutations of ``n = |lambda|`` points, for any
    ``n``: no group is enumerated, only the standard tableaux of ``lambda`` are listed.

    Parameters
    ----------
    shape : sequence of int
        A partition ``lambda`` (parts decreasing, positive).
    perms : array_like of int, shape (..., n)
        Image arrays ``i -> q[i]``.

    Returns
    -------
    ndarray of float64, shape (..., d, d)
        ``Y(q)`` with ``Y(a o b) = Y(a) Y(b)`` for the composition ``(a o b)(i) = a(b(i))``, orthogonal,
        ``d = f^lambda``; in groupmat's product convention (``g h`` applies ``g`` first) the
        representation of :func:`groupmat.symmetric` is ``g -> Y(perm(g)^-1)`` (the one of
        :func:`groupmat.irreps`).

    Raises
    ------
    ValueError
        ``shape`` is not a partition, or a row of ``perms`` is not a permutation of ``0..n-1``.
    TooLargeError
        The ``(..., d, d)`` result would not fit under ``GROUPMAT_MAX_BYTES``.

    Notes
    -----
    ``Y(s_i) e_T = (1/r) e_T + sqrt(1 - 1/r^2) e_{s_i T}`` for the adjacent transposition
    ``s_i = (i, i+1)``, ``r`` the axial distance of ``i+1`` from ``i`` in ``T`` (contents ``col - row``).
    A permutation is sorted by odd-even transposition rounds, all permutations at once: each swap at
    ``i`` (``q <- q o s_i``) multiplies the images that swap by ``Y(s_i)`` on the left, so after at most
    ``n`` rounds ``Y(q) = Y(s_{i_k}) ... Y(s_{i_1})``; ``Y(s_i)`` has at most two entries per row, so
    each step is ``O(d^2)`` per image (``O(n^2 d^2)`` per permutation).

    Examples
    --------
    >>> import numpy as np
    >>> from groupmat.reps.symmetric_characters import young_orthogonal_images
    >>> Y = young_orthogonal_images((2, 1), [[1, 0, 2], [1, 2, 0]])
    >>> np.round(np.trace(Y, axis1=1, axis2=2), 12).tolist()     # chi^(2,1): 0 on (0 1), -1 on a 3-cycle
    [0.0, -1.0]
    """
    lam = tuple(int(v) for v in shape) if np.ndim(shape) == 1 else None
    if not lam or any(a < b for a, b in zip(lam, lam[1:])) or lam[-1] < 1:
        raise ValueError(f"shape must be a partition (positive parts, decreasing), got {shape!r}")
    n = sum(lam)
    q = np.array(perms, dtype=np.int64, copy=True)
    if q.shape[-1:] != (n,):
        raise ValueError(f"perms must have last axis of length {n} (the size of shape {lam}), got shape {q.shape}")
    batch = q.shape[:-1]
    q = q.reshape(-1, n)
    if not np.array_equal(np.sort(q, axis=1), np.broadcast_to(np.arange(n), q.shape)):
        raise ValueError(f"every row of perms must be a permutation of 0..{n - 1}")
    d = int(hook_length_degrees_of(lam))
    check_size((q.shape[0], d, d), 8 * 2, f"Young's orthogonal form of {q.shape[0]} permutations for {list(lam)}")
    tabs = _standard_tableaux(lam)
    index = {t: k for k, t in enumerate(tabs)}
    # Y(s_i) has at most two entries per row: diag[i][t] on e_T and off[i][t] on e_{s_i T} (partner)
    diag = np.empty((max(n - 1, 0), d))
    off = np.zeros((max(n - 1, 0), d))
    partner = np.tile(np.arange(d), (max(n - 1, 0), 1))
    for i in range(n - 1):
        for t, T in enumerate(tabs):
            (r1, c1), (r2, c2) = T[i], T[i + 1]
            r = (c2 - r2) - (c1 - r1)                                     # the axial distance
            diag[i, t] = 1.0 / r
            if abs(r) > 1:
                swapped = list(T)
                swapped[i], swapped[i + 1] = T[i + 1], T[i]
                partner[i, t] = index[tuple(swapped)]
                off[i, t] = math.sqrt(1 - 1 / r**2)                       # symmetric: the same from s_i T
    M = np.broadcast_to(np.eye(d), (q.shape[0], d, d)).copy()
    rows = np.arange(q.shape[0])
    for _ in range(n):
        moved = False
        for parity in (0, 1):
            for i in range(parity, n - 1, 2):
                swap = rows[q[:, i] > q[:, i + 1]]
                if swap.size:
                    moved = True
                    q[swap, i], q[swap, i + 1] = q[swap, i + 1], q[swap, i].copy()
                    Ms = M[swap]                                          # Y(s_i) M, row by row: O(d^2)
                    M[swap] = diag[i][None, :, None] * Ms + off[i][None, :, None] * Ms[:, partner[i], :]
        if not moved:
            break
    return M.reshape(batch + (d, d))


def hook_length_degrees_of(shape) -> int:
    """The degree ``f^lambda = n! / prod(hooks)`` of one partition (a Python integer).

    Examples
    --------
    >>> from groupmat.reps.symmetric_characters import hook_length_degrees_of
    >>> hook_length_degrees_of((2, 1)), hook_length_degrees_of((3, 2)), hook_length_degrees_of((28, 2))
    (2, 5, 405)
    """
    lam = tuple(int(v) for v in shape)
    conj = _conjugate(lam)
    prod = 1
    for i, row in enumerate(lam):
        for j in range(row):
            prod *= (row - j - 1) + (conj[j] - i - 1) + 1
    return math.factorial(sum(lam)) // prod
