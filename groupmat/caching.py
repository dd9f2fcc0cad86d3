"""Bounded, namespaced caches owned by one object (a group, a representation, a structured matrix).

A :class:`Memo` is the one place where an object keeps results computed on its behalf: a module that
computes something about a group (its irreducible representations, its Fourier plans, its regular
projection indices) asks the group's memo under a namespace named after that module,
``G.memo.get("reps.irreducibles", key, compute)``, and never writes into the group otherwise. The
memo

- keeps each namespace apart, so two modules never read each other's entries by accident;
- is bounded in bytes: when the arrays it holds exceed its budget (a quarter of
  :func:`groupmat._validation.max_bytes`, at most 1 GiB, by default), the least recently used
  entries are dropped, and a result larger than the whole budget is returned without being kept;
- makes every NumPy array it stores read-only (recursively in tuples, lists and dicts, and in objects
  that offer a ``freeze()`` method), so a result handed to a user can be read but an in-place edit
  raises instead of poisoning every later call.

Examples
--------
>>> import numpy as np
>>> from groupmat.caching import Memo
>>> memo = Memo("example", max_bytes=1000)
>>> a = memo.get("demo", "squares", lambda: np.arange(4) ** 2)
>>> a.flags.writeable, memo.get("demo", "squares", lambda: None) is a
(False, True)
>>> big = memo.get("demo", "big", lambda: np.zeros(1000))   # 8000 bytes: over the budget, not kept
>>> "big" in memo.keys("demo"), memo.nbytes
(False, 32)
"""
from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

import numpy as np

from ._validation import check_nonnegative_int
from ._validation import max_bytes as _max_bytes

__all__ = ["Memo", "freeze", "nbytes_of", "DEFAULT_MEMO_BYTES"]

T = TypeVar("T")

#: The most a memo keeps by default: a quarter of ``GROUPMAT_MAX_BYTES`` and never more than 1 GiB.
DEFAULT_MEMO_BYTES = 2**30


def freeze(value: Any) -> Any:
    """Make the arrays in ``value`` read-only, in place, and return ``value``.

    Arrays are frozen; tuples, lists and dict values are walked; an object with a ``freeze()``
    method is asked to freeze itself. Anything else is left as it is.

    Examples
    --------
    >>> import numpy as np
    >>> from groupmat.caching import freeze
    >>> a, b = np.zeros(2), np.ones(3)
    >>> _ = freeze((a, [b]))
    >>> a.flags.writeable or b.flags.writeable
    False
    """
    if isinstance(value, np.ndarray):
        value.flags.writeable = False
    elif isinstance(value, (tuple, list)):
        for v in value:
            freeze(v)
    elif isinstance(value, dict):
        for v in value.values():
            freeze(v)
    elif callable(getattr(value, "freeze", None)) and not isinstance(value, type):
        value.freeze()
    return value


def nbytes_of(value: Any) -> int:
    """The bytes held by the arrays in ``value`` (walked as :func:`freeze` walks it; an object may
    report its size with an ``nbytes`` attribute). Python scalars and small objects count 0."""
    if isinstance(value, np.ndarray):
        return int(value.nbytes)
    if isinstance(value, (tuple, list)):
        return sum(nbytes_of(v) for v in value)
    if isinstance(value, dict):
        return sum(nbytes_of(v) for v in value.values())
    size = getattr(value, "nbytes", None)
    if isinstance(size, (int, np.integer)) and not isinstance(value, type):
        return int(size)
    return 0


class Memo:
    """A cache of computed results, namespaced by the module that computes them, bounded in bytes.

    Parameters
    ----------
    owner : str
        What the memo belongs to (for messages), e.g. the group's name.
    max_bytes : int, optional
        The budget in bytes; by default ``min(GROUPMAT_MAX_BYTES // 4, 1 GiB)``, read when the memo
        is made.

    Notes
    -----
    Entries are dropped least recently used first, so ``nbytes <= max_bytes`` always. Results are
    frozen (:func:`freeze`) when stored: a caller that wants to modify one takes a copy. Only the
    arrays are frozen, not the containers: a stored tuple is immutable, but a stored list or dict
    must never be changed after it is stored (store a tuple, or a frozen object, instead).

    Raises
    ------
    TypeError, ValueError
        ``max_bytes`` that is not a non-negative integer.
    """

    def __init__(self, owner: str, max_bytes: int | None = None):
        self.owner = owner
        if max_bytes is None:
            max_bytes = max(0, min(_max_bytes() // 4, DEFAULT_MEMO_BYTES))
        self.max_bytes = check_nonnegative_int(max_bytes, "max_bytes")
        self._entries: OrderedDict[tuple[str, Hashable], tuple[Any, int]] = OrderedDict()
        self._nbytes = 0

    @property
    def nbytes(self) -> int:
        """The bytes currently held."""
        return self._nbytes

    def keys(self, namespace: str) -> list:
        """The keys held under ``namespace``, least recently used first."""
        return [k for ns, k in self._entries if ns == namespace]

    def peek(self, namespace: str, key: Hashable, default: Any = None) -> Any:
        """The entry under ``(namespace, key)`` if held, else ``default`` (computes nothing)."""
        entry = self._entries.get((namespace, key))
        if entry is None:
            return default
        self._entries.move_to_end((namespace, key))
        return entry[0]

    def get(self, namespace: str, key: Hashable, compute: Callable[[], T]) -> T:
        """The result under ``(namespace, key)``, computed by ``compute()`` and kept if not held yet.

        Parameters
        ----------
        namespace : str
            The owning module of the entry, e.g. ``"reps.fourier_transform"``.
        key : hashable
            What the entry is, within the namespace.
        compute : callable
            Called with no arguments when the entry is not held; its result is frozen and kept
            (unless it is larger than the whole budget).
        """
        full = (namespace, key)
        entry = self._entries.get(full)
        if entry is not None:
            self._entries.move_to_end(full)
            return entry[0]
        value = freeze(compute())
        self.put(namespace, key, value)
        return value

    def put(self, namespace: str, key: Hashable, value: T) -> T:
        """Keep ``value`` (frozen) under ``(namespace, key)``, evicting old entries to fit; return it."""
        full = (namespace, key)
        freeze(value)
        size = nbytes_of(value)
        old = self._entries.pop(full, None)
        if old is not None:
            self._nbytes -= old[1]
        if size > self.max_bytes:
            return value                      # larger than the whole budget: handed out, not kept
        while self._entries and self._nbytes + size > self.max_bytes:
            _, (_, dropped) = self._entries.popitem(last=False)
            self._nbytes -= dropped
        self._entries[full] = (value, size)
        self._nbytes += size
        return value

    def clear(self, namespace: str | None = None) -> None:
        """Drop every entry (of one namespace, when given)."""
        if namespace is None:
            self._entries.clear()
            self._nbytes = 0
            return
        for full in [f for f in self._entries if f[0] == namespace]:
            self._nbytes -= self._entries.pop(full)[1]

    def __repr__(self) -> str:
        return f"<Memo of {self.owner}: {len(self._entries)} entries, {self._nbytes} of {self.max_bytes} bytes>"
