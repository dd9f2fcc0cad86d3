"""Direct and semidirect products, and sign groups ``C_2^k`` (the Klein four-group is ``sign_group(2)``)."""
from __future__ import annotations

import itertools
import math
import numbers

import numpy as np

from .._validation import TooLargeError, as_element_array, check_group_order, check_nonnegative_int, check_size
from .core import FiniteGroup
from .structure import GroupStructure

__all__ = ["direct_product", "semidirect_product", "sign_group", "DirectProduct", "SemidirectProduct", "SignGroup"]


class DirectProduct(FiniteGroup):
    """``G_1 x ... x G_m`` with elements ordered row-major: ``(g_1, ..., g_m)`` has index
    ``ravel_multi_index((g_1, ..., g_m), (|G_1|, ..., |G_m|))``; labels are tuples of factor labels.

    Parameters
    ----------
    factors : sequence of FiniteGroup
        The factors ``G_1, ..., G_m``; the order (their product) must be at most ``2**62``.
    name : str, optional
        Default: the factor names joined by ``x``.

    Examples
    --------
    >>> import groupmat as gm
    >>> G = gm.groups.DirectProduct([gm.cyclic(2), gm.dihedral(3)])
    >>> G.name, G.order, G.label(7)
    ('C2xD3', 12, ('r', 'r'))
    """

    def __init__(self, factors, name=None):
        self.factors = tuple(factors)
        if not self.factors:
            raise ValueError("factors must hold at least one group, got none")
        for i, F in enumerate(self.factors):
            if not isinstance(F, FiniteGroup):
                raise TypeError(f"factors[{i}] must be a FiniteGroup, got {type(F).__name__}")
        self.shape = tuple(F.order for F in self.factors)
        name = name or "x".join(_paren(F.name) for F in self.factors)
        strides = [1]                                   # Python ints: no silent int64 overflow
        for size in self.shape[::-1]:
            strides.append(strides[-1] * size)
        order = check_group_order(strides[-1], f"the order of {name}")
        self._strides = tuple(strides[-2::-1])
        identity = self._ravel([F.identity for F in self.factors])
        gens = []
        for i, F in enumerate(self.factors):
            for s in F.generators:
                parts = [G.identity for G in self.factors]
                parts[i] = s
                gens.append(self._ravel(parts))
        self.structured = all(F.structured for F in self.factors)

        def labels():
            return list(itertools.product(*(F.labels for F in self.factors)))

        super().__init__(order, identity, gens, labels, name,
                         GroupStructure("direct_product", factors=tuple(F.structure for F in self.factors)))

    def _label_of(self, i: int):
        return tuple(F.label(int(p)) for F, p in zip(self.factors, self.components_unchecked(i)))

    def _ravel(self, parts):
        return sum(int(p) * s for p, s in zip(parts, self._strides))

    def components(self, a):
        """The factor components of element indices ``a``: a list of arrays, one per factor.

        Examples
        --------
        >>> import groupmat as gm
        >>> G = gm.direct_product(gm.cyclic(3), gm.cyclic(4))
        >>> [c.tolist() for c in G.components([0, 5, 11])]
        [[0, 1, 2], [0, 1, 3]]
        """
        a = as_element_array(a, self.order, "a")
        return self.components_unchecked(a)

    def components_unchecked(self, a):
        """:meth:`components` without validation (``a`` an int64 array of valid indices), for kernels."""
        parts = []
        for s, n in zip(self._strides, self.shape):
            parts.append((a // s) % n)
        return parts

    def combine(self, *parts):
        """The element index of ``(g_1, ..., g_m)`` from factor indices (arrays broadcast).

        Examples
        --------
        >>> import groupmat as gm
        >>> G = gm.direct_product(gm.cyclic(3), gm.cyclic(4))
        >>> G.combine(1, 1), G.combine([0, 2], 3).tolist()
        (5, [3, 11])
        """
        if len(parts) != len(self.factors):
            raise ValueError(f"combine takes {len(self.factors)} factor indices, got {len(parts)}")
        arrs = [as_element_array(p, F.order, f"parts[{i}]") for i, (p, F) in enumerate(zip(parts, self.factors))]
        out = sum(p * s for p, s in zip(arrs, self._strides))
        return int(out) if np.ndim(out) == 0 else out

    def _mul(self, a, b):
        pa, pb = self.components_unchecked(a), self.components_unchecked(b)
        out = 0
        for F, x, y, s in zip(self.factors, pa, pb, self._strides):
            out = out + F._mul(x, y) * s
        return np.asarray(out, dtype=np.int64)

    def _inv(self, a):
        out = 0
        for F, x, s in zip(self.factors, self.components_unchecked(a), self._strides):
            out = out + F._inv(x) * s
        return np.asarray(out, dtype=np.int64)

    @property
    def is_abelian(self) -> bool:
        return all(F.is_abelian for F in self.factors)

    def element_order(self, a):
        """The order of ``(g_1, ..., g_m)`` is the lcm of the orders of its components."""
        arr = as_element_array(a, self.order, "a")
        out = np.ones(arr.shape, dtype=np.int64)
        for F, part in zip(self.factors, self.components_unchecked(arr)):
            out = np.lcm(out, np.asarray(F.element_order(part), dtype=np.int64))
        return int(out) if out.ndim == 0 else out

    def _mul_nbytes(self) -> int:
        return 8 * len(self.factors) + max(F._mul_nbytes() for F in self.factors)

    def _element_of(self, label):
        """A tuple of factor labels, each read by its factor (by formula where the factor has one)."""
        if not (isinstance(label, tuple) and len(label) == len(self.factors)):
            return None
        try:
            return self._ravel([F.element(lab) for F, lab in zip(self.factors, label)])
        except TooLargeError:
            raise
        except ValueError:
            return None

    def exponent(self) -> int:
        """The lcm of the factors' exponents (by formula)."""
        return math.lcm(*(F.exponent() for F in self.factors))

    def center(self) -> np.ndarray:
        """The product of the factors' centres (sorted: row-major in sorted factor centres)."""
        centres = [np.asarray(F.center(), dtype=np.int64) for F in self.factors]
        size = math.prod(c.size for c in centres)
        check_size((size,), 16, f"the centre of {self.name}",
                   how="work with the centres of the factors (G.factors[i].center())")
        out = np.zeros(1, dtype=np.int64)
        for c, stride in zip(centres, self._strides):
            out = (out[:, None] + c[None, :] * stride).ravel()
        return out


def _paren(name: str) -> str:
    return f"({name})" if ("x" in name or ":" in name) else name


def direct_product(*groups: FiniteGroup) -> DirectProduct:
    """The direct product ``G_1 x ... x G_m``.

    Elements are tuples ``(g_1, ..., g_m)`` ordered row-major (the last factor varies fastest),
    so element ``(g_1, g_2)`` of ``G_1 x G_2`` has index ``g_1 |G_2| + g_2``. Multiplication is
    componentwise, by each factor's own arithmetic; labels are tuples of factor labels; the
    generators are those of each factor, embedded.

    Parameters
    ----------
    *groups : FiniteGroup
        At least one group.

    Returns
    -------
    DirectProduct

    Raises
    ------
    TypeError
        An argument that is not a group.
    ValueError
        No group, or an order above ``2**62``.

    Examples
    --------
    >>> import groupmat as gm
    >>> G = gm.direct_product(gm.cyclic(4), gm.cyclic(2))
    >>> G.name, G.order, G.label(5)
    ('C4xC2', 8, ('r^2', 'r'))
    >>> G.mul(G.element(("r", "r")), G.element(("r^3", "e"))) == G.element(("e", "r"))
    True
    """
    if not groups:
        raise ValueError("direct_product needs at least one group, got none")
    for i, F in enumerate(groups):
        if not isinstance(F, FiniteGroup):
            raise TypeError(f"groups[{i}] must be a FiniteGroup, got {type(F).__name__}")
    return DirectProduct(groups)


class SignGroup(FiniteGroup):
    """``C_2^k`` as sign vectors: element ``i`` has bit ``k-1-j`` set when coordinate ``j`` is -1;
    ``mul`` is XOR; labels are tuples of ``+1``/``-1``.

    Parameters
    ----------
    k : int
        The number of signs, ``0 <= k <= 62``; the order is ``2^k``.
    name : str, optional
        Default ``"C2^k"`` (``group("V4")`` names the Klein four-group ``"V4"``).

    Examples
    --------
    >>> import groupmat as gm
    >>> G = gm.groups.SignGroup(3)
    >>> G.order, G.label(G.mul(4, 1))
    (8, (-1, 1, -1))
    """

    structured = True

    def __init__(self, k: int, name: str | None = None):
        k = check_nonnegative_int(k, "k")
        if k > 62:                                     # before computing 2**k (k may have thousands of digits)
            raise ValueError(f"the order of C2^{k} is 2**{k}, above the largest supported group order 2**62 "
                             "(element indices are int64)")
        check_group_order(2**k, f"the order of C2^{k}")
        self.k = k
        gens = tuple(1 << (k - 1 - j) for j in range(k))

        def labels():
            return [tuple(-1 if (i >> (k - 1 - j)) & 1 else 1 for j in range(k)) for i in range(2**k)]

        super().__init__(2**k, 0, gens, labels, name or f"C2^{k}", GroupStructure("sign", (k,)))

    def _label_of(self, i: int):
        k = self.k
        return tuple(-1 if (i >> (k - 1 - j)) & 1 else 1 for j in range(k))

    def closure(self, elements) -> np.ndarray:
        """By formula: the span of the elements' bit vectors over GF(2), ``2^rank`` elements (found by
        elimination on at most ``k`` pivots; the budget is asked before listing them).

        Examples
        --------
        >>> import groupmat as gm
        >>> gm.sign_group(3).closure([3, 5]).tolist()          # 011, 101 span {000, 011, 101, 110}
        [0, 3, 5, 6]
        """
        vectors = np.unique(as_element_array(elements, self.order, "elements").ravel())
        basis = []
        for bit in range(self.k - 1, -1, -1):              # at most k vectorised elimination steps
            has = (vectors >> bit) & 1 == 1
            if has.any():
                pivot = vectors[np.argmax(has)]
                basis.append(int(pivot))
                vectors = np.where(has, vectors ^ pivot, vectors)
        check_size((1 << len(basis),), 8, f"the subgroup generated by elements of {self.name} (order {self.order})",
                   how=f"it is C2^{len(basis)}; work with a basis of it")
        span = np.zeros(1, dtype=np.int64)
        for b in basis:
            span = np.concatenate([span, span ^ b])
        return np.sort(span)

    def _element_of(self, label):
        """A tuple of ``k`` signs ``+1``/``-1``, read by formula at any order."""
        if not (isinstance(label, tuple) and len(label) == self.k):
            return None
        index = 0
        for j, x in enumerate(label):
            if not isinstance(x, (numbers.Real, np.number)):
                return None
            if x == -1:
                index |= 1 << (self.k - 1 - j)
            elif x != 1:
                return None
        return index

    def _mul(self, a, b):
        return a ^ b

    def _mul_nbytes(self) -> int:
        return 16

    def _inv(self, a):
        return a.copy()

    def element_order(self, a):
        """1 for the identity, 2 for every other element."""
        arr = as_element_array(a, self.order, "a")
        out = np.where(arr == 0, 1, 2)
        return int(out) if out.ndim == 0 else out

    @property
    def is_abelian(self) -> bool:
        return True

    def signs(self, a) -> np.ndarray:
        """The sign vectors of elements ``a``: shape ``a.shape + (k,)`` with entries ``+1``/``-1``.

        Examples
        --------
        >>> import groupmat as gm
        >>> gm.sign_group(3).signs([0, 5]).tolist()
        [[1, 1, 1], [-1, 1, -1]]
        """
        a = as_element_array(a, self.order, "a")
        bits = (a[..., None] >> np.arange(self.k - 1, -1, -1)) & 1
        return 1 - 2 * bits


def sign_group(k: int) -> SignGroup:
    """The sign group ``{+1, -1}^k = C_2^k``, acting by flipping signs of coordinates.

    Generator ``j`` flips coordinate ``j`` (``j = 0..k-1``). Element ``i`` is the sign vector whose
    coordinate ``j`` is ``-1`` exactly when bit ``k-1-j`` of ``i`` is set, so the element order is
    that of ``direct_product(cyclic(2), ..., cyclic(2))``; ``mul`` is bitwise XOR. ``sign_group(2)`` is
    the Klein four-group ``V_4 = C_2 x C_2`` (``group("V4")``).

    Parameters
    ----------
    k : int
        The number of coordinates, ``0 <= k <= 62``.

    Returns
    -------
    SignGroup
        Of order ``2^k``, named ``"C2^k"``.

    Examples
    --------
    >>> import groupmat as gm
    >>> G = gm.sign_group(2)
    >>> G.labels
    [(1, 1), (1, -1), (-1, 1), (-1, -1)]
    >>> G.generators, G.mul(1, 2)
    ((2, 1), 3)
    """
    return SignGroup(k)


class SemidirectProduct(FiniteGroup):
    """``N x| H`` with ``(n1, h1)(n2, h2) = (n1 phi_h1(n2), h1 h2)``; index ``n |H| + h``.

    Built by :func:`semidirect_product`; ``automorphisms[h, n]`` is ``phi_h(n)``, labels are pairs.

    Parameters
    ----------
    N, H : FiniteGroup
        The normal subgroup and the acting group.
    auts : ndarray of int, shape (|H|, |N|)
        ``auts[h, n]`` is ``phi_h(n)`` for *every* ``h`` (not checked here: use
        :func:`semidirect_product`, which extends ``phi`` from generators and checks it).
    name : str, optional
        Default ``"N:H"``.

    Examples
    --------
    >>> import groupmat as gm, numpy as np
    >>> N, H = gm.cyclic(3), gm.cyclic(2)
    >>> auts = np.array([[0, 1, 2], [0, 2, 1]])            # h = r acts by inversion
    >>> G = gm.groups.SemidirectProduct(N, H, auts)
    >>> G.order, G.is_abelian, G.is_isomorphic_candidate(gm.symmetric(3))
    (6, False, True)
    """

    def __init__(self, N, H, auts, name=None):
        for arg, value in (("N", N), ("H", H)):
            if not isinstance(value, FiniteGroup):
                raise TypeError(f"{arg} must be a FiniteGroup, got {type(value).__name__}")
        if not (isinstance(auts, np.ndarray) and not auts.flags.writeable):
            auts = np.array(auts)                      # a copy of a writeable array, made read-only below
        if auts.shape != (H.order, N.order) or auts.dtype.kind not in "iu":
            raise ValueError(f"auts must be an integer array of shape (|H|, |N|) = ({H.order}, {N.order}), "
                             f"got {auts.dtype} of shape {auts.shape}")
        auts.flags.writeable = False
        self.N, self.H = N, H
        self.automorphisms = auts  # (|H|, |N|): auts[h, n] = phi_h(n), read-only
        self.structured = N.structured and H.structured
        gens = [n * H.order + H.identity for n in N.generators] + [N.identity * H.order + h for h in H.generators]

        def labels():
            return list(itertools.product(N.labels, H.labels))

        super().__init__(N.order * H.order, N.identity * H.order + H.identity, gens, labels,
                         name or f"{_paren(N.name)}:{_paren(H.name)}",
                         GroupStructure("semidirect_product", factors=(N.structure, H.structure)))

    def _label_of(self, i: int):
        n, h = divmod(i, self.H.order)
        return (self.N.label(n), self.H.label(h))

    def _split(self, a):
        return np.divmod(a, self.H.order)

    def _mul(self, a, b):
        n1, h1 = self._split(a)
        n2, h2 = self._split(b)
        n = self.N._mul(n1, self.automorphisms[h1, n2].astype(np.int64))
        return n * self.H.order + self.H._mul(h1, h2)

    def _inv(self, a):
        n, h = self._split(a)
        hi = self.H._inv(h)
        return self.automorphisms[hi, self.N._inv(n)].astype(np.int64) * self.H.order + hi

    def _mul_nbytes(self) -> int:
        return 16 + self.N._mul_nbytes() + self.H._mul_nbytes()

    def _element_of(self, label):
        """A pair ``(n, h)`` of labels of ``N`` and ``H``, each read by its group."""
        if not (isinstance(label, tuple) and len(label) == 2):
            return None
        try:
            return self.N.element(label[0]) * self.H.order + self.H.element(label[1])
        except TooLargeError:
            raise
        except ValueError:
            return None


def _as_automorphism(N: FiniteGroup, image, where: str) -> np.ndarray:
    """Turn one action image into an array ``phi[n]`` and check it is an automorphism of ``N``."""
    n = N.order
    if callable(image):
        phi = np.asarray(image(N.elements()))
    else:
        phi = np.asarray(image)
        if phi.shape == (len(N.generators),) and phi.shape != (n,):
            raise ValueError(
                f"{where} has one entry per generator of N; give the image of every element of N "
                f"(an array of length {n}) or a callable on element arrays"
            )
    if phi.shape != (n,):
        raise ValueError(f"{where} must map all {n} elements of N (an array of shape ({n},)), got shape {phi.shape}")
    phi = as_element_array(phi, n, where)
    if np.unique(phi).size != n:
        raise ValueError(f"{where} is not a bijection of N, so not an automorphism")
    e = N.elements()
    for s in N.generators:
        if not np.array_equal(phi[N._mul(e, np.int64(s))], N._mul(phi, phi[s])):
            bad = int(np.flatnonzero(phi[N._mul(e, np.int64(s))] != N._mul(phi, phi[s]))[0])
            raise ValueError(
                f"{where} is not an automorphism of N: phi({N.label(bad)} * {N.label(s)}) != "
                f"phi({N.label(bad)}) * phi({N.label(s)})"
            )
    return phi


def semidirect_product(N: FiniteGroup, H: FiniteGroup, action) -> SemidirectProduct:
    """The semidirect product ``N x|_phi H`` for a homomorphism ``phi: H -> Aut(N)``.

    Elements are pairs ``(n, h)`` with index ``n |H| + h`` and product
    ``(n1, h1)(n2, h2) = (n1 phi_h1(n2), h1 h2)``.

    Parameters
    ----------
    N, H : FiniteGroup
        The normal subgroup and the acting group.
    action : sequence
        ``action[i]`` is ``phi`` of ``H.generators[i]``: an automorphism of ``N`` given as the array
        of images of all elements of ``N`` (``phi[n]`` is the index of the image of ``n``), or a
        callable on arrays of element indices. Each image is checked to be an automorphism, and the
        map on generators is checked to extend to a homomorphism ``H -> Aut(N)`` (the first relation
        that fails is named).

    Returns
    -------
    SemidirectProduct

    Raises
    ------
    ValueError
        An image that is not a bijection or not a homomorphism of ``N`` (``action[i] is not an
        automorphism``), or generator images that do not define a homomorphism ``H -> Aut(N)``.
    TypeError
        ``N`` or ``H`` not a group, or ``action`` not a sequence.

    Notes
    -----
    ``phi`` is extended from the generators of ``H`` along a breadth-first spanning tree of its
    Cayley graph, ``phi_(h s) = phi_h o phi_s`` (one gather per level and generator), and then
    checked on every pair ``(h, s)``: ``phi_(h s) = phi_h o phi_s`` for all ``h`` and generators ``s``
    is exactly the statement that ``phi`` is a homomorphism.

    Examples
    --------
    >>> import groupmat as gm
    >>> C7, C3 = gm.cyclic(7), gm.cyclic(3)
    >>> G = gm.semidirect_product(C7, C3, [lambda n: (2 * n) % 7])   # the Frobenius group of order 21
    >>> G.order, G.is_abelian, len(G.conjugacy_classes())
    (21, False, 5)
    >>> D = gm.semidirect_product(gm.cyclic(5), gm.cyclic(2), [lambda n: (-n) % 5])
    >>> D.is_isomorphic_candidate(gm.dihedral(5))
    True
    """
    for arg, value in (("N", N), ("H", H)):
        if not isinstance(value, FiniteGroup):
            raise TypeError(f"{arg} must be a FiniteGroup, got {type(value).__name__}")
    if callable(action) or isinstance(action, np.ndarray) and action.ndim == 1:
        raise TypeError("action must be a sequence with one automorphism (array or callable) per generator "
                        f"of H, e.g. [lambda n: ...]; got {type(action).__name__}")
    action = list(action)
    if len(action) != len(H.generators):
        raise ValueError(f"action must give one automorphism per generator of H ({len(H.generators)}), got {len(action)}")
    # the table auts[h, n] (int64), the gathers that check it and its int32 copy
    check_size((H.order, N.order), 28, f"the automorphism table of {_paren(N.name)}:{_paren(H.name)}",
               how="a semidirect product keeps |H| x |N| automorphism images; use smaller factors")
    gen_auts = [_as_automorphism(N, img, f"action[{i}]") for i, img in enumerate(action)]
    # Extend to all of H along a breadth-first spanning tree of its Cayley graph,
    # \phi_{h s} = \phi_h \circ \phi_s, i.e. auts[h s, :] = auts[h, phi_s]: one gather per level and generator.
    auts = np.full((H.order, N.order), -1, dtype=np.int64)
    auts[H.identity] = N.elements()
    steps, step_auts = [], []                  # generators and their repeated squares (O(log) levels)
    for s, i, j in H.generator_powers(H.generators):
        steps.append(s)
        step_auts.append(gen_auts[i] if j == 0 else step_auts[-1][step_auts[-1]])
    for k, fresh, src in H.spanning_tree(steps):
        auts[fresh] = auts[src][:, step_auts[k]]
    # Homomorphism: phi(h s) == phi(h) o phi(s) for every h and generator s.
    hs_all = H.elements()
    for s, phis in zip(H.generators, gen_auts):
        prod = H._mul(hs_all, np.int64(s))
        composed = auts[:, phis]
        bad = np.flatnonzero((auts[prod] != composed).any(axis=1))
        if bad.size:
            h = int(bad[0])
            raise ValueError(
                f"action is not a homomorphism H -> Aut(N): phi({H.label(h)} * {H.label(s)}) differs from "
                f"phi({H.label(h)}) o phi({H.label(s)}); check the relations of H"
            )
    dt = np.int32 if N.order < 2**31 else np.int64
    auts = auts.astype(dt)
    auts.flags.writeable = False                       # ours: handed over without another copy
    return SemidirectProduct(N, H, auts)
