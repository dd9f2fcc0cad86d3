"""Benchmark: character tables from Cayley tables, and the group determinant.

- ``character_table`` of groups of order 100 to 1000 given only by their Cayley tables (target: under
  5 s at order 1000), against the naive route measured in the same run: the eigenvalues of one dense
  ``n x n`` group matrix of a random class function (``numpy.linalg.eigvals``);
- ``group_determinant`` of groups of order 8 to 24 against ``sympy.factor(Matrix.det())`` of the
  symbolic group matrix, run in a subprocess with a timeout (target: at least 100x faster where SymPy
  finishes at all).

Run ``python3 benchmarks/bench_characters.py`` (``--quick`` for a few seconds).
"""
from __future__ import annotations

import argparse
import sys
import multiprocessing as mp
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import groupmat as gm  # noqa: E402


def table_groups(quick):
    C = gm.cyclic
    out = [("D50", gm.dihedral(50)), ("S5", gm.symmetric(5)), ("A5xC4", gm.direct_product(gm.alternating(5), C(4)))]
    if not quick:
        out += [("S4xC21", gm.direct_product(gm.symmetric(4), C(21))),
                ("(C7:C3)xC48", gm.direct_product(gm.semidirect_product(C(7), C(3), [lambda n: (2 * n) % 7]), C(48))),
                ("S5xC8", gm.direct_product(gm.symmetric(5), C(8))),
                ("D500", gm.dihedral(500)),
                ("C10^3", gm.direct_product(C(10), C(10), C(10))),
                ("C1000", C(1000))]
    return out


def _sympy_det(name, q):
    import sympy

    G = gm.group(name)
    t = time.perf_counter()
    sympy.factor(gm.group_matrix(G).det())
    q.put(time.perf_counter() - t)


def sympy_time(name, timeout):
    q = mp.Queue()
    p = mp.Process(target=_sympy_det, args=(name, q))
    p.start()
    p.join(timeout)
    if p.is_alive():
        p.terminate()
        p.join()
        return None
    return q.get() if not q.empty() else None


def main(quick: bool = False) -> None:
    print("character_table from a Cayley table vs eigvals of one dense n x n group matrix")
    print(f"{'group':>12} {'order':>6} {'classes':>8} {'table s':>9} {'eigvals s':>10} {'tab/eig':>7} exact")
    for name, H in table_groups(quick):
        G = gm.from_cayley_table(H.cayley_table(), name=name)
        t = time.perf_counter()
        T = gm.character_table(G)
        t_table = time.perf_counter() - t
        cls = G.class_of()
        M = gm.group_matrix(G, np.random.default_rng(0).standard_normal(len(T))[cls])
        t = time.perf_counter()
        np.linalg.eigvals(M)
        t_eig = time.perf_counter() - t
        print(f"{name:>12} {G.order:>6} {len(T):>8} {t_table:9.3f} {t_eig:10.3f} {t_table / t_eig:6.2f}x {T.exact}")
    print()
    print("group_determinant (factored over Q) vs sympy.factor(Matrix.det())")
    timeout = 10 if quick else 20
    specs = ["C4", "D3", "Q8"] if quick else ["C4", "D3", "C8", "Q8", "D4", "C2^3", "C12", "D6", "A4", "Dic3", "D8",
                                         "Q16", "S4", "D12"]
    print(f"{'group':>8} {'order':>6} {'ours s':>9} {'sympy s':>10} {'sympy/ours':>10} factors")
    for spec in specs:
        G = gm.group(spec)
        t = time.perf_counter()
        F = gm.group_determinant(G)
        t_ours = time.perf_counter() - t
        ts = sympy_time(spec, timeout) if (G.order <= 4 or not quick) else None
        if ts is not None:
            sp = f"{ts:10.2f} {ts / t_ours:9.0f}x"
        elif quick and G.order > 4:
            sp = f"{'-':>10} {'-':>10}"
        else:
            sp = f"{'>' + str(timeout):>10} {'>' + format(timeout / t_ours, '.0f'):>9}x"
        print(f"{spec:>8} {G.order:>6} {t_ours:9.3f} {sp} {[m for _, m in F]}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a run of a few seconds")
    main(parser.parse_args().quick)
