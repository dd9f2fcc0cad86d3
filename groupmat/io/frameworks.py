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


def to_torch(obj, dtype=None, device=None, sparse: bool = False):
    """A PyTorch tensor of a groupmat object (needs the ``torch`` extra).

    Parameters
    ----------
    obj
        Anything :func:`to_numpy` takes.
    dtype : torch.dtype, optional
        Default: the NumPy dtype's counterpart (``float64`` for exact values, ``complex128`` when
        any is not real). A real dtype is refused for values with a non-zero imaginary part
        (complex values with zero imaginary parts are converted).
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
        A real ``dtype`` for values with a non-zero imaginary part.

    Examples
    --------
    >>> import groupmat as gm, torch
    >>> T = gm.to_torch(gm.regular_representation(gm.cyclic(4)), sparse=True)
    >>> T.layout, tuple(T.shape), T.values().numel()
    (torch.sparse_coo, (4, 4, 4), 16)
    """
    torch = _optional("torch", "to_torch", "torch")
    real_target = dtype is not None and not getattr(dtype, "is_complex", False)
    if sparse:
        idx, vals, shape = coo_parts(obj)
        if vals.dtype == object:
            vals = to_numeric(vals)
        if real_target:
            vals = _real_for(vals, dtype, "to_torch")
        t = torch.sparse_coo_tensor(torch.from_numpy(np.ascontiguousarray(idx)),
                                    torch.from_numpy(np.array(vals)), size=tuple(shape),
                                    check_invariants=True)
        t = t.coalesce()
    else:
        arr = to_numpy(obj)
        if real_target:
            arr = _real_for(arr, dtype, "to_torch")
        t = torch.from_numpy(np.array(arr, order="C", copy=True))
    return t.to(dtype=dtype, device=device) if (dtype is not None or device is not None) else t


def to_jax(obj, dtype=None, sparse: bool = False):
    """A JAX array of a groupmat object (needs the ``jax`` extra).

    JAX keeps 64-bit values only with ``jax.config.update("jax_enable_x64", True)``; otherwise it
    converts them to 32 bits.

    Parameters
    ----------
    obj
        Anything :func:`to_numpy` takes.
    dtype : optional
        A dtype for ``jax.numpy.asarray``.
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
        A real ``dtype`` for values with a non-zero imaginary part.

    See Also
    --------
    to_numpy, to_dlpack

    Examples
    --------
    >>> import groupmat as gm
    >>> J = gm.to_jax(gm.group_matrix(gm.cyclic(3), [1.0, 2.0, 3.0]))  # doctest: +SKIP
    >>> J[1].tolist()  # doctest: +SKIP
    [3.0, 1.0, 2.0]
    >>> B = gm.to_jax(gm.regular_representation(gm.cyclic(4)), sparse=True)  # doctest: +SKIP
    >>> B.shape, int(B.nse)  # doctest: +SKIP
    ((4, 4, 4), 16)
    """
    jnp = _optional("jax.numpy", "to_jax", "jax")
    try:
        real_target = dtype is not None and not np.issubdtype(np.dtype(dtype), np.complexfloating)
    except TypeError:  # a dtype NumPy does not know (e.g. bfloat16): real
        real_target = True
    if sparse:
        from jax.experimental import sparse as jsparse

        idx, vals, shape = coo_parts(obj)
        if vals.dtype == object:
            vals = to_numeric(vals)
        if real_target:
            vals = _real_for(vals, dtype, "to_jax")
        data = jnp.asarray(vals, dtype=dtype)
        return jsparse.BCOO((data, jnp.asarray(idx.T)), shape=tuple(shape))
    arr = to_numpy(obj)
    if real_target:
        arr = _real_for(arr, dtype, "to_jax")
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
