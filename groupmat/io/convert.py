"""In-memory conversion of groupmat objects to NumPy arrays and SciPy sparse arrays.

One dispatch, :func:`object_kind`, names what an object is (a group, a representation, a GM-LDR
matrix, a character table, a sparse matrix, a SymPy matrix, an array); :func:`to_numpy` turns every
such object into an array and :func:`to_scipy_sparse` into sparse arrays. The framework bridges
(:mod:`groupmat.io.frameworks`), the bundle format (:mod:`groupmat.io.bundle`) and LaTeX
(:mod:`groupmat.io.latex`) build on both.
"""
from __future__ import annotations

import numpy as np
import scipy.sparse as sp

from .._exact import is_symbolic, to_numeric, to_object_array
from .._validation import check_choice, check_size
from ..groups.core import FiniteGroup
from ..ldr import TransposedGroupLDRMatrix
from ..reps.actions import PermutationAction
from ..reps.characters import CharacterTable
from ..reps.generator_reps import GeneratorRepresentation
from ..reps.representation import PermutationRepresentation, Representation

__all__ = ["to_numpy", "to_scipy_sparse"]

#: The formats :func:`to_scipy_sparse` writes.
SPARSE_FORMATS = ("csr", "csc", "coo", "bsr", "lil", "dok", "dia")

#: The kinds :func:`object_kind` tells apart, in the order it tests them.
KINDS = ("group", "permutation_representation", "representation", "group_ldr", "character_table", "sparse",
         "sympy_matrix", "array", "matrix_like")


def _is_ldr(obj) -> bool:
    return isinstance(obj, TransposedGroupLDRMatrix) or all(hasattr(obj, a) for a in ("b", "U", "V", "group", "dense"))


def _is_character_table(obj) -> bool:
    # by type: ``hasattr(obj, "classes")`` would list the classes of a group too large to list
    return isinstance(obj, CharacterTable)


def _by_generators_message(obj) -> str:
    """Why an object known by its generators' images alone has no array form, and what to do instead."""
    if isinstance(obj, PermutationAction):
        return (f"obj is a PermutationAction ({obj.name!r}): it holds the images of its group's generators only, "
                "so it has no array of all elements; save_npz, save_mat and to_json store it as it is (by its group "
                "and the images of each block), and its images are action.blocks[i].factors")
    return (f"obj is a GeneratorRepresentation ({obj.name!r}): a representation of S_n known by the images of its "
            "generators, which groupmat cannot save or convert as a whole; save its group and what builds it "
            "(e.g. save_npz(path, G, partition=[3, 2]) for young_irrep(G, (3, 2)), rebuilt with young_irrep), or "
            "its generator matrices as an array (save_npz(path, rep.images))")


def object_kind(obj) -> str:
    """What a groupmat object is, as one of :data:`KINDS`.

    GM-LDR matrices are recognised by their parts (``b``, ``U``, ``V``, ``group`` and ``dense``) and
    so is their transpose (:class:`~groupmat.ldr.TransposedGroupLDRMatrix`); character tables by
    their type (:class:`~groupmat.reps.CharacterTable`); anything else with a ``dense()`` method is
    ``"matrix_like"``.

    Raises
    ------
    TypeError
        ``obj`` is none of these; or it is known by the images of its group's generators alone (a
        :class:`~groupmat.reps.PermutationAction`, which the savers store themselves, or a
        ``GeneratorRepresentation`` such as :func:`~groupmat.reps.young_irrep`), naming its class and
        what can be saved instead.

    Examples
    --------
    >>> import groupmat as gm
    >>> from groupmat.io.convert import object_kind
    >>> object_kind(gm.cyclic(3)), object_kind(gm.regular_representation(gm.cyclic(3))), object_kind([1.0])
    ('group', 'permutation_representation', 'array')
    """
    if isinstance(obj, FiniteGroup):
        return "group"
    if isinstance(obj, (PermutationAction, GeneratorRepresentation)):
        raise TypeError(_by_generators_message(obj))
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
        return "matrix_like"  # exported through its dense matrix
    raise TypeError(
        f"obj must be a groupmat object (array, sympy.Matrix, SciPy sparse matrix, Representation, "
        f"GroupLDRMatrix, character table or FiniteGroup), got {type(obj).__name__}")


def values_array(values) -> tuple[np.ndarray, bool]:
    """``(array, exact)`` for numeric or SymPy values (ndarray, ``sympy.Matrix``, nested lists).

    The exact/numeric rule of :func:`groupmat._exact.as_numeric_or_exact` (SymPy objects or object
    arrays are exact), except that numeric values are taken as they are: export keeps NaN and
    infinities (a file may hold them; JSON refuses them itself).

    Raises
    ------
    TypeError
        Values that are neither numeric nor SymPy (e.g. text).

    Examples
    --------
    >>> import sympy
    >>> from groupmat.io.convert import values_array
    >>> values_array([[1, sympy.Rational(1, 2)]])
    (array([[1, 1/2]], dtype=object), True)
    >>> values_array([1.0, float("nan")])
    (array([ 1., nan]), False)
    """
    import sympy

    if isinstance(values, sympy.MatrixBase) or is_symbolic(values):
        return to_object_array(values), True
    arr = np.asarray(values)
    if arr.dtype == object:
        return to_object_array(arr), True
    if arr.dtype.kind not in "biufc":
        raise TypeError(f"values must be numeric or SymPy, got dtype {arr.dtype}")
    return arr, False


def table_values(table, exact: bool):
    """The values of a character table: its ``exact_values`` (SymPy) when asked and known."""
    ev = getattr(table, "exact_values", None) if exact else None
    return ev if ev is not None else table.values


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

    See Also
    --------
    to_scipy_sparse, groupmat.io.to_dlpack, groupmat.to_torch

    Examples
    --------
    >>> import groupmat as gm, sympy
    >>> rho = gm.regular_representation(gm.cyclic(3))
    >>> gm.to_numpy(rho).shape
    (3, 3, 3)
    >>> gm.to_numpy(sympy.Matrix([[1, sympy.Rational(1, 2)]]))
    array([[1. , 0.5]])
    """
    kind = object_kind(obj)
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
        arr, ex = values_array(table_values(obj, exact))
        return arr if (exact or not ex) else to_numeric(arr)
    if kind == "sparse":
        check_size(obj.shape, obj.dtype.itemsize, "the dense form of a sparse matrix",
                   how="keep it sparse (save_npz and save_mat store SciPy sparse matrices as they are)")
        return obj.toarray()
    arr, ex = values_array(obj)
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

    Raises
    ------
    ValueError
        An unknown ``format``, or an object of more than 3 dimensions.

    See Also
    --------
    to_numpy

    Examples
    --------
    >>> import groupmat as gm
    >>> P = gm.to_scipy_sparse(gm.regular_representation(gm.cyclic(1000)))
    >>> len(P), P[1].nnz, P[1].format
    (1000, 1000, 'csr')
    """
    check_choice(format, "format", SPARSE_FORMATS)
    kind = object_kind(obj)
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


def coo_parts(obj) -> tuple[np.ndarray, np.ndarray, tuple]:
    """``(indices (ndim, nnz), values, shape)`` of a sparse form of ``obj``, without a dense
    intermediate for permutation representations and sparse matrices (used by the sparse
    framework bridges).

    Examples
    --------
    >>> import groupmat as gm
    >>> from groupmat.io.convert import coo_parts
    >>> idx, vals, shape = coo_parts(gm.regular_representation(gm.cyclic(3)))
    >>> idx.shape, vals.size, shape
    ((3, 9), 9, (3, 3, 3))
    """
    kind = object_kind(obj)
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
