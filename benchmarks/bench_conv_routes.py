"""Benchmark of ``GroupConv``'s ``"conv"`` route (PyTorch's convolutions) on image groups (needs ``torch``).

Ratios in one run, ``GroupConv`` time / baseline time (below 1 means ``GroupConv`` is faster), forward
(under ``torch.no_grad``) and forward + backward (``y.square().mean().backward()``, the gradients of
the parameters and of the input, as in a hidden layer), float32:

1. ``C_n x C_n`` (an ``n x n`` image on the torus), the 3 x 3 stencil (``stencil_support(G)``,
   ``route="auto"``, which takes ``"conv"``) against ``torch.nn.Conv2d(C, C, 3, padding=1,
   padding_mode="circular")``, which computes the same convolution (checked equal at each size).
   Target: within 1.5x. The gather of the ``"support"`` route is shown for comparison.
2. ``D_n x D_n`` (rotations and flips of each axis), the stencil of radius 1 (rotations ``r^k`` and
   reflections ``s r^k`` with ``|k| <= 1`` in each factor): the route lifts the signal to
   ``4 C`` channels on the ``n x n`` rotation grid and convolves with the lifted filter bank built
   from the kernels at each call; the baseline is a plain ``Conv2d(4 C, 4 C, 3, circular)`` on an
   ``n x n`` grid (a dense lifted bank of the same size held as its weight). Target: within 2x.

Times are the minimum over repeats, the two sides interleaved (in alternating order, each on its
own copy of the input), ``--threads`` intra-op threads on both sides (default 1), measured as the
process's CPU time (``--clock wall`` for the wall clock: on a loaded shared machine wall-clock
minima of millisecond calls scatter by several times, CPU times by a few percent). Channels
16 -> 16, batch 32 (``--quick``: small sizes, a few seconds). Run
``python3 benchmarks/bench_conv_routes.py``.
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import groupmat as gm  # noqa: E402

try:
    import torch
except ImportError:  # pragma: no cover
    print("bench_conv_routes: torch is not installed (pip install 'groupmat[torch]'); skipped")
    sys.exit(0)

from groupmat.torch import GroupConv, stencil_support  # noqa: E402


def forward(module, x):
    def run():
        with torch.no_grad():
            module(x)
    return run


def forward_backward(module, x):
    def run():
        module.zero_grad(set_to_none=True)
        x.grad = None
        module(x).square().mean().backward()
    return run


#: the clock of every timing: process CPU time by default (``--clock wall`` for the wall clock)
CLOCK = {"cpu": time.process_time, "wall": time.perf_counter}
clock = CLOCK["cpu"]


def best_times(fns, repeats: int) -> list[float]:
    """The minimum time of each function over ``repeats`` rounds, the functions interleaved in each
    round (so a burst of load on the shared machine hits both sides of a ratio), in reversed order
    every other round (so neither side always runs just after the other warmed the caches)."""
    for fn in fns:
        fn()                                   # warm-up
    best = [float("inf")] * len(fns)
    for r in range(repeats):
        order = range(len(fns)) if r % 2 == 0 else reversed(range(len(fns)))
        for k in order:
            t = clock()
            fns[k]()
            best[k] = min(best[k], clock() - t)
    return best


def pair_times(layer, x, ref, x_ref, repeats: int) -> list[float]:
    """``[forward, baseline forward, forward + backward, baseline forward + backward]``; each side
    reads its own copy of the input, which requires its gradient (as in a hidden layer)."""
    x, x_ref = x.detach().requires_grad_(True), x_ref.detach().requires_grad_(True)
    return (best_times([forward(layer, x), forward(ref, x_ref)], repeats)
            + best_times([forward_backward(layer, x), forward_backward(ref, x_ref)], repeats))


def header(title: str) -> None:
    print(title)
    print(f"{'group':>9} {'|G|':>6} {'route':>6} {'fwd ms':>8} {'base ms':>8} {'fwd ratio':>10} "
          f"{'f+b ms':>8} {'base ms':>8} {'f+b ratio':>10} {'gather f+b ms':>14}")


def row(spec, n, route, t, t_gather) -> None:
    gather = "-" if t_gather is None else f"{1e3 * t_gather:.2f}"
    print(f"{spec:>9} {n:>6} {route:>6} {1e3 * t[0]:>8.2f} {1e3 * t[1]:>8.2f} {t[0] / t[1]:>9.2f}x "
          f"{1e3 * t[2]:>8.2f} {1e3 * t[3]:>8.2f} {t[2] / t[3]:>9.2f}x {gather:>14}")


def verdict(worst: float, target: float, quick: bool) -> str:
    met = "met" if worst <= target else "NOT met"
    return f"{met}; --quick sizes are dominated by per-call overhead, the target is for the full run" if quick else met


def bench_cyclic(sides, channels: int, batch: int, repeats: int, gather_max: int, quick: bool = False) -> float:
    header(f"GroupConv 3 x 3 stencil on C_n x C_n vs torch.nn.Conv2d 3 x 3 circular, {channels} -> {channels} "
           f"channels, batch {batch}, {torch.get_num_threads()} threads (ratio = GroupConv / Conv2d)")
    worst = 0.0
    for side in sides:
        spec = f"C{side}xC{side}"
        G = gm.group(spec)
        torch.manual_seed(0)
        layer = GroupConv(G, channels, channels, support=stencil_support(G))
        ref = torch.nn.Conv2d(channels, channels, 3, padding=1, padding_mode="circular")
        with torch.no_grad():
            # the same convolution: tap (1 + i, 1 + j) of Conv2d is w(r1^i r2^j) (a cross-correlation)
            offsets = torch.arange(-1, 2) % side
            ref.weight.copy_(layer.kernel()[..., (offsets[:, None] * side + offsets[None, :])])
            ref.bias.copy_(layer.bias)
        x = torch.randn(batch, channels, G.order)
        x2 = x.reshape(batch, channels, side, side).clone()
        with torch.no_grad():
            err = (layer(x) - ref(x2).reshape(batch, channels, -1)).abs().max().item()
        assert err < 1e-4, (spec, err)
        t = pair_times(layer, x, ref, x2, repeats)
        t_gather = None
        if G.order <= gather_max:
            gather = GroupConv(G, channels, channels, support=stencil_support(G), route="support")
            t_gather = best_times([forward_backward(gather, x.detach().requires_grad_(True))],
                                  max(1, repeats // 3))[0]
        row(spec, G.order, layer.route, t, t_gather)
        worst = max(worst, t[0] / t[1], t[2] / t[3])
    print(f"target: within 1.5x of Conv2d; worst ratio {worst:.2f}x ({verdict(worst, 1.5, quick)})")
    return worst


def bench_dihedral(sides, channels: int, batch: int, repeats: int, gather_max: int, quick: bool = False) -> float:
    print()
    header(f"GroupConv radius-1 stencil on D_n x D_n vs Conv2d(4C, 4C, 3 x 3, circular) on the n x n rotation "
           f"grid (the lifted bank as dense weights), {channels} -> {channels} channels, batch {batch}")
    worst = 0.0
    for side in sides:
        spec = f"D{side}xD{side}"
        G = gm.group(spec)
        torch.manual_seed(0)
        layer = GroupConv(G, channels, channels, support=stencil_support(G))
        lifted = 4 * channels
        ref = torch.nn.Conv2d(lifted, lifted, 3, padding=1, padding_mode="circular")
        x = torch.randn(batch, channels, G.order)
        x2 = x.reshape(batch, lifted, side, side).clone()
        t = pair_times(layer, x, ref, x2, repeats)
        t_gather = None
        if G.order <= gather_max:
            gather = GroupConv(G, channels, channels, support=stencil_support(G), route="support")
            t_gather = best_times([forward_backward(gather, x.detach().requires_grad_(True))],
                                  max(1, repeats // 3))[0]
        row(spec, G.order, layer.route, t, t_gather)
        worst = max(worst, t[0] / t[1], t[2] / t[3])
    print(f"target: within 2x of the lifted Conv2d; worst ratio {worst:.2f}x ({verdict(worst, 2.0, quick)})")
    return worst


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small sizes, a few seconds")
    parser.add_argument("--threads", type=int, default=1,
                        help="torch intra-op threads for both sides of every ratio (default 1)")
    parser.add_argument("--clock", choices=sorted(CLOCK), default="cpu",
                        help="cpu: the process's CPU time (default; with one thread the work done, little "
                             "disturbed by other processes on a shared machine); wall: the wall clock")
    args = parser.parse_args(argv)
    global clock
    clock = CLOCK[args.clock]
    torch.set_num_threads(max(1, args.threads))
    print(f"clock: {args.clock}, {max(1, args.threads)} intra-op thread(s)")
    if args.quick:
        bench_cyclic([12, 16], channels=4, batch=4, repeats=3, gather_max=256, quick=True)
        bench_dihedral([6, 8], channels=4, batch=4, repeats=3, gather_max=256, quick=True)
    else:
        bench_cyclic([16, 32, 64], channels=16, batch=32, repeats=15, gather_max=1024)
        bench_dihedral([8, 16, 32], channels=16, batch=32, repeats=15, gather_max=1024)
    return 0


if __name__ == "__main__":
    sys.exit(main())
