"""Benchmark of the PyTorch layers (needs the ``torch`` extra).

1. Forward + backward time of ``GroupLDRLinear`` (one channel, rank r) against ``nn.Linear(|G|, |G|)``
   of the same shape, batch 64, for ``C_32 x C_32`` (|G| = 1024) and ``C_64 x C_64`` (|G| = 4096):
   speed ratio (Linear time / LDR time, > 1 means the LDR layer is faster) and parameter ratio
   (Linear parameters / LDR parameters).
2. The projection penalty ``||W - P(W)||`` (forward + backward) in its spatial and spectral forms
   against a sample-based penalty that evaluates the layer ``x -> W x`` on transformed inputs for all
   group elements, ``1/(2|G|) sum_g ||W L(g) X - L(g) W X||_F^2`` with ``X`` the identity (all basis
   inputs: the sample-based value is then exact, ``= ||W - P(W)||^2``, so the accuracy is equal and
   the table checks it): speed ratio (sample time / penalty time).
3. ``GroupConv`` on ``C_32 x C_32`` (an image on the torus): the 3 x 3 stencil through torch's conv2d
   (the ``"conv"`` route) and by index gathering (``"support"``), and full kernels by FFT and by the
   dense gathered matrix, against ``torch.nn.Conv2d`` (3 x 3, circular padding), which computes the
   same stencil convolution (``bench_conv_routes.py`` times the conv route in detail). Timed with
   ``bench_conv_routes.best_times``: the process's CPU time, all layers and the baseline interleaved.
4. ``layer_defect`` of an ``ApproxGroupConv`` in closed form against the dense route (its dense weight
   and ``groupmat.equivariance_defect``): time and traced peak memory, the dense route up to
   ``C_16 x C_16``; at the GM paper's sizes (``C_28 x C_28`` 8 -> 16, ``C_32 x C_32`` 16 -> 16) the
   closed form alone, with the size the dense weight would have.

Times are the minimum over repeats (sections 1 and 2: the wall clock), with ``--threads`` intra-op
threads (default 1) on both sides. Run ``python3 benchmarks/bench_torch.py`` (about a minute) or
``--quick`` (a few seconds, small sizes).
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import numpy as np  # noqa: E402

import groupmat as gm  # noqa: E402

try:
    import torch
except ImportError:  # pragma: no cover
    print("bench_torch: torch is not installed (pip install 'groupmat[torch]'); skipped")
    sys.exit(0)

from groupmat.torch import GroupConv, GroupLDRLinear, ProjectionPenalty, stencil_support  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))
import bench_conv_routes as conv_routes  # noqa: E402  (the interleaved CPU-clock timing of the conv table)


def timeit(fn, repeats: int) -> float:
    fn()  # warm-up
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return float(np.min(times))  # the minimum: the least disturbed run on a shared machine


def fwd_bwd(module, x):
    def run():
        module.zero_grad(set_to_none=True)
        module(x).square().mean().backward()
    return run


def bench_layers(specs, ranks, batch: int, repeats: int) -> None:
    print(f"GroupLDRLinear vs nn.Linear, forward + backward, batch {batch}, 1 channel, float32, "
          f"{torch.get_num_threads()} threads")
    print(f"{'group':>10} {'|G|':>6} {'rank':>4} {'LDR ms':>9} {'Linear ms':>10} {'speed ratio':>12} "
          f"{'LDR params':>11} {'Linear params':>14} {'param ratio':>12}")
    for spec in specs:
        G = gm.group(spec)
        n = G.order
        torch.manual_seed(0)
        x = torch.randn(batch, 1, n)
        lin = torch.nn.Linear(n, n)
        xf = x.reshape(batch, n)
        t_lin = timeit(fwd_bwd(lin, xf), repeats)
        p_lin = sum(p.numel() for p in lin.parameters())
        for r in ranks:
            layer = GroupLDRLinear(G, 1, 1, rank=r, v_init_std=0.01)
            t = timeit(fwd_bwd(layer, x), repeats)
            print(f"{spec:>10} {n:>6} {r:>4} {1e3 * t:>9.2f} {1e3 * t_lin:>10.2f} {t_lin / t:>11.1f}x "
                  f"{layer.num_parameters:>11} {p_lin:>14} {p_lin / layer.num_parameters:>11.0f}x")


def bench_conv(spec: str, channels: int, batch: int, repeats: int) -> None:
    """GroupConv routes, forward + backward, against torch's conv2d with circular padding (3 x 3).

    Timed as ``bench_conv_routes.py`` times (its :func:`bench_conv_routes.best_times`, one source): the
    process's CPU time, every layer and the baseline interleaved in each round (in alternating order),
    each on its own copy of the input, which requires its gradient; the minimum over the rounds.
    """
    G = gm.group(spec)
    n = G.order
    side = int(round(n ** 0.5))
    torch.manual_seed(0)
    x = torch.randn(batch, channels, n)
    print()
    print(f"GroupConv on {spec} (|G| = {n}), {channels} -> {channels} channels, batch {batch}, forward + backward "
          f"(CPU time, interleaved, min of {repeats})")
    print(f"{'layer':>34} {'ms':>9} {'time / conv2d 3x3':>20}")
    ref = torch.nn.Conv2d(channels, channels, 3, padding=1, padding_mode="circular")
    stencil = stencil_support(G)
    layers = [("torch conv2d 3x3 circular", ref, x.reshape(batch, channels, side, side)),
              ("GroupConv 3x3, conv route", GroupConv(G, channels, channels, support=stencil, route="conv"), x),
              ("GroupConv 3x3, gather", GroupConv(G, channels, channels, support=stencil, route="support"), x),
              ("GroupConv full kernel, fft", GroupConv(G, channels, channels, route="fft"), x),
              ("GroupConv full kernel, dense", GroupConv(G, channels, channels, route="dense"), x)]
    runs = [conv_routes.forward_backward(layer, xi.detach().clone().requires_grad_(True)) for _, layer, xi in layers]
    times = conv_routes.best_times(runs, repeats)
    for (label, _, _), t in zip(layers, times):
        print(f"{label:>34} {1e3 * t:>9.2f} {t / times[0]:>19.2f}x")


def bench_defect(cases, dense_max_order: int, repeats: int) -> None:
    """``layer_defect`` of an ``ApproxGroupConv`` (3 x 3 stencil, two correction positions): its closed
    form against the dense route (the dense weight and ``groupmat.equivariance_defect``), time and
    traced peak memory; the dense route only up to ``dense_max_order`` (at the paper's sizes it needs
    gigabytes: its float64 weight's size is printed)."""
    import tracemalloc

    from groupmat.torch import ApproxGroupConv, layer_defect

    print()
    print("layer_defect of ApproxGroupConv: closed form vs the dense weight + equivariance_defect (CPU time, "
          "tracemalloc peak)")
    print(f"{'group':>9} {'in->out':>8} {'dense W (f64)':>14} {'closed ms':>10} {'closed peak':>12} "
          f"{'dense ms':>10} {'dense peak':>11} {'rel diff':>9}")
    for spec, c_in, c_out in cases:
        G = gm.group(spec)
        n = G.order
        torch.manual_seed(0)
        layer = ApproxGroupConv(G, c_in, c_out, error_positions=[0, n // 2], support=stencil_support(G)).double()
        with torch.no_grad():
            layer.error.normal_()

        def dense():
            W = layer.dense_weight().detach().numpy()
            L = gm.regular_representation(G)
            return float(gm.equivariance_defect(W, gm.direct_sum(*[L] * c_in), gm.direct_sum(*[L] * c_out)))

        def measure(fn, reps):
            best, peak, value = float("inf"), 0, None
            for _ in range(reps):
                tracemalloc.start()
                t = time.process_time()
                value = fn()
                best = min(best, time.process_time() - t)
                peak = max(peak, tracemalloc.get_traced_memory()[1])
                tracemalloc.stop()
            return value, best, peak

        closed, t_c, p_c = measure(lambda: layer_defect(layer), repeats)
        size = f"{c_out * n * c_in * n * 8 / 2**20:.1f} MiB"
        if n <= dense_max_order:
            ref, t_d, p_d = measure(dense, 1)
            tail = f"{1e3 * t_d:>10.1f} {p_d / 2**20:>8.1f} MiB {abs(closed - ref) / ref:>9.1e}"
        else:
            tail = f"{'-':>10} {'-':>11} {'-':>9}"
        print(f"{spec:>9} {f'{c_in}->{c_out}':>8} {size:>14} {1e3 * t_c:>10.2f} {p_c / 2**10:>8.1f} KiB {tail}")


def sample_penalty(W, perm_in, perm_out, chunk: int):
    """``1/(2n) sum_g ||W rho_in(g) X - rho_out(g) W X||^2`` with ``X = I``, evaluating ``x -> W x``."""
    n, d_in = perm_in.shape
    X = torch.eye(d_in, dtype=W.dtype)
    Y = X @ W.T                                       # the layer on the untransformed inputs
    total = W.new_zeros(())
    for start in range(0, n, chunk):
        inv_in = perm_in[start:start + chunk]
        # rho(g) x: (rho(g) x)[perms[g, i]] = x[i]; the transformed inputs, then the layer on them
        Xg = torch.empty(inv_in.shape[0], d_in, d_in, dtype=W.dtype)
        Xg.scatter_(2, inv_in[:, None, :].expand(-1, d_in, -1), X.expand(inv_in.shape[0], -1, -1))
        Yg = Xg @ W.T
        Ty = torch.empty_like(Yg)
        Ty.scatter_(2, perm_out[start:start + chunk][:, None, :].expand(-1, d_in, -1),
                    Y.expand(inv_in.shape[0], -1, -1))
        total = total + (Yg - Ty).square().sum()
    return total / (2 * n)


def bench_penalties(cases, repeats: int) -> None:
    print()
    print("Projection penalty (forward + backward) vs a sample-based penalty over all group elements, float64")
    print(f"{'group':>10} {'|G|':>5} {'c':>3} {'d':>5} {'route sp/spec':>17} {'spatial ms':>11} {'spectral ms':>12} "
          f"{'sample ms':>10} {'sample/spatial':>15} {'sample/spectral':>16} {'max rel diff':>13}")
    for spec, c in cases:
        G = gm.group(spec)
        n = G.order
        reg = c * gm.regular_representation(G)
        d = reg.dim
        torch.manual_seed(0)
        W = torch.randn(d, d, dtype=torch.float64, requires_grad=True)
        spatial = ProjectionPenalty(reg, reg, squared=True)
        spectral = ProjectionPenalty(reg, reg, form="spectral", squared=True)
        perms = torch.as_tensor(np.array(reg.perms))

        def run(f):
            def go():
                W.grad = None
                f(W).backward()
            return go

        sample = lambda W: sample_penalty(W, perms, perms, chunk=16)  # noqa: E731
        values = [f(W).item() for f in (spatial, spectral, sample)]
        ref = gm.equivariance_defect(W.detach().numpy(), reg, reg) ** 2
        diff = max(abs(v - ref) / ref for v in values)
        t_sp, t_spec, t_sample = (timeit(run(f), repeats) for f in (spatial, spectral, sample))
        routes = f"{spatial.route}/{spectral.route}"
        print(f"{spec:>10} {n:>5} {c:>3} {d:>5} {routes:>17} {1e3 * t_sp:>11.2f} {1e3 * t_spec:>12.2f} "
              f"{1e3 * t_sample:>10.1f} {t_sample / t_sp:>14.0f}x {t_sample / t_spec:>15.1f}x {diff:>13.1e}")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small sizes, a few seconds")
    parser.add_argument("--threads", type=int, default=1,
                        help="torch intra-op threads for both sides of every ratio (default 1: on a shared "
                             "2-core machine an OpenMP barrier around small FFTs can cost milliseconds)")
    args = parser.parse_args(argv)
    torch.set_num_threads(max(1, args.threads))
    if args.quick:
        bench_layers(["C16xC16"], [1, 2], batch=64, repeats=2)
        bench_penalties([("C4xC4", 2), ("D8", 2)], repeats=2)
        bench_conv("C8xC8", 2, batch=4, repeats=3)
        bench_defect([("C8xC8", 2, 2)], dense_max_order=64, repeats=2)
    else:
        bench_layers(["C32xC32", "C64xC64"], range(1, 9), batch=64, repeats=5)
        bench_penalties([("C8xC8", 4), ("D16", 4), ("C16xC16", 1), ("D32", 2)], repeats=3)
        bench_conv("C32xC32", 8, batch=16, repeats=9)
        bench_defect([("C16xC16", 4, 8), ("C28xC28", 8, 16), ("C32xC32", 16, 16)], dense_max_order=256, repeats=5)
    return 0


if __name__ == "__main__":
    sys.exit(main())
