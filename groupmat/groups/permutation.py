"""Permutation groups: symmetric, alternating, closures of generators, and the SymPy bridge.

Conventions (the same as SymPy's and GAP's): a permutation ``p`` of ``0..d-1`` is the array of
images, ``i -> p[i]``, and the product ``g h`` applies ``g`` first, then ``h``:
``perm(g h) = perm(h)[perm(g)]``.

A group is held by its generating permutations, never by a list of its elements: ``S_n`` and ``A_n``
by closed forms (any ``n``), any other group by its stabiliser chain
(:mod:`~groupmat.groups.schreier_sims`). Element ``i`` is the ``i``-th element in lexicographic order
of image arrays (the identity is element 0), computed both ways on request: Lehmer ranks for
``S_n``, half of them for ``A_n``, ranks along the stabiliser chain for the rest. ``mul`` unranks,
composes and ranks, vectorised; nothing of the group's size is allocated unless asked
(``G.perms``, labels, tables), and then only after asking the memory budget.
"""
from __future__ import annotations

import math
import random
import sys

import numpy as np
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

from .._validation import TooLargeError, as_element_array, check_nonnegative_int, check_positive_int, check_size
from .core import FiniteGroup, order_text
from .schreier_sims import StabilizerChain, compose, first_moved, invert, symmetric_chain
from .schreier_sims import stabilizer_chain as _chain_of
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


def _check_image_rows(perms, degree: int, name: str) -> np.ndarray:
    """``perms`` as an int64 array of shape ``(..., degree)`` whose rows are permutations of
    ``0..degree-1``; a clear TypeError/ValueError naming ``name`` otherwise."""
    if hasattr(perms, "array_form"):
        perms = perms.array_form
    try:
        arr = np.asarray(perms)
    except ValueError:
        raise ValueError(f"{name} must be image arrays of length {degree} (a rectangular array); its rows "
                         "have different lengths") from None
    if arr.dtype == object:
        try:
            arr = arr.astype(np.int64)
        except (TypeError, ValueError, OverflowError):
            raise TypeError(f"{name} must hold integer image arrays, got {_short(perms)}") from None
    if arr.dtype.kind not in "iu":
        raise TypeError(f"{name} must hold integer image arrays (permutations of 0..{degree - 1}), got dtype "
                        f"{arr.dtype}")
    if arr.ndim == 0 or arr.shape[-1] != degree:
        raise ValueError(f"{name} must have last axis of length {degree} (image arrays of the degree), got shape "
                         f"{arr.shape}")
    arr = arr.astype(np.int64, copy=False)
    flat = arr.reshape(-1, degree)
    if flat.size and (flat.min() < 0 or flat.max() >= degree):
        raise ValueError(f"{name} must hold permutations of 0..{degree - 1}: an image is out of range")
    if flat.size and not (np.sort(flat, axis=1) == np.arange(degree)).all():
        bad = int(np.flatnonzero(~(np.sort(flat, axis=1) == np.arange(degree)).all(axis=1))[0])
        raise ValueError(f"{name} must hold permutations of 0..{degree - 1} (each image exactly once); row {bad} "
                         f"repeats an image: {_short(flat[bad].tolist())}")
    return arr


def _short(value, limit: int = 80) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[:limit - 3] + "..."


_FACT = np.array([math.factorial(k) for k in range(21)], dtype=np.int64)


def _lehmer_rank(q: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Lexicographic ranks of permutations ``q`` of ``0..m-1`` (rows, ``m <= 20``) and their parities.

    ``rank = sum_i c_i (m - 1 - i)!`` with the Lehmer code ``c_i = #{j > i : q_j < q_i}`` (one
    comparison of every ordered pair, upper triangle); the parity is ``sum_i c_i mod 2`` (the number
    of inversions)."""
    m = q.shape[1]
    if m <= 1:
        return np.zeros(q.shape[0], dtype=np.int64), np.zeros(q.shape[0], dtype=np.int64)
    check_size((q.shape[0], m, m), 2, "the pairwise comparisons of the Lehmer codes",
               how="rank the permutations in smaller batches")
    upper = np.triu(np.ones((m, m), dtype=bool), 1)
    c = ((q[:, :, None] > q[:, None, :]) & upper).sum(axis=2)             # c_i
    rank = c @ _FACT[m - 1::-1][:m]
    return rank.astype(np.int64), c.sum(axis=1) & 1


def _lehmer_unrank(r: np.ndarray, m: int) -> np.ndarray:
    """The permutations of ``0..m-1`` of lexicographic ranks ``r``: digits ``c_i = (r // (m-1-i)!) mod (m-i)``,
    then from the right, position ``i`` takes ``c_i`` and the later entries ``>= c_i`` move up by one."""
    B = r.size
    q = np.zeros((B, m), dtype=np.int64)
    for i in range(m - 2, -1, -1):
        c = (r // _FACT[m - 1 - i]) % (m - i)
        tail = q[:, i + 1:]
        tail += tail >= c[:, None]
        q[:, i] = c
    return q


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


def _chain_listing(chain: StabilizerChain, dtype) -> np.ndarray:
    """All elements of the group of ``chain`` as image arrays ``(order, degree)`` of ``dtype``, sorted
    lexicographically (element ``i`` is row ``i``), without ranking or unranking any element.

    Every element is one product ``u_{m-1} ... u_1 u_0`` of transversal elements (``u_k`` maps
    ``b_k`` into ``Delta_k``), formed level by level as gathers ``w[:, u]`` (``O(order x degree)``
    in all). An element is determined by its base images and, along the base ``b_0 < b_1 < ...``,
    the points between base points are fixed by the stabiliser of the earlier ones, so sorting the
    base images sorts the rows (:func:`~groupmat.groups.perm_classes.lexicographic_order`)."""
    from .perm_classes import lexicographic_order

    d = chain.degree
    w = np.arange(d, dtype=dtype)[None, :]
    for k in range(len(chain.base)):
        u = chain.transversal(k)
        w = np.take(w, u.ravel(), axis=1).reshape(-1, d)   # row (b, a): (u_a then w_b)(i) = w_b(u_a(i))
    order = lexicographic_order(w[:, list(chain.base)], d)
    return w[order]


def _small_dtype(d: int):
    return np.uint8 if d <= 256 else np.uint16 if d <= 65536 else np.int64


#: The namespace of this module's entries in a group's memo.
_NS = "groups.permutation"
#: Groups up to this order list their elements on the first index arithmetic (image arrays and one
#: sort key each, ``degree + 8`` bytes per element, within the memory budget): ``mul`` is then a gather
#: and a binary search, the fastest for small groups. Larger groups rank and unrank (nothing listed).
LISTED_MAX_ORDER = 2**20
#: Bytes per element of listing the group (``G.perms``) beyond two copies of the rows: the sort key
#: and the sorting permutation (int64 each), and slack.
_LIST_ROW_BYTES = 24


class PermutationGroup(FiniteGroup):
    """A group of permutations of ``0..degree-1``, given by generators and never enumerated unless asked.

    Built by :func:`symmetric`, :func:`alternating`, :func:`from_permutations`, :func:`from_sympy` and
    :meth:`stabilizer`. The group is held as its generating permutations and, for a general group,
    its stabiliser chain (:mod:`~groupmat.groups.schreier_sims`); the order is exact however large.

    **Element indices.** Element ``i`` is the ``i``-th permutation in lexicographic order of image
    arrays (the identity is element 0), computed both ways without listing the group: by the Lehmer
    code for ``S_n``, by ``rank // 2`` for ``A_n`` (the even permutations in lexicographic order: the
    ranks ``2k`` and ``2k + 1`` differ by exchanging the last two entries, which changes the parity),
    and by the stabiliser chain along the base ``0, 1, ..., d-1`` for any other group. ``mul`` unranks,
    composes and ranks, vectorised. Indices are int64, so a group of order above ``2**62`` (``S_21``
    on, or a large group by generators) has **no element indices**: ``order``, :meth:`contains`,
    :meth:`random_element`, :meth:`orbits`, :meth:`stabilizer`, :attr:`base`,
    :attr:`strong_generators` and the classes of ``S_n``/``A_n`` by cycle type
    (:meth:`class_permutations`, :meth:`class_sizes`) work; ``mul``, ``inv``, labels and tables raise a
    ValueError that says so.

    Parameters
    ----------
    perms : array_like of int, shape (n, degree)
        The image arrays of all elements, sorted lexicographically (the identity first): a group
        given by its listing (kept for compatibility). Checked to be a group of order ``n``.
    generators : sequence of int
        Indices (rows of ``perms``) of a generating set; all rows when empty.
    name : str
    structure : GroupStructure, optional

    Examples
    --------
    >>> import numpy as np, groupmat as gm
    >>> G = gm.groups.PermutationGroup(np.array([[0, 1, 2], [1, 2, 0], [2, 0, 1]]), (1,), "C3 on 3 points")
    >>> G.order, G.label(1), G.mul(1, 1), G.permutation(2).tolist()
    (3, '(0 1 2)', 2, [2, 0, 1])
    >>> S = gm.symmetric(30)                   # never listed: 30! elements
    >>> S.order == __import__("math").factorial(30), S.contains(np.roll(np.arange(30), 1))
    (True, True)
    """

    def __init__(self, perms, generators=(), name: str = "G", structure: GroupStructure | None = None):
        perms = _check_image_rows(perms, np.shape(perms)[-1] if np.ndim(perms) == 2 else -1, "perms") \
            if np.ndim(perms) == 2 else None
        if perms is None or perms.shape[0] == 0:
            raise ValueError("perms must be a non-empty (n, degree) array of image arrays")
        idx = tuple(int(g) for g in generators)
        gens = perms[list(idx)] if idx else perms
        self._setup(gens, perms.shape[1], "general", None, known_order=perms.shape[0])
        if self._chain.order != perms.shape[0]:          # pragma: no cover - the chain raises first
            raise ValueError("perms is not a group")
        self._finish(name, structure or GroupStructure("permutation"))
        self.generators = idx if idx else self.generators

    @classmethod
    def _build(cls, gens: np.ndarray, degree: int, name: str, structure: GroupStructure, kind: str = "general",
               support=None, known_order: int | None = None, chain=None) -> "PermutationGroup":
        """A group by its generating permutations (validated by the caller)."""
        G = cls.__new__(cls)
        G._setup(gens, degree, kind, support, known_order, chain)
        G._finish(name, structure)
        return G

    def _setup(self, gens, degree, kind, support, known_order=None, chain=None) -> None:
        self.degree = int(degree)
        gens = np.asarray(gens, dtype=np.int64).reshape(-1, self.degree)
        self.generator_permutations = gens.copy()
        self.generator_permutations.flags.writeable = False
        self._kind = kind
        if kind == "general":
            self._support = None
            self._chain = chain if chain is not None else _chain_of(gens, self.degree, known_order=known_order)
            self._order = self._chain.order
        else:
            sup = np.arange(self.degree) if support is None else np.unique(np.asarray(support, dtype=np.int64))
            self._support = sup
            self._support.flags.writeable = False
            m = sup.size
            full = math.factorial(m)
            self._order = full if kind == "symmetric" else max(1, full // 2)
            self._chain = None
            # relabel: point -> its position in the support (the rest are fixed)
            self._slot = np.full(self.degree, -1, dtype=np.int64)
            self._slot[sup] = np.arange(m)

    def _finish(self, name: str, structure: GroupStructure) -> None:
        super().__init__(self._order, 0, (), self._label_list_lazy, name, structure, unindexed=True)
        if self.indexable and self.generator_permutations.shape[0]:
            moved = (self.generator_permutations != np.arange(self.degree)).any(axis=1)
            self.generators = tuple(int(x) for x in self._rank(self.generator_permutations[moved]))

    # ------------------------------------------------------------------ index <-> permutation
    @property
    def kind(self) -> str:
        """``"symmetric"`` or ``"alternating"`` (on :attr:`support`, with closed forms) or ``"general"``."""
        return self._kind

    @property
    def support(self) -> np.ndarray | None:
        """The points a symmetric or alternating group permutes (sorted); None for a general group."""
        return self._support

    def _no_indices(self, what: str = "element indices") -> ValueError:
        return ValueError(
            f"{self.name} has order {order_text(self.order)}, above 2**62: its elements have no int64 indices, so {what} "
            "cannot be used; work with permutations instead (G.contains(p), G.random_element(), G.orbits(), "
            "G.stabilizer(points), G.base, G.strong_generators, G.class_permutations(), G.class_sizes())")

    def _rank(self, perms: np.ndarray) -> np.ndarray:
        """Lexicographic ranks (element indices) of member image arrays ``(B, d)``."""
        if not self.indexable:
            raise self._no_indices()
        perms = perms.reshape(-1, self.degree)
        if self._kind == "general":
            return self._chain.rank(perms)[0]
        q = self._slot[perms[:, self._support]]
        rank, parity = _lehmer_rank(q)
        return rank if self._kind == "symmetric" else rank >> 1

    def _unrank(self, idx: np.ndarray) -> np.ndarray:
        """The image arrays ``(B, d)`` of valid element indices (flattened)."""
        idx = np.asarray(idx, dtype=np.int64).ravel()
        if not self.indexable:
            if idx.size and not idx.any():                # index 0 is the identity in every group
                return np.broadcast_to(np.arange(self.degree, dtype=np.int64), (idx.size, self.degree)).copy()
            raise self._no_indices()
        if self._kind == "general":
            return self._chain.unrank(idx)
        m = self._support.size
        out = np.broadcast_to(np.arange(self.degree, dtype=np.int64), (idx.size, self.degree)).copy()
        if m <= 1:
            return out
        if self._kind == "symmetric":
            q = _lehmer_unrank(idx, m)
        else:
            q = _lehmer_unrank(2 * idx, m)
            odd = _lehmer_rank(q)[1].astype(bool)
            q[odd, -2], q[odd, -1] = q[odd, -1], q[odd, -2].copy()     # rank 2k + 1: the even one
        out[:, self._support] = self._support[q]
        return out

    def _check_budget(self, per_element: int, what: str, how: str | None = None, count: int | None = None) -> None:
        """The budget rule; a group without element indices refuses anything per element at once."""
        if count is None and not self.indexable:
            raise TooLargeError(
                f"{what} of {self.name} (order {order_text(self.order)}, above 2**62) would need one entry per element, far "
                f"over any memory limit; {how or 'work with permutations instead'} (G.contains, G.random_element, "
                "G.orbits, G.stabilizer, G.class_permutations)")
        super()._check_budget(per_element, what, how=how, count=count)

    def elements(self) -> np.ndarray:
        """All element indices, ``arange(order)``, within the memory budget (see :meth:`FiniteGroup.elements`)."""
        self._check_budget(8, "the element indices",
                           how="work with element indices in blocks (G.mul, G.inv, G.permutations take any index)")
        return super().elements()

    def cayley_table(self) -> np.ndarray:
        """The Cayley table, within the memory budget (see :meth:`FiniteGroup.cayley_table`): the
        ``(n, n)`` table asks the budget for all its ``n^2`` entries.

        Examples
        --------
        >>> import groupmat as gm
        >>> gm.symmetric(3).cayley_table()[3].tolist()        # (0 1 2) times each element
        [3, 5, 1, 4, 0, 2]
        """
        if not self.indexable:
            self._check_budget(8, "the Cayley table",
                               how="compose image arrays directly instead (perm(g h) = perm(h)[perm(g)])")
        return super().cayley_table()

    def _mul_nbytes(self) -> int:
        # the unranked rows of both factors and of the product, with their int64 work arrays
        return 64 * self.degree + 64

    def _listing(self):
        """``(perms, keys)`` of a group of order at most :data:`LISTED_MAX_ORDER` (memo), else None:
        the image arrays in index order and an order-preserving key per row."""
        if not self.indexable or self.order > LISTED_MAX_ORDER:
            return None
        if self.order * (self.degree * np.dtype(_small_dtype(self.degree)).itemsize + 8) > self.memo.max_bytes:
            return None                               # the memo would not keep it: rank and unrank instead
        listing = self.memo.peek(_NS, "listing")
        if listing is None:
            try:
                listing = self.memo.get(_NS, "listing", self._list_with_keys)
            except TooLargeError:                     # over the budget: rank and unrank instead
                return None
        return listing

    def _list_with_keys(self):
        perms = self._list_permutations()
        return perms, self._encode(perms)

    def _encode(self, perms: np.ndarray) -> np.ndarray:
        """An order-preserving key per image array: base-``degree`` digits in an int64 when
        ``degree^degree < 2^62``, else the big-endian bytes (compared as such)."""
        d = self.degree
        if d ** d < 2**62:
            keys = np.zeros(perms.shape[:-1], dtype=np.int64)
            for j in range(d):
                keys += perms[..., j].astype(np.int64) * (d ** (d - 1 - j))
            return keys
        arr = np.ascontiguousarray(perms.astype(">u2"))
        return arr.view(np.dtype((np.void, arr.dtype.itemsize * d))).reshape(perms.shape[:-1])

    def _mul(self, a, b):
        a, b = np.broadcast_arrays(a, b)
        listing = self._listing()
        if listing is not None:                       # a gather and a binary search
            perms, keys = listing
            composed = np.take_along_axis(perms[b], perms[a].astype(np.intp), axis=-1)   # a first, then b
            return np.searchsorted(keys, self._encode(composed)).astype(np.int64)
        pa, pb = self._unrank(a), self._unrank(b)
        return self._rank(compose(pa, pb)).reshape(a.shape)          # apply a first, then b

    def _inv(self, a):
        listing = self._listing()
        if listing is not None:
            perms, keys = listing
            pa = perms[a]
            inv = np.empty_like(pa)
            np.put_along_axis(inv, pa.astype(np.intp), np.broadcast_to(np.arange(self.degree, dtype=pa.dtype),
                                                                       pa.shape), axis=-1)
            return np.searchsorted(keys, self._encode(inv)).astype(np.int64)
        return self._rank(invert(self._unrank(a))).reshape(np.shape(a))

    def permutation(self, g) -> np.ndarray:
        """The image array of element ``g`` (an index).

        Examples
        --------
        >>> import groupmat as gm
        >>> gm.symmetric(3).permutation(3).tolist()
        [1, 2, 0]
        """
        g = as_element_array(g, self.order, "g")
        if g.ndim:
            raise TypeError("permutation takes one element index; use G.permutations(indices) for many")
        return self._unrank(g)[0]

    def permutations(self, indices) -> np.ndarray:
        """The image arrays of element indices, shape ``indices.shape + (degree,)`` (vectorised
        unranking; nothing else of the group's size).

        Examples
        --------
        >>> import groupmat as gm
        >>> gm.alternating(4).permutations([0, 11]).tolist()
        [[0, 1, 2, 3], [3, 2, 1, 0]]
        """
        idx = as_element_array(indices, self.order, "indices")
        check_size((idx.size, self.degree), 24, f"the image arrays of {idx.size} elements of {self.name}",
                   how="ask for fewer elements at a time (G.permutations(indices[i:j]))")
        return self._unrank(idx).reshape(idx.shape + (self.degree,))

    def index_of(self, perms) -> np.ndarray:
        """Element indices (lexicographic ranks) of image arrays (shape ``(..., degree)``).

        Raises
        ------
        ValueError
            A row is not a permutation of the degree, or not an element of this group; or the group
            has no element indices (order above ``2**62``).

        Examples
        --------
        >>> import groupmat as gm
        >>> gm.symmetric(3).index_of([[0, 1, 2], [2, 0, 1]]).tolist()
        [0, 4]
        """
        arr = _check_image_rows(perms, self.degree, "perms")
        flat = arr.reshape(-1, self.degree)
        if not self.indexable:
            raise self._no_indices("index_of")
        inside = self._contains_rows(flat)
        if not inside.all():
            bad = int(np.flatnonzero(~inside)[0])
            raise ValueError(f"perms holds a permutation that is not an element of this group: "
                             f"{_cycles(flat[bad].tolist())} is not in {self.name}")
        return self._rank(flat).reshape(arr.shape[:-1]).astype(np.int64)

    def copy_with(self, name: str | None = None, generators=None,
                  structure: GroupStructure | None = None) -> "PermutationGroup":
        """This group (the same elements, element indices, kind and stabiliser chain: never listed)
        under another name, generating set or structure declaration.

        Parameters
        ----------
        name : str, optional
            Default: this group's name.
        generators : sequence of int, optional
            Element indices of a generating set (checked to generate the group, by the stabiliser
            chain of their image arrays: nothing is listed); they become :attr:`generators`, and their
            image arrays :attr:`generator_permutations`. Default: this group's generators. A group
            without element indices (order above ``2**62``) keeps its generators.
        structure : GroupStructure, optional
            Default: this group's.

        Returns
        -------
        PermutationGroup

        Raises
        ------
        TypeError, ValueError
            ``name`` not a string; ``generators`` not element indices, or indices that do not
            generate the group, or given for a group without element indices.

        Examples
        --------
        >>> import groupmat as gm
        >>> S = gm.symmetric(13)                      # 13! elements: nothing below lists them
        >>> T = S.copy_with(name="Sym(13)", generators=[S.index_of([1, 2, 0] + list(range(3, 13))),
        ...                                             S.index_of([1, 0] + list(range(2, 13)))])
        Traceback (most recent call last):
        ...
        ValueError: generators generate a subgroup of order 6 of S13 (order 6227020800), not the group
        >>> c, t = list(range(1, 13)) + [0], [1, 0] + list(range(2, 13))
        >>> T = S.copy_with(name="Sym(13)", generators=[S.index_of(t), S.index_of(c)])
        >>> T.name, T.order == S.order, T.kind, T.label(T.generators[0]), T.generator_permutations.shape
        ('Sym(13)', True, 'symmetric', '(0 1)', (2, 13))
        """
        name = self.name if name is None else name
        if not isinstance(name, str):
            raise TypeError(f"name must be a string, got {type(name).__name__}")
        structure = self.structure if structure is None else structure
        if not isinstance(structure, GroupStructure):
            raise TypeError(f"structure must be a GroupStructure, got {type(structure).__name__}")
        if generators is None:
            gens, idx = self.generator_permutations, self.generators
        else:
            if not self.indexable:
                raise self._no_indices("generators (element indices)")
            arr = as_element_array(np.asarray(generators, dtype=np.int64) if not len(generators) else generators,
                                   self.order, "generators")
            if arr.ndim != 1:
                raise TypeError(f"generators must be a sequence of element indices, got shape {arr.shape}")
            idx = tuple(int(g) for g in arr)
            gens = self._unrank(arr) if idx else np.zeros((0, self.degree), dtype=np.int64)
            if set(idx) - {0} != set(self.generators) - {0}:       # another set: prove that it generates
                sub = 1 if not (set(idx) - {0}) else from_permutations(list(gens), degree=self.degree).order
                if sub != self.order:
                    raise ValueError(f"generators generate a subgroup of order {sub} of {self.name} "
                                     f"(order {order_text(self.order)}), not the group")
        G = PermutationGroup.__new__(PermutationGroup)
        G._setup(gens, self.degree, self._kind, self._support, known_order=self._order, chain=self._chain)
        G._finish(name, structure)
        G.generators = idx
        return G

    @property
    def perms(self) -> np.ndarray:
        """The image arrays of all elements in index (lexicographic) order, shape ``(order, degree)``,
        read-only: the listing, built on request after asking the memory budget.

        Raises
        ------
        TooLargeError
            When the listing would not fit under ``GROUPMAT_MAX_BYTES``.

        Examples
        --------
        >>> import groupmat as gm
        >>> gm.symmetric(3).perms.tolist()
        [[0, 1, 2], [0, 2, 1], [1, 0, 2], [1, 2, 0], [2, 0, 1], [2, 1, 0]]
        """
        listing = self._listing()
        return listing[0] if listing is not None else self.memo.get(_NS, "perms", self._list_permutations)

    def _list_permutations(self) -> np.ndarray:
        n, d = self.order, self.degree
        dt = _small_dtype(d)
        check_size((n,), 2 * d * np.dtype(dt).itemsize + _LIST_ROW_BYTES, f"the elements of {self.name} (image arrays)",
                   how="ask G.permutation(g) or G.permutations(indices) for the elements you need")
        if self._kind == "symmetric" and self._support.size == d:
            return _lexicographic_permutations(d)
        return _chain_listing(self.stabilizer_chain(), dt)

    def _compute_classes(self):
        """``(flat, starts, class_of)`` of :meth:`~groupmat.groups.FiniteGroup.conjugacy_classes` (the
        memo's entry): the orbits of conjugation by the generators on the listed group, found by sorting
        (:func:`~groupmat.groups.perm_classes.conjugation_class_labels`), no Cayley table and no
        product of element indices."""
        from .perm_classes import conjugation_class_labels

        if not self.indexable or self.is_abelian:
            return super()._compute_classes()
        gens = self.generator_permutations
        k = max(1, int((gens != np.arange(self.degree)).any(axis=1).sum()))
        isz = np.dtype(_small_dtype(self.degree)).itemsize
        # the listing (two copies while sorting) and its sort keys; the columns of the listing that the
        # conjugates read, one rank array (int32) per generator, a sort key and order, the union-find
        # temporaries; the labels, their small copy and the split
        per_element = 3 * self.degree * isz + _LIST_ROW_BYTES + 4 * k + 16 + 17 + 8 * 3 + 2
        self._check_budget(per_element, "the conjugacy classes (the listed group and the conjugation maps)",
                           how="for S_n/A_n ask G.class_permutations() and G.class_sizes() (by cycle type)")
        labels = conjugation_class_labels(self.perms, self.base, gens)
        sizes = np.bincount(labels)
        small = labels.astype(np.int16 if sizes.size < 2**15 else np.int32)   # a radix sort for int16
        flat = np.argsort(small, kind="stable")          # the classes in turn, each in increasing index order
        return flat, np.cumsum(sizes)[:-1], labels

    # ------------------------------------------------------------------ labels
    def _label_list_lazy(self) -> list:
        return [_cycles(row.tolist()) for row in self.perms]

    def _label_of(self, i: int):
        return _cycles(self._unrank(np.array([i]))[0].tolist())

    def _label_nbytes(self) -> int:
        sample = self._label_of(self.order - 1) if self.indexable else "(" + "0 " * (2 * self.degree) + ")"
        return sys.getsizeof(sample) + 16

    def _element_of(self, label):
        """Cycle notation (``"(0 1 2)(3 4)"``, ``"()"``) or an image array, read at any order."""
        if not self.indexable:
            raise self._no_indices("labels")
        if isinstance(label, str):
            p = _parse_cycles(label, self.degree) if len(label) <= 20 * self.degree + 20 else None
        elif isinstance(label, (list, tuple, np.ndarray)) and len(label) == self.degree:
            try:
                p = _check_image_rows(label, self.degree, "label")
            except (TypeError, ValueError):
                return None
        else:
            return None
        if p is None or not self._contains_rows(p[None, :])[0]:
            return None
        return int(self._rank(p[None, :])[0])

    # ------------------------------------------------------------------ membership, random elements
    def _contains_rows(self, flat: np.ndarray) -> np.ndarray:
        """Membership of valid image arrays ``(B, d)``."""
        if self._kind == "general":
            return self._chain.contains(flat)
        outside = np.setdiff1d(np.arange(self.degree), self._support)
        fixed = (flat[:, outside] == outside).all(axis=1)
        if self._kind == "symmetric":
            return fixed
        q = self._slot[np.where(fixed[:, None], flat[:, self._support], self._support)]
        return fixed & (self._parity(q) == 0)

    @staticmethod
    def _parity(q: np.ndarray) -> np.ndarray:
        """Parities of permutations of ``0..m-1`` (rows): ``m`` minus the number of cycles, mod 2."""
        from .perm_classes import cycle_counts
        return (q.shape[-1] - cycle_counts(q)) & 1

    def contains(self, perms):
        """Whether image arrays are elements of the group (no element is listed).

        ``S_n`` holds every permutation of its support, ``A_n`` the even ones; a general group sifts
        through its stabiliser chain.

        Parameters
        ----------
        perms : array_like of int, shape (degree,) or (..., degree), or sympy Permutation

        Returns
        -------
        bool or ndarray of bool

        Raises
        ------
        TypeError, ValueError
            Not integer image arrays of this degree, or not permutations.

        Examples
        --------
        >>> import groupmat as gm
        >>> A = gm.alternating(100)
        >>> import numpy as np
        >>> A.contains(np.roll(np.arange(100), 1)), A.contains(np.roll(np.arange(100), 2))   # odd, even
        (False, True)
        >>> A.contains(np.r_[1, 2, 0, 3:100])                                               # a 3-cycle
        True
        """
        arr = _check_image_rows(perms, self.degree, "perms")
        out = self._contains_rows(arr.reshape(-1, self.degree)).reshape(arr.shape[:-1])
        return bool(out) if out.ndim == 0 else out

    def random_element(self, seed=None, size: int | None = None) -> np.ndarray:
        """Uniformly random elements, as image arrays (shape ``(degree,)``, or ``(size, degree)``).

        ``S_n``: a random permutation of the support; ``A_n``: the same, made even by one fixed
        transposition when odd (a bijection from the odd to the even permutations, so uniform); a
        general group: one random transversal element per level of its stabiliser chain, multiplied.

        Parameters
        ----------
        seed : int or numpy.random.Generator, optional
        size : int, optional

        Examples
        --------
        >>> import groupmat as gm
        >>> G = gm.alternating(50)
        >>> p = G.random_element(seed=1)
        >>> G.contains(p), p.shape
        (True, (50,))
        """
        rng = np.random.default_rng(seed)
        count = 1 if size is None else check_positive_int(size, "size")
        check_size((count, self.degree), 24, f"{count} random elements of {self.name}",
                   how="draw them in smaller batches (a smaller size)")
        if self._kind == "general":
            out = self._chain.random(count, rng)
        else:
            m = self._support.size
            out = np.broadcast_to(np.arange(self.degree, dtype=np.int64), (count, self.degree)).copy()
            q = rng.permuted(np.broadcast_to(np.arange(m), (count, m)), axis=1) if m else np.zeros((count, 0), int)
            if self._kind == "alternating" and m >= 2:
                odd = self._parity(q).astype(bool)
                q[odd, 0], q[odd, 1] = q[odd, 1], q[odd, 0].copy()
            out[:, self._support] = self._support[q]
        return out[0] if size is None else out

    # ------------------------------------------------------------------ orbits and stabilisers
    def orbits(self) -> list[np.ndarray]:
        """The orbits of the group on the points ``0..degree-1``: sorted arrays, ordered by their
        smallest point (fixed points are singleton orbits).

        Notes
        -----
        The connected components of the graph with the edges ``i -> g(i)`` for the generators
        ``g``: ``O(degree x generators)``, nothing of the group's size.

        Examples
        --------
        >>> import groupmat as gm
        >>> G = gm.from_permutations([[1, 0, 2, 4, 3, 5], [0, 1, 2, 5, 4, 3]])
        >>> [o.tolist() for o in G.orbits()]
        [[0, 1], [2], [3, 4, 5]]
        """
        return [o.copy() for o in self.memo.get(_NS, "orbits", self._compute_orbits)]

    def _compute_orbits(self):
        labels = self.tuple_orbit_labels(1)
        order = np.argsort(labels, kind="stable")
        _, starts = np.unique(labels[order], return_index=True)
        return tuple(np.split(order, starts[1:]))

    def orbit(self, point) -> np.ndarray:
        """The orbit of one point, sorted.

        Examples
        --------
        >>> import groupmat as gm
        >>> gm.alternating(5).stabilizer([0]).orbit(3).tolist()
        [1, 2, 3, 4]
        """
        p = check_nonnegative_int(point, "point")
        if p >= self.degree:
            raise ValueError(f"point must be one of the points 0..{self.degree - 1}, got {p}")
        for o in self.memo.get(_NS, "orbits", self._compute_orbits):
            if o[np.searchsorted(o, p) % o.size] == p:
                return o.copy()
        raise AssertionError("unreachable: the orbits cover every point")  # pragma: no cover

    def tuple_orbit_labels(self, arity: int = 1) -> np.ndarray:
        """The orbits of the group on ``arity``-tuples of points, as labels: an int64 array of shape
        ``(degree,) * arity`` whose entry at ``(i_1, ..., i_k)`` numbers the orbit of that tuple under
        ``g (i_1, ..., i_k) = (g(i_1), ..., g(i_k))``; orbits are numbered in row-major order of their
        first tuple. Never enumerates the group: the orbits are the connected components of one
        sparse graph with ``degree^arity x generators`` edges.

        Use it for equivariant bases: the orbits of ``G`` on index tuples of a tensor are the
        supports of the basis of its invariant tensors.

        Parameters
        ----------
        arity : int
            The tuple length ``k >= 1``.

        Returns
        -------
        ndarray of int64, shape ``(degree,) * arity``

        Raises
        ------
        TooLargeError
            When ``degree^arity`` tuples do not fit under ``GROUPMAT_MAX_BYTES``.

        Examples
        --------
        >>> import groupmat as gm
        >>> L = gm.symmetric(4).tuple_orbit_labels(2)     # S_4 on pairs: the diagonal and the rest
        >>> L.tolist()
        [[0, 1, 1, 1], [1, 0, 1, 1], [1, 1, 0, 1], [1, 1, 1, 0]]
        """
        k = check_positive_int(arity, "arity")
        d = self.degree
        total = d ** k
        gens = self.generator_permutations
        check_size((total,), 48 + 32 * max(1, gens.shape[0]), f"the orbits of {self.name} on {k}-tuples of points",
                   how="use a smaller arity or degree")
        if total == 0:
            return np.zeros((0,) * k, dtype=np.int64)
        if not gens.shape[0]:
            return np.arange(total, dtype=np.int64).reshape((d,) * k)
        tuples = np.arange(total, dtype=np.int64)
        # the image of a tuple index under g: each digit (base d) mapped by g
        digits = [(tuples // d ** (k - 1 - j)) % d for j in range(k)]
        src, dst = [], []
        for g in gens:
            image = np.zeros(total, dtype=np.int64)
            for j in range(k):
                image = image * d + g[digits[j]]
            src.append(tuples)
            dst.append(image)
        graph = coo_matrix((np.ones(total * len(src), dtype=np.int8), (np.concatenate(src), np.concatenate(dst))),
                           shape=(total, total)).tocsr()
        _, labels = connected_components(graph, directed=True, connection="weak")
        # renumber by first occurrence (row-major)
        _, first, inverse = np.unique(labels, return_index=True, return_inverse=True)
        rank = np.empty(first.size, dtype=np.int64)
        rank[np.argsort(first)] = np.arange(first.size)
        return rank[inverse].reshape((d,) * k)

    def stabilizer(self, points) -> "PermutationGroup":
        """The pointwise stabiliser of ``points``, a :class:`PermutationGroup` by generators on the
        same points.

        ``Sym(X)`` and ``Alt(X)`` give ``Sym`` and ``Alt`` of ``X`` minus the points (closed forms).
        A general group is conjugated so that the points come first, its stabiliser chain is built
        with the order known (randomised Schreier-Sims that stops at that order, exact), and the
        strong generators fixing the first ``len(points)`` points are conjugated back.

        Parameters
        ----------
        points : int or sequence of int

        Returns
        -------
        PermutationGroup
            ``{g in G : g(p) = p for every p in points}``, by generators (its order is known).

        Raises
        ------
        TypeError, ValueError
            Points that are not integers in ``0..degree-1``.

        Examples
        --------
        >>> import groupmat as gm
        >>> H = gm.symmetric(100).stabilizer([0, 5, 7])
        >>> H.order == __import__("math").factorial(97), H.contains(list(range(100)))
        (True, True)
        >>> G = gm.from_permutations([[1, 2, 3, 4, 0], [1, 0, 2, 3, 4]])      # S_5
        >>> G.stabilizer(2).order
        24
        """
        pts = np.atleast_1d(np.asarray(points))
        if pts.dtype.kind not in "iu" or pts.ndim != 1:
            raise TypeError(f"points must be a point or a sequence of points (integers), got {_short(points)}")
        pts = pts.astype(np.int64)
        if pts.size and (pts.min() < 0 or pts.max() >= self.degree):
            raise ValueError(f"points must lie in 0..{self.degree - 1}, got {_short(pts.tolist())}")
        pts = np.unique(pts)
        name = f"stabilizer of {_short(pts.tolist(), 40)} in {self.name}"
        d = self.degree
        if self._kind != "general":
            rest = np.setdiff1d(self._support, pts)
            return _on_support(self._kind, rest, d, name)
        if not pts.size:
            return PermutationGroup._build(self.generator_permutations, d, name, GroupStructure("permutation"),
                                           chain=self._chain)
        # pi: points[i] -> i, the other points after them in increasing order; conjugate G by pi
        others = np.setdiff1d(np.arange(d), pts)
        pi_inv = np.concatenate([pts, others])                     # pi^-1(i)
        pi = invert(pi_inv)
        conj = pi[self.generator_permutations[:, pi_inv]]          # pi^-1 g pi: i -> pi(g(pi^-1(i)))
        chain = _chain_of(conj, d, known_order=self.order)
        m = pts.size
        keep = first_moved(chain.strong_generators) >= m
        gens = chain.strong_generators[keep]
        back = pi_inv[gens[:, pi]] if gens.size else gens.reshape(0, d)   # pi h pi^-1
        order = next((chain.sizes[k] for k, b in enumerate(chain.base) if b >= m), 1)
        return PermutationGroup._build(back, d, name, GroupStructure("permutation"), known_order=order)

    def stabilizer_chain(self) -> StabilizerChain:
        """The stabiliser chain along the base ``0, 1, ..., degree-1`` (a base and strong generating set).

        General groups hold it from construction; for ``S_n`` and ``A_n`` it is written down on
        request (:func:`~groupmat.groups.schreier_sims.symmetric_chain`, memory ``degree m^2``).

        Examples
        --------
        >>> import groupmat as gm
        >>> C = gm.symmetric(4).stabilizer_chain()
        >>> C.base, [o.tolist() for o in C.orbits]
        ((0, 1, 2), [[0, 1, 2, 3], [1, 2, 3], [2, 3]])
        """
        if self._chain is not None:
            return self._chain
        return self.memo.get(_NS, "chain", lambda: symmetric_chain(self._support, self.degree,
                                                                   even=self._kind == "alternating"))

    @property
    def base(self) -> tuple:
        """The base of :meth:`stabilizer_chain` (increasing points)."""
        return self.stabilizer_chain().base

    @property
    def strong_generators(self) -> np.ndarray:
        """The strong generating set of :meth:`stabilizer_chain`, as image arrays."""
        return self.stabilizer_chain().strong_generators

    # ------------------------------------------------------------------ structure by formula
    @property
    def is_abelian(self) -> bool:
        """True when the generating permutations commute (``S_n`` for ``n <= 2``, ``A_n`` for ``n <= 3``)."""
        if self._kind != "general":
            return self._support.size <= (2 if self._kind == "symmetric" else 3)
        g = self.generator_permutations
        return all(np.array_equal(compose(g[i], g[j]), compose(g[j], g[i]))
                   for i in range(len(g)) for j in range(i))

    def center(self) -> np.ndarray:
        """The centre; trivial for ``S_n`` (``n >= 3``) and ``A_n`` (``n >= 4``) by formula.

        Examples
        --------
        >>> import groupmat as gm
        >>> gm.symmetric(12).center().tolist()
        [0]
        """
        if self._kind != "general" and not self.is_abelian:
            return np.array([self.identity], dtype=np.int64)
        return super().center()

    def exponent(self) -> int:
        """The exponent; by formula for ``S_n`` (``lcm(1..n)``) and ``A_n`` (half of that when ``n`` is
        ``2^k`` or ``2^k + 1``: a ``2^k``-cycle is odd and needs a further transposition).

        Examples
        --------
        >>> import groupmat as gm
        >>> gm.symmetric(12).exponent(), gm.alternating(5).exponent(), gm.alternating(6).exponent()
        (27720, 30, 60)
        """
        if self._kind == "general":
            return super().exponent()
        m = self._support.size
        e = math.lcm(*range(1, m + 1)) if m else 1
        if self._kind == "alternating":
            if m <= 2:
                return 1
            top = 1 << (m.bit_length() - 1)
            if m in (top, top + 1):
                e //= 2
        return e

    def element_order(self, a):
        """The order of each element: the lcm of its cycle lengths (vectorised).

        Examples
        --------
        >>> import groupmat as gm
        >>> S = gm.symmetric(5)
        >>> S.element_order([0, S.element("(0 1)(2 3 4)")]).tolist()
        [1, 6]
        """
        from .perm_classes import cycle_labels
        a_arr = as_element_array(a, self.order, "a")
        p = self._unrank(a_arr)
        labels = cycle_labels(p)
        B, d = p.shape
        counts = np.bincount((labels + d * np.arange(B)[:, None]).ravel(), minlength=B * d).reshape(B, d)
        lengths = np.take_along_axis(counts, labels, axis=1)
        orders = np.lcm.reduce(lengths, axis=1) if d else np.ones(B, dtype=np.int64)
        orders = orders.reshape(a_arr.shape).astype(np.int64)
        return int(orders) if orders.ndim == 0 else orders

    # ------------------------------------------------------------------ classes without enumeration
    def _family_classes(self):
        """``[(cycle type, half, representative, size)]`` of ``S_n``/``A_n``, in index order."""
        from .perm_classes import alternating_classes, symmetric_classes
        m = self._support.size
        if self._kind == "symmetric":
            return [(t, 0, r, s) for t, r, s in symmetric_classes(m, self._support, self.degree)]
        return alternating_classes(m, self._support, self.degree)

    def classes_from_generators(self):
        """The conjugacy classes found from the generators, when this group is too large to list.

        Returns
        -------
        ConjugacyClassData or None
            None when the classes come from elsewhere: by cycle type (``S_n``, ``A_n``) or from the
            listed group (within the memory budget). Otherwise (the listing over ``GROUPMAT_MAX_BYTES``,
            or no element indices) the :class:`~groupmat.groups.perm_conjugacy.ConjugacyClassData` of
            :func:`~groupmat.groups.perm_conjugacy.random_classes` (random elements, conjugacy tests and
            centralisers by backtrack search; exact), computed once: representatives, sizes,
            centraliser orders and cycle types, in the order of :meth:`class_permutations`.

        Examples
        --------
        >>> import groupmat as gm
        >>> gm.from_permutations([[1, 2, 0, 3], [0, 2, 3, 1]]).classes_from_generators() is None   # listed
        True
        >>> c, t = list(range(1, 12)) + [0], [1, 0] + list(range(2, 12))
        >>> S12 = gm.from_permutations([c, t], recognize=False)        # 479001600 elements, not listed
        >>> data = S12.classes_from_generators()
        >>> len(data.sizes), sum(data.sizes) == S12.order, data.centralizer_orders[1]    # (0 1): 2 * 10!
        (77, True, 7257600)
        """
        if self._kind != "general":
            return None
        if self.indexable:
            try:
                self._class_data()
                return None
            except TooLargeError:                # the listing does not fit: classes from generators
                pass
        from .perm_conjugacy import random_classes
        return self.memo.get(_NS, "random_classes", lambda: random_classes(self.stabilizer_chain()))

    def class_permutations(self) -> np.ndarray:
        """One permutation per conjugacy class, shape ``(classes, degree)``, in the order of
        :meth:`conjugacy_classes` (by smallest element index); each is the class's lexicographically
        smallest element. ``S_n``/``A_n`` by cycle type at any degree (split classes of ``A_n`` as two),
        other groups from their listed classes within the memory budget, and beyond it (or above
        ``2**62`` elements) from generators alone
        (:func:`~groupmat.groups.perm_conjugacy.random_classes`: exact, Las Vegas): then the classes come
        by cycle type and each representative is the first element found in its class, not the smallest.

        Examples
        --------
        >>> import groupmat as gm
        >>> gm.alternating(4).class_permutations().tolist()
        [[0, 1, 2, 3], [0, 2, 3, 1], [0, 3, 1, 2], [1, 0, 3, 2]]
        """
        if self._kind != "general":
            return np.array([c[2] for c in self.memo.get(_NS, "classes", self._family_classes)])
        data = self.classes_from_generators()
        if data is not None:
            return np.array(data.representatives)
        return self.permutations(self.class_representatives())

    def class_cycle_types(self) -> list:
        """The cycle type (a non-increasing tuple) of each class, in the order of :meth:`class_permutations`.

        Examples
        --------
        >>> import groupmat as gm
        >>> gm.symmetric(3).class_cycle_types()
        [(1, 1, 1), (2, 1), (3,)]
        """
        from .perm_classes import cycle_type
        if self._kind != "general":
            m = self._support.size
            out = []
            for t, *_ in self.memo.get(_NS, "classes", self._family_classes):
                out.append(t + (1,) * (self.degree - m))
            return out
        return [cycle_type(p) for p in self.class_permutations()]

    def class_representatives(self) -> np.ndarray:
        """The smallest element index of each conjugacy class, in the order of :meth:`conjugacy_classes`;
        for ``S_n``/``A_n`` by cycle type without listing any class.

        Raises
        ------
        ValueError
            When the group has no element indices (order above ``2**62``): use
            :meth:`class_permutations`.

        Examples
        --------
        >>> import groupmat as gm
        >>> gm.symmetric(12).class_representatives()[:4].tolist()      # (), (10 11), (9 10 11), (8 9)(10 11)
        [0, 1, 3, 7]
        """
        if self._kind != "general":
            if not self.indexable:
                raise self._no_indices("class_representatives (use G.class_permutations())")
            return self._rank(self.class_permutations()).astype(np.int64)
        return super().class_representatives()

    def class_sizes(self) -> np.ndarray:
        """The size of each conjugacy class, in the order of :meth:`class_permutations`: int64, or
        Python ints (an object array) when the order exceeds ``2**62``. ``S_n``/``A_n`` by cycle type;
        other groups from their listed classes, or from generators (``|G| / |C_G(g)|`` with the
        centraliser by backtrack search) when the listing does not fit the memory budget.

        Examples
        --------
        >>> import groupmat as gm
        >>> gm.alternating(5).class_sizes().tolist()
        [1, 20, 15, 12, 12]
        """
        if self._kind != "general":
            sizes = [c[3] for c in self.memo.get(_NS, "classes", self._family_classes)]
            return np.array(sizes, dtype=np.int64 if self.indexable else object)
        data = self.classes_from_generators()
        if data is not None:
            return np.array(data.sizes, dtype=np.int64 if self.indexable else object)
        return super().class_sizes()

    def class_index(self, perms):
        """The position (in :meth:`class_permutations`) of the class of each member image array.

        ``S_n``/``A_n``: by cycle type, and for a split class of ``A_n`` by the parity of the
        permutation aligning the cycles (:func:`~groupmat.groups.perm_classes.alternating_half`);
        other groups through their listed classes, or, when the listing does not fit the memory
        budget, by class invariants and conjugacy tests
        (:func:`~groupmat.groups.perm_conjugacy.class_index_of`).

        Examples
        --------
        >>> import groupmat as gm
        >>> A = gm.alternating(4)
        >>> A.class_index([[0, 3, 1, 2], [2, 3, 0, 1]]).tolist()
        [2, 3]
        """
        from .perm_classes import alternating_half, cycle_labels, split_in_alternating
        arr = _check_image_rows(perms, self.degree, "perms")
        flat = arr.reshape(-1, self.degree)
        inside = self._contains_rows(flat)
        if not inside.all():
            raise ValueError(f"perms holds a permutation that is not an element of {self.name}")
        if self._kind == "general":
            data = self.classes_from_generators()
            if data is not None:
                from .perm_conjugacy import class_index_of
                out = class_index_of(self.stabilizer_chain(), data, flat)
            else:
                out = self._class_data()[2][self._rank(flat)]
        else:
            classes = self.memo.get(_NS, "classes", self._family_classes)
            where = {(t, h): k for k, (t, h, _, _) in enumerate(classes)}
            sup = self._support
            Q = self._slot[flat[:, sup]]                         # the permutations of the moved points
            B, m = Q.shape
            # cycle lengths, vectorised: the size of each cycle at its smallest point, sorted per row
            labels = cycle_labels(Q) + (m * np.arange(B))[:, None]
            lengths = np.bincount(labels.reshape(-1), minlength=B * m).reshape(B, m)
            lengths = -np.sort(-lengths, axis=1)
            types, inverse = np.unique(lengths, axis=0, return_inverse=True)
            inverse = inverse.reshape(-1)
            out = np.empty(B, dtype=np.int64)
            for u, row in enumerate(types):                  # one entry per distinct cycle type
                t = tuple(int(x) for x in row if x)
                rows = np.flatnonzero(inverse == u)
                if self._kind == "alternating" and split_in_alternating(t):
                    # a split class of A_n: which half, element by element (only these elements)
                    out[rows] = [where[(t, alternating_half(Q[i], t))] for i in rows]
                else:
                    out[rows] = where[(t, 0)]
        out = out.reshape(arr.shape[:-1])
        return int(out) if out.ndim == 0 else out

    def to_sympy(self):
        """The SymPy ``PermutationGroup`` on the same points with the same generators."""
        from sympy.combinatorics import Permutation
        from sympy.combinatorics import PermutationGroup as SymPyPermutationGroup

        gens = self.generator_permutations
        if not gens.shape[0]:
            return SymPyPermutationGroup([Permutation(list(range(self.degree)))])
        return SymPyPermutationGroup([Permutation(g.tolist()) for g in gens])


def _on_support(kind: str, support: np.ndarray, degree: int, name: str,
                structure: GroupStructure | None = None) -> PermutationGroup:
    """``Sym`` or ``Alt`` of the points ``support`` inside ``0..degree-1``, with its generators:
    ``(s_0 s_1)`` and the cycle ``(s_0 ... s_{m-1})`` for ``Sym``, the 3-cycles ``(s_0 s_1 s_k)`` for ``Alt``."""
    s = np.asarray(support, dtype=np.int64)
    m = s.size
    ident = np.arange(degree, dtype=np.int64)
    gens = []
    if kind == "symmetric":
        if m >= 2:
            g = ident.copy()
            g[s[0]], g[s[1]] = s[1], s[0]
            gens.append(g)
        if m >= 3:
            g = ident.copy()
            g[s] = np.roll(s, -1)
            gens.append(g)
    else:
        check_size((max(0, m - 2), degree), 8, f"the generators of {name}",
                   how="use symmetric groups (two generators) or a smaller degree")
        for k in range(2, m):
            g = ident.copy()
            g[s[0]], g[s[1]], g[s[k]] = s[1], s[k], s[0]           # the 3-cycle (s_0 s_1 s_k)
            gens.append(g)
    gens = np.array(gens, dtype=np.int64).reshape(-1, degree)
    return PermutationGroup._build(gens, degree, name, structure or GroupStructure("permutation"), kind=kind,
                                   support=s)


def _primes_between(lo: float, hi: float) -> list:
    """The primes ``p`` with ``lo < p < hi``."""
    n = int(hi)
    if n < 3:
        return []
    sieve = np.ones(n + 1, dtype=bool)
    sieve[:2] = False
    for k in range(2, int(n ** 0.5) + 1):
        if sieve[k]:
            sieve[k * k::k] = False
    return [int(p) for p in np.flatnonzero(sieve) if lo < p < hi]


def _giant_kind(gens: np.ndarray, tries: int = 40, seed: int = 0):
    """``("symmetric" | "alternating", support)`` when the generators are proven to generate ``Sym`` or
    ``Alt`` of the points they move, else None (then the stabiliser chain decides).

    Jordan's theorem: a group transitive on ``m`` points that contains an element with a cycle of prime
    length ``p``, ``m/2 < p < m - 2``, contains ``A_m`` (that element's power is a ``p``-cycle: no other
    cycle length is a multiple of ``p > m/2``). Random elements (a product-replacement walk) find such
    an element with probability about ``1/log m`` each, so a few dozen tries decide ``S_m``/``A_m`` at once;
    then ``S_m`` exactly when some generator is odd. A failed search proves nothing and costs little."""
    from .perm_classes import cycle_counts, cycle_labels

    d = gens.shape[1]
    moved = np.flatnonzero((gens != np.arange(d)).any(axis=0))
    m = moved.size
    primes = _primes_between(m / 2, m - 2)
    if m < 8 or not primes:
        return None
    # transitive on the moved points: one connected component of the graph i -> g(i) on them
    graph = coo_matrix((np.ones(gens.size, dtype=np.int8), (np.tile(np.arange(d), gens.shape[0]), gens.ravel())),
                       shape=(d, d)).tocsr()
    _, labels = connected_components(graph, directed=True, connection="weak")
    if np.unique(labels[moved]).size != 1:
        return None
    rng = random.Random(seed)
    pool = [g.copy() for g in gens] * max(1, -(-10 // gens.shape[0]))
    wanted = np.array(primes)
    for step in range(tries + 20):
        i, j = rng.randrange(len(pool)), rng.randrange(len(pool))
        if i == j:
            continue
        pool[i] = compose(pool[i], pool[j]) if rng.random() < 0.5 else compose(pool[j], pool[i])
        if step < 20:                                          # let the walk mix first
            continue
        cyc = cycle_labels(pool[i])
        lengths = np.bincount(cyc)[np.unique(cyc)]
        if np.isin(lengths, wanted).any():
            odd = ((d - cycle_counts(gens)) & 1).any()
            return ("symmetric" if odd else "alternating"), moved
    return None


def _parse_degree(n, what: str) -> int:
    """The degree of a symmetric or alternating group: an integer >= 1 whose generators fit the budget."""
    n = check_positive_int(n, "n")
    check_size((3, n), 8, f"the generators of {what}{n} (image arrays of {n} points)",
               how="use a smaller degree")
    return n


def from_permutations(generators, degree: int | None = None, name: str | None = None,
                      max_order: int | None = None, recognize: bool = True) -> PermutationGroup:
    """The group generated by permutations, held by its stabiliser chain (never enumerated).

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
        Refuse a group with more elements than this (None, the default: any order).
    recognize : bool
        True (the default): generators proven to generate ``Sym`` or ``Alt`` of the points they move
        (Jordan's theorem on random elements) give the closed forms of :func:`symmetric` and
        :func:`alternating` (classes by cycle type, Lehmer ranks). False: always the stabiliser chain
        and the generic algorithms (the same elements, indices and classes; for comparisons and
        benchmarks of the generic route).

    Returns
    -------
    PermutationGroup
        Elements indexed in lexicographic order of their image arrays (the identity first), computed
        from the stabiliser chain; labels in cycle notation; ``G.permutation(g)`` is the image array of
        element ``g``.

    Raises
    ------
    TypeError, ValueError
        A generator that is not an integer image array or not a permutation, one longer than
        ``degree``, a group above ``max_order``, or ``recognize`` not a bool.

    Notes
    -----
    The chain is built by randomised Schreier-Sims and then proven complete by the deterministic
    Schreier-Sims test (:func:`~groupmat.groups.schreier_sims.stabilizer_chain`).

    Examples
    --------
    >>> import groupmat as gm
    >>> G = gm.from_permutations([[1, 2, 3, 0], [3, 2, 1, 0]])   # the square's symmetries
    >>> G.order, G.is_isomorphic_candidate(gm.dihedral(4))
    (8, True)
    >>> G.label(G.generators[0])
    '(0 1 2 3)'
    >>> import numpy as np
    >>> c, t = np.roll(np.arange(24), -1), np.r_[2, 1, 0, 3:24]     # (0 1 ... 23) and (0 2): S_12 wr C_2
    >>> W = gm.from_permutations([c, t])                          # order 2 (12!)^2, never listed
    >>> W.order == 2 * __import__("math").factorial(12) ** 2, W.contains(np.r_[1, 0, 2:24])
    (True, False)
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
            raise TypeError(f"generators[{i}] must be a 1-d integer image array or a sympy Permutation, got "
                            f"{_short(g)}")
        gens.append(arr.astype(np.int64))
    if not gens:
        raise ValueError("generators must hold at least one permutation")
    d = max(len(g) for g in gens) if degree is None else check_positive_int(degree, "degree")
    if d < 1:
        raise ValueError("generators must permute at least one point (got only empty arrays); "
                         "pass degree=1 for the trivial group")
    check_size((len(gens), d), 8, "the generators", how="pass fewer generators or a smaller degree")
    full = np.tile(np.arange(d), (len(gens), 1))
    for i, g in enumerate(gens):
        if len(g) > d:
            raise ValueError(f"generators[{i}] has {len(g)} points, more than degree={d}")
        if not np.array_equal(np.sort(g), np.arange(len(g))):
            raise ValueError(f"generators[{i}] is not a permutation of 0..{len(g) - 1}: {_short(g.tolist())}")
        full[i, : len(g)] = g
    if max_order is not None:
        max_order = check_positive_int(max_order, "max_order")
    if not isinstance(recognize, (bool, np.bool_)):
        raise TypeError(f"recognize must be True or False, got {_short(recognize)}")
    label = name or f"<{len(gens)} perms on {d} points>"
    giant = _giant_kind(full) if recognize else None
    if giant is not None:                 # Sym or Alt of the moved points, proven: the closed forms serve
        G = PermutationGroup._build(full, d, label, GroupStructure("permutation"), kind=giant[0], support=giant[1])
    else:
        G = PermutationGroup._build(full, d, label, GroupStructure("permutation"))
    if max_order is not None and G.order > max_order:
        raise ValueError(f"the generated group has {order_text(G.order)} elements, more than {max_order} elements (max_order)")
    if G.indexable:
        # one index per given generator (the identity included), in the order given
        G.generators = tuple(int(x) for x in G._rank(full))
    return G


def symmetric(n: int) -> PermutationGroup:
    """The symmetric group ``S_n`` of all permutations of ``0..n-1``, for any ``n`` (never listed).

    Elements are in lexicographic order of their image arrays (``itertools.permutations`` order), so
    the identity is element 0 and element ``i`` is the permutation of Lehmer rank ``i``; labels are in
    cycle notation; generators are the transposition ``(0 1)`` and the ``n``-cycle ``(0 1 ... n-1)``.
    Products apply the left factor first: ``perm(g h) = perm(h)[perm(g)]``.

    For ``n >= 21`` the order ``n!`` exceeds ``2**62``: the group has no element indices, but its
    order, membership, random elements, orbits, stabilisers and classes by cycle type all work
    (see :class:`PermutationGroup`).

    Parameters
    ----------
    n : int
        The number of points, ``n >= 1``.

    Returns
    -------
    PermutationGroup
        Of order ``n!`` (an exact int).

    Raises
    ------
    TooLargeError
        When even the generators (image arrays of ``n`` points) would not fit under ``GROUPMAT_MAX_BYTES``.

    Examples
    --------
    >>> import groupmat as gm
    >>> S3 = gm.symmetric(3)
    >>> S3.labels
    ['()', '(1 2)', '(0 1)', '(0 1 2)', '(0 2 1)', '(0 2)']
    >>> S3.label(S3.mul(S3.element("(0 1)"), S3.element("(1 2)")))
    '(0 2 1)'
    >>> S12 = gm.symmetric(12)
    >>> S12.order, S12.label(S12.mul(10**8, 4 * 10**8))
    (479001600, '(0 3 9 2 5 4)(1 7 8 11)')
    """
    n = _parse_degree(n, "S")
    return _on_support("symmetric", np.arange(n), n, f"S{n}", GroupStructure("symmetric", (n,)))


def alternating(n: int) -> PermutationGroup:
    """The alternating group ``A_n`` of even permutations of ``0..n-1``, for any ``n`` (never listed).

    Elements are the even permutations in lexicographic order (the identity first): element ``i`` is
    the even one of the permutations of Lehmer rank ``2i`` and ``2i + 1``. Labels in cycle notation,
    generated by the 3-cycles ``(0 1 k)``.

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
        When its ``n - 2`` generators would not fit under ``GROUPMAT_MAX_BYTES``.

    Examples
    --------
    >>> import groupmat as gm
    >>> A4 = gm.alternating(4)
    >>> A4.order, sorted(len(c) for c in A4.conjugacy_classes())
    (12, [1, 3, 4, 4])
    """
    n = _parse_degree(n, "A")
    return _on_support("alternating", np.arange(n), n, f"A{n}", GroupStructure("alternating", (n,)))


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
    G = from_permutations([g.array_form for g in gens], degree=degree, name="sympy group")
    G.name = f"sympy group of order {order_text(G.order)}"
    return G
