"""Exact arithmetic helpers (SymPy): one place that decides what counts as exact and as zero."""
from __future__ import annotations

import numpy as np

__all__ = ["is_symbolic", "to_object_array", "exact_is_zero", "exact_equal_arrays", "to_numeric"]


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
    """An object ndarray of SymPy expressions (Python numbers become exact SymPy numbers)."""
    import sympy

    if isinstance(x, sympy.MatrixBase):
        arr = np.empty(x.shape, dtype=object)
        for i in range(x.shape[0]):
            for j in range(x.shape[1]):
                arr[i, j] = x[i, j]
        return arr
    if isinstance(x, (list, tuple)) and x and isinstance(x[0], sympy.MatrixBase):
        return np.stack([to_object_array(m) for m in x])
    arr = np.array(x, dtype=object)
    flat = arr.reshape(-1)
    for i, v in enumerate(flat):
        if not isinstance(v, sympy.Basic):
            flat[i] = sympy.nsimplify(v) if isinstance(v, float) else sympy.sympify(v)
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
    """Evaluate an array of SymPy numbers to float (or complex where any value is not real)."""
    arr = np.asarray(x, dtype=object)
    values = np.array([complex(v) for v in arr.flat], dtype=complex).reshape(arr.shape)
    if dtype is not None:
        return values.astype(dtype)
    if np.all(np.abs(values.imag) <= 1e-13 * np.maximum(1.0, np.abs(values.real))):
        return values.real.copy()
    return values
