"""Conjugacy classes of symmetric and alternating groups by cycle type, without listing elements.

Two permutations are conjugate in ``S_n`` exactly when they have the same cycle type (a partition
``lambda`` of ``n``); the class has ``n! / z_lambda`` elements with
``z_lambda = prod_k k^{m_k} m_k!`` (``m_k`` cycles of length ``k``). In ``A_n`` an even class of
``S_n`` stays one class, except when its cycle lengths are distinct and odd: then it splits into
two ``A_n``-classes of equal size, exchanged by conjugation with any odd permutation
(for ``n >= 2``).

Order of the classes (the same as :meth:`groupmat.FiniteGroup.conjugacy_classes`, which sorts the
classes by their smallest element index): element indices are lexicographic ranks, so a class comes
at the position of its lexicographically smallest permutation. For a cycle type that is the
permutation made of consecutive cycles of increasing length, ``(0)(1)(2 3)(4 5 6)...``: choosing
each image as small as possible closes the current cycle as soon as a cycle of that length is
still needed. The second half of a split class agrees with it except on the last (longest, length
``L >= 3``) cycle ``(a a+1 ... a+L-1)``, replaced by ``(a ... a+L-3 a+L-1 a+L-2)`` (conjugate by the
transposition of its last two points, hence in the other half, and the lexicographically next
``L``-cycle).

Any other permutation group (given by generators, held by its stabiliser chain) finds its classes
as the orbits of conjugation by the generators on the listed group, without a Cayley table and
without ranking any element through the chain (:func:`conjugation_class_labels`): the conjugates of
all elements are the elements again, so one sort of their base images ranks them all.
"""
from __future__ import annotations

import math
from collections import Counter

import numpy as np

from .._validation import check_size

__all__ = ["partition_count", "partitions", "cycle_labels", "cycle_counts", "cycle_type", "cycles_of",
           "centralizer_order", "canonical_permutation",
           "split_in_alternating", "symmetric_classes", "alternating_classes", "alternating_half",
           "lexicographic_order", "conjugation_class_labels"]

#: Bytes per listed class: a cycle type, a representative of ``n`` points, a size (Python objects).
_CLASS_BYTES = 200


def partition_count(n: int) -> int:
    """The number of partitions ``p(n)`` (Euler's recurrence, exact).

    Examples
    --------
    >>> from groupmat.groups.perm_classes import partition_count
    >>> [partition_count(n) for n in range(8)], partition_count(100)
    ([1, 1, 2, 3, 5, 7, 11, 15], 190569292)
    """
    p = [1] + [0] * n
    for m in range(1, n + 1):
        total, k = 0, 1
        # p(m) = sum_k (-1)^(k+1) [p(m - k(3k-1)/2) + p(m - k(3k+1)/2)]
        while True:
            a = m - k * (3 * k - 1) // 2
            if a < 0:
                break
            b = m - k * (3 * k + 1) // 2
            term = p[a] + (p[b] if b >= 0 else 0)
            total += term if k % 2 else -term
            k += 1
        p[m] = total
    return p[n]


def partitions(n: int):
    """The partitions of ``n`` as non-increasing tuples, in decreasing lexicographic order.

    Examples
    --------
    >>> from groupmat.groups.perm_classes import partitions
    >>> list(partitions(4))
    [(4,), (3, 1), (2, 2), (2, 1, 1), (1, 1, 1, 1)]
    """
    if n == 0:
        yield ()
        return
    part = [n]
    while True:
        yield tuple(part)
        # the next partition: drop the trailing ones, decrease the last part > 1, refill
        ones = 0
        while part and part[-1] == 1:
            part.pop()
            ones += 1
        if not part:
            return
        k = part.pop() - 1
        part.append(k)
        rest = ones + 1
        while rest:
            take = min(k, rest)
            part.append(take)
            rest -= take


def cycle_labels(perms) -> np.ndarray:
    """For image arrays ``perms`` (shape ``(..., d)``), the smallest point of the cycle of each point.

    Pointer doubling: after ``k`` rounds of ``m <- min(m, m o f)``, ``f <- f o f`` (starting from
    ``m = id``, ``f = p``) ``m[i]`` is the least of ``i, p(i), ..., p^(2^k - 1)(i)``, so
    ``ceil(log2 d)`` vectorised rounds cover every cycle.

    Examples
    --------
    >>> from groupmat.groups.perm_classes import cycle_labels
    >>> cycle_labels([2, 3, 0, 4, 1]).tolist()
    [0, 1, 0, 1, 1]
    """
    f = np.asarray(perms, dtype=np.int64)
    d = f.shape[-1]
    m = np.broadcast_to(np.arange(d, dtype=np.int64), f.shape).copy()
    for _ in range(max(1, int(d - 1).bit_length())):
        m = np.minimum(m, np.take_along_axis(m, f, axis=-1))
        f = np.take_along_axis(f, f, axis=-1)
    return m


def cycle_counts(perms) -> np.ndarray:
    """The number of cycles (fixed points included) of each image array in ``perms``.

    Examples
    --------
    >>> from groupmat.groups.perm_classes import cycle_counts
    >>> cycle_counts([[1, 0, 2], [1, 2, 0]]).tolist()
    [2, 1]
    """
    m = cycle_labels(perms)
    return (m == np.arange(m.shape[-1])).sum(axis=-1)


def cycle_type(p) -> tuple[int, ...]:
    """The cycle type of one permutation (image array), as a non-increasing tuple of lengths.

    Examples
    --------
    >>> from groupmat.groups.perm_classes import cycle_type
    >>> cycle_type([1, 2, 0, 4, 3, 5])
    (3, 2, 1)
    """
    m = cycle_labels(np.asarray(p, dtype=np.int64))
    return tuple(sorted(np.bincount(m)[np.unique(m)].tolist(), reverse=True))


def cycles_of(p) -> list[list[int]]:
    """The cycles of one permutation (image array), each read from its smallest point ``s`` as
    ``[s, p(s), p(p(s)), ...]``, in increasing order of that point (fixed points included).

    Examples
    --------
    >>> from groupmat.groups.perm_classes import cycles_of
    >>> cycles_of([1, 2, 0, 4, 3, 5])
    [[0, 1, 2], [3, 4], [5]]

    Raises
    ------
    ValueError
        ``p`` is not a 1-d integer permutation of ``0..len(p)-1``.
    """
    arr = np.asarray(p)
    if arr.ndim != 1 or arr.dtype.kind not in "iu" or not np.array_equal(np.sort(arr), np.arange(arr.size)):
        raise ValueError(f"p must be a 1-d integer image array, a permutation of 0..{arr.size - 1}, got "
                         f"{str(arr.tolist())[:80]}")
    p = arr.tolist()
    seen = [False] * len(p)
    out = []
    for s in range(len(p)):
        if seen[s]:
            continue
        cyc = [s]
        seen[s] = True
        x = p[s]
        while x != s:
            cyc.append(x)
            seen[x] = True
            x = p[x]
        out.append(cyc)
    return out


def centralizer_order(shape) -> int:
    """``z_lambda = prod_k k^{m_k} m_k!``, the order of the centraliser in ``S_n`` of a permutation
    of cycle type ``shape``.

    Examples
    --------
    >>> from groupmat.groups.perm_classes import centralizer_order
    >>> centralizer_order((2, 2)), centralizer_order((3, 1))
    (8, 3)
    """
    out = 1
    for k, m in Counter(shape).items():
        out *= k ** m * math.factorial(m)
    return out


def canonical_permutation(shape, degree: int | None = None, offset: int = 0) -> np.ndarray:
    """The lexicographically smallest permutation of cycle type ``shape``: consecutive cycles of
    increasing length (fixed points first), on the points ``offset..``, fixing the rest of
    ``0..degree-1``.

    Examples
    --------
    >>> from groupmat.groups.perm_classes import canonical_permutation
    >>> canonical_permutation((3, 1)).tolist()
    [0, 2, 3, 1]
    """
    n = sum(shape)
    d = n + offset if degree is None else degree
    p = np.arange(d, dtype=np.int64)
    a = offset
    for L in sorted(shape):
        if L > 1:
            p[a:a + L] = np.r_[np.arange(a + 1, a + L), a]
        a += L
    return p


def split_in_alternating(shape) -> bool:
    """True when the ``S_n``-class of cycle type ``shape`` splits into two ``A_n``-classes: distinct
    odd cycle lengths and ``n >= 2``.

    Examples
    --------
    >>> from groupmat.groups.perm_classes import split_in_alternating
    >>> split_in_alternating((3, 1)), split_in_alternating((2, 2)), split_in_alternating((5,))
    (True, False, True)
    """
    return sum(shape) >= 2 and len(set(shape)) == len(shape) and all(k % 2 for k in shape)


def _is_even(shape) -> bool:
    return sum(k - 1 for k in shape) % 2 == 0


def _second_half(shape, degree: int | None = None, offset: int = 0) -> np.ndarray:
    """The lexicographically smallest permutation of the other ``A_n``-half of a split class: the last
    (longest) cycle ``(a .. a+L-1)`` with its last two points exchanged."""
    p = canonical_permutation(shape, degree, offset)
    n = sum(shape)
    L = max(shape)
    a = offset + n - L
    # (a ... a+L-3 a+L-1 a+L-2): a+L-3 -> a+L-1 -> a+L-2 -> a
    p[a + L - 3], p[a + L - 1], p[a + L - 2] = a + L - 1, a + L - 2, a
    return p


def _check_listing(n: int, what: str) -> None:
    count = partition_count(n)
    check_size((count, max(n, 1)), _CLASS_BYTES // 8 + 8, what,
               how="ask for the class of one permutation (cycle_type), or use a smaller degree")


def symmetric_classes(n: int, support=None, degree: int | None = None) -> list[tuple]:
    """The classes of ``S_n`` (on ``support``, default ``0..n-1``, inside ``degree`` points):
    ``(cycle type, representative, size)`` in the order of their smallest element index.

    Examples
    --------
    >>> from groupmat.groups.perm_classes import symmetric_classes
    >>> [(t, r.tolist(), s) for t, r, s in symmetric_classes(3)]
    [((1, 1, 1), [0, 1, 2], 1), ((2, 1), [0, 2, 1], 3), ((3,), [1, 2, 0], 2)]
    """
    _check_listing(n, f"the conjugacy classes of S{n} (one per partition of {n})")
    fact = math.factorial(n)
    out = []
    for shape in partitions(n):
        rep = _place(canonical_permutation(shape), support, degree)
        out.append((shape, rep, fact // centralizer_order(shape)))
    out.sort(key=lambda c: c[1].tolist())
    return out


def alternating_classes(n: int, support=None, degree: int | None = None) -> list[tuple]:
    """The classes of ``A_n``: ``(cycle type, half, representative, size)`` where ``half`` is 0 for an
    unsplit class and 0/1 for the two halves of a split one (half 0 holds the canonical permutation),
    in the order of their smallest element index.

    Examples
    --------
    >>> from groupmat.groups.perm_classes import alternating_classes
    >>> [(t, h, r.tolist(), s) for t, h, r, s in alternating_classes(4)]     # doctest: +NORMALIZE_WHITESPACE
    [((1, 1, 1, 1), 0, [0, 1, 2, 3], 1), ((3, 1), 0, [0, 2, 3, 1], 4), ((3, 1), 1, [0, 3, 1, 2], 4),
     ((2, 2), 0, [1, 0, 3, 2], 3)]
    """
    _check_listing(n, f"the conjugacy classes of A{n} (one or two per even partition of {n})")
    fact = math.factorial(n)
    out = []
    for shape in partitions(n):
        if not _is_even(shape):
            continue
        size = fact // centralizer_order(shape)
        if split_in_alternating(shape) and n > 1:
            out.append((shape, 0, _place(canonical_permutation(shape), support, degree), size // 2))
            out.append((shape, 1, _place(_second_half(shape), support, degree), size // 2))
        else:
            out.append((shape, 0, _place(canonical_permutation(shape), support, degree), size))
    out.sort(key=lambda c: c[2].tolist())
    return out


def _place(p: np.ndarray, support, degree) -> np.ndarray:
    """A permutation of ``0..m-1`` carried to the sorted points ``support`` of ``0..degree-1``."""
    if support is None:
        return p
    support = np.asarray(support, dtype=np.int64)
    out = np.arange(degree, dtype=np.int64)
    out[support] = support[p]
    return out


def alternating_half(p, shape=None) -> int:
    """Which half (0 or 1) of its split ``A_n``-class an even permutation of ``0..n-1`` lies in
    (0 for unsplit classes): the parity of a ``pi`` with ``p = pi sigma pi^{-1}``-style alignment,
    ``pi`` mapping the cycles of the canonical ``sigma`` onto those of ``p``.

    Notes
    -----
    With distinct odd cycle lengths the centraliser of ``p`` is generated by its cycles (odd
    length, so even permutations); hence the parity of the aligning ``pi`` does not depend on the
    choice, and ``p`` is ``A_n``-conjugate to ``sigma`` exactly when ``pi`` is even.

    Examples
    --------
    >>> from groupmat.groups.perm_classes import alternating_half
    >>> alternating_half([0, 2, 3, 1]), alternating_half([0, 3, 1, 2])
    (0, 1)
    """
    p = np.asarray(p, dtype=np.int64)
    shape = cycle_type(p) if shape is None else shape
    if not split_in_alternating(shape):
        return 0
    n = p.size
    # the cycles of p, each from its smallest point, keyed by length (lengths are distinct)
    cycles = {len(cyc): cyc for cyc in cycles_of(p)}
    # pi maps the canonical cycle (a, a+1, ..., a+L-1) onto p's cycle of length L, point by point
    pi = np.empty(n, dtype=np.int64)
    a = 0
    for L in sorted(shape):
        pi[a:a + L] = cycles[L]
        a += L
    return _parity_of(pi)


def _parity_of(p: np.ndarray) -> int:
    """0 for an even permutation, 1 for an odd one (``n`` minus the number of cycles)."""
    return int(p.size - cycle_counts(p)) % 2


# ---------------------------------------------------------------------- classes of any listed group
def lexicographic_order(cols: np.ndarray, degree: int) -> np.ndarray:
    """The permutation sorting rows of points (``cols``, shape ``(n, m)``, entries below ``degree``)
    lexicographically: ``cols[order]`` is sorted, column 0 the most significant.

    Rows are encoded as base-``degree`` integers when ``degree^m < 2^62`` (one int64 argsort), else
    sorted column by column (``np.lexsort``).

    Examples
    --------
    >>> import numpy as np
    >>> from groupmat.groups.perm_classes import lexicographic_order
    >>> lexicographic_order(np.array([[2, 0], [0, 3], [0, 1]]), 4).tolist()
    [2, 1, 0]
    """
    cols = np.asarray(cols)
    n, m = cols.shape
    if m == 0:
        return np.arange(n, dtype=np.int64)
    return _order_of_columns([cols[:, j] for j in range(m)], degree)


def _order_of_columns(columns: list, degree: int) -> np.ndarray:
    """:func:`lexicographic_order` of the rows whose columns are ``columns`` (1-D arrays)."""
    if degree ** len(columns) < 2**62:
        key = np.zeros(columns[0].shape, dtype=np.int64)
        for c in columns:                                      # Horner: key = key * degree + c
            key *= degree
            key += c
        return np.argsort(key)                                 # distinct keys: any sort is the order
    return np.lexsort(columns[::-1])


def conjugation_class_labels(perms: np.ndarray, base, generators) -> np.ndarray:
    """The conjugacy class of every element of a listed permutation group, numbered by smallest member.

    Parameters
    ----------
    perms : ndarray, shape (n, degree)
        All elements of a group ``G`` as image arrays, sorted lexicographically (row ``i`` is element
        ``i``, as :attr:`~groupmat.groups.PermutationGroup.perms`).
    base : sequence of int
        A base of ``G`` whose lexicographic order of images agrees with that of the whole rows: the
        base of the stabiliser chain along ``0, 1, ..., degree-1`` (every point not in the base is
        fixed by the stabiliser of the base points before it, so its image follows from theirs).
    generators : array_like, shape (k, degree)
        Generating permutations of ``G``.

    Returns
    -------
    ndarray of int64, shape (n,)
        ``labels[i] = j`` when element ``i`` lies in the ``j``-th class, the classes ordered by their
        smallest element index (so ``labels[0] = 0``, the identity's class).

    Raises
    ------
    ValueError
        ``perms`` not a 2-D array of rows of the generators' degree, or ``base`` not points.

    Notes
    -----
    A class is an orbit of ``G`` acting on itself by conjugation, and the orbits of a group are those
    of its generators: the components of the graph ``g -- s^-1 g s``. No Cayley table and no search:

    1. the conjugate ``c = s^-1 g s`` has images ``c(b) = s(g(s^-1(b)))``; only its base images
       are formed (``n x |base|`` gathers);
    2. ``g -> s^-1 g s`` is a bijection of ``G``, so the conjugates of all rows are the rows again in
       another order: ``sigma_s = argsort(key(conjugates))^-1`` is the index of each conjugate
       (ranks by one sort, ``O(n log n)``);
    3. the orbits of the permutations ``sigma_s`` by union-find on whole arrays (hook the larger root
       onto the smaller, jump pointers; a few rounds), so each orbit's root is its smallest member.

    Work ``O(n k (|base| + log n))`` plus a few ``O(n k)`` rounds, memory about ``k (4 + |base|) + 40``
    bytes per element beyond the listing.

    Examples
    --------
    >>> import groupmat as gm
    >>> from groupmat.groups.perm_classes import conjugation_class_labels
    >>> S = gm.symmetric(3)
    >>> conjugation_class_labels(S.perms, S.base, S.generator_permutations).tolist()
    [0, 1, 1, 2, 2, 1]
    """
    gens = np.asarray(generators, dtype=np.int64)
    perms = np.asarray(perms)
    if gens.ndim != 2:
        raise ValueError(f"generators must be a (k, degree) array of image arrays, got shape {gens.shape}")
    d = gens.shape[1]
    if perms.ndim != 2 or perms.shape[1] != d or perms.shape[0] == 0:
        raise ValueError(f"perms must be a non-empty (n, {d}) array of image arrays (the listed group), got "
                         f"shape {perms.shape}")
    base = np.asarray(base, dtype=np.int64).reshape(-1)
    if base.size and (base.min() < 0 or base.max() >= d):
        raise ValueError(f"base must hold points 0..{d - 1}, got {base.tolist()}")
    n = perms.shape[0]
    gens = gens[(gens != np.arange(d)).any(axis=1)]             # the identity adds no edge
    if gens.shape[0] == 0 or n == 1:
        return np.zeros(n, dtype=np.int64)
    itype = np.int32 if n < 2**31 else np.int64
    small = perms.dtype
    needed = np.unique(np.concatenate([np.argsort(s)[base] for s in gens]))
    columns = {int(c): np.ascontiguousarray(perms[:, c]) for c in needed}     # g(x) for the points x used
    ranks = np.arange(n, dtype=itype)
    sigmas = []
    for s in gens:
        s_inv = np.argsort(s)
        s_small = s.astype(small)
        # images of the base points under s^-1 g s: s(g(s^-1(b)))
        order = _order_of_columns([s_small[columns[int(s_inv[b])]] for b in base], d)
        sigma = np.empty(n, dtype=itype)
        sigma[order] = ranks                                      # sigma_s: the rank of each conjugate
        sigmas.append(sigma)
    del columns, order
    root = _orbit_minima(sigmas, ranks)
    is_root = root == ranks
    number = np.cumsum(is_root, dtype=np.int64) - 1               # class number of each root, by index
    return number[root]


def _orbit_minima(sigmas: list, ranks: np.ndarray) -> np.ndarray:
    """For permutations ``sigmas`` of ``0..n-1``, the smallest point of the orbit of every point under
    the group they generate (union-find on whole arrays).

    Each round hooks, for every edge ``i -- sigma(i)``, the larger of the two roots onto the smaller
    (simultaneous writes to one root keep one of them: the others wait for the next round), then
    compresses the forest by pointer jumping (``parent <- parent[parent]``) until every point points
    to its root. Parents only decrease and stay in the orbit, so the final roots are the orbit minima;
    a round without a hook means every edge joins equal roots: the orbits are found."""
    parent = ranks.copy()
    while True:
        hooked = False
        for sigma in sigmas:
            other = parent[sigma]                   # the root of sigma(i); parent[i] is the root of i
            hi = np.maximum(parent, other)
            lo = np.minimum(parent, other)
            join = hi != lo
            if join.any():
                hooked = True
                parent[hi[join]] = lo[join]
            while True:                             # pointer jumping to the roots
                jumped = parent[parent]
                if np.array_equal(jumped, parent):
                    break
                parent = jumped
        if not hooked:
            return parent
