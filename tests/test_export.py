"""Export: every (object kind, format) pair round-trips; exact stays exact; sparse stays sparse; bad
files and bad input get clear errors."""
from __future__ import annotations

import json
import re
import zipfile

import numpy as np
import pytest
import scipy.sparse as sp
import sympy
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import groupmat as gm
import groupmat.io.bundle as ex


# ---------------------------------------------------------------------------------------------- objects
class FakeLDR:
    """A duck-typed GM-LDR matrix (used when groupmat.GroupLDRMatrix is not there yet)."""

    def __init__(self, G, b, U, V):
        self.group, self.b, self.U, self.V = G, np.asarray(b), np.asarray(U), np.asarray(V)

    def dense(self):
        M = gm.group_matrix(self.group, self.b)
        for u, v in zip(self.U, self.V):
            M = M + v[:, None] * gm.group_matrix(self.group, u)
        return M


class FakeCharacterTable:
    """The character table of S3 (exact), duck-typed like groupmat.character_table's result."""

    def __init__(self):
        self.group = gm.symmetric(3)
        self.classes = self.group.conjugacy_classes()
        sizes = [c.size for c in self.classes]
        assert sizes == [1, 3, 2]
        self.values = np.array([[1, 1, 1], [1, -1, 1], [2, 0, -1]], dtype=object)
        self.values = np.vectorize(sympy.Integer, otypes=[object])(self.values)
        self.degrees = [1, 1, 2]


def make_ldr(G, r=2, seed=0):
    rng = np.random.default_rng(seed)
    b, U, V = rng.normal(size=G.order), rng.normal(size=(r, G.order)), rng.normal(size=(r, G.order))
    cls = getattr(gm, "GroupLDRMatrix", None)
    return cls(G, b, U, V) if cls is not None else FakeLDR(G, b, U, V)


def character_table_s3():
    if hasattr(gm, "character_table"):
        return gm.character_table(gm.symmetric(3))
    return FakeCharacterTable()


def exact_rep_d4():
    r = sympy.Matrix([[0, -1], [1, 0]])
    s = sympy.Matrix([[1, 0], [0, -1]])
    return gm.from_generators(gm.dihedral(4), [r, s])


def exact_rep_c3():
    """The 2-d rotation representation of C3 with sqrt(3)/2 entries."""
    c, s = sympy.Rational(-1, 2), sympy.sqrt(3) / 2
    return gm.from_generators(gm.cyclic(3), [sympy.Matrix([[c, -s], [s, c]])])


G6 = gm.dihedral(6)
OBJECTS = {
    "group_matrix": lambda: gm.group_matrix(G6, np.arange(12.0)),
    "complex_array": lambda: np.exp(2j * np.pi * np.arange(6) / 6)[:, None] * np.ones((1, 3)),
    "int_array": lambda: np.arange(24, dtype=np.int32).reshape(2, 3, 4),
    "bool_array": lambda: np.eye(3, dtype=bool),
    "exact_array": lambda: np.array([[sympy.Rational(1, 3), sympy.sqrt(2)], [sympy.exp(2 * sympy.pi * sympy.I / 3),
                                      sympy.Symbol("x_{r^2}")]], dtype=object),
    "sympy_matrix": lambda: gm.group_matrix(gm.cyclic(3)),
    "sparse_csr": lambda: gm.group_matrix(gm.group("C8xC8"), np.r_[1.0, 2.0, np.zeros(62)], sparse=True),
    "sparse_csc_matrix": lambda: sp.csc_matrix(np.diag([1.0, 0.0, 2.5])),
    "representation": lambda: gm.Representation(gm.cyclic(4), np.array(
        [[[np.cos(t), -np.sin(t)], [np.sin(t), np.cos(t)]] for t in np.pi / 2 * np.arange(4)])),
    "exact_representation": exact_rep_d4,
    "exact_sqrt_representation": exact_rep_c3,
    "regular_representation": lambda: gm.regular_representation(G6),
    "channels_representation": lambda: 3 * gm.regular_representation(gm.cyclic(5), side="right"),
    "natural_representation": lambda: gm.natural_representation(gm.symmetric(4)),
    "mixed_sum": lambda: mixed_sum(),
    "equivariant_basis": lambda: np.stack([gm.group_matrix(gm.cyclic(4), np.eye(4)[k]) / 2.0 for k in range(4)]),
    "library_basis": lambda: gm.equivariant_basis(gm.regular_representation(G6), 2 * gm.regular_representation(G6)),
    "exact_irreps": lambda: gm.irreps(gm.dihedral(4), field="real", exact=True)[-1],
    "exact_basis": lambda: exact_basis(),
    "projection": lambda: projection(),
    "group_ldr": lambda: make_ldr(gm.dihedral(5)),
    "character_table": character_table_s3,
    "character_table_cyclotomic": lambda: gm.character_table(gm.cyclic(5)) if hasattr(gm, "character_table")
    else FakeCharacterTable(),
    "group_spec": lambda: gm.group("C4xC2"),
    "group_table": lambda: gm.dihedral(4).subgroup([1]),
}


def exact_basis():
    rho = exact_rep_c3()
    return gm.equivariant_basis(rho, rho, exact=True)


def projection():
    L = gm.regular_representation(gm.dihedral(3))
    return gm.project(np.arange(36.0).reshape(6, 6), L, L)


def mixed_sum():
    G = gm.cyclic(4)
    return gm.regular_representation(G) + gm.from_generators(G, [sympy.Matrix([[0, -1], [1, 0]])])


def assert_same_group(G, H):
    assert G.order == H.order
    assert np.array_equal(G.cayley_table(), H.cayley_table())
    assert list(G.labels) == list(H.labels)      # the labels themselves (tuples stay tuples), not strings
    assert isinstance(H, gm.DirectProduct) == isinstance(G, gm.DirectProduct)


def assert_exact_equal(a, b):
    a, b = np.asarray(a, dtype=object), np.asarray(b, dtype=object)
    assert a.shape == b.shape
    # structural identity of the expressions, not only numerical closeness
    assert all(x == y and type(x) is type(y) for x, y in zip(a.flat, b.flat)), (a, b)


def assert_roundtrip(orig, back):
    if isinstance(orig, gm.FiniteGroup):
        assert_same_group(orig, back)
    elif isinstance(orig, gm.PermutationRepresentation):
        assert isinstance(back, gm.PermutationRepresentation) and back._dense is None   # stays sparse
        assert np.array_equal(orig.perms, back.perms)
        assert_same_group(orig.group, back.group)
        assert getattr(orig, "regular_side", None) == getattr(back, "regular_side", None)
        assert [r.dim for r in orig.summands] == [r.dim for r in back.summands]
    elif isinstance(orig, gm.Representation):
        assert back.exact == orig.exact and back.dim == orig.dim
        assert_same_group(orig.group, back.group)
        if orig.exact:
            assert_exact_equal(orig.matrices, back.matrices)
        else:
            assert np.array_equal(orig.matrices, back.matrices)
        assert [r.dim for r in orig.summands] == [r.dim for r in back.summands]
    elif ex._is_ldr(orig):
        assert_same_group(orig.group, back.group)
        for a in ("b", "U", "V"):
            assert np.array_equal(np.asarray(getattr(orig, a)), np.asarray(getattr(back, a)))
    elif ex._is_character_table(orig):
        v0, e0 = ex._values_array(orig.values)
        v1, _ = ex._values_array(back.values)
        if e0:
            assert_exact_equal(v0, v1)
        else:
            assert np.array_equal(v0, v1)
        assert [list(c) for c in orig.classes] == [list(c) for c in back.classes]
        if getattr(orig, "exact_values", None) is not None:
            assert_exact_equal(orig.exact_values, back.exact_values)
        assert [int(d) for d in orig.degrees] == [int(d) for d in back.degrees]
        assert_same_group(orig.group, back.group)
    elif sp.issparse(orig):
        assert sp.issparse(back) and back.format == orig.format
        assert isinstance(back, sp.sparray) == isinstance(orig, sp.sparray)
        assert (orig != back).nnz == 0 and back.dtype == orig.dtype
    elif isinstance(orig, sympy.MatrixBase):
        assert isinstance(back, sympy.MatrixBase) and orig.shape == back.shape
        assert_exact_equal(ex.to_object_array(orig), ex.to_object_array(back))
    elif np.asarray(orig).dtype == object:
        assert_exact_equal(orig, back)
    else:
        assert back.dtype == orig.dtype and back.shape == orig.shape
        assert np.array_equal(orig, back)


def _npz(obj, tmp_path, **meta):
    return gm.load_npz(gm.save_npz(tmp_path / "obj.npz", obj, **meta), return_metadata=True)


def _mat(obj, tmp_path, **meta):
    return gm.load_mat(gm.save_mat(tmp_path / "obj.mat", obj, **meta), return_metadata=True)


def _json(obj, tmp_path, **meta):
    return gm.from_json(gm.to_json(obj, **meta), return_metadata=True)


FORMATS = {"npz": _npz, "mat": _mat, "json": _json}


# ---------------------------------------------------------------------------------------------- round trips
@pytest.mark.parametrize("fmt", list(FORMATS))
@pytest.mark.parametrize("kind", list(OBJECTS))
def test_roundtrip_every_kind_and_format(kind, fmt, tmp_path):
    obj = OBJECTS[kind]()
    if ex._is_ldr(obj) and not hasattr(gm, "GroupLDRMatrix"):
        with pytest.raises(ValueError, match="GroupLDRMatrix"):
            FORMATS[fmt](obj, tmp_path)
        return
    back, meta = FORMATS[fmt](obj, tmp_path, note="hello", convention="ginv_h", labels=["a", 1])
    assert_roundtrip(obj, back)
    assert meta["note"] == "hello" and meta["convention"] == "ginv_h" and meta["labels"] == ["a", "1"]
    assert meta["format_version"] == ex.FORMAT_VERSION


@pytest.mark.parametrize("fmt", list(FORMATS))
@pytest.mark.parametrize("spec", ["D6", "C4xC2", "S4", "C2^3", "V4", "Q8", "Dic3", "(C2xC3)xD4"])
def test_groups_named_by_spec_come_back(spec, fmt, tmp_path):
    G = gm.group(spec)
    back, meta = FORMATS[fmt](gm.regular_representation(G), tmp_path, group=G)
    assert meta["group_spec"] == G.name and meta["group_labels"] == list(G.labels)
    assert_same_group(G, back.group)
    assert_same_group(G, meta["group"])


def test_group_whose_name_lies_is_stored_by_table(tmp_path):
    """A table group named "D3" whose elements are in another order must not be rebuilt as dihedral(3)."""
    D3 = gm.dihedral(3)
    perm = np.array([0, 3, 1, 4, 2, 5])                 # relabel: new element i is old perm[i]
    pos = np.argsort(perm)
    T = pos[D3.cayley_table()[perm][:, perm]]
    G = gm.from_cayley_table(T, name="D3")
    assert not np.array_equal(G.cayley_table(), D3.cayley_table())
    back, meta = _npz(G, tmp_path)
    assert meta["group_spec"] is None
    assert_same_group(G, back)


def test_group_too_large_without_a_spec_is_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(ex, "MAX_TABLE_ORDER", 4)
    H = gm.dihedral(4).subgroup([1])                   # order 4 is allowed
    gm.save_npz(tmp_path / "ok.npz", H)
    G = gm.from_cayley_table(gm.cyclic(5).cayley_table(), name="mystery")
    with pytest.raises(ValueError, match="cannot save group 'mystery' of order 5"):
        gm.save_npz(tmp_path / "no.npz", gm.regular_representation(G))


@settings(max_examples=15, deadline=None)
@given(data=st.data())
def test_random_groups_and_representations_roundtrip(data, tmp_path_factory):
    """Every group of the shared strategy comes back with the same table and labels (by spec when its
    name rebuilds it, else by table), and so does a random representation of it."""
    from strategies import groups, representations

    G = data.draw(groups(max_order=32))
    rho = data.draw(representations(G, max_dim=32))
    tmp = tmp_path_factory.mktemp("g")
    fmt = data.draw(st.sampled_from(sorted(FORMATS)))
    back, meta = FORMATS[fmt](rho, tmp)
    assert_same_group(G, back.group)
    if meta["group_spec"] is not None:
        assert gm.group(meta["group_spec"]).order == G.order
    if rho.is_permutation:
        assert back.is_permutation and np.array_equal(back.perms, rho.perms)
    else:
        assert np.array_equal(back.matrices, rho.matrices)


@settings(max_examples=20, deadline=None)
@given(arr=hnp.arrays(dtype=st.sampled_from([np.float64, np.float32, np.int64, np.complex128, np.int8]),
                      shape=hnp.array_shapes(min_dims=0, max_dims=3, min_side=0, max_side=4),
                      elements={"allow_nan": False, "allow_infinity": False}))
def test_random_arrays_roundtrip_bit_exactly(arr, tmp_path_factory):
    tmp = tmp_path_factory.mktemp("h")
    for fmt in FORMATS.values():
        back, _ = fmt(arr, tmp)
        assert back.dtype == arr.dtype and back.shape == arr.shape
        assert np.array_equal(back, arr)


@settings(max_examples=15, deadline=None)
@given(nums=st.lists(st.tuples(st.integers(-10**30, 10**30), st.integers(1, 10**6)), min_size=1, max_size=6),
       root=st.integers(2, 50))
def test_exact_values_roundtrip_exactly(nums, root, tmp_path_factory):
    vals = [sympy.Rational(p, q) + sympy.sqrt(root) * sympy.Rational(q, 7) for p, q in nums]
    arr = np.array(vals, dtype=object)
    tmp = tmp_path_factory.mktemp("x")
    for fmt in FORMATS.values():
        back, _ = fmt(arr, tmp)
        assert_exact_equal(arr, back)


def test_exact_representation_matrices_are_sympy_after_load(tmp_path):
    rho = exact_rep_c3()
    back = gm.load_npz(gm.save_npz(tmp_path / "r", rho))
    assert back.exact and back.matrices[1, 0, 1] == -sympy.sqrt(3) / 2
    assert sympy.Matrix(back.matrices[1].tolist()) ** 3 == sympy.eye(2)


# ---------------------------------------------------------------------------------------------- converters
def test_to_numpy_of_every_kind():
    G = gm.dihedral(3)
    rho = gm.regular_representation(G)
    assert np.array_equal(gm.to_numpy(rho)[1], rho(1))
    assert gm.to_numpy(G).shape == (6, 6)
    ldr = make_ldr(G)
    assert np.allclose(gm.to_numpy(ldr), FakeLDR(G, ldr.b, ldr.U, ldr.V).dense())
    ct = character_table_s3()
    values = gm.to_numpy(ct)
    assert values.shape == (3, 3)
    assert any(np.allclose(row, [2, 0, -1]) for row in values)     # S3's 2-dimensional character
    if getattr(ct, "exact_values", None) is not None:
        assert gm.to_numpy(ct, exact=True).dtype == object
    exact = gm.to_numpy(exact_rep_c3(), exact=True)
    assert exact.dtype == object
    assert np.allclose(gm.to_numpy(exact_rep_c3())[1], [[-0.5, -np.sqrt(3) / 2], [np.sqrt(3) / 2, -0.5]])
    assert np.array_equal(gm.to_numpy(sp.csr_array(np.eye(2))), np.eye(2))
    with pytest.raises(TypeError, match="obj must be a groupmat object"):
        gm.to_numpy(object())
    if hasattr(gm, "GroupLDRMatrix"):
        T = make_ldr(G).T if hasattr(make_ldr(G), "T") else None
        if T is not None and not ex._is_ldr(T):
            assert np.allclose(gm.to_numpy(T), gm.to_numpy(make_ldr(G)).T)
            assert np.allclose(gm.from_json(gm.to_json(T)), gm.to_numpy(T))


def test_to_scipy_sparse_keeps_permutations_sparse():
    G = gm.group("C32xC32")
    rho = gm.regular_representation(G)
    mats = gm.to_scipy_sparse(rho, format="csc")
    assert rho._dense is None and len(mats) == 1024 and mats[0].format == "csc"
    g = 37
    x = np.random.default_rng(0).normal(size=1024)
    assert np.allclose(mats[g] @ x, rho.apply(g, x))
    M = gm.to_scipy_sparse(gm.group_matrix(gm.cyclic(3), [1.0, 0.0, 2.0]), format="coo")
    assert M.format == "coo" and M.nnz == 6
    basis = gm.to_scipy_sparse(OBJECTS["equivariant_basis"]())
    assert len(basis) == 4 and basis[1].nnz == 4
    with pytest.raises(ValueError, match="format must be one of"):
        gm.to_scipy_sparse(M, format="dense")


def test_to_torch_dense_and_sparse():
    torch = pytest.importorskip("torch")
    G = gm.dihedral(4)
    rho = gm.regular_representation(G)
    T = gm.to_torch(rho, sparse=True)
    assert T.is_sparse and T._nnz() == 64 and rho._dense is None
    assert torch.equal(T.to_dense(), torch.from_numpy(rho.matrices))
    D = gm.to_torch(rho, dtype=torch.float32, device="cpu")
    assert D.dtype == torch.float32 and D.shape == (8, 8, 8)
    S = gm.to_torch(gm.group_matrix(gm.cyclic(8), np.r_[1.0, np.zeros(7)], sparse=True), sparse=True)
    assert torch.equal(S.to_dense(), torch.eye(8, dtype=torch.float64))
    E = gm.to_torch(exact_rep_c3())
    assert E.dtype == torch.float64
    Z = gm.to_torch(OBJECTS["complex_array"](), sparse=True)
    assert Z.dtype == torch.complex128 and torch.allclose(Z.to_dense(), gm.to_torch(OBJECTS["complex_array"]()))
    M = gm.group_matrix(G, np.arange(8.0))
    t = gm.to_torch(M)
    t[0, 0] = 99.0
    assert M[0, 0] == 0.0                              # no shared memory


def test_to_torch_refuses_a_real_dtype_for_complex_values():
    torch = pytest.importorskip("torch")
    import warnings

    chi = gm.irreps(gm.cyclic(3))[1]                   # a complex character of C3
    for sparse in (False, True):
        with pytest.raises(ValueError, match=r"dtype=torch.float32 is real.*imaginary"):
            gm.to_torch(chi, dtype=torch.float32, sparse=sparse)
        with pytest.raises(ValueError, match=r"dtype=torch.float64 is real"):
            gm.to_torch(OBJECTS["complex_array"](), dtype=torch.float64, sparse=sparse)
        Z = gm.to_torch(chi, dtype=torch.complex64, sparse=sparse)
        assert Z.dtype == torch.complex64
        assert np.allclose((Z.to_dense() if sparse else Z).numpy(), chi.matrices, atol=1e-6)
    # complex storage with zero imaginary parts converts without any warning
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        T = gm.to_torch(np.eye(3) + 0j, dtype=torch.float32)
    assert T.dtype == torch.float32 and torch.equal(T, torch.eye(3))


@pytest.mark.parametrize("fmt", list(FORMATS))
def test_product_groups_come_back_as_products(fmt, tmp_path):
    # C2 x (C3 given by its table): no spec string rebuilds it, so it is stored by its factors
    P = gm.direct_product(gm.cyclic(2), gm.from_cayley_table(gm.cyclic(3).cayley_table()))
    back, meta = FORMATS[fmt](P, tmp_path)
    assert isinstance(back, gm.DirectProduct) and len(back.factors) == 2
    assert isinstance(back.factors[0], gm.CyclicGroup) and back.factors[0].n == 2
    assert np.array_equal(back.factors[1].cayley_table(), P.factors[1].cayley_table())
    assert back.labels[4] == ("r", "g1") == P.labels[4]          # tuple labels, not "('r', 'g1')"
    assert meta["group_labels"] == list(P.labels)
    assert np.array_equal(back.cayley_table(), P.cayley_table())
    assert np.array_equal(np.array(back.components(np.arange(6))), np.array(P.components(np.arange(6))))
    # nested products and a representation of one
    Q = gm.direct_product(P, gm.dihedral(3))
    rho = gm.regular_representation(Q)
    back, _ = FORMATS[fmt](gm.Representation(Q, rho.matrices), tmp_path)
    assert isinstance(back.group, gm.DirectProduct) and isinstance(back.group.factors[0], gm.DirectProduct)
    assert list(back.group.labels) == list(Q.labels)
    assert np.array_equal(back.matrices, rho.matrices)


@pytest.mark.parametrize("fmt", list(FORMATS))
def test_irreps_keep_their_annotations(fmt, tmp_path):
    for field in ("real", "complex"):
        for irrep in gm.irreps(gm.cyclic(5), field=field) + gm.irreps(gm.quaternion(), field=field):
            back, _ = FORMATS[fmt](irrep, tmp_path)
            assert back.frobenius_schur == irrep.frobenius_schur and back.type == irrep.type
            assert back.complex_indices == irrep.complex_indices
            assert isinstance(back.complex_indices, tuple)
            assert np.allclose(back.matrices, irrep.matrices)
    # the quaternion group's 2-d irreducible is of quaternionic type (Frobenius-Schur -1)
    q = [r for r in gm.irreps(gm.quaternion(), field="real") if r.type == "quaternionic"][0]
    back, _ = FORMATS[fmt](q, tmp_path)
    assert back.frobenius_schur == -1 and back.dim == 4
    # a plain representation gains no annotations
    back, _ = FORMATS[fmt](gm.natural_representation(gm.symmetric(3)).numeric(), tmp_path)
    assert not hasattr(back, "frobenius_schur")


def test_dlpack_interop():
    torch = pytest.importorskip("torch")
    M = gm.group_matrix(gm.dihedral(5), np.arange(10.0))
    cap = gm.to_dlpack(M)
    assert torch.equal(torch.from_dlpack(cap), torch.from_numpy(M))
    rho = gm.regular_representation(gm.cyclic(3))
    rho.matrices.setflags(write=False)
    assert torch.from_dlpack(gm.to_dlpack(rho)).shape == (3, 3, 3)
    back = gm.from_dlpack(torch.arange(4.0))
    assert back.tolist() == [0.0, 1.0, 2.0, 3.0]
    with pytest.raises(TypeError, match="DLPack"):
        gm.from_dlpack([1, 2])


def test_to_jax_without_jax_names_the_extra(monkeypatch):
    import sys

    # hide jax (installed or not): a None entry in sys.modules makes its import fail
    monkeypatch.setitem(sys.modules, "jax", None)
    monkeypatch.setitem(sys.modules, "jax.numpy", None)
    with pytest.raises(ImportError, match=r"pip install 'groupmat\[jax\]'"):
        gm.to_jax(np.eye(2))


def test_to_jax_when_installed():
    jnp = pytest.importorskip("jax.numpy")
    M = gm.group_matrix(gm.cyclic(4), np.arange(4.0))
    assert np.allclose(np.asarray(gm.to_jax(M)), M)
    S = gm.to_jax(gm.regular_representation(gm.cyclic(4)), sparse=True)
    assert np.allclose(np.asarray(S.todense()), gm.regular_representation(gm.cyclic(4)).matrices)
    import jax

    J = gm.to_jax(M)
    assert isinstance(J, jax.Array) and J.shape == (4, 4)
    assert bool(jnp.all(J[1] == jnp.asarray([3.0, 0.0, 1.0, 2.0])))  # M[g, h] = x(g^-1 h) on C4
    assert gm.to_jax(M, dtype=jnp.float32).dtype == jnp.float32
    # a real dtype for complex values is refused, naming the dtype (no silent loss of the imaginary part)
    chi = gm.irreps(gm.cyclic(3))[1]
    with pytest.raises(ValueError, match="dtype=.*float32.* is real.*imaginary"):
        gm.to_jax(chi, dtype=jnp.float32)
    assert np.allclose(np.asarray(gm.to_jax(chi, dtype=jnp.complex64)), chi.matrices, atol=1e-6)


def test_to_latex():
    assert gm.to_latex(gm.group_matrix(gm.cyclic(2))) == sympy.latex(gm.group_matrix(gm.cyclic(2)))
    arr = OBJECTS["exact_array"]()
    assert r"\sqrt{2}" in gm.to_latex(arr) and r"\frac{1}{3}" in gm.to_latex(arr)
    rho = exact_rep_c3()
    text = gm.to_latex(rho)
    assert text.startswith(r"\begin{aligned}") and r"\rho(r^{2})" in text and r"\frac{\sqrt{3}}{2}" in text
    table = gm.to_latex(character_table_s3())
    lines = table.splitlines()
    assert lines[0].startswith(r"\begin{tabular}{c|ccc}") and lines[-1] == r"\end{tabular}"
    assert any(re.match(r"\$\\chi_\{\d\}\$ & \$2\$ & \$0\$ & \$-1\$", line) for line in lines), lines
    assert "(3)" in lines[1] and "(2)" in lines[1]
    assert "0.5" in gm.to_latex(np.array([[0.5, 1.0]]))
    with pytest.raises(ValueError, match="max_size"):
        gm.to_latex(np.zeros((100, 100)))
    with pytest.raises(TypeError, match="not a group"):
        gm.to_latex(gm.cyclic(3))


# ---------------------------------------------------------------------------------------------- bad files
def _rewrite_npz(src, dst, change):
    with np.load(src, allow_pickle=False) as f:
        contents = {k: f[k] for k in f.files}
    change(contents)
    np.savez(dst, **contents)


def test_other_format_version_is_refused(tmp_path):
    path = gm.save_npz(tmp_path / "a.npz", np.arange(3.0))

    def bump(c):
        meta = json.loads(str(c["meta"]))
        meta["version"] = 99
        c["meta"] = np.array(json.dumps(meta))

    _rewrite_npz(path, tmp_path / "b.npz", bump)
    with pytest.raises(ValueError, match="format version 99"):
        gm.load_npz(tmp_path / "b.npz")
    text = gm.to_json(np.arange(3.0)).replace('"version": 1', '"version": 2')
    with pytest.raises(ValueError, match="format version 2"):
        gm.from_json(text)


def test_truncated_and_corrupted_files_are_refused(tmp_path):
    rho = gm.regular_representation(gm.dihedral(8))
    for save, load, suffix in ((gm.save_npz, gm.load_npz, "npz"), (gm.save_mat, gm.load_mat, "mat")):
        path = save(tmp_path / f"r.{suffix}", rho)
        data = open(path, "rb").read()
        for cut in (len(data) // 2, len(data) - 7, 40):
            bad = tmp_path / f"cut{cut}.{suffix}"
            bad.write_bytes(data[:cut])
            with pytest.raises(ValueError):
                load(bad)
        flipped = bytearray(data)
        flipped[len(data) // 2] ^= 0xFF
        (tmp_path / f"flip.{suffix}").write_bytes(bytes(flipped))
        with pytest.raises(ValueError):
            load(tmp_path / f"flip.{suffix}")
    # a valid zip whose content was edited: caught by the checksum
    path = gm.save_npz(tmp_path / "m.npz", gm.group_matrix(gm.cyclic(4), np.arange(4.0)))

    def edit(c):
        c["a_data"] = c["a_data"].copy()
        c["a_data"][0, 0] = 7.0

    _rewrite_npz(path, tmp_path / "edited.npz", edit)
    with pytest.raises(ValueError, match="checksum"):
        gm.load_npz(tmp_path / "edited.npz")
    # an array removed
    _rewrite_npz(path, tmp_path / "missing.npz", lambda c: c.pop("a_data"))
    with pytest.raises(ValueError, match="missing"):
        gm.load_npz(tmp_path / "missing.npz")
    # not a groupmat file at all
    np.savez(tmp_path / "plain.npz", x=np.arange(3))
    with pytest.raises(ValueError, match="not a groupmat export"):
        gm.load_npz(tmp_path / "plain.npz")
    (tmp_path / "junk.npz").write_bytes(b"not a zip")
    with pytest.raises(ValueError, match="corrupted or truncated"):
        gm.load_npz(tmp_path / "junk.npz")
    with pytest.raises(FileNotFoundError):
        gm.load_npz(tmp_path / "nope.npz")
    with zipfile.ZipFile(path) as z:
        assert all(not name.endswith(".pkl") for name in z.namelist())


def test_json_corruption_and_unsafe_text():
    text = gm.to_json(np.array([sympy.Rational(1, 3)], dtype=object))
    with pytest.raises(ValueError, match="not valid JSON"):
        gm.from_json(text[: len(text) // 2])
    doc = json.loads(text)
    for evil in ("__import__('os').system('true')", "open('x', 'w')", "Rational(1,3).func", "sympify('1')"):
        doc["arrays"]["data"]["data"] = [evil]
        doc["meta"]["checksum"] = ex._checksum({"data": np.array([evil])}, doc["meta"])
        with pytest.raises(ValueError, match="refusing to parse"):
            gm.from_json(json.dumps(doc))
    with pytest.raises(ValueError, match="not a groupmat JSON export"):
        gm.from_json("[1, 2]")
    with pytest.raises(TypeError, match="JSON string"):
        gm.from_json(3)


def test_bad_input_to_writers(tmp_path, monkeypatch):
    with pytest.raises(TypeError, match="metadata 'when' must be a JSON value"):
        gm.save_npz(tmp_path / "a", np.zeros(2), when=object())
    with pytest.raises(ValueError, match="must be finite"):
        gm.to_json(np.zeros(2), scale=float("nan"))
    with pytest.raises(ValueError, match="metadata key 'kind' is reserved"):
        gm.save_npz(tmp_path / "a", np.zeros(2), kind="mine")
    with pytest.raises(TypeError, match="metadata 'group' must be a FiniteGroup"):
        gm.save_mat(tmp_path / "a", np.zeros(2), group="D4")
    with pytest.raises(ValueError, match="finite values"):
        gm.to_json(np.array([np.inf]))
    monkeypatch.setattr(ex, "MAX_JSON_ENTRIES", 10)
    with pytest.raises(ValueError, match="use save_npz"):
        gm.to_json(np.zeros(11))
    with pytest.raises(TypeError, match="values must be numeric or SymPy"):
        gm.save_npz(tmp_path / "s", np.array(["text"]))


def test_files_hold_no_pickle(tmp_path):
    path = gm.save_npz(tmp_path / "e.npz", OBJECTS["exact_array"]())
    with np.load(path, allow_pickle=False) as f:
        assert all(f[k].dtype != object for k in f.files)


def test_import_groupmat_loads_no_optional_dependency():
    import subprocess
    import sys

    code = ("import sys, groupmat; "
            "bad = [m for m in ('torch', 'jax') if m in sys.modules]; "
            "assert not bad, bad; print('ok')")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0 and proc.stdout.strip() == "ok", proc.stderr[-2000:]


def test_regular_representations_are_stored_by_reference(tmp_path):
    G = gm.group("C32xC32")
    rho = 3 * gm.regular_representation(G, side="right")
    path = gm.save_npz(tmp_path / "reg.npz", rho)
    with np.load(path, allow_pickle=False) as f:
        assert "a_perms" not in f.files                          # rebuilt from the group spec
    back = gm.load_npz(path)
    assert np.array_equal(back.perms, rho.perms) and back.summands[2].regular_side == "right"
    # the same permutations without the attribute are stored as index arrays (and still come back)
    plain = gm.PermutationRepresentation(G, rho.perms[:, :1024])
    path = gm.save_npz(tmp_path / "plain.npz", plain)
    with np.load(path, allow_pickle=False) as f:
        assert f["a_perms"].dtype == np.int16
    assert np.array_equal(gm.load_npz(path).perms, plain.perms)
