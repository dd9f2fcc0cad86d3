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
    assert exact and arr.tolist() == [sympy.Float(0.5), 2, sympy.Rational(1, 3)]
    assert isinstance(arr[0], sympy.Float) and isinstance(arr[1], sympy.Integer)
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


# ------------------------------------------------------------------ no code from data, a float stays a float
def test_strings_in_object_arrays_are_refused_never_run():
    import builtins

    payload = "__import__('builtins').setattr(__import__('builtins'), 'groupmat_ran_data', 1)"
    for x in (np.array([payload], dtype=object), np.array([1, payload], dtype=object), [sympy.Integer(1), payload],
              np.array([[1, 2], [3, payload]], dtype=object)):
        with pytest.raises(TypeError,
                           match=r"W must hold numbers or SymPy expressions, got a str .* at W\[.*never strings"):
            as_numeric_or_exact(x, "W")
    with pytest.raises(TypeError, match="x must hold numbers or SymPy expressions, got a str '1/3'"):
        to_object_array(np.array(["1/3"], dtype=object))
    with pytest.raises(TypeError, match="got a bytes"):
        to_object_array(np.array([b"1"], dtype=object))
    with pytest.raises(TypeError, match="expr must hold numbers"):
        exact_is_zero(payload)
    with pytest.raises(TypeError, match="got a str"):
        to_object_array(payload)
    assert not hasattr(builtins, "groupmat_ran_data")


@pytest.mark.parametrize("bad, exc, match", [
    (np.array([1, None], dtype=object), TypeError, r"W must hold numbers or SymPy expressions, got None at W\[1\]"),
    (np.array([object()], dtype=object), TypeError, "got a object"),
    (np.array([1.0, np.nan], dtype=object), ValueError, r"W must be finite, got a non-finite value nan \(at W\[1\]\)"),
    (np.array([np.inf], dtype=object), ValueError, "W must be finite"),
    (np.array([complex(1, np.inf)], dtype=object), ValueError, "W must be finite"),
    (np.array([{"a": 1}], dtype=object), TypeError, "got a dict"),
])
def test_none_and_other_objects_are_refused(bad, exc, match):
    with pytest.raises(exc, match=match):
        as_numeric_or_exact(bad, "W")


def test_a_float_stays_a_float():
    import math

    values = [0.1, 0.3, math.e, math.sqrt(2) / 2, 1 / 3, math.pi, 2.0**-60, 1e300]
    arr = to_object_array(np.array(values, dtype=object))
    for v, got in zip(values, arr):
        assert isinstance(got, (sympy.Float, sympy.Integer))
        # the exact binary value of the float, not a guessed E, sqrt(2)/2, 3/10 or 1/3
        assert sympy.Rational(got) == sympy.Rational(*v.as_integer_ratio())
    assert arr[1] != sympy.Rational(3, 10) and arr[2] != sympy.E and arr[3] != sympy.sqrt(2) / 2
    assert arr[4] != sympy.Rational(1, 3) and not arr[5].free_symbols and arr[5] != sympy.pi
    assert isinstance(arr[7], sympy.Integer) and arr[7] == int(1e300)            # integer-valued: the same integer
    # numpy floats keep their own binary value (float32 0.1 is not float64 0.1)
    single = to_object_array(np.array([np.float32(0.1), np.float16(0.5)], dtype=object))
    assert sympy.Rational(single[0]) == sympy.Rational(*np.float32(0.1).as_integer_ratio())
    assert single[1] == sympy.Float(0.5)
    # a float array (not only an object array) follows the same rule
    assert to_object_array(np.array([0.1, 2.0])).tolist() == [sympy.Float(0.1), 2]


def test_accepted_exact_input():
    from decimal import Decimal

    arr = to_object_array([7, True, np.int16(-4), np.uint64(2**63), np.bool_(False), Fraction(-3, 4), sympy.sqrt(2),
                           sympy.Symbol("t"), Decimal("0.1"), 2**100])
    assert arr.tolist() == [7, 1, -4, 2**63, 0, sympy.Rational(-3, 4), sympy.sqrt(2), sympy.Symbol("t"),
                            sympy.Rational(1, 10), 2**100]
    assert all(isinstance(v, sympy.Basic) for v in arr)
    # a complex number: re + I im, each part by the float rule
    c = to_object_array([1 + 2j, 0.5 - 0.25j, np.complex64(1.5j)])
    assert c[0] == 1 + 2 * sympy.I and c[1] == sympy.Float(0.5) - sympy.Float(0.25) * sympy.I
    assert c[2] == sympy.Float(1.5) * sympy.I
    assert sympy.re(c[1]) == sympy.Float(0.5) and isinstance(sympy.re(c[1]), sympy.Float)
    # an exact zero test of Python numbers and SymPy objects (never text)
    assert exact_is_zero(0.0) and exact_is_zero(sympy.sqrt(2) ** 2 - 2) and not exact_is_zero(np.float64(0.5))


#: Calls that turn text into code or into SymPy expressions; none may appear in groupmat (data is never code:
#: exact input goes through groupmat._exact.exact_number, file text through groupmat._exact_text.parse_exact).
_TEXT_TO_CODE = {"sympify", "parse_expr", "S"}
#: Builtins that run text (only as bare names: ``re.compile`` is fine).
_BUILTINS_TO_CODE = {"eval", "exec", "compile"}


def _text_to_code_calls(source: str, filename: str) -> list[str]:
    import ast

    found = []
    for node in ast.walk(ast.parse(source, filename)):
        if isinstance(node, ast.Call):
            func = node.func
            if isinstance(func, ast.Attribute):
                name, bad = func.attr, func.attr in _TEXT_TO_CODE
            elif isinstance(func, ast.Name):
                name, bad = func.id, func.id in _TEXT_TO_CODE | _BUILTINS_TO_CODE
            else:
                continue
            if bad:
                found.append(f"{filename}:{node.lineno}: {name}(...)")
    return found


def test_no_module_turns_text_into_code():
    from pathlib import Path

    import groupmat

    root = Path(groupmat.__file__).parent
    found = [hit for path in sorted(root.rglob("*.py"))
             for hit in _text_to_code_calls(path.read_text(), str(path.relative_to(root.parent)))]
    assert not found, "calls that may run text as code or sympify data:\n" + "\n".join(found)


def test_the_text_to_code_scan_sees_calls():
    src = "import re, sympy\nsympy.sympify(v)\nfrom sympy import S\nS(x)\neval('1')\nre.compile('a')\n"
    assert [hit.split(": ")[1] for hit in _text_to_code_calls(src, "m.py")] == ["sympify(...)", "S(...)", "eval(...)"]


def test_simplify_exact_keeps_only_proven_closed_forms():
    from groupmat._exact import simplify_exact

    w = sympy.exp(2 * sympy.pi * sympy.I / 3)
    assert simplify_exact(w + w**2) == -1                              # a closed form, proven equal
    assert simplify_exact(2 * sympy.cos(sympy.pi / 5)) == 2 * sympy.cos(sympy.pi / 5) or \
        exact_is_zero(simplify_exact(2 * sympy.cos(sympy.pi / 5)) - 2 * sympy.cos(sympy.pi / 5))
    # numbers a numeric guess would replace by a nearby simpler one are kept exactly
    near = [1 + sympy.Rational(1, 10**20), sympy.sqrt(2) + sympy.Rational(1, 10**20),
            sympy.Rational(10**30 - 1, 3 * 10**30), w + sympy.Rational(1, 10**25)]
    for v in near:
        got = simplify_exact(v)
        assert exact_is_zero(got - v), (v, got)
    assert simplify_exact(sympy.Float(0.3)) == sympy.Float(0.3)         # a float stays a float
    # I beside roots of unity whose coefficients cancel once the roots are set to 1: still reduced
    r = sympy.exp(sympy.I * sympy.pi / 6)
    assert simplify_exact(sympy.I * r - sympy.I / r) == -1
    t = sympy.Symbol("t")
    assert simplify_exact((t + 1) ** 2) == t**2 + 2 * t + 1


def test_exact_paths_never_replace_a_number_by_a_nearby_guess():
    """Exact results are equal to the mathematics, not to a numeric guess of it (sympy.nsimplify turns
    1 + 10**-20 into 1)."""
    import groupmat as gm

    eps = sympy.Rational(1, 10**20)
    # the inverse Fourier transform gives back the exact coefficients
    G = gm.symmetric(3)
    x = np.array([1 + eps, sympy.sqrt(2) + eps, 0, eps, 2, 3], dtype=object)
    assert exact_equal_arrays(gm.inverse_fourier(G, gm.fourier(G, x)), x)
    # an abelian group given by its table only (FFT-ordered irreps): the values come back as integers
    table = gm.groups.TableGroup(gm.direct_product(gm.cyclic(4), gm.cyclic(6)).cayley_table())
    z = np.arange(24) % 5
    back = gm.inverse_fourier(table, gm.fourier(table, z, exact=True))
    assert all(v.is_Integer for v in back) and [int(v) for v in back] == z.tolist()
    # an exact representation of C2 (M^2 = 1) whose entries are near integers: the basis commutes with it
    b = 1 + eps
    M = sympy.Matrix([[1, b], [0, -1]])
    assert M * M == sympy.eye(2)
    rho = gm.from_generators(gm.cyclic(2), [M])
    basis = gm.equivariant_basis(rho, rho)
    assert len(basis) == 2
    for E in basis:
        E = sympy.Matrix(E)
        assert (M * E - E * M).applyfunc(sympy.expand) == sympy.zeros(2, 2)
    # floats among exact values stay floats (their binary value), never a guess such as 3/10 or sqrt(2)/2
    f = np.array([0.3, sympy.Integer(1), 0.7071067811865476], dtype=object)
    back = gm.inverse_fourier(gm.cyclic(3), gm.fourier(gm.cyclic(3), f))
    assert not any(v in (sympy.Rational(3, 10), sympy.sqrt(2) / 2) for v in back)
    assert np.allclose(np.array(back, dtype=complex), [0.3, 1, 0.7071067811865476], rtol=1e-15, atol=0)
    # isotypic projectors of that representation are exact idempotents summing to the identity
    P = gm.reps.isotypic_projectors(rho)
    assert sum((sympy.Matrix(p) for p in P), sympy.zeros(2, 2)) == sympy.eye(2)
    for p in P:
        p = sympy.Matrix(p)
        assert (p * p - p).applyfunc(sympy.expand) == sympy.zeros(2, 2)
        assert (M * p - p * M).applyfunc(sympy.expand) == sympy.zeros(2, 2)


def test_no_module_guesses_closed_forms():
    """sympy.nsimplify is a numeric guess; only groupmat._exact.simplify_exact may call it (and proves it)."""
    import ast
    from pathlib import Path

    import groupmat

    root = Path(groupmat.__file__).parent
    found = [f"{path.relative_to(root)}:{node.lineno}" for path in sorted(root.rglob("*.py"))
             if path.name != "_exact.py"
             for node in ast.walk(ast.parse(path.read_text()))
             if (isinstance(node, ast.Attribute) and node.attr == "nsimplify")
             or (isinstance(node, ast.Name) and node.id == "nsimplify")
             or (isinstance(node, ast.alias) and node.name == "nsimplify")]
    assert not found, "numeric guesses of exact values outside _exact.simplify_exact: " + ", ".join(found)


def test_exact_group_algebra_routes_take_a_floats_binary_value():
    """The group-algebra routes (determinant, inverse, eigenvalues, solve) convert floats exactly, never
    as SymPy's domain conversion would (QQ.from_sympy(Float(0.3)) is 3/10)."""
    import groupmat as gm

    G = gm.cyclic(3)
    x = np.array([0.3, 1, 2], dtype=object)
    exact_x = np.array([sympy.Rational(*(0.3).as_integer_ratio()), 1, 2], dtype=object)
    X = sympy.Matrix(gm.group_matrix(G, exact_x))
    det = gm.reps.group_matrix_det(G, x)
    assert det == X.det() and det != sympy.Rational(7227, 1000)
    inv = np.asarray(gm.invert_group_matrix(G, x), dtype=object)
    assert sympy.Matrix(gm.group_matrix(G, inv)) * X == sympy.eye(3)
    b = np.array([1, 0, 0], dtype=object)
    sol = sympy.Matrix(np.asarray(gm.solve_group_matrix(G, x, b), dtype=object).tolist())
    assert X * sol == sympy.Matrix([1, 0, 0])


def test_from_generators_follows_the_one_exact_rule():
    """An object array of floats is accepted (exact, floats kept), as Representation accepts it; text
    and None are refused naming the image."""
    import groupmat as gm

    swap = np.array([[0, 1.0], [1.0, 0]], dtype=object)
    rho = gm.from_generators(gm.cyclic(2), [swap])
    assert rho.exact and rho.character().tolist() == [2, 0]
    with pytest.raises(TypeError, match=r"images\[0\]"):
        gm.from_generators(gm.cyclic(2), [np.array([["0", "1"], ["1", "0"]])])
    with pytest.raises(TypeError, match=r"images\[0\].*None"):
        gm.from_generators(gm.cyclic(2), [np.array([[0, None], [1, 0]], dtype=object)])
