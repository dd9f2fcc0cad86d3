"""``groupmat._exact``: the one rule for "exact or numeric" input, the working precision of numeric input,
and giving the caller's type back."""
from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest
import sympy

from groupmat._exact import (as_numeric_or_exact, as_vector, exact_equal_arrays, exact_is_zero, is_symbolic, restore,
                             to_numeric, to_object_array, working_float)


@pytest.mark.parametrize("dtype, working", [
    (np.float32, np.float32), (np.float64, np.float64), (np.float16, np.float32),
    (np.complex64, np.complex64), (np.complex128, np.complex128),
    (np.int8, np.float64), (np.int64, np.float64), (np.uint32, np.float64), (bool, np.float64),
])
def test_working_float_keeps_single_precision(dtype, working):
    assert working_float(dtype) == np.dtype(working)


@pytest.mark.parametrize("x, exact", [
    (sympy.Matrix([[1, 2], [3, 4]]), True), (sympy.Rational(1, 3), True), ([1, sympy.sqrt(2)], True),
    (np.array([Fraction(1, 2), 1], dtype=object), True), (np.array([1, 2], dtype=object), True),
    ([1.5, 2], False), (np.ones(3, dtype=np.float32), False), (np.arange(3), False), (3, False),
])
def test_exact_or_numeric(x, exact):
    arr, got = as_numeric_or_exact(x, "x")
    assert got is exact
    if exact:
        assert arr.dtype == object and all(isinstance(v, sympy.Basic) for v in arr.flat)
    else:
        assert arr.dtype != object


def test_to_float_keeps_the_precision_of_the_data():
    for dtype, working in ((np.float32, np.float32), (np.complex64, np.complex64), (np.int16, np.float64),
                           (np.float64, np.float64), (np.float16, np.float32)):
        arr, exact = as_numeric_or_exact(np.ones(3, dtype=dtype), "x", to_float=True)
        assert not exact and arr.dtype == working
    arr, _ = as_numeric_or_exact([1, 2], "x", to_float=True)
    assert arr.dtype == np.float64
    x = np.ones(2, dtype=np.float32)
    assert as_numeric_or_exact(x, "x", to_float=True)[0] is x                # no copy when nothing changes


def test_exact_values_are_exact():
    arr, exact = as_numeric_or_exact(np.array([0.5, 2.0, Fraction(1, 3)], dtype=object), "x")
    assert exact and arr.tolist() == [sympy.Rational(1, 2), 2, sympy.Rational(1, 3)]
    assert to_object_array(np.array([[1, 2]], dtype=np.int8)).tolist() == [[1, 2]]
    col, exact = as_numeric_or_exact(sympy.Matrix([1, 2, 3]), "x", vector=True)
    assert exact and col.shape == (3,)
    mat, _ = as_numeric_or_exact(sympy.Matrix([1, 2, 3]), "x")
    assert mat.shape == (3, 1)


@pytest.mark.parametrize("x, exc, match", [
    (["a", "b"], TypeError, "M must be numeric or SymPy, got dtype <U1"),
    ([1.0, np.nan], ValueError, "M must be finite"),
    ([1.0, np.inf], ValueError, "M must be finite"),
    ([[1, 2], [3]], ValueError, "M must be a rectangular array of length 2"),
])
def test_bad_input_names_the_argument(x, exc, match):
    with pytest.raises(exc, match=match):
        as_numeric_or_exact(x, "M", expected=" of length 2")


def test_as_vector():
    assert as_vector(sympy.Matrix([[1, 2, 3]]), "c")[0].shape == (3,)
    with pytest.raises(ValueError, match="c must be a non-empty 1-D vector, got shape \\(0,\\)"):
        as_vector([], "c")
    with pytest.raises(ValueError, match="got shape \\(2, 2\\)"):
        as_vector(np.eye(2), "c")


def test_restore_gives_the_callers_type_back():
    M = sympy.Matrix([[1, sympy.Rational(1, 2)], [sympy.sqrt(2), 0]])
    arr, exact = as_numeric_or_exact(M, "M")
    back = restore(arr, M)
    assert isinstance(back, sympy.MutableDenseMatrix) and back == M           # exact round trip
    frozen = sympy.ImmutableMatrix(M)
    assert isinstance(restore(arr * 2, frozen), sympy.ImmutableMatrix)
    assert restore(arr * 2, frozen) == 2 * M
    x = np.eye(2)
    assert restore(x, x) is x and restore(x, [[1, 0], [0, 1]]) is x          # numeric stays numeric
    v = np.array([1, 2], dtype=object)
    assert restore(v, M) is v                                                  # not 2-D: unchanged
    empty = restore(np.zeros((0, 3), dtype=object), M)
    assert isinstance(empty, sympy.MatrixBase) and empty.shape == (0, 3)


def test_to_numeric_is_real_unless_an_imaginary_part_is_more_than_round_off():
    w = sympy.exp(2 * sympy.pi * sympy.I / 7)
    values = [w + sympy.conjugate(w), w ** 3 + w ** 4, sympy.sqrt(3)]          # real algebraic numbers
    out = to_numeric(values)
    assert out.dtype == np.float64
    assert np.allclose(out, [2 * np.cos(2 * np.pi / 7), 2 * np.cos(6 * np.pi / 7), np.sqrt(3)], atol=1e-15)
    z = to_numeric([w])
    assert z.dtype == np.complex128 and abs(z[0] - np.exp(2j * np.pi / 7)) < 1e-15
    assert to_numeric([1, 2], dtype=np.float32).dtype == np.float32
    assert to_numeric([w + sympy.conjugate(w)], dtype=np.float32).dtype == np.float32
    assert to_numeric([w], dtype=np.complex64).dtype == np.complex64
    with pytest.raises(ValueError, match="non-real values"):
        to_numeric([w], dtype=np.float64)


def test_exact_zero_and_equality_decide_exactly():
    w = sympy.exp(2 * sympy.pi * sympy.I / 5)
    assert exact_is_zero(1 + w + w ** 2 + w ** 3 + w ** 4)                     # the 5th roots of unity sum to 0
    assert not exact_is_zero(sympy.Rational(1, 10**30))
    x = sympy.Symbol("x")
    assert exact_is_zero((x + 1) ** 2 - x ** 2 - 2 * x - 1)
    assert exact_equal_arrays([sympy.sqrt(8)], [2 * sympy.sqrt(2)])
    assert not exact_equal_arrays([1, 2], [1, 2, 3])
    assert is_symbolic([[1, sympy.S.Half]]) and not is_symbolic(np.ones(2)) and not is_symbolic("x")
