"""Benchmark: conjugacy classes of permutation groups by random elements and backtrack search.

For each group, given by generators (generic ones for ``S_n``/``A_n``: the standard pair conjugated by a
random permutation, nothing for a recogniser to spot), it times in one run:

* groupmat: the stabiliser chain (:func:`~groupmat.groups.schreier_sims.stabilizer_chain`) and then
  :func:`~groupmat.groups.perm_conjugacy.random_classes` (random elements and their powers, conjugacy tests and
  centralisers by backtrack search over the relabelled chain); the ratios use the sum of both;
* (a) the listing route where the group fits: ``from_permutations(gens, recognize=False)`` and
  ``G.class_sizes()`` (the group listed from its chain, classes as orbits of conjugation), the chain built
  before the clock starts;
* (b) SymPy's ``PermutationGroup(gens).conjugacy_classes()`` in a subprocess with a timeout (a family is not
  tried at larger degrees once it timed out);
* (c) GAP, when the ``gap`` executable is on PATH: ``ConjugacyClasses(Group(gens))`` in a ``gap -q -b``
  session per group (:func:`_report.gap_run`), with ``SetIsNaturalSymmetricGroup(G, false)`` /
  ``SetIsNaturalAlternatingGroup(G, false)`` so that GAP's cycle-type shortcut for the natural
  ``S_n``/``A_n`` stays off; GAP's ``Runtime()`` (CPU milliseconds) around the call, so GAP's start-up
  is not counted. Skipped cleanly without GAP.

Every baseline's sorted class sizes are checked equal to groupmat's. Ratios are baseline time / groupmat
time measured in the same run; ``-`` = not run (does not fit, timed out, or absent); nothing is extrapolated.

Usage: ``python benchmarks/bench_perm_classes.py [--quick]``.
"""
from __future__ import annotations

import argparse
import json
import math
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import groupmat as gm  # noqa: E402
from _report import fmt_time, gap_permutation_group, gap_run  # noqa: E402
from groupmat.groups.perm_conjugacy import random_classes  # noqa: E402
from groupmat.groups.schreier_sims import stabilizer_chain  # noqa: E402


def timed(func):
    """``(seconds, result)`` of one call."""
    t0 = time.perf_counter()
    out = func()
    return time.perf_counter() - t0, out


def conjugated(gens, seed):
    rng = np.random.default_rng(seed)
    pi = rng.permutation(len(gens[0]))
    pinv = np.argsort(pi)
    return [pi[np.asarray(g)[pinv]] for g in gens]


def symmetric_gens(n, seed=0):
    a, b = conjugated([np.roll(np.arange(n), 1), np.r_[1, 0, 2:n]], seed)
    return [a, b[a]]


def alternating_gens(n, seed=0):
    c = np.roll(np.arange(n), 1) if n % 2 else np.r_[0, np.roll(np.arange(1, n), 1)]
    return conjugated([np.r_[1, 2, 0, 3:n], c], seed)


def wreath_gens(k, m):
    """``S_k wr S_m`` on ``k m`` points: order ``(k!)^m m!``."""
    d = k * m
    swap, cyc, blocks = np.arange(d), np.arange(d), np.arange(d)
    swap[[0, 1]] = [1, 0]
    cyc[:k] = np.roll(np.arange(k), -1)
    blocks[:2 * k] = np.r_[k:2 * k, 0:k]
    return [swap, cyc, (np.arange(d) + k) % d, blocks]


def psl27_gens():
    """PSL(2,7) on the projective line (``7`` = infinity): ``x+1``, ``2x``, ``-1/x``."""
    inv = {x: pow(x, -1, 7) for x in range(1, 7)}
    return [np.r_[(np.arange(7) + 1) % 7, 7], np.r_[(2 * np.arange(7)) % 7, 7],
            np.array([7] + [(-inv[x]) % 7 for x in range(1, 7)] + [0])]


def mathieu11_gens():
    b = np.arange(11)
    for c in ((2, 6, 10, 7), (3, 9, 4, 5)):
        for i, x in enumerate(c):
            b[x] = c[(i + 1) % len(c)]
    return [np.roll(np.arange(11), -1), b]


SYMPY_SCRIPT = """
import json, sys, time
from sympy.combinatorics import Permutation, PermutationGroup
gens = json.loads(sys.argv[1])
G = PermutationGroup([Permutation(g) for g in gens])
t = time.perf_counter()
cc = G.conjugacy_classes()
print(json.dumps([time.perf_counter() - t, sorted(len(c) for c in cc)]))
"""


def run_sympy(gens, timeout):
    """SymPy's seconds and sorted class sizes, or None after ``timeout`` seconds."""
    arg = json.dumps([np.asarray(g).tolist() for g in gens])
    try:
        out = subprocess.run([sys.executable, "-c", SYMPY_SCRIPT, arg], capture_output=True, text=True,
                             timeout=timeout, check=True)
    except subprocess.TimeoutExpired:
        return None
    t, sizes = json.loads(out.stdout)
    return t, sizes


def run_gap(cases, timeout):
    """``{label: (seconds, sorted sizes, note)}`` by :func:`_report.gap_run`; ``{}`` without GAP.

    Each group is tried with the flag that keeps GAP's natural-group shortcut off; when GAP fails with it
    (GAP 4.12 stops with an error inside its composition series for ``A_n`` after
    ``SetIsNaturalAlternatingGroup(G, false)``), it is tried again without the flag, and noted ``"natural"``."""
    flag = {"S": "SetIsNaturalSymmetricGroup(G, false);", "A": "SetIsNaturalAlternatingGroup(G, false);"}
    result = {}
    for note, with_flag in (("", True), ("natural", False)):
        jobs = [(label, f"G := {gap_permutation_group(gens)}; " + (flag.get(family, "") if with_flag else ""),
                 "ConjugacyClasses(G)", "SortedList(List(r, Size))")
                for label, gens, family in cases if label not in result]
        runs = gap_run(jobs, repeats=1, timeout=timeout) if jobs else {}
        if runs is None:
            return {}
        for label, found in runs.items():
            if found:
                seconds, sizes = found[0]
                result[label] = (seconds, json.loads(sizes.replace(" ", "")), note)
    return result


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small groups only (a few seconds)")
    args = parser.parse_args(argv)
    if args.quick:
        degrees, alt, wreaths, extra = [8], [8], [(3, 3)], ["PSL(2,7)"]
        list_max, sympy_timeout, gap_timeout = math.factorial(8), 5, 120
    else:
        degrees, alt, wreaths, extra = [8, 9, 10, 11, 12], [8, 9, 10, 11, 12], [(4, 3), (3, 4)], ["PSL(2,7)", "M11"]
        list_max, sympy_timeout, gap_timeout = math.factorial(10), 60, 600
    cases = [(f"S{n} generic", symmetric_gens(n), "S") for n in degrees]
    cases += [(f"A{n} generic", alternating_gens(n), "A") for n in alt]
    cases += [(f"S{k} wr S{m}", wreath_gens(k, m), "W") for k, m in wreaths]
    cases += [(name, {"PSL(2,7)": psl27_gens, "M11": mathieu11_gens}[name](), "X") for name in extra]

    gap = run_gap(cases, gap_timeout)
    # warm up (imports and first calls are not timed)
    random_classes(stabilizer_chain(np.array(symmetric_gens(6))))
    gm.from_permutations(symmetric_gens(5), recognize=False).class_sizes()

    print("bench_perm_classes: conjugacy classes from generators (random elements + backtrack search), one run each")
    if hasattr(os, "getloadavg"):
        print(f"machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f} (timings inflate under load)")
    print("groupmat = stabilizer_chain + random_classes; ratio = baseline / groupmat; 'listing' = "
          "from_permutations(recognize=False).class_sizes() (chain built beforehand), 'sympy' = "
          "PermutationGroup.conjugacy_classes() (subprocess, timeout), 'gap' = ConjugacyClasses (Runtime() CPU time, "
          + ("gap on PATH)" if shutil.which("gap") else "gap not on PATH: skipped)"))
    header = (f"{'case':<14} {'order':>10} {'cls':>4} {'chain':>8} {'classes':>9} {'samples':>7} "
              f"{'listing':>9} {'ratio':>7} {'sympy':>9} {'ratio':>7} {'gap':>9} {'ratio':>7}")
    print(header)
    print("-" * len(header))
    sympy_dead = set()
    notes = []
    for label, gens, family in cases:
        t_chain, chain = timed(lambda: stabilizer_chain(np.array(gens)))
        t_cls, data = timed(lambda: random_classes(chain, seed=0))
        ours = t_chain + t_cls
        sizes = sorted(data.sizes)
        assert sum(sizes) == chain.order
        cells = {}
        if chain.order <= list_max:
            G = gm.from_permutations(gens, recognize=False)
            G.stabilizer_chain()
            t_list, listed = timed(G.class_sizes)
            assert sorted(listed.tolist()) == sizes, f"{label}: the listing's classes differ"
            cells["listing"] = t_list
        if family not in sympy_dead:
            sp = run_sympy(gens, sympy_timeout)
            if sp is None:
                sympy_dead.add(family)
            else:
                assert sp[1] == sizes, f"{label}: SymPy's classes differ"
                cells["sympy"] = sp[0]
        gp = gap.get(label)
        if gp is not None:
            assert gp[1] == sizes, f"{label}: GAP's classes differ"
            cells["gap"] = gp[0]
            if gp[2]:
                notes.append(f"{label}: GAP with its natural-group shortcut (it stops with an error without it)")

        def cell(key):
            t = cells.get(key)
            return (fmt_time(t), "-") if t is None else (fmt_time(t), f"{t / ours:,.2f}x")
        (tl, rl), (ts, rs), (tg, rg) = cell("listing"), cell("sympy"), cell("gap")
        print(f"{label:<14} {chain.order:>10} {len(sizes):>4} {fmt_time(t_chain):>8} {fmt_time(t_cls):>9} "
              f"{data.samples:>7} {tl:>9} {rl:>7} {ts:>9} {rs:>7} {tg:>9} {rg:>7}", flush=True)
    for note in notes:
        print(note)
    if sympy_dead:
        print(f"sympy: timed out ({sympy_timeout} s) for the families {sorted(sympy_dead)} "
              "(larger degrees of a family not tried)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
