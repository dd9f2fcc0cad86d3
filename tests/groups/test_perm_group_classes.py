"""Conjugacy classes of permutation groups given by generators, found without a Cayley table.

The classes are the orbits of conjugation by the generators on the listed group, each conjugate ranked
by one sort (:func:`groupmat.groups.perm_classes.conjugation_class_labels`). References: the classes
of ``S_n``/``A_n`` by cycle type (closed formulas, :mod:`groupmat.groups.perm_classes`), the generic
algorithm of :class:`~groupmat.groups.core.FiniteGroup` (orbits of ``x -> s^-1 x s`` computed with the
group's multiplication), SymPy's ``conjugacy_classes()`` and the stabiliser chain's ranking.
"""
from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sympy.combinatorics import Permutation
from sympy.combinatorics import PermutationGroup as SymPyGroup

import groupmat as gm
from groupmat._validation import TooLargeError
from groupmat.groups.core import FiniteGroup
from groupmat.groups.perm_classes import conjugation_class_labels, cycle_labels, lexicographic_order
from groupmat.groups.permutation import from_permutations
from groupmat.reps.characters import character_table


def generic_generators(family: str, n: int, seed: int) -> list:
    """Standard generators of ``S_n`` or ``A_n`` conjugated by a random permutation and multiplied
    together, so that nothing in them is the textbook pair."""
    rng = np.random.default_rng(seed)
    if family == "S":
        a, b = np.roll(np.arange(n), 1), np.r_[1, 0, 2:n]
    else:
        a = np.r_[1, 2, 0, 3:n]
        b = np.roll(np.arange(n), 1) if n % 2 else np.r_[0, np.roll(np.arange(1, n), 1)]
    pi = rng.permutation(n)
    pinv = np.argsort(pi)
    a, b = pi[a[pinv]], pi[b[pinv]]
    return [a, b[a]]                          # a and a b (a first): still generating


def wreath(k: int, m: int) -> list:
    """Generators of ``S_k wr C_m`` on ``k m`` points (the base group ``S_k^m``, blocks rotated)."""
    d = k * m
    swap, cyc = np.arange(d), np.arange(d)
    swap[[0, 1]] = [1, 0]
    cyc[:k] = np.roll(np.arange(k), -1)
    return [swap, cyc, (np.arange(d) + k) % d]


def affine(p: int) -> list:
    """Generators of ``AGL(1, p)`` on ``0..p-1``: ``x -> x + 1`` and ``x -> r x`` (``r`` a primitive root)."""
    r = next(r for r in range(2, p) if len({pow(r, e, p) for e in range(1, p)}) == p - 1)
    return [(np.arange(p) + 1) % p, (r * np.arange(p)) % p]


def cycle_types(perms: np.ndarray) -> np.ndarray:
    """A code of the cycle type of every row: the sorted cycle lengths as one integer."""
    labels = cycle_labels(perms)
    B, d = perms.shape
    counts = np.bincount((labels + d * np.arange(B)[:, None]).ravel(), minlength=B * d).reshape(B, d)
    lengths = np.sort(np.take_along_axis(counts, labels, axis=1), axis=1)
    return lengths @ (d + 1) ** np.arange(d, dtype=np.int64)


def assert_same_classes(G, reference):
    """``G``'s class data equal a reference ``(flat, starts, class_of)``."""
    flat, starts, class_of = G._class_data()
    rflat, rstarts, rclass_of = reference
    assert np.array_equal(class_of, rclass_of)
    assert np.array_equal(flat, rflat)
    assert np.array_equal(starts, rstarts)


# ---------------------------------------------------------------------- S_n and A_n without recognition
@pytest.mark.parametrize("family", ["S", "A"])
@pytest.mark.parametrize("n", [3, 4, 5, 6, 7])
def test_giants_from_generic_generators_match_cycle_types(family, n):
    gens = generic_generators(family, n, seed=n)
    G = from_permutations(gens, recognize=False)
    R = from_permutations(gens)                                  # recognised (n >= 8) or the same chain
    F = gm.symmetric(n) if family == "S" else gm.alternating(n)  # classes by formula (cycle types)
    assert G.kind == "general" and G.order == F.order
    # the same element indices (lexicographic ranks) in all three
    assert np.array_equal(G.perms, F.perms)
    reps = G.class_representatives()
    assert np.array_equal(reps, F.index_of(F.class_permutations()))   # smallest member of each class
    assert np.array_equal(G.class_sizes(), F.class_sizes())
    assert G.class_sizes().sum() == G.order
    assert np.array_equal(G.class_of(), R.class_of())
    types = cycle_types(G.perms)
    class_of = G.class_of()
    assert np.array_equal(types, types[reps][class_of])           # a class lies in one cycle type
    if family == "S":                                             # and in S_n a cycle type is one class
        assert np.unique(types).size == reps.size


@pytest.mark.parametrize("n", [8, 9])
def test_recognition_switched_off(n):
    gens = generic_generators("S", n, seed=1)
    assert from_permutations(gens).kind == "symmetric"
    G = from_permutations(gens, recognize=False)
    assert G.kind == "general" and G.order == math.factorial(n)
    if n == 8:
        F = gm.symmetric(8)
        assert np.array_equal(G.class_representatives(), F.class_representatives())
        assert np.array_equal(G.class_sizes(), F.class_sizes())


# ---------------------------------------------------------------------- against the generic algorithm
@settings(max_examples=25, deadline=None)
@given(st.integers(2, 6), st.lists(st.integers(0, 2**32 - 1), min_size=1, max_size=3))
def test_matches_generic_algorithm(d, seeds):
    gens = [np.random.default_rng(s).permutation(d) for s in seeds]
    G = from_permutations(gens, recognize=False)
    reference = FiniteGroup._compute_classes(G)                   # orbits of x -> s^-1 x s by G.mul
    if G.is_abelian:
        assert reference[1] is None
    assert_same_classes(G, reference)
    sizes = G.class_sizes()
    assert sizes.sum() == G.order and all(G.order % int(s) == 0 for s in sizes)


@pytest.mark.parametrize("gens", [wreath(2, 3), wreath(3, 2), affine(7), affine(11), wreath(2, 4)],
                         ids=["S2wrC3", "S3wrC2", "AGL(1,7)", "AGL(1,11)", "S2wrC4"])
def test_non_giant_groups_against_sympy(gens):
    G = from_permutations(gens)
    assert G.kind == "general"
    P = SymPyGroup([Permutation(g.tolist()) for g in gens])
    expected = sorted(sorted(G.index_of([p.array_form for p in c]).tolist()) for c in P.conjugacy_classes())
    got = [c.tolist() for c in G.conjugacy_classes()]
    assert got == sorted(expected, key=lambda c: c[0])            # ordered by smallest member, each sorted
    sizes = G.class_sizes()
    assert sizes.sum() == G.order and all(G.order % int(s) == 0 for s in sizes)
    assert np.array_equal(G.class_representatives(), [c[0] for c in got])
    class_of = G.class_of()
    for k, c in enumerate(got):
        assert (class_of[c] == k).all()


def test_listing_by_transversals_is_the_lexicographic_order():
    for gens in (wreath(2, 4), affine(11), generic_generators("A", 6, 3)):
        G = from_permutations(gens, recognize=False)
        ranks = np.arange(G.order)
        assert np.array_equal(G.perms, G.stabilizer_chain().unrank(ranks))
        keys = G.perms.astype(np.int64) @ (G.degree ** np.arange(G.degree - 1, -1, -1, dtype=np.int64))
        assert (np.diff(keys) > 0).all()


def test_long_bases_sort_column_by_column():
    # degree^m >= 2^62: sorted with np.lexsort; the same order as comparing the rows as tuples
    rng = np.random.default_rng(0)
    cols = rng.integers(0, 3, size=(200, 12)) * 400
    order = lexicographic_order(cols, 1200)
    assert sorted(map(tuple, cols.tolist())) == [tuple(r) for r in cols[order].tolist()]
    small = rng.integers(0, 5, size=(100, 4))
    assert [tuple(r) for r in small[lexicographic_order(small, 5)].tolist()] == sorted(map(tuple, small.tolist()))
    # a group whose base images need the fallback: S_3 x C_2^6 on 300 points (a base of 8 points)
    gens = [[1, 0, 2], [1, 2, 0]] + [np.r_[0:3 + 2 * i, 4 + 2 * i, 3 + 2 * i] for i in range(6)]
    G = from_permutations(gens, degree=300, recognize=False)
    assert G.degree ** len(G.base) >= 2**62
    assert_same_classes(G, FiniteGroup._compute_classes(G))


def test_conjugation_labels_directly():
    S = gm.symmetric(4)
    labels = conjugation_class_labels(S.perms, S.base, S.generator_permutations)
    assert np.array_equal(labels, FiniteGroup._compute_classes(S)[2])
    trivial = conjugation_class_labels(S.perms[:1], (), np.arange(4)[None, :])
    assert trivial.tolist() == [0]


# ---------------------------------------------------------------------- Dixon-Schneider on these classes
def test_dixon_schneider_on_generic_generators():
    gens = generic_generators("S", 6, seed=2)
    G = from_permutations(gens, recognize=False)
    T = character_table(G, method="dixon_schneider")
    F = character_table(gm.symmetric(6))                          # Murnaghan-Nakayama, same columns
    assert [c.tolist() for c in T.classes] == [c.tolist() for c in gm.symmetric(6).conjugacy_classes()]
    got = sorted(map(tuple, np.rint(T.values.real).astype(int).tolist()))
    expected = sorted(map(tuple, np.rint(F.values.real).astype(int).tolist()))
    assert got == expected


# ---------------------------------------------------------------------- bad input and the budget
def test_bad_input():
    with pytest.raises(TypeError, match="recognize must be True or False"):
        from_permutations([[1, 0, 2]], recognize="no")
    with pytest.raises(ValueError, match="perms must be a non-empty"):
        conjugation_class_labels(np.zeros((3, 4), dtype=np.uint8), (0,), [[1, 0, 2]])
    with pytest.raises(ValueError, match="generators must be a"):
        conjugation_class_labels(np.zeros((3, 4), dtype=np.uint8), (0,), [1, 0, 2, 3])
    with pytest.raises(ValueError, match="base must hold points"):
        conjugation_class_labels(np.zeros((3, 3), dtype=np.uint8), (5,), [[1, 0, 2]])


def test_budget_refuses_before_listing(monkeypatch):
    G = from_permutations(generic_generators("S", 9, seed=0), recognize=False)
    monkeypatch.setenv("GROUPMAT_MAX_BYTES", str(60 * G.order))  # the listing alone would fit, not the classes
    with pytest.raises(TooLargeError, match="conjugacy classes"):
        G.conjugacy_classes()
    assert G.memo.peek("groups.permutation", "perms") is None     # nothing was listed


def test_cycles_of_reads_every_cycle_once_from_its_smallest_point():
    """cycles_of against the cycle type and the permutation itself: each cycle starts at its minimum,
    follows p, closes, and the cycles partition the points; non-permutations are refused naming p."""
    from groupmat.groups.perm_classes import cycle_type, cycles_of

    rng = np.random.default_rng(3)
    for d in (1, 2, 7, 30):
        p = rng.permutation(d)
        cyc = cycles_of(p)
        assert sorted(x for c in cyc for x in c) == list(range(d))
        assert [c[0] for c in cyc] == sorted(min(c) for c in cyc)
        assert all(p[c[i]] == c[(i + 1) % len(c)] for c in cyc for i in range(len(c)))
        assert tuple(sorted((len(c) for c in cyc), reverse=True)) == cycle_type(p)
    for bad in ([0, 0, 1], [[0, 1]], [0.0, 1.0], [1, 2]):
        with pytest.raises(ValueError, match="p must be a 1-d integer image array"):
            cycles_of(bad)
