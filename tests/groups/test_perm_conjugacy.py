"""Centralisers, conjugating elements and conjugacy classes of permutation groups by search
(:mod:`groupmat.groups.perm_conjugacy`), checked against independent computations:

* the listing route: ``from_permutations(gens, recognize=False)`` lists the group from its chain and finds the
  classes as orbits of conjugation (``G.class_sizes()``, ``G.class_permutations()``, ``G.class_index``);
* brute force on the listed group: the elements commuting with ``g``, the conjugates ``x^-1 g x`` of ``g``;
* closed formulas: ``|C_{S_n}(g)| = z_lambda`` and the ``S_n``-class sizes ``n! / z_lambda``
  (:mod:`groupmat.groups.perm_classes`), the order of ``S_4 wr S_3``.
"""
from __future__ import annotations

import math
from collections import Counter

import numpy as np
import pytest

import groupmat as gm
import groupmat.groups.perm_conjugacy as pc
from groupmat._validation import TooLargeError
from groupmat.groups.perm_classes import centralizer_order, cycle_type, partitions
from groupmat.groups.perm_conjugacy import (ConjugacyClassData, centralizer, class_index_of, conjugating_element,
                                            random_classes)
from groupmat.groups.schreier_sims import compose, invert, stabilizer_chain
from perm_generators import generic_alternating, generic_symmetric, mathieu11, perm, psl27_on_7, psl27_on_8, wreath


# ---------------------------------------------------------------------- groups
GROUPS = {
    "D6": ([np.roll(np.arange(6), -1), (-np.arange(6)) % 6], 12),
    "S2 wr S3": (wreath(2, 3), 48),
    "S3 wr S2": (wreath(3, 2), 72),
    "PSL(2,7) on 8": (psl27_on_8(), 168),
    "PSL(2,7) on 7": (psl27_on_7(), 168),
    "A6": (generic_alternating(6), 360),
    "S4 x S3": ([perm(7, (0, 1)), perm(7, (0, 1, 2, 3)), perm(7, (4, 5)), perm(7, (4, 5, 6))], 144),
    "C7:C3": ([np.roll(np.arange(7), -1), (2 * np.arange(7)) % 7], 21),
    "intransitive": ([perm(8, (0, 1, 2, 3), (4, 5, 6)), perm(8, (1, 3), (5, 6)), perm(8, (4, 5))], None),
    "trivial": ([np.arange(5)], 1),
    "C4 x C2": ([perm(6, (0, 1, 2, 3)), perm(6, (4, 5))], 8),
    "M11": (mathieu11(), 7920),
}


@pytest.fixture(scope="module", params=list(GROUPS))
def case(request):
    gens, order = GROUPS[request.param]
    G = gm.from_permutations(gens, recognize=False)
    if order is not None:
        assert G.order == order
    chain = G.stabilizer_chain()
    return request.param, G, chain, random_classes(chain, seed=1)


def conj(x, g):
    """``x^-1 g x`` (``x^-1`` first), for one or a batch of ``x``."""
    return compose(compose(invert(x), np.broadcast_to(g, np.shape(x))), x)


# ---------------------------------------------------------------------- classes against the listing
def test_classes_agree_with_the_listing(case):
    name, G, chain, data = case
    sizes = G.class_sizes().tolist()
    assert len(data) == len(sizes) == len(data.representatives)
    assert sum(data.sizes) == G.order == data.order
    assert all(isinstance(s, int) for s in data.sizes)
    assert Counter(zip(data.cycle_types, data.sizes)) == Counter(zip(G.class_cycle_types(), sizes))
    assert chain.contains(data.representatives).all()
    # every representative in a different listed class, of the stated size and cycle type
    listed = np.atleast_1d(G.class_index(data.representatives))
    assert sorted(listed.tolist()) == list(range(len(sizes)))
    assert [sizes[i] for i in listed] == data.sizes
    assert [cycle_type(r) for r in data.representatives] == data.cycle_types
    assert [G.order // s for s in data.sizes] == data.centralizer_orders
    # class_index_of agrees with the listed classes (through that bijection) on random elements
    x = G.random_element(seed=3, size=40).reshape(-1, G.degree)
    x = np.vstack([x, data.representatives, G.class_permutations()])
    assert np.array_equal(listed[class_index_of(chain, data, x)], np.atleast_1d(G.class_index(x)))


def test_class_order_is_by_cycle_type_then_representative(case):
    _, G, chain, data = case
    keys = [(pc._type_key(t, G.degree), r.tolist()) for t, r in zip(data.cycle_types, data.representatives)]
    assert keys == sorted(keys)
    assert np.array_equal(data.representatives[0], np.arange(G.degree))


def test_centralizers_by_brute_force(case):
    _, G, chain, data = case
    P = G.perms.astype(np.int64)
    rng = np.random.default_rng(5)
    probes = np.vstack([data.representatives, P[rng.integers(0, len(P), 6)]])
    for g in probes:
        commuting = (compose(P, np.broadcast_to(g, P.shape)) == compose(np.broadcast_to(g, P.shape), P)).all(axis=1)
        C = centralizer(chain, g)
        assert C.order == int(commuting.sum())
        # the same subgroup: every element of the chain commutes with g and lies in G
        elems = C.unrank(np.arange(C.order)) if C.order > 1 else np.arange(G.degree)[None, :]
        assert chain.contains(elems).all()
        assert (compose(elems, np.broadcast_to(g, elems.shape)) == compose(np.broadcast_to(g, elems.shape),
                                                                            elems)).all()


def test_conjugating_elements_against_the_listed_classes(case):
    _, G, chain, data = case
    rng = np.random.default_rng(7)
    P = G.perms.astype(np.int64)
    for _ in range(6):
        g, y = P[rng.integers(0, len(P), 2)]
        h = conj(y, g)                                    # a conjugate of g
        x = conjugating_element(chain, g, h)
        assert x is not None and chain.contains(x[None, :])[0]
        assert np.array_equal(conj(x, g), h)              # x^-1 g x = h, x^-1 applied first
        other = P[rng.integers(0, len(P))]
        x = conjugating_element(chain, g, other)
        same = G.class_index(g) == G.class_index(other)
        assert (x is not None) == same
        if same:
            assert np.array_equal(conj(x, g), other)


# ---------------------------------------------------------------------- non-conjugate pairs of one cycle type
def test_split_classes_are_not_conjugate():
    A5 = stabilizer_chain(np.array(generic_alternating(5)))
    g = perm(5, (0, 1, 2, 3, 4))
    assert conjugating_element(A5, g, compose(g, g)) is None          # g^2: the other class of 5-cycles
    x = conjugating_element(A5, g, invert(g))                          # g^-1: the same class
    assert np.array_equal(conj(x, g), invert(g))
    L = stabilizer_chain(np.array(psl27_on_8()))
    P = gm.from_permutations(psl27_on_8(), recognize=False).perms.astype(np.int64)
    seven = [p for p in P if cycle_type(p) == (7, 1)][0]
    assert conjugating_element(L, seven, invert(seven)) is None       # 7A and 7B: -1 is no square mod 7
    assert conjugating_element(L, seven, _power(seven, 2)) is not None
    involution = [p for p in P if cycle_type(p) == (2, 2, 2, 2)][0]
    assert conjugating_element(L, seven, involution) is None          # another cycle type


def _power(g, e):
    out = np.arange(g.size)
    for _ in range(e):
        out = g[out]
    return out


def test_the_convention_is_x_inverse_first():
    S4 = stabilizer_chain(np.array([perm(4, (0, 1)), perm(4, (0, 1, 2, 3))]))
    g, h = perm(4, (0, 1, 2)), perm(4, (1, 3, 2))
    x = conjugating_element(S4, g, h)
    assert np.array_equal(compose(compose(invert(x), g), x), h)
    # as maps h = x o g o x^-1: x carries the cycle (0 1 2) of g onto the cycle of h through x(0)
    assert [int(x[i]) for i in (1, 2)] == [int(h[x[0]]), int(h[h[x[0]]])]


# ---------------------------------------------------------------------- groups too large to list
def test_symmetric_12_from_generic_generators():
    G = gm.from_permutations(generic_symmetric(12), recognize=False)
    chain = G.stabilizer_chain()
    data = random_classes(chain, seed=0)
    n = 12
    assert len(data) == 77
    assert sorted(data.sizes) == sorted(math.factorial(n) // centralizer_order(p) for p in partitions(n))
    assert data.cycle_types == gm.symmetric(n).class_cycle_types()           # the same order of classes
    assert data.centralizer_orders == [centralizer_order(t) for t in data.cycle_types]
    rng = np.random.default_rng(2)
    x = chain.random(30, rng)
    assert [data.cycle_types[i] for i in class_index_of(chain, data, x)] == [cycle_type(p) for p in x]
    g = perm(12, (0, 1))                                                     # 10! 2 elements: never counted
    assert centralizer(chain, g).order == 2 * math.factorial(10)
    for p in x[:5]:
        assert centralizer(chain, p).order == centralizer_order(cycle_type(p))


def test_alternating_9_split_classes():
    chain = stabilizer_chain(np.array(generic_alternating(9, seed=4)))
    data = random_classes(chain, seed=2)
    ref = gm.alternating(9)
    assert Counter(zip(data.cycle_types, data.sizes)) == Counter(zip(ref.class_cycle_types(),
                                                                     ref.class_sizes().tolist()))
    # the split classes: class_index_of agrees with the closed form's halves (up to naming)
    x = chain.random(60, np.random.default_rng(3))
    ours, theirs = class_index_of(chain, data, x), ref.class_index(x)
    pairs = set(zip(ours.tolist(), theirs.tolist()))
    assert len(pairs) == len({a for a, _ in pairs}) == len({b for _, b in pairs})


def test_wreath_product_s4_wr_s3():
    gens = wreath(4, 3)
    G = gm.from_permutations(gens, recognize=False)
    assert G.order == 24 ** 3 * 6
    chain = G.stabilizer_chain()
    data = random_classes(chain, seed=0)
    assert Counter(zip(data.cycle_types, data.sizes)) == Counter(zip(G.class_cycle_types(),
                                                                     G.class_sizes().tolist()))
    listed = G.class_index(data.representatives)
    x = chain.random(40, np.random.default_rng(9))
    assert np.array_equal(listed[class_index_of(chain, data, x)], G.class_index(x))


# ---------------------------------------------------------------------- class invariants
@pytest.mark.parametrize("name", ["S3 wr S2", "S2 wr S3", "intransitive", "S4 x S3", "PSL(2,7) on 8"])
def test_invariants_are_class_invariants(name):
    """Conjugates share the invariant (cycle types on orbits and on blocks); the listed classes sharing an
    invariant are few (it separates most classes)."""
    G = gm.from_permutations(GROUPS[name][0], recognize=False)
    chain = G.stabilizer_chain()
    inv = pc._Invariants(chain)
    P = G.perms.astype(np.int64)
    rng = np.random.default_rng(4)
    g = P[rng.integers(0, len(P), 50)]
    y = P[rng.integers(0, len(P), 50)]
    h = conj(y, g)
    assert inv.keys(g, pc._cycle_types(g)) == inv.keys(h, pc._cycle_types(h))
    reps = G.class_permutations().astype(np.int64)
    keys = inv.keys(reps, pc._cycle_types(reps))
    assert all(k[0] == cycle_type(r) for k, r in zip(keys, reps))
    if name in ("S3 wr S2", "S2 wr S3"):
        assert inv.blocks
    if name == "S2 wr S3":                      # 10 classes, 8 cycle types: the blocks separate all 10
        assert len(set(keys)) > len(set(G.class_cycle_types()))
    if name in ("intransitive", "S4 x S3"):
        assert inv.orbits and not inv.blocks


def test_block_system_of_a_wreath_product():
    chain = stabilizer_chain(np.array(wreath(4, 3)))
    inv = pc._Invariants(chain)
    natural = [tuple(b.tolist()) for b, _ in inv.blocks]
    assert tuple((np.arange(12) // 4).tolist()) in natural


# ---------------------------------------------------------------------- each pruning and fallback is exact
def test_exact_without_shortcuts(monkeypatch):
    """The budgeted quick test always falling back, and every sample tested: the same classes."""
    monkeypatch.setattr(pc, "_QUICK_BUDGET", 0)
    monkeypatch.setattr(pc, "_TEST_EVERY", 1)
    G = gm.from_permutations(wreath(3, 2), recognize=False)
    chain = G.stabilizer_chain()
    data = random_classes(chain, seed=4)
    assert Counter(zip(data.cycle_types, data.sizes)) == Counter(zip(G.class_cycle_types(),
                                                                     G.class_sizes().tolist()))
    x = G.random_element(seed=1, size=30)
    listed = G.class_index(data.representatives)
    assert np.array_equal(listed[class_index_of(chain, data, x)], G.class_index(x))


@pytest.mark.parametrize("name", ["PSL(2,7) on 8", "M11", "intransitive", "S3 wr S2"])
def test_exact_test_through_the_candidates_chain(monkeypatch, name):
    """class_index_of with the quick test switched off: the exact test through each element's own chain,
    its first leader pruned by the orbits of the representative's centraliser."""
    G = gm.from_permutations(GROUPS[name][0], recognize=False)
    chain = G.stabilizer_chain()
    data = random_classes(chain, seed=0)
    monkeypatch.setattr(pc, "_QUICK_BUDGET", 0)
    x = G.random_element(seed=2, size=60)
    listed = G.class_index(data.representatives)
    assert np.array_equal(listed[class_index_of(chain, data, x)], G.class_index(x))


@pytest.mark.parametrize("name", ["S4 x S3", "intransitive", "S2 wr S3", "PSL(2,7) on 7"])
def test_fallback_conjugacy_test_on_random_pairs(monkeypatch, name):
    """The exact test (quick test off) for random representatives, conjugates and same-type elements, against
    the listed classes: covers representatives whose smallest point lies on a short cycle."""
    monkeypatch.setattr(pc, "_QUICK_BUDGET", 0)
    G = gm.from_permutations(GROUPS[name][0], recognize=False)
    chain = G.stabilizer_chain()
    P = G.perms.astype(np.int64)
    rng = np.random.default_rng(13)
    for r in P[rng.integers(0, len(P), 12)]:
        C = centralizer(chain, r)
        cls = pc._Class(r, cycle_type(r), pc._Frame(chain, r), C.strong_generators, C.order)
        y = P[rng.integers(0, len(P))]
        assert pc._is_conjugate_to(chain, cls, conj(y, r), None, {})
        same_type = [p for p in P[rng.integers(0, len(P), 40)] if cycle_type(p) == cycle_type(r)]
        for h in same_type[:4]:
            assert pc._is_conjugate_to(chain, cls, h, None, {}) == (G.class_index(h) == G.class_index(r))


def test_results_do_not_depend_on_the_seed():
    chain = stabilizer_chain(np.array(psl27_on_8()))
    a, b = random_classes(chain, seed=0), random_classes(chain, seed=np.random.default_rng(11))
    assert a.sizes == b.sizes and a.cycle_types == b.cycle_types
    assert a.centralizer_orders == b.centralizer_orders


def test_data_built_by_hand_is_usable():
    chain = stabilizer_chain(np.array(generic_alternating(5)))
    data = random_classes(chain)
    bare = ConjugacyClassData(data.representatives, data.sizes, data.centralizer_orders, data.cycle_types,
                              data.order)
    x = chain.random(20, np.random.default_rng(0))
    assert np.array_equal(class_index_of(chain, bare, x), class_index_of(chain, data, x))


# ---------------------------------------------------------------------- validation and budget
def test_inputs_are_checked():
    S4 = stabilizer_chain(np.array([perm(4, (0, 1)), perm(4, (0, 1, 2, 3))]))
    A4 = stabilizer_chain(np.array([perm(4, (0, 1, 2)), perm(4, (1, 2, 3))]))
    with pytest.raises(TypeError, match="chain"):
        centralizer(np.eye(3), [0, 1, 2])
    with pytest.raises(ValueError, match="g must have shape"):
        centralizer(S4, [0, 1, 2])
    with pytest.raises(ValueError, match="g must hold permutations"):
        centralizer(S4, [0, 0, 1, 2])
    with pytest.raises(TypeError, match="g must hold integers"):
        centralizer(S4, [0.0, 1.0, 2.0, 3.0])
    with pytest.raises(ValueError, match="g must be an element"):
        centralizer(A4, perm(4, (0, 1)))
    with pytest.raises(ValueError, match="h must be an element"):
        conjugating_element(A4, np.arange(4), perm(4, (0, 1)))
    with pytest.raises(ValueError, match="perms must have shape"):
        class_index_of(A4, random_classes(A4), np.arange(4))
    with pytest.raises(ValueError, match=r"perms must be an element.*row 1"):
        class_index_of(A4, random_classes(A4), [np.arange(4), perm(4, (0, 1))])
    with pytest.raises(ValueError, match="not the chain's group"):
        class_index_of(S4, random_classes(A4), [np.arange(4)])
    with pytest.raises(TypeError, match="data must be"):
        class_index_of(S4, {}, [np.arange(4)])
    with pytest.raises(TypeError, match="seed"):
        random_classes(S4, seed="x")
    with pytest.raises(ValueError, match="max_samples"):
        random_classes(S4, max_samples=0)


def test_sample_cap_is_a_clear_error():
    chain = stabilizer_chain(np.array(generic_symmetric(9)))
    with pytest.raises(RuntimeError, match="larger max_samples"):
        random_classes(chain, max_samples=1)


def test_memory_budget_is_asked(monkeypatch):
    chain = stabilizer_chain(np.array(generic_symmetric(8)))
    monkeypatch.setenv("GROUPMAT_MAX_BYTES", "1000")
    with pytest.raises(TooLargeError):
        random_classes(chain)


# ---------------------------------------------------------------------- through the group API
@pytest.mark.parametrize("name", ["PSL(2,7) on 8", "M11", "S4 x S3"])
def test_groups_over_the_listing_budget_answer_from_generators(monkeypatch, name):
    """When the listing is refused (as by the budget: here the refusal is forced, the sizes of these
    groups fit any budget), class_permutations/class_sizes/class_cycle_types/class_index of a
    PermutationGroup come from random_classes and agree with the listed classes (an independent
    computation). S_12 below meets the real budget."""
    gens, _ = GROUPS[name]
    listed = gm.from_permutations(gens, recognize=False)
    ref_sizes = listed.class_sizes()
    ref_types = listed.class_cycle_types()
    probe = listed.random_element(seed=3, size=200)
    ref_index = listed.class_index(probe)
    G = gm.from_permutations(gens, recognize=False)

    def refused():
        raise TooLargeError("the conjugacy classes would take too much (forced by the test)")

    monkeypatch.setattr(G, "_class_data", refused)
    with pytest.raises(TooLargeError):
        G.conjugacy_classes()                    # the listing is refused ...
    sizes, types, reps = G.class_sizes(), G.class_cycle_types(), G.class_permutations()   # ... these are not
    assert Counter(zip(types, sizes.tolist())) == Counter(zip(ref_types, ref_sizes.tolist()))
    assert G.contains(reps).all() and int(sizes.sum()) == G.order
    index = G.class_index(probe)
    # the same partition of the probe elements, and each probe's class has the listed size
    assert len(set(zip(index.tolist(), ref_index.tolist()))) == len(set(index.tolist())) == len(set(ref_index.tolist()))
    assert (sizes[index] == ref_sizes[ref_index]).all()


def test_symmetric_12_by_generic_generators_through_the_group():
    """S_12 given by two generic generators (479001600 elements, listing refused): 77 classes of sizes
    12!/z_lambda, class_index by cycle type."""
    G = gm.from_permutations(generic_symmetric(12), recognize=False)
    assert G.kind == "general" and G.order == math.factorial(12)
    types, sizes = G.class_cycle_types(), G.class_sizes()
    assert len(types) == 77 and sorted(types) == sorted(partitions(12))
    assert all(s == math.factorial(12) // centralizer_order(t) for t, s in zip(types, sizes.tolist()))
    x = G.random_element(seed=5, size=50)
    idx = G.class_index(x)
    assert [types[i] for i in idx.tolist()] == [cycle_type(p) for p in x]
