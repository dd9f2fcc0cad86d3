"""Benchmark: the generalized Schur algorithm (GKO) against dense LU, numpy.linalg.solve and Levinson.

Run ``python3 benchmarks/bench_schur.py`` (``--quick`` for a few seconds). Every figure is the minimum
CPU time (``time.process_time``) over repeats, the contenders timed in alternation (the machine may be
shared: CPU time is far less sensitive to the load than wall time, and BLAS runs on one thread, so on
an idle machine they agree), and every ratio compares two timings of this run. Each time covers one
system from scratch: factorization plus one solve (GKO with its default single step of iterative
refinement).

1. Toeplitz ``T`` (first column and row random, ``n`` = 500 ... 4000):
   ``groupmat.ldr.toeplitz_lu(c, r).solve(b)`` against
   - dense LU, ``scipy.linalg.lu_factor`` + ``lu_solve`` (``T`` built once, not timed) -- target: at least
     5x faster at ``n = 4000``;
   - ``numpy.linalg.solve(T, b)``;
   - Levinson, ``scipy.linalg.solve_toeplitz((c, r), b)`` (``O(n^2)``, no pivoting: it needs nonsingular
     leading minors, and fails on the zero-diagonal case below).
   The backward error ``||b - T x|| / (||T||_F ||x|| + ||b||)`` of each solution is printed.
2. Toeplitz with zero diagonal (singular leading minors: Levinson refuses): GKO against dense LU.
3. Toeplitz-plus-Hankel ``T + H`` (displacement rank 4; Levinson does not apply): GKO against dense LU
   and ``numpy.linalg.solve``.
4. Reuse: 64 right-hand sides with the stored factorization (``StructuredLU.solve``, ``O(n^2)`` each
   plus the FFT refinement) against ``lu_solve`` with stored dense factors.
5. The GKO paths on the Toeplitz systems of section 1: the panel path (the default from
   ``groupmat.ldr.schur._PANEL_MIN_N`` on: LAPACK ``getrf`` on ``n x b`` panels, level-3 generator updates)
   against the step loop (one pivot step at a time), both against dense LU, CPU and wall times, with
   the backward errors of both paths; and the real Cauchy-like form (DCT-II/DCT-IV, real factors: the
   default for real data) against the complex DFT form of the same matrix (``toeplitz_lu`` of the data
   cast to complex).

BLAS runs on one thread unless the caller sets ``OPENBLAS_NUM_THREADS`` (on a shared 2-core machine
threaded BLAS oversubscribes the cores and the dense timings swing wildly).
"""
from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import numpy as np  # noqa: E402
import scipy.linalg as sla  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import groupmat.ldr.schur as schur  # noqa: E402
from groupmat.ldr import toeplitz_lu, toeplitz_plus_hankel_lu  # noqa: E402
from _report import fmt_time  # noqa: E402

RHS = 64


def paired_times(fs, repeats: int, budget: float = 20.0) -> list:
    """Minimum CPU times (``time.process_time``) of several functions, timed in alternation; ``None``
    entries give ``None``. The wall times are kept in :data:`WALL` (same order), for the target line.

    CPU time, not wall time: on a shared machine the wall time of a loop of short NumPy calls swings
    with the load far more than that of one BLAS call, and BLAS runs on one thread here, so on an idle
    machine the two agree."""
    best = [None if f is None else float("inf") for f in fs]
    wall = [None if f is None else float("inf") for f in fs]
    split = [None] * len(fs)
    start = time.perf_counter()
    for _ in range(repeats):
        for i, f in enumerate(fs):
            if f is None:
                continue
            t0, w0, o0 = time.process_time(), time.perf_counter(), os.times()
            f()
            cpu, o1 = time.process_time() - t0, os.times()
            if cpu < best[i]:
                split[i] = (o1.user - o0.user, o1.system - o0.system)
            best[i] = min(best[i], cpu)
            wall[i] = min(wall[i], time.perf_counter() - w0)
        if time.perf_counter() - start > budget:
            break
    WALL[:] = wall
    SPLIT[:] = split
    return best


#: Wall times of the last :func:`paired_times` call.
WALL: list = []

#: ``(user, system)`` CPU seconds of the best run of each function in the last :func:`paired_times` call
#: (system time is mostly first-touch page faults of freshly mapped arrays).
SPLIT: list = []


def fmt_ratio(a, b) -> str:
    return "-" if a is None or b is None else f"{a / b:,.1f}x"


def bwd(M, x, b) -> float:
    return float(np.linalg.norm(b - M @ x) / (np.linalg.norm(M) * np.linalg.norm(x) + np.linalg.norm(b)))


def toeplitz_dense(c, r):
    n = len(c)
    i, j = np.indices((n, n))
    return np.where(i >= j, c[np.abs(i - j)], r[np.abs(j - i)])


def hankel_dense(h_c, h_r):
    h = np.concatenate([h_c, h_r[1:]])
    i, j = np.indices((len(h_c),) * 2)
    return h[i + j]


def dense_lu(M, b):
    return sla.lu_solve(sla.lu_factor(M, check_finite=False), b, check_finite=False)


def levinson(c, r, b):
    try:
        return sla.solve_toeplitz((c, r), b, check_finite=False)
    except np.linalg.LinAlgError:
        return None


# ---------------------------------------------------------------------- sections 1 and 2
def bench_toeplitz(sizes, repeats, zero_diagonal=False):
    rng = np.random.default_rng(0)
    title = "Toeplitz with zero diagonal (singular leading minors)" if zero_diagonal else "Toeplitz"
    print(f"{'2' if zero_diagonal else '1'}. {title}: one system, factorization included (CPU times)")
    head = (f"{'n':>5} {'GKO':>9} {'dense LU':>9} {'LU/GKO':>7} {'np.solve':>9} {'np/GKO':>7} {'Levinson':>9} "
            f"{'Lev/GKO':>7}   {'bwd GKO':>8} {'bwd LU':>8} {'bwd Lev':>8}")
    print(head)
    print("-" * len(head))
    target = None
    for n in sizes:
        c, r = rng.normal(size=(2, n))
        if zero_diagonal:
            c[0] = 0.0
        r[0] = c[0]
        b = rng.normal(size=n)
        T = toeplitz_dense(c, r)
        lev_ok = levinson(c, r, b) is not None and not zero_diagonal
        t_gko, t_lu, t_np, t_lev = paired_times(
            [lambda: toeplitz_lu(c, r).solve(b), lambda: dense_lu(T, b), lambda: np.linalg.solve(T, b),
             (lambda: levinson(c, r, b)) if lev_ok else None], repeats)
        x = toeplitz_lu(c, r).solve(b)
        x_lev = levinson(c, r, b) if lev_ok else None
        e = [bwd(T, x, b), bwd(T, dense_lu(T, b), b), bwd(T, x_lev, b) if x_lev is not None else None]
        if n == 4000 and not zero_diagonal:
            target = (t_lu / t_gko, WALL[1] / WALL[0], SPLIT[0], SPLIT[1])
        print(f"{n:>5} {fmt_time(t_gko):>9} {fmt_time(t_lu):>9} {fmt_ratio(t_lu, t_gko):>7} {fmt_time(t_np):>9} "
              f"{fmt_ratio(t_np, t_gko):>7} {fmt_time(t_lev):>9} {fmt_ratio(t_lev, t_gko):>7}   "
              + " ".join(f"{v:>8.1e}" if v is not None else f"{'-':>8}" for v in e))
        del T
    if target is not None:
        print(f"target (Toeplitz, n = 4000): dense LU / GKO = {target[0]:.1f}x in CPU time, {target[1]:.1f}x in wall "
              f"time (goal >= 5x; load average {os.getloadavg()[0]:.1f})")
        print(f"  CPU split user + system: GKO {target[2][0]:.2f} + {target[2][1]:.2f} s, dense LU {target[3][0]:.2f} + "
              f"{target[3][1]:.2f} s (system time: page faults on first touch of the n x n factor)")
    print("bwd = ||b - T x|| / (||T||_F ||x|| + ||b||); Levinson '-': not applicable (a zero leading minor).")
    print()


# ---------------------------------------------------------------------- section 3
def bench_tph(sizes, repeats):
    rng = np.random.default_rng(1)
    print("3. Toeplitz-plus-Hankel (displacement rank 4; Levinson does not apply)")
    head = (f"{'n':>5} {'GKO':>9} {'dense LU':>9} {'LU/GKO':>7} {'np.solve':>9} {'np/GKO':>7}   "
            f"{'bwd GKO':>8} {'bwd LU':>8}")
    print(head)
    print("-" * len(head))
    for n in sizes:
        c, r, hc, hr = rng.normal(size=(4, n))
        r[0], hr[0] = c[0], hc[-1]
        b = rng.normal(size=n)
        M = toeplitz_dense(c, r) + hankel_dense(hc, hr)
        t_gko, t_lu, t_np = paired_times([lambda: toeplitz_plus_hankel_lu(c, r, hc, hr).solve(b),
                                          lambda: dense_lu(M, b), lambda: np.linalg.solve(M, b)], repeats)
        x = toeplitz_plus_hankel_lu(c, r, hc, hr).solve(b)
        print(f"{n:>5} {fmt_time(t_gko):>9} {fmt_time(t_lu):>9} {fmt_ratio(t_lu, t_gko):>7} {fmt_time(t_np):>9} "
              f"{fmt_ratio(t_np, t_gko):>7}   {bwd(M, x, b):>8.1e} {bwd(M, dense_lu(M, b), b):>8.1e}")
        del M
    print()


# ---------------------------------------------------------------------- section 4
def bench_reuse(sizes, repeats):
    rng = np.random.default_rng(2)
    print(f"4. Reuse: {RHS} right-hand sides with stored factors (GKO: O(n^2) solves + FFT refinement)")
    head = (f"{'n':>5} {'GKO solve':>10} {'refine=0':>10} {'lu_solve':>9} {'ratio':>7} {'GKO factor':>11} "
            f"{'lu_factor':>10} {'ratio':>7}")
    print(head)
    print("-" * len(head))
    for n in sizes:
        c, r = rng.normal(size=(2, n))
        r[0] = c[0]
        T = toeplitz_dense(c, r)
        B = rng.normal(size=(n, RHS))
        lu = toeplitz_lu(c, r)
        dense = sla.lu_factor(T)
        X = lu.solve(B)
        assert np.allclose(T @ X, B, atol=1e-8 * np.abs(B).max() * n)
        t_s, t_s0, t_ls, t_f, t_lf = paired_times(
            [lambda: lu.solve(B), lambda: lu.solve(B, refine=0), lambda: sla.lu_solve(dense, B),
             lambda: toeplitz_lu(c, r), lambda: sla.lu_factor(T)], repeats)
        print(f"{n:>5} {fmt_time(t_s):>10} {fmt_time(t_s0):>10} {fmt_time(t_ls):>9} {fmt_ratio(t_ls, t_s):>7} "
              f"{fmt_time(t_f):>11} {fmt_time(t_lf):>10} {fmt_ratio(t_lf, t_f):>7}")
        del T, dense
    print("ratio > 1: groupmat faster. Real Toeplitz data give real GKO factors (the DCT form), so a solve costs\n"
          "about one real lu_solve, twice that with the default refinement step.")
    print()


# ---------------------------------------------------------------------- section 5
def step_loop_lu(c, r):
    """``toeplitz_lu`` through the step loop (the panel path switched off for this call)."""
    saved = schur._PANEL_MIN_N
    schur._PANEL_MIN_N = 10 ** 12
    try:
        return toeplitz_lu(c, r)
    finally:
        schur._PANEL_MIN_N = saved


def bench_paths(sizes, repeats):
    rng = np.random.default_rng(3)
    print("5. GKO paths (Toeplitz, one system, factorization included): panel path vs step loop vs dense LU, and the")
    print("   real (DCT) form vs the complex (DFT) form of the same real matrix")
    head = (f"{'n':>5} {'panel':>9} {'step':>9} {'step/pan':>8} {'DFT form':>9} {'DFT/pan':>7} {'dense LU':>9} "
            f"{'LU/pan':>7} {'LU/step':>7} {'wall LU/pan':>11}   {'bwd pan':>8} {'bwd step':>8} {'bwd DFT':>8} "
            f"{'bwd LU':>8}")
    print(head)
    print("-" * len(head))
    for n in sizes:
        c, r = rng.normal(size=(2, n))
        r[0] = c[0]
        b = rng.normal(size=n)
        cc, rc = c.astype(complex), r.astype(complex)
        T = toeplitz_dense(c, r)
        t_p, t_s, t_c, t_lu = paired_times([lambda: toeplitz_lu(c, r).solve(b), lambda: step_loop_lu(c, r).solve(b),
                                            lambda: toeplitz_lu(cc, rc).solve(b), lambda: dense_lu(T, b)], repeats)
        wall_ratio = WALL[3] / WALL[0]
        e = [bwd(T, toeplitz_lu(c, r).solve(b), b), bwd(T, step_loop_lu(c, r).solve(b), b),
             bwd(T, toeplitz_lu(cc, rc).solve(b), b), bwd(T, dense_lu(T, b), b)]
        print(f"{n:>5} {fmt_time(t_p):>9} {fmt_time(t_s):>9} {fmt_ratio(t_s, t_p):>8} {fmt_time(t_c):>9} "
              f"{fmt_ratio(t_c, t_p):>7} {fmt_time(t_lu):>9} {fmt_ratio(t_lu, t_p):>7} {fmt_ratio(t_lu, t_s):>7} "
              f"{wall_ratio:>10.1f}x   " + " ".join(f"{v:>8.1e}" for v in e))
        del T
    print(f"CPU times; 'wall LU/pan' the same ratio in wall time (load average {os.getloadavg()[0]:.1f}).")
    print()


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small sizes, a few seconds")
    args = parser.parse_args(argv)
    t0 = time.perf_counter()
    if args.quick:
        bench_toeplitz([250, 500], repeats=2)
        bench_toeplitz([250], repeats=2, zero_diagonal=True)
        bench_tph([250, 500], repeats=2)
        bench_reuse([250], repeats=2)
        bench_paths([250, 500], repeats=2)
    else:
        bench_toeplitz([500, 1000, 2000, 4000], repeats=3)
        bench_toeplitz([1000, 4000], repeats=2, zero_diagonal=True)
        bench_tph([500, 1000, 2000, 4000], repeats=3)
        bench_reuse([1000, 4000], repeats=3)
        bench_paths([1000, 2000, 4000], repeats=5)
    print(f"total {time.perf_counter() - t0:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
