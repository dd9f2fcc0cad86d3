"""A Dask client for groupmat: a local cluster, or a client of an existing scheduler.

Dask and ``distributed`` are optional (the ``dask`` extra: ``pip install "groupmat[dask]"``); they are
imported when a client is asked for, never by ``import groupmat``.
"""
from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterator

from .._validation import check_positive_int

__all__ = ["connect", "require_distributed", "MissingDaskError", "SchedulerUnreachable", "SchedulerAddressError",
           "CONNECT_TIMEOUT"]

#: Seconds to wait for a scheduler before giving up (``connect(timeout=...)``, ``--timeout``).
CONNECT_TIMEOUT = 10.0
#: A local cluster gets at least this long to start (worker processes import NumPy and SymPy).
LOCAL_START_TIMEOUT = 60.0


class MissingDaskError(ImportError):
    """Dask or ``distributed`` is not installed (the message says how to install them)."""


class SchedulerUnreachable(OSError):
    """No Dask scheduler answered at the address within the timeout (the message names both)."""


class SchedulerAddressError(SchedulerUnreachable, ValueError):
    """A scheduler address that cannot be one (no port, an unknown protocol): the message says what an
    address looks like. A ``ValueError`` (the argument is wrong) and a :class:`SchedulerUnreachable`
    (no scheduler can answer there, so code handling one handles both)."""


#: The protocols of a scheduler address ``distributed`` can connect to by host and port.
_PROTOCOLS = ("tcp", "tls", "ws", "wss", "ucx")


def _check_address(scheduler) -> str:
    """``scheduler`` stripped, if it has the form ``[protocol://]host:port``; else our error, before
    ``distributed`` is asked (it would raise from inside ``Client`` and leave a half-built one behind).

    Examples
    --------
    >>> _check_address(" tcp://10.0.0.5:8786 ")
    'tcp://10.0.0.5:8786'
    >>> _check_address("127.0.0.1")                     # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    groupmat.dask.clusters.SchedulerAddressError: the scheduler address must look like tcp://host:port ...: no port number
    """
    if not isinstance(scheduler, str) or not scheduler.strip():
        raise TypeError(f"scheduler must be an address such as 'tcp://127.0.0.1:8786', got {scheduler!r}")
    address = scheduler.strip()
    protocol, sep, location = address.partition("://")
    if not sep:
        protocol, location = "tcp", address           # distributed's default protocol
    host, colon, port = location.rpartition(":")
    if protocol not in _PROTOCOLS:
        why = f"unknown protocol {protocol!r} (one of {', '.join(_PROTOCOLS)})"
    elif not colon or not port:
        why = "no port number"
    elif not (port.isascii() and port.isdigit() and 0 < int(port) < 65536):
        why = f"the port {port!r} is not a number from 1 to 65535"
    elif not host.strip("[]") or any(c.isspace() or c in "/?#@" for c in host):
        why = "no host name before the port" if not host.strip("[]") else f"{host!r} is not a host name"
    else:
        return address
    raise SchedulerAddressError(f"the scheduler address must look like tcp://host:port (e.g. tcp://127.0.0.1:8786), "
                                f"got {scheduler!r}: {why}")


def require_distributed():
    """The ``distributed`` module, or :class:`MissingDaskError` saying how to install it.

    Examples
    --------
    >>> from groupmat.dask import require_distributed
    >>> require_distributed().__name__                      # doctest: +SKIP
    'distributed'
    """
    try:
        import dask.array  # noqa: F401  (the extra installs both; check both)
        import distributed
    except ImportError as err:
        raise MissingDaskError(f"this needs dask and distributed ({err}); install them with "
                               "pip install 'groupmat[dask]' (or pip install 'dask[array]' distributed)") from None
    return distributed


def _check_timeout(timeout) -> float:
    if isinstance(timeout, bool) or not isinstance(timeout, (int, float)) or not timeout > 0:
        raise ValueError(f"timeout must be a positive number of seconds, got {timeout!r}")
    return float(timeout)


def _close(client) -> None:
    """Close ``client``; one that lost its scheduler is closed quietly (``distributed`` would log the
    cancelled reconnection as an error with its traceback: the sweep has reported the loss already)."""
    if client.status in ("running", "newly-created"):
        client.close()
        return
    quiet = logging.getLogger("distributed.client")
    level = quiet.level
    quiet.setLevel(logging.CRITICAL)
    try:
        with contextlib.suppress(Exception):
            client.close()
    finally:
        quiet.setLevel(level)


@contextlib.contextmanager
def connect(scheduler: str | None = None, workers: int | None = None, timeout: float = CONNECT_TIMEOUT,
            threads_per_worker: int = 1, processes: bool = True) -> Iterator:
    """A ``distributed.Client``, closed (with its local cluster) when the block ends.

    Parameters
    ----------
    scheduler : str, optional
        The address of a running scheduler, ``protocol://host:port`` such as ``"tcp://10.0.0.5:8786"``
        (``tcp://`` when left out; start one with ``dask scheduler`` and workers with
        ``dask worker tcp://10.0.0.5:8786``).
    workers : int, optional
        Without ``scheduler``: start a local cluster of this many worker processes on the loopback
        address (``127.0.0.1``; its HTTP port, for the dashboard when bokeh is installed, is any free
        one), closed at the end. Default: one per core.
    timeout : float
        Seconds to wait for the scheduler (a local cluster gets at least
        :data:`LOCAL_START_TIMEOUT` to start).
    threads_per_worker : int
        Threads per local worker. One by default: the rows of ``groupmat verify`` are mostly
        Python (SymPy), so processes, not threads, run them in parallel.
    processes : bool
        Local workers as processes (default; on ``127.0.0.1``) or as threads in this process (they
        share its interpreter lock: quick to start, for a try or for NumPy-heavy work).

    Yields
    ------
    distributed.Client

    Raises
    ------
    MissingDaskError
        Dask or ``distributed`` is not installed.
    SchedulerUnreachable
        No scheduler answered at ``scheduler`` within ``timeout`` seconds.
    SchedulerAddressError
        ``scheduler`` is not of the form ``[protocol://]host:port`` (a ``ValueError``, and a
        ``SchedulerUnreachable``).
    TypeError
        ``scheduler`` is not a non-empty string.
    ValueError
        Both ``scheduler`` and ``workers`` given, a bad ``workers``, ``threads_per_worker`` or
        ``timeout``.

    Examples
    --------
    >>> from groupmat.dask import connect, sweep
    >>> with connect(workers=2) as client:                          # doctest: +SKIP
    ...     rows = sweep(client, topics=["groups"])
    >>> with connect("tcp://scheduler.example:8786") as client:     # doctest: +SKIP
    ...     rows = sweep(client, samples=100)
    """
    timeout = _check_timeout(timeout)
    if scheduler is not None and workers is not None:
        raise ValueError(f"give either scheduler (an address) or workers (a local cluster), not both: got "
                         f"scheduler={scheduler!r} and workers={workers!r}")
    if scheduler is not None:
        scheduler = _check_address(scheduler)
    if workers is not None:
        workers = check_positive_int(workers, "workers")
    threads_per_worker = check_positive_int(threads_per_worker, "threads_per_worker")
    distributed = require_distributed()
    if scheduler is not None:
        try:
            client = distributed.Client(scheduler, timeout=timeout, set_as_default=False)
        except (OSError, TimeoutError) as err:
            raise SchedulerUnreachable(f"no Dask scheduler answered at {scheduler} within {timeout:g} s "
                                       f"({type(err).__name__}: {err}); is `dask scheduler` running there, "
                                       "and is the address (tcp://host:port) right?") from None
        try:
            yield client
        finally:
            _close(client)
        return
    # worker processes talk TCP on the loopback address only; threads in this process talk in memory
    where = {"host": "127.0.0.1"} if processes else {"protocol": "inproc://"}
    cluster = distributed.LocalCluster(n_workers=workers, threads_per_worker=threads_per_worker,
                                       processes=bool(processes), dashboard_address=":0",
                                       silence_logs=logging.ERROR, timeout=max(timeout, LOCAL_START_TIMEOUT), **where)
    try:
        client = distributed.Client(cluster, timeout=timeout, set_as_default=False)
        try:
            yield client
        finally:
            _close(client)
    finally:
        cluster.close()
