"""Exact arithmetic helpers (SymPy): one place that decides what counts as exact and as zero."""
from __future__ import annotations

from fractions import Fraction

import numpy as np

__all__ = ["is_symbolic", "to_object_array", "as_numeric_or_exact", "restore", "working_float", "exact_is_zero",
           "exact_equal_arrays", "to_numeric", "as_vector"]


def is_symbolic(x) -> bool:
    """True for SymPy objects, or array-likes holding at least one SymPy object."""
    import sympy

    if isinstance(x, (sympy.Basic, sympy.MatrixBase)):
        return True
    if isinstance(x, np.ndarray):
        return x.dtype == object and any(isinstance(v, sympy.Basic) for v in x.flat)
    if isinstance(x, (list, tuple)):
        return any(is_symbolic(v) for v in x)
    return False


def to_object_array(x) -> np.ndarray:
    """An object ndarray of SymPy expressions (Python numbers become exact SymPy numbers).

    Integers (Python, NumPy, booleans) and integer-valued floats become ``sympy.Integer`` directly,
    ``fractions.Fraction`` becomes ``sympy.Rational``; other floats go through ``sympy.nsimplify``
    (once per distinct value), everything else through ``sympy.sympify``. SymPy objects are kept.

    Examples
    --------
    >>> import numpy as np
    >>> from fractions import Fraction
    >>> from groupmat._exact import to_object_array
    >>> to_object_array(np.array([[1.0, 0.5], [2, -3]])).tolist()
    [[1, 1/2], [2, -3]]
    >>> to_object_array([Fraction(2, 3), 0.25, True]).tolist()
    [2/3, 1/4, 1]
    """
    import sympy

    if isinstance(x, sympy.MatrixBase):
        arr = np.empty(x.shape, dtype=object)
        for i in range(x.shape[0]):
            for j in range(x.shape[1]):
                arr[i, j] = x[i, j]
        return arr
    if isinstance(x, (list, tuple)) and x and isinstance(x[0], sympy.MatrixBase):
        return np.stack([to_object_array(m) for m in x])
    if isinstance(x, np.ndarray) and x.dtype.kind in "biu":
        # fast path: a whole integer array (tolist gives Python ints)
        flat = [sympy.Integer(v) for v in x.ravel().tolist()]
        out = np.empty(len(flat), dtype=object)
        out[:] = flat
        return out.reshape(x.shape)
    arr = np.array(x, dtype=object)
    flat = arr.reshape(-1)
    floats: dict = {}
    for i, v in enumerate(flat):
        if isinstance(v, sympy.Basic):
            continue
        if isinstance(v, (bool, np.bool_, int, np.integer)):
            flat[i] = sympy.Integer(int(v))
        elif isinstance(v, Fraction):
            flat[i] = sympy.Rational(v.numerator, v.denominator)
        elif isinstance(v, float):
            if v.is_integer():
                flat[i] = sympy.Integer(int(v))
            else:
                if v not in floats:
                    floats[v] = sympy.nsimplify(v)
                flat[i] = floats[v]
        else:
            flat[i] = sympy.sympify(v)
    return arr


def exact_is_zero(expr) -> bool:
    """Decide ``expr == 0`` exactly.

    Algebraic numbers (roots of unity, square roots, rationals) are decided by their minimal
    polynomial; expressions with free symbols by ``expand`` then ``simplify``.
    """
    import sympy

    expr = sympy.sympify(expr)
    if expr == 0:
        return True
    if expr.free_symbols:
        e = sympy.expand(expr)
        return e == 0 or sympy.simplify(e) == 0
    value = complex(sympy.N(expr, 30))
    if abs(value) > 1e-20:
        return False
    try:
        t = sympy.Symbol("t")
        return sympy.minimal_polynomial(expr, t) == t
    except (NotImplementedError, ValueError):  # pragma: no cover - non-algebraic constant
        return sympy.simplify(expr) == 0


def exact_equal_arrays(a, b) -> bool:
    """Exact equality of two arrays of SymPy expressions of the same shape."""
    a, b = np.asarray(a, dtype=object), np.asarray(b, dtype=object)
    if a.shape != b.shape:
        return False
    return all(exact_is_zero(x - y) for x, y in zip(a.flat, b.flat))


def to_numeric(x, dtype=None) -> np.ndarray:
    """Evaluate an array of SymPy numbers to float64, or to complex128 when an imaginary part is
    more than round-off (:func:`groupmat.tolerances.imaginary_tol`, relative to the real part, at
    least 1); to ``dtype`` when given (a real ``dtype`` refuses non-real values with a ValueError).

    Examples
    --------
    >>> import sympy
    >>> from groupmat._exact import to_numeric
    >>> to_numeric([sympy.sqrt(2), sympy.exp(2 * sympy.pi * sympy.I / 3) + sympy.exp(-2 * sympy.pi * sympy.I / 3)])
    array([ 1.41421356, -1.        ])
    >>> to_numeric([sympy.I])
    array([0.+1.j])
    """
    from .tolerances import imaginary_tol

    arr = np.asarray(x, dtype=object)
    values = np.array([complex(v) for v in arr.flat], dtype=complex).reshape(arr.shape)
    real = np.all(np.abs(values.imag) <= imaginary_tol(np.float64) * np.maximum(1.0, np.abs(values.real)))
    if dtype is not None:
        if np.dtype(dtype).kind == "c":
            return values.astype(dtype)
        if not real:
            raise ValueError(f"x has non-real values, which a real dtype {np.dtype(dtype)} cannot hold")
        return values.real.astype(dtype)
    return values.real.copy() if real else values


def as_numeric_or_exact(x, name: str, *, to_float: bool = False, vector: bool = False, expected: str = ""):
    """``(array, exact)``: the one rule that tells exact input from numeric input.

    SymPy objects, or object arrays, become an object array of SymPy numbers (``exact=True``); with
    ``vector=True`` a SymPy column or row matrix is flattened to 1-D. Anything else must be a finite
    numeric array (``exact=False``), cast to a floating dtype when ``to_float``. ``expected``
    describes the wanted shape in the message for ragged input (e.g. ``" of length 6"``).

    Raises
    ------
    TypeError
        A non-numeric dtype (strings, ...), naming ``name``.
    ValueError
        Ragged input, or NaN/infinite entries, naming ``name``.

    Examples
    --------
    >>> from groupmat._exact import as_numeric_or_exact
    >>> import sympy
    >>> as_numeric_or_exact([1, 2], "x", to_float=True)
    (array([1., 2.]), False)
    >>> as_numeric_or_exact(sympy.Matrix([1, sympy.Rational(1, 2)]), "x", vector=True)
    (array([1, 1/2], dtype=object), True)
    """
    from ._validation import check_finite

    if is_symbolic(x):
        arr = to_object_array(x)
    else:
        try:
            arr = np.asarray(x)
        except ValueError:
            raise ValueError(f"{name} must be a rectangular array{expected}; its entries have different shapes") from None
        if arr.dtype == object:
            arr = to_object_array(arr)
        else:
            if arr.dtype.kind not in "biufc":
                raise TypeError(f"{name} must be numeric or SymPy, got dtype {arr.dtype}")
            check_finite(arr, name)
            if to_float:
                arr = arr.astype(working_float(arr.dtype), copy=False)
            return arr, False
    if vector and arr.ndim == 2 and 1 in arr.shape:  # a sympy column or row vector
        arr = arr.reshape(-1)
    return arr, True


def as_vector(v, name: str):
    """``(array, exact)`` for a non-empty 1-D numeric or SymPy vector (:func:`as_numeric_or_exact`,
    with a SymPy row or column matrix flattened).

    Examples
    --------
    >>> from groupmat._exact import as_vector
    >>> as_vector([1, 2], "c")
    (array([1, 2]), False)
    >>> as_vector([[1, 2]], "c")
    Traceback (most recent call last):
    ...
    ValueError: c must be a non-empty 1-D vector, got shape (1, 2)
    """
    arr, exact = as_numeric_or_exact(v, name, vector=True)
    if arr.ndim != 1 or arr.size == 0:
        raise ValueError(f"{name} must be a non-empty 1-D vector, got shape {arr.shape}")
    return arr, exact


def working_float(dtype) -> np.dtype:
    """The floating dtype numeric input of ``dtype`` is computed in: float32/float64 and
    complex64/complex128 keep their precision, float16 becomes float32, integers and booleans
    become float64.

    Examples
    --------
    >>> import numpy as np
    >>> from groupmat._exact import working_float
    >>> working_float(np.float32), working_float(np.int64), working_float(np.complex64), working_float(np.float16)
    (dtype('float32'), dtype('float64'), dtype('complex64'), dtype('float32'))
    """
    dt = np.dtype(dtype)
    if dt.kind in "fc":
        return np.result_type(dt, np.float32)
    return np.dtype(np.float64)


def restore(result, original):
    """``result`` in the caller's type: a SymPy matrix when ``original`` was one (and ``result`` is
    2-D), of the same kind (an ``ImmutableMatrix`` stays immutable, any other SymPy matrix gives a
    ``sympy.Matrix``), else ``result`` unchanged. The counterpart of :func:`as_numeric_or_exact`.

    Examples
    --------
    >>> import numpy as np, sympy
    >>> from groupmat._exact import restore
    >>> restore(np.array([[1, 2]], dtype=object), sympy.Matrix([[0, 0]]))
    Matrix([[1, 2]])
    >>> type(restore(np.eye(2, dtype=int), sympy.ImmutableMatrix.eye(2))).__name__
    'ImmutableDenseMatrix'
    >>> restore(np.eye(2), np.zeros((2, 2))).shape
    (2, 2)
    """
    import sys

    sympy = sys.modules.get("sympy")
    if sympy is not None and isinstance(original, sympy.MatrixBase) and getattr(result, "ndim", 0) == 2:
        rows = np.asarray(result).tolist()
        if not rows or not rows[0]:                   # 0 x k or k x 0: keep the shape
            return sympy.zeros(*np.shape(result))
        if isinstance(original, sympy.ImmutableMatrix):
            return sympy.ImmutableMatrix(rows)
        return sympy.Matrix(rows)
    return result
