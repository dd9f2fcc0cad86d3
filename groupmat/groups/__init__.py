"""Finite groups with elements indexed ``0..n-1`` and vectorised multiplication."""
from .core import FiniteGroup, Subgroup, TableGroup, check_group, index_dtype
from .named import (CyclicGroup, DicyclicGroup, DihedralGroup, cyclic, dicyclic, dihedral,
                    generalized_quaternion, quaternion)
from .permutation import PermutationGroup, alternating, cycle_notation, from_permutations, from_sympy, symmetric
from .products import (DirectProduct, SemidirectProduct, SignGroup, direct_product, klein_four,
                       semidirect_product, sign_group)
from .spec import group
from .structure import CyclicCoordinates, GroupStructure
from .table import from_cayley_table

__all__ = [
    "FiniteGroup", "TableGroup", "Subgroup", "GroupStructure", "CyclicCoordinates", "check_group", "CyclicGroup", "DihedralGroup", "DicyclicGroup", "DirectProduct",
    "SemidirectProduct", "SignGroup", "PermutationGroup",
    "cyclic", "dihedral", "dicyclic", "quaternion", "generalized_quaternion", "symmetric", "alternating",
    "sign_group", "klein_four", "direct_product", "semidirect_product", "from_permutations",
    "from_cayley_table", "from_sympy", "cycle_notation", "group", "index_dtype",
]
