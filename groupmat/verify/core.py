"""The registry of checkable identities behind ``groupmat verify``.

Each identity is a function ``check(G) -> str`` that raises ``AssertionError`` (with a message) when
the identity fails on group ``G`` and otherwise returns which side ran: ``"exact"`` (SymPy or exact
integer arithmetic), ``"numeric"`` (floating point) or ``"both"``. A check that does not apply to
the group it is given (a statement about cyclic groups, run on ``D4`` through ``--group``) raises
:class:`NotApplicable`, and its row is reported as skipped.

Resource limits are skips too, never failures: a check decides up front whether the group is too
large for its method (an exact SymPy check, dense ``n x n`` algebra) with :func:`require_order`,
which raises :class:`TooLargeToCheck` ("too large for the exact check (order 5040 > 24)"), and asks
the memory budget with :func:`require_memory` (:func:`groupmat._validation.check_size`, the
``GROUPMAT_MAX_BYTES`` rule). A :class:`~groupmat.TooLargeError` or any other ``MemoryError`` met
while checking also gives a skipped row with its reason. FAIL means the identity is false: an
``AssertionError``, any other exception (a crash), or a return value that is not one of the three
sides, reported and never hidden.

A check may also take a keyword ``sample`` (an int, with a default): it then states its identity on
random data, and ``run(..., samples=k)`` runs it for ``sample = 0, ..., k - 1`` (one row each, drawn
from ``numpy.random.default_rng(sample)`` or any other rule of the check), so many random instances
are checked, serially or on a Dask cluster (:func:`groupmat.dask.sweep`), with the same rows.

An identity is registered once, next to the mathematics it states (``groupmat/verify/theorems_<topic>.py``),
with :func:`register`; ``groupmat verify`` runs every registered identity over its groups.

Examples
--------
>>> from groupmat.verify import register, run, unregister
>>> @register("inverse of inverse", zoo="small", topic="demo")
... def _inv_inv(G):
...     assert (G.inv(G.inv(G.elements())) == G.elements()).all(), "(g^-1)^-1 != g"
...     return "exact"
>>> rows = run(names=["inverse of inverse"])
>>> all(r.ok for r in rows), rows[0].side
(True, 'exact')
>>> unregister("inverse of inverse")
"""
from __future__ import annotations

import inspect
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

import numpy as np

from .._validation import check_size
from ..groups.core import FiniteGroup

__all__ = ["Identity", "NotApplicable", "TooLargeToCheck", "register", "unregister", "registry", "topics", "select",
           "default_zoo", "small_zoo", "plan", "run", "run_row", "Row", "SIDES", "require_order",
           "require_memory", "DENSE_CHECK_MAX"]

#: What a check returns: which side of the identity it verified.
SIDES = ("exact", "numeric", "both")

#: Largest order for checks with dense ``n x n`` matrices (products, inverses, determinants, SVDs
#: in ``O(n^3)``; ``n^2`` products of elements): about a second at this order; larger groups skip
#: those checks.
DENSE_CHECK_MAX = 2048


class NotApplicable(Exception):
    """Raised by a check whose statement does not concern the group it was given (a skipped row)."""


class TooLargeToCheck(Exception):
    """Raised by a check that judges the group too large for its method within a reasonable time or
    memory (a skipped row, with the reason as its message); see :func:`require_order`."""


def require_order(G: FiniteGroup, limit: int, method: str) -> None:
    """Skip the calling check (raise :class:`TooLargeToCheck`) when ``|G| > limit``.

    Parameters
    ----------
    G : FiniteGroup
    limit : int
        The largest order the method handles in reasonable time.
    method : str
        What is too costly, as in "too large for *the exact check*".

    Examples
    --------
    >>> import groupmat as gm
    >>> from groupmat.verify import require_order
    >>> require_order(gm.symmetric(7), 24, "the exact check")
    Traceback (most recent call last):
    ...
    groupmat.verify.core.TooLargeToCheck: too large for the exact check (order 5040 > 24)
    >>> require_order(gm.symmetric(3), 24, "the exact check") is None
    True
    """
    if G.order > limit:
        raise TooLargeToCheck(f"too large for {method} (order {G.order} > {limit})")


def require_memory(shape, itemsize: int, what: str) -> None:
    """Ask the memory budget (:func:`groupmat._validation.check_size`, ``GROUPMAT_MAX_BYTES``) for the
    arrays a check is about to build; over it, :class:`~groupmat.TooLargeError` skips the row.

    Examples
    --------
    >>> from groupmat.verify import require_memory
    >>> require_memory((10**10,), 8, "the element arrays of C10000000000")
    Traceback (most recent call last):
    ...
    groupmat._validation.TooLargeError: the element arrays of C10000000000 (10000000000) would take 74.5 GiB, ...
    """
    check_size(shape, itemsize, what)


def default_zoo() -> list[FiniteGroup]:
    """The default groups: cyclic, dihedral, symmetric, alternating, quaternion, dicyclic, sign,
    direct and semidirect products."""
    from ..groups import (alternating, cyclic, dicyclic, dihedral, direct_product, quaternion,
                         semidirect_product, sign_group, symmetric)

    return [
        cyclic(1), cyclic(7), cyclic(12), dihedral(3), dihedral(8), symmetric(3), symmetric(4),
        alternating(4), quaternion(), dicyclic(3), sign_group(3),
        direct_product(cyclic(4), cyclic(2)), direct_product(dihedral(3), cyclic(2)),
        semidirect_product(cyclic(7), cyclic(3), [lambda n: (2 * n) % 7]),
    ]


def small_zoo() -> list[FiniteGroup]:
    """Groups small enough for exact (SymPy) checks of ``n x n`` identities."""
    from ..groups import cyclic, dihedral, direct_product, quaternion, sign_group, symmetric

    return [cyclic(5), dihedral(3), dihedral(4), symmetric(3), quaternion(), sign_group(2),
            direct_product(cyclic(2), cyclic(3))]


_ZOOS: dict[str, Callable[[], list[FiniteGroup]]] = {"default": default_zoo, "small": small_zoo}


@dataclass
class Identity:
    """A registered identity: a name, a check ``check(G) -> side``, the groups it runs on, a topic."""

    name: str
    check: Callable[[FiniteGroup], str]
    zoo: str | Callable[[], list[FiniteGroup]] = "default"
    topic: str = "groups"

    def groups(self) -> list[FiniteGroup]:
        """The groups this identity runs on by default (its zoo, built afresh)."""
        return _ZOOS[self.zoo]() if isinstance(self.zoo, str) else list(self.zoo())

    @property
    def zoo_name(self) -> str:
        """``"default"``, ``"small"``, or the name of the callable that builds the groups."""
        return self.zoo if isinstance(self.zoo, str) else getattr(self.zoo, "__name__", "custom")

    @property
    def sampled(self) -> bool:
        """Whether the check takes a keyword ``sample`` (random instances: ``run(..., samples=k)``)."""
        try:
            params = inspect.signature(self.check).parameters
        except (TypeError, ValueError):  # a builtin without a signature
            return False
        p = params.get("sample")
        return p is not None and p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY)


_REGISTRY: dict[str, Identity] = {}


def _topic_of(func, topic: str | None) -> str:
    if topic is not None:
        if not isinstance(topic, str) or not topic:
            raise TypeError(f"topic must be a non-empty string, got {topic!r}")
        return topic
    module = getattr(func, "__module__", "") or ""
    prefix = "groupmat.verify.theorems_"
    return module[len(prefix):].split(".")[0] if module.startswith(prefix) else "other"


def register(name: str, zoo="default", topic: str | None = None):
    """Decorator registering ``check(G) -> "exact" | "numeric" | "both"`` under ``name``.

    Parameters
    ----------
    name : str
        The statement, as printed by ``groupmat verify`` (unique: registering a name twice replaces
        the earlier check, so each statement lives in one place).
    zoo : {"default", "small"} or callable
        The groups it runs on: the default zoo, the small zoo (sized for exact SymPy checks of
        ``n x n`` identities), or a callable returning a list of groups.
    topic : str, optional
        Used by ``groupmat verify --topic``; by default the theorem module's name
        (``groupmat.verify.theorems_characters`` gives ``"characters"``), or ``"other"`` elsewhere.

    Raises
    ------
    ValueError
        For an unknown zoo name.
    TypeError
        For a name that is not a non-empty string, or a check that is not callable.
    """
    if not isinstance(name, str) or not name.strip():
        raise TypeError(f"name must be a non-empty string, got {name!r}")
    if isinstance(zoo, str):
        if zoo not in _ZOOS:
            raise ValueError(f"zoo must be one of {sorted(_ZOOS)} or a callable, got {zoo!r}")
    elif not callable(zoo):
        raise TypeError(f"zoo must be one of {sorted(_ZOOS)} or a callable, got {type(zoo).__name__}")

    def decorator(func):
        if not callable(func):
            raise TypeError(f"register({name!r}) decorates a function check(G) -> side, got {type(func).__name__}")
        _REGISTRY[name] = Identity(name, func, zoo, _topic_of(func, topic))
        return func

    return decorator


def unregister(name: str) -> None:
    """Remove a registered identity (for tests that register a temporary one)."""
    try:
        del _REGISTRY[name]
    except KeyError:
        raise ValueError(f"no identity named {name!r} is registered") from None


def registry() -> dict[str, Identity]:
    """All registered identities, by name (importing :mod:`groupmat.verify` registers the theorem modules)."""
    return dict(_REGISTRY)


def topics() -> list[str]:
    """The sorted topics of the registered identities."""
    return sorted({ident.topic for ident in registry().values()})


@dataclass
class Row:
    """One (identity, group) result of :func:`run`, or (identity, group, sample) for a sampled check.

    ``side`` is what the check returned (``"exact"``, ``"numeric"``, ``"both"``), ``"-"`` for a
    failure and ``"skip"`` for a check that does not apply to the group, judges the group too large
    for its method, or would need more memory than the budget (``skipped`` is then True, ``ok`` is
    True and ``message`` says why). ``sample`` is the sample number of a sampled check (None
    otherwise). ``lost`` marks a row that was not run because the process running it died (on a
    Dask cluster, :func:`groupmat.dask.sweep`): ``ok`` is then False and ``message`` says why.
    """

    identity: str
    group: str
    ok: bool
    side: str
    seconds: float
    message: str = field(default="")
    skipped: bool = field(default=False)
    sample: int | None = field(default=None)
    lost: bool = field(default=False)

    @property
    def status(self) -> str:
        """``"PASS"``, ``"FAIL"``, ``"SKIP"``, or ``"LOST"`` (not run: its process died)."""
        if self.lost:
            return "LOST"
        return "SKIP" if self.skipped else ("PASS" if self.ok else "FAIL")


def select(names: Iterable[str] | str | None = None, topics: Iterable[str] | str | None = None,
           pattern: str | None = None) -> list[Identity]:
    """The registered identities chosen by name, topic and text, in registration order.

    Parameters
    ----------
    names : str or iterable of str, optional
        Only these identities, in this order (default: every registered one).
    topics : str or iterable of str, optional
        Only identities of these topics (see :func:`topics`).
    pattern : str, optional
        Only identities whose name contains this text (case-insensitive).

    Returns
    -------
    list of Identity
        Possibly empty (a pattern that matches nothing).

    Raises
    ------
    ValueError
        A name that is not registered, or a topic that no identity has (naming the known ones).

    See Also
    --------
    plan, run

    Examples
    --------
    >>> from groupmat.verify import select
    >>> [i.name for i in select(topics="groups", pattern="latin")]
    ['Cayley table agrees with mul and is a Latin square bordered by the identity']
    >>> select(topics=["no such topic"])
    Traceback (most recent call last):
    ...
    ValueError: topics: no identity has topic 'no such topic'; known topics are [...]
    """
    reg = registry()
    if names is not None:
        if isinstance(names, str):
            names = [names]
        unknown = [k for k in names if k not in reg]
        if unknown:
            raise ValueError(f"names: no identity named {unknown[0]!r}; `groupmat list` shows the "
                             f"{len(reg)} registered identities")
        selected = [reg[k] for k in names]
    else:
        selected = list(reg.values())
    if topics is not None:
        if isinstance(topics, str):
            topics = [topics]
        known = sorted({i.topic for i in reg.values()})
        unknown = [t for t in topics if t not in known]
        if unknown:
            raise ValueError(f"topics: no identity has topic {unknown[0]!r}; known topics are {known}")
        selected = [i for i in selected if i.topic in topics]
    if pattern:
        selected = [i for i in selected if pattern.lower() in i.name.lower()]
    return selected


def run_row(ident: Identity, G: FiniteGroup, sample: int | None = None) -> Row:
    """Run one identity on one group (and one sample): the unit of work of :func:`run`.

    A module-level function of picklable arguments, so a process pool or a Dask cluster
    (:func:`groupmat.dask.sweep`) runs the same rows as :func:`run`.

    Parameters
    ----------
    ident : Identity
    G : FiniteGroup
    sample : int, optional
        For a sampled identity (:attr:`Identity.sampled`), the sample number passed to its check;
        None calls the check with its own default.

    Returns
    -------
    Row
        Never raises for a failing check: a false identity or a crash is a failed row, a check
        that does not apply or is over a resource limit a skipped one.

    Raises
    ------
    TypeError
        ``ident`` is not an Identity, or ``sample`` is given for an identity that takes none.

    Examples
    --------
    >>> from groupmat.verify.core import run_row, select
    >>> import groupmat as gm
    >>> ident = select(topics="groups", pattern="latin")[0]
    >>> run_row(ident, gm.dihedral(3)).status
    'PASS'
    """
    if not isinstance(ident, Identity):
        raise TypeError(f"ident must be a registered Identity (groupmat.verify.select), got {type(ident).__name__}")
    if sample is not None and not ident.sampled:
        raise TypeError(f"sample: the check of {ident.name!r} takes no sample, got sample={sample!r}")
    t0 = time.perf_counter()
    skipped = False
    try:
        side = ident.check(G) if sample is None else ident.check(G, sample=sample)
        if side in SIDES:
            ok, msg = True, ""
        else:
            ok, msg = False, f"the check returned {side!r}; a check must return one of {list(SIDES)}"
            side = "-"
    except (NotApplicable, TooLargeToCheck) as err:
        ok, skipped, side, msg = True, True, "skip", str(err)
    except MemoryError as err:  # TooLargeError too: the identity is not refuted, it cannot be checked here
        ok, skipped, side, msg = True, True, "skip", f"too large to check: {err or type(err).__name__}"
    except AssertionError as err:
        ok, side, msg = False, "-", str(err) or "assertion failed"
    except Exception as err:  # a crash is a failure of the identity too, reported, not hidden
        ok, side, msg = False, "-", f"{type(err).__name__}: {err}"
    return Row(ident.name, G.name, ok, side, time.perf_counter() - t0, msg, skipped, sample)


def plan(names: Iterable[str] | None = None, groups: Iterable[FiniteGroup] | None = None,
         topics: Iterable[str] | None = None, pattern: str | None = None,
         samples: int | None = None) -> list[tuple]:
    """The (identity, group) pairs that :func:`run` would check, in order, without running them.

    The parameters are those of :func:`run`. A zoo that fails to build appears as one pair whose
    second item is an already failed :class:`Row` saying why. With ``samples=k`` the jobs are
    triples ``(identity, group, sample)``: ``sample = 0, ..., k - 1`` for a sampled identity
    (:attr:`Identity.sampled`), None (one row) for the others.
    """
    if samples is not None:
        if isinstance(samples, bool) or not isinstance(samples, (int, np.integer)) or samples < 1:
            raise ValueError(f"samples must be a positive integer (or None), got {samples!r}")
        samples = int(samples)
    selected = select(names, topics, pattern)
    fixed = list(groups) if groups is not None else None
    if fixed is not None:
        bad = [g for g in fixed if not isinstance(g, FiniteGroup)]
        if bad:
            raise TypeError(f"groups must be FiniteGroup objects (e.g. groupmat.group('D4')), got {type(bad[0]).__name__}")
    jobs: list = []
    for ident in selected:
        if fixed is not None:
            pairs = [(ident, G) for G in fixed]
        else:
            try:
                pairs = [(ident, G) for G in ident.groups()]
            except Exception as err:  # the zoo itself is broken: one failed row says so
                pairs = [(ident, Row(ident.name, f"zoo {ident.zoo_name}", False, "-", 0.0,
                                     f"building the groups failed: {type(err).__name__}: {err}"))]
        if samples is None:
            jobs.extend(pairs)
        else:
            draws = range(samples) if ident.sampled else [None]
            jobs.extend((i, G, s) for i, G in pairs for s in (draws if not isinstance(G, Row) else [None]))
    return jobs


def run(names: Iterable[str] | None = None, groups: Iterable[FiniteGroup] | None = None,
        topics: Iterable[str] | None = None, progress: Callable[[Row, int, int], None] | None = None,
        pattern: str | None = None, jobs: list | None = None,
        started: Callable[[Identity, FiniteGroup, int, int], None] | None = None,
        samples: int | None = None) -> list[Row]:
    """Run identities over their groups and return one :class:`Row` per (identity, group).

    Parameters
    ----------
    names : iterable of str, optional
        Run only these identities (default: all registered ones).
    groups : iterable of FiniteGroup, optional
        Run every selected identity on these groups instead of its own zoo.
    topics : iterable of str, optional
        Run only identities of these topics.
    progress : callable, optional
        Called as ``progress(row, k, total)`` after each row (``k`` counts from 1).
    pattern : str, optional
        Run only identities whose name contains this text (case-insensitive).
    jobs : list, optional
        The pairs (or triples) from :func:`plan` (then ``names``, ``groups``, ``topics``,
        ``pattern`` and ``samples`` are ignored).
    started : callable, optional
        Called as ``started(identity, group, k, total)`` before each row is run (to show which
        row a long run is on).
    samples : int, optional
        Run each sampled identity (a check with a keyword ``sample``) for ``sample = 0, ...,
        samples - 1``, one row each; the others run once. Default: every check with its own default.

    Returns
    -------
    list of Row
        In registration order, then zoo order. A zoo that fails to build gives one failed row.

    Raises
    ------
    ValueError
        For an unknown identity name or a topic no identity has.

    See Also
    --------
    run_row, plan, groupmat.dask.sweep
    """
    if jobs is None:
        jobs = plan(names, groups, topics, pattern, samples)
    rows = []
    for k, job in enumerate(jobs):
        ident, G, sample = job if len(job) == 3 else (*job, None)
        if started is not None and not isinstance(G, Row):
            started(ident, G, k + 1, len(jobs))
        row = G if isinstance(G, Row) else run_row(ident, G, sample)
        rows.append(row)
        if progress is not None:
            progress(row, k + 1, len(jobs))
    return rows
