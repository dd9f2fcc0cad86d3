"""Benchmark: the equivariant projection and equivariant bases against their baselines.

Run ``python3 benchmarks/bench_equivariance.py`` (``--quick`` for a few seconds). Every figure is the
minimum over repeats (the machine may be shared: the minimum is the least disturbed run), and every
ratio compares two timings taken in this run.

1. ``project`` for ``c`` channels of the left regular representation of a group of order 64
   (``W`` of ``64 c x 64 c``; ``c = 16`` gives the 1024 x 1024 target case) against
   - the Reynolds definition with dense matrices in NumPy, ``1/|G| sum_g L(g) W L(g)^T``
     (target: ``project`` at least 100x faster),
   - ``np.copy(W)``, the memory-bandwidth floor (target: within 3x),
   - groupmat's own ``method="reynolds"`` (the sum with permutations applied by indexing) and
     ``method="permutation"`` (orbit means), for orientation;
   then (1b) where the time of the regular route goes (the kernel alone, the input check) and the
   other regular cases: right regular representation, float32, a batch axis, a group with no run
   structure in its numbering.
2. ``equivariant_basis`` for ``reg(D_n) -> reg(D_n)`` with ``|G|`` up to 512 (target: under 1 s),
   dense and ``sparse=True``, against the generic route (the Reynolds operator on random matrices
   and an SVD, what a library without the regular structure does).
3. Peer libraries (emlp, escnn) only if they are importable; they are not dependencies and are not
   installed by this script.
"""
from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

# One BLAS thread unless the caller sets otherwise: on a shared 2-core machine, threaded BLAS in the
# dense baseline oversubscribes the cores and its timings swing by 100x from run to run.
for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import numpy as np  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import groupmat as gm  # noqa: E402


def best_time(f, repeats: int, budget: float = 2.0) -> float:
    """Minimum wall time of ``f()`` over ``repeats`` runs (fewer if they exceed ``budget`` seconds)."""
    f()  # warm caches (orbit labels, index arrays)
    times = []
    start = time.perf_counter()
    for _ in range(repeats):
        t0 = time.perf_counter()
        f()
        times.append(time.perf_counter() - t0)
        if time.perf_counter() - start > budget:
            break
    return min(times)


def dense_reynolds(W, perms):
    """``1/|G| sum_g rho(g) W rho(g)^T`` with dense matrices (orthogonal rho), each dense permutation
    matrix ``rho(g)`` built from its index array when it is used (to keep memory at one matrix)."""
    out = np.zeros_like(W)
    d = W.shape[0]
    M = np.zeros((d, d))
    for p in perms:
        M[:] = 0.0
        M[p, np.arange(d)] = 1.0
        out += M @ W @ M.T
    return out / len(perms)


def fmt(seconds: float) -> str:
    return f"{seconds * 1e3:10.3f} ms" if seconds < 10 else f"{seconds:10.2f} s "


def bench_projection(quick: bool) -> None:
    print("1. project(W, c*L, c*L) for the left regular representation L of a group of order 64")
    groups = [gm.dihedral(32), gm.cyclic(64), gm.direct_product(gm.quaternion(), gm.cyclic(8))]
    channels = [2] if quick else [4, 16]
    print(f"{'group':>8} {'c':>3} {'W':>11} {'project':>13} {'np.copy':>13} {'dense Reynolds':>15} "
          f"{'vs dense':>9} {'vs copy':>8} {'reynolds(idx)':>14} {'orbits':>13}")
    for G in groups[:1] if quick else groups:
        L = gm.regular_representation(G)
        n = G.order
        for c in channels:
            rep = c * L
            W = np.random.default_rng(0).normal(size=(c * n, c * n))
            reps = 3 if quick else 20
            t_proj = best_time(lambda: gm.project(W, rep, rep), reps)
            t_copy = best_time(lambda: np.copy(W), reps)
            P = gm.project(W, rep, rep)
            t_dense = best_time(lambda: dense_reynolds(W, rep.perms), 1, budget=0)
            assert np.allclose(dense_reynolds(W, rep.perms), P, atol=1e-10)
            t_rey = best_time(lambda: gm.project(W, rep, rep, method="reynolds"), 1 if c > 4 else 3, budget=0)
            t_orb = best_time(lambda: gm.project(W, rep, rep, method="permutation"), 3, budget=1)
            print(f"{G.name:>8} {c:>3} {c * n:>5}x{c * n:<5} {fmt(t_proj)} {fmt(t_copy)} {fmt(t_dense):>15} "
                  f"{t_dense / t_proj:8.0f}x {t_proj / t_copy:7.1f}x {fmt(t_rey):>14} {fmt(t_orb)}")
    print("   targets: >= 100x faster than the dense Reynolds sum; within 3x of np.copy(W)\n")
    bench_regular_kernel(quick)


def bench_regular_kernel(quick: bool) -> None:
    """Where the time of ``project(W, c*L, c*L)`` goes, and the other regular cases (right regular
    representation, float32, a batch axis, a group numbered without run structure)."""
    from groupmat._validation import check_finite
    from groupmat.equivariance.kernels import regular_block

    print("1b. the regular route in detail (c = 16 channels unless noted; minimum of interleaved repeats)")
    print(f"{'case':>24} {'W':>11} {'project':>13} {'kernel':>13} {'finite check':>13} "
          f"{'np.copy':>13} {'vs copy':>8}")
    shuffled = _shuffled_cyclic(64)
    cases = [("D32 left", gm.dihedral(32), "left", 16, (), np.float64),
             ("C64 left", gm.cyclic(64), "left", 16, (), np.float64),
             ("Q8xC8 left", gm.direct_product(gm.quaternion(), gm.cyclic(8)), "left", 16, (), np.float64),
             ("D32 right", gm.dihedral(32), "right", 16, (), np.float64),
             ("D32 left float32", gm.dihedral(32), "left", 16, (), np.float32),
             ("D32 left batch 4, c=8", gm.dihedral(32), "left", 8, (4,), np.float64),
             ("S4 left, c=40", gm.symmetric(4), "left", 40, (), np.float64),
             ("C64 shuffled left", shuffled, "left", 16, (), np.float64)]
    if quick:
        cases = [(name, G, side, 2, batch, dt) for name, G, side, c, batch, dt in cases[:2]]
    for name, G, side, c, batch, dtype in cases:
        n = G.order
        rep = c * gm.regular_representation(G, side)
        W = np.random.default_rng(1).normal(size=batch + (c * n, c * n)).astype(dtype)
        X = W.reshape(-1, c, n, c, n)
        funcs = {"project": lambda: gm.project(W, rep, rep), "kernel": lambda: regular_block(X, G, side),
                 "finite": lambda: check_finite(W, "W"), "copy": lambda: np.copy(W)}
        times = {k: [] for k in funcs}
        for f in funcs.values():
            f()
        for _ in range(3 if quick else 40):  # interleaved, so that all see the same machine load
            for k, f in funcs.items():
                t0 = time.perf_counter()
                f()
                times[k].append(time.perf_counter() - t0)
        t = {k: min(v) for k, v in times.items()}
        shape = "x".join(str(d) for d in W.shape)
        print(f"{name:>24} {shape:>11} {fmt(t['project'])} {fmt(t['kernel'])} {fmt(t['finite'])} "
              f"{fmt(t['copy'])} {t['project'] / t['copy']:7.1f}x")
    print("   kernel: regular_block alone; finite check: the NaN/inf check of the input that project does first\n")


def _shuffled_cyclic(n: int):
    """``C_n`` with its elements numbered in a random order: no runs, the single-entry gathers."""
    perm = np.random.default_rng(0).permutation(n)
    inv = np.argsort(perm)
    a, b = np.meshgrid(np.arange(n), np.arange(n), indexing="ij")
    return gm.from_cayley_table(inv[(perm[a] + perm[b]) % n], name=f"C{n}shuf")


def generic_basis(rep_in, rep_out):
    """What a library without the regular structure does: the Reynolds operator (the sum over the
    group, permutations applied by indexing) on random matrices, then an SVD of the stacked results
    (as many random matrices as the Hom space can have dimensions: d_out * d_in, capped at 4096)."""
    d_out, d_in = rep_out.dim, rep_in.dim
    k = min(d_out * d_in, 4096)
    W = np.random.default_rng(0).normal(size=(k, d_out, d_in))
    P = np.zeros_like(W)
    for g in range(rep_in.group.order):      # the definition: (1/|G|) sum_g rho_out(g) W rho_in(g)^-1
        P += W[:, rep_out.perms[g]][:, :, rep_in.perms[g]]
    P /= rep_in.group.order
    _, s, vt = np.linalg.svd(P.reshape(k, -1), full_matrices=False)
    rank = int((s > s[0] * 1e-10).sum()) if s.size else 0
    return vt[:rank]


def bench_basis(quick: bool) -> None:
    print("2. equivariant_basis(reg(D_n), reg(D_n))")
    sizes = [8, 16, 32] if quick else [8, 16, 32, 64, 128, 256]
    print(f"{'group':>6} {'|G|':>5} {'dim':>5} {'dense':>13} {'sparse':>13} {'generic SVD':>14} {'ratio':>8}")
    for m in sizes:
        G = gm.dihedral(m)
        L = gm.regular_representation(G)
        t_dense = best_time(lambda: gm.equivariant_basis(L, L), 3, budget=5)
        t_sparse = best_time(lambda: gm.equivariant_basis(L, L, sparse=True), 3, budget=1)
        E = gm.equivariant_basis(L, L, sparse=True)
        generic = "-"
        ratio = ""
        if G.order <= (32 if quick else 64):
            t_gen = best_time(lambda: generic_basis(L, L), 1, budget=0)
            Eg = generic_basis(L, L).reshape(G.order, -1)
            # same subspace: the projector onto one equals the projector onto the other
            Ed = E.toarray()
            assert np.allclose(Ed.T @ (Ed @ Eg.T), Eg.T, atol=1e-8)
            generic, ratio = fmt(t_gen), f"{t_gen / t_dense:7.0f}x"
        print(f"{G.name:>6} {G.order:>5} {E.shape[0]:>5} {fmt(t_dense)} {fmt(t_sparse)} {generic:>14} {ratio:>8}")
    print("   target: under 1 s at |G| = 512 (the issue quotes escnn 1.8 s at |G| = 64 and 60 s at |G| = 128,")
    print("   emlp 35 s at |G| = 64, measured on these machines)\n")


def bench_peers(quick: bool) -> None:
    print("3. peer libraries")
    for name in ("emlp", "escnn"):
        try:
            __import__(name)
        except Exception:
            print(f"   {name}: skipped: not installed")
            continue
        print(f"   {name}: importable, but no comparison is wired in this benchmark")  # pragma: no cover


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a run of a few seconds (smoke test)")
    args = parser.parse_args(argv)
    t0 = time.perf_counter()
    bench_projection(args.quick)
    bench_basis(args.quick)
    bench_peers(args.quick)
    print(f"total {time.perf_counter() - t0:.1f} s")


if __name__ == "__main__":
    main()
