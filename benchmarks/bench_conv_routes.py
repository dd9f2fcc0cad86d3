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

``--calibrate`` times the gather (``"support"``) against the conv route over groups and input channels,
sorted by the work ``|G| x |S| x in_channels`` that :func:`groupmat.routing.conv_route` reads: the
measurement behind ``CONV_ROUTE_MIN_WORK`` (a few minutes).

Times are the minimum over repeats, the two sides interleaved (in alternating order, each on its
own copy of the input), ``--threads`` intra-op threads on both sides (default 1), measured as the
process's CPU time (``--clock wall`` for the wall clock: on a loaded shared machine wall-clock
minima of millisecond calls scatter by several times, CPU times by a few percent). Channels
16 -> 16, batch 32 (``--quick``: small sizes, a few seconds). Run
``python3 benchmarks/bench_conv_routes.py``.
"""
from __future__ import annotations

import argparse
import math
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


#: the cases of ``--calibrate``: (group, in channels, out channels), from 1-D cyclic and dihedral
#: groups to 3-D tori, small and large orders, one to sixteen input channels
CALIBRATION = [(spec, i, o) for spec in ("C32", "C64", "C128", "C512", "D16", "D32", "D64", "C4xC4", "D2xD2",
                                         "C8xC8", "D4xD4", "C4xD4", "C16xC16", "D8xD8", "C6xC6xC6", "C28xC28")
               for i, o in ((1, 8), (2, 2), (4, 4), (8, 8), (16, 16))]


def calibrate(cases, batch: int, repeats: int) -> None:
    """The gather (``"support"``) against the conv route, forward + backward and forward, on the stencil
    of radius 1, sorted by the work ``|G| x |S| x in_channels`` that the rule of
    :func:`groupmat.routing.conv_route` reads; ``auto`` is the route it picks, ``auto/best`` what the
    pick costs against the faster route (forward + backward)."""
    print(f"calibration of the auto route: gather / conv time, batch {batch}, {torch.get_num_threads()} thread(s)")
    print(f"{'group':>9} {'|G|':>5} {'|S|':>4} {'taps':>4} {'in':>3} {'out':>3} {'work':>7} {'conv f+b':>9} "
          f"{'gather f+b':>10} {'g/c f+b':>8} {'g/c fwd':>8} {'auto':>8} {'auto/best':>9}")
    rows = []
    for spec, i, o in cases:
        G = gm.group(spec)
        S = stencil_support(G)
        torch.manual_seed(0)
        conv = GroupConv(G, i, o, support=S, route="conv")
        gather = GroupConv(G, i, o, support=S, route="support")
        gather.load_state_dict(conv.state_dict())
        auto = GroupConv(G, i, o, support=S).route
        x = torch.randn(batch, i, G.order)
        xc, xg = x.clone().requires_grad_(True), x.clone().requires_grad_(True)
        fb = best_times([forward_backward(conv, xc), forward_backward(gather, xg)], repeats)
        fw = best_times([forward(conv, xc), forward(gather, xg)], repeats)
        taps = conv.plan.flips * math.prod(conv.plan.box)
        work = G.order * len(S) * i
        picked = fb[0] if auto == "conv" else fb[1]
        rows.append((work, spec, G.order, len(S), taps, i, o, fb, fw, auto, picked / min(fb)))
    for work, spec, n, s, taps, i, o, fb, fw, auto, loss in sorted(rows, key=lambda r: r[0]):
        print(f"{spec:>9} {n:>5} {s:>4} {taps:>4} {i:>3} {o:>3} {work:>7} {1e3 * fb[0]:>9.3f} {1e3 * fb[1]:>10.3f} "
              f"{fb[1] / fb[0]:>7.2f}x {fw[1] / fw[0]:>7.2f}x {auto:>8} {loss:>8.2f}x")
    worst = max(rows, key=lambda r: r[-1])
    print(f"worst pick: {worst[1]} {worst[5]} -> {worst[6]} channels, {worst[-1]:.2f}x the faster route; "
          f"picks within 1.25x of the faster route: {sum(r[-1] <= 1.25 for r in rows)} of {len(rows)}")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small sizes, a few seconds")
    parser.add_argument("--threads", type=int, default=1,
                        help="torch intra-op threads for both sides of every ratio (default 1)")
    parser.add_argument("--clock", choices=sorted(CLOCK), default="cpu",
                        help="cpu: the process's CPU time (default; with one thread the work done, little "
                             "disturbed by other processes on a shared machine); wall: the wall clock")
    parser.add_argument("--calibrate", action="store_true",
                        help="time the gather against the conv route over groups and channels (batch --batch), "
                             "the measurement behind the rule of groupmat.routing.conv_route")
    parser.add_argument("--batch", type=int, default=32, help="batch of --calibrate (default 32)")
    parser.add_argument("--repeats", type=int, default=9, help="repeats of --calibrate (default 9)")
    args = parser.parse_args(argv)
    global clock
    clock = CLOCK[args.clock]
    torch.set_num_threads(max(1, args.threads))
    print(f"clock: {args.clock}, {max(1, args.threads)} intra-op thread(s)")
    if args.calibrate:
        calibrate(CALIBRATION, batch=max(1, args.batch), repeats=max(1, args.repeats))
        return 0
    if args.quick:
        bench_cyclic([12, 16], channels=4, batch=4, repeats=3, gather_max=256, quick=True)
        bench_dihedral([6, 8], channels=4, batch=4, repeats=3, gather_max=256, quick=True)
    else:
        bench_cyclic([16, 32, 64], channels=16, batch=32, repeats=15, gather_max=1024)
        bench_dihedral([8, 16, 32], channels=16, batch=32, repeats=15, gather_max=1024)
    return 0


if __name__ == "__main__":
    sys.exit(main())
