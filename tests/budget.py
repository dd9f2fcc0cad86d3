"""Shared checks of the memory budget: a refusal comes before anything near the refused size is allocated."""
from __future__ import annotations

import gc
import re
import time
import tracemalloc

import pytest

import groupmat as gm

#: Seconds after which a call that must finish at once counts as hung. Only a hang guard (the bugs it
#: guards against took minutes or never ended); never a speed claim, which belongs to benchmarks/.
HANG_GUARD = 10.0


def limit(monkeypatch, nbytes) -> None:
    """Set the memory budget ``GROUPMAT_MAX_BYTES`` for one test."""
    monkeypatch.setenv("GROUPMAT_MAX_BYTES", str(int(nbytes)))


def traced_peak(call):
    """``(call(), the peak bytes traced while it ran)``."""
    tracemalloc.start()
    try:
        tracemalloc.reset_peak()
        out = call()
        return out, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def announced_bytes(message: str) -> float:
    """The size a TooLargeError says the refused array would take, in bytes."""
    if "about 10^" in message:
        return float("inf")
    value, unit = re.search(r"would take ([\d.e+]+) (B|KiB|MiB|GiB|TiB|PiB)", message).groups()
    return float(value) * 1024 ** ["B", "KiB", "MiB", "GiB", "TiB", "PiB"].index(unit)


def refused_quickly(call, *words) -> str:
    """``call()`` raises TooLargeError naming ``words``, the size and ``GROUPMAT_MAX_BYTES``, before
    anything near the refused size was allocated: the traced peak of the call is under a quarter of the
    announced size plus 64 KiB of Python objects (the message, the frames). A first call over that bound
    is repeated once and the second peak decides: a one-time allocation of the interpreter or of a
    library cache is not the refusal's, an array allocated before refusing comes back every time. The
    time bound is only a hang guard. Returns the message."""
    for attempt in range(2):
        gc.collect()
        start = time.perf_counter()
        tracemalloc.start()
        try:
            with pytest.raises(gm.TooLargeError) as info:
                call()
            peak = tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()
        assert time.perf_counter() - start < HANG_GUARD
        msg = str(info.value)
        announced = announced_bytes(msg)
        if peak < announced / 4 + 2**16:
            break
    else:
        raise AssertionError(f"{peak} bytes were allocated before refusing {announced:.3g} bytes")
    assert "would take" in msg and "GROUPMAT_MAX_BYTES" in msg
    for w in words:
        assert w in msg, msg
    return msg
