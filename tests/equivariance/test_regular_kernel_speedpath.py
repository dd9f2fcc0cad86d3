"""The fast paths of the regular projection kernel (runs of diagonals moved as items, strided
group matrices, the single-entry gathers) against the definition: the dense Reynolds sum
``1/|G| sum_g rho_out(g) W rho_in(g)^T`` with dense permutation matrices, on groups whose numbering
takes every path, both sides, several channel counts, batch axes and dtypes."""
from __future__ import annotations

import numpy as np
import pytest
import sympy
from hypothesis import given, settings
from hypothesis import strategies as st

import groupmat as gm
from groupmat.equivariance import kernels as K


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
        "A4": gm.alternating(4), "K4": gm.klein_four(), "Sign3": gm.sign_group(3),
        "Q8xC4": gm.direct_product(gm.quaternion(), gm.cyclic(4)),
        "C4xD4": gm.direct_product(gm.cyclic(4), gm.dihedral(4)),
        "C12shuffled": _relabelled_cyclic(12, 3),
    }


GROUPS = _groups()


def dense_reynolds(W, rep_in, rep_out):
    """The definition with dense permutation matrices (orthogonal: ``rho(g)^-1 = rho(g)^T``)."""
    n = rep_in.group.order

    def dense(rep):
        d = rep.dim
        M = np.zeros((n, d, d))
        M[np.arange(n)[:, None], rep.perms, np.arange(d)[None, :]] = 1.0  # rho(g) e_i = e_{p[g, i]}
        return M

    return _sum_conjugates(W, dense(rep_in), dense(rep_out))


def _sum_conjugates(W, Mi, Mo):
    """``1/n sum_g Mo[g] W Mi[g]^T`` by einsum (no BLAS: threaded BLAS on a busy 2-core machine
    turns these small products into milliseconds each)."""
    W = np.asarray(W)
    A = np.einsum("gab,bc->gac", Mo, W)
    return np.einsum("gac,gdc->ad", A, Mi) / Mi.shape[0]


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
def test_regular_matches_dense_reynolds(name, side):
    G = GROUPS[name]
    L = gm.regular_representation(G, side)
    rng = np.random.default_rng(len(name) * 7 + (side == "left"))
    for ci, co, batch in [(1, 1, ()), (3, 2, (2,)), (2, 3, (2, 1))]:
        ri, ro = ci * L, co * L
        W = rng.normal(size=batch + (ro.dim, ri.dim))
        P = gm.project(W, ri, ro, method="regular")
        assert P.shape == W.shape and P.dtype == W.dtype
        ref = np.stack([dense_reynolds(w, ri, ro) for w in W.reshape(-1, ro.dim, ri.dim)]).reshape(W.shape)
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
    ref = dense_reynolds(W, ri, ro)
    P32 = gm.project(W.astype(np.float32), ri, ro, method="regular")
    assert P32.dtype == np.float32
    np.testing.assert_allclose(P32, ref, atol=1e-5)
    P16 = gm.project(W.astype(np.float16), ri, ro, method="regular")
    assert P16.dtype == np.float16
    np.testing.assert_allclose(P16, ref, atol=2e-2)
    Pc64 = gm.project((W + 1j * W).astype(np.complex64), ri, ro, method="regular")
    assert Pc64.dtype == np.complex64
    np.testing.assert_allclose(Pc64, ref + 1j * ref, atol=1e-5)
    Z = W + 1j * rng.normal(size=W.shape)
    Pc = gm.project(Z, ri, ro, method="regular")
    assert Pc.dtype == np.complex128
    np.testing.assert_allclose(Pc, ref + 1j * dense_reynolds(Z.imag, ri, ro), atol=1e-12)
    Pi = gm.project(np.arange(W.size).reshape(W.shape), ri, ro, method="regular")  # integers -> floats
    np.testing.assert_allclose(Pi, dense_reynolds(np.arange(W.size, dtype=float).reshape(W.shape), ri, ro),
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
    T = gm.trivial_representation(G)
    ri, ro = 2 * L + T, T + 3 * L
    W = np.random.default_rng(2).normal(size=(2, ro.dim, ri.dim))
    P = gm.project(W, ri, ro)
    ref = np.stack([_dense_any(w, ri, ro) for w in W])
    np.testing.assert_allclose(P, ref, atol=1e-12)


def _dense_any(W, rep_in, rep_out):
    Mi = np.asarray(rep_in.numeric().matrices, dtype=float)
    Mo = np.asarray(rep_out.numeric().matrices, dtype=float)
    return _sum_conjugates(W, Mi, Mo)


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


def test_index_cache_is_bounded(monkeypatch):
    G = gm.cyclic(16)
    L = gm.regular_representation(G)
    monkeypatch.setattr(K, "_REGULAR_CACHE_BYTES", 6000)
    G._cache.pop("equivariance_regular_index_arrays", None)
    rng = np.random.default_rng(0)
    for c in (1, 2, 3, 5, 8):  # the index arrays of c = 8 alone exceed the budget: not kept
        rep = c * L
        W = rng.normal(size=(rep.dim, rep.dim))
        np.testing.assert_allclose(gm.project(W, rep, rep), dense_reynolds(W, rep, rep), atol=1e-12)
        cache = G._cache.get("equivariance_regular_index_arrays", {})
        assert cache.get("_bytes", 0) <= 6000
        assert cache.get("_bytes", 0) == sum(
            a.nbytes for k, v in cache.items() if k != "_bytes" for a in (v if isinstance(v, tuple) else (v,)))
    assert ("items", "left", 4, 8) not in G._cache["equivariance_regular_index_arrays"]


@settings(max_examples=20, deadline=None)
@given(name=st.sampled_from(sorted(GROUPS)), side=st.sampled_from(["left", "right"]),
       ci=st.integers(1, 3), co=st.integers(1, 3), seed=st.integers(0, 2**16))
def test_random_cases(name, side, ci, co, seed):
    G = GROUPS[name]
    L = gm.regular_representation(G, side)
    ri, ro = ci * L, co * L
    W = np.random.default_rng(seed).normal(size=(ro.dim, ri.dim))
    P = gm.project(W, ri, ro, method="regular")
    np.testing.assert_allclose(P, dense_reynolds(W, ri, ro), atol=1e-12)
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
