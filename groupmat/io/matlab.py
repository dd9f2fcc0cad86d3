"""The MATLAB ``.mat`` file format of a bundle (:mod:`groupmat.io.bundle`), through ``scipy.io``.

Numeric parts are MATLAB variables ``a_<part>`` (0-based indices), text parts (exact values) and the
header are JSON text; MATLAB reads the numeric variables directly.
"""
from __future__ import annotations

import json
import os

import numpy as np

from .bundle import check_header, checksum, decode, encode, read_error

__all__ = ["save_mat", "load_mat"]


def save_mat(path, obj, **metadata) -> str:
    """Save a groupmat object with its metadata to a MATLAB ``.mat`` file (``scipy.io.savemat``).

    The same content as :func:`save_npz`: numeric parts as MATLAB variables ``a_<name>``
    (e.g. ``a_matrices``, ``a_perms``, sparse matrices as ``a_row``/``a_col``/``a_data`` triplets,
    0-based), exact parts and the header as JSON text (``groupmat_meta``).

    Parameters
    ----------
    path : str or path-like
        ``.mat`` is appended when missing.
    obj
        A group, representation, group matrix, basis, GM-LDR matrix, character table, SciPy sparse
        matrix, sympy Matrix or array (what :func:`save_npz` takes).
    **metadata
        JSON values stored alongside; ``group=G`` stores a group and ``labels=[...]`` strings.

    Returns
    -------
    str
        The path written (with ``.mat``).

    Raises
    ------
    TypeError, ValueError
        An object that cannot be exported, reserved or non-JSON metadata, a group that can be
        stored neither by spec, by factors nor by table.

    See Also
    --------
    load_mat, save_npz

    Examples
    --------
    >>> import groupmat as gm, tempfile, os, sympy
    >>> path = os.path.join(tempfile.mkdtemp(), "m.mat")
    >>> _ = gm.save_mat(path, sympy.Matrix([[1, sympy.sqrt(2)], [sympy.Rational(1, 3), 0]]))
    >>> gm.load_mat(path)
    Matrix([
    [  1, sqrt(2)],
    [1/3,       0]])
    """
    from scipy.io import savemat

    path = os.fspath(path)
    if not path.endswith(".mat"):
        path += ".mat"
    _, arrays, meta = encode(obj, metadata)
    meta["checksum"] = checksum(arrays, meta)
    payload = {}
    for name, arr in arrays.items():
        var = f"a_{name}"
        if len(var) > 31:
            raise ValueError(f"MATLAB variable name {var!r} is longer than 31 characters")
        if arr.dtype.kind == "U":
            payload[var] = json.dumps(arr.reshape(-1).tolist())
        elif arr.dtype.kind == "b":
            payload[var] = arr.astype(np.uint8)
        else:
            payload[var] = arr
    payload["groupmat_meta"] = json.dumps(meta)
    savemat(path, payload, do_compression=True, oned_as="row")
    return path


def load_mat(path, return_metadata: bool = False):
    """Load an object written by :func:`save_mat`, with the checks of :func:`load_npz`.

    Parameters
    ----------
    path : str or path-like
    return_metadata : bool
        Also return the metadata dict (see :func:`load_npz`).

    Returns
    -------
    object or (object, dict)

    Raises
    ------
    FileNotFoundError
        No such file.
    ValueError
        Another format version, not a groupmat export, a truncated or corrupted file.

    See Also
    --------
    save_mat, load_npz

    Examples
    --------
    >>> import groupmat as gm, tempfile, os
    >>> path = gm.save_mat(os.path.join(tempfile.mkdtemp(), "q8"), gm.regular_representation(gm.quaternion()))
    >>> rho = gm.load_mat(path)
    >>> rho.group.name, rho.dim, type(rho).__name__
    ('Q8', 8, 'PermutationRepresentation')
    """
    from scipy.io import loadmat

    path = os.fspath(path)
    if not os.path.exists(path):
        raise FileNotFoundError(f"no such file: {path!r}")
    try:
        contents = loadmat(path, squeeze_me=False, chars_as_strings=True)
    except Exception as err:  # noqa: BLE001
        raise read_error(path, err) from err
    if "groupmat_meta" not in contents:
        raise ValueError(f"{path} is not a groupmat export: it has no 'groupmat_meta' variable")
    try:
        meta = json.loads(str(np.asarray(contents["groupmat_meta"]).reshape(-1)[0]))
    except (json.JSONDecodeError, IndexError, TypeError) as err:
        raise ValueError(f"{path} is corrupted: its metadata is not valid JSON ({err})") from err
    meta = check_header(meta, path)
    arrays = {}
    for name, shape in meta["shapes"].items():
        var = f"a_{name}"
        if var not in contents:
            raise ValueError(f"{path} is corrupted or truncated: variable {var!r} is missing")
        raw = contents[var]
        dtype = meta["dtypes"][name]
        try:
            if dtype == "text":
                items = json.loads(str(np.asarray(raw).reshape(-1)[0])) if np.asarray(raw).size else []
                arr = np.array(items, dtype=str) if items else np.zeros(0, dtype="<U1")
            else:
                arr = np.asarray(raw).astype(np.dtype(dtype))
            arrays[name] = arr.reshape(shape)
        except (ValueError, TypeError, IndexError, json.JSONDecodeError) as err:
            raise ValueError(f"{path} is corrupted: variable {var!r} cannot be read as {dtype} of shape "
                             f"{tuple(shape)} ({err})") from err
    return decode(arrays, meta, path, return_metadata)
