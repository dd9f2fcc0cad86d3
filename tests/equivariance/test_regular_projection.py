"""The projection for (channels of) regular representations: the group-diagonal means.

Every path of the regular kernel (runs of diagonals moved as items, strided group matrices, the
single-entry gathers) against the definition, the dense Reynolds sum of ``tests/reference.py``, on
groups whose numbering takes every path, both sides, several channel counts, batch axes and dtypes;
the route does not depend on how a regular representation was built; what the kernel keeps in the
group's memo stays within the memo's budget and is read-only."""
from __future__ import annotations

import numpy as np
import pytest
import sympy
from hypothesis import given, settings
from hypothesis import strategies as st

import groupmat as gm
from groupmat.equivariance import kernels as K
from reference import reynolds


def _relabelled_cyclic(n: int, seed: int):
    """``C_n`` as a table group with its elements numbered in a random order (no run structure)."""
    perm = np.random.default_rng(seed).permutation(n)
    inv = np.argsort(perm)
    a, b = np.meshgrid(np.arange(n), np.arange(n), indexing="ij")
    table = inv[(perm[a] + perm[b]) % n]
    return gm.from_cayley_table(table, name=f"C{n}shuffled")


def _groups():
    return {
        "C1": gm.cyclic(1), "C2": gm.cyclic(2), "C6": gm.cyclic(6), "C7": gm.cyclic(7), "C16": gm.cyclic(16),
        "C17": gm.cyclic(17), "D3": gm.dihedral(3), "D8": gm.dihedral(8), "D16": gm.dihedral(16),
        "Q8": gm.quaternion(), "Dic3": gm.dicyclic(3), "S3": gm.symmetric(3), "S4": gm.symmetric(4),
        "A4": gm.alternating(4), "K4": gm.sign_group(2), "Sign3": gm.sign_group(3),
        "Q8xC4": gm.direct_product(gm.quaternion(), gm.cyclic(4)),
        "C4xD4": gm.direct_product(gm.cyclic(4), gm.dihedral(4)),
        "C12shuffled": _relabelled_cyclic(12, 3),
    }


GROUPS = _groups()


def _path(G, side):
    s = K._item_size(G, side, 8)
    win = K._window_indices(G, side)
    strided = win is not None and win[0] >= K._MIN_STRIDED_M and (win[2].all() or not win[2].any())
    return s, strided


def test_every_path_is_taken():
    paths = {_path(G, side) for G in GROUPS.values() for side in ("left", "right")}
    assert {(4, True), (4, False), (2, False), (1, True), (1, False)} <= paths, paths
    assert K._item_plan(GROUPS["D16"], "right", 4)[2].shape[1] == 2  # runs up and down: two tuples per label
    assert _path(GROUPS["C12shuffled"], "left") == (1, False)
    assert _path(GROUPS["C16"], "left") == (4, True)
    assert not _path(GROUPS["D16"], "left")[1]  # blocks of both orientations: gathers
    assert _path(GROUPS["D16"], "right")[1]


@pytest.mark.parametrize("side", ["left", "right"])
@pytest.mark.parametrize("name", sorted(GROUPS))
def test_regular_matches_reynolds(name, side):
    G = GROUPS[name]
    L = gm.regular_representation(G, side)
    rng = np.random.default_rng(len(name) * 7 + (side == "left"))
    for ci, co, batch in [(1, 1, ()), (3, 2, (2,)), (2, 3, (2, 1))]:
        ri, ro = ci * L, co * L
        W = rng.normal(size=batch + (ro.dim, ri.dim))
        P = gm.project(W, ri, ro, method="regular")
        assert P.shape == W.shape and P.dtype == W.dtype
        ref = reynolds(W, ri, ro)
        np.testing.assert_allclose(P, ref, atol=1e-12)
        np.testing.assert_allclose(gm.project(W, ri, ro), P, atol=1e-12)  # "auto" picks the same route


@pytest.mark.parametrize("name", ["C16", "D8", "Q8xC4", "S4", "C6"])
def test_empty_batch(name):
    L = gm.regular_representation(GROUPS[name], "right")
    W = np.zeros((0, 3, 2 * L.dim, 3 * L.dim))
    P = gm.project(W, 3 * L, 2 * L, method="regular")
    assert P.shape == W.shape


@pytest.mark.parametrize("name", ["C16", "D8", "Q8xC4", "S4", "C6", "D16"])
def test_dtypes_are_kept(name):
    G = GROUPS[name]
    L = gm.regular_representation(G)
    ri, ro = 2 * L, 3 * L
    rng = np.random.default_rng(5)
    W = rng.normal(size=(ro.dim, ri.dim))
    ref = reynolds(W, ri, ro)
    P32 = gm.project(W.astype(np.float32), ri, ro, method="regular")
    assert P32.dtype == np.float32
    np.testing.assert_allclose(P32, ref, atol=1e-5)
    P16 = gm.project(W.astype(np.float16), ri, ro, method="regular")   # float16 is computed in float32
    assert P16.dtype == np.float32
    np.testing.assert_allclose(P16, reynolds(W.astype(np.float16), ri, ro), atol=1e-5)
    Pc64 = gm.project((W + 1j * W).astype(np.complex64), ri, ro, method="regular")
    assert Pc64.dtype == np.complex64
    np.testing.assert_allclose(Pc64, ref + 1j * ref, atol=1e-5)
    Z = W + 1j * rng.normal(size=W.shape)
    Pc = gm.project(Z, ri, ro, method="regular")
    assert Pc.dtype == np.complex128
    np.testing.assert_allclose(Pc, ref + 1j * reynolds(Z.imag, ri, ro), atol=1e-12)
    Pi = gm.project(np.arange(W.size).reshape(W.shape), ri, ro, method="regular")  # integers -> floats
    np.testing.assert_allclose(Pi, reynolds(np.arange(W.size, dtype=float).reshape(W.shape), ri, ro),
                               atol=1e-9)


@pytest.mark.parametrize("name", ["C16", "D8", "Q8xC4", "S3"])
def test_exact_agrees_with_numeric(name):
    G = GROUPS[name]
    L = gm.regular_representation(G, "right")
    rep = 2 * L
    rng = np.random.default_rng(11)
    Wi = rng.integers(-5, 6, size=(rep.dim, rep.dim))
    Pe = gm.project(sympy.Matrix(Wi.tolist()), rep, rep, method="regular")
    Pn = gm.project(Wi.astype(float), rep, rep, method="regular")
    assert all(isinstance(v, sympy.Rational) for v in Pe)
    np.testing.assert_allclose(np.array(Pe.tolist(), dtype=float), Pn, atol=1e-12)
    # exact diagonal means of an integer matrix: |G| P(W) is an integer matrix
    assert all((v * G.order).is_Integer for v in Pe)


def test_non_contiguous_blocks_through_auto():
    """``auto`` on a sum with a regular run hands the kernel a strided view of W."""
    G = GROUPS["D8"]
    L = gm.regular_representation(G)
    T = gm.reps.trivial_representation(G)
    ri, ro = 2 * L + T, T + 3 * L
    W = np.random.default_rng(2).normal(size=(2, ro.dim, ri.dim))
    P = gm.project(W, ri, ro)
    np.testing.assert_allclose(P, reynolds(W, ri, ro), atol=1e-12)


def test_plans_are_what_they_claim():
    """Each returned plan reproduces the label table entry by entry."""
    for G in GROUPS.values():
        for side in ("left", "right"):
            _, lab = K.regular_indices(G, side)
            n = G.order
            st_ = K.regular_structure(G, side)
            if st_ is not None:
                m, Q, u, sa, sb = st_
                ca, cb = np.arange(n) % m, np.arange(n) % m
                qa, qb = np.arange(n) // m, np.arange(n) // m
                expect = (Q[qa[:, None], qb[None, :]] * m
                          + (u[qa[:, None], qb[None, :]] + sa[qa[:, None], qb[None, :]] * ca[:, None]
                             + sb[qa[:, None], qb[None, :]] * cb[None, :]) % m)
                assert np.array_equal(expect, lab), (G.name, side)
            for s in (16, 8, 4, 2):
                plan = K._item_plan(G, side, s)
                if plan is None:
                    continue
                tuples, ids, where = plan
                assert np.array_equal(tuples[ids].reshape(n, n), lab)
                for e in range(s):
                    for k in range(where.shape[1]):
                        assert np.array_equal(tuples[where[e, k], e], np.arange(n))


@pytest.mark.parametrize("budget", [1 << 16, 6000, 0])
def test_the_memo_stays_within_its_budget(budget):
    """With a small memo (``G.memo.max_bytes``) the kernel keeps what fits, evicts the rest, and the
    projections stay correct; what it keeps is read-only."""
    G = gm.cyclic(16)
    G.memo.max_bytes = budget
    L = gm.regular_representation(G)
    rng = np.random.default_rng(0)
    for c in (1, 2, 3, 5, 8, 1):
        rep = c * L
        W = rng.normal(size=(rep.dim, rep.dim))
        np.testing.assert_allclose(gm.project(W, rep, rep), reynolds(W, rep, rep), atol=1e-12)
        assert G.memo.nbytes <= budget
    kept = [G.memo.peek("equivariance.kernels", key) for key in G.memo.keys("equivariance.kernels")]
    arrays = [a for v in kept for a in (v if isinstance(v, tuple) else (v,)) if isinstance(a, np.ndarray)]
    assert budget == 0 or arrays
    assert not any(a.flags.writeable for a in arrays)


def test_more_budget_keeps_more():
    small, large = gm.cyclic(16), gm.cyclic(16)
    small.memo.max_bytes, large.memo.max_bytes = 1 << 14, 1 << 24
    W = np.random.default_rng(1).normal(size=(48, 48))
    for G in (small, large):
        rep = 3 * gm.regular_representation(G)
        np.testing.assert_allclose(gm.project(W, rep, rep), reynolds(W, rep, rep), atol=1e-12)
    assert small.memo.nbytes <= 1 << 14 and small.memo.nbytes < large.memo.nbytes


def _built_three_ways(G, side):
    """The regular representation: by its constructor, as a PermutationRepresentation of its
    permutations, and with dense permutation matrices."""
    L = gm.regular_representation(G, side)
    return L, gm.reps.PermutationRepresentation(G, L.perms), L.numeric_dense()


@pytest.mark.parametrize("side", ["left", "right"])
@pytest.mark.parametrize("name", ["C6", "D8", "Q8", "S4", "C12shuffled"])
def test_regular_route_does_not_depend_on_how_the_representation_was_built(name, side):
    G = GROUPS[name]
    L, P, D = _built_three_ways(G, side)
    rng = np.random.default_rng(3)
    for c_in, c_out in ((1, 1), (2, 3)):
        W = rng.normal(size=(2, c_out * G.order, c_in * G.order))
        ref = gm.project(W, c_in * L, c_out * L)
        np.testing.assert_allclose(ref, reynolds(W, c_in * L, c_out * L), atol=1e-12)
        for rep in (P, D):
            ri, ro = c_in * rep, c_out * rep
            assert gm.equivariance.regular_channels(ri) == (side, c_in)
            assert gm.equivariance.regular_channels(ro) == (side, c_out)
            np.testing.assert_allclose(gm.project(W, ri, ro, method="regular"), ref, atol=1e-12)
            np.testing.assert_allclose(gm.project(W, ri, ro), ref, atol=1e-12)      # auto takes that route
            np.testing.assert_allclose(gm.non_equivariant_part(W, ri, ro), W - ref, atol=1e-12)
        # mixed: the constructor's representation in, a dense copy out
        np.testing.assert_allclose(gm.project(W, c_in * L, c_out * D, method="regular"), ref, atol=1e-12)
    # the equivariant basis takes the regular route too: the normalised group diagonals
    np.testing.assert_array_equal(gm.equivariant_basis(D, D), gm.equivariant_basis(L, L))
    np.testing.assert_array_equal(gm.equivariant_basis(2 * P, D), gm.equivariant_basis(2 * L, L))


def test_a_regular_summand_beside_others_takes_the_regular_route():
    """``auto`` on ``dense L + T``: the regular block of a dense copy is the group matrix of its
    diagonal means (the same as for the constructor's representation)."""
    G = GROUPS["D8"]
    L = gm.regular_representation(G)
    T = gm.reps.trivial_representation(G)
    W = np.random.default_rng(4).normal(size=(L.dim + 1, L.dim + 1))
    P = gm.project(W, L.numeric_dense() + T, T + L.numeric_dense())
    np.testing.assert_allclose(P, gm.project(W, L + T, T + L), atol=1e-12)
    np.testing.assert_allclose(P, reynolds(W, L + T, T + L), atol=1e-12)
    assert gm.is_group_matrix(G, P[1:, :L.dim])


def test_not_regular_is_not_taken_for_regular():
    """A permutation representation of dimension |G| that is not regular (the identity action), and
    a left-regular input with a right-regular output, are refused by method='regular'."""
    G = GROUPS["S3"]
    trivial_action = gm.reps.PermutationRepresentation(G, np.tile(np.arange(6), (6, 1)))
    L, R = gm.regular_representation(G), gm.regular_representation(G, "right")
    assert gm.equivariance.regular_channels(trivial_action) is None
    assert gm.equivariance.regular_channels(L + R) is None
    for ri, ro in ((trivial_action, trivial_action), (L, R)):
        with pytest.raises(ValueError, match="method='regular' needs"):
            gm.project(np.zeros((6, 6)), ri, ro, method="regular")
        W = np.random.default_rng(5).normal(size=(6, 6))
        np.testing.assert_allclose(gm.project(W, ri, ro), reynolds(W, ri, ro), atol=1e-12)
    with pytest.raises(TypeError, match="rep must be a groupmat Representation"):
        gm.equivariance.regular_channels(np.eye(6))


@settings(max_examples=20, deadline=None)
@given(name=st.sampled_from(sorted(GROUPS)), side=st.sampled_from(["left", "right"]),
       ci=st.integers(1, 3), co=st.integers(1, 3), seed=st.integers(0, 2**16))
def test_random_cases(name, side, ci, co, seed):
    G = GROUPS[name]
    L = gm.regular_representation(G, side)
    ri, ro = ci * L, co * L
    W = np.random.default_rng(seed).normal(size=(ro.dim, ri.dim))
    P = gm.project(W, ri, ro, method="regular")
    np.testing.assert_allclose(P, reynolds(W, ri, ro), atol=1e-12)
    np.testing.assert_allclose(gm.project(P, ri, ro, method="regular"), P, atol=1e-12)  # idempotent


@pytest.mark.parametrize("name", ["C16", "S4", "Q8xC4"])
def test_finite_check_from_the_means(name):
    """``regular_block(..., finite_name=...)`` refuses NaN/inf through the means, and lets a finite
    input whose sums overflow through (as the separate check did)."""
    G = GROUPS[name]
    n = G.order
    X = np.random.default_rng(4).normal(size=(2, 2, n, 3, n))
    ref = K.regular_block(X, G, "left")
    np.testing.assert_array_equal(K.regular_block(X, G, "left", finite_name="W"), ref)
    for bad in (np.nan, np.inf, -np.inf):
        Y = X.copy()
        Y[1, 0, n - 1, 2, 0] = bad
        with pytest.raises(ValueError, match="W must be finite"):
            K.regular_block(Y, G, "left", finite_name="W")
        with pytest.raises(ValueError, match="weights must be finite"):
            K.regular_block(Y.astype(np.complex128), G, "left", finite_name="weights")
    big = np.full((1, 1, n, 1, n), 1e308)
    with np.errstate(over="ignore"):
        P = K.regular_block(big, G, "left", finite_name="W")
    assert np.isinf(P).all()
