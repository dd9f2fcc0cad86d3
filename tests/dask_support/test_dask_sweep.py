"""Sweeps on a real Dask cluster (``LocalCluster``, 2 worker processes on 127.0.0.1; see conftest.py):
the same rows as the serial run, streamed as they finish, a killed worker's row retried or reported
as not run, results lost with a killed worker computed again, a scheduler that goes away mid-sweep
leaving the rows already finished and the rest reported as not run, and ``groupmat verify
--scheduler / --workers`` printing what the serial command prints.

The tests that kill workers of the shared cluster run last (pytest keeps the order of a module; the
nannies restart the killed workers, and the test that needs both workers waits until the one it killed
is back); the scheduler that goes away is one started for its test, in a process of its own.
"""
from __future__ import annotations

import functools
import logging
import os
import re
import select
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

distributed = pytest.importorskip("distributed")
psutil = pytest.importorskip("psutil")

import groupmat as gm  # noqa: E402
import groupmat.dask  # noqa: E402
from groupmat.cli import main  # noqa: E402
from groupmat.dask import (MissingDaskError, SchedulerAddressError, SchedulerUnreachable, connect, sweep,  # noqa: E402
                           sweep_rows)
from groupmat.verify import register, run, unregister  # noqa: E402

import sweep_checks as checks  # noqa: E402


def key(row):
    """Everything a row reports except its time."""
    return (row.identity, row.group, row.ok, row.side, row.message, row.skipped, row.sample, row.lost, row.status)


@pytest.fixture
def temporary():
    names = []

    def add(name, check, **kw):
        register(name, topic="tmp-dask", **kw)(check)
        names.append(name)

    yield add
    for name in names:
        unregister(name)


def test_a_sweep_reports_exactly_what_the_serial_run_reports(client):
    groups = [gm.dihedral(3), gm.group("C4xC2")]
    rows = sweep(client, groups=groups, topics=["groups", "characters"])
    serial = run(groups=groups, topics=["groups", "characters"])
    assert len(rows) == len(serial) > 30
    assert [key(r) for r in rows] == [key(r) for r in serial]


def test_failures_skips_crashes_and_samples_come_back_as_in_the_serial_run(client, temporary):
    temporary("tmp odd order", checks.false_identity, zoo="small")
    temporary("tmp abelian only", checks.only_abelian, zoo="small")
    temporary("tmp crash", checks.crash, zoo="small")
    temporary("tmp associativity", checks.associativity_on_samples, zoo="small")
    temporary("tmp bad sample", checks.wrong_on_sample_two, zoo="small")
    seen = []
    rows = sweep(client, topics=["tmp-dask"], samples=3, progress=lambda row, k, total: seen.append((k, total)))
    serial = run(topics=["tmp-dask"], samples=3)
    assert [key(r) for r in rows] == [key(r) for r in serial]
    assert {r.status for r in rows} == {"PASS", "FAIL", "SKIP"} and seen == [(k, len(rows)) for k in range(1, len(rows) + 1)]
    assert [r.sample for r in rows if r.identity == "tmp bad sample" and not r.ok] == [2] * 7   # 7 small groups


def test_rows_stream_in_the_order_they_finish(client, temporary):
    temporary("tmp slow", functools.partial(checks.slow, 2.0), zoo=lambda: [gm.cyclic(2)])
    temporary("tmp quick", checks.only_abelian, zoo="small")
    order = [k for k, _ in sweep_rows(client, topics=["tmp-dask"])]
    # the slow row 0 does not hold back the rest (a row queued behind it on its worker may come after it)
    assert sorted(order) == list(range(8)) and order[0] != 0 and order.index(0) >= len(order) // 2


def test_a_zoo_that_fails_to_build_is_reported_without_a_task(client, temporary):
    def broken():
        raise RuntimeError("no groups today")

    temporary("tmp broken zoo", checks.only_abelian, zoo=broken)
    (row,) = sweep(client, topics=["tmp-dask"])
    assert key(row) == key(run(topics=["tmp-dask"])[0]) and "no groups today" in row.message


def test_sweep_checks_its_client_and_selection(client):
    with pytest.raises(TypeError, match="client must be a distributed.Client"):
        sweep_rows("tcp://127.0.0.1:8786")
    with pytest.raises(ValueError, match="no identity has topic 'nope'"):
        sweep(client, topics=["nope"])
    with pytest.raises(ValueError, match="retries must be"):
        sweep_rows(client, retries=-1)


# ------------------------------------------------------------------------------------------------ CLI
_TIME = re.compile(r"\s+\d+\.\d (?:ms|s )\s")


def _without_times(text: str) -> list[str]:
    lines = [_TIME.sub(" <t> ", line) for line in text.splitlines()]
    return [re.sub(r", \d+\.\d s\)$", ", <t>)", line) for line in lines]


def test_cli_on_a_scheduler_prints_what_the_serial_command_prints(client, temporary, capsys):
    temporary("tmp odd order", checks.false_identity, zoo="small")
    args = ["verify", "--group", "C3", "D4", "S3", "-k", "latin"]
    assert main(args) == 0
    serial = capsys.readouterr().out
    assert main(args + ["--scheduler", client.scheduler.address]) == 0
    captured = capsys.readouterr()
    assert _without_times(captured.out) == _without_times(serial)
    assert f"3 rows on {client.scheduler.address} (2 workers" in captured.err
    # a failing identity: exit 1, the same table, and the failures on stderr as they arrive
    args = ["verify", "--topic", "tmp-dask", "--group", "C3", "D4"]
    assert main(args) == 1
    serial = capsys.readouterr().out
    assert main(args + ["--scheduler", client.scheduler.address]) == 1
    captured = capsys.readouterr()
    assert _without_times(captured.out) == _without_times(serial)
    assert "FAIL" in captured.err and "|D4| = 8 is even" in captured.err


def test_cli_with_a_local_cluster(capsys):
    args = ["verify", "--group", "C3", "-k", "latin"]
    assert main(args) == 0
    serial = capsys.readouterr().out
    assert main(args + ["--workers", "1"]) == 0
    captured = capsys.readouterr()
    assert _without_times(captured.out) == _without_times(serial)
    assert "1 rows on a local cluster of 1 worker (1 worker at tcp://127.0.0.1:" in captured.err


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_cli_errors_name_the_problem(capsys, monkeypatch):
    address = f"tcp://127.0.0.1:{_free_port()}"             # nothing listens there
    assert main(["verify", "-k", "latin", "--scheduler", address, "--timeout", "1"]) == 2
    assert f"no Dask scheduler answered at {address} within 1 s" in capsys.readouterr().err
    assert main(["verify", "--scheduler", address, "--workers", "2"]) == 2
    assert "give --scheduler (a running Dask scheduler) or --workers (a local cluster), not both" in capsys.readouterr().err
    assert main(["verify", "--workers", "0"]) == 2
    assert "--workers must be a positive integer, got 0" in capsys.readouterr().err
    monkeypatch.setitem(__import__("sys").modules, "distributed", None)     # as if not installed
    assert main(["verify", "-k", "latin", "--workers", "2"]) == 2
    assert "pip install 'groupmat[dask]'" in capsys.readouterr().err
    with pytest.raises(MissingDaskError, match="dask and distributed"):
        with connect(workers=1):
            pass


def test_connect_checks_its_arguments():
    with pytest.raises(ValueError, match="not both"):
        with connect("tcp://127.0.0.1:1", workers=2):
            pass
    with pytest.raises(ValueError, match="timeout must be a positive number of seconds, got 0"):
        with connect(workers=1, timeout=0):
            pass
    with pytest.raises(TypeError, match="scheduler must be an address"):
        with connect(8786):
            pass
    with pytest.raises(SchedulerUnreachable, match="within 0.5 s"):
        with connect(f"tcp://127.0.0.1:{_free_port()}", timeout=0.5):
            pass


@pytest.mark.parametrize("address, why", [
    ("nonsense", "no port number"), ("127.0.0.1", "no port number"), ("tcp://127.0.0.1", "no port number"),
    ("tcp://127.0.0.1:port", "the port 'port' is not a number from 1 to 65535"),
    ("tcp://127.0.0.1:0", "the port '0' is not a number from 1 to 65535"),
    ("tcp://:8786", "no host name before the port"),
    ("http://127.0.0.1:8786", "unknown protocol 'http' (one of tcp, tls, ws, wss, ucx)"),
])
def test_a_malformed_scheduler_address_is_refused_before_dask_is_asked(address, why, capsys):
    with pytest.raises(ValueError) as info:
        with connect(address):
            pass
    assert type(info.value) is SchedulerAddressError and str(info.value) == (
        f"the scheduler address must look like tcp://host:port (e.g. tcp://127.0.0.1:8786), got {address!r}: {why}")
    assert main(["verify", "-k", "latin", "--scheduler", address]) == 2
    err = capsys.readouterr().err
    assert err == f"groupmat verify: error: {info.value}\n"       # one line, no traceback


def test_a_well_formed_address_is_passed_on(client):
    host, port = client.scheduler.address.removeprefix("tcp://").rsplit(":", 1)
    for address in (f"  {host}:{port} ", f"tcp://{host}:{port}"):       # tcp:// is distributed's default
        with connect(address) as other:
            assert other.scheduler.address == client.scheduler.address


# ------------------------------------------------------------------------ a scheduler that goes away
_CLUSTER = """
import logging, sys, time
import distributed

with distributed.LocalCluster(n_workers=1, threads_per_worker=2, processes=False, host="127.0.0.1",
                              scheduler_port=int(sys.argv[1]), dashboard_address=":0", silence_logs=logging.ERROR):
    print("ready", flush=True)
    time.sleep(300)
"""


@pytest.fixture
def scheduler_process():
    """A scheduler (and one worker of 2 threads) in a process of its own, to be killed: (process, address)."""
    port, here = _free_port(), Path(__file__).resolve().parent
    path = os.pathsep.join([str(here.parent.parent), str(here), os.environ.get("PYTHONPATH", "")])
    proc = subprocess.Popen([sys.executable, "-c", _CLUSTER, str(port)], stdout=subprocess.PIPE, text=True,
                            env=dict(os.environ, PYTHONPATH=path))
    try:
        assert select.select([proc.stdout], [], [], 60)[0], "the scheduler did not start within a minute"
        assert proc.stdout.readline().strip() == "ready"
        yield proc, f"tcp://127.0.0.1:{port}"
    finally:
        proc.kill()
        proc.wait()


def test_a_scheduler_that_dies_mid_sweep_leaves_the_finished_rows_and_the_rest_not_run(
        scheduler_process, temporary, tmp_path, monkeypatch, capsys, caplog):
    proc, address = scheduler_process
    go = tmp_path / "go"
    temporary("tmp quick", checks.only_abelian, zoo="small")                                   # rows 0-6
    temporary("tmp held", functools.partial(checks.wait_for_file, str(go)), zoo=lambda: [gm.cyclic(3)])  # row 7
    args = ["verify", "--topic", "tmp-dask"]
    go.touch()
    assert main(args) == 0
    serial = _without_times(capsys.readouterr().out)
    go.unlink()                                  # on the cluster, row 7 runs until its process is killed
    real = groupmat.dask.sweep_rows

    def kill_the_scheduler_after_the_quick_rows(*a, **kw):
        seen = set()
        for k, row in real(*a, **kw):
            yield k, row
            seen.add(k)
            if seen == set(range(7)) and proc.poll() is None:
                proc.send_signal(signal.SIGKILL)          # as `kill -9` of the scheduler would
                proc.wait()

    monkeypatch.setattr(groupmat.dask, "sweep_rows", kill_the_scheduler_after_the_quick_rows)
    assert main(args + ["--scheduler", address, "--timeout", "5"]) == 1
    captured = capsys.readouterr()
    out = _without_times(captured.out)
    assert proc.returncode == -signal.SIGKILL
    assert out[:7] == serial[:7]                           # the finished rows, as in the serial run
    assert re.fullmatch(r"\[8/8\] LOST  - <t>  C3 +tmp held", out[7])
    assert out[8] == "      not run: the scheduler went away"
    assert out[9].startswith("3 passed, 0 failed, 4 skipped, 1 not run (2 of ") and len(out) == 10
    assert "Traceback" not in captured.err and "not run: the scheduler went away" in captured.err
    # nor a traceback logged by distributed when the client, still trying to reconnect, is closed
    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR] == []


# -------------------------------------------------------------------------- dying workers (run last)
def _sweep_tasks(dask_scheduler):
    """``{key: (state, workers holding its result)}`` of the sweep tasks, and the workers' addresses."""
    tasks = {str(ts.key): (ts.state, sorted(ws.address for ws in ts.who_has or ()))
             for ts in dask_scheduler.tasks.values() if str(ts.key).startswith("groupmat-verify-")}
    return tasks, sorted(dask_scheduler.workers)


def _wait_until(what, predicate, seconds=60.0):
    deadline = time.monotonic() + seconds          # a hang guard, not a timing assertion
    while not predicate():
        assert time.monotonic() < deadline, f"{what} did not happen within {seconds:g} s"
        time.sleep(0.05)


def test_results_that_die_with_their_worker_are_computed_again(client, temporary):
    # finished rows wait on the workers until the sweep asks for them; kill -9 the worker holding most
    temporary("tmp slowish", functools.partial(checks.slow, 0.1), zoo="small")
    temporary("tmp quick", checks.only_abelian, zoo="small")
    client.wait_for_workers(2, timeout=120)
    pids = client.run(os.getpid)
    stream = sweep_rows(client, topics=["tmp-dask"])
    got = [next(stream)]                                   # the sweep pauses while the other 13 rows finish
    first = f"-{got[0][0]}"
    seen = {}

    def all_held():
        seen.update(tasks=client.run_on_scheduler(_sweep_tasks)[0])
        held = [name for name in seen["tasks"] if not name.endswith(first)]
        return len(held) == 13 and all(seen["tasks"][name][0] == "memory" for name in held)

    try:
        _wait_until("13 finished rows", all_held)
        holding = {}
        for name, (_, who) in seen["tasks"].items():
            for address in who if not name.endswith(first) else ():
                holding[address] = holding.get(address, 0) + 1
        victim = max(holding, key=holding.get)
        os.kill(pids[victim], signal.SIGKILL)
        _wait_until("the scheduler noticing", lambda: victim not in client.run_on_scheduler(_sweep_tasks)[1])
        got += list(stream)                                # the lost results are being computed again
    finally:
        client.wait_for_workers(2, timeout=120)            # the nanny restarts it: the cluster is whole again
    assert holding[victim] >= 5                            # the dead worker held rows not yet yielded
    rows = [row for _, row in sorted(got, key=lambda item: item[0])]
    assert sorted(k for k, _ in got) == list(range(14))
    assert [key(r) for r in rows] == [key(r) for r in run(topics=["tmp-dask"])]


def test_a_row_whose_worker_dies_is_run_again_and_passes(client, temporary, tmp_path):
    marker = tmp_path / "killed"
    temporary("tmp kill once", functools.partial(checks.kill_worker_once, str(marker)), zoo=lambda: [gm.cyclic(3)])
    temporary("tmp quick", checks.only_abelian, zoo="small")
    rows = sweep(client, topics=["tmp-dask"])
    pid = int(marker.read_text())
    assert not psutil.pid_exists(pid) or psutil.Process(pid).status() == psutil.STATUS_ZOMBIE   # it did die
    assert [key(r) for r in rows] == [key(r) for r in run(topics=["tmp-dask"])]       # and no row was lost
    assert rows[0].status == "PASS"


def _set_allowed_failures(dask_scheduler, value):
    dask_scheduler.allowed_failures = value


def test_a_row_that_kills_every_worker_is_reported_as_not_run(client, temporary):
    # the scheduler gives up on a row after allowed-failures + 1 deaths; one death here, to keep it short
    # (no other rows: they would wait for the workers to restart, which kill-once showed loses nothing)
    client.run_on_scheduler(_set_allowed_failures, value=0)
    temporary("tmp kill always", checks.kill_worker_always, zoo=lambda: [gm.cyclic(3)])
    try:
        rows = sweep(client, topics=["tmp-dask"])
    finally:
        client.run_on_scheduler(_set_allowed_failures, value=1)
    assert [(r.identity, r.group, r.status, r.ok, r.side, r.skipped) for r in rows] == [
        ("tmp kill always", "C3", "LOST", False, "-", False)]
    assert all(r.message.startswith("not run: the workers running it died (KilledWorker") for r in rows)

