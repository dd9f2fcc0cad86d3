"""``groupmat verify`` on a Dask cluster: every (identity, group, sample) row is a task.

The rows are those of :func:`groupmat.verify.run` (the same :func:`groupmat.verify.plan`, each row
run by the same :func:`groupmat.verify.run_row` on a worker), so a sweep reports exactly what the
serial run reports, apart from the times. Rows stream back as they finish, and a dead worker loses
no row:

- a row whose worker dies while running it is run again on another worker by the scheduler; a row
  whose workers keep dying (more than ``distributed.scheduler.allowed-failures`` times) comes back
  as a ``LOST`` row, "not run", never as a pass;
- a finished row whose result was held by a worker that died before the sweep fetched it is
  computed again, and waited for;
- when the scheduler itself goes away, the rows already fetched stay as they are and every other
  row comes back as ``LOST``, "not run: the scheduler went away".
"""
from __future__ import annotations

import contextlib
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


#: Why the rows left when the scheduler goes away are not run.
_GONE = "the scheduler went away"


def _scheduler_gone(client, exc: BaseException | None = None) -> bool:
    """True when the client has lost its scheduler (``distributed`` then cancels all its futures)."""
    if getattr(exc, "reason", None) == "scheduler-connection-lost" or isinstance(exc, OSError):
        return True            # CommClosedError is an OSError; so is a refused connection
    return getattr(client, "status", "running") not in ("running", "newly-created")


def _lost_row(job, why: str) -> Row:
    """The row of a job whose task did not finish: not run, and why."""
    ident, G, sample = _unpack(job)
    return Row(ident.name, G.name, False, "-", 0.0, f"not run: {why}", sample=sample, lost=True)


def _outcome(client, future) -> tuple[str, object]:
    """What a future handed back by ``as_completed`` holds.

    ``("row", row)``; ``("again", None)``: its result was lost with the worker holding it and is being
    computed again (wait for it once more); ``("gone", None)``: the scheduler went away; or
    ``("lost", why)``: the task was given up (its workers kept dying), failed outside the check, or
    was cancelled.
    """
    if future.status in ("pending", "lost"):      # lost with its worker since it finished: recomputing
        return ("gone", None) if _scheduler_gone(client) else ("again", None)
    try:
        # when the worker holding a finished result has died since, distributed reschedules the task
        # ("Couldn't gather ..., rescheduling") and this waits until it is computed again
        return "row", future.result()
    except Exception as exc:  # noqa: BLE001 - every way a row can be lost is a row
        status = future.status
        if status != "error" and _scheduler_gone(client, exc):
            return "gone", None
        if status in ("pending", "lost"):
            return "again", None
        name = type(exc).__name__
        if status == "cancelled":
            reason = getattr(exc, "reason", "unknown")
            return "lost", "its task was cancelled" + (f" ({reason})" if reason != "unknown" else "")
        if name == "KilledWorker":
            return "lost", f"the workers running it died ({name}: {exc})"
        return "lost", f"the task failed outside the check ({name}: {exc})"


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
        in the order the rows finish. Every job yields exactly one row: a ``LOST`` row ("not run: ...",
        with the reason) for a task given up after its workers kept dying, one that failed outside
        the check, and every row not yet fetched when the scheduler goes away (those last, in serial
        order, and the generator ends; connection errors are not raised).

    Raises
    ------
    MissingDaskError
        ``distributed`` is not installed.
    TypeError
        ``client`` is not a ``distributed.Client``.

    Notes
    -----
    All tasks are submitted at once, in the serial order, each carrying its identity and group
    (both small pickles; groups are built afresh for each identity, as in the serial run). A row's
    result is fetched when the row is yielded, and then released on the worker. A result lost with
    its worker before that is computed again (the task is waited for once more, not reported as
    lost). Closing the generator early cancels the rows not yet finished.
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
    waiting = dict(futures)             # the futures whose row is not yielded yet
    try:
        yield from ready
        finished = distributed.as_completed(list(futures), loop=client.loop)
        for future in finished:
            kind, what = _outcome(client, future)
            if kind == "again":         # its result died with a worker: wait for it once more
                finished.add(future)
                continue
            if kind == "gone":
                break
            k = waiting.pop(future)
            future.release()
            yield k, (what if kind == "row" else _lost_row(jobs[k], what))
        # the scheduler went away: its futures are cancelled and their results out of reach
        for future, k in sorted(waiting.items(), key=lambda item: item[1]):
            del waiting[future]
            yield k, _lost_row(jobs[k], _GONE)
    finally:
        if waiting and not _scheduler_gone(client):   # the caller stopped early: do not leave rows running
            with contextlib.suppress(Exception):
                client.cancel(list(waiting))


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
        died more than ``distributed.scheduler.allowed-failures`` times, or every row not finished
        when the scheduler went away, reported as not run).

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
