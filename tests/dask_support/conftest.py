"""One real Dask cluster for the sweep and CLI tests: ``distributed.LocalCluster`` with 2 worker
processes on the loopback address, started once for this folder (package scope, only when a test asks for
it) and stopped after its last test: a cluster left running would allocate memory in its event-loop
thread (heartbeats, periodic callbacks) while later tests trace the memory of their own calls.

A row whose workers die twice is reported as lost (``allowed-failures`` 1 instead of 3, so the
worker-death test kills two processes, not four).
"""
from __future__ import annotations

import logging

import pytest


@pytest.fixture(scope="package")
def cluster():
    dask = pytest.importorskip("dask")
    distributed = pytest.importorskip("distributed")
    with dask.config.set({"distributed.scheduler.allowed-failures": 1}):
        with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                                      dashboard_address=":0", silence_logs=logging.ERROR) as cl:
            yield cl


@pytest.fixture(scope="package")
def client(cluster):
    distributed = pytest.importorskip("distributed")
    with distributed.Client(cluster, set_as_default=False) as cl:
        cl.wait_for_workers(2, timeout=120)
        yield cl
