"""GM-LDR products with dask arrays, every side and the transpose: lazy (nothing computed before
.compute()) and equal to the NumPy products. Dask's synchronous scheduler; no cluster."""
from __future__ import annotations

import numpy as np
import pytest

import groupmat as gm
from groupmat._chunked import is_chunked

da = pytest.importorskip("dask.array")
dask = pytest.importorskip("dask")

RNG = np.random.default_rng(5)


def _explode(block):
    raise AssertionError("a block was computed before .compute()")


def _matrices():
    out = []
    for G in (gm.dihedral(5), gm.cyclic(300), gm.dihedral(260)):   # dense, fft and convolve routes
        n = G.order
        out.append(gm.GroupLDRMatrix(G, RNG.standard_normal(n), RNG.standard_normal((2, n)),
                                     RNG.standard_normal((2, n))))
    return out


@pytest.mark.parametrize("M", _matrices(), ids=lambda M: f"{M.group.name}-{M.product_route()}")
def test_every_product_with_a_dask_array_is_lazy_and_equals_numpy(M):
    n = M.n
    X = RNG.standard_normal((7, n))                  # 7 vectors as rows
    Y = RNG.standard_normal((n, 7))                  # 7 vectors as columns
    Xd, Yd = da.from_array(X, chunks=(3, n)), da.from_array(Y, chunks=(n, 3))
    D = M.dense()
    cases = [(M.matvec(Xd), X @ D.T), (M @ Yd, D @ Y), (Xd @ M, X @ D),
             (M.T.matvec(Xd), X @ D), (M.T @ Yd, D.T @ Y), (Xd @ M.T, X @ D.T),
             (M.T.matvec(Xd[0]), D.T @ X[0]), (Xd[0] @ M, X[0] @ D)]
    with dask.config.set(scheduler="synchronous"):
        for k, (lazy, expected) in enumerate(cases):
            assert is_chunked(lazy), k
            assert np.allclose(lazy.compute(), expected, rtol=1e-10, atol=1e-10 * np.abs(expected).max()), k


def test_no_block_is_computed_before_compute():
    M = _matrices()[0]
    bomb = da.zeros((6, M.n), chunks=(2, M.n)).map_blocks(_explode, dtype=float)
    results = [M.T.matvec(bomb), bomb @ M, bomb @ M.T, M.T @ bomb.T]
    assert all(is_chunked(r) for r in results)
    for r in results:
        with pytest.raises(AssertionError, match="before .compute"):
            r.compute(scheduler="synchronous")

