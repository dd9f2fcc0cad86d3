"""Character tables of permutation groups too large to list: Dixon-Schneider on the classes found from
generators (:class:`groupmat.reps.characters._GeneratorClasses`), checked against independent computations:

* ``S_12`` by two generic generators (479001600 elements: the listing is refused by the budget) against the
  Murnaghan-Nakayama table of ``symmetric(12)`` (columns matched by cycle type), and exact orthogonality;
* ``A_7`` by generic generators (route forced) against the formula table of ``alternating(7)`` (the split
  classes matched by ``class_index`` of the formula table's class permutations; ``A_9`` agrees too but takes
  about 47 s: its conjugate characters are told apart only by the class matrices of its large split classes);
* ``M_11`` and ``PSL(2,7)`` on 8 points (route forced) against the table of the listed group (Burnside or
  Dixon-Schneider on listed classes), columns matched by ``class_index``;
* the elements of a class enumerated as permutations against brute force (conjugates by every element).
"""
from __future__ import annotations

import math
from collections import Counter

import numpy as np
import pytest

import groupmat as gm
import groupmat.reps.characters as ch
from groupmat._validation import TooLargeError
from groupmat.groups.schreier_sims import compose, invert
from perm_generators import generic_alternating, generic_symmetric, mathieu11, psl27_on_8


# ---------------------------------------------------------------------- groups
def refused():
    raise TooLargeError("the conjugacy classes would take too much (forced by the test)")


def unlisted(gens):
    """The group of ``gens`` with its listing refused, as by the memory budget."""
    G = gm.from_permutations(gens, recognize=False)
    G._class_data = refused
    return G


def same_rows(A, B, tol=1e-8):
    """Whether the rows of ``A`` are those of ``B`` up to order (a matching, each row used once)."""
    if A.shape != B.shape:
        return False
    used = np.zeros(B.shape[0], dtype=bool)
    for a in A:
        hit = np.flatnonzero(~used & np.all(np.abs(B - a[None, :]) < tol, axis=1))
        if hit.size == 0:
            return False
        used[hit[0]] = True
    return True


@pytest.fixture(scope="module")
def s12():
    G = gm.from_permutations(generic_symmetric(12), recognize=False)
    return G, gm.character_table(G)


# ---------------------------------------------------------------------- S_12 by generic generators
def test_symmetric_12_by_generic_generators_equals_murnaghan_nakayama(s12):
    G, T = s12
    assert G.kind == "general" and G.order == math.factorial(12)
    assert ch._route(G) == "generators"
    with pytest.raises(TooLargeError):
        G.conjugacy_classes()                                  # the listing is refused by the budget
    ref = gm.character_table(gm.symmetric(12))                 # Murnaghan-Nakayama: an independent computation
    types = G.class_cycle_types()
    assert T.cycle_types == types and np.array_equal(T.class_permutations, G.class_permutations())
    col = [ref.cycle_types.index(t) for t in types]            # S_n classes are their cycle types
    assert sorted(col) == list(range(77))
    ours = T.integer_values
    assert ours is not None and T.exact
    assert sorted(map(tuple, ours.tolist())) == sorted(map(tuple, ref.integer_values[:, col].tolist()))
    assert np.array_equal(T.class_sizes, ref.class_sizes[col])
    assert np.array_equal(T.element_orders, ref.element_orders[col])
    assert ours[0].tolist() == [1] * 77                        # Burnside's order: the trivial character first
    assert (np.diff(T.degrees[1:]) >= 0).all()
    assert T.frobenius_schur.tolist() == [1] * 77


def test_symmetric_12_exact_orthogonality(s12):
    G, T = s12
    X = [[int(v) for v in row] for row in T.integer_values.tolist()]
    sizes = [int(s) for s in G.class_sizes().tolist()]
    n = math.factorial(12)
    assert sum(sizes) == n
    for i in range(len(X)):
        for j in range(i, len(X)):
            s = sum(c * a * b for c, a, b in zip(sizes, X[i], X[j]))        # real characters: conj is itself
            assert s == (n if i == j else 0), (i, j)
    # and the columns: sum_chi chi(g_k) chi(g_l) = |C_G(g_k)| delta_kl
    Xa = np.array(X, dtype=object)
    gram = Xa.T.dot(Xa)
    assert all(gram[k, l] == (n // sizes[k] if k == l else 0) for k in range(77) for l in range(77))


def test_the_table_is_memoised_and_refuses_element_lists(s12):
    G, T = s12
    assert gm.character_table(G) is T
    assert gm.character_table(G, method="dixon_schneider") is T          # the same generator route
    with pytest.raises(ValueError, match="representatives only"):
        T.classes
    with pytest.raises(ValueError, match="representatives only"):
        T.character(0)
    with pytest.raises(ValueError, match="read-only"):
        T.values[0, 0] = 0                     # read-only, like every kept table


# ---------------------------------------------------------------------- A_n: split classes
def test_alternating_7_by_generic_generators_equals_the_formula_table():
    gens = generic_alternating(7, seed=4)
    G = unlisted(gens)
    assert ch._route(G) == "generators"
    T = gm.character_table(G)
    A = gm.alternating(7)
    ref = gm.character_table(A)
    perms = G.class_permutations()
    col = A.class_index(perms)                                  # split classes by the closed form's halves
    assert sorted(col.tolist()) == list(range(9))
    assert Counter(T.cycle_types) == Counter(ref.cycle_types)
    assert np.array_equal(T.class_sizes, ref.class_sizes[col])
    assert same_rows(T.values, ref.values[:, col])
    irrational = ~np.isclose(T.values.imag, 0) | ~np.isclose(T.values.real, np.rint(T.values.real))
    assert irrational.any()                                     # the split classes 7A, 7B: (-1 +- sqrt(-7)) / 2
    # the exact values (sums of roots of unity) evaluate to the formula's exact values ((eps +- sqrt(q)) / 2)
    E, R = T.exact_values, ref.exact_values
    rows = [next(j for j in range(9) if np.allclose(T.values[i], ref.values[j, col])) for i in range(9)]
    assert all(abs(complex(E[i, c].evalf(30)) - complex(R[rows[i], col[c]].evalf(30))) < 1e-20
               for i in range(9) for c in range(9))


# ---------------------------------------------------------------------- other groups, route forced
@pytest.mark.parametrize("gens", [mathieu11(), psl27_on_8()], ids=["M11", "PSL(2,7) on 8"])
def test_groups_from_generators_agree_with_their_listed_tables(gens):
    listed = gm.from_permutations(gens, recognize=False)
    ref = gm.character_table(listed)                            # Burnside / DS on the listed classes
    G = unlisted(gens)
    assert ch._route(G) == "generators"
    T = gm.character_table(G)
    col = listed.class_index(G.class_permutations())
    assert sorted(col.tolist()) == list(range(len(col)))
    assert np.array_equal(T.class_sizes, ref.class_sizes[col])
    assert np.array_equal(T.element_orders, ref.element_orders[col])
    assert same_rows(T.values, ref.values[:, col])
    assert T.degrees.tolist() == ref.degrees.tolist()          # both in Burnside's row order
    # orthogonality with the class sizes as Python integers
    sizes = [int(s) for s in T.class_sizes.tolist()]
    gram = (T.values * np.array(sizes, dtype=float)) @ T.values.conj().T
    assert np.allclose(gram, G.order * np.eye(len(sizes)))


# ---------------------------------------------------------------------- the pieces
def test_class_elements_and_product_classes_against_brute_force():
    gens = psl27_on_8()
    listed = gm.from_permutations(gens, recognize=False)
    P = listed.perms.astype(np.int64)                            # all 168 elements
    G = unlisted(gens)
    cs = ch._GeneratorClasses(G, G.classes_from_generators())
    classes_of_all = listed.class_index(P)
    ref_col = listed.class_index(cs.permutations)
    for i in range(cs.r):
        X = cs.class_elements(i)
        conj = compose(compose(invert(P), np.broadcast_to(cs.permutations[i], P.shape)), P)   # x^-1 g x
        assert sorted(map(tuple, X.tolist())) == sorted(set(map(tuple, conj.tolist())))
        # the class of x^-1 g_k for x in C_i, against the listed group's classes
        J = np.concatenate(list(cs.product_classes(i)))
        prods = compose(invert(X)[:, None, :], cs.permutations[None, :, :]).reshape(-1, 8)
        assert np.array_equal(ref_col[J.reshape(-1)], listed.class_index(prods))
    # power maps: the class of g_k^t against the listed classes
    for k in range(cs.r):
        g, cur = cs.permutations[k], np.arange(8)
        for t in range(int(cs.orders[k])):
            assert ref_col[cs.power_class(k, t)] == classes_of_all[listed.index_of(cur[None, :])[0]]
            cur = compose(cur, g)
        assert ref_col[cs.power_class(k, -1)] == listed.class_index(invert(g)[None, :])[0]


def test_a_class_over_the_budget_is_refused(monkeypatch):
    G = unlisted(mathieu11())
    cs = ch._GeneratorClasses(G, G.classes_from_generators())
    monkeypatch.setenv("GROUPMAT_MAX_BYTES", str(100 * 1024))
    with pytest.raises(TooLargeError, match="elements of conjugacy class"):
        cs.class_elements(int(np.argmax(cs.sizes)))
