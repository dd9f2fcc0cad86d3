"""What a group declares it is (``G.structure``) and its cyclic coordinates (``G.cyclic_coordinates()``).

Every constructor declares its family; an abelian group, however it was given (a Cayley table, permutations,
a subgroup), has cyclic coordinates: an isomorphism ``C_{m_1} x ... x C_{m_k} -> G`` checked here against
the group law itself (``elements[grid sum] == mul``) and for bijectivity.
"""
from __future__ import annotations

import numpy as np
import pytest
import sympy
from hypothesis import given, settings
from sympy.combinatorics.named_groups import DihedralGroup as SymPyDihedral

import groupmat as gm
from groupmat.groups import GroupStructure
from groupmat.groups.structure import FAMILIES, find_cyclic_coordinates
from strategies import abelian_tables, gap_groups, groups, relabelled_table_group

S = GroupStructure


def _c(n):
    return S("cyclic", (n,))


# ---------------------------------------------------------------------------------------------- declarations
DECLARED = [
    (lambda: gm.cyclic(1), _c(1)),
    (lambda: gm.cyclic(12), _c(12)),
    (lambda: gm.dihedral(1), S("dihedral", (1,))),
    (lambda: gm.dihedral(8), S("dihedral", (8,))),
    (lambda: gm.dicyclic(3), S("dicyclic", (3,))),
    (lambda: gm.quaternion(), S("dicyclic", (2,))),
    (lambda: gm.groups.generalized_quaternion(32), S("dicyclic", (8,))),
    (lambda: gm.sign_group(0), S("sign", (0,))),
    (lambda: gm.sign_group(3), S("sign", (3,))),
    (lambda: gm.symmetric(4), S("symmetric", (4,))),
    (lambda: gm.alternating(5), S("alternating", (5,))),
    (lambda: gm.from_permutations([[1, 2, 0, 3], [0, 1, 3, 2]]), S("permutation")),
    (lambda: gm.from_sympy(SymPyDihedral(4)), S("permutation")),
    (lambda: gm.from_cayley_table([[0, 1], [1, 0]]), S("table")),
    (lambda: gm.groups.TableGroup([[0, 1], [1, 0]]), S("table")),
    (lambda: gm.dihedral(4).subgroup([1]), S("subgroup")),
    (lambda: gm.direct_product(gm.cyclic(3), gm.dihedral(5)),
     S("direct_product", factors=(_c(3), S("dihedral", (5,))))),
    (lambda: gm.direct_product(gm.direct_product(gm.cyclic(2), gm.sign_group(2)), gm.symmetric(3)),
     S("direct_product", factors=(S("direct_product", factors=(_c(2), S("sign", (2,)))), S("symmetric", (3,))))),
    (lambda: gm.semidirect_product(gm.cyclic(7), gm.cyclic(3), [lambda n: (2 * n) % 7]),
     S("semidirect_product", factors=(_c(7), _c(3)))),
    (lambda: gm.semidirect_product(gm.group("C3xC3"), gm.cyclic(2), [lambda n: gm.group("C3xC3").inv(n)]),
     S("semidirect_product", factors=(S("direct_product", factors=(_c(3), _c(3))), _c(2)))),
]


@pytest.mark.parametrize("make, expected", DECLARED, ids=lambda x: getattr(x, "family", None))
def test_every_constructor_declares_its_structure(make, expected):
    G = make()
    assert G.structure == expected
    assert G.structure.family in FAMILIES
    hash(G.structure)                                        # frozen: usable as a key


@pytest.mark.parametrize("spec, expected", [
    ("C5", _c(5)),
    ("D6", S("dihedral", (6,))),
    ("S4", S("symmetric", (4,))),
    ("A5", S("alternating", (5,))),
    ("Q8", S("dicyclic", (2,))),
    ("Q16", S("dicyclic", (4,))),
    ("Dic3", S("dicyclic", (3,))),
    ("V4", S("sign", (2,))),
    ("C2^3", S("sign", (3,))),
    ("Sign2", S("sign", (2,))),
    ("C3^1", _c(3)),
    ("C4xC2", S("direct_product", factors=(_c(4), _c(2)))),
    ("D4^2", S("direct_product", factors=(S("dihedral", (4,)),) * 2)),
    ("(C2xC3)xS3", S("direct_product", factors=(S("direct_product", factors=(_c(2), _c(3))), S("symmetric", (3,))))),
    ("C2^2xC3", S("direct_product", factors=(S("sign", (2,)), _c(3)))),
])
def test_group_specs_declare_their_structure(spec, expected):
    assert gm.group(spec).structure == expected


@pytest.mark.parametrize("structure, shape", [
    (_c(7), (7,)),
    (S("sign", (0,)), (1,)),
    (S("sign", (3,)), (2, 2, 2)),
    (S("direct_product", factors=(_c(4), S("sign", (2,)), _c(3))), (4, 2, 2, 3)),
    (S("direct_product", factors=(S("direct_product", factors=(_c(2), _c(5))), _c(3))), (2, 5, 3)),
    (S("direct_product", factors=(_c(4), S("dihedral", (3,)))), None),
    (S("dihedral", (2,)), None),                              # abelian, but not declared as cyclic axes
    (S("table"), None),
])
def test_cyclic_shape(structure, shape):
    assert structure.cyclic_shape == shape


def test_unwrapped_one_factor_products():
    inner = S("dihedral", (4,))
    assert S("direct_product", factors=(S("direct_product", factors=(inner,)),)).unwrapped() == inner
    two = S("direct_product", factors=(inner, _c(2)))
    assert two.unwrapped() == two
    G = gm.direct_product(gm.dihedral(4))
    assert G.structure.unwrapped() == gm.dihedral(4).structure


def test_repr_names_only_what_is_declared():
    assert repr(_c(3)) == "GroupStructure(family='cyclic', params=(3,))"
    assert repr(S("table")) == "GroupStructure(family='table')"
    assert "factors=" in repr(gm.group("C2xC3").structure)


@pytest.mark.parametrize("args, exc, match", [
    (("ring",), ValueError, "family must be one of"),
    (("cyclic",), ValueError, "one parameter"),
    (("cyclic", (0,)), ValueError, "one parameter n >= 1"),
    (("dihedral", (3, 4)), ValueError, "one parameter"),
    (("cyclic", (2.5,)), TypeError, "params\\[0\\] must be a non-negative integer"),
    (("cyclic", (True,)), TypeError, "params\\[0\\]"),
    (("sign", (-1,)), TypeError, "non-negative"),
    (("table", (3,)), ValueError, "declares no params"),
    (("direct_product",), ValueError, "at least one factor"),
    (("direct_product", (), ("C3",)), TypeError, "factors\\[0\\] must be a GroupStructure"),
    (("semidirect_product", (), (S("table"),)), ValueError, "two factors"),
    (("cyclic", (3,), (S("table"),)), ValueError, "declares no factors"),
])
def test_structure_is_validated(args, exc, match):
    with pytest.raises(exc, match=match):
        S(*args)


def test_structure_params_become_a_tuple_of_ints():
    s = S("cyclic", [np.int64(5)])
    assert s.params == (5,) and type(s.params[0]) is int and s == _c(5)
    assert S("sign", (0,)).cyclic_shape == (1,)


# ---------------------------------------------------------------------------------------------- coordinates
def _is_isomorphism(G, coords, pairs=None, seed=0) -> None:
    """``p -> elements[p]`` is a bijection from the grid onto G that turns grid addition into ``mul``."""
    n, shape = G.order, tuple(coords.shape)
    assert int(np.prod(shape)) == n
    elements = np.arange(n) if coords.elements is None else coords.elements
    positions = np.arange(n) if coords.positions is None else coords.positions
    assert np.array_equal(np.sort(elements), np.arange(n))                  # a bijection
    assert np.array_equal(positions[elements], np.arange(n))                # positions is its inverse
    assert elements[0] == G.identity
    rng = np.random.default_rng(seed)
    if pairs is None and n <= 128:
        pa, pb = (a.ravel() for a in np.meshgrid(np.arange(n), np.arange(n), indexing="ij"))
    else:
        pa, pb = rng.integers(0, n, size=(2, pairs or 4000))
    ua, ub = np.unravel_index(pa, shape), np.unravel_index(pb, shape)
    grid_sum = np.ravel_multi_index(tuple((x + y) % m for x, y, m in zip(ua, ub, shape)), shape)
    assert np.array_equal(elements[grid_sum], G.mul(elements[pa], elements[pb]))


def _elementary_divisors(shape) -> tuple:
    """The prime-power orders of ``C_shape``, by prime, then decreasing (the order of the found axes)."""
    powers = []
    for m in shape:
        for p, e in sympy.factorint(m).items():
            powers.append((p, -p ** e))
    return tuple(-q for _, q in sorted(powers)) or (1,)


def _table_group(G, seed=1):
    return relabelled_table_group(G, seed)[0]


@pytest.mark.parametrize("shape", [(1,), (2,), (6,), (12, 6), (2, 2, 2, 2, 2), (9, 3), (8, 4, 2), (5, 5), (16,),
                                   (7, 1, 11)])
def test_found_coordinates_of_abelian_tables_are_isomorphisms(shape):
    G = gm.direct_product(*(gm.cyclic(m) for m in shape))
    H = _table_group(G)
    assert H.structure.family == "table"
    coords = H.cyclic_coordinates()
    assert coords.elements is not None and not coords.identity_order
    assert coords.shape == _elementary_divisors(shape)
    _is_isomorphism(H, coords)


@pytest.mark.parametrize("entry", [d for d in gap_groups() if d["abelian"]], ids=lambda d: d["name"])
def test_found_coordinates_of_gap_abelian_groups(entry):
    H = gm.from_cayley_table(entry["table"], name=entry["name"])
    coords = H.cyclic_coordinates()
    _is_isomorphism(H, coords)
    # element orders on the grid: the order of a grid point is the lcm of its axes' orders
    idx = np.unravel_index(np.arange(H.order), coords.shape)
    grid_orders = np.ones(H.order, dtype=np.int64)
    for c, m in zip(idx, coords.shape):
        grid_orders = np.lcm(grid_orders, m // np.gcd(c, m))
    assert np.array_equal(H.element_order(coords.elements), grid_orders)


@given(abelian_tables())
@settings(max_examples=30)
def test_found_coordinates_of_random_abelian_tables(data):
    H, shape = data
    coords = find_cyclic_coordinates(H)
    assert coords.shape == _elementary_divisors(shape)
    _is_isomorphism(H, coords, pairs=2000)


def test_coordinates_of_abelian_permutation_groups_and_subgroups():
    # disjoint cycles of lengths 8, 9 and 5: C8 x C9 x C5 on 22 points
    def cycle(start, length):
        p = np.arange(22)
        p[start:start + length] = np.roll(np.arange(start, start + length), -1)
        return p
    P = gm.from_permutations([cycle(0, 8), cycle(8, 9), cycle(17, 5)])
    assert P.structure.family == "permutation" and P.order == 360
    coords = P.cyclic_coordinates()
    assert coords.shape == (8, 9, 5)
    _is_isomorphism(P, coords)
    # a subgroup is declared "subgroup"; its coordinates come from its own law
    D = gm.dihedral(12)
    R = D.subgroup([2])                                         # <r^2>, cyclic of order 6
    coords = R.cyclic_coordinates()
    assert coords.shape == (2, 3)
    _is_isomorphism(R, coords)


@pytest.mark.parametrize("G", [gm.cyclic(1), gm.cyclic(30), gm.sign_group(0), gm.sign_group(4),
                               gm.group("C12xC6"), gm.group("C2^2xC3"),
                               gm.direct_product(gm.group("C4xC2"), gm.cyclic(3))],
                         ids=lambda G: G.name)
def test_declared_families_are_in_grid_order(G):
    coords = G.cyclic_coordinates()
    assert coords.identity_order and coords.positions is None and coords.nbytes == 0
    assert coords.shape == G.structure.cyclic_shape
    _is_isomorphism(G, coords)


@pytest.mark.parametrize("G", [gm.dihedral(3), gm.quaternion(), gm.symmetric(3), gm.alternating(4),
                               gm.group("D3xC4"), _table_group(gm.dihedral(4)),
                               gm.semidirect_product(gm.cyclic(7), gm.cyclic(3), [lambda n: (2 * n) % 7])],
                         ids=lambda G: G.name)
def test_non_abelian_groups_have_no_coordinates(G):
    assert G.cyclic_coordinates() is None
    with pytest.raises(ValueError, match="G must be abelian"):
        find_cyclic_coordinates(G)


@pytest.mark.parametrize("G", [gm.dihedral(1), gm.dihedral(2), gm.dicyclic(1), gm.symmetric(2), gm.alternating(3),
                               gm.group("D2xC3")], ids=lambda G: G.name)
def test_abelian_groups_of_other_families_get_coordinates(G):
    coords = G.cyclic_coordinates()
    assert coords is not None and not coords.identity_order
    _is_isomorphism(G, coords)


def test_found_coordinates_are_kept_once_and_read_only():
    H = _table_group(gm.group("C6xC4"))
    first = H.cyclic_coordinates()
    assert H.cyclic_coordinates() is first
    for a in (first.elements, first.positions):
        assert not a.flags.writeable
        with pytest.raises(ValueError, match="read-only"):
            a[0] = 1
    assert first.nbytes == first.elements.nbytes + first.positions.nbytes


@given(groups(max_order=48))
@settings(max_examples=25)
def test_coordinates_exist_exactly_for_abelian_groups(G):
    coords = G.cyclic_coordinates()
    assert (coords is not None) == G.is_abelian
    if coords is not None:
        _is_isomorphism(G, coords, pairs=1000)
