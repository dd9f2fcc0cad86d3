"""Benchmark: dihedral groups, their Cayley tables and group matrices.

For D_n (order 2n, n up to 2048) it times, in one run:

* groupmat: ``dihedral(n)``, its ``cayley_table()`` and ``group_matrix(G, x)`` for a float vector
  ``x`` (a fresh group each time, so no cache helps);
* SymPy: ``DihedralGroup(n)``, its elements, and the table by SymPy's permutation product and an
  element -> index dictionary (only for small n, where it finishes in about a second);
* a plain Python double loop over all pairs computing the same table and group matrix from the
  dihedral multiplication rule (small n only).

Ratios are baseline time / groupmat time for the same output (table, or table + matrix). A
baseline that was not run prints ``-``; nothing is extrapolated. The Python loop's table is
checked equal to groupmat's.

Usage: ``python benchmarks/bench_groups.py [--quick]``.
"""
from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import groupmat as gm  # noqa: E402
from _report import fmt_time  # noqa: E402


def best_time(func, min_total: float = 0.05, max_repeat: int = 7) -> float:
    """The best wall time of ``func()`` over a few runs (more runs for fast functions)."""
    best, total, runs = float("inf"), 0.0, 0
    while runs < max_repeat and (runs < 2 or total < min_total):
        t0 = time.perf_counter()
        func()
        dt = time.perf_counter() - t0
        best, total, runs = min(best, dt), total + dt, runs + 1
        if dt > 1.0:  # slow baselines: one run is enough
            break
    return best


# ------------------------------------------------------------------------------------------ groupmat
def groupmat_build(n):
    return gm.dihedral(n)


def groupmat_table(n):
    return gm.dihedral(n).cayley_table()


def groupmat_table_and_matrix(n, x):
    G = gm.dihedral(n)
    return G.cayley_table(), gm.group_matrix(G, x)


# ------------------------------------------------------------------------------------------ baselines
def sympy_table(n):
    """SymPy: the dihedral group's elements and its table by permutation products."""
    from sympy.combinatorics.named_groups import DihedralGroup

    G = DihedralGroup(n)
    elements = list(G.generate())
    index = {p: i for i, p in enumerate(elements)}
    return [[index[p * q] for q in elements] for p in elements]


def python_loop(n, x):
    """Plain Python: element k < n is r^k, n + k is s r^k; (s^a r^i)(s^b r^j) = s^(a+b) r^((-1)^b i + j)."""
    order = 2 * n

    def mul(g, h):
        a, i = divmod(g, n)
        b, j = divmod(h, n)
        k = ((-i if b else i) + j) % n
        return ((a + b) % 2) * n + k

    def inv(g):
        a, i = divmod(g, n)
        return n + i if a else (-i) % n

    table = [[mul(g, h) for h in range(order)] for g in range(order)]
    matrix = [[x[mul(inv(g), h)] for h in range(order)] for g in range(order)]
    return table, matrix


def python_loop_table(n):
    return python_loop(n, [0.0] * (2 * n))[0]


# ------------------------------------------------------------------------------------------ main
def fmt_ratio(base, ours) -> str:
    return "-" if base is None else f"{base / ours:,.0f}x"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small sizes only (a few seconds)")
    args = parser.parse_args(argv)

    if args.quick:
        sizes, sympy_max, loop_max = [4, 16, 64, 256], 16, 64
    else:
        sizes, sympy_max, loop_max = [4, 16, 64, 128, 256, 512, 1024, 2048], 128, 512

    # correctness first: the Python loop and groupmat agree on the table and the group matrix
    for n in (3, 5):
        x = np.arange(2.0 * n)
        table, matrix = python_loop(n, list(x))
        G = gm.dihedral(n)
        assert np.array_equal(G.cayley_table(), np.array(table)), f"table of D{n} differs from the loop"
        assert np.array_equal(gm.group_matrix(G, x), np.array(matrix)), f"group matrix of D{n} differs"

    print("bench_groups: dihedral(n), its Cayley table and a float64 group matrix (best of several runs)")
    if hasattr(os, "getloadavg"):
        print(f"machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f} (timings inflate under load)")
    print("ratios = baseline time / groupmat time for the same output; '-' = baseline not run at this size")
    header = (f"{'n':>5} {'|G|':>5} {'build':>9} {'table':>9} {'table+GM':>9} "
              f"{'sympy table':>12} {'ratio':>8} {'loop tbl+GM':>12} {'ratio':>8}")
    print(header)
    print("-" * len(header))
    rng = np.random.default_rng(0)
    target = None
    for n in sizes:
        x = rng.standard_normal(2 * n)
        t_build = best_time(lambda: groupmat_build(n))
        t_table = best_time(lambda: groupmat_table(n))
        t_both = best_time(lambda: groupmat_table_and_matrix(n, x))
        t_sympy = best_time(lambda: sympy_table(n), max_repeat=3) if n <= sympy_max else None
        t_loop = best_time(lambda: python_loop(n, list(x)), max_repeat=3) if n <= loop_max else None
        print(f"{n:>5} {2 * n:>5} {fmt_time(t_build):>9} {fmt_time(t_table):>9} {fmt_time(t_both):>9} "
              f"{fmt_time(t_sympy):>12} {fmt_ratio(t_sympy, t_table):>8} "
              f"{fmt_time(t_loop):>12} {fmt_ratio(t_loop, t_both):>8}", flush=True)
        if 2 * n == 4096:
            target = t_both
    if target is not None:
        verdict = "met" if target < 1.0 else "MISSED"
        print(f"target: Cayley table + group matrix of D2048 (|G| = 4096) in {fmt_time(target)} "
              f"(target well under 1 s: {verdict})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
