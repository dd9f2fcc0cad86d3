"""Checks for the sweep tests, in an importable module (not a test module): a Dask worker receives a
check by reference and imports this module to run it.

``kill_worker_once`` and ``kill_worker_always`` end the worker *process* running them (``os._exit``),
the way a crash or an out-of-memory kill would; outside a Dask worker they refuse to (AssertionError),
so a mistake can never end the test process itself.
"""
from __future__ import annotations

import os
import time

import numpy as np


def _in_a_worker_process() -> bool:
    try:
        from distributed import get_worker

        get_worker()
    except (ImportError, ValueError):
        return False
    return True


def kill_worker_once(marker: str, G) -> str:
    """Kill the worker running it the first time (writing its pid to ``marker``); pass afterwards."""
    if not os.path.exists(marker):
        assert _in_a_worker_process(), "kill_worker_once runs only in a Dask worker process"
        with open(marker, "w") as fh:
            fh.write(str(os.getpid()))
        os._exit(1)
    return "exact"


def kill_worker_always(G) -> str:
    """Kill every worker that runs it."""
    assert _in_a_worker_process(), "kill_worker_always runs only in a Dask worker process"
    os._exit(1)


def slow(seconds: float, G) -> str:
    time.sleep(seconds)
    return "exact"


def wait_for_file(path: str, G) -> str:
    """Pass once ``path`` exists (at most a minute: a hang guard): a row that is still running when
    the test wants it to be."""
    deadline = time.monotonic() + 60
    while not os.path.exists(path):
        assert time.monotonic() < deadline, f"{path} did not appear within a minute"
        time.sleep(0.05)
    return "exact"


def false_identity(G) -> str:
    """A false statement: |G| is odd."""
    assert G.order % 2 == 1, f"|{G.name}| = {G.order} is even"
    return "exact"


def only_abelian(G) -> str:
    from groupmat.verify import NotApplicable

    if not G.is_abelian:
        raise NotApplicable(f"{G.name} is not abelian")
    return "exact"


def crash(G) -> str:
    return {}["no such key"]


def associativity_on_samples(G, sample: int = 0) -> str:
    """(x * y) * z = x * (y * z) for random x, y, z drawn from ``default_rng(sample)``."""
    from groupmat import convolve
    from groupmat.tolerances import roundoff

    x, y, z = np.random.default_rng(sample).standard_normal((3, G.order))
    left, right = convolve(G, convolve(G, x, y), z), convolve(G, x, convolve(G, y, z))
    err = float(np.abs(left - right).max())
    assert err <= roundoff(np.float64, 10.0, G.order ** 2), f"sample {sample}: associativity off by {err}"
    return "numeric"


def wrong_on_sample_two(G, sample: int = 0) -> str:
    assert sample != 2, "sample 2 is the bad one"
    return "numeric"
