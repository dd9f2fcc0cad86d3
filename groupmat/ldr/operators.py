"""Structured displacement operators: permutations, diagonals and the f-unit-circulant shifts ``Z_f``.

All three are *monomial* operators, ``A e_j = w_j e_{perm[j]}`` (one nonzero per row and column), and
they act on a matrix by indexing rows or columns and scaling, in ``O(size of the matrix)``, never by
a dense product:

* ``(A X)[perm[j], :] = w[j] X[j, :]``,
* ``(X A)[:, j] = w[j] X[:, perm[j]]``.

A permutation operator has all ``w_j = 1``; a diagonal operator has ``perm = identity``; the shift
``Z_f`` has ``perm[j] = j + 1 mod n`` with ``w = (1, ..., 1, f)``, so ``Z_f e_j = e_{j+1}`` and
``Z_f e_{n-1} = f e_0``: the down-shift with ``f`` in the top right corner.
"""
from __future__ import annotations

import numpy as np
import scipy.sparse as sp
from scipy.sparse.csgraph import connected_components

from .._exact import as_numeric_or_exact, is_symbolic, to_object_array
from .._validation import check_positive_int, check_size

__all__ = ["MonomialOperator", "PermutationOperator", "DiagonalOperator", "ShiftOperator", "shift"]


def _as_perm(perm, name: str = "perm") -> np.ndarray:
    arr = np.asarray(perm)
    if arr.ndim != 1:
        raise ValueError(f"{name} must be a 1-D array of indices, got shape {arr.shape}")
    if arr.dtype.kind not in "iu":
        raise TypeError(f"{name} must hold integer indices, got dtype {arr.dtype}")
    arr = arr.astype(np.int64)
    n = arr.size
    if n == 0:
        raise ValueError(f"{name} must not be empty")
    if arr.min() < 0 or arr.max() >= n or np.bincount(arr, minlength=n).max() != 1:
        raise ValueError(f"{name} must be a permutation of 0..{n - 1}, got {arr.tolist()[:12]}"
                         + ("..." if n > 12 else ""))
    return arr


def _as_weights(w, n: int, name: str = "weights"):
    """The weights as SymPy numbers (exact) or a float/complex vector (integers become float64)."""
    if w is None:
        return None
    arr, _ = as_numeric_or_exact(w, name, to_float=True, vector=True)
    if arr.shape != (n,):
        raise ValueError(f"{name} must have shape ({n},), got {arr.shape}")
    return arr


def _operand(X) -> np.ndarray:
    """The array an operator is applied to: numeric or SymPy (object), at least 1-D."""
    try:
        arr = np.asarray(X)
    except ValueError:
        raise ValueError("X must be a rectangular array (its rows have different lengths)") from None
    if arr.dtype.kind not in "biufcO":
        raise TypeError(f"X must be a numeric (or SymPy) vector or matrix, got dtype {arr.dtype}")
    if arr.ndim == 0:
        raise ValueError("X must be a vector or a matrix (at least 1-D), got a scalar; scale an operator with *")
    if arr.dtype == object:
        arr = to_object_array(arr, "X")        # the one exact rule: numbers or SymPy entries, named
    return arr


class MonomialOperator:
    """An ``n x n`` monomial operator ``A e_j = w_j e_{perm[j]}``, applied by indexing.

    Parameters
    ----------
    perm : array_like of int, shape (n,)
        A permutation of ``0..n-1``: column ``j`` of ``A`` has its nonzero in row ``perm[j]``.
    weights : array_like, shape (n,), optional
        The nonzero entries ``A[perm[j], j] = weights[j]`` (numeric or SymPy); ``None`` means all
        ones (a permutation matrix).

    Notes
    -----
    ``A @ X`` and ``X @ A`` (``X`` a NumPy array, object arrays of SymPy entries included) cost one
    gather and one scaling: ``(A X)[i] = w[p^-1(i)] X[p^-1(i)]`` and ``(X A)[:, j] = w_j X[:, p(j)]``.
    Products of monomial operators are monomial. The eigenvalues are known in closed form: a cycle
    of length ``L`` of ``perm`` whose weights multiply to ``c`` contributes the ``L`` roots of
    ``lambda^L = c``.

    Examples
    --------
    >>> import numpy as np, groupmat as gm
    >>> A = gm.ldr.MonomialOperator([1, 2, 0], [2.0, 3.0, 5.0])
    >>> A.dense()
    array([[0., 0., 5.],
           [2., 0., 0.],
           [0., 3., 0.]])
    >>> X = np.arange(9.0).reshape(3, 3)
    >>> np.array_equal(A @ X, A.dense() @ X), np.array_equal(X @ A, X @ A.dense())
    (True, True)
    """

    #: make ``ndarray @ operator`` call :meth:`__rmatmul__` instead of NumPy's object-array matmul
    __array_ufunc__ = None
    #: make ``sympy.Matrix @ operator`` call :meth:`__rmatmul__` (SymPy dispatches on this priority)
    _op_priority = 20.0

    def __init__(self, perm, weights=None):
        self.perm = _as_perm(perm)
        self.n = self.perm.size
        self.weights = _as_weights(weights, self.n)
        self.inverse_perm = np.empty_like(self.perm)
        self.inverse_perm[self.perm] = np.arange(self.n)

    # ------------------------------------------------------------------ basic data
    @property
    def shape(self) -> tuple[int, int]:
        return (self.n, self.n)

    @property
    def exact(self) -> bool:
        """True when the weights are SymPy objects."""
        return self.weights is not None and self.weights.dtype == object

    @property
    def is_permutation(self) -> bool:
        """True when every weight is 1 (``A`` is a permutation matrix)."""
        return self.weights is None or bool(np.all(self.weights == 1))

    def _w(self):
        return np.ones(self.n) if self.weights is None else self.weights

    def dense(self, dtype=None) -> np.ndarray:
        """The dense ``n x n`` matrix (an object array when the weights are SymPy)."""
        check_size((self.n, self.n), 8, "a dense monomial operator")
        w = self._w()
        if dtype is None:
            dtype = object if w.dtype == object else np.result_type(w.dtype, np.float64)
        out = np.zeros((self.n, self.n), dtype=dtype)
        if dtype == object:
            out[...] = 0
        out[self.perm, np.arange(self.n)] = w
        return out

    def sparse(self) -> sp.csr_array:
        """The operator as a ``scipy.sparse.csr_array`` (numeric weights only)."""
        if self.exact:
            raise ValueError("sparse() needs numeric weights; these are SymPy objects")
        return sp.csr_array((self._w(), (self.perm, np.arange(self.n))), shape=self.shape)

    # ------------------------------------------------------------------ action by indexing
    def apply_left(self, X) -> np.ndarray:
        """``A @ X`` along axis ``-2`` of ``X`` (a vector of length n is a column)."""
        X = _operand(X)
        vec = X.ndim == 1
        if vec:
            X = X[:, None]
        if X.shape[-2] != self.n:
            raise ValueError(f"the operator is {self.n} x {self.n} but X has {X.shape[-2]} rows (shape {X.shape})")
        src = self.inverse_perm
        out = np.take(X, src, axis=-2)          # np.take: a plain gather, faster than fancy indexing
        if self.weights is not None:
            out = self.weights[src][:, None] * out
        return out[..., 0] if vec else out

    def apply_right(self, X) -> np.ndarray:
        """``X @ A`` along the last axis of ``X``."""
        X = _operand(X)
        if X.shape[-1] != self.n:
            raise ValueError(f"the operator is {self.n} x {self.n} but X has {X.shape[-1]} columns (shape {X.shape})")
        out = np.take(X, self.perm, axis=-1)
        if self.weights is not None:
            out = out * self.weights
        return out

    def __matmul__(self, other):
        if isinstance(other, MonomialOperator):
            if other.n != self.n:
                raise ValueError(f"cannot compose monomial operators of sizes {self.n} and {other.n}")
            # (A B) e_j = w_B[j] w_A[pB[j]] e_{pA[pB[j]]}
            w = None
            if self.weights is not None or other.weights is not None:
                w = other._w() * self._w()[other.perm]
            return MonomialOperator(self.perm[other.perm], w)
        if sp.issparse(other):
            return self.sparse() @ other
        if is_symbolic(other):
            import sympy

            return sympy.Matrix(self.apply_left(to_object_array(other)).tolist())
        return self.apply_left(other)

    def __rmatmul__(self, other):
        if sp.issparse(other):
            return other @ self.sparse()
        if is_symbolic(other):
            import sympy

            return sympy.Matrix(self.apply_right(to_object_array(other)).tolist())
        return self.apply_right(other)

    @property
    def T(self) -> "MonomialOperator":
        """The transpose: ``A^T e_{perm[j]} = w_j e_j``."""
        w = None if self.weights is None else self.weights[self.inverse_perm]
        return MonomialOperator(self.inverse_perm, w)

    # ------------------------------------------------------------------ spectra
    def _cycle_labels(self) -> np.ndarray:
        n = self.n
        graph = sp.coo_matrix((np.ones(n), (np.arange(n), self.perm)), shape=(n, n))
        return connected_components(graph, directed=True, connection="weak")[1]

    def scalar_power(self):
        """``c`` with ``A^n = c I`` when ``perm`` is a single n-cycle (then ``c = prod(w)``), else None.

        This is what the Krylov reconstruction formulas need: ``Z_f^n = f I``.
        """
        if self.n == 1 or np.all(self._cycle_labels() == 0):
            w = self._w()
            if w.dtype == object:
                import sympy

                return sympy.Mul(*w)
            return w.prod()
        return None

    def eigenvalues(self) -> np.ndarray:
        """All ``n`` eigenvalues (complex), from the cycle structure: no dense eigensolver.

        A cycle of length ``L`` whose weights multiply to ``c`` has eigenvalues the ``L``-th roots
        of ``c``.
        """
        w = self._w()
        w = np.array([complex(v) for v in w]) if w.dtype == object else w.astype(complex)
        labels = self._cycle_labels()
        order = np.argsort(labels, kind="stable")
        starts = np.concatenate([[0], np.flatnonzero(np.diff(labels[order])) + 1])
        lengths = np.diff(np.concatenate([starts, [self.n]]))
        prods = np.multiply.reduceat(w[order], starts)
        # L-th roots of c: |c|^(1/L) exp(i (arg c + 2 pi k) / L), k = 0..L-1
        L = np.repeat(lengths, lengths)
        c = np.repeat(prods, lengths)
        k = np.arange(self.n) - np.repeat(starts, lengths)
        return np.abs(c) ** (1.0 / L) * np.exp(1j * (np.angle(c) + 2 * np.pi * k) / L)

    def __repr__(self) -> str:
        return f"{type(self).__name__}(n={self.n})"


class PermutationOperator(MonomialOperator):
    """The permutation matrix ``P e_j = e_{perm[j]}`` (``P[perm[j], j] = 1``), applied by indexing.

    Parameters
    ----------
    perm : array_like of int, shape (n,)
        A permutation of ``0..n-1``: ``P e_j = e_{perm[j]}``.

    Examples
    --------
    >>> import numpy as np, groupmat as gm
    >>> P = gm.ldr.PermutationOperator([2, 0, 1])
    >>> P.dense().astype(int)
    array([[0, 1, 0],
           [0, 0, 1],
           [1, 0, 0]])
    >>> (P @ np.array([10, 20, 30])).tolist()      # e_0 -> e_2, e_1 -> e_0, e_2 -> e_1
    [20, 30, 10]
    """

    def __init__(self, perm):
        super().__init__(perm, None)

    def __repr__(self) -> str:
        p = self.perm.tolist()
        return f"PermutationOperator({p if len(p) <= 12 else str(p[:12])[:-1] + ', ...]'})"


class DiagonalOperator(MonomialOperator):
    """The diagonal matrix ``diag(d)``, applied by scaling rows or columns.

    Parameters
    ----------
    d : array_like or sympy vector, shape (n,)
        The diagonal entries (numeric and finite, or SymPy); available as ``.diagonal``.

    Examples
    --------
    >>> import numpy as np, groupmat as gm
    >>> D = gm.ldr.DiagonalOperator([1.0, 2.0])
    >>> (D @ np.ones((2, 2))).tolist(), (np.ones((2, 2)) @ D).tolist()
    ([[1.0, 1.0], [2.0, 2.0]], [[1.0, 2.0], [1.0, 2.0]])
    """

    def __init__(self, d):
        d_arr = d if is_symbolic(d) else np.asarray(d)
        n = len(d_arr) if not hasattr(d_arr, "shape") or d_arr.ndim == 1 else -1
        if n < 1:
            shape = np.shape(d_arr) if hasattr(d_arr, "shape") else (len(d_arr),)
            raise ValueError(f"d must be a non-empty 1-D array of diagonal entries, got shape {shape}")
        super().__init__(np.arange(n), d_arr)
        self.diagonal = self.weights

    def eigenvalues(self) -> np.ndarray:
        w = self.weights
        return np.array([complex(v) for v in w]) if w.dtype == object else w.astype(complex)

    def scalar_power(self):
        return self.weights[0] if self.n == 1 else None

    @property
    def T(self) -> "DiagonalOperator":
        return self

    def __repr__(self) -> str:
        return f"DiagonalOperator(n={self.n})"


class ShiftOperator(MonomialOperator):
    """The f-unit-circulant ``Z_f``: ``Z_f e_j = e_{j+1}`` (``j < n-1``), ``Z_f e_{n-1} = f e_0``.

    Made by :func:`shift`. ``Z_0`` is the nilpotent down-shift, ``Z_1`` the cyclic down-shift (the
    left regular action of the generator ``1`` of ``C_n``), ``Z_f^n = f I``.

    Parameters
    ----------
    n : int
        The size, ``>= 1``.
    f : number or SymPy number, default 1
        The corner entry ``Z_f[0, n-1]``; finite.

    Examples
    --------
    >>> import numpy as np, groupmat as gm
    >>> Z = gm.ldr.ShiftOperator(4, 2.0)
    >>> np.array_equal(Z @ np.arange(4.0), [6.0, 0.0, 1.0, 2.0]), Z.scalar_power()
    (True, 2.0)
    """

    def __init__(self, n: int, f=1):
        n = check_positive_int(n, "n")
        if is_symbolic(f):
            import sympy

            w = np.array([sympy.Integer(1)] * n, dtype=object)
        else:
            if isinstance(f, (bool, np.bool_)) or not np.isscalar(f) or not isinstance(f, (int, float, complex, np.number)):
                raise TypeError(f"f must be a number or a SymPy number, got {type(f).__name__} {f!r}")
            if not np.isfinite(f):
                raise ValueError(f"f must be finite, got {f!r}")
            w = np.ones(n, dtype=np.result_type(f, 1.0))
        w[n - 1] = f
        super().__init__(np.roll(np.arange(n), -1) if n > 1 else np.zeros(1, dtype=np.int64), w)
        self.f = f

    def scalar_power(self):
        return self.f

    def __repr__(self) -> str:
        return f"shift({self.n}, f={self.f!r})"


def shift(n: int, f=1) -> ShiftOperator:
    """The f-unit-circulant shift ``Z_f`` of size ``n``, as a structured (monomial) operator.

    Parameters
    ----------
    n : int
        The size.
    f : number or SymPy number, default 1
        The corner entry ``Z_f[0, n-1]``.

    Returns
    -------
    ShiftOperator
        Applied by indexing (``Z @ X``, ``X @ Z``); ``.dense()`` gives the matrix.

    Notes
    -----
    ``Z_f = [[0, f], [I_{n-1}, 0]]``: ones on the subdiagonal and ``f`` in the top right corner.
    ``Z_f^n = f I`` and the eigenvalues of ``Z_f`` are the ``n``-th roots of ``f``. ``Z_1`` is the
    left regular action ``L(1)`` of the generator of ``C_n`` on ``R^{C_n}``, so circulants are exactly
    the matrices that commute with ``Z_1``.

    See Also
    --------
    groupmat.displacement, groupmat.matrices.f_circulant, canonical_operators

    Examples
    --------
    >>> import groupmat as gm
    >>> gm.shift(3, -1).dense()
    array([[ 0.,  0., -1.],
           [ 1.,  0.,  0.],
           [ 0.,  1.,  0.]])
    """
    return ShiftOperator(n, f)
