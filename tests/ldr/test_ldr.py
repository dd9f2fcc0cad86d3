"""GroupLDRMatrix (dense form, fast products, transpose, algebra) and fit_group_ldr (optimality)."""
import numpy as np
import pytest
import sympy
from hypothesis import given, settings
from hypothesis import strategies as st
from strategies import groups

import groupmat as gm


def _random_ldr(G, r, rng):
    n = G.order
    return gm.GroupLDRMatrix(G, rng.normal(size=n), rng.normal(size=(r, n)), rng.normal(size=(r, n)))


@settings(max_examples=20, deadline=None)
@given(groups(max_order=32), st.integers(0, 4), st.integers(0, 2**31))
def test_dense_and_products(G, r, seed):
    rng = np.random.default_rng(seed)
    n = G.order
    M = _random_ldr(G, r, rng)
    D = M.dense()
    # definition: M = M_b + sum_i diag(V[i]) M_{U[i]}
    ref = gm.group_matrix(G, M.b) + sum((M.V[i][:, None] * gm.group_matrix(G, M.U[i]) for i in range(r)),
                                        np.zeros((n, n)))
    assert np.allclose(D, ref)
    assert np.allclose(gm.group_diagonals(G, D), M.coefficients())
    assert gm.ldr.coefficient_displacement_rank(G, D) <= r
    x = rng.normal(size=n)
    X = rng.normal(size=(n, 3))
    B = rng.normal(size=(2, n, 3))
    assert np.allclose(M @ x, D @ x)
    assert np.allclose(M @ X, D @ X)
    assert np.allclose(M @ B, D @ B)
    assert np.allclose(M.matvec(X.T), (D @ X).T)
    assert np.allclose(x @ M, x @ D)
    assert np.allclose(X.T @ M, X.T @ D)
    assert np.allclose(M.T @ X, D.T @ X)
    assert np.allclose(M.T.dense(), D.T)
    assert np.allclose(X.T @ M.T, X.T @ D.T)
    assert M.T.T is M
    assert M.num_parameters == (2 * r + 1) * n and M.rank == r


def test_algebra_keeps_rank_bounds():
    rng = np.random.default_rng(0)
    G = gm.dihedral(5)
    n = G.order
    M1, M2 = _random_ldr(G, 2, rng), _random_ldr(G, 3, rng)
    S = M1 + M2
    assert S.rank == 5 and np.allclose(S.dense(), M1.dense() + M2.dense())
    assert np.allclose((M1 - M2).dense(), M1.dense() - M2.dense())
    assert np.allclose((2.5 * M1).dense(), 2.5 * M1.dense())
    assert np.allclose((-M1).dense(), -M1.dense())
    c = rng.normal(size=n)
    P = M1 @ gm.GroupLDRMatrix(G, c)
    assert P.rank == 2 and np.allclose(P.dense(), M1.dense() @ gm.group_matrix(G, c))
    # a product of two positive-rank matrices is returned dense
    Q = M1 @ M2
    assert isinstance(Q, np.ndarray) and np.allclose(Q, M1.dense() @ M2.dense())
    # a group matrix on the left generically destroys the low coefficient displacement rank
    L = gm.group_matrix(G, c) @ M1.dense()
    assert gm.ldr.coefficient_displacement_rank(G, L) > 2
    assert gm.ldr.coefficient_displacement_rank(G, M1.dense().T) > 2
    # compress finds the coefficient displacement rank
    R = (M1 + M1).compress()
    assert R.rank == 2 and np.allclose(R.dense(), 2 * M1.dense())
    W = gm.GroupLDRMatrix(G, rng.normal(size=n), rng.normal(size=(1, n)), np.ones((1, n)))  # diag(1) M_u
    assert W.compress().rank == 0 and np.allclose(W.compress().dense(), W.dense())


def test_exact_gm_ldr():
    G = gm.cyclic(4)
    b = sympy.symbols("b0:4")
    u = sympy.symbols("u0:4")
    v = sympy.symbols("v0:4")
    M = gm.GroupLDRMatrix(G, list(b), [list(u)], [list(v)])
    D = M.dense()
    assert isinstance(D, sympy.Matrix)
    assert gm.ldr.coefficient_displacement_rank(G, D) == 1
    x = sympy.Matrix(sympy.symbols("x0:4"))
    assert ((M @ x) - D * x).expand() == sympy.zeros(4, 1)
    num = gm.GroupLDRMatrix(G, [1, 2, 3, 4], [[0, 1, 0, 2]], [[1, -1, 2, 0]])
    ex = gm.GroupLDRMatrix(G, sympy.Matrix([1, 2, 3, 4]), sympy.Matrix([[0, 1, 0, 2]]), sympy.Matrix([[1, -1, 2, 0]]))
    assert np.array_equal(np.array(ex.dense().tolist(), dtype=float), num.dense())


@pytest.mark.parametrize("G", [gm.cyclic(6), gm.dihedral(4), gm.direct_product(gm.cyclic(2), gm.cyclic(3))])
def test_fit_is_optimal_against_random_search(G):
    rng = np.random.default_rng(1)
    n = G.order
    M = rng.normal(size=(n, n))
    for r in (0, 1, 2):
        fit, err = gm.fit_group_ldr(G, M, r, return_error=True)
        assert fit.rank == r
        assert np.isclose(err, np.linalg.norm(M - fit.dense()))
        # no random GM-LDR matrix of rank r, nor a perturbation of the fit, does better
        for _ in range(200):
            cand = _random_ldr(G, r, rng)
            assert np.linalg.norm(M - cand.dense()) >= err - 1e-9
        for scale in (1e-1, 1e-3):
            pert = gm.GroupLDRMatrix(G, fit.b + scale * rng.normal(size=n), fit.U + scale * rng.normal(size=(r, n)),
                                     fit.V + scale * rng.normal(size=(r, n)))
            assert np.linalg.norm(M - pert.dense()) >= err - 1e-12
    # rank 0 is the best group matrix (diagonal averages), rank n - 1 is exact
    assert np.allclose(gm.fit_group_ldr(G, M, 0).dense(), gm.group_matrix(G, gm.x_from_group_matrix(G, M, check=False)))
    assert np.allclose(gm.fit_group_ldr(G, M, n - 1).dense(), M)
    assert np.allclose(gm.fit_group_ldr(G, M, n).dense(), M)


def test_fit_recovers_an_exact_gm_ldr_matrix():
    rng = np.random.default_rng(2)
    G = gm.symmetric(4)
    M = _random_ldr(G, 3, rng)
    fit, err = gm.fit_group_ldr(G, M.dense(), 3, return_error=True)
    assert err < 1e-10 and np.allclose(fit.dense(), M.dense())


def test_bad_input():
    G = gm.cyclic(4)
    with pytest.raises(ValueError, match="shape"):
        gm.GroupLDRMatrix(G, np.ones(3))
    with pytest.raises(ValueError, match="together"):
        gm.GroupLDRMatrix(G, np.ones(4), np.ones((1, 4)))
    with pytest.raises(ValueError, match="shape"):
        gm.GroupLDRMatrix(G, np.ones(4), np.ones((2, 4)), np.ones((1, 4)))
    with pytest.raises(ValueError, match="finite"):
        gm.GroupLDRMatrix(G, np.array([1, np.nan, 0, 0]))
    with pytest.raises(TypeError, match="FiniteGroup"):
        gm.GroupLDRMatrix(4, np.ones(4))
    M = gm.GroupLDRMatrix(G, np.ones(4))
    with pytest.raises(ValueError, match="rows"):
        M @ np.ones((3, 2))
    with pytest.raises(ValueError, match="last axis"):
        M.matvec(np.ones(5))
    with pytest.raises(ValueError, match="finite"):
        M @ np.array([1.0, np.inf, 0, 0])
    with pytest.raises(ValueError, match="different groups"):
        M + gm.GroupLDRMatrix(gm.cyclic(5), np.ones(5))
    with pytest.raises(ValueError, match="rank must be between"):
        gm.fit_group_ldr(G, np.ones((4, 4)), 5)
    with pytest.raises(ValueError):
        gm.fit_group_ldr(G, np.ones((4, 4)), -1)
    with pytest.raises(ValueError, match="size"):
        gm.fit_group_ldr(G, np.ones((3, 3)), 1)
    with pytest.raises(ValueError, match="finite"):
        gm.fit_group_ldr(G, np.full((4, 4), np.nan), 1)
    with pytest.raises(TypeError, match="numeric"):
        gm.fit_group_ldr(G, sympy.eye(4), 1)


# ---------------------------------------------------------------------- groups and algebra
def _twin_semidirect():
    """Two different groups both named C7:C3 (actions n -> 2n and n -> 4n) of the same order."""
    C7, C3 = gm.cyclic(7), gm.cyclic(3)
    A = gm.semidirect_product(C7, C3, [(2 * np.arange(7)) % 7])
    B = gm.semidirect_product(C7, C3, [(4 * np.arange(7)) % 7])
    return A, B


def test_twin_groups_with_one_name_are_refused():
    G1, G2 = _twin_semidirect()
    assert G1.name == G2.name and G1.order == G2.order
    assert not np.array_equal(G1.cayley_table(), G2.cayley_table())
    rng = np.random.default_rng(3)
    A, B = _random_ldr(G1, 1, rng), gm.GroupLDRMatrix(G2, rng.normal(size=21))
    for op in (lambda: A @ B, lambda: A + B, lambda: A - B, lambda: A.T + B, lambda: A + B.T, lambda: A @ B.T,
               lambda: A.T @ B, lambda: A.T @ B.T, lambda: A.T + B.T):
        with pytest.raises(ValueError, match="two different group objects both named C7:C3; build both"):
            op()
    with pytest.raises(ValueError, match="different groups: C3 and C4"):
        gm.GroupLDRMatrix(gm.cyclic(3), np.ones(3)) + gm.GroupLDRMatrix(gm.cyclic(4), np.ones(4))
    # one group object: the product is right
    C = gm.GroupLDRMatrix(G1, rng.normal(size=21))
    assert np.allclose((A @ C).dense(), A.dense() @ C.dense())


def _abelian_permutation_group():
    """C4 x C5 x C16 as permutations of 25 points (order 320): abelian, declared only as permutations."""
    def cycle(start, k, d=25):
        p = np.arange(d)
        p[start:start + k] = np.roll(np.arange(start, start + k), -1)
        return p

    return gm.from_permutations([cycle(0, 4), cycle(4, 5), cycle(9, 16)])


#: Groups and the route :func:`groupmat.routing.ldr_product_route` gives them (real parameters):
#: dense up to the orders of the routing module, the real FFT above them for ANY abelian group (also one
#: given by its table or by permutations, laid out on its cyclic coordinates), convolutions above them
#: for the other groups with a fast transform.
ROUTES = [
    (gm.cyclic(12), "dense"), (gm.direct_product(gm.cyclic(4), gm.cyclic(6)), "dense"), (gm.sign_group(3), "dense"),
    (gm.dihedral(6), "dense"), (gm.symmetric(4), "dense"), (gm.direct_product(gm.cyclic(2), gm.dihedral(3)), "dense"),
    (gm.symmetric(6), "dense"), (gm.dicyclic(180), "dense"), (gm.dihedral(500), "dense"),
    (gm.cyclic(300), "fft"), (gm.direct_product(gm.cyclic(16), gm.cyclic(20)), "fft"), (gm.sign_group(9), "fft"),
    (gm.from_cayley_table(gm.group("C16xC20").cayley_table()), "fft"), (_abelian_permutation_group(), "fft"),
    (gm.dihedral(600), "convolve"), (gm.direct_product(gm.dihedral(8), gm.cyclic(80)), "convolve"),
]


def _check_products(M, D, rng):
    """Every product form of ``M`` (vectors, columns, batches, left products, the transpose, complex
    operands) against the dense matrix ``D``."""
    n = M.n
    x, X, B = rng.normal(size=n), rng.normal(size=(n, 11)), rng.normal(size=(2, n, 3))
    assert np.allclose(M @ x, D @ x)
    assert np.allclose(M @ X, D @ X)
    assert np.allclose(M @ B, D @ B)
    assert np.allclose(M.matvec(X.T), (D @ X).T)
    assert np.allclose(x @ M, x @ D)
    assert np.allclose(X.T @ M, X.T @ D)
    assert np.allclose(M.T @ X, D.T @ X)
    assert np.allclose(M.T.matvec(B.swapaxes(-1, -2)), (D.T @ B).swapaxes(-1, -2))
    assert np.allclose(M @ (X + 1j * X), D @ (X + 1j * X))          # complex operands
    assert np.allclose(M.T @ (X - 2j * X), D.T @ (X - 2j * X))


@pytest.mark.parametrize("G, route", ROUTES, ids=[f"{G.name}:{G.structure.family}-{route}" for G, route in ROUTES])
def test_each_product_route_is_chosen_by_the_routing_rule_and_agrees_with_dense(G, route):
    rng = np.random.default_rng(5)
    n = G.order
    for r in (0, 3):
        M = _random_ldr(G, r, rng)
        assert M.product_route() == route == gm.routing.ldr_product_route(G, True, True)
        _check_products(M, M.dense(), rng)
    # complex parameters leave the real-FFT route (to convolutions above the dense orders)
    Mc = gm.GroupLDRMatrix(G, rng.normal(size=n) + 1j, rng.normal(size=(1, n)), rng.normal(size=(1, n)))
    assert Mc.product_route() == gm.routing.ldr_product_route(G, False, True)
    assert Mc.product_route() == ("convolve" if route == "fft" and n > gm.routing.LDR_DENSE_MAX_ORDER else
                                  "dense" if route == "fft" else route)
    Dc = Mc.dense()
    X = rng.normal(size=(n, 3))
    assert np.allclose(Mc @ X, Dc @ X) and np.allclose(Mc.T @ X, Dc.T @ X)


@pytest.mark.parametrize("declared", [gm.group("C16xC20"), gm.sign_group(9), None], ids=["C16xC20", "C2^9", "perm"])
def test_abelian_groups_known_only_by_their_law_reach_the_fft_route(declared):
    """The FFT route lays vectors out on the cyclic coordinates found from the group law: the element
    order of these groups is not the grid order, and the products are right. A group rebuilt from the
    table of a declared product has the same element indices, hence the same matrices and products."""
    G = _abelian_permutation_group() if declared is None else gm.from_cayley_table(declared.cayley_table())
    coords = G.cyclic_coordinates()
    assert G.structure.family in ("table", "permutation") and coords is not None
    assert not np.array_equal(coords.elements, np.arange(G.order))
    assert gm.routing.transform_kind(G) == "abelian"
    rng = np.random.default_rng(7)
    M = _random_ldr(G, 2, rng)
    assert M.product_route() == "fft"
    _check_products(M, M.dense(), rng)
    if declared is not None:
        twin = gm.GroupLDRMatrix(declared, M.b, M.U, M.V)
        assert twin.product_route() == "fft" and declared.cyclic_coordinates().elements is None
        assert np.array_equal(twin.dense(), M.dense())
        X = rng.normal(size=(G.order, 4))
        assert np.allclose(M @ X, twin @ X) and np.allclose(M.T @ X, twin.T @ X)


def test_a_matrix_too_large_to_hold_densely_takes_a_fast_route(monkeypatch):
    """With the dense form over the memory limit, small groups with a fast transform multiply by FFTs
    (abelian) or convolutions (others), whatever their order (below LDR_DENSE_MAX_ORDER; large enough that
    the work arrays of 3 x 3 convolutions fit where the n x n matrix does not)."""
    rng = np.random.default_rng(3)
    for G, route in [(gm.cyclic(60), "fft"), (gm.dihedral(150), "convolve"), (gm.group("C3xD60"), "convolve")]:
        n = G.order
        M = _random_ldr(G, 2, rng)
        D = M.dense()
        monkeypatch.setenv("GROUPMAT_MAX_BYTES", str(n * n * 8 - 1))     # no dense n x n float array
        assert M.product_route() == route == gm.routing.ldr_product_route(G, True, False)
        X = rng.normal(size=(n, 3))
        assert np.allclose(M @ X, D @ X) and np.allclose(M.T @ X, D.T @ X)
        monkeypatch.delenv("GROUPMAT_MAX_BYTES")


def test_the_dense_form_handed_out_is_a_copy():
    """Products through the cached dense form (S6, Dic180: no fast transform) are not changed by editing
    what dense() returned."""
    rng = np.random.default_rng(0)
    for G in (gm.symmetric(6), gm.dicyclic(180)):
        M = _random_ldr(G, 4, rng)
        assert M.product_route() == "dense"
        X = rng.normal(size=(720, 8))
        before = M @ X
        D = M.dense()
        assert np.allclose(before, D @ X) and np.allclose(M.T @ X, D.T @ X)
        D[:] = 0.0
        assert np.array_equal(M @ X, before)
        assert np.allclose(M.dense() @ X, before)


def test_parameters_are_private_read_only_copies():
    rng = np.random.default_rng(1)
    G = gm.cyclic(300)
    b, U, V = rng.normal(size=300), rng.normal(size=(2, 300)), rng.normal(size=(2, 300))
    M = gm.GroupLDRMatrix(G, b, U, V)
    X = rng.normal(size=(300, 2))
    before = M @ X
    b[:] = 0                                            # the caller's array: M keeps its own copy
    assert np.array_equal(M @ X, before)
    with pytest.raises(ValueError, match="read-only"):
        M.b[0] = 1.0


def test_dense_operand_shape_is_checked():
    M = gm.GroupLDRMatrix(gm.cyclic(6), np.ones(6))
    for op in (lambda: M + np.ones((5, 5)), lambda: np.ones((5, 5)) + M, lambda: M - np.ones((6, 5)),
               lambda: np.ones((5, 5)) - M, lambda: M.T + np.ones((5, 5))):
        with pytest.raises(ValueError, match=r"the matrix is 6 x 6 \(the order of C6\), the array has shape"):
            op()
    assert np.array_equal(np.ones((6, 6)) - M, np.ones((6, 6)) - M.dense())


def test_compress_tol_is_validated():
    M = _random_ldr(gm.cyclic(5), 2, np.random.default_rng(0))
    with pytest.raises(ValueError, match="tol must be a finite number >= 0"):
        M.compress(tol=-1)
    with pytest.raises(TypeError, match="tol must be a finite number >= 0"):
        M.compress(tol="a")
