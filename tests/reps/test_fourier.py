"""The Fourier transform: fast paths = dense definition, inverse, Plancherel, convolution, block diagonalisation."""
from __future__ import annotations

import numpy as np
import pytest
import scipy.linalg as sl
import sympy
from hypothesis import given, settings
from hypothesis import strategies as st
from strategies import abelian_tables, groups

import groupmat as gm
import groupmat.reps.fourier_transform as ft
from groupmat import routing
from groupmat._exact import exact_equal_arrays, to_numeric

FAST = [gm.cyclic(1), gm.cyclic(7), gm.cyclic(12), gm.sign_group(0), gm.sign_group(3), gm.dihedral(1), gm.dihedral(2),
        gm.dihedral(7), gm.dihedral(8), gm.direct_product(gm.cyclic(3), gm.cyclic(4)),
        gm.direct_product(gm.sign_group(2), gm.cyclic(3)), gm.direct_product(gm.dihedral(3), gm.cyclic(3)),
        gm.direct_product(gm.dihedral(4), gm.symmetric(3)), gm.direct_product(gm.quaternion(), gm.cyclic(3)),
        gm.direct_product(gm.cyclic(2), gm.dihedral(3), gm.cyclic(3))]
DENSE = [gm.quaternion(), gm.dicyclic(3), gm.symmetric(4), gm.alternating(4),
         gm.semidirect_product(gm.cyclic(7), gm.cyclic(3), [lambda n: (2 * n) % 7])]
# abelian groups that are not declared as products of cyclic groups: they reach the FFT through the
# cyclic coordinates found from their group law
ABELIAN_UNDECLARED = [gm.from_cayley_table(gm.group("C4xC6").cayley_table()),
                      gm.from_permutations([[1, 2, 3, 0, 4, 5, 6], [0, 1, 2, 3, 5, 6, 4]]),   # C4 x C3 on 7 points
                      gm.direct_product(gm.dihedral(2), gm.cyclic(3)), gm.dicyclic(1), gm.alternating(3),
                      gm.from_cayley_table(gm.sign_group(3).cayley_table()),
                      gm.symmetric(4).subgroup([gm.symmetric(4).element("(0 1 2 3)")])]             # C4 inside S4


def dense_fourier(G, x, field):
    """The definition: sum_g x(g) rho(g), irreducible by irreducible."""
    return [np.einsum("...g,gij->...ij", x, rho.matrices) for rho in gm.irreps(G, field)]


def definition_convolve(G, x, y):
    """``(x * y)(t) = sum_u x(u) y(u^-1 t)`` from the multiplication table, nothing else."""
    e = G.elements()
    idx = G.mul(G.inv(e)[:, None], e[None, :])            # idx[u, t] = u^-1 t
    return np.einsum("...u,...ut->...t", x, np.asarray(y)[..., idx])


def _random(shape, complex_=False, seed=0):
    rng = np.random.default_rng(seed)
    x = rng.standard_normal(shape)
    return x + 1j * rng.standard_normal(shape) if complex_ else x


@pytest.mark.parametrize("G", FAST + DENSE + ABELIAN_UNDECLARED, ids=lambda G: G.name)
@pytest.mark.parametrize("field", ["complex", "real"])
def test_fast_equals_dense_and_inverts(G, field):
    n = G.order
    for x in (_random(n), _random((2, 3, n), complex_=True, seed=1)):
        X = gm.fourier(G, x, field)
        D = dense_fourier(G, x, field)
        assert len(X) == len(D)
        for k in range(len(D)):
            assert X[k].shape == D[k].shape and np.allclose(X[k], D[k]), (G.name, field, k)
        assert np.allclose(gm.inverse_fourier(G, X), x)
        assert np.allclose(gm.inverse_fourier(G, X.to_list(), field), x)
        # Plancherel
        assert np.allclose(gm.reps.plancherel_norm(X), (np.abs(x) ** 2).sum(axis=-1))
    assert not np.iscomplexobj(gm.inverse_fourier(G, gm.fourier(G, _random(n), field)))


def test_cyclic_is_numpy_fft():
    x = _random(64)
    X = gm.fourier(gm.cyclic(64), x)
    assert np.allclose(X.stacks[0][1][:, 0, 0], np.fft.fft(x))
    assert X.degrees.tolist() == [1] * 64


@pytest.mark.parametrize("H", ABELIAN_UNDECLARED, ids=lambda G: G.name)
def test_abelian_route_is_fftn_on_the_cyclic_coordinates_in_irreps_order(H):
    """Any abelian group takes the FFT: output k is the k-th frequency of fftn on the grid, and the
    k-th irreducible (and character-table row) is the character of that frequency."""
    assert routing.transform_kind(H) == "abelian" and routing.convolve_route(H) == "fft"
    coords = H.cyclic_coordinates()
    x = _random((2, H.order), complex_=True, seed=5)
    grid = x[..., coords.elements].reshape((2,) + coords.shape)
    want = np.fft.fftn(grid, axes=tuple(range(1, grid.ndim))).reshape(2, H.order)
    X = gm.fourier(H, x)
    assert np.allclose(X.gather(np.arange(H.order))[..., 0, 0], want)
    reps = gm.irreps(H)
    chars = np.array([rho.matrices[:, 0, 0] for rho in reps])
    assert np.allclose(want, x @ chars.T)                              # sum_g x(g) rho_k(g)
    assert np.allclose(gm.character_table(H).characters(), chars)
    # the inverse maps back through the grid positions
    assert np.allclose(gm.inverse_fourier(H, X), x)


def _prime_power_parts(shape):
    """The prime-power cyclic factors of C_{m_1} x ... x C_{m_k}, sorted (C_12 = C_4 x C_3)."""
    parts = []
    for m in shape:
        p = 2
        while m > 1:
            q = 1
            while m % p == 0:
                m, q = m // p, q * p
            if q > 1:
                parts.append(q)
            p += 1
    return sorted(parts) or [1]


@settings(max_examples=15, deadline=None)
@given(abelian_tables(max_order=96), st.integers(0, 2**31))
def test_abelian_tables_reach_the_fft(data, seed):
    H, shape = data
    n = H.order
    assert routing.transform_kind(H) == "abelian"
    assert sorted(H.cyclic_coordinates().shape) == _prime_power_parts(shape)     # found from the group law
    x, y = _random((2, n), seed=seed)
    X = gm.fourier(H, x)
    D = dense_fourier(H, x, "complex")
    assert all(np.allclose(X[k], D[k]) for k in range(n))
    assert np.allclose(gm.inverse_fourier(H, X), x)
    assert np.allclose(gm.convolve(H, x, y), definition_convolve(H, x, y))
    assert np.allclose(gm.convolve(H, x, y), gm.matrices.dense_convolve(H, x, y))
    R = gm.fourier(H, x, "real")
    assert np.allclose(gm.inverse_fourier(H, R), x)


@pytest.mark.parametrize("G", FAST + DENSE + ABELIAN_UNDECLARED, ids=lambda G: G.name)
def test_convolve_matches_group_matrix_product(G):
    n = G.order
    x, y = _random((3, n), seed=2), _random(n, seed=3)
    z = gm.convolve(G, x, y)
    assert z.shape == (3, n)
    assert np.allclose(z, definition_convolve(G, x, y))
    assert np.allclose(gm.group_matrix(G, z[0]), gm.group_matrix(G, x[0]) @ gm.group_matrix(G, y))
    xc, yc = _random(n, True, 4), _random((2, 1, n), True, 5)
    assert np.allclose(gm.convolve(G, xc, yc), definition_convolve(G, xc, yc))
    # what the fast route computes, at any order: (x * y)^ = xhat yhat, inverted
    assert np.allclose(gm.inverse_fourier(G, gm.fourier(G, x) @ gm.fourier(G, y)), definition_convolve(G, x, y))


@pytest.mark.parametrize("G, route", [(gm.cyclic(256), "fft"), (gm.dihedral(64), "fft"),
                                      (gm.direct_product(gm.dihedral(8), gm.cyclic(8)), "fft"),
                                      (gm.direct_product(gm.sign_group(4), gm.cyclic(8)), "fft"),
                                      (gm.direct_product(gm.symmetric(3), gm.cyclic(16)), "factorwise"),
                                      (gm.from_cayley_table(gm.group("C8xC16").cayley_table()), "fft"),
                                      (gm.dihedral(8), "dense"), (gm.symmetric(4), "dense")],
                         ids=lambda v: v if isinstance(v, str) else v.name)
def test_convolve_routes_agree_with_the_definition(G, route):
    """Each route of routing.convolve_route, taken by convolve, equals the definition."""
    n = G.order
    assert routing.convolve_route(G) == route
    x, y = _random((2, n), seed=6), _random((4, 1, n), seed=7)
    assert np.allclose(gm.convolve(G, x, y), definition_convolve(G, x, y))
    xi = np.random.default_rng(8).integers(-5, 5, n)
    yi = np.random.default_rng(9).integers(-5, 5, n)
    zi = gm.convolve(G, xi, yi)
    assert zi.dtype.kind == "i" and np.array_equal(zi, definition_convolve(G, xi, yi))


def test_has_fast_transform_is_the_routing_rule():
    assert not hasattr(gm.reps, "has_fast_transform") and "has_fast_transform" not in gm.reps.__all__
    assert not hasattr(ft, "has_fast_transform") and not hasattr(ft, "abelian_factor_shape")
    assert routing.has_fast_transform(gm.direct_product(gm.dihedral(16), gm.cyclic(8)))
    assert routing.has_fast_transform(gm.direct_product(gm.dihedral(3), gm.cyclic(2)))
    assert not routing.has_fast_transform(gm.direct_product(gm.symmetric(3), gm.cyclic(64)))


def test_convolve_exact_goes_exact():
    G = gm.cyclic(3)
    a, b = sympy.symbols("a b")
    z = gm.convolve(G, [a, b, 0], [1, 0, sympy.Rational(1, 2)])
    assert z.dtype == object and sympy.expand(z[0] - (a + b / 2)) == 0
    assert gm.convolve is gm.reps.convolve


def test_huge_integers_use_exact_integer_route():
    G = gm.cyclic(128)
    x = np.zeros(128, dtype=np.int64)
    x[0] = 2**40
    y = np.ones(128, dtype=np.int64) * 2**20
    assert np.array_equal(gm.convolve(G, x, y), np.full(128, 2**60))


@pytest.mark.parametrize("G", [gm.cyclic(9), gm.dihedral(40), gm.symmetric(3), gm.direct_product(gm.dihedral(5), gm.cyclic(8)),
                               ABELIAN_UNDECLARED[0]], ids=lambda G: G.name)
def test_fast_group_matvec(G):
    n = G.order
    u, V = _random(n, seed=10), _random((5, n), seed=11)
    assert np.allclose(gm.reps.fast_group_matvec(G, u, V), V @ gm.group_matrix(G, u).T)


@settings(max_examples=20, deadline=None)
@given(groups(max_order=48), st.integers(0, 2**31))
def test_random_groups_fourier_and_convolution(G, seed):
    n = G.order
    x, y = _random(n, seed=seed), _random(n, seed=seed + 1)
    X, Y = gm.fourier(G, x), gm.fourier(G, y)
    Z = gm.fourier(G, gm.convolve(G, x, y))
    assert all(np.allclose(Z[k], X[k] @ Y[k]) for k in range(len(Z)))
    assert np.allclose(gm.inverse_fourier(G, X @ Y), definition_convolve(G, x, y))
    R = gm.fourier(G, x, "real")
    assert np.allclose(gm.inverse_fourier(G, R), x)


# ------------------------------------------------------------------------------ one-factor products
@pytest.mark.parametrize("F", [gm.dihedral(3), gm.dihedral(40), gm.cyclic(6), gm.symmetric(3), gm.quaternion(),
                               ABELIAN_UNDECLARED[1]], ids=lambda F: F.name)
def test_one_factor_product_is_its_factor(F):
    G = gm.direct_product(F)
    x = np.random.default_rng(0).standard_normal(G.order)
    M = gm.group_matrix(G, x)
    Q, blocks = gm.block_diagonalize(G, M)
    assert np.allclose(Q.T @ M @ Q, sl.block_diag(*blocks))
    for field in ("complex", "real"):
        X = gm.fourier(G, x, field=field)
        XF = gm.fourier(F, x, field=field)
        assert all(np.allclose(a, b) for a, b in zip(X, XF)) and len(X) == len(XF)
        assert np.allclose(gm.inverse_fourier(G, X), x)
    assert np.allclose(gm.convolve(G, x, x[::-1]), definition_convolve(G, x, x[::-1]))


def test_nested_one_factor_product_inside_a_product():
    G = gm.direct_product(gm.direct_product(gm.dihedral(5)), gm.cyclic(7))
    x, y = np.random.default_rng(1).standard_normal((2, G.order))
    assert np.allclose(gm.convolve(G, x, y), definition_convolve(G, x, y))
    assert np.allclose(gm.inverse_fourier(G, gm.fourier(G, x, "real")), x)


# ------------------------------------------------------------------------------ single precision
@pytest.mark.parametrize("G", [gm.cyclic(24), gm.dihedral(12), gm.symmetric(4), ABELIAN_UNDECLARED[0],
                               gm.direct_product(gm.dihedral(3), gm.cyclic(4))], ids=lambda G: G.name)
@pytest.mark.parametrize("field", ["complex", "real"])
def test_float32_input(G, field):
    """float32 data is transformed (in single precision on the FFT routes) to float32 accuracy."""
    x = _random((2, G.order), seed=12).astype(np.float32)
    X = gm.fourier(G, x, field)
    D = dense_fourier(G, x.astype(np.float64), field)
    tol = 1e-5 * G.order                                   # float32 round-off of sums of n terms
    assert all(np.max(np.abs(X[k] - D[k])) < tol for k in range(len(D)))
    back = gm.inverse_fourier(G, X)
    assert not np.iscomplexobj(back) and np.max(np.abs(back - x)) < tol
    if routing.transform_kind(G) != "dense":
        assert back.dtype == np.float32
    assert np.max(np.abs(gm.convolve(G, x, x[::-1]) - definition_convolve(G, x.astype(float), x[::-1]))) < tol


# ------------------------------------------------------------------------------ block diagonalisation
@pytest.mark.parametrize("G", [gm.cyclic(6), gm.dihedral(4), gm.quaternion(), gm.dicyclic(3), gm.symmetric(4),
                               gm.alternating(4), gm.direct_product(gm.cyclic(3), gm.cyclic(3)),
                               ABELIAN_UNDECLARED[1]], ids=lambda G: G.name)
@pytest.mark.parametrize("field", ["real", "complex"])
def test_block_diagonalize(G, field):
    n = G.order
    x = _random(n, seed=12)
    M = gm.group_matrix(G, x)
    Q, blocks = gm.block_diagonalize(G, M, field)
    assert np.allclose(Q.conj().T @ Q, np.eye(n))
    if field == "real":
        assert not np.iscomplexobj(Q)
    assert np.allclose(Q.conj().T @ M @ Q, sl.block_diag(*blocks))
    # Schur: each irreducible block appears d / e times
    degs = [b.shape[0] for b in blocks]
    assert sum(degs) == n


def test_block_diagonalize_basis_is_read_only_and_stays_right():
    G = gm.dihedral(5)
    M = gm.group_matrix(G, np.arange(10.0))
    Q, _ = gm.block_diagonalize(G, M)
    with pytest.raises(ValueError, match="read-only"):
        Q[0, 0] = 1.0
    Q2, blocks = gm.block_diagonalize(G, M)
    assert np.allclose(Q2.T @ M @ Q2, sl.block_diag(*blocks)) and np.allclose(Q2.T @ Q2, np.eye(10))


@pytest.mark.parametrize("G", [gm.cyclic(8), gm.dihedral(5), gm.symmetric(3), gm.direct_product(gm.dihedral(3), gm.cyclic(3)),
                               ABELIAN_UNDECLARED[0]], ids=lambda G: G.name)
@pytest.mark.parametrize("field", ["complex", "real"])
def test_kept_plans_are_read_only_and_results_are_the_callers(G, field):
    """The index layouts (kept per group) are read-only; the coefficients belong to the caller, and
    editing them changes no later transform."""
    x = _random(G.order, seed=13)
    X = gm.fourier(G, x, field)
    for idx, data in X.stacks:
        with pytest.raises(ValueError, match="read-only"):
            idx[0] = 1
        data[...] = 0.0
    Y = gm.fourier(G, x, field)
    D = dense_fourier(G, x, field)
    assert all(np.allclose(Y[k], D[k]) for k in range(len(D)))
    assert np.allclose(gm.inverse_fourier(G, Y), x)


def test_block_diagonalize_sparse_matches_dense():
    G = gm.dihedral(3)
    x = np.arange(6.0)
    Qd, bd = gm.block_diagonalize(G, gm.group_matrix(G, x))
    Qs, bs = gm.block_diagonalize(G, gm.group_matrix(G, x, sparse=True))
    assert np.allclose(Qd, Qs) and all(np.allclose(a, b) for a, b in zip(bd, bs))


def test_block_diagonalize_exact_gives_exact_real_blocks():
    G = gm.dihedral(3)
    x = [sympy.Integer(v) for v in (3, -1, 2, 0, 5, 1)]
    M = gm.group_matrix(G, x)
    Q, blocks = gm.block_diagonalize(G, M)
    assert all(isinstance(b, sympy.MatrixBase) for b in blocks)
    assert all(v.is_real for b in blocks for v in b)
    num = sl.block_diag(*[to_numeric(np.array(b.tolist(), dtype=object)) for b in blocks])
    Mn = to_numeric(np.array(M.tolist(), dtype=object))
    assert np.allclose(Q.T @ Mn @ Q, num)


def test_block_diagonalize_exact_without_exact_irreps_stays_real():
    G = gm.from_cayley_table(gm.symmetric(3).cayley_table())
    x = [sympy.Integer(v) for v in range(6)]
    Q, blocks = gm.block_diagonalize(G, gm.group_matrix(G, x))
    assert all(np.asarray(b).dtype == np.float64 for b in blocks)
    Mn = gm.group_matrix(G, np.arange(6.0))
    assert np.allclose(Q.T @ Mn @ Q, sl.block_diag(*blocks))


def test_block_diagonalize_symbolic_errors_name_m():
    G = gm.from_cayley_table(gm.symmetric(3).cayley_table())
    with pytest.raises(TypeError, match="M has symbolic entries"):
        gm.block_diagonalize(G, gm.group_matrix(G))
    with pytest.raises(ValueError, match="M must be"):
        gm.block_diagonalize(G, np.ones((3, 3)))
    # a group with exact irreducibles handles symbols exactly
    H = gm.dihedral(3)
    _, blocks = gm.block_diagonalize(H, gm.group_matrix(H))
    assert sympy.expand(blocks[0][0, 0] - sum(gm.matrices.group_symbols(H))) == 0


# ------------------------------------------------------------------------------ exact transform
def test_exact_fourier_and_inverse():
    G = gm.symmetric(3)
    x = [sympy.Rational(k, 2) for k in range(6)]
    X = gm.fourier(G, x)
    assert all(isinstance(b, sympy.MatrixBase) for b in X)
    num = gm.fourier(G, np.array([k / 2 for k in range(6)]))
    assert all(np.allclose(to_numeric(np.array(X[k].tolist()), complex), num[k]) for k in range(3))
    back = gm.inverse_fourier(G, X)
    assert exact_equal_arrays(back, np.array(x, dtype=object))
    E = gm.fourier(G, np.arange(6), exact=True)
    assert all(isinstance(b, sympy.MatrixBase) for b in E) and E[1] == gm.fourier(G, list(map(sympy.Integer, range(6))))[1]
    C = gm.fourier(gm.cyclic(4), sympy.symbols("a:4"))
    a = sympy.symbols("a:4")
    assert sympy.expand(C[1][0, 0] - (a[0] - sympy.I * a[1] - a[2] + sympy.I * a[3])) == 0


def test_exact_fourier_of_an_abelian_table_group_agrees_with_numeric():
    H = ABELIAN_UNDECLARED[0]
    x = np.arange(H.order) % 5
    E = gm.fourier(H, x, exact=True)
    N = gm.fourier(H, x.astype(float))
    assert all(np.allclose(to_numeric(np.array(E[k].tolist(), dtype=object), complex), N[k]) for k in range(H.order))
    assert exact_equal_arrays(gm.inverse_fourier(H, E), np.array([sympy.Integer(int(v)) for v in x], dtype=object))


def test_cyclic_fast_return_equals_fft():
    G = gm.cyclic(1024)
    rng = np.random.default_rng(3)
    for _ in range(2):                                 # the second call reuses the kept index array
        x = rng.standard_normal(1024)
        X = gm.fourier(G, x)
        assert np.allclose(X.gather(np.arange(1024))[:, 0, 0], np.fft.fft(x)) and X.real_input
        z = x + 1j * rng.standard_normal(1024)
        Z = gm.fourier(G, z)
        assert np.allclose(Z.gather(np.arange(1024))[:, 0, 0], np.fft.fft(z)) and not Z.real_input
        assert np.allclose(gm.inverse_fourier(G, X), x) and gm.inverse_fourier(G, X).dtype == np.float64
    bad = np.ones(1024)
    bad[3] = np.nan
    with pytest.raises(ValueError, match="x must be finite"):
        gm.fourier(G, bad)


# ------------------------------------------------------------------------------ input checking
def test_bad_input():
    G = gm.dihedral(3)
    with pytest.raises(ValueError, match="length"):
        gm.fourier(G, np.ones(5))
    with pytest.raises(ValueError, match="field"):
        gm.fourier(G, np.ones(6), field="p-adic")
    with pytest.raises(TypeError, match="FiniteGroup"):
        gm.fourier("D3", np.ones(6))
    with pytest.raises(TypeError):
        gm.fourier(G, np.array(["a"] * 6))
    with pytest.raises(ValueError, match="one block per"):
        gm.inverse_fourier(G, [np.ones((1, 1))])
    with pytest.raises(ValueError, match="2x2"):
        gm.inverse_fourier(G, [np.ones((1, 1)), np.ones((1, 1)), np.ones((3, 3))])
    with pytest.raises(ValueError, match="not a group matrix"):
        gm.block_diagonalize(G, np.arange(36.0).reshape(6, 6))
    with pytest.raises(ValueError, match="length"):
        gm.convolve(G, np.ones(6), np.ones(4))
    with pytest.raises(ValueError, match="finite"):
        gm.convolve(gm.cyclic(100), np.full(100, np.nan), np.ones(100))
    with pytest.raises(TypeError, match="FourierCoefficients"):
        gm.reps.plancherel_norm([np.ones((1, 1))])
    X = gm.fourier(G, np.ones(6))
    with pytest.raises(IndexError):
        X[3]
    with pytest.raises(ValueError, match="xhat.group belongs to D3 but G to C6"):
        gm.inverse_fourier(gm.cyclic(6), X)


def test_bad_input_messages():
    with pytest.raises(ValueError, match=r"xhat\[0\] must be a square"):
        gm.inverse_fourier(gm.cyclic(5), [np.ones(1)] * 5)
    with pytest.raises(TypeError, match=r"xhat\[0\] must be a numeric"):
        gm.inverse_fourier(gm.symmetric(3), ["a", "b", "c"])
    with pytest.raises(TypeError, match="xhat must be"):
        gm.inverse_fourier(gm.symmetric(3), 3)
    with pytest.raises(ValueError, match="idx must hold irrep indices"):
        gm.fourier(gm.dihedral(4), np.ones(8)).gather([99])
    with pytest.raises(ValueError, match="batch axes of x"):
        gm.convolve(gm.dihedral(64), np.ones((2, 128)), np.ones((3, 128)))
    # a FourierCoefficients still iterates (IndexError ends the sequence protocol)
    assert len(list(gm.fourier(gm.dihedral(4), np.ones(8)))) == 5


def test_flags_are_strict_bools():
    with pytest.raises(TypeError, match="exact"):
        gm.fourier(gm.cyclic(3), np.ones(3), exact="no")
    assert len(gm.fourier(gm.cyclic(3), np.ones(3), exact=np.bool_(False))) == 3


def test_twin_group_message():
    X = gm.fourier(gm.cyclic(5), np.ones(5))
    with pytest.raises(ValueError, match="two different group objects both named C5"):
        gm.inverse_fourier(gm.cyclic(5), X)
