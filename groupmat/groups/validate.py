"""Checks that a table is a group's Cayley table, naming the first failure."""
from __future__ import annotations

import numpy as np

from .._validation import check_size

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
    arr = np.asarray(table)
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
    arr = arr.astype(np.int64)
    if arr.min() < 0 or arr.max() >= n:
        i, j = np.argwhere((arr < 0) | (arr >= n))[0]
        raise ValueError(f"table entries must lie in 0..{n - 1}; table[{i}, {j}] = {arr[i, j]}")
    expected = np.arange(n)
    rows_ok = (np.sort(arr, axis=1) == expected).all(axis=1)
    if not rows_ok.all():
        i = int(np.flatnonzero(~rows_ok)[0])
        raise ValueError(f"table is not a Latin square: row {i} repeats an element (no cancellation, not a group)")
    cols_ok = (np.sort(arr, axis=0) == expected[:, None]).all(axis=0)
    if not cols_ok.all():
        j = int(np.flatnonzero(~cols_ok)[0])
        raise ValueError(f"table is not a Latin square: column {j} repeats an element (no cancellation, not a group)")
    left_ids = np.flatnonzero((arr == expected[None, :]).all(axis=1))
    right_ids = np.flatnonzero((arr == expected[:, None]).all(axis=0))
    common = np.intersect1d(left_ids, right_ids)
    if common.size == 0:
        raise ValueError("table has no identity element: no row and column equal to the element order")
    identity = int(common[0])
    # A generating set, greedily: close under right multiplication by the chosen elements.
    gens = _greedy_generators(arr, identity)
    ab = arr  # ab[a, b]
    for s in gens:
        lhs = arr[ab, s]          # (a b) s
        rhs = arr[:, arr[:, s]]   # a (b s)
        bad = lhs != rhs
        if bad.any():
            a, b = np.argwhere(bad)[0]
            raise ValueError(
                f"table is not associative: (g{a} g{b}) g{s} = g{lhs[a, b]} but g{a} (g{b} g{s}) = g{rhs[a, b]}"
            )
    inverse = np.argmax(arr == identity, axis=1)
    return identity, inverse


def _greedy_generators(arr: np.ndarray, identity: int) -> list[int]:
    n = arr.shape[0]
    gens: list[int] = []
    reached = np.zeros(n, dtype=bool)
    reached[identity] = True
    while not reached.all():
        gens.append(int(np.flatnonzero(~reached)[0]))
        frontier = np.flatnonzero(reached)
        while frontier.size:
            products = arr[np.ix_(frontier, gens)].ravel()
            new = np.unique(products[~reached[products]])
            reached[new] = True
            frontier = new
    return gens
