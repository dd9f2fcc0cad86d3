"""Subgroups, embeddings, left and right cosets, normality."""
from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import groupmat as gm
from strategies import groups


@given(st.data())
@settings(max_examples=25)
def test_subgroup_cosets_normality(data):
    G = data.draw(groups(max_order=32))
    n = G.order
    gens = data.draw(st.lists(st.integers(0, n - 1), max_size=2))
    H = G.subgroup(gens)
    emb = H.embedding
    m = H.order
    T = G.cayley_table().astype(np.int64)
    # H is the closure of the generators, a group, embedded homomorphically
    assert np.array_equal(emb, np.sort(emb)) and emb[H.identity] == G.identity
    assert set(gens) <= set(emb.tolist())
    assert n % m == 0                                              # Lagrange
    h = H.elements()
    assert np.array_equal(emb[H.mul(h[:, None], h[None, :])], T[emb[:, None], emb[None, :]])
    assert np.array_equal(emb[H.inv(h)], G.inv(emb))
    assert H.parent is G and [G.label(int(g)) for g in emb] == H.labels
    assert np.array_equal(G.closure([int(emb[s]) for s in H.generators]), emb)
    # left cosets g H: a partition of G into n/m sets of size m, each equal to g H for its members
    for cosets, side in ((G.left_cosets(H), "left"), (G.right_cosets(H), "right")):
        assert len(cosets) == n // m
        assert sorted(np.concatenate(cosets).tolist()) == list(range(n))
        assert all(c.size == m for c in cosets)
        assert np.array_equal(cosets[0], emb)                      # H itself first
        for c in cosets:
            g = int(c[0])
            expected = T[g, emb] if side == "left" else T[emb, g]
            assert np.array_equal(np.sort(expected), c)
    # passing the element indices gives the same cosets
    assert [c.tolist() for c in G.left_cosets(emb)] == [c.tolist() for c in G.left_cosets(H)]
    # normal iff g H g^-1 = H for all g (brute force), iff left cosets == right cosets
    inv = G.inv(G.elements())
    normal = all(set(T[T[g, emb], inv[g]].tolist()) == set(emb.tolist()) for g in range(n))
    assert G.is_normal(H) == normal
    lc = {frozenset(c.tolist()) for c in G.left_cosets(H)}
    rc = {frozenset(c.tolist()) for c in G.right_cosets(H)}
    assert (lc == rc) == normal


def test_subgroup_examples():
    D = gm.dihedral(4)
    rot = D.subgroup([1])
    assert rot.order == 4 and D.is_normal(rot) and rot.labels == ["e", "r", "r^2", "r^3"]
    refl = D.subgroup([4])
    assert refl.order == 2 and not D.is_normal(refl)
    assert D.subgroup([]).order == 1 and D.subgroup([0]).order == 1
    assert D.subgroup([1, 4]).order == 8
    Z = D.subgroup(D.center())
    assert Z.order == 2 and D.is_normal(Z)
    assert D.subgroup(D.elements()).order == 8
    S4 = gm.symmetric(4)
    A4 = S4.subgroup([S4.element("(0 1 2)"), S4.element("(1 2 3)")])
    assert A4.order == 12 and S4.is_normal(A4) and len(S4.left_cosets(A4)) == 2
    V = S4.subgroup([S4.element("(0 1)(2 3)"), S4.element("(0 2)(1 3)")])
    assert V.order == 4 and S4.is_normal(V)


def test_subgroup_of_subgroup_and_restriction_chain():
    G = gm.dihedral(6)
    H = G.subgroup([2, 6])            # <r^2, s>, a D3
    K = H.subgroup([1])               # inside H
    assert H.order == 6 and K.parent is H
    assert np.array_equal(H.embedding[K.embedding], G.closure([H.embedding[1]]))


def test_coset_refusals():
    G = gm.dihedral(4)
    with pytest.raises(ValueError, match="H must be a subgroup"):
        G.left_cosets([0, 1])                      # not closed
    with pytest.raises(ValueError, match="H must be a subgroup"):
        G.right_cosets([])
    with pytest.raises(ValueError, match="H must be a subgroup of D4 made by G.subgroup"):
        G.left_cosets(gm.dihedral(4).subgroup([1]))   # a subgroup of another group object
    with pytest.raises(ValueError, match="H must be a subgroup of D4"):
        G.is_normal(gm.cyclic(2))
    with pytest.raises(ValueError, match="H must hold element indices in 0..7"):
        G.left_cosets([0, 8])
    with pytest.raises(ValueError, match="elements must hold element indices"):
        G.subgroup([9])


def test_subgroup_is_a_declared_type_with_its_embedding():
    G = gm.symmetric(4)
    H = G.subgroup([G.element("(0 1 2 3)"), G.element("(0 2)")])      # a dihedral group of order 8
    assert isinstance(H, gm.groups.Subgroup) and isinstance(H, gm.FiniteGroup)
    assert H.parent is G and H.structure.family == "subgroup"
    emb = H.embedding
    assert emb.dtype == np.int64 and np.array_equal(emb, np.sort(emb)) and H.order == 8
    assert not emb.flags.writeable
    with pytest.raises(ValueError, match="read-only"):
        emb[0] = 1
    # the embedding is a homomorphism: emb[a b] = emb[a] emb[b], emb[a^-1] = emb[a]^-1
    e = H.elements()
    assert np.array_equal(emb[H.mul(e[:, None], e[None, :])], G.mul(emb[:, None], emb[None, :]))
    assert np.array_equal(emb[H.inverses()], G.inverses()[emb])
    assert emb[H.identity] == G.identity
    assert H.is_isomorphic_candidate(gm.dihedral(4))
    assert [emb[g] for g in H.generators] and G.closure(emb[list(H.generators)]).tolist() == emb.tolist()


def test_subgroup_constructor_checks_its_members_and_copies_them():
    G = gm.dihedral(4)
    members = np.array([2, 0])
    H = gm.groups.Subgroup(G, members, name="<r^2>")
    assert H.embedding.tolist() == [0, 2] and members.flags.writeable      # the caller's array is untouched
    members[0] = 5
    assert H.embedding.tolist() == [0, 2]
    with pytest.raises(ValueError, match="closed under products: r \\* r is not among them"):
        gm.groups.Subgroup(G, [0, 1], name="bad")
    with pytest.raises(ValueError, match="members must hold the identity"):
        gm.groups.Subgroup(G, [2], name="bad")
    with pytest.raises(ValueError, match="members must hold element indices in 0..7"):
        gm.groups.Subgroup(G, [0, 8], name="bad")
    with pytest.raises(TypeError, match="parent must be a FiniteGroup"):
        gm.groups.Subgroup("D4", [0], name="bad")
