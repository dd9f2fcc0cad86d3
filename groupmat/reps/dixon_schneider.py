"""The Dixon-Schneider algorithm: exact character tables from class structure constants modulo a prime.

For classes :math:`C_1 = \\{e\\}, \\dots, C_r` with representatives :math:`g_k`, the structure constants

.. math::

    c_{ijk} = \\#\\{x \\in C_i : x^{-1} g_k \\in C_j\\}, \\qquad
    \\sum_k c_{ijk}\\, \\omega_k = \\omega_i\\, \\omega_j, \\qquad
    \\omega_k = \\frac{|C_k|\\, \\chi(g_k)}{\\chi(1)},

make every class matrix :math:`(A_i)_{jk} = c_{ijk}` act on the vector :math:`\\omega_\\chi` by the scalar
:math:`\\omega_i`. Everything is done in :math:`\\mathbb{F}_p` for a prime :math:`p \\equiv 1 \\pmod e`
(``e`` the exponent) with :math:`p > 2\\sqrt{|G|}`: then :math:`p \\nmid |G|`, the class algebra stays
semisimple, every character value reduces into :math:`\\mathbb{F}_p`, and the degrees
:math:`\\chi(1) < \\sqrt{|G|} < p/2` are read off their squares.

1. Class matrices only of the classes needed, smallest first: :math:`A_i` costs :math:`|C_i| \\cdot r`
   products (Schneider), not :math:`|G| r`.
2. Eigenspace splitting (Dixon): each common eigenspace ``V`` not yet one-dimensional is split by the
   next :math:`A_i` restricted to ``V``; its eigenvalues are the roots of the minimal polynomial of a
   random Krylov sequence, found in :math:`\\mathbb{F}_p`.
3. Normalised by :math:`\\omega_1 = 1`, the degree follows from
   :math:`\\sum_k \\omega_k\\,\\omega_{k^*}/|C_k| = |G|/\\chi(1)^2`, and
   :math:`\\chi(g_k) = \\omega_k \\chi(1)/|C_k|`.
4. Lift: for :math:`g` of order :math:`m`, :math:`z = Z^{e/m}` with ``Z`` a fixed primitive ``e``-th
   root of unity mod ``p``, the eigenvalue multiplicities
   :math:`\\mu_j = \\frac1m \\sum_t \\chi(g^t) z^{-jt}` are integers in :math:`[0, \\chi(1)]`, so their
   residues are the integers, and :math:`\\chi(g) = \\sum_j \\mu_j \\zeta_m^j` exactly (a fixed
   choice of ``Z`` is a Galois automorphism applied to the whole table: the same set of rows).

The class structure is read from an object with ``r``, ``sizes``, ``orders`` and ``power_class``, and
either ``reps``, ``classes`` (element lists) and ``class_of`` (:func:`groupmat.reps.characters.class_structure`)
or ``product_classes(i)``, blocks of the classes of the products ``x^-1 g_k`` for ``x`` in ``C_i`` (a
permutation group too large to list: its classes from generators, the elements of the small classes
enumerated as permutations).
"""
from __future__ import annotations

import math

import numpy as np

from .._validation import check_size
from ..groups.structure import prime_factors

__all__ = ["modular_characters", "choose_prime"]

#: The prime stays below 2^26 so that products of residues summed over up to 2^11 terms fit int64.
_PRIME_MAX = 2**26
#: Elements of a class multiplied against all representatives per block of the class matrices.
_BLOCK = 2**17


def _is_prime(q: int) -> bool:
    if q < 2:
        return False
    for d in (2, 3, 5, 7, 11, 13):
        if q % d == 0:
            return q == d
    return all(q % d for d in range(17, math.isqrt(q) + 1, 2))


def choose_prime(order: int, exponent: int) -> int:
    """The least prime ``p = 1 mod exponent`` with ``p > 2 sqrt(order)`` (and ``p > 100``).

    Raises
    ------
    ValueError
        When that prime would exceed ``2^26`` (the exponent is too large for the int64 arithmetic).

    Examples
    --------
    >>> from groupmat.reps.dixon_schneider import choose_prime
    >>> choose_prime(120, 60)          # S5: exponent 60
    181
    """
    low = max(2 * math.isqrt(int(order)) + 2, 101)
    q = (low // exponent) * exponent + 1
    while q < low or not _is_prime(q):
        q += exponent
        if q > _PRIME_MAX:
            raise ValueError(f"the Dixon-Schneider prime for exponent {exponent} would exceed 2^26: use "
                             "method='burnside'")
    return q


def _matmul_mod(A: np.ndarray, B: np.ndarray, p: int) -> np.ndarray:
    """``A @ B mod p`` for residues in ``[0, p)``, exact in int64: ``A`` is split into 13-bit halves so
    every partial sum stays below ``2^63`` (``p < 2^26``, inner dimension below ``2^24``)."""
    A = np.asarray(A, dtype=np.int64)
    B = np.asarray(B, dtype=np.int64)
    hi, lo = A >> 13, A & (2**13 - 1)
    return (((hi @ B) % p) * 2**13 + (lo @ B)) % p


def _rref_mod(A: np.ndarray, p: int):
    """Reduced row echelon form mod ``p`` and the pivot columns (vectorised row operations)."""
    A = np.array(A, dtype=np.int64) % p
    rows, cols = A.shape
    pivots = []
    r = 0
    for c in range(cols):
        if r == rows:
            break
        nz = np.flatnonzero(A[r:, c])
        if nz.size == 0:
            continue
        piv = r + int(nz[0])
        if piv != r:
            A[[r, piv]] = A[[piv, r]]
        A[r] = A[r] * pow(int(A[r, c]), p - 2, p) % p
        f = A[:, c].copy()
        f[r] = 0
        A = (A - f[:, None] * A[r][None, :]) % p           # products below p^2 < 2^52
        pivots.append(c)
        r += 1
    return A, pivots


def _nullspace_mod(A: np.ndarray, p: int) -> np.ndarray:
    """A basis of ``{v : A v = 0 mod p}`` as the columns of a ``(cols, nullity)`` array."""
    R, pivots = _rref_mod(A, p)
    cols = A.shape[1]
    free = [c for c in range(cols) if c not in set(pivots)]
    N = np.zeros((cols, len(free)), dtype=np.int64)
    for t, f in enumerate(free):
        N[f, t] = 1
        for i, c in enumerate(pivots):
            N[c, t] = (-R[i, f]) % p
    return N


def _column_echelon(B: np.ndarray, p: int):
    """``(B', rows)``: the same column space with ``B'[rows] = I`` (``rows`` the pivot rows)."""
    R, pivots = _rref_mod(B.T, p)
    d = len(pivots)
    return R[:d].T.copy(), pivots


def _poly_roots_mod(c: np.ndarray, p: int) -> np.ndarray:
    """The roots in ``F_p`` of the monic polynomial ``x^s + c[s-1] x^(s-1) + ... + c[0]``, by evaluating
    it on all residues (Horner, in blocks)."""
    s = c.size
    out = []
    step = 2**20
    for lo in range(0, p, step):
        x = np.arange(lo, min(p, lo + step), dtype=np.int64)
        v = np.ones_like(x)
        for j in range(s - 1, -1, -1):
            v = (v * x + int(c[j])) % p
        out.append(x[v == 0])
    return np.concatenate(out)


def _eigenvalues_mod(M: np.ndarray, p: int, rng) -> np.ndarray:
    """The distinct eigenvalues in ``F_p`` of a diagonalisable ``M``: roots of the minimal polynomial
    of a random Krylov sequence ``v, M v, M^2 v, ...`` (the first dependent power)."""
    d = M.shape[0]
    v = rng.integers(0, p, d, dtype=np.int64)
    K = np.empty((d, d + 1), dtype=np.int64)
    K[:, 0] = v
    for j in range(1, d + 1):
        K[:, j] = _matmul_mod(M, K[:, j - 1:j], p)[:, 0]
    R, pivots = _rref_mod(K, p)
    s = next(j for j in range(d + 1) if j >= len(pivots) or pivots[j] != j)
    # M^s v = sum_j R[j, s] M^j v: the minimal polynomial x^s - sum_j R[j, s] x^j
    coeffs = (-R[:s, s]) % p
    return _poly_roots_mod(coeffs, p)


def _count_products(J: np.ndarray, r: int) -> np.ndarray:
    """The flat ``r x r`` counts of a block ``J`` (``(b, r)``, ``J[x, k]`` = class of ``x^-1 g_k``):
    entry ``j r + k`` counts the ``x`` of the block with ``x^-1 g_k`` in ``C_j``."""
    J = np.asarray(J, dtype=np.int64)
    if J.ndim != 2 or J.shape[1] != r:
        raise ValueError(f"the classes of the products x^-1 g_k must be a (b, {r}) array, got shape {J.shape}")
    return np.bincount((J * r + np.arange(r)[None, :]).ravel(), minlength=r * r)


def _listed_product_classes(G, cs, i: int):
    """Blocks ``(b, r)`` of the classes of ``x^-1 g_k`` for ``x`` in the listed class ``C_i``."""
    r = cs.r
    x_all = np.asarray(cs.classes[i], dtype=np.int64)
    step = max(1, _BLOCK // r)
    for lo in range(0, x_all.size, step):
        x = x_all[lo:lo + step]
        yield cs.class_of[G.mul_unchecked(G.inv_unchecked(x)[:, None], cs.reps[None, :])]   # class of x^-1 g_k


def _class_matrix_mod(G, cs, i: int, p: int) -> np.ndarray:
    """``(A_i)_{jk} = #{x in C_i : x^-1 g_k in C_j} mod p``: ``|C_i| r`` products, in blocks.

    The classes of the products come from ``cs.product_classes(i)`` when the class structure has it
    (classes known by representatives only: the elements of ``C_i`` are found as permutations), else
    from the listed classes (``cs.classes[i]``, ``cs.class_of``); the counting is the same."""
    r = cs.r
    blocks = cs.product_classes(i) if hasattr(cs, "product_classes") else _listed_product_classes(G, cs, i)
    A = np.zeros(r * r, dtype=np.int64)
    for J in blocks:
        A += _count_products(J, r)
    return (A % p).reshape(r, r)


def modular_characters(G, cs, prime: int | None = None, seed: int = 0):
    """The irreducible characters of ``G`` on its classes by the Dixon-Schneider algorithm (exact).

    Parameters
    ----------
    G : FiniteGroup
        With ``order`` and ``name``, and ``mul_unchecked`` and ``inv_unchecked`` for listed classes.
    cs : class structure
        ``r``, ``sizes``, ``orders``, ``power_class`` (the identity's class first), and ``reps``,
        ``classes``, ``class_of`` (e.g. :func:`groupmat.reps.characters.class_structure`) or
        ``product_classes(i)`` (blocks ``(b, r)`` of the classes of ``x^-1 g_k``, ``x`` in ``C_i``).
    prime : int, optional
        A prime ``p = 1 mod exponent``, ``2 sqrt(|G|) < p < 2^26``; default :func:`choose_prime`.
    seed : int
        Seed of the random Krylov vectors.

    Returns
    -------
    (values, mults, info)
        ``values`` complex ``(r, r)`` (rows in no particular order), ``mults[c] = (m, mu, 1)`` with
        ``values[:, c] = sum_j mu[:, j] exp(2 pi i j / m)`` exactly (``mu`` integer ``(r, m)``), and
        ``info`` a dict: ``prime``, ``class_matrices`` (how many were built) and ``products`` (group
        multiplications spent on them).

    Raises
    ------
    ValueError
        ``prime`` is not a suitable prime, or none below ``2^26`` exists for the exponent.
    RuntimeError
        The splitting or the lift failed (a wrong class structure).

    Examples
    --------
    >>> import groupmat as gm
    >>> from groupmat.reps.characters import class_structure
    >>> from groupmat.reps.dixon_schneider import modular_characters
    >>> G = gm.symmetric(3)
    >>> values, mults, info = modular_characters(G, class_structure(G))
    >>> sorted(values[:, 0].real.round().astype(int).tolist()), info["prime"]
    ([1, 1, 2], 103)
    """
    r = cs.r
    n = int(G.order)
    e = int(np.lcm.reduce(np.asarray(cs.orders, dtype=np.int64)))
    if prime is None:
        p = choose_prime(n, e)
    else:
        if isinstance(prime, (bool, np.bool_)) or not isinstance(prime, (int, np.integer)):
            raise TypeError(f"prime must be an integer, got {type(prime).__name__}")
        p = int(prime)
        if not (_is_prime(p) and p % e == 1 and p * p > 4 * n and p < _PRIME_MAX):
            raise ValueError(f"prime must be a prime p = 1 mod {e} (the exponent) with 2 sqrt(|G|) < p < 2^26, "
                             f"got {prime}")
    check_size((r, r), 8 * 8, f"the Dixon-Schneider matrices of {G.name} ({r} classes)")
    rng = np.random.default_rng(seed)
    sizes = np.array([int(s) % p for s in cs.sizes], dtype=np.int64)
    spaces = [np.eye(r, dtype=np.int64)]                   # common eigenspaces, as column bases
    built, products = 0, 0
    for i in np.argsort(np.asarray(cs.sizes, dtype=float), kind="stable").tolist():
        if all(B.shape[1] == 1 for B in spaces):
            break
        if i == 0:
            continue                                       # the identity's class matrix is I
        A = _class_matrix_mod(G, cs, i, p)
        built, products = built + 1, products + int(cs.sizes[i]) * r
        new = []
        for B in spaces:
            d = B.shape[1]
            if d == 1:
                new.append(B)
                continue
            Be, rows = _column_echelon(B, p)
            M = _matmul_mod(A, Be, p)[rows]                # A B = B M on the invariant space
            for _ in range(4):
                roots = _eigenvalues_mod(M, p, rng)
                parts = [_nullspace_mod((M - lam * np.eye(d, dtype=np.int64)) % p, p) for lam in roots.tolist()]
                if sum(P.shape[1] for P in parts) == d:
                    break
            else:                                          # pragma: no cover - M is diagonalisable
                raise RuntimeError(f"Dixon-Schneider: an eigenspace of {G.name} did not split mod {p}")
            new.extend(_matmul_mod(Be, P, p) for P in parts)
        spaces = new
    if len(spaces) != r or any(B.shape[1] != 1 for B in spaces):
        raise RuntimeError(f"Dixon-Schneider: the class matrices of {G.name} did not separate its {r} characters")
    # omega normalised by omega(identity) = 1
    W = np.concatenate(spaces, axis=1)                                # (r classes, r characters)
    W = W * np.array([pow(int(w), p - 2, p) for w in W[0]], dtype=np.int64)[None, :] % p
    inv_class = np.asarray(cs.power_class(np.arange(r), -1), dtype=np.int64)     # class of g_k^-1
    inv_sizes = np.array([pow(int(s), p - 2, p) for s in sizes], dtype=np.int64)
    # sum_k omega_k omega_{k*} / |C_k| = |G| / chi(1)^2
    S = (W * W[inv_class] % p * inv_sizes[:, None] % p).sum(axis=0) % p
    d2 = (n % p) * np.array([pow(int(s), p - 2, p) for s in S], dtype=np.int64) % p
    check_size((math.isqrt(n),), 2 * 8, f"the candidate degrees of the characters of {G.name}")
    cand = np.arange(1, math.isqrt(n) + 1, dtype=np.int64)
    sq = cand * cand % p
    deg = np.empty(r, dtype=np.int64)
    for c in range(r):
        hit = np.flatnonzero(sq == d2[c])
        if hit.size != 1 or n % int(cand[hit[0]]):
            raise RuntimeError(f"Dixon-Schneider: no degree for a character of {G.name} mod {p}")
        deg[c] = cand[hit[0]]
    chi = W * deg[None, :] % p * inv_sizes[:, None] % p                # chi(g_k) mod p: (classes, chars)
    # lift to cyclotomic integers via the power maps, one matrix of z^(-jt) per element order
    g = next(a for a in range(2, p) if all(pow(a, (p - 1) // f, p) != 1 for f in prime_factors(p - 1)))
    Z = pow(g, (p - 1) // e, p)                                          # a primitive e-th root mod p
    values = np.zeros((r, r), dtype=complex)
    mults = [None] * r
    orders = np.asarray(cs.orders, dtype=np.int64)
    for m in np.unique(orders).tolist():
        C = np.flatnonzero(orders == m)
        z = pow(Z, e // m, p)
        t = np.arange(m)
        Wm = np.array([[pow(z, (-j * tt) % m, p) for j in range(m)] for tt in range(m)], dtype=np.int64)
        minv = pow(m, p - 2, p)
        roots = np.exp(2j * np.pi * t / m)
        for k in C.tolist():
            seq = chi[cs.power_class(np.full(m, k), t)].T                 # (chars, m): chi(g_k^t)
            mu = _matmul_mod(seq, Wm, p) * minv % p
            if np.any(mu > deg[:, None]) or np.any(mu.sum(axis=1) != deg):
                raise RuntimeError(f"Dixon-Schneider: the lift of a class of {G.name} failed mod {p}")
            mults[k] = (m, mu, 1)
            values[:, k] = mu @ roots
    return values, mults, {"prime": p, "class_matrices": built, "products": products}

