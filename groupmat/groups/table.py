"""Groups given by a Cayley table."""
from __future__ import annotations

from .core import TableGroup

__all__ = ["from_cayley_table"]


def from_cayley_table(table, labels=None, name: str = "G") -> TableGroup:
    """The group whose Cayley table is ``table[i, j]``, the index of ``g_i g_j``, in that element order.

    The table is checked to be a group table (square integer array, entries in range, Latin square,
    an identity, associativity) and the first failure is named.

    Parameters
    ----------
    table : array_like of int, shape (n, n)
    labels : sequence of hashable, optional
        One label per element (default ``"g0", "g1", ...``).
    name : str, optional

    Returns
    -------
    TableGroup

    Raises
    ------
    ValueError
        The table is not a group's (the message says which axiom fails and where).
    TypeError
        The table is not an integer array.

    Examples
    --------
    >>> import groupmat as gm
    >>> G = gm.from_cayley_table([[0, 1, 2], [1, 2, 0], [2, 0, 1]])
    >>> G.order, G.identity, G.inv(1)
    (3, 0, 2)
    >>> gm.from_cayley_table([[0, 1], [1, 1]])
    Traceback (most recent call last):
    ...
    ValueError: table is not a Latin square: row 1 repeats an element (no cancellation, not a group)
    """
    G = TableGroup(table, name=name)
    if labels is not None:
        if isinstance(labels, (str, bytes)) or not hasattr(labels, "__iter__"):
            raise TypeError(f"labels must be a sequence of hashable labels, got {type(labels).__name__}")
        labels = list(labels)
        for i, lab in enumerate(labels):
            try:
                hash(lab)
            except TypeError:
                raise TypeError(f"labels must be hashable (e.g. strings or tuples); labels[{i}] is a "
                                f"{type(lab).__name__}: {lab!r}") from None
        if len(labels) != G.order:
            raise ValueError(f"labels must give one label per element ({G.order}), got {len(labels)}")
        if len(set(labels)) != len(labels):
            seen = set()
            repeated = next(lab for lab in labels if lab in seen or seen.add(lab))
            raise ValueError(f"labels must be distinct, but {repeated!r} appears more than once")
        G._labels = labels
    return G
