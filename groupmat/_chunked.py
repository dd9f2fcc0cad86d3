"""Chunked (Dask) arrays in, chunked arrays out: the same NumPy kernels, applied block by block.

groupmat never imports Dask. A chunked array is recognised by what it can do (duck typing:
``__dask_graph__``, ``chunks``, ``map_blocks``, ``rechunk``), and the public entry points that accept
one (``project``, ``non_equivariant_part``, ``equivariance_defect``, ``convolve``,
``fast_group_matvec``, ``fourier``, ``inverse_fourier``, ``GroupLDRMatrix.matvec`` and ``M @ X``)
hand it to :func:`apply` in a two-line hook at their top. :func:`apply` builds a lazy array whose
every block is the NumPy function applied to the matching blocks of the operands, so a block of the
result is computed by exactly the code that computes a NumPy result, and the whole result equals the
NumPy result.

The rule for chunks: the *core* axes a kernel needs whole (the group axis of a function on ``G``,
the two matrix axes of a map ``W``) must be in one chunk; the *batch* axes before them may be
chunked freely (that is where the parallelism is). A core axis split into several chunks is
rechunked into one when the largest resulting block fits the memory budget
(:func:`groupmat._validation.max_bytes`, ``GROUPMAT_MAX_BYTES``) and refused otherwise, with a
``ValueError`` naming the argument, its chunks and the way out.

Joins of several chunked arrays use NumPy's own dispatch (``np.concatenate`` on Dask arrays returns
a Dask array, NEP 18), so no Dask module is imported here either.

Examples
--------
>>> import numpy as np
>>> from groupmat._chunked import is_chunked
>>> is_chunked(np.ones(3)), is_chunked([1, 2])
(False, False)
"""
from __future__ import annotations

import math
from collections.abc import Callable, Sequence

import numpy as np

from ._validation import _human, max_bytes

__all__ = ["is_chunked", "any_chunked", "apply", "apply_parts", "apply_joined"]

#: What a chunked array offers (the Dask array protocol groupmat relies on).
_PROTOCOL = ("__dask_graph__", "chunks", "map_blocks", "rechunk", "shape", "dtype", "ndim")


def is_chunked(x) -> bool:
    """True for a chunked lazy array (a ``dask.array.Array``), judged by its methods, not its type.

    Examples
    --------
    >>> import numpy as np
    >>> is_chunked(np.zeros((2, 3)))
    False
    """
    return not isinstance(x, np.ndarray) and all(hasattr(x, attr) for attr in _PROTOCOL)


def any_chunked(*xs) -> bool:
    """True when any of ``xs`` is a chunked array (:func:`is_chunked`)."""
    return any(is_chunked(x) for x in xs)


def _axes_text(core: int, what: str | None) -> str:
    if what:
        return what
    return "its last axis" if core == 1 else f"its last {core} axes"


def _check_operand(x, name: str, core: int, what: str | None) -> None:
    """A chunked operand: numeric, known chunks, at least ``core`` axes."""
    if x.dtype == object or x.dtype.kind not in "biufc":
        raise TypeError(f"{name} must be a numeric dask array (exact SymPy input takes the NumPy/SymPy path), "
                        f"got dtype {x.dtype}")
    if x.ndim < core:
        raise ValueError(f"{name} must have at least {core} axes ({_axes_text(core, what)} whole), "
                         f"got shape {tuple(x.shape)}")
    if any(isinstance(c, float) and math.isnan(c) for cs in x.chunks for c in cs):
        raise ValueError(f"{name} has chunks of unknown size {x.chunks}; call {name}.compute_chunk_sizes() first")


def _block_bytes(chunks, core_shape, itemsize: int) -> int:
    """Bytes of the largest block: the largest chunk along each batch axis times the whole core."""
    entries = 1
    for cs in chunks:
        entries *= max(cs) if cs else 0
    for s in core_shape:
        entries *= int(s)
    return entries * int(itemsize)


def _one_chunk_core(x, name: str, core: int, what: str | None, out_core=(), out_itemsize: int = 0,
                    hint: str | None = None, label: str | None = None):
    """``x`` with its last ``core`` axes in one chunk each (rechunked when the budget allows)."""
    if core == 0:
        return x
    batch_chunks = x.chunks[:x.ndim - core]
    split = [ax for ax in range(x.ndim - core, x.ndim) if len(x.chunks[ax]) > 1]
    core_shape = tuple(int(s) for s in x.shape[x.ndim - core:])
    own = _block_bytes(batch_chunks, core_shape, x.dtype.itemsize)
    out = _block_bytes(batch_chunks, out_core, out_itemsize)
    limit = max_bytes()
    if max(own, out) > limit:
        verb = "would take" if split else "takes"
        if own >= out:
            size = f"the largest block of {label or name} {verb} {_human(own)}"
        else:
            size = f"the largest block of the result {verb} {_human(out)} (of {label or name}: {_human(own)})"
        if split:
            size = f"is split into chunks {tuple(x.chunks[ax] for ax in split)}; in one chunk {size}"
        else:
            size = f"is in one chunk, and {size}"
        if all(max(cs, default=0) <= 1 for cs in batch_chunks):   # no smaller chunks to take
            way = "raise the limit with GROUPMAT_MAX_BYTES"
        else:
            hint = hint or f"{name}.rechunk({{0: 'auto', " + ", ".join(f"{ax}: -1" for ax in range(-core, 0)) + "})"
            way = (f"use smaller chunks along the batch axes (e.g. {hint}), or raise the limit with "
                   "GROUPMAT_MAX_BYTES")
        raise ValueError(f"{name}: {_axes_text(core, what)} (length {', '.join(map(str, core_shape))}) must be in one "
                         f"chunk and {size}, over the limit of {_human(limit)}; {way}")
    if not split:
        return x
    return x.rechunk({ax: -1 for ax in split})


def _probe(x, core: int):
    """A small NumPy stand-in for ``x``: one (or zero) entry along each batch axis, the whole core."""
    shape = tuple(min(int(s), 1) for s in x.shape[:x.ndim - core]) + tuple(int(s) for s in x.shape[x.ndim - core:])
    return np.zeros(shape, dtype=x.dtype)


def _first_entry(a, core: int, name: str) -> np.ndarray:
    """A NumPy operand cut to its first entry along each batch axis (the probe's stand-in)."""
    a = np.asarray(a)
    if a.dtype == object:
        raise TypeError(f"{name}: exact (SymPy or object) values do not mix with dask arrays; give numbers")
    return a[tuple(slice(0, 1) for _ in range(max(a.ndim - core, 0)))]


def _call_probe(func: Callable, probes: Sequence, operands: Sequence):
    """``func(*probes)``; an error it raises names the shapes of the operands, not of their stand-ins.

    The entry points check their arguments first and say "got shape ..." of what they were given:
    a one-entry stand-in of shape ``(1, 17)`` for an operand of shape ``(10, 17)``. The message is
    given back with each stand-in's shape replaced by its operand's (same exception type).
    """
    try:
        return func(*probes)
    except Exception as exc:
        text = str(exc)
        renamed = text
        for probe, x in zip(probes, operands):
            seen, real = str(tuple(np.shape(probe))), str(tuple(int(s) for s in np.shape(x)))
            if seen != real:
                renamed = renamed.replace(seen, real)
        if renamed == text or len(exc.args) != 1:
            raise
        try:
            fixed = type(exc)(renamed)
        except Exception:  # noqa: BLE001 - an exception type that wants other arguments: keep it as it is
            raise exc from None
        raise fixed.with_traceback(exc.__traceback__) from None


def _fit_batch(x, grown: list, core: int, out_core: tuple, out_itemsize: int):
    """``x`` (the lead broadcast to the batch of a NumPy operand) with its new batch axes ``grown`` in
    Dask's default chunks, made smaller when a block (of ``x`` with its core joined, or of the result)
    would pass the memory budget."""
    x = x.rechunk({ax: "auto" for ax in grown})
    nb = x.ndim - core
    per_entry = max(math.prod(int(s) for s in x.shape[nb:]) * x.dtype.itemsize,
                    math.prod(out_core) * int(out_itemsize), 1)
    fixed = math.prod(max(x.chunks[ax], default=0) for ax in range(nb) if ax not in grown)
    if _block_bytes(x.chunks[:nb], (), 1) * per_entry <= max_bytes() or not fixed:
        return x
    room = max(max_bytes() // (per_entry * fixed), 1)     # batch entries per block along the grown axes
    spec = {}
    for ax in reversed(grown):                          # the last axes first, as NumPy lays them out
        spec[ax] = int(min(int(x.shape[ax]), room))
        room = max(room // spec[ax], 1)
    return x.rechunk(spec)


def _batch_shape(x, core: int) -> tuple:
    return tuple(int(s) for s in np.shape(x)[:np.ndim(x) - core])


def apply(func: Callable, operands: Sequence, names: Sequence[str], core: int = 1, what: str | None = None,
          hint: str | None = None):
    """``func`` applied block by block to operands of which at least one is chunked.

    Parameters
    ----------
    func : callable
        ``func(*blocks) -> ndarray``: the NumPy entry point itself, on one block of each operand
        (each block of shape ``batch_block + core_shape``); it returns ``batch_block + out_core``.
    operands : sequence of array_like
        Chunked arrays and NumPy arrays; their batch axes (all but the last ``core``) broadcast
        against each other, as in NumPy. A NumPy operand is sliced to the block it meets.
    names : sequence of str
        The argument names, for the messages.
    core : int
        How many trailing axes ``func`` needs whole (1: a function on ``G``; 2: a matrix).
    what : str, optional
        How the messages call the core axes (default "its last axis").
    hint : str, optional
        The rechunk call a message suggests (default: smaller batch chunks, the core in one chunk).

    Returns
    -------
    chunked array
        Lazy, of shape ``broadcast(batch shapes) + out_core``, chunked like the chunked operands
        along the batch axes and in one chunk along ``out_core``; ``out_core`` and the dtype come from
        ``func`` run once on a one-entry batch of zeros (which also checks the arguments now, not at
        compute time).

    Raises
    ------
    TypeError
        A chunked operand of a non-numeric dtype (the exact path takes NumPy or SymPy input).
    ValueError
        Batch axes that do not broadcast, chunks of unknown size, or a core axis split into chunks
        that cannot be joined within the memory budget.

    Notes
    -----
    Block ``b`` of the result is ``func`` on block ``b`` of each operand. Since every entry point
    treats its batch axes independently (``out[i] = f(x[i])``), the blocks put together are the
    NumPy result.
    """
    chunked = [k for k, x in enumerate(operands) if is_chunked(x)]
    if not chunked:
        raise TypeError("apply needs at least one chunked operand")
    for k in chunked:
        _check_operand(operands[k], names[k], core, what)
    batches = [_batch_shape(x, core) for x in operands]
    try:
        batch = tuple(int(s) for s in np.broadcast_shapes(*batches))
    except ValueError:
        listed = ", ".join(f"{n} {b}" for n, b in zip(names, batches))
        raise ValueError(f"the batch axes do not broadcast: {listed}") from None
    # one call on a one-entry batch: checks the arguments now and gives the result's dtype and core
    probes = [_probe(x, core) if is_chunked(x) else _first_entry(x, core, names[k]) for k, x in enumerate(operands)]
    sample = np.asarray(_call_probe(func, probes, operands))
    probe_batch = np.broadcast_shapes(*[_batch_shape(p, core) for p in probes])
    out_core = tuple(int(s) for s in sample.shape[len(probe_batch):])
    dtype = sample.dtype

    lead = max(chunked, key=lambda k: (len(batches[k]), math.prod(batches[k])))
    arrays = list(operands)
    x = arrays[lead]
    if batches[lead] != batch:  # the lead must span the whole batch (NumPy operands broadcast it)
        grown = [ax for ax in range(len(batch)) if ax < len(batch) - len(batches[lead])
                 or batches[lead][ax - len(batch) + len(batches[lead])] != batch[ax]]
        x = np.broadcast_to(x, batch + tuple(x.shape[x.ndim - core:]))
        x = _fit_batch(x, grown, core, out_core, dtype.itemsize)   # the new batch axes: Dask's chunks, in budget
    label = None if batches[lead] == batch else f"{names[lead]} broadcast to the batch {batch}"
    x = _one_chunk_core(x, names[lead], core, what, out_core, dtype.itemsize, hint, label)
    arrays[lead] = x
    nb = len(batch)
    for k in chunked:  # other chunked operands: the lead's chunks along the axes they share
        if k == lead:
            continue
        y = _one_chunk_core(arrays[k], names[k], core, what, hint=hint)
        nbk = len(batches[k])
        spec = {ax: x.chunks[nb - nbk + ax] for ax in range(nbk)
                if batches[k][ax] == batch[nb - nbk + ax] and y.chunks[ax] != x.chunks[nb - nbk + ax]}
        arrays[k] = y.rechunk(spec) if spec else y
    dense = {k: arrays[k] for k in range(len(arrays)) if k not in chunked}
    order = [lead] + [k for k in chunked if k != lead]

    def kernel(*blocks, block_info=None):
        args = [None] * len(arrays)
        for k, b in zip(order, blocks):
            args[k] = b
        if dense:
            where = block_info[None]["array-location"][:nb]
            for k, a in dense.items():
                args[k] = _slice_batch(np.asarray(a), where, core)
        return np.asarray(func(*args))

    extra = x.ndim - (nb + len(out_core))
    kwargs = {}
    if extra > 0:       # fewer output axes than the lead has: drop its last ones
        kwargs["drop_axis"] = list(range(nb + len(out_core), x.ndim))
    elif extra < 0:     # more: new trailing axes
        kwargs["new_axis"] = list(range(x.ndim, nb + len(out_core)))
    chunks = tuple(x.chunks[:nb]) + tuple((s,) for s in out_core)
    return x.map_blocks(kernel, *[arrays[k] for k in order[1:]], dtype=dtype, chunks=chunks,
                        meta=np.empty((0,) * (nb + len(out_core)), dtype=dtype), **kwargs)


def _slice_batch(a: np.ndarray, where, core: int) -> np.ndarray:
    """The part of NumPy operand ``a`` that meets the output block at ``where`` (its batch axes
    right-aligned with the output's; axes of length one broadcast and are not sliced)."""
    nba = a.ndim - core
    offset = len(where) - nba
    index = tuple(slice(*where[offset + ax]) if a.shape[ax] != 1 else slice(None) for ax in range(nba))
    return a[index]


def apply_parts(func: Callable, x, name: str, parts: Callable, core: int = 1):
    """``func`` block by block when it returns a structured result made of several arrays.

    Parameters
    ----------
    func : callable
        ``func(block) -> result`` (for instance a :class:`~groupmat.reps.FourierCoefficients`).
    x : chunked array
        The input, batch axes then ``core`` axes kept whole.
    name : str
        The argument name, for the messages.
    parts : callable
        ``parts(result) -> list of ndarray``, each of shape ``batch_block + shape_k``.
    core : int
        Trailing axes of ``x`` that ``func`` needs whole.

    Returns
    -------
    (result, list of chunked arrays)
        ``func`` on a one-entry batch of zeros (to read the layout of the result, e.g. the indices
        of the irreducibles), and one lazy array per part, of shape ``batch + shape_k``. Each block
        of ``x`` is transformed once: the parts are slices of one lazy array holding them all
        (flattened and concatenated along the last axis), each cast back to its own dtype (a real
        part next to a complex one stays real).
    """
    _check_operand(x, name, core, None)
    probe = _probe(x, core)
    sample = _call_probe(func, [probe], [x])
    nb = x.ndim - core
    probe_parts = [np.asarray(p) for p in parts(sample)]
    shapes = [tuple(int(s) for s in p.shape[nb:]) for p in probe_parts]   # the probe's batch has nb axes
    dtypes = [p.dtype for p in probe_parts]       # the parts share one array: each gets its own dtype back
    sizes = [math.prod(s) for s in shapes]

    def flat(block):
        arrays = parts(func(block))
        b = block.shape[:block.ndim - core]
        return np.concatenate([a.reshape(b + (-1,)) for a in arrays], axis=-1)

    joined = apply(flat, [x], [name], core)
    out, start = [], 0
    for shape, size, dtype in zip(shapes, sizes, dtypes):
        part = joined[..., start:start + size].reshape(tuple(joined.shape[:nb]) + shape)
        if part.dtype.kind == "c" and dtype.kind != "c":
            part = part.real                      # a real part was widened to complex by the join only
        out.append(part if part.dtype == dtype else part.astype(dtype))
        start += size
    return sample, out


def apply_joined(func: Callable, arrays: Sequence, name: str, core: int):
    """``func(list of blocks)`` block by block, for an input made of several chunked arrays.

    Parameters
    ----------
    func : callable
        ``func(list of ndarray) -> ndarray`` (e.g. :func:`~groupmat.inverse_fourier` of the stacks).
    arrays : sequence of array_like
        Arrays sharing their batch axes (all but the last ``core``), at least one chunked.
    name : str
        The argument name, for the messages.
    core : int
        Trailing axes of each array that ``func`` needs whole.

    Returns
    -------
    chunked array
        Of shape ``batch + out_core``: each block is ``func`` of the matching blocks of the arrays
        (they are flattened and concatenated along the last axis with NumPy's dispatch, then split
        again inside each block).
    """
    arrays = list(arrays)
    shapes = [tuple(int(s) for s in np.shape(a)[np.ndim(a) - core:]) for a in arrays]
    batches = {_batch_shape(a, core) for a in arrays}
    if len(batches) != 1:
        raise ValueError(f"{name}: the parts have different batch shapes {sorted(batches)}")
    (batch,) = batches
    for a in arrays:
        if is_chunked(a):
            _check_operand(a, name, core, None)
    flat = [a.reshape(batch + (-1,)) if is_chunked(a) else np.asarray(a).reshape(batch + (-1,)) for a in arrays]
    joined = np.concatenate(flat, axis=-1)       # a chunked array: NumPy dispatches to its library
    sizes = [math.prod(s) for s in shapes]
    bounds = np.cumsum([0] + sizes)

    def split(block):
        b = block.shape[:-1]
        return func([block[..., bounds[k]:bounds[k + 1]].reshape(b + shapes[k]) for k in range(len(shapes))])

    return apply(split, [joined], [name], 1)
