"""Exact arithmetic helpers (SymPy): one place that decides what counts as exact and as zero.

Exact input is SymPy objects, Python ints and ``fractions.Fraction`` s, or Python/NumPy numbers, never
strings: no value is ever handed to ``sympy.sympify`` as text, so data can never run code. A float
stays a float (the ``sympy.Float`` of its exact binary value, never a guessed ``E``, ``sqrt(2)/2`` or
``3/10``); an integer-valued float is that integer (the same value). ``None``, strings, bytes and other
objects are refused with an error naming the argument.
"""
from __future__ import annotations

import numbers
from decimal import Decimal

import numpy as np

__all__ = ["is_symbolic", "to_object_array", "as_numeric_or_exact", "restore", "working_float", "exact_is_zero",
           "exact_equal_arrays", "to_numeric", "as_vector", "exact_number", "simplify_exact",
           "simplify_exact_array", "cyclotomic_form"]

#: What :func:`to_object_array` accepts, for its messages.
_EXACT_INPUT = ("exact input is SymPy objects, Python ints, Fractions or numbers (a float stays a float), "
                "never strings")


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


def _real_number(v, sympy):
    """A finite real Python/NumPy number as a SymPy number: integers exactly, floats as the
    ``sympy.Float`` of their binary value (integer-valued floats as that integer); None when ``v`` is
    not a real number, ValueError when it is not finite."""
    if isinstance(v, (bool, np.bool_, numbers.Integral, np.integer)):
        return sympy.Integer(int(v))
    if isinstance(v, numbers.Rational):                  # fractions.Fraction and friends
        return sympy.Rational(int(v.numerator), int(v.denominator))
    if isinstance(v, (float, np.floating, Decimal)):
        if not (v.is_finite() if isinstance(v, Decimal) else bool(np.isfinite(v))):
            raise ValueError(f"a non-finite value {v!r}")
        num, den = v.as_integer_ratio()
        if den == 1:
            return sympy.Integer(num)
        if isinstance(v, Decimal):                       # a decimal is exact: keep its value
            return sympy.Rational(num, den)
        if isinstance(v, np.floating) and np.finfo(v.dtype).nmant > 52:     # long double: all its bits
            return sympy.Float(sympy.Rational(num, den), precision=np.finfo(v.dtype).nmant + 1)
        return sympy.Float(float(v))                     # the exact binary value, 53 bits
    return None


def exact_number(v, name: str = "x"):
    """One value as a SymPy number by the rule of :func:`to_object_array` (SymPy objects are kept).

    Raises
    ------
    TypeError
        Strings, bytes, ``None`` or any other object, naming ``name``.
    ValueError
        NaN or infinite numbers.

    Examples
    --------
    >>> from fractions import Fraction
    >>> from groupmat._exact import exact_number
    >>> exact_number(Fraction(2, 3)), exact_number(2.0), exact_number(0.1)
    (2/3, 2, 0.100000000000000)
    >>> exact_number("1/3", "c")
    Traceback (most recent call last):
    ...
    TypeError: c must hold numbers or SymPy expressions, got a str '1/3'; exact input is SymPy objects, Python ints, Fractions or numbers (a float stays a float), never strings
    """
    import sympy

    if isinstance(v, sympy.Basic):
        return v
    if isinstance(v, np.ndarray) and v.ndim == 0:
        v = v[()]
    try:
        out = _real_number(v, sympy)
        if out is None and isinstance(v, (numbers.Complex, np.complexfloating)):
            re, im = _real_number(v.real, sympy), _real_number(v.imag, sympy)
            out = re + sympy.I * im
    except ValueError as err:
        raise ValueError(f"{name} must be finite, got {err.args[0]}") from None
    if out is None:
        shown = repr(v)
        shown = shown if len(shown) <= 60 else shown[:57] + "..."
        if isinstance(v, (list, tuple, np.ndarray)):
            raise ValueError(f"{name} must be a rectangular array of numbers; it holds a nested {type(v).__name__} "
                             f"{shown}")
        what = "None" if v is None else f"a {type(v).__name__} {shown}"
        raise TypeError(f"{name} must hold numbers or SymPy expressions, got {what}; {_EXACT_INPUT}")
    return out


def to_object_array(x, name: str = "x") -> np.ndarray:
    """An object ndarray of SymPy numbers: the one conversion of exact input.

    Exact input is SymPy objects, Python ints/Fractions or numbers, never strings (nothing is ever
    parsed, so data cannot run code). Integers (Python, NumPy, booleans) become ``sympy.Integer``,
    ``fractions.Fraction`` becomes ``sympy.Rational``; a float stays a float: integer-valued floats are
    that integer (the same value), any other float becomes the ``sympy.Float`` of its exact binary
    value (never a guess such as ``E``, ``sqrt(2)/2`` or ``3/10``; pass ``sympy.Rational(3, 10)`` to
    mean 3/10); a complex number becomes ``re + I*im`` by the same rule. SymPy objects are kept.

    Raises
    ------
    TypeError
        An entry that is a string, bytes, ``None`` or another object, naming ``name`` and the entry.
    ValueError
        A NaN or infinite entry, or a ragged array.

    Examples
    --------
    >>> import numpy as np
    >>> from fractions import Fraction
    >>> from groupmat._exact import to_object_array
    >>> to_object_array(np.array([[1.0, 0.5], [2, -3]])).tolist()
    [[1, 0.500000000000000], [2, -3]]
    >>> to_object_array([Fraction(2, 3), 0.25, True]).tolist()
    [2/3, 0.250000000000000, 1]
    >>> to_object_array(np.array(['__import__("os").getpid()'], dtype=object), "x")
    Traceback (most recent call last):
    ...
    TypeError: x must hold numbers or SymPy expressions, got a str '__import__("os").getpid()' at x[0]; exact input is SymPy objects, Python ints, Fractions or numbers (a float stays a float), never strings
    """
    import sympy

    if isinstance(x, sympy.MatrixBase):
        arr = np.empty(x.shape, dtype=object)
        for i in range(x.shape[0]):
            for j in range(x.shape[1]):
                arr[i, j] = x[i, j]
        return arr
    if isinstance(x, (list, tuple)) and x and isinstance(x[0], sympy.MatrixBase):
        return np.stack([to_object_array(m, f"{name}[{i}]") for i, m in enumerate(x)])
    if isinstance(x, np.ndarray) and x.dtype.kind in "biu":
        # fast path: a whole integer array (tolist gives Python ints)
        flat = [sympy.Integer(v) for v in x.ravel().tolist()]
        out = np.empty(len(flat), dtype=object)
        out[:] = flat
        return out.reshape(x.shape)
    if isinstance(x, (str, bytes)):
        raise TypeError(f"{name} must hold numbers or SymPy expressions, got a {type(x).__name__} {x[:60]!r}; "
                        f"{_EXACT_INPUT}")
    try:
        arr = np.array(x, dtype=object)
    except ValueError:
        raise ValueError(f"{name} must be a rectangular array; its entries have different shapes") from None
    flat = arr.reshape(-1)
    seen: dict = {}
    for i, v in enumerate(flat):
        if isinstance(v, sympy.Basic):
            continue
        key = (type(v), v) if isinstance(v, (float, np.floating)) else None
        if key is not None and key in seen:
            flat[i] = seen[key]
            continue
        try:
            out = exact_number(v, name)
        except (TypeError, ValueError) as err:
            where = f"{name}[{', '.join(str(int(j)) for j in np.unravel_index(i, arr.shape))}]" if arr.ndim else name
            message = str(err)
            if where != name:
                message = message.replace("; exact input", f" at {where}; exact input", 1) \
                    if "; exact input" in message else f"{message} (at {where})"
            raise type(err)(message) from None
        if key is not None:
            seen[key] = out
        flat[i] = out
    return arr


def exact_is_zero(expr) -> bool:
    """Decide ``expr == 0`` exactly.

    Algebraic numbers (roots of unity, square roots, rationals) are decided by their minimal
    polynomial; expressions with free symbols by ``expand`` then ``simplify``.
    """
    import sympy

    expr = exact_number(expr, "expr")                   # never parses text
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


def cyclotomic_form(v):
    """``v`` with its roots of unity in a canonical form, or ``v`` unchanged when it has none.

    The roots of unity of ``v`` (``exp(2 pi i t)``, ``(-1)**t`` for rational ``t``, and ``I``) all
    lie in ``Q(zeta)`` with ``zeta = exp(2 pi i / N)``, ``N`` the least common denominator. Written
    as powers of a placeholder ``z`` and reduced modulo the cyclotomic polynomial ``Phi_N(z)`` (the
    minimal polynomial of ``zeta``), ``v`` becomes ``sum_{k < phi(N)} c_k zeta^k``: unique, so a sum
    that vanishes (``1 + w + w^2`` for a cube root of unity ``w``, the 21 terms of a Reynolds sum of
    a 3-dimensional irreducible of ``C7:C3``) becomes 0, and two forms of one number become equal.
    The coefficients ``c_k`` may hold symbols and other constants (square roots stay as they are).
    Expressions with other complex atoms (``exp(I x)``, roots of unity in a denominator) are
    returned unchanged.

    Examples
    --------
    >>> import sympy
    >>> from groupmat._exact import cyclotomic_form
    >>> w = sympy.exp(2 * sympy.pi * sympy.I / 3)
    >>> b = sympy.Symbol("b")
    >>> sympy.expand(b * (1 + w + w**2))              # sympy does not see that this is 0
    b + b*exp(-2*I*pi/3) + b*exp(2*I*pi/3)
    >>> cyclotomic_form(b * (1 + w + w**2))
    0
    >>> cyclotomic_form(w**2) == cyclotomic_form(-1 - w)
    True
    """
    import sympy

    turns = {}
    for e in v.atoms(sympy.exp):
        t = sympy.simplify(e.args[0] / (2 * sympy.pi * sympy.I))
        if not t.is_Rational:
            return v
        turns[e] = t
    for p in v.atoms(sympy.Pow):
        if p.base == -1 and p.exp.is_Rational:
            turns[p] = p.exp / 2
    # I outside the roots above (inside them it is part of their argument)
    if v.xreplace({a: sympy.Dummy() for a in turns}).has(sympy.I):     # (placeholders, so nothing cancels)
        turns[sympy.I] = sympy.Rational(1, 4)
    if not turns:
        return v
    N = int(sympy.ilcm(*[sympy.Rational(t).q for t in turns.values()], 1))
    z = sympy.Dummy("z")
    w = sympy.expand(v.xreplace({a: z ** int((t * N) % N) for a, t in turns.items()}))
    if w.has(sympy.I) or w.atoms(sympy.exp):
        return v
    try:
        poly = sympy.Poly(w, z)
    except sympy.PolynomialError:   # a root of unity in a denominator
        return v
    rem = poly.rem(sympy.Poly(sympy.cyclotomic_poly(N, z), z))
    zeta = [sympy.exp(2 * sympy.pi * sympy.I * sympy.Rational(k, N)) for k in range(max(1, rem.degree() + 1))]
    return sympy.expand(sum((c * zeta[k[0]] for k, c in rem.terms()), sympy.Integer(0)))

def simplify_exact(v):
    """A simpler form of the exact SymPy number ``v`` that is provably equal to it, never a guess.

    Sums of roots of unity are put in their canonical form (:func:`cyclotomic_form`: one that vanishes
    becomes 0). For what remains with radicals, ``sympy.nsimplify``'s closed form is kept only when
    :func:`exact_is_zero` proves it equal: ``nsimplify`` finds closed forms *numerically*, and
    ``nsimplify(1 + Rational(1, 10**20))`` is ``1``, a different number. Rationals are returned as they
    are; a value holding a ``Float`` or a free symbol is not guessed at (a float stays a float).

    Examples
    --------
    >>> import sympy
    >>> from groupmat._exact import simplify_exact
    >>> w = sympy.exp(2 * sympy.pi * sympy.I / 3)
    >>> simplify_exact(w + w**2)
    -1
    >>> simplify_exact(1 + sympy.Rational(1, 10**20))
    100000000000000000001/100000000000000000000
    >>> simplify_exact(sympy.sqrt(2) + sympy.Rational(1, 10**20)) == sympy.sqrt(2)
    False
    """
    import sympy

    v = exact_number(v, "v")
    if v.is_Rational:
        return v
    e = cyclotomic_form(sympy.expand(v))
    if e.is_Rational or e.free_symbols or e.has(sympy.Float):
        return e
    if not any(p.exp.is_Rational and not p.exp.is_Integer and p.base != -1 for p in e.atoms(sympy.Pow)):
        return e                                    # no radicals: the canonical form is as simple as it gets
    guess = sympy.nsimplify(e)
    if guess != e and exact_is_zero(guess - e):
        return guess
    return e


def simplify_exact_array(arr) -> np.ndarray:
    """:func:`simplify_exact` entry by entry of an array (an object array of the same shape)."""
    arr = np.asarray(arr, dtype=object)
    flat = arr.reshape(-1)
    out = np.empty(flat.shape, dtype=object)
    for k, v in enumerate(flat):
        out[k] = simplify_exact(v)
    return out.reshape(arr.shape)


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

    SymPy objects, or object arrays, become an object array of SymPy numbers (``exact=True``) by
    :func:`to_object_array`: exact input is SymPy objects, Python ints/Fractions or numbers, never
    strings (an object array holding a string or ``None`` is refused, naming ``name``; a float stays a
    float). With ``vector=True`` a SymPy column or row matrix is flattened to 1-D. Anything else must be a finite
    numeric array (``exact=False``), cast to a floating dtype when ``to_float``. ``expected``
    describes the wanted shape in the message for ragged input (e.g. ``" of length 6"``).

    Raises
    ------
    TypeError
        A non-numeric dtype (strings, ...), or an object array holding strings, ``None`` or other
        non-numbers, naming ``name``.
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
        arr = to_object_array(x, name)
    else:
        try:
            arr = np.asarray(x)
        except ValueError:
            raise ValueError(f"{name} must be a rectangular array{expected}; its entries have different shapes") from None
        if arr.dtype == object:
            arr = to_object_array(arr, name)
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
