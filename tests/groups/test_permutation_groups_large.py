"""Permutation groups by generators, never enumerated: S_n and A_n for any n, indices by lexicographic
rank, membership, orbits, stabilisers, classes by cycle type, and clear refusals.

References: ``itertools.permutations`` (lexicographic order), SymPy's combinatorics (composition,
order, membership, orbits, stabilisers), the classes found by listing the group
(:meth:`FiniteGroup.conjugacy_classes`), and GAP's data for A6 and S4 x C2.
"""
from __future__ import annotations

import itertools
import math
import re
from decimal import Decimal

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sympy.combinatorics import Permutation
from sympy.combinatorics import PermutationGroup as SymPyGroup
from sympy.combinatorics.named_groups import AlternatingGroup, SymmetricGroup

import groupmat as gm
from groupmat.groups import permutation as perm_module
from groupmat.groups.core import FiniteGroup
from groupmat.groups.perm_classes import (alternating_half, cycle_type, partition_count, partitions,
                                          split_in_alternating)
from strategies import gap_group


def sympy_of(p):
    return Permutation(np.asarray(p).tolist())


def parity(p) -> int:
    p = list(p)
    return sum(p[i] > p[j] for i in range(len(p)) for j in range(i + 1, len(p))) % 2


# ------------------------------------------------------------------ element order: today's, kept
@pytest.mark.parametrize("n", range(1, 8))
def test_symmetric_and_alternating_keep_the_lexicographic_order(n):
    S, A = gm.symmetric(n), gm.alternating(n)
    lex = [list(p) for p in itertools.permutations(range(n))]
    assert S.perms.tolist() == lex
    assert A.perms.tolist() == [p for p in lex if parity(p) == 0]
    assert S.order == math.factorial(n) and A.order == max(1, math.factorial(n) // 2)


@pytest.mark.parametrize("n", [4, 6, 7])
def test_ranking_and_listing_agree(n, monkeypatch):
    """The two routes to the same indices: the listing (gather and binary search) and the closed-form
    ranks (Lehmer code), forced by lowering the listing threshold."""
    for make in (gm.symmetric, gm.alternating):
        G = make(n)
        e = G.elements()
        rng = np.random.default_rng(n)
        a, b = rng.integers(0, G.order, 300), rng.integers(0, G.order, 300)
        listed_mul, listed_inv = G.mul(a, b), G.inv(e)
        monkeypatch.setattr(perm_module, "LISTED_MAX_ORDER", 0)
        H = make(n)
        assert np.array_equal(H.mul(a, b), listed_mul) and np.array_equal(H.inv(e), listed_inv)
        assert np.array_equal(H.permutations(e), G.perms)
        assert np.array_equal(H.index_of(G.perms), e)
        monkeypatch.undo()


@pytest.mark.parametrize("n", [9, 12, 16, 20])
def test_indices_round_trip_and_mul_is_sympy_composition(n):
    rng = np.random.default_rng(n)
    for G, P in ((gm.symmetric(n), SymmetricGroup(n)), (gm.alternating(n), AlternatingGroup(n))):
        assert G.order == P.order() and G.indexable
        idx = np.concatenate([[0, 1, G.order - 1], rng.integers(0, G.order, 200)])
        perms = G.permutations(idx)
        assert np.array_equal(G.index_of(perms), idx)                        # rank(unrank(i)) = i
        assert all(P.contains(sympy_of(p)) for p in perms[:20])
        # neighbours in index order are lexicographically increasing (the order is lexicographic)
        k = rng.integers(0, G.order - 1, 50)
        lo, hi = G.permutations(k), G.permutations(k + 1)
        assert all(tuple(x) < tuple(y) for x, y in zip(lo.tolist(), hi.tolist()))
        a, b = idx[:100], idx[100:200]
        ab = G.permutations(G.mul(a, b))
        for x, y, z in zip(G.permutations(a)[:30], G.permutations(b)[:30], ab[:30]):
            assert (sympy_of(x) * sympy_of(y)).array_form == z.tolist()          # SymPy: x first, then y
        inv = G.permutations(G.inv(a))
        assert all((~sympy_of(x)).array_form == y.tolist() for x, y in zip(G.permutations(a)[:30], inv[:30]))
    # A_n: index i is the even one of the Lehmer ranks 2i, 2i + 1
    S, A = gm.symmetric(n), gm.alternating(n)
    i = rng.integers(0, A.order, 100)
    r = S.index_of(A.permutations(i))
    assert np.array_equal(r // 2, i) and all(parity(S.permutation(int(x))) == 0 for x in r[:20])


def test_general_groups_keep_the_lexicographic_order_and_agree_with_sympy():
    rng = np.random.default_rng(5)
    d = 7
    for _ in range(5):
        gens = [rng.permutation(d) for _ in range(2)]
        G = gm.from_permutations(gens)
        P = SymPyGroup([sympy_of(g) for g in gens])
        assert G.order == P.order()
        listed = sorted(tuple(p.array_form) for p in P.generate())
        assert [tuple(r) for r in G.perms.tolist()] == listed
        a, b = rng.integers(0, G.order, 40), rng.integers(0, G.order, 40)
        for x, y, z in zip(G.permutations(a), G.permutations(b), G.permutations(G.mul(a, b))):
            assert (sympy_of(x) * sympy_of(y)).array_form == z.tolist()


def test_a_large_group_by_generators_has_indices_from_its_chain():
    """S_4 wr C_5 on 20 points: order 24^5 * 5, indices from the stabiliser chain (nothing listed)."""
    k, m = 4, 5
    d = k * m
    gens = [np.r_[1, 0, 2:d], np.r_[1, 2, 3, 0, 4:d], (np.arange(d) + k) % d]
    G = gm.from_permutations(gens)
    assert G.order == 24**5 * 5 and G.order > perm_module.LISTED_MAX_ORDER
    P = SymPyGroup([sympy_of(g) for g in gens])
    rng = np.random.default_rng(1)
    idx = rng.integers(0, G.order, 100)
    perms = G.permutations(idx)
    assert np.array_equal(G.index_of(perms), idx)
    assert all(P.contains(sympy_of(p)) for p in perms[:20])
    lo, hi = G.permutations(idx % (G.order - 1)), G.permutations(idx % (G.order - 1) + 1)
    assert all(tuple(x) < tuple(y) for x, y in zip(lo.tolist(), hi.tolist()))
    ab = G.mul(idx[:50], idx[50:])
    for x, y, z in zip(perms[:50], perms[50:], G.permutations(ab)):
        assert (sympy_of(x) * sympy_of(y)).array_form == z.tolist()
    assert G.index_of(np.arange(d)[None, :]).tolist() == [0]
    # the last element is the lexicographically largest: block 0 onto the last block (reversed), which fixes
    # the cyclic shift of the blocks (by 4: block b onto block b - 1), each block reversed
    last = [x for b in range(m) for x in range(((b - 1) % m) * k + k - 1, ((b - 1) % m) * k - 1, -1)]
    assert G.permutation(G.order - 1).tolist() == last


# ------------------------------------------------------------------ huge groups: what works, what refuses
@pytest.mark.parametrize("n", [21, 25, 100, 300])
def test_huge_symmetric_and_alternating_groups(n):
    S, A = gm.symmetric(n), gm.alternating(n)
    assert S.order == math.factorial(n) and A.order == math.factorial(n) // 2
    assert not S.indexable and not A.indexable
    rng = np.random.default_rng(n)
    p = rng.permutation(n)
    assert S.contains(p) and A.contains(p) == (parity(p) == 0)
    q = A.random_element(seed=3)
    assert A.contains(q) and parity(q) == 0
    assert [o.tolist() for o in S.orbits()] == [list(range(n))]
    H = A.stabilizer([0, 1, n - 1])
    assert H.order == math.factorial(n - 3) // 2 and H.contains(np.r_[0, 1, 3, 4, 2, 5:n])
    assert not H.contains(np.r_[1, 2, 0, 3:n])
    assert S.center().tolist() == [0] and S.exponent() == math.lcm(*range(1, n + 1))
    order = str(math.factorial(n))
    if len(order) > 60:       # long orders are shown by their leading digits and their length
        mantissa, exponent = f"{Decimal(order):.2e}".lower().split("e")
        order = f"{mantissa}e{int(exponent)} ({len(str(math.factorial(n)))} digits)"
    with pytest.raises(ValueError, match=re.escape(f"S{n} has order {order}, above 2**62: its elements "
                                                   "have no int64 indices")):
        S.mul(0, 0)
    with pytest.raises(ValueError, match="no int64 indices"):
        S.index_of(p)
    with pytest.raises(ValueError, match="no int64 indices"):
        S.element("(0 1)")
    with pytest.raises(gm.TooLargeError, match=f"the element indices of S{n}"):
        S.elements()
    with pytest.raises(gm.TooLargeError, match=f"the labels of S{n}"):
        S.labels
    with pytest.raises(gm.TooLargeError, match=f"the Cayley table of S{n}"):
        S.cayley_table()


def test_classes_of_huge_groups_by_cycle_type():
    for n in (21, 24):
        S, A = gm.symmetric(n), gm.alternating(n)
        sizes = S.class_sizes()
        assert sizes.dtype == object and sum(sizes) == S.order and len(sizes) == partition_count(n)
        assert sum(A.class_sizes()) == A.order
        even = [t for t in partitions(n) if sum(k - 1 for k in t) % 2 == 0]
        assert len(A.class_sizes()) == len(even) + sum(split_in_alternating(t) for t in even)
        reps = A.class_permutations()
        assert A.contains(reps).all()
        assert [cycle_type(r) for r in reps] == A.class_cycle_types()
        with pytest.raises(ValueError, match="no int64 indices"):
            S.class_representatives()


# ------------------------------------------------------------------ classes against the listed classes
@pytest.mark.parametrize("make", [gm.symmetric, gm.alternating])
@pytest.mark.parametrize("n", range(1, 8))
def test_classes_by_cycle_type_match_the_listed_classes(make, n):
    G = make(n)
    listed = FiniteGroup.conjugacy_classes(G)                      # orbits of conjugation on all elements
    assert G.class_representatives().tolist() == [int(c[0]) for c in listed]
    assert G.class_sizes().tolist() == [c.size for c in listed]
    assert np.array_equal(G.permutations(G.class_representatives()), G.class_permutations())
    class_of = FiniteGroup.class_of(G)
    e = G.elements()
    assert np.array_equal(G.class_index(G.permutations(e)), class_of)
    assert [cycle_type(G.permutation(int(c[0]))) for c in listed] == G.class_cycle_types()


def test_classes_against_gap():
    A6 = gm.alternating(6)
    ref = gap_group("A6")
    assert sorted(A6.class_sizes().tolist()) == sorted(np.bincount(ref["classes"]).tolist())
    assert len(A6.class_sizes()) == ref["nclasses"] and A6.exponent() == ref["exponent"]
    assert A6.center().size == ref["center_order"]
    # S4 x C2 on 6 points (general group: classes found by listing)
    G = gm.from_permutations([[1, 0, 2, 3, 4, 5], [1, 2, 3, 0, 4, 5], [0, 1, 2, 3, 5, 4]])
    ref = gap_group("S4xC2")
    assert G.order == ref["order"] and len(G.class_sizes()) == ref["nclasses"]
    assert sorted(G.class_sizes().tolist()) == sorted(np.bincount(ref["classes"]).tolist())
    assert G.exponent() == ref["exponent"] and G.center().size == ref["center_order"]


def test_split_classes_of_alternating_groups():
    # (0 1 2 3 4) and (0 1 2 4 3) are not conjugate in A5: conjugate by the odd (3 4)
    a, b = np.array([1, 2, 3, 4, 0]), np.array([1, 2, 4, 0, 3])
    assert alternating_half(a) != alternating_half(b)
    A = gm.alternating(5)
    assert A.class_index(a) != A.class_index(b)
    # a^k is A5-conjugate to a exactly when k = +-1 mod 5 (k must be a square mod 5)
    assert A.class_index(a) == A.class_index(np.array([4, 0, 1, 2, 3]))           # a^-1
    assert A.class_index(a) != A.class_index(np.array([2, 3, 4, 0, 1]))           # a^2
    assert A.class_sizes()[A.class_index(a)] == 12


def test_formulas_agree_with_the_listed_group():
    for G in (gm.symmetric(5), gm.alternating(5), gm.alternating(4), gm.symmetric(2), gm.alternating(3)):
        e = G.elements()
        assert G.exponent() == FiniteGroup.exponent(G)
        assert G.center().tolist() == FiniteGroup.center(G).tolist()
        assert np.array_equal(G.element_order(e), FiniteGroup.element_order(G, e))
        assert G.is_abelian == FiniteGroup.is_abelian.fget(G)


# ------------------------------------------------------------------ orbits and stabilisers
@given(st.integers(3, 12), st.lists(st.integers(0, 2**32 - 1), min_size=1, max_size=3))
@settings(max_examples=25, deadline=None)
def test_orbits_and_stabilizers_agree_with_sympy(d, seeds):
    gens = []
    for s in seeds:
        r = np.random.default_rng(s)
        p = np.arange(d)
        i, j, k = r.choice(d, 3, replace=False)
        p[[i, j, k]] = p[[j, k, i]] if s % 2 else p[[j, i, k]]
        gens.append(p)
    G = gm.from_permutations(gens)
    P = SymPyGroup([sympy_of(g) for g in gens])
    assert sorted(tuple(o.tolist()) for o in G.orbits()) == sorted(tuple(sorted(o)) for o in P.orbits())
    assert G.orbit(0).tolist() == sorted(P.orbit(0))
    pts = sorted({int(seeds[0] % d), int(seeds[-1] % d)})
    H = G.stabilizer(pts)
    Q = P.pointwise_stabilizer(pts)
    assert H.order == Q.order()
    assert (H.generator_permutations[:, pts] == pts).all()
    assert all(G.contains(h) for h in H.generator_permutations)


def test_orbits_on_tuples_without_enumerating():
    G = gm.from_permutations([[1, 2, 0, 3, 4], [0, 1, 2, 4, 3]])             # C3 x C2 on {0,1,2} and {3,4}
    L = G.tuple_orbit_labels(2)
    # brute force: the orbit of each pair under all 6 elements
    elems = G.perms
    for i, j in itertools.product(range(5), repeat=2):
        images = {(int(g[i]), int(g[j])) for g in elems}
        assert {L[a, b] for a, b in images} == {L[i, j]}
        assert sum(1 for a, b in itertools.product(range(5), repeat=2) if L[a, b] == L[i, j]) == len(images)
    # orbits: 3 on {0,1,2}^2 (C3 acts freely), 2 on {3,4}^2, one on each of the two mixed blocks (free action)
    assert L[0, 0] == 0 and L.max() + 1 == 3 + 2 + 1 + 1
    S = gm.symmetric(50)
    assert np.unique(S.tuple_orbit_labels(2)).size == 2                       # diagonal and off-diagonal
    assert np.unique(S.tuple_orbit_labels(3)).size == 5                       # set partitions of 3 slots


def test_stabilizer_chain_and_base_of_symmetric_groups():
    S = gm.symmetric(10)
    C = S.stabilizer_chain()
    assert C.order == S.order and C.base == tuple(range(9))
    r = np.random.default_rng(0).integers(0, S.order, 50)
    assert np.array_equal(C.rank(S.permutations(r))[0], r)                   # chain ranks = Lehmer ranks
    A = gm.alternating(9)
    r = np.random.default_rng(1).integers(0, A.order, 50)
    assert np.array_equal(A.stabilizer_chain().rank(A.permutations(r))[0], r)
    assert A.strong_generators.shape == (7, 9) and A.base == tuple(range(7))


# ------------------------------------------------------------------ bad input
@pytest.mark.parametrize("call, exc, match", [
    (lambda: gm.symmetric(5).contains([0, 1, 2]), ValueError, "perms must have last axis of length 5"),
    (lambda: gm.symmetric(5).contains([0, 0, 1, 2, 3]), ValueError, "repeats an image"),
    (lambda: gm.symmetric(5).contains([0, 1, 2, 3, 9]), ValueError, "out of range"),
    (lambda: gm.symmetric(5).contains([0.0, 1, 2, 3, 4]), TypeError, "integer image arrays"),
    (lambda: gm.alternating(5).index_of([1, 0, 2, 3, 4]), ValueError, "not an element of this group"),
    (lambda: gm.symmetric(5).stabilizer([7]), ValueError, "points must lie in 0..4"),
    (lambda: gm.symmetric(5).stabilizer(["a"]), TypeError, "points must be a point or a sequence"),
    (lambda: gm.symmetric(5).orbit(5), ValueError, "point must be one of the points 0..4"),
    (lambda: gm.symmetric(5).tuple_orbit_labels(0), ValueError, "arity must be an integer >= 1"),
    (lambda: gm.symmetric(5).random_element(size=0), ValueError, "size must be an integer >= 1"),
    (lambda: gm.symmetric(10**12), gm.TooLargeError, "the generators of S1000000000000"),
    (lambda: gm.alternating(10**6), gm.TooLargeError, "the generators of A1000000"),
    (lambda: gm.symmetric(300).tuple_orbit_labels(4), gm.TooLargeError, "the orbits of S300 on 4-tuples"),
    (lambda: gm.from_permutations([[1, 0], [0, 2, 1]], degree=2), ValueError, "more than degree=2"),
    (lambda: gm.from_permutations([[1, 2, 0]], max_order=2), ValueError, "3 elements, more than 2"),
])
def test_refusals(call, exc, match):
    with pytest.raises(exc, match=match):
        call()


def test_listing_asks_the_budget_first(monkeypatch):
    S = gm.symmetric(9)
    monkeypatch.setenv("GROUPMAT_MAX_BYTES", str(10**6))
    with pytest.raises(gm.TooLargeError, match="the elements of S9 \\(image arrays\\)"):
        S.perms
    assert S.label(S.mul(5, 7)) == S.label(S.mul(5, 7))                   # index arithmetic still works
    assert S.mul(5, 7) == gm.symmetric(9).mul(5, 7)


def test_spec_and_info_calls_for_S12():
    S = gm.group("S12")
    assert S.order == 479001600 and S.generators == (S.element("(0 1)"), S.element("(0 1 2 3 4 5 6 7 8 9 10 11)"))
    assert S.center().tolist() == [0] and S.exponent() == 27720
    assert len(S.class_representatives()) == 77 and int(S.class_sizes().sum()) == S.order
    assert S.element_order(S.class_representatives()).max() == 60


@pytest.mark.parametrize("G", [gm.dihedral(5), gm.quaternion(), gm.cyclic(6), gm.group("C2xS3"),
                               gm.from_permutations([[1, 2, 0, 4, 3]])], ids=lambda G: G.name)
def test_the_class_api_of_any_group_matches_its_listed_classes(G):
    classes = G.conjugacy_classes()
    assert G.class_representatives().tolist() == [int(c[0]) for c in classes]
    assert G.class_sizes().tolist() == [c.size for c in classes]
    assert int(G.class_sizes().sum()) == G.order


@pytest.mark.parametrize("d", [8, 13, 30])
def test_symmetric_and_alternating_groups_by_generators_are_recognised(d):
    """Jordan's theorem proves S_d / A_d from a random element with a prime cycle p, d/2 < p < d - 2;
    the recognised group then answers by closed forms, with SymPy's order and membership."""
    rng = np.random.default_rng(d)
    sym = [rng.permutation(d), np.r_[1, 0, 2:d]]                 # a transposition and a random permutation
    sym[0] = sym[0] if not (sym[0] == np.arange(d)).all() else np.roll(np.arange(d), 1)
    c = np.roll(np.arange(d), -1) if d % 2 else np.r_[0, np.roll(np.arange(1, d), -1)]
    alt = [np.r_[1, 2, 0, 3:d], c]
    for gens in (sym, alt):
        G = gm.from_permutations(gens)
        P = SymPyGroup([sympy_of(g) for g in gens])
        assert G.order == P.order()
        if P.is_transitive() and G.order >= math.factorial(d) // 2:
            assert G.kind in ("symmetric", "alternating")
        probes = np.array([rng.permutation(d) for _ in range(30)])
        assert G.contains(probes).tolist() == [P.contains(sympy_of(p)) for p in probes]
        if G.indexable:
            r = rng.integers(0, G.order, 30)
            assert np.array_equal(G.index_of(G.permutations(r)), r)


@pytest.mark.parametrize("gens, order", [
    ([(np.arange(11) + 1) % 11, (2 * np.arange(11)) % 11], 110),                          # AGL(1, 11)
    ([np.r_[1, 0, 2:50], (np.arange(50) + 2) % 50], 2**25 * 25),                           # S2 wr C25
])
def test_transitive_groups_that_are_not_giants_are_not_mistaken(gens, order):
    G = gm.from_permutations(gens)
    assert G.kind == "general" and G.order == order
    assert G.order == SymPyGroup([sympy_of(g) for g in gens]).order()
