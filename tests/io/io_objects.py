"""The objects the io tests export, the three file formats, and what "came back the same" means."""
from __future__ import annotations

import numpy as np
import scipy.sparse as sp
import sympy

import groupmat as gm
from groupmat.io.convert import object_kind, values_array


def make_ldr(G, r=2, seed=0):
    rng = np.random.default_rng(seed)
    b, U, V = rng.normal(size=G.order), rng.normal(size=(r, G.order)), rng.normal(size=(r, G.order))
    return gm.GroupLDRMatrix(G, b, U, V)


def ldr_dense_reference(G, b, U, V):
    """``M_b + sum_i diag(V[i]) M_{U[i]}`` from group matrices (independent of GroupLDRMatrix.dense)."""
    M = gm.group_matrix(G, b)
    for u, v in zip(U, V):
        M = M + v[:, None] * gm.group_matrix(G, u)
    return M


def exact_rep_d4():
    r = sympy.Matrix([[0, -1], [1, 0]])
    s = sympy.Matrix([[1, 0], [0, -1]])
    return gm.from_generators(gm.dihedral(4), [r, s])


def exact_rep_c3():
    """The 2-d rotation representation of C3 with sqrt(3)/2 entries."""
    c, s = sympy.Rational(-1, 2), sympy.sqrt(3) / 2
    return gm.from_generators(gm.cyclic(3), [sympy.Matrix([[c, -s], [s, c]])])


def exact_basis():
    rho = exact_rep_c3()
    return gm.equivariant_basis(rho, rho, exact=True)


def projection():
    L = gm.regular_representation(gm.dihedral(3))
    return gm.project(np.arange(36.0).reshape(6, 6), L, L)


def mixed_sum():
    G = gm.cyclic(4)
    return gm.regular_representation(G) + gm.from_generators(G, [sympy.Matrix([[0, -1], [1, 0]])])


def frobenius21(name=None):
    """The Frobenius group C7 : C3 (r acts by n -> 2n), optionally under another name."""
    G = gm.semidirect_product(gm.cyclic(7), gm.cyclic(3), [lambda n: (2 * n) % 7])
    return G if name is None else gm.groups.SemidirectProduct(G.N, G.H, G.automorphisms, name=name)


def table_group_with_labels():
    """C6 by its table, with labels of several types (strings, an integer, tuples)."""
    return gm.from_cayley_table(gm.cyclic(6).cayley_table(), labels=["e", 1, ("a", 2), "b", ("c", ("d", 3)), "f"],
                                name="T6")


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
    "natural_representation": lambda: gm.reps.natural_representation(gm.symmetric(4)),
    "mixed_sum": mixed_sum,
    "equivariant_basis": lambda: np.stack([gm.group_matrix(gm.cyclic(4), np.eye(4)[k]) / 2.0 for k in range(4)]),
    "library_basis": lambda: gm.equivariant_basis(gm.regular_representation(G6), 2 * gm.regular_representation(G6)),
    "exact_irreps": lambda: gm.irreps(gm.dihedral(4), field="real", exact=True)[-1],
    "exact_basis": exact_basis,
    "projection": projection,
    "group_ldr": lambda: make_ldr(gm.dihedral(5)),
    "transposed_group_ldr": lambda: make_ldr(gm.group("C3xC4"), seed=3).T,
    "character_table": lambda: gm.character_table(gm.symmetric(3)),
    "character_table_cyclotomic": lambda: gm.character_table(gm.cyclic(5)),
    "group_spec": lambda: gm.group("C4xC2"),
    "group_table": lambda: gm.from_cayley_table(gm.cyclic(5).cayley_table(), name="T5"),
    "subgroup": lambda: gm.dihedral(4).subgroup([1]),
    "table_group_labels": table_group_with_labels,
    "permutation_group": lambda: gm.from_permutations([[1, 2, 3, 4, 0], [1, 0, 2, 3, 4]], name="S5 by generators"),
    "semidirect_product": frobenius21,
    "renamed_semidirect_product": lambda: frobenius21("F21"),
    "renamed_sign_group": lambda: gm.groups.SignGroup(3, name="cube signs"),
    "renamed_product": lambda: gm.groups.DirectProduct([gm.cyclic(2), gm.symmetric(3)], name="C2 times S3"),
    "quaternion_group": gm.quaternion,
    "generalized_quaternion": lambda: gm.groups.generalized_quaternion(16),
    "rep_of_semidirect": lambda: gm.regular_representation(frobenius21()).numeric_dense(),
    "renamed_cyclic": lambda: gm.groups.CyclicGroup(6, name="hexagon turns"),
    "renamed_dihedral": lambda: gm.groups.DihedralGroup(5, name="pentagon"),
    "renamed_regular": lambda: gm.regular_representation(gm.dihedral(3), "right", name="R"),
    "renamed_regular_sum": lambda: gm.direct_sum(gm.regular_representation(G6), gm.regular_representation(G6, "right"),
                                                 name="two-sided"),
    "renamed_dense_sum": lambda: gm.direct_sum(gm.irreps(G6)[1], gm.regular_representation(G6), name="mixed"),
}


def assert_same_group(G, H):
    """The same class, name, generators, element order (table) and labels."""
    assert type(H) is type(G) and H.name == G.name, (type(G), type(H), G.name, H.name)
    assert H.generators == G.generators
    assert G.order == H.order
    assert np.array_equal(G.cayley_table(), H.cayley_table())
    assert list(G.labels) == list(H.labels)      # the labels themselves (tuples stay tuples), not strings
    assert isinstance(H, gm.groups.DirectProduct) == isinstance(G, gm.groups.DirectProduct)
    assert isinstance(H, gm.groups.Subgroup) == isinstance(G, gm.groups.Subgroup)
    if isinstance(G, gm.groups.Subgroup):
        assert np.array_equal(G.embedding, H.embedding)
        assert_same_group(G.parent, H.parent)
    if isinstance(G, gm.groups.SemidirectProduct):
        assert_same_group(G.N, H.N)
        assert_same_group(G.H, H.H)
        assert np.array_equal(G.automorphisms, H.automorphisms)
    if isinstance(G, gm.groups.PermutationGroup):
        assert np.array_equal(G.perms, H.perms) and G.structure == H.structure


def assert_exact_equal(a, b):
    a, b = np.asarray(a, dtype=object), np.asarray(b, dtype=object)
    assert a.shape == b.shape
    # structural identity of the expressions, not only numerical closeness
    assert all(x == y and type(x) is type(y) for x, y in zip(a.flat, b.flat)), (a, b)


def assert_roundtrip(orig, back):
    if isinstance(orig, gm.FiniteGroup):
        assert_same_group(orig, back)
    elif isinstance(orig, gm.reps.PermutationRepresentation):
        assert isinstance(back, gm.reps.PermutationRepresentation)
        assert back.nbytes == back.perms.nbytes                    # stays sparse: no dense images were made
        assert back.name == orig.name and [r.name for r in back.summands] == [r.name for r in orig.summands]
        assert np.array_equal(orig.perms, back.perms)
        assert_same_group(orig.group, back.group)
        assert orig.regular_side == back.regular_side
        assert [r.dim for r in orig.summands] == [r.dim for r in back.summands]
        assert [r.regular_side for r in orig.summands] == [r.regular_side for r in back.summands]
    elif isinstance(orig, gm.Representation):
        assert back.exact == orig.exact and back.dim == orig.dim
        assert back.name == orig.name and [r.name for r in back.summands] == [r.name for r in orig.summands]
        assert_same_group(orig.group, back.group)
        if orig.exact:
            assert_exact_equal(orig.matrices, back.matrices)
        else:
            assert np.array_equal(orig.matrices, back.matrices)
        assert [r.dim for r in orig.summands] == [r.dim for r in back.summands]
        assert [r.regular_side for r in orig.summands] == [r.regular_side for r in back.summands]
    elif object_kind(orig) == "group_ldr":
        assert type(back) is type(orig)                 # a transpose stays a (structured) transpose
        if isinstance(orig, gm.ldr.TransposedGroupLDRMatrix):
            orig, back = orig.T, back.T
        assert_same_group(orig.group, back.group)
        for a in ("b", "U", "V"):
            assert np.array_equal(np.asarray(getattr(orig, a)), np.asarray(getattr(back, a)))
    elif object_kind(orig) == "character_table":
        assert type(back) is type(orig)                 # a CharacterTable, not a plain data object
        v0, e0 = values_array(orig.values)
        v1, _ = values_array(back.values)
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
        assert_exact_equal(np.array(orig.tolist(), dtype=object), np.array(back.tolist(), dtype=object))
    elif np.asarray(orig).dtype == object:
        assert_exact_equal(orig, back)
    else:
        assert back.dtype == orig.dtype and back.shape == orig.shape
        assert np.array_equal(orig, back)


def via_npz(obj, tmp_path, **meta):
    return gm.load_npz(gm.save_npz(tmp_path / "obj.npz", obj, **meta), return_metadata=True)


def via_mat(obj, tmp_path, **meta):
    return gm.load_mat(gm.save_mat(tmp_path / "obj.mat", obj, **meta), return_metadata=True)


def via_json(obj, tmp_path, **meta):
    return gm.from_json(gm.to_json(obj, **meta), return_metadata=True)


#: Save and load in each file format: ``FORMATS[fmt](obj, tmp_path, **meta) -> (obj, meta)``.
FORMATS = {"npz": via_npz, "mat": via_mat, "json": via_json}
