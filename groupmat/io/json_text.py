"""The JSON text format of a bundle (:mod:`groupmat.io.bundle`), for small objects.

A document ``{"meta": header, "arrays": {part: {"dtype", "shape", "data"}}}``; complex values as
``[real, imag]`` pairs, exact values as SymPy text, read back exactly.
"""
from __future__ import annotations

import json

import numpy as np

from .bundle import checksum, decode, encode

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
    if arr.dtype.kind == "f" and not np.all(np.isfinite(arr)):
        raise ValueError("JSON export needs finite values; the array holds NaN or infinity")
    return {"dtype": arr.dtype.str, "shape": list(arr.shape), "data": arr.reshape(-1).tolist()}


def _array_from_json(d: dict, name: str) -> np.ndarray:
    try:
        shape = tuple(int(s) for s in d["shape"])
        if d["dtype"] == "text":
            data = [str(x) for x in d["data"]]
            arr = np.array(data, dtype=str) if data else np.zeros(0, dtype="<U1")
        else:
            dtype = np.dtype(d["dtype"])
            if dtype.kind not in "biufc":
                raise ValueError(f"unsupported dtype {dtype}")
            raw = np.array(d["data"], dtype=float if dtype.kind == "c" else dtype)
            if dtype.kind == "c" and raw.size:
                arr = np.empty(raw.shape[0], dtype=dtype)  # set the parts: a + 1j*b loses the sign of zeros
                arr.real, arr.imag = raw[:, 0], raw[:, 1]
            else:
                arr = raw.astype(dtype)
        return arr.reshape(shape)
    except (KeyError, TypeError, ValueError, IndexError) as err:
        raise ValueError(f"JSON text is corrupted: array {name!r} cannot be read ({err})") from err


def to_json(obj, indent: int | None = None, **metadata) -> str:
    """A JSON text of a small groupmat object; exact values as SymPy text, read back exactly.

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

    Examples
    --------
    >>> import groupmat as gm, sympy
    >>> M = gm.group_matrix(gm.cyclic(2), [sympy.Rational(1, 3), sympy.sqrt(2)])
    >>> text = gm.to_json(M)
    >>> gm.from_json(text) == M
    True
    """
    _, arrays, meta = encode(obj, metadata)
    entries = sum(a.size for a in arrays.values())
    if entries > MAX_JSON_ENTRIES:
        raise ValueError(f"obj stores {entries} entries, more than JSON export takes ({MAX_JSON_ENTRIES}); "
                         "use save_npz or save_mat")
    meta["checksum"] = checksum(arrays, meta)
    doc = {"meta": meta, "arrays": {k: _array_to_json(v) for k, v in arrays.items()}}
    return json.dumps(doc, indent=indent, allow_nan=False)


def from_json(text: str, return_metadata: bool = False):
    """Rebuild an object from :func:`to_json` text, with the checks of :func:`load_npz`.

    Parameters
    ----------
    text : str
    return_metadata : bool
        Also return the metadata dict (see :func:`load_npz`).

    Returns
    -------
    object or (object, dict)

    Raises
    ------
    TypeError
        ``text`` is not a string.
    ValueError
        Invalid or truncated JSON, another format version, a checksum mismatch, an exact value
        whose text is refused (Python builtins, attribute access, private names) or unreadable.

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
    ValueError: text is not valid JSON (truncated?): ...
    """
    if not isinstance(text, (str, bytes)):
        raise TypeError(f"text must be a JSON string, got {type(text).__name__}")
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as err:
        raise ValueError(f"text is not valid JSON (truncated?): {err}") from err
    if not isinstance(doc, dict) or "meta" not in doc or not isinstance(doc.get("arrays"), dict):
        raise ValueError("text is not a groupmat JSON export (it needs 'meta' and 'arrays')")
    arrays = {k: _array_from_json(v, k) for k, v in doc["arrays"].items()}
    return decode(arrays, doc["meta"], "JSON text", return_metadata)
