"""The JSON text format of a bundle (:mod:`groupmat.io.bundle`), for small objects.

A document ``{"meta": header, "arrays": {part: {"dtype", "shape", "data"}}}``; complex values as
``[real, imag]`` pairs, exact values as text (:mod:`groupmat._exact_text`), read back exactly.
:func:`from_json` checks every array against the header's declared shape and dtype before
converting it.
"""
from __future__ import annotations

import json
import math

import numpy as np

from .bundle import _too_many, check_header, checksum, declared, decode, encode, header_from_text

__all__ = ["to_json", "from_json"]

#: JSON is for small objects: at most this many stored entries.
MAX_JSON_ENTRIES = 10**6


def _array_to_json(arr: np.ndarray) -> dict:
    if arr.dtype.kind == "U":
        return {"dtype": "text", "shape": list(arr.shape), "data": arr.reshape(-1).tolist()}
    if arr.dtype.kind == "c":
        flat = arr.reshape(-1)
        return {"dtype": arr.dtype.str, "shape": list(arr.shape),
                "data": np.stack([flat.real, flat.imag], axis=1).tolist()}
    if arr.dtype.kind in "fc" and not np.all(np.isfinite(arr)):
        raise ValueError("JSON export needs finite values; the array holds NaN or infinity")
    return {"dtype": arr.dtype.str, "shape": list(arr.shape), "data": arr.reshape(-1).tolist()}


def _array_from_json(d, name: str, header: dict) -> np.ndarray:
    """The array of one JSON entry, checked against the header's declared shape and dtype before
    anything is allocated."""
    where = f"JSON text is corrupted: array {name!r}"
    if name not in header["shapes"]:
        raise ValueError(f"JSON text is corrupted: it holds an array {name[:40]!r} its metadata does not declare")
    shape, dtype = declared(header, name)
    if not isinstance(d, dict) or d.get("shape") != list(shape) or not isinstance(d.get("data"), list):
        raise ValueError(f"{where} does not have the declared shape {shape} (or has no data)")
    data = d["data"]
    if d.get("dtype") != ("text" if isinstance(dtype, str) else dtype.str) or len(data) != math.prod(shape):
        raise ValueError(f"{where} must hold {math.prod(shape)} values of dtype {dtype}")
    if isinstance(dtype, str):
        if not all(isinstance(x, str) for x in data):
            raise ValueError(f"{where} must hold texts")
        return (np.array(data, dtype=str) if data else np.zeros(0, dtype="<U1")).reshape(shape)
    if not all(isinstance(x, (int, float)) for x in data) if dtype.kind != "c" else \
            not all(isinstance(x, list) and len(x) == 2 and all(isinstance(y, (int, float)) for y in x) for x in data):
        raise ValueError(f"{where} must hold numbers" + (" as [real, imag] pairs" if dtype.kind == "c" else ""))
    try:
        with np.errstate(all="ignore"):              # a value changed by the conversion fails the checksum
            if dtype.kind == "c":
                raw = np.array(data, dtype=np.float64).reshape(len(data), 2)
                arr = np.empty(len(data), dtype=dtype)     # set the parts: a + 1j*b loses the sign of zeros
                arr.real, arr.imag = raw[:, 0], raw[:, 1]
            else:
                arr = np.array(data, dtype=dtype)
    except (OverflowError, ValueError, TypeError) as err:
        raise ValueError(f"{where} cannot be read as {dtype} ({err})") from None
    return arr.reshape(shape)


def to_json(obj, indent: int | None = None, **metadata) -> str:
    """A JSON text of a small groupmat object; exact values as text, read back exactly.

    Groups are stored by their description (``to_json(gm.cyclic(10**9))`` is a short text).

    Parameters
    ----------
    obj
        Anything :func:`save_npz` takes, with at most ``MAX_JSON_ENTRIES`` stored numbers.
    indent : int, optional
        Passed to ``json.dumps``.
    **metadata
        As for :func:`save_npz`.

    Returns
    -------
    str

    Raises
    ------
    ValueError
        An object too large for JSON (use :func:`save_npz`), or with non-finite values.
    TypeError
        An object, array dtype or metadata value that cannot be stored.

    Examples
    --------
    >>> import groupmat as gm, sympy
    >>> M = gm.group_matrix(gm.cyclic(2), [sympy.Rational(1, 3), sympy.sqrt(2)])
    >>> text = gm.to_json(M)
    >>> gm.from_json(text) == M
    True
    >>> len(gm.to_json(gm.dihedral(10**8))) < 500
    True
    """
    _, arrays, meta = encode(obj, metadata, max_entries=MAX_JSON_ENTRIES)   # refused before building more
    entries = sum(a.size for a in arrays.values())
    if entries > MAX_JSON_ENTRIES:                # pragma: no cover - encode refuses first
        raise _too_many(entries, MAX_JSON_ENTRIES, "")
    meta["checksum"] = checksum(arrays, meta)
    doc = {"meta": meta, "arrays": {k: _array_to_json(v) for k, v in arrays.items()}}
    return json.dumps(doc, indent=indent, allow_nan=False)


def from_json(text, return_metadata: bool = False, allow_missing_checksum: bool = False):
    """Rebuild an object from :func:`to_json` text, with the checks of :func:`load_npz`.

    Parameters
    ----------
    text : str or bytes
    return_metadata : bool
        Also return the metadata dict (see :func:`load_npz`).
    allow_missing_checksum : bool
        Read a text that has no checksum (refused by default). A checksum that is present is always
        checked; it detects accidental corruption and is no authentication.

    Returns
    -------
    object or (object, dict)

    Raises
    ------
    TypeError
        ``text`` is not a string.
    ValueError
        Invalid or truncated JSON, another format version, a missing checksum or a checksum
        mismatch, an exact value outside the exact-text grammar or over its bounds.

    See Also
    --------
    to_json

    Examples
    --------
    >>> import groupmat as gm, sympy
    >>> text = gm.to_json(sympy.Matrix([[1, sympy.sqrt(3) / 2]]), source="doc")
    >>> M, meta = gm.from_json(text, return_metadata=True)
    >>> M, meta["source"]
    (Matrix([[1, sqrt(3)/2]]), 'doc')
    >>> gm.from_json(text[:40])
    Traceback (most recent call last):
    ...
    ValueError: JSON text is corrupted: its metadata is not valid JSON (truncated?): ...
    """
    if not isinstance(text, (str, bytes, bytearray)):
        raise TypeError(f"text must be a JSON string, got {type(text).__name__}")
    doc = header_from_text(text, "JSON text")
    if not isinstance(doc, dict) or "meta" not in doc or not isinstance(doc.get("arrays"), dict):
        raise ValueError("JSON text is not a groupmat JSON export (it needs 'meta' and 'arrays')")
    header = check_header(doc["meta"], "JSON text", allow_missing_checksum)
    arrays = {k: _array_from_json(v, k, header) for k, v in doc["arrays"].items()}
    return decode(arrays, header, "JSON text", return_metadata, allow_missing_checksum)
