"""Framework bridges: PyTorch, JAX and DLPack.

Each bridge goes through :func:`groupmat.io.convert.to_numpy` (dense) or the index arrays of
:func:`groupmat.io.convert.coo_parts` (sparse). PyTorch and JAX are optional dependencies, imported
only when a bridge to them is called: neither ``import groupmat`` nor ``import groupmat.io`` loads them.
"""
from __future__ import annotations

import numpy as np

from .._exact import to_numeric
from .convert import coo_parts, to_numpy

__all__ = ["to_torch", "to_jax", "to_dlpack", "from_dlpack"]


def _optional(module: str, what: str, extra: str):
    import importlib

    try:
        return importlib.import_module(module)
    except ImportError as err:
        raise ImportError(f"{what} needs the optional dependency {module.split('.')[0]!r}: "
                          f"pip install 'groupmat[{extra}]'") from err


def _real_for(arr: np.ndarray, dtype, where: str) -> np.ndarray:
    """``arr.real`` when its imaginary part is zero; a ValueError naming ``dtype`` otherwise."""
    if not np.iscomplexobj(arr):
        return arr
    if np.any(arr.imag != 0):
        raise ValueError(f"{where}: dtype={dtype} is real, but the values have a non-zero imaginary part "
                         f"(largest {float(np.max(np.abs(arr.imag))):.3g}); pass a complex dtype or "
                         "dtype=None")
    return arr.real


def _inexact_integer(part: np.ndarray, bits: int):
    """The first integer of an integer array that a floating type with a ``bits``-bit significand
    cannot hold exactly (a Python int), or None."""
    if part.dtype.kind not in "iu" or bits >= 8 * part.dtype.itemsize:
        return None
    u = part.astype(np.uint64)                                    # two's complement: negatives wrap
    if part.dtype.kind == "i":
        u = np.where(part < 0, ~u + np.uint64(1), u)              # |v| as uint64 (int64 min included)
    low = u & (~u + np.uint64(1))                                 # the lowest set bit (0 for 0)
    odd = u // np.where(low == 0, np.uint64(1), low)              # |v| without its trailing zeros
    bad = np.flatnonzero(odd >> np.uint64(bits))
    return int(part.reshape(-1)[bad[0]]) if bad.size else None


def _check_lossless(arr: np.ndarray, kind: str, lo, hi, dtype, where: str, bits: int | None = None) -> None:
    """Refuse a cast of ``arr`` (real or complex) to a target of ``kind`` (``"bool"``, ``"int"``,
    ``"float"``, ``"complex"``) with range ``lo..hi`` that would change values: non-integer, NaN or
    out-of-range values for an integer (or bool) type, finite values beyond the largest number of a
    floating type (they would become infinite), and integers that a floating type with a
    ``bits``-bit significand cannot hold exactly (``2**24 + 1`` in ``float32``)."""
    if arr.size == 0:
        return
    if kind in ("bool", "int"):
        arr = _real_for(arr, dtype, where)
        if arr.dtype.kind == "f":
            if not np.all(np.isfinite(arr)):
                raise ValueError(f"{where}: dtype={dtype} is an integer type, but the values hold NaN or infinity")
            fractional = arr != np.trunc(arr)
            if np.any(fractional):
                raise ValueError(f"{where}: dtype={dtype} would truncate non-integer values (e.g. "
                                 f"{arr[fractional].flat[0].item()!r}); round them first or pass a floating dtype")
        low, high = arr.min().item(), arr.max().item()            # Python numbers: compared exactly
        if low < lo or high > hi:
            raise ValueError(f"{where}: the values range from {low} to {high}, which does not fit dtype={dtype} "
                             f"(from {lo} to {hi}); pass a wider dtype")
        return
    if kind == "float":
        arr = _real_for(arr, dtype, where)
    parts = (arr.real, arr.imag) if np.iscomplexobj(arr) else (arr,)
    for part in parts:
        if part.dtype.kind == "f":
            finite = part[np.isfinite(part)]
            big = float(np.max(np.abs(finite), initial=0.0))
        else:
            big = max(abs(part.min().item()), abs(part.max().item()))
        if big > hi:
            raise ValueError(f"{where}: values as large as {big:.6g} overflow dtype={dtype} (largest {hi:.6g}); "
                             "pass a wider dtype")
        value = _inexact_integer(part, bits) if bits is not None else None
        if value is not None:
            raise ValueError(f"{where}: dtype={dtype} cannot hold the integer {value} exactly (its {bits}-bit "
                             f"significand holds every integer only up to 2**{bits} in magnitude); pass "
                             + ("a wider floating dtype (e.g. float64) or " if bits < 53 else "")
                             + "an integer dtype (e.g. int64)")


def _torch_dtype(torch, dtype):
    """A ``torch.dtype`` from a torch dtype, a name (``"float32"``, ``"torch.float64"``, ``"int64"``,
    ``"double"``...) or a NumPy dtype; None stays None."""
    if dtype is None or isinstance(dtype, torch.dtype):
        return dtype
    if isinstance(dtype, str):
        name = dtype[len("torch."):] if dtype.startswith("torch.") else dtype
    else:
        try:
            name = np.dtype(dtype).name
        except TypeError:
            raise TypeError(f"dtype must be a torch.dtype, a dtype name such as 'float32' or 'torch.int64', or a "
                            f"NumPy dtype; got {type(dtype).__name__}") from None
    found = getattr(torch, name, None) if name.isidentifier() and not name.startswith("_") else None
    if not isinstance(found, torch.dtype):
        raise ValueError(f"dtype {dtype!r} names no torch dtype; give e.g. 'float32', 'torch.float64', 'int64', "
                         "'complex64' or a torch.dtype")
    return found


def _torch_target(torch, dtype):
    """``(kind, lo, hi)`` of a torch dtype for :func:`_check_lossless`."""
    if dtype == torch.bool:
        return "bool", 0, 1
    if dtype.is_complex:
        return "complex", None, float(torch.finfo(dtype).max)
    if dtype.is_floating_point:
        return "float", None, float(torch.finfo(dtype).max)
    info = torch.iinfo(dtype)
    return "int", int(info.min), int(info.max)


def _significand_bits(eps: float) -> int:
    """The significand bits (the implicit one included) of a floating type of machine epsilon ``eps``:
    24 for float32, 11 for float16, 8 for bfloat16, 53 for float64."""
    return 1 - int(round(np.log2(float(eps))))


def _torch_bits(torch, dtype) -> int | None:
    """The significand bits of a floating or complex torch dtype (None for the others)."""
    if dtype.is_complex or dtype.is_floating_point:
        return _significand_bits(torch.finfo(dtype).eps)
    return None


def to_torch(obj, dtype=None, device=None, sparse: bool = False):
    """A PyTorch tensor of a groupmat object (needs the ``torch`` extra).

    Parameters
    ----------
    obj
        Anything :func:`to_numpy` takes.
    dtype : torch.dtype, str or NumPy dtype, optional
        A torch dtype, its name (``"float32"``, ``"torch.float64"``, ``"int64"``, ``"complex64"``,
        ``"double"``...) or a NumPy dtype. Default: the NumPy dtype's counterpart (``float64`` for
        exact values, ``complex128`` when any is not real). A cast that would change values is
        refused: a real dtype for values with a non-zero imaginary part (complex values with zero
        imaginary parts are converted), an integer or bool dtype for non-integer, NaN or
        out-of-range values, a floating dtype too narrow for the values (they would overflow), a
        floating dtype whose significand cannot hold an integer value exactly (``2**24 + 1`` in
        ``float32``: it would silently become ``2**24``). Rounding floating values to a narrower
        floating dtype (``float64`` to ``float32``) is a cast you asked for.
    device : torch.device or str, optional
    sparse : bool
        Return a coalesced sparse COO tensor. Permutation representations and SciPy sparse
        matrices are converted from their index arrays, never through a dense array.

    Returns
    -------
    torch.Tensor
        A new tensor that shares no memory with ``obj``.

    Raises
    ------
    ValueError
        A dtype name torch does not know, or a cast that would change values (see ``dtype``).
    TypeError
        ``dtype`` of another type.

    Examples
    --------
    >>> import groupmat as gm, numpy as np, torch
    >>> T = gm.to_torch(gm.regular_representation(gm.cyclic(4)), sparse=True)
    >>> T.layout, tuple(T.shape), T.values().numel()
    (torch.sparse_coo, (4, 4, 4), 16)
    >>> gm.to_torch(gm.cyclic(3), dtype="int64")[1].tolist()
    [1, 2, 0]
    >>> gm.to_torch([0.5, 1.0], dtype="int64")
    Traceback (most recent call last):
    ...
    ValueError: to_torch: dtype=torch.int64 would truncate non-integer values (e.g. 0.5); round them first...
    >>> gm.to_torch(np.array([2**24, 2**24 + 1]), dtype="float32")
    Traceback (most recent call last):
    ...
    ValueError: to_torch: dtype=torch.float32 cannot hold the integer 16777217 exactly (its 24-bit significand...
    """
    torch = _optional("torch", "to_torch", "torch")
    dtype = _torch_dtype(torch, dtype)
    if sparse:
        idx, vals, shape = coo_parts(obj)
        if vals.dtype == object:
            vals = to_numeric(vals)
        vals = _cast_values(torch, vals, dtype)
        t = torch.sparse_coo_tensor(torch.from_numpy(np.ascontiguousarray(idx)),
                                    torch.from_numpy(np.array(vals)), size=tuple(shape),
                                    check_invariants=True)
        t = t.coalesce()
    else:
        arr = _cast_values(torch, to_numpy(obj), dtype)
        t = torch.from_numpy(np.array(arr, order="C", copy=True))
    return t.to(dtype=dtype, device=device) if (dtype is not None or device is not None) else t


def _cast_values(torch, arr: np.ndarray, dtype) -> np.ndarray:
    """``arr`` checked for a lossless cast to the torch ``dtype`` (real when the dtype is real)."""
    if dtype is None:
        return arr
    kind, lo, hi = _torch_target(torch, dtype)
    _check_lossless(arr, kind, lo, hi, dtype, "to_torch", bits=_torch_bits(torch, dtype))
    return arr if kind == "complex" else _real_for(arr, dtype, "to_torch")


def _jax_x64_message(what: str) -> str:
    return (f"to_jax: {what}, but JAX runs with 32-bit values (x64 is disabled) and would silently round "
            "them to 32 bits; enable 64-bit values with jax.config.update(\"jax_enable_x64\", True) before "
            "creating arrays, or ask for the rounding with dtype=jax.numpy.float32 (complex64 for complex values)")


def _jax_values(arr: np.ndarray, dtype, explicit: bool) -> np.ndarray:
    """``arr`` checked for the dtype JAX will give it (:func:`jax.dtypes.canonicalize_dtype` of the
    requested one): no silent 64 to 32 bit rounding of floats, no lossy integer casts."""
    import jax
    import jax.numpy as jnp

    requested = np.dtype(dtype) if explicit else arr.dtype
    target = np.dtype(jax.dtypes.canonicalize_dtype(requested))
    if requested.kind in "fc" and target.itemsize < requested.itemsize:
        what = f"dtype={requested} was asked for" if explicit else f"the values are {requested}"
        raise ValueError(_jax_x64_message(what))
    if target.kind == "b":
        kind, lo, hi = "bool", 0, 1
    elif target.kind in "iu":
        info = jnp.iinfo(target)
        kind, lo, hi = "int", int(info.min), int(info.max)
    else:
        kind, lo, hi = ("complex" if target.kind == "c" else "float"), None, float(jnp.finfo(target).max)
    bits = _significand_bits(jnp.finfo(target).eps) if kind in ("float", "complex") else None
    try:
        _check_lossless(arr, kind, lo, hi, target, "to_jax", bits=bits)
    except ValueError as err:
        if target == requested:
            raise
        raise ValueError(f"{err} ({requested} becomes {target} because JAX's x64 is disabled: enable it with "
                         "jax.config.update(\"jax_enable_x64\", True))") from None
    return arr if kind == "complex" else _real_for(arr, dtype, "to_jax")


def to_jax(obj, dtype=None, sparse: bool = False):
    """A JAX array of a groupmat object (needs the ``jax`` extra).

    JAX keeps 64-bit values only with ``jax.config.update("jax_enable_x64", True)``; without it,
    ``float64``/``complex128`` values (groupmat's default) are refused rather than silently rounded
    to 32 bits: enable x64, or pass ``dtype=jax.numpy.float32`` (``complex64``) to ask for the
    rounding. Integer values are converted when they fit the 32-bit integers JAX then uses.

    Parameters
    ----------
    obj
        Anything :func:`to_numpy` takes.
    dtype : optional
        A dtype for ``jax.numpy.asarray``. As for :func:`to_torch`, a cast that would change
        values (imaginary parts to a real dtype, non-integer or out-of-range values to an integer
        dtype, overflow) is refused.
    sparse : bool
        Return a ``jax.experimental.sparse.BCOO`` built from the index arrays.

    Returns
    -------
    jax.Array or jax.experimental.sparse.BCOO

    Raises
    ------
    ImportError
        JAX is not installed (``pip install 'groupmat[jax]'``).
    ValueError
        64-bit floating values (or ``dtype=float64``) while JAX's x64 is disabled, saying how to
        enable it; a cast that would change values.

    See Also
    --------
    to_numpy, to_dlpack

    Examples
    --------
    >>> import groupmat as gm, numpy as np
    >>> J = gm.to_jax(gm.group_matrix(gm.cyclic(3), [1.0, 2.0, 3.0]), dtype=np.float32)  # doctest: +SKIP
    >>> J[1].tolist()  # doctest: +SKIP
    [3.0, 1.0, 2.0]
    >>> B = gm.to_jax(gm.regular_representation(gm.cyclic(4)), sparse=True, dtype=np.float32)  # doctest: +SKIP
    >>> B.shape, int(B.nse)  # doctest: +SKIP
    ((4, 4, 4), 16)
    """
    jnp = _optional("jax.numpy", "to_jax", "jax")
    if dtype is not None:
        try:
            np.dtype(dtype)
        except TypeError:
            raise TypeError(f"dtype must be a dtype JAX and NumPy know (e.g. jax.numpy.float32), got {dtype!r}") \
                from None
    if sparse:
        from jax.experimental import sparse as jsparse

        idx, vals, shape = coo_parts(obj)
        if vals.dtype == object:
            vals = to_numeric(vals)
        vals = _jax_values(vals, dtype, dtype is not None)
        data = jnp.asarray(vals, dtype=dtype)
        return jsparse.BCOO((data, jnp.asarray(idx.T)), shape=tuple(shape))
    arr = _jax_values(to_numpy(obj), dtype, dtype is not None)
    return jnp.asarray(np.array(arr, order="C", copy=True), dtype=dtype)


def to_dlpack(obj) -> np.ndarray:
    """A C-contiguous, writeable NumPy array that exports itself through the DLPack protocol.

    Pass the result to any consumer of ``__dlpack__``: ``torch.from_dlpack``,
    ``jax.dlpack.from_dlpack``, ``numpy.from_dlpack``, CuPy... (zero copy on the consumer side).
    Exact values are evaluated to float/complex (DLPack has no object dtype).

    Parameters
    ----------
    obj
        Anything :func:`to_numpy` takes (group matrices, representations, bases, GM-LDR matrices,
        character tables, SciPy sparse matrices (made dense), arrays).

    Returns
    -------
    numpy.ndarray
        C-contiguous, writeable and owning its data (a copy when ``to_numpy(obj)`` is not), of a
        numeric dtype; it has ``__dlpack__`` and ``__dlpack_device__`` (CPU).

    Raises
    ------
    TypeError
        The values are not numeric (e.g. text).

    See Also
    --------
    from_dlpack, to_torch, to_jax

    Examples
    --------
    >>> import groupmat as gm, numpy as np
    >>> a = gm.io.to_dlpack(gm.group_matrix(gm.cyclic(3), [1.0, 2.0, 3.0]))
    >>> np.from_dlpack(a)[1].tolist()
    [3.0, 1.0, 2.0]
    """
    arr = to_numpy(obj)
    if arr.dtype.kind not in "biufc":
        raise TypeError(f"DLPack carries numeric arrays only, got dtype {arr.dtype}")
    if not (arr.flags.c_contiguous and arr.flags.writeable and arr.flags.owndata):
        arr = np.array(arr, order="C", copy=True)
    return arr


def from_dlpack(x) -> np.ndarray:
    """A NumPy array from any object with ``__dlpack__`` (a CPU torch tensor, a JAX array...).

    Parameters
    ----------
    x : object with ``__dlpack__``
        A tensor on the CPU (NumPy, PyTorch, JAX, CuPy arrays on the host...).

    Returns
    -------
    numpy.ndarray
        A view of the same memory (no copy) when the producer allows it: writing to one shows in
        the other.

    Raises
    ------
    TypeError
        ``x`` does not support the DLPack protocol.

    See Also
    --------
    to_dlpack

    Examples
    --------
    >>> import groupmat as gm, numpy as np
    >>> gm.io.from_dlpack(np.arange(3.0)).tolist()
    [0.0, 1.0, 2.0]
    """
    if not hasattr(x, "__dlpack__"):
        raise TypeError(f"x must support the DLPack protocol (__dlpack__), got {type(x).__name__}")
    return np.from_dlpack(x)
