"""The Representation class, permutation representations and the representation algebra."""
from __future__ import annotations

import numpy as np
import pytest
import scipy.linalg
import scipy.sparse as sp
import sympy
from hypothesis import given, settings
from hypothesis import strategies as st

import groupmat as gm
from strategies import groups, representations


def rotation(t):
    return np.array([[np.cos(t), -np.sin(t)], [np.sin(t), np.cos(t)]])


def dihedral_2d(n):
    """The standard 2-d representation of D_n: r -> rotation by 2 pi / n, s -> reflection."""
    return gm.from_generators(gm.dihedral(n), [rotation(2 * np.pi / n), np.diag([1.0, -1.0])])


# ------------------------------------------------------------------------------ random representations
@given(st.data())
@settings(max_examples=25)
def test_random_representations_are_homomorphisms(data):
    G = data.draw(groups(max_order=24))
    rho = data.draw(representations(G))
    n, d = G.order, rho.dim
    mats = rho.matrices
    assert mats.shape == (n, d, d)
    e = G.elements()
    prod = G.mul(e[:, None], e[None, :])
    assert np.allclose(mats[prod], mats[:, None] @ mats[None, :])          # rho(g h) = rho(g) rho(h)
    assert np.allclose(mats[G.identity], np.eye(d))
    assert rho.is_orthogonal() and rho.is_unitary()
    chi = rho.character()
    assert np.allclose(chi, np.trace(mats, axis1=1, axis2=2))
    for c in G.conjugacy_classes():
        assert np.allclose(chi[c], chi[c[0]])                                # a class function
    # <chi, chi_trivial> = dim of the invariants, a non-negative integer
    inv = np.sum(chi) / n
    assert np.isclose(inv, round(inv.real)) and inv.real > -1e-9
    g = data.draw(st.integers(0, n - 1))
    v = np.random.default_rng(g).normal(size=(3, d))
    assert np.allclose(rho.apply(g, v), v @ mats[g].T)
    assert np.allclose(rho(g), mats[g])


@given(st.data())
@settings(max_examples=20)
def test_characters_of_sums_tensors_duals_restrictions(data):
    G = data.draw(groups(max_order=24))
    r1 = data.draw(representations(G, max_dim=24))
    r2 = data.draw(representations(G, max_dim=24))
    chi1, chi2 = r1.character(), r2.character()
    assert np.allclose((r1 + r2).character(), chi1 + chi2)
    assert (r1 + r2).dim == r1.dim + r2.dim
    assert np.allclose(gm.tensor(r1, r2).character(), chi1 * chi2)
    assert np.allclose((r1 @ r2).character(), chi1 * chi2)
    inv = G.inv(G.elements())
    assert np.allclose(r1.dual().character(), chi1[inv])
    assert np.allclose(r1.dual().character(), np.conj(chi1))              # orthogonal: chi(g^-1) = conj chi(g)
    assert np.allclose((3 * r1).character(), 3 * chi1)
    H = G.subgroup([data.draw(st.integers(0, G.order - 1))])
    assert np.allclose(r1.restrict(H).character(), chi1[H.embedding])
    assert r1.restrict(H).group is H


# ------------------------------------------------------------------------------ permutation reps
@pytest.mark.parametrize("G", [gm.cyclic(6), gm.dihedral(4), gm.symmetric(3), gm.quaternion()], ids=lambda G: G.name)
@pytest.mark.parametrize("side", ["left", "right"])
def test_regular_representation(G, side):
    rho = gm.regular_representation(G, side)
    n = G.order
    assert rho.is_permutation and rho.regular_side == side and rho.dim == n
    chi = rho.character()
    assert chi[G.identity] == n and np.all(np.delete(chi, G.identity) == 0)
    e = G.elements()
    M = rho.matrices
    expected = np.zeros((n, n, n))
    if side == "left":
        expected[e[:, None], G.mul(e[:, None], e[None, :]), e[None, :]] = 1           # L(g) e_h = e_{gh}
    else:
        a, b = np.meshgrid(e, e, indexing="ij")
        expected = np.stack([(b == G.mul(a, g)).astype(float) for g in e])         # R(g)[a, b] = [b = a g]
    assert np.array_equal(M, expected)


@given(st.data())
@settings(max_examples=15)
def test_permutation_dense_matrices_equal_their_index_arrays(data):
    G = data.draw(groups(max_order=24))
    rho = data.draw(representations(G).filter(lambda r: r.is_permutation))
    n, d = rho.perms.shape
    M = rho.matrices
    for g in range(n):
        expected = np.zeros((d, d))
        expected[rho.perms[g], np.arange(d)] = 1.0                                  # rho(g) e_i = e_{perms[g, i]}
        assert np.array_equal(M[g], expected)
        assert np.array_equal(rho(g), expected)
        assert np.array_equal(rho.to_sparse(g).toarray(), expected)
    v = np.random.default_rng(0).normal(size=(4, d))
    g = np.arange(4) % n
    assert np.allclose(rho.apply(g, v), np.einsum("kij,kj->ki", M[g], v))
    assert np.allclose(rho.apply(1 % n, v[0]), M[1 % n] @ v[0])
    assert rho.dual() is rho and rho.is_orthogonal()


@pytest.mark.parametrize("n", [1, 2, 3, 4, 5])
def test_natural_representation_character_is_fixed_points(n):
    for G in (gm.symmetric(n), gm.alternating(n)):
        rho = gm.reps.natural_representation(G)
        fixed = (G.perms == np.arange(n)).sum(axis=1)
        assert np.array_equal(rho.character(), fixed)
        rho.check_homomorphism()
        # rho(g) e_i = e_{i^(g^-1)}: the permutation matrix of g^-1 acting on points
        for g in range(G.order):
            assert np.array_equal(rho.perms[g], G.perms[G.inv(g)])


def test_natural_representation_of_polygon():
    r, s = [1, 2, 3, 4, 0], [0, 4, 3, 2, 1]
    G = gm.from_permutations([r, s])
    rho = gm.reps.natural_representation(G)
    assert G.order == 10 and rho.dim == 5
    assert sorted(rho.character().tolist()) == [0.0] * 4 + [1.0] * 5 + [5.0]
    with pytest.raises(TypeError, match="G must be a permutation group"):
        gm.reps.natural_representation(gm.dihedral(5))


def test_permutation_representation_from_an_action():
    D4 = gm.dihedral(4)
    e, i = np.arange(8)[:, None], np.arange(4)[None, :]
    act = np.where(e < 4, (i + e) % 4, (-(i + e % 4)) % 4)            # the square's vertices
    rho = gm.permutation_representation(D4, act)
    assert rho.dim == 4 and rho.character().tolist() == [4, 0, 0, 0, 2, 0, 2, 0]
    same = gm.permutation_representation(D4, lambda g: np.where(g[:, None] < 4, (i + g[:, None]) % 4,
                                                                 (-(i + g[:, None] % 4)) % 4))
    assert np.array_equal(same.perms, rho.perms)
    with pytest.raises(ValueError, match="not a homomorphism: rho\\("):
        gm.permutation_representation(D4, np.where(e < 4, (i + e) % 4, (i + e) % 4))
    with pytest.raises(ValueError, match="perms\\[1\\] is not a permutation of 0..3"):
        gm.permutation_representation(D4, np.where(e == 1, 0, i))
    with pytest.raises(ValueError, match="not a homomorphism: the identity does not act as the identity"):
        gm.reps.PermutationRepresentation(gm.cyclic(2), [[1, 0], [1, 0]])
    with pytest.raises(ValueError, match="perms must have shape \\(\\|G\\|, d\\) = \\(8, d\\), got \\(4, 4\\)"):
        gm.permutation_representation(D4, np.zeros((4, 4), dtype=int))
    with pytest.raises(TypeError, match="perms must be an integer array, got dtype float64"):
        gm.reps.PermutationRepresentation(D4, act.astype(float))


def test_trivial_representation():
    G = gm.dihedral(3)
    t = gm.reps.trivial_representation(G, 2)
    assert t.dim == 2 and np.all(t.character() == 2) and np.array_equal(t.matrices, np.tile(np.eye(2), (6, 1, 1)))
    with pytest.raises(ValueError, match="dim must be an integer >= 1"):
        gm.reps.trivial_representation(G, 0)


# ------------------------------------------------------------------------------ dense and exact reps
def test_from_generators_exact_and_numeric_agree():
    G = gm.dihedral(4)
    r, s = sympy.Matrix([[0, -1], [1, 0]]), sympy.Matrix([[1, 0], [0, -1]])
    exact = gm.from_generators(G, [r, s])
    numeric = gm.from_generators(G, [np.array(r, dtype=float), np.array(s, dtype=float)])
    assert exact.exact and not numeric.exact
    assert isinstance(exact(G.element("s r")), sympy.MatrixBase)
    assert np.allclose(exact.numeric().matrices, numeric.matrices)
    assert list(exact.character()) == [2, 0, -2, 0, 0, 0, 0, 0]
    assert np.allclose(numeric.character(), [2, 0, -2, 0, 0, 0, 0, 0])
    assert exact.is_orthogonal() and numeric.is_orthogonal()
    assert exact.numeric().numeric() is not None and numeric.numeric() is numeric
    assert exact.dual().exact


def test_exact_rep_with_irrational_entries():
    G = gm.cyclic(3)
    c, s = sympy.Rational(-1, 2), sympy.sqrt(3) / 2
    rho = gm.from_generators(G, [sympy.Matrix([[c, -s], [s, c]])])
    assert list(rho.character()) == [2, -1, -1]
    assert rho.is_orthogonal()
    assert np.allclose(rho.numeric().matrices, np.stack([rotation(2 * np.pi * k / 3) for k in range(3)]))


@pytest.mark.parametrize("n", [3, 4, 5, 6])
def test_dihedral_2d_character(n):
    rho = dihedral_2d(n)
    chi = rho.character()
    k = np.arange(n)
    assert np.allclose(chi[:n], 2 * np.cos(2 * np.pi * k / n)) and np.allclose(chi[n:], 0)
    assert rho.is_orthogonal()
    assert np.isclose(np.sum(np.abs(chi) ** 2) / (2 * n), 1.0)        # irreducible


def test_complex_representation_dual_and_unitarity():
    G = gm.cyclic(5)
    w = np.exp(2j * np.pi / 5)
    rho = gm.from_generators(G, [np.array([[w]])])
    assert not rho.is_orthogonal() and rho.is_unitary()
    assert np.allclose(rho.dual().character(), np.conj(rho.character()))
    assert np.allclose(gm.tensor(rho, rho.dual()).character(), 1)


def test_homomorphism_failures_are_named():
    G = gm.dihedral(4)
    r = np.array([[0.0, -1.0], [1.0, 0.0]])
    with pytest.raises(ValueError, match="not a homomorphism: rho\\(s r\\^2 \\* r\\) != rho\\(s r\\^2\\) rho\\(r\\)"):
        gm.from_generators(G, [r, r])
    mats = dihedral_2d(4).matrices.copy()
    mats[3] = np.eye(2)
    with pytest.raises(ValueError, match="not a homomorphism: rho\\("):
        gm.Representation(G, mats)
    mats = dihedral_2d(4).matrices.copy()
    mats[0] = -np.eye(2)
    with pytest.raises(ValueError, match="rho\\(identity\\) = rho\\(e\\) is not the identity matrix"):
        gm.Representation(G, mats)
    assert gm.Representation(G, mats, check=False).dim == 2             # check=False skips it
    with pytest.raises(ValueError, match="not a homomorphism"):
        gm.from_generators(G, [sympy.Matrix([[0, -1], [1, 0]]), sympy.Matrix([[0, 1], [1, 0]]) * 2])


@pytest.mark.parametrize("call, exc, match", [
    (lambda: gm.Representation(gm.cyclic(2), np.ones((2, 2, 3))), ValueError, "matrices must have shape \\(\\|G\\|, d, d\\) = \\(2, d, d\\), got \\(2, 2, 3\\)"),
    (lambda: gm.Representation(gm.cyclic(2), np.ones((3, 1, 1))), ValueError, "got \\(3, 1, 1\\)"),
    (lambda: gm.Representation(gm.cyclic(2), np.ones((2, 2))), ValueError, "matrices must have shape"),
    (lambda: gm.Representation(gm.cyclic(2), np.full((2, 1, 1), "a")), TypeError, "matrices must be numeric or SymPy"),
    (lambda: gm.Representation(gm.cyclic(2), np.full((2, 1, 1), np.nan)), ValueError, "matrices must be finite"),
    (lambda: gm.Representation("C2", np.ones((2, 1, 1))), TypeError, "group must be a FiniteGroup .*got str"),
    (lambda: gm.from_generators(gm.dihedral(3), [np.eye(2)]), ValueError, "images must give one matrix per generator of D3 \\(2\\), got 1"),
    (lambda: gm.from_generators(gm.dihedral(3), [np.eye(2), np.eye(3)]), ValueError, "images must be square matrices of one size"),
    (lambda: gm.from_generators(gm.cyclic(3), [np.ones(3)]), ValueError, "images must be square matrices"),
    (lambda: gm.from_generators(5, [np.eye(2)]), TypeError, "G must be a FiniteGroup .*got int"),
    (lambda: gm.regular_representation(gm.cyclic(3), "middle"), ValueError, "side must be one of"),
    (lambda: gm.regular_representation(gm.cyclic(3)).apply(0, np.ones(4)), ValueError, "v must have last axis of length dim = 3"),
    (lambda: dihedral_2d(3).apply(0, np.ones(3)), ValueError, "v must have last axis of length dim = 2"),
    (lambda: dihedral_2d(3)(6), ValueError, "g must hold element indices in 0..5, got 6"),
    (lambda: gm.regular_representation(gm.cyclic(3))(3), ValueError, "g must hold element indices in 0..2"),
    (lambda: dihedral_2d(3)(1.0), TypeError, "g must hold integer element indices"),
])
def test_bad_input(call, exc, match):
    with pytest.raises(exc, match=match):
        call()


# ------------------------------------------------------------------------------ algebra
def test_direct_sum_structure():
    G = gm.cyclic(3)
    L = gm.regular_representation(G)
    rho = 4 * L
    assert rho.dim == 12 and len(rho.summands) == 4 and rho.is_permutation
    assert rho is not L and (L * 4).dim == 12
    assert gm.direct_sum(L) is L
    nested = (L + L) + (L + L)
    assert len(nested.summands) == 4 and np.array_equal(nested.perms, rho.perms)
    w = gm.from_generators(G, [rotation(2 * np.pi / 3)])
    mixed = L + w
    assert not mixed.is_permutation and mixed.dim == 5 and len(mixed.summands) == 2
    assert np.allclose(mixed.matrices[:, :3, :3], L.matrices) and np.allclose(mixed.matrices[:, 3:, 3:], w.matrices)
    assert np.allclose(mixed.matrices[:, :3, 3:], 0) and np.allclose(mixed.matrices[:, 3:, :3], 0)
    mixed.check_homomorphism()
    exact = gm.from_generators(G, [sympy.Matrix([[0, -1], [1, -1]])])
    ex_sum = exact + L
    assert ex_sum.exact and list(ex_sum.character()) == [5, -1, -1]


def test_direct_sum_and_tensor_refusals():
    L3 = gm.regular_representation(gm.cyclic(3))
    other = gm.regular_representation(gm.cyclic(3))                    # another group object
    with pytest.raises(ValueError, match="two different group objects both named C3; build all "
                                          "representations from one group object"):
        gm.direct_sum(L3, other)
    with pytest.raises(ValueError, match="rep1 and rep2 belong to two different group objects both named C3"):
        gm.tensor(L3, other)
    with pytest.raises(ValueError, match="reps\\[0\\] belongs to C3 but reps\\[1\\] to C4"):
        gm.direct_sum(L3, gm.regular_representation(gm.cyclic(4)))
    with pytest.raises(ValueError, match="direct_sum needs at least one representation"):
        gm.direct_sum()
    with pytest.raises(TypeError, match="reps\\[1\\] must be a Representation, got ndarray"):
        gm.direct_sum(L3, np.eye(3))
    with pytest.raises(TypeError, match="rep2 must be a Representation, got int"):
        gm.tensor(L3, 2)
    with pytest.raises(ValueError, match="copies must be an integer >= 1, got 0"):
        0 * L3
    with pytest.raises(TypeError):
        L3 + 1
    with pytest.raises(TypeError):
        2.5 * L3


def test_tensor_is_the_kronecker_product():
    a = dihedral_2d(3)
    G = a.group
    b = gm.regular_representation(G)
    t = gm.tensor(a, b)
    assert t.dim == 12
    for g in range(6):
        assert np.allclose(t.matrices[g], np.kron(a.matrices[g], b.matrices[g]))
    tp = gm.tensor(b, b)
    assert tp.is_permutation
    for g in range(6):
        assert np.array_equal(tp.matrices[g], np.kron(b.matrices[g], b.matrices[g]))
    ex = gm.from_generators(G, [sympy.Matrix([[0, -1], [1, -1]]), sympy.Matrix([[0, 1], [1, 0]])])
    te = gm.tensor(ex, ex)
    assert te.exact and te.dim == 4
    assert list(te.character()) == [c**2 for c in ex.character()]
    assert np.allclose(gm.tensor(ex, a).numeric().character(), ex.numeric().character() * a.character())
    tb = gm.tensor(ex, b)                                   # exact with a permutation representation
    assert tb.exact and list(tb.character()) == [12, 0, 0, 0, 0, 0]
    assert all(isinstance(v, sympy.Basic) for v in tb.matrices.flat)


def test_restriction():
    G = gm.symmetric(4)
    rho = gm.reps.natural_representation(G)
    H = G.subgroup([G.element("(0 1 2 3)")])
    res = rho.restrict(H)
    assert res.group is H and res.is_permutation and res.dim == 4
    assert np.array_equal(res.character(), rho.character()[H.embedding])
    res.check_homomorphism()
    dense = dihedral_2d(4)
    K = dense.group.subgroup([1])
    assert np.allclose(dense.restrict(K).matrices, dense.matrices[K.embedding])
    with pytest.raises(ValueError, match="H must be a subgroup of this representation's group"):
        rho.restrict(gm.symmetric(4).subgroup([1]))
    with pytest.raises(ValueError, match="H must be a subgroup"):
        dense.restrict(gm.cyclic(4))


def test_sparse_images():
    rho = dihedral_2d(3)
    assert isinstance(rho.to_sparse(1), sp.csr_array)
    assert np.allclose(rho.to_sparse(1).toarray(), rho(1))
    L = gm.regular_representation(gm.dihedral(3))
    assert L.to_sparse(4).nnz == 6
    assert repr(L).startswith("<PermutationRepresentation of D3, dim 6")


def test_from_generators_on_a_large_cyclic_group():
    n = 20000
    rho = gm.from_generators(gm.cyclic(n), [rotation(2 * np.pi / n)])
    k = np.arange(n)
    assert np.allclose(rho.character(), 2 * np.cos(2 * np.pi * k / n), atol=1e-9)
    G = gm.dihedral(500)
    rho = dihedral_2d(500)
    assert np.allclose(rho.matrices[G.element("s r^7")], np.diag([1.0, -1.0]) @ rotation(2 * np.pi * 7 / 500))


# ------------------------------------------------------------------ lazy direct sums, named errors
def _rot_rep(G, n):
    return gm.from_generators(G, [rotation(2 * np.pi / n), np.diag([1.0, -1.0])])


def test_dense_direct_sum_is_lazy(monkeypatch):
    """regular(D512) + rot: 1024 dense matrices of size 1026 would be 16 GiB; nothing of the kind is built."""
    G = gm.dihedral(512)
    L, rot = gm.regular_representation(G), _rot_rep(G, 512)
    monkeypatch.setenv("GROUPMAT_MAX_BYTES", str(64 * 2**20))
    R = L + rot
    assert R.dim == 1026 and R.summands == (L, rot) and not R.exact and not R.is_permutation
    assert np.allclose(R.character(), L.character() + rot.character())
    v = np.random.default_rng(1).normal(size=(3, 1026))
    g = np.array([0, 5, 700])
    w = R.apply(g, v)
    assert np.allclose(w[:, :1024], L.apply(g, v[:, :1024])) and np.allclose(w[:, 1024:], rot.apply(g, v[:, 1024:]))
    M = R(700)
    assert M.shape == (1026, 1026) and np.allclose(M @ v[2], w[2])
    assert np.allclose(R([5, 700])[1], M)
    R.check_homomorphism()
    assert R.is_orthogonal() and R.is_unitary()
    assert np.allclose(R.dual().character(), R.character()[G.inverses()])
    H = G.subgroup([G.element("s")])
    assert np.allclose(R.restrict(H).character(), R.character()[H.embedding])
    assert np.allclose(R.to_sparse(700).toarray(), M)
    with pytest.raises(gm.TooLargeError):
        R.matrices                                     # only an explicit request builds them


def test_lazy_direct_sum_matrices_match_the_block_diagonal():
    G = gm.dihedral(4)
    rot, L = _rot_rep(G, 4), gm.regular_representation(G)
    R = gm.direct_sum(rot, L, rot)
    assert [r.dim for r in R.summands] == [2, 8, 2]
    expected = np.array([scipy.linalg.block_diag(rot(g), L(g), rot(g)) for g in range(8)])
    assert np.allclose(R.matrices, expected)
    assert np.allclose(R(np.arange(8)), expected)
    assert np.allclose(R.character(), np.trace(expected, axis1=1, axis2=2))
    assert np.allclose(R.dual().matrices, np.swapaxes(expected[G.inverses()], 1, 2))
    v = np.arange(12.0)
    assert np.allclose(R.apply(np.arange(8), v), expected @ v)
    # nested sums flatten; tensor with a lazy sum still works
    assert len((R + rot).summands) == 4
    T = gm.tensor(R, rot)
    assert np.allclose(T.character(), R.character() * rot.character())
    assert R.is_orthogonal()


def test_lazy_direct_sum_exact_agrees_with_numeric():
    G = gm.dihedral(3)
    r, s = sympy.Matrix([[0, -1], [1, -1]]), sympy.Matrix([[0, 1], [1, 0]])
    ex = gm.from_generators(G, [r, s])
    R = gm.regular_representation(G) + ex
    assert R.exact
    assert list(R.character()) == [8, -1, -1, 0, 0, 0]
    assert R(4)[6:, 6:] == ex(4) and R(4)[:6, :6] == sympy.Matrix(gm.regular_representation(G)(4).astype(int))
    R.check_homomorphism()
    assert np.allclose(R.numeric().matrices.astype(float), _exact_to_float(R.matrices))
    assert np.allclose(R.numeric().character(), [8, -1, -1, 0, 0, 0])


def _exact_to_float(a):
    return np.array([[[float(v) for v in row] for row in m] for m in a])


def test_permutation_rep_call_on_an_array_builds_only_the_requested(monkeypatch):
    monkeypatch.setenv("GROUPMAT_MAX_BYTES", str(256 * 2**20))
    L = gm.regular_representation(gm.cyclic(2000))          # all n matrices: 32 GB
    M = L([0, 1])
    assert M.shape == (2, 2000, 2000)
    assert np.array_equal(M[0], np.eye(2000)) and np.array_equal(M[1], L(1))
    small = gm.regular_representation(gm.dihedral(3))
    g = np.array([[0, 4], [5, 3]])
    assert np.array_equal(small(g), small.matrices[g])


def test_bad_input_gets_named_errors():
    C4 = gm.cyclic(4)
    with pytest.raises(TypeError, match="images\\[0\\] must be numeric or SymPy, got dtype <U1"):
        gm.from_generators(C4, [np.array([["a"]])])
    with pytest.raises(TypeError, match="images must be a sequence of matrices.*got int"):
        gm.from_generators(C4, 5)
    with pytest.raises(ValueError, match="matrices must have dimension d >= 1, got shape \\(4, 0, 0\\)"):
        gm.Representation(C4, np.ones((4, 0, 0)))
    rho = gm.from_generators(C4, [np.array([[0.0, -1.0], [1.0, 0.0]])])
    with pytest.raises(TypeError, match="v must hold numbers"):
        rho.apply(1, np.array(["a", "b"]))
    with pytest.raises(TypeError, match="v must hold numbers"):
        gm.regular_representation(C4).apply(1, np.array(["a", "b", "c", "d"]))
    with pytest.raises(ValueError, match="tol must be a finite number >= 0"):
        rho.is_orthogonal(tol=-1)


def test_check_same_group_messages():
    from groupmat._validation import check_same_group

    C4, other = gm.cyclic(4), gm.cyclic(4)
    check_same_group(C4, C4)
    with pytest.raises(ValueError, match="a and b belong to two different group objects both named C4"):
        check_same_group(C4, other)
    with pytest.raises(ValueError, match="x belongs to C4 but y to D4"):
        check_same_group(gm.regular_representation(C4), gm.regular_representation(gm.dihedral(4)), ("x", "y"))


# ------------------------------------------------------------------ tolerances follow the dtype
def test_float32_representations_are_judged_in_single_precision():
    rho64 = dihedral_2d(7)
    rho = gm.Representation(rho64.group, rho64.matrices.astype(np.float32))       # checked: a homomorphism
    assert rho.matrices.dtype == np.float32
    assert rho.is_orthogonal() and rho.is_unitary()
    rho.check_homomorphism()
    assert gm.from_generators(rho64.group, [m.astype(np.float32) for m in rho64.matrices[list(rho64.group.generators)]],
                              ).is_orthogonal()
    # a float64 representation is held to float64 accuracy: the same float32 round-off is not orthogonal
    assert not gm.Representation(rho64.group, rho.matrices.astype(np.float64) * (1 + 1e-6), check=False).is_orthogonal()
    assert rho.is_orthogonal(tol=1e-12) is False                                   # an explicit tol is kept
    bad = rho.matrices.copy()
    bad[3] = bad[3] @ np.array([[1.0, 0.01], [0.0, 1.0]], dtype=np.float32)
    with pytest.raises(ValueError, match="not a homomorphism"):
        gm.Representation(rho.group, bad)


def test_regular_representations_and_sums_take_a_name():
    G = gm.dihedral(3)
    L = gm.regular_representation(G, name="L")
    assert L.name == "L" and L.regular_side == "left"
    assert gm.regular_representation(G, "right").name == "right regular rep of D3"
    s = gm.direct_sum(L, gm.regular_representation(G, "right"), name="both")
    assert s.name == "both" and [r.name for r in s.summands] == ["L", "right regular rep of D3"]
    dense = gm.direct_sum(gm.irreps(G)[1], L, name="mixed")
    assert dense.name == "mixed" and dense.dim == 7
    one = gm.direct_sum(L, name="alone")
    assert one.name == "alone" and L.name == "L" and np.array_equal(one.perms, L.perms)
    with pytest.raises(TypeError, match="name must be a string"):
        gm.regular_representation(G, name=3)
    with pytest.raises(TypeError, match="name must be a string"):
        gm.direct_sum(L, L, name=b"x")
