"""Structured families whose multiplication is arithmetic on indices: no table is ever needed.

``cyclic(10**7).mul(a, b)`` is one modular addition; the Cayley table is built only on request.
"""
from __future__ import annotations

import numpy as np

from .._validation import as_element_array, check_positive_int
from .core import FiniteGroup
from .structure import GroupStructure

__all__ = ["cyclic", "dihedral", "dicyclic", "quaternion", "generalized_quaternion",
           "CyclicGroup", "DihedralGroup", "DicyclicGroup"]


def _power_label(symbol: str, k: int) -> str:
    return "" if k == 0 else (symbol if k == 1 else f"{symbol}^{k}")


class CyclicGroup(FiniteGroup):
    """The cyclic group ``C_n``: element ``k`` is ``r^k``; ``mul(a, b) = (a + b) mod n``.

    Parameters
    ----------
    n : int
        The order, ``1 <= n <= 2**62``.

    Examples
    --------
    >>> import groupmat as gm
    >>> G = gm.groups.CyclicGroup(6)
    >>> G.n, G.mul(4, 5), G.label(5)
    (6, 3, 'r^5')
    """

    structured = True

    def __init__(self, n: int):
        n = check_positive_int(n, "n")
        self.n = n
        labels = lambda: ["e"] + [_power_label("r", k) for k in range(1, n)]  # noqa: E731
        super().__init__(n, 0, (1,) if n > 1 else (), labels, f"C{n}", GroupStructure("cyclic", (n,)))

    def _label_of(self, i: int):
        return "e" if i == 0 else _power_label("r", i)

    def _mul(self, a, b):
        return (a + b) % self.n

    def _inv(self, a):
        return (-a) % self.n

    def element_order(self, a):
        """Orders by formula: ``r^k`` has order ``n / gcd(k, n)``."""
        arr = as_element_array(a, self.order, "a")
        out = self.n // np.gcd(arr, self.n)
        return int(out) if out.ndim == 0 else out

    @property
    def is_abelian(self) -> bool:
        return True

    def element(self, label) -> int:
        if label == "e":
            return 0
        if label == "r" and self.n > 1:
            return 1
        if isinstance(label, str) and label.startswith("r^"):
            try:
                k = int(label[2:])
            except ValueError:
                k = -1
            if 1 < k < self.n:
                return k
        return super().element(label)


def cyclic(n: int) -> CyclicGroup:
    """The cyclic group ``C_n`` of order ``n``.

    Element ``k`` is ``r^k``, so ``mul(a, b) = (a + b) mod n``; the identity is 0 and the generator
    is 1. Multiplication is modular arithmetic: no table is built unless asked for.

    Parameters
    ----------
    n : int
        The order, ``n >= 1``.

    Returns
    -------
    CyclicGroup

    See Also
    --------
    dihedral, sign_group, direct_product

    Examples
    --------
    >>> import groupmat as gm
    >>> G = gm.cyclic(5)
    >>> G.mul(3, 4), G.inv(2), G.labels
    (2, 3, ['e', 'r', 'r^2', 'r^3', 'r^4'])
    >>> gm.cyclic(10**7).mul(10**7 - 1, 2)
    1
    """
    return CyclicGroup(n)


class DihedralGroup(FiniteGroup):
    """The dihedral group of order ``2n``: element ``k < n`` is ``r^k``, element ``n + k`` is ``s r^k``.

    With ``s r s = r^-1``: ``(s^e1 r^k1)(s^e2 r^k2) = s^(e1+e2) r^((-1)^e2 k1 + k2)``.

    Parameters
    ----------
    n : int
        The number of rotations; the order is ``2n``.

    Examples
    --------
    >>> import groupmat as gm
    >>> G = gm.groups.DihedralGroup(4)
    >>> G.order, G.label(G.mul(5, 1))           # (s r)(r) = s r^2
    (8, 's r^2')
    """

    structured = True

    def __init__(self, n: int):
        n = check_positive_int(n, "n")
        self.n = n

        def labels():
            rot = ["e"] + [_power_label("r", k) for k in range(1, n)]
            ref = ["s"] + ["s " + _power_label("r", k) for k in range(1, n)]
            return rot + ref

        gens = (1, n) if n > 1 else (n,)
        super().__init__(2 * n, 0, gens, labels, f"D{n}", GroupStructure("dihedral", (n,)))

    def _label_of(self, i: int):
        e, k = divmod(i, self.n)
        if e == 0:
            return "e" if k == 0 else _power_label("r", k)
        return "s" if k == 0 else "s " + _power_label("r", k)

    def _mul(self, a, b):
        n = self.n
        e1, k1 = np.divmod(a, n)
        e2, k2 = np.divmod(b, n)
        k = (np.where(e2 == 1, -k1, k1) + k2) % n
        return (e1 ^ e2) * n + k

    def _inv(self, a):
        n = self.n
        e, k = np.divmod(a, n)
        return np.where(e == 1, a, (-k) % n)

    def element_order(self, a):
        """Orders by formula: ``r^k`` has order ``n / gcd(k, n)``, every reflection order 2."""
        arr = as_element_array(a, self.order, "a")
        e, k = np.divmod(arr, self.n)
        out = np.where(e == 1, 2, self.n // np.gcd(k, self.n))
        return int(out) if out.ndim == 0 else out


def dihedral(n: int) -> DihedralGroup:
    """The dihedral group ``D_n`` of order ``2n``, the symmetries of a regular ``n``-gon [1]_.

    Generators ``r`` (rotation, element 1) and ``s`` (reflection, element ``n``), with
    ``r^n = s^2 = e`` and ``s r s = r^-1``. Element ``k < n`` is ``r^k`` and element ``n + k`` is
    ``s r^k``. Multiplication is index arithmetic: no table is built unless asked for.

    Parameters
    ----------
    n : int
        Number of rotations, ``n >= 1`` (``dihedral(1)`` is ``C_2``, ``dihedral(2)`` the Klein group).

    Returns
    -------
    DihedralGroup

    See Also
    --------
    cyclic, dicyclic

    Examples
    --------
    >>> import groupmat as gm
    >>> G = gm.dihedral(3)
    >>> G.order, G.labels
    (6, ['e', 'r', 'r^2', 's', 's r', 's r^2'])
    >>> G.label(G.mul(G.element("s"), G.element("r")))
    's r'
    >>> G.label(G.mul(G.element("r"), G.element("s")))
    's r^2'

    References
    ----------
    .. [1] https://en.wikipedia.org/wiki/Dihedral_group
    """
    return DihedralGroup(n)


class DicyclicGroup(FiniteGroup):
    """The dicyclic group ``Dic_n`` of order ``4n``: ``<a, x | a^(2n) = e, x^2 = a^n, x a x^-1 = a^-1>``.

    Element ``k < 2n`` is ``a^k`` and element ``2n + k`` is ``a^k x``.

    Parameters
    ----------
    n : int
        ``n >= 1``; the order is ``4n``.
    labels : sequence of hashable, optional
        One label per element (default ``"e", "a", ..., "x", "a x", ...``).
    name : str, optional
        Default ``"Dic{n}"``.

    Examples
    --------
    >>> import groupmat as gm
    >>> G = gm.groups.DicyclicGroup(3)
    >>> G.order, G.label(G.power(G.element("x"), 2))          # x^2 = a^n
    (12, 'a^3')
    """

    structured = True

    def __init__(self, n: int, labels=None, name=None):
        n = check_positive_int(n, "n")
        self.n = n
        m = 2 * n

        def default_labels():
            pure = ["e"] + [_power_label("a", k) for k in range(1, m)]
            mixed = ["x"] + [_power_label("a", k) + " x" for k in range(1, m)]
            return pure + mixed

        super().__init__(4 * n, 0, (1, m), labels or default_labels, name or f"Dic{n}", GroupStructure("dicyclic", (n,)))

    def _label_of(self, i: int):
        e, k = divmod(i, 2 * self.n)
        if e == 0:
            return "e" if k == 0 else _power_label("a", k)
        return "x" if k == 0 else _power_label("a", k) + " x"

    def _mul(self, a, b):
        m = 2 * self.n
        e1, k1 = np.divmod(a, m)
        e2, k2 = np.divmod(b, m)
        # a^k1 x^e1 a^k2 x^e2 = a^(k1 + (-1)^e1 k2) x^(e1 + e2), and x^2 = a^n
        k = k1 + np.where(e1 == 1, -k2, k2) + np.where((e1 & e2) == 1, self.n, 0)
        return (e1 ^ e2) * m + k % m

    def _inv(self, a):
        m = 2 * self.n
        e, k = np.divmod(a, m)
        # (a^k x)^-1 = x^-1 a^-k = a^n x a^-k = a^(n+k) x
        return np.where(e == 1, m + (k + self.n) % m, (-k) % m)

    def element_order(self, a):
        """Orders by formula: ``a^k`` has order ``2n / gcd(k, 2n)``, every ``a^k x`` order 4."""
        arr = as_element_array(a, self.order, "a")
        m = 2 * self.n
        e, k = np.divmod(arr, m)
        out = np.where(e == 1, 4, m // np.gcd(k, m))
        return int(out) if out.ndim == 0 else out


def dicyclic(n: int) -> DicyclicGroup:
    """The dicyclic group ``Dic_n`` of order ``4n``.

    Presentation ``<a, x | a^(2n) = e, x^2 = a^n, x a x^-1 = a^-1>``; element ``k < 2n`` is ``a^k``
    and element ``2n + k`` is ``a^k x``; generators ``a`` (element 1) and ``x`` (element ``2n``).
    ``Dic_2`` is the quaternion group ``Q_8`` and ``Dic_(2^(m-2))`` the generalised quaternion
    group of order ``2^m``.

    Parameters
    ----------
    n : int
        ``n >= 1``; the order is ``4n`` (``dicyclic(1)`` is ``C_4``).

    Returns
    -------
    DicyclicGroup

    See Also
    --------
    quaternion, generalized_quaternion, dihedral

    Examples
    --------
    >>> import groupmat as gm
    >>> G = gm.dicyclic(3)
    >>> G.order, G.element_order(G.element("x"))
    (12, 4)
    """
    return DicyclicGroup(n)


def quaternion() -> DicyclicGroup:
    """The quaternion group ``Q_8 = {1, i, -1, -i, j, k, -j, -k}``.

    It is :func:`dicyclic` (2) with ``a = i`` and ``x = j``; element order
    ``1, i, -1, -i, j, k, -j, -k`` (so ``a^k x`` is ``i^k j``), generators ``i`` and ``j``.

    Examples
    --------
    >>> import groupmat as gm
    >>> Q = gm.quaternion()
    >>> Q.label(Q.mul(Q.element("i"), Q.element("j")))
    'k'
    >>> Q.label(Q.mul(Q.element("j"), Q.element("i")))
    '-k'
    """
    return DicyclicGroup(2, labels=["1", "i", "-1", "-i", "j", "k", "-j", "-k"], name="Q8")


def generalized_quaternion(order: int) -> DicyclicGroup:
    """The generalised quaternion group ``Q_(2^m)`` of the given order ``2^m >= 8``.

    Examples
    --------
    >>> import groupmat as gm
    >>> gm.groups.generalized_quaternion(16).name
    'Q16'
    """
    order = check_positive_int(order, "order", minimum=8)
    if order & (order - 1):
        raise ValueError(f"order must be a power of two >= 8, got {order}")
    if order == 8:
        return quaternion()
    return DicyclicGroup(order // 4, name=f"Q{order}")
