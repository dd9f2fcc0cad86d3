"""Benchmark: permutation groups by generators (order, membership, orbits) against SymPy.

For each case it times, in one run and on fresh objects (no cache helps):

* groupmat: build the group, its exact ``order``, ``contains`` of a batch of permutations (half members,
  half not) and ``orbits()``;
* SymPy: the same with ``sympy.combinatorics.PermutationGroup`` built from the same generators
  (``schreier_sims()``, ``order()``, ``contains`` of each permutation, ``orbits()``), and for ``S_n``
  and ``A_n`` also SymPy's named ``SymmetricGroup(n)``/``AlternatingGroup(n)`` (which know their
  order and may shortcut membership).

Cases: ``symmetric(n)`` and ``alternating(n)`` (closed forms; SymPy only up to degree 50, where it
already takes tens of seconds); the same groups ``from_permutations`` of their generators (recognised
as ``S_n``/``A_n`` by Jordan's theorem from a random element, then closed forms); the stabiliser chain
alone of the generators of ``S_n`` ("chain only": randomised Schreier-Sims and the deterministic test);
and wreath products ``S_k wr C_m`` on ``k m`` points (Schreier-Sims). The answers (orders and memberships) are checked equal to SymPy's.
Ratios are SymPy time / groupmat time; ``-`` = not run at this size (too slow); nothing is extrapolated.

A second table times the conjugacy classes of groups given by generic generators with the recognition of
``S_n``/``A_n`` switched off (``from_permutations(..., recognize=False)``: the stabiliser chain and the
generic algorithm, no cycle-type formula): groupmat's classes (orbits of conjugation on the group listed
from its chain, ranked by sorting) against, in the same run, the previous generic route (orbits of
``x -> s^-1 x s`` computed with ``G.mul``, ``FiniteGroup._compute_classes``) and SymPy's
``conjugacy_classes()`` where they finish in reasonable time; the classes are checked equal (sizes, and
the cycle-type classes of ``S_n``). The last row adds the character table by Dixon-Schneider
(``character_table(G, method="dixon_schneider")``) on those classes. GAP, where it is installed, is
measured in the same run by ``bench_perm_classes.py`` (classes from generators, without listing) and
``bench_characters.py`` (character tables of the same generic ``S_n``).

Usage: ``python benchmarks/bench_perm_groups.py [--quick]``.
"""
from __future__ import annotations

import argparse
import math
import os
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import groupmat as gm  # noqa: E402
from _report import fmt_time  # noqa: E402

#: Permutations tested for membership per case.
BATCH = 64


def timed(func):
    """``(seconds, result)`` of one call (these are seconds-long operations: one run each)."""
    t0 = time.perf_counter()
    out = func()
    return time.perf_counter() - t0, out


def symmetric_gens(d):
    return [np.r_[1, 0, 2:d], np.roll(np.arange(d), -1)]


def alternating_gens(d):
    # (0 1 2) and an (d-1)- or d-cycle that is even: the standard pair generating A_d (d >= 3)
    c = np.roll(np.arange(d), -1) if d % 2 else np.r_[0, np.roll(np.arange(1, d), -1)]
    return [np.r_[1, 2, 0, 3:d], c]


def wreath_gens(k, m):
    d = k * m
    swap, cyc = np.arange(d), np.arange(d)
    swap[[0, 1]] = [1, 0]
    cyc[:k] = np.roll(np.arange(k), -1)
    return [swap, cyc, (np.arange(d) + k) % d]


def probes(gens, d, rng):
    """Half random members (random words in the generators), half random permutations of ``d`` points."""
    members = []
    for _ in range(BATCH // 2):
        p = np.arange(d)
        for i in rng.integers(0, len(gens), 30):
            p = gens[i][p]
        members.append(p)
    return np.array(members + [rng.permutation(d) for _ in range(BATCH - BATCH // 2)])


class ChainOnly:
    """The stabiliser chain alone (Schreier-Sims, no recognition of S_n/A_n), with the same three answers."""

    def __init__(self, gens):
        from groupmat.groups.schreier_sims import stabilizer_chain

        self.gens = np.array(gens)
        self.chain = stabilizer_chain(self.gens)
        self.order = self.chain.order

    def contains(self, perms):
        return self.chain.contains(perms)

    def orbits(self):
        from scipy.sparse import coo_matrix
        from scipy.sparse.csgraph import connected_components

        k, d = self.gens.shape
        graph = coo_matrix((np.ones(k * d), (np.tile(np.arange(d), k), self.gens.ravel())), shape=(d, d))
        return range(connected_components(graph, directed=True, connection="weak")[0])


def run_groupmat(make, tests):
    def work():
        G = make()
        return G.order, G.contains(tests).tolist(), len(G.orbits())
    return timed(work)


def run_sympy(make, tests):
    from sympy.combinatorics import Permutation

    def work():
        P = make()
        P.schreier_sims()
        return P.order(), [bool(P.contains(Permutation(t.tolist()))) for t in tests], len(P.orbits())
    return timed(work)


def sympy_from(gens):
    from sympy.combinatorics import Permutation, PermutationGroup

    return lambda: PermutationGroup([Permutation(g.tolist()) for g in gens])


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small sizes only (a few seconds)")
    args = parser.parse_args(argv)
    from sympy.combinatorics.named_groups import AlternatingGroup, SymmetricGroup

    if args.quick:
        named, general, wreaths, sympy_named_max = [16], [12], [(2, 8)], 16
    else:
        named, general, wreaths, sympy_named_max = [50, 100, 300], [30, 50], [(2, 25), (5, 10), (3, 20), (2, 50),
                                                                             (4, 25)], 50
    rng = np.random.default_rng(0)
    cases = []
    for n in named:
        for fam, gm_make, sp_named, gens in (("S", gm.symmetric, SymmetricGroup, symmetric_gens(n)),
                                             ("A", gm.alternating, AlternatingGroup, alternating_gens(n))):
            cases.append((f"{fam}{n} (closed form)", n, (lambda f=gm_make, n=n: f(n)), gens,
                          [("named", lambda s=sp_named, n=n: s(n)), ("gens", sympy_from(gens))]
                          if n <= sympy_named_max else []))
    for n in general:
        for fam, gens in (("S", symmetric_gens(n)), ("A", alternating_gens(n))):
            cases.append((f"{fam}{n} by generators", n, (lambda g=gens: gm.from_permutations(g)), gens,
                          [("gens", sympy_from(gens))]))
    for n in general:
        gens = symmetric_gens(n)
        cases.append((f"S{n} chain only", n, (lambda g=gens: ChainOnly(g)), gens, [("gens", sympy_from(gens))]))
    for k, m in wreaths:
        gens = wreath_gens(k, m)
        cases.append((f"S{k} wr C{m}", k * m, (lambda g=gens: gm.from_permutations(g)), gens,
                      [("gens", sympy_from(gens))]))

    # warm up (first imports of SciPy's graph routines and SymPy's combinatorics are not timed)
    warm = alternating_gens(8)
    run_groupmat(lambda: gm.alternating(8), probes(warm, 8, rng))
    run_groupmat(lambda: gm.from_permutations(wreath_gens(2, 4)), probes(wreath_gens(2, 4), 8, rng))
    run_sympy(sympy_from(warm), probes(warm, 8, rng))
    print("bench_perm_groups: build + order + contains of", BATCH, "permutations + orbits, one run each")
    if hasattr(os, "getloadavg"):
        print(f"machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f} (timings inflate under load)")
    print("ratio = SymPy time / groupmat time for the same answers; 'named' = SymPy's SymmetricGroup/"
          "AlternatingGroup, 'gens' = SymPy's PermutationGroup of the same generators")
    header = f"{'case':<22} {'degree':>6} {'order':>12} {'groupmat':>10} {'sympy named':>12} {'ratio':>8} " \
             f"{'sympy gens':>11} {'ratio':>8}"
    print(header)
    print("-" * len(header))
    for label, d, make, gens, baselines in cases:
        tests = probes(gens, d, rng)
        t_ours, (order, inside, norbits) = run_groupmat(make, tests)
        cells = {"named": (None, "-"), "gens": (None, "-")}
        for kind, sp_make in baselines:
            t_sp, (sp_order, sp_inside, sp_norbits) = run_sympy(sp_make, tests)
            assert sp_order == order, f"{label}: order {order} but SymPy says {sp_order}"
            assert sp_inside == inside, f"{label}: membership differs from SymPy's"
            assert sp_norbits == norbits, f"{label}: orbit count differs from SymPy's"
            cells[kind] = (t_sp, f"{t_sp / t_ours:,.1f}x")
        text = str(order)
        order_text = text if len(text) <= 12 else f"{text[0]}.{text[1:3]}e+{len(text) - 1}"
        print(f"{label:<22} {d:>6} {order_text:>12} {fmt_time(t_ours):>10} "
              f"{fmt_time(cells['named'][0]):>12} {cells['named'][1]:>8} "
              f"{fmt_time(cells['gens'][0]):>11} {cells['gens'][1]:>8}", flush=True)
    # an order far beyond int64, exact and immediate
    t, S = timed(lambda: gm.symmetric(1000))
    assert S.order == math.factorial(1000)
    print(f"symmetric(1000): exact order with {len(str(S.order))} digits, built in {fmt_time(t)}")
    classes_table(args.quick)
    return 0


def generic_symmetric_gens(n, seed=0):
    """The generators ``(0 1 ... n-1)`` and ``(0 1)`` conjugated by a random permutation, the second
    replaced by the product of both (still generating ``S_n``, nothing standard left)."""
    rng = np.random.default_rng(seed)
    pi = rng.permutation(n)
    pinv = np.argsort(pi)
    a, b = (pi[g[pinv]] for g in (np.roll(np.arange(n), 1), np.r_[1, 0, 2:n]))
    return [a, b[a]]


def classes_table(quick: bool) -> None:
    """Conjugacy classes from generic generators, recognition off; previous route and SymPy as baselines."""
    from groupmat.groups.core import FiniteGroup
    from groupmat.reps.characters import character_table

    degrees = [6, 7] if quick else [7, 8, 9, 10]
    old_max, sympy_max = (7, 6) if quick else (9, 7)
    cases = [(f"S{n} generic gens", n, generic_symmetric_gens(n), True) for n in degrees]
    if not quick:
        cases.append(("S4 wr C3", 12, wreath_gens(4, 3), False))
    print()
    print("conjugacy classes from generators, recognition of S_n/A_n off (from_permutations(..., recognize=False))")
    print("ratio = baseline time / groupmat time; 'previous' = orbits of conjugation computed with G.mul "
          "(the generic route before), 'sympy' = PermutationGroup.conjugacy_classes()")
    header = f"{'case':<20} {'order':>10} {'classes':>7} {'groupmat':>10} {'previous':>10} {'ratio':>8} " \
             f"{'sympy':>10} {'ratio':>8}"
    print(header)
    print("-" * len(header))
    warm = gm.from_permutations(generic_symmetric_gens(5), recognize=False)                   # warm up
    warm.conjugacy_classes()
    FiniteGroup._compute_classes(warm)
    for label, d, gens, giant in cases:
        G = gm.from_permutations(gens, recognize=False)        # the chain: not timed (the same for both)
        t_ours, _ = timed(G.conjugacy_classes)
        sizes = sorted(G.class_sizes().tolist())
        assert sum(sizes) == G.order
        if giant:
            assert sizes == sorted(gm.symmetric(d).class_sizes().tolist()), f"{label}: class sizes differ"
        prev, sp = ("-", "-"), ("-", "-")
        if G.order <= math.factorial(old_max):
            H = gm.from_permutations(gens, recognize=False)
            t_old, (_, _, class_of) = timed(lambda: FiniteGroup._compute_classes(H))
            assert np.array_equal(class_of, G.class_of()), f"{label}: classes differ from the previous route"
            prev = (fmt_time(t_old), f"{t_old / t_ours:,.1f}x")
        if G.order <= math.factorial(sympy_max):
            t_sp, sp_classes = timed(lambda: sympy_from(gens)().conjugacy_classes())
            assert sorted(len(c) for c in sp_classes) == sizes, f"{label}: class sizes differ from SymPy's"
            sp = (fmt_time(t_sp), f"{t_sp / t_ours:,.1f}x")
        print(f"{label:<20} {G.order:>10} {len(sizes):>7} {fmt_time(t_ours):>10} {prev[0]:>10} {prev[1]:>8} "
              f"{sp[0]:>10} {sp[1]:>8}", flush=True)
    n = degrees[-1]
    gens = generic_symmetric_gens(n)

    def classes_and_table():
        G = _classes(gens)
        return G, character_table(G, method="dixon_schneider")

    t_total, (G, T) = timed(classes_and_table)                 # everything from the generators
    F = character_table(gm.symmetric(n))
    assert sorted(map(tuple, np.rint(T.values.real).astype(int).tolist())) == \
        sorted(map(tuple, np.rint(F.values.real).astype(int).tolist())), "the table differs from Murnaghan-Nakayama"
    print(f"S{n} generic gens: classes + Dixon-Schneider character table ({T.values.shape[0]} x "
          f"{T.values.shape[1]}, equal to Murnaghan-Nakayama's) in {fmt_time(t_total)}")
    if n == 10:
        print("GAP on the same group: see bench_characters.py (the table) and bench_perm_classes.py (the classes)")


def _classes(gens):
    G = gm.from_permutations(gens, recognize=False)
    G.conjugacy_classes()
    return G


if __name__ == "__main__":
    sys.exit(main())
