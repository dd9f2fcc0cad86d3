"""Frobenius's group determinant, factored over the rationals from the irreducible representations.

With ``M_x[g, h] = x(g^-1 h)`` (one symbol ``x_g`` per element) Frobenius's theorem reads

.. math::  \\det M_x = \\prod_\\rho \\Theta_\\rho^{\\,d_\\rho}, \\qquad
           \\Theta_\\rho = \\det \\Big(\\sum_g x_g \\rho(g)\\Big),

each :math:`\\Theta_\\rho` absolutely irreducible of degree :math:`d_\\rho`. The Galois conjugates
``chi -> chi^sigma`` (``chi^sigma(g) = chi(g^k)``, ``k`` prime to the exponent) of a character give
conjugate factors; the product over one Galois orbit has integer coefficients (it divides the integer
polynomial ``det M_x`` and is monic in ``x_e``) and is irreducible over Q.

The factors are computed numerically from the (unitary) irreducibles as polynomials stored by their
monomials (sorted tuples of variable indices), then rounded to integers and checked, so no ``n x n``
symbolic determinant is ever expanded.
"""
from __future__ import annotations

import itertools
import math

import numpy as np

from .._validation import TooLargeError, check_size
from ..groups.core import check_group
from ..groups.core import FiniteGroup
from ..tolerances import integrality_tol, roundoff

__all__ = ["group_determinant"]

_MAX_TERMS = 20_000_000


class _Poly:
    """A homogeneous polynomial: ``exps[t]`` sorted variable indices (length = degree), ``coeffs[t]``."""

    def __init__(self, exps, coeffs, nvars):
        self.exps, self.coeffs, self.nvars = exps, coeffs, nvars

    @staticmethod
    def linear(c, nvars):
        # the entries of a unitary irreducible (computed from sums of about nvars terms): below the
        # round-off of such a sum they are zero
        nz = np.flatnonzero(np.abs(c) > roundoff(c.dtype, scale=float(np.max(np.abs(c), initial=0)), terms=nvars))
        return _Poly(nz[:, None].astype(np.int64), c[nz].astype(complex), nvars)

    @staticmethod
    def constant(v, nvars):
        return _Poly(np.zeros((1, 0), dtype=np.int64), np.array([complex(v)]), nvars)

    def _combine(self, exps, coeffs):
        D = exps.shape[1]
        if D == 0:
            return _Poly(exps[:1], np.array([coeffs.sum()]), self.nvars)
        exps = np.sort(exps, axis=1)
        if self.nvars ** D < 2**62:
            keys = exps @ (self.nvars ** np.arange(D, dtype=np.int64))
            uniq, first, inverse = np.unique(keys, return_index=True, return_inverse=True)
        else:
            _, first, inverse = np.unique(exps, axis=0, return_index=True, return_inverse=True)
            inverse = inverse.ravel()
        summed = np.zeros(first.size, dtype=complex)
        np.add.at(summed, inverse, coeffs)
        # each coefficient is a sum of at most coeffs.size products: what cancels to round-off is zero
        keep = np.abs(summed) > roundoff(summed.dtype, scale=float(np.abs(summed).max(initial=0)), terms=coeffs.size)
        return _Poly(exps[first][keep], summed[keep], self.nvars)

    def __mul__(self, other):
        T1, T2 = self.coeffs.size, other.coeffs.size
        if T1 * T2 > _MAX_TERMS:
            raise TooLargeError(f"the group determinant would need a product of {T1} x {T2} terms "
                                f"(limit {_MAX_TERMS}); the factors are too large to expand")
        D = self.exps.shape[1] + other.exps.shape[1]
        check_size((T1 * T2, max(D, 1)), 8, "the monomials of a product in the group determinant")
        exps = np.concatenate([np.repeat(self.exps, T2, axis=0), np.tile(other.exps, (T1, 1))], axis=1)
        coeffs = np.repeat(self.coeffs, T2) * np.tile(other.coeffs, T1)
        return self._combine(exps, coeffs)

    def __add__(self, other):
        return self._combine(np.concatenate([self.exps, other.exps]), np.concatenate([self.coeffs, other.coeffs]))

    def scale(self, c):
        return _Poly(self.exps, self.coeffs * c, self.nvars)

    def to_sympy(self, symbols):
        import sympy

        c = self.coeffs
        ints = np.rint(c.real)
        err = np.max(np.abs(c - ints), initial=0) / max(1.0, np.abs(c).max(initial=0))
        if err > integrality_tol(c.dtype):
            raise ArithmeticError(f"group determinant factor did not round to integers (error {err:.2g})")
        terms = {}
        for e, v in zip(self.exps, ints):
            powers = [0] * len(symbols)
            for i in e:
                powers[int(i)] += 1
            terms[tuple(powers)] = int(v)
        return sympy.Poly.from_dict(terms, *symbols).as_expr()


def _det_poly(rho_mats, nvars):
    """``det(sum_g x_g rho(g))`` for numeric ``rho_mats`` (n, d, d), by Leibniz's formula."""
    d = rho_mats.shape[1]
    if d > 6:
        raise TooLargeError(f"an irreducible of degree {d} gives a factor of degree {d}: too large to expand "
                            "(degrees up to 6 are supported)")
    lin = [[_Poly.linear(rho_mats[:, i, j], nvars) for j in range(d)] for i in range(d)]
    total = None
    for perm in itertools.permutations(range(d)):
        sign = 1
        p = list(perm)
        for i in range(d):                      # parity by counting inversions
            for j in range(i + 1, d):
                if p[i] > p[j]:
                    sign = -sign
        term = _Poly.constant(sign, nvars)
        for i in range(d):
            term = term * lin[i][perm[i]]
        total = term if total is None else total + term
    return total


def _unit_generators(N: int) -> list:
    """A small generating set of the unit group ``(Z/N)^*`` (greedy: add the least unit not yet generated)."""
    if N <= 2:
        return []
    units = np.flatnonzero(np.gcd(np.arange(N), N) == 1)
    check_size((N,), 1, "the unit group of the exponent")
    inside = np.zeros(N, dtype=bool)
    inside[1] = True
    gens = []
    for k in units:
        if inside[k]:
            continue
        gens.append(int(k))
        # close the subgroup under multiplication by k
        members = np.flatnonzero(inside)
        new = members
        while new.size:
            prod = (new * k) % N
            prod = prod[~inside[prod]]
            inside[prod] = True
            new = np.unique(prod)
        if inside[units].all():
            break
    return gens


def _row_keys(V: np.ndarray) -> list:
    """Hashable keys of the character rows, rounded (``-0.0`` folded into ``0.0``)."""
    R = np.round(V, 6) + (0.0 + 0.0j)
    return [row.tobytes() for row in R]


def _galois_orbits(G):
    """Orbits of the irreducible characters under ``chi -> (g -> chi(g^k))``, ``gcd(k, exponent) = 1``.

    Only generators of ``(Z/N)^*`` act, and rows are matched by hashing their rounded values
    (``O(r^2)`` per generator), with a nearest-row search only for a row whose key misses.
    """
    from .characters import character_table, class_structure

    T = character_table(G)
    cs = class_structure(G)
    N = int(np.lcm.reduce(cs.orders))
    V = T.values
    r = V.shape[0]
    parent = list(range(r))

    def find(a):
        while parent[a] != a:
            parent[a] = parent[parent[a]]
            a = parent[a]
        return a

    index = {key: i for i, key in enumerate(_row_keys(V))}
    for k in _unit_generators(N):
        W = V[:, cs.power_class(np.arange(cs.r), k)]         # chi(g^k) on each class
        for a, key in enumerate(_row_keys(W)):
            b = index.get(key)
            if b is None:
                b = int(np.argmin(np.abs(W[a][None, :] - V).max(axis=1)))
            ra, rb = find(a), find(b)
            if ra != rb:
                parent[max(ra, rb)] = min(ra, rb)
    orbits = {}
    for a in range(r):
        orbits.setdefault(find(a), []).append(a)
    return [orbits[k] for k in sorted(orbits)]


def group_determinant(G: FiniteGroup, factor: bool = True) -> "list | object":
    """Frobenius's group determinant ``det M_x`` of ``G``, factored over Q.

    Parameters
    ----------
    G : FiniteGroup
    factor : bool
        ``True``: the list of ``(irreducible polynomial over Q, multiplicity)``; ``False``: the
        expanded polynomial ``det M_x``.

    Returns
    -------
    list of (sympy.Expr, int), or sympy.Expr
        In the variables ``groupmat.matrices.group_symbols(G)`` (``x_e, x_r, ...``), the symbols of
        ``group_matrix(G)``. Each factor is the product of ``Theta_rho`` over a Galois orbit of
        characters (conjugate complex characters merge into one rational factor); its multiplicity is
        ``d_rho``, its degree ``d_rho`` times the orbit length.

    Raises
    ------
    TypeError
        ``G`` is not a FiniteGroup, or ``factor`` is not a bool.
    TooLargeError
        A factor (or, for ``factor=False``, the product) has too many terms to expand.

    See Also
    --------
    fourier, irreps, group_matrix

    Examples
    --------
    >>> import groupmat as gm
    >>> for f, m in gm.group_determinant(gm.cyclic(3)):
    ...     print(f, m)
    x_e + x_r + x_{r^2} 1
    x_e**2 - x_e*x_r - x_e*x_{r^2} + x_r**2 - x_r*x_{r^2} + x_{r^2}**2 1
    >>> [m for _, m in gm.group_determinant(gm.symmetric(3))]
    [1, 2, 1]
    """
    from ..matrices import group_symbols
    from .irreducibles import irreps

    G = check_group(G)
    if not isinstance(factor, (bool, np.bool_)):
        raise TypeError(f"factor must be True or False, got {type(factor).__name__} {factor!r}")
    n = G.order
    from .characters import character_table

    degrees = character_table(G).degrees
    if degrees.max() > 6:
        raise TooLargeError(f"{G.name} has an irreducible of degree {int(degrees.max())}: its factor is too large "
                            "to expand (degrees up to 6 are supported)")
    orbits = _galois_orbits(G)
    for orbit in orbits:
        D = int(degrees[orbit[0]]) * len(orbit)           # the degree of the rational factor
        bound = math.comb(n + D - 1, D)                   # monomials of degree D in n variables
        if bound > _MAX_TERMS:
            raise TooLargeError(f"a factor of the group determinant of {G.name} has degree {D} in {n} variables "
                                f"(up to {bound:.3g} monomials, limit {_MAX_TERMS}); too large to expand")
    symbols = group_symbols(G)
    reps = irreps(G, "complex")
    out = []
    for orbit in orbits:
        poly = None
        for k in orbit:
            theta = _det_poly(reps[k].numeric().matrices.astype(complex), n)
            poly = theta if poly is None else poly * theta
        out.append((poly, reps[orbit[0]].dim))
    if factor:
        return [(p.to_sympy(symbols), m) for p, m in out]
    bound = min(math.comb(2 * n - 1, n), math.prod(p.coeffs.size ** m for p, m in out))
    if bound > _MAX_TERMS:
        raise TooLargeError(f"the expanded group determinant of {G.name} may have up to {bound:.3g} terms "
                            f"(limit {_MAX_TERMS}); use factor=True")
    total = _Poly.constant(1, n)
    for p, m in out:
        for _ in range(m):
            total = total * p
    return total.to_sympy(symbols)
