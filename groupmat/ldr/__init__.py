"""Displacement structure: operators, displacement rank and generators, classical LDR families, and
GM-LDR matrices over finite groups.

* Classical displacements of a matrix ``M`` by an operator pair ``(A, B)``: Sylvester ``A M - M B`` and
  Stein ``M - A M B`` (:func:`displacement`), with structured operators applied by indexing
  (:class:`PermutationOperator`, :class:`DiagonalOperator`, the f-unit-circulant :func:`shift` ``Z_f``),
  their rank (:func:`displacement_rank`), generators ``A M - M B = G H^T``
  (:func:`displacement_generators`) and the inverse map (:func:`reconstruct`).
* The classical low-displacement-rank families (:mod:`groupmat.matrices.classical`) as special cases:
  :func:`~groupmat.toeplitz` and :func:`~groupmat.hankel` (rank ``<= 2``),
  :func:`~groupmat.matrices.vandermonde` and :func:`~groupmat.matrices.cauchy` (rank 1),
  :func:`~groupmat.circulant` and :func:`~groupmat.matrices.f_circulant` (rank 0), with their
  operator pairs :func:`canonical_operators`.
* Group displacements: the generator displacement ``L(s) M - M L(s)`` (:func:`generator_displacement`)
  and the coefficient displacement ``F - F P`` (:func:`coefficient_displacement`); both vanish exactly
  on group matrices.
* GM-LDR matrices ``M_b + sum_i diag(v_i) M_{u_i}`` (:class:`GroupLDRMatrix`, :func:`fit_group_ldr`).

**The bridge from classical LDR to groups.** For the cyclic group ``C_n`` with generator ``1`` the
left regular action is the cyclic down-shift, ``L(1) = Z_1``; so the generator displacement is the
classical circulant displacement ``Z_1 M - M Z_1``, whose kernel is the circulants (the group matrices
of ``C_n``), and a Toeplitz matrix has generator displacement rank at most 2:

>>> import numpy as np, groupmat as gm
>>> n = 8
>>> T = gm.toeplitz(np.arange(1.0, n + 1), np.arange(1.0, 2 * n, 2))
>>> D = gm.generator_displacement(gm.cyclic(n), T)[0]
>>> np.array_equal(D, gm.shift(n, 1) @ T - T @ gm.shift(n, 1))
True
>>> gm.ldr.generator_displacement_rank(gm.cyclic(n), T), gm.displacement_rank(T, gm.shift(n, 1), gm.shift(n, -1))
(2, 2)

Other groups replace the shift by the regular action of their generators. The coefficient
displacement is a different notion (GM-LDR): it is kept under right multiplication by group matrices,
and a Toeplitz matrix has coefficient displacement rank ``n - 1`` for ``C_n``.
"""
from .classical_operators import CLASSICAL_DISPLACEMENT_RANKS, canonical_operators, cyclic_decomposition
from .core import (default_rank_tol, displacement, displacement_generators, displacement_rank, exact_rank,
                   numeric_rank, reconstruct)
from .group_displacement import (coefficient_displacement, coefficient_displacement_rank, generator_displacement,
                                 generator_displacement_rank, regular_operator)
from .gm_ldr import GroupLDRMatrix, TransposedGroupLDRMatrix, fit_group_ldr
from .gm_ldr_solve import (SolveConvergenceError, SolveInfo, nearest_group_kernel, solve_group_ldr,
                           solve_group_low_rank)
from .operators import DiagonalOperator, MonomialOperator, PermutationOperator, ShiftOperator, shift
from .schur import (StructuredLU, cauchy_like_lu, solve_toeplitz_like, solve_toeplitz_plus_hankel, structured_lu,
                    toeplitz_lu, toeplitz_plus_hankel_lu, vandermonde_lu)

__all__ = [
    # operators
    "MonomialOperator", "PermutationOperator", "DiagonalOperator", "ShiftOperator", "shift", "regular_operator",
    # displacement, rank, generators, reconstruction
    "displacement", "displacement_rank", "displacement_generators", "reconstruct", "exact_rank", "numeric_rank",
    "default_rank_tol",
    # classical families
    "canonical_operators",
    "CLASSICAL_DISPLACEMENT_RANKS", "cyclic_decomposition",
    # group displacements
    "generator_displacement", "generator_displacement_rank", "coefficient_displacement",
    "coefficient_displacement_rank",
    # GM-LDR
    "GroupLDRMatrix", "TransposedGroupLDRMatrix", "fit_group_ldr",
    # solving GM-LDR systems
    "solve_group_ldr", "solve_group_low_rank", "nearest_group_kernel", "SolveInfo", "SolveConvergenceError",
    # structured solvers (generalized Schur / GKO)
    "StructuredLU", "structured_lu", "cauchy_like_lu", "toeplitz_lu", "toeplitz_plus_hankel_lu", "vandermonde_lu",
    "solve_toeplitz_like", "solve_toeplitz_plus_hankel",
]
