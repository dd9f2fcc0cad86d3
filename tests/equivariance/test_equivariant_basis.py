"""equivariant_basis and hom_dimension: orthonormal, equivariant, of the size the characters give,
spanning the range of the projection; exact against numeric; sparse against dense; errors."""
from __future__ import annotations

import numpy as np
import pytest
import scipy.sparse as sp
import sympy
from hypothesis import given, settings
from hypothesis import strategies as st

import groupmat as gm
from equivariance_zoo import cases, oblique_conjugate, quaternion_rep_complex, rotation_rep, standard_rep
from strategies import representations, small_groups

CASES = cases()


def _check_basis(E, ri, ro):
    dim = gm.hom_dimension(ri, ro)
    assert E.shape == (dim, ro.dim, ri.dim)
    np.testing.assert_allclose(np.einsum("kab,lab->kl", E.conj(), E), np.eye(dim), atol=1e-9)
    Mi, Mo = ri.numeric().matrices, ro.numeric().matrices
    for s in ri.group.generators:
        np.testing.assert_allclose(Mo[s][None] @ E, E @ Mi[s][None], atol=1e-9)


@pytest.mark.parametrize("name,ri,ro", CASES, ids=[c[0] for c in CASES])
def test_basis_is_orthonormal_equivariant_and_spans_the_projection(name, ri, ro):
    E = gm.equivariant_basis(ri, ro)
    _check_basis(E, ri, ro)
    # for orthogonal reps P(W) = sum_k <E_k, W> E_k
    W = np.random.default_rng(0).normal(size=(ro.dim, ri.dim))
    coeff = np.einsum("kab,ab->k", E.conj(), W)
    np.testing.assert_allclose(np.einsum("k,kab->ab", coeff, E), gm.project(W, ri, ro), atol=1e-9)


def test_hom_dimension_against_independent_character_sum():
    G = gm.symmetric(4)
    nat = gm.reps.natural_representation(G)
    L = gm.regular_representation(G)
    chi_n, chi_l = nat.character(), L.character()
    assert gm.hom_dimension(nat, L) == round(np.dot(chi_n, chi_l) / 24) == 4
    assert gm.hom_dimension(3 * nat, 2 * L) == 24
    assert gm.hom_dimension(L, L) == 24
    std = standard_rep(G)
    assert gm.hom_dimension(std, std) == 1 and gm.hom_dimension(std, nat) == 1


def test_complex_irrep_basis():
    G = gm.quaternion()
    q = quaternion_rep_complex(G)
    E = gm.equivariant_basis(q, 2 * q)
    assert E.shape == (2, 4, 2)
    _check_basis(E, q, 2 * q)


def test_regular_basis_is_the_normalised_group_diagonals():
    G = gm.dihedral(5)
    L = gm.regular_representation(G)
    E = gm.equivariant_basis(L, L)
    assert E.shape == (10, 10, 10)
    for g in range(10):
        x = np.zeros(10)
        x[g] = 1 / np.sqrt(10)
        np.testing.assert_allclose(E[g], gm.group_matrix(G, x))
    E2 = gm.equivariant_basis(2 * L, 3 * L)
    _check_basis(E2, 2 * L, 3 * L)


@pytest.mark.parametrize("kind", ["regular", "permutation", "mixed"])
def test_sparse_equals_dense(kind):
    G = gm.dihedral(4)
    L = gm.regular_representation(G)
    if kind == "regular":
        ri, ro = 2 * L, L
    elif kind == "permutation":
        ri, ro = L + gm.reps.trivial_representation(G), L
    else:
        ri, ro = rotation_rep(G) + L, 2 * rotation_rep(G)
    S = gm.equivariant_basis(ri, ro, sparse=True)
    assert sp.issparse(S) and S.shape == (gm.hom_dimension(ri, ro), ro.dim * ri.dim)
    np.testing.assert_allclose(S.toarray().reshape(-1, ro.dim, ri.dim), gm.equivariant_basis(ri, ro))


def test_exact_basis_permutation_and_irreps():
    G = gm.symmetric(3)
    nat = gm.reps.natural_representation(G)
    E = gm.equivariant_basis(nat, nat, exact=True)
    assert E.dtype == object and E.shape == (2, 3, 3)
    np.testing.assert_allclose(E.astype(float), gm.equivariant_basis(nat, nat), atol=1e-14)
    assert E[0, 0, 0] == 1 / sympy.sqrt(3) and E[1, 0, 1] == 1 / sympy.sqrt(6)
    std = standard_rep(G, exact=True)
    Es = gm.equivariant_basis(nat, std)  # exact because std is exact
    assert Es.dtype == object and Es.shape == (1, 2, 3)
    En = np.array([[complex(v) for v in row] for row in Es[0]]).real
    Ef = gm.equivariant_basis(nat, std.numeric())[0]
    assert np.isclose(abs(np.sum(En * Ef)), 1.0)  # the same unit vector up to sign
    # exactly orthonormal and equivariant
    M = sympy.Matrix(Es[0].tolist())
    assert sympy.simplify(sum(v**2 for v in M)) == 1
    for s in G.generators:
        lhs = std(s) * M - M * sympy.Matrix(nat.matrices[s].astype(int).tolist())
        assert lhs.applyfunc(sympy.simplify) == sympy.zeros(2, 3)


def test_sign_group_maps_are_diagonal():
    G = gm.sign_group(3)
    signs = np.array([G.label(g) for g in range(8)], dtype=float)
    rho = gm.Representation(G, signs[:, :, None] * np.eye(3)[None])
    E = gm.equivariant_basis(rho, rho)
    assert E.shape == (3, 3, 3)
    assert np.allclose(E * (1 - np.eye(3))[None], 0)
    Ee = gm.equivariant_basis(rho, rho, exact=True)
    assert sorted(tuple(np.flatnonzero(np.array(e.flat) != 0)) for e in Ee) == [(0,), (4,), (8,)]


def test_non_orthogonal_rep_basis_still_spans_hom():
    G = gm.dihedral(3)
    rho = oblique_conjugate(gm.regular_representation(G), seed=1)
    E = gm.equivariant_basis(rho, rho)
    _check_basis(E, rho, rho)


def test_errors():
    G = gm.cyclic(3)
    L = gm.regular_representation(G)
    with pytest.raises(ValueError, match="cannot be combined with exact=True"):
        gm.equivariant_basis(L, L, exact=True, sparse=True)
    with pytest.raises(ValueError, match="one group object"):
        gm.equivariant_basis(L, gm.regular_representation(gm.cyclic(3)))
    with pytest.raises(TypeError, match="rep_out must be a groupmat Representation"):
        gm.hom_dimension(L, "L")
    with pytest.raises(ValueError, match="one group object"):
        gm.hom_dimension(L, gm.reps.trivial_representation(gm.cyclic(2)))


@settings(max_examples=15, deadline=None)
@given(data=st.data())
def test_property_basis_on_random_reps(data):
    G = data.draw(small_groups(max_order=12))
    ri = data.draw(representations(G, max_dim=16))
    ro = data.draw(representations(G, max_dim=16))
    E = gm.equivariant_basis(ri, ro)
    _check_basis(E, ri, ro)
    S = gm.equivariant_basis(ri, ro, sparse=True)
    # the same subspace, dense and sparse
    Ed, Es = E.reshape(E.shape[0], -1), S.toarray()
    np.testing.assert_allclose(Ed.T @ (Ed @ Es.T), Es.T, atol=1e-9)
