"""Checks that a table is a group's Cayley table, naming the first failure."""
from __future__ import annotations

import numpy as np

from .._validation import check_size
from .._validation import index_dtype

__all__ = ["validate_cayley_table"]


def validate_cayley_table(table) -> tuple[int, np.ndarray]:
    """Check that ``table[i, j]`` (index of ``g_i g_j``) defines a group; return (identity, inverse).

    Checks, in this order: a square 2-d integer array with entries in ``0..n-1``; a Latin square
    (each row and each column a permutation, which gives cancellation); an identity element;
    associativity ``(a b) c = a (b c)`` for all triples. Associativity is checked on generators:
    with ``L_a`` the row permutation of ``a``, the table is associative iff ``T[T[a, b], s] =
    T[a, T[b, s]]`` for all ``a, b`` and every ``s`` in a generating set, which costs ``O(n^2 |S|)``.

    Raises
    ------
    TypeError
        The table is not an integer array.
    ValueError
        Naming the first property that fails and where.
    """
    try:
        arr = np.asarray(table)
    except ValueError:
        raise ValueError("table must be a square n x n array of integer element indices; its rows have "
                         "different lengths") from None
    if arr.dtype == object or arr.dtype.kind not in "iu":
        if arr.dtype.kind == "f" and arr.size and np.all(np.isfinite(arr)) and np.all(arr == np.round(arr)):
            arr = arr.astype(np.int64)
        else:
            raise TypeError(f"table must be a square array of integer element indices, got dtype {arr.dtype}")
    if arr.ndim != 2 or arr.shape[0] != arr.shape[1]:
        raise ValueError(f"table must be a square n x n array, got shape {arr.shape}")
    n = arr.shape[0]
    if n == 0:
        raise ValueError("table must describe a group of order >= 1, got an empty table")
    check_size((n, n), 8, "the Cayley table")
    if arr.min() < 0 or arr.max() >= n:
        i, j = np.argwhere((arr < 0) | (arr >= n))[0]
        raise ValueError(f"table entries must lie in 0..{n - 1}; table[{i}, {j}] = {arr[i, j]}")
    arr = arr.astype(index_dtype(n), copy=False)
    expected = np.arange(n)
    # Latin square: every row and every column holds each element (n entries, so exactly once);
    # marked by one scatter each, O(n^2) and no sort
    rows = np.arange(n)[:, None]
    mark = np.zeros((n, n), dtype=bool)
    mark[rows, arr] = True
    rows_ok = mark.all(axis=1)
    if not rows_ok.all():
        i = int(np.flatnonzero(~rows_ok)[0])
        raise ValueError(f"table is not a Latin square: row {i} repeats an element (no cancellation, not a group)")
    mark[:] = False
    mark[arr, rows.T] = True                     # mark[value, column]
    cols_ok = mark.all(axis=0)
    if not cols_ok.all():
        j = int(np.flatnonzero(~cols_ok)[0])
        raise ValueError(f"table is not a Latin square: column {j} repeats an element (no cancellation, not a group)")
    del mark
    # identity: a row equal to 0..n-1 whose column is 0..n-1 too
    left_ids = np.flatnonzero((arr == expected[None, :]).all(axis=1))
    right_ids = np.flatnonzero((arr == expected[:, None]).all(axis=0))
    common = np.intersect1d(left_ids, right_ids)
    if common.size == 0:
        raise ValueError("table has no identity element: no row and column equal to the element order")
    identity = int(common[0])
    # Associativity (Light's test): (a b) s = a (b s) for all a, b and s in a generating set.
    gens = _greedy_generators(arr, identity)
    for s in gens:
        col = arr[:, s]
        lhs = col[arr]            # (a b) s, as T[T[a, b], s]
        rhs = arr[:, col]         # a (b s), as T[a, T[b, s]]
        bad = lhs != rhs
        if bad.any():
            a, b = np.argwhere(bad)[0]
            raise ValueError(
                f"table is not associative: (g{a} g{b}) g{s} = g{lhs[a, b]} but g{a} (g{b} g{s}) = g{rhs[a, b]}"
            )
    inverse = np.argmax(arr == identity, axis=1)
    return identity, inverse


def _greedy_generators(arr: np.ndarray, identity: int) -> list[int]:
    """A generating set, greedily: add the first element not yet reached by right multiplication.

    The search also multiplies by the repeated squares ``s^2, s^4, ...`` of the chosen elements
    (read off the table), so it takes ``O(log n)`` levels per generator even for a long cycle.
    """
    n = arr.shape[0]
    gens: list[int] = []
    steps: list[int] = []
    reached = np.zeros(n, dtype=bool)
    reached[identity] = True
    while not reached.all():
        g = int(np.flatnonzero(~reached)[0])
        gens.append(g)
        x, seen = g, set()
        while x != identity and x not in seen and len(seen) < 64:
            seen.add(x)
            steps.append(x)
            x = int(arr[x, x])
        frontier = np.flatnonzero(reached)
        step_arr = np.array(steps, dtype=np.int64)
        while frontier.size:
            products = arr[frontier[:, None], step_arr[None, :]].ravel().astype(np.int64)
            products = products[~reached[products]]
            if products.size * 8 < n:
                new = np.unique(products)
            else:
                hit = np.zeros(n, dtype=bool)
                hit[products] = True
                new = np.flatnonzero(hit)
            reached[new] = True
            frontier = new
    return gens
