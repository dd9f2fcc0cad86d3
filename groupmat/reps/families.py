"""The explicit irreducible representations of the declared families (no character table needed).

Read from the group's declared structure (``G.structure``), each list unitary with the trivial
representation first:

- every abelian group (cyclic groups ``C_n``, sign groups ``C_2^k``, their products, and any abelian
  group given by a table or by permutations), through its cyclic coordinates
  ``G = C_{m_1} x ... x C_{m_k}`` (:meth:`FiniteGroup.cyclic_coordinates
  <groupmat.FiniteGroup.cyclic_coordinates>`): ``chi_q(g) = exp(-2 pi i sum_j q_j c_j(g) / m_j)``, the
  frequencies ``q`` in row-major order, which is the order of the output of ``numpy.fft.fftn``, so
  :func:`groupmat.fourier` is the DFT (for ``C_n``: ``rho_k(r^g) = exp(-2 pi i k g / n)``; for the sign
  group ``C_2^k``: ``rho_S(g) = (-1)^{popcount(S & g)}``);
- dihedral ``D_n`` (``n >= 3``): the one-dimensional characters, then ``r^j -> R(2 pi k j / n)``,
  ``s r^j -> diag(1, -1) R(2 pi k j / n)`` for ``k = 1..floor((n-1)/2)``;
- dicyclic ``Dic_n`` (quaternion groups): the one-dimensional characters, then
  ``a -> diag(z^k, z^-k)``, ``x -> [[0, (-1)^k], [1, 0]]`` with ``z = exp(2 pi i / 2n)``;
- symmetric ``S_n``: Young's orthogonal form, exact with square roots.

Direct products (Kronecker products of the factors' irreducibles) and every other group are served by
:mod:`groupmat.reps.irreducibles`, which builds on these and on the character table; this module
imports neither, so the character table can use it.
"""
from __future__ import annotations

import math

import numpy as np

from .. import routing
from .._exact import exact_number
from .._validation import check_size
from ..groups.core import FiniteGroup
from .representation import Representation, from_generators

__all__ = ["abelian_phases", "explicit_irreps", "dihedral_one_dim"]


def _sym():
    import sympy

    return sympy


def _root(k: int, n: int):
    """The exact root of unity ``exp(2 pi i k / n)``."""
    sympy = _sym()
    return sympy.exp(2 * sympy.pi * sympy.I * sympy.Rational(k % n, n))


def _cos_sin(k: int, n: int):
    sympy = _sym()
    t = 2 * sympy.pi * sympy.Rational(k % n, n)
    return sympy.cos(t), sympy.sin(t)


def _rep(G, mats, name, exact):
    if exact:
        mats = np.asarray(mats, dtype=object)
    return Representation(G, mats, check=False, name=name)


def abelian_phases(G: FiniteGroup, elements=None) -> tuple:
    """The characters of an abelian group as phases: ``chi_q(g) = exp(-2 pi i t[q, g] / N)``.

    With the cyclic coordinates ``G = C_{m_1} x ... x C_{m_k}`` (``c_j(g)`` the coordinates of ``g``)
    and ``N = lcm(m_j)``, ``t[q, g] = sum_j q_j c_j(g) (N / m_j) mod N`` for the frequencies ``q`` in
    row-major order: row ``q`` is the ``q``-th output of ``numpy.fft.fftn`` on the grid, the ``q``-th
    irreducible of :func:`irreps`.

    Parameters
    ----------
    G : FiniteGroup
        An abelian group.
    elements : array_like of int, optional
        The elements to evaluate on (default: all, in index order).

    Returns
    -------
    t : ndarray of int64, shape (|G|, len(elements))
    N : int

    Examples
    --------
    >>> import groupmat as gm
    >>> from groupmat.reps.families import abelian_phases
    >>> t, N = abelian_phases(gm.cyclic(4))
    >>> N, t[1].tolist()                      # chi_1(r^g) = exp(-2 pi i g / 4)
    (4, [0, 1, 2, 3])
    """
    coords = G.cyclic_coordinates()
    if coords is None:
        raise ValueError(f"G must be abelian, got {G.name}")
    shape = tuple(int(m) for m in coords.shape)
    n = G.order
    N = math.lcm(*shape)
    g = G.elements() if elements is None else np.asarray(elements, dtype=np.int64).reshape(-1)
    pos = g if coords.positions is None else coords.positions[g]
    check_size((n, g.size), 16, f"the character phases of {G.name} (int64, with the temporary of their sum)")
    comps = np.unravel_index(pos, shape)
    freqs = np.unravel_index(np.arange(n, dtype=np.int64), shape)
    t = np.zeros((n, g.size), dtype=np.int64)
    for q, c, m in zip(freqs, comps, shape):
        t += np.outer((q * (N // m)) % N, c)               # each term < N m
        t %= N
    return t, N


def _unit_roots(N: int) -> np.ndarray:
    """``exp(-2 pi i t / N)`` for ``t = 0..N-1``, exactly ``1, -i, -1, i`` at the quarter turns."""
    t = np.arange(N)
    w = np.exp(-2j * np.pi * t / N)
    quarter = (4 * t) % N == 0
    w[quarter] = np.array([1, -1j, -1, 1j])[(4 * t[quarter]) // N]
    return w


def _abelian_irreps(G, exact):
    """The characters of an abelian group in the order of its FFT (:func:`abelian_phases`); real rows
    (values +-1 only) as real arrays."""
    t, N = abelian_phases(G)
    w = _unit_roots(N)
    real = np.all((2 * t) % N == 0, axis=1)
    roots: dict = {}
    out = []
    for k in range(G.order):
        if exact:
            row = np.empty(t.shape[1], dtype=object)
            for i, v in enumerate(t[k].tolist()):
                if v not in roots:
                    roots[v] = _root(-v, N)
                row[i] = roots[v]
            mats = row[:, None, None]
        else:
            row = w[t[k]]
            mats = (row.real if real[k] else row)[:, None, None]
        out.append(_rep(G, mats, f"chi_{k} of {G.name}", exact))
    return out


def dihedral_one_dim(n):
    """The one-dimensional characters of D_n as (values on r, values on s)."""
    chars = [(1, 1), (1, -1)]
    if n % 2 == 0:
        chars += [(-1, 1), (-1, -1)]
    return chars


def _family_param(G) -> int:
    """The declared parameter ``n`` of ``D_n``, ``Dic_n``, ``S_n`` (``G.structure.params``)."""
    return int(G.structure.params[0])


def _dihedral_irreps(G, exact):
    n = _family_param(G)
    e, j = np.divmod(np.arange(2 * n), n)
    out = []
    for a, b in dihedral_one_dim(n):
        vals = (a ** j) * (b ** e)
        if exact:
            mats = np.array([[[_sym().Integer(int(v))]] for v in vals], dtype=object)
        else:
            mats = vals[:, None, None].astype(float)
        out.append(_rep(G, mats, f"1-dim ({a:+d}, {b:+d}) of {G.name}", exact))
    for k in range(1, (n - 1) // 2 + 1):
        if exact:
            mats = np.empty((2 * n, 2, 2), dtype=object)
            for g in range(2 * n):
                c, s = _cos_sin(k * int(j[g]), n)
                sgn = -1 if e[g] else 1
                mats[g] = [[c, -s], [sgn * s, sgn * c]]
        else:
            t = 2 * np.pi * ((k * j) % n) / n
            c, s = np.cos(t), np.sin(t)
            sgn = np.where(e == 1, -1.0, 1.0)
            mats = np.stack([np.stack([c, -s], -1), np.stack([sgn * s, sgn * c], -1)], -2)
        out.append(_rep(G, mats, f"rho_{k} of {G.name}", exact))
    return out


def _dicyclic_irreps(G, exact, real=False):
    """Irreps of ``Dic_n`` (``a^(2n) = e, x^2 = a^n, x a x^-1 = a^-1``): complex, or real forms (``real``).

    Linear: ``a -> +-1``, ``x -> +-1`` (``n`` even) or ``x -> +-i`` when ``a -> -1`` (``n`` odd).
    Degree 2, ``k = 1..n-1``: ``a -> diag(z^k, z^-k)``, ``x -> [[0, (-1)^k], [1, 0]]``, quaternionic for
    odd ``k``; for even ``k`` the real form ``a -> R(2 pi k / 2n)``, ``x -> diag(1, -1)``.
    """
    n = _family_param(G)
    m = 2 * n
    sympy = _sym() if exact else None

    def num(v):
        return exact_number(v) if exact else v

    if n % 2 == 0:
        ones = [(1, 1), (1, -1), (-1, 1), (-1, -1)]
    else:
        ones = [(1, 1), (1, -1), (-1, "i"), (-1, "-i")]
    out = []
    for a, x in ones:
        if x in ("i", "-i"):
            if real:
                continue  # the pair a -> -1, x -> +-i is realified below
            xv = (sympy.I if exact else 1j) * (1 if x == "i" else -1)
        else:
            xv = num(x)
        av = num(a)
        if exact:
            imgs = [np.array([[av]], dtype=object), np.array([[xv]], dtype=object)]
        else:
            dt = complex if isinstance(xv, complex) else float
            imgs = [np.array([[av]], dtype=dt), np.array([[xv]], dtype=dt)]
        out.append(from_generators(G, imgs, check=False, name=f"1-dim ({a}, {x}) of {G.name}"))
    if real and n % 2 == 1:
        # the complex pair a -> -1, x -> +-i realified: x -> rotation by pi/2
        A = [[-1, 0], [0, -1]]
        X = [[0, -1], [1, 0]]
        imgs = [np.array(A, dtype=object if exact else float), np.array(X, dtype=object if exact else float)]
        if exact:
            imgs = [np.vectorize(sympy.Integer, otypes=[object])(im) for im in imgs]
        out.append(from_generators(G, imgs, check=False, name=f"2-dim real (-1, i) of {G.name}"))
    for k in range(1, n):
        sign = -1 if k % 2 else 1
        if real and k % 2 == 0:
            if exact:
                c, s = _cos_sin(k, m)
                A = np.array([[c, -s], [s, c]], dtype=object)
                X = np.array([[1, 0], [0, -1]], dtype=object)
                X = np.vectorize(sympy.Integer, otypes=[object])(X)
            else:
                t = 2 * np.pi * k / m
                A = np.array([[np.cos(t), -np.sin(t)], [np.sin(t), np.cos(t)]])
                X = np.diag([1.0, -1.0])
            out.append(from_generators(G, [A, X], check=False, name=f"rho_{k} (real form) of {G.name}"))
            continue
        if exact:
            A = np.array([[_root(k, m), 0], [0, _root(-k, m)]], dtype=object)
            A[0, 1] = A[1, 0] = sympy.Integer(0)
            X = np.array([[0, sign], [1, 0]], dtype=object)
            X = np.vectorize(sympy.Integer, otypes=[object])(X)
        else:
            A = np.diag([np.exp(2j * np.pi * k / m), np.exp(-2j * np.pi * k / m)])
            X = np.array([[0, sign], [1, 0]], dtype=complex)
        rho = from_generators(G, [A, X], check=False, name=f"rho_{k} of {G.name}")
        if real:  # quaternionic type: realified
            rho = _realification(rho, name=f"rho_{k} (realified) of {G.name}")
        out.append(rho)
    return out


# ------------------------------------------------------------------------------- symmetric groups
def _partitions(n):
    """Partitions of n, in decreasing lexicographic order ((n) first)."""
    out = []

    def rec(rest, maxpart, prefix):
        if rest == 0:
            out.append(tuple(prefix))
            return
        for p in range(min(rest, maxpart), 0, -1):
            rec(rest - p, p, prefix + [p])

    rec(n, n, [])
    return out


def _standard_tableaux(shape):
    """Standard Young tableaux of a shape, each as a tuple ``pos[v] = (row, col)`` for ``v = 0..n-1``."""
    n = sum(shape)
    out = []

    def rec(rowlens, placed):
        v = len(placed)
        if v == n:
            out.append(tuple(placed))
            return
        for r in range(len(shape)):
            c = rowlens[r]
            if c < shape[r] and (r == 0 or rowlens[r - 1] > c):
                rowlens[r] += 1
                placed.append((r, c))
                rec(rowlens, placed)
                placed.pop()
                rowlens[r] -= 1

    rec([0] * len(shape), [])
    return out


def _young_generators(shape, n, exact):
    """Young's orthogonal form of the adjacent transpositions ``s_i = (i, i+1)``, ``i = 0..n-2``.

    ``Y(s_i) e_T = (1/r) e_T + sqrt(1 - 1/r^2) e_{s_i T}`` with the axial distance
    ``r = c_T(i+1) - c_T(i)`` (content ``c = col - row``).
    """
    tabs = _standard_tableaux(shape)
    index = {t: k for k, t in enumerate(tabs)}
    d = len(tabs)
    sympy = _sym() if exact else None
    mats = []
    for i in range(n - 1):
        if exact:
            Y = np.full((d, d), sympy.Integer(0), dtype=object)
        else:
            Y = np.zeros((d, d))
        for t, T in enumerate(tabs):
            (r1, c1), (r2, c2) = T[i], T[i + 1]
            r = (c2 - r2) - (c1 - r1)
            Y[t, t] = sympy.Rational(1, r) if exact else 1.0 / r
            if abs(r) > 1:
                swapped = list(T)
                swapped[i], swapped[i + 1] = T[i + 1], T[i]
                u = index[tuple(swapped)]
                Y[u, t] = sympy.sqrt(sympy.Rational(r * r - 1, r * r)) if exact else math.sqrt(1 - 1 / r**2)
        mats.append(Y)
    return mats, d


def _young_image(p, gens_Y, d, exact):
    """``Y(q)`` for a permutation image array ``q`` (composition ``(a o b)(i) = a(b(i))``)."""
    q = list(int(v) for v in p)
    M = None
    changed = True
    while changed:
        changed = False
        for i in range(len(q) - 1):
            if q[i] > q[i + 1]:
                q[i], q[i + 1] = q[i + 1], q[i]           # q = (q o s_i) o s_i
                M = gens_Y[i] if M is None else gens_Y[i] @ M
                changed = True
                break
    if M is None:
        if exact:
            sympy = _sym()
            M = np.full((d, d), sympy.Integer(0), dtype=object)
            for k in range(d):
                M[k, k] = sympy.Integer(1)
        else:
            M = np.eye(d)
    if exact:
        M = np.vectorize(_sym().expand, otypes=[object])(M)
    return M


def _symmetric_irreps(G, exact):
    n = G.degree
    out = []
    for shape in _partitions(n):
        gens_Y, d = _young_generators(shape, n, exact)
        images = []
        for g in G.generators:
            p = np.asarray(G.permutation(g), dtype=np.int64)
            pinv = np.empty_like(p)
            pinv[p] = np.arange(n)
            # g h applies g first, so g -> Y(perm(g)^-1) is a homomorphism
            images.append(_young_image(pinv, gens_Y, d, exact))
        out.append(from_generators(G, images, check=False, name=f"Young {list(shape)} of {G.name}"))
    return out



def _realification(rho: Representation, name: str | None = None) -> Representation:
    """``[[Re rho, -Im rho], [Im rho, Re rho]]`` (orthogonal when rho is unitary)."""
    m = rho.matrices
    if rho.exact:
        sympy = _sym()
        re = np.vectorize(lambda z: sympy.expand(sympy.re(sympy.expand_complex(z))), otypes=[object])(m)
        im = np.vectorize(lambda z: sympy.expand(sympy.im(sympy.expand_complex(z))), otypes=[object])(m)
    else:
        re, im = np.real(m), np.imag(m)
    top = np.concatenate([re, -im], axis=2)
    bot = np.concatenate([im, re], axis=2)
    return Representation(rho.group, np.concatenate([top, bot], axis=1), check=False,
                          name=name or f"realification of {rho.name}")


def dicyclic_real_info(G) -> list:
    """``(frobenius_schur, complex_indices)`` of the real irreps of a dicyclic group, in the order
    :func:`explicit_irreps` builds them with ``field="real"``."""
    n = _family_param(G)
    # complex order: 4 one-dim (for odd n: (1,1), (1,-1), (-1,i), (-1,-i)), then rho_k, k = 1..n-1
    if n % 2 == 0:
        info = [(1, (0,)), (1, (1,)), (1, (2,)), (1, (3,))]
    else:
        info = [(1, (0,)), (1, (1,)), (0, (2, 3))]
    info += [((-1 if k % 2 else 1), (3 + k,)) for k in range(1, n)]
    return info


def explicit_irreps(G: FiniteGroup, exact: bool = False, field: str = "complex"):
    """The explicit complex irreducibles of a declared family (abelian, dihedral, dicyclic,
    symmetric) as plain :class:`~groupmat.reps.Representation` objects, or None for any other group
    (direct products included).

    ``field="real"`` changes only the dicyclic list: its real irreducibles in the order
    :func:`dicyclic_real_info` describes.

    Examples
    --------
    >>> import groupmat as gm
    >>> from groupmat.reps.families import explicit_irreps
    >>> [r.dim for r in explicit_irreps(gm.dihedral(4))], explicit_irreps(gm.alternating(4)) is None
    ([1, 1, 1, 1, 2], True)
    """
    if routing.transform_kind(G) == "abelian":
        return _abelian_irreps(G, exact)
    family = G.structure.family
    if family == "dihedral":
        return _dihedral_irreps(G, exact)
    if family == "dicyclic":
        return _dicyclic_irreps(G, exact, real=(field == "real"))
    if family == "symmetric":
        return _symmetric_irreps(G, exact)
    return None
