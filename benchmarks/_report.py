"""Formatting shared by the benchmarks (one place for how a time is printed)."""
from __future__ import annotations


def fmt_time(t) -> str:
    """A duration in seconds as ``"12 us"``, ``"3.4 ms"`` or ``"1.23 s"``; ``"-"`` for None."""
    if t is None:
        return "-"
    if t < 1e-3:
        return f"{t * 1e6:.0f} us"
    if t < 1.0:
        return f"{t * 1e3:.1f} ms"
    return f"{t:.2f} s"
