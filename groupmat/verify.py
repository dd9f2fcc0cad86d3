"""The registry of checkable identities behind ``groupmat verify``.

Each identity is a function ``check(G) -> str`` that raises ``AssertionError`` (with a message) when
the identity fails on group ``G`` and otherwise returns which side ran: ``"exact"``, ``"numeric"``
or ``"both"``. It is registered once, next to the mathematics it states, with :func:`register`;
``groupmat verify`` runs every registered identity over its groups.

Example
-------
>>> from groupmat.verify import register
>>> @register("inverse of inverse", zoo="default")
... def _inv_inv(G):
...     assert (G.inv(G.inv(G.elements())) == G.elements()).all()
...     return "exact"
"""
from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

from .groups.core import FiniteGroup

__all__ = ["Identity", "register", "registry", "default_zoo", "small_zoo", "run", "Row"]


def default_zoo() -> list[FiniteGroup]:
    """The default groups: cyclic, dihedral, symmetric, alternating, quaternion, dicyclic, sign,
    direct and semidirect products."""
    from .groups import (alternating, cyclic, dicyclic, dihedral, direct_product, quaternion,
                         semidirect_product, sign_group, symmetric)

    return [
        cyclic(1), cyclic(7), cyclic(12), dihedral(3), dihedral(8), symmetric(3), symmetric(4),
        alternating(4), quaternion(), dicyclic(3), sign_group(3),
        direct_product(cyclic(4), cyclic(2)), direct_product(dihedral(3), cyclic(2)),
        semidirect_product(cyclic(7), cyclic(3), [lambda n: (2 * n) % 7]),
    ]


def small_zoo() -> list[FiniteGroup]:
    """Groups small enough for exact (SymPy) checks of ``n x n`` identities."""
    from .groups import cyclic, dihedral, direct_product, quaternion, sign_group, symmetric

    return [cyclic(5), dihedral(3), dihedral(4), symmetric(3), quaternion(), sign_group(2),
            direct_product(cyclic(2), cyclic(3))]


_ZOOS: dict[str, Callable[[], list[FiniteGroup]]] = {"default": default_zoo, "small": small_zoo}


@dataclass
class Identity:
    """A registered identity: a name, a check ``check(G) -> side`` and the groups it runs on."""

    name: str
    check: Callable[[FiniteGroup], str]
    zoo: str | Callable[[], list[FiniteGroup]] = "default"
    topic: str = "groups"

    def groups(self) -> list[FiniteGroup]:
        return _ZOOS[self.zoo]() if isinstance(self.zoo, str) else list(self.zoo())


_REGISTRY: dict[str, Identity] = {}


def register(name: str, zoo="default", topic: str = "groups"):
    """Decorator registering ``check(G) -> "exact" | "numeric" | "both"`` under ``name``.

    ``zoo`` is ``"default"``, ``"small"`` (exact-sized groups) or a callable returning groups.
    Registering a name twice replaces the earlier check (one statement, one place).
    """
    if isinstance(zoo, str) and zoo not in _ZOOS:
        raise ValueError(f"zoo must be one of {sorted(_ZOOS)} or a callable, got {zoo!r}")

    def decorator(func):
        _REGISTRY[name] = Identity(name, func, zoo, topic)
        return func

    return decorator


def registry() -> dict[str, Identity]:
    """All registered identities (importing the theorem modules registers them)."""
    from . import theorems  # noqa: F401  (registers on import)

    return dict(_REGISTRY)


@dataclass
class Row:
    identity: str
    group: str
    ok: bool
    side: str
    seconds: float
    message: str = field(default="")


def run(names=None, groups=None, topics=None, progress: Callable[[Row, int, int], None] | None = None) -> list[Row]:
    """Run identities (all, or those named / of the given topics) over their groups (or ``groups``)."""
    reg = registry()
    selected = [reg[k] for k in (names or reg)]
    if topics:
        selected = [i for i in selected if i.topic in topics]
    jobs = [(ident, G) for ident in selected for G in (groups if groups is not None else ident.groups())]
    rows = []
    for k, (ident, G) in enumerate(jobs):
        t0 = time.perf_counter()
        try:
            side = ident.check(G)
            ok, msg = True, ""
        except AssertionError as err:
            ok, side, msg = False, "-", str(err) or "assertion failed"
        except Exception as err:  # a crash is a failure of the identity too, reported, not hidden
            ok, side, msg = False, "-", f"{type(err).__name__}: {err}"
        row = Row(ident.name, G.name, ok, side or "-", time.perf_counter() - t0, msg)
        rows.append(row)
        if progress is not None:
            progress(row, k + 1, len(jobs))
    return rows
