"""Stabiliser chains (Schreier-Sims) against SymPy and against brute-force closures.

Independent references: SymPy's ``PermutationGroup`` (its own Schreier-Sims: order, membership,
orbits, stabilisers) and, for small groups, the closure of the generators by breadth-first search on
tuples, sorted lexicographically (the element order the chain's ranks must reproduce).
"""
from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sympy.combinatorics import Permutation
from sympy.combinatorics import PermutationGroup as SymPyGroup

from groupmat.groups.schreier_sims import (StabilizerChain, compose, first_moved, invert, stabilizer_chain,
                                           symmetric_chain)
from groupmat.groups import schreier_sims as ss_module


def closure(gens, d):
    """All products of the generators (image tuples), by breadth-first search; sorted."""
    seen = {tuple(range(d))}
    frontier = list(seen)
    while frontier:
        new = []
        for p in frontier:
            for g in gens:
                q = tuple(int(g[i]) for i in p)          # p first, then g
                if q not in seen:
                    seen.add(q)
                    new.append(q)
        frontier = new
    return sorted(seen)


def random_generators(d, seeds):
    return np.array([np.random.default_rng(s).permutation(d) for s in seeds])


def wreath(k, m):
    """``S_k wr C_m`` on ``k m`` points: ``S_k`` on the first block and the cyclic shift of the blocks."""
    d = k * m
    swap = np.arange(d)
    swap[[0, 1]] = [1, 0]
    cyc = np.arange(d)
    cyc[:k] = np.roll(np.arange(k), -1)
    shift = (np.arange(d) + k) % d
    return np.array([swap, cyc, shift]), math.factorial(k) ** m * m


def check_chain(C: StabilizerChain, gens):
    """The defining properties: level k's strong generators fix every point < base[k] and move base[k]'s
    orbit onto itself; transversal row r maps base[k] to orbits[k][r] and lies in the stabiliser."""
    d = C.degree
    assert list(C.base) == sorted(C.base)
    for k, b in enumerate(C.base):
        S = C.level_generators(k)
        assert (S[:, :b] == np.arange(b)).all()
        U = C.transversal(k)
        assert np.array_equal(U[:, b], C.orbits[k])
        assert (U[:, :b] == np.arange(b)).all()
        assert set(S[:, C.orbits[k]].ravel().tolist()) <= set(C.orbits[k].tolist())
    # the generators are members; so are products of them
    assert C.contains(np.asarray(gens).reshape(-1, d)).all()


@given(st.integers(1, 7), st.lists(st.integers(0, 2**32 - 1), min_size=1, max_size=3))
@settings(max_examples=30, deadline=None)
def test_order_membership_and_lex_ranks_of_random_small_groups(d, seeds):
    gens = random_generators(d, seeds)
    C = stabilizer_chain(gens)
    elements = closure(gens, d)
    assert C.order == len(elements)
    check_chain(C, gens)
    # unranking 0..n-1 lists the group in lexicographic order; ranking inverts it
    listed = C.unrank(np.arange(C.order))
    assert [tuple(r) for r in listed.tolist()] == elements
    rank, ok = C.rank(np.array(elements))
    assert ok.all() and rank.tolist() == list(range(C.order))
    # membership of all permutations of d <= 6 points against the closure
    if d <= 6:
        import itertools

        allp = np.array(list(itertools.permutations(range(d))))
        inside = {tuple(e) for e in elements}
        assert C.contains(allp).tolist() == [tuple(p) in inside for p in allp.tolist()]
        assert C.rank(allp)[1].tolist() == [tuple(p) in inside for p in allp.tolist()]


@given(st.integers(9, 40), st.lists(st.integers(0, 2**32 - 1), min_size=1, max_size=3), st.integers(1, 4))
@settings(max_examples=15, deadline=None)
def test_against_sympy_on_random_groups(d, seeds, k):
    # random sparse permutations (products of k random transpositions) give groups of every size
    rng = np.random.default_rng(seeds[0])
    gens = []
    for s in seeds:
        r = np.random.default_rng(s)
        p = np.arange(d)
        for _ in range(k):
            i, j = r.choice(d, 2, replace=False)
            p[[i, j]] = p[[j, i]]
        gens.append(p)
    C = stabilizer_chain(np.array(gens))
    P = SymPyGroup([Permutation(g.tolist()) for g in gens])
    assert C.order == P.order()
    check_chain(C, gens)
    # membership: random elements of G are members, random permutations as SymPy says
    members = C.random(20, rng)
    assert all(P.contains(Permutation(m.tolist())) for m in members)
    others = np.array([rng.permutation(d) for _ in range(20)])
    assert C.contains(others).tolist() == [P.contains(Permutation(o.tolist())) for o in others]
    # ranks round-trip (the order may exceed int64 only for large d: skip then)
    if C.order <= 2**62:
        r = rng.integers(0, C.order, 50) if C.order > 1 else np.zeros(50, dtype=np.int64)
        back, ok = C.rank(C.unrank(r))
        assert ok.all() and np.array_equal(back, r)


@pytest.mark.parametrize("k, m", [(2, 25), (3, 12), (5, 10)])
def test_wreath_products_of_degree_36_to_50(k, m):
    gens, order = wreath(k, m)
    C = stabilizer_chain(gens)
    assert C.order == order
    check_chain(C, gens)
    P = SymPyGroup([Permutation(g.tolist()) for g in gens])
    rng = np.random.default_rng(0)
    # an element of S_d that breaks the blocks is not a member; block-preserving ones are
    bad = np.arange(k * m)
    bad[[0, k]] = [k, 0]                      # a transposition across two blocks
    assert not C.contains(bad[None, :])[0] and not P.contains(Permutation(bad.tolist()))
    g = C.random(5, rng)
    assert all(P.contains(Permutation(x.tolist())) for x in g)


def test_the_deterministic_test_alone_completes_a_chain():
    """Without the random phase: only the generators sifted in, then Sims' test adds what is missing."""
    for gens, order in [(wreath(3, 4)[0], 6**4 * 4), (np.array([np.roll(np.arange(9), 1), np.r_[1, 0, 2:9]]),
                                                        math.factorial(9)),
                        (np.array([np.r_[1, 2, 0, 3:7], np.r_[0, 1, 3, 4, 5, 6, 2]]), math.factorial(7) // 2)]:
        b = ss_module._Builder(gens.shape[1])
        for g in gens:
            b.add(g)
        assert b.order() < order                # the generators alone are not a strong generating set
        b.verify()
        assert b.order() == order
        C = b.freeze()
        check_chain(C, gens)
        P = SymPyGroup([Permutation(g.tolist()) for g in gens])
        assert P.order() == C.order


def test_known_order_is_checked_and_used():
    gens = np.array([np.roll(np.arange(12), 1), np.r_[1, 0, 2:12]])
    C = stabilizer_chain(gens, known_order=math.factorial(12))
    assert C.order == math.factorial(12)
    with pytest.raises(ValueError, match="order 479001600, not the stated 1000"):
        stabilizer_chain(gens, known_order=1000)


@pytest.mark.parametrize("m, even", [(1, False), (2, False), (2, True), (3, True), (6, False), (6, True), (9, True)])
def test_written_down_chains_of_symmetric_and_alternating_groups(m, even):
    d = m + 2
    support = np.arange(1, m + 1)                # points 1..m inside 0..m+1
    C = symmetric_chain(support, d, even)
    full = math.factorial(m)
    assert C.order == (max(1, full // 2) if even else full)
    check_chain(C, C.strong_generators)
    # the chain's lexicographic ranks agree with a brute-force listing of Sym/Alt on the support
    if m <= 6:
        import itertools

        rows = []
        for q in itertools.permutations(range(m)):
            p = np.arange(d)
            p[support] = support[list(q)]
            inv = sum(q[i] > q[j] for i in range(m) for j in range(i + 1, m))
            if not even or inv % 2 == 0:
                rows.append(p)
        assert np.array_equal(C.unrank(np.arange(C.order)), np.array(rows))
        assert C.rank(np.array(rows))[0].tolist() == list(range(C.order))


def test_kernels_compose_invert_first_moved():
    a, b = np.array([1, 0, 2]), np.array([0, 2, 1])
    ab = compose(a, b)
    assert (Permutation(a.tolist()) * Permutation(b.tolist())).array_form == ab.tolist()
    assert np.array_equal(compose(ab, invert(ab)), np.arange(3))
    assert first_moved(np.array([[0, 1, 2], [0, 2, 1]])).tolist() == [3, 1]


def test_trivial_and_identity_generators():
    C = stabilizer_chain(np.array([[0, 1, 2, 3]]))
    assert C.order == 1 and C.base == ()
    assert C.contains(np.array([[0, 1, 2, 3], [1, 0, 2, 3]])).tolist() == [True, False]
    assert C.unrank(np.array([0])).tolist() == [[0, 1, 2, 3]]
    C = stabilizer_chain(np.zeros((0, 3), dtype=np.int64), degree=3)
    assert C.order == 1
