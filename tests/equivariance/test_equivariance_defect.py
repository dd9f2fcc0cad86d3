"""equivariance_defect, sample_equivariance_error, composition_bound, defect_spectrum."""
from __future__ import annotations

import numpy as np
import pytest
import sympy

import groupmat as gm
from equivariance_zoo import oblique_conjugate, rotation_rep, standard_rep
from reference import reynolds


def test_defect_pythagoras_batch_and_relative():
    G = gm.dihedral(4)
    L = gm.regular_representation(G)
    ri, ro = L + rotation_rep(G), 2 * L
    W = np.random.default_rng(0).normal(size=(5, ro.dim, ri.dim))
    P = gm.project(W, ri, ro)
    d = gm.equivariance_defect(W, ri, ro)
    assert d.shape == (5,)
    np.testing.assert_allclose(d**2, np.sum(W**2, axis=(1, 2)) - np.sum(P**2, axis=(1, 2)), rtol=1e-10)
    np.testing.assert_allclose(gm.equivariance_defect(W, ri, ro, squared=True), d**2, rtol=1e-12)
    rel = gm.equivariance_defect(W, ri, ro, relative=True)
    np.testing.assert_allclose(rel, d / np.linalg.norm(W.reshape(5, -1), axis=1), rtol=1e-12)
    assert gm.equivariance_defect(np.zeros((ro.dim, ri.dim)), ri, ro, relative=True) == 0.0
    assert gm.equivariance_defect(P[0], ri, ro) < 1e-12
    assert isinstance(gm.equivariance_defect(W[0], ri, ro), float)


def test_defect_is_distance_to_hom():
    # the distance to Hom_G by least squares on the basis equals the defect
    G = gm.symmetric(3)
    std = standard_rep(G)
    nat = gm.reps.natural_representation(G)
    W = np.random.default_rng(1).normal(size=(3, 2))
    E = gm.equivariant_basis(std, nat).reshape(-1, 6)
    coef, *_ = np.linalg.lstsq(E.T, W.ravel(), rcond=None)
    dist = np.linalg.norm(W.ravel() - E.T @ coef)
    assert gm.equivariance_defect(W, std, nat) == pytest.approx(dist, rel=1e-12)


def test_defect_exact():
    G = gm.cyclic(3)
    L = gm.regular_representation(G)
    W = sympy.Matrix([[1, 0, 0], [0, 0, 0], [0, 0, 0]])
    # P(W) = I/3, ||W - I/3||^2 = (2/3)^2 + 2 (1/3)^2 = 2/3
    assert gm.equivariance_defect(W, L, L, squared=True) == sympy.Rational(2, 3)
    assert gm.equivariance_defect(W, L, L) == sympy.sqrt(sympy.Rational(2, 3))
    assert gm.equivariance_defect(W, L, L, squared=True, relative=True) == sympy.Rational(2, 3)
    assert float(gm.equivariance_defect(np.array(W.tolist(), dtype=float), L, L, squared=True)) == pytest.approx(2 / 3)
    a = sympy.Symbol("a", real=True)
    assert sympy.simplify(gm.equivariance_defect(a * W, L, L, squared=True) - 2 * a**2 / 3) == 0


def test_defect_refuses_non_orthogonal_unless_asked():
    G = gm.dihedral(3)
    rho = oblique_conjugate(gm.regular_representation(G))
    W = np.random.default_rng(2).normal(size=(6, 6))
    with pytest.raises(ValueError, match="rep_in is not orthogonal"):
        gm.equivariance_defect(W, rho, rho)
    d = gm.equivariance_defect(W, rho, rho, check_orthogonal=False)
    assert d == pytest.approx(np.linalg.norm(W - gm.project(W, rho, rho)))


def test_sample_error_linear_map_matches_definition():
    G = gm.dihedral(3)
    L = gm.regular_representation(G)
    rot = rotation_rep(G)
    rng = np.random.default_rng(3)
    W = rng.normal(size=(2, 6))
    xs = rng.normal(size=(4, 6))
    Mi, Mo = L.matrices, rot.matrices
    expected = np.mean([np.sum((W @ Mi[g] @ x - Mo[g] @ W @ x) ** 2) for g in range(6) for x in xs])
    assert gm.equivariance.sample_equivariance_error(lambda X: X @ W.T, L, rot, xs) == pytest.approx(expected, rel=1e-12)
    assert gm.equivariance.sample_equivariance_error(lambda x: W @ x, L, rot, xs, batched=False) == pytest.approx(expected)
    # an equivariant linear map and an equivariant nonlinear map have zero error
    P = gm.project(W, L, rot)
    assert gm.equivariance.sample_equivariance_error(lambda X: X @ P.T, L, rot, xs) < 1e-20
    assert gm.equivariance.sample_equivariance_error(lambda X: np.maximum(X, 0) ** 2, L, L, xs) == 0.0


def test_sample_error_expectation_is_twice_squared_defect():
    G = gm.cyclic(4)
    L = gm.regular_representation(G)
    W = np.random.default_rng(4).normal(size=(4, 4))
    xs = np.eye(4) * 2.0  # E[x x^T] = I over these 4 samples times 4 -> mean gives ||.||^2 sums
    err = gm.equivariance.sample_equivariance_error(lambda X: X @ W.T, L, L, xs)
    assert err == pytest.approx(2 * gm.equivariance_defect(W, L, L, squared=True), rel=1e-12)


def test_sample_error_errors():
    G = gm.cyclic(4)
    L = gm.regular_representation(G)
    with pytest.raises(ValueError, match=r"xs must have shape \(m, d_in\) = \(m, 4\)"):
        gm.equivariance.sample_equivariance_error(lambda X: X, L, L, np.zeros((2, 3)))
    with pytest.raises(ValueError, match="f must return shape"):
        gm.equivariance.sample_equivariance_error(lambda X: X[:, :2], L, L, np.zeros((2, 4)))
    with pytest.raises(TypeError, match="f must be callable"):
        gm.equivariance.sample_equivariance_error(3, L, L, np.zeros((2, 4)))
    with pytest.raises(ValueError, match="xs must be finite"):
        gm.equivariance.sample_equivariance_error(lambda X: X, L, L, np.full((2, 4), np.nan))


def test_composition_bound():
    G = gm.dihedral(4)
    L = gm.regular_representation(G)
    rot = rotation_rep(G)
    rng = np.random.default_rng(5)
    for eps in (1e-4, 1e-2, 1.0):
        N = gm.project(rng.normal(size=(2, 8)), L, rot) + eps * rng.normal(size=(2, 8))
        M = gm.project(rng.normal(size=(8, 2)), rot, L) + eps * rng.normal(size=(8, 2))
        r = gm.equivariance.composition_bound(M, N, L, rot, L)
        assert r.holds and r.defect_product <= r.bound <= r.max_form * (1 + 1e-12)
        assert r.defect_m == pytest.approx(gm.equivariance_defect(M, rot, L))
    with pytest.raises(ValueError, match=r"M must have shape \(8, 2\)"):
        gm.equivariance.composition_bound(np.zeros((8, 3)), np.zeros((2, 8)), L, rot, L)


def test_spectral_route_agrees():
    G = gm.dihedral(4)
    L = gm.regular_representation(G)
    ri, ro = L + rotation_rep(G), 2 * L
    W = np.random.default_rng(6).normal(size=(3, ro.dim, ri.dim))
    np.testing.assert_allclose(gm.project(W, ri, ro, method="spectral"), gm.project(W, ri, ro), atol=1e-9)
    spec = gm.defect_spectrum(W, ri, ro)
    np.testing.assert_allclose(spec.total, gm.equivariance_defect(W, ri, ro, squared=True), rtol=1e-9)
    np.testing.assert_allclose(spec.total, np.sum((W - reynolds(W, ri, ro)) ** 2, axis=(1, 2)), rtol=1e-9)
    assert spec.energy.shape[0] == 3 and np.all(spec.energy >= -1e-12)


def test_defect_spectrum_errors():
    L = gm.regular_representation(gm.cyclic(3))
    with pytest.raises(ValueError, match="shape"):
        gm.defect_spectrum(np.eye(2), L, L)
    with pytest.raises(ValueError, match="defect_spectrum is numeric"):
        gm.defect_spectrum(sympy.eye(3), L, L)


def test_exact_reps_with_numeric_input_take_the_numeric_path():
    G = gm.dihedral(3)
    rot_exact, rot = rotation_rep(G, exact=True), rotation_rep(G)
    L = gm.regular_representation(G)
    W = np.random.default_rng(9).normal(size=(2, 6))
    P = gm.project(W, L, rot_exact)
    assert P.dtype == float
    np.testing.assert_allclose(P, gm.project(W, L, rot), atol=1e-12)
    xs = np.random.default_rng(10).normal(size=(3, 6))
    assert gm.equivariance.sample_equivariance_error(lambda X: X @ W.T, L, rot_exact, xs) == pytest.approx(
        gm.equivariance.sample_equivariance_error(lambda X: X @ W.T, L, rot, xs))


def test_spectral_refuses_non_orthogonal():
    G = gm.dihedral(3)
    rho = oblique_conjugate(gm.regular_representation(G))
    with pytest.raises(ValueError, match="needs orthogonal representations"):
        gm.project(np.zeros((6, 6)), rho, rho, method="spectral")
    with pytest.raises(ValueError, match="needs orthogonal representations"):
        gm.defect_spectrum(np.zeros((6, 6)), rho, rho)
