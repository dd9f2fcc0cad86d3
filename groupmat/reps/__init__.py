"""Representations: the Representation class, regular and permutation representations."""
from .representation import (PermutationRepresentation, Representation, direct_sum, from_generators,
                             natural_representation, permutation_representation, regular_representation,
                             tensor, trivial_representation)

__all__ = ["Representation", "PermutationRepresentation", "from_generators", "regular_representation",
           "permutation_representation", "natural_representation", "trivial_representation", "direct_sum",
           "tensor"]
