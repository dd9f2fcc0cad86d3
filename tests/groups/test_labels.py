"""Element labels: one label at a time agrees with the full list, ``element`` inverts ``label``, and a label of
a group too large to list is still answered (from the family's formula)."""
from __future__ import annotations

import pytest

import groupmat as gm

ZOO = [gm.cyclic(7), gm.dihedral(5), gm.dicyclic(3), gm.quaternion(), gm.groups.generalized_quaternion(16),
       gm.sign_group(3), gm.group("V4"), gm.direct_product(gm.cyclic(3), gm.dihedral(2)),
       gm.symmetric(4), gm.alternating(4), gm.from_permutations([[1, 2, 0, 4, 3]]),
       gm.semidirect_product(gm.cyclic(7), gm.cyclic(3), [lambda n: (2 * n) % 7]),
       gm.from_cayley_table([[0, 1], [1, 0]], labels=["+", "-"]), gm.dihedral(6).subgroup([2, 6])]


@pytest.mark.parametrize("G", ZOO, ids=lambda G: G.name)
def test_label_of_one_element_agrees_with_the_full_list(G):
    one_by_one = [G.label(g) for g in range(G.order)]
    assert one_by_one == G.labels
    assert all(G.element(lab) == g for g, lab in enumerate(one_by_one))
    assert len(set(one_by_one)) == G.order


@pytest.mark.parametrize("G, last", [
    (gm.cyclic(2**62), f"r^{2**62 - 1}"),
    (gm.dihedral(2**61), f"s r^{2**61 - 1}"),
    (gm.dicyclic(2**60), f"a^{2**61 - 1} x"),
    (gm.sign_group(62), (-1,) * 62),
    (gm.direct_product(gm.cyclic(2**31), gm.dihedral(2**30)), (f"r^{2**31 - 1}", f"s r^{2**30 - 1}")),
], ids=lambda x: getattr(x, "name", ""))
def test_label_of_a_group_too_large_to_list(G, last):
    # listing 2^62 labels would never finish: the label comes from the family's formula
    assert G.label(G.order - 1) == last
    assert G.label(G.identity) in ("e", (1,) * 62, ("e", "e"))


def test_cyclic_labels_are_parsed_not_looked_up():
    G = gm.cyclic(2**62)
    assert G.element(f"r^{2**62 - 1}") == 2**62 - 1 and G.element("r") == 1 and G.element("e") == 0
    with pytest.raises(ValueError, match="names no element"):
        gm.cyclic(5).element("r^5")


def test_subgroup_labels_are_the_parents():
    G = gm.dihedral(6)
    H = G.subgroup([2, 6])
    assert H.labels == [G.label(int(g)) for g in H.embedding]
    assert H.label(H.order - 1) == G.label(int(H.embedding[-1]))
    assert H.element(G.label(int(H.embedding[1]))) == 1


@pytest.mark.parametrize("cls, n, default", [(gm.groups.CyclicGroup, 5, "C5"), (gm.groups.DihedralGroup, 4, "D4"),
                                             (gm.groups.DicyclicGroup, 3, "Dic3")])
def test_family_groups_take_a_name(cls, n, default):
    assert cls(n).name == default
    G = cls(n, name="my group")
    assert G.name == "my group" and G.order == cls(n).order and G.generators == cls(n).generators
    with pytest.raises(TypeError, match="name must be a string"):
        cls(n, name=5)
