"""Dask arrays in, Dask arrays out: every entry point equals its NumPy result, stays lazy, keeps the
batch chunks, joins a split group axis or refuses it clearly.

(The folder is ``dask_support``, not ``dask``: ``tests/`` is on ``sys.path``, and a folder named
``dask`` would be imported as Dask itself where Dask is not installed, as ``tests/torch`` once was.)
"""
from __future__ import annotations

import numpy as np
import pytest

da = pytest.importorskip("dask.array")
dask = pytest.importorskip("dask")

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

import groupmat as gm  # noqa: E402
from groupmat._chunked import apply, is_chunked  # noqa: E402
from groupmat.tolerances import roundoff  # noqa: E402


@pytest.fixture(autouse=True, scope="module")
def _synchronous():
    # the blocks are tiny: Dask's single-threaded scheduler computes them in this process
    with dask.config.set(scheduler="synchronous"):
        yield


def close(got, want, terms=1):
    """``got`` (a Dask result, computed here) equals the NumPy ``want`` up to round-off."""
    assert is_chunked(got), f"expected a lazy dask array, got {type(got).__name__}"
    value = got.compute()
    want = np.asarray(want)
    assert value.shape == want.shape and value.dtype == want.dtype, (value.shape, value.dtype, want.shape, want.dtype)
    tol = roundoff(want.dtype, scale=float(np.abs(want).max(initial=0)), terms=terms)
    np.testing.assert_allclose(value, want, rtol=0, atol=tol)


RNG = np.random.default_rng(16)
GROUPS = {"C6": gm.cyclic(6), "C4xC2": gm.group("C4xC2"), "D5": gm.dihedral(5), "S3": gm.symmetric(3),
          "D3xC2": gm.group("D3xC2"), "Q8": gm.quaternion()}


# ------------------------------------------------------------------------------------------- convolve
@pytest.mark.parametrize("name", list(GROUPS))
def test_convolve_block_by_block_equals_numpy_and_the_group_matrix_product(name):
    G = GROUPS[name]
    n = G.order
    x, y = RNG.standard_normal((2, 11, n))
    X = da.from_array(x, chunks=(4, n))
    Y = da.from_array(y, chunks=(3, n))             # other batch chunks: aligned to X's
    Z = gm.convolve(G, X, Y)
    assert Z.chunks == ((4, 4, 3), (n,))
    close(Z, gm.convolve(G, x, y), terms=n)
    # independently: M_x M_y = M_{x*y}, first row of the product of the group matrices
    Mx, My = gm.group_matrix(G, x[2]), gm.group_matrix(G, y[2])
    e = G.identity
    np.testing.assert_allclose(Z[2].compute(), (Mx @ My)[e], atol=roundoff(np.float64, 10.0, n))


def test_convolve_broadcasts_numpy_and_dask_operands_like_numpy():
    G = GROUPS["D5"]
    n = G.order
    x = RNG.standard_normal((3, 7, n))
    X = da.from_array(x, chunks=(1, 3, n))
    f = RNG.standard_normal(n)                      # one filter for every signal
    close(gm.convolve(G, X, f), gm.convolve(G, x, f), terms=n)
    close(gm.convolve(G, f, X), gm.convolve(G, f, x), terms=n)
    per_row = RNG.standard_normal((7, n))           # a NumPy operand with batch axes: sliced per block
    close(gm.convolve(G, X, per_row), gm.convolve(G, x, per_row), terms=n)
    many = RNG.standard_normal((2, 1, 7, n))        # NumPy with more batch axes than the dask operand
    Z = gm.convolve(G, X[0], many)
    assert Z.shape == (2, 1, 7, n)
    close(Z, gm.convolve(G, x[0], many), terms=n)
    Y = da.from_array(RNG.standard_normal((1, 7, n)), chunks=(1, 2, n))    # a dask operand broadcast
    close(gm.convolve(G, X, Y), gm.convolve(G, x, Y.compute()), terms=n)


def test_integer_convolution_stays_integer_and_exact():
    G = GROUPS["C4xC2"]
    x = RNG.integers(-5, 6, size=(9, 8))
    y = RNG.integers(-5, 6, size=8)
    Z = gm.convolve(G, da.from_array(x, chunks=(2, 8)), y)
    assert Z.dtype == gm.convolve(G, x, y).dtype
    np.testing.assert_array_equal(Z.compute(), gm.convolve(G, x, y))


def test_fast_group_matvec_equals_the_group_matrix_product():
    G = GROUPS["S3"]
    u = RNG.standard_normal(6)
    V = RNG.standard_normal((10, 6))
    got = gm.reps.fast_group_matvec(G, u, da.from_array(V, chunks=(3, 6)))
    close(got, V @ gm.group_matrix(G, u).T, terms=6)     # row i: M_u v_i


# -------------------------------------------------------------------------------------------- fourier
@pytest.mark.parametrize("name", list(GROUPS))
@pytest.mark.parametrize("field", ["complex", "real"])
def test_fourier_gives_lazy_stacks_equal_to_numpy_and_inverts(name, field):
    G = GROUPS[name]
    n = G.order
    x = RNG.standard_normal((2, 5, n))
    X = da.from_array(x, chunks=(1, 2, n))
    xhat, ref = gm.fourier(G, X, field=field), gm.fourier(G, x, field=field)
    assert isinstance(xhat, gm.reps.FourierCoefficients) and xhat.field == field and len(xhat) == len(ref)
    assert xhat.batch_shape == (2, 5) and xhat.real_input and np.array_equal(xhat.degrees, ref.degrees)
    for (i, got), (j, want) in zip(xhat.stacks, ref.stacks):
        assert np.array_equal(i, j) and got.chunks[:2] == ((1, 1), (2, 2, 1))
        close(got, want, terms=n)
    back = gm.inverse_fourier(G, xhat)
    close(back, x, terms=n)
    assert back.dtype == np.float64                         # real input comes back real


def test_the_transform_of_a_convolution_is_the_product_of_transforms():
    G = GROUPS["D5"]
    x, y = RNG.standard_normal((2, 6, 10))
    X, Y = da.from_array(x, chunks=(2, 10)), da.from_array(y, chunks=(3, 10))
    Z = gm.inverse_fourier(G, gm.fourier(G, X) @ gm.fourier(G, Y))        # (x * y)^ = xhat yhat
    close(Z, gm.convolve(G, x, y), terms=10)


def test_complex_input_comes_back_complex_and_a_single_function_works():
    G = GROUPS["C6"]
    z = RNG.standard_normal((4, 6)) + 1j * RNG.standard_normal((4, 6))
    zhat = gm.fourier(G, da.from_array(z, chunks=(2, 6)))
    assert not zhat.real_input
    close(gm.inverse_fourier(G, zhat), z, terms=6)
    one = gm.fourier(G, da.from_array(z[0].real, chunks=3))             # no batch axis, split group axis
    assert one.batch_shape == () and one.stacks[0][1].chunks == ((6,), (1,), (1,))
    close(one.stacks[0][1], gm.fourier(G, z[0].real).stacks[0][1], terms=6)


# ---------------------------------------------------------------------------------------- projections
def _reps(G):
    L = gm.regular_representation(G)
    R = gm.regular_representation(G, "right")
    dense = gm.irreps(G, "real")[-1]
    return {"regular": (2 * L, L), "mixed": (L + dense, dense + R)}


@pytest.mark.parametrize("kind", ["regular", "mixed"])
def test_project_non_equivariant_part_and_defect_on_batches_of_weights(kind):
    G = GROUPS["S3"]
    rep_in, rep_out = _reps(G)[kind]
    W = RNG.standard_normal((3, 4, rep_out.dim, rep_in.dim))
    WD = da.from_array(W, chunks=(2, 3, rep_out.dim, rep_in.dim))
    P = gm.project(WD, rep_in, rep_out)
    assert P.chunks[:2] == ((2, 1), (3, 1))
    close(P, gm.project(W, rep_in, rep_out), terms=G.order)
    close(gm.non_equivariant_part(WD, rep_in, rep_out), gm.non_equivariant_part(W, rep_in, rep_out), terms=G.order)
    for squared, relative in [(False, False), (True, False), (False, True)]:
        d = gm.equivariance_defect(WD, rep_in, rep_out, squared=squared, relative=relative)
        assert d.shape == (3, 4) and d.chunks == ((2, 1), (3, 1))
        close(d, gm.equivariance_defect(W, rep_in, rep_out, squared=squared, relative=relative), terms=W[0, 0].size)
    # Pythagoras, from the lazy results: ||W||^2 = ||P(W)||^2 + ||W - P(W)||^2
    d2 = gm.equivariance_defect(WD, rep_in, rep_out, squared=True).compute()
    p2 = (np.abs(P.compute()) ** 2).sum(axis=(-2, -1))
    np.testing.assert_allclose(d2 + p2, (W ** 2).sum(axis=(-2, -1)), atol=roundoff(np.float64, 100.0, W[0, 0].size))


def test_a_single_matrix_gives_a_zero_dimensional_defect():
    G = GROUPS["C6"]
    L = gm.regular_representation(G)
    W = RNG.standard_normal((6, 6))
    d = gm.equivariance_defect(da.from_array(W, chunks=(3, 2)), L, L)       # split matrix axes: joined
    assert d.shape == () and is_chunked(d)
    assert float(d.compute()) == pytest.approx(gm.equivariance_defect(W, L, L), abs=roundoff(np.float64, 10.0, 36))


def test_float32_weights_stay_float32():
    G = GROUPS["D5"]
    L = gm.regular_representation(G)
    W = RNG.standard_normal((4, 10, 10)).astype(np.float32)
    P = gm.project(da.from_array(W, chunks=(2, 10, 10)), L, L)
    assert P.dtype == np.float32
    close(P, gm.project(W, L, L), terms=10)


# --------------------------------------------------------------------------------------------- GM-LDR
@pytest.mark.parametrize("name", ["C6", "D5", "S3"])
def test_group_ldr_matvec_and_matmul_on_chunked_vectors(name):
    G = GROUPS[name]
    n = G.order
    M = gm.GroupLDRMatrix(G, RNG.standard_normal(n), RNG.standard_normal((2, n)), RNG.standard_normal((2, n)))
    D = M.dense()
    X = RNG.standard_normal((3, 5, n))
    got = M.matvec(da.from_array(X, chunks=(2, 2, n)))
    close(got, M.matvec(X), terms=3 * n)
    np.testing.assert_allclose(got.compute(), X @ D.T, atol=roundoff(np.float64, 10.0, 3 * n))   # dense, independent
    cols = RNG.standard_normal((n, 12))
    C = da.from_array(cols, chunks=(n, 5))           # the columns are the vectors: chunked along k
    Y = M @ C
    assert Y.chunks == ((n,), (5, 5, 2))
    close(Y, D @ cols, terms=3 * n)
    close(M @ da.from_array(cols[:, 0], chunks=n), D @ cols[:, 0], terms=3 * n)
    close(M @ da.from_array(cols, chunks=(2, 12)), D @ cols, terms=3 * n)      # split rows: joined


# ------------------------------------------------------------------------------------ chunks and laziness
def _explode(block):
    raise AssertionError("a block was computed before .compute()")


def test_nothing_is_computed_before_compute():
    G = GROUPS["D5"]
    L = gm.regular_representation(G)
    bomb = da.zeros((6, 10), chunks=(2, 10)).map_blocks(_explode, dtype=float)
    results = [gm.convolve(G, bomb, bomb), gm.reps.fast_group_matvec(G, bomb[0], bomb),
               gm.inverse_fourier(G, gm.fourier(G, bomb)),
               gm.project(bomb[:, :, None] * bomb[:, None, :], L, L),
               gm.GroupLDRMatrix(G, np.ones(10)).matvec(bomb)]
    assert all(is_chunked(r) for r in results)
    with pytest.raises(AssertionError, match="before .compute"):
        results[0].compute()


def test_a_split_group_axis_is_joined_into_one_chunk():
    G = GROUPS["D5"]
    x = RNG.standard_normal((8, 10))
    X = da.from_array(x, chunks=(3, 4))                       # the group axis in chunks (4, 4, 2)
    Z = gm.convolve(G, X, x[0])
    assert Z.chunks == ((3, 3, 2), (10,))
    close(Z, gm.convolve(G, x, x[0]), terms=10)


def test_a_split_group_axis_over_the_budget_is_refused_naming_the_argument(monkeypatch):
    G = GROUPS["D5"]
    X = da.zeros((1000, 10), chunks=(500, 5))
    monkeypatch.setenv("GROUPMAT_MAX_BYTES", "20000")         # a block of 500 x 10 doubles is 40000 B
    with pytest.raises(ValueError, match=r"x: its last axis \(length 10\) must be in one chunk and is split "
                                         r"into chunks \(\(5, 5\),\).*over the limit.*GROUPMAT_MAX_BYTES"):
        gm.convolve(G, X, np.ones(10))
    L = gm.regular_representation(G)
    with pytest.raises(ValueError, match=r"W: its last 2 axes \(length 10, 10\) must be in one chunk and is in "
                                         r"one chunk, and the largest block of W takes 39.1 KiB, over the limit of "
                                         r"19.5 KiB; use smaller chunks along the batch axes"):
        gm.project(da.zeros((100, 10, 10), chunks=(50, 10, 10)), L, L)
    with pytest.raises(ValueError, match=r"X: its rows \(axis -2\).*X.rechunk\(\{-2: -1, -1: 'auto'\}\)"):
        gm.GroupLDRMatrix(G, np.ones(10)) @ da.zeros((10, 1000), chunks=(5, 1000))
    monkeypatch.setenv("GROUPMAT_MAX_BYTES", "80000")         # joined blocks fit now
    assert gm.convolve(G, X, np.ones(10)).chunks == ((500, 500), (10,))


def test_a_split_kernel_on_a_numpy_batch_gets_batch_chunks_within_the_budget(monkeypatch):
    # y is 80 B; the result of x (1000 x 10 doubles, 80000 B) with y is not: its batch is chunked to fit
    G = GROUPS["D5"]
    x, y = RNG.standard_normal((1000, 10)), RNG.standard_normal(10)
    monkeypatch.setenv("GROUPMAT_MAX_BYTES", "20000")         # 250 rows of 10 doubles
    Z = gm.convolve(G, x, da.from_array(y, chunks=5))
    x3 = RNG.standard_normal((3, 400, 10))                    # two new batch axes: the last one first
    Z3 = gm.convolve(G, x3, da.from_array(y, chunks=5))
    assert Z.chunks == ((250,) * 4, (10,)) and Z3.chunks == ((1,) * 3, (250, 150), (10,))
    monkeypatch.delenv("GROUPMAT_MAX_BYTES")                  # the kernel itself works on more than a block
    close(Z, gm.convolve(G, x, y), terms=10)
    close(Z3, gm.convolve(G, x3, y), terms=10)
    # when one row of the result is over the budget, the message says what is large and that smaller blocks
    # cannot help: the rows of the kernel broadcast to the batch (80 B each), not the kernel's own 80 B
    monkeypatch.setenv("GROUPMAT_MAX_BYTES", "40")
    with pytest.raises(ValueError, match=r"y: its last axis \(length 10\) must be in one chunk and is split into "
                                         r"chunks \(\(5, 5\),\); in one chunk the largest block of y broadcast to "
                                         r"the batch \(1000,\) would take 80 B, over the limit of 40 B; raise the "
                                         r"limit with GROUPMAT_MAX_BYTES$"):
        apply(np.add, [x, da.from_array(y, chunks=5)], ["x", "y"])
    # a small argument with a large result: the result is named, with both sizes
    monkeypatch.setenv("GROUPMAT_MAX_BYTES", "1000")
    with pytest.raises(ValueError, match=r"Y: its last axis \(length 10\) must be in one chunk and is split into "
                                         r"chunks \(\(5, 5\),\); in one chunk the largest block of the result would "
                                         r"take 7.8 KiB \(of Y: 800 B\), over the limit of 1000 B; use smaller chunks"):
        apply(lambda b: np.repeat(b, 10, axis=-1), [da.zeros((10, 10), chunks=(10, 5))], ["Y"])


def test_a_wrong_shape_is_reported_with_the_shape_given_not_the_probes():
    # the arguments are checked on a one-row stand-in; the message names the dask array's own shape
    G = GROUPS["D5"]
    with pytest.raises(ValueError, match=r"x must have length \|G\| = 10 along its last axis, got shape \(7, 9\)$"):
        gm.convolve(G, da.ones((7, 9)), np.ones(10))
    with pytest.raises(ValueError, match=r"got shape \(3, 7, 9\)$"):
        gm.convolve(G, np.ones((3, 7, 9)), da.ones(10))
    with pytest.raises(ValueError, match=r"\(7, 9\)"):
        gm.fourier(G, da.ones((7, 9)))
    with pytest.raises(ValueError, match=r"got shape \(7, 9\)$"):
        gm.GroupLDRMatrix(G, np.ones(10)).matvec(da.ones((7, 9)))


def test_bad_input_is_refused_at_call_time_with_the_argument_named():
    G = GROUPS["D5"]
    with pytest.raises(ValueError, match=r"x must have length \|G\| = 10 along its last axis"):
        gm.convolve(G, da.zeros((4, 9)), np.zeros(10))
    with pytest.raises(ValueError, match=r"the batch axes do not broadcast: x \(4,\), y \(3,\)"):
        gm.convolve(G, da.zeros((4, 10)), np.zeros((3, 10)))
    with pytest.raises(TypeError, match="x must be a numeric dask array.*got dtype object"):
        gm.fourier(G, da.zeros((4, 10)).astype(object))
    with pytest.raises(TypeError, match="y: exact .* values do not mix with dask arrays"):
        gm.convolve(G, da.zeros((4, 10)), np.array([1] * 10, dtype=object))
    with pytest.raises(TypeError, match="exact=True takes NumPy or SymPy input, got a dask array"):
        gm.fourier(G, da.zeros(10), exact=True)
    X = da.zeros((6, 10), chunks=(2, 10))
    with pytest.raises(ValueError, match=r"x has chunks of unknown size"):
        gm.convolve(G, X[X[:, 0] > 0], np.ones(10))
    L = gm.regular_representation(G)
    with pytest.raises(ValueError, match="W"):
        gm.project(da.zeros((3, 10, 9)), L, L)
    with pytest.raises(ValueError, match="method"):
        gm.project(da.zeros((3, 10, 10)), L, L, method="nope")


def test_nan_is_found_when_the_block_is_computed():
    G = GROUPS["C6"]
    x = np.zeros((4, 6))
    x[3, 2] = np.nan
    Z = gm.convolve(G, da.from_array(x, chunks=(2, 6)), np.ones(6))       # lazy: nothing read yet
    with pytest.raises(ValueError, match="NaN|finite"):
        Z.compute()


def test_apply_needs_a_chunked_operand():
    with pytest.raises(TypeError, match="at least one chunked operand"):
        apply(np.negative, [np.ones(3)], ["x"])


@settings(max_examples=8)
@given(st.lists(st.integers(1, 4), min_size=1, max_size=3), st.integers(1, 6), st.integers(1, 10))
def test_any_batch_chunking_gives_the_numpy_result(batch, batch_chunk, group_chunk):
    G = GROUPS["D3xC2"]
    x = RNG.standard_normal(tuple(batch) + (12,))
    X = da.from_array(x, chunks=(batch_chunk,) * len(batch) + (group_chunk,))
    close(gm.convolve(G, X, x), gm.convolve(G, x, x), terms=12)
