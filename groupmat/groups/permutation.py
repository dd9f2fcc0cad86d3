"""Permutation groups: symmetric, alternating, closures of generators, and the SymPy bridge.

Conventions (the same as SymPy's and GAP's): a permutation ``p`` of ``0..d-1`` is the array of
images, ``i -> p[i]``, and the product ``g h`` applies ``g`` first, then ``h``:
``perm(g h) = perm(h)[perm(g)]``. Elements are stored as a ``(n, d)`` array of images, sorted
lexicographically (so the identity is element 0); ``mul`` composes rows and finds the result by a
binary search over integer keys, so no ``n x n`` table is built.
"""
from __future__ import annotations

import math

import numpy as np

from .._validation import TooLargeError, check_group_order, check_positive_int, check_size
from .core import FiniteGroup
from .structure import GroupStructure

__all__ = ["PermutationGroup", "symmetric", "alternating", "from_permutations", "from_sympy",
           "cycle_notation"]


def cycle_notation(p) -> str:
    """Cycle notation of a permutation array, fixed points omitted; ``"()"`` for the identity.

    Parameters
    ----------
    p : array_like of int, or sympy.combinatorics.Permutation
        An image array: ``i -> p[i]``, a permutation of ``0..len(p)-1``.

    Returns
    -------
    str
        Disjoint cycles, each starting at its smallest point, in order of those points.

    Raises
    ------
    TypeError
        ``p`` does not hold integers (floats, booleans, strings, ...).
    ValueError
        ``p`` is not 1-D, or not a permutation (an image out of range, or repeated).

    Examples
    --------
    >>> from groupmat.groups import cycle_notation
    >>> cycle_notation([1, 2, 0, 3])
    '(0 1 2)'
    >>> cycle_notation([1, 1, 0])
    Traceback (most recent call last):
    ...
    ValueError: p must be a permutation of 0..2 (each image exactly once), but 1 is the image of both 0 and 1
    """
    if hasattr(p, "array_form"):
        p = p.array_form
    try:
        arr = np.asarray(p)
    except ValueError:
        raise ValueError("p must be a 1-D image array (a permutation of 0..d-1); its entries have different "
                         "shapes") from None
    if arr.size == 0 and arr.ndim == 1:                     # [] is the permutation of no points
        arr = arr.astype(np.int64)
    if arr.dtype == object:
        try:
            arr = arr.astype(np.int64) if all(isinstance(x, (int, np.integer)) and not isinstance(x, bool)
                                               for x in arr.flat) else arr
        except OverflowError:
            raise ValueError("p must be a permutation of 0..d-1, got an integer too large for int64") from None
    if arr.dtype.kind not in "iu":
        raise TypeError(f"p must be an integer image array (a permutation of 0..d-1), got dtype {arr.dtype}")
    if arr.ndim != 1:
        raise ValueError(f"p must be a 1-D image array (a permutation of 0..d-1), got shape {arr.shape}")
    d = arr.size
    arr = arr.astype(np.int64, copy=False)
    if d and (arr.min() < 0 or arr.max() >= d):
        i = int(np.flatnonzero((arr < 0) | (arr >= d))[0])
        raise ValueError(f"p must be a permutation of 0..{d - 1}, but p[{i}] = {int(arr[i])} is out of range")
    values, counts = np.unique(arr, return_counts=True)
    if values.size != d:
        v = int(values[counts > 1][0])
        i, j = np.flatnonzero(arr == v)[:2]
        raise ValueError(f"p must be a permutation of 0..{d - 1} (each image exactly once), but {v} is "
                         f"the image of both {int(i)} and {int(j)}")
    return _cycles(arr.tolist())


def _cycles(p: list) -> str:
    """Cycle notation of a valid image list (unchecked: the labels of a permutation group)."""
    seen = [False] * len(p)
    cycles = []
    for i in range(len(p)):
        if seen[i] or p[i] == i:
            seen[i] = True
            continue
        cyc = []
        j = i
        while not seen[j]:
            seen[j] = True
            cyc.append(j)
            j = p[j]
        cycles.append("(" + " ".join(map(str, cyc)) + ")")
    return "".join(cycles) or "()"


def _parse_cycles(label: str, degree: int) -> np.ndarray | None:
    text = label.replace(",", " ").strip()
    if text in ("()", "e", ""):
        return np.arange(degree)
    if not (text.startswith("(") and text.endswith(")")):
        return None
    p = np.arange(degree)
    for chunk in text[1:-1].split(")("):
        try:
            points = [int(x) for x in chunk.split()]
        except ValueError:
            return None
        if any(x < 0 or x >= degree for x in points) or len(set(points)) != len(points):
            return None
        for a, b in zip(points, points[1:] + points[:1]):
            p[a] = b
    return p


class PermutationGroup(FiniteGroup):
    """A group of permutations of ``0..degree-1``, elements sorted lexicographically by image array.

    Built by :func:`symmetric`, :func:`alternating`, :func:`from_permutations` and :func:`from_sympy`.

    Parameters
    ----------
    perms : ndarray of int, shape (n, degree)
        The image arrays of all elements, sorted lexicographically (the identity first); not
        checked to be closed under products.
    generators : sequence of int
        Indices of a generating set.
    name : str

    Examples
    --------
    >>> import numpy as np, groupmat as gm
    >>> G = gm.groups.PermutationGroup(np.array([[0, 1, 2], [1, 2, 0], [2, 0, 1]]), (1,), "C3 on 3 points")
    >>> G.order, G.label(1), G.mul(1, 1), G.permutation(2).tolist()
    (3, '(0 1 2)', 2, [2, 0, 1])
    """

    def __init__(self, perms: np.ndarray, generators, name: str, structure: GroupStructure | None = None):
        perms = np.array(perms)                     # a copy: it is made read-only below
        self.degree = perms.shape[1]
        self.perms = perms
        self.perms.setflags(write=False)
        self._keys = self._encode(perms)
        super().__init__(perms.shape[0], 0, generators, lambda: [_cycles(row.tolist()) for row in self.perms], name,
                         structure or GroupStructure("permutation"))

    def _label_of(self, i: int):
        return _cycles(self.perms[i].tolist())

    def _mul_nbytes(self) -> int:
        # two gathered image rows, their intp copy, the composition, its key and the search
        return 12 * self.degree + 16

    def _encode(self, perms: np.ndarray) -> np.ndarray:
        """An order-preserving integer key per permutation (base-``degree`` digits), or a byte key.

        The integer key is summed column by column: two int64 arrays per row, never an int64 copy
        of the whole ``(rows, degree)`` array."""
        d = self.degree if hasattr(self, "degree") else perms.shape[-1]
        if d ** d < 2**62:
            keys = np.zeros(perms.shape[:-1], dtype=np.int64)
            for j in range(d):
                keys += perms[..., j].astype(np.int64) * (d ** (d - 1 - j))
            return keys
        arr = np.ascontiguousarray(perms.astype(">u2"))
        return arr.view(np.dtype((np.void, arr.dtype.itemsize * d))).reshape(perms.shape[:-1])

    def index_of(self, perms) -> np.ndarray:
        """Element indices of permutation arrays (shape ``(..., degree)``); ValueError if not members.

        Examples
        --------
        >>> import groupmat as gm
        >>> gm.symmetric(3).index_of([[0, 1, 2], [2, 0, 1]]).tolist()
        [0, 4]
        """
        perms = np.asarray(perms)
        if perms.shape[-1:] != (self.degree,):
            raise ValueError(f"perms must have last axis of length {self.degree}, got shape {perms.shape}")
        keys = self._encode(perms)
        idx = np.searchsorted(self._keys, keys)
        idx = np.minimum(idx, self.order - 1)
        if not np.all(self._keys[idx] == keys):
            raise ValueError("perms holds a permutation that is not an element of this group")
        return idx.astype(np.int64)

    def _mul(self, a, b):
        a, b = np.broadcast_arrays(a, b)
        pa, pb = self.perms[a], self.perms[b]
        composed = np.take_along_axis(pb, pa.astype(np.intp), axis=-1)  # apply a first, then b
        return self.index_of(composed)

    def _inv(self, a):
        pa = self.perms[a]
        inv = np.empty_like(pa)
        np.put_along_axis(inv, pa.astype(np.intp), np.broadcast_to(np.arange(self.degree, dtype=pa.dtype), pa.shape), axis=-1)
        return self.index_of(inv)

    def _element_of(self, label):
        """Cycle notation (``"(0 1 2)(3 4)"``, ``"()"``) or an image array, read at any order."""
        if isinstance(label, str):
            p = _parse_cycles(label, self.degree) if len(label) <= 20 * self.degree + 20 else None
            if p is None:
                return None
            try:
                return int(self.index_of(p))
            except ValueError:
                return None
        if isinstance(label, (list, tuple, np.ndarray)) and len(label) == self.degree:
            return int(self.index_of(np.asarray(label)))
        return None

    def permutation(self, g) -> np.ndarray:
        """The image array of element ``g``.

        Examples
        --------
        >>> import groupmat as gm
        >>> gm.symmetric(3).permutation(3).tolist()
        [1, 2, 0]
        """
        return self.perms[int(g)].astype(np.int64)

    def to_sympy(self):
        """The SymPy ``PermutationGroup`` on the same points with the same generators."""
        from sympy.combinatorics import Permutation
        from sympy.combinatorics import PermutationGroup as SymPyPermutationGroup

        gens = self.generators or (0,)
        return SymPyPermutationGroup([Permutation(self.perms[g].tolist()) for g in gens])


def _closure(generators: np.ndarray, max_order: int | None = None) -> np.ndarray:
    """All products of the generator permutations, breadth-first and vectorised; sorted by key."""
    d = generators.shape[1]
    dt = np.uint8 if d <= 256 else np.uint16 if d <= 65536 else np.int64
    gens = generators.astype(dt)
    helper = PermutationGroup.__new__(PermutationGroup)
    helper.degree = d
    identity = np.arange(d, dtype=dt)[None, :]
    elements = [identity]
    keys = helper._encode(identity)
    frontier = identity
    total = 1
    itemsize = np.dtype(dt).itemsize
    while frontier.shape[0]:
        # the elements so far and this level's products: image rows (twice: gathered and kept), keys
        rows = total + frontier.shape[0] * gens.shape[0]
        check_size((rows,), 2 * d * itemsize + 40, "the elements of the group generated by the permutations",
                   how="pass generators of a smaller group, or lower max_order to stop earlier")
        # frontier x generators: apply frontier element first, then the generator
        products = gens[np.arange(gens.shape[0])[None, :, None], frontier[:, None, :]].reshape(-1, d)
        pkeys = helper._encode(products)
        pkeys, first = np.unique(pkeys, return_index=True)
        products = products[first]
        fresh = ~np.isin(pkeys, keys)
        frontier = products[fresh]
        if frontier.shape[0]:
            elements.append(frontier)
            keys = np.concatenate([keys, pkeys[fresh]])
            total += frontier.shape[0]
            if max_order is not None and total > max_order:
                raise ValueError(f"the generated group has more than {max_order} elements (max_order)")
    perms = np.concatenate(elements)
    order = np.argsort(keys, kind="stable")
    return perms[order]


def from_permutations(generators, degree: int | None = None, name: str | None = None,
                      max_order: int | None = 10**6) -> PermutationGroup:
    """The group generated by permutations, elements found by a vectorised closure.

    Parameters
    ----------
    generators : sequence of permutations
        Each an image array ``p`` (``i -> p[i]``) of the points ``0..degree-1``, or a
        ``sympy.combinatorics.Permutation``. Products apply the left factor first (SymPy's and
        GAP's convention): ``perm(g h) = perm(h)[perm(g)]``.
    degree : int, optional
        Number of points; by default the length of the longest generator (shorter ones are
        extended by fixed points).
    name : str, optional
    max_order : int or None
        Refuse to enumerate more elements than this (default one million).

    Returns
    -------
    PermutationGroup
        Elements sorted lexicographically by image array (the identity first); labels in cycle
        notation; ``G.perms[g]`` is the image array of element ``g``.

    Examples
    --------
    >>> import groupmat as gm
    >>> G = gm.from_permutations([[1, 2, 3, 0], [3, 2, 1, 0]])   # the square's symmetries
    >>> G.order, G.is_isomorphic_candidate(gm.dihedral(4))
    (8, True)
    >>> G.label(G.generators[0])
    '(0 1 2 3)'
    """
    if isinstance(generators, (str, bytes)) or not hasattr(generators, "__iter__"):
        raise TypeError("generators must be a sequence of permutations (image arrays or sympy Permutations), "
                        f"got {type(generators).__name__}")
    gens = []
    for i, g in enumerate(generators):
        if hasattr(g, "array_form"):
            g = g.array_form
        try:
            arr = np.asarray(g)
        except ValueError:
            arr = np.asarray(g, dtype=object)
        if arr.ndim != 1 or arr.dtype.kind not in "iu":
            raise TypeError(f"generators[{i}] must be a 1-d integer image array or a sympy Permutation, got {g!r}")
        gens.append(arr.astype(np.int64))
    if not gens:
        raise ValueError("generators must hold at least one permutation")
    d = max(len(g) for g in gens) if degree is None else check_positive_int(degree, "degree")
    if d < 1:
        raise ValueError("generators must permute at least one point (got only empty arrays); "
                         "pass degree=1 for the trivial group")
    full = np.tile(np.arange(d), (len(gens), 1))
    for i, g in enumerate(gens):
        if len(g) > d:
            raise ValueError(f"generators[{i}] has {len(g)} points, more than degree={d}")
        if sorted(g.tolist()) != list(range(len(g))):
            raise ValueError(f"generators[{i}] is not a permutation of 0..{len(g) - 1}: {g.tolist()}")
        full[i, : len(g)] = g
    perms = _closure(full, max_order)
    G = PermutationGroup(perms, (), name or f"<{len(gens)} perms on {d} points>")
    G.generators = tuple(int(x) for x in G.index_of(full))
    return G


def _lexicographic_permutations(n: int) -> np.ndarray:
    """All permutations of ``0..n-1`` as rows of a ``(n!, n)`` uint8 array, in lexicographic order.

    Built from those of ``n - 1`` points: the block with first entry ``f`` is ``f`` followed by
    ``rest_f[P_(n-1)]``, where ``rest_f`` is ``0..n-1`` without ``f`` (increasing, so the order is kept).
    """
    perms = np.zeros((1, 0), dtype=np.uint8)
    for m in range(1, n + 1):
        points = np.arange(m, dtype=np.uint8)
        blocks = []
        for f in range(m):
            rest = np.delete(points, f)
            blocks.append(np.hstack([np.full((perms.shape[0], 1), f, dtype=np.uint8), rest[perms]]))
        perms = np.vstack(blocks)
    return perms


def _parity(perms: np.ndarray) -> np.ndarray:
    """The parity (0 even, 1 odd) of each row of a permutation array, by counting inversions."""
    d = perms.shape[1]
    inversions = np.zeros(perms.shape[0], dtype=np.int64)
    for i in range(d - 1):
        inversions += (perms[:, i, None] > perms[:, i + 1:]).sum(axis=1)
    return inversions % 2


def _check_all_permutations(n: int, what: str) -> None:
    """Ask the budget before listing all ``n!`` permutations of ``n`` points: the blocks and their
    stacked copy, the group's own copy (``3 n`` bytes per permutation) and the search keys with their
    temporaries (24 bytes). ``n!`` itself is not computed for absurd ``n``."""
    how = "use a smaller degree, or from_permutations with generators of a smaller group"
    if n > 1000:                                 # 1000! already has 2568 digits; n! is never computed
        raise TooLargeError(f"{what} ({n}! entries, more than 10^2567) would take far more than any memory, "
                            f"over the limit; {how}")
    count = math.factorial(n)
    check_size((count,), 3 * n + 24, what, how=how)
    check_group_order(count, f"the order of S{n}")


def symmetric(n: int) -> PermutationGroup:
    """The symmetric group ``S_n`` of all permutations of ``0..n-1``.

    Elements are in lexicographic order of their image arrays (``itertools.permutations`` order), so
    the identity is element 0; labels are in cycle notation; generators are the transposition
    ``(0 1)`` and the ``n``-cycle ``(0 1 ... n-1)``. Products apply the left factor first:
    ``perm(g h) = perm(h)[perm(g)]``.

    Parameters
    ----------
    n : int
        The number of points, ``n >= 1``.

    Returns
    -------
    PermutationGroup
        Of order ``n!``.

    Raises
    ------
    TooLargeError
        When the ``n!`` image arrays would not fit under ``GROUPMAT_MAX_BYTES``.

    Examples
    --------
    >>> import groupmat as gm
    >>> S3 = gm.symmetric(3)
    >>> S3.labels
    ['()', '(1 2)', '(0 1)', '(0 1 2)', '(0 2 1)', '(0 2)']
    >>> S3.label(S3.mul(S3.element("(0 1)"), S3.element("(1 2)")))
    '(0 2 1)'
    """
    n = check_positive_int(n, "n")
    _check_all_permutations(n, f"the elements of S{n} (image arrays and search keys)")
    perms = _lexicographic_permutations(n)
    G = PermutationGroup(perms, (), f"S{n}", GroupStructure("symmetric", (n,)))
    gens = []
    if n >= 2:
        gens.append(np.r_[1, 0, np.arange(2, n)])
    if n >= 3:
        gens.append(np.roll(np.arange(n), -1))
    G.generators = tuple(int(x) for x in G.index_of(np.array(gens).reshape(-1, n))) if gens else ()
    return G


def alternating(n: int) -> PermutationGroup:
    """The alternating group ``A_n`` of even permutations of ``0..n-1``.

    Elements in lexicographic order (the identity first), labels in cycle notation, generated by the
    3-cycles ``(0 1 k)``.

    Parameters
    ----------
    n : int
        The number of points, ``n >= 1``.

    Returns
    -------
    PermutationGroup
        Of order ``n!/2`` (order 1 for ``n <= 2``).

    Raises
    ------
    TooLargeError
        When the ``n!`` image arrays would not fit under ``GROUPMAT_MAX_BYTES``.

    Examples
    --------
    >>> import groupmat as gm
    >>> A4 = gm.alternating(4)
    >>> A4.order, sorted(len(c) for c in A4.conjugacy_classes())
    (12, [1, 3, 4, 4])
    """
    n = check_positive_int(n, "n")
    _check_all_permutations(n, f"the elements of S{n} (image arrays and search keys), filtered to A{n}")
    perms = _lexicographic_permutations(n)
    perms = perms[_parity(perms) == 0]
    G = PermutationGroup(perms, (), f"A{n}", GroupStructure("alternating", (n,)))
    cycles = []
    for k in range(2, n):
        p = np.arange(n)
        p[0], p[1], p[k] = 1, k, 0  # the 3-cycle (0 1 k)
        cycles.append(p)
    G.generators = tuple(int(x) for x in G.index_of(np.array(cycles).reshape(-1, n))) if cycles else ()
    return G


def from_sympy(group) -> PermutationGroup:
    """A :class:`PermutationGroup` from a ``sympy.combinatorics.PermutationGroup``.

    The generators are SymPy's, and the product convention is SymPy's (``p*q`` applies ``p``
    first), so ``from_sympy(G).to_sympy()`` is the same group on the same points.

    Parameters
    ----------
    group : sympy.combinatorics.PermutationGroup

    Returns
    -------
    PermutationGroup
        On the same ``group.degree`` points.

    Raises
    ------
    TypeError
        ``group`` is not a SymPy permutation group.

    Examples
    --------
    >>> import groupmat as gm
    >>> from sympy.combinatorics.named_groups import DihedralGroup
    >>> G = gm.from_sympy(DihedralGroup(5))
    >>> G.order, G.to_sympy().order()
    (10, 10)
    """
    try:
        from sympy.combinatorics import PermutationGroup as SymPyPermutationGroup
    except ImportError:  # pragma: no cover - sympy is a core dependency
        SymPyPermutationGroup = ()
    gens = getattr(group, "generators", None)
    if not isinstance(group, SymPyPermutationGroup) or gens is None:
        raise TypeError(f"group must be a sympy.combinatorics.PermutationGroup, got {type(group).__name__}")
    degree = int(group.degree)
    return from_permutations([g.array_form for g in gens], degree=degree,
                             name=f"sympy group of order {group.order()}")
