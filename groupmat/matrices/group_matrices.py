"""Group matrices ``M_x``, their conventions, recovery of ``x``, and the group algebra.

The one source of truth for the conventions is :data:`CONVENTIONS` and :func:`group_matrix_indices`:
every other function builds on the index array ``K`` with ``M = x[K]``.
"""
from __future__ import annotations

import numpy as np
import scipy.sparse as sp

from .._exact import as_numeric_or_exact, exact_equal_arrays, to_object_array
from .._validation import check_choice, check_finite, check_size, check_tolerance
from ..tolerances import roundoff
from ..groups.core import check_group as _check_group
from ..groups.core import FiniteGroup, index_dtype

__all__ = ["CONVENTIONS", "group_matrix_indices", "group_matrix", "x_from_group_matrix",
           "is_group_matrix", "dense_convolve", "group_symbols", "regular_permutations"]

#: The supported conventions ``M[g, h] = x(...)``.
CONVENTIONS = {
    "ginv_h": "M[g, h] = x(g^-1 h)  (default; commutes with the left regular representation)",
    "g_hinv": "M[g, h] = x(g h^-1)  (commutes with the right regular representation)",
    "gh": "M[g, h] = x(g h)      (Frobenius's group matrix)",
}


def _pair_index(G: FiniteGroup, g, h, convention: str) -> np.ndarray:
    """The element ``k`` with ``M[g, h] = x(k)`` for broadcastable index arrays ``g``, ``h``."""
    if convention == "ginv_h":
        return G.mul_unchecked(G.inv_unchecked(g), h)
    if convention == "g_hinv":
        return G.mul_unchecked(g, G.inv_unchecked(h))
    return G.mul_unchecked(g, h)


def group_matrix_indices(G: FiniteGroup, convention: str = "ginv_h") -> np.ndarray:
    """The ``n x n`` index array ``K`` with ``M_x = x[K]`` for the given convention.

    Parameters
    ----------
    G : FiniteGroup
    convention : {"ginv_h", "g_hinv", "gh"}
        See :data:`CONVENTIONS`.

    Returns
    -------
    ndarray of int, shape (n, n)

    Examples
    --------
    >>> import groupmat as gm
    >>> gm.matrices.group_matrix_indices(gm.cyclic(3))
    array([[0, 1, 2],
           [2, 0, 1],
           [1, 2, 0]], dtype=int8)
    """
    G = _check_group(G)
    check_choice(convention, "convention", tuple(CONVENTIONS))
    return _index_array(G, convention, f"the index array of a group matrix of {G.name}")


def _table_copies(G: FiniteGroup) -> int:
    """How many ``n x n`` index arrays :func:`_index_array` holds at its peak: the result, plus the
    Cayley table when it is still to be built for a group without arithmetic."""
    return 1 if (G.has_cayley_table() or G.structured) else 2


#: The way out named when an ``n x n`` index array (or a dense group matrix) is refused.
_MATRIX_WAY_OUT = ("multiply with gm.convolve(G, x, y) (no n x n array), or build gm.group_matrix(G, x, sparse=True) "
                   "for a kernel of small support")


def _index_array(G: FiniteGroup, convention: str, what: str, transpose: bool = False,
                 how: str = _MATRIX_WAY_OUT) -> np.ndarray:
    """``K`` of :func:`group_matrix_indices` (``K.T`` with ``transpose``, built as one C-ordered array),
    after asking :func:`groupmat._validation.check_size` for its peak (the result, and the Cayley table
    when it must be built first)."""
    n = G.order
    dt = index_dtype(n)
    check_size((n, n), dt.itemsize * _table_copies(G), what, how=how)
    inv = G.inverses()
    if G.has_cayley_table() or not G.structured:
        # one gather from the (cached) Cayley table: x(g^-1 h) = x(T[g^-1, h]), x(g h^-1) = x(T[g, h^-1])
        T = G.cayley_table()
        if not transpose:
            if convention == "ginv_h":
                return T[inv]
            if convention == "g_hinv":
                return T[:, inv]
            return T.copy()
        if convention == "ginv_h":               # K.T[h, g] = T[g^-1, h]
            return np.ascontiguousarray(T[inv].T)
        if convention == "g_hinv":               # K.T[h, g] = T[g, h^-1] = T.T[h^-1, g]
            return T.T[inv]
        return np.ascontiguousarray(T.T)
    # arithmetic groups: broadcast products on blocks of rows (int64 intermediates of about 1 MiB)
    K = np.empty((n, n), dtype=dt)
    e = G.elements()
    step = max(1, 2**17 // n)
    for start in range(0, n, step):
        g = e[start:start + step, None]
        rows = _pair_index(G, e[None, :], g, convention) if transpose else _pair_index(G, g, e[None, :], convention)
        K[start:start + g.shape[0]] = rows
    return K


#: Bytes of one element's symbol in :func:`group_symbols` (its label, its name and the ``sympy.Symbol``), as
#: traced: 320-470 with SymPy 1.14 (longer for the tuple labels of products with many factors), 1060-1180
#: with SymPy 1.13 (the oldest supported); the resident size grew by about 880 per symbol for ``C1000000``.
#: The budget counts 1280, covering every supported SymPy.
SYMBOL_BYTES = 1280


def group_symbols(G: FiniteGroup, prefix: str = "x") -> list:
    """One SymPy symbol per element, named from the labels: ``x_e, x_r, x_{r^2}, x_{sr}, ...``.

    Spaces are dropped and multi-character labels are braced (LaTeX-friendly); tuple labels of
    products are joined by commas. Names are always distinct: if dropping spaces would merge two
    labels (``(0 1 12)`` and ``(0 11 2)``), spaces become commas instead, and if names still
    collide every symbol is named by its index, ``x_{0}, x_{1}, ...``. ``group_matrix(G)`` uses
    these symbols.

    Parameters
    ----------
    G : FiniteGroup
    prefix : str
        The symbols' common stem (``"x"`` gives ``x_e, x_r, ...``).

    Returns
    -------
    list of sympy.Symbol
        ``G.order`` distinct symbols, in element order.

    Raises
    ------
    TooLargeError
        The symbols (about :data:`SYMBOL_BYTES` each) would not fit under ``GROUPMAT_MAX_BYTES``: refused
        before any label or symbol is made.

    Examples
    --------
    >>> import groupmat as gm
    >>> gm.matrices.group_symbols(gm.dihedral(2))
    [x_e, x_r, x_s, x_{sr}]
    >>> gm.matrices.group_symbols(gm.direct_product(gm.cyclic(2), gm.cyclic(2)), prefix="a")
    [a_{e,e}, a_{e,r}, a_{r,e}, a_{r,r}]
    >>> gm.matrices.group_symbols(gm.from_permutations([[1, 0, 2]]))
    [x_{()}, x_{(01)}]
    """
    import sympy

    if not isinstance(prefix, str):
        raise TypeError(f"prefix must be a string, got {type(prefix).__name__}")
    G = _check_group(G)
    check_size((G.order,), SYMBOL_BYTES, f"the SymPy symbols of the elements of {G.name}",
               how="name the few elements you need with sympy.Symbol and G.label(g), or pass numeric values")
    labels = G.labels

    def name(label, space: str):
        text = ",".join(map(str, label)) if isinstance(label, tuple) else str(label)
        text = text.replace(" ", space)
        return f"{prefix}_{text}" if len(text) == 1 else f"{prefix}_{{{text}}}"

    for space in ("", ","):
        names = [name(lab, space) for lab in labels]
        if len(set(names)) == len(names):
            break
    else:
        names = [f"{prefix}_{{{i}}}" for i in range(len(labels))]
    return [sympy.Symbol(nm) for nm in names]


def _coerce_x(G: FiniteGroup, x, name: str = "x"):
    """``(array, exact)`` for a function on ``G`` given as a vector of length ``n`` along its last axis
    (:func:`groupmat._exact.as_numeric_or_exact`), or one symbol per element for ``None``."""
    n = G.order
    if x is None:
        return np.array(group_symbols(G), dtype=object), True
    arr, exact = as_numeric_or_exact(x, name, vector=True, expected=f" of length |G| = {n} along its last axis")
    if arr.shape[-1:] != (n,):
        raise ValueError(f"{name} must have length |G| = {n} along its last axis, got shape {arr.shape}")
    return arr, exact


def group_matrix(G: FiniteGroup, x=None, convention: str = "ginv_h", sparse: bool = False):
    """The group matrix ``M_x`` of a function ``x`` on ``G``.

    With the default convention ``M_x[g, h] = x(g^-1 h)``; for the cyclic group this is the
    circulant whose first row is ``x``. ``M_x = sum_g x(g) R(g)`` with ``R`` the right regular
    representation, and ``M_x`` commutes with the left regular representation.

    Parameters
    ----------
    G : FiniteGroup
    x : array_like of shape (n,), sympy objects, or None
        Numeric values give an ndarray; SymPy values (or ``None``, which makes one symbol per
        element named from the labels) give a ``sympy.Matrix``. Leading batch axes are allowed for
        numeric ``x`` (the result then has shape ``x.shape[:-1] + (n, n)``).
    convention : {"ginv_h", "g_hinv", "gh"}
        ``x(g^-1 h)`` (default), ``x(g h^-1)``, or Frobenius's ``x(g h)``.
    sparse : bool
        Return a ``scipy.sparse.csr_array`` with ``n * |support(x)|`` stored entries, built without
        any ``n x n`` intermediate (for kernels of small support, e.g. a 3x3 stencil on
        ``C_32 x C_32``). Its data and column indices are sized before they are built: a full
        support makes ``n^2`` of them, refused like a dense matrix when over ``GROUPMAT_MAX_BYTES``.

    Returns
    -------
    ndarray, sympy.Matrix or scipy.sparse.csr_array

    Raises
    ------
    TooLargeError
        A result that would not fit under ``GROUPMAT_MAX_BYTES`` with its ``n x n`` index array
        (dense), or whose stored entries would not (sparse), refused before allocating.

    See Also
    --------
    x_from_group_matrix, is_group_matrix, groupmat.convolve

    Examples
    --------
    >>> import groupmat as gm
    >>> gm.group_matrix(gm.cyclic(4), [1, 2, 3, 4])
    array([[1, 2, 3, 4],
           [4, 1, 2, 3],
           [3, 4, 1, 2],
           [2, 3, 4, 1]])
    >>> gm.group_matrix(gm.cyclic(2))
    Matrix([
    [x_e, x_r],
    [x_r, x_e]])
    """
    G = _check_group(G)
    check_choice(convention, "convention", tuple(CONVENTIONS))
    n = G.order
    if x is None:                        # the n x n matrix of symbols: asked before any symbol is made
        if sparse:
            raise ValueError("sparse=True needs numeric x; exact (SymPy) group matrices are dense sympy Matrices")
        _check_exact_matrix(G, n, index_dtype(n), symbols=True)
    arr, exact = _coerce_x(G, x)
    if sparse:
        if exact:
            raise ValueError("sparse=True needs numeric x; exact (SymPy) group matrices are dense sympy Matrices")
        if arr.ndim != 1:
            raise ValueError(f"sparse=True takes a single function x of shape ({n},), got shape {arr.shape}")
        return _sparse_group_matrix(G, arr, convention)
    dt = index_dtype(n)
    if exact:
        import sympy

        if arr.ndim != 1:
            raise ValueError(f"exact x must have shape ({n},), got {arr.shape}")
        _check_exact_matrix(G, n, dt, symbols=False)
        K = group_matrix_indices(G, convention)
        flat = arr[K.ravel()]
        return sympy.Matrix(n, n, list(flat))
    # the result and the n x n index array it is gathered with (and NumPy's intp copy of a narrower one)
    batch = int(np.prod(arr.shape[:-1], dtype=np.int64)) if arr.ndim > 1 else 1
    index_bytes = dt.itemsize * _table_copies(G) + (0 if dt == np.intp else np.dtype(np.intp).itemsize)
    check_size(arr.shape[:-1] + (n, n), arr.dtype.itemsize + -(-index_bytes // max(batch, 1)),
               f"the group matrix of {G.name} (with its index array)", how=_MATRIX_WAY_OUT)
    K = group_matrix_indices(G, convention)
    return arr[..., K]


def _check_exact_matrix(G: FiniteGroup, n: int, dt: np.dtype, symbols: bool) -> None:
    """Ask :func:`groupmat._validation.check_size` for an exact ``n x n`` group matrix: the index array,
    the gathered object array and the list and Matrix of ``n^2`` references, and with ``symbols`` the
    ``n`` symbols of :func:`group_symbols` made for it."""
    per_entry = dt.itemsize * _table_copies(G) + 3 * 8
    if symbols:
        per_entry += -(-SYMBOL_BYTES // n)
    what = f"the exact group matrix of {G.name}" + (" (one symbol per element)" if symbols else "")
    check_size((n, n), per_entry, what,
               how="use numeric x with gm.convolve(G, x, y) or gm.fourier(G, x), which need no n x n matrix")


def _sparse_index_dtype(n: int, nnz: int) -> np.dtype:
    """The index dtype SciPy keeps for a CSR matrix with ``nnz`` stored entries (int32 when it fits)."""
    return np.dtype(np.int32) if max(n, nnz) < 2**31 - 1 else np.dtype(np.int64)


def _sparse_group_matrix(G: FiniteGroup, x: np.ndarray, convention: str):
    """The CSR matrix of ``x`` with ``|support(x)|`` entries per row, built directly in CSR form: row
    ``g`` holds ``x(k)`` in the column ``h`` with ``M[g, h] = x(k)``, for each ``k`` in the support.

    The stored data and column indices are sized and refused by
    :func:`groupmat._validation.check_size` before anything of that size is allocated; the columns
    are computed on blocks of rows (bounded int64 intermediates).
    """
    support = np.flatnonzero(x).astype(np.int64)
    n, s = G.order, support.size
    nnz = n * s
    idx_dt = _sparse_index_dtype(n, nnz)
    check_size((n, s), x.dtype.itemsize + idx_dt.itemsize,
               f"the sparse group matrix of {G.name} ({s} stored entries per row: data and column indices)")
    indptr = np.arange(0, nnz + 1, max(s, 1), dtype=idx_dt) if s else np.zeros(n + 1, dtype=idx_dt)
    indices = np.empty((n, s), dtype=idx_dt)
    inv = G.inverses()
    k = support[None, :]
    e = G.elements()
    step = max(1, 2**17 // max(s, 1))
    for start in range(0, n, step):
        g = e[start:start + step, None]
        if convention == "ginv_h":      # g^-1 h = k  <=>  h = g k
            cols = G.mul_unchecked(g, k)
        elif convention == "g_hinv":    # g h^-1 = k  <=>  h = k^-1 g
            cols = G.mul_unchecked(inv[k], g)
        else:                           # g h = k  <=>  h = g^-1 k
            cols = G.mul_unchecked(inv[g], k)
        indices[start:start + g.shape[0]] = cols
    data = np.tile(x[support], n)
    M = sp.csr_array((data, indices.reshape(-1), indptr), shape=(n, n))
    M.sort_indices()
    return M


def _to_ginv_h(M, G: FiniteGroup, convention: str):
    """Permute rows/columns so that a group matrix of ``convention`` becomes one of ``ginv_h``.

    With ``J`` the inversion permutation: ``M_gh = J M``, ``M_g_hinv = J M J`` (``M`` of ginv_h).
    """
    if convention == "ginv_h":
        return M
    inv = G.inverses()
    if convention == "gh":
        return M[inv, :]
    return M[inv][:, inv]


def x_from_group_matrix(G: FiniteGroup, M, convention: str = "ginv_h", check: bool = True, tol=None):
    """Recover ``x`` from a group matrix ``M = M_x`` (the inverse of :func:`group_matrix`).

    ``x(k)`` is the mean of ``M`` along the ``k``-th group diagonal ``{(g, g k)}`` (for the
    default convention), which is exact for a group matrix and the least-squares fit otherwise.

    Parameters
    ----------
    G : FiniteGroup
    M : (n, n) array_like, sympy.Matrix or scipy.sparse matrix
        A sparse ``M`` is read in ``O(nnz)`` without densifying: a group diagonal is either
        entirely stored with one value, or holds no nonzero at all (then ``x(k) = 0``).
    convention : {"ginv_h", "g_hinv", "gh"}
    check : bool
        Raise ValueError if ``M`` is not a group matrix (to ``tol``, or exactly for SymPy input).
    tol : float, optional
        Absolute tolerance for numeric input. Default: round-off of sums of ``n`` products in the
        dtype of ``M``, :func:`groupmat.tolerances.roundoff` ``(M.dtype, max|M|, n)`` (so a product
        or inverse of group matrices computed in float32 or float64 is recognised).

    Returns
    -------
    ndarray, shape (n,)
        ``x`` with ``M = group_matrix(G, x, convention)``: float (or complex) for numeric ``M``, an
        object array of SymPy expressions for SymPy ``M``.

    Examples
    --------
    >>> import groupmat as gm
    >>> G = gm.dihedral(3)
    >>> gm.x_from_group_matrix(G, gm.group_matrix(G, [0, 1, 2, 3, 4, 5])).tolist()
    [0.0, 1.0, 2.0, 3.0, 4.0, 5.0]
    """
    G = _check_group(G)
    check_choice(convention, "convention", tuple(CONVENTIONS))
    if tol is not None:
        tol = check_tolerance(tol, "tol")
    n = G.order
    if sp.issparse(M):
        return _x_from_sparse(M, G, convention, check, tol)
    arr, exact = as_numeric_or_exact(M, "M", expected=f" of shape ({n}, {n})")
    if arr.shape != (n, n):
        raise ValueError(f"M must be a square matrix of size |G| = {n}, got shape {arr.shape}")
    if exact:
        import sympy

        arr = _to_ginv_h(arr, G, convention)
        F = arr[np.arange(n)[None, :], group_matrix_indices(G, "gh").T]     # F[k, g] = M[g, g k]: group diagonals
        x = np.array([sympy.Integer(0) + sum(F[k]) / n for k in range(n)], dtype=object)
        x = np.array([sympy.simplify(v) for v in x], dtype=object)
        if check and not exact_equal_arrays(F, np.repeat(x[:, None], n, axis=1)):
            raise ValueError("M is not a group matrix of G for this convention (exactly)")
        return x
    x, dev, largest = _diagonal_means(G, arr, convention)
    if check:
        tol = roundoff(arr.dtype, largest, n) if tol is None else tol
        if dev > tol:
            raise ValueError(f"M is not a group matrix of G for this convention: entries along a group "
                             f"diagonal differ by up to {dev:.3g} (tol {tol:.3g})")
    return x


def _diagonal_means(G: FiniteGroup, arr: np.ndarray, convention: str):
    """``(x, dev, largest)``: the means ``x[k]`` of the group diagonals ``F[k, g] = M0[g, g k]`` of the
    ``ginv_h`` form ``M0`` of ``arr``, the largest ``|F[k, g] - x[k]|`` and the largest ``|F[k, g]|``.

    Read on blocks of diagonals (``O(n)`` memory per row of ``F``, no ``n x n`` index array or copy):
    ``M0[g, h] = M[g', h']`` with ``g' = g^-1`` for the conventions ``gh`` and ``g_hinv`` and
    ``h' = h^-1`` for ``g_hinv`` (see :func:`_to_ginv_h`).
    """
    n = G.order
    e = G.elements()
    inv = G.inverses()
    rows = e if convention == "ginv_h" else inv
    x = None
    dev = largest = 0.0
    step = max(1, 2**17 // n)                                      # blocks of about 1 MiB per work array
    for start in range(0, n, step):
        k = e[start:start + step, None]
        cols = G.mul_unchecked(e[None, :], k)                      # g k, shape (b, n)
        if convention == "g_hinv":
            cols = inv[cols]
        F = arr[rows[None, :], cols]
        xb = F.mean(axis=1)
        if x is None:
            x = np.empty(n, dtype=xb.dtype)                        # the dtype of a mean of M's entries
        x[start:start + k.shape[0]] = xb
        if F.size:
            dev = max(dev, float(np.max(np.abs(F - xb[:, None]))))
            largest = max(largest, float(np.max(np.abs(F))))
    return x, dev, largest


def _default_tol(values: np.ndarray, n: int) -> float:
    """The default tolerance of :func:`x_from_group_matrix`: round-off of sums of ``n`` products of
    the size of ``values``, in their dtype (a product or inverse of group matrices carries that much)."""
    scale = float(np.max(np.abs(values))) if values.size else 0.0
    return roundoff(values.dtype, scale, n)


def _x_from_sparse(M, G: FiniteGroup, convention: str, check: bool, tol):
    """:func:`x_from_group_matrix` for a SciPy sparse ``M``, in ``O(nnz)``."""
    n = G.order
    if M.shape != (n, n):
        raise ValueError(f"M must be a square matrix of size |G| = {n}, got shape {M.shape}")
    coo = sp.coo_array(M)
    keep = coo.data != 0
    rows, cols, vals = coo.row[keep].astype(np.int64), coo.col[keep].astype(np.int64), coo.data[keep]
    check_finite(vals, "M")
    k = _pair_index(G, rows, cols, convention)          # the group diagonal of each stored entry
    counts = np.bincount(k, minlength=n)
    dtype = np.result_type(vals.dtype, float)
    x = np.bincount(k, weights=vals.real, minlength=n).astype(dtype) / n
    if np.iscomplexobj(vals):
        x = x + 1j * np.bincount(k, weights=vals.imag, minlength=n) / n
    if check:
        tol = _default_tol(vals, n) if tol is None else tol
        # full diagonals: spread around their mean; partly stored ones also hold implicit zeros
        partial = (counts > 0) & (counts < n)
        dev = np.abs(vals - x[k])
        dev = np.where(partial[k], np.maximum(dev, np.abs(vals)), dev)
        dev = float(dev.max()) if dev.size else 0.0
        if dev > tol:
            raise ValueError(f"M is not a group matrix of G for this convention: entries along a group "
                             f"diagonal differ by up to {dev:.3g} (tol {tol:.3g})")
    return x


def is_group_matrix(G: FiniteGroup, M, convention: str = "ginv_h", tol=None) -> bool:
    """True when ``M`` equals ``group_matrix(G, x, convention)`` for some ``x``.

    Exact for SymPy input; numeric input is compared to the absolute tolerance ``tol``, by default
    the round-off of sums of ``n`` products in the dtype of ``M``
    (:func:`groupmat.tolerances.roundoff` ``(M.dtype, max|M|, n)``): the product of two float32
    group matrices is a group matrix, a float32 matrix perturbed well above float32 round-off is not.

    Parameters
    ----------
    G : FiniteGroup
    M : (n, n) array_like, sympy.Matrix or scipy.sparse matrix
    convention : {"ginv_h", "g_hinv", "gh"}
    tol : float, optional
        Absolute tolerance (a finite number ``>= 0``) for numeric ``M``.

    Returns
    -------
    bool

    Raises
    ------
    ValueError, TypeError
        ``M`` of the wrong shape or dtype, an unknown ``convention``, or a negative or non-numeric
        ``tol``.

    Examples
    --------
    >>> import groupmat as gm, numpy as np
    >>> G = gm.quaternion()
    >>> gm.is_group_matrix(G, gm.group_matrix(G, np.arange(8.0)))
    True
    >>> gm.is_group_matrix(G, np.eye(8)[::-1])
    False
    >>> A = gm.group_matrix(G, np.arange(8, dtype=np.float32))
    >>> gm.is_group_matrix(G, A @ A.T)                       # float32, judged at float32 round-off
    True
    """
    try:
        x_from_group_matrix(G, M, convention, check=True, tol=tol)
    except ValueError as err:
        if "not a group matrix" in str(err):
            return False
        raise
    return True


def dense_convolve(G: FiniteGroup, x, y):
    """The product in the group algebra by its definition: ``(x * y)(t) = sum_u x(u) y(u^-1 t)``.

    It satisfies ``M_x M_y = M_{x*y}`` for the default convention. Numeric ``x``, ``y`` may carry
    leading batch axes (broadcast); SymPy input gives an exact result. This is the reference route,
    ``O(n^2)``; :func:`groupmat.convolve` picks the fastest route (FFTs where the group has them)
    and falls back to this one.

    Parameters
    ----------
    G : FiniteGroup
    x, y : array_like, shape (..., n), or SymPy values
        Functions on ``G`` as vectors indexed by element.

    Returns
    -------
    ndarray, shape (..., n)
        ``x * y``; an object array of SymPy expressions when either input is symbolic.

    Raises
    ------
    ValueError
        An input whose last axis is not of length ``|G|`` (or batched exact input).

    Examples
    --------
    >>> import groupmat as gm
    >>> G = gm.cyclic(4)
    >>> gm.matrices.dense_convolve(G, [1, 2, 0, 0], [0, 1, 0, 1]).tolist()
    [2, 1, 2, 1]
    """
    G = _check_group(G)
    xa, ex = _coerce_x(G, x, "x")
    ya, ey = _coerce_x(G, y, "y")
    if ex or ey:
        import sympy

        xa, ya = to_object_array(xa), to_object_array(ya)
        if xa.ndim != 1 or ya.ndim != 1:
            raise ValueError("exact convolve takes one function x and one y of shape (n,)")
        K = group_matrix_indices(G)
        out = np.array([sympy.expand(sum(xa[u] * ya[K[u, t]] for u in range(G.order) if xa[u] != 0))
                        for t in range(G.order)], dtype=object)
        return out
    return _dense_convolve(G, xa, ya)


def _dense_convolve(G: FiniteGroup, x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """``(x*y)(t) = sum_u x(u) y(u^-1 t) = (x^T M_y)(t)``: one matrix product, batched."""
    M_y = group_matrix(G, y)
    return np.einsum("...u,...ut->...t", x, M_y)


def regular_permutations(G: FiniteGroup, side: str = "left") -> np.ndarray:
    """Index arrays of the regular representations: ``P[g, i]`` with ``rho(g) e_i = e_{P[g, i]}``.

    ``side="left"``: ``L(g) e_h = e_{g h}``. ``side="right"``: ``R(g) e_b = e_{b g^-1}``, so that
    ``R(g)[a, b] = [b == a g]`` (the convention with ``M_x = sum_g x(g) R(g)``).

    Parameters
    ----------
    G : FiniteGroup
    side : {"left", "right"}

    Returns
    -------
    ndarray of int, shape (n, n)
        ``P[g, i]``: ``g i`` (left) or ``i g^-1`` (right).

    Raises
    ------
    ValueError
        An unknown ``side``.
    TooLargeError
        The ``n x n`` array would not fit under ``GROUPMAT_MAX_BYTES``.

    Examples
    --------
    >>> import groupmat as gm
    >>> gm.matrices.regular_permutations(gm.cyclic(3)).tolist()
    [[0, 1, 2], [1, 2, 0], [2, 0, 1]]
    """
    G = _check_group(G)
    check_choice(side, "side", ("left", "right"))
    what = f"the regular permutations of {G.name}"
    how = ("use G.mul(g, G.elements()) for the permutation of one element g, or gm.convolve(G, x, y) for the "
           "regular action on functions")
    if side == "left":
        return _index_array(G, "gh", what, how=how)                        # P[g, h] = g h
    return _index_array(G, "g_hinv", what, transpose=True, how=how)        # P[g, b] = b g^-1
