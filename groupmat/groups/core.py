"""The core class of a finite group: elements are the indices ``0..n-1``.

A :class:`FiniteGroup` knows how to multiply and invert *arrays* of element indices. Subclasses for
structured families (cyclic, dihedral, products, permutation groups) do that by arithmetic on the
indices; :class:`TableGroup` looks products up in a Cayley table. Everything else (classes, orders,
subgroups, cosets, the Cayley table itself) is written once here, in terms of ``mul`` and ``inv``,
with vectorised index arithmetic and never a Python loop over pairs of elements.
"""
from __future__ import annotations

import numbers
import sys
from collections.abc import Hashable, Sequence

import numpy as np
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

from .._validation import MAX_GROUP_ORDER, as_element_array, check_group_order, check_size, index_dtype
from ..caching import Memo
from .structure import CyclicCoordinates, GroupStructure, prime_factors, find_cyclic_coordinates
from .validate import validate_cayley_table

__all__ = ["FiniteGroup", "TableGroup", "Subgroup", "index_dtype", "check_group"]

#: The namespace of this module's entries in a group's memo.
_NS = "groups.core"

#: Honest per-entry costs (bytes) of the structures built below, used to ask the budget rule
#: (:func:`groupmat._validation.check_size`) before anything that grows with the group is allocated.
#: A Python ``dict`` entry of the label index (slot, hash, key and value pointers, an int object).
_DICT_ENTRY_BYTES = 72
#: A list slot plus the slot of the copy that ``G.labels`` hands out.
_LIST_SLOTS_BYTES = 16
#: One NumPy array object (a view) in a list, e.g. one conjugacy class or coset.
_ARRAY_OBJECT_BYTES = 120

#: How to get labels without listing them all.
_LABELS_WAY_OUT = "ask G.label(g) for one element at a time and G.element(label) for the way back"


def _sorted_contains(sorted_arr: np.ndarray, values: np.ndarray) -> np.ndarray:
    """``values`` in the non-empty sorted array ``sorted_arr``, elementwise (a binary search: memory
    grows with the arrays, never with the group)."""
    idx = np.minimum(np.searchsorted(sorted_arr, values), sorted_arr.size - 1)
    return sorted_arr[idx] == values


def _short(value, limit: int = 80) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[:limit - 3] + "..."


class FiniteGroup:
    """A finite group of order ``n`` whose elements are the integers ``0..n-1``.

    Do not instantiate this class directly; use a constructor such as :func:`groupmat.cyclic`,
    :func:`groupmat.dihedral`, :func:`groupmat.symmetric` or :func:`groupmat.from_cayley_table`.
    Subclasses implement ``_mul(a, b)`` and ``_inv(a)`` on int64 arrays of valid indices.

    Attributes
    ----------
    order : int
        The number of elements ``n``.
    identity : int
        The index of the identity element.
    generators : tuple of int
        Indices of a generating set.
    labels : list
        A readable, hashable label per element (``"r^3"``, ``"s r^2"``, ``"(0 1 2)"``, tuples for
        products), used by :meth:`label` and :meth:`element`.
    name : str
        A short name such as ``"D6"`` or ``"C4xC2"``.

    Examples
    --------
    >>> import groupmat as gm
    >>> G = gm.dihedral(4)
    >>> G.order, G.identity, G.generators
    (8, 0, (1, 4))
    >>> G.label(G.mul(1, 4))           # r s = s r^-1
    's r^3'
    >>> [G.label(g) for g in G.inv([1, 5])]
    ['r^3', 's r']
    """

    #: True when ``mul`` is index arithmetic that needs no table (cyclic, dihedral, products...).
    structured: bool = False

    def __init__(self, order: int, identity: int, generators: Sequence[int], labels: Sequence[Hashable],
                 name: str, structure: GroupStructure | None = None, *, unindexed: bool = False):
        # ``unindexed``: a subclass that can answer without element indices (permutation groups by
        # generators) keeps an order above 2**62 as an exact int; its index arithmetic refuses itself
        if (unindexed and isinstance(order, numbers.Integral) and not isinstance(order, bool)
                and order > MAX_GROUP_ORDER):
            self.order = int(order)
        else:
            self.order = check_group_order(order, f"the order of {name}")
        self.identity = int(identity)
        self.generators = tuple(int(g) for g in generators)
        self._labels = labels
        self.name = name
        #: What the constructor built (:class:`~groupmat.groups.structure.GroupStructure`): the one
        #: declaration that fast routes (:mod:`groupmat.routing`) read.
        self.structure = structure if structure is not None else GroupStructure("table")
        #: Results computed about this group, by namespace (:class:`~groupmat.caching.Memo`): the one
        #: place where any module keeps what it computed for this group.
        self.memo = Memo(name)
        self._label_index: dict | None = None
        if not hasattr(self, "_table"):
            self._table: np.ndarray | None = None      # the Cayley table, once built (read-only)

    @property
    def indexable(self) -> bool:
        """True when the elements have int64 indices ``0..order-1`` (``order <= 2**62``): always, except
        for permutation groups by generators of larger order (``symmetric(25)``), which answer
        questions about permutations but refuse index arithmetic.

        Examples
        --------
        >>> import groupmat as gm
        >>> gm.symmetric(20).indexable, gm.symmetric(21).indexable
        (True, False)
        """
        return self.order <= MAX_GROUP_ORDER

    # ------------------------------------------------------------------ the memory budget
    def _mul_nbytes(self) -> int:
        """Bytes per element that one vectorised ``_mul``/``_inv`` over an array of elements uses
        (inputs, temporaries and output: a few int64 arrays for index arithmetic)."""
        return 48

    def _check_budget(self, per_element: int, what: str, how: str | None = None, count: int | None = None) -> None:
        """Ask the budget rule before allocating ``per_element`` bytes for each of ``count`` (default
        all ``order``) elements, naming ``what`` (of this group) and the way out."""
        n = self.order if count is None else count
        check_size((n,), per_element, f"{what} of {self.name} (order {self.order})", how=how)

    # ------------------------------------------------------------------ arithmetic
    def mul(self, a, b):
        """Product ``a b`` of element indices, elementwise with NumPy broadcasting.

        Parameters
        ----------
        a, b : int or array_like of int
            Element indices in ``0..order-1``.

        Returns
        -------
        int or ndarray of int64
            A Python int when both inputs are scalars.

        Raises
        ------
        TypeError, ValueError
            Non-integer input, or an index outside ``0..order-1`` (naming ``a`` or ``b``).

        Examples
        --------
        >>> import groupmat as gm
        >>> G = gm.cyclic(5)
        >>> G.mul(3, 4)
        2
        >>> G.mul([[0], [1]], [2, 3, 4])        # broadcasting: a 2 x 3 table of products
        array([[2, 3, 4],
               [3, 4, 0]])
        """
        a_arr = as_element_array(a, self.order, "a")
        b_arr = as_element_array(b, self.order, "b")
        out = self._mul(a_arr, b_arr)
        return int(out) if out.ndim == 0 else out

    def inv(self, a):
        """Inverse ``a^-1`` of element indices, elementwise.

        Examples
        --------
        >>> import groupmat as gm
        >>> G = gm.dihedral(4)
        >>> G.inv([1, 2, 5])                    # r^-1 = r^3; reflections are involutions
        array([3, 2, 5])
        """
        a_arr = as_element_array(a, self.order, "a")
        out = self._inv(a_arr)
        return int(out) if out.ndim == 0 else out

    def _mul(self, a: np.ndarray, b: np.ndarray) -> np.ndarray:  # pragma: no cover - abstract
        raise NotImplementedError

    def _inv(self, a: np.ndarray) -> np.ndarray:  # pragma: no cover - abstract
        raise NotImplementedError

    def elements(self) -> np.ndarray:
        """All element indices, ``arange(order)`` (int64).

        Examples
        --------
        >>> import groupmat as gm
        >>> gm.sign_group(2).elements()
        array([0, 1, 2, 3])
        """
        check_size((self.order,), 8, f"the element indices of {self.name}",
                   how="work with element indices in blocks (G.mul, G.inv and G.label take any index)")
        return np.arange(self.order, dtype=np.int64)

    def mul_unchecked(self, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        """:meth:`mul` without validation, for kernels: ``a`` and ``b`` must be int64 arrays of valid
        element indices (broadcastable); the result is an int64 array.

        Examples
        --------
        >>> import numpy as np, groupmat as gm
        >>> gm.cyclic(5).mul_unchecked(np.array([3]), np.array([4]))
        array([2])
        """
        return self._mul(a, b)

    def inv_unchecked(self, a: np.ndarray) -> np.ndarray:
        """:meth:`inv` without validation, for kernels: ``a`` must be an int64 array of valid indices.

        Examples
        --------
        >>> import numpy as np, groupmat as gm
        >>> gm.cyclic(5).inv_unchecked(np.array([1, 2]))
        array([4, 3])
        """
        return self._inv(a)

    def inverses(self) -> np.ndarray:
        """``inverses()[g]`` is the index of ``g^-1``: a read-only int64 array, computed once.

        Examples
        --------
        >>> import groupmat as gm
        >>> gm.cyclic(4).inverses()
        array([0, 3, 2, 1])
        """
        return self.memo.get(_NS, "inverses", self._compute_inverses)

    def _compute_inverses(self) -> np.ndarray:
        self._check_budget(8 + self._mul_nbytes(), "the inverses",
                           how="call G.inv(a) on the elements you need")
        return np.asarray(self._inv(self.elements()), dtype=np.int64)

    def power(self, a, k: int):
        """``a^k`` elementwise, by repeated squaring (``k`` may be negative).

        Examples
        --------
        >>> import groupmat as gm
        >>> G = gm.cyclic(6)
        >>> G.power(1, 4), G.power(1, -1), G.power([1, 2], 3).tolist()
        (4, 5, [3, 0])
        """
        a_arr = as_element_array(a, self.order, "a")
        if isinstance(k, bool) or not isinstance(k, (numbers.Integral, np.integer)):
            raise TypeError(f"k must be an integer exponent, got {type(k).__name__} {k!r}")
        k = int(k)
        if k < 0:
            a_arr, k = self._inv(a_arr), -k
        result = np.full(a_arr.shape, self.identity, dtype=np.int64)
        base = a_arr
        while k:
            if k & 1:
                result = self._mul(result, base)
            base = self._mul(base, base)
            k >>= 1
        return int(result) if result.ndim == 0 else result

    def conjugate(self, a, g):
        """``g^-1 a g`` elementwise (broadcasting).

        Examples
        --------
        >>> import groupmat as gm
        >>> G = gm.dihedral(4)
        >>> G.label(G.conjugate(G.element("r"), G.element("s")))      # s^-1 r s = r^-1
        'r^3'
        """
        a_arr = as_element_array(a, self.order, "a")
        g_arr = as_element_array(g, self.order, "g")
        out = self._mul(self._mul(self._inv(g_arr), a_arr), g_arr)
        return int(out) if out.ndim == 0 else out

    def commutator(self, a, b):
        """``a^-1 b^-1 a b`` elementwise (broadcasting).

        Examples
        --------
        >>> import groupmat as gm
        >>> G = gm.dihedral(4)
        >>> G.label(G.commutator(G.element("r"), G.element("s")))     # r^-1 s r s = r^-2
        'r^2'
        """
        a_arr = as_element_array(a, self.order, "a")
        b_arr = as_element_array(b, self.order, "b")
        out = self._mul(self._mul(self._inv(a_arr), self._inv(b_arr)), self._mul(a_arr, b_arr))
        return int(out) if out.ndim == 0 else out

    # ------------------------------------------------------------------ tables
    def cayley_table(self) -> np.ndarray:
        """The ``n x n`` table ``T[i, j]``, the index of ``g_i g_j``.

        Arithmetic (``structured``) groups build it by broadcast calls of ``mul`` on blocks of rows;
        other groups from the right multiplications by their generators alone, column by column
        along a spanning tree (``T[:, h s] = rho_s[T[:, h]]``). The table is cached and read-only.
        A table that would exceed the memory limit is refused before anything is allocated, with
        an error saying how large it would be.

        Raises
        ------
        TooLargeError
            When ``n^2`` entries do not fit under ``GROUPMAT_MAX_BYTES`` (4 GiB by default).

        Examples
        --------
        >>> import groupmat as gm
        >>> gm.cyclic(3).cayley_table()
        array([[0, 1, 2],
               [1, 2, 0],
               [2, 0, 1]], dtype=int8)
        """
        if self._table is None:
            n = self.order
            dt = index_dtype(n)
            check_size((n, n), dt.itemsize, f"the Cayley table of {self.name} (order {n})")
            table = self._build_table() if self.structured else self._table_from_generators()
            table.flags.writeable = False
            self._table = table
        return self._table

    def has_cayley_table(self) -> bool:
        """True when the Cayley table is at hand (given, or built and still held): then a lookup in
        it is the cheapest product.

        Examples
        --------
        >>> import groupmat as gm
        >>> G = gm.cyclic(6)
        >>> G.has_cayley_table(), (G.cayley_table() is not None) and G.has_cayley_table()
        (False, True)
        """
        return self._table is not None

    #: Entries computed per vectorised step when building a table (bounds the int64 intermediates).
    _BLOCK_ENTRIES = 2**22

    def _build_table(self) -> np.ndarray:
        """The table by broadcast calls of ``_mul`` on blocks of rows (arithmetic groups)."""
        n = self.order
        table = np.empty((n, n), dtype=index_dtype(n))
        e = self.elements()
        step = max(1, self._BLOCK_ENTRIES // n)
        for start in range(0, n, step):
            rows = e[start:start + step]
            table[start:start + rows.size] = self._mul(rows[:, None], e[None, :])
        return table

    def _table_from_generators(self) -> np.ndarray:
        """The table from the right multiplications by the generators alone.

        With ``rho_s[g] = g s`` (``n |S|`` products), the columns satisfy
        ``T[:, h s] = rho_s[T[:, h]]``: the columns are filled breadth-first along a spanning tree
        of the Cayley graph, one gather of ``n x |frontier|`` entries per generator and level.
        This needs only ``n |S|`` calls of ``mul`` (useful when ``mul`` is expensive, as for
        permutation groups) and ``O(n^2)`` index operations; the generators' repeated squares
        (:meth:`generator_powers`) keep the number of levels logarithmic.
        """
        n = self.order
        dt = index_dtype(n)
        e = self.elements()
        gens, right = [], []
        for s, i, j in self.generator_powers(self.generators):
            # rho_(s^2) = rho_s o rho_s: the squares cost a gather, not a product
            rho = self._mul(e, np.int64(s)).astype(dt) if j == 0 else right[-1][right[-1]]
            gens.append(s)
            right.append(rho)
        table = np.empty((n, n), dtype=dt)
        table[:, self.identity] = e
        for k, fresh, src in self.spanning_tree(gens, right):
            table[:, fresh] = right[k][table[:, src]]      # g (h s) = (g h) s
        return table

    def spanning_tree(self, steps, right=None):
        """A breadth-first spanning tree of the Cayley graph over the elements ``steps``.

        Yields ``(k, fresh, src)`` level by level with ``fresh = src * steps[k]`` (element-wise),
        every element but the identity (the root) exactly once, and every ``src`` yielded before
        as a ``fresh`` (or the root). Whatever is extended along the tree (a table's columns, a
        homomorphism's images) is filled by one vectorised operation per yield: this is the one
        breadth-first walk behind the Cayley table of a group given by generators, :func:`groupmat.from_generators`
        and :func:`groupmat.semidirect_product`. ``right[k]``, when given, is the array
        ``h -> h steps[k]`` (a gather instead of a call of ``mul``).

        Raises
        ------
        RuntimeError
            When ``steps`` do not generate the group (after the walk ends).
        """
        n = self.order
        self._check_budget(40 + (16 if right is None else 0) + self._mul_nbytes(),
                           "the breadth-first walk over the Cayley graph")
        known = np.zeros(n, dtype=bool)
        known[self.identity] = True
        frontier = np.array([self.identity], dtype=np.int64)
        while frontier.size:
            new_all = []
            for k, s in enumerate(steps):
                if right is None:
                    targets = self._mul(frontier, np.int64(s))
                else:
                    targets = right[k][frontier].astype(np.int64)
                fresh, first = np.unique(targets, return_index=True)
                keep = ~known[fresh]
                fresh, src = fresh[keep], frontier[first[keep]]
                if fresh.size:
                    known[fresh] = True
                    new_all.append(fresh)
                    yield k, fresh, src
            frontier = np.concatenate(new_all) if new_all else np.array([], dtype=np.int64)
        if not known.all():
            raise RuntimeError(f"the generators of {self.name} do not generate it: "
                               f"{int(known.sum())} of {n} elements reached")

    # ------------------------------------------------------------------ labels
    @property
    def labels(self) -> list:
        """Readable labels of all elements, in index order (a new list on each access).

        The list is built on first access, after asking the memory budget: a list of ``n`` Python
        labels costs about 70 bytes per element (``cyclic(10**9).labels`` would take ~70 GB), so a group
        too large to list raises :class:`~groupmat.TooLargeError` at once; :meth:`label` and
        :meth:`element` still answer one element at a time.

        Raises
        ------
        TooLargeError
            When the list would not fit under ``GROUPMAT_MAX_BYTES``.

        Examples
        --------
        >>> import groupmat as gm
        >>> gm.dihedral(2).labels
        ['e', 'r', 's', 's r']
        """
        return list(self._label_list())

    def _label_list(self) -> list:
        """The list of all labels, built once after asking the memory budget (not a copy)."""
        if callable(self._labels):
            self._check_budget(self._label_nbytes(), "the labels", how=_LABELS_WAY_OUT)
            self._labels = list(self._labels())
        return self._labels

    def _label_nbytes(self) -> int:
        """Bytes per element of the list of all labels: a sample label (the last element's, usually
        the longest) with its list slots. Labels of products share their factors' label objects."""
        if not callable(self._labels):
            sample = self._labels[-1]
        elif type(self)._label_of is not FiniteGroup._label_of:      # a formula for one label
            sample = self._label_of(self.order - 1)
        else:                                                        # no formula: a typical short string
            sample = "g" * 16
        return sys.getsizeof(sample) + _LIST_SLOTS_BYTES

    def label(self, i):
        """The label of element ``i`` (the inverse of :meth:`element`).

        Examples
        --------
        >>> import groupmat as gm
        >>> gm.quaternion().label(5)
        'k'
        """
        i = as_element_array(i, self.order, "i")
        if i.ndim:
            raise TypeError("label takes a single element index; use [G.label(g) for g in ...] for many")
        if callable(self._labels):           # not built yet: the subclass formula, O(1) per label
            return self._label_of(int(i))
        return self._labels[int(i)]

    def _label_of(self, i: int):
        """The label of element ``i`` (a valid index) while the label list is still lazy.

        Families override this with a formula; the default builds the full list once.
        """
        return self._label_list()[i]

    def element(self, label) -> int:
        """The index of the element with the given label (the inverse of :meth:`label`).

        The named families (cyclic, dihedral, dicyclic, sign and permutation groups, and direct and
        semidirect products of them) read the label by their formula, at any order; other groups look
        it up in a dictionary of all labels, built once (after asking the memory budget).

        Raises
        ------
        ValueError
            No element has this label (the message shows what labels look like).
        TooLargeError
            A group without a label formula too large for the dictionary of its labels.

        Examples
        --------
        >>> import groupmat as gm
        >>> G = gm.dihedral(3)
        >>> G.element("s r^2")
        5
        >>> gm.cyclic(10**12).element("r^5")          # parsed: no list of 10^12 labels
        5
        """
        found = self._element_of(label)
        if found is NotImplemented:
            found = self._element_by_lookup(label)
        if found is None:
            some = ", ".join(repr(self.label(i)) for i in range(min(6, self.order)))
            raise ValueError(f"label {_short(label)} names no element of {self.name}; labels look like {some}, ...")
        return int(found)

    def _element_of(self, label):
        """The index of ``label`` by the family's formula; None when no element has this label;
        ``NotImplemented`` when there is no formula (the labels are then looked up)."""
        return NotImplemented

    def _element_by_lookup(self, label):
        """The index of ``label`` from the dictionary of all labels (None when absent)."""
        if self._label_index is None:
            self._check_budget(self._label_nbytes() + _DICT_ENTRY_BYTES, "the dictionary of the labels",
                               how="use a group whose labels have a formula (a named family), or look up "
                                   "element indices directly")
            self._label_index = {lab: i for i, lab in enumerate(self._label_list())}
        try:
            return self._label_index[label]
        except (KeyError, TypeError):
            return None

    # ------------------------------------------------------------------ structure
    @property
    def is_abelian(self) -> bool:
        """True when all generators commute (which is enough).

        Examples
        --------
        >>> import groupmat as gm
        >>> gm.cyclic(6).is_abelian, gm.symmetric(3).is_abelian
        (True, False)
        """
        return self.memo.get(_NS, ("is_abelian", self.generators), self._generators_commute)

    def _generators_commute(self) -> bool:
        gens = np.array(self.generators or (self.identity,), dtype=np.int64)
        return bool(np.all(self._mul(gens[:, None], gens[None, :]) == self._mul(gens[None, :], gens[:, None])))

    def cyclic_coordinates(self) -> CyclicCoordinates | None:
        """An isomorphism from a product of cyclic groups onto this group, when it is abelian.

        For the declared families (cyclic and sign groups and their direct products) the element index
        already is the row-major index of the cyclic components (``elements`` is None); any other
        abelian group gets a basis found from its group law (:func:`~groupmat.groups.structure.find_cyclic_coordinates`,
        computed once). Non-abelian groups give None.

        Returns
        -------
        CyclicCoordinates or None

        Examples
        --------
        >>> import groupmat as gm
        >>> gm.group("C4xC2").cyclic_coordinates().shape
        (4, 2)
        >>> gm.group("D3").cyclic_coordinates() is None
        True
        """
        shape = self.structure.cyclic_shape
        if shape is not None:
            return CyclicCoordinates(shape)
        if not self.is_abelian:
            return None
        return self.memo.get(_NS, "cyclic_coordinates", self._compute_cyclic_coordinates)

    def _compute_cyclic_coordinates(self) -> CyclicCoordinates:
        return find_cyclic_coordinates(self)

    def element_order(self, a):
        """The order of each element: the least ``k >= 1`` with ``a^k = e``.

        Notes
        -----
        The order divides ``n = |G|``: start from ``d = n`` and, for each prime ``p | n``, divide
        ``d`` by ``p`` while ``a^(d/p) = e``. Powers are taken by repeated squaring with a separate
        exponent per element, so all requested elements are done together in
        ``O(log^2 n)`` vectorised products.

        Examples
        --------
        >>> import groupmat as gm
        >>> gm.dihedral(6).element_order([0, 1, 2, 6])
        array([1, 6, 3, 2])
        """
        a_arr = as_element_array(a, self.order, "a")
        flat = a_arr.ravel()
        d = np.full(flat.shape, self.order, dtype=np.int64)
        for p in prime_factors(self.order):
            while True:
                can = d % p == 0
                if not can.any():
                    break
                trial = np.where(can, d // p, d)
                drop = can & (self.power_array(flat, trial) == self.identity)
                if not drop.any():
                    break
                d = np.where(drop, trial, d)
        orders = d.reshape(a_arr.shape)
        return int(orders) if orders.ndim == 0 else orders

    def power_array(self, a: np.ndarray, k: np.ndarray) -> np.ndarray:
        """``a[i]^k[i]`` elementwise for an int64 array of valid elements and an integer array of
        exponents (broadcast together; a negative exponent powers the inverse), by repeated squaring
        with a separate exponent per element: ``O(log max|k|)`` vectorised products. Unchecked, for
        kernels (:meth:`power` is the checked form with one exponent).

        Examples
        --------
        >>> import numpy as np, groupmat as gm
        >>> gm.cyclic(7).power_array(np.array([1, 2, 3]), np.array([0, 2, -1]))
        array([0, 4, 4])
        """
        a, k = np.broadcast_arrays(np.asarray(a, dtype=np.int64), np.asarray(k, dtype=np.int64))
        k = k.copy()
        base = a.copy()
        negative = k < 0
        if negative.any():
            base = np.where(negative, self._inv(base), base)
            k = np.abs(k)
        result = np.full(a.shape, self.identity, dtype=np.int64)
        while k.size and k.max() > 0:
            odd = (k & 1) == 1
            if odd.any():
                result = np.where(odd, self._mul(result, base), result)
            k >>= 1
            if k.max() > 0:
                base = self._mul(base, base)
        return result

    def generator_powers(self, gens) -> list[tuple[int, int, int]]:
        """The generators with their repeated squares: triples ``(s^(2^j), i, j)`` for ``s = gens[i]``.

        ``j`` runs from 0 while ``2^j`` is below the order of ``s`` (so every power of ``s`` is a
        product of at most ``log2(ord s)`` of them); the identity is left out. Breadth-first
        searches over these (closures, tables, images of representations and actions) take
        ``O(log n)`` levels for each generator instead of up to ``ord(s)``. The image of
        ``s^(2^j)`` under a homomorphism is the square of the image of ``s^(2^(j-1))``.
        """
        out = []
        gens = [int(g) for g in gens]
        if not gens:
            return out
        orders = np.atleast_1d(self.element_order(np.array(gens, dtype=np.int64)))
        for i, (s, order) in enumerate(zip(gens, orders)):
            if s == self.identity:
                continue
            x, j = s, 0
            while (1 << j) < int(order):
                out.append((x, i, j))
                x = int(self._mul(np.int64(x), np.int64(x)))
                j += 1
        return out

    def _orbits(self, images: list[np.ndarray]) -> np.ndarray:
        """Label the orbits of the maps ``x -> images[k][x]`` on ``0..n-1`` (connected components)."""
        n = self.order
        if not images:
            return np.arange(n)
        src = np.concatenate([np.arange(n)] * len(images))
        dst = np.concatenate(images)
        graph = coo_matrix((np.ones(src.size, dtype=np.int8), (src, dst)), shape=(n, n)).tocsr()
        _, labels = connected_components(graph, directed=True, connection="weak")
        return labels

    @staticmethod
    def _groups_of(labels: np.ndarray) -> list[np.ndarray]:
        """Split ``arange(len(labels))`` by label, ordered by each group's smallest member."""
        order = np.argsort(labels, kind="stable")
        _, starts = np.unique(labels[order], return_index=True)
        parts = np.split(order, starts[1:])
        parts.sort(key=lambda p: p[0])
        return parts

    def conjugacy_classes(self) -> list[np.ndarray]:
        """The conjugacy classes, as sorted arrays of element indices; the identity's class first.

        A class is an orbit of conjugation by the generators, found as connected components of one
        sparse graph (``O(n |S|)`` work for ``|S|`` generators). The list holds one array per class
        (``n`` arrays for an abelian group): the memory budget is asked first. A permutation group
        given by generators lists itself from its stabiliser chain and ranks all conjugates by one
        sort per generator, with no product of element indices
        (:func:`~groupmat.groups.perm_classes.conjugation_class_labels`).

        Raises
        ------
        TooLargeError
            When the classes (or the graph that finds them) would not fit under ``GROUPMAT_MAX_BYTES``.

        Examples
        --------
        >>> import groupmat as gm
        >>> [c.tolist() for c in gm.symmetric(3).conjugacy_classes()]
        [[0], [1, 2, 5], [3, 4]]
        """
        if self.is_abelian:                      # n singletons: n array objects
            self._check_budget(_ARRAY_OBJECT_BYTES + 24, "the conjugacy classes (one array per element: "
                               "the group is abelian)", how="every class of an abelian group is {g}")
        flat, starts, _ = self._class_data()
        if starts is not None:
            self._check_budget(_ARRAY_OBJECT_BYTES, "the list of the conjugacy classes", count=starts.size + 1)
        flat = flat.copy()                       # views of one fresh copy: callers may modify them
        if starts is None:                       # abelian: all singletons
            return list(flat[:, None])
        return np.split(flat, starts)

    def _class_data(self):
        """``(flat, starts, class_of)``, computed once (memo): the classes concatenated, their split
        points (None when every class is a singleton) and the position of each element's class."""
        return self.memo.get(_NS, "classes", self._compute_classes)

    def _orbit_nbytes(self, maps: int) -> int:
        """Bytes per element to find the orbits of ``maps`` maps on the elements (:meth:`_orbits`):
        the images, the sparse graph (COO and CSR) and the component labels and splits."""
        return 48 + maps * (32 + self._mul_nbytes() // 2)

    def _compute_classes(self):
        n = self.order
        if self.is_abelian:
            self._check_budget(24, "the conjugacy classes")
            # singletons, the identity's first: positions 0..n-1 in the order (e, 0, 1, ...)
            flat = np.arange(n, dtype=np.int64)
            if self.identity:
                flat = np.concatenate([[self.identity], np.delete(flat, self.identity)])
            class_of = np.empty(n, dtype=np.int64)
            class_of[flat] = np.arange(n)
            return flat, None, class_of
        self._check_budget(self._orbit_nbytes(len(self.generators)), "the conjugacy classes")
        e = self.elements()
        images = [self._mul(self._mul(self._inv(np.int64(s)), e), np.int64(s)) for s in self.generators]
        classes = self._groups_of(self._orbits(images))
        classes.sort(key=lambda c: (c[0] != self.identity, c[0]))
        sizes = np.array([c.size for c in classes])
        class_of = np.repeat(np.arange(len(classes)), sizes)
        flat = np.concatenate(classes)
        out = np.empty(n, dtype=np.int64)
        out[flat] = class_of
        return flat, np.cumsum(sizes)[:-1], out

    def class_of(self) -> np.ndarray:
        """``class_of()[g]`` is the position of ``g``'s class in :meth:`conjugacy_classes`.

        Examples
        --------
        >>> import groupmat as gm
        >>> gm.symmetric(3).class_of().tolist()
        [0, 1, 1, 2, 2, 1]
        """
        return self._class_data()[2].copy()

    def class_representatives(self) -> np.ndarray:
        """One element per conjugacy class, the smallest index of each, in the order of
        :meth:`conjugacy_classes` (int64).

        Families that know their classes (``S_n`` and ``A_n`` by cycle type) answer without listing a
        class; other groups find the classes first (within the memory budget).

        Examples
        --------
        >>> import groupmat as gm
        >>> gm.dihedral(4).class_representatives().tolist()
        [0, 1, 2, 4, 5]
        """
        flat, starts, _ = self._class_data()
        if starts is None:
            return flat.copy()
        return flat[np.concatenate([[0], starts])].astype(np.int64)

    def class_sizes(self) -> np.ndarray:
        """The size of each conjugacy class, in the order of :meth:`conjugacy_classes` (int64).

        Examples
        --------
        >>> import groupmat as gm
        >>> gm.dihedral(4).class_sizes().tolist()
        [1, 2, 1, 2, 2]
        """
        flat, starts, _ = self._class_data()
        if starts is None:
            return np.ones(flat.size, dtype=np.int64)
        return np.diff(np.concatenate([[0], starts, [flat.size]])).astype(np.int64)

    def center(self) -> np.ndarray:
        """The elements that commute with every generator (hence with every element), sorted.

        An abelian group is its own centre: the array of all ``n`` indices, refused by the memory
        budget when too large (as :meth:`elements`). The dihedral and dicyclic families and direct
        products answer by formula at any order.

        Examples
        --------
        >>> import groupmat as gm
        >>> gm.dihedral(4).center().tolist()           # {e, r^2}
        [0, 2]
        >>> gm.dihedral(10**12).center().tolist()      # by formula
        [0, 500000000000]
        """
        if self.is_abelian:
            check_size((self.order,), 8, f"the centre of {self.name} (abelian: all its elements)",
                       how="the centre of an abelian group is the whole group; use G.order")
            return self.elements()
        self._check_budget(25 + self._mul_nbytes(), "the centre")
        e = self.elements()
        central = np.ones(self.order, dtype=bool)
        for s in self.generators:
            central &= self._mul(e, np.int64(s)) == self._mul(np.int64(s), e)
        return e[central]

    def closure(self, elements) -> np.ndarray:
        """The sorted element indices of the subgroup generated by ``elements``.

        Breadth-first: the frontier is multiplied by every generator at once, as arrays. The
        generators are augmented by their repeated squares ``s^2, s^4, ...`` (see
        :meth:`generator_powers`), so the search takes ``O(log n)`` levels per generator instead of up to
        the order of ``s`` (``cyclic(10**6).closure([1])`` is 20 levels, not a million). The elements
        found are kept as a sorted array while the subgroup is small (memory and time grow with the
        subgroup, not with ``G``: ``cyclic(10**12).closure([10**11])`` is immediate) and as a mask of
        ``G`` once it is a sizable part of it; each step asks the memory budget first.

        Raises
        ------
        TooLargeError
            When the subgroup (or a step of the search) would not fit under ``GROUPMAT_MAX_BYTES``.

        Examples
        --------
        >>> import groupmat as gm
        >>> gm.dihedral(6).closure([2]).tolist()      # <r^2>
        [0, 2, 4]
        >>> gm.cyclic(10**12).closure([10**11]).size
        10
        """
        base = np.unique(as_element_array(elements, self.order, "elements").ravel())
        gens = np.unique(np.array([g for g, _, _ in self.generator_powers(base)] or [self.identity], dtype=np.int64))
        n = self.order
        what = "the subgroup generated by elements"
        known = np.array([self.identity], dtype=np.int64)      # sorted, while small
        seen = None                                            # the mask of G, once the subgroup is large
        frontier = known
        while frontier.size:
            count = frontier.size * gens.size
            self._check_budget(24 + self._mul_nbytes(), f"a step of the search for {what}", count=count)
            products = self._mul(frontier[:, None], gens[None, :]).ravel()
            if seen is None and 16 * (known.size + products.size) >= n:
                self._check_budget(10, f"the mask of {what}")
                seen = np.zeros(n, dtype=bool)                 # switch to a mask: O(n) bytes, no sorting
                seen[known] = True
            if seen is None:
                new = np.unique(products)
                new = new[~_sorted_contains(known, new)]
                self._check_budget(24, what, count=known.size + new.size)
                known = np.union1d(known, new)
            else:
                products = products[~seen[products]]
                if products.size * 8 < n:
                    new = np.unique(products)              # small frontier: sort it
                else:
                    hit = np.zeros(n, dtype=bool)          # large frontier: a mask is O(n), no sort
                    hit[products] = True
                    new = np.flatnonzero(hit)
                seen[new] = True
            frontier = new
        return known if seen is None else np.flatnonzero(seen)

    def subgroup(self, elements):
        """The subgroup generated by ``elements``, as a new group with its embedding.

        Returns
        -------
        Subgroup
            A :class:`Subgroup` (a :class:`TableGroup`) whose ``embedding`` maps its element ``i`` to
            the index ``embedding[i]`` in this group (its ``parent``); its labels are this group's.

        Examples
        --------
        >>> import groupmat as gm
        >>> G = gm.dihedral(4)
        >>> H = G.subgroup([2])               # rotations by multiples of r^2
        >>> H.order, H.embedding.tolist(), H.labels
        (2, [0, 2], ['e', 'r^2'])
        """
        gens = np.unique(as_element_array(elements, self.order, "elements").ravel())
        members = self.closure(gens)
        name = f"<{', '.join(str(self.label(int(g))) for g in gens)}> in {self.name}"
        return self._subgroup_from_members(members, name=name, generators=gens)

    def _subgroup_from_members(self, members: np.ndarray, name: str, generators=None) -> "Subgroup":
        return Subgroup(self, members, name=name, generators=generators)

    def _small_generating_set(self) -> tuple[int, ...]:
        """A generating set found greedily: repeatedly add the first element not yet generated."""
        gens: list[int] = []
        generated = np.zeros(self.order, dtype=bool)
        generated[self.identity] = True
        while not generated.all():
            candidate = int(np.flatnonzero(~generated)[0])
            gens.append(candidate)
            generated[self.closure(gens)] = True
        return tuple(gens)

    def _check_subgroup(self, H) -> np.ndarray:
        """The sorted element indices of ``H`` (a subgroup object of this group, or indices)."""
        if isinstance(H, FiniteGroup):
            if not isinstance(H, Subgroup) or H.parent is not self:
                raise ValueError(f"H must be a subgroup of {self.name} made by G.subgroup(...) (or an array of "
                                 f"element indices), got the group {H.name}")
            return np.asarray(H.embedding, dtype=np.int64)
        members = np.unique(as_element_array(H, self.order, "H"))
        if members.size == 0 or self.closure(members).size != members.size:
            raise ValueError("H must be a subgroup (a non-empty set closed under products); "
                             "pass G.subgroup(gens) to generate one")
        return members

    def _generators_within(self, members: np.ndarray) -> np.ndarray:
        """A small generating set of the subgroup with the sorted elements ``members`` (greedy; memory
        grows with the subgroup, not with the group)."""
        gens: list[int] = []
        generated = np.array([self.identity], dtype=np.int64)
        while (missing := members[~_sorted_contains(generated, members)]).size:
            gens.append(int(missing[0]))
            generated = self.closure(gens)
        return np.array(gens, dtype=np.int64)

    def _coset_budget(self, members: np.ndarray, gens: np.ndarray) -> None:
        """Ask the budget for the cosets of a subgroup: the orbit graph of its generators and one array
        object per coset."""
        per = self._orbit_nbytes(max(1, gens.size)) + 8 + -(-_ARRAY_OBJECT_BYTES // max(1, members.size))
        self._check_budget(per, "the cosets of a subgroup",
                           how="work with the subgroup and coset representatives instead of listing all cosets")

    def left_cosets(self, H) -> list[np.ndarray]:
        """The left cosets ``g H`` of a subgroup ``H`` (a :meth:`subgroup` or its element indices).

        Returns
        -------
        list of ndarray
            ``|G| / |H|`` sorted index arrays of size ``|H|`` that partition ``G``: ``H`` itself
            first, then the others by their smallest element.

        Notes
        -----
        ``g H`` is the orbit of ``g`` under right multiplication by the generators of ``H``: the
        cosets are the connected components of one sparse graph, ``O(n |S_H|)`` work.

        Examples
        --------
        >>> import groupmat as gm
        >>> G = gm.dihedral(3)
        >>> [c.tolist() for c in G.left_cosets(G.subgroup([3]))]
        [[0, 3], [1, 5], [2, 4]]
        """
        members = self._check_subgroup(H)
        gens = self._generators_within(members)
        self._coset_budget(members, gens)
        images = [self._mul(self.elements(), np.int64(h)) for h in gens]
        return self._identity_first(self._groups_of(self._orbits(images)))

    def right_cosets(self, H) -> list[np.ndarray]:
        """The right cosets ``H g`` of a subgroup ``H``, as :meth:`left_cosets` (orbits of left
        multiplication by the generators of ``H``).

        Examples
        --------
        >>> import groupmat as gm
        >>> G = gm.dihedral(3)
        >>> [c.tolist() for c in G.right_cosets(G.subgroup([3]))]
        [[0, 3], [1, 4], [2, 5]]
        """
        members = self._check_subgroup(H)
        gens = self._generators_within(members)
        self._coset_budget(members, gens)
        images = [self._mul(np.int64(h), self.elements()) for h in gens]
        return self._identity_first(self._groups_of(self._orbits(images)))

    def _identity_first(self, parts: list[np.ndarray]) -> list[np.ndarray]:
        parts.sort(key=lambda c: (not np.any(c == self.identity), c[0]))
        return parts

    def is_normal(self, H) -> bool:
        """True when the subgroup ``H`` is normal: ``g^-1 H g = H`` for the generators ``g`` of ``G``
        (which is enough).

        Examples
        --------
        >>> import groupmat as gm
        >>> G = gm.dihedral(3)
        >>> G.is_normal(G.subgroup([1])), G.is_normal(G.subgroup([3]))
        (True, False)
        """
        members = self._check_subgroup(H)
        return all(_sorted_contains(members, self._mul(self._mul(self._inv(np.int64(s)), members), np.int64(s))).all()
                   for s in self.generators)

    def exponent(self) -> int:
        """The least common multiple of the element orders.

        Notes
        -----
        An abelian group's exponent is the lcm of its generators' orders (the order of a product
        of commuting elements divides the lcm of theirs). Otherwise element order is a class
        function, so one representative per conjugacy class suffices (the classes are cached).

        Examples
        --------
        >>> import groupmat as gm
        >>> gm.symmetric(4).exponent(), gm.quaternion().exponent()
        (12, 4)
        """
        if self.is_abelian:
            reps = np.array(self.generators or (self.identity,), dtype=np.int64)
        else:
            flat, starts, _ = self._class_data()
            reps = flat[np.concatenate([[0], starts])] if starts is not None else flat
        orders = np.atleast_1d(np.asarray(self.element_order(reps), dtype=np.int64))
        return int(np.lcm.reduce(orders))

    def invariants(self) -> dict:
        """Isomorphism invariants: order, abelian, centre size, class sizes, element-order counts.

        Two groups with different invariants are not isomorphic; equal invariants suggest (but do
        not prove) an isomorphism.

        Examples
        --------
        >>> import groupmat as gm
        >>> inv = gm.quaternion().invariants()
        >>> inv["center_order"], inv["class_sizes"], inv["element_orders"]
        (2, (1, 1, 2, 2, 2), ((1, 1), (2, 1), (4, 6)))
        """
        classes = (_ARRAY_OBJECT_BYTES + 40) if self.is_abelian else self._orbit_nbytes(len(self.generators))
        self._check_budget(max(classes, 112 + self._mul_nbytes()),
                           "the invariants (element orders and conjugacy classes of every element)",
                           how="compare the orders, G.is_abelian and G.exponent() instead")
        orders, counts = np.unique(self.element_order(self.elements()), return_counts=True)
        return {
            "order": self.order,
            "abelian": self.is_abelian,
            "center_order": int(self.center().size),
            "class_sizes": tuple(sorted(int(c.size) for c in self.conjugacy_classes())),
            "element_orders": tuple(zip(orders.tolist(), counts.tolist())),
        }

    def is_isomorphic_candidate(self, other: "FiniteGroup") -> bool:
        """True when :meth:`invariants` agree (a necessary condition for isomorphism).

        Examples
        --------
        >>> import groupmat as gm
        >>> gm.dihedral(3).is_isomorphic_candidate(gm.symmetric(3))
        True
        >>> gm.dihedral(4).is_isomorphic_candidate(gm.quaternion())
        False
        """
        return self.invariants() == other.invariants()

    # ------------------------------------------------------------------ sympy bridge
    def to_sympy(self):
        """This group as a ``sympy.combinatorics.PermutationGroup`` (its right regular action).

        Element ``g`` becomes the permutation ``h -> h g`` of ``0..n-1``; with SymPy's convention
        (``p*q`` applies ``p`` first) the map ``g -> Permutation`` is an isomorphism onto the result.

        Examples
        --------
        >>> import groupmat as gm
        >>> P = gm.dihedral(5).to_sympy()
        >>> P.order(), P.degree
        (10, 10)
        """
        gens = self.generators or (self.identity,)
        # a Python list of ints and SymPy's own lists and cycle structures, per generator and element
        check_size((len(gens), self.order), 512, f"the regular permutations of {self.name} for SymPy",
                   how="build the SymPy group from a smaller permutation representation")
        from sympy.combinatorics import Permutation, PermutationGroup

        e = self.elements()
        return PermutationGroup([Permutation(self._mul(e, np.int64(s)).tolist()) for s in gens])

    def __len__(self) -> int:
        return self.order

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.name} of order {self.order}>"


class TableGroup(FiniteGroup):
    """A finite group given by its Cayley table ``table[i, j]``, the index of ``g_i g_j``.

    Built by :func:`groupmat.from_cayley_table` (which validates the table) and by constructors
    that have no arithmetic formula.

    Parameters
    ----------
    table : array_like of int, shape (n, n)
        ``table[i, j]`` is the index of ``g_i g_j``.
    inverse : array_like of int, shape (n,), optional
        ``inverse[i]`` is the index of ``g_i^-1`` (found from the table when omitted).
    identity : int, optional
        The identity's index (found from the table when omitted).
    generators : sequence of int, optional
        A generating set (a small one is found greedily when omitted).
    labels : sequence of hashable, optional
        One label per element (default ``"g0", "g1", ...``).
    name : str
    validate : bool
        Check the group axioms first (:func:`~groupmat.groups.validate.validate_cayley_table`).

    Examples
    --------
    >>> import groupmat as gm
    >>> G = gm.groups.TableGroup([[0, 1], [1, 0]], name="C2")
    >>> G.order, G.identity, G.mul(1, 1), G.generators
    (2, 0, 0, (1,))
    """

    def __init__(self, table, inverse=None, identity=None, generators=None, labels=None, name="G",
                 validate=True):
        try:
            table = np.asarray(table)
        except ValueError:
            raise ValueError("table must be a square n x n array of integer element indices; its rows have "
                             "different lengths") from None
        if validate:
            identity, inverse = validate_cayley_table(table)
        n = table.shape[0]
        dt = index_dtype(n)
        self._table = np.array(table, dtype=dt, order="C")      # a copy: the caller's array stays theirs
        self._table.setflags(write=False)
        if identity is None:
            identity = int(np.flatnonzero((self._table == np.arange(n)[None, :]).all(axis=1))[0])
        if inverse is None:
            inverse = np.argmax(self._table == identity, axis=1)
        self._inverse = np.asarray(inverse, dtype=np.int64)
        if labels is None:
            labels = [f"g{i}" for i in range(n)]
        super().__init__(n, identity, (), labels, name)

        self.generators = tuple(int(g) for g in generators) if generators else self._small_generating_set()

    def _mul(self, a, b):
        return self._table[a, b].astype(np.int64)

    def _mul_nbytes(self) -> int:
        return 16                                  # a gather and its int64 copy

    def _inv(self, a):
        return self._inverse[a]


class Subgroup(TableGroup):
    """A subgroup of a group, as a group of its own: a :class:`TableGroup` with its embedding.

    Made by :meth:`FiniteGroup.subgroup` (and the other methods that return subgroups).

    Parameters
    ----------
    parent : FiniteGroup
        The group it lies in.
    members : array_like of int
        The element indices of the subgroup in ``parent`` (any order, repeats ignored; checked to hold
        the identity and to be closed under products, which for a finite set makes it a subgroup).
    name : str
    generators : array_like of int, optional
        Elements of ``parent`` that generate it (a small set is found when omitted).

    Attributes
    ----------
    parent : FiniteGroup
        The group it lies in.
    embedding : ndarray of int64 (read-only)
        ``embedding[i]`` is the index in ``parent`` of this group's element ``i``.

    Examples
    --------
    >>> import groupmat as gm
    >>> G = gm.dihedral(3)
    >>> H = G.subgroup([1])
    >>> type(H).__name__, H.parent is G, H.embedding.tolist()
    ('Subgroup', True, [0, 1, 2])
    """

    def __init__(self, parent: FiniteGroup, members, name: str, generators=None):
        if not isinstance(parent, FiniteGroup):
            raise TypeError(f"parent must be a FiniteGroup, got {type(parent).__name__}")
        members = np.unique(as_element_array(members, parent.order, "members"))    # a sorted copy
        m = members.size
        if m == 0 or members[np.searchsorted(members, parent.identity) % m] != parent.identity:
            raise ValueError(f"members must hold the identity of {parent.name} (a subgroup's elements)")
        dt = index_dtype(m)
        # the table and the copy TableGroup keeps; rows are filled in blocks, so the products' int64
        # temporaries stay small, and positions are found by binary search (nothing of the parent's size)
        check_size((m, m), 2 * dt.itemsize, f"the Cayley table of a subgroup of order {m}")
        table = np.empty((m, m), dtype=dt)
        step = max(1, 2**18 // m)                   # blocks of ~2^18 products (a few MiB of temporaries)
        for start in range(0, m, step):
            rows = members[start:start + step]
            products = parent.mul_unchecked(rows[:, None], members[None, :])
            inside = _sorted_contains(members, products)
            if not inside.all():
                i, j = np.argwhere(~inside)[0]
                raise ValueError(f"members must be closed under products: {parent.label(int(rows[i]))} * "
                                 f"{parent.label(int(members[j]))} is not among them")
            table[start:start + rows.size] = np.searchsorted(members, products)
        inverse = np.searchsorted(members, parent.inv_unchecked(members))   # a closed finite set holds inverses
        gens = None
        if generators is not None:
            given = as_element_array(generators, parent.order, "generators").ravel()
            given = given[given != parent.identity]
            if given.size and not _sorted_contains(members, given).all():
                raise ValueError("generators must lie in members")
            gens = tuple(int(g) for g in np.searchsorted(members, given))
        self.parent = parent
        self.embedding = members
        self.embedding.flags.writeable = False
        super().__init__(table, inverse, identity=int(np.searchsorted(members, parent.identity)),
                         generators=gens or None,
                         labels=self._parent_labels, name=name, validate=False)
        self.structure = GroupStructure("subgroup")

    def _parent_labels(self) -> list:
        return [self.parent.label(int(g)) for g in self.embedding]

    def _label_of(self, i: int):
        return self.parent.label(int(self.embedding[i]))


def check_group(G, name: str = "G") -> FiniteGroup:
    """Require a :class:`FiniteGroup`, naming the argument otherwise; return it.

    Examples
    --------
    >>> from groupmat.groups import check_group
    >>> check_group("D6")
    Traceback (most recent call last):
    ...
    TypeError: G must be a FiniteGroup (e.g. groupmat.dihedral(6) or groupmat.group("D6")), got str
    """
    if not isinstance(G, FiniteGroup):
        raise TypeError(f'{name} must be a FiniteGroup (e.g. groupmat.dihedral(6) or groupmat.group("D6")), '
                        f"got {type(G).__name__}")
    return G
