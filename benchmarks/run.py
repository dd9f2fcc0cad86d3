"""Run the groupmat benchmarks: every ``benchmarks/bench_*.py``, each in its own process.

Usage::

    python benchmarks/run.py              # all benchmarks, full sizes
    python benchmarks/run.py --quick      # a few seconds each (what the smoke test runs)
    python benchmarks/run.py groups fourier   # only bench_groups.py and bench_fourier.py

Each benchmark prints its own table of ratios against baselines measured in the same run; this
runner prints them one after the other, then a summary, and exits non-zero if any benchmark failed.
"""
from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def discover(names=None) -> list[Path]:
    """The benchmark scripts ``bench_*.py`` next to this file, sorted, optionally filtered by topic."""
    scripts = sorted(HERE.glob("bench_*.py"))
    if names:
        wanted = {name.removeprefix("bench_").removesuffix(".py") for name in names}
        found = {p.stem.removeprefix("bench_") for p in scripts}
        missing = sorted(wanted - found)
        if missing:
            raise SystemExit(f"run.py: no benchmark named {missing[0]!r}; available: {', '.join(sorted(found))}")
        scripts = [p for p in scripts if p.stem.removeprefix("bench_") in wanted]
    return scripts


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description="Run the groupmat benchmarks (benchmarks/bench_*.py).")
    parser.add_argument("names", nargs="*", metavar="NAME",
                        help="benchmarks to run, e.g. 'groups' for bench_groups.py (default: all)")
    parser.add_argument("--quick", action="store_true", help="pass --quick to each benchmark (small sizes)")
    args = parser.parse_args(argv)
    scripts = discover(args.names)
    if not scripts:
        print("run.py: no benchmarks found (benchmarks/bench_*.py)", file=sys.stderr)
        return 1
    results = []
    for script in scripts:
        print(f"=== {script.name}{' --quick' if args.quick else ''}", flush=True)
        cmd = [sys.executable, str(script)] + (["--quick"] if args.quick else [])
        t0 = time.perf_counter()
        code = subprocess.call(cmd, cwd=HERE.parent)  # output streams straight through
        results.append((script.name, code, time.perf_counter() - t0))
        print(flush=True)
    print("=== summary")
    for name, code, seconds in results:
        print(f"  {'ok    ' if code == 0 else f'FAILED (exit {code})'}  {seconds:6.1f} s  {name}")
    failed = [name for name, code, _ in results if code != 0]
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
