"""Direct and semidirect products: index conventions, labels, and the checks on the action."""
from __future__ import annotations

import numpy as np
import pytest

import groupmat as gm


def test_direct_product_index_convention():
    A, B, C = gm.cyclic(3), gm.dihedral(2), gm.cyclic(2)
    G = gm.direct_product(A, B, C)
    assert G.order == 24 and G.shape == (3, 4, 2)
    e = G.elements()
    parts = G.components(e)
    assert np.array_equal(np.ravel_multi_index(parts, G.shape), e)            # row-major
    assert G.combine(1, 2, 1) == 1 * 8 + 2 * 2 + 1
    a, b = np.meshgrid(e, e, indexing="ij")
    pa, pb = G.components(a), G.components(b)
    prod = G.combine(*(F.mul(x, y) for F, x, y in zip(G.factors, pa, pb)))
    assert np.array_equal(G.mul(a, b), prod)                                   # componentwise
    assert np.array_equal(G.inv(e), G.combine(*(F.inv(x) for F, x in zip(G.factors, parts))))
    assert G.label(G.combine(1, 2, 1)) == ("r", B.label(2), "r")
    assert G.element(("r^2", "s", "e")) == G.combine(2, 2, 0)
    assert G.identity == 0 and len(G.generators) == len(A.generators) + len(B.generators) + len(C.generators)
    with pytest.raises(ValueError, match="combine takes 3 factor indices, got 2"):
        G.combine(0, 0)
    with pytest.raises(ValueError, match="parts\\[1\\] must hold element indices in 0..3"):
        G.combine(0, 4, 0)


def test_direct_product_operator_and_names():
    G = gm.direct_product(gm.cyclic(4), gm.cyclic(2))
    assert isinstance(G, gm.groups.DirectProduct) and G.name == "C4xC2"
    H = gm.direct_product(gm.direct_product(gm.cyclic(2), gm.cyclic(3)), gm.symmetric(3))
    assert H.name == "(C2xC3)xS3" and not H.structured
    assert gm.direct_product(gm.cyclic(5)).order == 5
    with pytest.raises(ValueError, match="at least one group"):
        gm.direct_product()
    with pytest.raises(TypeError, match="groups\\[1\\] must be a FiniteGroup, got int"):
        gm.direct_product(gm.cyclic(2), 3)


def test_semidirect_product_multiplication_rule():
    N, H = gm.cyclic(7), gm.cyclic(3)
    phi = lambda n: (2 * n) % 7  # noqa: E731
    G = gm.semidirect_product(N, H, [phi])
    e = G.elements()
    n1, h1 = np.divmod(e[:, None], 3)
    n2, h2 = np.divmod(e[None, :], 3)
    # (n1, h1)(n2, h2) = (n1 + 2^h1 n2, h1 + h2)
    expected = ((n1 + (2 ** h1) * n2) % 7) * 3 + (h1 + h2) % 3
    assert np.array_equal(G.mul(e[:, None], e[None, :]), expected)
    assert G.automorphisms.shape == (3, 7)
    assert np.array_equal(G.automorphisms[2], (4 * np.arange(7)) % 7)
    assert G.label(G.element(("r^2", "r"))) == ("r^2", "r")
    assert G.name == "C7:C3"


def test_semidirect_product_images_as_arrays_match_callables():
    N = gm.direct_product(gm.cyclic(3), gm.cyclic(3))
    swap = N.combine(*reversed(N.components(N.elements())))       # (a, b) -> (b, a)
    G1 = gm.semidirect_product(N, gm.cyclic(2), [swap])
    G2 = gm.semidirect_product(N, gm.cyclic(2), [lambda n: N.combine(*reversed(N.components(n)))])
    assert np.array_equal(G1.cayley_table(), G2.cayley_table())
    assert G1.order == 18 and not G1.is_abelian


def test_semidirect_nonabelian_normal_subgroup_gives_SL23():
    """Q8 x| C3 with i -> j -> k -> i is SL(2, 3): 7 classes, centre of order 2."""
    Q = gm.quaternion()
    i, j, k = (Q.element(s) for s in ("i", "j", "k"))
    # the automorphism is determined by i -> j, j -> k; extend along words in i, j
    phi = np.full(8, -1)
    gens_img = {i: j, j: k}
    phi[Q.identity] = Q.identity
    frontier = [Q.identity]
    while frontier:
        nxt = []
        for g in frontier:
            for s, t in gens_img.items():
                h = Q.mul(g, s)
                if phi[h] < 0:
                    phi[h] = Q.mul(int(phi[g]), t)
                    nxt.append(h)
        frontier = nxt
    G = gm.semidirect_product(Q, gm.cyclic(3), [phi])
    assert G.order == 24 and len(G.conjugacy_classes()) == 7 and G.center().size == 2
    assert not G.is_isomorphic_candidate(gm.symmetric(4))
    assert not G.is_isomorphic_candidate(gm.direct_product(gm.cyclic(2), gm.alternating(4)))


def test_semidirect_with_noncyclic_acting_group():
    """C8 x| (C2 x C2) with the two generators acting by n -> 3n and n -> 5n (Aut(C8) = V4)."""
    G = gm.semidirect_product(gm.cyclic(8), gm.sign_group(2), [lambda n: (3 * n) % 8, lambda n: (5 * n) % 8])
    assert G.order == 32
    T = G.cayley_table().astype(np.int64)
    e = G.elements()
    assert np.array_equal(T[T[:, :, None], e], T[e[:, None, None], T[None]])


def test_semidirect_refuses_a_non_homomorphism():
    # n -> -n has order 2 but C3's generator has order 3: phi(r)^3 != id
    with pytest.raises(ValueError, match="action is not a homomorphism H -> Aut\\(N\\): phi\\(r\\^2 \\* r\\)"):
        gm.semidirect_product(gm.cyclic(5), gm.cyclic(3), [lambda n: (-n) % 5])
    # n -> 2n has order 4 in Aut(C5) but C2's generator has order 2
    with pytest.raises(ValueError, match="not a homomorphism"):
        gm.semidirect_product(gm.cyclic(5), gm.cyclic(2), [lambda n: (2 * n) % 5])
    # D3 = <r, s>: r -> x 2x on C7 (order 3) and s -> identity violates s r s = r^-1
    with pytest.raises(ValueError, match="not a homomorphism"):
        gm.semidirect_product(gm.cyclic(7), gm.dihedral(3), [lambda n: (2 * n) % 7, lambda n: n])


def test_semidirect_refuses_a_non_automorphism():
    with pytest.raises(ValueError, match="action\\[0\\] is not a bijection of N"):
        gm.semidirect_product(gm.cyclic(5), gm.cyclic(2), [lambda n: 0 * n])
    # a bijection of C4 that is not a homomorphism: swaps r and r^2
    with pytest.raises(ValueError, match="action\\[0\\] is not an automorphism of N: phi\\("):
        gm.semidirect_product(gm.cyclic(4), gm.cyclic(2), [[0, 2, 1, 3]])
    # a bijection of D3 that moves the identity
    with pytest.raises(ValueError, match="action\\[1\\] is not an automorphism"):
        gm.semidirect_product(gm.dihedral(3), gm.sign_group(2), [np.arange(6), [1, 0, 2, 3, 4, 5]])


@pytest.mark.parametrize("action, exc, match", [
    ([], ValueError, "one automorphism per generator of H \\(1\\), got 0"),
    ([[0, 1, 2]], ValueError, "action\\[0\\] must map all 4 elements of N"),
    ([[1]], ValueError, "action\\[0\\] has one entry per generator of N"),
    ([[0, 1, 2, 4]], ValueError, "action\\[0\\] must hold element indices in 0..3"),
    ([[0.0, 1.0, 2.0, 3.0]], TypeError, "action\\[0\\] must hold integer"),
    (lambda n: n, TypeError, "action must be a sequence"),
])
def test_semidirect_refuses_malformed_actions(action, exc, match):
    with pytest.raises(exc, match=match):
        gm.semidirect_product(gm.cyclic(4), gm.cyclic(2), action)


def test_semidirect_refuses_non_groups():
    with pytest.raises(TypeError, match="N must be a FiniteGroup, got int"):
        gm.semidirect_product(4, gm.cyclic(2), [[0]])
    with pytest.raises(TypeError, match="H must be a FiniteGroup, got str"):
        gm.semidirect_product(gm.cyclic(4), "C2", [[0]])


def test_semidirect_large_extension_is_vectorised():
    N, H = gm.cyclic(2**12), gm.cyclic(2**10)
    G = gm.semidirect_product(N, H, [lambda n: (5 * n) % 2**12])     # 5 has order 2^10 mod 2^12
    assert G.order == 2**22
    h = np.arange(0, 2**10, 97)
    assert np.array_equal(G.automorphisms[h, 1], [pow(5, int(k), 2**12) for k in h])
    a = np.array([12345, 999_999, 2**22 - 1])
    assert np.all(G.mul(a, G.inv(a)) == G.identity)


def test_product_classes_check_their_arguments():
    with pytest.raises(ValueError, match="factors must hold at least one group"):
        gm.groups.DirectProduct([])
    with pytest.raises(TypeError, match="factors\\[1\\] must be a FiniteGroup, got int"):
        gm.groups.DirectProduct([gm.cyclic(2), 3])
    N, H = gm.cyclic(3), gm.cyclic(2)
    with pytest.raises(ValueError, match="auts must be an integer array of shape \\(\\|H\\|, \\|N\\|\\) = \\(2, 3\\)"):
        gm.groups.SemidirectProduct(N, H, np.array([[0, 1, 2]]))
    with pytest.raises(TypeError, match="H must be a FiniteGroup"):
        gm.groups.SemidirectProduct(N, "C2", np.array([[0, 1, 2], [0, 2, 1]]))


def test_semidirect_automorphisms_are_read_only_copies():
    auts = np.array([[0, 1, 2], [0, 2, 1]])
    G = gm.groups.SemidirectProduct(gm.cyclic(3), gm.cyclic(2), auts)
    assert auts.flags.writeable and not G.automorphisms.flags.writeable
    auts[1] = [0, 1, 2]                                       # the caller's array is theirs
    assert not G.is_abelian
    with pytest.raises(ValueError, match="read-only"):
        G.automorphisms[1, 1] = 1
