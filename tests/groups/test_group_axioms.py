"""Group axioms and the structural queries, for every constructor and for products (property tests)."""
from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import groupmat as gm
from strategies import groups, relabelled_table_group

NAMED = [
    gm.cyclic(1), gm.cyclic(2), gm.cyclic(7), gm.cyclic(12),
    gm.dihedral(1), gm.dihedral(2), gm.dihedral(3), gm.dihedral(8),
    gm.dicyclic(1), gm.dicyclic(3), gm.quaternion(), gm.groups.generalized_quaternion(16),
    gm.sign_group(0), gm.sign_group(1), gm.sign_group(3), gm.group("V4"),
    gm.symmetric(1), gm.symmetric(2), gm.symmetric(4), gm.alternating(1), gm.alternating(3), gm.alternating(5),
    gm.direct_product(gm.cyclic(4), gm.cyclic(2)), gm.direct_product(gm.dihedral(3), gm.quaternion()),
    gm.direct_product(gm.cyclic(2), gm.symmetric(3), gm.sign_group(1)),
    gm.semidirect_product(gm.cyclic(7), gm.cyclic(3), [lambda n: (2 * n) % 7]),
    gm.from_permutations([[1, 2, 3, 0], [3, 2, 1, 0]]),
    gm.from_cayley_table(gm.dihedral(4).cayley_table()),
]


def brute_table(G) -> np.ndarray:
    """The table by elementwise scalar calls of ``mul`` (independent of the vectorised builders)."""
    n = G.order
    return np.array([[G.mul(a, b) for b in range(n)] for a in range(n)])


def check_axioms(G) -> None:
    n = G.order
    T = G.cayley_table().astype(np.int64)
    e = G.elements()
    assert T.shape == (n, n) and T.min() >= 0 and T.max() < n
    # the cached table is the one of mul (also against broadcast calls)
    assert np.array_equal(T, G.mul(e[:, None], e[None, :]))
    # associativity (a b) c = a (b c), all triples
    ab_c = T[T[:, :, None], e[None, None, :]]          # (a b) c
    a_bc = T[e[:, None, None], T[None, :, :]]           # a (b c)
    assert np.array_equal(ab_c, a_bc), "associativity"
    # identity and inverses
    i = G.identity
    assert np.array_equal(T[i], e) and np.array_equal(T[:, i], e)
    inv = G.inv(e)
    assert np.all(T[e, inv] == i) and np.all(T[inv, e] == i)
    # Latin square
    assert np.all(np.sort(T, axis=0) == e[:, None]) and np.all(np.sort(T, axis=1) == e[None, :])
    # generators generate
    assert np.array_equal(G.closure(list(G.generators)), e)
    # labels: distinct, round trip
    labels = G.labels
    assert len(labels) == n and len(set(labels)) == n
    for g in range(n):
        assert G.element(G.label(g)) == g
    # is_abelian agrees with the table
    assert G.is_abelian == bool(np.array_equal(T, T.T))


@pytest.mark.parametrize("G", NAMED, ids=lambda G: G.name)
def test_axioms_named(G):
    check_axioms(G)
    if G.order <= 24:
        assert np.array_equal(brute_table(G), G.cayley_table())


@given(groups())
@settings(max_examples=25)
def test_axioms_random_groups(G):
    check_axioms(G)


def check_structure(G) -> None:
    n = G.order
    T = G.cayley_table().astype(np.int64)
    e = G.elements()
    inv = G.inv(e)
    # element orders: least k with g^k = e, by stepping through the table
    orders = np.zeros(n, dtype=np.int64)
    for g in range(n):
        x, k = g, 1
        while x != G.identity:
            x, k = T[x, g], k + 1
        orders[g] = k
    assert np.array_equal(G.element_order(e), orders)
    assert G.exponent() == int(np.lcm.reduce(orders))
    assert all(n % o == 0 for o in orders)
    for g in range(n):
        assert G.power(g, int(orders[g])) == G.identity
        assert G.power(g, -1) == inv[g]
    # conjugacy classes: the orbits of x -> g^-1 x g over all g
    conj = T[T[inv[:, None], e[None, :]], e[:, None]]   # conj[g, x] = g^-1 x g
    classes = G.conjugacy_classes()
    assert classes[0].tolist() == [G.identity]
    assert sorted(np.concatenate(classes).tolist()) == e.tolist()
    for c in classes:
        orbit = np.unique(conj[:, c[0]])
        assert np.array_equal(np.sort(c), orbit)
        assert n % c.size == 0
    class_of = G.class_of()
    for k, c in enumerate(classes):
        assert np.all(class_of[c] == k)
    # centre: elements commuting with everything
    central = np.flatnonzero(np.all(T == T.T, axis=1))
    assert np.array_equal(np.sort(G.center()), central)
    assert sum(c.size == 1 for c in classes) == central.size
    # conjugate and commutator
    a, b = e[:, None], e[None, :]
    assert np.array_equal(G.conjugate(a, b), T[T[inv[b], a], b])
    assert np.array_equal(G.commutator(a, b), T[T[inv[a], inv[b]], T[a, b]])


@pytest.mark.parametrize("G", NAMED, ids=lambda G: G.name)
def test_structure_named(G):
    check_structure(G)


@given(groups(max_order=32))
@settings(max_examples=20)
def test_structure_random_groups(G):
    check_structure(G)


@given(groups(max_order=32), st.integers(0, 2**32 - 1))
@settings(max_examples=20)
def test_relabelled_table_is_isomorphic(G, seed):
    H, p = relabelled_table_group(G, seed)
    e = H.elements()
    assert np.array_equal(p[H.mul(e[:, None], e[None, :])], G.mul(p[:, None], p[None, :]))
    assert p[H.identity] == G.identity
    assert np.array_equal(p[H.inv(e)], G.inv(p))
    assert np.array_equal(H.element_order(e), G.element_order(p))
    assert H.invariants() == G.invariants()
    assert H.is_isomorphic_candidate(G)


@given(groups())
@settings(max_examples=20)
def test_cayley_table_round_trip(G):
    T = G.cayley_table()
    H = gm.from_cayley_table(T, labels=G.labels)
    assert np.array_equal(H.cayley_table(), T)
    assert H.identity == G.identity
    assert H.labels == G.labels
    assert np.array_equal(H.inv(H.elements()), G.inv(G.elements()))
    assert not T.flags.writeable


# ---------------------------------------------------------------------------------- named conventions
def test_cyclic_is_addition_mod_n():
    G = gm.cyclic(9)
    a, b = np.meshgrid(np.arange(9), np.arange(9), indexing="ij")
    assert np.array_equal(G.mul(a, b), (a + b) % 9)
    assert G.generators == (1,) and G.identity == 0
    assert G.labels[:3] == ["e", "r", "r^2"] and G.element("r^5") == 5
    assert G.element_order(6) == 3
    assert gm.cyclic(1).generators == ()


@pytest.mark.parametrize("n", [1, 2, 3, 5, 8])
def test_dihedral_presentation(n):
    G = gm.dihedral(n)
    r, s = (1 % n if n > 1 else 0), n
    assert G.order == 2 * n
    for k in range(n):
        assert G.power(r, k) == k % n                          # element k is r^k
        assert G.mul(s, G.power(r, k)) == n + k                # element n + k is s r^k
    assert G.power(r, n) == 0 and G.mul(s, s) == 0
    assert G.mul(G.mul(s, r), s) == G.inv(r)                   # s r s = r^-1
    if n >= 3:
        assert not G.is_abelian and G.generators == (1, n)
    assert G.labels[n] == "s" and (n < 2 or G.labels[n + 1] == "s r")


@pytest.mark.parametrize("n", [1, 2, 3, 4, 6])
def test_dicyclic_presentation(n):
    G = gm.dicyclic(n)
    m = 2 * n
    a, x = 1, m
    assert G.order == 4 * n and G.generators == (a, x)
    assert G.power(a, m) == 0 and G.power(a, n) != 0
    assert G.mul(x, x) == G.power(a, n)                        # x^2 = a^n
    assert G.mul(G.mul(x, a), G.inv(x)) == G.inv(a)            # x a x^-1 = a^-1
    for k in range(m):
        assert G.mul(G.power(a, k), x) == m + k                # element 2n + k is a^k x
    assert np.all(G.element_order(np.arange(m, 2 * m)) == 4)
    assert G.center().size == (2 if n > 1 else 4)


def test_quaternion_relations():
    Q = gm.quaternion()
    i, j, k, m1 = (Q.element(s) for s in ("i", "j", "k", "-1"))
    assert Q.mul(i, i) == Q.mul(j, j) == Q.mul(k, k) == m1
    assert Q.mul(Q.mul(i, j), k) == m1                        # i j k = -1
    assert Q.mul(i, j) == k and Q.mul(j, i) == Q.element("-k")
    assert Q.center().tolist() == [0, 2]
    assert sorted(c.size for c in Q.conjugacy_classes()) == [1, 1, 2, 2, 2]


@pytest.mark.parametrize("order", [8, 16, 32, 64])
def test_generalized_quaternion(order):
    G = gm.groups.generalized_quaternion(order)
    assert G.order == order and G.name == f"Q{order}"
    orders, counts = np.unique(G.element_order(G.elements()), return_counts=True)
    # a unique element of order 2, and cyclic subgroup of index 2
    assert dict(zip(orders.tolist(), counts.tolist()))[2] == 1
    assert orders.max() == order // 2


def test_sign_group_is_xor_of_sign_vectors():
    G = gm.sign_group(3)
    a, b = np.meshgrid(np.arange(8), np.arange(8), indexing="ij")
    assert np.array_equal(G.mul(a, b), a ^ b)
    signs = G.signs(G.elements())
    assert np.array_equal(G.signs(G.mul(a, b)), G.signs(a) * G.signs(b))   # product of sign vectors
    for j, s in enumerate(G.generators):
        flip = np.ones(3, dtype=int)
        flip[j] = -1
        assert np.array_equal(signs[s], flip)                   # generator j flips coordinate j
    assert [tuple(v) for v in signs] == G.labels
    V4 = gm.group("V4")                                         # the Klein four-group is sign_group(2)
    assert V4.name == "V4" and V4.order == 4 and V4.structure == gm.sign_group(2).structure
    assert np.array_equal(V4.cayley_table(), gm.sign_group(2).cayley_table())


@given(st.integers(1, 40), st.integers(1, 40))
@settings(max_examples=15)
def test_direct_product_of_cyclic_orders(m, n):
    G = gm.direct_product(gm.cyclic(m), gm.cyclic(n))
    assert G.order == m * n
    assert G.exponent() == math.lcm(m, n)
    assert G.is_abelian and G.structured


# ---------------------------------------------------------------------------------- bad orders and input
@pytest.mark.parametrize("make, arg, name", [
    (gm.cyclic, 0, "n"), (gm.cyclic, -3, "n"), (gm.dihedral, 0, "n"), (gm.dihedral, -1, "n"),
    (gm.dicyclic, 0, "n"), (gm.dicyclic, -2, "n"), (gm.symmetric, 0, "n"), (gm.symmetric, -1, "n"),
    (gm.alternating, 0, "n"), (gm.alternating, -5, "n"), (gm.sign_group, -1, "k"),
    (gm.groups.generalized_quaternion, 0, "order"), (gm.groups.generalized_quaternion, -8, "order"),
    (gm.groups.generalized_quaternion, 4, "order"),
])
def test_nonpositive_orders_refused(make, arg, name):
    with pytest.raises(ValueError, match=rf"{name} must be an integer >="):
        make(arg)


@pytest.mark.parametrize("make", [gm.cyclic, gm.dihedral, gm.dicyclic, gm.symmetric, gm.alternating, gm.sign_group])
@pytest.mark.parametrize("arg", [2.0, "3", True, None, 2.5])
def test_non_integer_orders_refused(make, arg):
    with pytest.raises(TypeError, match="must be an integer"):
        make(arg)


def test_generalized_quaternion_needs_power_of_two():
    with pytest.raises(ValueError, match="power of two"):
        gm.groups.generalized_quaternion(24)


@pytest.mark.parametrize("G", [gm.cyclic(5), gm.dihedral(3), gm.symmetric(3), gm.quaternion(),
                               gm.direct_product(gm.cyclic(2), gm.cyclic(3)), gm.from_cayley_table([[0, 1], [1, 0]])],
                         ids=lambda G: G.name)
def test_mul_inv_refuse_bad_indices(G):
    n = G.order
    with pytest.raises(ValueError, match=rf"a must hold element indices in 0..{n - 1}, got {n}"):
        G.mul(n, 0)
    with pytest.raises(ValueError, match="b must hold element indices"):
        G.mul(0, [0, -1])
    with pytest.raises(TypeError, match="a must hold integer element indices"):
        G.inv(1.0)
    with pytest.raises(TypeError, match="b must hold integer"):
        G.mul(0, np.array([True]))
    with pytest.raises(ValueError, match="names no element"):
        G.element("no such label")
    with pytest.raises(TypeError, match="single element index"):
        G.label([0, 1])


def test_mul_broadcasts_and_returns_ints_for_scalars():
    G = gm.dihedral(4)
    assert isinstance(G.mul(1, 4), int) and isinstance(G.inv(3), int)
    out = G.mul(np.arange(8)[:, None], np.array([[1, 4]]))
    assert out.shape == (8, 2) and out.dtype == np.int64
    assert G.mul([], []).shape == (0,)
