"""Benchmark: solving GM-LDR systems ``M y = b`` (GMRES with and without the group preconditioner,
Woodbury) against ``numpy.linalg.solve`` on the dense matrix.

Two families, over ``C_n``, ``D_(n/2)`` and ``C_m x C_m`` (``n = m^2``), all measured in the same run:

- **near a group matrix**: ``M = M_c + sum_{i<2} diag(v_i) M_{u_i}`` with ``M_c`` symmetric positive
  definite of condition about ``10^3`` and ``||u_i|| ~ 1e-6``: GMRES preconditioned by the nearest group
  matrix (``preconditioner="group"``) and plain GMRES (``"none"``, at most 2000 iterations), their
  iteration counts;
- **few rows**: ``V`` supported on 8 rows (rank 2): the exact Woodbury route.

The baseline is ``numpy.linalg.solve(D, b)`` with ``D = M.dense()`` built beforehand (only the solve is
timed); ratios are baseline time / groupmat time, the residual is ``||b - M y|| / ||b||``. ``-`` marks a
run that did not converge. Run ``python benchmarks/bench_gm_ldr_solve.py`` (``--quick``: small orders).

Measured on the development machine (2 cores shared with other jobs, load average about 9, one BLAS
thread, NumPy 2.4, SciPy 1.17; times are noisy, the iteration counts are not)::

    near a group matrix (cond(M_c) ~ 1e3, perturbation 1e-6)
       group     n  dense solve  gmres+group  its   ratio  gmres none   its   ratio  residual
    -----------------------------------------------------------------------------------------
        C256   256       1.1 ms       8.2 ms    3    0.1x    601.6 ms   303    0.0x   2.4e-13
        D128   256       998 us      28.9 ms    4    0.0x    583.8 ms   393    0.0x   3.5e-14
     C16xC16   256       754 us       2.2 ms    3    0.3x    330.7 ms   260    0.0x   1.4e-12
       C1024  1024     141.4 ms      17.9 ms    3    7.9x    950.0 ms   329    0.1x   2.2e-12
        D512  1024     116.1 ms      29.4 ms    4    4.0x      1.47 s   352    0.1x   3.2e-14
     C32xC32  1024     124.2 ms      12.9 ms    3    9.6x    703.4 ms   343    0.2x   1.3e-12
       C4096  4096      10.75 s      33.0 ms    3  325.5x      1.19 s   321    9.1x   3.5e-12
       D2048  4096      10.44 s      74.2 ms    3  140.7x      6.79 s   395    1.5x   4.4e-11
     C64xC64  4096      13.02 s      18.6 ms    3  700.1x      1.59 s   290    8.2x   2.5e-12

    few rows (V supported on 8 rows, rank 2): Woodbury
       group     n  dense solve   woodbury    ratio  residual  cond(K)
    ------------------------------------------------------------------
        C256   256       1.2 ms     2.0 ms     0.6x   2.9e-14    546.2
        D128   256       1.0 ms     3.2 ms     0.3x   2.9e-15     21.1
     C16xC16   256       1.1 ms     2.0 ms     0.6x   1.8e-15     35.5
       C1024  1024     265.4 ms     2.7 ms    97.8x   3.3e-15     29.4
        D512  1024     243.0 ms    30.9 ms     7.9x   2.1e-15     10.1
     C32xC32  1024     250.6 ms     2.8 ms    88.7x   1.6e-15    338.4
       C4096  4096       6.09 s    12.5 ms   487.2x   1.8e-15     19.9
       D2048  4096       5.30 s    45.6 ms   116.2x   1.2e-14    110.8
     C64xC64  4096       5.52 s     8.7 ms   634.5x   1.7e-15     34.4

The group preconditioner takes 3-4 iterations where plain GMRES takes 260-400 (the same residual),
and beats the dense solve from order 1024 on; Woodbury is exact (residuals ~1e-15) and 100-600x
faster than the dense solve at order 4096. Below order ~256 the dense LU is faster than either.
"""
from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

# the dense baseline on one BLAS thread, like the FFTs it is compared with (on a shared machine a
# multithreaded LU is timing noise); set OPENBLAS_NUM_THREADS / OMP_NUM_THREADS to change it
for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import numpy as np  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import groupmat as gm  # noqa: E402
from groupmat.ldr import SolveConvergenceError, solve_group_ldr  # noqa: E402
from groupmat.reps import group_matrix_svdvals  # noqa: E402

from _report import fmt_time  # noqa: E402


def best_time(f, repeat=3, budget=2.0):
    """Best wall time of ``f()`` over up to ``repeat`` calls (stopping once ``budget`` seconds are spent)."""
    times = []
    start = time.perf_counter()
    for _ in range(repeat):
        t = time.perf_counter()
        f()
        times.append(time.perf_counter() - t)
        if time.perf_counter() - start > budget:
            break
    return min(times)


def spd_kernel(G, lo, rng):
    """``c`` with ``M_c`` symmetric positive definite, spectrum in ``[lo, 1 + lo]``: ``a * a^vee``
    scaled by its largest singular value, plus ``lo`` at the identity."""
    a = rng.standard_normal(G.order)
    c = gm.convolve(G, a, a[G.inverses()])
    c /= group_matrix_svdvals(G, c)[0]
    c[G.identity] += lo
    return c


def near_group(G, rng):
    n = G.order
    c = spd_kernel(G, 1e-3, rng)
    return gm.GroupLDRMatrix(G, c, 1e-6 * rng.standard_normal((2, n)) / np.sqrt(n), rng.standard_normal((2, n)))


def few_rows(G, rng, s=8):
    n = G.order
    b = rng.standard_normal(n) / np.sqrt(n)
    b[G.identity] += 3.0
    V = np.zeros((2, n))
    V[:, rng.choice(n, s, replace=False)] = rng.standard_normal((2, s))
    return gm.GroupLDRMatrix(G, b, rng.standard_normal((2, n)), V)


def krylov(M, rhs, preconditioner):
    """``(seconds, iterations, residual)`` of one GMRES solve, or ``(None, its, None)`` if it fails."""
    try:
        solve_group_ldr(M, rhs, method="gmres", preconditioner=preconditioner, maxiter=2000)   # warm-up
        t = best_time(lambda: solve_group_ldr(M, rhs, method="gmres", preconditioner=preconditioner,
                                              maxiter=2000))
        _, info = solve_group_ldr(M, rhs, method="gmres", preconditioner=preconditioner, maxiter=2000,
                                  return_info=True)
        return t, int(info.iterations[0]), float(info.residual_norms[0])
    except SolveConvergenceError as err:
        return None, int(err.info.iterations[0]), None


def groups_of(n):
    m = int(round(np.sqrt(n)))
    out = [gm.cyclic(n), gm.dihedral(n // 2)]
    if m * m == n:
        out.append(gm.direct_product(gm.cyclic(m), gm.cyclic(m)))
    return out


def ratio(base, t):
    return "-" if t is None or base is None else f"{base / t:,.1f}x"


def main(quick: bool = False) -> None:
    rng = np.random.default_rng(0)
    sizes = [64, 256] if quick else [256, 1024, 4096]
    print("near a group matrix (cond(M_c) ~ 1e3, perturbation 1e-6)")
    head = (f"{'group':>8} {'n':>5} {'dense solve':>12} {'gmres+group':>12} {'its':>4} {'ratio':>7} "
            f"{'gmres none':>11} {'its':>5} {'ratio':>7} {'residual':>9}")
    print(head)
    print("-" * len(head))
    for n in sizes:
        for G in groups_of(n):
            M = near_group(G, rng)
            rhs = rng.standard_normal(n)
            D = M.dense()
            t_dense = best_time(lambda: np.linalg.solve(D, rhs))
            t_pre, it_pre, res_pre = krylov(M, rhs, "group")
            t_none, it_none, _ = krylov(M, rhs, "none")
            none_its = f"{it_none:>5}" if t_none is not None else f">{it_none - 1:>4}"
            res = "-" if res_pre is None else f"{res_pre:9.1e}"
            print(f"{G.name:>8} {n:>5} {fmt_time(t_dense):>12} {fmt_time(t_pre):>12} {it_pre:>4} "
                  f"{ratio(t_dense, t_pre):>7} {fmt_time(t_none):>11} {none_its} {ratio(t_dense, t_none):>7} {res:>9}")
    print()
    print("few rows (V supported on 8 rows, rank 2): Woodbury")
    head = f"{'group':>8} {'n':>5} {'dense solve':>12} {'woodbury':>10} {'ratio':>8} {'residual':>9} {'cond(K)':>8}"
    print(head)
    print("-" * len(head))
    for n in sizes:
        for G in groups_of(n):
            M = few_rows(G, rng)
            rhs = rng.standard_normal(n)
            D = M.dense()
            t_dense = best_time(lambda: np.linalg.solve(D, rhs))
            solve_group_ldr(M, rhs, method="woodbury")                          # warm-up
            t_w = best_time(lambda: solve_group_ldr(M, rhs, method="woodbury"))
            _, info = solve_group_ldr(M, rhs, method="woodbury", return_info=True)
            print(f"{G.name:>8} {n:>5} {fmt_time(t_dense):>12} {fmt_time(t_w):>10} {ratio(t_dense, t_w):>8} "
                  f"{info.residual_norms[0]:9.1e} {info.condition:8.1f}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a run of a few seconds")
    main(parser.parse_args().quick)
