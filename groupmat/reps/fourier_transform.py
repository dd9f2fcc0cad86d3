"""The Fourier transform on a finite group, its inverse, fast convolution and block diagonalisation.

Convention: ``xhat(rho) = sum_g x(g) rho(g)`` over the irreducible representations of
:func:`irreps` (in that order), so that ``(x * y)^ = xhat yhat`` for
``(x * y)(t) = sum_u x(u) y(u^-1 t)`` and ``M_x = sum_g x(g) R(g)`` is block diagonalised by the
matrix coefficients of the irreducibles. The inverse is

.. math::  x(g) = \\frac{1}{|G|} \\sum_\\rho \\frac{d_\\rho}{e_\\rho} \\operatorname{tr}\\big(\\rho(g)^* \\hat x(\\rho)\\big),

with ``e = 1`` for complex irreducibles and ``e = 1, 2, 4`` for real irreducibles of real, complex
and quaternionic type (Plancherel: ``sum_g |x(g)|^2 = (1/|G|) sum_rho (d/e) ||xhat(rho)||_F^2``).

Fast paths, each equal to the dense definition (the tests check it):

- abelian groups built from cyclic and sign groups (``CyclicGroup``, ``SignGroup`` and direct products of
  them): one ``numpy.fft.fftn`` over the cyclic factors, ``O(n log n)``;
- dihedral groups: FFTs over the rotations, ``O(n log n)``;
- other direct products: factor by factor, each factor by its own fastest path;
- any other group: the dense transform, ``O(n sum_rho d_rho^2) = O(n^2)`` work with the matrices of all
  irreducibles (built once per group).
"""
from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from .._exact import is_symbolic, to_object_array
from .._validation import check_choice, check_finite, check_same_group, check_size
from ..groups.core import check_group as _check_group
from ..groups.core import FiniteGroup
from ..matrices.group_matrices import _coerce_x
from ..matrices.group_matrices import dense_convolve
from .irreducibles import commutant_dimension

__all__ = ["FourierCoefficients", "fourier", "inverse_fourier", "convolve", "fast_group_matvec", "has_fast_transform",
           "block_diagonalize", "plancherel_norm", "abelian_factor_shape"]


def _store(G) -> dict:
    """TEMPORARY: this module's entries in the group's memo (to be replaced by memo.get calls)."""
    return G.memo.get("reps.fourier_transform", "store", dict)


def _check_bool(value, name: str) -> bool:
    if not isinstance(value, (bool, np.bool_)):
        raise TypeError(f"{name} must be True or False, got {type(value).__name__} {value!r}")
    return bool(value)


# ------------------------------------------------------------------------------------ structure
def abelian_factor_shape(G: FiniteGroup) -> "tuple[int, ...] | None":
    """The orders of the cyclic factors of ``G`` when it is built from cyclic and sign groups, else None.

    ``G`` qualifies when it is a ``CyclicGroup``, a ``SignGroup`` or a direct product of such groups
    (nested products included); its element index is then the row-major index of the tuple of
    factor components, so ``x.reshape(shape)`` lays a function on ``G`` out for ``numpy.fft.fftn``.

    Parameters
    ----------
    G : FiniteGroup

    Returns
    -------
    tuple of int, or None
        The axis lengths (row-major, a sign group ``C_2^k`` contributes ``k`` axes of length 2 and
        the trivial sign group one axis of length 1); None for any other group, even an abelian one
        given by a table.

    Examples
    --------
    >>> import groupmat as gm
    >>> from groupmat.reps.fourier_transform import abelian_factor_shape
    >>> abelian_factor_shape(gm.direct_product(gm.cyclic(4), gm.sign_group(2)))
    (4, 2, 2)
    >>> abelian_factor_shape(gm.dihedral(3)) is None
    True
    """
    from ..groups.named import CyclicGroup
    from ..groups.products import DirectProduct, SignGroup

    if isinstance(G, CyclicGroup):
        return (G.n,)
    if isinstance(G, SignGroup):
        return (2,) * G.k if G.k else (1,)
    if isinstance(G, DirectProduct):
        shape = ()
        for F in G.factors:
            s = abelian_factor_shape(F)
            if s is None:
                return None
            shape += s
        return shape
    return None


_abelian_shape = abelian_factor_shape


def _unwrap(G):
    """A one-factor direct product is its factor (same element indices): return the innermost factor."""
    from ..groups.products import DirectProduct

    while isinstance(G, DirectProduct) and len(G.factors) == 1:
        G = G.factors[0]
    return G


def _kind(G) -> str:
    """Which transform serves G: "abelian", "dihedral", "product" or "dense" (cached on the group).

    The kind of a one-factor direct product is that of its factor (the internal routes unwrap it).
    """
    kind = _store(G).get("reps:kind")
    if kind is None:
        G0 = G
        G = _unwrap(G)
        from ..groups.named import DihedralGroup
        from ..groups.products import DirectProduct

        if _abelian_shape(G) is not None:
            kind = "abelian"
        elif isinstance(G, DihedralGroup):
            kind = "dihedral"
        elif isinstance(G, DirectProduct):
            kind = "product"
        else:
            kind = "dense"
        _store(G0)["reps:kind"] = kind
        _store(G0)["reps:cyclic1d"] = kind == "abelian" and len(_abelian_shape(G)) == 1
    return kind


def _num_irreps(G) -> int:
    G = _unwrap(G)
    kind = _kind(G)
    if kind == "abelian":
        return G.order
    if kind == "dihedral":
        n = G.n
        return (4 if n % 2 == 0 else 2) + (n - 1) // 2
    if kind == "product":
        out = 1
        for F in G.factors:
            out *= _num_irreps(F)
        return out
    from .characters import character_table

    return len(character_table(G))


def _layout(G):
    """The stacks of the complex fast transform: a list of index arrays, one per stack."""
    G = _unwrap(G)
    kind = _kind(G)
    if kind == "abelian":
        return [np.arange(G.order)]
    if kind == "dihedral":
        n1 = 4 if G.n % 2 == 0 else 2
        m = (G.n - 1) // 2
        return [np.arange(n1)] + ([np.arange(n1, n1 + m)] if m else [])
    if kind == "product":
        F1, rest = _split_product(G)
        r2 = _num_irreps(rest)
        return [(a[:, None] * r2 + b[None, :]).ravel() for a in _layout(F1) for b in _layout(rest)]
    return _dense_layout(G, "complex")


def _dense_layout(G, field):
    from .irreducibles import irreps

    degs = np.array([r.dim for r in irreps(G, field)])
    return [np.flatnonzero(degs == d) for d in np.unique(degs)]


def _split_product(G):
    """``(first factor, product of the others)`` for a direct product of at least two factors."""
    from ..groups.products import DirectProduct

    if len(G.factors) < 2:
        raise ValueError(f"internal: _split_product needs at least two factors, {G.name} has {len(G.factors)}")
    F1 = G.factors[0]
    if len(G.factors) == 2:
        rest = G.factors[1]
    else:
        rest = DirectProduct(G.factors[1:])
        # keep one object per product so that irreps/caches are shared
        key = "reps:rest"
        if key not in _store(G):
            _store(G)[key] = rest
        rest = _store(G)[key]
    return F1, rest


def _conj_structure(G):
    """``(conj, fs)`` for groups whose irreps satisfy ``conj(rho_k) = rho_conj[k]`` as matrices and whose
    real-type irreps have real matrices (abelian, dihedral, symmetric and products of them); else None."""
    from ..groups.named import DihedralGroup
    from .irreducibles import _is_symmetric_group

    G = _unwrap(G)
    shape = _abelian_shape(G)
    if shape is not None:
        idx = np.arange(G.order)
        parts = np.unravel_index(idx, shape)
        conj = np.ravel_multi_index(tuple((-p) % s for p, s in zip(parts, shape)), shape)
        return conj, np.where(conj == idx, 1, 0)
    if isinstance(G, DihedralGroup) or _is_symmetric_group(G):
        r = _num_irreps(G)
        return np.arange(r), np.ones(r, dtype=int)
    if _kind(G) == "product":
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
    a = _store(G).get("reps:arange")
    if a is None:
        a = _store(G)["reps:arange"] = np.arange(G.order)
    return a


def _fwd(G, x):
    """Complex fast forward transform of numeric ``x`` (..., n) -> list of (idx, data) stacks."""
    G = _unwrap(G)
    kind = _kind(G)
    batch = x.shape[:-1]
    if kind == "abelian":
        shape = _abelian_shape(G)
        if len(shape) == 1:
            F = np.fft.fft(x, axis=-1)
            return [(_arange(G), F[..., None, None])]
        else:
            axes = tuple(range(-len(shape), 0))
            F = np.fft.fftn(x.reshape(batch + shape), axes=axes).reshape(batch + (G.order,))
        return [(np.arange(G.order), F[..., None, None])]
    if kind == "dihedral":
        return _fwd_dihedral(G, x)
    if kind == "product":
        F1, rest = _split_product(G)
        n1, n2 = F1.order, rest.order
        L = len(batch)
        r2 = _num_irreps(rest)
        B = _fwd(rest, x.reshape(batch + (n1, n2)))
        results = {}
        for bi, (idxb, Db) in enumerate(B):
            Y = np.moveaxis(Db, L, -1)                        # (..., mb, db, db, n1)
            for ai, (idxa, Da) in enumerate(_fwd(F1, Y)):     # (..., mb, db, db, ma, da, da)
                ma, da, mb, db = Da.shape[-3], Da.shape[-1], Db.shape[-3], Db.shape[-1]
                Z = Da.transpose(tuple(range(L)) + (L + 3, L, L + 4, L + 1, L + 5, L + 2))
                Z = Z.reshape(batch + (ma * mb, da * db, da * db))
                results[(ai, bi)] = ((idxa[:, None] * r2 + idxb[None, :]).ravel(), Z)
        return [results[k] for k in sorted(results)]
    return _fwd_dense(G, x, "complex")


def _fwd_dense(G, x, field):
    mats = _stacked_irreps(G, field)
    out = []
    for idx, M in mats:
        check_size(x.shape[:-1] + M.shape[:1] + M.shape[2:], 16, f"the Fourier coefficients on {G.name}")
        out.append((idx, np.einsum("...g,mgij->...mij", x, M, optimize=True)))
    return out


def _stacked_irreps(G, field):
    key = ("reps:stacked", field)
    if key not in _store(G):
        from .irreducibles import irreps

        reps = irreps(G, field)
        out = []
        for idx in _dense_layout(G, field):
            M = np.stack([reps[k].matrices for k in idx])     # (m, n, d, d)
            if np.iscomplexobj(M) and np.max(np.abs(M.imag)) == 0:
                M = M.real.copy()
            out.append((idx, M))
        _store(G)[key] = out
    return _store(G)[key]


def _dihedral_spectra(x, n):
    """``fft`` of the rotation part ``a`` and reflection part ``b`` of ``x`` (..., 2n)."""
    a, b = x[..., :n], x[..., n:]
    return np.fft.fft(a, axis=-1), np.fft.fft(b, axis=-1)


def _dihedral_plan(G):
    """Cached per dihedral group: the one-dimensional characters and the stack index arrays."""
    plan = _store(G).get("reps:dihedral_plan")
    if plan is None:
        from .irreducibles import _dihedral_one_dim

        n = G.n
        ones = [(0 if alpha == 1 else n // 2, beta) for alpha, beta in _dihedral_one_dim(n)]
        m = (n - 1) // 2
        plan = _store(G)["reps:dihedral_plan"] = (ones, m, np.arange(len(ones)),
                                                np.arange(len(ones), len(ones) + m))
    return plan


def _fwd_dihedral(G, x):
    n = G.n
    batch = x.shape[:-1]
    real = not np.iscomplexobj(x)
    ones, m, idx1, idx2 = _dihedral_plan(G)
    if real:
        R = np.fft.rfft(x.reshape(batch + (2, n)), axis=-1)   # k = 0..n//2 suffices
        Fa, Fb = R[..., 0, :], R[..., 1, :]
    else:
        Fa, Fb = _dihedral_spectra(x, n)
    one = np.empty(batch + (len(ones), 1, 1), dtype=float if real else complex)
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
def _inv(G, stacks):
    """Complex fast inverse: stacks in the layout of ``_layout(G)`` -> (..., n)."""
    G = _unwrap(G)
    kind = _kind(G)
    if kind == "abelian":
        shape = _abelian_shape(G)
        F = stacks[0][1][..., 0, 0]
        batch = F.shape[:-1]
        if len(shape) == 1:
            return np.fft.ifft(F, axis=-1)
        axes = tuple(range(-len(shape), 0))
        return np.fft.ifftn(F.reshape(batch + shape), axes=axes).reshape(batch + (G.order,))
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
    kind = _kind(G)
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
    mats = _stacked_irreps(G, field)
    n = G.order
    out = 0
    for (idx, M), (_, X) in zip(mats, stacks):
        d = M.shape[-1]
        if field == "real":
            from .irreducibles import irreps

            reps = irreps(G, "real")
            e = commutant_dimension([reps[k].frobenius_schur for k in idx])
            c = d / e
        else:
            c = np.full(idx.size, float(d))
        out = out + np.einsum("mgij,...mij,m->...g", np.conj(M), X, c, optimize=True)
    return out / n


def _inv_dihedral(G, stacks):
    n = G.n
    one = stacks[0][1][..., 0, 0]
    batch = one.shape[:-1]
    dtype = np.result_type(*[s[1].dtype for s in stacks], complex)
    Ya = np.zeros(batch + (n,), dtype=dtype)
    Yb = np.zeros(batch + (n,), dtype=dtype)
    from .irreducibles import _dihedral_one_dim

    for i, (alpha, beta) in enumerate(_dihedral_one_dim(n)):
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
    ks, js, fs = _real_structure(G)
    degs = _complex_degrees(G)[ks]
    rdeg = np.where(fs == 1, degs, 2 * degs)
    # one stack per (real degree, complex degree): a stack never mixes real-type and realified blocks
    keys = rdeg * (degs.max(initial=1) + 1) + degs
    return [np.flatnonzero(keys == k) for k in np.unique(keys)], ks, js, fs, degs


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
def _numeric_x(G, x, name="x"):
    arr, exact = _coerce_x(G, x, name)
    if not exact and arr.dtype.kind in "biu":
        arr = arr.astype(float)
    return arr, exact


def fourier(G: FiniteGroup, x, field: str = "complex", exact: bool = False) -> "FourierCoefficients | list":
    """The Fourier transform ``xhat(rho) = sum_g x(g) rho(g)`` over the irreducibles of ``G``.

    Parameters
    ----------
    G : FiniteGroup
    x : array_like of shape (..., n), or SymPy values
        Leading axes are a batch. SymPy input (or an object array) gives the exact transform with
        the exact irreducibles (a list of ``sympy.Matrix``).
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

    See Also
    --------
    inverse_fourier, convolve, irreps, block_diagonalize

    Notes
    -----
    For ``C_n`` the irreducibles are ``rho_k(r^g) = exp(-2 pi i k g / n)`` and the transform is
    ``numpy.fft.fft(x)``. Cost: ``O(n log n)`` for abelian groups made of cyclic and sign groups and
    for dihedral groups; factor by factor for direct products; ``O(n^2)`` for other groups (the dense
    definition, with all irreducibles built once per group).

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
    if not exact and field == "complex" and type(x) is np.ndarray and x.ndim == 1 \
            and x.dtype.kind in "fc" and x.shape[0] == G.order and _store(G).get("reps:kind") == "abelian" \
            and _store(G).get("reps:cyclic1d"):
        # fast return for one function on a (cached) one-axis cyclic group: a single FFT
        if not np.isfinite(x.sum()):                       # the sum is finite when every entry is
            check_finite(x, "x")
        return FourierCoefficients(G, "complex", [(_arange(G), np.fft.fft(x)[:, None, None])],
                                   real_input=x.dtype.kind == "f")
    arr, symbolic = _numeric_x(G, x)
    if symbolic or exact:
        return _fourier_exact(G, to_object_array(arr), field)
    real_input = not np.iscomplexobj(arr)
    kind = _kind(G)
    if field == "complex" or kind == "dihedral":
        stacks = _fwd_dense(G, arr, field) if kind == "dense" else _fwd(G, arr)
        return FourierCoefficients(G, field, stacks, real_input=real_input)
    if kind != "dense" and _conj_structure(G) is not None:
        return _to_real(G, FourierCoefficients(G, "complex", _fwd(G, arr)), real_input)
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


def _layout_for(G, field):
    kind = _kind(G)
    if field == "complex" or kind == "dihedral":
        return _layout(G) if kind != "dense" else _dense_layout(G, field)
    if kind != "dense" and _conj_structure(G) is not None:
        return _real_layout(G)[0]
    return _dense_layout(G, "real")


def _coerce_xhat(G, xhat, field):
    """Stacks in the layout of ``(G, field)`` from FourierCoefficients or a sequence of blocks."""
    layout = _layout_for(G, field)
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
    expected = [_expected_degree(G, field, s, idx) for s, idx in enumerate(layout)]
    for s, (arr, d) in enumerate(zip(out, expected)):
        if arr.shape[-1] != d:
            raise ValueError(f"xhat[{int(layout[s][0])}] must be a {d}x{d} matrix (the irrep's degree), "
                             f"got {arr.shape[-2:]}")
    real_input = all(not np.iscomplexobj(a) for a in out)
    return out, real_input


def _expected_degree(G, field, s, idx):
    from .irreducibles import irreps

    kind = _kind(G)
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
        One block per irreducible in the order of ``irreps(G, field)``.
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
    stacks, real_input = _coerce_xhat(G, xhat, field)
    if stacks is None:
        return _inverse_exact(G, list(xhat), field)
    layout = _layout_for(G, field)
    kind = _kind(G)
    pairs = list(zip(layout, stacks))
    if field == "complex" or kind == "dihedral":
        x = _inv(G, pairs) if kind != "dense" else _inv_dense(G, pairs, field)
    elif kind != "dense" and _conj_structure(G) is not None:
        x = _inv(G, _from_real(G, pairs))
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
        out[g] = sympy.nsimplify(sympy.expand(total / n))
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
    >>> bool(np.isclose(gm.plancherel_norm(gm.fourier(gm.quaternion(), x)), x @ x))
    True
    """
    if not isinstance(xhat, FourierCoefficients):
        raise TypeError(f"xhat must be FourierCoefficients from groupmat.fourier, got {type(xhat).__name__}")
    G = xhat.group
    if xhat.field == "real":
        from .irreducibles import irreps

        e = commutant_dimension([r.frobenius_schur for r in irreps(G, "real")]) \
            if not (_kind(G) != "dense" and _conj_structure(G) is not None) else \
            np.where(_real_structure(G)[2] == 1, 1, 2)
    else:
        e = np.ones(len(xhat))
    total = 0.0
    for idx, X in xhat.stacks:
        d = X.shape[-1]
        total = total + np.sum((np.abs(X) ** 2).sum(axis=(-1, -2)) * (d / e[idx]), axis=-1)
    return total / G.order


# ------------------------------------------------------------------------------------- convolve
_FAST_MIN_ORDER = 64


def _route(G) -> str:
    """How :func:`convolve` (and :func:`has_fast_transform`) treat ``G``: the single routing rule.

    ``"fft"``: every factor has an FFT route (abelian groups of cyclic and sign groups at any order;
    dihedral groups and direct products of FFT-route groups of order at least ``_FAST_MIN_ORDER``);
    ``"factorwise"``: a direct product of order at least ``_FAST_MIN_ORDER`` with a factor that is
    transformed densely; ``"dense"``: everything else (the dense product).
    """
    route = _store(G).get("reps:route")
    if route is None:
        kind = _kind(G)
        if kind == "abelian":
            route = "fft"
        elif kind == "dense" or G.order < _FAST_MIN_ORDER:
            route = "dense"
        elif kind == "product":
            route = "fft" if _all_fft(G) else "factorwise"
        else:
            route = "fft"
        _store(G)["reps:route"] = route
    return route


def _all_fft(G) -> bool:
    """True when every factor of ``G`` (recursively) has an FFT route (kind other than "dense")."""
    G = _unwrap(G)
    kind = _kind(G)
    if kind == "product":
        return all(_all_fft(F) for F in G.factors)
    return kind != "dense"


def has_fast_transform(G: FiniteGroup) -> bool:
    """True when the Fourier transform and :func:`convolve` on ``G`` are FFT-based all the way down.

    That is: abelian groups made of cyclic and sign groups (any order), dihedral groups of order at
    least 64, and direct products of order at least 64 each of whose factors has an FFT route
    (cyclic, sign, dihedral, or products of these, whatever the factor's own order). Other groups
    (and direct products with a factor that has no FFT route) use a dense ``O(n^2)`` transform for
    at least one factor. :func:`convolve` routes by the same rule.

    Parameters
    ----------
    G : FiniteGroup

    Returns
    -------
    bool

    Examples
    --------
    >>> import groupmat as gm
    >>> gm.has_fast_transform(gm.cyclic(10)), gm.has_fast_transform(gm.dihedral(64))
    (True, True)
    >>> gm.has_fast_transform(gm.symmetric(5)), gm.has_fast_transform(gm.dihedral(8))
    (False, False)
    >>> gm.has_fast_transform(gm.direct_product(gm.dihedral(16), gm.cyclic(8)))
    True
    """
    G = _check_group(G)
    return _route(G) == "fft"


def convolve(G: FiniteGroup, x, y) -> np.ndarray:
    """The group-algebra product ``(x * y)(t) = sum_u x(u) y(u^-1 t)``, by the fastest route.

    ``M_x M_y = M_{x*y}`` for the group matrices ``M_x[g, h] = x(g^-1 h)``.

    Parameters
    ----------
    G : FiniteGroup
    x, y : array_like of shape (..., n)
        Leading batch axes broadcast against each other. SymPy input takes the exact route of
        :func:`groupmat.dense_convolve`.

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

    Notes
    -----
    Routes: abelian groups made of cyclic and sign groups use ``numpy.fft.rfftn``/``fftn``
    (``O(n log n)``); dihedral groups and direct products of order at least 64 multiply their
    Fourier blocks (``(x*y)^ = xhat yhat``) with the fast transforms (factor by factor for
    products); any other group uses the dense ``O(n^2)`` product of :func:`groupmat.dense_convolve`.
    The FFT-all-the-way-down cases are exactly those where :func:`has_fast_transform` is True.

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
    xa, ex = _coerce_x(G, x, "x")
    ya, ey = _coerce_x(G, y, "y")
    try:
        np.broadcast_shapes(xa.shape[:-1], ya.shape[:-1])
    except ValueError:
        raise ValueError(f"the batch axes of x {xa.shape[:-1]} and y {ya.shape[:-1]} do not broadcast "
                         f"(x has shape {xa.shape}, y has shape {ya.shape})") from None
    if ex or ey:
        return dense_convolve(G, x, y)
    if _route(G) == "dense":
        return dense_convolve(G, xa, ya)
    kind = _kind(G)
    integer = xa.dtype.kind in "biu" and ya.dtype.kind in "biu"
    if integer:
        bound = float(np.abs(xa).max(initial=0)) * float(np.abs(ya).max(initial=0)) * G.order
        if bound >= 2.0**50:
            return dense_convolve(G, xa, ya)
        out = _fast_convolve(G, kind, xa.astype(float), ya.astype(float))
        return np.rint(out).astype(np.result_type(xa.dtype, ya.dtype, np.int8))
    return _fast_convolve(G, kind, xa, ya)


def _fast_convolve(G, kind, x, y):
    real = not (np.iscomplexobj(x) or np.iscomplexobj(y))
    if kind == "abelian":
        shape = _abelian_shape(G)
        batch = np.broadcast_shapes(x.shape[:-1], y.shape[:-1])
        axes = tuple(range(-len(shape), 0))
        xs, ys = x.reshape(x.shape[:-1] + shape), y.reshape(y.shape[:-1] + shape)
        if real:
            out = np.fft.irfftn(np.fft.rfftn(xs, axes=axes) * np.fft.rfftn(ys, axes=axes), s=shape, axes=axes)
        else:
            out = np.fft.ifftn(np.fft.fftn(xs, axes=axes) * np.fft.fftn(ys, axes=axes), axes=axes)
        return out.reshape(batch + (G.order,))
    X, Y = _fwd(G, x), _fwd(G, y)
    Z = [(i, a @ b) for (i, a), (_, b) in zip(X, Y)]
    out = _inv(G, Z)
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
    >>> np.allclose(gm.fast_group_matvec(G, u, v), gm.group_matrix(G, u) @ v)
    True
    """
    G = _check_group(G)
    ua, eu = _coerce_x(G, u, "u")
    va, ev = _coerce_x(G, v, "v")
    inv = G.inverses()
    if eu or ev:
        return convolve(G, v, np.asarray(ua)[..., inv])
    return convolve(G, va, ua[..., inv])


# ---------------------------------------------------------------------------- block diagonalise
def _regular_basis(G, field):
    """Q (n x n) with ``Q^* R(g) Q = blockdiag(copies of the irreps)`` and the copy counts."""
    key = ("reps:regular_basis", field)
    if key in _store(G):
        return _store(G)[key]
    from .irreducibles import irreps

    n = G.order
    check_size((n, n), 16, f"the Fourier basis of {G.name}")
    reps = irreps(G, field)
    cols, counts = [], []
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
            s = np.real(np.vdot(F[:, 0], F[:, 0]))
            if s > 1e-8 * n / d:
                got.append(F / np.sqrt(s))
            if len(got) == need:
                break
        cols.extend(got)
        counts.append(len(got))
    Q = np.concatenate(cols, axis=1)
    _store(G)[key] = (Q, counts)
    return Q, counts


def block_diagonalize(G: FiniteGroup, M, field: str = "real") -> tuple:
    """An orthogonal (``field="real"``) or unitary Q with ``Q^* M Q`` block diagonal, for a group matrix M.

    Parameters
    ----------
    M : (n, n) array_like, scipy.sparse matrix or sympy.Matrix
        A group matrix ``M_x[g, h] = x(g^-1 h)`` of ``G`` (checked), e.g. from
        :func:`groupmat.group_matrix` (dense, ``sparse=True``, or exact).
    G : FiniteGroup
    field : {"real", "complex"}

    Returns
    -------
    Q : ndarray (n, n)
        Columns: for each irreducible ``rho`` of ``irreps(G, field)``, ``d_rho / e_rho`` orthonormal
        copies of the ``n x d`` matrix of coefficients ``a -> rho(a)[i, :]``, which satisfy
        ``R(g) F = F rho(g)``.
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
    from .._exact import to_numeric
    from ..matrices.group_matrices import x_from_group_matrix

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
