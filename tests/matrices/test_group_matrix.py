"""Group matrices: conventions, exact vs numeric, the group algebra, sparse, recovery of x."""
from __future__ import annotations

import numpy as np
import pytest
import scipy.linalg
import scipy.sparse as sp
import sympy
from hypothesis import given, settings
from hypothesis import strategies as st

import groupmat as gm
from groupmat.matrices import dense_convolve as convolve  # the dense reference (gm.convolve is the fast one of groupmat.reps)
from strategies import groups

SMALL = [gm.cyclic(5), gm.dihedral(3), gm.quaternion(), gm.symmetric(3), gm.alternating(4),
         gm.direct_product(gm.cyclic(2), gm.dihedral(2)),
         gm.semidirect_product(gm.cyclic(7), gm.cyclic(3), [lambda n: (2 * n) % 7]),
         gm.from_cayley_table(gm.dihedral(4).cayley_table())]
ids = [G.name for G in SMALL]


def brute_group_matrix(G, x, convention="ginv_h"):
    n = G.order
    M = np.empty((n, n), dtype=np.asarray(x).dtype)
    for g in range(n):
        for h in range(n):
            k = {"ginv_h": G.mul(G.inv(g), h), "g_hinv": G.mul(g, G.inv(h)), "gh": G.mul(g, h)}[convention]
            M[g, h] = x[k]
    return M


def inversion_permutation(G) -> np.ndarray:
    n = G.order
    J = np.zeros((n, n))
    J[G.elements(), G.inv(G.elements())] = 1.0
    return J


@given(groups(max_order=24), st.integers(0, 2**32 - 1), st.sampled_from(sorted(gm.matrices.CONVENTIONS)))
@settings(max_examples=25)
def test_definition_for_every_convention(G, seed, convention):
    x = np.random.default_rng(seed).normal(size=G.order)
    M = gm.group_matrix(G, x, convention=convention)
    assert np.array_equal(M, brute_group_matrix(G, x, convention))
    K = gm.matrices.group_matrix_indices(G, convention)
    assert np.array_equal(M, x[K])
    S = gm.group_matrix(G, x, convention=convention, sparse=True)
    assert sp.issparse(S) and np.array_equal(S.toarray(), M)


@pytest.mark.parametrize("n", [1, 2, 5, 8])
def test_cyclic_group_matrix_is_the_circulant(n):
    G = gm.cyclic(n)
    x = np.random.default_rng(n).normal(size=n)
    M = gm.group_matrix(G, x)
    assert np.array_equal(M, scipy.linalg.circulant(x).T)          # first row x
    i, j = np.indices((n, n))
    assert np.array_equal(M, x[(j - i) % n])                         # M[i, j] = x(j - i)
    assert np.array_equal(M[0], x)


@pytest.mark.parametrize("G", SMALL, ids=ids)
def test_is_a_combination_of_the_right_regular_representation(G):
    x = np.random.default_rng(0).normal(size=G.order)
    R = gm.regular_representation(G, "right")
    assert np.allclose(gm.group_matrix(G, x), np.einsum("g,gab->ab", x, R.matrices))


@pytest.mark.parametrize("G", SMALL, ids=ids)
def test_commutes_with_the_left_regular_representation(G):
    x = np.random.default_rng(1).normal(size=G.order)
    M = gm.group_matrix(G, x)
    L = gm.regular_representation(G, "left").matrices
    assert np.allclose(L @ M, M @ L)
    # and g_hinv matrices commute with the right regular representation
    R = gm.regular_representation(G, "right").matrices
    Mr = gm.group_matrix(G, x, convention="g_hinv")
    assert np.allclose(R @ Mr, Mr @ R)


@pytest.mark.parametrize("G", [gm.cyclic(4), gm.dihedral(3), gm.quaternion()], ids=lambda G: G.name)
def test_group_matrices_are_exactly_the_commutant_of_the_left_regular_rep(G):
    """The solutions of L(s) M = M L(s) over the generators form an n-dimensional space of group matrices."""
    n = G.order
    L = gm.regular_representation(G, "left")
    I = np.eye(n)
    # vec(L M - M L) = (I kron L - L^T kron I) vec(M), column-major vec
    A = np.vstack([np.kron(I, L(s)) - np.kron(L(s).T, I) for s in G.generators])
    null = scipy.linalg.null_space(A)
    assert null.shape[1] == n
    for v in null.T:
        assert gm.is_group_matrix(G, v.reshape(n, n, order="F"))


@pytest.mark.parametrize("G", SMALL, ids=ids)
def test_product_is_the_group_algebra_product(G):
    rng = np.random.default_rng(2)
    x, y = rng.normal(size=(2, G.order))
    Mx, My = gm.group_matrix(G, x), gm.group_matrix(G, y)
    xy = convolve(G, x, y)
    assert np.allclose(Mx @ My, gm.group_matrix(G, xy))
    # the convolution by its definition
    brute = np.array([sum(x[u] * y[G.mul(G.inv(u), t)] for u in range(G.order)) for t in range(G.order)])
    assert np.allclose(xy, brute)
    # delta at the identity is the unit
    delta = np.zeros(G.order)
    delta[G.identity] = 1.0
    assert np.allclose(convolve(G, delta, x), x) and np.allclose(convolve(G, x, delta), x)
    # batched
    X = rng.normal(size=(3, G.order))
    assert np.allclose(convolve(G, X, y), np.stack([convolve(G, r, y) for r in X]))
    assert gm.group_matrix(G, X).shape == (3, G.order, G.order)


@pytest.mark.parametrize("G", [gm.dihedral(3), gm.quaternion(), gm.cyclic(4)], ids=lambda G: G.name)
def test_product_rule_exact_with_symbols(G):
    n = G.order
    x = sympy.symbols(f"x0:{n}")
    y = sympy.symbols(f"y0:{n}")
    Mx, My = gm.group_matrix(G, list(x)), gm.group_matrix(G, list(y))
    assert isinstance(Mx, sympy.MatrixBase)
    xy = convolve(G, list(x), list(y))
    assert (Mx * My - gm.group_matrix(G, list(xy))).expand() == sympy.zeros(n, n)


@pytest.mark.parametrize("G", SMALL[:4], ids=ids[:4])
def test_exact_and_numeric_agree(G):
    n = G.order
    M_sym = gm.group_matrix(G)                          # one symbol per element, named from labels
    syms = gm.matrices.group_symbols(G)
    assert M_sym.free_symbols == set(syms)
    rng = np.random.default_rng(3)
    values = [sympy.Rational(int(v), 7) for v in rng.integers(-20, 20, n)]
    exact = M_sym.subs(dict(zip(syms, values)))
    numeric = gm.group_matrix(G, np.array([float(v) for v in values]))
    assert np.allclose(np.array(exact, dtype=float), numeric, rtol=0, atol=1e-15)
    assert gm.group_matrix(G, values) == exact                        # Rational input gives the exact matrix
    for convention in gm.matrices.CONVENTIONS:
        E = gm.group_matrix(G, values, convention=convention)
        assert np.allclose(np.array(E, dtype=float), gm.group_matrix(G, np.array(values, dtype=float),
                                                                     convention=convention))


def test_group_symbols_names():
    names = [str(s) for s in gm.matrices.group_symbols(gm.dihedral(3))]
    assert names == ["x_e", "x_r", "x_{r^2}", "x_s", "x_{sr}", "x_{sr^2}"]
    assert [str(s) for s in gm.matrices.group_symbols(gm.cyclic(2), prefix="a")] == ["a_e", "a_r"]
    assert len(set(gm.matrices.group_symbols(gm.sign_group(2)))) == 4
    G = gm.group_matrix(gm.cyclic(2))
    assert G == sympy.Matrix([[sympy.Symbol("x_e"), sympy.Symbol("x_r")], [sympy.Symbol("x_r"), sympy.Symbol("x_e")]])


def _three_cycle(points, d=13):
    p = np.arange(d)
    a, b, c = points
    p[a], p[b], p[c] = b, c, a
    return p


def test_group_symbols_are_distinct_when_dropping_spaces_would_merge_labels():
    G = gm.from_permutations([_three_cycle((0, 1, 12)), _three_cycle((0, 11, 2))])
    assert G.order == 60
    symbols = gm.matrices.group_symbols(G)
    assert len(set(symbols)) == 60
    M = gm.group_matrix(G)                    # the symbolic group matrix has one symbol per element
    position = {s: i for i, s in enumerate(symbols)}
    K = np.array([position[v] for v in M]).reshape(60, 60)
    assert np.array_equal(K, gm.matrices.group_matrix_indices(G))


def test_group_symbols_fall_back_to_indices():
    G = gm.from_cayley_table([[0, 1], [1, 0]], labels=["a b", "ab"])
    # "a b" -> "ab" collides; with a comma separator "a,b" and "ab" differ
    assert [str(s) for s in gm.matrices.group_symbols(G)] == ["x_{a,b}", "x_{ab}"]
    H = gm.from_cayley_table([[0, 1, 2], [1, 2, 0], [2, 0, 1]], labels=["a,b", "a b", "ab"])
    assert [str(s) for s in gm.matrices.group_symbols(H)] == ["x_{0}", "x_{1}", "x_{2}"]
    with pytest.raises(TypeError, match="prefix must be a string"):
        gm.matrices.group_symbols(G, prefix=3)


@pytest.mark.parametrize("G", SMALL, ids=ids)
def test_inverse_of_a_group_matrix_is_a_group_matrix(G):
    rng = np.random.default_rng(4)
    x = rng.normal(size=G.order)
    x[G.identity] += G.order                                   # diagonally dominant, invertible
    M = gm.group_matrix(G, x)
    Minv = np.linalg.inv(M)
    assert gm.is_group_matrix(G, Minv, tol=1e-9)
    y = gm.x_from_group_matrix(G, Minv, tol=1e-9)
    delta = np.zeros(G.order)
    delta[G.identity] = 1
    assert np.allclose(convolve(G, x, y), delta)


def test_inverse_exact():
    G = gm.symmetric(3)
    x = [sympy.Integer(v) for v in (3, 1, 0, 2, 0, 1)]
    M = gm.group_matrix(G, x)
    Minv = M.inv()
    assert gm.is_group_matrix(G, Minv)
    y = gm.x_from_group_matrix(G, Minv)
    assert all(isinstance(v, sympy.Basic) for v in y)
    assert gm.group_matrix(G, list(y)) == Minv


@pytest.mark.parametrize("G", SMALL, ids=ids)
def test_conventions_are_related_by_the_inversion_permutation(G):
    x = np.random.default_rng(5).normal(size=G.order)
    J = inversion_permutation(G)
    M = gm.group_matrix(G, x)
    assert np.allclose(gm.group_matrix(G, x, convention="gh"), J @ M)
    assert np.allclose(gm.group_matrix(G, x, convention="g_hinv"), J @ M @ J)
    # the transpose of a group matrix is the group matrix of x(g^-1), in each convention
    xinv = x[G.inv(G.elements())]
    for convention in ("ginv_h", "g_hinv"):
        assert np.allclose(gm.group_matrix(G, x, convention=convention).T,
                           gm.group_matrix(G, xinv, convention=convention))


def test_sparse_gm_cnn_convolution_never_builds_the_dense_matrix(monkeypatch):
    G = gm.direct_product(gm.cyclic(32), gm.cyclic(32))
    x = np.zeros(1024)
    rng = np.random.default_rng(6)
    for a in (-1, 0, 1):
        for b in (-1, 0, 1):
            x[G.combine(a % 32, b % 32)] = rng.normal()
    # a dense 1024 x 1024 float matrix (8 MiB) or index array would be refused under this limit
    monkeypatch.setenv("GROUPMAT_MAX_BYTES", str(2**20))
    with pytest.raises(gm.TooLargeError):
        gm.group_matrix(G, x)
    S = gm.group_matrix(G, x, sparse=True)
    assert isinstance(S, sp.csr_array) and S.shape == (1024, 1024)
    assert S.nnz == 9 * 1024
    v = rng.normal(size=1024)
    # M_x v = convolve(G, v, x[G.inv(e)]) is the action on a vector (a periodic 3x3 correlation)
    monkeypatch.delenv("GROUPMAT_MAX_BYTES")
    assert np.allclose(S @ v, convolve(G, v, x[G.inv(G.elements())]))
    img = v.reshape(32, 32)
    k = x.reshape(32, 32)
    expected = sum(k[a % 32, b % 32] * np.roll(img, (-a, -b), axis=(0, 1)) for a in (-1, 0, 1) for b in (-1, 0, 1))
    assert np.allclose((S @ v).reshape(32, 32), expected)
    assert np.allclose(gm.x_from_group_matrix(G, S), x) and gm.is_group_matrix(G, S)


def test_sparse_refusals():
    G = gm.cyclic(3)
    with pytest.raises(ValueError, match="sparse=True needs numeric x"):
        gm.group_matrix(G, sympy.symbols("a b c"), sparse=True)
    with pytest.raises(ValueError, match="sparse=True takes a single function x of shape \\(3,\\)"):
        gm.group_matrix(G, np.ones((2, 3)), sparse=True)
    assert gm.group_matrix(G, np.zeros(3), sparse=True).nnz == 0


@given(groups(max_order=24), st.integers(0, 2**32 - 1), st.sampled_from(sorted(gm.matrices.CONVENTIONS)))
@settings(max_examples=20)
def test_x_round_trip(G, seed, convention):
    x = np.random.default_rng(seed).normal(size=G.order)
    M = gm.group_matrix(G, x, convention=convention)
    assert np.allclose(gm.x_from_group_matrix(G, M, convention=convention), x)
    assert gm.is_group_matrix(G, M, convention=convention)
    S = gm.group_matrix(G, x, convention=convention, sparse=True)
    assert np.allclose(gm.x_from_group_matrix(G, S, convention=convention), x)
    if G.order > 2:
        bad = M.copy()
        bad[0, 1] += 1.0
        assert not gm.is_group_matrix(G, bad, convention=convention)
        with pytest.raises(ValueError, match="not a group matrix of G for this convention"):
            gm.x_from_group_matrix(G, bad, convention=convention)
        # check=False gives the least-squares fit: the mean along each group diagonal
        fit = gm.x_from_group_matrix(G, bad, convention=convention, check=False)
        assert np.isclose(fit.sum(), x.sum() + 1.0 / G.order)
        badS = sp.lil_array(S)
        badS[0, 1] += 1.0
        assert not gm.is_group_matrix(G, sp.csr_array(badS), convention=convention)


def test_x_from_group_matrix_exact():
    G = gm.quaternion()
    M = gm.group_matrix(G)
    x = gm.x_from_group_matrix(G, M)
    assert list(x) == gm.matrices.group_symbols(G)
    M2 = M.copy()
    M2[0, 1] = M2[0, 1] + 1
    assert not gm.is_group_matrix(G, M2)
    with pytest.raises(ValueError, match="not a group matrix of G for this convention \\(exactly\\)"):
        gm.x_from_group_matrix(G, M2)


def test_is_group_matrix_with_tolerance():
    for G in (gm.cyclic(4), gm.dihedral(3)):
        n = G.order
        M = gm.group_matrix(G, np.arange(1.0, n + 1))
        M[0, 0] += 1e-6
        assert not gm.is_group_matrix(G, M)
        assert gm.is_group_matrix(G, M, tol=1e-5)
        with pytest.raises(ValueError, match=r"group diagonal differ by up to [78]\.\d+e-07 \(tol \d\.\d+e-1[34]\)"):
            gm.x_from_group_matrix(G, M)
        assert np.allclose(gm.x_from_group_matrix(G, M, tol=1e-5), np.arange(1.0, n + 1), atol=1e-6)
        assert not gm.is_group_matrix(G, np.diag(np.arange(n)))
        assert gm.is_group_matrix(G, np.eye(n)) and gm.is_group_matrix(G, np.ones((n, n)))
    assert gm.is_group_matrix(gm.cyclic(4), np.zeros((4, 4)), tol=0)
    assert not gm.is_group_matrix(gm.cyclic(4), np.eye(4)[::-1])


@pytest.mark.parametrize("tol, exc, match", [
    ("a", TypeError, "tol must be a finite number >= 0, got str 'a'"),
    (-1, ValueError, "tol must be a finite number >= 0, got -1"),
    (float("nan"), ValueError, "tol must be a finite number >= 0"),
    (True, TypeError, "tol must be a finite number"),
])
def test_bad_tolerance(tol, exc, match):
    D3 = gm.dihedral(3)
    with pytest.raises(exc, match=match):
        gm.is_group_matrix(D3, np.eye(6), tol=tol)
    with pytest.raises(exc, match=match):
        gm.x_from_group_matrix(D3, np.eye(6), tol=tol)


FLOAT_GROUPS = [gm.cyclic(7), gm.dihedral(5), gm.quaternion(), gm.symmetric(4), gm.group("C4xD3"),
                gm.from_cayley_table(gm.alternating(4).cayley_table()), gm.symmetric(5), gm.group("C16xC16")]


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("G", FLOAT_GROUPS, ids=lambda G: G.name)
def test_products_and_inverses_in_single_and_double_precision_are_group_matrices(G, dtype):
    """The default tolerance is the round-off of the input's dtype: a product (sums of n products)
    computed in float32 is recognised, and its x is the group-algebra product."""
    n = G.order
    rng = np.random.default_rng(n)
    x, y = rng.normal(size=(2, n))
    A, B = gm.group_matrix(G, x.astype(dtype)), gm.group_matrix(G, y.astype(dtype))
    P = A @ B
    assert P.dtype == dtype
    assert gm.is_group_matrix(G, P)
    for convention, Q in (("g_hinv", P[G.inverses()][:, G.inverses()]), ("gh", P[G.inverses()])):
        assert gm.is_group_matrix(G, Q, convention=convention)
    xy = gm.x_from_group_matrix(G, P)
    assert xy.dtype == dtype
    exact_xy = convolve(G, x.astype(dtype).astype(float), y.astype(dtype).astype(float))
    assert np.allclose(xy, exact_xy, rtol=0, atol=n * 10 * np.finfo(dtype).eps * np.abs(P).max())
    # the inverse of a well-conditioned group matrix, too
    z = x.copy()
    z[G.identity] += 2 * np.abs(x).sum()
    assert gm.is_group_matrix(G, np.linalg.inv(gm.group_matrix(G, z.astype(dtype))))
    # sparse input is judged in its dtype as well
    S = sp.csr_array(P)
    assert gm.is_group_matrix(G, S)


@pytest.mark.parametrize("G", FLOAT_GROUPS, ids=lambda G: G.name)
def test_a_perturbation_far_above_float32_round_off_is_refused(G):
    n = G.order
    rng = np.random.default_rng(1)
    P = gm.group_matrix(G, rng.normal(size=n).astype(np.float32)) @ gm.group_matrix(G, rng.normal(size=n).astype(np.float32))
    bad = P.copy()
    bad[0, 1] += np.float32(0.05 * np.abs(P).max())           # ~ 4e5 float32 epsilons of the largest entry
    assert bad.dtype == np.float32 and gm.is_group_matrix(G, P)
    assert not gm.is_group_matrix(G, bad)
    with pytest.raises(ValueError, match="not a group matrix of G for this convention"):
        gm.x_from_group_matrix(G, bad)
    assert not gm.is_group_matrix(G, sp.csr_array(bad))
    # a float64 matrix with a perturbation at float32 round-off is refused: the rule follows the dtype
    P64 = P.astype(np.float64)
    P64[0, 1] += 1e-5 * np.abs(P64).max()
    assert not gm.is_group_matrix(G, P64)


@pytest.mark.parametrize("G", [gm.dihedral(3), gm.symmetric(3), gm.cyclic(5)], ids=lambda G: G.name)
def test_regular_permutations(G):
    n = G.order
    e = G.elements()
    P = gm.matrices.regular_permutations(G, "left")
    assert np.array_equal(P, G.mul(e[:, None], e[None, :]))          # L(g) e_h = e_{g h}
    Q = gm.matrices.regular_permutations(G, "right")
    R = np.zeros((n, n, n))
    R[e[:, None], Q, e[None, :]] = 1                                  # R(g) e_b = e_{Q[g, b]}
    a, b = np.meshgrid(e, e, indexing="ij")
    for g in range(n):
        assert np.array_equal(R[g], (b == G.mul(a, g)).astype(float))  # R(g)[a, b] = [b == a g]
    for g in range(n):
        for h in range(n):
            assert np.array_equal(P[G.mul(g, h)], P[g][P[h]])
            assert np.array_equal(Q[G.mul(g, h)], Q[g][Q[h]])


@pytest.mark.parametrize("call, exc, match", [
    (lambda: gm.group_matrix([0, 1], [1, 2]), TypeError, "G must be a FiniteGroup"),
    (lambda: gm.group_matrix(gm.cyclic(3), [1, 2]), ValueError, "x must have length \\|G\\| = 3 along its last axis, got shape \\(2,\\)"),
    (lambda: gm.group_matrix(gm.cyclic(3), [1, 2, np.nan]), ValueError, "x must be finite"),
    (lambda: gm.group_matrix(gm.cyclic(3), ["a", "b", "c"]), TypeError, "x must be numeric or SymPy"),
    (lambda: gm.group_matrix(gm.cyclic(3), [1, 2, 3], convention="hg"), ValueError, "convention must be one of 'ginv_h', 'g_hinv', 'gh', got 'hg'"),
    (lambda: gm.group_matrix(gm.cyclic(2), [[sympy.Symbol("a"), 1], [1, 1]]), ValueError, "exact x must have shape \\(2,\\)"),
    (lambda: gm.matrices.group_matrix_indices(gm.cyclic(3), "bad"), ValueError, "convention must be one of"),
    (lambda: gm.matrices.group_matrix_indices("C3"), TypeError, "G must be a FiniteGroup"),
    (lambda: gm.x_from_group_matrix(gm.cyclic(4), np.eye(3)), ValueError, "M must be a square matrix of size \\|G\\| = 4, got shape \\(3, 3\\)"),
    (lambda: gm.x_from_group_matrix(gm.cyclic(3), np.eye(3), convention="x"), ValueError, "convention must be one of"),
    (lambda: gm.x_from_group_matrix(gm.cyclic(2), np.full((2, 2), "a")), TypeError, "M must be numeric or SymPy, got dtype <U1"),
    (lambda: gm.x_from_group_matrix(gm.cyclic(2), [[1, 2], [3]]), ValueError, "M must be a rectangular array of shape \\(2, 2\\)"),
    (lambda: gm.group_matrix(gm.cyclic(3), [1, 2, [3]]), ValueError, "x must be a rectangular array of length \\|G\\| = 3"),
    (lambda: gm.x_from_group_matrix(gm.cyclic(2), np.full((2, 2), np.inf)), ValueError, "M must be finite"),
    (lambda: gm.x_from_group_matrix(gm.cyclic(2), sp.eye(3, format="csr")), ValueError, "M must be a square matrix of size"),
    (lambda: gm.is_group_matrix(gm.cyclic(2), np.eye(3)), ValueError, "M must be a square matrix"),
    (lambda: convolve(gm.cyclic(3), [1, 2, 3], [1, 2]), ValueError, "y must have length"),
    (lambda: convolve(gm.cyclic(3), [1, 2], [1, 2, 3]), ValueError, "x must have length"),
    (lambda: gm.matrices.regular_permutations(gm.cyclic(3), "up"), ValueError, "side must be one of 'left', 'right', got 'up'"),
    (lambda: gm.matrices.regular_permutations(3), TypeError, "G must be a FiniteGroup"),
])
def test_bad_input(call, exc, match):
    with pytest.raises(exc, match=match):
        call()
