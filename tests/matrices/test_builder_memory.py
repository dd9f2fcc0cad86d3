"""Every builder of the matrices package asks the one budget rule (``GROUPMAT_MAX_BYTES``) for its
peak memory before it allocates, refuses at once with the size and the way out, and builds what it
accepted without hidden copies of the same size."""
import time

import numpy as np
import pytest
import scipy.sparse as sp
import sympy  # noqa: F401  (imported once here, so that no refusal below is timed with SymPy's import)

import groupmat as gm
from budget import limit as _limit, refused_quickly, traced_peak as _traced_peak


# ------------------------------------------------------------------ sparse group matrices
@pytest.mark.parametrize("convention", sorted(gm.matrices.CONVENTIONS))
def test_sparse_group_matrix_of_full_support_is_refused_before_it_is_built(monkeypatch, convention):
    G = gm.cyclic(4000)
    x = np.ones(G.order)                        # every x(g) nonzero: n^2 = 16e6 stored entries
    _limit(monkeypatch, 50 * 2**20)             # 16e6 x (8 data + 4 index) bytes = 183 MiB > 50 MiB
    msg = refused_quickly(lambda: gm.group_matrix(G, x, convention=convention, sparse=True),
                           "sparse group matrix of C4000", "4000 x 4000", "183")
    assert "4000 stored entries per row" in msg


@pytest.mark.parametrize("convention", sorted(gm.matrices.CONVENTIONS))
@pytest.mark.parametrize("G", [gm.dihedral(5), gm.symmetric(4), gm.direct_product(gm.cyclic(3), gm.quaternion())],
                         ids=str)
def test_sparse_group_matrix_equals_the_dense_one_in_canonical_csr_form(G, convention):
    rng = np.random.default_rng(0)
    for support in (0, 1, 3, G.order):
        x = np.zeros(G.order, dtype=complex)
        idx = rng.choice(G.order, size=support, replace=False)
        x[idx] = rng.normal(size=support) + 1j * rng.normal(size=support)
        S = gm.group_matrix(G, x, convention=convention, sparse=True)
        assert isinstance(S, sp.csr_array) and S.nnz == support * G.order
        assert S.has_canonical_format and S.dtype == x.dtype
        np.testing.assert_array_equal(S.toarray(), gm.group_matrix(G, x, convention=convention))


def test_sparse_group_matrix_stores_only_its_entries(monkeypatch):
    G = gm.direct_product(gm.cyclic(64), gm.cyclic(64))
    x = np.zeros(G.order)
    x[[0, 1, 64]] = [1.0, 2.0, 3.0]
    # 4096 rows x 3 entries x (8 + 4) bytes = 144 KiB: fits in 1 MiB, the dense matrix would need 128 MiB
    _limit(monkeypatch, 2**20)
    S, peak = _traced_peak(lambda: gm.group_matrix(G, x, sparse=True))
    assert S.nnz == 3 * 4096 and peak < 2**20


# ------------------------------------------------------------------ dense builders: honest peaks
def test_dense_group_matrix_counts_its_index_array(monkeypatch):
    G = gm.cyclic(1000)
    x = np.arange(1000.0)
    # the result alone is 8 MB; with the 1000 x 1000 index array (int16) and NumPy's intp copy of it, 18 MB
    _limit(monkeypatch, 12 * 10**6)
    refused_quickly(lambda: gm.group_matrix(G, x), "group matrix of C1000", "index array")
    _limit(monkeypatch, 20 * 10**6)
    M, peak = _traced_peak(lambda: gm.group_matrix(G, x))
    assert M[3, 5] == 2.0 and peak <= 20 * 10**6


@pytest.mark.parametrize("build, words", [
    (lambda G: gm.matrices.group_matrix_indices(G), "index array of a group matrix"),
    (lambda G: gm.matrices.regular_permutations(G, "left"), "regular permutations"),
    (lambda G: gm.matrices.regular_permutations(G, "right"), "regular permutations"),
    (lambda G: gm.matrices.group_diagonal_indices(G), "group-diagonal index array"),
    (lambda G: gm.group_matrix(G), "exact group matrix"),
    # the input is a broadcast view: the caller's array is not what is measured
    (lambda G: gm.group_diagonals(G, np.broadcast_to(0.0, (2, G.order, G.order))), "group diagonals"),
], ids=["indices", "left", "right", "diagonal_indices", "exact", "group_diagonals"])
def test_index_builders_refuse_at_once(monkeypatch, build, words):
    G = gm.symmetric(7)                          # 5040 x 5040 indices
    _limit(monkeypatch, 2**20)
    refused_quickly(lambda: build(G), words, "S7")


@pytest.mark.parametrize("G", [gm.cyclic(3000), gm.symmetric(7), gm.from_cayley_table(gm.dihedral(1500).cayley_table())],
                         ids=["C3000", "S7", "table"])
def test_transposed_index_arrays_are_built_as_one_array(G):
    n = G.order
    item = gm.groups.core.index_dtype(n).itemsize
    if not G.structured:
        G.cayley_table()                     # kept by the group: not part of the arrays measured here
    for side in ("left", "right"):
        P, peak = _traced_peak(lambda: gm.matrices.regular_permutations(G, side))
        assert peak < 1.25 * n * n * item + 2**21        # one n x n array and blocks of work arrays
        assert P.flags.c_contiguous
    C, peak = _traced_peak(lambda: gm.matrices.group_diagonal_indices(G))
    assert peak < 1.25 * n * n * item + 2**21 and C.flags.c_contiguous
    e = G.elements()
    # the definitions: right regular P[g, b] = b g^-1, C[g, h] = h g
    g = np.array([0, 1, n - 1])
    np.testing.assert_array_equal(P[g], G.mul(e[None, :], G.inv(g)[:, None]))
    np.testing.assert_array_equal(C[g], G.mul(e[None, :], g[:, None]))


@pytest.mark.parametrize("convention", sorted(gm.matrices.CONVENTIONS))
def test_reading_x_from_a_group_matrix_makes_no_copy_of_it(convention):
    G = gm.direct_product(gm.cyclic(40), gm.cyclic(30))
    x = np.random.default_rng(1).normal(size=G.order)
    M = gm.group_matrix(G, x, convention=convention)
    y, peak = _traced_peak(lambda: gm.x_from_group_matrix(G, M, convention=convention))
    np.testing.assert_allclose(y, x)
    assert peak < 0.5 * M.nbytes
    M[0, 1] += 1e-3
    assert not gm.is_group_matrix(G, M, convention=convention)


@pytest.mark.parametrize("build, words", [
    (lambda n: gm.toeplitz(np.ones(n), np.ones(n)), "Toeplitz"),
    (lambda n: gm.hankel(np.ones(n), np.ones(n)), "Hankel"),
    (lambda n: gm.matrices.vandermonde(np.ones(n)), "Vandermonde"),
    (lambda n: gm.matrices.cauchy(np.arange(n) + 0.5, np.arange(n)), "Cauchy"),
    (lambda n: gm.matrices.f_circulant(np.ones(n), 2.0), "f-circulant"),
    (lambda n: gm.circulant(np.ones(n)), "f-circulant"),
], ids=["toeplitz", "hankel", "vandermonde", "cauchy", "f_circulant", "circulant"])
def test_classical_matrices_refuse_at_once_and_fit_their_estimate(monkeypatch, build, words):
    _limit(monkeypatch, 2**20)
    refused_quickly(lambda: build(3000), words)
    n = 256
    _limit(monkeypatch, 40 * n * n)             # above every estimate at this size (at most 33 bytes per entry)
    M, peak = _traced_peak(lambda: build(n))
    assert M.shape == (n, n) and peak <= 40 * n * n


def test_f_circulant_values():
    c = np.array([1.0, 2.0, 3.0])
    np.testing.assert_array_equal(gm.matrices.f_circulant(c, 2.0), [[1, 6, 4], [2, 1, 6], [3, 2, 1]])
    assert gm.matrices.f_circulant([1, 2, 3], 1j).dtype == complex


# ------------------------------------------------------------------ symbols are asked for before they are made
def test_a_symbolic_group_matrix_is_refused_before_any_symbol_is_made(monkeypatch):
    """group_matrix(G) with x=None asks for the n x n matrix before making n symbols (C10000000 made 3.5 GB
    of symbols in two minutes before refusing)."""
    import groupmat.matrices.group_matrices as gmm

    def no_symbols(*args, **kwargs):
        raise AssertionError("group_symbols was called before the n x n matrix was asked for")

    monkeypatch.setattr(gmm, "group_symbols", no_symbols)
    _limit(monkeypatch, 64 * 2**20)              # S7's 5040 x 5040 matrix of references takes 700 MB
    for G in (gm.cyclic(10**7), gm.symmetric(7)):
        msg = refused_quickly(lambda: gm.group_matrix(G), "exact group matrix", G.name, "one symbol per element")
        assert "gm.convolve(G, x, y)" in msg
    with pytest.raises(ValueError, match="sparse=True needs numeric x"):
        gm.group_matrix(gm.cyclic(10**7), sparse=True)


def test_group_symbols_ask_the_budget_at_their_measured_cost(monkeypatch):
    """One symbol costs SYMBOL_BYTES in the budget: a limit that holds the labels (about 70 bytes each) but
    not the symbols refuses them before any is made."""
    from groupmat.matrices.group_matrices import SYMBOL_BYTES

    G = gm.cyclic(20000)
    _limit(monkeypatch, SYMBOL_BYTES * G.order - 1)
    msg = refused_quickly(lambda: gm.matrices.group_symbols(gm.cyclic(20000)), "SymPy symbols", "C20000",
                          "G.label(g)")
    assert "structured or sparse route" not in msg


@pytest.mark.parametrize("make", [lambda: gm.cyclic(3000), lambda: gm.symmetric(6), lambda: gm.group("C2^11"),
                                  lambda: gm.direct_product(gm.dihedral(30), gm.cyclic(40))], ids=["C3000", "S6", "C2^11", "D30xC40"])
def test_the_symbol_cost_covers_the_traced_peak(make):
    from groupmat.matrices.group_matrices import SYMBOL_BYTES

    gm.matrices.group_symbols(make())            # imports and SymPy's caches: not measured
    G = make()
    S, peak = _traced_peak(lambda: gm.matrices.group_symbols(G))
    assert len(set(S)) == G.order
    assert peak <= SYMBOL_BYTES * G.order, peak / G.order
