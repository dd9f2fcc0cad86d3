"""The Fourier transform on a finite group, its inverse, fast convolution and block diagonalisation.

Convention: ``xhat(rho) = sum_g x(g) rho(g)`` over the irreducible representations of
:func:`irreps` (in that order), so that ``(x * y)^ = xhat yhat`` for
``(x * y)(t) = sum_u x(u) y(u^-1 t)`` and ``M_x = sum_g x(g) R(g)`` is block diagonalised by the
matrix coefficients of the irreducibles. The inverse is

.. math::  x(g) = \\frac{1}{|G|} \\sum_\\rho \\frac{d_\\rho}{e_\\rho} \\operatorname{tr}\\big(\\rho(g)^* \\hat x(\\rho)\\big),

with ``e = 1`` for complex irreducibles and ``e = 1, 2, 4`` for real irreducibles of real, complex
and quaternionic type (Plancherel: ``sum_g |x(g)|^2 = (1/|G|) sum_rho (d/e) ||xhat(rho)||_F^2``).

The route is chosen by :mod:`groupmat.routing` (:func:`~groupmat.routing.transform_kind`), and each
fast path equals the dense definition (the tests check it):

- ``"abelian"``, every abelian group: one ``numpy.fft.fftn`` over its cyclic coordinates
  (:meth:`FiniteGroup.cyclic_coordinates <groupmat.FiniteGroup.cyclic_coordinates>`; a group given by
  a table or by permutations is first laid out on the grid), ``O(n log n)``; the output order is the
  order of :func:`irreps`;
- ``"dihedral"``: FFTs over the rotations, ``O(n log n)``;
- ``"product"``, other direct products: factor by factor, each factor by its own route;
- ``"dense"``, any other group: the dense transform, ``O(n sum_rho d_rho^2) = O(n^2)`` work with the
  matrices of all irreducibles (built once per group).

What is computed once per group (index layouts, stacked irreducibles, the dihedral plan, the Fourier
basis of :func:`block_diagonalize`) is kept in the group's memo under ``"reps.fourier_transform"``,
read-only.
"""
from __future__ import annotations

from collections.abc import Sequence

import math
import numpy as np

from .. import routing
from .._chunked import any_chunked, apply as apply_chunked, apply_joined, apply_parts, is_chunked
from .._exact import as_numeric_or_exact, is_symbolic, simplify_exact, to_numeric, to_object_array
from .._validation import check_choice, check_finite, check_same_group, check_size
from ..groups.core import check_group as _check_group
from ..groups.core import FiniteGroup
from ..matrices import dense_convolve, group_symbols, x_from_group_matrix
from ..tolerances import roundoff
from .families import dihedral_one_dim
from .irreducibles import commutant_dimension

__all__ = ["FourierCoefficients", "fourier", "inverse_fourier", "convolve", "fast_group_matvec",
           "block_diagonalize", "plancherel_norm"]

_NS = "reps.fourier_transform"


def _check_bool(value, name: str) -> bool:
    if not isinstance(value, (bool, np.bool_)):
        raise TypeError(f"{name} must be True or False, got {type(value).__name__} {value!r}")
    return bool(value)


def _function_values(G, x, name: str = "x", to_float: bool = False):
    """``(array, exact)`` for a function on ``G`` (last axis of length ``|G|``); None gives the symbols
    of :func:`groupmat.matrices.group_symbols`. The exact/numeric rule is
    :func:`groupmat._exact.as_numeric_or_exact` (with ``to_float``, numeric input becomes floating,
    float32 staying float32)."""
    n = G.order
    if x is None:
        return np.array(group_symbols(G), dtype=object), True
    arr, exact = as_numeric_or_exact(x, name, to_float=to_float, vector=True,
                                     expected=f" of length |G| = {n} along its last axis")
    if arr.shape[-1:] != (n,):
        raise ValueError(f"{name} must have length |G| = {n} along its last axis, got shape {arr.shape}")
    return arr, exact


# ------------------------------------------------------------------------------------ memory
#: Peak bytes of the fast routes, ``(per entry of the batch of functions, per element of the group)``, by
#: operation and route: the FFTs' input casts, spectra and outputs count per entry, what is computed once
#: per group (layouts, the real-field structure) or per irreducible (the views of the real inverse) per
#: element. Traced with ``tracemalloc`` on ``C_131072``, ``C_400 x C_300``, ``D_65536``, ``D_250 x D_250``,
#: ``S_3 x C_20000``, ``D_300 x C_200`` and ``D_10 x D_10 x C_400`` for float32/64, complex64/128 and int64
#: input, one function and a batch of two; the largest peak per entry (first and later calls) was:
#: forward 48 (abelian), 54 (dihedral), 78 (product); with ``field="real"`` 176 (abelian) and 127
#: (product) for one function, 144 and 119 per function of a batch; inverse 32, 66, 80; real inverse
#: 362 (abelian) and 154 (product) for one function, 209 and 93 per function of a batch of two;
#: :func:`convolve` 56, 112, 141 (and :func:`fast_group_matvec`, its gathered copy of ``u`` included:
#: 72, 136, 157). The figures below cover each with a margin (and, for the convolutions, the inverses of
#: the elements that :func:`fast_group_matvec` gathers with: up to 56 bytes per element while computed).
_FAST_BYTES = {
    ("fourier", "abelian"): (56, 16), ("fourier", "dihedral"): (64, 16), ("fourier", "product"): (96, 16),
    ("fourier real", "abelian"): (160, 64), ("fourier real", "product"): (128, 48),
    ("inverse", "abelian"): (48, 16), ("inverse", "dihedral"): (80, 16), ("inverse", "product"): (96, 16),
    ("inverse real", "abelian"): (64, 320), ("inverse real", "product"): (112, 160),
    ("convolve", "abelian"): (80, 64), ("convolve", "dihedral"): (144, 64), ("convolve", "product"): (176, 64),
}
_FAST_WHAT = {"fourier": "the Fourier transform", "fourier real": "the real Fourier transform",
              "inverse": "the inverse Fourier transform", "inverse real": "the real inverse Fourier transform",
              "convolve": "the FFT convolution"}


def fast_route_bytes(G, batch: tuple, op: str, kind: str) -> int:
    """The peak bytes that the budget counts for the fast route ``kind`` of ``op`` on a batch of functions.

    Parameters
    ----------
    G : FiniteGroup
    batch : tuple of int
        The leading axes of the functions (``()`` for one function).
    op : {"fourier", "fourier real", "inverse", "inverse real", "convolve"}
    kind : {"abelian", "dihedral", "product"}
        :func:`groupmat.routing.transform_kind` of ``G`` (the dihedral real routes are the complex ones).

    Returns
    -------
    int
        ``(per entry x entries + per element x n)`` from :data:`_FAST_BYTES` (measured peaks with a margin).

    Examples
    --------
    >>> import groupmat as gm
    >>> from groupmat.reps.fourier_transform import fast_route_bytes
    >>> fast_route_bytes(gm.cyclic(1000), (2,), "fourier", "abelian")      # (2 x 56 + 16) bytes per element
    128000
    """
    check_choice(op, "op", sorted({o for o, _ in _FAST_BYTES}))
    check_choice(kind, "kind", sorted({k for _, k in _FAST_BYTES}))
    if kind == "dihedral":
        op = op.replace(" real", "")
    per_entry, per_element = _FAST_BYTES[(op, kind)]
    return (per_entry * math.prod(int(b) for b in batch) + per_element) * G.order


def _check_fast(G, batch: tuple, op: str, kind: str) -> None:
    """Ask :func:`groupmat._validation.check_size` for the peak of a fast transform or convolution
    (:func:`fast_route_bytes`) of a batch of functions of shape ``batch``, before any FFT."""
    batch = tuple(int(b) for b in batch)
    count = math.prod(batch)
    entries = count * G.order
    per_entry = -(-fast_route_bytes(G, batch, op, kind) // max(entries, 1))
    how = ("split the batch (or pass a dask array, done block by block)" if count > 1 else
           "one function on this group needs it, whatever the route")
    check_size(batch + (G.order,), per_entry, f"{_FAST_WHAT[op]} on {G.name} (with its work arrays)", how=how)


# ------------------------------------------------------------------------------------ structure
def _unwrap(G):
    """A one-factor direct product is its factor (same element indices): return the innermost factor."""
    while G.structure.family == "direct_product" and len(G.factors) == 1:
        G = G.factors[0]
    return G


def _dihedral_n(G) -> int:
    """``n`` of a (declared) dihedral group ``D_n``."""
    return int(G.structure.params[0])


def _grid(G):
    """``(shape, elements, positions)`` of the cyclic coordinates of an abelian group (``elements``
    None when the element index is the grid position)."""
    c = G.cyclic_coordinates()
    return tuple(int(m) for m in c.shape), c.elements, c.positions


def _to_grid(x, shape, elements):
    """A function ``x`` (..., n) on the grid (..., *shape)."""
    if elements is not None:
        x = x[..., elements]
    return x.reshape(x.shape[:-1] + shape)


def _from_grid(X, batch, n, positions):
    """The inverse of :func:`_to_grid`: (*batch, *shape) -> (*batch, n) in element order."""
    X = X.reshape(batch + (n,))
    return X if positions is None else X[..., positions]


def _num_irreps(G) -> int:
    G = _unwrap(G)
    kind = routing.transform_kind(G)
    if kind == "abelian":
        return G.order
    if kind == "dihedral":
        n = _dihedral_n(G)
        return (4 if n % 2 == 0 else 2) + (n - 1) // 2
    if kind == "product":
        out = 1
        for F in G.factors:
            out *= _num_irreps(F)
        return out
    from .characters import character_table

    return len(character_table(G))


def _layout(G):
    """The stacks of the complex fast transform: a tuple of index arrays, one per stack (kept)."""
    return G.memo.get(_NS, "layout", lambda: tuple(_compute_layout(G)))


def _compute_layout(G):
    G = _unwrap(G)
    kind = routing.transform_kind(G)
    if kind == "abelian":
        return [_arange(G)]
    if kind == "dihedral":
        n = _dihedral_n(G)
        n1 = 4 if n % 2 == 0 else 2
        m = (n - 1) // 2
        return [np.arange(n1)] + ([np.arange(n1, n1 + m)] if m else [])
    if kind == "product":
        F1, rest = _split_product(G)
        r2 = _num_irreps(rest)
        return [(a[:, None] * r2 + b[None, :]).ravel() for a in _layout(F1) for b in _layout(rest)]
    return _dense_layout(G, "complex")


def _dense_layout(G, field):
    return G.memo.get(_NS, ("dense_layout", field), lambda: tuple(_compute_dense_layout(G, field)))


def _compute_dense_layout(G, field):
    from .irreducibles import irreps

    degs = np.array([r.dim for r in irreps(G, field)])
    return [np.flatnonzero(degs == d) for d in np.unique(degs)]


def _split_product(G):
    """``(first factor, product of the others)`` for a direct product of at least two factors."""
    from ..groups import DirectProduct

    if len(G.factors) < 2:
        raise ValueError(f"internal: _split_product needs at least two factors, {G.name} has {len(G.factors)}")
    F1 = G.factors[0]
    if len(G.factors) == 2:
        return F1, G.factors[1]
    # one object per product, so that the irreducibles and plans of the rest are computed once
    return F1, G.memo.get(_NS, "rest", lambda: DirectProduct(G.factors[1:]))


def _conj_structure(G):
    """``(conj, fs)`` for groups whose irreps satisfy ``conj(rho_k) = rho_conj[k]`` as matrices and whose
    real-type irreps have real matrices (abelian, dihedral, symmetric and products of them); else None.
    Kept per group."""
    return G.memo.get(_NS, "conj_structure", lambda: _compute_conj_structure(G))


def _compute_conj_structure(G):
    G = _unwrap(G)
    kind = routing.transform_kind(G)
    if kind == "abelian":
        shape = _grid(G)[0]
        idx = np.arange(G.order)
        parts = np.unravel_index(idx, shape)
        conj = np.ravel_multi_index(tuple((-p) % s for p, s in zip(parts, shape)), shape)
        return conj, np.where(conj == idx, 1, 0)
    if kind == "dihedral" or G.structure.family == "symmetric":
        r = _num_irreps(G)
        return np.arange(r), np.ones(r, dtype=int)
    if kind == "product":
        F1, rest = _split_product(G)
        a, b = _conj_structure(F1), _conj_structure(rest)
        if a is None or b is None:
            return None
        r2 = b[0].size
        conj = (a[0][:, None] * r2 + b[0][None, :]).ravel()
        fs = (a[1][:, None] * b[1][None, :]).ravel()
        return conj, fs
    return None


# ------------------------------------------------------------------------------------ container
class FourierCoefficients(Sequence):
    """The Fourier coefficients ``xhat(rho)`` of one or a batch of functions on a group.

    A sequence with one entry per irreducible representation (``xhat[k]`` has shape
    ``batch_shape + (d_k, d_k)``); internally the coefficients of irreducibles of one degree are
    stored together (``stacks``: a list of ``(indices, array of shape batch_shape + (m, d, d))``), so
    that the transform of ``C_n`` is a single array of shape ``(n, 1, 1)``.

    Attributes
    ----------
    group : FiniteGroup
    field : {"complex", "real"}
    stacks : list of (ndarray of int, ndarray)
        The irreducible indices of each stack and their coefficients.
    batch_shape : tuple of int
    real_input : bool
        True when the transformed function was real (then :func:`inverse_fourier` returns real).

    Examples
    --------
    >>> import groupmat as gm, numpy as np
    >>> G, x = gm.dihedral(4), np.arange(8.0)
    >>> xhat = gm.fourier(G, x)
    >>> len(xhat), xhat.degrees.tolist()
    (5, [1, 1, 1, 1, 2])
    >>> xhat[4].shape, xhat.gather([0, 1, 2, 3]).shape
    ((2, 2), (4, 1, 1))
    >>> Y = xhat @ xhat                      # the transform of the convolution x * x
    >>> np.allclose(gm.inverse_fourier(G, Y), gm.convolve(G, x, x))
    True
    """

    def __init__(self, group, field, stacks, real_input=False):
        self.group = group
        self.field = field
        self.stacks = [(np.asarray(idx), data) for idx, data in stacks]
        self._total = sum(idx.size for idx, _ in self.stacks)
        self._maps = None
        self.batch_shape = self.stacks[0][1].shape[:-3] if self.stacks else ()
        self.real_input = real_input

    @property
    def _stack_of(self):
        return self._index_maps()[0]

    @property
    def _pos(self):
        return self._index_maps()[1]

    def _index_maps(self):
        """(stack of irrep k, position of k in its stack), built on first use."""
        if self._maps is None:
            stack_of = np.empty(self._total, dtype=np.int64)
            pos = np.empty(self._total, dtype=np.int64)
            for s, (idx, _) in enumerate(self.stacks):
                stack_of[idx] = s
                pos[idx] = np.arange(idx.size)
            self._maps = (stack_of, pos)
        return self._maps

    def __len__(self) -> int:
        return self._total

    def __getitem__(self, k):
        if isinstance(k, slice):
            return [self[i] for i in range(*k.indices(len(self)))]
        k = int(k)
        if k < 0:
            k += len(self)
        if not 0 <= k < len(self):
            raise IndexError(f"irrep index {k} out of range for {len(self)} irreducible representations")
        return self.stacks[self._stack_of[k]][1][..., self._pos[k], :, :]

    @property
    def degrees(self) -> np.ndarray:
        out = np.empty(len(self), dtype=np.int64)
        for idx, data in self.stacks:
            out[idx] = data.shape[-1]
        return out

    def gather(self, idx) -> np.ndarray:
        """``xhat[idx]`` for irreducibles of one degree, stacked: shape ``batch + (len(idx), d, d)``.

        Raises ValueError when an index is out of range (TypeError when not integers).
        """
        arr = np.asarray(idx)
        if arr.size and arr.dtype.kind not in "iu":
            raise TypeError(f"idx must be integer indices of irreducibles, got dtype {arr.dtype}")
        idx = arr.astype(np.int64).reshape(-1)
        if idx.size and (idx.min() < 0 or idx.max() >= len(self)):
            bad = int(idx[(idx < 0) | (idx >= len(self))][0])
            raise ValueError(f"idx must hold irrep indices in range({len(self)}) for {self.group.name}, got {bad}")
        st = self._stack_of[idx]
        if idx.size and np.all(st == st[0]):
            return np.take(self.stacks[st[0]][1], self._pos[idx], axis=-3)
        return np.stack([self[k] for k in idx], axis=-3)

    def to_list(self) -> list:
        """The coefficients as a plain list of arrays (one per irreducible)."""
        return [self[k] for k in range(len(self))]

    def __matmul__(self, other):
        """Blockwise product ``xhat(rho) yhat(rho)``: the transform of the convolution ``x * y``."""
        if not isinstance(other, FourierCoefficients) or other.group is not self.group or other.field != self.field:
            return NotImplemented
        if not all(np.array_equal(a[0], b[0]) for a, b in zip(self.stacks, other.stacks)):
            return NotImplemented
        return FourierCoefficients(self.group, self.field, [(i, a @ b) for (i, a), (_, b) in zip(self.stacks, other.stacks)],
                                   real_input=self.real_input and other.real_input)

    def __repr__(self) -> str:
        return (f"<FourierCoefficients on {self.group.name} ({self.field}): {len(self)} irreducibles, "
                f"batch shape {self.batch_shape}>")


# ------------------------------------------------------------------------------ complex forward
def _arange(G):
    return G.memo.get(_NS, "arange", lambda: np.arange(G.order))


def _fwd(G, x, kind=None):
    """Complex fast forward transform of numeric ``x`` (..., n) -> list of (idx, data) stacks
    (``kind``: ``routing.transform_kind(G)`` when the caller has it)."""
    G = _unwrap(G)
    kind = kind or routing.transform_kind(G)
    batch = x.shape[:-1]
    if kind == "abelian":
        shape, elements, _ = _grid(G)
        if len(shape) == 1 and elements is None:
            F = np.fft.fft(x, axis=-1)
        else:
            axes = tuple(range(-len(shape), 0))
            F = np.fft.fftn(_to_grid(x, shape, elements), axes=axes).reshape(batch + (G.order,))
        return [(_arange(G), F[..., None, None])]
    if kind == "dihedral":
        return _fwd_dihedral(G, x)
    if kind == "product":
        F1, rest = _split_product(G)
        n1, n2 = F1.order, rest.order
        L = len(batch)
        layout = _layout(G)                                   # the kept index arrays of the stacks
        nb = len(_layout(rest))
        B = _fwd(rest, x.reshape(batch + (n1, n2)))
        results = {}
        for bi, (idxb, Db) in enumerate(B):
            Y = np.moveaxis(Db, L, -1)                        # (..., mb, db, db, n1)
            for ai, (idxa, Da) in enumerate(_fwd(F1, Y)):     # (..., mb, db, db, ma, da, da)
                ma, da, mb, db = Da.shape[-3], Da.shape[-1], Db.shape[-3], Db.shape[-1]
                Z = Da.transpose(tuple(range(L)) + (L + 3, L, L + 4, L + 1, L + 5, L + 2))
                Z = Z.reshape(batch + (ma * mb, da * db, da * db))
                results[(ai, bi)] = (layout[ai * nb + bi], Z)
        return [results[k] for k in sorted(results)]
    return _fwd_dense(G, x, "complex")


def _fwd_dense(G, x, field):
    """``xhat = sum_g x(g) rho(g)`` stack by stack: one batched product ``x @ M[m]`` per stack (``M`` of
    shape ``(m, n, d, d)`` read as ``(m, n, d^2)`` without a copy)."""
    mats = _stacked_irreps(G, field)
    batch = x.shape[:-1]
    n = G.order
    out = []
    for idx, M in mats:
        m, d = M.shape[0], M.shape[-1]
        check_size(batch + (m, d, d), 16, f"the Fourier coefficients on {G.name}")
        Y = np.matmul(x[..., None, None, :], M.reshape(m, n, d * d))       # (..., m, 1, d^2)
        out.append((idx, Y.reshape(batch + (m, d, d))))
    return out


def _stacked_irreps(G, field):
    """``((idx, M), ...)``: the matrices of the irreducibles of one degree stacked, ``M`` of shape
    ``(m, n, d, d)`` (real when every entry is), kept per group and field."""
    return G.memo.get(_NS, ("stacked", field), lambda: tuple(_compute_stacked_irreps(G, field)))


def _compute_stacked_irreps(G, field):
    from .irreducibles import irreps

    reps = irreps(G, field)
    n = G.order
    # a stacked copy of the n sum d^2 = n^2 entries of the irreducibles, and the real copy of a stack
    # whose imaginary parts are all zero
    total = sum(r.dim ** 2 for r in reps)
    check_size((n, total), 24, f"the stacked irreducible representations of {G.name} ({field})")
    out = []
    for idx in _dense_layout(G, field):
        M = np.stack([reps[k].matrices for k in idx])     # (m, n, d, d)
        if np.iscomplexobj(M) and np.max(np.abs(M.imag)) == 0:
            M = M.real.copy()
        out.append((idx, M))
    return out


def _dihedral_spectra(x, n):
    """``fft`` of the rotation part ``a`` and reflection part ``b`` of ``x`` (..., 2n)."""
    a, b = x[..., :n], x[..., n:]
    return np.fft.fft(a, axis=-1), np.fft.fft(b, axis=-1)


def _dihedral_plan(G):
    """Kept per dihedral group: the one-dimensional characters and the stack index arrays."""
    return G.memo.get(_NS, "dihedral_plan", lambda: _compute_dihedral_plan(G))


def _compute_dihedral_plan(G):
    n = _dihedral_n(G)
    ones = tuple((0 if alpha == 1 else n // 2, beta) for alpha, beta in dihedral_one_dim(n))
    m = (n - 1) // 2
    return ones, m, np.arange(len(ones)), np.arange(len(ones), len(ones) + m)


def _fwd_dihedral(G, x):
    n = _dihedral_n(G)
    batch = x.shape[:-1]
    real = not np.iscomplexobj(x)
    ones, m, idx1, idx2 = _dihedral_plan(G)
    if real:
        R = np.fft.rfft(x.reshape(batch + (2, n)), axis=-1)   # k = 0..n//2 suffices
        Fa, Fb = R[..., 0, :], R[..., 1, :]
    else:
        Fa, Fb = _dihedral_spectra(x, n)
    one = np.empty(batch + (len(ones), 1, 1), dtype=Fa.real.dtype if real else Fa.dtype)
    for i, (k0, beta) in enumerate(ones):
        v = Fa[..., k0] + beta * Fb[..., k0]
        one[..., i, 0, 0] = v.real if real else v
    stacks = [(idx1, one)]
    if m:
        pos = slice(1, m + 1)                                  # frequencies k = 1..m
        if real:
            Ac, As = Fa[..., pos].real, -Fa[..., pos].imag
            Bc, Bs = Fb[..., pos].real, -Fb[..., pos].imag
        else:
            neg = slice(n - 1, n - m - 1, -1)                  # frequencies -k = n - k, k = 1..m
            Ac, As = (Fa[..., pos] + Fa[..., neg]) / 2, (Fa[..., neg] - Fa[..., pos]) / 2j
            Bc, Bs = (Fb[..., pos] + Fb[..., neg]) / 2, (Fb[..., neg] - Fb[..., pos]) / 2j
        X = np.empty(batch + (m, 2, 2), dtype=Ac.dtype)
        X[..., 0, 0] = Ac + Bc
        X[..., 0, 1] = -As - Bs
        X[..., 1, 0] = As - Bs
        X[..., 1, 1] = Ac - Bc
        stacks.append((idx2, X))
    return stacks


# ------------------------------------------------------------------------------ complex inverse
def _inv(G, stacks, kind=None):
    """Complex fast inverse: stacks in the layout of ``_layout(G)`` -> (..., n)."""
    G = _unwrap(G)
    kind = kind or routing.transform_kind(G)
    if kind == "abelian":
        shape, _, positions = _grid(G)
        F = stacks[0][1][..., 0, 0]
        batch = F.shape[:-1]
        if len(shape) == 1 and positions is None:
            return np.fft.ifft(F, axis=-1)
        axes = tuple(range(-len(shape), 0))
        return _from_grid(np.fft.ifftn(F.reshape(batch + shape), axes=axes), batch, G.order, positions)
    if kind == "dihedral":
        return _inv_dihedral(G, stacks)
    if kind == "product":
        F1, rest = _split_product(G)
        la, lb = _layout(F1), _layout(rest)
        na, nb = len(la), len(lb)
        B_stacks = []
        for bi in range(nb):
            A_stacks = []
            batch = None
            for ai in range(na):
                idx, Z = stacks[ai * nb + bi]
                ma, mb = la[ai].size, lb[bi].size
                D = Z.shape[-1]
                batch = Z.shape[:-3]
                L = len(batch)
                da = int(round(D / _stack_degree(rest, bi)))
                db = D // da
                Z = Z.reshape(batch + (ma, mb, da, db, da, db))
                # inverse of the forward permutation (L+3, L, L+4, L+1, L+5, L+2)
                Z = Z.transpose(tuple(range(L)) + (L + 1, L + 3, L + 5, L, L + 2, L + 4))
                A_stacks.append((la[ai], Z))
            Y = _inv(F1, A_stacks)                            # (..., mb, db, db, n1)
            B_stacks.append((lb[bi], np.moveaxis(Y, -1, len(batch))))
        X = _inv(rest, B_stacks)                              # (..., n1, n2)
        return X.reshape(X.shape[:-2] + (G.order,))
    return _inv_dense(G, stacks, "complex")


def _stack_degree(G, s):
    G = _unwrap(G)
    kind = routing.transform_kind(G)
    if kind == "abelian":
        return 1
    if kind == "dihedral":
        return 1 if s == 0 else 2
    if kind == "product":
        F1, rest = _split_product(G)
        nb = len(_layout(rest))
        return _stack_degree(F1, s // nb) * _stack_degree(rest, s % nb)
    return _stacked_irreps(G, "complex")[s][1].shape[-1]


def _inv_dense(G, stacks, field):
    """``x(g) = (1/n) sum_rho (d/e) tr(rho(g)^* X_rho)``, stack by stack as
    ``conj(M[m] @ (c_m conj(X_m)))`` with ``M[m]`` read as ``(n, d^2)`` (no copy or conjugate of the
    stacked irreducibles)."""
    mats = _stacked_irreps(G, field)
    n = G.order
    out = 0
    for (idx, M), (_, X) in zip(mats, stacks):
        m, d = M.shape[0], M.shape[-1]
        if field == "real":
            from .irreducibles import irreps

            reps = irreps(G, "real")
            e = commutant_dimension([reps[k].frobenius_schur for k in idx])
            c = d / e
        else:
            c = np.full(idx.size, float(d))
        batch = X.shape[:-3]
        check_size(batch + (m, n), 16, f"the inverse Fourier transform on {G.name}")
        Xc = (np.conj(X) * c[:, None, None]).reshape(batch + (m, d * d, 1))
        Y = np.matmul(M.reshape(m, n, d * d), Xc)[..., 0]                 # (..., m, n)
        out = out + np.conj(Y.sum(axis=-2))
    return out / n


def _inv_dihedral(G, stacks):
    n = _dihedral_n(G)
    one = stacks[0][1][..., 0, 0]
    batch = one.shape[:-1]
    dtype = np.result_type(*[s[1].dtype for s in stacks], np.complex64)
    Ya = np.zeros(batch + (n,), dtype=dtype)
    Yb = np.zeros(batch + (n,), dtype=dtype)
    for i, (alpha, beta) in enumerate(dihedral_one_dim(n)):
        k0 = 0 if alpha == 1 else n // 2
        Ya[..., k0] += one[..., i]
        Yb[..., k0] += beta * one[..., i]
    if len(stacks) > 1:
        X = stacks[1][1]
        m = X.shape[-3]
        P, Q = X[..., 0, 0] + X[..., 1, 1], X[..., 1, 0] - X[..., 0, 1]
        Pb, Qb = X[..., 0, 0] - X[..., 1, 1], -X[..., 1, 0] - X[..., 0, 1]
        # sum_k d (cos(t k j) P_k + sin(t k j) Q_k) as a spectrum read by ifft (d = 2):
        # frequencies k = 1..m and n - k (a reversed slice), written through views, not fancy indices
        Ya[..., 1:m + 1] += P - 1j * Q
        Ya[..., n - m:][..., ::-1] += P + 1j * Q
        Yb[..., 1:m + 1] += Pb - 1j * Qb
        Yb[..., n - m:][..., ::-1] += Pb + 1j * Qb
    a = np.fft.ifft(Ya, axis=-1) / 2
    b = np.fft.ifft(Yb, axis=-1) / 2
    return np.concatenate([a, b], axis=-1)


# --------------------------------------------------------------------------------- real field
def _real_structure(G):
    """For groups with :func:`_conj_structure`: (first complex index, conj index, fs) per real irrep."""
    cs = _conj_structure(G)
    if cs is None:
        return None
    conj, fs = cs
    k = np.arange(conj.size)
    keep = conj >= k
    return k[keep], conj[keep], fs[keep]


def _complex_degrees(G):
    out = np.empty(_num_irreps(G), dtype=np.int64)
    for s, idx in enumerate(_layout(G)):
        out[idx] = _stack_degree(G, s)
    return out


def _real_layout(G):
    """``(layout, ks, js, fs, degs)`` of the real fast transform, kept per group."""
    return G.memo.get(_NS, "real_layout", lambda: _compute_real_layout(G))


def _compute_real_layout(G):
    ks, js, fs = _real_structure(G)
    degs = _complex_degrees(G)[ks]
    rdeg = np.where(fs == 1, degs, 2 * degs)
    # one stack per (real degree, complex degree): a stack never mixes real-type and realified blocks
    keys = rdeg * (degs.max(initial=1) + 1) + degs
    return tuple(np.flatnonzero(keys == k) for k in np.unique(keys)), ks, js, fs, degs


def _to_real(G, C: FourierCoefficients, real_input: bool):
    layout, ks, js, fs, degs = _real_layout(G)
    stacks = []
    for ridx in layout:
        k, j, f = ks[ridx], js[ridx], fs[ridx]
        if f[0] == 1:
            X = C.gather(k)
            stacks.append((ridx, X.real if real_input else X))
            continue
        Xk, Xj = C.gather(k), C.gather(j)
        A, B = (Xk + Xj) / 2, (Xk - Xj) / 2j
        if real_input:
            A, B = A.real, B.real
        stacks.append((ridx, np.concatenate([np.concatenate([A, -B], -1), np.concatenate([B, A], -1)], -2)))
    return FourierCoefficients(G, "real", stacks, real_input=real_input)


def _from_real(G, stacks):
    """Split real-field stacks back into the complex layout."""
    layout, ks, js, fs, degs = _real_layout(G)
    total = _num_irreps(G)
    blocks = [None] * total
    for ridx, (_, X) in zip(layout, stacks):
        for p, r in enumerate(ridx):
            Xr = X[..., p, :, :]
            if fs[r] == 1:
                blocks[ks[r]] = Xr
            else:
                d = degs[r]
                A, B = Xr[..., :d, :d], Xr[..., d:, :d]
                blocks[ks[r]] = A + 1j * B
                blocks[js[r]] = A - 1j * B
    return [(idx, np.stack([blocks[k] for k in idx], axis=-3)) for idx in _layout(G)]


# ------------------------------------------------------------------------------------- public
def fourier(G: FiniteGroup, x, field: str = "complex", exact: bool = False) -> "FourierCoefficients | list":
    """The Fourier transform ``xhat(rho) = sum_g x(g) rho(g)`` over the irreducibles of ``G``.

    Parameters
    ----------
    G : FiniteGroup
    x : array_like of shape (..., n), or SymPy values
        Leading axes are a batch. SymPy input (or an object array) gives the exact transform with
        the exact irreducibles (a list of ``sympy.Matrix``). A ``dask.array`` gives coefficients
        whose stacks are lazy Dask arrays (each block of ``x`` transformed once).
    field : {"complex", "real"}
        Transform over ``irreps(G, "complex")`` (unitary) or ``irreps(G, "real")`` (orthogonal).
    exact : bool
        Compute exactly (SymPy) even for numeric ``x`` (one function ``x`` of shape ``(n,)``).

    Returns
    -------
    FourierCoefficients or list of sympy.Matrix
        ``xhat[k]`` has shape ``x.shape[:-1] + (d_k, d_k)``, ``k`` indexing ``irreps(G, field)``.

    Raises
    ------
    ValueError
        ``x`` has a wrong last axis, or ``field`` is unknown.
    TypeError
        ``G`` is not a FiniteGroup, ``x`` is not numeric, or ``exact`` is not a bool.
    TooLargeError
        The route's peak (:func:`fast_route_bytes` for the FFTs, the stacked irreducibles for the dense
        transform) would not fit under ``GROUPMAT_MAX_BYTES``: refused before any FFT.

    See Also
    --------
    inverse_fourier, convolve, irreps, block_diagonalize

    Notes
    -----
    For ``C_n`` the irreducibles are ``rho_k(r^g) = exp(-2 pi i k g / n)`` and the transform is
    ``numpy.fft.fft(x)``; for any abelian group it is ``numpy.fft.fftn`` on its cyclic coordinates,
    in the order of ``irreps(G)``. The route is :func:`groupmat.routing.transform_kind`. Cost:
    ``O(n log n)`` for abelian and dihedral groups; factor by factor for direct products; ``O(n^2)``
    for other groups (the dense definition, with all irreducibles built once per group). Float32
    input is transformed in single precision where the route allows it (the FFTs).

    Examples
    --------
    >>> import groupmat as gm, numpy as np
    >>> xhat = gm.fourier(gm.cyclic(4), [1.0, 2.0, 3.0, 4.0])
    >>> np.allclose([xhat[k][0, 0] for k in range(4)], np.fft.fft([1, 2, 3, 4]))
    True
    >>> G = gm.dihedral(3)
    >>> [b.shape for b in gm.fourier(G, np.arange(6.0))]
    [(1, 1), (1, 1), (2, 2)]
    >>> gm.fourier(G, [1, 0, 0, 0, 0, 0])[2]
    array([[1., 0.],
           [0., 1.]])
    """
    G = _check_group(G)
    check_choice(field, "field", ("complex", "real"))
    exact = _check_bool(exact, "exact")
    if is_chunked(x):  # dask: each block transformed once, the stacks lazy (groupmat._chunked)
        if exact:
            raise TypeError("exact=True takes NumPy or SymPy input, got a dask array (exact arithmetic is not chunked)")
        probe, data = apply_parts(lambda b: fourier(G, b, field), x, "x", lambda c: [d for _, d in c.stacks])
        return FourierCoefficients(G, field, [(i, d) for (i, _), d in zip(probe.stacks, data)], probe.real_input)
    if not exact and field == "complex" and type(x) is np.ndarray and x.ndim == 1 \
            and x.dtype.kind in "fc" and x.shape[0] == G.order and len(G.structure.cyclic_shape or ()) == 1:
        # fast return for one function on a one-axis cyclic group: a single FFT
        if not np.isfinite(x.sum()):                       # the sum is finite when every entry is
            check_finite(x, "x")
        _check_fast(G, (), "fourier", "abelian")
        return FourierCoefficients(G, "complex", [(_arange(G), np.fft.fft(x)[:, None, None])],
                                   real_input=x.dtype.kind == "f")
    arr, symbolic = _function_values(G, x, to_float=True)
    if symbolic or exact:
        return _fourier_exact(G, to_object_array(arr), field)
    real_input = not np.iscomplexobj(arr)
    kind = routing.transform_kind(G)
    if field == "complex" or kind == "dihedral":
        if kind == "dense":
            stacks = _fwd_dense(G, arr, field)
        else:
            _check_fast(G, arr.shape[:-1], "fourier", kind)
            stacks = _fwd(G, arr, kind)
        return FourierCoefficients(G, field, stacks, real_input=real_input)
    if kind != "dense" and _conj_structure(G) is not None:
        _check_fast(G, arr.shape[:-1], "fourier real", kind)
        return _to_real(G, FourierCoefficients(G, "complex", _fwd(G, arr, kind)), real_input)
    stacks = _fwd_dense(G, arr, "real")
    return FourierCoefficients(G, "real", stacks, real_input=real_input)


def _fourier_exact(G, x, field):
    import sympy

    from .irreducibles import irreps

    if x.ndim != 1:
        raise ValueError(f"exact x must have shape ({G.order},), got {x.shape}")
    out = []
    for rho in irreps(G, field, exact=True):
        M = rho.matrices
        acc = np.zeros((rho.dim, rho.dim), dtype=object)
        acc[:] = sympy.Integer(0)
        for g in np.flatnonzero([v != 0 for v in x]):
            acc = acc + x[g] * M[g]
        out.append(sympy.Matrix(rho.dim, rho.dim, [sympy.expand(v) for v in acc.flat]))
    return out


def _layout_for(G, field, kind):
    if field == "complex" or kind == "dihedral":
        return _layout(G) if kind != "dense" else _dense_layout(G, field)
    if kind != "dense" and _conj_structure(G) is not None:
        return _real_layout(G)[0]
    return _dense_layout(G, "real")


def _coerce_xhat(G, xhat, field, kind):
    """Stacks in the layout of ``(G, field)`` from FourierCoefficients or a sequence of blocks."""
    layout = _layout_for(G, field, kind)
    if isinstance(xhat, FourierCoefficients):
        check_same_group(xhat.group, G, ("xhat.group", "G"))
        if xhat.field == field and len(xhat.stacks) == len(layout) and all(
                np.array_equal(a, b[0]) for a, b in zip(layout, xhat.stacks)):
            return [d for _, d in xhat.stacks], xhat.real_input
        blocks = xhat.to_list()
    else:
        if isinstance(xhat, (str, bytes)) or not hasattr(xhat, "__len__"):
            raise TypeError(f"xhat must be FourierCoefficients or a sequence of square blocks, got "
                            f"{type(xhat).__name__}")
        blocks = []
        for k, b in enumerate(xhat):
            if is_symbolic(b):
                blocks.append(b)
                continue
            try:
                a = np.asarray(b)
            except ValueError:
                raise ValueError(f"xhat[{k}] must be a rectangular array") from None
            if a.dtype.kind not in "biufc":
                raise TypeError(f"xhat[{k}] must be a numeric (or SymPy) square matrix, got "
                                f"{type(b).__name__} of dtype {a.dtype}")
            if a.ndim < 2 or a.shape[-1] != a.shape[-2]:
                raise ValueError(f"xhat[{k}] must be a square (..., d, d) matrix, got shape {a.shape}")
            blocks.append(a)
    total = sum(idx.size for idx in layout)
    if len(blocks) != total:
        raise ValueError(f"xhat must hold one block per irreducible representation of {G.name} ({total}, field "
                         f"{field!r}), got {len(blocks)}")
    if any(is_symbolic(b) for b in blocks):
        return None, None
    out = []
    for idx in layout:
        shapes = {blocks[k].shape[-2:] for k in idx}
        if len(shapes) != 1 or next(iter(shapes))[0] != next(iter(shapes))[1]:
            raise ValueError(f"xhat blocks {idx.tolist()} must be square matrices of one degree, got shapes "
                             f"{sorted(shapes)}")
        out.append(np.stack(np.broadcast_arrays(*[blocks[k] for k in idx]), axis=-3))
    expected = [_expected_degree(G, field, s, idx, kind) for s, idx in enumerate(layout)]
    for s, (arr, d) in enumerate(zip(out, expected)):
        if arr.shape[-1] != d:
            raise ValueError(f"xhat[{int(layout[s][0])}] must be a {d}x{d} matrix (the irrep's degree), "
                             f"got {arr.shape[-2:]}")
    real_input = all(not np.iscomplexobj(a) for a in out)
    return out, real_input


def _expected_degree(G, field, s, idx, kind):
    from .irreducibles import irreps

    if field == "complex" or kind == "dihedral":
        if kind == "dense":
            return irreps(G, field)[int(idx[0])].dim
        return _stack_degree(G, s)
    if kind != "dense" and _conj_structure(G) is not None:
        layout, ks, js, fs, degs = _real_layout(G)
        r = int(idx[0])
        return int(degs[r] if fs[r] == 1 else 2 * degs[r])
    return irreps(G, "real")[int(idx[0])].dim


def inverse_fourier(G: FiniteGroup, xhat, field: str | None = None) -> np.ndarray:
    """Invert :func:`fourier`: ``x(g) = (1/|G|) sum_rho (d_rho/e_rho) tr(rho(g)^* xhat(rho))``.

    Parameters
    ----------
    G : FiniteGroup
    xhat : FourierCoefficients, or a sequence of (..., d_k, d_k) arrays / sympy matrices
        One block per irreducible in the order of ``irreps(G, field)``. FourierCoefficients with
        Dask stacks (from :func:`fourier` of a ``dask.array``) give a lazy Dask result.
    field : {"complex", "real"}, optional
        Taken from ``xhat`` when it is a FourierCoefficients; default ``"complex"``.

    Returns
    -------
    ndarray of shape (..., n)
        Real when the transform came from real ``x`` (complex otherwise); an object array of SymPy
        numbers for exact blocks.

    Raises
    ------
    ValueError
        Wrong number of blocks, a block that is not a square matrix of the irrep's degree, or
        FourierCoefficients of another group.
    TypeError
        ``G`` is not a FiniteGroup, or a block is not numeric.
    TooLargeError
        The route's peak would not fit under ``GROUPMAT_MAX_BYTES``: refused before any FFT.

    Examples
    --------
    >>> import groupmat as gm, numpy as np
    >>> G = gm.symmetric(3)
    >>> x = np.arange(6.0)
    >>> np.allclose(gm.inverse_fourier(G, gm.fourier(G, x)), x)
    True
    """
    G = _check_group(G)
    if field is None:
        field = xhat.field if isinstance(xhat, FourierCoefficients) else "complex"
    check_choice(field, "field", ("complex", "real"))
    if isinstance(xhat, FourierCoefficients) and any_chunked(*(d for _, d in xhat.stacks)):  # dask stacks
        return apply_joined(lambda s: inverse_fourier(G, FourierCoefficients(xhat.group, xhat.field, zip(
            (i for i, _ in xhat.stacks), s), xhat.real_input), field), [d for _, d in xhat.stacks], "xhat", 3)
    kind = routing.transform_kind(G)
    stacks, real_input = _coerce_xhat(G, xhat, field, kind)
    if stacks is None:
        return _inverse_exact(G, list(xhat), field)
    layout = _layout_for(G, field, kind)
    pairs = list(zip(layout, stacks))
    batch = stacks[0].shape[:-3] if stacks else ()
    if field == "complex" or kind == "dihedral":
        if kind != "dense":
            _check_fast(G, batch, "inverse", kind)
        x = _inv(G, pairs, kind) if kind != "dense" else _inv_dense(G, pairs, field)
    elif kind != "dense" and _conj_structure(G) is not None:
        _check_fast(G, batch, "inverse real", kind)
        x = _inv(G, _from_real(G, pairs), kind)
    else:
        x = _inv_dense(G, pairs, "real")
    if real_input and np.iscomplexobj(x):
        x = x.real
    return x


def _inverse_exact(G, blocks, field):
    import sympy

    from .irreducibles import irreps

    reps = irreps(G, field, exact=True)
    n = G.order
    out = np.empty(n, dtype=object)
    inv = G.inverses()
    for g in range(n):
        total = sympy.Integer(0)
        for rho, B in zip(reps, blocks):
            B = sympy.Matrix(B)
            c = sympy.Rational(rho.dim, int(commutant_dimension(rho.frobenius_schur)) if field == "real" else 1)
            total += c * (sympy.Matrix(rho.matrices[inv[g]].tolist()) * B).trace()
        out[g] = simplify_exact(total / n)
    return out


def plancherel_norm(xhat) -> np.ndarray:
    """``(1/|G|) sum_rho (d_rho / e_rho) ||xhat(rho)||_F^2``, equal to ``sum_g |x(g)|^2`` (Plancherel).

    Parameters
    ----------
    xhat : FourierCoefficients
        From :func:`fourier` (either field); ``e_rho = 1`` for complex irreducibles and
        ``e = 1, 2, 4`` for real irreducibles of real, complex and quaternionic type.

    Returns
    -------
    float or ndarray of shape ``xhat.batch_shape``
        The squared norm of each function of the batch.

    Raises
    ------
    TypeError
        ``xhat`` is not FourierCoefficients.

    Examples
    --------
    >>> import groupmat as gm, numpy as np
    >>> x = np.arange(8.0)
    >>> bool(np.isclose(gm.reps.plancherel_norm(gm.fourier(gm.quaternion(), x)), x @ x))
    True
    """
    if not isinstance(xhat, FourierCoefficients):
        raise TypeError(f"xhat must be FourierCoefficients from groupmat.fourier, got {type(xhat).__name__}")
    G = xhat.group
    if xhat.field == "real":
        from .irreducibles import irreps

        e = commutant_dimension([r.frobenius_schur for r in irreps(G, "real")]) \
            if not (routing.transform_kind(G) != "dense" and _conj_structure(G) is not None) else \
            np.where(_real_structure(G)[2] == 1, 1, 2)
    else:
        e = np.ones(len(xhat))
    total = 0.0
    for idx, X in xhat.stacks:
        d = X.shape[-1]
        total = total + np.sum((np.abs(X) ** 2).sum(axis=(-1, -2)) * (d / e[idx]), axis=-1)
    return total / G.order


# ------------------------------------------------------------------------------------- convolve
def convolve(G: FiniteGroup, x, y) -> np.ndarray:
    """The group-algebra product ``(x * y)(t) = sum_u x(u) y(u^-1 t)``, by the fastest route.

    ``M_x M_y = M_{x*y}`` for the group matrices ``M_x[g, h] = x(g^-1 h)``.

    Parameters
    ----------
    G : FiniteGroup
    x, y : array_like of shape (..., n)
        Leading batch axes broadcast against each other. SymPy input takes the exact route of
        :func:`groupmat.matrices.dense_convolve`. A ``dask.array`` (either or both) gives a lazy Dask
        result, each block convolved by this function.

    Returns
    -------
    ndarray of shape ``broadcast(x.shape, y.shape)``
        Integer input gives an integer result (rounded from the FFT when that is exact, else by the
        dense integer product).

    Raises
    ------
    ValueError
        ``x`` or ``y`` does not have length ``|G|`` along its last axis, or their batch axes do not
        broadcast.
    TooLargeError
        The FFT route's peak (:func:`fast_route_bytes`) or the dense product would not fit under
        ``GROUPMAT_MAX_BYTES``: refused before either is computed.

    Notes
    -----
    The route is :func:`groupmat.routing.convolve_route`: ``"fft"`` for every abelian group
    (``numpy.fft.rfftn``/``fftn`` on its cyclic coordinates, ``O(n log n)``) and for groups with a
    fast transform (:func:`groupmat.routing.has_fast_transform`) from
    :data:`groupmat.routing.FFT_MIN_ORDER` on, which multiply their Fourier blocks
    (``(x*y)^ = xhat yhat``); ``"factorwise"``, the same product of blocks for a direct product with a
    factor transformed densely; ``"dense"``, the ``O(n^2)`` product of
    :func:`groupmat.matrices.dense_convolve`.

    Examples
    --------
    >>> import groupmat as gm, numpy as np
    >>> G = gm.cyclic(4)
    >>> gm.convolve(G, [1, 2, 0, 0], [0, 1, 0, 1]).tolist()
    [2, 1, 2, 1]
    >>> G = gm.dihedral(40)
    >>> x, y = np.random.default_rng(0).standard_normal((2, 80))
    >>> np.allclose(gm.convolve(G, x, y), (gm.group_matrix(G, x) @ gm.group_matrix(G, y))[0])
    True
    """
    G = _check_group(G)
    if any_chunked(x, y):  # dask: the same convolution on each block of the batch (groupmat._chunked)
        return apply_chunked(lambda a, b: convolve(G, a, b), [x, y], ["x", "y"])
    xa, ex = _function_values(G, x, "x")
    ya, ey = _function_values(G, y, "y")
    try:
        np.broadcast_shapes(xa.shape[:-1], ya.shape[:-1])
    except ValueError:
        raise ValueError(f"the batch axes of x {xa.shape[:-1]} and y {ya.shape[:-1]} do not broadcast "
                         f"(x has shape {xa.shape}, y has shape {ya.shape})") from None
    if ex or ey:
        return dense_convolve(G, x, y)
    if routing.convolve_route(G) == "dense":
        return dense_convolve(G, xa, ya)
    kind = routing.transform_kind(G)
    integer = xa.dtype.kind in "biu" and ya.dtype.kind in "biu"
    if integer:
        bound = float(np.abs(xa).max(initial=0)) * float(np.abs(ya).max(initial=0)) * G.order
        if bound >= 2.0**50:
            return dense_convolve(G, xa, ya)
    _check_fast(G, np.broadcast_shapes(xa.shape[:-1], ya.shape[:-1]), "convolve", kind)
    if integer:
        out = _fast_convolve(G, xa.astype(float), ya.astype(float), kind)
        return np.rint(out).astype(np.result_type(xa.dtype, ya.dtype, np.int8))
    return _fast_convolve(G, xa, ya, kind)


def _fast_convolve(G, x, y, kind):
    """``x * y`` through the fast transform of ``G`` (of ``kind``, any but ``"dense"``)."""
    real = not (np.iscomplexobj(x) or np.iscomplexobj(y))
    if kind == "abelian":
        shape, elements, positions = _grid(G)
        batch = np.broadcast_shapes(x.shape[:-1], y.shape[:-1])
        axes = tuple(range(-len(shape), 0))
        xs, ys = _to_grid(x, shape, elements), _to_grid(y, shape, elements)
        if real:
            out = np.fft.irfftn(np.fft.rfftn(xs, axes=axes) * np.fft.rfftn(ys, axes=axes), s=shape, axes=axes)
        else:
            out = np.fft.ifftn(np.fft.fftn(xs, axes=axes) * np.fft.fftn(ys, axes=axes), axes=axes)
        return _from_grid(out, batch, G.order, positions)
    X, Y = _fwd(G, x, kind), _fwd(G, y, kind)
    Z = [(i, a @ b) for (i, a), (_, b) in zip(X, Y)]
    out = _inv(G, Z, kind)
    return out.real if real else out


def fast_group_matvec(G: FiniteGroup, u, v) -> np.ndarray:
    """``M_u v`` for the group matrix ``M_u[g, h] = u(g^-1 h)``, by the fast convolution.

    Parameters
    ----------
    G : FiniteGroup
    u : array_like of shape (..., n)
        The function defining the group matrix (batch axes broadcast against ``v``).
    v : array_like of shape (..., n)
        The vectors (a batch of rows; pass ``X.T`` for the columns of an ``(n, k)`` matrix).

    Returns
    -------
    ndarray of shape (..., n)
        ``(M_u v)(g) = sum_h u(g^-1 h) v(h) = (v * u^vee)(g)`` with ``u^vee(h) = u(h^-1)``.

    Examples
    --------
    >>> import groupmat as gm, numpy as np
    >>> G = gm.dihedral(5)
    >>> u, v = np.arange(10.0), np.ones(10) - np.arange(10) % 3
    >>> np.allclose(gm.reps.fast_group_matvec(G, u, v), gm.group_matrix(G, u) @ v)
    True
    """
    G = _check_group(G)
    if any_chunked(u, v):  # dask: block by block (groupmat._chunked)
        return apply_chunked(lambda a, b: fast_group_matvec(G, a, b), [u, v], ["u", "v"])
    ua, eu = _function_values(G, u, "u")
    va, ev = _function_values(G, v, "v")
    if not (eu or ev) and routing.convolve_route(G) != "dense":    # before the inverses and the gather of u
        try:
            batch = np.broadcast_shapes(ua.shape[:-1], va.shape[:-1])
        except ValueError:
            batch = None                                             # convolve names the shapes
        if batch is not None:
            _check_fast(G, batch, "convolve", routing.transform_kind(G))
    inv = G.inverses()
    if eu or ev:
        return convolve(G, v, np.asarray(ua)[..., inv])
    return convolve(G, va, ua[..., inv])


# ---------------------------------------------------------------------------- block diagonalise
def _regular_basis(G, field):
    """``(Q, counts)``: Q (n x n) with ``Q^* R(g) Q = blockdiag(copies of the irreps)`` and the copy
    counts, kept per group and field (Q read-only)."""
    return G.memo.get(_NS, ("regular_basis", field), lambda: _compute_regular_basis(G, field))


def _compute_regular_basis(G, field):
    from .irreducibles import irreps

    n = G.order
    dtype = complex if field == "complex" else float
    check_size((n, n), np.dtype(dtype).itemsize, f"the Fourier basis of {G.name}")
    reps = irreps(G, field)
    Q = np.empty((n, n), dtype=dtype)
    filled = 0
    counts = []
    for rho in reps:
        M = rho.numeric().matrices                       # (n, d, d): F_i[a, j] = rho(a)[i, j]
        d = rho.dim
        e = int(commutant_dimension(rho.frobenius_schur)) if field == "real" else 1
        need = d // e
        got = []
        for i in range(d):
            F = M[:, i, :].astype(complex if field == "complex" else float)
            for P in got:
                F = F - P @ (P.conj().T @ F)
            # Schur: the rows of a unitary irreducible have squared norm n / d; a row in the span of
            # the rows taken already leaves round-off (of n terms) only
            s = np.real(np.vdot(F[:, 0], F[:, 0]))
            if s > roundoff(F.dtype, scale=n / d, terms=n):
                got.append(F / np.sqrt(s))
            if len(got) == need:
                break
        for F in got:
            Q[:, filled:filled + F.shape[1]] = F
            filled += F.shape[1]
        counts.append(len(got))
    if filled != n:  # pragma: no cover - Schur: the copies of the irreducibles span R^G
        raise RuntimeError(f"the Fourier basis of {G.name} has {filled} columns, not {n}")
    return Q, tuple(counts)


def block_diagonalize(G: FiniteGroup, M, field: str = "real") -> tuple:
    """An orthogonal (``field="real"``) or unitary Q with ``Q^* M Q`` block diagonal, for a group matrix M.

    Parameters
    ----------
    G : FiniteGroup
    M : (n, n) array_like, scipy.sparse matrix or sympy.Matrix
        A group matrix ``M_x[g, h] = x(g^-1 h)`` of ``G`` (checked), e.g. from
        :func:`groupmat.group_matrix` (dense, ``sparse=True``, or exact).
    field : {"real", "complex"}

    Returns
    -------
    Q : ndarray (n, n)
        Columns: for each irreducible ``rho`` of ``irreps(G, field)``, ``d_rho / e_rho`` orthonormal
        copies of the ``n x d`` matrix of coefficients ``a -> rho(a)[i, :]``, which satisfy
        ``R(g) F = F rho(g)``. Computed once per group and field and read-only (take a copy to
        modify it).
    blocks : list of ndarray (or of sympy.Matrix)
        The diagonal blocks in order: ``xhat(rho)`` repeated ``d_rho / e_rho`` times (Schur). For
        an exact (SymPy or object) ``M`` the blocks are exact ``sympy.Matrix`` where ``G`` has exact
        irreducibles; otherwise ``M`` is evaluated numerically (real stays real).

    Raises
    ------
    ValueError
        ``M`` is not a group matrix of ``G`` (or has the wrong shape).
    TypeError
        ``M`` is not numeric, sparse or SymPy, or has free symbols on a group without exact
        irreducibles.

    Examples
    --------
    >>> import groupmat as gm, numpy as np, scipy.linalg as sl
    >>> G = gm.symmetric(3)
    >>> M = gm.group_matrix(G, np.arange(6.0))
    >>> Q, blocks = gm.block_diagonalize(G, M)
    >>> [b.shape for b in blocks]
    [(1, 1), (2, 2), (2, 2), (1, 1)]
    >>> np.allclose(Q.T @ M @ Q, sl.block_diag(*blocks)), np.allclose(Q.T @ Q, np.eye(6))
    (True, True)
    """
    G = _check_group(G)
    check_choice(field, "field", ("real", "complex"))
    try:
        x = x_from_group_matrix(G, M)                      # dense, sparse or SymPy M, unchanged
    except ValueError as err:
        raise ValueError(f"M must be a group matrix of {G.name}: {err}") from None
    except TypeError as err:
        raise TypeError(f"M must be a numeric, sparse or SymPy group matrix of {G.name}: {err}") from None
    Q, counts = _regular_basis(G, field)
    if x.dtype == object:
        try:
            xhat = fourier(G, x, field=field, exact=True)
            blocks = [B for B, c in zip(xhat, counts) for _ in range(c)]
            return Q, blocks
        except ValueError:                                 # no exact irreducibles for G
            pass
        try:
            x = to_numeric(x)
        except TypeError:
            raise TypeError(f"M has symbolic entries and {G.name} has no exact irreducible representations; "
                            "substitute numbers into M first") from None
    xhat = fourier(G, x, field=field)
    blocks = []
    for k, c in enumerate(counts):
        blocks.extend([np.asarray(xhat[k])] * c)
    return Q, blocks
