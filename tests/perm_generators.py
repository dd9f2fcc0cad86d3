"""Generators of permutation groups shared by the tests of conjugacy classes and character tables found
from generators (image arrays on ``0..d-1``; the product ``g h`` applies ``g`` first)."""
from __future__ import annotations

import numpy as np


def perm(d, *cycles):
    """The image array of a product of disjoint cycles on ``0..d-1``."""
    p = np.arange(d)
    for c in cycles:
        for i, x in enumerate(c):
            p[x] = c[(i + 1) % len(c)]
    return p


def generic_symmetric(n, seed=0):
    """``(0 1 ... n-1)`` and ``(0 1)`` conjugated by a random permutation, the second multiplied by the first."""
    rng = np.random.default_rng(seed)
    pi = rng.permutation(n)
    pinv = np.argsort(pi)
    a, b = (pi[g[pinv]] for g in (np.roll(np.arange(n), 1), np.r_[1, 0, 2:n]))
    return [a, b[a]]


def generic_alternating(n, seed=0):
    rng = np.random.default_rng(seed)
    pi = rng.permutation(n)
    pinv = np.argsort(pi)
    a = np.r_[1, 2, 0, 3:n]
    b = np.roll(np.arange(n), 1) if n % 2 else np.r_[0, np.roll(np.arange(1, n), 1)]
    return [pi[g[pinv]] for g in (a, b)]


def wreath(k, m):
    """``S_k wr S_m`` on ``k m`` points (blocks ``{0..k-1}, {k..2k-1}, ...``): order ``(k!)^m m!``."""
    d = k * m
    return [perm(d, (0, 1)), perm(d, tuple(range(k))), (np.arange(d) + k) % d,
            perm(d, *[(i, k + i) for i in range(k)])]


def psl27_on_8():
    """PSL(2,7) on the projective line ``0..6, 7 = infinity``: ``x+1``, ``2x``, ``-1/x``."""
    inv = {x: pow(x, -1, 7) for x in range(1, 7)}
    t = np.r_[(np.arange(7) + 1) % 7, 7]
    s = np.r_[(2 * np.arange(7)) % 7, 7]
    w = np.array([7] + [(-inv[x]) % 7 for x in range(1, 7)] + [0])
    return [t, s, w]


def psl27_on_7():
    """GL(3,2) = PSL(2,7) on the 7 non-zero vectors of F_2^3 (vector v <-> point v - 1)."""
    def act(rows):
        out = []
        for v in range(1, 8):
            bits = [(v >> i) & 1 for i in range(3)]
            w = sum(((sum(rows[r][c] * bits[c] for c in range(3)) % 2) << r) for r in range(3))
            out.append(w - 1)
        return np.array(out)
    return [act([[1, 1, 0], [0, 1, 0], [0, 0, 1]]), act([[0, 0, 1], [1, 0, 0], [0, 1, 1]])]


def mathieu11():
    """GAP's generators of M_11 (1-based in GAP): (1..11) and (3,7,11,8)(4,10,5,6)."""
    return [np.roll(np.arange(11), -1), perm(11, (2, 6, 10, 7), (3, 9, 4, 5))]
