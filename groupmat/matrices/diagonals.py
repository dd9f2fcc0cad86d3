"""Group diagonals: every n x n matrix is uniquely ``M = sum_g diag(F_g) R(g)``."""
from __future__ import annotations

import numpy as np

from .._validation import check_size
from ..groups.core import check_group as _check_group
from ..groups.core import FiniteGroup, index_dtype

__all__ = ["group_diagonal_indices", "group_diagonals", "from_group_diagonals"]


def group_diagonal_indices(G: FiniteGroup) -> np.ndarray:
    """``C[g, h] = h g``: the column of row ``h`` on the ``g``-th group diagonal.

    Parameters
    ----------
    G : FiniteGroup

    Returns
    -------
    ndarray of int, shape (n, n)
        ``C[g, h]``, the index of ``h g`` (the smallest integer dtype that holds ``0..n-1``).

    Raises
    ------
    TypeError
        ``G`` is not a group.
    TooLargeError
        The ``n x n`` array would not fit under ``GROUPMAT_MAX_BYTES``.

    Examples
    --------
    >>> import groupmat as gm
    >>> gm.group_diagonal_indices(gm.cyclic(3)).tolist()
    [[0, 1, 2], [1, 2, 0], [2, 0, 1]]
    """
    from .group_matrices import group_matrix_indices

    G = _check_group(G)
    n = G.order
    check_size((n, n), index_dtype(n).itemsize, f"the group-diagonal index array of {G.name}")
    return np.ascontiguousarray(group_matrix_indices(G, "gh").T)


def group_diagonals(G: FiniteGroup, M) -> np.ndarray:
    """The coefficient array ``F[g, h] = M[h, h g]`` (row ``g`` is the ``g``-th group diagonal).

    ``M = sum_g diag(F[g]) R(g)`` with ``R(g)[a, b] = [b == a g]``; ``M`` is a group matrix
    (``M[a, b] = x(a^-1 b)``) iff every row of ``F`` is constant, and then ``F[g, :] = x(g)``.
    Leading batch axes of ``M`` are kept. Works for object (SymPy) arrays too.

    Parameters
    ----------
    M : array_like, shape (..., n, n)
        Numeric or object (SymPy) entries; leading axes are batch axes.
    G : FiniteGroup

    Returns
    -------
    ndarray, shape (..., n, n)
        ``F`` with ``F[..., g, h] = M[..., h, h g]``, of the dtype of ``M``.

    Raises
    ------
    ValueError
        ``M`` does not end in two axes of size ``|G|``.

    Examples
    --------
    >>> import groupmat as gm, numpy as np
    >>> G = gm.cyclic(3)
    >>> gm.group_diagonals(G, np.arange(9).reshape(3, 3))
    array([[0, 4, 8],
           [1, 5, 6],
           [2, 3, 7]])
    """
    G = _check_group(G)
    M = np.asarray(M)
    n = G.order
    if M.ndim < 2 or M.shape[-2:] != (n, n):
        raise ValueError(f"M must end in two axes of size |G| = {n}, got shape {M.shape}")
    C = group_diagonal_indices(G)
    rows = np.arange(n)[None, :]
    return M[..., rows, C]


def from_group_diagonals(G: FiniteGroup, F) -> np.ndarray:
    """The matrix ``M = sum_g diag(F[g]) R(g)``, i.e. ``M[h, h g] = F[g, h]`` (inverse of
    :func:`group_diagonals`).

    Parameters
    ----------
    F : array_like, shape (..., n, n)
        ``F[..., g, h]`` is the entry of ``M`` in row ``h`` on the ``g``-th group diagonal.
    G : FiniteGroup

    Returns
    -------
    ndarray, shape (..., n, n)
        ``M`` with ``M[..., h, h g] = F[..., g, h]``, of the dtype of ``F``.

    Raises
    ------
    ValueError
        ``F`` does not end in two axes of size ``|G|``.

    Examples
    --------
    >>> import groupmat as gm, numpy as np
    >>> G = gm.dihedral(3)
    >>> M = np.random.default_rng(0).normal(size=(6, 6))
    >>> np.array_equal(gm.from_group_diagonals(G, gm.group_diagonals(G, M)), M)
    True
    """
    G = _check_group(G)
    F = np.asarray(F)
    n = G.order
    if F.ndim < 2 or F.shape[-2:] != (n, n):
        raise ValueError(f"F must end in two axes of size |G| = {n}, got shape {F.shape}")
    C = group_diagonal_indices(G)
    M = np.empty_like(F)
    rows = np.broadcast_to(np.arange(n)[None, :], (n, n))
    M[..., rows, C] = F
    return M
