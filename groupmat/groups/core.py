"""The core class of a finite group: elements are the indices ``0..n-1``.

A :class:`FiniteGroup` knows how to multiply and invert *arrays* of element indices. Subclasses for
structured families (cyclic, dihedral, products, permutation groups) do that by arithmetic on the
indices; :class:`TableGroup` looks products up in a Cayley table. Everything else (classes, orders,
subgroups, cosets, the Cayley table itself) is written once here, in terms of ``mul`` and ``inv``,
with vectorised index arithmetic and never a Python loop over pairs of elements.
"""
from __future__ import annotations

from collections.abc import Hashable, Sequence

import numpy as np
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

from .._validation import (
    as_element_array,
    check_positive_int,
    check_size,
)

__all__ = ["FiniteGroup", "TableGroup", "index_dtype"]


def index_dtype(order: int) -> np.dtype:
    """The smallest signed integer dtype that holds the indices ``0..order-1``."""
    for dt in (np.int8, np.int16, np.int32):
        if order <= np.iinfo(dt).max:
            return np.dtype(dt)
    return np.dtype(np.int64)


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
                 name: str):
        self.order = check_positive_int(order, "order")
        self.identity = int(identity)
        self.generators = tuple(int(g) for g in generators)
        self._labels = labels
        self.name = name
        self._label_index: dict | None = None
        self._cache: dict = {}

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
        """
        a_arr = as_element_array(a, self.order, "a")
        b_arr = as_element_array(b, self.order, "b")
        out = self._mul(a_arr, b_arr)
        return int(out) if out.ndim == 0 else out

    def inv(self, a):
        """Inverse ``a^-1`` of element indices, elementwise."""
        a_arr = as_element_array(a, self.order, "a")
        out = self._inv(a_arr)
        return int(out) if out.ndim == 0 else out

    def _mul(self, a: np.ndarray, b: np.ndarray) -> np.ndarray:  # pragma: no cover - abstract
        raise NotImplementedError

    def _inv(self, a: np.ndarray) -> np.ndarray:  # pragma: no cover - abstract
        raise NotImplementedError

    def elements(self) -> np.ndarray:
        """All element indices, ``arange(order)``."""
        return np.arange(self.order, dtype=np.int64)

    def _all_inverses(self) -> np.ndarray:
        if "inv" not in self._cache:
            self._cache["inv"] = self._inv(self.elements())
        return self._cache["inv"]

    def power(self, a, k: int):
        """``a^k`` elementwise, by repeated squaring (``k`` may be negative)."""
        a_arr = as_element_array(a, self.order, "a")
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
        """``g^-1 a g`` elementwise."""
        a_arr = as_element_array(a, self.order, "a")
        g_arr = as_element_array(g, self.order, "g")
        out = self._mul(self._mul(self._inv(g_arr), a_arr), g_arr)
        return int(out) if out.ndim == 0 else out

    def commutator(self, a, b):
        """``a^-1 b^-1 a b`` elementwise."""
        a_arr = as_element_array(a, self.order, "a")
        b_arr = as_element_array(b, self.order, "b")
        out = self._mul(self._mul(self._inv(a_arr), self._inv(b_arr)), self._mul(a_arr, b_arr))
        return int(out) if out.ndim == 0 else out

    # ------------------------------------------------------------------ tables
    def cayley_table(self) -> np.ndarray:
        """The ``n x n`` table ``T[i, j] = `` index of ``g_i g_j``.

        Built by one broadcast call of :meth:`mul`; refuses (before allocating) a table that would
        exceed the memory limit, saying how large it would be.

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
        if "table" not in self._cache:
            n = self.order
            dt = index_dtype(n)
            # the int64 intermediate of the broadcast product is the peak allocation
            check_size((n, n), max(dt.itemsize, 8), f"the Cayley table of {self.name} (order {n})")
            e = self.elements()
            table = self._mul(e[:, None], e[None, :]).astype(dt)
            table.setflags(write=False)
            self._cache["table"] = table
        return self._cache["table"]

    # ------------------------------------------------------------------ labels
    @property
    def labels(self) -> list:
        """Readable labels of all elements, in index order."""
        if callable(self._labels):
            self._labels = list(self._labels())
        return list(self._labels)

    def label(self, i):
        """The label of element ``i``."""
        i = as_element_array(i, self.order, "i")
        if i.ndim:
            raise TypeError("label takes a single element index; use [G.label(g) for g in ...] for many")
        if callable(self._labels):
            self._labels = list(self._labels())
        return self._labels[int(i)]

    def element(self, label) -> int:
        """The index of the element with the given label (the inverse of :meth:`label`).

        Examples
        --------
        >>> import groupmat as gm
        >>> G = gm.dihedral(3)
        >>> G.element("s r^2")
        5
        """
        if self._label_index is None:
            self._label_index = {lab: i for i, lab in enumerate(self.labels)}
        try:
            return self._label_index[label]
        except (KeyError, TypeError):
            some = ", ".join(repr(x) for x in self.labels[:6])
            raise ValueError(f"label {label!r} names no element of {self.name}; labels look like {some}, ...") from None

    # ------------------------------------------------------------------ structure
    @property
    def is_abelian(self) -> bool:
        """True when all generators commute (which is enough)."""
        gens = np.array(self.generators or (self.identity,), dtype=np.int64)
        return bool(np.all(self._mul(gens[:, None], gens[None, :]) == self._mul(gens[None, :], gens[:, None])))

    def element_order(self, a):
        """The order of each element: the least ``k >= 1`` with ``a^k = e``.

        Computed for all requested elements at once by stepping their powers together.

        Examples
        --------
        >>> import groupmat as gm
        >>> gm.dihedral(6).element_order([0, 1, 2, 6])
        array([1, 6, 3, 2])
        """
        a_arr = as_element_array(a, self.order, "a")
        flat = a_arr.ravel()
        orders = np.zeros(flat.shape, dtype=np.int64)
        current = flat.copy()
        k = 1
        pending = np.arange(flat.size)
        while pending.size:
            done = current == self.identity
            orders[pending[done]] = k
            pending, current = pending[~done], current[~done]
            if not pending.size:
                break
            current = self._mul(current, flat[pending])
            k += 1
            if k > self.order:  # pragma: no cover - a broken subclass, never a group
                raise RuntimeError("element order exceeded the group order: mul is not a group law")
        orders = orders.reshape(a_arr.shape)
        return int(orders) if orders.ndim == 0 else orders

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
        sparse graph (``O(n |S|)`` work for ``|S|`` generators).

        Examples
        --------
        >>> import groupmat as gm
        >>> [c.tolist() for c in gm.symmetric(3).conjugacy_classes()]
        [[0], [1, 2, 5], [3, 4]]
        """
        if "classes" not in self._cache:
            e = self.elements()
            if self.is_abelian:
                classes = [np.array([g]) for g in e]
            else:
                images = [self._mul(self._mul(self._inv(np.int64(s)), e), np.int64(s)) for s in self.generators]
                classes = self._groups_of(self._orbits(images))
            classes.sort(key=lambda c: (c[0] != self.identity, c[0]))
            self._cache["classes"] = classes
        return [c.copy() for c in self._cache["classes"]]

    def class_of(self) -> np.ndarray:
        """``class_of()[g]`` is the position of ``g``'s class in :meth:`conjugacy_classes`."""
        out = np.empty(self.order, dtype=np.int64)
        for k, c in enumerate(self.conjugacy_classes()):
            out[c] = k
        return out

    def center(self) -> np.ndarray:
        """The elements that commute with every generator (hence with every element)."""
        e = self.elements()
        central = np.ones(self.order, dtype=bool)
        for s in self.generators:
            central &= self._mul(e, np.int64(s)) == self._mul(np.int64(s), e)
        return e[central]

    def closure(self, elements) -> np.ndarray:
        """The sorted element indices of the subgroup generated by ``elements``.

        Breadth-first: the frontier is multiplied by every generator at once, as arrays.
        """
        gens = np.unique(as_element_array(elements, self.order, "elements").ravel())
        seen = np.zeros(self.order, dtype=bool)
        seen[self.identity] = True
        frontier = np.array([self.identity], dtype=np.int64)
        while frontier.size:
            products = self._mul(frontier[:, None], gens[None, :]).ravel()
            new = np.unique(products[~seen[products]])
            seen[new] = True
            frontier = new
        return np.flatnonzero(seen)

    def subgroup(self, elements):
        """The subgroup generated by ``elements``, as a new group with its embedding.

        Returns
        -------
        Subgroup
            A :class:`TableGroup` whose attribute ``embedding`` maps its element ``i`` to the index
            ``embedding[i]`` in this group; its labels are this group's labels.

        Examples
        --------
        >>> import groupmat as gm
        >>> G = gm.dihedral(4)
        >>> H = G.subgroup([2])               # rotations by multiples of r^2
        >>> H.order, H.embedding.tolist(), H.labels
        (2, [0, 2], ['e', 'r^2'])
        """
        members = self.closure(elements)
        return self._subgroup_from_members(members, name=f"<{', '.join(str(self.label(int(g))) for g in np.unique(as_element_array(elements, self.order, 'elements')))}> in {self.name}")

    def _subgroup_from_members(self, members: np.ndarray, name: str):
        m = members.size
        check_size((m, m), 8, f"the Cayley table of a subgroup of order {m}")
        position = np.full(self.order, -1, dtype=np.int64)
        position[members] = np.arange(m)
        table = position[self._mul(members[:, None], members[None, :])]
        inverse = position[self._inv(members)]
        labels = [self.label(int(g)) for g in members]
        H = TableGroup(table, inverse, identity=int(position[self.identity]), generators=(), labels=labels,
                       name=name, validate=False)
        H.generators = H._small_generating_set()
        H.embedding = members
        H.parent = self
        return H

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
        members = np.unique(as_element_array(getattr(H, "embedding", H), self.order, "H"))
        if self.closure(members).size != members.size:
            raise ValueError("H must be a subgroup (closed under products); pass G.subgroup(gens) to generate one")
        return members

    def left_cosets(self, H) -> list[np.ndarray]:
        """The left cosets ``g H`` of a subgroup ``H`` (a :meth:`subgroup` or its element indices)."""
        members = self._check_subgroup(H)
        images = [self._mul(self.elements(), np.int64(h)) for h in members]
        return self._groups_of(self._orbits(images))

    def right_cosets(self, H) -> list[np.ndarray]:
        """The right cosets ``H g`` of a subgroup ``H``."""
        members = self._check_subgroup(H)
        images = [self._mul(np.int64(h), self.elements()) for h in members]
        return self._groups_of(self._orbits(images))

    def is_normal(self, H) -> bool:
        """True when the subgroup ``H`` is normal (closed under conjugation by the generators)."""
        members = self._check_subgroup(H)
        inside = np.zeros(self.order, dtype=bool)
        inside[members] = True
        return all(inside[self._mul(self._mul(self._inv(np.int64(s)), members), np.int64(s))].all()
                   for s in self.generators)

    def exponent(self) -> int:
        """The least common multiple of the element orders."""
        return int(np.lcm.reduce(np.unique(self.element_order(self.elements()))))

    def invariants(self) -> dict:
        """Isomorphism invariants: order, abelian, centre size, class sizes, element-order counts.

        Two groups with different invariants are not isomorphic; equal invariants suggest (but do
        not prove) an isomorphism.
        """
        orders, counts = np.unique(self.element_order(self.elements()), return_counts=True)
        return {
            "order": self.order,
            "abelian": self.is_abelian,
            "center_order": int(self.center().size),
            "class_sizes": tuple(sorted(int(c.size) for c in self.conjugacy_classes())),
            "element_orders": tuple(zip(orders.tolist(), counts.tolist())),
        }

    def is_isomorphic_candidate(self, other: "FiniteGroup") -> bool:
        """True when :meth:`invariants` agree (a necessary condition for isomorphism)."""
        return self.invariants() == other.invariants()

    # ------------------------------------------------------------------ sympy bridge
    def to_sympy(self):
        """This group as a ``sympy.combinatorics.PermutationGroup`` (its right regular action).

        Element ``g`` becomes the permutation ``h -> h g`` of ``0..n-1``; with SymPy's convention
        (``p*q`` applies ``p`` first) the map ``g -> Permutation`` is an isomorphism onto the result.
        """
        from sympy.combinatorics import Permutation, PermutationGroup

        gens = self.generators or (self.identity,)
        e = self.elements()
        return PermutationGroup([Permutation(self._mul(e, np.int64(s)).tolist()) for s in gens])

    def __len__(self) -> int:
        return self.order

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.name} of order {self.order}>"

    def __mul__(self, other):
        if isinstance(other, FiniteGroup):
            from .products import direct_product

            return direct_product(self, other)
        return NotImplemented


class TableGroup(FiniteGroup):
    """A finite group given by its Cayley table ``table[i, j] = `` index of ``g_i g_j``.

    Built by :func:`groupmat.from_cayley_table` (which validates the table) and by constructors
    that have no arithmetic formula.
    """

    def __init__(self, table, inverse=None, identity=None, generators=None, labels=None, name="G",
                 validate=True):
        table = np.asarray(table)
        if validate:
            from .validate import validate_cayley_table

            identity, inverse = validate_cayley_table(table)
        n = table.shape[0]
        dt = index_dtype(n)
        self._table = np.ascontiguousarray(table, dtype=dt)
        self._table.setflags(write=False)
        if identity is None:
            identity = int(np.flatnonzero((self._table == np.arange(n)[None, :]).all(axis=1))[0])
        if inverse is None:
            inverse = np.argmax(self._table == identity, axis=1)
        self._inverse = np.asarray(inverse, dtype=np.int64)
        if labels is None:
            labels = [f"g{i}" for i in range(n)]
        super().__init__(n, identity, (), labels, name)
        self._cache["table"] = self._table
        self.generators = tuple(int(g) for g in generators) if generators else self._small_generating_set()

    def _mul(self, a, b):
        return self._table[a, b].astype(np.int64)

    def _inv(self, a):
        return self._inverse[a]
