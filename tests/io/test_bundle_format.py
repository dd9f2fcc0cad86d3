"""The bundle format (groupmat.io.bundle): every object kind round-trips through every file format; groups,
subgroups, irreducible and regular representations come back as what they are; exact stays exact; sparse
stays sparse."""
from __future__ import annotations

import inspect
import json
import math
import re
import time
import tracemalloc

import numpy as np
import pytest
import sympy
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp
from io_objects import FORMATS, OBJECTS, assert_exact_equal, assert_roundtrip, assert_same_group, exact_rep_c3, \
    mixed_sum, via_npz

from budget import HANG_GUARD
import groupmat as gm
from groupmat.io import bundle
from groupmat.reps import IrreducibleRepresentation, PermutationRepresentation


# ---------------------------------------------------------------------------------------------- every kind
@pytest.mark.parametrize("fmt", list(FORMATS))
@pytest.mark.parametrize("kind", list(OBJECTS))
def test_roundtrip_every_kind_and_format(kind, fmt, tmp_path):
    obj = OBJECTS[kind]()
    back, meta = FORMATS[fmt](obj, tmp_path, note="hello", convention="ginv_h", labels=["a", 1])
    assert_roundtrip(obj, back)
    assert meta["note"] == "hello" and meta["convention"] == "ginv_h" and meta["labels"] == ["a", "1"]
    assert meta["format_version"] == bundle.FORMAT_VERSION


def test_encode_and_decode_without_a_file():
    rho = exact_rep_c3()
    kind, arrays, header = bundle.encode(rho, {"source": "test"})
    assert kind == "representation" and header["exact"] == ["matrices"]
    assert arrays["matrices"].dtype.kind == "U"                     # exact values as text, no objects
    header["checksum"] = bundle.checksum(arrays, header)
    back, meta = bundle.decode(arrays, header, "memory", return_metadata=True)
    assert_exact_equal(back.matrices, rho.matrices) and meta["source"] == "test"
    arrays["matrices"] = arrays["matrices"].copy()
    arrays["matrices"][1, 0, 0] = "1"
    with pytest.raises(ValueError, match="memory is corrupted: its content does not match its SHA-256"):
        bundle.decode(arrays, header, "memory")


# ---------------------------------------------------------------------------------------------- groups
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
    back, meta = via_npz(G, tmp_path)
    assert meta["group_spec"] is None
    assert_same_group(G, back)


def test_a_table_group_over_the_budget_is_refused_before_writing(tmp_path, monkeypatch):
    """A group given by nothing but its table is stored by it; over GROUPMAT_MAX_BYTES that is refused
    (TooLargeError naming the table and the way out) and nothing is written."""
    G = gm.from_cayley_table(gm.cyclic(40).cayley_table(), name="mystery")     # a 40 x 40 int8 table
    K = G.subgroup([20])                                                      # {e, g20}: order 2
    monkeypatch.setenv("GROUPMAT_MAX_BYTES", "1000")
    with pytest.raises(gm.TooLargeError, match=r"Cayley table of mystery \(order 40\).*GROUPMAT_MAX_BYTES"):
        gm.save_npz(tmp_path / "no.npz", G)
    assert list(tmp_path.iterdir()) == []
    # a subgroup of a group that cannot be stored is stored as a group of its own (by its own table)
    path = gm.save_npz(tmp_path / "sub", K)
    monkeypatch.delenv("GROUPMAT_MAX_BYTES")
    back = gm.load_npz(path)
    assert type(back) is gm.groups.TableGroup and back.order == 2 and back.name == K.name
    assert np.array_equal(back.cayley_table(), K.cayley_table()) and back.labels == K.labels


@pytest.mark.parametrize("fmt", list(FORMATS))
@pytest.mark.parametrize("make", [lambda: gm.cyclic(10**9), lambda: gm.dihedral(10**8), lambda: gm.group("C2^40"),
                                  lambda: gm.direct_product(gm.cyclic(10**6), gm.dicyclic(10**5))],
                         ids=["C1e9", "D1e8", "C2^40", "C1e6xDic1e5"])
def test_huge_groups_are_saved_by_their_description(make, fmt, tmp_path):
    """Nothing that grows with the order is allocated: no element list, table or labels (before issue 12,
    saving cyclic(10**9) enumerated its elements and was killed at 22 GB)."""
    G = make()
    tracemalloc.start()
    try:
        start = time.perf_counter()
        back, meta = FORMATS[fmt](G, tmp_path, group=G)
        elapsed = time.perf_counter() - start
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 2**23 and elapsed < HANG_GUARD, (peak, elapsed)
    for H in (back, meta["group"]):
        assert type(H) is type(G) and H.order == G.order and H.generators == G.generators and H.name == G.name
        assert H.structure == G.structure
    assert meta["group_spec"] == G.name and meta["group_labels"] is None
    x, y = np.array([12345, G.order - 1]), np.array([G.order - 2, 777])
    assert np.array_equal(back.mul(x, y), G.mul(x, y))


@pytest.mark.parametrize("fmt", list(FORMATS))
def test_permutation_groups_of_any_order_are_saved_by_their_generators(fmt, tmp_path):
    S9 = gm.symmetric(9)
    _, arrays, header = bundle.encode(S9)
    assert list(arrays) == ["group_generators"] and arrays["group_generators"].shape == (2, 9)
    back, _ = FORMATS[fmt](S9, tmp_path)
    assert_same_group_cheaply(S9, back)
    # a permutation group of order 5040 > 2048 given by generators (no spec name): before issue 12 refused
    G = gm.from_permutations([[1, 2, 3, 4, 5, 6, 0], [1, 0, 2, 3, 4, 5, 6]], name="S7 on its own")
    back, _ = FORMATS[fmt](G, tmp_path)
    assert_same_group_cheaply(G, back)
    assert back.structure.family == "permutation"
    # a renamed symmetric group with other generators keeps its name and its generators
    S4 = gm.symmetric(4)
    R = gm.groups.PermutationGroup(S4.perms, (S4.element("(0 1 2 3)"), S4.element("(0 1)")), "Sym(4)", S4.structure)
    back, _ = FORMATS[fmt](R, tmp_path)
    assert_same_group(R, back)


def _traced(call):
    """``(call(), traced peak bytes)``."""
    tracemalloc.start()
    try:
        out = call()
        return out, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


@pytest.mark.parametrize("fmt", list(FORMATS))
def test_large_symmetric_and_alternating_groups_are_saved_without_listing_them(fmt, tmp_path):
    """S12 and A12 (479001600 and 239500800 elements) are saved by the image arrays of their generators,
    unranked alone: before issue 12 saving listed every element (S12 refused at 21.4 GiB, A11 took 15 s
    and 790 MB for an 886-byte file). The generators are checked against arrays written by hand."""
    hand = {"S12": [np.r_[1, 0, 2:12], np.roll(np.arange(12), -1)]}     # (0 1) and (0 1 ... 11)
    for G in (gm.symmetric(12), gm.alternating(12)):
        (back, _), peak = _traced(lambda: FORMATS[fmt](G, tmp_path))
        assert peak < 2**22, f"saving and loading {G.name} traced {peak} bytes"
        assert type(back) is type(G) and (back.name, back.order, back.generators) == (G.name, G.order, G.generators)
        assert back.structure == G.structure and back.order == math.factorial(12) // (1 if G.name == "S12" else 2)
        stored = back.permutations(list(back.generators))
        if G.name in hand:
            assert np.array_equal(stored, np.array(hand[G.name]))
        else:                                         # A12: even permutations that generate it
            assert all(_parity(p) == 0 for p in stored) and back.kind == "alternating"
        x, y = np.array([12345, G.order - 1]), np.array([G.order - 2, 777])
        assert np.array_equal(back.mul(x, y), G.mul(x, y))
    _, arrays, _ = bundle.encode(gm.symmetric(12))
    assert list(arrays) == ["group_generators"] and arrays["group_generators"].shape == (2, 12)


def _large_permutation_groups():
    """S13, A12, S20, S30 (no element indices), a renamed S13, and groups on 30 points by generators."""
    c30, t30 = np.roll(np.arange(30), -1), np.r_[1, 0, 2:30]
    shift = np.r_[np.roll(np.arange(10), -1), 10 + np.roll(np.arange(10), -1), 20 + np.roll(np.arange(10), -1)]
    swap = np.r_[1, 0, 2:30]
    renamed = gm.symmetric(13)
    renamed = renamed.copy_with(name="Sym(13)", generators=renamed.index_of([[1, 0] + list(range(2, 13)),
                                                                             [1, 2, 0] + list(range(3, 13)),
                                                                             list(range(1, 13)) + [0]]))
    return [gm.symmetric(13), gm.alternating(12), gm.symmetric(20), gm.symmetric(30), renamed,
            gm.from_permutations([c30, t30], name="S30 by generators"),
            gm.from_permutations([shift, swap], name="30 points, order 36288000"),
            gm.from_permutations([shift, swap], name="30 points, generic", recognize=False)]


@pytest.mark.parametrize("fmt", list(FORMATS))
def test_permutation_groups_decode_without_listing_them(fmt, tmp_path):
    """Loading rebuilds a permutation group from its generators: S_n and A_n by their constructors, any
    other by a stabiliser chain, a renamed group by copy_with (before, loading a renamed S13 asked for
    all 13! image arrays, 290 GiB, and S30 or a group of order above 2**62 could not be saved at all).
    The same class, name, order, generators (indices and image arrays), structure and kind come back,
    and products agree with products of the image arrays."""
    for G in _large_permutation_groups():
        (back, _), peak = _traced(lambda: FORMATS[fmt](G, tmp_path))
        assert peak < 3 * 2**20, f"saving and loading {G.name} traced {peak} bytes"
        assert type(back) is type(G) and (back.name, back.order, back.generators) == (G.name, G.order, G.generators)
        assert back.structure == G.structure and back.kind == G.kind and back.degree == G.degree
        assert np.array_equal(back.generator_permutations, G.generator_permutations)
        a, b = G.random_element(seed=3, size=2)
        assert back.contains(b[a]) and back.contains(a)
        if G.indexable:
            x, y = G.index_of(a), G.index_of(b)
            assert back.mul(x, y) == G.index_of(b[a])               # perm(g h) = perm(h)[perm(g)]
    assert math.factorial(30) == gm.from_json(gm.to_json(gm.symmetric(30))).order
    G = gm.symmetric(2000)                     # an order of 5736 digits: stored as hex text
    assert gm.from_json(gm.to_json(G)).order == math.factorial(2000)


def _parity(p) -> int:
    """The parity of a permutation by counting inversions (an independent computation)."""
    p = list(p)
    return sum(p[i] > p[j] for i in range(len(p)) for j in range(i + 1, len(p))) % 2


def test_permutation_groups_by_generators_load_under_a_small_budget(tmp_path, monkeypatch):
    """A permutation group given by generators is rebuilt from them (a stabiliser chain), never listed:
    S12 wr C2 (order 2 (12!)^2) loads under a budget of 1 MB; before issue 12 the loader asked the budget
    for all its elements and refused it at any limit."""
    c, t = np.roll(np.arange(24), -1), np.r_[2, 1, 0, 3:24]
    W = gm.from_permutations([c, t], name="S12 wr C2")
    monkeypatch.setenv("GROUPMAT_MAX_BYTES", str(10**6))
    back = gm.load_npz(gm.save_npz(tmp_path / "w", W))
    assert back.order == 2 * math.factorial(12) ** 2 and back.generators == W.generators
    assert np.array_equal(back.permutations(list(back.generators)), np.array([c, t]))


def test_json_refuses_a_large_group_before_encoding_its_action(monkeypatch):
    """to_json of C2000000 : C2 stores the action of the generator of C2 on C2000000 (two million entries):
    refused before that array is built (before issue 12, after building it: 750 MB for C10^7 : C2)."""
    n = 2 * 10**6
    G = gm.groups.SemidirectProduct(gm.cyclic(n), gm.cyclic(2), np.stack([np.arange(n), (-np.arange(n)) % n]))
    with pytest.raises(ValueError, match=r"obj stores 2000000 entries or more \(the action of the generators of C2 "
                                         r"on C2000000\), more than JSON export takes \(1000000\); use save_npz"):
        _traced(lambda: gm.to_json(G))
    tracemalloc.start()
    try:
        with pytest.raises(ValueError):
            gm.to_json(G)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 2**18, f"{peak} bytes traced before refusing"
    small = gm.groups.SemidirectProduct(gm.cyclic(5), gm.cyclic(2), np.stack([np.arange(5), (-np.arange(5)) % 5]))
    back = gm.from_json(gm.to_json(small))
    assert np.array_equal(back.cayley_table(), small.cayley_table())


def assert_same_group_cheaply(G, H):
    assert type(H) is type(G) and (H.name, H.order, H.generators) == (G.name, G.order, G.generators)
    assert np.array_equal(H.perms, G.perms) and H.structure == G.structure


@pytest.mark.parametrize("fmt", list(FORMATS))
def test_renamed_groups_come_back_with_their_name(fmt, tmp_path):
    for G in (gm.groups.SignGroup(2, name="Klein"), gm.groups.DicyclicGroup(3, name="Dic3 renamed"),
              gm.groups.DirectProduct([gm.cyclic(3), gm.groups.DirectProduct([gm.cyclic(2)], name="inner")],
                                      name="outer"),
              gm.groups.TableGroup(gm.cyclic(3).cayley_table(), labels=["x", "y", "z"], name="table C3")):
        back, _ = FORMATS[fmt](G, tmp_path)
        assert_same_group(G, back)
    # a cyclic group renamed by assignment: the name comes back; the class too when CyclicGroup takes
    # a name (otherwise it is stored by its table)
    C = gm.cyclic(5)
    C.name = "five"
    back, _ = FORMATS[fmt](C, tmp_path)
    assert back.name == "five" and np.array_equal(back.cayley_table(), C.cayley_table())
    if "name" in inspect.signature(gm.groups.CyclicGroup).parameters:
        assert_same_group(C, back)
    else:
        assert type(back) is gm.groups.TableGroup


@pytest.mark.parametrize("change, message", [
    (lambda g: g.update(n=4), "does not have the stored order"),
    (lambda g: g.update(order=2**70, n=2**70), "2\\*\\*62"),
    (lambda g: g.update(generators=[2]), "rebuilds as a CyclicGroup of order 8 with generators \\[1\\]"),
    (lambda g: g.update(build="sudoku"), "unknown group description 'sudoku'"),
    (lambda g: g.update(build="symmetric", degree=30), "symmetric group on 30 points does not have the stored order 8"),
    (lambda g: g.update(n="8"), "must be an integer"),
    (lambda g: g.update(name=["C8"]), "name must be a string"),
    (lambda g: g.update(build="table"), "lacks its array 'group_table'"),
])
def test_inconsistent_group_descriptions_are_refused(change, message):
    _, arrays, header = bundle.encode(gm.cyclic(8))
    change(header["info"]["group"])
    header["checksum"] = bundle.checksum(arrays, header)
    with pytest.raises(ValueError, match=message):
        bundle.decode(arrays, header, "memory")


def test_a_character_table_comes_back_as_a_character_table_checked_against_its_group():
    T = gm.character_table(gm.alternating(4))
    back = gm.from_json(gm.to_json(T))
    assert isinstance(back, gm.reps.CharacterTable) and back.exact
    assert np.array_equal(back.values, T.values) and np.array_equal(back.degrees, T.degrees)
    assert all(np.array_equal(a, b) for a, b in zip(back.classes, T.classes))
    assert_exact_equal(back.exact_values, T.exact_values)
    # values that are not the group's character table are refused, even with a correct checksum
    _, arrays, header = bundle.encode(T)
    arrays["values"] = arrays["values"].copy()
    arrays["values"][1, 1] += 0.5
    header["checksum"] = bundle.checksum(arrays, header)
    with pytest.raises(ValueError, match="are not the character table of A4"):
        bundle.decode(arrays, header, "memory")


@pytest.mark.parametrize("fmt", list(FORMATS))
def test_the_character_table_of_a_group_too_large_to_list_is_saved_without_listing_it(fmt, tmp_path):
    """character_table(symmetric(12)) (77 classes of 479001600 elements) is saved by its values, class
    sizes and representatives: before, telling its kind (hasattr(obj, "classes")) listed its classes and
    raised TooLargeError. It comes back as a CharacterTable equal to the one computed, under a few MB."""
    from groupmat.io.convert import object_kind
    from groupmat.reps.symmetric_characters import partitions

    T = gm.character_table(gm.symmetric(12))
    assert object_kind(T) == "character_table"
    (back, _), peak = _traced(lambda: FORMATS[fmt](T, tmp_path))
    assert peak < 16 * 2**20, f"saving and loading the table of S12 traced {peak} bytes"
    assert isinstance(back, gm.reps.CharacterTable) and back.exact and back.group.name == "S12"
    assert len(back) == len(list(partitions(12))) == 77 and np.array_equal(back.values, T.values)
    assert np.array_equal(back.class_sizes, T.class_sizes) and int(back.class_sizes.sum()) == math.factorial(12)
    assert np.array_equal(back.class_permutations, T.class_permutations)
    # a stored class size or representative that is not the group's is refused, with a correct checksum
    _, arrays, header = bundle.encode(T)
    for name, edit in (("class_sizes", lambda a: a.__setitem__(1, "67")),
                       ("representatives", lambda a: a.__setitem__(1, a[2]))):
        changed = {k: v.copy() for k, v in arrays.items()}
        edit(changed[name])
        header["checksum"] = bundle.checksum(changed, header)
        with pytest.raises(ValueError, match="are not those of the conjugacy classes of S12"):
            bundle.decode(changed, header, "memory")
    # a table saved by an earlier groupmat (its classes as element lists) still reads
    T4 = gm.character_table(gm.symmetric(4))
    _, arrays, header = bundle.encode(T4)
    for name in ("class_sizes", "representatives", "class_permutations"):
        arrays.pop(name, None)
        header["shapes"].pop(name, None), header["dtypes"].pop(name, None)
    header["exact"] = [e for e in header["exact"] if e != "class_sizes"]
    arrays["classes"] = np.concatenate(T4.classes).astype(np.int64)
    arrays["class_offsets"] = np.cumsum([0] + [len(c) for c in T4.classes]).astype(np.int64)
    for name in ("classes", "class_offsets"):
        header["shapes"][name], header["dtypes"][name] = list(arrays[name].shape), arrays[name].dtype.str
    header["checksum"] = bundle.checksum(arrays, header)
    assert np.array_equal(bundle.decode(arrays, header, "memory").values, T4.values)


@pytest.mark.parametrize("fmt", list(FORMATS))
def test_permutation_actions_are_saved_and_generator_representations_refused_clearly(fmt, tmp_path):
    """A natural action (S30 on its points) and sums and tensor products of actions are saved by their group
    and the generator images of each factor (before: "obj must be a groupmat object"); the images come back
    as the inverses of the generators (rho(s) e_i = e_{i^(s^-1)}), computed here by hand. A Young irrep
    (a GeneratorRepresentation) is refused naming its class and what to save instead."""
    from groupmat.reps import natural_action, young_irrep

    S = gm.symmetric(30)
    V = natural_action(S)
    for action in (V, V * V + V, gm.reps.PermutationAction(gm.cyclic(4), [[1, 2, 3, 0]], name="shift")):
        back, _ = FORMATS[fmt](action, tmp_path)
        assert type(back) is gm.reps.PermutationAction and (back.name, back.dim) == (action.name, action.dim)
        assert_same_group_cheaply_or_by_name(action.group, back.group)
        assert [b.shape for b in back.blocks] == [b.shape for b in action.blocks]
        for b, c in zip(action.blocks, back.blocks):
            assert all(np.array_equal(f, g) for f, g in zip(b.factors, c.factors))
    back, _ = FORMATS[fmt](V, tmp_path)
    gens = S.generator_permutations
    by_hand = [[list(g).index(i) for i in range(30)] for g in gens]
    assert back.blocks[0].factors[0].tolist() == by_hand
    with pytest.raises(TypeError, match=r"obj is a GeneratorRepresentation \('S\^\(3, 2\) of S5'\).*"
                                        r"save_npz\(path, G, partition=\[3, 2\]\)"):
        FORMATS[fmt](young_irrep(gm.symmetric(5), (3, 2)), tmp_path)
    with pytest.raises(TypeError, match="obj is a PermutationAction .* save_npz, save_mat and to_json store it"):
        gm.to_numpy(V)


def assert_same_group_cheaply_or_by_name(G, H):
    assert type(H) is type(G) and (H.name, H.order, H.generators) == (G.name, G.order, G.generators)


@pytest.mark.parametrize("fmt", list(FORMATS))
def test_product_groups_come_back_as_products(fmt, tmp_path):
    # C2 x (C3 given by its table): no spec string rebuilds it, so it is stored by its factors
    P = gm.direct_product(gm.cyclic(2), gm.from_cayley_table(gm.cyclic(3).cayley_table()))
    back, meta = FORMATS[fmt](P, tmp_path)
    assert isinstance(back, gm.groups.DirectProduct) and len(back.factors) == 2
    assert isinstance(back.factors[0], gm.groups.CyclicGroup) and back.factors[0].n == 2
    assert np.array_equal(back.factors[1].cayley_table(), P.factors[1].cayley_table())
    assert back.labels[4] == ("r", "g1") == P.labels[4]          # tuple labels, not "('r', 'g1')"
    assert meta["group_labels"] == list(P.labels)
    assert np.array_equal(back.cayley_table(), P.cayley_table())
    assert np.array_equal(np.array(back.components(np.arange(6))), np.array(P.components(np.arange(6))))
    # nested products and a representation of one
    Q = gm.direct_product(P, gm.dihedral(3))
    rho = gm.regular_representation(Q)
    back, _ = FORMATS[fmt](gm.Representation(Q, rho.matrices), tmp_path)
    assert isinstance(back.group, gm.groups.DirectProduct)
    assert isinstance(back.group.factors[0], gm.groups.DirectProduct)
    assert list(back.group.labels) == list(Q.labels)
    assert np.array_equal(back.matrices, rho.matrices)


@pytest.mark.parametrize("fmt", list(FORMATS))
def test_subgroups_come_back_as_subgroups_of_their_parent(fmt, tmp_path):
    D4 = gm.dihedral(4)
    H = D4.subgroup([2, 4])                             # <r^2, s>: a Klein four-group inside D4
    back, _ = FORMATS[fmt](H, tmp_path)
    assert isinstance(back, gm.groups.Subgroup) and back.name == H.name
    assert np.array_equal(back.embedding, H.embedding) and not back.embedding.flags.writeable
    assert_same_group(D4, back.parent)
    # the declared parent works as one: restrict a representation of the parent
    L = gm.regular_representation(back.parent)
    assert np.array_equal(L.restrict(back).perms, L.perms[H.embedding])
    # a subgroup of a subgroup keeps the chain
    K = H.subgroup([1])
    back, _ = FORMATS[fmt](gm.regular_representation(K), tmp_path)
    assert isinstance(back.group, gm.groups.Subgroup) and isinstance(back.group.parent, gm.groups.Subgroup)
    assert np.array_equal(back.group.parent.embedding, H.embedding)


def test_a_stored_embedding_that_is_not_a_subgroup_is_refused():
    text = gm.to_json(gm.dihedral(4).subgroup([1]))
    doc = json.loads(text)
    doc["arrays"]["group_embedding"]["data"] = [0, 1, 2, 4]          # {e, r, r^2, s}: not closed
    arrays = {"group_embedding": np.array([0, 1, 2, 4], dtype=doc["meta"]["dtypes"]["group_embedding"])}
    doc["meta"]["checksum"] = bundle.checksum(arrays, doc["meta"])
    with pytest.raises(ValueError, match="not closed under products"):
        gm.from_json(json.dumps(doc))


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


# ---------------------------------------------------------------------------------------------- values
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


def _with_exact_text(texts, tmp_path):
    """A JSON bundle of an exact array holding ``texts``, with a correct checksum (as an attacker would make)."""
    doc = json.loads(gm.to_json(np.array([sympy.Rational(1, 3)] * len(texts), dtype=object)))
    doc["arrays"]["data"]["data"] = list(texts)
    doc["meta"]["checksum"] = bundle.checksum({"data": np.array(texts)}, doc["meta"])
    return json.dumps(doc)


def test_exact_text_in_a_file_is_never_evaluated(tmp_path):
    """Exact values are read by the restricted grammar of groupmat._exact_text: no code runs, whatever the
    text; the message says what is wrong with the text."""
    marker = tmp_path / "pwned"
    for evil, why in ((f"__import__('os').system('touch {marker}')", "unexpected character '_'"),
                      (f"open('{marker}', 'w')", "'open' is not a known function"),
                      ("Rational(1,3).func", "unexpected character '.'"),
                      ("sympify('1')", "'sympify' is not a known function"),
                      ("lambda: 1", "unexpected character ':'")):
        with pytest.raises(ValueError, match="JSON text is corrupted.*" + re.escape(why)):
            gm.from_json(_with_exact_text([evil], tmp_path))
    assert not marker.exists()


@pytest.mark.parametrize("bomb, why", [
    ("10**10**10", "exponent 10000000000 is larger than 10000"),
    ("2**2**40", "exponent 1099511627776 is larger than 10000"),
    ("9" * 5000, "more than 4000 digits"),
    ("(" * 2000 + "1" + ")" * 2000, "nested deeper than 100 levels"),
    ("-" * 5000 + "1", "nested deeper than 100 levels"),
    ("7**9999", "would have about"),
])
def test_exact_text_bombs_are_refused_at_once(bomb, why, tmp_path):
    """Numbers, powers and nesting beyond fixed bounds are refused before anything is computed (before
    issue 12, from_json of 10**10**10 hung)."""
    text = _with_exact_text([bomb], tmp_path)
    start = time.perf_counter()
    with pytest.raises(ValueError, match=re.escape(why)):
        gm.from_json(text)
    assert time.perf_counter() - start < HANG_GUARD


def test_exact_values_are_written_in_the_grammar_they_are_read_with(tmp_path):
    """Every exact array is stored as text that groupmat._exact_text.parse_exact reads back to the same value."""
    from groupmat._exact_text import parse_exact

    arr = OBJECTS["exact_array"]()
    _, arrays, header = bundle.encode(arr)
    assert header["exact"] == ["data"]
    assert all(parse_exact(t) == v for t, v in zip(arrays["data"].flat, arr.flat))


# ---------------------------------------------------------------------------------------------- representations
@pytest.mark.parametrize("fmt", list(FORMATS))
def test_irreducible_representations_come_back_with_their_declared_fields(fmt, tmp_path):
    for field in ("real", "complex"):
        for irrep in gm.irreps(gm.cyclic(5), field=field) + gm.irreps(gm.quaternion(), field=field):
            back, _ = FORMATS[fmt](irrep, tmp_path)
            assert isinstance(back, IrreducibleRepresentation)
            assert (back.index, back.field, back.frobenius_schur, back.type, back.complex_indices) == \
                (irrep.index, irrep.field, irrep.frobenius_schur, irrep.type, irrep.complex_indices)
            assert isinstance(back.complex_indices, tuple)
            assert np.allclose(back.matrices, irrep.matrices)
    # the quaternion group's 2-d irreducible is of quaternionic type (Frobenius-Schur -1)
    q = [r for r in gm.irreps(gm.quaternion(), field="real") if r.type == "quaternionic"][0]
    back, _ = FORMATS[fmt](q, tmp_path)
    assert back.frobenius_schur == -1 and back.dim == 4
    # a plain representation comes back plain
    back, _ = FORMATS[fmt](gm.reps.natural_representation(gm.symmetric(3)).numeric_dense(), tmp_path)
    assert type(back) is gm.Representation


def test_stored_irreducible_fields_are_checked():
    irrep = gm.irreps(gm.quaternion(), field="real")[-1]
    text = gm.to_json(irrep)
    _, arrays, _ = bundle.encode(irrep)
    for key, value, message in (("type", "real", "does not match frobenius_schur"),
                                ("frobenius_schur", 2, "frobenius_schur must be 1, 0 or -1"),
                                ("field", "p-adic", "field must be 'complex' or 'real'"),
                                ("colour", "red", "unknown or malformed representation annotation 'colour'")):
        doc = json.loads(text)
        doc["meta"]["info"]["annotations"][key] = {"tuple": False, "value": value}
        doc["meta"]["checksum"] = bundle.checksum(arrays, doc["meta"])
        with pytest.raises(ValueError, match=message):
            gm.from_json(json.dumps(doc))


def test_regular_representations_are_stored_by_reference(tmp_path):
    G = gm.group("C32xC32")
    rho = 3 * gm.regular_representation(G, side="right")
    path = gm.save_npz(tmp_path / "reg.npz", rho)
    with np.load(path, allow_pickle=False) as f:
        assert "a_perms" not in f.files                          # rebuilt from the group spec
    back = gm.load_npz(path)
    assert np.array_equal(back.perms, rho.perms) and back.summands[2].regular_side == "right"
    # regular by content: the regular permutations however built are stored by reference too
    plain = PermutationRepresentation(G, rho.perms[:, :1024])
    path = gm.save_npz(tmp_path / "plain.npz", plain)
    with np.load(path, allow_pickle=False) as f:
        assert "a_perms" not in f.files
    back = gm.load_npz(path)
    assert back.regular_side == "right" and np.array_equal(back.perms, plain.perms)
    # a conjugate of the regular permutations is not regular: stored as index arrays, smallest type
    sigma = np.random.default_rng(0).permutation(1024)
    conj = PermutationRepresentation(G, sigma[plain.perms[:, np.argsort(sigma)]])
    assert conj.regular_side is None
    path = gm.save_npz(tmp_path / "conj.npz", conj)
    with np.load(path, allow_pickle=False) as f:
        assert f["a_perms"].dtype == np.int16
    back = gm.load_npz(path)
    assert np.array_equal(back.perms, conj.perms) and back.regular_side is None


@pytest.mark.parametrize("fmt", list(FORMATS))
def test_dense_regular_summands_come_back_regular(fmt, tmp_path):
    rho = mixed_sum()                                     # left regular (permutations) + an exact 2-d rep
    back, _ = FORMATS[fmt](rho, tmp_path)
    first, second = back.summands
    assert first.regular_side == "left" and first.is_permutation
    assert second.regular_side is None and second.exact
    # the dense left regular representation (no permutations kept) is regular by content as well
    C4 = gm.cyclic(4)
    dense = gm.regular_representation(C4).numeric_dense() + gm.reps.trivial_representation(C4)
    back, _ = FORMATS[fmt](dense, tmp_path)
    assert [r.regular_side for r in back.summands] == ["left", None]


def test_a_representation_that_is_not_the_sum_of_its_summands_is_refused():
    C3 = gm.cyclic(3)
    rho = gm.regular_representation(C3).numeric_dense() + gm.reps.trivial_representation(C3)
    doc = json.loads(gm.to_json(rho))
    doc["meta"]["info"]["summand_regular_sides"] = ["right", None]   # the first block is the left one
    doc["meta"]["checksum"] = bundle.checksum(bundle.encode(rho)[1], doc["meta"])
    with pytest.raises(ValueError, match="summand 0 is stored as the right regular representation"):
        gm.from_json(json.dumps(doc))


@pytest.mark.parametrize("fmt", list(FORMATS))
@pytest.mark.parametrize("spec", ["C1", "C2^2", "C2^3"])
def test_regular_sides_that_coincide_keep_the_declared_side(spec, fmt, tmp_path):
    # on C_2^k (g = g^-1) the left and right regular permutations are equal: a right one stays right
    G = gm.group(spec)
    assert np.array_equal(gm.regular_representation(G, "left").perms, gm.regular_representation(G, "right").perms)
    R = gm.regular_representation(G, "right")
    for rho in (R + gm.reps.trivial_representation(G), 2 * R):
        back, _ = FORMATS[fmt](rho, tmp_path)
        assert [r.regular_side for r in back.summands] == [r.regular_side for r in rho.summands]
        assert back.summands[0].regular_side == "right"
    # dense images say only what they are: regular, read as "left" (the first side that matches)
    rho = R.numeric_dense() + gm.reps.trivial_representation(G)
    back, _ = FORMATS[fmt](rho, tmp_path)
    assert [r.regular_side for r in back.summands] == [r.regular_side for r in rho.summands]
    assert back.summands[0].regular_side == "left"                  # (on C1 the trivial summand is regular too)
