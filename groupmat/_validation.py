"""Input checks shared by every module: one place for each rule and each message.

Every public function of groupmat validates its arguments through these helpers, so that bad input
gets a ``ValueError`` or ``TypeError`` that names the argument, says what was expected and what came,
and so that nothing too large is allocated without saying so first.
"""
from __future__ import annotations

import numbers
import os

import numpy as np

__all__ = [
    "TooLargeError",
    "max_bytes",
    "check_size",
    "check_positive_int",
    "check_nonnegative_int",
    "as_element_array",
    "check_finite",
    "check_choice",
    "check_tolerance",
    "check_same_group",
    "check_group_order",
    "MAX_GROUP_ORDER",
    "index_dtype",
]

#: The largest group order groupmat accepts: element indices and the sums formed by the index
#: arithmetic of the structured families (``a + b`` for ``a, b < n``) must fit in int64.
MAX_GROUP_ORDER = 2**62

#: Default ceiling, in bytes, for any single array groupmat allocates on the user's behalf.
#: Override with the environment variable ``GROUPMAT_MAX_BYTES`` (an integer number of bytes).
DEFAULT_MAX_BYTES = 4 * 2**30


class TooLargeError(ValueError, MemoryError):
    """Raised *before* allocating an array that would exceed :func:`max_bytes`.

    It is both a ``ValueError`` (the request is unreasonable for this machine) and a
    ``MemoryError`` (what would have happened otherwise), so either ``except`` clause catches it.
    """


def max_bytes() -> int:
    """The largest array, in bytes, that groupmat builds without being asked to go further.

    Read from the environment variable ``GROUPMAT_MAX_BYTES`` when set, else 4 GiB.
    """
    value = os.environ.get("GROUPMAT_MAX_BYTES")
    if value is None:
        return DEFAULT_MAX_BYTES
    try:
        limit = int(value)
    except ValueError:
        raise ValueError(f"GROUPMAT_MAX_BYTES must be an integer number of bytes, got {value!r}") from None
    if limit < 0:
        raise ValueError(f"GROUPMAT_MAX_BYTES must be a non-negative number of bytes, got {value!r}")
    return limit


def _human(nbytes: float) -> str:
    if isinstance(nbytes, int) and nbytes >= 1 << 1000:      # beyond a float: say its size in decimal digits
        pib = nbytes >> 50
        return f"about 10^{len(str(pib)) - 1} PiB"
    for unit in ("B", "KiB", "MiB", "GiB", "TiB", "PiB"):
        if nbytes < 1024 or unit == "PiB":
            if unit == "B":
                return f"{int(nbytes)} B"
            return f"{nbytes:.1f} {unit}" if nbytes < 1e6 else f"{nbytes:.3g} {unit}"
        nbytes /= 1024
    return f"{nbytes:.3g} PiB"  # pragma: no cover


def check_size(shape, itemsize: int, what: str, how: str | None = None) -> None:
    """Refuse to allocate an array of ``shape`` with ``itemsize`` bytes per entry if it is too large.

    The one budget rule: every allocation that grows with a group (or with the caller's data) asks
    this first. ``itemsize`` is the honest cost of one entry, Python objects included (a list of
    label strings costs about 70 bytes per label, not 8).

    Parameters
    ----------
    shape : tuple of int
        The entries (Python ints: no overflow however large).
    itemsize : int
        Bytes per entry.
    what : str
        What would be allocated, e.g. ``"the labels of C1000000000"``.
    how : str, optional
        The way out, e.g. ``"ask G.label(g) for one element at a time"`` (default: use a structured or
        sparse route).

    Raises
    ------
    TooLargeError
        With the size the array would have had and the limit, e.g.
        ``"the Cayley table of a group of order 100000 would take 37.3 GiB (limit 4.0 GiB) ..."``.

    Examples
    --------
    >>> from groupmat._validation import check_size
    >>> check_size((10,), 8, "ten numbers")
    >>> check_size((10**9,), 70, "the labels of C1000000000", how="ask G.label(g) for one element")
    Traceback (most recent call last):
    ...
    groupmat._validation.TooLargeError: the labels of C1000000000 (1000000000) would take 65.2 GiB, over the limit of 4.0 GiB; ask G.label(g) for one element, or raise the limit with GROUPMAT_MAX_BYTES
    """
    entries = 1
    for s in shape:
        entries *= int(s)
    nbytes = entries * int(itemsize)
    limit = max_bytes()
    if nbytes > limit:
        how = how or "use a structured or sparse route"
        raise TooLargeError(
            f"{_with_shape(what, shape)} would take {_human(nbytes)}, over the limit of {_human(limit)}; "
            f"{how}, or raise the limit with GROUPMAT_MAX_BYTES"
        )


def _with_shape(what: str, shape) -> str:
    """``what`` followed by the shape in parentheses, left out when a closing parenthesis of ``what``
    already ends with it (``"... (order 10)"``, not ``"... (order 10) (10)"``).

    Examples
    --------
    >>> from groupmat._validation import _with_shape
    >>> _with_shape("the labels of C10", (10,)), _with_shape("the centre of C10 (order 10)", (10,))
    ('the labels of C10 (10)', 'the centre of C10 (order 10)')
    >>> _with_shape("the Cayley table of C10 (order 10)", (10, 10))
    'the Cayley table of C10 (order 10) (10 x 10)'
    """
    dims = " x ".join(str(int(s)) for s in shape)
    if what.endswith(")") and "(" in what:
        inner = what[what.rindex("(") + 1:-1]
        if inner == dims or inner.endswith(" " + dims):
            return what
    return f"{what} ({dims})"


def check_name(name, default: str) -> str:
    """``name`` if it is a string, ``default`` when it is None; a TypeError naming ``name`` otherwise.

    Examples
    --------
    >>> from groupmat._validation import check_name
    >>> check_name(None, "C5"), check_name("five", "C5")
    ('C5', 'five')
    """
    if name is None:
        return default
    if not isinstance(name, str):
        raise TypeError(f"name must be a string, got {type(name).__name__} {name!r:.60}")
    return name


def check_positive_int(value, name: str, minimum: int = 1) -> int:
    """Return ``value`` as a Python int, requiring an integer ``>= minimum`` (not a bool or float)."""
    if isinstance(value, bool) or not isinstance(value, (numbers.Integral, np.integer)):
        raise TypeError(f"{name} must be an integer >= {minimum}, got {type(value).__name__} {value!r}")
    value = int(value)
    if value < minimum:
        raise ValueError(f"{name} must be an integer >= {minimum}, got {value}")
    return value


def check_nonnegative_int(value, name: str) -> int:
    """Return ``value`` as a Python int, requiring an integer ``>= 0``."""
    return check_positive_int(value, name, minimum=0)


def as_element_array(a, order: int, name: str = "a") -> np.ndarray:
    """Convert ``a`` to an int64 array of element indices in ``0..order-1``.

    Accepts Python ints, sequences and integer arrays; refuses floats, booleans and out-of-range
    indices with an error naming ``name``.
    """
    try:
        arr = np.asarray(a)
    except OverflowError:
        raise ValueError(f"{name} must hold element indices in 0..{order - 1}, got an integer too large "
                         "for int64") from None
    except ValueError as err:
        raise ValueError(f"{name} must be an integer or a rectangular array of element indices "
                         f"({err})") from None
    if arr.size == 0 and arr.dtype.kind in "fO":  # an empty list or array: no elements at all
        arr = arr.astype(np.int64)
    if arr.dtype == object:
        try:
            arr = arr.astype(np.int64)
        except OverflowError:
            raise ValueError(f"{name} must hold element indices in 0..{order - 1}, got an integer too large "
                             "for int64") from None
        except (TypeError, ValueError):
            raise TypeError(f"{name} must hold integer element indices, got {a!r}") from None
    if arr.dtype.kind not in "iu":
        raise TypeError(
            f"{name} must hold integer element indices in 0..{order - 1}, got an array of dtype {arr.dtype}"
        )
    arr = arr.astype(np.int64, copy=False)
    if arr.size and (arr.min() < 0 or arr.max() >= order):
        bad = arr[(arr < 0) | (arr >= order)].flat[0]
        raise ValueError(f"{name} must hold element indices in 0..{order - 1}, got {int(bad)}")
    return arr


def check_finite(arr, name: str) -> None:
    """Refuse NaN or infinite entries in a numeric array."""
    a = np.asarray(arr)
    if a.dtype.kind in "fc" and not np.all(np.isfinite(a)):
        raise ValueError(f"{name} must be finite, but it holds NaN or infinite entries")


def check_choice(value, name: str, choices) -> str:
    """Require ``value`` to be one of ``choices`` (strings), naming them all otherwise."""
    if value not in choices:
        listed = ", ".join(repr(c) for c in choices)
        raise ValueError(f"{name} must be one of {listed}, got {value!r}")
    return value


def check_group_order(order, what: str = "order") -> int:
    """Return a group order as a Python int, refusing orders above :data:`MAX_GROUP_ORDER` (``2**62``).

    Element indices are int64 and the structured families add two indices before reducing, so a
    larger order would overflow silently; it is refused with a ``ValueError`` instead.

    Examples
    --------
    >>> from groupmat._validation import check_group_order
    >>> check_group_order(2**62)
    4611686018427387904
    >>> check_group_order(2**62 + 1, "the order of C3^40")
    Traceback (most recent call last):
    ...
    ValueError: the order of C3^40 is 4611686018427387905, above the largest supported group order 2**62 (element indices are int64)
    """
    order = check_positive_int(order, what)
    if order > MAX_GROUP_ORDER:
        raise ValueError(f"{what} is {order}, above the largest supported group order 2**62 "
                         "(element indices are int64)")
    return order


def check_tolerance(tol, name: str = "tol") -> float:
    """Return ``tol`` as a float, requiring a finite real number ``>= 0``.

    Examples
    --------
    >>> from groupmat._validation import check_tolerance
    >>> check_tolerance(1e-8)
    1e-08
    >>> check_tolerance(-1, "tol")
    Traceback (most recent call last):
    ...
    ValueError: tol must be a finite number >= 0, got -1
    """
    if isinstance(tol, bool) or not isinstance(tol, (numbers.Real, np.integer, np.floating)):
        raise TypeError(f"{name} must be a finite number >= 0, got {type(tol).__name__} {tol!r}")
    value = float(tol)
    if not np.isfinite(value) or value < 0:
        raise ValueError(f"{name} must be a finite number >= 0, got {tol!r}")
    return value


def check_same_group(a, b, names: tuple[str, str] = ("a", "b")) -> None:
    """Require two representations (or anything with a ``.group``, or two groups) to share one
    group object, with a message that tells apart a different group from a twin object.

    Parameters
    ----------
    a, b : FiniteGroup or object with a ``group`` attribute
    names : (str, str)
        How to call ``a`` and ``b`` in the message, e.g. ``("reps[0]", "reps[1]")``.

    Raises
    ------
    ValueError
        When the groups are different objects. If they share a name the message says so (two
        group objects are never considered equal, even when built by the same constructor).

    Examples
    --------
    >>> import groupmat as gm
    >>> from groupmat._validation import check_same_group
    >>> check_same_group(gm.cyclic(4), gm.cyclic(4), ("rep1", "rep2"))
    Traceback (most recent call last):
    ...
    ValueError: rep1 and rep2 belong to two different group objects both named C4; build all representations from one group object
    """
    ga = getattr(a, "group", a)
    gb = getattr(b, "group", b)
    if ga is gb:
        return
    na, nb = getattr(ga, "name", repr(ga)), getattr(gb, "name", repr(gb))
    if na == nb:
        raise ValueError(f"{names[0]} and {names[1]} belong to two different group objects both named {na}; "
                         "build all representations from one group object")
    raise ValueError(f"{names[0]} belongs to {na} but {names[1]} to {nb}; "
                     "all must share one group object")


def index_dtype(order: int) -> np.dtype:
    """The smallest signed integer dtype that holds the indices ``0..order-1``.

    Parameters
    ----------
    order : int
        The number of indices.

    Returns
    -------
    numpy.dtype
        ``int8``, ``int16``, ``int32`` or ``int64``.

    Examples
    --------
    >>> from groupmat.groups import index_dtype
    >>> index_dtype(100), index_dtype(1000), index_dtype(10**6)
    (dtype('int8'), dtype('int16'), dtype('int32'))
    """
    for dt in (np.int8, np.int16, np.int32):
        if order <= np.iinfo(dt).max:
            return np.dtype(dt)
    return np.dtype(np.int64)
