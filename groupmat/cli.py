"""The ``groupmat`` command line: ``info``, ``verify`` and ``list``.

``groupmat info SPEC`` describes a group given by a spec string (see :func:`groupmat.group`);
``groupmat verify`` runs the registry of checkable identities (:mod:`groupmat.verify`) and exits
non-zero when any fails, serially or on a Dask cluster (``--workers N`` for a local cluster,
``--scheduler tcp://host:port`` for a running one; :mod:`groupmat.dask`) with the same rows;
``groupmat list`` shows the registered identities. ``python -m groupmat`` is the same program.

Examples
--------
>>> from groupmat.cli import main
>>> main(["info", "S3"])  # doctest: +ELLIPSIS
group       S3
order       6
...
0
"""
from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Sequence

__all__ = ["main", "build_parser", "format_label", "group_summary"]

#: ``info`` lists the conjugacy classes only up to this group order (they cost O(n |S|) to find).
INFO_CLASSES_MAX = 10**6
#: ``info`` prints at most this many classes unless ``--all`` is given.
INFO_CLASSES_SHOWN = 40
#: ``info`` prints the character table only for at most this many classes.
INFO_CHARACTERS_MAX = 40
#: ``verify`` on a terminal: the width of the "running" status line on stderr.
_STATUS_WIDTH = 100


class _UsageError(Exception):
    """A problem with the command line's input: message on stderr, exit code 2, no traceback."""


def format_label(label) -> str:
    """A readable label: tuples of labels (elements of direct products) print as ``(r, e)``.

    Examples
    --------
    >>> format_label(("r^2", "e"))
    '(r^2, e)'
    >>> format_label("s r")
    's r'
    """
    if isinstance(label, tuple):
        return "(" + ", ".join(format_label(part) for part in label) + ")"
    return str(label)


def _join(labels, limit: int = 12, total: int | None = None) -> str:
    """The first ``limit`` labels, comma-separated, and how many more there are (of ``total``)."""
    labels = [format_label(lab) for lab in labels]
    total = len(labels) if total is None else total
    text = ", ".join(labels[:limit])
    return text + (f", ... ({total - limit} more)" if total > limit else "")


def _parse_group(spec: str):
    from .groups import group

    try:
        return group(spec)
    except (ValueError, TypeError) as err:  # includes TooLargeError
        raise _UsageError(str(err)) from None


# ------------------------------------------------------------------------------------------ info
def _left_out(err: BaseException) -> str:
    """Why a part of ``info`` was left out: the budget's message (it names the size and the way out)."""
    text = str(err) or type(err).__name__
    return text if "GROUPMAT_MAX_BYTES" in text else f"{text}; raise GROUPMAT_MAX_BYTES"


def group_summary(G, classes_max: int = INFO_CLASSES_MAX) -> dict:
    """What ``groupmat info`` prints about ``G``, as a dict.

    Keys: ``name``, ``order``, ``generators`` (labels), ``abelian``, ``center_order``, ``center``
    (element indices; None for an abelian group of order above ``classes_max``),
    ``exponent`` (None when not computed), ``classes`` (index arrays, identity's first, or None for
    groups of order above ``classes_max``), ``class_orders`` (the element order on each class), and
    ``left_out``: for each of ``"center"``, ``"exponent"``, ``"classes"`` that was not computed, why
    (over ``classes_max``, or the memory budget's message naming the size and ``GROUPMAT_MAX_BYTES``).

    Nothing here allocates without asking the budget: a part that would not fit is left out (its
    value None, its reason in ``left_out``), the others are still given.

    Notes
    -----
    The exponent comes from :meth:`~groupmat.FiniteGroup.exponent` (one representative per class,
    or the generators of an abelian group).

    Examples
    --------
    >>> import groupmat as gm
    >>> s = group_summary(gm.dihedral(6))
    >>> s["order"], s["exponent"], s["center"].tolist(), [c.size for c in s["classes"]], s["left_out"]
    (12, 6, [0, 3], [1, 2, 2, 1, 3, 3], {})
    >>> group_summary(gm.cyclic(10**10))["left_out"]["classes"]
    'not listed for order > 1000000'
    """
    import numpy as np

    n = G.order
    left: dict[str, str] = {}

    def attempt(key, compute):
        try:
            return compute()
        except MemoryError as err:      # TooLargeError included: asked before allocating
            left[key] = _left_out(err)
            return None

    abelian = G.is_abelian
    if abelian:
        centre = attempt("center", G.elements) if n <= classes_max else None
    else:
        centre = attempt("center", G.center)
    summary = {"name": G.name, "order": n, "generators": _generator_labels(G),
               "abelian": abelian, "center": centre,
               "center_order": n if abelian else (int(centre.size) if centre is not None else None),
               "exponent": None, "classes": None, "class_orders": None, "left_out": left}
    by_cycle_type = _classes_by_cycle_type(G)
    if by_cycle_type or _exponent_is_cheap(G, classes_max):
        summary["exponent"] = attempt("exponent", G.exponent)  # generators' orders, one per class, or a formula
    else:
        left["exponent"] = f"not computed for order > {classes_max}"
    if by_cycle_type and n > classes_max:
        # S_n and A_n: classes by cycle type, never listed (representatives as permutations)
        classes = attempt("classes", lambda: _cycle_type_classes(G))
        if classes is not None:
            summary.update(classes=classes, class_orders=np.array([c.order for c in classes], dtype=object))
    elif n <= classes_max:
        classes = attempt("classes", G.conjugacy_classes)
        if classes is None and by_cycle_type:          # over the budget: S_n and A_n by cycle type instead
            classes = attempt("classes", lambda: _cycle_type_classes(G))
            if classes is not None:
                del left["classes"]
                summary.update(classes=classes, class_orders=np.array([c.order for c in classes], dtype=object))
        elif classes is not None:
            orders = np.atleast_1d(G.element_order(np.array([c[0] for c in classes])))
            summary.update(classes=classes, class_orders=orders)
    else:
        left["classes"] = f"not listed for order > {classes_max}"
    return summary


def _exponent_is_cheap(G, classes_max: int) -> bool:
    """Whether ``G.exponent()`` is cheap: a small or abelian group (one representative per class, or
    the generators), or a family that gives it by formula (dihedral, dicyclic, ``S_n``, ``A_n``, and
    direct products of such).

    Examples
    --------
    >>> import groupmat as gm
    >>> _exponent_is_cheap(gm.dihedral(10**9), 10**6), _exponent_is_cheap(gm.group("D1000000xS3"), 10**6)
    (True, True)
    """
    from .groups import FiniteGroup

    if G.order <= classes_max or G.is_abelian:
        return True
    if getattr(G, "kind", None) == "general" or type(G).exponent is FiniteGroup.exponent:
        return False                                  # the generic route: one representative per class
    factors = getattr(G, "factors", None)
    return factors is None or all(_exponent_is_cheap(F, classes_max) for F in factors)


def _classes_by_cycle_type(G) -> bool:
    """Whether the classes of ``G`` are known by cycle type (symmetric and alternating groups)."""
    return getattr(G, "kind", None) in ("symmetric", "alternating") and hasattr(G, "class_cycle_types")


class _CycleTypeClass:
    """A class of ``S_n``/``A_n`` known by its cycle type: its size, element order and representative."""

    __slots__ = ("size", "order", "label")

    def __init__(self, size: int, cycle_type, perm):
        import math

        from .groups import cycle_notation

        self.size = int(size)
        self.order = math.lcm(*(int(c) for c in cycle_type))
        self.label = cycle_notation(perm)


def _cycle_type_classes(G) -> list:
    types, sizes, perms = G.class_cycle_types(), G.class_sizes(), G.class_permutations()
    return [_CycleTypeClass(z, t, p) for z, t, p in zip(sizes, types, perms)]


def _generator_labels(G) -> list:
    """The generators' labels; a permutation group too large for element indices shows its generating
    permutations in cycle notation."""
    if not G.generators and getattr(G, "generator_permutations", None) is not None and G.order > 1:
        from .groups import cycle_notation

        return [cycle_notation(p) for p in G.generator_permutations]
    return [G.label(int(s)) for s in G.generators]


def _info(args, out) -> int:
    G = _parse_group(args.spec)
    s = group_summary(G)
    n, centre, left = s["order"], s["center"], s["left_out"]
    rows = [("group", s["name"]), ("order", str(n)),
            ("generators", _join(s["generators"]) or "(none: the trivial group)"),
            ("abelian", "yes" if s["abelian"] else "no")]
    if s["abelian"]:
        rows.append(("centre", f"{n} element{'s' * (n != 1)} (all)"))
    elif centre is None:
        rows.append(("centre", f"left out ({left['center']})"))
    else:
        rows.append(("centre", f"{centre.size} element{'s' * (centre.size != 1)}: "
                     + _join([G.label(int(z)) for z in centre[:8]], 8, total=centre.size)))
    exponent = s["exponent"]
    reason = left.get("exponent", "")
    rows.append(("exponent", str(exponent) if exponent is not None else
                 f"({reason})" if reason.startswith("not computed") else f"left out ({reason})"))
    classes = s["classes"]
    reason = left.get("classes", "")
    rows.append(("classes", str(len(classes)) if classes is not None else
                 f"({reason})" if reason.startswith("not listed") else f"left out ({reason})"))
    width = max(len(k) for k, _ in rows) + 2
    for key, value in rows:
        print(f"{key:<{width}}{value}", file=out)
    if classes is None:
        if not args.no_characters:          # say what was left out, and why
            why = left.get("classes", "the classes were not listed")
            why = why.replace("not listed", "the classes are not listed", 1) if why.startswith("not listed") \
                else f"it needs the conjugacy classes: {why}"
            print(f"\ncharacter table: left out ({why})", file=out)
        return 0
    shown = classes if args.all else classes[:INFO_CLASSES_SHOWN]
    print(f"  {'#':>4}  {'size':>6}  {'order':>5}  representative", file=out)
    for k, (c, o) in enumerate(zip(shown, s["class_orders"])):
        label = c.label if isinstance(c, _CycleTypeClass) else format_label(G.label(int(c[0])))
        print(f"  {k:>4}  {c.size:>6}  {int(o):>5}  {label}", file=out)
    if len(shown) < len(classes):
        print(f"  ... {len(classes) - len(shown)} more classes (--all lists them)", file=out)
    if not args.no_characters:
        _print_character_table(G, len(classes), out)
    return 0


def _print_character_table(G, n_classes: int, out) -> None:
    from .reps import character_table

    print(file=out)
    if n_classes > INFO_CHARACTERS_MAX:
        print(f"character table: not printed ({n_classes} classes > {INFO_CHARACTERS_MAX})", file=out)
        return
    try:
        text = str(character_table(G))
    except MemoryError as err:        # TooLargeError: over the budget, asked before allocating
        print(f"character table: left out ({_left_out(err)})", file=out)
        return
    except (ValueError, NotImplementedError) as err:
        print(f"character table: not available ({type(err).__name__}: {err})", file=out)
        return
    print(text, file=out)


# ---------------------------------------------------------------------------------------- verify
def _format_row(row, k: int, total: int, group_width: int) -> str:
    digits = len(str(total))
    ms = row.seconds * 1e3
    time_text = f"{ms:8.1f} ms" if ms < 1e4 else f"{row.seconds:8.1f} s "
    sample = "" if getattr(row, "sample", None) is None else f"  [sample {row.sample}]"
    line = (f"[{k:>{digits}}/{total}] {row.status}  {row.side:<7}  {time_text}  "
            f"{row.group:<{group_width}}  {row.identity}{sample}")
    if row.message and not row.ok:
        line += "\n" + "\n".join("      " + part for part in row.message.splitlines())
    elif row.skipped and row.message:
        line += f"  ({row.message})"
    return line


def _verify(args, out, err) -> int:
    from . import verify

    if args.scheduler is not None and args.workers is not None:
        raise _UsageError("give --scheduler (a running Dask scheduler) or --workers (a local cluster), not both")
    if args.samples is not None and args.samples < 1:
        raise _UsageError(f"--samples must be a positive integer, got {args.samples}")
    if args.workers is not None and args.workers < 1:
        raise _UsageError(f"--workers must be a positive integer, got {args.workers}")
    if not args.timeout > 0:
        raise _UsageError(f"--timeout must be a positive number of seconds, got {args.timeout}")
    groups = [_parse_group(spec) for spec in args.group] if args.group else None
    try:
        reg = verify.registry()
        jobs = verify.plan(topics=args.topic, groups=groups, pattern=args.k, samples=args.samples)
    except ValueError as exc:
        raise _UsageError(str(exc).replace("topics: ", "--topic: ")) from None
    if not jobs:
        raise _UsageError(f"no registered identity matches -k {args.k!r}" if args.k else "nothing to verify")
    n_identities = len({job[0].name for job in jobs})
    group_width = max(len(job[1].name if not isinstance(job[1], verify.Row) else job[1].group) for job in jobs)
    live = bool(getattr(err, "isatty", lambda: False)())
    import sympy  # noqa: F401  (imported once here, so that no row's time includes the import)

    status = {"width": 0}

    def clear():
        if status["width"]:
            print("\r" + " " * status["width"] + "\r", end="", file=err, flush=True)
            status["width"] = 0

    def show(text):
        clear()
        text = text[:_STATUS_WIDTH]
        print(text, end="", file=err, flush=True)
        status["width"] = len(text)

    def started(ident, G, k, total):
        # on a terminal: which row is running (a long one shows it is not stuck)
        if live:
            show(f"[{k}/{total}] running: {G.name}  {ident.name}")

    def progress(row, k, total):
        if not args.quiet or not row.ok:
            clear()
            print(_format_row(row, k, total, group_width), file=out, flush=True)
        elif live:  # --quiet on a terminal: a running counter on stderr
            show(f"[{k}/{total}]")

    t0 = time.perf_counter()
    if args.scheduler is None and args.workers is None:
        rows = verify.run(jobs=jobs, progress=progress, started=started)
    else:  # on a Dask cluster: progress on stderr while the rows stream in, then the rows in serial order
        rows = _verify_on_dask(args, jobs, err, show, clear, live, group_width)
        for k, row in enumerate(rows, start=1):
            progress(row, k, len(rows))
    elapsed = time.perf_counter() - t0
    clear()
    passed = sum(r.ok and not r.skipped for r in rows)
    lost = sum(getattr(r, "lost", False) for r in rows)
    failed = sum(not r.ok for r in rows) - lost
    skipped = sum(r.skipped for r in rows)
    summary = f"{passed} passed, {failed} failed"
    if skipped:
        summary += f", {skipped} skipped"
    if lost:
        summary += f", {lost} not run"
    summary += f" ({n_identities} of {len(reg)} identities, {elapsed:.1f} s)"
    print(summary, file=out, flush=True)
    if failed or lost:
        return 1
    if not passed:
        print("groupmat verify: nothing was verified (every row was skipped)", file=err)
        return 1
    return 0


def _verify_on_dask(args, jobs, err, show, clear, live, group_width):
    """The rows of ``jobs`` run as tasks on a Dask cluster (:func:`groupmat.dask.sweep_rows`), in
    serial order. While they stream in: a ``[done/total]`` line on a terminal, and each failed or
    lost row on stderr as soon as it arrives."""
    from .dask import MissingDaskError, SchedulerUnreachable, connect, sweep_rows

    where = args.scheduler or f"a local cluster of {args.workers} worker{'s' * (args.workers != 1)}"
    try:
        with connect(args.scheduler, args.workers, timeout=args.timeout) as client:
            n_workers = len(client.scheduler_info().get("workers", {}))
            print(f"groupmat verify: {len(jobs)} rows on {where} ({n_workers} worker"
                  f"{'s' * (n_workers != 1)} at {client.scheduler.address})", file=err, flush=True)
            rows = [None] * len(jobs)
            for done, (k, row) in enumerate(sweep_rows(client, jobs=jobs), start=1):
                rows[k] = row
                if not row.ok:
                    clear()
                    print(_format_row(row, k + 1, len(jobs), group_width), file=err, flush=True)
                if live:
                    show(f"[{done}/{len(jobs)}] finished: {row.group}  {row.identity}")
            clear()
            return rows
    except (MissingDaskError, SchedulerUnreachable) as exc:
        raise _UsageError(str(exc)) from None


# ------------------------------------------------------------------------------------------ list
def _list(args, out) -> int:
    from . import verify

    try:
        selected = verify.select(None, args.topic, args.k)
    except ValueError as exc:
        raise _UsageError(str(exc).replace("topics: ", "--topic: ")) from None
    if not selected:
        print("no identities", file=out)
        return 0
    tw = max(len("topic"), *(len(i.topic) for i in selected))
    zw = max(len("zoo"), *(len(i.zoo_name) for i in selected))
    print(f"{'topic':<{tw}}  {'zoo':<{zw}}  identity", file=out)
    for ident in selected:
        print(f"{ident.topic:<{tw}}  {ident.zoo_name:<{zw}}  {ident.name}", file=out)
    print(f"{len(selected)} identities", file=out)
    return 0


# ------------------------------------------------------------------------------------------ main
def build_parser() -> argparse.ArgumentParser:
    """The argument parser of the ``groupmat`` command."""
    from . import __version__

    parser = argparse.ArgumentParser(
        prog="groupmat",
        description="Finite groups, group matrices and the identities between them.",
        epilog="Group specs: C5, D6 (order 12), S4, A5, Q8, Dic3, V4, C2^3, C4xC2, (D3xC2)^2.",
    )
    parser.add_argument("--version", action="version", version=f"groupmat {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    info = sub.add_parser("info", help="describe a group: order, generators, classes, centre, exponent",
                          description="Describe the group given by SPEC.")
    info.add_argument("spec", metavar="SPEC", help="a group spec such as D6, C4xC2, S4, Q8, C2^3")
    info.add_argument("--all", action="store_true", help=f"list every class (default: the first {INFO_CLASSES_SHOWN})")
    info.add_argument("--no-characters", action="store_true", help="do not print the character table")

    ver = sub.add_parser("verify", help="run the registered identities over their groups",
                         description="Run every registered identity over its zoo of groups (or the groups "
                                     "given with --group); print one row per (identity, group); exit 1 "
                                     "when anything fails.")
    ver.add_argument("--topic", action="extend", nargs="+", metavar="T",
                     help="only identities of these topics (`groupmat list` shows them)")
    ver.add_argument("--group", action="extend", nargs="+", metavar="SPEC",
                     help="run every identity on these groups instead of its own zoo, e.g. --group S5 C2^4")
    ver.add_argument("-k", metavar="TEXT", help="only identities whose name contains TEXT")
    ver.add_argument("--quiet", "-q", action="store_true", help="print only failures and the summary (with a running [k/N] counter when stderr is a terminal)")
    ver.add_argument("--samples", type=int, metavar="N",
                     help="run each sampled identity (a check taking `sample`) on N random samples, one row each")
    dask = ver.add_argument_group("on a Dask cluster (the dask extra: pip install 'groupmat[dask]')")
    dask.add_argument("--scheduler", metavar="ADDRESS",
                      help="run the rows as tasks on the Dask scheduler at ADDRESS, e.g. tcp://10.0.0.5:8786")
    dask.add_argument("--workers", type=int, metavar="N",
                      help="run the rows on a local Dask cluster of N worker processes (127.0.0.1)")
    dask.add_argument("--timeout", type=float, default=10.0, metavar="SECONDS",
                      help="how long to wait for the scheduler (or the local cluster) to answer (default 10)")

    lst = sub.add_parser("list", help="list the registered identities", description="List the registered identities.")
    lst.add_argument("--topic", action="extend", nargs="+", metavar="T", help="only identities of these topics")
    lst.add_argument("-k", metavar="TEXT", help="only identities whose name contains TEXT")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``groupmat`` command with ``argv`` (default ``sys.argv[1:]``); return the exit code.

    Exit codes: 0 success, 1 a failed identity in ``verify``, 2 a usage error (bad spec, unknown
    topic, bad option) with its message on stderr.
    """
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse prints its own message; return its code instead of exiting
        return int(exc.code or 0)
    out, err = sys.stdout, sys.stderr
    if args.command is None:
        parser.print_help(out)
        return 2
    try:
        if args.command == "info":
            return _info(args, out)
        if args.command == "verify":
            return _verify(args, out, err)
        return _list(args, out)
    except _UsageError as exc:
        print(f"groupmat {args.command}: error: {exc}", file=err)
        return 2
    except KeyboardInterrupt:
        print("interrupted", file=err)
        return 130
    except BrokenPipeError:  # `groupmat verify | head`: stop quietly
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
