"""Exact values as text: the writer round-trips every kind of value groupmat produces, and the
restricted parser refuses code, oversized numbers and runaway powers at once."""
import time

import pytest
import sympy
from hypothesis import given, settings
from hypothesis import strategies as st

from groupmat._exact_text import MAX_DEPTH, MAX_DIGITS, exact_to_text, parse_exact
from budget import HANG_GUARD

I, pi = sympy.I, sympy.pi

VALUES = [
    sympy.Integer(0), sympy.Integer(-7), sympy.Integer(10) ** 60, sympy.Rational(-3, 7), sympy.sqrt(3) / 2,
    (1 + sympy.sqrt(5)) / 2, sympy.root(2, 3), sympy.cos(2 * pi / 7), sympy.sin(pi / 5),
    sympy.exp(2 * pi * I / 5), sympy.exp(-2 * pi * I / 12), -sympy.sqrt(2) * I / 3, sympy.Float("0.1"),
    sympy.Float("-2.5e-30"), sympy.Symbol("x_e"), sympy.Symbol("x_{s r^2}") ** 2 + 3 * sympy.Symbol("x_r"),
    sympy.Symbol("a", real=True) * 2, sympy.Symbol("y") ** -2, sympy.E ** (I * pi / 3), 2 ** sympy.Rational(1, 2) * I,
]


@pytest.mark.parametrize("value", VALUES, ids=str)
def test_every_value_kind_round_trips(value):
    text = exact_to_text(value)
    assert parse_exact(text) == value


@given(st.integers(-10**12, 10**12), st.integers(1, 10**6), st.integers(1, 40))
@settings(max_examples=60, deadline=None)
def test_random_algebraic_numbers_round_trip(p, q, n):
    value = sympy.Rational(p, q) + sympy.sqrt(n) * sympy.exp(2 * pi * I / (n + 2))
    assert parse_exact(exact_to_text(value)) == value


@pytest.mark.parametrize("text, reason", [
    ("__import__('os').getpid()", "unexpected character"),
    ("getattr(x, 'y')", "not a known function"),
    ("x.y", "unexpected character '.'"),
    ("lambda: 1", "unexpected character ':'"),
    ("Symbol('a', evaluate=eval)", "keyword evaluate="),
    ("exec('1')", "not a known function"),
    ("2**2**40", "exponent"),
    ("10**10**10", "exponent"),
    ("Pow(10, Pow(10, 10))", "exponent"),
    ("(2**9999)**9999", "digits"),
    ("9" * (MAX_DIGITS + 1), "digits"),
    ("(" * 2000 + "1" + ")" * 2000, "nested deeper"),
    ("-" * 5000 + "1", "nested deeper"),
    ("1/0", "division by zero"),
    ("Rational(1, 0)", "division by zero"),
    ("exp(100000)", "too large"),
    ("sqrt(2, 3)", "arguments"),
    ("", "empty"),
    ("1 +", "expected"),
    ("None", "not a number"),
    ("1e999999", "decimal exponent"),
    ("1e99999999999", "decimal exponent"),
    ("Float('1e999999')", "decimal exponent"),
    ("*".join(["2**10000"] * 4000), "product"),
    ("Mul(" + ", ".join(["2**10000"] * 5) + ")", "product"),
    ("(2**3000*3**3000)**2", "digits"),
    ("+".join(f"1/{p}" for p in [2**4000 + 1, 2**4000 + 3, 2**4000 + 7, 2**4000 + 9]), "common denominator"),
    ("\u0663", "unexpected character"),                  # an Arabic-Indic digit three
    ("1\uff10", "unexpected character"),                 # a full-width zero
])
def test_refused_texts_say_why_at_once(text, reason):
    t0 = time.perf_counter()
    with pytest.raises(ValueError, match=reason):
        parse_exact(text)
    assert time.perf_counter() - t0 < HANG_GUARD   # refused, not computed


def test_nesting_up_to_the_bound_is_read():
    depth = MAX_DEPTH - 2
    assert parse_exact("(" * depth + "3" + ")" * depth) == 3


def test_non_text_is_a_type_error():
    with pytest.raises(TypeError, match="must be text"):
        parse_exact(3)


def test_a_value_outside_the_grammar_is_refused_when_written():
    with pytest.raises(ValueError, match="cannot write"):
        exact_to_text(sympy.gamma(sympy.Symbol("z")))


@given(st.text(max_size=60))
@settings(max_examples=300, deadline=None)
def test_arbitrary_text_is_read_or_refused_quickly(text):
    t0 = time.perf_counter()
    try:
        value = parse_exact(text)
    except ValueError:
        pass
    else:
        assert isinstance(value, sympy.Basic)
    assert time.perf_counter() - t0 < HANG_GUARD
