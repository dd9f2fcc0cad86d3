"""Benchmark: representations of S_n known by their generators (groupmat.reps.generator_reps).

Run ``python benchmarks/bench_generator_reps.py`` (``--quick``: small sizes, a few seconds). Every ratio
compares two timings taken in this run (minimum over repeats).

1. Images of a batch of 64 random permutations under the irreducible ``S^(n-2, 2)``:
   ``star words`` (a dense GeneratorRepresentation: ``O(n)`` batched ``d x d`` products per batch)
   against ``young`` (``young_orthogonal_images``, Young's sparse form along a bubble sort: ``O(n^2)``
   sparse steps) and, for ``n <= 7``, ``enumerated`` (``irreps(S_n)`` built over all ``n!`` elements,
   then looked up).
2. Multiplicities of ``V (x) V`` (``V`` the natural representation): ``generator`` (characters on the
   ``p(n)`` cycle types, Jacobi-Trudi characters of the few candidate irreducibles) against
   ``enumerated`` (``multiplicities(tensor(natural_representation(S_n), ...))``) for ``n <= 7``.
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import groupmat as gm  # noqa: E402
from _report import fmt_time  # noqa: E402
from groupmat.reps import (GeneratorRepresentation, generator_multiplicities, irreps, multiplicities,  # noqa: E402
                           natural_action, natural_representation, tensor, young_irrep)
from groupmat.reps.symmetric_characters import partitions, young_orthogonal_images  # noqa: E402


def best_time(f, repeats: int = 3, budget: float = 2.0) -> float:
    times, start = [], time.perf_counter()
    for _ in range(repeats):
        t0 = time.perf_counter()
        f()
        times.append(time.perf_counter() - t0)
        if time.perf_counter() - start > budget:
            break
    return min(times)


def images_table(sizes) -> None:
    print("images of 64 permutations under S^(n-2,2)")
    print(f"{'n':>4} {'d':>5} {'star words':>11} {'young':>9} {'enumerated':>11} {'young/star':>11} {'enum/star':>10}")
    for n in sizes:
        G = gm.symmetric(n)
        lam = (n - 2, 2)
        Y = young_irrep(G, lam)
        D = GeneratorRepresentation(G, Y.images)
        q = G.random_element(seed=0, size=64)
        t_star = best_time(lambda: D.image(q))
        t_young = best_time(lambda: young_orthogonal_images(lam, np.argsort(q, axis=1)))
        t_enum = None
        if n <= 7:
            k = partitions(n).index(lam)
            t_enum = best_time(lambda: irreps(gm.symmetric(n))[k].matrices[gm.symmetric(n).index_of(q)], repeats=1)
        print(f"{n:>4} {Y.dim:>5} {fmt_time(t_star):>11} {fmt_time(t_young):>9} {fmt_time(t_enum):>11} "
              f"{t_young / t_star:>11.2f} {(t_enum / t_star if t_enum else float('nan')):>10.2f}")


def multiplicities_table(sizes) -> None:
    print("\nmultiplicities of V (x) V")
    print(f"{'n':>4} {'classes':>8} {'generator':>10} {'enumerated':>11} {'enum/gen':>9}")
    for n in sizes:
        G = gm.symmetric(n)
        V = GeneratorRepresentation.from_action(natural_action(G))
        G.class_permutations()                      # the classes are cached per group: not timed
        t_gen = best_time(lambda: generator_multiplicities(V * V))
        t_enum = None
        if n <= 7:
            def enumerated():
                H = gm.symmetric(n)
                nat = natural_representation(H)
                return multiplicities(tensor(nat, nat))
            t_enum = best_time(enumerated, repeats=1)
        print(f"{n:>4} {len(G.class_cycle_types()):>8} {fmt_time(t_gen):>10} {fmt_time(t_enum):>11} "
              f"{(t_enum / t_gen if t_enum else float('nan')):>9.2f}")


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small sizes (a few seconds)")
    args = parser.parse_args(argv)
    images_table([5, 7, 10] if args.quick else [5, 7, 10, 16, 20])
    multiplicities_table([5, 7, 12] if args.quick else [5, 6, 7, 12, 20, 30])


if __name__ == "__main__":
    main()
