"""Regression tests for the review of groupmat/reps (issue 3): one test per defect, each failing before its fix."""
from __future__ import annotations

import tracemalloc

import numpy as np
import pytest
import scipy.linalg as sl
import sympy

import groupmat as gm
from groupmat._exact import to_numeric


def _peak_bytes(f):
    tracemalloc.start()
    try:
        out = f()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return out, peak


# ------------------------------------------------------------------ 1. one-factor direct products
@pytest.mark.parametrize("F", [gm.dihedral(3), gm.dihedral(40), gm.cyclic(6), gm.symmetric(3), gm.quaternion()],
                         ids=lambda F: F.name)
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
    assert np.allclose(gm.convolve(G, x, x[::-1]), gm.dense_convolve(G, x, x[::-1]))


def test_nested_one_factor_product_inside_a_product():
    G = gm.direct_product(gm.direct_product(gm.dihedral(5)), gm.cyclic(7))
    x, y = np.random.default_rng(1).standard_normal((2, G.order))
    assert np.allclose(gm.convolve(G, x, y), gm.dense_convolve(G, x, y))
    assert np.allclose(gm.inverse_fourier(G, gm.fourier(G, x, "real")), x)


# ---------------------------------------------------------- 2. block_diagonalize on groupmat's inputs
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
    assert sympy.expand(blocks[0][0, 0] - sum(gm.group_symbols(H))) == 0


# ------------------------------------------------------------------------ 3. conjugate index
def test_conjugate_index_is_r_by_r():
    from groupmat.reps.irreducibles import _conjugate_index

    r = 300
    k = np.arange(r)
    chars = np.exp(-2j * np.pi * np.outer(k, k) / r)        # the character table of C_300
    conj, peak = _peak_bytes(lambda: _conjugate_index(chars))
    assert np.array_equal(conj, (-k) % r)
    assert peak < 20 * r * r * 16                           # an r^3 array would need 432 MB


def test_conjugate_index_on_tables():
    from groupmat.reps.irreducibles import _conjugate_index

    for G in (gm.alternating(4), gm.cyclic(7), gm.dicyclic(3), gm.symmetric(4)):
        T = gm.character_table(G)
        conj = _conjugate_index(T.values, T.class_sizes)
        assert np.allclose(T.values[conj], np.conj(T.values))


# ------------------------------------------------------------------------ 4. group determinant
def test_galois_orbits_of_c300_are_the_divisor_classes():
    from groupmat.reps.determinant import _galois_orbits

    G = gm.cyclic(300)
    orbits, peak = _peak_bytes(lambda: _galois_orbits(G))
    # chi_k and chi_j are Galois conjugate iff gcd(k, 300) = gcd(j, 300)
    by_gcd = {}
    for k in range(300):
        by_gcd.setdefault(np.gcd(k, 300), []).append(k)
    assert sorted(orbits) == sorted(by_gcd.values())
    assert peak < 100 * 2**20


def test_group_determinant_refuses_early():
    with pytest.raises(gm.TooLargeError, match="degree 80"):
        gm.group_determinant(gm.cyclic(300))


def test_poly_product_checks_size(monkeypatch):
    from groupmat.reps.determinant import _Poly

    p = _Poly.linear(np.arange(1.0, 1001.0), 1000)
    monkeypatch.setenv("GROUPMAT_MAX_BYTES", str(2**20))
    with pytest.raises(gm.TooLargeError):
        p * p


def test_unit_generators_generate():
    from groupmat.reps.determinant import _unit_generators

    for N in (3, 8, 12, 60, 300, 360):
        gens = _unit_generators(N)
        seen, frontier = {1}, [1]
        while frontier:
            a = frontier.pop()
            for g in gens:
                b = a * g % N
                if b not in seen:
                    seen.add(b)
                    frontier.append(b)
        assert seen == {k for k in range(N) if np.gcd(k, N) == 1}


# --------------------------------------------------------------------- 6. decompose complex, real
def test_real_field_on_complex_rep_says_so():
    rho = gm.irreps(gm.cyclic(3))[1]
    with pytest.raises(ValueError, match="field='real'.*complex matrices"):
        gm.decompose(rho, field="real")
    with pytest.raises(ValueError, match="field"):
        gm.multiplicities(rho, field="real")
    assert gm.multiplicities(rho).tolist() == [0, 1, 0]


# ------------------------------------------------------------------------- 8. has_fast_transform
def test_has_fast_transform_products_follow_factor_routes():
    G = gm.direct_product(gm.dihedral(16), gm.cyclic(8))
    assert gm.has_fast_transform(G)
    assert not gm.has_fast_transform(gm.direct_product(gm.dihedral(3), gm.cyclic(2)))    # order 12
    assert not gm.has_fast_transform(gm.direct_product(gm.symmetric(3), gm.cyclic(64)))
    assert gm.has_fast_transform(gm.direct_product(gm.direct_product(gm.dihedral(4), gm.cyclic(3)), gm.dihedral(5)))


def test_convolve_routes_by_the_same_rule(monkeypatch):
    import sys

    fourier_module = sys.modules["groupmat.reps.fourier_transform"]    # groupmat.reps.fourier_transform is the function
    calls = []
    real = fourier_module.dense_convolve
    monkeypatch.setattr(fourier_module, "dense_convolve", lambda *a: calls.append(1) or real(*a))
    for G in (gm.direct_product(gm.dihedral(16), gm.cyclic(8)), gm.dihedral(8), gm.cyclic(5),
              gm.direct_product(gm.symmetric(3), gm.cyclic(16))):
        calls.clear()
        x, y = np.random.default_rng(2).standard_normal((2, G.order))
        assert np.allclose(gm.convolve(G, x, y), real(G, x, y))
        assert bool(calls) == (fourier_module._route(G) == "dense")
        assert (fourier_module._route(G) == "fft") == gm.has_fast_transform(G)


# ---------------------------------------------------------------------------- 9. single sources
def test_commutant_dimension():
    from groupmat.reps.irreducibles import commutant_dimension

    assert [commutant_dimension(v) for v in (1, 0, -1)] == [1, 2, 4]
    assert commutant_dimension(np.array([-1, 1])).tolist() == [4, 1]
    with pytest.raises(ValueError, match="frobenius_schur"):
        commutant_dimension(2)
    with pytest.raises(TypeError, match="frobenius_schur"):
        commutant_dimension("real")
    for rho in gm.irreps(gm.quaternion(), "real") + gm.irreps(gm.cyclic(5), "real"):
        chi = np.trace(rho.matrices, axis1=1, axis2=2)
        assert np.isclose(chi @ chi / rho.group.order, commutant_dimension(rho.frobenius_schur))


def test_abelian_factor_shape_is_semi_public():
    import sys

    import groupmat.reps as reps
    from groupmat.reps.fourier_transform import abelian_factor_shape

    fourier_module = sys.modules["groupmat.reps.fourier_transform"]

    assert "abelian_factor_shape" in fourier_module.__all__
    assert "abelian_factor_shape" not in reps.__all__
    assert abelian_factor_shape(gm.cyclic(6)) == (6,)
    assert abelian_factor_shape(gm.direct_product(gm.cyclic(3), gm.sign_group(2))) == (3, 2, 2)
    assert abelian_factor_shape(gm.direct_product(gm.cyclic(3), gm.dihedral(2))) is None
    assert abelian_factor_shape(gm.from_cayley_table(gm.cyclic(4).cayley_table())) is None


# ------------------------------------------------------------------------------ 10. hot loops
@pytest.mark.parametrize("G", [gm.sign_group(5), gm.cyclic(9), gm.cyclic(16), gm.dihedral(6), gm.dihedral(7),
                               gm.dihedral(1), gm.sign_group(0)], ids=lambda G: G.name)
def test_family_characters_equal_traces_of_irreps(G):
    T = gm.character_table(G)
    traces = np.array([np.trace(r.matrices, axis1=1, axis2=2) for r in gm.irreps(G)])
    assert np.allclose(T.characters(), traces)


def test_sign_irreps_are_parities():
    G = gm.sign_group(6)
    g = np.arange(64)
    for S, rho in enumerate(gm.irreps(G)):
        want = np.array([(-1) ** bin(int(v & S)).count("1") for v in g])
        assert np.array_equal(rho.matrices[:, 0, 0], want)


def test_character_table_exact_values_cyclic():
    G = gm.cyclic(12)
    T = gm.character_table(G)
    assert T.exact
    ev = to_numeric(T.exact_values, complex)
    k = np.arange(12)
    assert np.allclose(ev, np.exp(-2j * np.pi * np.outer(k, k) / 12))


# ----------------------------------------------------------------------------- 11. bad input
def test_bad_input_messages():
    with pytest.raises(ValueError, match=r"xhat\[0\] must be a square"):
        gm.inverse_fourier(gm.cyclic(5), [np.ones(1)] * 5)
    with pytest.raises(TypeError, match=r"xhat\[0\] must be a numeric"):
        gm.inverse_fourier(gm.symmetric(3), ["a", "b", "c"])
    with pytest.raises(TypeError, match="xhat must be"):
        gm.inverse_fourier(gm.symmetric(3), 3)
    T = gm.character_table(gm.dihedral(4))
    with pytest.raises(ValueError, match="k must be in range"):
        T.character(99)
    with pytest.raises(TypeError, match="k must be an integer"):
        T.character(1.5)
    assert np.allclose(T.character(-1), T.character(4))
    with pytest.raises(ValueError, match="chi must hold values on the 5 conjugacy classes"):
        T.inner_product(np.ones(3))
    with pytest.raises(ValueError, match="psi must hold"):
        T.inner_product(np.ones(5), np.ones((2, 4)))
    with pytest.raises(ValueError, match="idx must hold irrep indices"):
        gm.fourier(gm.dihedral(4), np.ones(8)).gather([99])
    with pytest.raises(ValueError, match="batch axes of x"):
        gm.convolve(gm.dihedral(64), np.ones((2, 128)), np.ones((3, 128)))
    # a FourierCoefficients still iterates (IndexError ends the sequence protocol)
    assert len(list(gm.fourier(gm.dihedral(4), np.ones(8)))) == 5


# ----------------------------------------------------------------------- 12/13. flags, messages
def test_flags_are_strict_bools():
    with pytest.raises(TypeError, match="exact"):
        gm.fourier(gm.cyclic(3), np.ones(3), exact="no")
    with pytest.raises(TypeError, match="factor"):
        gm.group_determinant(gm.cyclic(3), factor="no")
    with pytest.raises(TypeError, match="exact"):
        gm.irreps(gm.cyclic(3), exact="no")
    assert len(gm.fourier(gm.cyclic(3), np.ones(3), exact=np.bool_(False))) == 3


def test_twin_group_message():
    X = gm.fourier(gm.cyclic(5), np.ones(5))
    with pytest.raises(ValueError, match="two different group objects both named C5"):
        gm.inverse_fourier(gm.cyclic(5), X)


# ------------------------------------------------------------------------ 19. verify rows
def test_frobenius_row_checks_each_multiplicity(monkeypatch):
    import groupmat.reps as reps
    from groupmat.verify.theorems_characters import frobenius_determinant_exact

    G = gm.dihedral(4)
    assert frobenius_determinant_exact(G) == "exact"
    true = reps.group_determinant(G)
    prod = sympy.Mul(*[f**m for f, m in true])
    # same product and same set of multiplicities {1, 2}, but no factor of multiplicity 2 is real
    monkeypatch.setattr(reps, "group_determinant", lambda H: [(prod, 1), (sympy.Integer(1), 2)])
    with pytest.raises(AssertionError, match="multiplicities are not the degrees"):
        frobenius_determinant_exact(G)


def test_exact_orthogonality_row():
    from groupmat.verify.theorems_characters import character_orthogonality_exact
    from groupmat.verify import NotApplicable

    G = gm.symmetric(3)
    assert character_orthogonality_exact(G) == "exact"
    T = gm.character_table(G)
    ev = T.exact_values.copy()
    ev[1, 2] = sympy.Integer(0)                     # chi_2 of S3 is -1 on the 3-cycles
    T._exact_values = ev
    try:
        with pytest.raises(AssertionError, match="exactly"):
            character_orthogonality_exact(G)
    finally:
        T._exact_values = None
    H = gm.from_cayley_table(gm.symmetric(3).cayley_table())
    gm.character_table(H)._mults = None             # a table known only numerically
    with pytest.raises(NotApplicable):
        character_orthogonality_exact(H)


def test_real_irreps_row():
    from groupmat.verify.theorems_characters import real_irreps_commutant

    for G in (gm.quaternion(), gm.cyclic(5), gm.alternating(4), gm.dicyclic(3)):
        assert real_irreps_commutant(G) == "numeric"


# ------------------------------------------------------------------------- 20. cyclic fast return
def test_cyclic_fast_return_equals_fft():
    G = gm.cyclic(1024)
    rng = np.random.default_rng(3)
    for _ in range(2):                                 # the second call takes the cached fast return
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
