"""The Fourier transform: fast paths = dense definition, inverse, Plancherel, convolution, block diagonalisation."""
from __future__ import annotations

import numpy as np
import pytest
import scipy.linalg as sl
import sympy
from hypothesis import given, settings
from hypothesis import strategies as st
from strategies import groups

import groupmat as gm
from groupmat._exact import exact_equal_arrays, to_numeric

FAST = [gm.cyclic(1), gm.cyclic(7), gm.cyclic(12), gm.sign_group(0), gm.sign_group(3), gm.dihedral(1), gm.dihedral(2),
        gm.dihedral(7), gm.dihedral(8), gm.direct_product(gm.cyclic(3), gm.cyclic(4)),
        gm.direct_product(gm.sign_group(2), gm.cyclic(3)), gm.direct_product(gm.dihedral(3), gm.cyclic(3)),
        gm.direct_product(gm.dihedral(4), gm.symmetric(3)), gm.direct_product(gm.quaternion(), gm.cyclic(3)),
        gm.direct_product(gm.cyclic(2), gm.dihedral(3), gm.cyclic(3))]
DENSE = [gm.quaternion(), gm.dicyclic(3), gm.symmetric(4), gm.alternating(4),
         gm.semidirect_product(gm.cyclic(7), gm.cyclic(3), [lambda n: (2 * n) % 7])]


def dense_fourier(G, x, field):
    """The definition: sum_g x(g) rho(g), irreducible by irreducible."""
    return [np.einsum("...g,gij->...ij", x, rho.matrices) for rho in gm.irreps(G, field)]


def _random(shape, complex_=False, seed=0):
    rng = np.random.default_rng(seed)
    x = rng.standard_normal(shape)
    return x + 1j * rng.standard_normal(shape) if complex_ else x


@pytest.mark.parametrize("G", FAST + DENSE, ids=lambda G: G.name)
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
        assert np.allclose(gm.plancherel_norm(X), (np.abs(x) ** 2).sum(axis=-1))
    assert not np.iscomplexobj(gm.inverse_fourier(G, gm.fourier(G, _random(n), field)))


def test_cyclic_is_numpy_fft():
    x = _random(64)
    X = gm.fourier(gm.cyclic(64), x)
    assert np.allclose(X.stacks[0][1][:, 0, 0], np.fft.fft(x))
    assert X.degrees.tolist() == [1] * 64


@pytest.mark.parametrize("G", FAST + DENSE, ids=lambda G: G.name)
def test_convolve_matches_group_matrix_product(G):
    n = G.order
    x, y = _random((3, n), seed=2), _random(n, seed=3)
    z = gm.convolve(G, x, y)
    assert z.shape == (3, n)
    assert np.allclose(z, gm.dense_convolve(G, x, y))
    assert np.allclose(gm.group_matrix(G, z[0]), gm.group_matrix(G, x[0]) @ gm.group_matrix(G, y))
    xc, yc = _random(n, True, 4), _random((2, 1, n), True, 5)
    assert np.allclose(gm.convolve(G, xc, yc), gm.dense_convolve(G, xc, yc))
    # the fast route itself (convolve uses the dense one below its order threshold)
    from groupmat.reps.fourier_transform import _fast_convolve, _kind
    if _kind(G) != "dense":
        assert np.allclose(_fast_convolve(G, _kind(G), x, y), gm.dense_convolve(G, x, y))
        assert np.allclose(_fast_convolve(G, _kind(G), xc, yc), gm.dense_convolve(G, xc, yc))


@pytest.mark.parametrize("G", [gm.cyclic(256), gm.dihedral(64), gm.direct_product(gm.dihedral(8), gm.cyclic(8)),
                               gm.direct_product(gm.sign_group(4), gm.cyclic(8))], ids=lambda G: G.name)
def test_convolve_large_fast_paths(G):
    n = G.order
    x, y = _random((2, n), seed=6), _random((4, 1, n), seed=7)
    assert np.allclose(gm.convolve(G, x, y), gm.dense_convolve(G, x, y))
    xi = np.random.default_rng(8).integers(-5, 5, n)
    yi = np.random.default_rng(9).integers(-5, 5, n)
    zi = gm.convolve(G, xi, yi)
    assert zi.dtype.kind == "i" and np.array_equal(zi, gm.dense_convolve(G, xi, yi))


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


@pytest.mark.parametrize("G", [gm.cyclic(9), gm.dihedral(40), gm.symmetric(3), gm.direct_product(gm.dihedral(5), gm.cyclic(8))],
                         ids=lambda G: G.name)
def test_fast_group_matvec(G):
    n = G.order
    u, V = _random(n, seed=10), _random((5, n), seed=11)
    assert np.allclose(gm.fast_group_matvec(G, u, V), V @ gm.group_matrix(G, u).T)


@settings(max_examples=20, deadline=None)
@given(groups(max_order=48), st.integers(0, 2**31))
def test_random_groups_fourier_and_convolution(G, seed):
    n = G.order
    x, y = _random(n, seed=seed), _random(n, seed=seed + 1)
    X, Y = gm.fourier(G, x), gm.fourier(G, y)
    Z = gm.fourier(G, gm.convolve(G, x, y))
    assert all(np.allclose(Z[k], X[k] @ Y[k]) for k in range(len(Z)))
    assert np.allclose(gm.inverse_fourier(G, X @ Y), gm.dense_convolve(G, x, y))
    R = gm.fourier(G, x, "real")
    assert np.allclose(gm.inverse_fourier(G, R), x)


@pytest.mark.parametrize("G", [gm.cyclic(6), gm.dihedral(4), gm.quaternion(), gm.dicyclic(3), gm.symmetric(4),
                               gm.alternating(4), gm.direct_product(gm.cyclic(3), gm.cyclic(3))], ids=lambda G: G.name)
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
        gm.plancherel_norm([np.ones((1, 1))])
    X = gm.fourier(G, np.ones(6))
    with pytest.raises(IndexError):
        X[3]
    with pytest.raises(ValueError, match="xhat.group belongs to D3 but G to C6"):
        gm.inverse_fourier(gm.cyclic(6), X)
