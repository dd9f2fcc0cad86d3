"""The generalized Schur algorithm (Gohberg-Kailath-Olshevsky) for displacement-structured systems.

A **Cauchy-like** matrix ``C`` is given by nodes ``s, t`` and generators ``G, H`` (``n x r``) through
``diag(s) C - C diag(t) = G H^T``, i.e. ``C[i, j] = (G[i] . H[j]) / (s_i - t_j)``. Its first column and
first row cost ``O(r n)`` from the generators, and the Schur complement of its ``(0, 0)`` entry is again
Cauchy-like, with the same nodes (less the first) and generators updated in ``O(r n)``. Row
interchanges keep the structure (they permute ``s`` and the rows of ``G``), so Gaussian elimination
with partial pivoting runs on the generators: ``P C = L U`` in ``O(r n^2)`` flops instead of
``O(n^3)``, each of the ``n`` steps a few vectorised ``O(r n)`` NumPy operations (GKO, 1995).

From ``n = 32`` on the recursion runs by panels of ``b`` columns instead (blocked GKO): the panel
``C^(k)[:, :b]`` is formed from the generators in one broadcast and factored by LAPACK ``getrf`` with
partial pivoting over all remaining rows, the ``b`` rows of ``U`` follow from one product with
``L11^{-1}``, and the generators of the next Schur complement from two level-3 updates (the
displacement of a Schur complement, :func:`_gko_panel`): ``O(n^2 b)`` flops in ``n / b`` rounds of
BLAS calls instead of ``n`` rounds of ``O(r n)`` calls. Both paths pivot alike (LAPACK's rule) and
give the same ``P C = L U`` within round-off.

Toeplitz-like, Hankel-like, Toeplitz-plus-Hankel and Vandermonde-like matrices are brought to
Cauchy-like form first: the DFT diagonalises ``Z_1``, a scaled DFT diagonalises ``Z_f``, so with
``F`` the DFT matrix and ``Delta = diag(phi^j)``, ``phi^n = -1``,

* Toeplitz-like ``Z_1 M - M Z_{-1} = G H^T``: ``C = F M Delta^{-1} F^{-1}`` is Cauchy-like with nodes
  ``s_k = w^k``, ``t_k = phi w^k`` (``w = exp(-2 pi i / n)``) and generators ``F G``, ``F^{-1} Delta^{-1} H``;
* Hankel-like ``Z_1 M - M Z_{-1}^T = G H^T``: ``M J`` is Toeplitz-like with generators ``G, J H``;
* Toeplitz-plus-Hankel: the pair ``(Z_1 + Z_1^T, Z_{-1} + Z_{-1}^T)`` has displacement rank ``<= 4`` on
  ``T + H`` and the same transformation ``C = F M Delta^{-1} F^{-1}`` makes it Cauchy-like with real
  nodes ``2 cos(2 pi k / n)`` and ``2 cos((2 k + 1) pi / n)``;
* Vandermonde-like ``diag(x) M - M Z_f = G H^T``: ``C = M Delta_f^{-1} F^{-1}`` (``phi^n = f``) is
  Cauchy-like with nodes ``x`` and ``phi w^k``.

Real Toeplitz and real Toeplitz-plus-Hankel matrices stay real (:func:`toeplitz_lu`,
:func:`toeplitz_plus_hankel_lu`): with the symmetric tridiagonal ``A = Y + e_0 e_0^T + e_{n-1} e_{n-1}^T``
and ``B = Y + e_0 e_0^T - e_{n-1} e_{n-1}^T`` (``Y = Z + Z^T``) the displacement ``A M - M B`` again lives
on the border rows and columns (rank ``<= 4``), and the orthonormal DCT-II ``Q2`` and DCT-IV ``Q4``
diagonalise ``A`` and ``B``, so ``C = Q2 M Q4`` is a real Cauchy-like matrix with the interlaced nodes
``2 cos(pi k / n)`` and ``2 cos(pi (2k + 1) / 2n)`` (Heinig and Bojanczyk's real trigonometric
transformations): real factors, half the memory and about a quarter of the flops of the DFT form.

Each transformation costs ``O(r n log n)`` (FFTs of the generators); the factorization
:class:`StructuredLU` is kept and solves any number of right-hand sides in ``O(n^2)`` each, with
iterative refinement against the original structured matrix (FFT products for the Toeplitz and
Hankel families).

**Stability.** Partial pivoting bounds the multipliers, ``|L[i, j]| <= 1`` for real and ``<= sqrt(2)``
for complex factors (the pivot is the entry of largest ``|Re| + |Im|``, a measure without
square roots, as in LAPACK's complex LU, found by BLAS ``i?amax``), so leading minors
that vanish (a Toeplitz matrix with zero diagonal, where Levinson and the classical Schur algorithm
break down) do no harm. What can grow are the generators of the Schur complements; the error of the
generalized Schur algorithm is bounded by ``eps`` times that growth (Sweet-Brent, Gu). The growth is
recorded (:attr:`StructuredLU.growth`) and a ``RuntimeWarning`` is issued beyond ``1/sqrt(eps)``;
one step of iterative refinement (the default of :meth:`StructuredLU.solve`) brings the backward
error back to round-off in the usual cases. A pivot that is zero after pivoting (below
``n eps`` times the largest pivot so far, the rule of :func:`groupmat.tolerances.rank_tol`) raises
``numpy.linalg.LinAlgError`` naming the step: the matrix is singular to working precision.

References
----------
I. Gohberg, T. Kailath, V. Olshevsky, "Fast Gaussian elimination with partial pivoting for matrices
with displacement structure", Math. Comp. 64 (1995). G. Heinig, "Inversion of generalized Cauchy
matrices and other classes of structured matrices", IMA Vol. Math. Appl. 69 (1995). M. Gu, "Stable
and efficient algorithms for structured systems of linear equations", SIAM J. Matrix Anal. Appl. 19
(1998). G. Heinig, A. Bojanczyk, "Transformation techniques for Toeplitz and Toeplitz-plus-Hankel
matrices", Linear Algebra Appl. 254 (1997) and 278 (1998).
"""
from __future__ import annotations

import warnings

import numpy as np
import scipy.linalg as sla

from .. import tolerances
from .._exact import as_numeric_or_exact, exact_is_zero, is_symbolic, to_object_array, working_float
from .._validation import check_nonnegative_int, check_size
from .operators import DiagonalOperator, MonomialOperator, ShiftOperator

__all__ = ["StructuredLU", "structured_lu", "cauchy_like_lu", "toeplitz_lu", "toeplitz_plus_hankel_lu",
           "vandermonde_lu", "solve_toeplitz_like", "solve_toeplitz_plus_hankel", "growth_limit"]

#: L columns are gathered in row blocks of this many steps before they are written into the factor
#: (contiguous writes in the step; the transposed copy into ``LU`` and the block's row interchanges
#: on the earlier L columns happen once per block: longer row segments, fewer calls; measured best
#: among 32 .. 256 at n = 4000, see benchmarks/bench_schur.py).
_L_BLOCK = 128

#: From this size on the factorization runs by panels (LAPACK ``getrf`` on each panel, one ``gemm`` with
#: ``L11^{-1}`` for the U rows, level-3 generator updates: :func:`_gko_panel`); below it the step loop
#: (the panel path measured 1.3-4x faster from n = 64 to 2000 and about 1.2-1.6x at 4000, noisy, see
#: benchmarks/bench_schur.py section 5; tiny systems keep the step loop).
_PANEL_MIN_N = 32

#: Columns per panel of :func:`_gko_panel`: ``None`` for the width of :func:`_panel_width`, which
#: balances the ``O(m b^2)`` flops of a panel against its call overhead (``b ~ sqrt(_PANEL_SCALE / m)``
#: within ``[_PANEL_MIN, _PANEL_MAX]``, measured at n = 1000 .. 4000, see benchmarks/bench_schur.py).
_PANEL_BLOCK = None
_PANEL_SCALE = 3e5
_PANEL_MIN = 8
_PANEL_MAX = 64

#: The generator growth is measured every this many blocks of L columns (and at the end).
_GROWTH_EVERY = 1

#: Rows per block when a product or a norm is formed from Cauchy-like generators (bounds the
#: ``(block, n)`` temporaries).
_ROW_BLOCK = 256

#: Up to this displacement rank the generators are updated row by row with BLAS ``axpy`` (in place);
#: above it with one NumPy outer product.
_AXPY_MAX_RANK = 8

#: Bytes per entry of a complex128 factor.
_COMPLEX_BYTES = 16

#: BLAS ``i?amax`` by dtype character: the index of the entry of largest ``|Re| + |Im|`` (``|x|`` when real).
_IAMAX = {"f": sla.blas.isamax, "d": sla.blas.idamax, "F": sla.blas.icamax, "D": sla.blas.izamax}


# ---------------------------------------------------------------------------------------- input checks
def _vector(v, name: str):
    arr, exact = as_numeric_or_exact(v, name, vector=True)
    if arr.ndim != 1 or arr.size == 0:
        raise ValueError(f"{name} must be a non-empty 1-D vector, got shape {arr.shape}")
    return arr, exact


def _generators(X, n: int, name: str):
    """``X`` as an ``(n, r)`` array (a 1-D vector of length n is one column), ``r >= 1``."""
    arr, exact = as_numeric_or_exact(X, name)
    if arr.ndim == 1:
        arr = arr[:, None]
    if arr.ndim != 2 or arr.shape[0] != n:
        raise ValueError(f"{name} must be an (n, r) array of generators with n = {n} rows, got shape {arr.shape}")
    if arr.shape[1] == 0:
        raise ValueError(f"{name} must have r >= 1 columns (the displacement rank), got shape {arr.shape}; "
                         "with r = 0 the displacement is zero and the matrix is zero (singular)")
    return arr, exact


def _rhs(b, n: int):
    """``b`` as ``(n,)`` or ``(n, k)``, numeric or exact."""
    arr, exact = as_numeric_or_exact(b, "b", to_float=True)
    if arr.ndim not in (1, 2) or arr.shape[0] != n:
        raise ValueError(f"b must have shape ({n},) or ({n}, k) to match the {n} x {n} matrix, got {arr.shape}")
    return arr, exact


# ---------------------------------------------------------------------------------------- the GKO kernel
def _max_abs(x: np.ndarray) -> float:
    """``max |Re|, |Im|`` over a real or complex array (the max norm of its real view)."""
    if x.size == 0:
        return 0.0
    v = x.view(x.real.dtype) if np.iscomplexobj(x) else x
    return float(np.max(np.abs(v)))


class _DivisionKernel:
    """``1 / (s_i - t_j)`` for arbitrary nodes, by divisions."""

    def __init__(self, s, t):
        self.s, self.t = s, t
        self.n = s.size

    def col_scale(self, k: int):
        """The factor of ``1 / (s_i - t_k)`` common to the whole column (folded into ``h_k``)."""
        return 1.0

    def col_mul(self, idx, k: int, c, tmp) -> None:
        """``c_i *= 1 / (s_i - t_k) / col_scale(k)`` for the rows of original indices ``idx``."""
        m = idx.size
        self.s.take(idx, out=tmp[:m], mode="clip")           # in range: no buffered bounds check
        tmp[:m] -= self.t[k]
        c /= tmp[:m]

    def row_scale(self, sigma: int):
        """The factor of ``1 / (s_sigma - t_j)`` common to the whole row (folded into ``g_k``)."""
        return 1.0

    def row_mul(self, sigma: int, k: int, u) -> None:
        """``u_j *= 1 / (s_sigma - t_j) / row_scale(sigma)`` for ``j = k .. n-1``."""
        u /= self.s[sigma] - self.t[k:]


class _CirculantKernel:
    """``1 / (s_i - t_j)`` for the Toeplitz nodes ``s_i = w^i``, ``t_j = phi w^j`` without divisions:
    ``s_i - t_j = w^j (w^{i-j} - phi) = w^i (1 - phi w^{j-i})``, so ``1 / (s_i - t_j)`` is
    ``w^{-j} R[(i - j) mod n]`` (for a column) and ``w^{-i} R'[(j - i) mod n]`` (for a row) with the tables
    ``R[q] = 1 / (w^q - phi)``, ``R'[q] = 1 / (1 - phi w^q)`` (``2 n`` divisions once, none per step)."""

    def __init__(self, n: int, dt):
        q = np.arange(n)
        w = np.exp(-2j * np.pi * q / n)
        phi = np.exp(1j * np.pi / n)
        R = 1.0 / (w - phi)
        Rp = 1.0 / (1.0 - phi * w)
        self.R2 = np.concatenate([R, R]).astype(dt)          # R2[q + n] = R[q mod n] for -n < q < n
        self.Rp2 = np.concatenate([Rp, Rp]).astype(dt)
        self.winv = np.conj(w).astype(dt).tolist()           # w^{-j} (Python numbers: scalar arithmetic)
        self.winv_arr = np.conj(w).astype(dt)
        self.n = n

    def col_scale(self, k: int):
        return self.winv[k]

    def col_mul(self, idx, k: int, c, tmp) -> None:
        m = idx.size
        self.R2[self.n - k:].take(idx, out=tmp[:m], mode="clip")    # R[(i - k) mod n]; in range by construction
        c *= tmp[:m]

    def row_scale(self, sigma: int):
        return self.winv[sigma]

    def row_mul(self, sigma: int, k: int, u) -> None:
        u *= self.Rp2[self.n + k - sigma:2 * self.n - sigma]        # R'[(j - sigma) mod n], j = k .. n-1

    def col_block_mul(self, p, j0: int, AT, tmp) -> None:
        """``AT[j - j0, i] *= w^j / (s_{p_i} - t_j)`` for the rows ``j0 <= j < j0 + len(AT)``: row ``j`` is
        the table ``R[(p_i - j) mod n]``, a gather from a shifted view (no index array), one row at a time
        through the buffer ``tmp`` (the column factor ``w^{-j}`` is folded into ``h_j`` by the caller)."""
        m = p.size
        for jj in range(AT.shape[0]):
            self.R2[self.n - j0 - jj:].take(p, out=tmp[:m], mode="clip")
            AT[jj] *= tmp[:m]

    def col_factors(self, j0: int, j1: int):
        return self.winv_arr[j0:j1]

    def row_block_mul(self, p, j0: int, C12) -> None:
        """``C12[i, j - j0] *= w^{p_i} / (s_{p_i} - t_j)`` for ``j >= j0``: row ``i`` is the contiguous slice
        ``R'[(j - p_i) mod n]`` of the table (the row factor ``w^{-p_i}`` is folded into ``g_i``)."""
        n = self.n
        for i, q in enumerate(p.tolist()):
            C12[i] *= self.Rp2[n + j0 - q:2 * n - q]

    def row_factors(self, p):
        return self.winv_arr[p]


class _CosineKernel:
    """``1 / (s_i - t_j)`` for the Toeplitz-plus-Hankel nodes ``s_i = 2 cos(2 pi i / n)``,
    ``t_j = 2 cos((2 j - 1) pi / n)``: ``s_i - t_j = -4 sin(pi (2(i+j) - 1) / 2n) sin(pi (2(i-j) + 1) / 2n)``,
    so ``1 / (s_i - t_j) = P[i + j] Q[i - j]`` with two tables (no divisions per step)."""

    def __init__(self, n: int, dt):
        q = np.arange(2 * n)
        self.P = (-0.25 / np.sin(np.pi * (2 * q - 1) / (2 * n))).astype(dt)        # P[i + j], 0 <= i + j < 2n
        qq = np.arange(-n, n)
        self.Q2 = (1.0 / np.sin(np.pi * (2 * qq + 1) / (2 * n))).astype(dt)       # Q2[i - j + n]
        self.n = n
        self.buf = np.empty((2, n), dtype=dt)             # real tables: buffers of their own dtype

    def col_scale(self, k: int):
        return 1.0

    def col_mul(self, idx, k: int, c, tmp) -> None:
        m = idx.size
        p, q = self.buf[0, :m], self.buf[1, :m]
        self.P[k:].take(idx, out=p, mode="clip")                   # P[i + k]
        self.Q2[self.n - k:].take(idx, out=q, mode="clip")         # Q2[i - k + n]
        p *= q
        c *= p

    def row_scale(self, sigma: int):
        return 1.0

    def row_mul(self, sigma: int, k: int, u) -> None:
        m = self.n - k
        u *= self.P[sigma + k:sigma + self.n]                          # P[sigma + j], j = k .. n-1
        u *= self.Q2[sigma + 1:sigma + m + 1][::-1]                    # Q2[sigma - j + n]


def _gko_numeric(s, t, G, H, kernel=None):
    """``P C = L U`` for ``C[i, j] = G[i] . H[j] / (s_i - t_j)`` with partial pivoting.

    ``kernel`` (optional) gives the reciprocals ``1 / (s_i - t_j)`` of structured nodes by table
    look-ups (:class:`_CirculantKernel`, :class:`_CosineKernel`); otherwise they are divisions.
    Returns ``(LU, perm, growth)``: ``LU`` holds ``U`` on and above the diagonal and the unit lower ``L``
    below it (LAPACK's layout, C order), ``(P C)[i] = C[perm[i]]``, and ``growth`` the largest
    ``max|G^(k)| max|H^(k)| / (max|G| max|H|)`` over the Schur complements.

    From :data:`_PANEL_MIN_N` on the work goes to the panel path :func:`_gko_panel` (same result within
    round-off, faster at every size measured). Below it, a step is a fixed number of BLAS/NumPy calls
    on the generator rows (views, in place, preallocated
    buffers, the small vectors ``g_k``, ``h_k`` as Python numbers): its cost at ``n = 4000`` is about
    half call overhead, half memory traffic. ``L`` columns are gathered in a block buffer and written
    into ``LU`` once per block, when the block's row interchanges are also applied to the earlier ones.
    """
    n, r = G.shape
    if n >= _PANEL_MIN_N:
        return _gko_panel(s, t, G, H, kernel, _PANEL_BLOCK)
    dt = G.dtype
    if kernel is None:
        kernel = _DivisionKernel(s, t)
    GT = np.array(G.T, order="C")                # (r, n), a copy: row i of G is column i of GT
    HT = np.array(H.T, order="C")
    LU = np.empty((n, n), dtype=dt)
    Lb = np.zeros((min(_L_BLOCK, n), n), dtype=dt)       # L columns of the current block, as rows
    rowbuf = np.empty((min(2 * _L_BLOCK, n), n), dtype=dt)      # the L rows a block's interchanges move
    perm = np.arange(n)
    tmp = np.empty(n, dtype=dt)
    invd = np.empty(Lb.shape[0], dtype=dt)       # 1 / pivot of the block's steps (L columns are scaled at the flush)
    g0, h0 = _max_abs(GT), _max_abs(HT)
    base = g0 * h0 if g0 * h0 > 0 else 1.0
    growth = 1.0
    big = 0.0                                    # the largest pivot so far (scale of the zero test)
    zero = tolerances.rank_tol(np.ones(1), (n, n), dt)     # n eps: a pivot <= n eps * big counts as zero
    # BLAS axpy updates a generator row in place (one pass); for many columns one NumPy outer product
    axpy = sla.blas.get_blas_funcs("axpy", (GT,)) if r <= _AXPY_MAX_RANK else None
    iamax = _IAMAX[dt.char]
    GTr, HTr = list(GT), list(HT)                # the generator rows (views)
    col_scale, col_mul, row_scale, row_mul = kernel.col_scale, kernel.col_mul, kernel.row_scale, kernel.row_mul
    swaps = []                                   # the interchanges (k, q) of the current block
    nb = Lb.shape[0]
    k0 = 0
    for k in range(n):
        j = k - k0
        m = n - k
        # column k of the Schur complement: c_i = G_i . h_k / (s_i - t_k) (the column factor of the
        # kernel folded into h_k)
        hk = HT[:, k].tolist()
        sc = col_scale(k)
        c = _combine(GTr, GT, k, [v * sc for v in hk], Lb[j, k:], axpy)     # unscaled L column
        col_mul(perm[k:], k, c, tmp)
        # partial pivoting: the largest entry, measured (as LAPACK does for complex matrices) without
        # square roots, by |Re| + |Im| (BLAS i?amax); so |L[i, k]| <= 1 (real) or <= sqrt(2) (complex)
        p = int(iamax(c))
        d = c[p].item()
        ad = abs(d)
        if ad > big:
            big = ad
        if not ad > zero * big:
            raise np.linalg.LinAlgError(
                f"the structured matrix is singular to working precision: after partial pivoting the pivot of "
                f"step {k} (of {n}) is {ad:.3g}, below n eps times the largest pivot so far ({big:.3g})")
        if p:                                    # interchange rows k and q = k + p
            q = k + p
            gk = GT[:, q].tolist()
            GT[:, q] = GT[:, k]                  # position k is eliminated: its generator row is not needed
            perm[k], perm[q] = perm[q], perm[k]
            if j:
                Lb[:j, (k, q)] = Lb[:j, (q, k)]
            swaps.append((k, q))                 # the earlier L columns (in LU) follow once per block
            c[p] = c[0]
        else:
            gk = GT[:, k].tolist()
        sigma = int(perm[k])
        # row k of U: u_j = g_k . H_j / (s_sigma - t_j) (the row factor of the kernel folded into g_k)
        sc = row_scale(sigma)
        u = _combine(HTr, HT, k, [v * sc for v in gk], LU[k, k:], axpy)
        row_mul(sigma, k, u)
        # column k of L: l = c[1:] / d (kept unscaled in the block buffer; scaled when it is flushed)
        dinv = 1.0 / d
        invd[j] = dinv
        # generators of the Schur complement: G <- G - c (g_k / d)^T, H <- H - u (h_k / d)^T (in place)
        if k + 1 < n:
            c1, u1 = c[1:], u[1:]
            if axpy is None:
                GT[:, k + 1:] -= np.multiply.outer([v * dinv for v in gk], c1)
                HT[:, k + 1:] -= np.multiply.outer([v * dinv for v in hk], u1)
            else:
                for i in range(r):
                    axpy(c1, GTr[i][k + 1:], a=-gk[i] * dinv)
                    axpy(u1, HTr[i][k + 1:], a=-hk[i] * dinv)
        if j == nb - 1 or k == n - 1:
            Lb[:j + 1, k0:] *= invd[:j + 1, None]
            _flush(LU, Lb, k0, j + 1, swaps, rowbuf)
            swaps = []
            k0 = k + 1
            if k + 1 < n and (k + 1) % (_GROWTH_EVERY * nb) == 0:
                growth = max(growth, _max_abs(GT[:, k + 1:]) * _max_abs(HT[:, k + 1:]) / base)
    return LU, perm, max(growth, _max_abs(GT[:, -1:]) * _max_abs(HT[:, -1:]) / base)


def _division_col_block_mul(s, t, p, j0: int, AT) -> None:
    """``AT[j - j0, i] *= 1 / (s_{p_i} - t_j)`` by divisions (one broadcast)."""
    AT /= s[p][None, :] - t[j0:j0 + AT.shape[0], None]


def _division_row_block_mul(s, t, p, j0: int, C12) -> None:
    """``C12[i, j - j0] *= 1 / (s_{p_i} - t_j)`` for ``j >= j0`` by divisions (one broadcast)."""
    C12 /= s[p][:, None] - t[None, j0:]


def _panel_width(m: int) -> int:
    """Columns of the next panel when ``m`` rows remain: ``sqrt(_PANEL_SCALE / m)`` within
    ``[_PANEL_MIN, _PANEL_MAX]``. A panel of ``b`` columns costs ``O(m b^2)`` flops (getrf, the U rows) and a
    fixed call overhead, so per column ``c m b + o / b``: smallest at ``b = sqrt(o / (c m))``, narrow panels
    while the rows are many, wide ones near the end."""
    return int(min(_PANEL_MAX, max(_PANEL_MIN, (_PANEL_SCALE / m) ** 0.5)))


def _gko_panel(s, t, G, H, kernel=None, nb: int | None = None):
    """``P C = L U`` as :func:`_gko_numeric`, by panels of ``b`` columns with LAPACK and level-3 BLAS;
    ``b = nb``, or :func:`_panel_width` of the rows left when ``nb`` is None. Returns ``(LU, perm, growth)``.

    With the Schur complement ``C^(k)`` of the first ``k`` pivots (rows in their current order, nodes
    ``s_p = s[perm[k:]]``, ``t[k:]``, generators ``G^(k)``, ``H^(k)``) split after ``b`` rows and columns,
    one block step is

    1. the panel ``C^(k)[:, :b] = (G^(k) H^(k)[:b]^T) * K`` with ``K = 1 / (s_p - t_{k:k+b})`` (one
       broadcast; a table look-up for the Toeplitz nodes, ``kernel.col_block``, divisions otherwise) and
       its LU with partial pivoting by LAPACK ``?getrf``, pivoting over all remaining rows:
       ``P_b [C11; C21] = [L11; L21] U11``; ``P_b`` moves ``perm``, the rows of ``G^(k)`` and the earlier
       L columns;
    2. the row block ``C12`` from the generators (``kernel.row_block``) and ``U12 = L11^{-1} C12``: one
       ``gemm`` with the explicit inverse of the unit triangular ``b x b`` block ``L11`` (``?trtri``;
       ``|L11| <= sqrt(2)``), written straight into ``LU`` (a right-sided ``trsm`` is slower here);
    3. the generators of ``S = C22 - C21 C11^{-1} C12`` (the displacement of a Schur complement):
       ``diag(s_2) S - S diag(t_2) = (G2 - C21 C11^{-1} G1) (H2 - (C11^{-1} C12)^T H1)^T``, where
       ``C21 C11^{-1} = L21 L11^{-1}`` and ``C11^{-1} C12 = U11^{-1} U12``: so
       ``G2 <- G2 - L21 (L11^{-1} G1)``, ``H2 <- H2 - U12^T (U11^{-T} H1)`` (a ``trsm`` of ``r`` columns,
       two products of inner size ``b``).

    ``C22`` itself is never formed: ``O(n^2 b)`` flops in ``getrf`` and ``gemm`` on ``n / b`` panels
    instead of ``n`` Python-level steps. The pivots are LAPACK's (the entry of largest ``|Re| + |Im|``),
    so ``|L| <= 1`` (real) or ``<= sqrt(2)`` (complex) as in the step loop; ties may be broken
    differently, the factorization ``P C = L U`` is the same up to round-off. A zero pivot (below
    ``n eps`` times the largest so far) raises naming its step, as in the step loop.
    """
    n, r = G.shape
    dt = G.dtype
    GT = np.array(G.T, order="C")                # (r, n) working copies: column i holds generator row i
    HT = np.array(H.T, order="C")                # (rows in the current order)
    LU = np.empty((n, n), dtype=dt)
    perm = np.arange(n)
    getrf, trtri = sla.get_lapack_funcs(("getrf", "trtri"), (GT,))
    trsm = sla.blas.get_blas_funcs("trsm", (GT,))
    table = hasattr(kernel, "col_block_mul")     # the Toeplitz nodes: table look-ups, else divisions
    tmp = np.empty(n, dtype=dt)
    g0, h0 = _max_abs(GT), _max_abs(HT)
    base = g0 * h0 if g0 * h0 > 0 else 1.0
    growth = 1.0
    big = big_prev = 0.0
    zero = tolerances.rank_tol(np.ones(1), (n, n), dt)
    last = 0                                     # the step of the last growth measurement
    width = min(n, _PANEL_MAX if nb is None else max(nb, 1))
    unit_lower = np.tril(np.ones((width, width), dtype=dt), -1)
    eye = np.eye(width, dtype=dt)
    k = 0
    while k < n:
        m = n - k
        b = min(m, _panel_width(m) if nb is None else nb)
        # 1. the panel C^(k)[:, :b], built transposed ((b, m), C order) so that its transpose is the
        #    Fortran-ordered (m, b) array LAPACK factors in place: K^T * (H[k:k+b] G[k:]^T)
        if table:                                # the column factors w^{-j} of K folded into h_j
            AT = np.matmul(HT[:, k:k + b].T * kernel.col_factors(k, k + b)[:, None], GT[:, k:])
            kernel.col_block_mul(perm[k:], k, AT, tmp)
        else:
            AT = np.matmul(HT[:, k:k + b].T, GT[:, k:])
            _division_col_block_mul(s, t, perm[k:], k, AT)
        lu, piv, info = getrf(AT.T, overwrite_a=1)
        if info < 0:                             # pragma: no cover - a LAPACK argument error
            raise RuntimeError(f"LAPACK getrf failed with info = {info}")
        # zero pivots (below n eps times the largest so far) in the order the step loop meets them
        ad = np.abs(np.diagonal(lu))
        big = max(big, float(ad.max()))
        if not ad.min() > zero * big:            # then find the first pivot below its running bound
            bigs = np.maximum.accumulate(np.concatenate([[big_prev], ad]))[1:]
            i = int(np.flatnonzero(~(ad > zero * bigs))[0])
            raise np.linalg.LinAlgError(
                f"the structured matrix is singular to working precision: after partial pivoting the pivot of "
                f"step {k + i} (of {n}) is {ad[i]:.3g}, below n eps times the largest pivot so far ({bigs[i]:.3g})")
        big_prev = big
        # the row interchanges of the panel (LAPACK's ipiv, 0-based: row i <-> row piv[i] in turn) as a
        # permutation of the rows they touch; applied to perm, G and the L columns of the earlier blocks
        src = {}
        for i, q in enumerate(piv.tolist()):
            if q != i:
                src[i], src[q] = src.get(q, q), src.get(i, i)
        if src:
            dst = np.fromiter(src.keys(), dtype=np.intp, count=len(src)) + k
            frm = np.fromiter(src.values(), dtype=np.intp, count=len(src)) + k
            perm[dst] = perm[frm]
            GT[:, dst] = GT[:, frm]
            if k:
                LU[dst, :k] = LU[frm, :k]
        LU[k:, k:k + b] = lu                     # L11 (unit, strictly lower), U11, L21
        if b == m:
            break
        # 2. U12 = L11^{-1} C12 with the explicit inverse of the unit triangular b x b block (one gemm,
        #    written straight into LU; |L11| <= sqrt(2) keeps the inverse tame, and the solve refines)
        L11inv, info = trtri(lu[:b], lower=1, unitdiag=1)
        L11inv *= unit_lower[:b, :b]             # trtri leaves the rest of its input (U11) in place
        L11inv += eye[:b, :b]
        pb = perm[k:k + b]
        if table:                                # the row factors w^{-p_i} of K folded into g_i
            C12 = np.matmul(GT[:, k:k + b].T * kernel.row_factors(pb)[:, None], HT[:, k + b:])
            kernel.row_block_mul(pb, k + b, C12)
        else:
            C12 = np.matmul(GT[:, k:k + b].T, HT[:, k + b:])
            _division_row_block_mul(s, t, pb, k + b, C12)
        U12 = LU[k:k + b, k + b:]
        np.matmul(L11inv, C12, out=U12)
        # 3. generators of the Schur complement: G2 -= L21 (L11^{-1} G1), H2 -= U12^T (U11^{-T} H1)
        W = L11inv @ GT[:, k:k + b].T                                              # (b, r)
        GT[:, k + b:] -= W.T @ lu[b:].T
        V = trsm(1.0, lu[:b], HT[:, k:k + b].T, lower=0, trans_a=1)             # U11^T V = H1
        HT[:, k + b:] -= V.T @ U12
        k += b
        if k - last >= _GROWTH_EVERY * _L_BLOCK:
            growth = max(growth, _max_abs(GT[:, k:]) * _max_abs(HT[:, k:]) / base)
            last = k
    return LU, perm, max(growth, _max_abs(GT[:, -1:]) * _max_abs(HT[:, -1:]) / base)


def _combine(rows, XT, k: int, v, out, axpy):
    """``out = v @ XT[:, k:]`` (a combination of the ``r`` generator rows ``rows``; ``v`` a list), as one
    scaled copy and ``r - 1`` in-place ``axpy`` for small ``r`` (cheaper than a NumPy matmul of shape
    ``(r,) @ (r, m)``)."""
    if axpy is None or out.size == 0:
        return np.matmul(np.asarray(v, dtype=XT.dtype), XT[:, k:], out=out)
    np.multiply(rows[0][k:], v[0], out=out)
    for i in range(1, len(rows)):
        axpy(rows[i][k:], out, a=v[i])
    return out


def _flush(LU, Lb, k0: int, nb: int, swaps, rowbuf) -> None:
    """Write the block of ``nb`` L columns (rows of ``Lb``) into the strictly lower part of ``LU``, after
    applying the block's row interchanges ``swaps`` to the L columns of the earlier blocks (``LU[:, :k0]``):
    only the rows that moved are copied, once."""
    n = LU.shape[0]
    if k0 and swaps:
        where = {}                               # position -> the position whose row it now holds
        for k, q in swaps:
            where[k], where[q] = where.get(q, q), where.get(k, k)
        dst = np.fromiter(where.keys(), dtype=np.intp, count=len(where))
        src = np.fromiter(where.values(), dtype=np.intp, count=len(where))
        keep = dst != src
        dst, src = dst[keep], src[keep]
        # row by row through a preallocated buffer (at most 2 nb rows move): a fresh (moved x k0)
        # temporary per block (fancy indexing) is large enough to be mapped anew each time (page faults)
        for i in range(dst.size):
            rowbuf[i, :k0] = LU[src[i], :k0]
        for i in range(dst.size):
            LU[dst[i], :k0] = rowbuf[i, :k0]
    if k0 + nb < n:                              # below the diagonal block: a transposed copy
        LU[k0 + nb:, k0:k0 + nb] = Lb[:nb, k0 + nb:].T
    rows, cols = np.tril_indices(nb, -1)         # inside the diagonal block: its strict lower triangle
    LU[k0 + rows, k0 + cols] = Lb[cols, k0 + rows]


def _gko_exact(s, t, G, H):
    """The same recursion in exact arithmetic (object arrays of SymPy numbers); the pivot is the entry
    of largest modulus, a zero pivot is decided exactly."""
    n = G.shape[0]
    G, H, s = G.copy(), H.copy(), s.copy()
    LU = np.empty((n, n), dtype=object)
    LU[...] = 0
    perm = np.arange(n)
    for k in range(n):
        c = (G[k:] @ H[k]) / (s[k:] - t[k])
        mags = np.array([abs(complex(v)) for v in c])
        p = int(np.argmax(mags))
        if mags[p] == 0.0 or exact_is_zero(c[p]):
            nonzero = [i for i in range(c.size) if not exact_is_zero(c[i])]
            if not nonzero:
                raise np.linalg.LinAlgError(f"the structured matrix is exactly singular: column {k} of the Schur "
                                            f"complement is zero at step {k} (of {n})")
            p = nonzero[0]
        if p:
            q = k + p
            G[[k, q]] = G[[q, k]]
            s[k], s[q] = s[q], s[k]
            perm[k], perm[q] = perm[q], perm[k]
            LU[[k, q], :k] = LU[[q, k], :k]
            c[0], c[p] = c[p], c[0]
        d = c[0]
        u = (H[k:] @ G[k]) / (s[k] - t[k:])
        LU[k, k:] = u
        l_col = c[1:] / d
        LU[k + 1:, k] = l_col
        G[k + 1:] = G[k + 1:] - np.outer(l_col, G[k])
        H[k + 1:] = H[k + 1:] - np.outer(u[1:] / d, H[k])
    return LU, perm, 1.0


# ---------------------------------------------------------------------------------------- the factor
class StructuredLU:
    """A structured LU factorization ``P C = L U`` of the Cauchy-like form ``C`` of a matrix ``M``.

    Made by :func:`structured_lu`, :func:`cauchy_like_lu`, :func:`toeplitz_lu`,
    :func:`toeplitz_plus_hankel_lu` and :func:`vandermonde_lu`; reused for any number of right-hand
    sides with :meth:`solve`.

    ``M`` and ``C`` are related by fixed transformations (DFTs and diagonal scalings, see
    :mod:`groupmat.ldr.schur`): ``M x = b`` iff ``C y = to_cauchy(b)`` with ``x = from_cauchy(y)``.
    For a Cauchy-like ``M`` both maps are the identity and ``C = M``.

    Attributes
    ----------
    n : int
        The size.
    rank : int
        The number ``r`` of generator columns.
    kind : str
        ``"cauchy"``, ``"toeplitz"``, ``"hankel"``, ``"toeplitz+hankel"`` or ``"vandermonde"``.
    perm : (n,) ndarray of int
        The row permutation: ``(P C)[i] = C[perm[i]]``.
    growth : float
        The generator growth ``max_k max|G^(k)| max|H^(k)| / (max|G| max|H|)`` of the recursion
        (1.0 for exact input).
    nodes : (s, t)
        The nodes of the Cauchy-like form: ``diag(s) C - C diag(t) = G H^T``.
    exact : bool
        True when the factorization was computed exactly (SymPy input to :func:`cauchy_like_lu`).
    is_real : bool
        True when ``M`` is real, so real right-hand sides get real solutions (the imaginary part that
        the complex transformations leave is round-off and dropped).
    LU : (n, n) ndarray
        ``L`` (strictly below the diagonal, unit diagonal implied) and ``U`` in one array, LAPACK's
        layout; :attr:`L` and :attr:`U` give them apart.

    Notes
    -----
    Memory: ``n^2`` numbers for ``L`` and ``U`` (complex for the DFT forms, 256 MiB at ``n = 4000``;
    real for real Toeplitz and Toeplitz-plus-Hankel matrices, 128 MiB); every solve costs two
    triangular solves (``O(n^2)``) per right-hand side and per refinement step, plus the FFTs of the
    transformations.

    Examples
    --------
    >>> import numpy as np, groupmat as gm
    >>> lu = gm.ldr.toeplitz_lu([4.0, 1.0, 0.5], [4.0, 2.0, 1.0])
    >>> lu
    StructuredLU(kind='toeplitz', n=3, rank=4, growth=...)
    >>> b = np.array([1.0, 2.0, 3.0])
    >>> x = lu.solve(b)
    >>> bool(np.allclose(gm.toeplitz([4.0, 1.0, 0.5], [4.0, 2.0, 1.0]) @ x, b)), bool(lu.backward_error(x, b) < 1e-15)
    (True, True)
    """

    def __init__(self, LU, perm, growth, *, kind, s, t, G, H, real: bool = False, to_cauchy=None,
                 from_cauchy=None, matvec=None, rows=None, exact: bool = False):
        self.LU = LU
        self.perm = perm
        self.growth = float(growth)
        self.kind = kind
        self.n = LU.shape[0]
        self.rank = G.shape[1]
        self.nodes = (s, t)
        self.generators = (G, H)
        self.exact = exact
        self.dtype = LU.dtype
        self._to_cauchy = to_cauchy
        self._from_cauchy = from_cauchy
        self._matvec = matvec
        self._rows = rows
        self.is_real = bool(real)

    def __repr__(self) -> str:
        return f"StructuredLU(kind={self.kind!r}, n={self.n}, rank={self.rank}, growth={self.growth:.3g})"

    # ------------------------------------------------------------------ dense factors on request
    @property
    def L(self) -> np.ndarray:
        """The unit lower triangular factor (dense ``n x n``; asks the memory budget)."""
        check_size((self.n, self.n), self.LU.itemsize, "the dense L factor", how="use solve() instead")
        out = np.tril(self.LU, -1)
        np.fill_diagonal(out, 1)
        return out

    @property
    def U(self) -> np.ndarray:
        """The upper triangular factor (dense ``n x n``; asks the memory budget)."""
        check_size((self.n, self.n), self.LU.itemsize, "the dense U factor", how="use solve() instead")
        return np.triu(self.LU)

    @property
    def P(self) -> np.ndarray:
        """The permutation matrix with ``P C = L U`` (dense; asks the memory budget)."""
        check_size((self.n, self.n), 8, "the dense permutation matrix", how="use .perm instead")
        out = np.zeros((self.n, self.n))
        out[np.arange(self.n), self.perm] = 1.0
        return out

    # ------------------------------------------------------------------ the Cauchy-like core
    def cauchy_dense(self) -> np.ndarray:
        """The Cauchy-like matrix ``C[i, j] = G[i] . H[j] / (s_i - t_j)`` (dense; asks the memory budget)."""
        check_size((self.n, self.n), _COMPLEX_BYTES, "the dense Cauchy-like matrix")
        return self._cauchy_rows(0, self.n)

    def _cauchy_rows(self, i0: int, i1: int) -> np.ndarray:
        (s, t), (G, H) = self.nodes, self.generators
        return (G[i0:i1] @ H.T) / (s[i0:i1, None] - t[None, :])

    def _lu_solve(self, y):
        y = y[self.perm]
        if self.exact:
            return _exact_triangular_solve(self.LU, y)
        y = sla.solve_triangular(self.LU, y, lower=True, unit_diagonal=True, check_finite=False)
        return sla.solve_triangular(self.LU, y, lower=False, check_finite=False)

    # ------------------------------------------------------------------ products and solves
    def matvec(self, x):
        """``M @ x`` with the original structured matrix: FFT products for the Toeplitz and Hankel
        families (``O(n log n)``), row blocks of ``M`` (or of its Cauchy-like form) otherwise
        (``O(r n^2)``).

        Parameters
        ----------
        x : (n,) or (n, k) array_like

        Returns
        -------
        ndarray
        """
        x, exact = _rhs(x, self.n)
        if exact and not self.exact:
            raise TypeError("x holds SymPy objects but this factorization is numeric")
        if self._matvec is not None:
            return self._matvec(x)
        rows = self._rows if self._rows is not None else self._cauchy_rows
        out = None
        for i0 in range(0, self.n, _ROW_BLOCK):
            block = rows(i0, min(self.n, i0 + _ROW_BLOCK)) @ x
            if out is None:
                out = np.empty((self.n,) + block.shape[1:], dtype=block.dtype)
            out[i0:i0 + block.shape[0]] = block
        return out

    def solve(self, b, refine: int = 1):
        """Solve ``M x = b`` with the stored factorization.

        Parameters
        ----------
        b : (n,) or (n, k) array_like
            One or ``k`` right-hand sides.
        refine : int, default 1
            Steps of iterative refinement ``x <- x + solve(b - M x)`` with the original structured
            matrix (:meth:`matvec`); 0 for none. Exact factorizations need none.

        Returns
        -------
        x : ndarray
            Real when ``M`` and ``b`` are real (the imaginary part the transformations leave is
            round-off and dropped), else complex; an object array for an exact factorization.

        Raises
        ------
        ValueError
            ``b`` of the wrong shape, or holding NaN or infinite entries.
        """
        refine = check_nonnegative_int(refine, "refine")
        b_arr, exact_b = _rhs(b, self.n)
        if self.exact:
            return self._lu_solve(to_object_array(b_arr) if not exact_b else b_arr)
        if exact_b:
            raise TypeError("b holds SymPy objects but this factorization is numeric; use cauchy_like_lu with exact "
                            "nodes and generators for an exact solve")
        real = self._real_output(b_arr)
        x = self._solve_once(b_arr, real)
        for _ in range(refine):              # residuals with the original structured matrix
            x = (x + self._solve_once(b_arr - self.matvec(x), real)).astype(x.dtype, copy=False)
        return x

    def _real_output(self, b) -> bool:
        return self.is_real and not np.iscomplexobj(b)

    def _solve_once(self, b, real: bool):
        # the precision of the factors and of b (float32 data stays single; the FFTs may widen it)
        out_dtype = np.result_type(working_float(b.dtype), self.dtype)
        y = b if self._to_cauchy is None else self._to_cauchy(b)
        y = self._lu_solve(np.asarray(y, dtype=np.result_type(y, self.dtype)))
        x = y if self._from_cauchy is None else self._from_cauchy(y)
        return x.real.astype(out_dtype.type(0).real.dtype, copy=False) if real else x.astype(out_dtype, copy=False)

    def residual(self, x, b) -> np.ndarray:
        """The residual ``b - M x`` (with the original structured matrix, :meth:`matvec`)."""
        return np.asarray(_rhs(b, self.n)[0]) - self.matvec(x)

    def frobenius_norm(self) -> float:
        """``||M||_F`` in row blocks of ``M`` (or of its Cauchy-like form), ``O(r n^2)`` work and ``O(n)``
        memory per block.

        For the Toeplitz, Hankel and Toeplitz-plus-Hankel families ``C = F M Delta^{-1} F^{-1}`` is a
        unitary similarity (``F / sqrt(n)`` is unitary, ``|phi| = 1``), so ``||M||_F = ||C||_F``.
        """
        if self.exact:
            raise TypeError("frobenius_norm is numeric; this factorization is exact")
        rows = self._rows if self._rows is not None else self._cauchy_rows
        total = 0.0
        for i0 in range(0, self.n, _ROW_BLOCK):
            block = rows(i0, min(self.n, i0 + _ROW_BLOCK))
            total += float(np.vdot(block, block).real)
        return float(np.sqrt(total))

    def backward_error(self, x, b) -> float:
        """The normwise backward error ``||b - M x||_2 / (||M||_F ||x||_2 + ||b||_2)`` (Rigal-Gaches,
        with the Frobenius norm of ``M``; for several right-hand sides, the largest over columns).

        Round-off level (a small multiple of ``eps``) means ``x`` solves a nearby system exactly.
        """
        b_arr = np.asarray(_rhs(b, self.n)[0])
        x_arr = np.asarray(x)
        res = self.residual(x_arr, b_arr)
        norm = self.frobenius_norm()
        num = np.linalg.norm(res, axis=0)
        den = norm * np.linalg.norm(x_arr, axis=0) + np.linalg.norm(b_arr, axis=0)
        return float(np.max(num / np.where(den > 0, den, 1.0)))


def _exact_triangular_solve(LU, y):
    """Forward substitution with the unit lower part, back substitution with the upper part (exact)."""
    n = LU.shape[0]
    y = np.array(y, dtype=object)
    for i in range(1, n):
        y[i] = y[i] - LU[i, :i] @ y[:i]
    for i in range(n - 1, -1, -1):
        y[i] = (y[i] - LU[i, i + 1:] @ y[i + 1:]) / LU[i, i]
    return y


def growth_limit(dtype) -> float:
    """The generator growth beyond which the structured LU warns: ``1 / sqrt(eps)`` of ``dtype``
    (``6.7e7`` for float64 and complex128): half the digits may be lost.

    Examples
    --------
    >>> import numpy as np
    >>> from groupmat.ldr.schur import growth_limit
    >>> bool(growth_limit(np.complex128) == 1 / np.sqrt(np.finfo(float).eps))
    True
    """
    return 1.0 / float(np.sqrt(tolerances.eps(dtype)))


def _factor(s, t, G, H, kind: str, kernel=None, **maps) -> StructuredLU:
    """Run the recursion (numeric or exact) and wrap the result; warn on generator growth."""
    exact = G.dtype == object
    n = G.shape[0]
    if exact:
        LU, perm, growth = _gko_exact(s, t, G, H)
    else:
        check_size((n, n), np.dtype(G.dtype).itemsize, "the structured LU factor",
                   how="the factor is n x n; use a smaller system")
        LU, perm, growth = _gko_numeric(s, t, G, H, kernel)
        limit = growth_limit(G.dtype)
        if growth > limit:
            warnings.warn(f"the generators of the Schur complements grew by {growth:.3g} (> 1/sqrt(eps) = "
                          f"{limit:.3g}) during the structured LU ({kind}, n = {n}); the factorization may have "
                          "lost accuracy: check backward_error(), refine more, or use a dense solver",
                          RuntimeWarning, stacklevel=3)
    return StructuredLU(LU, perm, growth, kind=kind, s=s, t=t, G=G, H=H, exact=exact, **maps)


# ---------------------------------------------------------------------------------------- front doors
def _numeric_dtype(*arrays) -> np.dtype:
    """The working dtype: the precision of the data (float32 stays single), complex when needed."""
    return working_float(np.result_type(*[a.dtype for a in arrays]))


def cauchy_like_lu(s, t, G, H) -> StructuredLU:
    """Structured LU with partial pivoting of the Cauchy-like matrix ``diag(s) C - C diag(t) = G H^T``.

    Parameters
    ----------
    s, t : (n,) array_like or SymPy vectors
        The row and column nodes; ``s_i != t_j`` for all ``i, j`` (repeated nodes on one side are
        allowed). ``C[i, j] = G[i] . H[j] / (s_i - t_j)``: with ``G = H = ones`` this is
        :func:`groupmat.matrices.cauchy` ``(s, t)``, the canonical operators being
        ``canonical_operators("cauchy", s=s, t=t)``.
    G, H : (n, r) array_like
        The generators (a 1-D vector is one column), ``r >= 1``.

    Returns
    -------
    StructuredLU
        ``P C = L U``; exact (object arrays of SymPy numbers) when any input is SymPy.

    Raises
    ------
    ValueError
        Shapes that do not match, ``r = 0``, non-finite entries, a row node equal to a column node.
    numpy.linalg.LinAlgError
        ``C`` is singular (to working precision): a zero pivot after pivoting, naming the step.

    See Also
    --------
    structured_lu, toeplitz_lu, toeplitz_plus_hankel_lu

    Notes
    -----
    Step ``k`` of the generalized Schur algorithm (GKO), on generators ``G^(k), H^(k)`` of the Schur
    complement ``C^(k)``:

    1. column ``c_i = G^(k)_i . h_k / (s_i - t_k)``; the pivot is its largest entry (by modulus for
       real data, by ``|Re| + |Im|`` for complex data, as LAPACK); row interchange: permute ``s`` and the
       rows of ``G^(k)``;
    2. row ``u_j = g_k . H^(k)_j / (s_k - t_j)``; ``l = c / c_0``;
    3. ``G^(k+1) = G^(k)[1:] - l[1:] g_k^T``, ``H^(k+1) = H^(k)[1:] - (u[1:] / c_0) h_k^T``, since
       ``C^(k+1) = C^(k)[1:, 1:] - l[1:] u[1:]^T`` satisfies
       ``diag(s[1:]) C^(k+1) - C^(k+1) diag(t[1:]) = G^(k+1) H^(k+1)^T``.

    ``O(r n)`` per step, ``O(r n^2)`` in all, and ``O(n^2)`` memory for ``L`` and ``U``. For ``n >= 32``
    the steps run ``b`` at a time (LAPACK ``getrf`` on ``n x b`` panels of ``C^(k)``, ``U12 = L11^{-1} C12``,
    ``G2 -= L21 L11^{-1} G1``, ``H2 -= U12^T U11^{-T} H1``): ``O(n^2 b)`` flops in level-3 BLAS.

    Examples
    --------
    >>> import numpy as np, groupmat as gm
    >>> from groupmat.ldr import cauchy_like_lu
    >>> s, t = np.array([1.0, 2.0, 3.0, 4.0]), np.array([0.5, 1.5, 2.5, 3.5])
    >>> lu = cauchy_like_lu(s, t, np.ones(4), np.ones(4))
    >>> b = np.arange(4.0)
    >>> bool(np.allclose(gm.matrices.cauchy(s, t) @ lu.solve(b), b))
    True
    >>> import sympy
    >>> q = [sympy.Rational(k, 2) for k in range(3)]
    >>> lu = cauchy_like_lu(q, [-1, 3, 5], [1, 1, 1], [1, 1, 1])
    >>> sympy.Matrix(lu.solve([1, 0, 0]).tolist()).T
    Matrix([[15/4, -75/4, 45]])
    """
    s_arr, es = _vector(s, "s")
    t_arr, et = _vector(t, "t")
    n = s_arr.size
    if t_arr.size != n:
        raise ValueError(f"s and t must have the same length n (a square Cauchy-like matrix), got {n} and {t_arr.size}")
    G_arr, eg = _generators(G, n, "G")
    H_arr, eh = _generators(H, n, "H")
    if G_arr.shape[1] != H_arr.shape[1]:
        raise ValueError(f"G and H must have the same number of columns r, got G {G_arr.shape} and H {H_arr.shape}")
    if es or et or eg or eh:
        s_arr, t_arr, G_arr, H_arr = (a if a.dtype == object else to_object_array(a)
                                      for a in (s_arr, t_arr, G_arr, H_arr))
        _check_nodes_exact(s_arr, t_arr)
        return _factor(s_arr, t_arr, G_arr, H_arr, "cauchy")
    dt = _numeric_dtype(s_arr, t_arr, G_arr, H_arr)
    s_arr, t_arr = s_arr.astype(dt), t_arr.astype(dt)
    G_arr, H_arr = G_arr.astype(dt), H_arr.astype(dt)
    _check_nodes(s_arr, t_arr)
    real = dt.kind == "f"
    return _factor(s_arr, t_arr, G_arr, H_arr, "cauchy", real=real)


def _check_nodes(s, t) -> None:
    """Refuse ``s_i == t_j`` (the displacement operator would be singular): ``O(n log n)`` by sorting."""
    hit = np.isin(s, t)
    if hit.any():
        i = int(np.flatnonzero(hit)[0])
        j = int(np.flatnonzero(t == s[i])[0])
        raise ValueError(f"the Cauchy nodes must be distinct across sides: s[{i}] == t[{j}] == {s[i]!r}, so "
                         "diag(s) C - C diag(t) does not determine C")


def _check_nodes_exact(s, t) -> None:
    sn = np.array([complex(v) for v in s])
    tn = np.array([complex(v) for v in t])
    scale = max(1.0, float(np.abs(sn).max()), float(np.abs(tn).max()))
    close = np.argwhere(np.abs(sn[:, None] - tn[None, :]) <= 1e-9 * scale)
    for i, j in close:
        if exact_is_zero(s[i] - t[j]):
            raise ValueError(f"the Cauchy nodes must be distinct across sides: s[{i}] == t[{j}] == {s[i]}, so "
                             "diag(s) C - C diag(t) does not determine C")


# ------------------------------------------------------------------------ Toeplitz-like (Z_1, Z_-1)
def _phi(n: int) -> np.ndarray:
    """``phi^j`` for ``j < n`` with ``phi = exp(i pi / n)`` (``phi^n = -1``): the scaling of ``Z_{-1}``."""
    return np.exp(1j * np.pi * np.arange(n) / n)


def _toeplitz_like_parts(G, H, n: int, dt):
    """Nodes, Cauchy generators and the maps of ``C = F M Delta^{-1} F^{-1}`` for ``Z_1 M - M Z_{-1} = G H^T``."""
    cdt = np.result_type(dt, np.complex64)
    ph = _phi(n).astype(cdt)
    w = np.exp(-2j * np.pi * np.arange(n) / n).astype(cdt)      # F Z_1 = diag(w) F (numpy's fft)
    s, t = w, w * np.exp(1j * np.pi / n).astype(cdt)
    # diag(w) C - C diag(phi w) = (F G) (F^{-1} Delta^{-1} H)^T
    Gc = np.fft.fft(G, axis=0).astype(cdt)
    Hc = np.fft.ifft(H / ph[:, None], axis=0).astype(cdt)

    def to_cauchy(b):
        return np.fft.fft(b, axis=0)

    def from_cauchy(y):                          # x = Delta^{-1} F^{-1} y
        out = np.fft.ifft(y, axis=0)
        return out / (ph if out.ndim == 1 else ph[:, None])

    return s, t, Gc, Hc, to_cauchy, from_cauchy


def _fcirc_apply(c, x, f_root: np.ndarray):
    """``Z_f(c) x`` for the f-circulant with first column ``c`` (columns of ``c``, ``x`` broadcast along
    axis 0): ``Z_f(c) = D circ(D^{-1} c) D^{-1}`` with ``D = diag(phi^j)``, ``phi^n = f``."""
    sh = (-1,) + (1,) * (np.ndim(x) - 1)
    d = f_root.reshape(sh)
    return d * np.fft.ifft(np.fft.fft(c / f_root.reshape((-1,) + (1,) * (np.ndim(c) - 1)), axis=0)
                           * np.fft.fft(x / d, axis=0), axis=0)


def _toeplitz_like_matvec(G, H):
    """``M x`` for ``Z_1 M - M Z_{-1} = G H^T`` by FFTs: ``2 M = sum_j Z_1(g_j) J K_j`` with
    ``K_j x = Z_{-1}(x)^T h_j`` (the Krylov formula of :func:`groupmat.ldr.reconstruct`)."""
    n = G.shape[0]
    ph = _phi(n)
    real = not (np.iscomplexobj(G) or np.iscomplexobj(H))

    def matvec(x):
        xs = x[:, None] if x.ndim == 1 else x                   # (n, k)
        # Z_{-1}(x)^T h = D^{-1} circ(D^{-1} x)^T D h, and circ(a)^T b = ifft(fft(b) * n ifft(a))
        a = xs / ph[:, None]
        fa = n * np.fft.ifft(a, axis=0)                          # (n, k)
        fb = np.fft.fft(H * ph[:, None], axis=0)                 # (n, r)
        K = np.fft.ifft(fb[:, :, None] * fa[:, None, :], axis=0) / ph[:, None, None]   # (n, r, k)
        JK = K[::-1]
        out = 0.5 * np.fft.ifft(np.fft.fft(G, axis=0)[:, :, None] * np.fft.fft(JK, axis=0), axis=0).sum(axis=1)
        if real and not np.iscomplexobj(x):
            out = out.real
        return out[:, 0] if x.ndim == 1 else out

    return matvec


def _toeplitz_like_factor(G, H, kind: str, *, matvec, real: bool, post=None, pre_rows=None) -> StructuredLU:
    """Factor the Toeplitz-like matrix ``Z_1 M - M Z_{-1} = G H^T`` through its Cauchy-like form;
    ``post`` maps a solution of ``M x = b`` to the solution of the caller's system (``J`` for Hankel)."""
    n = G.shape[0]
    dt = _numeric_dtype(G, H)
    s, t, Gc, Hc, to_cauchy, from_cauchy = _toeplitz_like_parts(G.astype(dt), H.astype(dt), n, dt)
    if post is not None:
        inner = from_cauchy

        def from_cauchy(y):
            return post(inner(y))
    return _factor(s, t, Gc, Hc, kind, kernel=_CirculantKernel(n, Gc.dtype), real=real, to_cauchy=to_cauchy,
                   from_cauchy=from_cauchy, matvec=matvec)


def _reverse(x):
    return x[::-1]


def _numeric_generators(G, H, n: int | None = None):
    """Numeric ``(n, r)`` generators for the transformed families (exact input is refused)."""
    if is_symbolic(G) or is_symbolic(H):
        raise TypeError("the Toeplitz, Hankel and Vandermonde solvers are numeric (their Cauchy-like form needs "
                        "the DFT); for an exact solve build the matrix with groupmat.toeplitz (SymPy input) and use "
                        "sympy.Matrix.LUsolve, or use cauchy_like_lu with exact nodes")
    G_arr, _ = as_numeric_or_exact(G, "G")
    n = G_arr.shape[0] if n is None else n
    G_arr, _ = _generators(G_arr, n, "G")
    H_arr, _ = _generators(H, n, "H")
    if G_arr.shape[1] != H_arr.shape[1]:
        raise ValueError(f"G and H must have the same number of columns r, got G {G_arr.shape} and H {H_arr.shape}")
    dt = _numeric_dtype(G_arr, H_arr)
    return G_arr.astype(dt), H_arr.astype(dt)


def _operator_kind(A, B, n: int):
    """Which family the Sylvester pair ``(A, B)`` defines, and its parameters."""
    if not isinstance(A, MonomialOperator) or not isinstance(B, MonomialOperator):
        raise TypeError("A and B must be structured operators of groupmat.ldr (shift, DiagonalOperator), got "
                        f"{type(A).__name__} and {type(B).__name__}; see canonical_operators")
    for name, op in (("A", A), ("B", B)):
        if op.n != n:
            raise ValueError(f"{name} must be {n} x {n} to match the generators, got {op.n} x {op.n}")
        if op.exact and not isinstance(op, DiagonalOperator):
            raise TypeError(f"{name} has SymPy weights; structured_lu is numeric for the shift operators (exact "
                            "input is supported for the Cauchy-like pair (diag(s), diag(t)))")

    def is_shift(op, f, transposed=False):
        ref = ShiftOperator(n, f)
        ref = ref.T if transposed else ref
        return np.array_equal(op.perm, ref.perm) and np.array_equal(op._w(), ref._w())

    if isinstance(A, DiagonalOperator) and isinstance(B, DiagonalOperator):
        return "cauchy", (A.diagonal, B.diagonal)
    if is_shift(A, 1) and is_shift(B, -1):
        return "toeplitz", ()
    if is_shift(A, 1) and is_shift(B, -1, transposed=True):
        return "hankel", ()
    if isinstance(A, DiagonalOperator) and isinstance(B, ShiftOperator):
        return "vandermonde", (A.diagonal, B.f)
    raise ValueError("structured_lu knows the Sylvester pairs (diag(s), diag(t)) (Cauchy-like), (Z_1, Z_-1) "
                     "(Toeplitz-like), (Z_1, Z_-1^T) (Hankel-like) and (diag(x), Z_f) (Vandermonde-like), as made by "
                     f"canonical_operators; got {A!r} and {B!r}")


def structured_lu(A, B, G, H) -> StructuredLU:
    """Structured LU (GKO, partial pivoting) of the matrix ``M`` with ``A M - M B = G H^T``.

    Parameters
    ----------
    A, B : structured operators
        A Sylvester pair of :func:`canonical_operators`: ``(diag(s), diag(t))`` (Cauchy-like),
        ``(Z_1, Z_{-1})`` (Toeplitz-like), ``(Z_1, Z_{-1}^T)`` (Hankel-like) or ``(diag(x), Z_f)``
        with ``f != 0`` (Vandermonde-like).
    G, H : (n, r) array_like
        Generators, e.g. from :func:`displacement_generators`.

    Returns
    -------
    StructuredLU
        Its :meth:`~StructuredLU.solve` solves ``M x = b``.

    Raises
    ------
    TypeError
        Operators that are not structured operators of :mod:`groupmat.ldr.operators`, or SymPy data
        for the transformed families.
    ValueError
        An operator pair of another kind, sizes that do not match, ``r = 0``, ``Z_0`` (not
        diagonalisable) or a node ``x_i`` with ``x_i^n = f``.
    numpy.linalg.LinAlgError
        ``M`` singular to working precision.

    See Also
    --------
    cauchy_like_lu, toeplitz_lu, toeplitz_plus_hankel_lu, vandermonde_lu, displacement_generators

    Notes
    -----
    The Toeplitz-, Hankel- and Vandermonde-like matrices are reduced to Cauchy-like form by FFTs of
    the generators (:mod:`groupmat.ldr.schur`); then :func:`cauchy_like_lu` runs in ``O(r n^2)``.

    Examples
    --------
    >>> import numpy as np, groupmat as gm
    >>> from groupmat.ldr import structured_lu
    >>> T = gm.toeplitz([0.0, 1.0, 2.0, 3.0], [0.0, -1.0, 4.0, 1.0])   # zero diagonal: Levinson fails
    >>> A, B = gm.ldr.canonical_operators("toeplitz", 4)
    >>> lu = structured_lu(A, B, *gm.displacement_generators(T, A, B))
    >>> b = np.array([1.0, 2.0, 3.0, 4.0])
    >>> bool(np.allclose(T @ lu.solve(b), b))
    True
    """
    G_arr, _ = as_numeric_or_exact(G, "G")
    if G_arr.ndim not in (1, 2) or G_arr.shape[0] == 0:
        raise ValueError(f"G must be an (n, r) array of generators, got shape {G_arr.shape}")
    kind, params = _operator_kind(A, B, G_arr.shape[0])
    if kind == "cauchy":
        return cauchy_like_lu(params[0], params[1], G, H)
    G_arr, H_arr = _numeric_generators(G, H, G_arr.shape[0])
    real = G_arr.dtype.kind == "f"
    if kind == "toeplitz":
        return _toeplitz_like_factor(G_arr, H_arr, "toeplitz", matvec=_toeplitz_like_matvec(G_arr, H_arr), real=real)
    if kind == "hankel":
        # Z_1 (M J) - (M J) Z_{-1} = G (J H)^T since J Z_{-1}^T J = Z_{-1}; M x = b iff (M J) (J x) = b
        Hj = H_arr[::-1]
        inner = _toeplitz_like_matvec(G_arr, Hj)
        return _toeplitz_like_factor(G_arr, Hj, "hankel", matvec=lambda x: inner(x[::-1]), real=real, post=_reverse)
    x_nodes, f = params
    return _vandermonde_like_factor(np.asarray(x_nodes), f, G_arr, H_arr)


def _vandermonde_like_factor(x, f, G, H, rows=None) -> StructuredLU:
    """``diag(x) M - M Z_f = G H^T``: ``C = M Delta_f^{-1} F^{-1}`` is Cauchy-like with nodes ``x`` and
    ``phi w^k`` (``phi^n = f``, ``Delta_f = diag(phi^j)``)."""
    n = G.shape[0]
    if isinstance(f, (bool, np.bool_)) or not np.isscalar(f):
        raise TypeError(f"f must be a number, got {type(f).__name__} {f!r}")
    if f == 0:
        raise ValueError("the Vandermonde operator Z_f needs f != 0 for the structured LU (Z_0 is nilpotent, not "
                         "diagonalisable); use e.g. canonical_operators('vandermonde', x=x, f=-1)")
    dt = np.result_type(_numeric_dtype(x.astype(np.result_type(x, float)), G, H), np.complex64)
    phi = complex(f) ** (1.0 / n)                # the principal root: phi^n = f
    powers = (phi ** np.arange(n)).astype(dt)
    w = np.exp(-2j * np.pi * np.arange(n) / n)
    s, t = x.astype(dt), (phi * w).astype(dt)
    _check_nodes(s, t)
    Gc = G.astype(dt)
    Hc = np.fft.ifft(H / powers[:, None], axis=0).astype(dt)

    def from_cauchy(y):                         # x = Delta_f^{-1} F^{-1} y
        out = np.fft.ifft(y, axis=0)
        return out / (powers if out.ndim == 1 else powers[:, None])

    lu_rows = None

    def m_rows(i0, i1):                         # rows of M = C F Delta_f
        return np.fft.fft(lu_rows(i0, i1), axis=1) * powers

    real = x.dtype.kind != "c" and G.dtype.kind == "f" and H.dtype.kind == "f" and complex(f).imag == 0
    lu = _factor(s, t, Gc, Hc, "vandermonde", real=real, from_cauchy=from_cauchy, rows=rows or m_rows)
    lu_rows = lu._cauchy_rows
    return lu


# ------------------------------------------------------------------------ matrices given by their entries
def _toeplitz_vectors(c, r, names=("c", "r")):
    if is_symbolic(c) or is_symbolic(r):
        raise TypeError(f"{names[0]} and {names[1]} hold SymPy objects; the structured solvers are numeric (for an "
                        "exact solve build the matrix with groupmat.toeplitz and use sympy.Matrix.LUsolve)")
    c_arr, _ = _vector(c, names[0])
    r_arr, _ = _vector(c_arr.conj() if r is None else r, names[1])
    if r_arr.size != c_arr.size:
        raise ValueError(f"{names[0]} and {names[1]} must have the same length n (a square matrix), got "
                         f"{c_arr.size} and {r_arr.size}")
    dt = _numeric_dtype(c_arr, r_arr)
    return c_arr.astype(dt), r_arr.astype(dt)


def _toeplitz_generators(c, r):
    """``Z_1 T - T Z_{-1} = e_0 a^T + b e_{n-1}^T`` for ``T = toeplitz(c, r)``, in ``O(n)``:
    ``a_j = T[n-1, j] - T[0, j+1]``, ``a_{n-1} = T[n-1, n-1] + T[0, 0]``, ``b_i = T[i-1, n-1] + T[i, 0]``."""
    n = c.size
    row0 = np.concatenate([c[:1], r[1:]])                      # T[0, :]
    last_row = c[::-1]                                          # T[n-1, j] = c[n-1-j]
    last_col = np.concatenate([row0[::-1][:n - 1], c[:1]]) if n > 1 else c[:1]     # T[i, n-1]
    a = np.empty(n, dtype=c.dtype)
    a[:-1] = last_row[:-1] - row0[1:]
    a[-1] = last_row[-1] + row0[0]
    b = np.zeros(n, dtype=c.dtype)
    b[1:] = last_col[:-1] + c[1:]
    e0, elast = np.zeros(n, dtype=c.dtype), np.zeros(n, dtype=c.dtype)
    e0[0], elast[-1] = 1, 1
    return np.stack([e0, b], axis=1), np.stack([a, elast], axis=1)


def toeplitz_lu(c, r=None) -> StructuredLU:
    """Structured LU of the Toeplitz matrix ``T[i, j] = c[i - j]`` (``i >= j``), ``r[j - i]`` (``j > i``).

    Parameters
    ----------
    c : (n,) array_like
        First column.
    r : (n,) array_like, optional
        First row (``r[0]`` is ignored); default ``conj(c)``, as :func:`groupmat.toeplitz`.

    Returns
    -------
    StructuredLU
        ``solve(b)`` solves ``T x = b``; the generators are formed in ``O(n)``, the factorization costs
        ``O(n^2)``. Real ``c, r``: the real form ``C = Q2 T Q4`` (DCT-II and DCT-IV, displacement rank 4,
        real factors; see :mod:`groupmat.ldr.schur`); complex: ``Z_1 T - T Z_{-1} = G H^T`` (rank 2)
        and the DFT form.

    Raises
    ------
    ValueError
        ``c`` and ``r`` of different lengths, non-finite entries.
    numpy.linalg.LinAlgError
        ``T`` singular to working precision.

    See Also
    --------
    scipy.linalg.solve_toeplitz : Levinson recursion, ``O(n^2)``, which needs nonsingular leading minors.

    Notes
    -----
    Unlike the Levinson and classical Schur recursions, pivoting makes it indifferent to singular
    leading principal minors (a zero diagonal, for instance). Products with ``T`` for the refinement
    are FFT-based (:func:`scipy.linalg.matmul_toeplitz`).

    Examples
    --------
    >>> import numpy as np, groupmat as gm
    >>> from groupmat.ldr import toeplitz_lu
    >>> c, r = np.array([0.0, 1.0, 2.0]), np.array([0.0, 3.0, -1.0])
    >>> lu = toeplitz_lu(c, r)                     # T[0, 0] = 0
    >>> x = lu.solve(np.array([1.0, 0.0, 0.0]))
    >>> bool(np.allclose(gm.toeplitz(c, r) @ x, [1.0, 0.0, 0.0]))
    True
    """
    c_arr, r_arr = _toeplitz_vectors(c, r)
    real = c_arr.dtype.kind == "f"
    G, H = (None, None) if real else _toeplitz_generators(c_arr, r_arr)

    def matvec(x):
        out = sla.matmul_toeplitz((c_arr, r_arr), x, check_finite=False)
        return out.real if real and not np.iscomplexobj(x) else out

    if real:                                     # real transforms, real factors (rank <= 4)
        return _trig_factor(c_arr, r_arr, None, "toeplitz", matvec)
    return _toeplitz_like_factor(G, H, "toeplitz", matvec=matvec, real=real)


def _hankel_sequence(h_c, h_r):
    """``h`` with ``H[i, j] = h[i + j]`` for :func:`groupmat.hankel` ``(h_c, h_r)`` (first column, last row)."""
    return np.concatenate([h_c, h_r[1:]])


def _tph_lines(c, r, h):
    """``row(i) = M[i, :]`` and ``col(j) = M[:, j]`` of ``M = toeplitz(c, r) + H`` (``H[i, j] = h[i + j]``;
    ``h`` None for ``M = T``), each in ``O(n)``."""
    n = c.size
    row0 = np.concatenate([c[:1], r[1:]])
    k = np.arange(n)

    def line(q, sign):                           # T[q, :] (sign 1) or T[:, q] (sign -1), plus h[q:q + n]
        d = sign * (q - k)
        t = np.where(d >= 0, c[np.clip(d, 0, n - 1)], row0[np.clip(-d, 0, n - 1)])
        return t if h is None else t + h[q:q + n]

    return (lambda i: line(i, 1)), (lambda j: line(j, -1))


def _tph_generators(c, r, h):
    """Generators of ``A M - M B`` for ``M = toeplitz(c, r) + H`` (``H[i, j] = h[i + j]``) and
    ``A = Z_1 + Z_1^T``, ``B = Z_{-1} + Z_{-1}^T``: the displacement lives on rows and columns ``0, n-1``,
    so ``G = [e_0, e_{n-1}, D[:, 0], D[:, n-1]]`` (rows 0 and n-1 zeroed) and ``H = [D[0], D[n-1], e_0, e_{n-1}]``."""
    n = c.size
    row, col = _tph_lines(c, r, h)

    def right_b(x):                              # x^T (Z_{-1} + Z_{-1}^T)
        return np.concatenate([x[1:], -x[:1]]) + np.concatenate([-x[-1:], x[:-1]])

    edges = [0] if n == 1 else [0, n - 1]
    D_rows = [row((i - 1) % n) + row((i + 1) % n) - right_b(row(i)) for i in edges]
    D_cols = []
    for j in edges:
        y = col(j)
        mb = (col(j + 1) if j < n - 1 else -col(0)) + (col(j - 1) if j >= 1 else -col(n - 1))
        d = np.roll(y, 1) + np.roll(y, -1) - mb
        d[edges] = 0                             # rows 0, n-1 are carried by D_rows
        D_cols.append(d)
    return _border_generators(D_rows, D_cols, edges, n, c.dtype)


def _border_generators(D_rows, D_cols, edges, n: int, dt):
    """``G = [E, D_cols]``, ``H = [D_rows, E]`` (``E`` the unit vectors of ``edges``) for a displacement
    that vanishes outside the rows and columns ``edges``."""
    E = np.zeros((n, len(edges)), dtype=dt)
    E[edges, np.arange(len(edges))] = 1
    G = np.concatenate([E, np.stack(D_cols, axis=1)], axis=1)
    H = np.concatenate([np.stack(D_rows, axis=1), E], axis=1)
    return G, H


# -------------------------------------------------------------- real data: real trigonometric transforms
def _trig_generators(c, r, h=None):
    """Generators of ``A M - M B`` for ``M = toeplitz(c, r) (+ H)`` with the symmetric tridiagonal
    ``A = Z + Z^T + e_0 e_0^T + e_{n-1} e_{n-1}^T`` and ``B = Z + Z^T + e_0 e_0^T - e_{n-1} e_{n-1}^T``
    (``Z`` the plain down-shift): inside, each of ``T`` and ``H`` is constant along the diagonals that
    ``Z + Z^T`` moves it by, so the displacement vanishes outside rows and columns ``0, n-1`` (rank
    ``<= 4``), formed in ``O(n)``."""
    n = c.size
    row, col = _tph_lines(c, r, h)
    edges = [0] if n == 1 else [0, n - 1]

    def neighbours(line, q, corner_last):        # line(q-1) + line(q+1) + [q = 0] line(0) +- [q = n-1] line(n-1)
        out = np.zeros(n, dtype=c.dtype)
        if q >= 1:
            out += line(q - 1)
        if q <= n - 2:
            out += line(q + 1)
        if q == 0:
            out += line(0)
        if q == n - 1:
            out += corner_last * line(n - 1)
        return out

    def times_b(x):                              # x^T B, B's corners (+1 first, -1 last)
        out = np.zeros_like(x)
        out[1:] += x[:-1]
        out[:-1] += x[1:]
        out[0] += x[0]
        out[-1] -= x[-1]
        return out

    def a_times(y):                              # A y, A's corners (+1, +1)
        out = np.zeros_like(y)
        out[1:] += y[:-1]
        out[:-1] += y[1:]
        out[0] += y[0]
        out[-1] += y[-1]
        return out

    D_rows = [neighbours(row, i, 1) - times_b(row(i)) for i in edges]
    D_cols = []
    for j in edges:
        d = a_times(col(j)) - neighbours(col, j, -1)
        d[edges] = 0                             # rows 0, n-1 are carried by D_rows
        D_cols.append(d)
    return _border_generators(D_rows, D_cols, edges, n, c.dtype)


def _trig_factor(c, r, h, kind: str, matvec) -> StructuredLU:
    """Structured LU of the real ``M = toeplitz(c, r) (+ H)`` in real arithmetic.

    ``A`` and ``B`` of :func:`_trig_generators` are diagonalised by orthonormal real transforms: the
    DCT-II ``Q2`` (``Q2 A Q2^T = diag(2 cos(pi k / n))``) and the DCT-IV ``Q4`` (symmetric,
    ``Q4 B Q4 = diag(2 cos(pi (2k + 1) / 2n))``), so ``C = Q2 M Q4`` is Cauchy-like with those real
    nodes (interlaced, never equal) and generators ``Q2 G``, ``Q4 H``; ``M x = b`` iff
    ``C y = Q2 b`` with ``x = Q4 y``. Real factors: half the memory and about a quarter of the flops
    of the complex (DFT) form."""
    import scipy.fft

    n = c.size
    G, H = _trig_generators(c, r, h)
    k = np.arange(n)
    rdt = c.dtype
    s = (2 * np.cos(np.pi * k / n)).astype(rdt)
    t = (2 * np.cos(np.pi * (2 * k + 1) / (2 * n))).astype(rdt)
    Gc = scipy.fft.dct(G, type=2, norm="ortho", axis=0).astype(rdt, copy=False)
    Hc = scipy.fft.dct(H, type=4, norm="ortho", axis=0).astype(rdt, copy=False)

    def to_cauchy(b):
        return scipy.fft.dct(b, type=2, norm="ortho", axis=0)

    def from_cauchy(y):
        return scipy.fft.dct(y, type=4, norm="ortho", axis=0)

    return _factor(s, t, Gc, Hc, kind, real=True, to_cauchy=to_cauchy, from_cauchy=from_cauchy, matvec=matvec)


def toeplitz_plus_hankel_lu(c, r, h_c, h_r) -> StructuredLU:
    """Structured LU of ``M = toeplitz(c, r) + hankel(h_c, h_r)``.

    Parameters
    ----------
    c, r : (n,) array_like
        First column and first row of the Toeplitz part (``r[0]`` ignored).
    h_c, h_r : (n,) array_like
        First column and last row of the Hankel part, as :func:`groupmat.hankel` (``h_r[0]``
        ignored): ``H[i, j] = h_{i + j}``.

    Returns
    -------
    StructuredLU
        ``solve(b)`` solves ``M x = b``.

    Raises
    ------
    ValueError
        Vectors of different lengths, non-finite entries.
    numpy.linalg.LinAlgError
        ``M`` singular to working precision.

    Notes
    -----
    With ``A = Z_1 + Z_1^T`` and ``B = Z_{-1} + Z_{-1}^T`` the displacement ``A M - M B`` vanishes
    outside rows and columns ``0`` and ``n - 1`` (each of ``T`` and ``H`` shifts along its diagonals),
    so its rank is at most 4. ``A = F^{-1} diag(w^k + w^{-k}) F`` and
    ``B = Delta^{-1} F^{-1} diag(phi w^k + (phi w^k)^{-1}) F Delta``, hence ``C = F M Delta^{-1} F^{-1}``
    is Cauchy-like with the real nodes ``2 cos(2 pi k / n)`` and ``2 cos((2 k - 1) pi / n)`` (complex
    data). Real data use the real form of :mod:`groupmat.ldr.schur` (DCT-II and DCT-IV, real factors). Levinson
    does not apply to ``T + H``; the product for the refinement is two FFT Toeplitz products.

    Examples
    --------
    >>> import numpy as np, groupmat as gm
    >>> from groupmat.ldr import toeplitz_plus_hankel_lu
    >>> rng = np.random.default_rng(0)
    >>> c, r, hc, hr = rng.normal(size=(4, 6))
    >>> M = gm.toeplitz(c, r) + gm.hankel(hc, hr)
    >>> b = rng.normal(size=6)
    >>> bool(np.allclose(M @ toeplitz_plus_hankel_lu(c, r, hc, hr).solve(b), b))
    True
    """
    c_arr, r_arr = _toeplitz_vectors(c, r)
    hc_arr, hr_arr = _toeplitz_vectors(h_c, h_r, ("h_c", "h_r"))
    n = c_arr.size
    if hc_arr.size != n:
        raise ValueError(f"the Hankel part must be {n} x {n} like the Toeplitz part, got h_c of length {hc_arr.size}")
    dt = _numeric_dtype(c_arr, hc_arr)
    c_arr, r_arr, hc_arr, hr_arr = (a.astype(dt) for a in (c_arr, r_arr, hc_arr, hr_arr))
    h = _hankel_sequence(hc_arr, hr_arr)
    real = dt.kind == "f"
    G, H = (None, None) if real else _tph_generators(c_arr, r_arr, h)
    # H = T_h J with T_h the Toeplitz matrix of first column h[n-1:], first row h[n-1::-1]
    th = (h[n - 1:], h[n - 1::-1])

    def matvec(x):
        out = sla.matmul_toeplitz((c_arr, r_arr), x, check_finite=False) + \
            sla.matmul_toeplitz(th, x[::-1], check_finite=False)
        return out.real if real and not np.iscomplexobj(x) else out

    if real:                                     # real transforms, real factors
        return _trig_factor(c_arr, r_arr, h, "toeplitz+hankel", matvec)
    s, t, Gc, Hc, to_cauchy, from_cauchy = _toeplitz_like_parts(G, H, n, dt)
    # same transformation as the Toeplitz pair; the nodes are those of the symmetric operators
    ph = np.exp(1j * np.pi / n)
    k = np.arange(n)
    s = (2 * np.cos(2 * np.pi * k / n)).astype(dt.type(0).real.dtype)
    t = (2 * np.real(ph * np.exp(-2j * np.pi * k / n))).astype(s.dtype)
    return _factor(s, t, Gc, Hc, "toeplitz+hankel", kernel=_CosineKernel(n, s.dtype), real=real,
                   to_cauchy=to_cauchy, from_cauchy=from_cauchy, matvec=matvec)


def vandermonde_lu(x, f=-1.0) -> StructuredLU:
    """Structured LU of the square Vandermonde matrix ``V[i, j] = x_i^j`` (:func:`groupmat.matrices.vandermonde`).

    Parameters
    ----------
    x : (n,) array_like
        The nodes (distinct, else ``V`` is singular).
    f : number, default -1
        The corner of ``Z_f`` in ``diag(x) V - V Z_f = (x^n - f) e_{n-1}^T`` (rank 1); ``x_i^n != f``
        is required (the nodes of the Cauchy-like form, ``x`` and the ``n``-th roots of ``f``, must
        differ). Real nodes never meet the default.

    Returns
    -------
    StructuredLU
        ``solve(b)`` gives the coefficients of the interpolating polynomial of the values ``b`` at ``x``.

    Examples
    --------
    >>> import numpy as np
    >>> from groupmat.ldr import vandermonde_lu
    >>> x = np.array([0.0, 1.0, 2.0, 3.0])
    >>> np.round(vandermonde_lu(x).solve(x ** 3 - 2 * x + 1), 10) + 0.0     # coefficients 1, -2, 0, 1
    array([ 1., -2.,  0.,  1.])
    """
    if is_symbolic(x):
        raise TypeError("x holds SymPy objects; vandermonde_lu is numeric (the Cauchy-like form needs the DFT)")
    x_arr, _ = _vector(x, "x")
    dt = working_float(x_arr.dtype)
    x_arr = x_arr.astype(dt)
    n = x_arr.size
    G = (x_arr ** n - f)[:, None]
    H = np.zeros((n, 1), dtype=dt)
    H[-1, 0] = 1
    _check_finite_generators(G, "x^n - f")

    def rows(i0, i1):                              # V[i0:i1] = x^j
        return x_arr[i0:i1, None] ** np.arange(n)

    return _vandermonde_like_factor(x_arr, f, G, H, rows=rows)


def _check_finite_generators(G, what):
    if not np.all(np.isfinite(G)):
        raise ValueError(f"the generators overflow ({what} is not finite in {G.dtype}); the nodes are too large "
                         "for this size")


def solve_toeplitz_like(G, H, b, refine: int = 1):
    """Solve ``M x = b`` for the Toeplitz-like ``M`` given by ``Z_1 M - M Z_{-1} = G H^T``.

    Parameters
    ----------
    G, H : (n, r) array_like
        Generators for the pair ``(Z_1, Z_{-1})`` (:func:`canonical_operators` ``("toeplitz", n)``);
        for a plain Toeplitz matrix use :func:`toeplitz_lu`.
    b : (n,) or (n, k) array_like
    refine : int, default 1
        Steps of iterative refinement (FFT products with ``M``).

    Returns
    -------
    x : ndarray

    Raises
    ------
    numpy.linalg.LinAlgError
        ``M`` singular to working precision.

    Examples
    --------
    >>> import numpy as np, groupmat as gm
    >>> from groupmat.ldr import solve_toeplitz_like
    >>> rng = np.random.default_rng(1)
    >>> G, H = rng.normal(size=(2, 8, 3))                   # displacement rank 3
    >>> A, B = gm.ldr.canonical_operators("toeplitz", 8)
    >>> M = gm.ldr.reconstruct(G, H, A, B)
    >>> b = rng.normal(size=8)
    >>> bool(np.allclose(M @ solve_toeplitz_like(G, H, b), b))
    True
    """
    n = np.shape(G)[0] if np.ndim(G) >= 1 else 0
    return structured_lu(ShiftOperator(max(n, 1), 1), ShiftOperator(max(n, 1), -1), G, H).solve(b, refine=refine)


def solve_toeplitz_plus_hankel(c, r, h_c, h_r, b, refine: int = 1):
    """Solve ``(toeplitz(c, r) + hankel(h_c, h_r)) x = b`` (:func:`toeplitz_plus_hankel_lu`).

    Examples
    --------
    >>> import numpy as np, groupmat as gm
    >>> from groupmat.ldr import solve_toeplitz_plus_hankel
    >>> c = r = np.array([0.0, 1.0, 0.5])                   # zero diagonal
    >>> hc, hr = np.array([1.0, 0.0, 2.0]), np.array([2.0, 1.0, 3.0])
    >>> M = gm.toeplitz(c, r) + gm.hankel(hc, hr)
    >>> bool(np.allclose(M @ solve_toeplitz_plus_hankel(c, r, hc, hr, [1.0, 2.0, 3.0]), [1.0, 2.0, 3.0]))
    True
    """
    return toeplitz_plus_hankel_lu(c, r, h_c, h_r).solve(b, refine=refine)
