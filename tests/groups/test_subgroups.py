"""The even and stride subgroups of products of cyclic and dihedral groups, coset indices, quotient groups."""
from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import groupmat as gm
from groupmat.groups import coset_index, even_subgroup, even_subgroup_group, quotient_group, stride_subgroup


def factor_groups():
    """C_n and D_n with n even (small), and C_2^k."""
    n = st.sampled_from([2, 4, 6])
    return st.one_of(n.map(gm.cyclic), n.map(gm.dihedral), st.integers(1, 2).map(gm.sign_group))


@st.composite
def products(draw):
    factors = draw(st.lists(factor_groups(), min_size=1, max_size=2))
    return factors[0] if len(factors) == 1 else gm.direct_product(*factors)


def brute_even(G) -> np.ndarray:
    """The even elements by definition, factor by factor (components of a product)."""
    def even_in(F, a):
        fam = F.structure.family
        if fam == "cyclic":
            return a % 2 == 0
        if fam == "dihedral":
            return (a % F.structure.params[0]) % 2 == 0          # s^e r^k with k even
        return a == 0                                              # C_2^k: only e
    if G.structure.family == "direct_product":
        comps = G.components(G.elements())
        return np.flatnonzero(np.logical_and.reduce([even_in(F, c) for F, c in zip(G.factors, comps)]))
    return np.flatnonzero(even_in(G, G.elements()))


def assert_homomorphism(phi, A, B):
    """phi[a a'] = phi[a] phi[a'] for all pairs (phi an index array from A to B)."""
    a = A.elements()
    assert np.array_equal(phi[A.mul(a[:, None], a[None, :])], B.mul(phi[a][:, None], phi[a][None, :]))


@given(products())
@settings(max_examples=30, deadline=None)
def test_even_subgroup_matches_definition_and_embeds(G):
    E = even_subgroup(G)
    factors = G.factors if G.structure.family == "direct_product" else (G,)
    assert np.array_equal(E.embedding, brute_even(G))
    index = np.prod([2 ** F.structure.params[0] if F.structure.family == "sign" else 2 for F in factors])
    assert G.order == E.order * index
    assert G.is_normal(E)
    K, emb = even_subgroup_group(G)
    assert K.order == E.order and np.array_equal(np.sort(emb), E.embedding)    # onto E, injective
    assert_homomorphism(emb, K, G)
    # the stride subgroup: central, and G/K is the same structured group as E's
    S = stride_subgroup(G)
    assert np.isin(S.embedding, G.center()).all()
    Q, q = quotient_group(G, S)
    assert Q.name == K.name and Q.order * S.order == G.order
    assert_homomorphism(q, G, Q)
    assert np.array_equal(np.flatnonzero(q == Q.identity), S.embedding)          # kernel = K
    assert np.unique(q).size == Q.order                                           # onto


def test_even_examples_and_index():
    assert even_subgroup(gm.cyclic(8)).embedding.tolist() == [0, 2, 4, 6]
    D = gm.dihedral(6)
    assert even_subgroup(D).labels == ["e", "r^2", "r^4", "s", "s r^2", "s r^4"]
    for spec, small in (("C28xC28", "C14xC14"), ("D14xD14", "D7xD7"), ("C4xD6", "C2xD3")):
        G = gm.group(spec)
        E = even_subgroup(G)
        assert G.order // E.order == 4 and even_subgroup_group(G)[0].name == small
        Q, q = quotient_group(G, E)                                               # G/E = C2 x C2
        assert Q.order == 4 and Q.is_abelian and np.array_equal(np.flatnonzero(q == 0), E.embedding)
        assert_homomorphism(q, G, Q)
    assert stride_subgroup(gm.dihedral(4)).embedding.tolist() == gm.dihedral(4).center().tolist()


def test_generic_quotient_multiplies_cosets():
    for G, H in ((gm.dihedral(6), [2]), (gm.symmetric(4), None), (gm.quaternion(), [1]), (gm.symmetric(3), [3])):
        if H is None:                                 # V4 in S4
            H = G.subgroup([G.element("(0 1)(2 3)"), G.element("(0 2)(1 3)")])
        else:
            H = G.subgroup(H)
        Q, q = quotient_group(G, H)
        assert isinstance(Q, gm.groups.TableGroup) and Q.order == G.order // H.order
        # the table is a group (validated from scratch) and q is its coset map
        gm.from_cayley_table(Q.cayley_table())
        assert np.array_equal(q, coset_index(G, H))
        T = G.cayley_table().astype(np.int64)
        cosets = [np.flatnonzero(q == c) for c in range(Q.order)]
        for a in range(Q.order):
            for b in range(Q.order):
                product = np.unique(T[cosets[a][:, None], cosets[b][None, :]])     # (aH)(bH) as sets
                assert np.array_equal(product, cosets[Q.mul(a, b)])
        assert Q.label(0).startswith("[") and Q.identity == 0


def test_coset_index_numbers_cosets_and_is_translation_compatible():
    G = gm.dihedral(4)
    H = G.subgroup([4])                                       # {e, s}: not normal
    for side, cosets in (("left", G.left_cosets(H)), ("right", G.right_cosets(H))):
        idx = coset_index(G, H, side=side)
        for c, members in enumerate(cosets):
            assert (idx[members] == c).all()
    idx = coset_index(G, H)
    g = G.elements()
    # left translation permutes left cosets: idx[k g] is a function of (k, idx[g])
    for k in g:
        kg = G.mul(k, g)
        pairs = {(int(a), int(b)) for a, b in zip(idx, idx[kg])}
        assert len(pairs) == idx.max() + 1


def test_refusals():
    with pytest.raises(ValueError, match="n even"):
        even_subgroup(gm.cyclic(5))
    with pytest.raises(ValueError, match="D3"):
        stride_subgroup(gm.group("C4xD3"))
    with pytest.raises(ValueError, match="S3"):
        even_subgroup(gm.symmetric(3))
    with pytest.raises(TypeError, match="G must be a FiniteGroup"):
        even_subgroup("C4")
    G = gm.dihedral(3)
    with pytest.raises(ValueError, match="H must be a subgroup"):
        coset_index(G, [0, 1])
    with pytest.raises(ValueError, match="side"):
        coset_index(G, [0], side="middle")
    with pytest.raises(ValueError, match="normal"):
        quotient_group(G, G.subgroup([3]))
