"""Named tolerance rules: the one place that decides when a floating-point quantity counts as zero.

Every numeric check in groupmat (is this a group matrix, is this representation orthogonal, what is
the rank of a displacement, is this multiplicity an integer, is this array real) asks one of these
rules, each relative to the *dtype* of the data it judges: a float32 result is judged with float32's
machine epsilon, a float64 result with float64's. Integer and boolean data are judged as float64 (the
dtype they are computed in). Exact (SymPy) data needs no tolerance: exact checks decide exactly.

The rules, with ``eps`` the machine epsilon of the dtype and ``scale`` the size of the data judged:

=========================  ===========================================  ===========================================
rule                       value                                        used for
=========================  ===========================================  ===========================================
:func:`roundoff`           ``ROUNDOFF_ULPS * eps * max(1, terms) * s``  two computed values are equal; a computed
                                                                        value is zero (``s = max(1, scale)``)
:func:`rank_tol`           ``max(shape) * eps * sigma_max``             the numerical rank (NumPy's ``matrix_rank``)
:func:`unitarity_tol`      ``sqrt(eps)``                                ``R^T R = I`` for the images of a
                                                                        representation (relative entries)
:func:`integrality_tol`    ``eps ** (1/3)``                             a computed count (a multiplicity, an inner
                                                                        product of characters) is an integer
:func:`imaginary_tol`      ``ROUNDOFF_ULPS * eps``                      the imaginary part is round-off (relative
                                                                        to the real part, at least 1)
=========================  ===========================================  ===========================================

Examples
--------
>>> import numpy as np
>>> from groupmat.tolerances import roundoff, eps
>>> eps(np.float32) > eps(np.float64)
True
>>> roundoff(np.float64) < 1e-12 < roundoff(np.float32)
True
>>> roundoff(np.int64) == roundoff(np.float64)
True
"""
from __future__ import annotations

import numpy as np

__all__ = ["ROUNDOFF_ULPS", "eps", "float_dtype", "roundoff", "rank_tol", "unitarity_tol", "integrality_tol",
           "imaginary_tol"]

#: How many units in the last place a sum or product of ``terms`` values may drift per term. Group
#: algorithms sum over the group (a convolution, a Reynolds average, a Fourier coefficient): each
#: sum of ``n`` terms carries at most about ``n eps`` relative error, times a small constant.
ROUNDOFF_ULPS = 64


def float_dtype(dtype) -> np.dtype:
    """The floating dtype in which data of ``dtype`` is judged: its real counterpart for complex
    dtypes, float64 for integers, booleans, objects and anything else.

    Parameters
    ----------
    dtype : dtype, type, str, or array
        A dtype (``np.float32``, ``"complex64"``, ``float``), or data that has one (an array, a NumPy
        scalar; other values are judged by ``np.asarray(value).dtype``).

    Examples
    --------
    >>> import numpy as np
    >>> from groupmat.tolerances import float_dtype
    >>> float_dtype(np.complex64), float_dtype(np.int8), float_dtype(np.float16)
    (dtype('float32'), dtype('float64'), dtype('float16'))
    >>> float_dtype(np.ones(3, dtype=np.float32))
    dtype('float32')
    """
    dt = _as_dtype(dtype)
    if dt.kind == "f":
        return dt
    if dt.kind == "c":
        return np.dtype(f"f{dt.itemsize // 2}")
    return np.dtype(np.float64)


def eps(dtype) -> float:
    """Machine epsilon of :func:`float_dtype` of ``dtype`` (``2.2e-16`` for float64, ``1.2e-7`` for float32)."""
    return float(np.finfo(float_dtype(dtype)).eps)


def _as_dtype(dtype) -> np.dtype:
    """``dtype`` as a NumPy dtype: a dtype, a type or a dtype name as given, else the dtype of the data."""
    if isinstance(dtype, (np.dtype, type, str)):
        return np.dtype(dtype)
    found = getattr(dtype, "dtype", None)
    if isinstance(found, np.dtype):
        return found
    try:
        return np.asarray(dtype).dtype
    except (TypeError, ValueError):              # ragged or otherwise not an array: judged as float64
        return np.dtype(np.float64)


def roundoff(dtype, scale: float = 1.0, terms: int = 1) -> float:
    """Absolute tolerance for "equal up to round-off" of values of magnitude ``scale`` that were
    computed as sums of ``terms`` products: ``ROUNDOFF_ULPS * eps * max(1, terms) * max(1, scale)``.

    Parameters
    ----------
    dtype : dtype or array
        The dtype of the values judged (or an array of them).
    scale : float
        Their magnitude (e.g. ``max |M|``); values below 1 are judged at scale 1.
    terms : int
        How many terms each value is a sum of (e.g. the group order for a convolution).

    Examples
    --------
    >>> import numpy as np
    >>> from groupmat.tolerances import roundoff
    >>> bool(roundoff(np.float64, scale=100.0) == 100 * roundoff(np.float64))
    True
    """
    return ROUNDOFF_ULPS * eps(dtype) * max(1, int(terms)) * max(1.0, float(scale))


def rank_tol(singular_values, shape, dtype=None) -> float:
    """NumPy's ``matrix_rank`` rule: ``max(shape) * eps * sigma_max``, with ``eps`` of ``dtype``
    (default: the dtype of ``singular_values``).

    Examples
    --------
    >>> import numpy as np
    >>> from groupmat.tolerances import rank_tol
    >>> s = np.array([2.0, 1.0, 1e-17])
    >>> rank_tol(s, (3, 3)) == 3 * float(np.finfo(float).eps) * 2.0
    True
    """
    s = np.asarray(singular_values)
    dt = s.dtype if dtype is None else dtype
    smax = float(np.max(np.abs(s), initial=0.0))
    return max(int(d) for d in shape) * eps(dt) * smax if len(shape) else 0.0


def unitarity_tol(dtype) -> float:
    """Tolerance on the entries of ``R^T R - I`` (or ``R^* R - I``) for an orthogonal (unitary)
    representation: ``sqrt(eps)`` (``1.5e-8`` for float64, ``3.5e-4`` for float32)."""
    return float(np.sqrt(eps(dtype)))


def integrality_tol(dtype) -> float:
    """Tolerance for a computed count to be an integer: ``eps ** (1/3)`` (``6e-6`` for float64)."""
    return float(eps(dtype) ** (1.0 / 3.0))


def imaginary_tol(dtype) -> float:
    """Relative tolerance below which an imaginary part is round-off: ``ROUNDOFF_ULPS * eps``."""
    return ROUNDOFF_ULPS * eps(dtype)
