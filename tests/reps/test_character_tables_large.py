"""Character tables of large groups: Murnaghan-Nakayama for S_n, its restriction to A_n (no class
listed), and the Dixon-Schneider algorithm (exact, modulo a prime) against Burnside's and GAP's tables."""
from __future__ import annotations

import itertools
import math

import numpy as np
import pytest
import sympy
from hypothesis import given, settings
from hypothesis import strategies as st
from strategies import gap_character_values, gap_group, gap_groups

import groupmat as gm
from groupmat._validation import TooLargeError
from groupmat.reps.characters import (alternating_character_table, character_table, class_structure,
                                      symmetric_character_table)
from groupmat.reps.dixon_schneider import choose_prime, modular_characters
from groupmat.reps.families import _standard_tableaux
from groupmat.reps.symmetric_characters import (cycle_type_classes, hook_length_degrees, murnaghan_nakayama_table,
                                                partition_count, partitions)


def _row_key(V):
    return sorted(map(tuple, np.round(np.concatenate([V.real, V.imag], axis=1), 8).tolist()))


# ------------------------------------------------------------------------ the enumerated groups agree
@pytest.mark.parametrize("n", range(1, 8))
@pytest.mark.parametrize("family", ["symmetric", "alternating"])
def test_formula_tables_equal_burnside_and_class_order(family, n):
    """Columns are the group's classes in its order; values equal Burnside's on the listed classes
    (A_n in Burnside's row order too, S_n in Young's order: trivial first, sign last)."""
    G = getattr(gm, family)(n)
    T = character_table(G)
    B = character_table(G, method="burnside")
    classes = G.conjugacy_classes()
    assert T.representatives.tolist() == [int(c[0]) for c in classes]
    assert T.class_sizes.tolist() == [c.size for c in classes]
    assert all(np.array_equal(a, b) for a, b in zip(T.classes, classes))
    assert T.element_orders.tolist() == np.atleast_1d(G.element_order([int(c[0]) for c in classes])).tolist()
    assert _row_key(T.values) == _row_key(B.values)
    if family == "alternating" or n <= 2:
        np.testing.assert_allclose(T.values, B.values, atol=1e-9)
    if family == "symmetric" and n >= 3:          # S_1, S_2 are abelian: the FFT route
        assert np.all(T.values[0] == 1)
        sign = np.array([(-1) ** (n - len(mu)) for mu in T.cycle_types])
        assert np.array_equal(T.values[-1].real, sign)
    assert T.frobenius_schur.tolist() == B.frobenius_schur.tolist()
    # exact values equal the numeric ones, and the labels are the group's
    ev = np.array(T.exact_values.tolist(), dtype=complex)
    np.testing.assert_allclose(ev, T.values, atol=1e-12)
    assert T._class_names() == [G.label(int(c[0])) for c in classes]


@pytest.mark.parametrize("n", [3, 4, 5])
def test_symmetric_rows_are_the_characters_of_youngs_irreps(n):
    """Row k of the table is the trace of irreps(S_n)[k] (Young's orthogonal form), on every element."""
    G = gm.symmetric(n)
    T = character_table(G)
    for k, rho in enumerate(gm.irreps(G)):
        chi = np.trace(np.asarray(rho.numeric().matrices), axis1=1, axis2=2)
        np.testing.assert_allclose(T.character(k), chi, atol=1e-9)


def test_power_maps_match_the_group():
    for G, alt in ((gm.symmetric(6), False), (gm.alternating(7), True)):
        C = cycle_type_classes(G.degree, alternating=alt)
        cls = G.class_of()
        reps = G.index_of(C.permutations)
        for k in range(C.r):
            m = int(C.orders[k])
            t = np.arange(2 * m)
            powers = cls[G.power_array(np.full(t.size, reps[k]), t)]
            assert powers.tolist() == C.power_class(np.full(t.size, k), t).tolist(), (G.name, k)


# ----------------------------------------------------------------------------------------- GAP data
def _gap_table(entry):
    """GAP's characters on its classes, with class sizes and element orders."""
    G = gm.from_cayley_table(entry["table"])
    chars = gap_character_values(entry)
    cls = np.asarray(entry["classes"])
    firsts = np.array([np.flatnonzero(cls == c)[0] for c in np.unique(cls)])
    sizes = np.array([np.count_nonzero(cls == c) for c in np.unique(cls)])
    orders = np.atleast_1d(G.element_order(firsts))
    return chars[:, firsts], sizes, orders


def _same_table_up_to_order(V, sizes, orders, W, wsizes, worders):
    """Some column permutation keeping (size, order) and some row permutation carry V to W."""
    keys = list(zip(sizes.tolist(), orders.tolist()))
    wkeys = list(zip(wsizes.tolist(), worders.tolist()))
    assert sorted(keys) == sorted(wkeys)
    groups = {}
    for j, key in enumerate(wkeys):
        groups.setdefault(key, []).append(j)
    mine = {key: [j for j, k2 in enumerate(keys) if k2 == key] for key in groups}
    choices = [list(itertools.permutations(mine[key])) for key in groups]
    for combo in itertools.product(*choices):
        perm = np.empty(len(keys), dtype=int)
        for key, cols in zip(groups, combo):
            perm[groups[key]] = cols
        if _row_key(V[:, perm]) == _row_key(W):
            return True
    return False


def test_a6_and_s4xc2_match_gap():
    V, s, o = _gap_table(gap_group("A6"))
    T = alternating_character_table(6)
    assert _same_table_up_to_order(T.values, T.class_sizes, T.element_orders, V, s, o)
    V, s, o = _gap_table(gap_group("S4xC2"))
    T = character_table(gm.direct_product(gm.symmetric(4), gm.cyclic(2)))
    assert _same_table_up_to_order(T.values, T.class_sizes, T.element_orders, V, s, o)


def test_a6_gap_check_can_fail():
    """The comparison sees one wrong value (a guard for the test above)."""
    V, s, o = _gap_table(gap_group("A6"))
    W = np.array(alternating_character_table(6).values)
    W[3, 2] += 1
    T = alternating_character_table(6)
    assert not _same_table_up_to_order(W, T.class_sizes, T.element_orders, V, s, o)


@pytest.mark.parametrize("entry", gap_groups(), ids=lambda d: d["name"])
def test_dixon_schneider_matches_gap_and_burnside(entry):
    G = gm.from_cayley_table(entry["table"])
    D = character_table(G, method="dixon_schneider")
    B = character_table(G, method="burnside")
    assert D.exact and len(D) == entry["nclasses"]
    assert _row_key(D.values) == _row_key(B.values)
    np.testing.assert_allclose(D.values, B.values, atol=1e-9)          # the same row order as well
    ref = gap_character_values(entry)
    assert _row_key(D.characters()) == _row_key(ref)
    # the exact values are the numeric ones
    ev = np.array([[complex(sympy.N(v)) for v in row] for row in D.exact_values], dtype=complex)
    np.testing.assert_allclose(ev, D.values, atol=1e-12)


def test_dixon_schneider_uses_small_classes_only():
    """On S_6 given by permutations alone, two class matrices (of the 15 transpositions, then the
    next class) separate all 11 characters: far fewer products than |G| r."""
    P = gm.from_permutations([[1, 0, 2, 3, 4, 5], [1, 2, 3, 4, 5, 0]])
    cs = class_structure(P)
    values, mults, info = modular_characters(P, cs)
    assert info["products"] < P.order * cs.r / 10
    assert info["prime"] % int(np.lcm.reduce(cs.orders)) == 1 and info["prime"] ** 2 > 4 * P.order
    S = character_table(gm.symmetric(6))
    assert _row_key(values) == _row_key(S.values)


# ----------------------------------------------------------------------- large S_n and A_n by formula
def _gram_is(V, sizes, target, bound):
    """``(V * sizes) @ V.T == target`` exactly, checked modulo primes whose product exceeds 2 bound."""
    primes, M = [], 1
    q = 2**20
    while M <= 2 * bound:
        q -= 1
        if sympy.isprime(q):
            primes.append(q)
            M *= q
    for p in primes:
        Vp = np.asarray(V % p, dtype=np.int64)
        sp = np.array([int(c) % p for c in sizes], dtype=np.int64)
        # residues < 2^20: products < 2^40, sums of <= 2^12 terms < 2^52, exact in float64 (BLAS)
        G = np.rint(((Vp * sp[None, :]) % p).astype(float) @ Vp.T.astype(float)).astype(np.int64) % p
        if not np.array_equal(G, np.asarray(target % p, dtype=np.int64)):
            return False
    return True


@pytest.mark.parametrize("n", [12, 20])
def test_large_symmetric_orthogonality_exact(n):
    T = symmetric_character_table(n)
    V = T.integer_values
    r = partition_count(n)
    assert V.shape == (r, r) and V.dtype == np.int64 and T.group is None
    order = math.factorial(n)
    assert sum(int(s) for s in T.class_sizes) == order and T.order == order
    bound = order * int(np.abs(V).max()) ** 2
    # rows: sum_c |C_c| chi_i chi_j = n! delta_ij; columns: sum_i chi_i(c) chi_i(d) = n!/|C_c| delta_cd
    assert _gram_is(V, T.class_sizes, np.eye(r, dtype=np.int64) * order, bound)
    assert _gram_is(V.T, np.ones(r, dtype=np.int64), np.diag([order // int(s) for s in T.class_sizes]), bound)
    bad = V.copy()
    bad[r // 2, r // 3] += 1
    assert not _gram_is(bad, T.class_sizes, np.eye(r, dtype=np.int64) * order, bound)
    assert T.degrees.tolist() == hook_length_degrees(n).tolist()
    assert T.frobenius_schur.tolist() == [1] * r


def test_large_symmetric_known_characters():
    """chi^(n-1,1) = fix - 1, chi^(n-2,2) = fix(fix-3)/2 + #2-cycles, chi^(n-2,1,1) = (fix-1)(fix-2)/2
    - #2-cycles, chi^(1^n) = sign, on every cycle type of S_20."""
    n = 20
    T = symmetric_character_table(n)
    rows = {lam: i for i, lam in enumerate(partitions(n))}
    fix = np.array([mu.count(1) for mu in T.cycle_types])
    two = np.array([mu.count(2) for mu in T.cycle_types])
    V = T.integer_values
    assert np.array_equal(V[rows[(n - 1, 1)]], fix - 1)
    assert np.array_equal(V[rows[(n - 2, 2)]], fix * (fix - 3) // 2 + two)
    assert np.array_equal(V[rows[(n - 2, 1, 1)]], (fix - 1) * (fix - 2) // 2 - two)
    assert np.array_equal(V[rows[(1,) * n]], [(-1) ** (n - len(mu)) for mu in T.cycle_types])
    sizes = [math.factorial(n) // math.prod(k ** mu.count(k) * math.factorial(mu.count(k)) for k in set(mu))
             for mu in T.cycle_types]
    assert T.class_sizes.tolist() == sizes


@pytest.mark.parametrize("n", range(1, 9))
def test_degrees_count_standard_tableaux(n):
    """Hook length formula = the number of standard Young tableaux (listed), and = the table's degrees."""
    counts = [len(_standard_tableaux(lam)) for lam in partitions(n)]
    assert hook_length_degrees(n).tolist() == counts
    assert murnaghan_nakayama_table(n)[:, -1].tolist() == counts     # column (1^n): the identity


@settings(max_examples=15, deadline=None)
@given(st.integers(2, 14), st.booleans())
def test_orthogonality_random_degrees(n, alternating):
    T = alternating_character_table(n) if alternating else symmetric_character_table(n)
    order = math.factorial(n) // (2 if alternating else 1)
    V = T.values
    sizes = T.class_sizes.astype(float)
    np.testing.assert_allclose((V * sizes) @ V.conj().T / order, np.eye(len(T)), atol=1e-9)
    np.testing.assert_allclose(V.conj().T @ V * sizes[None, :] / order, np.eye(len(T)), atol=1e-9)
    assert sum(int(d) ** 2 for d in T.degrees) == order
    assert len(T) == T.values.shape[1] and T.degrees[0] == 1 and np.allclose(V[0], 1)


def test_alternating_split_values_exact():
    """(eps +- sqrt(eps prod h)) / 2 on the split classes: (1 +- sqrt 5)/2 on A5's 5-cycles,
    (-1 +- sqrt(-7))/2 on A7's 7-cycles, and the exact orthogonality of A_7."""
    from groupmat.verify.theorems_characters import check_exact_orthogonality

    T = alternating_character_table(5)
    cols = [c for c, mu in enumerate(T.cycle_types) if mu == (5,)]
    vals = {sympy.nsimplify(T.exact_values[i, cols[0]]) for i in range(len(T))}
    assert {(1 + sympy.sqrt(5)) / 2, (1 - sympy.sqrt(5)) / 2} <= vals
    T = alternating_character_table(7)
    cols = [c for c, mu in enumerate(T.cycle_types) if mu == (7,)]
    got = {sympy.expand(T.exact_values[i, c]) for i in range(len(T)) for c in cols}
    assert {sympy.expand((-1 + sympy.sqrt(-7)) / 2), sympy.expand((-1 - sympy.sqrt(-7)) / 2)} <= got
    check_exact_orthogonality(T, 2520)
    assert sorted(T.frobenius_schur.tolist()).count(0) == 2          # the complex pair of degree 10
    B = character_table(gm.alternating(7), method="burnside")
    assert T.frobenius_schur.tolist() == B.frobenius_schur.tolist()


def test_exact_values_of_integer_tables_are_integers():
    ev = character_table(gm.symmetric(7)).exact_values
    assert all(isinstance(v, sympy.Integer) for v in ev.flat)
    ev = character_table(gm.symmetric(4), method="dixon_schneider").exact_values
    assert all(isinstance(v, sympy.Integer) for v in ev.flat)
    T = character_table(gm.symmetric(5), method="burnside")
    assert T.integer_values is not None and np.array_equal(T.integer_values, np.rint(T.values.real))
    assert character_table(gm.alternating(5)).integer_values is None


def test_printing_without_a_group():
    T = symmetric_character_table(4)
    text = str(T)
    assert text.startswith("Character table of S4 (order 24)") and "(0 1 2 3)" in text
    assert "S4" in repr(T)
    assert str(character_table(gm.symmetric(4))).splitlines()[1:] == text.splitlines()[1:]


# --------------------------------------------------------------------------------------- bad input
def test_bad_input():
    with pytest.raises(ValueError, match="n"):
        symmetric_character_table(0)
    with pytest.raises(TypeError, match="n"):
        symmetric_character_table(2.5)
    with pytest.raises(TypeError, match="n"):
        alternating_character_table("5")
    with pytest.raises(ValueError, match="method"):
        character_table(gm.symmetric(3), method="gap")
    with pytest.raises(TypeError, match="alternating"):
        cycle_type_classes(4, alternating="yes")
    with pytest.raises(ValueError, match="cycle_type"):
        cycle_type_classes(5, alternating=True).index((2, 1, 1, 1))
    with pytest.raises(ValueError, match="cycle type only"):
        symmetric_character_table(5).classes
    with pytest.raises(ValueError, match="cycle type only"):
        symmetric_character_table(5).character(0)
    with pytest.raises(TooLargeError, match="S60"):
        symmetric_character_table(60)
    G = gm.symmetric(4)
    with pytest.raises(ValueError, match="prime"):
        modular_characters(G, class_structure(G), prime=101)          # not 1 mod 12
    with pytest.raises(TypeError, match="prime"):
        modular_characters(G, class_structure(G), prime=157.0)
    with pytest.raises(ValueError, match="2\\^26"):
        choose_prime(10**6, 2**25 + 2)


# ----------------------------------------------------------------- Young's orthogonal form, any n
def test_young_images_match_irreps_of_s5():
    from groupmat.reps.symmetric_characters import young_orthogonal_images

    G = gm.symmetric(5)
    inverse_perms = np.argsort(G.perms.astype(np.int64), axis=1)         # g -> Y(perm(g)^-1)
    for lam, rho in zip(partitions(5), gm.irreps(G)):
        np.testing.assert_allclose(young_orthogonal_images(lam, inverse_perms), np.asarray(rho.numeric().matrices),
                                   atol=1e-12)


def test_young_images_beyond_the_enumerated_range():
    """S_12 (never enumerated): a homomorphism for composition, orthogonal, traces = Murnaghan-Nakayama."""
    from groupmat.reps.symmetric_characters import young_orthogonal_images

    n = 12
    T = symmetric_character_table(n)
    rows = {lam: i for i, lam in enumerate(partitions(n))}
    rng = np.random.default_rng(1)
    a = np.array([rng.permutation(n) for _ in range(6)])
    b = np.array([rng.permutation(n) for _ in range(6)])
    ab = np.take_along_axis(a, b, axis=1)                                   # (a o b)(i) = a(b(i))
    for lam in [(10, 2), (10, 1, 1)]:
        Ya, Yb, Yab = (young_orthogonal_images(lam, x) for x in (a, b, ab))
        np.testing.assert_allclose(Yab, Ya @ Yb, atol=1e-12)
        np.testing.assert_allclose(Ya @ np.swapaxes(Ya, 1, 2), np.broadcast_to(np.eye(Ya.shape[1]), Ya.shape),
                                   atol=1e-12)
        Yc = young_orthogonal_images(lam, T.class_permutations)
        np.testing.assert_allclose(np.trace(Yc, axis1=1, axis2=2), T.integer_values[rows[lam]], atol=1e-9)


def test_young_images_bad_input():
    from groupmat.reps.symmetric_characters import young_orthogonal_images

    with pytest.raises(ValueError, match="shape"):
        young_orthogonal_images((1, 2), [[0, 1, 2]])
    with pytest.raises(ValueError, match="perms"):
        young_orthogonal_images((2, 1), [[0, 1]])
    with pytest.raises(ValueError, match="permutation"):
        young_orthogonal_images((2, 1), [[0, 0, 1]])


@pytest.mark.parametrize("family, n", [("symmetric", 12), ("alternating", 11), ("symmetric", 21)])
def test_formula_classes_agree_with_the_groups_class_api(family, n):
    """The table's columns are the group's classes by cycle type (groups by generators, not listed)."""
    G = getattr(gm, family)(n)
    if not hasattr(G, "class_permutations"):
        pytest.skip("the group has no class-representatives API")
    T = character_table(G)
    assert np.array_equal(T.class_permutations, G.class_permutations())
    assert [int(s) for s in T.class_sizes] == [int(s) for s in G.class_sizes()]
    assert [tuple(t) for t in T.cycle_types] == [tuple(t) for t in G.class_cycle_types()]
    if T.representatives is not None:
        assert T.representatives.tolist() == G.class_representatives().tolist()
    assert sum(int(s) for s in T.class_sizes) == G.order


def test_auto_route_takes_dixon_schneider_for_large_groups_outside_the_families():
    from groupmat import routing
    from groupmat.reps.characters import _route

    gens = [[1, 2, 3, 4, 5, 6, 7, 0], [1, 0, 2, 3, 4, 5, 6, 7]]
    G = gm.from_permutations(gens, recognize=False)          # S_8 as a generic group: no cycle-type formula
    assert G.order >= routing.DIXON_SCHNEIDER_ROUTE_MIN_ORDER and _route(G) == "dixon_schneider"
    small = gm.from_permutations([gens[0], [0, 7, 6, 5, 4, 3, 2, 1]], recognize=False)    # D_8 on the octagon
    assert small.order < routing.DIXON_SCHNEIDER_ROUTE_MIN_ORDER and _route(small) == "burnside"
    T = gm.character_table(G)
    B = gm.character_table(G, method="burnside")
    np.testing.assert_allclose(T.values, B.values, atol=1e-9)     # the same rows, in the same order
    S = gm.character_table(gm.symmetric(8))                       # Murnaghan-Nakayama, Young's row order
    assert sorted(np.round(T.values.real).astype(int).tolist()) == sorted(
        np.round(S.values.real).astype(int)[:, [S.representatives.tolist().index(r) for r in T.representatives]].tolist())
