"""Sweeps on a real Dask cluster (``LocalCluster``, 2 worker processes on 127.0.0.1; see conftest.py):
the same rows as the serial run, streamed as they finish, a killed worker's row retried or reported
as not run, and ``groupmat verify --scheduler / --workers`` printing what the serial command prints.

The tests that kill workers run last (pytest keeps the order of a module).
"""
from __future__ import annotations

import functools
import re
import socket

import pytest

distributed = pytest.importorskip("distributed")
psutil = pytest.importorskip("psutil")

import groupmat as gm  # noqa: E402
from groupmat.cli import main  # noqa: E402
from groupmat.dask import MissingDaskError, SchedulerUnreachable, connect, sweep, sweep_rows  # noqa: E402
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


# -------------------------------------------------------------------------- dying workers (run last)
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
