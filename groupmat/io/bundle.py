"""The bundle format: any groupmat object as named arrays plus a JSON header, and back.

Every file format of :mod:`groupmat.io` (``.npz`` in :mod:`groupmat.io.npz`, MATLAB ``.mat`` in
:mod:`groupmat.io.matlab`, JSON text in :mod:`groupmat.io.json_text`) stores the same *bundle*:
:func:`encode` turns an object into plain numeric or text arrays and a JSON-able header,
:func:`decode` checks both and rebuilds the object. A format module only decides how the arrays
and the header are laid out in its file.

What a bundle holds
    The header holds the object's kind, what rebuilds it, the names, shapes and dtypes of its arrays,
    the names of the arrays of exact values, any user metadata (JSON values), a format version and a
    SHA-256 :func:`checksum` of all of it. No pickle is used anywhere.

Groups are stored by their description, never by enumerating them
    A group is stored by what its constructor needs: ``C_n``, ``D_n``, ``Dic_n`` and ``C_2^k`` by
    their parameter (``cyclic(10**9)`` is a few bytes), ``S_n`` and ``A_n`` by ``n``, any permutation
    group by the image arrays of its generators (loaded by its constructor or a stabiliser chain, then
    :meth:`~groupmat.groups.PermutationGroup.copy_with` for its name and generators: never listed,
    ``S_n`` of any ``n``; an order of more than 12000 bits as hex text), a direct product by its factors, a
    semidirect product by its factors and the automorphisms of the generators of the acting group,
    a subgroup by its parent and its embedding, always with its name and its generators. Each comes
    back as the same class with the same name, generators, element order and labels. Only a group
    with nothing but a Cayley table (:class:`~groupmat.groups.TableGroup`, or a group renamed
    where its constructor takes no name) is stored by its table, which must fit under
    ``GROUPMAT_MAX_BYTES`` (else :class:`~groupmat._validation.TooLargeError` before anything is
    allocated); labels are stored only for such table groups (strings, integers and tuples of them
    come back as they were, any other label as its ``str``).

Objects come back as what they were
    Permutation representations are stored as index arrays (never dense), a
    :class:`~groupmat.reps.PermutationAction` (e.g. :func:`~groupmat.reps.natural_action`) by its group
    and the generator images of each factor of each block, direct sums of regular
    representations by reference to their group alone, irreducible representations with their
    declared fields, a GM-LDR matrix by ``b, U, V`` and its transpose as the transpose of one; a
    character table by its values, degrees, class sizes and class representatives (never its classes
    as lists of elements: the table of ``S12`` is saved without listing ``S12``), recomputed from its
    group and checked against all of them (so it comes back as a :class:`~groupmat.reps.CharacterTable`).

Exact values
    Exact (SymPy) values are stored as text written by :func:`groupmat._exact_text.exact_to_text` and
    read by :func:`groupmat._exact_text.parse_exact`, a restricted grammar that never evaluates
    code (no ``eval``, ``sympify`` or ``parse_expr`` of file text) and refuses numbers, powers and
    nesting over fixed bounds at once (``10**10**10`` is refused, not computed).

The checksum
    The SHA-256 checksum detects accidental corruption (a flipped bit, a truncated copy, an edited
    value): any change of an array or the header is refused. It is an *integrity* check, not
    *authentication*: anyone who edits a file can recompute it, so it says nothing about who wrote
    the file. A file without a checksum is refused unless the reader passes
    ``allow_missing_checksum=True``.

Reading never runs code and never allocates beyond the budget
    Every declared shape is checked against ``GROUPMAT_MAX_BYTES`` and against the header before an
    array is read; a bundle of another format version (this groupmat writes version
    :data:`FORMAT_VERSION` and reads :data:`READABLE_VERSIONS`), a truncated or corrupted one, one
    whose content does not match its checksum or whose object fails its own checks raises
    ``ValueError`` naming the file: never a partial object, a raw ``KeyError`` or a hang.

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
>>> _, arrays, header = bundle.encode(gm.cyclic(10**9))       # by its description: no arrays at all
>>> arrays, header["info"]["group"]["build"], header["info"]["group"]["n"]
({}, 'cyclic', 1000000000)
"""
from __future__ import annotations

import contextvars
import hashlib
import inspect
import json
import math
import os
import re
import stat
from collections.abc import Mapping

import numpy as np
import scipy.sparse as sp

from .._exact import to_numeric
from .._exact_text import exact_to_text, parse_exact
from .._files import check_target
from .._validation import TooLargeError, check_size
from ..groups.core import FiniteGroup, Subgroup, TableGroup, index_dtype
from ..groups.named import CyclicGroup, DicyclicGroup, DihedralGroup
from ..groups.permutation import PermutationGroup, alternating, from_permutations, symmetric
from ..groups.products import DirectProduct, SemidirectProduct, SignGroup, semidirect_product
from ..ldr import GroupLDRMatrix, TransposedGroupLDRMatrix
from ..matrices.group_matrices import regular_permutations
from ..reps.actions import ActionBlock, PermutationAction
from ..reps.representation import (IrreducibleRepresentation, PermutationRepresentation, Representation,
                                   direct_sum, regular_representation)
from .convert import SPARSE_FORMATS, object_kind, values_array

__all__ = ["FORMAT_VERSION", "READABLE_VERSIONS", "encode", "decode", "checksum", "check_header",
           "header_from_text", "declared", "read_error", "target_path", "source_path"]

#: The version of the bundle layout this groupmat writes (npz, mat and JSON alike).
FORMAT_VERSION = 2
#: The versions it reads (version 1 stored groups by a spec string or a table).
READABLE_VERSIONS = (1, 2)
_FORMAT_TAG = "groupmat-export"
#: The way out of a file whose declared arrays are over the budget.
READ_WAY_OUT = "the file declares this size and nothing smaller reads it back; read it where a larger limit is allowed"
#: The labels of a group are computed for the metadata (``group_labels``) up to this order.
MAX_LABELS_ORDER = 65536
#: The deepest nesting of lists and dicts a header may have.
MAX_HEADER_DEPTH = 64
#: The most arrays a bundle may hold.
MAX_ARRAYS = 4096
#: The most dimensions of one array.
MAX_NDIM = 32
_RESERVED_KEYS = ("format_version", "kind", "group_spec", "group_labels")
_KINDS = ("group", "permutation_representation", "representation", "group_ldr", "character_table", "sparse",
          "sympy_matrix", "array", "permutation_action")
_NAME = re.compile(r"[A-Za-z0-9_]{1,200}")
_NUMERIC_DTYPE = re.compile(r"[<>|=]?[biufc][0-9]{1,2}")
_CHECKSUM = re.compile(r"[0-9a-f]{64}")
#: Errors that mean "the stored object does not rebuild" (turned into a ValueError naming the file).
_REBUILD_ERRORS = (ValueError, TypeError, KeyError, IndexError, AttributeError, RecursionError, ArithmeticError,
                   RuntimeError)


#: The most entries the bundle being encoded may store (None: no bound but the memory budget), set by
#: :func:`encode` for its ``max_entries`` and read by :func:`_reserve` before each array is built.
_ENTRY_LIMIT: contextvars.ContextVar = contextvars.ContextVar("groupmat_bundle_entry_limit", default=None)


def _too_many(entries: int, limit: int, what: str) -> ValueError:
    return ValueError(f"obj stores {entries} entries{what}, more than JSON export takes ({limit}); "
                      "use save_npz or save_mat")


def _reserve(arrays: dict, shape, what: str) -> None:
    """Refuse, before it is built, an array of ``shape`` that would take the bundle over the entry
    limit of :func:`encode` (``max_entries``): nothing of that size is computed first."""
    limit = _ENTRY_LIMIT.get()
    if limit is None:
        return
    entries = sum(int(a.size) for a in arrays.values()) + math.prod(int(s) for s in shape)
    if entries > limit:
        raise _too_many(entries, limit, f" or more ({what})")


# ---------------------------------------------------------------------------------------------- exact text
def _encode_exact(arr: np.ndarray) -> np.ndarray:
    cache: dict = {}
    flat = []
    for v in arr.reshape(-1):
        try:
            text = cache[v]
        except (KeyError, TypeError):
            text = exact_to_text(v)
            try:
                cache[v] = text
            except TypeError:         # pragma: no cover - every SymPy object is hashable
                pass
        flat.append(text)
    return np.array(flat, dtype=str).reshape(arr.shape) if flat else np.zeros(arr.shape, dtype="<U1")


def _decode_exact(arr: np.ndarray) -> np.ndarray:
    cache: dict = {}
    out = np.empty(arr.shape, dtype=object)
    flat = out.reshape(-1)
    for i, t in enumerate(arr.reshape(-1).tolist()):
        value = cache.get(t)
        if value is None:
            value = cache[t] = parse_exact(t)
        flat[i] = value
    return out


# ---------------------------------------------------------------------------------------------- groups
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
    if isinstance(value, (str, int)):
        return value
    raise ValueError(f"a stored label must be a string, an integer or a list, got {type(value).__name__}")


def _accepts_name(cls) -> bool:
    """True when ``cls(...)`` takes a ``name=`` keyword (then a renamed group rebuilds with its name)."""
    try:
        return "name" in inspect.signature(cls).parameters
    except (TypeError, ValueError):  # pragma: no cover - every group class has a signature
        return False


def _default_family_group(G: FiniteGroup):
    """The group the constructor of ``G``'s family builds from its parameter alone (cheap: no tables)."""
    cls = type(G)
    if cls is CyclicGroup:
        return CyclicGroup(G.n)
    if cls is DihedralGroup:
        return DihedralGroup(G.n)
    if cls is DicyclicGroup:
        return DicyclicGroup(G.n)
    return SignGroup(G.k)


def _dicyclic_labels(G: DicyclicGroup):
    """The labels of a dicyclic group when they are not the default ones (e.g. those of ``Q8``), else None."""
    default = DicyclicGroup(G.n)
    if G.order <= MAX_LABELS_ORDER:
        labels = G.labels
        return None if labels == default.labels else [_label_to_json(x) for x in labels]
    probe = range(0, G.order, max(1, G.order // 64))
    if all(G.label(i) == default.label(i) for i in probe):
        return None
    raise ValueError(f"cannot save the custom labels of {G.name!r} of order {G.order} > {MAX_LABELS_ORDER}")


def _encode_group(G: FiniteGroup, arrays: dict, prefix: str = "group") -> dict:
    """The header entry of a group (and its arrays, named ``prefix_...``), by its description.

    Raises
    ------
    TooLargeError
        A group that can only be stored by its Cayley table, which is too large.
    """
    cls = type(G)
    meta = {"name": G.name, "order": _order_to_json(G.order), "class": cls.__name__,
            "generators": [int(s) for s in G.generators]}
    if cls in (CyclicGroup, DihedralGroup, DicyclicGroup, SignGroup):
        default = _default_family_group(G)
        renamed = G.name != default.name and not _accepts_name(cls)
        if not renamed and default.generators == G.generators:
            meta["build"] = G.structure.family
            meta["n" if cls is not SignGroup else "k"] = int(G.n if cls is not SignGroup else G.k)
            if cls is DicyclicGroup:
                meta["labels"] = _dicyclic_labels(G)
            return meta
    elif cls is PermutationGroup:
        return _encode_permutation_group(G, meta, arrays, prefix)
    elif cls is DirectProduct and DirectProduct(G.factors).generators == G.generators:
        meta["build"] = "direct_product"
        meta["factors"] = [_encode_group(F, arrays, f"{prefix}_f{i}") for i, F in enumerate(G.factors)]
        return meta
    elif cls is SemidirectProduct and SemidirectProduct(G.N, G.H, G.automorphisms).generators == G.generators:
        meta["build"] = "semidirect_product"
        meta["N"] = _encode_group(G.N, arrays, f"{prefix}_N")
        meta["H"] = _encode_group(G.H, arrays, f"{prefix}_H")
        _reserve(arrays, (len(G.H.generators), G.N.order), f"the action of the generators of {G.H.name} on {G.N.name}")
        check_size((len(G.H.generators), G.N.order), 8, f"the action of the generators of {G.H.name} on {G.N.name}",
                   how="a semidirect product is saved by its factors and this action (nothing smaller rebuilds it)")
        action = np.asarray(G.automorphisms)[list(G.H.generators)].reshape(len(G.H.generators), G.N.order)
        arrays[f"{prefix}_action"] = action.astype(index_dtype(G.N.order))
        return meta
    elif cls is Subgroup:
        parts: dict = {}
        try:
            parent = _encode_group(G.parent, parts, f"{prefix}_parent")
        except ValueError:
            parent = None                           # a parent that cannot be stored: the subgroup by its table
        if parent is not None:
            _reserve({**arrays, **parts}, (G.order,), f"the embedding of {G.name}")
            meta["build"] = "subgroup"
            meta["parent"] = parent
            arrays.update(parts)
            arrays[f"{prefix}_embedding"] = np.asarray(G.embedding).astype(index_dtype(G.parent.order))
            return meta
    return _encode_table(G, meta, arrays, prefix)


#: Orders up to this many bits are stored as JSON integers; larger ones (``S_n`` from ``n`` about
#: 1300 on: Python refuses to write an integer of more than 4300 digits as text) as hex text.
_MAX_ORDER_INT_BITS = 12000
#: The longest hex text of a stored order read back (an order of 4 million bits: ``S_n`` to ``n`` near 200000).
_MAX_ORDER_HEX = 1 << 20


def _order_to_json(order: int):
    """A group order as JSON: an integer, or ``"0x..."`` text for an order of more than
    :data:`_MAX_ORDER_INT_BITS` bits (hex text is not subject to Python's decimal digit limit)."""
    order = int(order)
    return order if order.bit_length() <= _MAX_ORDER_INT_BITS else hex(order)


def _order_from_json(meta: dict) -> int:
    """The stored order of a group entry (an integer >= 1, or hex text written by :func:`_order_to_json`)."""
    value = meta.get("order")
    if isinstance(value, str) and re.fullmatch(r"0x[0-9a-f]{1,%d}" % _MAX_ORDER_HEX, value):
        return int(value, 16)
    return _int(meta, "order", 1)


def _full_family(G: PermutationGroup) -> bool:
    """True when ``G`` is declared (``G.structure``) as ``S_n`` or ``A_n`` on all its ``n = degree``
    points and has their order: it rebuilds from its constructor (then takes its generators)."""
    family = G.structure.family
    if family not in ("symmetric", "alternating"):
        return False
    if G.kind == family:                              # the closed form on its support: all points?
        return G.support is not None and G.support.size == G.degree
    # a group declared S_n or A_n but held by a stabiliser chain (given by its listing): by its order
    full = math.factorial(G.degree)
    return G.order == (full if family == "symmetric" else max(1, full // 2))


def _encode_permutation_group(G: PermutationGroup, meta: dict, arrays: dict, prefix: str) -> dict:
    """A permutation group by the image arrays of its generators (``G.generator_permutations``) and
    its element-index generators, never by its elements; ``S_n``/``A_n`` rebuild from their
    constructors (then take the stored generators), any other from those arrays."""
    meta["build"] = G.structure.family if _full_family(G) else "permutation"
    meta["degree"] = int(G.degree)
    meta["kind"] = G.kind
    gens = np.asarray(G.generator_permutations)
    _reserve(arrays, gens.shape, f"the generators of {G.name}")
    arrays[f"{prefix}_generators"] = gens.astype(index_dtype(max(G.degree, 1)))
    return meta


def _encode_table(G: FiniteGroup, meta: dict, arrays: dict, prefix: str) -> dict:
    """A group by its Cayley table (the one description of a group given by nothing else)."""
    n = G.order
    _reserve(arrays, (n, n), f"the Cayley table of {G.name}")
    check_size((n, n), index_dtype(n).itemsize,
               f"the Cayley table of {G.name} (order {n}), which is how a {type(G).__name__} is saved",
               how="build it as a permutation group (gm.from_permutations(generators)) or by a named constructor "
                   "(gm.group(spec), gm.direct_product, gm.semidirect_product), which are saved by their description")
    meta["class"] = "TableGroup"
    meta["build"] = "table"
    arrays[f"{prefix}_table"] = np.asarray(G.cayley_table())
    meta["labels"] = [_label_to_json(x) for x in G.labels] if n <= MAX_LABELS_ORDER else None
    return meta


def _int(meta: dict, key: str, minimum: int = 0) -> int:
    value = meta.get(key)
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        raise ValueError(f"the stored group entry {key!r} must be an integer >= {minimum}, got {value!r}")
    return value


def _array(arrays: dict, name: str, ndim: int) -> np.ndarray:
    arr = arrays.get(name)
    if arr is None or arr.ndim != ndim or arr.dtype.kind not in "iu":
        raise ValueError(f"the stored group lacks its array {name!r} (integers, {ndim}-dimensional)")
    return arr.astype(np.int64)


def _decode_group(meta, arrays: dict, prefix: str = "group") -> FiniteGroup:
    """Rebuild a group from its header entry; check that it has the stored class, order and generators."""
    if not isinstance(meta, dict):
        raise ValueError(f"a stored group must be a dict, got {type(meta).__name__}")
    if "build" not in meta:
        return _decode_group_v1(meta, arrays, prefix)
    build, name, order = meta["build"], meta.get("name"), _order_from_json(meta)
    generators = meta.get("generators")
    if not isinstance(name, str):
        raise ValueError(f"a stored group name must be a string, got {type(name).__name__}")
    if not isinstance(generators, list) or not all(isinstance(s, int) and not isinstance(s, bool)
                                                   and 0 <= s < order for s in generators):
        raise ValueError(f"the stored generators of {name!r} must be element indices below {order}")
    generators = tuple(generators)
    if build in ("cyclic", "dihedral", "dicyclic"):
        n = _int(meta, "n", 1)
        if {"cyclic": n, "dihedral": 2 * n, "dicyclic": 4 * n}[build] != order:
            raise ValueError(f"a {build} group with n={n} does not have the stored order {order}")
        cls = {"cyclic": CyclicGroup, "dihedral": DihedralGroup, "dicyclic": DicyclicGroup}[build]
        if build == "dicyclic":
            labels = meta.get("labels")
            if labels is not None and (not isinstance(labels, list) or len(labels) != order):
                raise ValueError(f"the stored labels of {name!r} must be a list of {order} labels")
            G = DicyclicGroup(n, labels=None if labels is None else [_label_from_json(x) for x in labels], name=name)
        else:
            G = cls(n)
            if G.name != name:
                if not _accepts_name(cls):
                    raise ValueError(f"this groupmat cannot name a {cls.__name__} {name!r}")
                G = cls(n, name=name)
    elif build == "sign":
        k = _int(meta, "k")
        if k > 62 or 2**k != order:
            raise ValueError(f"a sign group C2^{k} does not have the stored order {order}")
        G = SignGroup(k, name=name)
    elif build in ("symmetric", "alternating", "permutation"):
        G = _decode_permutation_group(build, meta, arrays, prefix, name, order, generators)
    elif build == "direct_product":
        factors = meta.get("factors")
        if not isinstance(factors, list) or not factors:
            raise ValueError("the stored factors of a direct product must be a non-empty list")
        if math.prod(_order_from_json(f) if isinstance(f, dict) else 0 for f in factors) != order:
            raise ValueError(f"the stored factors of {name!r} do not multiply to its order {order}")
        G = DirectProduct([_decode_group(m, arrays, f"{prefix}_f{i}") for i, m in enumerate(factors)], name=name)
    elif build == "semidirect_product":
        G = _decode_semidirect(meta, arrays, prefix, name, order)
    elif build == "subgroup":
        G = _decode_subgroup(meta, arrays, prefix, name, order, generators)
    elif build == "table":
        G = _decode_table(meta, arrays, prefix, name, order, generators)
    else:
        raise ValueError(f"unknown group description {build!r}")
    if G.order != order or type(G).__name__ != meta.get("class") or tuple(G.generators) != generators:
        raise ValueError(f"the stored group {name!r} ({meta.get('class')} of order {order}, generators "
                         f"{list(generators)}) rebuilds as a {type(G).__name__} of order {G.order} with generators "
                         f"{list(G.generators)}")
    return G


def _decode_permutation_group(build, meta, arrays, prefix, name, order, generators) -> PermutationGroup:
    """A permutation group from its generators' image arrays, never listed: ``S_n``/``A_n`` by their
    constructors, any other by its stabiliser chain (:func:`~groupmat.groups.from_permutations`)."""
    degree = _int(meta, "degree", 1)
    if build in ("symmetric", "alternating"):
        # the order is checked first by its size in bits (no factorial of a huge stored degree computed)
        expected_bits = math.lgamma(degree + 1) / math.log(2) - (build == "alternating" and degree > 1)
        if abs(order.bit_length() - expected_bits) > 2 or \
                (math.factorial(degree) // (2 if build == "alternating" and degree > 1 else 1)) != order:
            raise ValueError(f"the {build} group on {degree} points does not have the stored order {order}")
    gens = _array(arrays, f"{prefix}_generators", 2)
    if gens.shape[1:] != (degree,):
        raise ValueError(f"the stored generators of {name!r} must be image arrays of {degree} points, "
                         f"got shape {gens.shape}")
    if build in ("symmetric", "alternating"):
        G = symmetric(degree) if build == "symmetric" else alternating(degree)
    elif gens.shape[0] == 0:
        if order != 1:
            raise ValueError(f"the permutation group {name!r} of order {order} has no generators")
        G = from_permutations([np.arange(degree)], degree=degree, name=name)
    else:
        # by its stabiliser chain from the generators (never listed); a stored general group stays general
        kind = meta.get("kind", "general")
        if kind not in ("general", "symmetric", "alternating"):
            raise ValueError(f"unknown permutation group kind {str(kind)[:20]!r}")
        G = from_permutations(list(gens), degree=degree, name=name, recognize=kind != "general")
        if G.order != order:
            raise ValueError(f"the stored generators of {name!r} generate a group of order {G.order}, not {order}")
    if not G.indexable:
        if not np.array_equal(G.generator_permutations, gens):
            raise ValueError(f"the stored generators of {name!r} are not those of {G.name}")
        return G if G.name == name else G.copy_with(name=name)
    if G.name != name or tuple(G.generators) != generators or not np.array_equal(G.generator_permutations, gens):
        # the stored element-index generators, checked to generate G (by a stabiliser chain: nothing listed)
        G = G.copy_with(name=name, generators=generators)
    return G


def _decode_semidirect(meta, arrays, prefix, name, order) -> SemidirectProduct:
    N = _decode_group(meta.get("N"), arrays, f"{prefix}_N")
    H = _decode_group(meta.get("H"), arrays, f"{prefix}_H")
    if N.order * H.order != order:
        raise ValueError(f"the stored factors of {name!r} do not multiply to its order {order}")
    action = _array(arrays, f"{prefix}_action", 2)
    if action.shape != (len(H.generators), N.order):
        raise ValueError(f"the stored action of {name!r} must have shape ({len(H.generators)}, {N.order}), "
                         f"got {action.shape}")
    G = semidirect_product(N, H, list(action))
    return G if G.name == name else SemidirectProduct(N, H, G.automorphisms, name=name)


def _decode_subgroup(meta, arrays, prefix, name, order, generators) -> Subgroup:
    """The :class:`~groupmat.groups.Subgroup` of a rebuilt parent with the stored embedding, which
    must be a sorted set of elements closed under products."""
    parent = _decode_group(meta.get("parent"), arrays, f"{prefix}_parent")
    members = _array(arrays, f"{prefix}_embedding", 1)
    if members.size != order:
        raise ValueError(f"the stored embedding of {name!r} has {members.size} elements, not {order}")
    if members.min() < 0 or members.max() >= parent.order or np.any(np.diff(members) <= 0):
        raise ValueError(f"the stored embedding must be increasing indices in 0..{parent.order - 1}")
    if not np.array_equal(parent.closure(members), members):
        raise ValueError("the stored embedding is not a sorted subgroup of its parent (not closed under products)")
    return Subgroup(parent, members, name=name, generators=members[list(generators)] if generators else None)


def _decode_table(meta, arrays, prefix, name, order, generators) -> TableGroup:
    table = _array(arrays, f"{prefix}_table", 2)
    if table.shape != (order, order):
        raise ValueError(f"the stored Cayley table of {name!r} must have shape ({order}, {order}), got {table.shape}")
    labels = meta.get("labels")
    if labels is not None:
        if not isinstance(labels, list) or len(labels) != order:
            raise ValueError(f"the stored labels of {name!r} must be a list of {order} labels")
        labels = [_label_from_json(x) for x in labels]
    return TableGroup(table, generators=generators or None, labels=labels, name=name)


def _decode_group_v1(meta: dict, arrays: dict, prefix: str) -> FiniteGroup:
    """A group of a version-1 bundle: by a spec string, its parent, its factors or its table."""
    from ..groups.spec import group as parse_group

    labels = meta.get("labels")
    if labels is not None:
        if not isinstance(labels, list):
            raise ValueError(f"the stored labels must be a list, got {type(labels).__name__}")
        labels = [_label_from_json(x) for x in labels]
    name = meta.get("name", "G")
    if not isinstance(name, str):
        raise ValueError(f"a stored group name must be a string, got {type(name).__name__}")
    if meta.get("subgroup"):
        info = meta["subgroup"]
        if not isinstance(info, dict):
            raise ValueError("the stored subgroup lacks its parent")
        parent = _decode_group(info.get("parent"), arrays, f"{prefix}_parent")
        members = _array(arrays, f"{prefix}_embedding", 1)
        if members.size == 0 or members.min() < 0 or members.max() >= parent.order:
            raise ValueError(f"the stored embedding holds indices outside 0..{parent.order - 1}")
        if not np.array_equal(parent.closure(members), members):
            raise ValueError("the stored embedding is not a sorted subgroup of its parent")
        G = Subgroup(parent, members, name=name, generators=info.get("generators") or None)
    elif meta.get("spec"):
        if not isinstance(meta["spec"], str):
            raise ValueError("the stored spec must be a string")
        G = parse_group(meta["spec"])
    elif meta.get("factors"):
        factors = meta["factors"]
        if not isinstance(factors, list):
            raise ValueError(f"the stored factors must be a list, got {type(factors).__name__}")
        G = DirectProduct([_decode_group(m, arrays, f"{prefix}_f{i}") for i, m in enumerate(factors)])
    else:
        table = arrays.get(f"{prefix}_table")
        if table is None:
            raise ValueError("the group is stored neither by a spec string nor by a Cayley table")
        G = TableGroup(table, labels=labels, name=name)
    if G.order != meta.get("order"):
        raise ValueError(f"the stored group {name!r} has order {meta.get('order')}, but it rebuilds with order "
                         f"{G.order}")
    if labels is not None and G.order <= MAX_LABELS_ORDER and [str(x) for x in G.labels] != [str(x) for x in labels]:
        raise ValueError(f"the stored group {name!r} rebuilds with other labels")
    return G


_SPEC_FORMS = {"cyclic": r"C[1-9]\d*", "dihedral": r"D[1-9]\d*", "dicyclic": r"Dic[1-9]\d*|Q[1-9]\d*",
               "sign": r"C2\^[1-9]\d*|V4|Sign[1-9]\d*", "symmetric": r"S[1-9]\d*", "alternating": r"A[1-9]\d*"}


def _spec_of(meta: dict):
    """The spec string (:func:`groupmat.group`) of a stored group when its name is one, else None."""
    build, name = meta.get("build"), meta.get("name")
    if not isinstance(name, str):
        return None
    if build is None:                                          # version 1
        return meta.get("spec")
    if build in _SPEC_FORMS:
        return name if re.fullmatch(_SPEC_FORMS[build], name) else None
    if build == "direct_product":
        parts = [_spec_of(f) for f in meta.get("factors", ())]
        if parts and None not in parts and name == "x".join(f"({p})" if ("x" in p or ":" in p) else p
                                                            for p in parts):
            return name
    return None


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


def encode(obj, metadata: dict | None = None, max_entries: int | None = None) -> tuple[str, dict, dict]:
    """The bundle of an object: ``(kind, arrays, header)``.

    Parameters
    ----------
    obj
        An array (group matrix, equivariant basis...), ``sympy.Matrix``, SciPy sparse matrix,
        Representation, GroupLDRMatrix (or its transpose), CharacterTable, PermutationAction or
        FiniteGroup.
    metadata : dict, optional
        User metadata: JSON values; ``group`` may be a FiniteGroup and ``labels`` a list (stored as
        strings). The keys ``format_version``, ``kind``, ``group_spec`` and ``group_labels`` are
        reserved (:func:`decode` returns them).
    max_entries : int, optional
        Refuse (ValueError, before building it) an array that would take the bundle over this many
        stored entries (:func:`groupmat.to_json` passes its bound); None: only the memory budget.

    Returns
    -------
    kind : str
        The object's kind (see :func:`groupmat.io.convert.object_kind`; a ``matrix_like`` object
        is stored as the ``array`` of its dense matrix; a PermutationAction is ``"permutation_action"``).
    arrays : dict of str to ndarray
        Numeric arrays (native byte order) and text arrays (exact values), C-contiguous.
    header : dict
        JSON-able: format tag and version, kind, ``info`` to rebuild the object, the names of the
        exact arrays, user metadata, shapes and dtypes. The writer adds ``checksum``.

    Raises
    ------
    TypeError
        An object or metadata value that cannot be stored.
    ValueError
        A reserved or non-finite metadata value; an exact value outside the exact-text grammar.
    TooLargeError
        A group that can only be stored by a Cayley table that is too large.
    """
    token = _ENTRY_LIMIT.set(None if max_entries is None else int(max_entries))
    try:
        return _encode(obj, {} if metadata is None else metadata)
    finally:
        _ENTRY_LIMIT.reset(token)


def _encode(obj, metadata: dict) -> tuple[str, dict, dict]:
    """:func:`encode` (its entry limit set)."""
    kind = "permutation_action" if isinstance(obj, PermutationAction) else object_kind(obj)
    arrays: dict[str, np.ndarray] = {}
    info: dict = {}
    exact: list[str] = []

    def put(name, values):
        _reserve(arrays, np.shape(values) if not hasattr(values, "shape") else values.shape, f"array {name!r}")
        arr, ex = values_array(values)
        if ex:
            arrays[name] = _encode_exact(arr)
            exact.append(name)
        else:
            arrays[name] = arr

    if kind == "group":
        info["group"] = _encode_group(obj, arrays)
    elif kind == "permutation_representation":
        sides = _regular_sides(obj)
        if sides is not None:
            info["regular_summands"] = sides  # rebuilt from the group: no index arrays stored
        else:
            _reserve(arrays, (obj.group.order, obj.dim), "the permutations of the representation")
            arrays["perms"] = np.asarray(obj.perms).astype(index_dtype(max(obj.dim, 1)))  # smallest index type
        info["group"] = _encode_group(obj.group, arrays)
        info["name"] = obj.name
        info["regular_side"] = obj.regular_side
    elif kind == "representation":
        _reserve(arrays, (obj.group.order, obj.dim, obj.dim), "the images of the representation")
        put("matrices", obj.matrices)
        info["group"] = _encode_group(obj.group, arrays)
        info["name"] = obj.name
        if isinstance(obj, IrreducibleRepresentation):
            info["annotations"] = _irreducible_to_json(obj)
    elif kind == "group_ldr":
        if isinstance(obj, TransposedGroupLDRMatrix):
            info["transposed"] = True
            obj = obj.T
        put("b", obj.b)
        put("U", obj.U)
        put("V", obj.V)
        info["group"] = _encode_group(obj.group, arrays)
        info["convention"] = getattr(obj, "convention", "ginv_h")
    elif kind == "character_table":
        G = getattr(obj, "group", None)
        if not isinstance(G, FiniteGroup):
            raise TypeError("a character table is saved with its group (obj.group must be a FiniteGroup); "
                            "save its values as an array otherwise")
        # what the table holds, never its classes as element lists (those of S12 would list the group):
        # the values, the class sizes and each class's representative (an element index, and the image
        # array for a permutation group), checked against the table recomputed from the group on reading
        put("values", obj.values)
        if obj.exact:
            put("exact_values", obj.exact_values)
        put("degrees", np.asarray(obj.degrees))
        put("class_sizes", obj.class_sizes)
        if obj.representatives is not None:
            arrays["representatives"] = np.asarray(obj.representatives, dtype=np.int64)
        if obj.class_permutations is not None:
            arrays["class_permutations"] = np.asarray(obj.class_permutations, dtype=np.int64)
        info["group"] = _encode_group(G, arrays)
    elif kind == "sparse":
        c = sp.coo_array(obj)
        c.sum_duplicates()
        arrays["row"], arrays["col"] = c.row.astype(np.int64), c.col.astype(np.int64)
        arrays["data"] = c.data
        info["shape"] = [int(s) for s in obj.shape]
        info["format"] = obj.format
        info["container"] = "array" if isinstance(obj, sp.sparray) else "matrix"
    elif kind == "permutation_action":
        # by its group and the generator images of each factor of each block (a natural action of S30
        # is two rows of 30 points): never the images on all dim points of a tensor product
        info["group"] = _encode_group(obj.group, arrays)
        info["name"] = obj.name
        info["blocks"] = [len(b.factors) for b in obj.blocks]
        for i, block in enumerate(obj.blocks):
            for j, f in enumerate(block.factors):
                _reserve(arrays, f.shape, f"the images of factor {j} of block {i} of the action")
                arrays[f"action_b{i}_f{j}"] = np.asarray(f).astype(index_dtype(max(f.shape[1], 1)))
    elif kind == "sympy_matrix":
        put("data", obj)
    elif kind == "matrix_like":
        kind = "array"  # stored (and read back) as its dense matrix
        if getattr(obj, "shape", None) is not None:
            _reserve(arrays, obj.shape, "the dense matrix")
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
    for name, arr in list(arrays.items()):
        if arr.dtype.kind != "U" and not _storable_dtype(arr.dtype):
            raise TypeError(f"cannot store array {name!r} of dtype {arr.dtype}: groupmat files hold booleans, "
                            "integers, float16/32/64 and complex64/128 (longdouble differs between platforms); "
                            "cast it, e.g. to float64")
        if arr.dtype.kind != "U" and not arr.dtype.isnative:
            arr = arr.astype(arr.dtype.newbyteorder("="))
        arrays[name] = arr if arr.flags.c_contiguous else np.array(arr, order="C")     # (keeps 0-d arrays 0-d)
    header = {"format": _FORMAT_TAG, "version": FORMAT_VERSION, "kind": kind, "info": info, "exact": exact,
              "user": user, "shapes": {k: list(v.shape) for k, v in arrays.items()},
              "dtypes": {k: v.dtype.str if v.dtype.kind != "U" else "text" for k, v in arrays.items()}}
    return kind, arrays, header


def checksum(arrays: dict, header: dict) -> str:
    """The SHA-256 checksum (hex) of a bundle: of its header (without ``checksum``) and its arrays.

    Text arrays enter as JSON lists, numeric ones by dtype and bytes; names and shapes too, so any
    change of content, type or layout changes it. It detects accidental corruption; it is no
    authentication (anyone can recompute it for an edited file).

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
            h.update(np.array(arr, order="C", copy=None).reshape(-1).view(np.uint8))    # the bytes, no copy
        h.update(str(arr.shape).encode())
    return h.hexdigest()


def header_from_text(text, where: str):
    """The JSON value of a header (or a JSON document) text; a ValueError naming ``where`` for text
    that is not JSON or is nested deeper than :data:`MAX_HEADER_DEPTH`.

    Examples
    --------
    >>> from groupmat.io.bundle import header_from_text
    >>> header_from_text('{"a": [1, 2]}', "text")
    {'a': [1, 2]}
    >>> header_from_text("[" * 100000, "text")
    Traceback (most recent call last):
    ...
    ValueError: text is corrupted: its metadata is nested too deeply to be a groupmat header
    """
    try:
        doc = json.loads(text)
    except RecursionError:
        raise ValueError(f"{where} is corrupted: its metadata is nested too deeply to be a groupmat header") from None
    except (ValueError, TypeError) as err:    # JSONDecodeError and UnicodeDecodeError are ValueErrors
        raise ValueError(f"{where} is corrupted: its metadata is not valid JSON (truncated?): {err}") from None
    stack = [(doc, 0)]
    while stack:
        value, depth = stack.pop()
        if depth > MAX_HEADER_DEPTH:
            raise ValueError(f"{where} is corrupted: its metadata is nested too deeply to be a groupmat header")
        if isinstance(value, dict):
            stack.extend((v, depth + 1) for v in value.values())
        elif isinstance(value, list):
            stack.extend((v, depth + 1) for v in value)
    return doc


def _storable_dtype(dt: np.dtype) -> bool:
    """Booleans, integers, floats up to 64 bits and complex numbers up to 128 bits: the dtypes every
    format stores and reads back exactly (``longdouble`` differs between platforms: never stored)."""
    return dt.kind in "biu" or (dt.kind == "f" and dt.itemsize <= 8) or (dt.kind == "c" and dt.itemsize <= 16)


def _declared_dtype(name: str, text, where: str):
    """The dtype of a stored array (``"text"`` for text), from its header entry."""
    if text == "text":
        return "text"
    if not isinstance(text, str) or not _NUMERIC_DTYPE.fullmatch(text):
        raise ValueError(f"{where} is corrupted: array {name!r} has an unknown dtype {text!r}")
    try:
        dt = np.dtype(text)
    except TypeError:
        dt = np.dtype(object)                        # e.g. "<f9": no such dtype
    if not _storable_dtype(dt):
        raise ValueError(f"{where} is corrupted: array {name!r} has an unsupported dtype {text!r}")
    return dt


def check_header(header, where: str, allow_missing_checksum: bool = False) -> dict:
    """``header`` when it is a well-formed groupmat bundle header of a readable version; a ValueError
    naming ``where`` (a path, or "JSON text") otherwise.

    Checks the format tag and version, the types of every entry, that the names of arrays are
    plain, that every declared array fits the memory budget (``GROUPMAT_MAX_BYTES``, a
    :class:`~groupmat._validation.TooLargeError` otherwise, before anything is read) and that the
    checksum is present (unless ``allow_missing_checksum``).
    """
    if not isinstance(header, dict) or header.get("format") != _FORMAT_TAG:
        raise ValueError(f"{where} is not a groupmat export (no {_FORMAT_TAG!r} header)")
    version = header.get("version")
    if version not in READABLE_VERSIONS or isinstance(version, bool):
        raise ValueError(f"{where} was written by groupmat export format version {version!r}; this groupmat "
                         f"reads versions {', '.join(map(str, READABLE_VERSIONS))}")
    for key, kind in (("kind", str), ("info", dict), ("exact", list), ("user", dict), ("shapes", dict),
                      ("dtypes", dict)):
        if key not in header:
            raise ValueError(f"{where} is corrupted: its metadata lacks {key!r}")
        if not isinstance(header[key], kind):
            raise ValueError(f"{where} is corrupted: its metadata entry {key!r} must be a {kind.__name__}, "
                             f"got {type(header[key]).__name__}")
    if header["kind"] not in _KINDS:
        raise ValueError(f"{where} is corrupted: unknown object kind {header['kind']!r}")
    if "checksum" not in header:
        if not allow_missing_checksum:
            raise ValueError(f"{where} has no checksum, so its integrity cannot be checked; pass "
                             "allow_missing_checksum=True to read it anyway")
    elif not isinstance(header["checksum"], str) or not _CHECKSUM.fullmatch(header["checksum"]):
        raise ValueError(f"{where} is corrupted: its checksum is not a SHA-256 hex digest")
    shapes, dtypes, exact = header["shapes"], header["dtypes"], header["exact"]
    if len(shapes) > MAX_ARRAYS:
        raise ValueError(f"{where} is corrupted: it declares {len(shapes)} arrays, more than {MAX_ARRAYS}")
    if set(shapes) != set(dtypes):
        raise ValueError(f"{where} is corrupted: the arrays of its shapes and dtypes differ")
    if not all(isinstance(e, str) and dtypes.get(e) == "text" for e in exact) or \
            sum(d == "text" for d in dtypes.values()) != len(set(exact)):
        raise ValueError(f"{where} is corrupted: its exact arrays must be exactly its text arrays")
    for name, shape in shapes.items():
        if not _NAME.fullmatch(name):
            raise ValueError(f"{where} is corrupted: {name[:40]!r} is not an array name")
        if not isinstance(shape, list) or len(shape) > MAX_NDIM or \
                not all(isinstance(s, int) and not isinstance(s, bool) and s >= 0 for s in shape):
            raise ValueError(f"{where} is corrupted: array {name!r} has no valid shape ({str(shape)[:40]})")
        dt = _declared_dtype(name, dtypes[name], where)
        check_size(shape, 8 if isinstance(dt, str) else dt.itemsize, f"array {name!r} of {where}", how=READ_WAY_OUT)
    return header


def declared(header: dict, name: str):
    """``(shape, dtype)`` of array ``name`` of a header checked by :func:`check_header` (dtype
    ``"text"`` for text)."""
    return tuple(header["shapes"][name]), _declared_dtype(name, header["dtypes"][name], "the bundle")


def decode(arrays: dict, header, where: str, return_metadata: bool = False, allow_missing_checksum: bool = False):
    """Rebuild the object of a bundle (and its metadata), checking everything first.

    Parameters
    ----------
    arrays : dict of str to ndarray
        As :func:`encode` gave them (text arrays as ``str`` arrays).
    header : dict
        As :func:`encode` gave it, with the ``checksum`` the writer added.
    where : str
        What the bundle was read from, for the error messages.
    return_metadata : bool
        Also return the user metadata (with ``group`` rebuilt as a FiniteGroup), the
        ``format_version``, the ``kind`` and, for objects with a group, ``group_spec`` (its spec
        string for :func:`groupmat.group`, or None) and ``group_labels`` (None above
        :data:`MAX_LABELS_ORDER` elements).
    allow_missing_checksum : bool
        Read a bundle without a checksum (a checksum that is present is always checked).

    Returns
    -------
    object or (object, dict)

    Raises
    ------
    ValueError
        Another format version, a missing, extra or misshapen array, a missing or wrong checksum, or
        an object that fails its own checks (naming ``where``).
    """
    header = check_header(header, where, allow_missing_checksum)
    if set(arrays) != set(header["shapes"]):
        missing = sorted(set(header["shapes"]) - set(arrays))
        what = f"array {missing[0]!r} is missing" if missing else \
            f"it holds arrays its metadata does not declare ({sorted(set(arrays) - set(header['shapes']))[0]!r})"
        raise ValueError(f"{where} is corrupted or truncated: {what}")
    for name in header["shapes"]:
        shape, dtype = declared(header, name)
        arr = arrays[name]
        if arr.shape != shape:
            raise ValueError(f"{where} is corrupted: array {name!r} has shape {arr.shape}, expected {shape}")
        if (arr.dtype.kind != "U") if isinstance(dtype, str) else (arr.dtype != dtype):
            raise ValueError(f"{where} is corrupted: array {name!r} has dtype {arr.dtype}, expected {dtype}")
    if "checksum" in header and checksum(arrays, header) != header["checksum"]:
        raise ValueError(f"{where} is corrupted: its content does not match its SHA-256 checksum")
    try:
        obj = _build(header["kind"], arrays, header)
        if not return_metadata:
            return obj
        user = dict(header["user"])
        if isinstance(user.get("group"), dict) and "__group__" in user["group"]:
            user["group"] = _decode_group(user["group"]["__group__"], arrays, prefix="meta_group")
        user["format_version"] = header["version"]
        user["kind"] = header["kind"]
        group_meta = header["info"].get("group")
        if isinstance(group_meta, dict):
            G = obj if header["kind"] == "group" else obj.group
            user.setdefault("group_spec", _spec_of(group_meta))
            user.setdefault("group_labels", G.labels if G.order <= MAX_LABELS_ORDER else None)
        return obj, user
    except TooLargeError:
        raise
    except _REBUILD_ERRORS as err:
        raise ValueError(f"{where} is corrupted: cannot rebuild its {header['kind']!r} object "
                         f"({type(err).__name__}: {str(err)[:300]})") from err


def read_error(path, err) -> ValueError:
    """The ValueError for a file that its format's reader could not read at all (corrupted or truncated)."""
    return ValueError(f"{path} is not a readable groupmat file (corrupted or truncated?): "
                      f"{type(err).__name__}: {str(err)[:300]}")


def _build(kind: str, arrays: dict, header: dict):
    info, exact = header["info"], set(header["exact"])

    def get(name):
        arr = arrays[name]
        return _decode_exact(arr) if name in exact else arr

    G = _decode_group(info["group"], arrays) if "group" in info else None
    if kind == "group":
        if G is None:
            raise ValueError("a stored group lacks its description")
        return G
    if kind in ("permutation_representation", "representation", "group_ldr", "character_table",
                "permutation_action") and G is None:
        raise ValueError(f"a stored {kind} lacks its group")
    if kind == "permutation_representation" and info.get("regular_summands"):
        sides = info["regular_summands"]
        if not isinstance(sides, list) or not all(side in ("left", "right") for side in sides):
            raise ValueError(f"regular summands must be 'left' or 'right', got {str(sides)[:80]}")
        if len(sides) == 1:
            return _regular(G, sides[0], info.get("name"))
        names = info.get("summand_names") or [None] * len(sides)
        if not isinstance(names, list) or len(names) != len(sides):
            raise ValueError(f"{len(sides)} regular summands, but {len(names)} summand names")
        return direct_sum(*[_regular(G, side, name) for side, name in zip(sides, names)], name=info.get("name"))
    if kind == "permutation_representation":
        perms = arrays["perms"]
        if perms.ndim != 2 or perms.shape[0] != G.order:
            raise ValueError(f"the permutations must have shape ({G.order}, d), got {perms.shape}")
        rep = PermutationRepresentation(G, perms, check=True, name=info.get("name"))
        side = info.get("regular_side")
        if side and not np.array_equal(rep.perms, regular_permutations(G, side)):
            raise ValueError(f"it is stored as the {side} regular representation, but its permutations are not")
        return _with_summands(rep, info)
    if kind == "representation":
        if arrays["matrices"].ndim != 3 or arrays["matrices"].shape[0] != G.order:
            raise ValueError(f"the images must have shape ({G.order}, d, d), got {arrays['matrices'].shape}")
        if "annotations" in info:
            return IrreducibleRepresentation(G, get("matrices"), check=True, name=info.get("name"),
                                             **_irreducible_from_json(info["annotations"]))
        rep = Representation(G, get("matrices"), check=True, name=info.get("name"))
        return _with_summands(rep, info)
    if kind == "group_ldr":
        M = GroupLDRMatrix(G, get("b"), get("U"), get("V"))
        return M.T if info.get("transposed") is True else M
    if kind == "character_table":
        return _character_table(G, arrays, get)
    if kind == "permutation_action":
        return _permutation_action(G, arrays, info)
    if kind == "sparse":
        shape = info.get("shape")
        if not isinstance(shape, list) or len(shape) != 2 or not all(isinstance(s, int) and s >= 0 for s in shape):
            raise ValueError(f"a sparse matrix needs a stored shape of two sizes, got {str(shape)[:80]}")
        fmt = info.get("format")
        if fmt not in SPARSE_FORMATS:
            raise ValueError(f"unknown sparse format {str(fmt)[:20]!r}")
        check_size((max(shape) + 1,), 8, "the index pointers of the stored sparse matrix", how=READ_WAY_OUT)
        row, col, data = arrays["row"], arrays["col"], arrays["data"]
        if row.ndim != 1 or row.shape != col.shape or row.shape != data.shape or row.dtype.kind not in "iu" \
                or col.dtype.kind not in "iu":
            raise ValueError("a sparse matrix needs 1-d integer rows and columns as long as its data")
        coo = sp.coo_array((data, (row, col)), shape=tuple(shape))
        out = coo.asformat(fmt)
        return out if info.get("container") == "array" else sp.coo_matrix(coo).asformat(fmt)
    if kind == "sympy_matrix":
        import sympy

        data = get("data")
        if data.ndim != 2:
            raise ValueError(f"a sympy Matrix needs 2-d data, got shape {data.shape}")
        return sympy.Matrix(data.tolist()) if data.size else sympy.zeros(*data.shape)
    return get("data")                   # kind == "array" (check_header knows no other kind)


def _character_table(G, arrays: dict, get):
    """The character table of ``G`` (computed), checked against the stored values, degrees and classes
    (their sizes and representatives; or, in files of groupmat before issue 12, their elements)."""
    from ..reps.characters import character_table
    from ..tolerances import roundoff

    T = character_table(G)
    if "classes" in arrays:                                       # the classes as element lists
        classes_flat, offsets = arrays["classes"], arrays["class_offsets"]
        if classes_flat.ndim != 1 or classes_flat.size != G.order or offsets.ndim != 1 or offsets.size < 2:
            raise ValueError(f"the stored classes must partition the {G.order} elements of {G.name}")
        classes = [classes_flat[offsets[i]:offsets[i + 1]] for i in range(offsets.size - 1)]
        if len(classes) != len(T.classes) or not all(np.array_equal(a, b) for a, b in zip(classes, T.classes)):
            raise ValueError(f"the stored classes are not the conjugacy classes of {G.name} in groupmat's order")
    else:
        sizes = get("class_sizes")
        if sizes.shape != T.class_sizes.shape or [int(x) for x in sizes.tolist()] != \
                [int(x) for x in T.class_sizes.tolist()]:
            raise ValueError(f"the stored class sizes are not those of the conjugacy classes of {G.name}")
        for name, ours in (("representatives", T.representatives), ("class_permutations", T.class_permutations)):
            if (name in arrays) != (ours is not None) or (ours is not None and
                                                         not np.array_equal(arrays[name], np.asarray(ours))):
                raise ValueError(f"the stored class {name.replace('_', ' ')} are not those of the conjugacy "
                                 f"classes of {G.name} in groupmat's order")
    values = get("values")
    degrees = get("degrees")
    numeric = to_numeric(values) if values.dtype == object else values
    if numeric.shape != T.values.shape or not np.array_equal(np.asarray(degrees, dtype=object).astype(np.int64),
                                                             T.degrees):
        raise ValueError(f"the stored values or degrees do not match the character table of {G.name}")
    tol = roundoff(np.complex128, scale=float(np.max(np.abs(T.values), initial=1.0)), terms=min(G.order, 2**53))
    if not np.allclose(numeric, T.values, rtol=0, atol=tol):
        raise ValueError(f"the stored values are not the character table of {G.name}")
    if "exact_values" in arrays:
        stored = get("exact_values")
        if T.exact_values is None or stored.shape != T.exact_values.shape or \
                not all(a == b for a, b in zip(stored.flat, T.exact_values.flat)):
            raise ValueError(f"the stored exact values are not the character table of {G.name}")
    return T


def _permutation_action(G, arrays: dict, info: dict) -> PermutationAction:
    """A :class:`~groupmat.reps.PermutationAction` from the stored images of each factor of each block,
    each checked by the class (one permutation of its points per generator of ``G``)."""
    blocks = info.get("blocks")
    name = info.get("name")
    if not isinstance(blocks, list) or not blocks or not all(isinstance(m, int) and not isinstance(m, bool)
                                                             and m >= 1 for m in blocks):
        raise ValueError(f"a permutation action needs its blocks' factor counts, got {str(blocks)[:80]}")
    if sum(blocks) != len(arrays) - sum(1 for k in arrays if not k.startswith("action_")):
        raise ValueError("the stored action arrays do not match its blocks")
    if not isinstance(name, str):
        raise ValueError(f"a stored action name must be a string, got {type(name).__name__}")
    out = []
    for i, m in enumerate(blocks):
        factors = []
        for j in range(m):
            images = _array(arrays, f"action_b{i}_f{j}", 2)
            factors.append(PermutationAction(G, images).blocks[0].factors[0])      # checked by the class
        out.append(ActionBlock(tuple(factors)))
    return PermutationAction(G, name=name, blocks=tuple(out))


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
    return regular_representation(G, side, name=name)    # declares its side (left = right for C_2^k)


def _with_summands(rep, info: dict):
    """``rep`` as the direct sum of its stored summands (the diagonal blocks), when it has several.

    The sum rebuilt from the blocks must have the images of ``rep``: blocks off the diagonal are
    zero (a permutation maps each block into itself).
    """
    dims = info.get("summand_dims")
    if not dims:
        return rep
    if not isinstance(dims, list) or not all(isinstance(d, int) and d >= 1 for d in dims) or sum(dims) != rep.dim:
        raise ValueError(f"summand dimensions {str(dims)[:80]} do not add up to the dimension {rep.dim}")
    names = info.get("summand_names") or [None] * len(dims)
    sides = info.get("summand_regular_sides") or [None] * len(dims)
    if not (isinstance(names, list) and isinstance(sides, list) and len(names) == len(sides) == len(dims)):
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
    total = direct_sum(*out, name=rep.name)
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


def target_path(path, suffix: str) -> str:
    """The path a writer writes to: ``suffix`` appended unless the file name already ends in it (in
    any letter case); refused (ValueError) when ``path`` is a folder, a device or another
    non-regular file, or lies in a folder that does not exist, before anything is written.

    Examples
    --------
    >>> import os, tempfile
    >>> from groupmat.io.bundle import target_path
    >>> folder = tempfile.mkdtemp()
    >>> os.path.basename(target_path(os.path.join(folder, "a"), ".npz"))
    'a.npz'
    >>> os.path.basename(target_path(os.path.join(folder, "b.NPZ"), ".npz"))
    'b.NPZ'
    >>> target_path(folder, ".npz")
    Traceback (most recent call last):
    ...
    ValueError: path '...' is a folder; give a file path inside it
    """
    # the path as given: /dev/full is refused, not /dev/full.npz made (its permission matters only if written)
    path = check_target(path, "path", writable=False)
    if not path.lower().endswith(suffix.lower()):
        path += suffix
    return check_target(path, "path")


def source_path(path) -> str:
    """The path a reader reads, as a string, after refusing what is not a regular file: a device
    (``/dev/zero`` would be read until memory runs out), a pipe (a FIFO blocks until a writer comes), a
    socket or a folder, before it is opened.

    Raises
    ------
    TypeError
        ``path`` is not a str or ``os.PathLike``.
    FileNotFoundError
        No such file.
    ValueError
        ``path`` is not a regular file.

    Examples
    --------
    >>> from groupmat.io.bundle import source_path
    >>> source_path("/dev/zero")
    Traceback (most recent call last):
    ...
    ValueError: path '/dev/zero' is not a regular file (a character device); groupmat reads only regular files
    """
    if not isinstance(path, (str, os.PathLike)):
        raise TypeError(f"path must be a str or os.PathLike file path, got {type(path).__name__}")
    path = os.fspath(path)
    try:
        mode = os.stat(path).st_mode                  # through symbolic links; never opens the file
    except FileNotFoundError:
        raise FileNotFoundError(f"no such file: {path!r}") from None
    if not stat.S_ISREG(mode):
        what = ("a folder" if stat.S_ISDIR(mode) else "a character device" if stat.S_ISCHR(mode) else
                "a block device" if stat.S_ISBLK(mode) else "a pipe (FIFO)" if stat.S_ISFIFO(mode) else
                "a socket" if stat.S_ISSOCK(mode) else "not a file")
        raise ValueError(f"path {path!r} is not a regular file ({what}); groupmat reads only regular files")
    return path
