"""Regression tests for reviewed defects: distinct group symbols, clear errors for malformed input,
the tolerance check, and the fast exact conversion."""
from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest
import sympy

import groupmat as gm
from groupmat import _exact
from groupmat._exact import to_object_array


def _three_cycle(points, d=13):
    p = np.arange(d)
    a, b, c = points
    p[a], p[b], p[c] = b, c, a
    return p


def test_group_symbols_are_distinct_when_dropping_spaces_would_merge_labels():
    G = gm.from_permutations([_three_cycle((0, 1, 12)), _three_cycle((0, 11, 2))])
    assert G.order == 60
    symbols = gm.group_symbols(G)
    assert len(set(symbols)) == 60
    M = gm.group_matrix(G)                    # the symbolic group matrix has one symbol per element
    position = {s: i for i, s in enumerate(symbols)}
    K = np.array([position[v] for v in M]).reshape(60, 60)
    assert np.array_equal(K, gm.group_matrix_indices(G))


def test_group_symbols_keep_the_short_names_when_they_are_distinct():
    assert [str(s) for s in gm.group_symbols(gm.dihedral(3))] == ["x_e", "x_r", "x_{r^2}", "x_s", "x_{sr}",
                                                                  "x_{sr^2}"]


def test_group_symbols_fall_back_to_indices():
    G = gm.from_cayley_table([[0, 1], [1, 0]], labels=["a b", "ab"])
    # "a b" -> "ab" collides; with a comma separator "a,b" and "ab" differ
    assert [str(s) for s in gm.group_symbols(G)] == ["x_{a,b}", "x_{ab}"]
    H = gm.from_cayley_table([[0, 1, 2], [1, 2, 0], [2, 0, 1]], labels=["a,b", "a b", "ab"])
    assert [str(s) for s in gm.group_symbols(H)] == ["x_{0}", "x_{1}", "x_{2}"]
    with pytest.raises(TypeError, match="prefix must be a string"):
        gm.group_symbols(G, prefix=3)


def test_ragged_x_is_a_clear_value_error():
    G = gm.cyclic(3)
    with pytest.raises(ValueError, match="x must be a rectangular array of length \\|G\\| = 3"):
        gm.group_matrix(G, [1, 2, [3]])


@pytest.mark.parametrize("tol, exc, match", [
    ("a", TypeError, "tol must be a finite number >= 0, got str 'a'"),
    (-1, ValueError, "tol must be a finite number >= 0, got -1"),
    (float("nan"), ValueError, "tol must be a finite number >= 0"),
    (True, TypeError, "tol must be a finite number"),
])
def test_bad_tolerance(tol, exc, match):
    from groupmat._validation import check_tolerance

    D3 = gm.dihedral(3)
    with pytest.raises(exc, match=match):
        gm.is_group_matrix(D3, np.eye(6), tol=tol)
    with pytest.raises(exc, match=match):
        gm.x_from_group_matrix(D3, np.eye(6), tol=tol)
    with pytest.raises(exc, match=match):
        check_tolerance(tol, "tol")


def test_tolerance_is_used():
    from groupmat._validation import check_tolerance

    D3 = gm.dihedral(3)
    M = gm.group_matrix(D3, np.arange(6.0))
    M[0, 0] += 1e-6
    assert not gm.is_group_matrix(D3, M)
    assert gm.is_group_matrix(D3, M, tol=1e-5)
    assert check_tolerance(0) == 0.0


# ------------------------------------------------------------------ exact conversion
def test_to_object_array_integers_skip_nsimplify(monkeypatch):
    calls = []
    original = sympy.nsimplify
    monkeypatch.setattr(sympy, "nsimplify", lambda v, *a, **k: calls.append(v) or original(v, *a, **k))
    out = to_object_array(np.array([[1.0, -2.0], [0.0, 3.0]]))
    assert calls == []
    assert out.tolist() == [[1, -2], [0, 3]] and all(type(v) in (sympy.Integer, sympy.core.numbers.One,
                                                                   sympy.core.numbers.Zero,
                                                                   sympy.core.numbers.NegativeOne)
                                                      or isinstance(v, sympy.Integer) for v in out.flat)
    to_object_array(np.arange(6).reshape(2, 3))
    to_object_array([np.int16(4), True, Fraction(2, 3)])
    assert calls == []
    # non-integer floats keep the nsimplify semantics, once per distinct value
    half = to_object_array([0.5, 0.5, 0.5])
    assert half.tolist() == [sympy.Rational(1, 2)] * 3 and calls == [0.5]


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
