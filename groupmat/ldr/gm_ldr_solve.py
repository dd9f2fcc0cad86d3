"""Solving GM-LDR systems ``M y = b``: preconditioned Krylov methods and exact low-rank updates.

``M = M_b + sum_{i<r} diag(V[i]) M_{U[i]}`` (:class:`groupmat.GroupLDRMatrix`) multiplies a vector in
``r + 1`` group convolutions, so Krylov methods (GMRES, or CG for symmetric positive definite ``M``)
solve it without ever forming the ``n x n`` matrix. Two structures make them fast or unnecessary:

* **The group preconditioner.** The nearest group matrix ``M_c`` (Frobenius norm) has
  ``c = b + U^T mean(V)`` (:func:`nearest_group_kernel`), the group analogue of T. Chan's optimal
  circulant preconditioner; ``M_c^{-1}`` is again a group matrix, applied in one group convolution.
  When ``M`` is close to a group matrix, ``M_c^{-1} M`` is close to the identity and GMRES needs few
  iterations.
* **Woodbury.** ``diag(v) M_u`` is zero outside the rows where ``v`` is nonzero, so
  ``M = M_b + P^T C`` with ``P`` the ``s x n`` selection of the ``s`` rows of the union of the
  supports of ``V[i]`` and ``C`` those ``s`` rows of ``M - M_b``. The Sherman-Morrison-Woodbury
  formula then solves exactly with one group-matrix solve of ``s + k`` right-hand sides and an
  ``s x s`` capacitance system (:func:`solve_group_low_rank` is the same formula for any
  ``M_x + U V^T``).

:func:`solve_group_ldr` (also :meth:`groupmat.GroupLDRMatrix.solve`) chooses between them; with
``return_info=True`` it reports iteration counts, residuals and backward errors in a
:class:`SolveInfo`.
"""
from __future__ import annotations

import math
import warnings
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from .. import routing, tolerances
from .._exact import is_symbolic, working_float
from .._validation import check_choice, check_finite, check_positive_int, check_size, check_tolerance
from ..groups.core import FiniteGroup, check_group
from ..reps.fourier_transform import fast_group_matvec
from ..reps.group_algebra import group_matrix_svdvals, invert_group_matrix, solve_group_matrix

if TYPE_CHECKING:                      # gm_ldr imports this module inside GroupLDRMatrix.solve
    from .gm_ldr import GroupLDRMatrix

__all__ = ["METHODS", "PRECONDITIONERS", "WOODBURY_MAX_RANK", "WOODBURY_MAX_RANK_FRACTION", "KRYLOV_RESTART",
           "SolveInfo", "SolveConvergenceError", "nearest_group_kernel", "solve_group_ldr", "solve_group_low_rank"]

#: The solvers of :func:`solve_group_ldr`, ``"auto"`` first.
METHODS = ("auto", "gmres", "cg", "woodbury", "dense")

#: The preconditioners of the Krylov methods.
PRECONDITIONERS = ("group", "none")

#: ``method="auto"`` takes Woodbury when the support size ``s`` of ``V`` is at most this many rows
#: and at most :data:`WOODBURY_MAX_RANK_FRACTION` of the group order (the capacitance work is
#: ``O(s^2 n + s^3)`` and its memory ``O(s n)``); GMRES otherwise.
WOODBURY_MAX_RANK = 256

#: See :data:`WOODBURY_MAX_RANK`.
WOODBURY_MAX_RANK_FRACTION = 0.125

#: The restart length of GMRES (the Krylov basis kept: ``KRYLOV_RESTART`` vectors of length ``n``).
KRYLOV_RESTART = 50


# ------------------------------------------------------------------------------------ results
@dataclass(frozen=True)
class SolveInfo:
    """What a solve of :func:`solve_group_ldr` or :func:`solve_group_low_rank` did.

    Attributes
    ----------
    method : str
        ``"gmres"``, ``"cg"``, ``"woodbury"`` or ``"dense"``: the solver that produced the solution.
    preconditioner : str
        ``"group"`` (the nearest group matrix) or ``"none"`` (also for the direct methods).
    iterations : ndarray of int, shape (k,)
        Krylov iterations for each right-hand side (0 for the direct methods).
    matvecs : int
        Products with ``M`` in total (the Krylov iterations, restarts, and the final residuals).
    residual_norms : ndarray, shape (k,)
        ``||b - M y||_2 / ||b||_2`` for each right-hand side (0 when ``b = 0``), computed from ``y``.
    backward_errors : ndarray, shape (k,)
        The normwise backward error ``||b - M y||_2 / (||M||_F ||y||_2 + ||b||_2)``.
    converged : bool
        Whether every right-hand side reached the tolerance (always True for a returned direct solve).
    history : tuple of ndarray
        For GMRES, the residual estimate of each iteration (left-preconditioned, relative to
        ``||b||``), one array per right-hand side; empty arrays otherwise.
    condition : float or None
        The 2-norm condition number of the small system the method relies on: ``M_c`` for the group
        preconditioner, the ``s x s`` capacitance matrix for Woodbury; None otherwise.
    support : int or None
        Woodbury: ``s``, the number of rows of the low-rank update.
    """

    method: str
    preconditioner: str
    iterations: np.ndarray
    matvecs: int
    residual_norms: np.ndarray
    backward_errors: np.ndarray
    converged: bool
    history: tuple = ()
    condition: float | None = None
    support: int | None = None


class SolveConvergenceError(np.linalg.LinAlgError):
    """A Krylov solve of a GM-LDR system did not reach its tolerance within ``maxiter`` iterations, or
    its solution shows that the matrix is singular to working precision.

    A subclass of :class:`numpy.linalg.LinAlgError`. The last iterate is kept in ``solution``
    (shaped like ``b``) and the report in ``info`` (a :class:`SolveInfo`), so a caller can accept it.
    """

    def __init__(self, message: str, solution: np.ndarray, info: SolveInfo):
        super().__init__(message)
        self.solution = solution
        self.info = info


# ------------------------------------------------------------------------------------ group part
class _GroupFactor:
    """A group matrix ``M_c`` to solve with: its singular values, inverse and solves, all through the
    Fourier blocks (:mod:`groupmat.reps.group_algebra`).

    The singular values of ``M_c`` are those of the blocks ``chat(rho)``, so its conditioning costs one
    transform; ``M_c^{-1} = M_a`` with ``c * a = delta`` (``ahat(rho) = chat(rho)^{-1}``).
    """

    def __init__(self, G: FiniteGroup, c: np.ndarray):
        self.group = G
        self.c = c
        self.svals = np.asarray(group_matrix_svdvals(G, c))
        self._kernel = None

    @property
    def condition(self) -> float:
        smax, smin = float(self.svals.max()), float(self.svals.min())
        return math.inf if smin == 0 else smax / smin

    def singular(self, scale: float = 0.0) -> bool:
        """Numerically singular: ``sigma_min <= n eps max(sigma_max, scale)``
        (:func:`groupmat.tolerances.rank_tol`; ``scale`` judges ``M_c`` against a matrix it is part of)."""
        n = self.group.order
        s = np.append(self.svals, scale)
        return bool(self.svals.min() <= tolerances.rank_tol(s, (n, n), self.c.dtype))

    def inverse_kernel(self) -> np.ndarray:
        """``a`` with ``M_a = M_c^{-1}`` (computed once)."""
        if self._kernel is None:
            self._kernel = np.asarray(invert_group_matrix(self.group, self.c))
        return self._kernel

    def solve(self, X: np.ndarray) -> np.ndarray:
        """``M_c^{-1} X`` for the columns of ``X`` (n, k): one block solve per irreducible."""
        return np.asarray(solve_group_matrix(self.group, self.c, X))


def nearest_group_kernel(M: "GroupLDRMatrix") -> np.ndarray:
    """The ``c`` of the nearest group matrix ``M_c`` to a GM-LDR matrix ``M``, in the Frobenius norm.

    Parameters
    ----------
    M : GroupLDRMatrix
        ``M = M_b + sum_i diag(V[i]) M_{U[i]}``.

    Returns
    -------
    ndarray of shape (n,)
        ``c = b + sum_i mean(V[i]) U[i]`` (an object array for an exact ``M``).

    Raises
    ------
    TypeError
        ``M`` is not a GroupLDRMatrix.

    See Also
    --------
    groupmat.project : the same projection for any matrix (the regular representations).
    solve_group_ldr : uses ``M_c`` as the preconditioner.

    Notes
    -----
    ``M -> F`` with ``F[g, h] = M[h, h g]`` (:func:`groupmat.group_diagonals`) permutes the entries, so it
    is an isometry for ``||.||_F``, and group matrices are exactly the ``F`` with constant rows. So the
    nearest group matrix has ``c(g) = mean_h F[g, h]``; for ``F = b 1^T + U^T V`` this is
    ``c = b + U^T (V 1 / n)``. It is the group analogue of T. Chan's optimal circulant preconditioner
    (for ``C_n`` it is exactly Chan's circulant of ``M``).

    Examples
    --------
    >>> import numpy as np, groupmat as gm
    >>> from groupmat.ldr import nearest_group_kernel
    >>> G = gm.dihedral(3)
    >>> rng = np.random.default_rng(0)
    >>> M = gm.GroupLDRMatrix(G, rng.normal(size=6), rng.normal(size=(2, 6)), rng.normal(size=(2, 6)))
    >>> c = nearest_group_kernel(M)
    >>> np.allclose(c, gm.x_from_group_matrix(G, M.dense(), check=False))     # the diagonal means
    True
    """
    _check_matrix(M)
    # c(g) = mean_h F[g, h] with F = b 1^T + U^T V
    if M.rank == 0:
        return np.array(M.b, copy=True)
    means = M.V.sum(axis=1) / M.n if M.exact else M.V.mean(axis=1)
    return M.b + M.U.T @ means


# ------------------------------------------------------------------------------------ checks
def _check_matrix(M) -> None:
    # GroupLDRMatrix is identified by what it holds: importing gm_ldr here would close an import cycle
    # with GroupLDRMatrix.solve
    if not any(c.__name__ == "GroupLDRMatrix" for c in type(M).__mro__):
        raise TypeError(f"M must be a GroupLDRMatrix (groupmat.GroupLDRMatrix(G, b, U, V)), got {type(M).__name__}")


def _check_rhs(b, n: int, what: str, name: str = "b") -> np.ndarray:
    """``b`` as a numeric array of shape (n,) or (n, k), finite, checked and named."""
    if is_symbolic(b):
        raise TypeError(f"{name} holds SymPy entries; the solvers are numeric (pass floats, or solve exactly "
                        f"with sympy: M.dense().LUsolve(sympy.Matrix({name})))")
    arr = np.asarray(b)
    if arr.dtype.kind not in "biufc":
        raise TypeError(f"{name} must be a numeric array of shape ({n},) or ({n}, k), got dtype {arr.dtype}")
    if arr.ndim not in (1, 2) or arr.shape[0] != n:
        raise ValueError(f"{name} must have shape ({n},) or ({n}, k), n = {n} {what}, got shape {arr.shape}")
    check_finite(arr, name)
    return arr


def _frobenius_norm(M) -> float:
    """``||M||_F = ||b 1^T + U^T V||_F`` in ``O(r^2 n)``:
    ``n ||b||^2 + 2 Re b^* U^T V 1 + sum_ij (U U^*)_ij (V V^*)_ij``."""
    b, U, V = M.b, M.U, M.V
    total = M.n * float(np.vdot(b, b).real)
    if M.rank:
        total += 2.0 * float(np.vdot(b, U.T @ V.sum(axis=1)).real)
        total += float(np.sum((U @ U.conj().T) * (V @ V.conj().T)).real)
    return math.sqrt(max(total, 0.0))


def _residuals(apply, B: np.ndarray, Y: np.ndarray, norm: float) -> tuple[np.ndarray, np.ndarray]:
    """Relative residuals ``||b - M y|| / ||b||`` and backward errors ``||b - M y|| / (||M|| ||y|| + ||b||)``
    of the columns (``apply`` is ``X -> M X`` on columns)."""
    R = B - apply(Y)
    r = np.linalg.norm(R, axis=0)
    bn = np.linalg.norm(B, axis=0)
    yn = np.linalg.norm(Y, axis=0)
    with np.errstate(divide="ignore", invalid="ignore"):
        rel = np.where(bn > 0, r / np.where(bn > 0, bn, 1.0), r)
        den = norm * yn + bn
        bwd = np.where(den > 0, r / np.where(den > 0, den, 1.0), 0.0)
    return rel, bwd


# ------------------------------------------------------------------------------------ Woodbury
class _Woodbury:
    """``(A + U_w V_w^T)^{-1}`` with ``A = M_c`` a group matrix, factored once.

    Sherman-Morrison-Woodbury: with ``Z = A^{-1} U_w`` (n x s) and the capacitance
    ``K = I_s + V_w^T Z``, ``(A + U_w V_w^T)^{-1} B = Y0 - Z K^{-1} (V_w^T Y0)``, ``Y0 = A^{-1} B``.
    ``det(A + U_w V_w^T) = det A det K``, so ``M`` is singular exactly when ``K`` is.
    """

    def __init__(self, A: _GroupFactor, Uw: np.ndarray, VwT: np.ndarray, dtype, B: np.ndarray):
        import scipy.linalg as sl

        s = VwT.shape[0]
        self.A, self.VwT = A, VwT
        # Z = A^{-1} U_w and Y0 = A^{-1} B in one group-matrix solve of s + k columns
        X = A.solve(np.concatenate([Uw.astype(dtype, copy=False), B], axis=1)).astype(dtype, copy=False)
        self.Z, Y0 = X[:, :s], X[:, s:]
        K = np.eye(s, dtype=dtype) + VwT @ self.Z
        sv = np.linalg.svd(K, compute_uv=False) if s else np.ones(1)
        self.condition = math.inf if sv.min() == 0 else float(sv.max() / sv.min())
        if s and sv.min() <= tolerances.rank_tol(sv, (s, s), dtype):
            raise np.linalg.LinAlgError(
                f"the matrix is singular to working precision: the {s} x {s} capacitance matrix "
                f"I + C M_b^-1 P^T of the Woodbury formula has condition number {self.condition:.3g} "
                "(det M = det M_b det K)")
        self.lu = sl.lu_factor(K, check_finite=False) if s else None
        #: the solution for B
        self.first = self._update(Y0)

    def _update(self, Y0: np.ndarray) -> np.ndarray:
        import scipy.linalg as sl

        if self.lu is None:
            return Y0
        # y = y0 - Z K^{-1} V_w^T y0
        return Y0 - self.Z @ sl.lu_solve(self.lu, self.VwT @ Y0, check_finite=False)

    def apply(self, B: np.ndarray) -> np.ndarray:
        """``(A + U_w V_w^T)^{-1} B``."""
        return self._update(self.A.solve(B))


def _refined(factor: _Woodbury, apply, B, norm, tol) -> tuple[np.ndarray, np.ndarray, np.ndarray, int]:
    """Solve with ``factor``, then one step of iterative refinement ``y += factor(b - M y)`` when the
    backward error is above ``tol``; returns ``(Y, rel, bwd, matvecs)``."""
    Y = factor.first
    rel, bwd = _residuals(apply, B, Y, norm)
    matvecs = 1
    if np.any(bwd > tol):
        Y = Y + factor.apply(B - apply(Y))
        rel, bwd = _residuals(apply, B, Y, norm)
        matvecs += 2
    if np.any(bwd > tol):
        warnings.warn(f"the Woodbury solve has backward error {float(bwd.max()):.3g} (tolerance {tol:.3g}) after "
                      "one step of iterative refinement: the group-matrix part is ill-conditioned "
                      f"(condition {factor.A.condition:.3g}); try method='gmres'", _linalg_warning(), stacklevel=3)
    return Y, rel, bwd, matvecs


def _linalg_warning():
    import scipy.linalg as sl

    return sl.LinAlgWarning


def _support(V: np.ndarray) -> np.ndarray:
    """The rows ``h`` where some ``V[i, h] != 0``: ``diag(V[i]) M_{U[i]}`` vanishes on the others."""
    return np.flatnonzero(np.any(V != 0, axis=0))


def _update_rows(M, S: np.ndarray, dtype) -> np.ndarray:
    """``C = P E`` (s x n): the rows ``S`` of ``E = sum_i diag(V[i]) M_{U[i]}``,
    ``C[j, h] = sum_i V[i, S_j] U[i, S_j^-1 h]``."""
    G, n = M.group, M.n
    check_size((2 * S.size, n), 8, f"the {S.size} rows of the low-rank update of a GM-LDR matrix over {G.name}",
               how="use method='gmres'")
    K = G.mul_unchecked(G.inverses()[S][:, None], np.arange(n)[None, :])      # K[j, h] = S_j^-1 h
    C = np.zeros((S.size, n), dtype=dtype)
    for i in range(M.rank):                       # r is small: one gather per term
        C += M.V[i, S][:, None] * M.U[i][K]
    return C


# ------------------------------------------------------------------------------------ Krylov
def _krylov(M, B: np.ndarray, method: str, rtol: float, maxiter: int, factor: _GroupFactor | None, dtype):
    """Solve the columns of ``B`` one by one with scipy's GMRES or CG on the fast matvec of ``M``."""
    from scipy.sparse.linalg import LinearOperator, cg, gmres

    n, k = B.shape
    restart = min(KRYLOV_RESTART, n, maxiter)
    # the Krylov basis (restart + 1 vectors), the Hessenberg work and the k solutions
    check_size((restart + 2 + k, n), np.dtype(dtype).itemsize,
               f"the GMRES basis for a GM-LDR matrix over {M.group.name}")
    count = [0]

    def matvec(x):
        count[0] += 1
        return M.matvec(np.ravel(x)).astype(dtype, copy=False)

    A = LinearOperator((n, n), matvec=matvec, rmatvec=lambda x: M.T.matvec(np.ravel(x)), dtype=dtype)
    P = None
    if factor is not None:
        # M_c^{-1} = M_a, a computed once: one group convolution per application (FFT-based when the
        # group has a fast transform), else the dense M_a built once (a rank-0 matrix of M's class)
        a = factor.inverse_kernel()
        G = M.group
        if routing.has_fast_transform(G):
            def precondition(x):
                return fast_group_matvec(G, a, np.ravel(x)).astype(dtype, copy=False)
        else:
            Pmat = type(M)(G, a)

            def precondition(x):
                return Pmat.matvec(np.ravel(x)).astype(dtype, copy=False)
        P = LinearOperator((n, n), matvec=precondition, dtype=dtype)
    Y = np.zeros((n, k), dtype=dtype)
    iterations = np.zeros(k, dtype=np.int64)
    history = []
    for j in range(k):
        hist: list = []
        if method == "gmres":
            y, _ = gmres(A, B[:, j], rtol=rtol, atol=0.0, restart=restart, maxiter=-(-maxiter // restart), M=P,
                         callback=hist.append, callback_type="pr_norm")
            iterations[j] = len(hist)
        else:
            y, _ = cg(A, B[:, j], rtol=rtol, atol=0.0, maxiter=maxiter, M=P, callback=hist.append)
            iterations[j] = len(hist)
            hist = []
        Y[:, j] = y
        history.append(np.asarray(hist, dtype=float))
    return Y, iterations, tuple(history), count


# ------------------------------------------------------------------------------------ public
def solve_group_ldr(M: "GroupLDRMatrix", b, method: str = "auto", tol: float | None = None,
                    maxiter: int | None = None, preconditioner: str = "group", return_info: bool = False):
    """Solve ``M y = b`` for a GM-LDR matrix ``M = M_b + sum_i diag(V[i]) M_{U[i]}``.

    Parameters
    ----------
    M : GroupLDRMatrix
        Numeric (SymPy parameters are refused: solve ``M.dense()`` exactly instead).
    b : array_like, shape (n,) or (n, k)
        One right-hand side or ``k`` of them as columns (as :func:`numpy.linalg.solve`).
    method : {"auto", "gmres", "cg", "woodbury", "dense"}
        ``"gmres"``: restarted GMRES (restart :data:`KRYLOV_RESTART`) on the fast matvec.
        ``"cg"``: conjugate gradients, only for a symmetric positive definite ``M`` (symmetry is
        probed with two products; a ``ValueError`` otherwise).
        ``"woodbury"``: exact, through ``M = M_b + P^T C`` with ``s`` rows (see Notes).
        ``"dense"``: :func:`numpy.linalg.solve` on ``M.dense()`` (a reference; ``O(n^3)``).
        ``"auto"``: Woodbury when ``s <= min(WOODBURY_MAX_RANK, WOODBURY_MAX_RANK_FRACTION n)`` and
        ``cond(M_b) <= eps^(-1/2)`` (so for rank 0 it is the group-matrix solve), else GMRES.
    tol : float, optional
        Krylov: the relative residual ``||b - M y|| / ||b||`` to reach. Woodbury: the backward error
        above which one step of iterative refinement is taken (and a warning given if it stays
        above). Default :func:`groupmat.tolerances.roundoff` ``(dtype, terms=n)``, the accuracy of a
        backward-stable direct solve.
    maxiter : int, optional
        Krylov iterations (products with ``M``) per right-hand side, rounded up to whole GMRES
        restart cycles. Default ``2 n``.
    preconditioner : {"group", "none"}
        Krylov: precondition with the nearest group matrix ``M_c`` (:func:`nearest_group_kernel`).
        A numerically singular ``M_c`` (``sigma_min(M_c) <= n eps max(sigma_max(M_c), ||M||_F)``) is
        dropped with a :class:`scipy.linalg.LinAlgWarning`.
    return_info : bool
        Also return a :class:`SolveInfo` (iterations, residuals, backward errors, route).

    Returns
    -------
    y : ndarray, shaped like ``b``
        In the floating dtype of ``M`` and ``b`` (float64 for integers).
    info : SolveInfo
        Only with ``return_info=True``.

    Raises
    ------
    TypeError
        ``M`` is not a numeric GroupLDRMatrix; ``b`` is not numeric.
    ValueError
        ``b`` has the wrong shape or NaN/inf entries; unknown ``method`` or ``preconditioner``;
        ``method="cg"`` for a matrix that is not symmetric.
    numpy.linalg.LinAlgError
        Woodbury: ``M_b`` is singular (use GMRES) or ``M`` is (the capacitance matrix is singular);
        dense: ``M`` is singular.
    SolveConvergenceError
        A Krylov method did not reach ``tol`` within ``maxiter`` iterations, or its solution shows
        that ``M`` is singular to working precision (a subclass of ``LinAlgError`` holding the last
        iterate and the :class:`SolveInfo`). A singular or nearly singular ``M`` ends here.

    Warns
    -----
    scipy.linalg.LinAlgWarning
        The group preconditioner is singular and was dropped; or a Woodbury solve stays above ``tol``
        after refinement (``M_b`` ill-conditioned).

    See Also
    --------
    nearest_group_kernel, solve_group_low_rank, GroupLDRMatrix.solve

    Notes
    -----
    *Group preconditioner.* ``M_c`` with ``c = b + U^T mean(V)`` is the Frobenius-nearest group
    matrix; its inverse is the group matrix ``M_a``, ``ahat(rho) = chat(rho)^{-1}``, found once by one
    Fourier transform and applied per iteration in one group convolution. GMRES is left-preconditioned
    (it works on ``M_c^{-1} M``) and stops on the true residual. If ``M`` is symmetric positive
    definite so is ``M_c`` (it is the average ``(1/n) sum_g L(g) M L(g)^T``), as CG needs.

    *Woodbury.* ``diag(v) M_u`` vanishes outside the rows where ``v != 0``; with ``S`` the union of the
    supports of the ``V[i]`` (``s = |S|``), ``M = M_b + P^T C``, ``P`` selecting the rows ``S`` and
    ``C[j, h] = sum_i V[i, S_j] U[i, S_j^{-1} h]``. Then
    ``M^{-1} b = y0 - Z K^{-1} C y0`` with ``y0 = M_b^{-1} b``, ``Z = M_b^{-1} P^T`` and the capacitance
    ``K = I_s + C Z``. Cost: ``s + k`` group-matrix solves, ``O(s^2 n + s^3)`` for ``K``.

    *Stability.* The Krylov methods stop on the relative residual, which bounds the normwise backward
    error; a run that stagnates at round-off (backward error at most the default ``tol``) counts as
    converged, unless ``||M||_F ||y|| / (sqrt(n) ||b||)``, a lower bound on ``cond_2(M)``, reaches
    ``1 / (n eps)``: then ``M`` is singular to working precision (the rule of
    :func:`groupmat.tolerances.rank_tol`) and the solve raises, however small the backward error.
    Woodbury is exact but not backward stable when ``M_b`` is ill-conditioned (its error grows like
    ``cond(M_b) eps``); the backward error is checked with ``||M||_F`` (cheap from the parameters),
    one refinement step is taken when needed, and a warning given if it does not help. ``"auto"``
    takes Woodbury only when ``cond(M_b) <= eps^(-1/2)`` (read from the Fourier blocks of ``b``),
    where that one step restores round-off accuracy; otherwise GMRES. For ``method="woodbury"`` a
    numerically singular ``M_b`` (``sigma_min <= n eps sigma_max``) raises
    ``LinAlgError``, and so does a singular capacitance matrix (``M`` itself is then singular).

    Examples
    --------
    >>> import numpy as np, groupmat as gm
    >>> from groupmat.ldr import solve_group_ldr
    >>> G = gm.dihedral(8)
    >>> rng = np.random.default_rng(0)
    >>> b0 = np.zeros(16); b0[0] = 4.0                    # M_b = 4 I, plus a small dense update
    >>> M = gm.GroupLDRMatrix(G, b0, 0.1 * rng.normal(size=(2, 16)), rng.normal(size=(2, 16)))
    >>> rhs = rng.normal(size=16)
    >>> y, info = solve_group_ldr(M, rhs, return_info=True)
    >>> info.method, info.preconditioner, bool(np.allclose(M @ y, rhs))
    ('gmres', 'group', True)
    >>> V = np.zeros((2, 16)); V[:, :2] = rng.normal(size=(2, 2))      # updates on two rows
    >>> y, info = solve_group_ldr(gm.GroupLDRMatrix(G, b0, rng.normal(size=(2, 16)), V), rhs, return_info=True)
    >>> info.method, info.support
    ('woodbury', 2)
    """
    _check_matrix(M)
    G, n = M.group, M.n
    if M.exact:
        raise TypeError("solve_group_ldr is numeric; this GroupLDRMatrix holds SymPy entries "
                        "(solve exactly with M.dense().LUsolve(sympy.Matrix(b)))")
    check_choice(method, "method", METHODS)
    check_choice(preconditioner, "preconditioner", PRECONDITIONERS)
    if not isinstance(return_info, (bool, np.bool_)):
        raise TypeError(f"return_info must be True or False, got {type(return_info).__name__}")
    B0 = _check_rhs(b, n, f"(the order of {G.name})")
    dtype = working_float(np.result_type(M.dtype, B0.dtype))
    default_tol = tolerances.roundoff(dtype, terms=n)
    tol = default_tol if tol is None else check_tolerance(tol, "tol")
    maxiter = 2 * n if maxiter is None else check_positive_int(maxiter, "maxiter")
    B = B0.astype(dtype, copy=False).reshape(n, -1)
    norm = _frobenius_norm(M)

    def apply(Y):                         # M Y on columns: the vectors are the last axis of matvec
        return M.matvec(Y.T).T

    if method == "dense":
        check_size((n, n), np.dtype(dtype).itemsize, f"the dense form of a GM-LDR matrix over {G.name}",
                   how="use method='gmres'")
        try:
            Y = np.linalg.solve(M.dense().astype(dtype, copy=False), B)
        except np.linalg.LinAlgError:
            raise np.linalg.LinAlgError(f"the GM-LDR matrix over {G.name} is singular (dense LU)") from None
        rel, bwd = _residuals(apply, B, Y, norm)
        info = SolveInfo("dense", "none", np.zeros(B.shape[1], np.int64), 1, rel, bwd, True,
                         tuple(np.zeros(0) for _ in range(B.shape[1])))
        return _out(Y, B0, info, return_info)

    S = _support(M.V) if M.rank else np.zeros(0, dtype=np.int64)
    if method in ("auto", "woodbury"):
        small = S.size <= min(WOODBURY_MAX_RANK, WOODBURY_MAX_RANK_FRACTION * n)
        if method == "woodbury" or small:
            A = _GroupFactor(G, np.asarray(M.b))
            if method == "woodbury" and A.singular():
                raise np.linalg.LinAlgError(
                    f"method='woodbury' needs an invertible group-matrix part M_b, but M_b is singular "
                    f"to working precision (condition number {A.condition:.3g}); use method='gmres'")
            # auto: Woodbury's error grows like cond(M_b) eps; up to cond(M_b) = eps^(-1/2) one step of
            # refinement brings it back to round-off
            if method == "woodbury" or A.condition <= 1.0 / math.sqrt(tolerances.eps(dtype)):
                # M = M_b + P^T C: U_w = P^T (unit columns e_j, j in S), V_w^T = C
                Uw = np.zeros((n, S.size), dtype=dtype)
                Uw[S, np.arange(S.size)] = 1.0
                factor = _Woodbury(A, Uw, _update_rows(M, S, dtype), dtype, B)
                Y, rel, bwd, mv = _refined(factor, apply, B, norm, tol)
                info = SolveInfo("woodbury", "none", np.zeros(B.shape[1], np.int64), mv, rel, bwd, True,
                                 tuple(np.zeros(0) for _ in range(B.shape[1])), factor.condition, int(S.size))
                return _out(Y, B0, info, return_info)
        method = "gmres"

    if method == "cg":
        _check_symmetric(M, dtype, norm)
    factor = None
    condition = None
    if preconditioner == "group":
        factor = _GroupFactor(G, nearest_group_kernel(M))
        condition = factor.condition
        if factor.singular(scale=norm):            # rounding noise of M is no preconditioner either
            warnings.warn(f"the group preconditioner (the nearest group matrix M_c) is singular to working "
                          f"precision (condition number {condition:.3g}); solving without a preconditioner",
                          _linalg_warning(), stacklevel=2)
            factor = None
    used = "none" if factor is None else "group"
    Y, iterations, history, count = _krylov(M, B, method, tol, maxiter, factor, dtype)
    rel, bwd = _residuals(apply, B, Y, norm)
    # ||M||_2 ||y|| / ||b|| <= cond_2(M) and ||M||_2 >= ||M||_F / sqrt(n): a lower bound on cond(M); at
    # 1 / (n eps) M is singular to working precision (the rule of rank_tol), whatever the residual says
    bn = np.linalg.norm(B, axis=0)
    cond_low = norm * np.linalg.norm(Y, axis=0) / (math.sqrt(n) * np.where(bn > 0, bn, 1.0))
    singular = cond_low * n * tolerances.eps(dtype) >= 1.0
    # converged: the residual reached tol (up to the round-off of recomputing it), or the iteration
    # stagnated at round-off (the backward error is that of a backward-stable direct solve)
    ok = ((rel <= tol + default_tol) | (bwd <= default_tol)) & ~singular
    info = SolveInfo(method, used, iterations, count[0] + 1, rel, bwd, bool(np.all(ok)), history,
                     condition if used == "group" else None)
    if not info.converged:
        j = int(np.argmax(~ok))
        if singular[j]:
            why = (f"M is singular to working precision: right-hand side {j} gives ||M||_F ||y|| / (sqrt(n) ||b||) "
                   f"= {cond_low[j]:.3g}, a lower bound on cond(M), above 1 / (n eps)")
        else:
            hint = " (is M positive definite?)" if method == "cg" else ""
            why = (f"{method.upper()} did not converge{hint}: right-hand side {j} has relative residual "
                   f"{rel[j]:.3g} > tol = {tol:.3g} after {iterations[j]} iterations (maxiter = {maxiter}, "
                   f"preconditioner {used!r}); M may be singular or ill-conditioned")
        raise SolveConvergenceError(why + ". The last iterate is in the error's .solution", Y.reshape(B0.shape), info)
    return _out(Y, B0, info, return_info)


def _out(Y: np.ndarray, B0: np.ndarray, info: SolveInfo, return_info: bool):
    Y = Y.reshape(B0.shape)
    return (Y, info) if return_info else Y


def _check_symmetric(M, dtype, norm: float) -> None:
    """Probe ``x^* M y = conj(y^* M x)`` with two fixed random vectors (two products): CG needs
    ``M = M^*`` (symmetric, or Hermitian for complex ``M``)."""
    rng = np.random.default_rng(0)
    x, y = rng.standard_normal((2, M.n))
    d = abs(complex(np.vdot(x, M.matvec(y)) - np.conj(np.vdot(y, M.matvec(x)))))
    scale = norm * float(np.linalg.norm(x) * np.linalg.norm(y))
    if d > tolerances.roundoff(dtype, scale=scale, terms=M.n):
        raise ValueError(f"method='cg' needs a symmetric (Hermitian) positive definite M, but M is not symmetric "
                         f"(x^T M y - y^T M x = {d:.3g} for random x, y); use method='gmres'")


def solve_group_low_rank(G: FiniteGroup, x, U, V, b, tol: float | None = None, return_info: bool = False):
    """Solve ``(M_x + U V^T) y = b`` exactly by the Sherman-Morrison-Woodbury formula.

    Parameters
    ----------
    G : FiniteGroup
    x : array_like, shape (n,)
        The group matrix ``M_x[g, h] = x(g^-1 h)``; it must be invertible.
    U, V : array_like, shape (n, s) (or (n,) for a rank-one update)
        The low-rank update ``U V^T``.
    b : array_like, shape (n,) or (n, k)
    tol : float, optional
        The backward error above which one step of iterative refinement is taken (and a warning
        given if it stays above). Default :func:`groupmat.tolerances.roundoff` ``(dtype, terms=n)``.
    return_info : bool
        Also return a :class:`SolveInfo` (``condition`` is that of the capacitance matrix).

    Returns
    -------
    y : ndarray, shaped like ``b``
    info : SolveInfo
        Only with ``return_info=True``.

    Raises
    ------
    TypeError
        ``G`` is not a FiniteGroup, or an argument is not numeric.
    ValueError
        Wrong shapes, or NaN/inf entries.
    numpy.linalg.LinAlgError
        ``M_x`` is singular to working precision, or ``M_x + U V^T`` is (the capacitance matrix
        ``I + V^T M_x^{-1} U`` is singular).

    Warns
    -----
    scipy.linalg.LinAlgWarning
        The backward error stays above ``tol`` after refinement (``M_x`` ill-conditioned).

    See Also
    --------
    solve_group_ldr

    Notes
    -----
    ``(M_x + U V^T)^{-1} b = y0 - Z (I_s + V^T Z)^{-1} V^T y0`` with ``y0 = M_x^{-1} b`` and
    ``Z = M_x^{-1} U``; ``M_x^{-1} = M_a`` is the group matrix of the group-algebra inverse ``a`` of
    ``x`` (``ahat(rho) = xhat(rho)^{-1}``), applied by group convolutions. Cost: one Fourier
    transform, ``s + k`` convolutions, ``O(s^2 n + s^3)``. Worth it when ``s`` is small against ``n``.

    Examples
    --------
    >>> import numpy as np, groupmat as gm
    >>> from groupmat.ldr import solve_group_low_rank
    >>> G = gm.cyclic(8)
    >>> rng = np.random.default_rng(1)
    >>> x = rng.normal(size=8); x[0] += 5
    >>> U, V, b = rng.normal(size=(8, 2)), rng.normal(size=(8, 2)), rng.normal(size=8)
    >>> y = solve_group_low_rank(G, x, U, V, b)
    >>> bool(np.allclose((gm.group_matrix(G, x) + U @ V.T) @ y, b))
    True
    """
    G = check_group(G)
    n = G.order
    where = f"(the order of {G.name})"
    xa = _check_rhs(x, n, where, "x")
    if xa.ndim != 1:
        raise ValueError(f"x must have shape ({n},), got shape {xa.shape}")
    Ua, Va = _check_rhs(U, n, where, "U"), _check_rhs(V, n, where, "V")
    Ua, Va = Ua.reshape(n, -1), Va.reshape(n, -1)
    if Ua.shape != Va.shape:
        raise ValueError(f"U and V must have the same shape (n, s), got {Ua.shape} and {Va.shape}")
    B0 = _check_rhs(b, n, where)
    if not isinstance(return_info, (bool, np.bool_)):
        raise TypeError(f"return_info must be True or False, got {type(return_info).__name__}")
    dtype = working_float(np.result_type(xa.dtype, Ua.dtype, Va.dtype, B0.dtype))
    tol = tolerances.roundoff(dtype, terms=n) if tol is None else check_tolerance(tol, "tol")
    check_size((2 * Ua.shape[1] + 2, n), np.dtype(dtype).itemsize, f"the Woodbury factors over {G.name}")
    B = B0.astype(dtype, copy=False).reshape(n, -1)
    xa = xa.astype(dtype, copy=False)
    A = _GroupFactor(G, xa)
    if A.singular():
        raise np.linalg.LinAlgError(f"the group matrix M_x is singular to working precision (condition number "
                                    f"{A.condition:.3g}); the Woodbury formula needs it invertible")
    Ua, VaT = Ua.astype(dtype, copy=False), Va.T.astype(dtype, copy=False)
    factor = _Woodbury(A, Ua, VaT, dtype, B)
    # ||M_x + U V^T||_F <= ||x|| sqrt(n) + ||U||_F ||V||_F: the norm of the backward error
    norm = math.sqrt(n) * float(np.linalg.norm(xa)) + float(np.linalg.norm(Ua) * np.linalg.norm(Va))

    def apply(Y):
        return np.asarray(fast_group_matvec(G, xa, Y.T)).T + Ua @ (VaT @ Y)

    Y, rel, bwd, mv = _refined(factor, apply, B, norm, tol)
    info = SolveInfo("woodbury", "none", np.zeros(B.shape[1], np.int64), mv, rel, bwd, True,
                     tuple(np.zeros(0) for _ in range(B.shape[1])), factor.condition, int(Ua.shape[1]))
    return _out(Y, B0, info, return_info)
