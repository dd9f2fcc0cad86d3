"""Group diagonals: every n x n matrix is uniquely ``M = sum_g diag(F_g) R(g)``."""
from __future__ import annotations

import numpy as np

from .._exact import as_numeric_or_exact, restore
from .._validation import check_size
from ..groups.core import check_group as _check_group
from ..groups.core import FiniteGroup, index_dtype
from .group_matrices import _index_array

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
    >>> gm.matrices.group_diagonal_indices(gm.cyclic(3)).tolist()
    [[0, 1, 2], [1, 2, 0], [2, 0, 1]]
    """
    G = _check_group(G)
    return _index_array(G, "gh", f"the group-diagonal index array of {G.name}", transpose=True)


def _square_stack(G: FiniteGroup, A, name: str, what: str):
    """``(array, n)``: ``A`` through the one exact/numeric rule, checked to end in two axes of size ``|G|``,
    after asking :func:`groupmat._validation.check_size` for the result (of the shape of ``A``) and the
    index array (with the platform-integer copy NumPy makes of it to index)."""
    n = G.order
    arr, _ = as_numeric_or_exact(A, name)
    if arr.ndim < 2 or arr.shape[-2:] != (n, n):
        raise ValueError(f"{name} must end in two axes of size |G| = {n}, got shape {arr.shape}")
    dt = index_dtype(n)
    index_bytes = dt.itemsize + (0 if dt == np.intp else np.dtype(np.intp).itemsize)
    batch = int(np.prod(arr.shape[:-2], dtype=np.int64)) if arr.ndim > 2 else 1
    per_entry = arr.dtype.itemsize + -(-index_bytes // max(batch, 1))
    check_size(arr.shape, per_entry, f"{what} of {G.name} (with its index array)")
    return arr, n


def group_diagonals(G: FiniteGroup, M):
    """The coefficient array ``F[g, h] = M[h, h g]`` (row ``g`` is the ``g``-th group diagonal).

    ``M = sum_g diag(F[g]) R(g)`` with ``R(g)[a, b] = [b == a g]``; ``M`` is a group matrix
    (``M[a, b] = x(a^-1 b)``) iff every row of ``F`` is constant, and then ``F[g, :] = x(g)``.
    ``F`` is a permutation of the entries of ``M``, so ``||F||_F = ||M||_F``.

    Parameters
    ----------
    G : FiniteGroup
    M : array_like, shape (..., n, n), or sympy.Matrix
        Numeric, object (SymPy) or ``sympy.Matrix`` entries, ``n = |G|``; leading axes of an array
        are batch axes.

    Returns
    -------
    ndarray, shape (..., n, n), or sympy.Matrix
        ``F`` with ``F[..., g, h] = M[..., h, h g]``: of the dtype of a numeric ``M``, an object array
        of SymPy numbers for an object array, a ``sympy.Matrix`` for a ``sympy.Matrix``.

    Raises
    ------
    ValueError
        ``M`` does not end in two axes of size ``|G|``, or holds NaN or infinite entries.
    TypeError
        ``G`` is not a group; ``M`` is not numeric or SymPy.

    See Also
    --------
    from_group_diagonals, group_diagonal_indices, groupmat.ldr.coefficient_displacement

    Examples
    --------
    >>> import groupmat as gm, numpy as np
    >>> G = gm.cyclic(3)
    >>> gm.group_diagonals(G, np.arange(9).reshape(3, 3))
    array([[0, 4, 8],
           [1, 5, 6],
           [2, 3, 7]])
    >>> gm.group_diagonals(G, gm.group_matrix(G))        # SymPy in, SymPy out: rows constant
    Matrix([
    [    x_e,     x_e,     x_e],
    [    x_r,     x_r,     x_r],
    [x_{r^2}, x_{r^2}, x_{r^2}]])
    """
    G = _check_group(G)
    arr, n = _square_stack(G, M, "M", "the group diagonals")
    return restore(arr[..., np.arange(n)[None, :], group_diagonal_indices(G)], M)


def from_group_diagonals(G: FiniteGroup, F):
    """The matrix ``M = sum_g diag(F[g]) R(g)``, i.e. ``M[h, h g] = F[g, h]`` (inverse of
    :func:`group_diagonals`).

    Parameters
    ----------
    G : FiniteGroup
    F : array_like, shape (..., n, n), or sympy.Matrix
        ``F[..., g, h]`` is the entry of ``M`` in row ``h`` on the ``g``-th group diagonal
        (numeric, object (SymPy) or a ``sympy.Matrix``).

    Returns
    -------
    ndarray, shape (..., n, n), or sympy.Matrix
        ``M`` with ``M[..., h, h g] = F[..., g, h]``, of the type of ``F`` (see :func:`group_diagonals`).

    Raises
    ------
    ValueError
        ``F`` does not end in two axes of size ``|G|``, or holds NaN or infinite entries.
    TypeError
        ``G`` is not a group; ``F`` is not numeric or SymPy.

    See Also
    --------
    group_diagonals

    Examples
    --------
    >>> import groupmat as gm, numpy as np, sympy
    >>> G = gm.dihedral(3)
    >>> M = np.random.default_rng(0).normal(size=(6, 6))
    >>> np.array_equal(gm.from_group_diagonals(G, gm.group_diagonals(G, M)), M)
    True
    >>> S = sympy.Matrix(6, 6, sympy.symbols("m0:36"))
    >>> gm.from_group_diagonals(G, gm.group_diagonals(G, S)) == S
    True
    """
    G = _check_group(G)
    arr, n = _square_stack(G, F, "F", "the matrix of the group diagonals")
    C = group_diagonal_indices(G)
    M = np.empty_like(arr)
    rows = np.broadcast_to(np.arange(n)[None, :], (n, n))
    M[..., rows, C] = arr
    return restore(M, F)
