"""The bundle format: any groupmat object as named arrays plus a JSON header, and back.

Every file format of :mod:`groupmat.io` (``.npz`` in :mod:`groupmat.io.npz`, MATLAB ``.mat`` in
:mod:`groupmat.io.matlab`, JSON text in :mod:`groupmat.io.json_text`) stores the same *bundle*:
:func:`encode` turns an object into plain numeric or text arrays and a JSON-able header,
:func:`decode` checks both and rebuilds the object. A format module only decides how the arrays
and the header are laid out in its file.

The header holds the object's kind, the group (by its spec string, e.g. ``"D6"`` or ``"C4xC2"``,
when ``groupmat.group(G.name)`` rebuilds the same group in the same element order; a subgroup by its
parent and its embedding; a direct product otherwise by the encodings of its factors, rebuilt with
:func:`groupmat.direct_product`; any other group by its Cayley table when ``|G| <= 2048``;
otherwise saving is refused), the element labels (strings and integers as they are, tuple labels of
products as lists, anything else as a string), what is known of an irreducible representation
(``index``, ``field``, ``frobenius_schur``, ``complex_indices``), the names and sizes of direct
summands, any user metadata (JSON values), a format version and a SHA-256 :func:`checksum` of the
content. Permutation representations are stored as index arrays (never dense), and direct sums of
regular representations by reference to their group alone. No pickle is used anywhere. Exact
(SymPy) values are stored as text that :func:`sympy.sympify` reads back to the identical expression;
the text is checked before it is parsed (no Python builtins, attribute access or private names), but
treat files from untrusted sources with the care you give any input that is parsed.

Reading a bundle of another format version, a truncated or corrupted one, or one whose content does
not match its checksum raises ``ValueError``: never a partial object.

Examples
--------
>>> import numpy as np, groupmat as gm
>>> from groupmat.io import bundle
>>> kind, arrays, header = bundle.encode(gm.group_matrix(gm.cyclic(3), np.arange(3.0)), {"note": "C3"})
>>> kind, sorted(arrays), header["user"]
('array', ['data'], {'note': 'C3'})
>>> header["checksum"] = bundle.checksum(arrays, header)
>>> M, meta = bundle.decode(arrays, header, "a bundle", return_metadata=True)
>>> M[1].tolist(), meta["note"]
([2.0, 0.0, 1.0], 'C3')
"""
from __future__ import annotations

import builtins
import hashlib
import json
import re
from collections.abc import Mapping

import numpy as np
import scipy.sparse as sp

from .._exact import to_numeric, to_object_array
from ..groups.core import FiniteGroup, Subgroup, index_dtype
from ..ldr import GroupLDRMatrix
from ..matrices.group_matrices import regular_permutations
from ..reps.representation import (IrreducibleRepresentation, PermutationRepresentation, Representation,
                                   direct_sum, regular_representation)
from .convert import object_kind, values_array

__all__ = ["FORMAT_VERSION", "CharacterTableData", "encode", "decode", "checksum", "check_header"]

#: The version of the bundle layout (npz, mat and JSON alike).
FORMAT_VERSION = 1
_FORMAT_TAG = "groupmat-export"
#: Groups whose name does not parse back are stored by their Cayley table up to this order.
MAX_TABLE_ORDER = 2048
#: Element labels are stored (tuples as JSON lists, other objects as strings) up to this order.
MAX_LABELS_ORDER = 65536
_RESERVED_KEYS = ("format_version", "kind", "group_spec", "group_labels")


# ---------------------------------------------------------------------------------------------- loaded tables
class CharacterTableData:
    """A character table read back from a file: ``values[k, c]``, ``classes``, ``degrees``, ``group``.

    ``values`` are as saved (numeric, or SymPy numbers); ``exact_values`` is the object array of
    SymPy numbers when the saved table had them (else None).
    """

    def __init__(self, values, classes, degrees, group=None, exact_values=None):
        self.values = values
        self.classes = [np.asarray(c, dtype=np.int64) for c in classes]
        self.degrees = degrees
        self.group = group
        self.exact_values = exact_values
        self.exact = exact_values is not None

    @property
    def class_sizes(self) -> np.ndarray:
        return np.array([c.size for c in self.classes], dtype=np.int64)

    def __repr__(self) -> str:
        name = self.group.name if self.group is not None else "a group"
        return f"<CharacterTableData of {name}: {len(self.classes)} classes>"


# ---------------------------------------------------------------------------------------------- exact text
_QUOTED = re.compile(r"'[^']*'|\"[^\"]*\"")
_IDENT = re.compile(r"[A-Za-z_][A-Za-z_0-9]*")
_ATTRIBUTE = re.compile(r"[A-Za-z_0-9)\]]\s*\.\s*[A-Za-z_]")
_BUILTINS = frozenset(dir(builtins))
_HARMLESS_FUNCTIONS = frozenset({"sqrt", "root", "Rational", "Integer", "Float", "Symbol"})


def _allowed_name(name: str) -> bool:
    import sympy

    if name.startswith("_") or name in _BUILTINS and name not in ("True", "False", "None"):
        return False
    if name in _HARMLESS_FUNCTIONS:
        return True
    obj = getattr(sympy, name, None)
    if obj is None:
        return True  # an unknown name becomes a Symbol
    return isinstance(obj, sympy.Basic) or (isinstance(obj, type) and issubclass(obj, sympy.Basic))


def _check_expr_text(text: str) -> None:
    if not isinstance(text, str) or not text or len(text) > 100_000:
        raise ValueError(f"an exact value must be a non-empty text of at most 100000 characters, got {text!r:.80}")
    bare = _QUOTED.sub("''", text)
    for bad in ("__", ";", "lambda", "[", "{", "\n"):
        if bad in bare:
            raise ValueError(f"refusing to parse exact value {text!r:.80}: it contains {bad!r}")
    if _ATTRIBUTE.search(bare):
        raise ValueError(f"refusing to parse exact value {text!r:.80}: it uses attribute access")
    for name in _IDENT.findall(bare):
        if not _allowed_name(name):
            raise ValueError(f"refusing to parse exact value {text!r:.80}: {name!r} is not a SymPy expression class")


def _expr_to_text(expr, cache: dict) -> str:
    """Text that ``sympy.sympify`` reads back to ``expr`` exactly: ``str`` when it round-trips, else ``srepr``."""
    import sympy

    key = expr
    try:
        return cache[key]
    except (KeyError, TypeError):
        pass
    text = str(expr)
    try:
        _check_expr_text(text)
        ok = sympy.sympify(text) == expr
    except Exception:  # noqa: BLE001 - any failure to parse means: use srepr
        ok = False
    if not ok:
        text = sympy.srepr(expr)
    cache[key] = text
    return text


def _text_to_expr(text: str, cache: dict):
    import sympy

    if text in cache:
        return cache[text]
    _check_expr_text(text)
    try:
        value = sympy.sympify(text)
    except Exception as err:  # noqa: BLE001
        raise ValueError(f"cannot read exact value {text!r:.80}: {err}") from None
    cache[text] = value
    return value


def _encode_exact(arr: np.ndarray) -> np.ndarray:
    cache: dict = {}
    flat = [_expr_to_text(v, cache) for v in arr.reshape(-1)]
    return np.array(flat, dtype=str).reshape(arr.shape) if flat else np.zeros(arr.shape, dtype="<U1")


def _decode_exact(arr: np.ndarray) -> np.ndarray:
    cache: dict = {}
    out = np.empty(arr.shape, dtype=object)
    flat = out.reshape(-1)
    for i, t in enumerate(arr.reshape(-1).tolist()):
        flat[i] = _text_to_expr(t, cache)
    return out


# ---------------------------------------------------------------------------------------------- groups
def _same_group(H: FiniteGroup, G: FiniteGroup) -> bool:
    """True when ``H`` has ``G``'s order, identity, multiplication (same element order) and labels.

    Right multiplication by a generating set of ``H`` determines all products, so comparing
    ``a s`` for every ``a`` and every generator ``s`` of ``H`` decides equality of the tables.
    """
    if H.order != G.order or H.identity != G.identity:
        return False
    e = G.elements()
    for s in H.generators:
        if not np.array_equal(H.mul_unchecked(e, np.int64(s)), G.mul_unchecked(e, np.int64(s))):
            return False
    if G.order <= MAX_LABELS_ORDER and [str(x) for x in H.labels] != [str(x) for x in G.labels]:
        return False
    return True


def _label_to_json(label):
    """A JSON value for an element label: tuples (product labels) become lists, recursively."""
    if isinstance(label, tuple):
        return [_label_to_json(x) for x in label]
    if isinstance(label, (str, bool)):
        return label
    if isinstance(label, (int, np.integer)):
        return int(label)
    return str(label)


def _label_from_json(value):
    """The inverse of :func:`_label_to_json`: lists become tuples, recursively."""
    if isinstance(value, list):
        return tuple(_label_from_json(x) for x in value)
    return value


def _encode_group(G: FiniteGroup, arrays: dict, prefix: str = "group") -> dict:
    from ..groups.products import DirectProduct
    from ..groups.spec import group as parse_group

    meta = {"name": G.name, "order": G.order, "class": type(G).__name__}
    subgroup = _encode_subgroup(G, prefix) if isinstance(G, Subgroup) else None
    try:
        H = None if subgroup is not None else parse_group(G.name)
    except (ValueError, TypeError):
        H = None
    if subgroup is not None:  # its parent and its embedding: rebuilt as a Subgroup of the parent
        meta["spec"] = None
        meta["subgroup"], parts = subgroup
        arrays.update(parts)
    elif H is not None and _same_group(H, G):
        meta["spec"] = G.name
    elif isinstance(G, DirectProduct):  # rebuilt by direct_product from its factors' encodings
        meta["spec"] = None
        meta["factors"] = [_encode_group(F, arrays, f"{prefix}_f{i}") for i, F in enumerate(G.factors)]
    elif G.order <= MAX_TABLE_ORDER:
        meta["spec"] = None
        arrays[f"{prefix}_table"] = np.asarray(G.cayley_table())
    else:
        raise ValueError(
            f"cannot save group {G.name!r} of order {G.order}: its name is not a spec string that "
            f"groupmat.group() rebuilds with the same element order, and its Cayley table is too large "
            f"to store (order > {MAX_TABLE_ORDER}); give it a parsable name such as 'C64xC64' or "
            "export the arrays without the group")
    if G.order <= MAX_LABELS_ORDER:
        meta["labels"] = [_label_to_json(x) for x in G.labels]
    return meta


def _encode_subgroup(H: Subgroup, prefix: str):
    """``(header entry, arrays)`` of a subgroup by its parent and embedding, or None when the parent
    cannot be stored (then the subgroup is stored as a group of its own)."""
    parts: dict = {}
    try:
        parent = _encode_group(H.parent, parts, f"{prefix}_parent")
    except ValueError:
        return None
    parts[f"{prefix}_embedding"] = np.asarray(H.embedding, dtype=np.int64)
    return {"parent": parent, "generators": [int(H.embedding[s]) for s in H.generators]}, parts


def _decode_subgroup(meta: dict, arrays: dict, prefix: str) -> Subgroup:
    """The :class:`~groupmat.groups.Subgroup` of a rebuilt parent with the stored embedding, which
    must be a sorted set of elements closed under products (the subgroup it generates)."""
    info = meta["subgroup"]
    if not isinstance(info, dict) or "parent" not in info:
        raise ValueError("the stored subgroup lacks its parent")
    parent = _decode_group(info["parent"], arrays, f"{prefix}_parent")
    members = arrays.get(f"{prefix}_embedding")
    if members is None or members.ndim != 1 or members.dtype.kind not in "iu":
        raise ValueError("the stored subgroup lacks its embedding (an integer array)")
    members = members.astype(np.int64)
    if members.size == 0 or members.min() < 0 or members.max() >= parent.order:
        raise ValueError(f"the stored embedding holds indices outside 0..{parent.order - 1}")
    if not np.array_equal(parent.closure(members), members):
        raise ValueError("the stored embedding is not a sorted subgroup of its parent (not closed under products)")
    generators = info.get("generators") or None
    if generators is not None and not np.isin(generators, members).all():
        raise ValueError("the stored subgroup generators are not in the subgroup")
    return Subgroup(parent, members, name=meta.get("name", "H"), generators=generators)


def _decode_group(meta: dict, arrays: dict, prefix: str = "group") -> FiniteGroup:
    from ..groups.spec import group as parse_group
    from ..groups.table import from_cayley_table

    labels = meta.get("labels")
    if labels is not None:
        if not isinstance(labels, list):
            raise ValueError(f"the stored labels must be a list, got {type(labels).__name__}")
        labels = [_label_from_json(x) for x in labels]
    if meta.get("subgroup"):
        G = _decode_subgroup(meta, arrays, prefix)
        if labels is not None and [str(x) for x in G.labels] != [str(x) for x in labels]:
            raise ValueError(f"the stored subgroup {meta.get('name')!r} rebuilds from its parent with other labels")
    elif meta.get("spec"):
        G = parse_group(meta["spec"])
    elif meta.get("factors"):
        from ..groups.products import direct_product

        factors = meta["factors"]
        if not isinstance(factors, list):
            raise ValueError(f"the stored factors must be a list, got {type(factors).__name__}")
        G = direct_product(*[_decode_group(m, arrays, f"{prefix}_f{i}") for i, m in enumerate(factors)])
        if labels is not None and [str(x) for x in G.labels] != [str(x) for x in labels]:
            raise ValueError(f"the stored group {meta.get('name')!r} rebuilds from its factors with other labels")
    else:
        table = arrays.get(f"{prefix}_table")
        if table is None:
            raise ValueError("the group is stored neither by a spec string nor by a Cayley table")
        G = from_cayley_table(table, labels=labels, name=meta.get("name", "G"))
    if G.order != meta.get("order"):
        raise ValueError(f"the stored group {meta.get('name')!r} has order {meta.get('order')}, "
                         f"but it rebuilds with order {G.order}")
    return G


# ---------------------------------------------------------------------------------------------- irreducibles
#: What is stored of an :class:`~groupmat.reps.IrreducibleRepresentation` (``type`` follows from
#: ``frobenius_schur`` and is stored for readers of the header).
_IRREDUCIBLE_FIELDS = ("frobenius_schur", "type", "complex_indices", "index", "field")


def _irreducible_to_json(rep: IrreducibleRepresentation) -> dict:
    """``{field: {"tuple": bool, "value": ...}}`` of what is declared on an irreducible representation."""
    return {"frobenius_schur": {"tuple": False, "value": int(rep.frobenius_schur)},
            "type": {"tuple": False, "value": rep.type},
            "complex_indices": {"tuple": True, "value": [int(k) for k in rep.complex_indices]},
            "index": {"tuple": False, "value": int(rep.index)},
            "field": {"tuple": False, "value": rep.field}}


def _irreducible_from_json(annotations) -> dict:
    """The keyword arguments of :class:`~groupmat.reps.IrreducibleRepresentation` from the stored fields."""
    if not isinstance(annotations, dict):
        raise ValueError(f"representation annotations must be a dict, got {type(annotations).__name__}")
    values = {}
    for attr, entry in annotations.items():
        if attr not in _IRREDUCIBLE_FIELDS or not isinstance(entry, dict) or "value" not in entry:
            raise ValueError(f"unknown or malformed representation annotation {attr!r}")
        values[attr] = entry["value"]
    missing = [a for a in ("index", "field", "frobenius_schur", "complex_indices") if a not in values]
    if missing:
        raise ValueError(f"an irreducible representation needs {missing[0]!r}, which is not stored")
    fs, ci = values["frobenius_schur"], values["complex_indices"]
    if not isinstance(fs, int) or not isinstance(values["index"], int) or not isinstance(ci, list) \
            or not all(isinstance(k, int) for k in ci):
        raise ValueError("the stored index, frobenius_schur and complex_indices must be integers")
    types = IrreducibleRepresentation.TYPES
    if "type" in values and fs in types and types[fs] != values["type"]:
        raise ValueError(f"the stored type {values['type']!r} does not match frobenius_schur={fs}")
    return {"index": values["index"], "field": values["field"], "frobenius_schur": fs, "complex_indices": tuple(ci)}


# ---------------------------------------------------------------------------------------------- bundles
def _json_value(value, key: str):
    """Check that a metadata value is plain JSON (str, numbers, bools, None, lists, dicts of str keys)."""
    if value is None or isinstance(value, (str, bool)):
        return value
    if isinstance(value, (int, np.integer)):
        return int(value)
    if isinstance(value, (float, np.floating)):
        if not np.isfinite(value):
            raise ValueError(f"metadata {key!r} must be finite, got {value!r}")
        return float(value)
    if isinstance(value, (list, tuple)):
        return [_json_value(v, key) for v in value]
    if isinstance(value, Mapping):
        out = {}
        for k, v in value.items():
            if not isinstance(k, str):
                raise TypeError(f"metadata {key!r} must have string keys, got {k!r}")
            out[k] = _json_value(v, key)
        return out
    raise TypeError(f"metadata {key!r} must be a JSON value (str, number, bool, None, list, dict) or, "
                    f"for 'group', a FiniteGroup; got {type(value).__name__}")


def _regular_sides(rep) -> list | None:
    """The sides of the regular summands when ``rep`` is a direct sum of regular representations, else None.

    Each summand's :attr:`~groupmat.Representation.regular_side` is read from its images; the
    summands must also sit in ``rep.perms`` at their offsets, so that ``rep`` is stored by
    reference to its group only when it is exactly that sum.
    """
    if any(r.group is not rep.group for r in rep.summands):
        return None
    sides = [r.regular_side for r in rep.summands]
    if None in sides:
        return None
    n = rep.group.order
    if rep.dim != n * len(sides):
        return None
    expected = {side: regular_permutations(rep.group, side) for side in set(sides)}
    for k, side in enumerate(sides):
        if not np.array_equal(rep.perms[:, k * n:(k + 1) * n] - k * n, expected[side]):
            return None
    return sides


def encode(obj, metadata: dict | None = None) -> tuple[str, dict, dict]:
    """The bundle of an object: ``(kind, arrays, header)``.

    Parameters
    ----------
    obj
        An array (group matrix, equivariant basis...), ``sympy.Matrix``, SciPy sparse matrix,
        Representation, GroupLDRMatrix, character table or FiniteGroup.
    metadata : dict, optional
        User metadata: JSON values; ``group`` may be a FiniteGroup and ``labels`` a list (stored as
        strings). The keys ``format_version``, ``kind``, ``group_spec`` and ``group_labels`` are
        reserved (:func:`decode` returns them).

    Returns
    -------
    kind : str
        The object's kind (see :func:`groupmat.io.convert.object_kind`; a ``matrix_like`` object
        is stored as the ``array`` of its dense matrix).
    arrays : dict of str to ndarray
        Numeric arrays and text arrays (exact values as SymPy text), C-contiguous.
    header : dict
        JSON-able: format tag and version, kind, ``info`` to rebuild the object, the names of the
        exact arrays, user metadata, shapes and dtypes. The writer adds ``checksum``.

    Raises
    ------
    TypeError
        An object or metadata value that cannot be stored.
    ValueError
        A reserved or non-finite metadata value; a group that can be stored neither by spec, by
        parent, by factors nor by table.
    """
    metadata = {} if metadata is None else metadata
    kind = object_kind(obj)
    arrays: dict[str, np.ndarray] = {}
    info: dict = {}
    exact: list[str] = []

    def put(name, values):
        arr, ex = values_array(values)
        if ex:
            arrays[name] = _encode_exact(arr)
            exact.append(name)
        else:
            arrays[name] = arr if arr.flags.c_contiguous else arr.copy(order="C")

    if kind == "group":
        info["group"] = _encode_group(obj, arrays)
    elif kind == "permutation_representation":
        sides = _regular_sides(obj)
        if sides is not None:
            info["regular_summands"] = sides  # rebuilt from the group: no index arrays stored
        else:
            arrays["perms"] = np.asarray(obj.perms).astype(index_dtype(max(obj.dim, 1)))  # smallest index type
        info["group"] = _encode_group(obj.group, arrays)
        info["name"] = obj.name
        info["regular_side"] = obj.regular_side
    elif kind == "representation":
        put("matrices", obj.matrices)
        info["group"] = _encode_group(obj.group, arrays)
        info["name"] = obj.name
        if isinstance(obj, IrreducibleRepresentation):
            info["annotations"] = _irreducible_to_json(obj)
    elif kind == "group_ldr":
        put("b", obj.b)
        put("U", obj.U)
        put("V", obj.V)
        info["group"] = _encode_group(obj.group, arrays)
        info["convention"] = getattr(obj, "convention", "ginv_h")
    elif kind == "character_table":
        put("values", obj.values)
        if getattr(obj, "exact_values", None) is not None:
            put("exact_values", obj.exact_values)
        classes = [np.asarray(c, dtype=np.int64).ravel() for c in obj.classes]
        arrays["classes"] = np.concatenate(classes) if classes else np.zeros(0, np.int64)
        arrays["class_offsets"] = np.cumsum([0] + [c.size for c in classes]).astype(np.int64)
        put("degrees", list(obj.degrees))
        G = getattr(obj, "group", None)
        if isinstance(G, FiniteGroup):
            info["group"] = _encode_group(G, arrays)
    elif kind == "sparse":
        c = sp.coo_array(obj)
        c.sum_duplicates()
        arrays["row"], arrays["col"] = c.row.astype(np.int64), c.col.astype(np.int64)
        arrays["data"] = c.data.copy(order="C")
        info["shape"] = [int(s) for s in obj.shape]
        info["format"] = obj.format
        info["container"] = "array" if isinstance(obj, sp.sparray) else "matrix"
    elif kind == "sympy_matrix":
        put("data", to_object_array(obj))
    elif kind == "matrix_like":
        kind = "array"  # stored (and read back) as its dense matrix
        put("data", np.asarray(obj.dense()))
    else:
        put("data", obj)
    if kind in ("representation", "permutation_representation") and len(obj.summands) > 1:
        info["summand_dims"] = [int(r.dim) for r in obj.summands]
        info["summand_names"] = [r.name for r in obj.summands]
        info["summand_regular_sides"] = [r.regular_side for r in obj.summands]

    user = {}
    for key, value in metadata.items():
        if key in _RESERVED_KEYS:
            raise ValueError(f"metadata key {key!r} is reserved (load_npz returns it); choose another name")
        if key == "group":
            if not isinstance(value, FiniteGroup):
                raise TypeError(f"metadata 'group' must be a FiniteGroup, got {type(value).__name__}")
            user["group"] = {"__group__": _encode_group(value, arrays, prefix="meta_group")}
        elif key == "labels":
            user["labels"] = [str(v) for v in value]
        else:
            user[key] = _json_value(value, key)
    for name, arr in arrays.items():
        if arr.dtype.kind not in "biufcU":
            raise TypeError(f"cannot store array {name!r} of dtype {arr.dtype}")
    header = {"format": _FORMAT_TAG, "version": FORMAT_VERSION, "kind": kind, "info": info, "exact": exact,
              "user": user, "shapes": {k: list(v.shape) for k, v in arrays.items()},
              "dtypes": {k: v.dtype.str if v.dtype.kind != "U" else "text" for k, v in arrays.items()}}
    return kind, arrays, header


def checksum(arrays: dict, header: dict) -> str:
    """The SHA-256 checksum (hex) of a bundle: of its header (without ``checksum``) and its arrays.

    Text arrays enter as JSON lists, numeric ones by dtype and bytes; names and shapes too, so any
    change of content, type or layout changes it.

    Examples
    --------
    >>> import numpy as np
    >>> from groupmat.io.bundle import checksum
    >>> a = checksum({"x": np.arange(3)}, {"kind": "array"})
    >>> len(a), a == checksum({"x": np.arange(3)}, {"kind": "array", "checksum": "ignored"})
    (64, True)
    >>> a == checksum({"x": np.arange(3.0)}, {"kind": "array"})
    False
    """
    h = hashlib.sha256()
    core = {k: v for k, v in header.items() if k != "checksum"}
    h.update(json.dumps(core, sort_keys=True).encode())
    for name in sorted(arrays):
        arr = arrays[name]
        h.update(name.encode())
        if arr.dtype.kind == "U":
            h.update(json.dumps(arr.reshape(-1).tolist()).encode())
        else:
            h.update(arr.dtype.str.encode())
            h.update(np.ascontiguousarray(arr).tobytes())
        h.update(str(arr.shape).encode())
    return h.hexdigest()


def check_header(header, where: str) -> dict:
    """``header`` when it is a groupmat bundle header of this :data:`FORMAT_VERSION` with every
    required entry; a ValueError naming ``where`` (a path, or "JSON text") otherwise."""
    if not isinstance(header, dict) or header.get("format") != _FORMAT_TAG:
        raise ValueError(f"{where} is not a groupmat export (no {_FORMAT_TAG!r} header)")
    version = header.get("version")
    if version != FORMAT_VERSION:
        raise ValueError(f"{where} was written by groupmat export format version {version!r}; this groupmat "
                         f"reads version {FORMAT_VERSION} only")
    for key in ("kind", "info", "exact", "user", "shapes", "dtypes"):
        if key not in header:
            raise ValueError(f"{where} is corrupted: its metadata lacks {key!r}")
    return header


def decode(arrays: dict, header: dict, where: str, return_metadata: bool = False):
    """Rebuild the object of a bundle (and its metadata), checking everything first.

    Parameters
    ----------
    arrays : dict of str to ndarray
        As :func:`encode` gave them (text arrays as ``str`` arrays).
    header : dict
        As :func:`encode` gave it, with the ``checksum`` the writer added (checked when present).
    where : str
        What the bundle was read from, for the error messages.
    return_metadata : bool
        Also return the user metadata (with ``group`` rebuilt as a FiniteGroup), the
        ``format_version``, the ``kind`` and, for objects with a group, ``group_spec`` and
        ``group_labels``.

    Returns
    -------
    object or (object, dict)

    Raises
    ------
    ValueError
        Another format version, a missing or misshapen array, a checksum mismatch, or an object
        that fails its own checks (naming ``where``).
    """
    header = check_header(header, where)
    for name, shape in header["shapes"].items():
        if name not in arrays:
            raise ValueError(f"{where} is corrupted or truncated: array {name!r} is missing")
        if list(arrays[name].shape) != list(shape):
            raise ValueError(f"{where} is corrupted: array {name!r} has shape {arrays[name].shape}, "
                             f"expected {tuple(shape)}")
    if "checksum" in header and checksum(arrays, header) != header["checksum"]:
        raise ValueError(f"{where} is corrupted: its content does not match its SHA-256 checksum")
    try:
        obj = _build(header["kind"], arrays, header)
    except (ValueError, TypeError, KeyError, IndexError) as err:
        raise ValueError(f"{where} is corrupted: cannot rebuild its {header['kind']!r} object ({err})") from err
    if not return_metadata:
        return obj
    user = dict(header["user"])
    if isinstance(user.get("group"), dict) and "__group__" in user["group"]:
        user["group"] = _decode_group(user["group"]["__group__"], arrays, prefix="meta_group")
    user["format_version"] = header["version"]
    user["kind"] = header["kind"]
    if "group" in header["info"]:
        user.setdefault("group_spec", header["info"]["group"].get("spec"))
        labels = header["info"]["group"].get("labels")
        if isinstance(labels, list):
            labels = [_label_from_json(x) for x in labels]
        user.setdefault("group_labels", labels)
    return obj, user


def read_error(path, err) -> ValueError:
    """The ValueError for a file that its format's reader could not read at all (corrupted or truncated)."""
    return ValueError(f"{path} is not a readable groupmat file (corrupted or truncated?): "
                      f"{type(err).__name__}: {err}")


def _build(kind: str, arrays: dict, header: dict):
    info, exact = header["info"], set(header["exact"])

    def get(name):
        arr = arrays[name]
        return _decode_exact(arr) if name in exact else arr

    G = _decode_group(info["group"], arrays) if "group" in info else None
    if kind == "group":
        return G
    if kind == "permutation_representation" and info.get("regular_summands"):
        sides = info["regular_summands"]
        if not all(side in ("left", "right") for side in sides):
            raise ValueError(f"regular summands must be 'left' or 'right', got {sides}")
        if len(sides) == 1:
            return _regular(G, sides[0], info.get("name"))
        names = info.get("summand_names") or [None] * len(sides)
        if len(names) != len(sides):
            raise ValueError(f"{len(sides)} regular summands, but {len(names)} summand names")
        return direct_sum(*[_regular(G, side, name) for side, name in zip(sides, names)])
    if kind == "permutation_representation":
        rep = PermutationRepresentation(G, arrays["perms"], check=True, name=info.get("name"))
        side = info.get("regular_side")
        if side and not np.array_equal(rep.perms, regular_permutations(G, side)):
            raise ValueError(f"it is stored as the {side} regular representation, but its permutations are not")
        return _with_summands(rep, info)
    if kind == "representation":
        if "annotations" in info:
            return IrreducibleRepresentation(G, get("matrices"), check=True, name=info.get("name"),
                                             **_irreducible_from_json(info["annotations"]))
        rep = Representation(G, get("matrices"), check=True, name=info.get("name"))
        return _with_summands(rep, info)
    if kind == "group_ldr":
        return GroupLDRMatrix(G, get("b"), get("U"), get("V"))
    if kind == "character_table":
        offsets = arrays["class_offsets"]
        classes = [arrays["classes"][offsets[i]:offsets[i + 1]] for i in range(len(offsets) - 1)]
        values = get("values")
        exact_values = get("exact_values") if "exact_values" in arrays else None
        for v in (values, exact_values):
            if v is not None and (v.ndim != 2 or v.shape[1] != len(classes)):
                raise ValueError(f"values of shape {v.shape} do not match {len(classes)} classes")
        return CharacterTableData(values, classes, get("degrees"), group=G, exact_values=exact_values)
    if kind == "sparse":
        shape = tuple(info["shape"])
        coo = sp.coo_array((arrays["data"], (arrays["row"], arrays["col"])), shape=shape)
        out = coo.asformat(info["format"])
        return out if info.get("container") == "array" else sp.coo_matrix(coo).asformat(info["format"])
    if kind == "sympy_matrix":
        import sympy

        data = get("data")
        if data.ndim != 2:
            raise ValueError(f"a sympy Matrix needs 2-d data, got shape {data.shape}")
        return sympy.Matrix(data.tolist()) if data.size else sympy.zeros(*data.shape)
    if kind == "array":
        return get("data")
    raise ValueError(f"unknown object kind {kind!r}")


def _summand(G, block, side, name, k: int, permutation: bool):
    """Summand ``k`` from its diagonal block: the regular representation of ``side`` when its images
    are that (checked), else a representation of the block."""
    if not side:
        if permutation:
            return PermutationRepresentation(G, block, check=True, name=name)
        return Representation(G, block, check=False, name=name)
    P = regular_permutations(G, side)
    if permutation:
        same = np.array_equal(block, P)
    else:
        n = G.order
        numeric = to_numeric(block) if block.dtype == object else block
        expected = np.zeros((n, n, n))
        expected[np.arange(n)[:, None], P, np.arange(n)[None, :]] = 1.0      # rho(g) e_i = e_{P[g, i]}
        same = np.array_equal(numeric, expected)
    if not same:
        raise ValueError(f"summand {k} is stored as the {side} regular representation, but its images are not")
    return _regular(G, side, name)


def _regular(G, side: str, name) -> PermutationRepresentation:
    """The ``side`` regular representation of ``G``, named ``name`` (its default name when None)."""
    rep = regular_representation(G, side)
    if name is None or name == rep.name:
        return rep                                   # declares its side (left = right for C_2^k)
    return PermutationRepresentation(G, rep.perms, check=False, name=name)     # regular by its permutations


def _with_summands(rep, info: dict):
    """``rep`` as the direct sum of its stored summands (the diagonal blocks), when it has several.

    The sum rebuilt from the blocks must have the images of ``rep``: blocks off the diagonal are
    zero (a permutation maps each block into itself).
    """
    dims = info.get("summand_dims")
    if not dims:
        return rep
    if sum(dims) != rep.dim:
        raise ValueError(f"summand dimensions {dims} do not add up to the dimension {rep.dim}")
    names = info.get("summand_names") or [None] * len(dims)
    sides = info.get("summand_regular_sides") or [None] * len(dims)
    if not (len(names) == len(sides) == len(dims)):
        raise ValueError(f"{len(dims)} summand dimensions, but {len(names)} names and {len(sides)} sides")
    out, o = [], 0
    for k, (d, name, side) in enumerate(zip(dims, names, sides)):
        if side not in (None, "left", "right"):
            raise ValueError(f"summand {k}: regular side must be 'left', 'right' or None, got {side!r}")
        if rep.is_permutation:
            block = rep.perms[:, o:o + d] - o
        else:
            block = rep.matrices[:, o:o + d, o:o + d]
        out.append(_summand(rep.group, block, side, name, k, rep.is_permutation))
        o += d
    total = direct_sum(*out)
    if rep.is_permutation:
        same = np.array_equal(total.perms, rep.perms)
    else:
        mats, whole = total.matrices, rep.matrices
        if rep.exact:
            same = mats.shape == whole.shape and all(a == b for a, b in zip(mats.flat, whole.flat))
        else:
            same = np.array_equal(mats, whole)
    if not same:
        raise ValueError("the representation is not the direct sum of its stored summands")
    return total
