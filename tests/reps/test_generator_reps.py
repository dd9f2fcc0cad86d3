"""Representations of S_n by generators (groupmat.reps.generator_reps), checked against the enumerated
machinery for small n and against known decompositions beyond the enumerated range."""
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import groupmat as gm
from groupmat.equivariance import equivariant_basis, hom_dimension, project
from groupmat.reps import (GeneratorRepresentation, decompose, fourier, fourier_sparse, generator_hom_basis,
                           generator_multiplicities, irreps, multiplicities, natural_action, natural_representation,
                           symmetric_irreps, young_irrep)
from groupmat.reps.generator_reps import _irreducible_characters, _jacobi_trudi_characters
from groupmat.reps.symmetric_characters import murnaghan_nakayama_table, partitions


def _all_perms(G):
    return G.permutations(np.arange(G.order))


@pytest.mark.parametrize("n", [1, 2, 3, 4, 5])
def test_young_irreps_equal_enumerated_irreps(n):
    G = gm.symmetric(n)
    P = _all_perms(G)
    for r, Y in zip(irreps(G), symmetric_irreps(G)):
        assert np.allclose(Y.image(P), r.matrices, atol=1e-12)
        # the same generators as a dense representation: images by words in star transpositions
        D = GeneratorRepresentation(G, Y.images)
        assert np.allclose(D.image(P), r.matrices, atol=1e-12)
        assert D.relation_defect() < 1e-12
    V = GeneratorRepresentation.from_action(natural_action(G))
    assert np.array_equal(V.image(P), natural_representation(G).matrices)


def test_sums_and_tensors_match_enumerated():
    G = gm.symmetric(4)
    P = _all_perms(G)
    r = irreps(G)
    Y = symmetric_irreps(G)
    V = GeneratorRepresentation.from_action(natural_action(G))
    nat = natural_representation(G)
    W = Y[1] * V + 2 * Y[2]
    ref = gm.reps.direct_sum(gm.reps.tensor(r[1], nat), r[2], r[2])
    assert np.allclose(W.image(P), ref.matrices)
    assert np.allclose(W.images, ref.matrices[list(G.generators)])
    assert np.allclose(W.character(P), np.trace(ref.matrices, axis1=1, axis2=2))
    # action algebra carried over: (V + V*V) as a PermutationAction
    A = natural_action(G)
    U = GeneratorRepresentation.from_action(A + A * A)
    assert np.array_equal(U.image(P), gm.reps.direct_sum(nat, gm.reps.tensor(nat, nat)).matrices)


@settings(max_examples=10, deadline=None)
@given(seed=st.integers(0, 2**31 - 1))
def test_image_is_a_homomorphism_n12(seed):
    G = gm.symmetric(12)
    g, h = G.random_element(seed=seed, size=2)
    gh = h[g]                                            # perm(g h) = perm(h)[perm(g)]
    rng = np.random.default_rng(seed)
    Y = young_irrep(G, (10, 2))
    D = GeneratorRepresentation(G, Y.images)
    V = GeneratorRepresentation.from_action(natural_action(G))
    for rho in (Y, D, V * V, Y + V):
        A, B, C = rho.image(np.stack([g, h, gh]))
        assert np.allclose(C, A @ B, atol=1e-10)
    # a conjugate A^-1 Y A by a non-orthogonal A: a homomorphism too, with images A^-1 Y(g) A
    Q, _ = np.linalg.qr(rng.standard_normal((11, 11)))
    A = Q * np.linspace(1.0, 2.0, 11)                    # condition number 2
    Y1 = young_irrep(G, (11, 1))
    E = GeneratorRepresentation(G, np.linalg.solve(A, Y1.images) @ A)
    X, Z, C = E.image(np.stack([g, h, gh]))
    assert np.allclose(C, X @ Z, atol=1e-8)
    assert np.allclose(X, np.linalg.solve(A, Y1.image(g)) @ A, atol=1e-8)


def test_images_of_the_generators_are_the_given_matrices():
    G = gm.symmetric(7)
    Y = young_irrep(G, (4, 2, 1))
    assert np.allclose(Y.image(G.generator_permutations), Y.images)
    D = GeneratorRepresentation(G, Y.images)
    assert np.allclose(D.image(G.generator_permutations), Y.images, atol=1e-12)


def test_s30_tensor_square_of_the_natural_representation():
    V = GeneratorRepresentation.from_action(natural_action(gm.symmetric(30)))
    m = multiplicities(V * V)                            # the hook in groupmat.reps.decomposition
    assert m == {(30,): 2, (29, 1): 3, (28, 2): 1, (28, 1, 1): 1}
    assert hom_dimension(V * V, V * V) == 15             # Bell(4), sum m^2
    assert hom_dimension(V, V * V) == 5                  # Bell(3)


@pytest.mark.parametrize("n", [3, 4, 5, 6])
def test_multiplicities_match_enumerated(n):
    G = gm.symmetric(n)
    V = GeneratorRepresentation.from_action(natural_action(G))
    Y = young_irrep(G, partitions(n)[1])
    nat = natural_representation(G)
    y = irreps(G)[1]
    for gen, rep in ((V * V, gm.reps.tensor(nat, nat)), (Y * Y, gm.reps.tensor(y, y)), (V + Y * V, None)):
        if rep is None:
            rep = gm.reps.direct_sum(nat, gm.reps.tensor(y, nat))
        got = generator_multiplicities(gen)
        want = multiplicities(rep)
        assert [got.get(lam, 0) for lam in partitions(n)] == want.tolist()


@pytest.mark.parametrize("n", [1, 2, 4, 6, 8])
def test_jacobi_trudi_characters_match_murnaghan_nakayama(n):
    G = gm.symmetric(n)
    T = murnaghan_nakayama_table(n)
    cols = [partitions(n).index(tuple(mu)) for mu in G.class_cycle_types()]
    chars = _jacobi_trudi_characters(partitions(n), G.class_cycle_types())
    assert np.array_equal(np.array(chars, dtype=np.int64), T[:, cols])
    assert np.array_equal(np.array(_irreducible_characters(partitions(n), G), dtype=np.int64), T[:, cols])


def test_young_characters_are_traces():
    G = gm.symmetric(6)
    for lam in partitions(6):
        Y = young_irrep(G, lam)
        exact = Y.character()
        traces = Y.character(G.class_permutations())
        assert exact.dtype.kind == "i" and np.allclose(traces, exact)


@pytest.mark.parametrize("n", [3, 4])
def test_project_and_basis_match_enumerated(n):
    G = gm.symmetric(n)
    rng = np.random.default_rng(n)
    V = GeneratorRepresentation.from_action(natural_action(G))
    Y = young_irrep(G, partitions(n)[1])
    nat = natural_representation(G)
    y = irreps(G)[1]
    pairs = [(V, V * V, nat, gm.reps.tensor(nat, nat)), (Y * V, V + Y, gm.reps.tensor(y, nat),
                                                       gm.reps.direct_sum(nat, y))]
    for gin, gout, rin, rout in pairs:
        W = rng.standard_normal((2, gout.dim, gin.dim))
        P = project(W, gin, gout)
        assert np.allclose(P, project(W, rin, rout), atol=1e-10)
        B = equivariant_basis(gin, gout)
        assert B.shape[0] == hom_dimension(gin, gout) == hom_dimension(rin, rout)
        assert np.allclose(np.einsum("kij,lij->kl", B, B), np.eye(B.shape[0]), atol=1e-10)


def test_project_dimension_is_the_character_count_n6():
    G = gm.symmetric(6)
    V = GeneratorRepresentation.from_action(natural_action(G))
    Y = young_irrep(G, (4, 2))
    for a, b in ((V * V, V), (Y, V * V), (Y * V, Y + 1 * V)):
        B = generator_hom_basis(a, b)
        assert B.shape[0] == hom_dimension(a, b)
        W = np.random.default_rng(0).standard_normal((b.dim, a.dim))
        P = project(W, a, b)
        assert np.allclose(project(P, a, b), P)                           # idempotent
        for s in range(2):                                                # equivariant under the generators
            assert np.allclose(P @ a.images[s], b.images[s] @ P, atol=1e-10)
        assert np.isclose(np.sum(W**2), np.sum(P**2) + np.sum((W - P)**2))   # orthogonal


def test_decompose_blocks():
    G = gm.symmetric(5)
    V = GeneratorRepresentation.from_action(natural_action(G))
    Q, parts = decompose(V * V)
    assert [(p.dim, m) for p, m in parts] == [(1, 2), (4, 3), (5, 1), (6, 1)]
    assert np.allclose(Q.T @ Q, np.eye(25), atol=1e-10)
    g = G.random_element(seed=3)
    blocks = [p.image(g) for p, m in parts for _ in range(m)]
    D = np.zeros((25, 25))
    o = 0
    for b in blocks:
        D[o:o + b.shape[0], o:o + b.shape[0]] = b
        o += b.shape[0]
    assert np.allclose(Q.T @ (V * V).image(g) @ Q, D, atol=1e-10)


@pytest.mark.parametrize("n", [4, 5])
def test_fourier_sparse_matches_fourier(n):
    G = gm.symmetric(n)
    rng = np.random.default_rng(n)
    idx = rng.choice(G.order, size=7, replace=False)
    vals = rng.standard_normal(7)
    x = np.zeros(G.order)
    x[idx] = vals
    dense = list(fourier(G, x))
    sparse = fourier_sparse(G, G.permutations(idx), vals)
    assert len(dense) == len(sparse)
    for a, b in zip(dense, sparse):
        assert np.allclose(a, b)
    # repeats add up, a chosen list of shapes
    two = fourier_sparse(G, G.permutations(np.r_[idx, idx]), np.r_[vals, vals], shapes=[partitions(n)[1]])
    assert np.allclose(two[0], 2 * dense[1])


def test_non_representations_are_caught():
    G = gm.symmetric(4)
    bad = GeneratorRepresentation(G, np.stack([-np.eye(1), np.eye(1)]))   # sign needs c -> -1 for n = 4
    assert bad.relation_defect() == 2.0
    sign = GeneratorRepresentation(G, np.stack([-np.eye(1), -np.eye(1)]))
    assert sign.relation_defect() == 0.0 and generator_multiplicities(sign) == {(1, 1, 1, 1): 1}
    Y = young_irrep(G, (3, 1))
    skew = GeneratorRepresentation(G, np.stack([Y.images[0], Y.images[1] @ Y.images[0]]))
    assert skew.relation_defect() > 0.1
    with pytest.raises(ValueError, match="non-integer multiplicity 0.125"):
        generator_multiplicities(skew)
    with pytest.raises(ValueError, match="not a representation"):
        generator_hom_basis(skew, Y)


def test_bad_input():
    G = gm.symmetric(5)
    with pytest.raises(ValueError, match=r"images must have shape \(number of generators of S5, d, d\)"):
        GeneratorRepresentation(G, np.eye(3))
    with pytest.raises(ValueError, match="images must be finite"):
        GeneratorRepresentation(G, np.full((2, 2, 2), np.nan))
    with pytest.raises(TypeError, match="images must be a numeric array"):
        GeneratorRepresentation(G, np.array([[["a"]], [["b"]]]))
    with pytest.raises(ValueError, match="needs G = symmetric"):
        GeneratorRepresentation(gm.alternating(5), np.ones((2, 1, 1)))
    with pytest.raises(TypeError, match="G must be"):
        young_irrep("S5", (5,))
    with pytest.raises(ValueError, match="shape must be a partition of 5"):
        young_irrep(G, (3, 3))
    with pytest.raises(TypeError, match="shape must be a partition given as a tuple"):
        young_irrep(G, "5")
    Y = young_irrep(G, (4, 1))
    with pytest.raises(ValueError, match=r"perms must have shape \(\.\.\., 5\)"):
        Y.image([0, 1, 2])
    with pytest.raises(ValueError, match="must be a permutation of 0..4"):
        Y.image([0, 0, 1, 2, 3])
    with pytest.raises(TypeError, match="perms must be an integer array"):
        Y.image([0.0, 1, 2, 3, 4])
    with pytest.raises(ValueError, match="different group objects"):
        Y + young_irrep(gm.symmetric(5), (4, 1))
    with pytest.raises(TypeError, match="tensor product needs two GeneratorRepresentations"):
        Y * "x"
    with pytest.raises(ValueError, match=r"W must have shape \(\.\.\., d_out, d_in\) = \(\.\.\., 4, 4\)"):
        project(np.ones((3, 4)), Y, Y)
    with pytest.raises(TypeError, match="action must be a PermutationAction"):
        GeneratorRepresentation.from_action(Y)
    with pytest.raises(ValueError, match=r"values must have shape \(2,\)"):
        fourier_sparse(G, np.stack([np.arange(5)] * 2), [1.0])
    with pytest.raises(gm.TooLargeError if hasattr(gm, "TooLargeError") else MemoryError):
        young_irrep(gm.symmetric(60), (30, 30))
    assert math.factorial(5) == G.order
