"""Displacements ``A M - M B`` (Sylvester) and ``M - A M B`` (Stein), their rank, generators and inverse.

Operators may be dense arrays, SymPy matrices, ``scipy.sparse`` matrices, or the structured monomial
operators of :mod:`groupmat.ldr.operators` (permutations, diagonals, shifts ``Z_f``), which act
by indexing. SymPy input (in ``M`` or an operator) gives exact results.
"""
from __future__ import annotations

import math

import numpy as np
import scipy.linalg as sla
import scipy.sparse as sp

from .. import tolerances
from .._exact import (as_numeric_or_exact, exact_is_zero, exact_number, is_symbolic, restore, to_object_array,
                      working_float)
from .._validation import check_choice, check_finite, check_nonnegative_int, check_size, check_tolerance
from .operators import MonomialOperator

__all__ = ["displacement", "displacement_rank", "displacement_generators", "reconstruct", "exact_rank",
           "numeric_rank", "default_rank_tol", "displacement_with_scale"]

KINDS = ("sylvester", "stein")


# ---------------------------------------------------------------------- coercion
def _coerce_matrix(M, name: str, ndim: int = 2):
    """``(array, exact)`` by :func:`groupmat._exact.as_numeric_or_exact` (float input keeps its
    precision), after densifying a structured operator or a sparse matrix; ``ndim`` is checked."""
    if hasattr(M, "dense") and callable(M.dense) and not isinstance(M, np.ndarray):
        M = M.dense()
    if sp.issparse(M):
        check_size(M.shape, 16, f"the dense form of the sparse {name}")
        M = M.toarray()
    arr, exact = as_numeric_or_exact(M, name, to_float=True)
    if arr.ndim != ndim:
        what = "a matrix (2-D)" if ndim == 2 else f"a {ndim}-D array"
        raise ValueError(f"{name} must be {what}, got shape {arr.shape}")
    return arr, exact


def _numeric_matrix(D, name: str) -> np.ndarray:
    """``D`` as a finite numeric 2-D array (booleans and integers become float64), refusing anything
    else with an error naming ``name``: the input rule of :func:`numeric_rank`."""
    if sp.issparse(D):
        check_size(D.shape, 16, f"the dense form of the sparse {name}")
        D = D.toarray()
    if is_symbolic(D):
        raise TypeError(f"{name} must be a numeric matrix; for SymPy entries use groupmat.ldr.exact_rank")
    try:
        arr = np.asarray(D)
    except ValueError:
        raise ValueError(f"{name} must be a rectangular numeric matrix (2-D); its rows have different lengths") from None
    if arr.dtype.kind not in "biufc":
        raise TypeError(f"{name} must be a numeric matrix (2-D), got dtype {arr.dtype}")
    if arr.ndim != 2:
        raise ValueError(f"{name} must be a matrix (2-D, shape (m, n)), got shape {arr.shape}")
    check_finite(arr, name)
    if arr.dtype.kind in "biu":
        arr = arr.astype(np.float64)
    return arr


def _safe_exponent(dtype) -> int:
    """Entries beyond ``2**e`` (or below ``2**-e``) of this float dtype are rescaled by a power of two
    before norms and SVDs, with ``e`` three eighths of the dtype's exponent range (384 for float64, 48
    for float32): their squares, and sums of them, would overflow (underflow); the scaling is exact."""
    maxexp = np.finfo(dtype).maxexp
    return maxexp // 2 - maxexp // 8


def _pow2_scale(X) -> float:
    """A power of two ``c`` with ``max|X| / c`` in ``[1, 2)`` when ``max|X|`` lies outside
    ``[2**-e, 2**e]`` for the dtype of ``X`` (:func:`_safe_exponent`: where norms and SVDs would
    overflow or underflow), else ``1.0``.

    Dividing by ``c`` is exact (barring subnormal results), so ranks, and tolerances divided by
    ``c``, are unchanged.
    """
    if not isinstance(X, np.ndarray) or X.dtype.kind not in "fc" or X.size == 0:
        return 1.0
    e = _safe_exponent(X.real.dtype)
    m = float(np.max(np.abs(X)))
    if m == 0.0 or not np.isfinite(m) or 2.0 ** -e <= m <= 2.0 ** e:
        return 1.0
    return math.ldexp(1.0, math.frexp(m)[1] - 1)


def _check_finite_result(D, scale, what: str) -> None:
    """Refuse a displacement (or its scale) that overflowed: name what to rescale."""
    if (scale is not None and not np.isfinite(scale)) or not np.all(np.isfinite(D)):
        raise ValueError(f"{what} overflows (entries or norms beyond the range of {np.asarray(D).dtype}); "
                         "rescale M or the operators")


def _coerce_operator(A, size: int, name: str):
    """Return ``(op, exact)``: a MonomialOperator, a sparse matrix, or an ndarray of shape (size, size)."""
    if isinstance(A, MonomialOperator):
        if A.n != size:
            raise ValueError(f"{name} must be {size} x {size} to match M, got a {A.n} x {A.n} {type(A).__name__}")
        return A, A.exact
    if sp.issparse(A):
        if A.shape != (size, size):
            raise ValueError(f"{name} must be {size} x {size} to match M, got a sparse matrix of shape {A.shape}")
        check_finite(A.data, name)
        return sp.csr_array(A), False
    arr, exact = _coerce_matrix(A, name)
    if arr.shape != (size, size):
        raise ValueError(f"{name} must be {size} x {size} to match M, got shape {arr.shape}")
    return arr, exact


def _to_exact_operator(A):
    if isinstance(A, MonomialOperator):
        if A.exact or A.weights is None:
            return A
        import sympy

        from .operators import DiagonalOperator, ShiftOperator

        if isinstance(A, ShiftOperator):
            return ShiftOperator(A.n, exact_number(A.f, "f"))
        w = to_object_array(A.weights)
        return DiagonalOperator(w) if isinstance(A, DiagonalOperator) else MonomialOperator(A.perm, w)
    if sp.issparse(A):
        return to_object_array(A.toarray())
    return A if A.dtype == object else to_object_array(A)


def _left(A, X):
    """``A @ X`` for any operator form."""
    if isinstance(A, MonomialOperator):
        return A.apply_left(X)
    return np.asarray(A @ X)


def _right(X, B):
    """``X @ B`` for any operator form."""
    if isinstance(B, MonomialOperator):
        return B.apply_right(X)
    if sp.issparse(B):
        return np.asarray((B.T @ X.T).T)
    return X @ B


def _dense(A) -> np.ndarray:
    if isinstance(A, MonomialOperator):
        return A.dense()
    if sp.issparse(A):
        return A.toarray()
    return A


def _eigenvalues(A) -> np.ndarray:
    if isinstance(A, MonomialOperator):
        return A.eigenvalues()
    d = _dense(A)
    if d.dtype == object:
        d = np.array([[complex(v) for v in row] for row in d])
    return np.linalg.eigvals(d)


def _sympy_matrix(arr):
    """An exact 2-D result in the type exact input gets back (:func:`groupmat._exact.restore` to a
    ``sympy.Matrix``), its entries expanded."""
    import sympy

    if 0 in arr.shape:
        return sympy.zeros(*arr.shape)
    expanded = np.empty(arr.shape, dtype=object)
    expanded.flat[:] = [sympy.expand(v) for v in arr.flat]
    return restore(expanded, sympy.Matrix())


def _judged_dtype(*arrays) -> np.dtype:
    """The dtype whose round-off a numeric result carries: the least precise floating dtype among
    the data (``M`` and dense operators; structured operators and exact data are skipped)."""
    dtypes = [a.dtype for a in arrays if isinstance(a, np.ndarray) and a.dtype != object]
    dtypes += [a.dtype for a in arrays if sp.issparse(a)]
    if not dtypes:
        return np.dtype(np.float64)
    return max(dtypes, key=tolerances.eps)


def _prepare(M, A, B, kind):
    check_choice(kind, "kind", KINDS)
    arr, exact = _coerce_matrix(M, "M")
    m, n = arr.shape
    A_op, ea = _coerce_operator(A, m, "A")
    B_op, eb = _coerce_operator(A if B is None else B, n, "B")
    exact = exact or ea or eb
    if exact:
        if arr.dtype != object:
            arr = to_object_array(arr)
        A_op, B_op = _to_exact_operator(A_op), _to_exact_operator(B_op)
    return arr, A_op, B_op, exact


def _displace(arr, A, B, kind, with_scale=False):
    """``A M - M B`` or ``M - A M B``; with ``with_scale``, also ``||first term||_F + ||second||_F``."""
    if kind == "sylvester":
        out = _left(A, arr)
        right = _right(arr, B)
    else:
        out, right = arr.copy(), _right(_left(A, arr), B)
    scale = None
    if with_scale and out.dtype != object:
        scale = float(np.linalg.norm(out)) + float(np.linalg.norm(right))
    if out.dtype == object or np.result_type(out, right) != out.dtype:
        D = out - right
    else:
        D = np.subtract(out, right, out=out)     # in place: one n x n temporary fewer
    return (D, scale) if with_scale else D


def _scaled_displacement(arr, A, B, kind):
    """``(D, scale, c)``: the numeric displacement of ``arr / c`` and its scale, with ``c`` the power of
    two of :func:`_pow2_scale` (the displacement is linear in ``M``, so ranks and ``tol / c`` are those
    of ``M``); refuses a result that overflowed."""
    c = _pow2_scale(arr)
    with np.errstate(over="ignore", invalid="ignore"):      # an overflow is reported just below
        D, scale = _displace(arr / c if c != 1.0 else arr, A, B, kind, with_scale=True)
    _check_finite_result(D, scale, "the displacement of M")
    return D, scale, c


def displacement_with_scale(M, A, B=None, kind: str = "sylvester"):
    """``(D, scale)``: the numeric displacement ``D`` and the size of its two terms,
    ``scale = ||A M||_F + ||M B||_F`` (Sylvester) or ``||M||_F + ||A M B||_F`` (Stein).

    Round-off in ``D`` is relative to ``scale``, not to ``||D||`` (which may be tiny when ``M`` is
    nearly structured), so :func:`default_rank_tol` takes it into account.
    """
    arr, A_op, B_op, exact = _prepare(M, A, B, kind)
    if exact:
        raise TypeError("displacement_with_scale is for numeric input; exact input has an exact rank")
    return _displace(arr, A_op, B_op, kind, with_scale=True)


# ---------------------------------------------------------------------- public functions
def displacement(M, A, B=None, kind: str = "sylvester"):
    """The displacement of ``M`` by the operator pair ``(A, B)``.

    Parameters
    ----------
    M : (m, n) array_like or sympy.Matrix
    A : (m, m) operator
        A dense array, a SymPy matrix, a ``scipy.sparse`` matrix, or a structured operator
        (:class:`PermutationOperator`, :class:`DiagonalOperator`, :func:`shift`), which is applied by
        indexing and scaling, never as a dense product.
    B : (n, n) operator, optional
        Defaults to ``A``.
    kind : {"sylvester", "stein"}
        ``"sylvester"``: ``A M - M B``; ``"stein"``: ``M - A M B``.

    Returns
    -------
    ndarray or sympy.Matrix
        A ``sympy.Matrix`` (entries expanded) when ``M`` or an operator holds SymPy objects.

    Raises
    ------
    ValueError
        Shapes that do not match, non-finite entries, an unknown ``kind``.

    See Also
    --------
    displacement_rank, displacement_generators, reconstruct, generator_displacement

    Notes
    -----
    With ``A = B = Z_1`` (:func:`shift`) the displacement vanishes exactly on circulants, and a
    Toeplitz matrix ``T`` has ``Z_1 T - T Z_1`` supported on the first row and last column, so of rank
    at most 2: this is the generator displacement ``L(1) T - T L(1)`` of the cyclic group ``C_n``
    (:func:`generator_displacement`).

    Examples
    --------
    >>> import numpy as np, groupmat as gm
    >>> T = gm.toeplitz([1.0, 2.0, 3.0, 4.0], [1.0, 5.0, 6.0, 7.0])
    >>> D = gm.displacement(T, gm.shift(4, 1), gm.shift(4, -1))
    >>> int(np.linalg.matrix_rank(D))
    2
    >>> import sympy
    >>> a, b = sympy.symbols("a b")
    >>> gm.displacement(sympy.Matrix([[a, b], [b, a]]), gm.shift(2, 1))
    Matrix([
    [0, 0],
    [0, 0]])
    """
    arr, A_op, B_op, exact = _prepare(M, A, B, kind)
    D = _displace(arr, A_op, B_op, kind)
    return _sympy_matrix(D) if exact else D


def default_rank_tol(singular_values, shape, scale: float | None = None, dtype=None) -> float:
    """The default numerical-rank tolerance ``max(sigma_max, scale) * max(m, n) * eps``.

    Without ``scale`` this is ``numpy.linalg.matrix_rank``'s rule
    (:func:`groupmat.tolerances.rank_tol`). For a displacement ``D = A M - M B``, pass
    ``scale = ||A M|| + ||M B||`` (see :func:`displacement_with_scale`): the round-off of a
    difference is relative to its terms, and a displacement much smaller than its terms would
    otherwise count round-off as rank. This is the one rule every numeric rank of this package uses.

    Parameters
    ----------
    singular_values : array_like
        The singular values of the matrix (may be empty when ``scale`` is given).
    shape : tuple of int
        Its shape ``(m, n)``.
    scale : float, optional
        A norm the tolerance is relative to, when larger than ``sigma_max``.
    dtype : dtype, optional
        The dtype of the data judged: ``eps`` is its machine epsilon (float32 data is judged at
        float32 round-off). Default: the dtype of ``singular_values`` (float64 for integers).

    Returns
    -------
    float

    Examples
    --------
    >>> import numpy as np, groupmat as gm
    >>> s = np.array([2.0, 1.0, 1e-17])
    >>> bool(gm.ldr.default_rank_tol(s, (3, 4)) == 2.0 * 4 * np.finfo(float).eps)
    True
    >>> bool(gm.ldr.default_rank_tol(s, (3, 4), scale=10.0) == 10.0 * 4 * np.finfo(float).eps)
    True
    >>> bool(gm.ldr.default_rank_tol(s, (3, 4), dtype=np.float32) == 2.0 * 4 * np.finfo(np.float32).eps)
    True
    """
    try:
        s = np.asarray(singular_values)
    except ValueError:
        raise ValueError("singular_values must be a 1-D array of numbers") from None
    if s.dtype.kind not in "biuf":
        raise TypeError(f"singular_values must be real numbers, got dtype {s.dtype}")
    if s.ndim > 1:
        raise ValueError(f"singular_values must be a 1-D array, got shape {s.shape}")
    check_finite(s, "singular_values")
    if isinstance(shape, (str, bytes)) or not hasattr(shape, "__len__") or len(shape) == 0:
        raise TypeError(f"shape must be the matrix shape (m, n), got {shape!r}")
    shape = tuple(check_nonnegative_int(v, "shape[i]") for v in shape)
    if scale is not None:
        scale = check_tolerance(scale, "scale")
    dt = (s.dtype if s.dtype.kind == "f" else np.dtype(np.float64)) if dtype is None else dtype
    smax = float(np.max(np.abs(s), initial=0.0))
    if scale is not None:
        smax = max(smax, scale)
    return tolerances.rank_tol(np.array([smax]), shape, dt)


#: Below this size the numerical rank is a plain SVD.
_RANDOMIZED_MIN = 128


def _randomized_range(D: np.ndarray, tol: float | None):
    """``(Q, B = Q^* D, t)`` with ``||D - Q B||_F <= t / 10`` for a low-rank ``D``, or None.

    Randomized range finder (seeded): ``Q`` an orthonormal basis of ``D Omega`` for ``k + 10``
    Gaussian columns, ``k = 8, 16, ...`` while ``k + 10 <= min(m, n) / 4``; ``t`` is the rank
    tolerance (``tol``, or the ``matrix_rank`` rule on the singular values of ``B``). Accepted when
    fewer than ``k + 10`` singular values of ``B`` exceed ``t`` and the residual is below ``t / 10``:
    then the singular values of ``B`` are those of ``D`` to within the residual (Weyl).
    """
    m, n = D.shape
    small = min(m, n)
    if small <= _RANDOMIZED_MIN:
        return None
    rng = np.random.default_rng(0)
    k = 8
    while k + 10 <= small // 4:
        Q, _ = np.linalg.qr(D @ rng.standard_normal((n, k + 10)))
        B = Q.conj().T @ D
        s = np.linalg.svd(B, compute_uv=False)
        t = default_rank_tol(s, D.shape, dtype=D.dtype) if tol is None else float(tol)
        if int(np.count_nonzero(s > t)) < k + 10:
            if float(np.linalg.norm(D - Q @ B)) <= 0.1 * max(t, np.finfo(float).tiny):
                return Q, B, t
        k *= 2
    return None


def numeric_rank(D: np.ndarray, tol: float | None = None) -> int:
    """The numerical rank of ``D``: the number of singular values above ``tol`` (default
    :func:`default_rank_tol`, NumPy's ``matrix_rank`` rule with the machine epsilon of ``D.dtype``).

    For a matrix larger than 128 it first tries a randomized range finder (seeded, so the answer is
    reproducible): with ``Y = D Omega`` for ``k + 10`` Gaussian columns and ``Q`` an orthonormal basis
    of ``Y``, ``D = Q Q^* D + E``. When the residual ``||E||_F`` is below a tenth of the tolerance, the
    singular values of the small matrix ``Q^* D`` are those of ``D`` to within ``||E||_2`` (Weyl), so
    counting them gives the SVD rank (unless a singular value lies within ``||E||`` of the tolerance).
    ``k`` doubles until that holds, and past ``min(m, n) / 4`` the full SVD is used. For a displacement
    of rank ``r`` this costs ``O(m n r)`` instead of the ``O(m n min(m, n))`` of an SVD.

    Entries of a size whose squares would overflow (or underflow) float64 are first rescaled by a
    power of two (exactly; ``tol`` with them), so ``numeric_rank(c * D) == numeric_rank(D)`` for any
    representable scale ``c``.

    Parameters
    ----------
    D : (m, n) array_like
        A numeric matrix (real or complex; booleans and integers count as float64), finite. An empty
        matrix has rank 0.
    tol : float, optional
        Singular values ``<= tol`` count as zero; a finite number ``>= 0``. Default
        :func:`default_rank_tol` of the singular values.

    Returns
    -------
    int

    Raises
    ------
    ValueError
        ``D`` not 2-D, ragged, or holding NaN or infinite entries; a negative or non-finite ``tol``.
    TypeError
        ``D`` not numeric (strings, SymPy objects: use :func:`exact_rank`); ``tol`` not a real number.

    Examples
    --------
    >>> import numpy as np, groupmat as gm
    >>> rng = np.random.default_rng(0)
    >>> D = rng.normal(size=(200, 3)) @ rng.normal(size=(3, 150))
    >>> gm.ldr.numeric_rank(D), int(np.linalg.matrix_rank(D))
    (3, 3)
    """
    tol = None if tol is None else check_tolerance(tol, "tol")
    return _rank(_numeric_matrix(D, "D"), tol)


def _rank(D: np.ndarray, tol: float | None) -> int:
    """:func:`numeric_rank` of a checked finite 2-D array, ``tol`` a checked (or computed) number or
    None; never validates ``tol`` again (a computed default must not be reported as the caller's)."""
    if D.size == 0:
        return 0
    c = _pow2_scale(D)
    if c != 1.0:
        D = D / c
        tol = None if tol is None else tol / c
    if tol is None and D.dtype != working_float(D.dtype):
        # float16: LAPACK works in float32 at least; the default tolerance keeps float16's epsilon
        tol = default_rank_tol(np.linalg.svd(D.astype(np.float32), compute_uv=False), D.shape, dtype=D.dtype)
    D = D.astype(working_float(D.dtype), copy=False)
    found = _randomized_range(D, tol)
    if found is not None:
        Q, B, t = found
        return int(np.count_nonzero(np.linalg.svd(B, compute_uv=False) > t))
    s = np.linalg.svd(D, compute_uv=False)
    t = default_rank_tol(s, D.shape, dtype=D.dtype) if tol is None else float(tol)
    return int(np.count_nonzero(s > t))


def exact_rank(M) -> int:
    """The exact rank of a SymPy matrix over the field its entries generate.

    Rationals give the rank over Q; algebraic numbers (square roots, roots of unity) the rank over
    the number field they generate; symbols the *generic* rank, i.e. over the field of rational
    functions in them (a specialisation of the symbols can only lower it).

    Parameters
    ----------
    M : sympy.Matrix or array_like
        A 2-D matrix whose entries are SymPy expressions (or finite numbers, taken exactly by
        :func:`groupmat._exact.as_numeric_or_exact`).

    Returns
    -------
    int

    Raises
    ------
    ValueError
        ``M`` not 2-D, ragged, or holding NaN or infinite numbers.
    TypeError
        ``M`` not numeric or SymPy (e.g. strings).

    See Also
    --------
    numeric_rank, displacement_rank

    Examples
    --------
    >>> import sympy, groupmat as gm
    >>> x = sympy.Symbol("x")
    >>> gm.ldr.exact_rank(sympy.Matrix([[1, x], [x, x**2]])), gm.ldr.exact_rank(sympy.Matrix([[1, x], [x, 1]]))
    (1, 2)
    """
    import sympy
    from sympy.polys.matrices import DomainMatrix

    if isinstance(M, sympy.MatrixBase):
        Ms = M
    else:
        arr, exact = as_numeric_or_exact(M, "M")
        if arr.ndim != 2:
            raise ValueError(f"M must be a matrix (2-D), got shape {arr.shape}")
        if 0 in arr.shape:
            return 0
        Ms = sympy.Matrix(arr if exact else to_object_array(arr))
    if 0 in Ms.shape:
        return 0
    if all(v == 0 for v in Ms):            # DomainMatrix.rank of a zero matrix divides by zero in SymPy 1.13
        return 0
    try:
        dM = DomainMatrix.from_Matrix(Ms, extension=True)
    except Exception:  # noqa: BLE001 - fall back to the expression domain
        dM = DomainMatrix.from_Matrix(Ms)
    return int(dM.to_field().rank())


def _exact_rref(D):
    """Reduced row echelon form and pivots over the field of the entries (SymPy's polys domains:
    fast and canonical for rationals, number fields and rational functions)."""
    from sympy.polys.matrices import DomainMatrix

    try:
        dM = DomainMatrix.from_Matrix(D, extension=True)
    except Exception:  # noqa: BLE001 - fall back to the expression domain
        dM = DomainMatrix.from_Matrix(D)
    R, pivots = dM.to_field().rref()
    return R.to_Matrix(), tuple(pivots)


def displacement_rank(M, A, B=None, tol: float | None = None, kind: str = "sylvester") -> int:
    """The rank of the displacement ``A M - M B`` (or ``M - A M B``).

    Parameters
    ----------
    M, A, B, kind
        As in :func:`displacement`.
    tol : float, optional
        Numeric input: singular values ``<= tol`` count as zero. The default is
        ``max(sigma_max, ||A M|| + ||M B||) * max(m, n) * eps`` (:func:`default_rank_tol`): NumPy's
        ``matrix_rank`` rule, measured against the terms of the difference, with ``eps`` of the
        dtype of the data (``M`` and dense operators: float32 data is judged at float32). Ignored for
        exact input. Large displacements of low rank are ranked by a randomized range finder with a
        residual check, in ``O(m n r)`` (see :func:`numeric_rank`).

    Returns
    -------
    int
        Exact (SymPy) input: the rank over the field of the entries (generic rank for symbols), see
        :func:`exact_rank`. Numeric input: the number of singular values above ``tol``.

    Examples
    --------
    >>> import numpy as np, groupmat as gm
    >>> x = np.array([1.0, 2.0, 3.0, 5.0])
    >>> gm.displacement_rank(gm.matrices.vandermonde(x), *gm.ldr.canonical_operators("vandermonde", x=x))
    1
    >>> import sympy
    >>> c = sympy.symbols("c0:4"); r = sympy.symbols("r0:4")
    >>> gm.displacement_rank(gm.toeplitz(c, (c[0],) + r[1:]), gm.shift(4, 1), gm.shift(4, -1))
    2
    """
    tol = None if tol is None else check_tolerance(tol, "tol")
    arr, A_op, B_op, exact = _prepare(M, A, B, kind)
    if exact:
        return exact_rank(_sympy_matrix(_displace(arr, A_op, B_op, kind)))
    D, scale, c = _scaled_displacement(arr, A_op, B_op, kind)
    if tol is None:
        tol = default_rank_tol((), D.shape, scale, dtype=_judged_dtype(arr, A_op, B_op))
    else:
        tol = tol / c
    return _rank(D, tol)


def displacement_generators(M, A, B=None, rank: int | None = None, kind: str = "sylvester",
                            tol: float | None = None, return_error: bool = False):
    """Generators ``(G, H)`` of the displacement: ``A M - M B = G H^T`` (or ``M - A M B = G H^T``).

    Parameters
    ----------
    M, A, B, kind
        As in :func:`displacement`.
    rank : int, optional
        The number of generator columns ``r``. ``None``: the (numerical, to ``tol``) rank, so the
        factorisation is exact up to rounding. A smaller ``rank`` truncates the SVD (numeric input only).
    tol : float, optional
        Tolerance of the numerical rank when ``rank`` is None (default as :func:`displacement_rank`:
        :func:`default_rank_tol` measured against the terms of the difference).
    return_error : bool
        Also return the Frobenius error ``||D - G H^T||_F = sqrt(sum_{i >= r} sigma_i^2)``.

    Returns
    -------
    G : (m, r) ndarray or sympy.Matrix
    H : (n, r) ndarray or sympy.Matrix
    error : float, only with ``return_error``
        The Frobenius error, the least possible for ``r`` columns (Eckart-Young); the spectral
        error is ``sigma_r``, the first discarded singular value.

    Raises
    ------
    ValueError
        ``rank`` larger than ``min(m, n)``; exact input with ``rank`` below the exact rank.

    Notes
    -----
    Numeric: from the SVD ``D = U S V^*``, ``G = U_r S_r^{1/2}``, ``H = conj(V_r) S_r^{1/2}``. With
    ``rank=None`` a large displacement of low rank is factored through the randomized range finder of
    :func:`numeric_rank` (``D = Q B`` up to a residual below the rank tolerance, then the SVD of the
    small ``B``), in ``O(m n r)``; the returned error then also counts that residual only implicitly
    (it is below a tenth of the tolerance).
    Exact: the rank factorisation ``D = D[:, pivots] R`` with ``R`` the nonzero rows of the reduced
    row echelon form of ``D``; ``G = D[:, pivots]``, ``H = R^T``.

    Examples
    --------
    >>> import numpy as np, groupmat as gm
    >>> T = gm.toeplitz(np.arange(1.0, 6.0), np.arange(1.0, 10.0, 2.0))
    >>> A, B = gm.ldr.canonical_operators("toeplitz", 5)
    >>> G, H = gm.displacement_generators(T, A, B)
    >>> G.shape, np.allclose(gm.ldr.reconstruct(G, H, A, B), T)
    ((5, 2), True)
    """
    tol = None if tol is None else check_tolerance(tol, "tol")
    arr, A_op, B_op, exact = _prepare(M, A, B, kind)
    if exact:
        import sympy

        D = _sympy_matrix(_displace(arr, A_op, B_op, kind))
        exact_r = exact_rank(D)
        if rank is not None:
            rank = check_nonnegative_int(rank, "rank")
            if rank > min(D.shape):
                raise ValueError(f"rank must be at most min(m, n) = {min(D.shape)}, got {rank}")
            if rank < exact_r:
                raise ValueError(f"exact generators cannot be truncated: the displacement has exact rank "
                                 f"{exact_r}, got rank={rank} (pass numeric input for a truncated SVD)")
        R, pivots = _exact_rref(D)
        G = D.extract(list(range(D.rows)), list(pivots))
        H = R[: len(pivots), :].T
        if rank is not None and rank > len(pivots):  # pad with zero columns to the requested width
            G = G.row_join(sympy.zeros(D.rows, rank - len(pivots)))
            H = H.row_join(sympy.zeros(D.cols, rank - len(pivots)))
        return (G, H, 0) if return_error else (G, H)
    D, scale, c = _scaled_displacement(arr, A_op, B_op, kind)
    if rank is None and tol is None:    # the rule of displacement_rank: against the terms of the difference
        tol = default_rank_tol((), D.shape, scale, dtype=_judged_dtype(arr, A_op, B_op))
    elif tol is not None:
        tol = tol / c
    m, n = D.shape
    found = _randomized_range(D, tol) if rank is None else None
    if found is not None:   # low rank: SVD of the small Q^* D (same factors up to the residual)
        Q, B, t = found
        Ub, s, Vh = np.linalg.svd(B, full_matrices=False)
        U = Q @ Ub
    else:
        U, s, Vh = np.linalg.svd(D, full_matrices=False)
    if rank is None:
        r = int(np.count_nonzero(s > tol))
    else:
        r = check_nonnegative_int(rank, "rank")
        if r > min(m, n):
            raise ValueError(f"rank must be at most min(m, n) = {min(m, n)} for a {m} x {n} displacement, got {r}")
    root = np.sqrt(s[:r])
    # D(M) = c D(M / c): the factor c = 2^k is split between G and H (exact powers of two)
    k = math.frexp(c)[1] - 1
    G = U[:, :r] * root * math.ldexp(1.0, k // 2)
    H = Vh[:r].T * root * math.ldexp(1.0, k - k // 2)
    if return_error:
        return G, H, float(np.sqrt(np.sum(s[r:] ** 2))) * c
    return G, H


# ---------------------------------------------------------------------- reconstruction
def _singular_message(kind, value, detail):
    what = "A M - M B" if kind == "sylvester" else "M - A M B"
    cond = ("A and B share the eigenvalue" if kind == "sylvester"
            else "A and B have eigenvalues lambda, mu with lambda * mu = 1, e.g.")
    return (f"the operator M -> {what} is singular ({cond} {value}{detail}), so M is not determined by its "
            "displacement; choose operators with disjoint spectra, e.g. (shift(n, 1), shift(n, -1))")


def _krylov(G, H, A: MonomialOperator, B: MonomialOperator, kind: str, exact: bool):
    """Krylov formulas for operators with ``A^n = e I`` and ``B^n = f I`` (e.g. ``Z_e``, ``Z_f``).

    Sylvester: ``A^n M - M B^n = sum_{i<n} A^{n-1-i} (A M - M B) B^i`` gives
    ``(e - f) M = sum_j K(A, g_j) J K(B^T, h_j)^T``; Stein: ``M - A^n M B^n = sum_{i<n} A^i (M - A M B) B^i``
    gives ``(1 - e f) M = sum_j K(A, g_j) K(B^T, h_j)^T``, with ``K(A, g) = [g, A g, ..., A^{n-1} g]``
    and ``J`` the reversal.
    """
    n = A.n
    e, f = A.scalar_power(), B.scalar_power()
    denom = (e - f) if kind == "sylvester" else (1 - e * f)
    if exact:
        if exact_is_zero(denom):
            raise ValueError(_singular_message(kind, "(Krylov: e = f)" if kind == "sylvester" else "(Krylov: e f = 1)", ""))
    elif abs(denom) <= tolerances.roundoff(np.asarray(denom).dtype, max(abs(e), abs(f))):
        raise ValueError(_singular_message(kind, f"(Krylov: e = {e}, f = {f})", ""))
    check_size((n, n * G.shape[1]), 16, "the Krylov matrices of the reconstruction")
    BT = B.T
    powers_a, powers_b = [G], [H]
    for _ in range(n - 1):
        powers_a.append(A.apply_left(powers_a[-1]))
        powers_b.append(BT.apply_left(powers_b[-1]))
    if kind == "sylvester":
        powers_a = powers_a[::-1]
    KA = np.concatenate(powers_a, axis=1)
    KB = np.concatenate(powers_b, axis=1)
    M = KA @ KB.T
    if exact:
        return np.vectorize(lambda v: v / denom, otypes=[object])(M)
    return M / denom


def _check_separation(A, B, kind, tol):
    lam, mu = _eigenvalues(A), _eigenvalues(B)
    check_size((lam.size, mu.size), 16, "the eigenvalue separation table")
    if kind == "sylvester":
        gap = np.abs(lam[:, None] - mu[None, :])
    else:
        gap = np.abs(1 - lam[:, None] * mu[None, :])
    scale = max(1.0, float(np.abs(lam).max()), float(np.abs(mu).max()))
    if kind == "stein":
        scale = scale ** 2
    dtype = _judged_dtype(_dense(A), _dense(B))
    # a computed eigenvalue is accurate to about sqrt(eps) (a double eigenvalue splits that far)
    tol = np.sqrt(tolerances.eps(dtype)) * scale if tol is None else float(tol)
    k = np.unravel_index(np.argmin(gap), gap.shape)
    if gap[k] <= tol:
        val = lam[k[0]]
        val = val.real if abs(val.imag) <= tolerances.imaginary_tol(dtype) * max(1.0, abs(val.real)) else val
        raise ValueError(_singular_message(kind, f"{val:.6g}", f", separation {gap[k]:.2g} <= tol {tol:.2g}"))


def _exact_kron_solve(Q, A, B, kind):
    import sympy
    from sympy.polys.matrices import DomainMatrix

    m, n = Q.shape
    if m * n > 144:
        raise ValueError(f"exact reconstruction with general operators solves an (m n) x (m n) system; "
                         f"m n = {m * n} > 144 is too large (use Z_f operators, or numeric input)")
    Ad = A.dense(dtype=object) if isinstance(A, MonomialOperator) else _dense(A)
    Bd = B.dense(dtype=object) if isinstance(B, MonomialOperator) else _dense(B)
    Im, In = to_object_array(np.eye(m, dtype=int)), to_object_array(np.eye(n, dtype=int))
    # column-major vec: vec(A M B) = (B^T kron A) vec(M)
    if kind == "sylvester":
        K = np.kron(In, Ad) - np.kron(Bd.T, Im)
    else:
        K = to_object_array(np.eye(m * n, dtype=int)) - np.kron(Bd.T, Ad)
    K = sympy.Matrix(K)
    q = sympy.Matrix(m * n, 1, [Q[i, j] for j in range(n) for i in range(m)])
    try:
        dK = DomainMatrix.from_Matrix(K.row_join(q), extension=True)
    except Exception:  # noqa: BLE001
        dK = DomainMatrix.from_Matrix(K.row_join(q))
    if exact_rank(K) < m * n:
        raise ValueError(_singular_message(kind, "(exactly)", ""))
    rref, _ = dK.to_field().rref()
    sol = rref.to_Matrix()[:, -1]
    out = np.empty((m, n), dtype=object)
    for j in range(n):
        for i in range(m):
            out[i, j] = sol[j * m + i]
    return out


def reconstruct(G, H, A, B=None, kind: str = "sylvester", tol: float | None = None):
    """Recover ``M`` from its displacement generators: solve ``A M - M B = G H^T`` (or ``M - A M B``).

    Parameters
    ----------
    G : (m, r) array_like or sympy.Matrix
    H : (n, r) array_like or sympy.Matrix
    A, B, kind
        As in :func:`displacement` (``B`` defaults to ``A``).
    tol : float, optional
        Eigenvalue separation below which the operator pair counts as singular (numeric route;
        default ``sqrt(eps) * max(1, |eigenvalues|)`` with ``eps`` of the operators' dtype
        (``1.5e-8`` for float64), squared scale for Stein).

    Returns
    -------
    ndarray or sympy.Matrix

    Raises
    ------
    ValueError
        The operator ``M -> A M - M B`` is singular (``A`` and ``B`` share an eigenvalue; for Stein,
        ``lambda mu = 1`` for eigenvalues of ``A`` and ``B``): ``M`` is not determined by its
        displacement. Shapes that do not match, non-finite entries.

    Notes
    -----
    Routes, in order:

    * **Krylov** (``A``, ``B`` monomial with ``A^n = e I``, ``B^n = f I``, e.g. ``A = Z_e``,
      ``B = Z_f`` or ``Z_f^T``, ``m = n``): ``(e - f) M = sum_{i<n} A^{n-1-i} G H^T B^i``
      (Sylvester), ``(1 - e f) M = sum_{i<n} A^i G H^T B^i`` (Stein). For ``A = Z_e``,
      ``B = Z_f`` this is ``M = (e - f)^{-1} sum_j Z_e(g_j) J K(Z_f^T, h_j)^T``, a sum of products of
      an ``e``-circulant and a Krylov matrix. Exact for SymPy input.
    * **Bartels-Stewart** (``scipy.linalg.solve_sylvester``) for general numeric Sylvester pairs; a
      Stein equation is turned into a Sylvester one with ``B^{-1}`` or ``A^{-1}``.
    * **Kronecker** system for exact input with general operators (``m n <= 144``).

    Examples
    --------
    >>> import numpy as np, groupmat as gm
    >>> s, t = np.array([1.0, 2.0, 3.0]), np.array([-1.0, 0.5, 4.0])
    >>> C = gm.matrices.cauchy(s, t)
    >>> A, B = gm.ldr.canonical_operators("cauchy", s=s, t=t)
    >>> np.allclose(gm.ldr.reconstruct(*gm.displacement_generators(C, A, B), A, B), C)
    True
    """
    check_choice(kind, "kind", KINDS)
    tol = None if tol is None else check_tolerance(tol, "tol")
    if B is None:
        B = A
    Gm, eg = _coerce_matrix(np.asarray(G)[:, None] if not is_symbolic(G) and np.ndim(G) == 1 else G, "G")
    Hm, eh = _coerce_matrix(np.asarray(H)[:, None] if not is_symbolic(H) and np.ndim(H) == 1 else H, "H")
    if Gm.shape[1] != Hm.shape[1]:
        raise ValueError(f"G and H must have the same number of columns r, got G {Gm.shape} and H {Hm.shape}")
    m, n = Gm.shape[0], Hm.shape[0]
    A_op, ea = _coerce_operator(A, m, "A")
    B_op, eb = _coerce_operator(B, n, "B")
    exact = eg or eh or ea or eb
    if exact:
        Gm = Gm if Gm.dtype == object else to_object_array(Gm)
        Hm = Hm if Hm.dtype == object else to_object_array(Hm)
        A_op, B_op = _to_exact_operator(A_op), _to_exact_operator(B_op)
    krylov = (isinstance(A_op, MonomialOperator) and isinstance(B_op, MonomialOperator) and m == n
              and A_op.scalar_power() is not None and B_op.scalar_power() is not None)
    if krylov:
        M = _krylov(Gm, Hm, A_op, B_op, kind, exact)
        return _sympy_matrix(M) if exact else M
    Q = Gm @ Hm.T
    if exact:
        return _sympy_matrix(_exact_kron_solve(Q, A_op, B_op, kind))
    _check_separation(A_op, B_op, kind, tol)
    Ad, Bd = _dense(A_op), _dense(B_op)
    if kind == "sylvester":
        return sla.solve_sylvester(Ad, -Bd, Q)
    # Stein M - A M B = Q
    if np.linalg.cond(Bd) < 1e10:
        Binv = np.linalg.inv(Bd)
        return sla.solve_sylvester(Ad, -Binv, -Q @ Binv)      # A M - M B^-1 = -Q B^-1
    if np.linalg.cond(Ad) < 1e10:
        Ainv = np.linalg.inv(Ad)
        return sla.solve_sylvester(Ainv, -Bd, Ainv @ Q)       # A^-1 M - M B = A^-1 Q
    check_size((m * n, m * n), 8, "the Kronecker system of a Stein equation with singular A and B")
    K = np.eye(m * n) - np.kron(Bd.T, Ad)
    return np.linalg.solve(K, Q.reshape(-1, order="F")).reshape((m, n), order="F")
