"""Representations over the complex numbers: every inner product conjugates the irreducible's
character (``conj(chi(g)) = chi(g^-1)``). Each check here fails for code that uses ``chi(g)`` where
``conj(chi(g))`` (or ``chi(g^-1)``, or ``conj(rho(g))``) belongs: it compares with an independent
computation from the matrices, on groups with non-real characters."""
import numpy as np
import pytest
import sympy

import groupmat as gm


def _c7_c3():
    return gm.semidirect_product(gm.cyclic(7), gm.cyclic(3), [lambda n: (2 * n) % 7])


GROUPS = {"C3": gm.cyclic(3), "C7": gm.cyclic(7), "A4": gm.alternating(4), "C7:C3": _c7_c3()}


def _complex_pairs(G):
    """``(k, j)`` for each irreducible ``k`` of complex type and its conjugate ``j`` (found from the
    matrices: ``rho_j`` has the character ``conj(chi_k)``)."""
    R = gm.irreps(G)
    chars = np.array([r.character() for r in R])
    out = []
    for k, r in enumerate(R):
        if r.frobenius_schur == 0:
            j = int(np.argmin(np.abs(chars - np.conj(chars[k])).max(axis=1)))
            assert j != k
            out.append((k, j))
    assert out, f"{G.name} must have non-real irreducibles for these checks"
    return out


def _hom_dimension(sigma, rho):
    """``dim Hom_G(rho, sigma)`` from the matrices alone: the trace of the Reynolds average of
    ``W -> sigma(g) W rho(g)^-1``, i.e. of ``(1/n) sum_g rho(g^-1)^T (x) sigma(g)`` (no character code)."""
    G = sigma.group
    inv = G.inverses()
    S = np.asarray(sigma.matrices, dtype=complex)
    R = np.asarray(rho.matrices, dtype=complex)
    avg = sum(np.kron(R[inv[g]].T, S[g]) for g in range(G.order)) / G.order
    return int(round(np.trace(avg).real))


def _conjugate_rep(rho):
    """``g -> conj(rho(g))`` as a new dense representation."""
    return gm.Representation(rho.group, np.conj(rho.matrices), name=f"conj of {rho.name}")


@pytest.mark.parametrize("name", sorted(GROUPS))
def test_multiplicity_of_a_complex_irreducible_in_a_rep_holding_only_its_conjugate(name):
    G = GROUPS[name]
    R = gm.irreps(G)
    for k, j in _complex_pairs(G):
        sigma = gm.direct_sum(_conjugate_rep(R[k]), gm.reps.trivial_representation(G))
        m = gm.reps.multiplicities(sigma)
        expected = np.zeros(len(R), dtype=int)
        expected[0] += 1
        expected[j] += 1
        np.testing.assert_array_equal(m, expected)
        assert m[k] == 0
        assert [_hom_dimension(sigma, rho) for rho in R] == expected.tolist()


@pytest.mark.parametrize("name", sorted(GROUPS))
def test_dual_is_the_conjugate_and_rho_tensor_dual_holds_the_trivial_rep_once(name):
    G = GROUPS[name]
    R = gm.irreps(G)
    for k, j in _complex_pairs(G):
        rho = R[k]
        np.testing.assert_allclose(rho.dual().character(), R[j].character(), atol=1e-12)
        both = gm.tensor(rho, rho.dual())
        m = gm.reps.multiplicities(both)
        assert m[0] == 1
        assert m.tolist() == [_hom_dimension(both, s) for s in R]
        # rho (x) rho of a complex-type irreducible holds no trivial summand (<chi^2, 1> = nu(rho)... = 0 here)
        square = gm.tensor(rho, rho)
        assert gm.reps.multiplicities(square).tolist() == [_hom_dimension(square, s) for s in R]
        assert gm.reps.multiplicities(square)[0] == 0


@pytest.mark.parametrize("name", sorted(GROUPS))
def test_regular_and_mixed_reps_have_the_multiplicities_of_the_matrices(name):
    G = GROUPS[name]
    R = gm.irreps(G)
    assert gm.reps.multiplicities(gm.regular_representation(G)).tolist() == [r.dim for r in R]
    k, j = _complex_pairs(G)[0]
    mixed = gm.direct_sum(R[k], R[k], _conjugate_rep(R[k]), R[-1])
    assert gm.reps.multiplicities(mixed).tolist() == [_hom_dimension(mixed, s) for s in R]


@pytest.mark.parametrize("name", sorted(GROUPS))
def test_isotypic_projectors_of_a_complex_rep_cut_out_the_right_blocks(name):
    G = GROUPS[name]
    R = gm.irreps(G)
    for k, j in _complex_pairs(G):
        d = R[k].dim
        sigma = gm.direct_sum(gm.reps.trivial_representation(G), _conjugate_rep(R[k]))
        P = gm.reps.isotypic_projectors(sigma)
        block = np.zeros((d + 1, d + 1))
        block[1:, 1:] = np.eye(d)
        np.testing.assert_allclose(P[j], block, atol=1e-12)       # the conjugate's component: the block
        np.testing.assert_allclose(P[k], 0, atol=1e-12)           # rho itself does not occur
        np.testing.assert_allclose(sum(P), np.eye(d + 1), atol=1e-12)


@pytest.mark.parametrize("name", sorted(GROUPS))
def test_decompose_a_complex_rep_gives_intertwiners(name):
    G = GROUPS[name]
    R = gm.irreps(G)
    k, j = _complex_pairs(G)[-1]
    rng = np.random.default_rng(5)
    d = R[k].dim
    # a random unitary change of basis of conj(rho_k) + rho_k
    A = rng.normal(size=(2 * d, 2 * d)) + 1j * rng.normal(size=(2 * d, 2 * d))
    U, _ = np.linalg.qr(A)
    blocks = np.zeros((G.order, 2 * d, 2 * d), dtype=complex)
    blocks[:, :d, :d] = np.conj(R[k].matrices)
    blocks[:, d:, d:] = R[k].matrices
    sigma = gm.Representation(G, U @ blocks @ U.conj().T)
    Q, parts = gm.decompose(sigma)
    assert sorted((rho.index, m) for rho, m in parts) == sorted([(k, 1), (j, 1)])
    Qinv = np.linalg.inv(Q)
    for g in range(G.order):
        expected = np.zeros((2 * d, 2 * d), dtype=complex)
        o = 0
        for rho, m in parts:
            expected[o:o + rho.dim, o:o + rho.dim] = rho.matrices[g]
            o += rho.dim
        np.testing.assert_allclose(Qinv @ sigma.matrices[g] @ Q, expected, atol=1e-10)


@pytest.mark.parametrize("name", sorted(GROUPS))
def test_character_inner_products_conjugate_the_second_argument(name):
    G = GROUPS[name]
    T = gm.character_table(G)
    n = G.order
    for k, j in _complex_pairs(G):
        assert abs(T.inner_product(T.values[k], T.values[j])) < 1e-12
        assert abs(T.inner_product(T.values[k], T.values[k]) - 1) < 1e-12
        # against a sum over the elements, conj of the second argument
        chi_k, chi_j = T.character(k), T.character(j)
        psi = chi_k + 2 * chi_j
        m = T.inner_product(T.values[k] + 2 * T.values[j])
        assert np.allclose(m, [np.sum(psi * np.conj(T.character(i))) / n for i in range(len(T))])
        assert np.allclose(m[[k, j]], [1, 2])


@pytest.mark.parametrize("n", [3, 7])
def test_exact_complex_reps(n):
    G = gm.cyclic(n)
    R = gm.irreps(G, exact=True)
    k, j = 1, n - 1                                           # chi_1 = conj(chi_{n-1})
    w = sympy.exp(-2 * sympy.pi * sympy.I / n)
    assert sympy.simplify(R[k].matrices[1, 0, 0] - w) == 0
    sigma = gm.from_generators(G, [sympy.Matrix([[sympy.conjugate(w)]])])   # conj(rho_1) = rho_{n-1}
    m = gm.reps.multiplicities(sigma)
    assert m[j] == 1 and m.sum() == 1
    P = gm.reps.isotypic_projectors(sigma)
    assert P[j] == sympy.Matrix([[1]]) and P[k] == sympy.Matrix([[0]])


@pytest.mark.parametrize("name", sorted(GROUPS))
def test_real_field_counts_a_realified_pair_once(name):
    G = GROUPS[name]
    R = gm.irreps(G)
    real = gm.irreps(G, field="real")
    k, j = _complex_pairs(G)[0]
    target = [i for i, s in enumerate(real) if set(s.complex_indices) == {k, j}]
    assert len(target) == 1
    sigma = gm.direct_sum(real[target[0]], gm.reps.trivial_representation(G))
    m = gm.reps.multiplicities(sigma, field="real")
    expected = np.zeros(len(real), dtype=int)
    expected[0] += 1
    expected[target[0]] += 1
    np.testing.assert_array_equal(m, expected)
    # over C the realified pair is rho_k + rho_j
    assert gm.reps.multiplicities(sigma)[[k, j]].tolist() == [1, 1]
    P = gm.reps.isotypic_projectors(sigma, field="real")
    assert np.isclose(np.trace(P[target[0]]), 2 * R[k].dim)
