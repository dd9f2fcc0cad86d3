"""Numeric kernels of the equivariant projection, on plain arrays.

Each kernel takes one block ``X`` of shape ``(B, c_out, d_out, c_in, d_in)``: ``B`` batch entries of
``c_out x c_in`` channel pairs, each a ``d_out x d_in`` map between copies of one output summand
and one input summand, and returns ``P(X)`` of the same shape, where

.. math:: P(X) = \\frac{1}{|G|} \\sum_g \\rho_{out}(g) X \\rho_{in}(g)^{-1}

acts on every channel pair alike (the representations are block diagonal, so the projection of
a direct sum is the projection of each block).

- :func:`reynolds_block` is the definition: a sum over all ``g``, permutation summands applied
  by indexing, dense summands by batched matrix products, in chunks of elements.
- :func:`orbit_block`: for permutation summands, ``P(X)[a, b]`` is the mean of ``X`` over the orbit
  of the index pair ``(a, b)`` under ``g.(a, b) = (p_out[g, a], p_in[g, b])``; the orbits are labelled
  once per pair of representations (:func:`pair_orbits`, cached) and the means are ``bincount``\\s.
- :func:`regular_block`: for regular summands the orbits are the group diagonals
  ``{(a, b): a^{-1} b = g}`` (left) or ``{(a, b): a b^{-1} = g}`` (right): one gather, one sum and
  one gather, vectorised over batch and channels.
All kernels work on object arrays (exact SymPy entries) too.
"""
from __future__ import annotations

import weakref

import numpy as np
import scipy.sparse as sp
from scipy.sparse.csgraph import connected_components

from .._validation import check_size
from ..groups.core import FiniteGroup

__all__ = ["pair_orbits", "orbit_block", "regular_block", "reynolds_block", "regular_indices"]

#: chunk size (entries) of the intermediate arrays of the Reynolds sum
_CHUNK_ENTRIES = 1 << 22
#: bytes of the row-block buffer of :func:`regular_block`
_BLOCK_BYTES = 1 << 20

# ---------------------------------------------------------------------------- orbits on index pairs
_ORBITS: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()


def pair_orbits(rep_in, rep_out) -> tuple[np.ndarray, np.ndarray]:
    """Orbits of ``G`` on index pairs ``(a, b)`` (``a`` an output index, ``b`` an input index).

    ``g.(a, b) = (p_out[g, a], p_in[g, b])`` for permutation representations with index arrays
    ``p``. Returns ``labels`` of shape ``(d_out * d_in,)`` (flat index ``a * d_in + b``), numbered
    by first occurrence, and the orbit sizes ``counts``. The orbits are the connected components of
    the graph with an edge ``x -> s.x`` for each generator ``s``: ``O(|S| d_out d_in)`` work. The
    result is cached per pair of representation objects (weakly: it goes with them).
    """
    inner = _ORBITS.get(rep_out)
    if inner is not None:
        hit = inner.get(id(rep_in))
        if hit is not None and hit[0]() is rep_in:
            return hit[1], hit[2]
    G = rep_in.group
    d_out, d_in = rep_out.dim, rep_in.dim
    D = d_out * d_in
    check_size((D, 2 + len(G.generators)), 8, "the orbit labelling of index pairs")
    nodes = np.arange(D, dtype=np.int64)
    a, b = np.divmod(nodes, d_in)
    if G.generators:
        src = np.concatenate([nodes] * len(G.generators))
        dst = np.concatenate([rep_out.perms[s][a] * d_in + rep_in.perms[s][b] for s in G.generators])
        graph = sp.coo_matrix((np.ones(src.size, dtype=np.int8), (src, dst)), shape=(D, D)).tocsr()
        _, raw = connected_components(graph, directed=True, connection="weak")
    else:
        raw = nodes
    # renumber by first occurrence, so that orbit k is the k-th new orbit in row-major order
    _, first, inverse = np.unique(raw, return_index=True, return_inverse=True)
    rank = np.empty(first.size, dtype=np.int64)
    rank[np.argsort(first, kind="stable")] = np.arange(first.size)
    labels = rank[inverse.reshape(-1)]
    counts = np.bincount(labels)
    labels.setflags(write=False)
    counts.setflags(write=False)
    if inner is None:
        inner = {}
        _ORBITS[rep_out] = inner
    inner[id(rep_in)] = (weakref.ref(rep_in), labels, counts)
    return labels, counts


def orbit_means(Y: np.ndarray, labels: np.ndarray, counts: np.ndarray) -> np.ndarray:
    """Per row of ``Y`` (shape ``(R, D)``): the mean of ``Y`` over each orbit, shape ``(R, k)``."""
    R, D = Y.shape
    k = counts.size
    if R == 0:
        return np.zeros((0, k), dtype=Y.dtype)
    if Y.dtype == object:
        import sympy

        order = np.argsort(labels, kind="stable")
        starts = np.concatenate([[0], np.cumsum(counts)[:-1]])
        sums = np.add.reduceat(Y[:, order], starts, axis=1)
        inv = np.array([sympy.Rational(1, int(c)) for c in counts], dtype=object)
        return sums * inv[None, :]
    flat = (labels[None, :] + k * np.arange(R)[:, None]).reshape(-1) if R > 1 else labels
    if np.iscomplexobj(Y):
        re = np.bincount(flat, weights=Y.real.reshape(-1), minlength=R * k)
        im = np.bincount(flat, weights=Y.imag.reshape(-1), minlength=R * k)
        sums = re + 1j * im
    else:
        sums = np.bincount(flat, weights=Y.reshape(-1), minlength=R * k)
    return sums.reshape(R, k) / counts[None, :]


def orbit_block(X: np.ndarray, rep_in, rep_out) -> np.ndarray:
    """Projection of a block between permutation summands: the mean over each orbit of index pairs."""
    B, co, do, ci, di = X.shape
    labels, counts = pair_orbits(rep_in, rep_out)
    Y = np.ascontiguousarray(np.moveaxis(X, 3, 2)).reshape(B * co * ci, do * di)
    means = orbit_means(Y, labels, counts)
    P = means[:, labels].reshape(B, co, ci, do, di)
    return np.moveaxis(P, 2, 3)


# ---------------------------------------------------------------------------- regular representations
def regular_indices(G: FiniteGroup, side: str) -> tuple[np.ndarray, np.ndarray]:
    """``(col, lab)`` of the group diagonals of the ``side`` regular representation.

    ``lab[a, b]`` is the diagonal through ``(a, b)``: ``a^{-1} b`` (left) or ``a b^{-1}`` (right);
    ``col[a, g]`` is the column where row ``a`` meets diagonal ``g``: ``a g`` (left), ``g^{-1} a`` (right).
    """
    cache = G._cache.setdefault("equivariance_regular", {})
    if side not in cache:
        n = G.order
        check_size((n, n), 8, f"the group-diagonal index arrays of {G.name}")
        e = G.elements()
        if side == "left":
            col = G._mul(e[:, None], e[None, :])
            lab = G._mul(G._inv(e)[:, None], e[None, :])
        else:
            col = G._mul(G._inv(e)[None, :], e[:, None])
            lab = G._mul(e[:, None], G._inv(e)[None, :])
        col, lab = col.astype(np.int64), lab.astype(np.int64)
        col.setflags(write=False)
        lab.setflags(write=False)
        cache[side] = (col, lab)
    return cache[side]


def _regular_channel_indices(G: FiniteGroup, side: str, ci: int) -> tuple[np.ndarray, np.ndarray]:
    """Flat gather indices of :func:`regular_block` for ``ci`` input channels (cached on the group)."""
    cache = G._cache.setdefault("equivariance_regular_channels", {})
    key = (side, ci)
    if key not in cache:
        n = G.order
        check_size((n, ci, n), 16, "the group-diagonal gather indices")
        col, lab = regular_indices(G, side)
        rows = np.arange(n, dtype=np.int64)[:, None, None] * (ci * n)
        chans = np.arange(ci, dtype=np.int64)[None, :, None] * n
        idx_in = (rows + chans + col[:, None, :]).reshape(-1)  # [a, i, g] -> a*ci*n + i*n + col[a, g]
        idx_out = (chans + lab[:, None, :]).reshape(-1)        # [a, i, b] -> i*n + lab[a, b]
        idx_in.setflags(write=False)
        idx_out.setflags(write=False)
        if len(cache) > 8:  # a few channel counts per group at most
            cache.clear()
        cache[key] = (idx_in, idx_out)
    return cache[key]


def regular_block(X: np.ndarray, G: FiniteGroup, side: str) -> np.ndarray:
    """Projection for copies of the regular representation: averages along the group diagonals.

    With ``x[o, i, g] = 1/n sum_a X[o, a, i, col[a, g]]`` (the mean of diagonal ``g`` of channel pair
    ``(o, i)``), ``P(X)[o, a, i, b] = x[o, i, lab[a, b]]``: a group matrix per channel pair. Two
    gathers with index arrays of size ``c_in n^2`` (shared by all output channels and batch entries)
    and one sum: ``O(B c_out c_in n^2)``. The first gather runs over blocks of rows ``a`` (a loop over
    row blocks, for memory, not over elements or channels) into the start of the result array, so
    nothing is allocated but the result and the ``c_out c_in n`` means.
    """
    B, co, n, ci, _ = X.shape
    idx_in, idx_out = _regular_channel_indices(G, side, ci)
    R, row = B * co, ci * n
    Xf = X.reshape(R, n * row)
    if X.dtype == object:
        import sympy

        x = np.take(Xf, idx_in, axis=1).reshape(R, n, row).sum(axis=1) * sympy.Rational(1, n)
        return np.take(x, idx_out, axis=1).reshape(B, co, n, ci, n)
    m = int(max(1, min(n, _BLOCK_BYTES // max(1, R * row * X.itemsize))))
    out = np.empty((R, n * row), dtype=X.dtype)
    # the first R * m * row entries of the result serve as the gather buffer until the result is written
    scratch = out.reshape(-1)[:R * m * row]
    x = np.zeros((R, row), dtype=X.dtype)
    for a0 in range(0, n, m):
        a1 = min(n, a0 + m)
        part = scratch[:R * (a1 - a0) * row].reshape(R, (a1 - a0) * row)
        np.take(Xf, idx_in[a0 * row:a1 * row], axis=1, out=part, mode="clip")
        x += part.reshape(R, a1 - a0, row).sum(axis=1)
    x *= 1.0 / n
    np.take(x, idx_out, axis=1, out=out, mode="clip")
    return out.reshape(B, co, n, ci, n)


# ---------------------------------------------------------------------------- the definition
def _left(X: np.ndarray, rep, gs: np.ndarray, inv: np.ndarray, mats) -> np.ndarray:
    """``rho(g) X`` along axis 2 of ``X`` (B, co, do, R) for each g in ``gs``: shape (m, B, co, do, R)."""
    if rep.is_permutation:
        # (rho(g) X)[a] = X[p[g^-1, a]]
        idx = rep.perms[inv[gs]]
        return np.moveaxis(X[:, :, idx, :], 2, 0)
    return np.matmul(mats[gs][:, None, None], X[None])


def _right(Y: np.ndarray, rep, gs: np.ndarray, inv: np.ndarray, mats) -> np.ndarray:
    """``Y rho(g)^-1`` along the last axis of ``Y`` (m, B, R, ci, di), g = gs[k] for slice k."""
    if rep.is_permutation:
        # (Y rho(g^-1))[..., b] = Y[..., p[g^-1, b]]
        idx = rep.perms[inv[gs]]
        return np.take_along_axis(Y, idx[:, None, None, None, :], axis=-1)
    return np.matmul(Y, mats[inv[gs]][:, None, None])


def reynolds_block(X: np.ndarray, rep_in, rep_out, mats_in=None, mats_out=None) -> np.ndarray:
    """The Reynolds sum ``1/|G| sum_g rho_out(g) X rho_in(g)^{-1}`` over all elements, in chunks.

    ``mats_in``/``mats_out`` are the dense images of non-permutation summands (object arrays on the
    exact path); permutation summands are applied by indexing.
    """
    G = rep_in.group
    n = G.order
    B, co, do, ci, di = X.shape
    inv = G._all_inverses()
    block = max(1, B * co * do * ci * di)
    m = int(max(1, min(n, _CHUNK_ENTRIES // block)))
    total = None
    if rep_in.is_permutation and rep_out.is_permutation:
        # (rho_out(g) X rho_in(g)^-1)[a, b] = X[p_out[g^-1, a], p_in[g^-1, b]]: one flat gather per chunk
        Xf = X.reshape(B * co, do, ci, di)
        Xf = np.moveaxis(Xf, 2, 1).reshape(B * co * ci, do * di)
        for start in range(0, n, m):
            gi = inv[np.arange(start, min(n, start + m), dtype=np.int64)]
            idx = (rep_out.perms[gi][:, :, None] * di + rep_in.perms[gi][:, None, :]).reshape(gi.size, do * di)
            part = Xf[:, idx].sum(axis=1)
            total = part if total is None else total + part
        total = np.moveaxis(total.reshape(B * co, ci, do, di), 1, 2)
        total = total * _inverse_order(n, total.dtype)
        return total.reshape(B, co, do, ci, di)
    X4 = X.reshape(B, co, do, ci * di)
    for start in range(0, n, m):
        gs = np.arange(start, min(n, start + m), dtype=np.int64)
        Y = _left(X4, rep_out, gs, inv, mats_out).reshape(gs.size, B, co * do, ci, di)
        Z = _right(Y, rep_in, gs, inv, mats_in)
        part = Z.sum(axis=0)
        total = part if total is None else total + part
    total = total * _inverse_order(n, total.dtype)
    return total.reshape(B, co, do, ci, di)


def _inverse_order(n: int, dtype):
    """``1/n``, exact (a SymPy Rational) for object arrays."""
    if dtype == object:
        import sympy

        return sympy.Rational(1, n)
    return 1.0 / n
