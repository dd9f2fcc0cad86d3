"""Representations: the Representation class, irreducible representations, characters, the Fourier
transform on a group, decompositions and the group determinant.

Which fast route serves a group is decided by :mod:`groupmat.routing` (e.g.
:func:`groupmat.routing.has_fast_transform`); the cyclic coordinates of an abelian group are
:meth:`FiniteGroup.cyclic_coordinates <groupmat.FiniteGroup.cyclic_coordinates>`.
"""
from .actions import ActionBlock, PermutationAction, natural_action
from .characters import CharacterTable, character_table
from .fourier_transform import (FourierCoefficients, block_diagonalize, convolve, fast_group_matvec, fourier,
                                inverse_fourier, plancherel_norm)
from .decomposition import coset_representation, decompose, induced_representation, isotypic_projectors, multiplicities
from .determinant import group_determinant
from .group_algebra import (group_matrix_det, group_matrix_eigvals, group_matrix_slogdet, group_matrix_svdvals,
                            invert_group_matrix, pinv_group_matrix, solve_group_matrix)
from .generator_reps import (GeneratorRepresentation, fourier_sparse, generator_decompose, generator_hom_basis,
                             generator_hom_dimension, generator_multiplicities, generator_project, symmetric_irreps,
                             young_irrep)
from .irreducibles import irreps
from .representation import (IrreducibleRepresentation, PermutationRepresentation, Representation, direct_sum,
                             from_generators, natural_representation, permutation_representation,
                             regular_representation, tensor, trivial_representation)

__all__ = ["Representation", "PermutationRepresentation", "IrreducibleRepresentation", "from_generators",
           "regular_representation", "permutation_representation", "natural_representation", "trivial_representation",
           "direct_sum", "tensor", "irreps", "character_table", "CharacterTable", "fourier", "inverse_fourier",
           "FourierCoefficients", "plancherel_norm", "convolve", "fast_group_matvec", "block_diagonalize",
           "multiplicities", "isotypic_projectors", "decompose", "induced_representation", "coset_representation",
           "group_determinant", "solve_group_matrix", "invert_group_matrix", "pinv_group_matrix",
           "group_matrix_det", "group_matrix_slogdet", "group_matrix_eigvals", "group_matrix_svdvals",
           "PermutationAction", "ActionBlock", "natural_action", "GeneratorRepresentation", "young_irrep",
           "symmetric_irreps", "generator_multiplicities", "generator_decompose", "generator_hom_basis",
           "generator_hom_dimension", "generator_project", "fourier_sparse"]
