"""Smoke test of the benchmarks: every ``benchmarks/bench_*.py --quick`` and the runner exit 0.

No timing is asserted (timings belong to the benchmark tables, not to tests).
"""
from __future__ import annotations

import functools
import importlib.util
import json
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


#: extra arguments of a script's ``--quick`` run: bench_gm_paper trains for about 15 s, so its one run
#: is ``--quick --json``, which the smoke test and the JSON test below share
QUICK_EXTRA = {"bench_gm_paper.py": ("--json",)}


@functools.lru_cache(maxsize=None)
def quick(script: Path) -> subprocess.CompletedProcess:
    """``python SCRIPT --quick`` (plus :data:`QUICK_EXTRA`), run once per test session."""
    return run([script, "--quick", *QUICK_EXTRA.get(script.name, ())])


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


GM_PAPER = ROOT / "benchmarks" / "bench_gm_paper.py"


def test_bench_gm_paper_json_lines_and_verdict():
    """``bench_gm_paper.py --quick --json``: every stdout line is one JSON object with the keys of the
    issue (accuracy a fraction, params a positive integer), both tasks and all four models; the verdict
    on the paper's claim goes to stderr and agrees with the numbers; the table and the verdict print
    from the same rows."""
    pytest.importorskip("torch")
    proc = quick(GM_PAPER)
    assert proc.returncode == 0, proc.stderr[-3000:]
    lines = proc.stdout.splitlines()
    assert lines
    rows = [json.loads(line) for line in lines]
    for r in rows:
        assert {"task", "model", "params", "accuracy", "seconds"} <= set(r), r
        assert isinstance(r["params"], int) and not isinstance(r["params"], bool) and r["params"] > 0, r
        assert isinstance(r["accuracy"], float) and 0.0 <= r["accuracy"] <= 1.0, r
        assert isinstance(r["seconds"], (int, float)) and r["seconds"] >= 0, r
        assert isinstance(r["task"], str) and isinstance(r["model"], str)
    tasks = ["rectangles", "digits"] if importlib.util.find_spec("sklearn") else ["rectangles"]
    assert [(r["task"], r["model"]) for r in rows] == [(t, m) for t in tasks for m in ("gm", "gm-exact", "cnn", "mlp")]
    # the verdict, from these numbers: the claim needs 10x fewer parameters than a baseline within 2 points
    assert "verdict on the paper's claim" in proc.stderr
    module = _load(GM_PAPER)
    expected = module.verdict(rows, quick=True)
    assert all(line in proc.stderr for line in expected)
    for task in tasks:
        gm_row = next(r for r in rows if (r["task"], r["model"]) == (task, "gm"))
        holds = any(b["params"] >= 10 * gm_row["params"] and gm_row["accuracy"] >= b["accuracy"] - 0.02
                    for b in rows if b["task"] == task and b["model"] in ("cnn", "mlp"))
        line = next(x for x in expected if x.strip().startswith(f"{task}:"))
        assert line.endswith("holds" if holds else "does not hold"), line


def test_bench_gm_paper_verdict_reads_the_numbers(capsys):
    """The verdict on made-up rows: 12x fewer parameters 1 point behind holds, 12x fewer 3 points behind
    and 5x fewer at equal accuracy do not; the table prints the ratios against the CNN."""
    pytest.importorskip("torch")
    module = _load(GM_PAPER)

    def row(task, model, params, acc):
        return {"task": task, "model": model, "params": params, "accuracy": acc, "seconds": 1.0,
                "accuracy_std": 0.0, "seeds": 1}

    rows = [row("a", "gm", 100, 0.90), row("a", "cnn", 1200, 0.91), row("a", "mlp", 500, 0.95),
            row("b", "gm", 100, 0.90), row("b", "cnn", 1200, 0.93), row("b", "mlp", 500, 0.90)]
    lines = module.verdict(rows)
    assert lines[0].endswith("holds on 1 of 2 tasks measured here")
    assert lines[1].startswith("  a: gm has 12.0x fewer parameters than cnn, accuracy -1.0 points") and \
        lines[1].endswith(": holds")
    assert lines[2].endswith(": does not hold")
    assert module.verdict(rows[3:])[0].endswith("does NOT hold on any task measured here")
    module.print_table(rows)
    assert "12.0x" in capsys.readouterr().out


def test_bench_gm_paper_notes_go_to_stderr():
    """Without scikit-learn the digits task is skipped with a note on stderr, also with --json (stdout
    stays JSON). scikit-learn is hidden from the script (sys.modules entry None); one epoch."""
    pytest.importorskip("torch")
    code = ("import runpy, sys; sys.modules['sklearn'] = None; "
            f"sys.argv = [{str(GM_PAPER)!r}, '--quick', '--json', '--epochs', '1']; "
            f"runpy.run_path({str(GM_PAPER)!r}, run_name='__main__')")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert "scikit-learn is not installed" in proc.stderr and "digits task is skipped" in proc.stderr
    rows = [json.loads(line) for line in proc.stdout.splitlines()]
    assert {r["task"] for r in rows} == {"rectangles"} and len(rows) == 4


def _load(path: Path):
    """Import a benchmark script as a module (its ``main`` does not run)."""
    spec = importlib.util.spec_from_file_location(path.stem, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_bench_conv_routes_calibration_runs(capsys):
    """``bench_conv_routes.py --calibrate`` (the measurement behind CONV_ROUTE_MIN_WORK) on two tiny
    cases: rows sorted by the work |G| x |S| x in_channels, and the route the layer picks."""
    pytest.importorskip("torch")
    module = _load(ROOT / "benchmarks" / "bench_conv_routes.py")
    module.calibrate([("D4xD4", 4, 4), ("C8xC8", 1, 1)], batch=2, repeats=1)
    out = capsys.readouterr().out
    rows = [line.split() for line in out.splitlines() if line.split()[:1] in (["C8xC8"], ["D4xD4"])]
    assert [(r[0], int(r[6]), r[11]) for r in rows] == [("C8xC8", 576, "support"), ("D4xD4", 9216, "conv")]
    assert "worst pick" in out
