"""Equivariance: projections onto equivariant maps, defects, and equivariant bases.

- :func:`project` (= :func:`equivariant_part`) and :func:`non_equivariant_part`: the Reynolds
  projection ``P(W) = 1/|G| sum_g rho_out(g) W rho_in(g)^-1`` by its definition, by orbit means for
  permutation representations, by group-diagonal means for (channels of) regular representations,
  or in the irreducible basis;
- :func:`equivariance_defect`, :func:`defect_spectrum`, :func:`sample_equivariance_error`,
  :func:`composition_bound`: how far a map is from equivariant;
- :func:`equivariant_basis`, :func:`hom_dimension`: orthonormal bases of ``Hom_G`` and its dimension.
"""
from .basis import equivariant_basis, hom_dimension
from .defect import CompositionBound, composition_bound, equivariance_defect, sample_equivariance_error
from .projection import equivariant_part, non_equivariant_part, project
from .spectral import DefectSpectrum, defect_spectrum

__all__ = ["project", "equivariant_part", "non_equivariant_part", "equivariance_defect", "defect_spectrum",
           "DefectSpectrum", "sample_equivariance_error", "composition_bound", "CompositionBound",
           "equivariant_basis", "hom_dimension"]
