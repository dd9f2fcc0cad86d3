"""The ``.npz`` file format of a bundle (:mod:`groupmat.io.bundle`): compressed NumPy arrays, no pickle.

One array per stored part (named ``a_<part>``) and the JSON header as the text array ``meta``;
:func:`load_npz` reads with ``allow_pickle=False``.
"""
from __future__ import annotations

import json
import os

import numpy as np

from .bundle import checksum, decode, encode, read_error

__all__ = ["save_npz", "load_npz"]


def save_npz(path, obj, **metadata) -> str:
    """Save a groupmat object with its metadata to a compressed ``.npz`` file (no pickle).

    Parameters
    ----------
    path : str or path-like
        ``.npz`` is appended when missing.
    obj
        An array (group matrix, equivariant basis...), ``sympy.Matrix``, SciPy sparse matrix
        (stored sparse), Representation (permutation representations as index arrays),
        GroupLDRMatrix, character table or FiniteGroup.
    **metadata
        JSON values (str, numbers, bools, None, lists, dicts) stored with the object;
        ``group=G`` stores a group (by spec, factors or table) and ``labels=[...]`` is stored as strings.
        The ``convention`` of a group matrix is a natural entry: ``convention="ginv_h"``.

    Returns
    -------
    str
        The path written.

    Raises
    ------
    ValueError
        A group that can be stored neither by its name nor by its table; non-finite metadata.
    TypeError
        An object or metadata value that cannot be stored.

    See Also
    --------
    load_npz, save_mat, to_json

    Notes
    -----
    Layout (format version 1): a JSON header ``meta`` (kind, group spec or table, labels,
    exact-value array names, shapes, dtypes, user metadata, SHA-256 checksum of the content) and
    one array per stored part (prefix ``a_``). Exact values are stored as text.

    Examples
    --------
    >>> import groupmat as gm, tempfile, os
    >>> G = gm.dihedral(3)
    >>> path = os.path.join(tempfile.mkdtemp(), "reg.npz")
    >>> _ = gm.save_npz(path, gm.regular_representation(G), note="D3 acting on itself")
    >>> rho, meta = gm.load_npz(path, return_metadata=True)
    >>> rho.group.name, rho.dim, meta["note"], meta["group_labels"][4]
    ('D3', 6, 'D3 acting on itself', 's r')
    """
    path = os.fspath(path)
    if not path.endswith(".npz"):
        path += ".npz"
    _, arrays, meta = encode(obj, metadata)
    meta["checksum"] = checksum(arrays, meta)
    payload = {f"a_{k}": v for k, v in arrays.items()}
    payload["meta"] = np.array(json.dumps(meta))
    np.savez_compressed(path, **payload)
    return path


def load_npz(path, return_metadata: bool = False):
    """Load an object written by :func:`save_npz` (``allow_pickle=False``, checked in full).

    Parameters
    ----------
    path : str or path-like
    return_metadata : bool
        Also return a dict of the user metadata (with ``group`` rebuilt as a FiniteGroup), the
        ``format_version``, the ``kind`` and, for objects with a group, ``group_spec`` and
        ``group_labels``.

    Returns
    -------
    object or (object, dict)

    Raises
    ------
    FileNotFoundError
        No such file.
    ValueError
        Another format version, a file that is not a groupmat export, a truncated or corrupted
        file (bad zip, missing arrays, checksum mismatch, an object that fails its own checks).

    See Also
    --------
    save_npz

    Examples
    --------
    >>> import groupmat as gm, numpy as np, tempfile, os
    >>> path = gm.save_npz(os.path.join(tempfile.mkdtemp(), "c4"), gm.group_matrix(gm.cyclic(4), np.arange(4.0)))
    >>> path.endswith("c4.npz"), gm.load_npz(path)[1].tolist()
    (True, [3.0, 0.0, 1.0, 2.0])
    >>> G, meta = gm.load_npz(gm.save_npz(path, gm.group("C2xC3"), source="doc"), return_metadata=True)
    >>> G.name, meta["source"], meta["group_labels"][4]
    ('C2xC3', 'doc', ('r', 'r'))
    >>> gm.load_npz(os.path.join(tempfile.mkdtemp(), "missing.npz"))
    Traceback (most recent call last):
    ...
    FileNotFoundError: ...
    """
    path = os.fspath(path)
    if not os.path.exists(path):
        raise FileNotFoundError(f"no such file: {path!r}")
    try:
        with np.load(path, allow_pickle=False) as f:
            contents = {k: f[k] for k in f.files}
    except Exception as err:  # noqa: BLE001 - zip, zlib, header and EOF errors all mean "corrupted"
        raise read_error(path, err) from err
    if "meta" not in contents:
        raise ValueError(f"{path} is not a groupmat export: it has no 'meta' header")
    try:
        meta = json.loads(str(contents.pop("meta")))
    except (json.JSONDecodeError, TypeError) as err:
        raise ValueError(f"{path} is corrupted: its metadata is not valid JSON ({err})") from err
    arrays = {k[2:]: v for k, v in contents.items() if k.startswith("a_")}
    return decode(arrays, meta, path, return_metadata)
