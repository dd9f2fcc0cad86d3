"""Benchmark: equivariant bases of permutation representations from generators only (orbit bases).

Run ``python benchmarks/bench_orbits.py`` (``--quick``: small sizes, a few seconds). Every ratio
compares two timings taken in this run (minimum over repeats).

The case is the one permutation-equivariant layers need: ``Hom_{S_n}(V^{(x)2}, V^{(x)2})`` for the
natural representation ``V`` of ``S_n`` (``n^4`` matrix entries, 15 orbits for ``n >= 4``), built by
``orbit_basis(natural_action(symmetric(n)) ** 2, ...)`` from the two generators of ``S_n`` alone.
Baselines:

- ``all tuples``: the connected components of the graph on all ``n^4`` index tuples with an edge per
  generator (what one writes by hand with SciPy), for ``n <= 64``;
- ``enumerated``: groupmat's ``equivariant_basis`` on the representation of all ``n!`` elements
  (``tensor(natural_representation(S_n), ...)``), for ``n <= 7``;
- ``emlp``: ``emlp.reps.V(emlp.groups.S(n))**2 >> V**2`` and its ``equivariant_basis()``, when emlp
  can run: in this interpreter if importable, or in another one given by ``--emlp-python PATH``
  (emlp needs an old JAX; its own environment is fine), timed in a subprocess of this run. The
  issue's targets: ``n = 16`` faster than emlp at ``n = 8``; ``n = 64`` in seconds, sparse;
  ``n = 100`` (``10^8`` entries) without enumerating anything.

The ``sparse`` column is the time to turn the labels into a SciPy CSR basis (``n^4`` stored entries).
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import numpy as np  # noqa: E402
import scipy.sparse as sp  # noqa: E402
from scipy.sparse.csgraph import connected_components  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import groupmat as gm  # noqa: E402
from groupmat.equivariance import orbit_basis  # noqa: E402
from groupmat.reps import natural_action, natural_representation  # noqa: E402

EMLP_SNIPPET = """
import sys, time, json
from emlp.reps import V
from emlp.groups import S
n = int(sys.argv[1])
W = V(S(n))
rep = W ** 2 >> W ** 2
t0 = time.perf_counter()
Q = rep.equivariant_basis()
t = time.perf_counter() - t0
print(json.dumps({"seconds": t, "dim": int(Q.shape[-1])}))
"""


def best_time(f, repeats: int, budget: float = 5.0) -> float:
    times, start = [], time.perf_counter()
    for _ in range(repeats):
        t0 = time.perf_counter()
        f()
        times.append(time.perf_counter() - t0)
        if time.perf_counter() - start > budget:
            break
    return min(times)


def fmt(t) -> str:
    if t is None:
        return "-"
    return f"{t * 1e3:.1f} ms" if t < 1 else f"{t:.2f} s"


def all_tuples_orbits(n: int) -> int:
    """The by-hand baseline: components over all n^4 tuples, one edge per tuple and generator."""
    cycle = np.roll(np.arange(n), -1)
    swap = np.arange(n)
    swap[[0, 1]] = [1, 0]
    N = n ** 4
    idx = np.arange(N)
    digits = np.unravel_index(idx, (n,) * 4)
    src, dst = [], []
    for g in (cycle, swap):
        src.append(idx)
        dst.append(np.ravel_multi_index(tuple(g[d] for d in digits), (n,) * 4))
    graph = sp.coo_matrix((np.ones(2 * N, dtype=np.int8), (np.concatenate(src), np.concatenate(dst))),
                          shape=(N, N)).tocsr()
    return connected_components(graph, directed=True, connection="weak")[0]


def emlp_time(n: int, python: str | None):
    """(seconds, dim) of emlp's basis in a subprocess, or None when emlp cannot run."""
    exe = python or sys.executable
    try:
        # emlp's progress bars fail with NumPy 2 scalars in recent tqdm: switch them off
        proc = subprocess.run([exe, "-c", EMLP_SNIPPET, str(n)], capture_output=True, text=True, timeout=600,
                              env=dict(os.environ, TQDM_DISABLE="1"))
    except (OSError, subprocess.TimeoutExpired):
        return None
    if proc.returncode != 0:
        return None
    try:
        out = json.loads(proc.stdout.strip().splitlines()[-1])
    except (ValueError, IndexError):
        return None
    return out["seconds"], out["dim"]


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small sizes (a few seconds)")
    parser.add_argument("--emlp-python", default=None, help="an interpreter that can import emlp")
    args = parser.parse_args(argv)
    sizes = [6, 8, 16, 24] if args.quick else [6, 8, 16, 32, 64, 100]
    emlp_sizes = set() if args.quick else {6, 8}
    have_emlp = args.emlp_python is not None or _importable("emlp")
    t_start = time.perf_counter()
    print("Hom_{S_n}(V (x) V, V (x) V) from the generators of S_n: orbit basis (15 orbits for n >= 4)")
    print(f"{'n':>4} {'entries':>12} {'dim':>4} {'orbit basis':>12} {'sparse':>10} {'all tuples':>12} {'ratio':>7} "
          f"{'enumerated':>11} {'ratio':>7} {'emlp':>10} {'ratio':>8}")
    emlp_at = {}
    for n in sizes:
        G = gm.symmetric(n)
        # fresh action objects each repeat: the labels are kept with the objects they were asked for
        t_orb = best_time(lambda: _square_basis(natural_action(G) ** 2), 1 if n >= 64 else 3)
        B = _square_basis(natural_action(G) ** 2)
        assert B.dim == (15 if n >= 4 else None)
        t_sp = best_time(B.sparse, 1) if n <= 64 else None
        t_all = best_time(lambda: all_tuples_orbits(n), 1) if n <= (24 if args.quick else 64) else None
        t_enum = None
        if n <= 7:
            rho = natural_representation(G)
            t_enum = best_time(lambda: _square_enumerated(gm.tensor(rho, rho)), 1)
        em = emlp_time(n, args.emlp_python) if have_emlp and n in emlp_sizes else None
        if em is not None:
            emlp_at[n] = em[0]
        ratio = lambda t: f"{t / t_orb:6.1f}x" if t is not None else "-"  # noqa: E731
        print(f"{n:>4} {n ** 4:>12,} {B.dim:>4} {fmt(t_orb):>12} {fmt(t_sp):>10} {fmt(t_all):>12} {ratio(t_all):>7} "
              f"{fmt(t_enum):>11} {ratio(t_enum):>7} {fmt(em[0] if em else None):>10} "
              f"{ratio(em[0] if em else None):>8}")
    if 8 in emlp_at and 16 in sizes:
        print(f"   target: orbit basis at n = 16 faster than emlp at n = 8 ({fmt(emlp_at[8])})")
    elif not have_emlp:
        print("   emlp: not run (not importable here; pass --emlp-python PATH to an interpreter that has it)")
    print(f"total {time.perf_counter() - t_start:.1f} s")


def _importable(name: str) -> bool:
    try:
        __import__(name)
    except Exception:  # noqa: BLE001 - any failure to import means it cannot run here
        return False
    return True


def _square_basis(A):
    return orbit_basis(A, A)


def _square_enumerated(r):
    return gm.equivariant_basis(r, r)


if __name__ == "__main__":
    main()
