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
  one gather (or strided copies), vectorised over batch and channels; where the numbering of the
  group sends runs of elements to runs of diagonals the gathers move whole runs.
All kernels work on object arrays (exact SymPy entries) too.

What the regular kernel derives from a group (the diagonal tables, their block structure, the
gather plans and index arrays) is kept in the group's memo under the namespace
``"equivariance.kernels"`` (bounded in bytes, read-only); the orbit labels of a pair of permutation
representations are kept with the pair (:class:`~groupmat.equivariance._common.OwnerCache`).
"""
from __future__ import annotations

import numpy as np
import scipy.sparse as sp
from numpy.lib.stride_tricks import as_strided
from scipy.sparse.csgraph import connected_components

from .._validation import check_finite, check_size
from ..caching import freeze, nbytes_of
from ..groups.core import FiniteGroup
from ..matrices.group_matrices import group_matrix_indices
from ._common import OwnerCache

__all__ = ["pair_orbits", "orbit_block", "regular_block", "reynolds_block", "regular_indices"]

#: this module's namespace in a group's memo
_NS = "equivariance.kernels"

#: chunk size (entries) of the intermediate arrays of the Reynolds sum
_CHUNK_ENTRIES = 1 << 22

# ---------------------------------------------------------------------------- orbits on index pairs
#: the orbit labels of each pair of permutation representations, kept while both live
_ORBITS = OwnerCache()


def pair_orbits(rep_in, rep_out) -> tuple[np.ndarray, np.ndarray]:
    """Orbits of ``G`` on index pairs ``(a, b)`` (``a`` an output index, ``b`` an input index).

    ``g.(a, b) = (p_out[g, a], p_in[g, b])`` for permutation representations with index arrays
    ``p``. Returns ``labels`` of shape ``(d_out * d_in,)`` (flat index ``a * d_in + b``), numbered
    by first occurrence, and the orbit sizes ``counts``. The orbits are the connected components of
    the graph with an edge ``x -> s.x`` for each generator ``s``: ``O(|S| d_out d_in)`` work. The
    result is kept with the pair of representation objects (weakly: it goes with them) and is
    read-only.
    """
    return _ORBITS.get((rep_out, rep_in), "pair orbits", lambda: _pair_orbits(rep_in, rep_out))


def _pair_orbits(rep_in, rep_out) -> tuple[np.ndarray, np.ndarray]:
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
    return labels, np.bincount(labels)


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
    Kept in the group's memo (read-only).
    """
    def compute():
        # one source of truth for the index arithmetic: the group-matrix index arrays
        if side == "left":
            col = group_matrix_indices(G, "gh")          # a g
            lab = group_matrix_indices(G, "ginv_h")      # a^-1 b
        else:
            col = group_matrix_indices(G, "ginv_h").T    # g^-1 a
            lab = group_matrix_indices(G, "g_hinv")      # a b^-1
        return np.ascontiguousarray(col, dtype=np.int64), np.ascontiguousarray(lab, dtype=np.int64)

    return G.memo.get(_NS, ("regular indices", side), compute)


#: A channel-dependent index array of the regular kernel (``c_in |G|^2 / s`` int64 entries, as many
#: as a block of ``W`` has) is kept in the group's memo only when it takes at most this fraction of
#: the memo's budget (1/32: 32 MiB of the default 1 GiB); a larger one is rebuilt on each call
#: instead of evicting everything else the group keeps.
_ENTRY_SHARE = 32


def _kept(G: FiniteGroup, key, compute):
    """``compute()`` kept in the group's memo under ``key`` when it fits :data:`_ENTRY_SHARE` of the
    budget; frozen either way."""
    hit = G.memo.peek(_NS, key)
    if hit is not None:
        return hit
    value = freeze(compute())
    if nbytes_of(value) <= G.memo.max_bytes // _ENTRY_SHARE:
        G.memo.put(_NS, key, value)
    return value


def regular_structure(G: FiniteGroup, side: str):
    """The group diagonals as cyclic diagonals in blocks, when the element numbering allows it.

    Looks for the largest ``m`` dividing ``|G|`` (``m >= 2``) such that, writing ``a = qa m + ca``
    and ``b = qb m + cb``, the diagonal label of :func:`regular_indices` is

    .. math:: lab[a, b] = Q[qa, qb]\\, m + (u[qa, qb] + s_a[qa, qb]\\, ca + s_b[qa, qb]\\, cb) \\bmod m

    with signs ``s_a, s_b`` in ``{+1, -1}``: every ``m x m`` block of the label table is a wrapped
    (anti)diagonal pattern inside one ``m``-block of labels. This holds for cyclic groups
    (``m = |G|``), dihedral groups (``m = n``), direct products whose last factor is cyclic, and
    any group whose numbering has that shape; it is found from the label table itself and checked
    on every entry, so it is exact whenever it is returned. Returns ``(m, Q, u, sa, sb)`` (arrays
    of shape ``(|G|/m, |G|/m)``) or ``None``; kept in the group's memo.
    """
    return G.memo.get(_NS, ("regular structure", side), lambda: _regular_structure(G, side))


def _regular_structure(G: FiniteGroup, side: str):
    _, lab = regular_indices(G, side)
    n = G.order
    found = None
    for m in [d for d in range(n, 1, -1) if n % d == 0]:
        nq = n // m
        # two rows first (a cheap rejection of most m), then every entry
        if not (_structure_holds(lab[:2].reshape(1, 2, nq, m), m)
                and _structure_holds(lab.reshape(nq, m, nq, m), m)):
            continue
        L4 = lab.reshape(nq, m, nq, m)
        u = L4[:, 0, :, 0] % m
        sa = np.where((L4[:, 1, :, 0] - u) % m == 1, 1, -1)
        sb = np.where((L4[:, 0, :, 1] - u) % m == 1, 1, -1)
        found = (m, (L4[:, 0, :, 0] // m).astype(np.int64), u.astype(np.int64), sa.astype(np.int64),
                 sb.astype(np.int64))
        break
    return found


def _structure_holds(L4: np.ndarray, m: int) -> bool:
    """Whether rows ``(qa, ca)`` of ``L4`` (shape ``(p, r, nq, m)``, ``r >= 2``) fit the pattern of
    :func:`regular_structure` with the parameters read off their first two rows."""
    Q = L4[:, 0, :, 0] // m
    if not np.array_equal(L4 // m, np.broadcast_to(Q[:, None, :, None], L4.shape)):
        return False
    C = L4 % m
    u = C[:, 0, :, 0]
    sb = (C[:, 0, :, 1] - u) % m
    sa = (C[:, 1, :, 0] - u) % m
    if not (np.isin(sa, (1, m - 1)).all() and np.isin(sb, (1, m - 1)).all()):
        return False
    sa = np.where(sa == 1, 1, -1)
    sb = np.where(sb == 1, 1, -1)
    ca, cb = np.arange(L4.shape[1]), np.arange(m)
    expect = (u[:, None, :, None] + sa[:, None, :, None] * ca[None, :, None, None]
              + sb[:, None, :, None] * cb[None, None, None, :]) % m
    return bool(np.array_equal(C, expect))


#: the strided scatter of :func:`regular_block` is used for blocks of at least this size (its copies
#: run along rows of ``m`` entries; for shorter rows one gather is faster, as measured in
#: ``benchmarks/bench_equivariance.py``)
_MIN_STRIDED_M = 16


def _window_indices(G: FiniteGroup, side: str):
    """For :func:`regular_structure`: per block ``(qa, qb)`` the label window ``I[qa, qb, t]``
    (``t < 2m - 1``) read along the block's (anti)diagonals, and the orientation of each block
    (``True``: ``sa == sb``, anti-diagonal). Kept in the group's memo with the structure."""
    def compute():
        st = regular_structure(G, side)
        if st is None:
            return None
        m, Q, u, sa, sb = st
        t = np.arange(2 * m - 1, dtype=np.int64)
        anti = sa == sb
        # diagonal blocks (sb = -sa): t = (m - 1) - ca + cb, label u - sa (t - m + 1);
        # anti-diagonal blocks (sb = sa): t = ca + cb, label u + sa t
        res = np.where(anti[..., None], u[..., None] + sa[..., None] * t,
                       u[..., None] - sa[..., None] * (t - (m - 1))) % m
        return m, Q[..., None] * m + res, anti

    return G.memo.get(_NS, ("regular windows", side), compute)


def _regular_gather_indices(G: FiniteGroup, side: str, ci: int) -> np.ndarray:
    """Flat gather index ``[a, i, g] -> a ci n + i n + col[a, g]`` of the diagonal sums (kept in the
    group's memo within :data:`_ENTRY_SHARE` of its budget)."""
    def compute():
        n = G.order
        check_size((n, ci, n), 8, "the group-diagonal gather indices")
        col, _ = regular_indices(G, side)
        rows = np.arange(n, dtype=np.int64)[:, None, None] * (ci * n)
        chans = np.arange(ci, dtype=np.int64)[None, :, None] * n
        return (rows + chans + col[:, None, :]).reshape(-1)

    return _kept(G, ("gather", side, ci), compute)


def _regular_scatter_indices(G: FiniteGroup, side: str, ci: int) -> np.ndarray:
    """Flat index ``[a, i, b] -> i n + lab[a, b]`` of the group matrices of the means (kept in the
    group's memo within :data:`_ENTRY_SHARE` of its budget)."""
    def compute():
        n = G.order
        check_size((n, ci, n), 8, "the group-matrix scatter indices")
        _, lab = regular_indices(G, side)
        chans = np.arange(ci, dtype=np.int64)[None, :, None] * n
        return (chans + lab[:, None, :]).reshape(-1)

    return _kept(G, ("scatter", side, ci), compute)


def _regular_channel_indices(G: FiniteGroup, side: str, ci: int) -> tuple[np.ndarray, np.ndarray]:
    """Flat gather and scatter indices of :func:`regular_block` for ``ci`` input channels."""
    return _regular_gather_indices(G, side, ci), _regular_scatter_indices(G, side, ci)


def _strided_scatter(out: np.ndarray, x: np.ndarray, G: FiniteGroup, side: str, ci: int) -> bool:
    """Write the group matrices of the means ``x`` (``(R, ci n)``) into ``out`` (``(R, n ci n)``) by
    strided copies, when :func:`regular_structure` applies; return False (nothing written) if not.

    Per block ``(qa, qb)`` the ``m x m`` block of the group matrix reads a window of ``2m - 1``
    means along its diagonals (``ca -> -1, cb -> +1``) or anti-diagonals (``+1, +1``): one small
    gather builds the windows ``Y[r, i, qa, qb, t]`` (``R ci (|G|/m)^2 (2m-1)`` entries, about
    ``2/m`` of the output) and one strided copy fills the output. Only when all blocks have one
    orientation and ``m >= _MIN_STRIDED_M``."""
    win = _window_indices(G, side)
    if win is None:
        return False
    m, idx, anti = win
    if m < _MIN_STRIDED_M:
        return False
    if anti.any() and not anti.all():
        # blocks of both orientations (e.g. the left regular representation of a dihedral group)
        # would need a copy per block: slower than the gather (measured)
        return False
    n = G.order
    nq = n // m
    R = x.shape[0]
    Y = np.take(x.reshape(R, ci, n), idx, axis=2)  # C-ordered (R, ci, nq, nq, 2m - 1)
    sR, sI, sA, sB, sT = Y.strides
    out6 = out.reshape(R, nq, m, ci, nq, m)
    shape = (R, nq, m, ci, nq, m)
    if anti.all():
        src = as_strided(Y, shape=shape, strides=(sR, sA, sT, sI, sB, sT), writeable=False)
    else:
        src = as_strided(Y[..., m - 1:], shape=shape, strides=(sR, sA, -sT, sI, sB, sT), writeable=False)
    np.copyto(out6, src)
    return True


#: bytes per item of the blocked gathers of :func:`regular_block`: a gather moving runs of 32 bytes
#: (4 float64 entries) costs about 2.5x less per entry than one moving single float64 entries, and
#: longer runs gain nothing more (measured in ``benchmarks/bench_equivariance.py``)
_ITEM_BYTES = 32


def _item_size(G: FiniteGroup, side: str, itemsize: int) -> int:
    """The run length ``s`` of the gathers of :func:`regular_block` for entries of ``itemsize``
    bytes: the largest power of two ``s <= max(2, _ITEM_BYTES / itemsize)`` with an
    :func:`_item_plan`, or 1 (single entries)."""
    s = max(2, _ITEM_BYTES // max(1, itemsize))
    while s >= 2:
        if _item_plan(G, side, s) is not None:
            return s
        s //= 2
    return 1


def _item_plan(G: FiniteGroup, side: str, s: int):
    """The group diagonals in runs of ``s`` entries, or None where the numbering does not allow it.

    Cut each row ``a`` of the label table into aligned runs ``lab[a, s t : s t + s]`` ("tuples").
    The plan exists when the number ``K`` of distinct tuples is ``mult |G|`` with ``mult`` 1 or 2
    (so that the run sums, ``mult s`` per diagonal, stay few), every tuple occurs equally often
    (``|G|^2 / (s K)`` times) and, for each position ``e < s``, every label is the ``e``-th entry
    of exactly ``mult`` tuples. This holds when the numbering sends runs of consecutive elements
    to runs of consecutive diagonals (increasing or decreasing), e.g. for cyclic, dihedral and
    dicyclic groups and products with a cyclic last factor whose order ``s`` divides; it is
    checked on the table, so it is exact when returned. Returns ``(tuples (K, s), ids (n, n/s),
    where (s, mult, n))`` with ``tuples[ids[a, t]]`` the tuple of run ``t`` of row ``a`` and
    ``tuples[where[e, k, g], e] == g``; kept in the group's memo.
    """
    return G.memo.get(_NS, ("item plan", side, s), lambda: _compute_item_plan(G, side, s))


def _compute_item_plan(G: FiniteGroup, side: str, s: int):
    n = G.order
    plan = None
    if n % s == 0 and n > s and _few_tuples(G, side, s):
        _, lab = regular_indices(G, side)
        tuples, ids = np.unique(lab.reshape(n * (n // s), s), axis=0, return_inverse=True)
        ids = ids.reshape(n, n // s)
        K = tuples.shape[0]
        mult, rem = divmod(K, n)
        copies, rem2 = divmod(n * (n // s), K)
        if rem == 0 and rem2 == 0 and mult <= 2 and (np.bincount(ids.reshape(-1), minlength=K) == copies).all():
            where = np.argsort(tuples.T, axis=1, kind="stable").reshape(s, n, mult).transpose(0, 2, 1)
            expect = np.broadcast_to(np.arange(n), (mult, n))
            if all(np.array_equal(tuples[where[e], e], expect) for e in range(s)):  # s <= 16 positions
                plan = (tuples.astype(np.int64), ids.astype(np.int64), np.ascontiguousarray(where, dtype=np.int64))
    return plan


def _few_tuples(G: FiniteGroup, side: str, s: int) -> bool:
    """Cheap necessary condition of :func:`_item_plan`: the runs of the first rows (at most 64)
    have at most ``2 |G|`` distinct tuples (a sample of a set with at most that many)."""
    _, lab = regular_indices(G, side)
    n = G.order
    sample = lab[:min(n, 64)].reshape(-1, s)
    return np.unique(sample, axis=0).shape[0] <= 2 * n


def _item_indices(G: FiniteGroup, side: str, s: int, ci: int):
    """Item gather indices of :func:`regular_block` with runs of ``s`` for ``ci`` input channels:
    ``gather[k, i, j]`` (the ``k``-th run with tuple ``j`` in channel ``i``, as an item index into a
    row ``(a, i, t)`` of ``X``) and ``scatter[a, i, t] = i K + ids[a, t]``. Each has
    ``c_in |G|^2 / s`` entries; kept in the group's memo within :data:`_ENTRY_SHARE` of its budget."""
    def compute():
        n = G.order
        check_size((2, n, ci, n // s), 8, "the group-diagonal gather indices")
        tuples, ids, _ = _item_plan(G, side, s)
        K, ns = tuples.shape[0], n // s
        pos = np.argsort(ids.reshape(-1), kind="stable").reshape(K, -1).T  # (copies, K): k-th run of tuple j
        a, t = np.divmod(pos, ns)
        chans = np.arange(ci, dtype=np.int64)[None, :, None]
        gather = (a[:, None, :] * (ci * ns) + chans * ns + t[:, None, :]).reshape(-1)
        scatter = (chans * K + ids[:, None, :]).reshape(-1)
        return gather, scatter

    return _kept(G, ("items", side, s, ci), compute)


def _items(A: np.ndarray, s: int) -> np.ndarray:
    """View a C-contiguous array whose last axis is a multiple of ``s`` as runs of ``s`` entries."""
    return A.view(np.dtype((np.void, s * A.itemsize)))


def _sum_middle(A: np.ndarray) -> np.ndarray:
    """``A.sum(axis=1)`` for a C-contiguous float/complex ``A`` of shape ``(R, k, L)``, as a product
    with a vector of ones (a matrix-vector product per ``r``: about 1.6x faster than the reduction)."""
    return np.matmul(np.ones(A.shape[1], dtype=A.dtype), A)


def regular_block(X: np.ndarray, G: FiniteGroup, side: str, *, finite_name: str | None = None) -> np.ndarray:
    """Projection for copies of the regular representation: averages along the group diagonals.

    With ``x[o, i, g] = 1/n sum_a X[o, a, i, col[a, g]]`` (the mean of diagonal ``g`` of channel pair
    ``(o, i)``), ``P(X)[o, a, i, b] = x[o, i, lab[a, b]]``: a group matrix per channel pair.

    Numeric arrays: one gather into the result array (which serves as the buffer) and one sum (a
    product with a vector of ones) give the means; one gather writes the group matrices. Where the
    numbering of ``G`` sends aligned runs of ``s`` elements of a row to runs of diagonals
    (:func:`_item_plan`; ``s`` entries make 32 bytes, e.g. 4 float64 or 8 float32: cyclic,
    dihedral and dicyclic groups, products with a cyclic last factor...), both gathers move whole
    runs (about 2.5x cheaper per entry) and the positions within a run are summed apart in an
    array of ``O(c_out c_in n s)`` run sums; if not, they move single entries. Where the group
    matrices are wrapped diagonal (or all anti-diagonal) patterns in blocks of at least
    :data:`_MIN_STRIDED_M` (:func:`regular_structure`), the output is written by one strided copy
    from a window array of the means (``2/m`` of the size of ``X``) instead of a gather. The index
    arrays (``c_in n^2 / s`` entries each, shared by all output channels and batch entries) are
    kept in the group's memo within :data:`_ENTRY_SHARE` of its budget; nothing else of the size of
    ``X`` is allocated but the result.
    Object arrays (exact SymPy entries) use the single-entry gathers. ``O(B c_out c_in n^2)``
    either way.

    ``finite_name``: when given, refuse NaN or infinite entries of ``X`` (the ValueError of
    :func:`groupmat._validation.check_finite` naming ``finite_name``) without a pass of its own:
    every entry of ``X`` is in exactly one diagonal sum, so all means are finite only if ``X`` is;
    only when some mean is not is ``X`` itself checked (a finite ``X`` whose sums overflow passes,
    as before). This lets a caller skip its own check of ``X`` (about one read of ``X``).
    """
    B, co, n, ci, _ = X.shape
    R, row = B * co, ci * n
    if X.dtype == object:
        import sympy

        Xf = X.reshape(R, n * row)
        idx_in, idx_out = _regular_channel_indices(G, side, ci)
        x = np.take(Xf, idx_in, axis=1).reshape(R, n, row).sum(axis=1) * sympy.Rational(1, n)
        return np.take(x, idx_out, axis=1).reshape(B, co, n, ci, n)
    if finite_name is None:
        return _regular_numeric(X, G, side, None)
    with np.errstate(invalid="ignore"):  # inf - inf in the sums of a non-finite X: refused below
        return _regular_numeric(X, G, side, finite_name)


def _regular_numeric(X: np.ndarray, G: FiniteGroup, side: str, finite_name) -> np.ndarray:
    """:func:`regular_block` on a float or complex array."""
    B, co, n, ci, _ = X.shape
    R, row = B * co, ci * n
    Xf = np.ascontiguousarray(X.reshape(R, n * row))
    out = np.empty((R, n * row), dtype=X.dtype)
    s = _item_size(G, side, X.itemsize)
    if s == 1:
        # the result array is the gather buffer until the result is written
        np.take(Xf, _regular_gather_indices(G, side, ci), axis=1, out=out, mode="clip")
        x = _sum_middle(out.reshape(R, n, row))
        x *= 1.0 / n
        if finite_name is not None and not np.isfinite(x).all():
            check_finite(X, finite_name)
        if not _strided_scatter(out, x, G, side, ci):
            np.take(x, _regular_scatter_indices(G, side, ci), axis=1, out=out, mode="clip")
        return out.reshape(B, co, n, ci, n)
    tuples, _, where = _item_plan(G, side, s)
    gather, scatter = _item_indices(G, side, s, ci)
    np.take(_items(Xf, s), gather, axis=1, out=_items(out, s), mode="clip")
    K, mult = tuples.shape[0], where.shape[1]
    acc = _sum_middle(out.reshape(R, n * n // (s * K), ci * K * s))  # acc[r, i, j, e]: run sums of tuple j
    # x[r, i, g] = sum_{e, k} acc[r, i, where[e, k, g], e]
    x = np.take(acc.reshape(R, ci, K * s), (where * s + np.arange(s)[:, None, None]).reshape(-1), axis=2)
    x = x.reshape(R, ci, s * mult, n).sum(axis=2)
    x *= 1.0 / n
    if finite_name is not None and not np.isfinite(x).all():
        check_finite(X, finite_name)
    x = x.reshape(R, row)
    if not _strided_scatter(out, x, G, side, ci):
        vals = np.take(x.reshape(R, ci, n), tuples.reshape(-1), axis=2)  # vals[r, i, j, e] = x[r, i, tuples[j, e]]
        np.take(_items(vals.reshape(R, ci * K * s), s), scatter, axis=1, out=_items(out, s), mode="clip")
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
    inv = G.inverses()
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
