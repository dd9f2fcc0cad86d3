"""The ``.npz`` file format of a bundle (:mod:`groupmat.io.bundle`): compressed NumPy arrays, no pickle.

One ``.npy`` member per stored array (named ``a_<part>``) and the JSON header as the text array
``meta``. :func:`save_npz` replaces its target whole or not at all
(:func:`groupmat._files.atomic_write`); :func:`load_npz` reads each member's ``.npy`` header first
and refuses object arrays (pickles), undeclared members and shapes or dtypes other than the
header declares, or over the memory budget, before reading any data.
"""
from __future__ import annotations

import json
import math
import zipfile

import numpy as np

from .._files import atomic_write
from .._validation import TooLargeError, check_size
from .bundle import (MAX_ARRAYS, READ_WAY_OUT, check_header, checksum, declared, decode, encode, header_from_text,
                     read_error, source_path, target_path)

__all__ = ["save_npz", "load_npz"]

#: Bytes read from a member at a time (a large array is never held twice).
_CHUNK = 1 << 24


def save_npz(path, obj, **metadata) -> str:
    """Save a groupmat object with its metadata to a compressed ``.npz`` file (no pickle).

    The file is written to a temporary file in the same folder, flushed to disk and renamed over
    ``path``: on any error (a full disk, a size limit, an interrupt) the previous file is left
    untouched and no partial file remains.

    Parameters
    ----------
    path : str or path-like
        ``.npz`` is appended unless the file name already ends in ``.npz`` (in any letter case), so
        ``"a"`` and ``"a.npz"`` both write ``a.npz``. A folder, a device (``/dev/full``) or a path in
        a missing folder is refused before anything is written.
    obj
        An array (group matrix, equivariant basis...), ``sympy.Matrix``, SciPy sparse matrix
        (stored sparse), Representation (permutation representations as index arrays),
        GroupLDRMatrix or its transpose, CharacterTable (by its values, class sizes and
        representatives), PermutationAction (by its generator images) or FiniteGroup (by its
        description: a cyclic group of order ``10**9`` takes a few bytes, ``symmetric(30)`` the
        images of its two generators). A ``GeneratorRepresentation`` (``young_irrep``) is refused,
        saying what to save instead.
    **metadata
        JSON values (str, numbers, bools, None, lists, dicts) stored with the object;
        ``group=G`` stores a group (by its description) and ``labels=[...]`` is stored as strings.
        The ``convention`` of a group matrix is a natural entry: ``convention="ginv_h"``.

    Returns
    -------
    str
        The path written (with ``.npz``).

    Raises
    ------
    ValueError
        A folder or device as ``path``, a missing folder, non-finite or reserved metadata, an exact
        value outside the exact-text grammar.
    TooLargeError
        A group that can only be stored by its Cayley table, which is too large.
    TypeError
        An object, array dtype (e.g. ``longdouble``) or metadata value that cannot be stored.
    OSError
        The write failed (the previous file is untouched).

    See Also
    --------
    load_npz, save_mat, to_json

    Notes
    -----
    Layout (format version 2): a JSON header ``meta`` (kind, how to rebuild the object and its
    group, exact-value array names, shapes, dtypes, user metadata, SHA-256 checksum of the
    content) and one array per stored part (prefix ``a_``). Exact values are stored as text.

    Examples
    --------
    >>> import groupmat as gm, tempfile, os
    >>> G = gm.dihedral(3)
    >>> path = os.path.join(tempfile.mkdtemp(), "reg.npz")
    >>> _ = gm.save_npz(path, gm.regular_representation(G), note="D3 acting on itself")
    >>> rho, meta = gm.load_npz(path, return_metadata=True)
    >>> rho.group.name, rho.dim, meta["note"], meta["group_labels"][4]
    ('D3', 6, 'D3 acting on itself', 's r')
    >>> C = gm.load_npz(gm.save_npz(path, gm.cyclic(10**9)))      # stored by its description
    >>> type(C).__name__, C.order
    ('CyclicGroup', 1000000000)
    """
    path = target_path(path, ".npz")
    _, arrays, meta = encode(obj, metadata)
    meta["checksum"] = checksum(arrays, meta)
    payload = {f"a_{k}": v for k, v in arrays.items()}
    payload["meta"] = np.array(json.dumps(meta))
    return atomic_write(path, lambda f: np.savez_compressed(f, **payload))


def load_npz(path, return_metadata: bool = False, allow_missing_checksum: bool = False):
    """Load an object written by :func:`save_npz` (no pickle, checked in full).

    Parameters
    ----------
    path : str or path-like
        The file, as written (no suffix is appended).
    return_metadata : bool
        Also return a dict of the user metadata (with ``group`` rebuilt as a FiniteGroup), the
        ``format_version``, the ``kind`` and, for objects with a group, ``group_spec`` and
        ``group_labels``.
    allow_missing_checksum : bool
        Read a file that has no checksum (by default it is refused: its integrity cannot be
        checked). A checksum that is present is always checked.

    Returns
    -------
    object or (object, dict)

    Raises
    ------
    FileNotFoundError
        No such file.
    ValueError
        A path that is not a regular file (a device such as ``/dev/zero``, a pipe, a folder: refused
        before it is opened), another format version, a file that is not a groupmat export, a truncated or corrupted
        file (bad zip, missing or undeclared arrays, object arrays, checksum mismatch, an object
        that fails its own checks), a file without a checksum.
    TooLargeError
        A declared array over the memory budget (``GROUPMAT_MAX_BYTES``), before it is read.

    See Also
    --------
    save_npz

    Notes
    -----
    The checksum detects accidental corruption; it is not authentication (anyone who edits a file
    can recompute it). Nothing in a file is evaluated as code.

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
    path = source_path(path)      # a device, a pipe or a folder is refused before it is opened
    try:
        archive = zipfile.ZipFile(path)
    except Exception as err:  # noqa: BLE001 - zip, header and OS errors all mean "not a readable file"
        raise read_error(path, err) from err
    with archive:
        members = _members(archive, path)
        text = _read_member(archive, members.pop("meta"), path, None)
        header = check_header(header_from_text(str(text[()]), path), path, allow_missing_checksum)
        arrays = {}
        for key, info in members.items():
            name = key[2:]
            if not key.startswith("a_") or name not in header["shapes"]:
                raise ValueError(f"{path} is corrupted: it holds a member {key!r} its metadata does not declare")
            arrays[name] = _read_member(archive, info, path, declared(header, name))
    return decode(arrays, header, path, return_metadata, allow_missing_checksum)


def _members(archive: zipfile.ZipFile, path: str) -> dict:
    """``{name: ZipInfo}`` of the ``.npy`` members; ValueError for anything else in the archive."""
    try:
        infos = archive.infolist()
    except Exception as err:  # noqa: BLE001  # pragma: no cover - the list is read when the archive opens
        raise read_error(path, err) from err
    if len(infos) > MAX_ARRAYS + 1:
        raise ValueError(f"{path} is not a groupmat export: it holds {len(infos)} members")
    members = {}
    for info in infos:
        key = info.filename[:-4]
        if not info.filename.endswith(".npy") or key in members:
            raise ValueError(f"{path} is not a groupmat export: unexpected member {info.filename[:60]!r}")
        members[key] = info
    if "meta" not in members:
        raise ValueError(f"{path} is not a groupmat export: it has no 'meta' header")
    return members


def _read_member(archive: zipfile.ZipFile, info: zipfile.ZipInfo, path: str, expected) -> np.ndarray:
    """One ``.npy`` member: its header is checked (no objects; the ``expected`` ``(shape, dtype)``,
    or a 0-d text array for the metadata; within the memory budget) before its data is read."""
    where = f"{path} (member {info.filename[:60]!r})"
    try:
        with archive.open(info) as fp:
            version = np.lib.format.read_magic(fp)
            if version == (1, 0):
                shape, fortran, dtype = np.lib.format.read_array_header_1_0(fp)
            elif version == (2, 0):
                shape, fortran, dtype = np.lib.format.read_array_header_2_0(fp)
            else:
                raise ValueError(f"unsupported .npy format version {version}")
            _check_member(shape, dtype, expected, where)
            count = math.prod(shape)
            flat = np.empty(count, dtype=dtype)
            buffer = memoryview(flat.view(np.uint8))
            got = 0
            while got < flat.nbytes:
                n = fp.readinto(buffer[got:got + _CHUNK])
                if not n:
                    raise EOFError(f"the array data ends after {got} of {flat.nbytes} bytes")
                got += n
            if fp.read(1):
                raise ValueError("data after the end of the array")
    except TooLargeError:
        raise
    except _MemberError as err:
        raise ValueError(str(err)) from None
    except Exception as err:  # noqa: BLE001 - zip, zlib, npy-header and EOF errors all mean "corrupted"
        raise read_error(where, err) from err
    return flat.reshape(shape[::-1]).T if fortran else flat.reshape(shape)


class _MemberError(Exception):
    """A member that is readable but not what the header declares."""


def _check_member(shape, dtype: np.dtype, expected, where: str) -> None:
    if dtype.hasobject or dtype.kind not in "biufcU" or dtype.shape != ():
        raise _MemberError(f"{where} is corrupted: it holds an array of dtype {dtype} (groupmat files hold no "
                           "objects or pickles)")
    if expected is None:                                                # the metadata: one text
        if shape != () or dtype.kind != "U":
            raise _MemberError(f"{where} is corrupted: the metadata must be one text, got {dtype} of shape {shape}")
    else:
        want_shape, want_dtype = expected
        same = dtype.kind == "U" if isinstance(want_dtype, str) else dtype == want_dtype
        if tuple(shape) != want_shape or not same:
            raise _MemberError(f"{where} is corrupted: it holds {dtype} of shape {tuple(shape)}, but its metadata "
                               f"declares {want_dtype} of shape {want_shape}")
    check_size(shape, dtype.itemsize, f"the array in {where}", how=READ_WAY_OUT)
