"""The public kernels of a group that other packages build on, checked against the checked API and the
Cayley table: ``mul_unchecked``, ``inv_unchecked``, ``inverses``, ``power_array``, ``generator_powers``,
``spanning_tree``, ``cayley_table``/``has_cayley_table``, and what a group keeps in its memo (read-only)."""
from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import groupmat as gm
from strategies import groups

ZOO = [gm.cyclic(7), gm.dihedral(5), gm.quaternion(), gm.sign_group(3), gm.symmetric(4), gm.alternating(4),
       gm.group("C4xD3"), gm.semidirect_product(gm.cyclic(7), gm.cyclic(3), [lambda n: (2 * n) % 7]),
       gm.from_permutations([[1, 2, 0, 4, 3]]), gm.from_cayley_table(gm.dihedral(4).cayley_table()),
       gm.dihedral(6).subgroup([2, 6])]


def _table(G):
    return np.asarray(G.cayley_table(), dtype=np.int64)


# ---------------------------------------------------------------------------------------------- unchecked
@given(groups(), st.integers(0, 2**32 - 1))
@settings(max_examples=25)
def test_unchecked_kernels_agree_with_the_table(G, seed):
    rng = np.random.default_rng(seed)
    a = rng.integers(0, G.order, size=(3, 5))
    b = rng.integers(0, G.order, size=(1, 5))
    T = _table(G)
    ab = G.mul_unchecked(a, b)
    assert ab.dtype == np.int64 and ab.shape == (3, 5)
    assert np.array_equal(ab, T[a, b])                                 # broadcasting like mul
    inv = G.inv_unchecked(a)
    assert np.array_equal(T[a, inv], np.full(a.shape, G.identity))
    assert np.array_equal(inv, G.inv(a))


@pytest.mark.parametrize("G", ZOO, ids=lambda G: G.name)
def test_inverses_are_the_inverse_array_and_read_only(G):
    inv = G.inverses()
    e = G.elements()
    assert inv.dtype == np.int64 and np.array_equal(_table(G)[e, inv], np.full(G.order, G.identity))
    assert G.inverses() is inv                                         # computed once
    with pytest.raises(ValueError, match="read-only"):
        inv[0] = 1
    assert np.array_equal(G.inverses(), G.inv(e))


# ---------------------------------------------------------------------------------------------- powers
@pytest.mark.parametrize("G", ZOO, ids=lambda G: G.name)
def test_power_array_is_elementwise_power(G):
    rng = np.random.default_rng(3)
    a = rng.integers(0, G.order, size=40)
    k = rng.integers(-2 * G.order, 2 * G.order, size=40)
    out = G.power_array(a, k)
    assert out.shape == a.shape and out.dtype == np.int64
    T = _table(G)
    inv = G.inverses()
    for g, e, got in zip(a.tolist(), k.tolist(), out.tolist()):       # repeated products from the table
        x, base = G.identity, (inv[g] if e < 0 else g)
        for _ in range(abs(e)):
            x = T[x, base]
        assert got == x == G.power(g, e)
    # one exponent for many elements, and the empty case
    assert np.array_equal(G.power_array(a, np.int64(3)), G.power(a, 3))
    assert G.power_array(np.array([], dtype=np.int64), np.array([], dtype=np.int64)).shape == (0,)
    assert np.array_equal(G.power_array(a, np.zeros(40, dtype=np.int64)), np.full(40, G.identity))


@pytest.mark.parametrize("G", ZOO, ids=lambda G: G.name)
def test_generator_powers_are_repeated_squares(G):
    gens = G.generators
    triples = G.generator_powers(gens)
    orders = {s: G.element_order(s) for s in gens}
    expected = [(G.power(s, 2**j), i, j) for i, s in enumerate(gens) if s != G.identity
                for j in range(orders[s].bit_length()) if 2**j < orders[s]]
    assert triples == expected
    assert G.generator_powers([]) == [] and G.generator_powers([G.identity]) == []


# ---------------------------------------------------------------------------------------------- spanning tree
@pytest.mark.parametrize("G", ZOO, ids=lambda G: G.name)
@pytest.mark.parametrize("use_right", [False, True])
def test_spanning_tree_reaches_every_element_once_from_known_ones(G, use_right):
    steps = [s for s, _, _ in G.generator_powers(G.generators)]
    right = [G.mul(G.elements(), s) for s in steps] if use_right else None
    known = {G.identity}
    for k, fresh, src in G.spanning_tree(steps, right):
        assert np.array_equal(fresh, G.mul(src, steps[k]))            # fresh = src * steps[k]
        assert set(src.tolist()) <= known                               # parents came first
        assert not set(fresh.tolist()) & known                          # every element once
        known |= set(fresh.tolist())
    assert known == set(range(G.order))


def test_spanning_tree_refuses_steps_that_do_not_generate():
    G = gm.dihedral(4)
    with pytest.raises(RuntimeError, match="do not generate it: 4 of 8 elements reached"):
        list(G.spanning_tree([1]))
    assert list(gm.cyclic(1).spanning_tree([])) == []


# ---------------------------------------------------------------------------------------------- tables
def test_has_cayley_table_says_when_the_table_is_at_hand():
    G = gm.dihedral(6)
    assert not G.has_cayley_table()
    T = G.cayley_table()
    assert G.has_cayley_table() and G.cayley_table() is T
    assert gm.from_cayley_table([[0, 1], [1, 0]]).has_cayley_table()       # given: at hand from the start
    P = gm.symmetric(3)
    assert not P.has_cayley_table()
    P.cayley_table()
    assert P.has_cayley_table()


@pytest.mark.parametrize("G", ZOO, ids=lambda G: G.name)
def test_cayley_table_and_inverses_are_read_only(G):
    T = G.cayley_table()
    with pytest.raises(ValueError, match="read-only"):
        T[0, 0] = 1
    with pytest.raises(ValueError, match="read-only"):
        G.inverses()[:] = 0


def test_table_group_copies_the_callers_table():
    T = np.array([[0, 1], [1, 0]])
    G = gm.from_cayley_table(T)
    T[0, 0] = 1                                                        # the caller's array stays theirs
    assert G.cayley_table()[0, 0] == 0 and T.flags.writeable


# ---------------------------------------------------------------------------------------------- memo
def test_a_group_keeps_its_results_in_its_memo():
    G = gm.symmetric(4)
    assert isinstance(G.memo, gm.caching.Memo) and G.memo.nbytes == 0
    G.inverses()
    G.conjugacy_classes()
    assert {"inverses", "classes"} <= set(G.memo.keys("groups.core"))
    assert G.memo.nbytes > 0
    G.memo.clear()                                                     # dropped entries are recomputed
    assert G.memo.nbytes == 0
    assert np.array_equal(G.inverses(), G.inv(G.elements()))
