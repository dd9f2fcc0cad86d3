"""GM-LDR matrices ``M = M_b + sum_{i<r} diag(v_i) M_{u_i}``: storage, fast products, fitting.

The coefficient array of such a matrix is ``F = b 1^T + sum_i u_i v_i^T`` (``F[g, h] = M[h, h g]``), so
its coefficient displacement ``F - F P`` has rank at most ``r``. It stores ``(2r + 1) n`` numbers instead
of ``n^2`` and multiplies a vector with ``r + 1`` group convolutions (real FFTs over the cyclic
coordinates of abelian groups, :func:`groupmat.convolve` for dihedral and product groups, the cached
dense form for groups without a fast transform), the route chosen by
:func:`groupmat.routing.ldr_product_route`.

**Bridge from classical LDR.** For ``C_n`` the group matrices are the circulants and the generator
displacement is ``Z_1 M - M Z_1``; Toeplitz-like matrices (Sylvester rank ``r`` for ``(Z_1, Z_{-1})``)
are sums of ``r`` products of an f-circulant and a circulant, while GM-LDR matrices are sums of
``r + 1`` products of a diagonal and a group matrix: the same "few structured factors" idea, with the
cyclic shift replaced by the regular action of any finite group.
"""
from __future__ import annotations

import math
import numbers
from dataclasses import dataclass

import numpy as np

from .. import routing, tolerances
from .._chunked import apply as apply_chunked, is_chunked
from .._exact import as_numeric_or_exact, is_symbolic, to_numeric, to_object_array
from .._validation import TooLargeError, check_finite, check_nonnegative_int, check_size, check_tolerance
from ..groups.core import FiniteGroup, check_group
from ..matrices import dense_convolve, from_group_diagonals, group_diagonals
from ..reps.fourier_transform import convolve
from .core import _coerce_matrix, _pow2_scale, _sympy_matrix

__all__ = ["GroupLDRMatrix", "TransposedGroupLDRMatrix", "fit_group_ldr"]


def _convolve(G: FiniteGroup, x, y):
    """:func:`groupmat.convolve`, with the trivial group done directly: ``(x * y)(e) = x(e) y(e)``."""
    if G.order == 1:
        return np.asarray(x) * np.asarray(y)
    return convolve(G, x, y)


def _param(x, shape, name):
    arr, exact = as_numeric_or_exact(x, name, to_float=True, vector=len(shape) == 1)
    if arr.shape != shape:
        raise ValueError(f"{name} must have shape {shape}, got {arr.shape}")
    return arr, exact


def _read_only(a: np.ndarray) -> np.ndarray:
    a.flags.writeable = False
    return a


@dataclass
class _ProductPlan:
    """What a :class:`GroupLDRMatrix` derives once for its numeric products, owned by the matrix.

    Filled on first use, each field once; every array in it is read-only (the parameters it is
    derived from are read-only too, so it never goes stale).
    """

    #: the route of :func:`groupmat.routing.ldr_product_route`
    route: str | None = None
    #: the dense ``n x n`` matrix (route ``"dense"``)
    dense: np.ndarray | None = None
    #: ``(shape, elements, positions, V on the grid)`` of the real-FFT route (see ``cyclic_coordinates``)
    grid: tuple | None = None
    #: the real-FFT spectra of the ``r + 1`` kernels of ``M`` and of ``M^T``
    spectra: np.ndarray | None = None
    spectra_T: np.ndarray | None = None


class GroupLDRMatrix:
    """A GM-LDR matrix ``M = M_b + sum_{i<r} diag(V[i]) M_{U[i]}`` over a finite group ``G``.

    ``M_x[g, h] = x(g^-1 h)`` is the group matrix of ``x``. The coefficient array
    (:func:`groupmat.group_diagonals`) is ``F = b 1^T + U^T V``, i.e. ``M[h, h g] = b(g) + sum_i U[i, g] V[i, h]``,
    so the coefficient displacement rank is at most ``r``.

    Parameters
    ----------
    G : FiniteGroup
    b : array_like, shape (n,)
        The group-matrix part ``M_b``.
    U, V : array_like, shape (r, n), optional
        The ``r`` kernels ``u_i`` and diagonals ``v_i`` (``r = 0`` when omitted). SymPy entries make
        an exact matrix (``dense()`` is then a ``sympy.Matrix``; products go through it).

    Attributes
    ----------
    group, b, U, V
    rank : int
        ``r``, the bound on the coefficient displacement rank (see :meth:`compress` for the exact one).
    num_parameters : int
        ``(2 r + 1) n``.

    Notes
    -----
    Products. ``M @ x`` (``x`` of shape ``(n,)``) and ``M @ X`` (``X`` of shape ``(..., n, k)``, columns
    are vectors, as in ``numpy.matmul``) cost ``r + 1`` group convolutions, using
    ``M_u x = convolve(G, x, u o inv)``: ``M x = M_b x + sum_i v_i * (M_{u_i} x)``, by real FFTs
    over the cyclic coordinates of abelian groups (:meth:`groupmat.FiniteGroup.cyclic_coordinates`,
    also for an abelian group given only by its table); groups without a fast transform (and small
    groups) use the dense form, built once, read-only and cached (see :meth:`product_route`). ``b``,
    ``U`` and ``V`` are read-only copies, so the cached data cannot go stale. :meth:`matvec` takes
    a batch with the vectors along the *last* axis (``(..., n)``), which is what the convolutions
    use natively. ``X @ M`` works through the transpose.

    Algebra (the rank bounds of the theorems). ``M1 + M2`` has rank ``r1 + r2``; ``c * M`` keeps ``r``;
    ``M @ N`` with ``N`` a group matrix (a ``GroupLDRMatrix`` of rank 0) keeps ``r``
    (``diag(v) M_u M_c = diag(v) M_{u * c}``). Any other product (a group matrix on the left, or two
    matrices of positive rank) has no such bound, and ``M @ N`` then returns the dense ndarray.
    ``M.T`` is a :class:`TransposedGroupLDRMatrix` (``M_b^T + sum_i M_{U[i]}^T diag(V[i])``, group
    matrices on the left), multiplied as fast; its coefficient displacement rank is generically
    ``n - 1``.

    **Bridge from classical LDR.** For ``C_n`` with generator ``1`` the generator displacement
    ``L(1) M - M L(1)`` is the classical circulant displacement with ``Z_1``: ``M_b`` (a circulant) has
    displacement 0, and Toeplitz matrices have generator displacement rank at most 2. GM-LDR keeps the
    coefficient-displacement version of low rank for every finite group.

    See Also
    --------
    fit_group_ldr, coefficient_displacement, generator_displacement

    Examples
    --------
    >>> import numpy as np, groupmat as gm
    >>> G = gm.dihedral(4)
    >>> rng = np.random.default_rng(0)
    >>> M = gm.GroupLDRMatrix(G, rng.normal(size=8), rng.normal(size=(2, 8)), rng.normal(size=(2, 8)))
    >>> M.rank, M.num_parameters, M.shape
    (2, 40, (8, 8))
    >>> X = rng.normal(size=(8, 3))
    >>> np.allclose(M @ X, M.dense() @ X), np.allclose(M.T @ X, M.dense().T @ X)
    (True, True)
    >>> gm.ldr.coefficient_displacement_rank(G, M.dense())
    2
    """

    #: what the numeric products derive once (route, dense form, spectra): this matrix's own state
    _plan: _ProductPlan

    __array_ufunc__ = None
    #: make ``sympy.Matrix @ operator`` call :meth:`__rmatmul__` (SymPy dispatches on this priority)
    _op_priority = 20.0

    def __init__(self, G: FiniteGroup, b, U=None, V=None):
        if not isinstance(G, FiniteGroup):
            raise TypeError(f"G must be a FiniteGroup (e.g. groupmat.cyclic(4)), got {type(G).__name__}")
        n = G.order
        self.group = G
        b_arr, eb = _param(b, (n,), "b")
        if (U is None) != (V is None):
            raise ValueError("U and V must be given together (or both omitted for rank 0)")
        if U is None:
            U_arr, V_arr, eu, ev = np.zeros((0, n)), np.zeros((0, n)), False, False
        else:
            U0 = to_object_array(U) if is_symbolic(U) else np.asarray(U)
            if U0.ndim != 2:
                raise ValueError(f"U must have shape (r, {n}), got shape {U0.shape}")
            r = U0.shape[0]
            U_arr, eu = _param(U, (r, n), "U")
            V_arr, ev = _param(V, (r, n), "V")
        self.exact = eb or eu or ev
        if self.exact:
            b_arr, U_arr, V_arr = (a if a.dtype == object else to_object_array(a) for a in (b_arr, U_arr, V_arr))
        else:
            # own read-only copies: products cache data derived from them (spectra, the dense form)
            b_arr, U_arr, V_arr = (np.array(a, copy=True) for a in (b_arr, U_arr, V_arr))
            for a in (b_arr, U_arr, V_arr):
                a.flags.writeable = False
        self.b, self.U, self.V = b_arr, U_arr, V_arr
        self._plan = _ProductPlan()

    # ------------------------------------------------------------------ data
    @property
    def n(self) -> int:
        return self.group.order

    @property
    def shape(self) -> tuple[int, int]:
        return (self.n, self.n)

    @property
    def rank(self) -> int:
        return self.U.shape[0]

    @property
    def num_parameters(self) -> int:
        return (2 * self.rank + 1) * self.n

    @property
    def dtype(self):
        return np.result_type(self.b, self.U, self.V)

    def coefficients(self):
        """The coefficient array ``F = b 1^T + U^T V`` (``F[g, h] = M[h, h g]``, see
        :func:`groupmat.group_diagonals`); a ``sympy.Matrix`` when exact."""
        F = self.b[:, None] + self.U.T @ self.V
        return _sympy_matrix(F) if self.exact else F

    def dense(self):
        """The dense ``n x n`` matrix (a ``sympy.Matrix`` when exact), in ``O(r n^2)``: a new,
        writable array at each call."""
        return from_group_diagonals(self.group, self.coefficients())

    def __repr__(self) -> str:
        return f"GroupLDRMatrix({self.group.name}, n={self.n}, rank={self.rank})"

    # ------------------------------------------------------------------ products
    def matvec(self, X) -> np.ndarray:
        """``M x`` for each vector ``x`` along the last axis of ``X`` (shape ``(..., n)``).

        ``M x = conv(x, b o inv) + sum_i V[i] * conv(x, U[i] o inv)``, by the fastest route for the
        group (see :meth:`product_route`): real FFTs with the kernel spectra cached (abelian groups),
        :func:`groupmat.convolve` (dihedral groups and products), or the dense matrix built once and
        cached (groups without a fast transform). A dask array ``X`` gives a lazy dask result, each
        block of its batch multiplied by this method. The peak of a fast product (the kernels' spectra
        included) is asked of the memory budget first: over ``GROUPMAT_MAX_BYTES`` it raises
        ``TooLargeError`` naming the product, before any FFT.
        """
        if is_chunked(X):  # dask: the same products on each block of the batch (groupmat._chunked)
            return apply_chunked(self.matvec, [X], ["X"])
        X = self._check_batch(X)
        if self.exact or X.dtype == object:
            return np.einsum("ij,...j->...i", np.asarray(self._dense_object(), dtype=object), X)
        route = self._route(X)
        self._check_product(X, route)
        if route == "dense":
            return X @ self._dense_cached().T
        if route == "fft":
            return self._fft_apply(X, transpose=False)
        X = np.ascontiguousarray(X)
        inv = self.group.inverses()
        W = np.concatenate([self.b[None, inv], self.U[:, inv]])           # (r + 1, n) kernels
        Z = _convolve(self.group, X[..., None, :], W)                     # (..., r + 1, n)
        Y = Z[..., 0, :].copy()
        for i in range(self.rank):      # r small: r fused multiply-adds beat one einsum
            Y += self.V[i] * Z[..., i + 1, :]
        return Y

    def product_route(self) -> str:
        """How numeric products ``M @ X`` and ``M.T @ X`` are computed, chosen once per matrix.

        The choice is :func:`groupmat.routing.ldr_product_route`, from the group's declared
        structure, whether the parameters are real, and whether the dense form fits in memory.

        Returns
        -------
        str
            ``"fft"``: abelian groups (any abelian group, laid out on its cyclic coordinates) of
            order above :data:`~groupmat.routing.LDR_DENSE_MAX_ORDER_ABELIAN`, with real parameters;
            one batched real FFT per vector and ``r + 1`` inverse ones, the kernel spectra cached.
            ``"convolve"``: groups of order above :data:`~groupmat.routing.LDR_DENSE_MAX_ORDER` with
            another fast transform (dihedral groups, direct products, see :func:`groupmat.convolve`).
            ``"dense"``: groups without a fast transform, and the others up to those orders; the
            dense matrix (``O(r n^2)``, size-checked) is built at the first product, made read-only
            and cached, so each product is one BLAS call.

        Examples
        --------
        >>> import numpy as np, groupmat as gm
        >>> b = np.ones(720)
        >>> gm.GroupLDRMatrix(gm.symmetric(6), b).product_route()
        'dense'
        >>> gm.GroupLDRMatrix(gm.cyclic(4096), np.ones(4096)).product_route()
        'fft'
        """
        plan = self._plan
        if plan.route is None:
            real = not any(np.iscomplexobj(a) for a in (self.b, self.U, self.V))
            try:
                check_size((self.n, self.n), np.dtype(self.dtype).itemsize,
                           f"the cached dense form of a GM-LDR matrix over {self.group.name}")
                dense_fits = True
            except TooLargeError:
                dense_fits = False
            plan.route = routing.ldr_product_route(self.group, real, dense_fits)
        return plan.route

    def _route(self, X) -> str:
        route = self.product_route()
        if route == "fft" and np.iscomplexobj(X):
            return "convolve"
        return route

    def _product_bytes(self, batch: tuple, route: str, transpose: bool = False) -> int:
        """The peak bytes of a product with the vectors of a batch of shape ``batch`` by the fast
        ``route`` (``"fft"`` or ``"convolve"``), the cached spectra or the inverses included.

        ``"fft"``, per element, for ``m`` vectors, ``k = r + 1`` kernels and blocks of ``c`` vectors
        (:data:`~groupmat.routing.LDR_FFT_BLOCK`): ``24 m`` (the result and the gathers to and from the
        grid), ``(16 k + 8) c`` for ``M`` (the spectra of a block times the kernels', their inverse
        transforms) or ``(17 k + 16) c`` for ``M.T`` (the scaled copies, their spectra, the sum), ``8 k c``
        more when there are several blocks (the last block's transforms are alive while the next are
        made), and ``8 k + 24`` for the kernels' spectra. Traced on ``C_177147``, ``C_262144``,
        ``C_512 x C_512`` and ``C_300 x C_700``, ranks 0 to 4, 1 to 20 vectors, first and later products:
        60% to 95% of it. ``"convolve"``: the estimate of :func:`groupmat.convolve` for the ``m k``
        convolutions, the result and the inverses of the elements (56 bytes per element while computed);
        traced on ``D_65536`` and ``D_300 x C_200``: 30% to 60% of it (the convolution's estimate covers
        complex data).
        """
        from ..reps.fourier_transform import fast_route_bytes

        n, k = self.n, self.rank + 1
        m = 1
        for b in batch:
            m *= int(b)
        if route == "fft":
            c = min(m, routing.LDR_FFT_BLOCK)
            per_block = (17 * k + 16 if transpose else 16 * k + 8) + (8 * k if m > c else 0)
            return n * (24 * m + per_block * c + 8 * k + 24)
        kind = routing.transform_kind(self.group)
        return fast_route_bytes(self.group, (m, k), "convolve", kind) + n * (8 * m + 56)

    def _check_product(self, X, route: str, transpose: bool = False) -> None:
        """Ask :func:`groupmat._validation.check_size` for a fast product before anything of its size
        is allocated (the kernels' spectra or the inverses of the elements included), naming the product
        and the ways out."""
        if route not in ("fft", "convolve"):
            return
        batch = X.shape[:-1]
        m = 1
        for b in batch:
            m *= int(b)
        entries = m * self.n
        per_entry = -(-self._product_bytes(batch, route, transpose) // max(entries, 1))
        ways = ["multiply fewer vectors at a time (or a dask array, block by block)"] if m > 1 else []
        if self.rank:
            ways.append("compress() the matrix to fewer terms")
        how = "; ".join(ways) if ways else f"one vector needs it on {self.group.name}"
        name = "M.T @ x" if transpose else "M @ x"
        check_size(tuple(batch) + (self.n,), per_entry,
                   f"the product {name} of a rank-{self.rank} GM-LDR matrix over {self.group.name} with "
                   f"{m} vector{'s' if m != 1 else ''} (with its work arrays)", how=how)

    def _dense_cached(self) -> np.ndarray:
        """The dense matrix, built at the first use and kept read-only."""
        plan = self._plan
        if plan.dense is None:
            plan.dense = _read_only(self.dense())
        return plan.dense

    def _fft_grid(self) -> tuple:
        """``(shape, elements, positions, V)`` of the real-FFT route: the cyclic coordinates of the
        group (``elements[p]`` the element at grid position ``p``, ``positions`` its inverse, both
        None when the index order is the grid order) and ``V`` laid out on the grid."""
        plan = self._plan
        if plan.grid is None:
            coords = self.group.cyclic_coordinates()
            elements, positions = coords.elements, coords.positions
            V = self.V if elements is None else _read_only(np.ascontiguousarray(self.V[:, elements]))
            plan.grid = (tuple(coords.shape), elements, positions, V)
        return plan.grid

    def _fft_kernels(self, transpose: bool) -> np.ndarray:
        """The real-FFT spectra of the ``r + 1`` kernels, on the grid (cached, read-only):
        ``b o inv, U[i] o inv`` for ``M``, ``b, U[i]`` for ``M^T``."""
        plan = self._plan
        out = plan.spectra_T if transpose else plan.spectra
        if out is None:
            import scipy.fft as sfft

            shape, elements, _, _ = self._fft_grid()
            W = np.concatenate([self.b[None], self.U])
            if elements is not None:
                W = W[:, elements]
            axes = tuple(range(-len(shape), 0))
            out = sfft.rfftn(W.reshape((self.rank + 1,) + shape), axes=axes)
            if not transpose:
                # the kernels w o inv are w(-c) on the grid: for real w their spectrum is conj(rfftn(w)),
                # so no inverse of any element is computed
                np.conjugate(out, out=out)
            out = _read_only(out)
            if transpose:
                plan.spectra_T = out
            else:
                plan.spectra = out
        return out

    def _fft_apply(self, X: np.ndarray, transpose: bool) -> np.ndarray:
        """``M x`` (or ``M^T x``) for the real vectors along the last axis of ``X``, by real FFTs.

        ``M x = irfft(rfft(x) W0) + sum_i V[i] * irfft(rfft(x) Wi)``: the ``r + 1`` inverse
        transforms of a block of vectors are one batched call. ``M^T x = irfft(rfft(x) B0 + sum_i
        rfft(V[i] x) Bi)``. Vectors are laid out on the group's cyclic coordinates (one gather in,
        one out, when the element order is not the grid order). Blocks of
        :data:`~groupmat.routing.LDR_FFT_BLOCK` vectors keep the ``(block, r + 1, n)``
        intermediates in cache.
        """
        import scipy.fft as sfft

        shape, elements, positions, V = self._fft_grid()
        Wh = self._fft_kernels(transpose)
        block = routing.LDR_FFT_BLOCK
        n, r = self.n, self.rank
        axes = tuple(range(-len(shape), 0))
        batch = X.shape[:-1]
        X2 = X.reshape(-1, n)
        if elements is not None:
            X2 = X2[:, elements]
        m = X2.shape[0]
        out = np.empty((m, n), dtype=np.result_type(X.dtype, self.dtype, np.float64))
        if not transpose:
            P = np.empty((min(m, block),) + Wh.shape, dtype=Wh.dtype)      # reused spectra buffer
        for s in range(0, m, block):
            Xc = X2[s:s + block]
            c = Xc.shape[0]
            Y = out[s:s + c]
            if not transpose:
                if len(shape) == 1:      # the 1-D transforms skip the n-D bookkeeping
                    np.multiply(sfft.rfft(Xc)[:, None], Wh, out=P[:c])
                    Z = sfft.irfft(P[:c], n=n, overwrite_x=True)
                else:
                    np.multiply(sfft.rfftn(Xc.reshape((c,) + shape), axes=axes)[:, None], Wh, out=P[:c])
                    Z = sfft.irfftn(P[:c], s=shape, axes=axes, overwrite_x=True).reshape(c, r + 1, n)
                # diag(V[i]) after the inverse transforms, fused into one contraction
                np.einsum("cin,in->cn", Z[:, 1:], V, out=Y)
                Y += Z[:, 0]
            else:
                Xs = np.empty((c, r + 1, n), dtype=out.dtype)
                Xs[:, 0] = Xc
                np.multiply(Xc[:, None, :], V, out=Xs[:, 1:])
                H = sfft.rfftn(Xs.reshape((c, r + 1) + shape), axes=axes, overwrite_x=True)
                H *= Wh
                Y[...] = sfft.irfftn(H.sum(axis=1), s=shape, axes=axes, overwrite_x=True).reshape(c, n)
        if positions is not None:
            out = out[:, positions]
        return out.reshape(batch + (n,))

    def _dense_object(self):
        return _coerce_matrix(self.dense(), "M")[0]

    def _check_batch(self, X):
        if is_symbolic(X):
            X = to_object_array(X, "X")
        X = np.asarray(X)
        if X.dtype == object:
            X = to_object_array(X, "X")            # the one exact rule: numbers or SymPy entries, named
        else:
            if X.dtype.kind not in "biufc":
                raise TypeError(f"the operand must be numeric, got dtype {X.dtype}")
            check_finite(X, "X")
        if X.ndim == 0 or X.shape[-1] != self.n:
            raise ValueError(f"the vectors must have length n = {self.n} along the last axis, got shape {X.shape}")
        return X

    def _matmul_array(self, X, apply):
        import sympy

        was_sympy = isinstance(X, sympy.MatrixBase)
        X = to_object_array(X) if is_symbolic(X) else np.asarray(X)
        if X.ndim == 0:
            raise ValueError("matmul with a scalar: use * instead")
        if X.ndim == 1:
            return apply(X)
        if X.shape[-2] != self.n:
            raise ValueError(f"shapes do not align: the matrix is {self.n} x {self.n}, the operand has shape "
                             f"{X.shape} ({X.shape[-2]} rows)")
        # the vectors are the columns: each route reads them as rows of the transposed view
        out = np.swapaxes(apply(np.swapaxes(X, -1, -2)), -1, -2)
        return _sympy_matrix(out) if was_sympy else out

    def __matmul__(self, other):
        if isinstance(other, GroupLDRMatrix):
            self._check_same_group(other)
            if other.rank == 0:
                # diag(v) M_u M_c = diag(v) M_{u * c}: the rank is kept
                if self.exact or other.exact:
                    conv = [_exact_conv(self.group, w, other.b) for w in [self.b, *self.U]]
                    return GroupLDRMatrix(self.group, conv[0], np.array(conv[1:], dtype=object).reshape(self.rank, self.n),
                                          self.V)
                W = _convolve(self.group, np.concatenate([self.b[None], self.U]), other.b)
                return GroupLDRMatrix(self.group, W[0], W[1:], self.V)
            return self @ other.dense()
        if isinstance(other, TransposedGroupLDRMatrix):
            self._check_same_group(other)
            return self @ other.dense()
        if is_chunked(other):  # dask (n,) or (..., n, k), k chunked: the columns by blocks (groupmat._chunked)
            return self.matvec(other) if other.ndim == 1 else apply_chunked(
                self.matvec, [other.swapaxes(-1, -2)], ["X"], what="its rows (axis -2)",
                hint="X.rechunk({-2: -1, -1: 'auto'})").swapaxes(-1, -2)
        return self._matmul_array(other, self.matvec)

    def __rmatmul__(self, other):
        # X @ M = (M^T X^T)^T: the rows of X by M^T
        if is_chunked(other):  # dask (n,) or (..., k, n): its rows by blocks, lazily (groupmat._chunked)
            return apply_chunked(self.T.matvec, [other], ["X"])
        X = to_object_array(other) if is_symbolic(other) else np.asarray(other)
        if X.ndim == 1:
            return self.T.matvec(X)
        return np.swapaxes(self._matmul_array(np.swapaxes(X, -1, -2), self.T.matvec), -1, -2)

    @property
    def T(self) -> "TransposedGroupLDRMatrix":
        """The transpose ``M_b^T + sum_i M_{U[i]}^T diag(V[i])`` as a structured object."""
        return TransposedGroupLDRMatrix(self)

    # ------------------------------------------------------------------ algebra
    def _check_same_group(self, other):
        if other.group is self.group:
            return
        a, b = self.group.name, other.group.name
        if a == b:
            raise ValueError(f"the GM-LDR matrices belong to two different group objects both named {a}; "
                             "build both from one group object")
        raise ValueError(f"GM-LDR matrices over different groups: {a} and {b}; "
                         "build both from one group object")

    def __add__(self, other):
        if isinstance(other, GroupLDRMatrix):
            self._check_same_group(other)
            U = np.concatenate([self.U, other.U]) if not (self.exact or other.exact) else \
                np.concatenate([self.U.astype(object), other.U.astype(object)])
            V = np.concatenate([self.V, other.V]) if not (self.exact or other.exact) else \
                np.concatenate([self.V.astype(object), other.V.astype(object)])
            return GroupLDRMatrix(self.group, self.b + other.b, U.reshape(-1, self.n), V.reshape(-1, self.n))
        if isinstance(other, TransposedGroupLDRMatrix):
            self._check_same_group(other)
            return self.dense() + other.dense()
        if isinstance(other, np.ndarray):
            return self.dense() + self._check_dense_operand(other, "+")
        return NotImplemented

    def _check_dense_operand(self, other: np.ndarray, op: str) -> np.ndarray:
        if other.shape != self.shape:
            raise ValueError(f"cannot compute {type(self).__name__} {op} array: the matrix is {self.n} x {self.n} "
                             f"(the order of {self.group.name}), the array has shape {other.shape}")
        return other

    def __radd__(self, other):
        return self.__add__(other)

    def __neg__(self):
        return GroupLDRMatrix(self.group, -self.b, self.U, -self.V)

    def __sub__(self, other):
        if isinstance(other, (GroupLDRMatrix, TransposedGroupLDRMatrix)):
            return self + (-other)
        if isinstance(other, np.ndarray):
            return self.dense() - self._check_dense_operand(other, "-")
        return NotImplemented

    def __rsub__(self, other):
        if isinstance(other, np.ndarray):
            return self._check_dense_operand(other, "-") - self.dense()
        return NotImplemented

    def __mul__(self, c):
        if isinstance(c, numbers.Number) or is_symbolic(c) and np.ndim(c) == 0:
            return GroupLDRMatrix(self.group, c * self.b, self.U, c * self.V)
        return NotImplemented

    __rmul__ = __mul__

    def solve(self, b, method: str = "auto", tol: float | None = None, maxiter: int | None = None,
              preconditioner: str = "group", return_info: bool = False):
        """Solve ``M y = b`` (``b`` of shape ``(n,)`` or ``(n, k)``): GMRES/CG on the fast product,
        preconditioned by the nearest group matrix, or exactly by Woodbury when ``V`` is supported on
        few rows. See :func:`groupmat.ldr.solve_group_ldr` for the parameters, the routes and the
        errors.

        Examples
        --------
        >>> import numpy as np, groupmat as gm
        >>> G = gm.cyclic(8)
        >>> M = gm.GroupLDRMatrix(G, 3 * np.eye(8)[0], np.ones((1, 8)) / 8, np.arange(8.0)[None] / 8)
        >>> y = M.solve(np.ones(8))
        >>> bool(np.allclose(M @ y, np.ones(8)))
        True
        """
        from .gm_ldr_solve import solve_group_ldr

        return solve_group_ldr(self, b, method=method, tol=tol, maxiter=maxiter, preconditioner=preconditioner,
                               return_info=return_info)

    def compress(self, tol: float | None = None) -> "GroupLDRMatrix":
        """An equal matrix with the fewest terms: ``rank`` becomes the coefficient displacement rank.

        The part of each ``v_i`` along the constant vector moves into ``b``
        (``u v^T = u (v - mean(v) 1)^T + mean(v) u 1^T``), then ``U^T V`` (now with rows of ``V``
        orthogonal to ``1``) is re-factored by two thin QRs and an ``r x r`` SVD, dropping singular
        values ``<= tol`` (default ``sigma_max * n * eps``, :func:`groupmat.tolerances.rank_tol` with
        ``eps`` of the parameters' dtype). Numeric only; ``O(n r^2)``.
        """
        tol = None if tol is None else check_tolerance(tol, "tol")
        if self.exact:
            raise ValueError("compress() is numeric; this GroupLDRMatrix holds SymPy entries")
        if self.rank == 0:
            return self
        mean = self.V.mean(axis=1)
        b = self.b + self.U.T @ mean
        Vc = self.V - mean[:, None]
        Qu, Ru = np.linalg.qr(self.U.T)
        Qv, Rv = np.linalg.qr(Vc.T)
        P, s, Wh = np.linalg.svd(Ru @ Rv.T)
        t = tolerances.rank_tol(s, (self.n,), self.dtype) if tol is None else float(tol)
        k = int(np.count_nonzero(s > t))
        root = np.sqrt(s[:k])
        U = (Qu @ P[:, :k] * root).T
        V = (Qv @ Wh[:k].T * root).T
        return GroupLDRMatrix(self.group, b, U, V)


def _exact_conv(G, x, y):
    return dense_convolve(G, x, y)


class TransposedGroupLDRMatrix:
    """The transpose of a :class:`GroupLDRMatrix`: ``M^T = M_{b'} + sum_i M_{U[i]'} diag(V[i])``,
    with ``x'(g) = x(g^-1)`` (since ``M_x^T = M_{x'}``).

    Products cost ``r + 1`` group convolutions, like the original:
    ``M^T x = conv(x, b) + sum_i conv(V[i] * x, U[i])``. ``.T`` gives the original back. It is not a
    GM-LDR matrix of the same rank in general (the diagonals act before the group matrices).

    Parameters
    ----------
    original : GroupLDRMatrix
        The matrix to transpose (usually reached as ``M.T``); its parameters are shared, not copied.

    Examples
    --------
    >>> import numpy as np, groupmat as gm
    >>> G = gm.cyclic(5)
    >>> rng = np.random.default_rng(2)
    >>> M = gm.GroupLDRMatrix(G, rng.normal(size=5), rng.normal(size=(1, 5)), rng.normal(size=(1, 5)))
    >>> np.allclose(M.T.dense(), M.dense().T), M.T.T is M
    (True, True)
    """

    __array_ufunc__ = None
    #: make ``sympy.Matrix @ operator`` call :meth:`__rmatmul__` (SymPy dispatches on this priority)
    _op_priority = 20.0

    def __init__(self, original: GroupLDRMatrix):
        self.original = original
        self.group = original.group

    n = property(lambda self: self.original.n)
    shape = property(lambda self: self.original.shape)
    rank = property(lambda self: self.original.rank)
    num_parameters = property(lambda self: self.original.num_parameters)
    exact = property(lambda self: self.original.exact)

    @property
    def T(self) -> GroupLDRMatrix:
        return self.original

    def dense(self):
        """The dense transpose (a ``sympy.Matrix`` when exact)."""
        D = self.original.dense()
        return D.T

    def matvec(self, X) -> np.ndarray:
        """``M^T x`` for each vector along the last axis of ``X`` (a dask array gives a lazy result,
        block by block, as :meth:`GroupLDRMatrix.matvec`)."""
        if is_chunked(X):
            return apply_chunked(self.matvec, [X], ["X"])
        M = self.original
        X = M._check_batch(X)
        if M.exact or X.dtype == object:
            return np.einsum("ji,...j->...i", np.asarray(M._dense_object(), dtype=object), X)
        route = M._route(X)
        M._check_product(X, route, transpose=True)
        if route == "dense":
            return X @ M._dense_cached()
        if route == "fft":
            return M._fft_apply(X, transpose=True)
        X = np.ascontiguousarray(X)
        Xs = np.concatenate([X[..., None, :], M.V * X[..., None, :]], axis=-2)   # (..., r + 1, n)
        W = np.concatenate([M.b[None], M.U])
        return _convolve(self.group, Xs, W).sum(axis=-2)

    def __matmul__(self, other):
        if isinstance(other, (GroupLDRMatrix, TransposedGroupLDRMatrix)):
            self.original._check_same_group(other)
            return self @ other.dense()
        if is_chunked(other):  # dask (n,) or (..., n, k): the columns by blocks, lazily
            return self.matvec(other) if other.ndim == 1 else apply_chunked(
                self.matvec, [other.swapaxes(-1, -2)], ["X"], what="its rows (axis -2)",
                hint="X.rechunk({-2: -1, -1: 'auto'})").swapaxes(-1, -2)
        return self.original._matmul_array(other, self.matvec)

    def __rmatmul__(self, other):
        if is_chunked(other):  # X @ M^T = (M X^T)^T: the rows of X by M, lazily
            return apply_chunked(self.original.matvec, [other], ["X"])
        X = to_object_array(other) if is_symbolic(other) else np.asarray(other)
        if X.ndim == 1:
            return self.original.matvec(X)
        return np.swapaxes(self.original._matmul_array(np.swapaxes(X, -1, -2), self.original.matvec), -1, -2)

    def __neg__(self):
        return TransposedGroupLDRMatrix(-self.original)

    def __add__(self, other):
        if isinstance(other, TransposedGroupLDRMatrix):
            return TransposedGroupLDRMatrix(self.original + other.original)
        if isinstance(other, GroupLDRMatrix):
            self.original._check_same_group(other)
            return self.dense() + other.dense()
        if isinstance(other, np.ndarray):
            return self.dense() + self.original._check_dense_operand(other, "+")
        return NotImplemented

    def __mul__(self, c):
        out = self.original.__mul__(c)
        return out if out is NotImplemented else TransposedGroupLDRMatrix(out)

    __rmul__ = __mul__

    def __repr__(self) -> str:
        return f"TransposedGroupLDRMatrix({self.group.name}, n={self.n}, rank={self.rank})"


def fit_group_ldr(G: FiniteGroup, M, rank: int, return_error: bool = False):
    """The best GM-LDR approximation of ``M`` of a given rank, in the Frobenius norm.

    Parameters
    ----------
    G : FiniteGroup
    M : (n, n) array_like
    rank : int
        ``0 <= rank <= n``. ``rank >= n - 1`` reproduces ``M`` (every ``n x n`` matrix is GM-LDR).
    return_error : bool
        Also return ``||M - fit||_F``.

    Returns
    -------
    GroupLDRMatrix, and the error when asked

    Raises
    ------
    ValueError
        ``rank > n`` or negative; ``M`` not ``n x n``; non-finite entries.

    Notes
    -----
    Let ``F`` be the coefficient array of ``M`` (``F[g, h] = M[h, h g]``). The map ``M -> F`` is a
    permutation of entries, hence an isometry for ``||.||_F``, and GM-LDR matrices of rank ``r`` are
    exactly the ``M'`` whose arrays are ``F' = b 1^T + L`` with ``rank L <= r``. So the problem is
    ``min_{b, rank L <= r} ||F - b 1^T - L||_F``.

    *Claim*: ``b = F 1 / n`` (row means) and ``L = [F C]_r`` (truncated SVD of the centred array,
    ``C = I - 1 1^T / n``) is optimal, with error ``sqrt(sum_{i > r} sigma_i(F C)^2)``.

    *Proof*: for fixed ``L`` the best ``b`` is the row mean of ``F - L``, leaving the residual
    ``(F - L) C = F C - L C``. Since ``rank(L C) <= r``, Eckart-Young gives
    ``||F C - L C||_F >= ||F C - [F C]_r||_F``. The choice ``L = [F C]_r`` attains it: its rows
    lie in the row space of ``F C``, which is orthogonal to ``1``, so ``L C = L`` and ``L 1 = 0``,
    whence ``b = (F - L) 1 / n = F 1 / n``. QED. As ``rank(F C) <= n - 1``, rank ``n - 1`` is exact.

    Examples
    --------
    >>> import numpy as np, groupmat as gm
    >>> G = gm.cyclic(6)
    >>> M = np.random.default_rng(0).normal(size=(6, 6))
    >>> fit, err = gm.fit_group_ldr(G, M, 5, return_error=True)
    >>> bool(np.allclose(fit.dense(), M)), err < 1e-12
    (True, True)
    >>> fit0 = gm.fit_group_ldr(G, M, 0)                 # rank 0: the best group matrix
    >>> np.allclose(fit0.b, gm.x_from_group_matrix(G, M, check=False))
    True
    """
    from .group_displacement import _group_square

    G = check_group(G)
    if is_symbolic(M):
        raise TypeError("fit_group_ldr is numeric (an SVD); pass a NumPy array (for an exact decomposition "
                        "use GroupLDRMatrix(G, 0, identity, group_diagonals(G, M)))")
    arr, exact = _group_square(M, G)
    if exact:                      # an object array of plain numbers (floats, ints, Fractions): their values
        arr = to_numeric(arr)
    n = G.order
    r = check_nonnegative_int(rank, "rank")
    if r > n:
        raise ValueError(f"rank must be between 0 and n = {n} (the order of {G.name}), got {r}")
    # entries whose squares would overflow float64: fit M / c (c = 2^k, exact) and scale back
    c = _pow2_scale(arr)
    k = math.frexp(c)[1] - 1
    F = group_diagonals(G, arr / c if c != 1.0 else arr)
    b = F.mean(axis=1)
    Fc = F - b[:, None]
    P, s, Wh = np.linalg.svd(Fc)
    root = np.sqrt(s[:r])
    U = (P[:, :r] * root).T * math.ldexp(1.0, k // 2)
    V = (Wh[:r].T * root).T * math.ldexp(1.0, k - k // 2)
    fit = GroupLDRMatrix(G, b * c, U, V)
    if return_error:
        return fit, float(np.sqrt(np.sum(s[r:] ** 2))) * c
    return fit
