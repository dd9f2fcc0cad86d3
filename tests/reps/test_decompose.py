"""Multiplicities, isotypic projectors, explicit decompositions, induced and coset representations."""
from __future__ import annotations

import numpy as np
import pytest
import scipy.linalg as sl
import sympy
from hypothesis import given, settings
from strategies import groups, representations
from hypothesis import strategies as st

import groupmat as gm
from groupmat._exact import exact_equal_arrays


def _block_diag_of(parts, g, field_complex=False):
    blocks = []
    for rho, m in parts:
        blocks += [rho.numeric().matrices[g]] * m
    return sl.block_diag(*blocks)


def test_regular_representation_multiplicities_are_degrees():
    for G in (gm.symmetric(4), gm.quaternion(), gm.dicyclic(3)):
        m = gm.reps.multiplicities(gm.regular_representation(G))
        assert m.tolist() == [r.dim for r in gm.irreps(G)]
        mr = gm.reps.multiplicities(gm.regular_representation(G), "real")
        e = [{1: 1, 0: 2, -1: 4}[r.frobenius_schur] for r in gm.irreps(G, "real")]
        assert mr.tolist() == [r.dim // k for r, k in zip(gm.irreps(G, "real"), e)]


@settings(max_examples=15, deadline=None)
@given(st.data())
def test_decompose_random_representations(data):
    G = data.draw(groups(max_order=24))
    rep = data.draw(representations(G, max_dim=24))
    Q, parts = gm.decompose(rep)
    assert Q.shape == (rep.dim, rep.dim)
    assert np.allclose(Q.T @ Q, np.eye(rep.dim), atol=1e-8)
    mats = rep.matrices
    for g in range(G.order):
        assert np.allclose(Q.T @ mats[g] @ Q, _block_diag_of(parts, g), atol=1e-8)
    P = gm.reps.isotypic_projectors(rep, "real")
    assert np.allclose(sum(P), np.eye(rep.dim), atol=1e-8)
    for p in P:
        assert np.allclose(p @ p, p, atol=1e-8)
        assert np.allclose(p, p.T, atol=1e-8)


def test_complex_field_and_non_orthogonal_input():
    G = gm.cyclic(5)
    rho = gm.irreps(G)[1] + gm.irreps(G)[3]            # complex matrices
    Q, parts = gm.decompose(rho)
    assert [p[0].index for p in parts] == [1, 3]
    assert np.allclose(Q.conj().T @ Q, np.eye(2))
    # a non-orthogonal conjugate of the natural rep of S3
    S3 = gm.symmetric(3)
    A = np.array([[1.0, 2, 0], [0, 1, 3], [1, 0, 1]])
    nat = gm.reps.natural_representation(S3)
    conj = gm.Representation(S3, A @ nat.matrices @ np.linalg.inv(A))
    Q, parts = gm.decompose(conj)
    Qi = np.linalg.inv(Q)
    for g in range(6):
        assert np.allclose(Qi @ conj.matrices[g] @ Q, _block_diag_of(parts, g))


def test_exact_decompose():
    S3 = gm.symmetric(3)
    nat = gm.reps.natural_representation(S3)
    exact = gm.Representation(S3, np.vectorize(sympy.Integer, otypes=[object])(nat.matrices.astype(int)))
    Q, parts = gm.decompose(exact)
    assert isinstance(Q, sympy.MatrixBase)
    assert (Q.T * Q).applyfunc(sympy.simplify) == sympy.eye(3)
    assert [(p.dim, m) for p, m in parts] == [(1, 1), (2, 1)]
    for g in range(6):
        lhs = Q.T * sympy.Matrix(exact.matrices[g].tolist()) * Q
        rhs = sympy.diag(*[sympy.Matrix(p.matrices[g].tolist()) for p, m in parts for _ in range(m)])
        assert exact_equal_arrays(np.array(lhs.tolist(), dtype=object), np.array(rhs.tolist(), dtype=object))
    P = gm.reps.isotypic_projectors(exact)
    assert P[0] == sympy.ones(3, 3) / 3


def test_frobenius_reciprocity_and_induction():
    G = gm.symmetric(4)
    H = G.subgroup([G.element("(0 1 2)"), G.element("(0 1)")])   # S3 inside S4
    for k, sigma in enumerate(gm.irreps(H)):
        ind = gm.reps.induced_representation(sigma)
        assert ind.dim == 4 * sigma.dim
        ind.check_homomorphism()
        # <Ind sigma, chi> = <sigma, Res chi>
        for j, chi_rep in enumerate(gm.irreps(G)):
            res = chi_rep.restrict(H)
            lhs = gm.reps.multiplicities(ind)[j]
            rhs = gm.reps.multiplicities(res)[k]
            assert lhs == rhs
    triv = gm.reps.trivial_representation(H)
    ind = gm.reps.induced_representation(triv, G)
    assert ind.is_permutation
    coset = gm.reps.coset_representation(G, H)
    assert np.allclose(ind.character(), coset.character())
    coset.check_homomorphism()
    assert gm.reps.multiplicities(coset).tolist() == [1, 1, 0, 0, 0]


def test_exact_induction():
    G = gm.dihedral(4)
    H = G.subgroup([1])
    faithful = [r for r in gm.irreps(H, exact=True) if not r.numeric().matrices[1, 0, 0].imag == 0]
    chi = faithful[0]                                  # r -> +-i
    ind = gm.reps.induced_representation(chi)
    assert ind.exact
    ind.check_homomorphism()
    assert gm.reps.multiplicities(ind).tolist() == [0, 0, 0, 0, 1]


def test_bad_input():
    G = gm.symmetric(3)
    with pytest.raises(TypeError, match="Representation"):
        gm.decompose(np.eye(3))
    with pytest.raises(TypeError, match="Representation"):
        gm.reps.multiplicities("rho")
    with pytest.raises(ValueError, match="field"):
        gm.reps.multiplicities(gm.reps.natural_representation(G), field="finite")
    bad = gm.Representation(G, np.tile(0.5 * np.eye(1), (6, 1, 1)), check=False)
    with pytest.raises(ValueError, match="non-integer multiplicity"):
        gm.reps.multiplicities(bad)
    with pytest.raises(ValueError, match="subgroup"):
        gm.reps.coset_representation(G, [0, 1])
    with pytest.raises(ValueError, match="subgroup"):
        gm.reps.induced_representation(gm.reps.trivial_representation(G))
    with pytest.raises(ValueError, match="orthogonal"):
        gm.decompose(gm.Representation(gm.cyclic(2), [sympy.Matrix([[1, 0], [0, 1]]), sympy.Matrix([[1, 1], [0, -1]])]))


def test_real_field_on_complex_rep_says_so():
    rho = gm.irreps(gm.cyclic(3))[1]
    with pytest.raises(ValueError, match="field='real'.*complex matrices"):
        gm.decompose(rho, field="real")
    with pytest.raises(ValueError, match="field"):
        gm.reps.multiplicities(rho, field="real")
    assert gm.reps.multiplicities(rho).tolist() == [0, 1, 0]


@pytest.mark.parametrize("field", ["real", "complex"])
def test_float32_representation_decomposes(field):
    """A float32 representation is judged in single precision: orthogonal, integral multiplicities,
    and a decomposition that block-diagonalises it to float32 accuracy."""
    G = gm.symmetric(4)
    nat = gm.reps.natural_representation(G)
    R = np.linalg.qr(np.random.default_rng(0).standard_normal((4, 4)))[0]
    rep = gm.Representation(G, (R.T @ nat.matrices @ R).astype(np.float32))
    assert rep.matrices.dtype == np.float32 and rep.is_orthogonal()
    assert gm.reps.multiplicities(rep).tolist() == gm.reps.multiplicities(nat).tolist()
    Q, parts = gm.decompose(rep, field)
    assert [(p.index, m) for p, m in parts] == [(0, 1), (1, 1)]
    Qi = np.linalg.inv(Q)
    for g in range(G.order):
        assert np.max(np.abs(Qi @ rep.matrices[g] @ Q - _block_diag_of(parts, g))) < 1e-5
    P = gm.reps.isotypic_projectors(rep, "real")
    assert np.max(np.abs(sum(P) - np.eye(4))) < 1e-5


def test_multiplicities_of_a_lazy_direct_sum_build_no_dense_matrices(monkeypatch):
    """regular(D512) + rot: its 1024 dense matrices of size 1026 would be 8 GiB; multiplicities are
    characters only, judged summand by summand."""
    G = gm.dihedral(512)
    t = 2 * np.pi / 512
    rot = gm.from_generators(G, [np.array([[np.cos(t), -np.sin(t)], [np.sin(t), np.cos(t)]]), np.diag([1.0, -1.0])])
    R = gm.regular_representation(G) + rot
    monkeypatch.setenv("GROUPMAT_MAX_BYTES", str(64 * 2**20))
    for field in ("complex", "real"):
        m = gm.reps.multiplicities(R, field)
        e = [{1: 1, 0: 2, -1: 4}[r.frobenius_schur] for r in gm.irreps(G, field)]
        want = [r.dim // k for r, k in zip(gm.irreps(G, field), e)]
        want[4] += 1                                       # rot is the first 2-dimensional irreducible
        assert m.tolist() == want
