"""``groupmat verify`` on a Dask cluster: every (identity, group, sample) row is a task.

The rows are those of :func:`groupmat.verify.run` (the same :func:`groupmat.verify.plan`, each row
run by the same :func:`groupmat.verify.run_row` on a worker), so a sweep reports exactly what the
serial run reports, apart from the times. Rows stream back as they finish; a worker that dies
while running a row loses nothing: the scheduler runs the row again on another worker, and a row
whose workers keep dying (``distributed.scheduler.allowed-failures`` times) comes back as a
``LOST`` row, "not run", never as a pass.
"""
from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable, Iterator

from .._validation import check_nonnegative_int
from ..groups.core import FiniteGroup
from ..verify.core import Row, plan, run_row
from .clusters import require_distributed

__all__ = ["sweep", "sweep_rows"]


def _check_client(client) -> None:
    if not (hasattr(client, "submit") and hasattr(client, "scheduler")):
        raise TypeError(f"client must be a distributed.Client (see groupmat.dask.connect), got {type(client).__name__}")


def _unpack(job) -> tuple:
    """``(identity, group or failed Row, sample)`` of a job of :func:`groupmat.verify.plan`."""
    return job if len(job) == 3 else (*job, None)


def _lost_row(job, future) -> Row:
    """The row of a job whose task did not finish: not run, and why."""
    ident, G, sample = _unpack(job)
    if future.status == "cancelled":
        why = "its task was cancelled (the client or the scheduler went away)"
    else:
        try:
            err = future.exception(timeout=5)
        except Exception as exc:  # noqa: BLE001 - the connection itself failed: say so in the row
            err = exc
        name = type(err).__name__
        why = (f"the workers running it died ({name}: {err})" if name == "KilledWorker"
               else f"the task failed outside the check ({name}: {err})")
    return Row(ident.name, G.name, False, "-", 0.0, f"not run: {why}", sample=sample, lost=True)


def sweep_rows(client, names: Iterable[str] | None = None, groups: Iterable[FiniteGroup] | None = None,
               topics: Iterable[str] | None = None, pattern: str | None = None, samples: int | None = None,
               jobs: list | None = None, retries: int = 1) -> Iterator[tuple[int, Row]]:
    """Run the rows of :func:`groupmat.verify.run` as Dask tasks; yield ``(k, row)`` as each finishes.

    Parameters
    ----------
    client : distributed.Client
        A client of a local cluster or of a remote scheduler (:func:`groupmat.dask.connect`).
    names, groups, topics, pattern, samples
        As in :func:`groupmat.verify.run`.
    jobs : list, optional
        The jobs of :func:`groupmat.verify.plan` (then the selection arguments are ignored).
    retries : int
        Extra attempts of a task that raised on its worker outside the check (a check's own
        failure is a row, not an exception; a worker's death is retried by the scheduler itself).

    Yields
    ------
    (int, Row)
        ``k`` is the position of the row in the serial order (the order of :func:`groupmat.verify.run`),
        in the order the rows finish. Every job yields exactly one row.

    Raises
    ------
    MissingDaskError
        ``distributed`` is not installed.
    TypeError
        ``client`` is not a ``distributed.Client``.

    Notes
    -----
    All tasks are submitted at once, in the serial order, each carrying its identity and group
    (both small pickles; groups are built afresh for each identity, as in the serial run). Closing
    the generator early cancels the rows not yet finished.
    """
    distributed = require_distributed()
    _check_client(client)
    retries = check_nonnegative_int(retries, "retries")
    if jobs is None:
        jobs = plan(names, groups, topics, pattern, samples)
    return _stream(distributed, client, jobs, retries)


def _stream(distributed, client, jobs: list, retries: int) -> Iterator[tuple[int, Row]]:
    """The generator of :func:`sweep_rows` (its arguments checked before the first row is asked for)."""
    token = uuid.uuid4().hex[:12]
    ready: list[tuple[int, Row]] = []
    futures = {}
    for k, job in enumerate(jobs):
        ident, G, sample = _unpack(job)
        if isinstance(G, Row):          # a zoo that failed to build: its row is known already
            ready.append((k, G))
            continue
        future = client.submit(run_row, ident, G, sample, key=f"groupmat-verify-{token}-{k}", pure=False,
                               retries=retries)
        futures[future] = k
    pending = set(futures)
    try:
        yield from ready
        for future in distributed.as_completed(list(futures), loop=client.loop):
            k = futures[future]
            pending.discard(future)
            row = future.result() if future.status == "finished" else _lost_row(jobs[k], future)
            future.release()
            yield k, row
    finally:
        if pending:  # the caller stopped early (or an error): do not leave rows running
            client.cancel(list(pending))


def sweep(client, names: Iterable[str] | None = None, groups: Iterable[FiniteGroup] | None = None,
          topics: Iterable[str] | None = None, pattern: str | None = None, samples: int | None = None,
          jobs: list | None = None, progress: Callable[[Row, int, int], None] | None = None,
          retries: int = 1) -> list[Row]:
    """:func:`groupmat.verify.run` on a Dask cluster: the same rows, in the same order.

    Parameters
    ----------
    client : distributed.Client
        From :func:`groupmat.dask.connect` (a local cluster, or a running scheduler's address).
    names, groups, topics, pattern, samples, jobs
        As in :func:`groupmat.verify.run`.
    progress : callable, optional
        Called as ``progress(row, k, total)`` as each row finishes (``k`` counts the finished rows
        from 1; the rows arrive in the order they finish).
    retries : int
        See :func:`sweep_rows`.

    Returns
    -------
    list of Row
        One per job, in the order of :func:`groupmat.verify.run`; equal to its rows except for the
        ``seconds`` (and for ``LOST`` rows, which the serial run cannot have: a row whose workers
        died ``distributed.scheduler.allowed-failures`` times, reported as not run).

    Raises
    ------
    MissingDaskError
        ``distributed`` is not installed.
    TypeError
        ``client`` is not a ``distributed.Client``.
    ValueError
        An unknown identity name or topic (before anything is submitted).

    See Also
    --------
    sweep_rows, groupmat.verify.run, groupmat.dask.connect

    Examples
    --------
    >>> from groupmat.dask import connect, sweep
    >>> from groupmat.verify import run
    >>> with connect(workers=2) as client:                              # doctest: +SKIP
    ...     rows = sweep(client, topics=["groups"])
    >>> [(r.identity, r.group, r.status) for r in rows] == [            # doctest: +SKIP
    ...     (r.identity, r.group, r.status) for r in run(topics=["groups"])]
    True
    """
    if jobs is None:
        jobs = plan(names, groups, topics, pattern, samples)
    rows: list[Row | None] = [None] * len(jobs)
    for done, (k, row) in enumerate(sweep_rows(client, jobs=jobs, retries=retries), start=1):
        rows[k] = row
        if progress is not None:
            progress(row, done, len(jobs))
    return rows
