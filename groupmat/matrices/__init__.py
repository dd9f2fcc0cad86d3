"""Group matrices, regular permutations and group diagonals (numeric kernels on plain arrays)."""
from .classical import cauchy, circulant, f_circulant, hankel, toeplitz, vandermonde
from .diagonals import from_group_diagonals, group_diagonal_indices, group_diagonals
from .group_matrices import (CONVENTIONS, dense_convolve, group_matrix, group_matrix_indices, group_symbols,
                           is_group_matrix, regular_permutations, x_from_group_matrix)

__all__ = ["CONVENTIONS", "group_matrix", "group_matrix_indices", "group_symbols", "x_from_group_matrix",
           "is_group_matrix", "dense_convolve", "regular_permutations", "group_diagonals", "from_group_diagonals",
           "group_diagonal_indices", "toeplitz", "hankel", "vandermonde", "cauchy", "circulant", "f_circulant"]
