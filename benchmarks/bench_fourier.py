"""Benchmark: the Fourier transform and convolution on C_n and D_n.

Ratios in one run, against baselines measured in the same run:

- ``fourier(C_n, x)`` and ``fourier(D_m, x)`` (order ``2m = n``) against ``numpy.fft.fft`` of the same
  length ``n`` (targets: within 2x for C_n, 3x for D_n);
- the same against the dense transform ``sum_g x(g) rho(g)`` (the definition, ``O(n^2)``), for small n;
- ``convolve`` against the dense group-matrix product ``groupmat.matrices.dense_convolve`` (``O(n^2)``).

Run ``python3 benchmarks/bench_fourier.py`` (``--quick`` for a few seconds).
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import groupmat as gm  # noqa: E402
from groupmat.matrices import dense_convolve  # noqa: E402


def best_time(f, repeat=5, budget=1.0, min_batch=2e-3):
    """Best per-call time over ``repeat`` batches, each of enough calls to last ``min_batch`` seconds
    (so microsecond calls are not dominated by timer resolution)."""
    t = time.perf_counter()
    f()
    one = time.perf_counter() - t
    number = max(1, min(10_000, int(min_batch / max(one, 1e-7))))
    times = []
    start = time.perf_counter()
    for _ in range(repeat):
        t = time.perf_counter()
        for _ in range(number):
            f()
        times.append((time.perf_counter() - t) / number)
        if time.perf_counter() - start > budget:
            break
    return min(times)


def dense_transform(G):
    """The definition: all irreducible matrices stacked, one einsum per degree."""
    reps = gm.irreps(G)
    stacks = {}
    for r in reps:
        stacks.setdefault(r.dim, []).append(r.matrices)
    stacks = {d: np.stack(v) for d, v in stacks.items()}
    return lambda x: [np.einsum("g,mgij->mij", x, M) for M in stacks.values()]


def main(quick: bool = False) -> None:
    rng = np.random.default_rng(0)
    exps = [10, 12, 14] if quick else [10, 12, 14, 16, 18, 20]
    dense_max = 2**10 if quick else 2**12
    print("fourier on C_n and D_(n/2) vs numpy.fft.fft(n) and the dense transform")
    print(f"{'group':>10} {'n':>8} {'fft ms':>9} {'fourier ms':>11} {'four/fft':>8} {'dense ms':>10} {'dense/four':>10}")
    for e in exps:
        n = 2**e
        x = rng.standard_normal(n)
        t_fft = best_time(lambda: np.fft.fft(x))
        for G in (gm.cyclic(n), gm.dihedral(n // 2)):
            t = best_time(lambda: gm.fourier(G, x))
            if n <= dense_max:
                f = dense_transform(G)
                t_dense = best_time(lambda: f(x), repeat=3)
                dense = f"{t_dense * 1e3:10.2f} {t_dense / t:9.0f}x"
            else:
                dense = f"{'-':>10} {'-':>10}"
            print(f"{G.name:>10} {n:>8} {t_fft * 1e3:9.3f} {t * 1e3:11.3f} {t / t_fft:7.2f}x {dense}")
    print()
    print("convolve (fast route) vs the dense group-matrix product")
    print(f"{'group':>10} {'n':>8} {'fast ms':>9} {'dense ms':>10} {'dense/fast':>10}")
    for e in ([8, 10] if quick else [8, 10, 12]):
        n = 2**e
        x, y = rng.standard_normal((2, n))
        for G in (gm.cyclic(n), gm.dihedral(n // 2), gm.direct_product(gm.dihedral(n // 16), gm.cyclic(8))):
            t = best_time(lambda: gm.convolve(G, x, y))
            t_dense = best_time(lambda: dense_convolve(G, x, y), repeat=2)
            print(f"{G.name:>10} {n:>8} {t * 1e3:9.3f} {t_dense * 1e3:10.2f} {t_dense / t:9.0f}x")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a run of a few seconds")
    main(parser.parse_args().quick)
