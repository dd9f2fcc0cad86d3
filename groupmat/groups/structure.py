"""What a group is, declared once: its family, parameters and factors, and its cyclic coordinates.

Every constructor says what it built in a :class:`GroupStructure` (``G.structure``): a cyclic group
``C_n``, a dihedral group ``D_n``, a sign group ``C_2^k``, a direct product of structured factors, a
symmetric or alternating group, a dicyclic group, a semidirect product, a group given by permutations,
by a table, or a subgroup. Fast routes (:mod:`groupmat.routing`) read this declaration and nothing
else, so a route never depends on how a Python class happens to be spelled.

An abelian group is a product of cyclic groups. :func:`cyclic_coordinates` finds such a product for
*any* abelian group: for the declared families (cyclic and sign groups and their direct products)
the element index already is the row-major index of the tuple of cyclic components; for any other
abelian group (one given by its Cayley table, say) a basis is found from the group law alone, so an
FFT serves it too.

Examples
--------
>>> import groupmat as gm
>>> gm.dihedral(4).structure
GroupStructure(family='dihedral', params=(4,))
>>> gm.group("C4xC2").structure.cyclic_shape
(4, 2)
>>> T = gm.group("C6").cayley_table()
>>> coords = gm.from_cayley_table(T).cyclic_coordinates()    # a table alone: found C2 x C3
>>> coords.shape, coords.elements.tolist()
((2, 3), [0, 2, 4, 3, 5, 1])
"""
from __future__ import annotations

import numbers
from dataclasses import dataclass

import numpy as np

from .._validation import check_size

__all__ = ["GroupStructure", "CyclicCoordinates", "FAMILIES", "find_cyclic_coordinates", "prime_factors"]

#: The families a constructor may declare.
FAMILIES = ("cyclic", "dihedral", "sign", "dicyclic", "symmetric", "alternating", "direct_product",
            "semidirect_product", "permutation", "table", "subgroup")

#: The families with one integer parameter.
_ONE_PARAMETER = ("cyclic", "dihedral", "sign", "dicyclic", "symmetric", "alternating")


@dataclass(frozen=True)
class GroupStructure:
    """The declared structure of a group: its family, integer parameters and factors.

    Attributes
    ----------
    family : str
        One of :data:`FAMILIES`.
    params : tuple of int
        ``(n,)`` for ``C_n``, ``D_n`` (order ``2n``), ``Dic_n``, ``S_n``, ``A_n``; ``(k,)`` for the sign
        group ``C_2^k``; empty otherwise.
    factors : tuple of GroupStructure
        The factors of a direct product (element index row-major in the factors' indices), or
        ``(N, H)`` of a semidirect product ``N x| H``; empty otherwise.

    Raises
    ------
    ValueError
        An unknown family, or params/factors that do not fit it (one parameter ``n >= 1`` for the
        named families, ``k >= 0`` for ``sign``; at least one factor for a direct product, two for a
        semidirect product; none otherwise).
    TypeError
        A parameter that is not a non-negative integer, or a factor that is not a GroupStructure.

    Examples
    --------
    >>> import groupmat as gm
    >>> s = gm.direct_product(gm.cyclic(3), gm.dihedral(5)).structure
    >>> s.family, [f.family for f in s.factors]
    ('direct_product', ['cyclic', 'dihedral'])
    """

    family: str
    params: tuple = ()
    factors: tuple = ()

    def __post_init__(self):
        if self.family not in FAMILIES:
            raise ValueError(f"family must be one of {FAMILIES}, got {self.family!r}")
        params, factors = tuple(self.params), tuple(self.factors)
        for i, p in enumerate(params):
            if isinstance(p, bool) or not isinstance(p, (numbers.Integral, np.integer)) or p < 0:
                raise TypeError(f"params[{i}] must be a non-negative integer, got {p!r}")
        params = tuple(int(p) for p in params)
        for i, f in enumerate(factors):
            if not isinstance(f, GroupStructure):
                raise TypeError(f"factors[{i}] must be a GroupStructure, got {type(f).__name__}")
        if self.family in _ONE_PARAMETER:
            if len(params) != 1 or (params[0] < 1 and self.family != "sign"):
                raise ValueError(f"a {self.family} group declares one parameter n >= 1 (k >= 0 for sign), "
                                 f"got params={params!r}")
        elif params:
            raise ValueError(f"a {self.family} group declares no params, got {params!r}")
        if self.family == "direct_product" and not factors:
            raise ValueError("a direct product declares at least one factor, got none")
        if self.family == "semidirect_product" and len(factors) != 2:
            raise ValueError(f"a semidirect product declares two factors (N, H), got {len(factors)}")
        if factors and self.family not in ("direct_product", "semidirect_product"):
            raise ValueError(f"a {self.family} group declares no factors, got {len(factors)}")
        object.__setattr__(self, "params", params)     # tuples of ints: hashable, comparable
        object.__setattr__(self, "factors", factors)

    def __repr__(self) -> str:
        parts = [f"family={self.family!r}"]
        if self.params:
            parts.append(f"params={self.params!r}")
        if self.factors:
            parts.append(f"factors={self.factors!r}")
        return f"GroupStructure({', '.join(parts)})"

    @property
    def cyclic_shape(self) -> tuple | None:
        """The cyclic factors' orders when the element index is the row-major index of the cyclic
        components (cyclic and sign groups and direct products of them), else None.

        A sign group ``C_2^k`` gives ``k`` axes of length 2 (one axis of length 1 when ``k = 0``);
        a one-factor product is its factor.
        """
        if self.family == "cyclic":
            return (int(self.params[0]),)
        if self.family == "sign":
            k = int(self.params[0])
            return (2,) * k if k else (1,)
        if self.family == "direct_product":
            shape: tuple = ()
            for f in self.factors:
                s = f.cyclic_shape
                if s is None:
                    return None
                shape += s
            return shape
        return None

    def unwrapped(self) -> "GroupStructure":
        """A one-factor direct product is its factor (same element indices): the innermost one."""
        s = self
        while s.family == "direct_product" and len(s.factors) == 1:
            s = s.factors[0]
        return s


@dataclass(frozen=True, eq=False)
class CyclicCoordinates:
    """An isomorphism ``C_{m_1} x ... x C_{m_k} -> G`` of an abelian group.

    Attributes
    ----------
    shape : tuple of int
        ``(m_1, ..., m_k)``.
    elements : ndarray of int64, or None
        ``elements[p]`` is the element at the row-major grid position ``p`` (so a function ``x`` on
        ``G`` is laid out for ``numpy.fft.fftn`` as ``x[..., elements].reshape(shape)``); None when
        the element index already is the grid position (the declared families).
    positions : ndarray of int64, or None
        The inverse permutation: ``positions[g]`` is the grid position of ``g`` (None with ``elements``).
    """

    shape: tuple
    elements: np.ndarray | None = None
    positions: np.ndarray | None = None

    @property
    def identity_order(self) -> bool:
        """True when the element index is the grid position."""
        return self.elements is None

    @property
    def nbytes(self) -> int:
        return 0 if self.elements is None else int(self.elements.nbytes + self.positions.nbytes)

    def freeze(self) -> None:
        for a in (self.elements, self.positions):
            if a is not None:
                a.flags.writeable = False


def prime_factors(n: int) -> list[int]:
    """The distinct prime factors of ``n >= 1``, increasing (trial division: ``n`` is a group order or an
    element order here, and its factors are small).

    Examples
    --------
    >>> from groupmat.groups.structure import prime_factors
    >>> prime_factors(360), prime_factors(1), prime_factors(97)
    ([2, 3, 5], [], [97])
    """
    primes, p = [], 2
    while p * p <= n:
        if n % p == 0:
            primes.append(p)
            while n % p == 0:
                n //= p
        p += 1
    if n > 1:
        primes.append(n)
    return primes


def find_cyclic_coordinates(G) -> CyclicCoordinates:
    """A basis of an abelian group found from its group law: ``G = <b_1> x ... x <b_k>``.

    For each prime ``p`` dividing ``|G|`` the ``p``-part is built up one basis element at a time:
    with ``S`` the subgroup spanned so far, take ``x`` of largest order ``p^j`` modulo ``S``; then
    ``x^(p^j) = prod b_i^(c_i)`` lies in ``S`` with every ``c_i`` divisible by ``p^j`` (the basis
    elements found before have order at least ``p^j``), so ``x' = x prod b_i^(-c_i / p^j)`` has order
    ``p^j`` and ``<x'>`` meets ``S`` trivially: ``S <x'> = S x <x'>``. All steps are vectorised over the
    elements (``O(n log^2 n)`` products per basis element).

    Parameters
    ----------
    G : FiniteGroup
        An abelian group.

    Returns
    -------
    CyclicCoordinates
        Axes of prime-power lengths, ordered by prime, then by decreasing length.

    Raises
    ------
    ValueError
        ``G`` is not abelian.
    TooLargeError
        When the element orders, positions and grid (about 20 int64 arrays of ``|G|`` with their
        temporaries) would not fit under ``GROUPMAT_MAX_BYTES``.
    """
    if not G.is_abelian:
        raise ValueError(f"G must be abelian to have cyclic coordinates, got {G.name}")
    n = G.order
    check_size((n,), 160 + G._mul_nbytes(), f"the cyclic coordinates of {G.name} (order {n})",
               how="declare the group as a product of cyclic groups (e.g. groupmat.group('C4xC2'))")
    e = G.elements()
    ident = G.identity
    if n == 1:
        return CyclicCoordinates((1,), np.array([ident], dtype=np.int64), np.array([0], dtype=np.int64))
    orders = np.asarray(G.element_order(e), dtype=np.int64)
    span = np.array([ident], dtype=np.int64)      # S, row-major over the basis so far
    position = np.full(n, -1, dtype=np.int64)     # position[g] = row-major index of g in S, -1 outside
    position[ident] = 0
    shape: list[int] = []
    basis: list[int] = []
    for p in prime_factors(n):
        q = orders.copy()
        while True:                               # orders that are powers of p
            done = q == 1
            if done.all():
                break
            divisible = (q % p == 0) & ~done
            if not divisible.any():
                break
            q = np.where(divisible, q // p, q)
        pmask = q == 1
        P = e[pmask]
        while True:
            # the order of each x in P modulo S: the least p^j with x^(p^j) in S
            qorder = np.ones(P.size, dtype=np.int64)
            y = P.copy()
            outside = position[y] < 0
            while outside.any():
                qorder[outside] *= p
                y[outside] = G.power_array(y[outside], np.full(int(outside.sum()), p, dtype=np.int64))
                outside = position[y] < 0
            if qorder.max() == 1:
                break                             # the p-part is spanned
            best = int(np.argmax(qorder))
            x, m = int(P[best]), int(qorder[best])
            z = int(G.power(x, m))                # in S
            coords = np.unravel_index(int(position[z]), tuple(shape)) if shape else ()
            correction = ident
            for b, c, mb in zip(basis, coords, shape):
                c = int(c)
                if c:
                    if c % m:                     # pragma: no cover - impossible for an abelian group
                        raise RuntimeError(f"internal: basis correction not divisible in {G.name}")
                    correction = G.mul(correction, G.power(b, -(c // m)))
            x = int(G.mul(x, correction))
            powers = G.power_array(np.full(m, x, dtype=np.int64), np.arange(m, dtype=np.int64))
            span = G.mul_unchecked(span[:, None], powers[None, :]).ravel()
            position[span] = np.arange(span.size, dtype=np.int64)
            shape.append(m)
            basis.append(x)
    if span.size != n:                            # pragma: no cover - impossible for an abelian group
        raise RuntimeError(f"internal: cyclic coordinates of {G.name} span {span.size} of {n} elements")
    positions = np.empty(n, dtype=np.int64)
    positions[span] = np.arange(n, dtype=np.int64)
    return CyclicCoordinates(tuple(shape), span, positions)
