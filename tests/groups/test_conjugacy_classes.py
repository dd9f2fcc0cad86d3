"""Conjugacy classes, ``class_of``, centres and the exponent: against conjugation and element orders by brute
force, returned as copies (an edit never changes a later answer), and never enumerating more than needed."""
from __future__ import annotations

import math

import numpy as np
import pytest
import sympy

import groupmat as gm

ZOO = [gm.cyclic(7), gm.dihedral(5), gm.dicyclic(3), gm.quaternion(), gm.groups.generalized_quaternion(16),
       gm.sign_group(3), gm.group("V4"), gm.direct_product(gm.cyclic(3), gm.dihedral(2)),
       gm.symmetric(4), gm.alternating(4), gm.from_permutations([[1, 2, 0, 4, 3]]),
       gm.semidirect_product(gm.cyclic(7), gm.cyclic(3), [lambda n: (2 * n) % 7]),
       gm.from_cayley_table([[0, 1], [1, 0]], labels=["+", "-"]), gm.dihedral(6).subgroup([2, 6])]


@pytest.mark.parametrize("G", ZOO, ids=lambda G: G.name)
def test_classes_and_class_of_agree_with_conjugation(G):
    classes = G.conjugacy_classes()
    assert classes[0].tolist() == [G.identity]
    assert sorted(np.concatenate(classes).tolist()) == list(range(G.order))
    label = G.class_of()
    for k, c in enumerate(classes):
        assert (label[c] == k).all()
    # brute force: g ~ h iff h = x^-1 g x for some x
    e = G.elements()
    conj = G.conjugate(e[:, None], e[None, :])
    for c in classes:
        assert sorted(set(conj[c[0]].tolist())) == c.tolist()


@pytest.mark.parametrize("G", [gm.cyclic(5), gm.dihedral(4), gm.symmetric(4), gm.group("C3xS3"),
                               gm.from_cayley_table(gm.quaternion().cayley_table())], ids=lambda G: G.name)
def test_returned_classes_are_copies_that_do_not_poison_later_calls(G):
    classes = [c.tolist() for c in G.conjugacy_classes()]
    class_of = G.class_of().tolist()
    center = G.center().tolist()
    for c in G.conjugacy_classes():
        c[:] = G.identity                                               # edit what was handed out
    G.class_of()[:] = -1
    G.center()[:] = -1
    assert [c.tolist() for c in G.conjugacy_classes()] == classes
    assert G.class_of().tolist() == class_of
    assert G.center().tolist() == center
    assert G.exponent() == int(np.lcm.reduce(G.element_order(G.elements())))


def test_abelian_classes_are_singletons_with_identity_first():
    # an abelian table group whose identity is not element 0
    G = gm.from_cayley_table(np.array([[2, 0, 1], [0, 1, 2], [1, 2, 0]]))
    assert G.identity == 1
    assert [c.tolist() for c in G.conjugacy_classes()] == [[1], [0], [2]]
    assert G.class_of().tolist() == [1, 0, 2]
    C = gm.cyclic(10**6)
    assert C.class_of()[[0, 5, 999_999]].tolist() == [0, 5, 999_999]
    assert len(C.conjugacy_classes()) == 10**6


@pytest.mark.parametrize("G", ZOO, ids=lambda G: G.name)
def test_exponent_is_the_lcm_of_all_element_orders(G):
    brute = 1
    for g in range(G.order):
        brute = math.lcm(brute, int(sympy.Integer(G.element_order(g))))
    assert G.exponent() == brute


@pytest.mark.parametrize("G, exponent", [
    (gm.cyclic(2**62), 2**62),
    (gm.direct_product(gm.cyclic(2**31), gm.cyclic(3**19)), 2**31 * 3**19),
    (gm.sign_group(62), 2),
    (gm.direct_product(gm.cyclic(4), gm.cyclic(6)), 12),
])
def test_exponent_of_an_abelian_group_needs_only_its_generators(G, exponent):
    # these groups are far too large to list their elements: the exponent comes from the generators
    assert G.exponent() == exponent
