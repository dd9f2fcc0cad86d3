"""Smoke test of the benchmarks: every ``benchmarks/bench_*.py --quick`` and the runner exit 0.

No timing is asserted (timings belong to the benchmark tables, not to tests).
"""
from __future__ import annotations

import functools
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
BENCHMARKS = sorted((ROOT / "benchmarks").glob("bench_*.py"))


def run(args, timeout=120):
    return subprocess.run([sys.executable, *map(str, args)], capture_output=True, text=True, cwd=ROOT,
                          timeout=timeout)


def test_there_are_benchmarks():
    assert (ROOT / "benchmarks" / "bench_groups.py") in BENCHMARKS


@functools.lru_cache(maxsize=None)
def quick(script: Path) -> subprocess.CompletedProcess:
    """``python SCRIPT --quick``, run once per test session."""
    return run([script, "--quick"])


@pytest.mark.parametrize("script", BENCHMARKS, ids=lambda p: p.stem)
def test_benchmark_runs_quick(script):
    proc = quick(script)
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-3000:]
    assert proc.stdout.strip(), f"{script.name} printed nothing"


def test_bench_groups_prints_ratio_table():
    proc = quick(ROOT / "benchmarks" / "bench_groups.py")
    lines = proc.stdout.splitlines()
    header = next(line for line in lines if line.split()[:2] == ["n", "|G|"])
    assert "ratio" in header and "sympy" in header
    rows = [line.split() for line in lines if line[:5].strip().isdigit()]
    assert [int(r[0]) for r in rows] == [4, 16, 64, 256] and [int(r[1]) for r in rows] == [8, 32, 128, 512]
    assert rows[0][-1].endswith("x") and rows[-1][-1] == "-"  # measured ratio, then a skipped baseline


def test_runner_runs_a_named_benchmark_and_reports():
    proc = run([ROOT / "benchmarks" / "run.py", "--quick", "groups"])
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert "=== bench_groups.py --quick" in proc.stdout and "=== summary" in proc.stdout
    assert "ok" in proc.stdout.split("=== summary")[1]


def test_runner_refuses_an_unknown_benchmark():
    proc = run([ROOT / "benchmarks" / "run.py", "--quick", "no-such-benchmark"])
    assert proc.returncode != 0 and "no benchmark named 'no-such-benchmark'" in proc.stderr
