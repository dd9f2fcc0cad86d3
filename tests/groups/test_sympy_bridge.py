"""``to_sympy`` / ``from_sympy`` round trips."""
from __future__ import annotations

import pytest
from hypothesis import given, settings
from sympy.combinatorics import Permutation
from sympy.combinatorics.named_groups import AlternatingGroup, CyclicGroup, DihedralGroup, SymmetricGroup

import groupmat as gm
from strategies import groups


@given(groups(max_order=24))
@settings(max_examples=15)
def test_to_sympy_round_trip(G):
    P = G.to_sympy()
    assert P.order() == G.order
    assert P.is_abelian == G.is_abelian
    H = gm.from_sympy(P)
    assert H.order == G.order
    assert H.invariants() == G.invariants()


def test_to_sympy_is_a_homomorphism():
    G = gm.dihedral(4)
    P = G.to_sympy()
    # the right regular action: g -> (h -> h g); SymPy's p*q applies p first
    images = {g: Permutation(G.mul(G.elements(), g).tolist()) for g in range(G.order)}
    for a in range(8):
        for b in range(8):
            assert images[a] * images[b] == images[G.mul(a, b)]
    assert all(P.contains(images[g]) for g in range(8))


def test_permutation_group_to_sympy_keeps_points_and_generators():
    S = gm.symmetric(4)
    P = S.to_sympy()
    assert P.degree == 4 and P.order() == 24
    assert [g.array_form for g in P.generators] == [S.perms[g].tolist() for g in S.generators]
    # same product convention: perm(a b) = perm(b)[perm(a)] and SymPy's a*b applies a first
    a, b = S.element("(0 1)"), S.element("(1 2 3)")
    pa, pb = Permutation(S.perms[a].tolist()), Permutation(S.perms[b].tolist())
    assert (pa * pb).array_form == S.perms[S.mul(a, b)].tolist()


@pytest.mark.parametrize("sym, ours", [
    (SymmetricGroup(4), gm.symmetric(4)),
    (AlternatingGroup(5), gm.alternating(5)),
    (DihedralGroup(6), gm.dihedral(6)),
    (CyclicGroup(9), gm.cyclic(9)),
])
def test_from_sympy_named_groups(sym, ours):
    G = gm.from_sympy(sym)
    assert G.order == sym.order() == ours.order
    assert G.degree == sym.degree
    assert G.invariants() == ours.invariants()
    assert len(G.conjugacy_classes()) == len(sym.conjugacy_classes())
    assert G.center().size == sym.center().order()
    assert gm.from_sympy(G.to_sympy()).perms.tolist() == G.perms.tolist()


def test_from_sympy_refuses_other_objects():
    with pytest.raises(TypeError, match="group must be a sympy.combinatorics.PermutationGroup, got int"):
        gm.from_sympy(5)
    with pytest.raises(TypeError, match="got CyclicGroup"):
        gm.from_sympy(gm.cyclic(3))
