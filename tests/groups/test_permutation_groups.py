"""Permutation groups: symmetric, alternating, closures of generators, conventions, labels."""
from __future__ import annotations

import itertools
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import groupmat as gm


@pytest.mark.parametrize("n", range(1, 7))
def test_symmetric_is_lexicographic(n):
    S = gm.symmetric(n)
    assert S.order == math.factorial(n)
    assert S.perms.tolist() == [list(p) for p in itertools.permutations(range(n))]
    assert S.identity == 0 and S.label(0) == "()"
    assert np.array_equal(S.closure(list(S.generators)), S.elements())


@pytest.mark.parametrize("n", range(1, 7))
def test_alternating_is_the_even_permutations(n):
    A = gm.alternating(n)
    S = gm.symmetric(n)
    sign = np.array([np.linalg.det(np.eye(n)[list(p)]) for p in S.perms]).round().astype(int)
    assert A.perms.tolist() == S.perms[sign == 1].tolist()
    assert A.order == max(1, math.factorial(n) // 2)
    assert np.array_equal(A.closure(list(A.generators)), A.elements())


def test_product_applies_the_left_factor_first():
    S = gm.symmetric(3)
    a, b = S.element("(0 1)"), S.element("(1 2)")
    ab = S.mul(a, b)
    # perm(g h) = perm(h)[perm(g)]: first (0 1), then (1 2): 0 -> 1 -> 2, 1 -> 0, 2 -> 1
    assert S.perms[ab].tolist() == [2, 0, 1]
    assert np.array_equal(S.perms[ab], S.perms[b][S.perms[a]])
    assert S.label(ab) == "(0 2 1)"
    e = S.elements()
    prod = S.mul(e[:, None], e[None, :])
    assert np.array_equal(S.perms[prod], np.take_along_axis(S.perms[None, :, :].repeat(6, 0),
                                                            S.perms[:, None, :].repeat(6, 1).astype(np.intp), -1))


@given(st.integers(2, 6), st.lists(st.integers(0, 2**32 - 1), min_size=1, max_size=3))
@settings(max_examples=20)
def test_from_permutations_is_the_closure(d, seeds):
    gens = [np.random.default_rng(s).permutation(d) for s in seeds]
    G = gm.from_permutations(gens)
    # closure by brute force on tuples
    seen = {tuple(range(d))}
    frontier = list(seen)
    while frontier:
        new = []
        for p in frontier:
            for g in gens:
                q = tuple(int(g[i]) for i in p)      # p then g
                if q not in seen:
                    seen.add(q)
                    new.append(q)
        frontier = new
    assert sorted(seen) == [tuple(p) for p in G.perms.tolist()]
    for g, idx in zip(gens, G.generators):
        assert G.perms[idx].tolist() == g.tolist()
    S = gm.symmetric(d)
    assert G.order <= S.order and S.order % G.order == 0


def test_from_permutations_inputs():
    from sympy.combinatorics import Permutation

    G = gm.from_permutations([Permutation([1, 2, 0]), [1, 0]])   # shorter generator extended by fixed points
    assert G.degree == 3 and G.order == 6
    H = gm.from_permutations([[1, 0]], degree=4, name="swap")
    assert H.degree == 4 and H.order == 2 and H.name == "swap"
    assert H.element("(0 1)") == 1 and H.element([1, 0, 2, 3]) == 1 and H.element("()") == 0
    assert H.permutation(1).tolist() == [1, 0, 2, 3]
    assert H.index_of([[0, 1, 2, 3], [1, 0, 2, 3]]).tolist() == [0, 1]
    with pytest.raises(ValueError, match="not an element of this group"):
        H.index_of([0, 1, 3, 2])
    with pytest.raises(ValueError, match="last axis of length 4"):
        H.index_of([0, 1])


@pytest.mark.parametrize("gens, exc, match", [
    ([], ValueError, "at least one permutation"),
    ([[0, 0, 1]], ValueError, "generators\\[0\\] is not a permutation of 0..2"),
    ([[1, 2, 0], [0, 2]], ValueError, "generators\\[1\\] is not a permutation"),
    ([[1.0, 0.0]], TypeError, "generators\\[0\\] must be a 1-d integer image array"),
    ([[[1, 0]]], TypeError, "generators\\[0\\] must be a 1-d"),
])
def test_from_permutations_refusals(gens, exc, match):
    with pytest.raises(exc, match=match):
        gm.from_permutations(gens)


def test_from_permutations_degree_and_max_order():
    with pytest.raises(ValueError, match="more than degree=2"):
        gm.from_permutations([[1, 2, 0]], degree=2)
    with pytest.raises(ValueError, match="degree must be an integer >= 1"):
        gm.from_permutations([[0]], degree=0)
    with pytest.raises(ValueError, match="more than 100 elements"):
        gm.from_permutations([np.roll(np.arange(6), 1), [1, 0, 2, 3, 4, 5]], max_order=100)


def test_large_degree_uses_byte_keys():
    """Degree 20 (keys do not fit in int64): the dihedral group of the 20-gon as permutations."""
    d = 20
    r, s = np.roll(np.arange(d), -1), (-np.arange(d)) % d
    G = gm.from_permutations([r, s])
    assert G.order == 2 * d
    assert G.is_isomorphic_candidate(gm.dihedral(d))
    e = G.elements()
    T = G.cayley_table()
    assert np.array_equal(G.perms[T], np.take_along_axis(G.perms[None, :, :].repeat(2 * d, 0),
                                                         G.perms[:, None, :].repeat(2 * d, 1).astype(np.intp), -1))
    assert np.all(G.mul(e, G.inv(e)) == 0)


def test_cycle_notation_and_labels():
    assert gm.groups.cycle_notation([0, 1, 2]) == "()"
    assert gm.groups.cycle_notation([1, 0, 3, 2]) == "(0 1)(2 3)"
    assert gm.groups.cycle_notation([2, 0, 1]) == "(0 2 1)"
    S = gm.symmetric(4)
    assert S.element("(0 1)(2 3)") == S.element("(2 3)(0 1)")
    assert S.element("(0, 1, 2)") == S.element("(0 1 2)")
    with pytest.raises(ValueError, match="names no element"):
        S.element("(0 4)")
    A = gm.alternating(4)
    with pytest.raises(ValueError, match="names no element"):
        A.element("(0 1)")                                        # odd: not in A4


@pytest.mark.parametrize("p, exc, match", [
    ([1, 1, 0], ValueError, "p must be a permutation of 0..2 \\(each image exactly once\\), but 1 is the image of both "
                            "0 and 1"),
    ([0, 3], ValueError, "p must be a permutation of 0..1, but p\\[1\\] = 3 is out of range"),
    ([-1, 0], ValueError, "p\\[0\\] = -1 is out of range"),
    ([[0, 1], [1, 0]], ValueError, "p must be a 1-D image array .* got shape \\(2, 2\\)"),
    (5, ValueError, "p must be a 1-D image array .* got shape \\(\\)"),
    ([0, [1]], ValueError, "p must be a 1-D image array"),
    ([0.0, 1.0], TypeError, "p must be an integer image array .* got dtype float64"),
    ([True, False], TypeError, "got dtype bool"),
    (["0", "1"], TypeError, "got dtype <U1"),
    ("10", TypeError, "got dtype <U2"),
    ([2**70, 0], ValueError, "too large"),
])
def test_cycle_notation_refuses_non_permutations(p, exc, match):
    with pytest.raises(exc, match=match):
        gm.groups.cycle_notation(p)


def test_cycle_notation_accepts_every_kind_of_permutation():
    from sympy.combinatorics import Permutation

    assert gm.groups.cycle_notation([]) == "()" and gm.groups.cycle_notation([0]) == "()"
    assert gm.groups.cycle_notation(np.array([2, 0, 1], dtype=np.uint8)) == "(0 2 1)"
    assert gm.groups.cycle_notation(np.array([1, 0], dtype=object)) == "(0 1)"
    assert gm.groups.cycle_notation(Permutation([2, 0, 1])) == "(0 2 1)"
    S = gm.symmetric(5)
    assert [gm.groups.cycle_notation(p) for p in S.perms] == S.labels


def test_permutation_group_table_matches_mul():
    S = gm.symmetric(5)
    T = S.cayley_table()                                          # built from generators
    e = S.elements()
    rng = np.random.default_rng(0)
    a, b = rng.integers(0, 120, 500), rng.integers(0, 120, 500)
    assert np.array_equal(T[a, b], S.mul(a, b))
    assert np.array_equal(T, S.mul(e[:, None], e[None, :]))


def test_symmetric_of_any_degree_enumerates_only_on_request():
    S25 = gm.symmetric(25)
    with pytest.raises(gm.TooLargeError, match="the elements of S25 .* would take"):
        S25.perms
    with pytest.raises(gm.TooLargeError, match="the generators of S1000000000"):
        gm.symmetric(10**9)


def test_from_permutations_needs_a_sequence():
    with pytest.raises(TypeError, match="generators must be a sequence of permutations.*got int"):
        gm.from_permutations(5)
    with pytest.raises(TypeError, match="generators\\[0\\] must be a 1-d integer image array"):
        gm.from_permutations([[0, [1]]])


def test_copy_with_keeps_the_elements_and_proves_new_generators():
    """copy_with renames or regenerates a group without listing it: the same elements and indices (checked
    by products of image arrays), the new generators' image arrays as generator_permutations; indices that
    generate a proper subgroup (checked against SymPy's order of the subgroup they generate) are refused."""
    from sympy.combinatorics import Permutation, PermutationGroup as SymPyGroup

    S = gm.symmetric(13)
    t, c = [1, 0] + list(range(2, 13)), list(range(1, 13)) + [0]
    T = S.copy_with(name="Sym(13)", generators=S.index_of([c, t]))
    assert (T.name, T.order, T.kind, T.structure) == ("Sym(13)", S.order, "symmetric", S.structure)
    assert np.array_equal(T.generator_permutations, [c, t])
    x, y = S.random_element(seed=5, size=2)
    assert T.mul(T.index_of(x), T.index_of(y)) == S.index_of(y[x])
    three = [1, 2, 0] + list(range(3, 13))
    sub = SymPyGroup([Permutation(c), Permutation(three)]).order()        # 13!/2: both are even
    with pytest.raises(ValueError, match=f"generate a subgroup of order {sub} of S13"):
        S.copy_with(generators=S.index_of([c, three]))
    G = gm.from_permutations([[1, 2, 3, 4, 5, 6, 7, 0], [1, 0, 2, 3, 4, 5, 6, 7]], recognize=False)
    R = G.copy_with(name="renamed")
    assert R.name == "renamed" and R.generators == G.generators and R.kind == "general"
    assert np.array_equal(R.generator_permutations, G.generator_permutations)
    with pytest.raises(ValueError, match="above 2\\*\\*62"):
        gm.symmetric(30).copy_with(generators=[0])


def test_huge_orders_print_in_scientific_form():
    """repr(gm.symmetric(10000)) raised Python's integer-to-string limit error (35660 digits > 4300); now the
    order prints as its leading digits and digit count, checked against the decimal text of 10000! made with
    the limit lifted (an independent computation); refusals of such groups print too."""
    import sys

    S = gm.symmetric(10000)
    old = sys.get_int_max_str_digits()
    sys.set_int_max_str_digits(0)
    try:
        text = str(math.factorial(10000))
    finally:
        sys.set_int_max_str_digits(old)
    lead = round(int(text[:4]) / 1000, 2)
    assert repr(S) == f"<PermutationGroup S10000 of order {lead:.2f}e{len(text) - 1} ({len(text)} digits)>"
    assert repr(gm.symmetric(20)) == "<PermutationGroup S20 of order 2432902008176640000>"
    with pytest.raises(ValueError, match=r"S10000 has order 2.85e35659 \(35660 digits\), above 2\*\*62"):
        S.mul(1, 1)
    from groupmat.groups.core import order_text

    assert order_text(10**60 - 1) == "9" * 60                  # up to 60 digits: all of them
    for k in (60, 61, 99, 100, 101, 500):
        assert order_text(10**k) == f"1.00e{k} ({k + 1} digits)"
        assert order_text(10**k + 1).endswith(f"({k + 1} digits)")
        assert k == 60 or order_text(10**k - 1).endswith(f"({k} digits)")


@pytest.mark.parametrize("bad, error", [(2.5, TypeError), ("12", TypeError), (True, TypeError), (0, ValueError),
                                        (-3, ValueError)])
def test_order_text_refuses_what_is_not_an_order(bad, error):
    from groupmat.groups.core import order_text

    with pytest.raises(error, match="order must be a positive integer"):
        order_text(bad)
