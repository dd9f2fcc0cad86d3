"""The Schur-lemma routes: the equivariant basis from the irreducible decomposition and the closed-form
spectral projection, each against the definition (the dense reference Reynolds sum of
``tests/reference.py`` / the generator constraints), for real-, complex- and quaternionic-type
irreducibles; and the messages for twin group objects and for the argument named in composition_bound."""
from __future__ import annotations

import numpy as np
import pytest

import groupmat as gm
import groupmat.equivariance.basis as basis_mod
import groupmat.equivariance.spectral as spectral_mod
from equivariance_zoo import (oblique_conjugate, orthogonal_conjugate, quaternion_rep_complex, quaternion_rep_real,
                              rotation_rep)
from reference import reynolds


def _rotation_c3(G=None):
    """The 2-d real rotation representation of C3: a real irreducible of complex type."""
    G = gm.cyclic(3) if G is None else G
    t = 2 * np.pi / 3
    r = np.array([[np.cos(t), -np.sin(t)], [np.sin(t), np.cos(t)]])
    return gm.from_generators(G, [r], name="C3 rotation")


def _dense_cases():
    """``(id, rep_in, rep_out)`` with at least one dense summand, covering the three real types."""
    D4, Q8, C3, S4 = gm.dihedral(4), gm.quaternion(), gm.cyclic(3), gm.symmetric(4)
    LD4, LQ8, LC3, LS4 = (gm.regular_representation(G) for G in (D4, Q8, C3, S4))
    rot3 = _rotation_c3(C3)
    q4 = quaternion_rep_real(Q8)
    q2 = quaternion_rep_complex(Q8)
    return [
        ("D4 dense L -> L", orthogonal_conjugate(LD4, 1), LD4),
        ("D4 dense L -> dense L", orthogonal_conjugate(LD4, 2), orthogonal_conjugate(LD4, 3)),
        ("D4 rot -> dense L", rotation_rep(D4), orthogonal_conjugate(LD4, 4)),
        ("C3 complex-type rot -> dense L", rot3, orthogonal_conjugate(LC3, 5)),
        ("C3 complex-type rot -> rot", rot3, rot3),
        ("Q8 quaternionic-type q4 -> q4", q4, q4),
        ("Q8 dense L -> q4", orthogonal_conjugate(LQ8, 6), q4),
        ("Q8 complex q2 -> complex q2", q2, q2),
        ("S4 dense L -> L", orthogonal_conjugate(LS4, 7), LS4),
        ("D4 oblique L -> rot", oblique_conjugate(LD4, 8), rotation_rep(D4)),
    ]


CASES = _dense_cases()


def _check_basis(E, ri, ro, orthonormal=True):
    dim = gm.hom_dimension(ri, ro)
    assert E.shape == (dim, ro.dim, ri.dim)
    F = E.reshape(dim, -1)
    if orthonormal:
        np.testing.assert_allclose(F.conj() @ F.T, np.eye(dim), atol=1e-9)
    Mi, Mo = ri.numeric().matrices, ro.numeric().matrices
    for s in ri.group.generators:  # the definition: rho_out(s) E = E rho_in(s)
        np.testing.assert_allclose(Mo[s][None] @ E, E @ Mi[s][None], atol=1e-9)
    assert np.linalg.matrix_rank(F, tol=1e-8) == dim


@pytest.mark.parametrize("name,ri,ro", CASES, ids=[c[0] for c in CASES])
def test_decomposed_basis_against_the_definition(name, ri, ro):
    E = basis_mod._decomposed_basis(ri, ro)
    _check_basis(E, ri, ro)
    # it spans the range of the Reynolds operator (orthogonal reps: P(W) = sum_k <E_k, W> E_k)
    if ri.is_unitary() and ro.is_unitary():
        W = np.random.default_rng(0).normal(size=(ro.dim, ri.dim))
        F = E.reshape(E.shape[0], -1)
        P = (F.T @ (F.conj() @ W.reshape(-1))).reshape(W.shape)
        np.testing.assert_allclose(P, reynolds(W, ri, ro), atol=1e-9)


@pytest.mark.parametrize("name,ri,ro", CASES, ids=[c[0] for c in CASES])
def test_default_dense_basis_is_the_decomposition(name, ri, ro):
    """The default dense route gives the basis of the irreducible decomposition (aligned with the
    isotypic blocks), not another orthonormal basis of the span such as the Reynolds-range route's."""
    E = gm.equivariant_basis(ri, ro)
    np.testing.assert_array_equal(E, basis_mod._decomposed_basis(ri, ro))
    _check_basis(E, ri, ro)
    _check_basis(gm.equivariant_basis(2 * ri, ri + ro), 2 * ri, ri + ro)
    # with a tol: the Reynolds range, the same span
    F = gm.equivariant_basis(ri, ro, tol=1e-8).reshape(E.shape[0], -1)
    Ef = E.reshape(E.shape[0], -1)
    np.testing.assert_allclose(np.linalg.svd(Ef.conj() @ F.T, compute_uv=False), np.ones(E.shape[0]), atol=1e-9)


def test_tol_keeps_the_reynolds_range_route():
    ri, ro = CASES[0][1], CASES[0][2]
    E = gm.equivariant_basis(ri, ro, tol=1e-8)
    _check_basis(E, ri, ro)


def test_dense_regular_s4_basis_against_the_definition():
    """Every S4 irreducible with multiplicity: a dense orthogonal copy of reg(S4) -> reg(S4), 24
    equivariant maps that are the group matrices conjugated by the change of basis."""
    G = gm.symmetric(4)
    L = gm.regular_representation(G)
    Lq = orthogonal_conjugate(L, 11)
    E = gm.equivariant_basis(Lq, L)
    _check_basis(E, Lq, L)
    # E_k Q^T is a group matrix of L, so its span is the span of the normalised group diagonals
    Q, _ = np.linalg.qr(np.random.default_rng(11).normal(size=(24, 24)))
    back = (E @ Q.T[None]).reshape(24, -1)
    R = gm.equivariant_basis(L, L).reshape(24, -1)
    np.testing.assert_allclose(back @ back.T, np.eye(24), atol=1e-9)
    np.testing.assert_allclose(np.linalg.svd(R @ back.T, compute_uv=False), np.ones(24), atol=1e-9)


# ------------------------------------------------------------------------------ spectral closed form
def _spectral_cases():
    D8, Q8, C3 = gm.dihedral(8), gm.quaternion(), gm.cyclic(3)
    LD8, LQ8, LC3 = (gm.regular_representation(G) for G in (D8, Q8, C3))
    return [c for c in CASES if "oblique" not in c[0]] + [
        ("4 L(D8)", 4 * LD8, 4 * LD8), ("Q8 L -> 2L", LQ8, 2 * LQ8), ("C3 L -> L", LC3, LC3)]


SPECTRAL = _spectral_cases()


@pytest.mark.parametrize("name,ri,ro", SPECTRAL, ids=[c[0] for c in SPECTRAL])
def test_spectral_closed_form_against_reynolds(name, ri, ro):
    rng = np.random.default_rng(3)
    W = rng.normal(size=(2, ro.dim, ri.dim))
    if np.iscomplexobj(ri.numeric().matrices) or np.iscomplexobj(ro.numeric().matrices):
        W = W + 1j * rng.normal(size=W.shape)
    ref = reynolds(W, ri, ro)
    np.testing.assert_allclose(gm.project(W, ri, ro, method="spectral"), ref, atol=1e-9)
    np.testing.assert_allclose(gm.project(W[::-1], ri, ro, method="spectral"), ref[::-1], atol=1e-9)
    spec = gm.defect_spectrum(W, ri, ro)
    np.testing.assert_allclose(spec.total, np.sum(np.abs(W - ref) ** 2, axis=(1, 2)), rtol=1e-8, atol=1e-10)


def test_irrep_commutant_dimensions_and_real_type_closed_form():
    """End_G(sigma): I/sqrt(d) for real type, 2 and 4 orthonormal matrices for complex and
    quaternionic type, each commuting with sigma."""
    rot3, q4 = _rotation_c3(), quaternion_rep_real(gm.quaternion())
    rot4 = rotation_rep(gm.dihedral(4))
    for sigma, h in ((rot4, 1), (rot3, 2), (q4, 4)):
        C = spectral_mod.irrep_hom_basis(sigma, sigma, False)
        assert C.shape == (h, sigma.dim, sigma.dim)
        F = C.reshape(h, -1)
        np.testing.assert_allclose(F @ F.T, np.eye(h), atol=1e-12)
        for s in sigma.group.generators:
            S = sigma.matrices[s]
            np.testing.assert_allclose(S[None] @ C, C @ S[None], atol=1e-12)
    C = spectral_mod.irrep_hom_basis(rot4, rot4, False)[0]
    np.testing.assert_allclose(C * np.sign(C[0, 0]), np.eye(2) / np.sqrt(2), atol=1e-12)
    # real type: the projection of a sub-block B is (tr B / d) I
    B = np.random.default_rng(1).normal(size=(2, 2))
    P = spectral_mod._project_blocks(B[None], [(slice(0, 2), rot4, 1)], [(slice(0, 2), rot4, 1)])[0]
    np.testing.assert_allclose(P, np.trace(B) / 2 * np.eye(2), atol=1e-12)


# ------------------------------------------------------------------------------ messages
def test_twin_group_objects_are_named_as_such():
    L = gm.regular_representation(gm.dihedral(3))
    L2 = gm.regular_representation(gm.dihedral(3))
    with pytest.raises(ValueError, match="two different group objects both named D3; build .* from one group object"):
        gm.project(np.eye(6), L, L2)
    with pytest.raises(ValueError, match="two different group objects both named D3"):
        gm.equivariant_basis(L, L2)
    with pytest.raises(ValueError, match="rep_mid and rep_out .* both named D3"):
        gm.equivariance.composition_bound(np.eye(6), np.eye(6), L, L, L2)
    with pytest.raises(ValueError, match="D3 .* C6"):
        gm.hom_dimension(L, gm.regular_representation(gm.cyclic(6)))


def test_composition_bound_names_the_bad_argument():
    L = gm.regular_representation(gm.dihedral(3))
    with pytest.raises(ValueError, match="^M must be finite"):
        gm.equivariance.composition_bound(np.full((6, 6), np.nan), np.eye(6), L, L, L)
    with pytest.raises(ValueError, match="^N must be finite"):
        gm.equivariance.composition_bound(np.eye(6), np.full((6, 6), np.inf), L, L, L)


def test_exact_representation_with_a_numeric_basis_uses_the_numeric_decomposition():
    from equivariance_zoo import standard_rep

    G = gm.symmetric(4)
    std = standard_rep(G, exact=True)
    L = gm.regular_representation(G)
    E = gm.equivariant_basis(std, L, exact=False)
    assert E.dtype != object
    _check_basis(E, std, L)
    W = np.random.default_rng(2).normal(size=(L.dim, std.dim))
    np.testing.assert_allclose(gm.project(W, std, L, method="spectral"), reynolds(W, std, L), atol=1e-9)


def test_real_to_complex_pair_over_two_fields():
    """A real representation (decomposed over the reals: the 4-d quaternionic-type irreducible) into a
    complex one (its complex 2-d irreducible): Hom_G is a complex space of dimension dim q2 = 2."""
    G = gm.quaternion()
    L, q2 = gm.regular_representation(G), quaternion_rep_complex(G)
    W = np.random.default_rng(4).normal(size=(q2.dim, L.dim)) + 1j * np.random.default_rng(5).normal(size=(2, 8))
    np.testing.assert_allclose(gm.project(W, L, q2, method="spectral"), reynolds(W, L, q2), atol=1e-9)
    E = gm.equivariant_basis(L, q2)
    _check_basis(E, L, q2)
    assert E.shape[0] == 2 and np.iscomplexobj(E)
