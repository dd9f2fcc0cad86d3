"""Benchmark: groupmat on a Dask cluster (``groupmat.dask``) against the serial run on this machine.

Ratios in one run, against baselines measured in the same run:

- ``groupmat verify`` rows: the serial :func:`groupmat.verify.run` against :func:`groupmat.dask.sweep`
  on a local cluster of 2 and then 1 worker processes (warm: each worker has run a sweep before, so
  imports are not timed; the cluster's start-up is printed apart). The speedup is serial / sweep.
- the overhead per task: a sweep of rows that do nothing (an identity registered for the benchmark,
  returning at once), seconds per row, against the same rows run serially; the rows of the first
  item are the registered identities only (what ``groupmat verify`` runs), never these;
- Dask arrays: ``convolve`` of a batch of signals as one NumPy call against the same batch as a
  ``dask.array`` in chunks, computed with Dask's threaded scheduler (1 and 2 threads).

Run ``python3 benchmarks/bench_dask.py`` (``--quick`` for a short run). Without Dask installed it
says so and exits 0.
"""
from __future__ import annotations

import argparse
import logging
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import groupmat as gm  # noqa: E402
from groupmat import verify  # noqa: E402

from _report import fmt_time  # noqa: E402


def noop(G):
    """A row that does nothing: what is left of its time on a cluster is the per-task overhead."""
    return "exact"


def best(f, repeat: int, make=None):
    """Best time of ``f()`` (or of ``f(make())``, ``make`` untimed) over ``repeat`` runs."""
    times = []
    for _ in range(repeat):
        args = () if make is None else (make(),)
        t = time.perf_counter()
        f(*args)
        times.append(time.perf_counter() - t)
    return min(times)


def sweeps(distributed, quick: bool) -> None:
    from groupmat.dask import sweep

    # fresh groups for every run (a group's memo travels with it: no run inherits another's caches)
    if quick:   # a smoke run: a few rows on two small groups
        topics = ["groups"]
        fresh = lambda: verify.plan(topics=topics, groups=[gm.cyclic(3), gm.dihedral(3)])  # noqa: E731
    else:
        topics = None
        real = [ident.name for ident in verify.select()]     # the registered identities, before noop joins them
        fresh = lambda: verify.plan(names=real)  # noqa: E731
    verify.register("bench: a row that does nothing", zoo="default", topic="bench-noop")(noop)
    n_noop = 20 if quick else 400
    fresh_noop = lambda: verify.plan(topics=["bench-noop"], groups=[gm.cyclic(2)] * n_noop)  # noqa: E731
    jobs = fresh()
    repeat = 1 if quick else 3

    t = time.perf_counter()
    cluster = distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                                       dashboard_address=":0", silence_logs=logging.ERROR)
    client = distributed.Client(cluster, set_as_default=False)
    client.wait_for_workers(2)
    started = time.perf_counter() - t
    try:
        t = time.perf_counter()
        sweep(client, jobs=fresh())                               # warm-up: imports and first uses
        warm = time.perf_counter() - t
        verify.run(jobs=fresh())                                  # the same warm-up for the serial run
        serial = best(lambda j: verify.run(jobs=j), repeat, fresh)
        serial_noop = best(lambda j: verify.run(jobs=j), repeat, fresh_noop)
        results = {}
        for workers in (2, 1):
            if workers == 1:
                cluster.scale(1)
                while len(client.scheduler_info()["workers"]) > 1:
                    time.sleep(0.05)
            results[workers] = (best(lambda j: sweep(client, jobs=j), repeat, fresh),
                                best(lambda j: sweep(client, jobs=j), repeat, fresh_noop))
    finally:
        client.close()
        cluster.close()
        verify.unregister("bench: a row that does nothing")

    print(f"verify sweeps: {len(jobs)} rows ({'topic ' + ', '.join(topics) if topics else 'every identity'}), "
          f"{n_noop} empty rows for the overhead")
    print(f"cluster start (2 worker processes): {fmt_time(started)}; first sweep (imports, warm-up): {fmt_time(warm)}")
    print(f"{'run':>18} {'rows':>10} {'speedup':>8} {'per empty row':>14} {'overhead/row':>13}")
    print(f"{'serial':>18} {fmt_time(serial):>10} {'1.00x':>8} {fmt_time(serial_noop / n_noop):>14} {'-':>13}")
    for workers in (1, 2):
        t_rows, t_noop = results[workers]
        per = t_noop / n_noop
        print(f"{f'dask, {workers} worker' + 's' * (workers > 1):>18} {fmt_time(t_rows):>10} {serial / t_rows:7.2f}x "
              f"{fmt_time(per):>14} {fmt_time(per - serial_noop / n_noop):>13}")


def arrays(dask, da, quick: bool) -> None:
    rng = np.random.default_rng(0)
    print()
    print("convolve on a batch of signals: one NumPy call vs a dask.array in chunks (threaded scheduler)")
    print(f"{'group':>8} {'batch':>8} {'chunk':>7} {'numpy':>10} {'dask 1 thr':>11} {'ratio':>7} {'dask 2 thr':>11} {'ratio':>7}")
    sizes = [(gm.dihedral(16), 1024, 256)] if quick else [(gm.dihedral(64), 16384, 2048), (gm.cyclic(1024), 8192, 1024),
                                                            (gm.symmetric(4), 65536, 8192)]
    for G, batch, chunk in sizes:
        x = rng.standard_normal((batch, G.order))
        f = rng.standard_normal(G.order)
        X = da.from_array(x, chunks=(chunk, G.order))
        t_np = best(lambda: gm.convolve(G, x, f), 3)
        row = f"{G.name:>8} {batch:>8} {chunk:>7} {fmt_time(t_np):>10}"
        for threads in (1, 2):
            with dask.config.set(scheduler="threads", num_workers=threads):
                t = best(lambda: gm.convolve(G, X, f).compute(), 3)
            row += f" {fmt_time(t):>11} {t_np / t:6.2f}x"
        print(row)


def main(quick: bool = False) -> None:
    try:
        import dask
        import dask.array as da
        import distributed
    except ImportError as err:
        print(f"dask is not installed ({err}): nothing to measure (pip install 'groupmat[dask]')")
        return
    print(f"dask {dask.__version__}, distributed {distributed.__version__}")
    sweeps(distributed, quick)
    arrays(dask, da, quick)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a short run")
    main(parser.parse_args().quick)
