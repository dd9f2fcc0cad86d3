"""Regression tests for reviewed defects of the group classes: huge orders, lazy labels, classes,
the exponent, and clear errors for malformed input."""
from __future__ import annotations

import math

import numpy as np
import pytest
import sympy

import groupmat as gm
from groupmat._validation import as_element_array


# ------------------------------------------------------------------ orders above 2^62
@pytest.mark.parametrize("make, what", [
    (lambda: gm.cyclic(2**62 + 1), "the order of C4611686018427387905"),
    (lambda: gm.dihedral(2**61 + 1), "the order of D"),
    (lambda: gm.dicyclic(2**60 + 1), "the order of Dic"),
    (lambda: gm.group("C3^40"), "the order of C3xC3"),
    (lambda: gm.sign_group(70), "the order of C2\\^70"),
    (lambda: gm.direct_product(gm.cyclic(2**31), gm.cyclic(2**32)), "the order of C2147483648xC4294967296"),
])
def test_orders_above_2_62_are_refused(make, what):
    with pytest.raises(ValueError, match=what + ".*above the largest supported group order 2\\*\\*62"):
        make()


def test_largest_orders_still_compute_exactly():
    from groupmat._validation import MAX_GROUP_ORDER, check_group_order

    G = gm.cyclic(2**62)
    assert G.mul(2**62 - 1, 2**62 - 1) == 2**62 - 2              # (a + b) mod n, no int64 wrap-around
    assert G.inv(1) == 2**62 - 1
    P = gm.direct_product(gm.cyclic(2**31), gm.cyclic(2**31))
    assert P.order == 2**62 == MAX_GROUP_ORDER
    a = P.combine(2**31 - 1, 2**31 - 1)
    assert P.components(P.mul(a, a)) == [2**31 - 2, 2**31 - 2]
    assert gm.sign_group(62).order == 2**62
    assert check_group_order(2**62) == 2**62


def test_huge_index_is_a_value_error_naming_the_argument():
    with pytest.raises(ValueError, match="a must hold element indices in 0..4611686018427387903, got an integer too large"):
        gm.cyclic(2**62).inv(2**65)
    with pytest.raises(ValueError, match="g must hold element indices"):
        as_element_array([2**70], 5, "g")


# ------------------------------------------------------------------ labels one at a time
def _zoo():
    return [gm.cyclic(7), gm.dihedral(5), gm.dicyclic(3), gm.quaternion(), gm.generalized_quaternion(16),
            gm.sign_group(3), gm.klein_four(), gm.direct_product(gm.cyclic(3), gm.dihedral(2)),
            gm.symmetric(4), gm.alternating(4), gm.from_permutations([[1, 2, 0, 4, 3]]),
            gm.semidirect_product(gm.cyclic(7), gm.cyclic(3), [lambda n: (2 * n) % 7]),
            gm.from_cayley_table([[0, 1], [1, 0]], labels=["+", "-"])]


@pytest.mark.parametrize("G", _zoo(), ids=lambda G: G.name)
def test_label_of_one_element_agrees_with_the_full_list(G):
    one_by_one = [G.label(g) for g in range(G.order)]       # computed while the list is still lazy
    assert one_by_one == G.labels
    assert all(G.element(lab) == g for g, lab in enumerate(one_by_one))


@pytest.mark.parametrize("G", [gm.cyclic(10**7), gm.dihedral(10**6), gm.dicyclic(10**6), gm.sign_group(24),
                               gm.symmetric(8), gm.direct_product(gm.cyclic(3000), gm.cyclic(3000))],
                         ids=lambda G: G.name)
def test_label_does_not_build_all_labels(G):
    lab = G.label(G.order - 1)
    assert callable(G._labels), "label(i) built the whole label list"
    if isinstance(G, gm.CyclicGroup):                          # parsed, not looked up in the list
        assert G.element(lab) == G.order - 1 and callable(G._labels)


# ------------------------------------------------------------------ classes
@pytest.mark.parametrize("G", _zoo(), ids=lambda G: G.name)
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


def test_class_of_reads_a_stored_array_not_the_class_list(monkeypatch):
    for G in (gm.cyclic(1000), gm.symmetric(4)):
        G.conjugacy_classes()
        monkeypatch.setattr(G, "conjugacy_classes", lambda: pytest.fail("class_of looped over the classes"))
        label = G.class_of()
        assert label.shape == (G.order,)


def test_returned_classes_are_independent_copies():
    for G in (gm.cyclic(5), gm.dihedral(4)):
        first = G.conjugacy_classes()
        first[1][:] = 0
        G.class_of()[:] = -1
        assert G.conjugacy_classes()[1].tolist() != [0] * len(first[1]) or len(first[1]) == 0
        assert (G.class_of() >= 0).all()


def test_abelian_classes_are_singletons_with_identity_first():
    # an abelian table group whose identity is not element 0
    G = gm.from_cayley_table(np.array([[2, 0, 1], [0, 1, 2], [1, 2, 0]]))
    assert G.identity == 1
    assert [c.tolist() for c in G.conjugacy_classes()] == [[1], [0], [2]]
    assert G.class_of().tolist() == [1, 0, 2]
    C = gm.cyclic(10**6)
    assert C.class_of()[[0, 5, 999_999]].tolist() == [0, 5, 999_999]
    assert len(C.conjugacy_classes()) == 10**6


# ------------------------------------------------------------------ exponent
@pytest.mark.parametrize("G", _zoo(), ids=lambda G: G.name)
def test_exponent_is_the_lcm_of_all_element_orders(G):
    brute = 1
    for g in range(G.order):
        brute = math.lcm(brute, int(sympy.Integer(G.element_order(g))))
    assert G.exponent() == brute


def test_exponent_does_not_take_every_element_order(monkeypatch):
    for G in (gm.symmetric(5), gm.cyclic(10**6), gm.direct_product(gm.cyclic(4), gm.cyclic(6))):
        sizes = []
        original = G.element_order
        monkeypatch.setattr(G, "element_order", lambda a, f=original: sizes.append(np.size(a)) or f(a))
        G.exponent()
        assert max(sizes) < G.order
    assert gm.symmetric(5).exponent() == 60 and gm.cyclic(10**6).exponent() == 10**6


# ------------------------------------------------------------------ malformed input
def test_ragged_cayley_table_is_a_clear_value_error():
    with pytest.raises(ValueError, match="table must be a square n x n array.*different lengths"):
        gm.from_cayley_table([[0, 1], [1]])
    from groupmat.groups.validate import validate_cayley_table

    with pytest.raises(ValueError, match="different lengths"):
        validate_cayley_table([[0, 1], [1]])


def test_unhashable_labels_are_a_type_error():
    with pytest.raises(TypeError, match="labels must be hashable.*labels\\[0\\] is a list"):
        gm.from_cayley_table([[0, 1], [1, 0]], labels=[["a"], ["b"]])
    with pytest.raises(TypeError, match="labels must be a sequence"):
        gm.from_cayley_table([[0, 1], [1, 0]], labels=5)


def test_from_permutations_needs_a_sequence():
    with pytest.raises(TypeError, match="generators must be a sequence of permutations.*got int"):
        gm.from_permutations(5)
    with pytest.raises(TypeError, match="generators\\[0\\] must be a 1-d integer image array"):
        gm.from_permutations([[0, [1]]])
