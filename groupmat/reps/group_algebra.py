"""Linear algebra of group matrices through their Fourier blocks: solve, inverse, determinant,
eigenvalues, singular values and the pseudo-inverse.

The Fourier transform ``xhat(rho) = sum_g x(g) rho(g)`` (:func:`groupmat.fourier`) is an isomorphism of
``*``-algebras from the group algebra (``(x * y)(t) = sum_u x(u) y(u^-1 t)``, ``x^*(g) = conj(x(g^-1))``)
onto ``prod_rho Mat(d_rho)``, and ``x -> M_x`` (``M_x[g, h] = x(g^-1 h)``) is one too, with
``M_x M_y = M_{x*y}`` and ``M_x^H = M_{x^*}``. So everything a matrix function of ``M_x`` needs is
read from the blocks, ``O(sum_rho d_rho^3)`` work after the transform:

- ``M_x`` is invertible iff every ``xhat(rho)`` is, and ``M_x^-1 = M_z`` with ``zhat(rho) = xhat(rho)^-1``;
- ``det M_x = prod_rho det(xhat(rho))^{d_rho}`` (Frobenius), the eigenvalues are those of the blocks,
  each repeated ``d_rho`` times, and so are the singular values (the normalised Fourier basis is
  unitary);
- the Moore-Penrose pseudo-inverse is ``M_w`` with ``what(rho) = xhat(rho)^+`` (the four Penrose
  equations are algebraic in the product and ``*``, so they hold blockwise).

For a right-hand side, ``(M_x y)(g) = sum_h x(g^-1 h) y(h) = (y * x^vee)(g)`` with
``x^vee(g) = x(g^-1)``, so ``M_x y = b`` reads ``yhat(rho) xvhat(rho) = bhat(rho)`` block by block
(:func:`solve_group_matrix`). Every route of the transform (FFT for abelian groups, FFTs on the
rotations for dihedral groups, factor by factor for products, dense otherwise) is used as it is; for
abelian groups the blocks are ``1 x 1`` and the solve is a division of spectra.

Exact input (SymPy numbers or symbols) is computed exactly from the exact irreducibles
(``irreps(G, exact=True)``) in the algebraic number field they generate (SymPy's ``DomainMatrix``),
so every number is kept in a canonical form and no expression needs simplifying.

Kept per group in its memo under ``"reps.group_algebra"``: the exact irreducibles as matrices over
their number field.
"""
from __future__ import annotations

import functools
import warnings

import numpy as np

from .._exact import as_numeric_or_exact, restore, to_object_array
from .._validation import check_choice, check_size, check_tolerance
from ..groups.core import FiniteGroup
from ..groups.core import check_group as _check_group
from ..matrices import CONVENTIONS
from ..tolerances import eps, rank_tol
from .fourier_transform import FourierCoefficients, fourier, inverse_fourier

__all__ = ["solve_group_matrix", "invert_group_matrix", "pinv_group_matrix", "group_matrix_det",
           "group_matrix_slogdet", "group_matrix_eigvals", "group_matrix_svdvals"]

_NS = "reps.group_algebra"

#: What ``assume_a`` may say about ``M_x`` in :func:`solve_group_matrix`.
_ASSUME = ("gen", "pos")


# ------------------------------------------------------------------------------------ inputs
def _values(G: FiniteGroup, x, name: str = "x"):
    """``(array, exact)`` for a function (or a batch of functions) on ``G``: last axis of length n."""
    n = G.order
    arr, exact = as_numeric_or_exact(x, name, to_float=True, vector=True,
                                     expected=f" of length |G| = {n} along its last axis")
    if arr.ndim == 0 or arr.shape[-1] != n:
        raise ValueError(f"{name} must have length |G| = {n} along its last axis, got shape {arr.shape}")
    return arr, exact


def _convention(convention) -> str:
    return check_choice(convention, "convention", tuple(CONVENTIONS))


def _linalg_warning():
    """SciPy's ``LinAlgWarning``, the warning of ill-conditioned solves users already filter."""
    from scipy.linalg import LinAlgWarning

    return LinAlgWarning


def _batch_where(batch_shape, flat_index) -> str:
    if not batch_shape:
        return ""
    return f" (batch index {tuple(int(i) for i in np.unravel_index(flat_index, batch_shape))})"


# ------------------------------------------------------------------------------ block analysis
def _stack_svals(data: np.ndarray) -> np.ndarray:
    """Singular values of every block of a stack ``(..., m, d, d)`` -> ``(..., m, d)``."""
    if data.shape[-1] == 1:
        return np.abs(data[..., 0])
    return np.linalg.svd(data, compute_uv=False)


def _spectrum(xhat: FourierCoefficients):
    """``(svals, smax)``: the singular values of each stack and the largest one of each function of the
    batch, ``smax = ||M_x||_2`` (shape ``xhat.batch_shape``)."""
    svals = [_stack_svals(data) for _, data in xhat.stacks]
    smax = svals[0].max(axis=(-2, -1))
    for s in svals[1:]:
        smax = np.maximum(smax, s.max(axis=(-2, -1)))
    return svals, smax


def _check_invertible(xhat: FourierCoefficients, rcond, what: str) -> None:
    """Raise ``LinAlgError`` naming the first singular block (smallest singular value 0, or at most
    ``rcond * ||M_x||_2`` when ``rcond`` is given); warn ``scipy.linalg.LinAlgWarning`` when the
    condition number ``||M_x||_2 ||M_x^-1||_2 = max sigma / min sigma`` exceeds ``1 / eps``."""
    svals, smax = _spectrum(xhat)
    smin = svals[0].min(axis=(-2, -1))
    for s in svals[1:]:
        smin = np.minimum(smin, s.min(axis=(-2, -1)))
    limit = 0.0 if rcond is None else rcond
    if np.any(smin <= limit * smax):
        _raise_singular(xhat, svals, smax, rcond, what)
    dt = xhat.stacks[0][1].dtype
    # smin > 0 here: cond = smax / smin
    if np.any(smax > smin * _inv_eps(dt)):
        worst = float(np.max(smax / smin))
        warnings.warn(f"{what}: ill-conditioned group matrix, condition number {worst:.3g} > 1/eps = "
                      f"{1.0 / eps(dt):.3g}; the result may be inaccurate (a residual at round-off, not the "
                      f"error, is what a backward-stable solve promises)", _linalg_warning(), stacklevel=3)


@functools.lru_cache(maxsize=None)
def _inv_eps(dtype) -> float:
    """``1 / eps`` of a dtype (:func:`groupmat.tolerances.eps`), looked up once per dtype."""
    return 1.0 / eps(dtype)


def _raise_singular(xhat, svals, smax, rcond, what):
    """The ``LinAlgError`` of :func:`_check_invertible`, naming the first singular block (and batch index)."""
    batch = xhat.batch_shape
    limit = 0.0 if rcond is None else rcond
    for (idx, data), s in zip(xhat.stacks, svals):
        bad = s.min(axis=-1) <= limit * np.asarray(smax)[..., None]
        if not np.any(bad):
            continue
        where = np.argwhere(bad)[0]
        k = int(idx[where[-1]])
        flat = int(np.ravel_multi_index(tuple(where[:-1]), batch)) if batch else 0
        smallest = float(s[tuple(where)].min())
        rule = "" if rcond is None else f" <= rcond * ||M_x||_2 = {limit * float(np.asarray(smax).flat[flat]):.3g}"
        raise np.linalg.LinAlgError(
            f"{what}: the group matrix is singular{_batch_where(batch, flat)}: its Fourier block at "
            f"irreducible representation {k} (degree {data.shape[-1]}) has smallest singular value "
            f"{smallest:.3g}{rule}; use pinv_group_matrix for a least-squares solution")


def _coefficients(G, stacks, real: bool) -> FourierCoefficients:
    return FourierCoefficients(G, "complex", stacks, real_input=real)


def _result(out: np.ndarray, dtype) -> np.ndarray:
    """The inverse transform in the callers' working dtype (real when the inputs were real)."""
    if np.dtype(dtype).kind == "f" and np.iscomplexobj(out):
        out = out.real
    return out.astype(dtype, copy=False)


# ------------------------------------------------------------------------------------ solve
def solve_group_matrix(G: FiniteGroup, x, b, convention: str = "ginv_h", assume_a: str = "gen", rcond=None):
    """Solve ``M_x y = b`` for a group matrix ``M_x`` through its Fourier blocks.

    Parameters
    ----------
    G : FiniteGroup
    x : array_like of shape (..., n), or SymPy values
        The function defining ``M_x`` (``M_x[g, h] = x(g^-1 h)`` by default); leading axes are a
        batch, broadcast against those of ``b``.
    b : array_like of shape (..., n) or (..., n, k), or SymPy values
        Read as vectors ``(..., n)`` when ``b.ndim`` is 1 or equals ``x.ndim`` (the rule
        ``numpy.linalg.solve`` had before NumPy 2), else as ``k`` columns ``(..., n, k)``.
    convention : {"ginv_h", "g_hinv", "gh"}
        The convention of :func:`groupmat.group_matrix` that ``M_x`` is built with.
    assume_a : {"gen", "pos"}
        ``"gen"``: any invertible ``M_x`` (LU of each block). ``"pos"``: ``M_x`` is Hermitian positive
        definite (then so is every Fourier block): Cholesky of each block, and a ``LinAlgError`` if
        one is not positive definite.
    rcond : float, optional
        With it, a Fourier block whose smallest singular value is at most ``rcond * ||M_x||_2`` counts
        as singular (``LinAlgError``). Default: only exactly singular blocks do (as
        ``scipy.linalg.solve``); pass ``n * eps`` for the rule of ``numpy.linalg.matrix_rank`` and
        ``scipy.linalg.solve_circulant``.

    Returns
    -------
    ndarray of shape ``broadcast(x, b)`` batch + (n,) or (n, k)
        Real when ``x`` and ``b`` are real; for exact input an object array of SymPy numbers (a
        ``sympy.Matrix`` when ``b`` was one).

    Raises
    ------
    numpy.linalg.LinAlgError
        ``M_x`` is singular: the message names the irreducible whose Fourier block is singular and
        points to :func:`pinv_group_matrix` (with ``assume_a="pos"``: a block is not positive definite).
    ValueError
        ``x`` or ``b`` of the wrong length, batch axes that do not broadcast, an unknown
        ``convention`` or ``assume_a``, a negative ``rcond``, or batched exact input.
    TypeError
        ``G`` is not a FiniteGroup, or ``x``/``b`` are not numeric or SymPy.

    Warns
    -----
    scipy.linalg.LinAlgWarning
        The 2-norm condition number ``max sigma / min sigma`` over all blocks exceeds ``1 / eps`` of
        the working dtype.

    See Also
    --------
    invert_group_matrix, pinv_group_matrix, groupmat.fourier, scipy.linalg.solve_circulant

    Notes
    -----
    ``(M_x y)(g) = sum_h x(g^-1 h) y(h) = (y * x^vee)(g)`` with ``x^vee(g) = x(g^-1)``, and the
    transform turns the product into ``yhat(rho) xvhat(rho)``; so

    .. math::  \\hat y(\\rho) = \\hat b(\\rho)\\, \\hat{x^\\vee}(\\rho)^{-1},

    one ``d_rho x d_rho`` solve per irreducible, then the inverse transform: ``O(sum_rho d_rho^3)``
    after the transforms (``O(n log n)`` on the FFT routes). For abelian groups the blocks are
    scalars and the solve is ``ifft(fft(b) / fft(x^vee))``. The conventions ``gh`` and ``g_hinv``
    differ from ``ginv_h`` by the inversion permutation ``J`` (``M_gh = J M``, ``M_g_hinv = J M J``),
    applied to ``b`` (and ``y``).

    Stability: the transform is unitary up to the factor ``sqrt(n)``, and each block is solved by a
    backward-stable LU (or Cholesky); the residual ``||M_x y - b|| / (||M_x|| ||y||)`` is at the
    round-off of the working dtype (a small multiple of ``eps log n`` on the FFT routes) whatever the
    condition number, while the forward error ``||y - y_true|| / ||y_true||`` grows like
    ``cond(M_x) eps``. The tests check both on near-singular group matrices.

    Examples
    --------
    >>> import groupmat as gm, numpy as np
    >>> G = gm.dihedral(5)
    >>> x = np.array([8.0, 1, 4, 1, 5, 9, 2, 6, 5, 3])
    >>> b = np.ones(10) - np.arange(10) % 3
    >>> y = gm.reps.solve_group_matrix(G, x, b)
    >>> np.allclose(gm.group_matrix(G, x) @ y, b)
    True
    >>> import sympy
    >>> gm.reps.solve_group_matrix(gm.cyclic(3), [2, 1, 0], [sympy.Integer(1), 0, 0]).tolist()   # column e of M_x^-1
    [4/9, 1/9, -2/9]
    """
    G = _check_group(G)
    convention = _convention(convention)
    check_choice(assume_a, "assume_a", _ASSUME)
    if rcond is not None:
        rcond = check_tolerance(rcond, "rcond")
    xa, ex = _values(G, x, "x")
    n = G.order
    ba, eb = as_numeric_or_exact(b, "b", to_float=True)
    if ba.ndim == 0:
        raise ValueError(f"b must have shape (..., {n}) or (..., {n}, k), got a scalar")
    vector = ba.ndim == 1 or ba.ndim == xa.ndim
    if vector and ba.shape[-1] != n:
        raise ValueError(f"b must have length |G| = {n} along its last axis (read as vectors since b.ndim "
                         f"is {'1' if ba.ndim == 1 else 'x.ndim'}), got shape {ba.shape}")
    if not vector and ba.shape[-2] != n:
        raise ValueError(f"b must have shape (..., {n}) with b.ndim equal to 1 or to x.ndim = {xa.ndim} "
                         f"(vectors), or (..., {n}, k) (columns), got shape {ba.shape}")
    inv = G.inverses()
    # functions on G along the last axis: columns of b become a batch axis
    bf = ba if vector else np.swapaxes(ba, -1, -2)
    if convention != "ginv_h":
        bf = bf[..., inv]                                  # M_gh = J M, M_g_hinv = J M J: solve M y = J b
    if ex or eb:
        if xa.ndim != 1 or bf.ndim > 2:
            raise ValueError(f"exact solve takes one x of shape ({n},) and b of shape ({n},) or ({n}, k), "
                             f"got x {xa.shape} and b {ba.shape}")
        y = _exact_solve(G, to_object_array(xa), to_object_array(bf))
    else:
        xf = xa if vector else xa[..., None, :]
        try:
            batch = bf.shape[:-1] if xf.ndim == 1 else np.broadcast_shapes(xf.shape[:-1], bf.shape[:-1])
        except ValueError:
            raise ValueError(f"the batch axes of x {xa.shape[:-1]} and b {ba.shape[:-1] if vector else ba.shape[:-2]} "
                             f"do not broadcast (x has shape {xa.shape}, b has shape {ba.shape})") from None
        dtype = np.result_type(xa.dtype, ba.dtype)
        check_size(batch + (n,), 3 * np.dtype(np.result_type(dtype, np.complex64)).itemsize,
                   f"the Fourier coefficients of a solve on {G.name}")
        y = _numeric_solve(G, xf, bf, inv, assume_a, rcond, dtype)
    if convention == "g_hinv":
        y = y[..., inv]
    if not vector:
        y = np.swapaxes(y, -1, -2)
    return restore(y, b) if (ex or eb) else y


def _numeric_solve(G, x, b, inv, assume_a, rcond, dtype):
    """``y`` with ``y * x^vee = b`` for functions ``x``, ``b`` (..., n) (batches broadcast)."""
    A = fourier(G, x[..., inv])                             # xvhat(rho), the blocks of M_x (transposed)
    _check_invertible(A, rcond, "solve_group_matrix")
    B = fourier(G, b)
    stacks = []
    for (idx, a), (_, bb) in zip(A.stacks, B.stacks):
        if a.shape[-1] == 1:
            # scalar blocks (all of an abelian group): a division of spectra
            stacks.append((idx, bb / a))
            continue
        # Y A = B  <=>  A^T Y^T = B^T, one small solve per block
        at, bt = np.swapaxes(a, -1, -2), np.swapaxes(bb, -1, -2)
        if assume_a == "pos":
            yt = _cholesky_solve(at, bt, idx)
        else:
            yt = np.linalg.solve(at, bt)
        stacks.append((idx, np.swapaxes(yt, -1, -2)))
    if assume_a == "pos":
        _check_positive_scalars(A)
    return _result(inverse_fourier(G, _coefficients(G, stacks, np.dtype(dtype).kind == "f")), dtype)


def _cholesky_solve(at, bt, idx):
    """Solve ``A^T Y^T = B^T`` for Hermitian positive definite blocks ``A^T`` by Cholesky."""
    try:
        L = np.linalg.cholesky(at)
    except np.linalg.LinAlgError:
        herm = np.linalg.eigvalsh(at).min(axis=-1)
        k = int(idx[np.unravel_index(int(np.argmin(herm)), herm.shape)[-1]])
        raise np.linalg.LinAlgError(
            f"solve_group_matrix: assume_a='pos' but the group matrix is not positive definite: its Fourier "
            f"block at irreducible representation {k} is not (use assume_a='gen')") from None
    # L L^H Y^T = B^T: two triangular solves (NumPy's batched solve on the triangular factors)
    z = np.linalg.solve(L, bt)
    return np.linalg.solve(np.conj(np.swapaxes(L, -1, -2)), z)


def _check_positive_scalars(A: FourierCoefficients) -> None:
    for idx, a in A.stacks:
        if a.shape[-1] != 1:
            continue
        v = a[..., 0, 0]
        bad = (np.real(v) <= 0)
        if np.any(bad):
            k = int(idx[np.argwhere(bad)[0][-1]])
            raise np.linalg.LinAlgError(
                f"solve_group_matrix: assume_a='pos' but the group matrix is not positive definite: its Fourier "
                f"block at irreducible representation {k} is {complex(v[np.nonzero(bad)][0]):.3g} "
                "(use assume_a='gen')")


# ------------------------------------------------------------------------------------ inverse
def invert_group_matrix(G: FiniteGroup, x, convention: str = "ginv_h", rcond=None):
    """The function ``z`` with ``M_z = M_x^-1``: the inverse of a group matrix is a group matrix.

    Parameters
    ----------
    G : FiniteGroup
    x : array_like of shape (..., n), or SymPy values
        Leading axes are a batch (numeric input).
    convention : {"ginv_h", "g_hinv", "gh"}
        ``group_matrix(G, z, convention) == inv(group_matrix(G, x, convention))``. For ``"gh"``
        (Frobenius's ``x(g h)``) the inverse is a group matrix of that convention only for abelian
        groups (it is ``w(h g)``, ``w(g) = z(g^-1)``, in general), so a non-abelian ``G`` is refused.
    rcond : float, optional
        As in :func:`solve_group_matrix`.

    Returns
    -------
    ndarray of shape (..., n)
        ``z``; exact input gives an object array of SymPy numbers, in the field of ``x`` (rational
        ``x`` gives rational ``z``).

    Raises
    ------
    numpy.linalg.LinAlgError
        ``M_x`` is singular (the message names the singular Fourier block and points to
        :func:`pinv_group_matrix`).
    ValueError
        ``x`` of the wrong length, ``convention="gh"`` for a non-abelian group, batched exact input.

    Warns
    -----
    scipy.linalg.LinAlgWarning
        ``cond_2(M_x) > 1 / eps``.

    See Also
    --------
    solve_group_matrix, pinv_group_matrix, groupmat.convolve

    Notes
    -----
    ``M_x M_z = M_{x*z}`` and ``M_e`` (the indicator of the identity) is the identity matrix, so
    ``z`` is the inverse of ``x`` in the group algebra: ``zhat(rho) = xhat(rho)^-1`` for every
    irreducible. For ``g_hinv`` (``J M_x J``) the same ``z`` serves; for ``gh`` on an abelian group
    (``J M_x``, with ``M_x^-1 J = J M_{z^vee}`` there) it is ``z^vee(g) = z(g^-1)``.

    Examples
    --------
    >>> import groupmat as gm, numpy as np
    >>> G = gm.quaternion()
    >>> x = np.array([5.0, 1, 0, 2, 0, 1, 1, 0])
    >>> z = gm.reps.invert_group_matrix(G, x)
    >>> np.allclose(gm.group_matrix(G, z), np.linalg.inv(gm.group_matrix(G, x)))
    True
    >>> import sympy
    >>> gm.reps.invert_group_matrix(gm.cyclic(3), [sympy.Integer(2), 1, 0]).tolist()
    [4/9, -2/9, 1/9]
    """
    G, convention, rcond, xa, ex = _kernel_inputs(G, x, convention, rcond, "invert_group_matrix", "inverse")
    if ex:
        z = _exact_inverse(G, xa)
    else:
        A = fourier(G, xa)
        _check_invertible(A, rcond, "invert_group_matrix")
        stacks = [(idx, 1.0 / a if a.shape[-1] == 1 else np.linalg.inv(a)) for idx, a in A.stacks]
        z = _result(inverse_fourier(G, _coefficients(G, stacks, xa.dtype.kind == "f")), xa.dtype)
    if convention == "gh":
        z = z[..., G.inverses()]
    return z


def _kernel_inputs(G, x, convention, rcond, fname: str, what: str):
    """The checked inputs of a function that returns a kernel (the inverse or pseudo-inverse is again a
    group matrix): ``(G, convention, rcond, values, exact)``; exact x must be one vector."""
    G = _check_group(G)
    convention = _convention(convention)
    if rcond is not None:
        rcond = check_tolerance(rcond, "rcond")
    _refuse_gh(G, convention, fname, what)
    xa, ex = _values(G, x, "x")
    if ex and xa.ndim != 1:
        raise ValueError(f"exact x must have shape ({G.order},), got {xa.shape}")
    return G, convention, rcond, xa, ex


def _refuse_gh(G, convention, fname, what):
    if convention == "gh" and not G.is_abelian:
        raise ValueError(f"{fname}: convention 'gh' (Frobenius's M[g, h] = x(g h)) is refused for the non-abelian "
                         f"{G.name}: the {what} of such a matrix is w(h g), not a group matrix of that convention; "
                         "use convention 'ginv_h' (or 'g_hinv')")


# --------------------------------------------------------------------------------- pseudo-inverse
def pinv_group_matrix(G: FiniteGroup, x, rcond=None, convention: str = "ginv_h"):
    """The function ``w`` with ``M_w = pinv(M_x)``: the Moore-Penrose pseudo-inverse is a group matrix.

    Parameters
    ----------
    G : FiniteGroup
    x : array_like of shape (..., n), or SymPy values
    rcond : float, optional
        Singular values at most ``rcond * ||M_x||_2`` are treated as zero. Default: the rule of
        ``numpy.linalg.matrix_rank``, ``n * eps * ||M_x||_2`` (:func:`groupmat.tolerances.rank_tol`).
        Ignored for exact input (exact rank).
    convention : {"ginv_h", "g_hinv", "gh"}
        As in :func:`invert_group_matrix` (``"gh"`` only for abelian groups).

    Returns
    -------
    ndarray of shape (..., n)
        ``w``; exact input gives an object array of SymPy numbers.

    Raises
    ------
    ValueError
        ``x`` of the wrong length, a negative ``rcond``, ``"gh"`` for a non-abelian group.

    See Also
    --------
    invert_group_matrix, solve_group_matrix, numpy.linalg.pinv

    Notes
    -----
    With ``xhat(rho) = U S V^H``, ``what(rho) = V S^+ U^H``: the four Penrose equations
    (``A A^+ A = A``, ``A^+ A A^+ = A^+``, ``A A^+`` and ``A^+ A`` Hermitian) hold in the group
    algebra blockwise, and ``x -> M_x`` keeps products and adjoints (``M_x^H = M_{x^*}``,
    ``x^*(g) = conj(x(g^-1))``). The cut-off is global (relative to the largest singular value of
    ``M_x``), as in ``numpy.linalg.pinv``. For an invertible ``M_x`` this is the inverse.

    Examples
    --------
    >>> import groupmat as gm, numpy as np
    >>> G = gm.dihedral(4)
    >>> x = np.ones(8)                                     # M_x = ones: rank 1
    >>> w = gm.reps.pinv_group_matrix(G, x)
    >>> np.allclose(gm.group_matrix(G, w), np.linalg.pinv(gm.group_matrix(G, x)))
    True
    """
    G, convention, rcond, xa, ex = _kernel_inputs(G, x, convention, rcond, "pinv_group_matrix", "pseudo-inverse")
    if ex:
        w = _exact_pinv(G, xa)
    else:
        A = fourier(G, xa)
        svals, smax = _spectrum(A)
        dt = A.stacks[0][1].dtype
        smax = np.asarray(smax)
        cut = (rank_tol(np.ones(1), (G.order,), dt) * smax if rcond is None else rcond * smax)[..., None, None]
        stacks = []
        for idx, a in A.stacks:
            if a.shape[-1] == 1:
                keep = np.abs(a) > cut[..., None]
                stacks.append((idx, np.where(keep, 1.0 / np.where(keep, a, 1.0), 0.0)))
                continue
            U, s, Vh = np.linalg.svd(a)
            sinv = np.where(s > cut, 1.0 / np.where(s > cut, s, 1.0), 0.0)
            # A^+ = V S^+ U^H
            stacks.append((idx, np.conj(np.swapaxes(Vh, -1, -2)) @ (sinv[..., :, None] * np.conj(np.swapaxes(U, -1, -2)))))
        w = _result(inverse_fourier(G, _coefficients(G, stacks, xa.dtype.kind == "f")), xa.dtype)
    if convention == "gh":
        w = w[..., G.inverses()]
    return w


# ------------------------------------------------------------------------ determinant, spectra
def _inversion_sign(G) -> int:
    """``det J`` for the inversion permutation ``J e_g = e_{g^-1}``: ``(-1)^(number of 2-cycles)``,
    the 2-cycles being the pairs ``{g, g^-1}`` with ``g != g^-1``."""
    inv = G.inverses()
    pairs = int(np.count_nonzero(inv != np.arange(G.order))) // 2
    return -1 if pairs % 2 else 1


def group_matrix_det(G: FiniteGroup, x, convention: str = "ginv_h"):
    """``det M_x`` from the Fourier blocks: ``prod_rho det(xhat(rho))^{d_rho}`` (Frobenius).

    Parameters
    ----------
    G : FiniteGroup
    x : array_like of shape (..., n), or SymPy values (numbers or symbols)
    convention : {"ginv_h", "g_hinv", "gh"}
        ``"gh"`` multiplies by ``det J = (-1)^p``, ``p`` the number of pairs ``{g, g^-1}``, ``g != g^-1``.

    Returns
    -------
    float, complex or ndarray of shape (...,); a SymPy expression for exact input
        Real for real ``x`` (the blocks of conjugate irreducibles have conjugate determinants).
        A product of ``n`` numbers overflows like ``numpy.linalg.det``: use
        :func:`group_matrix_slogdet` for large groups.

    See Also
    --------
    group_matrix_slogdet, groupmat.group_determinant

    Notes
    -----
    ``M_x`` is unitarily similar to the block-diagonal matrix with ``d_rho`` copies of
    ``xhat(rho)`` (up to transposition and the pairing of ``rho`` with its dual), hence Frobenius's

    .. math::  \\det M_x = \\prod_\\rho \\det \\hat x(\\rho)^{d_\\rho}.

    Exact input is computed in the number field of the exact irreducibles: rational ``x`` gives a
    rational determinant, symbols give the group determinant as a polynomial.

    Examples
    --------
    >>> import groupmat as gm, numpy as np
    >>> G = gm.symmetric(3)
    >>> x = np.arange(6.0) + 1
    >>> bool(np.isclose(gm.reps.group_matrix_det(G, x), np.linalg.det(gm.group_matrix(G, x))))
    True
    >>> import sympy
    >>> gm.reps.group_matrix_det(gm.cyclic(3), [sympy.Integer(1), 2, 3])     # exact: det of the circulant
    18
    """
    G = _check_group(G)
    convention = _convention(convention)
    xa, ex = _values(G, x, "x")
    sign = _inversion_sign(G) if convention == "gh" else 1
    if ex:
        if xa.ndim != 1:
            raise ValueError(f"exact x must have shape ({G.order},), got {xa.shape}")
        return sign * _exact_det(G, xa)
    s, logabs = group_matrix_slogdet(G, xa)
    return sign * s * np.exp(logabs)


def group_matrix_slogdet(G: FiniteGroup, x, convention: str = "ginv_h"):
    """``(sign, logabsdet)`` of ``M_x`` from the Fourier blocks, like ``numpy.linalg.slogdet``.

    Parameters
    ----------
    G : FiniteGroup
    x : array_like of shape (..., n)
    convention : {"ginv_h", "g_hinv", "gh"}

    Returns
    -------
    sign : float or complex (or ndarray of shape (...,))
        ``det M_x / |det M_x|`` (real ``+-1`` for real ``x``; 0 when singular).
    logabsdet : float (or ndarray)
        ``log |det M_x| = sum_rho d_rho log |det xhat(rho)|`` (``-inf`` when singular).

    See Also
    --------
    group_matrix_det, numpy.linalg.slogdet

    Examples
    --------
    >>> import groupmat as gm, numpy as np
    >>> G = gm.dihedral(50)
    >>> x = np.random.default_rng(0).standard_normal(100)
    >>> s, l = gm.reps.group_matrix_slogdet(G, x)
    >>> np.allclose((s, l), np.linalg.slogdet(gm.group_matrix(G, x)))
    True
    """
    G = _check_group(G)
    convention = _convention(convention)
    xa, ex = _values(G, x, "x")
    if ex:
        raise TypeError("group_matrix_slogdet takes numeric x; for exact input use group_matrix_det")
    A = fourier(G, xa)
    real = not np.iscomplexobj(xa)
    phase = None
    logabs = 0.0
    for idx, a in A.stacks:
        d = a.shape[-1]
        s, l = np.linalg.slogdet(a)                           # (..., m)
        # det M_x = prod det(xhat)^d: phases multiply d times, logs add d times
        p = np.prod(s ** d, axis=-1)
        phase = p if phase is None else phase * p
        logabs = logabs + d * np.sum(l, axis=-1)
    if real:
        # conjugate irreducibles pair up, so the product of the phases is real (+-1, or 0)
        phase = np.sign(np.real(phase))
    if convention == "gh":
        phase = phase * _inversion_sign(G)
    if np.ndim(phase) == 0:
        return phase[()] if isinstance(phase, np.ndarray) else phase, float(logabs)
    return phase, logabs


def _sorted_values(A: FourierCoefficients, values_of, repeat: bool) -> np.ndarray:
    """Concatenate per-block values (``values_of(stack) -> (..., m, d)``), each repeated ``d`` times."""
    parts = []
    for _, a in A.stacks:
        v = values_of(a)
        d = a.shape[-1]
        v = v.reshape(v.shape[:-2] + (-1,))
        parts.append(np.repeat(v, d, axis=-1) if repeat and d > 1 else v)
    return np.concatenate(parts, axis=-1)


def group_matrix_eigvals(G: FiniteGroup, x, convention: str = "ginv_h"):
    """The eigenvalues of ``M_x`` (with multiplicity) from the Fourier blocks.

    Parameters
    ----------
    G : FiniteGroup
    x : array_like of shape (..., n), or SymPy values
    convention : {"ginv_h", "g_hinv"}
        ``"gh"`` (``J M_x``) is refused: its eigenvalues are not those of the blocks.

    Returns
    -------
    ndarray of shape (..., n)
        Complex, in the order of the irreducibles of :func:`groupmat.irreps`: the eigenvalues of
        ``xhat(rho)``, each repeated ``d_rho`` times. For an abelian group these are the values of
        ``numpy.fft.fftn`` of ``x`` on its cyclic coordinates. Exact input gives a list of SymPy
        expressions in the same order.

    See Also
    --------
    group_matrix_svdvals, groupmat.fourier

    Notes
    -----
    ``M_x`` acts on the Fourier side by ``Y -> Y xvhat(rho)`` on ``d x d`` matrices, whose eigenvalues
    are those of ``xvhat(rho) = sum_g x(g) rho(g^-1)``, each ``d`` times; ``xvhat(rho)`` is the
    transpose of ``xhat(rho^*)`` for the dual ``rho^*``, and the dual permutes the irreducibles, so
    the multiset is ``{eig xhat(rho) repeated d_rho}``. ``g_hinv`` is ``J M_x J``, similar to ``M_x``.

    Examples
    --------
    >>> import groupmat as gm, numpy as np
    >>> x = np.array([1.0, 2.0, 0.0, 0.0])
    >>> np.allclose(gm.reps.group_matrix_eigvals(gm.cyclic(4), x), np.fft.fft(x))
    True
    """
    G = _check_group(G)
    convention = check_choice(convention, "convention", ("ginv_h", "g_hinv"))
    xa, ex = _values(G, x, "x")
    if ex:
        if xa.ndim != 1:
            raise ValueError(f"exact x must have shape ({G.order},), got {xa.shape}")
        return _exact_eigvals(G, xa)
    A = fourier(G, xa)
    return _sorted_values(A, lambda a: a[..., 0] if a.shape[-1] == 1 else np.linalg.eigvals(a), True) \
        .astype(np.result_type(xa.dtype, np.complex64), copy=False)


def group_matrix_svdvals(G: FiniteGroup, x, convention: str = "ginv_h") -> np.ndarray:
    """The singular values of ``M_x``, in descending order, from the Fourier blocks.

    Parameters
    ----------
    G : FiniteGroup
    x : array_like of shape (..., n)
    convention : {"ginv_h", "g_hinv", "gh"}
        All three have the same singular values (they differ by permutations).

    Returns
    -------
    ndarray of shape (..., n)
        Like ``scipy.linalg.svdvals(group_matrix(G, x))``: the singular values of each ``xhat(rho)``,
        each repeated ``d_rho`` times, sorted in descending order.

    See Also
    --------
    group_matrix_eigvals, pinv_group_matrix

    Notes
    -----
    The Fourier basis, normalised, is unitary, and in it ``M_x`` is block diagonal with ``d_rho``
    copies of ``xvhat(rho)^T``, whose singular values are those of ``xhat(rho^*)``.

    Examples
    --------
    >>> import groupmat as gm, numpy as np, scipy.linalg as sl
    >>> G = gm.symmetric(4)
    >>> x = np.random.default_rng(1).standard_normal(24)
    >>> np.allclose(gm.reps.group_matrix_svdvals(G, x), sl.svdvals(gm.group_matrix(G, x)))
    True
    """
    G = _check_group(G)
    _convention(convention)
    xa, ex = _values(G, x, "x")
    if ex:
        raise TypeError("group_matrix_svdvals takes numeric x (singular values of exact input are roots of "
                        "polynomials; use group_matrix_eigvals of x^* * x for them)")
    A = fourier(G, xa)
    s = _sorted_values(A, _stack_svals, True)
    return -np.sort(-s, axis=-1)


# ------------------------------------------------------------------------------------- exact
def _exact_plan(G):
    """``(K, degrees, R)``: the number field ``K`` of the exact complex irreducibles, their degrees, and
    per irreducible ``R[k]`` the ``n x d^2`` DomainMatrix over ``K`` with ``R[g, i d + j] = rho(g)[i, j]``
    (kept per group)."""
    return G.memo.get(_NS, "exact_plan", lambda: _compute_exact_plan(G))


def _compute_exact_plan(G, extra=()):
    from sympy.polys.constructor import construct_domain
    from sympy.polys.matrices import DomainMatrix

    from .irreducibles import irreps

    n = G.order
    # the n x sum d^2 = n^2 entries of the exact irreducibles, as references to their distinct values
    check_size((n, n), 3 * 8, f"the exact irreducible representations of {G.name}")
    reps = irreps(G, "complex", exact=True)
    distinct = {}
    for rho in reps:
        for v in rho.matrices.flat:
            distinct.setdefault(v, None)
    for v in extra:
        distinct.setdefault(v, None)
    values = list(distinct)
    K, converted = construct_domain(values, extension=True)
    lookup = dict(zip(values, converted))
    R = []
    for rho in reps:
        d = rho.dim
        rows = [[lookup[v] for v in rho.matrices[g].reshape(-1)] for g in range(n)]
        R.append(DomainMatrix(rows, (n, d * d), K))
    return K, tuple(rho.dim for rho in reps), tuple(R)


def _exact_setting(G, values):
    """``(K, degrees, R, converted)``: a domain holding the irreducibles and ``values`` (SymPy), the
    plan over it and the values converted. Values in the field of the irreducibles use the kept plan;
    symbols give polynomials over it; anything else (another algebraic number) a domain built for both.
    A ``Float`` enters as the rational of its exact binary value (SymPy's own conversion would guess:
    ``QQ.from_sympy(Float(0.3))`` is 3/10), so results are exact for the data given."""
    import sympy
    from sympy.polys.polyerrors import CoercionFailed

    values = [v.xreplace({f: sympy.Rational(f) for f in v.atoms(sympy.Float)}) if v.has(sympy.Float) else v
              for v in values]
    K, degs, R = _exact_plan(G)
    try:
        return K, degs, R, [K.from_sympy(v) for v in values]
    except CoercionFailed:
        pass
    syms = sorted(set().union(*[v.free_symbols for v in values]), key=str)
    if syms:
        P = K[tuple(syms)]
        try:
            conv = [P.from_sympy(v) for v in values]
            return P, degs, tuple(r.convert_to(P) for r in R), conv
        except CoercionFailed:
            pass
    K, degs, R = _compute_exact_plan(G, extra=values)
    return K, degs, R, [K.from_sympy(v) for v in values]


def _exact_forward(K, R, rows):
    """``xhat`` for each row function (a ``k x n`` DomainMatrix): per irreducible a ``k x d^2``."""
    return [rows * r for r in R]


def _exact_backward(G, K, degs, R, blocks):
    """``z(g) = (1/n) sum_rho d_rho tr(rho(g^-1) Z_rho)`` for ``k`` functions: ``blocks[r]`` are
    ``k x d^2`` DomainMatrices of ``vec(Z)``; returns a ``k x n`` DomainMatrix over the field."""
    from sympy.polys.matrices import DomainMatrix

    n = G.order
    inv = [int(i) for i in G.inverses()]
    F = K.get_field()
    total = None
    for d, r, Z in zip(degs, R, blocks):
        # tr(rho(g^-1) Z) = sum_ij rho(g^-1)[i, j] Z[j, i] = R[g^-1, :] . vec(Z^T)
        perm = [j * d + i for i in range(d) for j in range(d)]
        Zt = Z.convert_to(F).extract(list(range(Z.shape[0])), perm)
        Rinv = r.convert_to(F).extract(inv, list(range(d * d)))
        term = (Zt * Rinv.transpose()) * F.convert(d)
        total = term if total is None else total + term
    return total * F.quo(F.one, F.convert(n))


def _to_objects(DM) -> np.ndarray:
    rows = DM.to_Matrix().tolist()
    out = np.empty((len(rows), len(rows[0]) if rows else 0), dtype=object)
    for i, row in enumerate(rows):
        out[i, :] = row
    return out


def _block(Zrow, d, F):
    """A ``1 x d^2`` DomainMatrix row as a ``d x d`` DomainMatrix over ``F``."""
    from sympy.polys.matrices import DomainMatrix

    flat = Zrow.convert_to(F).to_list()[0]
    return DomainMatrix([flat[i * d:(i + 1) * d] for i in range(d)], (d, d), F)


def _vec(B):
    from sympy.polys.matrices import DomainMatrix

    rows = B.to_list()
    return DomainMatrix([[v for row in rows for v in row]], (1, len(rows) ** 2), B.domain)


def _exact_blocks(G, values):
    """``(F, degs, R, blocks)``: the Fourier blocks (``d x d`` DomainMatrices over the field ``F``) of one
    exact function ``values`` (n,)."""
    from sympy.polys.matrices import DomainMatrix

    K, degs, R, conv = _exact_setting(G, list(values))
    F = K.get_field()
    X = _exact_forward(K, R, DomainMatrix([conv], (1, G.order), K))
    return K, F, degs, R, [_block(Xr, d, F) for Xr, d in zip(X, degs)]


def _singular_exact(k, d, what):
    return np.linalg.LinAlgError(f"{what}: the group matrix is singular (exactly): its Fourier block at irreducible "
                                 f"representation {k} (degree {d}) has determinant 0; use pinv_group_matrix for a "
                                 "least-squares solution")


def _exact_inverse(G, x) -> np.ndarray:
    K, F, degs, R, blocks = _exact_blocks(G, x)
    inverses = []
    for k, (B, d) in enumerate(zip(blocks, degs)):
        if B.det() == F.zero:
            raise _singular_exact(k, d, "invert_group_matrix")
        inverses.append(_vec(B.inv()))
    return _to_objects(_exact_backward(G, K, degs, R, inverses))[0]


def _exact_solve(G, x, b) -> np.ndarray:
    """``y`` with ``y * x^vee = b`` exactly, for ``b`` of shape (n,) or (k, n)."""
    from sympy.polys.matrices import DomainMatrix

    n = G.order
    rows = b.reshape(-1, n)
    inv = G.inverses()
    K, degs, R, conv = _exact_setting(G, list(x[inv]) + list(rows.reshape(-1)))
    F = K.get_field()
    xv = DomainMatrix([conv[:n]], (1, n), K)
    Bm = DomainMatrix([conv[n + i * n:n + (i + 1) * n] for i in range(rows.shape[0])], rows.shape, K)
    A = [_block(a, d, F) for a, d in zip(_exact_forward(K, R, xv), degs)]
    Bh = _exact_forward(K, R, Bm)
    out = []
    for k, (a, d, Bk) in enumerate(zip(A, degs, Bh)):
        if a.det() == F.zero:
            raise _singular_exact(k, d, "solve_group_matrix")
        ainv = a.inv()
        # Y = B A^-1 for every row function
        out.append(DomainMatrix([_vec(_block(Bk.extract([i], list(range(d * d))), d, F) * ainv).to_list()[0]
                                 for i in range(rows.shape[0])], (rows.shape[0], d * d), F))
    y = _to_objects(_exact_backward(G, K, degs, R, out))
    return y.reshape(b.shape)


def _exact_det(G, x):
    K, F, degs, R, blocks = _exact_blocks(G, x)
    total = F.one
    for B, d in zip(blocks, degs):
        total = total * B.det() ** d
    import sympy

    return sympy.expand(F.to_sympy(total))


def _exact_eigvals(G, x) -> list:
    import sympy

    K, F, degs, R, blocks = _exact_blocks(G, x)
    out = []
    for B, d in zip(blocks, degs):
        M = B.to_Matrix()
        vals = [M[0, 0]] if d == 1 else M.eigenvals(multiple=True)
        out.extend([sympy.expand(v) for v in vals for _ in range(d)])
    return out


def _exact_pinv(G, x) -> np.ndarray:
    """Blockwise Moore-Penrose pseudo-inverse, exactly, in the number field: for the full-rank
    factorisation ``B = C F`` (``C`` the pivot columns of ``B``, ``F`` the nonzero rows of its reduced row
    echelon form), ``B^+ = F^* (F F^*)^-1 (C^* C)^-1 C^*``."""
    K, Fd, degs, R, blocks = _exact_blocks(G, x)
    out = []
    for B, d in zip(blocks, degs):
        E, pivots = B.rref()
        r = len(pivots)
        if r == 0:
            P = B                                          # the zero block is its own pseudo-inverse
        else:
            C = B.extract(list(range(d)), list(pivots))
            Fm = E.extract(list(range(r)), list(range(d)))
            Ch, Fh = _adjoint(C, Fd), _adjoint(Fm, Fd)
            P = Fh * (Fm * Fh).inv() * (Ch * C).inv() * Ch
        out.append(_vec(P))
    return _to_objects(_exact_backward(G, K, degs, R, out))[0]


def _adjoint(M, F):
    """The conjugate transpose of a DomainMatrix over a number field closed under conjugation (the
    field of unitary irreducibles holds the entries of the conjugate irreducibles too)."""
    import sympy
    from sympy.polys.matrices import DomainMatrix

    rows = M.to_list()
    conj = [[F.from_sympy(sympy.expand(sympy.conjugate(F.to_sympy(v)))) for v in row] for row in rows]
    return DomainMatrix(conj, M.shape, F).transpose()
