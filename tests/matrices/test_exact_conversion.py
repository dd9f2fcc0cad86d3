"""Exact or numeric: the one conversion rule behind every matrices entry (SymPy in, SymPy out; numeric
input keeps its dtype; Python numbers become exact SymPy numbers without detours)."""
from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest
import sympy

import groupmat as gm
from groupmat import _exact
from groupmat._exact import to_object_array


def test_to_object_array_integers_skip_nsimplify(monkeypatch):
    calls = []
    original = sympy.nsimplify
    monkeypatch.setattr(sympy, "nsimplify", lambda v, *a, **k: calls.append(v) or original(v, *a, **k))
    out = to_object_array(np.array([[1.0, -2.0], [0.0, 3.0]]))
    assert calls == []
    assert out.tolist() == [[1, -2], [0, 3]] and all(isinstance(v, sympy.Integer) for v in out.flat)
    to_object_array(np.arange(6).reshape(2, 3))
    to_object_array([np.int16(4), True, Fraction(2, 3)])
    assert calls == []
    # a non-integer float stays a float (its exact binary value), never a guess by nsimplify
    half = to_object_array([0.5, 0.5, 0.1])
    assert all(isinstance(v, sympy.Float) for v in half) and calls == []
    assert sympy.Rational(half[0]) == sympy.Rational(1, 2) and sympy.Rational(half[2]) == sympy.Rational(0.1) != sympy.Rational(1, 10)


def test_to_object_array_values_agree_with_nsimplify():
    rng = np.random.default_rng(0)
    values = np.concatenate([rng.integers(-50, 50, 20).astype(float), [0.5, -0.25, 1.5, 2**40]])
    fast = to_object_array(values)
    slow = [sympy.nsimplify(float(v)) for v in values]
    assert all(sympy.simplify(a - b) == 0 for a, b in zip(fast, slow))
    mixed = to_object_array([Fraction(-3, 4), 7, np.uint8(9), sympy.sqrt(2), 1 + 2j])
    assert mixed[0] == sympy.Rational(-3, 4) and mixed[1] == 7 and mixed[2] == 9 and mixed[3] == sympy.sqrt(2)
    assert sympy.simplify(mixed[4] - (1 + 2 * sympy.I)) == 0
    assert to_object_array(np.array([True, False])).tolist() == [1, 0]
    assert to_object_array(np.zeros((0, 3))).shape == (0, 3)
    assert _exact.exact_equal_arrays(to_object_array(np.eye(3)), np.eye(3, dtype=int))


G = gm.dihedral(3)


@pytest.mark.parametrize("fn, name", [(gm.group_diagonals, "M"), (gm.from_group_diagonals, "F")])
def test_group_diagonals_give_the_callers_type_back(fn, name):
    S = sympy.Matrix(6, 6, sympy.symbols("m0:36"))
    out = fn(G, S)
    assert isinstance(out, sympy.MatrixBase) and out.shape == (6, 6)
    # an object array (of Python numbers or SymPy objects) stays an object array, of exact numbers
    obj = np.arange(36, dtype=object).reshape(6, 6)
    out_obj = fn(G, obj)
    assert isinstance(out_obj, np.ndarray) and out_obj.dtype == object
    assert all(isinstance(v, sympy.Integer) for v in out_obj.flat)
    # numeric input keeps its dtype (float32 stays single precision, integers stay integers)
    for dtype in (np.float32, np.float64, np.int64, np.complex64):
        A = np.arange(36).reshape(6, 6).astype(dtype)
        assert fn(G, A).dtype == dtype
    # the three agree entry by entry
    A = np.arange(36).reshape(6, 6)
    assert np.array_equal(np.array(fn(G, sympy.Matrix(A.tolist())).tolist(), dtype=np.int64), fn(G, A))
    assert np.array_equal(fn(G, obj).astype(np.int64), fn(G, A))
    with pytest.raises(TypeError, match=f"{name} must be numeric or SymPy, got dtype <U1"):
        fn(G, np.full((6, 6), "a"))
    with pytest.raises(ValueError, match=f"{name} must be finite"):
        fn(G, np.full((6, 6), np.nan))


def test_x_from_group_matrix_of_an_object_array_is_exact():
    x = [sympy.Rational(k, 3) for k in range(6)]
    M = np.array(gm.group_matrix(G, x).tolist(), dtype=object)
    y = gm.x_from_group_matrix(G, M)
    assert y.dtype == object and list(y) == x
    Mi = np.array(gm.group_matrix(G, list(range(6))).tolist(), dtype=object)        # Python ints, exact
    assert list(gm.x_from_group_matrix(G, Mi)) == list(range(6))
    Mi[0, 1] += 1
    assert not gm.is_group_matrix(G, Mi)                                              # decided exactly


def test_group_matrix_of_exact_values_is_a_sympy_matrix_and_numeric_keeps_dtype():
    assert isinstance(gm.group_matrix(G, [sympy.Rational(1, 2)] * 6), sympy.MatrixBase)
    assert isinstance(gm.group_matrix(G, [Fraction(1, 2)] * 6), sympy.MatrixBase)
    assert gm.group_matrix(G, np.ones(6, dtype=np.float32)).dtype == np.float32
    E = gm.group_matrix(G, sympy.Matrix([1, 2, 3, 4, 5, 6]))          # a SymPy column vector is a function
    assert isinstance(E, sympy.MatrixBase)
    assert np.array_equal(np.array(E.tolist(), dtype=np.int64), gm.group_matrix(G, list(range(1, 7))))
