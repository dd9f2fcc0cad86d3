"""The classical low-displacement-rank families, their canonical operators and known ranks.

========================  =================================  =========================
family                    operators ``(A, B)`` (Sylvester)   ``rank(A M - M B)``
========================  =================================  =========================
Toeplitz ``T[i,j]=t_{i-j}``    ``(Z_1, Z_{-1})``                   ``<= 2``
Hankel ``H[i,j]=h_{i+j}``      ``(Z_1, Z_{-1}^T)``                 ``<= 2``
Vandermonde ``x_i^j``          ``(diag(x), Z_f)``                  ``<= 1``
Cauchy ``1/(s_i - t_j)``       ``(diag(s), diag(t))``              ``= 1``
circulant / f-circulant        ``(Z_1, Z_1)`` / ``(Z_f, Z_f)``     ``0``
========================  =================================  =========================

The pairs for Toeplitz, Hankel, Cauchy (and Vandermonde when ``x_i^n != f``) have disjoint spectra,
so :func:`~groupmat.ldr.reconstruct` recovers the matrix from its generators; the circulant pairs are singular
(they define the circulants as a kernel). For an invertible ``M`` the inverse has the same rank with
the operators swapped: ``B M^-1 - M^-1 A = -M^-1 (A M - M B) M^-1``.
"""
from __future__ import annotations

from .._exact import as_vector
from .._validation import check_choice, check_positive_int
from .operators import DiagonalOperator, shift

__all__ = ["canonical_operators", "CLASSICAL_DISPLACEMENT_RANKS", "cyclic_decomposition"]

#: Upper bounds of the Sylvester displacement rank for :func:`canonical_operators`.
CLASSICAL_DISPLACEMENT_RANKS = {"toeplitz": 2, "hankel": 2, "vandermonde": 1, "cauchy": 1,
                                "circulant": 0, "f_circulant": 0}


def canonical_operators(kind: str, n: int | None = None, *, x=None, s=None, t=None, f=0):
    """The canonical Sylvester operator pair ``(A, B)`` of a classical family.

    Parameters
    ----------
    kind : {"toeplitz", "hankel", "vandermonde", "cauchy", "circulant", "f_circulant"}
    n : int
        The size (for ``toeplitz``, ``hankel``, ``circulant``, ``f_circulant``; for ``vandermonde``
        the number of columns, default ``len(x)``).
    x : array_like
        The nodes of a Vandermonde matrix.
    s, t : array_like
        The nodes of a Cauchy matrix.
    f : number
        The corner of ``Z_f`` for ``vandermonde`` (default 0) and ``f_circulant``.

    Returns
    -------
    (A, B) : structured operators
        ``toeplitz``: ``(Z_1, Z_{-1})``; ``hankel``: ``(Z_1, Z_{-1}^T)``; ``vandermonde``:
        ``(diag(x), Z_f)``; ``cauchy``: ``(diag(s), diag(t))``; ``circulant``: ``(Z_1, Z_1)``;
        ``f_circulant``: ``(Z_f, Z_f)``. The displacement ranks are bounded by
        :data:`CLASSICAL_DISPLACEMENT_RANKS`.

    Examples
    --------
    >>> import groupmat as gm
    >>> A, B = gm.ldr.canonical_operators("toeplitz", 4)
    >>> A, B
    (shift(4, f=1), shift(4, f=-1))
    """
    check_choice(kind, "kind", tuple(CLASSICAL_DISPLACEMENT_RANKS))
    if kind == "vandermonde":
        if x is None:
            raise ValueError("canonical_operators('vandermonde') needs the nodes x")
        x_arr, _ = as_vector(x, "x")
        cols = x_arr.size if n is None else check_positive_int(n, "n")
        return DiagonalOperator(x_arr), shift(cols, f)
    if kind == "cauchy":
        if s is None or t is None:
            raise ValueError("canonical_operators('cauchy') needs the nodes s and t")
        return DiagonalOperator(as_vector(s, "s")[0]), DiagonalOperator(as_vector(t, "t")[0])
    if n is None:
        raise ValueError(f"canonical_operators({kind!r}) needs the size n")
    n = check_positive_int(n, "n")
    if kind == "toeplitz":
        return shift(n, 1), shift(n, -1)
    if kind == "hankel":
        return shift(n, 1), shift(n, -1).T
    if kind == "circulant":
        return shift(n, 1), shift(n, 1)
    return shift(n, f), shift(n, f)


def cyclic_decomposition(M, rank: int | None = None):
    """Gader's cyclic decomposition ``M = sum_{i<r} L(x_i) C(y_i)``.

    With ``Z = Z_0`` the down-shift and ``Pi = Z_1`` the cyclic down-shift, take generators of the
    Stein displacement ``M - Z M Pi^T = sum_{i<r} x_i y_i^T`` (:func:`displacement_generators` with
    ``kind="stein"``). Then ``M = sum_i L(x_i) C(y_i)``, ``L(x)`` the lower triangular Toeplitz matrix
    with first column ``x`` and ``C(y)`` the circulant whose row ``k`` is ``(Pi^k y)^T``, which is
    the group matrix of ``y`` on ``C_n``.

    Parameters
    ----------
    M : (n, n) array_like or sympy.Matrix
    rank : int, optional
        Truncate to ``rank`` terms (numeric input); default: all (the displacement rank, ``<= n``).

    Returns
    -------
    X, Y : (n, r) arrays (or sympy Matrices)
        Columns ``x_i`` and ``y_i``.

    Notes
    -----
    Proof: ``Z`` is nilpotent, so iterating ``M = Q + Z M Pi^T`` gives
    ``M = sum_{k<n} Z^k Q (Pi^T)^k = sum_i sum_k (Z^k x_i)(Pi^k y_i)^T`` and
    ``sum_k (Z^k x)(Pi^k y)^T = L(x) C(y)`` column by row. Since ``rank Q <= n``, every matrix is a
    sum of at most ``n`` products (lower triangular Toeplitz) x (group matrix of ``C_n``).

    References
    ----------
    P. D. Gader, "Displacement operator based decompositions of matrices using circulants or other
    group matrices", Linear Algebra Appl. 139 (1990).

    Examples
    --------
    >>> import numpy as np, groupmat as gm
    >>> M = np.random.default_rng(0).normal(size=(5, 5))
    >>> X, Y = gm.ldr.cyclic_decomposition(M)
    >>> G = gm.cyclic(5)
    >>> S = sum(gm.toeplitz(X[:, i], np.zeros(5)) @ gm.group_matrix(G, Y[:, i]) for i in range(X.shape[1]))
    >>> np.allclose(S, M)
    True
    """
    from .core import _coerce_matrix, displacement_generators

    arr, exact = _coerce_matrix(M, "M")
    if arr.shape[0] != arr.shape[1]:
        raise ValueError(f"M must be square, got shape {arr.shape}")
    n = arr.shape[0]
    return displacement_generators(M, shift(n, 0), shift(n, 1).T, rank=rank, kind="stein")
