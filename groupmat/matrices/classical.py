"""The classical structured matrices: Toeplitz, Hankel, Vandermonde, Cauchy and (f-)circulants.

Plain functions of array_like (numeric, or SymPy for exact results), in the style of
``scipy.linalg.toeplitz``. They are the classical low-displacement-rank families: their displacement
ranks for the canonical operator pairs are in :mod:`groupmat.ldr.classical_operators`.
"""
from __future__ import annotations

import numpy as np

from .._exact import as_vector, exact_is_zero, is_symbolic, to_object_array
from .._validation import check_finite, check_positive_int, check_size

__all__ = ["toeplitz", "hankel", "vandermonde", "cauchy", "circulant", "f_circulant"]


def _out(arr, exact):
    if exact:
        import sympy

        return sympy.Matrix(arr.shape[0], arr.shape[1], list(arr.flat))
    return arr


#: Bytes per entry of an exact result beyond its object array: the list and the ``sympy.Matrix`` of
#: references :func:`_out` builds.
_EXACT_EXTRA = 16

#: The int64 index array that gathers a Toeplitz, Hankel or f-circulant matrix from its values.
_INDEX_BYTES = 8


def _result_bytes(dtype, exact: bool) -> int:
    """Bytes per entry of a result of ``dtype`` (exact: the object array and what :func:`_out` adds)."""
    return 8 + _EXACT_EXTRA if exact else np.dtype(dtype).itemsize


def _pair(c, r, names):
    c_arr, ec = as_vector(c, names[0])
    r_arr, er = as_vector(r, names[1])
    exact = ec or er
    if exact:
        c_arr, r_arr = to_object_array(c_arr), to_object_array(r_arr)
    return c_arr, r_arr, exact


def toeplitz(c, r=None):
    """The Toeplitz matrix ``T[i, j] = c[i - j]`` (``i >= j``), ``r[j - i]`` (``j > i``).

    Parameters
    ----------
    c : array_like or sympy vector, length m
        First column.
    r : array_like, length n, optional
        First row (``r[0]`` is ignored: ``T[0, 0] = c[0]``). Default ``conj(c)``, as in SciPy.

    Returns
    -------
    ndarray of shape (m, n), or sympy.Matrix for SymPy input

    Notes
    -----
    With ``Z_f`` from :func:`groupmat.shift`, ``Z_1 T - T Z_{-1}`` is zero outside the first row and the last
    column, so it has rank at most 2. So does the circulant displacement ``Z_1 T - T Z_1`` (the
    generator displacement of ``C_n``): a Toeplitz matrix is "two rank-one corrections away" from
    commuting with the regular action of ``C_n``.

    Examples
    --------
    >>> import groupmat as gm
    >>> gm.toeplitz([1, 2, 3], [1, 4, 5])
    array([[1, 4, 5],
           [2, 1, 4],
           [3, 2, 1]])
    """
    if r is None:
        c_arr, exact = as_vector(c, "c")
        r = c_arr if exact else np.conj(c_arr)
    c_arr, r_arr, exact = _pair(c, r, ("c", "r"))
    m, n = c_arr.size, r_arr.size
    check_size((m, n), _INDEX_BYTES + _result_bytes(np.result_type(c_arr, r_arr), exact),
               "a Toeplitz matrix (with its index array)")
    vals = np.concatenate([r_arr[:0:-1], c_arr])          # vals[n - 1 + k] = t_k, k = i - j
    idx = np.arange(m)[:, None] - np.arange(n)[None, :] + (n - 1)
    return _out(vals[idx], exact)


def hankel(c, r=None):
    """The Hankel matrix ``H[i, j] = h_{i + j}`` with first column ``c`` and last row ``r``.

    Parameters
    ----------
    c : array_like, length m
        First column.
    r : array_like, length n, optional
        Last row (``r[0]`` is ignored: ``H[m-1, 0] = c[m-1]``). Default zeros, as in SciPy.

    Returns
    -------
    ndarray of shape (m, n), or sympy.Matrix for SymPy input

    Notes
    -----
    ``Z_1 H - H Z_{-1}^T`` vanishes outside the first row and first column (both sides equal
    ``h_{i+j-1}`` elsewhere), so its rank is at most 2.

    Examples
    --------
    >>> import groupmat as gm
    >>> gm.hankel([1, 2, 3], [3, 4, 5])
    array([[1, 2, 3],
           [2, 3, 4],
           [3, 4, 5]])
    """
    if r is None:
        c_arr, exact = as_vector(c, "c")
        r = np.zeros(c_arr.size, dtype=object if exact else c_arr.dtype)
        if exact:
            r[:] = 0
    c_arr, r_arr, exact = _pair(c, r, ("c", "r"))
    m, n = c_arr.size, r_arr.size
    check_size((m, n), _INDEX_BYTES + _result_bytes(np.result_type(c_arr, r_arr), exact),
               "a Hankel matrix (with its index array)")
    vals = np.concatenate([c_arr, r_arr[1:]])               # vals[k] = h_k, k = i + j
    idx = np.arange(m)[:, None] + np.arange(n)[None, :]
    return _out(vals[idx], exact)


def vandermonde(x, n: int | None = None):
    """The Vandermonde matrix ``V[i, j] = x_i^j``, ``j = 0..n-1`` (increasing powers).

    Note the order: ``numpy.vander`` uses decreasing powers by default; this is
    ``numpy.vander(x, n, increasing=True)``.

    Parameters
    ----------
    x : array_like or sympy vector, length m
    n : int, optional
        Number of columns, default ``m``.

    Returns
    -------
    ndarray or sympy.Matrix
        The ``m x n`` matrix (a ``sympy.Matrix`` for SymPy input).

    Notes
    -----
    ``diag(x) V - V Z_f`` is zero except for its last column ``x_i^n - f``: rank at most 1.

    Examples
    --------
    >>> import groupmat as gm
    >>> gm.matrices.vandermonde([1, 2, 3])
    array([[1, 1, 1],
           [1, 2, 4],
           [1, 3, 9]])
    """
    x_arr, exact = as_vector(x, "x")
    n = x_arr.size if n is None else check_positive_int(n, "n")
    check_size((x_arr.size, n), _result_bytes(np.result_type(x_arr, np.int64), exact), "a Vandermonde matrix")
    if exact:
        out = np.empty((x_arr.size, n), dtype=object)
        for j in range(n):
            out[:, j] = [v**j for v in x_arr]
        return _out(out, True)
    return x_arr[:, None] ** np.arange(n)[None, :]


def cauchy(s, t):
    """The Cauchy matrix ``C[i, j] = 1 / (s_i - t_j)``.

    Parameters
    ----------
    s : array_like or sympy vector, length m
    t : array_like or sympy vector, length n
        Disjoint from ``s``.

    Returns
    -------
    ndarray or sympy.Matrix
        The ``m x n`` matrix (a ``sympy.Matrix`` when ``s`` or ``t`` is SymPy).

    Raises
    ------
    ValueError
        When some ``s_i = t_j`` (the entry would be infinite).

    Notes
    -----
    ``diag(s) C - C diag(t)`` is the all-ones matrix: displacement rank exactly 1.

    Examples
    --------
    >>> import groupmat as gm, sympy
    >>> gm.matrices.cauchy(sympy.Matrix([1, 2]), [0, 3])
    Matrix([
    [  1, -1/2],
    [1/2,   -1]])
    """
    s_arr, t_arr, exact = _pair(s, t, ("s", "t"))
    # the differences, their reciprocals and the test for zeros
    item = _result_bytes(np.result_type(s_arr, t_arr, float), exact)
    check_size((s_arr.size, t_arr.size), 2 * item + 1, "a Cauchy matrix (with its differences)")
    diff = s_arr[:, None] - t_arr[None, :]
    if exact:
        zero = [(i, j) for (i, j), v in np.ndenumerate(diff) if exact_is_zero(v)]
        if zero:
            i, j = zero[0]
            raise ValueError(f"s and t must be disjoint: s[{i}] = t[{j}] = {s_arr[i]} gives an infinite entry")
        import sympy

        return _out(np.vectorize(lambda v: sympy.Integer(1) / v, otypes=[object])(diff), True)
    bad = np.argwhere(diff == 0)
    if bad.size:
        i, j = bad[0]
        raise ValueError(f"s and t must be disjoint: s[{i}] = t[{j}] = {s_arr[i]} gives an infinite entry")
    return 1.0 / diff


def f_circulant(c, f=1):
    """The f-circulant ``Z_f(c) = sum_k c_k Z_f^k``: first column ``c``, entries above the
    diagonal multiplied by ``f``.

    ``C[i, j] = c[i - j]`` for ``i >= j`` and ``f c[n + i - j]`` for ``i < j``; it commutes with
    ``Z_f``, and ``Z_f(c) e_j = Z_f^j c`` (it is the Krylov matrix ``K(Z_f, c)``).

    Parameters
    ----------
    c : array_like or sympy vector, length n
        The first column.
    f : number or SymPy number, default 1
        The factor of the entries above the diagonal; finite.

    Returns
    -------
    ndarray or sympy.Matrix
        The ``n x n`` matrix (a ``sympy.Matrix`` for SymPy input).

    Raises
    ------
    ValueError
        ``c`` empty or not 1-D; ``c`` or ``f`` not finite.
    TypeError
        ``f`` not a number.

    See Also
    --------
    circulant, groupmat.shift

    Examples
    --------
    >>> import groupmat as gm
    >>> gm.matrices.f_circulant([1, 2, 3], -1)
    array([[ 1, -3, -2],
           [ 2,  1, -3],
           [ 3,  2,  1]])
    """
    c_arr, exact = as_vector(c, "c")
    if is_symbolic(f):
        exact = True
        c_arr = to_object_array(c_arr)
    elif not np.isscalar(f) or isinstance(f, (bool, str)):
        raise TypeError(f"f must be a number or a SymPy number, got {type(f).__name__} {f!r}")
    else:
        check_finite(np.asarray(f), "f")
    n = c_arr.size
    dtype = object if exact else np.result_type(c_arr, f)
    # the index array, the mask of the entries above the diagonal and the result
    check_size((n, n), _INDEX_BYTES + 1 + _result_bytes(dtype, exact), "an f-circulant matrix (with its index array)")
    k = np.subtract.outer(np.arange(n), np.arange(n))
    above = k < 0
    k %= n
    out = c_arr[k].astype(dtype, copy=False)
    del k
    if exact:
        out[above] = out[above] * f
    elif f != 1:
        np.multiply(out, f, out=out, where=above)
    return _out(out, exact)


def circulant(c):
    """The circulant ``C[i, j] = c[(i - j) mod n]`` with first column ``c`` (SciPy's convention).

    The group matrix of ``C_n`` (``M_x[g, h] = x(h - g)``, first *row* ``x``) is
    ``circulant(x[-k mod n])``, i.e. ``circulant(c).T`` is the group matrix of ``c``.

    Parameters
    ----------
    c : array_like or sympy vector, length n
        The first column.

    Returns
    -------
    ndarray or sympy.Matrix
        The ``n x n`` matrix ``f_circulant(c, 1)``.

    See Also
    --------
    f_circulant, groupmat.group_matrix

    Examples
    --------
    >>> import groupmat as gm, numpy as np
    >>> C = gm.circulant([1, 2, 3])
    >>> C
    array([[1, 3, 2],
           [2, 1, 3],
           [3, 2, 1]])
    >>> np.array_equal(C.T, gm.group_matrix(gm.cyclic(3), [1, 2, 3]))
    True
    """
    return f_circulant(c, 1)


