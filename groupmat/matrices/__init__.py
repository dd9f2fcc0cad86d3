"""Group matrices, regular permutations and group diagonals (numeric kernels on plain arrays)."""
from .diagonals import from_group_diagonals, group_diagonal_indices, group_diagonals
from .group_matrix import (CONVENTIONS, dense_convolve, group_matrix, group_matrix_indices, group_symbols,
                           is_group_matrix, regular_permutations, x_from_group_matrix)

__all__ = ["CONVENTIONS", "group_matrix", "group_matrix_indices", "group_symbols", "x_from_group_matrix",
           "is_group_matrix", "dense_convolve", "regular_permutations", "group_diagonals", "from_group_diagonals",
           "group_diagonal_indices"]
