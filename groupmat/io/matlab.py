"""The MATLAB ``.mat`` file format of a bundle (:mod:`groupmat.io.bundle`), through ``scipy.io``.

Numeric parts are MATLAB variables ``a_<part>`` (0-based indices), text parts (exact values) and the
header are JSON text; MATLAB reads the numeric variables directly. A part whose variable name
would be longer than MATLAB's 31 characters is stored as ``a_<29 hex digits of its name's
SHA-256>``. :func:`save_mat` replaces its target whole or not at all
(:func:`groupmat._files.atomic_write`); :func:`load_mat` lists the variables and their sizes first
(``scipy.io.whosmat``) and refuses undeclared or misshapen variables, or variables over the memory
budget, before reading them.
"""
from __future__ import annotations

import hashlib
import json
import math

import numpy as np

from .._files import atomic_write
from .._validation import check_size
from .bundle import (MAX_ARRAYS, READ_WAY_OUT, check_header, checksum, declared, decode, encode, header_from_text,
                     read_error, source_path, target_path)

__all__ = ["save_mat", "load_mat"]

_META = "groupmat_meta"


def _variable(name: str) -> str:
    """The MATLAB variable of bundle part ``name``: ``a_<name>``, or ``a_<hash>`` when that is longer
    than 31 characters."""
    var = f"a_{name}"
    return var if len(var) <= 31 else "a_" + hashlib.sha256(name.encode()).hexdigest()[:29]


def save_mat(path, obj, **metadata) -> str:
    """Save a groupmat object with its metadata to a MATLAB ``.mat`` file (``scipy.io.savemat``).

    The same content as :func:`save_npz`: numeric parts as MATLAB variables ``a_<name>``
    (e.g. ``a_matrices``, ``a_perms``, sparse matrices as ``a_row``/``a_col``/``a_data`` triplets,
    0-based; booleans as ``uint8``, ``float16`` as ``double``), exact parts and the header as JSON
    text (``groupmat_meta``). Written like :func:`save_npz`: through a temporary file renamed over
    ``path``, so a failed write leaves the previous file untouched and no partial file.

    Parameters
    ----------
    path : str or path-like
        ``.mat`` is appended unless the file name already ends in ``.mat`` (in any letter case). A
        folder, a device or a path in a missing folder is refused before anything is written.
    obj
        A group, representation, permutation action, group matrix, basis, GM-LDR matrix, character
        table, SciPy sparse matrix, sympy Matrix or array (what :func:`save_npz` takes).
    **metadata
        JSON values stored alongside; ``group=G`` stores a group and ``labels=[...]`` strings.

    Returns
    -------
    str
        The path written (with ``.mat``).

    Raises
    ------
    TypeError
        An object that cannot be exported, or an array of a dtype that does not come back from a
        ``.mat`` file exactly (``longdouble``, ``clongdouble``): refused before anything is written.
    ValueError
        A folder or device as ``path``, reserved or non-JSON metadata.
    TooLargeError
        A group that can only be stored by its Cayley table, which is too large.
    OSError
        The write failed (the previous file is untouched).

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

    path = target_path(path, ".mat")
    _, arrays, meta = encode(obj, metadata)
    meta["checksum"] = checksum(arrays, meta)
    payload = {}
    for name, arr in arrays.items():
        if arr.dtype.kind == "U":
            value = json.dumps(arr.reshape(-1).tolist())
        elif arr.dtype.kind == "b":
            value = arr.astype(np.uint8)
        elif arr.dtype == np.float16:
            value = arr.astype(np.float64)                 # exact; read back as float16
        else:
            value = arr
        payload[_variable(name)] = value
    payload[_META] = json.dumps(meta)
    return atomic_write(path, lambda f: savemat(f, payload, do_compression=True, oned_as="row"))


def load_mat(path, return_metadata: bool = False, allow_missing_checksum: bool = False):
    """Load an object written by :func:`save_mat`, with the checks of :func:`load_npz`.

    Parameters
    ----------
    path : str or path-like
    return_metadata : bool
        Also return the metadata dict (see :func:`load_npz`).
    allow_missing_checksum : bool
        Read a file that has no checksum (refused by default). A checksum that is present is always
        checked; it detects accidental corruption and is no authentication.

    Returns
    -------
    object or (object, dict)

    Raises
    ------
    FileNotFoundError
        No such file.
    ValueError
        A path that is not a regular file (a device such as ``/dev/zero``, a pipe, a folder: refused
        before it is opened), another format version, not a groupmat export, a truncated or
        corrupted file, a file without a checksum.
    TooLargeError
        A declared variable over the memory budget (``GROUPMAT_MAX_BYTES``), before it is read.

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
    from scipy.io import loadmat, whosmat

    path = source_path(path)      # a device, a pipe or a folder is refused before it is opened

    def read(names):
        try:
            return loadmat(path, variable_names=names, squeeze_me=False, chars_as_strings=True)
        except Exception as err:  # noqa: BLE001 - scipy raises many types for corrupted files
            raise read_error(path, err) from err

    try:
        listing = {name: tuple(shape) for name, shape, _ in whosmat(path)}
    except Exception as err:  # noqa: BLE001
        raise read_error(path, err) from err
    if _META not in listing:
        raise ValueError(f"{path} is not a groupmat export: it has no {_META!r} variable")
    if len(listing) > MAX_ARRAYS + 1:
        raise ValueError(f"{path} is not a groupmat export: it holds {len(listing)} variables")
    raw_meta = np.asarray(read([_META]).get(_META))
    if raw_meta.dtype.kind != "U" or raw_meta.size != 1:
        raise ValueError(f"{path} is corrupted: its {_META!r} variable is not one text")
    header = check_header(header_from_text(str(raw_meta.reshape(-1)[0]), path), path, allow_missing_checksum)
    variables = {_variable(name): name for name in header["shapes"]}
    for var in listing:
        if var != _META and var not in variables:
            raise ValueError(f"{path} is corrupted: it holds a variable {var[:40]!r} its metadata does not declare")
    for var, name in variables.items():
        if var not in listing:
            raise ValueError(f"{path} is corrupted or truncated: variable {var!r} is missing")
        shape, dtype = declared(header, name)
        if not isinstance(dtype, str):
            check_size(listing[var], dtype.itemsize, f"variable {var!r} of {path}", how=READ_WAY_OUT)
            if math.prod(listing[var]) != math.prod(shape):
                raise ValueError(f"{path} is corrupted: variable {var!r} has {math.prod(listing[var])} entries, "
                                 f"its metadata declares shape {shape}")
    contents = read(list(variables)) if variables else {}
    arrays = {}
    for var, name in variables.items():
        arrays[name] = _array(contents.get(var), header, name, var, path)
    return decode(arrays, header, path, return_metadata, allow_missing_checksum)


def _array(raw, header: dict, name: str, var: str, path: str) -> np.ndarray:
    """The bundle array of a loaded variable, in the declared dtype and shape."""
    shape, dtype = declared(header, name)
    raw = np.asarray(raw)
    problem = None
    if isinstance(dtype, str):
        if raw.dtype.kind != "U" or raw.size != 1:
            problem = "it is not one JSON text"
        else:
            items = header_from_text(str(raw.reshape(-1)[0]), f"{path} (variable {var!r})")
            if not isinstance(items, list) or not all(isinstance(x, str) for x in items) \
                    or len(items) != math.prod(shape):
                problem = f"it is not a JSON list of {math.prod(shape)} texts"
            else:
                return (np.array(items, dtype=str) if items else np.zeros(0, dtype="<U1")).reshape(shape)
    elif raw.dtype.kind not in "biufc" or (raw.dtype.kind == "c") != (dtype.kind == "c") \
            or raw.size != math.prod(shape):
        problem = f"it holds {raw.dtype} of {raw.size} entries"
    else:
        with np.errstate(all="ignore"):         # a value changed by the cast fails the checksum
            return raw.astype(dtype).reshape(shape)
    raise ValueError(f"{path} is corrupted: variable {var!r} cannot be read as {dtype} of shape {shape} ({problem})")
