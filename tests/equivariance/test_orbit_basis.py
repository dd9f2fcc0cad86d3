"""The orbit basis of Hom_G between permutation representations known by their generators.

Checked against: the basis of ``equivariant_basis`` (orbits found on all pairs at once), the
levelled algorithm forced on small cases (stabilisers, one coordinate at a time), Bell numbers and
falling factorials for S_n on tuples, Burnside's count from the characters, and the Reynolds average
over all elements of the group.
"""
from __future__ import annotations

import math

import numpy as np
import pytest

import groupmat as gm
import groupmat.equivariance.orbits as orbits
from groupmat.equivariance import orbit_basis, tuple_orbits
from groupmat.reps import PermutationAction, natural_action, natural_representation


def _stirling2(n: int, k: int) -> int:
    """Set partitions of n things into exactly k blocks."""
    return sum((-1) ** i * math.comb(k, i) * (k - i) ** n for i in range(k + 1)) // math.factorial(k)


def _sn_action(n: int) -> PermutationAction:
    """S_n's action on n points by its two usual generators (an n-cycle and a transposition), attached
    to a group object with two generators: the orbits depend only on the generators' permutations, so
    nothing of S_n is enumerated."""
    cycle = np.roll(np.arange(n), -1)
    swap = np.arange(n)
    swap[[0, 1]] = [1, 0]
    return PermutationAction(gm.sign_group(2), np.stack([cycle, swap]), name=f"S{n} on {n} points")


@pytest.fixture
def levelled(monkeypatch):
    """Force the stabiliser route on every problem of more than 4 tuples."""
    monkeypatch.setattr(orbits, "DIRECT_MAX", 4)


CASES = [gm.symmetric(4), gm.alternating(5), gm.from_permutations([[1, 2, 3, 4, 5, 0], [1, 0, 2, 3, 4, 5]]),
         gm.dihedral(5), gm.group("C2xC3")]


def _pair(G):
    """A permutation representation of G and its action (natural for permutation groups, else regular)."""
    rho = natural_representation(G) if hasattr(G, "degree") else gm.regular_representation(G)
    return rho, PermutationAction.from_representation(rho)


@pytest.mark.parametrize("G", CASES, ids=lambda G: G.name)
@pytest.mark.parametrize("route", ["direct", "levelled"])
def test_orbit_basis_equals_the_basis_from_all_pairs(G, route, request):
    if route == "levelled":
        request.getfixturevalue("levelled")
    rho, V = _pair(G)
    r2 = gm.tensor(rho, rho)
    for r_in, r_out, a_in, a_out in [(rho, rho, V, V), (r2, rho, V * V, V), (rho, r2, V, V * V), (r2, r2, V * V, V * V),
                                     (rho + r2, r2 + rho, V + V * V, V * V + V)]:
        B = orbit_basis(a_in, a_out)
        E = gm.equivariant_basis(r_in, r_out)
        assert B.dim == E.shape[0] == gm.hom_dimension(r_in, r_out)    # Burnside's count from the characters
        np.testing.assert_allclose(B.dense(), E, atol=1e-12)             # the same orbits in the same order
        assert (gm.equivariant_basis(a_in, a_out, sparse=True) != gm.equivariant_basis(r_in, r_out, sparse=True)).nnz == 0


@pytest.mark.parametrize("n", [2, 3, 5, 20])
def test_symmetric_group_on_tuples_bell_numbers_and_falling_factorials(n):
    V = _sn_action(n)
    for a, b in [(1, 1), (1, 2), (2, 2), (1, 3)]:
        B = orbit_basis(V ** a, V ** b)
        m = a + b
        # orbits of S_n on m-tuples are the set partitions of the m positions into at most n blocks;
        # an orbit with k blocks has n (n-1) ... (n-k+1) tuples
        assert B.dim == sum(_stirling2(m, k) for k in range(1, min(m, n) + 1))
        expected = sorted(math.perm(n, k) for k in range(1, min(m, n) + 1) for _ in range(_stirling2(m, k)))
        assert sorted(B.counts.tolist()) == expected
        assert B.counts.sum() == n ** m


def test_large_tensor_power_is_found_through_stabilisers():
    n = 20                                          # 160000 entries: above DIRECT_MAX, the levelled route
    V = _sn_action(n)
    B = orbit_basis(V ** 2, V ** 2)
    assert B.labels.size > orbits.DIRECT_MAX
    a, b, c, d = np.unravel_index(np.arange(n ** 4), (n,) * 4)
    # the orbit of (a, b, c, d) is its equality pattern: compare with the pattern computed directly
    pattern = np.stack([a == b, a == c, a == d, b == c, b == d, c == d], axis=1) @ (1 << np.arange(6))
    _, first = np.unique(pattern, return_index=True)
    by_pattern = np.empty(64, dtype=np.int64)
    by_pattern[pattern[np.sort(first)]] = np.arange(first.size)
    np.testing.assert_array_equal(B.labels.reshape(-1), by_pattern[pattern])


def test_labels_are_orbits_of_the_generators():
    G = gm.alternating(5)
    V = natural_action(G)
    B = orbit_basis(V * V, V)
    out, inn = V, V * V
    gens_out, gens_in = out.blocks[0].images(), inn.blocks[0].images()
    for go, gi in zip(gens_out, gens_in):
        # each generator maps every orbit onto itself: labels[g a, g b] == labels[a, b]
        np.testing.assert_array_equal(B.labels[np.ix_(go, gi)], B.labels)
    # and the orbits are no finer than they must be: as many as Burnside's count from the characters
    rho = natural_representation(G)
    assert B.dim == gm.hom_dimension(gm.tensor(rho, rho), rho)


def test_project_is_the_reynolds_average_over_all_elements():
    G = gm.symmetric(4)
    rho = natural_representation(G)
    V = natural_action(G)
    W = np.random.default_rng(0).normal(size=(3, 16, 4))
    r2 = gm.tensor(rho, rho)
    # the definition: (1/|G|) sum_g rho_out(g) W rho_in(g)^-1, over all 24 elements
    reynolds = sum(np.einsum("ij,bjk,lk->bil", r2(g), W, rho(g)) for g in range(G.order)) / G.order
    P = gm.project(W, V, V * V)
    np.testing.assert_allclose(P, reynolds, atol=1e-12)
    B = orbit_basis(V, V * V)
    np.testing.assert_allclose(B.project(P), P, atol=1e-12)                        # idempotent
    np.testing.assert_allclose(np.einsum("kij,bij->bk", B.dense(), W - P), 0, atol=1e-12)   # orthogonal
    np.testing.assert_allclose(B.coefficients(W), np.einsum("kij,bij->bk", B.dense(), W), atol=1e-12)


def test_tuple_orbits_of_a_cyclic_shift():
    shift = np.array([[1, 2, 3, 0]])
    labels, counts = tuple_orbits([shift, shift])
    # C_4 on pairs: the orbit of (a, b) is the difference b - a mod 4, numbered by first occurrence
    a, b = np.divmod(np.arange(16), 4)
    np.testing.assert_array_equal(labels, (b - a) % 4)
    assert counts.tolist() == [4, 4, 4, 4]


def test_trivial_group_every_pair_alone():
    G = gm.cyclic(1)
    V = PermutationAction(G, np.zeros((0, 3), dtype=int))
    assert orbit_basis(V, V).dim == 9


def test_bad_input():
    G = gm.symmetric(3)
    with pytest.raises(ValueError, match="not a permutation"):
        PermutationAction(G, [[0, 0, 1], [0, 1, 2]])
    with pytest.raises(ValueError, match="shape"):
        PermutationAction(G, [[0, 1, 2]])
    with pytest.raises(TypeError, match="integer"):
        PermutationAction(G, [[0.0, 1, 2], [0, 1, 2]])
    V = natural_action(G)
    with pytest.raises(ValueError, match="two different group objects"):
        orbit_basis(V, natural_action(gm.symmetric(3)))
    with pytest.raises(TypeError, match="PermutationAction or a permutation representation"):
        orbit_basis(V, gm.irreps(G)[1])
    with pytest.raises(ValueError, match="exact=True"):
        gm.equivariant_basis(V, V, exact=True)
    with pytest.raises(ValueError, match=r"shape \(\.\.\., 3, 3\)"):
        gm.project(np.ones((3, 4)), V, V)
    with pytest.raises(TypeError, match="permutation group"):
        natural_action(gm.cyclic(3))
    big = _sn_action(300) ** 2
    with pytest.raises(gm.TooLargeError, match="orbit labels"):
        orbit_basis(big, big)


def test_generators_left_out_of_the_start_are_checked_and_merged(monkeypatch):
    # one random subproduct starts the search: the components it gives are too fine, and the check of
    # every generator must merge them (the result is exact whatever the start)
    monkeypatch.setattr(orbits, "_START_GENERATORS", 1)
    V = _sn_action(20)
    B = orbit_basis(V ** 2, V ** 2)
    assert B.dim == 15 and sorted(B.counts.tolist()) == sorted(
        math.perm(20, k) for k in range(1, 5) for _ in range(_stirling2(4, k)))


def test_non_equivariant_part_and_defect_of_actions_match_the_representations():
    G = gm.symmetric(4)
    rho, V = natural_representation(G), natural_action(G)
    W = np.random.default_rng(3).normal(size=(2, 4, 16))
    r2 = gm.tensor(rho, rho)
    np.testing.assert_allclose(gm.non_equivariant_part(W, V * V, V), gm.non_equivariant_part(W, r2, rho), atol=1e-12)
    for kw in ({}, {"squared": True}, {"relative": True}):
        np.testing.assert_allclose(gm.equivariance_defect(W, V * V, V, **kw), gm.equivariance_defect(W, r2, rho, **kw),
                                   atol=1e-12)
