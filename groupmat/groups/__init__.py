"""Finite groups with elements indexed ``0..n-1`` and vectorised multiplication.

===================  ==========================================================================
``core``             :class:`FiniteGroup` (the kernels every package builds on), :class:`TableGroup`,
                     :class:`Subgroup`, :func:`check_group`
``structure``        :class:`GroupStructure` (what a constructor declares, ``G.structure``) and
                     :class:`CyclicCoordinates` (``G.cyclic_coordinates()`` of an abelian group)
``named``            :func:`cyclic`, :func:`dihedral`, :func:`dicyclic`, :func:`quaternion`,
                     :func:`generalized_quaternion`
``products``         :func:`direct_product`, :func:`semidirect_product`, :func:`sign_group`
``permutation``      :func:`symmetric`, :func:`alternating`, :func:`from_permutations`, :func:`from_sympy`
``schreier_sims``    :class:`StabilizerChain`, :func:`stabilizer_chain` (bases and strong generating sets)
``perm_classes``     classes of ``S_n``/``A_n`` by cycle type (``partitions``, ``cycle_type``, ...)
``perm_conjugacy``   centralisers, conjugating elements and classes of groups too large to list
                     (``centralizer``, ``conjugating_element``, ``random_classes``, ``class_index_of``)
``table``            :func:`from_cayley_table` (checked by ``validate``)
``spec``             :func:`group`, e.g. ``group("D4xC2")``
===================  ==========================================================================

This package imports only the base layer (``groupmat._validation``, ``groupmat.caching``) and itself.
"""
from .core import FiniteGroup, Subgroup, TableGroup, check_group, index_dtype
from .named import (CyclicGroup, DicyclicGroup, DihedralGroup, cyclic, dicyclic, dihedral,
                    generalized_quaternion, quaternion)
from .permutation import PermutationGroup, alternating, cycle_notation, from_permutations, from_sympy, symmetric
from .schreier_sims import StabilizerChain, stabilizer_chain
from .products import DirectProduct, SemidirectProduct, SignGroup, direct_product, semidirect_product, sign_group
from .spec import group
from .structure import CyclicCoordinates, GroupStructure
from .subgroups import coset_index, even_subgroup, even_subgroup_group, quotient_group, stride_subgroup
from .table import from_cayley_table

__all__ = [
    "FiniteGroup", "TableGroup", "Subgroup", "GroupStructure", "CyclicCoordinates", "check_group", "index_dtype",
    "CyclicGroup", "DihedralGroup", "DicyclicGroup", "DirectProduct", "SemidirectProduct", "SignGroup",
    "PermutationGroup",
    "cyclic", "dihedral", "dicyclic", "quaternion", "generalized_quaternion", "symmetric", "alternating",
    "sign_group", "direct_product", "semidirect_product", "from_permutations", "from_cayley_table", "from_sympy",
    "cycle_notation", "group",
    "even_subgroup", "even_subgroup_group", "stride_subgroup", "coset_index", "quotient_group",
]
