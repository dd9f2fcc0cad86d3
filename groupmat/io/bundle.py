"""Export of groupmat objects to NumPy, SciPy, PyTorch, JAX, DLPack, files, JSON and LaTeX.

One dispatch, :func:`to_numpy`, turns every matrix-like object of groupmat into arrays: group
matrices (ndarray, ``sympy.Matrix``, SciPy sparse), :class:`~groupmat.Representation` and
:class:`~groupmat.PermutationRepresentation` (the ``(n, d, d)`` images), equivariant bases
(arrays of shape ``(dim, d_out, d_in)``), GM-LDR matrices (anything with ``.dense()``, ``.b``,
``.U``, ``.V`` and ``.group``), character tables (anything with ``.values``, ``.classes`` and
``.degrees``) and finite groups (their Cayley table). The other converters build on it.

Files: :func:`save_npz` / :func:`load_npz` and :func:`save_mat` / :func:`load_mat` write one object with
its metadata: the group (by its spec string, e.g. ``"D6"`` or ``"C4xC2"``, when
``groupmat.group(G.name)`` rebuilds the same group in the same element order; a direct product
otherwise by the encodings of its factors, rebuilt with :func:`groupmat.direct_product`; any other
group by its Cayley table when ``|G| <= 2048``; otherwise saving is refused), the element labels
(strings and integers as they are, tuple labels of products as lists, anything else as a string),
the annotations of irreducible representations (``frobenius_schur``, ``type``,
``complex_indices``...),
the convention, any user metadata (JSON values), a format version and a SHA-256 checksum of the
content. Permutation representations are stored as index arrays (never dense), and direct sums of
regular representations by reference to their group alone. No pickle is used anywhere
(``np.load(..., allow_pickle=False)``). Exact (SymPy) values are stored as text that
:func:`sympy.sympify` reads back to the identical expression; the text is checked before it is
parsed (no Python builtins, attribute access or private names), but treat files from untrusted
sources with the care you give any input that is parsed.

Reading a file of another format version, a truncated or corrupted file, or one whose content
does not match its checksum raises ``ValueError``: never a partial object.
"""
from __future__ import annotations

import builtins
import hashlib
import json
import os
import re
from collections.abc import Mapping

import numpy as np
import scipy.sparse as sp

from .._exact import is_symbolic, to_numeric, to_object_array
from .._validation import check_choice, check_size
from ..groups.core import FiniteGroup, index_dtype
from ..reps.representation import PermutationRepresentation, Representation

__all__ = ["to_numpy", "to_scipy_sparse", "to_torch", "to_jax", "to_dlpack", "from_dlpack", "save_npz",
           "load_npz", "save_mat", "load_mat", "to_json", "from_json", "to_latex"]

#: The version of the file layout written by this module (npz, mat and JSON alike).
FORMAT_VERSION = 1
_FORMAT_TAG = "groupmat-export"
#: Groups whose name does not parse back are stored by their Cayley table up to this order.
MAX_TABLE_ORDER = 2048
#: Element labels are stored (tuples as JSON lists, other objects as strings) up to this order.
MAX_LABELS_ORDER = 65536
#: JSON is for small objects: at most this many stored entries.
MAX_JSON_ENTRIES = 10**6
_RESERVED_KEYS = ("format_version", "kind", "group_spec", "group_labels")
_SPARSE_FORMATS = ("csr", "csc", "coo", "bsr", "lil", "dok", "dia")


# ---------------------------------------------------------------------------------------------- kinds
def _is_ldr(obj) -> bool:
    return all(hasattr(obj, a) for a in ("b", "U", "V", "group", "dense"))


def _is_character_table(obj) -> bool:
    return all(hasattr(obj, a) for a in ("values", "classes", "degrees"))


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


def _table_values(table, exact: bool):
    """The values of a character table: its ``exact_values`` (SymPy) when asked and known."""
    ev = getattr(table, "exact_values", None) if exact else None
    return ev if ev is not None else table.values


def _kind(obj) -> str:
    if isinstance(obj, FiniteGroup):
        return "group"
    if isinstance(obj, PermutationRepresentation):
        return "permutation_representation"
    if isinstance(obj, Representation):
        return "representation"
    if _is_ldr(obj):
        return "group_ldr"
    if _is_character_table(obj):
        return "character_table"
    if sp.issparse(obj):
        return "sparse"
    import sympy

    if isinstance(obj, sympy.MatrixBase):
        return "sympy_matrix"
    if isinstance(obj, (np.ndarray, list, tuple, np.generic, int, float, complex)) or hasattr(obj, "__array__"):
        return "array"
    if callable(getattr(obj, "dense", None)):
        return "matrix_like"  # e.g. a transposed GM-LDR matrix: exported through its dense matrix
    raise TypeError(
        f"obj must be a groupmat object (array, sympy.Matrix, SciPy sparse matrix, Representation, "
        f"GroupLDRMatrix, character table or FiniteGroup), got {type(obj).__name__}")


def _values_array(values):
    """``(array, exact)`` for numeric or SymPy values (ndarray, sympy Matrix, nested lists)."""
    import sympy

    if isinstance(values, sympy.MatrixBase) or is_symbolic(values):
        return to_object_array(values), True
    arr = np.asarray(values)
    if arr.dtype == object:
        return to_object_array(arr), True
    if arr.dtype.kind not in "biufc":
        raise TypeError(f"values must be numeric or SymPy, got dtype {arr.dtype}")
    return arr, False


# ---------------------------------------------------------------------------------------------- numpy
def to_numpy(obj, exact: bool = False) -> np.ndarray:
    """The array of a groupmat object.

    Parameters
    ----------
    obj : ndarray, sympy.Matrix, scipy sparse, Representation, GroupLDRMatrix, character table or FiniteGroup
        Representations give their images, shape ``(n, d, d)`` (permutation representations as
        dense 0/1 matrices: use :func:`to_scipy_sparse` to keep them sparse); GM-LDR matrices
        their dense matrix; character tables ``values[k, c]``; groups their Cayley table.
    exact : bool
        Keep exact (SymPy) values as an object array instead of evaluating them to float/complex.

    Returns
    -------
    ndarray
        It may share memory with ``obj`` (no copy is made when none is needed).

    Raises
    ------
    TypeError
        ``obj`` is none of the above.
    TooLargeError
        A dense result that would not fit in memory (before allocating).

    Examples
    --------
    >>> import groupmat as gm, sympy
    >>> rho = gm.regular_representation(gm.cyclic(3))
    >>> gm.to_numpy(rho).shape
    (3, 3, 3)
    >>> gm.to_numpy(sympy.Matrix([[1, sympy.Rational(1, 2)]]))
    array([[1. , 0.5]])
    """
    kind = _kind(obj)
    if kind == "group":
        return obj.cayley_table()
    if kind == "permutation_representation":
        return obj.matrices
    if kind == "representation":
        mats = obj.matrices
        return mats if (exact or not obj.exact) else to_numeric(mats)
    if kind in ("group_ldr", "matrix_like"):
        return np.asarray(obj.dense())
    if kind == "character_table":
        arr, ex = _values_array(_table_values(obj, exact))
        return arr if (exact or not ex) else to_numeric(arr)
    if kind == "sparse":
        check_size(obj.shape, obj.dtype.itemsize, "the dense form of a sparse matrix")
        return obj.toarray()
    arr, ex = _values_array(obj)
    return arr if (exact or not ex) else to_numeric(arr)


def to_scipy_sparse(obj, format: str = "csr"):
    """A SciPy sparse form of a groupmat object.

    Parameters
    ----------
    obj
        A 2-d object (group matrix, sparse matrix, GM-LDR matrix, character table) gives one sparse
        array; a representation gives a list of ``n`` sparse ``d x d`` arrays (``result[g]`` is
        ``rho(g)``; permutation representations are built from their index arrays, never dense);
        a 3-d array (e.g. an equivariant basis) gives a list along its first axis.
    format : {"csr", "csc", "coo", "bsr", "lil", "dok", "dia"}

    Returns
    -------
    scipy.sparse array or list of them

    Examples
    --------
    >>> import groupmat as gm
    >>> P = gm.to_scipy_sparse(gm.regular_representation(gm.cyclic(1000)))
    >>> len(P), P[1].nnz, P[1].format
    (1000, 1000, 'csr')
    """
    check_choice(format, "format", _SPARSE_FORMATS)
    kind = _kind(obj)
    if kind == "sparse":
        return sp.csr_array(obj).asformat(format) if not isinstance(obj, sp.sparray) else obj.asformat(format)
    if kind == "permutation_representation":
        d = obj.dim
        ptr = np.arange(d + 1)
        ones = np.ones(d)
        return [sp.csc_array((ones, p, ptr), shape=(d, d)).asformat(format) for p in obj.perms]
    arr = to_numpy(obj)
    if arr.ndim == 3:
        return [sp.csr_array(m).asformat(format) for m in arr]
    if arr.ndim == 1:
        arr = arr[None, :]
    if arr.ndim != 2:
        raise ValueError(f"obj must be 1-, 2- or 3-dimensional for a sparse form, got shape {arr.shape}")
    return sp.csr_array(arr).asformat(format)


def _coo_of(obj):
    """``(indices (ndim, nnz), values, shape)`` of a sparse form, without a dense intermediate."""
    kind = _kind(obj)
    if kind == "permutation_representation":
        n, d = obj.perms.shape
        g = np.repeat(np.arange(n), d)
        cols = np.tile(np.arange(d), n)
        return np.stack([g, obj.perms.ravel(), cols]), np.ones(n * d), (n, d, d)
    if kind == "sparse":
        c = sp.coo_array(obj)
        c.sum_duplicates()
        return np.stack([c.row, c.col]).astype(np.int64), c.data, c.shape
    arr = to_numpy(obj)
    idx = np.nonzero(arr)
    return np.stack(idx).astype(np.int64) if arr.ndim else np.zeros((0, 0), np.int64), arr[idx], arr.shape


# ---------------------------------------------------------------------------------------------- torch / jax / dlpack
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
        idx, vals, shape = _coo_of(obj)
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

        idx, vals, shape = _coo_of(obj)
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
    >>> a = gm.to_dlpack(gm.group_matrix(gm.cyclic(3), [1.0, 2.0, 3.0]))
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
    >>> gm.from_dlpack(np.arange(3.0)).tolist()
    [0.0, 1.0, 2.0]
    """
    if not hasattr(x, "__dlpack__"):
        raise TypeError(f"x must support the DLPack protocol (__dlpack__), got {type(x).__name__}")
    return np.from_dlpack(x)


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
        if not np.array_equal(H._mul(e, np.int64(s)), G._mul(e, np.int64(s))):
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


#: Annotations that irreducible representations carry (see :func:`groupmat.irreps`), stored when present.
_REP_ANNOTATIONS = ("frobenius_schur", "type", "complex_indices", "index", "field")


def _annotations_to_json(rep) -> dict:
    out = {}
    for attr in _REP_ANNOTATIONS:
        if hasattr(rep, attr):
            value = getattr(rep, attr)
            out[attr] = {"tuple": True, "value": _json_value(list(value), attr)} if isinstance(value, tuple) \
                else {"tuple": False, "value": _json_value(value, attr)}
    return out


def _annotations_from_json(rep, annotations) -> None:
    if not isinstance(annotations, dict):
        raise ValueError(f"representation annotations must be a dict, got {type(annotations).__name__}")
    for attr, entry in annotations.items():
        if attr not in _REP_ANNOTATIONS or not isinstance(entry, dict) or "value" not in entry:
            raise ValueError(f"unknown or malformed representation annotation {attr!r}")
        value = entry["value"]
        setattr(rep, attr, tuple(value) if entry.get("tuple") else value)


def _encode_group(G: FiniteGroup, arrays: dict, prefix: str = "group") -> dict:
    from ..groups.products import DirectProduct
    from ..groups.spec import group as parse_group

    meta = {"name": G.name, "order": G.order, "class": type(G).__name__}
    try:
        H = parse_group(G.name)
    except (ValueError, TypeError):
        H = None
    if H is not None and _same_group(H, G):
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


def _decode_group(meta: dict, arrays: dict, prefix: str = "group") -> FiniteGroup:
    from ..groups.spec import group as parse_group
    from ..groups.table import from_cayley_table

    labels = meta.get("labels")
    if labels is not None:
        if not isinstance(labels, list):
            raise ValueError(f"the stored labels must be a list, got {type(labels).__name__}")
        labels = [_label_from_json(x) for x in labels]
    if meta.get("spec"):
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

    Checked against :func:`groupmat.regular_permutations`, so that a representation is stored by
    reference to its group only when it is exactly that sum.
    """
    from ..matrices.group_matrices import regular_permutations

    sides = [getattr(r, "regular_side", None) for r in rep.summands]
    if None in sides or any(r.group is not rep.group for r in rep.summands):
        return None
    n = rep.group.order
    if rep.dim != n * len(sides):
        return None
    expected = {side: regular_permutations(rep.group, side) for side in set(sides)}
    for k, side in enumerate(sides):
        if not np.array_equal(rep.perms[:, k * n:(k + 1) * n] - k * n, expected[side]):
            return None
    return sides


def _to_bundle(obj, metadata: dict) -> tuple[str, dict, dict]:
    """``(kind, arrays, meta)``: the content of any exportable object as plain arrays and JSON."""
    kind = _kind(obj)
    arrays: dict[str, np.ndarray] = {}
    info: dict = {}
    exact: list[str] = []

    def put(name, values):
        arr, ex = _values_array(values)
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
        info["regular_side"] = getattr(obj, "regular_side", None)
    elif kind == "representation":
        put("matrices", obj.matrices)
        info["group"] = _encode_group(obj.group, arrays)
        info["name"] = obj.name
        annotations = _annotations_to_json(obj)
        if annotations:
            info["annotations"] = annotations
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
        info["summand_regular_sides"] = [getattr(r, "regular_side", None) for r in obj.summands]

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
    meta = {"format": _FORMAT_TAG, "version": FORMAT_VERSION, "kind": kind, "info": info, "exact": exact,
            "user": user, "shapes": {k: list(v.shape) for k, v in arrays.items()},
            "dtypes": {k: v.dtype.str if v.dtype.kind != "U" else "text" for k, v in arrays.items()}}
    return kind, arrays, meta


def _checksum(arrays: dict, meta: dict) -> str:
    h = hashlib.sha256()
    core = {k: v for k, v in meta.items() if k != "checksum"}
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


def _check_meta(meta, where: str) -> dict:
    if not isinstance(meta, dict) or meta.get("format") != _FORMAT_TAG:
        raise ValueError(f"{where} is not a groupmat export (no {_FORMAT_TAG!r} header)")
    version = meta.get("version")
    if version != FORMAT_VERSION:
        raise ValueError(f"{where} was written by groupmat export format version {version!r}; this groupmat "
                         f"reads version {FORMAT_VERSION} only")
    for key in ("kind", "info", "exact", "user", "shapes", "dtypes"):
        if key not in meta:
            raise ValueError(f"{where} is corrupted: its metadata lacks {key!r}")
    return meta


def _from_bundle(arrays: dict, meta: dict, where: str, return_metadata: bool):
    """Rebuild the object (and the user metadata) from arrays and metadata, checking everything."""
    meta = _check_meta(meta, where)
    for name, shape in meta["shapes"].items():
        if name not in arrays:
            raise ValueError(f"{where} is corrupted or truncated: array {name!r} is missing")
        if list(arrays[name].shape) != list(shape):
            raise ValueError(f"{where} is corrupted: array {name!r} has shape {arrays[name].shape}, "
                             f"expected {tuple(shape)}")
    if "checksum" in meta and _checksum(arrays, meta) != meta["checksum"]:
        raise ValueError(f"{where} is corrupted: its content does not match its SHA-256 checksum")
    try:
        obj = _build(meta["kind"], arrays, meta)
    except (ValueError, TypeError, KeyError, IndexError) as err:
        raise ValueError(f"{where} is corrupted: cannot rebuild its {meta['kind']!r} object ({err})") from err
    if not return_metadata:
        return obj
    user = dict(meta["user"])
    if isinstance(user.get("group"), dict) and "__group__" in user["group"]:
        user["group"] = _decode_group(user["group"]["__group__"], arrays, prefix="meta_group")
    user["format_version"] = meta["version"]
    user["kind"] = meta["kind"]
    if "group" in meta["info"]:
        user.setdefault("group_spec", meta["info"]["group"].get("spec"))
        labels = meta["info"]["group"].get("labels")
        if isinstance(labels, list):
            labels = [_label_from_json(x) for x in labels]
        user.setdefault("group_labels", labels)
    return obj, user


def _build(kind: str, arrays: dict, meta: dict):
    info, exact = meta["info"], set(meta["exact"])

    def get(name):
        arr = arrays[name]
        return _decode_exact(arr) if name in exact else arr

    G = _decode_group(info["group"], arrays) if "group" in info else None
    if kind == "group":
        return G
    if kind == "permutation_representation" and info.get("regular_summands"):
        from ..reps.representation import direct_sum, regular_representation

        sides = info["regular_summands"]
        if not all(side in ("left", "right") for side in sides):
            raise ValueError(f"regular summands must be 'left' or 'right', got {sides}")
        regular = {side: regular_representation(G, side) for side in set(sides)}
        rep = direct_sum(*[regular[side] for side in sides])
        rep.name = info.get("name") or rep.name
        return rep
    if kind == "permutation_representation":
        rep = PermutationRepresentation(G, arrays["perms"], check=True, name=info.get("name"))
        if info.get("regular_side"):
            rep.regular_side = info["regular_side"]
        _restore_summands(rep, info)
        return rep
    if kind == "representation":
        rep = Representation(G, get("matrices"), check=True, name=info.get("name"))
        _restore_summands(rep, info)
        if "annotations" in info:
            _annotations_from_json(rep, info["annotations"])
        return rep
    if kind == "group_ldr":
        import groupmat

        cls = getattr(groupmat, "GroupLDRMatrix", None)
        if cls is None:
            raise ValueError("this file holds a GM-LDR matrix, but groupmat.GroupLDRMatrix is not available")
        return cls(G, get("b"), get("U"), get("V"))
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


def _restore_summands(rep, info: dict) -> None:
    dims = info.get("summand_dims")
    if not dims:
        return
    if sum(dims) != rep.dim:
        raise ValueError(f"summand dimensions {dims} do not add up to the dimension {rep.dim}")
    names = info.get("summand_names") or [None] * len(dims)
    sides = info.get("summand_regular_sides") or [None] * len(dims)
    out, o = [], 0
    for d, name, side in zip(dims, names, sides):
        if rep.is_permutation:
            block = rep.perms[:, o:o + d] - o
            r = PermutationRepresentation(rep.group, block, check=False, name=name)
        else:
            r = Representation(rep.group, rep.matrices[:, o:o + d, o:o + d], check=False, name=name)
        if side:
            r.regular_side = side
        out.append(r)
        o += d
    rep.summands = tuple(out)


# ---------------------------------------------------------------------------------------------- npz
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
    _, arrays, meta = _to_bundle(obj, metadata)
    meta["checksum"] = _checksum(arrays, meta)
    payload = {f"a_{k}": v for k, v in arrays.items()}
    payload["meta"] = np.array(json.dumps(meta))
    np.savez_compressed(path, **payload)
    return path


def _read_error(path, err) -> ValueError:
    return ValueError(f"{path} is not a readable groupmat file (corrupted or truncated?): "
                      f"{type(err).__name__}: {err}")


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
        raise _read_error(path, err) from err
    if "meta" not in contents:
        raise ValueError(f"{path} is not a groupmat export: it has no 'meta' header")
    try:
        meta = json.loads(str(contents.pop("meta")))
    except (json.JSONDecodeError, TypeError) as err:
        raise ValueError(f"{path} is corrupted: its metadata is not valid JSON ({err})") from err
    arrays = {k[2:]: v for k, v in contents.items() if k.startswith("a_")}
    return _from_bundle(arrays, meta, path, return_metadata)


# ---------------------------------------------------------------------------------------------- mat
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
    _, arrays, meta = _to_bundle(obj, metadata)
    meta["checksum"] = _checksum(arrays, meta)
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
        raise _read_error(path, err) from err
    if "groupmat_meta" not in contents:
        raise ValueError(f"{path} is not a groupmat export: it has no 'groupmat_meta' variable")
    try:
        meta = json.loads(str(np.asarray(contents["groupmat_meta"]).reshape(-1)[0]))
    except (json.JSONDecodeError, IndexError, TypeError) as err:
        raise ValueError(f"{path} is corrupted: its metadata is not valid JSON ({err})") from err
    meta = _check_meta(meta, path)
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
    return _from_bundle(arrays, meta, path, return_metadata)


# ---------------------------------------------------------------------------------------------- json
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
    _, arrays, meta = _to_bundle(obj, metadata)
    entries = sum(a.size for a in arrays.values())
    if entries > MAX_JSON_ENTRIES:
        raise ValueError(f"obj stores {entries} entries, more than JSON export takes ({MAX_JSON_ENTRIES}); "
                         "use save_npz or save_mat")
    meta["checksum"] = _checksum(arrays, meta)
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
    return _from_bundle(arrays, doc["meta"], "JSON text", return_metadata)


# ---------------------------------------------------------------------------------------------- latex
def _latex_label(label) -> str:
    text = ", ".join(map(str, label)) if isinstance(label, tuple) else str(label)
    text = re.sub(r"\^(-?\d+)", r"^{\1}", text)
    return text.replace("_", r"\_").replace("%", r"\%").replace("#", r"\#").replace("&", r"\&")


def _latex_value(v) -> str:
    import sympy

    if isinstance(v, sympy.Basic):
        return sympy.latex(v)
    v = complex(v)
    if abs(v.imag) <= 1e-12 * max(1.0, abs(v.real)):
        return f"{v.real:.6g}"
    sign = "+" if v.imag >= 0 else "-"
    return f"{v.real:.6g} {sign} {abs(v.imag):.6g} i"


def _latex_matrix(arr) -> str:
    import sympy

    arr, ex = _values_array(arr)
    if arr.ndim == 1:
        arr = arr[None, :]
    if arr.ndim != 2:
        raise ValueError(f"LaTeX export takes 1- or 2-dimensional matrices, got shape {arr.shape}")
    if ex:
        return sympy.latex(sympy.Matrix(arr.tolist()))
    rows = [" & ".join(_latex_value(v) for v in row) for row in arr]
    return r"\left[\begin{matrix}" + r"\\".join(rows) + r"\end{matrix}\right]"


def to_latex(obj, max_size: int = 64) -> str:
    """LaTeX of a small groupmat object, by SymPy's printer for exact values.

    Parameters
    ----------
    obj
        A matrix (ndarray, sympy.Matrix, sparse, GM-LDR); a Representation (one line
        ``\\rho(g) = ...`` per element, in an ``aligned`` environment); a character table (a
        ``tabular`` with one column per class, headed by a representative and the class size;
        its ``exact_values`` when it has them).
    max_size : int
        Refuse matrices with a side longer than this (LaTeX of larger ones is unreadable).

    Returns
    -------
    str

    Examples
    --------
    >>> import groupmat as gm
    >>> print(gm.to_latex(gm.group_matrix(gm.cyclic(2))))
    \\left[\\begin{matrix}x_{e} & x_{r}\\\\x_{r} & x_{e}\\end{matrix}\\right]
    """
    kind = _kind(obj)
    if kind == "character_table":
        values, _ = _values_array(_table_values(obj, exact=True))
        classes = list(obj.classes)
        G = getattr(obj, "group", None)
        heads = []
        for c, cls in enumerate(classes):
            rep = _latex_label(G.label(int(np.asarray(cls).ravel()[0]))) if isinstance(G, FiniteGroup) else f"C_{{{c}}}"
            heads.append(f"${rep}$ ({np.asarray(cls).size})")
        lines = [r"\begin{tabular}{c|" + "c" * len(classes) + "}",
                 " & " + " & ".join(heads) + r" \\", r"\hline"]
        for k in range(values.shape[0]):
            lines.append(rf"$\chi_{{{k}}}$ & " + " & ".join(f"${_latex_value(v)}$" for v in values[k]) + r" \\")
        lines.append(r"\end{tabular}")
        return "\n".join(lines)
    if kind in ("representation", "permutation_representation"):
        if obj.dim > max_size or obj.group.order > max_size:
            raise ValueError(f"to_latex prints representations of dimension and order <= max_size={max_size}, "
                             f"got dimension {obj.dim} and order {obj.group.order}")
        mats = obj.matrices
        lines = [rf"\rho({_latex_label(obj.group.label(g))}) &= {_latex_matrix(mats[g])}"
                 for g in range(obj.group.order)]
        return r"\begin{aligned}" + r" \\ ".join(lines) + r"\end{aligned}"
    if kind == "group":
        raise TypeError("to_latex takes matrices, representations and character tables, not a group; "
                        "pass G.cayley_table() for its table")
    shape = obj.shape if kind in ("sparse", "sympy_matrix") else np.shape(to_numpy(obj, exact=True))
    if any(s > max_size for s in shape):
        raise ValueError(f"to_latex prints matrices with sides <= max_size={max_size}, got shape {tuple(shape)}")
    return _latex_matrix(to_numpy(obj, exact=True))
