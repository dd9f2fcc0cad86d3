"""project / non_equivariant_part: every method against the dense reference Reynolds sum
(``tests/reference.py``), exact against numeric, float32 against float64, regular representations
however they were built, and the errors bad input gets."""
from __future__ import annotations

import numpy as np
import pytest
import sympy
from hypothesis import given, settings
from hypothesis import strategies as st

import groupmat as gm
from equivariance_zoo import (cases, coset_rep, oblique_conjugate, orthogonal_conjugate, quaternion_rep_complex,
                              rotation_rep, standard_rep)
from reference import reynolds
from strategies import representations, small_groups

CASES = cases()
METHODS = ["auto", "reynolds", "permutation", "regular", "spectral"]


def _applicable(method, ri, ro):
    if method == "permutation":
        return ri.is_permutation and ro.is_permutation
    if method == "regular":
        side_in, side_out = gm.equivariance.regular_channels(ri), gm.equivariance.regular_channels(ro)
        return side_in is not None and side_out is not None and side_in[0] == side_out[0]
    if method == "spectral":
        return None  # applies to orthogonal representations; checked separately
    return True


@pytest.mark.parametrize("name,ri,ro", CASES, ids=[c[0] for c in CASES])
def test_methods_agree_with_reynolds(name, ri, ro):
    rng = np.random.default_rng(abs(hash(name)) % 2**32)
    W = rng.normal(size=(2, 3, ro.dim, ri.dim))  # two batch axes
    ref = reynolds(W, ri, ro)
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
    np.testing.assert_allclose(gm.project(W, ri, ro) + gm.non_equivariant_part(W, ri, ro), W, atol=1e-12)


def _orthogonal(ri, ro) -> bool:
    try:
        gm.equivariance.require_orthogonal(ri, ro)
    except ValueError:
        return False
    return True


@pytest.mark.parametrize("name,ri,ro", CASES, ids=[c[0] for c in CASES])
def test_float32_weights_project_in_single_precision(name, ri, ro):
    """A float32 ``W`` (the weights of a network) projects to float32 by every method that applies,
    within single-precision round-off (relative error ~1e-5) of the float64 projection; complex64
    stays complex64."""
    rng = np.random.default_rng(21)
    W = rng.normal(size=(2, ro.dim, ri.dim))
    W32 = W.astype(np.float32)
    ref = reynolds(W32.astype(np.float64), ri, ro)
    scale = np.linalg.norm(ref)
    for method in METHODS:
        if not (_orthogonal(ri, ro) if method == "spectral" else _applicable(method, ri, ro)):
            continue
        P32 = gm.project(W32, ri, ro, method=method)
        assert P32.dtype == (np.complex64 if np.iscomplexobj(ref) else np.float32), method
        assert np.linalg.norm(P32 - ref) <= 1e-5 * scale, method
        N32 = gm.non_equivariant_part(W32, ri, ro, method=method)
        assert N32.dtype == P32.dtype
        assert np.linalg.norm(N32 - (W32 - ref)) <= 1e-5 * np.linalg.norm(W), method
    Z = (W + 1j * rng.normal(size=W.shape)).astype(np.complex64)
    Pz = gm.project(Z, ri, ro)
    assert Pz.dtype == np.complex64
    assert np.linalg.norm(Pz - reynolds(Z.astype(np.complex128), ri, ro)) <= 1e-5 * np.linalg.norm(Z)
    d32 = gm.equivariance_defect(W32[0], ri, ro, check_orthogonal=False)
    assert d32 == pytest.approx(np.linalg.norm(W32[0] - ref[0]), rel=1e-4)


def test_float32_representation_is_orthogonal_and_projects():
    """Images in single precision: orthogonal by the float32 rule, and every route agrees with the
    float64 reference to single-precision round-off."""
    G = gm.dihedral(6)
    rot = rotation_rep(G)
    rot32 = gm.Representation(G, rot.matrices.astype(np.float32), check=False)
    L = gm.regular_representation(G)
    gm.equivariance.require_orthogonal(rot32, L)                # does not raise
    W = np.random.default_rng(22).normal(size=(3, 2, 12)).astype(np.float32)
    ref = reynolds(W.astype(np.float64), L, rot)
    for method in ("auto", "reynolds", "spectral"):
        P = gm.project(W, L, rot32, method=method)
        assert P.dtype == np.float32
        assert np.linalg.norm(P - ref) <= 1e-5 * np.linalg.norm(ref), method
    d = gm.equivariance_defect(W, L, rot32)
    np.testing.assert_allclose(d, np.linalg.norm(W - ref, axis=(1, 2)), rtol=1e-5)
    E = gm.equivariant_basis(L, rot32)
    assert E.shape == (gm.hom_dimension(L, rot), 2, 12)
    # a dense orthogonal conjugate of L in float32: R^T R - I is float32 round-off (~1e-7), accepted
    Lq = orthogonal_conjugate(L, seed=3)
    Lq32 = gm.Representation(G, Lq.matrices.astype(np.float32), check=False)
    W2 = np.random.default_rng(23).normal(size=(12, 12)).astype(np.float32)
    ref2 = reynolds(W2.astype(np.float64), Lq, L)
    d2 = gm.equivariance_defect(W2, Lq32, L)
    assert d2 == pytest.approx(np.linalg.norm(W2 - ref2), rel=1e-5)


def _q8_complex_case():
    q = quaternion_rep_complex(gm.quaternion())
    return ("Q8 complex", q, 2 * q)


@pytest.mark.parametrize("name,ri,ro", CASES[::3] + [_q8_complex_case()],
                         ids=[c[0] for c in CASES[::3]] + ["Q8 complex"])
def test_spectral_method_agrees(name, ri, ro):
    W = np.random.default_rng(11).normal(size=(2, ro.dim, ri.dim))
    if np.iscomplexobj(ri.numeric().matrices):
        W = W + 1j * np.random.default_rng(12).normal(size=W.shape)
    np.testing.assert_allclose(gm.project(W, ri, ro, method="spectral"), reynolds(W, ri, ro), atol=1e-9)
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
    np.testing.assert_allclose(P, reynolds(W, q, 2 * q), atol=1e-12)
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
    T = gm.reps.trivial_representation(G)
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
    exact_ref = reynolds(Wq, rep_in, rep_out)
    for method in ("auto", "reynolds", "permutation"):
        P = gm.project(Wq, rep_in, rep_out, method=method)
        assert isinstance(P, sympy.MatrixBase)
        assert all(isinstance(v, sympy.Rational) for v in P)
        assert P == exact_ref
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
    assert (P - reynolds(W, L, rot)).applyfunc(sympy.simplify) == sympy.zeros(2, 6)
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
    np.testing.assert_allclose(PA, reynolds(A, rho, rho), atol=1e-9)
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
    np.testing.assert_allclose(P, reynolds(W, ri, ro), atol=1e-9)
    d2 = gm.equivariance_defect(W, ri, ro, squared=True)
    assert d2 == pytest.approx(np.sum(W**2) - np.sum(P**2), abs=1e-8)


# ------------------------------------------------------------------------------------------ errors
def test_errors():
    G = gm.cyclic(4)
    L = gm.regular_representation(G)
    T = gm.reps.trivial_representation(G)
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
    with pytest.raises(TypeError, match="W must be numeric or SymPy"):
        gm.project(np.array([["a"] * 4] * 4), L, L)
    with pytest.raises(ValueError, match="one group object"):
        gm.non_equivariant_part(np.zeros((4, 4)), L, gm.regular_representation(gm.cyclic(4)))
    with pytest.raises(ValueError, match="W must be finite"):
        gm.project(np.full((4, 4), np.inf), L, L)


def test_orbit_labels_are_cached_per_pair():
    from groupmat.equivariance.kernels import pair_orbits

    G = gm.symmetric(4)
    nat = gm.reps.natural_representation(G)
    lab1, _ = pair_orbits(nat, nat)
    lab2, _ = pair_orbits(nat, nat)
    assert lab1 is lab2
    assert lab1.max() + 1 == gm.hom_dimension(nat, nat) == 2  # diagonal and off-diagonal


def test_exact_non_equivariant_part_and_split():
    G = gm.dihedral(3)
    rot = rotation_rep(G, exact=True)
    L = gm.regular_representation(G)
    W = sympy.Matrix(2, 6, list(range(12)))
    P = gm.project(W, L, rot)
    R = gm.non_equivariant_part(W, L, rot)
    assert (P + R - W).applyfunc(sympy.simplify) == sympy.zeros(2, 6)
    # the parts are orthogonal, exactly
    assert sympy.simplify(sum(p * r for p, r in zip(P, R))) == 0


def test_what_is_kept_about_representations_goes_with_them():
    """The orbit labels, floating-point images, characters and irreducible bases kept about
    representations do not keep them alive (and so are not kept beyond them)."""
    import gc
    import weakref

    G = gm.symmetric(3)
    nat = gm.reps.natural_representation(G)
    std = standard_rep(G, exact=True)
    W = np.random.default_rng(31).normal(size=(3, 3))
    P = gm.project(W, nat, nat)                                 # orbit labels of the pair
    np.testing.assert_allclose(gm.project(W, nat, nat, method="spectral"), P, atol=1e-10)
    gm.project(np.ones((2, 2)), std, std)                       # numeric images of an exact representation
    gm.equivariant_basis(std.numeric(), nat)                    # irreducible change of basis
    gm.equivariance_defect(W, nat, nat)                         # orthogonality
    refs = [weakref.ref(r) for r in (nat, std)]
    del nat, std
    gc.collect()
    assert all(r() is None for r in refs)
