"""groupmat on a Dask cluster: ``groupmat verify`` sweeps as distributed tasks.

Dask arrays need nothing from this package: :func:`groupmat.project`, :func:`groupmat.convolve`,
:func:`groupmat.fourier` and the other entry points take a ``dask.array`` as they are and give a
lazy one back (see :mod:`groupmat._chunked`). This package holds what needs a cluster:

- :func:`connect`: a ``distributed.Client`` of a local cluster (``workers=N``) or of a running
  scheduler (``"tcp://host:8786"``), closed at the end of a ``with`` block;
- :func:`sweep` and :func:`sweep_rows`: the rows of :func:`groupmat.verify.run` as tasks,
  streamed back as they finish, a dead worker's rows retried (or reported ``LOST``, not run).

Dask and ``distributed`` are the optional ``dask`` extra (``pip install "groupmat[dask]"``): they are
imported when a client is asked for, so ``import groupmat.dask`` works without them and a call
says how to install them.
"""
from .clusters import (CONNECT_TIMEOUT, MissingDaskError, SchedulerAddressError, SchedulerUnreachable, connect,
                       require_distributed)
from .sweeps import sweep, sweep_rows

__all__ = ["connect", "sweep", "sweep_rows", "require_distributed", "MissingDaskError", "SchedulerUnreachable",
           "SchedulerAddressError", "CONNECT_TIMEOUT"]
