"""project / equivariant_part / non_equivariant_part: every method against an independent dense
Reynolds sum, exact against numeric, and the errors bad input gets."""
from __future__ import annotations

import numpy as np
import pytest
import sympy
from hypothesis import given, settings
from hypothesis import strategies as st

import groupmat as gm
from equivariance_zoo import (cases, coset_rep, dense_reynolds, oblique_conjugate,
                              quaternion_rep_complex, rotation_rep, standard_rep)
from strategies import representations, small_groups

CASES = cases()
METHODS = ["auto", "reynolds", "permutation", "regular"] + (["spectral"] if hasattr(gm, "decompose") else [])


def _applicable(method, ri, ro):
    from groupmat.equivariance._common import regular_side

    if method == "permutation":
        return ri.is_permutation and ro.is_permutation
    if method == "regular":
        return regular_side(ri) is not None and regular_side(ri) == regular_side(ro)
    if method == "spectral":
        return None  # applies to orthogonal representations; checked separately
    return True


@pytest.mark.parametrize("name,ri,ro", CASES, ids=[c[0] for c in CASES])
def test_methods_agree_with_dense_reynolds(name, ri, ro):
    rng = np.random.default_rng(abs(hash(name)) % 2**32)
    W = rng.normal(size=(2, 3, ro.dim, ri.dim))  # two batch axes
    ref = dense_reynolds(W, ri, ro)
    ran = 0
    for method in METHODS:
        if _applicable(method, ri, ro) is None:
            continue
        if not _applicable(method, ri, ro):
            with pytest.raises(ValueError, match=f"method='{method}' needs"):
                gm.project(W, ri, ro, method=method)
            continue
        P = gm.project(W, ri, ro, method=method)
        assert P.shape == W.shape
        np.testing.assert_allclose(P, ref, atol=1e-10, err_msg=method)
        ran += 1
    assert ran >= 2
    # P(W) is equivariant and P is idempotent
    P = gm.project(W[0, 0], ri, ro)
    for s in ri.group.generators:
        np.testing.assert_allclose(ro.numeric().matrices[s] @ P, P @ ri.numeric().matrices[s], atol=1e-10)
    np.testing.assert_allclose(gm.project(P, ri, ro), P, atol=1e-10)
    np.testing.assert_allclose(gm.equivariant_part(W, ri, ro) + gm.non_equivariant_part(W, ri, ro), W, atol=1e-12)


def _q8_complex_case():
    q = quaternion_rep_complex(gm.quaternion())
    return ("Q8 complex", q, 2 * q)


@pytest.mark.parametrize("name,ri,ro", CASES[::3] + [_q8_complex_case()],
                         ids=[c[0] for c in CASES[::3]] + ["Q8 complex"])
@pytest.mark.skipif(not hasattr(gm, "decompose"), reason="groupmat.decompose is not available")
def test_spectral_method_agrees(name, ri, ro):
    W = np.random.default_rng(11).normal(size=(2, ro.dim, ri.dim))
    if np.iscomplexobj(ri.numeric().matrices):
        W = W + 1j * np.random.default_rng(12).normal(size=W.shape)
    np.testing.assert_allclose(gm.project(W, ri, ro, method="spectral"), dense_reynolds(W, ri, ro), atol=1e-9)
    spec = gm.defect_spectrum(W, ri, ro)
    np.testing.assert_allclose(spec.total, gm.equivariance_defect(W, ri, ro, squared=True), rtol=1e-8, atol=1e-10)


def test_regular_projection_is_group_matrix_of_diagonal_means():
    G = gm.dihedral(5)
    L = gm.regular_representation(G)
    W = np.random.default_rng(3).normal(size=(10, 10))
    x = gm.group_diagonals(G, W).mean(axis=1)
    np.testing.assert_allclose(gm.project(W, L, L, method="regular"), gm.group_matrix(G, x), atol=1e-13)
    # right regular: M[a, b] = y(a b^-1), the 'g_hinv' convention
    R = gm.regular_representation(G, "right")
    P = gm.project(W, R, R)
    assert gm.is_group_matrix(G, P, convention="g_hinv")


def test_channels_of_regular_reps_are_blocks_of_group_matrices():
    G = gm.quaternion()
    L = gm.regular_representation(G)
    W = np.random.default_rng(4).normal(size=(3 * 8, 2 * 8))
    P = gm.project(W, 2 * L, 3 * L)
    for o in range(3):
        for i in range(2):
            blk = slice(8 * o, 8 * o + 8), slice(8 * i, 8 * i + 8)
            np.testing.assert_allclose(P[blk], gm.project(W[blk], L, L), atol=1e-13)
            assert gm.is_group_matrix(G, P[blk])


def test_complex_irrep_of_quaternion_group():
    G = gm.quaternion()
    q = quaternion_rep_complex(G)
    rng = np.random.default_rng(5)
    W = rng.normal(size=(4, 2)) + 1j * rng.normal(size=(4, 2))
    P = gm.project(W, q, 2 * q)
    np.testing.assert_allclose(P, dense_reynolds(W, q, 2 * q), atol=1e-12)
    # Hom(q, q) is the scalars (q is absolutely irreducible): each 2x2 block is trace/2 times I
    for o in range(2):
        blk = W[2 * o:2 * o + 2]
        np.testing.assert_allclose(P[2 * o:2 * o + 2], np.trace(blk) / 2 * np.eye(2), atol=1e-12)


def test_rotation_rep_of_dihedral_keeps_scalar_part():
    G = gm.dihedral(6)
    rot = rotation_rep(G)
    W = np.array([[1.0, 2.0], [3.0, 5.0]])
    np.testing.assert_allclose(gm.project(W, rot, rot), 3.0 * np.eye(2), atol=1e-12)


def test_schur_zero_between_inequivalent_irreps():
    G = gm.symmetric(3)
    std = standard_rep(G)
    T = gm.trivial_representation(G)
    W = np.random.default_rng(6).normal(size=(2, 1))
    np.testing.assert_allclose(gm.project(W, T, std), 0.0, atol=1e-14)
    assert gm.hom_dimension(T, std) == 0


# ------------------------------------------------------------------------------------------ exact
def test_exact_rational_agrees_with_numeric_for_permutation_reps():
    G = gm.dihedral(3)
    L = gm.regular_representation(G)
    nat_like = coset_rep(G, [G.element("s")])  # D3 on 3 points
    rep_in, rep_out = L + nat_like, 2 * nat_like
    rng = np.random.default_rng(7)
    vals = rng.integers(-5, 6, size=(rep_out.dim, rep_in.dim))
    Wq = sympy.Matrix(vals.tolist()) / 7
    for method in ("auto", "reynolds", "permutation"):
        P = gm.project(Wq, rep_in, rep_out, method=method)
        assert isinstance(P, sympy.MatrixBase)
        assert all(isinstance(v, sympy.Rational) for v in P)
        np.testing.assert_allclose(np.array(P.tolist(), dtype=float),
                                   gm.project(vals / 7.0, rep_in, rep_out), atol=1e-13)
    Pr = gm.project(sympy.Matrix(np.eye(6, dtype=int).tolist()), L, L, method="regular")
    assert Pr == sympy.eye(6)


def test_exact_irreducible_with_radicals():
    G = gm.dihedral(3)
    rot = rotation_rep(G, exact=True)
    assert rot.exact
    L = gm.regular_representation(G)
    vals = np.arange(12).reshape(2, 6) - 5
    W = sympy.Matrix(vals.tolist())
    P = gm.project(W, L, rot)
    Pn = gm.project(vals.astype(float), L, rotation_rep(G))
    np.testing.assert_allclose(np.array(P.evalf().tolist(), dtype=float), Pn, atol=1e-12)
    # exactly equivariant
    for s in G.generators:
        assert (rot(s) * P - P * L(s)).applyfunc(sympy.simplify) == sympy.zeros(2, 6)


def test_exact_standard_rep_of_s3_and_symbols():
    G = gm.symmetric(3)
    std = standard_rep(G, exact=True)
    a, b, c, d = sympy.symbols("a b c d")
    W = sympy.Matrix([[a, b], [c, d]])
    P = gm.project(W, std, std)
    assert (P - (a + d) / 2 * sympy.eye(2)).applyfunc(sympy.simplify) == sympy.zeros(2, 2)


def test_object_array_input_gives_object_array():
    G = gm.cyclic(3)
    L = gm.regular_representation(G)
    W = np.array([[sympy.Rational(1, 2), 0, 0], [0, 0, 0], [0, 0, 0]], dtype=object)
    P = gm.project(W, L, L)
    assert isinstance(P, np.ndarray) and P.dtype == object
    assert P[1, 1] == sympy.Rational(1, 6) and P[0, 1] == 0


# ------------------------------------------------------------------------------------------ non-orthogonal
def test_non_orthogonal_rep_reynolds_is_an_oblique_projection():
    G = gm.dihedral(4)
    rho = oblique_conjugate(gm.regular_representation(G), seed=2)
    assert not rho.is_orthogonal()
    rng = np.random.default_rng(8)
    A, B = rng.normal(size=(2, 8, 8))
    PA = gm.project(A, rho, rho)
    np.testing.assert_allclose(PA, dense_reynolds(A, rho, rho), atol=1e-9)
    np.testing.assert_allclose(gm.project(PA, rho, rho), PA, atol=1e-9)  # still a projection onto Hom_G
    for s in G.generators:
        np.testing.assert_allclose(rho.matrices[s] @ PA, PA @ rho.matrices[s], atol=1e-9)
    # ... but not self-adjoint
    assert abs(np.sum(PA * B) - np.sum(A * gm.project(B, rho, rho))) > 1e-6


# ------------------------------------------------------------------------------------------ properties
@settings(max_examples=20, deadline=None)
@given(data=st.data())
def test_property_projection_on_random_reps(data):
    G = data.draw(small_groups(max_order=16))
    ri = data.draw(representations(G, max_dim=24))
    ro = data.draw(representations(G, max_dim=24))
    W = np.random.default_rng(data.draw(st.integers(0, 2**31))).normal(size=(ro.dim, ri.dim))
    P = gm.project(W, ri, ro)
    np.testing.assert_allclose(P, dense_reynolds(W, ri, ro), atol=1e-9)
    d2 = gm.equivariance_defect(W, ri, ro, squared=True)
    assert d2 == pytest.approx(np.sum(W**2) - np.sum(P**2), abs=1e-8)


# ------------------------------------------------------------------------------------------ errors
def test_errors():
    G = gm.cyclic(4)
    L = gm.regular_representation(G)
    T = gm.trivial_representation(G)
    with pytest.raises(ValueError, match=r"W must have shape \(\.\.\., d_out, d_in\) = \(\.\.\., 1, 4\)"):
        gm.project(np.zeros((4, 4)), L, T)
    with pytest.raises(ValueError, match="shape"):
        gm.project(np.zeros(4), L, L)
    with pytest.raises(ValueError, match="one group object"):
        gm.project(np.zeros((4, 4)), L, gm.regular_representation(gm.cyclic(4)))
    W = np.zeros((4, 4))
    W[1, 2] = np.nan
    with pytest.raises(ValueError, match="W must be finite"):
        gm.project(W, L, L)
    with pytest.raises(ValueError, match="method must be one of"):
        gm.project(np.zeros((4, 4)), L, L, method="fourier")
    with pytest.raises(ValueError, match="method='regular' needs"):
        gm.project(np.zeros((1, 4)), L, T, method="regular")
    rot = gm.Representation(G, np.array([[[1, 0], [0, 1]], [[0, -1], [1, 0]], [[-1, 0], [0, -1]],
                                     [[0, 1], [-1, 0]]], dtype=float))
    with pytest.raises(ValueError, match="method='permutation' needs"):
        gm.project(np.zeros((2, 2)), rot, rot, method="permutation")
    with pytest.raises(TypeError, match="rep_in must be a groupmat Representation"):
        gm.project(np.zeros((4, 4)), np.eye(4), L)
    with pytest.raises(TypeError, match="W must be a real or complex array"):
        gm.project(np.array([["a"] * 4] * 4), L, L)
    with pytest.raises(ValueError, match="one group object"):
        gm.non_equivariant_part(np.zeros((4, 4)), L, gm.regular_representation(gm.cyclic(4)))
    with pytest.raises(ValueError, match="W must be finite"):
        gm.equivariant_part(np.full((4, 4), np.inf), L, L)


def test_orbit_labels_are_cached_per_pair():
    from groupmat.equivariance.kernels import pair_orbits

    G = gm.symmetric(4)
    nat = gm.natural_representation(G)
    lab1, _ = pair_orbits(nat, nat)
    lab2, _ = pair_orbits(nat, nat)
    assert lab1 is lab2
    assert lab1.max() + 1 == gm.hom_dimension(nat, nat) == 2  # diagonal and off-diagonal


def test_exact_non_equivariant_part_and_split():
    G = gm.dihedral(3)
    rot = rotation_rep(G, exact=True)
    L = gm.regular_representation(G)
    W = sympy.Matrix(2, 6, list(range(12)))
    P = gm.equivariant_part(W, L, rot)
    R = gm.non_equivariant_part(W, L, rot)
    assert (P + R - W).applyfunc(sympy.simplify) == sympy.zeros(2, 6)
    # the parts are orthogonal, exactly
    assert sympy.simplify(sum(p * r for p, r in zip(P, R))) == 0
