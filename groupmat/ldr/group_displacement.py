"""Group displacements: the generator displacement ``L(s) M - M L(s)`` and the coefficient
displacement ``F - F P`` of the group-diagonal array ``F``. Both vanish exactly on group matrices.

The bridge to classical LDR: for ``G = C_n`` with generator ``1``, ``L(1) = Z_1`` (:func:`~groupmat.ldr.shift`), so the
generator displacement is the classical circulant displacement ``Z_1 M - M Z_1``, and a Toeplitz
matrix has generator displacement rank at most 2.
"""
from __future__ import annotations

import numpy as np

from .._validation import as_element_array, check_choice, check_tolerance
from ..groups.core import check_group as _check_group
from ..groups.core import FiniteGroup
from ..matrices.diagonals import group_diagonals
from .core import _coerce_matrix, _pow2_scale, _rank, _sympy_matrix, default_rank_tol, displacement, exact_rank
from .operators import PermutationOperator

__all__ = ["regular_operator", "generator_displacement", "generator_displacement_rank", "coefficient_displacement",
           "coefficient_displacement_rank"]


def _group_square(M, G: FiniteGroup, name: str = "M"):
    arr, exact = _coerce_matrix(M, name)
    n = G.order
    if arr.shape != (n, n):
        raise ValueError(f"{name} must be a square matrix of size |G| = {n} ({G.name}), got shape {arr.shape}")
    return arr, exact


def regular_operator(G: FiniteGroup, g, side: str = "left") -> PermutationOperator:
    """The regular representation matrix of ``g`` as a :class:`PermutationOperator`.

    ``side="left"``: ``L(g) e_h = e_{g h}``; ``side="right"``: ``R(g) e_b = e_{b g^-1}``, i.e.
    ``R(g)[a, b] = [b == a g]`` (so that ``M_x = sum_g x(g) R(g)``).

    Parameters
    ----------
    G : FiniteGroup
    g : int
        An element of ``G`` (its index).
    side : {"left", "right"}
        Which regular representation.

    Returns
    -------
    PermutationOperator
        The ``n x n`` permutation matrix, applied by indexing (``.dense()`` gives the matrix).

    Raises
    ------
    ValueError
        ``g`` not an element of ``G``, or ``side`` not "left"/"right".

    See Also
    --------
    groupmat.matrices.regular_permutations, generator_displacement

    Examples
    --------
    >>> import numpy as np, groupmat as gm
    >>> np.array_equal(gm.ldr.regular_operator(gm.cyclic(5), 1).dense(), gm.shift(5, 1).dense())
    True
    """
    G = _check_group(G)
    check_choice(side, "side", ("left", "right"))
    g = np.int64(as_element_array(g, G.order, "g"))
    e = G.elements()
    if side == "left":
        return PermutationOperator(G.mul_unchecked(g, e))
    return PermutationOperator(G.mul_unchecked(e, G.inverses()[g]))


def _generators(G: FiniteGroup, generators) -> np.ndarray:
    gens = G.generators if generators is None else generators
    if np.size(gens) == 0:
        return np.zeros(0, dtype=np.int64)
    return np.atleast_1d(as_element_array(gens, G.order, "generators")).reshape(-1)


def generator_displacement(G: FiniteGroup, M, generators=None):
    """The generator displacements ``L(s) M - M L(s)``, one per generator ``s``, by indexing.

    ``(L(s) M - M L(s))[a, b] = M[s^-1 a, b] - M[a, s b]``. All vanish iff ``M`` commutes with the
    left regular representation, i.e. iff ``M`` is a group matrix ``M_x[g, h] = x(g^-1 h)``.

    **Bridge from classical LDR.** For ``C_n`` with generator ``1``, ``L(1) = Z_1`` is the cyclic
    down-shift, so the generator displacement is the classical circulant displacement
    ``Z_1 M - M Z_1``: it vanishes on circulants (the group matrices of ``C_n``), and a Toeplitz matrix
    has generator displacement rank at most 2. Other groups replace the single shift by their
    generators' regular actions.

    Parameters
    ----------
    G : FiniteGroup
    M : (n, n) array_like or sympy.Matrix
    generators : sequence of int, optional
        Element indices; default ``G.generators``.

    Returns
    -------
    ndarray of shape (k, n, n), or a list of ``k`` sympy Matrices for SymPy input

    See Also
    --------
    generator_displacement_rank, coefficient_displacement, displacement, regular_operator

    Examples
    --------
    >>> import numpy as np, groupmat as gm
    >>> G = gm.cyclic(6)
    >>> T = gm.toeplitz(np.arange(1.0, 7.0), np.arange(1.0, 12.0, 2.0))
    >>> D = gm.generator_displacement(G, T)[0]
    >>> np.array_equal(D, gm.displacement(T, gm.shift(6, 1)))   # = Z_1 T - T Z_1
    True
    >>> int(np.linalg.matrix_rank(D)), gm.ldr.generator_displacement_rank(G, T)
    (2, 2)
    >>> float(np.abs(gm.generator_displacement(G, gm.group_matrix(G, np.arange(6.0)))).max())
    0.0
    """
    G = _check_group(G)
    arr, exact = _group_square(M, G)
    gens = _generators(G, generators)
    out = []
    for s in gens:
        L = regular_operator(G, int(s))
        out.append(displacement(arr, L, L))
    if exact:
        return out
    return np.stack(out) if out else np.zeros((0, G.order, G.order), dtype=arr.dtype)


def generator_displacement_rank(G: FiniteGroup, M, generators=None, tol: float | None = None) -> int:
    """The generator displacement rank: the largest rank of ``L(s) M - M L(s)`` over the generators.

    It is 0 iff ``M`` is a group matrix. For ``C_n`` (generator 1) it is the classical circulant
    displacement rank, at most 2 for Toeplitz matrices. Exact (over the field of the entries) for
    SymPy input; numeric with the tolerance of :func:`displacement_rank` otherwise.

    Parameters
    ----------
    G : FiniteGroup
    M : (n, n) array_like or sympy.Matrix
    generators : sequence of int, optional
        The elements ``s`` to use; default ``G.generators``.
    tol : float, optional
        Numeric input: singular values ``<= tol`` count as zero. Default
        ``2 ||M||_F n eps`` (:func:`~groupmat.ldr.default_rank_tol` with the norm of the two terms,
        each a permutation of ``M``, and ``eps`` of the dtype of ``M``). Must be a finite number ``>= 0``.

    Returns
    -------
    int
        ``max_s rank(L(s) M - M L(s))`` (0 for the trivial group or no generators).

    Raises
    ------
    ValueError
        ``M`` not ``n x n``; a negative or non-finite ``tol``.
    TypeError
        ``tol`` not a real number.

    See Also
    --------
    generator_displacement, coefficient_displacement_rank

    Examples
    --------
    >>> import sympy, groupmat as gm
    >>> c = sympy.symbols("c0:5"); r = sympy.symbols("r1:5")
    >>> gm.ldr.generator_displacement_rank(gm.cyclic(5), gm.toeplitz(c, (c[0],) + r))
    2
    """
    tol = None if tol is None else check_tolerance(tol, "tol")
    G = _check_group(G)
    arr, exact = _group_square(M, G)
    if exact:
        return max((exact_rank(D) for D in generator_displacement(G, arr, generators)), default=0)
    c = _pow2_scale(arr)              # entries whose squares would overflow: rescaled exactly, tol with them
    arr = arr / c if c != 1.0 else arr
    Ds = generator_displacement(G, arr, generators)
    # both terms L(s) M and M L(s) are permutations of M: each has norm ||M||_F
    t = _permutation_terms_tol(arr) if tol is None else tol / c
    return max((_rank(D, t) for D in Ds), default=0)


def coefficient_displacement(G: FiniteGroup, M):
    """The coefficient displacement ``D(M) = F - F P`` of the group-diagonal array ``F``.

    ``P`` is the cyclic shift along ``h`` (``P[k, h] = [k == h + 1 mod n]``, in the index order of
    the elements), so ``D(M)[g, h] = F[g, h] - F[g, h + 1]``.

    Its kernel is exactly the group matrices (rows of ``F`` constant). A GM-LDR matrix
    ``M_b + sum_{i<r} diag(v_i) M_{u_i}`` has ``F = b 1^T + sum_i u_i v_i^T`` and
    ``D(M) = sum_i u_i (v_i - P^T v_i)^T``, so ``rank D(M) <= r``; right multiplication by a group
    matrix keeps the rank (``F(M M_x) = A_x F(M)`` acts on the ``g`` index only). It is *not* the
    classical Toeplitz LDR: a Toeplitz matrix has coefficient displacement rank ``n - 1`` for
    ``C_n``; that lives in :func:`generator_displacement`.

    Parameters
    ----------
    G : FiniteGroup
    M : (n, n) array_like or sympy.Matrix

    Returns
    -------
    (n, n) ndarray, or sympy.Matrix for SymPy input

    See Also
    --------
    groupmat.group_diagonals, coefficient_displacement_rank, generator_displacement

    Examples
    --------
    >>> import numpy as np, groupmat as gm
    >>> G = gm.quaternion()
    >>> float(np.abs(gm.coefficient_displacement(G, gm.group_matrix(G, np.arange(8.0)))).max())
    0.0
    """
    G = _check_group(G)
    arr, exact = _group_square(M, G)
    F = group_diagonals(G, arr)
    D = F - np.roll(F, -1, axis=1)
    return _sympy_matrix(D) if exact else D


def coefficient_displacement_rank(G: FiniteGroup, M, tol: float | None = None) -> int:
    """The rank of :func:`coefficient_displacement` (exact for SymPy input).

    ``F - F P`` with ``F`` the coefficient array (:func:`groupmat.group_diagonals`) and ``P`` the cyclic
    shift of its columns: the GM-LDR matrices of rank ``r`` (:class:`GroupLDRMatrix`) are exactly
    those with coefficient displacement rank at most ``r``.

    Parameters
    ----------
    G : FiniteGroup
    M : (n, n) array_like or sympy.Matrix
    tol : float, optional
        Numeric input: singular values ``<= tol`` count as zero. Default
        ``2 ||M||_F n eps`` (:func:`~groupmat.ldr.default_rank_tol`; ``F`` and ``F P`` are
        permutations of the entries of ``M``; ``eps`` of the dtype of ``M``). Must be a finite number ``>= 0``.

    Returns
    -------
    int
        The rank, over the field of the entries for SymPy input.

    Raises
    ------
    ValueError
        ``M`` not ``n x n``; a negative or non-finite ``tol``.
    TypeError
        ``tol`` not a real number.

    See Also
    --------
    coefficient_displacement, fit_group_ldr

    Examples
    --------
    >>> import numpy as np, groupmat as gm
    >>> G = gm.dihedral(4)
    >>> rng = np.random.default_rng(1)
    >>> M = gm.GroupLDRMatrix(G, rng.normal(size=8), rng.normal(size=(2, 8)), rng.normal(size=(2, 8)))
    >>> gm.ldr.coefficient_displacement_rank(G, M.dense())
    2
    """
    tol = None if tol is None else check_tolerance(tol, "tol")
    G = _check_group(G)
    arr, exact = _group_square(M, G)
    if exact:
        return exact_rank(coefficient_displacement(G, arr))
    c = _pow2_scale(arr)              # entries whose squares would overflow: rescaled exactly, tol with them
    arr = arr / c if c != 1.0 else arr
    D = coefficient_displacement(G, arr)
    # F and F P are permutations of the entries of M: each has norm ||M||_F
    return _rank(D, _permutation_terms_tol(arr) if tol is None else tol / c)


def _permutation_terms_tol(arr: np.ndarray) -> float:
    """:func:`~groupmat.ldr.default_rank_tol` of a difference of two permutations of the entries of
    ``arr`` (each term has norm ``||arr||_F``), judged in the dtype of ``arr``."""
    return default_rank_tol((), arr.shape, 2 * float(np.linalg.norm(arr)), dtype=arr.dtype)
