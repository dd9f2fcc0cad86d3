"""The spec-string parser ``groupmat.group``."""
from __future__ import annotations

import pytest

from budget import HANG_GUARD
import groupmat as gm


@pytest.mark.parametrize("spec, order, kind, name", [
    ("C5", 5, gm.groups.CyclicGroup, "C5"),
    ("D6", 12, gm.groups.DihedralGroup, "D6"),
    ("S4", 24, gm.groups.PermutationGroup, "S4"),
    ("A5", 60, gm.groups.PermutationGroup, "A5"),
    ("Q8", 8, gm.groups.DicyclicGroup, "Q8"),
    ("Q16", 16, gm.groups.DicyclicGroup, "Q16"),
    ("Dic3", 12, gm.groups.DicyclicGroup, "Dic3"),
    ("V4", 4, gm.groups.SignGroup, "V4"),
    ("C2^3", 8, gm.groups.SignGroup, "C2^3"),
    ("Sign2", 4, gm.groups.SignGroup, "C2^2"),
    ("C4xC2", 8, gm.groups.DirectProduct, "C4xC2"),
    ("C4*C2", 8, gm.groups.DirectProduct, "C4xC2"),
    (" C4 x C2 ", 8, gm.groups.DirectProduct, "C4xC2"),
    ("D4^2", 64, gm.groups.DirectProduct, "D4xD4"),
    ("C3^1", 3, gm.groups.CyclicGroup, "C3"),
    ("(C2xC3)xS3", 36, gm.groups.DirectProduct, "(C2xC3)xS3"),
    ("(C2xC3)^2", 36, gm.groups.DirectProduct, None),
    ("C2^2xC3", 12, gm.groups.DirectProduct, None),
    ("C1", 1, gm.groups.CyclicGroup, "C1"),
])
def test_spec_forms(spec, order, kind, name):
    G = gm.group(spec)
    assert G.order == order and isinstance(G, kind)
    if name is not None:
        assert G.name == name


def test_spec_builds_the_same_groups_as_the_constructors():
    assert gm.group("D6").is_isomorphic_candidate(gm.dihedral(6))
    assert gm.group("Dic2").is_isomorphic_candidate(gm.quaternion())
    assert gm.group("C2^3").is_isomorphic_candidate(gm.direct_product(*[gm.cyclic(2)] * 3))
    G = gm.group("C4xC2")
    assert [F.name for F in G.factors] == ["C4", "C2"]


@pytest.mark.parametrize("spec, why", [
    ("", "an empty factor"),
    ("Z5", "unknown factor 'Z5'"),
    ("C0", "order parameter 0"),
    ("D0", "order parameter 0"),
    ("Q4", "generalised quaternion groups have order 2\\^m >= 8"),
    ("Q12", "generalised quaternion"),
    ("C2^0", "a power must be at least 1"),
    ("C4x", "an empty factor"),
    ("(C4xC2", "unbalanced parentheses"),
    ("C4xC2)", "unbalanced parentheses"),
    ("c4", "unknown factor"),
    ("C-3", "unknown factor"),
])
def test_spec_errors_list_the_accepted_forms(spec, why):
    with pytest.raises(ValueError, match=why) as info:
        gm.group(spec)
    message = str(info.value)
    assert repr(spec) in message
    assert "Accepted forms:" in message and "Dn (dihedral of order 2n)" in message and "F1xF2x" in message


@pytest.mark.parametrize("spec", [5, None, ["C2"]])
def test_spec_must_be_a_string(spec):
    with pytest.raises(TypeError, match="spec must be a string"):
        gm.group(spec)


def test_spec_builds_huge_symmetric_groups_by_generators():
    import math

    S30 = gm.group("S30")                        # by its generators: nothing is enumerated
    assert S30.order == math.factorial(30) and not S30.indexable
    with pytest.raises(gm.TooLargeError, match="elements of S30"):
        S30.perms


# ------------------------------------------------------------------ bounded input: clear errors, never a hang
@pytest.mark.parametrize("spec, why", [
    ("C2^" + "9" * 5000, "5003 characters, more than the 1000 read"),
    ("(" * 2000 + "C2" + ")" * 2000, "4002 characters, more than the 1000 read"),
    ("(" * 40 + "C2" + ")" * 40, "parentheses nested 40 levels deep, more than the 32 read"),
    ("C3" + "^1" * 40, "nested deeper than 32 levels"),
    ("C2^" + "9" * 20, "a number with 20 digits; at most 19 are read"),
    ("C" + "9" * 30, "a number with 30 digits"),
    ("D4^" + "9" * 19, "a power must be at most 62"),
    ("C2^63", "a power must be at most 62"),
    ("C\u0663", "the character '\u0663' \\(U\\+0663\\) at position 1 is not ASCII"),      # Arabic-Indic three
    ("C\uff13", "the character '\uff13' \\(U\\+FF13\\) at position 1 is not ASCII"),      # full-width three
    ("C\u00b2", "the character '\u00b2' \\(U\\+00B2\\) at position 1 is not ASCII"),      # superscript two
    ("C2^\u00b3", "U\\+00B3"),
    ("D\u0663xC2", "U\\+0663"),
    ("C2\u00a0xC3", "U\\+00A0"),                                                          # no-break space
])
def test_unreadable_specs_are_clear_value_errors_at_once(spec, why):
    import time

    start = time.perf_counter()
    with pytest.raises(ValueError, match=why) as info:
        gm.group(spec)
    assert time.perf_counter() - start < HANG_GUARD   # parsing is bounded
    assert not isinstance(info.value, (OverflowError, RecursionError))
    assert "Accepted forms:" in str(info.value) and len(str(info.value)) < 1000     # the spec is shortened


def test_bounds_leave_every_real_spec_alone():
    assert gm.group("(" * 32 + "C2" + ")" * 32).order == 2
    assert gm.group("C2^62").order == 2**62
    assert gm.group("C" + str(2**62)).order == 2**62                  # 19 digits
    assert gm.group("C2^10xC3").order == 3 * 2**10
    with pytest.raises(ValueError, match="above the largest supported group order"):
        gm.group("D4^30")                                              # read, then refused by its order
    with pytest.raises(gm.TooLargeError, match="the generators of S9999999999999999999"):
        gm.group("S" + "9" * 19)                                       # no n! computed
