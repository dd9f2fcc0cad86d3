"""Products of GM-LDR matrices ask the one budget rule (``GROUPMAT_MAX_BYTES``) for their peak before any
FFT, spectrum or inverse is computed, naming the product the caller asked for and the ways out."""
import gc

import numpy as np
import pytest

import groupmat as gm
from budget import limit as _limit, refused_quickly, traced_peak as _traced_peak


def _ldr(G, rank, seed=0):
    rng = np.random.default_rng(seed)
    n = G.order
    return gm.GroupLDRMatrix(G, rng.normal(size=n), rng.normal(size=(rank, n)), rng.normal(size=(rank, n)))


@pytest.mark.parametrize("make, route", [(lambda: gm.cyclic(2**18), "fft"), (lambda: gm.dihedral(2**15), "convolve")],
                         ids=["fft", "convolve"])
def test_a_product_over_the_limit_names_the_product_not_the_internals(monkeypatch, make, route):
    """C40000000 used to be refused with "the inverses of C40000000 ... call G.inv(a)", an internal step."""
    M = _ldr(make(), 1)
    assert M.product_route() == route
    n = M.n
    x = np.ones(n)
    X = np.ones((n, 3))
    _limit(monkeypatch, 2**20)
    for call, words in [(lambda: M @ x, ("M @ x", "rank-1 GM-LDR matrix", "1 vector", "compress()")),
                        (lambda: M.T @ x, ("M.T @ x", "1 vector")),
                        (lambda: M @ X, ("M @ x", "3 vectors", "multiply fewer vectors at a time")),
                        (lambda: x @ M, ("M.T @ x",))]:
        M = _ldr(make(), 1)                          # nothing kept from an earlier product
        msg = refused_quickly(call, M.group.name, *words)
        assert "inverses" not in msg and "G.inv" not in msg and "convolution" not in msg, msg
    msg = refused_quickly(lambda: _ldr(make(), 0) @ x, "rank-0 GM-LDR matrix", "one vector needs it")
    assert "compress" not in msg


def test_the_spectra_of_the_kernels_need_no_inverses(monkeypatch):
    """M @ x by real FFTs reads the kernels x(g^-1) as the conjugate spectra of x: no inverse is computed,
    and the product is the dense one."""
    def no_inverses():
        raise AssertionError("the FFT route computed the inverses of the elements")

    for G in (gm.cyclic(300), gm.direct_product(gm.cyclic(12), gm.cyclic(30)), gm.group("C3xC4xC25")):
        M = _ldr(G, 2, seed=1)
        assert M.product_route() == "fft"
        D = M.dense()                                # (the dense form reads the inverses)
        monkeypatch.setattr(G, "inverses", no_inverses)
        X = np.random.default_rng(2).normal(size=(G.order, 4))
        np.testing.assert_allclose(M @ X, D @ X, atol=1e-9)
        np.testing.assert_allclose(M.T @ X, D.T @ X, atol=1e-9)
        np.testing.assert_allclose(M @ X[:, 0], D @ X[:, 0], atol=1e-9)


@pytest.mark.parametrize("make", [lambda: gm.cyclic(3**9), lambda: gm.direct_product(gm.cyclic(90), gm.cyclic(200)),
                                  lambda: gm.dihedral(2**13), lambda: gm.direct_product(gm.dihedral(60), gm.cyclic(100))],
                         ids=["C19683", "C90xC200", "D8192", "D60xC100"])
def test_the_product_estimate_covers_its_traced_peak(make):
    """At sizes that fit, the traced peak of M @ X and M.T @ X (the first product included: it computes the
    kernels' spectra) is within the estimate that the budget is asked for."""
    _ldr(make(), 1) @ np.ones(make().order)          # imports and one-time caches: not measured
    for rank in (0, 2):
        for m in (1, 3, 12):
            M = _ldr(make(), rank)
            route = M.product_route()
            X = np.random.default_rng(m).normal(size=(m, M.n)) if m > 1 else np.ones(M.n)
            batch = X.shape[:-1]
            for transpose in (False, True):
                gc.collect()
                Y, peak = _traced_peak(lambda: (M.T if transpose else M).matvec(X))
                assert Y.shape == X.shape
                assert peak <= M._product_bytes(batch, route, transpose), (M.group.name, rank, m, transpose, peak / M.n)
